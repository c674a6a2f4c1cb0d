"""Circuit fitting: recovery of known parameters, statistics, options and bad input."""

import numpy as np
import pytest

from ssblab.errors import CircuitError, ImpedanceDataError
from ssblab.impedance.circuits import Circuit
from ssblab.impedance.fitting import fit

FREQ = np.logspace(7, -1, 81)  # 10 MHz to 0.1 Hz, 10 points per decade
FAMILIES = {
    "pellet": ("R0-p(R1,CPE1)-p(R2,CPE2)-CPE3", [10, 1e3, 1e-10, 0.9, 5e3, 1e-8, 0.8, 1e-6, 0.9]),
    "symmetric": (
        "R0-p(R1,CPE1)-p(R2,CPE2)-p(R3,CPE3)",
        [20, 500, 1e-9, 0.95, 2e3, 1e-6, 0.8, 1e4, 1e-4, 0.7],
    ),
    "film": ("R0-p(R1,CPE1)-CPE2", [50, 1e4, 1e-10, 0.85, 1e-7, 0.8]),  # arc at 1.9 MHz
}


def noisy(z, rng, level=0.003):
    return z * (1 + level * (rng.normal(size=z.size) + 1j * rng.normal(size=z.size)))


@pytest.mark.parametrize("family", FAMILIES)
def test_recovers_exact_parameters_without_guesses(family):
    text, truth = FAMILIES[family]
    z = Circuit(text).impedance(FREQ, truth)
    result = fit(text, FREQ, z)
    np.testing.assert_allclose(result.parameters, truth, rtol=1e-4)
    assert result.chi2 < 1e-12


def random_spectrum(rng, family):
    """A solid-electrolyte spectrum as in benchmarks/eis_fit.py (arcs 1.5 decades apart)."""
    text = FAMILIES[family][0]
    n_arcs = {"pellet": 2, "symmetric": 3, "film": 1}[family]
    while True:
        peaks = np.sort(rng.uniform(1, np.log10(2e6), n_arcs))
        if np.all(np.diff(peaks) >= 1.5):
            break
    params = [10 ** rng.uniform(1, 3)]
    for log_f in peaks[::-1]:
        r, alpha = 10 ** rng.uniform(1, 5), rng.uniform(0.6, 1)
        params += [r, (1 / (2 * np.pi * 10**log_f)) ** alpha / r, alpha]
    if family != "symmetric":
        params += [10 ** rng.uniform(-7, -5), rng.uniform(0.6, 1)]
    return text, np.array(params)


@pytest.mark.parametrize("family", FAMILIES)
def test_reaches_the_optimum_on_noisy_spectra(family):
    rng = np.random.default_rng(2024)
    for _ in range(6):
        text, truth = random_spectrum(rng, family)
        z = noisy(Circuit(text).impedance(FREQ, truth), rng)
        auto = fit(text, FREQ, z)
        reference = fit(text, FREQ, z, initial=truth)
        assert auto.chi2 <= 1.05 * reference.chi2


def test_reduced_chi2_matches_the_noise_level():
    rng = np.random.default_rng(7)
    text, truth = FAMILIES["pellet"]
    z = noisy(Circuit(text).impedance(FREQ, truth), rng, level=0.003)
    result = fit(text, FREQ, z)
    assert result.reduced_chi2 == pytest.approx(0.003**2, rel=0.3)


def test_standard_errors_match_the_scatter_of_repeated_fits():
    rng = np.random.default_rng(11)
    text, truth = FAMILIES["film"]
    z0 = Circuit(text).impedance(FREQ, truth)
    fits = [fit(text, FREQ, noisy(z0, rng), initial=truth) for _ in range(40)]
    scatter = np.std([f.parameters for f in fits], axis=0)
    reported = np.mean([f.stderr for f in fits], axis=0)
    np.testing.assert_allclose(reported, scatter, rtol=0.35)


