"""Closed forms of ssblab.micro.effective_medium against hand formulas, limits and bounds."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssblab.errors import MicrostructureError
from ssblab.micro import effective_medium as em

EPS0 = 8.8541878128e-12


def _series_by_hand(sg, sb, d, delta):
    return 1.0 / (1.0 / sg + (delta / d) / sb)


def _shell_by_hand(sg, sb, d, delta):
    big = d + delta
    column = d * d / (d / sg + delta / sb)
    walls = sb * (big * big - d * d) / big
    return (column + walls) / big


def _slabs_by_hand(sg, sb, d, delta):
    big = d + delta
    mixed = (sg * d * d + sb * (big * big - d * d)) / (big * big)
    return big / (delta / sb + d / mixed)


# ---------------------------------------------------------------------------- brick layer


@pytest.mark.parametrize(
    ("sg", "sb", "d", "delta"),
    [(0.3, 0.003, 1e-6, 2e-9), (0.1, 1e-6, 5e-6, 1e-9), (1e-3, 0.5, 2e-7, 5e-9)],
)
def test_brick_layer_matches_the_printed_forms(sg, sb, d, delta):
    series = em.brick_layer_sigma(sg, sb, d, delta, parallel_paths=False)
    assert series == pytest.approx(_series_by_hand(sg, sb, d, delta), rel=1e-12)
    shell = em.brick_layer_sigma(sg, sb, d, delta)
    assert shell == pytest.approx(_shell_by_hand(sg, sb, d, delta), rel=1e-12)
    assert isinstance(series, float) and isinstance(shell, float)


def test_brick_layer_limits():
    sg, sb, d = 0.25, 2.5e-3, 3e-6
    for parallel in (False, True):
        assert em.brick_layer_sigma(sg, sb, d, 0.0, parallel_paths=parallel) == pytest.approx(sg)
        tiny = em.brick_layer_sigma(sg, sb, d, 1e-15, parallel_paths=parallel)
        assert tiny == pytest.approx(sg, rel=1e-6)  # δ → 0
        assert em.brick_layer_sigma(sg, 0.0, d, 1e-9, parallel_paths=parallel) == 0.0
    # σ_gb = σ_g: the shell form is exact, the thin-GB series form is σ_g/(1 + δ/d)
    delta = 0.1 * d
    assert em.brick_layer_sigma(sg, sg, d, delta) == pytest.approx(sg, rel=1e-12)
    series = em.brick_layer_sigma(sg, sg, d, delta, parallel_paths=False)
    assert series == pytest.approx(sg / 1.1, rel=1e-12)
    # insulating grains: only the GB walls conduct, σ_gb·(1 − (d/D)²)
    walls = em.brick_layer_sigma(0.0, sb, d, delta)
    assert walls == pytest.approx(sb * (1.0 - (1.0 / 1.1) ** 2), rel=1e-12)


def test_shell_form_to_first_order_adds_the_parallel_gb_path():
    # σ_sp = σ_series(1 − δ/d) + 2(δ/d)σ_gb + O((δ/d)²)  (Haile, West & Campbell 1998)
    sg, sb, d = 0.1, 0.05, 1e-6
    for x in (1e-3, 1e-4):
        delta = x * d
        series = _series_by_hand(sg, sb, d, delta)
        first_order = series * (1 - x) + 2 * x * sb
        shell = em.brick_layer_sigma(sg, sb, d, delta)
        assert abs(shell - first_order) / sg < 10 * x * x


def test_brick_layer_broadcasts():
    sizes = np.array([1e-6, 2e-6, 5e-6, 10e-6])
    out = em.brick_layer_sigma(0.3, 3e-3, sizes, 2e-9)
    assert isinstance(out, np.ndarray) and out.shape == (4,)
    assert np.all(np.diff(out) > 0)  # bigger grains, fewer GBs
    expected = [_shell_by_hand(0.3, 3e-3, d, 2e-9) for d in sizes]
    np.testing.assert_allclose(out, expected, rtol=1e-12)


# ---------------------------------------------------------------------------- impedance

PELLET = dict(
    sigma_grain_s_per_m=0.05,
    eps_r_grain=60.0,
    sigma_gb_s_per_m=5e-7,
    eps_r_gb=60.0,
    grain_size_m=2e-6,
    gb_thickness_m=2e-9,
    length_m=1e-3,
    area_m2=1e-4,
)


def test_arc_elements_are_the_series_blm():
    arcs = em.brick_layer_arcs(**PELLET)
    length, area, x = 1e-3, 1e-4, 2e-9 / 2e-6
    assert arcs.r_bulk_ohm == pytest.approx(length / (0.05 * area))
    assert arcs.c_bulk_f == pytest.approx(EPS0 * 60 * area / length)
    assert arcs.r_gb_ohm == pytest.approx(x * length / (5e-7 * area))
    assert arcs.c_gb_f == pytest.approx(EPS0 * 60 * area / (x * length))
    assert arcs.gb_to_bulk_resistance == pytest.approx(x * 0.05 / 5e-7)


def test_peak_frequencies_are_material_constants():
    f_gb = em.gb_arc_peak_frequency_hz(5e-7, 60.0)
    f_b = em.bulk_arc_peak_frequency_hz(0.05, 60.0)
    assert f_gb == pytest.approx(5e-7 / (2 * math.pi * EPS0 * 60))
    assert f_b == pytest.approx(0.05 / (2 * math.pi * EPS0 * 60))
    for d, delta, length, area in ((2e-6, 2e-9, 1e-3, 1e-4), (50e-9, 1e-9, 3e-7, 1e-5)):
        arcs = em.brick_layer_arcs(
            **{**PELLET, "grain_size_m": d, "gb_thickness_m": delta}
            | {"length_m": length, "area_m2": area}
        )
        assert arcs.gb_peak_hz == pytest.approx(f_gb, rel=1e-12)
        assert arcs.bulk_peak_hz == pytest.approx(f_b, rel=1e-12)


def test_impedance_has_two_arcs_with_the_stated_diameters_and_peaks():
    arcs = em.brick_layer_arcs(**PELLET)
    f_gb, f_b = arcs.gb_peak_hz, arcs.bulk_peak_hz
    assert f_b / f_gb > 1e4  # well separated
    freq = np.logspace(-3, 10, 13001)  # 1000 points per decade
    z = em.brick_layer_impedance(freq, **PELLET)
    assert z[0].real == pytest.approx(arcs.r_bulk_ohm + arcs.r_gb_ohm, rel=1e-6)  # DC
    assert abs(z[-1]) < 1e-2 * arcs.r_bulk_ohm  # capacitive short at high f
    middle = np.sqrt(f_gb * f_b)  # between the arcs: Z ≈ R_b
    z_mid = em.brick_layer_impedance(middle, **PELLET)
    assert z_mid.real == pytest.approx(arcs.r_bulk_ohm, rel=0.02)
    bands = ((1e-3, middle, arcs.r_gb_ohm, f_gb), (middle, 1e10, arcs.r_bulk_ohm, f_b))
    for lo, hi, r, f_peak in bands:
        band = (freq > lo) & (freq < hi)
        k = np.argmax(-z[band].imag)
        assert freq[band][k] == pytest.approx(f_peak, rel=0.01)
        assert -z[band][k].imag == pytest.approx(r / 2, rel=0.01)  # apex = radius


def test_impedance_is_l_over_a_sigma_star_of_the_series_blm():
    freq = np.array([1e-2, 1.0, 1e3, 1e6, 1e8])
    z = em.brick_layer_impedance(freq, **PELLET)
    sg = em.complex_conductivity(0.05, 60.0, freq)
    sb = em.complex_conductivity(5e-7, 60.0, freq)
    sigma_star = em.brick_layer_sigma(sg, sb, 2e-6, 2e-9, parallel_paths=False)
    np.testing.assert_allclose(z, 1e-3 / (1e-4 * sigma_star), rtol=1e-10)
    # DC: L/(A σ_series)
    dc = em.brick_layer_sigma(0.05, 5e-7, 2e-6, 2e-9, parallel_paths=False)
    assert em.brick_layer_impedance(0.0, **PELLET) == pytest.approx(1e-3 / (1e-4 * dc))


# ---------------------------------------------------------------------------- nested cubes


def _finite_volume_cell(sg: float, sb: float, n_cell: int, n_core: int) -> float:
    """σ of the nested-cube cell by a pixel finite-volume solve (Kidner et al.'s NCM).

    n_cell³ pixels, a centred core of n_core³ pixels; potential 1 on the bottom face, 0 on the
    top; the side faces carry no current (mirror symmetry). Face conductances are harmonic
    means; the electrode links are half a pixel.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.linalg import spsolve

    n = n_cell
    lo = (n - n_core) // 2
    sigma = np.full((n, n, n), sb)
    sigma[lo : lo + n_core, lo : lo + n_core, lo : lo + n_core] = sg
    index = np.arange(n**3).reshape(n, n, n)
    rows, cols, vals = [], [], []
    diag = np.zeros(n**3)
    rhs = np.zeros(n**3)
    for axis in range(3):
        a = [slice(None)] * 3
        b = [slice(None)] * 3
        a[axis], b[axis] = slice(0, n - 1), slice(1, n)
        s1, s2 = sigma[tuple(a)], sigma[tuple(b)]
        g = 2 * s1 * s2 / (s1 + s2)
        i, j = index[tuple(a)].ravel(), index[tuple(b)].ravel()
        rows += [i, j]
        cols += [j, i]
        vals += [-g.ravel(), -g.ravel()]
        np.add.at(diag, i, g.ravel())
        np.add.at(diag, j, g.ravel())
    bottom, top = index[:, :, 0].ravel(), index[:, :, -1].ravel()
    g_bottom, g_top = 2 * sigma[:, :, 0].ravel(), 2 * sigma[:, :, -1].ravel()
    diag[bottom] += g_bottom
    diag[top] += g_top
    rhs[bottom] += g_bottom * 1.0
    rows.append(np.arange(n**3))
    cols.append(np.arange(n**3))
    vals.append(diag)
    matrix = coo_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols)))
    ).tocsr()
    potential = spsolve(matrix, rhs)
    current = np.sum(g_bottom * (1.0 - potential[bottom]))
    return current * n / n**2  # σ = I·L/(ΔV·A), pixel size 1


