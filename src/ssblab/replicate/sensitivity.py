"""Sensitivity bands of predicted replication rows to their assumed parameters.

An *assumed* parameter is one the model needs but no source fixes (no citation, or a value
chosen within a cited range). For a predicted row ``model(overrides) -> value``, the band is
the range of the output when every assumed parameter is scaled by 1 ± ``spread`` (default
±50 %): one at a time (2k evaluations), and jointly over a Latin hypercube of ``n_lhs`` points
(default 64; McKay, Beckman & Conover, Technometrics 21 (1979) 239, via ``scipy.stats.qmc``).
The row is ``robust`` when its status (``judge(value)``) is the same at every evaluated point
as at the nominal one, ``fragile`` otherwise.

A row with no assumed parameter has a degenerate band (its nominal value) and is robust.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Assumed:
    """An uncited model parameter: its nominal value (in ``unit``) and why it is assumed."""

    name: str
    value: float
    unit: str
    why: str

    def to_dict(self) -> dict:
        return {"name": self.name, "value": self.value, "unit": self.unit, "why": self.why}


@dataclass(frozen=True)
class Band:
    """The output range of a predicted row over its assumed parameters' ±spread box."""

    nominal: float
    low: float
    high: float
    spread: float
    one_at_a_time: tuple[tuple[str, float, float], ...]
    lhs_low: float
    lhs_high: float
    n_lhs: int
    statuses: tuple[str, ...]
    nominal_status: str
    assumed: tuple[Assumed, ...]

    @property
    def robust(self) -> bool:
        return all(s == self.nominal_status for s in self.statuses)

    @property
    def most_sensitive(self) -> str | None:
        """The assumed parameter whose one-at-a-time swing moves the output most."""
        if not self.one_at_a_time:
            return None

        def swing(item):
            _, lo, hi = item
            finite = [v for v in (lo, hi) if math.isfinite(v)]
            if len(finite) < 2:
                return math.inf
            return abs(hi - lo)

        best = max(self.one_at_a_time, key=swing)
        return best[0] if swing(best) > 0 else None

    def to_dict(self) -> dict:
        return {
            "nominal": self.nominal,
            "low": self.low,
            "high": self.high,
            "spread": self.spread,
            "one_at_a_time": [
                {"parameter": n, "at_minus": lo, "at_plus": hi} for n, lo, hi in self.one_at_a_time
            ],
            "lhs_low": self.lhs_low,
            "lhs_high": self.lhs_high,
            "n_lhs": self.n_lhs,
            "statuses": sorted(set(self.statuses)),
            "robust": self.robust,
            "most_sensitive": self.most_sensitive,
            "assumed": [a.to_dict() for a in self.assumed],
        }

    def describe(self, unit: str = "") -> str:
        """One line for a row's note: the band and its verdict."""
        verdict = "robust" if self.robust else "fragile"
        names = ", ".join(a.name for a in self.assumed) or "none"
        return (
            f"band ±{self.spread:.0%} on assumed ({names}): {self.low:.3g}–{self.high:.3g} "
            f"{unit}".rstrip()
            + f"; {verdict}"
            + (f" (most sensitive: {self.most_sensitive})" if self.most_sensitive else "")
        )


_MODEL: Callable | None = None  # the model a forked worker runs


def _run(overrides: dict[str, float]):
    assert _MODEL is not None
    try:
        return _MODEL(overrides)
    except (ValueError, ArithmeticError):
        return math.nan


def _evaluate(model, points: list[dict[str, float]], processes: int, progress=None) -> list:
    """``model`` at every point; in ``processes`` forked workers when > 1 (the model is
    inherited by fork, so closures work; results come back in order). ``progress(done,
    total)`` is called after every point."""
    global _MODEL
    _MODEL = model
    total = len(points)
    out: list = []
    try:
        if processes <= 1 or total < 4:
            for point in points:
                out.append(_run(point))
                if progress is not None:
                    progress(len(out), total)
            return out
        import multiprocessing as mp

        with mp.get_context("fork").Pool(processes) as pool:
            for value in pool.imap(_run, points, chunksize=1):
                out.append(value)
                if progress is not None:
                    progress(len(out), total)
        return out
    finally:
        _MODEL = None


