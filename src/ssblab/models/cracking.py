"""Li ingress along LATP grain boundaries and chemo-mechanical cracking.

**What seed 004 reports** (Results, Figure 3): in bare LATP, Li "diffused into the LATP
electrolyte for several hundred nanometers and accumulated between the grains", with a rough,
porous surface; under 175 ALD cycles of Li3PO4 the surface stays flat and Ti reduction is
suppressed (HE-XPS: Ti³⁺ only at 3 keV), but "the BF and DF TEM images ... show some cracks
formed in bulk LATP, which may be the reason for LATP degradation after longer cycles ... the
cracks are due to the migration of Li-ion into the grain boundary during lithium stripping and
plating" (seed ref. 51). Under 150 cycles of Al2O3: "no crack is formed in the bulk LATP". The
cracks are in the *bulk LATP*, not in the Li3PO4 film.

**Onset (Griffith–Irwin for a misfitting layer)**: Li inserted into the NASICON framework
(Ti⁴⁺ → Ti³⁺, Li3Al0.3Ti1.7(PO4)3 seen by XRD in seed 004, Figure S10) expands it by a linear
insertion strain ε. A layer of depth h constrained by the unreacted ceramic carries the biaxial
stress σ = E ε/(1 − ν); the energy release rate of a crack driven by it is G = Z σ² h/E'
(Hutchinson & Suo, Adv. Appl. Mech. 29 (1992) 63; Z = 1.976 for channelling cracks,
E' = E/(1 − ν²)), and it cracks when G ≥ K_Ic²/E', i.e. beyond the critical depth

    h_c = K_Ic² (1 − ν)² / (Z E² ε²)                      (:func:`critical_depth_m`).

LATP: K_Ic = 1.1 MPa√m and E = 115 GPa (fine-grained LATP, Jackman & Cutler, J. Power Sources
218 (2012) 65: E 81–115 GPa, 1.1 MPa√m). ν = 0.25 and ε = 1 % are *assumptions* (no cited
value for LATP's Poisson ratio or the insertion strain of Li1.3→3Al0.3Ti1.7(PO4)3 was found);
with them h_c ≈ 0.26 µm, of the order of the "several hundred nanometers" of Li ingress the
seed reports in bare LATP.

**Growth of the crack resistance** (phenomenological): once the Li-filled grain boundaries
reach h_c (at t_on), cracks cut ionic paths and the cell's ASR grows linearly,
ΔASR(t) = r_c·max(0, t − t_on) (:func:`crack_asr_ohm_m2`). r_c and t_on are *fitted* on the
LATP@175Li3PO4 cell (seed 004: 0.3 → 0.8 → 2.4 → 4 V at cycles 1/100/200/300). With the Griffith
depth, t_on implies an effective grain-boundary ingress diffusivity D_gb = h_c²/(2 t_on)
(:func:`ingress_diffusivity_m2_s`), reported, not used. The law lumps the contact loss that
cracking causes at the Li interface; it is not separable from the seed's data.

Validity: linear elastic fracture, uniform misfit strain, one crack population; the rise is
linear in time after onset (the seed's 100 → 200 → 300-cycle steps are equal, 1.6 V each).
"""

from __future__ import annotations

import numpy as np

from ssblab.errors import SsblabInputError
from ssblab.units import non_negative_si, positive_si

#: Fracture toughness of LATP, Pa√m (1.1 MPa√m, Jackman & Cutler 2012).
K_IC_LATP_PA_SQRT_M = 1.1e6
#: Young's modulus of fine-grained LATP, Pa (115 GPa; 81–115 GPa, Jackman & Cutler 2012).
E_LATP_PA = 115e9
#: Poisson ratio of LATP: ASSUMED (typical of oxide ceramics; no cited LATP value).
POISSON_LATP = 0.25
#: Linear insertion strain of LATP on Ti⁴⁺ → Ti³⁺: ASSUMED (no cited value found).
INSERTION_STRAIN_LATP = 0.01
#: Dimensionless energy-release coefficient of a channelling crack (Hutchinson & Suo 1992).
Z_CHANNEL = 1.976


