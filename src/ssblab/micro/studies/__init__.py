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

The code is split by what it does:

``reading``       the studies' settings (frequencies, fit circuit, noise, grain size, box
                  aspect, density tolerance, temperature), the LLZTO materials, the simulated
                  spectrum and its brick-layer reading (:class:`FittedArc`,
                  :class:`BrickLayerReading`, :func:`read_brick_layer`)
``cases``         one simulated case: :class:`CaseResult`, :func:`evaluate_network`, the
                  polycrystals of the studies (``_crystal``, :func:`cubic_polycrystal`) and
                  per-face GB phases
``fleig_maier``   Fleig & Maier: partially conducting GBs (:class:`PatchyGBNetwork`) and a
                  fraction of highly resistive GBs
``lognormal``     log-normal GB properties (Solid State Ionics 256 (2014) 52)
``maps``          the grain-size CV × relative-density map, its summary and markdown tables
"""

from __future__ import annotations

from ssblab.micro import solve as _solve  # noqa: F401  (the old module had it)
from ssblab.micro.studies.cases import (
    CaseResult,
    cubic_polycrystal,
    evaluate_network,
)
from ssblab.micro.studies.cases import _crystal as _crystal
from ssblab.micro.studies.cases import _gb_edges as _gb_edges
from ssblab.micro.studies.cases import _with_gb_phases as _with_gb_phases
from ssblab.micro.studies.fleig_maier import PatchyGBNetwork as PatchyGBNetwork
from ssblab.micro.studies.fleig_maier import (
    fleig_maier_contact_study,
    fleig_maier_resistive_fraction_study,
)
from ssblab.micro.studies.fleig_maier import patchy_gb_network as patchy_gb_network
from ssblab.micro.studies.lognormal import lognormal_gb_study
from ssblab.micro.studies.maps import MapCell, brick_layer_map, markdown_table, summarise_map
from ssblab.micro.studies.reading import BOX_ASPECT_3D as BOX_ASPECT_3D
from ssblab.micro.studies.reading import DENSITY_TOLERANCE as DENSITY_TOLERANCE
from ssblab.micro.studies.reading import (
    FIT_CIRCUIT,
    FREQUENCY_HZ,
    BrickLayerReading,
    FittedArc,
    llzto_materials,
    read_brick_layer,
    simulate_spectrum,
)
from ssblab.micro.studies.reading import GRAIN_SIZE_M as GRAIN_SIZE_M
from ssblab.micro.studies.reading import NOISE as NOISE
from ssblab.micro.studies.reading import TEMPERATURE_K as TEMPERATURE_K
from ssblab.micro.studies.reading import _arcs as _arcs
from ssblab.micro.studies.reading import _fitted_arc as _fitted_arc

# The ``X as X`` imports are names of the old single module that are not in ``__all__``
# (private helpers, settings): they stay importable from the package.
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
