"""``ssblab simulate symmetric``: simulate a Li | (coating) | SSE | (coating) | Li cell."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ssblab.cli.output import console, emit_json, fmt, progress_bar
from ssblab.cli.paths import figure_folder, output_file
from ssblab.errors import SsblabInputError

app = typer.Typer(
    no_args_is_help=True, rich_markup_mode=None, help="Simulate cells from named parameter sets."
)


def _step(text: str, j: float) -> dict:
    """--step as a time ("1 h") or an areal capacity ("0.01 mAh/cm^2")."""
    from ssblab.units import parse_quantity, to_si

    quantity = parse_quantity(text)
    if quantity.check("[time]"):
        return {"step_time_s": to_si(quantity, "s", "--step")}
    if quantity.check("[current] * [time] / [length] ** 2"):
        return {"step_time_s": to_si(quantity, "C/m^2", "--step") / j}
    raise SsblabInputError(f"--step {text!r}: give a time (1 h) or a capacity (0.01 mAh/cm^2)")


def _densities(text: str) -> list[float]:
    """ "0.1,0.2,0.5 mA/cm^2" -> A/m² values (unit after the last number applies to all)."""
    from ssblab.units import parse_quantity, to_si

    *numbers, last = [part.strip() for part in text.split(",")]
    unit = parse_quantity(last).units
    out = [to_si(f"{n} {unit}", "A/m^2", "--staircase") for n in numbers]
    return [*out, to_si(last, "A/m^2", "--staircase")]


@app.command("symmetric")
def symmetric_cmd(
    set_name: Annotated[str, typer.Option("--set", help="Parameter set, e.g. latp_bare.")],
    current_density: Annotated[
        str | None, typer.Option(help='Current density, e.g. "0.01 mA/cm^2".')
    ] = None,
    step: Annotated[str, typer.Option(help='Step time ("1 h") or capacity.')] = "1 h",
    cycles: Annotated[int, typer.Option(help="Cycles (per level for --staircase).")] = 10,
    staircase: Annotated[
        str | None, typer.Option(help='CCD staircase, e.g. "0.1,0.2,0.4 mA/cm^2".')
    ] = None,
    ald_cycles: Annotated[int | None, typer.Option(help="ALD cycles of the coating.")] = None,
    area: Annotated[str | None, typer.Option(help='Electrode area, e.g. "1 cm^2".')] = None,
    set_param: Annotated[
        list[str] | None, typer.Option("--set-param", help='key=value, e.g. "sse_thickness=1 mm".')
    ] = None,
    sample: Annotated[str, typer.Option(help='Sample interval, e.g. "60 s".')] = "60 s",
    output: Annotated[Path | None, typer.Option(help="Write the trace as CSV.")] = None,
    plot: Annotated[Path | None, typer.Option("--plot", help="Folder for figures.")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    microstructure: Annotated[
        str | None,
        typer.Option(
            help="Grain-resolved electrolyte (llzto-bare|llzto-annealed|llzto-coated): its "
            "σ_total and f_dep(j) replace the set's lumped σ_ion and σ_e."
        ),
    ] = None,
    nucleation: Annotated[
        str,
        typer.Option(help='Nucleation overpotential for --microstructure, e.g. "20 mV".'),
    ] = "0 mV",
) -> None:
    """Simulate galvanostatic cycling, then analyse the trace like a measured one."""
    from ssblab.cycling.symmetric import analyse_symmetric
    from ssblab.models.parameter_schema import parameter_set, parse_assignment, with_overrides
    from ssblab.models.simulator import (
        constant_current_protocol,
        simulate_symmetric,
        staircase_protocol,
    )
    from ssblab.units import to_si

    output = output_file(output, "--output")
    plot = figure_folder(plot)
    raw, params = parameter_set(set_name)
    overrides = dict(parse_assignment(item) for item in (set_param or []))
    if ald_cycles is not None:
        if ald_cycles < 0:
            raise SsblabInputError(f"--ald-cycles must be >= 0, got {ald_cycles}")
        overrides["ald_cycles"] = str(ald_cycles)
        if ald_cycles > 0 and params.coating == "none" and "coating" not in overrides:
            overrides["coating"] = "Al2O3"  # ALD cycles on an uncoated set: the ALD material
    if area is not None:
        overrides["area"] = area
    params = with_overrides(params, overrides)
    if cycles < 1:
        raise SsblabInputError(f"--cycles must be >= 1, got {cycles}")
    if staircase is not None:
        levels = _densities(staircase)
        timing = _step(step, levels[0])
        if "step_time_s" not in timing:
            raise SsblabInputError("--step must be a time for --staircase")
        protocol = staircase_protocol(levels, cycles, timing["step_time_s"])
    else:
        if current_density is None:
            raise SsblabInputError("give --current-density (or --staircase)")
        j = to_si(current_density, "A/m^2", "--current-density")
        if not j > 0:
            raise SsblabInputError(f"--current-density must be > 0, got {current_density!r}")
        protocol = constant_current_protocol(j, cycles, **_step(step, j))
    sample_s = to_si(sample, "s", "--sample")
    electrolyte, micro_info = None, None
    if microstructure is not None:
        electrolyte, params, micro_info = _microstructure(
            microstructure, params, protocol, to_si(nucleation, "V", "--nucleation"),
            "filament_area_fraction" in overrides,
        )  # fmt: skip
    with progress_bar(f"simulating {set_name}", len(protocol)) as bar:
        result = simulate_symmetric(
            params,
            protocol,
            sample_s=sample_s,
            progress=lambda done, _: bar.update(done),
            electrolyte=electrolyte,
        )
    analysis = analyse_symmetric(result.data, params.area)
    payload = {
        "parameter_set": set_name,
        "simulation": result.to_dict(),
        "parameter_sources": {k: v.model_dump() for k, v in raw.parameters.items()},
        "overrides": overrides,
        "analysis": analysis.to_dict(),
    }
    if micro_info is not None:
        payload["microstructure"] = micro_info
    if output is not None:
        result.data.table.to_csv(output, index=False)
        payload["output"] = str(output)
    if plot is not None:
        from ssblab.cycling import figures

        payload["figures"] = [
            str(
                figures.voltage_time(
                    result.data.table, analysis, plot / f"{set_name}_voltage.png", title=set_name
                )
            ),
            str(figures.asr_time(analysis, plot / f"{set_name}_asr.png", title=set_name)),
        ]
    if json_output:
        emit_json(payload)
        return
    out = console()
    hc = analysis.half_cycles
    out.print(
        f"[bold]{set_name}[/bold]: {len(protocol)} steps, {len(result.history)} samples, "
        f"{result.history['time_s'].iloc[-1] / 3600:.4g} h"
    )
    n_cycles = len(hc) // 2
    for cycle in sorted({1, 10, 100, max(n_cycles, 1)}):
        rows = hc[hc["index"] // 2 == cycle - 1]
        if cycle <= n_cycles and len(rows):
            out.print(
                f"  cycle {cycle}: overpotential {fmt(rows['overpotential_V'].mean())} V, "
                f"ASR {fmt(rows['asr_ohm_m2'].mean() * 1e4)} ohm cm2 "
                f"(J = {fmt(rows['current_density_A_m2'].iloc[0] / 10)} mA/cm2)"
            )
    short = analysis.short
    if result.short_time_h is not None:
        out.print(f"  simulated short circuit at {result.short_time_h:.4g} h")
    if short.detected:
        out.print(f"  analysis: {short.kind} short at {short.time_h:.4g} h ({short.evidence})")
    else:
        out.print("  analysis: no short circuit")
    if analysis.critical_current is not None:
        out.print(f"  critical current density: {analysis.critical_current.evidence}")
    model_ccd = result.critical_current
    if model_ccd is not None:
        limit = "none of the modes limits" if model_ccd.ccd_A_m2 is None else (
            f"{fmt(model_ccd.ccd_A_m2 / 10)} mA/cm2 ({model_ccd.mode})"
        )  # fmt: skip
        out.print(
            f"  model CCD: {limit}; flaw {fmt(model_ccd.flaw_size_m * 1e6)} µm, hold "
            f"{fmt(model_ccd.hold_s / 3600)} h"
        )
        for mode in model_ccd.modes:
            margin = model_ccd.margin(mode.mode)
            value = "-" if mode.ccd_A_m2 is None else f"{fmt(mode.ccd_A_m2 / 10)} mA/cm2"
            extra = "" if margin is None else f" (×{fmt(margin)})"
            out.print(f"    {mode.mode}: {value}{extra} — {mode.detail}")
    if micro_info is not None:
        out.print(
            f"  microstructure {microstructure}: σ_total "
            f"{fmt(micro_info['electrolyte']['sigma_total_s_per_m'] * 1e-2)} S/cm, f_dep "
            + ", ".join(
                f"{fmt(f)} @ {fmt(j / 10)} mA/cm2"
                for j, f in zip(
                    micro_info["electrolyte"]["current_density_a_per_m2"],
                    micro_info["electrolyte"]["deposition_fraction"],
                    strict=True,
                )
            )
        )
        out.print(f"  note: {micro_info['filament_area_fraction_source']}")
    for note in result.notes:
        out.print(f"  note: {note}")
    for item in (payload.get("output"), *payload.get("figures", [])):
        if item:
            out.print(f"  wrote {item}")


def _microstructure(preset, params, protocol, eta_v, phi_given):
    """The MicroElectrolyte of ``preset`` at the set's temperature over the protocol's current
    densities, and the cell with the filament fraction calibrated for the microstructure
    model (seed 000's bare 60 h) unless the user set one."""
    from dataclasses import replace

    from ssblab.micro.cell_coupling import microstructure_electrolyte
    from ssblab.micro.presets import CONTACT_ASR_OHM_M2, PRESETS, materials
    from ssblab.replicate import seed000_micro as micro

    if preset not in PRESETS:
        raise SsblabInputError(f"--microstructure {preset!r}: use one of {', '.join(PRESETS)}")
    if not eta_v >= 0:
        raise SsblabInputError(f"--nucleation must be >= 0 V, got {eta_v}")
    levels = sorted({step.current_density_A_m2 for step in protocol})
    grid = [levels[0] / 3.0, *levels]
    with progress_bar(f"microstructure {preset}", 1) as bar:
        electrolyte = microstructure_electrolyte(
            micro.reference_slab(), materials(preset), params.temperature, grid,
            charge_transfer_asr_ohm_m2=CONTACT_ASR_OHM_M2[preset],
            nucleation_overpotential=eta_v, label=preset,
        )  # fmt: skip
        bar.update(1)
    source = "filament_area_fraction set by --set-param"
    if not phi_given:
        phi = micro.fit_filament_fraction()
        params = replace(params, filament_area_fraction=phi)
        source = (
            f"filament_area_fraction {phi:.4g}: calibrated for the microstructure model on seed "
            "000's bare cell (60 h at 1 mA/cm², s000-sym-bare-lifetime)"
        )
    info = {
        "preset": preset,
        "electrolyte": electrolyte.to_dict(),
        "slab": micro.reference_slab().summary(),
        "filament_area_fraction": params.filament_area_fraction,
        "filament_area_fraction_source": source,
    }
    return electrolyte, params, info


from ssblab.cli.simulate_full import full_cmd  # noqa: E402  (registered after the symmetric command)

app.command("full")(full_cmd)
