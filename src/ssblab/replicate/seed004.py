"""Seed 004: Li | coating | LATP | coating | Li at 0.01 mA/cm², 1-h steps, 300 cycles.

**Experiment** (seed 004 Results, Figures 1, 3, 4, S4/S5; knowledge-base ids ``s004-*``): bare
LATP rises from 0.1 V to 3.5 V over 300 cycles; LATP@175Li3PO4 0.3 → 0.8 → 2.4 → 4 V (cycles
1/100/200/300); with n ALD cycles of Al2O3 (0.10 nm/cycle) the cycle-1 peak is 2/6/8/10 V for
n = 25/50/100/150 and the cycle-300 value is U-shaped in n: 25: 2.25, 50: 2, 100: 1.5,
150: 0.9 (optimum), 200: 2, 250: 5 V. EELS Ti³⁺-dominated depth after 100 cycles: bare 24 nm,
LATP@150Al2O3 16 nm.

**Model** (analytic, per cell; both pellet faces carry the same layers; V at cycle N is taken
at mid-cycle t = (2N − 1) h, cycle 1 at t = 0, its peak):

    V = j·(L_SSE/σ_SSE + ASR_contact) + 2η_ct + 2·V_coat(t) + 2·j·x(t)/σ_int + g·j·ΔASR_crack(t)

* η_ct: symmetric Butler–Volmer, η = (2RT/F) asinh(j/2j₀);
* V_coat of ALD Al2O3 = E_hf(j)·(L − s) + j·s/σ_lith: the unlithiated remainder conducts by
  high-field hopping (:mod:`ssblab.models.highfield`, field E_hf fixed by the 10-V cycle-1 peak
  of LATP@150; below the 8.3 MV/cm breakdown of ALD Al2O3), the lithiated depth s(t) =
  min(L, A ln(1 + t/τ)) conducts as Li-Al-O (:mod:`ssblab.models.coating`; Al2O3 is reducible by
  Li, :mod:`ssblab.models.reduction`). Li3PO4: ohmic, j·L/σ;
* x(t): Ti³⁺ interphase, Deal–Grove supply through the coating in series
  (:func:`ssblab.models.interphase.deal_grove_thickness_m`), x_c = ρ·L_c; its ionic σ_int is
  *assumed* equal to LATP's (the lithiated NASICON phase of seed 004 Figure S10), so its
  resistance is negligible (< 1 mV): the rise is **not** an interphase resistance;
* ΔASR_crack(t) = r_c·max(0, t − t_on): Li ingress along LATP grain boundaries and cracking of
  the bulk LATP (:mod:`ssblab.models.cracking`), with the seed's attribution (cracks in bulk
  LATP under Li3PO4; none under 150 cycles of Al2O3). The gate g is 1 for bare LATP and for
  Li3PO4 (a Li-ion conductor that lets Li⁺ reach the grain boundaries), and the breached area
  fraction exp(−L/λ) of an Al2O3 film (a Poisson defect model, Al2O3 being a physical barrier).

**Fitted** (``Replication.fitted_parameters``; live below): ASR_contact on bare cycle 1 (0.1 V);
σ(Li3PO4) on its cycle 1 (0.3 V); r_c, t_on on LATP@175Li3PO4 cycles 100 and 200; E_hf on
LATP@150 cycle 1 (10 V); σ_lith, A, τ on LATP@150 cycle 300 (0.9 V), LATP@150 lithiated through
by cycle 100 (a condition, not its 0.9-V value, which stays a prediction) and LATP@250 cycle 300
(5 V); λ on LATP@50 cycle 300 (2 V); ρ on the 16-nm EELS
depth; the bare parabolic rate k on the 24-nm EELS depth. **Predicted**: Li3PO4 cycle 300, bare
cycle 300 (the Li3PO4 crack law transferred to bare LATP), the cycle-1 peaks and cycle-100
values of 25/50/100, cycles 200/300 of 25 and 100, the optimum and the U-shape.
**Assumed** (each predicted row's band varies them ±50 %): pellet thickness, j₀, σ_int, hop
distance. The optimum's dependence on the one thin-coating point λ is fitted on is reported as
leave-one-out (λ from the 25- or 100-cycle point instead).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from scipy.optimize import brentq, minimize_scalar

from ssblab.models import coating as coat
from ssblab.models import cracking, highfield
from ssblab.models.interphase import (
    LATP_AL2O3_TI3_DEPTH_M,
    LATP_TI3_DEPTH_M,
    SEED004_EELS_TIME_S,
    coating_equivalent_from_depths_m,
    deal_grove_thickness_m,
    parabolic_rate_m2_s,
)
from ssblab.replicate.rows import (
    Replication,
    Row,
    compare,
    fitted_parameter,
    leave_one_out,
    trend_status,
)
from ssblab.replicate.sensitivity import Assumed, sensitivity_band

HOUR = 3600.0
CURRENT_DENSITY_A_M2 = 0.1  # 0.01 mA/cm² (s004-sym-current-density)
CYCLES = 300  # s004-sym-cycle-count
STEP_S = 3600.0  # s004-sym-cycle-time: 1-h steps, 2 h per cycle
ALD_CYCLES = (0, 25, 50, 100, 150, 200, 250)
PARAMETER_SET = "latp_ald_al2o3"
F_C_MOL = 96485.33212
R_J_MOL_K = 8.314462618
TEMPERATURE_K = 298.15
#: LATP ionic conductivity, S/m (0.15 mS/cm, seed 004 s004-latp-sigma-rt).
SIGMA_LATP_S_M = 0.015

#: (ALD cycles, cell cycle) -> (paper value V, knowledge-base id, basis).
PAPER: dict[tuple[int, int], tuple[float, str, str]] = {
    (0, 1): (0.1, "s004-ovp-bare-c1", "fitted"),
    (0, 300): (3.5, "s004-ovp-bare-c300", "predicted"),
    (25, 1): (2.0, "s004-ovp-al25-c1", "predicted"),
    (25, 100): (1.0, "s004-ovp-al25-c100", "predicted"),
    (25, 300): (2.25, "s004-ovp-al25-c300", "predicted"),
    (50, 1): (6.0, "s004-ovp-al50-c1", "predicted"),
    (50, 100): (0.8, "s004-ovp-al50-c100", "predicted"),
    (50, 300): (2.0, "s004-ovp-al50-c300", "fitted"),
    (100, 1): (8.0, "s004-ovp-al100-c1", "predicted"),
    (100, 100): (0.8, "s004-ovp-al100-c100", "predicted"),
    (100, 200): (1.2, "s004-ovp-al100-c200", "predicted"),
    (100, 300): (1.5, "s004-ovp-al100-c300", "predicted"),
    (150, 1): (10.0, "s004-ovp-al150-c1", "fitted"),
    (150, 100): (0.9, "s004-ovp-al150-c100", "predicted"),
    (150, 200): (0.9, "s004-ovp-al150-c200", "predicted"),
    (150, 300): (0.9, "s004-ovp-al150-c300", "fitted"),
    (200, 300): (2.0, "s004-ovp-al200", "interpolated"),
    (250, 300): (5.0, "s004-ovp-al250", "fitted"),
}
#: LATP@175Li3PO4: cycle -> (paper V, knowledge-base id, basis).
LI3PO4_PAPER: dict[int, tuple[float, str, str]] = {
    1: (0.3, "s004-ovp-li3po4-c1", "fitted"),
    100: (0.8, "s004-ovp-li3po4-c100", "fitted"),
    200: (2.4, "s004-ovp-li3po4-c200", "fitted"),
    300: (4.0, "s004-ovp-li3po4-c300-results", "predicted"),
}
LI3PO4_CYCLES = 175  # s004-ald-li3po4-gpc: 175 cycles ≈ 15 nm
#: EELS Ti³⁺-dominated depth after 100 cycles (s004-eels-bare-ti3-depth, -al150-ti3-depth).
EELS_DEPTH_M = {0: LATP_TI3_DEPTH_M, 150: LATP_AL2O3_TI3_DEPTH_M}
#: The thin-coating cycle-300 point λ is fitted on (the others are its leave-one-out checks).
LAMBDA_FIT_POINT = 50

#: Uncited parameters of the model (nominal values; the bands vary them ±50 %).
ASSUMED = (
    Assumed("pellet thickness", 1.0e-3, "m", "not printed in seed 004 (latp_ald_al2o3.yaml)"),
    Assumed(
        "exchange current density", 1.0, "A/m^2", "0.1 mA/cm^2, not in seed 004 (yaml set)"
    ),
    Assumed(
        "interphase ionic sigma", SIGMA_LATP_S_M, "S/m",
        "lithiated NASICON taken to conduct Li+ like LATP (no measured value)",
    ),
    Assumed("high-field hop distance", highfield.HOP_DISTANCE_M, "m", "order of anodic oxides"),
)  # fmt: skip


def t_cycle_s(cycle: int) -> float:
    """Cell time of cycle ``cycle``'s plateau (mid-cycle; 0 for the cycle-1 peak)."""
    return 0.0 if cycle == 1 else (2 * cycle - 1) * HOUR


