"""LAND (Wuhan LAND, LANDdt) cycler data: native binary ``.ccs`` and LANDdt CSV/``.xlsx`` exports.

``.ccs`` layout, decoded from the LANDdt 4.2 file of battery-data-alliance/battery-data-format
(``INT-37_0.95_3el_14022023_SNEL_10_5.ccs``, CT2001A-type channel) and checked against itself:
the file is a sequence of 128-byte blocks. A header (test name at 0xB0, remark at 0xF0,
software version, device serial, ``WuHan LAND``, the program …) precedes the first *step
block*; from there every block is either

* a step block — uint32 words ``2``, offset of the previous step block, step code, cycle
  (0-based), program step, …, then at byte 24 the test time at the step start in ms
  (uint64); step codes seen: ``0x01`` rest, ``0x24`` CC charge, ``0x21`` CV charge,
  ``0x44`` CC discharge (high nibble 2 = charge, 4 = discharge, 0 = rest);
* a record block — uint32 ``0x0n03`` (n = 1…5 records), offset of its step block, then n
  records of 24 bytes: uint32 time since the previous record in ms, float32 voltage (V),
  current (A, charge > 0), capacity increment (A·h), energy increment (W·h), and a fifth
  float (a resistance-like value, not used).

Decoding is accepted only when every block after the first step block has one of these types,
every record block points at its step block, every step block points at the previous one, and
the record time increments of every step add up (within 10 ms) to the step's length given by
the step blocks' own clock. Otherwise — another LANDdt version or channel type — the file is
refused with a message asking for a LANDdt export (``.xlsx``/``.csv``). The start date is not
decoded (the header clock's epoch is not documented).

LANDdt exports (``.xlsx`` or ``.csv``) — no real export was available to us, so the layout
follows the column names used by be-smith/navani's LAND reader: ``Index``/``Record``,
``CycleNo``/``Cycle``, ``StepNo``/``Step``, ``TestTime`` (``/h``, ``/s`` or ``hh:mm:ss`` /
``d-hh:mm:ss`` text), ``StepTime``, ``Current/mA`` (or ``/uA``, ``/A``), ``Voltage/V``,
``Capacity/mAh``, ``SpeCap/mAh/g``, ``SysTime``; a state column (``R``, ``C_CC``, ``D_CC`` …),
if present, names the step types and signs an unsigned current. A workbook may split the
record table over several ``Record`` sheets, the later ones without a header row; they are
joined. ``Info``-like sheets with ``key, value`` cells give the active mass, nominal capacity,
channel and start time. The header is recognised by a ``Current/…`` column next to
``TestTime``, ``SysTime`` or ``SpeCap`` columns.
"""

from __future__ import annotations

import re
import struct
from typing import Any

import numpy as np

from ssblab.cycling.data import CyclingData
from ssblab.io._text import decode_text, format_error, utf8_bytes
from ssblab.io.cycling._common import (
    CyclingFormat,
    CyclingHead,
    Series,
    finish,
    header_metadata,
    key_values,
    signed_from_labels,
)
from ssblab.io.cycling._steps import decimal_quantum
from ssblab.io.cycling._table import (
    TableResult,
    find_sheet_header,
    find_text_table,
    normalise_name,
    read_table,
    read_text_table,
    read_workbook,
)

BLOCK = 128
STEP_BLOCK = 2
RECORD_BLOCK = 3
RECORD = struct.Struct("<Ifffff")
MAX_RECORDS = (BLOCK - 8) // RECORD.size  # 5
VENDOR = b"WuHan LAND"
STEP_CODES = {0x01: "rest", 0x24: "charge (CC)", 0x21: "charge (CV)", 0x44: "discharge (CC)"}
_HEADER_FIELDS = {0xB0: "test_name", 0xF0: "remark", 0x2D0: "software_version", 0x360: "device"}
UNSUPPORTED = (
    "this .ccs variant cannot be decoded reliably; export the test from LANDdt as .xlsx or "
    ".csv (Record sheet) and read that instead"
)

# --------------------------------------------------------------------------------------------
# Binary .ccs


def _refuse(source: str, why: str) -> Exception:
    return format_error(source, f"{why}: {UNSUPPORTED}")


def _first_step_block(data: bytes) -> int | None:
    """Offset of the first step block: a block ``2, 0, code…`` followed by data blocks."""
    for offset in range(BLOCK, min(len(data) - 2 * BLOCK, 0x10000), BLOCK):
        word, previous = struct.unpack_from("<II", data, offset)
        if word != STEP_BLOCK or previous != 0:
            continue
        following = struct.unpack_from("<I", data, offset + BLOCK)[0]
        if following & 0xFF == RECORD_BLOCK or following == STEP_BLOCK:
            return offset
    return None


def _kind(code: int) -> str:
    group = code & 0xF0
    if code == 0x01 or (group == 0 and code & 0x0F):
        return "rest"
    return {0x20: "charge", 0x40: "discharge"}.get(group, "")


