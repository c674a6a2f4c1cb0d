"""Li | SSE | Li symmetric cells: overpotential, ASR, short circuits, critical current density.

**Half-cycles.** Working steps (|I| above the rest threshold) are half-cycles: *strip* when the
current is anodic at the working electrode (positive), *plate* when cathodic. For each:
current density J = |I|/A; overpotential η = mean |V| over the second half of the half-cycle
(the plateau; peak and end values are reported too); ASR = η/J in Ω·m² (total cell: bulk + two
interfaces; Ω·cm² in the output); hysteresis of a cycle = η_strip + η_plate.

**Short circuits** (Li filaments; seed 000 §3.3, seed 003 §3): a half-cycle whose ASR falls
below ``COLLAPSE`` (0.3) × the median of the preceding half-cycles and stays below 0.5× for the
rest of the test is a *hard short* (collapse to near-ohmic levels); a drop to 0.3–0.6× that
persists is a *partial short* (flattened profile); voltage noise above ``NOISE_FACTOR`` × the
earlier noise together with transient dips (|V| below 0.3 η) or spikes (above 2 η) is a
*soft short*. The failure time is the first
sample whose instantaneous |V|/J falls below half the baseline (hard/partial) or whose noise
rises (soft). Confidence combines the depth of the collapse with how long it persists.

**Critical current density.** When J takes three or more increasing levels (a staircase), the
CCD is the J of the level at which the cell shorts; without a short, the CCD is only bounded
below by the highest J tested.

**Consistency with impedance.** η/J measured galvanostatically includes every overpotential
(ohmic, charge transfer, constriction, concentration); the EIS total resistance × area at OCV
should match its early-cycle value when the interfaces are ohmic. :func:`eis_consistency`
reports the ratio.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from ssblab.cycling.data import CyclingData, check_table
from ssblab.errors import SsblabInputError

COLLAPSE = 0.3
PARTIAL = 0.6
PERSIST = 0.5
NOISE_FACTOR = 5.0
BASELINE_HALF_CYCLES = 6
REST_FRACTION = 0.02  # |I| below this fraction of the step's median counts as rest


@dataclass(frozen=True)
class ShortCircuit:
    detected: bool
    kind: str | None = None  # "hard", "partial" or "soft"
    time_h: float | None = None
    half_cycle: int | None = None
    confidence: float = 0.0
    evidence: str = ""


@dataclass(frozen=True)
class CriticalCurrent:
    levels_A_m2: tuple[float, ...]
    ccd_A_m2: float | None  # J at which the cell shorted (None: no short in the staircase)
    last_stable_A_m2: float | None
    lower_bound_A_m2: float | None  # highest J survived when no short occurred
    evidence: str


@dataclass(frozen=True)
class SymmetricResult:
    half_cycles: pd.DataFrame
    area_m2: float
    short: ShortCircuit
    asr_slope_ohm_m2_per_h: float | None
    asr_initial_ohm_m2: float | None
    hysteresis: pd.DataFrame
    critical_current: CriticalCurrent | None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def lifetime_h(self) -> float | None:
        return self.short.time_h if self.short.detected else None

    def to_dict(self) -> dict:
        hc = self.half_cycles
        return {
            "short_circuit": self.short.detected,
            "lifetime_h": self.lifetime_h,
            "short": asdict(self.short),
            "area_m2": self.area_m2,
            "half_cycles": [
                {
                    "index": int(r.index),
                    "kind": r.kind,
                    "start_h": float(r.start_h),
                    "end_h": float(r.end_h),
                    "current_density_A_m2": float(r.current_density_A_m2),
                    "overpotential_V": float(r.overpotential_V),
                    "peak_V": float(r.peak_V),
                    "end_V": float(r.end_V),
                    "asr_ohm_cm2": float(r.asr_ohm_m2 * 1e4),
                }
                for r in hc.itertuples()
            ],
            "asr_initial_ohm_cm2": None
            if self.asr_initial_ohm_m2 is None
            else self.asr_initial_ohm_m2 * 1e4,
            "asr_drift_ohm_cm2_per_h": None
            if self.asr_slope_ohm_m2_per_h is None
            else self.asr_slope_ohm_m2_per_h * 1e4,
            "hysteresis": self.hysteresis.to_dict(orient="records"),
            "critical_current": None
            if self.critical_current is None
            else asdict(self.critical_current),
            "notes": list(self.notes),
        }


def half_cycles(table: pd.DataFrame, area_m2: float) -> pd.DataFrame:
    """One row per working step: kind, times, J, η (plateau, peak, end), ASR, noise."""
    current = table["current_A"].to_numpy(dtype=float)
    steps = table["step_index"].to_numpy()
    working = table["step_type"].isin(["charge", "discharge", "strip", "plate"]).to_numpy()
    frame = pd.DataFrame(
        {
            "step": steps,
            "t": table["time_s"].to_numpy(dtype=float),
            "v": table["voltage_V"].to_numpy(dtype=float),
            "i": current,
        }
    )[working]
    frame = frame[np.abs(frame["i"]) > 0]
    if frame.empty:
        raise SsblabInputError("no plating/stripping steps: every row is at rest")
    grouped = frame.groupby("step", sort=True)
    start, end = grouped["t"].transform("min"), grouped["t"].transform("max")
    frame["late"] = (frame["t"] - start) >= 0.5 * (end - start)
    frame["abs_v"] = frame["v"].abs()
    frame["dv"] = grouped["v"].diff().abs()
    summary = grouped.agg(
        start_s=("t", "min"),
        end_s=("t", "max"),
        median_i=("i", "median"),
        peak_V=("abs_v", "max"),
        min_V=("abs_v", "min"),
        end_V=("abs_v", "last"),
        mean_V=("abs_v", "mean"),
        noise_V=("dv", "median"),
        rows=("t", "size"),
    )
    plateau = frame[frame["late"]].groupby("step")["abs_v"].mean()
    summary["overpotential_V"] = plateau.reindex(summary.index).fillna(summary["mean_V"])
    summary["kind"] = np.where(summary["median_i"] > 0, "strip", "plate")
    summary["current_density_A_m2"] = summary["median_i"].abs() / area_m2
    summary["asr_ohm_m2"] = summary["overpotential_V"] / summary["current_density_A_m2"]
    summary["start_h"] = summary["start_s"] / 3600.0
    summary["end_h"] = summary["end_s"] / 3600.0
    summary = summary.reset_index().rename(columns={"step": "step_index"})
    summary.insert(0, "index", np.arange(len(summary)))
    return summary


def _baseline(values: np.ndarray) -> np.ndarray:
    """Median of the preceding BASELINE_HALF_CYCLES values (NaN for the first two)."""
    series = pd.Series(values)
    base = series.shift(1).rolling(BASELINE_HALF_CYCLES, min_periods=2).median()
    return base.to_numpy()


def detect_short(table: pd.DataFrame, hc: pd.DataFrame, area_m2: float) -> ShortCircuit:
    """Hard, partial or soft short (see module docstring), located at the sample level."""
    asr = hc["asr_ohm_m2"].to_numpy()
    base = _baseline(asr)
    ratio = asr / base
    n = asr.size
    for k in range(n):
        if not np.isfinite(ratio[k]) or ratio[k] >= PARTIAL:
            continue
        later = asr[k + 1 :] / base[k]  # against the baseline before the failure
        limit = PERSIST if ratio[k] < COLLAPSE else 2 * PERSIST
        persists = bool(np.all(later < limit))
        if not persists:
            continue
        # a short late in a half-cycle only half-lowers its plateau: judge by the next ones too
        depth = float(min(ratio[k], *(later[:2] if later.size else [ratio[k]])))
        kind = "hard" if depth < COLLAPSE else "partial"
        time_h = _failure_time(table, hc, k, base[k], area_m2)
        persistence = min(1.0, (n - k) / 4.0)
        confidence = float(np.clip((1 - depth) * (0.6 + 0.4 * persistence), 0, 1))
        return ShortCircuit(
            detected=True,
            kind=kind,
            time_h=time_h,
            half_cycle=int(hc["index"].iloc[k]),
            confidence=round(confidence, 3),
            evidence=(
                f"ASR fell to {ratio[k]:.2f}x the preceding median "
                f"({base[k] * 1e4:.4g} -> {asr[k] * 1e4:.4g} ohm cm2) and stayed low for "
                f"{n - k - 1} later half-cycle(s)"
            ),
        )
    noise = hc["noise_V"].to_numpy()
    noise_base = _baseline(noise)
    eta = hc["overpotential_V"].to_numpy()
    dips = (hc["min_V"].to_numpy() < 0.3 * eta) | (hc["peak_V"].to_numpy() > 2 * eta)
    for k in range(n):
        if (
            np.isfinite(noise_base[k])
            and noise[k] > NOISE_FACTOR * max(noise_base[k], 1e-9)
            and dips[k]
        ):
            return ShortCircuit(
                detected=True,
                kind="soft",
                time_h=float(hc["start_h"].iloc[k]),
                half_cycle=int(hc["index"].iloc[k]),
                confidence=0.6,
                evidence=(
                    f"voltage noise {noise[k] * 1e3:.3g} mV, {noise[k] / noise_base[k]:.1f}x the "
                    "earlier level, with transient dips (soft short)"
                ),
            )
    return ShortCircuit(detected=False, evidence="no collapse, partial drop or noise burst found")


def _failure_time(table, hc, k, baseline_asr, area_m2) -> float:
    """First sample (in half-cycles k−1 and k) with |V|/J below half the baseline ASR."""
    first = max(k - 1, 0)
    t0, t1 = hc["start_h"].iloc[first] * 3600.0, hc["end_h"].iloc[k] * 3600.0
    time = table["time_s"].to_numpy(dtype=float)
    window = (time >= t0) & (time <= t1)
    current = np.abs(table["current_A"].to_numpy(dtype=float)[window]) / area_m2
    apparent = np.abs(table["voltage_V"].to_numpy(dtype=float)[window]) / np.maximum(
        current, 1e-300
    )
    low = np.flatnonzero((apparent < 0.5 * baseline_asr) & (current > 0))
    return float(time[window][low[0]] / 3600.0) if low.size else float(hc["start_h"].iloc[k])


def _critical_current(hc: pd.DataFrame, short: ShortCircuit) -> CriticalCurrent | None:
    j = hc["current_density_A_m2"].to_numpy()
    levels = []
    for value in j:
        if not levels or abs(value - levels[-1]) > 0.05 * levels[-1]:
            levels.append(float(value))
    if len(levels) < 3 or np.any(np.diff(levels) <= 0):
        return None
    if short.detected:
        failing = float(j[short.half_cycle])
        before = [lvl for lvl in levels if lvl < failing * 0.95]
        return CriticalCurrent(
            tuple(levels), failing, before[-1] if before else None, None,
            f"short at {failing * 0.1:.4g} mA/cm2 ({short.kind}, t = {short.time_h:.2f} h)",
        )  # fmt: skip
    return CriticalCurrent(
        tuple(levels), None, None, levels[-1],
        f"no short up to {levels[-1] * 0.1:.4g} mA/cm2: CCD is above the highest level tested",
    )  # fmt: skip


def analyse_symmetric(data: CyclingData | pd.DataFrame, area_m2: float) -> SymmetricResult:
    """Half-cycle metrics, ASR trend, short circuit and (for staircases) the CCD."""
    if not area_m2 > 0:
        raise SsblabInputError(f"area must be positive, got {area_m2} m^2")
    table = data.table if isinstance(data, CyclingData) else data
    check_table(table)
    hc = half_cycles(table, area_m2)
    short = detect_short(table, hc, area_m2)
    before = hc if not short.detected else hc[hc["index"] < short.half_cycle]
    slope = intercept = None
    notes = []
    if len(before) >= 3:
        mid = 0.5 * (before["start_h"] + before["end_h"])
        slope, intercept = np.polyfit(mid, before["asr_ohm_m2"], 1)
        slope, intercept = float(slope), float(intercept)
    elif len(before) > 0:
        intercept = float(before["asr_ohm_m2"].iloc[0])
        notes.append("fewer than 3 half-cycles before failure: no ASR drift estimated")
    cycles = pd.DataFrame(
        {"cycle": hc["index"] // 2, "kind": hc["kind"], "overpotential_V": hc["overpotential_V"]}
    )
    hysteresis = (
        cycles.groupby("cycle")
        .agg(hysteresis_V=("overpotential_V", "sum"), half_cycles=("kind", "size"))
        .reset_index()
    )
    hysteresis = hysteresis[hysteresis["half_cycles"] == 2].drop(columns="half_cycles")
    return SymmetricResult(
        half_cycles=hc,
        area_m2=area_m2,
        short=short,
        asr_slope_ohm_m2_per_h=slope,
        asr_initial_ohm_m2=intercept,
        hysteresis=hysteresis.reset_index(drop=True),
        critical_current=_critical_current(hc, short),
        notes=tuple(notes),
    )


def eis_consistency(result: SymmetricResult, eis_total_resistance_ohm: float) -> dict:
    """Early-cycle η/J against the impedance total resistance × area (same cell)."""
    early = result.half_cycles["asr_ohm_m2"].iloc[: min(4, len(result.half_cycles))].median()
    eis_asr = eis_total_resistance_ohm * result.area_m2
    ratio = float(early / eis_asr)
    return {
        "cycling_asr_ohm_cm2": float(early * 1e4),
        "eis_asr_ohm_cm2": float(eis_asr * 1e4),
        "ratio": ratio,
        "consistent": bool(0.67 <= ratio <= 1.5),
        "note": "η/J includes charge-transfer, constriction and concentration overpotentials "
        "that EIS at OCV may not; a ratio far above 1 points to them",
    }
