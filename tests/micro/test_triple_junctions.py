"""Triple-junction tubes: on a cubic lattice the lines along the field are straight tubes from
electrode to electrode, so they add exactly (N−1)² · σ_TJ·π r²/(N d) in parallel."""

import numpy as np
import pytest

from ssblab.errors import MicrostructureError
from ssblab.micro.build import Materials, build_network
from ssblab.micro.network import Phase
from ssblab.micro.solve import solve_dc
from ssblab.micro.structure import (
    Polycrystal,
    PolycrystalSpec,
    _scaled,
    build_polycrystal,
    equivalent_diameter,
)
from ssblab.micro.tessellation import tessellate

D, DELTA, RADIUS = 1e-6, 2e-9, 5e-9


def lattice(n):
    g = np.arange(n) + 0.5
    sites = np.array(np.meshgrid(g, g, g, indexing="ij")).reshape(3, -1).T
    t = _scaled(tessellate(sites, np.full(3, float(n))), D)
    spec = PolycrystalSpec(n_grains=n**3, mean_grain_size_m=D)
    return Polycrystal(spec, t, np.zeros(n**3, bool), np.ones(t.face_area.size),
                       equivalent_diameter(t.volume, 3), 0)  # fmt: skip


def materials(sigma_tj=None):
    grain, gb = Phase("g", 0.046, 0.0, 60), Phase("gb", 0.046e-2, 0.0, 60)
    if sigma_tj is None:
        return Materials(grain, gb, DELTA)
    return Materials(grain, gb, DELTA, triple_junction=Phase("Li-Al-O TJ", sigma_tj, 0.0, 9),
                     tj_radius_m=RADIUS)  # fmt: skip


@pytest.mark.parametrize("sigma_tj", [1e2, 1e4])
def test_tubes_along_the_field_add_their_closed_form(sigma_tj):
    n = 4
    crystal = lattice(n)
    plain = build_network(crystal, materials(), gb_network=True)
    tubes = build_network(crystal, materials(sigma_tj), gb_network=True)
    assert np.sum(tubes.node_kind == 3) > 0
    g_plain = solve_dc(plain, plain.sigma_ion_at(298.15)).current_a_per_v
    g_tubes = solve_dc(tubes, tubes.sigma_ion_at(298.15)).current_a_per_v
    expected = (n - 1) ** 2 * sigma_tj * np.pi * RADIUS**2 / (n * D)
    assert g_tubes - g_plain == pytest.approx(expected, rel=1e-6)


def test_tubes_matching_the_gb_change_little_and_random_structures_solve():
    crystal = build_polycrystal(PolycrystalSpec(n_grains=300, mean_grain_size_m=D, seed=2))
    plain = build_network(crystal, materials(), gb_network=True)
    tubes = build_network(crystal, materials(0.046e-2), gb_network=True)
    s0 = solve_dc(plain, plain.sigma_ion_at(298.15)).sigma_eff_s_per_m
    s1 = solve_dc(tubes, tubes.sigma_ion_at(298.15)).sigma_eff_s_per_m
    assert s0 <= s1 < s0 * 1.01  # a 5 nm tube of GB conductivity adds almost nothing


def test_a_tj_phase_needs_a_radius():
    with pytest.raises(MicrostructureError, match="tj_radius_m"):
        Materials(Phase("g", 1.0, 0.0, 9), Phase("gb", 1.0, 0.0, 9), DELTA,
                  triple_junction=Phase("tj", 1.0, 0.0, 9))  # fmt: skip
