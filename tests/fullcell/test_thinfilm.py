"""Planar thin-film cathode half cell against closed forms and conservation laws."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssblab.cycling.data import COLUMNS, check_table
from ssblab.cycling.fullcell import fullcell_metrics
from ssblab.errors import SsblabInputError
from ssblab.fullcell import thinfilm as tf

F = 96485.33212


@pytest.fixture(scope="module")
def cell() -> tf.ThinFilmCell:
    return tf.cell_for_capacity(30e-6, 1e-6, interface_asr_ohm_m2=50e-4)


def test_ocp_is_pybamm_mohtat2020():
    import pybamm

    ocp = pybamm.ParameterValues("Mohtat2020")["Positive electrode OCP [V]"]
    theta = np.array([0.1, 0.35, 0.6, 0.9, 0.99])
    assert tf.ocp_V(theta) == pytest.approx(np.asarray(ocp(theta), dtype=float), abs=1e-5)
    assert tf.theta_at_V(tf.ocp_V(theta)) == pytest.approx(theta, abs=1e-6)


def test_capacity_is_the_window_capacity_and_the_area_follows(cell):
    lo, hi = cell.theta_window
    assert float(tf.ocp_V(lo)) == pytest.approx(4.2, abs=1e-6)
    assert float(tf.ocp_V(hi)) == pytest.approx(3.2, abs=1e-6)
    q = F * tf.C_MAX_MOL_M3 * cell.thickness_m * cell.area_m2 * (hi - lo) / 3600
    assert cell.capacity_Ah == pytest.approx(q) and q == pytest.approx(30e-6)
    r = (350e-9 / 9.56e-4 + 50e-4) / cell.area_m2
    assert cell.series_resistance_ohm == pytest.approx(r)


def test_slow_rate_capacity_is_the_theoretical_window_capacity(cell):
    sweep = tf.rate_sweep(cell, [0.01], charge_c_rate=0.01)
    assert sweep.capacity_Ah[0] == pytest.approx(cell.capacity_Ah, rel=0.01)
    assert sweep.capacity_Ah[0] < cell.capacity_Ah


@pytest.mark.parametrize("tau", [1e-3, 1e-2, 0.1, 0.5, 2.0])
def test_surface_concentration_matches_crank_series(tau):
    length, d, flux, c0 = 1e-6, 8e-15, 2e-4, 3000.0
    film = tf.PlanarDiffusion(length, d)
    t = tau * length**2 / d
    z = film.evolve(film.uniform(c0), flux, t)
    exact = tf.surface_concentration_closed_form(c0, flux, length, d, t)
    assert (film.surface(z, flux)[0] - c0) == pytest.approx(exact - c0, rel=5e-3)
    assert z[0, 0] - c0 == pytest.approx(flux * t / length, rel=1e-12)  # mean: exact


def test_simulated_voltage_inverts_to_the_crank_surface_concentration():
    """Kinetics and resistances off: V = U(θ_s), so U⁻¹(V) is the film's surface."""
    c = tf.ThinFilmCell(thickness_m=1e-6, area_m2=1e-4, rate_constant_m_s=1.0, sse_thickness_m=0.0)
    current = c.current_A(2.0)
    # a charge from the discharged film; the flux into the film is negative
    data = tf.simulate_protocol(
        c, [tf.Step("charge", current_A=current)], initial_theta=c.theta_window[1]
    )
    table = data.table
    t = table["time_s"].to_numpy()
    v = table["voltage_V"].to_numpy()
    keep = (t > 0) & (v < 4.15)
    theta_s = tf.theta_at_V(v[keep])
    c0 = c.theta_window[1] * c.c_max_mol_m3
    flux = -current / (F * c.area_m2)
    exact = tf.surface_concentration_closed_form(
        c0, flux, c.thickness_m, c.diffusivity_m2_s, t[keep]
    )
    assert theta_s * c.c_max_mol_m3 - c0 == pytest.approx(exact - c0, rel=5e-3)


def test_ohmic_limit_is_open_circuit_minus_ir():
    c = tf.ThinFilmCell(
        thickness_m=1e-6,
        area_m2=1e-4,
        diffusivity_m2_s=1e-6,
        rate_constant_m_s=10.0,
        interface_asr_ohm_m2=200e-4,
    )
    steps = [tf.Step("charge", c_rate=5.0), tf.Step("discharge", c_rate=5.0)]
    data = tf.simulate_protocol(c, steps)
    table = data.table
    theta_mean = data.metadata["film_lithium_mol"] / (c.area_m2 * c.thickness_m * c.c_max_mol_m3)
    expected = tf.ocp_V(theta_mean) + table["current_A"].to_numpy() * c.series_resistance_ohm
    assert table["voltage_V"].to_numpy() == pytest.approx(expected, abs=1e-6)
    assert abs(table["current_A"].iloc[0]) * c.series_resistance_ohm > 0.05  # a real IR drop


def test_lithium_inventory_is_conserved_with_degradation_and_rests(cell):
    steps = [
        tf.Step("charge", c_rate=2.0),
        tf.Step("rest", duration_s=600.0),
        tf.Step("discharge", c_rate=5.0),
    ] * 6
    deg = tf.Degradation(asr_growth=0.5, lam_per_cycle=0.05)
    data = tf.simulate_protocol(cell, steps, deg)
    assert tf.lithium_balance_error(data) < 1e-6
    finals = [s for s in data.metadata["steps"] if s["kind"] == "discharge"]
    assert finals[-1]["active_fraction"] == pytest.approx(0.95**5)
    assert finals[-1]["interface_asr_ohm_m2"] == pytest.approx(50e-4 * (1 + 0.5 * 5))


