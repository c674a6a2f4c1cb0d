"""micro.export (2-D cell polygons, VTK) and micro.figures (sections, Nyquist, risk map): the
polygons against the tessellation's own cell areas and the power-nearest rasterisation, the VTK
files read back with meshio, the figures written as readable images."""

from __future__ import annotations

import meshio
import numpy as np
import pytest
from matplotlib.image import imread
from matplotlib.path import Path as MplPath

from ssblab.errors import MicrostructureError
from ssblab.micro import figures
from ssblab.micro.build import build_network
from ssblab.micro.deposition import solve_deposition
from ssblab.micro.export import cell_polygons, polygon_area, write_vtk
from ssblab.micro.presets import materials
from ssblab.micro.solve import microstructure_spectrum
from ssblab.micro.structure import PolycrystalSpec, build_polycrystal


def crystal(dim=2, n=150, cv=0.0, density=1.0, seed=3):
    spec = PolycrystalSpec(
        n_grains=n,
        mean_grain_size_m=5e-6,
        dimension=dim,
        grain_size_cv=cv,
        relative_density=density,
        seed=seed,
    )
    return build_polycrystal(spec)


@pytest.fixture(scope="module")
def voronoi_2d():
    return crystal(density=0.9)


@pytest.fixture(scope="module")
def laguerre_2d():
    return crystal(cv=0.6, seed=5)


@pytest.fixture(scope="module")
def voronoi_3d():
    return crystal(dim=3, n=120, density=0.9)


@pytest.mark.parametrize("name", ["voronoi_2d", "laguerre_2d"])
def test_polygon_areas_are_the_cell_areas(request, name):
    c = request.getfixturevalue(name)
    polygons = cell_polygons(c)
    assert len(polygons) == c.tessellation.n_cells
    areas = np.array([polygon_area(p) for p in polygons])
    np.testing.assert_allclose(areas, c.tessellation.volume, rtol=1e-8)
    assert areas.sum() == pytest.approx(np.prod(c.box_m), rel=1e-10)


def test_polygons_have_one_vertex_per_face(voronoi_2d):
    t = voronoi_2d.tessellation
    polygons = cell_polygons(voronoi_2d)
    cells = t.face_cells
    faces_per_cell = np.bincount(cells[:, 0], minlength=t.n_cells) + np.bincount(
        cells[cells[:, 1] >= 0, 1], minlength=t.n_cells
    )
    assert [p.shape[0] for p in polygons] == faces_per_cell.tolist()


@pytest.mark.parametrize("name", ["voronoi_2d", "laguerre_2d"])
def test_raster_agrees_with_polygons(request, name):
    """Each pixel's power-nearest cell contains the pixel centre (two independent routes to
    the same cells: Laguerre rule by KD-tree vs the polygons rebuilt from the faces)."""
    c = request.getfixturevalue(name)
    cells, extent = figures.raster_cells(c, pixels=200)
    ny, nx = cells.shape
    xs = extent[0] + (np.arange(nx) + 0.5) * (extent[1] - extent[0]) / nx
    ys = extent[2] + (np.arange(ny) + 0.5) * (extent[3] - extent[2]) / ny
    gx, gy = np.meshgrid(xs, ys)
    centres = np.column_stack([gx.ravel(), gy.ravel()])
    inside = np.zeros(centres.shape[0], dtype=bool)
    labels = cells.ravel()
    for k, polygon in enumerate(cell_polygons(c)):
        pick = labels == k
        if pick.any():
            inside[pick] = MplPath(polygon).contains_points(centres[pick], radius=1e-12)
    assert np.mean(~inside) < 2e-3  # only pixel centres on an edge can disagree


def test_raster_3d_section_is_power_nearest(voronoi_3d):
    c = voronoi_3d
    cells, extent = figures.raster_cells(c, pixels=60)
    ny, nx = cells.shape
    t = c.tessellation
    rng = np.random.default_rng(0)
    for _ in range(50):
        row, col = rng.integers(ny), rng.integers(nx)
        x = extent[0] + (col + 0.5) * (extent[1] - extent[0]) / nx
        y = extent[2] + (row + 0.5) * (extent[3] - extent[2]) / ny
        point = np.array([x, y, 0.5 * c.box_m[2]])
        power = np.sum((t.sites - point) ** 2, axis=1) - t.weights
        assert power[cells[row, col]] == pytest.approx(power.min(), rel=1e-9, abs=1e-24)


