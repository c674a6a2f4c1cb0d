"""Holm constriction resistance of a Li | solid-electrolyte contact: the primitives, and seed
003's Eq. 1 as printed.

**Which model to use.** :func:`interface_asr` is seed 003's own idealisation (plastic contact
at the bulk hardness, f = p/H, full contact and zero constriction from p = H = 5 MPa on); it is
kept to reproduce the paper's equation, not as ssblab's answer. ssblab's contact-vs-pressure
model is :mod:`ssblab.models.roughness` (Greenwood–Williamson asperities with size- and
creep-dependent Li hardness, spot count from the surface's summit density): its constriction
ASR keeps falling from 5 to 400 MPa and never reaches 0. The cell simulator uses that contact
fraction with :func:`asr_at_contact_fraction_ohm_m2` (the Holm multi-spot primitive here).

**Single spot** (Holm, *Electric Contacts*, 4th ed., Springer 1967, §4; Slade, *Electrical
Contacts*, CRC 2017, ch. 1 — seed 003 ref. [65]). A circular contact spot of radius a between two
half-spaces of resistivities ρ₁ and ρ₂ has the constriction resistance

    R = (ρ₁ + ρ₂) / (4a).

Under plastic contact the real contact area carries the load at the indentation hardness H of the
softer body (Bowden & Tabor), F = H·π a², so a = sqrt(F/(πH)) and, for ρ₁ = ρ₂ = ρ,

    R_int = (ρ/2)·sqrt(πH/F)            (seed 003 Eq. 1)

with ρ the resistivity, H the Vickers hardness of Li and F the applied force. Seed 003 prints
ρ = 1/σ_Li⁺ of Li6.25Al0.25La3Zr2O12: the *ionic* resistivity of the electrolyte (≈ 20 Ω·m for
σ ≈ 5e-4 S/cm) dominates, the electronic resistivity of Li (9.5e-8 Ω·m) is negligible. The printed
form counts the electrolyte on both sides of the spot; a strictly one-sided constriction
(Li | SSE) is ρ_SSE/(4a), half of Eq. 1 — pass ``counter_resistivity_ohm_m=LI_RESISTIVITY_OHM_M``
for it. The default (``None``) reproduces Eq. 1 as printed.

**n spots.** The load shared by n equal spots (a = sqrt(F/(nπH))) in parallel:
R = (ρ₁ + ρ₂)/(4 n a). Each spot feeds a flux tube of radius b = sqrt(A/(nπ)) on the electrode
area A; the finite tube reduces the constriction by ψ(ε) with ε = a/b = sqrt(F/(H·A)). We use the
Cooper–Mikic–Yovanovich approximation ψ(ε) = (1 − ε)^1.5 (Int. J. Heat Mass Transfer 12 (1969)
279; a standard approximation of the exact series, less accurate as ε → 1), so
R = (ρ₁ + ρ₂)·ψ(ε)/(4 n a) and ψ(1) = 0. Spot–spot
interaction beyond the flux tube (Greenwood, Br. J. Appl. Phys. 17 (1966) 1621) is neglected.

**ASR and the contact fraction.** ASR = R·A (Ω·m²). The real-contact fraction is
f = F/(H·A) = p/H for stack pressure p. **Validity: f ≤ 1.** At p ≥ H the interface is in full
contact, the constriction term vanishes and the returned ASR is 0 (what remains is charge
transfer / interphase resistance, not modelled here). This is seed 003's observation that the
Li | LLZO interfacial resistance "reaches nearly zero under 400 MPa" (Krauskopf et al., ACS Appl.
Mater. Interfaces 11 (2019) 14463, seed 003 ref. [57]) and its warning that Eq. 1 "is not
applicable at a very high force". Eq. 1 itself (no ψ) diverges from this limit as f → 1; use
``finite_area_correction=False`` to get it.

Defaults:

* ``LI_HARDNESS_PA`` = 5 MPa: seed 003 ("Vickers hardness of Li (H_Li ≤ 5 MPa)"), the handbook
  value for bulk Li (Vickers / Brinell ≈ 5 MPa). Hardness is size- and rate-dependent:
  nanoindentation of Li at sub-µm depths gives several times more (Herbert et al., J. Mater. Res.
  33 (2018)), so 5 MPa is an upper bound for bulk Li, not a small-scale value.
* ``LI_RESISTIVITY_OHM_M`` = 9.5e-8 Ω·m: electrical resistivity of Li at 300 K (CRC Handbook of
  Chemistry and Physics, "Electrical resistivity of pure metals", 9.53 µΩ·cm).
* ``LLZTO_RESISTIVITY_SEED000_OHM_M`` = 1/(4.6e-4 S/cm) ≈ 21.7 Ω·m: seed 000 (LLZTO pellet at
  ≈ 25 °C), an example electrolyte resistivity; the electrolyte resistivity has no default.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from ssblab.errors import SsblabInputError
from ssblab.units import non_negative_si, positive_si, si_float

#: Vickers hardness of bulk Li, Pa (seed 003: "H_Li ≤ 5 MPa").
LI_HARDNESS_PA = 5e6
#: Electrical resistivity of Li at 300 K, Ω·m (CRC Handbook: 9.53 µΩ·cm).
LI_RESISTIVITY_OHM_M = 9.5e-8
#: Ionic resistivity of LLZTO from seed 000 (σ ≈ 4.6e-4 S/cm at ≈ 25 °C), Ω·m.
LLZTO_RESISTIVITY_SEED000_OHM_M = 1.0 / 4.6e-2


# the shared SI input checks (ssblab.units), under the names the models import from here
_si = si_float
_positive = positive_si
_non_negative = non_negative_si


def _counter(resistivity_ohm_m: float, counter_resistivity_ohm_m) -> float:
    """ρ₂ of the far side of the contact: ρ₁ when None (a contact between equal materials)."""
    if counter_resistivity_ohm_m is None:
        return resistivity_ohm_m
    return _non_negative(counter_resistivity_ohm_m, "ohm*m", "counter_resistivity_ohm_m")


def _spots(n_spots) -> int:
    if isinstance(n_spots, bool) or not isinstance(n_spots, int) or n_spots < 1:
        raise SsblabInputError(f"n_spots must be a positive integer, got {n_spots!r}")
    return n_spots


def contact_fraction(stack_pressure_Pa, hardness_Pa=LI_HARDNESS_PA) -> float:
    """Real-contact fraction f = p/H (plastic contact), capped at 1 (full contact)."""
    p = _non_negative(stack_pressure_Pa, "Pa", "stack_pressure_Pa")
    h = _positive(hardness_Pa, "Pa", "hardness_Pa")
    return min(p / h, 1.0)


def spot_radius_m(force_N, hardness_Pa=LI_HARDNESS_PA, n_spots: int = 1) -> float:
    """Radius of each of n equal plastic contact spots, a = sqrt(F/(nπH))."""
    f = _positive(force_N, "N", "force_N")
    h = _positive(hardness_Pa, "Pa", "hardness_Pa")
    return math.sqrt(f / (_spots(n_spots) * math.pi * h))


def flux_tube_factor(epsilon: float) -> float:
    """Cooper–Mikic–Yovanovich ψ(ε) = (1 − ε)^1.5 for a spot of relative radius ε = a/b ∈ [0, 1]."""
    eps = _si(epsilon, "", "epsilon")
    if not 0.0 <= eps <= 1.0:
        raise SsblabInputError(f"epsilon must be in [0, 1], got {eps}")
    return (1.0 - eps) ** 1.5


def holm_resistance_ohm(
    force_N,
    resistivity_ohm_m,
    hardness_Pa=LI_HARDNESS_PA,
    *,
    counter_resistivity_ohm_m=None,
    n_spots: int = 1,
) -> float:
    """Holm constriction resistance (ρ₁ + ρ₂)/(4 n a) of n spots in infinite half-spaces.

    With ``counter_resistivity_ohm_m=None`` (ρ₂ = ρ₁) and one spot this is seed 003 Eq. 1,
    (ρ/2)·sqrt(πH/F).
    """
    rho_1 = _positive(resistivity_ohm_m, "ohm*m", "resistivity_ohm_m")
    rho_2 = _counter(rho_1, counter_resistivity_ohm_m)
    n = _spots(n_spots)
    a = spot_radius_m(force_N, hardness_Pa, n)
    return (rho_1 + rho_2) / (4.0 * n * a)


@dataclass(frozen=True)
class ConstrictionResult:
    """Constriction resistance and ASR of a Li | SSE contact at one stack pressure (SI units)."""

    stack_pressure_Pa: float
    area_m2: float
    force_N: float
    hardness_Pa: float
    n_spots: int
    contact_fraction: float
    full_contact: bool
    spot_radius_m: float
    flux_tube_factor: float
    resistance_ohm: float
    asr_ohm_m2: float
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return asdict(self)


def interface_asr(
    stack_pressure_Pa,
    area_m2,
    resistivity_ohm_m,
    hardness_Pa=LI_HARDNESS_PA,
    *,
    counter_resistivity_ohm_m=None,
    n_spots: int = 1,
    finite_area_correction: bool = True,
) -> ConstrictionResult:
    """Constriction resistance and ASR of an electrode of area A under stack pressure p.

    F = p·A; f = p/H. For f ≥ 1 (full contact) the constriction resistance and ASR are 0.
    ``finite_area_correction=False`` drops ψ(√f) (plain Holm / seed 003 Eq. 1, valid for f ≪ 1).
    At p = 0 there is no load-bearing contact: the resistance is infinite.
    """
    p = _non_negative(stack_pressure_Pa, "Pa", "stack_pressure_Pa")
    area = _positive(area_m2, "m^2", "area_m2")
    rho = _positive(resistivity_ohm_m, "ohm*m", "resistivity_ohm_m")
    h = _positive(hardness_Pa, "Pa", "hardness_Pa")
    n = _spots(n_spots)
    f = min(p / h, 1.0)
    notes: list[str] = []
    if p == 0:
        notes.append("no stack pressure: no load-bearing contact, infinite constriction resistance")
        return _result(p, area, h, n, 0.0, False, 0.0, 1.0, math.inf, notes)
    if p >= h:
        notes.append(
            f"full contact: p = {p:.3g} Pa >= H = {h:.3g} Pa, constriction resistance vanishes"
        )
        return _result(p, area, h, n, 1.0, True, math.sqrt(area / (n * math.pi)), 0.0, 0.0, notes)
    a = math.sqrt(p * area / (n * math.pi * h))
    psi = (1.0 - math.sqrt(f)) ** 1.5 if finite_area_correction else 1.0
    rho_2 = _counter(rho, counter_resistivity_ohm_m)
    # a vanishing (underflowing) spot radius is no contact
    resistance = (rho + rho_2) * psi / (4.0 * n * a) if a > 0 else math.inf
    if f > 0.64:
        notes.append(f"contact fraction {f:.2f} > 0.64 (ε > 0.8): ψ(ε) approximate")
    return _result(p, area, h, n, f, False, a, psi, resistance, notes)


def _result(p, area, h, n, f, full, a, psi, resistance, notes) -> ConstrictionResult:
    return ConstrictionResult(
        stack_pressure_Pa=p,
        area_m2=area,
        force_N=p * area,
        hardness_Pa=h,
        n_spots=n,
        contact_fraction=f,
        full_contact=full,
        spot_radius_m=a,
        flux_tube_factor=psi,
        resistance_ohm=resistance,
        asr_ohm_m2=resistance * area,
        notes=tuple(notes),
    )


def asr_at_contact_fraction_ohm_m2(
    contact_fraction, area_m2, resistivity_ohm_m, *, counter_resistivity_ohm_m=None, n_spots=1
):
    """ASR (Ω m²) of :func:`interface_asr` as a function of the contact fraction f = p/H, for
    arrays of f (the simulator's contact history): A·(ρ₁ + ρ₂)·(1 − √f)^1.5/(4 n a) with
    a = √(f A/(nπ)); 0 at f ≥ 1, ∞ at f = 0. Same equations and validity as :func:`interface_asr`.
    """
    f = np.asarray(contact_fraction, dtype=float)
    if np.any(f < 0):  # NaN propagates: the caller's state checks report it
        raise SsblabInputError("contact_fraction must be >= 0")
    area = _positive(area_m2, "m^2", "area_m2")
    rho = _positive(resistivity_ohm_m, "ohm*m", "resistivity_ohm_m")
    rho_2 = _counter(rho, counter_resistivity_ohm_m)
    n = _spots(n_spots)
    partial = np.clip(f, 0.0, 1.0)
    with np.errstate(divide="ignore"):
        radius = np.sqrt(partial * area / (n * math.pi))
        psi = (1.0 - np.sqrt(partial)) ** 1.5
        asr = np.where(partial > 0, (rho + rho_2) * psi * area / (4.0 * n * radius), np.inf)
    return np.where(partial >= 1.0, 0.0, asr)


def interface_asr_ohm_m2(
    stack_pressure_Pa, area_m2, resistivity_ohm_m, hardness_Pa=LI_HARDNESS_PA, **kwargs
) -> float:
    """Shortcut for ``interface_asr(...).asr_ohm_m2``."""
    result = interface_asr(stack_pressure_Pa, area_m2, resistivity_ohm_m, hardness_Pa, **kwargs)
    return result.asr_ohm_m2
