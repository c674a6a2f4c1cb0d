"""``ssblab cycle symmetric|full``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ssblab.cli.output import console, emit_json, fmt
from ssblab.errors import SsblabInputError
from ssblab.units import to_si

if TYPE_CHECKING:  # numpy, pandas and the analysis load when a command runs, not at start-up
    from ssblab.cycling.data import CyclingData

app = typer.Typer(
    no_args_is_help=True, rich_markup_mode=None, help="Cycling: symmetric cells and full cells."
)
JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
PlotOpt = Annotated[Path | None, typer.Option("--plot", help="Folder for figures.")]


def load(path: Path, file_format: str | None = None) -> CyclingData:
    from ssblab.io.cycling import read_cycling

    return read_cycling(path, format=file_format)


def electrode_area(data: CyclingData, area, diameter, current_density) -> tuple[float, list[str]]:
    """Area from --area/--diameter, or from the current and --current-density."""
    import numpy as np

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
    voltage_limit: Annotated[
        str | None,
        typer.Option(help='Cycler compliance voltage, e.g. "5 V" (default: auto-detected).'),
    ] = None,
    plot: PlotOpt = None,
    json_output: JsonFlag = False,
) -> None:
    """Overpotential and ASR per half-cycle, drift, short circuit, CCD (staircases)."""
    import numpy as np
    from rich.table import Table

    from ssblab.cycling import figures
    from ssblab.cycling.symmetric import analyse_symmetric, eis_consistency

    data = load(file, file_format)
    area_m2, notes = electrode_area(data, area, diameter, current_density)
    limit = None if voltage_limit is None else to_si(voltage_limit, "V", "--voltage-limit")
    result = analyse_symmetric(data, area_m2, voltage_limit_V=limit)
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
    ccd = result.critical_current
    if ccd is not None:
        colour = {"short": "red", "voltage limit": "yellow"}.get(ccd.mode)
        mode = f" ([{colour}]{ccd.mode}[/{colour}])" if colour else ""
        out.print(f"  critical current density{mode}: {ccd.evidence}")
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


@app.command("full")
def full_cmd(
    file: Annotated[Path, typer.Argument(help="Cycler file (format auto-detected).")],
    mass: Annotated[str | None, typer.Option(help='Active mass, e.g. "3.6 mg".')] = None,
    loading: Annotated[str | None, typer.Option(help='Areal loading, e.g. "1.9 mg/cm^2".')] = None,
    area: Annotated[str | None, typer.Option(help='Electrode area, e.g. "1.13 cm^2".')] = None,
    nominal: Annotated[
        str | None, typer.Option(help='1 C, e.g. "180 mAh/g" or "0.6 mAh" (default: ref cycle).')
    ] = None,
    formation: Annotated[
        int | None, typer.Option(help="Formation cycles (default: detected).")
    ] = None,
    reference_cycle: Annotated[
        int | None, typer.Option(help="Reference cycle for retention.")
    ] = None,
    eol: Annotated[float, typer.Option(help="End-of-life fraction of the reference.")] = 0.8,
    file_format: Annotated[str | None, typer.Option("--format", help="Force a reader.")] = None,
    plot: PlotOpt = None,
    json_output: JsonFlag = False,
) -> None:
    """Capacity, CE, energy and retention per cycle; rate capability; fade model, knee, EOL."""
    import numpy as np

    from ssblab.cycling import figures
    from ssblab.cycling.fade import fade_from_fullcell
    from ssblab.cycling.fullcell import dqdv, fullcell_metrics
    from ssblab.cycling.rate import rate_capability

    data = load(file, file_format)
    mass_g = _active_mass_g(mass, loading, area)
    area_cm2 = None if area is None else to_si(area, "m^2", "--area") * 1e4
    nominal_kwargs = _nominal(nominal)
    result = fullcell_metrics(
        data,
        active_mass_g=mass_g,
        area_cm2=area_cm2,
        formation_cycles=formation,
        reference_cycle=reference_cycle,
        **nominal_kwargs,
    )
    payload = {"file": str(file), **result.to_dict(), "reader_notes": list(data.notes)}
    fade = None
    try:
        fade = fade_from_fullcell(result, eol_fraction=eol)
        payload["fade_model"] = fade.to_dict()
    except SsblabInputError as exc:
        payload["fade_model"] = None
        payload["notes"] = [*payload.get("notes", []), f"no fade model: {exc}"]
    rates = None
    cycling = result.cycles[~result.cycles["formation"].astype(bool)]
    distinct = np.unique(np.round(cycling["c_rate"].dropna(), 2))
    if distinct.size >= 2:  # a rate test, not formation followed by one cycling rate
        try:
            rates = rate_capability(result, cycles=None)
            payload["rate_capability"] = rates.to_dict()
        except SsblabInputError as exc:
            payload["notes"] = [*payload.get("notes", []), f"no rate capability: {exc}"]
    if plot:
        stem = Path(file).stem
        figs = [str(figures.capacity_ce(result, plot / f"{stem}_capacity.png", title=stem))]
        if fade is not None:
            kept = result.cycles[result.cycles["cycle"] >= (result.reference_cycle or 0)]
            kept = kept[kept["discharge_mAh"].notna()]
            figs.append(
                str(
                    figures.fade_plot(
                        kept["cycle"],
                        kept["discharge_mAh"],
                        fade,
                        plot / f"{stem}_fade.png",
                        title=stem,
                    )
                )
            )
        if rates is not None:
            figs.append(str(figures.rate_bars(rates, plot / f"{stem}_rate.png", title=stem)))
        complete = result.cycles[result.cycles["complete"].astype(bool)]["cycle"].tolist()
        if complete:
            chosen = sorted({complete[0], complete[len(complete) // 2], complete[-1]})
            curves = dqdv(data, cycles=chosen, active_mass_g=mass_g)
            figs.append(str(figures.dqdv_plot(curves, plot / f"{stem}_dqdv.png", title=stem)))
        payload["figures"] = figs
    if json_output:
        emit_json(payload)
        return
    _print_full(file, result, fade, rates, payload)


def _active_mass_g(mass, loading, area) -> float | None:
    if mass is not None and loading is not None:
        raise SsblabInputError("give --mass or --loading (with --area), not both")
    if mass is not None:
        value = to_si(mass, "kg", "--mass") * 1e3
    elif loading is not None:
        if area is None:
            raise SsblabInputError("--loading needs --area")
        value = to_si(loading, "kg/m^2", "--loading") * to_si(area, "m^2", "--area") * 1e3
    else:
        return None
    if not value > 0:
        raise SsblabInputError("active mass must be positive")
    return value


def _nominal(nominal: str | None) -> dict:
    if nominal is None:
        return {}
    from ssblab.units import parse_quantity

    quantity = parse_quantity(nominal)
    if quantity.check("[current] * [time] / [mass]"):
        return {"nominal_specific_capacity_mAh_g": float(quantity.to("mAh/g").magnitude)}
    if quantity.check("[current] * [time]"):
        return {"nominal_capacity_mAh": float(quantity.to("mAh").magnitude)}
    raise SsblabInputError(
        f"--nominal {nominal!r}: give a capacity (mAh) or specific capacity (mAh/g)"
    )


def _print_full(file, result, fade, rates, payload) -> None:
    import numpy as np
    from rich.table import Table

    out = console()
    cycles = result.cycles
    out.print(
        f"[bold]{file}[/bold]: {len(cycles)} cycles; formation {list(result.formation_cycles)}; "
        f"reference cycle {result.reference_cycle}"
    )
    table = Table(title="cycles (first 5, last 5)")
    per_gram = cycles["discharge_mAh_g"].notna().any()
    for column in ("cycle", "C-rate", "charge", "discharge", "unit", "CE (%)", "retention (%)"):
        table.add_column(column, justify="right")
    shown = cycles if len(cycles) <= 10 else cycles.iloc[np.r_[0:5, len(cycles) - 5 : len(cycles)]]
    for row in shown.itertuples():
        charge = row.charge_mAh_g if per_gram else row.charge_mAh
        discharge = row.discharge_mAh_g if per_gram else row.discharge_mAh
        table.add_row(
            str(row.cycle),
            fmt(row.c_rate, 3),
            fmt(charge),
            fmt(discharge),
            "mAh/g" if per_gram else "mAh",
            fmt(100 * row.coulombic_efficiency),
            fmt(row.retention_percent),
        )
    out.print(table)
    out.print(
        f"  capacity retention: {result.retention_percent:.1f} % (cycle {result.last_cycle} "
        f"vs {result.reference_cycle})"
    )
    if fade is not None:
        line = f"  fade: {fade.best_model} ({fade.best.equation})"
        if fade.eol_cycle is not None:
            ci = fade.eol_ci
            line += f"; end of life ({100 * fade.eol_fraction:.0f} %) at cycle {fade.eol_cycle:.0f}"
            if ci is not None:
                line += f" [{ci[0]:.0f}, {ci[1]:.0f}]"
        out.print(line)
        if fade.knee is not None and fade.knee.detected:
            out.print(
                f"  knee at cycle {fade.knee.knee_cycle:.0f} "
                f"[{fade.knee.knee_ci[0]:.0f}, {fade.knee.knee_ci[1]:.0f}]"
            )
    if rates is not None:
        parts = ", ".join(
            f"{r.c_rate:g} C {r.relative_percent:.0f} %" for r in rates.rates.itertuples()
        )
        out.print(f"  rate capability (vs {rates.slowest_c_rate:g} C): {parts}")
    for note in [*payload.get("notes", []), *payload["reader_notes"]]:
        out.print(f"  note: {note}")
    for figure in payload.get("figures", []):
        out.print(f"  wrote {figure}")
