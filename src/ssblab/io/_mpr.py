"""BioLogic EC-Lab binary ``.mpr`` files: ssblab's own decoder (MIT), shared by the impedance
and cycling readers.

Layout, as established on the seven real files of ``../shared/real-data`` (EC-Lab 11.x, VSP,
VMP3, SP-300; 2023–2025) and their text twins::

    0x00  "BIO-LOGIC MODULAR FILE" 0x1A, spaces to 48 bytes, 4 zero bytes   (52 bytes)
    0x34  MODULE <header> <body>   MODULE <header> <body>   …   (to the end of the file)

A module header is ``"MODULE"``, a 10-byte short name (``VMP Set``, ``VMP data``, ``VMP LOG``,
``VMP loop``, …), a 25-byte long name, then in one of two layouts:

* before EC-Lab 11.50: ``length`` u32, ``version`` u32, date (8 ASCII characters) — 57 bytes;
* from EC-Lab 11.50: ``0xFFFFFFFF``, ``length`` u32, u32 (0), ``version`` u32 (10 for the
  settings, log and loop modules, 11 for data), date — 65 bytes.

The layout is told by the ``0xFFFFFFFF`` marker and checked by the date field (``08/11/23``,
``05.15.25``) and by the length fitting the file. Modules other than the four known ones
(``VMP ExtDev`` …) are skipped by their length.

**Data module** (``VMP data``): the number of points (u32), the number of columns and the
column IDs (u16 each), the records from a fixed offset:

* version 2/3 (old header): column count u8 at 4, IDs at 5, records at 405 (v2) / 406 (v3);
* version ≥ 10 (new header): column count u16 at 4, IDs at 6, records at 1007.

The layout is checked against the module length: points × record size must fill it. Records
are packed little-endian in the ID order (:mod:`ssblab.io._mpr_columns`); the six flag IDs
share one byte. An ID not in the table is skipped with a note naming it: its width is
inferred from the record size (module length / points), choosing the widths for which every
known column decodes to plausible values (finite, time non-decreasing); if that is not
unique, a one-line :class:`~ssblab.errors.FileFormatError` names the IDs.

**Loop module** (``VMP loop``): a count (u32) and that many u32 point indices, the first point
of each loop and finally the number of points. **Log module** (``VMP LOG``): the start of the
acquisition as an OLE date (f8 days since 1899-12-30) at byte 585 of its body. **Settings
module** (``VMP Set``): the technique ID in its first byte.

Damaged or truncated files give one-line :class:`FileFormatError`s naming the file; a data
module shorter than its declared point count is read up to its last whole record, with a note
saying how many points are missing.
"""

from __future__ import annotations

import itertools
import re
import struct
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from ssblab.errors import FileFormatError
from ssblab.io._mpr_columns import COLUMNS, FLAG_BITS, TECHNIQUES
from ssblab.io._text import format_error

MPR_MAGIC = b"BIO-LOGIC MODULAR FILE"
FILE_HEADER_SIZE = 52
MODULE_MAGIC = b"MODULE"
_NEW_HEADER_MARK = 0xFFFFFFFF
_OLD_HEADER_SIZE = 6 + 10 + 25 + 4 + 4 + 8
_NEW_HEADER_SIZE = 6 + 10 + 25 + 4 + 4 + 4 + 4 + 8
_DATE = re.compile(rb"\d\d[/.\-]\d\d[/.\-]\d\d")
_LOG_START_AT = 585
_OLE_EPOCH = datetime(1899, 12, 30)
_OLE_PLAUSIBLE = (32874.0, 73051.0)  # 1990-01-01 … 2100-01-01
_WIDTHS = (1, 2, 4, 8)
_MAX_UNKNOWN = 6  # unknown columns whose widths are searched jointly (4**6 combinations)
_CHECK_RECORDS = 4096  # records looked at when judging a width assignment


def reader_name() -> str:
    """What readers put in ``metadata["reader"]``."""
    return "ssblab .mpr decoder (ssblab.io._mpr)"


def is_mpr(data: bytes) -> bool:
    return data.startswith(MPR_MAGIC)


# --------------------------------------------------------------------------------------------
# Modules


@dataclass(frozen=True)
class Module:
    name: str  # short name, e.g. "VMP data"
    long_name: str
    version: int  # the data layout's version (3, 11 …)
    date: str
    new_header: bool
    at: int  # offset of "MODULE" in the file
    start: int  # offset of the body
    length: int  # declared body length
    body: bytes  # the body as present (shorter than ``length`` in a truncated file)

    @property
    def truncated(self) -> bool:
        return len(self.body) < self.length


