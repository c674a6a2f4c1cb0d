"""When does the brick-layer model mislead? Simulated spectra of resolved polycrystals, read
back the way an experimentalist reads a measured one.

**Pipeline** (every study). A polycrystal (:mod:`ssblab.micro.structure`) and its materials
give a transport network (:func:`ssblab.micro.build.build_network`, collapsed GBs, no in-plane
GB sheet: the GBs here are resistive); its impedance from 1 GHz to 0.1 Hz (8 points per decade)
is solved (:func:`ssblab.micro.solve.solve_ac`), 0.2 % Gaussian noise of |Z| is added to Z'
and Z'' (seeded; a good measurement), and the spectrum is fitted with ssblab's own fitter,
``R0-p(R1,CPE1)-p(R2,CPE2)`` (:func:`ssblab.impedance.fitting.fit`, automatic starts). The
faster arc is the bulk, the slower the grain boundary (GB). Optionally the automatic circuit
choice (:func:`ssblab.impedance.suggest.suggest_circuit`, cell ``"pellet"``) says how many
arcs the data support.

**Brick-layer reading** (:func:`read_brick_layer`). Effective capacitance of an R‖CPE arc,
C = (Q R^(1−α))^(1/α) (Hsu & Mansfeld, Corrosion 57 (2001) 747; ssblab's convention in
:mod:`ssblab.impedance.interpretation`); Brug's form C = Q^(1/α)(1/R_s + 1/R)^((α−1)/α) with
R_s the resistance in series (R0 for the bulk arc, R0 + R_bulk for the GB arc; Brug et al.,
J. Electroanal. Chem. 176 (1984) 275) is reported too. The series brick layer (cubic grains
of edge d, GBs of thickness δ, van Dijk & Burggraaf 1981) gives, for a sample of thickness L
and electrode area A::

    R_b  = L/(σ_g A),           C_b  = ε₀ε_g A/L
    R_gb = (δ/d)·L/(σ_gb A),    C_gb = ε₀ε_gb A/((δ/d)·L)

so C_b/C_gb = (δ/d)(ε_g/ε_gb): the GB volume fraction is read from the capacitances,

    δ/d = (C_b/C_gb)·(ε_gb/ε_g)                                     (capacitance ratio)

and inserting it in R_gb,

    σ_gb = (δ/d)·L/(A·R_gb) = (C_b/C_gb)·(ε_gb/ε_g)·L/(A·R_gb)      (σ_gb,specific)

(Haile, West & Campbell, J. Mater. Res. 13 (1998) 1576, with ε_gb = ε_g). With a *known*
δ/d (δ from TEM, d the mean grain size) the same R_gb gives σ_gb,geometric = (δ/d)·L/(A·R_gb)
and C_gb gives ε_gb = C_gb·(δ/d)·L/(ε₀A). Here ε_gb = ε_g = 60 (the LLZTO preset) is taken as
known, so the ratio method uses no geometry at all. σ_bulk = L/(A(R0 + R_b)), σ_total =
L/(A(R0 + R_b + R_gb)).

Why the capacitance ratio is robust, and when it is not: each GB segment of the network has the
same τ_gb = ε₀ε_gb/σ_gb and each grain segment the same τ_b. When τ_gb ≫ τ_b and the grains
were perfect conductors at GB frequencies, the GB arc would be an exact Debye arc with
R_gb·C_gb = τ_gb whatever the GB geometry, and the ratio method gives
σ_gb,app = σ_gb·C_b/(ε₀ε_g A/L): exact when the bulk capacitance is that of a dense slab.
It goes wrong (i) when the GBs are not all alike (a distribution of τ: CPE arcs, extra arcs,
current detours through the bulk; Fleig & Maier, J. Eur. Ceram. Soc. 19 (1999) 693), (ii) when
current constriction puts bulk resistance into the GB arc (partially blocking GBs), (iii) when
pores lower C_b below ε₀ε_g A/L (then σ_gb,app ≈ σ_gb/F, F the bulk formation factor).

**Forward brick layer** (for σ_total): the series BLM 1/σ = 1/σ_g + (δ/d)/σ_gb with d the
mean equivalent-sphere (3-D) or -circle (2-D) diameter of the grains, against the σ_eff of
the DC solve of the same network. The same δ/d is the "known δ/d" of σ_gb,geometric. The BLM
has no porosity: its error there includes the pores' whole effect. For cubic grains the right
d is the edge a, not the equivalent diameter (6/π)^(1/3)·a = 1.24a (:func:`cubic_polycrystal`).

**Sample thickness.** A slab L/d grains thick between electrodes that touch grains holds fewer
GBs per length than the bulk of the structure (the cubic lattice: L/d − 1 GBs for L/d grains).
The 3-D studies therefore use boxes 3:1:1 (``BOX_ASPECT_3D``; 1000 grains: L ≈ 17 d); the
residual end effect on uniform Poisson–Voronoi grains was measured on one seed: σ_gb,geometric
error −13.7 %, −10.2 %, −9.2 % at L/d = 8.3, 19.7, 34.4 (with δ/d·(1 − d/L) in place of δ/d;
a fit R_gb ∝ 1.086·L/d − 0.55 gives −7.9 % for L → ∞), the capacitance-ratio error +3.9 %,
+3.4 %, +3.1 %: finite-size offsets of ≈ 3 % in the numbers below.

**The LLZTO GB used here.** ``presets.materials("llzto-bare")`` (σ_g = 4.6e-2 S/m, ε_r = 60,
δ = 2 nm) has σ_gb = 3e-3 S/m, which gives R_gb/R_b = (δ/d)(σ_g/σ_gb) = 0.6 % for 5 µm grains:
no visible GB arc. The studies lower the GB σ_ion to σ_gb = σ_g·(δ/d)/r so that R_gb/R_b = r
in the BLM (``gb_to_bulk``, r = 1 by default: σ_gb = 1.84e-5 S/m for d = 5 µm); ε_gb stays 60.
Bulk arc peak 1.4e7 Hz, GB arc peak σ_gb/(2πε₀ε_gb) = 5.5e3 Hz.

**Per-face GB properties.** Each GB face has its own phase (same permittivity, its own σ_ion)
for log-normal σ_gb and for a fraction of highly resistive GBs: the admittance of a GB segment
is (σ_k + jωε₀ε_gb)·f·A/δ, so σ and ε are set independently. Scaling the segment *factor*
f·A/δ of a face instead (suggested in the issue: Σ factor·σ is what enters at DC) scales its
conductance *and* its capacitance: it is a per-face thickness δ_k (same τ), not a per-face
σ_gb; :func:`lognormal_gb_study` offers it as ``spread="thickness"`` for comparison.

**Partially blocking GBs** (:func:`fleig_maier_contact_study`). Two pictures of a GB face of
which only a fraction f conducts:

* ``"pore"``: the rest of the face is a gap (``neck_fraction`` = f of
  :class:`~ssblab.micro.structure.PolycrystalSpec`): it carries neither current nor
  displacement current; the Holm constriction of the current into the neck is in the grain
  halves (the bulk's τ).
* ``"blocked"``: the rest of the face is GB phase that does not conduct (σ = 0) but keeps ε_gb
  (a laterally inhomogeneous GB, Fleig & Maier's picture). The edge across the face is grain
  half h_i/A, then the conducting patch [grain constriction R_c, GB f·A/δ, grain constriction
  R_c] in parallel with the blocked part [(1 − f)·A/δ, σ = 0, ε_gb], then grain half h_j/A
  (:class:`PatchyGBNetwork`; each face side is one equipotential, one patch per face). At GB
  frequencies the whole face is a capacitive short, so the constriction resistance R_c (a
  *bulk* resistance) is in the GB arc.

Solver note: :func:`ssblab.micro.solve.solve_ac` uses complex SuperLU up to
``AC_DIRECT_LIMIT`` = 2000 unknowns. On 3-D networks of ~1000 grains that took 32 s for 57
frequencies on this project's 2-core VM against 2.7 s with its AMG-BiCGSTAB path (SuperLU's
COLAMD ordering fills in a 3-D graph almost densely; 0.52 s per solve against 0.11 s with
MMD_AT_PLUS_A), so the studies run the iterative path for every size
(:func:`simulate_spectrum`, ``iterative=True`` → ``solve_ac(method="iterative")``; a test
checks it against the direct solver).

Units: SI throughout (m, S/m, Ω, F, Hz). Errors are estimate/true − 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from ssblab.errors import MicrostructureError
from ssblab.micro import solve as _solve
from ssblab.micro.build import GB, GRAIN, Materials, build_network
from ssblab.micro.network import (
    EPSILON_0_F_PER_M,
    Phase,
    TransportNetwork,
)
from ssblab.micro.structure import (
    Polycrystal,
    PolycrystalSpec,
    build_polycrystal,
    constriction_factor,
)

FREQUENCY_HZ = np.logspace(9, -1, 81)
FIT_CIRCUIT = "R0-p(R1,CPE1)-p(R2,CPE2)"
NOISE = 0.002
GRAIN_SIZE_M = 5e-6
BOX_ASPECT_3D = (3.0, 1.0, 1.0)
DENSITY_TOLERANCE = 0.01
TEMPERATURE_K = 298.15

__all__ = [
    "FIT_CIRCUIT",
    "FREQUENCY_HZ",
    "BrickLayerReading",
    "CaseResult",
    "FittedArc",
    "MapCell",
    "brick_layer_map",
    "cubic_polycrystal",
    "evaluate_network",
    "fleig_maier_contact_study",
    "fleig_maier_resistive_fraction_study",
    "llzto_materials",
    "lognormal_gb_study",
    "markdown_table",
    "read_brick_layer",
    "simulate_spectrum",
    "summarise_map",
]


# --------------------------------------------------------------------------------------------
# materials, spectra
# --------------------------------------------------------------------------------------------


def llzto_materials(grain_size_m: float = GRAIN_SIZE_M, gb_to_bulk: float = 1.0) -> Materials:
    """``llzto-bare`` with the GB σ_ion lowered so that the series BLM gives R_gb/R_b =
    ``gb_to_bulk`` for grains of size ``grain_size_m``: σ_gb = σ_g·(δ/d)/r (module docstring)."""
    from ssblab.micro import presets

    if not (gb_to_bulk > 0 and np.isfinite(gb_to_bulk)):
        raise MicrostructureError("gb_to_bulk must be > 0")
    base = presets.materials("llzto-bare")
    sigma_gb = base.grain.sigma_ion_s_per_m * base.gb_thickness_m / grain_size_m / gb_to_bulk
    gb = replace(base.gb, name="LLZO GB (σ_ion lowered)", sigma_ion_s_per_m=sigma_gb)
    return replace(base, gb=gb)


def simulate_spectrum(
    network: TransportNetwork,
    frequency_hz=FREQUENCY_HZ,
    *,
    noise: float = NOISE,
    seed: int = 0,
    temperature_k: float = TEMPERATURE_K,
    iterative: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Ionic impedance of ``network`` (Ω, descending f) with relative Gaussian noise ``noise``
    on Z' and Z'' (σ = noise·|Z|, seeded)."""
    f = np.sort(np.asarray(frequency_hz, dtype=float))[::-1]
    sigma = network.sigma_ion_at(temperature_k)
    method = "iterative" if iterative else "auto"
    z = _solve.solve_ac(network, sigma, f, method=method).impedance_ohm
    if noise > 0:
        rng = np.random.default_rng([seed, 7919])
        scale = noise * np.abs(z)
        z = z + scale * (rng.standard_normal(z.size) + 1j * rng.standard_normal(z.size))
    return f, z


