"""Polycrystals to VTK (meshio) and the exact cell polygons of 2-D structures.

**2-D structures** are written as their cells: one VTK polygon per cell (grain or pore), the
exact Voronoi/Laguerre cell clipped to the box, with cell data ``cell_id`` (the tessellation's
cell index), ``grain_id`` (index among the solid cells, the transport network's node number;
−1 for a pore), ``is_pore`` (0/1), ``area_m2`` and ``equivalent_diameter_m``. Coordinates are in
metres, z = 0.

The polygons are rebuilt from the tessellation's faces (:func:`cell_polygons`): in 2-D a face
between cells i and j is a segment perpendicular to the line joining the two sites (true for
Voronoi and Laguerre cells alike), centred at its centroid, of length ``face_area``; a wall face
lies along its wall. A cell is convex, so it is the convex hull of its faces' end points.

**3-D structures** are written as their faces, triple lines and sites: every face (grain
boundary, grain–pore, wall) as a VTK polygon, rebuilt exactly from the tessellation's triple
lines (:func:`face_polygons`: a face is convex, so its vertices sorted by angle about its
centroid in its own plane are its boundary); every triple line as a VTK line between its two
end vertices; every site as a VTK vertex. Cell data: ``kind`` (0 face, 1 triple line, 2 site),
``cell_a``/``cell_b`` (the two tessellation cells of a face; ``cell_b`` = −1 − wall for a wall
face; −1 elsewhere), ``grain_id`` (a site's network node number, −1 for a pore or a
non-site), ``is_gb`` (a face between two solid cells), ``is_pore``, ``area_m2`` (faces),
``neck_fraction`` (faces), ``length_m`` (triple lines), ``volume_m3`` and
``equivalent_diameter_m`` (sites); fields that do not apply are 0 (ids −1).

Readable by ParaView and by ``meshio.read``; the format follows the suffix (``.vtu`` XML
unstructured grid, ``.vtk`` legacy).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ssblab.errors import MicrostructureError
from ssblab.micro.structure import Polycrystal

VTK_SUFFIXES = (".vtu", ".vtk")


def _grain_ids(crystal: Polycrystal) -> np.ndarray:
    solid = ~crystal.is_pore
    ids = np.full(solid.size, -1, dtype=np.int64)
    ids[solid] = np.arange(int(solid.sum()))
    return ids


def face_segments(crystal: Polycrystal) -> np.ndarray:
    """(F, 2, 2) end points (m) of every face of a 2-D structure (see the module docstring)."""
    t = crystal.tessellation
    if t.dimension != 2:
        raise MicrostructureError("face segments exist only for 2-D structures")
    i, j = t.face_cells[:, 0], t.face_cells[:, 1]
    interior = j >= 0
    normal = np.zeros_like(t.face_centroid)
    d = t.sites[np.where(interior, j, i)] - t.sites[i]
    length = np.linalg.norm(d, axis=1)
    normal[interior] = d[interior] / np.maximum(length[interior], 1e-300)[:, None]
    wall_axis = (-1 - j[~interior]) // 2
    normal[np.flatnonzero(~interior), wall_axis] = 1.0
    tangent = np.column_stack([-normal[:, 1], normal[:, 0]])
    half = 0.5 * t.face_area[:, None] * tangent
    return np.stack([t.face_centroid - half, t.face_centroid + half], axis=1)


def cell_polygons(crystal: Polycrystal) -> list[np.ndarray]:
    """The cells of a 2-D structure as polygons: one (k, 2) array of vertices (m, counter-
    clockwise) per tessellation cell, in cell order."""
    t = crystal.tessellation
    seg = face_segments(crystal)
    i, j = t.face_cells[:, 0], t.face_cells[:, 1]
    interior = j >= 0
    owner = np.concatenate([i, i, j[interior], j[interior]])
    points = np.concatenate([seg[:, 0], seg[:, 1], seg[interior, 0], seg[interior, 1]])
    n = t.n_cells
    count = np.bincount(owner, minlength=n)
    if np.any(count < 6):  # three faces, two end points each
        raise MicrostructureError("a cell of the tessellation has fewer than three faces")
    centre = np.column_stack(
        [np.bincount(owner, weights=points[:, k], minlength=n) / count for k in range(2)]
    )
    rel = points - centre[owner]
    angle = np.arctan2(rel[:, 1], rel[:, 0])
    order = np.lexsort((angle, owner))
    owner, points = owner[order], points[order]
    # each vertex appears twice (it ends two faces of the cell): keep the first of each run
    tol = 1e-9 * float(np.max(t.box))
    same_cell = np.r_[False, owner[1:] == owner[:-1]]
    close = np.r_[False, np.linalg.norm(points[1:] - points[:-1], axis=1) <= tol]
    keep = ~(same_cell & close)
    owner, points = owner[keep], points[keep]
    starts = np.r_[0, np.flatnonzero(owner[1:] != owner[:-1]) + 1]
    polygons = np.split(points, starts[1:])
    out = []
    for poly in polygons:
        # a vertex at the ±π cut of the angle appears at both ends
        if poly.shape[0] > 3 and np.linalg.norm(poly[0] - poly[-1]) <= tol:
            poly = poly[:-1]
        out.append(poly)
    return out


def face_polygons(crystal: Polycrystal) -> tuple[np.ndarray, list[np.ndarray]]:
    """3-D: (vertex positions (V, 3) in m, one array of vertex indices per face in face order,
    ordered around the face). A face with fewer than three vertices on record (a degenerate
    sliver the tessellation kept) gets an empty array."""
    t = crystal.tessellation
    if t.dimension != 3:
        raise MicrostructureError("face polygons exist only for 3-D structures")
    n_faces = t.face_area.size
    line, face = t.line_faces[:, 0], t.line_faces[:, 1]
    ends = t.line_vertices[line]
    rows_face = np.concatenate([face, face])
    rows_vertex = np.concatenate([ends[:, 0], ends[:, 1]])
    pairs = np.unique(rows_face.astype(np.int64) * (t.vertex_position.shape[0] + 1) + rows_vertex)
    rows_face = pairs // (t.vertex_position.shape[0] + 1)
    rows_vertex = pairs % (t.vertex_position.shape[0] + 1)
    # each face's plane normal: along the two sites (Voronoi and Laguerre), or the wall's axis
    i, j = t.face_cells[:, 0], t.face_cells[:, 1]
    interior = j >= 0
    normal = np.zeros((n_faces, 3))
    d = t.sites[np.where(interior, j, i)] - t.sites[i]
    normal[interior] = d[interior] / np.linalg.norm(d[interior], axis=1)[:, None]
    normal[np.flatnonzero(~interior), (-1 - j[~interior]) // 2] = 1.0
    helper = np.where(np.abs(normal[:, :1]) < 0.9, [[1.0, 0.0, 0.0]], [[0.0, 1.0, 0.0]])
    u = np.cross(normal, helper)
    u /= np.linalg.norm(u, axis=1)[:, None]
    v = np.cross(normal, u)
    rel = t.vertex_position[rows_vertex] - t.face_centroid[rows_face]
    angle = np.arctan2(
        np.einsum("ij,ij->i", rel, v[rows_face]), np.einsum("ij,ij->i", rel, u[rows_face])
    )
    order = np.lexsort((angle, rows_face))
    rows_face, rows_vertex = rows_face[order], rows_vertex[order]
    counts = np.bincount(rows_face, minlength=n_faces)
    split = np.split(rows_vertex, np.cumsum(counts)[:-1])
    polygons = [p if p.size >= 3 else p[:0] for p in split]
    return t.vertex_position, polygons


def polygon_area(polygon: np.ndarray) -> float:
    """Shoelace area of a simple polygon (vertices in order)."""
    x, y = polygon[:, 0], polygon[:, 1]
    return 0.5 * float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


def write_vtk(crystal: Polycrystal, path: str | Path) -> dict:
    """Write ``crystal`` to ``path`` (``.vtu`` or ``.vtk``) as described in the module docstring;
    return a description of what was written (``content``, counts, field names)."""
    import meshio

    path = Path(path)
    if path.suffix.lower() not in VTK_SUFFIXES:
        raise MicrostructureError(f"VTK file {path}: use the suffix .vtu or .vtk")
    t = crystal.tessellation
    ids = _grain_ids(crystal)
    diameter = crystal.grain_diameter_m
    if t.dimension == 2:
        polygons = cell_polygons(crystal)
        sizes = np.array([p.shape[0] for p in polygons])
        xy = np.concatenate(polygons)
        points = np.column_stack([xy, np.zeros(xy.shape[0])])
        first = np.r_[0, np.cumsum(sizes)[:-1]]
        blocks, data = [], {k: [] for k in _CELL_FIELDS_2D}
        for k in np.unique(sizes):
            cells = np.flatnonzero(sizes == k)
            blocks.append(("polygon", first[cells, None] + np.arange(k)[None, :]))
            data["cell_id"].append(cells.astype(np.int64))
            data["grain_id"].append(ids[cells])
            data["is_pore"].append(crystal.is_pore[cells].astype(np.int64))
            data["area_m2"].append(t.volume[cells])
            data["equivalent_diameter_m"].append(diameter[cells])
        mesh = meshio.Mesh(points, blocks, cell_data=data)
        description = {
            "content": "2-D cells as polygons (exact Voronoi/Laguerre cells clipped to the box)",
            "cells": int(t.n_cells),
            "cell_data": list(_CELL_FIELDS_2D),
            "point_data": [],
        }
    else:
        mesh, description = _mesh_3d(crystal, ids, diameter)
    try:
        meshio.write(path, mesh)
    except OSError as exc:
        raise MicrostructureError(f"VTK file {path}: cannot write: {exc.strerror or exc}") from None
    return {"path": str(path), **description}


_CELL_FIELDS_2D = ("cell_id", "grain_id", "is_pore", "area_m2", "equivalent_diameter_m")


def _mesh_3d(crystal: Polycrystal, ids: np.ndarray, diameter: np.ndarray):
    """Faces (polygons), triple lines and sites of a 3-D structure (module docstring)."""
    import meshio

    t = crystal.tessellation
    vertices, polygons = face_polygons(crystal)
    n_vertices = vertices.shape[0]
    points = np.vstack([vertices, t.sites])
    solid = ~crystal.is_pore
    i, j = t.face_cells[:, 0], t.face_cells[:, 1]
    is_gb = ((j >= 0) & solid[i] & solid[np.maximum(j, 0)]).astype(np.int64)
    sizes = np.array([p.size for p in polygons])
    fields = {k: [] for k in _CELL_FIELDS_3D}

    def add(kind, n, **values):
        for name in _CELL_FIELDS_3D:
            default = -1 if name in ("cell_a", "cell_b", "grain_id") else 0
            if name == "kind":
                fields[name].append(np.full(n, kind, dtype=np.int64))
            elif name in values:
                fields[name].append(np.asarray(values[name]))
            else:
                dtype = float if name.endswith(("_m2", "_m3", "_m", "fraction")) else np.int64
                fields[name].append(np.full(n, default, dtype=dtype))

    blocks = []
    for k in np.unique(sizes[sizes >= 3]):
        faces = np.flatnonzero(sizes == k)
        blocks.append(("polygon", np.stack([polygons[f] for f in faces]).astype(np.int64)))
        add(
            0, faces.size, cell_a=i[faces].astype(np.int64), cell_b=j[faces].astype(np.int64),
            is_gb=is_gb[faces], area_m2=t.face_area[faces],
            neck_fraction=crystal.face_neck[faces],
        )  # fmt: skip
    blocks.append(("line", t.line_vertices.astype(np.int64)))
    add(1, t.line_vertices.shape[0], length_m=t.line_length)
    blocks.append(("vertex", (n_vertices + np.arange(t.n_cells, dtype=np.int64))[:, None]))
    add(2, t.n_cells, cell_a=np.arange(t.n_cells, dtype=np.int64), grain_id=ids,
        is_pore=crystal.is_pore.astype(np.int64), volume_m3=t.volume,
        equivalent_diameter_m=diameter)  # fmt: skip
    mesh = meshio.Mesh(points, blocks, cell_data=fields)
    description = {
        "content": "3-D faces (polygons, kind 0), triple lines (kind 1) and sites (kind 2)",
        "faces": int((sizes >= 3).sum()),
        "degenerate_faces_skipped": int((sizes < 3).sum()),
        "gb_faces": int(is_gb[sizes >= 3].sum()),
        "triple_lines": int(t.line_vertices.shape[0]),
        "sites": int(t.n_cells),
        "cell_data": list(_CELL_FIELDS_3D),
        "point_data": [],
    }
    return mesh, description


_CELL_FIELDS_3D = (
    "kind", "cell_a", "cell_b", "grain_id", "is_gb", "is_pore", "area_m2", "neck_fraction",
    "length_m", "volume_m3", "equivalent_diameter_m",
)  # fmt: skip
