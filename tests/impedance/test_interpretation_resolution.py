"""When is the bulk resolved? σ_bulk within 12 % of the truth whenever the rule says so, a refusal
otherwise; never a collapsed parameter turned into a conductivity.

The synthetic pellets are built here, independently of ssblab's circuit module, with
Havriliak–Negami arcs Z = R/(1 + (jωτ)^a)^b (asymmetric for b < 1), which the fitted
p(R, CPE) arcs (b = 1) describe only approximately — the rule must hold when the fitted shape
is not the true one.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssblab.impedance.fitting import fit
from ssblab.impedance.interpretation import (
    EPSILON_0,
    PROXIMITY,
    Geometry,
    UnresolvedError,
    interpret,
)
from ssblab.impedance.suggest import suggest_circuit
from ssblab.io.eis import read_eis

GEOMETRY = Geometry.disc(0.5e-3, 12e-3)
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "eis"
TOLERANCE = 0.12


def havriliak_negami(r, tau, a, b):
    return lambda w: r / (1 + (1j * w * tau) ** a) ** b


def pellet(r_bulk, eps, gb_r, gb_c, shapes, f_max, seed=0):
    """Bulk (HN, ε_r = ``eps``), grain boundary (R × ``gb_r``, C × ``gb_c``), blocking CPE tail;
    10 points per decade from ``f_max`` to 0.1 Hz, 0.3 % noise. Returns f, Z and σ_bulk."""
    (ab, bb), (ag, bg) = shapes
    c_bulk = eps * EPSILON_0 / GEOMETRY.cell_constant_per_m
    r_gb, c_gb = r_bulk * gb_r, c_bulk * gb_c
    f = np.logspace(np.log10(f_max), -1, round((np.log10(f_max) + 1) * 10) + 1)
    w = 2 * np.pi * f
    z = (
        havriliak_negami(r_bulk, r_bulk * c_bulk, ab, bb)(w)
        + havriliak_negami(r_gb, r_gb * c_gb, ag, bg)(w)
        + 1 / (1e-5 * (1j * w) ** 0.85)
    )
    rng = np.random.default_rng(seed)
    z = z + 0.003 / np.sqrt(2) * np.abs(z) * (
        rng.standard_normal(z.size) + 1j * rng.standard_normal(z.size)
    )
    return f, z, GEOMETRY.cell_constant_per_m / r_bulk


def analyse(f, z):
    chosen = suggest_circuit(f, z, cell="pellet")
    return interpret(chosen.fit, GEOMETRY, frequency_hz=f, impedance_ohm=z)


@settings(max_examples=20, deadline=None, derandomize=True)
@given(
    log_r=st.floats(2, 5),
    eps=st.floats(20, 100),
    gb_r=st.floats(0.3, 3),
    gb_c=st.floats(100, 1000),
    ab=st.floats(0.8, 1.0),
    bb=st.floats(0.7, 1.0),
    ag=st.floats(0.8, 1.0),
    bg=st.floats(0.7, 1.0),
    log_f_max=st.floats(4, 7),
)
def test_resolved_means_within_tolerance(log_r, eps, gb_r, gb_c, ab, bb, ag, bg, log_f_max):
    f, z, truth = pellet(10**log_r, eps, gb_r, gb_c, ((ab, bb), (ag, bg)), 10**log_f_max)
    it = analyse(f, z)
    if it.bulk_resolved:
        assert it.sigma_bulk_S_m == pytest.approx(truth, rel=TOLERANCE)
    else:
        assert it.sigma_bulk_S_m is None
        assert it.bulk_reason
    if it.total_resolved:  # bulk + grain boundary: read where the last electrolyte arc ends
        assert it.sigma_total_S_m == pytest.approx(truth / (1 + gb_r), rel=TOLERANCE)
    else:
        assert it.sigma_total_S_m is None and it.total_reason


def test_sweep_of_the_highest_frequency_resolves_then_refuses():
    """One pellet (R_bulk 300 Ω with its peak at ≈ 15 MHz, grain boundary 900 Ω at ≈ 2 kHz)
    measured to ever lower f_max: bulk arc → refused (the bulk arc is cut by f_max) →
    intercept (the bulk arc is far above, the grain-boundary arc resolved) → refused (the
    grain-boundary arc's high-frequency end is cut: the intercept is not reached)."""
    outcomes = []
    for f_max in (1e8, 3e6, 3e5, 3e3):
        f, z, truth = pellet(300, 20, 3, 2000, ((0.95, 0.8), (0.85, 0.9)), f_max)
        it = analyse(f, z)
        if it.bulk_resolved:
            assert it.sigma_bulk_S_m == pytest.approx(truth, rel=TOLERANCE)
            outcomes.append(it.bulk_source.split()[0])
        else:
            outcomes.append("refused")
    assert outcomes == ["arc", "refused", "intercept", "refused"]


def test_an_intercept_without_a_grain_boundary_arc_is_the_total():
    """Bulk and grain-boundary arcs both above the window (found by hypothesis): the intercept
    is R_bulk + R_gb — σ_total, not σ_bulk."""
    f, z, truth = pellet(100, 20, 0.5, 100, ((1.0, 1.0), (1.0, 1.0)), 3e3)
    it = analyse(f, z)
    assert not it.bulk_resolved and "total electrolyte resistance" in it.bulk_reason
    assert it.total_resolved
    assert it.sigma_total_S_m == pytest.approx(truth / 1.5, rel=0.02)
    with pytest.raises(UnresolvedError, match="σ_bulk not resolved"):
        it.require("x.txt#0", "bulk")
    it.require("x.txt#0", "total")


def test_a_bulk_arc_above_the_window_is_refused_with_the_reason():
    f, z, _ = pellet(3e3, 50, 10**0.2, 10**2.5, ((0.95, 0.8), (0.85, 0.9)), 1e5)
    it = analyse(f, z)
    assert not it.bulk_resolved
    assert "above the highest measured frequency" in it.bulk_reason
    with pytest.raises(UnresolvedError, match=r"pellet\.txt#0: σ_bulk not resolved"):
        it.require("pellet.txt#0")


def test_a_collapsed_series_resistance_never_becomes_a_conductivity():
    """Issue 9: R0 = 1e-305 Ω taken as the bulk gave σ = 4.5e302 S/cm."""
    (spectrum,) = read_eis(EXAMPLES / "chi_ac_impedance.txt")
    f, z = spectrum.frequency_hz, spectrum.impedance_ohm
    result = fit("R0-p(R1,CPE1)-p(R2,CPE2)", f, z)
    params = result.parameters.copy()
    params[0] = 1e-305
    stderr = result.stderr.copy()
    stderr[0] = 0.0
    collapsed = replace(result, parameters=params, stderr=stderr)
    it = interpret(collapsed, GEOMETRY, frequency_hz=f, impedance_ohm=z)
    assert not it.bulk_resolved and it.sigma_bulk_S_m is None
    assert "not reached by the data" in it.bulk_reason


def grain_boundary_cell(f_max: float):
    """R∞ = 100 Ω and one grain-boundary arc (1 kΩ, 1 nF: C* 4.4e-11 F/cm, peak 160 kHz)."""
    f = np.logspace(np.log10(f_max), -1, 71)
    return f, 100 + havriliak_negami(1e3, 1e-6, 1.0, 1.0)(2 * np.pi * f)


def test_an_undetermined_intercept_is_refused():
    """A free R0 with no usable variance (σ = 0 from a singular covariance) is not a value."""
    f, z = grain_boundary_cell(1e8)
    result = fit("R0-p(R1,CPE1)", f, z)
    it = interpret(result, GEOMETRY, frequency_hz=f, impedance_ohm=z)
    assert it.bulk_resolved and it.bulk_source == "intercept R0"
    assert it.sigma_bulk_S_m == pytest.approx(GEOMETRY.cell_constant_per_m / 100, rel=1e-3)
    assert it.sigma_total_S_m == pytest.approx(GEOMETRY.cell_constant_per_m / 1100, rel=1e-3)
    undetermined = replace(result, stderr=np.zeros_like(result.stderr))
    it = interpret(undetermined, GEOMETRY, frequency_hz=f, impedance_ohm=z)
    assert not it.bulk_resolved and "not determined" in it.bulk_reason


def test_intercept_proximity_is_the_stated_bound():
    """d = min|Z − R∞| ≤ 0.2 R∞ accepts, above refuses (the fit is exact, only d varies)."""
    for f_max, resolved in ((1e8, True), (1e7, True), (1e6, False)):
        f, z = grain_boundary_cell(f_max)
        result = fit("R0-p(R1,CPE1)", f, z)
        assert result.parameters[0] == pytest.approx(100, rel=1e-6)
        d = np.min(np.abs(z - 100))
        it = interpret(result, GEOMETRY, frequency_hz=f, impedance_ohm=z)
        assert it.bulk_resolved is resolved
        assert bool(d <= PROXIMITY * 100) is resolved


def test_split_bulk_arcs_are_added():
    """Two arcs in the bulk band are one process: their resistances add up."""
    f, z, truth = pellet(3e3, 50, 10**0.2, 10**2.5, ((0.95, 0.8), (0.85, 0.9)), 1e7)
    it = analyse(f, z)
    assert it.bulk_resolved
    assert it.sigma_bulk_S_m == pytest.approx(truth, rel=TOLERANCE)
    bulk = [a for a in it.arcs if a.assignment == "bulk"]
    assert sum(a.resistance_ohm for a in bulk) == pytest.approx(3e3, rel=TOLERANCE)


SERIES = EXAMPLES / "llzto_pellet_series"


@pytest.mark.parametrize("entry", json.loads((SERIES / "truth.json").read_text())["spectra"],
                         ids=lambda e: e["file"])  # fmt: skip
def test_the_bundled_series_gives_its_truth_with_auto(entry):
    (spectrum,) = read_eis(SERIES / entry["file"])
    f, z = spectrum.frequency_hz, spectrum.impedance_ohm
    chosen = suggest_circuit(f, z, cell="pellet")
    assert chosen.circuit == entry["circuit"]
    it = interpret(chosen.fit, GEOMETRY, frequency_hz=f, impedance_ohm=z)
    assert it.bulk_resolved and it.bulk_source == "arc R1"
    assert it.sigma_bulk_S_m == pytest.approx(entry["sigma_bulk_S_m"], rel=0.01)
    assert it.sigma_total_S_m == pytest.approx(entry["sigma_total_S_m"], rel=0.01)


def test_a_conductivity_no_solid_reaches_is_a_warning():
    """100 Ω over a 1 mm thick, 1 mm wide sample: σ = 0.127 S/cm, above any solid Li-ion
    conductor — the geometry or the cell is wrong, and the user is told."""
    f, z = grain_boundary_cell(1e8)
    result = fit("R0-p(R1,CPE1)", f, z)
    tiny = Geometry.disc(1e-3, 1e-3)
    it = interpret(result, tiny, frequency_hz=f, impedance_ohm=z)
    # C* now falls in the surface-layer band: the intercept is the total resistance
    assert it.sigma_total_S_m == pytest.approx(tiny.cell_constant_per_m / 100, rel=1e-3)
    assert any("σ_total = 0.127 S/cm" in w and "check the geometry" in w for w in it.warnings)
    normal = interpret(result, GEOMETRY, frequency_hz=f, impedance_ohm=z)
    assert normal.warnings == ()


def test_a_conductivity_above_any_ionic_conductor_is_refused():
    """A 10 mΩ intercept before a blocking tail, read as a 0.5 mm, 12 mm pellet: σ_total would
    be 4.4 S/cm, more than any electrolyte (liquids included) conducts: refused. The same
    spectrum at 10 Ω gives the plausible 4.4e-3 S/cm."""
    f = np.logspace(5, -1, 61)
    for r0, refused in ((0.01, True), (10.0, False)):
        z = r0 + 1 / (1e-3 * (2j * np.pi * f) ** 0.9)
        chosen = suggest_circuit(f, z, cell="pellet")
        it = interpret(chosen.fit, GEOMETRY, frequency_hz=f, impedance_ohm=z)
        if refused:
            assert it.sigma_total_S_m is None
            assert "more than any known ionic conductor" in it.total_reason
            with pytest.raises(UnresolvedError):
                it.require("tiny#0", "total")
        else:
            expected = GEOMETRY.cell_constant_per_m / r0
            assert it.sigma_total_S_m == pytest.approx(expected, rel=0.01)
