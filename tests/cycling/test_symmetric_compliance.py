"""Compliance-voltage clipping (contact loss) told apart from short circuits.

Hand-built traces give the exact ground truth; one simulator run checks the integration.
Sign convention as the tidy table: strip (anodic, V > 0) first, then plate.
"""

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssblab.cli.main import run
from ssblab.cycling.data import CyclingData, tidy_table
from ssblab.cycling.symmetric import analyse_symmetric, eis_consistency
from ssblab.cycling.synthetic_symmetric import staircase_trace
from ssblab.errors import SsblabInputError

AREA = np.pi * (6e-3) ** 2  # 12 mm electrodes
MA_CM2 = 10.0  # 1 mA/cm² in A/m²
ASR = 50e-4  # Ω m² (50 Ω cm²)
R_SHORT = 0.5e-4  # Ω m² after a filament short
LIMIT = 20.0  # V, cycler compliance
STEP_S = 1800.0
SAMPLE_S = 60.0
RISE_S = 60.0  # e-folding time of |V| once contact is lost
LEVELS = (0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0)  # mA/cm²


def build(halves, *, limit=LIMIT, noise_V=0.0, seed=0, short_at=0.0):
    """Tidy table from half-cycle specs ``(J in mA/cm², behaviour)``.

    behaviour: "ohmic" (|V| = J·ASR), "clip" (contact loss: |V| = J·ASR·e^{t/RISE_S}, clipped
    at ``limit``) or "short" (|V| = J·R_SHORT from ``short_at`` × the step on, ohmic before)."""
    rng = np.random.default_rng(seed)
    rel = np.append(np.arange(0.0, STEP_S, SAMPLE_S), STEP_S - 1e-3)
    times, volts, currents = [], [], []
    for k, (j_ma, behaviour) in enumerate(halves):
        j = j_ma * MA_CM2
        sign = 1.0 if k % 2 == 0 else -1.0
        if behaviour == "ohmic":
            mag = np.full(rel.size, j * ASR)
        elif behaviour == "clip":
            mag = j * ASR * np.exp(rel / RISE_S)
        elif behaviour == "short":
            mag = np.where(rel >= short_at * STEP_S, j * R_SHORT, j * ASR)
        else:
            raise ValueError(behaviour)
        mag = np.minimum(np.abs(mag + noise_V * rng.normal(size=rel.size)), limit)
        times.append(k * STEP_S + rel)
        volts.append(sign * mag)
        currents.append(np.full(rel.size, sign * j * AREA))
    current = np.concatenate(currents)
    return tidy_table(
        np.concatenate(times),
        np.concatenate(volts),
        current,
        step_type=np.where(current > 0, "charge", "discharge"),
    )


def staircase(levels=LEVELS, *, cycles=2, clip_from=None, short_from=None):
    halves = []
    for j in levels:
        if short_from is not None and j >= short_from:
            behaviour = "short"
        elif clip_from is not None and j >= clip_from:
            behaviour = "clip"
        else:
            behaviour = "ohmic"
        halves += [(j, behaviour)] * (2 * cycles)
    return halves


def first_clip_h(index, j_ma, limit=LIMIT):
    """Time (h) of the first sample at the limit in clipped half-cycle ``index``."""
    onset = RISE_S * math.log((1 - 1e-3) * limit / (j_ma * MA_CM2 * ASR))
    return (index * STEP_S + SAMPLE_S * math.ceil(onset / SAMPLE_S)) / 3600.0


# --- (a) where the limit comes from ------------------------------------------------------------


def test_limit_is_auto_detected_without_metadata():
    table = build(staircase(clip_from=0.3))
    for data in (table, CyclingData(table)):
        result = analyse_symmetric(data, AREA)
        assert result.voltage_limit_V == pytest.approx(LIMIT)
        assert result.voltage_limit_source == "auto-detected"
        assert any("auto-detected" in note for note in result.notes)


