"""Fixed oxidation states of the ions in the seed papers, and charge balance.

The states are the ones the seed papers assign (seed 001 Table 2 and §"Element doping";
seed 003 Table 1; seed 004 XPS). Elements with more than one state in these papers are resolved
by documented rules, never guessed:

- Bi: +5 on the garnet Zr site (seed 001 Table 2, Bi⁵⁺ on Zr⁴⁺, ref. [95]); +3 elsewhere (Bi2O3).
- Ti: +4 as synthesised (Ti³⁺ appears only after reduction by Li, seed 004 XPS); Ti³⁺ can be
  requested with an override.
- C: +4, i.e. carbonate (Li2CO3 surface layers, seeds 001/003); carbides are out of scope.
- H: +1 (protons exchanged for Li in garnets, seed 001).
- A formula of one element (Li metal, Au, Ag, Zn interlayers) is the element itself: state 0.

Seed 001 prints "Ba³⁺" and "Sr³⁺" in places; both are printing errors for the alkaline-earth
+2 ions and are treated as +2 here.
"""

from __future__ import annotations

from collections.abc import Mapping

from ssblab.errors import FormulaError

OXIDATION_STATES: dict[str, int] = {
    "Li": 1, "Na": 1, "H": 1,
    "Mg": 2, "Ca": 2, "Sr": 2, "Ba": 2, "Zn": 2,
    "La": 3, "Nd": 3, "Gd": 3, "Y": 3, "Sc": 3, "Al": 3, "Ga": 3, "Fe": 3, "In": 3, "B": 3,
    "Ce": 4, "Zr": 4, "Hf": 4, "Sn": 4, "Ti": 4, "Ge": 4, "Si": 4, "Ru": 4, "C": 4,
    "Ta": 5, "Nb": 5, "Sb": 5, "P": 5, "V": 5,
    "W": 6, "Te": 6, "Mo": 6,
    "O": -2, "F": -1, "Cl": -1, "Br": -1, "N": -3, "S": -2,
}  # fmt: skip

NEUTRALITY_TOLERANCE = 1e-6


def oxidation_states_for(
    amounts: Mapping[str, float],
    family: str | None = None,
    overrides: Mapping[str, int] | None = None,
) -> dict[str, int]:
    """The oxidation state of every element in ``amounts``; unknown ones raise FormulaError."""
    overrides = dict(overrides or {})
    if len(amounts) == 1 and not overrides:  # an element (Li metal, Au, Ag interlayers)
        return dict.fromkeys(amounts, 0)
    states: dict[str, int] = {}
    for symbol in amounts:
        if symbol in overrides:
            states[symbol] = int(overrides[symbol])
        elif symbol == "Bi":
            states[symbol] = 5 if family == "garnet" else 3
        elif symbol in OXIDATION_STATES:
            states[symbol] = OXIDATION_STATES[symbol]
        else:
            raise FormulaError(
                f"no fixed oxidation state known for {symbol!r}; give one with --oxidation "
                f"{symbol}=N"
            )
    return states


def charge_balance(amounts: Mapping[str, float], states: Mapping[str, int]) -> float:
    """Net charge per formula unit: Σ nᵢ·zᵢ (0 for a neutral formula)."""
    return float(sum(n * states[symbol] for symbol, n in amounts.items()))
