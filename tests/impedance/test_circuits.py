"""Circuit parsing and evaluation, checked against impedance.py and finite differences."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssblab.errors import CircuitError
from ssblab.impedance.circuits import Circuit

impedance_py = pytest.importorskip("impedance.models.circuits")

FREQ = np.logspace(7, -2, 91)
SINGLE_ELEMENTS = {  # circuit -> parameters
    "R1": [123.0],
    "C1": [3.3e-9],
    "L1": [2e-7],
    "CPE1": [1e-8, 0.83],
    "W1": [42.0],
    "Wo1": [150.0, 0.3],
    "Ws1": [80.0, 0.02],
    "G1": [60.0, 1e-3],
    "Gs1": [70.0, 1e-4, 2.0],
    "La1": [1e-6, 0.8],
    "K1": [500.0, 1e-5],
}
COMPOSITE = {
    "R0-p(R1,CPE1)-p(R2,CPE2)-CPE3": [10, 1e3, 1e-10, 0.9, 5e3, 1e-8, 0.8, 1e-6, 0.9],
    "R0-p(R1,CPE1)-p(R2,CPE2)-p(R3,CPE3)": [20, 500, 1e-9, 0.95, 2e3, 1e-6, 0.8, 1e4, 1e-4, 0.7],
    "R0-p(R1,CPE1)-CPE2": [50, 1e4, 1e-11, 0.85, 1e-7, 0.8],
    "L0-R0-p(R1-Wo1,C1)-p(R2,G1)": [1e-7, 5, 100, 40, 0.5, 1e-6, 30, 20, 1e-2],
}


def impedance_py_prediction(text, params, freq=FREQ):
    circuit = impedance_py.CustomCircuit(text, initial_guess=list(params))
    return circuit.predict(freq, use_initial=True)


@pytest.mark.parametrize(("text", "params"), [*SINGLE_ELEMENTS.items(), *COMPOSITE.items()])
def test_same_impedance_as_impedance_py(text, params):
    ours = Circuit(text).impedance(FREQ, params)
    theirs = impedance_py_prediction(text, params)
    assert np.max(np.abs(ours - theirs) / np.abs(theirs)) < 1e-10


def test_parameter_names_follow_impedance_py():
    circuit = Circuit("R0-p(R1,CPE1)-p(R2,CPE2)-CPE3")
    assert circuit.parameter_names == (
        "R0", "R1", "CPE1_0", "CPE1_1", "R2", "CPE2_0", "CPE2_1", "CPE3_0", "CPE3_1",
    )  # fmt: skip
    fractions = [name.endswith("_1") for name in circuit.parameter_names]
    assert circuit.fraction_mask.tolist() == fractions
    theirs = impedance_py.CustomCircuit(circuit.text, initial_guess=[1.0] * 9)
    assert list(circuit.parameter_names) == theirs.get_param_names()[0]


@pytest.mark.parametrize(("text", "params"), [*SINGLE_ELEMENTS.items(), *COMPOSITE.items()])
def test_analytic_jacobian_matches_finite_differences(text, params):
    circuit = Circuit(text)
    p = np.array(params, dtype=float)
    _, jac = circuit.impedance_and_jacobian(FREQ, p)
    for k in range(p.size):
        h = p[k] * 1e-6
        up, down = p.copy(), p.copy()
        up[k] += h
        down[k] -= h
        numeric = (circuit.impedance(FREQ, up) - circuit.impedance(FREQ, down)) / (2 * h)
        scale = np.max(np.abs(jac[:, k]))
        assert np.max(np.abs(numeric - jac[:, k])) / scale < 1e-4, circuit.parameter_names[k]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.floats(-2, 5), min_size=3, max_size=3),
    st.lists(st.floats(-11, -4), min_size=3, max_size=3),
    st.lists(st.floats(0.5, 1.0), min_size=3, max_size=3),
)
def test_batched_evaluation_equals_one_at_a_time(log_r, log_q, alphas):
    circuit = Circuit("R0-p(R1,CPE1)-p(R2,CPE2)")
    rows = np.array(
        [
            [
                10 ** log_r[0],
                10 ** log_r[1],
                10 ** log_q[0],
                alphas[0],
                10 ** log_r[2],
                10 ** log_q[1],
                a,
            ]
            for a in alphas
        ]
    )
    z_batch, jac_batch = circuit.impedance_and_jacobian(FREQ, rows)
    for row, z_row, jac_row in zip(rows, z_batch, jac_batch, strict=True):
        z_one, jac_one = circuit.impedance_and_jacobian(FREQ, row)
        np.testing.assert_allclose(z_row, z_one, rtol=1e-13)
        np.testing.assert_allclose(jac_row, jac_one, rtol=1e-13)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("R0-p(R1", "missing ')'"),
        ("R0-X1", "unknown element 'X1'"),
        ("R0-R0", "used twice"),
        ("p(R1)", "at least two branches"),
        ("R0--R1", "expected an element"),
        ("R0-p(R1,C1))", "unexpected ')'"),
    ],
)
def test_bad_circuits_name_the_problem(text, message):
    with pytest.raises(CircuitError, match=re.escape(message)):
        Circuit(text)


def test_wrong_number_of_parameters():
    with pytest.raises(CircuitError, match="takes 3 parameters"):
        Circuit("R0-p(R1,C1)").impedance(FREQ, [1.0, 2.0])
