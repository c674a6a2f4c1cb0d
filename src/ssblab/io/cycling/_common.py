"""Pieces every cycling reader shares: the registry entry, units, labels and the final assembly.

Every reader is a pure function ``parse(data: bytes, source: str) -> CyclingData`` that gathers
the instrument's columns into a :class:`Series` (time in s, voltage in V, current in A with the
sign convention of :mod:`ssblab.cycling.data`, plus optional step ids, step labels, cycle
numbers and temperature) and hands it to :func:`finish`, which drops unusable and duplicate
rows, checks the time axis, derives step types, step indices and cycles where the instrument
did not give them, and builds the tidy table. Every repair is written into the notes.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd

from ssblab.cycling.data import (
    REST_CURRENT_FRACTION,
    CyclingData,
    CyclingDataError,
    cycles_from_steps,
    step_types_from_current,
    tidy_table,
)
from ssblab.io._text import FileHead, describe_lines, format_error, text_lines

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
# Units

_TIME_UNITS = {
    "s": 1.0,
    "sec": 1.0,
    "secs": 1.0,
    "second": 1.0,
    "seconds": 1.0,
    "ms": 1e-3,
    "min": 60.0,
    "mins": 60.0,
    "minute": 60.0,
    "minutes": 60.0,
    "h": 3600.0,
    "hr": 3600.0,
    "hrs": 3600.0,
    "hour": 3600.0,
    "hours": 3600.0,
    "d": 86400.0,
    "day": 86400.0,
    "days": 86400.0,
}
_MICRO = ("µ", "μ", "u")
_TIME_UNIT_WORDS = {1.0: "s", 1e-3: "ms", 60.0: "minutes", 3600.0: "hours", 86400.0: "days"}


def _clean_unit(unit: str) -> str:
    return unit.strip().replace(" ", "").replace("·", ".").replace("*", ".")


def time_scale(unit: str) -> float | None:
    """Factor to seconds (``s``, ``ms``, ``min``, ``h``, ``d`` and spelled-out forms)."""
    return _TIME_UNITS.get(_clean_unit(unit).lower())


def _prefixed(unit: str, base: str) -> float | None:
    """Scale of ``unit`` relative to ``base`` with an SI prefix (case matters for m/M)."""
    u = _clean_unit(unit)
    if u.lower() == base.lower():
        return 1.0
    if len(u) < 2 or u[1:].lower() != base.lower():
        return None
    prefix = u[0]
    if prefix == "m":
        return 1e-3
    if prefix in _MICRO:
        return 1e-6
    if prefix == "n":
        return 1e-9
    if prefix == "k":
        return 1e3
    return None


def current_scale(unit: str) -> float | None:
    """Factor to A (``A``, ``mA``, ``µA``/``uA``, ``nA``)."""
    return _prefixed(unit, "A")


def voltage_scale(unit: str) -> float | None:
    """Factor to V (``V``, ``mV``, ``µV``)."""
    return _prefixed(unit, "V")


def capacity_scale(unit: str) -> float | None:
    """Factor to A·h (``Ah``, ``A.h``, ``mAh``, ``mA.h``, ``µAh``; ``C``/``mC`` and ``As``)."""
    u = _clean_unit(unit).replace(".", "")
    if u in ("C", "As"):
        return 1 / 3600
    if u in ("mC", "mAs"):
        return 1e-3 / 3600
    if u.endswith(("Ah", "AH", "ah")):
        return _prefixed(u[:-1], "A")
    return None


def temperature_offset(unit: str) -> float | None:
    """Offset to K for a temperature unit (°C → 273.15, K → 0); ``None`` otherwise."""
    u = _clean_unit(unit).replace("\u2103", "°C").lower()
    if u in ("°c", "degc", "c", "celsius", "deg.c", "ºc"):
        return 273.15
    if u in ("k", "kelvin"):
        return 0.0
    return None


def time_unit_word(scale: float) -> str:
    return _TIME_UNIT_WORDS.get(scale, f"units of {scale:g} s")


# --------------------------------------------------------------------------------------------
# Durations, datetimes and step labels

_DURATION = re.compile(
    r"(?:(?P<days>\d+)\s*(?:d|day|days)[,\s]\s*|(?P<days2>\d+)-)?"
    r"(?P<h>\d+):(?P<m>\d{1,2}):(?P<s>\d{1,2}(?:[.,]\d*)?)"
)


def parse_duration(text: Any) -> float | None:
    """Seconds from ``hh:mm:ss[.fff]`` (hours may exceed 24), ``d-hh:mm:ss`` or ``1 d 02:…``.

    A :class:`datetime.time`/:class:`~datetime.timedelta` (Excel cells) is converted too;
    anything else gives ``None``.
    """
    if isinstance(text, timedelta):
        return text.total_seconds()
    if hasattr(text, "hour") and hasattr(text, "second") and not hasattr(text, "year"):
        return text.hour * 3600 + text.minute * 60 + text.second + text.microsecond * 1e-6
    if not isinstance(text, str):
        return None
    match = _DURATION.fullmatch(text.strip().strip('"'))
    if match is None:
        return None
    days = int(match.group("days") or match.group("days2") or 0)
    minutes, seconds = int(match.group("m")), float(match.group("s").replace(",", "."))
    if minutes >= 60 or seconds >= 60:
        return None
    return days * 86400 + int(match.group("h")) * 3600 + minutes * 60 + seconds


DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S.%f",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
)


def parse_timestamp(value: Any, formats: Sequence[str] = DATETIME_FORMATS) -> datetime | None:
    """A :class:`datetime` from an Excel datetime cell or a text in one of ``formats``."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        return None
    text = " ".join(value.strip().strip('"').split())
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def could_be_timestamp(value: Any, formats: Sequence[str] = DATETIME_FORMATS) -> bool:
    """False for a text none of ``formats`` can read for want of a colon (a quick check)."""
    return not isinstance(value, str) or ":" in value or not all(":" in f for f in formats)


