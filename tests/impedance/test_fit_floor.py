"""The spectrum's noise floor: one yardstick per spectrum, with the same ingredients as the
circuits (an inductive branch and a blocking/diffusion tail are not noise)."""

from __future__ import annotations

import numpy as np
import pytest

from ssblab.impedance.circuits import Circuit
from ssblab.impedance.fitting import fit
from ssblab.impedance.floor import (
    has_tail,
    is_inductive,
    spectrum_noise_floor,
    voigt_nnls,
)
from ssblab.impedance.initial import noise_floor

FREQ = np.logspace(6, -2, 81)


def spectrum(text, params, seed=0, level=0.003):
    rng = np.random.default_rng(seed)
    z = Circuit(text).impedance(FREQ, params)
    return z * (1 + level * (rng.normal(size=z.size) + 1j * rng.normal(size=z.size)))


INDUCTIVE = ("L0-R0-p(R1,CPE1)-CPE2", [2e-6, 5.0, 300.0, 3e-6, 0.85, 2e-5, 0.8])
CAPACITIVE = ("R0-p(R1,CPE1)-p(R2,CPE2)", [20.0, 500.0, 1e-9, 0.95, 2e3, 1e-6, 0.8])


def test_floor_is_the_same_for_every_candidate_circuit():
    z = spectrum(*INDUCTIVE)
    values = {
        noise_floor(Circuit(text), FREQ, z)
        for text in ("R0-p(R1,CPE1)", "L0-R0-p(R1,CPE1)-CPE2", "La0-R0-p(R1,CPE1)-Wo1")
    }
    assert len(values) == 1
    assert values.pop() == spectrum_noise_floor(FREQ, z).chi2


def test_inductive_spectrum_keeps_its_inductance_out_of_the_noise():
    z = spectrum(*INDUCTIVE)
    assert is_inductive(FREQ, z)
    floor = spectrum_noise_floor(FREQ, z)
    assert floor.inductive
    assert floor.inductance_h == pytest.approx(2e-6, rel=0.2)
    without = voigt_nnls(FREQ, z, inductive_exponents=(), tail_exponents=floor.tail_exponents)
    assert without["chi2"] > 10 * floor.chi2  # without the L column the "floor" is misfit
    # the true circuit reaches the floor, and the floor accepts it
    result = fit(INDUCTIVE[0], FREQ, z, initial=INDUCTIVE[1])
    assert floor.accepts(result.chi2, 7)
    assert result.chi2 >= floor.chi2 * 0.98


def test_capacitive_spectrum_has_no_inductance_and_no_tail():
    z = spectrum(*CAPACITIVE)
    floor = spectrum_noise_floor(FREQ, z)
    assert not floor.inductive and not has_tail(FREQ, z)
    assert floor.tail_exponents == ()
    # arcs well inside the window: the inductance column stays (near) empty
    resolved = spectrum("R0-p(R1,CPE1)-p(R2,CPE2)", [20.0, 500.0, 1e-7, 0.95, 2e3, 1e-5, 0.8])
    inductance = spectrum_noise_floor(FREQ, resolved).inductance_h
    assert 2 * np.pi * FREQ[0] * inductance < 0.01 * np.abs(resolved[0])


@pytest.mark.parametrize(
    ("text", "params", "kind"),
    [
        ("R0-p(R1,CPE1)-CPE2", [20.0, 1e3, 1e-9, 0.9, 1e-5, 0.7], "CPE"),
        ("R0-p(R1,CPE1)-W1", [20.0, 1e3, 1e-9, 0.9, 300.0], "W"),
        ("R0-p(R1,CPE1)-Wo1", [20.0, 1e3, 1e-9, 0.9, 500.0, 10.0], "Wo"),
    ],
)
def test_tail_columns_follow_the_tail(text, params, kind):
    z = spectrum(text, params)
    floor = spectrum_noise_floor(FREQ, z)
    assert has_tail(FREQ, z)
    expected = {"CPE": 0.7, "W": 0.5, "Wo": 1.0}[kind]
    assert min(abs(b - expected) for b in floor.tail_exponents) < 0.1
    result = fit(text, FREQ, z, initial=params)
    assert floor.accepts(result.chi2, len(params))


def test_finite_length_warburg_needs_no_tail_column():
    z = spectrum("R0-p(R1,CPE1)-Ws1", [20.0, 1e3, 1e-9, 0.9, 500.0, 2.0])
    assert not has_tail(FREQ, z)
    floor = spectrum_noise_floor(FREQ, z)
    result = fit("R0-p(R1,CPE1)-Ws1", FREQ, z, initial=[20.0, 1e3, 1e-9, 0.9, 500.0, 2.0])
    assert floor.accepts(result.chi2, 6)


@pytest.mark.parametrize("level", [0.001, 0.003, 0.01])
def test_floor_measures_the_noise(level):
    # modulus weighting with relative noise ε per component: χ² ≈ ε² (2N − k)
    z = spectrum(*CAPACITIVE, seed=3, level=level)
    floor = spectrum_noise_floor(FREQ, z)
    assert floor.sigma2 == pytest.approx(level**2, rel=0.3)


def test_wrong_circuit_is_rejected_by_the_floor():
    z = spectrum("R0-p(R1,CPE1)-p(R2,CPE2)-CPE3", [20, 500, 1e-9, 0.95, 2e3, 1e-6, 0.8, 1e-5, 0.8])
    floor = spectrum_noise_floor(FREQ, z)
    one_arc = fit("R0-p(R1,CPE1)-CPE2", FREQ, z)
    assert not floor.accepts(one_arc.chi2, 6)
    assert one_arc.noise_floor_chi2 == floor.chi2


def test_numpy_and_scipy_nnls_give_the_same_floor(monkeypatch):
    from ssblab.impedance import floor as floor_module

    z = spectrum("R0-p(R1,CPE1)-p(R2,CPE2)-CPE3", [20, 500, 1e-9, 0.95, 2e3, 1e-6, 0.8, 1e-5, 0.8])
    monkeypatch.setattr(floor_module, "_NNLS_CALLS", [0])  # NumPy solver
    first = spectrum_noise_floor(FREQ, z)
    monkeypatch.setattr(floor_module, "_NNLS_CALLS", [10**6])  # SciPy solver
    later = spectrum_noise_floor(FREQ, z)
    assert first.chi2 == pytest.approx(later.chi2, rel=1e-9)
    assert first.n_active == later.n_active
