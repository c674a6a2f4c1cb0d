"""The options every ``ssblab micro`` command shares and their parsing.

The ``Annotated`` option types (structure, material, temperature, axis, output flags), and the
checks that turn option text into numbers and objects: the structure options into a
:class:`~ssblab.micro.structure.PolycrystalSpec` (:meth:`Structure.spec`), ``--material`` into
the preset's materials, quantities with units (temperature, current density, frequency) into SI
values, comma-separated sweeps into lists. Every message names the option it concerns; bad input
raises :class:`~ssblab.errors.SsblabInputError` or :class:`~ssblab.errors.UnitError` (exit 2).
Nothing here imports numpy or ``ssblab.micro`` at module level.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from ssblab.cli.eis_inputs import MAX_TEMPERATURE_K
from ssblab.errors import SsblabInputError, UnitError
from ssblab.units import bounded_si

MATERIALS = ("llzto-bare", "llzto-annealed", "llzto-coated")
MAX_CURRENT_A_M2 = 1e4  # 1 A/cm²: far above any critical current density of an oxide SSE
UM = 1e6

Grains = Annotated[int, typer.Option("--grains", help="Number of cells (grains and pores).")]
GrainSize = Annotated[
    str, typer.Option("--grain-size", help='Mean equivalent grain diameter, e.g. "5 um".')
]
Dim = Annotated[int, typer.Option("--dim", help="Dimension of the structure, 2 or 3.")]
SizeCv = Annotated[
    float,
    typer.Option("--size-cv", help="Log-normal grain-size CV (0: Poisson-Voronoi grains)."),
]
Density = Annotated[
    float, typer.Option("--density", help="Relative density in [0.3, 1]; the rest are pores.")
]
PoreSize = Annotated[
    float, typer.Option("--pore-size-ratio", help="Pore size relative to grains, [0.2, 1].")
]
Neck = Annotated[
    float, typer.Option("--neck", help="Contact fraction of each GB face, (0, 1] (1: dense).")
]
Aspect = Annotated[
    str, typer.Option("--aspect", help='Box side ratios, e.g. "2,1,1" (axis 0 first).')
]
Seed = Annotated[int, typer.Option("--seed", help="Random seed of the structure.")]
Material = Annotated[str, typer.Option("--material", help=", ".join(MATERIALS) + ".")]
Temperature = Annotated[str, typer.Option("--temperature", help='Temperature, e.g. "25 degC".')]
Axis = Annotated[int, typer.Option("--axis", help="Axis normal to the two electrodes.")]
JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
PlotFile = Annotated[
    Path | None, typer.Option("--plot", help="Write a figure to this file (.png, .pdf, .svg …).")
]


# --------------------------------------------------------------------------------------------
# quantities with units


def si(value: str, unit: str, option: str, *, low: float, high: float) -> float:
    """:func:`~ssblab.units.bounded_si` with the option named in every message."""
    try:
        return bounded_si(value, unit, option, low=low, high=high)
    except UnitError as exc:
        if option in str(exc):
            raise
        raise UnitError(f"{option} {value!r}: {exc}") from None


def kelvin(value: str, option: str) -> float:
    return si(value, "K", option, low=0.0, high=MAX_TEMPERATURE_K)


def current_density(text: str, option: str) -> float:
    return si(text, "A/m^2", option, low=0.0, high=MAX_CURRENT_A_M2)


def frequency(text: str, option: str) -> float:
    return si(text, "Hz", option, low=0.0, high=1e13)


def split_list(text: str, option: str, convert: Callable[[str], float]) -> list[float]:
    """ "0.01,0.1,1 mA/cm^2" → values; the unit after the last number applies to bare numbers."""
    parts = [part.strip() for part in text.split(",")]
    if not parts or any(not part for part in parts):
        raise SsblabInputError(f"{option} {text!r}: give values separated by commas")
    match = re.fullmatch(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*(.*)", parts[-1])
    unit = match.group(1) if match else ""
    out = []
    for part in parts:
        try:
            float(part)
            part = f"{part} {unit}"
        except ValueError:
            pass
        out.append(convert(part))
    return out


# --------------------------------------------------------------------------------------------
# structure, materials, axis


def _aspect(text: str, dim: int) -> tuple[float, ...]:
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        raise SsblabInputError(f"--aspect {text!r}: give numbers separated by commas") from None
    if len(values) < dim:
        raise SsblabInputError(f"--aspect {text!r}: need {dim} side ratios for a {dim}-D box")
    values = values[:dim]
    if not all(0 < v < 1e3 and v == v for v in values):  # v == v: not NaN
        raise SsblabInputError(f"--aspect {text!r}: side ratios must be in (0, 1000)")
    return values


@dataclass(frozen=True)
class Structure:
    """The structure options of a command, as given."""

    grains: int
    grain_size: str
    dim: int
    size_cv: float
    density: float
    pore_size_ratio: float
    neck: float
    aspect: str
    seed: int

    def spec(self):
        """The PolycrystalSpec of the options, each checked with the option's name."""
        from ssblab.micro.structure import PolycrystalSpec

        if self.dim not in (2, 3):
            raise SsblabInputError(f"--dim must be 2 or 3, got {self.dim}")
        if not 8 <= self.grains <= 5_000_000:
            raise SsblabInputError(f"--grains must be in [8, 5000000], got {self.grains}")
        size = si(self.grain_size, "m", "--grain-size", low=0.0, high=5e-3)
        checks = (
            ("--size-cv", self.size_cv, 0.0, 2.0, True),
            ("--density", self.density, 0.3, 1.0, True),
            ("--pore-size-ratio", self.pore_size_ratio, 0.2, 1.0, True),
            ("--neck", self.neck, 0.0, 1.0, False),
        )
        for option, value, low, high, closed in checks:
            ok = (low <= value if closed else low < value) and value <= high
            if not ok:
                bracket = "[" if closed else "("
                raise SsblabInputError(
                    f"{option} must be in {bracket}{low:g}, {high:g}], got {value}"
                )
        if self.seed < 0:
            raise SsblabInputError(f"--seed must be >= 0, got {self.seed}")
        return PolycrystalSpec(
            n_grains=self.grains,
            mean_grain_size_m=size,
            dimension=self.dim,
            grain_size_cv=self.size_cv,
            relative_density=self.density,
            pore_size_ratio=self.pore_size_ratio,
            neck_fraction=self.neck,
            box_aspect=_aspect(self.aspect, self.dim),
            seed=self.seed,
        )


def materials_of(name: str):
    """(materials, description) of the ``--material`` preset ``name``."""
    from ssblab.micro.presets import PRESETS, materials

    if name not in PRESETS:
        raise SsblabInputError(f"--material {name!r}: use one of {', '.join(PRESETS)}")
    return materials(name), PRESETS[name]


def checked_axis(axis: int, dim: int) -> int:
    if axis not in range(dim):
        raise SsblabInputError(f"--axis must be in 0..{dim - 1} for a {dim}-D structure")
    return axis
