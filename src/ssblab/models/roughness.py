"""Li pressed onto a rough solid electrolyte: real contact, contact spots and constriction ASR.

**Surface** (Greenwood & Williamson, Proc. R. Soc. Lond. A 295 (1966) 300, "GW"): asperities of
tip radius β, areal density η and Gaussian summit heights of rms σ_s. At separation d = h·σ_s
(mean plane of summits to the flat Li) the asperities in contact per area and the plastic
(fully yielded, area = 2πβ·interference) contact area fraction are

    n = η·F₀(h),   f_GW = 2π β σ_s η · F₁(h)
    F₀(h) = ½ erfc(h/√2),   F₁(h) = φ(h) − h·F₀(h)   (φ the standard normal density)

Overlapping contacts at large f_GW are merged by the random-overlap rule f = 1 − exp(−f_GW)
(Boolean model), so f < 1 at every finite load. Mean spot radius a = sqrt(f/(π n)).

**Load** (per apparent area, Pa): the spots carry the size- and time-dependent hardness of Li,
and the remaining isolated voids (area fraction 1 − f) must be closed against the flow stress
like pores in hot isostatic pressing (stage 2 of Helle, Easterling & Ashby, Acta Metall. 33
(1985) 2163: p = (2/3)·σ_y·ln(1/(1 − f)))::

    p(f) = H(2a, t, T)·f + (2/3)·σ_y(ℓ_v, t, T)·ln[1/(1 − f)]

* H(ℓ, t, T) = H_V · [σ_ref(ℓ)/σ_bulk] · s(t, T): seed 003's Vickers hardness H_V = 5 MPa
  (``s003-li-hardness``) scaled by the size effect of
  :func:`ssblab.models.creep.reference_flow_stress_Pa` (Xu et al. 2017, ℓ^−0.68) and by creep
  softening s = (t_V/t)^(1/n)·A(T)^(−1/n) for a load held t
  (:func:`ssblab.models.creep.creep_softening`; t_V = 15 s, the Vickers dwell of ISO 6507-1).
* σ_y = H/3 (Tabor's constraint factor, *The Hardness of Metals*, 1951) at the void size
  ℓ_v = 2·sqrt((1 − f)/(π η)).

p(f) → ∞ as f → 1: full contact is approached, never reached, at finite pressure. Loading from
zero follows the first branch on which p(f) reaches p (:func:`rough_contact`), so f is
non-decreasing in p.

**Constriction ASR** (one side; Holm, *Electric Contacts* 1967; Cooper, Mikic & Yovanovich, Int.
J. Heat Mass Transfer 12 (1969) 279): n spots of radius a per area in flux tubes,

    ASR = (ρ_SSE + ρ_Li)·ψ(√f) / (4 n a),   ψ(ε) = (1 − ε)^1.5

> 0 for every f < 1 and decreasing in p. No fitted spot number: n comes from η and h.

**Defaults** (``SurfaceRoughness``) — a garnet pellet ground to 3000-grit SiC paper (seed 000
§2.1: "460/1000/2000/3000 sandpaper in sequence"):

* σ_s = 0.2 µm: **assumed** (fine-ground ceramics, Ra ≈ 0.1–0.3 µm; no seed value).
* η = 4e10 m⁻² (one summit per 5 µm × 5 µm, the scale of the 3000-grit abrasive, ≈ 4–7 µm):
  **assumed**.
* β from GW's empirical ηβσ_s ≈ 0.03–0.05 (Greenwood & Williamson 1966, Table 1 surfaces): 0.04.
* hold time 1 h for an assembled cell: **assumed** (presses are rarely held < minutes).

**Validity:** Gaussian summits; plastic asperities (Li's plasticity index is ≫ 1); no work
hardening; no asperity interaction beyond the overlap rule; the void stage treats voids as
isolated spheres. Temperature below the Li melting point.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from scipy.special import erfc

from ssblab.errors import SsblabInputError
from ssblab.models import creep
from ssblab.units import non_negative_si, positive_si

#: Vickers hardness of bulk Li, Pa (seed 003 §2.3.2, s003-li-hardness: "H_Li ≤ 5 MPa").
LI_VICKERS_HARDNESS_PA = 5e6
#: Dwell time of a Vickers test, s (ISO 6507-1: 10–15 s).
VICKERS_DWELL_S = 15.0
#: GW's product ηβσ_s (Greenwood & Williamson 1966: 0.03–0.05).
GW_ETA_BETA_SIGMA = 0.04
#: Default hold time of the stack pressure before a measurement, s (assumed).
DEFAULT_HOLD_TIME_S = 3600.0
_H_GRID = np.linspace(8.0, -40.0, 2401)  # separations h = d/σ_s, loading direction


@dataclass(frozen=True)
class SurfaceRoughness:
    """GW surface of the solid electrolyte (SI). ``asperity_radius_m`` None: from ηβσ_s."""

    rms_height_m: float = 0.2e-6
    asperity_density_m2: float = 4e10
    asperity_radius_m: float | None = None

    def __post_init__(self) -> None:
        positive_si(self.rms_height_m, "m", "rms_height_m")
        positive_si(self.asperity_density_m2, "1/m^2", "asperity_density_m2")
        if self.asperity_radius_m is not None:
            positive_si(self.asperity_radius_m, "m", "asperity_radius_m")

    @property
    def radius_m(self) -> float:
        if self.asperity_radius_m is not None:
            return self.asperity_radius_m
        return GW_ETA_BETA_SIGMA / (self.asperity_density_m2 * self.rms_height_m)

    @property
    def spacing_m(self) -> float:
        """Mean summit spacing 1/√η, m."""
        return 1.0 / math.sqrt(self.asperity_density_m2)


DEFAULT_ROUGHNESS = SurfaceRoughness()


def gw_integrals(h):
    """(F₀(h), F₁(h)) of the Gaussian summit-height distribution (arrays or floats)."""
    h = np.asarray(h, dtype=float)
    f0 = 0.5 * erfc(h / math.sqrt(2.0))
    phi = np.exp(-0.5 * h * h) / math.sqrt(2.0 * math.pi)
    return f0, phi - h * f0


@dataclass(frozen=True)
class ContactState:
    """Real contact of Li on a rough SSE at one stack pressure (SI)."""

    stack_pressure_Pa: float
    contact_fraction: float
    spots_per_m2: float
    spot_radius_m: float
    separation: float
    hardness_Pa: float
    hold_time_s: float
    temperature_K: float

    def to_dict(self) -> dict:
        return asdict(self)


def _branch(roughness, hold_time_s, temperature, params, hardness_Pa=LI_VICKERS_HARDNESS_PA):
    """(h, f, n, a, H, p) along the loading path (h decreasing), all arrays."""
    f0, f1 = gw_integrals(_H_GRID)
    beta = roughness.radius_m
    eta = roughness.asperity_density_m2
    f_gw = 2.0 * math.pi * beta * roughness.rms_height_m * eta * f1
    f = -np.expm1(-f_gw)
    n = eta * f0
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.sqrt(f / (math.pi * n))
    soft = creep.creep_softening(hold_time_s, temperature, VICKERS_DWELL_S, params)
    bulk = params.flow_stress_bulk_Pa

    def scale(size):
        # σ_ref(ℓ)/σ_bulk of creep.reference_flow_stress_Pa, vectorised over the grid
        small = params.flow_stress_1um_Pa * (size / 1e-6) ** (-params.size_exponent)
        return np.maximum(bulk, small) / bulk

    hard = hardness_Pa * scale(np.maximum(2.0 * a, 1e-12)) * soft
    void = 2.0 * np.sqrt(np.maximum(1.0 - f, 1e-300) / (math.pi * eta))
    sigma_void = hardness_Pa / 3.0 * scale(np.maximum(void, 1e-12)) * soft
    with np.errstate(divide="ignore"):
        p = hard * f + (2.0 / 3.0) * sigma_void * -np.log1p(-f)
    return _H_GRID, f, n, a, hard, p


def rough_contact(
    stack_pressure_Pa,
    temperature=298.15,
    *,
    hold_time_s=DEFAULT_HOLD_TIME_S,
    roughness: SurfaceRoughness = DEFAULT_ROUGHNESS,
    params: creep.CreepParameters = creep.DEFAULT_CREEP,
    hardness_Pa=LI_VICKERS_HARDNESS_PA,
) -> ContactState:
    """Contact state at stack pressure p (> 0) after a hold of ``hold_time_s`` at T.

    ``hardness_Pa`` is the bulk Vickers hardness of Li that the size effect and creep
    softening scale (default seed 003's 5 MPa; the cell parameter sets pass ``li_hardness``).
    The first h (loading from h = 8, no contact) at which p(h) ≥ p, refined linearly in log p;
    f < 1 at every finite p (a pressure beyond the grid's f ≈ 1 − 1e-17 raises)."""
    p = positive_si(stack_pressure_Pa, "Pa", "stack_pressure_Pa")
    t = creep.temperature_K(temperature)
    hold = positive_si(hold_time_s, "s", "hold_time_s")
    hardness = positive_si(hardness_Pa, "Pa", "hardness_Pa")
    h, f, n, a, hard, load = _branch(roughness, hold, t, params, hardness)
    running = np.maximum.accumulate(np.nan_to_num(load, nan=0.0, posinf=np.inf))
    reached = np.nonzero(running >= p)[0]
    if reached.size == 0:
        raise SsblabInputError(f"stack_pressure_Pa = {p:g} Pa is beyond the contact model's range")
    k = int(reached[0])
    if k == 0:
        w = 0.0
    else:
        lo, hi = math.log(max(running[k - 1], 1e-300)), math.log(running[k])
        w = 1.0 if hi == lo else (math.log(p) - lo) / (hi - lo)
        w = min(max(w, 0.0), 1.0)
    j = max(k - 1, 0)

    def mix(x):
        return float(x[j] + w * (x[k] - x[j]))

    return ContactState(
        stack_pressure_Pa=p,
        contact_fraction=mix(f),
        spots_per_m2=mix(n),
        spot_radius_m=mix(a),
        separation=mix(h),
        hardness_Pa=mix(hard),
        hold_time_s=hold,
        temperature_K=t,
    )


def contact_fraction(stack_pressure_Pa, temperature=298.15, **kwargs) -> float:
    """Shortcut: ``rough_contact(...).contact_fraction`` (0 at p = 0)."""
    p = non_negative_si(stack_pressure_Pa, "Pa", "stack_pressure_Pa")
    if p == 0:
        return 0.0
    return rough_contact(p, temperature, **kwargs).contact_fraction


def constriction_asr_ohm_m2(
    state: ContactState, resistivity_ohm_m, counter_resistivity_ohm_m=9.5e-8
) -> float:
    """One-sided multi-spot Holm ASR (ρ₁ + ρ₂)·ψ(√f)/(4 n a) in Ω m² (ρ₂: Li, CRC 9.5e-8 Ω m)."""
    rho = positive_si(resistivity_ohm_m, "ohm*m", "resistivity_ohm_m")
    rho_2 = non_negative_si(counter_resistivity_ohm_m, "ohm*m", "counter_resistivity_ohm_m")
    f = state.contact_fraction
    if not 0 < f < 1:
        raise SsblabInputError(f"contact_fraction must be in (0, 1), got {f}")
    psi = (1.0 - math.sqrt(f)) ** 1.5
    return (rho + rho_2) * psi / (4.0 * state.spots_per_m2 * state.spot_radius_m)


def interface_asr_ohm_m2(
    stack_pressure_Pa, resistivity_ohm_m, temperature=298.15, **kwargs
) -> float:
    """Constriction ASR (Ω m²) of Li pressed at p onto a rough SSE: :func:`rough_contact` then
    :func:`constriction_asr_ohm_m2` (keywords go to :func:`rough_contact`)."""
    state = rough_contact(stack_pressure_Pa, temperature, **kwargs)
    return constriction_asr_ohm_m2(state, resistivity_ohm_m)


def spots_on_area(area_m2, roughness: SurfaceRoughness = DEFAULT_ROUGHNESS) -> int:
    """Number of summits on an electrode of area A, η·A (the n_spots of a fully loaded GW
    surface)."""
    area = positive_si(area_m2, "m^2", "area_m2")
    return max(1, round(roughness.asperity_density_m2 * area))
