"""The replication accounting: tolerance policy, trends, sensitivity bands, LOO, summary."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssblab.replicate.rows import (
    EA_TOL_EV,
    REL_TOL,
    Row,
    compare,
    compare_energy,
    leave_one_out,
    summarize,
    tolerance,
    trend_status,
)
from ssblab.replicate.sensitivity import Assumed, sensitivity_band


def test_policy_thirty_percent_or_printed_precision():
    assert compare(100.0, 129.9) == "agrees" and compare(100.0, 130.1) == "differs"
    assert compare(100.0, 70.1) == "agrees" and compare(100.0, 69.9) == "differs"
    # "0.1 V" printed: half a unit of the last digit is 0.05 V = 50 %
    assert tolerance(0.1, precision=0.05) == pytest.approx(0.5)
    assert compare(0.1, 0.145, precision=0.05) == "agrees"
    assert compare(0.1, 0.145) == "differs"
    assert tolerance(60.0, precision=0.5) == REL_TOL


def test_bounds_have_no_slack():
    assert compare(200.0, 199.9, ">=") == "differs"
    assert compare(200.0, 200.0, ">=") == "agrees"
    assert compare(200.0, 200.0, ">") == "differs"
    assert compare(1.0, 1.0001, "<=") == "differs"
    assert compare(1.0, math.nan) == "differs"
    with pytest.raises(ValueError, match="qualifier"):
        compare(1.0, 1.0, "about")


def test_energy_tolerance_is_thirty_percent_in_sigma_over_100_K():
    k = 8.617333262e-5
    ratio = math.exp(EA_TOL_EV / k * (1 / 298.15 - 1 / 398.15))
    assert ratio == pytest.approx(1 + REL_TOL, rel=1e-12)
    assert compare_energy(0.33, 0.33 - 0.9 * EA_TOL_EV) == "agrees"
    assert compare_energy(0.33, 0.252) == "differs"


def test_trend_needs_a_strict_quantified_change():
    assert trend_status([1.0, 1.0, 1.0], "increase") == "not reproduced"  # flat
    assert trend_status([1.0, 1.05], "increase") == "not reproduced"  # < 10 %
    assert trend_status([1.0, 1.2, 1.5], "increase") == "reproduced"
    assert trend_status([1.0, 1.5, 1.4], "increase") == "not reproduced"  # reversal
    assert trend_status([3.0, 2.0], "decrease") == "reproduced"


@given(st.lists(st.floats(0.1, 10.0), min_size=2, max_size=6))
def test_a_trend_and_its_reverse_are_never_both_reproduced(values):
    up = trend_status(values, "increase")
    down = trend_status(values, "decrease")
    assert not (up == "reproduced" and down == "reproduced")


def test_band_of_a_linear_model_is_the_closed_form():
    assumed = [Assumed("a", 2.0, "", "test"), Assumed("b", 1.0, "", "test")]

    def model(o):
        return o.get("a", 2.0) + 3 * o.get("b", 1.0)

    band = sensitivity_band(model, assumed, lambda v: compare(5.0, v), n_lhs=64)
    # the box is a ∈ [1, 3], b ∈ [0.5, 1.5]; its extremes 2.5 and 7.5 bound every point
    assert band.nominal == pytest.approx(5.0)
    assert 2.5 <= band.low <= 4.0 and 6.0 <= band.high <= 7.5
    assert dict((n, (lo, hi)) for n, lo, hi in band.one_at_a_time) == {
        "a": pytest.approx((4.0, 6.0)), "b": pytest.approx((3.5, 6.5))
    }  # fmt: skip
    assert band.most_sensitive == "b"
    assert band.n_lhs == 64 and not band.robust  # 7.5 is > 30 % above 5
    narrow = sensitivity_band(lambda o: 5.0 + 0.1 * (o.get("a", 2.0) - 2.0), assumed[:1],
                              lambda v: compare(5.0, v))  # fmt: skip
    assert narrow.robust


def test_band_in_forked_workers_equals_serial():
    assumed = [Assumed("x", 1.0, "", "test")]

    def model(o):
        return o.get("x", 1.0) ** 2

    serial = sensitivity_band(model, assumed, lambda v: compare(1.0, v), n_lhs=16)
    forked = sensitivity_band(model, assumed, lambda v: compare(1.0, v), n_lhs=16, processes=2)
    assert (serial.low, serial.high, serial.statuses) == (forked.low, forked.high, forked.statuses)


def test_failing_points_count_as_differs():
    def model(o):
        if o.get("x", 1.0) > 1.2:
            raise ValueError("outside")
        return 1.0

    band = sensitivity_band(model, [Assumed("x", 1.0, "", "t")], lambda v: compare(1.0, v))
    assert not band.robust and "differs" in band.statuses


def test_leave_one_out_of_a_proportional_fit():
    points = [("a", 2.0), ("b", 4.0), ("c", 6.6)]
    x = {"a": 1.0, "b": 2.0, "c": 3.0}

    def fit_and_predict(kept, label):
        k = sum(v / x[lab] for lab, v in kept) / len(kept)
        return k * x[label]

    record = leave_one_out("k", points, fit_and_predict)
    errors = {h["held_out"]: h["error_percent"] for h in record["held_out"]}
    assert errors["a"] == pytest.approx(100 * (2.1 - 2.0) / 2.0)
    assert errors["c"] == pytest.approx(100 * (6.0 - 6.6) / 6.6)
    assert record["rms_error_percent"] > 0
    single = leave_one_out("k", points[:1], fit_and_predict)
    assert single["rms_error_percent"] is None and "undefined" in single["note"]


def test_summary_counts_each_basis():
    band = sensitivity_band(lambda o: 1.0, [], lambda v: compare(1.0, v))
    rows = [
        Row("a", 1.0, 1.0, "", "fitted", "agrees"),
        Row("b", 1.0, 1.0, "", "predicted", "agrees", band=band),
        Row("c", 1.0, 2.0, "", "predicted", "differs", band=band),
        Row("d", 1.0, 1.0, "", "predicted", "agrees"),  # no band shown: fragile
        Row("e", 1.0, 1.0, "", "by construction", "agrees"),
        Row("f", 1.0, 1.0, "", "computed", "agrees"),
    ]
    counts = summarize(rows)
    assert counts["fitted"] == 1 and counts["predicted_robust_agree"] == 1
    assert counts["predicted_differ"] == 1 and counts["predicted_fragile"] == 1
    assert counts["by_construction"] == 1 and counts["computed_agree"] == 1
    with pytest.raises(ValueError, match="basis"):
        Row("x", 1.0, 1.0, "", "guessed", "agrees")


def test_bands_report_progress_per_point():
    from ssblab.replicate.sensitivity import sensitivity_bands

    seen = []
    assumed = [Assumed("x", 1.0, "", "t"), Assumed("y", 2.0, "", "t")]
    bands = sensitivity_bands(
        lambda o: {"sum": o.get("x", 1.0) + o.get("y", 2.0)}, assumed,
        {"sum": lambda v: compare(3.0, v)}, n_lhs=8,
        progress=lambda done, total: seen.append((done, total)),
    )  # fmt: skip
    assert seen == [(k, 13) for k in range(1, 14)]  # 1 nominal + 2·2 one-at-a-time + 8 LHS
    assert bands["sum"].nominal == 3.0
