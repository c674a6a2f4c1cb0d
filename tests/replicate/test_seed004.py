"""Seed 004 replication: analytic cell model with cited mechanisms, fitted vs predicted rows."""

import itertools
import json

import pytest

from ssblab.cli.main import run
from ssblab.models import coating as coat
from ssblab.replicate import replicate, seed_key
from ssblab.replicate.rows import BASES
from ssblab.replicate.seed004 import (
    ALD_CYCLES,
    LI3PO4_PAPER,
    PAPER,
    calibrate,
    calibrate_al2o3,
    t_cycle_s,
)


@pytest.fixture(scope="module")
def table():
    return replicate("004")


def _row(table, quantity):
    return next(r for r in table.rows if r.quantity == quantity)


def test_catalogue_constants_are_the_live_calibration():
    live = calibrate_al2o3()
    al2o3 = coat.coating_material("Al2O3")
    assert al2o3.sigma_ion_lithiated_S_m == pytest.approx(live["sigma_lithiated_S_m"], rel=1e-3)
    assert al2o3.lithiation_amplitude_m == pytest.approx(live["amplitude_m"], rel=1e-3)
    assert al2o3.lithiation_time_constant_s == pytest.approx(live["time_constant_s"], rel=1e-3)
    assert al2o3.lithiated_depth_m(199 * 3600.0, 1e-6) == pytest.approx(15e-9, rel=1e-3)


def test_every_paper_point_has_a_row_with_a_basis(table):
    numeric = [r for r in table.rows if r.unit == "V" and r.residual is not None]
    assert len(numeric) == len(PAPER) + len(LI3PO4_PAPER)
    assert {r.basis for r in table.rows} <= set(BASES)
    for r in table.rows:
        if r.basis in ("predicted", "interpolated"):
            assert r.band is not None and "band" in r.note
    assert len(table.leave_one_out) >= 2


def test_fitted_points_are_reproduced(table):
    for quantity, paper in (
        ("LATP@150Al2O3: overpotential, cycle 300", 0.9),
        ("LATP@250Al2O3: overpotential, cycle 300", 5.0),
        ("LATP@150Al2O3: peak overpotential, cycle 1", 10.0),
        ("LATP@50Al2O3: overpotential, cycle 300", 2.0),
        ("bare LATP: peak overpotential, cycle 1", 0.1),
    ):
        row = _row(table, quantity)
        assert row.basis == "fitted"
        assert row.ssblab == pytest.approx(paper, rel=1e-3)


def test_ti3_depth_under_al2o3_from_deal_grove(table):
    row = _row(table, "LATP@150Al2O3: Ti3+ interphase depth after 100 cycles (EELS)")
    assert row.ssblab == pytest.approx(16.0, rel=1e-3)  # the pinhole model gave 1.19 nm
    model = calibrate()
    assert model.rho * 15e-9 == pytest.approx(10e-9)
    # a thinner coating lets the interphase grow deeper, never deeper than bare
    depths = [model.interphase_m(t_cycle_s(100) + 3600, n) for n in ALD_CYCLES]
    assert all(a >= b for a, b in itertools.pairwise(depths))


def test_li3po4_rise_is_cracking_of_bulk_latp(table):
    late = _row(table, "LATP@175Li3PO4: overpotential, cycle 300")
    assert late.basis == "predicted" and late.status == "agrees"
    assert "bulk LATP" in _row(table, "LATP@175Li3PO4: overpotential, cycle 200").note
    assert "Li3PO4 film" not in late.note


def test_bare_rise_is_decomposed_not_one_interphase_sigma(table):
    row = _row(table, "bare LATP: overpotential, cycle 300")
    assert row.basis == "predicted"
    parts = calibrate().parts_V(0, 300)
    assert parts["interphase"] < 1e-3  # 41.6 nm of lithiated NASICON
    assert parts["cracking"] > 0.8 * (row.ssblab - 0.1)
    assert row.ssblab == pytest.approx(sum(parts.values()), abs=1e-3)


def test_optimum_and_u_shape_with_reported_sensitivity(table):
    best = _row(table, "ALD cycles with the lowest overpotential at cycle 300")
    assert best.ssblab == 150 and best.basis == "predicted"
    assert "λ fitted on the 25/50/100-cycle point" in best.note
    u = _row(table, "overpotential at cycle 300 vs ALD cycles: falls, then rises (U-shape)")
    assert u.status == "reproduced"
    thin = {n: _row(table, f"LATP@{n}Al2O3: overpotential, cycle 300").ssblab for n in (25, 100)}
    assert thin[25] > thin[100] > _row(table, "LATP@150Al2O3: overpotential, cycle 300").ssblab


def test_cycle1_peaks_scale_with_thickness_below_breakdown(table):
    v = {
        n: _row(table, f"LATP@{n}Al2O3: peak overpotential, cycle 1").ssblab for n in (25, 50, 100)
    }
    assert v[25] < v[50] < v[100]
    assert v[50] == pytest.approx(0.1 + (10.0 - 0.1) * 50 / 150, rel=1e-3)  # field fixed by 150
    assert calibrate().field_hf_V_m < 8.3e8


@pytest.mark.parametrize(("text", "key"), [("4", "004"), ("004", "004"), ("seed000", "000")])
def test_seed_keys(text, key):
    assert seed_key(text) == key


@pytest.mark.parametrize("bad", ["5", "6", "9", "abc", ""])
def test_unknown_seed_exits_2_naming_it(bad, capsys):
    assert run(["replicate", bad]) == 2
    err = capsys.readouterr().err
    assert "seed" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_cli_json_schema(capsys, tmp_path):
    assert run(["replicate", "004", "--json", "--plot", str(tmp_path)]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["seed"] == "004"
    for row in payload["rows"]:
        assert {"quantity", "paper", "ssblab", "unit", "basis", "status"} <= set(row)
        assert row["basis"] in BASES
    assert (tmp_path / "seed004_ald_sweep.png").stat().st_size > 10_000
