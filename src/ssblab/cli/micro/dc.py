"""``ssblab micro dc``: effective ionic and electronic conductivity of a polycrystal between two
electrodes, the GB share of the resistance, current focusing at the electrode contacts, and the
brick-layer closed form for comparison."""

from __future__ import annotations

from typing import Any

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
    PoreSize,
    Seed,
    SizeCv,
    Structure,
    Temperature,
    checked_axis,
    kelvin,
    materials_of,
)
from ssblab.cli.micro.output import celsius, emit, network_line, print_notes, structure_line
from ssblab.cli.micro.pipeline import base_payload, build_crystal_and_network, solving
from ssblab.cli.output import console, fmt, progress_bar


def phase_shares(network, sigma, result) -> dict[str, float]:
    """Share of the dissipated power, i.e. of the resistance between the electrodes, in each
    phase: Σ over the phase's segments of I_e²/g_k, over I·V (Tellegen; V = 1 V)."""
    import numpy as np

    if not result.percolates:
        return {phase.name: float("nan") for phase in network.phases}
    phi = np.nan_to_num(result.potential_v)
    a, b = network.edges[:, 0], network.edges[:, 1]
    current = network.edge_conductance(sigma) * (phi[a] - phi[b])
    g = network.segment_values(np.asarray(sigma, dtype=float)) * network.segment_factor_m
    present = (network.segment_phase >= 0) & (g > 0)
    power = np.where(present, current[:, None] ** 2 / np.where(present, g, 1.0), 0.0)
    per_phase = np.bincount(
        network.segment_phase[present], weights=power[present], minlength=len(network.phases)
    )
    total = float(per_phase.sum())
    return {p.name: float(per_phase[k] / total) for k, p in enumerate(network.phases)}


def brick_layer(materials, temperature_k: float, grain_size_m: float, dim: int, length_m: float):
    """σ (S/m, ions and electrons) of the brick-layer closed form for grains of edge d = the
    mean equivalent diameter: 3-D, ``effective_medium.brick_layer_sigma`` (exact-cube shell,
    GB walls along the field included); 2-D, the same cut of a square cell of side D = d + δ,
    σ = d/(d/σ_g + δ/σ_gb) + σ_gb·δ/D (derived here; σ_gb = σ_g gives σ_g exactly). An
    interface layer of thickness t at each electrode adds in series, σ = L/(L/σ_BL + 2t/σ_if).
    Dense: the pores are not in the closed form."""
    from ssblab.micro.effective_medium import brick_layer_sigma

    delta = materials.gb_thickness_m
    out = {}
    for carrier, attr in (("ion", "sigma_ion_at"), ("electron", "sigma_e_at")):
        sg = getattr(materials.grain, attr)(temperature_k)
        sb = getattr(materials.gb, attr)(temperature_k)
        if dim == 3:
            sigma = float(brick_layer_sigma(sg, sb, grain_size_m, delta))
        else:
            d = grain_size_m
            column = d / (d / sg + delta / sb) if sg > 0 and sb > 0 else 0.0
            sigma = column + sb * delta / (d + delta)
        if materials.interface is not None and sigma > 0:
            si = getattr(materials.interface, attr)(temperature_k)
            thickness = 2 * materials.interface_thickness_m
            sigma = length_m / (length_m / sigma + thickness / si) if si > 0 else 0.0
        out[carrier] = sigma
    return out