def test_limit_from_metadata_and_argument():
    table = build(staircase(clip_from=0.3))
    stated = analyse_symmetric(CyclingData(table, metadata={"voltage_limit_V": 20.0}), AREA)
    assert stated.voltage_limit_source == "metadata" and stated.voltage_limit_V == 20.0
    assert not any("auto-detected" in note for note in stated.notes)
    # an explicit argument wins over the metadata
    given_limit = analyse_symmetric(
        CyclingData(table, metadata={"voltage_limit_V": 20.0}), AREA, voltage_limit_V=25.0
    )
    assert given_limit.voltage_limit_source == "argument"
    assert given_limit.voltage_limit_V == 25.0
    assert not given_limit.half_cycles["voltage_limited"].any()  # 20 V is not at 25 V
    for bad in (0.0, -5.0, math.nan):
        with pytest.raises(SsblabInputError, match="voltage limit must be positive"):
            analyse_symmetric(table, AREA, voltage_limit_V=bad)


def test_no_limit_detected_on_ohmic_traces_or_single_spikes():
    # a noise-free ohmic staircase over 40x in J: a flat top, but the highest plateau
    flat = staircase_trace(
        current_densities_A_m2=[x * MA_CM2 for x in LEVELS],
        area_m2=AREA,
        step_h=0.5,
        cycles_per_step=2,
        asr_ohm_m2=ASR,
    )
    result = analyse_symmetric(flat, AREA)
    assert result.voltage_limit_V is None and result.voltage_limit_source is None
    assert not result.half_cycles["voltage_limited"].any()
    assert result.critical_current.mode is None
    assert result.critical_current.lower_bound_A_m2 == pytest.approx(2.0 * MA_CM2)
    # one spike to 20 V: fewer than 3 samples at the maximum
    spiky = build([(0.1, "ohmic")] * 12)
    spiky.loc[100, "voltage_V"] = LIMIT
    assert analyse_symmetric(spiky, AREA).voltage_limit_V is None
    # a flat maximum below 5x the early plateau is not a compliance limit
    plain = build([(0.1, "ohmic")] * 8 + [(0.4, "ohmic")] * 4)
    assert analyse_symmetric(plain, AREA).voltage_limit_V is None


def test_voltage_limited_column_uses_the_late_plateau():
    halves = staircase(clip_from=0.3)
    result = analyse_symmetric(build(halves), AREA)
    hc = result.half_cycles
    expected = [behaviour == "clip" for _, behaviour in halves]
    assert hc["voltage_limited"].tolist() == expected
    # a clip confined to the first half of a half-cycle leaves η intact: not voltage-limited
    table = build([(0.1, "ohmic")] * 10 + [(0.1, "clip")] * 2)
    first = table["step_index"] == 2
    table.loc[first[first].index[:3], "voltage_V"] = LIMIT
    result = analyse_symmetric(table, AREA, voltage_limit_V=LIMIT)
    assert result.half_cycles["voltage_limited"].tolist() == [False] * 10 + [True] * 2


# --- (b) clipping in a staircase is not a short ------------------------------------------------


def test_clipping_staircase_is_not_a_short_and_gives_a_voltage_limit_ccd():
    halves = staircase(clip_from=0.3)
    table = build(halves)
    result = analyse_symmetric(table, AREA)
    assert not result.short.detected and result.lifetime_h is None
    ccd = result.critical_current
    assert ccd.mode == "voltage limit"
    assert ccd.ccd_A_m2 == pytest.approx(0.3 * MA_CM2)
    assert ccd.last_stable_A_m2 == pytest.approx(0.2 * MA_CM2)
    assert ccd.lower_bound_A_m2 is None
    assert "|V| reached the 20 V compliance limit at 0.3 mA/cm2 (contact loss" in ccd.evidence
    assert f"t = {first_clip_h(12, 0.3):.2f} h" in ccd.evidence
    n_clipped = sum(b == "clip" for _, b in halves)
    assert (
        f"{n_clipped} half-cycle(s) at the 20 V compliance limit: their ASR is a lower bound"
        in result.notes[0]
    )
    # clipped ASR = 20 V / J falls as J rises: without the limit it reads as a short
    blind = analyse_symmetric(table, AREA, voltage_limit_V=math.inf)
    assert blind.short.detected and blind.critical_current.mode == "short"
    # the drift fit and the EIS check use the unclipped half-cycles only
    assert result.asr_initial_ohm_m2 == pytest.approx(ASR, rel=1e-6)
    assert result.asr_slope_ohm_m2_per_h == pytest.approx(0.0, abs=1e-9)
    assert eis_consistency(result, ASR / AREA)["ratio"] == pytest.approx(1.0)