def timestamp_format(value: Any, formats: Sequence[str] = DATETIME_FORMATS) -> list[str]:
    """``formats`` with the one that parses ``value`` first (columns keep one format)."""
    text = " ".join(str(value).strip().strip('"').split())
    for fmt in formats:
        try:
            datetime.strptime(text, fmt)
        except ValueError:
            continue
        return [fmt, *(f for f in formats if f != fmt)]
    return list(formats)


_REST_WORDS = {"r", "rest", "ocv", "pause", "relax", "relaxation", "open circuit", "wait", "ocp"}
_CHARGE_TOKENS = {"c", "ch", "chg", "charge", "ccc", "cvc", "cccvc"}
_DISCHARGE_TOKENS = {"d", "dc", "dchg", "dischg", "discharge", "ccd", "cvd", "cccvd"}


def label_kind(label: Any) -> str:
    """'charge', 'discharge', 'rest' or '' for an instrument's step or state label.

    Knows Neware (``CC Chg``, ``CCCV_DChg``, ``Rest``), Maccor (``C``/``D``/``R``), LAND
    (``C_CC``, ``D_CV``, ``R``) and plain words; anything else (``Pulse``, ``O``) is ''.
    """
    if label is None:
        return ""
    text = re.sub(r"[\s_\-/]+", " ", str(label).strip().lower()).strip()
    if not text:
        return ""
    if text in _REST_WORDS or text.startswith("rest"):
        return "rest"
    tokens = set(text.split())
    squashed = text.replace(" ", "")
    if tokens & _DISCHARGE_TOKENS or "dchg" in squashed or "discharg" in squashed:
        return "discharge"
    if tokens & _CHARGE_TOKENS or squashed.endswith("chg") or "charg" in squashed:
        return "charge"
    return ""


