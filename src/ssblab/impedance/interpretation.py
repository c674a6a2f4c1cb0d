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

**When the bulk is resolved.** The bulk resistance is either a bulk arc (C* in the bulk band) or,
without one, the high-frequency intercept R∞ (the series resistance R0: the bulk arc lies above
the measured frequencies). It is *resolved*, and only then turned into σ_bulk and σ_total, when

* a bulk arc: its peak frequency 1/(2πτ) lies inside the measured window [f_min, f_max] (the
  apex and the low-frequency half of the arc are measured, so R is read from data rather than
  extrapolated), and its relative standard error is at most ``REL_SE_MAX`` = 25 %;
* the intercept R∞: it is positive, its relative standard error is at most 25 % (a free
  parameter with no usable variance counts as undetermined), and the data come close to it —
  the nearest measured point lies within ``PROXIMITY`` = 0.5·R∞ of the point (R∞, 0) in the
  complex plane: d = minᵢ |Zᵢ − R∞| ≤ 0.5 R∞. Why 0.5: for a passive, capacitive spectrum Z'
  falls monotonically towards R∞ above the measured band, so 0 < R∞ ≤ Z'(nearest point) ≤ R∞ + d
  whatever the arc's shape; with d ≤ 0.5 R∞ the model-free bracket on σ_bulk spans at most a
  factor 1.5, and the fit only refines a value the data already pin down. A collapsed R0
  (1e-300 Ω) always fails it. ``tests/impedance/test_interpretation_resolution.py`` checks that
  whenever this rule calls the bulk resolved, σ_bulk is within 10 % of the truth, on spectra
  whose arcs are not the fitted shape.

A 25 % standard error is the loosest a reported conductivity can have and still be a
measurement: the 95 % interval then spans a factor (1 + 0.5)/(1 − 0.5) = 3.

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
PROXIMITY = 0.5
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


def _sigma(resistance, resistance_err, geometry: Geometry) -> tuple[float, float]:
    sigma = geometry.cell_constant_per_m / resistance
    rel = np.hypot(resistance_err / resistance, geometry.relative_error)
    return float(sigma), float(sigma * rel)


@dataclass(frozen=True)
class Interpretation:
    """Arcs with assignments and the conductivities / ASRs derived from them (SI units).

    ``bulk_resolved`` says whether the bulk resistance is determined by the data (module
    docstring); when it is not, σ_bulk and σ_total are None and ``bulk_reason`` says why.
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
    bulk_source: str | None = None  # "arc R1", "intercept R0" or None
    bulk_resolved: bool = False
    bulk_reason: str = ""

    def to_dict(self) -> dict:
        out = asdict(self)
        out["asr_convention"] = "R_interface * A / 2 per electrode (two identical interfaces)"
        return out

    def require_bulk(self, label: str) -> None:
        """Raise :class:`UnresolvedError` naming ``label`` when the bulk is not resolved."""
        if not self.bulk_resolved:
            raise UnresolvedError(f"{label}: σ_bulk not resolved: {self.bulk_reason}")


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
    r0_fixed = bool(result.fixed[series[0].first_param]) if series else False
    bulk = [a for a in arcs if a.assignment == "bulk"]
    gb = [a for a in arcs if a.assignment == "grain_boundary"]
    interfaces = [a for a in arcs if a.assignment in ("surface_layer", "electrode_interface")]
    if bulk:
        source = f"arc {bulk[0].elements[0]}"
        r_bulk, r_bulk_err = bulk[0].resistance_ohm, bulk[0].resistance_err_ohm
        reason = _arc_unresolved(bulk[0], window)
        if bulk and r0 is not None:
            notes.append("σ_total excludes the series resistance R0 (leads, contacts)")
    elif r0 is not None:
        source = f"intercept {series[0].name}"
        r_bulk, r_bulk_err = r0, r0_err
        fastest = (
            f"the fastest arc has C* {arcs[0].normalised_capacitance_F_per_cm:.2g} F/cm "
            f"({arcs[0].assignment.replace('_', ' ')})"
            if arcs
            else "no arc"
        )
        reason = _intercept_unresolved(series[0].name, r0, r0_err, r0_fixed, z, result.chi2)
        if reason:
            reason = f"no bulk arc ({fastest}) and {reason}"
        else:
            notes.append(
                f"no bulk arc in the measured range ({fastest}): the high-frequency intercept "
                f"{series[0].name} is taken as the bulk"
            )
    else:
        source, r_bulk, r_bulk_err = None, None, None
        reason = "the circuit has neither a bulk arc nor a series resistance"
    resolved = not reason
    sigma_bulk = sigma_total = (None, None)
    sigma_gb_apparent = sigma_gb_specific = None
    if resolved:
        sigma_bulk = _sigma(r_bulk, r_bulk_err, geometry)
        r_total = r_bulk + sum(a.resistance_ohm for a in gb)
        r_total_err = float(np.sqrt(r_bulk_err**2 + sum(a.resistance_err_ohm**2 for a in gb)))
        sigma_total = _sigma(r_total, r_total_err, geometry)
    for arc in gb:
        if not arc.inside_window:
            notes.append(
                f"grain-boundary arc {arc.elements[0]} peaks at {arc.peak_frequency_hz:.3g} Hz, "
                "outside the measured window: its resistance is extrapolated"
            )
    if gb:
        sigma_gb_apparent = geometry.cell_constant_per_m / gb[0].resistance_ohm
        if bulk and resolved:
            sigma_gb_specific = (
                geometry.cell_constant_per_m
                * (bulk[0].capacitance_F / gb[0].capacitance_F)
                / gb[0].resistance_ohm
            )
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
        bulk_source=source,
        bulk_resolved=resolved,
        bulk_reason=reason,
    )


def _relative(value: float, err: float) -> float:
    return abs(err / value) if value and np.isfinite(err) else float("inf")


def _arc_unresolved(arc: Arc, window: tuple[float, float]) -> str:
    """Why a bulk arc does not determine R (empty when it does)."""
    name = arc.elements[0]
    if not arc.inside_window:
        side = "above the highest" if arc.peak_frequency_hz > window[1] else "below the lowest"
        edge = window[1] if arc.peak_frequency_hz > window[1] else window[0]
        return (
            f"the bulk arc ({name}) peaks at {arc.peak_frequency_hz:.3g} Hz, {side} measured "
            f"frequency ({edge:.3g} Hz)"
        )
    rel = _relative(arc.resistance_ohm, arc.resistance_err_ohm)
    if rel > REL_SE_MAX:
        return (
            f"the bulk resistance {name} = {arc.resistance_ohm:.3g} ± "
            f"{arc.resistance_err_ohm:.2g} Ω has a relative error above {REL_SE_MAX:.0%}"
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
    """Arcs in order of τ take strictly later bands: an arc in the band of a faster arc moves
    one band on (two arcs cannot both be the bulk)."""
    order = [name for _, name in ISW_BANDS]
    out: list[Arc] = []
    for arc in arcs:
        band = order.index(arc.assignment)
        if out:
            band = min(max(band, order.index(out[-1].assignment) + 1), len(order) - 1)
        if order[band] != arc.assignment:
            notes.append(
                f"arc {arc.elements[0]} (C* {arc.normalised_capacitance_F_per_cm:.2e} F/cm) "
                f"assigned {order[band]}, not {arc.assignment}: a faster arc is {arc.assignment}"
            )
        out.append(replace(arc, assignment=order[band]))
    return out
