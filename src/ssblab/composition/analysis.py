"""Composition analysis: parse, charge-balance, classify, and apply solid-electrolyte rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from ssblab.composition.families import ANALYSERS, FamilyReport, detect_family
from ssblab.composition.formula import molar_mass_g_mol, parse_formula
from ssblab.composition.oxidation import (
    NEUTRALITY_TOLERANCE,
    charge_balance,
    oxidation_states_for,
)
from ssblab.errors import FormulaError

#: Cations reduced by Li metal (in the oxidation state of OXIDATION_STATES), with the rule's source.
#: "seed" entries are documented in the seed papers; "thermodynamic" entries follow from standard
#: reduction potentials far above Li⁺/Li (−3.04 V vs SHE; Bard, Parsons & Jordan, *Standard
#: Potentials in Aqueous Solution*, 1985) and from first-principles reduction potentials of Li
#: solid electrolytes (Zhu, He & Mo, ACS Appl. Mater. Interfaces 7 (2015) 23685).
REDUCIBLE_BY_LI: dict[str, tuple[str, str, str]] = {
    "Ti": ("Ti4+ -> Ti3+", "seed",
           "seed 001 §1 (spontaneous reduction of Ti4+ in LLTO by Li); seed 004 XPS/EELS "
           "(Ti3+ interphase on LATP)"),
    "Ge": ("Ge4+ -> Ge / Li-Ge alloy", "seed",
           "seed 001 §1 (LAGP/Li interface degradation to Ge, GeO2, ref. [8])"),
    "Nb": ("Nb5+ -> Nb4+", "seed",
           "seed 001 §'Zr-site cation doping' (Nb-doped LLZO less stable vs Li than Ta-doped, "
           "XPS, ref. [120])"),
    "Fe": ("Fe3+ -> Fe2+/Fe", "thermodynamic", "standard reduction potential >> Li+/Li"),
    "Sn": ("Sn4+ -> Sn / Li-Sn alloy", "thermodynamic", "standard reduction potential >> Li+/Li"),
    "Sb": ("Sb5+ -> Sb / Li3Sb", "thermodynamic", "standard reduction potential >> Li+/Li"),
    "Bi": ("Bi -> Bi / Li3Bi", "thermodynamic", "standard reduction potential >> Li+/Li"),
    "W": ("W6+ -> lower states", "thermodynamic", "standard reduction potential >> Li+/Li"),
    "Mo": ("Mo6+ -> lower states", "thermodynamic", "standard reduction potential >> Li+/Li"),
    "Te": ("Te6+ -> Te / Li2Te", "thermodynamic", "standard reduction potential >> Li+/Li"),
    "V": ("V5+ -> lower states", "thermodynamic", "standard reduction potential >> Li+/Li"),
    "Ru": ("Ru4+ -> Ru", "thermodynamic", "standard reduction potential >> Li+/Li"),
    "Ce": ("Ce4+ -> Ce3+", "thermodynamic", "standard reduction potential >> Li+/Li"),
}  # fmt: skip

ROUNDING_RESIDUAL = 0.05  # e/fu: below this, a non-zero residual usually means rounded subscripts


@dataclass(frozen=True)
class CompositionReport:
    """Everything ssblab can say about a formula from stoichiometry alone."""

    formula: str
    elements: dict[str, float]
    oxidation_states: dict[str, int]
    charge_balance: float
    neutral: bool
    family: str
    molar_mass_g_mol: float
    li_vacancies_pfu: float | None
    reducible_by_li: list[dict]
    family_report: FamilyReport | None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-ready dictionary with stable keys (floats rounded to 10 decimals)."""
        out = asdict(self)
        out["family_report"] = asdict(self.family_report) if self.family_report else None
        return _rounded(out)


def _rounded(value):
    # site sums such as 1.3 - 1.0 carry binary noise (0.30000000000000004) that helps nobody
    if isinstance(value, float):
        return round(value, 10)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    return value


def analyse(
    formula: str,
    family: str | None = None,
    oxidation_overrides: Mapping[str, int] | None = None,
) -> CompositionReport:
    """Analyse ``formula``.

    ``family`` forces a structure family ("garnet", "nasicon", "perovskite", "other");
    by default it is detected from the stoichiometry. ``oxidation_overrides`` maps element →
    oxidation state for ions outside the fixed table or to change a default (e.g. ``{"Ti": 3}``).
    """
    elements = parse_formula(formula)
    detected = detect_family(elements)
    if family is not None and family not in (*ANALYSERS, "other"):
        raise FormulaError(f"unknown family {family!r}; use garnet, nasicon, perovskite or other")
    chosen = family or detected
    states = oxidation_states_for(elements, chosen, oxidation_overrides)
    residual = charge_balance(elements, states)
    neutral = abs(residual) <= NEUTRALITY_TOLERANCE
    notes: list[str] = []
    if family and family != detected:
        notes.append(f"family forced to {family} (stoichiometry suggests {detected})")
    if not neutral:
        notes.append(
            f"not charge-neutral: residual {residual:+.4g} e per formula unit"
            + (
                " (small: consistent with rounded subscripts)"
                if abs(residual) < ROUNDING_RESIDUAL
                else ""
            )
        )
    report = ANALYSERS[chosen](elements) if chosen in ANALYSERS else None
    if report:
        notes.extend(report.notes)
        if report.cubic_stabilisation:
            verdict = report.cubic_stabilisation
            notes.append(f"cubic-stabilisation heuristic: {verdict['phase']} ({verdict['rule']})")
    reducible = [
        {"element": el, "reaction": REDUCIBLE_BY_LI[el][0], "basis": REDUCIBLE_BY_LI[el][1],
         "source": REDUCIBLE_BY_LI[el][2]}
        for el in elements
        if el in REDUCIBLE_BY_LI and states[el] > 0
    ]  # fmt: skip
    for item in reducible:
        notes.append(f"{item['element']} is reducible by Li metal ({item['reaction']})")
    return CompositionReport(
        formula=formula.strip(),
        elements=elements,
        oxidation_states=states,
        charge_balance=residual,
        neutral=neutral,
        family=chosen,
        molar_mass_g_mol=molar_mass_g_mol(elements),
        li_vacancies_pfu=report.li_vacancies_pfu if report else None,
        reducible_by_li=reducible,
        family_report=report,
        notes=notes,
    )
