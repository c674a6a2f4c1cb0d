"""Human output of ``ssblab eis …``: parameter units, fit tables, warnings in yellow.

Parameter units come from :attr:`ssblab.impedance.circuits.Circuit.parameter_units` (SI, ASCII)
and are rendered per element so that each reads as it should in a table:

======  ==========================  =============================================
element parameter                   unit shown
======  ==========================  =============================================
R, C, L R, C, L                     Ω, F, H
CPE     Q (Z = 1/(Q (jω)^α)), α     F·s^(α−1) (= Ω⁻¹·s^α), dimensionless
W       A_W (Z = A_W (1 − j)/√ω)    Ω·s^(−1/2)
Wo, Ws  Z0, τ                       Ω, s
G, K    R, τ                        Ω, s
Gs      R, τ, φ                     Ω, s, dimensionless
La      L (Z = (jωL)^α), α          Ω^(1/α)·s (= H at α = 1), dimensionless
======  ==========================  =============================================

(La follows impedance.py's code, Z = (jωL)^α, so L carries Ω^(1/α)·s; impedance.py's "H sec"
label fits neither form.)
"""

from __future__ import annotations

import math

from ssblab.cli.output import fmt

DIMENSIONLESS = "–"
_BY_ELEMENT = {
    "R": ("Ω",),
    "C": ("F",),
    "L": ("H",),
    "CPE": ("F·s^(α−1)", DIMENSIONLESS),
    "W": ("Ω·s^(−1/2)",),
    "Wo": ("Ω", "s"),
    "Ws": ("Ω", "s"),
    "G": ("Ω", "s"),
    "K": ("Ω", "s"),
    "Gs": ("Ω", "s", DIMENSIONLESS),
    "La": ("Ω^(1/α)·s", DIMENSIONLESS),
}


def _fallback(raw: str) -> str:
    if not raw:
        return DIMENSIONLESS
    text = raw.replace("Ohm", "Ω").replace(" ", "·")
    return text.replace("^-1/2", "^(−1/2)").replace("^-1", "⁻¹")


def parameter_units(circuit_text: str) -> tuple[str, ...]:
    """Display units of every parameter of ``circuit_text`` (table above)."""
    from ssblab.impedance.circuits import parse_circuit

    circuit = parse_circuit(circuit_text)
    out: list[str] = []
    for element in circuit.elements:
        raw = element.spec.units
        shown = _BY_ELEMENT.get(element.kind)
        if shown is None or len(shown) != len(raw):
            shown = tuple(_fallback(u) for u in raw)
        out += shown
    return tuple(out)


def json_units(circuit_text: str) -> dict[str, str]:
    """``{parameter: unit}`` for ``--json`` (dimensionless written as ``"1"``)."""
    from ssblab.impedance.circuits import parse_circuit

    names = parse_circuit(circuit_text).parameter_names
    units = parameter_units(circuit_text)
    return {n: ("1" if u == DIMENSIONLESS else u) for n, u in zip(names, units, strict=True)}


def print_warnings(out, warnings, indent: str = "  ") -> None:
    """Each warning as one yellow line (no markup interpretation of its text)."""
    from rich.text import Text

    for warning in warnings:
        out.print(Text(f"{indent}warning: {warning}", style="yellow"))


def bic_strength(delta: float | None) -> str:
    """Kass & Raftery (1995) wording of a BIC difference."""
    if delta is None:
        return "no runner-up"
    if delta > 10:
        return "very strong"
    if delta > 6:
        return "strong"
    if delta > 2:
        return "positive"
    return "weak"


def fit_table(item: dict):
    """A rich table of one fitted spectrum (``item`` as built by ``eis fit``)."""
    from rich.table import Table

    table = Table(title=f"{item['file']} #{item['spectrum']}: {item['circuit']}")
    for column in ("parameter", "unit", "value", "± stderr", "rel. err"):
        table.add_column(column, justify="left" if column in ("parameter", "unit") else "right")
    shown = parameter_units(item["circuit"])
    for (name, value), unit in zip(item["parameters"].items(), shown, strict=True):
        err = item["stderr"][name]
        rel = (
            f"{100 * err / abs(value):.2g} %"
            if value and err is not None and math.isfinite(err)
            else "–"
        )
        table.add_row(name, unit, fmt(value), fmt(err), rel)
    floor = item.get("noise_floor_chi2")
    ratio = (
        f", {item['chi2'] / floor:.3g}× the noise floor"
        if isinstance(floor, float) and floor > 0
        else ""
    )
    table.caption = (
        f"χ² {item['chi2']:.3g}{ratio}, reduced χ² {item['reduced_chi2']:.3g} "
        f"({item['weighting']} weighting), {item['n_starts']} starts"
    )
    return table


def selection_line(selection: dict) -> str:
    """One line: how ``--circuit auto`` chose, with the runner-up and ΔBIC."""
    n = len(selection["candidates"])
    cell = "any cell" if selection["cell"] == "auto" else f"cell {selection['cell']}"
    if selection["runner_up"] is None:
        return f"  auto ({cell}): {n} candidate(s), no runner-up"
    delta = selection["delta_bic"]
    return (
        f"  auto ({cell}): best BIC of {n} candidates; runner-up {selection['runner_up']} "
        f"ΔBIC = {delta:.1f} ({bic_strength(delta)})"
    )
