"""``ssblab micro build|dc|eis|risk``: grain-boundary-resolved transport in polycrystals.

Every command builds a polycrystal from the same options (``--grains`` cells of mean equivalent
diameter ``--grain-size`` in a box of side ratios ``--aspect``; axis 0 runs between the two
electrodes unless ``--axis`` says otherwise), then

* ``build``  prints the structure's summary, optionally writes it as VTK and draws a section;
* ``dc``     effective ionic and electronic conductivity, GB share of the resistance, current
  focusing at the electrode contacts, against the brick-layer closed form;
* ``eis``    the simulated ionic impedance spectrum, written as a CSV that ``ssblab eis`` reads;
* ``risk``   internal Li deposition under current (``micro.deposition``): f_dep, where it
  happens (GB face nodes vs grains), the onset current density of a sweep, a risk map.

numpy, scipy, matplotlib and ``ssblab.micro`` load inside the commands, not at start-up. Bad
input exits 2 with one line; a carrier that does not percolate is a result (σ = 0, exit 0).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from ssblab.cli.eis_inputs import MAX_TEMPERATURE_K
from ssblab.cli.output import console, emit_json, fmt, progress_bar
from ssblab.cli.paths import FIGURE_SUFFIXES, output_file
from ssblab.errors import SsblabInputError, UnitError
from ssblab.units import bounded_si

app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Polycrystal microstructures: build, DC conductivity, impedance, Li-deposition risk.",
)

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
# options → structure, materials


@dataclass(frozen=True)
class _Structure:
    grains: int
    grain_size: str
    dim: int
    size_cv: float
    density: float
    pore_size_ratio: float
    neck: float
    aspect: str
    seed: int


def _si(value: str, unit: str, option: str, *, low: float, high: float) -> float:
    """:func:`~ssblab.units.bounded_si` with the option named in every message."""
    try:
        return bounded_si(value, unit, option, low=low, high=high)
    except UnitError as exc:
        if option in str(exc):
            raise
        raise UnitError(f"{option} {value!r}: {exc}") from None


def kelvin(value: str, option: str) -> float:
    return _si(value, "K", option, low=0.0, high=MAX_TEMPERATURE_K)


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


def _spec(s: _Structure):
    """The PolycrystalSpec of the options, each checked with the option's name."""
    from ssblab.micro.structure import PolycrystalSpec

    if s.dim not in (2, 3):
        raise SsblabInputError(f"--dim must be 2 or 3, got {s.dim}")
    if not 8 <= s.grains <= 5_000_000:
        raise SsblabInputError(f"--grains must be in [8, 5000000], got {s.grains}")
    size = _si(s.grain_size, "m", "--grain-size", low=0.0, high=5e-3)
    checks = (
        ("--size-cv", s.size_cv, 0.0, 2.0, True),
        ("--density", s.density, 0.3, 1.0, True),
        ("--pore-size-ratio", s.pore_size_ratio, 0.2, 1.0, True),
        ("--neck", s.neck, 0.0, 1.0, False),
    )
    for option, value, low, high, closed in checks:
        ok = (low <= value if closed else low < value) and value <= high
        if not ok:
            bracket = "[" if closed else "("
            raise SsblabInputError(f"{option} must be in {bracket}{low:g}, {high:g}], got {value}")
    if s.seed < 0:
        raise SsblabInputError(f"--seed must be >= 0, got {s.seed}")
    return PolycrystalSpec(
        n_grains=s.grains,
        mean_grain_size_m=size,
        dimension=s.dim,
        grain_size_cv=s.size_cv,
        relative_density=s.density,
        pore_size_ratio=s.pore_size_ratio,
        neck_fraction=s.neck,
        box_aspect=_aspect(s.aspect, s.dim),
        seed=s.seed,
    )


def _materials(name: str):
    from ssblab.micro.presets import PRESETS, materials

    if name not in PRESETS:
        raise SsblabInputError(f"--material {name!r}: use one of {', '.join(PRESETS)}")
    return materials(name), PRESETS[name]


def _axis(axis: int, dim: int) -> int:
    if axis not in range(dim):
        raise SsblabInputError(f"--axis must be in 0..{dim - 1} for a {dim}-D structure")
    return axis


def _build(spec, bar):
    from ssblab.micro.structure import build_polycrystal

    bar.update(description=f"building a {spec.dimension}-D polycrystal of {spec.n_grains} cells")
    return build_polycrystal(spec)


def _network(crystal, materials, bar, **options):
    from ssblab.micro.build import build_network

    bar.update(description="building the transport network")
    return build_network(crystal, materials, **options)


