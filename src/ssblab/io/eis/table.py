"""Generic impedance tables: CSV, TSV, semicolon or whitespace text with a header row.

Layout: optional preamble lines, one header row naming the columns, optionally a units row,
then one row per point. Columns are recognised by name and unit (:mod:`.columns`), e.g.
``freq/Hz``, ``Frequency (Hz)``, ``f_Hz``, ``Re(Z)/Ohm``, ``Z' (kOhm)``, ``Zre_kOhm``,
``-Im(Z)/Ohm``, ``minus_Zimag_ohm``, ``|Z|/Ohm``, ``Z_mod_ohm``, ``Phase(Z)/deg``,
``phase_deg``, ``loop_index``/``cycle number``. A sign marker before a name (``-Im(Z)``,
``minus_Zimag``, ``neg Z''``, ``-Phase``) means the column stores the negated quantity. Either
Z' and Z'' or |Z| and phase (polar form) are needed. Rows with frequency = 0 (DC records,
end-of-loop markers) are dropped and counted; a loop column, else a restart of the frequency
sweep, splits spectra (a row whose loop label is not a number is dropped and counted).

Damage is never read as data: a final row cut off mid-write (fewer fields, or no final newline
and a last value that cannot be shown whole: :func:`ssblab.io._text.cut_off_final_cells`) and a
row whose field count differs from the other rows' (a separator added or lost inside a value
shifts the columns) are dropped, each with a note naming its line; a value that is not a number
in a frequency or impedance column is an error naming its line.

Where the knowledge came from: the column names of the EC-Lab text export (``freq/Hz``,
``-Im(Z)/Ohm``, ``cycle number``), the EC-Lab-derived polar CSV of jdhuang-csm/hybrid-drt
(``time/s, freq/Hz, |Z|/Ohm, Phase(Z)/deg, …, loop_index``; each loop ends with a row of zeros),
the PARSTAT export (``Frequency (Hz)``, ``Zre (ohms)``, ``Zim (ohms)``) and Gamry's
``Zreal``/``Zimag``/``Zmod``/``Zphz``. The same row logic reads Excel sheets (:mod:`.excel`).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

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
    describe_lines,
    inductive_warning,
    polar_consistency_notes,
    runs_of_equal_labels,
    split_and_build,
    stored_sign_note,
    sweep_restarts,
)
from ssblab.io.eis.columns import IMPEDANCE_ROLES, Column, find_columns
from ssblab.io.eis.columns import classify_column as classify_column
from ssblab.io.eis.columns import split_label as split_label


def _cell(row: Sequence[Any], index: int) -> Any:
    return row[index] if index < len(row) else ""


def _blank(row: Sequence[Any]) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in row)


@dataclass(frozen=True)
class ColumnValues:
    """The recognised columns of a table and their values, before scaling and signs."""

    columns: dict[str, Column]
    values: dict[str, np.ndarray]
    lines: list[int]
    decimal_comma: bool
    notes: list[str] = field(default_factory=list)


def read_columns(
    rows: Sequence[Sequence[Any]],
    row_lines: Sequence[int],
    source: str,
    *,
    line_count: int | None = None,
    check_final_row: bool = True,
) -> ColumnValues:
    """Find the header row, skip a units row under it, and read the recognised columns.

    A non-number in a frequency or impedance column raises (with its line); in other
    recognised columns (loop, temperature, potential) it becomes NaN. A final row that looks
    cut off is dropped with a note (:func:`drop_cut_final_row`; ``check_final_row`` False for
    spreadsheet rows, which cannot be cut).
    """
    header_at = next((i for i, row in enumerate(rows[:200]) if find_columns(row)), None)
    if header_at is None:
        raise format_error(
            source, "no header row naming a frequency column and Z'/Z'' or |Z|/phase columns"
        )
    columns = find_columns(rows[header_at])
    assert columns is not None
    needed = [c for c in columns.values() if c.role in IMPEDANCE_ROLES]
    body = [i for i in range(header_at + 1, len(rows)) if not _blank(rows[i])]
    if body and not any(is_number(_cell(rows[body[0]], c.index), True) for c in needed):
        body.pop(0)  # a units row under the header
    notes: list[str] = []
    if check_final_row and body:  # text rows (a spreadsheet row is neither cut nor re-split)
        body, notes = drop_cut_final_row(rows, row_lines, body, columns, line_count)
        body, odd = drop_odd_rows(rows, row_lines, body)
        notes += odd
    text_cells = [
        cell for i in body[:50] for c in needed if isinstance(cell := _cell(rows[i], c.index), str)
    ]
    decimal_comma = looks_like_decimal_comma(text_cells)
    values: dict[str, list[float]] = {role: [] for role in columns}
    for i in body:
        for role, column in columns.items():
            cell = _cell(rows[i], column.index)
            try:
                value = parse_number(cell, decimal_comma)
            except ValueError:
                if column in needed:
                    message = f"{column.label!r} value {str(cell)[:40]!r} is not a number"
                    raise format_error(source, message, row_lines[i]) from None
                value = float("nan")
            values[role].append(value)
    if not body:
        dropped = f" ({notes[0]})" if notes else ""
        raise format_error(source, f"the table has a header but no data rows{dropped}")
    arrays = {role: np.asarray(v, dtype=float) for role, v in values.items()}
    return ColumnValues(columns, arrays, [row_lines[i] for i in body], decimal_comma, notes)


def drop_odd_rows(
    rows: Sequence[Sequence[Any]], row_lines: Sequence[int], body: list[int]
) -> tuple[list[int], list[str]]:
    """``body`` without the rows whose field count differs from most rows', and the note.

    A separator added inside a value (``9,961e+4`` for ``9.961e+4`` in a comma file) or lost
    between two (``1000,1`` written ``10001``) shifts every later cell into the wrong column:
    each is a number, so nothing else would notice. Extra fields that are blank (trailing
    delimiters) do not count.
    """
    counts = [len(rows[i]) for i in body]
    tally = Counter(counts)
    if len(tally) < 2:
        return body, []
    usual = tally.most_common(1)[0][0]
    odd = [
        i
        for i, count in zip(body, counts, strict=True)
        if count < usual or (count > usual and not _blank(rows[i][usual:]))
    ]
    if not odd:
        return body, []
    where = describe_lines(np.asarray([row_lines[i] for i in odd]))
    plural = "s" if len(odd) > 1 else ""
    note = (
        f"dropped {len(odd)} row{plural} whose field count differs from the {usual} of the "
        f"other rows ({where}): a separator added or lost inside a value shifts the columns"
    )
    keep = set(odd)
    return [i for i in body if i not in keep], [note]


def drop_cut_final_row(
    rows: Sequence[Sequence[Any]],
    row_lines: Sequence[int],
    body: list[int],
    columns: dict[str, Column],
    line_count: int | None,
) -> tuple[list[int], list[str]]:
    """``body`` (indices of the data rows) without a last row that looks cut off, and the note.

    ``line_count`` is the number of lines of the text the rows come from: the last row is
    followed by a newline when its line is not the last one. With it, the check is strict on
    the columns read (:func:`~ssblab.io._text.cut_off_final_cells` with ``used``); without
    it only a row with fewer fields than those before it counts as cut.
    """
    last = body[-1]
    newline = line_count is None or row_lines[last] < line_count
    cells = [
        ["" if cell is None else str(cell) for cell in rows[i]]
        for i in body[-FINAL_ROW_REFERENCE - 1 :]
    ]
    used = {column.index for column in columns.values()} if line_count is not None else None
    reason = cut_off_final_cells(cells, ends_with_newline=newline, used=used)
    if reason is None:
        return body, []
    return body[:-1], [cut_off_note(row_lines[last], reason)]


def impedance_from_columns(
    table: ColumnValues,
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray], list[str]]:
    """(frequency in Hz, Z in Ω with the physical sign, extra columns, notes) of a table.

    Z' and Z'' are used when present (the |Z| and phase columns then only cross-check them);
    otherwise Z is built from the polar form. A ``-`` in a column name flips its sign.
    """
    columns, arrays = table.columns, table.values
    notes: list[str] = []

    def scaled(role: str) -> np.ndarray:
        column = columns[role]
        return arrays[role] * column.scale * (-1.0 if column.negated else 1.0)

    frequency = scaled("frequency")
    modulus = scaled("modulus") if "modulus" in columns else None
    phase = scaled("phase") if "phase" in columns else None
    with np.errstate(invalid="ignore", over="ignore"):  # NaN/inf rows are dropped later
        if "real" in columns and "imag" in columns:
            imag_column = columns["imag"]
            impedance = scaled("real") + 1j * scaled("imag")
            notes.append(stored_sign_note(imag_column.label, imag_column.negated))
            if not imag_column.negated:
                notes += inductive_warning(frequency, impedance, imag_column.label)
            notes += polar_consistency_notes(impedance, modulus, phase)
        else:
            assert modulus is not None and phase is not None
            impedance = modulus * np.exp(1j * np.radians(phase))
            phase_column = columns["phase"]
            negated = " (phase column negated)" if phase_column.negated else ""
            notes.append(
                f"Z computed from the polar form {columns['modulus'].label!r} ∠ "
                f"{phase_column.label!r}{negated}"
            )
            if not phase_column.negated:
                notes += inductive_warning(frequency, impedance, phase_column.label)
    extra = {}
    if "temperature" in columns:
        extra["temperature_k"] = arrays["temperature"] + columns["temperature"].offset
    if "potential" in columns:
        extra["potential_v"] = scaled("potential")
    return frequency, impedance, extra, notes


def parse_table_rows(
    rows: Sequence[Sequence[Any]],
    row_lines: Sequence[int],
    source: str,
    *,
    notes: Sequence[str] = (),
    metadata: dict[str, Any] | None = None,
    zero_frequency_reason: str = "",
    loop_ranges: Sequence[tuple[int, int]] | None = None,
    units_fixed_by_format: bool = False,
    line_count: int | None = None,
    check_final_row: bool = True,
) -> list[Spectrum]:
    """Spectra from table rows (text cells or Excel values); the core of the table readers.

    ``row_lines`` gives each row's 1-based line (or spreadsheet row) for error messages.
    ``loop_ranges`` — (first, last) data-row numbers of each loop, from a file header such as
    EC-Lab's "Loop 0 from point number 0 to 36" — takes precedence over a loop column when it
    covers the rows exactly. ``units_fixed_by_format`` silences the "no unit" notes for formats
    whose columns are always in Hz and Ω (ZPlot, Z60W). ``line_count``, the number of lines
    of the text (``len(text_lines(text))``), tells whether the last row ends with a newline,
    for the cut-off check of the final row (:func:`drop_cut_final_row`); ``check_final_row``
    False skips it (spreadsheets).
    """
    table = read_columns(
        rows, row_lines, source, line_count=line_count, check_final_row=check_final_row
    )
    file_notes = [*notes, *table.notes]
    if table.decimal_comma:
        file_notes.append(DECIMAL_COMMA_NOTE)
    for column in () if units_fixed_by_format else table.columns.values():
        if not column.unit_given and column.role in ("frequency", "real", "imag", "modulus"):
            unit = "Hz" if column.role == "frequency" else "Ω"
            file_notes.append(f"column {column.label!r} has no unit; taken as {unit}")
    frequency, impedance, extra, sign_notes = impedance_from_columns(table)
    file_notes += sign_notes
    loop_column = table.columns.get("loop")
    groups, labels, split_notes = choose_loops(
        frequency,
        table.values["loop"] if loop_column else None,
        loop_column.label if loop_column else "",
        loop_ranges,
        table.lines,
    )
    file_notes += split_notes
    meta = {**(metadata or {}), "columns": {r: c.label for r, c in table.columns.items()}}
    return split_and_build(
        source,
        Points.from_lists(frequency, impedance, table.lines, extra),
        groups,
        meta,
        file_notes,
        loop_labels=labels,
        zero_frequency_reason=zero_frequency_reason,
        per_spectrum=_per_spectrum_metadata,
    )


def _tiles(ranges: Sequence[tuple[int, int]], count: int) -> bool:
    """True if the (first, last) ranges cover 0 … count − 1 exactly, in order."""
    expected = 0
    for first, last in ranges:
        if first != expected or last < first:
            return False
        expected = last + 1
    return expected == count


def choose_loops(
    frequency: np.ndarray,
    loop_values: np.ndarray | None,
    loop_label: str,
    loop_ranges: Sequence[tuple[int, int]] | None,
    lines: Sequence[int] | None = None,
) -> tuple[list[np.ndarray], list[Any] | None, list[str]]:
    """How to cut a file's rows into spectra: header loop table, else loop column, else restarts.

    Returns the index groups, the file's loop labels (``None`` if it has none) and notes. A
    row whose loop label is not a number belongs to no loop: it is left out of every group
    and counted in a note (``lines``, the rows' file lines, name them), so that it neither
    splits its loop nor makes a spectrum of its own; a loop column without any number is
    ignored.
    """
    notes: list[str] = []
    if loop_ranges:
        if _tiles(loop_ranges, frequency.size):
            groups = [np.arange(a, b + 1) for a, b in loop_ranges]
            if len(groups) > 1:
                notes.append(f"split into {len(groups)} spectra by the file's loop table")
            return groups, list(range(len(groups))), notes
        covered = sum(b - a + 1 for a, b in loop_ranges)
        notes.append(
            f"header/data disagreement: the file's loop table covers {covered} "
            f"points but {frequency.size} rows are present; the table is ignored"
        )
    usable = None if loop_values is None else np.flatnonzero(np.isfinite(loop_values))
    if loop_values is not None and usable is not None and usable.size == 0:
        notes.append(f"column {loop_label!r} holds no loop numbers; ignored")
    elif loop_values is not None and usable is not None:
        if usable.size < loop_values.size:
            bad = np.setdiff1d(np.arange(loop_values.size), usable)
            where = describe_lines(np.asarray(lines)[bad]) if lines is not None else ""
            notes.append(
                f"dropped {bad.size} row{'s' if bad.size > 1 else ''} whose {loop_label!r} is "
                f"not a number{' (' + where + ')' if where else ''}: no loop to put them in"
            )
        groups = [usable[g] for g in runs_of_equal_labels(loop_values[usable])]
        if len(groups) > 1:
            notes.append(f"split into {len(groups)} spectra by column {loop_label!r}")
        return groups, [_label(loop_values[g[0]]) for g in groups], notes
    groups = sweep_restarts(frequency)
    if len(groups) > 1:
        notes.append(f"split into {len(groups)} spectra where the frequency sweep restarts")
    return groups, None, notes


def _label(value: float) -> Any:
    return int(value) if np.isfinite(value) and float(value).is_integer() else float(value)


def _per_spectrum_metadata(points: Points) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for key, target in (
        ("temperature_k", "temperature_k"),
        ("potential_v", "dc_potential_measured_v"),
    ):
        values = points.extra.get(key)
        if values is not None and np.any(np.isfinite(values)):
            meta[target] = float(np.nanmean(values))
    return meta


# --------------------------------------------------------------------------------------------
# Delimited text


def guess_delimiter(lines: Sequence[str]) -> str | None:
    """Tab, semicolon or comma — whichever splits most lines into the same number of fields
    (≥ 2); ``None`` for runs of whitespace."""
    sample = [line for line in lines if line.strip()][:60]
    best, best_score = None, 0
    for delimiter in ("\t", ";", ","):
        counts = [line.count(delimiter) for line in sample]
        if not counts or max(counts) == 0:
            continue
        mode = max(set(counts), key=counts.count)
        score = counts.count(mode) if mode > 0 else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


def split_rows(lines: Sequence[str], delimiter: str | None) -> list[list[str]]:
    if delimiter is None:
        return [line.split() for line in lines]
    return [
        next(csv.reader([line], delimiter=delimiter), []) if line.strip() else [] for line in lines
    ]


def split_table(lines: Sequence[str]) -> list[list[str]] | None:
    """Rows of a delimited table, trying tab, semicolon, comma, then whitespace.

    The first delimiter that yields a recognisable header row wins, so a semicolon file with
    decimal commas is not mistaken for a comma file. ``None`` if no delimiter does.
    """
    head = lines[:200]
    text = "\n".join(head)
    for delimiter in ("\t", ";", ",", None):
        if delimiter is not None and delimiter not in text:
            continue
        if any(find_columns(row) for row in split_rows(head, delimiter)):
            return split_rows(lines, delimiter)
    return None


def parse_table(
    data: bytes,
    source: str,
    *,
    metadata: dict[str, Any] | None = None,
    zero_frequency_reason: str = "",
) -> list[Spectrum]:
    """Spectra from a delimited text table with a header row (see the module docstring)."""
    decoded = decode_text(data)
    lines = text_lines(decoded.text)
    rows = split_table(lines)
    if rows is None:
        raise format_error(
            source, "no header row naming a frequency column and Z'/Z'' or |Z|/phase columns"
        )
    notes = list(decoded.notes)
    meta = {"format": "table", **(metadata or {})}
    return parse_table_rows(
        rows,
        list(range(1, len(rows) + 1)),
        source,
        notes=notes,
        metadata=meta,
        zero_frequency_reason=zero_frequency_reason,
        line_count=len(lines),
    )


def _sniff(head: FileHead) -> bool:
    return "\x00" not in head.text and split_table(text_lines(head.text)[:200]) is not None


FORMAT = EisFormat(
    name="table",
    title="generic CSV/TSV/text table with a header row (columns found by name and unit)",
    extensions=(".csv", ".tsv", ".txt", ".dat"),
    sniff=_sniff,
    parse=parse_table,
)