@pytest.mark.parametrize("ratio", [1e-2, 1.0, 1e2])
def test_cut_bounds_bracket_a_finite_volume_nested_cube(ratio):
    sg, n_cell, n_core = 1.0, 20, 14
    sb = sg * ratio
    d, delta = float(n_core), float(n_cell - n_core)
    solved = _finite_volume_cell(sg, sb, n_cell, n_core)
    lower = em.nested_cube_sigma(sg, sb, d, delta, cut="series_parallel")
    upper = em.nested_cube_sigma(sg, sb, d, delta, cut="parallel_series")
    assert lower <= solved * (1 + 1e-9) and solved <= upper * (1 + 1e-9)
    if ratio == 1.0:
        assert lower == pytest.approx(1.0) and upper == pytest.approx(1.0)
        assert solved == pytest.approx(1.0)
    # Kidner et al. (2005): the nested cubes agree closely with Maxwell–Wagner (coated spheres)
    mw = em.coated_sphere_sigma(sg, sb, em.grain_volume_fraction(d, delta))
    assert mw == pytest.approx(solved, rel=0.15)


def test_nested_cube_limits_and_identity_with_brick_layer():
    sg, sb = 0.2, 2e-4
    for cut in em.NESTED_CUBE_CUTS:
        assert em.nested_cube_sigma(sg, sb, 1e-6, 0.0, cut=cut) == pytest.approx(sg)
        assert em.nested_cube_sigma(sg, sg, 1e-6, 3e-7, cut=cut) == pytest.approx(sg)
        assert em.nested_cube_sigma(sg, sb, 1e-15, 1e-6, cut=cut) == pytest.approx(sb, rel=1e-6)
    upper = em.nested_cube_sigma(sg, sb, 1e-6, 3e-9, cut="parallel_series")
    assert upper == pytest.approx(_slabs_by_hand(sg, sb, 1e-6, 3e-9), rel=1e-12)
    lower = em.nested_cube_sigma(sg, sb, 1e-6, 3e-9)
    assert lower == em.brick_layer_sigma(sg, sb, 1e-6, 3e-9)


