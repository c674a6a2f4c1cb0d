"""Li penetration on plating: Li-filled surface flaws opened by the plating pressure.

**Mechanism** (Porz et al., "Mechanism of lithium metal penetration through inorganic solid
electrolytes", Adv. Energy Mater. 7 (2017) 1701003, seed 003 ref. [93]; Ning et al., Nat. Mater.
20 (2021) 1121). Li plated into a surface flaw (a crack of depth c open to the plating electrode)
cannot leave it freely: the Li pressure P in the flaw rises until either Li extrudes out of the
flaw mouth by plastic flow, or P reaches the pressure at which the flaw propagates as a crack,

    P_crit = K_Ic / (Y·√(π c))                                   (Griffith–Irwin)

(Pa; K_Ic in Pa·m^½, c in m; Y = 1.1215 for an edge crack in a half-space, Tada, Paris & Irwin,
*The Stress Analysis of Cracks Handbook*, 3rd ed., ASME 2000). P_crit ∝ c^−½ exactly. The
crack then advances, fills with Li and repeats (seed 003 §2.5.1, "continuous root-growth").

**Driving pressure** (Raj & Wolfenstine, J. Power Sources 343 (2017) 119, seed 003 Eqs. 4–5,
:mod:`ssblab.models.dendrite`). The flaw tip sits a depth c closer to the counter electrode than
the flat interface; by St Venant's argument (Eq. 4) it collects the current j_tip = j·c/w, w the
flaw opening. The interfacial overpotential at the tip, k·j_tip (k the interfacial ASR, Ω·m²),
is the free energy per Li atom that plating can spend against the back stress (Eq. 5):
Δμ = |e|·k·j·c/w − P·Ω_Li. Seed 003 states that after incipient growth the back stress is set by
the fracture toughness, not the strength: we use P = P_crit. Per mole, the Li pressure plating can
build in the flaw is

    P_η = (F / V_m)·k·j·(c/w)                                    (Pa)

**Flaw opening.** The opening is not a free parameter: a pressurised edge crack of depth c opens
at its mouth by δ = 4·V·P·c/E' (V = 1.454, same handbook; E' = E/(1 − ν²) the plane-strain
modulus). At the onset of growth (P = P_crit) the opening is w = 4·V·P_crit·c/E', so the
focusing factor is κ = c/w = E'/(4·V·P_crit) (∝ √c).

**Li escape** (Porz et al.: the flaw is relieved if Li flows out of its mouth). Li extruded
through a slot of width w and length c with sticking friction on both faces (shear yield stress
σ_y/√3, von Mises) needs the "friction-hill" pressure P_ext = (2/√3)·σ_y·c/w (rigid-plastic slab
analysis). If P_ext < P_crit the Li escapes before the flaw can crack and this flaw does not
penetrate at any current (rate-independent plasticity); the smallest flaw that can is

    c_min = 2√3·V·K_Ic² / (π·Y²·σ_y·E')                          (P_ext = P_crit)

**Critical current density for penetration** (flaws with c ≥ c_min): P_η = P_crit gives

    j_pen = V_m·P_crit / (F·k·κ) = 4·V·V_m·K_Ic² / (π·Y²·F·E'·k·c)     (A/m²)

so j_pen ∝ 1/k and ∝ 1/c (for fixed material). It falls with the interfacial ASR: a poor
contact raises k ∝ 1/f (current focused onto the contacting fraction f at void edges, and the
local overpotential with it). Flatscher et al. (J. Mater. Chem. A 8 (2020) 15782–15788, "The
natural critical current density limit for Li7La3Zr2O12 garnets", seed 003 ref. [103]) measured
on LLZO single crystals without stack pressure that the CCD decreases *exponentially* with the
ASR, at most 280 µA/cm². Our form is a power law (k⁻¹), not an exponential: over a decade of ASR
it drops by exactly 10×. We do not claim agreement with their functional form.

**Our formulation.** The combination above (Raj–Wolfenstine driving force with the
Griffith–Irwin back stress, the elastic opening, the friction-hill escape check) is ours, built
from the cited pieces; we could not consult Porz et al.'s own flow model, which is not
reproduced here.

**Validity.** Linear-elastic fracture mechanics (flaw ≫ process zone, c ≫ grain-scale
toughening); St Venant focusing for slender flaws (κ ≥ 1 — the function refuses a flaw whose
opening exceeds its depth); linear interfacial kinetics (k is the small-signal ASR); Li
rigid-plastic in the flaw (no creep: a creeping Li relieves slowly loaded flaws further, so
j_pen is a lower bound at long times); no stack-pressure term (the stack load acts normal to
the interface, parallel to the flaw faces). Temperature enters only through k, K_Ic and σ_y.

**Defaults** (SI; see :mod:`ssblab.models.mechanics` for the LLZO/LATP constants):

* K_Ic(LLZO) = 1.51 MPa·m^½ (dense LLZTO, Hu et al., Chin. Phys. Lett. 2021);
  E(LLZO) = 149.8 GPa (Ni et al., J. Mater. Sci. 47 (2012) 7978); ν = E/(2G) − 1 with the seeds'
  G = 60 GPa.
* σ_y in the flaw = 12.2 MPa (``LI_SMALL_SCALE_YIELD_STRESS_PA``): the lower end of the
  12.2–244 MPa yield strengths of sub-micrometre Li whiskers (Zhang et al., Nat. Nanotechnol. 15
  (2020) 94, printed in seed 003 §2.5.1, ref. [96]); the flaw openings here are 10–500 nm.
  Bulk Li yields at ≈ 0.8 MPa (``LI_BULK_YIELD_STRESS_PA``; Masias et al., J. Mater. Sci. 54
  (2019) 2585, as quoted in issue 11 — the number was not checked against the paper here); with
  it, c_min rises 15×.
* V_m(Li) = 1.30e-5 m³/mol (:data:`ssblab.models.dendrite.LI_MOLAR_VOLUME_M3_MOL`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from ssblab.errors import SsblabInputError
from ssblab.models import mechanics
from ssblab.models.dendrite import LI_MOLAR_VOLUME_M3_MOL, focused_current_density_A_m2
from ssblab.units import positive_si, si_float

FARADAY_C_MOL = 96485.33212  # C/mol (CODATA 2018)
#: Edge crack in a half-space: K = 1.1215·σ√(πc) (Tada, Paris & Irwin, Handbook, 3rd ed. 2000).
EDGE_CRACK_GEOMETRY_FACTOR = 1.1215
#: Edge crack in a half-space: mouth opening δ = 4·1.454·σ·c/E' (same handbook).
EDGE_CRACK_OPENING_FACTOR = 1.454
#: Yield strength of sub-µm Li whiskers, lower end of 12.2–244 MPa (Zhang et al., Nat.
#: Nanotechnol. 15 (2020) 94; seed 003 §2.5.1 ref. [96]).
LI_SMALL_SCALE_YIELD_STRESS_PA = 12.2e6
#: Yield strength of bulk polycrystalline Li, ≈ 0.8 MPa (Masias et al., J. Mater. Sci. 54 (2019)
#: 2585, as quoted in issue 11; not checked against the paper here).
LI_BULK_YIELD_STRESS_PA = 0.8e6


@dataclass(frozen=True)
class FractureParameters:
    """Electrolyte fracture and Li flow parameters (SI) of the penetration model."""

    name: str
    fracture_toughness_Pa_sqrt_m: float
    youngs_modulus_Pa: float
    poisson_ratio: float
    li_flow_stress_Pa: float = LI_SMALL_SCALE_YIELD_STRESS_PA
    geometry_factor: float = EDGE_CRACK_GEOMETRY_FACTOR
    opening_factor: float = EDGE_CRACK_OPENING_FACTOR
    source: str = ""

    def __post_init__(self) -> None:
        for name, unit in (
            ("fracture_toughness_Pa_sqrt_m", "Pa*m^0.5"),
            ("youngs_modulus_Pa", "Pa"),
            ("li_flow_stress_Pa", "Pa"),
            ("geometry_factor", ""),
            ("opening_factor", ""),
        ):
            positive_si(getattr(self, name), unit, name)
        mechanics.plane_strain_modulus_Pa(self.youngs_modulus_Pa, self.poisson_ratio)

    @property
    def plane_strain_modulus_Pa(self) -> float:
        """E' = E/(1 − ν²)."""
        return mechanics.plane_strain_modulus_Pa(self.youngs_modulus_Pa, self.poisson_ratio)

    def to_dict(self) -> dict:
        return {**asdict(self), "plane_strain_modulus_Pa": self.plane_strain_modulus_Pa}


