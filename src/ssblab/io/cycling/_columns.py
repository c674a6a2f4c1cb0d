"""Column names of cycling tables: which quantity a header cell names, and in which unit.

A column's role comes from its name and its unit from the name (``Current(A)``,
``Current [A]``, ``I/mA``, ``current_mA``, ``Voltage (mV)``). Names known from the instruments
(``Test_Time(s)``, ``Cumulative Time``, ``TestTime``, ``Ewe/V``, ``<I>/mA``, ``Cap. [Ah]``,
``Step_Index``, ``Cycle C``, ``Step Type``, ``Md`` …) and plain words (``time``, ``voltage``,
``current``, ``capacity``, ``cycle``, ``step``) are recognised; an instrument module passes
``overrides`` (normalised name → role) for its own spellings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ssblab.io._text import format_error, is_number
from ssblab.io.cycling._units import (
    capacity_scale,
    current_scale,
    temperature_offset,
    time_scale,
    voltage_scale,
)

# --------------------------------------------------------------------------------------------
# Column names

#: normalised name → (role, priority); the higher priority wins when two columns share a role.
NAMES: dict[str, tuple[str, int]] = {}
for _role, _names in {
    "time": {
        "testtime": 3,
        "totaltime": 3,
        "cumulativetime": 3,
        "elapsedtime": 3,
        "timeelapsed": 3,
        "runtime": 2,
        "relativetime": 2,
        "time": 1,
        "t": 1,
    },
    "step_time": {"steptime": 3},
    "frequency": {"freq": 3, "frequency": 3, "f": 1},
    "datetime": {
        "datetime": 2,
        "systime": 2,
        "realtime": 2,
        "dpttime": 2,
        "timestamp": 2,
        "absolutetime": 2,
        "date": 1,
    },
    "voltage": {
        "voltage": 3,
        "cellvoltage": 3,
        "ewe": 3,
        "ecell": 2,
        "potential": 2,
        "volt": 2,
        "volts": 2,
        "v": 1,
        "e": 1,
        "u": 1,
    },
    "current": {"current": 3, "i": 2, "cur": 2, "amps": 2, "amp": 2},
    "capacity": {"capacity": 2, "cap": 2, "stepcapacity": 2, "q": 1},
    "charge_capacity": {"chargecapacity": 2, "chgcap": 2, "qcharge": 2, "chargecap": 2},
    "discharge_capacity": {
        "dischargecapacity": 2,
        "dchgcap": 2,
        "qdischarge": 2,
        "dischargecap": 2,
    },
    "cycle": {
        "cycleindex": 3,
        "cyclenumber": 3,
        "cycleno": 3,
        "cycleid": 3,
        "cyclec": 3,
        "cyclep": 2,
        "cycle": 1,
    },
    "step": {"stepindex": 3, "stepno": 3, "stepnumber": 3, "stepid": 3, "ns": 2, "step": 1},
    "step_type": {"steptype": 3, "stepname": 3, "state": 2, "status": 2, "md": 2},
    "temperature": {
        "temperature": 3,
        "celltemperature": 3,
        "auxtemperature1": 2,
        "auxtemperature": 2,
        "temp": 2,
        "t1": 1,
    },
    "record": {
        "datapoint": 3,
        "recordid": 3,
        "recordindex": 3,
        "record": 2,
        "rec": 2,
        "index": 1,
        "point": 1,
    },
}.items():
    for _name, _priority in _names.items():
        NAMES[_name] = (_role, _priority)

#: The roles whose unit matters, and how a unit is turned into an SI factor.
SCALES = {
    "time": time_scale,
    "step_time": time_scale,
    "voltage": voltage_scale,
    "current": current_scale,
    "capacity": capacity_scale,
    "charge_capacity": capacity_scale,
    "discharge_capacity": capacity_scale,
}
SI = {"time": "s", "step_time": "s", "voltage": "V", "current": "A", "capacity": "A·h"}
QUANTITY = {
    "time": "time",
    "step_time": "step time",
    "voltage": "voltage",
    "current": "current",
    "capacity": "capacity",
    "charge_capacity": "charge capacity",
    "discharge_capacity": "discharge capacity",
    "temperature": "temperature",
}
_OTHER_UNITS = {
    "ohm",
    "Ω",
    "mohm",
    "mΩ",
    "mo",
    "wh",
    "mwh",
    "w",
    "mw",
    "%",
    "?",
    "v/s",
    "mah/g",
    "hz",
    "khz",
}
ROLE_ORDER = ("time", "step_time", "datetime", "voltage", "current")


def is_unit(unit: str) -> bool:
    u = unit.strip()
    return bool(u) and (
        any(scale(u) is not None for scale in set(SCALES.values()))
        or temperature_offset(u) is not None
        or u.lower().replace(" ", "") in _OTHER_UNITS
    )


def normalise_name(name: str) -> str:
    return re.sub(r"[^0-9a-zµ]", "", name.lower())


def split_label(label: Any) -> tuple[str, str]:
    """``'Current(A)'`` → ``('Current', 'A')``; ``'I/mA'`` → ``('I', 'mA')``; ``'time_s'`` too.

    A bracketed tail is always a unit; a ``/`` or ``_`` tail only if it is a known unit.
    """
    text = " ".join(str(label).replace("\ufeff", "").strip().strip('"').split())
    bracket = re.fullmatch(r"(.*?)\s*[(\[]\s*([^()\[\]]*?)\s*[)\]]", text)
    if bracket and bracket.group(1).strip():
        return bracket.group(1).strip(), bracket.group(2)
    for separator in ("/", "_"):
        if separator in text:
            name, unit = text.rsplit(separator, 1)
            if name.strip() and is_unit(unit):
                return name.strip(), unit.strip()
    return text, ""


@dataclass(frozen=True)
class Column:
    """A recognised header cell: its position, text, role, unit as written and priority."""

    index: int
    label: str
    role: str
    unit: str
    priority: int


def classify(index: int, label: Any, overrides: Mapping[str, str] | None = None) -> Column | None:
    """The column's role, or ``None``. ``overrides`` maps normalised names to roles."""
    if label is None or isinstance(label, datetime) or is_number(label):
        return None
    raw = " ".join(str(label).replace("\ufeff", "").split())
    if not raw:
        return None
    name, unit = split_label(raw)
    for candidate, candidate_unit in ((raw, ""), (name, unit)):
        key = normalise_name(candidate)
        if overrides and key in overrides:
            return Column(index, raw, overrides[key], candidate_unit, 4)
        if key in NAMES:
            role, priority = NAMES[key]
            return Column(index, raw, role, candidate_unit, priority)
    return None


