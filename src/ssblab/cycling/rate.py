"""Rate capability of a full cell: discharge capacity against C-rate.

C-rate of a cycle = its discharge current (mean |I| of the discharge steps, see
:mod:`ssblab.cycling.fullcell`) / the nominal capacity (1 C). Nominal capacity:
``nominal_capacity_mAh``, or ``nominal_specific_capacity_mAh_g`` × ``active_mass_g``, else the
reference capacity of a rate test — the median discharge capacity of the first consecutive
cycles run at the lowest current (within ``tolerance``). This differs on purpose from the default
of :func:`fullcell_metrics` (the first cycle after formation): a rate test usually starts at its
slowest rate, which the formation detector would otherwise flag as formation.

Measured C-rates are snapped to the nearest standard rate (:data:`STANDARD_C_RATES`: 0.01 …
0.1, 0.2, 1/3, 0.5, 1, 2, 5, 10, 20, 30 … 100 C) when within a relative ``tolerance`` (15 %,
nearest in log scale), else rounded to two significant figures. Consecutive cycles at one rate
form a *block*; a block at a rate already seen is a *recovery* block (e.g. back to 0.1 C at the
end). The capacity of a block is the mean (or median/last) of its cycles' discharge capacities;
``relative_percent`` = 100 × that / the capacity of the first block at the slowest rate.
E.g. seed 002 (NCM | LLTO | Li thin films): the capacity at 30 C is 10 % of that at 0.1 C
without a buffer layer and 30 % with an SiO2 buffer.

Validity: galvanostatic discharges; a rate test where charge and discharge rates both vary is
classified by the discharge rate.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ssblab.cycling.fullcell import FullCellResult, _nominal, _num, _positive, _records
from ssblab.cycling.fullcell import fullcell_metrics as _metrics
from ssblab.errors import SsblabInputError

STANDARD_C_RATES: tuple[float, ...] = (
    0.01,
    0.02,
    0.025,
    0.05,
    0.1,
    0.2,
    0.25,
    1 / 3,
    0.5,
    1.0,
    2.0,
    3.0,
    4.0,
    5.0,
    10.0,
    15.0,
    20.0,
    25.0,
    30.0,
    40.0,
    50.0,
    60.0,
    100.0,
)


def snap_c_rate(c_rate, *, rates: Sequence[float] = STANDARD_C_RATES, tolerance: float = 0.15):
    """Nearest standard C-rate (log scale) when within relative ``tolerance``, else 2 sig. fig."""
    if not 0 < tolerance < 1:
        raise SsblabInputError(f"tolerance must lie in (0, 1), got {tolerance}")
    r = np.atleast_1d(np.asarray(c_rate, dtype=float))
    std = np.asarray(sorted(rates), dtype=float)
    if std.size == 0 or np.any(std <= 0):
        raise SsblabInputError("rates: positive standard C-rates expected")
    out = np.full(r.shape, np.nan)
    ok = np.isfinite(r) & (r > 0)
    dist = np.abs(np.log(r[ok, None]) - np.log(std[None, :]))
    nearest = np.argmin(dist, axis=1)
    close = dist[np.arange(nearest.size), nearest] <= math.log1p(tolerance)
    exponent = np.floor(np.log10(r[ok])) - 1
    rounded = np.round(r[ok] / 10.0**exponent) * 10.0**exponent
    out[ok] = np.where(close, std[nearest], rounded)
    return out if np.ndim(c_rate) else float(out[0])


@dataclass(frozen=True)
class RateResult:
    """Blocks of consecutive cycles at one C-rate and the capacity per rate."""

    blocks: pd.DataFrame
    rates: pd.DataFrame
    nominal_capacity_mAh: float
    nominal_capacity_source: str
    slowest_c_rate: float
    reference_capacity_mAh: float
    recovery_percent: float | None
    statistic: str
    notes: tuple[str, ...] = field(default=())

    def relative(self, c_rate: float) -> float:
        """Capacity at ``c_rate`` (first block at that rate) in % of the slowest rate."""
        row = self.rates[np.isclose(self.rates["c_rate"], c_rate, rtol=1e-6)]
        if row.empty:
            raise SsblabInputError(
                f"c_rate {c_rate:g} C not tested; rates: "
                f"{', '.join(f'{x:g}' for x in self.rates['c_rate'])}"
            )
        return float(row["relative_percent"].iloc[0])

    def to_dict(self) -> dict:
        return {
            "blocks": _records(self.blocks),
            "rates": _records(self.rates),
            "nominal_capacity_mAh": _num(self.nominal_capacity_mAh),
            "nominal_capacity_source": self.nominal_capacity_source,
            "slowest_c_rate": self.slowest_c_rate,
            "reference_capacity_mAh": _num(self.reference_capacity_mAh),
            "recovery_percent": _num(self.recovery_percent),
            "statistic": self.statistic,
            "notes": list(self.notes),
        }


def rate_capability(
    data,
    *,
    active_mass_g: float | None = None,
    nominal_capacity_mAh: float | None = None,
    nominal_specific_capacity_mAh_g: float | None = None,
    cycles: Sequence[int] | None = None,
    tolerance: float = 0.15,
    rates: Sequence[float] = STANDARD_C_RATES,
    statistic: str = "mean",
) -> RateResult:
    """Capacity against C-rate, normalised to the slowest rate (module docstring).

    ``data``: a tidy table, CyclingData, or a :class:`FullCellResult` (its cycles table and
    active mass are used). ``cycles``: restrict to these cycle numbers (e.g. skip formation)."""
    if statistic not in ("mean", "median", "last"):
        raise SsblabInputError(f"statistic must be 'mean', 'median' or 'last', got {statistic!r}")
    if not 0 < tolerance < 1:
        raise SsblabInputError(f"tolerance must lie in (0, 1), got {tolerance}")
    if isinstance(data, FullCellResult):
        result = data
        mass = _positive(active_mass_g, "active_mass_g") or result.active_mass_g
    else:
        mass = _positive(active_mass_g, "active_mass_g")
        result = _metrics(data, active_mass_g=mass, formation_cycles=0)
    nominal, source = _nominal(nominal_capacity_mAh, nominal_specific_capacity_mAh_g, mass)
    table = result.cycles
    use = table[(table["discharge_mAh"] > 0) & np.isfinite(table["discharge_current_A"])]
    if cycles is not None:
        wanted = {int(c) for c in cycles}
        missing = sorted(wanted - set(table["cycle"].tolist()))
        if missing:
            raise SsblabInputError(f"cycles: {missing} not in the data")
        use = use[use["cycle"].isin(wanted)]
    if use.empty:
        raise SsblabInputError("data: no cycle with a discharge to analyse")
    current = use["discharge_current_A"].to_numpy(dtype=float)
    q = use["discharge_mAh"].to_numpy(dtype=float)
    notes: list[str] = []
    if nominal is None:
        slow = current <= current.min() * (1 + tolerance)
        first = int(np.argmax(slow))
        run_end = first + (int(np.argmin(slow[first:])) if not slow[first:].all() else slow.size)
        nominal = float(np.median(q[first:run_end]))
        source = "median discharge capacity of the first cycles at the lowest current"
    c_measured = current * 1000.0 / nominal
    c_snapped = snap_c_rate(c_measured, rates=rates, tolerance=tolerance)
    boundary = np.concatenate([[True], c_snapped[1:] != c_snapped[:-1]])
    block_id = np.cumsum(boundary) - 1
    frame = pd.DataFrame(
        {
            "block": block_id,
            "cycle": use["cycle"].to_numpy(),
            "c_rate": c_snapped,
            "c_measured": c_measured,
            "q": q,
        }
    )
    grouped = frame.groupby("block", sort=True)
    agg = {"mean": "mean", "median": "median", "last": "last"}[statistic]
    blocks = pd.DataFrame(
        {
            "block": grouped["block"].first().to_numpy(),
            "c_rate": grouped["c_rate"].first().to_numpy(),
            "c_rate_measured": grouped["c_measured"].mean().to_numpy(),
            "first_cycle": grouped["cycle"].first().to_numpy(),
            "last_cycle": grouped["cycle"].last().to_numpy(),
            "n_cycles": grouped["cycle"].size().to_numpy(),
            "discharge_mAh": grouped["q"].agg(agg).to_numpy(),
            "discharge_mAh_std": grouped["q"].std(ddof=1).fillna(0.0).to_numpy(),
        }
    )
    blocks["discharge_mAh_g"] = blocks["discharge_mAh"] / mass if mass else np.nan
    blocks["recovery"] = blocks["c_rate"].duplicated(keep="first")
    slowest = float(blocks["c_rate"].min())
    first_slow = blocks[(blocks["c_rate"] == slowest) & ~blocks["recovery"]].iloc[0]
    reference = float(first_slow["discharge_mAh"])
    blocks["relative_percent"] = 100.0 * blocks["discharge_mAh"] / reference
    firsts = blocks[~blocks["recovery"]].sort_values("c_rate")
    rate_table = firsts[
        [
            "c_rate",
            "c_rate_measured",
            "n_cycles",
            "discharge_mAh",
            "discharge_mAh_g",
            "relative_percent",
        ]
    ].reset_index(drop=True)
    recovery = None
    later_slow = blocks[(blocks["c_rate"] == slowest) & blocks["recovery"]]
    if not later_slow.empty:
        recovery = float(later_slow["relative_percent"].iloc[-1])
    if blocks["n_cycles"].min() == 1 and len(blocks) > 1:
        notes.append("some rates have a single cycle: no spread estimate")
    return RateResult(
        blocks=blocks,
        rates=rate_table,
        nominal_capacity_mAh=float(nominal),
        nominal_capacity_source=source,
        slowest_c_rate=slowest,
        reference_capacity_mAh=reference,
        recovery_percent=recovery,
        statistic=statistic,
        notes=tuple(notes),
    )


def rate_test_capability(result) -> tuple[RateResult | None, str | None]:
    """(rate capability, note) of a full-cell result when it is a rate test — at least two
    distinct C-rates after formation — else (None, None); (None, note) when the data cannot
    give one. The CLI (``ssblab cycle full``) and the workspace's ``full`` analysis share it, so
    both report the same block."""
    import numpy as np

    cycling = result.cycles[~result.cycles["formation"].astype(bool)]
    distinct = np.unique(np.round(cycling["c_rate"].dropna(), 2))
    if distinct.size < 2:  # formation followed by one cycling rate: not a rate test
        return None, None
    try:
        return rate_capability(result, cycles=None), None
    except SsblabInputError as exc:
        return None, f"no rate capability: {exc}"
