"""Batched Levenberg–Marquardt for weighted least squares, χ²(x) = ‖r(x)‖².

Each row of x is an independent problem sharing one model (the multistart of a fit). One
iteration, for the rows still running:

* A = JᵀJ and g = Jᵀr from the Jacobian stored (B, n, 2F) (contiguous matrix products);
* step δ from (A + λD) δ = −g with D = diag(A), floored and never allowed to shrink (the
  running maximum keeps the damping scale-invariant and stable; Transtrum & Sethna,
  arXiv:1201.5885 (2012)), solved by LU (least squares as the fall-back);
* the trial point is evaluated for residuals only; the Jacobian is computed only at points
  that are accepted;
* gain ratio ρ = (χ² − χ²_trial)/(−δᵀg + λ δᵀDδ) (actual over predicted decrease); accepted
  when χ² falls; damping updated as in Nielsen (IMM-REP-1999-05): λ ← λ·max(1/3, 1 − (2ρ−1)³)
  on success, λ ← λν, ν ← 2ν on failure.

A row stops when a step taken with little damping (λ ≤ 1, close to Gauss–Newton) improves χ²
by less than ``tol`` (relative; 1e-5 by default: the remaining decrease is then ~1e-3 of the
noise variance, moving the parameters by a few % of their standard errors — a heavily damped
small step does not count, it says nothing about convergence), when a step moves no variable
by more than 1e-9, when λ exceeds 1e12, or when χ² improved by less than 1e-3 (relative) over
the last ``STALL_WINDOW`` iterations.

Exponents sitting at a bound with the gradient pointing outwards are held fixed for that
step (their rows and columns removed from the system), so a projected step does not waste
iterations against the bound (an active-set treatment of the box constraints).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

STALL_WINDOW = 20  # iterations
STALL_TOLERANCE = 1e-3
LAMBDA_START = 1e-3
LAMBDA_MAX = 1e12
STEP_TOLERANCE = 1e-9
NEAR_GAUSS_NEWTON = 1.0  # λ at or below which a small gain means convergence


@dataclass
class LMState:
    """Per-row results: variables, χ², iterations, residuals (B, 2F) and Jacobian (B, n, 2F)."""

    x: np.ndarray
    cost: np.ndarray
    iterations: np.ndarray
    r: np.ndarray
    jr: np.ndarray

    def as_tuple(self):
        return self.x, self.cost, self.iterations, self.r, self.jr


def chi2(r: np.ndarray) -> np.ndarray:
    """Σ r² over the last axis (B,), infinite where not finite."""
    out = np.einsum("bf,bf->b", r, r)
    out[~np.isfinite(out)] = np.inf
    return out


def _solve(lhs: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Solve lhs (B, n, n) · δ = rhs (B, n): LU, else least squares row by row.

    (A Cholesky factorisation would halve the flops, but numpy has no batched triangular
    solve: Cholesky + two general solves measured 2.3× slower than one LU solve at n ≤ 12.)
    """
    try:
        return np.linalg.solve(lhs, rhs[:, :, None])[:, :, 0]
    except np.linalg.LinAlgError:
        out = np.zeros_like(rhs)
        for i in range(lhs.shape[0]):  # rare: a singular row; the others still move
            try:
                out[i] = np.linalg.lstsq(lhs[i], rhs[i], rcond=1e-12)[0]
            except np.linalg.LinAlgError:
                out[i] = 0.0
        return out


def levenberg_marquardt(
    model,
    x0: np.ndarray,
    max_iter: int = 300,
    tol: float = 1e-5,
    *,
    keep: int | None = None,
    prune_at: int = 0,
    good_cost: float = -np.inf,
) -> LMState:
    """Run LM on every row of ``x0`` (B, n) for ``model`` (a :class:`~.model.FitModel`).

    With ``keep``, after ``prune_at`` iterations only the ``keep`` rows of lowest χ² go on
    (the multistart's screening), with their damping state; the result then has ``keep`` rows.
    All rows stop as soon as one row has converged with χ² ≤ ``good_cost`` (a multistart
    needs no more exploration once a start has reached the noise floor).
    """
    with np.errstate(all="ignore"):  # trial points may overflow; an infinite χ² is rejected
        return _lm(model, np.asarray(x0, dtype=float), max_iter, tol, keep, prune_at, good_cost)


