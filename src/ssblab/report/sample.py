"""The report of one sample of a workspace: what the catalogue knows about it, its stored
measurements and analyses, and the knowledge base's records of the same family and dopant.

The numbers are those the workspace stored (the analyses call the CLI's functions,
:mod:`ssblab.workspace.tasks`) as ``ssblab query conductivity|arrhenius|ccd|retention`` reports
them, beside the knowledge-base medians those views attach (same family; same family and
dopant). Nothing is recomputed except figures: the Arrhenius line is redrawn from the stored
points with the stored options, the spectra from the stored arrays.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ssblab.cli.output import fmt
from ssblab.errors import SsblabError, SsblabInputError
from ssblab.report.model import Figure, Report, Section, SourceFile, Table

if TYPE_CHECKING:
    import pandas as pd

    from ssblab.workspace import Workspace

KB_PROPERTIES = (
    "ionic_conductivity",
    "activation_energy",
    "critical_current_density",
    "area_specific_resistance",
)
KB_ROWS_SHOWN = 40


def _v(value, scale: float = 1.0, digits: int = 4) -> str:
    """A stored number (None/NaN when absent) scaled to the unit of its column."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return fmt(float(value) * scale, digits)


def _rows(frame: pd.DataFrame, sample: str) -> list[dict]:
    if frame.empty or "sample" not in frame.columns:
        return []
    return frame[frame["sample"] == sample].to_dict("records")


def _catalogue(workspace: Workspace, name: str) -> tuple[Any, list, list]:
    """(sample, its measurements, the analyses that read them or are about it)."""
    from sqlalchemy import or_, select
    from sqlalchemy.orm import selectinload

    from ssblab.workspace.schema import Analysis, Cell, Measurement, Sample

    with workspace.sessions() as session:
        sample = session.scalar(
            select(Sample).where(Sample.name == name).options(selectinload(Sample.material))
        )
        if sample is None:
            names = session.scalars(select(Sample.name).order_by(Sample.name)).all()
            known = ", ".join(names[:20]) + (" …" if len(names) > 20 else "") or "none"
            raise SsblabInputError(
                f"sample {name!r} is not in workspace {workspace.path} (samples: {known})"
            )
        cells = select(Cell.id).where(Cell.sample_id == sample.id)
        measurements = session.scalars(
            select(Measurement)
            .where(or_(Measurement.sample_id == sample.id, Measurement.cell_id.in_(cells)))
            .options(selectinload(Measurement.cell))
            .order_by(Measurement.id)
        ).all()
        ids = {m.id for m in measurements}
        analyses = [
            a
            for a in session.scalars(
                select(Analysis).options(selectinload(Analysis.inputs)).order_by(Analysis.id)
            ).all()
            if a.subject == f"sample:{sample.id}" or any(m.id in ids for m in a.inputs)
        ]
    return sample, measurements, analyses


def _sample_section(sample) -> Section:
    material = sample.material
    section = Section("sample", f"Sample {sample.name}", "sample")
    section.facts += [
        ("formula", material.formula if material else "–"),
        ("family", (material.family if material else None) or "–"),
        ("dopant", sample.dopant or "–"),
        ("thickness (mm)", _v(sample.thickness_m, 1e3)),
        ("diameter (mm)", _v(sample.diameter_m, 1e3)),
        ("electrode area (cm²)", _v(sample.area_m2, 1e4)),
        ("relative density (%)", _v(sample.relative_density, 100)),
        ("sintering", sample.sintering or "–"),
        ("coating", sample.coating or "–"),
        ("ALD cycles (–)", "–" if sample.ald_cycles is None else str(sample.ald_cycles)),
        ("anneal", sample.anneal or "–"),
    ]
    for key, value in (sample.extra or {}).items():
        section.facts.append((str(key), str(value)))
    if material and material.neutral is False:
        section.warnings.append(f"{material.formula} is not charge-neutral")
    return section


