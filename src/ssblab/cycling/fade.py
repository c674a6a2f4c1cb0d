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
from scipy import optimize, stats

from ssblab.cycling.fullcell import FullCellResult, _num
from ssblab.errors import SsblabInputError

MODELS = ("linear", "sqrt", "exponential", "power", "piecewise")
EQUATIONS = {
    "linear": "Q = q0 - a*n",
    "sqrt": "Q = q0 - a*sqrt(n)",
    "exponential": "Q = q0*exp(-k*n)",
    "power": "Q = q0 - a*n**b",
    "piecewise": "Q = q0 - a1*min(n, n_k) - a2*max(n - n_k, 0)",
}
PARAMS = {
    "linear": ("q0", "a"),
    "sqrt": ("q0", "a"),
    "exponential": ("q0", "k"),
    "power": ("q0", "a", "b"),
    "piecewise": ("q0", "a1", "a2", "n_k"),
}
MIN_POINTS = {"linear": 3, "sqrt": 3, "exponential": 3, "power": 4, "piecewise": 7}
KNEE_MIN_SEGMENT = 3  # points on each side of a knee
POWER_B_GRID = np.concatenate([np.linspace(0.05, 1.0, 20), np.linspace(1.1, 5.0, 40)])


# --------------------------------------------------------------------------- model functions


def _f(model: str, n: np.ndarray, p: np.ndarray) -> np.ndarray:
    if model == "linear":
        return p[0] - p[1] * n
    if model == "sqrt":
        return p[0] - p[1] * np.sqrt(n)
    if model == "exponential":
        return p[0] * np.exp(-p[1] * n)
    if model == "power":
        return p[0] - p[1] * n ** p[2]
    if model == "piecewise":
        return p[0] - p[1] * np.minimum(n, p[3]) - p[2] * np.maximum(n - p[3], 0.0)
    raise SsblabInputError(f"model {model!r}: use one of {', '.join(MODELS)}")


def _jac(model: str, n: np.ndarray, p: np.ndarray) -> np.ndarray:
    one = np.ones_like(n)
    if model == "linear":
        return np.column_stack([one, -n])
    if model == "sqrt":
        return np.column_stack([one, -np.sqrt(n)])
    if model == "exponential":
        e = np.exp(-p[1] * n)
        return np.column_stack([e, -p[0] * n * e])
    if model == "power":
        nb = n ** p[2]
        with np.errstate(divide="ignore", invalid="ignore"):
            log_n = np.where(n > 0, np.log(np.where(n > 0, n, 1.0)), 0.0)
        return np.column_stack([one, -nb, -p[1] * nb * log_n])
    after = (n > p[3]).astype(float)
    return np.column_stack(
        [one, -np.minimum(n, p[3]), -np.maximum(n - p[3], 0.0), (p[2] - p[1]) * after]
    )


def _eol(model: str, p: np.ndarray, y_eol: float) -> float:
    """n at which the model first reaches y_eol (inf: never; nan: no solution)."""
    with np.errstate(all="ignore"):
        if model in ("linear", "sqrt", "power"):
            drop = p[0] - y_eol
            if drop <= 0:
                return 0.0
            if p[1] <= 0:
                return math.inf
            ratio = drop / p[1]
            if model == "linear":
                return float(ratio)
            if model == "sqrt":
                return float(ratio**2)
            return float(ratio ** (1.0 / p[2])) if p[2] > 0 else math.inf
        if model == "exponential":
            if y_eol <= 0 or p[0] <= 0:
                return math.nan
            if p[0] <= y_eol:
                return 0.0
            return float(math.log(p[0] / y_eol) / p[1]) if p[1] > 0 else math.inf
        q0, a1, a2, nk = p
        if q0 <= y_eol:
            return 0.0
        if a1 > 0 and (q0 - y_eol) / a1 <= nk:
            return float((q0 - y_eol) / a1)
        y_knee = q0 - a1 * nk
        if y_knee <= y_eol:  # a1 > 0 case handled above; reached exactly at the knee
            return float(nk)
        return float(nk + (y_knee - y_eol) / a2) if a2 > 0 else math.inf


# --------------------------------------------------------------------------- fitting


def _lstsq(design: np.ndarray, y: np.ndarray):
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    r = y - design @ coef
    return coef, float(r @ r)


def _knee_profile(n: np.ndarray, y: np.ndarray):
    """SSE of the continuous two-line fit for a knee at each admissible data cycle (O(N)).

    Returns (indices j of candidate knees n[j], SSE per candidate)."""
    N = n.size
    scale_x = max(float(n.max()), 1.0)
    x = n / scale_x
    y_mean, y_std = float(y.mean()), float(y.std()) or 1.0
    z = (y - y_mean) / y_std

    def suffix(values):  # Σ_{i>j} values_i for j = 0 … N−1
        c = np.cumsum(values[::-1])[::-1]
        return np.append(c[1:], 0.0)

    s0, s1, s2 = suffix(np.ones(N)), suffix(x), suffix(x * x)
    sy, sxy = suffix(z), suffix(x * z)
    j = np.arange(KNEE_MIN_SEGMENT - 1, N - KNEE_MIN_SEGMENT)
    if j.size == 0:
        return j, np.array([])
    k = x[j]
    sh = s1[j] - k * s0[j]
    sxh = s2[j] - k * s1[j]
    shh = s2[j] - 2 * k * s1[j] + k * k * s0[j]
    shy = sxy[j] - k * sy[j]
    gram = np.empty((j.size, 3, 3))
    gram[:, 0, 0] = N
    gram[:, 0, 1] = gram[:, 1, 0] = x.sum()
    gram[:, 1, 1] = (x * x).sum()
    gram[:, 0, 2] = gram[:, 2, 0] = sh
    gram[:, 1, 2] = gram[:, 2, 1] = sxh
    gram[:, 2, 2] = shh
    rhs = np.column_stack([np.full(j.size, z.sum()), np.full(j.size, (x * z).sum()), shy])
    beta = np.linalg.solve(gram + 1e-14 * np.eye(3), rhs[..., None])[..., 0]
    sse = np.maximum(float(z @ z) - np.einsum("ij,ij->i", beta, rhs), 0.0)
    return j, sse * y_std**2