# --------------------------------------------------------------------------------------------
# reading a spectrum with the brick layer
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FittedArc:
    """One fitted p(R, CPE): R (Ω), Q (Ω⁻¹ s^α), α, effective capacitances (F), τ (s)."""

    resistance_ohm: float
    q: float
    alpha: float
    capacitance_f: float  # Hsu–Mansfeld
    capacitance_brug_f: float
    tau_s: float


@dataclass(frozen=True)
class BrickLayerReading:
    """A two-arc fit of one spectrum and what the brick layer makes of it (module docstring)."""

    circuit: str
    r0_ohm: float
    bulk: FittedArc
    gb: FittedArc
    length_m: float
    area_m2: float
    eps_r_grain: float
    eps_r_gb: float
    reduced_chi2: float
    auto_circuit: str | None = None
    parameters: tuple[float, ...] = ()

    def predict(self, frequency_hz) -> np.ndarray:
        """The fitted two-arc circuit's impedance (Ω) at ``frequency_hz``."""
        from ssblab.impedance.circuits import parse_circuit

        return parse_circuit(self.circuit).impedance(frequency_hz, np.asarray(self.parameters))

    @property
    def auto_arcs(self) -> int | None:
        return None if self.auto_circuit is None else self.auto_circuit.count("p(")

    @property
    def cell_constant_per_m(self) -> float:
        return self.length_m / self.area_m2

    @property
    def delta_over_d(self) -> float:
        """GB volume fraction from the capacitances, (C_b/C_gb)(ε_gb/ε_g)."""
        return self.bulk.capacitance_f / self.gb.capacitance_f * self.eps_r_gb / self.eps_r_grain

    @property
    def sigma_bulk_s_per_m(self) -> float:
        return self.cell_constant_per_m / (self.r0_ohm + self.bulk.resistance_ohm)

    @property
    def sigma_total_s_per_m(self) -> float:
        r = self.r0_ohm + self.bulk.resistance_ohm + self.gb.resistance_ohm
        return self.cell_constant_per_m / r

    @property
    def sigma_gb_specific_s_per_m(self) -> float:
        """σ_gb by the capacitance-ratio brick layer (no geometry needed)."""
        return self.delta_over_d * self.cell_constant_per_m / self.gb.resistance_ohm

    @property
    def sigma_gb_specific_brug_s_per_m(self) -> float:
        ratio = self.bulk.capacitance_brug_f / self.gb.capacitance_brug_f
        return (
            ratio
            * self.eps_r_gb
            / self.eps_r_grain
            * self.cell_constant_per_m
            / (self.gb.resistance_ohm)
        )

    def sigma_gb_geometric_s_per_m(self, delta_over_d: float) -> float:
        """σ_gb by the brick layer with a known δ/d."""
        return delta_over_d * self.cell_constant_per_m / self.gb.resistance_ohm

    def eps_r_gb_geometric(self, delta_over_d: float, *, brug: bool = False) -> float:
        """ε_gb from C_gb with a known δ/d."""
        c = self.gb.capacitance_brug_f if brug else self.gb.capacitance_f
        return c * delta_over_d * self.cell_constant_per_m / EPSILON_0_F_PER_M


