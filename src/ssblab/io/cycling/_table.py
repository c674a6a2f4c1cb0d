"""Column tables (CSV/TSV/semicolon text and ``.xlsx`` sheets) → :class:`~._common.Series`.

A header row names the columns; a column's role comes from its name and its unit from the
name (``Current(A)``, ``Current [A]``, ``I/mA``, ``current_mA``, ``Voltage (mV)``), from a
units row under the header (``s  V  mA``) or from units written in the cells (``12.5 mA``).
Names known from the instruments (``Test_Time(s)``, ``Cumulative Time``, ``TestTime``,
``Ewe/V``, ``<I>/mA``, ``Cap. [Ah]``, ``Step_Index``, ``Cycle C``, ``Step Type``, ``Md`` …)
and plain words (``time``, ``voltage``, ``current``, ``capacity``, ``cycle``, ``step``) are
recognised. Time may be a number with a unit (s, ms, min, h, d), ``hh:mm:ss`` text (hours may
exceed 24, ``1-02:03:04`` and ``1 d 02:03:04`` give days) or, failing a relative time, absolute
timestamps. Generic files must state units; an instrument module passes its conventions as
``defaults`` (Arbin writes ``Current`` meaning amperes).

Errors name the file and line (or sheet row): missing required columns, two columns claiming
the same quantity, unknown or mixed units, a non-number in a required column.

Speed: the body of a text table is read column by column (:class:`TextBody`): pandas' C parser
splits the lines and converts the plain numbers, numpy reads timestamps and ``hh:mm:ss``, and
only the cells that need a closer look (not a plain number, a row that may be short) go through
the cell-by-cell rules, which decide values, notes and errors as before. Where the parser cannot
split as :func:`split_rows` does (quotes, unusual whitespace) the lines are split in Python.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import numpy as np

from ssblab.errors import FileFormatError
from ssblab.io._text import (
    DECIMAL_COMMA_NOTE,
    TextBlock,
    format_error,
    head_lines,
    is_number,
    looks_like_decimal_comma,
    normalise_newlines,
    parse_number,
    parse_numbers,
)
from ssblab.io.cycling._body import RowBody, TextBody, column_numbers, split_rows
from ssblab.io.cycling._columns import (
    QUANTITY,
    ROLE_ORDER,
    SCALES,
    SI,
    blank,
    cell,
    classify,
    find_columns,
    find_sheet_header,
    is_header,
    is_unit,
    missing_columns,
    normalise_name,
    split_label,
)
from ssblab.io.cycling._common import (
    DATETIME_FORMATS,
    Series,
    capacity_scale,
    could_be_timestamp,
    label_kinds,
    parse_durations,
    parse_timestamp,
    parse_timestamps,
    scale_note,
    stitch_step_time,
    temperature_offset,
    time_unit_word,
    timestamp_format,
)
from ssblab.io.cycling._cutoff import final_row_cut
from ssblab.io.cycling._steps import decimal_quantum, decimal_step, written_resolution
from ssblab.io.cycling._workbook import read_workbook

__all__ = [  # with the names other modules take from here
    "RowBody",
    "TextBody",
    "TextTable",
    "classify",
    "column_numbers",
    "cut_final_row",
    "find_sheet_header",
    "find_text_table",
    "missing_columns",
    "normalise_name",
    "read_table",
    "read_text_table",
    "read_workbook",
    "split_label",
    "split_rows",
]

# --------------------------------------------------------------------------------------------
# Reading rows

_DELIMITERS = ("\t", ";", ",")


@dataclass(frozen=True)
class TextTable:
    """A text table: its lines down to the header row split into fields, and the text below."""

    rows: list[list[str]]  # fields of the lines down to the header row (rows[header_at])
    lines: list[int]  # 1-based file line of each row
    header_at: int
    delimiter: str | None
    head: list[str]  # the lines down to the header row, as written
    text: str  # LF-separated text whose lines from text[body_at:] are the rows below the header
    body_at: int
    data: bytes | None = None  # text encoded as UTF-8, when at hand


def find_text_table(
    text: str | Sequence[str],
    source: str = "",
    overrides=None,
    search: int = 300,
    data: bytes | None = None,
) -> TextTable | None:
    """Find the delimiter and the header row (time, voltage and current columns) of a text.

    ``text`` is the whole text, or its lines; only the first ``search`` lines are split here.
    ``data``, the file's bytes when they are ``text`` encoded as UTF-8, is kept for reading.
    """
    if isinstance(text, str):
        text = normalise_newlines(text)
        head, _ = head_lines(text, search)
    else:
        head = list(text[:search])
    best: tuple[int, int, str | None] | None = None
    for delimiter in (*_DELIMITERS, None):
        candidates = split_rows(head, delimiter)
        for i, row in enumerate(candidates):
            if len(row) < 3:
                continue
            columns = find_columns(row, "", None, overrides)
            if is_header(columns):
                score = len(columns)
                if best is None or score > best[0]:
                    best = (score, i, delimiter)
                break
        if best is not None and delimiter is not None and best[2] == delimiter:
            break  # a real delimiter found the header: do not try splitting on whitespace
    if best is None:
        return None
    _, header_at, delimiter = best
    if isinstance(text, str):
        body, body_at = text, head_lines(text, header_at + 1)[1]
    else:
        body, body_at, data = "\n".join(text[header_at + 1 :]), 0, None
    return TextTable(
        split_rows(head[: header_at + 1], delimiter),
        list(range(1, header_at + 2)),
        header_at,
        delimiter,
        head[: header_at + 1],
        body,
        body_at,
        data,
    )


def cut_final_row(table: TextTable) -> tuple[TextTable, list[str]]:
    """The table without a final row that looks cut off (:func:`~._cutoff.final_row_cut`),
    and the note naming its line."""
    found = final_row_cut(table.text, table.body_at, table.delimiter)
    if found is None:
        return table, []
    first, note = found
    text, data = table.text, table.data
    if data is not None:
        data = data[: len(data) - len(text[first:].encode("utf-8", "surrogatepass"))]
    return replace(table, text=text[:first], data=data), [note]


# --------------------------------------------------------------------------------------------
# Column values

_CELL_UNIT = re.compile(r"\s*([+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?)\s*([^\d\s].*?)\s*")


@dataclass
class TableResult:
    """A table read into a :class:`Series`, with the notes and column metadata it produced."""

    series: Series
    notes: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, np.ndarray] = field(default_factory=dict)  # cells of columns asked for


def _text_body(table: TextTable) -> TextBody:
    """The rows below the header of a text table."""
    block = TextBlock(table.text, table.body_at, data=table.data)
    return TextBody(block, table.lines[table.header_at] + 1, table.delimiter)


def _is_present(value: Any) -> bool:
    return value is not None and bool(str(value).strip())


class _Reader:
    def __init__(
        self,
        header: Sequence[Any],
        header_line: int,
        body: RowBody | TextBody,
        source: str,
        *,
        defaults: Mapping[str, str],
        overrides: Mapping[str, str] | None,
        where: str,
    ) -> None:
        self.source = source
        self.where = where  # "line" or "row" (spreadsheet)
        self.header_line = header_line
        self.columns = find_columns(
            header, source, header_line if where == "line" else None, overrides
        )
        self.header = list(header)
        self.defaults = defaults
        self.units: dict[str, str] = {}
        self.resolution: dict[str, float] = {}
        missing = [
            name
            for name, ok in (
                ("time", bool({"time", "step_time", "datetime"} & set(self.columns))),
                ("voltage", "voltage" in self.columns),
                ("current", "current" in self.columns),
            )
            if not ok
        ]
        if missing:
            raise self._fail(f"the header has no {' and no '.join(missing)} column")
        self.units_row: dict[str, str] = {}
        first = body.sample(1)
        if first and self._units_row(first[0]):
            body.drop_first()
        if not len(body):
            raise self._fail("the table has a header but no data rows")
        self.body = body
        self.lines = body.lines
        sample = self._sample = body.sample(200)
        needed = [self.columns[r] for r in ("voltage", "current") if r in self.columns]
        text_cells = [
            c for row in sample for col in needed if isinstance(c := cell(row, col.index), str)
        ]
        self.decimal_comma = looks_like_decimal_comma(text_cells)
        self.notes: list[str] = [DECIMAL_COMMA_NOTE] if self.decimal_comma else []
        body.prepare(self._kinds(sample), self.decimal_comma)
        if where == "line":
            self._check_widths()

    def _kinds(self, sample: Sequence[Sequence[Any]]) -> dict[int, str]:
        """How to read each column: numbers if its first rows hold plain numbers, else text."""
        kinds: dict[int, str] = {}
        unused = {"frequency", "record", *(("step_time",) if "time" in self.columns else ())}
        for role, column in self.columns.items():
            if role in unused:
                continue
            kind = "text"
            if role not in ("datetime", "step_type"):
                cells = [cell(row, column.index) for row in sample]
                values, failed = parse_numbers(cells, self.decimal_comma)
                plain = np.isfinite(values).any() and not failed.any()
                if plain and not np.isinf(values).any():
                    dots = self.decimal_comma and any("." in str(c) for c in cells)
                    kind = "text" if dots else "number"
            kinds[column.index] = kind
        kinds.setdefault(self._width() - 1, "text")
        return kinds

    def _width(self) -> int:
        return max(c.index for r, c in self.columns.items() if r in ROLE_ORDER) + 1

    def _check_widths(self) -> None:
        """A row too short to reach the time, voltage or current column is truncated."""
        short = self.body.short_row(self._width())
        if short is not None:
            k, count = short
            raise self._fail(f"truncated row: {count} of the header's {len(self.header)} fields", k)

    def _units_row(self, row: Sequence[Any]) -> bool:
        """A row of units under the header (``s``, ``(V)``, ``[mA]``): remember them."""
        cells = {
            role: str(cell(row, col.index) or "").strip().strip("()[]")
            for role, col in self.columns.items()
            if role in ("time", "voltage", "current")
        }
        if not cells or not all(is_unit(u) for u in cells.values()):
            return False
        self.units_row = cells
        return True

    def _fail(self, message: str, k: int | None = None) -> FileFormatError:
        """An error at body row ``k``, or at the header row when ``k`` is None."""
        number = int(self.header_line if k is None else self.lines[k])
        if self.where == "line":
            return format_error(self.source, message, number)
        return format_error(self.source, f"row {number}: {message}")

    def unit(self, role: str) -> tuple[str, str]:
        """(unit, where it came from) for a column: name, units row or instrument default."""
        column = self.columns[role]
        named = column.unit
        row_unit = self.units_row.get(role, "")
        if named and row_unit and named != row_unit:
            raise self._fail(
                f"mixed units: column {column.label!r} says {named!r} but the units row "
                f"says {row_unit!r}"
            )
        if named:
            return named, "name"
        if row_unit:
            return row_unit, "units row"
        if role in self.defaults:
            return self.defaults[role], "default"
        return "", ""

    def raw(self, role: str) -> np.ndarray:
        return self.body.text(self.columns[role].index)

    def numbers(self, role: str, required: bool) -> tuple[np.ndarray, str]:
        """Values of a numeric column and the unit written in its cells ('' if none)."""
        column = self.columns[role]
        values, bad, cells = column_numbers(self.body, column.index, self.decimal_comma)
        cell_units: dict[str, int] = {}
        for k, value in zip(bad.tolist(), cells, strict=True):
            match = _CELL_UNIT.fullmatch(str(value)) if isinstance(value, str) else None
            if match and is_unit(match.group(2)):
                values[k] = parse_number(
                    match.group(1), self.decimal_comma or "," in match.group(1)
                )
                cell_units.setdefault(match.group(2), k)
                continue
            if required:
                raise self._fail(f"{column.label!r} value {str(value)[:40]!r} is not a number", k)
        if len(cell_units) > 1:
            (u1, k1), (u2, k2) = list(cell_units.items())[:2]
            raise self._fail(
                f"mixed units in column {column.label!r}: {u1!r} ({self.where} "
                f"{int(self.lines[k1])}) and {u2!r}",
                k2,
            )
        return values, next(iter(cell_units), "")

    def scaled(self, role: str, required: bool = True) -> np.ndarray:
        column = self.columns[role]
        values, cell_unit = self.numbers(role, required)
        unit, origin = self.unit(role)
        if cell_unit:
            if unit and origin != "default" and unit != cell_unit:
                raise self._fail(
                    f"mixed units: column {column.label!r} says {unit!r} but its cells "
                    f"are in {cell_unit!r}"
                )
            unit, origin = cell_unit, "cells"
        quantity = QUANTITY[role]
        if not unit:
            raise self._fail(
                f"column {column.label!r} ({quantity}) has no unit; write it in the header, "
                f"e.g. '{quantity} ({_example_unit(role)})'"
            )
        scale = SCALES[role](unit)
        if scale is None:
            raise self._fail(f"unknown {quantity} unit {unit!r} in column {column.label!r}")
        self.record_unit(role, unit, origin)
        self._resolution(role, values, scale)
        if scale != 1.0:
            target = SI.get(role, "A·h")
            shown = time_unit_word(scale) if role in ("time", "step_time") else unit
            self.notes.append(scale_note(quantity, column.label, shown, target))
        return values * scale

    def _resolution(self, role: str, values: np.ndarray, scale: float) -> None:
        """How finely the column is written (see :class:`~._common.Series`)."""
        index = self.columns[role].index
        written = written_resolution([cell(row, index) for row in self._sample])
        if not written and not any(isinstance(cell(r, index), str) for r in self._sample):
            step = decimal_step(values)  # spreadsheet numbers: decimals if they have any
            written = {"fixed": step} if step is not None else {}
        if "fixed" in written:
            self.resolution[role] = written["fixed"] * scale
            if role == "current":
                self.resolution["current_floor"] = written["fixed"] * scale
        elif "relative" in written:
            self.resolution[role] = 0.0
            self.resolution[f"{role}_relative"] = written["relative"]
        else:
            self.resolution[role] = decimal_quantum(values) * scale

    def record_unit(self, role: str, unit: str, origin: str) -> None:
        suffix = {
            "default": " (not written; instrument convention)",
            "units row": " (units row)",
            "cells": " (written in the cells)",
        }.get(origin, "")
        self.units[role] = unit + suffix

    def durations(self, role: str) -> np.ndarray | None:
        """Seconds if the column holds ``hh:mm:ss`` text (or Excel times), else ``None``."""
        index = self.columns[role].index
        if self.body.numbers(index) is not None:  # plain numbers are no hh:mm:ss
            return None
        values = self.body.text(index)
        seconds = parse_durations(values)
        parsed = ~np.isnan(seconds)
        if not parsed.any():
            return None
        first = int(np.argmax(parsed))
        for k in np.flatnonzero(~parsed).tolist():
            if _is_present(values[k]):
                if k < first:  # the first value is no hh:mm:ss
                    return None
                raise self._fail(
                    f"mixed time formats in column {self.columns[role].label!r}: "
                    f"{str(values[k])[:30]!r} is not hh:mm:ss like the rows before",
                    k,
                )
        return seconds

    def timestamps(self) -> np.ndarray:
        """Seconds since the first absolute timestamp (Excel datetimes, texts or Unix epoch)."""
        values = self.raw("datetime")
        texts = [v for v in values[:20] if isinstance(v, str) and v.strip()]
        formats = timestamp_format(texts[0]) if texts else DATETIME_FORMATS
        out, stamped = parse_timestamps(values, formats[0])
        rest = np.flatnonzero(~stamped)
        numbers, failed = parse_numbers(values[rest])  # epoch seconds are never dates
        out[rest] = numbers
        for k in rest[failed].tolist():
            value = values[k]
            if not could_be_timestamp(value, formats):
                continue
            stamp = parse_timestamp(value, formats)
            if stamp is not None:
                out[k] = stamp.timestamp()
            elif isinstance(value, int | float) or is_number(value):
                out[k] = parse_number(value)
        finite = out[np.isfinite(out)]
        return out - finite[0] if finite.size else out

    def first_timestamp(self) -> datetime | None:
        """The first cell of the timestamp column that is a date or time."""
        values = self.raw("datetime")
        for value in values[:64]:
            stamp = parse_timestamp(value)
            if stamp is not None:
                return stamp
        rest = values[64:]
        for k in np.flatnonzero(parse_numbers(rest)[1]).tolist():  # numbers never are
            if not could_be_timestamp(rest[k]):
                continue
            stamp = parse_timestamp(rest[k])
            if stamp is not None:
                return stamp
        return None


def _example_unit(role: str) -> str:
    return {"time": "s", "step_time": "s", "voltage": "V", "current": "mA"}.get(role, "mAh")


def read_table(
    rows: Sequence[Sequence[Any]],
    row_lines: Sequence[int],
    header_at: int,
    source: str,
    *,
    defaults: Mapping[str, str] | None = None,
    overrides: Mapping[str, str] | None = None,
    where: str = "line",
    raw: Sequence[str] = (),
) -> TableResult:
    """Read the recognised columns of a table (rows of cells) into a :class:`Series` (SI);
    ``raw`` names header cells whose columns are returned as written (``TableResult.raw``)."""
    keep = [i for i in range(header_at + 1, len(rows)) if not blank(rows[i])]
    body = RowBody([rows[i] for i in keep], [row_lines[i] for i in keep])
    header = list(rows[header_at])
    reader = _Reader(
        header,
        row_lines[header_at],
        body,
        source,
        defaults=defaults or {},
        overrides=overrides,
        where=where,
    )
    return _read(reader, source, raw)


def read_text_table(
    table: TextTable,
    source: str,
    *,
    defaults: Mapping[str, str] | None = None,
    overrides: Mapping[str, str] | None = None,
    raw: Sequence[str] = (),
) -> TableResult:
    """Read the recognised columns of a text table into a :class:`Series` (SI units).

    A final row that looks cut off (:func:`cut_final_row`) is left out with a note naming its
    line; ``raw`` names header cells whose columns are returned as written.
    """
    table, cut_notes = cut_final_row(table)
    reader = _Reader(
        table.rows[table.header_at],
        table.lines[table.header_at],
        _text_body(table),
        source,
        defaults=defaults or {},
        overrides=overrides,
        where="line",
    )
    reader.notes[:0] = cut_notes
    return _read(reader, source, raw)


def _read(reader: _Reader, source: str, raw: Sequence[str] = ()) -> TableResult:
    columns = reader.columns
    time_column = columns.get("time")
    step_ids = reader.numbers("step", False)[0] if "step" in columns else None
    if time_column is not None:
        seconds = reader.durations("time")
        if seconds is not None:
            time = seconds
            reader.resolution["time"] = decimal_quantum(seconds)
            reader.units["time"] = "hh:mm:ss"
            reader.notes.append(f"time read from hh:mm:ss text (column {time_column.label!r})")
        else:
            time = reader.scaled("time")
    elif "step_time" in columns and step_ids is not None:
        label = columns["step_time"].label
        seconds = reader.durations("step_time")
        step_time = seconds if seconds is not None else reader.scaled("step_time")
        if seconds is not None:
            reader.resolution["step_time"] = decimal_quantum(seconds)
        reader.resolution["time"] = reader.resolution["step_time"]
        stamps = reader.timestamps() if "datetime" in columns else None
        time, stitch_notes = stitch_step_time(step_time, step_ids, label, stamps)
        reader.notes += stitch_notes
    elif "datetime" in columns:
        time = reader.timestamps()
        reader.notes.append(
            f"time computed from the absolute timestamps in {columns['datetime'].label!r}"
        )
    else:
        raise format_error(source, "no test-time column (and no step time with a step column)")
    voltage = reader.scaled("voltage")
    current = reader.scaled("current")
    series = Series(time, voltage, current, reader.lines, step=step_ids)
    series.resolution = reader.resolution
    if "cycle" in columns:
        series.cycle = reader.numbers("cycle", False)[0]
    if "step_type" in columns:
        labels = label_kinds(reader.raw("step_type"))
        if np.any(labels != ""):
            series.label = labels
    if "temperature" in columns:
        temperature = columns["temperature"]
        unit, origin = reader.unit("temperature")
        offset = temperature_offset(unit) if unit else None
        if offset is None:
            why = f"unknown unit {unit!r}" if unit else "no unit"
            reader.notes.append(f"temperature column {temperature.label!r} not used ({why})")
        else:
            values = reader.numbers("temperature", False)[0]
            series.temperature_k = values + offset
            reader.record_unit("temperature", unit, origin)
            if offset:
                reader.notes.append(f"temperature converted from °C to K ({temperature.label!r})")
    for role in ("capacity", "charge_capacity", "discharge_capacity"):
        if role in columns:
            unit, _ = reader.unit(role)
            scale = capacity_scale(unit) if unit else None
            if scale is not None:
                values = reader.numbers(role, False)[0]
                series.extra[role] = values * scale
                reader._resolution(role, values, scale)
                reader.units[role] = unit
    metadata: dict[str, Any] = {
        "columns": {role: col.label for role, col in columns.items()},
        "units": dict(reader.units),
        "all_columns": [str(c) for c in reader.header if c is not None and str(c).strip()],
    }
    if "datetime" in columns and "convention" in reader.units.get("time", ""):
        # absolute seconds, for the caller to check the time unit the instrument left unsaid
        series.extra["datetime_s"] = reader.timestamps()
    if "datetime" in columns:
        first = reader.first_timestamp()
        if first is not None:
            metadata["start_time"] = first.isoformat()
    cells = {label: reader.body.text(reader.header.index(label)) for label in raw}
    return TableResult(series, reader.notes, metadata, cells)
