"""Electronic leakage through a mixed-conducting electrolyte, and where Li can plate inside it.

**Background.** Han et al. (Nat. Energy 4 (2019) 187; seed 003 ref. [88], §3 "Sporadic
bulk-plating mechanism") argue that Li nucleates *inside* a solid electrolyte (SE) where two
conditions meet: mobile electrons, and a local potential below the Li plating potential. A higher
electronic conductivity supplies the electrons. Seed 000 (§1, refs. [17,18]) applies this to
garnet grain boundaries (GBs): their band gap is narrower (~1–3 eV, ``s000-llzo-gb-band-gap``)
and their electronic conductivity higher than the grains'. Al2O3 driven into the GBs becomes
ion-conducting, electron-blocking Li-Al-O and suppresses the filaments. Han et al. argue this
qualitatively. The model below is a standard 1-D linear-response treatment that puts numbers on
the argument. It is our formulation, not an equation from their paper.

**Model (1-D, steady state, constant conductivities).** A stack of layers k (thickness t_k,
ionic conductivity σ_i,k > 0, electronic σ_e,k ≥ 0) lies between the Li electrode that is plated
(x = 0) and the Li electrode that is stripped (x = L). Ions and electrons are two parallel
"rails". This is the DC limit of the Jamnik–Maier equivalent circuit (J. Electrochem. Soc. 146
(1999) 4183; Wagner's mixed-conductor transport, reviewed by Riess, Solid State Ionics 157 (2003)
1). Currents count as positive toward x = 0:

    J_i = σ_i dφ_i/dx,    J_e = σ_e dφ_e/dx,    J = J_i + J_e (applied, galvanostatic)

φ_i = η̃(Li⁺)/F is the ionic potential and φ_e = −η̃(e⁻)/F the electronic (Fermi-level)
potential. Both are referenced to the plating electrode (φ_e = 0 there). The **local Li
potential** U = φ_e − φ_i = −(μ_Li − μ°_Li)/F is 0 where the SE is in equilibrium with Li metal.
U < 0 means that the electron electrochemical potential lies above the Li⁺/Li level, i.e. below
the Li plating potential in electrode terms. There Li⁺ + e⁻ → Li is downhill.

Boundary conditions: electrons cross the metal|SE contacts without resistance (ohmic contacts).
Li⁺ crosses with charge-transfer area-specific resistances (ASRs) r_0 (plating side) and r_L
(stripping side), i.e. linearised Butler–Volmer kinetics. The solution is a current divider:

    R_i = r_0 + Σ t_k/σ_i,k + r_L,     R_e = Σ t_k/σ_e,k
    J_e = J R_i/(R_i + R_e),  J_i = J R_e/(R_i + R_e),  cell voltage V = J_i R_i
    U(0) = −J_i r_0,   dU/dx = J_e/σ_e,k − J_i/σ_i,k   (piecewise linear)

Limits:
(a) Homogeneous SE with r = 0: U ≡ 0 and J_e/J = t_e = σ_e/(σ_e + σ_i), the electronic
transference number (Wagner). The SE sits exactly at the plating potential, which is marginal.
(b) Charge-transfer ASR: U runs linearly from −J_i r_0 to +J_i r_L. The SE is supersaturated with
Li in 0 < x < x_0 = L r_0/(r_0 + r_L).
(c) A layer of higher σ_e next to the plating electrode (a GB-rich or reduced surface region)
carries the electrode's Fermi level into the SE. U drops by ≈ J_i t/σ_i across that layer.
A layer with σ_e = 0 blocks electrons (J_e = 0). Layers electronically connected to the plating
electrode then keep φ_e = 0, those connected to the stripping electrode keep φ_e = V, and
isolated layers have no electrons: there U is undefined (NaN) and nothing deposits.

Nucleating Li inside the SE may cost an overpotential η_nuc (surface and strain energy of the
nucleus, seed 003 Eq. 3; default 0, the thermodynamic threshold). The *supersaturated zones* are
where U < −η_nuc. Their deepest point x_f is the *front*: the first place that Li⁺ arriving from
the stripping side can be reduced. Because U ∝ J, zones appear above an onset current density
J_onset = η_nuc J/(−min U).

**Deposition fraction (our estimate, fast-kinetics limit).** Li nucleated at x_f acts as an
internal electrode. The current divides at x_f between two paths. One is electronic: through the
SE's electrons back to the plating electrode, R_e(x_f) = ∫₀^x_f dx/σ_e. The other is ionic: on to
the electrode and across the interface, R_ion(x_f) = r_0 + ∫₀^x_f dx/σ_i. The fraction of the
current deposited inside the SE is therefore

    f_dep = R_ion(x_f) / (R_ion(x_f) + R_e(x_f))

It tends to 0 as σ_e → 0, to t_e for a homogeneous SE as r_0 = r_L → 0, and grows with σ_e and r_0.
The estimate is an upper bound in so far as it assumes that nucleation has already happened.
With η_nuc = 0 the front lies where U returns to 0, where the driving force vanishes. A
positive η_nuc moves it to where nucleation is actually possible.

**Grain boundaries** (:func:`polycrystal_electronic_conductivity`). Series–parallel brick-layer
model (van Dijk & Burggraaf, Phys. Status Solidi A 63 (1981) 229; Haile, West & Campbell,
J. Mater. Res. 13 (1998) 1576). Cubic grains of size d carry GB slabs of width δ ≪ d. Two of the
three GB orientations run parallel to the current (cross-section 2δ/d). The remaining columns
cross GBs in series:

    σ_eff = (1 − 2δ/d) / ((1 − δ/d)/σ_g + (δ/d)/σ_gb) + (2δ/d) σ_gb

The GB share of the electronic current, (2δ/d)σ_gb/σ_eff, tells where the filaments seed. The
1–3 eV GB band gap of seed 000 is *not* converted into a conductivity. The intrinsic scaling
exp(−E_g/2k_BT) would give GB/bulk ratios of 10²⁵ or more, whereas measured electronic
conductivities (~1e-8 S/cm) are set by defects. σ_gb is therefore an input. To model Li-Al-O
modified GBs (seed 000 §3), pass its lower σ_gb (e.g. the grain value).

**Defaults and sources** (SI; knowledge-base record ids):

* ``SIGMA_E_LLZO_S_M`` = 1e-6 S/m (1e-8 S/cm), LLZO "almost insulating to electrons":
  seed 001 §4, ``s001-s4-llzo-electronic`` (temperature not stated).
* ``SIGMA_ION_LLZTO_S_M`` = 4.6e-2 S/m (4.6e-4 S/cm, 25 °C): seed 000 §3,
  ``s000-bare-llzto-sigma-rt``.
* ``THICKNESS_LLZTO_M`` = 0.5 mm: seed 000 §2.4, ``s000-llzto-pellet-thickness``.
* ``CURRENT_DENSITY_SEED000_A_M2`` = 10 A/m² (1 mA/cm²): seed 000, ``s000-sym-current-density``.
* ``GB_WIDTH_M`` = 2 nm, simulated width of the LLZO GB region: seed 001 §3.3,
  ``s001-s3-gb-sim-width``.
* ``GB_BAND_GAP_EV`` = (1, 3) eV: seed 000 §1, ``s000-llzo-gb-band-gap`` (context only).
* Charge-transfer ASRs and η_nuc default to 0: no seed value for the Li|LLZTO interface of seed 000.

**Not modelled / validity:** conductivities are constant (in a real SE σ_e depends on the Li
activity, as in Hebb–Wagner theory); no space charge; no transients (the profile is established
after the chemical-diffusion time); 1-D only (no current focusing); internal deposition is
assumed to be a small perturbation of the steady-state profile (f_dep ≪ 1).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from ssblab.errors import SsblabInputError
from ssblab.units import non_negative_si, positive_si

#: Electronic conductivity of LLZO, S/m (1e-8 S/cm; seed 001 §4, s001-s4-llzo-electronic).
SIGMA_E_LLZO_S_M = 1.0e-6
#: Ionic conductivity of bare LLZTO at 25 °C, S/m (4.6e-4 S/cm; s000-bare-llzto-sigma-rt).
SIGMA_ION_LLZTO_S_M = 4.6e-2
#: LLZTO pellet thickness of seed 000, m (s000-llzto-pellet-thickness).
THICKNESS_LLZTO_M = 0.5e-3
#: Symmetric-cell current density of seed 000, A/m² (1 mA/cm²; s000-sym-current-density).
CURRENT_DENSITY_SEED000_A_M2 = 10.0
#: Width of the LLZO grain-boundary region, m (simulation; seed 001 §3.3, s001-s3-gb-sim-width).
GB_WIDTH_M = 2.0e-9
#: Band gap of LLZO grain boundaries, eV (range; seed 000 §1, s000-llzo-gb-band-gap). Context only.
GB_BAND_GAP_EV = (1.0, 3.0)

_REL_TOL = 1e-9  # U within this fraction of the cell voltage counts as 0 (rounding)


@dataclass(frozen=True)
class Layer:
    """One homogeneous layer of the stack (SI): thickness, ionic and electronic conductivity."""

    thickness_m: float
    sigma_ion_S_m: float
    sigma_e_S_m: float
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "thickness_m", positive_si(self.thickness_m, "m", "thickness_m"))
        object.__setattr__(
            self, "sigma_ion_S_m", positive_si(self.sigma_ion_S_m, "S/m", "sigma_ion_S_m")
        )
        object.__setattr__(
            self, "sigma_e_S_m", non_negative_si(self.sigma_e_S_m, "S/m", "sigma_e_S_m")
        )


@dataclass(frozen=True)
class LeakageResult:
    """Steady-state currents and Li potential profile of a Li | stack | Li cell (SI units).

    ``li_potential_V`` holds U = φ_e − φ_i at the start and end of each layer (NaN where a layer
    has no electrons). U < 0 means Li-supersaturated, i.e. the electron electrochemical potential
    lies beyond the Li plating potential. Depths are measured from the plated electrode.
    """

    current_density_A_m2: float
    ionic_current_density_A_m2: float
    electronic_current_density_A_m2: float
    electronic_fraction: float
    cell_voltage_V: float
    boundaries_m: tuple[float, ...]
    li_potential_V: tuple[tuple[float, float], ...]
    nucleation_overpotential_V: float
    zones_m: tuple[tuple[float, float], ...]
    supersaturated_width_m: float
    front_depth_m: float | None
    min_li_potential_V: float | None
    min_li_potential_depth_m: float | None
    onset_current_density_A_m2: float | None
    deposition_fraction: float
    notes: tuple[str, ...] = ()

    def li_potential_at(self, depth_m) -> np.ndarray:
        """U (V) at depths (m) from the plated electrode, interpolated inside each layer."""
        x = np.atleast_1d(np.asarray(depth_m, dtype=float))
        out = np.full(x.shape, np.nan)
        edges = self.boundaries_m
        for k, (u0, u1) in enumerate(self.li_potential_V):
            a, b = edges[k], edges[k + 1]
            inside = (x >= a) & (x <= b)
            out[inside] = u0 + (u1 - u0) * (x[inside] - a) / (b - a)
        return out

    def to_dict(self) -> dict:
        return asdict(self)


def electronic_transference_number(sigma_ion_S_m, sigma_e_S_m) -> float:
    """t_e = σ_e/(σ_e + σ_i) (Wagner): the leakage fraction J_e/J of a homogeneous mixed conductor
    between ideal Li electrodes."""
    si = positive_si(sigma_ion_S_m, "S/m", "sigma_ion_S_m")
    se = non_negative_si(sigma_e_S_m, "S/m", "sigma_e_S_m")
    return se / (se + si)


def _zone(u0: float, u1: float, a: float, b: float, level: float, tol: float):
    """Sub-interval of [a, b] where the linear U (u0 at a, u1 at b) lies below ``level``."""
    if math.isnan(u0) or math.isnan(u1):
        return None
    below0, below1 = u0 < level - tol, u1 < level - tol
    if below0 and below1:
        return (a, b)
    if not below0 and not below1:
        return None
    cross = a + (b - a) * (level - u0) / (u1 - u0)
    return (a, cross) if below0 else (cross, b)


def mixed_conductor_profile(
    current_density_A_m2,
    layers: Sequence[Layer],
    *,
    asr_plating_ohm_m2=0.0,
    asr_stripping_ohm_m2=0.0,
    nucleation_overpotential_V=0.0,
) -> LeakageResult:
    """Solve the 1-D two-rail model (module docstring) for a stack of layers; x = 0 is plated."""
    j = positive_si(current_density_A_m2, "A/m^2", "current_density_A_m2")
    r0 = non_negative_si(asr_plating_ohm_m2, "ohm*m^2", "asr_plating_ohm_m2")
    r_l = non_negative_si(asr_stripping_ohm_m2, "ohm*m^2", "asr_stripping_ohm_m2")
    eta = non_negative_si(nucleation_overpotential_V, "V", "nucleation_overpotential_V")
    layers = tuple(layers)
    if not layers:
        raise SsblabInputError("layers must contain at least one Layer")
    if not all(isinstance(layer, Layer) for layer in layers):
        raise SsblabInputError("layers must be Layer instances")
    t = np.array([layer.thickness_m for layer in layers])
    s_i = np.array([layer.sigma_ion_S_m for layer in layers])
    s_e = np.array([layer.sigma_e_S_m for layer in layers])
    edges = np.concatenate([[0.0], np.cumsum(t)])
    ion_prefix = r0 + np.concatenate([[0.0], np.cumsum(t / s_i)])  # R_ion(0 → boundary)
    r_i = float(ion_prefix[-1] + r_l)
    notes: list[str] = []
    blocking = s_e == 0
    if blocking.any():
        j_e, j_i = 0.0, j
        e_prefix = None
        notes.append("an electron-blocking layer (sigma_e = 0) stops the electronic leakage")
    else:
        e_prefix = np.concatenate([[0.0], np.cumsum(t / s_e)])
        r_e = float(e_prefix[-1])
        j_e = j * r_i / (r_i + r_e)
        j_i = j - j_e
    volts = j_i * r_i
    phi_i = j_i * ion_prefix  # at the boundaries (SE side of x = 0 included via r0)
    profile: list[tuple[float, float]] = []
    first_block = int(np.argmax(blocking)) if blocking.any() else len(layers)
    last_block = len(layers) - 1 - int(np.argmax(blocking[::-1])) if blocking.any() else -1
    for k in range(len(layers)):
        if e_prefix is not None:
            pe0, pe1 = j_e * e_prefix[k], j_e * e_prefix[k + 1]
        elif k < first_block:
            pe0 = pe1 = 0.0  # electronically connected to the plated electrode
        elif k > last_block:
            pe0 = pe1 = volts  # connected to the stripped electrode
        else:
            pe0 = pe1 = math.nan  # blocking or isolated: no electrons
        profile.append((float(pe0 - phi_i[k]), float(pe1 - phi_i[k + 1])))
    tol = _REL_TOL * max(volts, 1e-300)
    raw = [
        _zone(u0, u1, float(edges[k]), float(edges[k + 1]), -eta, tol)
        for k, (u0, u1) in enumerate(profile)
    ]
    zones: list[tuple[float, float]] = []
    for z in (z for z in raw if z is not None and z[1] > z[0]):
        if zones and math.isclose(zones[-1][1], z[0], rel_tol=1e-12, abs_tol=1e-30):
            zones[-1] = (zones[-1][0], z[1])
        else:
            zones.append(z)
    finite = [
        (u, float(edges[k + i])) for k, pair in enumerate(profile) for i, u in enumerate(pair)
    ]
    finite = [(u, x) for u, x in finite if not math.isnan(u)]
    u_min, x_min = min(finite) if finite else (None, None)
    if u_min is not None and u_min < -tol:
        onset = eta * j / (-u_min)
    else:
        onset = None
        notes.append("no part of the electrolyte falls below the Li plating potential")
    front = zones[-1][1] if zones else None
    fraction = 0.0
    if front is not None:
        k = min(int(np.searchsorted(edges, front, side="left")) - 1, len(layers) - 1)
        k = max(k, 0)
        part = front - edges[k]
        r_ion_f = ion_prefix[k] + part / s_i[k]
        if e_prefix is not None:
            r_e_f = e_prefix[k] + part / s_e[k]
        else:  # connected to the plated electrode through non-blocking layers
            r_e_f = float(np.sum(t[:k] / s_e[:k])) + part / s_e[k]
        fraction = float(r_ion_f / (r_ion_f + r_e_f))
    return LeakageResult(
        current_density_A_m2=j,
        ionic_current_density_A_m2=float(j_i),
        electronic_current_density_A_m2=float(j_e),
        electronic_fraction=float(j_e / j),
        cell_voltage_V=float(volts),
        boundaries_m=tuple(map(float, edges)),
        li_potential_V=tuple(profile),
        nucleation_overpotential_V=eta,
        zones_m=tuple(zones),
        supersaturated_width_m=float(sum(b - a for a, b in zones)),
        front_depth_m=front,
        min_li_potential_V=None if u_min is None else float(u_min),
        min_li_potential_depth_m=x_min,
        onset_current_density_A_m2=onset,
        deposition_fraction=fraction,
        notes=tuple(notes),
    )


def leakage(
    current_density_A_m2,
    thickness_m,
    sigma_ion_S_m,
    sigma_e_S_m,
    *,
    asr_plating_ohm_m2=0.0,
    asr_stripping_ohm_m2=None,
    nucleation_overpotential_V=0.0,
) -> LeakageResult:
    """Homogeneous mixed conductor between two Li electrodes.

    ``asr_stripping_ohm_m2`` defaults to ``asr_plating_ohm_m2`` (identical interfaces).
    """
    layer = Layer(thickness_m, sigma_ion_S_m, sigma_e_S_m, name="electrolyte")
    r_l = asr_plating_ohm_m2 if asr_stripping_ohm_m2 is None else asr_stripping_ohm_m2
    return mixed_conductor_profile(
        current_density_A_m2,
        [layer],
        asr_plating_ohm_m2=asr_plating_ohm_m2,
        asr_stripping_ohm_m2=r_l,
        nucleation_overpotential_V=nucleation_overpotential_V,
    )


@dataclass(frozen=True)
class PolycrystalConduction:
    """Brick-layer electronic conductivity of a polycrystal (SI) and the GB share of the current."""

    sigma_e_grain_S_m: float
    sigma_e_gb_S_m: float
    grain_size_m: float
    gb_width_m: float
    sigma_e_effective_S_m: float
    gb_current_share: float
    enhancement: float | None  # σ_eff/σ_grain (None if σ_grain = 0)

    def to_dict(self) -> dict:
        return asdict(self)


def polycrystal_electronic_conductivity(
    sigma_e_grain_S_m, sigma_e_gb_S_m, grain_size_m, gb_width_m=GB_WIDTH_M
) -> PolycrystalConduction:
    """σ_eff = (1 − 2δ/d)/((1 − δ/d)/σ_g + (δ/d)/σ_gb) + (2δ/d)σ_gb (module docstring)."""
    s_g = non_negative_si(sigma_e_grain_S_m, "S/m", "sigma_e_grain_S_m")
    s_gb = non_negative_si(sigma_e_gb_S_m, "S/m", "sigma_e_gb_S_m")
    d = positive_si(grain_size_m, "m", "grain_size_m")
    delta = positive_si(gb_width_m, "m", "gb_width_m")
    if not 2 * delta < d:
        raise SsblabInputError(
            f"gb_width_m must be < grain_size_m/2 (brick layer, δ ≪ d), got {delta} m vs {d} m"
        )
    r = delta / d
    # a zero-conductivity grain or series GB slab blocks the grain column
    column = (1 - 2 * r) / ((1 - r) / s_g + r / s_gb) if s_g > 0 and s_gb > 0 else 0.0
    along = 2 * r * s_gb
    total = column + along
    return PolycrystalConduction(
        sigma_e_grain_S_m=s_g,
        sigma_e_gb_S_m=s_gb,
        grain_size_m=d,
        gb_width_m=delta,
        sigma_e_effective_S_m=total,
        gb_current_share=along / total if total > 0 else 0.0,
        enhancement=total / s_g if s_g > 0 else None,
    )
