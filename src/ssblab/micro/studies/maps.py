"""The brick-layer error map over grain-size CV × relative density
(:func:`brick_layer_map`, its seed statistics :class:`MapCell` by :func:`summarise_map`) and
:func:`markdown_table` for the tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ssblab.micro.build import build_network
from ssblab.micro.studies.cases import CaseResult, _crystal, evaluate_network
from ssblab.micro.studies.reading import FREQUENCY_HZ, llzto_materials

# --------------------------------------------------------------------------------------------
# the map: grain-size CV × relative density
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapCell:
    """Seed statistics of one (CV, density) cell of :func:`brick_layer_map`: mean and
    min/max over the seeds of each error, and the measured CV and density."""

    grain_size_cv_input: float
    relative_density_input: float
    size_cv_measured: float
    relative_density_measured: float
    n_seeds: int
    err_gb_specific: tuple[float, float, float]  # mean, min, max
    err_gb_geometric: tuple[float, float, float]
    err_bulk: tuple[float, float, float]
    err_total_blm: tuple[float, float, float]
    err_total_fit_max: float
    alpha_gb_mean: float


def brick_layer_map(
    grain_size_cvs: Sequence[float] = (0.0, 0.2, 0.4, 0.6, 0.8),
    relative_densities: Sequence[float] = (1.0, 0.95, 0.9, 0.85),
    *,
    seeds: Sequence[int] = (0, 1, 2),
    n_grains: int = 1000,
    dimension: int = 3,
    gb_to_bulk: float = 1.0,
    frequency_hz=FREQUENCY_HZ,
    progress=None,
) -> tuple[CaseResult, ...]:
    """Every (CV, density, seed): the LLZTO polycrystal with R_gb ≈ R_b (``gb_to_bulk``),
    simulated and read with the brick layer. :func:`summarise_map` makes the cells."""
    materials = llzto_materials(gb_to_bulk=gb_to_bulk)
    rows = []
    for cv in grain_size_cvs:
        for rho in relative_densities:
            for seed in seeds:
                crystal = _crystal(
                    n_grains,
                    dimension=dimension,
                    grain_size_cv=cv,
                    relative_density=rho,
                    seed=seed,
                )
                network = build_network(crystal, materials, gb_network=False)
                row = evaluate_network(
                    network,
                    crystal,
                    materials,
                    study="map",
                    case=f"cv={cv:g} rho={rho:g}",
                    seed=seed,
                    frequency_hz=frequency_hz,
                    extra={"grain_size_cv_input": cv, "relative_density_input": rho},
                )
                rows.append(row)
                if progress:
                    progress(row)
    return tuple(rows)


def summarise_map(rows: Sequence[CaseResult]) -> tuple[MapCell, ...]:
    """Group :func:`brick_layer_map` rows by (CV, density) input."""
    keys = list(
        dict.fromkeys(
            (r.extra["grain_size_cv_input"], r.extra["relative_density_input"]) for r in rows
        )
    )
    cells = []
    for cv, rho in keys:
        group = [
            r
            for r in rows
            if (r.extra["grain_size_cv_input"], r.extra["relative_density_input"]) == (cv, rho)
        ]

        def stats(values):
            v = np.asarray(values, dtype=float)
            return (float(v.mean()), float(v.min()), float(v.max()))

        cells.append(
            MapCell(
                grain_size_cv_input=cv,
                relative_density_input=rho,
                size_cv_measured=float(np.mean([r.size_cv for r in group])),
                relative_density_measured=float(np.mean([r.relative_density for r in group])),
                n_seeds=len(group),
                err_gb_specific=stats([r.err_gb_specific for r in group]),
                err_gb_geometric=stats([r.err_gb_geometric for r in group]),
                err_bulk=stats([r.err_bulk for r in group]),
                err_total_blm=stats([r.err_total_blm for r in group]),
                err_total_fit_max=float(max(abs(r.err_total_fit) for r in group)),
                alpha_gb_mean=float(np.mean([r.reading.gb.alpha for r in group])),
            )
        )
    return tuple(cells)


# --------------------------------------------------------------------------------------------
# tables
# --------------------------------------------------------------------------------------------


def markdown_table(header: Sequence[str], rows: Sequence[Sequence]) -> str:
    """A GitHub markdown table (floats as given: format them first)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)
