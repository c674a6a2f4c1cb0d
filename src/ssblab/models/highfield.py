"""High-field (sinh) ion transport through thin insulating films, and dielectric breakdown.

**Law** (Verwey, Physica 2 (1935) 1059; Cabrera & Mott, Rep. Prog. Phys. 12 (1949) 163; the
form used for anodic oxides, e.g. Lohrengel, Mater. Sci. Eng. R 11 (1993) 243): ions of charge
z e hop a distance a over a barrier W with attempt frequency ν; a field E lowers the barrier by
z e a E/2 forward and raises it backward, so the net current density is

    j = 2 z F c a ν exp(−W/k_BT) sinh(z e a E / 2k_BT) = j₀ sinh(E/E₀),

with c the mobile-ion concentration (mol/m³), j₀ = 2 z F c a ν exp(−W/k_BT) (A/m²) and
E₀ = 2k_BT/(z e a) (V/m). Low field (E ≪ E₀): ohmic, σ = j₀/E₀. High field (E ≫ E₀):
j ≈ (j₀/2) exp(E/E₀), so E grows only logarithmically with j — at a fixed current a film of
thickness L then carries a voltage ≈ E(j)·L, proportional to L.

**Use here** (seed 004): the as-deposited ALD Al2O3 (no mobile Li yet; DFT +3.17 eV for Li in
α-Al2O3) is driven at MV/cm fields in cycle 1 (10 V over 2 × 15 nm ≈ 3.3 MV/cm). c, ν and W of
Li in amorphous ALD Al2O3 are not known separately, so j₀ is *fitted* on one cycle-1 peak; a
(hence E₀) does not change the cycle-1 prediction at the calibration current (E(j) is then
fixed), only the current and temperature dependence. Default a = 0.5 nm: *assumed*, the order of
the activation distances of ionic high-field conduction in anodic oxides (Lohrengel 1993).

**Breakdown**: ALD Al2O3 from TMA/H2O grown at 150 °C breaks down at ≈ 8.3 MV/cm
(Sci. Rep. 12 (2022), "Influence of growth temperature on dielectric strength of Al2O3 thin
films prepared via atomic layer deposition at low temperature"; seed 000's recipe is TMA/H2O
at 150 °C). :func:`breaks_down` compares a field with it.

Validity: uniform field across the film (no space charge), one hop distance, E below breakdown.
"""

from __future__ import annotations

import math

from ssblab.errors import SsblabInputError
from ssblab.units import positive_si, si_float

K_B_J_K = 1.380649e-23  # J/K (SI 2019)
E_C = 1.602176634e-19  # C (SI 2019)

#: Dielectric breakdown field of ALD Al2O3 (TMA/H2O, 150 °C), V/m: 8.3 MV/cm (Sci. Rep. 2022).
AL2O3_ALD_BREAKDOWN_FIELD_V_M = 8.3e8
#: Hop (activation) distance of Li in ALD Al2O3, m: ASSUMED (order of anodic-oxide values).
HOP_DISTANCE_M = 0.5e-9


def field_scale_V_m(hop_distance_m=HOP_DISTANCE_M, temperature_K=298.15, charge_number=1) -> float:
    """E₀ = 2k_BT/(z e a) (V/m)."""
    a = positive_si(hop_distance_m, "m", "hop_distance_m")
    t = positive_si(temperature_K, "K", "temperature_K")
    z = positive_si(charge_number, "", "charge_number")
    return 2 * K_B_J_K * t / (z * E_C * a)


def current_density_A_m2(field_V_m, prefactor_A_m2, **scale) -> float:
    """j = j₀ sinh(E/E₀) (A/m²); ``scale`` goes to :func:`field_scale_V_m`."""
    e = si_float(field_V_m, "V/m", "field_V_m")
    j0 = positive_si(prefactor_A_m2, "A/m^2", "prefactor_A_m2")
    return j0 * math.sinh(e / field_scale_V_m(**scale))


def field_for_current_V_m(current_density_A_m2_, prefactor_A_m2, **scale) -> float:
    """E = E₀ asinh(j/j₀) (V/m): the field that carries ``current_density_A_m2_``."""
    j = si_float(current_density_A_m2_, "A/m^2", "current_density_A_m2")
    j0 = positive_si(prefactor_A_m2, "A/m^2", "prefactor_A_m2")
    return field_scale_V_m(**scale) * math.asinh(j / j0)


def prefactor_from_point_A_m2(current_density_A_m2_, field_V_m, **scale) -> float:
    """j₀ = j/sinh(E/E₀) from one (j, E) point (the calibration of the module docstring)."""
    j = positive_si(current_density_A_m2_, "A/m^2", "current_density_A_m2")
    e = positive_si(field_V_m, "V/m", "field_V_m")
    return j / math.sinh(e / field_scale_V_m(**scale))


def breaks_down(field_V_m, breakdown_field_V_m=AL2O3_ALD_BREAKDOWN_FIELD_V_M) -> bool:
    """True when |E| ≥ the breakdown field (default: ALD Al2O3, 8.3 MV/cm)."""
    e = abs(si_float(field_V_m, "V/m", "field_V_m"))
    if not math.isfinite(e):
        raise SsblabInputError("field_V_m must be finite")
    return e >= positive_si(breakdown_field_V_m, "V/m", "breakdown_field_V_m")
