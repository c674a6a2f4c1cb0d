"""Cut-off files never mislead (issue 9 §1): every EIS text reader drops a final row cut in the
middle of writing, with a note naming its line, or refuses the file.

Ground truth is the untruncated read of the same file: every EIS example (``examples/eis``) and
every real EIS text file (``../shared/real-data/eis``, skipped when absent) is cut at many byte
offsets — spread over the file and at every byte of its last data rows — and read again. The
points read must be a prefix of the whole file's points (no cut value accepted), no spectrum may
appear that the whole file does not have (no phantom), and a data row cut off must be named in a
note. The BioLogic ``.mpt`` files have their own test (``test_biologic_twins.py``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest

from ssblab.errors import SsblabError
from ssblab.impedance.spectrum import Spectrum
from ssblab.io.eis import detect_format_of_bytes, parse_eis

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "eis"
REAL_EIS = ROOT.parent / "shared" / "real-data" / "eis"
NOT_TEXT = {".py", ".json", ".md", ".xlsx", ".mpr", ".ism"}
BIOLOGIC = {"biologic_mpt", "biologic_mpr"}


def _text_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix not in NOT_TEXT and not p.name.startswith(".")
    )


def _eis_text_files() -> list[Path]:
    files = [*_text_files(EXAMPLES), *_text_files(REAL_EIS)]
    out = []
    for path in files:
        try:
            fmt = detect_format_of_bytes(path.read_bytes(), path.name)
        except SsblabError:
            continue
        if fmt not in BIOLOGIC:
            out.append(path)
    return out


FILES = _eis_text_files()


def _points(spectra: list[Spectrum]) -> tuple[np.ndarray, np.ndarray]:
    return (
        np.concatenate([s.frequency_hz for s in spectra]),
        np.concatenate([s.impedance_ohm for s in spectra]),
    )


def _data_end(data: bytes) -> int:
    """Where the data rows end: VersaStudio's data sit inside ``<Segment1>``."""
    closing = data.rfind(b"</Segment")
    return closing if closing >= 0 else len(data)


def _offsets(data: bytes, spread: int = 40) -> list[int]:
    """Cut points: spread over the file, plus every byte of the last two data rows."""
    end = _data_end(data)
    last = data.rfind(b"\n", 0, max(0, end - 1))
    tail = data.rfind(b"\n", 0, max(0, last)) if last > 0 else 0
    every = range(max(1, tail, end - 600), min(len(data), end + 2))  # (JSON has no lines)
    return sorted({*np.linspace(1, len(data) - 1, spread).astype(int).tolist(), *every})


def _read(data: bytes, name: str, fmt: str) -> list[Spectrum] | None:
    try:
        return parse_eis(data, name, fmt)
    except SsblabError as exc:
        message = str(exc)
        assert "\n" not in message and message.startswith(name), message
        return None


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_a_cut_file_gives_a_prefix_of_the_whole_file(path):
    data = path.read_bytes()
    fmt = detect_format_of_bytes(data, path.name)
    whole = parse_eis(data, path.name, fmt)
    assert not any("cut off" in n or "field count" in n for s in whole for n in s.notes)
    frequency, impedance = _points(whole)
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))

    @cache
    def points_through(line: int, complete: bool) -> int | None:
        """Points read from the file up to line ``line`` (1-based), with or without it."""
        lines = data.split(b"\n")
        piece = b"\n".join(lines[: line if complete else line - 1]) + b"\n"
        got = _read(piece, path.name, fmt)
        return None if got is None else sum(len(s) for s in got)

    for cut in _offsets(data):
        spectra = _read(data[:cut], path.name, fmt)
        if spectra is None:
            continue
        assert len(spectra) <= len(whole), f"cut at byte {cut}: a phantom spectrum"
        for k, spectrum in enumerate(spectra[:-1]):
            assert len(spectrum) == len(whole[k]), f"cut at byte {cut}: spectrum {k} shortened"
        f, z = _points(spectra)
        n = f.size
        assert np.array_equal(f, frequency[:n]), f"cut at byte {cut}: a cut frequency read"
        assert np.array_equal(z, impedance[:n]), f"cut at byte {cut}: a cut impedance read"
        if utf16 or data[cut : cut + 1] in (b"\n", b"\r", b""):
            continue  # UTF-16 JSON has no rows; a cut at a line end leaves the row whole
        if not data[data.rfind(b"\n", 0, cut) + 1 : cut].strip():
            continue  # nothing of the row is left: no cut value to read
        line = data.count(b"\n", 0, cut) + 1
        before, through = points_through(line, False), points_through(line, True)
        if before is None or through is None or through != before + 1 or n != before:
            continue  # line is not a data row, or the reader kept it (and it is whole)
        notes = [note for s in spectra for note in s.notes]
        assert any(note.startswith(f"line {line} dropped: it looks cut off") for note in notes), (
            f"cut at byte {cut}: line {line} dropped without a note: {notes}"
        )


