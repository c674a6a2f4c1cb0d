"""Seed 002's cells, NCM532 | (buffer |) LLTO film | Li: rate capability, 100-cycle retention,
and the bookkeeping of the 1000-cycle SiO2 test.

**Model**: :mod:`ssblab.fullcell.thinfilm` (planar dense NCM532 film, 1-D solid diffusion,
Butler–Volmer at the film|electrolyte interface, the LLTO film as a resistor L/σ with
σ = 9.56e-6 S/cm and L = 350 nm, ``s002-llto-300-sigma-rt``, ``s002-llto-film-thickness``, and
an interface ASR for the NCM|LLTO contact, or NCM|buffer|LLTO with the buffer film included).
The cell capacity is 30 µAh, *computed* from the text's "3 µA was equivalent to a discharge rate
of 0.1 C" (``s002-nobuffer-retention-100-c01``); the cathode film thickness is **assumed**
(0.5 µm) and the area follows from the capacity (≈ 0.71 cm²). The rate data bound the unprinted
thickness: at the set's D a film thicker than ≈ 1.6 µm cannot give the SiO2 cell's 30 % at 30 C
for any interface ASR (:func:`max_film_thickness_m`, reported in the notes); 0.5 µm keeps the
whole ±50 % band inside that bound. Window 3.2–4.2 V (``s002-cell-voltage-window``).

**Fitted**: the no-buffer interface ASR on 10 % at 30 C (``s002-nobuffer-rate-30c``), the SiO2
cell's on 30 % (``s002-sio2-rate-30c``); one ASR-growth rate g (ASR_n = ASR_1·(1 + g·(n − 1)),
linear in the cycle number: the simplest one-parameter law) on the no-buffer cell's 54 % after
100 cycles at 3 µA. **Predicted**: the ordering of the capacities at 5/10/20 C and the drop of
the mean discharge voltage with rate (the paper prints only that both decrease), the SiO2
retention from g and its own rate-fitted ASR, and the mechanism checks below.
**Assumed** (each predicted row's band varies them ±50 %): film thickness, film diffusivity,
interface rate constant. **Computed** (no model parameter): the C-rate, capacity and duration
bookkeeping of §3.3.2–3.3.3.

Rate tests: each discharge starts from the state after a 0.1-C charge to 4.2 V (the charge rate
of the rate test is not printed: the cycling current 3 µA = 0.1 C is assumed); the 50 formation
cycles before the rate test change nothing in a model without degradation and are not run.
Retention: the capacity of cycle n is the second discharge of two 3-µA cycles at that cycle's
ASR (or active fraction); the test suite checks this against the full 100-cycle protocol.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

import numpy as np

from ssblab.fullcell import thinfilm as tf
from ssblab.replicate.rows import REL_TOL, Row, compare, trend_status
from ssblab.replicate.sensitivity import Assumed, band_from_values, sensitivity_bands

#: Cycling current of the 100-cycle tests, A ("constant current of 3 μA", §3.3.2).
CURRENT_A = 3e-6
#: The text's reading of 3 µA: 0.1 C (§3.3.2); Fig. 4's caption says 1 C.
C_RATE_OF_3UA = 0.1
#: Discharge current of the 1000-cycle SiO2 test, A (§3.3.3, s002-sio2-long-cycles).
LONG_CURRENT_A = 40e-6
RATES = (0.1, 1.0, 5.0, 10.0, 20.0, 30.0)  # s002-rate-test-precycles (c_rates_tested)
CYCLES = 100
#: Uncertainty given to the printed 10 % / 30 %: ±3 points, ASSUMED (read off Fig. 3).
READ_POINTS = 3.0
#: Cathode film thickness, m: ASSUMED (not printed; sputtered cathode films are ~0.1–5 µm; the
#: SiO2 rate data cap it near 1.6 µm at the set's D, see :func:`max_film_thickness_m`).
FILM_THICKNESS_M = 0.5e-6
#: Knowledge-base ids of the paper values.
RATE_IDS = {"no buffer": "s002-nobuffer-rate-30c", "SiO2": "s002-sio2-rate-30c"}
RETENTION_IDS = {
    "no buffer": "s002-nobuffer-retention-100-c01",
    "LLTO/NCM": "s002-homog-retention-100-c01",
    "SiO2": "s002-sio2-retention-100-c01",
    "LiPON": "s002-lipon-retention-100-c01",
}
BAND_PROCESSES = 2
_UAH = 1e-6  # A·h per µAh
_OHM_CM2 = 1e-4  # Ω·m² per Ω·cm²
ASSUMED = (
    Assumed("film thickness", FILM_THICKNESS_M, "m", "not printed; area follows from 30 µAh"),
    Assumed("film diffusivity", tf.DIFFUSIVITY_M2_S, "m^2/s",
            "PyBaMM Mohtat2020 NMC532 value applied to a sputtered film"),
    Assumed("interface rate constant", tf.RATE_CONSTANT_M_S, "m/s",
            "Mohtat2020 liquid-electrolyte j0 applied to the solid interface"),
)  # fmt: skip


@lru_cache(maxsize=1)
def _paper() -> dict[str, float]:
    from ssblab.knowledge import default_knowledge_base

    records = {r.id: r for r in default_knowledge_base().records}
    ids = list(RATE_IDS.values()) + list(RETENTION_IDS.values())
    return {i: float(records[i].value) for i in ids}


def capacity_Ah() -> float:
    """1 C capacity implied by '3 µA = 0.1 C': 30 µAh."""
    return CURRENT_A / C_RATE_OF_3UA


def base_cell(overrides: dict[str, float] | None = None) -> tf.ThinFilmCell:
    """The pristine cell (no interface ASR) under assumed-parameter overrides."""
    o = {a.name: a.value for a in ASSUMED} | dict(overrides or {})
    return tf.cell_for_capacity(
        capacity_Ah(), o["film thickness"], diffusivity_m2_s=o["film diffusivity"],
        rate_constant_m_s=o["interface rate constant"],
    )  # fmt: skip


def _with(cell: tf.ThinFilmCell, asr: float, active: float = 1.0) -> tf.ThinFilmCell:
    return replace(cell, interface_asr_ohm_m2=asr, active_fraction=active)


def rate_ratio(cell: tf.ThinFilmCell, asr: float) -> float:
    """30-C discharge capacity relative to 0.1 C at interface ASR ``asr`` (Ω·m²)."""
    return tf.rate_sweep(_with(cell, asr), (0.1, 30.0)).relative[1]


@lru_cache(maxsize=256)
def fit_asr(cell: tf.ThinFilmCell, ratio: float) -> float:
    """Interface ASR (Ω·m²) giving a 30-C/0.1-C capacity ratio ``ratio`` (0–1)."""
    from scipy.optimize import brentq

    top = rate_ratio(cell, 0.0)
    if top <= ratio:
        raise ValueError(f"30-C ratio {top:.1%} without any interface ASR is below {ratio:.0%}")
    return math.exp(
        brentq(lambda x: rate_ratio(cell, math.exp(x)) - ratio, math.log(1e-7), math.log(1.0),
               xtol=1e-7, rtol=1e-7)
    )  # fmt: skip


def max_film_thickness_m(ratio: float, overrides: dict[str, float] | None = None) -> float:
    """Thickest film (m) that still reaches a 30-C/0.1-C ratio ``ratio`` with no interface ASR
    (a bound the printed rate data put on the unprinted film thickness, at the assumed D, k)."""
    from scipy.optimize import brentq

    o = {a.name: a.value for a in ASSUMED} | dict(overrides or {})

    def f(log_l):
        return rate_ratio(base_cell(o | {"film thickness": math.exp(log_l)}), 0.0) - ratio

    return math.exp(brentq(f, math.log(1e-8), math.log(1e-4), xtol=1e-6))


def cycle_result(cell: tf.ThinFilmCell, asr: float, active: float = 1.0) -> tf.StepResult:
    """The discharge of a 3-µA cycle at ASR ``asr`` and active fraction ``active`` (the second
    of two cycles, so it starts from the state its own cycling leaves)."""
    steps = [tf.Step("charge", current_A=CURRENT_A), tf.Step("discharge", current_A=CURRENT_A)]
    return tf.step_summaries(_with(cell, asr, active), steps * 2)[-1]


def growth_retention(cell: tf.ThinFilmCell, asr_1: float, g: float, n: int = CYCLES,
                     first_Ah: float | None = None) -> float:  # fmt: skip
    """Q_n/Q_1 at 3 µA under ASR_n = ASR_1·(1 + g·(n − 1))."""
    first = cycle_result(cell, asr_1).capacity_Ah if first_Ah is None else first_Ah
    return cycle_result(cell, asr_1 * (1 + g * (n - 1))).capacity_Ah / first


def fit_growth(cell: tf.ThinFilmCell, asr_1: float, retention: float) -> float:
    """The growth rate g (per cycle) giving ``retention`` (0–1) after :data:`CYCLES` cycles."""
    from scipy.optimize import brentq

    first = cycle_result(cell, asr_1).capacity_Ah
    return brentq(
        lambda g: growth_retention(cell, asr_1, g, first_Ah=first) - retention, 0.0, 1e4,
        xtol=1e-9, rtol=1e-7,
    )  # fmt: skip


def fit_lam(cell: tf.ThinFilmCell, asr: float, retention: float) -> float:
    """Active-area loss per cycle λ giving ``retention`` after :data:`CYCLES` cycles (ASR fixed)."""
    from scipy.optimize import brentq

    first = cycle_result(cell, asr).capacity_Ah

    def f(lam):
        return cycle_result(cell, asr, (1 - lam) ** (CYCLES - 1)).capacity_Ah / first - retention

    return brentq(f, 0.0, 0.5, xtol=1e-10, rtol=1e-7)


def _drop_if_falling(values) -> float:
    """Relative drop first → last when the values fall strictly at every step, else 0."""
    v = [float(x) for x in values]
    if not all(math.isfinite(x) for x in v) or trend_status(v, "decrease", 0.0) != "reproduced":
        return 0.0
    return (v[0] - v[-1]) / v[0]


def outputs(overrides: dict[str, float]) -> dict[str, float]:
    """Every model output of the predicted rows (percent or fractions), for one parameter set."""
    p = _paper()
    cell = base_cell(overrides)
    asr = {k: fit_asr(cell, p[i] / 100) for k, i in RATE_IDS.items()}
    sweeps = {k: tf.rate_sweep(_with(cell, a), RATES) for k, a in asr.items()}
    g = fit_growth(cell, asr["no buffer"], p[RETENTION_IDS["no buffer"]] / 100)
    lam = fit_lam(cell, asr["no buffer"], p[RETENTION_IDS["no buffer"]] / 100)
    first = cycle_result(cell, asr["no buffer"])
    grown = cycle_result(cell, asr["no buffer"] * (1 + g * (CYCLES - 1)))
    lost = cycle_result(cell, asr["no buffer"], (1 - lam) ** (CYCLES - 1))
    out = {
        "sio2_retention": 100 * growth_retention(cell, asr["SiO2"], g),
        "rate_after_50": 100 * rate_ratio(cell, asr["no buffer"] * (1 + g * 49)),
        "plateau_asr_growth": _drop_if_falling([first.mean_voltage_V, grown.mean_voltage_V]),
        "plateau_lam": _drop_if_falling([first.mean_voltage_V, lost.mean_voltage_V]),
    }
    for key, s in sweeps.items():
        mid = [s.relative[RATES.index(r)] for r in (5.0, 10.0, 20.0)]
        out[f"{key}: 5-10-20 C"] = _drop_if_falling(mid)
        out[f"{key}: plateau"] = _drop_if_falling(s.mean_voltage_V)
    return out


def _trend(v: float) -> str:
    return "reproduced" if v >= 0.10 else "not reproduced"


JUDGES: dict[str, Callable[[float], str]] = {
    "sio2_retention": lambda v: compare(_paper()[RETENTION_IDS["SiO2"]], v),
    "rate_after_50": lambda v: compare(_paper()[RATE_IDS["no buffer"]], v),
    "plateau_asr_growth": _trend,
    "plateau_lam": _trend,
    "no buffer: 5-10-20 C": _trend,
    "SiO2: 5-10-20 C": _trend,
    "no buffer: plateau": _trend,
    "SiO2: plateau": _trend,
}


_BANDS: dict = {}


def bands(progress: Callable[[str], None] | None = None, n_lhs: int = 64):
    """Sensitivity bands of every predicted model row (one design, each point run once).

    Deterministic in its inputs, so kept per process (keyed by the design: ``n_lhs`` and the
    assumed parameters): a second table in the same process reuses the 71 model runs."""

    def step(done: int, total: int) -> None:
        if progress is not None and (done % 10 == 0 or done == total):
            progress(f"seed 002 full cells: sensitivity bands, point {done}/{total}")

    key = (n_lhs, ASSUMED)
    if key not in _BANDS:
        _BANDS[key] = sensitivity_bands(outputs, ASSUMED, JUDGES, n_lhs=n_lhs,
                                        processes=BAND_PROCESSES, progress=step)  # fmt: skip
    elif progress is not None:
        progress("seed 002 full cells: sensitivity bands (already computed in this process)")
    return _BANDS[key]


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def model_rows(progress: Callable[[str], None]) -> tuple[list[Row], list[str]]:
    """Rate and retention rows (module docstring)."""
    progress("seed 002 full cells: fitting interface ASRs on the 30-C capacities")
    p = _paper()
    cell = base_cell()
    asr = {k: fit_asr(cell, p[i] / 100) for k, i in RATE_IDS.items()}
    interval = {
        k: (fit_asr(cell, (p[i] + READ_POINTS) / 100), fit_asr(cell, (p[i] - READ_POINTS) / 100))
        for k, i in RATE_IDS.items()
    }
    sweeps = {k: tf.rate_sweep(_with(cell, a), RATES) for k, a in asr.items()}
    llto = tf.SSE_THICKNESS_M / tf.SSE_CONDUCTIVITY_S_M
    b = bands(progress)
    rows: list[Row] = []
    geometry = (
        f"film {FILM_THICKNESS_M * 1e6:g} µm (assumed), area {cell.area_m2 * 1e4:.3f} cm² from "
        f"30 µAh; LLTO L/σ = {llto / _OHM_CM2:.2f} Ω cm²"
    )
    for key, rid in RATE_IDS.items():
        lo, hi = interval[key]
        value = 100 * sweeps[key].relative[-1]
        rows.append(Row(
            quantity=f"{key}: 30 C discharge capacity relative to 0.1 C (interface ASR fitted)",
            paper=p[rid], ssblab=round(value, 2), unit="%", basis="fitted",
            status=compare(p[rid], value, precision=READ_POINTS),
            note=(
                f"{rid}; interface ASR {asr[key] / _OHM_CM2:.0f} Ω cm² (95 % interval "
                f"{lo / _OHM_CM2:.0f}–{hi / _OHM_CM2:.0f} Ω cm² for ±{READ_POINTS:g} points, an "
                f"assumed reading uncertainty), {asr[key] / llto:.0f}× the LLTO film's own "
                f"L/σ; {geometry}. Plausible: an interface, not the electrolyte, limits the rate "
                "(the paper's own reading), and cathode|oxide-electrolyte contacts span 10²–10⁵ "
                "Ω cm² (s001-s4-bilayer-sn-asr 350 Ω cm², s001-s4-bilayer-nosn-asr 180 kΩ cm²)"
            ),
        ))  # fmt: skip
    for key, rid in RATE_IDS.items():
        s = sweeps[key]
        mid = [s.relative[RATES.index(r)] for r in (5.0, 10.0, 20.0)]
        steps = [(a - c) / a for a, c in itertools.pairwise(mid)]
        band = b[f"{key}: 5-10-20 C"]
        rows.append(Row(
            quantity=f"{key}: capacity falls from 5 to 10 to 20 C",
            paper="decreases with rate (Fig. 3; only 0.1 and 30 C printed)",
            ssblab=" > ".join(f"{100 * x:.1f}" for x in mid), unit="% of 0.1 C",
            basis="predicted",
            status=trend_status(mid, "decrease"), band=band,
            note=(
                f"{rid} (Fig. 3); predicted from the ASR fitted at 30 C; step drops "
                + ", ".join(_pct(x) for x in steps)
                + " (the policy's trend: strict at every step, ≥ 10 % overall). "
                + band.describe("fractional drop 5→20 C")
            ),
        ))  # fmt: skip
        band = b[f"{key}: plateau"]
        volts = s.mean_voltage_V
        rows.append(Row(
            quantity=f"{key}: mean discharge voltage ('platform') falls from 0.1 to 30 C",
            paper="decreases with rate", ssblab=" > ".join(f"{v:.3f}" for v in volts),
            unit="V", basis="predicted", status=trend_status(volts, "decrease"), band=band,
            note=(
                f"{rid}; 'battery capacity and the discharge voltage platform decreased with an "
                f"increase in the discharge rate' (§3.3.1); ∫V dt/t at {', '.join(map(str, RATES))}"
                f" C: {volts[0] - volts[-1]:.3f} V drop ({(volts[0] - volts[-1]) / volts[0]:.1%}). "
                + band.describe("fractional drop 0.1→30 C")
            ),
        ))  # fmt: skip
    rows += _retention_rows(cell, asr, b, progress)
    l_max = max_film_thickness_m(p[RATE_IDS["SiO2"]] / 100)
    notes = [
        "full cells (ssblab.fullcell.thinfilm): planar NCM532 film, PyBaMM Mohtat2020 OCP, "
        f"c_max and D; capacity 30 µAh from '3 µA = 0.1 C'; {geometry}; fitted interface ASRs "
        + ", ".join(f"{k} {a / _OHM_CM2:.0f} Ω cm²" for k, a in asr.items())
        + ", ASR growth g on the no-buffer 54 % (rows 'capacity after 100 cycles')",
        f"film thickness bound: with D = {tf.DIFFUSIVITY_M2_S:g} m²/s a film thicker than "
        f"{l_max * 1e6:.2f} µm cannot deliver the SiO2 cell's 30 % at 30 C for any interface "
        f"ASR (solid diffusion alone limits it; the bound scales as √D), so the assumed "
        f"{FILM_THICKNESS_M * 1e6:g} µm sits inside it with its ±50 % band",
        "a Li-metal counter electrode is a Li reservoir: Li consumed by side reactions (e.g. the "
        "Li silicate the paper invokes for SiO2) comes from the anode, so Li-inventory loss cannot "
        "fade these half cells' capacity; only interface ASR growth (kinetic) and loss of active "
        "material / contact (LAM) can",
    ]
    return rows, notes


def _retention_rows(cell, asr, b, progress) -> list[Row]:
    progress("seed 002 full cells: 100-cycle retention and fade mechanism")
    p = _paper()
    r_none = p[RETENTION_IDS["no buffer"]] / 100
    g = fit_growth(cell, asr["no buffer"], r_none)
    lam = fit_lam(cell, asr["no buffer"], r_none)
    ret = 100 * growth_retention(cell, asr["no buffer"], g)
    sio2 = 100 * growth_retention(cell, asr["SiO2"], g)
    g_sio2 = fit_growth(cell, asr["SiO2"], p[RETENTION_IDS["SiO2"]] / 100)
    none_from_sio2 = 100 * growth_retention(cell, asr["no buffer"], g_sio2)
    asr_100 = asr["no buffer"] * (1 + g * (CYCLES - 1))
    first = cycle_result(cell, asr["no buffer"])
    grown = cycle_result(cell, asr_100)
    lost = cycle_result(cell, asr["no buffer"], (1 - lam) ** (CYCLES - 1))
    # the same fade anchored at the rate test (after 50 cycles) instead of cycle 1
    anchored = 100 * cycle_result(cell, asr["no buffer"] * 99 / 49).capacity_Ah / first.capacity_Ah
    p_min = math.log(asr_100 / asr["no buffer"]) / math.log(99 / 49)
    after_50 = 100 * rate_ratio(cell, asr["no buffer"] * (1 + 49 * g))
    law = f"ASR_n = ASR_1·(1 + g·(n − 1)), g = {g:.3g} per cycle"
    ir = lambda a: CURRENT_A * a / cell.area_m2 * 1e3  # noqa: E731  (mV at 3 µA)
    rid = RETENTION_IDS
    degenerate = band_from_values([math.nan], (), lambda v: "not reproduced")
    return [
        Row(
            quantity="no buffer: capacity after 100 cycles at 3 µA (ASR growth fitted)",
            paper=p[rid["no buffer"]], ssblab=round(ret, 2), unit="%", basis="fitted",
            status=compare(p[rid["no buffer"]], ret),
            note=(
                f"{rid['no buffer']}; {law}, ASR_1 = the rate-fitted "
                f"{asr['no buffer'] / _OHM_CM2:.0f} Ω cm²; ASR_100 = {asr_100 / _OHM_CM2:.3g} "
                f"Ω cm² (×{asr_100 / asr['no buffer']:.0f}, IR at 3 µA {ir(asr_100):.0f} mV "
                f"against {ir(asr['no buffer']):.1f} mV at cycle 1). The charge is cut short too "
                "(4.2 V reached early), which is what fades a 0.1-C capacity"
            ),
        ),
        Row(
            quantity="SiO2: capacity after 100 cycles at 3 µA (g from the no-buffer cell)",
            paper=p[rid["SiO2"]], ssblab=round(sio2, 2), unit="%", basis="predicted",
            status=compare(p[rid["SiO2"]], sio2), band=b["sio2_retention"],
            note=(
                f"{rid['SiO2']}; the per-buffer input is the SiO2 cell's own rate-fitted ASR "
                f"({asr['SiO2'] / _OHM_CM2:.0f} Ω cm², not fitted on any retention); the converse "
                f"(g fitted on SiO2's 76 %, {g_sio2:.3g}/cycle) predicts {none_from_sio2:.1f} % "
                "for the no-buffer cell (54 %). " + b["sio2_retention"].describe("%")
            ),
        ),
        Row(
            quantity="LLTO/NCM (71 %) and LiPON (79 %) buffers: capacity after 100 cycles",
            paper=f"{p[rid['LLTO/NCM']]:g} % and {p[rid['LiPON']]:g} %",
            ssblab="not predictable", unit="%", basis="predicted", status="not reproduced",
            band=degenerate,
            note=(
                f"{rid['LLTO/NCM']}, {rid['LiPON']}: the paper prints no rate data for these "
                "two cells, so the model has no per-buffer input (interface ASR) for them; "
                "placing them, or ordering them against SiO2, would take one new free parameter "
                "per cell fitted on the very number to be predicted. Not reproduced, not faked; "
                "no assumed parameter can supply the missing input (degenerate band)"
            ),
        ),
        Row(
            quantity="no buffer: 30 C / 0.1 C at the rate test (after 50 cycles) under the "
            "ASR growth fitted on 54 %",
            paper=p[RATE_IDS["no buffer"]], ssblab=round(after_50, 2), unit="%",
            basis="predicted", status=compare(p[RATE_IDS["no buffer"]], after_50),
            band=b["rate_after_50"],
            note=(
                f"{RATE_IDS['no buffer']} and s002-rate-test-precycles: the rate test ran after 50 "
                f"cycles, when the growth law of the 54 % fit puts the ASR at "
                f"{asr['no buffer'] * (1 + 49 * g) / _OHM_CM2:.3g} Ω cm²; that cell could not "
                "deliver 10 % at 30 C. Anchoring the law at the rate test instead (ASR_50 = the "
                f"fitted value) caps the linear law at ×99/49 by cycle 100: retention ≥ "
                f"{anchored:.1f} %, not 54 %; a power law n^p would need p ≥ {p_min:.1f}. So the "
                "0.1-C fade is not the interface ASR the rate test measured: it is loss of "
                "active material / contact (the paper's 'decrease in the effective contact "
                "area ... cracking'). " + b["rate_after_50"].describe("%")
            ),
        ),
        Row(
            quantity="no buffer: mean discharge voltage falls over 100 cycles at 3 µA "
            "(ASR-growth fade)",
            paper="decreased ('initial discharge voltage and discharge platform')",
            ssblab=f"{first.mean_voltage_V:.3f} → {grown.mean_voltage_V:.3f}", unit="V",
            basis="predicted", band=b["plateau_asr_growth"],
            status=trend_status([first.mean_voltage_V, grown.mean_voltage_V], "decrease"),
            note=(
                f"{rid['no buffer']} (Fig. 4a text); the discriminating observable: an ASR-growth "
                f"fade lowers the 0.1-C plateau by "
                f"{first.mean_voltage_V - grown.mean_voltage_V:.3f} V, but the same growth "
                "contradicts the rate test (row above). "
                + b["plateau_asr_growth"].describe("fractional drop")
            ),
        ),
        Row(
            quantity="no buffer: mean discharge voltage falls over 100 cycles at 3 µA "
            "(active-material/contact-loss fade)",
            paper="decreased ('initial discharge voltage and discharge platform')",
            ssblab=f"{first.mean_voltage_V:.3f} → {lost.mean_voltage_V:.3f}", unit="V",
            basis="predicted", band=b["plateau_lam"],
            status=trend_status([first.mean_voltage_V, lost.mean_voltage_V], "decrease"),
            note=(
                f"{rid['no buffer']}; LAM fitted on 54 % (λ = {lam:.4f}/cycle of the contact "
                f"area; capacity {100 * lost.capacity_Ah / first.capacity_Ah:.1f} %), ASR fixed: "
                f"the plateau moves by {1e3 * (first.mean_voltage_V - lost.mean_voltage_V):.1f} "
                "mV (current density ×1/a at 3 µA is still tiny). LAM fits the rate test, not "
                "the printed plateau drop; neither single mechanism explains both, unless the "
                f"ASR grows only after the rate test (p ≥ {p_min:.1f}). "
                + b["plateau_lam"].describe("fractional drop")
            ),
        ),
    ]  # fmt: skip


# ----------------------------------------------------------------------------- bookkeeping
#: The 1000-cycle SiO2 test as printed (§3.3.3): retention 65 % at cycle 500 where 40 µA is
#: "2 C", 27.7 % at cycle 1000 where it is "3.6 C", sudden drop after cycle 900, 32 days.
LONG_POINTS = {500: (0.65, 2.0), 1000: (0.277, 3.6)}
LONG_DAYS = 32.0
DROP_CYCLE = 900


def long_initial_capacity_Ah() -> float:
    """Q₀ from '40 µA ≈ 2 C' at 65 % (cycle 500): (40 µA / 2 h⁻¹)/0.65 ≈ 30.8 µAh."""
    retention, c_rate = LONG_POINTS[500]
    return LONG_CURRENT_A / c_rate / retention


def long_retention(cycles) -> np.ndarray:
    """Q_n/Q₀ of the 1000-cycle test, piecewise linear: 1 → 0.65 over cycles 0–500, the same
    slope on to cycle 900 (the printed onset of the sudden drop), then straight to 0.277 at
    1000 (an interpolation of the printed points; the curve itself is not printed)."""
    n = np.asarray(cycles, dtype=float)
    slope = (1 - LONG_POINTS[500][0]) / 500
    at_drop = LONG_POINTS[500][0] - slope * (DROP_CYCLE - 500)
    end = LONG_POINTS[1000][0]
    return np.where(
        n <= DROP_CYCLE, 1 - slope * n, at_drop + (end - at_drop) * (n - DROP_CYCLE) / 100
    )


def long_duration_days(current_A: float, q0_Ah: float | None = None) -> float:
    """Σ over cycles 1–1000 of 2·Q_n/I (charge and discharge at I), in days."""
    q0 = long_initial_capacity_Ah() if q0_Ah is None else q0_Ah
    q = q0 * long_retention(np.arange(1, 1001))
    return float(np.sum(2 * q / current_A) / 24)


def bookkeeping_rows(progress: Callable[[str], None]) -> tuple[list[Row], list[str]]:
    """Computed rows: C-rate, capacity and duration statements against each other."""
    progress("seed 002 full cells: C-rate and duration bookkeeping")
    q_text = capacity_Ah()
    q_caption = CURRENT_A / 1.0
    span = (LONG_CURRENT_A / 1.5, LONG_CURRENT_A / 1.0)
    inside = span[0] <= q_text <= span[1]
    q0 = long_initial_capacity_Ah()
    q_1000 = q0 * LONG_POINTS[1000][0]
    c_1000 = LONG_CURRENT_A / q_1000
    implied = LONG_CURRENT_A / LONG_POINTS[1000][1] / q0
    days_40, days_3 = long_duration_days(LONG_CURRENT_A), long_duration_days(CURRENT_A)
    days_40_q30 = long_duration_days(LONG_CURRENT_A, q_text)
    trajectory = (
        "Q_n/Q₀ piecewise linear 100 % → 65 % (cycle 500), same slope to cycle 900 "
        f"({100 * float(long_retention(900)):.0f} %), then to 27.7 % at 1000"
    )
    rows = [
        Row(
            quantity="1 C capacity implied by '3 µA = 0.1 C' against '40 µA ≈ 1–1.5 C'",
            paper=f"{span[0] / _UAH:.1f}–{span[1] / _UAH:.1f} µAh (40 µA ≈ 1–1.5 C)",
            ssblab=round(q_text / _UAH, 2), unit="µAh", basis="computed",
            status="agrees" if inside else "differs",
            note=(
                "s002-nobuffer-retention-100-c01 (text: 3 µA = 0.1 C) and s002-sio2-long-cycles "
                "(40 µA ≈ 1–1.5 C in the first 100 cycles): 30 µAh lies inside 26.7–40 µAh"
            ),
        ),
        Row(
            quantity="C-rate of 40 µA if 3 µA were '1 C' (Fig. 4 caption)",
            paper="≈ 1–1.5 C", ssblab=round(LONG_CURRENT_A / q_caption, 2), unit="C",
            basis="computed", status=compare(1.5, LONG_CURRENT_A / q_caption, "<="),
            note=(
                f"s002-nobuffer-retention-100-c1: 1 C = {q_caption / _UAH:g} µAh would make 40 µA "
                f"{LONG_CURRENT_A / q_caption:.1f} C, against ≈ 1–1.5 C: the caption's '1 C' is "
                "inconsistent, the text's 0.1 C is not"
            ),
        ),
        Row(
            quantity="C-rate of 40 µA at cycle 1000 (27.7 % of Q₀ from '2 C at 65 %')",
            paper=LONG_POINTS[1000][1], ssblab=round(c_1000, 2), unit="C", basis="computed",
            status=compare(LONG_POINTS[1000][1], c_1000, precision=0.05),
            note=(
                f"s002-sio2-retention-500-40ua, s002-sio2-retention-1000-40ua: Q₀ = 40 µA/2 C/0.65 "
                f"= {q0 / _UAH:.2f} µAh, Q_1000 = 27.7 % = {q_1000 / _UAH:.2f} µAh → "
                f"{c_1000:.2f} C, not 3.6 C ({100 * (c_1000 / 3.6 - 1):+.0f} %); conversely 3.6 C "
                f"means {100 * implied:.0f} % of Q₀, not 27.7 %"
            ),
        ),
        Row(
            quantity="duration of the 1000 SiO2 cycles at 40 µA",
            paper=LONG_DAYS, ssblab=round(days_40, 1), unit="days", basis="computed",
            status=compare(LONG_DAYS, days_40, precision=0.5),
            note=(
                f"s002-sio2-long-duration; Σ 2·Q_n/I with Q₀ = {q0 / _UAH:.1f} µAh and {trajectory}"
                f" ({days_40_q30:.1f} days with Q₀ = 30 µAh); "
                f"{100 * (days_40 / LONG_DAYS - 1):+.1f} %, "
                f"inside the {REL_TOL:.0%} tolerance only just; charge assumed at 40 µA too"
            ),
        ),
        Row(
            quantity="duration of the 1000 SiO2 cycles at 3 µA (Fig. 5 caption)",
            paper=LONG_DAYS, ssblab=round(days_3, 0), unit="days", basis="computed",
            status=compare(LONG_DAYS, days_3, precision=0.5),
            note=(
                f"s002-sio2-retention-1000-3ua: the same trajectory at 3 µA takes {days_3:.0f} "
                f"days ({days_3 / 365.25:.1f} years): the caption's 3 µA cannot be the current "
                "of a 32-day, 1000-cycle test; 40 µA can"
            ),
        ),
    ]  # fmt: skip
    return rows, []


def fitted_parameters() -> list[dict]:
    """The calibrated parameters of the full-cell rows, each with the paper value it was
    fitted on (the thin-film model is fast: this refits rather than caches)."""
    from ssblab.replicate.rows import fitted_parameter

    p = _paper()
    cell = base_cell()
    out = []
    asr = {}
    for key, rid in RATE_IDS.items():
        asr[key] = fit_asr(cell, p[rid] / 100)
        out.append(
            fitted_parameter(
                f"interface ASR ({key})", asr[key] / _OHM_CM2, "Ω·cm²", f"{rid}: {p[rid]:g} %"
            )
        )
    rid = RETENTION_IDS["no buffer"]
    growth = fit_growth(cell, asr["no buffer"], p[rid] / 100)
    out.append(fitted_parameter("ASR growth g (per cycle)", growth, "", f"{rid}: {p[rid]:g} %"))
    return out
