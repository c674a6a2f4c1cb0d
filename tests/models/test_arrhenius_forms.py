"""σ vs σT Arrhenius forms: the helpers the models and impedance.arrhenius share."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssblab.errors import SsblabInputError
from ssblab.impedance.arrhenius import (
    arrhenius_fit,
    conductivity_at_temperature,
    convert_activation_energy_eV,
)
from ssblab.models.parameter_schema import parameter_set


def test_seed002_two_points_in_both_forms():
    t, s = [298.15, 393.15], [9.56e-4, 7.78e-3]  # S/m (seed 002, 300 °C film)
    e_t = arrhenius_fit(t, s, model="sigmaT").activation_energy_eV
    e_s = arrhenius_fit(t, s, model="sigma").activation_energy_eV
    assert e_t == pytest.approx(0.252, abs=1e-3)
    assert e_s == pytest.approx(0.223, abs=1e-3)
    assert convert_activation_energy_eV(e_t, *t) == pytest.approx(e_s, abs=1e-9)
    assert convert_activation_energy_eV(e_s, *t, to_model="sigmaT") == pytest.approx(e_t)
    assert conductivity_at_temperature(s[0], e_s, t[1], model="sigma") == pytest.approx(s[1])
    assert conductivity_at_temperature(s[0], e_t, t[1]) == pytest.approx(s[1])


def test_parameter_sets_use_the_seed_energies_in_the_sigma_form():
    _, latp = parameter_set("latp_bare")
    assert latp.sse_activation_energy == pytest.approx(0.30)  # seed 004, not 0.35 eV
    _, llto = parameter_set("llto")
    assert llto.sse_activation_energy == pytest.approx(0.223)  # seed 002's own two points
    # CellParameters scales in the σ form: the same as the helper with model="sigma"
    sigma = conductivity_at_temperature(
        llto.sse_sigma_ion, llto.sse_activation_energy, llto.temperature, model="sigma"
    )
    assert llto.sse_sigma_ion_at_temperature == pytest.approx(sigma)


@given(st.floats(0.05, 1.0), st.floats(250, 400), st.floats(1, 200))
def test_conversion_round_trip(e, low, span):
    there = convert_activation_energy_eV(e, low, low + span)
    assert convert_activation_energy_eV(there, low, low + span, to_model="sigmaT") == (
        pytest.approx(e)
    )
    assert there < e


def test_bad_input_names_the_parameter():
    with pytest.raises(SsblabInputError, match="model"):
        conductivity_at_temperature(1.0, 0.3, 300.0, model="x")
    with pytest.raises(SsblabInputError, match="temperature_K"):
        conductivity_at_temperature(1.0, 0.3, -1.0)
    with pytest.raises(SsblabInputError, match="low_K"):
        convert_activation_energy_eV(0.3, 400.0, 300.0)