# --------------------------------------------------------------------------------------------
# Whole columns: durations, timestamps and labels
#
# A column of texts is joined into one byte string; a cell whose characters are digits apart
# from a fixed run of separators (``11/22/2026 10:00:00 AM``, ``12:03:04.5``) is read with numpy
# under the same rules as the regular expressions of strptime and parse_duration. Every other
# cell goes through parse_timestamp or parse_duration, so the results are the same cell for cell.


@dataclass(frozen=True)
class _Cells:
    """A column of texts as bytes (non-ASCII characters as ``?``) and its non-digit characters."""

    data: np.ndarray  # uint8, every cell followed by LF
    starts: np.ndarray
    ends: np.ndarray  # position of each cell's LF
    marks: np.ndarray  # positions of the non-digit bytes (the LFs included)
    first: np.ndarray  # index in marks of each cell's first non-digit byte
    count: np.ndarray  # non-digit bytes in each cell (its LF aside)

    @classmethod
    def of(cls, values: Sequence[Any]) -> _Cells | None:
        try:
            joined = "\n".join(values) + "\n"
        except TypeError:  # not all texts (spreadsheet cells)
            return None
        data = np.frombuffer(joined.encode("ascii", "replace"), dtype=np.uint8)
        ends = np.flatnonzero(data == 10)
        if ends.size != len(values):  # a cell holding a line break
            return None
        starts = np.concatenate([[0], ends[:-1] + 1])
        marks = np.flatnonzero((data < 48) | (data > 57))
        last = np.flatnonzero(data[marks] == 10)  # index in marks of each cell's LF
        first = np.concatenate([[0], last[:-1] + 1])
        return cls(data, starts, ends, marks, first, last - first)

    def fields(
        self, separators: Sequence[bytes], widths: Sequence[tuple[int, int]]
    ) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
        """Cells made of digit runs as long as ``widths`` between the ``separators`` (each the
        bytes allowed at that place): their indices, every run's value and length."""
        count = len(separators)
        if (self.count == count).all():  # the usual case: a view, no copy
            rows = np.arange(self.count.size)
            grid = self.marks.reshape(rows.size, count + 1)
        else:
            rows = np.flatnonzero(self.count == count)
            grid = self.marks[self.first[rows, None] + np.arange(count + 1)]
        cuts = [self.starts[rows] - 1, *(grid[:, j] for j in range(count + 1))]
        lengths = [high - low - 1 for low, high in pairwise(cuts)]
        keep = np.ones(rows.size, dtype=bool)
        for length, (least, most) in zip(lengths, widths, strict=True):
            keep &= (length >= least) & (length <= most)
        for cut, allowed in zip(cuts[1:-1], separators, strict=True):
            found = self.data[cut]
            match = found == allowed[0]
            for byte in allowed[1:]:
                match |= found == byte
            keep &= match
        if not keep.all():
            rows = rows[keep]
            cuts = [cut[keep] for cut in cuts]
            lengths = [length[keep] for length in lengths]
        values = []
        for end, length, (least, most) in zip(cuts[1:], lengths, widths, strict=True):
            value = np.zeros(rows.size, dtype=np.int64)
            for t in range(most):  # digit t from the end of the run
                term = (self.data[end - (t + 1)].astype(np.int64) - 48) * 10**t
                value += term if t < least else np.where(length > t, term, 0)
            values.append(value)
        return rows, values, lengths


