"""Raj–Wolfenstine nucleation and growth (seed 003 Eqs. 3–5) and t = L²/D (seed 001)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssblab.errors import SsblabInputError
from ssblab.models.dendrite import (
    ELEMENTARY_CHARGE_C,
    LI_ATOMIC_VOLUME_M3,
    LI_MOLAR_VOLUME_M3_MOL,
    critical_current_density,
    diffusion_time_s,
    focused_current_density_A_m2,
    growth_driving_force_J,
    nucleation_check,
    nucleation_driving_energy_J,
    nucleation_opposing_energy_J,
)
from ssblab.units import Q_

# illustrative inputs (not defaults): γ = 0.5 J/m², r_c = 100 nm, σ_F = 100 MPa
MATERIAL = {"interfacial_energy_J_m2": 0.5, "nucleus_radius_m": 1e-7, "fracture_stress_Pa": 1e8}


def test_li_volumes():
    assert math.isclose(LI_MOLAR_VOLUME_M3_MOL, 13.0e-6, rel_tol=0.01)
    assert math.isclose(LI_ATOMIC_VOLUME_M3, 2.16e-29, rel_tol=0.01)


def test_each_term_is_an_energy_per_atom():
    e, j, rho, d = Q_(1, "elementary_charge"), Q_(10, "A/m^2"), Q_(1e3, "ohm*m"), Q_(1, "um")
    gamma, omega, r, sigma = Q_(0.5, "J/m^2"), Q_(2.16e-29, "m^3"), Q_(0.1, "um"), Q_(1, "MPa")
    for term in (e * j * rho * d, 2 * gamma * omega / r, sigma * omega):
        assert term.check("[energy]")
    asr = Q_(1, "ohm*cm^2")
    assert (e * asr * j).check("[energy]")


def test_nucleation_closed_form():
    r = critical_current_density(2e-6, 1e3, alpha=0.25, **MATERIAL)
    oppose = 2 * 0.5 * LI_ATOMIC_VOLUME_M3 / 1e-7 + 1e8 * LI_ATOMIC_VOLUME_M3
    assert r.opposing_energy_J == pytest.approx(oppose)
    assert r.nucleation_A_m2 == pytest.approx(oppose / (ELEMENTARY_CHARGE_C * 1e3 * 2e-6 * 0.75))
    assert r.growth_A_m2 is None and r.limiting == "nucleation"
    # at the critical current both sides of Eq. 3 balance
    drive = nucleation_driving_energy_J(r.nucleation_A_m2, 1e3, 2e-6, 0.25)
    assert drive == pytest.approx(oppose)
    assert nucleation_check(1.01 * r.nucleation_A_m2, 1e3, 2e-6, 0.25, **MATERIAL).nucleates
    assert not nucleation_check(0.99 * r.nucleation_A_m2, 1e3, 2e-6, 0.25, **MATERIAL).nucleates


def test_matrix_resistivity_reduces_the_driving_force():
    full = nucleation_driving_energy_J(10.0, 1e3, 1e-6, 0.0)
    excess = nucleation_driving_energy_J(10.0, 1e3, 1e-6, 0.0, matrix_resistivity_ohm_m=400.0)
    assert excess == pytest.approx(full * 0.6)
    equal = critical_current_density(1e-6, 1e3, alpha=0.0, matrix_resistivity_ohm_m=1e3, **MATERIAL)
    assert math.isinf(equal.nucleation_A_m2) and equal.notes


def test_alpha_one_means_no_nucleation():
    r = critical_current_density(1e-6, 1e3, alpha=1.0, **MATERIAL)
    assert math.isinf(r.nucleation_A_m2)


def test_current_focusing_and_growth():
    assert focused_current_density_A_m2(10.0, 5e-6, 1e-6) == pytest.approx(50.0)
    r = critical_current_density(
        1e-6, 1e3, alpha=0.0, interfacial_asr_ohm_m2=1e-4, tip_aspect_ratio=10.0, **MATERIAL
    )
    j_g = 1e8 * LI_ATOMIC_VOLUME_M3 / (ELEMENTARY_CHARGE_C * 1e-4 * 10.0)
    assert r.growth_A_m2 == pytest.approx(j_g)
    assert r.ccd_A_m2 == min(r.growth_A_m2, r.nucleation_A_m2)
    assert r.limiting == ("growth" if j_g < r.nucleation_A_m2 else "nucleation")
    # Eq. 5 changes sign at j_g
    assert growth_driving_force_J(1.01 * j_g, 1e-4, 10e-6, 1e-6, 1e8) > 0
    assert growth_driving_force_J(0.99 * j_g, 1e-4, 10e-6, 1e-6, 1e8) < 0


@given(
    d1=st.floats(1e-8, 1e-3),
    d2=st.floats(1e-8, 1e-3),
    rho=st.floats(1.0, 1e6),
    alpha=st.floats(0.0, 0.99),
)
def test_ccd_falls_with_grain_size(d1, d2, rho, alpha):
    lo, hi = sorted((d1, d2))
    small = critical_current_density(lo, rho, alpha=alpha, **MATERIAL).ccd_A_m2
    large = critical_current_density(hi, rho, alpha=alpha, **MATERIAL).ccd_A_m2
    assert large <= small * (1 + 1e-12)


@given(
    rho1=st.floats(1.0, 1e6),
    rho2=st.floats(1.0, 1e6),
    s1=st.floats(0.0, 1e9),
    s2=st.floats(0.0, 1e9),
    asr=st.floats(1e-6, 1e-1),
)
def test_ccd_monotonic_in_gb_resistivity_and_stack_stress(rho1, rho2, s1, s2, asr):
    lo, hi = sorted((rho1, rho2))
    kw = {"alpha": 0.1, "interfacial_asr_ohm_m2": asr, "stack_stress_Pa": 1e6} | MATERIAL
    assert critical_current_density(1e-6, hi, **kw).nucleation_A_m2 <= critical_current_density(
        1e-6, lo, **kw
    ).nucleation_A_m2 * (1 + 1e-12)
    s_lo, s_hi = sorted((s1, s2))
    kw = {"alpha": 0.1, "interfacial_asr_ohm_m2": asr} | MATERIAL
    assert (
        critical_current_density(1e-6, lo, stack_stress_Pa=s_hi, **kw).ccd_A_m2
        >= critical_current_density(1e-6, lo, stack_stress_Pa=s_lo, **kw).ccd_A_m2
    )


def test_opposing_energy_adds_stack_stress():
    base = nucleation_opposing_energy_J(0.5, 1e-7, 1e8)
    more = nucleation_opposing_energy_J(0.5, 1e-7, 1e8, stack_stress_Pa=1e7)
    assert more - base == pytest.approx(1e7 * LI_ATOMIC_VOLUME_M3)


def test_diffusion_time():
    assert diffusion_time_s(1e-3, 1e-12) == pytest.approx(1e6)
    # seed 001: a 400 µm electrolyte vs a 40 µm one: 100× shorter
    assert diffusion_time_s("400 um", 1e-12) / diffusion_time_s("40 um", 1e-12) == pytest.approx(
        100
    )


@pytest.mark.parametrize("alpha", [-0.1, 1.1])
def test_alpha_outside_unit_interval(alpha):
    with pytest.raises(SsblabInputError, match="alpha"):
        critical_current_density(1e-6, 1e3, alpha=alpha, **MATERIAL)
    with pytest.raises(SsblabInputError, match="alpha"):
        nucleation_driving_energy_J(1.0, 1e3, 1e-6, alpha)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: critical_current_density(0.0, 1e3, alpha=0.1, **MATERIAL), "grain_size_m"),
        (lambda: critical_current_density(1e-6, -1.0, alpha=0.1, **MATERIAL), "gb_resistivity"),
        (
            lambda: critical_current_density(
                1e-6, 1e3, alpha=0.1, matrix_resistivity_ohm_m=2e3, **MATERIAL
            ),
            "matrix_resistivity_ohm_m",
        ),
        (
            lambda: critical_current_density(1e-6, 1e3, alpha=0.1, stack_stress_Pa=-1, **MATERIAL),
            "stack_stress_Pa",
        ),
        (lambda: nucleation_opposing_energy_J(0.5, 0.0, 1e8), "nucleus_radius_m"),
        (lambda: focused_current_density_A_m2(1.0, 1e-6, 0.0), "tip_width_m"),
        (lambda: growth_driving_force_J(1.0, 0.0, 1e-6, 1e-6, 1e8), "interfacial_asr_ohm_m2"),
        (lambda: diffusion_time_s(1e-3, 0.0), "diffusivity_m2_s"),
        (lambda: nucleation_driving_energy_J(-1.0, 1e3, 1e-6, 0.0), "current_density_A_m2"),
    ],
)
def test_bad_input(call, name):
    with pytest.raises(SsblabInputError, match=name):
        call()
