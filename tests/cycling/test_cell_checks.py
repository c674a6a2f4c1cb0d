"""Which cell: Li | Li symmetric cells against half and full cells, current sign, electrode
window, cycle numbering — on real instrument files (skipped without ``../shared``), the bundled
demo files, and synthetic and simulated cells built with a known truth."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ssblab.cycling.checks import (
    OCV_TOL_V,
    CellTypeError,
    current_sign_evidence,
    invert_current,
    symmetric_evidence,
    symmetric_evidence_from_table,
)
from ssblab.cycling.data import CyclingData, tidy_table
from ssblab.cycling.fade import fade_from_fullcell
from ssblab.cycling.fullcell import fullcell_metrics
from ssblab.cycling.steps import segments
from ssblab.cycling.symmetric import analyse_symmetric
from ssblab.cycling.synthetic_fullcell import fullcell_trace
from ssblab.cycling.synthetic_symmetric import staircase_trace, symmetric_trace
from ssblab.io.cycling import read_cycling
from tests.io.test_cycling_real_files import real_file

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "cycling" / "demo"
AREA = np.pi * (6e-3) ** 2
MA_CM2 = 10.0  # A/m² per mA/cm²


# --------------------------------------------------------------------------- synthetic cells


def graphite_ocv(x):
    """A graphite-vs-Li-like OCV (V) against the lithiation fraction x (0 … 1): 0.6 V when
    delithiated, 0.085 V (stage I) when full; monotone."""
    x = np.asarray(x, dtype=float)
    return 0.085 + 0.45 * (1 - x) ** 3 + 0.065 * (1 - x)


def anode_half_cell(
    lithiation_mAh,
    coulombic_efficiency,
    *,
    current_A=2e-4,
    resistance_ohm=50.0,
    ocv_start_V=2.9,
    one_cycle_index=False,
    last_charge_fraction=1.0,
    points=40,
):
    """A Li | graphite half cell as a cycler writes it (tidy contract): a rest at the pristine
    OCV, then per cycle a lithiation (negative current, voltage falling: "discharge") of Q_lith
    and a delithiation ("charge", voltage rising) of CE·Q_lith, each with a 10-point rest.
    ``last_charge_fraction`` < 1 stops the test during the last delithiation."""
    q_lith = np.asarray(lithiation_mAh, dtype=float)
    ce = np.broadcast_to(np.asarray(coulombic_efficiency, dtype=float), q_lith.shape)
    t, v, i, kinds, cycles = [np.linspace(0, 600, 10)], [np.full(10, ocv_start_V)], [], [], []
    i.append(np.zeros(10))
    kinds.append(np.full(10, "rest"))
    cycles.append(np.ones(10, int))
    now = 600.0
    for k, (q, eff) in enumerate(zip(q_lith, ce, strict=True)):
        cycle = 1 if one_cycle_index else k + 1
        frac = last_charge_fraction if k == q_lith.size - 1 else 1.0
        for sign, capacity, x0, x1 in ((-1, q, 0.0, 1.0), (1, q * eff * frac, 1.0, 1 - frac)):
            duration = capacity * 3.6 / current_A
            s = np.linspace(0, 1, points)
            t.append(now + s * duration)
            x = x0 + s * (x1 - x0)
            v.append(graphite_ocv(x) + sign * current_A * resistance_ohm)
            i.append(np.full(points, sign * current_A))
            kinds.append(np.full(points, "charge" if sign > 0 else "discharge"))
            cycles.append(np.full(points, cycle))
            now += duration
            t.append(now + np.linspace(1, 300, 10))
            v.append(np.full(10, graphite_ocv(x1)))
            i.append(np.zeros(10))
            kinds.append(np.full(10, "rest"))
            cycles.append(np.full(10, cycle))
            now += 300
    kinds = np.concatenate(kinds)
    step = np.concatenate([[0], np.cumsum(kinds[1:] != kinds[:-1])])
    return tidy_table(
        np.concatenate(t),
        np.concatenate(v),
        np.concatenate(i),
        step_index=step,
        step_type=kinds,
        cycle_index=np.concatenate(cycles),
    )


def cathode_trace(n=6):
    return fullcell_trace(
        np.linspace(170.0, 160.0, n), nominal_capacity=180.0, active_mass_g=2e-3,
        coulombic_efficiency=0.995, rest_s=600.0, noise_V=0.001,
    )  # fmt: skip


def sign_inverted(table: pd.DataFrame) -> pd.DataFrame:
    """The same cell written with the opposite current sign (voltage untouched)."""
    swap = {"charge": "discharge", "discharge": "charge"}
    return table.assign(
        current_A=-table["current_A"],
        cumulative_capacity_Ah=-table["cumulative_capacity_Ah"],
        step_type=table["step_type"].map(swap).fillna(table["step_type"]),
    )


# --------------------------------------------------------------------------- symmetric: real


REFUSED = [
    # file, the reason's fragment
    ("biologic-mpt/latp_foil_li_lp30_gcpl.mpt", "both on the same side of 0 V"),
    ("neware-csv/neware_uio_export.csv", "both on the same side of 0 V"),
    ("arbin-xlsx/arbin_graphite_li_halfcell_ch11.xlsx", "the cell rests at +2.64 V"),
    ("biologic-mpr/yadg_gcpl_sp300_pair.mpr", "the cell rests at +3.43 V"),
    ("land/land_ccs_int37.ccs", "the cell rests at +3.6 V"),
    ("maccor-txt/maccor_cellpy_simba_002.txt", "both on the same side of 0 V"),
    ("neware-csv/neware_ife_regular_export.csv", "the cell rests at +4.32 V"),
]


def relaxed_rests(table: pd.DataFrame) -> np.ndarray:
    """Last voltage of every rest run of ≥ 2 rows, computed here with pandas (independently)."""
    run = (table["step_index"] != table["step_index"].shift()).cumsum()
    rest = table[table["step_type"] == "rest"].groupby(run)
    return rest["voltage_V"].last()[rest.size() >= 2].to_numpy()


def plateaus(table: pd.DataFrame, sign: int) -> np.ndarray:
    """Signed mean voltage over the second half (in time) of every step of one current sign."""
    out = []
    for _, rows in table[np.sign(table["current_A"]) == sign].groupby("step_index"):
        t = rows["time_s"]
        out.append(rows.loc[t >= 0.5 * (t.min() + t.max()), "voltage_V"].mean())
    return np.array(out)


@pytest.mark.parametrize(("relative", "reason"), REFUSED)
def test_real_half_and_full_cells_are_refused(relative, reason):
    data = read_cycling(real_file(relative))
    with pytest.raises(CellTypeError, match=r"not a Li \| Li symmetric cell") as caught:
        analyse_symmetric(data, AREA)
    assert reason in str(caught.value)
    forced = analyse_symmetric(data, AREA, force=True)
    assert any("on request (--force)" in note for note in forced.notes)
    check = forced.cell_check
    assert check["symmetric"] is False
    rests = relaxed_rests(data.table)
    if rests.size:  # the rest voltage it used is the file's own
        assert check["rest_V"] == pytest.approx(np.median(rests), abs=1e-9)
        assert abs(check["rest_V"]) > OCV_TOL_V  # an OCV, which a Li | Li cell does not have
    if check["plate_V"] is not None and check["strip_V"] is not None:
        assert check["strip_V"] == pytest.approx(np.median(plateaus(data.table, 1)), rel=1e-6)
        assert check["plate_V"] == pytest.approx(np.median(plateaus(data.table, -1)), rel=1e-6)


def test_real_li_li_cell_is_accepted():
    """datalab TEGDME Li | Li: a 31-row rest at 1–3 mV, then 0.4 mA stripping at 0.13–0.30 V."""
    data = read_cycling(real_file("biologic-mpr/lili_tegdme_insitu_gcpl.mpr"))
    result = analyse_symmetric(data, AREA)
    check = result.cell_check
    assert check["symmetric"] is True and check["inverted"] is False
    assert check["rest_V"] == pytest.approx(relaxed_rests(data.table)[0], abs=1e-12)
    assert abs(check["rest_V"]) < 0.005
    assert check["strip_V"] == pytest.approx(plateaus(data.table, 1)[0], rel=1e-6)
    assert list(result.half_cycles["kind"]) == ["strip"]
    assert not any("--force" in note for note in result.notes)


def test_demo_files():
    symmetric = read_cycling(DEMO / "llzto_bare_symmetric.csv")
    check = analyse_symmetric(symmetric, AREA).cell_check
    assert check["symmetric"] and check["strip_V"] > 0 > check["plate_V"]
    assert abs(check["centre_V"]) < 1e-3
    with pytest.raises(CellTypeError, match=r"at \+4.08 V and negative-current ones at \+3.56 V"):
        analyse_symmetric(read_cycling(DEMO / "nmc811_bare_full.csv"), AREA)


# --------------------------------------------------------------------------- symmetric: synthetic


@pytest.mark.parametrize(
    "trace",
    [
        dict(asr_ohm_m2=50e-4, short_at_h=60.0, noise_V=0.002),  # seed 000 bare: shorts at 60 h
        dict(asr_ohm_m2=50e-4, short_at_h=1.0, noise_V=0.002),  # shorts almost at once
        dict(asr_ohm_m2=3.5 / 0.1, noise_V=0.01),  # seed 004: 3.5 V plateaus
        dict(asr_ohm_m2=30e-4, strip_first=False),  # plating first
    ],
)
def test_synthetic_symmetric_cells_pass(trace):
    table = symmetric_trace(
        current_density_A_m2=MA_CM2, area_m2=AREA, step_h=0.5, cycles=100, **trace
    )
    result = analyse_symmetric(table, AREA)
    assert result.cell_check["symmetric"] and not result.cell_check["inverted"]


def test_staircase_and_simulated_cells_pass():
    from ssblab.models.parameter_schema import parameter_set
    from ssblab.models.simulator import constant_current_protocol, simulate_symmetric

    stairs = staircase_trace(
        current_densities_A_m2=[1, 2, 5, 10, 20], area_m2=AREA, step_h=0.5, cycles_per_step=2,
        asr_ohm_m2=50e-4, ccd_A_m2=10.0,
    )  # fmt: skip
    assert analyse_symmetric(stairs, AREA).cell_check["symmetric"]
    # every parameter set at 0.1 and 1 mA/cm² (LLTO/LATP reach the compliance limit at 1)
    for name in ("llzto_bare", "al_llzo", "llto", "latp_bare"):
        _, p = parameter_set(name)
        for j in (0.1, 1.0):
            run = simulate_symmetric(p, constant_current_protocol(j * MA_CM2, 3, step_time_s=3600))
            check = analyse_symmetric(run.data, p.area).cell_check
            assert check["symmetric"], (name, j, check["reason"])


def test_inverted_symmetric_cell_is_noted_not_refused():
    table = symmetric_trace(
        current_density_A_m2=MA_CM2, area_m2=AREA, step_h=0.5, cycles=10, asr_ohm_m2=50e-4
    )
    result = analyse_symmetric(sign_inverted(table), AREA)
    assert result.cell_check["inverted"]
    assert any("'strip' and 'plate' are swapped" in note for note in result.notes)
    plain = analyse_symmetric(table, AREA)
    assert result.half_cycles["asr_ohm_m2"].to_numpy() == pytest.approx(
        plain.half_cycles["asr_ohm_m2"].to_numpy()
    )


def test_symmetric_evidence_rules():
    # graphite vs Li: both half-cycles near 0.1 V, rests at 0.085 V
    half = symmetric_evidence([0.14], [0.11], [0.085, 0.09])
    assert not half.symmetric and "rests at +0.0875 V" in half.reason
    assert not symmetric_evidence([0.14], [0.11], []).symmetric  # no rest: same side of 0 V
    assert symmetric_evidence([0.05], [-0.05], []).symmetric
    assert symmetric_evidence([0.002], [0.001], []).symmetric  # shorted: no OCV either
    # one branch at 0, the other at volts: not symmetric about 0 V
    assert not symmetric_evidence([2.0], [-0.1], []).symmetric
    assert symmetric_evidence([0.3], [-0.1], []).symmetric  # 3x asymmetry is allowed
    only = symmetric_evidence([0.2], [], [])
    assert not only.symmetric and "no rest" in only.reason
    assert symmetric_evidence([0.2], [], [0.001]).symmetric
    assert not symmetric_evidence([], [2.5], []).symmetric  # a half cell discharging
    assert not symmetric_evidence([], [], [0.0]).symmetric


# --------------------------------------------------------------------------- full cells


def test_anode_half_cell_is_discharge_first_with_its_ce():
    ce = [0.85, 0.97, 0.99, 0.995]
    table = anode_half_cell([1.0, 0.9, 0.88, 0.87], ce)
    result = fullcell_metrics(table)
    assert result.first_step == "discharge"
    assert result.cycles["coulombic_efficiency"].to_numpy() == pytest.approx(ce, rel=1e-9)
    assert result.cycles["discharge_mAh"].to_numpy() == pytest.approx([1.0, 0.9, 0.88, 0.87])
    assert any("anode" in note and "lithiation" in note for note in result.notes)
    # forced charge-first: the CE of a cathode (Q_dis/Q_ch) > 1, and a note says so
    forced = fullcell_metrics(table, first_step="charge")
    assert forced.cycles["coulombic_efficiency"].to_numpy() == pytest.approx(1 / np.array(ce))
    assert any("'charge' given, although most cycles start with a discharge" in n
               for n in forced.notes)  # fmt: skip


def test_cathode_trace_needs_no_note_and_passes_the_checks():
    result = fullcell_metrics(cathode_trace(), active_mass_g=2e-3)
    assert result.first_step == "charge" and not result.cycles_recounted
    assert result.notes == ()
    assert result.cycles["coulombic_efficiency"].to_numpy() == pytest.approx(0.995)


@pytest.mark.parametrize("make", [cathode_trace, lambda: anode_half_cell([1.0, 0.9, 0.9], 0.95)])
def test_inverted_current_is_refused_and_can_be_flipped_explicitly(make):
    table = make()
    truth = fullcell_metrics(table)
    flipped = sign_inverted(table)
    evidence = current_sign_evidence(segments(flipped))
    assert evidence.inverted and evidence.disagreeing_steps == evidence.decisive_steps
    with pytest.raises(CellTypeError, match="current sign is inverted"):
        fullcell_metrics(flipped)
    forced = fullcell_metrics(flipped, check_cell=False)
    assert any(note.startswith("cell checks overridden") for note in forced.notes)
    repaired = fullcell_metrics(invert_current(CyclingData(flipped, source="x.csv")))
    for column in ("charge_mAh", "discharge_mAh", "coulombic_efficiency"):
        assert repaired.cycles[column].to_numpy() == pytest.approx(
            truth.cycles[column].to_numpy(), nan_ok=True
        )


def test_symmetric_data_are_refused_by_the_full_cell_analysis():
    table = symmetric_trace(
        current_density_A_m2=MA_CM2, area_m2=AREA, step_h=0.5, cycles=10, asr_ohm_m2=50e-4
    )
    with pytest.raises(CellTypeError, match=r"Li \| Li symmetric cell"):
        fullcell_metrics(table)
    assert symmetric_evidence_from_table(table).symmetric


def test_one_cycle_index_for_the_whole_test_is_recounted():
    ce = [0.85, 0.97, 0.99]
    lumped = anode_half_cell([1.0, 0.9, 0.88], ce, one_cycle_index=True)
    assert set(lumped["cycle_index"]) == {1}
    result = fullcell_metrics(lumped)
    assert result.cycles_recounted
    assert result.cycles["cycle"].tolist() == [1, 2, 3]
    assert result.cycles["coulombic_efficiency"].to_numpy() == pytest.approx(ce, rel=1e-9)
    assert any("re-counted from the step sequence" in note for note in result.notes)
    assert "cycles_recounted" in json.dumps(result.to_dict())


def test_last_half_cycle_cut_short_by_the_end_of_the_test():
    table = anode_half_cell([1.0, 0.9, 0.9, 0.9], 0.97, last_charge_fraction=0.1)
    result = fullcell_metrics(table)
    cycles = result.cycles
    assert not cycles["complete"].iloc[-1] and np.isnan(cycles["coulombic_efficiency"].iloc[-1])
    assert cycles["coulombic_efficiency"].iloc[:-1].to_numpy() == pytest.approx(0.97)
    assert cycles["charge_mAh"].iloc[-1] == pytest.approx(0.9 * 0.97 * 0.1)
    assert any("the test stops during the step" in note for note in result.notes)
    # a real capacity drop (same cut-off voltage) is not taken for a cut-short step
    drop = fullcell_trace([2.0, 1.0], nominal_capacity=2.0, rest_s=60.0)
    assert fullcell_metrics(drop).cycles["complete"].all()


def test_cut_short_cycles_stay_out_of_the_fade_series():
    table = cathode_trace(12)
    last = table.index[(table["cycle_index"] == 12) & (table["step_type"] == "discharge")]
    cut = table.drop(index=last[len(last) // 5 :]).reset_index(drop=True)  # stop early
    result = fullcell_metrics(cut, active_mass_g=2e-3)
    assert not result.cycles["complete"].iloc[-1]
    assert result.last_cycle == 11  # retention from the last full discharge
    fade = fade_from_fullcell(result)
    assert fade.n_points == 11 - result.reference_cycle + 1
    assert any("incomplete cycle(s)" in note for note in fade.notes)


# --------------------------------------------------------------------------- full cells: real


def test_real_graphite_half_cell_arbin():
    """bs542 graphite | Li, 50 µA, 0.05–1 V; Arbin writes Cycle_Index 1 throughout. Truth: the
    instrument's own Charge/Discharge_Capacity counters at the end of each current run."""
    path = real_file("arbin-xlsx/arbin_graphite_li_halfcell_ch11.xlsx")
    raw = pd.read_excel(path, sheet_name="Channel_11_1")
    sign = np.sign(raw["Current(A)"].to_numpy())
    run = np.concatenate([[0], np.cumsum(sign[1:] != sign[:-1])])
    ends = raw.assign(run=run).groupby("run").last()
    lith1 = ends["Discharge_Capacity(Ah)"].iloc[1]  # run 1: first lithiation
    delith1 = ends["Charge_Capacity(Ah)"].iloc[2]  # run 2: first delithiation
    lith2 = ends["Discharge_Capacity(Ah)"].iloc[3] - lith1
    result = fullcell_metrics(read_cycling(path))
    assert result.first_step == "discharge" and result.cycles_recounted
    cycles = result.cycles
    assert cycles["discharge_mAh"].to_numpy() == pytest.approx([lith1 * 1e3, lith2 * 1e3], rel=2e-3)
    assert cycles["coulombic_efficiency"].iloc[0] == pytest.approx(delith1 / lith1, rel=2e-3)
    assert not cycles["complete"].iloc[1]  # the last delithiation has 3 points
    notes = " | ".join(result.notes)
    assert "anode" in notes and "re-counted" in notes and "stops during the step" in notes


def test_real_anode_half_cell_neware():
    """UiO Neware export, 0.05–1 V: lithiation in three CC steps (0.25, 0.1, 0.05 mA), then a
    delithiation. Truth: the file's per-step Chg./DChg. Cap.(Ah) counters of Neware cycle 1."""
    path = real_file("neware-csv/neware_uio_export.csv")
    raw = pd.read_csv(path)
    first = raw[raw["Cycle Index"] == 1]
    steps = first.groupby("Step Index")[["Chg. Cap.(Ah)", "DChg. Cap.(Ah)"]].max()
    truth = steps["Chg. Cap.(Ah)"].sum() / steps["DChg. Cap.(Ah)"].sum()
    result = fullcell_metrics(read_cycling(path))
    assert result.first_step == "discharge"
    assert result.cycles["coulombic_efficiency"].iloc[0] == pytest.approx(truth, rel=1e-3)
    assert 0.8 < truth < 0.9  # a first-cycle graphite CE (SEI), not its inverse
