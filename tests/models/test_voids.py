"""Stripping voids: Li supply (diffusion + creep) against the stripping flux."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from ssblab.errors import SsblabInputError
from ssblab.models.voids import (
    DEFAULT_PARAMETERS,
    FARADAY_C_MOL,
    LiAnodeParameters,
    contact_evolution,
    creep_refill_velocity_m_s,
    equilibrium_vacancy_fraction,
    li_self_diffusivity_m2_s,
    stripping_ccd,
    stripping_ccd_A_m2,
    stripping_velocity_m_s,
    vacancy_diffusivity_m2_s,
    void_onset_parameter_m2_s,
    void_onset_time_s,
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


def test_ccd_is_sum_of_parts_and_sand_form():
    r = stripping_ccd(2e6, 320.0, contact_fraction=0.5, step_time_s=1800.0)
    to_current = FARADAY_C_MOL / DEFAULT_PARAMETERS.molar_volume_m3_mol
    assert r.diffusion_part_A_m2 == pytest.approx(
        0.5 * to_current * math.sqrt(void_onset_parameter_m2_s(320.0) / 1800.0)
    )
    assert r.creep_part_A_m2 == pytest.approx(
        0.5 * creep_refill_velocity_m_s(2e6, 320.0) * to_current
    )
    assert r.ccd_A_m2 == pytest.approx(r.diffusion_part_A_m2 + r.creep_part_A_m2)
    # the CCD is the current whose void onset time is one step
    assert void_onset_time_s(r.ccd_A_m2, 2e6, 320.0, contact_fraction=0.5) == pytest.approx(1800.0)


def test_void_onset_parameter_activation():
    # Π ∝ x_eq·D_self: activation E_f + Q_D
    ratio = void_onset_parameter_m2_s(350.0) / void_onset_parameter_m2_s(T25)
    assert ratio == pytest.approx(math.exp((0.5 + 0.55) / 8.617333262e-5 * (1 / T25 - 1 / 350.0)))


def test_seed003_temperature_points_with_half_hour_steps():
    at_30 = stripping_ccd_A_m2(1e6, 303.15, contact_fraction=1.0)
    assert at_30 == pytest.approx(0.5, rel=0.01)  # fitted default s (seed 003, 50 µA/cm²)


@settings(max_examples=100, deadline=None)
@given(st.floats(0.01, 100.0), st.floats(0.01, 100.0), st.floats(250.0, 450.0))
def test_void_onset_time_decreases_with_current(j1, j2, temperature):
    lo, hi = sorted((j1, j2))
    t_lo = void_onset_time_s(lo, 1e6, temperature, contact_fraction=1.0)
    t_hi = void_onset_time_s(hi, 1e6, temperature, contact_fraction=1.0)
    assert t_hi <= t_lo


@settings(max_examples=30, deadline=None)
@given(st.floats(0.5e6, 500e6), st.floats(0.5e6, 500e6))
def test_ccd_rises_with_pressure(p1, p2):
    lo, hi = sorted((p1, p2))
    assert stripping_ccd_A_m2(hi, T25) >= stripping_ccd_A_m2(lo, T25)


def test_ccd_rises_strictly_3_to_7_mpa():
    values = [stripping_ccd_A_m2(p * 1e6, T25) for p in (3, 5, 7)]
    assert values[0] < values[1] < values[2] and values[2] > 1.5 * values[0]


@settings(max_examples=100, deadline=None)
@given(st.floats(250.0, 450.0), st.floats(250.0, 450.0))
def test_ccd_increases_with_temperature(t1, t2):
    lo, hi = sorted((t1, t2))
    assert stripping_ccd_A_m2(1e6, hi, contact_fraction=0.5) >= stripping_ccd_A_m2(
        1e6, lo, contact_fraction=0.5
    )


def test_capacity_protocol():
    r = stripping_ccd(1e6, T25, contact_fraction=1.0, step_capacity_C_m2=1800.0)
    assert void_onset_time_s(r.ccd_A_m2, 1e6, T25, contact_fraction=1.0) == pytest.approx(
        r.step_time_s, rel=1e-6
    )
    half = stripping_ccd(1e6, T25, contact_fraction=1.0, step_capacity_C_m2=900.0)
    assert half.ccd_A_m2 == pytest.approx(2 * r.ccd_A_m2, rel=1e-3)  # j* ∝ 1/Q without creep


def test_contact_holds_until_the_void_onset_then_follows_the_ode():
    j, p, h, f0 = 1 * MA_CM2, 2e6, 2e-6, 0.9
    onset = void_onset_time_s(j, p, T25, contact_fraction=f0)
    times = np.concatenate([np.linspace(0, onset, 5), onset + np.linspace(1, 600, 12)])
    evo = contact_evolution(j, times, p, T25, h, contact_fraction=f0)
    f = np.array(evo.contact_fraction)
    assert evo.onset_s == pytest.approx(onset)
    assert np.all(f[times <= onset] == f0)  # nothing before the onset
    a = stripping_velocity_m_s(j)
    v_c = creep_refill_velocity_m_s(p, T25)
    dx_c = DEFAULT_PARAMETERS.critical_supersaturation * equilibrium_vacancy_fraction(T25)
    d_v = vacancy_diffusivity_m2_s(T25)

    def rate(t, y):
        return [-(a - y[0] * (v_c + dx_c * math.sqrt(d_v / (math.pi * t)))) / h]

    after = times > onset
    ref = solve_ivp(rate, (onset, times[-1]), [f0], t_eval=times[after], rtol=1e-10, atol=1e-14)
    alive = ref.y[0] > 0
    np.testing.assert_allclose(f[after][alive], ref.y[0][alive], rtol=1e-5, atol=1e-9)
    # right after onset the diffusion flux, (2/π)·u, is below the injection u: voids grow
    assert f[after][0] < f0


def test_contact_is_lost_completely_at_a_high_current():
    evo = contact_evolution(50 * MA_CM2, np.linspace(0, 1800, 61), 1e6, T25, 2e-6,
                            contact_fraction=0.5)  # fmt: skip
    assert math.isfinite(evo.time_to_loss_s) and evo.contact_fraction[-1] == 0.0
    assert evo.onset_s < evo.time_to_loss_s


def test_contact_stable_below_ccd():
    ccd = stripping_ccd(5e6, T25, contact_fraction=1.0, step_time_s=3600.0).ccd_A_m2
    evo = contact_evolution(0.9 * ccd, [0, 3600], 5e6, T25, 1e-6, contact_fraction=1.0)
    assert evo.contact_fraction == (1.0, 1.0) and math.isinf(evo.time_to_loss_s)
    assert evo.onset_s > 3600.0


def test_quantity_inputs():
    assert stripping_ccd_A_m2("1 MPa", "25 degC") == pytest.approx(stripping_ccd_A_m2(1e6, T25))


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: stripping_ccd(-1.0, T25), "stack_pressure_Pa"),
        (lambda: stripping_ccd(1e6, 0.0), "temperature_K"),
        (lambda: stripping_ccd(1e6, 460.0), "temperature_K"),
        (lambda: stripping_ccd(1e6, T25, contact_fraction=1.2), "contact_fraction"),
        (
            lambda: contact_evolution(10.0, [1.0], 1e6, T25, 0.0, contact_fraction=1.0),
            "void_depth_m",
        ),
        (lambda: stripping_velocity_m_s(-1.0), "current_density_A_m2"),
        (lambda: LiAnodeParameters(correlation_factor=0.0), "correlation_factor"),
        (lambda: contact_evolution(10.0, [-1.0], 1e6, T25, 1e-6, contact_fraction=1.0), "times_s"),
    ],
)
def test_bad_input(call, name):
    with pytest.raises(SsblabInputError, match=name):
        call()


@settings(max_examples=60, deadline=None)
@given(
    st.floats(0.01, 100.0),  # mA/cm²
    st.floats(0.05, 1.0),  # f0
    st.floats(1e5, 1e8),  # stack pressure, Pa
    st.floats(250.0, 440.0),  # K
)
def test_stripping_contact_never_grows_and_stays_in_bounds(j_ma, f0, pressure, temperature):
    times = np.linspace(0.0, 7200.0, 49)
    evo = contact_evolution(j_ma * MA_CM2, times, pressure, temperature, 20e-6, contact_fraction=f0)
    f = np.array(evo.contact_fraction)
    assert np.all((f >= 0.0) & (f <= f0))
    assert np.all(np.diff(f) <= 1e-12)  # stripping only removes contact
    assert np.all(f[times <= evo.onset_s] == f0)
    more = contact_evolution(2 * j_ma * MA_CM2, times, pressure, temperature, 20e-6,
                             contact_fraction=f0)  # fmt: skip
    assert np.all(np.array(more.contact_fraction) <= f + 1e-12)  # more current, less contact
