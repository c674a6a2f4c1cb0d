"""Holm constriction resistance and ASR against stack pressure (seed 003 Eq. 1)."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssblab.errors import SsblabInputError, UnitError
from ssblab.models.constriction import (
    LI_HARDNESS_PA,
    LI_RESISTIVITY_OHM_M,
    LLZTO_RESISTIVITY_SEED000_OHM_M,
    contact_fraction,
    flux_tube_factor,
    holm_resistance_ohm,
    interface_asr,
    interface_asr_ohm_m2,
    spot_radius_m,
)
from ssblab.units import Q_

RHO = LLZTO_RESISTIVITY_SEED000_OHM_M
AREA = 1e-4  # 1 cm²


def test_seed003_eq1_closed_form():
    force, hardness = 250.0, 5e6
    expected = RHO / 2 * math.sqrt(math.pi * hardness / force)
    assert holm_resistance_ohm(force, RHO, hardness) == pytest.approx(expected, rel=1e-12)


def test_one_sided_constriction_is_half_of_eq1():
    symmetric = holm_resistance_ohm(100.0, RHO)
    one_sided = holm_resistance_ohm(100.0, RHO, counter_resistivity_ohm_m=LI_RESISTIVITY_OHM_M)
    assert one_sided == pytest.approx(symmetric / 2, rel=1e-8)


@pytest.mark.parametrize("n", [1, 4, 100, 10_000])
def test_n_spots_scale_as_inverse_sqrt_n(n):
    single = holm_resistance_ohm(100.0, RHO)
    assert holm_resistance_ohm(100.0, RHO, n_spots=n) == pytest.approx(single / math.sqrt(n))
    assert spot_radius_m(100.0, n_spots=n) == pytest.approx(
        math.sqrt(100.0 / (n * math.pi * LI_HARDNESS_PA))
    )


def test_uncorrected_asr_is_holm_times_area():
    p = 0.2e6
    r = interface_asr(p, AREA, RHO, finite_area_correction=False)
    assert r.asr_ohm_m2 == pytest.approx(holm_resistance_ohm(p * AREA, RHO) * AREA)
    assert r.flux_tube_factor == 1.0
    assert r.contact_fraction == pytest.approx(p / LI_HARDNESS_PA)


def test_flux_tube_factor_limits():
    assert flux_tube_factor(0.0) == 1.0
    assert flux_tube_factor(1.0) == 0.0
    assert flux_tube_factor(0.5) == pytest.approx(0.5**1.5)


@pytest.mark.parametrize("pressure", [5e6, 50e6, 400e6])
def test_full_contact_asr_vanishes(pressure):
    # seed 003: the Li | LLZO interfacial resistance "reaches nearly zero under 400 MPa"
    r = interface_asr(pressure, AREA, RHO)
    assert r.full_contact
    assert r.contact_fraction == 1.0
    assert r.asr_ohm_m2 == 0.0
    assert r.notes


def test_asr_continuous_towards_full_contact():
    just_below = interface_asr_ohm_m2(LI_HARDNESS_PA * (1 - 1e-9), AREA, RHO)
    low = interface_asr_ohm_m2(0.01 * LI_HARDNESS_PA, AREA, RHO)
    assert 0 < just_below < 1e-9 * low


def test_zero_pressure_gives_infinite_resistance():
    r = interface_asr(0.0, AREA, RHO)
    assert math.isinf(r.resistance_ohm) and r.contact_fraction == 0.0


@settings(max_examples=200, deadline=None)
@given(
    p1=st.floats(1e2, 1e9),
    p2=st.floats(1e2, 1e9),
    n=st.integers(1, 10_000),
    hardness=st.floats(1e5, 1e8),
)
def test_asr_decreases_with_pressure(p1, p2, n, hardness):
    lo, hi = sorted((p1, p2))
    asr_lo = interface_asr_ohm_m2(lo, AREA, RHO, hardness, n_spots=n)
    asr_hi = interface_asr_ohm_m2(hi, AREA, RHO, hardness, n_spots=n)
    assert asr_hi <= asr_lo * (1 + 1e-12)
    assert contact_fraction(hi, hardness) >= contact_fraction(lo, hardness)


def test_dimensions_with_pint():
    rho, hardness, force = Q_(21.7, "ohm*m"), Q_(5, "MPa"), Q_(100, "N")
    resistance = rho / 2 * (math.pi * hardness / force) ** 0.5
    assert resistance.check("[resistance]")
    expected = holm_resistance_ohm(100.0, 21.7, 5e6)
    assert resistance.to("ohm").magnitude == pytest.approx(expected)


def test_quantity_inputs_equal_si_floats():
    from_strings = interface_asr_ohm_m2("1 MPa", "1 cm^2", "21.7 ohm*m", "5 MPa")
    assert from_strings == pytest.approx(interface_asr_ohm_m2(1e6, 1e-4, 21.7, 5e6))


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"stack_pressure_Pa": -1.0}, "stack_pressure_Pa"),
        ({"area_m2": 0.0}, "area_m2"),
        ({"area_m2": -1e-4}, "area_m2"),
        ({"resistivity_ohm_m": 0.0}, "resistivity_ohm_m"),
        ({"hardness_Pa": 0.0}, "hardness_Pa"),
        ({"n_spots": 0}, "n_spots"),
        ({"n_spots": 2.5}, "n_spots"),
        ({"stack_pressure_Pa": float("nan")}, "stack_pressure_Pa"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, name):
    args = {"stack_pressure_Pa": 1e6, "area_m2": AREA, "resistivity_ohm_m": RHO} | kwargs
    with pytest.raises(SsblabInputError, match=name):
        interface_asr(**args)


def test_wrong_dimension_is_a_unit_error():
    with pytest.raises(UnitError, match="stack_pressure_Pa"):
        interface_asr("1 m", AREA, RHO)


def test_holm_bad_force():
    with pytest.raises(SsblabInputError, match="force_N"):
        holm_resistance_ohm(0.0, RHO)
    with pytest.raises(SsblabInputError, match="epsilon"):
        flux_tube_factor(1.5)


@settings(max_examples=60, deadline=None)
@given(st.floats(0.0, 1.2), st.integers(1, 10_000))
def test_array_form_matches_interface_asr(fraction, n_spots):
    from ssblab.models.constriction import asr_at_contact_fraction_ohm_m2, interface_asr_ohm_m2

    hardness, area, rho = 5e6, 1.131e-4, 1.0 / 0.046
    expected = interface_asr_ohm_m2(
        fraction * hardness, area, rho, hardness, counter_resistivity_ohm_m=9.5e-8, n_spots=n_spots
    )
    got = asr_at_contact_fraction_ohm_m2(
        [fraction], area, rho, counter_resistivity_ohm_m=9.5e-8, n_spots=n_spots
    )[0]
    assert got == pytest.approx(expected, rel=1e-9) or (got == expected == math.inf)
