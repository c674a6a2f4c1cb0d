"""Diagonal conductivity tensor: a lattice of elongated grains against the brick layer per
axis, and the sampling anisotropy of an isotropic Voronoi structure."""

import numpy as np
import pytest

from ssblab.micro.build import Materials
from ssblab.micro.network import Phase
from ssblab.micro.structure import (
    Polycrystal,
    PolycrystalSpec,
    _scaled,
    build_polycrystal,
    equivalent_diameter,
)
from ssblab.micro.tensor import conductivity_tensor
from ssblab.micro.tessellation import tessellate

DELTA = 2e-9


def test_elongated_lattice_matches_the_brick_layer_along_each_axis():
    """Grains a × b × b (a = 2b): along x a column of N grains crosses N−1 GBs per N·a, along
    y and z per N·b; collapsed GBs parallel to the field carry nothing."""
    n, b = 4, 1e-6
    a = 2 * b
    g = np.arange(n) + 0.5
    sites = np.array(np.meshgrid(g * 2, g, g, indexing="ij")).reshape(3, -1).T
    t = _scaled(tessellate(sites, np.array([2.0 * n, n, n])), b)
    spec = PolycrystalSpec(n_grains=n**3, mean_grain_size_m=b)
    crystal = Polycrystal(spec, t, np.zeros(n**3, bool), np.ones(t.face_area.size),
                          equivalent_diameter(t.volume, 3), 0)  # fmt: skip
    sg, sgb = 0.046, 0.046e-3
    mat = Materials(Phase("g", sg, 0.0, 60), Phase("gb", sgb, 0.0, 60), DELTA)
    tensor = conductivity_tensor(crystal, mat, gb_network=False)

    def column(length):  # N grains of ``length`` in series with N−1 GBs, per unit area
        return n * length / (n * length / sg + (n - 1) * DELTA / sgb)

    assert tensor.diagonal_s_per_m[0] == pytest.approx(column(a), rel=1e-9)
    assert tensor.diagonal_s_per_m[1] == pytest.approx(column(b), rel=1e-9)
    assert tensor.diagonal_s_per_m[2] == pytest.approx(column(b), rel=1e-9)
    assert tensor.anisotropy > 0.3


def test_voronoi_structure_is_isotropic_within_its_sampling_spread():
    crystal = build_polycrystal(PolycrystalSpec(n_grains=2000, mean_grain_size_m=2e-6, seed=4))
    mat = Materials(Phase("g", 0.046, 0.0, 60), Phase("gb", 0.046e-3, 0.0, 60), DELTA)
    tensor = conductivity_tensor(crystal, mat, gb_network=False)
    assert tensor.anisotropy < 0.05
    assert all(not r for r in tensor.reasons)
