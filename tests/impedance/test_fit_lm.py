"""The minimiser's building blocks: the fitted-variable model against the circuit tree and
finite differences, the Jacobian computed only at accepted points, and fit_many."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssblab.impedance.circuits import Circuit
from ssblab.impedance.fitting import _prepare, fit, fit_many
from ssblab.impedance.lm import levenberg_marquardt

FREQ = np.logspace(6, -2, 61)
CIRCUITS = {
    "R0-p(R1,CPE1)-p(R2,CPE2)-CPE3": [10, 1e3, 1e-10, 0.9, 5e3, 1e-8, 0.8, 1e-6, 0.9],
    "L0-R0-p(R1,C1)-Wo1": [1e-7, 10, 1e3, 1e-9, 100, 1.0],
    "La0-R0-p(R1,CPE1)-p(R2,CPE2)-Ws1": [1e-6, 0.8, 10, 1e3, 1e-9, 0.9, 1e3, 1e-7, 0.8, 100, 1.0],
    "R0-p(R1,CPE1)-W1-C2-G1-K1": [10, 1e3, 1e-9, 0.9, 50, 1e-3, 20, 1e-2, 30, 1e-4],
    "R0-p(R1-Wo1,C1)-p(R2,G1)": [5, 100, 40, 0.5, 1e-6, 30, 20, 1e-2],  # nested: tree path
}


def model_of(text, params, fixed=None):
    z = Circuit(text).impedance(FREQ, params)
    return _prepare(text, FREQ, z, "modulus", fixed)


@pytest.mark.parametrize("text", CIRCUITS)
@pytest.mark.parametrize("fixed_index", [None, 1, 3])
def test_flat_and_tree_jacobians_agree_with_finite_differences(text, fixed_index):
    params = np.array(CIRCUITS[text], dtype=float)
    circuit = Circuit(text)
    names = circuit.parameter_names
    fixed = None if fixed_index is None else {names[fixed_index]: params[fixed_index]}
    model = model_of(text, params, fixed)
    rows = np.array([params, params * np.where(circuit.fraction_mask, 1.0, 1.2)])
    if fixed_index is not None:
        rows[:, fixed_index] = params[fixed_index]
    x = model.to_x(rows)
    np.testing.assert_allclose(model.params(x), rows, rtol=1e-12)
    _, jac = model.residuals_and_jacobian(x)
    _, tree = model._tree_jacobian(x)
    tree = tree.view(np.float64) * model.weights
    np.testing.assert_allclose(jac, tree, rtol=1e-9, atol=1e-12 * np.abs(tree).max())
    h = 1e-6
    for k in range(model.n):
        up, down = x.copy(), x.copy()
        up[:, k] += h
        down[:, k] -= h
        numeric = (model.residuals(up) - model.residuals(down)) / (2 * h)
        error = np.abs(numeric - jac[:, k]).max()
        assert error < 1e-5 * np.abs(jac[:, k]).max() + 1e-8 * np.abs(jac).max(), (text, k)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(-1.0, 4.0), min_size=3, max_size=3),
    st.lists(st.floats(-7.0, -2.0), min_size=2, max_size=2),
    st.lists(st.floats(0.4, 1.0), min_size=3, max_size=3),
)
def test_fitted_variables_round_trip(log_r, log_tau, alphas):
    # arcs are fitted through ln τ: p -> x -> p is the identity for any admissible parameters
    text = "R0-p(R1,CPE1)-p(R2,CPE2)-CPE3"
    r0, r1, r2 = 10.0 ** np.array(log_r)
    t1, t2 = 10.0 ** np.array(log_tau)
    a1, a2, a3 = alphas
    p = np.array([r0, r1, t1**a1 / r1, a1, r2, t2**a2 / r2, a2, 1e-6, a3])
    model = model_of(text, p)
    x = model.to_x(p[None])
    assert x[0, 2] == pytest.approx(np.log(t1)) and x[0, 5] == pytest.approx(np.log(t2))
    np.testing.assert_allclose(model.params(x)[0], p, rtol=1e-10)


class CountingModel:
    """Wraps a model and counts residual and Jacobian evaluations (rows)."""

    def __init__(self, model):
        self.model = model
        self.residual_rows = 0
        self.jacobian_rows = 0

    def __getattr__(self, name):
        return getattr(self.model, name)

    def evaluate(self, x):
        self.residual_rows += x.shape[0]
        return self.model.evaluate(x)

    def jacobian(self, x, cache, rows=None):
        self.jacobian_rows += x.shape[0]
        return self.model.jacobian(x, cache, rows)

    def residuals_and_jacobian(self, x):
        r, cache = self.evaluate(x)
        return r, self.jacobian(x, cache)


def test_jacobian_is_computed_only_at_accepted_points():
    text = "R0-p(R1,CPE1)-p(R2,CPE2)-CPE3"
    truth = np.array([10, 1e3, 1e-9, 0.9, 5e3, 1e-7, 0.8, 1e-5, 0.9])  # arcs inside the window
    model = CountingModel(model_of(text, truth))
    # a far start: the first steps are rejected (λ grows) before the iteration converges
    x0 = model.to_x(truth[None] * np.array([3, 0.3, 1, 1, 3, 1, 1, 0.5, 1]))
    start = float(np.sum(model.residuals(x0) ** 2))
    model.residual_rows = 0
    state = levenberg_marquardt(model, x0, 200)
    assert state.cost[0] < 1e-10 * start
    # residuals at the start and at every trial point; the Jacobian at the start and at
    # accepted points only
    assert model.residual_rows == state.iterations[0] + 1
    assert model.jacobian_rows < model.residual_rows


def test_bounded_exponent_converges_at_the_bound():
    # the true element is a capacitor: α goes to its bound 1 without wasting iterations
    z = Circuit("R0-p(R1,C1)").impedance(FREQ, [10, 1e3, 1e-6])
    result = fit("R0-p(R1,CPE1)", FREQ, z, initial=[10, 1e3, 1e-6, 0.8])
    assert result.parameter_dict()["CPE1_1"] == pytest.approx(1.0, abs=1e-9)
    assert result.iterations < 40


def _series(n=6):
    text = "R0-p(R1,CPE1)-CPE2"
    rng = np.random.default_rng(8)
    out = []
    for i in range(n):
        p = [50, 1e4 * (1 + 0.1 * i), 1e-9, 0.85, 1e-7, 0.8]
        z = Circuit(text).impedance(FREQ, p)
        out.append(
            (FREQ, z * (1 + 0.003 * (rng.normal(size=z.size) + 1j * rng.normal(size=z.size))))
        )
    return text, out


def test_fit_many_in_two_processes_equals_one_process():
    text, spectra = _series()
    done = []
    one = fit_many(text, spectra)
    two = fit_many(text, spectra, n_jobs=2, progress=done.append)
    # same fits; the last digits may differ (one BLAS thread in the workers sums differently)
    assert [r.chi2 for r in two] == pytest.approx([r.chi2 for r in one], rel=1e-9)
    assert done[-1] == len(spectra)
    for result, (f, z) in zip(one, spectra, strict=True):
        assert result.chi2 == pytest.approx(fit(text, f, z).chi2, rel=1e-9)


def test_fit_many_sequential_warm_starts():
    text, spectra = _series()
    results = fit_many(text, spectra, sequential=True)
    assert [r.parameter_dict()["R1"] for r in results] == pytest.approx(
        [1e4 * (1 + 0.1 * i) for i in range(6)], rel=0.02
    )
    assert any("user initial values" in r.notes for r in results[1:])


@pytest.mark.parametrize("text", CIRCUITS)
def test_public_jacobian_is_the_derivative_in_log_parameters(text):
    # ∂r/∂(ln p | α) from the fitted-variable Jacobian equals the tree's dZ/dp · p
    params = np.array(CIRCUITS[text], dtype=float)
    model = model_of(text, params)
    x = model.to_x(params[None] * np.where(Circuit(text).fraction_mask, 1.0, 1.1))
    p = model.params(x)[0]
    _, jac_p = Circuit(text).impedance_and_jacobian(FREQ, p)
    scale = np.where(Circuit(text).fraction_mask, 1.0, p)
    expected = np.ascontiguousarray((jac_p * scale).T).view(np.float64) * model.weights
    np.testing.assert_allclose(
        model.public_jacobian(x[0]), expected, rtol=1e-9, atol=1e-12 * np.abs(expected).max()
    )