#: Dense LLZO/LLZTO (module docstring for the sources).
LLZO = FractureParameters(
    name="LLZO",
    fracture_toughness_Pa_sqrt_m=mechanics.LLZO_FRACTURE_TOUGHNESS_PA_SQRT_M,
    youngs_modulus_Pa=mechanics.LLZO_YOUNGS_MODULUS_PA,
    poisson_ratio=mechanics.LLZO_POISSON_RATIO,
    source="K_Ic: Hu et al., Chin. Phys. Lett. 2021 (dense LLZTO); E: Ni et al., J. Mater. Sci. "
    "47 (2012) 7978; nu = E/(2G) - 1 with G = 60 GPa (seeds); sigma_y: seed 003 ref. [96]",
)
#: Fine-grained LATP (Jackman & Cutler, J. Power Sources 218 (2012) 65; ν assumed 0.25).
LATP = FractureParameters(
    name="LATP",
    fracture_toughness_Pa_sqrt_m=mechanics.LATP_FRACTURE_TOUGHNESS_PA_SQRT_M,
    youngs_modulus_Pa=mechanics.LATP_YOUNGS_MODULUS_PA,
    poisson_ratio=mechanics.LATP_POISSON_RATIO,
    source="K_Ic, E: Jackman & Cutler, J. Power Sources 218 (2012) 65; nu = 0.25 assumed; "
    "sigma_y: seed 003 ref. [96]",
)