def test_fixed_parameters_stay_fixed_and_are_reported():
    text, truth = FAMILIES["pellet"]
    z = Circuit(text).impedance(FREQ, truth)
    result = fit(text, FREQ, z, fixed={"R0": 10.0, "CPE3_1": 0.9})
    assert result.parameter_dict()["R0"] == 10.0
    assert result.stderr_dict()["R0"] == 0.0
    assert result.to_dict()["fixed"] == ["R0", "CPE3_1"]
    np.testing.assert_allclose(result.parameters, truth, rtol=1e-4)


def test_user_initial_values_as_mapping():
    text, truth = FAMILIES["film"]
    z = Circuit(text).impedance(FREQ, truth)
    start = dict(zip(Circuit(text).parameter_names, np.array(truth) * 1.3, strict=True))
    start["CPE1_1"], start["CPE2_1"] = 0.9, 0.9
    result = fit(text, FREQ, z, initial=start)
    np.testing.assert_allclose(result.parameters, truth, rtol=1e-4)
    with pytest.raises(CircuitError, match="initial values missing for R0"):
        fit(text, FREQ, z, initial={k: v for k, v in start.items() if k != "R0"})


@pytest.mark.parametrize("weighting", ["modulus", "proportional", "unit"])
def test_weightings(weighting):
    # no blocking tail: with one, unit weights let the MΩ low-frequency points swamp the arcs
    text, truth = "R0-p(R1,CPE1)-p(R2,CPE2)", [20, 500, 1e-9, 0.95, 2e3, 1e-6, 0.8]
    z = Circuit(text).impedance(FREQ, truth)
    result = fit(text, FREQ, z, weighting=weighting, initial=np.array(truth) * 1.1)
    assert result.weighting == weighting
    np.testing.assert_allclose(result.parameters, truth, rtol=1e-3)


def test_frequency_order_does_not_matter():
    text, truth = FAMILIES["pellet"]
    z = Circuit(text).impedance(FREQ, truth)
    ascending = fit(text, FREQ[::-1], z[::-1])
    np.testing.assert_allclose(ascending.parameters, truth, rtol=1e-4)
    assert "frequencies are ascending (fitted as given)" in ascending.notes
    shuffled = np.random.default_rng(0).permutation(FREQ.size)
    unsorted = fit(text, FREQ[shuffled], z[shuffled])
    assert "frequencies are unsorted (fitted as given)" in unsorted.notes
    assert not any("frequencies are" in n for n in fit(text, FREQ, z).notes)


def test_alpha_stays_in_bounds():
    text = "R0-p(R1,C1)"
    z = Circuit(text).impedance(FREQ, [10, 1e3, 1e-9])
    result = fit("R0-p(R1,CPE1)", FREQ, z)  # the true element is a capacitor: α = 1
    assert 0 < result.parameter_dict()["CPE1_1"] <= 1.0
    assert result.parameter_dict()["CPE1_1"] == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize(
    ("freq", "z", "message"),
    [
        ([1e3, np.nan, 10], [1 - 1j] * 3, "NaN"),
        ([1e3, 1e3, 10], [1 - 1j] * 3, "duplicate"),
        ([1e3, 0.0, 10], [1 - 1j] * 3, "zero or negative"),
        ([1e3, 1e2, 10], [1 - 1j, np.inf, 1], "NaN/inf"),
        ([1e3], [1 - 1j], "fewer than"),
    ],
)
def test_bad_spectra(freq, z, message):
    with pytest.raises(ImpedanceDataError, match=message):
        fit("R0-p(R1,CPE1)", freq, z)


def test_bad_options():
    z = Circuit("R0-p(R1,C1)").impedance(FREQ, [10, 1e3, 1e-9])
    with pytest.raises(ImpedanceDataError, match="weighting"):
        fit("R0-p(R1,C1)", FREQ, z, weighting="square")
    with pytest.raises(CircuitError, match="fixed parameters not in"):
        fit("R0-p(R1,C1)", FREQ, z, fixed={"R9": 1.0})
    with pytest.raises(CircuitError, match="unknown element"):
        fit("R0-Q1", FREQ, z)
