"""Incremental capacity dQ/dV per cycle on a uniform voltage grid (split from fullcell).

Method (:func:`dqdv`): capacity increments between consecutive points of a step spread
uniformly over the voltage interval they span — the exact derivative of the piecewise-linear
Q(V) — binned on a uniform grid, then Gaussian-smoothed; ∫ dQ/dV dV equals the step capacity
(incremental capacity analysis, Dubarry et al., Electrochem. Solid-State Lett. 9 (2006) A454).
Units: mAh/V, or mAh/(g·V) per gram of active material. Validity: galvanostatic steps; ICA peaks
broaden with the IR drop at high C-rates.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.ndimage import gaussian_filter1d

from ssblab.cycling.steps import as_table, kind_codes
from ssblab.cycling.steps import positive_number as _positive
from ssblab.errors import SsblabInputError


@dataclass(frozen=True)
class DqdvResult:
    """dQ/dV curves on a common uniform voltage grid: ``dqdv[k]`` belongs to ``cycles[k]``."""

    voltage_V: np.ndarray  # bin centres
    cycles: tuple[int, ...]
    step: str
    dqdv: np.ndarray  # (n_cycles, n_bins), ``unit``
    unit: str
    voltage_step_V: float
    smoothing_V: float
    method: str

    def curve(self, cycle: int) -> np.ndarray:
        if cycle not in self.cycles:
            raise SsblabInputError(f"cycle {cycle} not in the dQ/dV result")
        return self.dqdv[self.cycles.index(cycle)]

    def peak_voltage(self, cycle: int, window_V: tuple[float, float] | None = None) -> float:
        """Voltage of the largest dQ/dV value of ``cycle`` (within ``window_V`` if given)."""
        y = self.curve(cycle)
        mask = np.ones(y.size, dtype=bool)
        if window_V is not None:
            mask = (self.voltage_V >= window_V[0]) & (self.voltage_V <= window_V[1])
        if not mask.any():
            raise SsblabInputError(f"window_V {window_V}: no grid points inside")
        k = np.flatnonzero(mask)[np.argmax(y[mask])]
        return float(self.voltage_V[k])

    def to_dict(self) -> dict:
        return {
            "voltage_V": self.voltage_V.tolist(),
            "cycles": list(self.cycles),
            "step": self.step,
            "dqdv": {str(c): row.tolist() for c, row in zip(self.cycles, self.dqdv, strict=True)},
            "unit": self.unit,
            "voltage_step_V": self.voltage_step_V,
            "smoothing_V": self.smoothing_V,
            "method": self.method,
        }


DQDV_METHOD = (
    "capacity increments between consecutive points of a step spread uniformly over the "
    "voltage interval they span (the exact derivative of the piecewise-linear Q(V), robust to "
    "non-monotonic noisy V), binned on a uniform voltage grid, then smoothed by a Gaussian "
    "kernel of standard deviation smoothing_V; |dQ|/|dV| > 0 for charge and discharge"
)


def _ramp_sums(group, u, w, n_groups, n_edges):
    """S[g, j] = Σ_{k in g} w_k · max(j − u_k, 0) for j = 0 … n_edges−1 (O(N + G·M))."""
    m = np.clip(np.floor(u).astype(np.int64) + 1, 0, n_edges)
    idx = group * (n_edges + 1) + m
    size = n_groups * (n_edges + 1)
    wsum = np.bincount(idx, weights=w, minlength=size).reshape(n_groups, n_edges + 1)
    usum = np.bincount(idx, weights=w * u, minlength=size).reshape(n_groups, n_edges + 1)
    wsum = np.cumsum(wsum[:, :n_edges], axis=1)
    usum = np.cumsum(usum[:, :n_edges], axis=1)
    return np.arange(n_edges) * wsum - usum


def dqdv(
    data,
    *,
    cycles: Sequence[int] | None = None,
    step: str = "discharge",
    voltage_step_V: float = 0.005,
    smoothing_V: float = 0.01,
    voltage_range_V: tuple[float, float] | None = None,
    active_mass_g: float | None = None,
) -> DqdvResult:
    """Incremental capacity dQ/dV per cycle on a uniform voltage grid (mAh/V, or mAh/(g·V)).

    Method: for consecutive points k−1, k of one charge (or discharge) segment, the capacity
    increment ΔQ_k = |Δ step_capacity| is spread uniformly over [min(V), max(V)] of the pair —
    i.e. Q(V) is taken piecewise linear between points — and accumulated on the grid (bins of
    ``voltage_step_V``); an increment at constant voltage (a CV hold) lands in one bin. The
    histogram ÷ bin width is then smoothed with a Gaussian of σ = ``smoothing_V`` (0 = none).
    The unsmoothed curve integrates to the step capacity exactly; smoothing only redistributes
    it (the default grid is padded by 4σ). Vectorised over all cycles (bincount, cumsum).
    Validity: galvanostatic steps; ICA peaks broaden with the IR drop at high C-rates.
    """
    table = as_table(data)
    if step not in ("charge", "discharge"):
        raise SsblabInputError(f"step must be 'charge' or 'discharge', got {step!r}")
    dv = _positive(voltage_step_V, "voltage_step_V")
    if smoothing_V is None or not (math.isfinite(smoothing_V) and smoothing_V >= 0):
        raise SsblabInputError(f"smoothing_V must be ≥ 0, got {smoothing_V!r}")
    mass = _positive(active_mass_g, "active_mass_g")
    want = 1 if step == "charge" else -1
    kind = kind_codes(table)
    cyc = table["cycle_index"].to_numpy()
    stp = table["step_index"].to_numpy()
    v = table["voltage_V"].to_numpy(dtype=float)
    sc = table["step_capacity_Ah"].to_numpy(dtype=float)
    same = (kind[1:] == want) & (kind[:-1] == want) & (cyc[1:] == cyc[:-1]) & (stp[1:] == stp[:-1])
    available = np.unique(cyc[kind == want])
    if cycles is None:
        selected = available
    else:
        selected = np.unique(np.asarray(list(cycles)))
        missing = np.setdiff1d(selected, available)
        if missing.size:
            raise SsblabInputError(f"cycles: no {step} in cycles {missing.tolist()}")
    if selected.size == 0:
        raise SsblabInputError(f"data: no {step} steps")
    pair_cycle = cyc[1:]
    keep = same & np.isin(pair_cycle, selected)
    k = np.flatnonzero(keep)
    v0, v1 = v[k], v[k + 1]
    dq = np.abs(sc[k + 1] - sc[k]) * 1000.0  # mAh
    group = np.searchsorted(selected, pair_cycle[k])
    rows = np.isin(cyc, selected) & (kind == want)
    if voltage_range_V is None:
        pad = 4.0 * smoothing_V
        lo = math.floor((float(v[rows].min()) - pad) / dv) * dv
        hi = math.ceil((float(v[rows].max()) + pad) / dv) * dv
    else:
        lo, hi = map(float, voltage_range_V)
        if not (math.isfinite(lo) and math.isfinite(hi) and hi > lo):
            raise SsblabInputError(f"voltage_range_V must be (low, high), got {voltage_range_V}")
    n_bins = max(round((hi - lo) / dv), 1)
    n_edges = n_bins + 1
    n_groups = selected.size
    a, b = np.minimum(v0, v1), np.maximum(v0, v1)
    width = b - a
    spread = width > 1e-6 * dv
    rho = np.where(spread, dq / np.where(spread, width, 1.0), 0.0)  # mAh/V
    cdf = _ramp_sums(group[spread], (a[spread] - lo) / dv, rho[spread], n_groups, n_edges)
    cdf -= _ramp_sums(group[spread], (b[spread] - lo) / dv, rho[spread], n_groups, n_edges)
    content = np.diff(cdf, axis=1) * dv  # mAh per bin
    point = ~spread
    pbin = np.floor((a[point] - lo) / dv).astype(np.int64)
    inside = (pbin >= 0) & (pbin < n_bins)
    content += np.bincount(
        group[point][inside] * n_bins + pbin[inside],
        weights=dq[point][inside],
        minlength=n_groups * n_bins,
    ).reshape(n_groups, n_bins)
    curve = content / dv
    if smoothing_V > 0:
        curve = gaussian_filter1d(curve, smoothing_V / dv, axis=1, mode="constant")
    unit = "mAh/V"
    if mass:
        curve = curve / mass
        unit = "mAh/(g*V)"
    centres = lo + dv * (np.arange(n_bins) + 0.5)
    return DqdvResult(
        voltage_V=centres,
        cycles=tuple(int(c) for c in selected),
        step=step,
        dqdv=curve,
        unit=unit,
        voltage_step_V=dv,
        smoothing_V=float(smoothing_V),
        method=DQDV_METHOD,
    )


def representative_dqdv(data, result, active_mass_g: float | None = None) -> DqdvResult | None:
    """dQ/dV of three complete cycles of a full-cell analysis — the first, the middle and the
    last — numbered as the analysis numbers them (when it recounted the file's cycles, the
    table is renumbered the same way first); None without a complete cycle. What ``ssblab
    cycle full --plot`` and the reports draw."""
    from ssblab.cycling.checks import recount_cycles

    complete = result.cycles[result.cycles["complete"].astype(bool)]["cycle"].tolist()
    if not complete:
        return None
    chosen = sorted({complete[0], complete[len(complete) // 2], complete[-1]})
    table = data.table
    if result.cycles_recounted:  # the cycle numbers of the result, not of the file
        table = table.assign(cycle_index=recount_cycles(table, result.first_step))
    return dqdv(table, cycles=chosen, active_mass_g=active_mass_g)