def _measurement_section(workspace: Workspace, measurements: list) -> Section:
    """The measurements table and the Nyquist plot of the stored spectra."""
    from ssblab.report.svg import nyquist_overlay
    from ssblab.workspace.arrays import read_frame
    from ssblab.workspace.readers import spectra_of

    section = Section("measurements", "Measurements", "measurements")
    rows, curves = [], []
    for m in measurements:
        name = os.path.basename(m.path)
        rows.append(
            [
                m.id,
                name,
                m.kind or "–",
                m.format or "–",
                m.cell.name if m.cell else "–",
                _v(m.temperature_K - 273.15 if m.temperature_K else None),
                m.status,
                m.error or "; ".join(m.notes or []) or "–",
            ]
        )
        if m.status == "failed":
            section.warnings.append(f"{name}: not read: {m.error}")
        if m.kind == "eis" and m.status == "ok" and m.array_path:
            frame = read_frame(Path(workspace.path), m.array_path)
            for s in spectra_of(frame, name):
                t = "" if m.temperature_K is None else f" ({m.temperature_K - 273.15:.4g} °C)"
                curves.append((f"{name} #{s.index}{t}", s.impedance_ohm))
    section.tables.append(
        Table(
            "Stored measurements",
            ["id", "file", "kind", "format", "cell", "T (°C)", "status", "error / reader notes"],
            rows,
        )
    )
    if curves:
        section.figures.append(
            Figure("Stored impedance spectra", nyquist_overlay(curves, "stored spectra"))
        )
    return section


def _kb(columns: list[tuple[str, str, float]], rows: list[dict]) -> list[tuple[str, str]]:
    """The knowledge-base columns of a query view, from the first row (they are per sample)."""
    return [(label, _v(rows[0].get(key), scale)) for label, key, scale in columns] if rows else []


def _conductivity_section(rows: list[dict]) -> Section:
    section = Section("conductivity", "Conductivity (stored analyses)", "conductivity")
    if not rows:
        section.status, section.reason = "not analysed", "no conductivity analysis stored"
        return section
    section.data["conductivity"] = rows
    section.tables.append(
        Table(
            "σ per spectrum (newest conductivity analysis of each measurement)",
            [
                "file",
                "#",
                "T (°C)",
                "circuit",
                "σ bulk (S/cm)",
                "± (S/cm)",
                "σ total (S/cm)",
                "± (S/cm)",
                "σ gb (S/cm)",
                "ASR (Ω·cm²)",
                "thickness (mm)",
                "area (cm²)",
            ],
            [
                [
                    r["file"],
                    r["spectrum"],
                    _v(None if r["temperature_K"] is None else r["temperature_K"] - 273.15),
                    r["circuit"],
                    _v(r["sigma_bulk_S_m"], 0.01),
                    _v(r["sigma_bulk_err_S_m"], 0.01),
                    _v(r["sigma_total_S_m"], 0.01),
                    _v(r["sigma_total_err_S_m"], 0.01),
                    _v(r["sigma_gb_specific_S_m"], 0.01),
                    _v(r["asr_per_interface_ohm_m2"], 1e4),
                    _v(r["thickness_m"], 1e3),
                    _v(r["area_m2"], 1e4),
                ]
                for r in rows
            ],
        )
    )
    section.facts += _kb(
        [
            (
                "knowledge base: family median σ, 15–40 °C (S/cm)",
                "kb_family_sigma_median_S_m",
                0.01,
            ),
            ("knowledge base: family records (–)", "kb_family_sigma_n", 1),
            ("knowledge base: same dopant median σ (S/cm)", "kb_dopant_sigma_median_S_m", 0.01),
            ("knowledge base: same dopant records (–)", "kb_dopant_sigma_n", 1),
        ],
        rows,
    )
    return section


