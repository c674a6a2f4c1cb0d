"""Rough contact of Li on an SSE: GW summits, size/time-dependent hardness, multi-spot Holm."""

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssblab.errors import SsblabInputError
from ssblab.models import roughness as r

RHO = 1.0 / 4.6e-2


def test_gw_integrals_closed_form():
    f0, f1 = r.gw_integrals(0.0)
    assert float(f0) == pytest.approx(0.5)
    assert float(f1) == pytest.approx(1 / math.sqrt(2 * math.pi))


def test_asr_keeps_falling_from_5_to_400_mpa():
    values = [r.interface_asr_ohm_m2(p, RHO) for p in (5e6, 50e6, 150e6, 400e6)]
    assert all(b < a for a, b in itertools.pairwise(values))
    assert values[-1] > 0  # never exactly full contact
    assert values[-1] * 1e4 < 1.0  # seed 003: < 1 ohm cm² at 400 MPa
    assert r.rough_contact(400e6).contact_fraction < 1.0


@settings(max_examples=40, deadline=None)
@given(st.floats(1e5, 1e9), st.floats(1e5, 1e9))
def test_asr_monotonic_and_positive(p1, p2):
    lo, hi = sorted((p1, p2))
    a_lo, a_hi = r.interface_asr_ohm_m2(lo, RHO), r.interface_asr_ohm_m2(hi, RHO)
    assert a_hi <= a_lo and a_hi > 0


def test_longer_hold_more_contact():
    short = r.rough_contact(10e6, hold_time_s=15.0).contact_fraction
    long = r.rough_contact(10e6, hold_time_s=36000.0).contact_fraction
    assert long > short


def test_spots_from_roughness():
    assert r.spots_on_area(1.131e-4) == round(4e10 * 1.131e-4)
    assert r.DEFAULT_ROUGHNESS.radius_m == pytest.approx(0.04 / (4e10 * 0.2e-6))


def test_bad_input():
    with pytest.raises(SsblabInputError, match="stack_pressure_Pa"):
        r.rough_contact(-1.0)
    with pytest.raises(SsblabInputError, match="rms_height_m"):
        r.SurfaceRoughness(rms_height_m=0.0)
