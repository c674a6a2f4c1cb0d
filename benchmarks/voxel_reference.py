"""Voxel reference solver for ``ssblab.micro``: σ_eff of a voxelised polycrystal.

The grain-network solver of ``ssblab.micro`` (grains as nodes, grain boundaries as collapsed
interfaces) must agree within 1 % with a voxel solver on a voxelised copy of the same
structure, and its benchmark reports the voxel solver's time on that structure in the same run.
This module is that voxel solver. It is a benchmark tool, not a runtime dependency of ssblab.

**Labelling** (:func:`voxel_labels`). Each voxel centre of a regular grid over the box
[0, L₁] × … × [0, L_D] (D = 2 or 3) gets the index of its Voronoi site (nearest site) or
Laguerre/power site (the one minimising the power distance |x − p_i|² − w_i, weights w in m²,
the convention of ``ssblab.micro.tessellation``). The power diagram is found exactly with one
nearest-neighbour query by lifting (Aurenhammer, SIAM J. Comput. 16 (1987) 78): with
W = max w and p'_i = (p_i, √(W − w_i)), x' = (x, 0) one has
|x' − p'_i|² = |x − p_i|² − w_i + W, so the power-nearest site is the Euclidean-nearest lifted
site (``scipy.spatial.cKDTree``, k = 1). No k-candidate search (and no k to choose) is needed;
the test compares it with brute force. Ties (a voxel centre exactly on a bisector) go to
whichever site the tree returns.

**Finite-volume model** (:func:`voxel_conductivity`). Cubic voxels of edge h; electrodes are
planes normal to ``axis`` on the outer faces of the first and last voxel layers (Dirichlet
1 V / 0 V; a boundary voxel of conductivity σ couples to its electrode with G = σ·h²/(g·h),
g = ``electrode_gap_voxels`` = ½ by default, the distance from the voxel centre to the
electrode plane); all other walls are insulating (zero flux). The resistance per unit area of
the face between neighbours a and b is

    r_ab = h/(2σ_a) + h/(2σ_b) + [grain(a) ≠ grain(b)] / g_ab        (Ω·m²)

and the face conductance is G_ab = h²/r_ab (S). For two voxels of one grain this is σ·h; across
a grain boundary between equal σ it is G = h²/(h/σ + 1/g_gb), the collapsed-GB model with
interface conductance per area g_gb = σ_gb/δ (S/m², GB zone of conductivity σ_gb and
thickness δ). Pores (``pore_labels``) and labels with σ = 0 are insulating. Kirchhoff's law at
every voxel gives a symmetric M-matrix; the voxels not connected through conducting faces to
*both* electrodes carry no current and are removed first (those connected to neither would
make the matrix singular); their number is reported. The system is solved with smoothed-
aggregation AMG (pyamg) as a CG preconditioner to ‖r‖/‖b‖ ≤ 1e-10, and

    σ_eff = I·L / (A·ΔV),   L = (N_axis − 1 + 2g)·h,   A = (cross-section voxels)·h²,

with I the current into the first electrode (the current out of the second agrees to the
solver tolerance; both are reported). A 2-D label image is one voxel thick (depth h), so its
σ_eff is the in-plane value.

**Staircased grain boundaries.** A planar GB of unit normal n is represented on the voxel grid
by faces normal to x, y and z with total areas |n_x|, |n_y|, |n_z| per unit GB area.

* Literal face rule (g on every GB face; ``gb_sites_m=None``). Where the interface dominates at
  the voxel scale (g·h/σ ≪ 1, as h → 0) both sides of a step are equipotential and the
  staircase passes g·|n|₁ per unit GB area and volt instead of g: oblique GBs conduct up to √3
  times too well (3-D), and the solver converges, as h → 0, to another structure than the
  collapsed-GB model (on a 25-grain 2-D Voronoi structure, σ_gb/σ = 1/100 over 2 nm in 1-µm
  grains, to σ_eff 2.8 % too high: first-order limit 0.8939 σ against 0.8695 σ).
* Projected rule (``gb_sites_m`` given): g_k = g·|n_k| on the faces normal to axis k, with
  n = (p_b − p_a)/|p_b − p_a| (Voronoi and Laguerre faces are normal to the line joining the
  two sites). A uniform current J·n normal to the GB then crosses the staircase with the same
  jump at every face, ΔV = J_k/g_k = J/g, which is the exact solution at any h (on a face
  normal to k the flux of the linear field is J_k·h², and h²(h·J_k/σ + ΔV)/(h/σ + 1/g_k) = J_k·h²
  requires ΔV = J_k/g_k); and the staircase carries Σ_k |n_k|·g|n_k| = g per unit GB area in
  the interface-dominated limit.

What no face rule removes: a current *along* a GB meets the staircase faces (a uniform
tangential field would cross them back and forth) and detours around the steps in a layer one
voxel thick, a relative error O(h/d) (d: grain size) that is first order only once g·h/σ ≪ 1.
Measured on the 25-grain 2-D structure (``random_sites(25, (5 µm, 5 µm), seed=1)``, projected
rule, 64…1024 voxels per side, 12.8…205 voxels per grain): σ_eff/σ = 0.8449, 0.8551, 0.8622,
0.8658, 0.8677, successive differences 0.0102, 0.0071, 0.0036, 0.0019 (order → 1); σ(h) =
σ₀ + C·h through consecutive pairs from N = 128 on gives σ₀/σ = 0.8694, 0.8693, 0.8696.
In 3-D the same O(h) behaviour sets in later (σ_eff/σ, projected rule, seed 0, first-order
limits from consecutive grids in brackets):

* 64 grains (4 µm box), N = 48, 64, 96, 128, 160 (12–40 voxels per grain): 0.8362, 0.8426,
  0.8502, 0.8542, 0.8569 [0.8618, 0.8653, 0.8665, 0.8674]; fitted order 0.70 on the three
  finest, limit ≈ 0.867–0.872;
* 1000 grains (10 µm box), N = 40, 60, 80, 100, 128 (4–13 voxels per grain): 0.7803, 0.7932,
  0.8023, 0.8095, 0.8168 [0.8190, 0.8297, 0.8383, 0.8426]; fitted order 0.41: pre-asymptotic,
  the limit is not pinned down to 1 % (literal rule: 0.8317 … 0.8575, rising faster).

So a 1 % comparison with the network solver needs ≳ 40 voxels per grain and the extrapolated
limit: structures of ≲ 100 grains in 3-D (memory ≈ 0.85 kB per voxel: 160³ took 3.5 GB), or
2-D. The script prints whether the last two first-order limits agree.
The tests check the interface-dominated statements against a closed form.

**TauFactor 2** (Kench, Squires & Cooper, J. Open Source Softw. 8 (2023) 5358,
https://github.com/tldr-group/taufactor, MIT) comes only with the ``bench`` extra, which pins
torch==2.13.0: on this project's machines that is a CPU build on local disk (190 MB); an
unpinned torch would pull a CUDA build of several GB. It solves the same finite-volume problem
by over-relaxed Gauss–Seidel on a chequerboard (SOR), in float32.
:func:`taufactor_conductivity` wraps it:

* one conducting phase: ``taufactor.Solver`` → D_rel = ε/τ, σ_eff = σ·ε/τ; its electrodes sit
  on the outer faces, as here (``electrode_gap_voxels`` = ½);
* several conductivities: ``taufactor.MultiPhaseSolver`` (pair conductance = harmonic mean,
  as here without interface terms); its Dirichlet values sit on ghost layers one voxel beyond
  the image filled with the boundary layer's own phase and its length is (N+1)·h, which is
  ``electrode_gap_voxels`` = 1 here.

TauFactor has no interface conductance, so the collapsed-GB model cannot be given to it; the
multiphase comparison resolves the GBs as a voxel phase of their own. Measured (``--taufactor``,
64³, seed 0, conv_crit 1e-3): porous binary ε = 0.65, σ_eff/σ = 0.421568 here and 0.421561 in
TauFactor (−0.002 %); 262 grains with one-voxel GBs at σ/10 and 10 % pores, 0.393821 and
0.393824 (+0.001 %); AMG-CG 1.7 s and 4.0 s (14 and 15 iterations, incl. assembly) against
TauFactor's 6.1 s and 6.3 s (400 SOR sweeps), on the two-core CPU shared with other jobs
(load ≈ 3.4; an earlier run under heavier load: 3.8/5.4 s against 20.0/19.2 s).

**Script** (`python benchmarks/voxel_reference.py --n-grains 1000 --voxels 100`): a random
Voronoi polycrystal (uniform random sites) in a cube of side (n_grains)^{1/3}·d, mean grain
volume d³ with d = ``--grain-size-um`` (1 µm); grain σ = 4.6e-2 S/m (seed 000 §EIS: LLZTO
4.6e-4 S/cm, a total — bulk + GB — conductivity, used here as the grain value), GB zone
σ_gb = σ/100 (seed 001 §GBs: the simulated GB conductivity is "nearly two orders of magnitude
lower than that of the bulk", affected zone ≈ 2 nm) and δ = 2 nm, so g_gb = σ_gb/δ. It solves
the structure at each resolution of ``--resolutions`` plus ``--voxels`` and prints σ_eff,
times, memory, and the observed convergence order p and the extrapolated σ_eff(h → 0) of
σ(h) = σ₀ + C·h^p (three finest grids, Richardson). ``--taufactor`` adds the comparison with
TauFactor on a random porous binary structure and a multiphase (resolved-GB) polycrystal.

Units: SI (m, S/m, S/m², Ω, s) throughout.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import io
import json
import resource
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pyamg
import scipy.sparse as sp
from scipy.optimize import brentq
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

SOLVER_RTOL = 1e-10
# smoothed aggregation with symmetric Gauss-Seidel smoothing and no candidate improvement: on the
# 100³ polycrystal the same 18 CG iterations as pyamg's defaults, a third of the set-up time.
# The coarsest level (≤ 500 unknowns, nonsingular: every kept voxel reaches an electrode) is
# factorised by sparse LU, not pyamg's default dense pseudo-inverse (an SVD that took seconds
# on a loaded two-core machine).
AMG_OPTIONS = {
    "symmetry": "symmetric",
    "max_coarse": 500,
    "coarse_solver": "splu",
    "improve_candidates": None,
    "presmoother": ("gauss_seidel", {"sweep": "symmetric"}),
    "postsmoother": ("gauss_seidel", {"sweep": "symmetric"}),
}
# seed 000 §EIS: LLZTO, 4.6e-4 S/cm = 4.6e-2 S/m (room temperature)
SIGMA_GRAIN_S_PER_M = 4.6e-2
# seed 001 §GBs: GB conductivity "nearly two orders of magnitude lower" than bulk, zone ≈ 2 nm
GB_SIGMA_RATIO = 1e-2
GB_THICKNESS_M = 2e-9


# ----------------------------------------------------------------------------- labelling
def voxel_labels(sites_m, box_m, shape, weights_m2=None, *, chunk_voxels: int = 1 << 20):
    """Index of the Voronoi (``weights_m2=None``) or Laguerre site of every voxel centre.

    ``sites_m`` (n, D) in m, ``box_m`` (D,) side lengths of the box [0, L₁] × … (m), ``shape``
    (D,) voxels per axis, ``weights_m2`` (n,) power weights (m²): cell i = {x : |x − p_i|² − w_i
    minimal}. Voxel centres are x_k = (k + ½)·L/N along each axis. Returns an int32 array of
    ``shape``. Laguerre cells are found exactly by lifting (module docstring). Sites outside
    the box are allowed (they label the voxels nearest to them).
    """
    sites = np.asarray(sites_m, dtype=float)
    box = np.asarray(box_m, dtype=float)
    shape = tuple(int(n) for n in shape)
    if sites.ndim != 2 or sites.shape[1] not in (2, 3):
        raise ValueError("sites_m must be (n, 2) or (n, 3)")
    dim = sites.shape[1]
    if box.shape != (dim,) or len(shape) != dim or min(shape) < 1 or np.any(box <= 0):
        raise ValueError(f"box_m and shape must both have {dim} positive entries")
    points = sites
    if weights_m2 is not None:
        w = np.asarray(weights_m2, dtype=float)
        if w.shape != (len(sites),) or not np.all(np.isfinite(w)):
            raise ValueError("weights_m2 must be n finite numbers (m²)")
        lift = np.sqrt(w.max() - w)
        points = np.column_stack([sites, lift])
    tree = cKDTree(points)
    axes = [(np.arange(n) + 0.5) * (length / n) for n, length in zip(shape, box, strict=True)]
    labels = np.empty(shape, dtype=np.int32)
    per_slab = int(np.prod(shape[1:]))
    step = max(1, chunk_voxels // per_slab)
    rest = np.meshgrid(*axes[1:], indexing="ij")
    rest = np.column_stack([r.ravel() for r in rest])
    for start in range(0, shape[0], step):
        xs = axes[0][start : start + step]
        query = np.empty((len(xs) * per_slab, points.shape[1]))
        query[:, 0] = np.repeat(xs, per_slab)
        query[:, 1:dim] = np.tile(rest, (len(xs), 1))
        if points.shape[1] > dim:
            query[:, dim] = 0.0
        _, index = tree.query(query, k=1, workers=-1)
        labels[start : start + step] = index.reshape((len(xs), *shape[1:]))
    return labels


def random_sites(n_grains: int, box_m, seed: int = 0) -> np.ndarray:
    """``n_grains`` sites uniform in the box (a Poisson–Voronoi polycrystal)."""
    box = np.asarray(box_m, dtype=float)
    return np.random.default_rng(seed).random((n_grains, len(box))) * box


# ----------------------------------------------------------------------------- voxel solver
_BLAS_THREAD_SETTERS = (
    ("scipy_openblas_get_num_threads64_", "scipy_openblas_set_num_threads64_"),
    ("scipy_openblas_get_num_threads", "scipy_openblas_set_num_threads"),
    ("openblas_get_num_threads64_", "openblas_set_num_threads64_"),
    ("openblas_get_num_threads", "openblas_set_num_threads"),
)


@contextlib.contextmanager
def one_blas_thread():
    """Run the block with every loaded OpenBLAS on one thread, then restore its count.

    pyamg's kernels are single-threaded; the only BLAS calls in an AMG-CG solve are dot
    products and norms of vectors, which OpenBLAS threads. On a loaded two-core machine those
    threads spin against the solver: a 16,000-unknown solve took 10 s instead of 0.7 s. (What
    threadpoolctl does, without the dependency; a library that is not OpenBLAS is left alone.)
    """
    restore = []
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "openblas" in line.lower()}
    except OSError:
        paths = set()
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for get_name, set_name in _BLAS_THREAD_SETTERS:
            get, set_ = getattr(lib, get_name, None), getattr(lib, set_name, None)
            if get is not None and set_ is not None:
                restore.append((set_, int(get())))
                set_(1)
                break
    try:
        yield
    finally:
        for set_, threads in restore:
            set_(threads)


@dataclass(frozen=True)
class VoxelResult:
    """σ_eff (S/m) of a voxel structure and what it cost.

    ``sigma_eff_s_per_m`` is 0 when no conducting path joins the electrodes (``reason`` says
    so). ``solve_time_s`` = AMG set-up + CG; ``assembly_time_s`` = faces, percolation, matrix.
    ``n_removed`` conducting voxels were dropped as not connected to both electrodes.
    ``current_mismatch`` = |I_in − I_out|/I_in.
    """

    sigma_eff_s_per_m: float
    solve_time_s: float
    iterations: int
    assembly_time_s: float
    setup_time_s: float
    n_unknowns: int
    n_removed: int
    relative_residual: float
    current_mismatch: float
    reason: str | None = None


def _sigma_per_voxel(labels: np.ndarray, sigma, pore_labels) -> np.ndarray:
    sigma = np.asarray(sigma, dtype=float)
    if sigma.ndim == 0:
        s = np.full(labels.shape, float(sigma))
    else:
        if labels.min() < 0 or labels.max() >= sigma.size:
            raise ValueError(f"labels must lie in [0, {sigma.size}) to index sigma_grain_s_per_m")
        s = sigma[labels]
    if not np.all(np.isfinite(s)) or np.any(s < 0):
        raise ValueError("conductivities must be finite and >= 0 S/m")
    pores = np.asarray(list(pore_labels), dtype=labels.dtype)
    if pores.size:
        s[np.isin(labels, pores)] = 0.0
    return s


def _face_conductances(labels, s, h, g_gb, gb_sites, axis_k, site_axis):
    """Conductance (S) of every face normal to grid axis ``axis_k`` (``site_axis``: the same
    axis in the sites' coordinates), arrays of the grid's shape with that axis one shorter:
    G = h²/(h/(2σ_a) + h/(2σ_b) + [a ≠ b]/g_k)."""
    lo = [slice(None)] * 3
    hi = [slice(None)] * 3
    lo[axis_k] = slice(None, -1)
    hi[axis_k] = slice(1, None)
    sa, sb = s[tuple(lo)], s[tuple(hi)]
    with np.errstate(divide="ignore"):
        r = 0.5 * h * (1.0 / sa + 1.0 / sb)  # inf where either side is insulating
    if g_gb is not None:
        la, lb = labels[tuple(lo)], labels[tuple(hi)]
        boundary = la != lb
        if gb_sites is None:
            r[boundary] += 1.0 / g_gb
        else:
            a, b = la[boundary], lb[boundary]
            d = gb_sites[b] - gb_sites[a]
            # g_k = g·|n_k| on faces normal to axis k (module docstring)
            correction = np.abs(d[:, site_axis]) / np.linalg.norm(d, axis=1)
            r[boundary] += 1.0 / (g_gb * correction)
    with np.errstate(divide="ignore"):
        return np.where(np.isfinite(r), h * h / r, 0.0)


def voxel_conductivity(
    labels,
    sigma_grain_s_per_m,
    *,
    voxel_size_m: float,
    axis: int = 0,
    gb_conductance_s_per_m2: float | None = None,
    pore_labels=(),
    gb_sites_m=None,
    electrode_gap_voxels: float = 0.5,
    rtol: float = SOLVER_RTOL,
    maxiter: int = 500,
) -> VoxelResult:
    """Effective conductivity (S/m) of a 2-D or 3-D label image between electrodes normal to
    ``axis`` (finite-volume model of the module docstring).

    ``sigma_grain_s_per_m``: one σ for every label, or an array indexed by label.
    ``gb_conductance_s_per_m2``: interface conductance per area g_gb = σ_gb/δ between voxels of
    different labels (None: no interface resistance). ``pore_labels`` are insulating.
    ``gb_sites_m`` (n, D): the sites of the labels, for the projected GB rule g_k = g·|n_k| on
    faces normal to axis k, n the unit vector from site a to site b (module docstring;
    None = literal face rule, g on every GB face).
    ``electrode_gap_voxels``: distance (in voxels) from a boundary voxel's centre to its
    electrode, ½ = on the outer face; 1 = TauFactor's MultiPhaseSolver convention.
    """
    t0 = time.perf_counter()
    labels = np.asarray(labels)
    if labels.ndim not in (2, 3) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError("labels must be a 2-D or 3-D integer array")
    if not 0 <= axis < labels.ndim:
        raise ValueError(f"axis must be in [0, {labels.ndim})")
    h = float(voxel_size_m)
    if not np.isfinite(h) or h <= 0 or electrode_gap_voxels <= 0:
        raise ValueError("voxel_size_m and electrode_gap_voxels must be > 0")
    if gb_conductance_s_per_m2 is not None and not gb_conductance_s_per_m2 > 0:
        raise ValueError("gb_conductance_s_per_m2 must be > 0 S/m² (None: no GB resistance)")
    gb_sites = None if gb_sites_m is None else np.asarray(gb_sites_m, dtype=float)
    if gb_sites is not None and labels.max() >= len(gb_sites):
        raise ValueError("gb_sites_m must have one site per label")
    s = _sigma_per_voxel(labels, sigma_grain_s_per_m, pore_labels)
    order = [axis] + [k for k in range(labels.ndim) if k != axis]  # grid axis → site axis
    labels = np.moveaxis(labels, axis, 0)
    s = np.moveaxis(s, axis, 0)
    if labels.ndim == 2:  # one voxel thick
        labels, s = labels[..., None], s[..., None]
    shape = labels.shape
    n = labels.size
    index = np.arange(n).reshape(shape)
    length = (shape[0] - 1 + 2 * electrode_gap_voxels) * h
    area = shape[1] * shape[2] * h * h

    rows, cols, vals = [], [], []
    for k in range(3):
        if shape[k] < 2:
            continue
        g = _face_conductances(labels, s, h, gb_conductance_s_per_m2, gb_sites, k, order[k])
        lo = [slice(None)] * 3
        hi = [slice(None)] * 3
        lo[k] = slice(None, -1)
        hi[k] = slice(1, None)
        keep = g > 0
        rows.append(index[tuple(lo)][keep])
        cols.append(index[tuple(hi)][keep])
        vals.append(g[keep])
    rows = np.concatenate(rows) if rows else np.empty(0, dtype=int)
    cols = np.concatenate(cols) if cols else np.empty(0, dtype=int)
    vals = np.concatenate(vals) if vals else np.empty(0)
    g_left = (s[0] * h / electrode_gap_voxels).ravel()  # σ·h²/(gap·h)
    g_right = (s[-1] * h / electrode_gap_voxels).ravel()
    left_nodes = index[0].ravel()
    right_nodes = index[-1].ravel()

    # percolation: keep the components that touch both electrodes
    graph = sp.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)).tocsr()
    _, comp = connected_components(graph, directed=False)
    left_comps = np.unique(comp[left_nodes[g_left > 0]])
    right_comps = np.unique(comp[right_nodes[g_right > 0]])
    through = np.intersect1d(left_comps, right_comps)
    conducting = s.ravel() > 0
    active = np.isin(comp, through) & conducting
    n_removed = int(conducting.sum() - active.sum())
    if not active.any():
        return VoxelResult(
            0.0, 0.0, 0, time.perf_counter() - t0, 0.0, 0, n_removed, 0.0, 0.0,
            reason="no conducting path joins the two electrodes",
        )  # fmt: skip
    new = np.full(n, -1, dtype=np.int64)
    new[active] = np.arange(int(active.sum()))
    m = int(active.sum())
    use = active[rows]  # an edge of an active voxel joins another active voxel (same component)
    r, c, v = new[rows[use]], new[cols[use]], vals[use]
    diag = np.zeros(m)
    np.add.at(diag, r, v)
    np.add.at(diag, c, v)
    lmask = active[left_nodes]
    rmask = active[right_nodes]
    gl, il = g_left[lmask], new[left_nodes[lmask]]
    gr, ir = g_right[rmask], new[right_nodes[rmask]]
    np.add.at(diag, il, gl)
    np.add.at(diag, ir, gr)
    scale = diag.max()  # O(1) entries; σ_eff does not depend on it
    matrix = sp.coo_matrix(
        (np.concatenate([-v, -v, diag]) / scale,
         (np.concatenate([r, c, np.arange(m)]), np.concatenate([c, r, np.arange(m)]))),
        shape=(m, m),
    ).tocsr()  # fmt: skip
    rhs = np.zeros(m)
    np.add.at(rhs, il, gl / scale)  # 1 V on the first electrode
    x_axis = np.broadcast_to(np.arange(shape[0])[:, None, None], shape).ravel()[active]
    x0 = 1.0 - (x_axis + electrode_gap_voxels) * h / length  # uniform-field guess
    t1 = time.perf_counter()

    with one_blas_thread():
        ml = pyamg.smoothed_aggregation_solver(matrix, **AMG_OPTIONS)
        t2 = time.perf_counter()
        residuals: list[float] = []
        v_sol = ml.solve(rhs, x0=x0, tol=rtol, maxiter=maxiter, accel="cg", residuals=residuals)
        t3 = time.perf_counter()
    rel_res = float(np.linalg.norm(rhs - matrix @ v_sol) / np.linalg.norm(rhs))
    if not rel_res <= 10 * rtol:
        raise RuntimeError(f"AMG-CG did not converge: ‖r‖/‖b‖ = {rel_res:.3g} > {rtol:g}")
    i_in = float(np.sum(gl * (1.0 - v_sol[il])))
    i_out = float(np.sum(gr * v_sol[ir]))
    return VoxelResult(
        sigma_eff_s_per_m=i_in * length / area,
        solve_time_s=t3 - t1,
        iterations=len(residuals) - 1,
        assembly_time_s=t1 - t0,
        setup_time_s=t2 - t1,
        n_unknowns=m,
        n_removed=n_removed,
        relative_residual=rel_res,
        current_mismatch=abs(i_in - i_out) / i_in,
    )


@dataclass(frozen=True)
class StructureResult:
    """:func:`voxel_reference` output: the solve plus the labelling time and the grid."""

    voxels_per_side: tuple[int, ...]
    voxel_size_m: float
    labelling_time_s: float
    total_time_s: float
    solve: VoxelResult


def voxel_reference(
    sites_m,
    box_m,
    voxel_size_m: float,
    sigma_grain_s_per_m,
    *,
    weights_m2=None,
    gb_conductance_s_per_m2: float | None = None,
    axis: int = 0,
    orientation_correction: bool = True,
    pore_labels=(),
) -> StructureResult:
    """Voxelise the Voronoi/Laguerre structure at ``voxel_size_m`` (rounded so that whole voxels
    fill the box: the box must be a whole number of voxels along every axis within 1e-9) and
    solve it; what a network benchmark calls for the voxel time on the same structure."""
    t0 = time.perf_counter()
    box = np.asarray(box_m, dtype=float)
    counts = box / voxel_size_m
    shape = np.rint(counts).astype(int)
    if np.any(np.abs(counts - shape) > 1e-9 * counts) or np.any(shape < 1):
        raise ValueError("the box must be a whole number of cubic voxels along every axis")
    labels = voxel_labels(sites_m, box, shape, weights_m2)
    t1 = time.perf_counter()
    result = voxel_conductivity(
        labels,
        sigma_grain_s_per_m,
        voxel_size_m=voxel_size_m,
        axis=axis,
        gb_conductance_s_per_m2=gb_conductance_s_per_m2,
        pore_labels=pore_labels,
        gb_sites_m=sites_m if orientation_correction else None,
    )
    return StructureResult(
        tuple(int(n) for n in shape), float(voxel_size_m), t1 - t0,
        time.perf_counter() - t0, result,
    )  # fmt: skip


# ----------------------------------------------------------------------------- TauFactor
@dataclass(frozen=True)
class TauFactorResult:
    """TauFactor's σ_eff (S/m), its wall time (set-up + SOR), SOR iterations, whether its own
    convergence test passed, the solver used, τ (tortuosity factor) and ε (conducting volume
    fraction) as TauFactor reports them."""

    sigma_eff_s_per_m: float
    time_s: float
    iterations: int
    converged: bool
    solver: str
    tau: float
    volume_fraction: float


def taufactor_conductivity(
    labels,
    sigma_grain_s_per_m,
    *,
    axis: int = 0,
    pore_labels=(),
    conv_crit: float = 1e-3,
    iter_limit: int = 200_000,
) -> TauFactorResult:
    """σ_eff by TauFactor 2 on the CPU (module docstring): ``Solver`` when every conducting
    voxel has one σ (σ_eff = σ·ε/τ), ``MultiPhaseSolver`` otherwise (phases = distinct σ
    values, conductivities relative to the largest; σ_eff = σ_max·D_eff; its electrodes are
    one voxel out, i.e. ``electrode_gap_voxels=1`` in :func:`voxel_conductivity`).
    ``conv_crit``: TauFactor's criterion, (max − min)/max of the layer fluxes (its default is
    1e-2). Interface conductances are not supported by TauFactor."""
    try:
        import taufactor
        import torch
    except ImportError as exc:  # pragma: no cover - depends on the bench extra
        msg = "TauFactor needs the bench extra: pip install torch==2.13.0 taufactor"
        raise ImportError(msg) from exc
    labels = np.moveaxis(np.asarray(labels), axis, 0)
    s = _sigma_per_voxel(labels, sigma_grain_s_per_m, pore_labels)
    values = np.unique(s[s > 0])
    if values.size == 0:
        return TauFactorResult(0.0, 0.0, 0, True, "none", np.inf, 0.0)
    out = io.StringIO()
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(out), torch.no_grad():
        if values.size == 1:
            solver = taufactor.Solver((s > 0).astype(np.int64), device="cpu")
            solver.solve(verbose=False, conv_crit=conv_crit, iter_limit=iter_limit)
            sigma = float(values[0] * solver.D_rel[0])
            tau, vf, name = float(solver.tau[0]), float(solver.VF[0]), "Solver"
        else:
            phase = np.zeros(s.shape, dtype=np.int64)
            phase[s > 0] = np.searchsorted(values, s[s > 0]) + 1
            cond = {k + 1: float(v / values[-1]) for k, v in enumerate(values)}
            solver = taufactor.MultiPhaseSolver(phase, cond=cond, device="cpu")
            solver.solve(verbose=False, conv_crit=conv_crit, iter_limit=iter_limit)
            sigma = float(values[-1] * np.ravel(solver.D_eff)[0])
            tau, vf, name = float(np.ravel(solver.tau)[0]), float(np.mean(s > 0)), "MultiPhase"
    elapsed = time.perf_counter() - t0
    return TauFactorResult(sigma, elapsed, int(solver.iter), bool(solver.converged), name, tau, vf)


def porous_binary(shape, porosity: float, correlation_voxels: float, seed: int = 0):
    """A random porous structure: Gaussian-filtered white noise thresholded at the
    ``porosity`` quantile; 1 = solid (conducting), 0 = pore."""
    from scipy.ndimage import gaussian_filter

    field = gaussian_filter(np.random.default_rng(seed).standard_normal(shape), correlation_voxels)
    return (field > np.quantile(field, porosity)).astype(np.int32)


def resolved_gb_phases(labels: np.ndarray) -> np.ndarray:
    """Phase image of a polycrystal with its GBs resolved as one-voxel layers: 1 = grain
    interior, 2 = GB voxel (a voxel whose +x, +y or +z neighbour is another grain), so every GB
    face of the label image has exactly one GB voxel on one side."""
    gb = np.zeros(labels.shape, dtype=bool)
    for k in range(labels.ndim):
        lo = [slice(None)] * labels.ndim
        hi = [slice(None)] * labels.ndim
        lo[k] = slice(None, -1)
        hi[k] = slice(1, None)
        gb[tuple(lo)] |= labels[tuple(lo)] != labels[tuple(hi)]
    return np.where(gb, 2, 1).astype(np.int32)


# ----------------------------------------------------------------------------- script
def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (MB; Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def first_order_limit(h, sigma) -> float:
    """σ₀ of σ(h) = σ₀ + C·h through two grids (the asymptotic order of the voxel error)."""
    (h1, h2), (s1, s2) = np.asarray(h, float), np.asarray(sigma, float)
    return float(s2 + (s2 - s1) * h2 / (h1 - h2))


def richardson(h, sigma):
    """Observed order p and extrapolated σ₀ from three grids, σ(h) = σ₀ + C·h^p (any refinement
    ratios; p from (σ₁ − σ₂)/(σ₂ − σ₃) = (h₁^p − h₂^p)/(h₂^p − h₃^p)). Returns (nan, nan) when
    the differences do not have one sign (not in the asymptotic range)."""
    (h1, h2, h3), (s1, s2, s3) = np.asarray(h, float), np.asarray(sigma, float)
    ratio = (s1 - s2) / (s2 - s3)
    if not np.isfinite(ratio) or ratio <= 0:
        return float("nan"), float("nan")

    def f(p):
        return (h1**p - h2**p) / (h2**p - h3**p) - ratio

    try:
        p = brentq(f, 0.05, 8.0)
    except ValueError:
        return float("nan"), float("nan")
    c = (s1 - s2) / (h1**p - h2**p)
    return float(p), float(s3 - c * h3**p)


def run_polycrystal(args) -> dict:
    d = args.grain_size_um * 1e-6
    side = args.n_grains ** (1 / 3) * d
    box = np.full(3, side)
    sites = random_sites(args.n_grains, box, args.seed)
    sigma = args.sigma_grain
    sigma_gb = args.gb_sigma if args.gb_sigma is not None else sigma * GB_SIGMA_RATIO
    g_gb = sigma_gb / (args.gb_thickness_nm * 1e-9)
    resolutions = sorted(set(args.resolutions) | {args.voxels})
    print(
        f"random Voronoi polycrystal: {args.n_grains} grains, box {side * 1e6:.3f} µm, "
        f"seed {args.seed}; σ_grain {sigma:.3g} S/m, σ_gb {sigma_gb:.3g} S/m over "
        f"{args.gb_thickness_nm:g} nm → g_gb {g_gb:.3g} S/m²"
    )
    print(f"  g_gb·d/σ_grain = {g_gb * d / sigma:.3g} (grain resistance / GB resistance per grain)")
    rows = []
    header = (
        f"{'N':>5} {'h/nm':>7} {'model':>10} {'σ_eff/S m⁻¹':>13} {'σ/σ_g':>8} {'label/s':>8} "
        f"{'assem/s':>8} {'AMG/s':>7} {'CG/s':>7} {'it':>4} {'unknowns':>9} {'RSS/MB':>7}"
    )
    print(header)
    for n in resolutions:
        for model, correct in (("corrected", True), ("literal", False)):
            if model == "literal" and not args.literal:
                continue
            res = voxel_reference(
                sites, box, side / n, sigma, gb_conductance_s_per_m2=g_gb,
                orientation_correction=correct,
            )  # fmt: skip
            v = res.solve
            row = {
                "voxels": n,
                "h_m": res.voxel_size_m,
                "model": model,
                "sigma_eff_s_per_m": v.sigma_eff_s_per_m,
                "labelling_s": res.labelling_time_s,
                "assembly_s": v.assembly_time_s,
                "amg_setup_s": v.setup_time_s,
                "cg_s": v.solve_time_s - v.setup_time_s,
                "total_s": res.total_time_s,
                "iterations": v.iterations,
                "unknowns": v.n_unknowns,
                "removed": v.n_removed,
                "current_mismatch": v.current_mismatch,
                "peak_rss_mb": peak_rss_mb(),
            }
            rows.append(row)
            print(
                f"{n:5d} {res.voxel_size_m * 1e9:7.1f} {model:>10} {v.sigma_eff_s_per_m:13.6e} "
                f"{v.sigma_eff_s_per_m / sigma:8.5f} {res.labelling_time_s:8.2f} "
                f"{v.assembly_time_s:8.2f} {v.setup_time_s:7.2f} "
                f"{v.solve_time_s - v.setup_time_s:7.2f} {v.iterations:4d} {v.n_unknowns:9d} "
                f"{row['peak_rss_mb']:7.0f}",
                flush=True,
            )
    summary = {}
    for model in ("corrected", "literal"):
        sel = [r for r in rows if r["model"] == model]
        if len(sel) < 2:
            continue
        h = [r["h_m"] for r in sel]
        sg = [r["sigma_eff_s_per_m"] for r in sel]
        first = [first_order_limit(h[k : k + 2], sg[k : k + 2]) for k in range(len(sel) - 1)]
        p, s0 = richardson(h[-3:], sg[-3:]) if len(sel) >= 3 else (float("nan"),) * 2
        summary[model] = {
            "order_three_finest": p,
            "sigma_extrapolated_three_finest": s0,
            "sigma_first_order_pairs": first,
            "sigma_finest": sg[-1],
        }
        pairs = ", ".join(
            f"{a['voxels']}/{b['voxels']}: {s / sigma:.5f}"
            for a, b, s in zip(sel, sel[1:], first, strict=False)
        )
        print(f"{model}: σ_eff(h→0)/σ_g with p = 1 from consecutive grids {pairs}")
        if len(first) >= 2:
            drift = (first[-1] - first[-2]) / first[-1]
            summary[model]["first_order_drift"] = drift
            verdict = "converged" if abs(drift) < 2e-3 else "still pre-asymptotic"
            print(f"{model}: the last two first-order limits differ by {drift:+.2%} ({verdict})")
        print(
            f"{model}: observed order p = {p:.2f} from N = "
            f"{', '.join(str(r['voxels']) for r in sel[-3:])}, σ_eff(h→0)/σ_g = {s0 / sigma:.5f}"
        )
    return {"rows": rows, "convergence": summary}


def run_taufactor(args) -> dict:
    out = {}
    n = args.taufactor_voxels
    # (a) porous binary: one conducting phase, electrodes on the outer faces in both solvers
    solid = porous_binary((n, n, n), porosity=0.35, correlation_voxels=2.0, seed=args.seed)
    h = 1e-7
    mine = voxel_conductivity(solid, args.sigma_grain, voxel_size_m=h, pore_labels=(0,))
    tf = taufactor_conductivity(solid, args.sigma_grain, pore_labels=(0,))
    out["porous_binary"] = _compare("(a) porous binary, ε = 0.65", n, mine, tf, args.sigma_grain)
    # (b) multiphase: Voronoi polycrystal with one-voxel GB phase (σ_gb) and 10 % pores
    grains = max(8, n**3 // 1000)
    side = float(n)
    sites = random_sites(grains, np.full(3, side), args.seed)
    labels = voxel_labels(sites, np.full(3, side), (n, n, n))
    phases = resolved_gb_phases(labels)
    pores = porous_binary((n, n, n), porosity=0.90, correlation_voxels=1.5, seed=args.seed + 1)
    phases[pores == 1] = 0  # the top 10 % of a second random field become pores
    sigma = np.array([0.0, args.sigma_grain, args.sigma_grain * args.taufactor_gb_ratio])
    mine = voxel_conductivity(
        phases, sigma, voxel_size_m=h, pore_labels=(0,), electrode_gap_voxels=1.0
    )
    tf = taufactor_conductivity(phases, sigma, pore_labels=(0,))
    out["multiphase"] = _compare(
        f"(b) multiphase: {grains} grains, 1-voxel GBs at σ_gb/σ = {args.taufactor_gb_ratio:g}, "
        f"10 % pores",
        n, mine, tf, args.sigma_grain,
    )  # fmt: skip
    return out


def _compare(title, n, mine: VoxelResult, tf: TauFactorResult, sigma) -> dict:
    diff = (tf.sigma_eff_s_per_m - mine.sigma_eff_s_per_m) / mine.sigma_eff_s_per_m
    print(f"{title}, {n}³ voxels")
    print(
        f"  voxel (AMG-CG): σ/σ_g = {mine.sigma_eff_s_per_m / sigma:.6f}  "
        f"{mine.assembly_time_s + mine.solve_time_s:.2f} s, {mine.iterations} iterations"
    )
    print(
        f"  TauFactor {tf.solver} (SOR, float32, CPU): σ/σ_g = {tf.sigma_eff_s_per_m / sigma:.6f}"
        f"  {tf.time_s:.2f} s, {tf.iterations} iterations, converged={tf.converged}, "
        f"τ = {tf.tau:.4f}, ε = {tf.volume_fraction:.4f}"
    )
    print(f"  relative difference (TauFactor − voxel)/voxel = {diff:+.3%}")
    return {"voxel": asdict(mine), "taufactor": asdict(tf), "relative_difference": diff}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-grains", type=int, default=1000)
    parser.add_argument("--voxels", type=int, default=100, help="voxels per side (finest grid)")
    parser.add_argument("--resolutions", type=int, nargs="*", default=[40, 60, 80, 100, 128])
    parser.add_argument("--grain-size-um", type=float, default=1.0)
    parser.add_argument("--sigma-grain", type=float, default=SIGMA_GRAIN_S_PER_M, help="S/m")
    parser.add_argument("--gb-sigma", type=float, default=None, help="S/m (default σ_grain/100)")
    parser.add_argument("--gb-thickness-nm", type=float, default=GB_THICKNESS_M * 1e9)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--literal", action="store_true", help="also solve with the literal GB face rule"
    )
    parser.add_argument("--taufactor", action="store_true", help="compare with TauFactor 2")
    parser.add_argument("--taufactor-voxels", type=int, default=64)
    parser.add_argument("--taufactor-gb-ratio", type=float, default=0.1)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    results = {"polycrystal": run_polycrystal(args)}
    if args.taufactor:
        results["taufactor"] = run_taufactor(args)
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, default=float))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
