"""The data rows of a cycling table, read column by column.

:class:`RowBody` holds rows of cells (a spreadsheet, or text split in Python);
:class:`TextBody` reads the body of a text table in bulk with pandas' C parser and splits lines
in Python only where a closer look is needed. :func:`column_numbers` turns a column into floats
with the strict rules of :func:`ssblab.io._text.parse_number`.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ssblab.io._text import TextBlock, parse_numbers
from ssblab.io.cycling._columns import blank, cell


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
