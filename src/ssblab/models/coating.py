"""ALD coatings on oxide electrolytes: thickness, process time, lithiation, defects and ASR.

**Thickness.** ALD grows linearly once nucleation is complete:
L = GPC · max(0, n − n₀), with growth per cycle GPC and a nucleation delay of n₀ cycles.
Seed 004 prints 150 cycles ≈ 15 nm for Al2O3 and 175 cycles ≈ 15 nm for Li3PO4. Hence the
*inferred* values GPC(Al2O3) = 0.10 nm/cycle (``s004-ald-al2o3-gpc``) and GPC(Li3PO4) = 0.086
nm/cycle (``s004-ald-li3po4-gpc``). Seed 000 deposits "about 10 nm" of Al2O3
(``s000-ald-al2o3-thickness``) but does not print the number of cycles (≈ 100 at 0.10 nm/cycle).
n₀ = 0 is an *assumption*: TMA/H2O grows from the first cycle on hydroxylated oxide surfaces
(Puurunen, J. Appl. Phys. 97 (2005) 121301). Pass n₀ for substrates that inhibit growth.

**Process time.** The time of one cycle is the sum of its steps. Seed 000 §2.2 (TMA + H2O,
150 °C, Ar 50 sccm; ``s000-ald-al2o3-*-time``) uses seven steps per cycle: H2O pulse 0.5 s,
static hold 0.3 s, Ar purge 15 s, TMA pulse 0.3 s, static hold 0.3 s, Ar purge 15 s, pump 15 s.
That makes **46.4 s per cycle**. The seed prints the two holds once ("a 0.3 s static period after
introducing the water vapor and TMA"); the order hold-before-purge is the knowledge base's reading.
About 10 nm (≈ 100 cycles) takes ≈ 77 min without set-up time.

**Lithiation** of Al2O3 into ion-conducting LixAl2O3+x/2 (x = 0.4–1.4, seed 003 §2.3.3, ref. [52],
``s003-alox-lithiated-binding``). DFT puts a single Li in crystalline α-Al2O3 at +3.17 eV
(``s004-dft-li-in-al2o3``: unfavourable, so the coating blocks Li) and in LATP at −2.88 eV
(``s004-dft-li-in-latp``). The ALD film nevertheless lithiates under current; seed 004 attributes
the fall of the overpotential to that lithiation. During lithiation the layer behaves as two
resistors in series, ASR(t) = (L − s)/σ_pristine + s/σ_lithiated, with s(t) the lithiated depth.
Two laws for s(t) are provided (``CoatingMaterial.lithiation_law``):

* ``"parabolic"`` (diffusion-limited front): s = min(L, √(2Dt)) (:func:`lithiated_depth_m`);
* ``"logarithmic"`` (thin-film, field-assisted growth that slows exponentially with the reacted
  depth, as in the Cabrera–Mott treatment of thin oxide films; Cabrera & Mott, Rep. Prog. Phys.
  12 (1949) 163): s = min(L, A ln(1 + t/τ)) (:func:`logarithmic_lithiated_depth_m`).

Seed 004 tells them apart. LATP@150Al2O3 (15 nm) is lithiated by cycle 100 (10 V → 0.9 V,
``s004-ovp-al150-c1``/``-c100``, flat afterwards), yet LATP@250Al2O3 (25 nm) and @200 stay at
5 V and 2 V, "stable" (``s004-ovp-al250``/``-al200``): the front must stall near 19 nm by 600 h.
A parabolic front that reaches 15 nm by 200 h reaches ≥ 26 nm by 600 h and would lithiate the
25-nm film (≈ 1.5 V); only a front that slows faster than √t fits both. The Al2O3 entry therefore
uses the logarithmic law, **calibrated** (:func:`ssblab.replicate.seed004.calibrate_al2o3`,
``ssblab replicate 004``): A = 3.15 nm and τ = 1.72 h from s(199 h) = 15 nm (cycle 100 of
LATP@150) and the 5.0 V of LATP@250 at cycle 300, its unlithiated remainder conducting by
high-field hopping at the field of the cycle-1 peak (:mod:`ssblab.models.highfield`). The
law lumps the field-assisted transport at
0.01 mA/cm² and room temperature; it has no field or temperature dependence. The parabolic
default ``LITHIATION_DIFFUSIVITY_M2_S`` = (15 nm)²/(2·200 h) serves the parabolic API and custom
materials.

**Coating ASR** = L/σ (Ω m², per coated face). Conductivities are *apparent values derived from
seed 004* for symmetric Li | coating | LATP | coating | Li cells at j = 0.01 mA/cm². ALD coats
both faces (assumption), so each coating carries half the overpotential; the contribution of
bare LATP (0.1 V, ``s004-ovp-bare-c1``) is neglected for Al2O3.

* Al2O3 as deposited: σ = j·L/(η/2) = 0.1 A/m² · 15 nm / 5 V = **3.0e-10 S/m** (3.0e-12 S/cm).
  This is derived from 10 V at 150 cycles. The other thicknesses give 2.5e-10 (25 cycles, 2 V),
  1.7e-10 (50 cycles, 6 V) and 2.5e-10 S/m (100 cycles, 8 V) (``s004-ovp-al25-c1``,
  ``s004-ovp-al50-c1``, ``s004-ovp-al100-c1``). The ASR is therefore only roughly linear in L.
* Lithiated Li-Al-O: σ = **7.6e-9 S/m**, *calibrated* (seed-004 cell model,
  :mod:`ssblab.replicate.seed004`): 15 nm over the part of the 0.9-V plateau of LATP@150Al2O3
  at cycle 300 left after bulk, contact and charge transfer (0.1 V, bare cycle 1) and the
  cracking of the LATP where Li breaches the film (exp(−L/λ), λ = 6.8 nm fitted, 0.33 V);
  attributing the whole plateau to the coatings would give 3.3e-9 S/m.
  **Very uncertain**: seed 003's garnet with lithiated ALD Al2O3
  reaches 1 Ω cm² (``s003-txt-ald-al2o3-asr``). The coating thickness of that study is not
  printed in the seed; for a film of ~10 nm it would imply σ ≥ 1e-4 S/m, about 4.5 orders of
  magnitude more.
* Li-Al-O on garnet (``"Li-Al-O"``): ALD Al2O3 on garnet lithiated on contact with Li, which
  brings the Li | garnet ASR to 1 Ω cm² (seed 003 §2.3.3, ``s003-txt-ald-al2o3-asr``); for a
  10-nm film (assumption: seed 000's thickness) σ = **1e-4 S/m** (apparent).
* Li3PO4 (ALD, 175 cycles ≈ 15 nm): the overpotential is 0.3 V against 0.1 V for bare LATP
  (``s004-ovp-li3po4-c1``), so σ = 15 nm / (0.2 V/2 / 0.1 A/m²) = **1.5e-8 S/m**. This is an
  apparent value and includes the Li | Li3PO4 contact. Li3PO4 does not lithiate further. Its
  later rise (0.3 → 0.8 → 2.4 → 4 V) is, in the seed's words, due to cracks formed *in bulk
  LATP* by Li-ion migration into its grain boundaries, with Ti reduction suppressed under the
  film (seed 004 Figure 3c, HE-XPS) — not to cracks in the Li3PO4 film
  (:mod:`ssblab.models.cracking`).

**Li penetration through defects.** A Poisson (independent-sublayer) model: a site stays
uncovered after n cycles with probability (1 − c)^n, so the area fraction left exposed to Li (by
pinholes or seams) falls as f(L) = exp(−L/λ) with λ = GPC/(−ln(1 − c)). The default
λ = 2.5 nm is an **assumption, not a fit** (used by the simulator's pinhole-fed interphase). The
seed-004 replication instead *fits* λ = 6.8 nm as the breach length through which Li reaches
and cracks the LATP (on LATP@50 at cycle 300; 4.2 / 9.8 nm from the 25- / 100-cycle points).
With λ = 2.5 nm, f(10 nm) = 1.8 % and f(15 nm) = 0.25 %, so
seed 004's ordering (100 cycles "not thick enough", with lithium penetrating the 25- and
50-cycle films; 150 cycles stable for 600 h) holds for any tolerated exposed fraction between
those two values. Electron tunnelling through films thinner than a few nm is not modelled.
Through the exposed fraction Li and electrons reach the electrolyte and feed its interphase
(:meth:`ssblab.models.interphase.Interphase.fed_through`); the simulator uses this on coated
faces, so that a thin coating lets a reducible electrolyte's interphase grow.

**Li uptake** of lithiation: n_Li = x · ρL/M(Al2O3), with charge F·n_Li. The default density
3.0 g/cm³ is the value reported for TMA/H2O films grown at 177 °C (Groner et al., Chem. Mater. 16
(2004) 639), quoted from memory and *assumed* for 150 °C. x defaults to 1, mid-range of seed
003's 0.4–1.4. For 15 nm this is ≈ 1.2 µAh/cm², about an eighth of one 0.01-mAh/cm² half-cycle
in seed 004.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from ssblab.errors import SsblabInputError
from ssblab.units import non_negative_si, positive_si

F_C_MOL = 96485.33212  # C/mol (CODATA 2018)
M_AL2O3_KG_MOL = 0.101961  # kg/mol
_HOUR = 3600.0

#: Growth per cycle of ALD Al2O3, m (15 nm / 150 cycles; seed 004, s004-ald-al2o3-gpc, inferred).
GPC_AL2O3_M = 15e-9 / 150
#: Growth per cycle of ALD Li3PO4, m (15 nm / 175 cycles; seed 004, s004-ald-li3po4-gpc, inferred).
GPC_LI3PO4_M = 15e-9 / 175
#: ALD Al2O3 thickness of seed 000, m ("about 10 nm"; s000-ald-al2o3-thickness).
SEED000_AL2O3_THICKNESS_M = 10e-9
#: Range of x in LixAl2O3+x/2 (seed 003 §2.3.3 [52], s003-alox-lithiated-binding).
LITHIATION_X_RANGE = (0.4, 1.4)
#: DFT energy of one Li in α-Al2O3 / in LATP vs Li metal, eV (s004-dft-li-in-al2o3, -latp).
LI_IN_AL2O3_EV = 3.17
LI_IN_LATP_EV = -2.88
#: Density of ALD Al2O3, kg/m³ (3.0 g/cm³, Groner et al. 2004 at 177 °C; assumed).
AL2O3_ALD_DENSITY_KG_M3 = 3000.0
#: Decay length of the exposed (defect) area fraction, m. ASSUMPTION (see module docstring).
DEFECT_DECAY_LENGTH_M = 2.5e-9

# Seed 004 symmetric-cell numbers the conductivities are derived from (module docstring).
_J_SEED004_A_M2 = 0.1  # 0.01 mA/cm² (s004-sym-current-density)
_L_150_M = 150 * GPC_AL2O3_M  # 15 nm
_L_LI3PO4_M = 175 * GPC_LI3PO4_M  # 15 nm

#: As-deposited ALD Al2O3, S/m: 0.1 A/m² · 15 nm / (10 V / 2) (s004-ovp-al150-c1).
SIGMA_AL2O3_S_M = _J_SEED004_A_M2 * _L_150_M / (10.0 / 2)
#: Lithiated Li-Al-O, S/m: CALIBRATED on s004-ovp-al150-c300 (module docstring; reproduced by
#: ssblab.replicate.seed004.calibrate_al2o3, which a test checks against these constants).
SIGMA_LIALO_S_M = 7.5680e-9
#: Logarithmic lithiation law of ALD Al2O3, s = A ln(1 + t/τ): CALIBRATED on s004-ovp-al150-c100
#: and s004-ovp-al250 (module docstring).
LITHIATION_LOG_AMPLITUDE_M = 3.1511e-9
LITHIATION_LOG_TIME_CONSTANT_S = 1.7188 * _HOUR
#: ALD Al2O3 on garnet lithiated by Li contact (Li-Al-O), S/m: 10 nm / 1 Ω cm² (seed 003 §2.3.3,
#: s003-txt-ald-al2o3-asr; the 10-nm thickness is an assumption, seed 000's ALD film). Apparent:
#: includes the charge transfer of that interface.
SIGMA_LIALO_GARNET_S_M = 10e-9 / 1e-4
#: ALD Li3PO4 (apparent), S/m: 15 nm / (((0.3 − 0.1) V / 2) / 0.1 A/m²) (s004-ovp-li3po4-c1).
SIGMA_LI3PO4_S_M = _L_LI3PO4_M / (((0.3 - 0.1) / 2) / _J_SEED004_A_M2)
#: Effective lithiation-front diffusivity of ALD Al2O3, m²/s, lower bound: (15 nm)²/(2·200 h).
LITHIATION_DIFFUSIVITY_M2_S = _L_150_M**2 / (2 * 100 * 2 * _HOUR)


@dataclass(frozen=True)
class ALDStep:
    name: str
    duration_s: float


@dataclass(frozen=True)
class ALDRecipe:
    """An ALD cycle as a sequence of timed steps (s)."""

    name: str
    steps: tuple[ALDStep, ...]
    source: str = ""

    def __post_init__(self) -> None:
        if not self.steps:
            raise SsblabInputError("steps must contain at least one ALDStep")
        for step in self.steps:
            non_negative_si(step.duration_s, "s", f"duration_s of step {step.name!r}")

    @property
    def cycle_time_s(self) -> float:
        return float(sum(step.duration_s for step in self.steps))

    def process_time_s(self, cycles) -> float:
        """Deposition time for ``cycles`` cycles (no set-up, heating or venting)."""
        return non_negative_si(cycles, "", "cycles") * self.cycle_time_s

    def to_dict(self) -> dict:
        return asdict(self)


#: Seed 000 §2.2 TMA/H2O Al2O3 recipe, 150 °C (s000-ald-al2o3-*-time): 46.4 s per cycle.
SEED000_AL2O3_RECIPE = ALDRecipe(
    name="Al2O3, TMA + H2O, 150 °C, Ar 50 sccm (seed 000 §2.2)",
    steps=(
        ALDStep("H2O pulse", 0.5),
        ALDStep("static hold after H2O", 0.3),
        ALDStep("Ar purge", 15.0),
        ALDStep("TMA pulse", 0.3),
        ALDStep("static hold after TMA", 0.3),
        ALDStep("Ar purge", 15.0),
        ALDStep("mechanical pump", 15.0),
    ),
    source="seed 000 §2.2 (s000-ald-al2o3-h2o-pulse-time … s000-ald-al2o3-pump-time)",
)


LITHIATION_LAWS = ("parabolic", "logarithmic")


@dataclass(frozen=True)
class CoatingMaterial:
    """An ALD coating material with its growth and transport parameters (SI).

    A lithiating material gives ``sigma_ion_lithiated_S_m`` and its lithiation law: parabolic
    with ``lithiation_diffusivity_m2_s``, or logarithmic with ``lithiation_amplitude_m`` (A) and
    ``lithiation_time_constant_s`` (τ).
    """

    name: str
    growth_per_cycle_m: float
    sigma_ion_S_m: float
    sigma_ion_lithiated_S_m: float | None = None  # None: does not lithiate
    lithiation_diffusivity_m2_s: float | None = None
    nucleation_delay_cycles: float = 0.0
    source: str = ""
    lithiation_law: str = "parabolic"
    lithiation_amplitude_m: float | None = None
    lithiation_time_constant_s: float | None = None

    def __post_init__(self) -> None:
        positive_si(self.growth_per_cycle_m, "m", "growth_per_cycle_m")
        positive_si(self.sigma_ion_S_m, "S/m", "sigma_ion_S_m")
        non_negative_si(self.nucleation_delay_cycles, "", "nucleation_delay_cycles")
        if self.lithiation_law not in LITHIATION_LAWS:
            raise SsblabInputError(
                f"lithiation_law {self.lithiation_law!r}: use one of {', '.join(LITHIATION_LAWS)}"
            )
        if self.sigma_ion_lithiated_S_m is None:
            return
        positive_si(self.sigma_ion_lithiated_S_m, "S/m", "sigma_ion_lithiated_S_m")
        if self.lithiation_law == "parabolic":
            if self.lithiation_diffusivity_m2_s is None:
                raise SsblabInputError(
                    "sigma_ion_lithiated_S_m needs lithiation_diffusivity_m2_s (parabolic law)"
                )
            positive_si(self.lithiation_diffusivity_m2_s, "m^2/s", "lithiation_diffusivity_m2_s")
        else:
            if self.lithiation_amplitude_m is None or self.lithiation_time_constant_s is None:
                raise SsblabInputError(
                    "the logarithmic lithiation law needs lithiation_amplitude_m and "
                    "lithiation_time_constant_s"
                )
            positive_si(self.lithiation_amplitude_m, "m", "lithiation_amplitude_m")
            positive_si(self.lithiation_time_constant_s, "s", "lithiation_time_constant_s")

    @property
    def lithiates(self) -> bool:
        return self.sigma_ion_lithiated_S_m is not None

    def lithiated_depth_m(self, time_s, thickness_m):
        """Lithiated depth s(t) ≤ L (m); ``time_s`` may be an array (then an array is returned)."""
        length = non_negative_si(thickness_m, "m", "thickness_m")
        t, scalar = _times(time_s)
        if not self.lithiates:
            depth = np.zeros(t.shape)
        elif self.lithiation_law == "parabolic":
            depth = np.sqrt(2 * self.lithiation_diffusivity_m2_s * t)
        else:
            depth = self.lithiation_amplitude_m * np.log1p(t / self.lithiation_time_constant_s)
        depth = np.minimum(length, depth)
        return float(depth) if scalar else depth

    def asr_ohm_m2(self, time_s, thickness_m):
        """ASR(t) = (L − s)/σ_pristine + s/σ_lithiated of one coating (Ω m²; arrays allowed)."""
        length = non_negative_si(thickness_m, "m", "thickness_m")
        depth = self.lithiated_depth_m(time_s, length)
        if not self.lithiates:
            return depth + length / self.sigma_ion_S_m
        return (length - depth) / self.sigma_ion_S_m + depth / self.sigma_ion_lithiated_S_m

    def to_dict(self) -> dict:
        return asdict(self)


def _times(time_s):
    """Non-negative finite times as an array, plus whether the input was a scalar."""
    if np.ndim(time_s) == 0 and not isinstance(time_s, np.ndarray):
        return np.asarray(non_negative_si(time_s, "s", "time_s")), True
    t = np.asarray(time_s, dtype=float)
    if not np.all(np.isfinite(t)) or np.any(t < 0):
        raise SsblabInputError("time_s must be finite and >= 0")
    return t, False


COATINGS: dict[str, CoatingMaterial] = {
    "Al2O3": CoatingMaterial(
        "Al2O3",
        growth_per_cycle_m=GPC_AL2O3_M,
        sigma_ion_S_m=SIGMA_AL2O3_S_M,
        sigma_ion_lithiated_S_m=SIGMA_LIALO_S_M,
        lithiation_law="logarithmic",
        lithiation_amplitude_m=LITHIATION_LOG_AMPLITUDE_M,
        lithiation_time_constant_s=LITHIATION_LOG_TIME_CONSTANT_S,
        source=(
            "GPC and pristine σ derived from seed 004; lithiated σ and the logarithmic "
            "lithiation law calibrated on seed 004 (ssblab replicate 004); see module doc"
        ),
    ),
    "Li-Al-O": CoatingMaterial(
        "Li-Al-O",
        growth_per_cycle_m=GPC_AL2O3_M,
        sigma_ion_S_m=SIGMA_LIALO_GARNET_S_M,
        source=(
            "ALD Al2O3 on garnet, lithiated on contact with Li: derived from seed 003 §2.3.3 "
            "(s003-txt-ald-al2o3-asr, 1 ohm cm2) for an assumed 10 nm film (seed 000's thickness)"
        ),
    ),
    "Li3PO4": CoatingMaterial(
        "Li3PO4",
        growth_per_cycle_m=GPC_LI3PO4_M,
        sigma_ion_S_m=SIGMA_LI3PO4_S_M,
        source="derived from seed 004 (175 cycles ≈ 15 nm; 0.3 V vs 0.1 V at cycle 1)",
    ),
}


def coating_material(name: str) -> CoatingMaterial:
    """A catalogue entry of ``COATINGS`` by name."""
    try:
        return COATINGS[name]
    except (KeyError, TypeError):
        raise SsblabInputError(
            f"coating material {name!r} is unknown: use one of {', '.join(COATINGS)}"
        ) from None


def ald_thickness_m(cycles, growth_per_cycle_m=GPC_AL2O3_M, nucleation_delay_cycles=0.0) -> float:
    """L = GPC · max(0, n − n₀) (m)."""
    n = non_negative_si(cycles, "", "cycles")
    gpc = positive_si(growth_per_cycle_m, "m", "growth_per_cycle_m")
    n0 = non_negative_si(nucleation_delay_cycles, "", "nucleation_delay_cycles")
    return gpc * max(0.0, n - n0)


def ald_cycles_for_thickness(
    thickness_m, growth_per_cycle_m=GPC_AL2O3_M, nucleation_delay_cycles=0.0
) -> float:
    """Cycles n = n₀ + L/GPC (not rounded)."""
    length = non_negative_si(thickness_m, "m", "thickness_m")
    gpc = positive_si(growth_per_cycle_m, "m", "growth_per_cycle_m")
    return non_negative_si(nucleation_delay_cycles, "", "nucleation_delay_cycles") + length / gpc


def lithiation_time_s(thickness_m, diffusivity_m2_s=LITHIATION_DIFFUSIVITY_M2_S) -> float:
    """Time for the lithiation front to cross the coating: t = L²/(2D)."""
    length = non_negative_si(thickness_m, "m", "thickness_m")
    return length**2 / (2 * positive_si(diffusivity_m2_s, "m^2/s", "diffusivity_m2_s"))


def lithiated_depth_m(time_s, thickness_m, diffusivity_m2_s=LITHIATION_DIFFUSIVITY_M2_S) -> float:
    """s(t) = min(L, √(2 D t)) (m)."""
    t = non_negative_si(time_s, "s", "time_s")
    length = non_negative_si(thickness_m, "m", "thickness_m")
    d = positive_si(diffusivity_m2_s, "m^2/s", "diffusivity_m2_s")
    return min(length, math.sqrt(2 * d * t))


def logarithmic_lithiated_depth_m(
    time_s,
    thickness_m,
    amplitude_m=LITHIATION_LOG_AMPLITUDE_M,
    time_constant_s=LITHIATION_LOG_TIME_CONSTANT_S,
) -> float:
    """s(t) = min(L, A ln(1 + t/τ)) (m)."""
    t = non_negative_si(time_s, "s", "time_s")
    length = non_negative_si(thickness_m, "m", "thickness_m")
    a = positive_si(amplitude_m, "m", "amplitude_m")
    tau = positive_si(time_constant_s, "s", "time_constant_s")
    return min(length, a * math.log1p(t / tau))


def coating_asr_ohm_m2(thickness_m, sigma_S_m) -> float:
    """ASR = L/σ (Ω m²) of one coating."""
    length = non_negative_si(thickness_m, "m", "thickness_m")
    return length / positive_si(sigma_S_m, "S/m", "sigma_S_m")


def lithiating_coating_asr_ohm_m2(
    time_s,
    thickness_m,
    sigma_pristine_S_m=SIGMA_AL2O3_S_M,
    sigma_lithiated_S_m=SIGMA_LIALO_S_M,
    diffusivity_m2_s=LITHIATION_DIFFUSIVITY_M2_S,
) -> float:
    """ASR(t) = (L − s)/σ_pristine + s/σ_lithiated with s the lithiated depth (Ω m²)."""
    s = lithiated_depth_m(time_s, thickness_m, diffusivity_m2_s)
    length = non_negative_si(thickness_m, "m", "thickness_m")
    return coating_asr_ohm_m2(length - s, sigma_pristine_S_m) + coating_asr_ohm_m2(
        s, sigma_lithiated_S_m
    )


def exposed_fraction(thickness_m, decay_length_m=DEFECT_DECAY_LENGTH_M) -> float:
    """Area fraction left exposed to Li through defects: f = exp(−L/λ) (assumed λ, see doc)."""
    length = non_negative_si(thickness_m, "m", "thickness_m")
    return math.exp(-length / positive_si(decay_length_m, "m", "decay_length_m"))


def lithiation_charge_C_m2(thickness_m, x=1.0, density_kg_m3=AL2O3_ALD_DENSITY_KG_M3) -> float:
    """Charge to lithiate Al2O3 to LixAl2O3+x/2: Q = F x ρ L / M(Al2O3) (C/m²)."""
    length = non_negative_si(thickness_m, "m", "thickness_m")
    x_val = positive_si(x, "", "x")
    rho = positive_si(density_kg_m3, "kg/m^3", "density_kg_m3")
    return F_C_MOL * x_val * rho * length / M_AL2O3_KG_MOL


@dataclass(frozen=True)
class CoatingState:
    """A coating after ``cycles`` ALD cycles and ``time_s`` in contact with Li under current."""

    material: str
    cycles: float
    time_s: float
    thickness_m: float
    lithiated_depth_m: float
    lithiated_fraction: float
    asr_ohm_m2: float
    exposed_fraction: float

    def to_dict(self) -> dict:
        return asdict(self)


def coating_state(
    cycles, time_s=0.0, material="Al2O3", *, decay_length_m=DEFECT_DECAY_LENGTH_M
) -> CoatingState:
    """Thickness, lithiation, ASR and exposed fraction of a catalogued coating."""
    mat = material if isinstance(material, CoatingMaterial) else coating_material(material)
    n = non_negative_si(cycles, "", "cycles")
    t = non_negative_si(time_s, "s", "time_s")
    length = ald_thickness_m(n, mat.growth_per_cycle_m, mat.nucleation_delay_cycles)
    depth = mat.lithiated_depth_m(t, length)
    asr = mat.asr_ohm_m2(t, length)
    return CoatingState(
        material=mat.name,
        cycles=n,
        time_s=t,
        thickness_m=length,
        lithiated_depth_m=depth,
        lithiated_fraction=depth / length if length > 0 else 0.0,
        asr_ohm_m2=asr,
        exposed_fraction=exposed_fraction(length, decay_length_m),
    )
