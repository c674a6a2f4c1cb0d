"""Process assignment, conductivities, ASR and Arrhenius against closed forms."""

import json
from pathlib import Path

import numpy as np
import pytest

from ssblab.errors import SsblabInputError
from ssblab.impedance.arrhenius import K_B_EV, arrhenius_fit
from ssblab.impedance.circuits import Circuit
from ssblab.impedance.fitting import fit, fit_many
from ssblab.impedance.interpretation import EPSILON_0, Geometry, interpret
from ssblab.impedance.suggest import suggest_circuit

FREQ = np.logspace(7, -1, 81)
GEOMETRY = Geometry.disc(0.5e-3, 12e-3)  # seed 000 pellet
SERIES = Path(__file__).resolve().parents[2] / "examples" / "eis" / "llzto_pellet_series"


def pellet(sigma_bulk_s_m=0.02, sigma_gb_s_m=0.008, eps_bulk=60.0, gb_factor=200.0):
    cell = GEOMETRY.cell_constant_per_m
    c_b = eps_bulk * EPSILON_0 / cell
    params = [5.0, cell / sigma_bulk_s_m, c_b, 1.0, cell / sigma_gb_s_m, c_b * gb_factor, 1.0,
              1e-6, 0.9]  # fmt: skip
    return "R0-p(R1,CPE1)-p(R2,CPE2)-CPE3", params


def test_pellet_conductivities_permittivity_and_brick_layer():
    text, params = pellet()
    z = Circuit(text).impedance(FREQ, params)
    it = interpret(fit(text, FREQ, z), GEOMETRY, frequency_hz=FREQ, impedance_ohm=z)
    bulk, gb = it.arcs
    assert (bulk.assignment, gb.assignment) == ("bulk", "grain_boundary")
    assert bulk.relative_permittivity == pytest.approx(60.0, rel=1e-3)
    assert it.sigma_bulk_S_m == pytest.approx(0.02, rel=1e-4)
    assert it.sigma_total_S_m == pytest.approx(1 / (1 / 0.02 + 1 / 0.008), rel=1e-4)
    assert it.sigma_gb_apparent_S_m == pytest.approx(0.008, rel=1e-4)
    # brick layer: σ_gb,sp = σ_gb,app · C_bulk/C_gb
    assert it.sigma_gb_specific_S_m == pytest.approx(0.008 / 200, rel=1e-3)
    assert it.asr_per_interface_ohm_m2 is None


def test_errors_propagate_from_fit_and_geometry():
    text, params = pellet()
    rng = np.random.default_rng(3)
    z = Circuit(text).impedance(FREQ, params)
    z = z * (1 + 0.003 * (rng.normal(size=z.size) + 1j * rng.normal(size=z.size)))
    result = fit(text, FREQ, z)
    exact = interpret(result, GEOMETRY, frequency_hz=FREQ, impedance_ohm=z)
    geometry = Geometry.disc(0.5e-3, 12e-3, thickness_err_m=0.01e-3)
    with_geometry = interpret(result, geometry, frequency_hz=FREQ, impedance_ohm=z)
    r_rel = exact.arcs[0].resistance_err_ohm / exact.arcs[0].resistance_ohm
    assert exact.sigma_bulk_err_S_m / exact.sigma_bulk_S_m == pytest.approx(r_rel)
    expected = np.hypot(r_rel, 0.02)
    assert with_geometry.sigma_bulk_err_S_m / with_geometry.sigma_bulk_S_m == pytest.approx(
        expected
    )


