"""Cycling (galvanostatic) file readers with format auto-detection.

``read_cycling(path)`` returns one :class:`~ssblab.cycling.data.CyclingData`: the tidy table of
:mod:`ssblab.cycling.data` (SI units; positive current = anodic at the working electrode =
charge), ``source`` = the file name, ``metadata`` and ``notes`` — every repair the reader made
(dropped blank, repeated or cut-off rows with counts and lines, unit conversions, decimal
commas, encodings, control bytes, stitched time resets, derived step types or cycles, capacity
taken from the file's own counters) and what a third-party library warned or logged (kept off
stderr).

Common metadata keys (present when the file states them): ``format``, ``manufacturer``,
``instrument``, ``channel``, ``start_time`` (ISO 8601 where unambiguous, else as written),
``active_mass_kg``, ``nominal_capacity_Ah``, ``columns`` (role → original column name),
``units`` (role → unit as written, or the instrument convention assumed), ``all_columns``,
``header`` (the raw key/value header) and ``rows``.

Formats, in detection order (each module's docstring gives its layout and sources):

==================  ==========================================================================
``land_ccs``        LAND CT2001A / LANDdt native binary ``.ccs``
``neware_nda``      Neware binary ``.nda`` / ``.ndax`` (via NewareNDA)
``biologic_mpr``    BioLogic EC-Lab binary ``.mpr`` (ssblab's own MIT decoder)
``biologic_mpt``    BioLogic EC-Lab text ``.mpt`` (GCPL, CP, … with time/s and Ewe/V)
``maccor_txt``      Maccor tab-separated text export (``Rec``/``Md`` and ``Rec#``/``State``)
``neware_csv``      Neware BTS CSV export, flat or with 3 stacked header rows
``neware_xlsx``     Neware BTS ``.xlsx`` export (record/Detail sheet)
``arbin_csv``       Arbin MITS Pro CSV export
``arbin_xlsx``      Arbin MITS Pro ``.xlsx`` export
``land_csv``        LANDdt CSV export (``Current/mA``, ``TestTime``, ``SysTime`` …)
``land_xlsx``       LANDdt ``.xlsx`` export (Record sheets)
``excel``           generic ``.xlsx`` with time, voltage and current columns
``table``           generic CSV/TSV/text with time, voltage and current columns
==================  ==========================================================================
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ssblab.cycling.data import CyclingData
from ssblab.io._quiet import captured
from ssblab.io._text import decode_text, format_error, read_bytes
from ssblab.io.cycling import arbin, biologic, generic, land, maccor, neware
from ssblab.io.cycling._common import HEAD_CHARS, CyclingFormat, CyclingHead
from ssblab.io.cycling._table import missing_columns, split_rows

__all__ = [
    "FORMATS",
    "CyclingFormat",
    "detect_format",
    "detect_format_of_bytes",
    "parse_cycling",
    "read_cycling",
]

#: Every known format by name, in detection order: binary signatures first, instrument text
#: and workbook layouts next, the generic table and workbook last.
FORMATS: dict[str, CyclingFormat] = {
    fmt.name: fmt
    for fmt in (
        land.CCS,
        neware.NDA,
        biologic.MPR,
        biologic.MPT,
        maccor.TXT,
        neware.CSV,
        neware.XLSX,
        arbin.CSV,
        arbin.XLSX,
        land.CSV,
        land.XLSX,
        generic.EXCEL,
        generic.TABLE,
    )
}


def _known_formats() -> str:
    return ", ".join(name for name, fmt in FORMATS.items() if fmt.supported)


def detect_format_of_bytes(data: bytes, name: str) -> str:
    """The :data:`FORMATS` name for a file's bytes and its name (for the extension)."""
    head = CyclingHead(data, decode_text(data[:HEAD_CHARS]).text, name)
    for fmt in FORMATS.values():
        if fmt.sniff(head):
            return fmt.name
    if not data.strip():
        raise format_error(name, "the file is empty")
    if head.zip_names:
        raise format_error(
            name,
            "zip container (.xlsx/.ndax) without a recognised cycling table "
            f"(supported: {_known_formats()})",
        )
    if b"\x00" in data[:4096]:
        raise format_error(
            name, f"binary file of an unrecognised format (supported: {_known_formats()})"
        )
    lines = head.lines
    rows = split_rows(lines, "\t" if "\t" in head.text[:2000] else ",")
    missing = missing_columns(rows, range(1, len(rows) + 1))
    raise format_error(
        name,
        "unrecognised cycling file: no known instrument header and no table with time, "
        f"voltage and current columns{f' ({missing})' if missing else ''} (pass format= one "
        f"of {_known_formats()})",
    )


def parse_cycling(data: bytes, name: str, format: str | None = None) -> CyclingData:
    """Cycling data from a file's bytes; ``name`` is the file name used in notes and errors."""
    if format is None:
        format = detect_format_of_bytes(data, name)
    fmt = FORMATS.get(format)
    if fmt is None:
        raise format_error(name, f"unknown format {format!r} (known: {', '.join(FORMATS)})")
    if fmt.parse is None:
        raise format_error(name, f"{fmt.title}: {fmt.unsupported_reason}")
    with captured() as caught:  # third-party warnings and log records: notes, not stderr
        result = fmt.parse(data, name)
    extra = [note for note in caught.messages() if note not in result.notes]
    return replace(result, notes=(*result.notes, *extra)) if extra else result


def detect_format(path: str | Path) -> str:
    """The :data:`FORMATS` name of the file at ``path``."""
    path = Path(path)
    return detect_format_of_bytes(read_bytes(path), path.name)


def read_cycling(path: str | Path, format: str | None = None) -> CyclingData:
    """The cycling data in the file at ``path`` as the tidy table of :mod:`ssblab.cycling.data`.

    ``format`` (a :data:`FORMATS` name) skips auto-detection. Raises
    :class:`~ssblab.errors.FileFormatError` — one line naming the file and, where known, the
    line or row — for a missing, unreadable, unrecognised, unsupported or malformed file.
    """
    path = Path(path)
    return parse_cycling(read_bytes(path), path.name, format)
