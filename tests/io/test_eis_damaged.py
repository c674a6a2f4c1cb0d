"""Damaged EIS files give a typed error naming the file (and line) or a result whose notes say
what was dropped — never a silently split spectrum, never a library's noise on stderr (issue 9
§1, §3, §5). Each test damages a file in one known way and checks the exact outcome.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest

from ssblab.errors import FileFormatError, SsblabError
from ssblab.io.eis import detect_format_of_bytes, parse_eis

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "eis"
RELAXIS = (EXAMPLES / "relaxis_export.txt").read_bytes()


def one_line(exc: pytest.ExceptionInfo, *fragments: str) -> None:
    message = str(exc.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message


# --------------------------------------------------------------------------------------------
# RelaxIS: a bad cell never splits a spectrum


def _relaxis_with(line_number: int, replace: bytes, by: bytes) -> bytes:
    lines = RELAXIS.split(b"\r\n")
    lines[line_number - 1] = lines[line_number - 1].replace(replace, by, 1)
    return b"\r\n".join(lines)


@pytest.mark.parametrize("bad", [b"abc", b"0.1O", b"", b"1,0"])
def test_relaxis_bad_frequency_cell_is_named_not_split(bad):
    """Line 20 holds a point; its frequency cell made unreadable used to start a spectrum."""
    lines = RELAXIS.split(b"\r\n")
    frequency = lines[19].split(b"\t")[0]
    data = _relaxis_with(20, frequency + b"\t", bad + b"\t")
    with pytest.raises(FileFormatError) as excinfo:
        parse_eis(data, "relaxis.txt")
    one_line(excinfo, "relaxis.txt: line 20:", "'Frequency'", "is not a number")


def test_relaxis_nan_frequency_is_dropped_and_counted_in_one_spectrum():
    lines = RELAXIS.split(b"\r\n")
    (whole,) = parse_eis(RELAXIS, "relaxis.txt")
    data = _relaxis_with(20, lines[19].split(b"\t")[0] + b"\t", b"NaN\t")
    (spectrum,) = parse_eis(data, "relaxis.txt")
    assert len(spectrum) == len(whole) - 1
    assert "dropped 1 row with a NaN/inf value (line 20)" in spectrum.notes


def test_relaxis_two_labelled_spectra_stay_two():
    lines = RELAXIS.split(b"\r\n")
    label, rows = lines[3], [line for line in lines[4:] if line]
    second = [label.replace(b"ssblab_example_1", b"ssblab_example_2")]
    second += [re.sub(rb"^([0-9.]+)\t", rb"\g<1>1\t", r, count=1) for r in rows]
    data = b"\r\n".join([*lines[:-1], *second, b""])
    first, other = parse_eis(data, "relaxis.txt")
    assert [first.metadata["spectrum_name"], other.metadata["spectrum_name"]] == [
        "(WE/RE Spectrum) ssblab_example_1",
        "(WE/RE Spectrum) ssblab_example_2",
    ]
    assert len(first) == len(other) == len(rows)


def test_relaxis_label_without_rows_in_the_middle_is_an_error():
    lines = RELAXIS.split(b"\r\n")
    data = b"\r\n".join([*lines[:4], lines[3], *lines[4:]])
    with pytest.raises(FileFormatError) as excinfo:
        parse_eis(data, "relaxis.txt")
    one_line(excinfo, "relaxis.txt: line 4:", "spectrum label without data rows")


# --------------------------------------------------------------------------------------------
# Loop labels: a row without a readable loop number belongs to no loop


def _polar_table(loop_cells: list[str]) -> bytes:
    rows = ["freq/Hz,|Z|/Ohm,Phase(Z)/deg,loop_index"]
    for k, cell in enumerate(loop_cells):
        rows.append(f"{10.0 ** (3 - k % 4):g},{100 + k},-{10 + k},{cell}")
    return ("\n".join(rows) + "\n").encode()


def test_a_bad_loop_label_is_dropped_and_counted_not_a_spectrum_of_its_own():
    data = _polar_table(["1", "1", "abc", "1", "2", "2", "2", "2"])
    first, second = parse_eis(data, "loops.csv")
    assert (len(first), len(second)) == (3, 4)
    assert [first.metadata["loop"], second.metadata["loop"]] == [1, 2]
    assert any(
        n == "dropped 1 row whose 'loop_index' is not a number (line 4): no loop to put them in"
        for n in first.notes
    )
    np.testing.assert_allclose(first.frequency_hz, [1000, 100, 1])


def test_a_loop_column_without_numbers_is_ignored():
    (spectrum,) = parse_eis(_polar_table(["x", "x", "x", "x"]), "loops.csv")
    assert len(spectrum) == 4
    assert "column 'loop_index' holds no loop numbers; ignored" in spectrum.notes


# --------------------------------------------------------------------------------------------
# VersaStudio: a segment another section interrupts


def test_versastudio_segment_interrupted_by_another_section():
    data = (EXAMPLES / "versastudio_eis.par").read_bytes()
    closing = data.index(b"</Segment1>")
    damaged = data[: closing - 60] + b"\n<Graph1>\n" + data[closing:]
    with pytest.raises(FileFormatError) as excinfo:
        parse_eis(damaged, "v.par")
    one_line(excinfo, "v.par: line ", "<Segment1> (opened at line 25) is not closed before")


# --------------------------------------------------------------------------------------------
# Header counts that are not counts


@pytest.mark.parametrize("value", [b"NaN", b"1e999", b"2.5"])
def test_zplot_data_points_not_a_count(value):
    data = (EXAMPLES / "zplot_measured.z").read_bytes()
    damaged = re.sub(rb"(Data Points:\s*)\d+", rb"\g<1>" + value, data)
    (spectrum,) = parse_eis(damaged, "z.z")
    assert any("not a count; the 36 present rows are used" in n for n in spectrum.notes)


def test_gamry_table_count_not_a_count():
    data = (EXAMPLES / "gamry_eispot.DTA").read_bytes()
    damaged = data.replace(b"ZCURVE\tTABLE\r\n", b"ZCURVE\tTABLE\tNaN\r\n")
    assert damaged != data
    (spectrum,) = parse_eis(damaged, "g.DTA")
    assert any("ZCURVE rows, not a count" in n for n in spectrum.notes)


# --------------------------------------------------------------------------------------------
# Duplicate frequencies name their lines


def test_a_duplicated_line_names_both_lines():
    data = (EXAMPLES / "table_cartesian.csv").read_bytes()
    lines = data.split(b"\n")
    damaged = b"\n".join([*lines[:5], lines[4], *lines[5:]])
    with pytest.raises(FileFormatError) as excinfo:
        parse_eis(damaged, "t.csv")
    one_line(excinfo, "t.csv: line 6: spectrum 0: 1 duplicate frequencies;", "(lines 5–6)")


# --------------------------------------------------------------------------------------------
# openpyxl never writes to stderr


def _workbook_without_default_style() -> bytes:
    source = zipfile.ZipFile(io.BytesIO((EXAMPLES / "excel_table.xlsx").read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/styles.xml":
                content = re.sub(rb"<cellStyles.*?</cellStyles>", b"", content)
            target.writestr(name, content)
    return out.getvalue()


def test_openpyxl_warnings_become_notes(capfd):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning escaping the reader fails the test
        (spectrum,) = parse_eis(_workbook_without_default_style(), "nostyle.xlsx")
    assert "openpyxl: UserWarning: Workbook contains no default style" in " ".join(spectrum.notes)
    assert len(spectrum) == 36
    assert capfd.readouterr().err == ""


def test_a_damaged_workbook_is_one_line_naming_the_file(capfd):
    data = (EXAMPLES / "excel_table.xlsx").read_bytes()
    with pytest.raises(FileFormatError) as excinfo:
        parse_eis(data[: len(data) // 2], "half.xlsx")
    one_line(excinfo, "half.xlsx: not a readable .xlsx workbook (")
    assert capfd.readouterr().err == ""


# --------------------------------------------------------------------------------------------
# Every error names the file


@pytest.mark.parametrize(
    ("name", "damage", "fragments"),
    [
        ("chi_ac_impedance.txt", (b"Freq/Hz", b"Frek/Hz"), ["no 'Freq/Hz"]),
        ("gamry_eispot.DTA", (b"ZCURVE", b"ZCURVX"), ["no ZCURVE table"]),
        ("zplot_measured.z", (b"End Comments", b"End Comment"), ["no 'End Comments' line"]),
        ("z60w_data.txt", (b"Z''(b)", b"Z''(c)"), ["line 11:", "lacks Z'(a) and Z''(b)"]),
        ("relaxis_export.txt", (b"Data: Frequency", b"Dat: Frequency"), ["no 'Data: Freq"]),
        ("versastudio_eis.par", (b"Definition=", b"Definitions="), ["line 25:", "Definition="]),
        ("palmsens_session.pssession", None, ["not valid JSON"]),
        ("three_column_minus_im.txt", (b"\n", b"\n1\t2\t3\t4\n"), ["line 2:", "expected 3"]),
    ],
)
def test_errors_name_the_file_and_line(name, damage, fragments):
    data = (EXAMPLES / name).read_bytes()
    fmt = detect_format_of_bytes(data, name)
    data = data[: len(data) // 2] if damage is None else data.replace(*damage, 1)
    with pytest.raises(SsblabError) as excinfo:
        parse_eis(data, name, fmt)
    one_line(excinfo, f"{name}: ", *fragments)


# --------------------------------------------------------------------------------------------
# A separator added or lost inside a value shifts the columns: the row is dropped and named


def test_a_decimal_comma_in_a_comma_file_does_not_shift_the_columns():
    data = (EXAMPLES / "chi_ac_impedance.txt").read_bytes()
    (whole,) = parse_eis(data, "chi.txt")
    lines = data.split(b"\n")
    k = next(i for i, line in enumerate(lines) if line.startswith(b"1.000e+3,"))
    lines[k] = lines[k].replace(b"1.000e+3", b"1,000e+3", 1)  # 1000 Hz would read as 1 Hz
    (spectrum,) = parse_eis(b"\n".join(lines), "chi.txt")
    assert len(spectrum) == len(whole) - 1 and 1000.0 not in spectrum.frequency_hz.tolist()
    assert any(
        note.startswith("dropped 1 row whose field count differs from the 5 of the other rows")
        and f"(line {k + 1})" in note
        for note in spectrum.notes
    )


def test_a_lost_separator_does_not_shift_the_columns():
    rows = ["freq/Hz,Re(Z)/Ohm,Im(Z)/Ohm,|Z|/Ohm"]
    rows += [f"{10**k},{k + 1},-{k + 2},{abs(complex(k + 1, k + 2)):.6f}" for k in range(5, 0, -1)]
    rows[3] = rows[3].replace(",", "", 1)  # 10001,-3,3.605551: Z' would read -3
    (spectrum,) = parse_eis(("\n".join(rows) + "\n").encode(), "merged.csv")
    assert spectrum.frequency_hz.tolist() == [1e5, 1e4, 100, 10]
    assert any("field count differs" in note and "(line 4)" in note for note in spectrum.notes)


# --------------------------------------------------------------------------------------------
# PalmSens: a table inside JSON — a cut document is a damaged structure, said in one line


@pytest.mark.parametrize("fraction", [0.05, 0.3, 0.5, 0.77, 0.99])
def test_a_cut_palmsens_session_says_it_looks_cut_off(fraction):
    data = (EXAMPLES / "palmsens_session.pssession").read_bytes()
    cut = data[: int(len(data) * fraction) // 2 * 2]  # whole UTF-16 code units
    with pytest.raises(FileFormatError) as excinfo:
        parse_eis(cut, "p.pssession")
    one_line(excinfo, "p.pssession: line 1: not valid JSON (the document ends early")


def test_a_damaged_palmsens_session_is_not_called_cut_off():
    data = (EXAMPLES / "palmsens_session.pssession").read_bytes()
    text = data.decode("utf-16")
    damaged = text.replace('"Values":[', '"Values":[[', 1).encode("utf-16")
    with pytest.raises(FileFormatError) as excinfo:
        parse_eis(damaged, "p.pssession")
    one_line(excinfo, "p.pssession: line 1: not valid JSON: ")
