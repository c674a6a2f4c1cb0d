"""Impedance table columns recognised by name and unit: the header logic of every table reader.

A header cell is a **name** and an optional **unit**: ``Re(Z)/Ohm``, ``Zre (ohms)``,
``Z' [kOhm]``, ``freq_Hz``, ``Zimag_Ohm``, ``phase deg``, ``|Z| in Ohm``. The unit follows a
``/``, ``_`` or space, or sits in ``()``/``[]``, and counts as a unit only if it is one
(``Im(Z)`` and ZPlot's ``Z'(a)`` stay whole names). Units carry an SI prefix whose case matters
(``mOhm`` 1e-3, ``MOhm`` 1e6, ``kOhm``/``KOHM`` 1e3; ``mHz``/``MHz``); the base unit's case
does not (``ohm``, ``OHM``, ``Ω``; ``hz``, ``HZ``; ``deg``, ``°``, ``rad``).

Names are compared without case, spaces, underscores and dots, so ``Z_real``, ``Z real``,
``ZReal`` and ``zreal`` are one name. A **sign marker** before the name — ``-``, ``−``,
``minus``, ``neg`` or ``negative`` (``-Im(Z)``, ``minus_Zimag_ohm``, ``neg Z''``) — means the
column stores the negated quantity. The synonyms, from the exports the readers know (EC-Lab
``freq/Hz``, ``Re(Z)/Ohm``, ``-Im(Z)/Ohm``; Gamry ``Zreal``/``Zimag``/``Zmod``/``Zphz``;
PARSTAT ``Zre (ohms)``; ZPlot ``Z'(a)``/``Z''(b)``; RelaxIS ``Theta (Z)``; scripts' ``f_Hz``,
``Z_mod_ohm``, ``phase_deg``), are in :data:`NAMES`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ssblab.io._text import is_number
from ssblab.io.eis._common import frequency_scale, impedance_scale, phase_scale

_PRIMES = str.maketrans({"′": "'", "″": "''", "’": "'", "‘": "'", '"': "''", "−": "-", "–": "-"})

#: Normalised names (lower case, no spaces, underscores or dots) of each role.
NAMES: dict[str, frozenset[str]] = {
    "frequency": frozenset({"freq", "frequency", "f", "fre", "freqency", "frequenz"}),
    "real": frozenset(
        {
            "re(z)",
            "z'",
            "zre",
            "zreal",
            "real",
            "re",
            "z'(a)",
            "zr",
            "realz",
            "real(z)",
            "rez",
            "realpart",
            "zrealpart",
            "z'real",
            "re(z')",
        }
    ),
    "imag": frozenset(
        {
            "im(z)",
            "z''",
            "zim",
            "zimag",
            "imag",
            "im",
            "z''(b)",
            "zi",
            "imagz",
            "imag(z)",
            "imz",
            "imaginary",
            "imaginarypart",
            "zimaginary",
            "zimg",
            "zimagpart",
            "imagpart",
        }
    ),
    "modulus": frozenset(
        {
            "|z|",
            "zmod",
            "mod(z)",
            "abs(z)",
            "z",
            "modulus",
            "magnitude",
            "zabs",
            "modz",
            "absz",
            "|z|(ohm)",
            "zmodulus",
            "zmagnitude",
        }
    ),
    "phase": frozenset(
        {
            "phase(z)",
            "phase",
            "zphz",
            "theta",
            "theta(z)",
            "phi",
            "phaseangle",
            "arg(z)",
            "phasez",
            "zphase",
            "zphi",
            "ztheta",
        }
    ),
    "loop": frozenset(
        {
            "loopindex",
            "loop",
            "cyclenumber",
            "cycle",
            "loopnumber",
            "cycleindex",
            "spectrum",
            "spectrumindex",
            "spectrumnumber",
        }
    ),
    "temperature": frozenset({"temperature", "temp", "t"}),
    "potential": frozenset({"ewe", "<ewe>", "potential", "e", "vdc", "edc", "<ewe>/v"}),
}
IMPEDANCE_ROLES = ("frequency", "real", "imag", "modulus", "phase")
#: Sign markers before a name, longest first.
SIGN_MARKERS = ("negative", "minus", "neg", "-")
_TEMPERATURE_UNITS = {"°c": "C", "degc": "C", "c": "C", "k": "K", "celsius": "C", "kelvin": "K"}
_OTHER_UNITS = {"s", "v", "mv", "a", "ma", "µa", "ua", "%", "h", "min", "ohm-1", "s/cm", "f", "µf"}


@dataclass(frozen=True)
class Column:
    """A recognised column: position, label, role, ``value * scale + offset`` gives SI units."""

    index: int
    label: str
    role: str
    scale: float = 1.0
    negated: bool = False
    unit_given: bool = True
    offset: float = 0.0


def known_unit(unit: str) -> bool:
    u = unit.strip()
    return bool(u) and (
        frequency_scale(u) is not None
        or impedance_scale(u) is not None
        or phase_scale(u) is not None
        or u.lower() in _TEMPERATURE_UNITS
        or u.lower() in _OTHER_UNITS
    )


def split_label(label: Any) -> tuple[str, str]:
    """``'Re(Z)/Ohm'`` → ``('Re(Z)', 'Ohm')``; ``'Zre (ohms)'`` → ``('Zre', 'ohms')``;
    ``'Zimag_Ohm'`` → ``('Zimag', 'Ohm')``; ``'freq Hz'`` → ``('freq', 'Hz')``.

    A trailing ``(…)``/``[…]``, or a tail after ``/``, `` in ``, ``_`` or a space, counts as a
    unit only if it is a known unit, so ``Im(Z)``, ``Z'(a)`` and ``Z_real`` stay whole names.
    """
    text = " ".join(str(label).replace("\ufeff", "").strip().strip('"').split())
    bracket = re.fullmatch(r"(.*?)\s*[(\[]\s*([^()\[\]]+?)\s*[)\]]", text)
    if bracket and bracket.group(1) and known_unit(bracket.group(2)):
        return bracket.group(1).strip(), bracket.group(2).strip()
    for separator in ("/", " in ", "_", " "):
        if separator in text:
            name, unit = text.rsplit(separator, 1)
            name = name.strip().rstrip("_").strip()
            if name and known_unit(unit):
                return name, unit.strip()
    return text, ""


def classify_column(index: int, label: Any) -> Column | None:
    """The role of a header cell, or ``None`` if it is not one the readers need.

    The label is tried split into name and unit, then whole (so ``Z'(a)`` in ZPlot files,
    whose "(a)" is not an ampere, is still Z').
    """
    if label is None or is_number(label):
        return None
    raw = str(label).strip()
    name, unit = split_label(raw)
    column = _classify(index, raw, name, unit)
    if column is None and unit:
        column = _classify(index, raw, raw, "")
    return column


def name_key(name: str) -> tuple[str, bool]:
    """(normalised name, whether a sign marker negates it): ``'minus_Zimag'`` →
    ``('zimag', True)``."""
    key = re.sub(r"[\s_.]", "", name.translate(_PRIMES).lower())
    negated = False
    for marker in SIGN_MARKERS:
        if key.startswith(marker) and len(key) > len(marker):
            key, negated = key[len(marker) :], True
            break
    return key.lstrip("+"), negated


def _classify(index: int, raw: str, name: str, unit: str) -> Column | None:
    key, negated = name_key(name)
    role = next((r for r, names in NAMES.items() if key in names), None)
    if role is None and key.startswith("freq"):
        role = "frequency"
    if role is None:
        return None
    scale: float | None = 1.0
    if role == "frequency":
        scale = frequency_scale(unit) if unit else 1.0
    elif role in ("real", "imag", "modulus"):
        scale = impedance_scale(unit) if unit else 1.0
    elif role == "phase":
        scale = phase_scale(unit) if unit else 1.0
    elif role == "temperature":
        if unit.lower() not in _TEMPERATURE_UNITS:
            return None
        celsius = _TEMPERATURE_UNITS[unit.lower()] == "C"
        return Column(index, raw, role, offset=273.15 if celsius else 0.0)
    elif role == "potential":
        if unit.lower() not in ("v", "mv"):
            return None
        scale = 1e-3 if unit.lower() == "mv" else 1.0
    if scale is None:
        return None
    return Column(index, raw, role, scale, negated, bool(unit) or role in ("loop",))


def find_columns(header: Sequence[Any]) -> dict[str, Column] | None:
    """Map roles to columns; ``None`` unless frequency and (Z', Z'') or (|Z|, phase) are found."""
    roles: dict[str, Column] = {}
    for i, cell in enumerate(header):
        column = classify_column(i, cell)
        if column is not None and column.role not in roles:
            roles[column.role] = column
    if "frequency" not in roles:
        return None
    if ("real" in roles and "imag" in roles) or ("modulus" in roles and "phase" in roles):
        return roles
    return None
