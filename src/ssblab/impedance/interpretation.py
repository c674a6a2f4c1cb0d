"""From a fitted circuit to solid-electrolyte quantities: process assignment and conductivities.

**Effective capacitance of an arc.** For p(R, CPE): C = (Q R^(1−α))^(1/α) (Hsu & Mansfeld,
Corrosion 57 (2001) 747); for p(R, C): C itself. For a blocking CPE in series with the
electrolyte resistance R_s: C = Q^(1/α) R_s^((1−α)/α) (Brug et al., J. Electroanal. Chem. 176
(1984) 275). Time constant τ = R C, peak frequency f = 1/(2πτ).

**Assignment** (Irvine, Sinclair & West, Adv. Mater. 2 (1990) 132, Table 1): capacitance
normalised to a cell constant L/A of 1 cm⁻¹, C* = C·(L/A) in F/cm, falls in
~1e-12 (bulk), 1e-11–1e-8 (grain boundary), 1e-9–1e-7 (surface layer), 1e-7–1e-5
(sample–electrode interface), ~1e-4 (electrochemical reaction). The effective relative
permittivity ε_r = C·L/(ε₀A) is reported so the user can see why (bulk oxide electrolytes have
ε_r ≈ 10–100; a grain boundary of width δ in grains of size d appears as ε_r·d/δ).

**Conductivities** (SI): σ = L/(R·A). σ_bulk from the bulk resistance, σ_total from the sum of
bulk and grain-boundary resistances, apparent σ_gb = L/(R_gb A), and the brick-layer specific
grain-boundary conductivity σ_gb,sp = (L/A)(C_bulk/C_gb)/R_gb (Haile, West & Campbell, J. Mater.
Res. 13 (1998) 1576). **ASR** of each electrode interface in a symmetric cell:
ASR = R_int·A/2 (two identical interfaces in series). Uncertainties are propagated to first
order from the fit's standard errors and the geometry's (relative errors add in quadrature).

Validity: arcs must be resolved (different τ); the brick-layer formula assumes equal
permittivity of grain and grain boundary and δ ≪ d.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np

from ssblab.errors import SsblabInputError
from ssblab.impedance.circuits import Element, parse_circuit
from ssblab.impedance.fitting import FitResult
from ssblab.impedance.initial import arc_slots

EPSILON_0 = 8.8541878128e-12  # F/m (CODATA 2018)

#: Irvine–Sinclair–West bands of C* (F/cm at L/A = 1 cm⁻¹), upper edges, in order.
ISW_BANDS = (
    (1e-11, "bulk"),
    (1e-8, "grain_boundary"),
    (1e-7, "surface_layer"),
    (1e-5, "electrode_interface"),
    (np.inf, "electrochemical_reaction"),
)


@dataclass(frozen=True)
class Geometry:
    """Sample geometry in SI: thickness L (m) and electrode area A (m²), with 1σ errors."""

    thickness_m: float
    area_m2: float
    thickness_err_m: float = 0.0
    area_err_m2: float = 0.0

    def __post_init__(self) -> None:
        if not self.thickness_m > 0:
            raise SsblabInputError(f"thickness must be positive, got {self.thickness_m} m")
        if not self.area_m2 > 0:
            raise SsblabInputError(f"area must be positive, got {self.area_m2} m^2")

    @classmethod
    def disc(cls, thickness_m: float, diameter_m: float, thickness_err_m=0.0, diameter_err_m=0.0):
        if not diameter_m > 0:
            raise SsblabInputError(f"diameter must be positive, got {diameter_m} m")
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


def _arc_from(result: FitResult, r_el: Element, c_el: Element, index: int, geometry) -> Arc:
    values = result.parameters
    r = float(values[r_el.first_param])
    r_err = float(result.stderr[r_el.first_param])
    if c_el.kind == "C":
        capacitance, alpha = float(values[c_el.first_param]), 1.0
    else:
        q, alpha = (float(v) for v in values[c_el.first_param : c_el.first_param + 2])
        capacitance = (q * r ** (1 - alpha)) ** (1 / alpha)
    tau = r * capacitance
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
        peak_frequency_hz=1 / (2 * np.pi * tau),
        normalised_capacitance_F_per_cm=c_star,
        relative_permittivity=capacitance * cell_constant / EPSILON_0,
        assignment=assignment,
        elements=(r_el.name, c_el.name),
    )


def _sigma(resistance, resistance_err, geometry: Geometry) -> tuple[float, float]:
    sigma = geometry.cell_constant_per_m / resistance
    rel = np.hypot(resistance_err / resistance, geometry.relative_error)
    return float(sigma), float(sigma * rel)


@dataclass(frozen=True)
class Interpretation:
    """Arcs with assignments and the conductivities / ASRs derived from them (SI units)."""

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

    def to_dict(self) -> dict:
        out = asdict(self)
        out["asr_convention"] = "R_interface * A / 2 per electrode (two identical interfaces)"
        return out


def interpret(result: FitResult, geometry: Geometry, cell: str = "pellet") -> Interpretation:
    """Assign the arcs of ``result`` and derive σ and ASR for ``geometry``.

    ``cell``: ``"pellet"`` (blocking electrodes), ``"symmetric"`` (Li | SSE | Li) or ``"film"``.
    """
    if cell not in ("pellet", "symmetric", "film"):
        raise SsblabInputError(f"cell {cell!r}: use pellet, symmetric or film")
    circuit = parse_circuit(result.circuit)
    arcs = sorted(
        (
            _arc_from(result, r_el, c_el, i, geometry)
            for i, (r_el, c_el) in enumerate(arc_slots(circuit))
        ),
        key=lambda arc: arc.tau_s,
    )
    notes: list[str] = []
    top = circuit.tree.children if hasattr(circuit.tree, "children") else (circuit.tree,)
    series = [e for e in top if isinstance(e, Element) and e.kind == "R"]
    r0 = float(result.parameters[series[0].first_param]) if series else None
    r0_err = float(result.stderr[series[0].first_param]) if series else 0.0
    arcs = _resolve_assignments(arcs, notes)
    bulk = [a for a in arcs if a.assignment == "bulk"]
    gb = [a for a in arcs if a.assignment == "grain_boundary"]
    interfaces = [a for a in arcs if a.assignment in ("surface_layer", "electrode_interface")]
    if bulk:
        r_bulk, r_bulk_err = bulk[0].resistance_ohm, bulk[0].resistance_err_ohm
    elif r0 is not None:
        r_bulk, r_bulk_err = r0, r0_err
        notes.append("no bulk arc in the measured range: the series resistance is taken as bulk")
    else:
        r_bulk = r_bulk_err = None
    sigma_bulk = sigma_total = (None, None)
    sigma_gb_apparent = sigma_gb_specific = None
    if r_bulk is not None:
        sigma_bulk = _sigma(r_bulk, r_bulk_err, geometry)
        r_total = r_bulk + sum(a.resistance_ohm for a in gb)
        r_total_err = float(np.sqrt(r_bulk_err**2 + sum(a.resistance_err_ohm**2 for a in gb)))
        if bulk and r0 is not None:
            notes.append("σ_total excludes the series resistance R0 (leads, contacts)")
        sigma_total = _sigma(r_total, r_total_err, geometry)
    if gb:
        sigma_gb_apparent = geometry.cell_constant_per_m / gb[0].resistance_ohm
        if bulk:
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
    )


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
