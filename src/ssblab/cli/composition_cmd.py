"""``ssblab composition FORMULA``."""

from __future__ import annotations

from typing import Annotated

import typer

from ssblab.cli.output import console, emit_json, fmt
from ssblab.errors import SsblabInputError


def _parse_overrides(items: list[str] | None) -> dict[str, int]:
    overrides: dict[str, int] = {}
    for item in items or []:
        symbol, sep, charge = item.partition("=")
        try:
            if not sep:
                raise ValueError
            overrides[symbol.strip()] = int(charge.strip().rstrip("+"))
        except ValueError:
            raise SsblabInputError(f"--oxidation {item!r}: expected ELEMENT=N, e.g. Ti=3") from None
    return overrides


def composition(
    formula: Annotated[str, typer.Argument(help="Formula, e.g. Li6.4La3Zr1.4Ta0.6O12")],
    family: Annotated[
        str | None,
        typer.Option(help="Force a structure family: garnet, nasicon, perovskite, other."),
    ] = None,
    oxidation: Annotated[
        list[str] | None,
        typer.Option(help="Override an oxidation state, ELEMENT=N (repeatable)."),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Charge balance, structure family, site sums, Li vacancies and reducibility of a formula."""
    from rich.table import Table

    from ssblab.composition import analyse

    report = analyse(formula, family=family, oxidation_overrides=_parse_overrides(oxidation))
    if json_output:
        emit_json(report.to_dict())
        return
    out = console()
    table = Table(title=f"[bold]{report.formula}[/bold]", show_header=False, box=None)
    table.add_column(style="cyan", no_wrap=True)
    table.add_column()
    elements = ", ".join(
        f"{el} {fmt(n)} ({report.oxidation_states[el]:+d})" for el, n in report.elements.items()
    )
    table.add_row("elements (state)", elements)
    verdict = "[green]neutral[/green]" if report.neutral else "[red]NOT neutral[/red]"
    table.add_row("charge balance", f"{report.charge_balance:+.4g} e/fu  {verdict}")
    table.add_row("family", report.family)
    table.add_row("molar mass", f"{report.molar_mass_g_mol:.3f} g/mol")
    if report.li_vacancies_pfu is not None:
        table.add_row("Li vacancies", f"{report.li_vacancies_pfu:.4g} pfu (relative to Li7)")
    if report.family_report:
        sums = ", ".join(f"{k} {fmt(v)}" for k, v in report.family_report.site_sums.items())
        table.add_row(f"site sums ({report.family_report.normalised_to})", sums)
        entropy = ", ".join(
            f"{name} {sub['entropy_R_per_site']:.3f} R"
            for name, sub in report.family_report.sublattices.items()
        )
        table.add_row("config. entropy", entropy)
        if report.family_report.cubic_stabilisation:
            v = report.family_report.cubic_stabilisation
            table.add_row(
                "cubic heuristic", f"{v['phase']} {v['space_group']}: {v['rule']} [{v['source']}]"
            )
    for item in report.reducible_by_li:
        table.add_row(
            "reducible by Li", f"{item['element']}: {item['reaction']} [{item['source']}]"
        )
    for note in report.notes:
        table.add_row("note", note)
    out.print(table)
