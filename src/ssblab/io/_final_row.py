"""A cut-off final row: the check every text reader makes on the last row of its table.

A file cut in the middle of writing (a copy interrupted, an instrument still running) ends in
a partial row: ``-5.0000e-04`` cut to ``-5.0000`` still parses as a number, 10⁴ times too
large. Only the last field of the last row can be cut (every other field is followed by its
delimiter), and only when no newline follows the row; a row with fewer fields than the rows
before it is cut whatever follows it. :mod:`ssblab.io._text` re-exports these names, which is
where the readers import them from.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

#: How many rows before the last one serve as its reference (field count and number formats).
FINAL_ROW_REFERENCE = 50

_NUMBER_SHAPE = re.compile(
    r"[+-]?(?P<int>\d*)(?:[.,](?P<dec>\d*))?(?:(?P<e>[eE])(?P<esign>[+-]?)(?P<exp>\d*))?"
)

#: Two consecutive values further apart than this factor, or of opposite signs, cannot vouch
#: for each other: a value that lost its exponent in a cut (``%g`` writes one below 1e-4 and
#: from 1e9 on) is off by at least 1e4, so it would have to follow a jump of 300× to pass.
_CONTINUITY = 30.0


@dataclass(frozen=True)
class _Shape:
    """How a number token is written."""

    exponent: bool
    decimals: int
    exponent_digits: int
    significant: int
    value: float


def _shape(token: str) -> _Shape | None:
    """How ``token`` is written, or None if it is not written as a plain number."""
    text = token.strip().strip('"').strip()
    found = _NUMBER_SHAPE.fullmatch(text)
    if not found or not (found.group("int") or found.group("dec")):
        return None
    digits = (found.group("int") + (found.group("dec") or "")).lstrip("0")
    exponent = found.group("exp") or ""
    mantissa = text[: found.start("e")] if found.group("e") else text
    try:
        value = float(mantissa.replace(",", ".")) * (10.0 ** int(exponent) if exponent else 1.0)
    except (ValueError, OverflowError):
        value = math.nan
    return _Shape(
        bool(found.group("e")), len(found.group("dec") or ""), len(exponent), len(digits), value
    )


def _fields(line: str, delimiter: str | None) -> list[str]:
    if delimiter is None:
        return line.split()
    return [cell.strip() for cell in line.split(delimiter)]


def _close(a: float, b: float) -> bool:
    """Whether two consecutive values are within :data:`_CONTINUITY` of each other."""
    if not (math.isfinite(a) and math.isfinite(b)) or a == 0 or b == 0:
        return False
    return 1 / _CONTINUITY <= a / b <= _CONTINUITY


def _judge(token: str, column: Sequence[str]) -> tuple[bool, str] | None:
    """Is ``token``, the last value of a column whose earlier values are ``column``, written
    whole? None if so, else (True, why) when it is surely cut, (False, why) when its writing
    cannot tell."""
    shapes = [s for s in map(_shape, column) if s is not None]
    shape = _shape(token)
    text = token.strip().strip('"').strip()
    if len(shapes) < 3 or len(shapes) * 2 < len(column):
        if shape is None and shapes and len(shapes) == len(column):
            return True, f"{'is empty' if not text else repr(text) + ' is not a number'}"
        return False, f"{text!r} has too few numbers above it in its column to compare with"
    if shape is None:
        written = "is empty" if not text else f"{text!r} is not a number"
        return True, f"{written} where the column holds numbers"
    if shape.exponent and shape.exponent_digits == 0:
        return True, f"{text!r} ends in an exponent without digits"
    with_exponent = [s for s in shapes if s.exponent]
    if len(with_exponent) == len(shapes):
        digits = {s.exponent_digits for s in shapes}
        if not shape.exponent:
            return True, f"{text!r} lacks the exponent every other value of its column has"
        if shape.exponent_digits < min(digits):
            return True, f"{text!r} has fewer exponent digits than the rest of its column"
        if shape.exponent_digits >= max(digits):
            return None
        return False, f"{text!r} cannot be told whole: its column's exponents vary in length"
    if shape.exponent:  # a column of plain numbers with the odd exponent
        most = max((s.exponent_digits for s in with_exponent), default=0)
        if with_exponent and shape.exponent_digits >= most:
            return None
        return False, f"{text!r} cannot be told whole: its column rarely has exponents"
    if with_exponent:
        return False, (
            f"{text!r} may have lost an exponent (its column mixes plain numbers and numbers "
            "with exponents)"
        )
    decimals = {s.decimals for s in shapes}
    fixed = decimals.pop() if len(decimals) == 1 else None
    if fixed:
        if shape.decimals < fixed:
            return True, (
                f"{text!r} has {shape.decimals} decimals where the rest of its column has {fixed}"
            )
        return None
    previous = column[-1].strip().strip('"').strip()
    if fixed == 0:
        if text == previous:
            return None
        return False, f"{text!r} cannot be told whole: its column holds varying whole numbers"
    cap = max(s.significant for s in shapes)
    at_cap = sum(s.significant == cap for s in shapes)
    if at_cap * 2 >= len(shapes) and shape.significant >= cap:
        before = _shape(previous)
        if before is not None and _close(shape.value, before.value):
            return None
        return False, f"{text!r} cannot be told whole: it is far from the value before it"
    return False, f"{text!r} cannot be told whole: its column is written with varying digits"


def cut_off_final_cells(
    rows: Sequence[Sequence[str]],
    *,
    ends_with_newline: bool,
    used: Collection[int] | None = None,
) -> str | None:
    """Why the last of ``rows`` (a table's data rows split into cells, in file order) looks
    cut off, or None. See :func:`cut_off_final_row`; blank rows are ignored."""
    rows = [row for row in rows if any(str(cell).strip() for cell in row)]
    if not rows:
        return None
    last = [str(cell) for cell in rows[-1]]
    reference = [[str(cell) for cell in row] for row in rows[-1 - FINAL_ROW_REFERENCE : -1]]
    counts = [len(fields) for fields in reference]
    if counts and len(last) < min(counts):
        return f"it has {len(last)} fields where the rows before it have {max(counts)}"
    if ends_with_newline:
        return None
    k = len(last) - 1
    if used is not None and k not in used:
        return None  # the cut can only be in the last field, and that one is not read
    why = "the file ends without a newline and its last value"
    if not reference:
        if used is None:
            return None
        return f"{why} {last[k].strip()!r} has no row before it to compare with"
    column = [fields[k] for fields in reference if len(fields) > k]
    if used is None and (
        len(last) != max(counts) or len(column) < 3 or any(_shape(c) is None for c in column)
    ):
        return None  # lenient: only a column of numbers can show a cut
    verdict = _judge(last[k], column)
    if verdict is None or (used is None and not verdict[0]):
        return None
    return f"{why} {verdict[1]}"


def cut_off_final_row(
    lines: Sequence[str],
    delimiter: str | None,
    *,
    ends_with_newline: bool,
    used: Collection[int] | None = None,
) -> str | None:
    """Why the last of ``lines`` (a table's data rows, in file order) looks cut off, or None.

    Two signs, checked against the up to :data:`FINAL_ROW_REFERENCE` rows before it:

    * the row has **fewer fields** than every reference row (whatever the final newline);
    * the file **ends without a newline** (so the row may stop anywhere) and the row's last
      field is **written differently** from that column in every reference row: no exponent
      where all have one, fewer exponent digits, an exponent without digits, fewer decimals in
      a fixed-decimal column (without exponents), or an empty cell where all hold numbers.

    ``used`` — the 0-based columns the caller reads — makes the check strict: a last field in
    a column not read cannot spoil the row, and one that is read must be *shown* whole, by a
    complete exponent, the column's fixed decimals, the column's full count of significant
    digits (``%.9g``) next to a value of like magnitude, or (whole numbers) the same value as
    the row before. A column written with varying digits (``repr``) cannot show it, so such a
    row is reported as possibly cut. Without ``used`` only sure cuts are reported: a complete-
    looking row is accepted (EC-Lab exports, which never end with a newline, pass when their
    last row is whole). ``delimiter`` None splits on whitespace.
    """
    rows = [_fields(line, delimiter) for line in lines if line.strip()]
    return cut_off_final_cells(rows, ends_with_newline=ends_with_newline, used=used)


def tail_lines(text: str, count: int, start: int = 0, stop: int | None = None) -> list[str]:
    """The last ``count`` lines of ``text[start:stop]`` (LF-separated; a trailing LF ends the
    last line rather than starting an empty one), without splitting the whole text."""
    stop = len(text) if stop is None else stop
    end = stop - 1 if stop > start and text[stop - 1] == "\n" else stop
    position = end
    for _ in range(count):
        found = text.rfind("\n", start, position)
        if found < 0:
            position = start - 1
            break
        position = found
    return text[position + 1 : end].split("\n")


def cut_off_note(line_number: int, reason: str) -> str:
    """The reader note for a dropped cut-off final row."""
    return f"line {line_number} dropped: it looks cut off ({reason})"