def _arcs(result) -> list[tuple[float, float, float]]:
    p = result.parameter_dict()
    out = []
    i = 1
    while f"R{i}" in p:
        out.append((p[f"R{i}"], p[f"CPE{i}_0"], p[f"CPE{i}_1"]))
        i += 1
    return out


def _fitted_arc(r: float, q: float, alpha: float, r_series: float) -> FittedArc:
    with np.errstate(all="ignore"):
        c = float((q * r ** (1.0 - alpha)) ** (1.0 / alpha))
        conductance = 1.0 / r + (1.0 / r_series if r_series > 0 else 0.0)
        brug = float(q ** (1.0 / alpha) * conductance ** ((alpha - 1.0) / alpha))
        tau = float((r * q) ** (1.0 / alpha))
    return FittedArc(r, q, alpha, c, brug if np.isfinite(brug) else c, tau)


def read_brick_layer(
    frequency_hz,
    impedance_ohm,
    *,
    length_m: float,
    area_m2: float,
    eps_r_grain: float,
    eps_r_gb: float,
    circuit: str = FIT_CIRCUIT,
    auto: bool = False,
) -> BrickLayerReading:
    """Fit ``circuit`` (R0 and arcs p(R_i, CPE_i)) with ssblab's fitter and read the fastest arc
    as the bulk and the slower ones as the GB (with more than two arcs their resistances add
    up and the capacitance is the largest arc's). ``auto=True`` also runs the automatic circuit
    choice and records its circuit."""
    from ssblab.impedance.fitting import fit

    f = np.asarray(frequency_hz, dtype=float)
    z = np.asarray(impedance_ohm, dtype=complex)
    result = fit(circuit, f, z)
    r0 = float(result.parameter_dict().get("R0", 0.0))
    arcs = sorted(_arcs(result), key=lambda a: (a[0] * a[1]) ** (1 / a[2]))
    if len(arcs) < 2:
        raise MicrostructureError("read_brick_layer needs a circuit with at least two arcs")
    bulk = _fitted_arc(*arcs[0], r_series=r0)
    slow = [_fitted_arc(*a, r_series=r0 + bulk.resistance_ohm) for a in arcs[1:]]
    main = max(slow, key=lambda a: a.resistance_ohm)
    gb = replace(main, resistance_ohm=float(sum(a.resistance_ohm for a in slow)))
    auto_circuit = None
    if auto:
        from ssblab.impedance.suggest import suggest_circuit

        auto_circuit = suggest_circuit(f, z, cell="pellet").circuit
    return BrickLayerReading(
        circuit=circuit,
        r0_ohm=r0,
        bulk=bulk,
        gb=gb,
        length_m=float(length_m),
        area_m2=float(area_m2),
        eps_r_grain=float(eps_r_grain),
        eps_r_gb=float(eps_r_gb),
        reduced_chi2=float(result.reduced_chi2),
        auto_circuit=auto_circuit,
        parameters=tuple(float(v) for v in result.parameters),
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
    """Simulate, fit and read one network; the truth from ``materials`` (module docstring)."""
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


# --------------------------------------------------------------------------------------------
# Fleig & Maier (1): partially conducting GBs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PatchyGBNetwork(TransportNetwork):
    """A network whose GB edges carry a conducting patch in parallel with a blocked part.

    Edge e in ``patch_edges`` is grain half i, then [patch ‖ blocked], then grain half j: its
    three segments (as in every network) are the *patch* [grain constriction, GB f·A/δ, grain
    constriction]; ``half_factor_m`` (k, 2) are the grain halves A/h_i, A/h_j and
    ``blocked_factor_m`` (k,) the blocked part (1 − f)·A/δ in phase ``blocked_phase``.
    Without face nodes the matrix is that of an ordinary grain network (the AMG-BiCGSTAB path
    of :func:`ssblab.micro.solve.solve_ac` converges; with two face nodes per GB joined by
    the thin GB it did not at 1 GHz)."""

    patch_edges: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    half_factor_m: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    blocked_factor_m: np.ndarray = field(default_factory=lambda: np.zeros(0))
    blocked_phase: int = -1

    def _combine(self, patch: np.ndarray, y_grain, y_blocked) -> np.ndarray:
        out = patch.copy()
        e = self.patch_edges
        middle = patch[e] + y_blocked * self.blocked_factor_m
        with np.errstate(divide="ignore", invalid="ignore"):
            r = (
                1.0 / (y_grain * self.half_factor_m[:, 0])
                + 1.0 / (y_grain * self.half_factor_m[:, 1])
                + np.where(middle != 0, 1.0 / np.where(middle != 0, middle, 1.0), np.inf)
            )
            out[e] = np.where(np.isfinite(r), 1.0 / r, 0.0)
        return out

    def edge_conductance(self, sigma_per_phase_s_per_m) -> np.ndarray:
        sigma = np.asarray(sigma_per_phase_s_per_m, dtype=float)
        patch = super().edge_conductance(sigma)
        return self._combine(patch, sigma[GRAIN], sigma[self.blocked_phase])

    def edge_admittance(self, sigma_per_phase_s_per_m, omega_rad_s: float) -> np.ndarray:
        sigma = np.asarray(sigma_per_phase_s_per_m, dtype=float)
        patch = super().edge_admittance(sigma, omega_rad_s)
        eps = np.array([p.relative_permittivity for p in self.phases]) * EPSILON_0_F_PER_M
        y = sigma + 1j * omega_rad_s * eps
        return self._combine(patch, y[GRAIN], y[self.blocked_phase])


def patchy_gb_network(
    crystal: Polycrystal, materials: Materials, contact: float
) -> PatchyGBNetwork:
    """The ``"blocked"`` picture of :func:`fleig_maier_contact_study`: a fraction ``contact``
    of each GB face conducts, the rest keeps ε_gb with σ = 0 (module docstring). The crystal's
    own ``neck_fraction`` must be 1."""
    if not 0 < contact <= 1:
        raise MicrostructureError("contact must be in (0, 1]")
    if np.any(crystal.face_neck != 1):
        raise MicrostructureError("patchy_gb_network: build the crystal with neck_fraction = 1")
    base = build_network(crystal, materials, gb_network=False)
    t = crystal.tessellation
    solid = ~crystal.is_pore
    i, j = t.face_cells[:, 0], t.face_cells[:, 1]
    interior = (j >= 0) & solid[i] & solid[np.maximum(j, 0)]
    fi = np.flatnonzero(interior)
    edges = _gb_edges(base)
    if edges.size != fi.size:
        raise MicrostructureError("patchy_gb_network: unexpected network layout")
    area, h = t.face_area[fi], t.face_h[fi]
    total = h[:, 0] + h[:, 1]
    hi = np.clip(h[:, 0], 0.05 * total, 0.95 * total)  # as build_network
    halves = np.column_stack([area / hi, area / (total - hi)])
    delta = materials.gb_thickness_m
    blocked = Phase(
        "blocked GB",
        sigma_ion_s_per_m=0.0,
        sigma_e_s_per_m=0.0,
        relative_permittivity=materials.gb.relative_permittivity,
    )
    phase = base.segment_phase.copy()
    factor = base.segment_factor_m.copy()
    phase[edges] = -1
    factor[edges] = 0.0
    if contact < 1:
        c = constriction_factor(area, np.full(fi.size, contact), crystal.dimension)
        phase[edges] = [GRAIN, GB, GRAIN]
        factor[edges] = np.column_stack([1 / c, contact * area / delta, 1 / c])
    else:
        phase[edges, 0] = GB
        factor[edges, 0] = area / delta
    fields = {name: getattr(base, name) for name in base.__dataclass_fields__}
    fields.update(segment_phase=phase, segment_factor_m=factor, phases=(*base.phases, blocked))
    return PatchyGBNetwork(
        **fields,
        patch_edges=edges,
        half_factor_m=halves,
        blocked_factor_m=(1 - contact) * area / delta,
        blocked_phase=len(base.phases),
    )


def fleig_maier_contact_study(
    contacts: Sequence[float] = (1.0, 0.5, 0.2, 0.1),
    *,
    pictures: Sequence[str] = ("pore", "blocked"),
    n_grains: int = 1000,
    dimension: int = 3,
    seed: int = 0,
    bulk_factor: float = 10.0,
    gb_to_bulk: float = 1.0,
    auto: bool = True,
    frequency_hz=FREQUENCY_HZ,
) -> tuple[CaseResult, ...]:
    """GBs of which only a fraction f conducts, in the ``"pore"`` and ``"blocked"`` pictures
    (module docstring). Each case is also solved with σ_g × ``bulk_factor``; ``extra`` holds
    the GB arc's response to the bulk, s = d ln R_gb / d ln σ_g (0: the GB arc is a GB
    property; −1: it is bulk resistance), and the auto circuit's arc count. The truth is the
    GB material's σ_gb (the conducting part's); ``gb_to_bulk`` as in :func:`llzto_materials`."""
    materials = llzto_materials(gb_to_bulk=gb_to_bulk)
    fast = replace(
        materials,
        grain=replace(
            materials.grain, sigma_ion_s_per_m=materials.grain.sigma_ion_s_per_m * bulk_factor
        ),
    )
    rows = []
    for picture in pictures:
        if picture not in ("pore", "blocked"):
            raise MicrostructureError("pictures: 'pore' or 'blocked'")
        for f in contacts:
            neck = f if picture == "pore" else 1.0
            crystal = _crystal(n_grains, dimension=dimension, neck_fraction=neck, seed=seed)

            def net(m, crystal=crystal, picture=picture, f=f):
                if picture == "pore":
                    return build_network(crystal, m, gb_network=False)
                return patchy_gb_network(crystal, m, f)

            row = evaluate_network(
                net(materials),
                crystal,
                materials,
                study="fleig-maier-contact",
                case=f"{picture} f={f:g}",
                seed=seed,
                auto=auto,
                frequency_hz=frequency_hz,
            )
            fast_reading = evaluate_network(
                net(fast),
                crystal,
                fast,
                study="fleig-maier-contact",
                case=f"{picture} f={f:g} fast bulk",
                seed=seed,
                frequency_hz=frequency_hz,
            ).reading
            slope = np.log(fast_reading.gb.resistance_ohm / row.reading.gb.resistance_ohm) / (
                np.log(bulk_factor)
            )
            rows.append(
                replace(
                    row,
                    extra={
                        "picture": picture,
                        "contact": f,
                        "gb_to_bulk": gb_to_bulk,
                        "gb_bulk_slope": float(slope),
                        "auto_arcs": row.reading.auto_arcs,
                    },
                )
            )
    return tuple(rows)


# --------------------------------------------------------------------------------------------
# Fleig & Maier (2): a fraction of highly resistive GBs
# --------------------------------------------------------------------------------------------


def fleig_maier_resistive_fraction_study(
    fractions: Sequence[float] = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5),
    *,
    contrast: float = 100.0,
    n_grains: int = 1000,
    dimension: int = 3,
    seed: int = 0,
    auto: bool = True,
    frequency_hz=FREQUENCY_HZ,
) -> tuple[CaseResult, ...]:
    """A random fraction x of the GB faces (seeded) has σ_gb/``contrast`` (same ε_gb). The
    truth ``sigma_gb_true`` is the arithmetic mean over the faces; ``extra`` holds the normal
    σ_gb, the harmonic mean (what a series BLM of the GB population predicts) and the ratio
    of the fitted R_gb to the BLM series value (R_gb at x = 0 times the harmonic weight)."""
    materials = llzto_materials()
    crystal = _crystal(n_grains, dimension=dimension, seed=seed)
    network = build_network(crystal, materials, gb_network=False)
    gb_edges = _gb_edges(network)
    rng = np.random.default_rng([seed, 104729])
    order = rng.permutation(gb_edges.size)
    sgb = materials.gb.sigma_ion_s_per_m
    resistive = replace(materials.gb, name="resistive GB", sigma_ion_s_per_m=sgb / contrast)
    rows = []
    r_gb_reference = None
    for x in fractions:
        which = np.zeros(gb_edges.size, dtype=np.int64)
        which[order[: round(x * gb_edges.size)]] = 1
        net = _with_gb_phases(network, gb_edges, (materials.gb, resistive), which)
        share = float(which.mean())
        arithmetic = sgb * ((1 - share) + share / contrast)
        harmonic = sgb / ((1 - share) + share * contrast)
        row = evaluate_network(
            net,
            crystal,
            materials,
            study="fleig-maier-resistive",
            case=f"x={x:g}",
            seed=seed,
            sigma_gb_true=arithmetic,
            auto=auto,
            frequency_hz=frequency_hz,
        )
        if r_gb_reference is None and share == 0:
            r_gb_reference = row.reading.gb.resistance_ohm
        series = None if r_gb_reference is None else r_gb_reference * sgb / harmonic
        rows.append(
            replace(
                row,
                extra={
                    "fraction": share,
                    "contrast": contrast,
                    "sigma_gb_normal": sgb,
                    "sigma_gb_harmonic": harmonic,
                    "r_gb_over_series_blm": (
                        None if series is None else row.reading.gb.resistance_ohm / series
                    ),
                    "auto_arcs": row.reading.auto_arcs,
                },
            )
        )
    return tuple(rows)


