"""Monroe–Newman shear-modulus criterion for dendrite suppression, with grain-boundary softening.

**Criterion** (Monroe & Newman, J. Electrochem. Soc. 152 (2005) A396; seed 001 ref. [150],
seed 003 ref. [7]). Linear-elastic analysis of a Li | solid-electrolyte interface: a surface
roughness of Li is flattened (deposition suppressed at protrusions) when the electrolyte is stiff
enough in shear,

    G_SSE / G_Li > r_c,    r_c ≈ 2.2 (default ``MONROE_NEWMAN_RATIO``).

The seeds state it as "twice" (seed 001: "greater than twice that of lithium metal"; seed 003: "a
twice shear modulus"); 2.2 is the slightly stricter threshold usually quoted from Monroe &
Newman's analysis for Li's Poisson ratio (the exact value depends on the Poisson ratios). The
threshold is a parameter.

**Grain-boundary softening** (Yu & Siegel, ACS Appl. Mater. Interfaces 10 (2018) 38151; seed 003
ref. [97]): molecular dynamics on tilt and twist boundaries of LLZO show the shear modulus in
nanoscale regions at grain boundaries "up to 50 % smaller than in bulk regions". We write
G_GB = (1 − s)·G_bulk with the softening s ∈ [0, 1); default s = 0.5 (the upper end, i.e. the
conservative case). The verdict requires both the bulk and the softened GB to pass.

Defaults:

* ``LLZO_SHEAR_MODULUS_PA`` = 60 GPa: seed 001 ("calculated to be ≈ 60 GPa", ref. [151]) and
  seed 003 ("≈ 60 GPa", ref. [8]: Yu et al., Chem. Mater. 28 (2016) 197).
* ``LI_SHEAR_MODULUS_PA`` = 4.9 GPa: seed 001 (Li metal, 4.9 GPa).

**Fracture constants** (used by :mod:`ssblab.models.penetration`, Griffith–Irwin):

* ``LLZO_FRACTURE_TOUGHNESS_PA_SQRT_M`` = 1.51 MPa·m^½: Hu et al., "Elastic modulus, hardness,
  and fracture toughness of Li6.4La3Zr1.4Ta0.6O12 solid electrolyte", Chin. Phys. Lett. (2021):
  nanoindentation of hot-pressed LLZTO, K_Ic rising from 0.44 (83 % dense) to 1.51 MPa·m^½
  (98 % dense); the dense value is the default, the porous one the lower bound.
* ``LLZO_YOUNGS_MODULUS_PA`` = 149.8 GPa: resonant ultrasound on hot-pressed
  Li6.24La3Zr2Al0.24O11.98 at 3 % porosity (Ni, Case, Sakamoto, Rangasamy & Wolfenstine,
  J. Mater. Sci. 47 (2012) 7978; 132.6 GPa at 6 %). Its Poisson ratio is derived from this E and
  the seeds' G ≈ 60 GPa: ν = E/(2G) − 1 = 0.248 (``LLZO_POISSON_RATIO``).
* ``LATP_FRACTURE_TOUGHNESS_PA_SQRT_M`` = 1.1 MPa·m^½ and ``LATP_YOUNGS_MODULUS_PA`` = 115 GPa:
  fine-grained Li1.3Al0.3Ti1.7(PO4)3 (Jackman & Cutler, J. Power Sources 218 (2012) 65; E from
  81 GPa (coarse, microcracked) to 115 GPa (fine)). ``LATP_POISSON_RATIO`` = 0.25 is an
  ASSUMPTION (not printed there; E' = E/(1 − ν²) moves by < 7 % for 0 ≤ ν ≤ 0.26).

**Validity and limits.** Linear elasticity, small perturbations, no fracture. Seed 003 reports
that Li penetrates garnets despite G_LLZO/G_Li ≈ 12 (via grain boundaries, pores, cracks and
electronic leakage), that Li whiskers show Young's moduli of 2.7–21 GPa (ref. [96]) and that the
CCD of hot-pressed LLZO did not follow its hardness (ref. [110]): passing the criterion is
necessary, not sufficient.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ssblab.errors import SsblabInputError
from ssblab.models.constriction import _positive, _si

#: Shear modulus of LLZO, Pa (seeds 001 and 003: ≈ 60 GPa).
LLZO_SHEAR_MODULUS_PA = 60e9
#: Shear modulus of Li metal, Pa (seed 001: 4.9 GPa).
LI_SHEAR_MODULUS_PA = 4.9e9
#: G_SSE/G_Li threshold for dendrite suppression (Monroe & Newman 2005; seeds: "twice").
MONROE_NEWMAN_RATIO = 2.2
#: Fractional GB softening of the shear modulus ("up to 50 %", Yu & Siegel 2018).
GB_SOFTENING_YU_SIEGEL = 0.5
#: Fracture toughness of dense (98 %) LLZTO, Pa·m^½ (Hu et al., Chin. Phys. Lett. 2021).
LLZO_FRACTURE_TOUGHNESS_PA_SQRT_M = 1.51e6
#: Young's modulus of hot-pressed LLZO at 3 % porosity, Pa (Ni et al., J. Mater. Sci. 47 (2012)
#: 7978, resonant ultrasound).
LLZO_YOUNGS_MODULUS_PA = 149.8e9
#: Poisson ratio of LLZO from E and G: ν = E/(2G) − 1 (E: Ni et al. 2012; G: seeds, 60 GPa).
LLZO_POISSON_RATIO = LLZO_YOUNGS_MODULUS_PA / (2.0 * LLZO_SHEAR_MODULUS_PA) - 1.0
#: Fracture toughness of fine-grained LATP, Pa·m^½ (Jackman & Cutler, J. Power Sources 218
#: (2012) 65).
LATP_FRACTURE_TOUGHNESS_PA_SQRT_M = 1.1e6
#: Young's modulus of fine-grained LATP, Pa (Jackman & Cutler 2012: 81-115 GPa).
LATP_YOUNGS_MODULUS_PA = 115e9
#: Poisson ratio of LATP: ASSUMPTION (typical oxide ceramic; not printed by Jackman & Cutler).
LATP_POISSON_RATIO = 0.25


def shear_modulus_Pa(youngs_modulus_Pa, poisson_ratio: float) -> float:
    """Isotropic G = E / (2(1 + ν)), −1 < ν < 0.5."""
    e = _positive(youngs_modulus_Pa, "Pa", "youngs_modulus_Pa")
    nu = _si(poisson_ratio, "", "poisson_ratio")
    if not -1.0 < nu < 0.5:
        raise SsblabInputError(f"poisson_ratio must be in (-1, 0.5), got {nu}")
    return e / (2.0 * (1.0 + nu))


def plane_strain_modulus_Pa(youngs_modulus_Pa, poisson_ratio: float) -> float:
    """E' = E / (1 − ν²) (plane strain), −1 < ν < 0.5."""
    e = _positive(youngs_modulus_Pa, "Pa", "youngs_modulus_Pa")
    nu = _si(poisson_ratio, "", "poisson_ratio")
    if not -1.0 < nu < 0.5:
        raise SsblabInputError(f"poisson_ratio must be in (-1, 0.5), got {nu}")
    return e / (1.0 - nu * nu)


