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
*soft short* (the jitter, the median |second difference| of V, must also exceed 1 % of η:
``SOFT_NOISE_FLOOR``), unless |V| climbs to its maximum at the end of the half-cycle (a
diverging voltage: contact loss, not a short). The failure time is the first
sample whose instantaneous |V|/J falls below half the baseline (hard/partial) or whose noise
rises (soft). Confidence combines the depth of the collapse with how long it persists.

**Compliance (voltage) limit.** When a cell loses contact during stripping (voids) its voltage
diverges and the cycler clips |V| at its compliance voltage (e.g. 20 V). The limit is taken
from ``voltage_limit_V=`` if given, else from ``CyclingData.metadata["voltage_limit_V"]`` (the
simulator sets it), else auto-detected by our convention: the maximum |V| of the test is a
compliance limit when (i) at least ``LIMIT_MIN_SAMPLES`` (3) samples lie within ``LIMIT_TOL``
(0.1 %) of it, (ii) it is at least ``LIMIT_FACTOR`` (5) × the median plateau overpotential of
the first (up to 6) half-cycles, and (iii) the first half-cycle that reaches it does not simply
continue the previous half-cycle's ASR (within ±10 %: that is the flat top of a noise-free ohmic
trace, e.g. the last level of a simulated staircase, not a clip).

A half-cycle is *voltage-limited* (column ``voltage_limited``) when at least one sample of its
second half — the plateau that η is averaged over — lies within 0.1 % of the limit: η is then
biased low by the clip, so its ASR is only a *lower bound* (a note says so). Clipping at the very
start of a half-cycle only (a carried-over transient) leaves η intact and does not count.

Voltage-limited half-cycles are open circuits, not shorts: short detection never takes one as
the collapsed (or noisy) half-cycle, leaves them out of the baseline medians, and a short is not
deemed to persist past a later half-cycle that is voltage-limited (a shorted cell cannot reach
the compliance voltage). The ASR drift fit and :func:`eis_consistency` skip them too.

**Critical current density.** When J takes three or more increasing levels (a staircase), the
CCD is the J of the level of the first failure: a short (``mode="short"``) or, when it comes
first, a voltage-limited half-cycle (``mode="voltage limit"``: contact loss / open circuit,
e.g. void formation on stripping). Without either, the CCD is only bounded below by the highest
J tested (``mode=None``).

**Which cell.** The analysis is made for Li | SSE | Li cells, whose voltage is zero at rest and
changes sign with the current; a half or full cell (volts at rest, both half-cycles on the same
side of 0 V) would come out as a "short" with an absurd ASR. :func:`analyse_symmetric` therefore
checks the data first (:func:`ssblab.cycling.checks.symmetric_evidence`: relaxed rest voltage
within 0.05 V of 0 V, plus half the polarisation for a rest too short to relax; stripping and
plating plateaus of opposite sign, the smaller at least ¼ of the larger, so centred on 0 V;
half-cycles at the compliance limit left out) and raises
:class:`~ssblab.cycling.checks.CellTypeError` with the reason; ``force=True`` analyses anyway
and says so in a note. Result field ``cell_check`` holds the numbers used.

**Consistency with impedance.** η/J measured galvanostatically includes every overpotential
(ohmic, charge transfer, constriction, concentration); the EIS total resistance × area at OCV
should match its early-cycle value when the interfaces are ohmic. :func:`eis_consistency`
reports the ratio.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from ssblab.cycling.checks import CellTypeError, rest_end_voltages, symmetric_evidence
from ssblab.cycling.data import CyclingData, check_table
from ssblab.errors import SsblabInputError

