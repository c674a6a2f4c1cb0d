"""Starting values for circuit fits derived from the data, so users need not guess.

Method:

1. The spectrum's noise-floor NNLS (:mod:`ssblab.impedance.floor`: a dense Voigt series
   R_k/(1 + jωτ_k) at 8 per decade beyond the measured range, a series resistance, inductive
   and tail columns) gives the relaxation-time distribution; NNLS solutions are sparse: each
   arc shows as a short run of non-zero R_k.
2. Each run becomes a candidate relaxation with R = ΣR_k and τ = exp(Σ R_k ln τ_k / ΣR_k); the
   largest candidates are given to the circuit's arcs ``p(R, CPE)`` / ``p(R, C)`` in order of τ,
   with Q = τ^α/R (from τ = (RQ)^(1/α)) or C = τ/R. A finite-length Warburg Ws (a
   distribution of Voigt elements) takes the slowest candidate.
3. Series elements get their own estimates (:mod:`ssblab.impedance.element_starts`): R from
   the NNLS series resistance; L and La from the top-frequency Z''; CPE/C/W tails from the
   low-frequency |Z''| and its slope; Wo (and Ws when no relaxation is left for it) from the
   low-frequency turn of the slope and the tail magnitude.
4. A small multistart varies α, the arc assignment and the diffusion τ (×/÷ 4); the fitter
   screens all starts by χ² and runs the best in one batched Levenberg–Marquardt.

Elements outside these patterns get scale estimates (R ~ the spectrum's resistance span,
capacitances ~ 1/(ω_mid |Z|)) and random starts around them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from ssblab.impedance import element_starts as es
from ssblab.impedance.arcs import (  # noqa: F401  (re-exported: the public arc helpers)
    arc_slots,
    escaped_arcs,
    local_modulus,
    reseeded_starts,
    series_resistances,
)
from ssblab.impedance.circuits import Circuit, Element
from ssblab.impedance.floor import NoiseFloor, solve_nnls, spectrum_noise_floor
from ssblab.impedance.model import arc_parts, top_level

ARC_ALPHAS = (0.9, 0.7)
DIFFUSION_FACTORS = (0.25, 4.0)  # alternative τ of Wo/Ws starts
MAX_ASSIGNMENTS = 6
GAP_VARIANTS = 2  # extra arc sets with the weakest relaxation replaced by a gap arc
SERIES_KINDS = ("R", "L", "La", "CPE", "C", "W", "Wo", "Ws")
NOISE_FLOOR_FACTOR = 1.15  # kept for compatibility; the fitter uses NoiseFloor.accepts

_top_level = top_level  # compatibility aliases
_arc_parts = arc_parts


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
    coef, residual = solve_nnls(a_real / norm, b)
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
    return spectrum_noise_floor(
        np.asarray(frequency_hz, dtype=float), np.asarray(z, dtype=complex)
    ).chi2


@dataclass(frozen=True)
class AutoStarts:
    """Starting sets in the order to try them: ``primary`` first, then ``others``."""

    primary: np.ndarray
    others: np.ndarray
    floor_chi2: float
    notes: tuple[str, ...]


def auto_initial_guesses(
    circuit: Circuit, frequency_hz, z, floor: NoiseFloor | None = None
) -> AutoStarts:
    """Starting parameter sets for ``circuit`` on this spectrum (see the module docstring).

    ``floor`` is the spectrum's :class:`~ssblab.impedance.floor.NoiseFloor` (computed when not
    given); its NNLS solution is the relaxation estimate.
    """
    f = np.asarray(frequency_hz, dtype=float)
    z = np.asarray(z, dtype=complex)
    if floor is None or not floor.estimate:
        floor = spectrum_noise_floor(f, z)
    est = floor.estimate
    top = top_level(circuit)
    arcs = [parts for node in top if (parts := arc_parts(node))]
    series = [node for node in top if isinstance(node, Element)]
    ws = [node for node in series if node.kind == "Ws"]
    tails = [n.kind for n in series if n.kind in ("CPE", "C", "W")]
    alpha_tail = None
    if tails:
        alpha_tail = {"C": 1.0, "W": 0.5}.get(tails[0], es.tail_alpha(f, z))
    est = relaxation_estimate(f, z, tail_alpha=alpha_tail, inductance=True)
    candidates = arc_candidates(est["tau"], est["r_k"])
    notes = [f"auto initial values: {len(candidates)} relaxation(s) found for {len(arcs)} arc(s)"]
    base = _generic_guess(circuit, f, z)
    resistors = [node for node in series if node.kind == "R"]
    for i, node in enumerate(resistors):  # the first takes R_∞, others a small share
        r_inf = max(est["r_series"], 1e-3 * np.abs(z).min())
        base[node.first_param] = r_inf if i == 0 else 0.1 * r_inf
    diffusion = []  # (element, (Z0, τ) from the slope) for Wo, and Ws without a relaxation
    for node in series:
        k = node.first_param
        if node.kind == "L":
            base[k] = es.inductance_start(floor, f, z)
        elif node.kind == "La":
            base[k : k + 2] = es.la_start(floor, f, z)
        elif node.kind == "CPE":
            base[k : k + 2] = es.cpe_tail_start(floor, f, z)
        elif node.kind == "C":
            base[k] = es.capacitor_tail_start(floor, f, z)
        elif node.kind == "W":
            base[k] = es.warburg_start(floor, f, z)
        elif node.kind in ("Wo", "Ws"):
            base[k : k + 2] = es.diffusion_start(node.kind, floor, f, z)
            diffusion.append(node)
    n_slots = len(arcs) + len(ws)
    starts = []
    has_tail = any(n.kind in ("CPE", "C", "W", "Wo") for n in series)
    options = _assignments(candidates, n_slots, f, tail=has_tail, slow_slots=len(ws), z=z)
    for assignment, alpha in itertools.product(options, ARC_ALPHAS):
        p = base.copy()
        # fastest relaxations to the arcs (circuit order), the slowest to Ws elements
        for (r_el, c_el), (tau, r) in zip(arcs, assignment[: len(arcs)], strict=True):
            p[r_el.first_param] = r
            if c_el.kind == "C":
                p[c_el.first_param] = tau / r
            else:
                p[c_el.first_param : c_el.first_param + 2] = (tau**alpha / r, alpha)
        for node, (tau, r) in zip(ws, assignment[len(arcs) :], strict=True):
            p[node.first_param : node.first_param + 2] = (r, tau / es.TAU_WS_FACTOR)
        starts.append(p)
    n_primary = len(ARC_ALPHAS)
    for node in diffusion:  # the slope-derived τ (already in base for Wo) and ×/÷ 4
        k = node.first_param
        for factor in (1.0, *DIFFUSION_FACTORS):
            if node.kind == "Wo" and factor == 1.0:
                continue
            p = starts[0].copy()
            tau = base[k + 1] * factor
            p[k : k + 2] = es.diffusion_start(node.kind, floor, f, z, tau=tau)
            starts.append(p)
    if not _in_pattern(top):
        starts.extend(_random_starts(starts[0], circuit, 8))
        notes.append("circuit outside the series/arc/tail pattern: random starts added")
    starts = np.array(starts)
    return AutoStarts(starts[:n_primary], starts[n_primary:], floor.chi2, tuple(notes))


def _in_pattern(top) -> bool:
    """A series of R, L, La, tails (CPE, C, W, Wo, Ws) and p(R, CPE|C) arcs, one R at most."""
    resistors = 0
    for node in top:
        if isinstance(node, Element):
            if node.kind not in SERIES_KINDS:
                return False
            resistors += node.kind == "R"
        elif arc_parts(node) is None:
            return False
    return resistors <= 1


def _assignments(
    candidates,
    n_arcs: int,
    f: np.ndarray,
    tail: bool = False,
    slow_slots: int = 0,
    z: np.ndarray | None = None,
) -> list[list[tuple[float, float]]]:
    """Arc (τ, R) sets to try: subsets of the largest relaxations, in order of τ.

    With a low-frequency tail in the circuit, relaxations at the slow edge of the window
    (τ > τ_max/2, peak below 2 f_min) are mostly the tail's own curvature seen by the Voigt
    series, so subsets with fewer of them (beyond ``slow_slots``, the elements such as Ws that
    want one) come first; otherwise subsets of larger total R come first. Missing arcs (fewer
    relaxations than arcs, and in extra sets that drop the weakest one or more relaxations —
    ``GAP_VARIANTS`` sets for one, one fewer for each further one: a small arc beside a large
    series resistance or a broad arc is often not resolved by the NNLS) are placed
    in the widest gaps of the measured τ range (including a decade beyond its fast end, where a
    bulk arc may lie), with R a tenth of the data's |Z| there (or a fifth of the total when the
    spectrum is not given).
    """
    if n_arcs == 0:
        return [[]]
    tau_lo, tau_hi = 1 / (2 * np.pi * f.max()), 1 / (2 * np.pi * f.min())
    total = sum(r for _, r in candidates) or 1.0
    pool = candidates[: n_arcs + 3]

    def rank(subset):
        edge = sum(t > tau_hi / 2 for t, _ in subset)
        return (max(edge - slow_slots, 0) if tail else 0, -sum(r for _, r in subset))

    def filled(subset):
        chosen = sorted(subset, key=lambda c: c[0])
        while len(chosen) < n_arcs:
            edges = np.log10([tau_lo / 10, *(t for t, _ in chosen), tau_hi])
            i = int(np.argmax(np.diff(edges)))
            tau = 10 ** ((edges[i] + edges[i + 1]) / 2)
            r = 0.1 * local_modulus(f, z, tau) if z is not None else 0.2 * total
            chosen.append((tau, r))
            chosen.sort(key=lambda c: c[0])
        return chosen

    full = sorted(itertools.combinations(pool, min(n_arcs, len(pool))), key=rank)
    options = [filled(subset) for subset in full[:MAX_ASSIGNMENTS]]
    for drop in range(1, n_arcs):  # the weakest relaxation(s) replaced by gap arcs
        if len(pool) < n_arcs - drop + 1:
            continue
        fewer = sorted(itertools.combinations(pool, n_arcs - drop), key=rank)
        options += [filled(subset) for subset in fewer[: max(GAP_VARIANTS - drop + 1, 1)]]
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