def _lm(
    model, x0: np.ndarray, max_iter: int, tol: float, n_keep=None, prune_at=0, good_cost=-np.inf
) -> LMState:
    # Rows that stop stay in the arrays (frozen): with a few rows of ~100 points every array
    # operation costs its call overhead, so selecting the running rows would cost more than
    # it saves.
    x = model.project(x0.copy())
    n_rows, n = x.shape
    r, jr = model.residuals_and_jacobian(x)
    cost = (r * r).sum(axis=1)
    cost[~np.isfinite(cost)] = np.inf
    iterations = np.zeros(n_rows, dtype=int)
    if n == 0:
        return LMState(x, cost, iterations, r, jr)
    lam = np.full(n_rows, LAMBDA_START)
    nu = np.full(n_rows, 2.0)
    active = np.isfinite(cost)
    upper = model.upper - 1e-12
    lower = model.lower + 1e-12
    has_bounds = bool(np.any(~model.log_mask))
    d = np.einsum("bif,bif->bi", jr, jr)
    d = np.maximum(d, 1e-12 * d.max(axis=1, keepdims=True) + 1e-300)
    checkpoint = cost.copy()
    # JᵀJ and Jᵀr change only where a step was accepted: kept between iterations
    a0 = np.matmul(jr, jr.transpose(0, 2, 1))
    g0 = np.matmul(jr, r[:, :, None])[:, :, 0]
    for iteration in range(1, max_iter + 1):
        if n_keep is not None and iteration == prune_at + 1 and x.shape[0] > n_keep:
            best = np.argsort(cost, kind="stable")[:n_keep]
            x, r, jr, cost = x[best], r[best], jr[best], cost[best]
            lam, nu, d, active = lam[best], nu[best], d[best], active[best]
            iterations, checkpoint, a0, g0 = iterations[best], checkpoint[best], a0[best], g0[best]
        a, g = a0.copy(), g0
        diag = a.reshape(a.shape[0], n * n)[:, :: n + 1]  # a view of the diagonals
        np.maximum(d, diag, out=d)
        if has_bounds:
            at_bound = (x >= upper) | (x <= lower)
            if at_bound.any():
                # variables at a bound that the gradient pushes outwards stay there this step
                pinned = at_bound & ((x >= upper) == (g < 0))
                if pinned.any():
                    free = ~pinned
                    a *= free[:, :, None] & free[:, None, :]
                    diag += pinned
                    g = g * free
        diag += lam[:, None] * d
        step = -_solve(a, g)
        trial = model.project(x + step)
        r_new, cache = model.evaluate(trial)
        cost_new = (r_new * r_new).sum(axis=1)
        better = (cost_new < cost) & active
        step = trial - x
        predicted = (step * (lam[:, None] * d * step - g)).sum(axis=1)
        gain = cost - cost_new
        near_gauss_newton = lam <= NEAR_GAUSS_NEWTON  # the damping this step was taken with
        if better.any():
            if better.all():
                jr = model.jacobian(trial, cache)
                x, r = trial, r_new
                a0 = np.matmul(jr, jr.transpose(0, 2, 1))
                g0 = np.matmul(jr, r[:, :, None])[:, :, 0]
            else:
                rows = np.flatnonzero(better)
                j_rows = model.jacobian(trial[rows], cache, rows)
                jr[rows], x[rows], r[rows] = j_rows, trial[rows], r_new[rows]
                a0[rows] = np.matmul(j_rows, j_rows.transpose(0, 2, 1))
                g0[rows] = np.matmul(j_rows, r_new[rows][:, :, None])[:, :, 0]
            rho = gain / np.where(predicted > 0, predicted, np.inf)
            factor = np.maximum(1.0 / 3.0, 1.0 - (2.0 * rho - 1.0) ** 3)
            lam = np.where(better, np.maximum(lam * factor, 1e-15), lam * nu)
            nu = np.where(better, 2.0, 2.0 * nu)
            cost = np.where(better, cost_new, cost)
        else:
            lam = lam * nu
            nu = 2.0 * nu
        iterations += active
        done = (
            (better & near_gauss_newton & (gain < tol * cost))
            | (np.abs(step).max(axis=1) < STEP_TOLERANCE)
            | (lam > LAMBDA_MAX)
        )
        if iteration % STALL_WINDOW == 0:
            done |= (checkpoint - cost) < STALL_TOLERANCE * cost
            checkpoint = cost.copy()
        active &= ~done
        if not active.any() or np.any(~active & (cost <= good_cost)):
            break
    return LMState(x, cost, iterations, r, jr)
