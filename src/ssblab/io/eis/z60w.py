"""Z60W text files ("Z60W Data File: Version 1.1"), the ZPlot-family export that
ECSHackWeek/impedance.py calls its "Autolab" example.

Layout (from ``exampleDataAutolab.txt`` of ECSHackWeek/impedance.py)::

    <UTF-8 BOM>"Z60W Data File: Version 1.1"
    ""                                          <- seven quoted, empty comment lines
    …
    0,2,0,1,0.1,10000                           <- sweep configuration; last two: low, high Hz
    41                                          <- number of points
    "  Freq (Hz)    Ampl     Bias   Time(Sec)   Z'(a)    Z''(b)    GD   Err   Range"
    10000,0,0,0,0.013785863964281,0.007191946305823,0,0,0

Comma-separated; the columns are those of ZPlot: frequency, amplitude, bias, time, Z', Z'', …
``Z''(b)`` is the true imaginary part (this milliohm cell is inductive, Z'' > 0, at high
frequency). A final row cut off mid-write is dropped with a note naming its line.
"""

from __future__ import annotations

import re
from typing import Any

from ssblab.impedance.spectrum import Spectrum
from ssblab.io._text import FileHead, decode_text, format_error, is_number, parse_number, text_lines
from ssblab.io.eis._common import EisFormat, add_notes, count_mismatch_note, frequency_range_notes
from ssblab.io.eis.table import parse_table_rows, split_rows

TITLE = "Z60W Data File"
COLUMNS = ["Freq (Hz)", "Ampl", "Bias", "Time(Sec)", "Z'(a)", "Z''(b)", "GD", "Err", "Range"]


def parse_z60w(data: bytes, source: str) -> list[Spectrum]:
    decoded = decode_text(data)
    lines = text_lines(decoded.text)
    if not lines[0].strip().strip('"').startswith(TITLE):
        raise format_error(source, f"does not start with '{TITLE}'", 1)
    header_at = next(
        (i for i, line in enumerate(lines[:40]) if line.strip().startswith('"') and "Freq" in line),
        None,
    )
    if header_at is None:
        raise format_error(source, "no quoted column line naming 'Freq (Hz)'")
    header = lines[header_at].strip().strip('"')
    if "Z'(a)" not in header or "Z''(b)" not in header:
        raise format_error(source, "column line lacks Z'(a) and Z''(b)", header_at + 1)
    metadata: dict[str, Any] = {"format": "z60w", "version": lines[0].strip().strip('"')}
    declared_count = None
    declared_range = []
    preamble = [line.strip() for line in lines[1:header_at]]
    if preamble and re.fullmatch(r"\d+", preamble[-1]):
        declared_count = int(preamble[-1])
    configuration = preamble[-2].split(",") if len(preamble) > 1 else []
    if len(configuration) >= 2 and all(is_number(v) for v in configuration[-2:]):
        low, high = (parse_number(v) for v in configuration[-2:])
        declared_range = [
            (f"{high:g} Hz (configuration line)", high),
            (f"{low:g} Hz (configuration line)", low),
        ]
    comments = [line.strip('"') for line in preamble if line.startswith('"') and line != '""']
    if comments:
        metadata["comments"] = "\n".join(comments)
    rows = [COLUMNS, *split_rows(lines[header_at + 1 :], ",")]
    row_lines = [header_at + 1, *range(header_at + 2, len(lines) + 1)]
    spectra = parse_table_rows(
        rows,
        row_lines,
        source,
        notes=decoded.notes,
        metadata=metadata,
        units_fixed_by_format=True,
        line_count=len(lines),
    )
    present = sum(len(s) for s in spectra)

    def header_checks(spectrum: Spectrum) -> list[str]:
        notes = frequency_range_notes(spectrum.frequency_hz, declared_range)
        if declared_count is not None:
            notes += count_mismatch_note(declared_count, present, "points")
        return notes

    return add_notes(spectra, header_checks)


def _sniff(head: FileHead) -> bool:
    return head.first_line.strip('"').startswith(TITLE)


FORMAT = EisFormat(
    name="z60w",
    title='Z60W text ("Z60W Data File", ZPlot family; impedance.py\'s "Autolab" example)',
    extensions=(".txt",),
    sniff=_sniff,
    parse=parse_z60w,
)
