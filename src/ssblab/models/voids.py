"""Stripping-induced voids at a Li | solid-electrolyte interface: supply vs demand of Li.

**Picture** (seed 003 §2.4; Krauskopf et al., ACS Appl. Mater. Interfaces 11 (2019) 14463, seed
003 ref. [57]; Kasemchainan et al., Nat. Mater. 18 (2019) 1105). Stripping removes Li from the
interface and leaves vacancies in the Li metal. If vacancy diffusion into the bulk (equivalently
Li self-diffusion towards the interface) plus creep of Li under the stack pressure cannot keep up
with the stripping flux, vacancies coalesce into voids, the contact area falls and the resistance
rises; beyond a critical stripping current the interface degrades (and dendrites follow on plating,
Kasemchainan et al.).

**Demand.** The stripping flux J = j/F (mol m⁻² s⁻¹) recedes the Li surface at
v_strip = j·V_m/F (m/s), V_m = 13.0 cm³/mol the molar volume of Li (``LI_MOLAR_VOLUME_M3_MOL``).

**Supply** (per apparent area, m/s):

* diffusion through the contacting fraction f of the interface: f·D(T)/L, with
  D(T) = D_ref·exp[−Q_D/k_B·(1/T − 1/T_ref)] the Li self-diffusivity and L a diffusion length;
* creep under the stack pressure p, power law in p with the temperature dependence of Li creep:
  v_c = (j_c,ref·V_m/F)·(p/p_ref)^n·exp[−Q_c/R·(1/T − 1/T_ref)].

Stripping CCD: j* = (F/V_m)·(f·D/L + v_c) = f·j_D(T) + j_c(p, T). Contact-loss rate when
j > j*: df/dt = −(v_strip − f·D/L − v_c)/h, h a void depth (voids spread laterally at depth h);
the closed-form solution is :func:`contact_evolution`. f defaults to the plastic contact fraction
min(1, p/H) of :mod:`ssblab.models.constriction` (H = 5 MPa); pass ``contact_fraction`` for a
wetted interface (f ≈ 1 at any pressure after a heat treatment).

**Parameters** (``LiAnodeParameters``; each can be replaced):

* D_ref = 5.6e-15 m²/s (5.6e-11 cm²/s) at 25 °C and Q_D = 0.55 eV: Li self-diffusion from tracer
  (Lodding, Mundy & Ott, Phys. Status Solidi 38 (1970) 559) and NMR (Messer & Noack, Appl. Phys.
  6 (1975) 79) studies as quoted in the void-formation literature (≈ 5e-11 to 1e-10 cm²/s at room
  temperature, Q ≈ 0.5–0.57 eV). **Uncertain**: we could not check the originals; we take the low
  end of D (the conservative choice: lower predicted CCD).
* L = 100 µm: a phenomenological diffusion length, **calibrated, not measured** — it puts the
  full-contact diffusion-limited CCD at 0.042 mA/cm² at 25 °C and 0.059 mA/cm² at 30 °C, the order
  of the ~50 µA/cm² garnet CCD at 30 °C in seed 003 (Sharafi et al., J. Power Sources 302 (2016)
  135, ref. [59]). With Q_D = 0.55 eV the same L gives 33 mA/cm² at 160 °C against the 14 mA/cm²
  printed there (a factor 2.3; the seed's two points imply ≈ 0.49 eV). ``ssblab replicate 003``
  refits L = 118 µm on the 30 °C point exactly, which gives 27.7 mA/cm² at 160 °C (a factor 2).
* n = 6.6: power-law creep stress exponent of Li at room temperature (LePage et al., J.
  Electrochem. Soc. 166 (2019) A89, doi:10.1149/2.0221902jes; Masias et al., J. Mater. Sci. 54
  (2019) 2585, doi:10.1007/s10853-018-2971-3, report 6.56; the references are checked, the
  numbers are as we recall them).
  Q_c = 37 kJ/mol: creep activation energy from LePage et al. Both **as we recall them; not
  re-checked** against the papers (not available here).
* Creep anchor j_c,ref = 10 mA/cm² at p_ref = 1 GPa and 25 °C: seed 003 ("high pressures in GPa
  range are expected to achieve stable current densities ranging to 10 mA cm⁻²"). Bulk creep tests
  (flow stresses of order 1 MPa; Masias et al. report yield strengths below 1 MPa) would put it at
  a few MPa if the stack pressure acted as the flow stress; the seed's GPa figure implies that the
  deviatoric stress reaching interfacial voids is a small fraction of the stack pressure (the
  confined Li is loaded nearly hydrostatically). The anchor is therefore the seed's, not a bulk
  creep law; re-anchor it to your own data (e.g. Kasemchainan et al.'s critical stripping currents
  at 3–7 MPa). With n = 6.6 the creep term is negligible below ~100 MPa: at practical pressures
  the model is diffusion-limited and pressure acts through the contact fraction f = p/H.

**Validity:** solid Li (T < 453.65 K, the melting point of Li, CRC Handbook); p ≥ 0; one-
dimensional, order-of-magnitude supply/demand model — no void nucleation barrier, no void healing
on plating, no current-constriction feedback beyond f. Alloy anodes (seed 003: Li–Mg) are
limited by chemical diffusion in the alloy instead.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from ssblab.errors import SsblabInputError
from ssblab.models.constriction import LI_HARDNESS_PA, _non_negative, _positive
from ssblab.models.dendrite import LI_MOLAR_VOLUME_M3_MOL

FARADAY_C_MOL = 96485.33212  # C/mol (CODATA 2018)
GAS_CONSTANT_J_MOL_K = 8.314462618  # J/(mol K) (CODATA 2018)
K_B_EV = 8.617333262e-5  # eV/K (CODATA 2018)
#: Melting point of Li, K (180.5 °C, CRC Handbook).
LI_MELTING_POINT_K = 453.65


@dataclass(frozen=True)
class LiAnodeParameters:
    """Transport and creep parameters of Li metal (SI); see the module docstring for sources."""

    self_diffusivity_ref_m2_s: float = 5.6e-15
    diffusion_activation_eV: float = 0.55
    diffusion_length_m: float = 100e-6
    creep_stress_exponent: float = 6.6
    creep_activation_J_mol: float = 37e3
    creep_reference_pressure_Pa: float = 1e9
    creep_reference_current_A_m2: float = 100.0
    reference_temperature_K: float = 298.15
    hardness_Pa: float = LI_HARDNESS_PA
    molar_volume_m3_mol: float = LI_MOLAR_VOLUME_M3_MOL

    def __post_init__(self) -> None:
        for name in (
            "self_diffusivity_ref_m2_s",
            "diffusion_length_m",
            "creep_stress_exponent",
            "creep_reference_pressure_Pa",
            "reference_temperature_K",
            "hardness_Pa",
            "molar_volume_m3_mol",
        ):
            _positive(getattr(self, name), "", name)
        for name in ("diffusion_activation_eV", "creep_activation_J_mol"):
            _non_negative(getattr(self, name), "", name)
        _non_negative(self.creep_reference_current_A_m2, "", "creep_reference_current_A_m2")


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


def diffusion_supply_velocity_m_s(temperature_K, params: LiAnodeParameters = DEFAULT_PARAMETERS):
    """Diffusion supply at full contact, D(T)/L (m/s)."""
    return li_self_diffusivity_m2_s(temperature_K, params) / params.diffusion_length_m


def creep_supply_velocity_m_s(
    stack_pressure_Pa, temperature_K, params: LiAnodeParameters = DEFAULT_PARAMETERS
) -> float:
    """Creep supply (j_c,ref·V_m/F)·(p/p_ref)^n·exp[−Q_c/R·(1/T − 1/T_ref)] (m/s)."""
    p = _non_negative(stack_pressure_Pa, "Pa", "stack_pressure_Pa")
    t = _temperature(temperature_K)
    arrhenius = math.exp(
        -params.creep_activation_J_mol
        / GAS_CONSTANT_J_MOL_K
        * (1.0 / t - 1.0 / params.reference_temperature_K)
    )
    v_ref = params.creep_reference_current_A_m2 * params.molar_volume_m3_mol / FARADAY_C_MOL
    return (
        v_ref * (p / params.creep_reference_pressure_Pa) ** params.creep_stress_exponent * arrhenius
    )


def _fraction(contact_fraction, stack_pressure_Pa, params: LiAnodeParameters) -> float:
    if contact_fraction is None:
        p = _non_negative(stack_pressure_Pa, "Pa", "stack_pressure_Pa")
        return min(p / params.hardness_Pa, 1.0)
    f = _non_negative(contact_fraction, "", "contact_fraction")
    if f > 1.0:
        raise SsblabInputError(f"contact_fraction must be in [0, 1], got {f}")
    return f


@dataclass(frozen=True)
class StrippingLimit:
    """Stripping CCD and its parts (A/m²) at one stack pressure and temperature."""

    stack_pressure_Pa: float
    temperature_K: float
    contact_fraction: float
    self_diffusivity_m2_s: float
    diffusion_part_A_m2: float
    creep_part_A_m2: float
    ccd_A_m2: float
    limiting: str

    def to_dict(self) -> dict:
        return asdict(self)


def stripping_ccd(
    stack_pressure_Pa,
    temperature_K,
    *,
    contact_fraction=None,
    params: LiAnodeParameters = DEFAULT_PARAMETERS,
) -> StrippingLimit:
    """Critical stripping current density j* = f·(F/V_m)·D/L + j_c(p, T)."""
    p = _non_negative(stack_pressure_Pa, "Pa", "stack_pressure_Pa")
    t = _temperature(temperature_K)
    f = _fraction(contact_fraction, p, params)
    to_current = FARADAY_C_MOL / params.molar_volume_m3_mol
    j_d = f * diffusion_supply_velocity_m_s(t, params) * to_current
    j_c = creep_supply_velocity_m_s(p, t, params) * to_current
    return StrippingLimit(
        stack_pressure_Pa=p,
        temperature_K=t,
        contact_fraction=f,
        self_diffusivity_m2_s=li_self_diffusivity_m2_s(t, params),
        diffusion_part_A_m2=j_d,
        creep_part_A_m2=j_c,
        ccd_A_m2=j_d + j_c,
        limiting="diffusion" if j_d >= j_c else "creep",
    )


def stripping_ccd_A_m2(stack_pressure_Pa, temperature_K, **kwargs) -> float:
    """Shortcut for ``stripping_ccd(...).ccd_A_m2``."""
    return stripping_ccd(stack_pressure_Pa, temperature_K, **kwargs).ccd_A_m2


def _rates(current_density_A_m2, stack_pressure_Pa, temperature_K, params):
    v_strip = stripping_velocity_m_s(current_density_A_m2, params.molar_volume_m3_mol)
    v_d = diffusion_supply_velocity_m_s(temperature_K, params)
    v_c = creep_supply_velocity_m_s(stack_pressure_Pa, temperature_K, params)
    return v_strip - v_c, v_d


def contact_loss_rate_per_s(
    current_density_A_m2,
    stack_pressure_Pa,
    temperature_K,
    void_depth_m,
    *,
    contact_fraction=None,
    params: LiAnodeParameters = DEFAULT_PARAMETERS,
) -> float:
    """−df/dt = max(0, v_strip − f·D/L − v_c)/h in 1/s (0 below the stripping CCD)."""
    h = _positive(void_depth_m, "m", "void_depth_m")
    f = _fraction(contact_fraction, stack_pressure_Pa, params)
    excess, v_d = _rates(current_density_A_m2, stack_pressure_Pa, temperature_K, params)
    return max(excess - f * v_d, 0.0) / h


@dataclass(frozen=True)
class ContactEvolution:
    """Contact fraction during galvanostatic stripping; ``time_to_loss_s`` is inf if stable."""

    times_s: tuple[float, ...]
    contact_fraction: tuple[float, ...]
    initial_rate_per_s: float
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
    contact_fraction=None,
    params: LiAnodeParameters = DEFAULT_PARAMETERS,
) -> ContactEvolution:
    """Closed-form f(t) of df/dt = −(a − b·f)/h, a = v_strip − v_c, b = D/L, while a > b·f.

    f(t) = a/b − (a/b − f₀)·exp(b·t/h) (b > 0), reaching 0 at t* = (h/b)·ln[(a/b)/(a/b − f₀)];
    below the CCD (a ≤ b·f₀) f stays at f₀.
    """
    h = _positive(void_depth_m, "m", "void_depth_m")
    f0 = _fraction(contact_fraction, stack_pressure_Pa, params)
    t = np.asarray(times_s, dtype=float)
    if t.ndim != 1 or not np.all(np.isfinite(t)) or np.any(t < 0):
        raise SsblabInputError("times_s must be a 1-D array of finite times >= 0")
    a, b = _rates(current_density_A_m2, stack_pressure_Pa, temperature_K, params)
    if f0 == 0.0:
        return ContactEvolution(tuple(map(float, t)), (0.0,) * t.size, 0.0, 0.0)
    if a <= b * f0:
        return ContactEvolution(tuple(map(float, t)), (f0,) * t.size, 0.0, math.inf)
    if b > 0:
        ratio = a / b
        t_loss = h / b * math.log(ratio / (ratio - f0))
        f = f0 - (ratio - f0) * np.expm1(b * np.minimum(t, t_loss) / h)
    else:
        t_loss = h * f0 / a
        f = f0 - a * t / h
    f = np.clip(f, 0.0, f0)
    return ContactEvolution(
        times_s=tuple(map(float, t)),
        contact_fraction=tuple(map(float, f)),
        initial_rate_per_s=(a - b * f0) / h,
        time_to_loss_s=t_loss,
    )
