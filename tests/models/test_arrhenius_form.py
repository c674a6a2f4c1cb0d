"""The cell parameters and the impedance Arrhenius fit share one σ(T) law and name its form."""

import math

import numpy as np
import pytest

from ssblab.errors import SsblabInputError
from ssblab.impedance.arrhenius import arrhenius_fit
from ssblab.models.parameter_schema import parameter_set, with_overrides

K_B_EV = 8.617333262e-5


def test_every_set_names_its_arrhenius_form():
    for name in ("llzto_bare", "latp_bare", "llto", "al_llzo"):
        raw, p = parameter_set(name)
        assert p.sse_activation_energy_form in ("sigma", "sigmaT")
        assert raw.parameters["sse_activation_energy_form"].source


def test_sigma_t_form_scales_by_t_ref_over_t():
    _, p = parameter_set("llzto_bare")
    hot_sigma = with_overrides(p, {"temperature": "100 degC"})
    hot_sigma_t = with_overrides(
        p, {"temperature": "100 degC", "sse_activation_energy_form": "sigmaT"}
    )
    t = 373.15
    expected = p.sse_sigma_ion * math.exp(-p.sse_activation_energy / K_B_EV * (1 / t - 1 / 298.15))
    assert hot_sigma.sse_sigma_ion_at_temperature == pytest.approx(expected, rel=1e-12)
    assert hot_sigma_t.sse_sigma_ion_at_temperature == pytest.approx(
        expected * 298.15 / t, rel=1e-12
    )


def test_an_energy_fitted_by_eis_arrhenius_goes_in_with_its_form():
    """Synthetic σT-Arrhenius data: the fit's E_a (σT, the fit's default) in a set with
    form sigmaT reproduces σ at every temperature; in the σ form it would not."""
    t = np.array([298.15, 323.15, 348.15, 373.15])
    ea, a = 0.45, 3.0e5
    sigma = a / t * np.exp(-ea / (K_B_EV * t))
    fit = arrhenius_fit(t, sigma)
    assert fit.activation_energy_eV == pytest.approx(ea, rel=1e-9)
    _, p = parameter_set("llzto_bare")
    base = {"sse_sigma_ion": f"{sigma[0]} S/m", "sse_activation_energy": f"{ea} eV"}
    for temp, want in zip(t, sigma, strict=True):
        right = with_overrides(p, {**base, "sse_activation_energy_form": "sigmaT",
                                   "temperature": f"{temp} K"})  # fmt: skip
        wrong = with_overrides(p, {**base, "temperature": f"{temp} K"})
        assert right.sse_sigma_ion_at_temperature == pytest.approx(want, rel=1e-9)
        if temp > 300:
            assert wrong.sse_sigma_ion_at_temperature > 1.05 * want


def test_unknown_form_is_refused():
    _, p = parameter_set("llzto_bare")
    with pytest.raises(SsblabInputError, match="sse_activation_energy_form"):
        with_overrides(p, {"sse_activation_energy_form": "vft"})
