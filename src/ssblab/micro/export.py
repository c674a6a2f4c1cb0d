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

**3-D structures** are written as points (a VTK vertex each), since the tessellation keeps the
faces' areas and centroids but not their vertices: the grain and pore sites, with point data
``kind`` = 0, ``cell_id``, ``grain_id``, ``is_pore``, ``volume_m3``, ``equivalent_diameter_m``;
and the centroids of the grain-boundary faces (between two solid cells), with ``kind`` = 1,
``gb_area_m2`` (the face area) and ``neck_fraction`` (its contact fraction). Fields that do not
apply to a point are 0 (``cell_id``/``grain_id`` −1 on face points).

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
        solid = ~crystal.is_pore
        i, j = t.face_cells[:, 0], t.face_cells[:, 1]
        gb = np.flatnonzero((j >= 0) & solid[i] & solid[np.maximum(j, 0)])
        n_sites, n_faces = t.n_cells, gb.size
        points = np.vstack([t.sites, t.face_centroid[gb]])
        zeros = np.zeros(n_faces)
        point_data = {
            "kind": np.r_[np.zeros(n_sites, dtype=np.int64), np.ones(n_faces, dtype=np.int64)],
            "cell_id": np.r_[np.arange(n_sites), np.full(n_faces, -1)].astype(np.int64),
            "grain_id": np.r_[ids, np.full(n_faces, -1)].astype(np.int64),
            "is_pore": np.r_[crystal.is_pore.astype(np.int64), np.zeros(n_faces, dtype=np.int64)],
            "volume_m3": np.r_[t.volume, zeros],
            "equivalent_diameter_m": np.r_[diameter, zeros],
            "gb_area_m2": np.r_[np.zeros(n_sites), t.face_area[gb]],
            "neck_fraction": np.r_[np.zeros(n_sites), crystal.face_neck[gb]],
        }
        vertices = np.arange(points.shape[0], dtype=np.int64)[:, None]
        mesh = meshio.Mesh(points, [("vertex", vertices)], point_data=point_data)
        description = {
            "content": "3-D sites (kind 0) and grain-boundary face centroids (kind 1) as points",
            "sites": int(n_sites),
            "gb_faces": int(n_faces),
            "cell_data": [],
            "point_data": list(point_data),
        }
    try:
        meshio.write(path, mesh)
    except OSError as exc:
        raise MicrostructureError(f"VTK file {path}: cannot write: {exc.strerror or exc}") from None
    return {"path": str(path), **description}


_CELL_FIELDS_2D = ("cell_id", "grain_id", "is_pore", "area_m2", "equivalent_diameter_m")