def test_table_follows_the_cycling_contract_and_the_analysis_reads_it(cell):
    steps = [tf.Step("charge", c_rate=1.0), tf.Step("discharge", c_rate=1.0)] * 3
    data = tf.simulate_protocol(cell, steps)
    check_table(data.table)
    assert list(data.table.columns) == list(COLUMNS)
    summaries = tf.step_summaries(cell, steps)
    discharges = [s.capacity_Ah for s in summaries if s.kind == "discharge"]
    result = fullcell_metrics(data, nominal_capacity_mAh=cell.capacity_Ah * 1e3)
    got = result.cycles["discharge_mAh"].to_numpy()
    assert got == pytest.approx(np.array(discharges) * 1e3, rel=1e-9)
    assert (data.table["current_A"] > 0).sum() > 0  # charge positive
    charge_v = data.table.loc[data.table["step_type"] == "charge", "voltage_V"]
    assert charge_v.max() == pytest.approx(4.2, abs=1e-6)


def test_degradation_hooks_separate_fade_mechanisms(cell):
    """ASR growth lowers the slow-rate plateau; loss of active area keeps it."""
    steps = [tf.Step("charge", current_A=3e-6), tf.Step("discharge", current_A=3e-6)] * 10
    asr = tf.step_summaries(cell, steps, tf.Degradation(asr_growth=30.0))
    lam = tf.step_summaries(cell, steps, tf.Degradation(lam_per_cycle=0.05))
    d_asr = [s for s in asr if s.kind == "discharge"]
    d_lam = [s for s in lam if s.kind == "discharge"]
    assert d_lam[-1].capacity_Ah / d_lam[0].capacity_Ah == pytest.approx(0.95**9, rel=0.01)
    assert abs(d_lam[-1].mean_voltage_V - d_lam[0].mean_voltage_V) < 2e-3
    assert d_asr[0].mean_voltage_V - d_asr[-1].mean_voltage_V > 0.05


def test_six_rate_sweep_plateau_falls(cell):
    # its speed (target 0.5 s) is timed in benchmarks/speed_checks.py and benchmarks/fullcell.py
    sweep = tf.rate_sweep(cell, [0.1, 1, 5, 10, 20, 30])
    assert sweep.relative[0] == 1.0
    assert all(b < a for a, b in zip(sweep.mean_voltage_V, sweep.mean_voltage_V[1:], strict=False))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    thickness=st.floats(0.2e-6, 3e-6),
    log_d=st.floats(-16.0, -12.0),
    log_k=st.floats(-11.0, -7.0),
    asr=st.floats(0.0, 0.05),
    rates=st.lists(st.floats(0.05, 50.0), min_size=2, max_size=6, unique=True),
)
def test_capacity_never_increases_with_c_rate(thickness, log_d, log_k, asr, rates):
    c = tf.cell_for_capacity(
        30e-6,
        thickness,
        diffusivity_m2_s=10**log_d,
        rate_constant_m_s=10**log_k,
        interface_asr_ohm_m2=asr,
    )
    rates = sorted(rates)
    caps = tf.rate_sweep(c, rates).capacity_Ah
    for a, b in itertools.pairwise(caps):
        assert b <= a * (1 + 1e-9) + 1e-18


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"thickness_m": -1e-6}, "thickness_m"),
        ({"area_m2": 0.0}, "area_m2"),
        ({"diffusivity_m2_s": math.nan}, "diffusivity_m2_s"),
        ({"rate_constant_m_s": 0.0}, "rate_constant_m_s"),
        ({"interface_asr_ohm_m2": -1.0}, "interface_asr_ohm_m2"),
        ({"sse_conductivity_s_m": 0.0}, "sse_conductivity_s_m"),
        ({"v_min_V": 4.3}, "v_min_V"),
        ({"active_fraction": 0.0}, "active_fraction"),
        ({"n_cells": 2}, "n_cells"),
    ],
)
def test_bad_cell_parameters_raise_naming_the_parameter(kwargs, name):
    with pytest.raises(tf.ThinFilmError, match=name) as info:
        tf.ThinFilmCell(**kwargs)
    assert isinstance(info.value, SsblabInputError)
    assert "\n" not in str(info.value)


def test_bad_steps_and_degradation_raise_typed_errors(cell):
    with pytest.raises(tf.ThinFilmError, match="kind"):
        tf.Step("hold", c_rate=1.0)
    with pytest.raises(tf.ThinFilmError, match="c_rate/current_A"):
        tf.Step("charge")
    with pytest.raises(tf.ThinFilmError, match="c_rate"):
        tf.Step("charge", c_rate=-1.0)
    with pytest.raises(tf.ThinFilmError, match="duration_s"):
        tf.Step("rest")
    with pytest.raises(tf.ThinFilmError, match="lam_per_cycle"):
        tf.Degradation(lam_per_cycle=1.0)
    with pytest.raises(tf.ThinFilmError, match="steps"):
        tf.simulate_protocol(cell, [])
    with pytest.raises(tf.ThinFilmError, match="c_rates"):
        tf.rate_sweep(cell, [0.0])
    with pytest.raises(tf.ThinFilmError, match="capacity_Ah"):
        tf.cell_for_capacity(-1.0, 1e-6)