def test_complex_versions_reduce_to_dc():
    kw = dict(
        sigma_grain_s_per_m=0.1,
        eps_r_grain=40.0,
        sigma_gb_s_per_m=1e-5,
        eps_r_gb=40.0,
        grain_size_m=1e-6,
        gb_thickness_m=2e-9,
    )
    for cut in em.NESTED_CUBE_CUTS:
        dc = em.nested_cube_sigma(0.1, 1e-5, 1e-6, 2e-9, cut=cut)
        at_zero = em.nested_cube_sigma_ac(0.0, cut=cut, **kw)
        assert at_zero == pytest.approx(dc, rel=1e-12) and at_zero.imag == 0.0
        slow = em.nested_cube_sigma_ac(1e-6, cut=cut, **kw)
        assert slow.real == pytest.approx(dc, rel=1e-6)
        assert 0 < slow.imag < 1e-3 * dc
    mw_dc = em.coated_sphere_sigma(0.1, 1e-5, 0.9)
    sg = em.complex_conductivity(0.1, 40.0, 1e-6)
    sb = em.complex_conductivity(1e-5, 40.0, 1e-6)
    assert em.coated_sphere_sigma(sg, sb, 0.9).real == pytest.approx(mw_dc, rel=1e-6)
    # high frequency: the cut of the permittivities times jωε₀
    f = 1e15
    fast = em.nested_cube_sigma_ac(f, **kw)
    eps_eff = em.nested_cube_sigma(40.0, 40.0, 1e-6, 2e-9)
    assert fast.imag == pytest.approx(2 * math.pi * f * EPS0 * eps_eff, rel=1e-6)


