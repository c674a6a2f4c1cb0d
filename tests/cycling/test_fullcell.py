"""Per-cycle full-cell metrics on synthetic traces (seed 000 checks, dQ/dV, speed, errors)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssblab.cycling.data import CyclingData, CyclingDataError
from ssblab.cycling.fullcell import (
    dqdv,
    formation_cycles_from_current,
    fullcell_metrics,
)
from ssblab.cycling.synthetic_fullcell import OCV_PEAKS_V, fullcell_trace, nmc_ocv
from ssblab.errors import SsblabInputError

MASS_G = 2.0e-3  # 2 mg NMC811 (seed 000: 1.8–2.0 mg/cm² loading)
ONE_C = 180.0  # seed 000: 1 C = 180 mA/g


def seed000_trace(first: float, last: float, **kwargs) -> pd.DataFrame:
    """Li/LLZTO/NMC811: 2 formation cycles at 0.1 C, then 50 cycles at 0.5 C fading linearly."""
    options = dict(
        nominal_capacity=ONE_C,
        active_mass_g=MASS_G,
        c_rate=0.5,
        formation_cycles=2,
        formation_c_rate=0.1,
        formation_capacity=[190.0, 184.0],
        formation_coulombic_efficiency=[0.86, 0.97],
        rest_s=600.0,
        noise_V=0.002,
    )
    options.update(kwargs)
    return fullcell_trace(np.linspace(first, last, 50), **options)


@pytest.mark.parametrize(
    ("first", "last", "retention"),
    [(171.9, 80.3, 46.7), (166.9, 161.6, 96.8)],  # bare LLZTO; Al2O3-coated + annealed
)
def test_seed000_retention(first, last, retention):
    result = fullcell_metrics(seed000_trace(first, last), active_mass_g=MASS_G)
    assert result.formation_cycles == (1, 2)
    assert result.reference_cycle == 3
    assert result.last_cycle == 52
    assert result.retention_percent == pytest.approx(retention, abs=0.1)
    ref = result.cycle(3)
    assert ref["discharge_mAh_g"] == pytest.approx(first, rel=1e-9)
    assert result.cycle(52)["discharge_mAh_g"] == pytest.approx(last, rel=1e-9)
    d = result.to_dict()
    json.dumps(d)
    assert d["retention_percent"] == pytest.approx(retention, abs=0.1)
    assert d["reference_cycle"] == 3
    assert {"cycle", "discharge_mAh_g", "coulombic_efficiency"} <= set(d["cycles"][0])


def test_seed000_c_rates_and_formation_from_specific_capacity():
    result = fullcell_metrics(
        seed000_trace(171.9, 80.3), active_mass_g=MASS_G, nominal_specific_capacity_mAh_g=ONE_C
    )
    c = result.cycles
    assert c["c_rate"].iloc[:2].to_numpy() == pytest.approx([0.1, 0.1])
    assert c["c_rate"].iloc[2:].to_numpy() == pytest.approx(np.full(50, 0.5))
    assert c["formation"].tolist() == [True, True] + [False] * 50
    assert c["coulombic_efficiency"].iloc[:3].to_numpy() == pytest.approx([0.86, 0.97, 0.998])
    # retention is against cycle 3, not the (larger) formation capacity
    assert c["retention_percent"].iloc[0] == pytest.approx(100 * 190.0 / 171.9)


def test_capacity_energy_and_mean_voltage_are_exact():
    r_ohm = 500.0
    table = fullcell_trace(
        [150.0, 140.0], nominal_capacity=150.0, active_mass_g=1e-3, c_rate=1.0,
        coulombic_efficiency=0.95, resistance_ohm=r_ohm, points_per_step=41,
    )  # fmt: skip
    result = fullcell_metrics(table, active_mass_g=1e-3, area_cm2=0.5)
    c = result.cycles
    assert c["discharge_mAh"].to_numpy() == pytest.approx([0.150, 0.140], rel=1e-12)
    assert c["charge_mAh"].to_numpy() == pytest.approx([0.150 / 0.95, 0.140 / 0.95], rel=1e-12)
    assert c["discharge_mAh_cm2"].to_numpy() == pytest.approx([0.300, 0.280], rel=1e-12)
    assert c["coulombic_efficiency"].to_numpy() == pytest.approx([0.95, 0.95])
    current = 0.150e-3  # 1 C of 150 mAh/g × 1 mg
    soc = np.linspace(0, 1, 41)
    ocv_mean = float(np.mean(0.5 * (nmc_ocv(soc[1:]) + nmc_ocv(soc[:-1]))))
    assert c["mean_discharge_voltage_V"].to_numpy() == pytest.approx(
        ocv_mean - current * r_ohm, rel=1e-12
    )
    assert c["mean_charge_voltage_V"].to_numpy() == pytest.approx(
        ocv_mean + current * r_ohm, rel=1e-12
    )
    assert c["voltage_hysteresis_V"].to_numpy() == pytest.approx(2 * current * r_ohm)
    assert c["energy_Wh"].to_numpy() == pytest.approx(
        c["discharge_mAh"] * 1e-3 * c["mean_discharge_voltage_V"], rel=1e-12
    )
    assert c["discharge_Wh_kg"].iloc[0] == pytest.approx(c["energy_Wh"].iloc[0] / 1e-6)
    assert c["c_rate"].to_numpy() == pytest.approx([1.0, 1.0])  # nominal = cycle 1


def test_rests_do_not_change_capacities_and_cyclingdata_accepted():
    plain = fullcell_metrics(seed000_trace(160, 150, rest_s=0.0, noise_V=0.0))
    rested = fullcell_metrics(CyclingData(seed000_trace(160, 150, noise_V=0.0), source="syn"))
    for column in ("charge_mAh", "discharge_mAh", "coulombic_efficiency", "c_rate"):
        assert rested.cycles[column].to_numpy() == pytest.approx(plain.cycles[column].to_numpy())


def test_explicit_formation_and_reference():
    table = seed000_trace(171.9, 80.3)
    none = fullcell_metrics(table, formation_cycles=0)
    assert none.formation_cycles == () and none.reference_cycle == 1
    assert none.retention_percent == pytest.approx(100 * 80.3 / 190.0, abs=0.01)
    listed = fullcell_metrics(table, formation_cycles=[1, 2], reference_cycle=4)
    assert listed.reference_cycle == 4
    one = fullcell_metrics(table, formation_cycles=1)
    assert one.formation_cycles == (1,) and one.reference_cycle == 2


def test_incomplete_last_cycle_and_zero_based_cycles():
    table = seed000_trace(160, 150, rest_s=0.0)
    last_discharge = table.index[(table["cycle_index"] == 52) & (table["step_type"] == "discharge")]
    truncated = table.drop(index=last_discharge).reset_index(drop=True)
    result = fullcell_metrics(truncated)
    assert result.last_cycle == 51
    assert np.isnan(result.cycles["coulombic_efficiency"].iloc[-1])
    assert not result.cycles["complete"].iloc[-1]
    assert any("incomplete" in note for note in result.notes)
    shifted = table.assign(cycle_index=table["cycle_index"] - 1)
    zero = fullcell_metrics(shifted)
    assert zero.formation_cycles == (0, 1) and zero.reference_cycle == 2


def test_discharge_first_cell_inverts_ce():
    """A cell assembled charged: every cycle starts with a discharge. The trace is a cathode
    trace run backwards in state of charge — current and voltage mirrored together, so the
    voltage still falls on negative current as the contract requires. CE = Q_ch/Q_dis = 0.9."""
    table = fullcell_trace(
        [100.0, 100.0], nominal_capacity=100.0, coulombic_efficiency=0.9, resistance_ohm=1.0
    )
    v = table["voltage_V"]
    mirrored = table.assign(
        current_A=-table["current_A"],
        voltage_V=(v.max() + v.min()) - v,
        step_type=table["step_type"].map({"charge": "discharge", "discharge": "charge"}),
    )
    for first_step in ("auto", "discharge"):
        result = fullcell_metrics(mirrored, first_step=first_step)
        assert result.first_step == "discharge"
        assert result.cycles["coulombic_efficiency"].to_numpy() == pytest.approx([0.9, 0.9])
    auto = fullcell_metrics(mirrored)
    assert any("starting with a discharge" in note for note in auto.notes)


def test_formation_detector_rules():
    cycles = np.arange(1, 13)
    assert formation_cycles_from_current(cycles, [1, 1] + [5] * 10) == (1, 2)
    assert formation_cycles_from_current(cycles, [5] * 12) == ()
    # a rate test (long slow start) is not formation
    assert formation_cycles_from_current(cycles, [1] * 6 + [5] * 6) == ()
    assert formation_cycles_from_current(cycles, [0.5, 1] + [5] * 10) == (1, 2)


def test_dqdv_integrates_to_capacity_and_shifts_by_ir():
    table = fullcell_trace(
        [150.0, 140.0, 130.0], nominal_capacity=150.0, active_mass_g=1e-3, c_rate=0.5,
        resistance_ohm=1000.0, points_per_step=400, noise_V=0.001,
    )  # fmt: skip
    metrics = fullcell_metrics(table, active_mass_g=1e-3)
    raw = dqdv(table, smoothing_V=0.0, active_mass_g=1e-3)
    assert raw.cycles == (1, 2, 3) and raw.unit == "mAh/(g*V)"
    area = raw.dqdv.sum(axis=1) * raw.voltage_step_V
    assert area == pytest.approx(metrics.cycles["discharge_mAh_g"].to_numpy(), rel=1e-9)
    smooth = dqdv(table, cycles=[1], smoothing_V=0.01, active_mass_g=1e-3)
    assert smooth.curve(1).sum() * smooth.voltage_step_V == pytest.approx(150.0, rel=1e-3)
    charge = dqdv(table, cycles=[1], step="charge", smoothing_V=0.01)
    ir = 0.5 * 150.0e-3 * 1e-3 * 1000.0  # I·R = 0.075 V
    peak = OCV_PEAKS_V[0]  # the largest dQ/dV peak of the default OCV
    assert smooth.peak_voltage(1) == pytest.approx(peak - ir, abs=0.01)
    assert charge.peak_voltage(1) == pytest.approx(peak + ir, abs=0.01)
    assert charge.peak_voltage(1, window_V=(4.1, 4.4)) == pytest.approx(4.18 + ir, abs=0.01)
    json.dumps(smooth.to_dict())


def test_dqdv_errors():
    table = fullcell_trace([100.0], nominal_capacity=100.0)
    with pytest.raises(SsblabInputError, match="step"):
        dqdv(table, step="rest")
    with pytest.raises(SsblabInputError, match="cycles"):
        dqdv(table, cycles=[7])
    with pytest.raises(SsblabInputError, match="voltage_step_V"):
        dqdv(table, voltage_step_V=0)
    with pytest.raises(SsblabInputError, match="smoothing_V"):
        dqdv(table, smoothing_V=-1)


def test_input_errors():
    table = fullcell_trace([100.0, 99.0], nominal_capacity=100.0)
    with pytest.raises(SsblabInputError, match="active_mass_g"):
        fullcell_metrics(table, active_mass_g=-1)
    with pytest.raises(SsblabInputError, match="first_step"):
        fullcell_metrics(table, first_step="strip")
    with pytest.raises(SsblabInputError, match="data"):
        fullcell_metrics([1, 2, 3])
    with pytest.raises(CyclingDataError, match="missing columns"):
        fullcell_metrics(table.drop(columns="step_type"))
    with pytest.raises(SsblabInputError, match="reference_cycle"):
        fullcell_metrics(table, reference_cycle=9)
    with pytest.raises(SsblabInputError, match="formation_cycles"):
        fullcell_metrics(table, formation_cycles=[5])
    with pytest.raises(SsblabInputError, match="nominal_capacity_mAh"):
        fullcell_metrics(
            table, active_mass_g=1, nominal_capacity_mAh=1, nominal_specific_capacity_mAh_g=1
        )
    with pytest.raises(SsblabInputError, match="active_mass_g"):
        fullcell_metrics(table, nominal_specific_capacity_mAh_g=180)
    rest = table.assign(current_A=0.0, step_type="rest")
    with pytest.raises(SsblabInputError, match="rests"):
        fullcell_metrics(rest)
    with pytest.raises(SsblabInputError, match="discharge_capacity"):
        fullcell_trace([100.0, -1.0], nominal_capacity=100.0)
    with pytest.raises(SsblabInputError, match="c_rate"):
        fullcell_trace([100.0, 90.0], nominal_capacity=100.0, c_rate=[1.0, 2.0, 3.0])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.floats(min_value=1.0, max_value=300.0), min_size=1, max_size=6),
    st.floats(min_value=0.7, max_value=1.0),
    st.sampled_from([0.05, 0.1, 0.5, 1.0, 2.0, 5.0, 30.0]),
    st.sampled_from([0.0, 60.0]),
)
def test_round_trip_through_the_tidy_table(capacities, ce, c_rate, rest_s):
    table = fullcell_trace(
        capacities, nominal_capacity=200.0, active_mass_g=1e-3, c_rate=c_rate,
        coulombic_efficiency=ce, rest_s=rest_s, points_per_step=3,
    )  # fmt: skip
    # arbitrary capacity sequences (a 300-fold rise included) test the arithmetic, not a cell:
    # the plausibility checks are off
    result = fullcell_metrics(
        table,
        active_mass_g=1e-3,
        nominal_specific_capacity_mAh_g=200.0,
        formation_cycles=0,
        check_cell=False,
    )
    c = result.cycles
    assert c["discharge_mAh_g"].to_numpy() == pytest.approx(capacities, rel=1e-9)
    assert c["coulombic_efficiency"].to_numpy() == pytest.approx(np.full(len(capacities), ce))
    assert c["c_rate"].to_numpy() == pytest.approx(np.full(len(capacities), c_rate))
    assert result.retention_percent == pytest.approx(100 * capacities[-1] / capacities[0])


def test_one_million_rows():
    # its speed (target 3 s) is timed in benchmarks/speed_checks.py
    table = fullcell_trace(
        np.linspace(170.0, 120.0, 1000), nominal_capacity=180.0, active_mass_g=MASS_G,
        points_per_step=500, noise_V=0.001,
    )  # fmt: skip
    assert len(table) == 1_000_000
    result = fullcell_metrics(table, active_mass_g=MASS_G)
    assert len(result.cycles) == 1000
    assert result.retention_percent == pytest.approx(100 * 120 / 170)


def test_capacity_growing_several_fold_at_one_current_is_refused():
    """Pulses of growing length (a chronopotentiometry file) are not cycles: retention 1000 %
    would be an absurd number, so the analysis refuses unless the cell checks are off."""
    from ssblab.cycling.checks import CellTypeError

    kwargs = {"nominal_capacity": 150.0, "active_mass_g": 1e-3, "c_rate": 1.0}
    growing = fullcell_trace([15.0, 150.0, 1500.0], **kwargs)
    with pytest.raises(CellTypeError, match="1000 % of reference cycle"):
        fullcell_metrics(growing, reference_cycle=2)
    forced = fullcell_metrics(growing, reference_cycle=2, check_cell=False)
    assert any("pulses or steps" in note for note in forced.notes)
    # a real activation (+20 %) and a slower cycle (another current) are not refused
    fullcell_metrics(fullcell_trace([150.0, 165.0, 180.0], **kwargs))
