"""``ssblab eis fit|kk|drt|conductivity|arrhenius``.

Every error names the file and spectrum it concerns, also when it is raised in the analysis
after reading (:func:`_about`); bad options (paths, geometry, temperatures) are checked before
any work is done. numpy, scipy and the fitter load when a command runs, not at start-up.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ssblab.cli.eis_inputs import geometry_from, kelvin, temperatures_of
from ssblab.cli.output import console, emit_json, fmt, progress_bar
from ssblab.cli.paths import figure_folder, input_file
from ssblab.errors import SsblabError, SsblabInputError
from ssblab.units import bounded_si

if TYPE_CHECKING:
    from ssblab.impedance.fitting import FitResult
    from ssblab.impedance.spectrum import Spectrum
    from ssblab.impedance.suggest import Suggestion

app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Impedance spectra: fit, validate, DRT, σ, Ea.",
)

CELLS = ("pellet", "symmetric", "film", "full")
WEIGHTINGS = ("modulus", "proportional", "unit")
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


def _cell(cell: str | None) -> str | None:
    if cell is not None and cell not in CELLS:
        raise SsblabInputError(f"--cell {cell!r}: use {', '.join(CELLS)}")
    return cell


@contextmanager
def _about(spectrum: Spectrum) -> Iterator[None]:
    """Re-raise any error of the analysis of ``spectrum`` with its file and index in front.

    Floating-point conditions (an LM trial point overflowing) are ignored inside: the results
    are judged by their own checks and warnings, and no RuntimeWarning reaches the user."""
    import numpy as np

    label = spectrum.label
    try:
        with np.errstate(all="ignore"):  # trial points may overflow; results are checked
            yield
    except SsblabError as exc:
        message = " ".join(str(exc).split())
        if spectrum.source and spectrum.source in message:
            raise
        try:
            new = type(exc)(f"{label}: {message}")
        except TypeError:
            new = SsblabInputError(f"{label}: {message}")
        raise new from None
    except (ArithmeticError, ValueError, IndexError, LookupError) as exc:  # an internal error
        raise RuntimeError(f"{label}: {type(exc).__name__}: {exc}") from exc


def load_spectra(files: list[Path], format: str | None = None) -> list[Spectrum]:
    from ssblab.io.eis import read_eis

    spectra: list[Spectrum] = []
    for path in files:
        spectra.extend(read_eis(path, format=format))
    return spectra


def fit_spectrum(
    spectrum: Spectrum, circuit: str, cell: str | None, weighting: str
) -> tuple[FitResult, Suggestion | None]:
    """The fit of one spectrum (``circuit`` or auto for ``cell``) with the analysis warnings
    (Kramers–Kronig, escaped arcs) added."""
    from ssblab.impedance.fitting import fit
    from ssblab.impedance.review import review
    from ssblab.impedance.suggest import suggest_circuit

    f, z = spectrum.frequency_hz, spectrum.impedance_ohm
    with _about(spectrum):
        if circuit == "auto":
            suggestion = suggest_circuit(f, z, cell=cell, weighting=weighting)
            return review(suggestion.fit, f, z), suggestion
        return review(fit(circuit, f, z, weighting=weighting), f, z), None


def _fit_all(
    spectra, circuit, cell, weighting, then=None
) -> list[tuple[FitResult, Suggestion | None]]:
    """Fit every spectrum under a progress bar; ``then(spectrum, fitted)``, when given, runs
    right after each fit (so a refusal comes before the remaining spectra are fitted) and its
    value is returned instead of the fit."""
    if weighting not in WEIGHTINGS:
        raise SsblabInputError(f"--weighting {weighting!r}: use {', '.join(WEIGHTINGS)}")
    results = []
    with progress_bar("fitting", len(spectra), disable=len(spectra) < 2) as bar:
        for spectrum in spectra:
            fitted = fit_spectrum(spectrum, circuit, cell, weighting)
            results.append(fitted if then is None else then(spectrum, fitted))
            bar.advance()
    return results


def _spectrum_key(spectrum: Spectrum) -> dict:
    return {"file": spectrum.source, "spectrum": spectrum.index}


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
    from ssblab.cli.eis_output import fit_table, json_units, print_warnings, selection_line

    cell, plot = _cell(cell), figure_folder(plot)
    spectra = load_spectra(files, file_format)
    results = _fit_all(spectra, circuit, cell, weighting)
    payload = []
    for spectrum, (result, suggestion) in zip(spectra, results, strict=True):
        item = {**_spectrum_key(spectrum), **result.to_dict(), "reader_notes": list(spectrum.notes)}
        item.pop("correlation")
        item["units_ascii"] = dict(
            zip(result.parameter_names, _ascii_units(result.circuit), strict=True)
        )
        item["units"] = json_units(result.circuit)
        if suggestion is not None:
            item["selection"] = suggestion.to_dict()
        if plot:
            with _about(spectrum):
                item["figures"] = _plot_fit(spectrum, result, plot)
        payload.append(item)
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


def _ascii_units(circuit: str) -> tuple[str, ...]:
    from ssblab.impedance.circuits import parse_circuit

    return parse_circuit(circuit).parameter_units


@app.command("kk")
def kk_cmd(files: Files, json_output: JsonFlag = False) -> None:
    """Linear Kramers–Kronig test (Schönleber's μ criterion)."""
    from rich.table import Table

    from ssblab.impedance.floor import is_inductive
    from ssblab.impedance.kramers_kronig import kk_test

    spectra = load_spectra(files)
    rows = []
    with progress_bar("Kramers–Kronig", len(spectra), disable=len(spectra) < 2) as bar:
        for spectrum in spectra:
            f, z = spectrum.frequency_hz, spectrum.impedance_ohm
            with _about(spectrum):
                result = kk_test(f, z, add_inductance=is_inductive(f, z))
            rows.append(
                {
                    **_spectrum_key(spectrum),
                    "passed": result.passed,
                    "num_elements": result.num_elements,
                    "mu": result.mu,
                    "max_abs_residual": result.max_abs_residual,
                    "max_abs_trend": result.max_abs_trend,
                    "inductance_h": result.inductance_h,
                    "notes": list(result.notes),
                }
            )
            bar.advance()
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
    from ssblab.impedance.drt import drt

    try:
        lam_value: str | float = lam if lam in ("gcv", "lcurve") else float(lam)
    except ValueError:
        raise SsblabInputError(f"--lambda {lam!r}: use gcv, lcurve or a number") from None
    if isinstance(lam_value, float) and not (0 < lam_value < 1e300):
        raise SsblabInputError(f"--lambda {lam!r}: must be a positive finite number")
    plot = figure_folder(plot)
    spectra = load_spectra(files)
    rows = []
    with progress_bar("DRT", len(spectra), disable=len(spectra) < 2) as bar:
        for spectrum in spectra:
            with _about(spectrum):
                result = drt(spectrum.frequency_hz, spectrum.impedance_ohm, lam=lam_value)
                row = {**_spectrum_key(spectrum), **result.summary()}
                if plot:
                    stem = f"{Path(spectrum.source).stem}_{spectrum.index}_drt.png"
                    row["figure"] = str(
                        figures.drt_plot(result, plot / stem, title=spectrum.source)
                    )
            rows.append(row)
            bar.advance()
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


def _interpretation_row(spectrum, fitted, geometry, cell, quantity: str | None = None) -> dict:
    """σ of one spectrum. Refuses (exit 2, naming the spectrum) when ``quantity`` (``"bulk"``
    or ``"total"``) is not resolved, or, without a quantity, when neither is."""
    from ssblab.impedance.interpretation import interpret

    result, suggestion = fitted
    with _about(spectrum):
        it = interpret(
            result,
            geometry,
            cell=cell,
            frequency_hz=spectrum.frequency_hz,
            impedance_ohm=spectrum.impedance_ohm,
        )
    if quantity is not None:
        it.require(spectrum.label, quantity)
    elif not (it.bulk_resolved or it.total_resolved):
        it.require(spectrum.label, "bulk")
    row = {
        **_spectrum_key(spectrum),
        "circuit": result.circuit,
        "thickness_m": geometry.thickness_m,
        "area_m2": geometry.area_m2,
        **it.to_dict(),
        "warnings": [*it.warnings, *result.warnings],
    }
    if suggestion is not None:
        row["selection"] = suggestion.to_dict()
    return row


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

    cell = _cell(cell)
    geometry = geometry_from(thickness, diameter, area)
    spectra = load_spectra(files)
    rows = _fit_all(
        spectra, circuit, cell, "modulus", lambda s, r: _interpretation_row(s, r, geometry, cell)
    )
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
    import numpy as np
    from rich.table import Table

    from ssblab.cli.eis_output import print_warnings
    from ssblab.impedance import figures
    from ssblab.impedance.arrhenius import arrhenius_fit

    if quantity not in ("total", "bulk"):
        raise SsblabInputError(f"--quantity {quantity!r}: use total or bulk")
    if model not in ("sigmaT", "sigma"):
        raise SsblabInputError(f"--model {model!r}: use sigmaT or sigma")
    cell = _cell(cell)
    geometry = geometry_from(thickness, diameter, area)
    temperatures = input_file(temperatures, "--temperatures")
    plot = figure_folder(plot)
    at_k = kelvin(at, "--at")
    reported = None
    if reported_ea is not None:
        reported = bounded_si(reported_ea, "eV", "--reported-ea", low=0.0, high=10.0)
    spectra = load_spectra(files)
    kelvin_values = temperatures_of(temperature, temperatures, spectra)
    rows = _fit_all(
        spectra,
        circuit,
        cell,
        "modulus",
        lambda s, r: _interpretation_row(s, r, geometry, cell, quantity),
    )
    sigma = np.array([row[f"sigma_{quantity}_S_m"] for row in rows], dtype=float)
    sigma_err = np.array([row[f"sigma_{quantity}_err_S_m"] for row in rows], dtype=float)
    result = arrhenius_fit(
        kelvin_values, sigma, sigma_err, model=model, extrapolate_to_K=at_k,
        reported_activation_energy_eV=reported,
    )  # fmt: skip
    payload = {
        "quantity": quantity,
        "points": [
            {
                "file": row["file"],
                "spectrum": row["spectrum"],
                "temperature_K": t,
                "sigma_S_m": s,
                "sigma_err_S_m": e,
                "circuit": row["circuit"],
                "warnings": row["warnings"],
            }
            for row, t, s, e in zip(rows, kelvin_values, sigma, sigma_err, strict=True)
        ],
        **result.to_dict(),
    }
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
