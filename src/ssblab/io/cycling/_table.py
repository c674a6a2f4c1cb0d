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
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from ssblab.errors import FileFormatError
from ssblab.io._text import (
    DECIMAL_COMMA_NOTE,
    format_error,
    is_number,
    looks_like_decimal_comma,
    parse_number,
)
from ssblab.io.cycling._common import (
    DATETIME_FORMATS,
    Series,
    capacity_scale,
    current_scale,
    label_kind,
    parse_duration,
    parse_timestamp,
    scale_note,
    stitch_step_time,
    temperature_offset,
    time_scale,
    time_unit_word,
    timestamp_format,
    voltage_scale,
)

# --------------------------------------------------------------------------------------------
# Column names

#: normalised name → (role, priority); the higher priority wins when two columns share a role.
NAMES: dict[str, tuple[str, int]] = {}
for _role, _names in {
    "time": {
        "testtime": 3,
        "totaltime": 3,
        "cumulativetime": 3,
        "elapsedtime": 3,
        "timeelapsed": 3,
        "runtime": 2,
        "relativetime": 2,
        "time": 1,
        "t": 1,
    },
    "step_time": {"steptime": 3},
    "frequency": {"freq": 3, "frequency": 3, "f": 1},
    "datetime": {
        "datetime": 2,
        "systime": 2,
        "realtime": 2,
        "dpttime": 2,
        "timestamp": 2,
        "absolutetime": 2,
        "date": 1,
    },
    "voltage": {
        "voltage": 3,
        "cellvoltage": 3,
        "ewe": 3,
        "ecell": 2,
        "potential": 2,
        "volt": 2,
        "volts": 2,
        "v": 1,
        "e": 1,
        "u": 1,
    },
    "current": {"current": 3, "i": 2, "cur": 2, "amps": 2, "amp": 2},
    "capacity": {"capacity": 2, "cap": 2, "stepcapacity": 2, "q": 1},
    "charge_capacity": {"chargecapacity": 2, "chgcap": 2, "qcharge": 2, "chargecap": 2},
    "discharge_capacity": {
        "dischargecapacity": 2,
        "dchgcap": 2,
        "qdischarge": 2,
        "dischargecap": 2,
    },
    "cycle": {
        "cycleindex": 3,
        "cyclenumber": 3,
        "cycleno": 3,
        "cycleid": 3,
        "cyclec": 3,
        "cyclep": 2,
        "cycle": 1,
    },
    "step": {"stepindex": 3, "stepno": 3, "stepnumber": 3, "stepid": 3, "ns": 2, "step": 1},
    "step_type": {"steptype": 3, "stepname": 3, "state": 2, "status": 2, "md": 2},
    "temperature": {
        "temperature": 3,
        "celltemperature": 3,
        "auxtemperature1": 2,
        "auxtemperature": 2,
        "temp": 2,
        "t1": 1,
    },
    "record": {
        "datapoint": 3,
        "recordid": 3,
        "recordindex": 3,
        "record": 2,
        "rec": 2,
        "index": 1,
        "point": 1,
    },
}.items():
    for _name, _priority in _names.items():
        NAMES[_name] = (_role, _priority)

#: The roles whose unit matters, and how a unit is turned into an SI factor.
_SCALES = {
    "time": time_scale,
    "step_time": time_scale,
    "voltage": voltage_scale,
    "current": current_scale,
    "capacity": capacity_scale,
    "charge_capacity": capacity_scale,
    "discharge_capacity": capacity_scale,
}
_SI = {"time": "s", "step_time": "s", "voltage": "V", "current": "A", "capacity": "A·h"}
_QUANTITY = {
    "time": "time",
    "step_time": "step time",
    "voltage": "voltage",
    "current": "current",
    "capacity": "capacity",
    "charge_capacity": "charge capacity",
    "discharge_capacity": "discharge capacity",
    "temperature": "temperature",
}
_OTHER_UNITS = {
    "ohm",
    "Ω",
    "mohm",
    "mΩ",
    "mo",
    "wh",
    "mwh",
    "w",
    "mw",
    "%",
    "?",
    "v/s",
    "mah/g",
    "hz",
    "khz",
}
_ROLE_ORDER = ("time", "step_time", "datetime", "voltage", "current")


def is_unit(unit: str) -> bool:
    u = unit.strip()
    return bool(u) and (
        any(scale(u) is not None for scale in set(_SCALES.values()))
        or temperature_offset(u) is not None
        or u.lower().replace(" ", "") in _OTHER_UNITS
    )