def _arrhenius_section(rows: list[dict], stored: dict | None, options: dict | None) -> Section:
    section = Section("arrhenius", "Activation energy (stored Arrhenius fit)", "arrhenius")
    if not rows:
        section.status, section.reason = "not analysed", "no Arrhenius analysis stored"
        return section
    r = rows[0]
    section.data["arrhenius"] = {"query": r, "results": stored}
    section.facts += [
        ("E_a (eV)", f"{_v(r['activation_energy_eV'])} ± {_v(r['activation_energy_err_eV'])}"),
        ("quantity, model", f"σ {r['quantity']}, {r['model']}"),
        ("points (–)", str(r["n_points"])),
        ("R² (–)", _v(r["r_squared"], 1, 6)),
        (
            f"σ({_v(r['extrapolation_temperature_K'] - 273.15)} °C) (S/cm)",
            _v(r["sigma_extrapolated_S_m"], 0.01),
        ),
        ("knowledge base: family median E_a (eV)", _v(r["kb_family_ea_median_eV"])),
        ("knowledge base: family E_a records (–)", str(r["kb_family_ea_n"])),
    ]
    if stored:
        section.warnings += list(stored.get("warnings", []))
        section.notes += list(stored.get("notes", []))
        if stored.get("points") and options:
            section.figures.append(_arrhenius_figure(stored, options))
    return section


def _arrhenius_figure(stored: dict, options: dict) -> Figure:
    """The stored fit redrawn: ``arrhenius_fit`` on the stored points with the stored options
    (as :mod:`ssblab.workspace.tasks` made it), for the figure only."""
    import numpy as np

    from ssblab.impedance import figures
    from ssblab.impedance.arrhenius import arrhenius_fit
    from ssblab.report.svg import svg_of

    points = stored["points"]
    kelvin = np.array([p["temperature_K"] for p in points], dtype=float)
    sigma = np.array([p["sigma_S_m"] for p in points], dtype=float)
    err = np.array([p["sigma_err_S_m"] for p in points], dtype=float)
    result = arrhenius_fit(
        kelvin, sigma, err, model=options["model"], extrapolate_to_K=options["at_K"]
    )
    return Figure(
        "Arrhenius plot (stored points)",
        svg_of(lambda p: figures.arrhenius_plot(result, p, sigma_err_S_m=err)),
    )


def _ccd_section(rows: list[dict], stored: dict[int, dict]) -> Section:
    from ssblab.report.svg import asr_over_time

    section = Section("ccd", "Symmetric cells: ASR, short circuit, CCD (stored)", "symmetric")
    if not rows:
        section.status, section.reason = "not analysed", "no symmetric-cell analysis stored"
        return section
    section.data["ccd"] = rows
    section.tables.append(
        Table(
            "Li | SSE | Li cells",
            [
                "cell",
                "file",
                "stack pressure (MPa)",
                "ASR at start (Ω·cm²)",
                "ASR drift (Ω·cm²/h)",
                "short circuit",
                "lifetime (h)",
                "CCD (mA/cm²)",
                "last stable J (mA/cm²)",
                "failure mode",
                "KB family median CCD (mA/cm²)",
                "KB records (–)",
            ],
            [
                [
                    r["cell"] or "–",
                    r["file"],
                    _v(r["stack_pressure_Pa"], 1e-6),
                    _v(r["asr_initial_ohm_cm2"]),
                    _v(r["asr_drift_ohm_cm2_per_h"]),
                    "yes" if r["short_circuit"] else "no",
                    _v(r["lifetime_h"]),
                    _v(r["ccd_A_m2"], 0.1),
                    _v(r["last_stable_A_m2"], 0.1),
                    r["failure_mode"] or "–",
                    _v(r["kb_family_ccd_median_A_m2"], 0.1),
                    r["kb_family_ccd_n"],
                ]
                for r in rows
            ],
        )
    )
    series = []
    for r in rows:
        if r["short_circuit"]:
            section.warnings.append(f"{r['file']}: short circuit after {_v(r['lifetime_h'])} h")
        half = (stored.get(r["analysis"]) or {}).get("half_cycles") or []
        if half:
            series.append(
                (r["file"], [h["start_h"] for h in half], [h["asr_ohm_cm2"] for h in half])
            )
    if series:
        section.figures.append(Figure("ASR vs time (stored half-cycles)", asr_over_time(series)))
    return section


