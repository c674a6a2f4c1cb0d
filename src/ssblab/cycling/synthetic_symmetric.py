"""Synthetic Li | SSE | Li galvanostatic traces in the tidy cycling table.

Model (per sample): V = s·J·ASR(t) + noise, where s = +1 on stripping (anodic current at the
working electrode) and −1 on plating, J the current density (A/m²) and ASR(t) (Ω·m²) the total
area-specific resistance of the cell (bulk + both interfaces). ASR may drift linearly. After a
short circuit at ``short_at_h`` the cell behaves as the short's resistance in parallel:
V = s·J·(ASR·R_short/(ASR + R_short)) — a collapse to near-ohmic levels. A staircase protocol
steps J up every ``cycles_per_step`` cycles for critical-current-density tests.

Used by tests and the demo, and in the same shape as :mod:`ssblab.io.cycling` readers produce,
so the analysis runs on simulated and measured traces alike.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ssblab.cycling.data import tidy_table


def _protocol(step_h: float, n_half_cycles: int, sample_s: float, strip_first: bool):
    """Sample times (s), sign per sample, half-cycle index per sample — with step-end points."""
    edges = np.arange(n_half_cycles + 1) * step_h * 3600.0
    times, signs, halves = [], [], []
    for k in range(n_half_cycles):
        t = np.arange(edges[k], edges[k + 1], sample_s)
        t = np.append(t[t < edges[k + 1]], edges[k + 1] - 1e-3)  # a point at every step end
        sign = 1.0 if (k % 2 == 0) == strip_first else -1.0
        times.append(t)
        signs.append(np.full(t.size, sign))
        halves.append(np.full(t.size, k))
    return np.concatenate(times), np.concatenate(signs), np.concatenate(halves)


def symmetric_trace(
    *,
    current_density_A_m2: float,
    area_m2: float,
    step_h: float,
    cycles: int,
    asr_ohm_m2: float,
    asr_drift_ohm_m2_per_h: float = 0.0,
    short_at_h: float | None = None,
    short_resistance_ohm_m2: float | None = None,
    noise_V: float = 0.0,
    sample_s: float = 60.0,
    strip_first: bool = True,
    seed: int = 0,
) -> pd.DataFrame:
    """A constant-current plating/stripping trace (``cycles`` full cycles of 2 half-cycles)."""
    t, sign, _ = _protocol(step_h, 2 * cycles, sample_s, strip_first)
    hours = t / 3600.0
    asr = asr_ohm_m2 + asr_drift_ohm_m2_per_h * hours
    if short_at_h is not None:
        r_short = (
            short_resistance_ohm_m2 if short_resistance_ohm_m2 is not None else 0.01 * asr_ohm_m2
        )
        shorted = hours >= short_at_h
        asr = np.where(shorted, asr * r_short / (asr + r_short), asr)
    rng = np.random.default_rng(seed)
    current = sign * current_density_A_m2 * area_m2
    voltage = sign * current_density_A_m2 * asr + noise_V * rng.normal(size=t.size)
    types = np.where(sign > 0, "charge", "discharge")
    return tidy_table(t, voltage, current, step_type=types)


def staircase_trace(
    *,
    current_densities_A_m2,
    area_m2: float,
    step_h: float,
    cycles_per_step: int,
    asr_ohm_m2: float,
    ccd_A_m2: float | None = None,
    short_resistance_ohm_m2: float | None = None,
    noise_V: float = 0.0,
    sample_s: float = 30.0,
    seed: int = 0,
) -> pd.DataFrame:
    """A critical-current-density staircase: J steps up every ``cycles_per_step`` cycles.

    The cell shorts at the first stripping/plating step whose J reaches ``ccd_A_m2`` (halfway
    through that half-cycle, as a filament bridges the cell)."""
    densities = np.asarray(list(current_densities_A_m2), dtype=float)
    n_half = 2 * cycles_per_step * densities.size
    t, sign, half = _protocol(step_h, n_half, sample_s, strip_first=True)
    j = densities[half // (2 * cycles_per_step)]
    asr = np.full(t.size, asr_ohm_m2)
    if ccd_A_m2 is not None and np.any(densities >= ccd_A_m2):
        first_half = int(np.argmax(densities >= ccd_A_m2)) * 2 * cycles_per_step
        short_at_s = (first_half + 0.5) * step_h * 3600.0
        r_short = (
            short_resistance_ohm_m2 if short_resistance_ohm_m2 is not None else 0.01 * asr_ohm_m2
        )
        asr = np.where(t >= short_at_s, asr * r_short / (asr + r_short), asr)
    rng = np.random.default_rng(seed)
    voltage = sign * j * asr + noise_V * rng.normal(size=t.size)
    return tidy_table(
        t, voltage, sign * j * area_m2, step_type=np.where(sign > 0, "charge", "discharge")
    )
