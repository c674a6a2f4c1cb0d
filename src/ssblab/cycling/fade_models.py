"""Capacity-fade model functions and their least-squares fits (used by :mod:`ssblab.cycling.fade`).

Models, equations, Jacobians and end-of-life solutions of :data:`MODELS`; linear/sqrt by linear
least squares, exponential by Levenberg–Marquardt from a log-linear start, power by
trust-region from a profiled-exponent grid start, piecewise (two-line, continuous) by the O(N)
profile over data cycles refined by a bounded Brent search. The definitions, validity and
sources are in the module docstring of :mod:`ssblab.cycling.fade`. Units: those of the
capacity series (mAh, mAh/g or %) against the cycle count n from the first cycle of the series.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize

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


def model_value(model: str, n: np.ndarray, p: np.ndarray) -> np.ndarray:
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


def model_jacobian(model: str, n: np.ndarray, p: np.ndarray) -> np.ndarray:
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


def model_eol(model: str, p: np.ndarray, y_eol: float) -> float:
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


def fit_piecewise(n, y):
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
        lambda p: model_value("power", n, p) - y,
        x0=[q00, a0, b0],
        jac=lambda p: model_jacobian("power", n, p),
        bounds=([-np.inf, -np.inf, 1e-3], [np.inf, np.inf, 20.0]),
        x_scale="jac",
    )
    p = res.x if res.success else np.array([q00, a0, b0])
    return p, float(np.sum((model_value("power", n, p) - y) ** 2))


def _fit_exponential(n, y):
    if np.all(y > 0):
        slope, intercept = np.polyfit(n, np.log(y), 1)
        p0 = [math.exp(intercept), -slope]
    else:
        p0 = [float(y[0]), 0.0]
    res = optimize.least_squares(
        lambda p: model_value("exponential", n, p) - y,
        x0=p0,
        jac=lambda p: model_jacobian("exponential", n, p),
        method="lm",
        x_scale="jac",
    )
    p = res.x
    return p, float(np.sum((model_value("exponential", n, p) - y) ** 2))


def fit_model(model: str, n: np.ndarray, y: np.ndarray):
    """(params, SSE) of one model."""
    if model == "linear":
        return _lstsq(np.column_stack([np.ones_like(n), -n]), y)
    if model == "sqrt":
        return _lstsq(np.column_stack([np.ones_like(n), -np.sqrt(n)]), y)
    if model == "exponential":
        return _fit_exponential(n, y)
    if model == "power":
        return _fit_power(n, y)
    p, sse, _ = fit_piecewise(n, y)
    return p, sse
