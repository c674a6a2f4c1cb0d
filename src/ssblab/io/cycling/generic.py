"""Generic cycling tables: CSV/TSV/semicolon/whitespace text and ``.xlsx`` sheets.

Layout: optional ``key: value`` preamble lines (active mass, nominal capacity, channel, start
time are picked up), one header row naming at least a time, a voltage and a current column
with their units, optionally a units row, then one row per point. Column names and units are
described in :mod:`._table`; a generic file must state its units (a bare ``current`` could be
A or mA). Columns are recognised by name, so their order does not matter. In a workbook the
first sheet holding such a table is read.
"""

from __future__ import annotations

from ssblab.cycling.data import CyclingData
from ssblab.io._text import decode_text, format_error, text_lines, utf8_bytes
from ssblab.io.cycling._common import (
    CyclingFormat,
    CyclingHead,
    finish,
    header_metadata,
    key_values,
)
from ssblab.io.cycling._table import (
    find_sheet_header,
    find_text_table,
    missing_columns,
    read_table,
    read_text_table,
    read_workbook,
    split_rows,
)


def parse_table(data: bytes, source: str) -> CyclingData:
    if not data or data.isspace():
        raise format_error(source, "the file is empty")
    decoded = decode_text(data)
    text = decoded.text.lstrip("\ufeff")
    table = find_text_table(text, source, data=utf8_bytes(data, decoded))
    if table is None:
        rows = split_rows(text_lines(text)[:300], "\t" if "\t" in decoded.text[:2000] else ",")
        missing = missing_columns(rows, range(1, len(rows) + 1))
        raise format_error(
            source,
            missing
            or "no header row naming time, voltage and current columns (e.g. "
            "'time (s), voltage (V), current (mA)')",
        )
    result = read_text_table(table, source)
    preamble = key_values(table.rows[: table.header_at])
    metadata = {
        "format": "table",
        **header_metadata(preamble),
        **result.metadata,
    }
    if preamble:
        metadata["header"] = preamble
    delimiter = {"\t": "tab", ";": "semicolon", ",": "comma", None: "whitespace"}
    metadata["delimiter"] = delimiter[table.delimiter]
    return finish(source, result.series, metadata, [*decoded.notes, *result.notes])


def parse_excel(data: bytes, source: str) -> CyclingData:
    sheets = read_workbook(data, source)
    for title, rows in sheets:
        header_at = find_sheet_header(rows)
        if header_at is None:
            continue
        result = read_table(rows, range(1, len(rows) + 1), header_at, source, where="row")
        preamble = key_values(rows[:header_at])
        metadata = {"format": "excel", "sheet": title, **header_metadata(preamble)}
        metadata.update(result.metadata)
        if preamble:
            metadata["header"] = preamble
        notes = [
            f"read from sheet {title!r} (row numbers are spreadsheet rows)",
            *sheets.notes,
            *result.notes,
        ]
        return finish(source, result.series, metadata, notes, what="row")
    names = ", ".join(title for title, _ in sheets) or "none"
    raise format_error(
        source, f"no sheet has a header row naming time, voltage and current (sheets: {names})"
    )


def _sniff_table(head: CyclingHead) -> bool:
    if b"\x00" in head.data[:4096] or head.data.startswith(b"PK\x03\x04"):
        return False
    return find_text_table(head.lines) is not None


def _sniff_excel(head: CyclingHead) -> bool:
    return "xl/workbook.xml" in head.zip_names


TABLE = CyclingFormat(
    name="table",
    title="generic CSV/TSV/text table with time, voltage and current columns",
    extensions=(".csv", ".tsv", ".txt", ".dat"),
    sniff=_sniff_table,
    parse=parse_table,
)

EXCEL = CyclingFormat(
    name="excel",
    title="generic .xlsx workbook with time, voltage and current columns (via openpyxl)",
    extensions=(".xlsx", ".xlsm"),
    sniff=_sniff_excel,
    parse=parse_excel,
)
