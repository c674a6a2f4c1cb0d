"""Li power-law creep with a size-dependent flow stress."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssblab.errors import SsblabInputError
from ssblab.models import creep


def test_anchor_and_exponent():
    assert creep.strain_rate_per_s(0.8e6, 298.15) == pytest.approx(5e-4)
    assert creep.strain_rate_per_s(1.6e6, 298.15) == pytest.approx(5e-4 * 2**6.6)


def test_activation_energy():
    ratio = creep.strain_rate_per_s(1e6, 350.0) / creep.strain_rate_per_s(1e6, 298.15)
    assert ratio == pytest.approx(math.exp(37e3 / 8.314462618 * (1 / 298.15 - 1 / 350.0)))


def test_size_effect():
    assert creep.reference_flow_stress_Pa(1e-6) == pytest.approx(105e6)
    assert creep.reference_flow_stress_Pa(10e-6) == pytest.approx(105e6 * 10**-0.68)
    assert creep.reference_flow_stress_Pa(1.0) == creep.LI_FLOW_STRESS_BULK_PA


@settings(max_examples=100, deadline=None)
@given(st.floats(1e3, 1e9), st.floats(250.0, 450.0))
def test_flow_stress_inverts_rate(sigma, t):
    rate = creep.strain_rate_per_s(sigma, t)
    if rate > 0:
        assert creep.flow_stress_Pa(rate, t) == pytest.approx(sigma, rel=1e-9)


def test_bad_input():
    with pytest.raises(SsblabInputError, match="temperature_K"):
        creep.strain_rate_per_s(1e6, 500.0)
    with pytest.raises(SsblabInputError, match="stress_Pa"):
        creep.strain_rate_per_s(-1.0, 300.0)