def _piecewise_at(n, y, knee):
    design = np.column_stack([np.ones_like(n), -np.minimum(n, knee), -np.maximum(n - knee, 0.0)])
    coef, sse = _lstsq(design, y)
    return np.append(coef, knee), sse


def _fit_piecewise(n, y):
    j, profile = _knee_profile(n, y)
    best = int(np.argmin(profile))
    lo = n[j[best] - 1] if j[best] > 0 else n[0]
    hi = n[j[best] + 1] if j[best] + 1 < n.size else n[-1]
    p, sse = _piecewise_at(n, y, n[j[best]])
    if hi > lo:
        res = optimize.minimize_scalar(
            lambda k: _piecewise_at(n, y, k)[1],
            bounds=(float(lo), float(hi)),
            method="bounded",
            options={"xatol": 1e-6 * max(float(hi - lo), 1e-12)},
        )
        p2, sse2 = _piecewise_at(n, y, float(res.x))
        if sse2 < sse:
            p, sse = p2, sse2
    return p, sse, (n[j], profile)


def _fit_power(n, y):
    z = n[None, :] ** POWER_B_GRID[:, None]
    zc = z - z.mean(axis=1, keepdims=True)
    yc = y - y.mean()
    var = np.einsum("ij,ij->i", zc, zc)
    slope = np.where(var > 0, zc @ yc / np.where(var > 0, var, 1.0), 0.0)
    resid = yc[None, :] - slope[:, None] * zc
    sse = np.einsum("ij,ij->i", resid, resid)
    k = int(np.argmin(sse))
    b0 = POWER_B_GRID[k]
    a0 = -slope[k]
    q00 = y.mean() + a0 * z[k].mean()
    res = optimize.least_squares(
        lambda p: _f("power", n, p) - y,
        x0=[q00, a0, b0],
        jac=lambda p: _jac("power", n, p),
        bounds=([-np.inf, -np.inf, 1e-3], [np.inf, np.inf, 20.0]),
        x_scale="jac",
    )
    p = res.x if res.success else np.array([q00, a0, b0])
    return p, float(np.sum((_f("power", n, p) - y) ** 2))


def _fit_exponential(n, y):
    if np.all(y > 0):
        slope, intercept = np.polyfit(n, np.log(y), 1)
        p0 = [math.exp(intercept), -slope]
    else:
        p0 = [float(y[0]), 0.0]
    res = optimize.least_squares(
        lambda p: _f("exponential", n, p) - y,
        x0=p0,
        jac=lambda p: _jac("exponential", n, p),
        method="lm",
        x_scale="jac",
    )
    p = res.x
    return p, float(np.sum((_f("exponential", n, p) - y) ** 2))


def _fit(model: str, n: np.ndarray, y: np.ndarray):
    """(params, SSE) of one model."""
    if model == "linear":
        return _lstsq(np.column_stack([np.ones_like(n), -n]), y)
    if model == "sqrt":
        return _lstsq(np.column_stack([np.ones_like(n), -np.sqrt(n)]), y)
    if model == "exponential":
        return _fit_exponential(n, y)
    if model == "power":
        return _fit_power(n, y)
    p, sse, _ = _fit_piecewise(n, y)
    return p, sse


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
        return _f(self.model, np.maximum(n, 0.0), self._theta())

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
    jac = _jac(model, n, p)
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
        g[k] = (_eol(model, up, y_eol) - _eol(model, down, y_eol)) / (2 * h)
    return g


def _bootstrap_eol(model, n, y, p, y_eol, n_boot, confidence, rng):
    fitted = _f(model, n, p)
    r = y - fitted
    r = (r - r.mean()) * math.sqrt(n.size / max(n.size - len(p), 1))
    values = np.empty(n_boot)
    for b in range(n_boot):
        yb = fitted + rng.choice(r, size=r.size, replace=True)
        try:
            pb, _ = _fit(model, n, yb)
            values[b] = _eol(model, pb, y_eol)
        except (np.linalg.LinAlgError, ValueError, RuntimeError):
            values[b] = math.nan
    values = np.where(np.isnan(values), np.inf, values)
    values.sort()
    alpha = 1 - confidence
    lo = values[max(math.floor(alpha / 2 * n_boot), 0)]
    hi = values[min(math.ceil((1 - alpha / 2) * n_boot) - 1, n_boot - 1)]
    return float(lo), float(hi)


def _make_fit(model, n, y, origin, y_eol, confidence, eol_uncertainty, n_boot, rng, scale):
    p, sse = _fit(model, n - origin, y)
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
    n_eol = _eol(model, p, y_eol)
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
    p, sse, (grid, profile) = _fit_piecewise(x, y)
    scale = float(np.mean(np.abs(y))) or 1.0
    _, sse_lin = _fit("linear", x, y)
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
