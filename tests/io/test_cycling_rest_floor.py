"""Rests with a few nA of offset stay rests (issue 9 §1/§4): the absolute rest floor.

Constructed files with known step types: a 1 µA test whose rests read ±1–4 nA (0.1–0.4 % of
the working current, where a relative threshold of 0.1 % calls them charge and discharge and
shifts the cycles), written as a generic table, an Arbin export with step ids, a LANDdt export
with fixed decimals and a Maccor export that labels its rests.
"""

from __future__ import annotations

import numpy as np
import pytest

from ssblab.io.cycling import parse_cycling
from ssblab.io.cycling._steps import (
    decimal_quantum,
    decimal_step,
    rest_floor,
    written_resolution,
)

WORKING_A = 1e-6
#: (type, rows) of the protocol: rest, then two cycles of charge, rest, discharge, rest
PLAN = [("rest", 8)] + [("charge", 12), ("rest", 8), ("discharge", 12), ("rest", 8)] * 2


def protocol(offset: str = "noise"):
    """(time s, current A, step type per row, cycle per row, program step per row); rests read
    a few nA: random ±1–4 nA (``noise``) or a steady +3 nA (``constant``)."""
    current, kinds, cycles, steps = [], [], [], []
    rng = np.random.default_rng(7)
    cycle = 1
    for step, (kind, rows) in enumerate(PLAN):
        if kind == "charge" and step > 1:
            cycle += 1
        for _ in range(rows):
            if kind == "rest":
                nA = 3.0 if offset == "constant" else float(rng.choice([-4, -2, -1, 1, 2, 3, 4]))
                current.append(nA * 1e-9)
            else:
                current.append(WORKING_A if kind == "charge" else -WORKING_A)
            kinds.append(kind)
            cycles.append(cycle)
            steps.append(step + 1)
    time = 60.0 * np.arange(len(current))
    return time, np.asarray(current), kinds, np.asarray(cycles), np.asarray(steps)


def test_a_relative_threshold_would_call_these_rests_currents():
    _, current, kinds, _, _ = protocol()
    rests = np.asarray(kinds) == "rest"
    assert np.any(np.abs(current[rests]) > 1e-3 * np.max(np.abs(current)))


def test_generic_table_without_steps_or_labels():
    time, current, kinds, cycles, _ = protocol()
    lines = ["time (s),voltage (V),current (A)"]
    lines += [f"{t:.0f},3.7000,{i:.4e}" for t, i in zip(time, current, strict=True)]
    data = parse_cycling(("\n".join(lines) + "\n").encode(), "nA.csv")
    assert data.table["step_type"].tolist() == kinds
    assert data.table["cycle_index"].tolist() == cycles.tolist()
    assert any("absolute rest floor of 8e-09 A" in n and "idle steps" in n for n in data.notes)


def test_arbin_export_with_step_ids_and_no_labels():
    time, current, kinds, cycles, steps = protocol()
    lines = ["Data_Point,Test_Time(s),Step_Index,Cycle_Index,Current(A),Voltage(V)"]
    lines += [
        f"{k + 1},{float(t)!r},{s},{c},{float(i)!r},3.7"
        for k, (t, s, c, i) in enumerate(zip(time, steps, cycles, current, strict=True))
    ]
    data = parse_cycling(("\n".join(lines) + "\n").encode(), "nA_arbin.csv")
    assert data.metadata["format"] == "arbin_csv"
    assert data.table["step_type"].tolist() == kinds
    assert data.table["step_index"].max() == len(PLAN) - 1
    assert any("step's mean current against an absolute rest floor" in n for n in data.notes)


def test_land_export_with_fixed_decimals():
    time, current, kinds, cycles, steps = protocol()
    lines = ["Index,CycleNo,StepNo,TestTime/s,Current/mA,Capacity/mAh,Voltage/V"]
    lines += [
        f"{k + 1},{c},{s},{t:.1f},{i * 1e3:.6f},0.000000,3.7000"  # 1 nA counts
        for k, (t, s, c, i) in enumerate(zip(time, steps, cycles, current, strict=True))
    ]
    data = parse_cycling(("\n".join(lines) + "\n").encode(), "nA_land.csv")
    assert data.metadata["format"] == "land_csv"
    assert data.table["step_type"].tolist() == kinds