def _u32(data: bytes, at: int) -> int:
    return struct.unpack_from("<I", data, at)[0]


def _text(raw: bytes) -> str:
    return raw.decode("latin-1").strip(" \x00")


def _module(data: bytes, at: int, source: str) -> Module:
    """The module whose ``MODULE`` marker is at ``at``; the header layout told by its bytes."""
    if len(data) < at + _OLD_HEADER_SIZE:
        raise format_error(source, f"truncated .mpr file: module header at byte {at} is cut off")
    short, long_name = data[at + 6 : at + 16], data[at + 16 : at + 41]
    p = at + 41
    candidates = []
    if _u32(data, p) == _NEW_HEADER_MARK and len(data) >= at + _NEW_HEADER_SIZE:
        length, version = _u32(data, p + 4), _u32(data, p + 12)
        candidates.append((True, length, version, data[p + 16 : p + 24], at + _NEW_HEADER_SIZE))
    candidates.append((False, _u32(data, p), _u32(data, p + 4), data[p + 8 : p + 16], p + 16))
    for new, length, version, date, start in candidates:
        if _DATE.fullmatch(date) and length <= 1 << 31:
            body = data[start : start + length]
            return Module(
                _text(short), _text(long_name), version, date.decode("ascii"), new, at, start,
                length, body,
            )  # fmt: skip
    raise format_error(
        source, f"damaged .mpr file: the header of module {_text(short)!r} at byte {at} is not "
        "understood (no module date where either EC-Lab layout has it)",
    )  # fmt: skip


def read_modules(data: bytes, source: str) -> tuple[list[Module], list[str]]:
    """Every module of the file, in order, and notes on what follows a damaged one."""
    if not is_mpr(data):
        raise format_error(source, "not a BioLogic .mpr file (no 'BIO-LOGIC MODULAR FILE' magic)")
    modules: list[Module] = []
    notes: list[str] = []
    at = FILE_HEADER_SIZE
    if data[at : at + 6] != MODULE_MAGIC:
        found = data.find(MODULE_MAGIC, len(MPR_MAGIC), 4096)
        if found < 0:
            raise format_error(source, "damaged .mpr file: no module after the file header")
        notes.append(f"the first module starts at byte {found}, not {FILE_HEADER_SIZE}")
        at = found
    while at < len(data):
        if data[at : at + 6] != MODULE_MAGIC:
            names = ", ".join(m.name for m in modules)
            notes.append(
                f"{len(data) - at} bytes after the modules ({names}) are not a module: ignored"
            )
            break
        try:
            module = _module(data, at, source)
        except FileFormatError:
            if not any(m.name == "VMP data" for m in modules):
                raise
            notes.append(f"a damaged module header at byte {at} and all after it ignored")
            break
        modules.append(module)
        if module.truncated:
            notes.append(
                f"the file ends inside module {module.name!r}: {len(module.body)} of its "
                f"{module.length} bytes present"
            )
            break
        at = module.start + module.length
    return modules, notes


# --------------------------------------------------------------------------------------------
# The data module


@dataclass(frozen=True)
class _Layout:
    count_size: int  # bytes of the column count (1 or 2)
    ids_at: int
    data_at: int
    name: str


_LAYOUTS = {
    2: _Layout(1, 5, 0x195, "data module v2"),
    3: _Layout(1, 5, 0x196, "data module v3"),
    10: _Layout(2, 6, 0x3EF, "data module v10+"),
}


def _layout_order(module: Module) -> list[_Layout]:
    if module.new_header or module.version >= 10:
        first = _LAYOUTS[10]
    else:
        first = _LAYOUTS.get(module.version, _LAYOUTS[3])
    return [first] + [layout for layout in _LAYOUTS.values() if layout is not first]


def _column_ids(body: bytes, layout: _Layout) -> list[int] | None:
    if len(body) < layout.ids_at:
        return None
    count = body[4] if layout.count_size == 1 else struct.unpack_from("<H", body, 4)[0]
    end = layout.ids_at + 2 * count
    if not 0 < count <= 255 or end > layout.data_at or end > len(body):
        return None
    ids = list(struct.unpack_from(f"<{count}H", body, layout.ids_at))
    if 0 in ids or max(ids) > 4095:
        return None
    return ids