def parse_durations(values: Sequence[Any]) -> np.ndarray:
    """:func:`parse_duration` of every cell (NaN where it gives None)."""
    out = np.full(len(values), np.nan)
    done = np.zeros(len(values), dtype=bool)
    cells = _Cells.of(values)
    if cells is not None:
        for separators, widths in (
            ((b":", b":"), ((1, 9), (1, 2), (1, 2))),
            ((b":", b":", b".,"), ((1, 9), (1, 2), (1, 2), (0, 13))),
        ):
            rows, fields, lengths = cells.fields(separators, widths)
            hours, minutes, seconds = fields[:3]
            if len(fields) == 4:  # seconds with a fraction: one correctly rounded division
                digits = lengths[3]
                good = (minutes < 60) & (seconds < 60) & (lengths[2] + digits <= 15)
                scaled = seconds * 10 ** digits.astype(np.int64) + fields[3]
                exact = scaled.astype(float) / _POWERS_OF_TEN[digits]
            else:
                good = (minutes < 60) & (seconds < 60)
                exact = seconds.astype(float)
            rows = rows[good]
            whole = (hours * 3600 + minutes * 60)[good]
            out[rows] = whole.astype(float) + exact[good]
            done[rows] = True
    for k in np.flatnonzero(~done).tolist():
        if isinstance(values[k], str) and ":" not in values[k]:
            continue  # no hh:mm:ss without colons
        seconds = parse_duration(values[k])
        if seconds is not None:
            out[k] = seconds
    return out


_STAMP_WIDTHS = {
    "Y": (4, 4),
    "m": (1, 2),
    "d": (1, 2),
    "H": (1, 2),
    "I": (1, 2),
    "M": (1, 2),
    "S": (1, 2),
    "f": (1, 6),
}


def _stamp_layout(fmt: str) -> tuple[list[str | None], list[bytes]] | None:
    """(directive of each digit run or None for an empty one, separators) of a strptime format."""
    fields: list[str | None] = [None]
    separators: list[bytes] = []
    text = " ".join(fmt.split())
    i = 0
    while i < len(text):
        char = text[i]
        if char == "%":
            directive = text[i + 1 : i + 2]
            if directive == "p":
                am_pm = [
                    time.strftime("%p", (1999, 3, 17, hour, 44, 55, 2, 76, 0)).lower()
                    for hour in (1, 22)
                ]
                if am_pm != ["am", "pm"]:
                    return None
                separators += [b"AaPp", b"Mm"]
                fields += [None, None]
            elif directive in _STAMP_WIDTHS and fields[-1] is None:
                fields[-1] = directive
            else:
                return None
            i += 2
        else:
            if char.isdigit() or not char.isascii() or char == "\n":
                return None
            separators.append(char.encode())
            fields.append(None)
            i += 1
    return fields, separators


def _days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's algorithm)."""
    year = year - (month <= 2)
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


_MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
_PM = np.frombuffer(b"Pp", dtype=np.uint8)
_POWERS_OF_TEN = np.array([float(10**k) for k in range(23)])  # exact


