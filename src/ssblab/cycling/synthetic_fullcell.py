"""Synthetic galvanostatic full-cell traces (cathode-first, e.g. Li | LLZTO | NMC811) in the tidy
cycling table, so the full-cell analysis runs on simulated and measured data alike.

Protocol: ``formation_cycles`` cycles at ``formation_c_rate``, then one cycle per entry of
``discharge_capacity`` at ``c_rate`` (scalar or one per cycle; charge at ``charge_c_rate``,
default the same). Each cycle is a constant-current charge of capacity Q_dis/CE followed by a
constant-current discharge of Q_dis, optionally each followed by a rest of ``rest_s``. Currents:
I = C-rate × nominal capacity (1 C), positive on charge. Step durations are Q/|I| exactly, with a
point at every step start and end (the contract's trapezoidal integration then returns the input
capacities to rounding error).

Voltage: V = OCV(SOC) + sign·|I|·R (IR drop; + on charge, − on discharge) + Gaussian noise, where
SOC runs 0 → 1 along a charge and 1 → 0 along a discharge (the accessible capacity of that
cycle). The default OCV (:func:`nmc_ocv`) is an NMC811-vs-Li-like monotone curve from 3.0 V
(SOC 0) to 4.3 V (SOC 1), defined through its inverse — SOC(V) a sloping background plus three
smoothed steps, so that dQ/dV has peaks at 3.68, 4.00 and 4.18 V (cf. the H1→M, M→H2 and H2→H3
transitions of Ni-rich layered oxides):

    SOC(V) ∝ 0.15 (V − 3.0)/1.3 + 0.50 σ((V − 3.68)/0.04) + 0.20 σ((V − 4.00)/0.03)
             + 0.20 σ((V − 4.18)/0.02),   σ the logistic function, scaled to 0 … 1 on 3.0–4.3 V

During a rest the voltage relaxes exponentially (τ = rest_s/5) from the end-of-step value to
the OCV. Not a physical model: no diffusion, no capacity–rate coupling beyond what is given.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from ssblab.cycling.data import tidy_table
from ssblab.errors import SsblabInputError

OCV_PEAKS_V = (3.68, 4.00, 4.18)
_V_GRID = np.linspace(3.0, 4.3, 4001)


def _soc_of_v(v: np.ndarray) -> np.ndarray:
    def sig(x):
        return 1.0 / (1.0 + np.exp(-x))

    return (
        0.15 * (v - 3.0) / 1.3
        + 0.50 * sig((v - 3.68) / 0.04)
        + 0.20 * sig((v - 4.00) / 0.03)
        + 0.20 * sig((v - 4.18) / 0.02)
    )


_S_GRID = (_soc_of_v(_V_GRID) - _soc_of_v(_V_GRID[0])) / (
    _soc_of_v(_V_GRID[-1]) - _soc_of_v(_V_GRID[0])
)


def nmc_ocv(soc) -> np.ndarray:
    """Default open-circuit voltage (V) against SOC (0–1), an NMC811 | Li-like shape."""
    return np.interp(np.asarray(soc, dtype=float), _S_GRID, _V_GRID)


def _per_cycle(value, n: int, name: str) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        arr = np.full(n, float(arr))
    if arr.shape != (n,):
        raise SsblabInputError(f"{name}: a scalar or one value per cycle ({n}) expected")
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise SsblabInputError(f"{name}: values must be positive and finite")
    return arr


def fullcell_trace(
    discharge_capacity,
    *,
    nominal_capacity: float,
    active_mass_g: float | None = None,
    c_rate=0.5,
    charge_c_rate=None,
    coulombic_efficiency=0.998,
    formation_cycles: int = 0,
    formation_c_rate=0.1,
    formation_capacity=None,
    formation_coulombic_efficiency=0.9,
    resistance_ohm: float = 100.0,
    ocv: Callable[[np.ndarray], np.ndarray] | None = None,
    points_per_step: int = 20,
    rest_s: float = 0.0,
    rest_points: int = 5,
    noise_V: float = 0.0,
    temperature_K: float = 298.15,
    seed: int = 0,
) -> pd.DataFrame:
    """A tidy full-cell table (see module docstring).

    Capacities (``discharge_capacity`` per cycle after formation, ``nominal_capacity`` = 1 C,
    ``formation_capacity``) are in mAh/g when ``active_mass_g`` is given, else in mAh.
    ``formation_capacity`` defaults to the first cycling capacity. Cycle numbers start at 1.
    """
    q_cycle = np.atleast_1d(np.asarray(discharge_capacity, dtype=float))
    if q_cycle.ndim != 1 or q_cycle.size == 0:
        raise SsblabInputError("discharge_capacity: a non-empty 1-D series expected")
    if not np.all(np.isfinite(q_cycle)) or np.any(q_cycle <= 0):
        raise SsblabInputError("discharge_capacity: values must be positive and finite")
    if not (isinstance(formation_cycles, (int, np.integer)) and formation_cycles >= 0):
        raise SsblabInputError(f"formation_cycles must be an int ≥ 0, got {formation_cycles!r}")
    if not (math.isfinite(nominal_capacity) and nominal_capacity > 0):
        raise SsblabInputError(f"nominal_capacity must be positive, got {nominal_capacity!r}")
    if not (math.isfinite(resistance_ohm) and resistance_ohm >= 0):
        raise SsblabInputError(f"resistance_ohm must be ≥ 0, got {resistance_ohm!r}")
    if active_mass_g is not None and not (math.isfinite(active_mass_g) and active_mass_g > 0):
        raise SsblabInputError(f"active_mass_g must be positive, got {active_mass_g!r}")
    if points_per_step < 2:
        raise SsblabInputError(f"points_per_step must be ≥ 2, got {points_per_step}")
    if rest_s < 0 or (rest_s > 0 and rest_points < 2):
        raise SsblabInputError("rest_s must be ≥ 0 (and rest_points ≥ 2 with rests)")
    if noise_V < 0:
        raise SsblabInputError(f"noise_V must be ≥ 0, got {noise_V!r}")
    n_main = q_cycle.size
    n_form = int(formation_cycles)
    dis_rate = _per_cycle(c_rate, n_main, "c_rate")
    ch_rate = (
        dis_rate if charge_c_rate is None else _per_cycle(charge_c_rate, n_main, "charge_c_rate")
    )
    ce = _per_cycle(coulombic_efficiency, n_main, "coulombic_efficiency")
    if n_form:
        f_cap = _per_cycle(
            q_cycle[0] if formation_capacity is None else formation_capacity,
            n_form,
            "formation_capacity",
        )
        f_rate = _per_cycle(formation_c_rate, n_form, "formation_c_rate")
        f_ce = _per_cycle(formation_coulombic_efficiency, n_form, "formation_coulombic_efficiency")
        q_cycle = np.concatenate([f_cap, q_cycle])
        dis_rate = np.concatenate([f_rate, dis_rate])
        ch_rate = np.concatenate([f_rate, ch_rate])
        ce = np.concatenate([f_ce, ce])
    if np.any(ce > 1.5):
        raise SsblabInputError("coulombic_efficiency: a fraction (≈ 0.8–1) expected")
    scale = active_mass_g if active_mass_g is not None else 1.0  # → mAh
    n = q_cycle.size
    one_c_a = nominal_capacity * scale / 1000.0  # A
    q_dis_ah = q_cycle * scale / 1000.0
    q_ch_ah = q_dis_ah / ce
    i_ch = ch_rate * one_c_a
    i_dis = dis_rate * one_c_a
    f = ocv if ocv is not None else nmc_ocv

    # steps, in order: charge [rest] discharge [rest] per cycle
    per = 4 if rest_s > 0 else 2
    kinds = np.tile(
        np.array(["charge", "rest", "discharge", "rest"] if per == 4 else ["charge", "discharge"]),
        n,
    )
    cyc = np.repeat(np.arange(1, n + 1), per)
    cur = np.zeros(n * per)
    dur = np.full(n * per, float(rest_s))
    soc0 = np.zeros(n * per)
    soc1 = np.zeros(n * per)
    ch, dis = np.arange(n) * per, np.arange(n) * per + per // 2
    cur[ch], cur[dis] = i_ch, -i_dis
    dur[ch], dur[dis] = q_ch_ah / i_ch * 3600.0, q_dis_ah / i_dis * 3600.0
    soc0[ch], soc1[ch] = 0.0, 1.0
    soc0[dis], soc1[dis] = 1.0, 0.0
    if per == 4:
        soc0[ch + 1] = soc1[ch + 1] = 1.0
        soc0[dis + 1] = soc1[dis + 1] = 0.0
    npts = np.where(cur != 0, points_per_step, rest_points).astype(np.int64)
    t0 = np.concatenate([[0.0], np.cumsum(dur)[:-1]])
    step_of_row = np.repeat(np.arange(kinds.size), npts)
    first_row = np.concatenate([[0], np.cumsum(npts)[:-1]])
    local = np.arange(step_of_row.size) - first_row[step_of_row]
    x = local / (npts[step_of_row] - 1.0)
    t = t0[step_of_row] + x * dur[step_of_row]
    soc = soc0[step_of_row] + x * (soc1[step_of_row] - soc0[step_of_row])
    current = cur[step_of_row]
    voltage = f(soc) + current * resistance_ohm
    if per == 4:
        # end-of-step overpotential of the preceding current step, relaxing exponentially
        eta_end = np.zeros(kinds.size)
        eta_end[ch + 1] = i_ch * resistance_ohm
        eta_end[dis + 1] = -i_dis * resistance_ohm
        rest_rows = cur[step_of_row] == 0
        tau = rest_s / 5.0
        relax = np.exp(-x * dur[step_of_row] / tau)
        voltage = np.where(rest_rows, f(soc) + eta_end[step_of_row] * relax, voltage)
    if noise_V > 0:
        voltage = voltage + noise_V * np.random.default_rng(seed).normal(size=voltage.size)
    return tidy_table(
        t,
        voltage,
        current,
        step_index=step_of_row,
        step_type=kinds[step_of_row],
        cycle_index=cyc[step_of_row],
        temperature_k=np.full(t.size, float(temperature_K)),
    )