def _thickness(cells: int, material: str = "Al2O3") -> float:
    gpc = coat.GPC_LI3PO4_M if material == "Li3PO4" else coat.GPC_AL2O3_M
    return coat.ald_thickness_m(cells, gpc)


@dataclass(frozen=True)
class Seed004Model:
    """The calibrated seed-004 cell model (module docstring); SI units."""

    j: float
    base_V: float  # j(L/σ + ASR_contact) + 2η_ct: bare cycle 1
    contact_asr_ohm_m2: float
    bulk_V: float
    charge_transfer_V: float
    sigma_li3po4_S_m: float
    crack_rate_V_s: float  # r_c·j
    crack_onset_s: float
    field_hf_V_m: float
    hf_prefactor_A_m2: float
    sigma_lithiated_S_m: float
    amplitude_m: float
    time_constant_s: float
    decay_length_m: float
    rho: float  # x_c/L_c of Al2O3
    k_m2_s: float
    sigma_int_S_m: float

    def lithiated_depth_m(self, t: float, length: float) -> float:
        return min(length, self.amplitude_m * math.log1p(t / self.time_constant_s))

    def interphase_m(self, t: float, n: int, material: str = "Al2O3") -> float:
        if material == "Li3PO4":
            return 0.0  # Ti reduction suppressed under Li3PO4 (HE-XPS); not modelled
        xc = self.rho * _thickness(n) if n else 0.0
        return float(deal_grove_thickness_m(t, self.k_m2_s, xc))

    def gate(self, n: int, material: str = "Al2O3") -> float:
        if material == "Li3PO4" or n == 0:
            return 1.0
        return math.exp(-_thickness(n) / self.decay_length_m)

    def parts_V(self, n: int, cycle: int, material: str = "Al2O3") -> dict[str, float]:
        """Contributions (V) to the overpotential of cycle ``cycle``."""
        t = t_cycle_s(cycle)
        length = _thickness(n, material)
        if material == "Li3PO4":
            v_coat = self.j * length / self.sigma_li3po4_S_m
        elif n == 0:
            v_coat = 0.0
        else:
            s = self.lithiated_depth_m(t, length)
            v_coat = self.field_hf_V_m * (length - s) + self.j * s / self.sigma_lithiated_S_m
        crack = self.gate(n, material) * self.crack_rate_V_s * max(0.0, t - self.crack_onset_s)
        return {
            "bulk": self.bulk_V,
            "charge transfer": self.charge_transfer_V,
            "contact": self.j * self.contact_asr_ohm_m2,
            "coatings": 2 * v_coat,
            "interphase": 2 * self.j * self.interphase_m(t, n, material) / self.sigma_int_S_m,
            "cracking": crack,
        }

    def overpotential_V(self, n: int, cycle: int, material: str = "Al2O3") -> float:
        return sum(self.parts_V(n, cycle, material).values())