def _data_end_with_newline(path: Path) -> bool:
    data = path.read_bytes()
    return _data_end(data) == len(data) and data.endswith(b"\n")


# files whose data rows end the file with a newline (EC-Lab exports have none to remove)
NEWLINE_ENDED = [p for p in FILES if _data_end_with_newline(p)]


@pytest.mark.parametrize("path", NEWLINE_ENDED, ids=lambda p: p.name)
def test_a_whole_file_without_its_final_newline(path):
    """The row before the missing newline is kept when its writing shows it whole, else
    dropped with a note naming it; the other rows are untouched."""
    data = path.read_bytes()
    fmt = detect_format_of_bytes(data, path.name)
    stripped = data.rstrip(b"\r\n")
    whole, cut = parse_eis(data, path.name, fmt), parse_eis(stripped, path.name, fmt)
    frequency, impedance = _points(whole)
    f, z = _points(cut)
    assert np.array_equal(f, frequency[: f.size]) and np.array_equal(z, impedance[: f.size])
    if f.size < frequency.size:
        assert f.size == frequency.size - 1
        line = stripped.count(b"\n") + 1
        assert any(n.startswith(f"line {line} dropped") for s in cut for n in s.notes)


def test_every_text_format_is_covered():
    formats = {detect_format_of_bytes(p.read_bytes(), p.name) for p in FILES}
    expected = {
        "chi",
        "gamry_dta",
        "zview_z",
        "z60w",
        "versastudio_par",
        "relaxis",
        "parstat",
        "table",
        "three_column",
        "palmsens_pssession",
    }
    assert formats == expected


# --------------------------------------------------------------------------------------------
# Constructed files with known answers

TABLE = (
    "freq/Hz\tRe(Z)/Ohm\tIm(Z)/Ohm\n"
    "1.0000e+03\t1.0000e+01\t-5.0000e-04\n"
    "1.0000e+02\t2.0000e+01\t-5.0000e-03\n"
    "1.0000e+01\t3.0000e+01\t-5.0000e-02\n"
    "1.0000e+00\t4.0000e+01\t-5.0000e-04\n"
)


@pytest.mark.parametrize(
    ("cut", "reason"),
    [
        ("1.0000e+00\t4.0000e+01\t-5.0000", "lacks the exponent"),
        ("1.0000e+00\t4.0000e+01\t-5.0000e-0", "fewer exponent digits"),
        ("1.0000e+00\t4.0000e+01\t-5.0000e", "exponent without digits"),
        ("1.0000e+00\t4.0000e+01\t", "is empty"),
        ("1.0000e+00\t4.0000e+01", "2 fields where the rows before it have 3"),
        ("1.0000e+00\t4.00", "2 fields"),
    ],
)
def test_the_issue_example_minus_5e_minus_4_cut_to_minus_5(cut, reason):
    """-5.0000e-04 cut to -5.0000 was read as −5 Ω; now the row is dropped and named."""
    data = (TABLE.rsplit("1.0000e+00", 1)[0] + cut).encode()
    (spectrum,) = parse_eis(data, "cut.tsv")
    assert spectrum.frequency_hz.tolist() == [1000.0, 100.0, 10.0]
    np.testing.assert_array_equal(spectrum.impedance_ohm.imag, [-5e-4, -5e-3, -5e-2])
    (note,) = [n for n in spectrum.notes if "cut off" in n]
    assert note.startswith("line 5 dropped: it looks cut off (") and reason in note


