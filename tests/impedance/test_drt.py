"""DRT: peak positions and resistances of synthetic RC and ZARC spectra, options, validation."""

import numpy as np
import pytest

from ssblab.errors import ImpedanceDataError
from ssblab.impedance.drt import DRTPeak, DRTResult, drt
from tests.impedance.synthetic import (
    add_noise,
    impedance,
    inductor,
    log_frequencies,
    rc,
    resistor,
    series,
    zarc,
)

R0, R1, TAU1, R2, TAU2 = 100.0, 1e3, 1e-6, 5e3, 1e-3
F = log_frequencies(1e6, 1e-2, 10)  # 81 points, descending


def two_arcs(noise=0.0, seed=0, alpha=None):
    if alpha is None:
        element = series(resistor(R0), rc(R1, TAU1), rc(R2, TAU2))
    else:
        element = series(resistor(R0), zarc(R1, TAU1, alpha), zarc(R2, TAU2, alpha))
    z = impedance(element, F)
    if noise:
        z = add_noise(z, noise, np.random.default_rng(seed))
    return z


def main_peaks(result: DRTResult, n: int = 2) -> list[DRTPeak]:
    """The n peaks with the largest resistance, ascending in τ."""
    biggest = sorted(result.peaks, key=lambda p: p.resistance_ohm, reverse=True)[:n]
    return sorted(biggest, key=lambda p: p.tau_s)


def decades_off(peak: DRTPeak, tau: float) -> float:
    return abs(np.log10(peak.tau_s / tau))


@pytest.mark.parametrize(("noise", "seed"), [(0.0, 0), (0.003, 0), (0.003, 1), (0.003, 2)])
def test_two_rc_arcs_give_two_peaks_at_the_right_tau_and_r(noise, seed):
    result = drt(F, two_arcs(noise, seed))
    p1, p2 = main_peaks(result)
    assert decades_off(p1, TAU1) < 0.1
    assert decades_off(p2, TAU2) < 0.1
    assert p1.resistance_ohm == pytest.approx(R1, rel=0.10)
    assert p2.resistance_ohm == pytest.approx(R2, rel=0.10)
    # C = τ/R and f = 1/(2πτ) are reported consistently
    for peak in (p1, p2):
        assert peak.capacitance_f == pytest.approx(peak.tau_s / peak.resistance_ohm)
        assert peak.frequency_hz == pytest.approx(1 / (2 * np.pi * peak.tau_s))
        assert peak.inside_measured_range
        lo, hi = peak.tau_bounds_s
        assert lo < peak.tau_s < hi
    assert p1.capacitance_f == pytest.approx(TAU1 / R1, rel=0.3)
    assert result.r_inf_ohm == pytest.approx(R0, rel=0.1)
    assert result.polarization_resistance_ohm == pytest.approx(R1 + R2, rel=0.05)
    # any further peak is a small ripple
    others = [p for p in result.peaks if p not in (p1, p2)]
    assert sum(p.resistance_ohm for p in others) < 0.05 * (R1 + R2)
    assert result.lam_method == "gcv"
    assert result.lam in result.lam_grid


@pytest.mark.parametrize(("noise", "seed"), [(0.0, 0), (0.003, 0), (0.003, 1)])
def test_zarc_peaks_sit_at_tau0(noise, seed):
    alpha = 0.8
    result = drt(F, two_arcs(noise, seed, alpha=alpha))
    p1, p2 = main_peaks(result)
    # τ0 = (R Q)^(1/α); the helper builds Q = τ0^α / R
    assert decades_off(p1, TAU1) < 0.1
    assert decades_off(p2, TAU2) < 0.1
    assert p1.resistance_ohm == pytest.approx(R1, rel=0.15)
    assert p2.resistance_ohm == pytest.approx(R2, rel=0.15)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"lam": "lcurve"},
        {"basis": "gaussian"},
        {"penalty_order": 1},
        {"weighting": "unit"},
        {"lam": 1e-3},
        {"points_per_decade": 20, "extend_decades": 0.5},
    ],
)
def test_options_still_find_the_two_arcs(kwargs):
    result = drt(F, two_arcs(0.003, seed=5), **kwargs)
    p1, p2 = main_peaks(result)
    assert decades_off(p1, TAU1) < 0.1
    assert decades_off(p2, TAU2) < 0.1
    assert p1.resistance_ohm == pytest.approx(R1, rel=0.1)
    assert p2.resistance_ohm == pytest.approx(R2, rel=0.1)
    if "lam" in kwargs and not isinstance(kwargs["lam"], str):
        assert result.lam == kwargs["lam"]
        assert result.lam_method == "fixed"
        assert result.lam_grid.size == 0


