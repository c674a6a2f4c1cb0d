"""Voronoi and Laguerre (power) tessellations of a box, as arrays: cells, faces, triple lines.

**Method.** The sites are mirrored across every wall of the box that they lie near, and the
Delaunay (Voronoi) or regular (Laguerre) triangulation of sites + mirrors is computed with
Qhull (``scipy.spatial``). A site's mirror puts a face exactly on the wall (the bisector of a
point and its mirror is the wall; for the power diagram the mirror carries the same weight),
and no other mirror cuts into the box (a point in the box is never closer to a mirror q' than to
its original q). So the cells of the real sites are their exact Voronoi/Laguerre cells clipped
to the box, provided every site whose cell touches a wall is mirrored: mirrors are made for the
sites within ``margin`` of each wall, and the sum of the cell volumes is checked against the
box volume (relative error ≤ 1e-9, else the margin doubles).

Each Delaunay edge (i, j) is dual to the Voronoi face shared by cells i and j: in 3-D the
polygon of the circumcentres (power centres) of the tetrahedra around the edge, ordered by angle
about the edge; in 2-D the segment joining the two triangles' circumcentres. Face area, centroid
and the distances h_i, h_j of the two sites from the face plane follow (Voronoi: h = d/2;
Laguerre: h_i = (d² + w_i − w_j)/(2d), Aurenhammer, SIAM J. Comput. 16 (1987) 78). Cell
volumes are Σ_faces A·h_i/D (D = dimension: the cell is the union of pyramids from the site to
its faces; for a Laguerre site outside its own cell h_i < 0 and the pyramid counts negative,
which keeps the sum exact). Triple lines (3-D) are the Voronoi edges, dual to Delaunay
triangles: the three faces (i,j), (j,k), (i,k) meet along a segment whose ends are the
centres of the two tetrahedra sharing the triangle; in 2-D the triple junctions are points and
the faces meeting at a Voronoi vertex are the three faces of one triangle.

Units: whatever the caller's coordinates are (the builder uses metres).

Validity: sites in general position; degenerate (co-spherical) sites such as a cubic lattice
are handled by Qhull's triangulated output: the extra Delaunay edges there have zero face area
and are dropped (faces with area ≤ 1e-12 of the mean face area).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ssblab.errors import MicrostructureError

_AREA_FLOOR = 1e-12


@dataclass(frozen=True)
class Tessellation:
    """Cells of the sites inside ``box`` and their shared faces.

    ``face_cells[f] = (i, j)`` with i < j for a face between two cells; wall faces have
    ``j = -1 - wall`` where wall = 2·axis + (0 low side | 1 high side). ``face_h[f]`` are the
    distances of the two sites from the face plane (for a wall face the second is the site's
    distance to the wall, mirrored). ``junction_faces[k] = (f, g)`` pairs two interior faces
    that meet along triple line k; ``junction_length`` is that line's length (3-D) or 1 (2-D,
    a point), ``junction_distance`` the path length between the two faces' centroids through
    the line's midpoint.
    """

    dimension: int
    box: np.ndarray
    sites: np.ndarray
    weights: np.ndarray
    volume: np.ndarray
    face_cells: np.ndarray
    face_area: np.ndarray
    face_h: np.ndarray
    face_centroid: np.ndarray
    line_faces: np.ndarray
    line_length: np.ndarray
    line_face_distance: np.ndarray
    line_vertices: np.ndarray
    vertex_position: np.ndarray
    empty_cells: np.ndarray
    volume_error: float

    @property
    def n_cells(self) -> int:
        return int(self.sites.shape[0])

    @property
    def interior(self) -> np.ndarray:
        return self.face_cells[:, 1] >= 0


def tessellate(
    sites,
    box,
    weights=None,
    *,
    margin: float | None = None,
    junctions: bool = True,
) -> Tessellation:
    """Voronoi (``weights=None``) or Laguerre tessellation of ``sites`` (n, D) in the box
    [0, box[0]] × … ; ``weights`` are power weights (length², cell i = {x : |x−p_i|² − w_i
    minimal}). See the module docstring."""
    sites = np.ascontiguousarray(sites, dtype=float)
    box = np.asarray(box, dtype=float)
    if sites.ndim != 2 or sites.shape[1] not in (2, 3) or box.shape != (sites.shape[1],):
        raise MicrostructureError("tessellation: sites must be (n, 2) or (n, 3) and box (D,)")
    n, dim = sites.shape
    if n < dim + 2:
        raise MicrostructureError(f"tessellation: need at least {dim + 2} sites (got {n})")
    if not np.all(np.isfinite(sites)) or np.any(sites < 0) or np.any(sites > box):
        raise MicrostructureError("tessellation: every site must lie inside the box")
    w = np.zeros(n) if weights is None else np.asarray(weights, dtype=float)
    if w.shape != (n,) or not np.all(np.isfinite(w)):
        raise MicrostructureError("tessellation: weights must be n finite numbers")
    spacing = (np.prod(box) / n) ** (1.0 / dim)
    margin = 3.0 * spacing if margin is None else float(margin)
    if weights is not None:
        margin += np.sqrt(max(np.ptp(w), 0.0))
    for _ in range(6):
        result = _tessellate_once(sites, box, w, weights is not None, margin, junctions)
        if result.volume_error <= 1e-9:
            return result
        margin *= 2.0
    raise MicrostructureError(
        f"tessellation: cell volumes do not fill the box (relative error {result.volume_error:.2g})"
    )


def _mirrors(sites: np.ndarray, box: np.ndarray, margin: float):
    """Mirror images of the sites within ``margin`` of each wall: (points, original index,
    wall id)."""
    points, origin, wall = [], [], []
    for axis in range(sites.shape[1]):
        for side in (0, 1):
            if side == 0:
                near = np.flatnonzero(sites[:, axis] < margin)
                image = sites[near].copy()
                image[:, axis] = -image[:, axis]
            else:
                near = np.flatnonzero(sites[:, axis] > box[axis] - margin)
                image = sites[near].copy()
                image[:, axis] = 2 * box[axis] - image[:, axis]
            points.append(image)
            origin.append(near)
            wall.append(np.full(near.size, 2 * axis + side))
    return np.concatenate(points), np.concatenate(origin), np.concatenate(wall)


def _triangulate(points: np.ndarray, weights: np.ndarray, weighted: bool) -> np.ndarray:
    """Simplices of the Delaunay (or, with weights, regular) triangulation."""
    from scipy.spatial import ConvexHull, Delaunay, QhullError

    try:
        if not weighted:
            return Delaunay(points, qhull_options="Qbb Qc Qz Q12 Qt").simplices
        centre = points.mean(axis=0)
        shifted = points - centre
        lifted = np.column_stack([shifted, np.einsum("ij,ij->i", shifted, shifted) - weights])
        hull = ConvexHull(lifted, qhull_options="Qt")
        lower = hull.equations[:, -2] < 0  # facets whose outward normal points down
        return hull.simplices[lower]
    except QhullError as exc:
        raise MicrostructureError(
            f"tessellation: Qhull failed ({str(exc).splitlines()[0]})"
        ) from None


def _centres(points: np.ndarray, weights: np.ndarray, simplices: np.ndarray):
    """Circumcentres (power centres with weights) of the simplices, and which are flat.

    x = c − p_0 solves 2(p_k − p_0)·x = |p_k − p_0|² − (w_k − w_0), k = 1..D. Mirroring makes
    flat simplices (a site, a neighbour and their two mirrors are co-circular), and Qhull's
    triangulated output makes them for co-spherical sites (a lattice). A flat simplex has no
    single centre: its co-circular vertices are equidistant from a whole line of points, on
    which the neighbouring simplices' centres lie. It adds no Voronoi vertex of its own, so the
    caller drops it."""
    p = points[simplices]
    w = weights[simplices]
    a = 2.0 * (p[:, 1:] - p[:, :1])
    rel = p[:, 1:] - p[:, :1]
    b = np.einsum("skd,skd->sk", rel, rel) - (w[:, 1:] - w[:, :1])
    scale = np.prod(np.linalg.norm(a, axis=2), axis=1)
    flat = np.abs(np.linalg.det(a)) <= 1e-10 * scale
    x = np.zeros((simplices.shape[0], points.shape[1]))
    x[~flat] = np.linalg.solve(a[~flat], b[~flat][..., None])[..., 0]
    return p[:, 0] + x, flat


def _tessellate_once(sites, box, w, weighted, margin, junctions) -> Tessellation:
    n, dim = sites.shape
    images, origin, wall = _mirrors(sites, box, margin)
    points = np.concatenate([sites, images])
    weights = np.concatenate([w, w[origin]])
    simplices = _triangulate(points - 0.5 * box, weights, weighted)
    centres, flat = _centres(points, weights, simplices)
    simplices, centres = simplices[~flat], centres[~flat]
    # every edge of every simplex, as (low, high) vertex indices
    pairs = np.array([(a, b) for a in range(dim + 1) for b in range(a + 1, dim + 1)])
    lo = np.minimum(simplices[:, pairs[:, 0]], simplices[:, pairs[:, 1]]).ravel()
    hi = np.maximum(simplices[:, pairs[:, 0]], simplices[:, pairs[:, 1]]).ravel()
    simplex_of = np.repeat(np.arange(simplices.shape[0]), pairs.shape[0])
    keep = lo < n  # faces of at least one real cell
    lo, hi, simplex_of = lo[keep], hi[keep], simplex_of[keep]
    key = lo.astype(np.int64) * points.shape[0] + hi
    if dim == 3:
        areas, centroids, edge_key, vertices = _polygon_faces(
            points, centres, lo, hi, simplex_of, key
        )
    else:
        areas, centroids, edge_key, vertices = _segment_faces(centres, simplex_of, key)
    face_group = np.arange(areas.size)
    i = (edge_key // points.shape[0]).astype(np.int64)
    j = (edge_key % points.shape[0]).astype(np.int64)
    big = areas > _AREA_FLOOR * max(float(np.mean(areas)) if areas.size else 0.0, 1e-300)
    i, j, areas, centroids, face_group = i[big], j[big], areas[big], centroids[big], face_group[big]
    # a face between a site and another site's mirror has zero area inside the box (see the
    # module docstring); a face between a site and its own mirror is the wall
    mirror = j >= n
    own = np.zeros(i.size, dtype=bool)
    own[mirror] = origin[j[mirror] - n] == i[mirror]
    keep_face = ~mirror | own
    stray = mirror & ~own
    stray_area = float(areas[stray].sum())
    i, j, areas, centroids = i[keep_face], j[keep_face], areas[keep_face], centroids[keep_face]
    face_group = face_group[keep_face]
    mirror = j >= n
    d_vec = points[j] - points[i]
    d = np.linalg.norm(d_vec, axis=1)
    wi, wj = weights[i], weights[j]
    h_i = (d * d + wi - wj) / (2.0 * d)
    h = np.column_stack([h_i, d - h_i])
    cells = np.column_stack([i, j])
    cells[mirror, 1] = -1 - wall[j[mirror] - n]
    volume = np.zeros(n)
    np.add.at(volume, i, areas * h[:, 0] / dim)
    interior = ~mirror
    np.add.at(volume, j[interior], areas[interior] * h[interior, 1] / dim)
    total = float(np.prod(box))
    volume_error = abs(volume.sum() - total) / total + stray_area / max(areas.sum(), 1e-300)
    has_face = np.zeros(n, dtype=bool)
    has_face[i] = True
    has_face[j[interior]] = True
    empty = np.flatnonzero(~has_face | (volume <= 0))
    jf = np.zeros((0, 2), dtype=np.int64)
    jl = np.zeros(0)
    jd = np.zeros(0)
    ends = np.zeros((0, 2), dtype=np.int64)
    vertex_pos = np.zeros((0, dim))
    if junctions:
        spacing = (np.prod(box) / n) ** (1.0 / dim)
        jf, jl, jd, ends, vertex_pos = _junctions(
            centres, vertices, face_group, centroids, dim, spacing
        )
    return Tessellation(
        dimension=dim,
        box=box,
        sites=sites,
        weights=w,
        volume=volume,
        face_cells=cells,
        face_area=areas,
        face_h=h,
        face_centroid=centroids,
        line_faces=jf,
        line_length=jl,
        line_face_distance=jd,
        line_vertices=ends,
        vertex_position=vertex_pos,
        empty_cells=empty,
        volume_error=volume_error,
    )


def _polygon_faces(points, centres, lo, hi, simplex_of, key):
    """Area and centroid of each Voronoi polygon: the simplices around an edge, ordered by
    angle about the polygon's vertex mean (inside the convex polygon; the Delaunay edge itself
    may miss the polygon), area vector = ½ Σ (c_k − c_0) × (c_{k+1} − c_0) (closed fan)."""
    order = np.argsort(key, kind="stable")
    key, lo, hi, simplex_of = key[order], lo[order], hi[order], simplex_of[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    counts = np.diff(np.r_[starts, key.size])
    group = np.repeat(np.arange(starts.size), counts)
    axis = points[hi[starts]] - points[lo[starts]]
    axis /= np.linalg.norm(axis, axis=1)[:, None]
    c = centres[simplex_of]
    mean = np.add.reduceat(c, starts, axis=0) / counts[:, None]
    rel = c - mean[group]
    helper = np.where(np.abs(axis[:, :1]) < 0.9, [[1.0, 0.0, 0.0]], [[0.0, 1.0, 0.0]])
    u = np.cross(axis, helper)
    u /= np.linalg.norm(u, axis=1)[:, None]
    v = np.cross(axis, u)
    angle = np.arctan2(np.einsum("ij,ij->i", rel, v[group]), np.einsum("ij,ij->i", rel, u[group]))
    within = np.lexsort((angle, group))
    c = c[within]
    ordered = simplex_of[within]
    nxt = np.arange(key.size) + 1
    nxt[starts + counts - 1] = starts  # close each polygon
    origin = c[starts][group]
    cross = np.cross(c - origin, c[nxt] - origin)
    tri_area = 0.5 * np.einsum("ij,ij->i", cross, axis[group])
    signed = np.add.reduceat(tri_area, starts)
    tri_centroid = (origin + c + c[nxt]) / 3.0
    weighted = np.add.reduceat(tri_centroid * tri_area[:, None], starts, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        centroid = np.where(np.abs(signed)[:, None] > 0, weighted / signed[:, None], mean)
    area = np.where(counts >= 3, np.abs(signed), 0.0)
    return area, centroid, key[starts], (ordered, starts, counts)


def _segment_faces(centres, simplex_of, key):
    """2-D: the Voronoi edge dual to a Delaunay edge joins its two triangles' circumcentres."""
    order = np.argsort(key, kind="stable")
    key, simplex_of = key[order], simplex_of[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    counts = np.diff(np.r_[starts, key.size])
    two = counts == 2
    a = centres[simplex_of[starts]]
    b = centres[simplex_of[np.minimum(starts + 1, key.size - 1)]]
    length = np.where(two, np.linalg.norm(b - a, axis=1), 0.0)
    return length, 0.5 * (a + b), key[starts], (simplex_of, starts, counts)


def _junctions(centres, vertices, face_group, centroids, dim, spacing):
    """The triple lines (3-D: a polygon edge shared by two or more faces' polygons; 2-D: a
    shared segment end, a point) and the faces around each, wall faces included.

    Voronoi vertices are the simplices' centres; where several simplices share a centre
    (co-spherical sites, e.g. a lattice, where four faces meet along a line) the centres are
    merged on a grid of 1e-7 of the site spacing. Returns rows (line, face), each line's length
    (1 in 2-D), each row's distance from the face centroid to the line (or point), each line's
    two end vertices and the vertices' positions."""
    ordered, starts, counts = vertices
    quantum = 1e-7 * spacing
    _, vid = np.unique(np.round(centres / quantum).astype(np.int64), axis=0, return_inverse=True)
    vid = vid.ravel()
    groups = np.repeat(np.arange(starts.size), counts)
    owner = np.full(starts.size, -1, dtype=np.int64)
    owner[face_group] = np.arange(face_group.size)
    face_of = owner[groups]  # kept face (or -1) of every vertex slot
    v = vid[ordered]
    base = int(vid.max()) + 1
    if dim == 3:
        nxt = np.arange(ordered.size) + 1
        nxt[starts + counts - 1] = starts
        a, b = v, v[nxt]
        pa, pb = centres[ordered], centres[ordered[nxt]]
        live = (face_of >= 0) & (a != b)
        lo_v, hi_v = np.minimum(a, b)[live], np.maximum(a, b)[live]
        va, vb = a[live], b[live]
        face, pa, pb = face_of[live], pa[live], pb[live]
        element = lo_v.astype(np.int64) * base + hi_v
    else:
        live = face_of >= 0
        va = vb = v[live]
        element = v[live].astype(np.int64) * base + v[live]
        face = face_of[live]
        pa = pb = centres[ordered][live]
    # one row per (line, face); drop the duplicate a polygon may list twice
    order = np.lexsort((face, element))
    element, face, pa, pb = element[order], face[order], pa[order], pb[order]
    va, vb = va[order], vb[order]
    unique = np.r_[True, (element[1:] != element[:-1]) | (face[1:] != face[:-1])]
    element, face, pa, pb = element[unique], face[unique], pa[unique], pb[unique]
    va, vb = va[unique], vb[unique]
    new_line = np.r_[True, element[1:] != element[:-1]]
    line = np.cumsum(new_line) - 1
    sizes = np.bincount(line)
    shared = sizes[line] >= 2
    if dim == 3:
        seg = pb - pa
        length_rows = np.linalg.norm(seg, axis=1)
        unit = seg / np.maximum(length_rows, 1e-300)[:, None]
        rel = centroids[face] - pa
        dist = np.linalg.norm(rel - np.einsum("ij,ij->i", rel, unit)[:, None] * unit, axis=1)
    else:
        length_rows = np.ones(face.size)
        dist = np.linalg.norm(centroids[face] - pa, axis=1)
    ok = shared & (length_rows > 0) & (dist > 0)
    line, face, length_rows, dist = line[ok], face[ok], length_rows[ok], dist[ok]
    element, va, vb, pa, pb = element[ok], va[ok], vb[ok], pa[ok], pb[ok]
    _, line = np.unique(line, return_inverse=True)
    n_lines = int(line.max(initial=-1)) + 1
    length = np.zeros(n_lines)
    length[line] = length_rows
    # each line's two end vertices (renumbered from 0) and the vertices' positions
    ends = np.zeros((n_lines, 2), dtype=np.int64)
    ends[line, 0], ends[line, 1] = element // base, element % base
    position = np.zeros((base, centroids.shape[1]))
    position[va], position[vb] = pa, pb
    used, ends = np.unique(ends, return_inverse=True)
    ends = ends.reshape(n_lines, 2)
    vertex_pos = position[used]
    return np.column_stack([line, face]), length, dist, ends, vertex_pos
