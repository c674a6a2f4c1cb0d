"""Wenzel interphases: classification, growth laws, ASR, seed-derived catalogue, bad input."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssblab.errors import SsblabInputError
from ssblab.knowledge import default_knowledge_base
from ssblab.knowledge.store import value_in_si
from ssblab.models.interphase import (
    INSULATING_BELOW_S_M,
    INTERPHASES,
    K_LATP_AL2O3_TI3_M2_S,
    K_LATP_TI3_M2_S,
    LATP_AL2O3_TI3_DEPTH_M,
    LATP_TI3_DEPTH_M,
    LLZO_TETRAGONAL_THICKNESS_M,
    SEED004_EELS_TIME_S,
    SIGMA_ION_LATP_TI3_APPARENT_S_M,
    SIGMA_ION_T_LLZO_S_M,
    Interphase,
    ambipolar_conductivity_S_m,
    classify_interface,
    grown_thickness_m,
    interphase,
    interphase_asr_ohm_m2,
    linear_rate_m_s,
    parabolic_rate_m2_s,
    wagner_parabolic_rate_m2_s,
    xps_equivalent_thickness_m,
)

HOUR = 3600.0


@pytest.mark.parametrize(
    ("record_id", "value"),
    [
        ("s004-eels-bare-ti3-depth", LATP_TI3_DEPTH_M),
        ("s004-eels-al150-ti3-depth", LATP_AL2O3_TI3_DEPTH_M),
        ("s003-tetragonal-interphase-thickness", LLZO_TETRAGONAL_THICKNESS_M),
        ("s001-s3-li2o-aid-sigma", SIGMA_ION_T_LLZO_S_M),
        ("s001-s4-llzo-electronic", INSULATING_BELOW_S_M),
    ],
)
def test_defaults_match_knowledge_base(record_id, value):
    record = default_knowledge_base().get(record_id)
    assert value_in_si(record, record.value) == pytest.approx(value)


def test_eels_time_is_100_cycles_of_2_h():
    record = default_knowledge_base().get("s004-sym-cycle-time")
    assert pytest.approx(100 * value_in_si(record, record.value)) == SEED004_EELS_TIME_S
    assert pytest.approx(200 * HOUR) == SEED004_EELS_TIME_S


def test_seed004_rates_reproduce_the_eels_depths():
    assert pytest.approx((24e-9) ** 2 / (2 * 200 * HOUR)) == K_LATP_TI3_M2_S
    assert pytest.approx(1.44) == K_LATP_TI3_M2_S * 1e18 * HOUR  # nm²/h
    assert pytest.approx(0.64) == K_LATP_AL2O3_TI3_M2_S * 1e18 * HOUR
    assert interphase("latp_ti3").thickness_m(200 * HOUR) == pytest.approx(24e-9)
    assert interphase("latp_ti3_al2o3").thickness_m(200 * HOUR) == pytest.approx(16e-9)
    assert linear_rate_m_s(24e-9, 200 * HOUR) * 1e9 * HOUR == pytest.approx(0.12)


def test_apparent_mci_conductivity_reproduces_bare_overpotential_rise():
    latp = interphase("latp_ti3")
    assert pytest.approx(2.445e-9, rel=1e-3) == SIGMA_ION_LATP_TI3_APPARENT_S_M
    # two interfaces at 0.01 mA/cm² = 0.1 A/m² after 300 cycles = 600 h: 0.1 V + 3.4 V
    rise = 2 * 0.1 * latp.asr_ohm_m2(600 * HOUR)
    assert 0.1 + rise == pytest.approx(3.5)


def test_tetragonal_llzo_is_self_limiting_at_6_nm():
    t_llzo = interphase("llzo_tetragonal")
    assert t_llzo.kind == "sei"
    assert t_llzo.thickness_m(0.0) == 0.0
    assert t_llzo.thickness_m([1.0, 1e3, 1e8]) == pytest.approx([6e-9] * 3)
    assert t_llzo.asr_ohm_m2(1e6) == pytest.approx(6e-9 / 5.67e-3)


def test_catalogue_kinds():
    assert {name: p.kind for name, p in INTERPHASES.items()} == {
        "stable": "stable",
        "llzo_tetragonal": "sei",
        "latp_ti3": "mci",
        "latp_ti3_al2o3": "mci",
        "llto_ti3": "mci",
    }
    assert interphase("stable").asr_ohm_m2(1e9) == 0.0
    assert "stand-in" in interphase("llto_ti3").source


@settings(max_examples=50, deadline=None)
@given(st.floats(1e-3, 1e9), st.floats(1e-26, 1e-18))
def test_parabolic_growth_scales_with_sqrt_time(t, k):
    one = grown_thickness_m(t, "parabolic", k)
    four = grown_thickness_m(4 * t, "parabolic", k)
    assert four == pytest.approx(2 * one)
    assert one == pytest.approx(math.sqrt(2 * k * t))


def test_growth_law_closed_forms():
    t = np.array([0.0, 10.0, 100.0])
    assert grown_thickness_m(t, "linear", 2.0, initial_thickness_m=1.0) == pytest.approx(
        [1.0, 21.0, 201.0]
    )
    assert grown_thickness_m(t, "logarithmic", 3.0, time_constant_s=10.0) == pytest.approx(
        3.0 * np.log1p(t / 10.0)
    )
    sat = grown_thickness_m(t, "saturating", 5.0, initial_thickness_m=1.0, time_constant_s=10.0)
    assert sat == pytest.approx(5.0 - 4.0 * np.exp(-t / 10.0))
    assert grown_thickness_m(7.0, "none", initial_thickness_m=2.0) == 2.0
    assert grown_thickness_m(50.0, "parabolic", 1.0, initial_thickness_m=10.0) == pytest.approx(
        math.sqrt(200.0)
    )
    assert parabolic_rate_m2_s(10.0, 5.0) == pytest.approx(10.0)


@settings(max_examples=50, deadline=None)
@given(
    st.sampled_from(["parabolic", "linear", "logarithmic", "saturating"]),
    st.floats(0.0, 1e6),
    st.floats(0.0, 1e6),
)
def test_growth_laws_are_monotone_in_time(law, t1, dt):
    kwargs = {"time_constant_s": 100.0}
    a = grown_thickness_m(t1, law, 1e-8, **kwargs)
    b = grown_thickness_m(t1 + dt, law, 1e-8, **kwargs)
    assert b >= a


@settings(max_examples=50, deadline=None)
@given(st.floats(0.0, 1e-6), st.floats(1e-12, 1.0))
def test_asr_linear_in_thickness(thickness, sigma):
    assert interphase_asr_ohm_m2(2 * thickness, sigma) == pytest.approx(
        2 * interphase_asr_ohm_m2(thickness, sigma)
    )
    assert interphase_asr_ohm_m2(thickness, sigma) == pytest.approx(thickness / sigma)


def test_wenzel_classification_with_seed004_dft():
    assert classify_interface(3.17) == "stable"  # Li in α-Al2O3 (s004-dft-li-in-al2o3)
    assert classify_interface(-2.88, 1e-2) == "mci"  # Li in LATP, conducting Ti3+ products
    assert classify_interface(-2.88, 1e-9) == "sei"
    assert classify_interface(-1.0, INSULATING_BELOW_S_M) == "mci"
    assert classify_interface(-1.0, 1e-3, insulating_below_S_m=1e-2) == "sei"


def test_wagner_rate_vanishes_without_electrons():
    assert ambipolar_conductivity_S_m(1e-4, 0.0) == 0.0
    assert wagner_parabolic_rate_m2_s(1e-4, 0.0, 2.88, 7.8e-5) == 0.0
    k = wagner_parabolic_rate_m2_s(1e-4, 1e-4, 1.0, 1e-5)
    assert k == pytest.approx(1e-5 * 0.5e-4 * 1.0 / 96485.33212)
    small = wagner_parabolic_rate_m2_s(1e-4, 1e-8, 1.0, 1e-5)
    assert small < k


def test_xps_equivalent_thickness():
    assert xps_equivalent_thickness_m(0.14, 10e-9) == pytest.approx(-10e-9 * math.log(0.86))
    assert xps_equivalent_thickness_m(0.0, 1e-9) == 0.0


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: interphase("garnet_mystery"), "phase"),
        (lambda: grown_thickness_m(1.0, "cubic", 1.0), "law"),
        (lambda: grown_thickness_m(-1.0, "linear", 1.0), "time_s"),
        (lambda: grown_thickness_m([1.0, -1.0], "linear", 1.0), "time_s"),
        (lambda: grown_thickness_m(1.0, "linear", -1.0), "rate"),
        (lambda: grown_thickness_m(1.0, "linear", 1.0, initial_thickness_m=-1), "initial"),
        (lambda: grown_thickness_m(1.0, "logarithmic", 1.0), "time_constant_s"),
        (lambda: grown_thickness_m(1.0, "saturating", 1.0, initial_thickness_m=2.0), "rate"),
        (lambda: interphase_asr_ohm_m2(-1e-9, 1.0), "thickness_m"),
        (lambda: interphase_asr_ohm_m2(1e-9, 0.0), "sigma_ion_S_m"),
        (lambda: parabolic_rate_m2_s(-1.0, 1.0), "thickness_m"),
        (lambda: parabolic_rate_m2_s(1.0, 0.0), "time_s"),
        (lambda: classify_interface(-1.0), "product_sigma_e_S_m"),
        (lambda: classify_interface(-1.0, -1.0), "product_sigma_e_S_m"),
        (lambda: Interphase("x", kind="unknown", law="none"), "kind"),
        (lambda: Interphase("x", kind="mci", law="linear", rate=1.0).asr_ohm_m2(1.0), "sigma"),
        (lambda: xps_equivalent_thickness_m(1.0, 1e-9), "fraction"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(SsblabInputError, match=name):
        call()


def test_deal_grove_limits_and_seed004_calibration():
    from ssblab.models.interphase import (
        coating_equivalent_from_depths_m,
        deal_grove_thickness_m,
        interphase,
    )

    k, t = 4.0e-22, 720000.0
    assert deal_grove_thickness_m(t, k) == pytest.approx(24e-9)  # bare: parabolic
    xc = coating_equivalent_from_depths_m(24e-9, 16e-9)
    assert xc == pytest.approx(10e-9)  # (24^2 - 16^2)/(2*16) nm
    x = deal_grove_thickness_m(t, k, xc)
    assert x == pytest.approx(16e-9)
    assert x**2 + 2 * xc * x == pytest.approx(2 * k * t)  # the linear-parabolic law
    # thick coating: linear, supply-limited x ~ kt/x_c
    assert deal_grove_thickness_m(1.0, k, 1e-6) == pytest.approx(k / 1e-6, rel=1e-6)
    coated = interphase("latp_ti3").under_coating(xc)
    assert coated.thickness_m(t) == pytest.approx(16e-9)
    with pytest.raises(SsblabInputError, match="coated_depth_m"):
        coating_equivalent_from_depths_m(16e-9, 24e-9)


@given(st.floats(0, 1e8), st.floats(0, 1e-7), st.floats(1e-25, 1e-20))
def test_deal_grove_never_exceeds_bare_growth(t, xc, k):
    from ssblab.models.interphase import deal_grove_thickness_m

    assert deal_grove_thickness_m(t, k, xc) <= deal_grove_thickness_m(t, k) * (1 + 1e-12)
