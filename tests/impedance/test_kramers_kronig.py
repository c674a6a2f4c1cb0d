"""Lin-KK test: clean spectra pass, drifting ones fail, bookkeeping and validation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssblab.errors import ImpedanceDataError
from ssblab.impedance.kramers_kronig import KKResult, kk_test, lin_kk_fit
from tests.impedance.synthetic import (
    add_noise,
    drift_low_frequency_half,
    impedance,
    inductor,
    log_frequencies,
    rc,
    series,
    solid_electrolyte,
)

# R0, R1, Q1, α1, R2, Q2, α2, Q3, α3 — bulk, grain boundary and electrode of oxide electrolytes
CIRCUITS = {
    "garnet": (50.0, 1e3, 2e-11, 0.95, 5e3, 1e-9, 0.8, 1e-6, 0.9),
    "resistive_gb": (10.0, 1e5, 1e-12, 0.9, 3e4, 1e-7, 0.7, 1e-7, 0.95),
    "broad_arcs": (200.0, 2e4, 1e-10, 0.6, 500.0, 1e-6, 0.6, 1e-6, 0.6),
    "ideal_capacitors": (1e4, 10.0, 1e-6, 1.0, 1e5, 1e-12, 1.0, 1e-8, 1.0),
}
F = log_frequencies(1e6, 1e-1, 10)  # 71 points, descending


def spectrum(name, noise=0.0, seed=0):
    z = impedance(solid_electrolyte(*CIRCUITS[name]), F)
    if noise:
        z = add_noise(z, noise, np.random.default_rng(seed))
    return z


@pytest.mark.parametrize("name", CIRCUITS)
def test_clean_noise_free_spectra_pass_with_tiny_residuals(name):
    result = kk_test(F, spectrum(name))
    assert isinstance(result, KKResult)
    assert result.passed, result.notes
    assert result.max_abs_residual < 0.003
    assert 1 <= result.num_elements <= F.size // 2


@pytest.mark.parametrize("name", CIRCUITS)
@pytest.mark.parametrize("seed", [0, 1])
def test_spectra_with_0p3_percent_noise_pass(name, seed):
    result = kk_test(F, spectrum(name, noise=0.003, seed=seed))
    assert result.passed, result.notes
    assert result.max_abs_residual < result.residual_threshold
    assert result.max_abs_trend < result.trend_threshold
    assert result.mu < result.mu_threshold  # the μ criterion stopped the search
    # noise-like: the residual rms is about the noise per component (0.3 %/√2)
    rms = np.sqrt(np.mean(np.r_[result.residual_real, result.residual_imag] ** 2))
    assert 0.001 < rms < 0.0025


@pytest.mark.parametrize("name", CIRCUITS)
@pytest.mark.parametrize("noise", [0.0, 0.003])
def test_drift_in_the_low_frequency_half_fails(name, noise):
    z = drift_low_frequency_half(F, spectrum(name, noise=noise, seed=3), amplitude=0.05)
    result = kk_test(F, z)
    assert not result.passed
    assert result.max_abs_trend > result.trend_threshold
    assert any("systematic" in note for note in result.notes)
    # the systematic deviation sits in the drifting (low-frequency) half
    low = np.median(F) > F
    trend = np.maximum(np.abs(result.trend_real), np.abs(result.trend_imag))
    assert trend[low].max() > trend[~low].max()


def test_frequency_order_does_not_matter():
    z = spectrum("garnet", noise=0.003, seed=4)
    perm = np.random.default_rng(0).permutation(F.size)
    a = kk_test(F, z)
    b = kk_test(F[perm], z[perm])
    c = kk_test(F[::-1], z[::-1])
    for other, idx in ((b, perm), (c, np.arange(F.size)[::-1])):
        assert other.num_elements == a.num_elements
        assert other.passed == a.passed
        np.testing.assert_allclose(other.residual_real, a.residual_real[idx], atol=1e-10)
        np.testing.assert_allclose(other.residual_imag, a.residual_imag[idx], atol=1e-10)
        np.testing.assert_allclose(other.trend_real, a.trend_real[idx], atol=1e-10)
        np.testing.assert_array_equal(other.frequency_hz, F[idx])


def test_voigt_circuit_is_fitted_exactly_and_elements_are_recovered():
    # two RC elements whose τ are on the Lin-KK grid for M = 2 and no extension
    f = log_frequencies(1e5, 1e-1, 10)
    tau = np.array([1 / (2 * np.pi * f.max()), 1 / (2 * np.pi * f.min())])
    z = impedance(series(rc(300.0, tau[0]), rc(700.0, tau[1])), f) + 25.0
    result = kk_test(f, z, num_elements=2, tau_extension_decades=0.0, add_capacitance=False)
    np.testing.assert_allclose(result.tau_s, tau)
    np.testing.assert_allclose(result.resistances_ohm, [300.0, 700.0], rtol=1e-8)
    assert result.series_resistance_ohm == pytest.approx(25.0, rel=1e-8)
    assert result.max_abs_residual < 1e-10
    assert result.capacitance_f is None and result.inductance_h is None


def test_series_capacitance_and_inductance_are_recovered():
    f = log_frequencies(1e6, 1e-1, 10)
    c_f, l_h = 2e-6, 5e-6  # ωL = 31 Ω at 1 MHz: an inductive high-frequency tail
    z = impedance(series(rc(1e3, 1e-5), inductor(l_h)), f) + 1.0 / (1j * 2 * np.pi * f * c_f)
    z = z + 10.0
    without = kk_test(f, z)
    assert not without.passed  # the inductive high-frequency tail is not an RC response
    result = kk_test(f, z, add_inductance=True)
    assert result.passed, result.notes
    assert result.capacitance_f == pytest.approx(c_f, rel=1e-3)
    assert result.inductance_h == pytest.approx(l_h, rel=1e-2)


def test_lin_kk_fit_matches_kk_test():
    z = spectrum("garnet")
    result = kk_test(F, z)
    fitted, mu = lin_kk_fit(F, z, result.num_elements)
    np.testing.assert_allclose(fitted, result.fitted_ohm)
    assert mu == pytest.approx(result.mu)


def test_result_is_immutable():
    result = kk_test(F, spectrum("garnet"))
    with pytest.raises(AttributeError):
        result.passed = False
    with pytest.raises(ValueError):
        result.residual_real[0] = 1.0


def test_pseudo_chi2_is_the_sum_of_squared_residuals():
    result = kk_test(F, spectrum("broad_arcs", noise=0.003))
    expected = np.sum(result.residual_real**2 + result.residual_imag**2)
    assert result.pseudo_chi2 == pytest.approx(expected)


@pytest.mark.parametrize(
    ("f", "z", "kwargs"),
    [
        ([1.0, 2.0, np.nan], [1, 2, 3], {}),
        ([1.0, 1.0, 2.0], [1, 2, 3], {}),
        ([1.0, -2.0, 3.0], [1, 2, 3], {}),
        ([1.0, 2.0], [1, 2], {}),
        ([1.0, 2.0, 3.0], [1, 2], {}),
        ([1.0, 2.0, 3.0], [1, 0, 3], {}),
        ([1.0, 2.0, 3.0], [1, 2, 3], {"mu_threshold": 1.5}),
        ([1.0, 2.0, 3.0], [1, 2, 3], {"residual_threshold": 0.0}),
        ([1.0, 2.0, 3.0], [1, 2, 3], {"num_elements": 0}),
        ([1.0, 2.0, 3.0], [1, 2, 3], {"tau_extension_decades": -1.0}),
    ],
)
def test_invalid_input_raises(f, z, kwargs):
    with pytest.raises(ImpedanceDataError):
        kk_test(np.asarray(f), np.asarray(z, dtype=complex), **kwargs)


resistance = st.floats(1.0, 5.0).map(lambda e: 10.0**e)  # 10 Ω … 100 kΩ
capacitance = st.floats(-12.0, -6.0).map(lambda e: 10.0**e)  # Q in 1e-12 … 1e-6
alpha = st.floats(0.6, 1.0)


@settings(max_examples=25, derandomize=True, deadline=None)
@given(
    r=st.tuples(resistance, resistance, resistance),
    q=st.tuples(capacitance, capacitance, capacitance),
    a=st.tuples(alpha, alpha, alpha),
    seed=st.integers(0, 2**32 - 1),
)
def test_random_clean_circuits_pass_and_their_drifted_versions_fail(r, q, a, seed):
    z = impedance(solid_electrolyte(r[0], r[1], q[0], a[0], r[2], q[1], a[1], q[2], a[2]), F)
    rng = np.random.default_rng(seed)
    clean = kk_test(F, add_noise(z, 0.003, rng))
    assert clean.passed, clean.notes
    drifted = kk_test(F, drift_low_frequency_half(F, add_noise(z, 0.003, rng)))
    assert not drifted.passed
