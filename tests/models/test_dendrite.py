"""Raj–Wolfenstine focusing and growth (seed 003 Eqs. 4–5), Li volumes, and t = L²/D (seed 001)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssblab.errors import SsblabInputError
from ssblab.models.dendrite import (
    ELEMENTARY_CHARGE_C,
    LI_ATOMIC_VOLUME_M3,
    LI_MOLAR_VOLUME_M3_MOL,
    diffusion_time_s,
    focused_current_density_A_m2,
    growth_driving_force_J,
)


def test_li_volumes():
    # V_m = 6.94 g/mol / 0.534 g/cm^3 = 13.0 cm^3/mol; Omega = V_m/N_A = 2.16e-29 m^3
    assert math.isclose(LI_MOLAR_VOLUME_M3_MOL, 13.0e-6, rel_tol=0.01)
    assert math.isclose(LI_ATOMIC_VOLUME_M3, 2.16e-29, rel_tol=0.01)


def test_current_focusing_eq4():
    assert focused_current_density_A_m2(10.0, 5e-6, 1e-6) == pytest.approx(50.0)


def test_growth_eq5_changes_sign_at_closed_form():
    # Delta mu = |e| k j h/w - sigma Omega = 0 at j_g = sigma Omega / (|e| k h/w)
    j_g = 1e8 * LI_ATOMIC_VOLUME_M3 / (ELEMENTARY_CHARGE_C * 1e-4 * 10.0)
    assert growth_driving_force_J(j_g, 1e-4, 10e-6, 1e-6, 1e8) == pytest.approx(0.0, abs=1e-30)
    assert growth_driving_force_J(1.01 * j_g, 1e-4, 10e-6, 1e-6, 1e8) > 0
    assert growth_driving_force_J(0.99 * j_g, 1e-4, 10e-6, 1e-6, 1e8) < 0
    # the stack stress adds to the back stress
    base = growth_driving_force_J(j_g, 1e-4, 10e-6, 1e-6, 1e8)
    more = growth_driving_force_J(j_g, 1e-4, 10e-6, 1e-6, 1e8, stack_stress_Pa=1e7)
    assert base - more == pytest.approx(1e7 * LI_ATOMIC_VOLUME_M3)


@given(
    j1=st.floats(0.0, 1e4),
    j2=st.floats(0.0, 1e4),
    asr=st.floats(1e-6, 1e-1),
    aspect=st.floats(1.0, 1e3),
)
def test_growth_force_increases_with_current(j1, j2, asr, aspect):
    lo, hi = sorted((j1, j2))
    f = [growth_driving_force_J(j, asr, aspect * 1e-6, 1e-6, 1e8) for j in (lo, hi)]
    assert f[1] >= f[0]


def test_diffusion_time():
    assert diffusion_time_s(1e-3, 1e-12) == pytest.approx(1e6)
    # seed 001: a 400 µm electrolyte vs a 40 µm one: 100× shorter
    assert diffusion_time_s("400 um", 1e-12) / diffusion_time_s("40 um", 1e-12) == pytest.approx(
        100
    )


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: focused_current_density_A_m2(1.0, 1e-6, 0.0), "tip_width_m"),
        (lambda: focused_current_density_A_m2(-1.0, 1e-6, 1e-6), "current_density_A_m2"),
        (lambda: growth_driving_force_J(1.0, 0.0, 1e-6, 1e-6, 1e8), "interfacial_asr_ohm_m2"),
        (lambda: growth_driving_force_J(1.0, 1e-4, 1e-6, 1e-6, -1.0), "fracture_stress_Pa"),
        (
            lambda: growth_driving_force_J(1.0, 1e-4, 1e-6, 1e-6, 1e8, stack_stress_Pa=-1),
            "stack_stress_Pa",
        ),
        (lambda: diffusion_time_s(1e-3, 0.0), "diffusivity_m2_s"),
    ],
)
def test_bad_input(call, name):
    with pytest.raises(SsblabInputError, match=name):
        call()
