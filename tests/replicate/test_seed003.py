"""Seed 003 replication: structure, the calibrated void-onset CCD, bands, LOO, wetting, ASR."""

from __future__ import annotations

import pytest

from ssblab.models import voids
from ssblab.models.voids import stripping_ccd
from ssblab.replicate import seed003
from ssblab.replicate.rows import BASES, Replication, compare

T30, T160 = 303.15, 433.15


@pytest.fixture(scope="module")
def replication() -> Replication:
    return seed003.replicate()


def _row(rep: Replication, startswith: str):
    matches = [r for r in rep.rows if r.quantity.startswith(startswith)]
    assert len(matches) == 1, [r.quantity for r in rep.rows]
    return matches[0]


def test_structure(replication):
    out = replication.to_dict()
    assert out["seed"] == "003" and out["rows"] and out["fitted_parameters"]
    for row in out["rows"]:
        assert row["basis"] in BASES
        assert "s003-" in row["note"], row["quantity"]
        if row["basis"] == "predicted":
            assert row["band"] is not None, row["quantity"]  # every prediction has a band
    names = {f["name"] for f in out["fitted_parameters"]}
    assert not any("diffusion_length" in n or "creep_reference" in n for n in names)
    assert len(out["leave_one_out"]) == 2


def test_calibration_is_one_closed_form_fit(replication):
    row = _row(replication, "CCD of Li|LLZO|Li at 30")
    assert row.basis == "fitted" and row.ssblab == pytest.approx(50.0, rel=1e-6)
    anode = seed003.calibrated_anode()
    assert stripping_ccd(1e6, T30, contact_fraction=1.0, params=anode).ccd_A_m2 == pytest.approx(
        0.5, rel=1e-9
    )
    # the module default is the fitted value, rounded
    assert pytest.approx(anode.critical_supersaturation, rel=0.01) == voids.CRITICAL_SUPERSATURATION


def test_160c_is_a_prediction_judged_by_the_policy(replication):
    row = _row(replication, "CCD of Li|LLZO|Li at 160")
    assert row.basis == "predicted" and row.band is not None
    assert row.status == compare(row.paper, row.ssblab)
    # (E_f + Q_D)/2 = 0.525 eV against the seed's two-point 0.49 eV
    ea = _row(replication, "Apparent activation energy")
    assert ea.ssblab == pytest.approx((0.5 + 0.55) / 2, abs=1e-3)
    assert ea.paper == pytest.approx(0.49, abs=0.005)


def test_loo_over_the_two_temperatures(replication):
    record = replication.leave_one_out[0]
    assert record["points"] == ["s003-ccd-llzo-30c", "s003-ccd-llzo-160c"]
    assert record["rms_error_percent"] is not None and record["rms_error_percent"] > 0


def test_protocol_dependence_replaces_the_staircase():
    """The CCD depends on the step: j* ∝ 1/sqrt(t_s) (no creep), and on capacity per step
    j* ∝ 1/Q; a 247-h step is no longer needed for 50 µA/cm² (issue 11)."""
    anode = seed003.calibrated_anode()
    half = stripping_ccd(1e6, T30, contact_fraction=1.0, params=anode, step_time_s=1800.0)
    two = stripping_ccd(1e6, T30, contact_fraction=1.0, params=anode, step_time_s=7200.0)
    assert half.ccd_A_m2 / two.ccd_A_m2 == pytest.approx(2.0, rel=1e-6)
    q = stripping_ccd(1e6, T30, contact_fraction=1.0, params=anode, step_capacity_C_m2=900.0)
    assert q.step_time_s * q.ccd_A_m2 == pytest.approx(900.0)
    onset = voids.void_onset_time_s(half.ccd_A_m2, 1e6, T30, contact_fraction=1.0, params=anode)
    assert onset == pytest.approx(1800.0, rel=1e-6)


def test_wetting_rows_follow_the_policy(replication):
    angles = [r for r in replication.rows if r.quantity.startswith("Contact angle")]
    assert len([r for r in angles if r.basis == "fitted"]) == 2
    for row in angles:
        assert row.status == compare(row.paper, row.ssblab)
    loo = [r for r in angles if r.basis == "predicted"]
    assert len(loo) == 2 and all(r.band is not None and r.band.robust for r in loo)
    wet = replication.leave_one_out[1]
    assert wet["rms_error_percent"] == pytest.approx(3.6, abs=0.2)


def test_pressure_rows(replication):
    ccs = _row(replication, "Stripping CCD rises with stack pressure")
    assert ccs.status == "reproduced"
    asr = _row(replication, "Li|garnet constriction ASR falls")
    assert asr.status == "reproduced"
    at400 = _row(replication, "Constriction ASR after a 400 MPa")
    assert 0.0 < at400.ssblab < 1.0 and at400.status == "agrees"
    at150 = _row(replication, "Constriction ASR after a 150 MPa")
    assert at150.ssblab > at400.ssblab > 0
    total = _row(replication, "Total per-interface ASR")
    assert total.basis == "by construction"


def test_plot_writes_the_ccd_and_asr_curves(tmp_path, capsys):
    from ssblab.cli.main import run

    assert run(["replicate", "003", "--plot", str(tmp_path), "--json"]) == 0
    assert "seed003_ccd_asr_curves.png" in capsys.readouterr().out
    curves = tmp_path / "seed003_ccd_asr_curves.png"
    assert curves.stat().st_size > 20_000
