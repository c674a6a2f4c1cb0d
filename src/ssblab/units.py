"""Unit handling at ssblab's boundaries.

SI floats inside; :mod:`pint` quantities at the edges. :func:`parse_quantity` accepts strings
such as ``"12 mm"``, ``"25 degC"`` or ``"1 mA/cm^2"`` and :func:`to_si` turns them into a bare
float in the SI unit of a given dimension.
"""

from __future__ import annotations

import math
import numbers
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ssblab.errors import UnitError

if TYPE_CHECKING:
    import pint


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    """The one pint registry, built on first use: importing pint and parsing its definitions
    costs ~0.3 s, which a command that never parses a quantity should not pay."""
    import pint

    ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    ureg.formatter.default_format = "~P"
    return ureg


def __getattr__(name: str) -> Any:
    # ``from ssblab.units import ureg, Q_`` keeps working; the registry is built then.
    if name == "ureg":
        return registry()
    if name == "Q_":
        return registry().Quantity
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _is_quantity(value: Any) -> bool:
    return hasattr(value, "magnitude") and hasattr(value, "dimensionality")


# Typographic forms that appear in papers and instrument files.
_REPLACEMENTS = (
    ("−", "-"),
    ("–", "-"),
    ("·", "*"),
    ("×", "*"),
    ("Ω", "ohm"),
    ("µ", "u"),
    ("μ", "u"),
    ("°C", "degC"),
    ("℃", "degC"),
    ("°", "deg"),
    ("²", "^2"),
    ("³", "^3"),
    ("⁻¹", "^-1"),
    ("⁻²", "^-2"),
)


def _normalise(text: str) -> str:
    out = text.strip()
    for old, new in _REPLACEMENTS:
        out = out.replace(old, new)
    return out


def _exponents(unit_text: str) -> str:
    # "S cm-1" -> "S cm^-1": pint would read "cm-1" as "cm minus 1"
    return re.sub(r"([A-Za-z])(-\d)", r"\1^\2", unit_text)


@lru_cache(maxsize=4096)
def parse_unit(unit: str) -> pint.Unit:
    """Parse a unit string (``"S/cm"``, ``"ohm cm^2"``, ``"mA/cm^2"``, ``"%"``)."""
    text = _exponents(_normalise(unit))
    ureg = registry()
    if text in ("%", "percent"):
        return ureg.percent
    if text in ("", "1", "dimensionless"):
        return ureg.dimensionless
    try:
        return ureg.parse_units(text)
    except Exception as exc:  # pint raises several unrelated exception types
        raise UnitError(f"cannot parse unit {unit!r}: {exc}") from None


def parse_quantity(value: str | float | int | pint.Quantity, default_unit: str | None = None):
    """Parse ``"12 mm"``-style input into a pint Quantity.

    A bare number takes ``default_unit`` (an error if none is given).
    """
    if _is_quantity(value):
        return value
    Q_ = registry().Quantity
    if isinstance(value, (int, float)):
        if default_unit is None:
            raise UnitError(f"{value!r} has no unit")
        return Q_(float(value), parse_unit(default_unit))
    text = _normalise(str(value))
    match = re.fullmatch(r"\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*)", text)
    if not match:
        raise UnitError(f"cannot parse quantity {value!r}")
    number, unit_text = match.groups()
    if not unit_text:
        if default_unit is None:
            raise UnitError(f"quantity {value!r} has no unit")
        unit_text = default_unit
    return Q_(float(number), parse_unit(unit_text))


def to_si(value, si_unit: str, name: str = "quantity") -> float:
    """Convert ``value`` (``"12 mm"``, a pint Quantity) to a float in ``si_unit`` (e.g. ``"m"``).

    A dimensionality mismatch raises :class:`UnitError` naming ``name``.
    """
    quantity = parse_quantity(value, default_unit=None)
    target = parse_unit(si_unit)
    if quantity.dimensionality != target.dimensionality:
        raise UnitError(
            f"{name}: {value!r} has dimension {quantity.dimensionality}, "
            f"expected that of {si_unit!r}"
        )
    out = float(quantity.to(target).magnitude)
    if not math.isfinite(out):
        raise UnitError(f"{name}: {value!r} is not a finite number of {si_unit}")
    return out


def bounded_si(
    value, si_unit: str, name: str, *, low: float, high: float, low_inclusive: bool = False
) -> float:
    """:func:`to_si`, required to lie in (``low``, ``high``] (``[low, high]`` with
    ``low_inclusive``). The bounds are the range in which a quantity describes a laboratory
    sample or cell (a 1e305 m pellet is a typo, and it overflows everything downstream); the
    message names the parameter and the range in the SI unit."""
    out = to_si(value, si_unit, name)
    above_low = out >= low if low_inclusive else out > low
    if not (above_low and out <= high):
        bracket = "[" if low_inclusive else "("
        raise UnitError(
            f"{name}: {value!r} is {out:.4g} {si_unit}, outside {bracket}{low:g}, {high:g}] "
            f"{si_unit}"
        )
    return out


def si_float(value, unit: str, name: str) -> float:
    """A float taken as SI, or a pint Quantity / ``"1 mA/cm^2"`` string converted to ``unit``."""
    if isinstance(value, bool):
        raise UnitError(f"{name} must be a number, got {value!r}")
    out = float(value) if isinstance(value, numbers.Real) else to_si(value, unit, name)
    if not math.isfinite(out):
        raise UnitError(f"{name} must be finite, got {out}")
    return out


def positive_si(value, unit: str, name: str) -> float:
    """:func:`si_float`, required to be > 0."""
    out = si_float(value, unit, name)
    if not out > 0:
        raise UnitError(f"{name} must be > 0, got {out} {unit}".rstrip())
    return out


def non_negative_si(value, unit: str, name: str) -> float:
    """:func:`si_float`, required to be >= 0."""
    out = si_float(value, unit, name)
    if out < 0:
        raise UnitError(f"{name} must be >= 0, got {out} {unit}".rstrip())
    return out