def critical_depth_m(
    k_ic_Pa_sqrt_m=K_IC_LATP_PA_SQRT_M,
    youngs_modulus_Pa=E_LATP_PA,
    poisson=POISSON_LATP,
    strain=INSERTION_STRAIN_LATP,
    z=Z_CHANNEL,
) -> float:
    """h_c = K_Ic² (1 − ν)²/(Z E² ε²) (m): the depth of a misfitting layer that cracks."""
    k = positive_si(k_ic_Pa_sqrt_m, "Pa*m^0.5", "k_ic_Pa_sqrt_m")
    e = positive_si(youngs_modulus_Pa, "Pa", "youngs_modulus_Pa")
    nu = non_negative_si(poisson, "", "poisson")
    if not nu < 0.5:
        raise SsblabInputError(f"poisson must be in [0, 0.5), got {nu}")
    eps = positive_si(strain, "", "strain")
    zz = positive_si(z, "", "z")
    return k**2 * (1 - nu) ** 2 / (zz * e**2 * eps**2)


def misfit_stress_Pa(
    youngs_modulus_Pa=E_LATP_PA, poisson=POISSON_LATP, strain=INSERTION_STRAIN_LATP
):
    """σ = E ε/(1 − ν) (Pa), biaxial stress of a constrained layer with linear misfit ε."""
    e = positive_si(youngs_modulus_Pa, "Pa", "youngs_modulus_Pa")
    nu = non_negative_si(poisson, "", "poisson")
    if not nu < 0.5:
        raise SsblabInputError(f"poisson must be in [0, 0.5), got {nu}")
    return e * positive_si(strain, "", "strain") / (1 - nu)


def crack_asr_ohm_m2(time_s, rate_ohm_m2_s, onset_s):
    """ΔASR = r_c·max(0, t − t_on) (Ω m²); ``time_s`` scalar or array."""
    r = non_negative_si(rate_ohm_m2_s, "ohm*m^2/s", "rate_ohm_m2_s")
    t_on = non_negative_si(onset_s, "s", "onset_s")
    if np.ndim(time_s) == 0:
        return r * max(0.0, non_negative_si(time_s, "s", "time_s") - t_on)
    t = np.asarray(time_s, dtype=float)
    if not np.all(np.isfinite(t)) or np.any(t < 0):
        raise SsblabInputError("time_s must be finite and >= 0")
    return r * np.maximum(0.0, t - t_on)


def fit_linear_rise(points) -> tuple[float, float, float]:
    """(V₀, r, t_on) of V(t) = V₀ + r·max(0, t − t_on) through three points [(t, V), …]: V₀ =
    the first (pre-onset) value, r and t_on through the last two (which must rise)."""
    pts = sorted((float(t), float(v)) for t, v in points)
    if len(pts) != 3:
        raise SsblabInputError("points must hold three (time_s, voltage_V) pairs")
    (_, v0), (t1, v1), (t2, v2) = pts
    if not (v2 > v1 > v0 and t2 > t1):
        raise SsblabInputError("points must rise strictly after the first")
    rate = (v2 - v1) / (t2 - t1)
    onset = t1 - (v1 - v0) / rate
    return v0, rate, onset


def ingress_diffusivity_m2_s(critical_depth_m_, onset_s) -> float:
    """D_gb = h_c²/(2 t_on) (m²/s): grain-boundary Li ingress reaching h_c at t_on."""
    h = positive_si(critical_depth_m_, "m", "critical_depth_m")
    return h**2 / (2 * positive_si(onset_s, "s", "onset_s"))


def onset_from_diffusivity_s(critical_depth_m_, diffusivity_m2_s) -> float:
    """t_on = h_c²/(2 D_gb) (s)."""
    h = positive_si(critical_depth_m_, "m", "critical_depth_m")
    return h**2 / (2 * positive_si(diffusivity_m2_s, "m^2/s", "diffusivity_m2_s"))
