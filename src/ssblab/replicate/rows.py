"""Replication tables: each row sets a paper's number beside ssblab's and says its basis.

A row is *fitted* when the number (or a parameter that fixes it) was calibrated on that same
paper value, and *predicted* when no parameter was tuned on it. A *computed* row checks a
paper's statement against its own printed data (a count, a net charge, an activation energy
from two printed points) with no model parameter at all. Status compares the two:

* ``"agrees"`` — within the row's relative tolerance (or inside the bound for ``<``/``>``/``>=``
  rows, or the same trend for qualitative rows);
* ``"differs"`` — outside it; the row's note says by how much and why where we know;
* ``"reproduced"`` — a qualitative statement (a trend, an ordering) that holds in ssblab's output;
* ``"not reproduced"`` — a qualitative statement that does not.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

KINDS = ("fitted", "predicted", "computed")


@dataclass(frozen=True)
class Row:
    """One paper-vs-ssblab comparison. ``paper``/``ssblab`` are numbers or short texts."""

    quantity: str
    paper: float | str | None
    ssblab: float | str | None
    unit: str
    kind: str
    status: str
    note: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")

    @property
    def residual(self) -> float | None:
        """ssblab − paper for numeric rows (None otherwise)."""
        if isinstance(self.paper, (int, float)) and isinstance(self.ssblab, (int, float)):
            return float(self.ssblab) - float(self.paper)
        return None

    def to_dict(self) -> dict:
        out = asdict(self)
        out["residual"] = self.residual
        return out


@dataclass(frozen=True)
class Replication:
    """All rows of one seed, with the calibrated parameters and what they were fitted on."""

    seed: str
    title: str
    rows: tuple[Row, ...]
    fitted_parameters: tuple[dict, ...] = field(default_factory=tuple)
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict:
        return {
            "seed": self.seed,
            "title": self.title,
            "rows": [row.to_dict() for row in self.rows],
            "fitted_parameters": list(self.fitted_parameters),
            "notes": list(self.notes),
        }


def compare(paper: float, model: float, rel_tol: float, qualifier: str = "=") -> str:
    """``"agrees"`` or ``"differs"`` for a numeric row (qualifier of the paper value).

    ``=``/``~``: |model − paper| ≤ rel_tol·|paper|; ``<``/``<=``: model ≤ paper(1 + rel_tol);
    ``>``/``>=``: model ≥ paper(1 − rel_tol).
    """
    if not (math.isfinite(paper) and math.isfinite(model)):
        return "differs"
    if qualifier in ("<", "<="):
        ok = model <= paper * (1 + rel_tol) if paper >= 0 else model <= paper
    elif qualifier in (">", ">="):
        ok = model >= paper * (1 - rel_tol) if paper >= 0 else model >= paper
    else:
        ok = abs(model - paper) <= rel_tol * abs(paper)
    return "agrees" if ok else "differs"


def fitted_parameter(name: str, value: float, unit: str, fitted_on: str, note: str = "") -> dict:
    """A record of one calibrated parameter: its value and the paper data it was fitted on."""
    return {"name": name, "value": value, "unit": unit, "fitted_on": fitted_on, "note": note}
