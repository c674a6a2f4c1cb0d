"""The file's own capacity counters against the integrated current, step by step.

Cyclers count charge internally at a rate far above the logging rate; the tidy table's
``step_capacity_Ah`` integrates the logged current with trapezoids from each step's first
logged point. The two differ when the log is sparse, the current not constant between points
(CV tails, pulses), or the first point of a step is logged after the step began. Where a file
carries a counter — LAND ``Capacity/mAh``, Neware ``Capacity(Ah)``/``Chg. Cap.``/``DChg. Cap.``
and NewareNDA's charge/discharge capacities, Arbin ``Charge_Capacity``/``Discharge_Capacity``,
Maccor ``Cap. [Ah]``/``Amp-hr``, the LAND ``.ccs`` record increments, a generic ``capacity``
column — :func:`apply_counters` compares them for every charge and discharge step.

**Counter of a step.** A counter either restarts at every step (LAND, Neware, Maccor) or runs on
over several steps (Arbin, within a cycle); at each step change it is taken to restart where its
magnitude drops (or where it was zero before), and to run on otherwise. The step's counted
charge at a row is then |c − c_before|, with c_before the counter's value before the step
(zero where it restarted). Charge steps use the charge counter where the file has one,
discharge steps the discharge counter, otherwise the single capacity counter.

**Tolerance** (the rounding of the columns, nothing else): one count of the counter's
resolution (its two readings, each within half a count) + half a count of the current's
resolution × the step's duration + the step's largest |I| × one count of the time's
resolution. A count is the last digit a column is written with (fixed decimals, or the finest
value of a ``%g`` column: :func:`~._steps.decimal_quantum`); for a column written with an
exponent it is the last significant digit of the value (its relative precision × the value).

**Beyond the tolerance the counter is used**: ``step_capacity_Ah`` of the step's rows becomes
the counted charge and ``cumulative_capacity_Ah`` moves with it (and every later row by the
step's difference); a note gives how many steps, the largest disagreement in per cent and
where. A counter that decreases within a step, that exceeds twice what the logged current can
have carried since the record before the step, or that falls below half the integral, is not
a counter of this current (a unit the header does not state, a different quantity): it is not
used there, and a note says so. A step of a single record (integral zero) is compared with the
counter as any other: its counted charge is the charge since the step began.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ssblab.io._text import describe_lines
from ssblab.io.cycling._steps import decimal_quantum

COUNTERS = ("capacity", "charge_capacity", "discharge_capacity")
#: Beyond this factor (either way, see the module) a counter is taken for another quantity.
IMPLAUSIBLE_RATIO = 2.0


@dataclass
class _Step:
    first: int
    last: int
    kind: str
    counted: np.ndarray  # |c − c_before| over the step's rows
    column: str


def _counter_for(kind: str, counters: dict[str, np.ndarray]) -> str | None:
    preferred = "charge_capacity" if kind == "charge" else "discharge_capacity"
    for role in (preferred, "capacity"):
        if role in counters:
            return role
    return None


def _steps(table: pd.DataFrame, counters: dict[str, np.ndarray], quanta: dict[str, float]):
    index = table["step_index"].to_numpy()
    kinds = table["step_type"].to_numpy()
    bounds = np.flatnonzero(np.diff(index)) + 1
    firsts = np.concatenate([[0], bounds])
    lasts = np.concatenate([bounds - 1, [index.size - 1]])
    for first, last in zip(firsts.tolist(), lasts.tolist(), strict=True):
        kind = str(kinds[first])
        if kind not in ("charge", "discharge"):
            continue
        role = _counter_for(kind, counters)
        if role is None:
            continue
        c = counters[role]
        values = c[first : last + 1]
        if not np.isfinite(values).all():
            continue
        before = c[first - 1] if first else np.nan
        if not np.isfinite(before):
            base = values[0]  # nothing before it: count from the step's first reading
        elif abs(values[0]) < abs(before) - quanta.get(role, 0.0) or before == 0:
            base = 0.0  # restarted
        else:
            base = before  # runs on across the step change
        yield _Step(first, last, kind, np.abs(values - base), role)


def apply_counters(
    table: pd.DataFrame,
    counters: dict[str, np.ndarray],
    quanta: dict[str, float],
    columns: dict[str, str],
    lines: np.ndarray | None = None,
    what: str = "line",
) -> list[str]:
    """Compare the counters with ``table``'s integrated step capacity; use them where they
    disagree beyond the rounding (``table`` is changed in place). ``counters`` are in A·h,
    aligned with the table's rows; ``quanta`` the resolutions of 'current', 'time' and each
    counter (estimated from the values where missing); ``columns`` the counters' names."""
    counters = {r: np.asarray(v, dtype=float) for r, v in counters.items() if r in COUNTERS}
    counters = {r: v for r, v in counters.items() if np.isfinite(v).any()}
    if not counters:
        return []
    time = table["time_s"].to_numpy(dtype=float)
    current = table["current_A"].to_numpy(dtype=float)
    quanta = dict(quanta)
    quanta.setdefault("current", decimal_quantum(current))
    quanta.setdefault("time", decimal_quantum(time))
    for role, values in counters.items():
        quanta.setdefault(role, decimal_quantum(values))
    step_capacity = table["step_capacity_Ah"].to_numpy(dtype=float).copy()
    shift = np.zeros(time.size)
    tail = np.zeros(time.size + 1)
    compared = used = single = 0
    worst: tuple[float, _Step] | None = None
    implausible: list[_Step] = []
    for step in _steps(table, counters, quanta):
        rows = slice(step.first, step.last + 1)
        integrated = step_capacity[rows]
        counted, total = step.counted, float(step.counted[-1])
        largest = float(np.max(np.abs(current[rows])))
        duration = float(time[step.last] - time[step.first])
        q_c = quanta[step.column] + quanta.get(f"{step.column}_relative", 0.0) * total
        q_i = quanta["current"] + quanta.get("current_relative", 0.0) * largest
        tolerance = q_c + 0.5 * q_i * duration / 3600 + largest * quanta["time"] / 3600
        compared += 1
        difference = total - float(integrated[-1])
        if abs(difference) <= tolerance:
            continue
        # the most the current can have carried since the record before the step
        since = float(time[step.last] - time[step.first - 1 if step.first else step.first])
        ceiling = IMPLAUSIBLE_RATIO * largest * since / 3600 + tolerance
        floor = float(integrated[-1]) / IMPLAUSIBLE_RATIO - tolerance
        if np.any(np.diff(counted) < -q_c) or not floor <= total <= ceiling:
            implausible.append(step)
            continue
        reference = max(float(integrated[-1]), tolerance)
        used += 1
        sign = 1.0 if step.kind == "charge" else -1.0
        shift[rows] += sign * (counted - integrated)
        tail[step.last + 1] += sign * difference
        step_capacity[rows] = counted
        if step.last == step.first:  # one record: no integral, the counter is the only value
            single += 1
            continue
        relative = difference / reference
        if worst is None or abs(relative) > abs(worst[0]):
            worst = (relative, step)
    notes: list[str] = []
    names = ", ".join(repr(columns.get(r, r)) for r in counters)
    if used:
        table["step_capacity_Ah"] = step_capacity
        table["cumulative_capacity_Ah"] = (
            table["cumulative_capacity_Ah"].to_numpy(dtype=float) + shift + np.cumsum(tail)[:-1]
        )
        if worst is not None:
            relative, step = worst
            largest = f"largest {relative:+.2%}, the {step.kind} step {_where(lines, step, what)}"
        else:
            largest = "all of them single records"
        singles = (
            f"; {single} of them a single record, whose integral is zero"
            if single and worst is not None
            else ""
        )
        counter = next(iter(counters))
        notes.append(
            f"capacity: the file's counter ({names}) and the integrated current disagree beyond "
            f"the rounding of the columns in {used} of {compared} charge/discharge steps "
            f"({largest}{singles}); step and cumulative capacity taken from the counter there "
            f"(tolerance: one count of the counter, {quanta[counter]:.3g} A·h, + half a count "
            f"of the current, {quanta['current']:.3g} A, × the step's duration + |I| × one "
            f"count of the time, {quanta['time']:.3g} s)"
        )
    elif compared:
        notes.append(
            f"capacity: the file's counter ({names}) agrees with the integrated current in all "
            f"{compared - len(implausible)} charge/discharge steps it was compared in, within "
            "the rounding of the columns"
        )
    if implausible:
        step = implausible[0]
        integral = float(table["step_capacity_Ah"].to_numpy()[step.last])
        notes.append(
            f"capacity: counter {columns.get(step.column, step.column)!r} not used in "
            f"{len(implausible)} step{'s' if len(implausible) > 1 else ''} where it decreases, "
            f"exceeds {IMPLAUSIBLE_RATIO:g}× what the logged current can carry in the step's "
            f"time or falls below 1/{IMPLAUSIBLE_RATIO:g} of the integral (first: the "
            f"{step.kind} step {_where(lines, step, what)}, counter {step.counted[-1]:.6g} A·h, "
            f"integral {integral:.6g} A·h); the integrated current kept"
        )
    return notes


def _where(lines: np.ndarray | None, step: _Step, what: str) -> str:
    if lines is None:
        return f"of table rows {step.first + 1}–{step.last + 1}"
    where = describe_lines(np.asarray(lines)[step.first : step.last + 1])
    if what != "line" and where.startswith("line"):
        where = what + where[len("line") :]
    return f"at {where}" if where else f"of table rows {step.first + 1}–{step.last + 1}"
