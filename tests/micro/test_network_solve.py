"""DC and AC solves of polycrystal networks against closed forms: the brick layer on a cubic
lattice (exact for collapsed GBs), the nested-cube cut bounds, Bruggeman-free pore limits, and
the two-arc brick-layer impedance."""

from __future__ import annotations

import numpy as np
import pytest

from ssblab.errors import MicrostructureError
from ssblab.micro import effective_medium as em
from ssblab.micro.build import Materials, build_network
from ssblab.micro.network import Phase, TransportNetwork
from ssblab.micro.solve import microstructure_spectrum, solve_ac, solve_dc
from ssblab.micro.structure import (
    Polycrystal,
    PolycrystalSpec,
    _scaled,
    build_polycrystal,
    equivalent_diameter,
)
from ssblab.micro.tessellation import tessellate

D = 2e-6  # grain size, m
DELTA = 2e-9  # GB thickness, m


def cubic_crystal(n: int, dim: int = 3, neck: float = 1.0) -> Polycrystal:
    g = np.arange(n) + 0.5
    sites = np.array(np.meshgrid(*([g] * dim), indexing="ij")).reshape(dim, -1).T
    t = _scaled(tessellate(sites, np.full(dim, float(n))), D)
    spec = PolycrystalSpec(n_grains=n**dim, mean_grain_size_m=D, dimension=dim)
    return Polycrystal(
        spec, t, np.zeros(n**dim, dtype=bool), np.full(t.face_area.size, neck),
        equivalent_diameter(t.volume, dim), 0,
    )  # fmt: skip


def materials(sigma_g, sigma_gb, eps_g=60.0, eps_gb=60.0):
    return Materials(
        Phase("grain", sigma_g, sigma_g * 1e-4, eps_g),
        Phase("gb", sigma_gb, sigma_gb * 1e-4, eps_gb),
        DELTA,
    )


def column_closed_form(n, sigma_g, sigma_gb):
    """N cubes of edge D in series per column (two half grains at the electrodes), N - 1 GBs;
    N² columns in parallel (collapsed GBs carry no current along them)."""
    area = D * D
    r_column = n * D / (sigma_g * area) + (n - 1) * DELTA / (sigma_gb * area)
    return (n * D) / ((r_column / n**2) * (n * D) ** 2)


@pytest.mark.parametrize("dim", [2, 3])
@pytest.mark.parametrize("ratio", [1e-3, 1.0, 10.0])
def test_cubic_lattice_equals_brick_layer_exactly(dim, ratio):
    n = 6
    sg = 0.046
    net = build_network(cubic_crystal(n, dim), materials(sg, sg * ratio), gb_network=False)
    dc = solve_dc(net, net.sigma_ion_at(298.15))
    if dim == 3:
        expected = column_closed_form(n, sg, sg * ratio)
    else:  # per metre of depth: columns of width D, N columns
        r_column = (n * D / sg + (n - 1) * DELTA / (sg * ratio)) / D
        expected = (n * D) / (r_column / n * (n * D))
    assert dc.sigma_eff_s_per_m == pytest.approx(expected, rel=1e-10)
    assert dc.contact_current_density_cv < 1e-9  # no focusing on a uniform lattice
    # and the brick-layer series formula in the limit of many grains
    series = em.brick_layer_sigma(sg, sg * ratio, D, DELTA, parallel_paths=False)
    assert dc.sigma_eff_s_per_m == pytest.approx(series, rel=(DELTA / D) / min(ratio, 1) / n + 1e-9)


@pytest.mark.parametrize("ratio", [1e-3, 1e3, 1e5])
def test_cubic_lattice_with_gb_sheet_is_the_nested_cube_cell(ratio):
    """With the in-plane GB sheet the lattice is Kidner et al.'s nested-cube geometry (2005)
    with a collapsed shell. For the finite N³ lattice the series–parallel cut is exact here:
    N² grain columns (N grains, N − 1 GBs) in parallel with 2(N − 1)·N sheet strips of
    thickness δ, width d, running the whole length (no sheets on the insulating side walls).
    Against the infinite-lattice cut bounds the only difference is the missing wall sheets,
    (N − 1)/N of the sheet term, and the half-GB at the electrodes."""
    n = 8
    sg, sgb = 0.046, 0.046 * ratio
    net = build_network(cubic_crystal(n), materials(sg, sgb), gb_network=True)
    sigma = solve_dc(net, net.sigma_ion_at(298.15)).sigma_eff_s_per_m
    columns = n * n / (n * D / (sg * D * D) + (n - 1) * DELTA / (sgb * D * D))
    sheets = 2 * (n - 1) * sgb * DELTA
    finite = (columns + sheets) * (n * D) / (n * D) ** 2
    assert sigma == pytest.approx(finite, rel=1e-6)
    low = em.nested_cube_sigma(sg, sgb, D, DELTA, cut="series_parallel")
    high = em.nested_cube_sigma(sg, sgb, D, DELTA, cut="parallel_series")
    assert high / low - 1 < 0.02  # the two cuts bracket the exact cell within 2 % here
    # the same lattice counted as the infinite cell: N GBs per column, 2N sheets per row
    infinite_columns = n * n / (n * D / (sg * D * D) + n * DELTA / (sgb * D * D))
    infinite = (infinite_columns + 2 * n * sgb * DELTA) * (n * D) / (n * D) ** 2
    assert low * (1 - 1e-3) <= infinite <= high * (1 + 1e-3)