def normalise_name(name: str) -> str:
    return re.sub(r"[^0-9a-zµ]", "", name.lower())


def split_label(label: Any) -> tuple[str, str]:
    """``'Current(A)'`` → ``('Current', 'A')``; ``'I/mA'`` → ``('I', 'mA')``; ``'time_s'`` too.

    A bracketed tail is always a unit; a ``/`` or ``_`` tail only if it is a known unit.
    """
    text = " ".join(str(label).replace("\ufeff", "").strip().strip('"').split())
    bracket = re.fullmatch(r"(.*?)\s*[(\[]\s*([^()\[\]]*?)\s*[)\]]", text)
    if bracket and bracket.group(1).strip():
        return bracket.group(1).strip(), bracket.group(2)
    for separator in ("/", "_"):
        if separator in text:
            name, unit = text.rsplit(separator, 1)
            if name.strip() and is_unit(unit):
                return name.strip(), unit.strip()
    return text, ""


@dataclass(frozen=True)
class Column:
    """A recognised header cell: its position, text, role, unit as written and priority."""

    index: int
    label: str
    role: str
    unit: str
    priority: int


def classify(index: int, label: Any, overrides: Mapping[str, str] | None = None) -> Column | None:
    """The column's role, or ``None``. ``overrides`` maps normalised names to roles."""
    if label is None or isinstance(label, datetime) or is_number(label):
        return None
    raw = " ".join(str(label).replace("\ufeff", "").split())
    if not raw:
        return None
    name, unit = split_label(raw)
    for candidate, candidate_unit in ((raw, ""), (name, unit)):
        key = normalise_name(candidate)
        if overrides and key in overrides:
            return Column(index, raw, overrides[key], candidate_unit, 4)
        if key in NAMES:
            role, priority = NAMES[key]
            return Column(index, raw, role, candidate_unit, priority)
    return None


def find_columns(
    header: Sequence[Any], source: str = "", line: int | None = None, overrides=None
) -> dict[str, Column]:
    """Role → column of a header row. Two columns of equal priority for a needed role raise."""
    found: dict[str, Column] = {}
    for i, cell in enumerate(header):
        column = classify(i, cell, overrides)
        if column is None:
            continue
        held = found.get(column.role)
        if held is None or column.priority > held.priority:
            found[column.role] = column
        elif column.priority == held.priority and column.role in _ROLE_ORDER and source:
            raise format_error(
                source,
                f"ambiguous columns: {held.label!r} and {column.label!r} both look like the "
                f"{_QUANTITY.get(column.role, column.role)}; rename or remove one",
                line,
            )
    return found


def is_header(columns: Mapping[str, Column]) -> bool:
    """Time (or step time, or timestamps), voltage and current — and no frequency column."""
    has_time = bool({"time", "step_time", "datetime"} & set(columns))
    cycling = has_time and "voltage" in columns and "current" in columns
    return cycling and "frequency" not in columns


def blank(row: Sequence[Any]) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in row)


def cell(row: Sequence[Any], index: int) -> Any:
    return row[index] if index < len(row) else None


# --------------------------------------------------------------------------------------------
# Reading rows

_DELIMITERS = ("\t", ";", ",")


def split_rows(lines: Sequence[str], delimiter: str | None) -> list[list[str]]:
    """Fields of each line (``None`` = runs of whitespace); quotes are honoured."""
    if delimiter is None:
        return [line.split() for line in lines]
    return [next(csv.reader([line], delimiter=delimiter), []) for line in lines]


@dataclass(frozen=True)
class TextTable:
    rows: list[list[str]]
    lines: list[int]  # 1-based file line of each row
    header_at: int
    delimiter: str | None


def find_text_table(
    lines: Sequence[str], source: str = "", overrides=None, search: int = 300
) -> TextTable | None:
    """Find the delimiter and the header row (time, voltage and current columns) of a text."""
    best: tuple[int, int, str | None] | None = None
    for delimiter in (*_DELIMITERS, None):
        candidates = split_rows(lines[:search], delimiter)
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
    return TextTable(
        split_rows(lines, delimiter), list(range(1, len(lines) + 1)), header_at, delimiter
    )