def _header_strings(header: bytes) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for offset, key in _HEADER_FIELDS.items():
        chunk = header[offset : offset + 64].split(b"\x00", 1)[0]
        if chunk and re.fullmatch(rb"[\x20-\x7e]+", chunk):
            meta[key] = chunk.decode("ascii")
    meta["header_strings"] = [
        m.group().decode("ascii") for m in re.finditer(rb"[\x20-\x7e]{4,}", header)
    ]
    return meta


def parse_ccs(data: bytes, source: str) -> CyclingData:
    if not data.strip(b"\x00"):
        raise format_error(source, "the file is empty")
    start = _first_step_block(data)
    if start is None:
        raise _refuse(source, "no LAND step block found")
    if (len(data) - start) % BLOCK:
        raise format_error(
            source,
            f"truncated .ccs file: {(len(data) - start) % BLOCK} bytes after the last "
            "complete 128-byte block",
        )
    steps: list[tuple[int, int, int, int, int]] = []  # offset, code, cycle, start ms, first
    records: list[tuple[int, float, float, float, int]] = []  # dt ms, V, I, dQ A·h, block
    current_step, previous_step = -1, 0
    for offset in range(start, len(data), BLOCK):
        word, link = struct.unpack_from("<II", data, offset)
        if word == STEP_BLOCK:
            if link != previous_step:
                raise _refuse(
                    source, f"step block at 0x{offset:X} does not point at the previous one"
                )
            code, cycle = struct.unpack_from("<II", data, offset + 8)
            start_ms = struct.unpack_from("<Q", data, offset + 24)[0]
            steps.append((offset, code, cycle, start_ms, len(records)))
            current_step, previous_step = offset, offset
            continue
        count = word >> 8
        if word & 0xFF != RECORD_BLOCK or not 1 <= count <= MAX_RECORDS:
            raise _refuse(source, f"unknown block type 0x{word:X} at offset 0x{offset:X}")
        if link != current_step:
            raise _refuse(source, f"record block at 0x{offset:X} does not point at its step")
        for j in range(count):
            dt, voltage, current, charge, _, _ = RECORD.unpack_from(
                data, offset + 8 + j * RECORD.size
            )
            records.append((dt, voltage, current, charge, offset))
    if not records:
        raise format_error(source, "no data records after the header")
    dt_ms = np.asarray([r[0] for r in records], dtype=float)
    firsts = [s[4] for s in steps] + [len(records)]
    time_ms = np.empty(len(records))
    step_id = np.empty(len(records))
    labels = np.empty(len(records), dtype=object)
    cycles = np.empty(len(records))
    unknown_codes: set[int] = set()
    for k, (offset, code, cycle, start_ms, first) in enumerate(steps):
        last = firsts[k + 1]
        elapsed = np.cumsum(dt_ms[first:last])
        time_ms[first:last] = start_ms + elapsed
        if k + 1 < len(steps):
            length = steps[k + 1][3] - start_ms
            total = float(elapsed[-1]) if elapsed.size else 0.0
            if abs(total - length) > 10:
                raise _refuse(
                    source,
                    f"the records of the step at 0x{offset:X} span {total:.0f} ms but the "
                    f"step lasted {length} ms",
                )
        step_id[first:last] = k
        labels[first:last] = _kind(code)
        cycles[first:last] = cycle
        if code not in STEP_CODES:
            unknown_codes.add(code)
    current = np.asarray([r[2] for r in records], dtype=np.float32)
    increments = np.abs(np.asarray([r[3] for r in records], dtype=np.float64))
    counted = np.cumsum(increments)  # the capacity counted since the test began …
    starts = np.asarray(firsts[:-1], dtype=int)
    before = np.concatenate([[0.0], counted])[starts]
    counted -= np.repeat(before, np.diff(firsts))  # … restarted at every step
    series = Series(
        time_ms / 1000.0,
        np.asarray([r[1] for r in records], dtype=float),
        current.astype(float),
        np.arange(1, len(records) + 1),
        step=step_id,
        label=labels,
        cycle=cycles,
    )
    series.extra["capacity"] = counted
    series.resolution["current"] = decimal_quantum(current)
    series.resolution["time"] = 1e-3
    series.resolution["capacity"] = float(np.max(increments, initial=0.0)) * 2.0**-23
    notes = [
        f"decoded {len(records)} records in {len(steps)} steps from the 128-byte block layout "
        "(record times are ms increments; stitched per step onto the step blocks' test clock)"
    ]
    if unknown_codes:
        codes = ", ".join(f"0x{c:02X}" for c in sorted(unknown_codes))
        notes.append(f"step codes {codes} not known; their step type follows the current")
    metadata: dict[str, Any] = {
        "format": "land_ccs",
        "manufacturer": "LAND",
        "instrument": "LAND cycler (WuHan LAND)" if VENDOR in data[:start] else "LAND cycler",
        "columns": {
            "time": "record dt (ms)",
            "voltage": "V",
            "current": "A",
            "capacity": "record capacity increments (A·h, summed per step)",
        },
        "units": {"time": "ms increments", "voltage": "V", "current": "A"},
        "step_codes": {
            f"0x{c:02X}": STEP_CODES.get(c, "unknown") for c in sorted({s[1] for s in steps})
        },
        **_header_strings(data[:start]),
    }
    return finish(source, series, metadata, notes, what="record")


