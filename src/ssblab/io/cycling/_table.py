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
    TextBlock,
    format_error,
    head_lines,
    is_number,
    looks_like_decimal_comma,
    normalise_newlines,
    parse_number,
    parse_numbers,
)
from ssblab.io.cycling._common import (
    DATETIME_FORMATS,
    Series,
    capacity_scale,
    could_be_timestamp,
    current_scale,
    label_kinds,
    parse_durations,
    parse_timestamp,
    parse_timestamps,
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
    try:
        rows = list(csv.reader(lines, delimiter=delimiter))
    except csv.Error:
        rows = []
    if len(rows) == len(lines):  # no quoted field ran on into the next line
        return rows
    return [next(csv.reader([line], delimiter=delimiter), []) for line in lines]


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


class RowBody:
    """The data rows of a table given as lists of cells (a sheet, or text split in Python)."""

    def __init__(self, rows: Sequence[Sequence[Any]], lines: Sequence[int]) -> None:
        self.rows = list(rows)
        self.lines = np.asarray(lines, dtype=int)
        self._text: dict[int, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.rows)

    def sample(self, count: int) -> list[Sequence[Any]]:
        return self.rows[:count]

    def drop_first(self) -> None:
        self.rows, self.lines = self.rows[1:], self.lines[1:]
        self._text.clear()

    def prepare(self, kinds: Mapping[int, str], decimal_comma: bool = False) -> None:
        """Nothing to do: the cells are at hand."""

    def numbers(self, index: int) -> np.ndarray | None:
        return None

    def text(self, index: int) -> np.ndarray:
        """The cells of column ``index`` (None where a row is too short)."""
        if index not in self._text:
            self._text[index] = np.fromiter(
                (cell(row, index) for row in self.rows), dtype=object, count=len(self.rows)
            )
        return self._text[index]

    def cells(self, rows: np.ndarray, index: int) -> list[Any]:
        return [cell(self.rows[k], index) for k in rows.tolist()]

    def short_row(self, width: int) -> tuple[int, int] | None:
        """(index, field count) of the first row with fewer than ``width`` fields."""
        for k, row in enumerate(self.rows):
            if len(row) < width:
                return k, len(row)
        return None


class TextBody:
    """The data rows of a text below its header, read column by column by pandas' C parser.

    ``csv_quotes`` says whether lines split as :func:`split_rows` does (quotes honoured) or as
    plain :meth:`str.split`; ``skip_blank`` leaves out the blank lines. Cells are split in
    Python only where a closer look is needed (a value read as infinite, a row that may be
    short), or everywhere when the parser cannot stand in for the splitter.
    """

    def __init__(
        self,
        block: TextBlock,
        first_line: int,
        delimiter: str | None,
        *,
        csv_quotes: bool = True,
        skip_blank: bool = True,
    ) -> None:
        self.block = block
        self.delimiter = delimiter
        self.csv_quotes = csv_quotes
        self._numbers: dict[int, np.ndarray] = {}
        self._text: dict[int, np.ndarray] = {}
        self._rows: RowBody | None = None  # the lines split in Python, when they had to be
        if block.splits_like(delimiter, csv_quotes):
            keep = np.ones(block.count, dtype=bool)
            if skip_blank:
                keep[block.blank_lines(delimiter)] = False
            self.index = np.flatnonzero(keep)  # body line of each data row
        else:
            rows = self._split(block.lines())
            kept = [k for k, row in enumerate(rows) if not (skip_blank and blank(row))]
            self.index = np.asarray(kept, dtype=np.int64)
            self._rows = RowBody([rows[k] for k in kept], self.index + first_line)
        self.lines = self.index + first_line

    def __len__(self) -> int:
        return int(self.index.size)

    def _split(self, lines: list[str]) -> list[list[str]]:
        if self.csv_quotes or self.delimiter is None:
            return split_rows(lines, self.delimiter)
        return [line.split(self.delimiter) for line in lines]

    def _fields(self, rows: np.ndarray) -> list[list[str]]:
        return self._split([self.block.line(k) for k in self.index[rows].tolist()])

    def sample(self, count: int) -> list[Sequence[Any]]:
        if self._rows is not None:
            return self._rows.sample(count)
        take = self.index[:count].tolist()
        if not take:
            return []
        head = self.block.head(take[-1] + 1)
        return self._split([head[k] for k in take])

    def drop_first(self) -> None:
        self.index, self.lines = self.index[1:], self.lines[1:]
        if self._rows is not None:
            self._rows.drop_first()

    def prepare(self, kinds: Mapping[int, str], decimal_comma: bool = False) -> None:
        """Read the columns ``kinds`` ({index: "number" | "text"}) in one pass."""
        if self._rows is not None:
            return
        skipped = np.ones(self.block.count, dtype=bool)
        skipped[self.index] = False
        skip = np.flatnonzero(skipped).tolist()
        read = self.block.columns(self.delimiter, kinds, skip, self.csv_quotes, decimal_comma)
        if read is None and "number" in kinds.values():  # a cell that is no plain number
            kinds = dict.fromkeys(kinds, "text")
            read = self.block.columns(self.delimiter, kinds, skip, self.csv_quotes)
        if read is None:
            lines = self.block.lines()
            rows = self._split([lines[k] for k in self.index.tolist()])
            self._rows = RowBody(rows, self.lines)
            return
        for index, values in read.items():
            (self._numbers if kinds[index] == "number" else self._text)[index] = values

    def numbers(self, index: int) -> np.ndarray | None:
        """Floats of a column read as numbers (NaN = empty or missing cell), else None."""
        return None if self._rows is not None else self._numbers.get(index)

    def text(self, index: int) -> np.ndarray:
        """The cells of column ``index`` ("" or None where a row is too short)."""
        if self._rows is None and index not in self._text:
            self.prepare({index: "text"})
        if self._rows is not None:
            return self._rows.text(index)
        return self._text[index]

    def cells(self, rows: np.ndarray, index: int) -> list[Any]:
        if self._rows is not None:
            return self._rows.cells(rows, index)
        return [cell(fields, index) for fields in self._fields(rows)]

    def short_row(self, width: int) -> tuple[int, int] | None:
        """(index, field count) of the first row with fewer than ``width`` fields."""
        if self._rows is None:
            values = self.numbers(width - 1)
            if values is not None:
                maybe = np.isnan(values)
            else:
                column = self.text(width - 1)
                maybe = (column == "") | (column != column)  # empty, or NaN for missing
        if self._rows is not None:  # split in Python (possibly just now)
            return self._rows.short_row(width)
        candidates = np.flatnonzero(maybe)  # an empty or missing last cell
        for start in range(0, candidates.size, 1000):
            chunk = candidates[start : start + 1000]
            for k, fields in zip(chunk.tolist(), self._fields(chunk), strict=True):
                if len(fields) < width:
                    return k, len(fields)
        return None


def column_numbers(
    body: RowBody | TextBody, index: int, decimal_comma: bool
) -> tuple[np.ndarray, np.ndarray, list[Any]]:
    """:func:`parse_number` of a column: (values, rows whose cell is neither blank nor a
    number, those cells). Blank cells are NaN."""
    bulk = body.numbers(index)
    if bulk is None:
        raw = body.text(index)
        values, failed = parse_numbers(raw, decimal_comma)
        bad = np.flatnonzero(failed)
        return values, bad, raw[bad].tolist()
    odd = np.flatnonzero(np.isinf(bulk))  # read in bulk; "+infinity" needs a closer look
    if not odd.size:
        return bulk, odd, []
    values = bulk.copy()
    cells = body.cells(odd, index)
    checked, failed = parse_numbers(cells, decimal_comma)
    values[odd] = checked
    return values, odd[failed], [c for c, f in zip(cells, failed.tolist(), strict=True) if f]


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
        sample = body.sample(200)
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
        return max(c.index for r, c in self.columns.items() if r in _ROLE_ORDER) + 1

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
) -> TableResult:
    """Read the recognised columns of a table (rows of cells) into a :class:`Series` (SI)."""
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
    return _read(reader, source)


def read_text_table(
    table: TextTable,
    source: str,
    *,
    defaults: Mapping[str, str] | None = None,
    overrides: Mapping[str, str] | None = None,
) -> TableResult:
    """Read the recognised columns of a text table into a :class:`Series` (SI units)."""
    reader = _Reader(
        table.rows[table.header_at],
        table.lines[table.header_at],
        _text_body(table),
        source,
        defaults=defaults or {},
        overrides=overrides,
        where="line",
    )
    return _read(reader, source)


def _read(reader: _Reader, source: str) -> TableResult:
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
                series.extra[role] = reader.numbers(role, False)[0] * scale
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
    return TableResult(series, reader.notes, metadata)