def _local_offsets(naive: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Seconds to add to naive local seconds to get :meth:`datetime.timestamp`, hour by hour
    of the local clock; False where the offset changes within the hour (or cannot be had)."""
    hours = naive // 3600
    low = int(hours.min())
    if int(hours.max()) - low < 4 * hours.size:  # a table over the hours spanned
        present = np.zeros(int(hours.max()) - low + 1, dtype=bool)
        present[hours - low] = True
        unique, inverse = np.flatnonzero(present) + low, hours - low
        table = np.full(present.size, -1, dtype=np.int64)
        table[unique - low] = np.arange(unique.size)
        inverse = table[inverse]
    else:
        unique, inverse = np.unique(hours, return_inverse=True)
    epoch = datetime(1970, 1, 1)
    offsets = np.zeros(unique.size, dtype=np.int64)
    steady = np.ones(unique.size, dtype=bool)
    for j, hour in enumerate(unique.tolist()):
        try:
            start = epoch + timedelta(hours=hour)
            first = round(start.timestamp()) - hour * 3600
            last = round((start + timedelta(seconds=3599)).timestamp()) - hour * 3600 - 3599
        except (OverflowError, OSError, ValueError):
            steady[j] = False
            continue
        offsets[j] = first
        steady[j] = first == last
    inverse = inverse.ravel()
    return offsets[inverse], steady[inverse]


def parse_timestamps(values: Sequence[Any], fmt: str) -> tuple[np.ndarray, np.ndarray]:
    """(:meth:`datetime.timestamp`, parsed) of the cells that are text in the strptime format
    ``fmt`` (``parse_timestamp(value, [fmt, …])`` gives the same); NaN/False elsewhere.

    Only normalised cells are read (no surrounding or doubled spaces, no quotes, ASCII);
    the caller passes the others to :func:`parse_timestamp`.
    """
    out = np.full(len(values), np.nan)
    parsed = np.zeros(len(values), dtype=bool)
    layout = _stamp_layout(fmt)
    cells = _Cells.of(values) if layout is not None else None
    if layout is None or cells is None:
        return out, parsed
    names, separators = layout
    widths = [_STAMP_WIDTHS[n] if n else (0, 0) for n in names]
    rows, fields, lengths = cells.fields(separators, widths)
    got = {name: (fields[j], lengths[j]) for j, name in enumerate(names) if name}
    size = rows.size

    def field(name: str, default: int) -> np.ndarray:
        return got[name][0] if name in got else np.full(size, default, dtype=np.int64)

    year, month, day = field("Y", 1900), field("m", 1), field("d", 1)
    minute, second = field("M", 0), field("S", 0)
    good = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1)
    good &= (minute <= 59) & (second <= 59)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    good &= day <= _MONTH_DAYS[np.clip(month, 1, 12) - 1] + ((month == 2) & leap)
    if "I" in got:
        hour = field("I", 12)
        good &= (hour >= 1) & (hour <= 12)
        where = cells.marks[cells.first[rows] + separators.index(b"AaPp")]  # A or P of AM/PM
        pm = np.isin(cells.data[where], _PM)
        hour = hour % 12 + 12 * pm
    else:
        hour = field("H", 0)
        good &= hour <= 23
    micro = np.zeros(size, dtype=np.int64)
    if "f" in got:
        digits, length = got["f"]
        micro = digits * 10 ** (6 - length)
    days = _days_from_civil(year, month, day)
    naive = days * 86400 + hour * 3600 + minute * 60 + second
    rows, naive, micro = rows[good], naive[good], micro[good]
    if rows.size:
        offset, steady = _local_offsets(naive)
        rows, seconds, micro = rows[steady], (naive + offset)[steady], micro[steady]
        out[rows] = seconds.astype(float) + micro / 1e6
        parsed[rows] = True
    return out, parsed


def label_kinds(values: Sequence[Any]) -> np.ndarray:
    """:func:`label_kind` of every cell (worked out once per distinct label)."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    kinds = np.asarray([*(label_kind(u) for u in uniques), ""], dtype=object)
    return kinds[codes]


# --------------------------------------------------------------------------------------------
# Assembly


@dataclass
class Series:
    """A reader's columns in SI units, one entry per recorded point, before cleaning.

    ``lines`` are 1-based file lines (or spreadsheet rows, or record numbers) for messages;
    ``step`` holds the instrument's step ids (a change starts a new step; NaN = unknown);
    ``label`` holds per-row 'charge'/'discharge'/'rest' from the instrument ('' = unknown);
    ``cycle`` the instrument's cycle number (NaN = unknown).
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


def stitch_step_time(
    step_time_s: np.ndarray, step: np.ndarray, column: str
) -> tuple[np.ndarray, list[str]]:
    """Test time from a step time that restarts at every step: add each finished step's length.

    A step's first point is taken at the instant the previous step ended (Neware and LAND log
    the end point of a step and the start point of the next with the same clock reading).
    """
    t = np.asarray(step_time_s, dtype=float)
    ids = np.asarray(step, dtype=float)
    starts = np.flatnonzero(np.r_[False, ids[1:] != ids[:-1]])
    lengths = np.zeros(t.size)
    lengths[starts] = t[starts - 1]  # the finished step's length
    total = t + np.cumsum(lengths)  # sums in the order the steps finished
    notes = []
    if starts.size:
        notes.append(
            f"time: {column!r} is the step time (it restarts at every step); stitched into "
            f"test time by adding the length of each finished step ({starts.size} restarts)"
        )
    return total, notes


def _segments(keys: np.ndarray) -> np.ndarray:
    """Segment number per row: +1 wherever ``keys`` changes (NaN equals NaN)."""
    k = np.asarray(keys, dtype=float)
    changed = (k[1:] != k[:-1]) & ~(np.isnan(k[1:]) & np.isnan(k[:-1]))
    return np.concatenate([[0], np.cumsum(changed)]).astype(int)


def _types_per_segment(current: np.ndarray, segment: np.ndarray) -> np.ndarray:
    """'charge'/'discharge'/'rest' per row from the mean current of its segment."""
    threshold = REST_CURRENT_FRACTION * max(float(np.max(np.abs(current))), 1e-300)
    counts = np.bincount(segment)
    mean = np.bincount(segment, weights=current) / np.maximum(counts, 1)
    kind = np.where(mean > threshold, "charge", np.where(mean < -threshold, "discharge", "rest"))
    return kind[segment]


def step_types_and_indices(series: Series) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(step_type, step_index, notes): labels where given, else the current of each step."""
    current = series.current_a
    notes: list[str] = []
    step_ids = None
    if series.step is not None:
        ids = np.asarray(series.step, dtype=float)
        if np.isfinite(ids).any():
            step_ids = ids
    if step_ids is not None:
        unknown = ~np.isfinite(step_ids)
        derived = _types_per_segment(current, _segments(step_ids))
        if unknown.any():
            derived[unknown] = step_types_from_current(current)[unknown]
    else:
        derived = step_types_from_current(current)
    if series.label is not None:
        labels = np.asarray(series.label, dtype=object)
        given = np.isin(labels, ("charge", "discharge", "rest"))
        types = np.where(given, labels, derived).astype(object)
        if not given.all():
            notes.append(
                f"step type of {count_rows(int((~given).sum()))} not named by the instrument; "
                "taken from the sign of the step's mean current"
            )
    else:
        types = derived.astype(object)
        source = "step's mean current" if step_ids is not None else "current"
        notes.append(f"step types (charge/discharge/rest) derived from the sign of the {source}")
    codes = pd.factorize(types, sort=True)[0].astype(float)  # np.unique's codes, by hashing
    keys = codes if step_ids is None else codes * 1e9 + np.nan_to_num(step_ids, nan=-1.0)
    return types.astype(str), _segments(keys), notes


