"""The NumPy NNLS equals SciPy's on random and Voigt-relaxation problems."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssblab.impedance.nnls import nnls

scipy_optimize = pytest.importorskip("scipy.optimize")


def voigt_problem(rng):
    f = np.logspace(6, -1, 71)
    omega = 2 * np.pi * f
    tau = np.logspace(-7, 1.5, 39)
    basis = np.concatenate([1 / (1 + 1j * omega[:, None] * tau), np.ones((f.size, 1))], axis=1)
    truth = np.zeros(tau.size + 1)
    truth[rng.choice(tau.size, 3, replace=False)] = 10 ** rng.uniform(1, 4, 3)
    truth[-1] = 10 ** rng.uniform(0, 2)
    z = basis @ truth
    z = z * (1 + 0.003 * (rng.normal(size=z.size) + 1j * rng.normal(size=z.size)))
    w = np.abs(z)
    a = np.concatenate([basis.real / w[:, None], basis.imag / w[:, None]])
    b = np.concatenate([z.real / w, z.imag / w])
    norm = np.linalg.norm(a, axis=0)
    return a / norm, b


@pytest.mark.parametrize("seed", range(20))
def test_voigt_estimates_match_scipy(seed):
    a, b = voigt_problem(np.random.default_rng(seed))
    x, residual = nnls(a, b)
    x_ref, residual_ref = scipy_optimize.nnls(a, b)
    assert np.all(x >= 0)
    assert residual == pytest.approx(residual_ref, rel=1e-7, abs=1e-12)
    np.testing.assert_allclose(x, x_ref, rtol=1e-5, atol=1e-8 * np.abs(x_ref).max())


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 12), st.integers(1, 10), st.integers(0, 2**31 - 1))
def test_random_problems_reach_scipys_residual(m_extra, n, seed):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(n + m_extra, n))
    b = rng.normal(size=n + m_extra)
    x, residual = nnls(a, b)
    _, residual_ref = scipy_optimize.nnls(a, b)
    assert np.all(x >= 0)
    assert residual <= residual_ref * (1 + 1e-8) + 1e-10
    w = a.T @ (b - a @ x)  # KKT: gradient non-positive where x = 0, zero where x > 0
    scale = np.abs(a).max() * max(np.abs(b).max(), 1.0) * 1e-8
    assert np.all(w[x == 0] <= scale)
    assert np.all(np.abs(w[x > 0]) <= scale * 10)
