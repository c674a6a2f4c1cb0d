"""Seed 003 replication: structure, the calibrated CCD, trends, wetting and the simulated CCD."""

from __future__ import annotations

import itertools
import math
import time

import pytest

from ssblab.models import voids
from ssblab.models.voids import stripping_ccd
from ssblab.replicate import seed003
from ssblab.replicate.rows import BASES, Replication, compare

T30, T160 = 303.15, 433.15
PAPER_30C_A_M2, PAPER_160C_A_M2 = 0.5, 140.0  # 50 µA/cm², 14 mA/cm²


def _calibrated_anode() -> voids.LiAnodeParameters:
    length = seed003.calibrate_diffusion_length(PAPER_30C_A_M2, T30)
    return voids.LiAnodeParameters(diffusion_length_m=length)


def _closed_form(temperature_K: float) -> float:
    """j* (A/m²) with the calibrated L, f = 1, 1 MPa, computed independently of the staircase."""
    return stripping_ccd(
        1e6, temperature_K, contact_fraction=1.0, params=_calibrated_anode()
    ).ccd_A_m2


@pytest.fixture(scope="module")
def replication() -> Replication:
    return seed003.replicate()


def _row(rep: Replication, startswith: str):
    matches = [r for r in rep.rows if r.quantity.startswith(startswith)]
    assert len(matches) == 1, [r.quantity for r in rep.rows]
    return matches[0]


def test_structure(replication):
    out = replication.to_dict()
    assert set(out) == {
        "seed",
        "title",
        "rows",
        "fitted_parameters",
        "notes",
        "policy",
        "summary",
        "summary_line",
        "leave_one_out",
    }
    assert out["seed"] == "003"
    assert out["rows"] and out["fitted_parameters"] and out["notes"]
    statuses = {"agrees", "differs", "reproduced", "not reproduced"}
    for row in out["rows"]:
        assert row["basis"] in BASES
        assert row["status"] in statuses
        assert "s003-" in row["note"], row["quantity"]  # every row cites a KB record
    assert any(row["basis"] == "predicted" for row in out["rows"])
    for fitted in out["fitted_parameters"]:
        assert {"name", "value", "unit", "fitted_on"} <= set(fitted)
        assert fitted["fitted_on"]


def test_progress_is_called():
    messages: list[str] = []
    seed003.replicate(messages.append)
    assert messages and all(m.startswith("seed 003") for m in messages)


def test_calibrated_ccd_reproduces_30c_within_1_percent(replication):
    row = _row(replication, "CCD of Li|LLZO|Li at 30")
    assert row.basis == "fitted"
    assert row.ssblab == pytest.approx(50.0, rel=0.01)
    assert row.status == "agrees"
    length = seed003.calibrate_diffusion_length(0.5, T30)
    anode = voids.LiAnodeParameters(diffusion_length_m=length)
    j = stripping_ccd(1e6, T30, contact_fraction=1.0, params=anode).ccd_A_m2
    assert j == pytest.approx(0.5, rel=0.01)  # 50 µA/cm² in A/m²
    fitted = [f for f in replication.fitted_parameters if f["name"].startswith("diffusion_length")]
    assert len(fitted) == 1  # one L: the closed form and the simulator use the same
    assert fitted[0]["value"] == pytest.approx(length)
    assert seed003.calibrated_diffusion_length_m() == pytest.approx(length, rel=1e-12)
    assert 100e-6 < length < 150e-6  # ~118 µm


def test_160c_is_a_prediction_with_the_factor_in_the_note(replication):
    row = _row(replication, "CCD of Li|LLZO|Li at 160")
    assert row.basis == "predicted"
    factor = row.ssblab / row.paper
    assert 1.0 < factor < 3.0  # ~2x high with Q_D = 0.55 eV
    assert f"{factor:.2f}x" in row.note
    ea = _row(replication, "Apparent activation energy")
    assert ea.paper == pytest.approx(0.49, abs=0.005)
    assert ea.ssblab == pytest.approx(0.55, abs=0.005)


def test_ccd_monotonic_in_temperature(replication):
    assert _row(replication, "CCD rises monotonically").status == "reproduced"
    length = seed003.calibrate_diffusion_length(0.5, T30)
    anode = voids.LiAnodeParameters(diffusion_length_m=length)
    values = [
        stripping_ccd(1e6, t + 273.15, contact_fraction=1.0, params=anode).ccd_A_m2
        for t in (30, 60, 100, 130, 160)
    ]
    assert all(b > a for a, b in itertools.pairwise(values))


def test_wetting_rows_within_2_degrees(replication):
    angles = [r for r in replication.rows if r.quantity.startswith("Contact angle")]
    rows = [r for r in angles if r.basis == "fitted"]
    assert len(rows) == 2
    for row in rows:
        assert abs(row.ssblab - row.paper) <= 2.0
        assert row.status == "agrees"
    loo = [r for r in angles if r.basis == "predicted"]
    assert len(loo) == 2
    for row in loo:  # status follows the 2° tolerance, whatever it is
        expected = "agrees" if abs(row.ssblab - row.paper) <= 2.0 else "differs"
        assert row.status == expected


