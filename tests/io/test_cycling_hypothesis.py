"""Property tests of the generic cycling parser: garbage only ever raises FileFormatError;
generated CSVs in any supported units give the same SI table."""

from __future__ import annotations

import contextlib
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssblab.cycling.data import CyclingData
from ssblab.errors import FileFormatError
from ssblab.io.cycling import FORMATS, detect_format, parse_cycling
from ssblab.io.cycling._common import parse_duration
from ssblab.io.cycling.generic import parse_table

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TIME_UNITS = {"s": 1.0, "min": 60.0, "h": 3600.0, "ms": 1e-3, "hh:mm:ss": None}
CURRENT_UNITS = {"A": 1.0, "mA": 1e-3, "µA": 1e-6, "uA": 1e-6, "nA": 1e-9}
VOLTAGE_UNITS = {"V": 1.0, "mV": 1e-3}
NAMES = {
    "time": ["time ({})", "Time [{}]", "Test_Time({})", "time/{}", "elapsed time ({})"],
    "voltage": ["voltage ({})", "Voltage [{}]", "Ewe/{}", "Voltage({})", "U ({})"],
    "current": ["current ({})", "Current [{}]", "I/{}", "<I>/{}", "Current({})"],
}
WORDS = [
    "time (s)", "voltage (V)", "current (mA)", "Ewe/V", "I/mA", "cycle", "step", "Md",
    "Current(A)", "TestTime", "Step Type", "Rest", "CC Chg", "00:01:02", "1,5", "-0.3", "nan",
    "EC-Lab ASCII FILE", "Nb header lines : 3", "Cycle Index", "DataPoint", "Rec", "DPT Time",
    "Data_Point", "Step_Index", "Cycle_Index", "Current/mA", "SysTime", "µA", "°C", "",
]  # fmt: skip


# --------------------------------------------------------------------------------------------
# Garbage


@FAST
@given(st.binary(max_size=400))
def test_random_bytes_raise_only_file_format_error(data):
    for fmt in (None, "table", "maccor_txt", "neware_csv", "land_ccs", "biologic_mpt"):
        try:
            result = parse_cycling(data, "garbage.csv", fmt)
        except FileFormatError:
            continue
        assert isinstance(result, CyclingData)


@st.composite
def text_garbage(draw):
    """Text built from header words, numbers and separators: reaches the table logic."""
    cell = st.one_of(
        st.sampled_from(WORDS),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.integers(-5, 10**6).map(str),
        st.text(max_size=6),
    )
    delimiter = draw(st.sampled_from([",", ";", "\t", " "]))
    rows = draw(st.lists(st.lists(cell, min_size=0, max_size=7), min_size=0, max_size=12))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return newline.join(delimiter.join(row) for row in rows).encode("utf-8", "surrogatepass")


@FAST
@given(text_garbage())
def test_text_garbage_raises_only_file_format_error(data):
    for fmt in (None, *FORMATS):
        try:
            result = parse_cycling(data, "garbage.csv", fmt)
        except FileFormatError:
            continue
        assert isinstance(result, CyclingData)


@FAST
@given(st.lists(st.tuples(st.sampled_from(WORDS[:12]), st.text(max_size=8)), max_size=8))
def test_header_garbage_above_a_valid_table_never_crashes(pairs):
    preamble = "\n".join(f"{k}: {v}" for k, v in pairs)
    data = (preamble + "\ntime (s),voltage (V),current (mA)\n0,3.5,1\n1,3.6,1\n").encode()
    with contextlib.suppress(FileFormatError):
        assert len(parse_table(data, "x.csv")) == 2


# --------------------------------------------------------------------------------------------
# Round trips


@st.composite
def datasets(draw):
    """Whole seconds, 0.1 mV and 1 µA resolution: exact in every unit the CSVs use."""
    n = draw(st.integers(2, 25))
    steps = draw(st.lists(st.integers(1, 3600), min_size=n - 1, max_size=n - 1))
    time = np.concatenate([[0], np.cumsum(steps)]).astype(float)
    voltage = np.asarray(draw(st.lists(st.integers(0, 50000), min_size=n, max_size=n))) / 1e4
    current = np.asarray(draw(st.lists(st.integers(-5000, 5000), min_size=n, max_size=n))) / 1e6
    return time, voltage, current


