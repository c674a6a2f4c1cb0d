"""High-field (sinh) ion transport and ALD Al2O3 breakdown."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssblab.errors import SsblabInputError
from ssblab.models.highfield import (
    AL2O3_ALD_BREAKDOWN_FIELD_V_M,
    breaks_down,
    current_density_A_m2,
    field_for_current_V_m,
    field_scale_V_m,
    prefactor_from_point_A_m2,
)


def test_field_scale_closed_form():
    # E0 = 2kT/(z e a): 0.5 nm, 298.15 K -> 2*0.025693/0.5e-9 V/m
    assert field_scale_V_m(0.5e-9) == pytest.approx(2 * 0.0256926 / 0.5e-9, rel=1e-4)
    assert field_scale_V_m(0.5e-9, charge_number=2) == pytest.approx(field_scale_V_m(1e-9))


def test_low_field_is_ohmic_high_field_exponential():
    j0, e0 = 1e-3, field_scale_V_m()
    small = 1e-4 * e0
    assert current_density_A_m2(small, j0) == pytest.approx(j0 * small / e0, rel=1e-6)
    big = 20 * e0
    assert current_density_A_m2(big, j0) == pytest.approx(0.5 * j0 * math.exp(20), rel=1e-6)


def test_seed004_cycle1_field_is_below_breakdown():
    # 10 V over two 15-nm films (minus 0.1 V of the bare cell): 3.3 MV/cm < 8.3 MV/cm
    field = (10.0 - 0.1) / 2 / 15e-9
    assert field == pytest.approx(3.3e8)
    assert not breaks_down(field)
    assert breaks_down(AL2O3_ALD_BREAKDOWN_FIELD_V_M)


@given(st.floats(1e-6, 1e3), st.floats(1e6, 8e8))
def test_prefactor_and_field_round_trip(j, e):
    j0 = prefactor_from_point_A_m2(j, e)
    assert field_for_current_V_m(j, j0) == pytest.approx(e, rel=1e-9)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: field_scale_V_m(0.0), "hop_distance_m"),
        (lambda: current_density_A_m2(1e8, -1.0), "prefactor_A_m2"),
        (lambda: breaks_down(float("nan")), "field_V_m"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(SsblabInputError, match=name):
        call()
