"""Segments of the tidy cycling table: runs of rows with one cycle, step and step kind.

Shared by the full-cell metrics, dQ/dV and the cell-type checks (:mod:`ssblab.cycling.checks`).
Everything is a numpy reduction over the rows (``np.add.reduceat`` on the run starts), so a
table of 10⁶ rows is split and integrated in tens of milliseconds.

Per segment (SI units):

* ``capacity_Ah``: the net ``step_capacity_Ah`` (value at its last row minus its first — the
  trapezoidal |∫ I dt| of the contract in :mod:`ssblab.cycling.data`), 0 for rests;
* ``energy_Wh``: |∫ V·I dt| by trapezoids within the segment, 0 for rests;
* ``first_V``, ``last_V`` (V): the voltage at its first and last row;
* ``plateau_V`` (V): the signed mean voltage over the second half of the segment in time (the
  plateau, after the step's transient; the same window as the overpotential of
  :mod:`ssblab.cycling.symmetric`);
* ``current_A`` (A): the mean signed current of its rows;
* ``kind``: +1 for charge/strip rows (anodic at the working electrode), −1 for discharge/plate,
  0 for rest — from ``step_type``, which the contract ties to the current sign.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ssblab.cycling.data import CyclingData, check_table
from ssblab.errors import SsblabInputError

ANODIC = ("charge", "strip")
CATHODIC = ("discharge", "plate")


def as_table(data, name: str = "data") -> pd.DataFrame:
    """The tidy table of ``data`` (a DataFrame checked against the contract, or CyclingData)."""
    if isinstance(data, CyclingData):
        return data.table
    if isinstance(data, pd.DataFrame):
        check_table(data, name)
        return data
    raise SsblabInputError(
        f"{name}: expected a tidy cycling table (pandas DataFrame) or CyclingData, "
        f"got {type(data).__name__}"
    )


def positive_number(value, name: str) -> float | None:
    """``value`` as a finite float > 0 (None stays None); a typed error naming ``name``."""
    if value is None:
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise SsblabInputError(f"{name} must be a positive number, got {value!r}") from None
    if not math.isfinite(x) or x <= 0:
        raise SsblabInputError(f"{name} must be a positive number, got {value!r}")
    return x


def kind_codes(table: pd.DataFrame) -> np.ndarray:
    """+1 for charge/strip rows, −1 for discharge/plate, 0 for rest (int8, fast on 10⁶ rows)."""
    codes, uniques = pd.factorize(table["step_type"], sort=False)
    lut = np.array(
        [1 if u in ANODIC else -1 if u in CATHODIC else 0 for u in uniques] + [0], dtype=np.int8
    )
    return lut[codes]  # code −1 (missing) maps to the trailing 0


@dataclass(frozen=True)
class Segments:
    """Runs of rows with one cycle, step and step type, with their integrals (module docstring)."""

    start: np.ndarray  # first row
    end: np.ndarray  # last row
    step: np.ndarray  # step_index
    cycle: np.ndarray
    kind: np.ndarray  # +1 / −1 / 0
    capacity_Ah: np.ndarray  # ≥ 0
    energy_Wh: np.ndarray  # ≥ 0, |∫ V I dt|
    duration_s: np.ndarray
    first_V: np.ndarray
    last_V: np.ndarray
    plateau_V: np.ndarray  # signed mean V over the second half (in time)
    current_A: np.ndarray  # mean signed current

    @property
    def rows(self) -> np.ndarray:
        return self.end - self.start + 1


def segments(table: pd.DataFrame, cycle: np.ndarray | None = None) -> Segments:
    """Split the table into segments and integrate each (vectorised).

    ``cycle``: per-row cycle numbers to use instead of the table's ``cycle_index`` (e.g. cycles
    re-counted from the step sequence, :func:`ssblab.cycling.checks.recount_cycles`)."""
    t = table["time_s"].to_numpy(dtype=float)
    v = table["voltage_V"].to_numpy(dtype=float)
    i = table["current_A"].to_numpy(dtype=float)
    cyc = table["cycle_index"].to_numpy() if cycle is None else np.asarray(cycle)
    step = table["step_index"].to_numpy()
    kind = kind_codes(table)
    new = np.empty(t.size, dtype=bool)
    new[0] = True
    new[1:] = (step[1:] != step[:-1]) | (cyc[1:] != cyc[:-1]) | (kind[1:] != kind[:-1])
    start = np.flatnonzero(new)
    end = np.append(start[1:] - 1, t.size - 1)
    rows = end - start + 1
    p = v * i
    de = np.zeros(t.size)
    de[1:] = 0.5 * (p[1:] + p[:-1]) * np.diff(t)
    de[new] = 0.0
    energy = np.abs(np.add.reduceat(de, start)) / 3600.0
    sc = table["step_capacity_Ah"].to_numpy(dtype=float)
    capacity = np.abs(sc[end] - sc[start])
    # the plateau: rows in the second half of the segment's time span
    middle = np.repeat(0.5 * (t[start] + t[end]), rows)
    late = (t >= middle).astype(float)
    late_rows = np.add.reduceat(late, start)
    plateau = np.add.reduceat(v * late, start) / np.maximum(late_rows, 1.0)
    return Segments(
        start=start,
        end=end,
        step=step[start],
        cycle=cyc[start],
        kind=kind[start],
        capacity_Ah=np.where(kind[start] == 0, 0.0, capacity),
        energy_Wh=np.where(kind[start] == 0, 0.0, energy),
        duration_s=t[end] - t[start],
        first_V=v[start],
        last_V=v[end],
        plateau_V=plateau,
        current_A=np.add.reduceat(i, start) / rows,
    )