def _charge_transfer_V(j: float, j0: float) -> float:
    """Two interfaces, symmetric Butler–Volmer: 2·(2RT/F) asinh(j/2j₀)."""
    return 2 * (2 * R_J_MOL_K * TEMPERATURE_K / F_C_MOL) * math.asinh(j / (2 * j0))


def _al2o3_law(m: dict, decay_length_m: float) -> tuple[float, float, float]:
    """σ_lith, A, τ from LATP@150 (c300, through at c100) and LATP@250 c300, given λ."""
    j, e_hf = m["j"], m["field_hf_V_m"]
    l150, l250 = _thickness(150), _thickness(250)

    def crack(n):
        return (
            math.exp(-_thickness(n) / decay_length_m)
            * m["crack_rate_V_s"]
            * max(0.0, t_cycle_s(300) - m["crack_onset_s"])
        )

    def interphase(n):
        x = deal_grove_thickness_m(t_cycle_s(300), m["k_m2_s"], m["rho"] * _thickness(n))
        return 2 * j * x / m["sigma_int_S_m"]

    v150 = (PAPER[(150, 300)][0] - m["base_V"] - crack(150) - interphase(150)) / 2
    if v150 <= 0:
        raise ValueError("no room for the lithiated coating at LATP@150 cycle 300")
    sigma_l = j * l150 / v150
    v250 = (PAPER[(250, 300)][0] - m["base_V"] - crack(250) - interphase(250)) / 2
    depth_600 = (v250 - e_hf * l250) / (j / sigma_l - e_hf)
    ratio = depth_600 / l150
    if not ratio > 1:
        raise ValueError("LATP@250 implies a lithiated depth below 15 nm at cycle 300")
    t100, t300 = t_cycle_s(100), t_cycle_s(300)
    tau = brentq(lambda x: math.log1p(t300 / x) / math.log1p(t100 / x) - ratio, 1e-3, 1e12)
    return sigma_l, l150 / math.log1p(t100 / tau), tau


