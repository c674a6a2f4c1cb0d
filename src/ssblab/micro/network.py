"""The transport network every microstructure solver works on.

A polycrystal is reduced to a graph. Nodes are grain centres (and, where in-plane transport
along grain boundaries matters, GB face centres) plus two terminal nodes, the electrodes. An
edge is a chain of up to ``MAX_SEGMENTS`` segments in series; segment ``k`` of edge ``e`` is a
slab of phase ``segment_phase[e, k]`` with geometric factor ``segment_factor_m[e, k]`` = A/ℓ
(cross-section over length, in m; in 2-D structures per metre of depth). Its conductance for a
carrier with conductivity σ (S/m) is G = σ·A/ℓ, its admittance at angular frequency ω is
Y = (σ + jωε₀ε_r)·A/ℓ. Absent segments have phase −1 and factor 0. This is the two-point
finite-volume discretisation (consistent on Voronoi and Laguerre meshes, whose faces are
orthogonal to the line joining the two sites); grain boundaries are collapsed interfaces: a
GB segment has ℓ = its thickness δ and A = the contact area, so nm-thick GBs in µm grains cost
no extra unknowns.

Phases carry their own Arrhenius laws σ(T) = σ_ref·exp(−E_a/k_B·(1/T − 1/T_ref)) for ions and
electrons (σT-form is not used: over 250–450 K the two forms differ by < 1 % in E_a terms
that the cited sources do not resolve).

Units: SI throughout (m, S/m, K, eV for activation energies).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ssblab.errors import MicrostructureError

MAX_SEGMENTS = 3
EPSILON_0_F_PER_M = 8.8541878128e-12
BOLTZMANN_EV_PER_K = 8.617333262e-5


@dataclass(frozen=True)
class Phase:
    """A material in the network: ionic and electronic conductivity at ``reference_k``, their
    activation energies, relative permittivity. Every default value must be given by the
    caller with its source (the parameter sets carry the citations)."""

    name: str
    sigma_ion_s_per_m: float
    sigma_e_s_per_m: float
    relative_permittivity: float
    ea_ion_ev: float = 0.0
    ea_e_ev: float = 0.0
    reference_k: float = 298.15

    def __post_init__(self) -> None:
        for label in ("sigma_ion_s_per_m", "sigma_e_s_per_m", "relative_permittivity"):
            value = getattr(self, label)
            if not np.isfinite(value) or value < 0:
                raise MicrostructureError(f"phase {self.name!r}: {label} must be finite and >= 0")
        for label in ("ea_ion_ev", "ea_e_ev"):
            value = getattr(self, label)
            if not np.isfinite(value) or value < 0 or value > 5:
                raise MicrostructureError(f"phase {self.name!r}: {label} must be in [0, 5] eV")
        if not np.isfinite(self.reference_k) or self.reference_k <= 0:
            raise MicrostructureError(f"phase {self.name!r}: reference_k must be > 0 K")

    def sigma_ion_at(self, temperature_k: float) -> float:
        return self.sigma_ion_s_per_m * _arrhenius(self.ea_ion_ev, temperature_k, self.reference_k)

    def sigma_e_at(self, temperature_k: float) -> float:
        return self.sigma_e_s_per_m * _arrhenius(self.ea_e_ev, temperature_k, self.reference_k)


def _arrhenius(ea_ev: float, temperature_k: float, reference_k: float) -> float:
    if not np.isfinite(temperature_k) or temperature_k <= 0:
        raise MicrostructureError(f"temperature must be > 0 K (got {temperature_k})")
    return float(np.exp(-ea_ev / BOLTZMANN_EV_PER_K * (1.0 / temperature_k - 1.0 / reference_k)))


@dataclass(frozen=True)
class TransportNetwork:
    """Nodes, series-segment edges and phases; see the module docstring.

    ``terminals`` are the node indices of the two electrodes (the first at the low-coordinate
    side of ``axis``, the second at the high side). ``node_position_m`` has one row per node;
    the terminals sit at the centre of their electrode face. ``node_kind`` is 0 for a grain
    centre, 1 for a GB face node, 2 for a terminal, 3 for a triple-junction node (a line or a
    vertex of the triple-junction tube network). ``length_m`` and ``area_m2`` are the
    electrode separation and the electrode area (in 2-D: per metre of depth) that turn a
    conductance into an effective conductivity.
    """

    node_position_m: np.ndarray
    node_kind: np.ndarray
    edges: np.ndarray
    segment_phase: np.ndarray
    segment_factor_m: np.ndarray
    phases: tuple[Phase, ...]
    terminals: tuple[int, int]
    axis: int
    length_m: float
    area_m2: float
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        n = self.node_position_m.shape[0]
        m = self.edges.shape[0]
        bad_index = self.edges.size > 0 and (self.edges.min() < 0 or self.edges.max() >= n)
        if self.edges.shape != (m, 2) or bad_index:
            raise MicrostructureError("network: edges must be (m, 2) node indices")
        for name in ("segment_phase", "segment_factor_m"):
            if getattr(self, name).shape != (m, MAX_SEGMENTS):
                raise MicrostructureError(f"network: {name} must have shape (m, {MAX_SEGMENTS})")
        if np.any(self.segment_phase >= len(self.phases)):
            raise MicrostructureError("network: a segment names a phase that does not exist")
        if not np.all(np.isfinite(self.segment_factor_m)) or np.any(self.segment_factor_m < 0):
            raise MicrostructureError("network: segment factors must be finite and >= 0")

    @property
    def n_nodes(self) -> int:
        return int(self.node_position_m.shape[0])

    @property
    def n_edges(self) -> int:
        return int(self.edges.shape[0])

    def phase_index(self, name: str) -> int:
        for i, phase in enumerate(self.phases):
            if phase.name == name:
                return i
        raise MicrostructureError(f"network: no phase named {name!r}")

    def segment_values(self, per_phase: np.ndarray) -> np.ndarray:
        """(m, MAX_SEGMENTS) array of ``per_phase[segment_phase]`` (0 where absent)."""
        per_phase = np.asarray(per_phase)
        out = np.zeros(self.segment_phase.shape, dtype=per_phase.dtype)
        present = self.segment_phase >= 0
        out[present] = per_phase[self.segment_phase[present]]
        return out

    def edge_conductance(self, sigma_per_phase_s_per_m) -> np.ndarray:
        """Series conductance of each edge (S) for one conductivity per phase. A segment of
        zero conductivity makes its edge's conductance exactly 0 (an open edge)."""
        sigma = self.segment_values(np.asarray(sigma_per_phase_s_per_m, dtype=float))
        return series_combination(sigma * self.segment_factor_m, self.segment_phase >= 0)

    def edge_admittance(self, sigma_per_phase_s_per_m, omega_rad_s: float) -> np.ndarray:
        """Series admittance of each edge (S, complex) at angular frequency ω: each segment
        is its phase's σ‖C, Y = (σ + jωε₀ε_r)·A/ℓ."""
        sigma = np.asarray(sigma_per_phase_s_per_m, dtype=float)
        eps = np.array([p.relative_permittivity for p in self.phases]) * EPSILON_0_F_PER_M
        y = self.segment_values((sigma + 1j * omega_rad_s * eps).astype(complex))
        return series_combination(y * self.segment_factor_m, self.segment_phase >= 0)

    def sigma_ion_at(self, temperature_k: float) -> np.ndarray:
        return np.array([p.sigma_ion_at(temperature_k) for p in self.phases])

    def sigma_e_at(self, temperature_k: float) -> np.ndarray:
        return np.array([p.sigma_e_at(temperature_k) for p in self.phases])


def series_combination(segment_g: np.ndarray, present: np.ndarray) -> np.ndarray:
    """1 / Σ_k 1/g_k over present segments, row by row; exactly 0 where a present segment is 0.
    Works for real and complex g."""
    safe = np.where(present & (segment_g != 0), segment_g, 1.0)
    resistance = np.where(present & (segment_g != 0), 1.0 / safe, 0.0).sum(axis=1)
    blocked = np.any(present & (segment_g == 0), axis=1)
    open_edge = blocked | (resistance == 0)
    return np.where(open_edge, 0.0, 1.0 / np.where(open_edge, 1.0, resistance))
