"""``ssblab cycle symmetric|full``.

Bad input stops before any work, with one line and exit 2: quantities outside the range that
describes a laboratory cell (:data:`BOUNDS`), ``--eol`` outside (0, 1), a ``--plot`` folder that
is a file or has no parent, counts below zero. Errors raised by the analysis after the file is
read name the file (``error: FILE: …``), and so does the refusal of data the analysis is not
made for (:mod:`ssblab.cycling.checks`; ``--force`` analyses anyway, with a warning). numpy,
pandas and matplotlib load inside the commands, never at start-up.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ssblab.cli.output import console, emit_json, fmt, progress_bar
from ssblab.cli.paths import figure_folder, input_file
from ssblab.errors import SsblabInputError
from ssblab.payloads.cycling import (
    about,
    active_mass_g,
    area_option,
    check_full_options,
    full_analysis,
    nominal_option,
    quantity,
    symmetric_analysis,
)

if TYPE_CHECKING:  # numpy, pandas and the analysis load when a command runs, not at start-up
    from ssblab.cycling.data import CyclingData

app = typer.Typer(
    no_args_is_help=True, rich_markup_mode=None, help="Cycling: symmetric cells and full cells."
)
JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
PlotOpt = Annotated[Path | None, typer.Option("--plot", help="Folder for figures.")]
ForceFlag = Annotated[
    bool,
    typer.Option("--force", help="Analyse data the checks say are not this kind of cell."),
]


def _bar(description: str, stages: int):
    """The shared progress bar over the stages of a command (reading, analysis, figures: a
    1M-row file takes ~10 s to read), shown only on a terminal: rich writes a bare newline to
    a stderr that is a pipe or a file, which a caller parsing stderr would see."""
    return progress_bar(description, stages, disable=not sys.stderr.isatty())


@contextmanager
def writing(folder: Path) -> Iterator[None]:
    """An operating-system refusal to write a figure (permissions, full disk) is one line."""
    try:
        yield
    except OSError as exc:
        raise SsblabInputError(f"--plot {folder}: cannot write: {exc.strerror or exc}") from None


def load(path: Path, file_format: str | None = None) -> CyclingData:
    from ssblab.io.cycling import read_cycling

    with about(path):
        return read_cycling(path, format=file_format)


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
    force: ForceFlag = False,
    plot: PlotOpt = None,
    json_output: JsonFlag = False,
) -> None:
    """Overpotential and ASR per half-cycle, drift, short circuit, CCD (staircases).

    Refuses data that are not from a Li | Li cell (a rest voltage away from 0 V, or both
    half-cycles on the same side of 0 V); --force analyses them anyway."""
    area_m2 = area_option(area, diameter)
    j = quantity(current_density, "--current-density")
    limit = quantity(voltage_limit, "--voltage-limit")
    eis = input_file(eis, "--eis")
    plot = figure_folder(plot)
    stages = 2 + (eis is not None) + (plot is not None)
    with _bar(f"reading {file.name}", stages) as bar:
        data = load(file, file_format)
        bar.update(1, f"analysing {file.name}")
        payload, result, area_m2 = symmetric_analysis(data, file, area_m2, j, limit, force)
        bar.update(2)
        if eis is not None:
            bar.update(description=f"fitting {eis.name}")
            payload["eis"] = _eis_check(eis, result)
            bar.advance()
        if plot is not None:
            bar.update(description="drawing figures")
            with writing(plot):
                payload["figures"] = _symmetric_figures(file, data, result, plot)
            bar.advance()
    if json_output:
        emit_json(payload)
        return
    _print_symmetric(file, result, area_m2, payload)


def _eis_check(eis: Path, result) -> dict:
    from ssblab.cli.eis_cmd import load_spectra
    from ssblab.payloads.cycling import symmetric_eis_check

    with about(eis):
        return symmetric_eis_check(load_spectra([eis])[0], result, eis)


def _symmetric_figures(file: Path, data, result, plot: Path) -> list[str]:
    from ssblab.cycling import figures

    stem = Path(file).stem
    return [
        str(figures.voltage_time(data.table, result, plot / f"{stem}_voltage.png", title=stem)),
        str(figures.asr_time(result, plot / f"{stem}_asr.png", title=stem)),
    ]


def _print_notes(out, payload: dict) -> None:
    for warning in payload.get("warnings", []):
        out.print(f"  [yellow]warning: {warning}[/yellow]")
    for note in [*payload.get("notes", []), *payload.get("reader_notes", [])]:
        out.print(f"  note: {note}")
    for figure in payload.get("figures", []):
        out.print(f"  wrote {figure}")


def _print_symmetric(file: Path, result, area_m2: float, payload: dict) -> None:
    import numpy as np
    from rich.table import Table

    out = console()
    hc = result.half_cycles
    out.print(f"[bold]{file}[/bold]: {len(hc)} half-cycles, electrode area {area_m2 * 1e4:.4g} cm²")
    check = result.cell_check or {}
    if check.get("symmetric"):
        out.print(f"  Li | Li cell: {check['reason']}")
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
    _print_notes(out, payload)


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
    first_step: Annotated[
        str,
        typer.Option(help="auto, charge or discharge: the half-cycle that starts a cycle."),
    ] = "auto",
    invert_current: Annotated[
        bool,
        typer.Option(
            "--invert-current", help="The file's current sign is inverted: flip it (noted)."
        ),
    ] = False,
    file_format: Annotated[str | None, typer.Option("--format", help="Force a reader.")] = None,
    force: ForceFlag = False,
    plot: PlotOpt = None,
    json_output: JsonFlag = False,
) -> None:
    """Capacity, CE, energy and retention per cycle; rate capability; fade model, knee, EOL.

    Refuses data from a Li | Li cell and data whose voltage falls on positive current (current
    sign inverted: use --invert-current); --force analyses them anyway."""
    check_full_options(eol, first_step, formation)
    mass_g = active_mass_g(mass, loading, area)
    area_cm2 = None if area is None else quantity(area, "--area") * 1e4
    nominal_kwargs = nominal_option(nominal)
    plot = figure_folder(plot)
    stages = 3 + (plot is not None)
    with _bar(f"reading {file.name}", stages) as bar:
        data = load(file, file_format)
        bar.update(1, f"analysing {file.name}")
        with about(file):
            if invert_current:
                from ssblab.cycling.checks import invert_current as flip

                data = flip(data)
            payload, result, fade, rates = full_analysis(
                data, file, mass_g, area_cm2, nominal_kwargs, formation, reference_cycle,
                eol, first_step, force, stage=bar.update,
            )  # fmt: skip
            if plot is not None:
                bar.update(3, "drawing figures")
                with writing(plot):
                    payload["figures"] = _full_figures(
                        file, data, result, fade, rates, mass_g, plot
                    )
    if json_output:
        emit_json(payload)
        return
    _print_full(file, result, fade, rates, payload)


def _full_figures(file, data, result, fade, rates, mass_g, plot: Path) -> list[str]:
    from ssblab.cycling import figures
    from ssblab.cycling.dqdv import representative_dqdv
    from ssblab.cycling.fade import fade_series

    stem = Path(file).stem
    figs = [str(figures.capacity_ce(result, plot / f"{stem}_capacity.png", title=stem))]
    if fade is not None:
        kept, _ = fade_series(result)
        path = plot / f"{stem}_fade.png"
        figs.append(
            str(figures.fade_plot(kept["cycle"], kept["discharge_mAh"], fade, path, title=stem))
        )
    if rates is not None:
        figs.append(str(figures.rate_bars(rates, plot / f"{stem}_rate.png", title=stem)))
    curves = representative_dqdv(data, result, mass_g)
    if curves is not None:
        figs.append(str(figures.dqdv_plot(curves, plot / f"{stem}_dqdv.png", title=stem)))
    return figs


def _print_full(file, result, fade, rates, payload) -> None:
    import numpy as np
    from rich.table import Table

    out = console()
    cycles = result.cycles
    out.print(
        f"[bold]{file}[/bold]: {len(cycles)} cycles ({result.first_step} first); formation "
        f"{list(result.formation_cycles)}; reference cycle {result.reference_cycle}"
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
    _print_notes(out, payload)
