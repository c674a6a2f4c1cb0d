"""Strict chemical-formula parsing.

Grammar: ``formula := group+``; ``group := (Element | "(" formula ")") amount?``;
``amount := decimal number > 0``. Element symbols are checked against the periodic table of
:mod:`ssblab.composition.elements` (pymatgen's symbols and masses, tabulated).

Why not ``pymatgen.core.Composition("…")`` directly: it silently drops zero amounts (``LiO0`` →
Li), accepts trailing garbage (``Li2O3.``) and fails on unknown symbols with a bare
``AttributeError``. A researcher mistyping a dopant deserves a message naming the problem, so the
grammar is checked here; the element data are pymatgen's (tested equal to it).
"""

from __future__ import annotations

import math
import re

from ssblab.composition.elements import ATOMIC_MASS_G_MOL
from ssblab.errors import FormulaError

#: Largest amount per formula unit accepted (after parentheses are multiplied out). Formula
#: amounts of inorganic solids are small numbers (O12, (PO4)3 …); a larger value is a typo, and
#: values such as 1e23 or 1e400 would overflow the charge balance and the molar mass to inf.
MAX_AMOUNT = 1e4


_TOKEN = re.compile(
    r"\s*(?:(?P<el>[A-Z][a-z]?)|(?P<open>[(\[])|(?P<close>[)\]])|(?P<num>\d*\.?\d+(?:[eE][-+]?\d+)?))"
)


def _amount(text: str, pos: int, formula: str) -> tuple[float, int]:
    match = _TOKEN.match(text, pos)
    if match and match.group("num") is not None:
        value = float(match.group("num"))
        if not math.isfinite(value) or value > MAX_AMOUNT:
            raise FormulaError(
                f"formula {formula!r}: amount {match.group('num')} is not a formula amount "
                f"(at most {MAX_AMOUNT:g} per formula unit)"
            )
        if value <= 0:
            raise FormulaError(f"formula {formula!r}: amount {match.group('num')} must be positive")
        return value, match.end()
    return 1.0, pos


def parse_formula(formula: str) -> dict[str, float]:
    """Parse ``formula`` into ``{element: amount}`` in order of first appearance.

    >>> parse_formula("Li1.3Al0.3Ti1.7(PO4)3")
    {'Li': 1.3, 'Al': 0.3, 'Ti': 1.7, 'P': 3.0, 'O': 12.0}
    """
    if not isinstance(formula, str) or not formula.strip():
        raise FormulaError("formula is empty")
    text = formula.strip()
    if re.search(r"(?<![eE])[-−–]\s*\d", text):
        raise FormulaError(f"formula {formula!r}: negative amounts are not allowed")
    stack: list[dict[str, float]] = [{}]
    openers: list[str] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            bad = text[pos:].lstrip()[:1]
            raise FormulaError(f"formula {formula!r}: unexpected character {bad!r} at {pos + 1}")
        if match.group("el"):
            symbol = match.group("el")
            if symbol not in ATOMIC_MASS_G_MOL:
                raise FormulaError(f"formula {formula!r}: unknown element {symbol!r}")
            amount, pos = _amount(text, match.end(), formula)
            stack[-1][symbol] = stack[-1].get(symbol, 0.0) + amount
            if stack[-1][symbol] > MAX_AMOUNT:
                raise FormulaError(
                    f"formula {formula!r}: {stack[-1][symbol]:g} {symbol} per formula unit "
                    f"is not a formula amount (at most {MAX_AMOUNT:g})"
                )
        elif match.group("open"):
            openers.append(match.group("open"))
            stack.append({})
            pos = match.end()
        elif match.group("close"):
            if not openers:
                raise FormulaError(f"formula {formula!r}: unbalanced parentheses (extra ')')")
            openers.pop()
            inner = stack.pop()
            if not inner:
                raise FormulaError(f"formula {formula!r}: empty parentheses")
            multiplier, pos = _amount(text, match.end(), formula)
            for symbol, amount in inner.items():
                stack[-1][symbol] = stack[-1].get(symbol, 0.0) + amount * multiplier
                if stack[-1][symbol] > MAX_AMOUNT:
                    raise FormulaError(
                        f"formula {formula!r}: {stack[-1][symbol]:g} {symbol} per formula unit "
                        f"is not a formula amount (at most {MAX_AMOUNT:g})"
                    )
        else:
            raise FormulaError(f"formula {formula!r}: amount without an element at {pos + 1}")
    if openers:
        raise FormulaError(f"formula {formula!r}: unbalanced parentheses (missing ')')")
    return {symbol: round(amount, 12) for symbol, amount in stack[0].items()}


def molar_mass_g_mol(amounts: dict[str, float]) -> float:
    """Molar mass in g/mol from the standard atomic masses (pymatgen's values)."""
    return float(sum(ATOMIC_MASS_G_MOL[symbol] * n for symbol, n in amounts.items()))