@dataclass(frozen=True)
class ShearStability:
    """Monroe–Newman ratios for the bulk electrolyte and its softened grain boundaries."""

    electrolyte_shear_modulus_Pa: float
    li_shear_modulus_Pa: float
    gb_softening: float
    gb_shear_modulus_Pa: float
    threshold_ratio: float
    bulk_ratio: float
    gb_ratio: float
    bulk_suppresses: bool
    gb_suppresses: bool
    verdict: str
    notes: tuple[str, ...] = ()

    @property
    def suppresses(self) -> bool:
        """True if both bulk and grain boundaries exceed the threshold."""
        return self.bulk_suppresses and self.gb_suppresses

    def to_dict(self) -> dict:
        return {**asdict(self), "suppresses": self.suppresses}


def monroe_newman(
    electrolyte_shear_modulus_Pa=LLZO_SHEAR_MODULUS_PA,
    li_shear_modulus_Pa=LI_SHEAR_MODULUS_PA,
    *,
    gb_softening: float = GB_SOFTENING_YU_SIEGEL,
    threshold_ratio: float = MONROE_NEWMAN_RATIO,
) -> ShearStability:
    """Ratio G_SSE/G_Li for bulk and grain boundaries, G_GB = (1 − s)·G_SSE, and the verdict."""
    g_sse = _positive(electrolyte_shear_modulus_Pa, "Pa", "electrolyte_shear_modulus_Pa")
    g_li = _positive(li_shear_modulus_Pa, "Pa", "li_shear_modulus_Pa")
    s = _si(gb_softening, "", "gb_softening")
    if not 0.0 <= s < 1.0:
        raise SsblabInputError(f"gb_softening must be in [0, 1), got {s}")
    threshold = _positive(threshold_ratio, "", "threshold_ratio")
    g_gb = (1.0 - s) * g_sse
    bulk_ratio, gb_ratio = g_sse / g_li, g_gb / g_li
    bulk_ok, gb_ok = bulk_ratio > threshold, gb_ratio > threshold
    if bulk_ok and gb_ok:
        verdict = "suppresses dendrites (bulk and grain boundaries above the threshold)"
    elif bulk_ok:
        verdict = "bulk suppresses, softened grain boundaries do not: penetration along GBs"
    else:
        verdict = "does not suppress dendrites (bulk below the threshold)"
    notes = (
        "linear-elastic criterion: necessary, not sufficient (seed 003: Li penetrates garnets "
        "through grain boundaries, pores, cracks and electronic leakage)",
    )
    return ShearStability(
        electrolyte_shear_modulus_Pa=g_sse,
        li_shear_modulus_Pa=g_li,
        gb_softening=s,
        gb_shear_modulus_Pa=g_gb,
        threshold_ratio=threshold,
        bulk_ratio=bulk_ratio,
        gb_ratio=gb_ratio,
        bulk_suppresses=bulk_ok,
        gb_suppresses=gb_ok,
        verdict=verdict,
        notes=notes,
    )
