"""Starting values for circuit fits derived from the data, so users need not guess.

Method:

1. A quick relaxation-time estimate: non-negative least squares of the modulus-weighted spectrum
   on a basis of Voigt elements R_k/(1 + jωτ_k) (4 per decade, one decade beyond the measured
   range), a series resistance, and — when the circuit has them — a series inductance and a
   low-frequency tail (jω)^-α_tail with α_tail from the slope of log|Z''| vs log ω at the lowest
   frequencies. NNLS solutions are sparse: each arc shows as a short run of non-zero R_k.
2. Each run becomes a candidate arc with R = ΣR_k and τ = exp(Σ R_k ln τ_k / ΣR_k); the largest
   candidates are given to the circuit's arcs ``p(R, CPE)`` / ``p(R, C)`` in order of τ, with
   Q = τ^α/R (from τ = (RQ)^(1/α)) or C = τ/R.
3. A small multistart varies α and the arc assignment; all starts run in one batched
   Levenberg–Marquardt (:func:`ssblab.impedance.fitting.levenberg_marquardt`).

Elements outside these patterns get scale estimates (R ~ the spectrum's resistance span,
capacitances ~ 1/(ω_mid |Z|)) and more random starts.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy.optimize import nnls

from ssblab.impedance.circuits import Circuit, Element, Parallel, Series
from ssblab.impedance.floor import spectrum_noise_floor

ARC_ALPHAS = (0.9, 0.7)


def _top_level(circuit: Circuit) -> tuple:
    return circuit.tree.children if isinstance(circuit.tree, Series) else (circuit.tree,)


def _arc_parts(node):
    """(R element, capacitive element) for p(R, CPE|C) (either order), else None."""
    if not isinstance(node, Parallel) or len(node.children) != 2:
        return None
    a, b = node.children
    if not (isinstance(a, Element) and isinstance(b, Element)):
        return None
    if a.kind == "R" and b.kind in ("CPE", "C"):
        return a, b
    if b.kind == "R" and a.kind in ("CPE", "C"):
        return b, a
    return None


def tail_exponent(frequency_hz: np.ndarray, z: np.ndarray) -> float:
    """α of a low-frequency (jω)^-α tail from the slope of log|Z''| vs log ω (0.3 … 1)."""
    order = np.argsort(frequency_hz)
    k = max(3, min(8, frequency_hz.size // 10))
    lw = np.log(2 * np.pi * frequency_hz[order[:k]])
    li = np.log(np.maximum(np.abs(z.imag[order[:k]]), 1e-300))
    slope = np.polyfit(lw, li, 1)[0]
    return float(np.clip(-slope, 0.3, 1.0))


def relaxation_estimate(
    frequency_hz, z, *, tail_alpha=None, inductance=False, per_decade=4, extend_decades=0.0
):
    """NNLS estimate: dict with tau, r_k, r_series, tail, inductance, chi2.

    ``chi2`` (modulus-weighted) is what a dense Voigt series reaches on this spectrum: a
    circuit that describes the data well reaches about the same value (see
    :data:`NOISE_FLOOR_FACTOR`).
    """
    omega = 2 * np.pi * frequency_hz
    lo = np.log10(1 / omega.max()) - extend_decades
    hi = np.log10(1 / omega.min()) + extend_decades
    tau = np.logspace(lo, hi, int(np.ceil((hi - lo) * per_decade)) + 1)
    columns = [1.0 / (1.0 + 1j * omega[:, None] * tau[None, :]), np.ones((omega.size, 1))]
    if tail_alpha is not None:
        columns.append(((1j * omega) ** -tail_alpha)[:, None])
    if inductance:
        columns.append((1j * omega)[:, None])
    a = np.concatenate(columns, axis=1)
    w = np.abs(z)
    a_real = np.concatenate([a.real / w[:, None], a.imag / w[:, None]])
    norm = np.linalg.norm(a_real, axis=0)
    b = np.concatenate([z.real / w, z.imag / w])
    coef, residual = nnls(a_real / norm, b, maxiter=100 * a.shape[1])
    coef = coef / norm
    n = tau.size
    out = {"tau": tau, "r_k": coef[:n], "r_series": coef[n], "tail": 0.0, "inductance": 0.0}
    out["chi2"] = float(residual**2)
    k = n + 1
    if tail_alpha is not None:
        out["tail"] = coef[k]
        k += 1
    if inductance:
        out["inductance"] = coef[k]
    return out


def arc_candidates(tau: np.ndarray, r_k: np.ndarray, smooth_decades: float = 0.25):
    """Peaks of the (log-τ smoothed) distribution → [(τ, R)], largest R first.

    CPE arcs spread over several NNLS elements, so R_k is smoothed with a Gaussian of
    ``smooth_decades`` before peak finding; each peak gets the raw R_k of its basin (between
    the neighbouring minima of the smoothed curve) and their log-weighted mean τ.
    """
    if r_k.max() <= 0:
        return []
    step = np.log10(tau[1] / tau[0]) if tau.size > 1 else 1.0
    half = max(1, int(np.ceil(3 * smooth_decades / step)))
    kernel = np.exp(-0.5 * (np.arange(-half, half + 1) * step / smooth_decades) ** 2)
    smooth = np.convolve(np.pad(r_k, half), kernel, mode="valid")
    interior = (smooth[1:-1] >= smooth[:-2]) & (smooth[1:-1] > smooth[2:])
    peaks = list(np.flatnonzero(interior) + 1)
    if smooth[0] > smooth[1]:
        peaks.insert(0, 0)
    if smooth[-1] > smooth[-2]:
        peaks.append(smooth.size - 1)
    out = []
    for i, peak in enumerate(peaks):
        left = 0 if i == 0 else peaks[i - 1] + int(np.argmin(smooth[peaks[i - 1] : peak + 1]))
        right = (
            smooth.size if i == len(peaks) - 1
            else peak + int(np.argmin(smooth[peak : peaks[i + 1] + 1]))
        )  # fmt: skip
        weights = r_k[left:right]
        r = float(weights.sum())
        if r <= 1e-6 * r_k.sum():
            continue
        log_tau = float(np.sum(weights * np.log(tau[left:right])) / r)
        out.append((float(np.exp(log_tau)), r))
    return sorted(out, key=lambda c: -c[1])


def noise_floor(circuit: Circuit, frequency_hz, z) -> float:
    """Modulus-weighted χ² of the spectrum's noise floor
    (:func:`ssblab.impedance.floor.spectrum_noise_floor`): the same for every circuit, with a
    series inductance column always and tail columns when the spectrum has a tail. ``circuit``
    is accepted for compatibility and does not change the value."""
    f = np.asarray(frequency_hz, dtype=float)
    z = np.asarray(z, dtype=complex)
    return spectrum_noise_floor(f, z).chi2


def _tail_settings(circuit: Circuit, f: np.ndarray, z: np.ndarray):
    top = _top_level(circuit)
    tail = [n for n in top if isinstance(n, Element) and n.kind in ("CPE", "C", "W")]
    has_l = any(isinstance(n, Element) and n.kind == "L" for n in top)
    if not tail:
        return None, has_l
    return {"C": 1.0, "W": 0.5}.get(tail[0].kind, tail_exponent(f, z)), has_l


NOISE_FLOOR_FACTOR = 1.15  # a fit within this factor of the NNLS χ² needs no further starts


@dataclass(frozen=True)
class AutoStarts:
    """Starting sets in the order to try them: ``primary`` first, then ``others``."""

    primary: np.ndarray
    others: np.ndarray
    floor_chi2: float
    notes: tuple[str, ...]


def auto_initial_guesses(circuit: Circuit, frequency_hz, z) -> AutoStarts:
    """Starting parameter sets for ``circuit`` on this spectrum."""
    f = np.asarray(frequency_hz, dtype=float)
    z = np.asarray(z, dtype=complex)
    top = _top_level(circuit)
    arcs = [(node, parts) for node in top if (parts := _arc_parts(node))]
    tail_elements = [n for n in top if isinstance(n, Element) and n.kind in ("CPE", "C", "W")]
    tail_alpha, has_l = _tail_settings(circuit, f, z)
    est = relaxation_estimate(f, z, tail_alpha=tail_alpha, inductance=has_l)
    floor = float('nan')  # the fit computes the spectrum's floor once
    candidates = arc_candidates(est["tau"], est["r_k"])
    notes = [f"auto initial values: {len(candidates)} relaxation(s) found for {len(arcs)} arc(s)"]
    base = _generic_guess(circuit, f, z)
    omega_mid = 2 * np.pi * np.sqrt(f.min() * f.max())
    for node in top:
        if isinstance(node, Element) and node.kind == "R":
            base[node.first_param] = max(est["r_series"], 1e-3 * np.abs(z).min())
        if isinstance(node, Element) and node.kind == "L":
            base[node.first_param] = max(est["inductance"], 1e-12)
    for node in tail_elements:
        coef = est["tail"]
        if node.kind == "CPE":
            q = 1.0 / coef if coef > 0 else 1.0 / (omega_mid * np.abs(z).max())
            base[node.first_param : node.first_param + 2] = (q, tail_alpha)
        elif node.kind == "C":
            base[node.first_param] = 1.0 / coef if coef > 0 else 1e-6
        elif node.kind == "W":
            base[node.first_param] = max(coef, 1e-3 * np.abs(z).max())
    starts = []
    for assignment, alpha in itertools.product(_assignments(candidates, len(arcs), f), ARC_ALPHAS):
        p = base.copy()
        for (_, (r_el, c_el)), (tau, r) in zip(arcs, assignment, strict=True):
            p[r_el.first_param] = r
            if c_el.kind == "C":
                p[c_el.first_param] = tau / r
            else:
                p[c_el.first_param : c_el.first_param + 2] = (tau**alpha / r, alpha)
        starts.append(p)
    n_primary = len(ARC_ALPHAS)
    if not arcs or len(circuit.elements) > 2 * len(arcs) + len(tail_elements) + 2:
        starts.extend(_random_starts(starts[0], circuit, 8))
        notes.append("circuit outside the arc/tail pattern: random starts added")
    starts = np.array(starts)
    return AutoStarts(starts[:n_primary], starts[n_primary:], floor, tuple(notes))


MAX_ASSIGNMENTS = 6


def arc_slots(circuit: Circuit) -> list[tuple[Element, Element]]:
    """(R, capacitive element) of every top-level p(R, CPE|C) arc."""
    return [parts for node in _top_level(circuit) if (parts := _arc_parts(node))]


def local_modulus(frequency_hz, z, tau) -> float:
    """|Z| of the data at f = 1/(2πτ) (interpolated in log f; clamped to the measured range)."""
    order = np.argsort(frequency_hz)
    f_at = 1.0 / (2 * np.pi * tau)
    return float(np.interp(np.log(f_at), np.log(frequency_hz[order]), np.abs(z[order])))


def series_resistances(circuit: Circuit) -> list[int]:
    """Parameter indices of the top-level series resistors."""
    return [n.first_param for n in _top_level(circuit) if isinstance(n, Element) and n.kind == "R"]


def escaped_arcs(circuit: Circuit, params: np.ndarray, frequency_hz, z) -> list[int]:
    """Arcs whose optimum left the data: τ far outside the measured window, R negligible
    against the local |Z| at the arc's own frequency or huge against every |Z|, or α
    collapsed. Such an arc no longer describes any process."""
    f = np.asarray(frequency_hz, dtype=float)
    tau_lo, tau_hi = 1 / (2 * np.pi * f.max()), 1 / (2 * np.pi * f.min())
    out = []
    for i, (r_el, c_el) in enumerate(arc_slots(circuit)):
        r = params[r_el.first_param]
        with np.errstate(all="ignore"):
            if c_el.kind == "C":
                tau, alpha = r * params[c_el.first_param], 1.0
            else:
                q, alpha = params[c_el.first_param : c_el.first_param + 2]
                tau = (r * q) ** (1 / alpha) if alpha > 0.05 else np.inf
        if (
            not np.isfinite(tau)
            or not tau_lo / 30 < tau < tau_hi * 3
            or alpha < 0.35
            or r < 1e-3 * local_modulus(f, z, tau)
            or r > 1e3 * np.abs(z).max()
        ):
            out.append(i)
    return out


def reseeded_starts(
    circuit: Circuit, params: np.ndarray, arcs: list[int], frequency_hz, z, base: np.ndarray
):
    """Copies of ``params`` with each listed arc moved across the measured τ range.

    Series resistances that collapsed (below 1e-3 of their data-derived start in ``base``)
    are reset to that start, so the moved arc does not have to drag them back."""
    f = np.asarray(frequency_hz, dtype=float)
    tau_lo, tau_hi = 1 / (2 * np.pi * f.max()), 1 / (2 * np.pi * f.min())
    params = params.copy()
    collapsed = [k for k in series_resistances(circuit) if params[k] < 1e-3 * base[k]]
    for k in collapsed:
        params[k] = base[k]
    slots = arc_slots(circuit)
    grid = np.logspace(np.log10(tau_lo / 10), np.log10(tau_hi), 12)
    # the local impedance scale at each trial τ sets the trial arc resistance
    local = [local_modulus(f, z, tau) for tau in grid]
    starts = [params.copy()] if collapsed else []  # the optimum found, series R restored
    for i in arcs:
        r_el, c_el = slots[i]
        for tau, scale in zip(grid, local, strict=True):
            for r in (0.03 * scale, 0.3 * scale):
                p = params.copy()
                p[r_el.first_param] = r
                if c_el.kind == "C":
                    p[c_el.first_param] = tau / r
                else:
                    p[c_el.first_param : c_el.first_param + 2] = (tau**0.85 / r, 0.85)
                starts.append(p)
    return np.array(starts)


def _assignments(candidates, n_arcs: int, f: np.ndarray) -> list[list[tuple[float, float]]]:
    """Arc (τ, R) sets to try: subsets of the largest relaxations, in order of τ.

    When fewer relaxations than arcs are found, the missing arcs are placed in the widest gaps
    of the measured τ range (including just beyond it, where a fast bulk arc may lie).
    """
    if n_arcs == 0:
        return [[]]
    tau_lo, tau_hi = 1 / (2 * np.pi * f.max()), 1 / (2 * np.pi * f.min())
    total = sum(r for _, r in candidates) or 1.0
    pool = candidates[: n_arcs + 3]
    subsets = list(itertools.combinations(pool, min(n_arcs, len(pool))))
    subsets.sort(key=lambda subset: -sum(r for _, r in subset))
    options = []
    for subset in subsets[:MAX_ASSIGNMENTS]:
        chosen = sorted(subset, key=lambda c: c[0])
        while len(chosen) < n_arcs:
            edges = np.log10([tau_lo / 10, *(t for t, _ in chosen), tau_hi])
            i = int(np.argmax(np.diff(edges)))
            chosen.append((10 ** ((edges[i] + edges[i + 1]) / 2), 0.2 * total))
            chosen.sort(key=lambda c: c[0])
        options.append(chosen)
    return options


def _generic_guess(circuit: Circuit, f: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Order-of-magnitude values for every parameter from the spectrum's scales."""
    r_span = max(np.ptp(z.real), 1e-3 * np.abs(z).max(), 1e-12)
    omega_mid = 2 * np.pi * np.sqrt(f.min() * f.max())
    tau_mid = 1 / omega_mid
    values = []
    for element in circuit.elements:
        kind = element.kind
        if kind == "R":
            values.append(r_span / 2)
        elif kind == "C":
            values.append(tau_mid / r_span)
        elif kind == "L":
            values.append(1e-7)
        elif kind == "CPE":
            values += [tau_mid**0.9 / r_span, 0.9]
        elif kind == "W":
            values.append(r_span * np.sqrt(omega_mid))
        elif kind in ("Wo", "Ws", "G", "K"):
            values += [r_span / 2, 1 / (2 * np.pi * f.min())]
        elif kind == "Gs":
            values += [r_span / 2, tau_mid, 1.0]
        elif kind == "La":
            values += [1e-7, 0.9]
    return np.array(values, dtype=float)


def _random_starts(center: np.ndarray, circuit: Circuit, n: int) -> list[np.ndarray]:
    rng = np.random.default_rng(12345)  # reproducible fits
    out = []
    fraction = circuit.fraction_mask
    for _ in range(n):
        p = center * np.exp(rng.normal(0.0, 1.5, center.size))
        p[fraction] = rng.uniform(0.6, 1.0, fraction.sum())
        out.append(p)
    return out
