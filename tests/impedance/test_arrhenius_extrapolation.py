"""Arrhenius σ(T*) outside the measured temperature range is flagged with the distance; inside,
nothing is flagged. The band and E_a are checked against the closed form."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssblab.errors import SsblabInputError
from ssblab.impedance.arrhenius import K_B_EV, arrhenius_fit, extrapolation

T = np.array([-80, -70, -60, -50, -40]) + 273.15  # the bundled LLZTO series


def sigma_of(t, ea=0.38, prefactor=1e5):
    return prefactor / t * np.exp(-ea / (K_B_EV * t))


def test_room_temperature_from_a_cold_series_is_flagged_with_the_distance():
    result = arrhenius_fit(T, sigma_of(T))  # default T* = 25 °C
    assert result.extrapolation_K == pytest.approx(65.0)
    (warning,) = result.warnings
    assert "σ(25 °C) is extrapolated 65 K above the highest measured temperature (−40 °C)" in (
        warning
    )
    assert result.sigma_extrapolated_S_m == pytest.approx(sigma_of(298.15), rel=1e-9)


def test_below_the_range_is_flagged_too():
    result = arrhenius_fit(T, sigma_of(T), extrapolate_to_K=173.15)
    assert result.extrapolation_K == pytest.approx(-20.0)
    assert "20 K below the lowest measured temperature (−80 °C)" in result.warnings[0]


@settings(max_examples=50, deadline=None)
@given(st.floats(0.0, 1.0))
def test_inside_the_range_nothing_is_flagged(fraction):
    target = T.min() + fraction * (T.max() - T.min())
    result = arrhenius_fit(T, sigma_of(T), extrapolate_to_K=target)
    assert result.extrapolation_K == 0.0 and result.warnings == ()
    assert result.sigma_extrapolated_S_m == pytest.approx(sigma_of(target), rel=1e-9)


@settings(max_examples=50, deadline=None)
@given(st.floats(1.0, 400.0), st.booleans())
def test_the_distance_is_the_gap_to_the_nearest_measured_temperature(gap, above):
    target = T.max() + gap if above else T.min() - gap
    if target <= 0:
        return
    distance, warnings = extrapolation(T, target)
    assert distance == pytest.approx(gap if above else -gap)
    assert f"{gap:.3g} K" in warnings[0]


def test_the_band_widens_with_the_distance():
    rng = np.random.default_rng(4)
    noisy = sigma_of(T) * np.exp(0.02 * rng.normal(size=T.size))
    widths = []
    for target in (213.15, 253.15, 298.15, 373.15):
        low, high = arrhenius_fit(
            T, noisy, 0.02 * noisy, extrapolate_to_K=target
        ).sigma_extrapolated_band_S_m
        widths.append(np.log(high / low))
    assert widths == sorted(widths)


def test_t_quantile_matches_the_tabulated_value():
    """95 % two-sided with 3 dof: t = 3.182 (any statistics table)."""
    from ssblab.impedance.arrhenius import _t_quantile

    assert _t_quantile(0.975, 3) == pytest.approx(3.1824, abs=1e-4)


@pytest.mark.parametrize("target", [0.0, -5.0, float("nan"), float("inf")])
def test_a_meaningless_target_temperature_is_bad_input(target):
    with pytest.raises(SsblabInputError, match="must be positive"):
        arrhenius_fit(T, sigma_of(T), extrapolate_to_K=target)
