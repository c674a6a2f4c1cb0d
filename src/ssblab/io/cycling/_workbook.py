"""``.xlsx`` workbooks read with openpyxl (imported on first use), its warnings kept as notes."""

from __future__ import annotations

import io
from typing import Any

from ssblab.io._quiet import captured
from ssblab.io._text import format_error


class Workbook(list):
    """(title, rows) of every sheet, in order; ``notes`` holds what openpyxl warned about."""

    notes: list[str]


def read_workbook(data: bytes, source: str, max_rows: int | None = None) -> Workbook:
    """(title, rows) of every sheet of an ``.xlsx`` workbook, read with openpyxl.

    A damaged zip or XML is a one-line :class:`~ssblab.errors.FileFormatError` naming the file;
    openpyxl's warnings (no default style, unknown extensions …) become ``Workbook.notes``
    instead of reaching stderr.
    """
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise format_error(source, "reading Excel files needs the 'openpyxl' package") from None
    sheets: list[tuple[str, list[list[Any]]]] = []
    with captured() as caught:
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheets = [
                (ws.title, [list(row) for row in ws.iter_rows(values_only=True, max_row=max_rows)])
                for ws in workbook.worksheets
            ]
            workbook.close()
        except Exception as exc:  # a damaged zip or XML fails in zipfile, zlib, XML or openpyxl
            message = " ".join(str(exc).split())[:80]
            raise format_error(
                source, f"not a readable .xlsx workbook ({type(exc).__name__}: {message})"
            ) from None
    result = Workbook(sheets)
    result.notes = caught.messages()
    return result
