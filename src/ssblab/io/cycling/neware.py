"""Neware BTS: binary ``.nda``/``.ndax`` (via NewareNDA) and CSV/``.xlsx`` exports.

Binary: ``.nda`` starts with ``NEWARE``; ``.ndax`` is a zip holding ``data.ndc``,
``TestInfo.xml``, ``Step.xml`` …. Both are decoded by the BSD-licensed ``NewareNDA`` package
(``Index``, ``Cycle``, ``Step``, ``Status``, ``Time`` = step time in s, ``Voltage`` in V,
``Current(mA)``, capacities in mA·h, ``Timestamp``, aux ``T1``… in °C). Examples: the
``new_nda_file.nda`` and ``Unit27`` ``.ndax`` test files of Solid-Energy-Systems/NewareNDA.

CSV exports (from jepegit/cellpy test data):

* flat — one header row: ``DataPoint, Cycle Index, Step Index, Step Type, Time,
  Cumulative Time, Current(A), Voltage(V), Capacity(Ah), …, Date, …``; times as ``hh:mm:ss``
  (hours may exceed 24); ``Time`` is the step time, ``Cumulative Time``/``Total Time`` the test
  time.
* stacked ("regular" export) — three header rows whose level is shown by leading empty
  fields: ``Cycle Index, Chg. Cap.(Ah), …`` (cycle rows), ``,Step Index, Step Number,
  Step Type, …`` (step rows) and ``,,DataPoint, Time, Total Time, Current(A), Voltage(V), …``
  (record rows). Records take their cycle and step from the rows above them. In the IFE file
  the first cycle row and the first step row share one line (no line break); that line is
  split. ``°C`` is written ``(?)`` (the ℃ sign lost to the export's encoding).

``.xlsx`` exports hold the same record table in a ``record`` sheet (BTS 8) or a ``Detail_…``
sheet (BTS 7: ``Record ID, Realtime, Time(h:min:s.ms)`` = step time, ``Step Name``, ``Cycle``,
``Step``, ``Cur(mA)``, ``Voltage(V)``, ``CapaCity(mAh)``). Current is signed (discharge < 0).
"""

from __future__ import annotations

import io
import logging
import re
import struct
import tempfile
import zipfile
import zlib
from dataclasses import replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from ssblab.cycling.data import CyclingData
from ssblab.io._quiet import captured
from ssblab.io._text import (
    decode_text,
    format_error,
    head_lines,
    normalise_newlines,
    utf8_bytes,
)
from ssblab.io.cycling._common import (
    CyclingFormat,
    CyclingHead,
    Series,
    finish,
    header_metadata,
    key_values,
    label_kinds,
    stitch_step_time,
)
from ssblab.io.cycling._cutoff import cut_stacked_record
from ssblab.io.cycling._steps import decimal_quantum
from ssblab.io.cycling._table import (
    TextTable,
    classify,
    find_columns,
    find_sheet_header,
    find_text_table,
    read_table,
    read_text_table,
    read_workbook,
    split_rows,
)

NDA_MAGIC = b"NEWARE"
_NEWARE_NAMES = {"steptype", "stepname"}
_RECORD_NAMES = {"datapoint", "recordid", "recordindex"}

# --------------------------------------------------------------------------------------------
# Binary .nda / .ndax


def _newarenda_version() -> str:
    try:
        return version("NewareNDA")
    except PackageNotFoundError:  # pragma: no cover - NewareNDA is a dependency
        return "unknown"


def _nda_metadata(raw: dict[str, Any]) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    mass = raw.get("active_mass_mg")
    if isinstance(mass, int | float) and mass > 0:
        meta["active_mass_kg"] = float(mass) * 1e-6
    info = (raw.get("TestInfo") or {}).get("TestInfo") or {}
    for key, target in (("StartTime", "start_time"), ("ChlID", "channel"), ("Barcode", "barcode")):
        if info.get(key):
            meta[target] = str(info[key]).replace(" ", "T") if key == "StartTime" else info[key]
    if info.get("DevID"):
        meta["instrument"] = f"Neware device {info['DevID']}"
    for key in ("server_version", "client_version", "remarks"):
        if raw.get(key):
            meta[key] = raw[key]
    return meta


