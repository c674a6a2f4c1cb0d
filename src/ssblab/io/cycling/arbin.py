"""Arbin MITS Pro exports: CSV and ``.xlsx``.

Layout (from the MITS Pro 7 workbook of be-smith/navani and the CSV of TRI-AMDD/beep): one
header row with ``Data_Point``, ``Test_Time(s)``/``Test_Time``, ``Date_Time``/``DateTime``,
``Step_Time(s)``, ``Step_Index``, ``Cycle_Index``, ``Current(A)``/``Current``,
``Voltage(V)``/``Voltage``, ``Charge_Capacity(Ah)``, ``Discharge_Capacity(Ah)``, energies,
``dV/dt``, ``Internal_Resistance`` and ``Temperature``/``Aux_Temperature_1(C)``. Names without a
unit follow Arbin's convention (s, V, A, A·h, °C); the BEEP CSV writes ``DateTime`` as Unix
seconds and leaves ``Step_Index``/``Cycle_Index`` empty (steps and cycles are then derived from
the current). Current is signed (discharge < 0). A workbook holds ``Global_Info`` (channel,
start time, schedule, software) and one or more ``Channel_<n>_<k>`` data sheets, which are read
in order and joined; ``Statistics`` and chart sheets are skipped.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ssblab.cycling.data import CyclingData
from ssblab.io._text import decode_text, format_error, utf8_bytes
from ssblab.io.cycling._common import CyclingFormat, CyclingHead, Series, finish
from ssblab.io.cycling._table import (
    find_sheet_header,
    find_text_table,
    read_table,
    read_text_table,
    read_workbook,
)

DEFAULT_UNITS = {
    "time": "s",
    "step_time": "s",
    "voltage": "V",
    "current": "A",
    "capacity": "Ah",
    "charge_capacity": "Ah",
    "discharge_capacity": "Ah",
    "temperature": "°C",
}
_SIGNATURE = ("step_index", "cycle_index")


def _is_arbin_header(cells: list[Any]) -> bool:
    names = {str(c).strip().lower().split("(")[0] for c in cells if c is not None}
    return all(s in names for s in _SIGNATURE) and bool({"test_time", "data_point"} & names)


def _convention_note(metadata: dict[str, Any]) -> list[str]:
    assumed = [
        f"{role} {unit.split(' ')[0]}"
        for role, unit in metadata.get("units", {}).items()
        if "convention" in unit
    ]
    if not assumed:
        return []
    return ["units not written in the header; Arbin's convention assumed: " + ", ".join(assumed)]


def _global_info(rows: list[list[Any]]) -> dict[str, Any]:
    """Channel, start time, schedule and software from the ``Global_Info`` sheet."""
    meta: dict[str, Any] = {}
    for i, row in enumerate(rows[:-1]):
        cells = [str(c).strip() if c is not None else "" for c in row]
        if "Channel" in cells and "Start DateTime" in cells:
            values = rows[i + 1]
            pairs = {k: values[j] for j, k in enumerate(cells) if k and j < len(values)}
            if pairs.get("Channel") is not None:
                meta["channel"] = str(pairs["Channel"])
            start = pairs.get("Start DateTime")
            if start is not None:
                meta["start_time"] = start.isoformat() if hasattr(start, "isoformat") else start
            for key, target in (
                ("Schedule File Name", "schedule"),
                ("Software Version", "software"),
                ("Creator", "operator"),
                ("Comments", "comments"),
            ):
                if pairs.get(key):
                    meta[target] = str(pairs[key])
            break
    return meta


def parse_arbin_csv(data: bytes, source: str) -> CyclingData:
    decoded = decode_text(data)
    table = find_text_table(decoded.text.lstrip("\ufeff"), source, data=utf8_bytes(data, decoded))
    if table is None or not _is_arbin_header(table.rows[table.header_at]):
        raise format_error(
            source, "no Arbin header (Data_Point/Test_Time, Step_Index, Cycle_Index …)"
        )
    result = read_text_table(table, source, defaults=DEFAULT_UNITS)
    metadata = {"format": "arbin_csv", "manufacturer": "Arbin", **result.metadata}
    notes = [*decoded.notes, *_convention_note(metadata), *result.notes]
    return finish(source, result.series, metadata, notes)


def parse_arbin_xlsx(data: bytes, source: str) -> CyclingData:
    sheets = read_workbook(data, source)
    metadata: dict[str, Any] = {"format": "arbin_xlsx", "manufacturer": "Arbin"}
    parts: list[Series] = []
    notes: list[str] = []
    used: list[str] = []
    for title, rows in sheets:
        if title.lower() == "global_info":
            metadata.update(_global_info(rows))
            continue
        header_at = find_sheet_header(rows)
        if header_at is None or not _is_arbin_header(rows[header_at]):
            continue
        result = read_table(
            rows, range(1, len(rows) + 1), header_at, source, defaults=DEFAULT_UNITS, where="row"
        )
        if not parts:
            metadata.update({k: v for k, v in result.metadata.items() if k not in metadata})
            notes += result.notes
        parts.append(result.series)
        used.append(title)
    if not parts:
        names = ", ".join(title for title, _ in sheets)
        raise format_error(source, f"no Arbin data sheet (Channel_…) found (sheets: {names})")
    metadata["sheets"] = used
    series = parts[0] if len(parts) == 1 else _join(parts)
    where = f"sheet {used[0]!r}" if len(used) == 1 else f"sheets {', '.join(used)} (joined)"
    notes[:0] = [f"read from {where}; row numbers are spreadsheet rows", *sheets.notes]
    return finish(source, series, metadata, [*_convention_note(metadata), *notes], what="row")


def _join(parts: list[Series]) -> Series:
    def cat(name):
        values = [getattr(p, name) for p in parts]
        return None if any(v is None for v in values) else np.concatenate(values)

    extra = {
        key: np.concatenate([p.extra[key] for p in parts])
        for key in parts[0].extra
        if all(key in p.extra for p in parts)
    }
    resolution = {
        key: max(p.resolution[key] for p in parts)
        for key in parts[0].resolution
        if all(key in p.resolution for p in parts)
    }
    return Series(
        cat("time_s"),
        cat("voltage_v"),
        cat("current_a"),
        cat("lines"),
        cat("step"),
        cat("label"),
        cat("cycle"),
        cat("temperature_k"),
        extra,
        resolution,
    )


def _sniff_csv(head: CyclingHead) -> bool:
    if b"\x00" in head.data[:4096] or head.data.startswith(b"PK"):
        return False
    table = find_text_table(head.lines)
    return table is not None and _is_arbin_header(table.rows[table.header_at])


def _sniff_xlsx(head: CyclingHead) -> bool:
    for title, rows in head.sheets:
        if title.lower() == "global_info":
            return True
        header_at = find_sheet_header(rows)
        if header_at is not None and _is_arbin_header(rows[header_at]):
            return True
    return False


CSV = CyclingFormat(
    name="arbin_csv",
    title="Arbin MITS Pro CSV export",
    extensions=(".csv",),
    sniff=_sniff_csv,
    parse=parse_arbin_csv,
)

XLSX = CyclingFormat(
    name="arbin_xlsx",
    title="Arbin MITS Pro .xlsx export (Global_Info + Channel sheets)",
    extensions=(".xlsx",),
    sniff=_sniff_xlsx,
    parse=parse_arbin_xlsx,
)