def test_random_polycrystal_between_hashin_shtrikman_bounds():
    crystal = build_polycrystal(PolycrystalSpec(n_grains=1500, mean_grain_size_m=D, seed=3))
    sg, sgb = 0.046, 0.046 * 1e-3
    net = build_network(crystal, materials(sg, sgb), gb_network=True)
    sigma = solve_dc(net, net.sigma_ion_at(298.15)).sigma_eff_s_per_m
    # GB volume fraction of a collapsed sheet: S_V·δ with S_V the GB area per volume
    t = crystal.tessellation
    s_v = t.face_area[t.face_cells[:, 1] >= 0].sum() / np.prod(t.box)
    lo, hi = em.hashin_shtrikman_bounds(sg, sgb, s_v * DELTA)
    assert lo <= sigma <= hi
    # and the isotropic thin-GB estimate 1/σ = 1/σ_g + (S_V/3)·δ/σ_gb within 10 %
    estimate = 1 / (1 / sg + s_v / 3 * DELTA / sgb)
    assert sigma == pytest.approx(estimate, rel=0.1)


def test_pores_lower_sigma_and_a_pore_layer_blocks():
    sg = 0.046
    dense = build_polycrystal(PolycrystalSpec(n_grains=1200, mean_grain_size_m=D, seed=4))
    porous = build_polycrystal(
        PolycrystalSpec(n_grains=1200, mean_grain_size_m=D, relative_density=0.85, seed=4)
    )
    mat = materials(sg, sg)
    s_dense = solve_dc(build_network(dense, mat), np.array([sg, sg])).sigma_eff_s_per_m
    s_porous = solve_dc(build_network(porous, mat), np.array([sg, sg])).sigma_eff_s_per_m
    p = 1 - porous.relative_density
    assert s_porous < s_dense
    # grain-sized insulating cells: below the upper Hashin-Shtrikman bound and within 15 % of
    # symmetric Bruggeman (which treats pores and grains alike; measured -12 % here)
    assert s_porous < em.hashin_shtrikman_bounds(s_dense, 0.0, p)[1]
    assert s_porous == pytest.approx(em.bruggeman_porous_sigma(s_dense, p), rel=0.15)
    # a layer of pores across the sample blocks every path
    layer = dense.tessellation.sites[:, 0] < 5.0 * D
    layer &= dense.tessellation.sites[:, 0] > 1.0 * D
    blocked = Polycrystal(dense.spec, dense.tessellation, layer, dense.face_neck,
                          dense.grain_diameter_m, 0)  # fmt: skip
    result = solve_dc(build_network(blocked, mat), np.array([sg, sg]))
    assert result.sigma_eff_s_per_m == 0.0 and "percolate" in result.reason


def test_necks_add_holm_constriction():
    """A lattice with necks: each face adds two Holm constrictions ψ(√f)/(4σa)."""
    n, sg, f = 5, 0.046, 0.25
    crystal = cubic_crystal(n, neck=f)
    net = build_network(crystal, materials(sg, sg * 1e6), gb_network=False)
    sigma = solve_dc(net, net.sigma_ion_at(298.15)).sigma_eff_s_per_m
    a = np.sqrt(f * D * D / np.pi)
    r_c = (1 - np.sqrt(f)) ** 1.5 / (4 * sg * a)
    gb = DELTA / (sg * 1e6 * f * D * D)
    r_column = n * D / (sg * D * D) + (n - 1) * (2 * r_c + gb)
    expected = (n * D) / ((r_column / n**2) * (n * D) ** 2)
    assert sigma == pytest.approx(expected, rel=1e-10)