def _fill_cycles(cycle: np.ndarray) -> np.ndarray | None:
    c = np.asarray(cycle, dtype=float)
    finite = np.isfinite(c)
    if not finite.any():
        return None
    index = np.where(finite, np.arange(c.size), 0)
    np.maximum.accumulate(index, out=index)
    filled = c[index]
    filled[: np.argmax(finite)] = c[np.argmax(finite)]
    return filled.astype(int)


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
    types, steps, type_notes = step_types_and_indices(series)
    all_notes += type_notes
    cycles = _fill_cycles(series.cycle) if series.cycle is not None else None
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
    meta = dict(metadata)
    meta.setdefault("rows", len(table))
    try:
        return CyclingData(table, source, meta, tuple(dict.fromkeys(all_notes)))
    except CyclingDataError as exc:  # pragma: no cover - finish() checks the same things
        raise format_error(source, str(exc)) from None


def signed_from_labels(series: Series, column: str) -> list[str]:
    """Give an unsigned current the sign of its step labels (discharge → negative), in place."""
    if series.label is None or np.any(series.current_a < 0):
        return []
    discharge = np.asarray(series.label) == "discharge"
    if not discharge.any():
        return []
    series.current_a = np.where(discharge, -np.abs(series.current_a), series.current_a)
    count = count_rows(int(discharge.sum()))
    return [f"current {column!r} is written unsigned; discharge rows ({count}) made negative"]