def _model_with_decay(m: dict, decay_length_m: float) -> Seed004Model:
    sigma_l, amp, tau = _al2o3_law(m, decay_length_m)
    return Seed004Model(
        sigma_lithiated_S_m=sigma_l, amplitude_m=amp, time_constant_s=tau,
        decay_length_m=decay_length_m, **m,
    )  # fmt: skip


def _fit_decay_length(m: dict, points: dict[int, float]) -> float:
    """λ (m) minimising Σ ln²(V_model/V_paper) over thin-coating cycle-300 points."""

    def cost(log_lam):
        try:
            model = _model_with_decay(m, math.exp(log_lam))
        except ValueError:
            return 1e6
        return sum(math.log(model.overpotential_V(n, 300) / v) ** 2 for n, v in points.items())

    res = minimize_scalar(cost, bounds=(math.log(0.5e-9), math.log(30e-9)), method="bounded")
    return math.exp(res.x)


def _base(overrides: dict[str, float]) -> dict:
    """Everything but the Al2O3 lithiation law and λ (cheap; depends on the overrides)."""
    o = {a.name: a.value for a in ASSUMED} | dict(overrides)
    j = CURRENT_DENSITY_A_M2
    bulk = j * o["pellet thickness"] / SIGMA_LATP_S_M
    ct = _charge_transfer_V(j, o["exchange current density"])
    base = PAPER[(0, 1)][0]
    contact = (base - bulk - ct) / j
    if contact <= 0:
        raise ValueError("bulk + charge transfer exceed the bare cycle-1 overpotential")
    sigma_li3po4 = j * _thickness(LI3PO4_CYCLES, "Li3PO4") / ((LI3PO4_PAPER[1][0] - base) / 2)
    _, rate, onset = cracking.fit_linear_rise(
        [(t_cycle_s(c), LI3PO4_PAPER[c][0]) for c in (1, 100, 200)]
    )
    e_hf = (PAPER[(150, 1)][0] - base) / 2 / _thickness(150)
    scale = {"hop_distance_m": o["high-field hop distance"], "temperature_K": TEMPERATURE_K}
    j0_hf = highfield.prefactor_from_point_A_m2(j, e_hf, **scale)
    k = parabolic_rate_m2_s(EELS_DEPTH_M[0], SEED004_EELS_TIME_S)
    rho = coating_equivalent_from_depths_m(EELS_DEPTH_M[0], EELS_DEPTH_M[150]) / _thickness(150)
    return {
        "j": j, "base_V": base, "contact_asr_ohm_m2": contact, "bulk_V": bulk,
        "charge_transfer_V": ct, "sigma_li3po4_S_m": sigma_li3po4, "crack_rate_V_s": rate,
        "crack_onset_s": onset,
        "field_hf_V_m": highfield.field_for_current_V_m(j, j0_hf, **scale),
        "hf_prefactor_A_m2": j0_hf, "rho": rho, "k_m2_s": k,
        "sigma_int_S_m": o["interphase ionic sigma"],
    }  # fmt: skip


