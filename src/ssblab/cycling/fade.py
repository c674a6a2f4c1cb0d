"""Capacity-fade models, knee point and end of life, fitted to capacity (or retention) vs cycle.

Models (n = cycle − origin, the origin being the first cycle of the series, so q0 is the fitted
capacity there; all fitted by least squares, unweighted):

==============  ================================================  ==============================
``linear``      Q = q0 − a·n                                      constant loss per cycle
``sqrt``        Q = q0 − a·√n                                     diffusion-limited SEI/interphase
                                                                  growth (Q_loss ∝ √t; Broussely
                                                                  et al., J. Power Sources 97–98
                                                                  (2001) 13)
``exponential`` Q = q0·exp(−k·n)                                  loss ∝ remaining capacity
``power``       Q = q0 − a·n^b                                    empirical (b < 1 decelerating,
                                                                  b > 1 accelerating)
``piecewise``   Q = q0 − a1·n  (n ≤ n_k);                         two-stage fade with a knee at
                Q = q0 − a1·n_k − a2·(n − n_k)  (n > n_k)         n_k (two-phase linear
                                                                  regression)
==============  ================================================  ==============================

Linear/sqrt are linear least squares; exponential and power by Levenberg–Marquardt /
trust-region (``scipy.optimize.least_squares``) from log-linear resp. profiled-exponent starts.
The piecewise model is the continuous two-line ("broken stick") regression of Bacon & Watts
(Biometrika 58 (1971) 525) in its sharp-transition limit, the knee-point definition used for
Li-ion ageing by Fermín-Cueto et al. (Energy and AI 1 (2020) 100006): the knee n_k minimises the
profile residual sum of squares SSE(n_k) — evaluated in O(N) at every data cycle with running
sums, then refined continuously between the neighbouring cycles (bounded Brent search).
Knee interval: profile likelihood, {n_k : SSE(n_k) ≤ SSE_min·(1 + F₁,ₙ₋₄(conf)/(N − 4))} (Seber
& Wild, *Nonlinear Regression*, 1989, §9.3), more faithful than a Wald interval for a change
point. A knee is reported as *detected* when the fade accelerates (a2 > a1, a2 > 0) and the
piecewise model beats the straight line by ΔBIC ≥ 10 ("very strong", Kass & Raftery, JASA 90
(1995) 773). The knee is the intersection of the two lines: exact for a slow-linear then
fast-linear fade; for a fast stage that curves (e.g. quadratic) it falls after the onset of the
acceleration (the "knee onset" of Fermín-Cueto et al. comes earlier).

Parameter uncertainty: covariance s²(JᵀJ)⁻¹ at the optimum (s² = SSE/(N − p), J the analytic
Jacobian); confidence intervals θ ± t_{N−p}·se. Model selection: AIC = N ln(SSE/N) + 2(p + 1)
and BIC = N ln(SSE/N) + (p + 1) ln N (Gaussian residuals; +1 for the variance), lowest wins.

End of life: the first cycle at which the fitted model falls to ``eol_fraction`` (0.8) × the
reference capacity (default: the measured first point of the series; pass 100 for retention in
% or the reference-cycle capacity). Uncertainty (``eol_uncertainty``):

* ``"delta"`` (default): first-order propagation of the parameter covariance, var(n_EOL) =
  gᵀ C g with g = ∂n_EOL/∂θ by central differences; symmetric t interval. Fast; can be too
  narrow for long extrapolations of curved models;
* ``"bootstrap"``: residual bootstrap — refit to ŷ + resampled centred residuals (inflated by
  √(N/(N − p))) ``n_bootstrap`` times, percentile interval; slower, asymmetric.

EOL later than the last measured cycle is flagged ``eol_extrapolated``. The threshold is taken as
exact (its own noise is not propagated).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from scipy import stats

from ssblab.cycling.fade_models import (
    EQUATIONS,
    MIN_POINTS,
    MODELS,
    PARAMS,
    fit_model,
    fit_piecewise,
    model_eol,
    model_jacobian,
    model_value,
)
from ssblab.cycling.fullcell import FullCellResult, _num
from ssblab.errors import SsblabInputError

# --------------------------------------------------------------------------- results


def _info(sse: float, n_points: int, n_params: int, scale: float):
    floor = n_points * (1e-12 * scale) ** 2  # noiseless data: avoid log(0)
    loglik_term = n_points * math.log(max(sse, floor) / n_points)
    k = n_params + 1
    return loglik_term + 2 * k, loglik_term + k * math.log(n_points)


@dataclass(frozen=True)
class FadeFit:
    """One fitted fade model. ``params`` in cycles from ``origin_cycle`` (``n_k`` as a cycle)."""

    model: str
    equation: str
    params: dict[str, float]
    stderr: dict[str, float]
    ci: dict[str, tuple[float, float]]
    n_points: int
    sse: float
    rmse: float
    aic: float
    bic: float
    origin_cycle: float
    eol_cycle: float | None
    eol_ci: tuple[float, float] | None
    eol_extrapolated: bool
    notes: tuple[str, ...] = field(default=())

    def _theta(self) -> np.ndarray:
        theta = np.array([self.params[k] for k in PARAMS[self.model]], dtype=float)
        if self.model == "piecewise":
            theta[3] -= self.origin_cycle
        return theta

    def predict(self, cycles) -> np.ndarray:
        n = np.asarray(cycles, dtype=float) - self.origin_cycle
        return model_value(self.model, np.maximum(n, 0.0), self._theta())

    def to_dict(self) -> dict:
        return {
            "model": self.model,
            "equation": self.equation,
            "params": {k: _num(v) for k, v in self.params.items()},
            "stderr": {k: _num(v) for k, v in self.stderr.items()},
            "ci": {k: [_num(a), _num(b)] for k, (a, b) in self.ci.items()},
            "n_points": self.n_points,
            "sse": _num(self.sse),
            "rmse": _num(self.rmse),
            "aic": _num(self.aic),
            "bic": _num(self.bic),
            "origin_cycle": _num(self.origin_cycle),
            "eol_cycle": _num(self.eol_cycle),
            "eol_ci": None if self.eol_ci is None else [_num(x) for x in self.eol_ci],
            "eol_extrapolated": self.eol_extrapolated,
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class KneeResult:
    """Knee of a two-stage (piecewise-linear) fade; slopes are capacity lost per cycle."""

    knee_cycle: float
    knee_ci: tuple[float, float]
    capacity_at_knee: float
    slope_before: float
    slope_after: float
    slope_ratio: float
    delta_bic_vs_linear: float
    detected: bool
    confidence: float
    method: str

    def to_dict(self) -> dict:
        return {
            "knee_cycle": _num(self.knee_cycle),
            "knee_ci": [_num(x) for x in self.knee_ci],
            "capacity_at_knee": _num(self.capacity_at_knee),
            "slope_before": _num(self.slope_before),
            "slope_after": _num(self.slope_after),
            "slope_ratio": _num(self.slope_ratio),
            "delta_bic_vs_linear": _num(self.delta_bic_vs_linear),
            "detected": self.detected,
            "confidence": self.confidence,
            "method": self.method,
        }


@dataclass(frozen=True)
class FadeResult:
    """All fitted models, the selected one, the knee and the end of life."""

    fits: dict[str, FadeFit]
    best_model: str
    criterion: str
    knee: KneeResult | None
    reference_capacity: float
    eol_fraction: float
    eol_threshold: float
    eol_cycle: float | None
    eol_ci: tuple[float, float] | None
    eol_observed_cycle: float | None
    eol_uncertainty: str
    confidence: float
    n_points: int
    notes: tuple[str, ...] = field(default=())

    @property
    def best(self) -> FadeFit:
        return self.fits[self.best_model]

    def to_dict(self) -> dict:
        return {
            "fits": {k: v.to_dict() for k, v in self.fits.items()},
            "best_model": self.best_model,
            "criterion": self.criterion,
            "knee": None if self.knee is None else self.knee.to_dict(),
            "reference_capacity": _num(self.reference_capacity),
            "eol_fraction": self.eol_fraction,
            "eol_threshold": _num(self.eol_threshold),
            "eol_cycle": _num(self.eol_cycle),
            "eol_ci": None if self.eol_ci is None else [_num(x) for x in self.eol_ci],
            "eol_observed_cycle": _num(self.eol_observed_cycle),
            "eol_uncertainty": self.eol_uncertainty,
            "confidence": self.confidence,
            "n_points": self.n_points,
            "notes": list(self.notes),
        }


# --------------------------------------------------------------------------- public API


def _series(cycles, capacity):
    n = np.asarray(cycles, dtype=float)
    y = np.asarray(capacity, dtype=float)
    if n.ndim != 1 or n.shape != y.shape:
        raise SsblabInputError("cycles and capacity must be 1-D arrays of equal length")
    if not (np.all(np.isfinite(n)) and np.all(np.isfinite(y))):
        raise SsblabInputError("capacity: non-finite values (drop incomplete cycles first)")
    if n.size < 3:
        raise SsblabInputError(f"capacity: at least 3 cycles needed, got {n.size}")
    if np.any(np.diff(n) <= 0):
        raise SsblabInputError("cycles must be strictly increasing")
    return n, y


def _covariance(model, n, y, p, sse):
    dof = n.size - len(p)
    if dof <= 0:
        return np.full((len(p), len(p)), np.nan), dof
    jac = model_jacobian(model, n, p)
    s2 = sse / dof
    try:
        cov = np.linalg.pinv(jac.T @ jac) * s2
    except np.linalg.LinAlgError:
        cov = np.full((len(p), len(p)), np.nan)
    return cov, dof


def _eol_gradient(model, p, y_eol):
    g = np.zeros(len(p))
    for k in range(len(p)):
        h = 1e-6 * max(abs(p[k]), 1e-3 if model != "piecewise" or k < 3 else 1.0)
        up, down = p.copy(), p.copy()
        up[k] += h
        down[k] -= h
        g[k] = (model_eol(model, up, y_eol) - model_eol(model, down, y_eol)) / (2 * h)
    return g


def _bootstrap_eol(model, n, y, p, y_eol, n_boot, confidence, rng):
    fitted = model_value(model, n, p)
    r = y - fitted
    r = (r - r.mean()) * math.sqrt(n.size / max(n.size - len(p), 1))
    values = np.empty(n_boot)
    for b in range(n_boot):
        yb = fitted + rng.choice(r, size=r.size, replace=True)
        try:
            pb, _ = fit_model(model, n, yb)
            values[b] = model_eol(model, pb, y_eol)
        except (np.linalg.LinAlgError, ValueError, RuntimeError):
            values[b] = math.nan
    values = np.where(np.isnan(values), np.inf, values)
    values.sort()
    alpha = 1 - confidence
    lo = values[max(math.floor(alpha / 2 * n_boot), 0)]
    hi = values[min(math.ceil((1 - alpha / 2) * n_boot) - 1, n_boot - 1)]
    return float(lo), float(hi)


def _make_fit(model, n, y, origin, y_eol, confidence, eol_uncertainty, n_boot, rng, scale):
    p, sse = fit_model(model, n - origin, y)
    x = n - origin
    cov, dof = _covariance(model, x, y, p, sse)
    se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    tcrit = float(stats.t.ppf(0.5 + confidence / 2, dof)) if dof > 0 else math.nan
    names = PARAMS[model]
    shown = p.copy()
    if model == "piecewise":
        shown[3] += origin
    params = {k: float(v) for k, v in zip(names, shown, strict=True)}
    stderr = {k: float(v) for k, v in zip(names, se, strict=True)}
    ci = {k: (params[k] - tcrit * stderr[k], params[k] + tcrit * stderr[k]) for k in names}
    aic, bic = _info(sse, n.size, len(p), scale)
    notes = []
    n_eol = model_eol(model, p, y_eol)
    eol_cycle = eol_ci = None
    extrapolated = False
    if math.isinf(n_eol):
        notes.append("the model never reaches the end-of-life threshold (no fade)")
    elif math.isnan(n_eol):
        notes.append("no end-of-life solution for these parameters")
    else:
        eol_cycle = float(origin + n_eol)
        extrapolated = eol_cycle > n[-1]
        if eol_uncertainty == "bootstrap":
            lo, hi = _bootstrap_eol(model, x, y, p, y_eol, n_boot, confidence, rng)
            eol_ci = (float(origin + lo), float(origin + hi))
        elif dof > 0 and np.all(np.isfinite(cov)):
            g = _eol_gradient(model, p, y_eol)
            se_eol = math.sqrt(max(float(g @ cov @ g), 0.0))
            if math.isfinite(se_eol):
                eol_ci = (float(eol_cycle - tcrit * se_eol), float(eol_cycle + tcrit * se_eol))
    if dof <= 0:
        notes.append("as many parameters as points: no uncertainty")
    return FadeFit(
        model=model,
        equation=EQUATIONS[model],
        params=params,
        stderr=stderr,
        ci=ci,
        n_points=int(n.size),
        sse=float(sse),
        rmse=math.sqrt(sse / n.size),
        aic=aic,
        bic=bic,
        origin_cycle=float(origin),
        eol_cycle=eol_cycle,
        eol_ci=eol_ci,
        eol_extrapolated=bool(extrapolated),
        notes=tuple(notes),
    )


def detect_knee(cycles, capacity, *, confidence: float = 0.95) -> KneeResult:
    """Knee of a fade curve by two-phase linear (Bacon–Watts, sharp limit) regression.

    See the module docstring for the profile-likelihood interval and the detection rule."""
    n, y = _series(cycles, capacity)
    if not 0 < confidence < 1:
        raise SsblabInputError(f"confidence must lie in (0, 1), got {confidence}")
    if n.size < MIN_POINTS["piecewise"]:
        raise SsblabInputError(
            f"capacity: knee detection needs at least {MIN_POINTS['piecewise']} cycles"
        )
    origin = n[0]
    x = n - origin
    p, sse, (grid, profile) = fit_piecewise(x, y)
    scale = float(np.mean(np.abs(y))) or 1.0
    _, sse_lin = fit_model("linear", x, y)
    _, bic_lin = _info(sse_lin, n.size, 2, scale)
    _, bic_pw = _info(sse, n.size, 4, scale)
    dof = n.size - 4
    limit = sse * (1 + stats.f.ppf(confidence, 1, dof) / dof)
    inside = profile <= limit
    k = int(np.argmin(np.abs(grid - p[3])))
    inside[k] = True
    lo = k
    while lo > 0 and inside[lo - 1]:
        lo -= 1
    hi = k
    while hi < inside.size - 1 and inside[hi + 1]:
        hi += 1
    ci = (float(min(grid[lo], p[3]) + origin), float(max(grid[hi], p[3]) + origin))
    a1, a2 = float(p[1]), float(p[2])
    ratio = a2 / a1 if a1 != 0 else math.inf
    delta = bic_lin - bic_pw
    return KneeResult(
        knee_cycle=float(p[3] + origin),
        knee_ci=ci,
        capacity_at_knee=float(p[0] - a1 * p[3]),
        slope_before=a1,
        slope_after=a2,
        slope_ratio=float(ratio),
        delta_bic_vs_linear=float(delta),
        detected=bool(a2 > a1 and a2 > 0 and delta >= 10.0),
        confidence=confidence,
        method="two-phase linear regression (Bacon-Watts sharp limit), profile-likelihood CI",
    )


def fit_fade(
    cycles,
    capacity,
    *,
    models: Sequence[str] = MODELS,
    criterion: str = "bic",
    eol_fraction: float = 0.8,
    reference_capacity: float | None = None,
    confidence: float = 0.95,
    eol_uncertainty: str = "delta",
    n_bootstrap: int = 200,
    knee: bool = True,
    seed: int = 0,
) -> FadeResult:
    """Fit fade models to capacity (or retention) vs cycle; select; knee; end of life."""
    n, y = _series(cycles, capacity)
    models = tuple(models)
    unknown = [m for m in models if m not in MODELS]
    if unknown or not models:
        raise SsblabInputError(f"models: unknown {unknown}; use {', '.join(MODELS)}")
    if criterion not in ("aic", "bic"):
        raise SsblabInputError(f"criterion must be 'aic' or 'bic', got {criterion!r}")
    if not 0 < eol_fraction < 1:
        raise SsblabInputError(f"eol_fraction must lie in (0, 1), got {eol_fraction}")
    if not 0 < confidence < 1:
        raise SsblabInputError(f"confidence must lie in (0, 1), got {confidence}")
    if eol_uncertainty not in ("delta", "bootstrap"):
        raise SsblabInputError(
            f"eol_uncertainty must be 'delta' or 'bootstrap', got {eol_uncertainty!r}"
        )
    if eol_uncertainty == "bootstrap" and n_bootstrap < 20:
        raise SsblabInputError(f"n_bootstrap must be ≥ 20, got {n_bootstrap}")
    if reference_capacity is None:
        reference = float(y[0])
    else:
        reference = float(reference_capacity)
        if not (math.isfinite(reference) and reference > 0):
            raise SsblabInputError(f"reference_capacity must be positive, got {reference_capacity}")
    y_eol = eol_fraction * reference
    scale = float(np.mean(np.abs(y))) or 1.0
    rng = np.random.default_rng(seed)
    fits: dict[str, FadeFit] = {}
    notes: list[str] = []
    for model in models:
        if n.size < MIN_POINTS[model]:
            notes.append(f"{model}: skipped, needs at least {MIN_POINTS[model]} points")
            continue
        try:
            fits[model] = _make_fit(
                model, n, y, n[0], y_eol, confidence, eol_uncertainty, n_bootstrap, rng, scale
            )
        except (np.linalg.LinAlgError, ValueError, RuntimeError) as exc:
            notes.append(f"{model}: fit failed ({exc})")
    if not fits:
        raise SsblabInputError("capacity: no model could be fitted")
    best = min(fits, key=lambda m: getattr(fits[m], criterion))
    knee_result = None
    if knee and n.size >= MIN_POINTS["piecewise"]:
        knee_result = detect_knee(n, y, confidence=confidence)
    below = np.flatnonzero(y <= y_eol)
    observed = float(n[below[0]]) if below.size else None
    chosen = fits[best]
    return FadeResult(
        fits=fits,
        best_model=best,
        criterion=criterion,
        knee=knee_result,
        reference_capacity=reference,
        eol_fraction=eol_fraction,
        eol_threshold=y_eol,
        eol_cycle=chosen.eol_cycle,
        eol_ci=chosen.eol_ci,
        eol_observed_cycle=observed,
        eol_uncertainty=eol_uncertainty,
        confidence=confidence,
        n_points=int(n.size),
        notes=tuple(notes),
    )


def fade_series(result: FullCellResult):
    """The cycles of ``result`` that a fade model is fitted to: from the reference cycle on,
    not formation, complete (a charge and a discharge, the last one not cut short by the end of
    the test) and with a discharge. Returns (those rows, how many later cycles were left out)."""
    if not isinstance(result, FullCellResult):
        raise SsblabInputError("result: a FullCellResult from fullcell_metrics expected")
    if result.reference_cycle is None:
        raise SsblabInputError("result: no reference cycle to start the fade series")
    table = result.cycles
    later = table[(table["cycle"] >= result.reference_cycle) & ~table["formation"]]
    use = later[later["complete"].astype(bool) & (later["discharge_mAh"] > 0)]
    return use, len(later) - len(use)


def fade_from_fullcell(
    result: FullCellResult, *, column: str = "discharge_mAh", **kwargs
) -> FadeResult:
    """:func:`fit_fade` on :func:`fade_series` of a :class:`FullCellResult` (incomplete cycles
    left out, with a note); the reference capacity is the reference cycle's."""
    if isinstance(result, FullCellResult) and column not in result.cycles.columns:
        raise SsblabInputError(f"column {column!r} not in the cycles table")
    use, left_out = fade_series(result)
    values = use[column].to_numpy(dtype=float)
    if not np.all(np.isfinite(values)):
        raise SsblabInputError(f"column {column!r} has NaN (active_mass_g or area_cm2 not given?)")
    kwargs.setdefault("reference_capacity", float(values[0]) if values.size else None)
    fade = fit_fade(use["cycle"].to_numpy(), values, **kwargs)
    if left_out:
        note = f"{left_out} incomplete cycle(s) after the reference left out of the fade series"
        fade = replace(fade, notes=(*fade.notes, note))
    return fade
