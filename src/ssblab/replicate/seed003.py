"""Seed 003 (review of Li | garnet interfaces): the numbers ssblab's interface models compute.

Paper values are read from the knowledge base (``knowledge/data/seed003.yaml``) by record id.
Tolerances: the one policy of :mod:`ssblab.replicate.rows`. Rows:

1. **CCD vs temperature** (Sharafi et al., ref. [59]: 50 µA/cm² at 30 °C, 14 mA/cm² at
   160 °C) with the void-onset model of :mod:`ssblab.models.voids` (transient vacancy diffusion
   in Li + creep refill), 0.5-h strip steps, wetted contact f = 1, 1 MPa. One fitted parameter,
   the critical vacancy supersaturation s (30 °C point, closed form); 160 °C, the apparent
   activation energy and the trend are predictions with sensitivity bands; leave-one-out over
   the two temperatures.
2. **Stripping CCD vs stack pressure** at 25 °C (rough contact × void onset + creep), and the
   creep-only pressure for 10 mA/cm² against the seed's "GPa range".
3. **ASR vs stack pressure** (``s003-txt-400mpa-asr``, Table 1 r08/r09) with the rough-contact
   constriction of :mod:`ssblab.models.roughness` (GW summits, size/time-dependent Li hardness,
   spots from the summit density: no fitted spot number).
4. **Wetting** (Young–Dupré): γ_Li fitted on both pairs; each pair predicted from the other.
5. **Monroe–Newman** (``s003-garnet-shear-modulus``, ``s003-gb-shear-modulus-reduction``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

from scipy.optimize import brentq, minimize_scalar

from ssblab.knowledge.schema import Record
from ssblab.knowledge.store import DATA_DIR, load_file, value_in_si
from ssblab.models import mechanics, roughness, voids, wetting
from ssblab.models.dendrite import LI_MOLAR_VOLUME_M3_MOL as LI_VM
from ssblab.models.parameter_schema import CellParameters, parameter_set, with_overrides
from ssblab.models.simulator import constant_current_protocol, simulate_symmetric
from ssblab.models.voids import LiAnodeParameters, stripping_ccd
from ssblab.replicate.rows import (
    TREND_MIN_CHANGE,
    Replication,
    Row,
    compare,
    compare_energy,
    fitted_parameter,
    leave_one_out,
    trend_status,
)
from ssblab.replicate.sensitivity import Assumed, sensitivity_band
from ssblab.units import to_si

SEED = "003"
TITLE = (
    "Wang, Zhu, Fu, Sun, Yang: Interfaces in garnet-based all-solid-state lithium batteries "
    "(review, Adv. Energy Mater. 2020)"
)

#: Contact fraction of the CCD-vs-T calibration: a wetted, heat-treated Li | LLZO interface.
CONTACT_FRACTION = 1.0
#: Stack pressure of the CCD-vs-T cells (assumed: not printed for ref. [59]), Pa.
STACK_PRESSURE_PA = 1e6
#: Strip-step duration of the CCD protocol, s (0.5 h; ref. [59]'s step was not available).
STEP_TIME_S = 1800.0
#: Temperatures of the CCD trend row, °C.
TREND_TEMPERATURES_C = (30.0, 60.0, 100.0, 130.0, 160.0)
#: Stack pressures of the stripping-CCD row (Kasemchainan et al. tested 3–7 MPa), MPa.
KASEMCHAINAN_PRESSURES_MPA = (1.0, 3.0, 5.0, 7.0)
#: Kasemchainan et al., Nat. Mater. 18 (2019) 1105, critical stripping currents at 3 and 7 MPa,
#: mA/cm² — **as recalled, not checked against the paper here** (quoted in notes only).
KASEMCHAINAN_CCS_MA_CM2 = (0.2, 1.0)
#: Pressures of the ASR-vs-pressure rows, Pa.
ASR_PRESSURES_PA = (5e6, 50e6, 150e6, 400e6)
#: Current density of the simulator's ASR probe (Table 1 row r09 cycles at 0.1 mA/cm²), A/m².
ASR_PROBE_A_M2 = 1.0
#: Time into the probe step at which the simulator's ASR is read, s.
ASR_PROBE_READ_S = 1.0

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


# --------------------------------------------------------------------------------------------
# CCD vs temperature and stack pressure (transient vacancy diffusion + creep)
# --------------------------------------------------------------------------------------------


def _anode(overrides: dict | None = None) -> LiAnodeParameters:
    o = overrides or {}
    return replace(
        voids.DEFAULT_PARAMETERS,
        vacancy_formation_eV=o.get("vacancy_formation_eV", 0.5),
    )


def _roughness(overrides: dict | None = None) -> roughness.SurfaceRoughness:
    o = overrides or {}
    d = roughness.DEFAULT_ROUGHNESS
    return roughness.SurfaceRoughness(
        rms_height_m=o.get("rms_height_m", d.rms_height_m),
        asperity_density_m2=o.get("asperity_density_m2", d.asperity_density_m2),
    )


def _ccd_at(temperature_K, params, overrides=None, *, pressure=None, contact=CONTACT_FRACTION):
    o = overrides or {}
    return stripping_ccd(
        o.get("stack_pressure_Pa", STACK_PRESSURE_PA) if pressure is None else pressure,
        temperature_K,
        contact_fraction=contact,
        params=params,
        step_time_s=o.get("step_time_s", STEP_TIME_S),
        roughness=_roughness(o),
        hold_time_s=o.get("hold_time_s", roughness.DEFAULT_HOLD_TIME_S),
    ).ccd_A_m2


def calibrate_supersaturation(
    target_ccd_A_m2: float, temperature_K: float, overrides: dict | None = None
) -> LiAnodeParameters:
    """The anode whose critical supersaturation s puts the stripping CCD (f = 1, 0.5-h steps)
    at the target. Closed form: the diffusion part is ∝ s, the creep part does not depend on s."""
    base = _anode(overrides)
    o = overrides or {}
    limit = stripping_ccd(
        o.get("stack_pressure_Pa", STACK_PRESSURE_PA),
        temperature_K,
        contact_fraction=CONTACT_FRACTION,
        params=base,
        step_time_s=o.get("step_time_s", STEP_TIME_S),
        roughness=_roughness(o),
    )
    if not target_ccd_A_m2 > limit.creep_part_A_m2:
        raise ValueError("creep alone exceeds the target CCD")
    scale = (target_ccd_A_m2 - limit.creep_part_A_m2) / limit.diffusion_part_A_m2
    return replace(base, critical_supersaturation=base.critical_supersaturation * scale)


@lru_cache(maxsize=1)
def calibrated_anode() -> LiAnodeParameters:
    """Anode calibrated on ``s003-ccd-llzo-30c`` (f = 1, 1 MPa, 0.5-h steps)."""
    record_id = "s003-ccd-llzo-30c"
    return calibrate_supersaturation(_si(record_id), _temperature_K(record_id))


def apparent_activation_eV(j1: float, t1_K: float, j2: float, t2_K: float) -> float:
    """Two-point Arrhenius slope of a CCD, k_B·ln(j2/j1)/(1/T1 − 1/T2) in eV."""
    return voids.K_B_EV * math.log(j2 / j1) / (1.0 / t1_K - 1.0 / t2_K)


def _assumed_ccd() -> list[Assumed]:
    return [
        Assumed("vacancy_formation_eV", 0.5, "eV", "Li vacancy formation energy, not checked"),
        Assumed(
            "stack_pressure_Pa", STACK_PRESSURE_PA, "Pa", "not printed for ref. [59] (seed 003)"
        ),
        Assumed("step_time_s", STEP_TIME_S, "s", "ref. [59]'s step not printed in seed 003"),
    ]


def _assumed_contact() -> list[Assumed]:
    d = roughness.DEFAULT_ROUGHNESS
    return [
        Assumed("rms_height_m", d.rms_height_m, "m", "3000-grit finish, no measured value"),
        Assumed("asperity_density_m2", d.asperity_density_m2, "1/m^2", "summit spacing ~5 µm"),
        Assumed("hold_time_s", roughness.DEFAULT_HOLD_TIME_S, "s", "press hold not printed"),
    ]


def _ccd_rows(progress) -> tuple[list[Row], list[dict], list[str], list[dict]]:
    progress("seed 003: CCD vs temperature (void onset: vacancy diffusion + creep)")
    lo_id, hi_id = "s003-ccd-llzo-30c", "s003-ccd-llzo-160c"
    j_lo, t_lo = _si(lo_id), _temperature_K(lo_id)
    j_hi, t_hi = _si(hi_id), _temperature_K(hi_id)
    anode = calibrated_anode()
    ccd_lo, ccd_hi = _ccd_at(t_lo, anode), _ccd_at(t_hi, anode)
    s_fit = anode.critical_supersaturation

    def at_160(o):
        return _ccd_at(t_hi, calibrate_supersaturation(j_lo, t_lo, o), o)

    band_hi = sensitivity_band(at_160, _assumed_ccd(), lambda v: compare(j_hi, v))
    ea_paper = apparent_activation_eV(j_lo, t_lo, j_hi, t_hi)
    ea_model = apparent_activation_eV(ccd_lo, t_lo, ccd_hi, t_hi)
    band_ea = sensitivity_band(
        lambda o: apparent_activation_eV(j_lo, t_lo, at_160(o), t_hi),
        _assumed_ccd(),
        lambda v: compare_energy(ea_paper, v),
    )
    temps = [t + 273.15 for t in TREND_TEMPERATURES_C]

    def trend_of(o):
        a = calibrate_supersaturation(j_lo, t_lo, o)
        return [_ccd_at(t, a, o) for t in temps]

    trend = trend_of({})
    band_trend = sensitivity_band(
        lambda o: trend_of(o)[-1] / trend_of(o)[0],
        _assumed_ccd(),
        lambda v: "reproduced" if v > 1.0 + TREND_MIN_CHANGE else "not reproduced",
    )
    listing = ", ".join(
        f"{t:g} °C {j * _TO_MA_CM2:.3g}" for t, j in zip(TREND_TEMPERATURES_C, trend, strict=True)
    )
    protocol = (
        f"f = 1 (wetted), p = {STACK_PRESSURE_PA / 1e6:g} MPa, {STEP_TIME_S / 3600:g}-h steps"
    )
    rows = [
        Row(
            quantity="CCD of Li|LLZO|Li at 30 °C (void onset within a 0.5-h strip step)",
            paper=j_lo * _TO_UA_CM2,
            ssblab=ccd_lo * _TO_UA_CM2,
            unit="uA/cm^2",
            basis="fitted",
            status=compare(j_lo, ccd_lo),
            note=(
                f"{lo_id} (ref. [59], printed 'µA cm−1'); critical vacancy supersaturation "
                f"s = {s_fit:.4g} fitted on this point in closed form ({protocol})"
            ),
        ),
        Row(
            quantity="CCD of Li|LLZO|Li at 160 °C (void onset, s from 30 °C)",
            paper=j_hi * _TO_MA_CM2,
            ssblab=ccd_hi * _TO_MA_CM2,
            unit="mA/cm^2",
            basis="predicted",
            status=compare(j_hi, ccd_hi),
            note=(
                f"{hi_id}; model {ccd_hi / j_hi:.2f}x the paper value: Π ∝ x_v,eq·D_self gives "
                f"the CCD an activation energy (E_f + Q_D)/2; {protocol}; "
                + band_hi.describe("A/m^2")
            ),
            band=band_hi,
        ),
        Row(
            quantity="Apparent activation energy of the CCD, 30–160 °C (two-point Arrhenius)",
            paper=ea_paper,
            ssblab=ea_model,
            unit="eV",
            basis="predicted",
            status=compare_energy(ea_paper, ea_model),
            note=(
                f"paper value inferred from {lo_id} and {hi_id} (not printed); model "
                f"(E_f + Q_D)/2 with the creep part negligible at 1 MPa; " + band_ea.describe("eV")
            ),
            band=band_ea,
        ),
        Row(
            quantity="CCD rises with temperature (30, 60, 100, 130, 160 °C)",
            paper="CCD increases from 30 to 160 °C",
            ssblab=f"x{trend[-1] / trend[0]:.3g} over 30–160 °C",
            unit="",
            basis="predicted",
            status=trend_status(trend, "increase"),
            note=(
                f"s003-ccd-llzo-30c/-160c (§2.5.2); model j* in mA/cm²: {listing}; "
                + band_trend.describe("(ratio)")
            ),
            band=band_trend,
        ),
    ]
    progress("seed 003: stripping CCD vs stack pressure")
    pressures = [p * 1e6 for p in KASEMCHAINAN_PRESSURES_MPA]

    def ccs(o):
        a = calibrate_supersaturation(j_lo, t_lo, o)
        return [_ccd_at(298.15, a, o, pressure=x, contact=None) for x in pressures]

    ccs_nominal = ccs({})
    band_p = sensitivity_band(
        lambda o: (lambda v: v[-1] / v[1])(ccs(o)),
        _assumed_ccd()[:1] + _assumed_contact(),
        lambda v: "reproduced" if v > 1.0 + TREND_MIN_CHANGE else "not reproduced",
    )
    p_list = ", ".join(
        f"{x / 1e6:g} MPa {j * _TO_UA_CM2:.3g}" for x, j in zip(pressures, ccs_nominal, strict=True)
    )
    rows.append(
        Row(
            quantity="Stripping CCD rises with stack pressure (25 °C, 3 → 7 MPa, 0.5-h steps)",
            paper="higher pressure, higher Li creep rate, better stability (§2.4, ref. [82])",
            ssblab=f"x{ccs_nominal[-1] / ccs_nominal[1]:.3g} from 3 to 7 MPa",
            unit="",
            basis="predicted",
            status=trend_status(ccs_nominal[1:], "increase"),
            note=(
                "s003-stripping-gpa-pressure group (§2.4); model (rough contact f(p) × void "
                f"onset + creep) in µA/cm²: {p_list}; Kasemchainan et al., Nat. Mater. 18 (2019) "
                f"1105 (Li|Li6PS5Cl, as recalled, not checked here): ≈ "
                f"{KASEMCHAINAN_CCS_MA_CM2[0]:g} mA/cm² at 3 MPa and ≈ "
                f"{KASEMCHAINAN_CCS_MA_CM2[1]:g} mA/cm² at 7 MPa: the model's rise comes from "
                "the contact fraction (creep refill is negligible below ~40 MPa) and its level is "
                f"~{KASEMCHAINAN_CCS_MA_CM2[0] * 10 / ccs_nominal[1]:.0f}x lower at 3 MPa; "
                + band_p.describe("(ratio)")
            ),
            band=band_p,
        )
    )
    # stack pressure for stable (long-time, creep-only) stripping at 10 mA/cm², 25 °C, f = 1
    p_id = "s003-stripping-gpa-pressure"
    record = _record(p_id)
    j_target = to_si(record.conditions.current_density, "A/m^2", "current_density")

    def pressure_for(o):
        rough_ = _roughness(o)

        def gap(log_p):
            v = voids.creep_refill_velocity_m_s(math.exp(log_p), 298.15, roughness=rough_)
            return math.log(v * voids.FARADAY_C_MOL / LI_VM + 1e-300) - math.log(j_target)

        return math.exp(brentq(gap, math.log(1e5), math.log(1e11)))

    p_needed = pressure_for({})
    band_gpa = sensitivity_band(
        pressure_for,
        _assumed_contact()[1:2],
        lambda v: compare(value_in_si(record, record.value), v),
    )
    rows.append(
        Row(
            quantity="Stack pressure for creep-stable stripping at 10 mA/cm² (25 °C, f = 1)",
            paper=value_in_si(record, record.value) / 1e9,
            ssblab=p_needed / 1e9,
            unit="GPa",
            basis="predicted",
            status=compare(value_in_si(record, record.value), p_needed),
            note=(
                f"{p_id} ('GPa range'); long-time limit j_c = F·λ·ε̇(p)/V_m with the size-"
                "dependent Li creep at the summit spacing λ (no anchor on this sentence any "
                "more); " + band_gpa.describe("Pa")
            ),
            band=band_gpa,
        )
    )

    def fit_and_predict(kept, held):
        ((label, value),) = kept
        t_fit = _temperature_K(label)
        a = calibrate_supersaturation(value, t_fit)
        return _ccd_at(_temperature_K(held), a)

    loo = [
        leave_one_out(
            "critical_supersaturation s (voids) on the CCD vs T",
            [(lo_id, j_lo), (hi_id, j_hi)],
            fit_and_predict,
            unit="A/m^2",
        )
    ]
    fitted = [
        fitted_parameter(
            "critical_supersaturation (LiAnodeParameters)",
            s_fit,
            "",
            f"{lo_id}: CCD {j_lo * _TO_UA_CM2:g} µA/cm² at {t_lo - 273.15:g} °C ({protocol})",
            note="closed form; the module default 268 is this value rounded",
        )
    ]
    notes = [
        (
            f"CCD vs T: {protocol}, all assumed (seed 003 prints none for ref. [59]); "
            "the 0.5-h step is the issue's laboratory step, ref. [59]'s own step was not "
            "available here"
        ),
        (
            "seed 003 also says the CCD rises 'more obviously' near the Li melting point: "
            "not tested (the model has no premelting softening)"
        ),
    ]
    return rows, fitted, notes, loo


# --------------------------------------------------------------------------------------------
# ASR vs stack pressure (rough contact: GW + size/time-dependent Li hardness)
# --------------------------------------------------------------------------------------------


def _probe_sample(p: CellParameters, pressure_Pa: float):
    """The simulated sample ``ASR_PROBE_READ_S`` into a constant-current probe at full contact."""
    q = with_overrides(
        p,
        {
            "stack_pressure": f"{pressure_Pa} Pa",
            "initial_contact_fraction": "1.0",
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


def _asr(pressure_Pa: float, rho: float, o: dict | None = None) -> float:
    o = o or {}
    return roughness.interface_asr_ohm_m2(
        pressure_Pa,
        rho,
        298.15,
        roughness=_roughness(o),
        hold_time_s=o.get("hold_time_s", roughness.DEFAULT_HOLD_TIME_S),
    )


def _asr_rows(progress) -> tuple[list[Row], list[str]]:
    progress("seed 003: ASR vs stack pressure (rough contact, Holm spots)")
    _, p = parameter_set("llzto_bare")
    rho = 1.0 / p.sse_sigma_ion
    values = [_asr(x, rho) for x in ASR_PRESSURES_PA]

    def listing(vals) -> str:
        return ", ".join(
            f"{x / 1e6:g} MPa {v * _TO_OHM_CM2:.3g}"
            for x, v in zip(ASR_PRESSURES_PA, vals, strict=True)
        )

    r09, txt, r08 = (
        "s003-t1-r09-press-400mpa-asr",
        "s003-txt-400mpa-asr",
        "s003-t1-r08-press-150mpa-asr",
    )
    asr_r09 = _si(r09) * _TO_OHM_CM2  # qualifier '<'
    asr_r08 = _si(r08) * _TO_OHM_CM2
    p_r08 = to_si(_record(r08).conditions.process_pressure, "Pa", "process_pressure")
    i400 = ASR_PRESSURES_PA.index(400e6)
    band_trend = sensitivity_band(
        lambda o: _asr(5e6, rho, o) / _asr(400e6, rho, o),
        _assumed_contact(),
        lambda v: "reproduced" if v > 1.0 + TREND_MIN_CHANGE else "not reproduced",
    )
    band_400 = sensitivity_band(
        lambda o: _asr(400e6, rho, o) * _TO_OHM_CM2,
        _assumed_contact(),
        lambda v: compare(asr_r09, v, "<"),
    )
    con_r08 = _asr(p_r08, rho) * _TO_OHM_CM2
    band_150 = sensitivity_band(
        lambda o: _asr(p_r08, rho, o) * _TO_OHM_CM2,
        _assumed_contact(),
        lambda v: compare(asr_r08, v),
    )
    state_5 = roughness.rough_contact(5e6)
    probe = _probe_sample(p, 400e6)
    total_400 = (abs(probe["voltage_V"]) / ASR_PROBE_A_M2 - probe["asr_bulk_ohm_m2"]) / 2.0
    total_400 *= _TO_OHM_CM2
    rows = [
        Row(
            quantity="Li|garnet constriction ASR falls with stack pressure (5 → 400 MPa)",
            paper="decreases continuously with force, nearly zero at 400 MPa",
            ssblab=f"x{values[0] / values[i400]:.3g} lower at 400 than at 5 MPa",
            unit="",
            basis="predicted",
            status=trend_status(values, "decrease"),
            note=(
                f"{txt} (Figure 4H, ref. [57]); GW contact of Li on a 3000-grit surface with "
                "the size- and time-dependent Li hardness (roughness.rough_contact), spots from "
                f"the summit density (at 5 MPa: f = {state_5.contact_fraction:.3g}, "
                f"{state_5.spots_per_m2 * p.area:.3g} spots on {p.area * 1e4:.3g} cm², radius "
                f"{state_5.spot_radius_m * 1e6:.2g} µm); ASR in Ω cm²: {listing(values)}; "
                + band_trend.describe("(ratio)")
            ),
            band=band_trend,
        ),
        Row(
            quantity="Constriction ASR after a 400 MPa press (rough contact)",
            paper=f"< {asr_r09:g}",
            ssblab=values[i400] * _TO_OHM_CM2,
            unit="ohm*cm^2",
            basis="predicted",
            status=compare(asr_r09, values[i400] * _TO_OHM_CM2, "<"),
            note=f"{r09} (< 1 Ω cm²) and {txt} ('nearly zero'); " + band_400.describe("Ω cm²"),
            band=band_400,
        ),
        Row(
            quantity="Constriction ASR after a 150 MPa press (rough contact)",
            paper=asr_r08,
            ssblab=con_r08,
            unit="ohm*cm^2",
            basis="predicted",
            status=compare(asr_r08, con_r08),
            note=(
                f"{r08} (Li6.75La3Zr1.75Ta0.25O12, ref. [60]); the contact at 150 MPa is "
                "already most of the area, so within the model the measured 20 Ω cm² is not "
                "constriction (surface layers, charge transfer); " + band_150.describe("Ω cm²")
            ),
            band=band_150,
        ),
        Row(
            quantity="Total per-interface ASR at full contact (simulator, llzto_bare, 400 MPa)",
            paper=f"< {asr_r09:g}",
            ssblab=total_400,
            unit="ohm*cm^2",
            basis="by construction",
            status=compare(asr_r09, total_400, "<"),
            note=(
                f"{r09}; charge transfer RT/(F·j0) = 1 Ω cm² is assumed by llzto_bare (j0 "
                "chosen for it, s003-txt-ald-al2o3-asr order) plus the 6-nm tetragonal "
                "interphase: the row tests that assumption, not a model"
            ),
        ),
    ]
    notes = [
        (
            "ASR vs pressure: ρ = 1/σ_ion of llzto_bare (4.6e-4 S/cm, seed 000) stands in for "
            "the Li6.25Al0.25La3Zr2O12 of Eq. 1 (seed 003 prints no σ); Eq. 1 as printed (one "
            "spot, H = 5 MPa) reaches full contact at 5 MPa and is not used for these rows"
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


def _no_band(value: float, paper: float):
    """The degenerate band of a row with no assumed parameter."""
    return sensitivity_band(lambda _o: value, [], lambda v: compare(paper, v))


def _wetting_rows(progress) -> tuple[list[Row], list[dict], dict]:
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
                    "too)"
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
                    f"{model - theta:+.1f}°; no assumed parameter: "
                    + _no_band(model, theta).describe("deg")
                ),
                band=_no_band(model, theta),
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
    loo = leave_one_out(
        "li_surface_energy_J_m2 (Young–Dupré) on the two W_ad ↔ θ pairs",
        [(a_id, theta) for (_n, _w, a_id), (_w2, theta) in zip(_WETTING, pairs, strict=True)],
        lambda kept, held: wetting.contact_angle_deg(
            pairs[[a for _n, _w, a in _WETTING].index(held)][0],
            fit_surface_energy([pairs[[a for _n, _w, a in _WETTING].index(kept[0][0])]]),
        ),
        unit="deg",
    )
    return rows, fitted, loo


def _mechanics_rows(progress) -> list[Row]:
    progress("seed 003: Monroe–Newman")
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
            note=f"{g_id} (ref. [8]); G_Li = 4.9 GPa from seed 001 (seed 003 prints none); "
            "no assumed parameter (band degenerate)",
            band=_no_band(result.bulk_ratio, result.bulk_ratio),
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
                "cracks and electronic leakage); no assumed parameter (band degenerate)"
            ),
            band=_no_band(result.gb_ratio, result.gb_ratio),
        ),
    ]
    return rows


def replicate(progress: Callable[[str], None] | None = None) -> Replication:
    """All seed-003 rows (CCD vs T and pressure, ASR vs pressure, wetting, Monroe–Newman)."""
    say = progress or (lambda _message: None)
    ccd_rows, ccd_fitted, ccd_notes, ccd_loo = _ccd_rows(say)
    asr_rows, asr_notes = _asr_rows(say)
    wet_rows, wet_fitted, wet_loo = _wetting_rows(say)
    mech_rows = _mechanics_rows(say)
    return Replication(
        seed=SEED,
        title=TITLE,
        rows=tuple(ccd_rows + asr_rows + wet_rows + mech_rows),
        fitted_parameters=tuple(ccd_fitted + wet_fitted),
        notes=(*ccd_notes, *asr_notes),
        leave_one_out=(*ccd_loo, wet_loo),
    )
