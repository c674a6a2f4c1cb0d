"""One simulated case: :class:`CaseResult` (the brick-layer reading of a network's spectrum
and the truth), :func:`evaluate_network`, the polycrystals of the studies (``_crystal``,
:func:`cubic_polycrystal`) and per-face GB phases (``_gb_edges``, ``_with_gb_phases``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from ssblab.errors import MicrostructureError
from ssblab.micro import solve as _solve
from ssblab.micro.build import GB, Materials
from ssblab.micro.network import Phase, TransportNetwork
from ssblab.micro.structure import Polycrystal, PolycrystalSpec, build_polycrystal
from ssblab.micro.studies.reading import (
    BOX_ASPECT_3D,
    DENSITY_TOLERANCE,
    FREQUENCY_HZ,
    GRAIN_SIZE_M,
    NOISE,
    TEMPERATURE_K,
    BrickLayerReading,
    read_brick_layer,
    simulate_spectrum,
)

# --------------------------------------------------------------------------------------------
# one simulated case
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseResult:
    """One simulated microstructure, its spectrum read with the brick layer, and the truth.

    ``sigma_gb_true`` is the GB σ_ion the errors refer to (for a distribution of GB σ: the
    arithmetic mean over the faces). ``err_*`` = estimate/true − 1. ``err_gb_geometric`` uses
    the known ``geometric_delta_over_d`` = δ/d, d the mean equivalent diameter;
    ``err_total_blm`` compares the forward series BLM σ_total (true σ_g, σ_gb and that δ/d)
    with the DC σ_eff of the network. The simulated
    (noisy) spectrum is kept in ``frequency_hz``, ``impedance_ohm``."""

    study: str
    case: str
    seed: int
    dimension: int
    n_grains: int
    size_cv: float
    relative_density: float
    sigma_grain: float
    sigma_gb_true: float
    eps_r_gb_true: float
    sigma_dc: float
    sigma_total_blm: float
    reading: BrickLayerReading
    geometric_delta_over_d: float
    extra: dict = field(default_factory=dict)
    structure_seed: int | None = None
    frequency_hz: np.ndarray | None = field(default=None, repr=False)
    impedance_ohm: np.ndarray | None = field(default=None, repr=False)

    @property
    def sigma_gb_specific(self) -> float:
        return self.reading.sigma_gb_specific_s_per_m

    @property
    def err_gb_specific(self) -> float:
        return self.sigma_gb_specific / self.sigma_gb_true - 1.0

    @property
    def err_gb_geometric(self) -> float:
        est = self.reading.sigma_gb_geometric_s_per_m(self.geometric_delta_over_d)
        return est / self.sigma_gb_true - 1.0

    @property
    def err_bulk(self) -> float:
        return self.reading.sigma_bulk_s_per_m / self.sigma_grain - 1.0

    @property
    def err_total_blm(self) -> float:
        return self.sigma_total_blm / self.sigma_dc - 1.0

    @property
    def err_total_fit(self) -> float:
        """σ_total of the fit against the DC solve (a check of the fit, not of the BLM)."""
        return self.reading.sigma_total_s_per_m / self.sigma_dc - 1.0

    @property
    def err_eps_gb_geometric(self) -> float:
        eps = self.reading.eps_r_gb_geometric(self.geometric_delta_over_d)
        return eps / self.eps_r_gb_true - 1.0


def evaluate_network(
    network: TransportNetwork,
    crystal: Polycrystal,
    materials: Materials,
    *,
    study: str,
    case: str,
    seed: int = 0,
    sigma_gb_true: float | None = None,
    frequency_hz=FREQUENCY_HZ,
    noise: float = NOISE,
    auto: bool = False,
    extra: dict | None = None,
) -> CaseResult:
    """Simulate, fit and read one network; the truth from ``materials`` (package docstring)."""
    sigma = network.sigma_ion_at(TEMPERATURE_K)
    dc = _solve.solve_dc(network, sigma)
    f, z = simulate_spectrum(network, frequency_hz, noise=noise, seed=seed)
    reading = read_brick_layer(
        f,
        z,
        length_m=network.length_m,
        area_m2=network.area_m2,
        eps_r_grain=materials.grain.relative_permittivity,
        eps_r_gb=materials.gb.relative_permittivity,
        auto=auto,
    )
    sg = materials.grain.sigma_ion_at(TEMPERATURE_K)
    sgb = materials.gb.sigma_ion_at(TEMPERATURE_K) if sigma_gb_true is None else sigma_gb_true
    delta_over_d = materials.gb_thickness_m / crystal.mean_grain_size_m
    blm_total = 1.0 / (1.0 / sg + delta_over_d / sgb)
    return CaseResult(
        study=study,
        case=case,
        seed=seed,
        dimension=crystal.dimension,
        n_grains=int(np.sum(~crystal.is_pore)),
        size_cv=crystal.size_cv_measured,
        relative_density=crystal.relative_density,
        sigma_grain=sg,
        sigma_gb_true=float(sgb),
        eps_r_gb_true=materials.gb.relative_permittivity,
        sigma_dc=dc.sigma_eff_s_per_m,
        sigma_total_blm=float(blm_total),
        reading=reading,
        geometric_delta_over_d=delta_over_d,
        extra=dict(extra or {}),
        structure_seed=int(crystal.spec.seed),
        frequency_hz=f,
        impedance_ohm=z,
    )


def _crystal(
    n_grains: int,
    *,
    dimension: int = 3,
    grain_size_cv: float = 0.0,
    relative_density: float = 1.0,
    neck_fraction: float = 1.0,
    seed: int = 0,
    grain_size_m: float = GRAIN_SIZE_M,
    box_aspect: tuple[float, ...] | None = None,
) -> Polycrystal:
    """A polycrystal. Pores are whole cells, and the last pore cell crosses the target
    porosity: with wide Laguerre size spreads one big cell can overshoot it by several %, and
    the builder's pore candidates (1.5× the target count) can run out. So structure seeds
    seed + 10007·k (k = 0 … 5) are tried in turn until the density is within
    ``DENSITY_TOLERANCE`` of the target; else the closest is kept. ``crystal.spec.seed`` says
    which seed was used, ``crystal.relative_density`` what was reached."""
    best = None
    error = None
    for k in range(6):
        spec = PolycrystalSpec(
            n_grains=n_grains,
            mean_grain_size_m=grain_size_m,
            dimension=dimension,
            grain_size_cv=grain_size_cv,
            relative_density=relative_density,
            neck_fraction=neck_fraction,
            box_aspect=box_aspect or (BOX_ASPECT_3D if dimension == 3 else (1.0, 1.0)),
            seed=seed + 10007 * k,
        )
        try:
            crystal = build_polycrystal(spec, junctions=False)
        except MicrostructureError as exc:
            if "pore candidates" not in str(exc):
                raise
            error = exc
            continue
        miss = abs(crystal.relative_density - relative_density)
        if best is None or miss < abs(best.relative_density - relative_density):
            best = crystal
        if miss <= DENSITY_TOLERANCE:
            return crystal
    if best is None:
        raise error
    return best


def cubic_polycrystal(
    grains_per_side: int, grain_size_m: float = GRAIN_SIZE_M, *, dimension: int = 3
) -> Polycrystal:
    """Cubic (square in 2-D) grains of edge ``grain_size_m`` on a simple lattice: the brick
    layer itself, resolved by the network. ``mean_grain_size_m`` of the result is the
    equivalent diameter, (6/π)^(1/3)·a in 3-D, (4/π)^(1/2)·a in 2-D, not the edge a."""
    from ssblab.micro.structure import equivalent_diameter
    from ssblab.micro.tessellation import tessellate

    n = int(grains_per_side)
    if n < 2:
        raise MicrostructureError("grains_per_side must be >= 2")
    axes = [(np.arange(n) + 0.5) * grain_size_m] * dimension
    sites = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, dimension)
    t = tessellate(sites, np.full(dimension, n * grain_size_m), junctions=False)
    diameter = equivalent_diameter(t.volume, dimension)
    spec = PolycrystalSpec(
        n_grains=n**dimension,
        mean_grain_size_m=float(diameter.mean()),
        dimension=dimension,
        box_aspect=(1.0,) * dimension,
    )
    return Polycrystal(
        spec=spec,
        tessellation=t,
        is_pore=np.zeros(t.n_cells, dtype=bool),
        face_neck=np.ones(t.face_cells.shape[0]),
        grain_diameter_m=diameter,
        dropped_cells=0,
    )


def _gb_edges(network: TransportNetwork) -> np.ndarray:
    """Edges grain–GB–grain (the interior faces) of a network built with gb_network=False."""
    return np.flatnonzero(network.segment_phase[:, 1] == GB)


def _with_gb_phases(
    network: TransportNetwork, gb_edges: np.ndarray, phases: Sequence[Phase], which: np.ndarray
) -> TransportNetwork:
    """``network`` with the GB segment of edge ``gb_edges[k]`` in ``phases[which[k]]``."""
    base = len(network.phases)
    segment_phase = network.segment_phase.copy()
    segment_phase[gb_edges, 1] = base + np.asarray(which, dtype=np.int64)
    return replace(network, phases=(*network.phases, *phases), segment_phase=segment_phase)