def _retention_section(rows: list[dict], stored: dict[int, dict]) -> Section:
    from ssblab.report.svg import capacity_over_cycles

    section = Section("retention", "Full cells: capacity retention (stored)", "full")
    if not rows:
        section.status, section.reason = "not analysed", "no full-cell analysis stored"
        return section
    section.data["retention"] = rows
    section.tables.append(
        Table(
            "Full cells",
            [
                "cell",
                "file",
                "cycles (–)",
                "reference cycle",
                "last cycle",
                "retention (%)",
                "nominal capacity (mAh)",
                "fade model",
                "end of life (cycle)",
            ],
            [
                [
                    r["cell"] or "–",
                    r["file"],
                    r["cycles"],
                    r["reference_cycle"],
                    r["last_cycle"],
                    _v(r["retention_percent"]),
                    _v(r["nominal_capacity_mAh"]),
                    r["fade_model"] or "–",
                    _v(r["eol_cycle"]),
                ]
                for r in rows
            ],
        )
    )
    series = []
    for r in rows:
        cycles = (stored.get(r["analysis"]) or {}).get("cycles") or []
        if cycles:
            series.append(
                (
                    r["file"],
                    [c["cycle"] for c in cycles],
                    [c["discharge_mAh"] for c in cycles],
                    [100 * (c["coulombic_efficiency"] or math.nan) for c in cycles],
                )
            )
    if series:
        section.figures.append(
            Figure("Capacity and CE (stored cycles)", capacity_over_cycles(series))
        )
    return section


def _kb_section(family: str | None, dopant: str | None) -> Section:
    """The knowledge base's records of the sample's family and dopant, with their sources."""
    from ssblab.knowledge import default_knowledge_base

    section = Section("kb", "Knowledge base: same family and dopant", "kb")
    if family is None:
        section.status, section.reason = "not analysed", "the sample's family is not known"
        return section
    table = default_knowledge_base().to_dataframe()
    rows = table[(table["family"] == family) & table["property"].isin(KB_PROPERTIES)]
    scope = f"family {family}"
    if dopant is not None:
        same = rows[rows["dopant_element"] == dopant]
        section.facts.append((f"records of {family} doped with {dopant} (–)", str(len(same))))
        if len(same):
            rows, scope = same, f"{family} doped with {dopant}"
    section.facts.append(
        (
            f"records of the {family} family (these properties) (–)",
            str(int(((table["family"] == family) & table["property"].isin(KB_PROPERTIES)).sum())),
        )
    )
    shown = rows.head(KB_ROWS_SHOWN)
    section.tables.append(
        Table(
            f"Records of {scope} ({len(shown)} of {len(rows)} shown)",
            ["id", "material", "property", "value (unit)", "unit", "T (°C)", "source"],
            [
                [
                    r.id,
                    r.material,
                    r.property,
                    f"{r.qualifier if r.qualifier not in ('=', None) else ''}{r.value:g}"
                    if isinstance(r.value, (int, float)) and not math.isnan(r.value)
                    else str(r.value),
                    r.unit,
                    _v(None if math.isnan(r.temperature_K) else r.temperature_K - 273.15),
                    f"{r.source_file[:3]} {r.source_section}",
                ]
                for r in shown.itertuples()
            ],
        )
    )
    return section


def _stored_results(analyses: list, kind: str) -> dict[int, dict]:
    return {a.id: a.results for a in analyses if a.kind == kind and a.results}


def _newest(analyses: list) -> list:
    """The newest analysis per (kind, subject): the one the query views read."""
    newest: dict[tuple[str, str], Any] = {}
    for a in analyses:  # in id order, so a later one replaces an earlier one
        newest[(a.kind, a.subject)] = a
    return list(newest.values())


def _stored_warnings(analyses: list, kind: str) -> list[str]:
    """The warnings the newest analyses of ``kind`` stored (each names its spectrum/file)."""
    out: list[str] = []
    for a in _newest(analyses):
        if a.kind == kind and a.status == "ok":
            out += [w for w in a.warnings or [] if w not in out]
    return out


