"""Li | oxide-electrolyte interphases: Wenzel's classification, growth laws and ASR.

**Classification** (Wenzel et al., Solid State Ionics 278 (2015) 98; Chem. Mater. 28 (2016)
2400; reproduced as seed 003 §2.1 Figure 2, ref. [45]):

* ``"stable"``: thermodynamically stable against Li. A sharp 2-D interface forms; nothing grows.
* ``"mci"``: a reactive interface whose products conduct ions *and* electrons (a
  mixed-conducting interphase, MCI). The reaction propagates into the SE and keeps growing.
  Examples are Ti⁴⁺ → Ti³⁺ in LATP (seed 004) and in LLTO (seed 001 §1, "spontaneous reduction of
  Ti⁴⁺ in LLTO with Li metal").
* ``"sei"``: a reactive interface whose products are electronically insulating. The interphase
  limits its own growth (a solid-electrolyte interphase). Example: tetragonal LLZO on cubic LLZO,
  stable at ≈ 6 nm (seed 003 §2.1, ref. [51], Ma et al., Nano Lett. 16 (2016) 7030).

:func:`classify_interface` applies this rule to a Li-insertion / reaction energy (≥ 0: stable)
and to the electronic conductivity of the products. Products count as insulating below
``INSULATING_BELOW_S_M`` = 1e-6 S/m (1e-8 S/cm). That is the electronic conductivity of LLZO,
which seed 001 §4 calls "almost insulating to electrons" (``s001-s4-llzo-electronic``). The
threshold is a documented convention, not a sharp physical boundary.

**Growth laws** (thickness L(t), initial L₀; :func:`grown_thickness_m`):

* parabolic (transport through the interphase limits growth): L² = L₀² + 2kt, k in m²/s.
  Wagner's tarnishing theory gives k from the ambipolar conductivity
  σ_amb = σ_iσ_e/(σ_i + σ_e): k = V_m σ_amb E/F (:func:`wagner_parabolic_rate_m2_s`). Here E is
  the driving voltage (reaction free energy per Li over F) and V_m the interphase volume formed
  per mole of Li. As σ_e → 0, k → 0: an electronically insulating product limits itself (SEI);
* linear (the interface reaction limits growth): L = L₀ + kt, k in m/s;
* logarithmic (thin-film, field-assisted growth): L = L₀ + A ln(1 + t/τ);
* saturating (self-limiting SEI): L = L_lim − (L_lim − L₀) e^(−t/τ). τ = 0 means the layer forms
  at once (L = L_lim for t > 0).

**ASR**: ASR = L/σ_ion of the interphase (Ω m²), as ions cross the layer in series.

**Catalogue** (``INTERPHASES``; each entry gives its derivation, nothing is fitted silently):

* ``llzo_tetragonal`` (SEI): L_lim = 6 nm (seed 003 §2.1, ref. [51],
  ``s003-tetragonal-interphase-thickness``). Forms at once: the seed gives no formation time.
  σ_ion = 5.67e-3 S/m is the value for dense tetragonal LLZO (5.67e-5 S/cm; seed 001 §3.2.1,
  ref. [76], ``s001-s3-li2o-aid-sigma``). *Assumption:* the 6-nm film conducts like that ceramic.
* ``latp_ti3`` (MCI, parabolic): *derived from seed 004 (Results, Figure 4b; EELS, 24 nm after
  100 cycles)*. The Ti³⁺-dominated depth of bare LATP is 24 nm after 100 cycles
  (``s004-eels-bare-ti3-depth``). One cycle takes 2 h (``s004-sym-cycle-time``), so 100 cycles
  are 200 h. k = (24 nm)²/(2·200 h) = 4.0e-22 m²/s (1.44 nm²/h). A linear law would give
  24 nm/200 h = 3.3e-14 m/s (0.12 nm/h); one data point cannot tell the laws apart. The seed warns
  that the line scan crosses a Li-rich region, so the average depth is smaller: k is an upper
  estimate. σ_ion is *apparent*. The overpotential of bare Li/LATP/Li at 0.01 mA/cm² rises from
  0.1 V to 3.5 V after 300 cycles = 600 h (``s004-ovp-bare-c1``, ``s004-ovp-bare-c300``), i.e.
  17 Ω m² per interface. The parabolic law gives 24·√3 = 41.6 nm at 600 h, so
  σ = 41.6 nm/17 Ω m² = 2.4e-9 S/m. This lumps the contact degradation seen in TEM (a rough,
  porous surface) into the interphase and is therefore a lower bound for the interphase itself.
  Applied to the 16-nm layer under Al2O3 it would predict 1.3 V, more than the 0.9 V measured
  (``s004-ovp-al150-c100``).
* ``latp_ti3_al2o3`` (MCI under 150 ALD cycles of Al2O3): *derived from seed 004 (EELS, 16 nm
  after 100 cycles)*, ``s004-eels-al150-ti3-depth``. k = (16 nm)²/(2·200 h) = 1.8e-22 m²/s
  (0.64 nm²/h), with the same caveat and the same σ_ion as ``latp_ti3``.
* ``llto_ti3`` (MCI): **no rate or conductivity for LLTO in the seeds**. Seed 001 states only
  that Ti⁴⁺ in LLTO is reduced by Li. The LATP values are used as a *stand-in* (an order of
  magnitude at best); pass your own rate when you have one.
* ``stable``: no interphase.

Cross-check with seed 004's HE-XPS: 14 % Ti³⁺ at 6 keV after cycling
(``s004-xps-bare-cycled-ti3-fraction-6kev``). For a fully reduced top layer under exponential
signal attenuation (attenuation length λ), this corresponds to an equivalent thickness
L_eq = −λ ln(1 − 0.14) = 0.15 λ (:func:`xps_equivalent_thickness_m`). That is about 0.5–1.5 nm
for λ = 3–10 nm (λ is not in the seeds: the seed only says the probing depth exceeds 10 nm). The
result is an order of magnitude below the 24-nm EELS depth, so the reduced layer is patchy or only
partly reduced. The catalogue rates are upper estimates for that reason.

**Growth under a coating in series (Deal–Grove form).** A mixed-conducting interphase grows by
Li⁺ + e⁻ reaching its reaction front. Under a coating the electrons (Li⁺ pass the lithiated
coating freely) must cross the coating *and* the interphase in series, so the flux is
∝ 1/(L_c/σ_c + x/σ_int) and dx/dt = k/(x + x_c) with the coating's equivalent thickness
x_c = L_c·σ_int/σ_c (the interphase thickness with the same electronic resistance as the
coating). Integrated (Deal & Grove, J. Appl. Phys. 36 (1965) 3770, linear-parabolic law with
B = 2k and A = 2x_c): x² + 2x_c x = 2kt, x = x_c[√(1 + 2kt/x_c²) − 1]
(:func:`deal_grove_thickness_m`, :meth:`Interphase.under_coating`). Thin or conducting
coating (x_c ≪ x): parabolic as bare; thick or insulating coating (x_c ≫ x): linear,
x ≈ kt/x_c, supply-limited. This replaces the √(exposed fraction) scaling of
:meth:`Interphase.fed_through` (kept for the simulator) for seed 004: the 16-nm Ti³⁺ depth under
150 ALD cycles of Al2O3 against 24 nm bare after 200 h fixes x_c(15 nm) = (24² − 16²)/(2·16) nm
= 10 nm, i.e. σ_c/σ_int = 1.5 for lithiated Li-Al-O (:func:`coating_equivalent_from_depths_m`;
a one-point calibration, ``ssblab replicate 004``).

**Classification by material** (:func:`classify_interface` with a material name):
:func:`ssblab.models.reduction.classify_material` — reduction potentials vs Li/Li⁺ from Zhu,
He & Mo (2015): LATP, LAGP, LLTO are reduced by Li into electron-conducting products (MCI);
LLZO's driving force is below DFT accuracy (kinetically stable, insulating products); Al2O3 is
reducible by Li (hence its lithiation into Li-Al-O, an SEI-type layer).

**Caveat on** ``latp_ti3``'s σ: the *apparent* 2.4e-9 S/m puts the whole bare 0.1 → 3.5 V rise
into a 41.6-nm layer. The seed-004 replication no longer uses it: there the rise is decomposed
into interphase (ionic σ of the lithiated NASICON, negligible), contact and chemo-mechanical
cracking (:mod:`ssblab.models.cracking`). The catalogue entry stays for the simulator.

Validity: 1-D, uniform layers; no coupling between growth and current (seed 004 cycles at a low
0.01 mA/cm²); the times are cell time, with the Li contact time counted as the cycling time.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import asdict, dataclass

import numpy as np

from ssblab.errors import SsblabInputError
from ssblab.units import non_negative_si, positive_si, si_float

F_C_MOL = 96485.33212  # Faraday constant, C/mol (CODATA 2018)

KINDS = ("stable", "mci", "sei")
LAWS = ("none", "parabolic", "linear", "logarithmic", "saturating")

#: Electronic conductivity below which reaction products count as insulating, S/m (LLZO's 1e-8
#: S/cm, "almost insulating to electrons": seed 001 §4, s001-s4-llzo-electronic). A convention.
INSULATING_BELOW_S_M = 1.0e-6

_HOUR = 3600.0
#: Seed 004: 100 cycles of 2 h each (s004-sym-cycle-time) = 200 h, the time of the EELS depths.
SEED004_EELS_TIME_S = 100 * 2 * _HOUR
#: Seed 004 EELS: Ti³⁺-dominated depth after 100 cycles, bare LATP (s004-eels-bare-ti3-depth).
LATP_TI3_DEPTH_M = 24e-9
#: Same, LATP coated with 150 ALD cycles of Al2O3 (s004-eels-al150-ti3-depth).
LATP_AL2O3_TI3_DEPTH_M = 16e-9
#: Tetragonal LLZO interphase on cubic LLZO vs Li (seed 003 §2.1 [51]).
LLZO_TETRAGONAL_THICKNESS_M = 6e-9
#: Ionic conductivity of dense tetragonal LLZO, S/m (5.67e-5 S/cm; s001-s3-li2o-aid-sigma).
SIGMA_ION_T_LLZO_S_M = 5.67e-3


def _times(time_s, name: str = "time_s"):
    """Non-negative finite times as an array, plus whether the input was a scalar."""
    if isinstance(time_s, (numbers.Real, str)) or hasattr(time_s, "magnitude"):
        return np.asarray(non_negative_si(time_s, "s", name)), True
    t = np.asarray(time_s, dtype=float)
    if not np.all(np.isfinite(t)) or np.any(t < 0):
        raise SsblabInputError(f"{name} must be finite and >= 0")
    return t, False


def _out(values: np.ndarray, scalar: bool):
    return float(values) if scalar else values


def parabolic_rate_m2_s(thickness_m, time_s) -> float:
    """k of L² = 2kt from one observation (L at time t, L₀ = 0): k = L²/(2t)."""
    length = positive_si(thickness_m, "m", "thickness_m")
    t = positive_si(time_s, "s", "time_s")
    return length**2 / (2 * t)


def linear_rate_m_s(thickness_m, time_s) -> float:
    """k of L = kt from one observation: k = L/t."""
    return positive_si(thickness_m, "m", "thickness_m") / positive_si(time_s, "s", "time_s")


def grown_thickness_m(time_s, law: str, rate=0.0, *, initial_thickness_m=0.0, time_constant_s=0.0):
    """Interphase thickness (m) after ``time_s`` for a growth ``law`` (module docstring).

    ``rate``: parabolic k (m²/s), linear k (m/s), logarithmic amplitude A (m), saturating
    limiting thickness L_lim (m); unused for ``"none"``. ``time_constant_s`` τ is used by the
    logarithmic (> 0) and saturating (≥ 0) laws. Scalar in, float out; array in, array out.
    """
    if law not in LAWS:
        raise SsblabInputError(f"law {law!r}: use one of {', '.join(LAWS)}")
    t, scalar = _times(time_s)
    l0 = non_negative_si(initial_thickness_m, "m", "initial_thickness_m")
    k = non_negative_si(rate, "", "rate")
    tau = non_negative_si(time_constant_s, "s", "time_constant_s")
    if law == "none":
        out = np.full(t.shape, l0)
    elif law == "parabolic":
        out = np.sqrt(l0**2 + 2 * k * t)
    elif law == "linear":
        out = l0 + k * t
    elif law == "logarithmic":
        if not tau > 0:
            raise SsblabInputError("time_constant_s must be > 0 for the logarithmic law")
        out = l0 + k * np.log1p(t / tau)
    else:  # saturating: rate is the limiting thickness
        if k < l0:
            raise SsblabInputError(
                f"rate (limiting thickness) {k} m must be >= initial_thickness_m {l0} m"
            )
        # τ = 0: formed at once
        out = np.where(t > 0, k, l0) if tau == 0 else k - (k - l0) * np.exp(-t / tau)
    return _out(np.asarray(out, dtype=float), scalar)


def ambipolar_conductivity_S_m(sigma_ion_S_m, sigma_e_S_m) -> float:
    """σ_amb = σ_i σ_e/(σ_i + σ_e): the conductivity for neutral Li (Li⁺ + e⁻) transport."""
    si = non_negative_si(sigma_ion_S_m, "S/m", "sigma_ion_S_m")
    se = non_negative_si(sigma_e_S_m, "S/m", "sigma_e_S_m")
    return si * se / (si + se) if si + se > 0 else 0.0


def wagner_parabolic_rate_m2_s(
    sigma_ion_S_m, sigma_e_S_m, driving_voltage_V, molar_volume_m3_per_mol_li
) -> float:
    """Wagner's parabolic constant k = V_m σ_amb E/F (L² = 2kt).

    The Li flux through the layer is σ_amb E/(F L). Each mole of Li forms V_m of interphase.
    """
    amb = ambipolar_conductivity_S_m(sigma_ion_S_m, sigma_e_S_m)
    e = non_negative_si(driving_voltage_V, "V", "driving_voltage_V")
    vm = positive_si(molar_volume_m3_per_mol_li, "m^3/mol", "molar_volume_m3_per_mol_li")
    return vm * amb * e / F_C_MOL


def interphase_asr_ohm_m2(thickness_m, sigma_ion_S_m):
    """ASR = L/σ_ion (Ω m²); ``thickness_m`` may be an array (e.g. from a growth law)."""
    sigma = positive_si(sigma_ion_S_m, "S/m", "sigma_ion_S_m")
    t, scalar = _times(thickness_m, "thickness_m")
    return _out(t / sigma, scalar)


def xps_equivalent_thickness_m(fraction, attenuation_length_m) -> float:
    """Thickness of a fully converted top layer giving signal ``fraction`` under exponential
    attenuation: L_eq = −λ ln(1 − fraction)."""
    f = si_float(fraction, "", "fraction")
    if not 0 <= f < 1:
        raise SsblabInputError(f"fraction must be in [0, 1), got {f}")
    return -positive_si(attenuation_length_m, "m", "attenuation_length_m") * math.log1p(-f)


def deal_grove_thickness_m(time_s, parabolic_rate_m2_s, coating_equivalent_m=0.0):
    """x(t) of x² + 2x_c x = 2kt: x = x_c[√(1 + 2kt/x_c²) − 1] (m); x_c = 0 gives √(2kt).

    ``parabolic_rate_m2_s`` k of the bare interphase, ``coating_equivalent_m`` x_c =
    L_c σ_int/σ_c (module docstring). Scalar in, float out; array in, array out."""
    t, scalar = _times(time_s)
    k = non_negative_si(parabolic_rate_m2_s, "m^2/s", "parabolic_rate_m2_s")
    xc = non_negative_si(coating_equivalent_m, "m", "coating_equivalent_m")
    # x_c(√(1+u) − 1), u = 2kt/x_c², written as 2kt/(√(x_c² + 2kt) + x_c): no cancellation for
    # small u, no underflow for tiny x_c, and √(2kt) at x_c = 0
    two_kt = 2 * k * t
    denominator = np.sqrt(xc**2 + two_kt) + xc
    out = np.divide(two_kt, denominator, out=np.zeros_like(two_kt), where=denominator > 0)
    return _out(np.asarray(out, dtype=float), scalar)


def coating_equivalent_from_depths_m(bare_depth_m, coated_depth_m) -> float:
    """x_c from the interphase depths bare (x_b) and under the coating (x) at the same time:
    x_b² = 2kt = x² + 2x_c x ⇒ x_c = (x_b² − x²)/(2x) (m). Requires x ≤ x_b."""
    xb = positive_si(bare_depth_m, "m", "bare_depth_m")
    x = positive_si(coated_depth_m, "m", "coated_depth_m")
    if x > xb:
        raise SsblabInputError(
            f"coated_depth_m {x} must not exceed bare_depth_m {xb} (a coating cannot speed it up)"
        )
    return (xb**2 - x**2) / (2 * x)


def classify_interface(
    li_reaction_energy_eV, product_sigma_e_S_m=None, *, insulating_below_S_m=INSULATING_BELOW_S_M
) -> str:
    """Wenzel class: ``"stable"`` if the Li reaction / insertion energy is ≥ 0 eV (no driving force;
    e.g. +3.17 eV for Li in α-Al2O3, seed 004, s004-dft-li-in-al2o3). Otherwise ``"mci"`` if the
    products conduct electrons at or above ``insulating_below_S_m``, and ``"sei"`` below it.

    A negative energy example: −2.88 eV for Li in LATP (s004-dft-li-in-latp).

    A material name instead of an energy (``"LATP"``, ``"LLZO"``, ``"Al2O3"`` …) classifies by
    its thermodynamic reduction potential vs Li/Li⁺ (:func:`ssblab.models.reduction.
    classify_material`; Zhu, He & Mo 2015). Note that the single-Li DFT energy of seed 004
    (+3.17 eV in α-Al2O3) calls Al2O3 stable, while its reduction potential (0.175 V > 0, CRC
    thermochemistry) says Li reduces it: the film does lithiate in seed 004.
    """
    if isinstance(li_reaction_energy_eV, str) and not _looks_numeric(li_reaction_energy_eV):
        from ssblab.models.reduction import classify_material

        return classify_material(li_reaction_energy_eV).kind
    energy = si_float(li_reaction_energy_eV, "eV", "li_reaction_energy_eV")
    threshold = positive_si(insulating_below_S_m, "S/m", "insulating_below_S_m")
    if energy >= 0:
        return "stable"
    if product_sigma_e_S_m is None:
        raise SsblabInputError(
            "product_sigma_e_S_m is required for a reactive interface (energy < 0)"
        )
    sigma_e = non_negative_si(product_sigma_e_S_m, "S/m", "product_sigma_e_S_m")
    return "mci" if sigma_e >= threshold else "sei"


def _looks_numeric(text: str) -> bool:
    try:
        float(text.split()[0])
    except (ValueError, IndexError):
        return False
    return True


@dataclass(frozen=True)
class Interphase:
    """A Li | SE interphase: Wenzel class, growth law and ionic conductivity (SI)."""

    name: str
    kind: str
    law: str
    rate: float = 0.0
    time_constant_s: float = 0.0
    initial_thickness_m: float = 0.0
    sigma_ion_S_m: float | None = None
    source: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise SsblabInputError(f"kind {self.kind!r}: use one of {', '.join(KINDS)}")
        if self.law not in LAWS:
            raise SsblabInputError(f"law {self.law!r}: use one of {', '.join(LAWS)}")
        if self.sigma_ion_S_m is not None:
            positive_si(self.sigma_ion_S_m, "S/m", "sigma_ion_S_m")

    def thickness_m(self, time_s):
        """Thickness (m) after ``time_s`` of contact with Li."""
        return grown_thickness_m(
            time_s,
            self.law,
            self.rate,
            initial_thickness_m=self.initial_thickness_m,
            time_constant_s=self.time_constant_s,
        )

    def asr_ohm_m2(self, time_s):
        """ASR = L(t)/σ_ion (Ω m²); 0 for an interphase of zero thickness."""
        thickness = self.thickness_m(time_s)
        if self.sigma_ion_S_m is None:
            if np.all(np.asarray(thickness) == 0):
                return thickness
            raise SsblabInputError(f"interphase {self.name!r} has no sigma_ion_S_m for an ASR")
        return interphase_asr_ohm_m2(thickness, self.sigma_ion_S_m)

    def fed_through(self, fraction: float) -> Interphase:
        """This interphase when Li and electrons reach the electrolyte only through an area
        fraction φ (the exposed defects of a coating, :func:`ssblab.models.coating.
        exposed_fraction`).

        A mixed-conducting interphase spreads laterally under the coating from where it is fed,
        but its growth is fed by φ times the bare Li/electron flux: parabolic k → φk (L² = 2φkt,
        so L and the ASR scale as √φ), linear k → φk, logarithmic A → φA. A self-limiting
        (saturating) layer and ``none`` are returned unchanged. This scaling is our model
        (assumption), not a published law; seed 004 supports it qualitatively ("Li penetration"
        through too-thin Al2O3 and a growing overpotential, Results, Figure S4/S5).
        """
        phi = si_float(fraction, "", "fraction")
        if not 0 <= phi <= 1:
            raise SsblabInputError(f"fraction must be in [0, 1], got {phi}")
        if self.law in ("none", "saturating") or phi == 1:
            return self
        return Interphase(
            name=f"{self.name} (fed through {phi:.3g} of the area)",
            kind=self.kind,
            law=self.law,
            rate=self.rate * phi,
            time_constant_s=self.time_constant_s,
            initial_thickness_m=self.initial_thickness_m,
            sigma_ion_S_m=self.sigma_ion_S_m,
            source=f"{self.source}; rate scaled by the exposed area fraction {phi:.3g}",
        )

    def under_coating(self, coating_equivalent_m) -> Interphase:
        """This (parabolic) interphase grown under a coating of equivalent thickness x_c: the
        Deal–Grove law x² + 2x_c x = 2kt (module docstring). The returned entry uses the
        ``"parabolic"`` law with ``initial_thickness_m`` = 0 through :meth:`thickness_m` of a
        :class:`CoatedInterphase`. Only parabolic interphases have this form."""
        if self.law != "parabolic":
            raise SsblabInputError(
                f"interphase {self.name!r}: under_coating needs the parabolic law, not {self.law}"
            )
        xc = non_negative_si(coating_equivalent_m, "m", "coating_equivalent_m")
        return CoatedInterphase(
            name=f"{self.name} (under a coating, x_c = {xc:.3g} m)",
            kind=self.kind,
            law=self.law,
            rate=self.rate,
            sigma_ion_S_m=self.sigma_ion_S_m,
            source=f"{self.source}; Deal-Grove supply through a coating, x_c = {xc:.3g} m",
            coating_equivalent_m=xc,
        )

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class CoatedInterphase(Interphase):
    """A parabolic interphase fed through a coating in series (Deal–Grove, module docstring)."""

    coating_equivalent_m: float = 0.0

    def thickness_m(self, time_s):
        return deal_grove_thickness_m(time_s, self.rate, self.coating_equivalent_m)


#: Parabolic constants derived from seed 004 EELS (module docstring): 4.0e-22 and 1.8e-22 m²/s.
K_LATP_TI3_M2_S = parabolic_rate_m2_s(LATP_TI3_DEPTH_M, SEED004_EELS_TIME_S)
K_LATP_AL2O3_TI3_M2_S = parabolic_rate_m2_s(LATP_AL2O3_TI3_DEPTH_M, SEED004_EELS_TIME_S)

#: Seed 004: overpotential of bare Li/LATP/Li at 0.01 mA/cm² (0.1 A/m²), cycle 1 → 300 (600 h).
_SEED004_J_A_M2 = 0.1
_SEED004_OVP_BARE_V = (0.1, 3.5)
_SEED004_T_300_S = 300 * 2 * _HOUR
#: Apparent ionic conductivity of the LATP Ti³⁺ interphase, S/m: L(600 h)/(ΔASR per interface)
#: = 41.6 nm / 17 Ω m² = 2.4e-9 S/m (module docstring; a lower bound).
SIGMA_ION_LATP_TI3_APPARENT_S_M = math.sqrt(2 * K_LATP_TI3_M2_S * _SEED004_T_300_S) / (
    (_SEED004_OVP_BARE_V[1] - _SEED004_OVP_BARE_V[0]) / _SEED004_J_A_M2 / 2
)

INTERPHASES: dict[str, Interphase] = {
    "stable": Interphase("stable", kind="stable", law="none", source="no interphase"),
    "llzo_tetragonal": Interphase(
        "llzo_tetragonal",
        kind="sei",
        law="saturating",
        rate=LLZO_TETRAGONAL_THICKNESS_M,
        time_constant_s=0.0,
        sigma_ion_S_m=SIGMA_ION_T_LLZO_S_M,
        source=(
            "seed 003 §2.1 [51] (s003-tetragonal-interphase-thickness): ≈ 6 nm, stable; "
            "σ of dense t-LLZO from seed 001 §3.2.1 [76] (s001-s3-li2o-aid-sigma), assumed"
        ),
    ),
    "latp_ti3": Interphase(
        "latp_ti3",
        kind="mci",
        law="parabolic",
        rate=K_LATP_TI3_M2_S,
        sigma_ion_S_m=SIGMA_ION_LATP_TI3_APPARENT_S_M,
        source=(
            "derived from seed 004 Results/Figure 4b (24 nm after 100 cycles = 200 h, "
            "s004-eels-bare-ti3-depth); σ apparent from s004-ovp-bare-c1/-c300"
        ),
    ),
    "latp_ti3_al2o3": Interphase(
        "latp_ti3_al2o3",
        kind="mci",
        law="parabolic",
        rate=K_LATP_AL2O3_TI3_M2_S,
        sigma_ion_S_m=SIGMA_ION_LATP_TI3_APPARENT_S_M,
        source=(
            "derived from seed 004 Results/Figure 4d (16 nm after 100 cycles = 200 h under "
            "150 ALD cycles of Al2O3, s004-eels-al150-ti3-depth); σ as latp_ti3"
        ),
    ),
    "llto_ti3": Interphase(
        "llto_ti3",
        kind="mci",
        law="parabolic",
        rate=K_LATP_TI3_M2_S,
        sigma_ion_S_m=SIGMA_ION_LATP_TI3_APPARENT_S_M,
        source=(
            "stand-in: seed 001 §1 says Ti4+ in LLTO is reduced by Li but gives no rate; "
            "LATP values of seed 004 used (order of magnitude at best)"
        ),
    ),
}


def interphase(name: str) -> Interphase:
    """A catalogue entry of ``INTERPHASES`` by name."""
    try:
        return INTERPHASES[name]
    except (KeyError, TypeError):
        raise SsblabInputError(
            f"phase {name!r} is unknown: use one of {', '.join(INTERPHASES)}"
        ) from None