def test_maccor_labels_decide_even_a_constant_offset():
    time, current, kinds, cycles, steps = protocol("constant")
    md = {"charge": "C", "discharge": "D", "rest": "R"}
    lines = ["Rec\tCycle C\tStep\tTestTime\tCurrent [A]\tVoltage [V]\tMd\tDPT Time"]
    rows = zip(time, steps, cycles, current, kinds, strict=True)
    lines += [
        f"{k + 1}\t{c}\t{s}\t{t:.1f}\t{abs(i):.10f}\t3.7000\t{md[kind]}\t1/1/2025 0:00:00 AM"
        for k, (t, s, c, i, kind) in enumerate(rows)
    ]
    text = "\n".join(lines).replace("TestTime", "TestTime (s)") + "\n"
    data = parse_cycling(text.encode(), "nA_maccor.txt")
    assert data.metadata["format"] == "maccor_txt"
    assert data.table["step_type"].tolist() == kinds
    assert data.table["cycle_index"].tolist() == cycles.tolist()


def test_a_constant_unlabelled_offset_is_typed_from_its_sign_and_flagged():
    """3 nA that never changes sign and never reads zero cannot be told from a 3 nA step:
    it is typed from its sign, and a note says it may be a rest."""
    time, current, _, _, _ = protocol("constant")
    lines = ["time (s),voltage (V),current (A)"]
    lines += [f"{t:.0f},3.7000,{i:.4e}" for t, i in zip(time, current, strict=True)]
    data = parse_cycling(("\n".join(lines) + "\n").encode(), "offset.csv")
    assert any("less than 1.0% of the largest current" in n and "rests" in n for n in data.notes)


# --------------------------------------------------------------------------------------------
# The pieces


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["0.50000", "-0.00012", "0.00000"], {"fixed": 1e-5}),
        (["1", "-1", "0"], {"fixed": 1.0}),
        (["1.2345E-004", "-5.0000E-004", "0"], {"relative": 1e-4}),
        (["0.5", "0.25", "1e-06"], {}),
        (["0,500", "1,250"], {"fixed": 1e-3}),
    ],
)
def test_written_resolution(cells, expected):
    found = written_resolution(cells)
    assert found.keys() == expected.keys()
    for key, value in expected.items():
        assert found[key] == pytest.approx(value)


def test_decimal_quantum_and_step():
    assert decimal_quantum(np.array([0.0294, 1.5])) == pytest.approx(1e-4)
    assert decimal_quantum(np.array([0.0294, 1.5]) * 1e-3) == pytest.approx(1e-7)  # mA → A
    assert decimal_quantum(np.float32([0.0502, 0.0016666667])) == pytest.approx(1e-10)
    assert decimal_step(np.array([2.637298583984375])) is None  # a binary float
    assert decimal_quantum(np.zeros(5)) == 0.0


def test_rest_floor_is_absolute():
    current = np.array([0.0, 2e-9, -1e-9, 0.0, 1e-6, 1e-6, 1e-6])
    floor, how = rest_floor(current, 0.0)  # no step ids: runs of three rows or more
    assert floor == pytest.approx(2 * np.percentile([0.0, 2e-9, 1e-9, 0.0], 99))
    assert "idle steps" in how
    # the same rests next to a 1000× larger working current: the same floor, in amperes
    assert rest_floor(current * np.r_[1, 1, 1, 1, 1e3, 1e3, 1e3], 0.0)[0] == pytest.approx(floor)
    # half a count of a fixed-decimal column
    assert rest_floor(np.array([0.0, 1e-6, 1e-6]), 1e-6)[0] == pytest.approx(5e-7)