# --------------------------------------------------------------------------------------------
# log-normal GB properties (Solid State Ionics 256 (2014) 52)
# --------------------------------------------------------------------------------------------


def lognormal_gb_study(
    widths: Sequence[float] = (0.0, 0.5, 1.0, 1.5, 2.0),
    *,
    grain_size_cvs: Sequence[float] = (0.0,),
    spread: str = "conductivity",
    n_grains: int = 2000,
    dimension: int = 2,
    seeds: Sequence[int] = (0,),
    frequency_hz=FREQUENCY_HZ,
) -> tuple[CaseResult, ...]:
    """Per-face GB σ_ion drawn log-normally, ln σ_k ~ N(μ, s²) with s in ``widths`` and μ such
    that the distribution's arithmetic mean is the preset-derived σ_gb (its geometric mean is
    exp(−s²/2) of it), ε_gb fixed; ``sigma_gb_true`` is the arithmetic mean over the faces
    actually drawn; optionally with a grain-size spread (``grain_size_cvs``, Laguerre).
    ``spread="thickness"`` scales each face's GB segment factor instead (conductance and
    capacitance together, see the module docstring).

    ``extra``: the geometric and harmonic means over the faces, the CPE exponent of the GB
    arc, and σ_gb and ε_gb read with a δ/d *calibrated* on the same structure with uniform GBs
    (s = 0): σ_gb,cal = σ_gb·R_gb(0)/R_gb(s), ε_gb,cal = ε_gb·C_gb(s)/C_gb(0) (Hsu–Mansfeld
    and Brug) — the geometry known exactly, as in a simulation study."""
    if spread not in ("conductivity", "thickness"):
        raise MicrostructureError("spread: 'conductivity' or 'thickness'")
    materials = llzto_materials()
    sgb = materials.gb.sigma_ion_s_per_m
    rows = []
    for seed in seeds:
        for cv in grain_size_cvs:
            crystal = _crystal(n_grains, dimension=dimension, grain_size_cv=cv, seed=seed)
            network = build_network(crystal, materials, gb_network=False)
            gb_edges = _gb_edges(network)
            normal = np.random.default_rng([seed, 15485863]).standard_normal(gb_edges.size)
            reference = None
            for s in widths:
                scale = np.exp(s * normal - 0.5 * s * s)
                if spread == "conductivity":
                    phases = tuple(
                        replace(materials.gb, name=f"GB face {k}", sigma_ion_s_per_m=sgb * v)
                        for k, v in enumerate(scale)
                    )
                    net = _with_gb_phases(network, gb_edges, phases, np.arange(gb_edges.size))
                else:
                    factor = network.segment_factor_m.copy()
                    factor[gb_edges, 1] *= scale
                    net = replace(network, segment_factor_m=factor)
                row = evaluate_network(
                    net,
                    crystal,
                    materials,
                    study=f"lognormal-gb-{spread}",
                    case=f"s={s:g} cv={cv:g}",
                    seed=seed,
                    sigma_gb_true=float(sgb * scale.mean()),
                    frequency_hz=frequency_hz,
                )
                if reference is None:
                    if s != 0:
                        raise MicrostructureError("widths must start with 0 (the calibration)")
                    reference = row.reading
                r = row.reading
                rows.append(
                    replace(
                        row,
                        extra={
                            "width": s,
                            "grain_size_cv_input": cv,
                            "sigma_gb_geometric_mean": float(sgb * np.exp(np.log(scale).mean())),
                            "sigma_gb_harmonic_mean": float(sgb / np.mean(1.0 / scale)),
                            "alpha_gb": r.gb.alpha,
                            "err_gb_calibrated": reference.gb.resistance_ohm / r.gb.resistance_ohm
                            - 1.0,
                            "err_eps_calibrated": r.gb.capacitance_f / reference.gb.capacitance_f
                            - 1.0,
                            "err_eps_calibrated_brug": r.gb.capacitance_brug_f
                            / reference.gb.capacitance_brug_f
                            - 1.0,
                        },
                    )
                )
    return tuple(rows)


