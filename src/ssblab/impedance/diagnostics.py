"""What a fit result can and cannot be trusted for: covariance that never fails, and warnings.

Covariance (in the variables ln p for positive parameters, α for exponents):

    cov = (JᵀJ)⁻¹ · χ²/(2N − P)

computed on the column-scaled matrix S = D⁻¹ JᵀJ D⁻¹ (D = √diag JᵀJ). When S is not positive
definite or its inverse is not finite, the inverse is replaced by the pseudo-inverse from the
symmetric eigen-decomposition S = V Λ Vᵀ with eigenvalues below 1e-12·λ_max dropped; the
parameters that load on the dropped directions are reported as not identifiable. Columns that
are zero or not finite (a parameter at a numerical bound) get no covariance at all. When even
the eigen-decomposition fails the diagonal 1/diag(JᵀJ) is used. Every fall-back is a warning;
none raises. Standard errors: σ_p = p σ_ln p for positive parameters.

Warnings (one sentence each, naming the parameter):

* a resistance below 1e-6·min|Z| (it no longer describes anything) or any positive parameter
  driven to the numerical bound of exp() (|ln p| ≥ 690);
* an exponent α below 0.4 (no longer a capacitive dispersion; a CPE with α < 0.4 is nearer a
  resistor) or at its floor;
* a series inductor (L, La) whose |Z| at the highest frequency, or a series tail (CPE, C, W,
  Wo, Ws) whose |Z| at the lowest frequency, is below 0.1 % of the data's |Z| there;
* relative standard error above 100 % (the data do not determine the value);
* |correlation| above 0.999 between two free parameters (only a combination is determined);
* residuals not white: lag-1 autocorrelation of the weighted residuals (each of the real and
  imaginary parts, in frequency order) above max(0.15, 3/√N). For white noise the estimator has
  mean ≈ −1/N and standard deviation ≈ 1/√N (Anderson 1942; Box & Jenkins), so 3/√N is a
  one-sided 3σ test (≈0.1 % false alarms per part); the 0.15 floor keeps statistically
  detectable but negligible structure of long spectra (N > 400) from being flagged;
* the covariance fall-backs above, and parameters whose Jacobian column vanished;
* χ² above the spectrum's noise floor (:mod:`ssblab.impedance.floor`), when one is given.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ssblab.impedance.circuits import Circuit, Element
from ssblab.impedance.elements import ELEMENTS
from ssblab.impedance.model import ALPHA_MIN, LOG_CLIP, top_level

R_COLLAPSE = 1e-6  # R below this fraction of min |Z|
ALPHA_LOW = 0.4
INDUCTANCE_NEGLIGIBLE = 1e-3  # |Z_element| below this fraction of the data's |Z| (series L, tails)
RELATIVE_ERROR_MAX = 1.0
CORRELATION_MAX = 0.999
WHITE_FLOOR = 0.15
WHITE_SIGMAS = 3.0
EIGEN_RCOND = 1e-12
BOUND_LOG = LOG_CLIP - 10.0


@dataclass(frozen=True)
class Covariance:
    """Covariance of the free fitted variables and how it was obtained."""

    cov: np.ndarray  # (n, n)
    method: str  # "inverse", "pseudo-inverse" or "diagonal"
    unidentified: tuple[int, ...]  # positions loading on directions the data do not fix
    unusable: tuple[int, ...] = ()  # positions whose Jacobian column is zero or not finite


def covariance(jac: np.ndarray, reduced_chi2: float) -> Covariance:
    """Covariance of the variables from the weighted Jacobian ``jac`` (n, 2N); never raises."""
    with np.errstate(all="ignore"):
        return _covariance(np.asarray(jac, dtype=float), float(reduced_chi2))


def _covariance(jac: np.ndarray, reduced_chi2: float) -> Covariance:
    n = jac.shape[0]
    cov = np.zeros((n, n))
    finite = np.flatnonzero(np.all(np.isfinite(jac), axis=1))
    a_full = jac[finite] @ jac[finite].T
    d_full = np.sqrt(np.diag(a_full))
    ok = np.isfinite(d_full) & (d_full > 0)
    usable = finite[ok]
    unusable = tuple(sorted(set(range(n)) - set(usable.tolist())))
    if usable.size == 0:
        return Covariance(cov, "diagonal", (), unusable)
    d = d_full[ok]
    s = a_full[np.ix_(ok, ok)] / np.outer(d, d)  # |s_ij| ≤ 1 (Cauchy–Schwarz)
    method, unidentified, inv = "inverse", [], None
    try:
        np.linalg.cholesky(s)
        inv = np.linalg.inv(s)
        if not np.all(np.isfinite(inv)) or np.any(np.diag(inv) <= 0):
            inv = None
    except np.linalg.LinAlgError:
        inv = None
    if inv is None:
        method = "pseudo-inverse"
        try:
            w, v = np.linalg.eigh(s)
            keep = w > EIGEN_RCOND * max(float(w.max()), 1e-300)
            inv = (v[:, keep] / w[keep]) @ v[:, keep].T
            loads = np.sum(v[:, ~keep] ** 2, axis=1)
            unidentified = [int(usable[i]) for i in np.flatnonzero(loads > 0.1)]
        except np.linalg.LinAlgError:
            method = "diagonal"
            inv = np.eye(d.size)
    cov[np.ix_(usable, usable)] = inv / np.outer(d, d) * reduced_chi2
    # a column of vanishing norm (d ~ 1e-160) makes its variance overflow: that variable is as
    # undetermined as one with a zero column, and is reported the same way
    overflow = np.flatnonzero(~np.isfinite(np.diag(cov)))
    if overflow.size:
        cov[overflow, :] = 0.0
        cov[:, overflow] = 0.0
        unusable = tuple(sorted(set(unusable) | set(overflow.tolist())))
    return Covariance(cov, method, tuple(sorted(unidentified)), unusable)


def residual_autocorrelation(r: np.ndarray) -> float:
    """Largest lag-1 autocorrelation of the real and imaginary weighted residuals.

    ``r`` is either the packed complex residual vector or the interleaved real one
    [re₀, im₀, re₁, im₁, …]; values must be in frequency order.
    """
    r = np.asarray(r)
    parts = (r.real, r.imag) if np.iscomplexobj(r) else (r[0::2], r[1::2])
    out = 0.0
    for part in parts:
        denominator = float(part @ part)
        if denominator > 0 and part.size > 1:
            out = max(out, float(part[1:] @ part[:-1]) / denominator)
    return out


def white_threshold(n_points: int) -> float:
    """Lag-1 autocorrelation above which residuals are structured: max(0.15, 3/√N)."""
    return max(WHITE_FLOOR, WHITE_SIGMAS / np.sqrt(max(n_points, 1)))


NEGLIGIBLE_AT = {"L": "highest", "La": "highest", "CPE": "lowest", "C": "lowest", "W": "lowest",
                 "Wo": "lowest", "Ws": "lowest"}  # fmt: skip


def _negligible_series(circuit: Circuit, params, frequency_hz, z, free_set) -> list[str]:
    """Top-level series inductors (at the highest frequency) and tails (at the lowest) whose
    |Z| is below 0.1 % of the data's |Z| there: the element describes nothing."""
    out = []
    f = np.asarray(frequency_hz, dtype=float)
    for node in top_level(circuit):
        if not isinstance(node, Element) or node.kind not in NEGLIGIBLE_AT:
            continue
        k = node.first_param
        if k not in free_set:
            continue
        where = NEGLIGIBLE_AT[node.kind]
        i = int(np.argmax(f) if where == "highest" else np.argmin(f))
        values = params[k : k + node.spec.n_params]
        func = ELEMENTS[node.kind][1]
        with np.errstate(all="ignore"):
            s = np.array([[2j * np.pi * f[i]]])
            z_el = float(np.abs(func(s, *(np.array([[v]]) for v in values))[0]).max())
        if np.isfinite(z_el) and z_el < INDUCTANCE_NEGLIGIBLE * abs(z[i]):
            out.append(
                f"{node.name} is negligible: its |Z| at the {where} frequency is {_fmt(z_el)} Ω, "
                f"below {INDUCTANCE_NEGLIGIBLE:.1%} of the data's {_fmt(abs(z[i]))} Ω there."
            )
    return out


