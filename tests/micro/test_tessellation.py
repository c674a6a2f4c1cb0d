"""Tessellation geometry against independent computations: scipy's Voronoi polygons, a cubic
lattice, and closure of the cell volumes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssblab.errors import MicrostructureError
from ssblab.micro.structure import PolycrystalSpec, build_polycrystal
from ssblab.micro.tessellation import tessellate


def _random_sites(n, dim, seed):
    rng = np.random.default_rng(seed)
    box = np.ones(dim) * n ** (1 / dim)
    return rng.random((n, dim)) * box, box


@pytest.mark.parametrize("dim", [2, 3])
@pytest.mark.parametrize("weighted", [False, True])
def test_cells_fill_the_box(dim, weighted):
    sites, box = _random_sites(600, dim, 3)
    weights = (np.random.default_rng(4).lognormal(0, 0.3, 600) * 0.3) ** 2 if weighted else None
    t = tessellate(sites, box, weights)
    live = np.setdiff1d(np.arange(600), t.empty_cells)
    assert t.volume_error < 1e-12
    assert t.volume[live].sum() == pytest.approx(np.prod(box), rel=1e-12)
    # wall faces tile every wall exactly
    for wall in range(2 * dim):
        on_wall = t.face_cells[:, 1] == -1 - wall
        assert t.face_area[on_wall].sum() == pytest.approx(np.prod(np.delete(box, wall // 2)))


def test_interior_faces_equal_scipy_voronoi_polygons():
    from scipy.spatial import Voronoi

    sites, box = _random_sites(300, 3, 7)
    t = tessellate(sites, box)
    vor = Voronoi(sites)
    reference = {}
    for (a, b), ridge in zip(vor.ridge_points, vor.ridge_vertices, strict=True):
        if -1 in ridge:
            continue
        v = vor.vertices[ridge]
        if np.any(v < 0) or np.any(v > box):  # clipped by the box: not comparable
            continue
        axis = (sites[b] - sites[a]) / np.linalg.norm(sites[b] - sites[a])
        c0 = v.mean(axis=0)
        u = np.cross(axis, [1.0, 0, 0] if abs(axis[0]) < 0.9 else [0, 1.0, 0])
        u /= np.linalg.norm(u)
        w = np.cross(axis, u)
        order = np.argsort(np.arctan2((v - c0) @ w, (v - c0) @ u))
        p = v[order]
        area = 0.5 * abs(sum(np.cross(p[k] - p[0], p[(k + 1) % len(p)] - p[0]) @ axis
                             for k in range(len(p))))  # fmt: skip
        reference[(min(a, b), max(a, b))] = area
    ours = {(int(i), int(j)): a for (i, j), a in zip(t.face_cells, t.face_area, strict=True)}
    assert len(reference) > 200
    for key, area in reference.items():
        assert ours[key] == pytest.approx(area, rel=1e-9, abs=1e-12)


def test_cubic_lattice_gives_unit_squares_and_cubes():
    n = 4
    g = np.arange(n) + 0.5
    sites = np.array(np.meshgrid(g, g, g, indexing="ij")).reshape(3, -1).T
    t = tessellate(sites, np.full(3, float(n)))
    assert np.allclose(t.volume, 1.0)
    assert np.allclose(t.face_area, 1.0)
    interior = t.face_cells[:, 1] >= 0
    assert interior.sum() == 3 * n * n * (n - 1)
    assert np.allclose(t.face_h, 0.5)


def test_laguerre_plane_position():
    """Power bisector: h_i = (d² + w_i − w_j)/(2d)."""
    sites = np.array([[1.0, 1.0], [2.0, 1.0], [1.0, 2.5], [2.5, 2.5], [0.3, 0.2], [2.7, 0.4]])
    weights = np.array([0.2, 0.0, 0.1, 0.0, 0.0, 0.05])
    t = tessellate(sites, np.array([3.0, 3.0]), weights)
    f = np.flatnonzero((t.face_cells[:, 0] == 0) & (t.face_cells[:, 1] == 1))[0]
    assert t.face_h[f, 0] == pytest.approx((1.0 + 0.2) / 2.0)


def test_triple_lines_in_2d_are_the_three_faces_of_each_vertex():
    sites, box = _random_sites(200, 2, 1)
    t = tessellate(sites, box)
    line, face = t.line_faces[:, 0], t.line_faces[:, 1]
    interior = t.face_cells[face, 1] >= 0
    # generic sites: three faces meet at every interior triple point
    counts = np.bincount(line[interior])
    inner_lines = np.unique(line[interior])
    walls = np.unique(line[~interior])
    assert np.all(counts[np.setdiff1d(inner_lines, walls)] == 3)
    assert np.all(t.line_face_distance > 0) and np.all(t.line_length == 1.0)


def test_cubic_lattice_lines_have_four_faces_of_unit_length():
    g = np.arange(3) + 0.5
    sites = np.array(np.meshgrid(g, g, g, indexing="ij")).reshape(3, -1).T
    t = tessellate(sites, np.full(3, 3.0))
    line, face = t.line_faces[:, 0], t.line_faces[:, 1]
    inner = np.setdiff1d(np.unique(line), np.unique(line[t.face_cells[face, 1] < 0]))
    assert inner.size == 3 * 2 * 2 * 3  # lines along each axis: (n-1)² · n
    assert np.all(np.bincount(line)[inner] == 4)
    assert np.allclose(t.line_length, 1.0) and np.allclose(t.line_face_distance, 0.5)


def test_bad_sites_raise_naming_the_problem():
    with pytest.raises(MicrostructureError, match="inside the box"):
        tessellate(np.array([[0.5, 0.5], [2.0, 0.5], [0.1, 0.1], [0.2, 0.9], [0.7, 0.3]]),
                   np.array([1.0, 1.0]))  # fmt: skip
    with pytest.raises(MicrostructureError, match="at least"):
        tessellate(np.array([[0.5, 0.5]]), np.array([1.0, 1.0]))


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(10, 120), dim=st.sampled_from([2, 3]))
def test_volume_closure_property(seed, n, dim):
    sites, box = _random_sites(n, dim, seed)
    t = tessellate(sites, box)
    assert t.volume.sum() == pytest.approx(np.prod(box), rel=1e-9)
    assert np.all(t.face_area > 0)


def test_builder_hits_requested_grain_size_density_and_reports_cv():
    crystal = build_polycrystal(
        PolycrystalSpec(n_grains=800, mean_grain_size_m=3e-6, relative_density=0.9, seed=2)
    )
    assert crystal.mean_grain_size_m == pytest.approx(3e-6, rel=1e-12)
    assert 0.9 - 0.01 <= crystal.relative_density <= 0.9
    dense = build_polycrystal(PolycrystalSpec(n_grains=3000, mean_grain_size_m=1e-6, seed=5))
    wide = build_polycrystal(
        PolycrystalSpec(n_grains=3000, mean_grain_size_m=1e-6, grain_size_cv=0.6, seed=5)
    )
    assert wide.size_cv_measured > dense.size_cv_measured + 0.1


@pytest.mark.parametrize("dim, cv", [(3, 0.4231), (2, 0.5294)])
def test_poisson_voronoi_cell_size_spread_matches_gilbert(dim, cv):
    """Gilbert (Ann. Math. Stat. 33 (1962) 958): normalised variance of the Poisson-Voronoi
    cell volume 0.1790 in 3-D (CV 0.4231), of the cell area 0.2802 in 2-D (CV 0.5294).
    Cells touching the box walls are clipped and excluded."""
    crystal = build_polycrystal(
        PolycrystalSpec(n_grains=8000, mean_grain_size_m=1e-6, dimension=dim, seed=5),
        junctions=False,
    )
    t = crystal.tessellation
    at_wall = np.zeros(t.n_cells, dtype=bool)
    at_wall[t.face_cells[t.face_cells[:, 1] < 0, 0]] = True
    v = t.volume[~at_wall]
    assert np.std(v) / np.mean(v) == pytest.approx(cv, abs=0.02)


def test_builder_is_reproducible():
    spec = PolycrystalSpec(n_grains=200, mean_grain_size_m=1e-6, dimension=2, seed=11)
    a, b = build_polycrystal(spec), build_polycrystal(spec)
    assert np.array_equal(a.tessellation.face_area, b.tessellation.face_area)
    assert np.array_equal(a.is_pore, b.is_pore)


@pytest.mark.parametrize(
    "field, value",
    [("n_grains", 3), ("mean_grain_size_m", -1e-6), ("relative_density", 1.5),
     ("neck_fraction", 0.0), ("grain_size_cv", float("nan")), ("dimension", 4)],
)  # fmt: skip
def test_spec_rejects_bad_values_naming_them(field, value):
    kwargs = {"n_grains": 100, "mean_grain_size_m": 1e-6, field: value}
    with pytest.raises(MicrostructureError, match=field.split("_m")[0].split("_s")[0][:8]):
        PolycrystalSpec(**kwargs)
