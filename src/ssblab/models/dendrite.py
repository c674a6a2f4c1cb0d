"""Raj–Wolfenstine dendrite nucleation and growth, current focusing, and the diffusion time L²/D.

Source: R. Raj & J. Wolfenstine, "Current limit diagrams for dendrite formation in solid-state
electrolytes for Li-ion batteries", J. Power Sources 343 (2017) 119 (seed 003 ref. [86]; the page
follows seed 003's reference list), as summarised in seed 003 §2.5.1, Eqs. 3–5.

**Reconstruction.** Seed 003 prints Eq. 3 partly garbled. We could not consult the original, so
the form below is rebuilt from the seed's variable list by requiring every term to be an energy
per Li atom (J):

* "γ is normal strain" — the term 2γΩ_Li/r_c is the Gibbs–Thomson (capillary) work to create a Li
  embryo of radius r_c, so γ is the Li | electrolyte *interfacial energy* (J/m²), not a strain.
* "Ω_Li is lithium density per volume" — Ω_Li must be the *volume per Li atom* (m³), so that
  γΩ/r and σΩ are energies: Ω_Li = M/(ρ N_A) = 2.16e-29 m³ (``LI_ATOMIC_VOLUME_M3``).
* "r_c is the diameter of dendrites" — the capillary term uses the radius of curvature; we call it
  the nucleus radius (pass half the diameter if you have one).
* "f = (1 − ρ_d/ρ) f" — read as an effective resistivity ρ̃ = (1 − ρ_d/ρ)·ρ = ρ − ρ_d: the
  driving potential is the *excess* drop across the grain-boundary path of resistivity ρ over the
  matrix (grain) resistivity ρ_d. With equal resistivities there is no local jump and no
  nucleation; with ρ_d = 0 (default) the printed left-hand side j·ρ·d·(1 − α)|e| is recovered.

Units check: j [A/m²]·ρ [Ω·m]·d [m] = V; × |e| [C] = J. γ [J/m²]·Ω [m³]/r [m] = J; σ [Pa]·Ω = J.

Equations (SI):

* Nucleation (Eq. 3): |e|·j·ρ̃·d·(1 − α) ≥ 2γΩ/r_c + (σ_F + σ_s)·Ω, with α = d′/d ∈ [0, 1] (d the
  grain size, d′ the distance of the grain boundary from the Li electrode) and σ_F the fracture
  stress of the electrolyte. σ_s (default 0) is an added compressive stack stress normal to the
  boundary — our extension of the "compressive traction" the seed names among the opposing
  forces; Raj & Wolfenstine's term is σ_F alone.
* Critical current density for nucleation: j_n = [2γΩ/r_c + (σ_F + σ_s)Ω] / [|e|·ρ̃·d·(1 − α)].
  It falls with grain size and GB resistivity; α = 1 gives no driving force (j_n = ∞).
* Current focusing at a protrusion (Eq. 4, St Venant): j_int = j·h/w (h: height of the tip above
  the Li surface, w: width of the nucleus).
* Growth (Eq. 5): Δμ = |e|·k_int·j·(h/w) − (σ_F + σ_s)·Ω, k_int the interfacial ASR (Ω·m²);
  growth when Δμ > 0, i.e. above j_g = (σ_F + σ_s)·Ω / (|e|·k_int·h/w). After incipient growth
  the opposing term is set by fracture toughness, not strength (seed 003) — not modelled.

The CCD reported by :func:`critical_current_density` is min(j_n, j_g).

**Diffusion time** (seed 001): t = L²/D for a diffusion length L and diffusivity D (order of
magnitude; the exact prefactor depends on geometry).

No defaults are given for γ, r_c, σ_F, ρ or k_int: they are material- and microstructure-specific
and the seeds print none. Ω_Li is derived from ``LI_MOLAR_MASS_KG_MOL`` = 6.94e-3 kg/mol (IUPAC
standard atomic weight, abridged) and ``LI_DENSITY_KG_M3`` = 534 kg/m³ (CRC Handbook, 20 °C).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from ssblab.errors import SsblabInputError
from ssblab.models.constriction import _non_negative, _positive, _si

ELEMENTARY_CHARGE_C = 1.602176634e-19  # C (SI, exact)
AVOGADRO_PER_MOL = 6.02214076e23  # 1/mol (SI, exact)
#: Molar mass of Li, kg/mol (IUPAC abridged standard atomic weight 6.94).
LI_MOLAR_MASS_KG_MOL = 6.94e-3
#: Density of Li metal, kg/m³ (CRC Handbook, 0.534 g/cm³ at 20 °C).
LI_DENSITY_KG_M3 = 534.0
#: Molar volume of Li metal, m³/mol (≈ 13.0 cm³/mol).
LI_MOLAR_VOLUME_M3_MOL = LI_MOLAR_MASS_KG_MOL / LI_DENSITY_KG_M3
#: Volume per Li atom, m³ (≈ 2.16e-29 m³).
LI_ATOMIC_VOLUME_M3 = LI_MOLAR_VOLUME_M3_MOL / AVOGADRO_PER_MOL


def _alpha(alpha) -> float:
    a = _si(alpha, "", "alpha")
    if not 0.0 <= a <= 1.0:
        raise SsblabInputError(f"alpha must be in [0, 1], got {a}")
    return a


def _effective_resistivity(gb_resistivity_ohm_m, matrix_resistivity_ohm_m) -> float:
    rho = _positive(gb_resistivity_ohm_m, "ohm*m", "gb_resistivity_ohm_m")
    rho_d = _non_negative(matrix_resistivity_ohm_m, "ohm*m", "matrix_resistivity_ohm_m")
    if rho_d > rho:
        raise SsblabInputError(
            f"matrix_resistivity_ohm_m ({rho_d}) must not exceed gb_resistivity_ohm_m ({rho})"
        )
    return rho - rho_d


def _back_stress(fracture_stress_Pa, stack_stress_Pa) -> float:
    return _non_negative(fracture_stress_Pa, "Pa", "fracture_stress_Pa") + _non_negative(
        stack_stress_Pa, "Pa", "stack_stress_Pa"
    )


def nucleation_driving_energy_J(
    current_density_A_m2,
    gb_resistivity_ohm_m,
    grain_size_m,
    alpha,
    *,
    matrix_resistivity_ohm_m=0.0,
) -> float:
    """Left-hand side of Eq. 3: |e|·j·(ρ − ρ_d)·d·(1 − α), J per Li atom."""
    j = _non_negative(current_density_A_m2, "A/m^2", "current_density_A_m2")
    rho = _effective_resistivity(gb_resistivity_ohm_m, matrix_resistivity_ohm_m)
    d = _positive(grain_size_m, "m", "grain_size_m")
    return ELEMENTARY_CHARGE_C * j * rho * d * (1.0 - _alpha(alpha))


def nucleation_opposing_energy_J(
    interfacial_energy_J_m2,
    nucleus_radius_m,
    fracture_stress_Pa,
    *,
    stack_stress_Pa=0.0,
    atomic_volume_m3=LI_ATOMIC_VOLUME_M3,
) -> float:
    """Right-hand side of Eq. 3: 2γΩ/r_c + (σ_F + σ_s)·Ω, J per Li atom."""
    gamma = _non_negative(interfacial_energy_J_m2, "J/m^2", "interfacial_energy_J_m2")
    r = _positive(nucleus_radius_m, "m", "nucleus_radius_m")
    omega = _positive(atomic_volume_m3, "m^3", "atomic_volume_m3")
    return 2.0 * gamma * omega / r + _back_stress(fracture_stress_Pa, stack_stress_Pa) * omega


def focused_current_density_A_m2(current_density_A_m2, tip_height_m, tip_width_m) -> float:
    """Eq. 4: j_int = j·h/w at the tip of a protrusion of height h and width w."""
    j = _non_negative(current_density_A_m2, "A/m^2", "current_density_A_m2")
    h = _positive(tip_height_m, "m", "tip_height_m")
    w = _positive(tip_width_m, "m", "tip_width_m")
    return j * h / w


def growth_driving_force_J(
    current_density_A_m2,
    interfacial_asr_ohm_m2,
    tip_height_m,
    tip_width_m,
    fracture_stress_Pa,
    *,
    stack_stress_Pa=0.0,
    atomic_volume_m3=LI_ATOMIC_VOLUME_M3,
) -> float:
    """Eq. 5: Δμ = |e|·k_int·j·h/w − (σ_F + σ_s)·Ω, J per Li atom; growth if > 0."""
    j_int = focused_current_density_A_m2(current_density_A_m2, tip_height_m, tip_width_m)
    k = _positive(interfacial_asr_ohm_m2, "ohm*m^2", "interfacial_asr_ohm_m2")
    omega = _positive(atomic_volume_m3, "m^3", "atomic_volume_m3")
    return (
        ELEMENTARY_CHARGE_C * k * j_int - _back_stress(fracture_stress_Pa, stack_stress_Pa) * omega
    )


@dataclass(frozen=True)
class NucleationCheck:
    """Eq. 3 at one current density: driving and opposing energies (J per Li atom)."""

    current_density_A_m2: float
    driving_energy_J: float
    opposing_energy_J: float

    @property
    def nucleates(self) -> bool:
        return self.driving_energy_J >= self.opposing_energy_J

    def to_dict(self) -> dict:
        return {**asdict(self), "nucleates": self.nucleates}


def nucleation_check(
    current_density_A_m2,
    gb_resistivity_ohm_m,
    grain_size_m,
    alpha,
    interfacial_energy_J_m2,
    nucleus_radius_m,
    fracture_stress_Pa,
    *,
    matrix_resistivity_ohm_m=0.0,
    stack_stress_Pa=0.0,
    atomic_volume_m3=LI_ATOMIC_VOLUME_M3,
) -> NucleationCheck:
    """Evaluate both sides of Eq. 3."""
    drive = nucleation_driving_energy_J(
        current_density_A_m2,
        gb_resistivity_ohm_m,
        grain_size_m,
        alpha,
        matrix_resistivity_ohm_m=matrix_resistivity_ohm_m,
    )
    oppose = nucleation_opposing_energy_J(
        interfacial_energy_J_m2,
        nucleus_radius_m,
        fracture_stress_Pa,
        stack_stress_Pa=stack_stress_Pa,
        atomic_volume_m3=atomic_volume_m3,
    )
    j = _si(current_density_A_m2, "A/m^2", "current_density_A_m2")
    return NucleationCheck(current_density_A_m2=j, driving_energy_J=drive, opposing_energy_J=oppose)


@dataclass(frozen=True)
class CriticalCurrent:
    """Raj–Wolfenstine critical current densities (A/m²); ``ccd_A_m2`` = min of the two."""

    nucleation_A_m2: float
    growth_A_m2: float | None
    ccd_A_m2: float
    limiting: str
    opposing_energy_J: float
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return asdict(self)


def critical_current_density(
    grain_size_m,
    gb_resistivity_ohm_m,
    *,
    alpha,
    interfacial_energy_J_m2,
    nucleus_radius_m,
    fracture_stress_Pa,
    interfacial_asr_ohm_m2=None,
    tip_aspect_ratio: float = 1.0,
    matrix_resistivity_ohm_m=0.0,
    stack_stress_Pa=0.0,
    atomic_volume_m3=LI_ATOMIC_VOLUME_M3,
) -> CriticalCurrent:
    """CCD from Eq. 3 (nucleation) and, if an interfacial ASR is given, Eq. 5 (growth).

    j_n = [2γΩ/r_c + (σ_F + σ_s)Ω] / [|e|(ρ − ρ_d)d(1 − α)];
    j_g = (σ_F + σ_s)Ω / (|e|·k_int·h/w) with h/w = ``tip_aspect_ratio``.
    """
    d = _positive(grain_size_m, "m", "grain_size_m")
    rho = _effective_resistivity(gb_resistivity_ohm_m, matrix_resistivity_ohm_m)
    a = _alpha(alpha)
    omega = _positive(atomic_volume_m3, "m^3", "atomic_volume_m3")
    oppose = nucleation_opposing_energy_J(
        interfacial_energy_J_m2,
        nucleus_radius_m,
        fracture_stress_Pa,
        stack_stress_Pa=stack_stress_Pa,
        atomic_volume_m3=omega,
    )
    notes: list[str] = []
    denominator = ELEMENTARY_CHARGE_C * rho * d * (1.0 - a)
    if denominator > 0:
        j_n = oppose / denominator
    else:
        j_n = math.inf
        notes.append("no nucleation driving force (alpha = 1 or GB resistivity = matrix)")
    j_g = None
    if interfacial_asr_ohm_m2 is not None:
        k = _positive(interfacial_asr_ohm_m2, "ohm*m^2", "interfacial_asr_ohm_m2")
        focus = _positive(tip_aspect_ratio, "", "tip_aspect_ratio")
        j_g = (
            _back_stress(fracture_stress_Pa, stack_stress_Pa)
            * omega
            / (ELEMENTARY_CHARGE_C * k * focus)
        )
    if j_g is not None and j_g < j_n:
        ccd, limiting = j_g, "growth"
    else:
        ccd, limiting = j_n, "nucleation"
    return CriticalCurrent(
        nucleation_A_m2=j_n,
        growth_A_m2=j_g,
        ccd_A_m2=ccd,
        limiting=limiting,
        opposing_energy_J=oppose,
        notes=tuple(notes),
    )


def diffusion_time_s(length_m, diffusivity_m2_s) -> float:
    """Characteristic diffusion time t = L²/D (seed 001)."""
    length = _positive(length_m, "m", "length_m")
    d = _positive(diffusivity_m2_s, "m^2/s", "diffusivity_m2_s")
    return length**2 / d