def test_vtk_2d_polygons_round_trip(tmp_path, voronoi_2d):
    c = voronoi_2d
    info = write_vtk(c, tmp_path / "cells.vtu")
    assert info["cells"] == c.tessellation.n_cells
    mesh = meshio.read(tmp_path / "cells.vtu")
    assert sum(len(block.data) for block in mesh.cells) == c.tessellation.n_cells
    assert {block.type for block in mesh.cells} == {"polygon"}
    data = {k: np.concatenate(v) for k, v in mesh.cell_data.items()}
    order = np.argsort(data["cell_id"])
    np.testing.assert_allclose(data["area_m2"][order], c.tessellation.volume)
    np.testing.assert_array_equal(data["is_pore"][order].astype(bool), c.is_pore)
    grain_id = data["grain_id"][order]
    assert np.all(grain_id[c.is_pore] == -1)
    np.testing.assert_array_equal(grain_id[~c.is_pore], np.arange(np.sum(~c.is_pore)))
    # the polygon of each cell has the cell's area
    for block, ids in zip(mesh.cells, mesh.cell_data["cell_id"], strict=True):
        polygon = mesh.points[block.data[0], :2]
        assert polygon_area(polygon) == pytest.approx(c.tessellation.volume[ids[0]], rel=1e-8)


def test_vtk_3d_faces_lines_and_sites_round_trip(tmp_path, voronoi_3d):
    c = voronoi_3d
    t = c.tessellation
    info = write_vtk(c, tmp_path / "faces.vtu")
    mesh = meshio.read(tmp_path / "faces.vtu")
    kinds = [np.asarray(k).ravel() for k in mesh.cell_data["kind"]]
    polygons = [b for b, k in zip(mesh.cells, kinds, strict=True) if b.type == "polygon"]
    assert all(
        np.all(k == 0) for b, k in zip(mesh.cells, kinds, strict=True) if b.type == "polygon"
    )
    assert sum(len(b.data) for b in polygons) == info["faces"] == t.face_area.size
    # every face polygon, rebuilt from the triple lines, has the tessellation's exact area
    block_area = []
    for block, area in zip(mesh.cells, mesh.cell_data["area_m2"], strict=True):
        if block.type != "polygon":
            continue
        pts = mesh.points[block.data]  # (n, k, 3)
        fan = np.cross(pts[:, 1:-1] - pts[:, :1], pts[:, 2:] - pts[:, :1]).sum(axis=1)
        np.testing.assert_allclose(0.5 * np.linalg.norm(fan, axis=1), area, rtol=1e-9)
        block_area.append(np.asarray(area).sum())
    assert sum(block_area) == pytest.approx(t.face_area.sum(), rel=1e-12)
    lines = [b for b in mesh.cells if b.type == "line"]
    assert len(lines) == 1 and len(lines[0].data) == info["triple_lines"] == t.line_length.size
    sites = [
        (b, v)
        for b, v in zip(mesh.cells, mesh.cell_data["volume_m3"], strict=True)
        if b.type == "vertex"
    ]
    assert sum(np.asarray(v).sum() for _, v in sites) == pytest.approx(np.prod(c.box_m), rel=1e-9)
    np.testing.assert_allclose(mesh.points[sites[0][0].data.ravel()], t.sites)
    i, j = t.face_cells[:, 0], t.face_cells[:, 1]
    solid = ~c.is_pore
    assert info["gb_faces"] == int(np.sum((j >= 0) & solid[i] & solid[np.maximum(j, 0)]))


def test_vtk_refuses_other_suffixes(tmp_path, voronoi_2d):
    with pytest.raises(MicrostructureError, match=r"\.vtu or \.vtk"):
        write_vtk(voronoi_2d, tmp_path / "cells.txt")


def _image(path):
    image = imread(path)
    assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 100
    return image


@pytest.mark.parametrize("name", ["voronoi_2d", "voronoi_3d"])
def test_structure_slice_png(tmp_path, request, name):
    c = request.getfixturevalue(name)
    path = figures.structure_slice(c, tmp_path / "slice.png")
    image = _image(path)
    assert np.std(image[..., :3]) > 0.05  # not blank: coloured grains, black pores


def test_nyquist_png(tmp_path, voronoi_2d):
    network = build_network(voronoi_2d, materials("llzto-annealed"))
    spectrum = microstructure_spectrum(network, network.sigma_ion_at(298.15), np.logspace(0, 9, 10))
    _image(figures.nyquist(spectrum, tmp_path / "nyquist.png"))


@pytest.mark.parametrize("name", ["voronoi_2d", "voronoi_3d"])
def test_risk_map_png(tmp_path, request, name):
    c = request.getfixturevalue(name)
    network = build_network(c, materials("llzto-bare"), gb_network=True)
    with np.errstate(all="ignore"):
        result = solve_deposition(network, 10.0, 298.15)
    _image(figures.risk_map(c, network, result, tmp_path / "risk.png"))
