"""The covariance step never raises, falls back visibly, and is right when it can be.

Regression cases: spectra with outliers found by a seeded search (600 spectra, seeds 0–599 of
the generator below) on which the previous fitter raised ``LinAlgError: SVD did not converge``
in its covariance step (seeds 56, 76 and 481).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ssblab.impedance.circuits import Circuit
from ssblab.impedance.diagnostics import covariance
from ssblab.impedance.fitting import fit
from tests.impedance.test_fitting import FREQ, noisy, random_spectrum

FAMILIES = ("pellet", "symmetric", "film")


def family_spectrum(family: str, rng: np.random.Generator):
    """One spectrum of benchmarks/eis_fit.py's corpus (the same draws in the same order as
    test_fitting.random_spectrum, then its 0.3 % noise)."""
    text, params = random_spectrum(rng, family)
    return text, noisy(Circuit(text).impedance(FREQ, params), rng)


def outlier_spectrum(seed: int):
    """A corpus spectrum with 1 % noise and 1–5 outliers (scaled up to 1e6, sign-flipped or
    conjugated and rescaled): extreme but finite values."""
    rng = np.random.default_rng(seed)
    corpus_rng = np.random.default_rng(seed)
    spectra = [family_spectrum(family, corpus_rng) for family in FAMILIES]
    text, z = spectra[rng.integers(0, 3)]
    z = z * (1 + 0.01 * (rng.normal(size=z.size) + 1j * rng.normal(size=z.size)))
    k = rng.integers(1, 6)
    idx = rng.choice(z.size, k, replace=False)
    kind = rng.integers(0, 3)
    if kind == 0:
        z[idx] *= 10 ** rng.uniform(1, 6, k)
    elif kind == 1:
        z[idx] = -z[idx] * 10 ** rng.uniform(0, 3, k)
    else:
        z[idx] = z[idx].conj() * 10 ** rng.uniform(-6, 6, k)
    return text, z


@pytest.mark.parametrize("seed", [56, 76, 481])
def test_spectra_that_crashed_the_covariance_now_fit_with_warnings(seed):
    text, z = outlier_spectrum(seed)
    assert np.all(np.isfinite(z))
    result = fit(text, FREQ, z)
    assert result.converged
    # a standard error is finite, or absent (NaN, never inf) and that parameter is named
    assert not np.any(np.isinf(result.stderr))
    absent = [n for n, e in zip(result.parameter_names, result.stderr, strict=True) if np.isnan(e)]
    if absent:
        assert any(
            "no standard error" in w and all(n in w for n in absent) for w in result.warnings
        )
    assert np.all(np.isfinite(result.correlation))
    # a fit through outliers is never silent
    assert result.warnings
    assert any("not white" in w or "fall-back" in w or "no standard error" in w
               for w in result.warnings)  # fmt: skip


def test_well_conditioned_covariance_is_the_inverse():
    rng = np.random.default_rng(3)
    jac = rng.normal(size=(4, 50))
    cov = covariance(jac, 2.0)
    assert cov.method == "inverse"
    np.testing.assert_allclose(cov.cov, 2.0 * np.linalg.inv(jac @ jac.T), rtol=1e-10)


def test_rank_deficient_jacobian_uses_the_pseudo_inverse_and_names_the_directions():
    rng = np.random.default_rng(4)
    jac = rng.normal(size=(3, 40))
    jac = np.vstack([jac, jac[0]])  # parameter 3 duplicates parameter 0
    cov = covariance(jac, 1.0)
    assert cov.method == "pseudo-inverse"
    assert set(cov.unidentified) == {0, 3}
    assert np.all(np.isfinite(cov.cov))


def test_zero_and_non_finite_columns_get_no_variance():
    rng = np.random.default_rng(5)
    jac = rng.normal(size=(4, 30))
    jac[1] = 0.0
    jac[2, 5] = np.inf
    cov = covariance(jac, 1.0)
    assert set(cov.unusable) == {1, 2}
    assert cov.cov[1, 1] == 0.0 and cov.cov[2, 2] == 0.0
    assert cov.cov[0, 0] > 0 and cov.cov[3, 3] > 0


@settings(max_examples=200, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 6), st.integers(1, 20)),
        elements=st.one_of(
            st.floats(-1e300, 1e300, allow_nan=False),
            st.sampled_from([0.0, np.nan, np.inf, -np.inf, 1e-300]),
        ),
    ),
    st.floats(0, 1e10),
)
def test_covariance_never_raises(jac, reduced):
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # no RuntimeWarning leaks
        cov = covariance(jac, reduced)
    assert cov.cov.shape == (jac.shape[0], jac.shape[0])
    assert cov.method in ("inverse", "pseudo-inverse", "diagonal")