# ---------------------------------------------------------------------------- coated spheres, HS


def _hs_by_hand(s_lo, s_hi, f_hi):
    """Hashin–Shtrikman (1962) as printed, σ_lo < σ_hi."""
    f_lo = 1 - f_hi
    lower = s_lo + f_hi / (1 / (s_hi - s_lo) + f_lo / (3 * s_lo))
    upper = s_hi + f_lo / (1 / (s_lo - s_hi) + f_hi / (3 * s_hi))
    return lower, upper


def test_coated_sphere_is_the_hs_bound_of_its_shell():
    s_lo, s_hi, f_hi = 1e-3, 0.4, 0.7
    lower, upper = _hs_by_hand(s_lo, s_hi, f_hi)
    assert em.coated_sphere_sigma(s_hi, s_lo, f_hi) == pytest.approx(lower, rel=1e-12)
    assert em.coated_sphere_sigma(s_lo, s_hi, 1 - f_hi) == pytest.approx(upper, rel=1e-12)
    assert em.hashin_shtrikman_bounds(s_lo, s_hi, f_hi) == pytest.approx((lower, upper))
    assert em.hashin_shtrikman_bounds(s_hi, s_lo, 1 - f_hi) == pytest.approx((lower, upper))
    assert em.coated_sphere_sigma(0.3, 0.01, 1.0) == pytest.approx(0.3)
    assert em.coated_sphere_sigma(0.3, 0.01, 0.0) == pytest.approx(0.01)
    assert em.coated_sphere_sigma(0.3, 0.0, 1.0) == pytest.approx(0.3)
    assert em.coated_sphere_sigma(0.3, 0.0, 0.9) == 0.0  # insulating shells block everything


sigmas = st.floats(min_value=1e-8, max_value=1e2)
fractions = st.floats(min_value=0.0, max_value=1.0)


@settings(max_examples=300, deadline=None)
@given(s1=sigmas, s2=sigmas, f2=fractions)
def test_bounds_bracket_coated_spheres_and_bruggeman(s1, s2, f2):
    lower, upper = em.hashin_shtrikman_bounds(s1, s2, f2)
    tol = 1e-9 * max(s1, s2)
    assert lower <= upper + tol
    # Wiener bounds outside HS
    harmonic = 1.0 / ((1 - f2) / s1 + f2 / s2)
    arithmetic = (1 - f2) * s1 + f2 * s2
    assert harmonic <= lower + tol and upper <= arithmetic + tol
    for value in (
        em.coated_sphere_sigma(s2, s1, f2),  # phase 2 cores in phase-1 shells
        em.coated_sphere_sigma(s1, s2, 1 - f2),
        em.bruggeman_sigma(s1, s2, f2),
    ):
        assert lower - tol <= value <= upper + tol


