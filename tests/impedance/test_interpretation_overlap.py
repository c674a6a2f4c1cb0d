"""A thin-GB arc whose capacitance lies where the grain-boundary and surface-layer bands
overlap: the interpretation says so and gives σ_total both ways (brick-layer closed form)."""

import numpy as np
import pytest

from ssblab.impedance.fitting import fit
from ssblab.impedance.interpretation import Geometry, interpret
from ssblab.micro import effective_medium as em


def test_overlap_band_arc_is_flagged_with_the_grain_boundary_reading():
    f = np.logspace(9, -1, 81)
    length, area = 5e-4, 1.131e-4
    z = em.brick_layer_impedance(
        f, sigma_grain_s_per_m=0.046, eps_r_grain=60, sigma_gb_s_per_m=0.046 * 2e-9 / 5e-6,
        eps_r_gb=60, grain_size_m=5e-6, gb_thickness_m=2e-9, length_m=length, area_m2=area,
    )  # fmt: skip
    result = fit("R0-p(R1,CPE1)-p(R2,CPE2)", f, z)
    it = interpret(result, Geometry(length, area), frequency_hz=f, impedance_ohm=z)
    assert [a.assignment for a in it.arcs] == ["bulk", "surface_layer"]
    (warning,) = it.warnings
    true_total = length / (area * z[-1].real)  # S/m
    assert f"{true_total / 100:.3g} S/cm" in warning and "0.0004" in warning


def test_no_overlap_warning_for_a_thick_grain_boundary():
    f = np.logspace(9, -1, 81)
    z = em.brick_layer_impedance(
        f, sigma_grain_s_per_m=0.046, eps_r_grain=60, sigma_gb_s_per_m=0.046 * 50e-9 / 5e-6,
        eps_r_gb=60, grain_size_m=5e-6, gb_thickness_m=50e-9, length_m=5e-4, area_m2=1.131e-4,
    )  # fmt: skip
    result = fit("R0-p(R1,CPE1)-p(R2,CPE2)", f, z)
    it = interpret(result, Geometry(5e-4, 1.131e-4), frequency_hz=f, impedance_ohm=z)
    assert [a.assignment for a in it.arcs] == ["bulk", "grain_boundary"]
    assert not it.warnings
    assert it.sigma_total_S_m == pytest.approx(5e-4 / (1.131e-4 * z[-1].real), rel=1e-3)