@st.composite
def encoded(draw, dataset):
    """``dataset`` written as a CSV with random units, names, order, separators, encoding."""
    time, voltage, current = dataset
    t_unit = draw(st.sampled_from(sorted(TIME_UNITS)))
    i_unit = draw(st.sampled_from(sorted(CURRENT_UNITS)))
    v_unit = draw(st.sampled_from(sorted(VOLTAGE_UNITS)))
    order = draw(st.permutations(["time", "voltage", "current"]))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    decimal_comma = delimiter != "," and draw(st.booleans())
    names = {
        role: draw(st.sampled_from(NAMES[role])).format(unit)
        for role, unit in (("time", t_unit), ("voltage", v_unit), ("current", i_unit))
    }
    if t_unit == "hh:mm:ss":
        names["time"] = draw(st.sampled_from(["time", "Elapsed Time", "Test Time"]))

    def text(role: str, k: int) -> str:
        if role == "time":
            if t_unit == "hh:mm:ss":
                s = int(time[k])
                return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
            value = time[k] / TIME_UNITS[t_unit]
        elif role == "voltage":
            value = voltage[k] / VOLTAGE_UNITS[v_unit]
        else:
            value = current[k] / CURRENT_UNITS[i_unit]
        out = repr(float(value))
        return out.replace(".", ",") if decimal_comma else out

    lines = [delimiter.join(names[r] for r in order)]
    lines += [delimiter.join(text(r, k) for r in order) for k in range(len(time))]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    encoding = draw(st.sampled_from(["utf-8", "cp1252", "utf-8-sig"]))
    return newline.join(lines).encode(encoding)


@FAST
@given(st.data())
def test_generated_csv_in_any_units_gives_the_si_table(data):
    time, voltage, current = dataset = data.draw(datasets())
    result = parse_cycling(data.draw(encoded(dataset)), "generated.csv")
    assert result.metadata["format"] == "table"
    table = result.table
    if len(table) < len(time):  # a last value that may be cut (see the test below)
        assert any(f"line {len(time) + 1} dropped: it looks cut off" in n for n in result.notes)
        time, voltage, current = time[:-1], voltage[:-1], current[:-1]
    assert len(table) == len(time)
    np.testing.assert_allclose(table["time_s"], time, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(table["voltage_V"], voltage, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(table["current_A"], current, rtol=1e-12, atol=1e-18)


@FAST
@given(st.data())
def test_one_data_set_in_two_unit_systems_gives_the_same_table(data):
    dataset = data.draw(datasets())
    first = parse_cycling(data.draw(encoded(dataset)), "first.csv")
    second = parse_cycling(data.draw(encoded(dataset)), "second.csv")
    # the files end without a newline: a last value written unlike the rest of its column
    # (``0.0`` under ``1e-06``s) may be a cut, and that row is then left out with a note
    for result in (first, second):
        if len(result.table) < len(dataset[0]):
            assert len(result.table) == len(dataset[0]) - 1
            assert any("looks cut off" in note for note in result.notes)
    count = min(len(first.table), len(second.table))
    first, second = first.table.iloc[:count], second.table.iloc[:count]
    for column in ("step_index", "step_type", "cycle_index"):
        assert first[column].tolist() == second[column].tolist()
    for column in ("time_s", "voltage_V", "current_A", "step_capacity_Ah"):
        np.testing.assert_allclose(first[column], second[column], rtol=1e-9, atol=1e-15)


@FAST
@given(st.integers(0, 10**6), st.sampled_from(["", "1-", "2 d "]))
def test_duration_round_trip(seconds, days):
    text = f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    extra = {"": 0, "1-": 86400, "2 d ": 2 * 86400}[days]
    assert parse_duration(days + text) == seconds + extra


# --------------------------------------------------------------------------------------------
# Damaged real and example files

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cycling"
BUNDLED = Path(__file__).resolve().parents[2] / "tests" / "data" / "cycling"
SAMPLES = sorted(
    p
    for p in [*EXAMPLES.iterdir(), *BUNDLED.iterdir()]
    if p.is_file() and p.suffix not in (".py", ".md") and p.name != "reference.csv"
)

FORMAT_OF = {p.name: detect_format(p) for p in SAMPLES}


@FAST
@given(st.sampled_from(SAMPLES), st.data())
def test_truncated_or_damaged_files_raise_only_file_format_error(path, data):
    raw = path.read_bytes()
    cut = data.draw(st.integers(0, len(raw)))
    damaged = raw[:cut]
    if data.draw(st.booleans()) and damaged:
        at = data.draw(st.integers(0, len(damaged) - 1))
        damaged = damaged[:at] + bytes([data.draw(st.integers(0, 255))]) + damaged[at + 1 :]
    for fmt in (None, FORMAT_OF[path.name]):  # detected, and forced onto the parser
        try:
            result = parse_cycling(damaged, path.name, fmt)
        except FileFormatError:
            continue
        assert isinstance(result, CyclingData)
