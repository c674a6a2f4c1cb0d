"""Arcs p(R, CPE|C) of a fitted circuit: where they are, whether they escaped the data, and
starts that move them (re-seeding).

An arc's characteristic time is τ = (RQ)^(1/α) (τ = RC for a capacitor); its peak is at
f = 1/(2πτ). An arc has *escaped* when τ lies far outside the measured window (below
τ_min/30 or above 3τ_max, τ = 1/ω at the window's ends), when α < 0.35, when R is below 1e-3
of the data's |Z| at the arc's own frequency, or above 1e3 × max|Z|: it then describes no
process of the spectrum.
"""

from __future__ import annotations

import itertools

import numpy as np

from ssblab.impedance.circuits import Circuit, Element
from ssblab.impedance.model import arc_parts, top_level


def arc_slots(circuit: Circuit) -> list[tuple[Element, Element]]:
    """(R, capacitive element) of every top-level p(R, CPE|C) arc."""
    return [parts for node in top_level(circuit) if (parts := arc_parts(node))]


def local_modulus(frequency_hz, z, tau) -> float:
    """|Z| of the data at f = 1/(2πτ) (interpolated in log f; clamped to the measured range)."""
    order = np.argsort(frequency_hz)
    f_at = 1.0 / (2 * np.pi * tau)
    return float(np.interp(np.log(f_at), np.log(frequency_hz[order]), np.abs(z[order])))


def series_resistances(circuit: Circuit) -> list[int]:
    """Parameter indices of the top-level series resistors."""
    return [n.first_param for n in top_level(circuit) if isinstance(n, Element) and n.kind == "R"]


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
    """Copies of ``params`` with each listed arc moved across the measured τ range, and the
    same moves applied to the data-derived start ``base`` (when the optimum found has other
    elements in wrong roles, e.g. a tail CPE with α → 0 acting as a resistor, moving one arc
    of it cannot recover).

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
        for (tau, scale), origin in itertools.product(
            zip(grid, local, strict=True), (params, base)
        ):
            for r in (0.03 * scale, 0.3 * scale):
                p = origin.copy()
                p[r_el.first_param] = r
                if c_el.kind == "C":
                    p[c_el.first_param] = tau / r
                else:
                    p[c_el.first_param : c_el.first_param + 2] = (tau**0.85 / r, 0.85)
                starts.append(p)
    return np.array(starts)