# --------------------------------------------------------------------------------------------
# the map: grain-size CV × relative density
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapCell:
    """Seed statistics of one (CV, density) cell of :func:`brick_layer_map`: mean and
    min/max over the seeds of each error, and the measured CV and density."""

    grain_size_cv_input: float
    relative_density_input: float
    size_cv_measured: float
    relative_density_measured: float
    n_seeds: int
    err_gb_specific: tuple[float, float, float]  # mean, min, max
    err_gb_geometric: tuple[float, float, float]
    err_bulk: tuple[float, float, float]
    err_total_blm: tuple[float, float, float]
    err_total_fit_max: float
    alpha_gb_mean: float


def brick_layer_map(
    grain_size_cvs: Sequence[float] = (0.0, 0.2, 0.4, 0.6, 0.8),
    relative_densities: Sequence[float] = (1.0, 0.95, 0.9, 0.85),
    *,
    seeds: Sequence[int] = (0, 1, 2),
    n_grains: int = 1000,
    dimension: int = 3,
    gb_to_bulk: float = 1.0,
    frequency_hz=FREQUENCY_HZ,
    progress=None,
) -> tuple[CaseResult, ...]:
    """Every (CV, density, seed): the LLZTO polycrystal with R_gb ≈ R_b (``gb_to_bulk``),
    simulated and read with the brick layer. :func:`summarise_map` makes the cells."""
    materials = llzto_materials(gb_to_bulk=gb_to_bulk)
    rows = []
    for cv in grain_size_cvs:
        for rho in relative_densities:
            for seed in seeds:
                crystal = _crystal(
                    n_grains,
                    dimension=dimension,
                    grain_size_cv=cv,
                    relative_density=rho,
                    seed=seed,
                )
                network = build_network(crystal, materials, gb_network=False)
                row = evaluate_network(
                    network,
                    crystal,
                    materials,
                    study="map",
                    case=f"cv={cv:g} rho={rho:g}",
                    seed=seed,
                    frequency_hz=frequency_hz,
                    extra={"grain_size_cv_input": cv, "relative_density_input": rho},
                )
                rows.append(row)
                if progress:
                    progress(row)
    return tuple(rows)