def _sniff_ccs(head: CyclingHead) -> bool:
    if head.data.startswith(b"PK") or len(head.data) < 4 * BLOCK:
        return False
    if head.suffix == ".ccs":
        return True
    return VENDOR in head.data[:0x2000] and _first_step_block(head.data[:0x20000]) is not None


CCS = CyclingFormat(
    name="land_ccs",
    title="LAND / LANDdt native binary .ccs",
    extensions=(".ccs",),
    sniff=_sniff_ccs,
    parse=parse_ccs,
)

# --------------------------------------------------------------------------------------------
# LANDdt exports

_LAND_NAMES = {"systime", "testtime", "specap", "specapmahg", "speenergy", "speenergymwhg"}
DEFAULT_UNITS = {"voltage": "V", "current": "mA", "capacity": "mAh"}


def _is_land_header(cells: list[Any]) -> bool:
    keys = {normalise_name(str(c).split("/")[0]) for c in cells if c is not None}
    current = any(re.fullmatch(r"\s*current\s*/\s*(m|u|µ)?a\s*", str(c), re.I) for c in cells if c)
    return current and bool(keys & _LAND_NAMES)


def _finish_land(
    result: TableResult,
    source: str,
    fmt: str,
    notes: list[str],
    where: str,
    extra_meta: dict[str, Any],
) -> CyclingData:
    notes = [*notes, *result.notes]
    notes += signed_from_labels(result.series, result.metadata["columns"].get("current", ""))
    metadata = {"format": fmt, "manufacturer": "LAND", **extra_meta, **result.metadata}
    return finish(source, result.series, metadata, notes, what=where)


def parse_land_csv(data: bytes, source: str) -> CyclingData:
    if not data or data.isspace():
        raise format_error(source, "the file is empty")
    decoded = decode_text(data)
    table = find_text_table(decoded.text.lstrip("\ufeff"), source, data=utf8_bytes(data, decoded))
    if table is None or not _is_land_header(table.rows[table.header_at]):
        raise format_error(source, "no LANDdt record header (TestTime, Current/mA, Voltage/V …)")
    pairs = key_values(table.rows[: table.header_at])
    meta = {**header_metadata(pairs), **({"header": pairs} if pairs else {})}
    result = read_text_table(table, source)
    return _finish_land(result, source, "land_csv", list(decoded.notes), "line", meta)


def parse_land_xlsx(data: bytes, source: str) -> CyclingData:
    sheets = read_workbook(data, source)
    pairs: dict[str, str] = {}
    found: tuple[str, list[list[Any]], int] | None = None
    continuation: list[str] = []
    for title, rows in sheets:
        header_at = find_sheet_header(rows)
        if found is None and header_at is not None and _is_land_header(list(rows[header_at])):
            found = (title, [list(r) for r in rows], header_at)
            continue
        if found is not None and header_at is None and "record" in title.lower():
            width = len(found[1][found[2]])
            found[1].extend(list(r)[:width] for r in rows)
            continuation.append(title)
            continue
        if header_at is None:
            for key, value in key_values(rows[:60]).items():
                pairs.setdefault(key, value)
    if found is None:
        names = ", ".join(title for title, _ in sheets)
        raise format_error(source, f"no LANDdt record sheet found (sheets: {names})")
    title, rows, header_at = found
    notes = [f"read from sheet {title!r} (row numbers are spreadsheet rows)", *sheets.notes]
    if continuation:
        notes.append(
            f"continuation sheets without a header joined: {', '.join(continuation)} "
            "(row numbers continue after the first sheet)"
        )
    meta = {**header_metadata(pairs), **({"header": pairs} if pairs else {})}
    result = read_table(rows, list(range(1, len(rows) + 1)), header_at, source, where="row")
    return _finish_land(result, source, "land_xlsx", notes, "row", meta)


def _sniff_csv(head: CyclingHead) -> bool:
    if b"\x00" in head.data[:4096] or head.data.startswith(b"PK"):
        return False
    table = find_text_table(head.lines)
    return table is not None and _is_land_header(table.rows[table.header_at])


def _sniff_xlsx(head: CyclingHead) -> bool:
    for _, rows in head.sheets:
        header_at = find_sheet_header(rows)
        if header_at is not None and _is_land_header(list(rows[header_at])):
            return True
    return False


CSV = CyclingFormat(
    name="land_csv",
    title="LANDdt CSV export",
    extensions=(".csv",),
    sniff=_sniff_csv,
    parse=parse_land_csv,
)

XLSX = CyclingFormat(
    name="land_xlsx",
    title="LANDdt .xlsx export (Record sheets)",
    extensions=(".xlsx", ".xls"),
    sniff=_sniff_xlsx,
    parse=parse_land_xlsx,
)
