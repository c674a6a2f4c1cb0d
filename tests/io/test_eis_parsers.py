"""Unit tests of the reader building blocks and of the error messages."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from ssblab.errors import FileFormatError
from ssblab.io.eis import FORMATS, detect_format, parse_eis, read_eis
from ssblab.io.eis._common import decode_text, describe_lines, parse_number, sweep_restarts
from ssblab.io.eis.table import classify_column, split_label
from ssblab.io.eis.three_column import sign_of_imaginary_column

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "eis"


@pytest.mark.parametrize(
    ("token", "decimal_comma", "value"),
    [
        ("1.5", False, 1.5),
        (" -2.5E-3 ", False, -2.5e-3),
        ("1,5", True, 1.5),
        ("7.0000185E+006", False, 7.0000185e6),
        ('"3.0"', False, 3.0),
        (".5", False, 0.5),
        (4, False, 4.0),
    ],
)
def test_parse_number(token, decimal_comma, value):
    assert parse_number(token, decimal_comma) == value


@pytest.mark.parametrize("token", ["1_000", "0x10", "1,5", "", "abc", "1.2.3", None, True])
def test_parse_number_rejects(token):
    with pytest.raises(ValueError):
        parse_number(token)


def test_parse_number_keeps_nan_for_the_cleaner():
    assert math.isnan(parse_number("NaN"))


@pytest.mark.parametrize(
    ("data", "encoding", "text"),
    [
        (b"\xef\xbb\xbfabc", "utf-8-sig", "abc"),
        (b"\xff\xfe" + "{µ}".encode("utf-16-le"), "utf-16-le", "{µ}"),
        (b"Cs/\xb5F", "cp1252", "Cs/µF"),
        ("Cs/µF".encode(), "utf-8", "Cs/µF"),
    ],
)
def test_decode_text(data, encoding, text):
    decoded = decode_text(data)
    assert (decoded.encoding, decoded.text) == (encoding, text)


@pytest.mark.parametrize(
    ("label", "role", "scale", "negated"),
    [
        ("freq/Hz", "frequency", 1.0, False),
        ("Frequency (kHz)", "frequency", 1e3, False),
        ("f/MHz", "frequency", 1e6, False),
        ("f [mHz]", "frequency", 1e-3, False),
        ("Re(Z)/Ohm", "real", 1.0, False),
        ("Z' (kOhm)", "real", 1e3, False),
        ("Z'(a)", "real", 1.0, False),
        ("-Im(Z)/Ohm", "imag", 1.0, True),
        ("-Z'' (mΩ)", "imag", 1e-3, True),
        ('Z"/ohm', "imag", 1.0, False),
        ("Zimag", "imag", 1.0, False),
        ("|Z|/Ohm", "modulus", 1.0, False),
        ("Phase(Z)/deg", "phase", 1.0, False),
        ("loop_index", "loop", 1.0, False),
        ("cycle number", "loop", 1.0, False),
    ],
)
def test_classify_column(label, role, scale, negated):
    column = classify_column(0, label)
    assert column is not None
    assert (column.role, column.negated) == (role, negated)
    assert column.scale == pytest.approx(scale)


def test_phase_in_radians_is_converted_to_degrees():
    column = classify_column(0, "phase (rad)")
    assert column is not None and column.scale == pytest.approx(180 / math.pi)


@pytest.mark.parametrize("label", ["Re(Y)/Ohm-1", "time/s", "Z' (Ohm cm2)", "I/mA", "", 3.0])
def test_classify_column_ignores(label):
    assert classify_column(0, label) is None


def test_split_label_keeps_names_with_parentheses():
    assert split_label("Im(Z)") == ("Im(Z)", "")
    assert split_label("Zre (ohms)") == ("Zre", "ohms")
    assert split_label("Phase(Z)/deg") == ("Phase(Z)", "deg")


def test_sweep_restarts_splits_repeated_sweeps_and_keeps_zero_rows():
    f = np.array([0, 0, 100, 10, 1, 0, 100, 10, 1], dtype=float)
    assert [g.tolist() for g in sweep_restarts(f)] == [[0, 1, 2, 3, 4, 5], [6, 7, 8]]
    assert len(sweep_restarts(np.array([1.0, 10.0, 100.0]))) == 1


def test_sign_of_imaginary_column():
    f = np.logspace(5, -1, 20)
    capacitive = -np.linspace(1, 50, 20)
    assert sign_of_imaginary_column(f, capacitive)[0] == 1.0
    assert sign_of_imaginary_column(f, -capacitive)[0] == -1.0


def test_describe_lines():
    assert describe_lines(np.array([92])) == "line 92"
    assert describe_lines(np.array([3, 4, 5])) == "lines 3–5"
    assert describe_lines(np.array([0, 0])) == ""


# --------------------------------------------------------------------------------------------
# read_eis / detect_format behaviour and errors


def test_read_eis_accepts_str_and_path():
    path = EXAMPLES / "table_cartesian.csv"
    assert len(read_eis(str(path))[0]) == len(read_eis(path)[0])
    assert detect_format(str(path)) == "table"


def test_format_can_be_forced():
    (spectrum,) = read_eis(EXAMPLES / "three_column_minus_im.txt", format="three_column")
    assert spectrum.metadata["format"] == "three_column"


def test_formats_registry():
    assert "zahner_ism" in FORMATS and not FORMATS["zahner_ism"].supported
    assert all(fmt.name == name for name, fmt in FORMATS.items())


def one_line_error(excinfo, *fragments: str) -> None:
    message = str(excinfo.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message


def test_missing_file(tmp_path):
    with pytest.raises(FileFormatError) as excinfo:
        read_eis(tmp_path / "nothing.mpt")
    one_line_error(excinfo, "nothing.mpt", "no such file")


def test_directory(tmp_path):
    with pytest.raises(FileFormatError) as excinfo:
        read_eis(tmp_path)
    one_line_error(excinfo, "directory")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(FileFormatError) as excinfo:
        read_eis(path)
    one_line_error(excinfo, "empty.txt", "empty")


def test_unknown_format_name():
    with pytest.raises(FileFormatError) as excinfo:
        read_eis(EXAMPLES / "table_cartesian.csv", format="nonsense")
    one_line_error(excinfo, "table_cartesian.csv", "unknown format 'nonsense'")


def test_wrong_forced_format_names_file_and_line():
    with pytest.raises(FileFormatError) as excinfo:
        read_eis(EXAMPLES / "chi_ac_impedance.txt", format="gamry_dta")
    one_line_error(excinfo, "chi_ac_impedance.txt: line 1:", "EXPLAIN")


def test_unrecognised_text():
    with pytest.raises(FileFormatError) as excinfo:
        parse_eis(b"hello\nworld\n", "notes.txt")
    one_line_error(excinfo, "notes.txt", "unrecognised")


def test_truncated_ec_lab_header():
    data = b"EC-Lab ASCII FILE\nNb header lines : 80\n\nPotentio Electrochemical\n"
    with pytest.raises(FileFormatError) as excinfo:
        parse_eis(data, "cut.mpt")
    one_line_error(excinfo, "cut.mpt: line 2:", "Nb header lines : 80")


def test_bad_number_names_the_line():
    data = b"freq/Hz,Re(Z)/Ohm,-Im(Z)/Ohm\n1000,1,2\n100,1,oops\n"
    with pytest.raises(FileFormatError) as excinfo:
        parse_eis(data, "bad.csv")
    one_line_error(excinfo, "bad.csv: line 3:", "'oops'")


def test_negative_frequency_names_the_line():
    data = b"freq/Hz,Re(Z)/Ohm,-Im(Z)/Ohm\n1000,1,2\n-100,1,3\n"
    with pytest.raises(FileFormatError) as excinfo:
        parse_eis(data, "neg.csv")
    one_line_error(excinfo, "neg.csv: line 3:", "negative frequency")


def test_duplicate_frequencies_in_one_spectrum():
    data = b"freq/Hz,Re(Z)/Ohm,-Im(Z)/Ohm,loop\n1000,1,2,0\n1000,1,3,0\n100,1,3,0\n"
    with pytest.raises(FileFormatError) as excinfo:
        parse_eis(data, "dup.csv")
    one_line_error(excinfo, "dup.csv: line 3:", "spectrum 0", "1000 Hz appears 2× (lines 2–3)")


def test_nan_rows_are_dropped_and_counted():
    data = b"freq/Hz,Re(Z)/Ohm,-Im(Z)/Ohm\n1000,1,2\n100,NaN,3\n10,2,5\n"
    (spectrum,) = parse_eis(data, "nan.csv")
    assert len(spectrum) == 2
    assert "dropped 1 row with a NaN/inf value (line 3)" in spectrum.notes


def test_named_column_sign_is_trusted_but_questioned():
    data = b"freq/Hz,Z'/Ohm,Z''/Ohm\n1000,1,0.5\n100,2,2\n10,3,5\n1,4,9\n"
    (spectrum,) = parse_eis(data, "positive.csv")
    assert np.all(spectrum.impedance_ohm.imag > 0)
    assert any(note.startswith("warning:") and "inductive" in note for note in spectrum.notes)


def test_three_column_wrong_width_names_the_line():
    data = b"1000\t1\t-2\n100\t1\n10\t1\t-3\n"
    with pytest.raises(FileFormatError) as excinfo:
        parse_eis(data, "x.txt", format="three_column")
    one_line_error(excinfo, "x.txt: line 2:", "expected 3 columns")
