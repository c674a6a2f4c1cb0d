"""Symmetric-cell analysis on synthetic traces built from the seeds' conditions."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssblab.cycling.data import tidy_table
from ssblab.cycling.symmetric import analyse_symmetric, eis_consistency
from ssblab.cycling.synthetic_symmetric import staircase_trace, symmetric_trace
from ssblab.errors import SsblabInputError

AREA = np.pi * (6e-3) ** 2  # 12 mm electrodes (seed 000 pellets)
MA_CM2 = 10.0  # 1 mA/cm² in A/m²


def test_seed000_bare_llzto_shorts_at_60_h():
    """Seed 000: Li/LLZTO/Li at 1 mA/cm² fails after ~60 h."""
    trace = symmetric_trace(
        current_density_A_m2=1 * MA_CM2,
        area_m2=AREA,
        step_h=0.5,
        cycles=100,
        asr_ohm_m2=50e-4,
        short_at_h=60.0,
        noise_V=0.002,
    )
    result = analyse_symmetric(trace, AREA)
    assert result.short.detected and result.short.kind == "hard"
    assert result.lifetime_h == pytest.approx(60.0, abs=1.0)
    assert result.to_dict()["short_circuit"] is True
    assert result.short.confidence > 0.9


def test_seed000_annealed_llzto_runs_200_h_without_short():
    trace = symmetric_trace(
        current_density_A_m2=1 * MA_CM2,
        area_m2=AREA,
        step_h=0.5,
        cycles=200,
        asr_ohm_m2=30e-4,
        noise_V=0.002,
    )
    result = analyse_symmetric(trace, AREA)
    assert not result.short.detected
    assert result.lifetime_h is None and result.to_dict()["lifetime_h"] is None
    assert result.half_cycles["end_h"].max() == pytest.approx(200.0, abs=0.01)


def test_seed004_overpotential_gives_asr_350_kohm_cm2():
    """Seed 004: 0.01 mA/cm², 1 h steps, η = 3.5 V → ASR = 3.5 V / 1e-5 A/cm² = 350 kΩ·cm²."""
    trace = symmetric_trace(
        current_density_A_m2=0.01 * MA_CM2,
        area_m2=AREA,
        step_h=1.0,
        cycles=300,
        asr_ohm_m2=3.5 / 0.1,
        noise_V=0.01,
    )
    result = analyse_symmetric(trace, AREA)
    half = result.to_dict()["half_cycles"]
    assert len(half) == 600
    assert {h["kind"] for h in half} == {"strip", "plate"}
    assert np.median([h["overpotential_V"] for h in half]) == pytest.approx(3.5, rel=1e-3)
    assert np.median([h["asr_ohm_cm2"] for h in half]) == pytest.approx(350e3, rel=1e-3)
    assert half[0]["start_h"] == 0 and half[0]["end_h"] == pytest.approx(1.0, abs=1e-3)


def test_asr_drift_is_recovered():
    trace = symmetric_trace(
        current_density_A_m2=0.1,
        area_m2=AREA,
        step_h=1.0,
        cycles=150,
        asr_ohm_m2=1.0,
        asr_drift_ohm_m2_per_h=0.01,
        noise_V=0.005,
    )
    result = analyse_symmetric(trace, AREA)
    assert result.asr_slope_ohm_m2_per_h == pytest.approx(0.01, rel=0.02)
    assert result.asr_initial_ohm_m2 == pytest.approx(1.0, rel=0.02)
    # hysteresis = η_strip + η_plate ≈ 2 J ASR
    assert result.hysteresis["hysteresis_V"].iloc[0] == pytest.approx(2 * 0.1 * 1.0, rel=0.05)


@settings(max_examples=15, deadline=None)
@given(st.floats(min_value=2.0, max_value=95.0), st.integers(min_value=0, max_value=10_000))
def test_short_time_is_found_within_a_sample_wherever_it_happens(short_at_h, seed):
    trace = symmetric_trace(
        current_density_A_m2=MA_CM2,
        area_m2=AREA,
        step_h=0.5,
        cycles=100,
        asr_ohm_m2=50e-4,
        short_at_h=short_at_h,
        noise_V=0.002,
        seed=seed,
    )
    result = analyse_symmetric(trace, AREA)
    assert result.short.detected
    assert abs(result.lifetime_h - short_at_h) <= 60 / 3600 + 1e-9  # one 60 s sample


def test_soft_short_from_noise_bursts():
    trace = symmetric_trace(
        current_density_A_m2=MA_CM2,
        area_m2=AREA,
        step_h=0.5,
        cycles=60,
        asr_ohm_m2=50e-4,
        noise_V=0.0005,
        seed=1,
    )
    rng = np.random.default_rng(2)
    hours = trace["time_s"] / 3600
    noisy = hours >= 40.0
    # a filament that connects and breaks: random dips to near zero and spikes
    trace.loc[noisy, "voltage_V"] *= rng.choice(
        [1.0, 0.05, 2.5], size=int(noisy.sum()), p=[0.6, 0.3, 0.1]
    )
    result = analyse_symmetric(trace, AREA)
    assert result.short.detected and result.short.kind == "soft"
    assert result.lifetime_h == pytest.approx(40.0, abs=0.5)


def test_critical_current_density_from_a_staircase():
    levels = [0.05, 0.1, 0.2, 0.5, 1.0, 2.0]  # mA/cm²
    trace = staircase_trace(
        current_densities_A_m2=[x * MA_CM2 for x in levels],
        area_m2=AREA,
        step_h=0.5,
        cycles_per_step=2,
        asr_ohm_m2=50e-4,
        ccd_A_m2=0.5 * MA_CM2,
        noise_V=0.001,
    )
    ccd = analyse_symmetric(trace, AREA).critical_current
    assert ccd.ccd_A_m2 == pytest.approx(0.5 * MA_CM2)
    assert ccd.last_stable_A_m2 == pytest.approx(0.2 * MA_CM2)
    assert "short at 0.5 mA/cm2" in ccd.evidence


def test_staircase_without_failure_gives_a_lower_bound():
    trace = staircase_trace(
        current_densities_A_m2=[1, 2, 5],
        area_m2=AREA,
        step_h=0.5,
        cycles_per_step=1,
        asr_ohm_m2=50e-4,
    )
    ccd = analyse_symmetric(trace, AREA).critical_current
    assert ccd.ccd_A_m2 is None and ccd.lower_bound_A_m2 == pytest.approx(5.0)


def test_eis_consistency_ratio():
    trace = symmetric_trace(
        current_density_A_m2=1.0, area_m2=AREA, step_h=1, cycles=3, asr_ohm_m2=40e-4
    )
    result = analyse_symmetric(trace, AREA)
    check = eis_consistency(result, eis_total_resistance_ohm=40e-4 / AREA)
    assert check["ratio"] == pytest.approx(1.0, rel=1e-3) and check["consistent"]
    assert not eis_consistency(result, 10e-4 / AREA)["consistent"]


def test_bad_input():
    trace = symmetric_trace(
        current_density_A_m2=1.0, area_m2=AREA, step_h=1, cycles=2, asr_ohm_m2=40e-4
    )
    with pytest.raises(SsblabInputError, match="area must be positive"):
        analyse_symmetric(trace, 0.0)
    rest = tidy_table(np.arange(10.0), np.full(10, 0.01), np.zeros(10))
    with pytest.raises(SsblabInputError, match="every row is at rest"):
        analyse_symmetric(rest, AREA)
