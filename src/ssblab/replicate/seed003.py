"""Seed 003 (review of Li | garnet interfaces): the numbers ssblab's interface models compute.

Paper values are read from the knowledge base (``knowledge/data/seed003.yaml``) by record id, so
a row cannot drift from the record it cites. Rows:

1. **CCD vs temperature** (Sharafi et al., ref. [59]: ``s003-ccd-llzo-30c`` ≈ 50 µA/cm² at
   30 °C, ``s003-ccd-llzo-160c`` 14 mA/cm² at 160 °C). Model: the stripping-void limit of
   :mod:`ssblab.models.voids`, j* = f·(F/V_m)·D(T)/L + j_c(p, T). The one parameter the seed
   does not give, the diffusion length L, is calibrated here in closed form on the 30 °C point
   (:func:`calibrate_diffusion_length`, :func:`calibrated_diffusion_length_m`); 160 °C, the
   apparent activation energy and the trend over 30–160 °C are then predictions. Assumptions: a
   wetted (heat-treated) interface, f = 1, and p = 1 MPa (the ``llzto_bare`` stack pressure; seed
   003 prints neither for ref. [59]). At 1 MPa the creep term is ~1e-18 of the diffusion term, so
   any p up to ~100 MPa gives the same L. The CCD also comes from the time-domain simulator
   (:func:`simulated_staircase_ccd`): a CCD staircase on ``llzto_bare`` with f₀ = 1, σ_e = 0 (no
   leakage filament) and ``li_diffusion_length`` set to the calibrated L (the set's own value is
   100 µm, calibrated on the order of the same point). At 30 °C the staircase is therefore fitted
   (it must resolve the closed-form j* = 50 µA/cm²); at 160 °C it is a prediction. Closed form
   and staircase are compared in the notes.
2. **ASR vs stack pressure** (Eq. 1, Holm; ``s003-txt-400mpa-asr``, Table 1 ``s003-t1-r09``,
   ``s003-t1-r08``) with :mod:`ssblab.models.constriction` and the simulator's per-interface ASR
   1 s into a probe step (after the 6-nm tetragonal interphase has formed). At full contact the
   simulator's ASR is the charge-transfer ASR RT/(F·j0) = 1 Ω cm² *assumed* by ``llzto_bare``
   (j0 = 25.7 mA/cm²) plus the interphase, so the "< 1 Ω cm²" row tests that assumption.
3. **Wetting** (Young–Dupré, ``s003-wet-*``): γ_Li fitted on the two printed W_ad ↔ θ pairs,
   plus leave-one-out predictions.
4. **Monroe–Newman** (``s003-garnet-shear-modulus``, ``s003-gb-shear-modulus-reduction``) and the
   creep pressure for 10 mA/cm² (``s003-stripping-gpa-pressure``, fitted by construction).

The void model is an order-of-magnitude supply/demand model: the CCD rows use a factor-of-3
tolerance, stated in their notes.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from scipy.optimize import minimize_scalar

from ssblab.knowledge.schema import Record
from ssblab.knowledge.store import DATA_DIR, load_file, value_in_si
from ssblab.models import constriction, mechanics, voids, wetting
from ssblab.models.parameter_schema import CellParameters, parameter_set, with_overrides
from ssblab.models.simulator import (
    constant_current_protocol,
    simulate_symmetric,
    staircase_protocol,
)
from ssblab.models.voids import LiAnodeParameters, stripping_ccd
from ssblab.replicate.rows import Replication, Row, compare, compare_energy, fitted_parameter
from ssblab.units import to_si

SEED = "003"
TITLE = (
    "Wang, Zhu, Fu, Sun, Yang: Interfaces in garnet-based all-solid-state lithium batteries "
    "(review, Adv. Energy Mater. 2020)"
)

#: Contact fraction of the calibration: a wetted, heat-treated Li | LLZO interface.
CONTACT_FRACTION = 1.0
#: Stack pressure of the calibration and of the simulated staircases (``llzto_bare``), Pa.
STACK_PRESSURE_PA = 1e6
#: Temperatures of the CCD trend row, °C.
TREND_TEMPERATURES_C = (30.0, 60.0, 100.0, 130.0, 160.0)
#: Tolerance of the CCD rows: a factor of 3 either way (order-of-magnitude model).
CCD_FACTOR = 3.0
#: Tolerance of the wetting rows, degrees.
WETTING_TOL_DEG = 2.0
#: Staircase: levels from paper/SPAN to paper·SPAN, geometric. An even count puts the centre (the
#: paper CCD, which is the calibrated j* at 30 °C) half a step between two levels, not on one.
STAIRCASE_LEVELS = 14
STAIRCASE_SPAN = 5.0
#: Strip-step duration in units of the void time τ = h·L/D(T) (see :func:`simulated_staircase_ccd`).
STEP_TIME_TAU = 3.0
SAMPLES_PER_STEP = 100
#: Pressures of the ASR-vs-pressure rows, Pa.
PRESSURES_PA = (0.1e6, 0.5e6, 1e6, 2e6, 5e6, 400e6)
#: Current density of the ASR probe (Table 1 row r09 cycles at 0.1 mA/cm²), A/m².
ASR_PROBE_A_M2 = 1.0
#: Time into the probe step at which the simulator's ASR is read, s (the tetragonal interphase of
#: ``llzto_bare`` forms at once, i.e. for t > 0: the t = 0 sample does not contain it).
ASR_PROBE_READ_S = 1.0
#: A typical laboratory step (not printed in seed 003) for the "lab protocol" note, s.
LAB_STEP_S = 1800.0

_TO_UA_CM2 = 100.0  # A/m² -> µA/cm²
_TO_MA_CM2 = 0.1  # A/m² -> mA/cm²
_TO_OHM_CM2 = 1e4  # Ω m² -> Ω cm²


@lru_cache(maxsize=1)
def _records() -> dict[str, Record]:
    return {r.id: r for r in load_file(DATA_DIR / "seed003.yaml")}


def _record(record_id: str) -> Record:
    return _records()[record_id]


def _si(record_id: str) -> float:
    record = _record(record_id)
    return value_in_si(record, record.value)


def _temperature_K(record_id: str) -> float:
    return to_si(_record(record_id).conditions.temperature, "K", "temperature")


def _within_factor(paper: float, model: float, factor: float) -> str:
    """The one tolerance policy (``rows.compare``); ``factor`` is no longer used: an
    order-of-magnitude band is not a replication."""
    del factor
    return compare(paper, model)


# --------------------------------------------------------------------------------------------
# CCD vs temperature
# --------------------------------------------------------------------------------------------


def calibrate_diffusion_length(
    target_ccd_A_m2: float,
    temperature_K: float,
    *,
    stack_pressure_Pa: float = STACK_PRESSURE_PA,
    contact_fraction: float = CONTACT_FRACTION,
    params: LiAnodeParameters = voids.DEFAULT_PARAMETERS,
) -> float:
    """L (m) such that ``stripping_ccd`` = target: L = f·(F/V_m)·D(T)/(j_target − j_c(p, T))."""
    j_c = (
        voids.creep_supply_velocity_m_s(stack_pressure_Pa, temperature_K, params)
        * voids.FARADAY_C_MOL
        / params.molar_volume_m3_mol
    )
    if not target_ccd_A_m2 > j_c:
        raise ValueError(f"creep alone ({j_c:g} A/m^2) exceeds the target {target_ccd_A_m2:g}")
    j_d_times_l = (
        contact_fraction
        * voids.li_self_diffusivity_m2_s(temperature_K, params)
        * voids.FARADAY_C_MOL
        / params.molar_volume_m3_mol
    )
    return j_d_times_l / (target_ccd_A_m2 - j_c)


@lru_cache(maxsize=1)
def calibrated_diffusion_length_m() -> float:
    """L (m) calibrated on ``s003-ccd-llzo-30c`` (f = 1, p = 1 MPa, closed form)."""
    record_id = "s003-ccd-llzo-30c"
    return calibrate_diffusion_length(_si(record_id), _temperature_K(record_id))


def _ccd(temperature_K: float, params: LiAnodeParameters) -> float:
    return stripping_ccd(
        STACK_PRESSURE_PA, temperature_K, contact_fraction=CONTACT_FRACTION, params=params
    ).ccd_A_m2


def apparent_activation_eV(j1: float, t1_K: float, j2: float, t2_K: float) -> float:
    """Two-point Arrhenius slope of a CCD, k_B·ln(j2/j1)/(1/T1 − 1/T2) in eV."""
    return voids.K_B_EV * math.log(j2 / j1) / (1.0 / t1_K - 1.0 / t2_K)


@dataclass(frozen=True)
class StaircaseCCD:
    """A simulated CCD staircase: levels (A/m²), the failing level and the closed-form j*."""

    temperature_K: float
    levels_A_m2: tuple[float, ...]
    step_time_s: float
    void_time_s: float
    failing_index: int | None
    failing_level_A_m2: float | None
    reason: str
    closed_form_A_m2: float  # closed-form j* of the simulated cell (same anode, same L)
    diffusion_length_m: float

    @property
    def bracket_A_m2(self) -> tuple[float, float | None]:
        """(last level that survived, failing level)."""
        if self.failing_index is None:
            return self.levels_A_m2[-1], None
        below = self.levels_A_m2[self.failing_index - 1] if self.failing_index > 0 else 0.0
        return below, self.failing_level_A_m2


def _staircase_parameters(temperature_K: float, diffusion_length_m: float) -> CellParameters:
    _, base = parameter_set("llzto_bare")
    return with_overrides(
        base,
        {
            "temperature": f"{temperature_K} K",
            "stack_pressure": f"{STACK_PRESSURE_PA} Pa",
            "initial_contact_fraction": f"{CONTACT_FRACTION}",
            "sse_sigma_e": "0 S/m",
            "li_diffusion_length": f"{diffusion_length_m!r} m",
        },
    )


def _simulator_anode(p: CellParameters) -> LiAnodeParameters:
    """The anode ``simulate_symmetric`` builds from ``p`` (hardness and diffusion length)."""
    return LiAnodeParameters(hardness_Pa=p.li_hardness, diffusion_length_m=p.li_diffusion_length)


def first_failure(history, params: CellParameters, cycles_per_level: int = 1) -> tuple:
    """(level index, reason) of the first failure in a staircase history, or (None, "none").

    Failure: the *stripping* electrode's contact fraction falls below half its start value, or
    |V| reaches ``params.voltage_limit``. The working electrode is stripped when the current is
    positive, the counter electrode when it is negative.
    """
    stripping_working = history["current_A"].to_numpy() > 0
    contact = np.where(
        stripping_working,
        history["contact_working"].to_numpy(),
        history["contact_counter"].to_numpy(),
    )
    collapsed = contact < 0.5 * params.initial_contact_fraction
    at_limit = np.abs(history["voltage_V"].to_numpy()) >= params.voltage_limit * (1 - 1e-12)
    failed = collapsed | at_limit
    if not np.any(failed):
        return None, "none"
    first = int(np.argmax(failed))
    step = int(history["step_index"].iloc[first])
    reason = "contact collapse" if collapsed[first] else "voltage limit"
    return step // (2 * cycles_per_level), reason


def simulated_staircase_ccd(
    temperature_K: float,
    centre_A_m2: float,
    *,
    diffusion_length_m: float | None = None,
    step_time_s: float | None = None,
    levels: int = STAIRCASE_LEVELS,
    span: float = STAIRCASE_SPAN,
) -> StaircaseCCD:
    """CCD staircase on ``llzto_bare`` (f₀ = 1, σ_e = 0, p = 1 MPa) at ``temperature_K``.

    The cell's ``li_diffusion_length`` is ``diffusion_length_m`` (default: the L calibrated on
    the 30 °C CCD, :func:`calibrated_diffusion_length_m`). Levels: ``levels`` geometric levels
    from centre/span to centre·span (centre: the paper's CCD), one strip/plate cycle per level.
    Step time (default): 3τ with τ = h·L/D(T) the void time of the closed-form contact evolution
    (h the void depth). The contact of a stripped electrode at r = j/j* > 1 follows
    f(t) = r − (r − 1)·e^{t/τ}; it halves within 3τ for every r ≥ 1.026, so the first level
    more than 2.6 % above j* fails in its first strip step and the staircase resolves j* to one
    level (the plating half-step refills the voids, so a level never accumulates damage).
    """
    length = calibrated_diffusion_length_m() if diffusion_length_m is None else diffusion_length_m
    p = _staircase_parameters(temperature_K, float(length))
    anode = _simulator_anode(p)
    tau = (
        p.void_depth
        * anode.diffusion_length_m
        / voids.li_self_diffusivity_m2_s(temperature_K, anode)
    )
    step = STEP_TIME_TAU * tau if step_time_s is None else float(step_time_s)
    grid = tuple(float(x) for x in np.geomspace(centre_A_m2 / span, centre_A_m2 * span, levels))
    result = simulate_symmetric(
        p, staircase_protocol(grid, 1, step), sample_s=step / SAMPLES_PER_STEP
    )
    index, reason = first_failure(result.history, p)
    closed = stripping_ccd(
        p.stack_pressure, temperature_K, contact_fraction=p.initial_contact_fraction, params=anode
    ).ccd_A_m2
    return StaircaseCCD(
        temperature_K=temperature_K,
        levels_A_m2=grid,
        step_time_s=step,
        void_time_s=tau,
        failing_index=index,
        failing_level_A_m2=None if index is None else grid[index],
        reason=reason,
        closed_form_A_m2=closed,
        diffusion_length_m=p.li_diffusion_length,
    )


def _leaky_short_time_s(sim: StaircaseCCD) -> float | None:
    """Time (s) at which the same staircase shorts with llzto_bare's own σ_e (None: never)."""
    _, base = parameter_set("llzto_bare")
    p = replace(
        _staircase_parameters(sim.temperature_K, sim.diffusion_length_m),
        sse_sigma_e=base.sse_sigma_e,
    )
    result = simulate_symmetric(
        p,
        staircase_protocol(sim.levels_A_m2, 1, sim.step_time_s),
        sample_s=sim.step_time_s / SAMPLES_PER_STEP,
    )
    shorted = result.history["shorted"].to_numpy(dtype=bool)
    return float(result.history["time_s"].iloc[int(np.argmax(shorted))]) if shorted.any() else None


def _ccd_rows(progress) -> tuple[list[Row], list[dict], list[str]]:
    progress("seed 003: CCD vs temperature (stripping-void limit)")
    lo_id, hi_id = "s003-ccd-llzo-30c", "s003-ccd-llzo-160c"
    j_lo, t_lo = _si(lo_id), _temperature_K(lo_id)
    j_hi, t_hi = _si(hi_id), _temperature_K(hi_id)
    default = voids.DEFAULT_PARAMETERS
    length = calibrated_diffusion_length_m()
    anode = replace(default, diffusion_length_m=length)
    ccd_lo, ccd_hi = _ccd(t_lo, anode), _ccd(t_hi, anode)
    limit_lo = stripping_ccd(
        STACK_PRESSURE_PA, t_lo, contact_fraction=CONTACT_FRACTION, params=anode
    )
    creep_ratio = limit_lo.creep_part_A_m2 / limit_lo.diffusion_part_A_m2
    factor_hi = ccd_hi / j_hi
    rows = [
        Row(
            quantity="CCD of Li|LLZO|Li at 30 °C (stripping-void limit, f = 1, 1 MPa)",
            paper=j_lo * _TO_UA_CM2,
            ssblab=ccd_lo * _TO_UA_CM2,
            unit="uA/cm^2",
            basis="fitted",
            status=compare(j_lo, ccd_lo),
            note=(
                f"{lo_id} (ref. [59], printed 'µA cm−1'); diffusion length L = "
                f"{length * 1e6:.1f} µm fitted on this point in closed form; creep part "
                f"{creep_ratio:.1e} of the diffusion part at 1 MPa"
            ),
        ),
        Row(
            quantity="CCD of Li|LLZO|Li at 160 °C (stripping-void limit, L from 30 °C)",
            paper=j_hi * _TO_MA_CM2,
            ssblab=ccd_hi * _TO_MA_CM2,
            unit="mA/cm^2",
            basis="predicted",
            status=_within_factor(j_hi, ccd_hi, CCD_FACTOR),
            note=(
                f"{hi_id}; model {factor_hi:.2f}x the paper value with the literature "
                f"Q_D = {default.diffusion_activation_eV} eV (Li self-diffusion); tolerance a "
                f"factor of {CCD_FACTOR:g} either way (order-of-magnitude model; the data span "
                f"a factor of {j_hi / j_lo:.0f})"
            ),
        ),
    ]
    # apparent activation energy: a factor-of-3 band at 160 °C is ±k_B ln3/Δ(1/T) in eV
    ea_paper = apparent_activation_eV(j_lo, t_lo, j_hi, t_hi)
    ea_model = apparent_activation_eV(ccd_lo, t_lo, ccd_hi, t_hi)
    ea_tol_eV = voids.K_B_EV * math.log(CCD_FACTOR) / (1.0 / t_lo - 1.0 / t_hi)
    rows.append(
        Row(
            quantity="Apparent activation energy of the CCD, 30–160 °C (two-point Arrhenius)",
            paper=ea_paper,
            ssblab=ea_model,
            unit="eV",
            basis="predicted",
            status=compare_energy(ea_paper, ea_model),
            note=(
                f"paper value inferred from {lo_id} and {hi_id} (not printed); model = Q_D of Li "
                f"self-diffusion (creep negligible at 1 MPa); tolerance ±{ea_tol_eV:.3f} eV, "
                f"the same factor of {CCD_FACTOR:g} over 30–160 °C"
            ),
        )
    )
    trend = [_ccd(t + 273.15, anode) for t in TREND_TEMPERATURES_C]
    rising = all(b > a for a, b in itertools.pairwise(trend))
    listing = ", ".join(
        f"{t:g} °C {j * _TO_MA_CM2:.3g}" for t, j in zip(TREND_TEMPERATURES_C, trend, strict=True)
    )
    rows.append(
        Row(
            quantity="CCD rises monotonically with temperature (30, 60, 100, 130, 160 °C)",
            paper="CCD increases from 30 to 160 °C",
            ssblab="increasing" if rising else "not monotonic",
            unit="",
            basis="predicted",
            status="reproduced" if rising else "not reproduced",
            note=f"s003-ccd-llzo-30c/-160c (§2.5.2); model j* in mA/cm²: {listing}",
        )
    )

    progress("seed 003: simulated CCD staircases (30 °C, 160 °C)")
    sims = {
        t: simulated_staircase_ccd(t, j, diffusion_length_m=length)
        for t, j in ((t_lo, j_lo), (t_hi, j_hi))
    }
    lab = simulated_staircase_ccd(
        t_lo, j_lo, diffusion_length_m=length, step_time_s=LAB_STEP_S, levels=20, span=300.0
    )
    comparison = []
    for (t, j_paper, rid), kind, scale, unit in (
        ((t_lo, j_lo, lo_id), "fitted", _TO_UA_CM2, "uA/cm^2"),
        ((t_hi, j_hi, hi_id), "predicted", _TO_MA_CM2, "mA/cm^2"),
    ):
        sim = sims[t]
        below, level = sim.bracket_A_m2
        closed = sim.closed_form_A_m2
        if level is None:
            value: float | str = f"> {below * scale:.3g}"
            status = "differs"
            outcome = "no failure up to the top level"
            versus = f"no failure up to {below * scale:.3g} {unit}"
        else:
            value = level * scale
            status = _within_factor(j_paper, level, CCD_FACTOR)
            outcome = f"fails at {value:.3g} ({sim.reason})"
            versus = (
                f"survives {below * scale:.3g}, fails at {value:.3g} {unit} "
                f"({level / closed:.3f} j*)"
            )
        comparison.append(
            f"{t - 273.15:.0f} °C: closed-form j* = {closed * scale:.3g} {unit}, staircase {versus}"
        )
        why = (
            "L was fitted on this point in closed form, so the staircase must fail at the first "
            "level above the paper value"
            if kind == "fitted"
            else "no parameter tuned on it (L from 30 °C)"
        )
        rows.append(
            Row(
                quantity=(
                    f"CCD at {t - 273.15:.0f} °C, time-domain staircase (llzto_bare, f0 = 1, "
                    f"σ_e = 0, calibrated L = {length * 1e6:.1f} µm)"
                ),
                paper=j_paper * scale,
                ssblab=value,
                unit=unit,
                basis=kind,
                status=status,
                note=(
                    f"{rid}; {outcome}, last surviving level {below * scale:.3g}; closed-form j* "
                    f"with the calibrated L = {closed * scale:.3g} {unit}; "
                    f"{len(sim.levels_A_m2)} geometric levels, ratio "
                    f"{sim.levels_A_m2[1] / sim.levels_A_m2[0]:.3f}, 1 cycle per level, step "
                    f"3τ = {sim.step_time_s / 3600:.3g} h (τ = h·L/D); {why}; "
                    f"ssblab value = the failing level; tolerance a factor of {CCD_FACTOR:g}"
                ),
            )
        )
    _, bare = parameter_set("llzto_bare")
    fitted = [
        fitted_parameter(
            "diffusion_length_m (LiAnodeParameters; CellParameters.li_diffusion_length)",
            length,
            "m",
            f"{lo_id}: CCD {j_lo * _TO_UA_CM2:g} µA/cm² at {t_lo - 273.15:g} °C "
            f"(f = {CONTACT_FRACTION:g}, p = {STACK_PRESSURE_PA / 1e6:g} MPa), closed form",
            note=(
                f"replaces the llzto_bare li_diffusion_length {bare.li_diffusion_length * 1e6:g} "
                "µm (calibrated on the order of the same point); used by the closed-form rows and "
                "passed to the simulated staircases as li_diffusion_length"
            ),
        ),
    ]
    lab_level = lab.failing_level_A_m2
    sim_lo = sims[t_lo]
    short_s = _leaky_short_time_s(sim_lo)
    void_s = None if sim_lo.failing_index is None else 2 * sim_lo.failing_index * sim_lo.step_time_s
    sigma_e = f"{bare.sse_sigma_e * 1e-2:.2g} S/cm"
    if short_s is None:
        leak = f"with its {sigma_e} the 30 °C staircase does not short"
    else:
        leak = f"with its {sigma_e} the 30 °C staircase shorts at {short_s / 3600:.0f} h"
        if void_s is not None:
            order = "before" if short_s < void_s else "after"
            leak += f", {order} the strip step of the void-failing level ({void_s / 3600:.0f} h)"
    notes = [
        (
            "CCD calibration: wetted, heat-treated Li | LLZO interface, contact fraction f = 1, "
            "stack pressure 1 MPa (the llzto_bare value; seed 003 prints neither for ref. [59]); "
            "the creep term is negligible below ~100 MPa, so L does not depend on that choice"
        ),
        (
            "simulated staircases: llzto_bare with initial_contact_fraction = 1, "
            f"sse_sigma_e = 0 (disables the leakage filament: {leak}), "
            f"li_diffusion_length = the calibrated {length * 1e6:.1f} µm, σ_ion scaled to "
            "the temperature with the set's activation energy (0.43 eV); failure = stripping "
            "electrode contact < 0.5 of its start, or |V| at the compliance"
        ),
        "closed form vs simulated staircase (same cell, same L): " + "; ".join(comparison),
        (
            "the void model's j* is a long-time limit: with 0.5-h steps (a typical lab step, "
            "not printed in the seed) the simulator at 30 °C first fails at "
            + (
                f"{lab_level * _TO_MA_CM2:.3g} mA/cm² ({lab.reason})"
                if lab_level is not None
                else f"> {lab.levels_A_m2[-1] * _TO_MA_CM2:.3g} mA/cm²"
            )
            + f", since τ = h·L/D = {lab.void_time_s / 3600:.3g} h ≫ 0.5 h; the calibration "
            "assumes the measured 50 µA/cm² is the long-time limit"
        ),
        (
            "seed 003 also says the CCD rises 'more obviously' near the Li melting point: "
            "not tested (any Arrhenius law steepens on a linear T scale; the model has no "
            "premelting softening)"
        ),
    ]
    return rows, fitted, notes


# --------------------------------------------------------------------------------------------
# ASR vs stack pressure
# --------------------------------------------------------------------------------------------


def _probe_sample(p: CellParameters, pressure_Pa: float):
    """The simulated sample ``ASR_PROBE_READ_S`` into a constant-current probe, f₀ = min(1, p/H)."""
    f = min(1.0, pressure_Pa / p.li_hardness)
    q = with_overrides(
        p,
        {
            "stack_pressure": f"{pressure_Pa} Pa",
            "initial_contact_fraction": f"{f}",
            "sse_sigma_e": "0 S/m",
        },
    )
    result = simulate_symmetric(
        q,
        constant_current_protocol(ASR_PROBE_A_M2, 1, step_time_s=60.0),
        sample_s=ASR_PROBE_READ_S,
    )
    history = result.history
    return history[history["time_s"] >= ASR_PROBE_READ_S].iloc[0]


def _simulated_interface_asr(p: CellParameters, pressure_Pa: float) -> float:
    """Per-interface ASR (Ω m²) of :func:`_probe_sample`: (|V|/j − bulk)/2."""
    sample = _probe_sample(p, pressure_Pa)
    return (abs(sample["voltage_V"]) / ASR_PROBE_A_M2 - sample["asr_bulk_ohm_m2"]) / 2.0


def _asr_rows(progress) -> tuple[list[Row], list[str]]:
    progress("seed 003: ASR vs stack pressure (Holm constriction)")
    _, p = parameter_set("llzto_bare")
    rho = 1.0 / p.sse_sigma_ion
    eq1 = [constriction.interface_asr_ohm_m2(x, p.area, rho, p.li_hardness) for x in PRESSURES_PA]
    spots = [
        constriction.interface_asr_ohm_m2(
            x,
            p.area,
            rho,
            p.li_hardness,
            counter_resistivity_ohm_m=constriction.LI_RESISTIVITY_OHM_M,
            n_spots=p.n_spots,
        )
        for x in PRESSURES_PA
    ]
    sim = [_simulated_interface_asr(p, x) for x in PRESSURES_PA]

    def falling(values: list[float]) -> bool:
        return all(b <= a for a, b in itertools.pairwise(values)) and values[0] > min(values)

    monotonic = falling(eq1) and falling(spots) and falling(sim)

    def listing(values: list[float]) -> str:
        return ", ".join(
            f"{x / 1e6:g} MPa {v * _TO_OHM_CM2:.3g}"
            for x, v in zip(PRESSURES_PA, values, strict=True)
        )

    i400 = PRESSURES_PA.index(400e6)
    r09, txt, r08 = (
        "s003-t1-r09-press-400mpa-asr",
        "s003-txt-400mpa-asr",
        "s003-t1-r08-press-150mpa-asr",
    )
    asr_r09 = _si(r09) * _TO_OHM_CM2  # qualifier '<'
    asr_r08 = _si(r08) * _TO_OHM_CM2
    p_r08 = to_si(_record(r08).conditions.process_pressure, "Pa", "process_pressure")
    con_r08 = constriction.interface_asr_ohm_m2(p_r08, p.area, rho, p.li_hardness)
    charge_transfer = (
        voids.GAS_CONSTANT_J_MOL_K
        * p.temperature
        / (voids.FARADAY_C_MOL * p.exchange_current_density)
    )
    probe = _probe_sample(p, PRESSURES_PA[i400])
    probe_ct = (probe["eta_ct_working_V"] + probe["eta_ct_counter_V"]) / 2.0 / ASR_PROBE_A_M2
    probe_int = (
        probe["asr_interphase_working_ohm_m2"] + probe["asr_interphase_counter_ohm_m2"]
    ) / 2
    total_400 = sim[i400] * _TO_OHM_CM2
    total_status = compare(asr_r09, total_400, "<")
    rows = [
        Row(
            quantity="Li|garnet ASR falls monotonically with stack pressure (0.1–400 MPa)",
            paper="decreases continuously with force, nearly zero at 400 MPa",
            ssblab="non-increasing, zero from p = H_Li = 5 MPa" if monotonic else "not monotonic",
            unit="",
            basis="predicted",
            status="reproduced" if monotonic else "not reproduced",
            note=(
                f"{txt} (Figure 4H, ref. [57]); Holm with H_Li = 5 MPa (s003-li-hardness) "
                "reaches full contact at 5 MPa, far below 400 MPa, and is flat above. ASR in "
                f"Ω cm²: Eq. 1 as printed (1 spot, ρ both sides, ψ): {listing(eq1)}; simulator "
                f"configuration (1e4 spots, one-sided): {listing(spots)}; simulator per-interface "
                f"ASR {ASR_PROBE_READ_S:g} s into a {ASR_PROBE_A_M2 * _TO_MA_CM2:g} mA/cm² probe "
                f"(f0 = p/H; charge transfer and interphase included): {listing(sim)}"
            ),
        ),
        Row(
            quantity="Constriction ASR after a 400 MPa press (Holm, Eq. 1)",
            paper=f"< {asr_r09:g}",
            ssblab=eq1[i400] * _TO_OHM_CM2,
            unit="ohm*cm^2",
            basis="predicted",
            status=compare(asr_r09, eq1[i400] * _TO_OHM_CM2, "<"),
            note=(
                f"{r09} (< 1 Ω cm²) and {txt} ('nearly zero'); p ≥ H_Li: full contact, the "
                "constriction term vanishes"
            ),
        ),
        Row(
            quantity="Total per-interface ASR at full contact (simulator, llzto_bare, 400 MPa)",
            paper=f"< {asr_r09:g}",
            ssblab=total_400,
            unit="ohm*cm^2",
            basis="predicted",
            status=total_status,
            note=(
                f"{r09}; {total_400:.4f} Ω cm² = charge transfer {probe_ct * _TO_OHM_CM2:.4f} "
                f"(Butler–Volmer at {ASR_PROBE_A_M2 * _TO_MA_CM2:g} mA/cm²; linear RT/(F·j0) = "
                f"{charge_transfer * _TO_OHM_CM2:.4f} Ω cm² with llzto_bare j0 = "
                f"{p.exchange_current_density * _TO_MA_CM2:g} mA/cm²) + the "
                f"{probe['interphase_working_m'] * 1e9:.3g}-nm tetragonal interphase "
                f"{probe_int * _TO_OHM_CM2:.4f} Ω cm², read {ASR_PROBE_READ_S:g} s into the "
                "probe (at t = 0 the interphase has not formed yet); the 1 Ω cm² is the "
                "charge-transfer ASR assumed by llzto_bare (its j0 was chosen for "
                "RT/(F·j0) = 1 Ω cm², the order of the ~1 Ω cm² garnet interfaces of "
                "s003-txt-ald-al2o3-asr), not a model output, so the total sits at the paper's "
                f"bound: {'inside' if total_status == 'agrees' else 'above'} it by "
                f"{abs(total_400 / asr_r09 - 1) * 100:.2g} %; tolerance 0 (the paper's '<')"
            ),
        ),
        Row(
            quantity="Constriction ASR after a 150 MPa press (Holm, Eq. 1)",
            paper=asr_r08,
            ssblab=con_r08 * _TO_OHM_CM2,
            unit="ohm*cm^2",
            basis="predicted",
            status=compare(asr_r08, con_r08 * _TO_OHM_CM2),
            note=(
                f"{r08} (Li6.75La3Zr1.75Ta0.25O12, ref. [60]); Holm gives full contact for "
                "p ≥ 5 MPa, so within the model the measured 20 Ω cm² is not constriction "
                "(surface layers, charge transfer), which ssblab does not compute from seed "
                f"data (the simulator's assumed full-contact total is {total_400:.3g} Ω cm²); "
                "tolerance ±50 %"
            ),
        ),
    ]
    notes = [
        (
            "ASR vs pressure: ρ = 1/σ_ion of llzto_bare (4.6e-4 S/cm, seed 000) stands in for "
            "the Li6.25Al0.25La3Zr2O12 of Eq. 1 (seed 003 prints no σ); area 1.131 cm²; the "
            "probes set the unloaded (wetted) contact to p/H_Li, so the assembled contact is "
            "f0 = min(1, p/H_Li), plastic contact alone"
        ),
    ]
    return rows, notes


# --------------------------------------------------------------------------------------------
# Wetting, Monroe–Newman, creep pressure
# --------------------------------------------------------------------------------------------

_WETTING = (
    ("Li/Li2CO3", "s003-wet-li2co3-wad", "s003-wet-li2co3-angle"),
    ("Li/Li6.25Al0.25La3Zr2O12", "s003-wet-llzo-wad", "s003-wet-llzo-angle"),
)


def fit_surface_energy(pairs: list[tuple[float, float]]) -> float:
    """γ_Li (J/m²) minimising Σ(θ_model − θ_paper)² over (W_ad J/m², θ deg) pairs."""
    w_max = max(w for w, _ in pairs)

    def cost(gamma: float) -> float:
        return sum((wetting.contact_angle_deg(w, gamma) - th) ** 2 for w, th in pairs)

    out = minimize_scalar(
        cost, bounds=(w_max / 2.0, 2.0), method="bounded", options={"xatol": 1e-7}
    )
    return float(out.x)


def _wetting_rows(progress) -> tuple[list[Row], list[dict]]:
    progress("seed 003: wetting (Young–Dupré)")
    pairs = [(_record(w).value, _record(a).value) for _, w, a in _WETTING]
    gamma = fit_surface_energy(pairs)
    rows = []
    for (name, w_id, a_id), (w, theta) in zip(_WETTING, pairs, strict=True):
        model = wetting.contact_angle_deg(w, gamma)
        rows.append(
            Row(
                quantity=f"Contact angle of Li on {name.split('/')[1]} from W_ad = {w:g} J/m²",
                paper=theta,
                ssblab=model,
                unit="deg",
                basis="fitted",
                status=compare(theta, model),
                note=(
                    f"{w_id} ↔ {a_id} (ref. [56], DFT); γ_Li = {gamma:.4f} J/m² fitted on both "
                    f"pairs (module default {wetting.LI_SURFACE_ENERGY_J_M2} was chosen on them "
                    f"too); tolerance {WETTING_TOL_DEG:g}°"
                ),
            )
        )
    for k, (name, _w_id, a_id) in enumerate(_WETTING):
        other = 1 - k
        w_fit, th_fit = pairs[other]
        gamma_other = w_fit / (1.0 + math.cos(math.radians(th_fit)))
        w, theta = pairs[k]
        model = wetting.contact_angle_deg(w, gamma_other)
        rows.append(
            Row(
                quantity=(
                    f"Contact angle of Li on {name.split('/')[1]}, γ_Li from the other pair only"
                ),
                paper=theta,
                ssblab=model,
                unit="deg",
                basis="predicted",
                status=compare(theta, model),
                note=(
                    f"{a_id}; leave-one-out: γ_Li = {gamma_other:.4f} J/m² from "
                    f"{_WETTING[other][1]}/{_WETTING[other][2]} (W = γ(1 + cos θ)), "
                    f"{model - theta:+.1f}°; tolerance {WETTING_TOL_DEG:g}°"
                ),
            )
        )
    fitted = [
        fitted_parameter(
            "li_surface_energy_J_m2",
            gamma,
            "J/m^2",
            "s003-wet-li2co3-wad/-angle and s003-wet-llzo-wad/-angle (least squares in θ)",
            note=f"ssblab.models.wetting default {wetting.LI_SURFACE_ENERGY_J_M2} J/m²",
        )
    ]
    return rows, fitted


def _mechanics_rows(progress) -> tuple[list[Row], list[dict]]:
    progress("seed 003: Monroe–Newman and creep pressure")
    g_id, gb_id = "s003-garnet-shear-modulus", "s003-gb-shear-modulus-reduction"
    result = mechanics.monroe_newman(_si(g_id), gb_softening=_si(gb_id))
    rows = [
        Row(
            quantity="Garnet shear modulus exceeds the Monroe–Newman threshold (bulk)",
            paper="≈ 60 GPa is 'far than enough' (criterion: twice G_Li)",
            ssblab=f"G/G_Li = {result.bulk_ratio:.1f} > {result.threshold_ratio:g}",
            unit="",
            basis="predicted",
            status="reproduced" if result.bulk_suppresses else "not reproduced",
            note=f"{g_id} (ref. [8]); G_Li = 4.9 GPa from seed 001 (seed 003 prints none)",
        ),
        Row(
            quantity="GB softening up to 50 % brings LLZO below the Monroe–Newman threshold",
            paper="GB shear modulus up to 50 % lower: offered as why Li still penetrates",
            ssblab=f"G_GB/G_Li = {result.gb_ratio:.1f} > {result.threshold_ratio:g}",
            unit="",
            basis="predicted",
            status="reproduced" if not result.gb_suppresses else "not reproduced",
            note=(
                f"{gb_id} (ref. [97]); even halved, G_GB is ~6x G_Li: within Monroe–Newman the "
                "softening alone does not explain penetration (seed 003 also cites pores, "
                "cracks and electronic leakage)"
            ),
        ),
    ]
    # stack pressure that keeps stripping stable at 10 mA/cm² (25 °C, f = 1): creep anchor
    p_id = "s003-stripping-gpa-pressure"
    record = _record(p_id)
    j_target = to_si(record.conditions.current_density, "A/m^2", "current_density")
    d = voids.DEFAULT_PARAMETERS
    t_ref = d.reference_temperature_K
    j_diff = stripping_ccd(0.0, t_ref, contact_fraction=CONTACT_FRACTION, params=d).ccd_A_m2
    pressure = d.creep_reference_pressure_Pa * (
        (j_target - j_diff) / d.creep_reference_current_A_m2
    ) ** (1.0 / d.creep_stress_exponent)
    check = stripping_ccd(pressure, t_ref, contact_fraction=CONTACT_FRACTION, params=d).ccd_A_m2
    rows.append(
        Row(
            quantity="Stack pressure for stable stripping at 10 mA/cm² (25 °C, creep + diffusion)",
            paper=value_in_si(record, record.value) / 1e9,
            ssblab=pressure / 1e9,
            unit="GPa",
            basis="fitted",
            status=compare(value_in_si(record, record.value), pressure),
            note=(
                f"{p_id} ('GPa range'); fitted by construction: the voids creep anchor "
                f"j_c,ref = 10 mA/cm² at 1 GPa was set on this sentence; j*(p) = "
                f"{check * _TO_MA_CM2:.3g} mA/cm²; tolerance ±50 %"
            ),
        )
    )
    fitted = [
        fitted_parameter(
            "creep_reference_current_A_m2 at creep_reference_pressure_Pa (voids default)",
            d.creep_reference_current_A_m2,
            "A/m^2",
            f"{p_id}: 10 mA/cm² needs GPa pressures (at 1 GPa, 25 °C)",
            note="set in ssblab.models.voids, not here",
        )
    ]
    return rows, fitted


def replicate(progress: Callable[[str], None] | None = None) -> Replication:
    """All seed-003 rows (CCD vs T, ASR vs pressure, wetting, Monroe–Newman)."""
    say = progress or (lambda _message: None)
    ccd_rows, ccd_fitted, ccd_notes = _ccd_rows(say)
    asr_rows, asr_notes = _asr_rows(say)
    wet_rows, wet_fitted = _wetting_rows(say)
    mech_rows, mech_fitted = _mechanics_rows(say)
    notes = (
        "order-of-magnitude models: the void model is a 1-D supply/demand balance (no void "
        "nucleation, no healing beyond plating refill); CCD rows use a factor-of-3 tolerance",
        *ccd_notes,
        *asr_notes,
    )
    return Replication(
        seed=SEED,
        title=TITLE,
        rows=tuple(ccd_rows + asr_rows + wet_rows + mech_rows),
        fitted_parameters=tuple(ccd_fitted + wet_fitted + mech_fitted),
        notes=notes,
    )