def test_ac_lattice_equals_two_arc_brick_layer():
    n = 6
    sg, sgb, eg, egb = 0.046, 0.046e-3, 60.0, 30.0
    net = build_network(cubic_crystal(n), materials(sg, sgb, eg, egb), gb_network=False)
    f = np.logspace(9, 0, 28)
    ac = solve_ac(net, net.sigma_ion_at(298.15), f)
    # closed form for the finite lattice: n grains (σ‖ε) and n−1 GBs (σ‖ε) in series
    w = 2 * np.pi * f
    eps0 = 8.8541878128e-12
    area = (n * D) ** 2
    z_grain = (n * D) / (area * (sg + 1j * w * eps0 * eg))
    z_gb = (n - 1) * DELTA / (area * (sgb + 1j * w * eps0 * egb))
    assert np.allclose(ac.impedance_ohm, z_grain + z_gb, rtol=1e-8)
    dc = solve_dc(net, net.sigma_ion_at(298.15))
    assert 1 / dc.current_a_per_v == pytest.approx(ac.impedance_ohm[-1].real, rel=1e-4)


def test_iterative_paths_agree_with_direct(monkeypatch):
    from ssblab.micro import solve

    crystal = build_polycrystal(PolycrystalSpec(n_grains=700, mean_grain_size_m=D, seed=9))
    net = build_network(crystal, materials(0.046, 0.046e-2), gb_network=False)
    sigma = net.sigma_ion_at(298.15)
    f = np.array([1e8, 1e5, 1.0])
    direct_dc = solve_dc(net, sigma)
    direct_ac = solve_ac(net, sigma, f)
    monkeypatch.setattr(solve, "DIRECT_LIMIT", 10)
    monkeypatch.setattr(solve, "AC_DIRECT_LIMIT", 10)
    amg_dc = solve_dc(net, sigma)
    amg_ac = solve_ac(net, sigma, f)
    assert amg_dc.solver == "amg-cg" and amg_ac.solver == "amg-bicgstab"
    assert amg_dc.sigma_eff_s_per_m == pytest.approx(direct_dc.sigma_eff_s_per_m, rel=1e-8)
    assert np.allclose(amg_ac.impedance_ohm, direct_ac.impedance_ohm, rtol=1e-7)


def test_spectrum_is_the_readers_structure_and_fits():
    from ssblab.impedance.fitting import fit

    net = build_network(cubic_crystal(5), materials(0.046, 0.046e-3), gb_network=False)
    spectrum = microstructure_spectrum(net, net.sigma_ion_at(298.15), np.logspace(9, 0, 45))
    assert spectrum.frequency_hz[0] > spectrum.frequency_hz[-1]
    result = fit("R0-p(R1,C1)-p(R2,C2)", spectrum.frequency_hz, spectrum.impedance_ohm)
    r_bulk = 5 * D / ((5 * D) ** 2 * 0.046)
    fitted = sorted([result.parameters[1], result.parameters[3]])
    assert min(fitted, key=lambda r: abs(r - r_bulk)) == pytest.approx(r_bulk, rel=1e-3)


def test_network_rejects_inconsistent_arrays():
    phases = (Phase("a", 1.0, 0.0, 10.0),)
    with pytest.raises(MicrostructureError, match="edges"):
        TransportNetwork(np.zeros((2, 3)), np.zeros(2, dtype=int), np.array([[0, 5]]),
                         np.zeros((1, 3), dtype=int), np.ones((1, 3)), phases, (0, 1), 0,
                         1.0, 1.0)  # fmt: skip
    with pytest.raises(MicrostructureError, match="phase"):
        Phase("bad", -1.0, 0.0, 10.0)
    with pytest.raises(MicrostructureError, match="frequency"):
        net = build_network(cubic_crystal(3), materials(0.046, 0.046))
        solve_ac(net, net.sigma_ion_at(298.15), [-1.0])


@pytest.mark.parametrize("sheet", [False, True])
def test_interface_layer_is_in_series_for_grains_and_gb_sheets(sheet):
    """A resistive layer on both electrodes (coated pellet): every path, GB sheets included,
    crosses it, so its resistance adds in series: R = R_lattice + 2 t/(σ_layer A)."""
    n, sg, t_layer, s_layer = 5, 0.046, 10e-9, 1e-7
    crystal = cubic_crystal(n)
    plain = materials(sg, sg * 1e4)
    coated = Materials(plain.grain, plain.gb, DELTA, interface=Phase("layer", s_layer, 0.0, 9.0),
                       interface_thickness_m=t_layer)  # fmt: skip
    g_plain = solve_dc(net := build_network(crystal, plain, gb_network=sheet),
                       net.sigma_ion_at(298.15)).current_a_per_v  # fmt: skip
    net_c = build_network(crystal, coated, gb_network=sheet)
    g_coated = solve_dc(net_c, net_c.sigma_ion_at(298.15)).current_a_per_v
    area = (n * D) ** 2
    expected = 1 / (1 / g_plain + 2 * t_layer / (s_layer * area))
    # the GB cross-section δ·L at the wall is counted with the grain faces' full area: O(δ/d)
    assert g_coated == pytest.approx(expected, rel=5 * DELTA / D)
