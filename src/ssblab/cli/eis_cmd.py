"""``ssblab eis fit|kk|drt|conductivity|arrhenius``.

The numbers come from :mod:`ssblab.payloads.eis` (which the web app calls too); this module
reads the files, draws the figures and prints. Every error names the file and spectrum it
concerns, also when it is raised in the analysis after reading
(:func:`ssblab.payloads.eis.about`); bad options (paths, geometry, temperatures) are checked
before any work is done. numpy, scipy and the fitter load when a command runs, not at start-up.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ssblab.cli.eis_inputs import geometry_from, kelvin, temperatures_of
from ssblab.cli.output import console, emit_json, fmt, progress_bar
from ssblab.cli.paths import figure_folder, input_file
from ssblab.units import bounded_si

if TYPE_CHECKING:
    from ssblab.impedance.fitting import FitResult
    from ssblab.impedance.spectrum import Spectrum

app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Impedance spectra: fit, validate, DRT, σ, Ea.",
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
Files = Annotated[list[Path], typer.Argument(help="Impedance files (format auto-detected).")]
CircuitOpt = Annotated[
    str, typer.Option("--circuit", help="Circuit string, or 'auto' to choose one by BIC.")
]
CellOpt = Annotated[
    str | None,
    typer.Option(
        "--cell",
        help="pellet (blocking), symmetric (Li|SSE|Li), film, full (composite/full cell); "
        "default for fit: any shape.",
    ),
]
PlotOpt = Annotated[Path | None, typer.Option("--plot", help="Folder for figures.")]


def load_spectra(files: list[Path], format: str | None = None) -> list[Spectrum]:
    from ssblab.io.eis import read_eis

    spectra: list[Spectrum] = []
    for path in files:
        spectra.extend(read_eis(path, format=format))
    return spectra


def _bar(description: str, total: int):
    """The transient progress bar of a command over ``total`` spectra (none for one)."""
    return progress_bar(description, total, disable=total < 2)


def _plot_fit(spectrum: Spectrum, result: FitResult, folder: Path) -> list[str]:
    from ssblab.impedance import figures

    stem = f"{Path(spectrum.source).stem}_{spectrum.index}"
    title = f"{spectrum.source} #{spectrum.index}"
    f, z = spectrum.frequency_hz, spectrum.impedance_ohm
    zoom = figures.electrolyte_zoom_ohm(result, z)
    return [
        str(
            figures.nyquist(
                f, z, folder / f"{stem}_nyquist.png", fit=result, title=title, zoom_ohm=zoom
            )
        ),
        str(figures.bode(f, z, folder / f"{stem}_bode.png", fit=result, title=title)),
        str(
            figures.residuals(
                f,
                result.residuals_real,
                result.residuals_imag,
                folder / f"{stem}_residuals.png",
                title=title,
            )
        ),
    ]


@app.command("fit")
def fit_cmd(
    files: Files,
    circuit: CircuitOpt = "auto",
    cell: CellOpt = None,
    weighting: Annotated[str, typer.Option(help="modulus, proportional or unit")] = "modulus",
    file_format: Annotated[str | None, typer.Option("--format", help="Force a reader.")] = None,
    plot: PlotOpt = None,
    json_output: JsonFlag = False,
) -> None:
    """Fit a circuit to every spectrum in FILES (no initial guesses needed)."""
    from ssblab.cli.eis_output import fit_table, print_warnings, selection_line
    from ssblab.payloads.eis import check_cell, fit_payload

    cell, plot = check_cell(cell), figure_folder(plot)
    spectra = load_spectra(files, file_format)
    payload = fit_payload(
        spectra,
        circuit,
        cell,
        weighting,
        progress=_bar,
        figures=None if plot is None else lambda s, r: _plot_fit(s, r, plot),
    )
    if json_output:
        emit_json(payload)
        return
    out = console()
    for item in payload:
        out.print(fit_table(item))
        if "selection" in item:
            out.print(selection_line(item["selection"]))
        print_warnings(out, item["warnings"])
        for figure in item.get("figures", []):
            out.print(f"  wrote {figure}")


@app.command("kk")
def kk_cmd(files: Files, json_output: JsonFlag = False) -> None:
    """Linear Kramers–Kronig test (Schönleber's μ criterion)."""
    from rich.table import Table

    from ssblab.payloads.eis import kk_payload

    rows = kk_payload(load_spectra(files), progress=_bar)
    if json_output:
        emit_json(rows)
        return
    table = Table(title="Linear Kramers–Kronig test")
    for column in ("file", "#", "M", "μ", "max |residual| (%)", "max |trend| (%)", "verdict"):
        table.add_column(column)
    for row in rows:
        verdict = "[green]pass[/green]" if row["passed"] else "[red]FAIL[/red]"
        table.add_row(
            row["file"],
            str(row["spectrum"]),
            str(row["num_elements"]),
            f"{row['mu']:.3f}",
            f"{100 * row['max_abs_residual']:.2f}",
            f"{100 * row['max_abs_trend']:.2f}",
            verdict,
        )
    console().print(table)


@app.command("drt")
def drt_cmd(
    files: Files,
    lam: Annotated[str, typer.Option("--lambda", help="'gcv', 'lcurve' or a number")] = "gcv",
    plot: PlotOpt = None,
    json_output: JsonFlag = False,
) -> None:
    """Distribution of relaxation times with automatic regularisation."""
    from rich.table import Table

    from ssblab.impedance import figures
    from ssblab.payloads.eis import drt_payload, parse_lambda

    lam_value = parse_lambda(lam)
    plot = figure_folder(plot)

    def figure(spectrum: Spectrum, result) -> str:
        stem = f"{Path(spectrum.source).stem}_{spectrum.index}_drt.png"
        return str(figures.drt_plot(result, plot / stem, title=spectrum.source))

    rows = drt_payload(
        load_spectra(files), lam_value, progress=_bar, figure=None if plot is None else figure
    )
    if json_output:
        emit_json(rows)
        return
    out = console()
    for row in rows:
        table = Table(
            title=f"{row['file']} #{row['spectrum']}: DRT peaks (λ = {row['lambda']:.3g})"
        )
        for column in ("τ (s)", "f (Hz)", "R (Ω)", "C (F)", "in measured range"):
            table.add_column(column, justify="right")
        for p in row["peaks"]:
            table.add_row(
                fmt(p["tau_s"]),
                fmt(p["frequency_hz"]),
                fmt(p["resistance_ohm"]),
                fmt(p["capacitance_F"]),
                "yes" if p["inside_measured_range"] else "no (edge)",
            )
        out.print(table)
        if "figure" in row:
            out.print(f"  wrote {row['figure']}")


@app.command("conductivity")
def conductivity_cmd(
    files: Files,
    thickness: Annotated[str, typer.Option(help='Sample thickness, e.g. "0.5 mm".')],
    diameter: Annotated[str | None, typer.Option(help='Electrode diameter, e.g. "12 mm".')] = None,
    area: Annotated[str | None, typer.Option(help='Electrode area, e.g. "1.13 cm^2".')] = None,
    circuit: CircuitOpt = "auto",
    cell: Annotated[str, typer.Option(help="pellet, symmetric, film or full")] = "pellet",
    json_output: JsonFlag = False,
) -> None:
    """Bulk, grain-boundary and total conductivity (and ASR for symmetric cells).

    Refuses (exit 2) a spectrum whose bulk arc or high-frequency intercept is not resolved."""
    from rich.table import Table
    from rich.text import Text

    from ssblab.cli.eis_output import print_warnings, selection_line
    from ssblab.payloads.eis import check_cell, conductivity_payload

    cell = check_cell(cell)
    geometry = geometry_from(thickness, diameter, area)
    rows = conductivity_payload(load_spectra(files), geometry, circuit, cell, progress=_bar)
    if json_output:
        emit_json(rows)
        return
    out = console()
    for row in rows:
        table = Table(title=f"{row['file']} #{row['spectrum']}: {row['circuit']}")
        columns = ("arc", "R (Ω)", "C (F)", "C* (F/cm)", "ε_r", "f peak (Hz)", "assigned")
        for column in columns:
            table.add_column(column)
        for arc in row["arcs"]:
            peak = fmt(arc["peak_frequency_hz"], 3) + ("" if arc["inside_window"] else " (out)")
            table.add_row(
                arc["elements"][0],
                fmt(arc["resistance_ohm"]),
                fmt(arc["capacitance_F"]),
                fmt(arc["normalised_capacitance_F_per_cm"]),
                fmt(arc["relative_permittivity"], 3),
                peak,
                arc["assignment"],
            )
        out.print(table)
        if row["bulk_source"]:
            out.print(f"  electrolyte resistance from the {row['bulk_source']}")
        for label, key, reason in (
            ("σ bulk", "sigma_bulk", row["bulk_reason"]),
            ("σ total", "sigma_total", row["total_reason"]),
        ):
            if row[f"{key}_S_m"] is not None:
                out.print(
                    f"  {label}: {fmt(row[f'{key}_S_m'] / 100)} ± "
                    f"{fmt(row[f'{key}_err_S_m'] / 100)} S/cm"
                )
            else:
                out.print(Text(f"  {label}: not resolved: {reason}", style="yellow"))
        if row["sigma_gb_specific_S_m"] is not None:
            out.print(f"  σ gb (brick layer): {fmt(row['sigma_gb_specific_S_m'] / 100)} S/cm")
        if row["asr_per_interface_ohm_m2"] is not None:
            out.print(
                f"  ASR per interface: {fmt(row['asr_per_interface_ohm_m2'] * 1e4)} ± "
                f"{fmt(row['asr_err_ohm_m2'] * 1e4)} Ω·cm² ({row['asr_convention']})"
            )
        if "selection" in row:
            out.print(selection_line(row["selection"]))
        for note in row["notes"]:
            out.print(f"  note: {note}")
        print_warnings(out, row["warnings"])


@app.command("arrhenius")
def arrhenius_cmd(
    files: Files,
    thickness: Annotated[str, typer.Option(help='Sample thickness, e.g. "0.5 mm".')],
    diameter: Annotated[str | None, typer.Option(help="Electrode diameter.")] = None,
    area: Annotated[str | None, typer.Option(help="Electrode area.")] = None,
    temperature: Annotated[
        list[str] | None, typer.Option(help='One per file, e.g. "25 degC".')
    ] = None,
    temperatures: Annotated[
        Path | None, typer.Option(help="CSV with columns file, temperature.")
    ] = None,
    circuit: CircuitOpt = "auto",
    cell: Annotated[str, typer.Option(help="pellet, symmetric, film or full")] = "pellet",
    quantity: Annotated[str, typer.Option(help="total or bulk conductivity")] = "total",
    model: Annotated[str, typer.Option(help="sigmaT (σT = A e^(−Ea/kT)) or sigma")] = "sigmaT",
    at: Annotated[str, typer.Option("--at", help="Temperature for σ(T), e.g. '25 degC'.")] = (
        "25 degC"
    ),
    reported_ea: Annotated[str | None, typer.Option(help='Compare with e.g. "0.33 eV".')] = None,
    plot: PlotOpt = None,
    json_output: JsonFlag = False,
) -> None:
    """Conductivity of each file, then the activation energy across temperatures."""
    from rich.table import Table

    from ssblab.cli.eis_output import print_warnings
    from ssblab.impedance import figures
    from ssblab.payloads.eis import arrhenius_analysis, check_arrhenius, check_cell

    check_arrhenius(quantity, model)
    cell = check_cell(cell)
    geometry = geometry_from(thickness, diameter, area)
    temperatures = input_file(temperatures, "--temperatures")
    plot = figure_folder(plot)
    at_k = kelvin(at, "--at")
    reported = None
    if reported_ea is not None:
        reported = bounded_si(reported_ea, "eV", "--reported-ea", low=0.0, high=10.0)
    spectra = load_spectra(files)
    kelvin_values = temperatures_of(temperature, temperatures, spectra)
    payload, result, sigma_err = arrhenius_analysis(
        spectra, kelvin_values, geometry, circuit, cell, quantity, model, at_k, reported,
        progress=_bar,
    )  # fmt: skip
    if plot:
        payload["figure"] = str(
            figures.arrhenius_plot(result, plot / "arrhenius.png", sigma_err_S_m=sigma_err)
        )
    if json_output:
        emit_json(payload)
        return
    out = console()
    table = Table(title=f"σ_{quantity} vs temperature")
    for column in ("file", "#", "T (°C)", "σ (S/cm)", "± (S/cm)", "circuit"):
        table.add_column(column)
    for point in payload["points"]:
        table.add_row(
            point["file"],
            str(point["spectrum"]),
            f"{point['temperature_K'] - 273.15:.1f}",
            fmt(point["sigma_S_m"] / 100),
            fmt(point["sigma_err_S_m"] / 100),
            point["circuit"],
        )
    out.print(table)
    band = result.sigma_extrapolated_band_S_m
    out.print(
        f"  E_a = {result.activation_energy_eV:.4f} ± {result.activation_energy_err_eV:.4f} eV "
        f"({model}), R² = {result.r_squared:.5f}"
    )
    out.print(
        f"  σ({at_k - 273.15:.4g} °C) = {fmt(result.sigma_extrapolated_S_m / 100)} S/cm "
        f"[{fmt(band[0] / 100)}, {fmt(band[1] / 100)}] ({100 * result.confidence:.0f} % band)"
    )
    for note in result.notes:
        out.print(f"  note: {note}")
    print_warnings(out, result.warnings)
    for point in payload["points"]:
        print_warnings(out, point["warnings"], indent=f"  {point['file']} #{point['spectrum']}: ")
    if plot:
        out.print(f"  wrote {payload['figure']}")
