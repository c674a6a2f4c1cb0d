"""``ssblab simulate full``: a Li | SSE | cathode half cell on PyBaMM, analysed as if measured."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ssblab.cli.output import console, emit_json, fmt, progress_bar
from ssblab.cli.paths import output_file
from ssblab.errors import SsblabInputError


def full_cmd(
    set_name: Annotated[
        str, typer.Option("--set", help="Full-cell design, e.g. nmc811_llzto_bare.")
    ],
    protocol: Annotated[
        str | None, typer.Option(help="Named protocol: seed000 (0.5 C) or seed000-1c.")
    ] = None,
    experiment: Annotated[
        str | None,
        typer.Option(
            help='One cycle as PyBaMM steps, e.g. "Charge at 1C until 4.3 V; '
            'Discharge at 1C until 2.7 V".'
        ),
    ] = None,
    cycles: Annotated[int, typer.Option(help="Cycles (after formation for --protocol).")] = 50,
    asr_growth: Annotated[
        str, typer.Option(help='Interfacial ASR growth rate, e.g. "20 ohm*cm^2/h".')
    ] = "0 ohm*cm^2/h",
    lam: Annotated[
        float, typer.Option(help="Loss of active material per cycle (fraction, e.g. 0.015).")
    ] = 0.0,
    growth_per_cycle: Annotated[
        float,
        typer.Option(
            help="Thin-film sets: relative ASR growth per cycle, ASR_n = ASR_1(1+g(n-1))."
        ),
    ] = 0.0,
    utilisation: Annotated[
        float | None,
        typer.Option(help="Composite sets: connected fraction of the cast (default: the set's)."),
    ] = None,
    model: Annotated[str, typer.Option(help="PyBaMM model: SPMe, SPM or DFN.")] = "SPMe",
    output: Annotated[Path | None, typer.Option(help="Write the trace as CSV.")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Simulate a Li | SSE | cathode half cell — composite cathodes on PyBaMM (seed 000 sets),
    planar thin films on ssblab.fullcell.thinfilm (seed 002 sets) — then analyse it like a
    measured cell (the numbers of ssblab cycle full)."""
    from ssblab.cycling.fullcell import fullcell_metrics
    from ssblab.fullcell.halfcell import Degradation, simulate_halfcell
    from ssblab.fullcell.sets import composite_set, experiment_steps, is_thin_film
    from ssblab.units import to_si

    output = output_file(output, "--output")
    if is_thin_film(set_name):
        _thin_film(set_name, protocol, experiment, cycles, growth_per_cycle, lam, output,
                   json_output)  # fmt: skip
        return
    if growth_per_cycle:
        raise SsblabInputError("--growth-per-cycle is for thin-film sets; use --asr-growth")
    design = composite_set(set_name)
    if utilisation is not None:
        from dataclasses import replace

        design = replace(design, utilisation=utilisation)
    steps = experiment_steps(protocol, experiment, cycles)
    growth = to_si(asr_growth, "ohm*m^2/s", "--asr-growth") * 3600.0  # Ω m² per hour
    degradation = Degradation(asr_growth_ohm_m2=growth, lam_fraction_per_cycle=lam)
    if model not in ("SPMe", "SPM", "DFN"):
        raise SsblabInputError(f"--model must be SPMe, SPM or DFN, got {model!r}")
    with progress_bar(f"simulating {set_name} ({model})", len(steps)) as bar:
        result = simulate_halfcell(
            design, steps, degradation, model=model, progress=lambda done, _: bar.update(done)
        )
    analysis = fullcell_metrics(
        result.data,
        active_mass_g=design.active_mass_kg * 1e3,
        nominal_specific_capacity_mAh_g=design.specific_capacity_1c_mAh_g,
    )
    payload = {
        "set": set_name,
        "simulation": result.to_dict(),
        "lithium_balance_relative": result.lithium_residual_mol / result.lithium_cycled_mol,
        "analysis": analysis.to_dict(),
    }
    if output is not None:
        result.data.table.to_csv(output, index=False)
        payload["output"] = str(output)
    if json_output:
        emit_json(payload)
        return
    out = console()
    specific = result.specific_discharge_mAh_g
    out.print(
        f"[bold]{set_name}[/bold] ({model}): {len(result.cycles)} cycles, "
        f"{fmt(result.data.table['time_s'].iloc[-1] / 3600)} h; 1 C = "
        f"{fmt(design.nominal_capacity_Ah * 1e3)} mAh; series ASR at start "
        f"{fmt(design.series_asr_ohm_m2 * 1e4)} ohm cm2 (SSE {fmt(design.sse_asr_ohm_m2 * 1e4)})"
    )
    for c in result.cycles:
        if c.cycle in (1, 2, 3, 10, len(result.cycles)) or c.cycle % 25 == 0:
            out.print(
                f"  cycle {c.cycle}: discharge {fmt(specific[c.cycle - 1])} mAh/g, CE "
                f"{fmt(100 * c.coulombic_efficiency)} %, mean discharge "
                f"{fmt(c.mean_discharge_voltage_V)} V, series ASR "
                f"{fmt(c.series_asr_ohm_m2 * 1e4)} ohm cm2, active {fmt(100 * c.active_fraction)} %"
            )
    out.print(f"  Li balance: residual {fmt(payload['lithium_balance_relative'])} of the Li cycled")
    if analysis.retention_percent is not None:
        out.print(
            f"  analysis (as ssblab cycle full): retention {fmt(analysis.retention_percent)} % "
            f"of cycle {analysis.reference_cycle} at cycle {analysis.last_cycle} (formation "
            f"cycles {list(analysis.formation_cycles)})"
        )
    if "output" in payload:
        out.print(f"  wrote {payload['output']}")