@contextmanager
def _solving(context: str) -> Iterator[None]:
    """Run a solve with floating-point warnings off (trial Newton states may overflow; the
    solvers check their results) and the option in front of a solver's error message."""
    import numpy as np

    from ssblab.errors import MicrostructureError

    try:
        with np.errstate(all="ignore"):
            yield
    except MicrostructureError as exc:
        raise MicrostructureError(f"{context}: {' '.join(str(exc).split())}") from None


def _split_list(text: str, option: str, convert: Callable[[str], float]) -> list[float]:
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


def _current(text: str, option: str) -> float:
    return _si(text, "A/m^2", option, low=0.0, high=MAX_CURRENT_A_M2)


def _frequency(text: str, option: str) -> float:
    return _si(text, "Hz", option, low=0.0, high=1e13)


def _structure_line(summary: dict, materials_name: str | None = None) -> str:
    box = " × ".join(f"{b * UM:.4g}" for b in summary["box_m"])
    text = (
        f"{summary['dimension']}-D polycrystal: {summary['grains']} grains + "
        f"{summary['pores']} pores, d = {summary['mean_grain_size_m'] * UM:.4g} µm, "
        f"ρ = {summary['relative_density']:.3f}, box {box} µm"
    )
    return text + (f"; {materials_name}" if materials_name else "")


def _network_info(network) -> dict:
    return {
        "nodes": network.n_nodes,
        "edges": network.n_edges,
        "gb_face_nodes": int((network.node_kind == 1).sum()),
        "gb_network": bool((network.node_kind == 1).any()),
        "electrode_separation_m": network.length_m,
        "electrode_area_m2": network.area_m2,
        "notes": list(network.notes),
    }


def _network_line(info: dict) -> str:
    gb = f"with {info['gb_face_nodes']} GB face nodes" if info["gb_network"] else "grain nodes"
    return f"network: {info['nodes']} nodes ({gb}), {info['edges']} edges"


def _celsius(kelvin_value: float) -> str:
    return f"{kelvin_value - 273.15:.4g} °C"


def _print_written(out, payload: dict) -> None:
    for key in ("vtk", "output", "figure"):
        item = payload.get(key)
        if isinstance(item, dict):
            out.print(f"  wrote {item['path']}: {item['content']}")
        elif item:
            out.print(f"  wrote {item}")


# --------------------------------------------------------------------------------------------
# build


@app.command("build")
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
            help="Write VTK (.vtu/.vtk): 2-D cells as polygons; 3-D sites and GB face "
            "centroids as points, with grain id, pore flag, volume, GB area.",
        ),
    ] = None,
    plot: PlotFile = None,
    json_output: JsonFlag = False,
) -> None:
    """Build a polycrystal and print its summary (2-D cells or a 3-D mid-depth section with
    --plot)."""
    from ssblab.micro.export import VTK_SUFFIXES

    spec = _spec(_Structure(grains, grain_size, dim, size_cv, density, pore_size_ratio, neck,
                            aspect, seed))  # fmt: skip
    vtk = output_file(vtk, "--vtk", VTK_SUFFIXES)
    plot = output_file(plot, "--plot", FIGURE_SUFFIXES)
    with progress_bar("building", None) as bar:
        crystal = _build(spec, bar)
        payload: dict[str, Any] = {"structure": crystal.summary()}
        if vtk is not None:
            from ssblab.micro.export import write_vtk

            bar.update(description="writing VTK")
            payload["vtk"] = write_vtk(crystal, vtk)
        if plot is not None:
            from ssblab.micro import figures

            bar.update(description="drawing")
            payload["figure"] = str(figures.structure_slice(crystal, plot))
    if json_output:
        emit_json(payload)
        return
    out = console()
    out.print(_summary_table(payload["structure"]))
    _print_written(out, payload)


def _summary_table(summary: dict):
    from rich.table import Table

    table = Table(title=f"{summary['dimension']}-D polycrystal (seed {summary['seed']})")
    table.add_column("quantity")
    table.add_column("value", justify="right")
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
    for row in rows:
        table.add_row(*row)
    return table


# --------------------------------------------------------------------------------------------
# dc


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