@dataclass
class _Field:
    column_id: int
    name: str
    dtype: str | None  # None: unknown column
    width: int = 0


def _fields(ids: list[int]) -> list[_Field]:
    fields: list[_Field] = []
    seen: set[str] = set()
    flags_placed = False
    for column_id in ids:
        if column_id in FLAG_BITS:
            if not flags_placed:
                fields.append(_Field(0, "flags", "<u1", 1))
                flags_placed = True
            continue
        known = COLUMNS.get(column_id)
        if known is None:
            fields.append(_Field(column_id, f"column {column_id}", None))
            continue
        name = known.name if known.name not in seen else f"{known.name} (ID {column_id})"
        seen.add(name)
        fields.append(_Field(column_id, name, known.dtype, np.dtype(known.dtype).itemsize))
    return fields


def _structured(fields: list[_Field], widths: dict[int, int], itemsize: int) -> np.dtype:
    names, formats, offsets, at = [], [], [], 0
    for k, f in enumerate(fields):
        if f.dtype is not None:
            names.append(f.name)
            formats.append(f.dtype)
            offsets.append(at)
        at += f.width if f.dtype is not None else widths[k]
    return np.dtype({"names": names, "formats": formats, "offsets": offsets, "itemsize": itemsize})


def _plausible(records: np.ndarray) -> bool:
    """Known columns look like measurements: finite floats of sane size, time non-decreasing."""
    for name in records.dtype.names or ():
        values = records[name]
        if values.dtype.kind != "f":
            continue
        with np.errstate(invalid="ignore"):
            values = values.astype(float)
        if not np.isfinite(values).all():
            return False
        magnitude = np.abs(values[values != 0])
        if magnitude.size and (magnitude.max() > 1e15 or magnitude.min() < 1e-30):
            return False
        if name == "time/s" and (np.diff(values) < 0).any():
            return False
    return True