def _fracture(fracture) -> FractureParameters:
    if not isinstance(fracture, FractureParameters):
        raise SsblabInputError(f"fracture must be a FractureParameters, got {type(fracture)!r}")
    return fracture


def critical_pressure_Pa(flaw_size_m, fracture: FractureParameters = LLZO) -> float:
    """Griffith–Irwin pressure P_crit = K_Ic/(Y·√(π c)) (Pa) for a flaw of depth c (m)."""
    c = positive_si(flaw_size_m, "m", "flaw_size_m")
    f = _fracture(fracture)
    return f.fracture_toughness_Pa_sqrt_m / (f.geometry_factor * math.sqrt(math.pi * c))


def flaw_opening_m(pressure_Pa, flaw_size_m, fracture: FractureParameters = LLZO) -> float:
    """Mouth opening of a pressurised edge crack, δ = 4·V·P·c/E' (m)."""
    p = positive_si(pressure_Pa, "Pa", "pressure_Pa")
    c = positive_si(flaw_size_m, "m", "flaw_size_m")
    f = _fracture(fracture)
    return 4.0 * f.opening_factor * p * c / f.plane_strain_modulus_Pa


def plating_pressure_Pa(current_density_A_m2, asr_ohm_m2, focusing_factor) -> float:
    """Li pressure plating can build in the flaw, P_η = (F/V_m)·k·j·κ (Pa).

    Equal to the Raj–Wolfenstine driving energy |e|·k·j·κ per Li atom divided by Ω_Li.
    """
    j = si_float(current_density_A_m2, "A/m^2", "current_density_A_m2")
    if j < 0:
        raise SsblabInputError(f"current_density_A_m2 must be >= 0, got {j}")
    k = positive_si(asr_ohm_m2, "ohm*m^2", "asr_ohm_m2")
    kappa = positive_si(focusing_factor, "", "focusing_factor")
    return FARADAY_C_MOL / LI_MOLAR_VOLUME_M3_MOL * k * j * kappa


