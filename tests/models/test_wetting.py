"""Young–Dupré: work of adhesion ↔ contact angle, against seed 003's pairs."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssblab.errors import SsblabInputError
from ssblab.models.wetting import (
    LI_SURFACE_ENERGY_J_M2,
    SEED003_WETTING_PAIRS,
    contact_angle_deg,
    wetting_from_contact_angle,
    wetting_from_work_of_adhesion,
    work_of_adhesion_J_m2,
)

GAMMA = LI_SURFACE_ENERGY_J_M2


@pytest.mark.parametrize(("interface", "work", "angle"), SEED003_WETTING_PAIRS)
def test_seed003_pairs_within_two_degrees(interface, work, angle):
    assert abs(contact_angle_deg(work) - angle) <= 2.0, interface


def test_seed003_pairs_explicitly():
    assert contact_angle_deg(0.10) == pytest.approx(142.0, abs=2.0)
    assert contact_angle_deg(0.67) == pytest.approx(62.0, abs=2.0)


def test_closed_form_and_limits():
    assert work_of_adhesion_J_m2(60.0) == pytest.approx(1.5 * GAMMA)
    assert contact_angle_deg(0.0) == pytest.approx(180.0)
    assert contact_angle_deg(2 * GAMMA) == pytest.approx(0.0)
    assert contact_angle_deg(GAMMA) == pytest.approx(90.0)
    assert work_of_adhesion_J_m2(180.0) == pytest.approx(0.0, abs=1e-15)


@given(st.floats(0.0, 180.0), st.floats(0.05, 2.0))
def test_round_trip(theta, gamma):
    w = work_of_adhesion_J_m2(theta, gamma)
    assert 0.0 <= w <= 2 * gamma + 1e-12
    assert contact_angle_deg(min(w, 2 * gamma), gamma) == pytest.approx(theta, abs=1e-5)


@given(st.floats(0.0, 2 * GAMMA), st.floats(0.0, 2 * GAMMA))
def test_angle_decreases_with_work_of_adhesion(w1, w2):
    lo, hi = sorted((w1, w2))
    assert contact_angle_deg(hi) <= contact_angle_deg(lo)


def test_wetting_dataclass():
    bare = wetting_from_work_of_adhesion(0.67)
    assert bare.lithiophilic and bare.to_dict()["lithiophilic"]
    carbonate = wetting_from_work_of_adhesion(0.10)
    assert not carbonate.lithiophilic
    annealed = wetting_from_contact_angle(95.0)  # seed 003: 95° after the 500 °C anneal
    assert annealed.work_of_adhesion_J_m2 == pytest.approx(GAMMA * (1 + math.cos(math.radians(95))))


def test_quantity_inputs():
    assert contact_angle_deg("670 mJ/m^2") == pytest.approx(contact_angle_deg(0.67))
    assert work_of_adhesion_J_m2("1.0 rad") == pytest.approx(GAMMA * (1 + math.cos(1.0)))


@pytest.mark.parametrize("work", [-0.01, 2 * GAMMA + 0.01, float("nan")])
def test_work_outside_validity(work):
    with pytest.raises(SsblabInputError, match="work_of_adhesion_J_m2"):
        contact_angle_deg(work)


@pytest.mark.parametrize("angle", [-1.0, 181.0])
def test_angle_outside_validity(angle):
    with pytest.raises(SsblabInputError, match="contact_angle_deg"):
        work_of_adhesion_J_m2(angle)


def test_bad_surface_energy():
    with pytest.raises(SsblabInputError, match="surface_energy_J_m2"):
        contact_angle_deg(0.1, 0.0)
