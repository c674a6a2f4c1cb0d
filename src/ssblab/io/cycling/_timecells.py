"""Whole columns of durations and timestamps, read in bulk with the same rules as cell by cell.

:func:`parse_duration` (``hh:mm:ss[.fff]``, ``d-hh:mm:ss``, ``1 d 02:03:04``) and
:func:`parse_timestamp` (``strptime`` formats) read one cell; :func:`parse_durations` and
:func:`parse_timestamps` read a column with numpy and give the same value for every cell.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

import numpy as np

# --------------------------------------------------------------------------------------------
# Durations and datetimes

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
