"""Electronic leakage in a mixed-conducting electrolyte: closed forms, limits, GBs, bad input."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssblab.errors import SsblabInputError
from ssblab.knowledge import default_knowledge_base
from ssblab.knowledge.store import value_in_si
from ssblab.models.leakage import (
    CURRENT_DENSITY_SEED000_A_M2,
    GB_BAND_GAP_EV,
    GB_WIDTH_M,
    SIGMA_E_LLZO_S_M,
    SIGMA_ION_LLZTO_S_M,
    THICKNESS_LLZTO_M,
    Layer,
    electronic_transference_number,
    leakage,
    mixed_conductor_profile,
    polycrystal_electronic_conductivity,
)

J = CURRENT_DENSITY_SEED000_A_M2
L = THICKNESS_LLZTO_M
SI = SIGMA_ION_LLZTO_S_M
SE = SIGMA_E_LLZO_S_M


@pytest.mark.parametrize(
    ("record_id", "value"),
    [
        ("s001-s4-llzo-electronic", SIGMA_E_LLZO_S_M),
        ("s000-bare-llzto-sigma-rt", SIGMA_ION_LLZTO_S_M),
        ("s000-llzto-pellet-thickness", THICKNESS_LLZTO_M),
        ("s000-sym-current-density", CURRENT_DENSITY_SEED000_A_M2),
        ("s001-s3-gb-sim-width", GB_WIDTH_M),
    ],
)
def test_defaults_match_knowledge_base(record_id, value):
    record = default_knowledge_base().get(record_id)
    assert value_in_si(record, record.value) == pytest.approx(value)


def test_gb_band_gap_matches_knowledge_base():
    record = default_knowledge_base().get("s000-llzo-gb-band-gap")
    assert (record.value, record.value_max) == GB_BAND_GAP_EV


def test_ideal_homogeneous_is_wagner_and_marginal():
    r = leakage(J, L, SI, SE)
    t_e = electronic_transference_number(SI, SE)
    assert r.electronic_fraction == pytest.approx(t_e)
    assert t_e == pytest.approx(1e-6 / (1e-6 + 4.6e-2))
    assert r.cell_voltage_V == pytest.approx(J * L / (SI + SE))
    assert r.zones_m == ()
    assert r.deposition_fraction == 0.0
    assert max(abs(u) for pair in r.li_potential_V for u in pair) < 1e-9 * r.cell_voltage_V


def test_charge_transfer_asr_closed_form():
    r0 = 1e-3  # 10 ohm cm2 at each interface
    r = leakage(J, L, SI, SE, asr_plating_ohm_m2=r0)
    r_i, r_e = 2 * r0 + L / SI, L / SE
    j_i = J * r_e / (r_i + r_e)
    assert r.ionic_current_density_A_m2 == pytest.approx(j_i)
    assert r.electronic_current_density_A_m2 == pytest.approx(J - j_i)
    assert r.li_potential_V[0] == pytest.approx((-j_i * r0, j_i * r0))
    assert r.front_depth_m == pytest.approx(L / 2)
    assert len(r.zones_m) == 1
    assert r.zones_m[0] == pytest.approx((0.0, L / 2))
    x_f = L / 2
    expected = (r0 + x_f / SI) / (r0 + x_f / SI + x_f / SE)
    assert r.deposition_fraction == pytest.approx(expected)
    assert r.li_potential_at([0.0, L / 2, L]) == pytest.approx(
        [-j_i * r0, 0.0, j_i * r0], abs=1e-12
    )


def test_asymmetric_interfaces_move_the_front():
    r = leakage(J, L, SI, SE, asr_plating_ohm_m2=3e-3, asr_stripping_ohm_m2=1e-3)
    assert r.front_depth_m == pytest.approx(0.75 * L)


def test_nucleation_overpotential_sets_onset_current():
    eta = 5e-3
    r = leakage(J, L, SI, SE, asr_plating_ohm_m2=1e-3, nucleation_overpotential_V=eta)
    u0 = r.li_potential_V[0][0]
    assert r.onset_current_density_A_m2 == pytest.approx(eta * J / -u0)
    below = leakage(
        0.5 * r.onset_current_density_A_m2,
        L,
        SI,
        SE,
        asr_plating_ohm_m2=1e-3,
        nucleation_overpotential_V=eta,
    )
    assert below.zones_m == ()
    assert below.deposition_fraction == 0.0
    # the zone shrinks from L/2 to (L/2)(1 − η/|U(0)|)
    assert r.front_depth_m == pytest.approx(L / 2 * (1 - eta / -u0))


def test_leakage_vanishes_with_electronic_conductivity():
    previous = None
    for sigma_e in (1e-4, 1e-6, 1e-9, 1e-12, 0.0):
        r = leakage(J, L, SI, sigma_e, asr_plating_ohm_m2=1e-3)
        if previous is not None:
            assert r.deposition_fraction <= previous
        previous = r.deposition_fraction
    assert r.electronic_current_density_A_m2 == 0.0
    assert r.deposition_fraction == 0.0


@settings(max_examples=40, deadline=None)
@given(
    st.floats(1e-10, 1e-3),
    st.floats(1.5, 100.0),
    st.floats(1e-5, 1e-2),
)
def test_deposition_fraction_increases_with_sigma_e(sigma_e, factor, asr):
    low = leakage(J, L, SI, sigma_e, asr_plating_ohm_m2=asr)
    high = leakage(J, L, SI, sigma_e * factor, asr_plating_ohm_m2=asr)
    assert high.electronic_fraction > low.electronic_fraction
    assert high.deposition_fraction >= low.deposition_fraction
    assert 0.0 <= low.deposition_fraction <= 1.0


def test_high_sigma_e_layer_at_plating_side_supersaturates():
    t_gb = 2e-6
    layers = [Layer(t_gb, SI, 1e-2, "GB-rich"), Layer(L - t_gb, SI, SE, "bulk")]
    r = mixed_conductor_profile(J, layers)
    assert r.min_li_potential_depth_m == pytest.approx(t_gb)
    assert r.min_li_potential_V == pytest.approx(
        -r.ionic_current_density_A_m2 * t_gb / SI, rel=1e-3
    )
    assert r.zones_m and r.zones_m[0][0] == 0.0
    # with a nucleation threshold the zone is centred on the layer and grows with current
    eta = 1e-4
    r1 = mixed_conductor_profile(J, layers, nucleation_overpotential_V=eta)
    r2 = mixed_conductor_profile(2 * J, layers, nucleation_overpotential_V=eta)
    assert r1.zones_m[0][0] < t_gb < r1.zones_m[0][1]
    assert r2.supersaturated_width_m > r1.supersaturated_width_m


def test_blocking_layer_stops_leakage_and_isolated_layer_has_no_electrons():
    layers = [
        Layer(20e-9, 1e-4, 1e-3, "mixed conductor"),
        Layer(15e-9, 3e-10, 0.0, "Al2O3"),
        Layer(1e-6, 1e-3, 1e-3, "isolated"),
        Layer(10e-9, 1e-6, 0.0, "second blocker"),
        Layer(0.5e-3, 1.5e-2, 1e-8, "electrolyte"),
    ]
    r = mixed_conductor_profile(0.1, layers)
    assert r.electronic_current_density_A_m2 == 0.0
    assert all(math.isnan(u) for u in r.li_potential_V[2])
    # connected to the stripped electrode: U rises to J_i r_L = 0 there, never below
    assert all(u >= 0 for u in r.li_potential_V[4])
    assert r.li_potential_V[4][0] > 0
    assert r.front_depth_m == pytest.approx(20e-9)
    r_ion, r_e = 20e-9 / 1e-4, 20e-9 / 1e-3
    assert r.deposition_fraction == pytest.approx(r_ion / (r_ion + r_e))


def test_brick_layer_closed_forms():
    same = polycrystal_electronic_conductivity(SE, SE, 3.3e-6)
    assert same.sigma_e_effective_S_m == pytest.approx(SE)
    d, delta, s_gb = 3.3e-6, 2e-9, 1e-3
    p = polycrystal_electronic_conductivity(SE, s_gb, d, delta)
    r = delta / d
    expected = (1 - 2 * r) / ((1 - r) / SE + r / s_gb) + 2 * r * s_gb
    assert p.sigma_e_effective_S_m == pytest.approx(expected)
    assert p.gb_current_share == pytest.approx(2 * r * s_gb / expected)
    blocked = polycrystal_electronic_conductivity(SE, 0.0, d, delta)
    assert blocked.sigma_e_effective_S_m == 0.0
    along = polycrystal_electronic_conductivity(0.0, s_gb, d, delta)
    assert along.sigma_e_effective_S_m == pytest.approx(2 * r * s_gb)
    assert along.enhancement is None


@settings(max_examples=40, deadline=None)
@given(st.floats(1e-9, 1e-1), st.floats(1.01, 1e3))
def test_brick_layer_monotone_in_gb_conductivity(s_gb, factor):
    a = polycrystal_electronic_conductivity(SE, s_gb, 3.3e-6)
    b = polycrystal_electronic_conductivity(SE, s_gb * factor, 3.3e-6)
    assert b.sigma_e_effective_S_m > a.sigma_e_effective_S_m


def test_li_al_o_modified_gbs_lower_the_internal_deposition():
    bare = polycrystal_electronic_conductivity(SE, 1e-3, 3.3e-6)
    modified = polycrystal_electronic_conductivity(SE, SE, 3.3e-6)
    kwargs = {"asr_plating_ohm_m2": 1e-3}
    f_bare = leakage(J, L, SI, bare.sigma_e_effective_S_m, **kwargs).deposition_fraction
    f_mod = leakage(J, L, SI, modified.sigma_e_effective_S_m, **kwargs).deposition_fraction
    assert f_mod < f_bare


def test_quantity_strings_accepted():
    r = leakage("1 mA/cm^2", "0.5 mm", "4.6e-4 S/cm", "1e-8 S/cm")
    assert r.current_density_A_m2 == pytest.approx(10.0)
    assert r.electronic_fraction == pytest.approx(electronic_transference_number(SI, SE))


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"current_density_A_m2": 0.0}, "current_density_A_m2"),
        ({"current_density_A_m2": -1.0}, "current_density_A_m2"),
        ({"thickness_m": -1e-3}, "thickness_m"),
        ({"sigma_ion_S_m": 0.0}, "sigma_ion_S_m"),
        ({"sigma_e_S_m": -1e-9}, "sigma_e_S_m"),
        ({"asr_plating_ohm_m2": -1.0}, "asr_plating_ohm_m2"),
        ({"nucleation_overpotential_V": -0.1}, "nucleation_overpotential_V"),
        ({"current_density_A_m2": float("nan")}, "current_density_A_m2"),
        ({"current_density_A_m2": "1 mA"}, "current_density_A_m2"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, name):
    args = {
        "current_density_A_m2": J,
        "thickness_m": L,
        "sigma_ion_S_m": SI,
        "sigma_e_S_m": SE,
    }
    extra = {k: v for k, v in kwargs.items() if k not in args}
    args.update({k: v for k, v in kwargs.items() if k in args})
    with pytest.raises(SsblabInputError, match=name):
        leakage(**args, **extra)


def test_bad_stack_and_gb_geometry():
    with pytest.raises(SsblabInputError, match="layers"):
        mixed_conductor_profile(J, [])
    with pytest.raises(SsblabInputError, match="layers"):
        mixed_conductor_profile(J, [(1e-3, 1.0, 0.0)])
    with pytest.raises(SsblabInputError, match="gb_width_m"):
        polycrystal_electronic_conductivity(SE, 1e-3, 3e-9, 2e-9)
    with pytest.raises(SsblabInputError, match="grain_size_m"):
        polycrystal_electronic_conductivity(SE, 1e-3, -1.0)


def test_result_serialises():
    d = leakage(J, L, SI, SE, asr_plating_ohm_m2=1e-3).to_dict()
    assert d["zones_m"] and np.isfinite(d["deposition_fraction"])