def extrusion_pressure_Pa(flaw_size_m, opening_m, flow_stress_Pa) -> float:
    """Friction-hill pressure to extrude Li out of a slot, P_ext = (2/√3)·σ_y·c/w (Pa)."""
    c = positive_si(flaw_size_m, "m", "flaw_size_m")
    w = positive_si(opening_m, "m", "opening_m")
    s = positive_si(flow_stress_Pa, "Pa", "flow_stress_Pa")
    return 2.0 / math.sqrt(3.0) * s * c / w


def minimum_flaw_size_m(fracture: FractureParameters = LLZO) -> float:
    """c_min = 2√3·V·K_Ic²/(π·Y²·σ_y·E'): smaller flaws vent their Li before they crack (m)."""
    f = _fracture(fracture)
    return (
        2.0
        * math.sqrt(3.0)
        * f.opening_factor
        * f.fracture_toughness_Pa_sqrt_m**2
        / (math.pi * f.geometry_factor**2 * f.li_flow_stress_Pa * f.plane_strain_modulus_Pa)
    )


@dataclass(frozen=True)
class PenetrationLimit:
    """Plating-penetration limit of one flaw (SI). ``ccd_A_m2`` is None when the flaw vents."""

    flaw_size_m: float
    asr_ohm_m2: float
    critical_pressure_Pa: float
    critical_overpotential_V: float
    opening_m: float
    focusing_factor: float
    extrusion_pressure_Pa: float
    minimum_flaw_size_m: float
    vents: bool
    ccd_A_m2: float | None
    material: str
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return asdict(self)


def plating_penetration(
    flaw_size_m, asr_ohm_m2, *, fracture: FractureParameters = LLZO
) -> PenetrationLimit:
    """Critical plating current density for Li penetration through a surface flaw of depth c.

    j_pen = V_m·P_crit/(F·k·κ), κ = c/w = E'/(4·V·P_crit); None (``vents``) when c < c_min.
    See the module docstring for the equations, their validity and the sources.
    """
    c = positive_si(flaw_size_m, "m", "flaw_size_m")
    k = positive_si(asr_ohm_m2, "ohm*m^2", "asr_ohm_m2")
    f = _fracture(fracture)
    p_crit = critical_pressure_Pa(c, f)
    w = flaw_opening_m(p_crit, c, f)
    if w > c:
        raise SsblabInputError(
            f"flaw_size_m = {c:.3g} m opens wider ({w:.3g} m) than it is deep at P_crit: outside "
            "the slender-flaw (St Venant) focusing of the model"
        )
    kappa = focused_current_density_A_m2(1.0, c, w)  # Raj–Wolfenstine Eq. 4: j_tip/j = c/w
    p_ext = extrusion_pressure_Pa(c, w, f.li_flow_stress_Pa)
    c_min = minimum_flaw_size_m(f)
    vents = p_ext < p_crit
    notes: list[str] = []
    if vents:
        ccd = None
        notes.append(
            f"Li extrudes out of the flaw at {p_ext / 1e6:.3g} MPa < P_crit = {p_crit / 1e6:.3g} "
            f"MPa: a {c * 1e6:.3g} um flaw vents (c_min = {c_min * 1e6:.3g} um)"
        )
    else:
        ccd = LI_MOLAR_VOLUME_M3_MOL * p_crit / (FARADAY_C_MOL * k * kappa)
    return PenetrationLimit(
        flaw_size_m=c,
        asr_ohm_m2=k,
        critical_pressure_Pa=p_crit,
        critical_overpotential_V=p_crit * LI_MOLAR_VOLUME_M3_MOL / FARADAY_C_MOL,
        opening_m=w,
        focusing_factor=kappa,
        extrusion_pressure_Pa=p_ext,
        minimum_flaw_size_m=c_min,
        vents=vents,
        ccd_A_m2=ccd,
        material=f.name,
        notes=tuple(notes),
    )


def penetration_ccd_A_m2(flaw_size_m, asr_ohm_m2, **kwargs) -> float | None:
    """Shortcut for ``plating_penetration(...).ccd_A_m2`` (None: the flaw vents)."""
    return plating_penetration(flaw_size_m, asr_ohm_m2, **kwargs).ccd_A_m2
