"""The steps the ``ssblab micro`` commands share: build the polycrystal (and its transport
network) under a progress bar, run a solver with its errors prefixed by what was being solved,
and the common head of every command's payload (structure, material, network).

numpy and ``ssblab.micro`` load inside the functions, not at import.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def build_crystal(spec, bar):
    """The polycrystal of ``spec``, with the progress bar saying so."""
    from ssblab.micro.structure import build_polycrystal

    bar.update(description=f"building a {spec.dimension}-D polycrystal of {spec.n_grains} cells")
    return build_polycrystal(spec)


def build_crystal_and_network(spec, materials, bar, **options):
    """The polycrystal of ``spec`` and its transport network (``options`` go to
    :func:`~ssblab.micro.build.build_network`)."""
    from ssblab.micro.build import build_network

    crystal = build_crystal(spec, bar)
    bar.update(description="building the transport network")
    return crystal, build_network(crystal, materials, **options)


@contextmanager
def solving(context: str) -> Iterator[None]:
    """Run a solve with floating-point warnings off (trial Newton states may overflow; the
    solvers check their results) and the option in front of a solver's error message."""
    import numpy as np

    from ssblab.errors import MicrostructureError

    try:
        with np.errstate(all="ignore"):
            yield
    except MicrostructureError as exc:
        raise MicrostructureError(f"{context}: {' '.join(str(exc).split())}") from None


def network_info(network) -> dict:
    return {
        "nodes": network.n_nodes,
        "edges": network.n_edges,
        "gb_face_nodes": int((network.node_kind == 1).sum()),
        "gb_network": bool((network.node_kind == 1).any()),
        "electrode_separation_m": network.length_m,
        "electrode_area_m2": network.area_m2,
        "notes": list(network.notes),
    }


def base_payload(crystal, network, material: str, description: str, **extra) -> dict[str, Any]:
    """The head of a command's payload: structure summary, material, ``extra`` (in order), then
    the network's numbers and notes."""
    return {
        "structure": crystal.summary(),
        "material": material,
        "material_description": description,
        **extra,
        "network": network_info(network),
    }
