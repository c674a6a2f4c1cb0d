"""CH Instruments (CHI660E, CHI760E …) "A.C. Impedance" text export.

Layout (from the CHI660E example of ECSHackWeek/impedance.py and a CHI760E file of
nomad-hzb/nomad-chemical-energy)::

    Feb. 20, 2020   15:55:08                 <- date and time
    A.C. Impedance                           <- technique
    File: c:\\…
    Data Source:  Experiment
    Instrument Model:  CHI660E
    Header: / Note:
    Init E (V) = 0                           <- "key = value" parameters
    High Frequency (Hz) = 2e+6
    Low Frequency (Hz) = 0.1
    Amplitude (V) = 0.025
    …
    Freq/Hz, Z'/ohm, Z"/ohm, Z/ohm, Phase/deg
    <blank>
    9.961e+4, 9.891e+1, -2.748e+0, 9.894e+1, -1.6

Comma + space separated, LF or CRLF. Z" is the true imaginary part (capacitive Z" < 0). The
header's frequency range is the requested one; the data may not reach it (the CHI660E example
asks for 2 MHz and starts at 99.6 kHz), which is noted. A final row cut off mid-write is
dropped with a note naming its line (the generic table logic, :mod:`.table`).
"""

from __future__ import annotations

import re
from typing import Any

from ssblab.impedance.spectrum import Spectrum
from ssblab.io._text import (
    FileHead,
    decode_text,
    format_error,
    parse_datetime,
    parse_number,
    text_lines,
)
from ssblab.io.eis._common import EisFormat, add_notes, frequency_range_notes
from ssblab.io.eis.table import parse_table_rows, split_rows

_COLUMN_LINE = re.compile(r"\s*Freq/Hz\s*,", re.IGNORECASE)


def _header_value(header: dict[str, str], key: str) -> float | None:
    try:
        return parse_number(header[key])
    except (KeyError, ValueError):
        return None


def parse_chi(data: bytes, source: str) -> list[Spectrum]:
    decoded = decode_text(data)
    lines = text_lines(decoded.text)
    column_at = next((i for i, line in enumerate(lines) if _COLUMN_LINE.match(line)), None)
    if column_at is None:
        raise format_error(source, "no 'Freq/Hz, Z'/ohm, …' column line (CHI A.C. Impedance)")
    header: dict[str, str] = {}
    for line in lines[:column_at]:
        for separator in (" = ", ": "):
            if separator in line:
                key, value = line.split(separator, 1)
                header[key.strip()] = value.strip()
                break
    metadata: dict[str, Any] = {
        "format": "chi",
        "manufacturer": "CH Instruments",
        "technique": lines[1].strip() if len(lines) > 1 else "",
        "header": header,
    }
    if header.get("Instrument Model"):
        metadata["instrument"] = header["Instrument Model"]
    date = parse_datetime(lines[0].replace(".", " "), ("%b %d, %Y %H:%M:%S", "%B %d, %Y %H:%M:%S"))
    metadata["date"] = date or lines[0].strip()
    for key, target in (("Init E (V)", "dc_potential_v"), ("Amplitude (V)", "ac_amplitude_v")):
        value = _header_value(header, key)
        if value is not None:
            metadata[target] = value

    rows = split_rows(lines[column_at:], ",")
    spectra = parse_table_rows(
        rows,
        list(range(column_at + 1, len(lines) + 1)),
        source,
        notes=decoded.notes,
        metadata=metadata,
        line_count=len(lines),
    )
    declared = [
        (f"{key} = {header[key]}", _header_value(header, key))
        for key in ("High Frequency (Hz)", "Low Frequency (Hz)")
        if key in header
    ]
    return add_notes(spectra, lambda s: frequency_range_notes(s.frequency_hz, declared))


def _sniff(head: FileHead) -> bool:
    lines = text_lines(head.text)[:60]
    return any(line.strip() == "A.C. Impedance" for line in lines[:4]) and any(
        _COLUMN_LINE.match(line) for line in lines
    )


FORMAT = EisFormat(
    name="chi",
    title='CH Instruments "A.C. Impedance" text export (CHI660E/760E …)',
    extensions=(".txt",),
    sniff=_sniff,
    parse=parse_chi,
)