def missing_columns(rows: Sequence[Sequence[Any]], row_lines: Sequence[int]) -> str:
    """'line N has time (s), voltage (V) but no current column' for the best partial header."""
    for i, row in enumerate(rows[:300]):
        columns = find_columns(row)
        if "frequency" in columns and ("voltage" in columns or "current" in columns):
            return (
                f"line {row_lines[i]} has a frequency column {columns['frequency'].label!r}: "
                "an impedance table; read it with ssblab.io.eis.read_eis"
            )
        present = [
            r for r in ("time", "step_time", "datetime", "voltage", "current") if r in columns
        ]
        has_time = bool({"time", "step_time", "datetime"} & set(present))
        missing = [
            name
            for name, ok in (
                ("time", has_time),
                ("voltage", "voltage" in columns),
                ("current", "current" in columns),
            )
            if not ok
        ]
        if len(missing) == 1:
            found = ", ".join(repr(columns[r].label) for r in present)
            return f"line {row_lines[i]} has {found} but no {missing[0]} column"
    return ""


def read_workbook(
    data: bytes, source: str, max_rows: int | None = None
) -> list[tuple[str, list[list[Any]]]]:
    """(title, rows) of every sheet of an ``.xlsx`` workbook, read with openpyxl."""
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise format_error(source, "reading Excel files needs the 'openpyxl' package") from None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = [
            (ws.title, [list(row) for row in ws.iter_rows(values_only=True, max_row=max_rows)])
            for ws in workbook.worksheets
        ]
        workbook.close()
    except Exception as exc:  # a damaged zip or XML fails in zipfile, zlib, XML or openpyxl
        raise format_error(
            source, f"not a readable .xlsx workbook ({type(exc).__name__}: {str(exc)[:80]})"
        ) from None
    return sheets


def find_sheet_header(
    rows: Sequence[Sequence[Any]], overrides=None, search: int = 300
) -> int | None:
    for i, row in enumerate(rows[:search]):
        if is_header(find_columns(row, "", None, overrides)):
            return i
    return None


# --------------------------------------------------------------------------------------------
# Column values

_CELL_UNIT = re.compile(r"\s*([+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?)\s*([^\d\s].*?)\s*")


@dataclass
class TableResult:
    """A table read into a :class:`Series`, with the notes and column metadata it produced."""

    series: Series
    notes: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)


