"""The voxel reference solver of ``benchmarks/voxel_reference.py`` against closed forms.

Every expected value is derived from the finite-volume model of that module's docstring:
face resistance per area r = h/(2σ_a) + h/(2σ_b) + [a ≠ b]/g, electrodes on the outer faces.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import voxel_reference as vr  # noqa: E402

H = 2e-7  # voxel edge, m


def test_uniform_structure_gives_sigma_exactly_in_2d_and_3d_along_every_axis():
    for shape in [(9, 7, 5), (11, 6)]:
        labels = np.zeros(shape, dtype=np.int32)
        for axis in range(len(shape)):
            for gap in (0.5, 1.0):
                res = vr.voxel_conductivity(
                    labels, 0.046, voxel_size_m=H, axis=axis, electrode_gap_voxels=gap
                )
                assert res.sigma_eff_s_per_m == pytest.approx(0.046, rel=1e-12)
                assert res.n_removed == 0 and res.reason is None


def test_grains_of_one_sigma_without_gb_resistance_are_uniform():
    labels = np.arange(6 * 5 * 4, dtype=np.int32).reshape(6, 5, 4) % 7
    res = vr.voxel_conductivity(labels, 1.3, voxel_size_m=H)
    assert res.sigma_eff_s_per_m == pytest.approx(1.3, rel=1e-9)


def test_slabs_normal_to_the_field_add_in_series_with_their_grain_boundaries():
    # slabs of t_i voxels and σ_i along x, GBs between them:
    # L/σ_eff = Σ t_i·h/σ_i + (n − 1)/g
    thickness = [3, 5, 2, 6]
    sigma = np.array([0.046, 0.01, 0.2, 0.03])
    g = 2.3e5
    labels = np.repeat(np.arange(4, dtype=np.int32), thickness)[:, None, None]
    labels = np.broadcast_to(labels, (sum(thickness), 4, 3)).copy()
    length = sum(thickness) * H
    expected = length / (sum(t * H / s for t, s in zip(thickness, sigma, strict=True)) + 3 / g)
    res = vr.voxel_conductivity(labels, sigma, voxel_size_m=H, gb_conductance_s_per_m2=g)
    assert res.sigma_eff_s_per_m == pytest.approx(expected, rel=1e-8)
    # the same stack along z
    res_z = vr.voxel_conductivity(
        np.moveaxis(labels, 0, 2), sigma, voxel_size_m=H, axis=2, gb_conductance_s_per_m2=g
    )
    assert res_z.sigma_eff_s_per_m == pytest.approx(expected, rel=1e-8)
    assert res.current_mismatch < 1e-8


def test_slabs_parallel_to_the_field_add_in_parallel_and_their_gbs_carry_no_current():
    # slabs of w_i voxels across y, all spanning x: σ_eff = Σ (w_i/W)·σ_i, whatever g is
    widths = [2, 4, 1, 3]
    sigma = np.array([0.046, 0.01, 0.2, 0.03])
    labels = np.repeat(np.arange(4, dtype=np.int32), widths)[None, :, None]
    labels = np.broadcast_to(labels, (8, sum(widths), 3)).copy()
    expected = sum(w * s for w, s in zip(widths, sigma, strict=True)) / sum(widths)
    for g in (None, 1e3, 2.3e5):
        res = vr.voxel_conductivity(labels, sigma, voxel_size_m=H, gb_conductance_s_per_m2=g)
        assert res.sigma_eff_s_per_m == pytest.approx(expected, rel=1e-8)


def test_cubic_array_of_cubic_grains_is_the_collapsed_gb_brick_layer():
    # n_g³ identical cubes of m voxels, GB conductance g per area. The potential depends on the
    # field coordinate only (every column is the same series line), so faces parallel to the
    # field carry no current and each column crosses n_g − 1 GBs in series:
    #   1/σ_eff = 1/σ + (n_g − 1)/(g·L),  L = n_g·m·h
    n_g, m, sigma, g = 4, 5, 0.046, 2.3e5
    idx = np.arange(n_g * m) // m
    labels = (
        idx[:, None, None] * n_g * n_g + idx[None, :, None] * n_g + idx[None, None, :]
    ).astype(np.int32)
    length = n_g * m * H
    expected = 1.0 / (1.0 / sigma + (n_g - 1) / (g * length))
    centres = (np.arange(n_g) + 0.5) * m * H
    sites = np.stack(np.meshgrid(centres, centres, centres, indexing="ij"), -1).reshape(-1, 3)
    for axis in range(3):
        for gb_sites in (None, sites):  # axis-aligned GBs: |n|₁ = |n|₂, no correction
            res = vr.voxel_conductivity(
                labels,
                sigma,
                voxel_size_m=H,
                axis=axis,
                gb_conductance_s_per_m2=g,
                gb_sites_m=gb_sites,
            )
            assert res.sigma_eff_s_per_m == pytest.approx(expected, rel=1e-6)


def _segment_in_box(offset, normal, box):
    """Length of the line normal·x = offset inside the 2-D box [0, Lx] × [0, Ly]."""
    tangent = np.array([-normal[1], normal[0]])
    point = offset * normal
    lo, hi = -np.inf, np.inf
    for k in range(2):
        if abs(tangent[k]) < 1e-15:
            if not 0 <= point[k] <= box[k]:
                return 0.0
            continue
        a, b = (0 - point[k]) / tangent[k], (box[k] - point[k]) / tangent[k]
        lo, hi = max(lo, min(a, b)), min(hi, max(a, b))
    return max(hi - lo, 0.0)


@pytest.mark.parametrize("angle_deg", [30.0, 17.0])
def test_oblique_gbs_need_the_orientation_correction(angle_deg):
    # Voronoi strips of sites p_k = c + k·s·n (n = (cos θ, sin θ)): their GBs are the lines
    # n·x = n·c + (k + ½)s. With σ ≫ g·s every strip is equipotential, the strips touching an
    # electrode take its potential and the others form a chain of interfaces in series:
    #   σ_eff = Lx / (Ly · Σ_k 1/(g·ℓ_k)),  ℓ_k = length of GB k inside the box,
    # summed over the GBs between the last strip touching x = 0 and the first touching x = Lx.
    # The literal face rule puts g on each staircase face, |n|₁ faces per unit GB length: it
    # over-conducts by |n|₁ = cos θ + sin θ; the corrected g·|n|₂/|n|₁ gives the closed form.
    theta = np.radians(angle_deg)
    normal = np.array([np.cos(theta), np.sin(theta)])
    shape = (160, 64)
    box = np.array(shape) * H
    spacing = 14.92 * H
    c = np.array([0.123, 0.377]) * H * 10
    sites = c + np.arange(-6, 20)[:, None] * spacing * normal
    labels = vr.voxel_labels(sites, box, shape)
    first = labels[0].min()
    last = labels[-1].max()  # strips touching the electrodes (labels grow along n)
    assert labels[0].max() < labels[-1].min(), "a strip would short the electrodes"
    chain = np.arange(labels[0].max(), labels[-1].min())  # GB j lies between sites j, j + 1
    gb_offsets = (sites[chain] + sites[chain + 1]) @ normal / 2
    lengths = np.array([_segment_in_box(b, normal, box) for b in gb_offsets])
    assert first >= 0 and last < len(sites) and np.all(lengths > 30 * H)
    # σ/(g·Lx) = 1e3: the bulk resistance along a strip, ~ℓ²/(σ·s), is < 1e-3 of 1/(g·ℓ)
    g = 2.3e5
    sigma = 1e3 * g * box[0]
    expected = box[0] / (box[1] * np.sum(1.0 / (g * lengths)))
    corrected = vr.voxel_conductivity(
        labels, sigma, voxel_size_m=H, gb_conductance_s_per_m2=g, gb_sites_m=sites
    )
    literal = vr.voxel_conductivity(labels, sigma, voxel_size_m=H, gb_conductance_s_per_m2=g)
    assert corrected.sigma_eff_s_per_m == pytest.approx(expected, rel=0.01)
    ratio = literal.sigma_eff_s_per_m / corrected.sigma_eff_s_per_m
    assert ratio == pytest.approx(np.cos(theta) + np.sin(theta), rel=0.01)


def _brute_force_labels(sites, box, shape, weights):
    axes = [(np.arange(n) + 0.5) * (length / n) for n, length in zip(shape, box, strict=True)]
    centres = np.stack(np.meshgrid(*axes, indexing="ij"), -1).reshape(-1, len(shape))
    power = ((centres[:, None, :] - sites[None]) ** 2).sum(-1) - weights[None]
    order = np.sort(power, axis=1)
    return np.argmin(power, axis=1).reshape(shape), (order[:, 1] - order[:, 0]).reshape(shape)


@pytest.mark.parametrize("dim", [2, 3])
@pytest.mark.parametrize("weighted", [False, True])
def test_voronoi_and_laguerre_labels_match_brute_force(dim, weighted):
    rng = np.random.default_rng(7 + dim)
    box = np.array([3.0, 2.0, 2.5][:dim]) * 1e-6
    shape = (30, 20, 25)[:dim]
    sites = rng.random((40, dim)) * box
    # weights of the order of the squared site spacing: many sites lose their cell entirely
    spacing2 = (np.prod(box) / len(sites)) ** (2 / dim)
    weights = rng.random(len(sites)) * spacing2 * 2 if weighted else np.zeros(len(sites))
    labels = vr.voxel_labels(sites, box, shape, weights if weighted else None)
    expected, gap = _brute_force_labels(sites, box, shape, weights)
    clear = gap > 1e-9 * spacing2  # no near-tie at this voxel centre
    assert clear.mean() > 0.999
    np.testing.assert_array_equal(labels[clear], expected[clear])
    if weighted:
        assert len(np.unique(labels)) < len(sites)  # the weights mattered


def test_labelling_handles_the_benchmark_grid_in_seconds():
    box = np.full(3, 10e-6)
    sites = vr.random_sites(1000, box, seed=3)
    labels = vr.voxel_labels(sites, box, (64, 64, 64), chunk_voxels=50_000)
    assert labels.shape == (64, 64, 64) and labels.dtype == np.int32
    assert len(np.unique(labels)) > 900


def test_a_pore_layer_across_the_sample_gives_zero_with_the_reason():
    labels = np.zeros((10, 6, 5), dtype=np.int32)
    labels[4] = 1  # pore layer normal to the field
    res = vr.voxel_conductivity(labels, 0.046, voxel_size_m=H, pore_labels=(1,))
    assert res.sigma_eff_s_per_m == 0.0
    assert res.reason == "no conducting path joins the two electrodes"
    assert res.n_removed == 9 * 6 * 5
    # a zero-σ label is a pore too; along y the same layer does not block
    sigma = np.array([0.046, 0.0])
    assert vr.voxel_conductivity(labels, sigma, voxel_size_m=H).sigma_eff_s_per_m == 0.0
    along_y = vr.voxel_conductivity(labels, 0.046, voxel_size_m=H, axis=1, pore_labels=(1,))
    assert along_y.sigma_eff_s_per_m == pytest.approx(0.046 * 9 / 10, rel=1e-9)


def test_islands_and_dead_ends_are_removed_and_carry_no_current():
    # conducting half y < 3 spans x; the other half is pore except an enclosed island and a
    # stub touching only the first electrode: σ_eff = σ·3/6, both removed
    labels = np.zeros((10, 6, 6), dtype=np.int32)
    labels[:, 3:] = 1  # pore
    labels[4:7, 4, 2:4] = 0  # island (6 voxels)
    labels[0:3, 5, 0:2] = 0  # stub on the first electrode (6 voxels)
    res = vr.voxel_conductivity(labels, 0.046, voxel_size_m=H, pore_labels=(1,))
    assert res.sigma_eff_s_per_m == pytest.approx(0.046 * 3 / 6, rel=1e-9)
    assert res.n_removed == 12
    assert res.n_unknowns == 10 * 3 * 6


def test_voxel_reference_solves_a_voronoi_structure_and_rejects_a_partial_voxel():
    box = np.full(3, 4e-6)
    sites = vr.random_sites(30, box, seed=1)
    out = vr.voxel_reference(sites, box, 4e-6 / 20, 0.046, gb_conductance_s_per_m2=2.3e5)
    assert out.voxels_per_side == (20, 20, 20)
    # GBs only lower σ, and at most by the all-in-series bound through the grains
    assert 0.8 * 0.046 < out.solve.sigma_eff_s_per_m < 0.046
    assert out.solve.current_mismatch < 1e-7
    with pytest.raises(ValueError, match="whole number"):
        vr.voxel_reference(sites, box, 4e-6 / 20.5, 0.046)


def test_richardson_recovers_order_and_limit_of_a_power_law():
    h = np.array([1 / 40, 1 / 60, 1 / 80])
    p, s0 = vr.richardson(h, 0.04 + 0.3 * h**1.3)
    assert p == pytest.approx(1.3, rel=1e-8)
    assert s0 == pytest.approx(0.04, rel=1e-10)
    assert np.isnan(vr.richardson(h, [0.04, 0.05, 0.04])[0])


def test_taufactor_agrees_on_porous_and_multiphase_structures():
    pytest.importorskip("taufactor", reason="TauFactor is in the bench extra only")
    n = 24
    solid = vr.porous_binary((n, n, n), porosity=0.3, correlation_voxels=1.5, seed=2)
    mine = vr.voxel_conductivity(solid, 0.046, voxel_size_m=H, pore_labels=(0,))
    tf = vr.taufactor_conductivity(solid, 0.046, pore_labels=(0,))
    assert tf.solver == "Solver" and tf.converged
    assert tf.sigma_eff_s_per_m == pytest.approx(mine.sigma_eff_s_per_m, rel=0.01)
    labels = vr.voxel_labels(vr.random_sites(20, np.full(3, 1.0), 4), np.full(3, 1.0), (n, n, n))
    phases = vr.resolved_gb_phases(labels)
    phases[solid == 0] = 0
    sigma = np.array([0.0, 0.046, 0.0046])
    mine = vr.voxel_conductivity(
        phases, sigma, voxel_size_m=H, pore_labels=(0,), electrode_gap_voxels=1.0
    )
    tf = vr.taufactor_conductivity(phases, sigma, pore_labels=(0,))
    assert tf.solver == "MultiPhase" and tf.converged
    assert tf.sigma_eff_s_per_m == pytest.approx(mine.sigma_eff_s_per_m, rel=0.01)
