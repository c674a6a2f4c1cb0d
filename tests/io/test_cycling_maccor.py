"""Maccor text exports: the ``Rec#``/``State`` layout next to the ``Rec``/``Md`` one (issue 9 §3).

Constructed exports in the layout of TRI-AMDD/beep's Maccor files (one ``Today's Date … Date of
Test: … Procedure: …`` line, ``Rec#  Cyc#  Step  Test (Sec)  Step (Sec)  Amp-hr  Watt-hr  Amps
Volts  State  ES  DPt Time  ACImp/Ohms  DCIR/Ohms``) with known values, FRA and ACImp records.
"""

from __future__ import annotations

import pytest

from ssblab.errors import FileFormatError
from ssblab.io.cycling import detect_format_of_bytes, parse_cycling

PREAMBLE = (
    "Today's Date 03/07/2018  Date of Test:\t11/02/2016\t Filename:\tC:\\Mims Data\\4267.041 "
    "Procedure: EIS 1.000FRA default\tComment/Barcode: cell 7"
)
HEADER = (
    "Rec#\tCyc#\tStep\tTest (Sec)\tStep (Sec)\tAmp-hr\tWatt-hr\tAmps\tVolts\tState\tES\t"
    "DPt Time\tACImp/Ohms\tDCIR/Ohms"
)


def row(rec, step, t, st, q, amps, volts, state, stamp, acimp=0.0, cycle=0):
    return (
        f"{rec}\t{cycle}\t{step}\t{t:.4f}\t{st:.4f}\t{q:.10f}\t{q * volts:.10f}\t{amps:.10f}\t"
        f"{volts:.8f}\t{state}\t1\t11/02/2016 {stamp}\t{acimp:.5f}\t0.00000"
    )


def export(extra: list[str] | None = None) -> bytes:
    rows = [
        row(1, 1, 0, 0, 0, 0, 3.9, "R", "15:57:53"),
        row(2, 1, 10, 10, 0, 0, 3.9, "R", "15:58:03"),
        row(3, 2, 20, 10, 0.0010 / 360, 0.001, 3.95, "C", "15:58:13"),
        row(4, 2, 30, 20, 0.0020 / 360, 0.001, 4.0, "C", "15:58:23"),
        # an FRA step: one record number, the test time held, DPt Time running on
        row(5, 3, 30, 0, 0, 0, 4.0, "FRA", "15:58:40"),
        row(5, 3, 30, 0, 0, 0, 4.0, "FRA", "15:59:05"),
        row(5, 3, 30, 0, 0, 0, 4.0, "FRA", "15:59:31"),
        # an ACImp step: rest records with a 1 kHz reading
        row(6, 4, 31, 1, 0, 0, 4.0, "R", "15:59:32", acimp=0.0421),
        row(7, 5, 40, 10, 0.0010 / 360, -0.001, 3.95, "D", "15:59:41"),
        row(8, 5, 50, 20, 0.0020 / 360, -0.001, 3.9, "D", "15:59:51"),
        *(extra or []),
    ]
    return ("\r\n".join([PREAMBLE, HEADER, *rows]) + "\r\n").encode("latin-1")


def test_rec_layout_is_detected_next_to_the_md_layout():
    assert detect_format_of_bytes(export(), "x.041") == "maccor_txt"
    md = b"Rec\tCycle C\tStep\tTestTime\tCurrent [A]\tVoltage [V]\tMd\tDPT Time\n"
    md += b"1\t1\t1\t0.000000\t0.0\t3.5\tR\t5/11/2021 3:40:24 PM\n"
    assert detect_format_of_bytes(md, "simba.txt") == "maccor_txt"
    # without the preamble line, the header alone tells
    body = export().split(b"\r\n", 1)[1]
    assert detect_format_of_bytes(body, "noname.dat") == "maccor_txt"