@app.command("dc")
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
    spec = _spec(_Structure(grains, grain_size, dim, size_cv, density, pore_size_ratio, neck,
                            aspect, seed))  # fmt: skip
    materials, description = _materials(material)
    temperature_k = kelvin(temperature, "--temperature")
    axis = _axis(axis, dim)
    from ssblab.micro.solve import solve_dc

    with progress_bar("building", None) as bar:
        crystal = _build(spec, bar)
        network = _network(crystal, materials, bar, axis=axis)
        results = {}
        for carrier, sigma in (
            ("ion", network.sigma_ion_at(temperature_k)),
            ("electron", network.sigma_e_at(temperature_k)),
        ):
            bar.update(description=f"solving ({carrier}s)")
            with _solving(f"DC solve ({carrier}s)"):
                result = solve_dc(network, sigma)
            results[carrier] = (result, phase_shares(network, sigma, result))
    closed = brick_layer(materials, temperature_k, crystal.mean_grain_size_m, dim, network.length_m)
    gb_name = materials.gb.name
    interface_name = materials.interface.name if materials.interface is not None else None
    payload: dict[str, Any] = {
        "structure": crystal.summary(),
        "material": material,
        "material_description": description,
        "temperature_k": temperature_k,
        "axis": axis,
        "network": _network_info(network),
    }
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
    if json_output:
        emit_json(payload)
        return
    _print_dc(payload)


