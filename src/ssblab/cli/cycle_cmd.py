"""``ssblab cycle symmetric|full``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.table import Table

from ssblab.cli.output import console, emit_json, fmt
from ssblab.cycling import figures
from ssblab.cycling.data import CyclingData
from ssblab.cycling.symmetric import analyse_symmetric, eis_consistency
from ssblab.errors import SsblabInputError
from ssblab.units import to_si

app = typer.Typer(no_args_is_help=True, help="Cycling: symmetric cells and full cells.")
JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
PlotOpt = Annotated[Path | None, typer.Option("--plot", help="Folder for figures.")]


def load(path: Path, file_format: str | None = None) -> CyclingData:
    from ssblab.io.cycling import read_cycling

    return read_cycling(path, format=file_format)


def electrode_area(data: CyclingData, area, diameter, current_density) -> tuple[float, list[str]]:
    """Area from --area/--diameter, or from the current and --current-density."""
    notes: list[str] = []
    if area is not None and diameter is not None:
        raise SsblabInputError("give --area or --diameter, not both")
    if area is not None:
        area_m2 = to_si(area, "m^2", "--area")
    elif diameter is not None:
        area_m2 = np.pi * to_si(diameter, "m", "--diameter") ** 2 / 4
    else:
        area_m2 = None
    if area_m2 is not None and not area_m2 > 0:
        raise SsblabInputError(f"--area must be positive, got {area_m2} m^2")
    current = np.abs(data.table["current_A"].to_numpy())
    working = current[current > 1e-3 * current.max()]
    if current_density is not None:
        j = to_si(current_density, "A/m^2", "--current-density")
        if not j > 0:
            raise SsblabInputError("--current-density must be positive")
        implied = float(np.median(working)) / j
        if area_m2 is None:
            area_m2 = implied
            notes.append(
                f"area {area_m2 * 1e4:.4g} cm^2 implied by the current and --current-density"
            )
        elif abs(implied / area_m2 - 1) > 0.05:
            notes.append(
                f"--current-density implies {implied * 1e4:.4g} cm^2, not the {area_m2 * 1e4:.4g} "
                "cm^2 given: the file's currents were used"
            )
    if area_m2 is None:
        raise SsblabInputError("give the electrode --area or --diameter (or --current-density)")
    return area_m2, notes


@app.command("symmetric")
def symmetric_cmd(
    file: Annotated[Path, typer.Argument(help="Cycler file (format auto-detected).")],
    area: Annotated[str | None, typer.Option(help='Electrode area, e.g. "1.13 cm^2".')] = None,
    diameter: Annotated[str | None, typer.Option(help='Electrode diameter, e.g. "12 mm".')] = None,
    current_density: Annotated[
        str | None, typer.Option(help='Nominal current density, e.g. "1 mA/cm^2".')
    ] = None,
    eis: Annotated[Path | None, typer.Option(help="Impedance file of the same cell.")] = None,
    file_format: Annotated[str | None, typer.Option("--format", help="Force a reader.")] = None,
    plot: PlotOpt = None,
    json_output: JsonFlag = False,
) -> None:
    """Overpotential and ASR per half-cycle, drift, short circuit, CCD (staircases)."""
    data = load(file, file_format)
    area_m2, notes = electrode_area(data, area, diameter, current_density)
    result = analyse_symmetric(data, area_m2)
    payload = {"file": str(file), **result.to_dict(), "reader_notes": list(data.notes)}
    payload["notes"] = [*payload["notes"], *notes]
    if eis is not None:
        from ssblab.cli.eis_cmd import load_spectra
        from ssblab.impedance.suggest import suggest_circuit

        spectrum = load_spectra([eis])[0]
        fitted = suggest_circuit(
            spectrum.frequency_hz, spectrum.impedance_ohm, cell="symmetric"
        ).fit
        total = sum(v for n, v in fitted.parameter_dict().items() if n.startswith("R"))
        payload["eis"] = {
            "file": str(eis),
            "circuit": fitted.circuit,
            "total_resistance_ohm": total,
            **eis_consistency(result, total),
        }
    if plot:
        stem = Path(file).stem
        payload["figures"] = [
            str(figures.voltage_time(data.table, result, plot / f"{stem}_voltage.png", title=stem)),
            str(figures.asr_time(result, plot / f"{stem}_asr.png", title=stem)),
        ]
    if json_output:
        emit_json(payload)
        return
    out = console()
    hc = result.half_cycles
    out.print(f"[bold]{file}[/bold]: {len(hc)} half-cycles, electrode area {area_m2 * 1e4:.4g} cm²")
    table = Table(title="half-cycles (first 5, last 5)")
    for column in ("#", "kind", "start (h)", "J (mA/cm²)", "η (V)", "ASR (Ω cm²)"):
        table.add_column(column, justify="right")
    shown = hc if len(hc) <= 10 else hc.iloc[np.r_[0:5, len(hc) - 5 : len(hc)]]
    for row in shown.itertuples():
        table.add_row(
            str(row.index),
            row.kind,
            f"{row.start_h:.2f}",
            fmt(row.current_density_A_m2 / 10),
            fmt(row.overpotential_V),
            fmt(row.asr_ohm_m2 * 1e4),
        )
    out.print(table)
    if result.asr_slope_ohm_m2_per_h is not None:
        out.print(
            f"  ASR {fmt(result.asr_initial_ohm_m2 * 1e4)} Ω cm² at start, drift "
            f"{fmt(result.asr_slope_ohm_m2_per_h * 1e4)} Ω cm²/h"
        )
    short = result.short
    if short.detected:
        out.print(
            f"  [red]short circuit ({short.kind})[/red] at {short.time_h:.2f} h, "
            f"confidence {short.confidence:.2f}: {short.evidence}"
        )
    else:
        out.print(f"  [green]no short circuit[/green] over {hc['end_h'].max():.1f} h")
    if result.critical_current is not None:
        out.print(f"  critical current density: {result.critical_current.evidence}")
    if "eis" in payload:
        e = payload["eis"]
        out.print(
            f"  EIS ({e['circuit']}): {fmt(e['eis_asr_ohm_cm2'])} Ω cm² vs η/J "
            f"{fmt(e['cycling_asr_ohm_cm2'])} Ω cm² (ratio {e['ratio']:.2f})"
        )
    for note in payload["notes"] + payload["reader_notes"]:
        out.print(f"  note: {note}")
    for figure in payload.get("figures", []):
        out.print(f"  wrote {figure}")
