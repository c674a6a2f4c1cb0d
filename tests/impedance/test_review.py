"""Analysis warnings: a spectrum failing Lin-KK and an arc that escaped the data are said."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ssblab.impedance.fitting import fit
from ssblab.impedance.review import escaped_warnings, kk_warning, review
from tests.impedance.synthetic import (
    add_noise,
    drift_low_frequency_half,
    impedance,
    log_frequencies,
    resistor,
    series,
    zarc,
)

F = log_frequencies(1e6, 1e-1, 10)
CELL = series(resistor(50), zarc(1e3, 1e-5, 0.9), zarc(5e3, 1e-2, 0.85))


def test_a_clean_spectrum_gets_no_kk_warning():
    z = add_noise(impedance(CELL, F), 0.002, np.random.default_rng(0))
    assert kk_warning(F, z) is None


def test_a_drifting_spectrum_is_said_to_fail_kk():
    z = drift_low_frequency_half(F, impedance(CELL, F), amplitude=0.1)
    warning = kk_warning(F, z)
    assert warning is not None and "Kramers–Kronig" in warning
    result = review(fit("R0-p(R1,CPE1)-p(R2,CPE2)", F, z), F, z)
    assert warning in result.warnings


def test_an_arc_outside_the_data_is_said_to_have_escaped():
    z = add_noise(impedance(CELL, F), 0.002, np.random.default_rng(1))
    good = review(fit("R0-p(R1,CPE1)-p(R2,CPE2)-p(R3,CPE3)", F, z), F, z)
    assert not escaped_warnings(good, F, z)
    params = good.parameters.copy()
    names = list(good.parameter_names)
    params[names.index("CPE3_0")] = 1e6  # τ = (R Q)^(1/α): far below the lowest frequency
    moved = replace(good, parameters=params)
    (warning,) = escaped_warnings(moved, F, z)
    assert "p(R3,CPE3) escaped the data" in warning
    assert warning in review(moved, F, z, kk=False).warnings


def test_review_does_not_repeat_a_warning():
    z = drift_low_frequency_half(F, impedance(CELL, F), amplitude=0.1)
    once = review(fit("R0-p(R1,CPE1)-p(R2,CPE2)", F, z), F, z)
    assert review(once, F, z).warnings == once.warnings
