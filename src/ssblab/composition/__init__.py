"""Composition engine: formula parsing, charge balance, structure-family rules."""

from ssblab.composition.analysis import CompositionReport, analyse
from ssblab.composition.formula import molar_mass_g_mol, parse_formula
from ssblab.composition.oxidation import OXIDATION_STATES, charge_balance

__all__ = [
    "OXIDATION_STATES",
    "CompositionReport",
    "analyse",
    "charge_balance",
    "molar_mass_g_mol",
    "parse_formula",
]
