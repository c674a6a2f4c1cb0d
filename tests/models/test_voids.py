"""Stripping voids: Li supply (diffusion + creep) against the stripping flux."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from ssblab.errors import SsblabInputError
from ssblab.models.constriction import LI_HARDNESS_PA
from ssblab.models.voids import (
    DEFAULT_PARAMETERS,
    FARADAY_C_MOL,
    LiAnodeParameters,
    contact_evolution,
    contact_loss_rate_per_s,
    creep_supply_velocity_m_s,
    diffusion_supply_velocity_m_s,
    li_self_diffusivity_m2_s,
    stripping_ccd,
    stripping_ccd_A_m2,
    stripping_velocity_m_s,
)
from ssblab.units import Q_

MA_CM2 = 10.0  # 1 mA/cm² in A/m²
T25 = 298.15


def test_stripping_velocity():
    v = stripping_velocity_m_s(1 * MA_CM2)
    assert v == pytest.approx(1.347e-9, rel=1e-3)  # ≈ 4.85 µm of Li per hour
    v_pint = (Q_(1, "mA/cm^2") * Q_(13.0, "cm^3/mol") / Q_(FARADAY_C_MOL, "C/mol")).to("m/s")
    assert v == pytest.approx(v_pint.magnitude, rel=0.01)


def test_self_diffusivity_arrhenius():
    p = DEFAULT_PARAMETERS
    assert li_self_diffusivity_m2_s(T25) == pytest.approx(p.self_diffusivity_ref_m2_s)
    ratio = li_self_diffusivity_m2_s(350.0) / li_self_diffusivity_m2_s(T25)
    assert ratio == pytest.approx(math.exp(0.55 / 8.617333262e-5 * (1 / T25 - 1 / 350.0)))


def test_ccd_is_sum_of_parts():
    r = stripping_ccd(2e6, 320.0)
    to_current = FARADAY_C_MOL / DEFAULT_PARAMETERS.molar_volume_m3_mol
    assert r.contact_fraction == pytest.approx(2e6 / LI_HARDNESS_PA)
    assert r.diffusion_part_A_m2 == pytest.approx(
        r.contact_fraction * diffusion_supply_velocity_m_s(320.0) * to_current
    )
    assert r.creep_part_A_m2 == pytest.approx(creep_supply_velocity_m_s(2e6, 320.0) * to_current)
    assert r.ccd_A_m2 == pytest.approx(r.diffusion_part_A_m2 + r.creep_part_A_m2)


def test_seed003_temperature_points_at_full_contact():
    # seed 003 (Sharafi et al. [59]): garnet CCD ~50 µA/cm² at 30 °C, 14 mA/cm² at 160 °C
    at_30 = stripping_ccd_A_m2(0.0, 303.15, contact_fraction=1.0)
    at_160 = stripping_ccd_A_m2(0.0, 433.15, contact_fraction=1.0)
    assert 0.5 / 2 <= at_30 <= 0.5 * 2
    assert 140 / 3 <= at_160 <= 140 * 3


def test_seed003_gpa_needed_for_10_mA_cm2():
    assert stripping_ccd_A_m2(1e9, T25) == pytest.approx(10 * MA_CM2, rel=0.01)
    assert stripping_ccd_A_m2(10e6, T25) < 0.1 * MA_CM2
    assert stripping_ccd(1e9, T25).limiting == "creep"
    assert stripping_ccd(10e6, T25).limiting == "diffusion"


@settings(max_examples=200, deadline=None)
@given(st.floats(0.0, 3e9), st.floats(0.0, 3e9), st.floats(200.0, 450.0))
def test_ccd_nondecreasing_in_pressure(p1, p2, temperature):
    lo, hi = sorted((p1, p2))
    assert stripping_ccd_A_m2(hi, temperature) >= stripping_ccd_A_m2(lo, temperature)


@settings(max_examples=200, deadline=None)
@given(st.floats(200.0, 450.0), st.floats(200.0, 450.0), st.floats(0.0, 3e9))
def test_ccd_increases_with_temperature(t1, t2, pressure):
    lo, hi = sorted((t1, t2))
    assert stripping_ccd_A_m2(pressure, hi, contact_fraction=0.5) >= stripping_ccd_A_m2(
        pressure, lo, contact_fraction=0.5
    )


def test_contact_loss_rate():
    ccd = stripping_ccd_A_m2(1e6, T25)
    assert contact_loss_rate_per_s(0.9 * ccd, 1e6, T25, 1e-6) == 0.0
    j = 10 * ccd
    expected = (
        stripping_velocity_m_s(j)
        - 0.2 * diffusion_supply_velocity_m_s(T25)
        - creep_supply_velocity_m_s(1e6, T25)
    ) / 1e-6
    assert contact_loss_rate_per_s(j, 1e6, T25, 1e-6) == pytest.approx(expected)


def test_contact_evolution_matches_ode():
    j, p, h, f0 = 1 * MA_CM2, 2e6, 2e-6, 0.9
    a = stripping_velocity_m_s(j) - creep_supply_velocity_m_s(p, T25)
    b = diffusion_supply_velocity_m_s(T25)
    times = np.linspace(0, 1000, 11)
    evo = contact_evolution(j, times, p, T25, h, contact_fraction=f0)
    sol = solve_ivp(lambda t, f: [-(a - b * f[0]) / h], (0, 1000), [f0], t_eval=times, rtol=1e-10)
    mask = times < evo.time_to_loss_s
    assert np.allclose(np.array(evo.contact_fraction)[mask], sol.y[0][mask], atol=1e-8)
    assert evo.contact_fraction[0] == f0
    assert evo.initial_rate_per_s == pytest.approx(
        contact_loss_rate_per_s(j, p, T25, h, contact_fraction=f0)
    )
    t_loss = evo.time_to_loss_s
    late = contact_evolution(j, [t_loss, 2 * t_loss], p, T25, h, contact_fraction=f0)
    assert late.contact_fraction == pytest.approx((0.0, 0.0), abs=1e-12)


def test_contact_stable_below_ccd():
    evo = contact_evolution(0.01 * MA_CM2, [0, 3600], 5e6, T25, 1e-6)
    assert evo.contact_fraction == (1.0, 1.0) and math.isinf(evo.time_to_loss_s)


def test_quantity_inputs():
    assert stripping_ccd_A_m2("1 MPa", "25 degC") == pytest.approx(stripping_ccd_A_m2(1e6, T25))


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: stripping_ccd(-1.0, T25), "stack_pressure_Pa"),
        (lambda: stripping_ccd(1e6, 0.0), "temperature_K"),
        (lambda: stripping_ccd(1e6, 460.0), "temperature_K"),
        (lambda: stripping_ccd(1e6, T25, contact_fraction=1.2), "contact_fraction"),
        (lambda: contact_loss_rate_per_s(10.0, 1e6, T25, 0.0), "void_depth_m"),
        (lambda: stripping_velocity_m_s(-1.0), "current_density_A_m2"),
        (lambda: LiAnodeParameters(diffusion_length_m=0.0), "diffusion_length_m"),
        (lambda: contact_evolution(10.0, [-1.0], 1e6, T25, 1e-6), "times_s"),
    ],
)
def test_bad_input(call, name):
    with pytest.raises(SsblabInputError, match=name):
        call()