def test_symmetric_cell_asr_convention():
    # Li | SSE | Li: bulk, grain boundary, and the two Li interfaces as one slow arc
    text = "R0-p(R1,CPE1)-p(R2,CPE2)-p(R3,CPE3)"
    _, base = pellet()
    r_int, c_int = 400.0, 1e-6  # C* = 1e-6 F * 4.42 m^-1 / 100 = 4.4e-8 F/cm: surface layer
    params = [*base[:7], r_int, c_int, 1.0]
    z = Circuit(text).impedance(FREQ, params)
    it = interpret(
        fit(text, FREQ, z), GEOMETRY, cell="symmetric", frequency_hz=FREQ, impedance_ohm=z
    )
    assert [a.assignment for a in it.arcs] == ["bulk", "grain_boundary", "surface_layer"]
    assert it.asr_per_interface_ohm_m2 == pytest.approx(r_int * GEOMETRY.area_m2 / 2, rel=1e-4)
    assert "A / 2" in it.to_dict()["asr_convention"]


def test_unresolved_bulk_uses_series_resistance():
    text = "R0-p(R1,CPE1)-CPE2"
    cell = GEOMETRY.cell_constant_per_m
    params = [cell / 0.05, cell / 0.02, 60 * EPSILON_0 / cell * 200, 1.0, 1e-6, 0.9]
    z = Circuit(text).impedance(FREQ, params)
    it = interpret(fit(text, FREQ, z), GEOMETRY, frequency_hz=FREQ, impedance_ohm=z)
    assert it.sigma_bulk_S_m == pytest.approx(0.05, rel=1e-4)
    assert it.bulk_resolved and it.bulk_source == "intercept R0"
    assert any("intercept R0 is taken as the bulk" in n for n in it.notes)


def test_geometry_validation():
    with pytest.raises(SsblabInputError, match="thickness must be positive"):
        Geometry(0.0, 1e-4)
    with pytest.raises(SsblabInputError, match="diameter must be positive"):
        Geometry.disc(1e-3, -1.0)
    z = Circuit("R0-p(R1,C1)").impedance(FREQ, [1, 2, 3e-9])
    with pytest.raises(SsblabInputError, match="cell"):
        interpret(fit("R0-p(R1,C1)", FREQ, z), GEOMETRY, cell="coin", frequency_hz=FREQ,
                  impedance_ohm=z)  # fmt: skip


def test_arrhenius_recovers_activation_energy_both_forms():
    t = np.array([25, 45, 65, 85, 105]) + 273.15
    sigma_t = 1e5 / t * np.exp(-0.40 / (K_B_EV * t))  # σT = A exp(−Ea/kT)
    fitted = arrhenius_fit(t, sigma_t)
    assert fitted.activation_energy_eV == pytest.approx(0.40, abs=1e-9)
    assert fitted.sigma_extrapolated_S_m == pytest.approx(sigma_t[0], rel=1e-9)
    sigma = 30.0 * np.exp(-0.33 / (K_B_EV * t))
    assert arrhenius_fit(t, sigma, model="sigma").activation_energy_eV == pytest.approx(0.33)


def test_arrhenius_confidence_band_has_its_nominal_coverage():
    rng = np.random.default_rng(5)
    t = np.array([25, 45, 65, 85, 105]) + 273.15
    truth = 1e5 / t * np.exp(-0.40 / (K_B_EV * t))
    covered, ea_within = [], []
    for _ in range(400):
        noisy = truth * np.exp(0.02 * rng.normal(size=t.size))
        result = arrhenius_fit(t, noisy, 0.02 * noisy)
        low, high = result.sigma_extrapolated_band_S_m
        covered.append(low < truth[0] < high)
        ea_within.append(abs(result.activation_energy_eV - 0.40) < result.activation_energy_err_eV)
    assert 0.92 < np.mean(covered) < 0.98  # a 95 % band
    assert 0.55 < np.mean(ea_within) < 0.80  # ±1 standard error: ~68 % (t with 3 dof: ~61 %)


