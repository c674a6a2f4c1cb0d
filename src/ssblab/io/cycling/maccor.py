"""Maccor tab-separated text export.

Layout (from the ``maccor_002.txt`` SIMBA file of jepegit/cellpy)::

    Name:<TAB>CW-SIMBA-FC-CT-NAPF6-015.053      <- key/value header lines
    Channel:<TAB>53
    Tester<TAB>Maccor #4
    Procedure<TAB>CW_MZ_SIMBA_CT.000
    Description<TAB>SIMBA-Capacity_test   ^D   ^C ÿÿÿÿÿÿ   <- stray control bytes
    Started<TAB>5/11/2021 3:40:24 PM
    SCap<TAB>0.017                              <- nominal capacity, A·h
    …
    <blank>
    Rec<TAB>Cycle P<TAB>Cycle C<TAB>Step<TAB>TestTime<TAB>StepTime<TAB>Cap. [Ah]<TAB>Ener. [Wh]
        <TAB>Current [A]<TAB>Voltage [V]<TAB>Md<TAB>ES<TAB>DPT Time<TAB>VAR1 …
    <blank>
    1<TAB>0<TAB>1<TAB>1<TAB>0.000000<TAB>…<TAB>R<TAB>0<TAB>5/11/2021 3:40:24 PM<TAB>…

The control bytes (0x00–0x1F except tab/CR/LF, 0x7F, 0xFF) are removed before decoding and
counted in the notes. ``TestTime`` carries no unit: depending on the export settings it is in
seconds, minutes or hours; the unit is the one that makes its span match the span of the
absolute ``DPT Time`` column (minutes in the SIMBA file: 3809.8 ↔ 63.5 h). The current is
written unsigned; ``Md`` (C = charge, D = discharge, R = rest) gives the sign. ``Cycle C`` is
the cycle count (1-based), ``Step`` the procedure step.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from ssblab.cycling.data import CyclingData
from ssblab.io._text import decode_text, format_error, utf8_bytes
from ssblab.io.cycling._common import (
    CyclingFormat,
    CyclingHead,
    finish,
    parse_timestamp,
    signed_from_labels,
    time_unit_word,
)
from ssblab.io.cycling._table import find_text_table, read_text_table, split_rows

DEFAULT_UNITS = {"time": "s", "step_time": "s", "voltage": "V", "current": "A", "capacity": "Ah"}
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\xff]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xFF])
_CANDIDATE_TIME_UNITS = (1.0, 60.0, 3600.0)


def strip_control_bytes(data: bytes) -> tuple[bytes, list[str]]:
    """Remove control and 0xFF padding bytes; a note says how many and on which lines."""
    cleaned = data.translate(None, _CONTROL_BYTES)
    if len(cleaned) == len(data):
        return data, []
    found = [m.start() for m in _CONTROL.finditer(data)]
    kinds = sorted({f"0x{data[at]:02X}" for at in found})
    line, position, lines = 1, 0, set()
    for at in found:
        line += data.count(b"\n", position, at)
        position = at
        lines.add(line)
    line_numbers = sorted(lines)
    where = ", ".join(str(n) for n in line_numbers[:5]) + (" …" if len(line_numbers) > 5 else "")
    note = (
        f"{len(found)} control/padding bytes ({', '.join(kinds)}) stripped "
        f"(line{'s' if len(line_numbers) > 1 else ''} {where})"
    )
    return cleaned, [note]


def _header(lines: list[str]) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for line in lines:
        if "\t" not in line:
            continue
        key, _, value = line.partition("\t")
        key = key.strip().rstrip(":").strip()
        if key and key not in pairs:
            pairs[key] = " ".join(value.replace("\t", " ").split())
    return pairs


def _metadata(pairs: dict[str, str]) -> dict[str, Any]:
    meta: dict[str, Any] = {"format": "maccor_txt", "manufacturer": "Maccor", "header": pairs}
    for key, target in (
        ("Name", "test_name"),
        ("Channel", "channel"),
        ("Tester", "instrument"),
        ("Procedure", "procedure"),
        ("Description", "description"),
    ):
        if pairs.get(key):
            meta[target] = pairs[key]
    started = pairs.get("Started")
    if started:
        stamp = parse_timestamp(started, ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S"))
        meta["start_time"] = stamp.isoformat() if stamp else started
    try:
        capacity = float(pairs.get("SCap", ""))
    except ValueError:
        capacity = 0.0
    if capacity > 0:
        meta["nominal_capacity_Ah"] = capacity
    return meta


def _time_unit(time: np.ndarray, absolute: np.ndarray | None, source: str) -> tuple[float, str]:
    """Seconds per unit of a unitless TestTime, from the span of the DPT Time column."""
    if absolute is None or not np.isfinite(absolute).any():
        raise format_error(
            source,
            "TestTime has no unit and there is no DPT Time column to infer it from; export "
            "with units (e.g. 'Test Time (sec)')",
        )
    ok = np.isfinite(time) & np.isfinite(absolute)
    span, real = float(np.ptp(time[ok])), float(np.ptp(absolute[ok]))
    if span <= 0 or real <= 0:
        return 1.0, "TestTime has no unit; read as seconds (the test is too short to tell)"
    ratio = real / span
    scale = min(_CANDIDATE_TIME_UNITS, key=lambda s: abs(np.log(ratio / s)))
    tolerance = max(0.02, 2.0 / real)  # DPT Time has a 1 s resolution
    if abs(ratio / scale - 1) > tolerance:
        raise format_error(
            source,
            f"TestTime has no unit and its span ({span:g}) matches neither seconds, minutes "
            f"nor hours of the DPT Time span ({real:g} s)",
        )
    word = time_unit_word(scale)
    return scale, (
        f"TestTime has no unit; read as {word} because its span ({span:.6g}) matches the "
        f"DPT Time span ({real / 3600:.4g} h)"
        + (f"; converted from {word} to s" if scale != 1.0 else "")
    )


def parse_maccor(data: bytes, source: str) -> CyclingData:
    if not data or data.isspace():
        raise format_error(source, "the file is empty")
    cleaned, notes = strip_control_bytes(data)
    decoded = decode_text(cleaned)
    notes += decoded.notes
    text = decoded.text.lstrip("\ufeff")
    table = find_text_table(text, source, data=utf8_bytes(cleaned, decoded))
    if table is None:
        raise format_error(source, "no Maccor column header (Rec, TestTime, Current, Voltage …)")
    result = read_text_table(table, source, defaults=DEFAULT_UNITS)
    series, metadata = result.series, result.metadata
    if "convention" in metadata["units"].get("time", ""):
        scale, note = _time_unit(series.time_s, series.extra.get("datetime_s"), source)
        series.time_s = series.time_s * scale
        metadata["units"]["time"] = f"{time_unit_word(scale)} (inferred from DPT Time)"
        notes.append(note)
    notes += signed_from_labels(series, metadata["columns"].get("current", "current"))
    meta = _metadata(_header(table.head[: table.header_at]))
    meta.update(metadata)
    return finish(source, series, meta, [*notes, *result.notes])


def _sniff(head: CyclingHead) -> bool:
    if head.data.startswith(b"PK"):
        return False
    for row in split_rows(head.lines, "\t"):
        names = {c.strip().lower() for c in row}
        if "rec" in names and ("md" in names or "dpt time" in names) and len(row) > 5:
            return True
    return head.first_line.startswith("Today's Date") and "Maccor" in head.text[:4096]


TXT = CyclingFormat(
    name="maccor_txt",
    title="Maccor tab-separated text export",
    extensions=(".txt", ".csv"),
    sniff=_sniff,
    parse=parse_maccor,
)
