"""``ssblab micro build``: build a polycrystal, print its summary, optionally write it as VTK and
draw a section (2-D cells or a 3-D mid-depth section)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ssblab.cli.micro.options import (
    UM,
    Aspect,
    Density,
    Dim,
    Grains,
    GrainSize,
    JsonFlag,
    Neck,
    PlotFile,
    PoreSize,
    Seed,
    SizeCv,
    Structure,
)
from ssblab.cli.micro.output import emit, print_written, quantity_table
from ssblab.cli.micro.pipeline import build_crystal
from ssblab.cli.output import console, progress_bar
from ssblab.cli.paths import FIGURE_SUFFIXES, output_file


def build_cmd(
    grains: Grains = 400,
    grain_size: GrainSize = "5 um",
    dim: Dim = 3,
    size_cv: SizeCv = 0.3,
    density: Density = 0.95,
    pore_size_ratio: PoreSize = 1.0,
    neck: Neck = 1.0,
    aspect: Aspect = "1,1,1",
    seed: Seed = 0,
    vtk: Annotated[
        Path | None,
        typer.Option(
            "--vtk",
            help="Write VTK (.vtu/.vtk): 2-D cells as polygons; 3-D face polygons, triple "
            "lines and sites, with cell ids, pore and GB flags, areas, lengths, volumes.",
        ),
    ] = None,
    plot: PlotFile = None,
    json_output: JsonFlag = False,
) -> None:
    """Build a polycrystal and print its summary (2-D cells or a 3-D mid-depth section with
    --plot)."""
    from ssblab.micro.export import VTK_SUFFIXES

    spec = Structure(
        grains, grain_size, dim, size_cv, density, pore_size_ratio, neck, aspect, seed
    ).spec()
    vtk = output_file(vtk, "--vtk", VTK_SUFFIXES)
    plot = output_file(plot, "--plot", FIGURE_SUFFIXES)
    with progress_bar("building", None) as bar:
        crystal = build_crystal(spec, bar)
        payload: dict[str, Any] = {"structure": crystal.summary()}
        if vtk is not None:
            from ssblab.micro.export import write_vtk

            bar.update(description="writing VTK")
            payload["vtk"] = write_vtk(crystal, vtk)
        if plot is not None:
            from ssblab.micro import figures

            bar.update(description="drawing")
            payload["figure"] = str(figures.structure_slice(crystal, plot))
    emit(payload, json_output, _print_build)


def _print_build(payload: dict) -> None:
    out = console()
    out.print(_summary_table(payload["structure"]))
    print_written(out, payload)


def _summary_table(summary: dict):
    junctions = "triple lines" if summary["dimension"] == 3 else "triple junctions"
    rows = [
        ("grains", str(summary["grains"])),
        ("pores", str(summary["pores"])),
        ("empty cells dropped", str(summary["dropped_empty_cells"])),
        ("box (µm)", " × ".join(f"{b * UM:.4g}" for b in summary["box_m"])),
        ("mean grain size, equivalent diameter (µm)", f"{summary['mean_grain_size_m'] * UM:.4g}"),
        ("grain size CV, measured", f"{summary['grain_size_cv']:.3f}"),
        ("relative density", f"{summary['relative_density']:.4f}"),
        ("grain-boundary faces", str(summary["grain_boundary_faces"])),
        (junctions, str(summary["triple_lines"])),
        ("neck (contact) fraction", f"{summary['neck_fraction']:.3g}"),
    ]
    return quantity_table(f"{summary['dimension']}-D polycrystal (seed {summary['seed']})", rows)
