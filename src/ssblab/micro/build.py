"""From a polycrystal and its materials to a :class:`~ssblab.micro.network.TransportNetwork`.

**Edges across a grain boundary** (two-point flux approximation on the Voronoi/Laguerre mesh):
grain half i, GB, grain half j in series,

    R = [h_i/A + c(A, f)]/σ_g,i + δ/(f·A·σ_gb) + [h_j/A + c(A, f)]/σ_g,j

with A the face area, f the neck (contact) fraction, δ the GB thickness, h the site-to-face
distances and c the constriction term of :func:`ssblab.micro.structure.constriction_factor`.
For Laguerre cells h_i can be ≤ 0 (a site outside its own cell); h is then clipped to
[0.05, 0.95]·(h_i + h_j) keeping the sum, which leaves uniform-grain results unchanged.

**In-plane GB network** (``gb_network``): each GB face gets a node at its centroid. Grain i
connects to face f through its grain half and half the GB thickness (factor 2fA/δ); faces
meeting along a triple line of length L connect through the GB sheet: each is an arm
δ·f·L/ℓ_f to the line (ℓ_f its centroid's distance from the line) and the line node is
eliminated exactly (star–mesh transform). A GB face that meets an electrode wall connects to
that electrode through its arm, so a conducting GB sheet takes electrons straight from the Li
metal.
2-D structures are per metre of depth (L = 1 m: a 2-D triple junction is a point).

**Triple junctions** (3-D, ``Materials.triple_junction``): a phase segregated along the triple
lines (Al at triple junctions after the anneal, seed 000 §1) is a tube of radius r_TJ along
every line where three or more GB faces meet. Such a line is kept as a node (not eliminated):
its GB arms end on it, and tubes π r_TJ²/(L/2) join it to its two end vertices, where the
tubes of the lines meeting there connect; a vertex on an electrode wall is the electrode.

``gb_network="auto"`` includes the sheet when a GB carries ≥ 1e-3 of
a grain's conductance for either carrier, σ_gb·δ ≥ 1e-3·σ_g·d.

**Electrodes** are the two walls normal to ``axis``: each grain touching a wall connects to
that wall's terminal through its grain half (factor A/h, full contact) and, if given, an
interface layer (factor A/t). Pores are removed with every face they have: they conduct
nothing. The other walls are insulating.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ssblab.errors import MicrostructureError
from ssblab.micro.network import MAX_SEGMENTS, Phase, TransportNetwork
from ssblab.micro.structure import Polycrystal, constriction_factor


@dataclass(frozen=True)
class Materials:
    """Phases of a polycrystal. ``gb`` is the grain-boundary phase (a thin film of thickness
    ``gb_thickness_m``); ``interface`` an optional layer of thickness
    ``interface_thickness_m`` between the electrodes and the grains; ``triple_junction`` an
    optional phase segregated along the triple lines, in tubes of radius ``tj_radius_m``
    (3-D, with the GB sheet network)."""

    grain: Phase
    gb: Phase
    gb_thickness_m: float
    interface: Phase | None = None
    interface_thickness_m: float = 0.0
    triple_junction: Phase | None = None
    tj_radius_m: float = 0.0

    def __post_init__(self) -> None:
        if not (np.isfinite(self.gb_thickness_m) and 0 < self.gb_thickness_m < 1e-5):
            raise MicrostructureError("gb_thickness_m must be in (0, 10 µm)")
        if self.triple_junction is not None and not (0 < self.tj_radius_m < 1e-5):
            raise MicrostructureError("tj_radius_m must be in (0, 10 µm) with a TJ phase")
        if self.interface is not None and not (0 < self.interface_thickness_m < 1e-3):
            raise MicrostructureError("interface_thickness_m must be in (0, 1 mm) with a layer")

    @property
    def phases(self) -> tuple[Phase, ...]:
        out = [self.grain, self.gb]
        if self.interface is not None:
            out.append(self.interface)
        if self.triple_junction is not None:
            out.append(self.triple_junction)
        return tuple(out)


GRAIN, GB = 0, 1


def _triple_junction_lines(t, face_node, target, terminals) -> np.ndarray:
    """Lines where three or more GB faces meet (true triple junctions; lattices have four),
    not lying on an electrode wall: these carry a triple-junction tube."""
    line, face = t.line_faces[:, 0], t.line_faces[:, 1]
    n_lines = t.line_length.size
    gb_arms = np.bincount(line, weights=(face_node[face] >= 0).astype(float), minlength=n_lines)
    on_electrode = np.zeros(n_lines, dtype=bool)
    on_electrode[line[np.isin(target[face], terminals)]] = True
    return (gb_arms >= 3) & ~on_electrode


def _add_triple_junctions(t, face_node, target, neck, delta, tj_lines, terminals, radius,
                          tj_phase, add):  # fmt: skip
    """Keep every triple-junction line as a node: its GB arms (δ·f·L/ℓ_f, GB phase) end on it,
    and a tube of the segregated phase runs from it to each of its two end vertices (quadruple
    points), π r²/(L/2) each; the vertices join the tubes of the lines that meet there. A
    vertex on an electrode wall is that electrode. Returns the new nodes' positions (line
    midpoints, then vertices); their indices follow the two terminals."""
    first = terminals[1] + 1
    line, face = t.line_faces[:, 0], t.line_faces[:, 1]
    lines = np.flatnonzero(tj_lines)
    line_node = np.full(t.line_length.size, -1, dtype=np.int64)
    line_node[lines] = first + np.arange(lines.size)
    rows = tj_lines[line] & (face_node[face] >= 0)
    length = t.line_length[line[rows]]
    arm = delta * neck[face[rows]] * length / t.line_face_distance[rows]
    add(face_node[face[rows]], line_node[line[rows]], [GB], [arm])
    # vertices: on an electrode wall they are the electrode (any line there touching it)
    ends = t.line_vertices
    vertex_terminal = np.full(t.vertex_position.shape[0], -1, dtype=np.int64)
    on = np.isin(target[face], terminals)
    for k in (0, 1):
        vertex_terminal[ends[line[on], k]] = target[face[on]]
    used = np.unique(ends[lines].ravel())
    free = used[vertex_terminal[used] < 0]
    vertex_node = vertex_terminal.copy()
    vertex_node[free] = first + lines.size + np.arange(free.size)
    half = 0.5 * t.line_length[lines]
    for k in (0, 1):
        add(line_node[lines], vertex_node[ends[lines, k]], [tj_phase],
            [np.pi * radius**2 / half])  # fmt: skip
    mid = 0.5 * (t.vertex_position[ends[lines, 0]] + t.vertex_position[ends[lines, 1]])
    return np.vstack([mid, t.vertex_position[free]])


def _sheet_edges(t, face_node, target, neck, delta, skip=None):
    """GB-sheet edges around every triple line. Each face around a line of length L is an arm
    of conductance factor a_f = δ·f·L/ℓ_f to the line (ℓ_f its centroid's distance from the
    line); the line node is eliminated exactly (star–mesh transform, Y-Δ for three arms):
    a_fg = a_f·a_g/Σ_k a_k for every pair. On a line that lies on an electrode wall the line
    *is* the electrode (an equipotential): each GB arm ends there, once, through the GB's
    cross-section δ·f·L (returned as ``contact_m2`` for an interface layer in series). Faces
    that are neither GB nor electrode (insulating walls) take no current: they are not arms.

    Lines flagged in ``skip`` are left out (the caller keeps them as nodes).

    Returns (edges, factor, contact_m2); contact_m2 is 0 for edges between GB faces."""
    rows = t.line_faces
    empty = (np.zeros((0, 2), dtype=np.int64), np.zeros(0), np.zeros(0))
    if rows.size == 0:
        return empty
    line, face = rows[:, 0], rows[:, 1]
    node = target[face]
    arm = node >= 0
    if skip is not None:  # lines kept as nodes (triple-junction tubes): not eliminated here
        arm &= ~skip[line]
    line, face, node = line[arm], face[arm], node[arm]
    dist = t.line_face_distance[arm]
    is_gb = face_node[face] >= 0
    cross_section = np.where(is_gb, delta * neck[face] * t.line_length[line], 0.0)
    a = np.where(is_gb, cross_section / dist, np.inf)
    order = np.argsort(line, kind="stable")
    line, node, a, cross_section = line[order], node[order], a[order], cross_section[order]
    starts = np.flatnonzero(np.r_[True, line[1:] != line[:-1]])
    sizes = np.diff(np.r_[starts, line.size])
    group = np.repeat(np.arange(starts.size), sizes)
    finite = np.isfinite(a)
    total = np.add.reduceat(np.where(finite, a, 0.0), starts)
    electrode = np.full(starts.size, -1, dtype=np.int64)
    electrode[group[~finite]] = node[~finite]
    on = finite & (electrode[group] >= 0)
    out_e = [np.column_stack([node[on], electrode[group[on]]])]
    out_f = [a[on]]
    out_c = [cross_section[on]]
    for k in range(2, int(sizes.max(initial=1)) + 1):
        pick = (sizes == k) & (electrode < 0)
        base = starts[pick]
        g_total = total[pick]
        for x in range(k):
            for y in range(x + 1, k):
                ax, ay = a[base + x], a[base + y]
                nx, ny = node[base + x], node[base + y]
                factor = ax * ay / g_total
                keep = (factor > 0) & (nx != ny)
                out_e.append(np.column_stack([nx[keep], ny[keep]]))
                out_f.append(factor[keep])
                out_c.append(np.zeros(int(keep.sum())))
    return np.vstack(out_e), np.concatenate(out_f), np.concatenate(out_c)


def needs_gb_network(materials: Materials, grain_size_m: float) -> bool:
    """True when a GB sheet carries ≥ 1e-3 of a grain's conductance (either carrier)."""
    g, b, delta = materials.grain, materials.gb, materials.gb_thickness_m
    carriers = (
        (g.sigma_ion_s_per_m, b.sigma_ion_s_per_m),
        (g.sigma_e_s_per_m, b.sigma_e_s_per_m),
    )
    return any(sb > 0 and sb * delta >= 1e-3 * sg * grain_size_m for sg, sb in carriers)


