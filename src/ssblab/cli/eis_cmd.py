"""``ssblab eis fit|kk|drt|conductivity|arrhenius``."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ssblab.cli.output import console, emit_json, err_console, fmt
from ssblab.errors import SsblabInputError
from ssblab.units import parse_quantity, to_si

if TYPE_CHECKING:  # numpy, scipy and the fitter load when a command runs, not at start-up
    from ssblab.impedance.fitting import FitResult
    from ssblab.impedance.interpretation import Geometry
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
    str | None, typer.Option("--cell", help="pellet (blocking), symmetric (Li|SSE|Li) or film.")
]
PlotOpt = Annotated[Path | None, typer.Option("--plot", help="Folder for figures.")]


def load_spectra(files: list[Path], format: str | None = None) -> list[Spectrum]:
    from ssblab.io.eis import read_eis

    spectra: list[Spectrum] = []
    for path in files:
        spectra.extend(read_eis(path, format=format))
    return spectra


def _progress(total: int, description: str):
    from rich.progress import Progress

    return Progress(console=err_console(), transient=True, disable=total < 3), description


def fit_spectrum(spectrum: Spectrum, circuit: str, cell: str | None, weighting: str) -> FitResult:
    from ssblab.impedance.fitting import fit
    from ssblab.impedance.suggest import suggest_circuit

    f, z = spectrum.frequency_hz, spectrum.impedance_ohm
    if circuit == "auto":
        return suggest_circuit(f, z, cell=cell, weighting=weighting).fit
    return fit(circuit, f, z, weighting=weighting)


def _fit_all(spectra, circuit, cell, weighting) -> list[FitResult]:
    progress, description = _progress(len(spectra), "fitting")
    results = []
    with progress:
        task = progress.add_task(description, total=len(spectra))
        for spectrum in spectra:
            results.append(fit_spectrum(spectrum, circuit, cell, weighting))
            progress.advance(task)
    return results


def _spectrum_key(spectrum: Spectrum) -> dict:
    return {"file": spectrum.source, "spectrum": spectrum.index}


def _plot_fit(spectrum: Spectrum, result: FitResult, folder: Path) -> list[str]:
    from ssblab.impedance import figures

    stem = f"{Path(spectrum.source).stem}_{spectrum.index}"
    title = f"{spectrum.source} #{spectrum.index}"
    f, z = spectrum.frequency_hz, spectrum.impedance_ohm
    return [
        str(
            figures.nyquist(
                f,
                z,
                folder / f"{stem}_nyquist.png",
                fit=result,
                title=title,
                zoom_ohm=figures.electrolyte_zoom_ohm(result, z),
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
    from rich.table import Table

    spectra = load_spectra(files, file_format)
    results = _fit_all(spectra, circuit, cell, weighting)
    payload = []
    for spectrum, result in zip(spectra, results, strict=True):
        item = {**_spectrum_key(spectrum), **result.to_dict(), "reader_notes": list(spectrum.notes)}
        item.pop("correlation")
        if plot:
            item["figures"] = _plot_fit(spectrum, result, plot)
        payload.append(item)
    if json_output:
        emit_json(payload)
        return
    out = console()
    for spectrum, result, item in zip(spectra, results, payload, strict=True):
        table = Table(title=f"{spectrum.source} #{spectrum.index}: {result.circuit}")
        for column in ("parameter", "value", "± stderr", "rel. err"):
            table.add_column(column, justify="right" if column != "parameter" else "left")
        for name, value, err in zip(
            result.parameter_names, result.parameters, result.stderr, strict=True
        ):
            rel = f"{100 * err / abs(value):.2g} %" if value else "–"
            table.add_row(name, fmt(value), fmt(err), rel)
        table.caption = (
            f"χ² {result.chi2:.3g}, reduced χ² {result.reduced_chi2:.3g} "
            f"({result.weighting} weighting), {result.n_starts} starts"
        )
        out.print(table)
        for figure in item.get("figures", []):
            out.print(f"  wrote {figure}")


@app.command("kk")
def kk_cmd(files: Files, json_output: JsonFlag = False) -> None:
    """Linear Kramers–Kronig test (Schönleber's μ criterion)."""
    from rich.table import Table

    from ssblab.impedance.kramers_kronig import kk_test

    spectra = load_spectra(files)
    rows = []
    for spectrum in spectra:
        result = kk_test(spectrum.frequency_hz, spectrum.impedance_ohm)
        rows.append(
            {
                **_spectrum_key(spectrum),
                "passed": result.passed,
                "num_elements": result.num_elements,
                "mu": result.mu,
                "max_abs_residual": result.max_abs_residual,
                "max_abs_trend": result.max_abs_trend,
                "notes": list(result.notes),
            }
        )
    if json_output:
        emit_json(rows)
        return
    table = Table(title="Linear Kramers–Kronig test")
    for column in ("file", "#", "M", "μ", "max |residual|", "verdict"):
        table.add_column(column)
    for row in rows:
        verdict = "[green]pass[/green]" if row["passed"] else "[red]FAIL[/red]"
        table.add_row(
            row["file"],
            str(row["spectrum"]),
            str(row["num_elements"]),
            f"{row['mu']:.3f}",
            f"{100 * row['max_abs_residual']:.2f} %",
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
    rows = []
    for spectrum in load_spectra(files):
        result = drt(spectrum.frequency_hz, spectrum.impedance_ohm, lam=lam_value)
        row = {
            **_spectrum_key(spectrum),
            "lambda": result.lam,
            "lambda_method": result.lam_method,
            "r_inf_ohm": result.r_inf_ohm,
            "peaks": [
                {
                    "tau_s": p.tau_s,
                    "frequency_hz": p.frequency_hz,
                    "resistance_ohm": p.resistance_ohm,
                    "capacitance_F": p.capacitance_f,
                    "inside_measured_range": p.inside_measured_range,
                }
                for p in result.peaks
            ],
        }
        if plot:
            stem = f"{Path(spectrum.source).stem}_{spectrum.index}_drt.png"
            row["figure"] = str(figures.drt_plot(result, plot / stem, title=spectrum.source))
        rows.append(row)
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


def geometry_from(thickness: str, diameter: str | None, area: str | None) -> Geometry:
    from ssblab.impedance.interpretation import Geometry

    thickness_m = to_si(thickness, "m", "--thickness")
    if (diameter is None) == (area is None):
        raise SsblabInputError("give exactly one of --diameter or --area")
    if diameter is not None:
        return Geometry.disc(thickness_m, to_si(diameter, "m", "--diameter"))
    return Geometry(thickness_m, to_si(area, "m^2", "--area"))


def _interpretation_row(spectrum, result, geometry, cell) -> dict:
    from ssblab.impedance.interpretation import interpret

    it = interpret(result, geometry, cell=cell)
    return {
        **_spectrum_key(spectrum),
        "circuit": result.circuit,
        "thickness_m": geometry.thickness_m,
        "area_m2": geometry.area_m2,
        **it.to_dict(),
    }


@app.command("conductivity")
def conductivity_cmd(
    files: Files,
    thickness: Annotated[str, typer.Option(help='Sample thickness, e.g. "0.5 mm".')],
    diameter: Annotated[str | None, typer.Option(help='Electrode diameter, e.g. "12 mm".')] = None,
    area: Annotated[str | None, typer.Option(help='Electrode area, e.g. "1.13 cm^2".')] = None,
    circuit: CircuitOpt = "auto",
    cell: Annotated[str, typer.Option(help="pellet, symmetric or film")] = "pellet",
    json_output: JsonFlag = False,
) -> None:
    """Bulk, grain-boundary and total conductivity (and ASR for symmetric cells)."""
    from rich.table import Table

    geometry = geometry_from(thickness, diameter, area)
    spectra = load_spectra(files)
    results = _fit_all(spectra, circuit, cell, "modulus")
    rows = [
        _interpretation_row(s, r, geometry, cell) for s, r in zip(spectra, results, strict=True)
    ]
    if json_output:
        emit_json(rows)
        return
    out = console()
    for row in rows:
        table = Table(title=f"{row['file']} #{row['spectrum']}: {row['circuit']}")
        for column in ("arc", "R (Ω)", "C (F)", "C* (F/cm)", "ε_r", "f peak (Hz)", "assigned"):
            table.add_column(column)
        for arc in row["arcs"]:
            table.add_row(
                arc["elements"][0],
                fmt(arc["resistance_ohm"]),
                fmt(arc["capacitance_F"]),
                fmt(arc["normalised_capacitance_F_per_cm"]),
                fmt(arc["relative_permittivity"], 3),
                fmt(arc["peak_frequency_hz"], 3),
                arc["assignment"],
            )
        out.print(table)
        for label, key in (("σ bulk", "sigma_bulk"), ("σ total", "sigma_total")):
            if row[f"{key}_S_m"] is not None:
                out.print(
                    f"  {label}: {fmt(row[f'{key}_S_m'] / 100)} ± "
                    f"{fmt(row[f'{key}_err_S_m'] / 100)} S/cm"
                )
        if row["sigma_gb_specific_S_m"] is not None:
            out.print(f"  σ gb (brick layer): {fmt(row['sigma_gb_specific_S_m'] / 100)} S/cm")
        if row["asr_per_interface_ohm_m2"] is not None:
            out.print(
                f"  ASR per interface: {fmt(row['asr_per_interface_ohm_m2'] * 1e4)} ± "
                f"{fmt(row['asr_err_ohm_m2'] * 1e4)} Ω·cm² ({row['asr_convention']})"
            )
        for note in row["notes"]:
            out.print(f"  note: {note}")


def _temperatures(
    files: list[Path], given: list[str] | None, table: Path | None, spectra
) -> list[float]:
    if given:
        if len(given) != len(spectra):
            raise SsblabInputError(
                f"{len(given)} --temperature values for {len(spectra)} spectra; give one each"
            )
        return [to_si(t, "K", "--temperature") for t in given]
    if table is not None:
        lookup: dict[str, float] = {}
        with table.open(newline="", encoding="utf-8") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                try:
                    lookup[Path(row["file"]).name] = to_si(row["temperature"], "K", "temperature")
                except KeyError:
                    raise SsblabInputError(
                        f"{table}: needs columns 'file' and 'temperature'"
                    ) from None
                except SsblabInputError as exc:
                    raise SsblabInputError(f"{table}, line {line}: {exc}") from None
        missing = [s.source for s in spectra if Path(s.source).name not in lookup]
        if missing:
            raise SsblabInputError(f"{table}: no temperature for {', '.join(missing)}")
        return [lookup[Path(s.source).name] for s in spectra]
    from_metadata = [s.metadata.get("temperature_K") for s in spectra]
    if all(t is not None for t in from_metadata):
        return [float(t) for t in from_metadata]
    raise SsblabInputError("give --temperature for each file, or --temperatures TABLE.csv")


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
    cell: Annotated[str, typer.Option(help="pellet, symmetric or film")] = "pellet",
    quantity: Annotated[str, typer.Option(help="total or bulk conductivity")] = "total",
    model: Annotated[str, typer.Option(help="sigmaT (σT = A e^(−Ea/kT)) or sigma")] = "sigmaT",
    reported_ea: Annotated[str | None, typer.Option(help='Compare with e.g. "0.33 eV".')] = None,
    plot: PlotOpt = None,
    json_output: JsonFlag = False,
) -> None:
    """Conductivity of each file, then the activation energy across temperatures."""
    import numpy as np
    from rich.table import Table

    from ssblab.impedance import figures
    from ssblab.impedance.arrhenius import arrhenius_fit

    if quantity not in ("total", "bulk"):
        raise SsblabInputError(f"--quantity {quantity!r}: use total or bulk")
    geometry = geometry_from(thickness, diameter, area)
    spectra = load_spectra(files)
    kelvin = _temperatures(files, temperature, temperatures, spectra)
    results = _fit_all(spectra, circuit, cell, "modulus")
    rows = [
        _interpretation_row(s, r, geometry, cell) for s, r in zip(spectra, results, strict=True)
    ]
    sigma = np.array([row[f"sigma_{quantity}_S_m"] for row in rows], dtype=float)
    sigma_err = np.array([row[f"sigma_{quantity}_err_S_m"] for row in rows], dtype=float)
    reported = None
    if reported_ea is not None:
        reported = float(parse_quantity(reported_ea).to("eV").magnitude)
    result = arrhenius_fit(
        kelvin, sigma, sigma_err, model=model, reported_activation_energy_eV=reported
    )
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
            }
            for row, t, s, e in zip(rows, kelvin, sigma, sigma_err, strict=True)
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
    for column in ("file", "T (°C)", "σ (S/cm)", "±", "circuit"):
        table.add_column(column)
    for point in payload["points"]:
        table.add_row(
            point["file"],
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
        f"  σ(25 °C) = {fmt(result.sigma_extrapolated_S_m / 100)} S/cm "
        f"[{fmt(band[0] / 100)}, {fmt(band[1] / 100)}] ({100 * result.confidence:.0f} % band)"
    )
    for note in result.notes:
        out.print(f"  note: {note}")
    if plot:
        out.print(f"  wrote {payload['figure']}")
