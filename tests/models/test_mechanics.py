"""Monroe–Newman shear-modulus criterion with grain-boundary softening."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssblab.errors import SsblabInputError
from ssblab.models.mechanics import (
    LI_SHEAR_MODULUS_PA,
    LLZO_SHEAR_MODULUS_PA,
    MONROE_NEWMAN_RATIO,
    monroe_newman,
    shear_modulus_Pa,
)


def test_llzo_vs_li_suppresses():
    # seed 001: LLZO ≈ 60 GPa vs Li 4.9 GPa; Yu & Siegel: GB modulus up to 50 % lower
    r = monroe_newman()
    assert r.bulk_ratio == pytest.approx(60 / 4.9)
    assert r.gb_shear_modulus_Pa == pytest.approx(30e9)
    assert r.gb_ratio == pytest.approx(30 / 4.9)
    assert r.bulk_suppresses and r.gb_suppresses and r.suppresses
    assert r.verdict.startswith("suppresses")
    assert r.to_dict()["suppresses"] is True
    assert r.notes


def test_gb_softening_can_fail_the_criterion():
    r = monroe_newman(15e9, LI_SHEAR_MODULUS_PA, gb_softening=0.5)
    assert r.bulk_suppresses and not r.gb_suppresses and not r.suppresses
    assert "grain boundaries" in r.verdict


def test_soft_electrolyte_does_not_suppress():
    r = monroe_newman("0.01 GPa")  # a polymer-like modulus
    assert not r.bulk_suppresses
    assert r.verdict.startswith("does not")


@given(st.floats(1e8, 1e12), st.floats(0.0, 0.99))
def test_threshold_logic(g_sse, softening):
    r = monroe_newman(g_sse, gb_softening=softening)
    assert r.bulk_suppresses == (g_sse / LI_SHEAR_MODULUS_PA > MONROE_NEWMAN_RATIO)
    assert r.gb_ratio <= r.bulk_ratio


def test_no_softening_equals_bulk():
    r = monroe_newman(LLZO_SHEAR_MODULUS_PA, gb_softening=0.0)
    assert r.gb_ratio == r.bulk_ratio


def test_shear_modulus_from_youngs():
    assert shear_modulus_Pa(150e9, 0.25) == pytest.approx(60e9)
    with pytest.raises(SsblabInputError, match="poisson_ratio"):
        shear_modulus_Pa(1e9, 0.5)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"gb_softening": 1.0}, "gb_softening"),
        ({"gb_softening": -0.1}, "gb_softening"),
        ({"electrolyte_shear_modulus_Pa": -1.0}, "electrolyte_shear_modulus_Pa"),
        ({"li_shear_modulus_Pa": 0.0}, "li_shear_modulus_Pa"),
        ({"threshold_ratio": 0.0}, "threshold_ratio"),
    ],
)
def test_bad_input(kwargs, name):
    with pytest.raises(SsblabInputError, match=name):
        monroe_newman(**kwargs)
