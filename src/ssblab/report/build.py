"""A report of instrument files: read each (format detected), analyse it as the CLI would, and
lay the results out as sections (:mod:`ssblab.report.model`).

* impedance files: per spectrum the automatic circuit fit (parameters with units and standard
  errors, the selection by BIC), the Kramers–Kronig verdict, the DRT peaks, and with a geometry
  σ bulk/total/gb and the ASR; with temperatures for two or more spectra, the Arrhenius E_a;
* cycling files: a Li | Li cell (``--cell symmetric``, or recognised from its voltage) gets
  ``ssblab cycle symmetric`` (ASR over time, short circuit, CCD), any other ``ssblab cycle
  full`` (capacity, CE, retention, fade).

A file that cannot be read is bad input (the typed error of the reader, naming the file). A
file that is read but cannot be analysed as asked — a cycling file without an electrode area, a
spectrum whose bulk arc is not resolved — becomes a section that says why: a report leaves
nothing out silently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ssblab.cli.output import fmt
from ssblab.errors import SsblabError, SsblabInputError
from ssblab.report import compute
from ssblab.report.cycling import cycling_section
from ssblab.report.model import Figure, Report, Section, SourceFile, Table

if TYPE_CHECKING:
    from ssblab.impedance.interpretation import Geometry
    from ssblab.impedance.spectrum import Spectrum
    from ssblab.workspace.readers import ParsedFile

CELLS = ("pellet", "symmetric", "film", "full")
FIGURES = ("all", "nyquist", "none")
Temperatures = Sequence[float] | Mapping[str, float] | None


def _line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def read_file(path: Path) -> tuple[SourceFile, ParsedFile]:
    """The file's identity and what the readers make of it; a missing or unreadable file is
    :class:`SsblabInputError` naming it."""
    from ssblab.workspace.readers import read_measurement

    path = Path(path)
    if path.is_dir():
        raise SsblabInputError(f"{path}: is a folder, not a file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SsblabInputError(f"{path}: no such file") from None
    except OSError as exc:
        raise SsblabInputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        parsed = read_measurement(data, path.name)
    except SsblabInputError as exc:
        message = _line(exc)
        raise type(exc)(message if path.name in message else f"{path}: {message}") from None
    source = SourceFile.of_bytes(
        path, data, format=parsed.format, kind=parsed.kind, notes=list(parsed.notes)
    )
    return source, parsed


def _temperatures(
    spectra: list[Spectrum], given: Temperatures, table: Path | None
) -> tuple[list[float] | None, str | None]:
    """One temperature (K) per spectrum, or None and why: from ``given`` (one per spectrum, or
    by file name), the CSV ``table`` (columns file, temperature), or the files themselves."""
    from ssblab.cli.eis_inputs import temperature_table

    if isinstance(given, Mapping):
        missing = [s.source for s in spectra if s.source not in given]
        if missing:
            raise SsblabInputError(f"no temperature for {', '.join(missing)}")
        return [float(given[s.source]) for s in spectra], None
    if given is not None and len(given) > 0:
        if len(given) != len(spectra):
            raise SsblabInputError(
                f"{len(given)} temperatures for {len(spectra)} spectra; give one each"
            )
        return [float(t) for t in given], None
    if table is not None:
        return temperature_table(table, spectra), None
    stated = [s.metadata.get("temperature_K") for s in spectra]
    if all(isinstance(t, (int, float)) for t in stated):
        return [float(t) for t in stated], None
    return None, "no temperature for every spectrum (give --temperature for each, or a table)"


def _parameter_table(item: dict) -> Table:
    from ssblab.cli.eis_output import parameter_units

    rows = []
    units = parameter_units(item["circuit"])
    for (name, value), unit in zip(item["parameters"].items(), units, strict=True):
        err = item["stderr"][name]
        rel = fmt(100 * err / abs(value), 2) if value and err is not None else "–"
        rows.append([name, unit, fmt(value), fmt(err), rel])
    return Table(
        f"{item['circuit']} ({item['weighting']} weighting)",
        ["parameter", "unit", "value (in unit)", "± std. error (in unit)", "rel. error (%)"],
        rows,
    )


def _fit_facts(item: dict) -> list[tuple[str, str]]:
    from ssblab.cli.eis_output import selection_line

    floor = item.get("noise_floor_chi2")
    facts = [
        ("circuit", item["circuit"]),
        ("χ² (–)", fmt(item["chi2"])),
        ("reduced χ² (–)", fmt(item["reduced_chi2"])),
    ]
    if isinstance(floor, float) and floor > 0:
        facts.append(("χ² / noise floor (–)", fmt(item["chi2"] / floor, 3)))
    if "selection" in item:
        facts.append(("selection", selection_line(item["selection"]).strip()))
    return facts


def _kk_table(row: dict) -> Table:
    verdict = "pass" if row["passed"] else "FAIL"
    return Table(
        "Linear Kramers–Kronig test (Schönleber's μ criterion)",
        ["M (–)", "μ (–)", "max |residual| (%)", "max |trend| (%)", "verdict"],
        [
            [
                row["num_elements"],
                fmt(row["mu"], 3),
                fmt(100 * row["max_abs_residual"], 3),
                fmt(100 * row["max_abs_trend"], 3),
                verdict,
            ]
        ],
    )


def _drt_table(row: dict) -> Table:
    return Table(
        f"DRT peaks (λ = {fmt(row['lambda'], 3)}, {row['lambda_method']})",
        ["τ (s)", "f (Hz)", "R (Ω)", "C (F)", "in measured range"],
        [
            [
                fmt(p["tau_s"]),
                fmt(p["frequency_hz"]),
                fmt(p["resistance_ohm"]),
                fmt(p["capacitance_F"]),
                "yes" if p["inside_measured_range"] else "no (edge)",
            ]
            for p in row["peaks"]
        ],
    )


def _conductivity_parts(row: dict) -> tuple[Table, list[tuple[str, str]]]:
    arcs = Table(
        "Arcs and their assignment (normalised capacitance C* = C·L/A)",
        ["arc", "R (Ω)", "± R (Ω)", "C (F)", "C* (F/cm)", "ε_r (–)", "f peak (Hz)", "assigned"],
        [
            [
                a["elements"][0],
                fmt(a["resistance_ohm"]),
                fmt(a["resistance_err_ohm"]),
                fmt(a["capacitance_F"]),
                fmt(a["normalised_capacitance_F_per_cm"]),
                fmt(a["relative_permittivity"], 3),
                fmt(a["peak_frequency_hz"], 3) + ("" if a["inside_window"] else " (outside)"),
                a["assignment"],
            ]
            for a in row["arcs"]
        ],
    )
    facts = [
        ("thickness (mm)", fmt(row["thickness_m"] * 1e3)),
        ("electrode area (cm²)", fmt(row["area_m2"] * 1e4)),
    ]
    for label, key, reason in (
        ("σ bulk (S/cm)", "sigma_bulk", row["bulk_reason"]),
        ("σ total (S/cm)", "sigma_total", row["total_reason"]),
    ):
        value = row[f"{key}_S_m"]
        shown = (
            f"{fmt(value / 100)} ± {fmt(row[f'{key}_err_S_m'] / 100)}"
            if value is not None
            else f"not resolved: {reason}"
        )
        facts.append((label, shown))
    if row["sigma_gb_specific_S_m"] is not None:
        facts.append(("σ gb, brick layer (S/cm)", fmt(row["sigma_gb_specific_S_m"] / 100)))
    if row["asr_per_interface_ohm_m2"] is not None:
        facts.append(
            (
                "ASR per interface (Ω·cm²)",
                f"{fmt(row['asr_per_interface_ohm_m2'] * 1e4)} ± "
                f"{fmt(row['asr_err_ohm_m2'] * 1e4)} ({row['asr_convention']})",
            )
        )
    return arcs, facts


def _spectrum_figures(spectrum: Spectrum, result, drt_result, which: str) -> list[Figure]:
    from ssblab.impedance import figures
    from ssblab.report.svg import svg_of

    f, z = spectrum.frequency_hz, spectrum.impedance_ohm
    title = f"{spectrum.source} #{spectrum.index}"
    zoom = figures.electrolyte_zoom_ohm(result, z)
    out = [
        Figure(
            "Nyquist plot: data (markers) and fit (line)",
            svg_of(lambda p: figures.nyquist(f, z, p, fit=result, title=title, zoom_ohm=zoom)),
        )
    ]
    if which == "all":
        out.append(Figure("Bode plot", svg_of(lambda p: figures.bode(f, z, p, fit=result))))
        res = (result.residuals_real, result.residuals_imag)
        out.append(
            Figure("Fit residuals", svg_of(lambda p: figures.residuals(f, *res, p, title=title)))
        )
        if drt_result is not None:
            out.append(Figure("DRT", svg_of(lambda p: figures.drt_plot(drt_result, p))))
    return out


def eis_section(
    spectrum: Spectrum,
    number: int,
    geometry: Geometry | None,
    cell: str,
    temperature_K: float | None,
    figures: str,
) -> tuple[Section, dict | None]:
    """The section of one spectrum and its conductivity row (None without σ)."""
    section = Section(f"eis-{number}", f"{spectrum.source} #{spectrum.index}", "eis")
    if temperature_K is not None:
        section.facts.append(("temperature (°C)", fmt(temperature_K - 273.15)))
    try:
        item, fitted = compute.fit(spectrum, cell)
    except SsblabError as exc:
        section.status, section.reason = "not analysed", f"cannot be fitted: {_line(exc)}"
        return section, None
    section.data["fit"] = item
    section.facts += _fit_facts(item)
    section.tables.append(_parameter_table(item))
    section.warnings += item["warnings"]
    section.notes += item["notes"]
    try:
        section.data["kk"] = compute.kk(spectrum)
    except SsblabError as exc:
        section.notes.append(f"Kramers–Kronig test not computed: {_line(exc)}")
    else:
        section.tables.append(_kk_table(section.data["kk"]))
        if not section.data["kk"]["passed"]:
            section.warnings.append("Kramers–Kronig test failed: the data may not be valid")
    drt_result = None
    try:
        section.data["drt"], drt_result = compute.drt(spectrum)
    except SsblabError as exc:
        section.notes.append(f"DRT not computed: {_line(exc)}")
    else:
        section.tables.append(_drt_table(section.data["drt"]))
    row = None
    if geometry is None:
        section.notes.append("no sample geometry given: σ and ASR not computed")
    else:
        try:
            row = compute.conductivity(spectrum, fitted, geometry, cell)
        except SsblabInputError as exc:
            section.notes.append(f"σ not computed: {_line(exc)}")
        else:
            section.data["conductivity"] = row
            arcs, facts = _conductivity_parts(row)
            section.facts += facts
            section.tables.append(arcs)
            section.notes += [n for n in row["notes"] if n not in section.notes]
            section.warnings += [w for w in row["warnings"] if w not in section.warnings]
    if figures != "none":
        section.figures = _spectrum_figures(spectrum, fitted[0], drt_result, figures)
    return section, row


def arrhenius_section(rows: list[dict], temperatures_K: list[float], figures: str) -> Section:
    section = Section(
        "arrhenius", f"Arrhenius: σ {compute.ARRHENIUS_QUANTITY} vs temperature", "arrhenius"
    )
    try:
        payload, (result, sigma_err) = compute.arrhenius(rows, temperatures_K)
    except SsblabInputError as exc:
        section.status, section.reason = "not analysed", _line(exc)
        return section
    section.data["arrhenius"] = payload
    band = payload["sigma_extrapolated_band_S_m"]
    at_c = payload["extrapolation_temperature_K"] - 273.15
    section.facts += [
        (
            "E_a (eV)",
            f"{payload['activation_energy_eV']:.4f} ± {payload['activation_energy_err_eV']:.4f}",
        ),
        ("model", "σT = A·exp(−E_a/kT)" if payload["model"] == "sigmaT" else "σ = A·exp(−E_a/kT)"),
        ("R² (–)", f"{payload['r_squared']:.5f}"),
        (
            f"σ({at_c:.4g} °C) (S/cm)",
            f"{fmt(payload['sigma_extrapolated_S_m'] / 100)} [{fmt(band[0] / 100)}, "
            f"{fmt(band[1] / 100)}] ({100 * payload['confidence']:.0f} % band)",
        ),
    ]
    section.tables.append(
        Table(
            "Points",
            ["file", "#", "T (°C)", "T (K)", "σ (S/cm)", "± σ (S/cm)", "circuit"],
            [
                [
                    p["file"],
                    p["spectrum"],
                    fmt(p["temperature_K"] - 273.15),
                    fmt(p["temperature_K"]),
                    fmt(p["sigma_S_m"] / 100),
                    fmt(p["sigma_err_S_m"] / 100),
                    p["circuit"],
                ]
                for p in payload["points"]
            ],
        )
    )
    section.notes += payload["notes"]
    section.warnings += payload["warnings"]
    if figures != "none":
        from ssblab.impedance import figures as eis_figures
        from ssblab.report.svg import svg_of

        section.figures.append(
            Figure(
                "Arrhenius plot with the fit and σ(25 °C)",
                svg_of(lambda p: eis_figures.arrhenius_plot(result, p, sigma_err_S_m=sigma_err)),
            )
        )
    return section


def build_file_report(
    files: Sequence[Path],
    *,
    geometry: Geometry | None = None,
    cell: str = "pellet",
    temperatures_K: Temperatures = None,
    temperatures_csv: Path | None = None,
    area_m2: float | None = None,
    active_mass_g: float | None = None,
    figures: str = "all",
    title: str | None = None,
    command: str | None = None,
) -> Report:
    """The :class:`Report` of ``files`` (module docstring). ``area_m2`` (electrode area for
    cycling) defaults to the geometry's; ``active_mass_g`` is the full cell's active mass."""
    if cell not in CELLS:
        raise SsblabInputError(f"cell {cell!r}: use {', '.join(CELLS)}")
    if figures not in FIGURES:
        raise SsblabInputError(f"figures {figures!r}: use {', '.join(FIGURES)}")
    if not files:
        raise SsblabInputError("no files to report on")
    if area_m2 is None and geometry is not None:
        area_m2 = geometry.area_m2
    read = [read_file(Path(p)) for p in files]  # every file read before any analysis
    options = {
        "cell": cell,
        "figures": figures,
        "area_m2": area_m2,
        "active_mass_g": active_mass_g,
        "thickness_m": geometry.thickness_m if geometry else None,
        "geometry_area_m2": geometry.area_m2 if geometry else None,
    }
    report = Report(
        title=title or f"ssblab report: {', '.join(s.name for s, _ in read)}"[:200],
        command=command or f"render_report({[str(p) for p in files]!r}, {options!r})",
        options=options,
        files=[s for s, _ in read],
    )
    _eis_sections(report, read, geometry, cell, temperatures_K, temperatures_csv, figures)
    cycling = [(s, p) for s, p in read if p.kind == "cycling"]
    for number, (source, parsed) in enumerate(cycling):
        report.sections.append(
            cycling_section(source, parsed, number, cell, area_m2, active_mass_g, figures)
        )
    return report


def _eis_sections(report, read, geometry, cell, temperatures_K, temperatures_csv, figures):
    from ssblab.workspace.readers import spectra_of

    spectra = []
    for source, parsed in read:
        if parsed.kind == "eis":
            for spectrum in spectra_of(parsed.frame, source.name, parsed.metadata):
                spectra.append(replace(spectrum, notes=tuple(parsed.notes)))
    if not spectra:
        return
    kelvin, why = _temperatures(spectra, temperatures_K, temperatures_csv)
    report.options["temperatures_K"] = kelvin
    rows: list[dict | None] = []
    for number, spectrum in enumerate(spectra):
        section, row = eis_section(
            spectrum, number, geometry, cell, kelvin[number] if kelvin else None, figures
        )
        report.sections.append(section)
        rows.append(row)
    if len(spectra) < 2 or (kelvin is None and len({s.source for s in spectra}) < 2):
        return  # loops of one file with no temperatures are not a temperature series
    if kelvin is None or geometry is None:
        reason = why if kelvin is None else "no sample geometry (give --thickness and an area)"
        report.sections.append(
            Section("arrhenius", "Arrhenius", "arrhenius", "not analysed", reason)
        )
        return
    if len(set(kelvin)) < 2:
        report.sections.append(
            Section(
                "arrhenius",
                "Arrhenius",
                "arrhenius",
                "not analysed",
                "all spectra at one temperature",
            )
        )
        return
    missing = [s for s, r in zip(spectra, rows, strict=True) if r is None]
    if missing:
        report.sections.append(
            Section(
                "arrhenius",
                "Arrhenius",
                "arrhenius",
                "not analysed",
                f"no σ for {', '.join(s.label for s in missing)}",
            )
        )
        return
    report.sections.append(arrhenius_section(rows, kelvin, figures))