def summarise_map(rows: Sequence[CaseResult]) -> tuple[MapCell, ...]:
    """Group :func:`brick_layer_map` rows by (CV, density) input."""
    keys = list(
        dict.fromkeys(
            (r.extra["grain_size_cv_input"], r.extra["relative_density_input"]) for r in rows
        )
    )
    cells = []
    for cv, rho in keys:
        group = [
            r
            for r in rows
            if (r.extra["grain_size_cv_input"], r.extra["relative_density_input"]) == (cv, rho)
        ]

        def stats(values):
            v = np.asarray(values, dtype=float)
            return (float(v.mean()), float(v.min()), float(v.max()))

        cells.append(
            MapCell(
                grain_size_cv_input=cv,
                relative_density_input=rho,
                size_cv_measured=float(np.mean([r.size_cv for r in group])),
                relative_density_measured=float(np.mean([r.relative_density for r in group])),
                n_seeds=len(group),
                err_gb_specific=stats([r.err_gb_specific for r in group]),
                err_gb_geometric=stats([r.err_gb_geometric for r in group]),
                err_bulk=stats([r.err_bulk for r in group]),
                err_total_blm=stats([r.err_total_blm for r in group]),
                err_total_fit_max=float(max(abs(r.err_total_fit) for r in group)),
                alpha_gb_mean=float(np.mean([r.reading.gb.alpha for r in group])),
            )
        )
    return tuple(cells)


# --------------------------------------------------------------------------------------------
# tables
# --------------------------------------------------------------------------------------------


def markdown_table(header: Sequence[str], rows: Sequence[Sequence]) -> str:
    """A GitHub markdown table (floats as given: format them first)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)
