"""Replication tables: each row sets a paper's number beside ssblab's and says its basis.

**Basis** (``Row.basis``), one of :data:`BASES`:

* ``"fitted"`` — the number, or a parameter that fixes it, was calibrated on that paper value
  (the parameter is listed in ``Replication.fitted_parameters``);
* ``"predicted"`` — no parameter was tuned on it and nothing in the inputs guarantees it;
* ``"interpolated"`` — it lies between fitted points of the same curve (a weak prediction);
* ``"by construction"`` — an input, a switch or the run length guarantees the outcome (an
  activation energy given as input and read back, a bound met by the simulation horizon);
* ``"computed"`` — a paper's statement checked against its own printed data (a count, a net
  charge, a two-point activation energy) with no model parameter at all.

**Tolerance policy** (one for every seed, :data:`POLICY`): a number agrees when
|ssblab − paper| ≤ max(30 %, the paper's printed precision) of the paper value; a bound
(``<``, ``>=`` …) holds when the model output is on its side (never the run length: that row is
"by construction"); a trend needs a strict change of at least 10 % in the stated direction
(:func:`trend_status`), so a flat curve does not pass.

**Sensitivity** (:mod:`ssblab.replicate.sensitivity`): every predicted row carries a band, the
range of its output when each assumed (uncited) parameter varies ±50 % one at a time and over a
64-point Latin hypercube; ``robust`` when the status holds over the whole band, ``fragile``
otherwise.

Statuses: ``"agrees"`` / ``"differs"`` for numbers and bounds; ``"reproduced"`` /
``"not reproduced"`` for qualitative statements (a trend, an ordering).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

BASES = ("fitted", "predicted", "interpolated", "by construction", "computed")

#: Relative tolerance of every numeric row (unless the paper's printed precision is coarser).
REL_TOL = 0.30
#: Smallest relative change that counts as a trend.
TREND_MIN_CHANGE = 0.10
#: Tolerance of an activation energy: the same 30 % applied to the conductivity ratio it
#: implies between 25 and 125 °C, k_B·ln(1 + REL_TOL)/(1/298.15 K − 1/398.15 K) ≈ 0.027 eV (an
#: energy sits in an exponent, so 30 % of the energy itself would allow a factor ~2 in σ).
EA_TOL_EV = 8.617333262e-5 * math.log(1 + REL_TOL) / (1 / 298.15 - 1 / 398.15)
#: The policy, as printed in every table header.
POLICY = (
    f"agrees = within {REL_TOL:.0%} or the paper's printed precision (whichever is larger); "
    f"activation energies within {EA_TOL_EV:.3f} eV (30 % in σ over 25–125 °C); "
    f"bounds met by model outputs only; trends need a strict change of ≥ {TREND_MIN_CHANGE:.0%}; "
    "predicted rows: robust when the status holds with every assumed parameter ±50 % "
    "(one at a time and a Latin hypercube of 64 points, or fewer where a table says so), "
    "fragile otherwise"
)

_AGREE = ("agrees", "reproduced")


@dataclass(frozen=True)
class Row:
    """One paper-vs-ssblab comparison. ``paper``/``ssblab`` are numbers or short texts.

    ``band`` (a :class:`ssblab.replicate.sensitivity.Band`) is required in spirit for every
    predicted row; a predicted row without one counts as *fragile* in :func:`summarize` (its
    robustness was not shown)."""

    quantity: str
    paper: float | str | None
    ssblab: float | str | None
    unit: str
    basis: str
    status: str
    note: str = ""
    band: Any = None

    def __post_init__(self) -> None:
        if self.basis not in BASES:
            raise ValueError(f"basis must be one of {BASES}, got {self.basis!r}")

    @property
    def residual(self) -> float | None:
        """ssblab − paper for numeric rows (None otherwise)."""
        if isinstance(self.paper, (int, float)) and isinstance(self.ssblab, (int, float)):
            return float(self.ssblab) - float(self.paper)
        return None

    @property
    def robustness(self) -> str | None:
        """ "robust" / "fragile" for predicted and interpolated rows, None for the others."""
        if self.basis not in ("predicted", "interpolated"):
            return None
        if self.band is None:
            return "fragile"
        return "robust" if self.band.robust else "fragile"

    def to_dict(self) -> dict:
        out = asdict(self)
        out["band"] = None if self.band is None else self.band.to_dict()
        out["residual"] = self.residual
        out["robustness"] = self.robustness
        return out


@dataclass(frozen=True)
class Replication:
    """All rows of one seed, with the calibrated parameters and what they were fitted on.

    ``leave_one_out``: one record per fitted calibration (:func:`leave_one_out`), or a record
    saying why it is undefined (a one-point calibration)."""

    seed: str
    title: str
    rows: tuple[Row, ...]
    fitted_parameters: tuple[dict, ...] = field(default_factory=tuple)
    notes: tuple[str, ...] = field(default_factory=tuple)
    leave_one_out: tuple[dict, ...] = field(default_factory=tuple)

    @property
    def summary(self) -> dict[str, int]:
        return summarize(self.rows)

    def to_dict(self) -> dict:
        return {
            "seed": self.seed,
            "title": self.title,
            "policy": POLICY,
            "summary": self.summary,
            "summary_line": summary_line(self.summary),
            "rows": [row.to_dict() for row in self.rows],
            "fitted_parameters": list(self.fitted_parameters),
            "leave_one_out": list(self.leave_one_out),
            "notes": list(self.notes),
        }


def tolerance(paper: float, precision: float | None = None) -> float:
    """Relative tolerance of a row: max(:data:`REL_TOL`, printed precision / |paper|).

    ``precision`` is the paper's absolute printed precision (half a unit of its last digit:
    "0.3 V" → 0.05 V)."""
    rel = REL_TOL
    if precision is not None and paper != 0 and math.isfinite(paper):
        rel = max(rel, abs(precision) / abs(paper))
    return rel


def compare(
    paper: float, model: float, qualifier: str = "=", precision: float | None = None
) -> str:
    """``"agrees"`` or ``"differs"`` under the one tolerance policy (:data:`POLICY`).

    ``=``/``~``: |model − paper| ≤ tol·|paper|; ``<``/``<=``: model ≤ paper; ``>``/``>=``:
    model ≥ paper (a bound is a bound: no tolerance on its far side)."""
    if not (math.isfinite(paper) and math.isfinite(model)):
        return "differs"
    if qualifier in ("<", "<="):
        ok = model < paper if qualifier == "<" else model <= paper
    elif qualifier in (">", ">="):
        ok = model > paper if qualifier == ">" else model >= paper
    elif qualifier in ("=", "~"):
        ok = abs(model - paper) <= tolerance(paper, precision) * abs(paper)
    else:
        raise ValueError(f"qualifier must be one of = ~ < <= > >=, got {qualifier!r}")
    return "agrees" if ok else "differs"


def compare_energy(paper_eV: float, model_eV: float) -> str:
    """``"agrees"`` when |model − paper| ≤ :data:`EA_TOL_EV` (the policy for activation
    energies), ``"differs"`` otherwise."""
    if not (math.isfinite(paper_eV) and math.isfinite(model_eV)):
        return "differs"
    return "agrees" if abs(model_eV - paper_eV) <= EA_TOL_EV else "differs"


def trend_status(
    values: Sequence[float], direction: str, min_change: float = TREND_MIN_CHANGE
) -> str:
    """``"reproduced"`` when ``values`` move strictly in ``direction`` ("increase" or
    "decrease") at every step and the total relative change is at least ``min_change``;
    ``"not reproduced"`` otherwise (a flat or reversed curve)."""
    v = [float(x) for x in values]
    if len(v) < 2 or not all(math.isfinite(x) for x in v):
        return "not reproduced"
    if direction == "increase":
        steps = all(b > a for a, b in itertools.pairwise(v))
        big = v[-1] - v[0] >= min_change * abs(v[0]) if v[0] else v[-1] > v[0]
    elif direction == "decrease":
        steps = all(b < a for a, b in itertools.pairwise(v))
        big = v[0] - v[-1] >= min_change * abs(v[0]) if v[0] else v[-1] < v[0]
    else:
        raise ValueError(f"direction must be 'increase' or 'decrease', got {direction!r}")
    return "reproduced" if steps and big else "not reproduced"


def summarize(rows: Sequence[Row]) -> dict[str, int]:
    """Counts: fitted, robust predictions that agree, fragile predictions, robust predictions
    that differ, interpolated, by construction, computed (agree / differ)."""
    out = {
        "rows": len(rows),
        "fitted": 0,
        "predicted_robust_agree": 0,
        "predicted_fragile": 0,
        "predicted_differ": 0,
        "interpolated": 0,
        "by_construction": 0,
        "computed_agree": 0,
        "computed_differ": 0,
    }
    for row in rows:
        agree = row.status in _AGREE
        if row.basis == "fitted":
            out["fitted"] += 1
        elif row.basis == "by construction":
            out["by_construction"] += 1
        elif row.basis == "interpolated":
            out["interpolated"] += 1
        elif row.basis == "computed":
            out["computed_agree" if agree else "computed_differ"] += 1
        elif row.robustness == "fragile":
            out["predicted_fragile"] += 1
        else:
            out["predicted_robust_agree" if agree else "predicted_differ"] += 1
    return out


def summary_line(counts: dict[str, int]) -> str:
    return (
        f"{counts['rows']} rows: {counts['fitted']} fitted, "
        f"{counts['predicted_robust_agree']} robust predictions agree, "
        f"{counts['predicted_fragile']} fragile, {counts['predicted_differ']} predictions differ, "
        f"{counts['interpolated']} interpolated, {counts['by_construction']} by construction, "
        f"{counts['computed_agree']}/{counts['computed_agree'] + counts['computed_differ']} "
        "computed checks agree"
    )


def fitted_parameter(name: str, value: float, unit: str, fitted_on: str, note: str = "") -> dict:
    """A record of one calibrated parameter: its value and the paper data it was fitted on."""
    return {"name": name, "value": value, "unit": unit, "fitted_on": fitted_on, "note": note}


def leave_one_out(
    calibration: str,
    points: Sequence[tuple[Any, float]],
    fit_and_predict,
    unit: str = "",
) -> dict:
    """Leave-one-out check of a calibration on ``points`` = [(label, paper value), …].

    ``fit_and_predict(kept_points, held_out_label) -> float`` calibrates on ``kept_points`` and
    predicts the held-out point. Returns one record: each point's prediction and relative error,
    and the root-mean-square relative error. A calibration on one point cannot be checked: the
    record says so (``rms_error_percent`` None)."""
    points = list(points)
    if len(points) < 2:
        return {
            "calibration": calibration,
            "points": [str(label) for label, _ in points],
            "held_out": [],
            "rms_error_percent": None,
            "note": "one calibration point: leave-one-out is undefined (nothing left to fit on)",
        }
    held = []
    for k, (label, paper) in enumerate(points):
        kept = points[:k] + points[k + 1 :]
        try:
            predicted = float(fit_and_predict(kept, label))
            error = 100.0 * (predicted - paper) / paper if paper else math.nan
        except ValueError as exc:  # the remaining points cannot fix the parameter
            predicted, error = math.nan, math.nan
            label = f"{label} ({exc})"
        held.append(
            {"held_out": str(label), "paper": paper, "predicted": predicted, "unit": unit,
             "error_percent": error}
        )  # fmt: skip
    finite = [h["error_percent"] for h in held if math.isfinite(h["error_percent"])]
    rms = math.sqrt(sum(e * e for e in finite) / len(finite)) if finite else None
    return {
        "calibration": calibration,
        "points": [str(label) for label, _ in points],
        "held_out": held,
        "rms_error_percent": rms,
        "note": "" if len(finite) == len(held) else "some held-out points could not be fitted",
    }
