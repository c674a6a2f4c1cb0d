"""Griffith onset depth of a Li-expanded LATP layer and the linear crack-resistance law."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssblab.errors import SsblabInputError
from ssblab.models.cracking import (
    E_LATP_PA,
    K_IC_LATP_PA_SQRT_M,
    crack_asr_ohm_m2,
    critical_depth_m,
    fit_linear_rise,
    ingress_diffusivity_m2_s,
    misfit_stress_Pa,
    onset_from_diffusivity_s,
)


def test_cited_latp_mechanics():
    assert K_IC_LATP_PA_SQRT_M == 1.1e6  # Jackman & Cutler 2012
    assert 81e9 <= E_LATP_PA <= 115e9


def test_critical_depth_closed_form():
    # h_c = K^2 (1-nu)^2 / (Z E^2 eps^2)
    h = critical_depth_m(1e6, 1e11, 0.25, 0.01, 2.0)
    assert h == pytest.approx(1e12 * 0.5625 / (2.0 * 1e22 * 1e-4))
    assert critical_depth_m(strain=0.02) == pytest.approx(critical_depth_m(strain=0.01) / 4)
    assert misfit_stress_Pa(1e11, 0.25, 0.01) == pytest.approx(1e9 / 0.75)


def test_seed004_li3po4_rise_is_linear_after_onset():
    h = 3600.0
    v0, rate, onset = fit_linear_rise([(0.0, 0.3), (199 * h, 0.8), (399 * h, 2.4)])
    assert v0 == 0.3
    assert rate * h == pytest.approx(0.008)
    assert onset / h == pytest.approx(136.5)
    assert v0 + rate * (599 * h - onset) == pytest.approx(4.0)  # seed 004: 4 V at cycle 300


@given(st.floats(1e-9, 1e-5), st.floats(1.0, 1e8))
def test_onset_and_diffusivity_are_inverse(h, t):
    assert onset_from_diffusivity_s(h, ingress_diffusivity_m2_s(h, t)) == pytest.approx(t)


@given(st.floats(0, 1e7, allow_subnormal=False), st.floats(0, 1e7, allow_subnormal=False))
def test_crack_asr_is_zero_before_onset_and_monotone(t, onset):
    r = 1.0  # a unit rate: r·(t − t_on) cannot underflow to 0 for t > t_on
    value = crack_asr_ohm_m2(t, r, onset)
    assert value >= 0
    assert (value == 0) == (t <= onset)
    assert crack_asr_ohm_m2(t + 10.0, r, onset) >= value


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: critical_depth_m(poisson=0.5), "poisson"),
        (lambda: critical_depth_m(strain=0.0), "strain"),
        (lambda: crack_asr_ohm_m2(-1.0, 1.0, 0.0), "time_s"),
        (lambda: fit_linear_rise([(0, 1), (1, 0.5), (2, 2)]), "points"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(SsblabInputError, match=name):
        call()