def build_network(
    crystal: Polycrystal,
    materials: Materials,
    *,
    axis: int = 0,
    gb_network: bool | str = "auto",
) -> TransportNetwork:
    """The transport network of ``crystal`` between the two walls normal to ``axis``."""
    t = crystal.tessellation
    dim = t.dimension
    if axis not in range(dim):
        raise MicrostructureError(f"axis must be in 0..{dim - 1}")
    if gb_network == "auto":
        gb_network = needs_gb_network(materials, crystal.mean_grain_size_m)
    phases = materials.phases
    if_phase = phases.index(materials.interface) if materials.interface else -1
    delta = materials.gb_thickness_m

    solid = ~crystal.is_pore
    grain_id = np.full(t.n_cells, -1, dtype=np.int64)
    grain_id[solid] = np.arange(int(solid.sum()))
    n_grains = int(solid.sum())
    i, j = t.face_cells[:, 0], t.face_cells[:, 1]
    area, h, neck = t.face_area, t.face_h, crystal.face_neck
    interior = (j >= 0) & solid[i] & solid[np.maximum(j, 0)]
    wall_low = (j == -1 - 2 * axis) & solid[i]
    wall_high = (j == -2 - 2 * axis) & solid[i]

    total = h[:, 0] + h[:, 1]
    hi_ = np.clip(h[:, 0], 0.05 * total, 0.95 * total)
    hj_ = total - hi_
    c = constriction_factor(area, neck, dim)
    with np.errstate(divide="ignore"):
        half_i = 1.0 / (hi_ / area + c)
        half_j = 1.0 / (hj_ / area + c)

    edges, seg_phase, seg_factor = [], [], []

    def add(a, b, phases_k, factors_k):
        k = len(phases_k)
        p = np.full((a.size, MAX_SEGMENTS), -1, dtype=np.int64)
        f = np.zeros((a.size, MAX_SEGMENTS))
        for s in range(k):
            p[:, s] = phases_k[s]
            f[:, s] = factors_k[s]
        edges.append(np.column_stack([a, b]))
        seg_phase.append(p)
        seg_factor.append(f)

    f_int = np.flatnonzero(interior)
    extra_pos = None
    gi, gj = grain_id[i[f_int]], grain_id[j[f_int]]
    positions = [t.sites[solid]]
    kinds = [np.zeros(n_grains, dtype=np.int64)]
    if not gb_network:
        add(
            gi,
            gj,
            [GRAIN, GB, GRAIN],
            [half_i[f_int], neck[f_int] * area[f_int] / delta, half_j[f_int]],
        )
        n_nodes = n_grains
        terminals = (n_nodes, n_nodes + 1)
    else:
        face_node = np.full(t.face_cells.shape[0], -1, dtype=np.int64)
        face_node[f_int] = n_grains + np.arange(f_int.size)
        gb_half = 2.0 * neck[f_int] * area[f_int] / delta
        add(gi, face_node[f_int], [GRAIN, GB], [half_i[f_int], gb_half])
        add(face_node[f_int], gj, [GB, GRAIN], [gb_half, half_j[f_int]])
        n_nodes = n_grains + f_int.size
        terminals = (n_nodes, n_nodes + 1)
        # faces on the electrode walls stand for their terminal: a GB sheet that meets an
        # electrode exchanges current with it along the meeting line
        target = face_node.copy()
        target[wall_low] = terminals[0]
        target[wall_high] = terminals[1]
        tj_lines = None
        if materials.triple_junction is not None and dim == 3:
            tj_lines = _triple_junction_lines(t, face_node, target, terminals)
        edges_sheet, factor_sheet, contact = _sheet_edges(
            t, face_node, target, neck, delta, skip=tj_lines
        )
        layer = contact > 0
        if if_phase >= 0 and layer.any():
            # a GB meeting a coated electrode reaches it through the interface layer too
            add(
                edges_sheet[layer, 0],
                edges_sheet[layer, 1],
                [GB, if_phase],
                [factor_sheet[layer], contact[layer] / materials.interface_thickness_m],
            )
            edges_sheet, factor_sheet = edges_sheet[~layer], factor_sheet[~layer]
        add(edges_sheet[:, 0], edges_sheet[:, 1], [GB], [factor_sheet])
        positions.append(t.face_centroid[f_int])
        kinds.append(np.ones(f_int.size, dtype=np.int64))
        if tj_lines is not None and tj_lines.any():
            tj_phase = phases.index(materials.triple_junction)
            extra_pos = _add_triple_junctions(
                t, face_node, target, neck, delta, tj_lines, terminals,
                materials.tj_radius_m, tj_phase, add,
            )  # fmt: skip

    terminals = (n_nodes, n_nodes + 1)
    for mask, terminal in ((wall_low, terminals[0]), (wall_high, terminals[1])):
        f_w = np.flatnonzero(mask)
        if f_w.size == 0:
            continue
        contact = area[f_w] / np.maximum(h[f_w, 0], 1e-300)
        if if_phase >= 0:
            layer = area[f_w] / materials.interface_thickness_m
            add(grain_id[i[f_w]], np.full(f_w.size, terminal), [GRAIN, if_phase], [contact, layer])
        else:
            add(grain_id[i[f_w]], np.full(f_w.size, terminal), [GRAIN], [contact])
    box = t.box
    centre = 0.5 * box
    low, high = centre.copy(), centre.copy()
    low[axis], high[axis] = 0.0, box[axis]
    positions.append(np.vstack([low, high]))
    kinds.append(np.full(2, 2, dtype=np.int64))
    if extra_pos is not None:  # triple-junction line and vertex nodes, after the terminals
        positions.append(extra_pos)
        kinds.append(np.full(extra_pos.shape[0], 3, dtype=np.int64))
    area_total = float(np.prod(np.delete(box, axis)))
    notes = []
    if crystal.is_pore.any():
        notes.append(f"{int(crystal.is_pore.sum())} pore cells conduct nothing")
    return TransportNetwork(
        node_position_m=np.vstack(positions),
        node_kind=np.concatenate(kinds),
        edges=np.vstack(edges).astype(np.int64),
        segment_phase=np.vstack(seg_phase),
        segment_factor_m=np.vstack(seg_factor),
        phases=phases,
        terminals=terminals,
        axis=axis,
        length_m=float(box[axis]),
        area_m2=area_total,
        notes=tuple(notes),
    )
