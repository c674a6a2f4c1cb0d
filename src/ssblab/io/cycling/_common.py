"""Pieces every cycling reader shares: the registry entry, the series and the final assembly.

Every reader is a pure function ``parse(data: bytes, source: str) -> CyclingData`` that gathers
the instrument's columns into a :class:`Series` (time in s, voltage in V, current in A with the
sign convention of :mod:`ssblab.cycling.data`, plus optional step ids, step labels, cycle
numbers and temperature) and hands it to :func:`finish`, which drops unusable and duplicate
rows, checks the time axis, derives step types, step indices and cycles where the instrument
did not give them (:mod:`._steps`), builds the tidy table and checks it against the file's own
capacity counters (:mod:`._capacity`). Every repair is written into the notes.

Units and header values live in :mod:`._units`, whole columns of durations and timestamps in
:mod:`._timecells`; their names are imported here too, for the reader modules.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from ssblab.cycling.data import CyclingData, CyclingDataError, cycles_from_steps, tidy_table
from ssblab.io._text import FileHead, describe_lines, format_error, text_lines
from ssblab.io.cycling._capacity import apply_counters
from ssblab.io.cycling._steps import (
    fill_cycles,
    label_kind,
    label_kinds,
    signed_from_labels,
    step_types_and_indices,
    stitch_step_time,
)
from ssblab.io.cycling._timecells import (
    DATETIME_FORMATS,
    could_be_timestamp,
    parse_duration,
    parse_durations,
    parse_timestamp,
    parse_timestamps,
    timestamp_format,
)
from ssblab.io.cycling._units import (
    capacity_ah,
    capacity_scale,
    current_scale,
    header_metadata,
    header_quantity,
    key_values,
    mass_kg,
    scale_note,
    temperature_offset,
    time_scale,
    time_unit_word,
    voltage_scale,
)

__all__ = [  # the names the reader modules take from here
    "DATETIME_FORMATS",
    "HEAD_CHARS",
    "CyclingFormat",
    "CyclingHead",
    "Series",
    "capacity_ah",
    "capacity_scale",
    "could_be_timestamp",
    "current_scale",
    "finish",
    "header_metadata",
    "header_quantity",
    "key_values",
    "label_kind",
    "label_kinds",
    "mass_kg",
    "parse_duration",
    "parse_durations",
    "parse_timestamp",
    "parse_timestamps",
    "scale_note",
    "signed_from_labels",
    "stitch_step_time",
    "temperature_offset",
    "time_scale",
    "time_unit_word",
    "timestamp_format",
    "voltage_scale",
]

#: Characters of a text file looked at for detection (headers sit in the first few lines).
HEAD_CHARS = 64 * 1024

# --------------------------------------------------------------------------------------------
# Format registry entry and detection input


@dataclass(frozen=True)
class CyclingHead(FileHead):
    """What cycling detection looks at: the whole file's bytes, its first text and its name.

    Unlike impedance detection the whole file is kept, because an ``.xlsx`` or ``.ndax`` zip
    can only be opened whole; :attr:`sheets` previews the first rows of every sheet.
    """

    @cached_property
    def lines(self) -> list[str]:
        return text_lines(self.text.lstrip("\ufeff"))[:300]

    @cached_property
    def zip_names(self) -> list[str]:
        if not self.data.startswith(b"PK\x03\x04"):
            return []
        try:
            with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
                return archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return []

    @cached_property
    def sheets(self) -> list[tuple[str, list[list[Any]]]]:
        """(title, first 40 rows) of every sheet of an ``.xlsx`` workbook, else empty."""
        if "xl/workbook.xml" not in self.zip_names:
            return []
        from ssblab.io.cycling._table import read_workbook  # openpyxl is imported lazily

        try:
            return read_workbook(self.data, self.name, max_rows=40)
        except Exception:  # detection never raises; parsing reports the damage
            return []


@dataclass(frozen=True)
class CyclingFormat:
    """One entry of :data:`ssblab.io.cycling.FORMATS`.

    ``sniff`` recognises the format from a :class:`CyclingHead`; ``parse`` is ``None`` for a
    recognised but unsupported format (``unsupported_reason`` says why and what to export).
    """

    name: str
    title: str
    extensions: tuple[str, ...]
    sniff: Callable[[CyclingHead], bool]
    parse: Callable[[bytes, str], CyclingData] | None
    unsupported_reason: str = ""

    @property
    def supported(self) -> bool:
        return self.parse is not None


# --------------------------------------------------------------------------------------------
# Assembly


@dataclass
class Series:
    """A reader's columns in SI units, one entry per recorded point, before cleaning.

    ``lines`` are 1-based file lines (or spreadsheet rows, or record numbers) for messages;
    ``step`` holds the instrument's step ids (a change starts a new step; NaN = unknown);
    ``label`` holds per-row 'charge'/'discharge'/'rest' from the instrument ('' = unknown);
    ``cycle`` the instrument's cycle number (NaN = unknown); ``extra`` other per-row columns
    (the capacity counters ``capacity``/``charge_capacity``/``discharge_capacity`` in A·h);
    ``resolution`` how finely a column is written, by role, where the reader knows it (else it
    is estimated from the values): its rounding step ('current' in A, 'time' in s, a counter
    in A·h), ``<role>_relative`` for a column written with an exponent, and ``current_floor``,
    the count of a current written with fixed decimals (the rest floor of :mod:`._steps`).
    """

    time_s: np.ndarray
    voltage_v: np.ndarray
    current_a: np.ndarray
    lines: np.ndarray | None = None
    step: np.ndarray | None = None
    label: np.ndarray | None = None
    cycle: np.ndarray | None = None
    temperature_k: np.ndarray | None = None
    extra: dict[str, np.ndarray] = field(default_factory=dict)
    resolution: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.time_s = np.asarray(self.time_s, dtype=float)
        self.voltage_v = np.asarray(self.voltage_v, dtype=float)
        self.current_a = np.asarray(self.current_a, dtype=float)
        n = self.time_s.size
        if self.lines is None:
            self.lines = np.zeros(n, dtype=int)
        for name in ("voltage_v", "current_a", "lines", "step", "label", "cycle"):
            value = getattr(self, name)
            if value is not None and len(value) != n:
                raise ValueError(f"Series.{name} has {len(value)} entries, time has {n}")

    def __len__(self) -> int:
        return int(self.time_s.size)

    def take(self, keep: np.ndarray) -> Series:
        def pick(a):
            return None if a is None else np.asarray(a)[keep]

        return Series(
            self.time_s[keep],
            self.voltage_v[keep],
            self.current_a[keep],
            pick(self.lines),
            pick(self.step),
            pick(self.label),
            pick(self.cycle),
            pick(self.temperature_k),
            {k: v[keep] for k, v in self.extra.items()},
            dict(self.resolution),
        )


def count_rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


def _where(lines: np.ndarray, mask: np.ndarray, what: str = "line") -> str:
    """`` (lines 3–5)``; spreadsheet rows and binary records are called what they are."""
    where = describe_lines(np.asarray(lines)[mask])
    if what != "line" and where.startswith("line"):
        where = what + where[len("line") :]
    return f" ({where})" if where else ""


def drop_unusable(series: Series, source: str, what: str = "line") -> tuple[Series, list[str]]:
    """Drop rows without a finite time, voltage and current, and exact repeats of a row."""
    notes: list[str] = []
    finite = (
        np.isfinite(series.time_s) & np.isfinite(series.voltage_v) & np.isfinite(series.current_a)
    )
    if not finite.any():
        raise format_error(source, "no row has a numeric time, voltage and current")
    if not finite.all():
        notes.append(
            f"dropped {count_rows(int((~finite).sum()))} with a blank or non-numeric time, voltage "
            f"or current{_where(series.lines, ~finite, what)}"
        )
        series = series.take(finite)
    same = np.zeros(len(series), dtype=bool)
    if len(series) > 1:
        same[1:] = (
            (np.diff(series.time_s) == 0)
            & (np.diff(series.voltage_v) == 0)
            & (np.diff(series.current_a) == 0)
        )
        for extra in (series.step, series.cycle):
            if extra is not None:
                a = np.asarray(extra, dtype=float)
                same[1:] &= (a[1:] == a[:-1]) | (np.isnan(a[1:]) & np.isnan(a[:-1]))
        if series.label is not None:
            same[1:] &= series.label[1:] == series.label[:-1]
    if same.any():
        notes.append(
            f"dropped {count_rows(int(same.sum()))} repeating the {what} before (same time, "
            f"voltage, current and step){_where(series.lines, same, what)}"
        )
        series = series.take(~same)
    return series, notes


def check_time(series: Series, source: str, what: str = "line") -> None:
    """Raise naming the line where the time goes backwards."""
    backwards = np.flatnonzero(np.diff(series.time_s) < 0)
    if backwards.size:
        k = int(backwards[0])
        lines = np.asarray(series.lines)
        line = int(lines[k + 1]) or None
        before = f" ({what} {int(lines[k])})" if lines[k] else ""
        message = (
            f"time is not monotonic: {series.time_s[k + 1]:.6g} s after "
            f"{series.time_s[k]:.6g} s{before}"
        )
        if what == "line":
            raise format_error(source, message, line)
        raise format_error(source, f"{what} {line}: {message}" if line else message)


def finish(
    source: str,
    series: Series,
    metadata: Mapping[str, Any],
    notes: Sequence[str] = (),
    *,
    what: str = "line",
) -> CyclingData:
    """Clean ``series`` and build :class:`CyclingData` (``what`` names ``series.lines``)."""
    if len(series) == 0:
        raise format_error(source, "no data rows")
    all_notes = list(notes)
    series, dropped = drop_unusable(series, source, what)
    all_notes += dropped
    check_time(series, source, what)
    types, steps, type_notes = step_types_and_indices(
        series.current_a,
        series.step,
        series.label,
        series.resolution.get("current_floor", 0.0),
        series.lines,
    )
    all_notes += type_notes
    cycles = fill_cycles(series.cycle) if series.cycle is not None else None
    if cycles is None:
        active = np.flatnonzero((types == "charge") | (types == "discharge"))
        first = str(types[active[0]]) if active.size else "charge"
        cycles = cycles_from_steps(types, first=first)
        all_notes.append(
            f"cycle index derived from the step types (a cycle starts with each {first} "
            "that follows the opposite step)"
        )
    table = tidy_table(
        series.time_s,
        series.voltage_v,
        series.current_a,
        step_index=steps,
        step_type=types,
        cycle_index=cycles,
        temperature_k=series.temperature_k,
    )
    columns = dict(metadata.get("columns") or {})
    all_notes += apply_counters(table, series.extra, series.resolution, columns, series.lines, what)
    meta = dict(metadata)
    meta.setdefault("rows", len(table))
    try:
        return CyclingData(table, source, meta, tuple(dict.fromkeys(all_notes)))
    except CyclingDataError as exc:  # pragma: no cover - finish() checks the same things
        raise format_error(source, str(exc)) from None
