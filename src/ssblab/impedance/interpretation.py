"""From a fitted circuit to solid-electrolyte quantities: process assignment and conductivities.

**Effective capacitance of an arc.** For p(R, CPE): C = (Q R^(1−α))^(1/α) (Hsu & Mansfeld,
Corrosion 57 (2001) 747); for p(R, C): C itself. Time constant τ = R C = (RQ)^(1/α), peak
frequency f = 1/(2πτ).

**Assignment** (Irvine, Sinclair & West, Adv. Mater. 2 (1990) 132, Table 1): capacitance
normalised to a cell constant L/A of 1 cm⁻¹, C* = C·(L/A) in F/cm, falls in
~1e-12 (bulk), 1e-11–1e-8 (grain boundary), 1e-9–1e-7 (surface layer), 1e-7–1e-5
(sample–electrode interface), ~1e-4 (electrochemical reaction). The effective relative
permittivity ε_r = C·L/(ε₀A) is reported so the user can see why (bulk oxide electrolytes have
ε_r ≈ 10–100; a grain boundary of width δ in grains of size d appears as ε_r·d/δ). Arcs in
order of τ take strictly later bands (two arcs cannot both be the bulk). An arc that escaped the
data (:func:`ssblab.impedance.initial.escaped_arcs`: τ far outside the window, R negligible or
huge, α < 0.35) or whose R collapsed describes no process and is not assigned.

**Conductivities** (SI): σ = L/(R·A). σ_bulk from the bulk resistance, σ_total from the sum of
bulk and grain-boundary resistances, apparent σ_gb = L/(R_gb A), and the brick-layer specific
grain-boundary conductivity σ_gb,sp = (L/A)(C_bulk/C_gb)/R_gb (Haile, West & Campbell, J. Mater.
Res. 13 (1998) 1576). **ASR** of each electrode interface in a symmetric cell:
ASR = R_int·A/2 (two identical interfaces in series). Uncertainties are propagated to first
order from the fit's standard errors and the geometry's (relative errors add in quadrature).

**When the bulk is resolved.** The bulk resistance is either the bulk arc (C* in the bulk band;
several arcs in that band are one process the fit split, their resistances add up) or, without
one, the high-frequency intercept R∞ (the series resistance R0: the bulk arc lies above the
measured frequencies). It is *resolved*, and only then turned into σ_bulk, when

* a bulk arc: the peak frequency 1/(2πτ) of every bulk piece lies inside the measured window
  [f_min, f_max] (the apex is measured, so R is read from data rather than extrapolated); the
  next slower arc is at least ``SEPARATION`` = 10× slower (an arc spans about two decades of
  frequency; closer arcs overlap and how the fit shares their resistance depends on the arc
  shape assumed); and the relative standard error of R is at most ``REL_SE_MAX`` = 25 %;
* the intercept R∞: it is positive, its relative standard error is at most 25 % (a free
  parameter with no usable variance counts as undetermined), and the data come close to it —
  the nearest measured point lies within ``PROXIMITY`` = 0.2·R∞ of the point (R∞, 0) in the
  complex plane: d = minᵢ |Zᵢ − R∞| ≤ 0.2 R∞. Why: for a passive, capacitive spectrum Z'
  falls monotonically towards the true intercept above the measured band, so the true
  intercept lies below Z' of the nearest point ≤ R∞ + d whatever the arc's shape: σ_bulk
  cannot be more than 1.2× too high because of the extrapolation, and the fit only refines a
  value the data pin down. A collapsed R0 (1e-300 Ω) always fails. On the real spectra of
  ``../shared/real-data`` an intercept is either reached (d ≤ 0.18 R∞) or clearly not
  (d ≥ 0.4 R∞). R∞ is the *bulk* only when a grain-boundary arc is resolved after it; with
  none, R∞ holds the bulk and any unresolved grain boundaries together: it gives σ_total,
  and the data say only σ_bulk ≥ σ_total (σ_bulk is then reported as not resolved).

σ_total (bulk + grain boundaries) is resolved when its parts are: a resolved bulk and every
grain-boundary arc peaking inside the window with a relative error of their summed resistance
≤ 25 % (the same conditions make a grain-boundary arc "resolved" after an intercept), or the
intercept alone as above. The low-frequency end of the electrolyte's last arc — the point
(R∞ + R_bulk + R_gb, 0) where it meets the tail or the next arc — must be reached the same way
as the intercept: a measured point within 0.2·(R_bulk + R_gb) of it (an arc whose apex is
measured but whose low-frequency side is cut off has an extrapolated resistance). Without a
grain-boundary arc the bulk arc's own end (R∞ + R_bulk, 0) is required for σ_bulk. Both
proximity tests look at the data minus the fitted series tail and inductor (the electrolyte's
part of the spectrum: a blocking tail overlapping the last arc does not hide its end, and an
inductive lead does not hide the intercept).

A 25 % standard error is the loosest a reported conductivity can have and still be a
measurement: the 95 % interval then spans a factor (1 + 0.5)/(1 − 0.5) = 3.
``tests/impedance/test_interpretation_resolution.py`` checks that whenever these rules call the
bulk resolved, σ_bulk is within 12 % of the truth on pellet spectra whose arcs are *not* the
fitted shape (Havriliak–Negami bulk and grain-boundary arcs, β ≥ 0.7), over f_max = 10 kHz …
10 MHz, and that the rules refuse the rest.

Validity: arcs must be resolved (different τ); the brick-layer formula assumes equal
permittivity of grain and grain boundary and δ ≪ d.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np

from ssblab.errors import ImpedanceDataError, SsblabInputError
from ssblab.impedance.circuits import Element, Series, parse_circuit
from ssblab.impedance.fitting import FitResult
from ssblab.impedance.initial import arc_slots, escaped_arcs

EPSILON_0 = 8.8541878128e-12  # F/m (CODATA 2018)
CELLS = ("pellet", "symmetric", "film", "full")
REL_SE_MAX = 0.25
PROXIMITY = 0.2
SEPARATION = 10.0  # τ ratio between the bulk and the next slower arc
SIGMA_PLAUSIBLE_S_M = 10.0  # 0.1 S/cm: above any solid Li-ion conductor at room temperature
#: 1 S/cm: above every known ionic conductor, liquid ones included (the best aqueous acids,
#: ~30 wt% H2SO4, reach ~0.8 S/cm at 25 °C; CRC Handbook of Chemistry and Physics, "Electrical
#: conductivity of aqueous solutions"). A σ above it comes from a wrong geometry or from a cell
#: that is not an electrolyte sample (a battery's milliohm spectrum): it is refused.
SIGMA_IMPOSSIBLE_S_M = 100.0
R_COLLAPSE = 1e-6  # a resistance below this fraction of min |Z| describes nothing

#: Irvine–Sinclair–West bands of C* (F/cm at L/A = 1 cm⁻¹), upper edges, in order.
ISW_BANDS = (
    (1e-11, "bulk"),
    (1e-8, "grain_boundary"),
    (1e-7, "surface_layer"),
    (1e-5, "electrode_interface"),
    (np.inf, "electrochemical_reaction"),
)


class UnresolvedError(ImpedanceDataError):
    """The spectrum does not resolve the quantity asked for (e.g. the bulk resistance)."""


@dataclass(frozen=True)
class Geometry:
    """Sample geometry in SI: thickness L (m) and electrode area A (m²), with 1σ errors."""

    thickness_m: float
    area_m2: float
    thickness_err_m: float = 0.0
    area_err_m2: float = 0.0

    def __post_init__(self) -> None:
        if not (self.thickness_m > 0 and np.isfinite(self.thickness_m)):
            raise SsblabInputError(
                f"thickness must be positive and finite, got {self.thickness_m} m"
            )
        if not (self.area_m2 > 0 and np.isfinite(self.area_m2)):
            raise SsblabInputError(f"area must be positive and finite, got {self.area_m2} m^2")
        if not (self.thickness_err_m >= 0 and self.area_err_m2 >= 0):
            raise SsblabInputError("geometry errors must be non-negative")

    @classmethod
    def disc(cls, thickness_m: float, diameter_m: float, thickness_err_m=0.0, diameter_err_m=0.0):
        if not (diameter_m > 0 and np.isfinite(diameter_m)):
            raise SsblabInputError(f"diameter must be positive and finite, got {diameter_m} m")
        area = np.pi * diameter_m**2 / 4
        return cls(thickness_m, area, thickness_err_m, 2 * area * diameter_err_m / diameter_m)

    @property
    def cell_constant_per_m(self) -> float:
        return self.thickness_m / self.area_m2

    @property
    def relative_error(self) -> float:
        return float(
            np.hypot(self.thickness_err_m / self.thickness_m, self.area_err_m2 / self.area_m2)
        )


@dataclass(frozen=True)
class Arc:
    """One fitted relaxation with its assignment."""

    index: int
    resistance_ohm: float
    resistance_err_ohm: float
    capacitance_F: float
    alpha: float
    tau_s: float
    peak_frequency_hz: float
    normalised_capacitance_F_per_cm: float
    relative_permittivity: float
    assignment: str
    elements: tuple[str, str]
    inside_window: bool = True


def _arc_from(result: FitResult, r_el: Element, c_el: Element, index: int, geometry, window):
    values = result.parameters
    r = float(values[r_el.first_param])
    r_err = float(result.stderr[r_el.first_param])
    with np.errstate(all="ignore"):
        if c_el.kind == "C":
            capacitance, alpha = float(values[c_el.first_param]), 1.0
        else:
            q, alpha = (float(v) for v in values[c_el.first_param : c_el.first_param + 2])
            capacitance = float((q * r ** (1 - alpha)) ** (1 / alpha))
        tau = r * capacitance
        peak = 1 / (2 * np.pi * tau)
    cell_constant = geometry.cell_constant_per_m
    c_star = capacitance * cell_constant / 100.0  # F/m * (1 cm⁻¹ = 100 m⁻¹) -> F/cm
    assignment = next(name for edge, name in ISW_BANDS if c_star < edge)
    return Arc(
        index=index,
        resistance_ohm=r,
        resistance_err_ohm=r_err,
        capacitance_F=capacitance,
        alpha=alpha,
        tau_s=tau,
        peak_frequency_hz=peak,
        normalised_capacitance_F_per_cm=c_star,
        relative_permittivity=capacitance * cell_constant / EPSILON_0,
        assignment=assignment,
        elements=(r_el.name, c_el.name),
        inside_window=bool(window[0] <= peak <= window[1]),
    )


#: Where the Irvine–Sinclair–West grain-boundary (1e-11–1e-8 F/cm) and surface-layer
#: (1e-9–1e-7 F/cm) bands overlap above the grain-boundary edge: thin GBs in µm grains land
#: here (C*_gb = C*_bulk·d/δ: 1.3e-8 F/cm for ε_r 60, 2 nm in 5 µm).
OVERLAP_BAND_F_PER_CM = (1e-8, 1e-7)


def _overlap_warnings(arcs, bulk, gb, e, sigma_total, geometry) -> list[str]:
    """A warning for the first arc after a resolved bulk that was assigned surface_layer from a
    capacitance where the grain-boundary and surface-layer bands overlap: σ_total then excludes
    it; if it is a grain boundary, σ_total is lower, and the warning gives that value and the
    δ/d it implies, so the user can decide."""
    if not bulk or gb or e.bulk_reason or sigma_total is None:
        return []
    slower = [a for a in arcs if a.tau_s > max(b.tau_s for b in bulk)]
    if not slower:
        return []
    arc = slower[0]
    low, high = OVERLAP_BAND_F_PER_CM
    if arc.assignment != "surface_layer" or not (low <= arc.normalised_capacitance_F_per_cm < high):
        return []
    c_bulk = max(bulk, key=lambda a: a.resistance_ohm).capacitance_F
    with_arc = geometry.cell_constant_per_m / (geometry.cell_constant_per_m / sigma_total
                                               + arc.resistance_ohm)  # fmt: skip
    return [
        f"arc p({','.join(arc.elements)}) has C* = {arc.normalised_capacitance_F_per_cm:.2g} "
        "F/cm, where the grain-boundary (1e-11–1e-8) and surface-layer (1e-9–1e-7) bands "
        "overlap; it is counted as a surface layer. If it is a grain boundary (δ/d = "
        f"C_bulk/C_arc = {c_bulk / arc.capacitance_F:.2g}), σ_total is {with_arc / 100:.3g} "
        f"S/cm, not {sigma_total / 100:.3g} S/cm"
    ]


def _sigma(resistance, resistance_err, geometry: Geometry) -> tuple[float, float]:
    sigma = geometry.cell_constant_per_m / resistance
    rel = np.hypot(resistance_err / resistance, geometry.relative_error)
    return float(sigma), float(sigma * rel)


@dataclass(frozen=True)
class Interpretation:
    """Arcs with assignments and the conductivities / ASRs derived from them (SI units).

    ``bulk_resolved``/``total_resolved`` say whether the bulk and the total electrolyte
    resistance are determined by the data (module docstring); when one is not, its σ is None and
    ``bulk_reason``/``total_reason`` says why.
    """

    arcs: tuple[Arc, ...]
    series_resistance_ohm: float | None
    sigma_bulk_S_m: float | None
    sigma_bulk_err_S_m: float | None
    sigma_total_S_m: float | None
    sigma_total_err_S_m: float | None
    sigma_gb_apparent_S_m: float | None
    sigma_gb_specific_S_m: float | None
    asr_per_interface_ohm_m2: float | None
    asr_err_ohm_m2: float | None
    cell: str
    notes: tuple[str, ...]
    warnings: tuple[str, ...] = ()  # a σ no solid electrolyte reaches (geometry or cell wrong?)
    bulk_source: str | None = None  # "arc R1", "intercept R0" or None
    bulk_resolved: bool = False
    bulk_reason: str = ""
    total_resolved: bool = False
    total_reason: str = ""

    def to_dict(self) -> dict:
        out = asdict(self)
        out["asr_convention"] = "R_interface * A / 2 per electrode (two identical interfaces)"
        return out

    def require(self, label: str, quantity: str = "bulk") -> None:
        """Raise :class:`UnresolvedError` naming ``label`` when σ_``quantity`` (``"bulk"`` or
        ``"total"``) is not resolved."""
        reason = self.bulk_reason if quantity == "bulk" else self.total_reason
        if reason:
            raise UnresolvedError(f"{label}: σ_{quantity} not resolved: {reason}")


def interpret(
    result: FitResult,
    geometry: Geometry,
    cell: str = "pellet",
    *,
    frequency_hz,
    impedance_ohm,
) -> Interpretation:
    """Assign the arcs of ``result`` (fitted to the spectrum ``frequency_hz``, ``impedance_ohm``)
    and derive σ and ASR for ``geometry``.

    ``cell``: ``"pellet"`` (blocking electrodes), ``"symmetric"`` (Li | SSE | Li), ``"film"`` or
    ``"full"``. The data are needed to judge what the spectrum resolves (module docstring).
    """
    if cell not in CELLS:
        raise SsblabInputError(f"cell {cell!r}: use {', '.join(CELLS)}")
    f = np.asarray(frequency_hz, dtype=float)
    z = np.asarray(impedance_ohm, dtype=complex)
    if f.shape != z.shape or f.size != result.n_points:
        raise SsblabInputError(
            f"interpret: the spectrum has {f.size} points, the fit {result.n_points}"
        )
    circuit = parse_circuit(result.circuit)
    window = (float(f.min()), float(f.max()))
    notes: list[str] = []
    escaped = set(escaped_arcs(circuit, result.parameters, f, z))
    min_z = float(np.abs(z).min())
    arcs = []
    for i, (r_el, c_el) in enumerate(arc_slots(circuit)):
        arc = _arc_from(result, r_el, c_el, i, geometry, window)
        if i in escaped or not arc.resistance_ohm >= R_COLLAPSE * min_z:
            notes.append(
                f"arc p({r_el.name},{c_el.name}) escaped the data or collapsed "
                f"(R {arc.resistance_ohm:.3g} Ω, f peak {arc.peak_frequency_hz:.3g} Hz): "
                "not assigned"
            )
            continue
        arcs.append(arc)
    arcs = _resolve_assignments(sorted(arcs, key=lambda arc: arc.tau_s), notes)
    top = circuit.tree.children if isinstance(circuit.tree, Series) else (circuit.tree,)
    series = [e for e in top if isinstance(e, Element) and e.kind == "R"]
    r0 = float(result.parameters[series[0].first_param]) if series else None
    r0_err = float(result.stderr[series[0].first_param]) if series else 0.0
    bulk = [a for a in arcs if a.assignment == "bulk"]
    gb = [a for a in arcs if a.assignment == "grain_boundary"]
    interfaces = [a for a in arcs if a.assignment in ("surface_layer", "electrode_interface")]
    intercept = None
    if series:
        intercept = (series[0].name, r0, r0_err, bool(result.fixed[series[0].first_param]))
    z_electrolyte = z - _series_extras(circuit, result.parameters, f)
    slots = arc_slots(circuit)
    sum_err = None
    if series and gb:  # R∞ + R_gb with its covariance: the split may be poor, the sum is not
        indices = [series[0].first_param, *(slots[a.index][0].first_param for a in gb)]
        sum_err = _sum_error(result, indices)
    e = _electrolyte(arcs, bulk, gb, intercept, window, z_electrolyte, result.chi2, notes, sum_err)
    e = _refuse_impossible(e, geometry)
    sigma_bulk = _sigma(e.r_bulk, e.r_bulk_err, geometry) if not e.bulk_reason else (None, None)
    sigma_total = _sigma(e.r_total, e.r_total_err, geometry) if not e.total_reason else (None, None)
    warnings = [
        f"σ_{name} = {value / 100:.3g} S/cm is above {SIGMA_PLAUSIBLE_S_M / 100:g} S/cm, more than "
        "any solid lithium-ion conductor reaches at room temperature (Li9.54Si1.74P1.44S11.7Cl0.3: "
        "2.5e-2 S/cm, Kato et al., Nat. Energy 1 (2016) 16030): check the geometry and the cell"
        for name, value in (("bulk", sigma_bulk[0]), ("total", sigma_total[0]))
        if value is not None and value > SIGMA_PLAUSIBLE_S_M
    ]
    warnings.extend(_overlap_warnings(arcs, bulk, gb, e, sigma_total[0], geometry))
    sigma_gb_apparent = sigma_gb_specific = None
    if gb:
        r_gb = _summed(gb)[0]
        sigma_gb_apparent = geometry.cell_constant_per_m / r_gb
        if bulk and not e.bulk_reason:  # capacitances of the dominant pieces
            c_bulk = max(bulk, key=lambda a: a.resistance_ohm).capacitance_F
            c_gb = max(gb, key=lambda a: a.resistance_ohm).capacitance_F
            sigma_gb_specific = geometry.cell_constant_per_m * (c_bulk / c_gb) / r_gb
    asr = asr_err = None
    if cell == "symmetric" and interfaces:
        r_int = sum(a.resistance_ohm for a in interfaces)
        r_int_err = float(np.sqrt(sum(a.resistance_err_ohm**2 for a in interfaces)))
        asr = r_int * geometry.area_m2 / 2
        asr_err = asr * float(np.hypot(r_int_err / r_int, geometry.area_err_m2 / geometry.area_m2))
    return Interpretation(
        arcs=tuple(arcs),
        series_resistance_ohm=r0,
        sigma_bulk_S_m=sigma_bulk[0],
        sigma_bulk_err_S_m=sigma_bulk[1],
        sigma_total_S_m=sigma_total[0],
        sigma_total_err_S_m=sigma_total[1],
        sigma_gb_apparent_S_m=sigma_gb_apparent,
        sigma_gb_specific_S_m=sigma_gb_specific,
        asr_per_interface_ohm_m2=asr,
        asr_err_ohm_m2=asr_err,
        cell=cell,
        notes=tuple(notes),
        warnings=tuple(warnings),
        bulk_source=e.source,
        bulk_resolved=not e.bulk_reason,
        bulk_reason=e.bulk_reason,
        total_resolved=not e.total_reason,
        total_reason=e.total_reason,
    )


@dataclass(frozen=True)
class _Electrolyte:
    source: str | None
    r_bulk: float | None
    r_bulk_err: float | None
    bulk_reason: str
    r_total: float | None
    r_total_err: float | None
    total_reason: str


def _electrolyte(arcs, bulk, gb, intercept, window, z, chi2, notes, sum_err) -> _Electrolyte:
    """Bulk and total electrolyte resistance and why either is not resolved (module docstring).

    Without a bulk arc, the intercept R∞ is the bulk only when a grain-boundary arc is resolved
    after it; with no grain-boundary arc either, R∞ holds bulk and (unresolved) grain
    boundaries together: it gives σ_total, and σ_bulk ≥ σ_total is all the data say. When the
    intercept itself is not reached but a grain-boundary arc peaks inside the window, R∞ + R_gb
    is still measured where that arc meets the real axis: σ_total is resolved (its error
    ``sum_err`` from the fit's covariance, which carries the anti-correlation of the two)
    while σ_bulk is not."""
    r_gb, r_gb_err = _summed(gb)
    gb_out = [a.elements[0] for a in gb if not a.inside_window]
    gb_reason = (
        f"the grain-boundary arc ({', '.join(gb_out)}) peaks outside the measured window"
        if gb_out
        else ""
    )
    if gb and not gb_reason and _relative(r_gb, r_gb_err) > REL_SE_MAX:
        gb_reason = (
            f"the grain-boundary resistance {r_gb:.3g} ± {r_gb_err:.2g} Ω has a relative "
            f"error above {REL_SE_MAX:.0%}"
        )
    if bulk:
        r_bulk, r_bulk_err = _summed(bulk)
        slower = [a for a in arcs if a.tau_s > max(b.tau_s for b in bulk) and a not in bulk]
        reason = _arc_unresolved(bulk, r_bulk, r_bulk_err, window, slower[0] if slower else None)
        if intercept is not None:
            notes.append("σ_total excludes the series resistance R0 (leads, contacts)")
        source = "arc " + "+".join(a.elements[0] for a in bulk)
        start = intercept[1] if intercept is not None else 0.0
        if gb:
            total_reason = (
                reason
                or gb_reason
                or _end_unresolved("grain-boundary", start + r_bulk + r_gb, r_bulk + r_gb, z)
            )
        else:
            reason = reason or _end_unresolved("bulk", start + r_bulk, r_bulk, z)
            total_reason = reason
        return _Electrolyte(source, r_bulk, r_bulk_err, reason, r_bulk + r_gb,
                            float(np.hypot(r_bulk_err, r_gb_err)), total_reason)  # fmt: skip
    if intercept is None:
        reason = "the circuit has neither a bulk arc nor a series resistance"
        return _Electrolyte(None, None, None, reason, None, None, reason)
    name, r0, r0_err, fixed = intercept
    fastest = (
        f"the fastest arc has C* {arcs[0].normalised_capacitance_F_per_cm:.2g} F/cm "
        f"({arcs[0].assignment.replace('_', ' ')})"
        if arcs
        else "no arc"
    )
    reason = _intercept_unresolved(name, r0, r0_err, fixed, z, chi2)
    if reason:
        reason = f"no bulk arc ({fastest}) and {reason}"
        total_reason = reason
        r_sum = r0 + r_gb if gb and np.isfinite(r0) else None
        if r_sum is not None and not any(not a.inside_window for a in gb):
            total_reason = _end_unresolved("grain-boundary", r_sum, r_sum, z)
            if not total_reason and _relative(r_sum, sum_err) > REL_SE_MAX:
                total_reason = (
                    f"{name} + R_gb = {r_sum:.3g} ± {sum_err:.2g} Ω has a relative error above "
                    f"{REL_SE_MAX:.0%}"
                )
            if not total_reason:
                notes.append(
                    f"σ_total from {name} + R_gb, read where the grain-boundary arc meets the "
                    f"real axis; {name} alone is extrapolated, so σ_bulk is not resolved"
                )
        return _Electrolyte(f"intercept {name}", r0, r0_err, reason, r_sum, sum_err, total_reason)
    if gb and not gb_reason:
        notes.append(
            f"no bulk arc in the measured range ({fastest}): the high-frequency intercept "
            f"{name} is taken as the bulk"
        )
        total_reason = _end_unresolved("grain-boundary", r0 + r_gb, r0 + r_gb, z)
        return _Electrolyte(f"intercept {name}", r0, r0_err, "", r0 + r_gb,
                            float(np.hypot(r0_err, r_gb_err)), total_reason)  # fmt: skip
    reason = (
        f"no arc separates bulk from grain boundaries ({fastest}): the high-frequency "
        f"intercept {name} = {r0:.3g} Ω is the total electrolyte resistance (σ_bulk ≥ σ_total)"
    )
    notes.append(f"σ_total from the high-frequency intercept {name}; σ_bulk ≥ σ_total")
    return _Electrolyte(f"intercept {name}", r0, r0_err, reason, r0, r0_err, gb_reason)


def _refuse_impossible(e: _Electrolyte, geometry: Geometry) -> _Electrolyte:
    """Mark σ above :data:`SIGMA_IMPOSSIBLE_S_M` as not resolved, with the reason."""

    def why(r: float | None, reason: str) -> str:
        if reason or r is None or not r > 0:
            return reason
        sigma = geometry.cell_constant_per_m / r
        if sigma <= SIGMA_IMPOSSIBLE_S_M:
            return ""
        return (
            f"σ = {sigma / 100:.3g} S/cm from R = {r:.3g} Ω is above "
            f"{SIGMA_IMPOSSIBLE_S_M / 100:g} S/cm, more than any known ionic conductor "
            "(liquids included): the geometry or the cell is not an electrolyte sample's"
        )

    return replace(
        e, bulk_reason=why(e.r_bulk, e.bulk_reason), total_reason=why(e.r_total, e.total_reason)
    )


def _series_extras(circuit, params: np.ndarray, f: np.ndarray) -> np.ndarray:
    """Impedance of the top-level series elements that are neither resistors nor arcs — the
    low-frequency tail (CPE, C, W, Wo, Ws …) and a series inductor (L, La) — at ``f``, so the
    proximity tests look at the electrolyte's part of the data."""
    from ssblab.impedance.elements import ELEMENTS

    s = 2j * np.pi * f[None, :]
    out = np.zeros(f.size, dtype=complex)
    top = circuit.tree.children if isinstance(circuit.tree, Series) else (circuit.tree,)
    with np.errstate(all="ignore"):
        for node in top:
            if isinstance(node, Element) and node.kind != "R":
                spec, function = ELEMENTS[node.kind]
                cols = [params[node.first_param + i, None, None] for i in range(spec.n_params)]
                out = out + np.broadcast_to(function(s, *cols)[0], (1, f.size))[0]
    return np.where(np.isfinite(out), out, 0.0)


def _end_unresolved(kind: str, end: float, scale: float, z) -> str:
    """Why the low-frequency end (``end``, 0) of the electrolyte's last arc is not measured:
    no point within ``PROXIMITY``·``scale`` of it (empty when one is)."""
    distance = float(np.min(np.abs(z - end)))
    if distance <= PROXIMITY * scale:
        return ""
    return (
        f"the low-frequency end of the {kind} arc (Z' = {end:.3g} Ω) is not reached by the "
        f"data (nearest point {distance:.3g} Ω = {distance / scale:.2g}× its resistance away, "
        f"needs ≤ {PROXIMITY}): measure to lower frequency"
    )


def _sum_error(result: FitResult, indices: list[int]) -> float:
    """Standard error of a sum of fitted parameters from their standard errors and correlation
    matrix: σ² = Σᵢⱼ σᵢ ρᵢⱼ σⱼ."""
    sigma = result.stderr[indices]
    rho = result.correlation[np.ix_(indices, indices)]
    return float(np.sqrt(max(float(sigma @ rho @ sigma), 0.0)))


def _relative(value: float, err: float) -> float:
    return abs(err / value) if value and np.isfinite(err) else float("inf")


def _summed(arcs: list[Arc]) -> tuple[float, float]:
    """Total resistance of arcs in series and its error (independent errors, in quadrature)."""
    r = sum(a.resistance_ohm for a in arcs)
    return float(r), float(np.sqrt(sum(a.resistance_err_ohm**2 for a in arcs)))


def _arc_unresolved(bulk: list[Arc], r: float, r_err: float, window, following) -> str:
    """Why the bulk arc(s) do not determine R (empty when they do); ``following`` is the next
    slower arc, if any."""
    for arc in bulk:
        if not arc.inside_window:
            above = arc.peak_frequency_hz > window[1]
            side = "above the highest" if above else "below the lowest"
            edge = window[1] if above else window[0]
            return (
                f"the bulk arc ({arc.elements[0]}) peaks at {arc.peak_frequency_hz:.3g} Hz, "
                f"{side} measured frequency ({edge:.3g} Hz)"
            )
    names = "+".join(a.elements[0] for a in bulk)
    slowest = max(bulk, key=lambda a: a.tau_s)
    if following is not None and following.tau_s < SEPARATION * slowest.tau_s:
        return (
            f"the bulk arc ({names}) and the next arc ({following.elements[0]}) overlap: their "
            f"time constants differ by a factor {following.tau_s / slowest.tau_s:.2g} < "
            f"{SEPARATION:g}, so how the fit shares their resistance depends on the arc shape"
        )
    if _relative(r, r_err) > REL_SE_MAX:
        return (
            f"the bulk resistance {names} = {r:.3g} ± {r_err:.2g} Ω has a relative error "
            f"above {REL_SE_MAX:.0%}"
        )
    return ""


def _intercept_unresolved(name, r0, r0_err, fixed, z, chi2) -> str:
    """Why the high-frequency intercept does not determine R (empty when it does)."""
    if not (r0 > 0 and np.isfinite(r0)):
        return f"the high-frequency intercept {name} = {r0:.3g} Ω is not a resistance"
    distance = float(np.min(np.abs(z - r0)))
    if distance > PROXIMITY * r0:
        return (
            f"the high-frequency intercept {name} = {r0:.3g} Ω is not reached by the data "
            f"(nearest point {distance:.3g} Ω = {distance / r0:.2g}·{name} away, needs ≤ "
            f"{PROXIMITY}): measure to higher frequency"
        )
    undetermined = r0_err == 0 and chi2 > 0 and not fixed
    if undetermined or _relative(r0, r0_err) > REL_SE_MAX:
        return (
            f"the high-frequency intercept {name} = {r0:.3g} ± {r0_err:.2g} Ω is not "
            f"determined (relative error above {REL_SE_MAX:.0%})"
        )
    return ""


def _resolve_assignments(arcs: list[Arc], notes: list[str]) -> list[Arc]:
    """Arcs in order of τ never take an earlier band than a faster arc (the bulk is the fastest
    process): a slower arc in an earlier band moves to the faster arc's band. Consecutive arcs in
    one band are one process that the fit split into several CPE arcs (an asymmetric,
    Havriliak–Negami-like relaxation): their resistances add up."""
    order = [name for _, name in ISW_BANDS]
    out: list[Arc] = []
    for arc in arcs:
        band = order.index(arc.assignment)
        if out:
            band = max(band, order.index(out[-1].assignment))
        if order[band] != arc.assignment:
            notes.append(
                f"arc {arc.elements[0]} (C* {arc.normalised_capacitance_F_per_cm:.2e} F/cm) "
                f"assigned {order[band]}, not {arc.assignment}: a faster arc is {order[band]}"
            )
        out.append(replace(arc, assignment=order[band]))
    for name in order:
        same = [a.elements[0] for a in out if a.assignment == name]
        if len(same) > 1:
            notes.append(
                f"arcs {', '.join(same)} are all {name.replace('_', ' ')}: one distributed "
                "process split over several arcs; their resistances are added"
            )
    return out