def test_to_dict_carries_the_limit_and_the_mode():
    payload = analyse_symmetric(build(staircase(clip_from=0.5)), AREA).to_dict()
    assert payload["voltage_limit_V"] == pytest.approx(LIMIT)
    assert payload["voltage_limit_source"] == "auto-detected"
    assert payload["critical_current"]["mode"] == "voltage limit"
    assert payload["critical_current"]["ccd_A_m2"] == pytest.approx(0.5 * MA_CM2)
    flags = [h["voltage_limited"] for h in payload["half_cycles"]]
    assert flags == [False] * 16 + [True] * 12
    json.dumps(payload)  # serialisable


def test_clipping_in_a_constant_current_test_then_recovery_is_not_a_short():
    halves = [(0.1, "ohmic")] * 20 + [(0.1, "clip")] * 2 + [(0.1, "ohmic")] * 10
    result = analyse_symmetric(build(halves), AREA)
    assert not result.short.detected
    assert result.critical_current is None  # not a staircase
    assert result.half_cycles["voltage_limited"].sum() == 2
    assert result.notes[0].startswith("2 half-cycle(s) at the 20 V compliance limit")


# --- (c) ordinary shorts are unchanged ---------------------------------------------------------


def test_ordinary_short_in_a_staircase_has_mode_short():
    trace = staircase_trace(
        current_densities_A_m2=[x * MA_CM2 for x in LEVELS],
        area_m2=AREA,
        step_h=0.5,
        cycles_per_step=2,
        asr_ohm_m2=ASR,
        ccd_A_m2=0.5 * MA_CM2,
        noise_V=0.001,
    )
    result = analyse_symmetric(trace, AREA)
    assert result.voltage_limit_V is None and not result.half_cycles["voltage_limited"].any()
    assert result.short.detected and result.short.kind == "hard"
    ccd = result.critical_current
    assert ccd.mode == "short" and ccd.ccd_A_m2 == pytest.approx(0.5 * MA_CM2)
    assert ccd.last_stable_A_m2 == pytest.approx(0.3 * MA_CM2)
    assert "short at 0.5 mA/cm2" in ccd.evidence
    assert result.to_dict()["critical_current"]["mode"] == "short"


def test_hand_built_short_before_any_clipping_has_mode_short():
    result = analyse_symmetric(build(staircase(short_from=0.5)), AREA, voltage_limit_V=LIMIT)
    assert result.short.detected and result.short.half_cycle == 16
    assert result.lifetime_h == pytest.approx(16 * STEP_S / 3600)
    assert result.critical_current.mode == "short"
    assert result.critical_current.ccd_A_m2 == pytest.approx(0.5 * MA_CM2)


# --- (d) a genuine collapse after clipped half-cycles ------------------------------------------


def test_collapse_after_clipping_in_a_staircase_is_still_a_short():
    result = analyse_symmetric(build(staircase(clip_from=0.3, short_from=0.5)), AREA)
    assert result.voltage_limit_V == pytest.approx(LIMIT)
    assert result.short.detected and result.short.kind == "hard"
    assert result.short.half_cycle == 16  # first half-cycle at 0.5 mA/cm²
    assert result.lifetime_h == pytest.approx(16 * STEP_S / 3600)
    # the first failure was the clip at 0.3 mA/cm²
    ccd = result.critical_current
    assert ccd.mode == "voltage limit" and ccd.ccd_A_m2 == pytest.approx(0.3 * MA_CM2)


