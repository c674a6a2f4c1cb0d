"""The tidy cycling table every reader returns and every analysis (and simulator) uses.

One row per recorded point, SI units, whatever the instrument:

==========================  =====  ==========================================================
column                      unit   meaning
==========================  =====  ==========================================================
``time_s``                  s      time since the start of the test, non-decreasing
``voltage_V``               V      cell (or working-electrode) voltage
``current_A``               A      current; **positive = anodic at the working electrode**
                                   (charge of a cathode or full cell; stripping of a Li
                                   working electrode), negative = cathodic (discharge; plating)
``step_index``              –      0, 1, 2 … increasing by one at every change of step
``step_type``               –      "charge", "discharge", "rest" (symmetric-cell analysis
                                   re-labels charge/discharge as "strip"/"plate")
``cycle_index``             –      cycle number as the instrument counts it (0 or 1 based as
                                   written; derived from the current when absent)
``step_capacity_Ah``        A·h    |∫ I dt| since the start of the current step (trapezoids
                                   within a step; cyclers log a point at every step end)
``cumulative_capacity_Ah``  A·h    ∫ I dt since the start of the test (signed)
``temperature_K``           K      cell temperature where recorded, else NaN
==========================  =====  ==========================================================

:class:`CyclingData` carries the table with its source, metadata (instrument, channel,
nominal values from the header) and notes — every repair a reader made (dropped duplicate rows,
converted units, decimal commas), counted and explained.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ssblab.errors import SsblabInputError

COLUMNS: dict[str, str] = {
    "time_s": "s",
    "voltage_V": "V",
    "current_A": "A",
    "step_index": "",
    "step_type": "",
    "cycle_index": "",
    "step_capacity_Ah": "A*h",
    "cumulative_capacity_Ah": "A*h",
    "temperature_K": "K",
}
STEP_TYPES = ("charge", "discharge", "rest", "plate", "strip")
REST_CURRENT_FRACTION = 1e-3  # |I| below this fraction of max |I| counts as rest


class CyclingDataError(SsblabInputError):
    """A cycling table that breaks the contract above."""


def check_table(table: pd.DataFrame, name: str = "cycling data") -> None:
    """Raise :class:`CyclingDataError` naming ``name`` when ``table`` breaks the contract."""
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise CyclingDataError(f"{name}: missing columns {', '.join(missing)}")
    if len(table) == 0:
        raise CyclingDataError(f"{name}: no data rows")
    for column in ("time_s", "voltage_V", "current_A"):
        values = table[column].to_numpy(dtype=float)
        if not np.all(np.isfinite(values)):
            bad = int(np.sum(~np.isfinite(values)))
            raise CyclingDataError(f"{name}: {bad} non-finite values in {column}")
    time = table["time_s"].to_numpy(dtype=float)
    backwards = np.flatnonzero(np.diff(time) < 0)
    if backwards.size:
        raise CyclingDataError(
            f"{name}: time goes backwards at row {int(backwards[0]) + 1} "
            f"({time[backwards[0]]:g} s -> {time[backwards[0] + 1]:g} s)"
        )
    if np.any(np.diff(table["step_index"].to_numpy()) < 0):
        raise CyclingDataError(f"{name}: step_index decreases")
    unknown = set(table["step_type"].unique()) - set(STEP_TYPES)
    if unknown:
        raise CyclingDataError(f"{name}: unknown step types {sorted(unknown)}")


@dataclass(frozen=True)
class CyclingData:
    """A tidy cycling table with where it came from and what was done to it."""

    table: pd.DataFrame
    source: str = ""
    metadata: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_table(self.table, self.source or "cycling data")

    def __len__(self) -> int:
        return len(self.table)


def step_types_from_current(current_a: np.ndarray, rest_fraction: float = REST_CURRENT_FRACTION):
    """'charge' / 'discharge' / 'rest' per row from the sign of the current."""
    current = np.asarray(current_a, dtype=float)
    threshold = rest_fraction * max(float(np.max(np.abs(current))), 1e-300)
    return np.where(
        current > threshold, "charge", np.where(current < -threshold, "discharge", "rest")
    )


def steps_from_types(step_type: np.ndarray) -> np.ndarray:
    """Step index: 0 at the start, +1 wherever the step type changes."""
    types = np.asarray(step_type)
    return np.concatenate([[0], np.cumsum(types[1:] != types[:-1])]).astype(int)


def capacities(time_s: np.ndarray, current_a: np.ndarray, step_index: np.ndarray):
    """(step_capacity_Ah, cumulative_capacity_Ah) by trapezoidal integration of the current."""
    t = np.asarray(time_s, dtype=float)
    i = np.asarray(current_a, dtype=float)
    increments = np.concatenate([[0.0], 0.5 * (i[1:] + i[:-1]) * np.diff(t)]) / 3600.0
    steps = np.asarray(step_index)
    new_step = np.concatenate([[True], steps[1:] != steps[:-1]])
    increments[new_step] = 0.0  # no charge carried across a step boundary
    cumulative = np.cumsum(increments)
    step_start = np.maximum.accumulate(np.where(new_step, np.arange(len(steps)), 0))
    step_capacity = np.abs(cumulative - cumulative[step_start])
    return step_capacity, cumulative


def cycles_from_steps(step_type: np.ndarray, first: str = "charge") -> np.ndarray:
    """Cycle index (from 1): +1 at every start of a ``first``-type step that follows a step of
    the opposite type (rests ignored). Vectorised over the working steps."""
    types = np.asarray(step_type)
    other = {"charge": "discharge", "discharge": "charge", "strip": "plate", "plate": "strip"}[
        first
    ]
    working = np.flatnonzero((types == first) | (types == other))
    cycles = np.ones(types.size, dtype=int)
    if working.size == 0:
        return cycles
    kinds = types[working]
    # a new cycle starts where a `first` step follows an `other` step among the working rows
    starts = np.zeros(working.size, dtype=int)
    starts[1:] = (kinds[1:] == first) & (kinds[:-1] == other)
    cycle_of_working = 1 + np.cumsum(starts)
    # every row takes the cycle of the last working row at or before it (rests included)
    position = np.searchsorted(working, np.arange(types.size), side="right") - 1
    cycles = np.where(position >= 0, cycle_of_working[np.maximum(position, 0)], 1)
    return cycles.astype(int)


def tidy_table(
    time_s,
    voltage_v,
    current_a,
    *,
    step_index=None,
    step_type=None,
    cycle_index=None,
    temperature_k=None,
) -> pd.DataFrame:
    """Build a contract-conforming table, deriving what the instrument did not record."""
    time = np.asarray(time_s, dtype=float)
    current = np.asarray(current_a, dtype=float)
    types = step_types_from_current(current) if step_type is None else np.asarray(step_type)
    steps = steps_from_types(types) if step_index is None else np.asarray(step_index, dtype=int)
    cycles = cycles_from_steps(types) if cycle_index is None else np.asarray(cycle_index, dtype=int)
    step_capacity, cumulative = capacities(time, current, steps)
    temperature = (
        np.full(time.size, np.nan) if temperature_k is None else np.asarray(temperature_k, float)
    )
    return pd.DataFrame(
        {
            "time_s": time,
            "voltage_V": np.asarray(voltage_v, dtype=float),
            "current_A": current,
            "step_index": steps,
            "step_type": types,
            "cycle_index": cycles,
            "step_capacity_Ah": step_capacity,
            "cumulative_capacity_Ah": cumulative,
            "temperature_K": temperature,
        }
    )
