"""Impedance file readers with format auto-detection.

``read_eis(path)`` returns a list of :class:`~ssblab.impedance.spectrum.Spectrum` — one per
spectrum in the file — with the physical sign convention (capacitive Z'' < 0), ``source`` = the
file name, ``index`` = the spectrum's number in the file, instrument settings in ``metadata``
and every repair or convention applied in ``notes`` (sign flips, dropped rows and why — a
final row cut off mid-write is dropped with a note naming its line —, header/data
disagreements, encodings, decimal commas, third-party warnings).

Common metadata keys (present when the file states them): ``format``, ``manufacturer``,
``instrument``, ``software``, ``technique``, ``date`` (ISO 8601 where the file's date is
unambiguous, else as written), ``dc_potential_v`` (set point) and ``dc_potential_reference``,
``dc_potential_measured_v`` (mean of the potential column), ``ac_amplitude_v`` (or
``ac_amplitude_v_rms`` where the file says rms), ``electrode_area_m2``, ``temperature_k``,
``loop`` (the file's loop/cycle label when it holds several spectra) and the raw ``header``.

Formats, in detection order (each module's docstring gives its layout and sources):

======================  ====================================================================
``biologic_mpr``        BioLogic EC-Lab binary ``.mpr`` (ssblab's own MIT decoder)
``palmsens_pssession``  PalmSens PSTrace ``.pssession`` (UTF-16 JSON)
``excel``               ``.xlsx`` sheet with an impedance table (via openpyxl)
``zahner_ism``          Zahner ``.ism`` binary — recognised, **not supported**
``biologic_mpt``        BioLogic EC-Lab text ``.mpt`` / EC-Lab ASCII ``.txt``
``chi``                 CH Instruments "A.C. Impedance" text
``gamry_dta``           Gamry ``.DTA`` (ZCURVE)
``zview_z``             ZPlot/ZView ``.z`` ("ZPLOT2 ASCII")
``z60w``                Z60W text ("Z60W Data File")
``versastudio_par``     VersaStudio ``.par``
``relaxis``             RelaxIS spectrum export
``parstat``             PARSTAT tab export (DC + EIS rows)
``table``               generic CSV/TSV/text with a header row
``three_column``        headerless frequency, Z', Z'' text (sign detected from the data)
======================  ====================================================================
"""

from __future__ import annotations

from pathlib import Path

from ssblab.impedance.spectrum import Spectrum
from ssblab.io._text import FileHead, decode_text, format_error, read_bytes
from ssblab.io.eis import (
    biologic_mpr,
    biologic_mpt,
    chi,
    excel,
    gamry,
    palmsens,
    parstat,
    relaxis,
    table,
    three_column,
    versastudio,
    z60w,
    zahner,
    zview,
)
from ssblab.io.eis._common import EisFormat

__all__ = [
    "FORMATS",
    "EisFormat",
    "detect_format",
    "detect_format_of_bytes",
    "parse_eis",
    "read_eis",
]

#: Every known format by name, in detection order: specific signatures first, the generic
#: table and the headerless three-column text last.
FORMATS: dict[str, EisFormat] = {
    module.FORMAT.name: module.FORMAT
    for module in (
        biologic_mpr,
        palmsens,
        excel,
        zahner,
        biologic_mpt,
        chi,
        gamry,
        zview,
        z60w,
        versastudio,
        relaxis,
        parstat,
        table,
        three_column,
    )
}

#: Bytes read for detection; every signature sits in the first few hundred bytes.
HEAD_BYTES = 64 * 1024


def _known_formats() -> str:
    return ", ".join(name for name, fmt in FORMATS.items() if fmt.supported)


def detect_format_of_bytes(data: bytes, name: str) -> str:
    """The :data:`FORMATS` name for a file's first bytes and its name (for the extension)."""
    head_bytes = data[:HEAD_BYTES]
    head = FileHead(head_bytes, decode_text(head_bytes).text, name)
    for fmt in FORMATS.values():
        if fmt.sniff(head):
            return fmt.name
    if not head_bytes.strip():
        raise format_error(name, "the file is empty")
    if b"\x00" in head_bytes:
        raise format_error(
            name, f"binary file of an unrecognised format (supported: {_known_formats()})"
        )
    raise format_error(
        name,
        "unrecognised impedance file: no known instrument header and no "
        "table with frequency and impedance columns (pass format= one of "
        f"{_known_formats()})",
    )


def parse_eis(data: bytes, name: str, format: str | None = None) -> list[Spectrum]:
    """Spectra from a file's bytes; ``name`` is the file name used in notes and errors."""
    if format is None:
        format = detect_format_of_bytes(data, name)
    fmt = FORMATS.get(format)
    if fmt is None:
        raise format_error(name, f"unknown format {format!r} (known: {', '.join(FORMATS)})")
    if fmt.parse is None:
        raise format_error(name, f"{fmt.title}: {fmt.unsupported_reason}")
    return fmt.parse(data, name)


def detect_format(path: str | Path) -> str:
    """The :data:`FORMATS` name of the file at ``path`` (reads only its first 64 KiB)."""
    path = Path(path)
    return detect_format_of_bytes(read_bytes(path, HEAD_BYTES), path.name)


def read_eis(path: str | Path, format: str | None = None) -> list[Spectrum]:
    """All impedance spectra in the file at ``path``, in file order.

    ``format`` (a :data:`FORMATS` name) skips auto-detection. Raises
    :class:`~ssblab.errors.FileFormatError` — naming the file and, where known, the line — for a
    missing, unreadable, unrecognised, unsupported or malformed file.
    """
    path = Path(path)
    return parse_eis(read_bytes(path), path.name, format)