def test_collapse_after_clipping_at_constant_current_is_located_to_a_sample():
    halves = [(0.1, "ohmic")] * 20 + [(0.1, "clip")] * 2 + [(0.1, "short")] * 8
    result = analyse_symmetric(build(halves, short_at=0.5), AREA, voltage_limit_V=LIMIT)
    assert result.short.detected and result.short.kind == "hard"
    assert result.short.half_cycle == 22
    assert result.lifetime_h == pytest.approx((22 + 0.5) * STEP_S / 3600, abs=SAMPLE_S / 3600)
    assert "ASR fell to" in result.short.evidence


def test_clipping_after_an_apparent_collapse_breaks_its_persistence():
    """A shorted cell cannot reach the compliance voltage: a drop followed by clipping is not
    a short."""
    halves = [(0.1, "ohmic")] * 12 + [(0.1, "short")] * 2 + [(0.1, "clip")] * 4
    result = analyse_symmetric(build(halves), AREA, voltage_limit_V=LIMIT)
    assert not result.short.detected


# --- (e) property: any clip level, any onset level ---------------------------------------------


@settings(max_examples=25, deadline=None)
@given(
    limit=st.floats(min_value=1.0, max_value=500.0),
    onset=st.integers(min_value=2, max_value=len(LEVELS) - 1),
    noise=st.floats(min_value=0.0, max_value=5e-4),
    seed=st.integers(min_value=0, max_value=1000),
)
def test_clip_level_and_onset_are_recovered(limit, onset, noise, seed):
    halves = staircase(clip_from=LEVELS[onset])
    result = analyse_symmetric(build(halves, limit=limit, noise_V=noise, seed=seed), AREA)
    assert result.voltage_limit_V == pytest.approx(limit)
    assert result.half_cycles["voltage_limited"].tolist() == [b == "clip" for _, b in halves]
    assert not result.short.detected
    ccd = result.critical_current
    assert ccd.mode == "voltage limit"
    assert ccd.ccd_A_m2 == pytest.approx(LEVELS[onset] * MA_CM2)
    assert ccd.last_stable_A_m2 == pytest.approx(LEVELS[onset - 1] * MA_CM2)
    assert f"{limit:g} V compliance limit" in ccd.evidence


# --- simulator integration ---------------------------------------------------------------------


def test_simulated_contact_loss_staircase_is_a_voltage_limit_ccd():
    from ssblab.models.parameter_schema import parameter_set, with_overrides
    from ssblab.models.simulator import simulate_symmetric, staircase_protocol

    _, p = parameter_set("llzto_bare")
    # no filament (contact loss only), and a 3 MPa lab press: at the set's 50 MPa crimp, creep
    # refills the interface faster than 10 mA/cm² strips it
    p = with_overrides(p, {"sse_sigma_e": "0 S/cm", "stack_pressure": "3 MPa"})
    levels = (0.1, 0.2, 0.5, 1, 2, 5, 10)  # mA/cm²
    res = simulate_symmetric(p, staircase_protocol([j * MA_CM2 for j in levels], 1, 1800.0))
    assert any("clipped at the compliance voltage" in note for note in res.notes)
    limit = res.data.metadata["voltage_limit_V"]
    # ground truth from the trace: the first step whose second half sits at the limit
    table = res.data.table
    first = None
    for step, rows in table.groupby("step_index"):
        t = rows["time_s"]
        late = rows[t - t.min() >= 0.5 * (t.max() - t.min())]
        if (late["voltage_V"].abs() >= 0.999 * limit).any():
            first = step
            break
    assert first is not None and first > 0
    j_first = abs(table.loc[table["step_index"] == first, "current_A"].iloc[0]) / p.area
    for data in (res.data, table):  # metadata, then auto-detection
        result = analyse_symmetric(data, p.area)
        assert result.voltage_limit_V == pytest.approx(limit)
        assert not result.short.detected
        ccd = result.critical_current
        assert ccd.mode == "voltage limit"
        assert ccd.ccd_A_m2 == pytest.approx(j_first)
        assert f"{limit:g} V compliance limit" in ccd.evidence