def _check_ndax(data: bytes, source: str) -> None:
    """A readable zip with a ``data.ndc`` member, or a one-line 'damaged .ndax archive' error."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            bad = archive.testzip()  # reads every member: CRC and decompression checked
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        RuntimeError,  # an encrypted member, or an unsupported compression method
    ) as exc:
        why = " ".join(str(exc).split())[:100] or type(exc).__name__
        raise format_error(source, f"damaged .ndax archive ({why})") from None
    if bad is not None:
        raise format_error(source, f"damaged .ndax archive (member {bad!r} fails its CRC check)")
    if "data.ndc" not in names:
        shown = ", ".join(names[:6]) or "none"
        raise format_error(source, f"damaged .ndax archive: no data.ndc member (members: {shown})")


def _nda_truncation(data: bytes) -> str | None:
    """Why an ``.nda`` looks cut short, or None.

    Two checks, from the version-29 (BTS 7) file of the NewareNDA tests: the header holds the
    file's length in the 32-bit words at 0x48 and 0x50 (both equal to it there), and the data
    section is a run of 86-byte records from the first record (``55 00`` after four zero
    bytes). A file shorter than its header says, or ending in a partial record, was cut.
    Other versions are checked by the header length only.
    """
    if len(data) < 0x54:
        return f"the file has {len(data)} bytes, shorter than an .nda header"
    stated, again = (
        struct.unpack_from("<II", data, 0x48)[0],
        struct.unpack_from("<I", data, 0x50)[0],
    )
    if stated == again and 1024 <= stated < 2**40 and stated > len(data):
        return (
            f"the header gives its length as {stated} bytes but the file has {len(data)} "
            f"({stated - len(data)} missing)"
        )
    if data[14] == 29:
        start = data.find(b"\x00\x00\x00\x00\x55\x00")
        while start >= 0 and start + 4 + 86 < len(data) and data[start + 4 + 86] != 0x55:
            start = data.find(b"\x00\x00\x00\x00\x55\x00", start + 4)
        if start >= 0:
            partial = (len(data) - start - 4) % 86
            if partial:
                return f"it ends in a partial 86-byte record ({partial} bytes), which is not read"
    return None


#: NewareNDA's informational log lines that only repeat versions (kept in metadata instead).
_CHATTER = re.compile(
    r"(NDA version|Server|Client|Control unit version|Tester version|BTS version)"
)


def _read_frame(data: bytes, source: str) -> tuple[Any, dict[str, Any], list[str]]:
    """(NewareNDA's DataFrame, its metadata, notes): its log and warnings captured as notes."""
    is_ndax = data.startswith(b"PK\x03\x04")
    if not is_ndax and not data.startswith(NDA_MAGIC):
        raise format_error(source, "not a Neware .nda (no 'NEWARE' magic) or .ndax (zip) file")
    notes: list[str] = []
    truncated = None
    if is_ndax:
        _check_ndax(data, source)
    else:
        truncated = _nda_truncation(data)
    try:
        import NewareNDA
    except ImportError:  # pragma: no cover - NewareNDA is a dependency
        raise format_error(source, "reading .nda/.ndax files needs NewareNDA") from None
    suffix = ".ndax" if is_ndax else ".nda"
    with tempfile.TemporaryDirectory() as folder, captured(logging.INFO) as caught:
        path = Path(folder) / f"data{suffix}"
        path.write_bytes(data)
        try:
            frame = NewareNDA.read(str(path), log_level="INFO")
        except Exception as exc:  # NewareNDA reports damage with many exception types
            message = str(exc).replace(str(path), source).splitlines()
            why = message[0] if message and message[0] else type(exc).__name__
            cut = f"truncated .nda ({truncated}); " if truncated else ""
            raise format_error(
                source, f"{cut}NewareNDA {_newarenda_version()} cannot decode it: {why[:120]}"
            ) from None
        try:
            raw_meta = NewareNDA.read_metadata(path)
        except Exception:  # metadata is optional
            raw_meta = {}
    for message in caught.messages(logging.INFO):
        if not _CHATTER.search(message):
            notes.append(message.replace(str(path), source))
    if truncated:
        notes.append(f"truncated .nda: {truncated}; {len(frame)} records read")
    return frame, raw_meta, notes


def parse_nda(data: bytes, source: str) -> CyclingData:
    frame, raw_meta, notes = _read_frame(data, source)
    return nda_frame_data(frame, raw_meta, source, notes)


def nda_frame_data(
    frame: Any, raw_meta: dict[str, Any], source: str, notes: list[str] | None = None
) -> CyclingData:
    """The tidy table of NewareNDA's DataFrame (``Time`` is the step time in most files,
    cumulative in some: it is stitched only where it restarts, and checked against the
    record ``Timestamp``)."""
    import pandas as pd

    notes = list(notes or [])
    if len(frame) == 0:
        raise format_error(source, "no data records")
    step = frame["Step"].to_numpy(dtype=float)
    stamps = None
    if "Timestamp" in frame.columns:
        moments = pd.to_datetime(frame["Timestamp"], errors="coerce")
        stamps = (moments - moments.iloc[0]).dt.total_seconds().to_numpy(dtype=float)
    time, time_notes = stitch_step_time(frame["Time"].to_numpy(dtype=float), step, "Time", stamps)
    notes += time_notes
    current_ma = frame["Current(mA)"].to_numpy()
    current = current_ma.astype(float) * 1e-3
    notes.append("current converted from mA to A (column 'Current(mA)')")
    labels = label_kinds(frame["Status"].astype(str))
    series = Series(
        time,
        frame["Voltage"].to_numpy(dtype=float),
        current,
        frame["Index"].to_numpy(dtype=int),
        step=step,
        label=labels,
        cycle=frame["Cycle"].to_numpy(dtype=float),
    )
    step_ma = decimal_quantum(current_ma)  # int × range multiplier: fixed decimals
    series.resolution["current"] = series.resolution["current_floor"] = step_ma * 1e-3
    series.resolution["time"] = decimal_quantum(frame["Time"].to_numpy())
    for role, column in (
        ("charge_capacity", "Charge_Capacity(mAh)"),
        ("discharge_capacity", "Discharge_Capacity(mAh)"),
    ):
        if column in frame.columns:
            values = frame[column].to_numpy()
            series.extra[role] = values.astype(float) * 1e-3
            series.resolution[role] = decimal_quantum(values) * 1e-3
    aux = [c for c in frame.columns if str(c).startswith("T") and str(c)[1:].isdigit()]
    if aux:
        series.temperature_k = frame[aux[0]].to_numpy(dtype=float) + 273.15
        notes.append(f"temperature from aux channel {aux[0]!r} converted from °C to K")
    restarts = any("restarts at" in note for note in time_notes)
    metadata: dict[str, Any] = {
        "format": "neware_nda",
        "manufacturer": "Neware",
        "reader": f"NewareNDA {_newarenda_version()}",
        "all_columns": [str(c) for c in frame.columns],
        "columns": {
            "time": "Time (step time, stitched)" if restarts else "Time",
            "voltage": "Voltage",
            "current": "Current(mA)",
            "step": "Step",
            "step_type": "Status",
            "cycle": "Cycle",
            "charge_capacity": "Charge_Capacity(mAh)",
            "discharge_capacity": "Discharge_Capacity(mAh)",
        },
        "units": {"time": "s", "voltage": "V", "current": "mA", "capacity": "mAh"},
    }
    metadata.update(_nda_metadata(raw_meta))
    if "Timestamp" in frame.columns and "start_time" not in metadata:
        first = pd.to_datetime(frame["Timestamp"].iloc[0], errors="coerce")
        if first is not pd.NaT:
            metadata["start_time"] = first.isoformat()
    return finish(source, series, metadata, notes, what="record")


def _sniff_nda(head: CyclingHead) -> bool:
    if head.data.startswith(NDA_MAGIC):
        return True
    if not head.data.startswith(b"PK\x03\x04"):
        return False
    names = head.zip_names
    if "data.ndc" in names or ("TestInfo.xml" in names and head.suffix == ".ndax"):
        return True
    # a damaged archive lists no members: its name or its first local headers still tell
    return not names and (head.suffix == ".ndax" or b"data.ndc" in head.data[:65536])


NDA = CyclingFormat(
    name="neware_nda",
    title="Neware binary .nda/.ndax (via NewareNDA)",
    extensions=(".nda", ".ndax"),
    sniff=_sniff_nda,
    parse=parse_nda,
)

# --------------------------------------------------------------------------------------------
# CSV and .xlsx exports


def _fix_units(header: list[Any]) -> tuple[list[Any], list[str]]:
    """Neware writes ℃ as ``(?)``: read such units as °C."""
    fixed, count = [], 0
    for cell in header:
        text = str(cell) if cell is not None else ""
        if text.endswith("(?)"):
            text, count = text[:-3] + "(°C)", count + 1
        fixed.append(text if cell is not None else None)
    notes = [f"unit '(?)' of {count} temperature columns read as °C (Neware's ℃ sign)"]
    return fixed, notes if count else []


def _overrides(header: list[Any]) -> dict[str, str]:
    """A plain ``Time`` is Neware's step time unless no test-time column exists at all."""
    columns = find_columns(header)
    time = columns.get("time")
    if time is not None and time.priority == 1 and "step" in columns:
        return {"time": "step_time"}
    return {}


def _is_neware_header(cells: list[Any]) -> bool:
    names = {c.label.lower() for c in _classified(cells)}
    keys = {"".join(ch for ch in str(c).lower() if ch.isalnum()) for c in cells if c}
    return bool(keys & _NEWARE_NAMES) and (
        bool(keys & _RECORD_NAMES) or any(n.startswith("cur(") for n in names)
    )


def _classified(cells: list[Any]):
    return [c for i, cell in enumerate(cells) if (c := classify(i, cell)) is not None]


def _is_stacked(rows: list[list[str]]) -> bool:
    return (
        len(rows) >= 3
        and bool(rows[0])
        and rows[0][0].strip().lower() in ("cycle index", "cycle id")
        and len(rows[1]) > 1
        and rows[1][0] == ""
        and rows[1][1].strip().lower().startswith("step")
        and len(rows[2]) > 2
        and rows[2][:2] == ["", ""]
    )


def _depth(row: list[str]) -> int:
    depth = 0
    while depth < len(row) and row[depth].strip() == "":
        depth += 1
    return depth


def _stacked_records(
    rows: list[list[str]], source: str
) -> tuple[list[list[str]], list[int], list[str], int, int]:
    """Flatten the 3-level export: every record row with its cycle number and step."""
    cycle_header, step_header, record_header = rows[0], rows[1][1:], rows[2][2:]
    step_lower = [h.strip().lower() for h in step_header]
    cycle_at = 0
    step_at = next(
        (step_lower.index(n) for n in ("step number", "step id") if n in step_lower),
        step_lower.index("step index") if "step index" in step_lower else 0,
    )
    type_at = step_lower.index("step type") if "step type" in step_lower else None
    flat_header = ["Cycle Index", "Step ID", "Step Type", *record_header]
    out: list[list[str]] = [flat_header]
    lines: list[int] = [3]
    notes: list[str] = []
    cycle, step, kind = "", "", ""
    n_cycles = n_steps = 0
    for number, row in enumerate(rows[3:], start=4):
        if not any(c.strip() for c in row):
            continue
        depth = _depth(row)
        if depth == 0:
            cycle, n_cycles = row[cycle_at], n_cycles + 1
            if len(row) > len(cycle_header):  # a step row run into the cycle row
                notes.append(
                    f"line {number} holds a cycle row and a step row with no line break "
                    f"between them; split after the {len(cycle_header)} cycle fields"
                )
                depth, row = 1, ["", *row[len(cycle_header) :]]
            else:
                continue
        if depth == 1:
            fields = row[1:]
            if step_at >= len(fields):
                raise format_error(
                    source, f"step row has {len(fields)} fields, no step number (field "
                    f"{step_at + 1})", number,
                )  # fmt: skip
            step, n_steps = fields[step_at], n_steps + 1
            kind = fields[type_at] if type_at is not None and type_at < len(fields) else ""
            continue
        if depth >= 2:
            if not cycle or not step:
                raise format_error(source, "record row before any cycle and step row", number)
            out.append([cycle, step, kind, *row[2:]])
            lines.append(number)
    return out, lines, notes, n_cycles, n_steps


def _finish_export(
    table: TextTable | tuple[list[list[Any]], list[int], int],
    source: str,
    fmt: str,
    notes: list[str],
    where: str,
    extra: dict[str, Any] | None = None,
) -> CyclingData:
    """Read a text table, or (rows, their lines, header index), with Neware's header fixed."""
    if isinstance(table, TextTable):
        header, unit_notes = _fix_units(list(table.rows[table.header_at]))
        fixed = replace(table, rows=[*table.rows[: table.header_at], header])
        result = read_text_table(fixed, source, overrides=_overrides(header))
    else:
        rows, row_lines, header_at = table
        header, unit_notes = _fix_units(list(rows[header_at]))
        rows = [*rows[:header_at], header, *rows[header_at + 1 :]]
        result = read_table(
            rows, row_lines, header_at, source, overrides=_overrides(header), where=where
        )
    metadata = {"format": fmt, "manufacturer": "Neware", **(extra or {}), **result.metadata}
    return finish(source, result.series, metadata, [*notes, *unit_notes, *result.notes], what=where)


def parse_neware_csv(data: bytes, source: str) -> CyclingData:
    if not data or data.isspace():
        raise format_error(source, "the file is empty")
    decoded = decode_text(data)
    text = normalise_newlines(decoded.text.lstrip("\ufeff"))
    notes = list(decoded.notes)
    head_rows = split_rows(head_lines(text, 3)[0], ",")
    if _is_stacked(head_rows):
        lines = text.split("\n")
        notes += cut_stacked_record(lines)
        rows = split_rows(lines, ",")
        flat, flat_lines, split_notes, n_cycles, n_steps = _stacked_records(rows, source)
        notes.append(
            "Neware export with 3 stacked header rows (cycle, step, record): "
            f"{len(flat) - 1} record rows read; cycle and step numbers taken from the "
            f"{n_cycles} cycle rows and {n_steps} step rows above them"
        )
        notes += split_notes
        return _finish_export((flat, flat_lines, 0), source, "neware_csv", notes, "line")
    table = find_text_table(text, source, data=utf8_bytes(data, decoded))
    if table is None or not _is_neware_header(table.rows[table.header_at]):
        raise format_error(source, "no Neware record header (DataPoint, Step Type, Current …)")
    return _finish_export(table, source, "neware_csv", notes, "line")


def _neware_sheet(sheets) -> tuple[str, list[list[Any]], int] | None:
    for title, rows in sheets:
        header_at = find_sheet_header(rows, _overrides_for_rows(rows))
        if header_at is not None and _is_neware_header(list(rows[header_at])):
            return title, rows, header_at
    return None


def _overrides_for_rows(rows) -> dict[str, str]:
    for row in rows[:50]:
        if _is_neware_header(list(row)):
            return _overrides(list(row))
    return {}


def parse_neware_xlsx(data: bytes, source: str) -> CyclingData:
    sheets = read_workbook(data, source)
    found = _neware_sheet(sheets)
    if found is None:
        names = ", ".join(title for title, _ in sheets)
        raise format_error(source, f"no Neware record sheet found (sheets: {names})")
    title, rows, header_at = found
    notes = [f"read from sheet {title!r} (row numbers are spreadsheet rows)", *sheets.notes]
    rows = [[c if not isinstance(c, str) else c.strip() for c in row] for row in rows]
    pairs: dict[str, str] = {}
    for other, other_rows in sheets:  # BTS 8 "test" / BTS 7 "Info" sheets: key, value cells
        if other.strip().lower() in ("test", "info", "test info"):
            for key, value in key_values(other_rows[:40]).items():
                pairs.setdefault(key, value)
    extra = {**header_metadata(pairs), **({"header": pairs} if pairs else {})}
    return _finish_export(
        (rows, list(range(1, len(rows) + 1)), header_at), source, "neware_xlsx", notes, "row", extra
    )


def _sniff_csv(head: CyclingHead) -> bool:
    if b"\x00" in head.data[:4096] or head.data.startswith(b"PK"):
        return False
    if _is_stacked(split_rows(head.lines[:3], ",")):
        return True
    table = find_text_table(head.lines)
    return table is not None and _is_neware_header(table.rows[table.header_at])


def _sniff_xlsx(head: CyclingHead) -> bool:
    return bool(head.sheets) and _neware_sheet(head.sheets) is not None


CSV = CyclingFormat(
    name="neware_csv",
    title="Neware BTS CSV export (flat or 3 stacked header rows)",
    extensions=(".csv",),
    sniff=_sniff_csv,
    parse=parse_neware_csv,
)

XLSX = CyclingFormat(
    name="neware_xlsx",
    title="Neware BTS .xlsx export (record or Detail sheet)",
    extensions=(".xlsx",),
    sniff=_sniff_xlsx,
    parse=parse_neware_xlsx,
)