@lru_cache(maxsize=512)
def _calibrated(items: tuple[tuple[str, float], ...], lambda_points: tuple[int, ...]):
    m = _base(dict(items))
    points = {n: PAPER[(n, 300)][0] for n in lambda_points}
    return _model_with_decay(m, _fit_decay_length(m, points))


def calibrate(overrides: dict[str, float] | None = None, lambda_points=(LAMBDA_FIT_POINT,)):
    """The calibrated :class:`Seed004Model` (module docstring) under assumed-parameter overrides."""
    return _calibrated(tuple(sorted((overrides or {}).items())), tuple(lambda_points))


def calibrate_al2o3() -> dict[str, float]:
    """σ_lithiated (S/m), A (m), τ (s) of ALD Al2O3 and λ (m) from seed 004 (module doc)."""
    m = calibrate()
    return {
        "sigma_lithiated_S_m": m.sigma_lithiated_S_m,
        "amplitude_m": m.amplitude_m,
        "time_constant_s": m.time_constant_s,
        "decay_length_m": m.decay_length_m,
        "depth_at_600h_m": m.lithiated_depth_m(t_cycle_s(300), 1.0),
    }


def _label(n: int) -> str:
    return "bare LATP" if n == 0 else f"LATP@{n}Al2O3"


def _band(value_of: Callable[[Seed004Model], float], judge: Callable[[float], str]):
    return sensitivity_band(model=lambda o: value_of(calibrate(o)), assumed=ASSUMED, judge=judge)


def _voltage_row(n, cycle, paper, record, basis, material="Al2O3", extra=""):
    model = calibrate()
    value = model.overpotential_V(n, cycle, material)
    label = f"LATP@{LI3PO4_CYCLES}Li3PO4" if material == "Li3PO4" else _label(n)
    what = "peak overpotential, cycle 1" if cycle == 1 else f"overpotential, cycle {cycle}"
    note = record + (f"; {extra}" if extra else "")
    band = None
    if basis in ("predicted", "interpolated"):
        band = _band(lambda m: m.overpotential_V(n, cycle, material), lambda v: compare(paper, v))
        note += "; " + band.describe("V")
    return Row(
        quantity=f"{label}: {what}", paper=paper, ssblab=round(value, 3), unit="V", basis=basis,
        status=compare(paper, value), note=note, band=band,
    )  # fmt: skip


