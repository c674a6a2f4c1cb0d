"""``samples.csv``: which sample, cell and temperature each ingested file belongs to.

One row per file pattern; the first row whose pattern matches a file wins. Quantities are
``pint`` strings (``"0.5 mm"``, ``"25 degC"``, ``"1.13 cm^2"``); a bare number is refused
(units are required) except for counts and fractions.

======================  ==============================================================
column                  meaning
======================  ==============================================================
``file_glob``/``file``  shell pattern (``*``, ``?``, ``[…]``) matched against the file's
                        path relative to the ingested folder, and against its name
``sample``              sample name (required; the sample's key in the catalogue)
``formula``             the electrolyte's formula (→ material and composition verdict)
``dopant``              dopant element, e.g. ``Ta`` (matched against the knowledge base)
``thickness``           pellet/film thickness, e.g. ``0.5 mm``
``diameter`` / ``area`` electrode diameter (``12 mm``) or area (``1.13 cm^2``), one of them
``relative_density``    fraction (``0.95``) or percent (``95 %``)
``sintering``           free text, e.g. ``1200 degC 6 h``
``coating``             free text, e.g. ``Al2O3``
``ald_cycles``          integer
``anneal``              free text, e.g. ``400 degC 2 h Ar``
``cell``                cell name (default ``<sample>/<cell_kind>`` when a kind is given)
``cell_kind``           ``blocking``, ``symmetric`` or ``full``
``electrodes``          free text, e.g. ``Li|Li`` or ``Au|Au``
``stack_pressure``      e.g. ``5 MPa``
``active_mass``         cathode active mass of a full cell, e.g. ``3.6 mg``
``temperature``         measurement temperature, e.g. ``25 degC`` (else the file's own)
======================  ==============================================================

Any other column is kept as written in the sample's ``extra``.
"""

from __future__ import annotations

import csv
import fnmatch
import math
from dataclasses import dataclass, field
from pathlib import Path

from ssblab.errors import SsblabInputError
from ssblab.units import bounded_si

KNOWN = {
    "file_glob", "file", "sample", "formula", "dopant", "thickness", "diameter", "area",
    "relative_density", "sintering", "coating", "ald_cycles", "anneal", "cell", "cell_kind",
    "electrodes", "stack_pressure", "active_mass", "temperature",
}  # fmt: skip
CELL_KINDS = ("blocking", "symmetric", "full")


class SamplesFileError(SsblabInputError):
    """A samples.csv that cannot be used; the message names the file, line and column."""


@dataclass(frozen=True)
class SampleSpec:
    """One row of samples.csv, in SI units."""

    pattern: str
    line: int
    sample: str
    formula: str | None = None
    dopant: str | None = None
    thickness_m: float | None = None
    area_m2: float | None = None
    diameter_m: float | None = None
    relative_density: float | None = None
    sintering: str | None = None
    coating: str | None = None
    ald_cycles: int | None = None
    anneal: str | None = None
    cell: str | None = None
    cell_kind: str | None = None
    electrodes: str | None = None
    stack_pressure_Pa: float | None = None
    active_mass_g: float | None = None
    temperature_K: float | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def matches(self, relative: str) -> bool:
        name = relative.rsplit("/", 1)[-1]
        return fnmatch.fnmatchcase(relative, self.pattern) or fnmatch.fnmatchcase(
            name, self.pattern
        )


def _text(row: dict, key: str) -> str | None:
    value = (row.get(key) or "").strip()
    return value or None


def _row_spec(row: dict, line: int, where: str) -> SampleSpec:
    def quantity(key: str, unit: str, high: float, low: float = 0.0) -> float | None:
        value = _text(row, key)
        if value is None:
            return None
        label = f"{where}, line {line}: {key}"
        try:
            return bounded_si(value, unit, label, low=low, high=high)
        except SsblabInputError as exc:
            message = str(exc)
            raise SamplesFileError(message if label in message else f"{label}: {message}") from None

    pattern = _text(row, "file_glob") or _text(row, "file")
    sample = _text(row, "sample")
    if pattern is None or sample is None:
        raise SamplesFileError(f"{where}, line {line}: needs a file_glob (or file) and a sample")
    thickness = quantity("thickness", "m", 1.0)
    diameter = quantity("diameter", "m", 1.0)
    area = quantity("area", "m^2", 1.0)
    if diameter is not None and area is not None:
        raise SamplesFileError(f"{where}, line {line}: give diameter or area, not both")
    if diameter is not None:
        area = math.pi * diameter**2 / 4
    kind = _text(row, "cell_kind")
    if kind is not None and kind not in CELL_KINDS:
        raise SamplesFileError(
            f"{where}, line {line}: cell_kind {kind!r}: use {', '.join(CELL_KINDS)}"
        )
    cycles = _text(row, "ald_cycles")
    try:
        ald = None if cycles is None else int(cycles)
    except ValueError:
        raise SamplesFileError(f"{where}, line {line}: ald_cycles {cycles!r}: an integer") from None
    mass = quantity("active_mass", "kg", 1.0)
    cell = _text(row, "cell") or (f"{sample}/{kind}" if kind else None)
    return SampleSpec(
        pattern=pattern,
        line=line,
        sample=sample,
        formula=_text(row, "formula"),
        dopant=_text(row, "dopant"),
        thickness_m=thickness,
        area_m2=area,
        diameter_m=diameter,
        relative_density=_density(_text(row, "relative_density"), f"{where}, line {line}"),
        sintering=_text(row, "sintering"),
        coating=_text(row, "coating"),
        ald_cycles=ald,
        anneal=_text(row, "anneal"),
        cell=cell,
        cell_kind=kind,
        electrodes=_text(row, "electrodes"),
        stack_pressure_Pa=quantity("stack_pressure", "Pa", 1e10, low=-1e-12),
        active_mass_g=None if mass is None else mass * 1000.0,
        temperature_K=quantity("temperature", "K", 5000.0),
        extra={k: v for k, v in row.items() if k and k not in KNOWN and v not in (None, "")},
    )


def _density(value: str | None, where: str) -> float | None:
    if value is None:
        return None
    text = value.replace(" ", "")
    try:
        number = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise SamplesFileError(
            f"{where}: relative_density {value!r}: a fraction or a percentage"
        ) from None
    if not (0 < number <= 1.05):
        raise SamplesFileError(f"{where}: relative_density {value!r} outside (0, 1]")
    return number


def read_samples(path: Path) -> list[SampleSpec]:
    """The rows of ``path`` (module docstring), checked; errors name the file and line."""
    path = Path(path)
    where = str(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = set(reader.fieldnames or ())
            if not ({"file_glob", "file"} & columns) or "sample" not in columns:
                raise SamplesFileError(f"{where}: needs columns file_glob (or file) and sample")
            rows = [
                (line, {(k or "").strip(): v for k, v in row.items()})
                for line, row in enumerate(reader, start=2)
            ]
    except FileNotFoundError:
        raise SamplesFileError(f"--samples {where}: no such file") from None
    except UnicodeDecodeError:
        raise SamplesFileError(f"--samples {where}: not a UTF-8 text file") from None
    except (OSError, csv.Error) as exc:
        raise SamplesFileError(f"--samples {where}: cannot read: {exc}") from None
    try:
        return [_row_spec(row, line, where) for line, row in rows if any(row.values())]
    except SamplesFileError:
        raise
    except SsblabInputError as exc:  # a unit error: already names file, line and column
        raise SamplesFileError(str(exc)) from None


def match(specs: list[SampleSpec], relative: str) -> SampleSpec | None:
    return next((spec for spec in specs if spec.matches(relative)), None)
