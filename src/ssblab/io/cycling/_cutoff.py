"""A final row cut off by an interrupted copy or a cycler still writing (issue 9 §1).

The shared rule is :func:`ssblab.io._text.cut_off_final_row`: a last row with fewer fields than
the rows before it, or — in a file that ends without a newline — a last number written unlike
its column. Around it, for cycling tables: the newline is read after the row's last field
(trailing delimiters and whitespace do not end a row); a last row without the trailing
delimiter every row before it has (the Maccor SIMBA export) is not short; tables with fewer
than three rows are judged on the rows they have; and a text field (a timestamp, a label) cut
to the beginning of what its column writes is a cut too. :func:`cut_stacked_record` applies the
rule to Neware's 3-level export, whose cycle and step rows have other lengths. The check is
strict (every column counts as read): a last value whose writing cannot show it is whole (a
column written with varying digits) is dropped with a note when the file ends without a
newline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import islice

from ssblab.io._text import (
    FINAL_ROW_REFERENCE,
    cut_off_final_row,
    cut_off_note,
    is_number,
    tail_lines,
)


def final_row_cut(text: str, start: int, delimiter: str | None) -> tuple[int, str] | None:
    """(where the last row begins in ``text``, the note naming its line) when the last row of
    the table whose data rows begin at ``text[start:]`` looks cut off, else None.

    :func:`ssblab.io._text.cut_off_final_row` decides from the last non-blank line below the
    header and up to :data:`~ssblab.io._text.FINAL_ROW_REFERENCE` lines before it; whether the
    file ends with a newline is read after that line (whitespace and delimiters after a row's
    last field do not end it). With fewer than three rows before it, each of them is given to
    the shared check three times (it wants three to judge a column's number format).
    """
    end = len(text.rstrip(" \t\r\n\x00,;"))
    if end <= start:
        return None
    newline = text.find("\n", end)
    stop = newline if newline >= 0 else len(text)
    lines = [line for line in tail_lines(text, FINAL_ROW_REFERENCE + 1, start, stop) if line]
    # a last row written without the trailing delimiter every row before it has (the Maccor
    # SIMBA export) holds the same number of values: not a cut
    if (
        delimiter
        and len(lines) > 1
        and not lines[-1].endswith(delimiter)
        and all(line.endswith(delimiter) for line in lines[:-1] if line.strip())
    ):
        rows = [line[: -len(delimiter)] if line.strip() else line for line in lines[:-1]]
        lines = [*rows, lines[-1]]
    rows = [line for line in lines[:-1] if line.strip()]
    if newline < 0 and 0 < len(rows) < 3:  # too few rows for the shared check: each counts 3×
        lines = [*rows * 3, lines[-1]]
    # strict: every column of a cycling table may be read (time, current, voltage, counters,
    # labels), so a last value that cannot show it is whole, in a file that ends without a
    # newline, is dropped with a note rather than trusted (a varying-digit 3.7840 may be a
    # cut 3.78406)
    split = (
        (lambda line: line.split()) if delimiter is None else (lambda line: line.split(delimiter))
    )
    every = set(range(len(split(lines[-1]))))
    above = split(lines[-2])[-1] if len(lines) > 1 else ""
    if above.strip() and not (is_number(above) or is_number(above, decimal_comma=True)):
        every.discard(len(split(lines[-1])) - 1)  # a text column: judged by its shape below
    reason = cut_off_final_row(lines, delimiter, ends_with_newline=newline >= 0, used=every)
    if reason is None and newline < 0:
        reason = _cut_text_field(lines, delimiter)
    if reason is None:
        return None
    first = max(text.rfind("\n", start, end) + 1, start)
    return first, cut_off_note(text.count("\n", 0, first) + 1, reason)


def _signature(text: str) -> str:
    return re.sub(r"\d", "9", text.strip())


def _cut_text_field(lines: Sequence[str], delimiter: str | None) -> str | None:
    """Why the last row's last field, a text (a timestamp, a label), looks cut: its shape
    (digits as 9) is none of the shapes the rows before it write in that column, but the
    beginning of one (``11`` of ``11/22/2025 1:04:00 PM``, ``Res`` of ``Rest``). For a file
    that ends without a newline, where :func:`~ssblab.io._text.cut_off_final_row` looks at
    number columns only."""
    rows = [line for line in lines if line.strip()]
    if len(rows) < 2:
        return None

    def fields(line: str) -> list[str]:
        return line.split() if delimiter is None else line.split(delimiter)

    last, reference = (
        fields(rows[-1]),
        [fields(line) for line in rows[-1 - FINAL_ROW_REFERENCE : -1]],
    )
    if any(len(r) != len(last) for r in reference) or not last[-1].strip():
        return None
    shape = _signature(last[-1])
    shapes = {_signature(r[-1]) for r in reference}
    if shape in shapes or not any(s.startswith(shape) for s in shapes):
        return None
    return (
        f"the file ends without a newline and its last value {last[-1].strip()!r} is the "
        "beginning of what its column writes"
    )


def cut_stacked_record(lines: list[str]) -> list[str]:
    """Blank out a cut-off last record row of a stacked export (in place); its note.

    The record rows (two leading empty fields) are compared with the record rows before them
    only: cycle and step rows have other lengths.
    """
    last = len(lines) - 1
    while last >= 3 and not lines[last].strip(" \t\r,"):
        last -= 1
    if last < 4 or not lines[last].startswith(",,"):
        return []
    before = (k for k in range(last - 1, 2, -1) if lines[k].startswith(",,"))
    reference = [lines[k] for k in sorted(islice(before, FINAL_ROW_REFERENCE))]
    newline = last < len(lines) - 1  # a line break follows the row
    reason = cut_off_final_row([*reference, lines[last]], ",", ends_with_newline=newline)
    if reason is None:
        return []
    lines[last] = ""
    return [cut_off_note(last + 1, reason)]
