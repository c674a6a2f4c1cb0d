"""Sections of cycling files: ``ssblab cycle symmetric`` for a Li | Li cell (asked for with
``--cell symmetric``, or recognised from its voltage by
:func:`ssblab.cycling.checks.symmetric_evidence_from_table`), ``ssblab cycle full`` for any
other cell. An analysis that refuses the file (no electrode area, a cell check that fails)
leaves a section that says why.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ssblab.cli.output import fmt
from ssblab.errors import SsblabInputError
from ssblab.report import compute
from ssblab.report.model import Figure, Section, SourceFile, Table

if TYPE_CHECKING:
    from ssblab.workspace.readers import ParsedFile


def _line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def _cycling_kind(data, cell: str) -> tuple[str, str | None]:
    """``symmetric`` or ``full``: the one asked for, else read off the voltage."""
    from ssblab.cycling.checks import symmetric_evidence_from_table

    if cell in ("symmetric", "full"):
        return cell, None
    evidence = symmetric_evidence_from_table(data.table)
    kind = "symmetric" if evidence.symmetric else "full"
    return kind, f"analysed as a {kind} cell: {evidence.reason}"


def _symmetric_parts(section: Section, data, area_m2, figures: str) -> None:
    import numpy as np

    payload, result = compute.symmetric(data, area_m2)
    section.data["symmetric"] = payload
    hc = result.half_cycles
    check = result.cell_check or {}
    section.facts += [
        ("electrode area (cm²)", fmt(payload["area_m2"] * 1e4)),
        ("half-cycles (–)", str(len(hc))),
        ("Li | Li check", check.get("reason", "–")),
    ]
    if result.asr_slope_ohm_m2_per_h is not None:
        section.facts += [
            ("ASR at start (Ω·cm²)", fmt(result.asr_initial_ohm_m2 * 1e4)),
            ("ASR drift (Ω·cm²/h)", fmt(result.asr_slope_ohm_m2_per_h * 1e4)),
        ]
    short = result.short
    if short.detected:
        verdict = (
            f"SHORT ({short.kind}) at {short.time_h:.2f} h, confidence "
            f"{short.confidence:.2f}: {short.evidence}"
        )
        section.warnings.append(f"short circuit at {short.time_h:.2f} h")
    else:
        verdict = f"no short circuit over {hc['end_h'].max():.1f} h"
    section.facts.append(("short circuit", verdict))
    ccd = result.critical_current
    section.facts.append(
        ("critical current density", f"{ccd.evidence} ({ccd.mode})" if ccd else "no staircase")
    )
    shown = hc if len(hc) <= 10 else hc.iloc[np.r_[0:5, len(hc) - 5 : len(hc)]]
    section.tables.append(
        Table(
            f"Half-cycles ({'all' if len(hc) <= 10 else 'first 5, last 5'} of {len(hc)})",
            ["#", "kind", "start (h)", "J (mA/cm²)", "η (V)", "ASR (Ω·cm²)"],
            [
                [
                    r.index,
                    r.kind,
                    fmt(r.start_h),
                    fmt(r.current_density_A_m2 / 10),
                    fmt(r.overpotential_V),
                    fmt(r.asr_ohm_m2 * 1e4),
                ]
                for r in shown.itertuples()
            ],
        )
    )
    section.warnings += payload["warnings"]
    section.notes += payload["notes"]
    if figures != "none":
        from ssblab.cycling import figures as cyc
        from ssblab.report.svg import svg_of

        stem = Path(data.source).stem
        section.figures += [
            Figure(
                "Voltage vs time",
                svg_of(lambda p: cyc.voltage_time(data.table, result, p, title=stem)),
            ),
            Figure("ASR vs time", svg_of(lambda p: cyc.asr_time(result, p, title=stem))),
        ]


def _full_parts(section: Section, data, active_mass_g, area_m2, figures: str) -> None:
    import numpy as np

    payload, (result, fade, rates) = compute.full(data, active_mass_g, area_m2)
    section.data["full"] = payload
    cycles = result.cycles
    section.facts += [
        ("cycles (–)", f"{len(cycles)} ({result.first_step} first)"),
        ("formation cycles", ", ".join(map(str, result.formation_cycles)) or "none"),
        ("reference cycle", str(result.reference_cycle)),
        (
            "nominal capacity (mAh)",
            f"{fmt(payload['nominal_capacity_mAh'])} ({payload['nominal_capacity_source']})",
        ),
        (
            "capacity retention (%)",
            f"{result.retention_percent:.1f} (cycle {result.last_cycle} vs "
            f"{result.reference_cycle})",
        ),
    ]
    if fade is not None:
        eol = "not reached"
        if fade.eol_cycle is not None:
            eol = f"cycle {fade.eol_cycle:.0f}"
            if fade.eol_ci is not None:
                eol += f" [{fade.eol_ci[0]:.0f}, {fade.eol_ci[1]:.0f}]"
        section.facts += [
            ("fade model", f"{fade.best_model} ({fade.best.equation})"),
            (f"end of life, {100 * fade.eol_fraction:.0f} % of reference", eol),
        ]
        if fade.knee is not None and fade.knee.detected:
            section.facts.append(("knee", f"cycle {fade.knee.knee_cycle:.0f}"))
    if rates is not None:
        section.facts.append(
            (
                f"rate capability (% of {rates.slowest_c_rate:g} C)",
                ", ".join(
                    f"{r.c_rate:g} C {r.relative_percent:.0f}" for r in rates.rates.itertuples()
                ),
            )
        )
    per_gram = bool(cycles["discharge_mAh_g"].notna().any())
    unit = "mAh/g" if per_gram else "mAh"
    shown = cycles if len(cycles) <= 10 else cycles.iloc[np.r_[0:5, len(cycles) - 5 : len(cycles)]]
    section.tables.append(
        Table(
            f"Cycles ({'all' if len(cycles) <= 10 else 'first 5, last 5'} of {len(cycles)})",
            [
                "cycle",
                "C-rate (1/h)",
                f"charge ({unit})",
                f"discharge ({unit})",
                "CE (%)",
                "retention (%)",
            ],
            [
                [
                    r.cycle,
                    fmt(r.c_rate, 3),
                    fmt(r.charge_mAh_g if per_gram else r.charge_mAh),
                    fmt(r.discharge_mAh_g if per_gram else r.discharge_mAh),
                    fmt(100 * r.coulombic_efficiency),
                    fmt(r.retention_percent),
                ]
                for r in shown.itertuples()
            ],
        )
    )
    section.warnings += payload["warnings"]
    section.notes += payload["notes"]
    if figures != "none":
        section.figures += _full_figures(data, result, fade, rates, active_mass_g)


def _full_figures(data, result, fade, rates, active_mass_g) -> list[Figure]:
    """The figures of ``ssblab cycle full --plot`` (its own helper writes PNG files by name,
    so the same calls are made here with SVG paths)."""
    from ssblab.cycling import figures as cyc
    from ssblab.cycling.dqdv import representative_dqdv
    from ssblab.cycling.fade import fade_series
    from ssblab.report.svg import svg_of

    stem = Path(data.source).stem
    out = [
        Figure(
            "Capacity and Coulombic efficiency",
            svg_of(lambda p: cyc.capacity_ce(result, p, title=stem)),
        )
    ]
    if fade is not None:
        kept, _ = fade_series(result)
        out.append(
            Figure(
                "Capacity fade and the fitted model",
                svg_of(
                    lambda p: cyc.fade_plot(
                        kept["cycle"], kept["discharge_mAh"], fade, p, title=stem
                    )
                ),
            )
        )
    if rates is not None:
        out.append(Figure("Rate capability", svg_of(lambda p: cyc.rate_bars(rates, p, title=stem))))
    curves = representative_dqdv(data, result, active_mass_g)
    if curves is not None:
        out.append(Figure("dQ/dV", svg_of(lambda p: cyc.dqdv_plot(curves, p, title=stem))))
    return out


def cycling_section(
    source: SourceFile,
    parsed: ParsedFile,
    number: int,
    cell: str,
    area_m2,
    active_mass_g,
    figures: str,
) -> Section:
    from ssblab.workspace.readers import cycling_of

    section = Section(f"cycling-{number}", source.name, "cycling")
    try:
        data = replace(
            cycling_of(parsed.frame, source.name, parsed.metadata), notes=tuple(parsed.notes)
        )
        kind, note = _cycling_kind(data, cell)
        section.kind = kind
        if note:
            section.notes.append(note)
        if kind == "symmetric":
            _symmetric_parts(section, data, area_m2, figures)
        else:
            _full_parts(section, data, active_mass_g, area_m2, figures)
    except SsblabInputError as exc:
        section.status, section.reason = "not analysed", _line(exc)
    return section
