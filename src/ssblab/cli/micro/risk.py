"""``ssblab micro risk``: internal Li deposition under current (``micro.deposition``, GB face
network included): f_dep, where it happens (GB face nodes vs grains), the onset current density
of a sweep over currents and temperatures, and a risk map."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ssblab.cli.micro.options import (
    Aspect,
    Density,
    Dim,
    Grains,
    GrainSize,
    JsonFlag,
    Material,
    Neck,
    PoreSize,
    Seed,
    SizeCv,
    Structure,
    Temperature,
    current_density,
    kelvin,
    materials_of,
    split_list,
)
from ssblab.cli.micro.output import (
    celsius,
    emit,
    network_line,
    print_notes,
    print_written,
    quantity_table,
    structure_line,
)
from ssblab.cli.micro.pipeline import base_payload, build_crystal_and_network, solving
from ssblab.cli.output import console, fmt, progress_bar
from ssblab.cli.paths import FIGURE_SUFFIXES, output_file
from ssblab.errors import SsblabInputError


def deposition_summary(network, result) -> dict:
    """The key numbers of a :class:`~ssblab.micro.deposition.DepositionResult`, with where
    the deposition sites are: GB face nodes (node_kind 1) or grain centres (0)."""
    import numpy as np

    sites = np.asarray(result.deposition_sites, dtype=np.int64)
    kinds = network.node_kind[sites]
    at_gb, in_grains = int(np.sum(kinds == 1)), int(np.sum(kinds == 0))
    r = np.asarray(result.deposition_current_a)
    total = float(r.sum())
    return {
        "temperature_k": result.temperature_k,
        "current_density_a_per_m2": result.current_density_a_per_m2,
        "current_density_ma_per_cm2": result.current_density_a_per_m2 / 10.0,
        "deposition_fraction": result.deposition_fraction,
        "electronic_fraction_plating": result.electronic_fraction_plating,
        "electronic_fraction_stripping": result.electronic_fraction_stripping,
        "cell_voltage_v": result.cell_voltage_v,
        "min_li_potential_v": float(np.nanmin(result.li_potential_v)),
        "nucleation_overpotential_v": result.nucleation_overpotential_v,
        "deposition_sites": int(sites.size),
        "deposition_sites_at_gb": at_gb,
        "deposition_sites_in_grains": in_grains,
        "gb_site_share": at_gb / sites.size if sites.size else None,
        "gb_deposition_current_share": (
            float(r[network.node_kind == 1].sum()) / total if total > 0 else None
        ),
        "newton_iterations": result.iterations,
        "notes": list(result.notes),
    }


def risk_cmd(
    grains: Grains = 400,
    grain_size: GrainSize = "5 um",
    dim: Dim = 2,
    size_cv: SizeCv = 0.3,
    density: Density = 0.95,
    pore_size_ratio: PoreSize = 1.0,
    neck: Neck = 1.0,
    aspect: Aspect = "1,1,1",
    seed: Seed = 0,
    material: Material = "llzto-bare",
    current: Annotated[
        str | None, typer.Option("--current", help='Current density (default "1 mA/cm^2").')
    ] = None,
    currents: Annotated[
        str | None,
        typer.Option("--currents", help='Sweep for the onset, e.g. "0.01,0.1,1 mA/cm^2".'),
    ] = None,
    temperature: Temperature = "25 degC",
    temperatures: Annotated[
        str | None,
        typer.Option("--temperatures", help='Sweep temperatures, e.g. "25,60,100 degC".'),
    ] = None,
    threshold: Annotated[
        float, typer.Option("--threshold", help="f_dep that defines the onset (sweep).")
    ] = 1e-3,
    contact_asr: Annotated[
        str | None,
        typer.Option(
            "--contact-asr",
            help='Li | electrolyte charge-transfer ASR per contact, e.g. "109 ohm*cm^2" '
            "(default: the material's cited value, ssblab.micro.presets.CONTACT_ASR_OHM_M2).",
        ),
    ] = None,
    nucleation: Annotated[
        str,
        typer.Option(
            "--nucleation",
            help='Nucleation overpotential, e.g. "20 mV" (0: the thermodynamic threshold).',
        ),
    ] = "0 mV",
    plot: Annotated[
        Path | None,
        typer.Option(
            "--plot",
            help="Risk map (U at the nodes, deposition sites) to this file; for a sweep, at "
            "the highest current and the first temperature.",
        ),
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """Internal Li deposition under current (GB face network included): f_dep, where it
    happens, the onset current density of a sweep, a risk map (--plot)."""
    spec = Structure(
        grains, grain_size, dim, size_cv, density, pore_size_ratio, neck, aspect, seed
    ).spec()
    materials, description = materials_of(material)
    j_values, t_values = _currents_and_temperatures(current, currents, temperature, temperatures)
    if not 0 < threshold < 1:
        raise SsblabInputError(f"--threshold must be in (0, 1), got {threshold}")
    plot = output_file(plot, "--plot", FIGURE_SUFFIXES)
    from ssblab.micro.deposition import deposition_onset
    from ssblab.micro.presets import CONTACT_ASR_OHM_M2
    from ssblab.units import to_si

    asr = (
        CONTACT_ASR_OHM_M2[material]
        if contact_asr is None
        else to_si(contact_asr, "ohm*m^2", "--contact-asr")
    )
    eta = to_si(nucleation, "V", "--nucleation")
    if not (asr >= 0 and eta >= 0):
        raise SsblabInputError("--contact-asr and --nucleation must be >= 0")
    kinetics = {"charge_transfer_asr_ohm_m2": asr, "nucleation_overpotential_v": eta}

    with progress_bar("building", None) as bar:
        crystal, network = build_crystal_and_network(spec, materials, bar, gb_network=True)
    payload: dict[str, Any] = base_payload(crystal, network, material, description)
    payload["charge_transfer_asr_ohm_m2"] = asr
    payload["nucleation_overpotential_v"] = eta
    result = None
    if currents is None:
        j, t = j_values[0], t_values[0]
        result = _deposit(network, j, t, f"--current {j / 10:g} mA/cm^2", kinetics)
        payload["mode"] = "single"
        payload.update(deposition_summary(network, result))
    else:
        onsets = []
        with progress_bar("onset sweep", len(t_values) * len(j_values)) as bar:
            for k, t in enumerate(t_values):
                with solving(f"--currents sweep at {celsius(t)}"):
                    onsets.append(
                        deposition_onset(network, [t], j_values, threshold=threshold, **kinetics)
                    )
                bar.update((k + 1) * len(j_values))
        payload["mode"] = "sweep"
        payload.update(_onset_payload(onsets, threshold))
        if plot is not None:  # the map at the sweep's highest current, first temperature
            j, t = j_values[-1], t_values[0]
            result = _deposit(network, j, t, f"risk map at {j / 10:g} mA/cm^2", kinetics)
            payload["map"] = {"current_density_a_per_m2": j, "temperature_k": t}
    if plot is not None and result is not None:
        from ssblab.micro import figures

        payload["figure"] = str(figures.risk_map(crystal, network, result, plot))
    emit(payload, json_output, _print_risk if payload["mode"] == "single" else _print_onset)


def _currents_and_temperatures(
    current: str | None, currents: str | None, temperature: str, temperatures: str | None
) -> tuple[list[float], list[float]]:
    """(current densities in A/m², temperatures in K) of the options: one of each without
    --currents, else the sorted distinct currents of the sweep at --temperatures or
    --temperature."""
    if current is not None and currents is not None:
        raise SsblabInputError("give --current (one solve) or --currents (a sweep), not both")
    if temperatures is not None and currents is None:
        raise SsblabInputError("--temperatures goes with --currents (a sweep); else --temperature")
    if currents is None:
        j_values = [current_density(current or "1 mA/cm^2", "--current")]
        return j_values, [kelvin(temperature, "--temperature")]
    j_values = sorted(
        set(split_list(currents, "--currents", lambda p: current_density(p, "--currents")))
    )
    if temperatures is not None:
        t_values = split_list(temperatures, "--temperatures", lambda p: kelvin(p, "--temperatures"))
    else:
        t_values = [kelvin(temperature, "--temperature")]
    return j_values, t_values


def _deposit(network, j: float, t: float, context: str, kinetics: dict):
    """One deposition solve at current density ``j`` (A/m²) and temperature ``t`` (K) with the
    contact ASR and nucleation overpotential in ``kinetics``; solver errors start with
    ``context``."""
    from ssblab.micro.deposition import solve_deposition

    with progress_bar("deposition solve", None), solving(context):
        return solve_deposition(network, j, t, **kinetics)


def _onset_payload(onsets, threshold: float) -> dict:
    import numpy as np

    temps = [float(o.temperatures_k[0]) for o in onsets]
    currents = onsets[0].current_densities_a_per_m2
    stack = lambda name: np.vstack([getattr(o, name) for o in onsets]).tolist()  # noqa: E731
    return {
        "threshold": threshold,
        "temperatures_k": temps,
        "current_densities_a_per_m2": currents.tolist(),
        "deposition_fraction": stack("deposition_fraction"),
        "electronic_fraction_plating": stack("electronic_fraction_plating"),
        "cell_voltage_v": stack("cell_voltage_v"),
        "min_li_potential_v": stack("min_li_potential_v"),
        "onset": [
            {
                "temperature_k": float(o.temperatures_k[0]),
                "onset_current_density_a_per_m2": float(o.onset_current_density_a_per_m2[0]),
                "onset_current_density_ma_per_cm2": float(o.onset_current_density_a_per_m2[0])
                / 10.0,
                "status": o.onset_status[0],
            }
            for o in onsets
        ],
    }


def _print_head(out, payload: dict) -> None:
    out.print(structure_line(payload["structure"], payload["material"]))
    out.print(network_line(payload["network"]))


def _print_risk(payload: dict) -> None:
    out = console()
    _print_head(out, payload)
    j, t = payload["current_density_a_per_m2"], payload["temperature_k"]
    n = payload["deposition_sites"]

    def share(count: int) -> str:
        return f"{count} ({100 * count / n:.3g} %)" if n else str(count)

    gb_current = payload["gb_deposition_current_share"]
    rows = [
        ("f_dep, deposited inside / total current", fmt(payload["deposition_fraction"])),
        (
            "electronic fraction at the plating electrode",
            fmt(payload["electronic_fraction_plating"]),
        ),
        (
            "electronic fraction at the stripping electrode",
            fmt(payload["electronic_fraction_stripping"]),
        ),
        ("cell voltage (V)", fmt(payload["cell_voltage_v"])),
        ("min U = φ_e − φ_i (V)", fmt(payload["min_li_potential_v"])),
        ("deposition sites (U < −η_nuc)", str(n)),
        ("  at GB face nodes", share(payload["deposition_sites_at_gb"])),
        ("  at grain nodes", share(payload["deposition_sites_in_grains"])),
        (
            "deposition current at GB face nodes",
            "–" if gb_current is None else f"{100 * gb_current:.3g} %",
        ),
        ("Newton iterations", str(payload["newton_iterations"])),
    ]
    out.print(quantity_table(f"Li deposition at J = {fmt(j / 10)} mA/cm², T = {celsius(t)}", rows))
    print_notes(out, (*payload["notes"], *payload["network"]["notes"]))
    print_written(out, payload)


def _print_onset(payload: dict) -> None:
    import math

    from rich.table import Table

    out = console()
    _print_head(out, payload)
    temps = payload["temperatures_k"]
    table = Table(title=f"f_dep vs current density (onset: f_dep > {payload['threshold']:g})")
    table.add_column("J (mA/cm²)", justify="right")
    for t in temps:
        table.add_column(f"f_dep at {celsius(t)}", justify="right")
    for k, j in enumerate(payload["current_densities_a_per_m2"]):
        table.add_row(fmt(j / 10), *(fmt(row[k]) for row in payload["deposition_fraction"]))
    out.print(table)
    low = payload["current_densities_a_per_m2"][0] / 10
    high = payload["current_densities_a_per_m2"][-1] / 10
    for item in payload["onset"]:
        onset = item["onset_current_density_ma_per_cm2"]
        where = celsius(item["temperature_k"])
        if item["status"] == "bracketed" and math.isfinite(onset):
            out.print(f"  onset at {where}: J = {fmt(onset)} mA/cm²")
        elif item["status"] == "below_range":
            out.print(f"  onset at {where}: ≤ {fmt(low)} mA/cm² (above the threshold already)")
        else:
            out.print(f"  onset at {where}: not reached up to {fmt(high)} mA/cm²")
    if "map" in payload:
        m = payload["map"]
        out.print(
            f"  risk map at J = {fmt(m['current_density_a_per_m2'] / 10)} mA/cm², "
            f"T = {celsius(m['temperature_k'])}"
        )
    print_notes(out, payload["network"]["notes"])
    print_written(out, payload)
