"""Stripping voids at a Li | solid-electrolyte interface: transient vacancy diffusion + creep.

**Picture** (seed 003 §2.4; Krauskopf et al., ACS Appl. Mater. Interfaces 11 (2019) 14463, seed
003 ref. [57]; Kasemchainan et al., Nat. Mater. 18 (2019) 1105). Stripping leaves Li vacancies in
the Li metal at the contacting area; they diffuse into the bulk; creep of Li under the stack
pressure refills the interface; when the interfacial vacancy excess reaches a critical
supersaturation, voids nucleate and the contact is lost.

**Void onset** (:func:`void_onset_time_s`). Semi-infinite Li, constant vacancy injection at the
contacting fraction f of the interface: u = (j/f)·V_m/F − v_c (m/s, site-fraction flux),
∂x/∂t = D_v ∂²x/∂z², −D_v ∂x/∂z|₀ = u. The surface excess is Δx(0, t) = 2u·sqrt(t/(π D_v))
(Carslaw & Jaeger, *Conduction of Heat in Solids*, 2nd ed. 1959, §2.9), so voids start at

    t_void = π D_v Δx_c² / (4 u²) = Π(T)/u²,     Δx_c = s·x_v,eq(T)

the Sand form t ∝ (c_crit·√D/j)². D_v = D_self/(f_c·x_v,eq) (vacancy mechanism), x_v,eq =
exp(S_f/k_B − E_f/k_B T). Then Π = π s² x_v,eq D_self/(4 f_c): its activation energy is
E_f + Q_D, and the CCD's is (E_f + Q_D)/2.

**Protocol** (:func:`stripping_ccd`): with step time t_s, j* = f·(F/V_m)·[v_c + sqrt(Π/t_s)];
with capacity Q per step, the root of Π·(F f/V_m)² = (Q/j)(j − j_c)². The long-time limit is
the creep part alone, j_c = f·F·v_c/V_m.

**Creep refill** (:func:`creep_refill_velocity_m_s`): v_c = λ·ε̇(p, T; ℓ = λ) with the Li
power-law creep of :mod:`ssblab.models.creep` (n = 6.6, Q = 37 kJ/mol, LePage et al. 2019;
Masias et al. 2019) at the size λ = 1/√η of the SSE's summit spacing
(:mod:`ssblab.models.roughness`), size effect included (Xu et al. 2017). The contact fraction f
is the rough contact of :func:`ssblab.models.roughness.rough_contact` unless given.

**Parameters** (``LiAnodeParameters``):

* D_ref = 5.6e-15 m²/s at 25 °C, Q_D = 0.55 eV: Li self-diffusion (tracer, Lodding, Mundy & Ott,
  Phys. Status Solidi 38 (1970) 559; NMR, Messer & Noack, Appl. Phys. 6 (1975) 79), as quoted
  in the void literature (5e-11…1e-10 cm²/s, 0.5–0.57 eV); not re-checked against the originals.
* E_f = 0.5 eV, S_f = 1 k_B: vacancy formation in Li — **assumed** (DFT/thermal-expansion values
  for Li lie around 0.4–0.55 eV; not checked here). Only E_f enters the T dependence.
* f_c = 0.7272: tracer correlation factor of the bcc vacancy mechanism (Compaan & Haven, Trans.
  Faraday Soc. 52 (1956) 786).
* s = 268: critical vacancy supersaturation, **fitted** on seed 003's 50 µA/cm² at 30 °C with
  0.5-h steps on a wetted (f = 1) interface (``ssblab.replicate.seed003``); the only fit.
* h (void depth, ``void_depth_m`` of the callers): the depth of the voids the contact loss
  opens after onset (:func:`contact_evolution`), from the parameter sets.

**After onset** (:func:`contact_evolution`, the cell simulator's time domain): the interface
stays at Δx_c, vacancies leave at q(t) = Δx_c·sqrt(D_v/(π t)) plus creep v_c, and the rest of
the stripped volume opens voids: df/dt = −[j·V_m/F − f·(v_c + q)]/h.

**Validity:** solid Li (T < 453.65 K); semi-infinite Li (thickness ≫ sqrt(D_v·t)); one step
from a relaxed state (no memory between steps); no void growth after onset; alloy anodes
(seed 003: Li–Mg) are limited by chemical diffusion in the alloy instead.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from ssblab.errors import SsblabInputError
from ssblab.models import creep
from ssblab.models import roughness as rough
from ssblab.models.constriction import _non_negative, _positive
from ssblab.models.dendrite import LI_MOLAR_VOLUME_M3_MOL

FARADAY_C_MOL = 96485.33212  # C/mol (CODATA 2018)
GAS_CONSTANT_J_MOL_K = 8.314462618  # J/(mol K) (CODATA 2018)
K_B_EV = 8.617333262e-5  # eV/K (CODATA 2018)
#: Melting point of Li, K (180.5 °C, CRC Handbook).
LI_MELTING_POINT_K = 453.65
#: Default step time of a stripping step, s (0.5 h, the laboratory step of issue 11).
DEFAULT_STEP_TIME_S = 1800.0
_GRID = 2001  # quadrature points of the post-onset contact evolution
#: Critical vacancy supersaturation s = Δx_c/x_v,eq: **fitted** on seed 003's 50 µA/cm² at
#: 30 °C with 0.5-h steps, f = 1 (``ssblab.replicate.seed003.calibrate_supersaturation``).
CRITICAL_SUPERSATURATION = 268.0


@dataclass(frozen=True)
class LiAnodeParameters:
    """Transport and creep parameters of Li metal (SI); see the module docstring for sources."""

    self_diffusivity_ref_m2_s: float = 5.6e-15
    diffusion_activation_eV: float = 0.55
    reference_temperature_K: float = 298.15
    molar_volume_m3_mol: float = LI_MOLAR_VOLUME_M3_MOL
    vacancy_formation_eV: float = 0.5
    vacancy_formation_entropy_kB: float = 1.0
    correlation_factor: float = 0.7272
    critical_supersaturation: float = CRITICAL_SUPERSATURATION

    def __post_init__(self) -> None:
        for name in (
            "self_diffusivity_ref_m2_s",
            "reference_temperature_K",
            "molar_volume_m3_mol",
            "correlation_factor",
            "critical_supersaturation",
        ):
            _positive(getattr(self, name), "", name)
        for name in ("diffusion_activation_eV", "vacancy_formation_eV"):
            _non_negative(getattr(self, name), "", name)


DEFAULT_PARAMETERS = LiAnodeParameters()


def _temperature(temperature_K) -> float:
    t = _positive(temperature_K, "K", "temperature_K")
    if t >= LI_MELTING_POINT_K:
        raise SsblabInputError(
            f"temperature_K must be below the melting point of Li ({LI_MELTING_POINT_K} K), got {t}"
        )
    return t


def li_self_diffusivity_m2_s(temperature_K, params: LiAnodeParameters = DEFAULT_PARAMETERS):
    """D(T) = D_ref·exp[−Q_D/k_B·(1/T − 1/T_ref)] in m²/s (solid Li)."""
    t = _temperature(temperature_K)
    x = params.diffusion_activation_eV / K_B_EV * (1.0 / t - 1.0 / params.reference_temperature_K)
    return params.self_diffusivity_ref_m2_s * math.exp(-x)


def stripping_velocity_m_s(current_density_A_m2, molar_volume_m3_mol=LI_MOLAR_VOLUME_M3_MOL):
    """Recession velocity of the Li surface, v = j·V_m/F (m/s)."""
    j = _non_negative(current_density_A_m2, "A/m^2", "current_density_A_m2")
    vm = _positive(molar_volume_m3_mol, "m^3/mol", "molar_volume_m3_mol")
    return j * vm / FARADAY_C_MOL


@dataclass(frozen=True)
class StrippingLimit:
    """Stripping CCD and its parts (A/m²) at one stack pressure, temperature and step time."""

    stack_pressure_Pa: float
    temperature_K: float
    contact_fraction: float
    self_diffusivity_m2_s: float
    diffusion_part_A_m2: float
    creep_part_A_m2: float
    ccd_A_m2: float
    limiting: str
    step_time_s: float = math.inf
    void_onset_parameter_m2_s: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


def equilibrium_vacancy_fraction(temperature_K, params: LiAnodeParameters = DEFAULT_PARAMETERS):
    """x_v,eq = exp(S_f/k_B)·exp(−E_f/(k_B T)), site fraction of vacancies in Li."""
    t = _temperature(temperature_K)
    return math.exp(params.vacancy_formation_entropy_kB) * math.exp(
        -params.vacancy_formation_eV / (K_B_EV * t)
    )


def vacancy_diffusivity_m2_s(temperature_K, params: LiAnodeParameters = DEFAULT_PARAMETERS):
    """D_v = D_self/(f_c·x_v,eq) (vacancy mechanism, f_c the bcc correlation factor), m²/s."""
    return li_self_diffusivity_m2_s(temperature_K, params) / (
        params.correlation_factor * equilibrium_vacancy_fraction(temperature_K, params)
    )


def void_onset_parameter_m2_s(temperature_K, params: LiAnodeParameters = DEFAULT_PARAMETERS):
    """Π = π·D_v·Δx_c²/4 (m²/s), Δx_c = s·x_v,eq: t_void = Π/u² for a net injection velocity u."""
    dx = params.critical_supersaturation * equilibrium_vacancy_fraction(temperature_K, params)
    return math.pi * vacancy_diffusivity_m2_s(temperature_K, params) * dx * dx / 4.0


def _contact(contact_fraction, stack_pressure_Pa, temperature_K, roughness, hold_time_s):
    if contact_fraction is not None:
        f = _non_negative(contact_fraction, "", "contact_fraction")
        if f > 1.0:
            raise SsblabInputError(f"contact_fraction must be in [0, 1], got {f}")
        return f
    p = _non_negative(stack_pressure_Pa, "Pa", "stack_pressure_Pa")
    return rough.contact_fraction(p, temperature_K, hold_time_s=hold_time_s, roughness=roughness)


def creep_refill_velocity_m_s(
    stack_pressure_Pa,
    temperature_K,
    *,
    roughness: rough.SurfaceRoughness = rough.DEFAULT_ROUGHNESS,
    creep_params: creep.CreepParameters = creep.DEFAULT_CREEP,
) -> float:
    """v_c = λ·ε̇(σ = p, T; ℓ = λ) in m/s: Li creeping under the stack pressure into interfacial
    voids of the size λ of the SSE's summit spacing (:mod:`ssblab.models.creep`, size effect
    included)."""
    p = _non_negative(stack_pressure_Pa, "Pa", "stack_pressure_Pa")
    lam = roughness.spacing_m
    rate = creep.strain_rate_per_s(p, _temperature(temperature_K), size_m=lam, params=creep_params)
    return lam * rate


def void_onset_time_s(
    current_density_A_m2,
    stack_pressure_Pa,
    temperature_K,
    *,
    contact_fraction=None,
    params: LiAnodeParameters = DEFAULT_PARAMETERS,
    roughness: rough.SurfaceRoughness = rough.DEFAULT_ROUGHNESS,
    hold_time_s=rough.DEFAULT_HOLD_TIME_S,
    creep_params: creep.CreepParameters = creep.DEFAULT_CREEP,
) -> float:
    """Time (s) at which galvanostatic stripping at j first nucleates voids.

    Semi-infinite Li, vacancies injected at the contacting area at u = (j/f)·V_m/F − v_c (creep
    refill v_c removes them): the surface excess Δx(0, t) = 2u·sqrt(t/(π D_v)) reaches
    Δx_c = s·x_v,eq at t_void = π D_v Δx_c²/(4u²) (Sand form). ``inf`` when u ≤ 0.
    """
    j = _non_negative(current_density_A_m2, "A/m^2", "current_density_A_m2")
    t = _temperature(temperature_K)
    f = _contact(contact_fraction, stack_pressure_Pa, t, roughness, hold_time_s)
    if f == 0.0:
        return 0.0
    v_c = creep_refill_velocity_m_s(
        stack_pressure_Pa, t, roughness=roughness, creep_params=creep_params
    )
    u = j / f * params.molar_volume_m3_mol / FARADAY_C_MOL - v_c
    if u <= 0:
        return math.inf
    return void_onset_parameter_m2_s(t, params) / (u * u)


def stripping_ccd(
    stack_pressure_Pa,
    temperature_K,
    *,
    contact_fraction=None,
    params: LiAnodeParameters = DEFAULT_PARAMETERS,
    step_time_s=DEFAULT_STEP_TIME_S,
    step_capacity_C_m2=None,
    roughness: rough.SurfaceRoughness = rough.DEFAULT_ROUGHNESS,
    hold_time_s=rough.DEFAULT_HOLD_TIME_S,
    creep_params: creep.CreepParameters = creep.DEFAULT_CREEP,
) -> StrippingLimit:
    """Critical stripping current of a protocol: the largest j whose void onset time is at least
    one step.

    Fixed step time t_s: j* = f·(F/V_m)·[v_c + sqrt(Π/t_s)] (diffusion + creep parts).
    Fixed capacity Q per step (t_s = Q/j): j* solves Π·(F f/V_m)² = (Q/j)·(j − j_c)² with
    j_c = f·F·v_c/V_m, i.e. j* = j_c + (Π F²f²/(2 V_m² Q))·(1 + sqrt(1 + 4 j_c V_m² Q/(Π F² f²))).
    ``step_time_s=math.inf`` is the long-time limit j_c (creep only). f: ``contact_fraction``
    or the rough contact at p (:func:`ssblab.models.roughness.rough_contact`).
    """
    p = _non_negative(stack_pressure_Pa, "Pa", "stack_pressure_Pa")
    t = _temperature(temperature_K)
    f = _contact(contact_fraction, p, t, roughness, hold_time_s)
    to_current = FARADAY_C_MOL / params.molar_volume_m3_mol
    v_c = creep_refill_velocity_m_s(p, t, roughness=roughness, creep_params=creep_params)
    j_c = f * v_c * to_current
    pi_ = void_onset_parameter_m2_s(t, params)
    if step_capacity_C_m2 is not None:
        q = _positive(step_capacity_C_m2, "C/m^2", "step_capacity_C_m2")
        k = pi_ * (to_current * f) ** 2 / q  # A/m²
        total = j_c + 0.5 * k * (1.0 + math.sqrt(1.0 + 4.0 * j_c / k)) if k > 0 else j_c
        step = q / total if total > 0 else math.inf
    else:
        step = _positive(step_time_s, "s", "step_time_s")
        total = j_c + f * to_current * math.sqrt(pi_ / step)
    j_d = total - j_c
    return StrippingLimit(
        stack_pressure_Pa=p,
        temperature_K=t,
        contact_fraction=f,
        self_diffusivity_m2_s=li_self_diffusivity_m2_s(t, params),
        diffusion_part_A_m2=j_d,
        creep_part_A_m2=j_c,
        ccd_A_m2=total,
        limiting="diffusion" if j_d >= j_c else "creep",
        step_time_s=step,
        void_onset_parameter_m2_s=pi_,
    )


def stripping_ccd_A_m2(stack_pressure_Pa, temperature_K, **kwargs) -> float:
    """Shortcut for ``stripping_ccd(...).ccd_A_m2``."""
    return stripping_ccd(stack_pressure_Pa, temperature_K, **kwargs).ccd_A_m2


@dataclass(frozen=True)
class ContactEvolution:
    """Contact fraction during one galvanostatic stripping step (:func:`contact_evolution`).

    ``onset_s``: void onset time (inf when the step never nucleates voids); ``time_to_loss_s``:
    when the contact reaches 0 (inf if it does not within the given times)."""

    times_s: tuple[float, ...]
    contact_fraction: tuple[float, ...]
    onset_s: float
    time_to_loss_s: float

    def to_dict(self) -> dict:
        return asdict(self)


def contact_evolution(
    current_density_A_m2,
    times_s,
    stack_pressure_Pa,
    temperature_K,
    void_depth_m,
    *,
    contact_fraction,
    params: LiAnodeParameters = DEFAULT_PARAMETERS,
    roughness: rough.SurfaceRoughness = rough.DEFAULT_ROUGHNESS,
    creep_params: creep.CreepParameters = creep.DEFAULT_CREEP,
) -> ContactEvolution:
    """f(t) during a stripping step that starts at contact f₀ (times from the step start).

    Before the void onset t_on = Π/u² (:func:`void_onset_time_s`, u = (j/f₀)·V_m/F − v_c) the
    contact holds. After it the interface stays at the critical supersaturation Δx_c, so the
    vacancies leave into the Li by diffusion at q(t) = Δx_c·sqrt(D_v/(π t)) (the flux of a
    semi-infinite solid held at a fixed surface excess, Carslaw & Jaeger §2.5) and by creep
    refill v_c; the rest of the stripped volume a = j·V_m/F opens voids of depth h:

        df/dt = −[a − f·(v_c + q(t))]/h  for t > t_on,  f ≥ 0.

    At t_on, q = (2/π)·u < u, so voids grow from the onset on (the same Sand physics as the
    onset: no fitted diffusion length). The ODE is linear in f and solved in closed form up
    to one quadrature (trapezoid rule on a grid uniform in √t); f = 0 is absorbing.
    Validity: as the module docstring; h is the void depth of the parameter set (the volume
    per unit lost contact area).
    """
    j = _non_negative(current_density_A_m2, "A/m^2", "current_density_A_m2")
    h = _positive(void_depth_m, "m", "void_depth_m")
    t_k = _temperature(temperature_K)
    f0 = _non_negative(contact_fraction, "", "contact_fraction")
    times = np.asarray(times_s, dtype=float)
    if times.ndim != 1 or not np.all(np.isfinite(times)) or np.any(times < 0):
        raise SsblabInputError("times_s must be a 1-D array of finite times >= 0")
    if f0 == 0.0:
        return ContactEvolution(tuple(map(float, times)), (0.0,) * times.size, 0.0, 0.0)
    v_c = creep_refill_velocity_m_s(
        stack_pressure_Pa, t_k, roughness=roughness, creep_params=creep_params
    )
    a = j * params.molar_volume_m3_mol / FARADAY_C_MOL
    u = a / f0 - v_c
    onset = math.inf if u <= 0 else void_onset_parameter_m2_s(t_k, params) / (u * u)
    f = np.full(times.size, f0)
    t_end = float(times.max(initial=0.0))
    if onset >= t_end:
        return ContactEvolution(tuple(map(float, times)), tuple(map(float, f)), onset, math.inf)
    dx_c = params.critical_supersaturation * equilibrium_vacancy_fraction(t_k, params)
    c = dx_c * math.sqrt(vacancy_diffusivity_m2_s(t_k, params) / math.pi)
    # the ODE is linear in f: f(t) = e^{G(t)}·[f₀ − (a/h)∫_{t_on}^{t} e^{−G(s)} ds] with
    # G(t) = [v_c (t − t_on) + 2c(√t − √t_on)]/h; the integral by the trapezoid rule on a grid
    # uniform in √t (where the integrand is smooth), _GRID points
    root = np.linspace(math.sqrt(onset), math.sqrt(t_end), _GRID)
    grid = root * root
    g = (v_c * (grid - onset) + 2.0 * c * (root - root[0])) / h
    decay = np.exp(-g)
    integral = np.concatenate([[0.0], np.cumsum(0.5 * (decay[1:] + decay[:-1]) * np.diff(grid))])
    f_grid = np.exp(g) * (f0 - a / h * integral)
    below = np.flatnonzero(f_grid <= 0.0)
    lost = math.inf
    if below.size:
        k = int(below[0])  # first grid point at or below 0: interpolate the crossing
        t0, t1, y0, y1 = grid[k - 1], grid[k], f_grid[k - 1], f_grid[k]
        lost = float(t0 + (t1 - t0) * y0 / (y0 - y1)) if y0 > 0 else float(t0)
        f_grid[k:] = 0.0
    after = times > onset
    f[after] = np.interp(times[after], grid, np.clip(f_grid, 0.0, f0))
    if math.isfinite(lost):
        f[times >= lost] = 0.0
    return ContactEvolution(tuple(map(float, times)), tuple(map(float, f)), onset, lost)