# --- CLI ---------------------------------------------------------------------------------------


def call(capsys, *argv):
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def clipped_csv(tmp_path):
    path = tmp_path / "staircase.csv"
    build(staircase(clip_from=0.3)).to_csv(path, index=False)
    return str(path)


def test_cli_json_reports_the_voltage_limit_ccd(capsys, clipped_csv):
    code, out, err = call(
        capsys, "cycle", "symmetric", clipped_csv, "--diameter", "12 mm", "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["short_circuit"] is False
    assert data["voltage_limit_V"] == pytest.approx(LIMIT)
    assert data["critical_current"]["mode"] == "voltage limit"
    assert data["critical_current"]["ccd_A_m2"] == pytest.approx(0.3 * MA_CM2, rel=1e-3)
    assert sum(h["voltage_limited"] for h in data["half_cycles"]) == 16
    assert any("compliance limit: their ASR is a lower bound" in n for n in data["notes"])


def test_cli_text_shows_the_ccd_mode(capsys, clipped_csv):
    code, out, err = call(capsys, "cycle", "symmetric", clipped_csv, "--diameter", "12 mm")
    assert code == 0, err
    assert "critical current density (voltage limit): |V| reached the 20 V" in out
    assert "no short circuit" in out
    assert "note: 16 half-cycle(s) at the 20 V compliance limit" in out


def test_cli_voltage_limit_option_and_bad_unit(tmp_path, capsys):
    from ssblab.cli.main import run
    from ssblab.models.parameter_schema import parameter_set, with_overrides
    from ssblab.models.simulator import simulate_symmetric, staircase_protocol

    _, p = parameter_set("llzto_bare")
    p = with_overrides(p, {"sse_sigma_e": "0 S/cm", "initial_contact_fraction": "1"})
    steps = staircase_protocol([10.0 * x for x in (0.1, 0.3, 1, 3, 10, 30)], 1, 1800.0)
    trace = tmp_path / "trace.csv"
    simulate_symmetric(p, steps, sample_s=120.0).data.table.to_csv(trace, index=False)
    code = run(["cycle", "symmetric", str(trace), "--area", "1.131 cm^2", "--voltage-limit",
                "20 V", "--json"])  # fmt: skip
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["voltage_limit_V"] == 20.0
    assert payload["voltage_limit_source"] == "argument"
    code = run(["cycle", "symmetric", str(trace), "--area", "1.131 cm^2", "--voltage-limit",
                "20 mA"])  # fmt: skip
    assert code == 2
    assert "--voltage-limit" in capsys.readouterr().err


def test_smooth_divergence_before_the_limit_is_not_a_soft_short():
    """Contact loss at 3 MPa / 60 °C: |V| rises smoothly, then clips; no short is reported."""
    from ssblab.models.parameter_schema import parameter_set, with_overrides
    from ssblab.models.simulator import simulate_symmetric, staircase_protocol

    _, p = parameter_set("LLZTO")
    p = with_overrides(p, {"stack_pressure": "3 MPa", "temperature": "60 degC"})
    # up to 5 mA/cm²: a 10 mA/cm² step would grow a real filament short at 60 °C (the
    # simulator says so), which is not what this test is about
    levels = [10.0 * x for x in (0.05, 0.1, 0.2, 0.5, 1, 2, 5)]
    result = simulate_symmetric(p, staircase_protocol(levels, 1, 1800.0))
    assert result.short_time_s is None and any("clipped" in n for n in result.notes)
    analysis = analyse_symmetric(result.data, p.area)
    assert not analysis.short.detected
    assert analysis.critical_current.mode == "voltage limit"
    assert analysis.critical_current.ccd_A_m2 == pytest.approx(50.0)