def test_a_whole_last_row_without_a_final_newline_is_kept():
    (spectrum,) = parse_eis(TABLE.rstrip("\n").encode(), "whole.tsv")
    assert len(spectrum) == 4 and spectrum.impedance_ohm[-1] == 40 - 5e-4j
    assert not any("cut off" in n for n in spectrum.notes)


def test_a_repr_written_last_value_without_a_final_newline_cannot_be_vouched_for():
    rows = ["f,Zre,Zim", "1000,10.5,-0.125", "100,20.25,-1.5", "10,30.125,-2.0625"]
    data = "\n".join([*rows, "1,40.5,-3.2"]).encode()  # -3.2 may be -3.25 cut
    (spectrum,) = parse_eis(data, "repr.csv")
    assert len(spectrum) == 3
    assert any(
        n.startswith("line 5 dropped: it looks cut off (the file ends without a newline")
        and "'-3.2'" in n
        for n in spectrum.notes
    )
    (whole,) = parse_eis(data + b"\n", "repr.csv")  # with its newline the row is whole
    assert len(whole) == 4 and whole.impedance_ohm[-1] == 40.5 - 3.2j


def test_a_cut_in_a_column_not_read_spoils_nothing():
    rows = ["freq/Hz\tRe(Z)/Ohm\tIm(Z)/Ohm\tcomment"]
    rows += [f"{10.0**-k:g}\t{k + 1}.5\t-{k + 1}.25\tpoint {k}" for k in range(4)]
    data = ("\n".join(rows)[:-3]).encode()  # "point 3" cut to "poin"
    (spectrum,) = parse_eis(data, "comment.tsv")
    assert len(spectrum) == 4 and spectrum.impedance_ohm[-1] == 4.5 - 4.25j


def test_parstat_trailing_tab_shows_every_cut():
    data = (EXAMPLES / "parstat_export.txt").read_bytes()
    (whole,) = parse_eis(data, "parstat_export.txt")
    lines = data.split(b"\n")
    last = len(lines) - 1  # the file ends with a newline: lines[-1] is empty
    cut = b"\n".join(lines[:-2]) + b"\n" + lines[-2][:-6]  # the last row loses its tail
    (spectrum,) = parse_eis(cut, "parstat_export.txt")
    assert len(spectrum) == len(whole) - 1
    assert any(n.startswith(f"line {last} dropped: it looks cut off") for n in spectrum.notes)


def test_versastudio_file_ending_inside_its_segment():
    data = (EXAMPLES / "versastudio_eis.par").read_bytes()
    (whole,) = parse_eis(data, "v.par")
    cut = data[: data.index(b"</Segment1>") - 9]  # inside the last data row
    (spectrum,) = parse_eis(cut, "v.par")
    assert len(spectrum) == len(whole) - 1
    assert any("the file ends inside <Segment1>" in n for n in spectrum.notes)
    assert any("dropped: it looks cut off" in n for n in spectrum.notes)


def test_relaxis_label_left_at_the_end_of_a_cut_file():
    data = (EXAMPLES / "relaxis_export.txt").read_bytes()
    lines = data.split(b"\r\n")
    (whole,) = parse_eis(data, "r.txt")
    cut = data + lines[3][:20]  # a second spectrum's label, cut, and nothing after it
    (spectrum,) = parse_eis(cut, "r.txt")
    assert len(spectrum) == len(whole)
    label_line = len(lines)
    assert any(
        n.startswith(f"line {label_line} ignored: a spectrum label at the end of the file")
        for n in spectrum.notes
    )
