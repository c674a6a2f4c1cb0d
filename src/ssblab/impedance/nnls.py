"""Non-negative least squares, min ‖Ax − b‖₂ subject to x ≥ 0, in NumPy alone.

Why not :func:`scipy.optimize.nnls`: importing :mod:`scipy.optimize` costs ~0.37 s on the
reference 2-core machine, more than a whole ``ssblab eis fit FILE`` may take (≤ 1 s with
imports, issue 9 §5). The problems met here are small and dense (a few hundred rows, tens of
columns: the Voigt relaxation estimates of :mod:`ssblab.impedance.initial`), where an active-set
method on the normal equations is as fast as the compiled routine.

Method: the active-set algorithm of Lawson & Hanson (*Solving Least Squares Problems*, 1974,
ch. 23) on the Gram matrix G = AᵀA and c = Aᵀb, with Bro & de Jong's reuse of G and c
("A fast non-negativity-constrained least squares algorithm", J. Chemometrics 11 (1997) 393):
each passive-set solve is an n_P × n_P LU solve (least squares when G_PP is singular). The
result satisfies the KKT conditions x ≥ 0, w = c − Gx ≤ tol where x = 0, and w = 0 where x > 0,
to a tolerance scaled by ‖A‖ and ‖b‖; ``tests/impedance/test_nnls.py`` checks x and the residual
against SciPy on random and Voigt problems.

Validity: well-scaled columns (normalise them first, as the callers do); for rank-deficient A
the solution is one of the minimisers, like SciPy's.
"""

from __future__ import annotations

import numpy as np


def _solve(gram: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.solve(gram, rhs)  # one LAPACK call: cheaper than Cholesky + 2 solves
    except np.linalg.LinAlgError:
        return np.linalg.lstsq(gram, rhs, rcond=None)[0]


def nnls(a: np.ndarray, b: np.ndarray, max_iter: int | None = None) -> tuple[np.ndarray, float]:
    """``(x, ‖Ax − b‖₂)`` with x ≥ 0 minimising the residual (same return as SciPy's ``nnls``)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    n = a.shape[1]
    gram = a.T @ a
    c = a.T @ b
    tol = 10 * np.finfo(float).eps * max(1.0, float(np.abs(gram).max(initial=0.0))) * n
    x = np.zeros(n)
    passive = np.zeros(n, dtype=bool)
    w = c.copy()
    max_iter = 3 * n if max_iter is None else max_iter
    for _ in range(max_iter):
        candidates = ~passive & (w > tol)
        if not candidates.any():
            break
        passive[int(np.argmax(np.where(candidates, w, -np.inf)))] = True
        while True:
            index = np.flatnonzero(passive)
            s = np.zeros(n)
            s[index] = _solve(gram[index][:, index], c[index])
            if np.all(s[index] > 0):
                x = s
                break
            # step back along x → s to the first coefficient that reaches zero
            blocking = index[s[index] <= 0]
            with np.errstate(divide="ignore", invalid="ignore"):
                ratios = x[blocking] / (x[blocking] - s[blocking])
            alpha = float(np.min(ratios)) if ratios.size else 0.0
            x = x + alpha * (s - x)
            passive &= x > tol
            x[~passive] = 0.0
            if not passive.any():
                break
        w = c - gram @ x
    residual = float(np.linalg.norm(a @ x - b))
    return x, residual