def dc_cmd(
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
    json_output: JsonFlag = False,
) -> None:
    """Effective ionic and electronic conductivity between two electrodes, GB share,
    contact current focusing, and the brick-layer closed form for comparison."""
    spec = Structure(
        grains, grain_size, dim, size_cv, density, pore_size_ratio, neck, aspect, seed
    ).spec()
    materials, description = materials_of(material)
    temperature_k = kelvin(temperature, "--temperature")
    axis = checked_axis(axis, dim)
    from ssblab.micro.solve import solve_dc

    with progress_bar("building", None) as bar:
        crystal, network = build_crystal_and_network(spec, materials, bar, axis=axis)
        results = {}
        for carrier, sigma in (
            ("ion", network.sigma_ion_at(temperature_k)),
            ("electron", network.sigma_e_at(temperature_k)),
        ):
            bar.update(description=f"solving ({carrier}s)")
            with solving(f"DC solve ({carrier}s)"):
                result = solve_dc(network, sigma)
            results[carrier] = (result, phase_shares(network, sigma, result))
    closed = brick_layer(materials, temperature_k, crystal.mean_grain_size_m, dim, network.length_m)
    gb_name = materials.gb.name
    interface_name = materials.interface.name if materials.interface is not None else None
    payload: dict[str, Any] = base_payload(
        crystal, network, material, description, temperature_k=temperature_k, axis=axis
    )
    for carrier, (result, shares) in results.items():
        sigma = result.sigma_eff_s_per_m
        reference = closed[carrier]
        payload[carrier] = {
            "sigma_eff_s_per_m": sigma,
            "sigma_eff_s_per_cm": sigma / 100.0,
            "percolates": result.percolates,
            "reason": result.reason,
            "gb_share": shares.get(gb_name),
            "interface_share": shares.get(interface_name) if interface_name else None,
            "phase_shares": shares,
            "contact_current_density_cv": result.contact_current_density_cv,
            "contact_current_density_p99_over_mean": result.contact_current_density_p99_over_mean,
            "contact_current_density_max_over_mean": result.contact_current_density_max_over_mean,
            "isolated_nodes": result.isolated_nodes,
            "solver": result.solver,
            "iterations": result.iterations,
            "brick_layer_s_per_m": reference,
            "brick_layer_s_per_cm": reference / 100.0,
            "ratio_to_brick_layer": sigma / reference if reference > 0 else None,
        }
    payload["brick_layer"] = {
        "form": "exact-cube shell (3-D)" if dim == 3 else "square cell (2-D analogue)",
        "grain_size_m": crystal.mean_grain_size_m,
        "gb_thickness_m": materials.gb_thickness_m,
        "interface_layers": interface_name is not None,
        "dense": True,
    }
    emit(payload, json_output, _print_dc)


def _print_dc(payload: dict) -> None:
    from rich.table import Table

    out = console()
    temperature_k = payload["temperature_k"]
    out.print(structure_line(payload["structure"], payload["material"]))
    out.print(
        f"T = {celsius(temperature_k)} ({temperature_k:.2f} K), electrodes normal to axis "
        f"{payload['axis']}; {network_line(payload['network'])}"
    )
    ion, electron = payload["ion"], payload["electron"]
    table = Table(title="Effective DC conductivity")
    table.add_column("quantity")
    table.add_column("ions", justify="right")
    table.add_column("electrons", justify="right")

    def row(label: str, key: str, scale: float = 1.0, percent: bool = False) -> None:
        cells = []
        for item in (ion, electron):
            value = item[key]
            if value is None or (isinstance(value, float) and value != value):
                cells.append("–")
            elif percent:
                cells.append(f"{100 * value:.3g} %")
            elif isinstance(value, str):
                cells.append(value)
            else:
                cells.append(fmt(value * scale))
        table.add_row(label, *cells)

    row("σ_eff (S/cm)", "sigma_eff_s_per_cm")
    row("σ_eff (S/m)", "sigma_eff_s_per_m")
    bl = payload["brick_layer"]
    row(f"brick layer, {bl['form']} (S/cm)", "brick_layer_s_per_cm")
    row("σ_eff / brick layer", "ratio_to_brick_layer")
    row("GB share of the resistance", "gb_share", percent=True)
    if ion["interface_share"] is not None:
        row("electrode-layer share of the resistance", "interface_share", percent=True)
    row("contact current density CV", "contact_current_density_cv")
    row("contact current density p99/mean", "contact_current_density_p99_over_mean")
    row("contact current density max/mean", "contact_current_density_max_over_mean")
    row("isolated nodes", "isolated_nodes")
    row("solver", "solver")
    out.print(table)
    for carrier, item in (("σ_ion", ion), ("σ_e", electron)):
        if not item["percolates"]:
            out.print(f"  {carrier} = 0: {item['reason']}")
    layers = " + electrode layers in series" if bl["interface_layers"] else ""
    out.print(
        f"  brick layer: d = {bl['grain_size_m'] * UM:.4g} µm (mean equivalent diameter), "
        f"δ = {bl['gb_thickness_m'] * 1e9:.3g} nm{layers}, dense (the network has ρ = "
        f"{payload['structure']['relative_density']:.3f})"
    )
    out.print(
        "  GB share: the fraction of the dissipated power (= of the resistance between the "
        "electrodes) in grain-boundary segments"
    )
    print_notes(out, payload["network"]["notes"])
