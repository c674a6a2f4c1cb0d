"""Seed 002's full-cell rows: fitted rate ASRs, predictions with bands, bookkeeping by hand."""

from __future__ import annotations

import re

import pytest

from ssblab.fullcell import thinfilm as tf
from ssblab.replicate import seed002_fullcell as s2
from ssblab.replicate.rows import BASES, Row, compare
from ssblab.replicate.sensitivity import Band


@pytest.fixture(scope="module")
def built() -> tuple[list[Row], list[str]]:
    rows, notes = s2.model_rows(lambda _m: None)
    more, more_notes = s2.bookkeeping_rows(lambda _m: None)
    return rows + more, notes + more_notes


def _row(rows: list[Row], startswith: str) -> Row:
    found = [r for r in rows if r.quantity.startswith(startswith)]
    assert len(found) == 1, [r.quantity for r in rows]
    return found[0]


def test_capacity_and_cell_geometry():
    assert s2.capacity_Ah() == pytest.approx(30e-6)  # 3 µA = 0.1 C
    cell = s2.base_cell()
    assert cell.capacity_Ah == pytest.approx(30e-6)
    assert cell.thickness_m == s2.FILM_THICKNESS_M
    assert cell.sse_thickness_m / cell.sse_conductivity_s_m / 1e-4 == pytest.approx(3.661, abs=1e-3)


@pytest.mark.parametrize(("key", "paper"), [("no buffer", 10.0), ("SiO2", 30.0)])
def test_fitted_rate_rows_reproduce_the_30c_capacities(built, key, paper):
    rows, _ = built
    row = _row(rows, f"{key}: 30 C discharge capacity relative to 0.1 C")
    assert row.basis == "fitted" and row.paper == paper and row.band is None
    assert abs(row.ssblab - paper) <= 3.0 and row.status == "agrees"
    cell = s2.base_cell()
    asr = s2.fit_asr(cell, paper / 100)
    sweep = tf.rate_sweep(tf.replace(cell, interface_asr_ohm_m2=asr), (0.1, 30.0))
    assert sweep.relative[1] == pytest.approx(paper / 100, abs=1e-4)
    assert f"interface ASR {asr / 1e-4:.0f} Ω cm²" in row.note
    lo, hi = (s2.fit_asr(cell, (paper + d) / 100) for d in (3.0, -3.0))
    assert lo < asr < hi
    assert f"{lo / 1e-4:.0f}–{hi / 1e-4:.0f} Ω cm²" in row.note


def test_every_row_has_a_basis_and_predicted_rows_have_bands(built):
    rows, notes = built
    assert len(rows) == 17 and notes
    for row in rows:
        assert row.basis in BASES
        assert re.search(r"s00[12]-[a-z0-9-]+", row.note), row.quantity
        if row.basis == "predicted":
            assert isinstance(row.band, Band), row.quantity
            assert row.robustness in ("robust", "fragile")
        else:
            assert row.band is None
    kinds = [r.basis for r in rows]
    assert kinds.count("fitted") == 3 and kinds.count("computed") == 5
    assert kinds.count("predicted") == 9


def test_rate_predictions_follow_the_policy(built):
    rows, _ = built
    for key in ("no buffer", "SiO2"):
        row = _row(rows, f"{key}: capacity falls from 5 to 10 to 20 C")
        values = [float(x.split()[0]) for x in row.ssblab.split(" > ")]
        assert values == sorted(values, reverse=True)
        plateau = _row(rows, f"{key}: mean discharge voltage ('platform') falls")
        volts = [float(x) for x in plateau.ssblab.split(" > ")]
        assert len(volts) == 6 and volts[0] > volts[-1]
        assert row.band.nominal_status == row.status


def test_retention_rows_and_the_sparse_cycle_shortcut(built):
    rows, _ = built
    cell = s2.base_cell()
    asr = s2.fit_asr(cell, 0.10)
    g = s2.fit_growth(cell, asr, 0.54)
    steps = [tf.Step("charge", current_A=3e-6), tf.Step("discharge", current_A=3e-6)] * 100
    full = tf.step_summaries(tf.replace(cell, interface_asr_ohm_m2=asr), steps,
                             tf.Degradation(asr_growth=g))  # fmt: skip
    d = [r for r in full if r.kind == "discharge"]
    assert d[-1].capacity_Ah / d[0].capacity_Ah == pytest.approx(0.54, abs=0.005)
    fitted = _row(rows, "no buffer: capacity after 100 cycles")
    assert fitted.basis == "fitted" and fitted.ssblab == pytest.approx(54.0, abs=0.01)
    sio2 = _row(rows, "SiO2: capacity after 100 cycles")
    assert sio2.basis == "predicted" and sio2.status == compare(76.0, sio2.ssblab)
    assert sio2.ssblab > fitted.ssblab  # the lower rate-fitted ASR keeps more capacity
    other = _row(rows, "LLTO/NCM (71 %) and LiPON (79 %)")
    assert other.status == "not reproduced" and other.ssblab == "not predictable"
    after = _row(rows, "no buffer: 30 C / 0.1 C at the rate test")
    assert after.ssblab < 1.0 and after.status == "differs"
    grow = _row(rows, "no buffer: mean discharge voltage falls over 100 cycles at 3 µA (ASR")
    lam = _row(rows, "no buffer: mean discharge voltage falls over 100 cycles at 3 µA (active")
    assert grow.status == "reproduced" and lam.status == "not reproduced"


def test_bookkeeping_against_hand_calculation(built):
    rows, _ = built
    assert _row(rows, "1 C capacity implied").ssblab == pytest.approx(30.0)
    assert _row(rows, "1 C capacity implied").status == "agrees"  # 26.7–40 µAh
    caption = _row(rows, "C-rate of 40 µA if 3 µA were '1 C'")
    assert caption.ssblab == pytest.approx(40 / 3, abs=0.01) and caption.status == "differs"
    q0 = 40 / 2 / 0.65  # µAh
    assert s2.long_initial_capacity_Ah() == pytest.approx(q0 * 1e-6)
    c1000 = _row(rows, "C-rate of 40 µA at cycle 1000")
    assert c1000.ssblab == pytest.approx(40 / (0.277 * q0), abs=0.01)  # ≈ 4.69 C
    assert c1000.ssblab == pytest.approx(4.69, abs=0.01) and c1000.status == "differs"
    assert "means 36 % of Q₀" in c1000.note  # 40/3.6/30.77
    # Σ r_n, n = 1…1000: 900 − 0.0007·900·901/2 on the linear part, then 100 points to 27.7 %
    total = (900 - 0.0007 * 900 * 901 / 2) + (100 * 0.37 - 0.093 * 50.5)
    days_40 = 2 * total * q0 / 40 / 24
    days_3 = 2 * total * q0 / 3 / 24
    assert days_40 == pytest.approx(41.57, abs=0.01) and days_3 == pytest.approx(554.3, abs=0.1)
    assert s2.long_duration_days(40e-6) == pytest.approx(days_40, rel=1e-9)
    assert s2.long_duration_days(3e-6) == pytest.approx(days_3, rel=1e-9)
    assert _row(rows, "duration of the 1000 SiO2 cycles at 40 µA").ssblab == round(days_40, 1)
    assert _row(rows, "duration of the 1000 SiO2 cycles at 3 µA").status == "differs"
    assert s2.long_retention([500, 1000]) == pytest.approx([0.65, 0.277])
