"""``ssblab micro eis``: the simulated ionic impedance spectrum of a polycrystal between its
electrodes, printed as a table and written as a CSV that ``ssblab eis`` reads."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ssblab.cli.micro.options import (
    UM,
    Aspect,
    Axis,
    Density,
    Dim,
    Grains,
    GrainSize,
    JsonFlag,
    Material,
    Neck,
    PlotFile,
    PoreSize,
    Seed,
    SizeCv,
    Structure,
    Temperature,
    checked_axis,
    frequency,
    kelvin,
    materials_of,
)
from ssblab.cli.micro.output import (
    celsius,
    emit,
    network_line,
    print_notes,
    print_written,
    structure_line,
)
from ssblab.cli.micro.pipeline import base_payload, build_crystal_and_network, solving
from ssblab.cli.output import console, fmt, progress_bar
from ssblab.cli.paths import FIGURE_SUFFIXES, output_file
from ssblab.errors import SsblabInputError


def eis_cmd(
    grains: Grains = 400,
    grain_size: GrainSize = "5 um",
    dim: Dim = 3,
    size_cv: SizeCv = 0.3,
    density: Density = 0.95,
    pore_size_ratio: PoreSize = 1.0,
    neck: Neck = 1.0,
    aspect: Aspect = "1,1,1",
    seed: Seed = 0,
    material: Material = "llzto-bare",
    temperature: Temperature = "25 degC",
    axis: Axis = 0,
    freq_min: Annotated[str, typer.Option("--freq-min", help="Lowest frequency.")] = "1 Hz",
    freq_max: Annotated[str, typer.Option("--freq-max", help="Highest frequency.")] = "1 GHz",
    points: Annotated[int, typer.Option("--points", help="Frequencies, log-spaced.")] = 41,
    output: Annotated[
        Path | None,
        typer.Option("--output", help="Write the spectrum as CSV (readable by ssblab eis)."),
    ] = None,
    plot: PlotFile = None,
    json_output: JsonFlag = False,
) -> None:
    """Simulated ionic impedance spectrum of the polycrystal between its electrodes (the
    pellet is the simulated box; 2-D structures are 1 m deep)."""
    import numpy as np

    spec = Structure(
        grains, grain_size, dim, size_cv, density, pore_size_ratio, neck, aspect, seed
    ).spec()
    materials, description = materials_of(material)
    temperature_k = kelvin(temperature, "--temperature")
    axis = checked_axis(axis, dim)
    f_low, f_high = frequency(freq_min, "--freq-min"), frequency(freq_max, "--freq-max")
    if not f_low < f_high:
        raise SsblabInputError(f"--freq-min {freq_min!r} must be below --freq-max {freq_max!r}")
    if not 2 <= points <= 2000:
        raise SsblabInputError(f"--points must be in [2, 2000], got {points}")
    output = output_file(output, "--output", (".csv",))
    plot = output_file(plot, "--plot", FIGURE_SUFFIXES)
    from ssblab.micro.solve import microstructure_spectrum, solve_dc

    frequencies = np.logspace(np.log10(f_low), np.log10(f_high), points)
    label = f"micro {dim}-D {material} {celsius(temperature_k)}"
    with progress_bar("building", None) as bar:
        crystal, network = build_crystal_and_network(spec, materials, bar, axis=axis)
        sigma = network.sigma_ion_at(temperature_k)
        bar.update(description="DC solve")
        with solving("DC solve"):
            dc = solve_dc(network, sigma)
    with progress_bar("impedance", points) as bar, solving("impedance solve"):
        spectrum = microstructure_spectrum(
            network, sigma, frequencies, label=label, progress=lambda done: bar.update(done)
        )
    f, z = spectrum.frequency_hz, spectrum.impedance_ohm
    length, area = network.length_m, network.area_m2
    r_dc = 1.0 / dc.current_a_per_v if dc.percolates else None
    low = int(np.argmin(f))
    payload: dict[str, Any] = base_payload(
        crystal, network, material, description, temperature_k=temperature_k, axis=axis
    )
    payload.update(
        {
            "carrier": "ions (σ_ion of every phase; electronic conduction not included)",
            "electrode_separation_m": length,
            "electrode_area_m2": area,
            "depth_m": 1.0 if dim == 2 else None,
            "solver": spectrum.metadata.get("solver"),
            "r_dc_ohm": r_dc,
            "sigma_dc_s_per_m": dc.sigma_eff_s_per_m,
            "z_real_at_fmin_ohm": float(z.real[low]),
            "sigma_from_z_real_at_fmin_s_per_m": float(length / (z.real[low] * area)),
            "frequency_hz": f.tolist(),
            "z_real_ohm": z.real.tolist(),
            "z_imag_ohm": z.imag.tolist(),
        }
    )
    if output is not None:
        _write_spectrum_csv(output, f, z)
        payload["output"] = str(output)
    if plot is not None:
        from ssblab.micro import figures

        depth = " (2-D: per 1 m depth)" if dim == 2 else ""
        payload["figure"] = str(figures.nyquist(spectrum, plot, title=label + depth))
    emit(payload, json_output, _print_eis)


def _write_spectrum_csv(path: Path, f, z) -> None:
    from ssblab.cli.paths import write_text

    lines = ["frequency_hz,z_real_ohm,z_imag_ohm"]
    lines += [f"{fk:.10g},{zk.real:.10g},{zk.imag:.10g}" for fk, zk in zip(f, z, strict=True)]
    write_text(path, "\n".join(lines) + "\n", "--output")


def _print_eis(payload: dict) -> None:
    import math

    from rich.table import Table

    out = console()
    temperature_k = payload["temperature_k"]
    out.print(structure_line(payload["structure"], payload["material"]))
    out.print(
        f"T = {celsius(temperature_k)} ({temperature_k:.2f} K); "
        f"{network_line(payload['network'])}; solver {payload['solver']}"
    )
    table = Table(title="Simulated impedance (ions)")
    for column in ("f (Hz)", "Z′ (Ω)", "−Z″ (Ω)", "|Z| (Ω)", "phase (°)"):
        table.add_column(column, justify="right")
    for fk, re_, im in zip(
        payload["frequency_hz"], payload["z_real_ohm"], payload["z_imag_ohm"], strict=True
    ):
        table.add_row(
            fmt(fk), fmt(re_), fmt(-im), fmt(math.hypot(re_, im)),
            f"{math.degrees(math.atan2(im, re_)) + 0.0:.3g}",
        )  # fmt: skip
    out.print(table)
    length, area = payload["electrode_separation_m"], payload["electrode_area_m2"]
    geometry = f"thickness {length * UM:.4g} µm, area {area * 1e4:.4g} cm²"
    if payload["depth_m"]:
        geometry += " (2-D: box height × 1 m depth)"
    out.print(f"  pellet = the simulated box: {geometry}")
    if payload["r_dc_ohm"] is not None:
        out.print(
            f"  DC: R = {fmt(payload['r_dc_ohm'])} Ω, σ_ion = "
            f"{fmt(payload['sigma_dc_s_per_m'] / 100)} S/cm; Z′ at the lowest frequency "
            f"{fmt(payload['z_real_at_fmin_ohm'])} Ω → σ = "
            f"{fmt(payload['sigma_from_z_real_at_fmin_s_per_m'] / 100)} S/cm"
        )
    else:
        out.print("  DC: the ions do not percolate (σ_ion = 0); the spectrum is capacitive")
    if payload.get("output"):
        out.print(
            f"  analyse with: ssblab eis conductivity {payload['output']} "
            f'--thickness "{length * UM:.6g} um" --area "{area * 1e4:.6g} cm^2"'
        )
    print_notes(out, payload["network"]["notes"])
    print_written(out, payload)