def _print_dc(payload: dict) -> None:
    from rich.table import Table

    out = console()
    temperature_k = payload["temperature_k"]
    out.print(_structure_line(payload["structure"], payload["material"]))
    out.print(
        f"T = {_celsius(temperature_k)} ({temperature_k:.2f} K), electrodes normal to axis "
        f"{payload['axis']}; {_network_line(payload['network'])}"
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
    for note in payload["network"]["notes"]:
        out.print(f"  note: {note}")


# --------------------------------------------------------------------------------------------
# eis


@app.command("eis")
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

    spec = _spec(_Structure(grains, grain_size, dim, size_cv, density, pore_size_ratio, neck,
                            aspect, seed))  # fmt: skip
    materials, description = _materials(material)
    temperature_k = kelvin(temperature, "--temperature")
    axis = _axis(axis, dim)
    f_low, f_high = _frequency(freq_min, "--freq-min"), _frequency(freq_max, "--freq-max")
    if not f_low < f_high:
        raise SsblabInputError(f"--freq-min {freq_min!r} must be below --freq-max {freq_max!r}")
    if not 2 <= points <= 2000:
        raise SsblabInputError(f"--points must be in [2, 2000], got {points}")
    output = output_file(output, "--output", (".csv",))
    plot = output_file(plot, "--plot", FIGURE_SUFFIXES)
    from ssblab.micro.solve import microstructure_spectrum, solve_dc

    frequencies = np.logspace(np.log10(f_low), np.log10(f_high), points)
    label = f"micro {dim}-D {material} {_celsius(temperature_k)}"
    with progress_bar("building", None) as bar:
        crystal = _build(spec, bar)
        network = _network(crystal, materials, bar, axis=axis)
        sigma = network.sigma_ion_at(temperature_k)
        bar.update(description="DC solve")
        with _solving("DC solve"):
            dc = solve_dc(network, sigma)
    with progress_bar("impedance", points) as bar, _solving("impedance solve"):
        spectrum = microstructure_spectrum(
            network, sigma, frequencies, label=label, progress=lambda done: bar.update(done)
        )
    f, z = spectrum.frequency_hz, spectrum.impedance_ohm
    length, area = network.length_m, network.area_m2
    r_dc = 1.0 / dc.current_a_per_v if dc.percolates else None
    low = int(np.argmin(f))
    payload: dict[str, Any] = {
        "structure": crystal.summary(),
        "material": material,
        "material_description": description,
        "temperature_k": temperature_k,
        "axis": axis,
        "network": _network_info(network),
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
    if output is not None:
        _write_spectrum_csv(output, f, z)
        payload["output"] = str(output)
    if plot is not None:
        from ssblab.micro import figures

        depth = " (2-D: per 1 m depth)" if dim == 2 else ""
        payload["figure"] = str(figures.nyquist(spectrum, plot, title=label + depth))
    if json_output:
        emit_json(payload)
        return
    _print_eis(payload)


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
    out.print(_structure_line(payload["structure"], payload["material"]))
    out.print(
        f"T = {_celsius(temperature_k)} ({temperature_k:.2f} K); "
        f"{_network_line(payload['network'])}; solver {payload['solver']}"
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
    for note in payload["network"]["notes"]:
        out.print(f"  note: {note}")
    _print_written(out, payload)


# --------------------------------------------------------------------------------------------
# risk


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


@app.command("risk")
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
    spec = _spec(_Structure(grains, grain_size, dim, size_cv, density, pore_size_ratio, neck,
                            aspect, seed))  # fmt: skip
    materials, description = _materials(material)
    if current is not None and currents is not None:
        raise SsblabInputError("give --current (one solve) or --currents (a sweep), not both")
    if temperatures is not None and currents is None:
        raise SsblabInputError("--temperatures goes with --currents (a sweep); else --temperature")
    if currents is not None:
        j_values = sorted(
            set(_split_list(currents, "--currents", lambda p: _current(p, "--currents")))
        )
        if temperatures is not None:
            t_values = _split_list(
                temperatures, "--temperatures", lambda p: kelvin(p, "--temperatures")
            )
        else:
            t_values = [kelvin(temperature, "--temperature")]
    else:
        j_values = [_current(current or "1 mA/cm^2", "--current")]
        t_values = [kelvin(temperature, "--temperature")]
    if not 0 < threshold < 1:
        raise SsblabInputError(f"--threshold must be in (0, 1), got {threshold}")
    plot = output_file(plot, "--plot", FIGURE_SUFFIXES)
    from ssblab.micro.deposition import deposition_onset, solve_deposition

    with progress_bar("building", None) as bar:
        crystal = _build(spec, bar)
        network = _network(crystal, materials, bar, gb_network=True)
    payload: dict[str, Any] = {
        "structure": crystal.summary(),
        "material": material,
        "material_description": description,
        "network": _network_info(network),
    }
    result = None
    if currents is None:
        j, t = j_values[0], t_values[0]
        with progress_bar("deposition solve", None), _solving(f"--current {j / 10:g} mA/cm^2"):
            result = solve_deposition(network, j, t)
        payload["mode"] = "single"
        payload.update(deposition_summary(network, result))
    else:
        onsets = []
        with progress_bar("onset sweep", len(t_values) * len(j_values)) as bar:
            for k, t in enumerate(t_values):
                with _solving(f"--currents sweep at {_celsius(t)}"):
                    onsets.append(deposition_onset(network, [t], j_values, threshold=threshold))
                bar.update((k + 1) * len(j_values))
        payload["mode"] = "sweep"
        payload.update(_onset_payload(onsets, threshold))
        if plot is not None:  # the map at the sweep's highest current, first temperature
            j, t = j_values[-1], t_values[0]
            with (
                progress_bar("deposition solve", None),
                _solving(f"risk map at {j / 10:g} mA/cm^2"),
            ):
                result = solve_deposition(network, j, t)
            payload["map"] = {"current_density_a_per_m2": j, "temperature_k": t}
    if plot is not None and result is not None:
        from ssblab.micro import figures

        payload["figure"] = str(figures.risk_map(crystal, network, result, plot))
    if json_output:
        emit_json(payload)
        return
    if payload["mode"] == "single":
        _print_risk(payload)
    else:
        _print_onset(payload)


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


def _print_risk(payload: dict) -> None:
    from rich.table import Table

    out = console()
    out.print(_structure_line(payload["structure"], payload["material"]))
    out.print(_network_line(payload["network"]))
    j, t = payload["current_density_a_per_m2"], payload["temperature_k"]
    table = Table(title=f"Li deposition at J = {fmt(j / 10)} mA/cm², T = {_celsius(t)}")
    table.add_column("quantity")
    table.add_column("value", justify="right")
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
    for row in rows:
        table.add_row(*row)
    out.print(table)
    for note in (*payload["notes"], *payload["network"]["notes"]):
        out.print(f"  note: {note}")
    _print_written(out, payload)


def _print_onset(payload: dict) -> None:
    import math

    from rich.table import Table

    out = console()
    out.print(_structure_line(payload["structure"], payload["material"]))
    out.print(_network_line(payload["network"]))
    temps = payload["temperatures_k"]
    table = Table(title=f"f_dep vs current density (onset: f_dep > {payload['threshold']:g})")
    table.add_column("J (mA/cm²)", justify="right")
    for t in temps:
        table.add_column(f"f_dep at {_celsius(t)}", justify="right")
    for k, j in enumerate(payload["current_densities_a_per_m2"]):
        table.add_row(fmt(j / 10), *(fmt(row[k]) for row in payload["deposition_fraction"]))
    out.print(table)
    low = payload["current_densities_a_per_m2"][0] / 10
    high = payload["current_densities_a_per_m2"][-1] / 10
    for item in payload["onset"]:
        onset = item["onset_current_density_ma_per_cm2"]
        where = _celsius(item["temperature_k"])
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
            f"T = {_celsius(m['temperature_k'])}"
        )
    for note in payload["network"]["notes"]:
        out.print(f"  note: {note}")
    _print_written(out, payload)
