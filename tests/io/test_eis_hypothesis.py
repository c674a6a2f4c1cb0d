"""Property tests: tables round-trip through the parsers; garbage only ever raises
:class:`FileFormatError`."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssblab.errors import FileFormatError
from ssblab.impedance.spectrum import Spectrum
from ssblab.io.eis import FORMATS, parse_eis
from ssblab.io.eis._common import parse_number
from ssblab.io.eis.table import parse_table
from ssblab.io.eis.three_column import parse_three_column

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
frequencies = st.lists(
    st.floats(min_value=1e-3, max_value=1e7), min_size=1, max_size=30, unique=True
).map(lambda f: sorted(f, reverse=True))


def number_text(x: float, decimal_comma: bool) -> str:
    text = repr(float(x))
    return text.replace(".", ",") if decimal_comma else text


@FAST
@given(finite, st.booleans())
def test_number_round_trip_with_decimal_comma(x, decimal_comma):
    assert parse_number(number_text(x, decimal_comma), decimal_comma) == x


@st.composite
def tables(draw):
    f = draw(frequencies)
    real = draw(st.lists(finite, min_size=len(f), max_size=len(f)))
    imag = draw(st.lists(finite, min_size=len(f), max_size=len(f)))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    decimal_comma = delimiter != "," and draw(st.booleans())
    stored_negative = draw(st.booleans())
    names = draw(
        st.sampled_from(
            [
                ("freq/Hz", "Re(Z)/Ohm", "Im(Z)/Ohm"),
                ("Frequency (Hz)", "Z' (Ohm)", "Z'' (Ohm)"),
                ("f", "Zreal", "Zimag"),
            ]
        )
    )
    header = [names[0], names[1], ("-" if stored_negative else "") + names[2]]
    lines = [delimiter.join(header)]
    for fi, re_z, im_z in zip(f, real, imag, strict=True):
        stored = -im_z if stored_negative else im_z
        lines.append(delimiter.join(number_text(v, decimal_comma) for v in (fi, re_z, stored)))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    final = draw(st.booleans())
    return (newline.join(lines) + (newline if final else "")).encode(), f, real, imag, final


def kept_points(spectrum: Spectrum, count: int, final_newline: bool) -> int:
    """How many of the file's ``count`` points the reader kept: all of them, or — only in a
    file without a final newline, whose last value cannot always be told whole — all but the
    last, with a note naming its line (the header is line 1)."""
    if len(spectrum) == count:
        return count
    assert not final_newline and len(spectrum) == count - 1
    assert any(n.startswith(f"line {count + 1} dropped: it looks cut off") for n in spectrum.notes)
    return count - 1


@FAST
@given(tables())
def test_generic_table_round_trip(case):
    data, f, real, imag, final_newline = case
    try:
        (spectrum,) = parse_table(data, "table.csv")
    except FileFormatError as exc:  # a one-row file whose only row cannot be told whole
        assert len(f) == 1 and not final_newline and "cut off" in str(exc)
        return
    n = kept_points(spectrum, len(f), final_newline)
    assert spectrum.frequency_hz.tolist() == f[:n]
    assert spectrum.impedance_ohm.real.tolist() == real[:n]
    assert spectrum.impedance_ohm.imag.tolist() == [float(v) + 0.0 for v in imag[:n]]


@FAST
@given(
    frequencies.filter(lambda f: len(f) >= 6),
    st.floats(min_value=1e-3, max_value=1e6),
    st.floats(min_value=1.0, max_value=1e6),
    st.floats(min_value=1e-9, max_value=1e-3),
    st.booleans(),
    st.sampled_from(["\t", " "]),
    st.booleans(),
)
def test_three_column_sign_detection_gives_the_physical_sign(
    f, r0, r1, c1, flip, separator, final_newline
):
    w = 2 * np.pi * np.asarray(f)
    z = r0 + r1 / (1 + 1j * w * r1 * c1)  # an R-RC circuit: capacitive, Z'' < 0
    column3 = -z.imag if flip else z.imag
    text = "\n".join(
        separator.join(repr(float(v)) for v in row) for row in zip(f, z.real, column3, strict=True)
    ) + ("\n" if final_newline else "")
    (spectrum,) = parse_three_column(text.encode(), "three.txt")
    n = len(spectrum)
    if n < len(f):  # no final newline and a last value that cannot be told whole: noted
        assert not final_newline and n == len(f) - 1
        assert any(note.startswith(f"line {len(f)} dropped") for note in spectrum.notes)
    assert np.all(spectrum.impedance_ohm.imag <= 0)
    np.testing.assert_allclose(spectrum.impedance_ohm, z[:n], rtol=1e-12)


def parses_or_refuses(data: bytes, name: str, fmt: str | None = None) -> None:
    try:
        spectra = parse_eis(data, name, fmt)
    except FileFormatError as exc:
        assert str(exc).startswith(name)
        assert "\n" not in str(exc)
        return
    assert spectra and all(isinstance(s, Spectrum) for s in spectra)


names = st.sampled_from(
    [
        "x.txt",
        "x.csv",
        "x.mpt",
        "x.DTA",
        "x.z",
        "x.par",
        "x.mpr",
        "x.pssession",
        "x.xlsx",
        "x.ism",
        "x",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400), names)
def test_random_bytes_raise_only_file_format_error(data, name):
    parses_or_refuses(data, name)


SIGNATURES = {
    "biologic_mpt": "EC-Lab ASCII FILE\nNb header lines : 4\n\nfreq/Hz\tRe(Z)/Ohm\t-Im(Z)/Ohm\n",
    "chi": "A.C. Impedance\nFreq/Hz, Z'/ohm, Z\"/ohm\n\n",
    "gamry_dta": (
        "EXPLAIN\nTAG\tEISPOT\nZCURVE\tTABLE\n\tPt\tFreq\tZreal\tZimag\n\t#\tHz\tohm\tohm\n"
    ),
    "zview_z": "ZPLOT2 ASCII\n  Data Points: 3\nFreq(Hz)\tZ'(a)\tZ''(b)\nEnd Comments\n",
    "z60w": '"Z60W Data File: Version 1.1"\n3\n"Freq Z\'(a) Z\'\'(b)"\n',
    "versastudio_par": "<Application>\nName=VersaStudio\n</Application>\n<Segment1>\n"
    "Definition=Frequency(Hz), Z Real, Z Imag\n",
    "relaxis": "RelaxIS 3.0 Spectrum export\nData: Frequency\tData: Z'\tData: Z''\nDC=1\n",
    "parstat": "Frequency (Hz)\tZre (ohms)\tZim (ohms)\t\n",
    "table": "freq/Hz;Re(Z)/Ohm;-Im(Z)/Ohm;loop\n",
    "three_column": "",
    "palmsens_pssession": '{"Type":"PalmSens.DataFiles.SessionFile","Measurements":[',
}
garbage_text = st.text(
    alphabet=st.sampled_from(list("0123456789.,;-+eE \t\n\r\"'{}[]:=<>/#NaZ")), max_size=300
)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(SIGNATURES)), garbage_text)
def test_garbage_after_a_format_signature_raises_only_file_format_error(fmt, tail):
    text = SIGNATURES[fmt] + tail
    data = text.encode("utf-16") if fmt == "palmsens_pssession" else text.encode()
    parses_or_refuses(data, "garbage", fmt)


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=300))
def test_damaged_binary_files_raise_only_file_format_error(tail):
    parses_or_refuses(b"BIO-LOGIC MODULAR FILE\x1a" + tail, "x.mpr", "biologic_mpr")
    parses_or_refuses(b"PK\x03\x04" + tail, "x.xlsx", "excel")


def test_every_supported_format_is_fuzzed():
    supported = {name for name, fmt in FORMATS.items() if fmt.supported}
    assert supported - set(SIGNATURES) == {"biologic_mpr", "excel"}


EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "eis"
EXAMPLE_FILES = sorted(
    p
    for p in EXAMPLES.iterdir()
    if p.is_file() and p.suffix not in (".py", ".json", ".md") and not p.name.startswith(".")
)


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from(EXAMPLE_FILES),
    st.lists(
        st.tuples(
            st.sampled_from(["replace", "delete", "truncate", "insert"]),
            st.floats(min_value=0, max_value=1),
            st.binary(min_size=1, max_size=8),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_damaged_example_files_raise_only_file_format_error(path, edits):
    """Valid files with a few bytes replaced, deleted or inserted: spectra or FileFormatError."""
    data = bytearray(path.read_bytes())
    for operation, where, chunk in edits:
        i = int(where * len(data))
        if operation == "replace":
            data[i : i + len(chunk)] = chunk
        elif operation == "delete":
            del data[i : i + 8 * len(chunk)]
        elif operation == "truncate":
            del data[i:]
        else:
            data[i:i] = chunk
    parses_or_refuses(bytes(data), path.name)


REAL_EIS = Path(__file__).resolve().parents[3] / "shared" / "real-data" / "eis"
TEXT_FILES = [
    p
    for p in [*EXAMPLE_FILES, *(sorted(REAL_EIS.rglob("*")) if REAL_EIS.is_dir() else [])]
    if p.is_file()
    and p.suffix.lower() not in (".xlsx", ".mpr", ".ism", ".pssession")
    and not p.name.startswith(".")
]
CELL = re.compile(rb"[-+]?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?")
CELL_DAMAGE = [b"NaN", b"abc", b"", b"inf", "1\u20092".encode(), "µ".encode(), b"1.2.3"]


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(TEXT_FILES),
    st.lists(
        st.tuples(
            st.sampled_from(["cell", "comma", "point", "line-", "line+", "swap", "unicode"]),
            st.floats(0, 1),
            st.floats(0, 1),
            st.sampled_from(CELL_DAMAGE),
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_cell_and_line_damage_gives_spectra_or_a_typed_one_line_error(path, edits):
    """Numbers replaced by NaN/abc/nothing, decimal separators swapped, lines deleted,
    duplicated or swapped, unicode inserted — in examples and real files alike."""
    data = path.read_bytes()
    for operation, where, other, chunk in edits:
        cells = list(CELL.finditer(data))
        lines = data.split(b"\n")
        i, j = int(where * (len(lines) - 1)), int(other * (len(lines) - 1))
        if operation in ("cell", "comma", "point") and cells:
            m = cells[int(where * (len(cells) - 1))]
            text = m.group()
            new = {
                "cell": chunk,
                "comma": text.replace(b".", b","),
                "point": text.replace(b",", b"."),
            }[operation]
            data = data[: m.start()] + new + data[m.end() :]
        elif operation == "line-":
            data = b"\n".join(lines[:i] + lines[i + 1 :])
        elif operation == "line+":
            data = b"\n".join([*lines[: i + 1], lines[i], *lines[i + 1 :]])
        elif operation == "swap":
            lines[i], lines[j] = lines[j], lines[i]
            data = b"\n".join(lines)
        else:
            k = int(where * len(data))
            data = data[:k] + chunk + data[k:]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing may reach the user's stderr
        parses_or_refuses(data, path.name)
