"""FitResult.warnings: each reason not to trust a fit is triggered by a constructed spectrum
with a known answer, and a clean, well-determined fit carries none."""

from __future__ import annotations

import numpy as np
import pytest

from ssblab.impedance.circuits import Circuit
from ssblab.impedance.diagnostics import Covariance, fit_warnings, white_threshold
from ssblab.impedance.fitting import fit
from ssblab.impedance.model import ALPHA_MIN

FREQ = np.logspace(7, -1, 81)
PELLET = "R0-p(R1,CPE1)-p(R2,CPE2)-CPE3"
PELLET_TRUTH = [50, 1e3, 1e-10, 0.9, 5e3, 1e-8, 0.8, 1e-6, 0.9]


def noisy(z, seed=0, level=0.003):
    rng = np.random.default_rng(seed)
    return z * (1 + level * (rng.normal(size=z.size) + 1j * rng.normal(size=z.size)))


def spectrum(text, params, seed=0, level=0.003):
    return noisy(Circuit(text).impedance(FREQ, params), seed, level)


def has(result, *words):
    return any(all(w in message for w in words) for message in result.warnings)


@pytest.mark.parametrize("seed", range(3))
def test_clean_well_determined_fit_has_no_warnings(seed):
    result = fit(PELLET, FREQ, spectrum(PELLET, PELLET_TRUTH, seed))
    assert result.warnings == ()
    assert result.converged


def test_collapsed_series_resistance_is_named():
    # the case (R0 = 3e-55 ± 349 Ω reported as converged): a series resistance the data
    # do not have, started small, is driven to ~0 by noise that prefers R0 < 0
    z = spectrum("p(R1,C1)-CPE2", [1e4, 1e-11, 1e-6, 0.9])
    result = fit("R0-p(R1,C1)-CPE2", FREQ, z, initial=[1.0, 1e4, 1e-11, 1e-6, 0.9])
    r0 = result.parameter_dict()["R0"]
    assert r0 < 1e-6 * np.abs(z).min()
    assert has(result, "R0", "collapsed")
    assert has(result, "R0", "relative standard error")


def test_negligible_tail_is_named():
    # a pellet circuit forced onto a spectrum without a blocking tail: CPE3 describes nothing
    z = spectrum("R0-p(R1,CPE1)-p(R2,CPE2)", [20, 500, 1e-9, 1.0, 2e3, 1e-6, 1.0], level=1e-4)
    result = fit(PELLET, FREQ, z)
    assert result.parameter_dict()["R0"] == pytest.approx(20, rel=0.05)
    assert has(result, "CPE3 is negligible")


def test_low_exponent_is_named():
    text = "R0-CPE1"
    z = spectrum(text, [20.0, 1e-4, 0.3])
    result = fit(text, FREQ, z)
    assert result.parameter_dict()["CPE1_1"] == pytest.approx(0.3, abs=0.01)
    assert has(result, "CPE1_1", "< 0.4")


def test_negligible_inductance_is_named():
    # a resistive high-frequency end (arc at 1.6 kHz) fitted with a series inductor
    text = "L0-R0-p(R1,CPE1)"
    z = spectrum("R0-p(R1,CPE1)", [50, 1e3, 1e-4**0.9 / 1e3, 0.9], level=1e-4)
    result = fit(text, FREQ, z)
    assert has(result, "L0 is negligible")


def test_undetermined_parameter_has_relative_error_warning():
    # a second arc 1e-5 of the first: its R is lost in 0.3 % noise
    text = "R0-p(R1,C1)-p(R2,C2)"
    truth = [100.0, 1e4, 1e-9, 0.05, 1e-5]
    result = fit(text, FREQ, spectrum(text, truth), initial=truth)
    assert result.stderr_dict()["R2"] > result.parameter_dict()["R2"]
    assert has(result, "R2", "relative standard error")


def test_strong_correlation_is_named():
    # an arc at 3 GHz, far above the window: only R0 + R1 is determined
    text = "R0-p(R1,C1)-CPE2"
    truth = [20.0, 30.0, 1 / (2 * np.pi * 3e9 * 30.0), 1e-6, 0.9]
    z = spectrum(text, truth, level=1e-4)
    result = fit(text, FREQ, z, initial=truth)
    rho = result.correlation[0, 1]
    assert abs(rho) > 0.999
    assert has(result, "R0 and R1", "correlated")


def test_structured_residuals_and_noise_floor():
    # a film spectrum (arc + blocking tail) fitted without the tail
    z = spectrum("R0-p(R1,CPE1)-CPE2", [50, 1e4, 1e-10, 0.85, 1e-7, 0.8])
    result = fit("R0-p(R1,CPE1)", FREQ, z)
    assert has(result, "not white")
    assert has(result, "noise floor")


def test_exactly_degenerate_parameters_use_the_fallback_and_say_so():
    text = "R0-R1-p(R2,CPE2)"  # R0 and R1 enter only as R0 + R1
    z = spectrum("R0-p(R2,CPE2)", [30, 1e3, 1e-9, 0.9])
    result = fit(text, FREQ, z, initial=[15, 15, 1e3, 1e-9, 0.9])
    assert result.parameter_dict()["R0"] + result.parameter_dict()["R1"] == pytest.approx(
        30, rel=0.05
    )
    assert has(result, "fall-back", "R0", "R1")
    assert np.all(np.isfinite(result.stderr))


BENIGN = {"R0-p(R1,CPE1)": [10.0, 1e3, 1e-9, 0.9], "R0-p(R1,C1)": [10.0, 1e3, 1e-9]}


def _circuit_warnings(text, params, cov=None, autocorrelation=0.0):
    """fit_warnings for given parameters against a spectrum of ordinary ones."""
    circuit = Circuit(text)
    p = np.asarray(params, dtype=float)
    free = np.arange(circuit.n_params)
    z = circuit.impedance(FREQ, BENIGN[text])
    cov = cov or Covariance(np.eye(free.size) * 1e-6, "inverse", ())
    return fit_warnings(
        circuit, p, np.zeros_like(p), np.eye(p.size), free, FREQ, z, autocorrelation, cov
    )


def test_parameter_at_the_numerical_bound_and_exponent_at_its_floor():
    out = _circuit_warnings("R0-p(R1,CPE1)", [10.0, 1e3, 1e305, ALPHA_MIN])
    assert any("CPE1_0" in w and "numerical bound" in w for w in out)
    assert any("CPE1_1" in w and "floor" in w for w in out)


def test_white_threshold_follows_the_number_of_points():
    assert white_threshold(81) == pytest.approx(3 / 9)
    assert white_threshold(2000) == 0.15
    out = _circuit_warnings("R0-p(R1,C1)", [10.0, 1e3, 1e-9], autocorrelation=0.5)
    assert any("not white" in w for w in out)
    assert _circuit_warnings("R0-p(R1,C1)", [10.0, 1e3, 1e-9], autocorrelation=0.2) == ()


def test_lag1_autocorrelation_of_white_noise_stays_below_the_threshold():
    # the 3/sqrt(N) rule: white residuals pass in at least 99 % of cases
    from ssblab.impedance.diagnostics import residual_autocorrelation

    rng = np.random.default_rng(5)
    n = 81
    flagged = sum(
        residual_autocorrelation(rng.normal(size=2 * n)) > white_threshold(n) for _ in range(2000)
    )
    assert flagged <= 20
