"""Fade models, knee detection and end of life on synthetic series."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ssblab.cycling.fade import detect_knee, fade_from_fullcell, fit_fade
from ssblab.cycling.fullcell import fullcell_metrics
from ssblab.cycling.synthetic_fullcell import fullcell_trace
from ssblab.errors import SsblabInputError

CYCLES = np.arange(1, 1001, dtype=float)


def knee_series(seed, noise, *, knee=900.0, slow=0.01, fast=0.1, start=100.0):
    """Retention (%): slow linear fade, then a fast linear fade after ``knee``, with noise."""
    y = start - slow * CYCLES - fast * np.maximum(CYCLES - knee, 0.0)
    return y + noise * np.random.default_rng(seed).normal(size=CYCLES.size)


@pytest.mark.parametrize("noise", [0.1, 0.3, 0.5, 1.0])
@pytest.mark.parametrize("seed", range(5))
def test_knee_at_900_within_20_cycles(seed, noise):
    knee = detect_knee(CYCLES, knee_series(seed, noise))
    assert abs(knee.knee_cycle - 900) <= 20
    assert knee.detected
    assert knee.knee_ci[0] <= knee.knee_cycle <= knee.knee_ci[1]
    assert knee.slope_before == pytest.approx(0.01, abs=0.002)
    assert knee.slope_after == pytest.approx(0.11, abs=0.02)


@pytest.mark.parametrize(("slow", "fast", "seed"), [(0.005, 0.05, 1), (0.02, 0.3, 2)])
def test_knee_other_slopes_in_capacity_units(slow, fast, seed):
    capacity = 1.7 * knee_series(seed, 0.4, slow=slow, fast=fast)  # mAh/g-like scale
    result = fit_fade(CYCLES, capacity)
    assert result.best_model == "piecewise"
    assert abs(result.knee.knee_cycle - 900) <= 20
    assert abs(result.best.params["n_k"] - 900) <= 20


def test_no_knee_on_linear_or_decelerating_fade():
    rng = np.random.default_rng(3)
    linear = 100 - 0.02 * CYCLES + 0.3 * rng.normal(size=CYCLES.size)
    assert not detect_knee(CYCLES, linear).detected
    sei = 100 - 0.8 * np.sqrt(CYCLES - 1) + 0.3 * rng.normal(size=CYCLES.size)
    knee = detect_knee(CYCLES, sei)
    assert not knee.detected and knee.slope_after < knee.slope_before


@pytest.mark.parametrize(
    ("model", "truth"),
    [
        ("linear", lambda n: 170 - 0.05 * n),
        ("sqrt", lambda n: 170 - 2.0 * np.sqrt(n)),
        ("exponential", lambda n: 170 * np.exp(-1.5e-3 * n)),
        ("power", lambda n: 170 - 2e-4 * n**1.8),
    ],
)
def test_model_selection_recovers_generating_model(model, truth):
    n = np.arange(0, 500, 2, dtype=float)
    y = truth(n) + 0.2 * np.random.default_rng(7).normal(size=n.size)
    result = fit_fade(n + 3, y, models=("linear", "sqrt", "exponential", "power"))
    assert result.best_model == model
    aic = fit_fade(n + 3, y, models=("linear", "sqrt", "exponential", "power"), criterion="aic")
    assert aic.best_model == model


def test_linear_parameters_confidence_intervals_and_eol():
    n = np.arange(1, 301, dtype=float)
    y = 100 - 0.02 * (n - 1) + 0.2 * np.random.default_rng(11).normal(size=n.size)
    result = fit_fade(n, y, models=("linear",), reference_capacity=100.0)
    fit = result.fits["linear"]
    lo, hi = fit.ci["a"]
    assert lo < 0.02 < hi and hi - lo < 0.002
    assert fit.params["q0"] == pytest.approx(100, abs=0.1)
    assert result.eol_threshold == pytest.approx(80.0)
    assert result.eol_cycle == pytest.approx(1001, rel=0.03)
    assert result.eol_ci[0] < 1001 < result.eol_ci[1]
    assert fit.eol_extrapolated
    assert result.eol_observed_cycle is None
    assert fit.predict([1.0, 1001.0]) == pytest.approx(
        [fit.params["q0"], fit.params["q0"] - 1000 * fit.params["a"]]
    )


def test_bootstrap_eol_interval_agrees_with_delta_method():
    n = np.arange(1, 201, dtype=float)
    y = 100 - 0.1 * (n - 1) + 0.3 * np.random.default_rng(5).normal(size=n.size)
    delta = fit_fade(n, y, models=("linear", "sqrt"), reference_capacity=100.0)
    boot = fit_fade(
        n, y, models=("linear", "sqrt"), reference_capacity=100.0,
        eol_uncertainty="bootstrap", n_bootstrap=100,
    )  # fmt: skip
    assert boot.eol_uncertainty == "bootstrap"
    assert boot.eol_cycle == delta.eol_cycle == pytest.approx(201, abs=3)
    width_delta = delta.eol_ci[1] - delta.eol_ci[0]
    width_boot = boot.eol_ci[1] - boot.eol_ci[0]
    assert boot.eol_ci[0] < 201 < boot.eol_ci[1]
    assert 0.5 < width_boot / width_delta < 2.0
    assert boot.eol_observed_cycle is not None


def test_eol_after_knee_and_never():
    result = fit_fade(CYCLES, knee_series(0, 0.3), reference_capacity=100.0)
    # 80 % of 100 is reached at 900 + (91 − 80)/0.11 = 1000
    assert result.eol_cycle == pytest.approx(1000, abs=5)
    assert result.eol_ci[0] < result.eol_cycle < result.eol_ci[1]
    flat = fit_fade(CYCLES[:50], 100 + 0.01 * CYCLES[:50], models=("linear",))
    assert flat.eol_cycle is None and flat.eol_ci is None
    assert any("never" in note for note in flat.best.notes)
    json.dumps(result.to_dict())
    json.dumps(flat.to_dict())


def test_fade_from_fullcell_trace():
    capacity = np.linspace(171.9, 140.0, 60)
    table = fullcell_trace(
        capacity, nominal_capacity=180.0, active_mass_g=2e-3, c_rate=0.5,
        formation_cycles=2, formation_capacity=185.0, noise_V=0.002,
    )  # fmt: skip
    metrics = fullcell_metrics(table, active_mass_g=2e-3)
    result = fade_from_fullcell(metrics, column="discharge_mAh_g", models=("linear", "sqrt"))
    assert result.n_points == 60
    assert result.reference_capacity == pytest.approx(171.9)
    assert result.best_model == "linear"
    assert result.best.params["a"] == pytest.approx((171.9 - 140.0) / 59, rel=1e-6)
    expected = 3 + (171.9 * 0.2) / ((171.9 - 140.0) / 59)
    assert result.eol_cycle == pytest.approx(expected, rel=1e-6)
    with pytest.raises(SsblabInputError, match="NaN"):
        fade_from_fullcell(fullcell_metrics(table), column="discharge_mAh_g")


def test_fade_errors():
    with pytest.raises(SsblabInputError, match="at least 3"):
        fit_fade([1, 2], [1.0, 0.9])
    with pytest.raises(SsblabInputError, match="equal length"):
        fit_fade([1, 2, 3], [1.0, 0.9])
    with pytest.raises(SsblabInputError, match="increasing"):
        fit_fade([1, 3, 2], [1.0, 0.9, 0.8])
    with pytest.raises(SsblabInputError, match="non-finite"):
        fit_fade([1, 2, 3], [1.0, np.nan, 0.8])
    with pytest.raises(SsblabInputError, match="models"):
        fit_fade([1, 2, 3], [1.0, 0.9, 0.8], models=("cubic",))
    with pytest.raises(SsblabInputError, match="criterion"):
        fit_fade([1, 2, 3], [1.0, 0.9, 0.8], criterion="r2")
    with pytest.raises(SsblabInputError, match="eol_fraction"):
        fit_fade([1, 2, 3], [1.0, 0.9, 0.8], eol_fraction=80)
    with pytest.raises(SsblabInputError, match="eol_uncertainty"):
        fit_fade([1, 2, 3], [1.0, 0.9, 0.8], eol_uncertainty="mc")
    with pytest.raises(SsblabInputError, match="reference_capacity"):
        fit_fade([1, 2, 3], [1.0, 0.9, 0.8], reference_capacity=-1)
    with pytest.raises(SsblabInputError, match="knee detection"):
        detect_knee([1, 2, 3, 4], [1.0, 0.9, 0.8, 0.7])