def _analyses_section(analyses: list) -> Section:
    section = Section("analyses", "Stored analyses", "analyses")
    section.tables.append(
        Table(
            "Every analysis of the sample's measurements (older ones kept as history)",
            [
                "id",
                "kind",
                "subject",
                "status",
                "ssblab version",
                "created (UTC)",
                "warnings (–)",
                "error",
            ],
            [
                [
                    a.id,
                    a.kind,
                    a.subject,
                    a.status,
                    a.version,
                    str(a.created_at)[:19],
                    len(a.warnings or []),
                    a.error or "–",
                ]
                for a in analyses
            ],
        )
    )
    for a in _newest(analyses):
        if a.status == "failed":
            section.warnings.append(f"{a.kind} of {a.subject} failed: {a.error}")
    return section


def build_sample_report(
    workspace: Workspace | str | Path,
    sample: str,
    *,
    title: str | None = None,
    command: str | None = None,
) -> Report:
    """The :class:`Report` of ``sample`` (module docstring); an unknown sample or workspace is
    :class:`SsblabInputError` naming it."""
    from ssblab.workspace import Workspace

    opened = not hasattr(workspace, "sessions")
    ws = Workspace.open(workspace) if opened else workspace
    try:
        return _build(ws, sample, title, command)
    finally:
        if opened:
            ws.close()


def _build(ws: Workspace, name: str, title: str | None, command: str | None) -> Report:
    record, measurements, analyses = _catalogue(ws, name)
    material = record.material
    report = Report(
        title=title or f"ssblab report: sample {name}",
        command=command or f"render_sample_report({str(ws.path)!r}, {name!r})",
        options={"sample": name},
        context={
            "workspace": str(ws.path),
            "backend": ws.backend,
            "schema_version": ws.info.get("schema_version"),
        },
        files=[
            SourceFile(
                name=os.path.basename(m.path),
                path=m.path,
                size_bytes=m.size_bytes,
                sha256=m.sha256,
                format=m.format,
                kind=m.kind,
                notes=list(m.notes or []),
                status=m.status,
                error=m.error,
            )
            for m in measurements
        ],
    )
    try:
        views = {
            what: _rows(ws.query(what), name)
            for what in ("conductivity", "arrhenius", "ccd", "retention")
        }
    except SsblabError as exc:
        raise SsblabInputError(f"workspace {ws.path}: {' '.join(str(exc).split())}") from None
    arrhenius = [a for a in analyses if a.kind == "arrhenius" and a.status == "ok"]
    newest = arrhenius[-1] if arrhenius else None
    kinds = {(m.kind, m.cell.kind if m.cell else None) for m in measurements}
    has_eis = any(k == "eis" for k, _ in kinds)
    parts = [
        (has_eis, _conductivity_section(views["conductivity"]), "conductivity"),
        (
            has_eis,
            _arrhenius_section(
                views["arrhenius"],
                newest.results if newest else None,
                newest.options if newest else None,
            ),
            None,  # its warnings come with the stored results
        ),
        (
            ("cycling", "symmetric") in kinds,
            _ccd_section(views["ccd"], _stored_results(analyses, "symmetric")),
            "symmetric",
        ),
        (
            ("cycling", "full") in kinds,
            _retention_section(views["retention"], _stored_results(analyses, "full")),
            "full",
        ),
    ]
    report.sections += [_sample_section(record), _measurement_section(ws, measurements)]
    for relevant, section, kind in parts:
        # a section the sample's measurements cannot feed is left out; one they could feed
        # but that has no stored analysis says so (run ``ssblab analyse``)
        if relevant or section.status == "ok":
            if kind is not None:
                section.warnings += _stored_warnings(analyses, kind)
            report.sections.append(section)
    report.sections += [
        _kb_section(material.family if material else None, record.dopant),
        _analyses_section(analyses),
    ]
    return report