def _fmt(value: float) -> str:
    return f"{value:.3g}"


def fit_warnings(
    circuit: Circuit,
    params: np.ndarray,
    stderr: np.ndarray,
    correlation: np.ndarray,
    free: np.ndarray,
    frequency_hz: np.ndarray,
    z: np.ndarray,
    autocorrelation: float,
    cov: Covariance,
    floor=None,
    chi2: float | None = None,
) -> tuple[str, ...]:
    """The warnings listed in the module docstring, in a stable order."""
    names = circuit.parameter_names
    kinds = circuit.parameter_kinds
    units = circuit.parameter_units
    free_set = set(int(i) for i in free)
    out: list[str] = []
    z_abs = np.abs(z)
    min_z = float(z_abs.min())
    element_of = {}
    for element in circuit.elements:
        for i in range(element.spec.n_params):
            element_of[element.first_param + i] = element
    for k in sorted(free_set):
        name, value = names[k], float(params[k])
        element = element_of[k]
        unit = units[k].replace("Ohm", "Ω")
        if kinds[k] == "fraction":
            if value <= ALPHA_MIN * 1.01:
                out.append(
                    f"{name} (exponent) is at its floor {ALPHA_MIN:g}: the element collapsed."
                )
            elif value < ALPHA_LOW:
                out.append(
                    f"{name} (exponent) = {_fmt(value)} < {ALPHA_LOW}: {element.name} is no "
                    "longer a capacitive dispersion; the circuit is probably wrong."
                )
            continue
        if value <= 0 or abs(np.log(value)) >= BOUND_LOG:
            out.append(
                f"{name} = {_fmt(value)} {unit} went to the numerical bound: the parameter "
                "collapsed and is not determined."
            )
            continue
        if element.kind == "R" and value < R_COLLAPSE * min_z:
            out.append(
                f"{name} = {_fmt(value)} Ω collapsed to zero (below {R_COLLAPSE:g} of the "
                f"smallest |Z|, {_fmt(min_z)} Ω): the circuit does not need it."
            )
    out += _negligible_series(circuit, params, frequency_hz, z, free_set)
    unusable = [int(free[i]) for i in cov.unusable]
    if unusable:
        out.append(
            f"{', '.join(names[k] for k in unusable)}: the model no longer changes with "
            f"{'it' if len(unusable) == 1 else 'them'} at the optimum (zero or non-finite "
            "Jacobian column, or a variance beyond floating point), so no standard error can "
            "be given."
        )
    if cov.method != "inverse":
        listed = ", ".join(names[free[i]] for i in cov.unidentified) or "some parameters"
        out.append(
            f"The covariance needed a fall-back ({cov.method}): the Jacobian is singular at the "
            f"optimum and {listed} cannot be determined from these data."
        )
    with np.errstate(all="ignore"):
        relative = np.abs(stderr) / np.abs(params)
    for k in sorted(free_set):
        if k in unusable:
            continue
        if np.isfinite(relative[k]) and relative[k] > RELATIVE_ERROR_MAX:
            out.append(
                f"{names[k]} = {_fmt(params[k])} ± {_fmt(stderr[k])} "
                f"{units[k].replace('Ohm', 'Ω')}: relative standard error "
                f"{100 * relative[k]:.3g} % > 100 %, the data do not determine it."
            )
    free_sorted = np.array(sorted(free_set), dtype=int)
    sub = np.nan_to_num(correlation[np.ix_(free_sorted, free_sorted)])
    for i, j in np.argwhere(np.triu(np.abs(sub) > CORRELATION_MAX, 1)):
        a, b = free_sorted[i], free_sorted[j]
        out.append(
            f"{names[a]} and {names[b]} are correlated (r = {sub[i, j]:+.4f}): only a "
            "combination of them is determined."
        )
    threshold = white_threshold(int(np.size(frequency_hz)))
    if autocorrelation > threshold:
        out.append(
            f"The residuals are not white (lag-1 autocorrelation {autocorrelation:.2f} > "
            f"{threshold:.2f} = max(0.15, 3/√N)): the circuit misses a feature of the spectrum."
        )
    if floor is not None and chi2 is not None and not floor.accepts(chi2, len(free_set)):
        out.append(
            f"χ² = {chi2:.3g} is {chi2 / max(floor.chi2, 1e-300):.2f}× the spectrum's noise floor "
            f"({floor.chi2:.3g}), above the {floor.threshold(len(free_set)) / floor.chi2:.2f}× a "
            "correct circuit reaches: the circuit misses a feature or the fit is not the optimum."
        )
    return tuple(out)
