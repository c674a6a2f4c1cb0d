"""Rate capability on synthetic traces (seed 002 checks, grouping, errors)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ssblab.cycling.fullcell import fullcell_metrics
from ssblab.cycling.rate import rate_capability, snap_c_rate
from ssblab.cycling.synthetic_fullcell import fullcell_trace
from ssblab.errors import SsblabInputError

SEED002_RATES = (0.1, 1.0, 5.0, 10.0, 20.0, 30.0)


def rate_trace(fractions, *, recovery=None, cycles_per_rate=3, nominal=150.0, **kwargs):
    """Discharge at each seed-002 rate (charge at 0.1 C); capacity = fraction × nominal."""
    rates = list(SEED002_RATES) + ([0.1] if recovery is not None else [])
    fractions = list(fractions) + ([recovery] if recovery is not None else [])
    capacities = np.repeat(np.asarray(fractions) * nominal, cycles_per_rate)
    c_rate = np.repeat(rates, cycles_per_rate)
    options = dict(active_mass_g=1e-3, charge_c_rate=0.1, noise_V=0.001, resistance_ohm=50.0)
    options.update(kwargs)
    return fullcell_trace(capacities, nominal_capacity=nominal, c_rate=c_rate, **options)


@pytest.mark.parametrize(
    ("thirty_c", "label"),
    [(0.10, "no buffer (sample A)"), (0.30, "SiO2 buffer (sample C)")],
)
def test_seed002_capacity_at_30c_relative_to_01c(thirty_c, label):
    fractions = [1.0, 0.85, 0.6, 0.45, 0.3, thirty_c]
    result = rate_capability(rate_trace(fractions), active_mass_g=1e-3)
    assert result.rates["c_rate"].tolist() == list(SEED002_RATES), label
    assert result.slowest_c_rate == 0.1
    assert result.relative(30) == pytest.approx(100 * thirty_c, abs=0.05), label
    assert result.rates["relative_percent"].to_numpy() == pytest.approx(
        100 * np.asarray(fractions), abs=0.05
    )
    assert result.rates["discharge_mAh_g"].iloc[0] == pytest.approx(150.0)
    json.dumps(result.to_dict())


def test_recovery_block_and_blocks_table():
    result = rate_capability(
        rate_trace([1.0, 0.8, 0.5, 0.3, 0.2, 0.1], recovery=0.95), active_mass_g=1e-3
    )
    blocks = result.blocks
    assert len(blocks) == 7
    assert blocks["recovery"].tolist() == [False] * 6 + [True]
    assert blocks["n_cycles"].tolist() == [3] * 7
    assert blocks["first_cycle"].tolist() == [1, 4, 7, 10, 13, 16, 19]
    assert result.recovery_percent == pytest.approx(95.0)
    assert len(result.rates) == 6  # recovery not mixed into the 0.1 C entry


def test_nominal_capacity_options_and_fullcell_result_input():
    table = rate_trace([1.0, 0.8, 0.5, 0.3, 0.2, 0.1])
    given = rate_capability(table, nominal_capacity_mAh=0.150)
    assert given.nominal_capacity_source == "given"
    per_gram = rate_capability(table, active_mass_g=1e-3, nominal_specific_capacity_mAh_g=150.0)
    assert per_gram.nominal_capacity_mAh == pytest.approx(0.150)
    metrics = fullcell_metrics(table, active_mass_g=1e-3)
    from_result = rate_capability(metrics)
    assert from_result.relative(30) == pytest.approx(10.0, abs=0.05)
    assert from_result.rates["discharge_mAh_g"].iloc[-1] == pytest.approx(15.0)
    # a nominal capacity 5 % off still snaps onto the standard rates
    off = rate_capability(table, nominal_capacity_mAh=0.1575)
    assert off.rates["c_rate"].tolist() == list(SEED002_RATES)


def test_statistic_and_cycle_selection():
    table = rate_trace([1.0, 0.8, 0.5, 0.3, 0.2, 0.1])
    last = rate_capability(table, statistic="last", cycles=range(4, 19), nominal_capacity_mAh=0.150)
    assert last.slowest_c_rate == 1.0
    assert last.relative(30) == pytest.approx(100 * 0.1 / 0.8, abs=0.05)


def test_snap_c_rate():
    snapped = snap_c_rate([0.33, 0.105, 28.0, 7.3, 0.22, 1.0, 100.0])
    assert snapped == pytest.approx([1 / 3, 0.1, 30.0, 7.3, 0.2, 1.0, 100.0])
    assert snap_c_rate(0.52) == 0.5
    assert np.isnan(snap_c_rate([0.0, np.nan])).all()


def test_rate_errors():
    table = rate_trace([1.0, 0.8, 0.5, 0.3, 0.2, 0.1])
    with pytest.raises(SsblabInputError, match="statistic"):
        rate_capability(table, statistic="max")
    with pytest.raises(SsblabInputError, match="tolerance"):
        rate_capability(table, tolerance=2.0)
    with pytest.raises(SsblabInputError, match="cycles"):
        rate_capability(table, cycles=[999])
    with pytest.raises(SsblabInputError, match="c_rate 7"):
        rate_capability(table).relative(7)
    with pytest.raises(SsblabInputError, match="nominal_specific_capacity_mAh_g"):
        rate_capability(table, nominal_specific_capacity_mAh_g=150.0)