def _thin_film(set_name, protocol, experiment, cycles, growth, lam, output, json_output) -> None:
    from ssblab.cycling.fullcell import fullcell_metrics
    from ssblab.fullcell import thinfilm as tf
    from ssblab.fullcell.sets import thin_film_protocol, thin_film_set, thin_film_steps

    if cycles < 1:
        raise SsblabInputError(f"--cycles must be >= 1, got {cycles}")
    if (protocol is None) == (experiment is None):
        raise SsblabInputError("give --protocol or --experiment (one of them)")
    if protocol is not None:
        strings = thin_film_protocol(protocol, cycles)
    else:
        one = [part.strip() for part in experiment.split(";") if part.strip()]
        if not one:
            raise SsblabInputError("--experiment is empty")
        strings = one * cycles
    steps = thin_film_steps(strings)
    cell = thin_film_set(set_name)
    degradation = tf.Degradation(asr_growth=growth, lam_per_cycle=lam)
    with progress_bar(f"simulating {set_name} (thin film)", 1) as bar:
        data = tf.simulate_protocol(cell, steps, degradation)
        bar.update(1)
    analysis = fullcell_metrics(data, nominal_capacity_mAh=cell.capacity_Ah * 1e3)
    balance = tf.lithium_balance_error(data)
    payload = {
        "set": set_name,
        "model": data.metadata["model"],
        "cell": data.metadata["cell"],
        "steps": len(steps),
        "lithium_balance_relative": balance,
        "analysis": analysis.to_dict(),
    }
    if output is not None:
        data.table.to_csv(output, index=False)
        payload["output"] = str(output)
    if json_output:
        emit_json(payload)
        return
    out = console()
    out.print(
        f"[bold]{set_name}[/bold] (planar thin film): {len(steps)} steps, "
        f"{fmt(data.table['time_s'].iloc[-1] / 3600)} h; 1 C = {fmt(cell.capacity_Ah * 1e6)} µAh; "
        f"interface ASR {fmt(cell.interface_asr_ohm_m2 * 1e4)} ohm cm2 (fitted on seed 002's "
        "30 C ratio)"
    )
    discharges = [s for s in data.metadata["steps"] if s["kind"] == "discharge"]
    first = discharges[0]["capacity_Ah"] if discharges else float("nan")
    for k, step in enumerate(discharges, start=1):
        if k in (1, 2, len(discharges)) or k % 50 == 0 or len(discharges) <= 12:
            out.print(
                f"  discharge {k}: {fmt(step['capacity_Ah'] * 1e6)} µAh "
                f"({fmt(100 * step['capacity_Ah'] / first)} % of the first), "
                f"{fmt(abs(step['current_A']) * 1e6)} µA"
            )
    out.print(f"  Li balance: residual {fmt(balance)} of the film's Li")
    if "output" in payload:
        out.print(f"  wrote {payload['output']}")
