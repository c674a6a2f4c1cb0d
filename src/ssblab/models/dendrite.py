"""Raj–Wolfenstine current focusing and growth driving force, Li volumes, and the time L²/D.

Source: R. Raj & J. Wolfenstine, "Current limit diagrams for dendrite formation in solid-state
electrolytes for Li-ion batteries", J. Power Sources 343 (2017) 119 (seed 003 ref. [86]), as
summarised in seed 003 §2.5.1, Eqs. 3–5.

**Used by** :mod:`ssblab.models.penetration`: Eq. 4 is its current focusing at a flaw tip, and
Eq. 5 its driving force, with the back stress set by the fracture toughness (Griffith–Irwin
pressure of the flaw) instead of the fracture strength — as seed 003 says for growth after
incipient nucleation.

* Current focusing at a protrusion (Eq. 4, St Venant): j_int = j·h/w (h: height of the tip above
  the Li surface, or depth of a Li-filled flaw; w: its width).
* Growth (Eq. 5): Δμ = |e|·k_int·j·(h/w) − (σ_b + σ_s)·Ω, k_int the interfacial ASR (Ω·m²), σ_b
  the back stress (fracture strength σ_F in Raj & Wolfenstine; P_crit of the flaw in
  :mod:`ssblab.models.penetration`), σ_s an added compressive stack stress (our extension,
  default 0); growth when Δμ > 0.

Units: |e| [C]·k [Ω·m²]·j [A/m²] = J; σ [Pa]·Ω [m³] = J.

**Nucleation (Eq. 3), not implemented.** |e|·j·ρ̃·d·(1 − α) ≥ 2γΩ/r_c + σ_F·Ω (ρ̃ the excess GB
resistivity, d the grain size, α = d′/d, γ the Li | electrolyte interfacial energy, r_c the
nucleus radius; Ω is the volume per Li atom, which the seed misnames "density"). Its CCD needs
γ, r_c, ρ̃, d and α, none of which the seeds print, and nothing used it; the code was removed.
Its back-stress term σ_F·Ω/|e| is the nucleation overpotential of
:func:`ssblab.micro.cell_coupling.nucleation_overpotential_v`.

**Diffusion time** (seed 001): t = L²/D for a diffusion length L and diffusivity D (order of
magnitude; the exact prefactor depends on geometry).

Ω_Li is derived from ``LI_MOLAR_MASS_KG_MOL`` = 6.94e-3 kg/mol (IUPAC standard atomic weight,
abridged) and ``LI_DENSITY_KG_M3`` = 534 kg/m³ (CRC Handbook, 20 °C).
"""

from __future__ import annotations

from ssblab.models.constriction import _non_negative, _positive

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


def _back_stress(fracture_stress_Pa, stack_stress_Pa) -> float:
    return _non_negative(fracture_stress_Pa, "Pa", "fracture_stress_Pa") + _non_negative(
        stack_stress_Pa, "Pa", "stack_stress_Pa"
    )


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
    """Eq. 5: Δμ = |e|·k_int·j·h/w − (σ_b + σ_s)·Ω, J per Li atom; growth if > 0.

    ``fracture_stress_Pa`` is the back stress σ_b (σ_F in Raj & Wolfenstine; the flaw's
    Griffith–Irwin pressure in :mod:`ssblab.models.penetration`).
    """
    j_int = focused_current_density_A_m2(current_density_A_m2, tip_height_m, tip_width_m)
    k = _positive(interfacial_asr_ohm_m2, "ohm*m^2", "interfacial_asr_ohm_m2")
    omega = _positive(atomic_volume_m3, "m^3", "atomic_volume_m3")
    return (
        ELEMENTARY_CHARGE_C * k * j_int - _back_stress(fracture_stress_Pa, stack_stress_Pa) * omega
    )


def diffusion_time_s(length_m, diffusivity_m2_s) -> float:
    """Characteristic diffusion time t = L²/D (seed 001)."""
    length = _positive(length_m, "m", "length_m")
    d = _positive(diffusivity_m2_s, "m^2/s", "diffusivity_m2_s")
    return length**2 / d