def _infer_widths(
    fields: list[_Field], body: bytes, declared: int, layout: _Layout, points: int, source: str
) -> tuple[dict[int, int], int]:
    """Widths of the unknown columns (field index → bytes) and the record size.

    ``declared`` is the data module's declared length; ``body`` what the file holds of it.
    """
    unknown = [k for k, f in enumerate(fields) if f.dtype is None]
    ids = ", ".join(str(fields[k].column_id) for k in unknown)
    known_width = sum(f.width for f in fields if f.dtype is not None)
    space = declared - layout.data_at
    if points <= 0 or space <= 0 or space % points:
        raise format_error(
            source, f"unknown column IDs {ids}: their width cannot be inferred (the data module's "
            f"{max(space, 0)} bytes are not a whole number of records for {points} points)",
        )  # fmt: skip
    record = space // points
    rest = record - known_width
    if len(unknown) > _MAX_UNKNOWN or rest < len(unknown):
        raise format_error(
            source, f"unknown column IDs {ids}: their width cannot be inferred ({rest} bytes "
            f"per record left for {len(unknown)} columns)",
        )  # fmt: skip
    sample = min(points, _CHECK_RECORDS, max(0, (len(body) - layout.data_at) // record))
    if sample < 2:
        raise format_error(source, f"unknown column IDs {ids}: too few records to infer widths")
    good: dict[tuple[int, ...], dict[int, int]] = {}
    for combo in itertools.product(_WIDTHS, repeat=len(unknown)):
        if sum(combo) != rest:
            continue
        widths = dict(zip(unknown, combo, strict=True))
        dtype = _structured(fields, widths, record)
        offsets = tuple(dtype.fields[n][1] for n in dtype.names or ())
        if offsets in good:
            continue  # the known columns sit where another assignment put them
        records = np.frombuffer(body, dtype, count=sample, offset=layout.data_at)
        if _plausible(records):
            good[offsets] = widths
    if len(good) != 1:
        why = "no" if not good else f"{len(good)} different"
        raise format_error(
            source, f"unknown column IDs {ids}: their width cannot be inferred ({why} width "
            f"assignments of the {rest} bytes left per record give plausible known columns)",
        )  # fmt: skip
    return next(iter(good.values())), record


@dataclass
class MprData:
    """A decoded ``.mpr`` file: its columns by EC-Lab name and what the modules said."""

    columns: dict[str, np.ndarray]  # floats as float64; flag bits as "mode", "ox/red" … too
    column_ids: list[int]
    flags: np.ndarray | None  # the raw flags byte
    skipped_ids: list[int]
    points_declared: int
    loop_starts: list[int] | None  # first point of each loop, then the declared point count
    start_time: datetime | None
    technique: str | None
    technique_id: int | None
    layout: str
    modules: list[str]
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return next((v.size for v in self.columns.values()), 0)

    def metadata(self) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "reader": reader_name(),
            "mpr_layout": self.layout,
            "mpr_modules": list(self.modules),
            "mpr_column_ids": list(self.column_ids),
        }
        if self.technique:
            meta["technique"] = self.technique
        if self.skipped_ids:
            meta["mpr_skipped_column_ids"] = list(self.skipped_ids)
        return meta


def _choose_layout(
    module: Module, points: int, source: str
) -> tuple[_Layout, list[int], list[_Field], list[str]]:
    """The data layout whose column list reads and whose records fill the declared length;
    the one the version implies first, any readable one when none fits (a damaged length)."""
    order = _layout_order(module)
    readable = []
    chosen = None
    for layout in order:
        ids = _column_ids(module.body, layout)
        if ids is None:
            continue
        fields = _fields(ids)
        readable.append((layout, ids, fields))
        space = module.length - layout.data_at
        if any(f.dtype is None for f in fields):
            fits = points > 0 and space > 0 and space % points == 0
        else:
            fits = space == points * sum(f.width for f in fields)
        if fits:
            chosen = (layout, ids, fields)
            break
    if chosen is None:
        if not readable:
            raise format_error(
                source, "damaged .mpr file: the data module's column list is unreadable"
            )
        chosen = readable[0]
    layout, ids, fields = chosen
    notes = []
    if layout is not order[0]:
        notes.append(
            f"data module version {module.version} read with the {layout.name} layout, "
            "the one its column list and length fit"
        )
    return layout, ids, fields, notes


def _decode_data(module: Module, source: str) -> tuple[dict[str, Any], list[str]]:
    body = module.body
    if len(body) < 6:
        raise format_error(source, "truncated .mpr file: the data module holds no column list")
    points = _u32(body, 0)
    if points == 0:
        raise format_error(source, "the .mpr data module declares no data points")
    layout, ids, fields, notes = _choose_layout(module, points, source)
    unknown = [f.column_id for f in fields if f.dtype is None]
    widths: dict[int, int] = {}
    if unknown:
        widths, record = _infer_widths(fields, body, module.length, layout, points, source)
        described = ", ".join(
            f"{fields[k].column_id} ({w} bytes)" for k, w in sorted(widths.items())
        )
        notes.append(
            f"unknown column IDs skipped: {described}; widths inferred from the record size "
            f"({record} bytes) so that every known column decodes to plausible values"
        )
    else:
        record = sum(f.width for f in fields)
    declared_bytes = module.length - layout.data_at
    whole = max(0, (len(body) - layout.data_at) // record) if record else 0
    count = min(points, whole)
    if declared_bytes < points * record and not module.truncated:
        whole_declared = max(0, declared_bytes // record)
        count = min(count, whole_declared)
    if count < points:
        notes.append(
            f"the data module holds {count} whole records of the {points} points it declares: "
            f"{points - count} points missing (the file is cut short)"
        )
    elif declared_bytes > points * record:
        notes.append(
            f"{declared_bytes - points * record} bytes after the last of the {points} records "
            "in the data module ignored"
        )
    dtype = _structured(fields, widths, record)
    if count == 0:
        raise format_error(source, f"the data module holds no whole record of {record} bytes")
    records = np.frombuffer(body, dtype, count=count, offset=layout.data_at)
    if unknown and not _plausible(records):
        raise format_error(
            source, f"unknown column IDs {', '.join(map(str, unknown))}: the known columns do "
            "not decode to plausible values",
        )  # fmt: skip
    columns: dict[str, np.ndarray] = {}
    flags = None
    for f in fields:
        if f.dtype is None:
            continue
        values = np.array(records[f.name])
        if f.name == "flags":
            flags = values
            for column_id in ids:
                if column_id in FLAG_BITS:
                    name, mask = FLAG_BITS[column_id]
                    shift = (mask & -mask).bit_length() - 1
                    bits = (values & mask) >> shift
                    columns[name] = bits.astype(np.uint8 if name == "mode" else bool)
            continue
        if values.dtype.kind == "f":
            with np.errstate(invalid="ignore"):  # garbage bytes may hold signalling NaNs
                values = values.astype(np.float64)
        columns[f.name] = values
    return {
        "columns": columns,
        "ids": ids,
        "flags": flags,
        "skipped": unknown,
        "points": points,
        "layout": layout.name,
    }, notes


# --------------------------------------------------------------------------------------------
# Loop, log and settings modules


def _loop_starts(module: Module, points: int, read: int) -> tuple[list[int] | None, list[str]]:
    body = module.body
    if len(body) < 4:
        return None, ["the loop module is empty: loops not used"]
    count = _u32(body, 0)
    if count == 0 or 4 + 4 * count > len(body):
        return None, [f"the loop module declares {count} indices it does not hold: not used"]
    starts = list(struct.unpack_from(f"<{count}I", body, 4))
    if starts[0] != 0 or any(b < a for a, b in itertools.pairwise(starts)):
        return None, ["the loop module's point indices are not increasing from 0: not used"]
    if starts[-1] != points:
        return None, [
            f"the loop module ends at point {starts[-1]} but the data module declares "
            f"{points} points: loops not used"
        ]
    if read < points:
        return starts, [f"loops from the loop module for the {read} points present"]
    return starts, []


def _start_time(module: Module) -> datetime | None:
    body = module.body
    if len(body) < _LOG_START_AT + 8:
        return None
    days = struct.unpack_from("<d", body, _LOG_START_AT)[0]
    if not _OLE_PLAUSIBLE[0] <= days <= _OLE_PLAUSIBLE[1]:
        return None
    return _OLE_EPOCH + timedelta(days=days)


def _module_date(module: Module) -> datetime | None:
    """The module's date field (mm/dd/yy or mm.dd.yy, as EC-Lab writes it)."""
    text = re.sub(r"[.\-]", "/", module.date)
    try:
        return datetime.strptime(text, "%m/%d/%y")
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------
# The whole file


def read_mpr(data: bytes, source: str) -> MprData:
    """Decode ``data``, the bytes of a ``.mpr`` file; every failure is a one-line
    :class:`FileFormatError` naming ``source``."""
    try:
        return _read(data, source)
    except FileFormatError:
        raise
    except (struct.error, ValueError, TypeError, IndexError, OverflowError, MemoryError) as exc:
        # a check above should have caught it: still one line, naming the file
        raise format_error(source, f"damaged .mpr file ({type(exc).__name__})") from None


def _read(data: bytes, source: str) -> MprData:
    modules, notes = read_modules(data, source)
    by_name: dict[str, Module] = {}
    for module in modules:
        if module.name in by_name:
            notes.append(f"a second {module.name!r} module ignored")
            continue
        by_name[module.name] = module
    data_module = by_name.get("VMP data")
    if data_module is None:
        if modules and modules[-1].truncated:
            raise format_error(
                source, f"truncated .mpr file: it ends inside module {modules[-1].name!r}, "
                "before the data module",
            )  # fmt: skip
        found = ", ".join(m.name for m in modules) or "none"
        raise format_error(source, f"no 'VMP data' module in the .mpr file (modules: {found})")
    decoded, data_notes = _decode_data(data_module, source)
    notes += data_notes
    read = next(iter(decoded["columns"].values())).size
    loop_starts = None
    if "VMP loop" in by_name:
        loop_starts, loop_notes = _loop_starts(by_name["VMP loop"], decoded["points"], read)
        notes += loop_notes
    start_time = None
    if "VMP LOG" in by_name:
        start_time = _start_time(by_name["VMP LOG"])
        if start_time is None:
            notes.append("no acquisition start time in the log module")
    settings = by_name.get("VMP Set")
    technique_id = settings.body[0] if settings is not None and settings.body else None
    if start_time is not None and settings is not None:
        day = _module_date(settings)
        if day is not None and day.date() != start_time.date():
            notes.append(
                f"the log's start time {start_time.isoformat()} is not on the settings "
                f"module's date {settings.date}"
            )
    header = "EC-Lab ≥ 11.50 module headers" if data_module.new_header else "pre-11.50 headers"
    return MprData(
        columns=decoded["columns"],
        column_ids=decoded["ids"],
        flags=decoded["flags"],
        skipped_ids=decoded["skipped"],
        points_declared=decoded["points"],
        loop_starts=loop_starts,
        start_time=start_time,
        technique=TECHNIQUES.get(technique_id) if technique_id is not None else None,
        technique_id=technique_id,
        layout=f"{header}, {decoded['layout']}",
        modules=[m.name for m in modules],
        notes=notes,
    )
