"""Excel workbooks (``.xlsx``/``.xlsm``) holding an impedance table, read with ``openpyxl``.

Layout: any sheet whose rows contain a header row naming a frequency column and Z'/Z'' (or
|Z|/phase) columns, exactly as in a CSV (see :mod:`.table`); cells may be numbers or text
(text numbers may use a decimal comma). Every such sheet contributes its spectra, in sheet
order; the sheet name goes into the metadata. Sheets without an impedance table are skipped.
openpyxl's warnings (unsupported extensions, missing styles) become notes instead of reaching
the user's stderr.
"""

from __future__ import annotations

import io
from dataclasses import replace

from ssblab.errors import FileFormatError
from ssblab.impedance.spectrum import Spectrum
from ssblab.io._quiet import captured
from ssblab.io._text import FileHead, format_error
from ssblab.io.eis._common import EisFormat
from ssblab.io.eis.table import find_columns, parse_table_rows

ZIP_MAGIC = b"PK\x03\x04"


def parse_excel(data: bytes, source: str) -> list[Spectrum]:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise format_error(source, "reading Excel files needs the 'openpyxl' package") from None
    with captured() as caught:
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheets = [
                (ws.title, [list(row) for row in ws.iter_rows(values_only=True)])
                for ws in workbook.worksheets
            ]
            workbook.close()
        except Exception as exc:  # a damaged zip or XML fails in zipfile, zlib, XML, openpyxl
            detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:100]
            raise format_error(source, f"not a readable .xlsx workbook ({detail})") from None
    spectra: list[Spectrum] = []
    for title, rows in sheets:
        if not any(find_columns(row) for row in rows[:200]):
            continue
        try:
            found = parse_table_rows(
                rows,
                list(range(1, len(rows) + 1)),
                source,
                notes=[
                    f"read from sheet {title!r} (row numbers are spreadsheet rows)",
                    *caught.messages(),
                ],
                metadata={"format": "excel", "sheet": title},
                check_final_row=False,  # a spreadsheet row is never cut in the middle
            )
        except FileFormatError as exc:
            raise FileFormatError(f"{exc} (sheet {title!r})") from None
        spectra += [replace(s, index=len(spectra) + i) for i, s in enumerate(found)]
    if not spectra:
        names = ", ".join(title for title, _ in sheets) or "none"
        raise format_error(
            source, f"no sheet has a frequency and Z'/Z'' or |Z|/phase header (sheets: {names})"
        )
    return spectra


def _sniff(head: FileHead) -> bool:
    return head.data.startswith(ZIP_MAGIC) and head.suffix in (".xlsx", ".xlsm")


FORMAT = EisFormat(
    name="excel",
    title="Excel workbook (.xlsx) with an impedance table (via openpyxl)",
    extensions=(".xlsx", ".xlsm"),
    sniff=_sniff,
    parse=parse_excel,
)
