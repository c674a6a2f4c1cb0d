"""Options of ``ssblab eis conductivity|arrhenius`` checked before any work: the sample geometry
and the temperatures, each bounded to what a laboratory sample can be (a 1e308 m pellet is a
typo and would overflow everything downstream). Every message is one line naming the option or
the file (and line) at fault."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

from ssblab.errors import SsblabInputError
from ssblab.units import bounded_si

if TYPE_CHECKING:
    from ssblab.impedance.interpretation import Geometry

MAX_LENGTH_M = 1.0  # a sample thicker or wider than 1 m is a typo
MAX_AREA_M2 = 1.0
MAX_TEMPERATURE_K = 5000.0


def geometry_from(thickness: str, diameter: str | None, area: str | None) -> Geometry:
    """Sample geometry from the options, each bounded to a laboratory sample (≤ 1 m, ≤ 1 m²)."""
    from ssblab.impedance.interpretation import Geometry

    thickness_m = bounded_si(thickness, "m", "--thickness", low=0.0, high=MAX_LENGTH_M)
    if (diameter is None) == (area is None):
        raise SsblabInputError("give exactly one of --diameter or --area")
    if diameter is not None:
        diameter_m = bounded_si(diameter, "m", "--diameter", low=0.0, high=MAX_LENGTH_M)
        return Geometry.disc(thickness_m, diameter_m)
    return Geometry(thickness_m, bounded_si(area, "m^2", "--area", low=0.0, high=MAX_AREA_M2))


def kelvin(value: str, option: str) -> float:
    return bounded_si(value, "K", option, low=0.0, high=MAX_TEMPERATURE_K)


def temperatures_of(given: list[str] | None, table: Path | None, spectra) -> list[float]:
    if given:
        if len(given) != len(spectra):
            raise SsblabInputError(
                f"{len(given)} --temperature values for {len(spectra)} spectra; give one each"
            )
        return [kelvin(t, "--temperature") for t in given]
    if table is not None:
        return temperature_table(table, spectra)
    from_metadata = [s.metadata.get("temperature_K") for s in spectra]
    if all(t is not None for t in from_metadata):
        return [float(t) for t in from_metadata]
    raise SsblabInputError("give --temperature for each file, or --temperatures TABLE.csv")


def temperature_table(table: Path, spectra) -> list[float]:
    lookup: dict[str, float] = {}
    try:
        with table.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or not {"file", "temperature"} <= set(reader.fieldnames):
                raise SsblabInputError(f"{table}: needs columns 'file' and 'temperature'")
            for line, row in enumerate(reader, start=2):
                name, value = row.get("file"), row.get("temperature")
                if not name or not value:
                    raise SsblabInputError(f"{table}, line {line}: empty file or temperature")
                try:
                    lookup[Path(name).name] = kelvin(value, "temperature")
                except SsblabInputError as exc:
                    raise SsblabInputError(f"{table}, line {line}: {exc}") from None
    except UnicodeDecodeError:
        raise SsblabInputError(f"{table}: not a UTF-8 text file") from None
    except (OSError, csv.Error) as exc:
        raise SsblabInputError(f"--temperatures {table}: cannot read: {exc}") from None
    missing = [s.source for s in spectra if Path(s.source).name not in lookup]
    if missing:
        raise SsblabInputError(f"{table}: no temperature for {', '.join(missing)}")
    return [lookup[Path(s.source).name] for s in spectra]