def test_arrhenius_flags_a_reported_value_that_disagrees():
    t = np.array([25, 45, 65, 85, 105]) + 273.15
    sigma = 1e5 / t * np.exp(-0.40 / (K_B_EV * t)) * (1 + 0.01 * np.array([1, -1, 0.5, -0.5, 0]))
    assert arrhenius_fit(t, sigma, reported_activation_energy_eV=0.33).agrees_with_reported is False
    assert arrhenius_fit(t, sigma, reported_activation_energy_eV=0.40).agrees_with_reported is True


def test_seed002_llto_two_point_activation_energy():
    """Seed 002 prints σ = 9.56e-6 S/cm (RT) and 7.78e-5 S/cm (120 °C) but Ea = 0.33 eV."""
    t = np.array([298.15, 393.15])
    sigma = np.array([9.56e-4, 7.78e-3])  # S/m
    plain = arrhenius_fit(t, sigma, model="sigma", reported_activation_energy_eV=0.33)
    with_t = arrhenius_fit(t, sigma, model="sigmaT", reported_activation_energy_eV=0.33)
    assert plain.activation_energy_eV == pytest.approx(0.223, abs=0.001)
    assert with_t.activation_energy_eV == pytest.approx(0.252, abs=0.001)
    assert plain.agrees_with_reported is False and with_t.agrees_with_reported is False


@pytest.mark.parametrize(
    ("t", "sigma", "message"),
    [([300.0], [1.0], "at least two"), ([300.0, 300.0], [1.0, 2.0], "different"),
     ([300.0, -1.0], [1.0, 2.0], "positive")],
)  # fmt: skip
def test_arrhenius_bad_input(t, sigma, message):
    with pytest.raises(SsblabInputError, match=message):
        arrhenius_fit(t, sigma)


@pytest.mark.parametrize(
    ("text", "params"),
    [
        ("R0-p(R1,CPE1)-p(R2,CPE2)-CPE3", [10, 1e3, 1e-10, 0.9, 5e3, 1e-8, 0.8, 1e-6, 0.9]),
        (
            "R0-p(R1,CPE1)-p(R2,CPE2)-p(R3,CPE3)",
            [20, 500, 1e-9, 0.95, 2e3, 1e-6, 0.8, 1e4, 1e-4, 0.7],
        ),
        ("R0-p(R1,CPE1)-CPE2", [50, 1e4, 1e-10, 0.85, 1e-7, 0.8]),
    ],
)
def test_suggested_circuit_is_the_true_one(text, params):
    rng = np.random.default_rng(1)
    z = Circuit(text).impedance(FREQ, params)
    z = z * (1 + 0.003 * (rng.normal(size=z.size) + 1j * rng.normal(size=z.size)))
    assert suggest_circuit(FREQ, z).circuit == text


def test_sequential_fit_of_a_temperature_series_matches_independent_fits():
    text, params = pellet()
    spectra = []
    for factor in (1.0, 1.5, 2.2, 3.3):  # resistances growing as the sample cools
        p = list(params)
        p[1] *= factor
        p[4] *= factor**1.2
        spectra.append((FREQ, Circuit(text).impedance(FREQ, p)))
    sequential = fit_many(text, spectra, sequential=True)
    independent = fit_many(text, spectra)
    for a, b in zip(sequential, independent, strict=True):
        np.testing.assert_allclose(a.parameters, b.parameters, rtol=1e-4)


def test_bundled_series_gives_back_its_ground_truth():
    from ssblab.io.eis import read_eis

    truth = json.loads((SERIES / "truth.json").read_text())
    for entry in truth["spectra"]:
        (spectrum,) = read_eis(SERIES / entry["file"])
        f, z = spectrum.frequency_hz, spectrum.impedance_ohm
        it = interpret(fit(entry["circuit"], f, z), GEOMETRY, frequency_hz=f, impedance_ohm=z)
        assert it.sigma_bulk_S_m == pytest.approx(entry["sigma_bulk_S_m"], rel=0.01)
        assert it.sigma_total_S_m == pytest.approx(entry["sigma_total_S_m"], rel=0.01)
