"""Areas derived from a :class:`~ssblab.micro.network.TransportNetwork` for
:mod:`ssblab.micro.deposition`: edge cross-sections, per-node reaction (GB) areas, per-edge
electrode contact areas."""

from __future__ import annotations

import numpy as np

from ssblab.micro.network import TransportNetwork, series_combination

# --------------------------------------------------------------------------------------------
# geometry helpers (derived from the network; network.py itself is shared and not edited)


def edge_face_area_m2(network: TransportNetwork) -> np.ndarray:
    """Estimated cross-section of each edge, m² (2-D networks: m per metre of depth):
    ℓ_e × series geometric factor, ℓ_e the distance between the end-node positions."""
    a, b = network.edges[:, 0], network.edges[:, 1]
    length = np.linalg.norm(network.node_position_m[a] - network.node_position_m[b], axis=1)
    geom = series_combination(network.segment_factor_m, network.segment_phase >= 0)
    return length * geom


def default_reaction_area_m2(network: TransportNetwork) -> np.ndarray:
    """Per-node GB area, m²: half the summed face areas of the node's edges to other interior
    nodes (package docstring); 0 at the terminals."""
    terminal = np.zeros(network.n_nodes, dtype=bool)
    terminal[list(network.terminals)] = True
    area = edge_face_area_m2(network)
    interior_edge = ~(terminal[network.edges[:, 0]] | terminal[network.edges[:, 1]])
    out = np.zeros(network.n_nodes)
    np.add.at(out, network.edges[interior_edge, 0], 0.5 * area[interior_edge])
    np.add.at(out, network.edges[interior_edge, 1], 0.5 * area[interior_edge])
    out[terminal] = 0.0
    return out


def default_contact_area_m2(network: TransportNetwork) -> np.ndarray:
    """Per-edge contact area with its electrode, m² (0 on edges that touch no electrode): the
    electrode area split in proportion to geometric factor × axial node-to-electrode distance,
    equally if those are all 0. An edge between the two electrodes gets the sum of both."""
    out = np.zeros(network.n_edges)
    geom = series_combination(network.segment_factor_m, network.segment_phase >= 0)
    pos = network.node_position_m[:, network.axis]
    for t in network.terminals:
        on = np.flatnonzero((network.edges[:, 0] == t) | (network.edges[:, 1] == t))
        if on.size == 0:
            continue
        other = np.where(network.edges[on, 0] == t, network.edges[on, 1], network.edges[on, 0])
        weight = geom[on] * np.abs(pos[other] - pos[t])
        if not np.any(weight > 0):
            weight = np.ones(on.size)
        out[on] += network.area_m2 * weight / weight.sum()
    return out