class _Reader:
    def __init__(
        self,
        rows: Sequence[Sequence[Any]],
        row_lines: Sequence[int],
        header_at: int,
        source: str,
        *,
        defaults: Mapping[str, str],
        overrides: Mapping[str, str] | None,
        where: str,
    ) -> None:
        self.source = source
        self.where = where  # "line" or "row" (spreadsheet)
        header = list(rows[header_at])
        line = row_lines[header_at] if where == "line" else None
        self.header_line = row_lines[header_at]
        self.columns = find_columns(header, source, line, overrides)
        self.header = header
        self.defaults = defaults
        self.units: dict[str, str] = {}
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
        body = [i for i in range(header_at + 1, len(rows)) if not blank(rows[i])]
        self.units_row: dict[str, str] = {}
        if body and self._units_row(rows[body[0]]):
            body.pop(0)
        if not body:
            raise self._fail("the table has a header but no data rows")
        self.body = [rows[i] for i in body]
        self.lines = np.asarray([row_lines[i] for i in body], dtype=int)
        if where == "line":
            self._check_widths(header)
        needed = [self.columns[r] for r in ("voltage", "current") if r in self.columns]
        text_cells = [
            c
            for row in self.body[:200]
            for col in needed
            if isinstance(c := cell(row, col.index), str)
        ]
        self.decimal_comma = looks_like_decimal_comma(text_cells)
        self.notes: list[str] = [DECIMAL_COMMA_NOTE] if self.decimal_comma else []

    def _check_widths(self, header: Sequence[Any]) -> None:
        """A row too short to reach the time, voltage or current column is truncated."""
        needed = [c.index for r, c in self.columns.items() if r in _ROLE_ORDER]
        width = max(needed) + 1
        for k, row in enumerate(self.body):
            if len(row) < width:
                raise self._fail(
                    f"truncated row: {len(row)} of the header's {len(header)} fields", k
                )

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

    def raw(self, role: str) -> list[Any]:
        index = self.columns[role].index
        return [cell(row, index) for row in self.body]

    def numbers(self, role: str, required: bool) -> tuple[np.ndarray, str]:
        """Values of a numeric column and the unit written in its cells ('' if none)."""
        column = self.columns[role]
        out = np.full(len(self.body), np.nan)
        cell_units: dict[str, int] = {}
        for k, value in enumerate(self.raw(role)):
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            try:
                out[k] = parse_number(value, self.decimal_comma)
                continue
            except (ValueError, TypeError):
                pass
            match = _CELL_UNIT.fullmatch(str(value)) if isinstance(value, str) else None
            if match and is_unit(match.group(2)):
                out[k] = parse_number(match.group(1), self.decimal_comma or "," in match.group(1))
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
        return out, next(iter(cell_units), "")

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
        quantity = _QUANTITY[role]
        if not unit:
            raise self._fail(
                f"column {column.label!r} ({quantity}) has no unit; write it in the header, "
                f"e.g. '{quantity} ({_example_unit(role)})'"
            )
        scale = _SCALES[role](unit)
        if scale is None:
            raise self._fail(f"unknown {quantity} unit {unit!r} in column {column.label!r}")
        self.record_unit(role, unit, origin)
        if scale != 1.0:
            target = _SI.get(role, "A·h")
            shown = time_unit_word(scale) if role in ("time", "step_time") else unit
            self.notes.append(scale_note(quantity, column.label, shown, target))
        return values * scale

    def record_unit(self, role: str, unit: str, origin: str) -> None:
        suffix = {
            "default": " (not written; instrument convention)",
            "units row": " (units row)",
            "cells": " (written in the cells)",
        }.get(origin, "")
        self.units[role] = unit + suffix

    def durations(self, role: str) -> np.ndarray | None:
        """Seconds if the column holds ``hh:mm:ss`` text (or Excel times), else ``None``."""
        values = self.raw(role)
        present = [(k, v) for k, v in enumerate(values) if v is not None and str(v).strip()]
        if not present or parse_duration(present[0][1]) is None:
            return None
        out = np.full(len(values), np.nan)
        for k, value in present:
            seconds = parse_duration(value)
            if seconds is None:
                raise self._fail(
                    f"mixed time formats in column {self.columns[role].label!r}: "
                    f"{str(value)[:30]!r} is not hh:mm:ss like the rows before",
                    k,
                )
            out[k] = seconds
        return out

    def timestamps(self) -> np.ndarray:
        """Seconds since the first absolute timestamp (Excel datetimes, texts or Unix epoch)."""
        values = self.raw("datetime")
        out = np.full(len(values), np.nan)
        texts = [v for v in values[:20] if isinstance(v, str) and v.strip()]
        formats = timestamp_format(texts[0]) if texts else DATETIME_FORMATS
        for k, value in enumerate(values):
            stamp = parse_timestamp(value, formats)
            if stamp is not None:
                out[k] = stamp.timestamp()
            elif isinstance(value, int | float) or is_number(value):
                out[k] = parse_number(value)
        finite = out[np.isfinite(out)]
        return out - finite[0] if finite.size else out


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
) -> TableResult:
    """Read the recognised columns of a table into a :class:`Series` (SI units)."""
    reader = _Reader(
        rows,
        row_lines,
        header_at,
        source,
        defaults=defaults or {},
        overrides=overrides,
        where=where,
    )
    columns = reader.columns
    time_column = columns.get("time")
    step_ids = reader.numbers("step", False)[0] if "step" in columns else None
    if time_column is not None:
        seconds = reader.durations("time")
        if seconds is not None:
            time = seconds
            reader.units["time"] = "hh:mm:ss"
            reader.notes.append(f"time read from hh:mm:ss text (column {time_column.label!r})")
        else:
            time = reader.scaled("time")
    elif "step_time" in columns and step_ids is not None:
        label = columns["step_time"].label
        seconds = reader.durations("step_time")
        step_time = seconds if seconds is not None else reader.scaled("step_time")
        time, stitch_notes = stitch_step_time(step_time, step_ids, label)
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
    if "cycle" in columns:
        series.cycle = reader.numbers("cycle", False)[0]
    if "step_type" in columns:
        labels = np.asarray([label_kind(v) for v in reader.raw("step_type")], dtype=object)
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
                series.extra[role] = reader.numbers(role, False)[0] * scale
                reader.units[role] = unit
    metadata: dict[str, Any] = {
        "columns": {role: col.label for role, col in columns.items()},
        "units": dict(reader.units),
        "all_columns": [str(c) for c in reader.header if c is not None and str(c).strip()],
    }
    if "datetime" in columns and time_column is not None:
        series.extra["datetime_s"] = reader.timestamps()
    if "datetime" in columns:
        first = next((v for v in reader.raw("datetime") if parse_timestamp(v) is not None), None)
        if first is not None:
            metadata["start_time"] = parse_timestamp(first).isoformat()
    return TableResult(series, reader.notes, metadata)