def scale_note(role: str, column: str, unit: str, target: str) -> str:
    return f"{role} converted from {unit} to {target} (column {column!r})"


# --------------------------------------------------------------------------------------------
# Header values

_QUANTITY = re.compile(r"([+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?)\s*([^\d\s]\S*)?")
_MASS_UNITS = {"kg": 1.0, "g": 1e-3, "mg": 1e-6, "µg": 1e-9, "μg": 1e-9, "ug": 1e-9}


def header_quantity(text: Any) -> tuple[float, str] | None:
    """(value, unit) of a header value such as ``0,001 mg``, ``5 mAh`` or ``12.5``."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        return float(text), ""
    match = _QUANTITY.match(str(text or "").strip())
    if match is None:
        return None
    return float(match.group(1).replace(",", ".")), (match.group(2) or "").strip()


def mass_kg(text: Any, default_unit: str = "") -> float | None:
    """A positive mass in kg from ``'12.5 mg'`` (or a bare number in ``default_unit``)."""
    found = header_quantity(text)
    if found is None:
        return None
    value, unit = found
    factor = _MASS_UNITS.get(unit or default_unit)
    return value * factor if factor is not None and value > 0 else None


def capacity_ah(text: Any, default_unit: str = "") -> float | None:
    """A positive capacity in A·h from ``'5 mAh'``, ``'0,000 A.h'`` (→ None) and the like."""
    found = header_quantity(text)
    if found is None:
        return None
    value, unit = found
    factor = capacity_scale(unit or default_unit) if (unit or default_unit) else None
    return value * factor if factor is not None and value > 0 else None


_HEADER_KEYS = {
    "active_mass_kg": ("active mass", "mass of active material", "active material mass", "mass"),
    "nominal_capacity_Ah": ("nominal capacity", "rated capacity", "battery capacity", "capacity"),
    "channel": ("channel", "channel number", "chl"),
    "instrument": ("instrument", "device", "tester", "cycler"),
    "start_time": ("start time", "start date", "started", "test start", "date"),
}


def header_metadata(pairs: Mapping[str, Any]) -> dict[str, Any]:
    """Standard metadata (mass, nominal capacity, channel, instrument, start) from key/values."""
    found: dict[str, Any] = {}
    normalised = {
        " ".join(str(k).lower().replace("_", " ").split()).rstrip(":"): v for k, v in pairs.items()
    }
    for target, keys in _HEADER_KEYS.items():
        for key in keys:
            value = normalised.get(key)
            if value is None or not str(value).strip():
                continue
            if target == "active_mass_kg":
                number = mass_kg(value)
            elif target == "nominal_capacity_Ah":
                number = capacity_ah(value)
            else:
                number = None
                stamp = parse_timestamp(value) if target == "start_time" else None
                found.setdefault(target, stamp.isoformat() if stamp else str(value).strip())
                break
            if number is not None:
                found.setdefault(target, number)
                break
    return found


def key_values(lines: Sequence[Sequence[Any]]) -> dict[str, str]:
    """``key: value`` / ``key<TAB>value`` / ``key,value`` pairs of preamble rows (first wins)."""
    pairs: dict[str, str] = {}
    for row in lines:
        cells = [str(c).strip() for c in row if c is not None and str(c).strip()]
        if not cells:
            continue
        if len(cells) == 1 and ":" in cells[0]:
            key, _, value = cells[0].partition(":")
        elif len(cells) >= 2:
            key, value = cells[0], cells[1]
        else:
            continue
        key = key.strip().rstrip(":").strip()
        if key and key not in pairs and len(key) < 60:
            pairs[key] = value.strip()
    return pairs
