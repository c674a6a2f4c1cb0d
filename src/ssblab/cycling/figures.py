"""Publication figures for cycling analysis (matplotlib, Agg backend)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ssblab._plotting import plt

STYLE = {"font.size": 8, "axes.linewidth": 0.6, "lines.linewidth": 0.8, "savefig.dpi": 200}
MAX_POINTS = 20_000


def decimate(time: np.ndarray, values: np.ndarray, max_points: int = MAX_POINTS):
    """Min/max per bucket: a million-row trace drawn with its extremes kept."""
    n = time.size
    if n <= max_points:
        return time, values
    buckets = max_points // 2
    edges = np.linspace(0, n, buckets + 1).astype(int)
    lo = np.minimum.reduceat(values, edges[:-1])
    hi = np.maximum.reduceat(values, edges[:-1])
    t = time[edges[:-1]]
    return np.repeat(t, 2), np.column_stack([lo, hi]).ravel()


def _save(fig, path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def voltage_time(table: pd.DataFrame, result, path, title: str = "") -> Path:
    """Voltage vs time with half-cycle boundaries and the detected short."""
    hours = table["time_s"].to_numpy() / 3600.0
    t, v = decimate(hours, table["voltage_V"].to_numpy())
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(6.0, 2.6))
        ax.plot(t, v, "-", color="C0")
        hc = result.half_cycles
        if len(hc) <= 200:
            for start in hc["start_h"]:
                ax.axvline(start, color="0.85", lw=0.3, zorder=0)
        if result.short.detected:
            ax.axvline(
                result.short.time_h,
                color="C3",
                lw=1.0,
                ls="--",
                label=f"{result.short.kind} short at {result.short.time_h:.1f} h",
            )
            ax.legend(fontsize=6, frameon=False, loc="upper right")
        ax.set_xlabel("Time (h)")
        ax.set_ylabel("Voltage (V)")
        ax.set_title(title, fontsize=8)
        return _save(fig, path)


def asr_time(result, path, title: str = "") -> Path:
    hc = result.half_cycles
    mid = 0.5 * (hc["start_h"] + hc["end_h"])
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(4.0, 2.6))
        for kind, marker in (("strip", "^"), ("plate", "v")):
            sel = hc["kind"] == kind
            ax.plot(mid[sel], hc["asr_ohm_m2"][sel] * 1e4, marker, ms=2.5, mfc="none", label=kind)
        if result.asr_slope_ohm_m2_per_h is not None:
            span = np.array([mid.min(), mid.max()])
            fit = (result.asr_initial_ohm_m2 + result.asr_slope_ohm_m2_per_h * span) * 1e4
            ax.plot(
                span,
                fit,
                "-",
                color="C3",
                label=f"drift {result.asr_slope_ohm_m2_per_h * 1e4:.3g} Ω cm² h⁻¹",
            )
        if result.short.detected:
            ax.axvline(result.short.time_h, color="C3", lw=0.8, ls="--")
        ax.set_xlabel("Time (h)")
        ax.set_ylabel("ASR = η/J (Ω cm²)")
        ax.set_title(title, fontsize=8)
        ax.legend(fontsize=6, frameon=False)
        return _save(fig, path)


def capacity_ce(result, path, title: str = "") -> Path:
    """Discharge capacity and Coulombic efficiency vs cycle; formation cycles marked."""
    cycles = result.cycles
    per_gram = cycles["discharge_mAh_g"].notna().any()
    capacity = cycles["discharge_mAh_g"] if per_gram else cycles["discharge_mAh"]
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(4.2, 2.8))
        formation = cycles["formation"].astype(bool)
        ax.plot(cycles["cycle"][~formation], capacity[~formation], "o", ms=2.5, label="cycling")
        ax.plot(
            cycles["cycle"][formation],
            capacity[formation],
            "s",
            ms=3,
            mfc="none",
            label="formation",
        )
        ax.set_xlabel("Cycle")
        ax.set_ylabel("Discharge capacity (mAh g⁻¹)" if per_gram else "Discharge capacity (mAh)")
        ce = ax.twinx()
        ce.plot(cycles["cycle"], 100 * cycles["coulombic_efficiency"], "-", color="C2", lw=0.8)
        ce.set_ylabel("Coulombic efficiency (%)", color="C2")
        ax.set_title(
            title
            or f"retention {result.retention_percent:.1f} % "
            f"(reference cycle {result.reference_cycle})",
            fontsize=8,
        )
        ax.legend(fontsize=6, frameon=False, loc="lower left")
        return _save(fig, path)


def rate_bars(rate, path, title: str = "") -> Path:
    rates = rate.rates
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(3.6, 2.6))
        labels = [f"{c:g} C" for c in rates["c_rate"]]
        ax.bar(labels, rates["relative_percent"], color="C0")
        for x, value in enumerate(rates["relative_percent"]):
            ax.annotate(f"{value:.0f} %", (x, value), ha="center", va="bottom", fontsize=6)
        ax.set_ylabel(f"Capacity vs {rate.slowest_c_rate:g} C (%)")
        ax.set_title(title, fontsize=8)
        return _save(fig, path)


def fade_plot(cycles, capacity, fade, path, title: str = "") -> Path:
    """Data, the selected fade model, the knee and the end-of-life threshold."""
    n = np.asarray(cycles, dtype=float)
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(4.2, 2.8))
        ax.plot(n, capacity, "o", ms=2, mfc="none", color="0.4", label="data")
        grid = np.linspace(n.min(), n.max(), 400)
        ax.plot(grid, fade.best.predict(grid), "-", color="C3", label=f"{fade.best_model} fit")
        ax.axhline(
            fade.eol_threshold,
            color="0.5",
            ls=":",
            lw=0.8,
            label=f"end of life ({100 * fade.eol_fraction:.0f} %)",
        )
        if fade.knee is not None and fade.knee.detected:
            ax.axvline(
                fade.knee.knee_cycle,
                color="C1",
                ls="--",
                lw=0.8,
                label=f"knee at cycle {fade.knee.knee_cycle:.0f}",
            )
        ax.set_xlabel("Cycle")
        ax.set_ylabel("Discharge capacity")
        ax.set_title(title, fontsize=8)
        ax.legend(fontsize=6, frameon=False)
        return _save(fig, path)


def dqdv_plot(result, path, title: str = "") -> Path:
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(3.8, 2.8))
        colours = plt.cm.viridis(np.linspace(0, 1, max(len(result.cycles), 2)))
        for colour, cycle, curve in zip(colours, result.cycles, result.dqdv, strict=False):
            ax.plot(result.voltage_V, curve, "-", color=colour, label=f"cycle {cycle}")
        ax.set_xlabel("Voltage (V)")
        ax.set_ylabel(f"dQ/dV ({result.unit})")
        ax.set_title(title or f"dQ/dV, {result.step}", fontsize=8)
        if len(result.cycles) <= 8:
            ax.legend(fontsize=6, frameon=False)
        return _save(fig, path)
