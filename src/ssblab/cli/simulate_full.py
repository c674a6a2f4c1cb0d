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
    model: Annotated[str, typer.Option(help="PyBaMM model: SPMe, SPM or DFN.")] = "SPMe",
    output: Annotated[Path | None, typer.Option(help="Write the trace as CSV.")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Simulate a composite-cathode half cell (PyBaMM), then analyse it like a measured cell."""
    from ssblab.cycling.fullcell import fullcell_metrics
    from ssblab.fullcell.halfcell import Degradation, simulate_halfcell
    from ssblab.fullcell.sets import composite_set, experiment_steps
    from ssblab.units import to_si

    output = output_file(output, "--output")
    design = composite_set(set_name)
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