@pytest.mark.parametrize(
    ("temperature_K", "paper_A_m2"), [(T30, PAPER_30C_A_M2), (T160, PAPER_160C_A_M2)]
)
def test_simulated_staircase_brackets_closed_form(temperature_K, paper_A_m2):
    sim = seed003.simulated_staircase_ccd(temperature_K, paper_A_m2)
    length = seed003.calibrate_diffusion_length(PAPER_30C_A_M2, T30)
    assert sim.diffusion_length_m == pytest.approx(length, rel=1e-12)  # runs with calibrated L
    j_star = _closed_form(temperature_K)
    assert sim.closed_form_A_m2 == pytest.approx(j_star, rel=1e-9)
    assert sim.failing_index is not None and sim.failing_index > 0
    assert sim.reason == "contact collapse"
    below, level = sim.bracket_A_m2
    # the failing level is the first level >= j*: one staircase step resolves the CCD
    assert below < j_star <= level
    first_at_or_above = min(x for x in sim.levels_A_m2 if x >= j_star)
    assert level == first_at_or_above
    ratio = sim.levels_A_m2[1] / sim.levels_A_m2[0]
    assert level / j_star <= ratio
    assert sim.step_time_s == pytest.approx(3.0 * sim.void_time_s)


def test_simulated_30c_staircase_resolves_the_fitted_ccd():
    sim = seed003.simulated_staircase_ccd(T30, PAPER_30C_A_M2)
    assert _closed_form(T30) == pytest.approx(PAPER_30C_A_M2, rel=1e-9)  # fitted point
    below, level = sim.bracket_A_m2
    assert below < PAPER_30C_A_M2 <= level
    assert level / PAPER_30C_A_M2 <= sim.levels_A_m2[1] / sim.levels_A_m2[0]


def test_staircase_follows_the_cell_diffusion_length():
    # the simulator takes L: a different L moves the simulated CCD with the closed form (∝ 1/L)
    calibrated = seed003.simulated_staircase_ccd(T160, PAPER_160C_A_M2)
    longer = seed003.simulated_staircase_ccd(
        T160, PAPER_160C_A_M2, diffusion_length_m=2.0 * calibrated.diffusion_length_m
    )
    assert longer.closed_form_A_m2 == pytest.approx(calibrated.closed_form_A_m2 / 2.0, rel=1e-6)
    below, level = longer.bracket_A_m2
    assert level is not None and below < longer.closed_form_A_m2 <= level


def test_simulated_rows_reported_beside_the_closed_form(replication):
    row30 = _row(replication, "CCD at 30 °C, time-domain")
    row160 = _row(replication, "CCD at 160 °C, time-domain")
    assert isinstance(row30.ssblab, float) and isinstance(row160.ssblab, float)
    assert "closed-form j*" in row30.note and "calibrated L" in row30.note
    assert row30.basis == "fitted" and row160.basis == "predicted"
    assert row30.ssblab / 100.0 >= _closed_form(T30)  # µA/cm² -> A/m²
    # 160 °C: within the stated factor of 3 of the paper, or reported as differs
    factor = row160.ssblab / row160.paper
    expected = "agrees" if 1.0 / 3.0 <= factor <= 3.0 else "differs"
    assert row160.status == expected
    assert "factor of 3" in row160.note
    assert any(n.startswith("closed form vs simulated staircase") for n in replication.notes)


def test_no_stale_simulator_limitation(replication):
    text = " ".join(replication.notes) + " ".join(r.note for r in replication.rows)
    text += " ".join(f["name"] + f["note"] for f in replication.fitted_parameters)
    assert "cannot take" not in text
    assert "proposed" not in text
    assert "used by the simulator" not in text
    assert "default L" not in text


def test_asr_rows(replication):
    trend = _row(replication, "Li|garnet ASR falls monotonically")
    assert trend.status == "reproduced"
    at400 = _row(replication, "Constriction ASR after a 400 MPa")
    assert at400.ssblab == 0.0 and at400.status == "agrees"
    total = _row(replication, "Total per-interface ASR")
    assert total.ssblab > 0 and math.isfinite(total.ssblab)
    # charge transfer RT/(F j0) = 1 Ω cm² (the set's assumption) + the 6-nm interphase (~0.01)
    assert total.ssblab == pytest.approx(1.01, abs=0.005)
    assert total.status == compare(1.0, total.ssblab, "<")  # status follows the bound
    assert "assumed" in total.note


def test_runtime_is_short():
    start = time.perf_counter()
    seed003.replicate()
    assert time.perf_counter() - start < 10.0
