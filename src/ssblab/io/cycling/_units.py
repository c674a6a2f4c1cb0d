"""Units of cycling columns and quantities in file headers (mass, capacity, channel …).

Factors to SI for time, current, voltage and capacity units as instruments write them
(``mA``, ``µA``/``uA``, ``mA.h``, ``A.h``, ``min``, ``hours`` …), temperature offsets, and the
``key: value`` header rows every text and workbook layout may carry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ssblab.io.cycling._timecells import parse_timestamp

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
