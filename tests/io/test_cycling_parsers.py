"""Unit tests of the cycling readers: detection, bad input, units, labels and layouts."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from ssblab.errors import FileFormatError
from ssblab.io.cycling import FORMATS, detect_format, parse_cycling, read_cycling
from ssblab.io.cycling._common import label_kind, parse_duration
from ssblab.io.cycling._table import classify, split_label

REPO = Path(__file__).resolve().parents[2]
EIS_DATA = REPO / "tests" / "data" / "eis"


def error(data: bytes, name: str = "bad.csv", fmt: str | None = None) -> str:
    with pytest.raises(FileFormatError) as info:
        parse_cycling(data, name, fmt)
    message = str(info.value)
    assert message.startswith(f"{name}: ") and "\n" not in message
    return message


GOOD = b"time (s),voltage (V),current (mA)\n0,3.5,0\n60,3.6,1\n120,3.7,1\n180,3.6,-1\n"

# --------------------------------------------------------------------------------------------
# Bad input: one line naming the file and the line or column


@pytest.mark.parametrize(
    ("data", "fragments"),
    [
        (b"", ["the file is empty"]),
        (b"\n \r\n", ["the file is empty"]),
        (b"time (s),voltage (V)\n0,3.5\n", ["line 1 has 'time (s)', 'voltage (V)'", "current"]),
        (b"voltage (V),current (mA)\n3.5,1\n", ["no time column"]),
        (
            b"time (s),voltage (V),current (mA),current (A)\n0,3.5,1,0.001\n",
            ["line 1", "ambiguous", "'current (mA)' and 'current (A)'"],
        ),
        (b"time,voltage,current\n0,3.5,1\n", ["line 1", "'time'", "has no unit"]),
        (b"time (s),voltage (V),current (kW)\n0,3.5,1\n", ["unknown current unit 'kW'"]),
        (
            b"time (s),voltage (V),current\n0,3.5,1 mA\n1,3.6,0.001 A\n",
            ["line 3", "mixed units", "'mA' (line 2) and 'A'"],
        ),
        (
            b"time (s),voltage (V),current (mA)\ns,V,A\n0,3.5,1\n",
            ["line 1", "mixed units", "says 'mA' but the units row says 'A'"],
        ),
        (
            b"time (s),voltage (V),current (A)\n0,3.5,2 mA\n",
            ["mixed units", "says 'A' but its cells are in 'mA'"],
        ),
        (
            b"time (s),voltage (V),current (mA)\n0,3.5,1\n10,3.6,1\n5,3.7,1\n",
            ["line 4", "not monotonic", "5 s after 10 s (line 3)"],
        ),
        (
            b"time (s),voltage (V),current (mA)\n0,3.5,1\n10,3.6\n20,3.6,1\n",
            ["line 3", "truncated row: 2 of the header's 3 fields"],
        ),
        (b"time (s),voltage (V),current (mA)\n", ["line 1", "header but no data rows"]),
        (b"time (s),voltage (V),current (mA)\n0,3.5,1\n1,abc,1\n", ["line 3", "'abc'"]),
        (
            b"time,voltage (V),current (mA)\n0:00:00,3.5,1\n10,3.6,1\n",
            ["line 3", "mixed time formats"],
        ),
        (b"\x00\x01\x02garbage" * 20, ["binary file of an unrecognised format"]),
        (b"PK\x03\x04" + b"\x00" * 60, ["unrecognised format"]),
    ],
)
def test_bad_generic_tables_raise_one_line_errors(data, fragments):
    message = error(data)
    for fragment in fragments:
        assert fragment in message


def test_missing_file_and_unknown_format(tmp_path):
    with pytest.raises(FileFormatError, match="no such file"):
        read_cycling(tmp_path / "absent.csv")
    with pytest.raises(FileFormatError, match="is a directory"):
        read_cycling(tmp_path)
    assert "unknown format 'gamry'" in error(GOOD, "x.csv", "gamry")


def test_impedance_files_are_refused_with_a_pointer_to_read_eis():
    mpt = (EIS_DATA / "lpscl_pellet_ionblocking_m25C_peis.txt").read_bytes()
    assert "unrecognised cycling file" in error(mpt, "peis.txt")
    assert "impedance file" in error(mpt, "peis.txt", "biologic_mpt")
    mpr = (EIS_DATA / "lpscl_pellet_ionblocking_m25C_peis.mpr").read_bytes()
    assert "read_eis" in error(mpr, "peis.mpr")


# --------------------------------------------------------------------------------------------
# Generic tables: units, repairs, metadata


def test_units_rows_cells_and_preamble():
    data = (
        b"Active mass: 12.5 mg\nNominal capacity: 1.2 mAh\nChannel: 7\n"
        b"Time,Voltage,Current,Capacity\nmin,mV,uA,mAh\n0,3500,0,0\n1,3600,500,0.01\n"
    )
    d = parse_cycling(data, "units_row.csv")
    assert d.table["time_s"].tolist() == [0.0, 60.0]
    assert d.table["voltage_V"].tolist() == [3.5, 3.6]
    assert d.table["current_A"].tolist() == [0.0, 0.5e-3]
    assert d.metadata["active_mass_kg"] == pytest.approx(12.5e-6)
    assert d.metadata["nominal_capacity_Ah"] == pytest.approx(1.2e-3)
    assert d.metadata["channel"] == "7"
    assert d.metadata["units"]["current"] == "uA (units row)"
    cells = parse_cycling(b"time (s),voltage,current (A)\n0,3500 mV,0\n1,3600 mV,0.5\n", "c.csv")
    assert cells.table["voltage_V"].tolist() == [3.5, 3.6]
    assert cells.metadata["units"]["voltage"] == "mV (written in the cells)"


def test_blank_nan_and_repeated_rows_are_dropped_with_notes():
    data = (
        b"time (s),voltage (V),current (mA)\n0,3.5,1\n0,3.5,1\n10,,1\n20,nan,1\n30,3.7,1\n"
        b"30,3.7,1\n"
    )
    d = parse_cycling(data, "repairs.csv")
    assert d.table["time_s"].tolist() == [0.0, 30.0]
    assert any(
        "dropped 2 rows with a blank or non-numeric" in n and "lines 4–5" in n for n in d.notes
    )
    assert any("dropped 2 rows repeating" in n and "lines 3, 7" in n for n in d.notes)


def test_step_time_with_steps_is_stitched_and_timestamps_are_a_fallback():
    data = (
        b"Step,Step Time (s),Voltage (V),Current (mA)\n1,0,3.5,0\n1,10,3.5,0\n2,0,3.5,1\n"
        b"2,5,3.6,1\n3,0,3.6,-1\n3,20,3.5,-1\n"
    )
    d = parse_cycling(data, "steps.csv")
    assert d.table["time_s"].tolist() == [0, 10, 10, 15, 15, 35]
    assert any("stitched" in n and "restarts at 2 of 2 step changes" in n for n in d.notes)
    stamps = (
        b"Date,Voltage (V),Current (A)\n2025-01-01 10:00:00,3.5,0\n2025-01-01 10:00:30,3.6,1e-3\n"
    )
    d = parse_cycling(stamps, "stamps.csv")
    assert d.table["time_s"].tolist() == [0.0, 30.0]
    assert d.metadata["start_time"] == "2025-01-01T10:00:00"


def test_decimal_comma_semicolon_and_cp1252():
    data = "Zeit;Time (h);Voltage (V);Current (µA)\nx;0,5;3,5;-250,0\nx;1,0;3,4;-250,0\n"
    d = parse_cycling(data.encode("cp1252"), "de.csv")
    assert d.table["time_s"].tolist() == [1800.0, 3600.0]
    assert d.table["current_A"].tolist() == [-250e-6, -250e-6]
    assert set(d.table["step_type"]) == {"discharge"}
    assert {"decimal commas read as decimal points"} <= set(d.notes)
    assert any("cp1252" in n for n in d.notes)


def test_derived_steps_and_cycles():
    data = GOOD + b"240,3.5,-1\n300,3.6,1\n"
    d = parse_cycling(data, "derived.csv")
    assert d.table["step_type"].tolist() == ["rest", *["charge"] * 2, *["discharge"] * 2, "charge"]
    assert d.table["step_index"].tolist() == [0, 1, 1, 2, 2, 3]
    assert d.table["cycle_index"].tolist() == [1, 1, 1, 1, 1, 2]


# --------------------------------------------------------------------------------------------
# Instrument layouts


def test_neware_flat_step_time_only_is_stitched():
    data = (
        b"DataPoint,Cycle Index,Step Index,Step Type,Time,Current(mA),Voltage(V)\n"
        b"1,1,1,Rest,00:00:00,0,3.5\n2,1,1,Rest,00:01:00,0,3.5\n"
        b"3,1,2,CC Chg,00:00:00,0.5,3.6\n4,1,2,CC Chg,00:02:00,0.5,3.7\n"
    )
    assert detect_format_of(data, "nw.csv") == "neware_csv"
    d = parse_cycling(data, "nw.csv")
    assert d.table["time_s"].tolist() == [0, 60, 60, 180]
    assert d.table["step_type"].tolist() == ["rest", "rest", "charge", "charge"]
    assert d.metadata["columns"]["step_time"] == "Time"


def test_neware_stacked_with_a_run_together_line():
    data = (
        b"Cycle Index,Chg. Cap.(Ah),DChg. Cap.(Ah)\n"
        b",Step Index,Step Number,Step Type,Step Time\n"
        b",,DataPoint,Time,Total Time,Current(A),Voltage(V)\n"
        b"1,0.001,0.001,1,1,Rest,00:00:02\n"  # the cycle row and the first step row
        b",,1,00:00:00,00:00:00,0,3.5\n,,2,00:00:02,00:00:02,0,3.5\n"
        b",2,2,CC DChg,00:00:04\n,,3,00:00:02,00:00:04,-0.001,3.4\n"
        b"2,0.001,0.001\n,3,3,CC Chg,00:00:02\n,,4,00:00:02,00:00:06,0.001,3.5\n"
    )
    d = parse_cycling(data, "stacked.csv")
    assert d.table["time_s"].tolist() == [0, 2, 4, 6]
    assert d.table["cycle_index"].tolist() == [1, 1, 1, 2]
    assert d.table["step_type"].tolist() == ["rest", "rest", "discharge", "charge"]
    assert any("line 4 holds a cycle row and a step row" in n for n in d.notes)
    assert "record row before" in error(
        data.replace(b"1,0.001,0.001,1,1,Rest,00:00:02\n", b""), "s.csv", "neware_csv"
    )


def test_maccor_time_unit_is_inferred_or_refused():
    head = b"Rec\tCycle C\tStep\tTestTime\tCurrent [A]\tVoltage [V]\tMd\tDPT Time\n"
    rows = [
        b"1\t1\t1\t0\t0\t3.5\tR\t5/11/2021 3:40:00 PM\n",
        b"2\t1\t2\t0.5\t0.001\t3.6\tC\t5/11/2021 4:10:00 PM\n",
        b"3\t1\t3\t1.0\t0.001\t3.4\tD\t5/11/2021 4:40:00 PM\n",
    ]
    d = parse_cycling(head + b"".join(rows), "m.txt")
    assert d.metadata["format"] == "maccor_txt"
    assert d.table["time_s"].tolist() == [0, 1800, 3600]  # hours
    assert d.table["current_A"].tolist() == [0, 0.001, -0.001]
    assert any("read as hours" in n for n in d.notes)
    no_dpt = b"".join(r.rsplit(b"\t", 1)[0] + b"\n" for r in [head, *rows])
    assert "no DPT Time column" in error(no_dpt, "m.txt", "maccor_txt")


def test_arbin_unitless_names_follow_arbin_conventions():
    data = (
        b"Data_Point,Test_Time,Step_Index,Cycle_Index,Current,Voltage\n"
        b"1,0,1,1,0,3.5\n2,10,2,1,0.5,3.6\n3,20,3,1,-0.5,3.5\n"
    )
    d = parse_cycling(data, "arbin.csv")
    assert d.metadata["format"] == "arbin_csv"
    assert d.table["current_A"].tolist() == [0, 0.5, -0.5]
    assert any("Arbin's convention" in n for n in d.notes)


def test_land_export_with_unsigned_current_and_state():
    data = (
        b"Record,Cycle,Step,TestTime/s,Current/mA,Voltage/V,SysTime,State\n"
        b"1,1,1,0,0,3.5,2025-01-01 00:00:00,R\n2,1,2,60,0.5,3.6,2025-01-01 00:01:00,C_CC\n"
        b"3,1,3,120,0.5,3.5,2025-01-01 00:02:00,D_CC\n"
    )
    d = parse_cycling(data, "land.csv")
    assert d.metadata["format"] == "land_csv"
    assert d.table["current_A"].tolist() == [0, 0.5e-3, -0.5e-3]
    assert any("unsigned" in n for n in d.notes)


def detect_format_of(data: bytes, name: str) -> str:
    from ssblab.io.cycling import detect_format_of_bytes

    return detect_format_of_bytes(data, name)


# --------------------------------------------------------------------------------------------
# LAND .ccs: a file built from the documented block layout


def ccs(steps, *, size=5, corrupt=None) -> bytes:
    """A .ccs: a 512-byte header, then a step block and record blocks per step."""
    header = bytearray(512)
    header[0xB0:0xB8] = b"TEST-001"
    header[0x194:0x19E] = b"WuHan LAND"
    blocks: list[bytearray] = []
    previous, clock = 0, 0
    for code, cycle, records in steps:
        offset = len(header) + 128 * len(blocks)
        block = bytearray(128)
        struct.pack_into("<IIIII", block, 0, 2, previous, code, cycle, 1)
        struct.pack_into("<Q", block, 24, clock)
        blocks.append(block)
        previous = offset
        for first in range(0, len(records), size):
            chunk = records[first : first + size]
            block = bytearray(128)
            struct.pack_into("<II", block, 0, (len(chunk) << 8) | 3, offset)
            for j, (dt, v, i) in enumerate(chunk):
                struct.pack_into("<Ifffff", block, 8 + 24 * j, dt, v, i, 0.0, 0.0, 0.0)
            blocks.append(block)
        clock += sum(dt for dt, _, _ in records)
    if corrupt is not None:
        corrupt(blocks)
    return bytes(header) + b"".join(bytes(b) for b in blocks)


STEPS = [
    (0x01, 0, [(500, 3.5, 0.0)] * 3),
    (0x24, 0, [(1000, 3.75, 0.25)] * 7),
    (0x44, 0, [(1000, 3.25, -0.25)] * 6),
    (0x24, 1, [(1000, 3.75, 0.25)] * 2),
]


def test_land_ccs_layout_decodes():
    data = ccs(STEPS)
    assert detect_format_of(data, "t.ccs") == "land_ccs"
    assert detect_format_of(data, "t.bin") == "land_ccs"  # by the vendor string and blocks
    d = parse_cycling(data, "t.ccs")
    assert len(d) == 18
    assert d.table["time_s"].tolist()[:5] == [0.5, 1.0, 1.5, 2.5, 3.5]
    assert d.table["time_s"].iloc[-1] == 16.5
    assert (
        d.table["step_type"].tolist()
        == ["rest"] * 3 + ["charge"] * 7 + ["discharge"] * 6 + ["charge"] * 2
    )
    assert d.table["cycle_index"].tolist() == [0] * 16 + [1] * 2
    assert d.table["step_index"].max() == 3
    assert d.metadata["test_name"] == "TEST-001"


def test_land_ccs_variants_that_do_not_check_out_are_refused():
    def unknown_block(blocks):
        struct.pack_into("<I", blocks[2], 0, 0x603)

    assert "unknown block type 0x603" in error(ccs(STEPS, corrupt=unknown_block), "t.ccs")
    assert "export the test from LANDdt" in error(ccs(STEPS, corrupt=unknown_block), "t.ccs")

    def wrong_clock(blocks):
        struct.pack_into("<Q", blocks[5], 24, 99999)  # the discharge step starts too late

    assert "span" in error(ccs(STEPS, corrupt=wrong_clock), "t.ccs")

    def broken_link(blocks):
        struct.pack_into("<I", blocks[1], 4, 0x10)

    assert "does not point at its step" in error(ccs(STEPS, corrupt=broken_link), "t.ccs")
    assert "truncated .ccs file" in error(ccs(STEPS)[:-5], "t.ccs")
    assert "no LAND step block" in error(b"\x01" * 4096, "t.ccs", "land_ccs")


# --------------------------------------------------------------------------------------------
# Helpers


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("CC Chg", "charge"),
        ("CCCV_Chg", "charge"),
        ("CC_DChg", "discharge"),
        ("CV DChg", "discharge"),
        ("Rest", "rest"),
        ("R", "rest"),
        ("C", "charge"),
        ("D", "discharge"),
        ("C_CC", "charge"),
        ("D_CV", "discharge"),
        ("OCV", "rest"),
        ("Pulse", ""),
        ("O", ""),
        (None, ""),
    ],
)
def test_label_kind(label, kind):
    assert label_kind(label) == kind


def test_parse_duration():
    assert parse_duration("00:01:02") == 62
    assert parse_duration("144:02:18") == 144 * 3600 + 138
    assert parse_duration("1-02:03:04.5") == 86400 + 7384.5
    assert parse_duration("2 d 00:00:01") == 172801
    assert parse_duration("0:00:0,25") == 0.25
    assert parse_duration("12:75:00") is None
    assert parse_duration("3.5") is None


@pytest.mark.parametrize(
    ("label", "role", "unit"),
    [
        ("Current(A)", "current", "A"),
        ("Current [mA]", "current", "mA"),
        ("<I>/mA", "current", "mA"),
        ("I/µA", "current", "µA"),
        ("current_mA", "current", "mA"),
        ("Ewe/V", "voltage", "V"),
        ("Voltage (mV)", "voltage", "mV"),
        ("Test_Time(s)", "time", "s"),
        ("TestTime/h", "time", "h"),
        ("Cumulative Time", "time", ""),
        ("Step_Time(s)", "step_time", "s"),
        ("Cap. [Ah]", "capacity", "Ah"),
        ("Chg. Cap.(Ah)", "charge_capacity", "Ah"),
        ("Cycle C", "cycle", ""),
        ("Step_Index", "step", ""),
        ("Step Type", "step_type", ""),
        ("Temperature (°C)", "temperature", "°C"),
        ("DPT Time", "datetime", ""),
        ("SpeCap/mAh/g", None, None),
        ("control/V/mA", None, None),
        ("(Q-Qo)/mA.h", None, None),
    ],
)
def test_column_names(label, role, unit):
    column = classify(0, label)
    if role is None:
        assert column is None
    else:
        assert (column.role, column.unit) == (role, unit)


def test_split_label_keeps_names_whose_tail_is_not_a_unit():
    assert split_label("Data_Point") == ("Data_Point", "")
    assert split_label("dV/dt(V/s)") == ("dV/dt", "V/s")


def test_registry_is_complete():
    assert list(FORMATS)[-2:] == ["excel", "table"]
    assert all(fmt.supported for fmt in FORMATS.values())
    assert detect_format(REPO / "examples" / "cycling" / "table_seconds_mA.csv") == "table"
    assert np.isfinite(parse_cycling(GOOD, "good.csv").table["cumulative_capacity_Ah"]).all()


def test_neware_stacked_step_row_without_its_step_number_is_a_format_error(tmp_path):
    """A step row cut before its step-number field (found by hypothesis) names its line."""
    example = Path(__file__).parents[2] / "examples" / "cycling" / "neware_stacked.csv"
    lines = example.read_text().splitlines()
    lines[4] = ",1"  # the first step row, cut after its step index
    path = tmp_path / "cut.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(FileFormatError, match=r"line 5: step row has 1 fields"):
        read_cycling(path)
