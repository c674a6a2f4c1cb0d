"""Headerless three-column text: frequency, Z', Z'' — with the sign of Z'' found from the data.

Layout (from ``LATP_Korrosion_04_PEIS_C02.txt`` of m0l0t0ph/thesis, an export of the same
measurement as the EC-Lab ``.mpt`` beside it)::

    1000024,25<TAB>1,09552193<TAB>2,83702946
    681286,5<TAB>8,98408794<TAB>0,512199581
    …

Separated by tabs, semicolons, commas or spaces; a decimal comma is recognised when the
separator is not a comma. Without a header the file cannot say whether column 3 is Im(Z) or
−Im(Z). Physical systems are capacitive at low frequency, so the sign is chosen to make most
points in the lower-frequency half capacitive (Z'' < 0); the counts are written to the notes,
and fewer than three such points are refused (they may be the inductive high-frequency end).
(In the thesis file column 3 is Im(Z): its low-frequency values are negative, while the .mpt
stores −Im(Z).) A final row cut off mid-write (fewer fields, or no final newline and a last
value not shown whole) is dropped with a note naming its line.
"""

from __future__ import annotations

import numpy as np

from ssblab.impedance.spectrum import Spectrum
from ssblab.io._text import (
    DECIMAL_COMMA_NOTE,
    FINAL_ROW_REFERENCE,
    FileHead,
    cut_off_final_cells,
    cut_off_note,
    decode_text,
    format_error,
    is_number,
    looks_like_decimal_comma,
    parse_number,
    text_lines,
)
from ssblab.io.eis._common import (
    EisFormat,
    Points,
    low_frequency_capacitive_fraction,
    split_and_build,
    sweep_restarts,
)


def _separator(lines: list[str]) -> str | None:
    sample = "\n".join(lines[:50])
    for separator in ("\t", ";"):
        if separator in sample:
            return separator
    if all(line.count(",") == 2 for line in lines[:50] if line.strip()):
        return ","
    return None


#: Non-zero lower-frequency values needed to choose the sign of column 3 (one or two points
#: of a cut file can be the inductive high-frequency end of the sweep).
MIN_SIGN_VOTES = 3


def _fields(line: str, separator: str | None) -> list[str]:
    fields = line.split(separator) if separator else line.split()
    return [f for f in fields if f.strip()] if separator in (None, "\t") else fields


def sign_of_imaginary_column(frequency: np.ndarray, column: np.ndarray) -> tuple[float, str]:
    """(+1 or −1 to apply to column 3, the note explaining the choice)."""
    negative, total = low_frequency_capacitive_fraction(frequency, column)
    positive = total - negative
    cutoff = float(np.sort(frequency)[max(0, (frequency.size + 1) // 2 - 1)])
    counts = (
        f"{negative} of {total} non-zero values at f ≤ {cutoff:.4g} Hz are negative, "
        f"{positive} positive"
    )
    if negative >= positive:
        return 1.0, (
            f"sign of column 3 detected from the data: {counts}, so column 3 is taken "
            "as Im(Z) (most low-frequency points capacitive); used as is"
        )
    return -1.0, (
        f"sign of column 3 detected from the data: {counts}, so column 3 is taken as "
        "−Im(Z) and flipped to make most low-frequency points capacitive"
    )


def parse_three_column(data: bytes, source: str) -> list[Spectrum]:
    decoded = decode_text(data)
    lines = text_lines(decoded.text)
    separator = _separator(lines)
    entries = [
        (number, _fields(line, separator))
        for number, line in enumerate(lines, start=1)
        if line.strip()
    ]
    cut_notes = []
    if entries:
        reason = cut_off_final_cells(
            [fields for _, fields in entries[-FINAL_ROW_REFERENCE - 1 :]],
            ends_with_newline=entries[-1][0] < len(lines),
            used={0, 1, 2},
        )
        if reason is not None:
            cut_notes.append(cut_off_note(entries[-1][0], reason))
            entries.pop()
    rows: list[list[str]] = []
    row_lines: list[int] = []
    for number, fields in entries:
        if len(fields) != 3:
            raise format_error(
                source, f"expected 3 columns (frequency, Z', Z''), found {len(fields)}", number
            )
        rows.append(fields)
        row_lines.append(number)
    if not rows:
        raise format_error(source, f"no data rows{' (' + cut_notes[0] + ')' if cut_notes else ''}")
    decimal_comma = separator != "," and looks_like_decimal_comma(
        [f for row in rows[:50] for f in row]
    )
    values = []
    for fields, number in zip(rows, row_lines, strict=True):
        try:
            values.append([parse_number(f, decimal_comma) for f in fields])
        except ValueError:
            raise format_error(
                source, f"not a number in {', '.join(fields)[:60]!r}", number
            ) from None
    table = np.asarray(values, dtype=float)
    frequency, real, imaginary = table.T
    usable = np.isfinite(frequency) & (frequency > 0) & np.isfinite(imaginary)
    if not np.any(usable):
        raise format_error(source, "no row with a positive frequency")
    _, total = low_frequency_capacitive_fraction(frequency[usable], imaginary[usable])
    if total < MIN_SIGN_VOTES:
        raise format_error(
            source,
            f"too few points to tell the sign of column 3: {total} non-zero Z'' value(s) in "
            f"the lower-frequency half, {MIN_SIGN_VOTES} needed (a headerless file does not "
            "say whether column 3 is Im(Z) or −Im(Z))",
        )
    sign, sign_note = sign_of_imaginary_column(frequency[usable], imaginary[usable])
    notes = [
        *decoded.notes,
        *cut_notes,
        *([DECIMAL_COMMA_NOTE] if decimal_comma else []),
        sign_note,
    ]
    with np.errstate(invalid="ignore", over="ignore"):  # NaN/inf rows are dropped later
        points = Points.from_lists(frequency, real + 1j * sign * imaginary, row_lines)
    groups = sweep_restarts(frequency)
    if len(groups) > 1:
        notes.append(f"split into {len(groups)} spectra where the frequency sweep restarts")
    return split_and_build(source, points, groups, {"format": "three_column"}, notes)


def _sniff(head: FileHead) -> bool:
    lines = [line for line in text_lines(head.text)[:21] if line.strip()]
    if not lines or "\x00" in head.text:
        return False
    separator = _separator(lines)
    for line in lines[:20]:
        fields = _fields(line, separator)
        if len(fields) != 3 or not all(is_number(f, True) for f in fields):
            return False
    return True


FORMAT = EisFormat(
    name="three_column",
    title="headerless 3-column text (frequency, Z', Z''; sign of Z'' detected from the data)",
    extensions=(".txt", ".dat", ".csv"),
    sniff=_sniff,
    parse=parse_three_column,
)