def test_tau_grid_spans_the_measured_range_plus_one_decade():
    result = drt(F, two_arcs())
    lo = 1 / (2 * np.pi * F.max()) / 10
    hi = 1 / (2 * np.pi * F.min()) * 10
    assert result.tau_s[0] == pytest.approx(lo)
    assert result.tau_s[-1] == pytest.approx(hi)
    spacing = np.diff(np.log10(result.tau_s))
    np.testing.assert_allclose(spacing, 0.1, rtol=1e-9)
    assert np.all(result.gamma_ohm >= 0)


def test_fit_reproduces_the_spectrum():
    z = two_arcs(0.003, seed=3)
    result = drt(F, z)
    np.testing.assert_allclose(result.residual_real, ((z - result.fitted_ohm) / abs(z)).real)
    rms = np.sqrt(np.mean(np.r_[result.residual_real, result.residual_imag] ** 2))
    assert rms < 0.005


def test_frequency_order_does_not_matter():
    z = two_arcs(0.003, seed=4)
    perm = np.random.default_rng(1).permutation(F.size)
    a = drt(F, z)
    b = drt(F[perm], z[perm])
    assert a.lam == b.lam
    np.testing.assert_allclose(b.gamma_ohm, a.gamma_ohm, rtol=1e-6, atol=1e-6 * a.gamma_ohm.max())
    np.testing.assert_allclose(b.fitted_ohm, a.fitted_ohm[perm], rtol=1e-6)
    assert [p.tau_s for p in b.peaks] == pytest.approx([p.tau_s for p in a.peaks], rel=1e-6)


def test_series_inductance_is_recovered():
    l_h = 2e-6  # 13 Ω at 1 MHz
    z = impedance(series(resistor(R0), rc(R1, TAU1), rc(R2, TAU2), inductor(l_h)), F)
    result = drt(F, z, add_inductance=True)
    assert result.inductance_h == pytest.approx(l_h, rel=0.1)
    p1, p2 = main_peaks(result)
    assert decades_off(p1, TAU1) < 0.1 and decades_off(p2, TAU2) < 0.1
    assert drt(F, z).inductance_h is None


def test_single_rc_gives_one_dominant_peak():
    f = log_frequencies(1e5, 1e-1, 10)
    z = impedance(series(resistor(20.0), rc(2e3, 1e-3)), f)
    result = drt(f, z)
    (peak,) = main_peaks(result, n=1)
    assert decades_off(peak, 1e-3) < 0.05
    assert peak.resistance_ohm == pytest.approx(2e3, rel=0.05)
    assert peak.capacitance_f == pytest.approx(0.5e-6, rel=0.1)


def test_result_is_immutable():
    result = drt(F, two_arcs())
    with pytest.raises(AttributeError):
        result.lam = 1.0
    with pytest.raises(ValueError):
        result.gamma_ohm[0] = 1.0


@pytest.mark.parametrize(
    ("f", "z", "kwargs"),
    [
        ([1.0, 2.0, 3.0, np.inf], [1, 2, 3, 4], {}),
        ([1.0, 2.0, 2.0, 3.0], [1, 2, 3, 4], {}),
        ([0.0, 2.0, 3.0, 4.0], [1, 2, 3, 4], {}),
        ([1.0, 2.0, 3.0], [1, 2, 3], {}),
        ([1.0, 2.0, 3.0, 4.0], [1, 2, 3], {}),
        ([1.0, 2.0, 3.0, 4.0], [1, 2, 3, 4], {"lam": "aic"}),
        ([1.0, 2.0, 3.0, 4.0], [1, 2, 3, 4], {"lam": -1.0}),
        ([1.0, 2.0, 3.0, 4.0], [1, 2, 3, 4], {"basis": "spline"}),
        ([1.0, 2.0, 3.0, 4.0], [1, 2, 3, 4], {"penalty_order": 3}),
        ([1.0, 2.0, 3.0, 4.0], [1, 2, 3, 4], {"lam_grid": [1e-3, 0.0, 1.0]}),
        ([1.0, 2.0, 3.0, 4.0], [1, 2, 3, 4], {"gcv_robustness": 0.0}),
        ([1.0, 2.0, 3.0, 4.0], [1, 2, 3, 4], {"points_per_decade": 0}),
    ],
)
def test_invalid_input_raises(f, z, kwargs):
    with pytest.raises(ImpedanceDataError):
        drt(np.asarray(f), np.asarray(z, dtype=complex), **kwargs)
