"""Large text files (50,000 rows) read column by column give the same values, notes and errors
(with their line) as the cell-by-cell rules. Timing targets live in benchmarks/, not here."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import numpy as np
import pytest

from ssblab.errors import FileFormatError
from ssblab.io.cycling import parse_cycling

ROWS = 50_000
RNG = np.random.default_rng(7)


def _values(count: int, spec: str, low: float, high: float) -> list[str]:
    """``count`` random numbers written with the format ``spec`` (``repr`` if empty)."""
    return [format(v, spec) if spec else repr(v) for v in RNG.uniform(low, high, count).tolist()]


# --------------------------------------------------------------------------------------------
# Maccor: unitless TestTime (minutes, told by the DPT Time span), unsigned current, Md labels


def _maccor(rows: int = ROWS) -> tuple[list[str], dict[str, list[str]]]:
    seconds = np.arange(rows) * 0.9
    start = datetime(2026, 11, 22, 10)
    cells = {
        "time": [f"{t / 60:.6f}" for t in seconds],
        "voltage": _values(rows, ".4f", -0.2, 0.2),
        "current": _values(rows, ".8f", 0.001, 0.002),
        "md": ["CDR"[(k // 2000) % 3] for k in range(rows)],
        "stamp": [
            (start + timedelta(seconds=int(t))).strftime("%m/%d/%Y %I:%M:%S %p") for t in seconds
        ],
    }
    lines = [
        "Name:\tLARGE-001",
        "Started\t11/22/2026 10:00:00 AM",
        "",
        "Rec\tCycle P\tCycle C\tStep\tTestTime\tStepTime\tCap. [Ah]\tEner. [Wh]\tCurrent [A]"
        "\tVoltage [V]\tMd\tES\tDPT Time",
        "",
    ]
    for k in range(rows):
        lines.append(
            f"{k + 1}\t0\t{k // 6000 + 1}\t{k // 2000 + 1}\t{cells['time'][k]}\t0\t0\t0\t"
            f"{cells['current'][k]}\t{cells['voltage'][k]}\t{cells['md'][k]}\t0\t"
            f"{cells['stamp'][k]}"
        )
    return lines, cells


def _bytes(lines: list[str], newline: str = "\r\n", encoding: str = "cp1252") -> bytes:
    return (newline.join(lines) + newline).encode(encoding)


def test_large_maccor_values_are_those_of_the_cells():
    lines, cells = _maccor()
    data = parse_cycling(_bytes(lines), "large.txt")
    table = data.table
    assert data.metadata["format"] == "maccor_txt"
    assert len(table) == ROWS
    np.testing.assert_array_equal(table["time_s"], [float(t) * 60 for t in cells["time"]])
    np.testing.assert_array_equal(table["voltage_V"], [float(v) for v in cells["voltage"]])
    sign = np.where(np.asarray(cells["md"]) == "D", -1.0, 1.0)
    np.testing.assert_array_equal(table["current_A"], sign * [float(i) for i in cells["current"]])
    types = {"C": "charge", "D": "discharge", "R": "rest"}
    assert table["step_type"].tolist() == [types[m] for m in cells["md"]]
    assert any("read as minutes" in note for note in data.notes)
    assert data.metadata["start_time"] == "2026-11-22T10:00:00"
    assert data.metadata["units"]["time"] == "minutes (inferred from DPT Time)"


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("abc", "'Voltage [V]' value 'abc' is not a number"),
        ("+infinity", "'Voltage [V]' value '+infinity' is not a number"),
        ("0,5", "'Voltage [V]' value '0,5' is not a number"),
    ],
)
def test_a_bad_cell_deep_in_a_large_file_is_reported_with_its_line(cell, message):
    lines, _ = _maccor()
    at = 4 + 41_234  # 0-based index of a data line (the header is line 4, a blank line 5)
    fields = lines[at].split("\t")
    fields[9] = cell
    lines[at] = "\t".join(fields)
    with pytest.raises(FileFormatError, match=re.escape(f"large.txt: line {at + 1}: {message}")):
        parse_cycling(_bytes(lines), "large.txt")


def test_a_truncated_row_deep_in_a_large_file_is_reported_with_its_line():
    lines, _ = _maccor()
    at = 4 + 30_001
    lines[at] = "\t".join(lines[at].split("\t")[:5])
    with pytest.raises(FileFormatError, match=f"line {at + 1}: truncated row: 5 of the header"):
        parse_cycling(_bytes(lines), "large.txt")


# --------------------------------------------------------------------------------------------
# Generic tables: blank lines keep the line numbers, timestamps, hh:mm:ss, decimal commas


def test_large_csv_with_blank_lines_drops_bad_rows_naming_their_lines():
    rows = ROWS
    time = [str(k) for k in range(rows)]
    voltage = _values(rows, "", 3.0, 4.0)
    current = _values(rows, ".6f", -1.0, 1.0)
    lines = ["# preamble", "time (s),voltage (V),current (mA)"]
    numbers = {}
    for k in range(rows):
        if k % 10_000 == 5:
            lines.append("")  # blank lines are skipped, not counted as rows
        numbers[k] = len(lines) + 1
        lines.append(f"{time[k]},{voltage[k]},{current[k]}")
    lines[numbers[20_000] - 1] = f"{time[20_000]},,{current[20_000]}"  # a blank cell
    data = parse_cycling(_bytes(lines, "\n", "utf-8"), "large.csv")
    table = data.table
    assert len(table) == rows - 1
    keep = np.arange(rows) != 20_000
    np.testing.assert_array_equal(table["voltage_V"], np.asarray(voltage, dtype=float)[keep])
    np.testing.assert_array_equal(table["current_A"], np.asarray(current, dtype=float)[keep] * 1e-3)
    dropped = "dropped 1 row with a blank or non-numeric time, voltage or current"
    assert f"{dropped} (line {numbers[20_000]})" in data.notes


def test_large_table_timed_by_timestamps_only():
    start = datetime(2026, 3, 28, 23, 30)
    stamps = [start + timedelta(seconds=7 * k, microseconds=1000 * (k % 997)) for k in range(ROWS)]
    lines = ["Date Time;voltage (V);current (mA);Step Type"]
    lines += [
        f"{s.strftime('%Y-%m-%d %H:%M:%S.%f')};{3 + k * 1e-5:.5f};{1 if k % 2 else -1};"
        f"{'CC Chg' if k % 2 else 'CC DChg'}"
        for k, s in enumerate(stamps)
    ]
    data = parse_cycling(_bytes(lines, "\n", "utf-8"), "stamps.csv")
    seconds = np.array([s.timestamp() for s in stamps])
    np.testing.assert_array_equal(data.table["time_s"], seconds - seconds[0])
    assert data.metadata["start_time"] == start.isoformat()
    assert data.table["step_type"].tolist() == ["discharge", "charge"] * (ROWS // 2)


def test_large_table_with_hhmmss_times_and_decimal_commas():
    lines = ["Test Time\tVoltage [V]\tCurrent [mA]"]
    expected = []
    for k in range(ROWS):
        h, m, s = k // 3600, k % 3600 // 60, k % 60
        expected.append(h * 3600 + m * 60 + float(f"{s}.25"))
        lines.append(f"{h}:{m:02d}:{s:02d},25\t{3 + k * 1e-6:.6f}\t{k % 7 - 3},5".replace(".", ","))
    data = parse_cycling(_bytes(lines), "hhmmss.tsv")
    assert "decimal commas read as decimal points" in data.notes
    np.testing.assert_array_equal(data.table["time_s"], expected)
    volts = [float(f"{3 + k * 1e-6:.6f}") for k in range(ROWS)]
    np.testing.assert_array_equal(data.table["voltage_V"], volts)
    np.testing.assert_array_equal(
        data.table["current_A"], [float(f"{k % 7 - 3}.5") * 1e-3 for k in range(ROWS)]
    )


# --------------------------------------------------------------------------------------------
# EC-Lab .mpt with decimal commas


def _mpt(rows: int = ROWS) -> tuple[list[str], dict[str, list[str]]]:
    cells = {
        "time": [f"{k * 0.5:.4f}" for k in range(rows)],
        "ewe": _values(rows, ".7f", 3.0, 4.2),
        "current": _values(rows, ".15E", -1.0, 1.0),
    }
    lines = [
        "EC-Lab ASCII FILE",
        "Nb header lines : 5",
        "",
        "Galvanostatic Cycling with Potential Limitation",
        "mode\tox/red\tNs\ttime/s\tEwe/V\t<I>/mA\tcycle number",
    ]
    for k in range(rows):
        row = f"1\t1\t{k // 100}\t{cells['time'][k]}\t{cells['ewe'][k]}\t{cells['current'][k]}\t0"
        lines.append(row.replace(".", ","))
    return lines, cells


def test_large_mpt_with_decimal_commas():
    lines, cells = _mpt()
    data = parse_cycling(_bytes(lines), "large.mpt")
    assert "decimal commas read as decimal points" in data.notes
    np.testing.assert_array_equal(data.table["time_s"], [float(t) for t in cells["time"]])
    np.testing.assert_array_equal(data.table["voltage_V"], [float(v) for v in cells["ewe"]])
    amps = [float(i) * 1e-3 for i in cells["current"]]
    np.testing.assert_array_equal(data.table["current_A"], amps)


def test_large_mpt_errors_name_the_first_bad_line():
    lines, _ = _mpt()
    lines[5 + 33_333] = "\t".join(lines[5 + 33_333].split("\t")[:4])
    lines[5 + 44_444] = lines[5 + 44_444].replace("\t0", "\tx")  # after the truncated row
    with pytest.raises(FileFormatError, match=f"line {5 + 33_333 + 1}: truncated row: 4 of 7"):
        parse_cycling(_bytes(lines), "large.mpt")
    lines, _ = _mpt()
    lines[5 + 22_222] = lines[5 + 22_222].replace("\t0", "\t+infinity")
    with pytest.raises(
        FileFormatError, match=f"line {5 + 22_222 + 1}: 'cycle number' value '\\+infinity'"
    ):
        parse_cycling(_bytes(lines), "large.mpt")