def test_rec_layout_values_and_impedance_rows():
    data = parse_cycling(export(), "4267.041")
    table = data.table
    assert table["time_s"].tolist() == [0, 10, 20, 30, 40, 50]
    assert table["current_A"].tolist() == [0, 0, 0.001, 0.001, -0.001, -0.001]
    assert table["step_type"].tolist() == ["rest", "rest", "charge", "charge", "discharge"] * 1 + [
        "discharge"
    ]
    assert table["cycle_index"].tolist() == [0] * 6
    note = next(n for n in data.notes if n.startswith("dropped 4 impedance rows"))
    assert "(lines 7–10)" in note
    rows = data.metadata["impedance_rows"]["rows"]
    assert [r["state"] for r in rows] == ["FRA", "FRA", "FRA", "R"]
    assert rows[-1]["ACImp/Ohms"] == pytest.approx(0.0421)
    meta = data.metadata
    assert meta["layout"] == "Rec#/State"
    assert meta["procedure"] == "EIS 1.000FRA default"
    assert meta["barcode"] == "cell 7"
    assert meta["file_name"] == "C:\\Mims Data\\4267.041"
    assert meta["start_time"] == "2016-11-02T15:57:53"
    assert meta["columns"]["time"] == "Test (Sec)" and meta["columns"]["capacity"] == "Amp-hr"
    assert meta["units"]["current"] == "A (not written; instrument convention)"


def test_milliamp_and_duration_variant():
    """cellpy's Maccor variant: ``mAmps``/``mAmp-hr`` and ``TestTime`` as ``0d 00:01:00.00``."""
    text = (
        "Today's Date\t03/28/2022 12:50:27 PM\n\nDate of Test:\t08/23/2021 6:04:18 PM\n\n"
        "Rec#\tCyc#\tStep\tTestTime\tStepTime\tmAmp-hr\tmWatt-hr\tmAmps\tVolts\tState\tES\t"
        "DPt Time\n"
        "1\t0\t1\t  0d 00:00:00.00\t  0d 00:00:00.00\t0.0\t0.0\t0.0\t3.8\tR\t0\t"
        "08/23/2021 6:04:18 PM\n"
        "2\t0\t2\t  0d 00:01:00.00\t  0d 00:00:00.00\t0.0\t0.0\t250.0\t3.9\tC\t0\t"
        "08/23/2021 6:05:18 PM\n"
        "3\t0\t2\t  0d 00:02:00.00\t  0d 00:01:00.00\t4.1666667\t0.0\t250.0\t4.0\tC\t1\t"
        "08/23/2021 6:06:18 PM\n"
    )
    data = parse_cycling(text.encode(), "maccor_three.txt")
    assert data.table["time_s"].tolist() == [0, 60, 120]
    assert data.table["current_A"].tolist() == [0, 0.25, 0.25]
    assert data.metadata["columns"]["current"] == "mAmps"
    assert data.metadata["start_time"] == "2021-08-23T18:04:18"


def test_an_export_of_impedance_rows_only_is_an_error_naming_the_file():
    rows = [row(5, 3, 30, 0, 0, 0, 4.0, "FRA", f"15:59:{s:02d}") for s in range(10, 20)]
    text = "\r\n".join([PREAMBLE, HEADER, *rows]) + "\r\n"
    with pytest.raises(FileFormatError, match=r"^fra_only\.041: .*only impedance rows"):
        parse_cycling(text.encode(), "fra_only.041")


def test_errors_name_the_file_and_line():
    bad = export([row(9, 5, 60, 30, 0, -0.001, 3.85, "D", "16:00:01").replace("3.85", "x.85")])
    with pytest.raises(FileFormatError) as info:
        parse_cycling(bad, "bad.041")
    message = str(info.value)
    assert message.startswith("bad.041: line 13: 'Volts' value 'x.85000000' is not a number")
    backwards = export([row(9, 5, 45, 30, 0, -0.001, 3.85, "D", "16:00:01")])
    with pytest.raises(FileFormatError, match=r"^back\.041: line 13: time is not monotonic"):
        parse_cycling(backwards, "back.041")