COLLAPSE = 0.3
PARTIAL = 0.6
PERSIST = 0.5
NOISE_FACTOR = 5.0
SOFT_NOISE_FLOOR = 0.01  # a soft short's jitter is at least 1 % of the plateau overpotential
BASELINE_HALF_CYCLES = 6
REST_FRACTION = 0.02  # |I| below this fraction of the step's median counts as rest
LIMIT_TOL = 1e-3  # |V| within 0.1 % of the compliance limit counts as at the limit
LIMIT_MIN_SAMPLES = 3  # auto-detection: samples at the maximum |V|
LIMIT_FACTOR = 5.0  # auto-detection: limit ≥ this × the early median plateau overpotential
LIMIT_OHMIC_BAND = 0.1  # auto-detection: a first ASR within ±10 % of the previous is ohmic


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
    ccd_A_m2: float | None  # J at which the cell failed (None: no failure in the staircase)
    last_stable_A_m2: float | None
    lower_bound_A_m2: float | None  # highest J survived when no failure occurred
    evidence: str
    mode: str | None = None  # "short", "voltage limit" or None (no failure)


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
    voltage_limit_V: float | None = None  # compliance limit used (None: none known or found)
    voltage_limit_source: str | None = None  # "argument", "metadata" or "auto-detected"
    cell_check: dict | None = None  # SymmetricEvidence.to_dict(): is it a Li | Li cell?

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
            "voltage_limit_V": self.voltage_limit_V,
            "voltage_limit_source": self.voltage_limit_source,
            "cell_check": self.cell_check,
            "half_cycles": [
                {
                    "index": int(r.index),
                    "kind": r.kind,
                    "start_h": float(r.start_h),
                    "end_h": float(r.end_h),
                    "current_density_A_m2": float(r.current_density_A_m2),
                    "overpotential_V": float(r.overpotential_V),
                    "plateau_V": float(r.plateau_V),
                    "peak_V": float(r.peak_V),
                    "end_V": float(r.end_V),
                    "asr_ohm_cm2": float(r.asr_ohm_m2 * 1e4),
                    "voltage_limited": bool(r.voltage_limited),
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


def half_cycles(
    table: pd.DataFrame, area_m2: float, voltage_limit_V: float | None = None
) -> pd.DataFrame:
    """One row per working step: kind, times, J, η (plateau, peak, end), the signed plateau
    voltage ``plateau_V``, ASR, noise, and whether the plateau reached the compliance limit
    ``voltage_limit_V`` (module docstring)."""
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
    # noise = median |second difference|: zero for a smooth drift or a steady rise, large for
    # a jittering voltage (a first difference would count a steady rise as noise)
    frame["dv"] = grouped["v"].diff().groupby(frame["step"]).diff().abs()
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
    late_rows = frame[frame["late"]].groupby("step")
    late = late_rows["abs_v"]
    plateau = late.mean()
    summary["overpotential_V"] = plateau.reindex(summary.index).fillna(summary["mean_V"])
    signed = late_rows["v"].mean().reindex(summary.index)  # signed plateau (cell-type check)
    summary["plateau_V"] = signed.fillna(grouped["v"].mean())
    summary["late_peak_V"] = late.max().reindex(summary.index).fillna(summary["peak_V"])
    summary["kind"] = np.where(summary["median_i"] > 0, "strip", "plate")
    summary["current_density_A_m2"] = summary["median_i"].abs() / area_m2
    summary["asr_ohm_m2"] = summary["overpotential_V"] / summary["current_density_A_m2"]
    summary["start_h"] = summary["start_s"] / 3600.0
    summary["end_h"] = summary["end_s"] / 3600.0
    summary["voltage_limited"] = _at_limit(summary["late_peak_V"].to_numpy(), voltage_limit_V)
    summary = summary.reset_index().rename(columns={"step": "step_index"})
    summary.insert(0, "index", np.arange(len(summary)))
    return summary


def _at_limit(abs_v: np.ndarray, limit: float | None) -> np.ndarray:
    """|V| within LIMIT_TOL of the compliance limit (all False without a limit)."""
    abs_v = np.asarray(abs_v, dtype=float)
    if limit is None or not np.isfinite(limit):
        return np.zeros(abs_v.shape, dtype=bool)
    return abs_v >= (1.0 - LIMIT_TOL) * limit


def detect_voltage_limit(table: pd.DataFrame, hc: pd.DataFrame) -> float | None:
    """The compliance limit read off the trace (module docstring), or None."""
    abs_v = np.abs(table["voltage_V"].to_numpy(dtype=float))
    ceiling = float(abs_v.max())
    if not ceiling > 0 or int(np.sum(_at_limit(abs_v, ceiling))) < LIMIT_MIN_SAMPLES:
        return None
    early = float(np.median(hc["overpotential_V"].to_numpy()[:BASELINE_HALF_CYCLES]))
    if ceiling < LIMIT_FACTOR * early:
        return None
    reached = np.flatnonzero(_at_limit(hc["late_peak_V"].to_numpy(), ceiling))
    if reached.size and reached[0] > 0:
        asr = hc["asr_ohm_m2"].to_numpy()
        first = reached[0]
        if asr[first - 1] > 0 and abs(asr[first] / asr[first - 1] - 1.0) <= LIMIT_OHMIC_BAND:
            return None  # the flat top of an ohmic (noise-free) trace, not a clip
    return ceiling


def _limited(hc: pd.DataFrame) -> np.ndarray:
    if "voltage_limited" not in hc:
        return np.zeros(len(hc), dtype=bool)
    return hc["voltage_limited"].to_numpy(dtype=bool)


def _baseline(values: np.ndarray, exclude: np.ndarray | None = None) -> np.ndarray:
    """Median of the preceding BASELINE_HALF_CYCLES values not in ``exclude`` (NaN until two
    such values precede)."""
    values = np.asarray(values, dtype=float)
    keep = np.ones(values.size, dtype=bool) if exclude is None else ~np.asarray(exclude, bool)
    kept = pd.Series(values[keep])
    rolling = kept.rolling(BASELINE_HALF_CYCLES, min_periods=2).median().to_numpy()
    before = np.concatenate([[0], np.cumsum(keep)[:-1]]) if values.size else np.array([], int)
    base = np.full(values.size, np.nan)
    has = before > 0
    base[has] = rolling[before[has] - 1]
    return base


def detect_short(
    table: pd.DataFrame,
    hc: pd.DataFrame,
    area_m2: float,
    voltage_limit_V: float | None = None,
) -> ShortCircuit:
    """Hard, partial or soft short (see module docstring), located at the sample level.

    Voltage-limited half-cycles (``hc["voltage_limited"]``) are never the failing half-cycle
    and stay out of the baselines."""
    asr = hc["asr_ohm_m2"].to_numpy()
    limited = _limited(hc)
    base = _baseline(asr, limited)
    ratio = asr / base
    n = asr.size
    for k in range(n):
        if limited[k] or not np.isfinite(ratio[k]) or ratio[k] >= PARTIAL:
            continue
        if np.any(limited[k + 1 :]):
            continue  # the compliance voltage reached later: the cell is not shorted
        later = asr[k + 1 :] / base[k]  # against the baseline before the failure
        limit = PERSIST if ratio[k] < COLLAPSE else 2 * PERSIST
        persists = bool(np.all(later < limit))
        if not persists:
            continue
        # a short late in a half-cycle only half-lowers its plateau: judge by the next ones too
        depth = float(min(ratio[k], *(later[:2] if later.size else [ratio[k]])))
        kind = "hard" if depth < COLLAPSE else "partial"
        time_h = _failure_time(table, hc, k, base[k], area_m2, voltage_limit_V)
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
    noise_base = _baseline(noise, limited)
    eta = hc["overpotential_V"].to_numpy()
    dips = (hc["min_V"].to_numpy() < 0.3 * eta) | (hc["peak_V"].to_numpy() > 2 * eta)
    # a half-cycle whose |V| climbs to its maximum at the end is diverging (contact loss,
    # polarisation), not shorting: a short pulls the voltage down
    end, peak, low = (hc[c].to_numpy() for c in ("end_V", "peak_V", "min_V"))
    diverging = (end >= 0.98 * peak) & (end > 3 * low)
    for k in range(n):
        if (
            not limited[k]
            and not diverging[k]
            and np.isfinite(noise_base[k])
            and noise[k] > NOISE_FACTOR * max(noise_base[k], 1e-9)
            and noise[k] > SOFT_NOISE_FLOOR * eta[k]
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


def _failure_time(table, hc, k, baseline_asr, area_m2, voltage_limit_V=None) -> float:
    """First sample (in half-cycles k−1 and k) with |V|/J below half the baseline ASR; samples
    at the compliance limit are skipped (their |V|/J is meaningless)."""
    first = max(k - 1, 0)
    t0, t1 = hc["start_h"].iloc[first] * 3600.0, hc["end_h"].iloc[k] * 3600.0
    time = table["time_s"].to_numpy(dtype=float)
    window = (time >= t0) & (time <= t1)
    current = np.abs(table["current_A"].to_numpy(dtype=float)[window]) / area_m2
    voltage = np.abs(table["voltage_V"].to_numpy(dtype=float)[window])
    apparent = voltage / np.maximum(current, 1e-300)
    clipped = _at_limit(voltage, voltage_limit_V)
    low = np.flatnonzero((apparent < 0.5 * baseline_asr) & (current > 0) & ~clipped)
    return float(time[window][low[0]] / 3600.0) if low.size else float(hc["start_h"].iloc[k])


def _first_at_limit_h(table: pd.DataFrame, hc: pd.DataFrame, k: int, limit: float) -> float:
    """Time (h) of the first sample of half-cycle k at the compliance limit."""
    rows = table["step_index"].to_numpy() == hc["step_index"].iloc[k]
    time = table["time_s"].to_numpy(dtype=float)[rows]
    at = np.flatnonzero(_at_limit(np.abs(table["voltage_V"].to_numpy(dtype=float)[rows]), limit))
    return float(time[at[0]] / 3600.0) if at.size else float(hc["start_h"].iloc[k])


def _critical_current(
    table: pd.DataFrame,
    hc: pd.DataFrame,
    short: ShortCircuit,
    voltage_limit_V: float | None = None,
) -> CriticalCurrent | None:
    j = hc["current_density_A_m2"].to_numpy()
    levels = []
    for value in j:
        if not levels or abs(value - levels[-1]) > 0.05 * levels[-1]:
            levels.append(float(value))
    if len(levels) < 3 or np.any(np.diff(levels) <= 0):
        return None
    limited = np.flatnonzero(_limited(hc))
    clip = int(limited[0]) if limited.size else None
    if clip is not None and (not short.detected or clip < short.half_cycle):
        failing = float(j[clip])
        mode = "voltage limit"
        evidence = (
            f"|V| reached the {voltage_limit_V:g} V compliance limit at "
            f"{failing * 0.1:.4g} mA/cm2 (contact loss / open circuit), "
            f"t = {_first_at_limit_h(table, hc, clip, voltage_limit_V):.2f} h"
        )
    elif short.detected:
        failing = float(j[short.half_cycle])
        mode = "short"
        evidence = f"short at {failing * 0.1:.4g} mA/cm2 ({short.kind}, t = {short.time_h:.2f} h)"
    else:
        return CriticalCurrent(
            tuple(levels), None, None, levels[-1],
            f"no short up to {levels[-1] * 0.1:.4g} mA/cm2: CCD is above the highest level tested",
            None,
        )  # fmt: skip
    before = [lvl for lvl in levels if lvl < failing * 0.95]
    return CriticalCurrent(
        tuple(levels), failing, before[-1] if before else None, None, evidence, mode
    )


def _resolve_limit(data, table, hc, voltage_limit_V) -> tuple[float | None, str | None]:
    if voltage_limit_V is not None:
        limit = float(voltage_limit_V)
        if not limit > 0:
            raise SsblabInputError(f"voltage limit must be positive, got {voltage_limit_V} V")
        return limit, "argument"
    if isinstance(data, CyclingData):
        stated = data.metadata.get("voltage_limit_V")
        try:
            stated = None if stated is None else float(stated)
        except (TypeError, ValueError):
            stated = None
        if stated is not None and stated > 0:
            return stated, "metadata"
    detected = detect_voltage_limit(table, hc)
    return (detected, "auto-detected") if detected is not None else (None, None)


def analyse_symmetric(
    data: CyclingData | pd.DataFrame,
    area_m2: float,
    *,
    voltage_limit_V: float | None = None,
    force: bool = False,
) -> SymmetricResult:
    """Half-cycle metrics, ASR trend, short circuit and (for staircases) the CCD.

    ``voltage_limit_V``: the cycler's compliance voltage; by default the data's metadata
    ``"voltage_limit_V"``, else auto-detected from the trace (module docstring).
    ``force``: analyse data that do not look like a Li | Li cell (else
    :class:`~ssblab.cycling.checks.CellTypeError`), with a note."""
    if not (math.isfinite(area_m2) and area_m2 > 0):
        raise SsblabInputError(f"area must be positive and finite, got {area_m2} m^2")
    table = data.table if isinstance(data, CyclingData) else data
    check_table(table)
    hc = half_cycles(table, area_m2)
    limit, source = _resolve_limit(data, table, hc, voltage_limit_V)
    hc["voltage_limited"] = _at_limit(hc["late_peak_V"].to_numpy(), limit)
    notes = []
    evidence = cell_evidence(table, hc)
    if not evidence.symmetric:
        if not force:
            raise CellTypeError(
                f"not a Li | Li symmetric cell: {evidence.reason} (force=True / --force to "
                "analyse it anyway)"
            )
        notes.append(
            f"analysed as a Li | Li cell on request (--force), although {evidence.reason}: "
            "overpotentials, ASR and short detection assume a cell without OCV"
        )
    elif evidence.inverted:
        notes.append(
            f"the voltage has the sign opposite to the current ({evidence.reason}): the file's "
            "current sign is inverted relative to the contract (positive = stripping of the "
            "working electrode), so 'strip' and 'plate' are swapped; |V|-based results hold"
        )
    with np.errstate(divide="ignore", invalid="ignore"):  # ratios to zero baselines → inf/NaN
        short = detect_short(table, hc, area_m2, limit)
    before = hc if not short.detected else hc[hc["index"] < short.half_cycle]
    before = before[~before["voltage_limited"]]
    slope = intercept = None
    n_limited = int(hc["voltage_limited"].sum())
    if n_limited:
        notes.append(
            f"{n_limited} half-cycle(s) at the {limit:g} V compliance limit: their ASR is a "
            "lower bound (contact loss / open circuit, not a short)"
        )
        if source == "auto-detected":
            notes.append(f"compliance limit {limit:g} V auto-detected (flat maximum of |V|)")
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
        critical_current=_critical_current(table, hc, short, limit),
        notes=tuple(notes),
        voltage_limit_V=limit,
        voltage_limit_source=source,
        cell_check=evidence.to_dict(),
    )


def cell_evidence(table: pd.DataFrame, hc: pd.DataFrame):
    """:func:`ssblab.cycling.checks.symmetric_evidence` on the half-cycles of ``hc`` (signed
    plateaus) and the relaxed rests of ``table``. Compliance-limited half-cycles are left out
    (a clip distorts the symmetry), unless that leaves a kind with none: the sign of a clipped
    plateau is still the sign of the cell voltage."""
    plateau = hc["plateau_V"].to_numpy(dtype=float)
    strip = (hc["kind"] == "strip").to_numpy()
    keep = ~_limited(hc)
    if not (keep & strip).any() or not (keep & ~strip).any():
        keep = np.ones(len(hc), dtype=bool)
    return symmetric_evidence(
        plateau[keep & strip], plateau[keep & ~strip], rest_end_voltages(table)
    )


def eis_consistency(result: SymmetricResult, eis_total_resistance_ohm: float) -> dict:
    """Early-cycle η/J against the impedance total resistance × area (same cell); half-cycles
    at the compliance limit are left out (their η/J is only a lower bound)."""
    hc = result.half_cycles
    if "voltage_limited" in hc and not hc["voltage_limited"].all():
        hc = hc[~hc["voltage_limited"].astype(bool)]
    early = hc["asr_ohm_m2"].iloc[: min(4, len(hc))].median()
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