def _optimum(model: Seed004Model) -> int:
    coated = {n: model.overpotential_V(n, 300) for n in ALD_CYCLES if n > 0}
    return min(coated, key=coated.get)


def replicate(progress: Callable[[str], None] | None = None) -> Replication:
    """The seed-004 table: every printed overpotential, the optimum, the EELS depths."""
    if progress is not None:
        progress("seed 004: analytic cell model")
    model = calibrate()
    rows: list[Row] = []
    for (n, cycle), (paper, record, basis) in PAPER.items():
        extra = ""
        if (n, cycle) == (0, 300):
            parts = model.parts_V(0, 300)
            extra = (
                "decomposition: "
                + ", ".join(f"{k} {v:.3g} V" for k, v in parts.items())
                + " — cracking (the LATP@175Li3PO4 crack law, same LATP and current) carries "
                "the rise; the interphase (41.6 nm of lithiated NASICON) adds < 1 mV; contact "
                "loss beyond cycle 1 is lumped into the crack law (not separable)"
            )
        elif cycle == 1 and n > 0:
            field = model.field_hf_V_m
            extra = (
                f"high-field hopping at {field / 1e8:.2f} MV/cm (fixed by LATP@150), below the "
                f"{highfield.AL2O3_ALD_BREAKDOWN_FIELD_V_M / 1e8:.1f} MV/cm breakdown of ALD "
                "Al2O3: V ∝ thickness"
            )
        rows.append(_voltage_row(n, cycle, paper, record, basis, extra=extra))
    # optimum and U-shape
    best = _optimum(model)
    loo_best = {k: _optimum(calibrate(lambda_points=(k,))) for k in (25, 50, 100)}
    opt_band = sensitivity_band(
        model=lambda o: float(_optimum(calibrate(o))),
        assumed=ASSUMED,
        judge=lambda v: "reproduced" if v == 150 else "not reproduced",
    )
    rows.append(
        Row(
            quantity="ALD cycles with the lowest overpotential at cycle 300",
            paper=150, ssblab=best, unit="cycles", basis="predicted",
            status="reproduced" if best == 150 else "not reproduced",
            note=(
                "seed 004: 'LATP@150Al2O3 is the best among the six thicknesses'. It follows from "
                "the lithiation law (fitted on 150 and 250) and the breach length λ (fitted on one "
                "thin-coating point); with λ fitted on the 25/50/100-cycle point instead the "
                "optimum is at " + "/".join(str(loo_best[k]) for k in (25, 50, 100))
                + " cycles (λ = "
                + "/".join(f"{calibrate(lambda_points=(k,)).decay_length_m * 1e9:.2f}"
                           for k in (25, 50, 100))
                + " nm); " + opt_band.describe("cycles")
            ),
            band=opt_band,
        )
    )  # fmt: skip
    at_300 = {n: model.overpotential_V(n, 300) for n in ALD_CYCLES}
    values = [at_300[n] for n in ALD_CYCLES if n > 0]
    lowest = min(range(len(values)), key=values.__getitem__)
    falls = trend_status(values[: lowest + 1], "decrease") if lowest > 0 else "not reproduced"
    rises = (
        trend_status(values[lowest:], "increase") if lowest < len(values) - 1 else "not reproduced"
    )
    u_shape = falls == rises == "reproduced" and at_300[0] > values[0]

    def u_value(m: Seed004Model) -> float:
        v = [m.overpotential_V(n, 300) for n in ALD_CYCLES]
        inner = v[1:]
        k = min(range(len(inner)), key=inner.__getitem__)
        ok = (
            0 < k < len(inner) - 1
            and trend_status(inner[: k + 1], "decrease") == "reproduced"
            and trend_status(inner[k:], "increase") == "reproduced"
            and v[0] > inner[0]
        )
        return 1.0 if ok else 0.0

    u_band = sensitivity_band(
        model=lambda o: u_value(calibrate(o)), assumed=ASSUMED,
        judge=lambda v: "reproduced" if v == 1.0 else "not reproduced",
    )  # fmt: skip
    rows.append(
        Row(
            quantity="overpotential at cycle 300 vs ALD cycles: falls, then rises (U-shape)",
            paper="3.5 > 2.25 > 2 > 1.5 > 0.9 < 2 < 5 V",
            ssblab=" ".join(f"{at_300[n]:.2f}" for n in ALD_CYCLES) + " V",
            unit="V", basis="predicted",
            status="reproduced" if u_shape else "not reproduced",
            note=(
                "too thin: Li breaches the film (exp(−L/λ)) and cracks the LATP; too thick: the "
                "lithiation front stalls and the unlithiated remainder conducts by high-field "
                "hopping; strict ≥ 10 % trends on each side; " + u_band.describe()
            ),
            band=u_band,
        )
    )  # fmt: skip
    for cycle, (paper, record, basis) in LI3PO4_PAPER.items():
        extra = ""
        if cycle > 1:
            extra = (
                "rise = cracks in the bulk LATP from Li-ion migration into its grain boundaries "
                "(seed 004 Figure 3c and ref. 51); Ti reduction is suppressed under Li3PO4 "
                "(HE-XPS), so no interphase term; crack law fitted on cycles 100 and 200"
            )
        rows.append(_voltage_row(LI3PO4_CYCLES, cycle, paper, record, basis, "Li3PO4", extra))
    for n, paper_depth in EELS_DEPTH_M.items():
        depth = model.interphase_m(t_cycle_s(100) + HOUR, n)
        rows.append(
            Row(
                quantity=f"{_label(n)}: Ti3+ interphase depth after 100 cycles (EELS)",
                paper=paper_depth * 1e9, ssblab=round(depth * 1e9, 2), unit="nm",
                basis="fitted", status=compare(paper_depth, depth),
                note=(
                    "s004-eels-bare-ti3-depth: the parabolic rate k is derived from it"
                    if n == 0
                    else "s004-eels-al150-ti3-depth: fixes the Deal-Grove supply through the "
                    f"coating, x_c = {model.rho * _thickness(150) * 1e9:.1f} nm for 15 nm "
                    f"(σ_c/σ_int = {1 / model.rho:.2f}); one point, so a fit, not a test (the "
                    "√(pinhole fraction) model gave 1.19 nm)"
                ),
            )
        )  # fmt: skip
    h_c = cracking.critical_depth_m()
    fitted = (
        fitted_parameter("Li|LATP contact ASR (both faces)", model.contact_asr_ohm_m2, "ohm m^2",
                         "s004-ovp-bare-c1 (0.1 V) minus bulk and charge transfer"),
        fitted_parameter("Li3PO4 film sigma (apparent)", model.sigma_li3po4_S_m, "S/m",
                         "s004-ovp-li3po4-c1 (0.3 V vs 0.1 V bare)"),
        fitted_parameter("crack ASR growth rate r_c·j", model.crack_rate_V_s * HOUR, "V/h",
                         "s004-ovp-li3po4-c100 and -c200 (0.8, 2.4 V)"),
        fitted_parameter("crack onset t_on", model.crack_onset_s / HOUR, "h",
                         "s004-ovp-li3po4-c1/-c100/-c200",
                         note=f"Griffith depth h_c = {h_c * 1e9:.0f} nm (K_Ic 1.1 MPa√m, E 115 "
                         "GPa cited; ν, ε assumed) implies D_gb = "
                         f"{cracking.ingress_diffusivity_m2_s(h_c, model.crack_onset_s):.2e} m²/s"),
        fitted_parameter("Al2O3 high-field field at 0.01 mA/cm^2", model.field_hf_V_m, "V/m",
                         "s004-ovp-al150-c1 (10 V)"),
        fitted_parameter("Al2O3 sigma_lithiated", model.sigma_lithiated_S_m, "S/m",
                         "s004-ovp-al150-c300 (0.9 V)"),
        fitted_parameter("Al2O3 lithiation amplitude A", model.amplitude_m, "m",
                         "s004-ovp-al150-c100 (through by cycle 100) and s004-ovp-al250"),
        fitted_parameter("Al2O3 lithiation time constant tau", model.time_constant_s, "s",
                         "s004-ovp-al150-c100 and s004-ovp-al250 (with A)"),
        fitted_parameter("Al2O3 breach decay length lambda", model.decay_length_m, "m",
                         f"s004-ovp-al{LAMBDA_FIT_POINT}-c300 (2 V)"),
        fitted_parameter("Deal-Grove ratio x_c/L_c of lithiated Al2O3", model.rho, "",
                         "s004-eels-al150-ti3-depth (16 nm)"),
        fitted_parameter("LATP Ti3+ interphase parabolic rate k", model.k_m2_s, "m^2/s",
                         "s004-eels-bare-ti3-depth (24 nm after 200 h)"),
    )  # fmt: skip
    loo = (
        leave_one_out(
            "crack law (r_c, t_on) on LATP@175Li3PO4 cycles 100/200/300 (V0 = cycle 1)",
            [(c, LI3PO4_PAPER[c][0]) for c in (100, 200, 300)],
            _loo_crack,
            "V",
        ),
        leave_one_out(
            "breach decay length λ on the thin-coating cycle-300 points",
            [(n, PAPER[(n, 300)][0]) for n in (25, 50, 100)],
            lambda kept, held: calibrate(lambda_points=tuple(k for k, _ in kept)).overpotential_V(
                held, 300
            ),
            "V",
        ),
        leave_one_out(
            "Al2O3 lithiation law (σ_lith, A, τ): three conditions, three parameters",
            [("LATP@150 c300 + c100 + LATP@250 c300", 0.9)],
            None,
        ),
        leave_one_out("contact ASR on bare cycle 1", [("bare c1", 0.1)], None),
        leave_one_out("Li3PO4 film σ on its cycle 1", [("Li3PO4 c1", 0.3)], None),
        leave_one_out("high-field field on LATP@150 cycle 1", [("LATP@150 c1", 10.0)], None),
        leave_one_out("Deal-Grove x_c on the 16-nm EELS depth", [("EELS 150", 16.0)], None),
    )
    notes = (
        "analytic cell model (module docstring of ssblab.replicate.seed004); overpotential of "
        "cycle N at mid-cycle (2N−1) h, cycle 1 = the initial peak (no lithiation yet)",
        f"Griffith critical depth of the Li-expanded LATP layer h_c = {h_c * 1e9:.0f} nm "
        "(K_Ic = 1.1 MPa√m, E = 115 GPa: Jackman & Cutler 2012; ν = 0.25 and ε = 1 % assumed)",
        "cycle-1 fields "
        + ", ".join(f"{n}: {model.field_hf_V_m / 1e8:.2f} MV/cm" for n in (25, 50, 100, 150))
        + f" — all below the {highfield.AL2O3_ALD_BREAKDOWN_FIELD_V_M / 1e8:.1f} MV/cm "
        "breakdown of ALD Al2O3 (Sci. Rep. 2022): no breakdown in any cell",
        "the models.simulator path (pinhole-fed interphase, λ = 2.5 nm assumed) is no longer used "
        "for this table",
    )
    return Replication(
        seed="004",
        title="Li | ALD coating | LATP symmetric cells: overpotential vs ALD cycles and time",
        rows=tuple(rows), fitted_parameters=fitted, notes=notes, leave_one_out=loo,
    )  # fmt: skip


def _loo_crack(kept, held) -> float:
    pts = [(t_cycle_s(1), LI3PO4_PAPER[1][0])] + [(t_cycle_s(c), v) for c, v in kept]
    v0, rate, onset = cracking.fit_linear_rise(pts)
    return v0 + rate * max(0.0, t_cycle_s(held) - onset)
