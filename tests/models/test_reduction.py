"""Thermodynamic reduction potentials vs Li/Li+ and the Wenzel class they give."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssblab.errors import SsblabInputError
from ssblab.models.interphase import classify_interface
from ssblab.models.reduction import (
    AL2O3_FULL_REDUCTION_V,
    SIO2_FULL_REDUCTION_V,
    WINDOWS,
    classify_material,
    reduction_potential_V,
    stability_window,
)


def test_zhu_he_mo_2015_table_1_values():
    expected = {"LATP": (2.17, 4.21), "LAGP": (2.70, 4.27), "LLTO": (1.75, 3.71),
                "LLZO": (0.05, 2.91), "LiPON": (0.68, 2.63), "Li3PO4": (0.69, 4.21)}  # fmt: skip
    for name, (red, ox) in expected.items():
        w = stability_window(name)
        assert (w.reduction_V, w.oxidation_V) == (red, ox)


def test_al2o3_and_sio2_from_crc_gibbs_energies():
    # Al2O3 + 6Li -> 2Al + 3Li2O: -(3(-561.2) + 1582.3) kJ / (6 F)
    assert pytest.approx(101.3e3 / (6 * 96485.33212), rel=1e-6) == AL2O3_FULL_REDUCTION_V
    assert pytest.approx(0.175, abs=1e-3) == AL2O3_FULL_REDUCTION_V
    assert pytest.approx(266.1e3 / (4 * 96485.33212), rel=1e-6) == SIO2_FULL_REDUCTION_V


def test_classification_of_the_issue():
    assert classify_material("LATP").kind == "mci"
    assert classify_material("LAGP").kind == "mci"
    assert classify_material("LLTO").kind == "mci"
    llzo = classify_material("LLZO")
    assert llzo.kind == "sei" and llzo.kinetically_stable
    al2o3 = classify_material("Al2O3")  # reducible by Li: hence its lithiation
    assert al2o3.reduction_V > 0 and al2o3.kind == "sei"
    assert not classify_material("LATP").kinetically_stable
    assert classify_interface("LATP") == "mci"  # the interphase API takes names too
    assert classify_interface("LLZO") == "sei"


def test_every_reactive_entry_names_its_source():
    for w in WINDOWS.values():
        assert w.source
        if w.reduction_V is not None:
            assert w.reduced_by_li is (w.reduction_V > 0)


def test_lialo2_is_not_invented():
    assert stability_window("LiAlO2").reduction_V is None
    with pytest.raises(SsblabInputError, match="LiAlO2"):
        classify_material("LiAlO2")


@given(st.floats(-1e6, 1e6, allow_nan=False), st.floats(0.1, 20))
def test_reduction_potential_is_minus_dg_over_nf(dg, n):
    e = reduction_potential_V(dg, n)
    assert math.isclose(e * n * 96485.33212, -dg, rel_tol=1e-9, abs_tol=1e-6)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: stability_window("HfO2"), "material"),
        (lambda: reduction_potential_V(-1, 0), "n_li"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(SsblabInputError, match=name):
        call()