@settings(max_examples=200, deadline=None)
@given(
    sg=sigmas,
    sb=sigmas,
    d=st.floats(min_value=1e-9, max_value=1e-4),
    delta=st.floats(min_value=0.0, max_value=1e-6),
)
def test_cut_ordering(sg, sb, d, delta):
    lower = em.nested_cube_sigma(sg, sb, d, delta, cut="series_parallel")
    upper = em.nested_cube_sigma(sg, sb, d, delta, cut="parallel_series")
    assert lower <= upper * (1 + 1e-9)
    assert min(sg, sb) * (1 - 1e-9) <= lower and upper <= max(sg, sb) * (1 + 1e-9)


# ---------------------------------------------------------------------------- porosity


def test_bruggeman_porous():
    sigma = 4.6e-2
    assert em.bruggeman_porous_sigma(sigma, 0.0) == sigma
    p = np.linspace(0, 1, 101)
    values = em.bruggeman_porous_sigma(sigma, p)
    assert np.all(np.diff(values) <= 0)
    assert np.all(values[p >= 2 / 3] == 0) and np.all(values[p < 2 / 3 - 1e-9] > 0)
    np.testing.assert_allclose(values, sigma * np.clip(1 - 1.5 * p, 0, None), atol=1e-15)
    np.testing.assert_allclose(values, em.bruggeman_sigma(sigma, 0.0, p), atol=1e-15)
    assert abs(em.BRUGGEMAN_POROSITY_THRESHOLD - 2 / 3) < 1e-15


def test_bruggeman_solves_its_equation():
    s1, s2, f2 = 0.2, 3e-4, 0.35
    s = em.bruggeman_sigma(s1, s2, f2)
    residual = (1 - f2) * (s1 - s) / (s1 + 2 * s) + f2 * (s2 - s) / (s2 + 2 * s)
    assert abs(residual) < 1e-12
    assert em.bruggeman_sigma(s1, s2, f2) == pytest.approx(em.bruggeman_sigma(s2, s1, 1 - f2))


def test_differential_porous_is_archie_three_halves():
    sigma = 1e-1
    p = np.linspace(0, 1, 51)
    values = em.differential_porous_sigma(sigma, p)
    np.testing.assert_allclose(values, sigma * (1 - p) ** 1.5)
    assert values[-1] == 0 and np.all(values[:-1] > 0)  # no threshold below p = 1
    assert np.all(values >= em.bruggeman_porous_sigma(sigma, p))


# ---------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: em.brick_layer_sigma(-1.0, 1.0, 1e-6, 1e-9), "sigma_grain_s_per_m"),
        (lambda: em.brick_layer_sigma(1.0, np.nan, 1e-6, 1e-9), "sigma_gb_s_per_m"),
        (lambda: em.brick_layer_sigma(1.0, 1.0, 0.0, 1e-9), "grain_size_m"),
        (lambda: em.brick_layer_sigma(1.0, 1.0, 1e-6, -1e-9), "gb_thickness_m"),
        (lambda: em.brick_layer_sigma(1.0, 1.0, 1e-6, 1e-9, parallel_paths=2), "parallel_paths"),
        (lambda: em.nested_cube_sigma(1.0, 1.0, 1e-6, 1e-9, cut="x"), "cut"),
        (lambda: em.gb_arc_peak_frequency_hz(1.0, 0.0), "eps_r_gb"),
        (lambda: em.brick_layer_impedance(-1.0, **PELLET), "frequency_hz"),
        (lambda: em.brick_layer_impedance(1.0, **{**PELLET, "area_m2": 0}), "area_m2"),
        (lambda: em.brick_layer_impedance(1.0, **{**PELLET, "length_m": -1}), "length_m"),
        (lambda: em.brick_layer_arcs(**{**PELLET, "sigma_gb_s_per_m": 0}), "sigma_gb_s_per_m"),
        (lambda: em.bruggeman_porous_sigma(1.0, 1.2), "porosity"),
        (lambda: em.differential_porous_sigma(1.0, -0.1), "porosity"),
        (lambda: em.coated_sphere_sigma(1.0, 1.0, 2.0), "core_fraction"),
        (lambda: em.hashin_shtrikman_bounds(1.0 + 1j, 1.0, 0.5), "sigma_1_s_per_m"),
        (lambda: em.coated_sphere_sigma(-1j, 1.0, 0.5), "sigma_core_s_per_m"),
        (lambda: em.brick_layer_sigma("a", 1.0, 1e-6, 1e-9), "sigma_grain_s_per_m"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(MicrostructureError, match=name) as info:
        call()
    assert "\n" not in str(info.value)