def find_columns(
    header: Sequence[Any], source: str = "", line: int | None = None, overrides=None
) -> dict[str, Column]:
    """Role → column of a header row. Two columns of equal priority for a needed role raise."""
    found: dict[str, Column] = {}
    for i, cell in enumerate(header):
        column = classify(i, cell, overrides)
        if column is None:
            continue
        held = found.get(column.role)
        if held is None or column.priority > held.priority:
            found[column.role] = column
        elif column.priority == held.priority and column.role in ROLE_ORDER and source:
            raise format_error(
                source,
                f"ambiguous columns: {held.label!r} and {column.label!r} both look like the "
                f"{QUANTITY.get(column.role, column.role)}; rename or remove one",
                line,
            )
    return found


def is_header(columns: Mapping[str, Column]) -> bool:
    """Time (or step time, or timestamps), voltage and current — and no frequency column."""
    has_time = bool({"time", "step_time", "datetime"} & set(columns))
    cycling = has_time and "voltage" in columns and "current" in columns
    return cycling and "frequency" not in columns


def blank(row: Sequence[Any]) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in row)


def cell(row: Sequence[Any], index: int) -> Any:
    return row[index] if index < len(row) else None


def missing_columns(rows: Sequence[Sequence[Any]], row_lines: Sequence[int]) -> str:
    """'line N has time (s), voltage (V) but no current column' for the best partial header."""
    for i, row in enumerate(rows[:300]):
        columns = find_columns(row)
        if "frequency" in columns and ("voltage" in columns or "current" in columns):
            return (
                f"line {row_lines[i]} has a frequency column {columns['frequency'].label!r}: "
                "an impedance table; read it with ssblab.io.eis.read_eis"
            )
        present = [
            r for r in ("time", "step_time", "datetime", "voltage", "current") if r in columns
        ]
        has_time = bool({"time", "step_time", "datetime"} & set(present))
        missing = [
            name
            for name, ok in (
                ("time", has_time),
                ("voltage", "voltage" in columns),
                ("current", "current" in columns),
            )
            if not ok
        ]
        if len(missing) == 1:
            found = ", ".join(repr(columns[r].label) for r in present)
            return f"line {row_lines[i]} has {found} but no {missing[0]} column"
    return ""


def find_sheet_header(
    rows: Sequence[Sequence[Any]], overrides=None, search: int = 300
) -> int | None:
    for i, row in enumerate(rows[:search]):
        if is_header(find_columns(row, "", None, overrides)):
            return i
    return None