def design(assumed: Sequence[Assumed], spread: float = 0.5, n_lhs: int = 64, seed: int = 0):
    """The evaluation points: nominal ({}), then each parameter at 1 − spread and 1 + spread,
    then the Latin-hypercube points (scaling factors uniform in [1 − spread, 1 + spread])."""
    if not 0 < spread < 1:
        raise ValueError(f"spread must be in (0, 1), got {spread}")
    points: list[dict[str, float]] = [{}]
    for a in assumed:
        points += [{a.name: a.value * (1 - spread)}, {a.name: a.value * (1 + spread)}]
    if assumed and n_lhs > 0:
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d=len(assumed), seed=seed).random(n_lhs)
        for row in unit:
            factors = 1 - spread + 2 * spread * row
            points.append({a.name: a.value * f for a, f in zip(assumed, factors, strict=True)})
    return points


def band_from_values(values, assumed: Sequence[Assumed], judge, spread: float = 0.5) -> Band:
    """The :class:`Band` of outputs ``values`` evaluated on :func:`design`'s points."""
    values = [float(v) if v is not None else math.nan for v in values]
    base = values[0]
    oat = tuple((a.name, values[1 + 2 * k], values[2 + 2 * k]) for k, a in enumerate(assumed))
    lhs_values = values[1 + 2 * len(assumed) :]
    finite = [v for v in values if math.isfinite(v)]
    lhs_finite = [v for v in lhs_values if math.isfinite(v)]
    return Band(
        nominal=base,
        low=min(finite) if finite else math.nan,
        high=max(finite) if finite else math.nan,
        spread=spread,
        one_at_a_time=oat,
        lhs_low=min(lhs_finite) if lhs_finite else base,
        lhs_high=max(lhs_finite) if lhs_finite else base,
        n_lhs=len(lhs_values),
        statuses=tuple(judge(v) for v in values),
        nominal_status=judge(base),
        assumed=tuple(assumed),
    )


def sensitivity_band(
    model: Callable[[dict[str, float]], float],
    assumed: Sequence[Assumed],
    judge: Callable[[float], str],
    *,
    spread: float = 0.5,
    n_lhs: int = 64,
    seed: int = 0,
    processes: int = 1,
) -> Band:
    """Evaluate ``model`` (a function of ``{name: value}`` overrides of the assumed parameters;
    an empty dict is the nominal case) over the one-at-a-time and Latin-hypercube points and
    judge each output. A model that raises ``ValueError`` or returns a non-finite number at a
    point counts as ``nan`` there (its status is ``judge(nan)``, normally "differs").
    ``processes`` > 1 evaluates the points in forked worker processes (expensive models)."""
    points = design(assumed, spread, n_lhs, seed)
    return band_from_values(_evaluate(model, points, processes), assumed, judge, spread)


def sensitivity_bands(
    model: Callable[[dict[str, float]], dict[str, float]],
    assumed: Sequence[Assumed],
    judges: dict[str, Callable[[float], str]],
    *,
    spread: float = 0.5,
    n_lhs: int = 64,
    seed: int = 0,
    processes: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Band]:
    """Several outputs of one model on one design (each point evaluated once): ``model``
    returns ``{output: value}``; one band per key of ``judges``. A point where the model
    raises ``ValueError`` gives ``nan`` for every output."""
    points = design(assumed, spread, n_lhs, seed)
    results = _evaluate(model, points, processes, progress)
    bands = {}
    for key, judge in judges.items():
        values = [r.get(key, math.nan) if isinstance(r, dict) else math.nan for r in results]
        bands[key] = band_from_values(values, assumed, judge, spread)
    return bands
