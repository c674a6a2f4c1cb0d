"""Steps of a cycling record: their type (charge, discharge, rest), index and test time.

**Step types come from the file wherever it names them** — Neware ``Step Type``, Maccor
``Md``/``State`` (``C``/``D``/``R``), LAND states, BioLogic ``mode`` … reach
:func:`step_types_and_indices` as the per-row ``label`` of a :class:`~._common.Series`. Only
rows the file leaves unnamed are typed from their current, per step where the file gives step
ids (Arbin ``Step_Index``, LAND ``StepNo``), per row otherwise.

**Rest floor.** A current is told from a rest by an *absolute* floor (:func:`rest_floor`), never
by a fraction of the largest current: a rest whose reading carries a few nA of offset is still a
rest when the test runs at 1 µA, and a 10 µA step is still a charge next to a 10 mA step. The
floor is the larger of

* **half a count of the current column's resolution**, where the file writes the current with
  fixed decimals (:func:`written_resolution`; for binary formats that store an integer count,
  :func:`decimal_quantum`). The print is the instrument's (or its export's) own statement of
  what it can tell apart from zero: a reading that prints as zero is zero, one that prints as
  one count or more is not. A column written with an exponent or a varying number of decimals
  has no count to go by, and this part of the floor is zero.
* **twice the |I| read during rests the file shows** (99th percentile): rows the instrument
  labels rest, and *obvious* rests — steps (or, without step ids, runs of at least three rows)
  whose readings all stay below 1 % of the file's largest current and either take both signs
  or read exactly zero at least half of the time. No current-controlled step changes sign or
  sits at zero, so such a step is an idle channel and its readings are offset and noise;
  twice their envelope leaves room for the noise the sample did not catch. (The 1 % gate only
  decides which steps may serve as a noise sample — a ±pulse train at full amplitude must not —
  the floor itself is the measured noise, in amperes.)

A step whose mean current is at or below the floor is a rest. A step above it that still carries
less than 1 % of the file's largest current is typed from its sign, and a note names the count
(it may be a rest with a constant offset the file does not label).

**Stitching a step time** (:func:`stitch_step_time`): where a file gives only the time within
each step, the test time adds each finished step's length — but only at the step changes where
the clock really restarts (it goes back, or the record timestamps show the step started from
zero). A column that is already cumulative is used as it is. The result is checked against the
record timestamps when the file has them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ssblab.io._text import describe_lines

#: Counts of the current column's last digit that still read as zero current (see the module).
REST_COUNTS = 0.5
#: The envelope (99th percentile of |I|) read during rests is multiplied by this for the floor.
REST_NOISE_FACTOR = 2.0
#: An obvious rest stays below this fraction of the largest current …
IDLE_FRACTION = 0.01
#: … and, without step ids, lasts at least this many rows.
IDLE_RUN = 3
#: Below this fraction of the largest current, a step typed charge/discharge gets a note.
SMALL_CURRENT_FRACTION = 1e-2
#: Decimals looked at by :func:`decimal_quantum` before a column counts as binary floats.
MAX_DECIMALS = 12

_REST_WORDS = {"r", "rest", "ocv", "pause", "relax", "relaxation", "open circuit", "wait", "ocp"}
_CHARGE_TOKENS = {"c", "ch", "chg", "charge", "ccc", "cvc", "cccvc"}
_DISCHARGE_TOKENS = {"d", "dc", "dchg", "dischg", "discharge", "ccd", "cvd", "cccvd"}


def label_kind(label: Any) -> str:
    """'charge', 'discharge', 'rest' or '' for an instrument's step or state label.

    Knows Neware (``CC Chg``, ``CCCV_DChg``, ``Rest``), Maccor (``C``/``D``/``R``), LAND
    (``C_CC``, ``D_CV``, ``R``) and plain words; anything else (``Pulse``, ``O``) is ''.
    """
    if label is None:
        return ""
    text = re.sub(r"[\s_\-/]+", " ", str(label).strip().lower()).strip()
    if not text:
        return ""
    if text in _REST_WORDS or text.startswith("rest"):
        return "rest"
    tokens = set(text.split())
    squashed = text.replace(" ", "")
    if tokens & _DISCHARGE_TOKENS or "dchg" in squashed or "discharg" in squashed:
        return "discharge"
    if tokens & _CHARGE_TOKENS or squashed.endswith("chg") or "charg" in squashed:
        return "charge"
    return ""


def label_kinds(values: Sequence[Any]) -> np.ndarray:
    """:func:`label_kind` of every cell (worked out once per distinct label)."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    kinds = np.asarray([*(label_kind(u) for u in uniques), ""], dtype=object)
    return kinds[codes]


# --------------------------------------------------------------------------------------------
# Resolution


def _decimal_places(values: np.ndarray, sample: int) -> tuple[int | None, float]:
    """(fewest decimals writing every non-zero value exactly, or None; the largest |value|)."""
    array = np.asarray(values)
    v = array.astype(float)
    keep = np.isfinite(v) & (v != 0)
    v, array = v[keep], array[keep]
    if v.size == 0:
        return None, 0.0
    if v.size > sample:
        pick = np.linspace(0, v.size - 1, sample).astype(int)
        v, array = v[pick], array[pick]
    largest = float(np.max(np.abs(v)))
    if array.dtype == np.float32:  # the decimals of the shortest text of each float32
        written = [np.format_float_positional(x, unique=True, trim="-") for x in array[:2000]]
        digits = max(len(text.partition(".")[2]) for text in written)
        return (digits if digits <= MAX_DECIMALS else None), largest
    for d in range(MAX_DECIMALS + 1):
        scaled = v * 10.0**d
        whole = np.rint(scaled)
        slack = 1e-9 + 16 * np.finfo(float).eps * np.abs(scaled)
        if np.all(np.abs(scaled - whole) <= slack) and np.all(whole != 0):
            return d, largest
        if largest * 10.0**d > 1e15:  # beyond float64's digits
            break
    return None, largest


def decimal_step(values: np.ndarray, sample: int = 20000) -> float | None:
    """``10**-d`` for the fewest decimals ``d`` that write every value exactly, or None for
    binary floats (values no short decimal writes) and a column of zeros."""
    places, _ = _decimal_places(values, sample)
    return None if places is None else 10.0**-places


def decimal_quantum(values: np.ndarray, sample: int = 20000) -> float:
    """The resolution of a column: ``10**-d`` for the fewest decimals ``d`` that write every
    value exactly (what a fixed-decimal export prints), 0 for a column of zeros. A float32
    column (binary formats) is read through the shortest text of each value.

    Values that need more than :data:`MAX_DECIMALS` decimals are binary floats (float32 in
    most binary formats): their resolution is that of a float32 at the largest value. Works on
    values scaled by a power of ten (mA → A shifts ``d`` by 3). Up to ``sample`` values, evenly
    spread, are looked at.
    """
    places, largest = _decimal_places(values, sample)
    if places is not None:
        return 10.0**-places
    return largest * 2.0**-23


_WRITTEN = re.compile(r"[+-]?(\d*)(?:[.,](\d*))?(?:[eE][+-]?\d+)?")


def written_resolution(cells: Sequence[Any]) -> dict[str, float]:
    """How a text column writes its numbers, from a sample of its cells (in its own unit):

    * fixed decimals (``0.50000``, ``-0.00012`` …, integers too): ``{"fixed": 10**-k}``, the
      count every value is a multiple of;
    * an exponent (``1.2345E-004``): ``{"relative": 10**-(s-1)}`` for ``s`` significant digits;
    * a varying number of decimals (``%g``, Python's ``repr``): ``{}`` — no count to go by.
    """
    decimals: set[int] = set()
    zeros: set[int] = set()  # decimals of zeros, which an exponent column may write plainly
    digits = 0
    exponent = False
    for text in cells:
        if not isinstance(text, str):
            continue
        token = text.strip().strip('"')
        found = _WRITTEN.fullmatch(token)
        if not token or found is None or not (found.group(1) or found.group(2)):
            continue
        mantissa = found.group(1) + (found.group(2) or "")
        if "e" in token.lower():
            exponent = True
            digits = max(digits, len(mantissa.lstrip("0")))
        else:
            (decimals if mantissa.strip("0") else zeros).add(len(found.group(2) or ""))
    if exponent:
        return {} if decimals else {"relative": 10.0 ** -(max(digits, 1) - 1)}
    decimals |= zeros
    if len(decimals) == 1:
        return {"fixed": 10.0 ** -decimals.pop()}
    return {}


# --------------------------------------------------------------------------------------------
# Step types


def segments(keys: np.ndarray) -> np.ndarray:
    """Segment number per row: +1 wherever ``keys`` changes (NaN equals NaN)."""
    k = np.asarray(keys, dtype=float)
    changed = (k[1:] != k[:-1]) & ~(np.isnan(k[1:]) & np.isnan(k[:-1]))
    return np.concatenate([[0], np.cumsum(changed)]).astype(int)


def _idle(current: np.ndarray, segment: np.ndarray | None, largest: float) -> np.ndarray:
    """Rows of obvious rests (see the module): steps — or, without step ids, runs of at least
    :data:`IDLE_RUN` rows — whose readings all stay below :data:`IDLE_FRACTION` of the largest
    current and either take both signs or read exactly zero at least half of the time."""
    small = np.abs(current) < IDLE_FRACTION * largest
    groups = segment if segment is not None else segments(small)
    if not current.size:
        return small
    size = int(groups.max()) + 1
    count = np.bincount(groups, minlength=size)
    all_small = np.bincount(groups, weights=small, minlength=size) == count
    positive = np.bincount(groups, weights=current > 0, minlength=size) > 0
    negative = np.bincount(groups, weights=current < 0, minlength=size) > 0
    zeros = np.bincount(groups, weights=current == 0, minlength=size) >= 0.5 * count
    idle = all_small & ((positive & negative) | zeros)
    if segment is None:
        idle &= count >= IDLE_RUN
    return idle[groups]


def rest_floor(
    current: np.ndarray,
    quantum: float,
    labels: np.ndarray | None = None,
    segment: np.ndarray | None = None,
) -> tuple[float, str]:
    """(floor in A, how it was set): see the module docstring. ``quantum`` is the count of a
    current column written with fixed decimals (0 for any other writing: an exponent, a
    varying number of decimals, binary floats — no count to go by); ``segment`` numbers the
    file's steps (None without step ids); ``labels`` are the file's per-row step types."""
    current = np.asarray(current, dtype=float)
    largest = float(np.max(np.abs(current))) if current.size else 0.0
    counts = REST_COUNTS * quantum
    rest_rows = np.zeros(current.size, dtype=bool)
    if labels is not None:
        rest_rows |= np.asarray(labels, dtype=object) == "rest"
    labelled = rest_rows.any()
    idle_rows = _idle(current, segment, largest)
    idle = bool(idle_rows.any())
    rest_rows |= idle_rows
    noise = float(np.percentile(np.abs(current[rest_rows]), 99)) if rest_rows.any() else 0.0
    if noise == 0 and counts == 0:
        return 0.0, (
            "the current is not written with fixed decimals and no rest reads a current: "
            "every non-zero reading is a current"
        )
    if REST_NOISE_FACTOR * noise <= counts:
        return counts, f"half a count of the current's resolution, {quantum:.3g} A"
    where = " and ".join(w for w, ok in (("labelled rests", labelled), ("idle steps", idle)) if ok)
    return REST_NOISE_FACTOR * noise, (
        f"{REST_NOISE_FACTOR:g}× the largest |I| read during {where}, {noise:.3g} A"
    )


def _types_from_current(
    current: np.ndarray, segment: np.ndarray, floor: float
) -> tuple[np.ndarray, np.ndarray]:
    """('charge'/'discharge'/'rest' per row, mean current per row) from each segment's mean."""
    counts = np.bincount(segment)
    mean = np.bincount(segment, weights=current) / np.maximum(counts, 1)
    kind = np.where(mean > floor, "charge", np.where(mean < -floor, "discharge", "rest"))
    return kind[segment].astype(object), mean[segment]


def step_types_and_indices(
    current: np.ndarray,
    step: np.ndarray | None,
    label: np.ndarray | None,
    quantum: float,
    lines: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(step_type, step_index, notes): the file's labels where given, else the current of each
    step (or row) against the absolute :func:`rest_floor`."""
    current = np.asarray(current, dtype=float)
    notes: list[str] = []
    step_ids = None
    if step is not None:
        ids = np.asarray(step, dtype=float)
        if np.isfinite(ids).any():
            step_ids = ids
    labels = None if label is None else np.asarray(label, dtype=object)
    given = (
        np.zeros(current.size, dtype=bool)
        if labels is None
        else np.isin(labels, ("charge", "discharge", "rest"))
    )
    types = np.where(given, labels, "").astype(object) if labels is not None else None
    if not given.all():
        groups = segments(step_ids) if step_ids is not None else None
        floor, how = rest_floor(current, quantum, labels, groups)
        rows = np.arange(current.size)
        if groups is None:  # no step ids: every row on its own
            groups = rows
        elif not np.isfinite(step_ids).all():  # rows without a step id: each on its own
            unknown = ~np.isfinite(step_ids)
            groups = segments(np.where(unknown, -1.0 - rows, groups))
        derived, mean = _types_from_current(current, groups, floor)
        types = derived if types is None else np.where(given, types, derived)
        unnamed = ~given
        per = "step's mean current" if step_ids is not None else "current"
        rule = (
            f"against an absolute rest floor of {floor:.3g} A ({how})"
            if floor > 0
            else f"and its sign (no rest floor: {how})"
        )
        if labels is None:
            notes.append(f"step types (charge/discharge/rest) derived from the {per} {rule}")
        else:
            notes.append(
                f"step type of {_rows(int(unnamed.sum()))} not named by the instrument; taken "
                f"from the {per} {rule}"
            )
        largest = float(np.max(np.abs(current))) if current.size else 0.0
        small = unnamed & (derived != "rest") & (np.abs(mean) < SMALL_CURRENT_FRACTION * largest)
        if small.any():
            where = describe_lines(np.asarray(lines)[small]) if lines is not None else ""
            notes.append(
                f"{_rows(int(small.sum()))} typed {'/'.join(sorted(set(derived[small])))} carry "
                f"less than {SMALL_CURRENT_FRACTION:.1%} of the largest current (|I| ≤ "
                f"{float(np.max(np.abs(mean[small]))):.3g} A{', ' + where if where else ''}); "
                "if they are rests with an offset, the file's own mode or step-type column "
                "would tell"
            )
    codes = pd.factorize(types, sort=True)[0].astype(float)  # np.unique's codes, by hashing
    keys = codes if step_ids is None else codes * 1e9 + np.nan_to_num(step_ids, nan=-1.0)
    return types.astype(str), segments(keys), notes


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


def fill_cycles(cycle: np.ndarray) -> np.ndarray | None:
    """The instrument's cycle numbers with gaps filled from the row before (or after)."""
    c = np.asarray(cycle, dtype=float)
    finite = np.isfinite(c)
    if not finite.any():
        return None
    index = np.where(finite, np.arange(c.size), 0)
    np.maximum.accumulate(index, out=index)
    filled = c[index]
    filled[: np.argmax(finite)] = c[np.argmax(finite)]
    return filled.astype(int)


def signed_from_labels(series: Any, column: str) -> list[str]:
    """Give an unsigned current the sign of its step labels (discharge → negative), in place."""
    if series.label is None or np.any(series.current_a < 0):
        return []
    discharge = np.asarray(series.label) == "discharge"
    if not discharge.any():
        return []
    series.current_a = np.where(discharge, -np.abs(series.current_a), series.current_a)
    count = _rows(int(discharge.sum()))
    return [f"current {column!r} is written unsigned; discharge rows ({count}) made negative"]


# --------------------------------------------------------------------------------------------
# Test time from a step time

#: Record timestamps are trusted to this many seconds (most cyclers write whole seconds) …
TIMESTAMP_SLACK_S = 2.0
#: … plus this fraction of the elapsed time (the PC clock against the channel's clock).
TIMESTAMP_DRIFT = 1e-3


def stitch_step_time(
    step_time_s: np.ndarray,
    step: np.ndarray,
    column: str,
    timestamps_s: np.ndarray | None = None,
) -> tuple[np.ndarray, list[str]]:
    """Test time from a step time, adding each finished step's length where the clock restarts.

    At a step change the clock *restarts* when it goes back (``t[k] < t[k-1]``); the new step
    then began when the previous one ended (Neware and LAND log a step's end and the next
    step's start with the same clock reading), so the finished step's last reading is added
    from there on. Where the clock does not go back the column is already cumulative there
    and nothing is added — unless the record timestamps show that the step started from zero
    (a step shorter than the next one's first reading). ``timestamps_s`` (seconds, NaN where
    unknown) are also the check: a note gives the largest difference between the test time and
    the timestamps when it exceeds :data:`TIMESTAMP_SLACK_S` + :data:`TIMESTAMP_DRIFT` × the
    elapsed time (a paused test, or a clock change, shows there).
    """
    t = np.asarray(step_time_s, dtype=float)
    ids = np.asarray(step, dtype=float)
    starts = np.flatnonzero(segments(ids)[1:] != segments(ids)[:-1]) + 1
    restart = t[starts] < t[starts - 1]
    stamps = None if timestamps_s is None else np.asarray(timestamps_s, dtype=float)
    settled = 0
    if stamps is not None and starts.size:
        gap = stamps[starts] - stamps[starts - 1]
        as_restart = np.abs(gap - t[starts])
        as_continued = np.abs(gap - (t[starts] - t[starts - 1]))
        clear = np.isfinite(gap) & (np.abs(as_restart - as_continued) > TIMESTAMP_SLACK_S)
        by_stamps = ~restart & clear & (as_restart < as_continued)
        settled = int(by_stamps.sum())
        restart |= by_stamps
    lengths = np.zeros(t.size)
    lengths[starts[restart]] = t[starts[restart] - 1]  # the finished step's last reading
    total = t + np.cumsum(lengths)  # sums in the order the steps finished
    notes = []
    count = int(restart.sum())
    if count:
        extra = f", {settled} of them shown by the record timestamps" if settled else ""
        kept = starts.size - count
        notes.append(
            f"time: {column!r} restarts at {count} of {starts.size} step changes{extra}; "
            "stitched into test time by adding the length of each finished step there"
            + (f" (cumulative across the other {kept})" if kept else "")
        )
    elif starts.size:
        notes.append(
            f"time: {column!r} does not restart at any of the {starts.size} step changes: it "
            "is already the test time and is used as it is"
        )
    if stamps is not None:
        notes += _check_against_stamps(total, stamps, column)
    return total, notes


def _check_against_stamps(total: np.ndarray, stamps: np.ndarray, column: str) -> list[str]:
    ok = np.isfinite(stamps) & np.isfinite(total)
    if ok.sum() < 2:
        return []
    first = int(np.argmax(ok))
    elapsed = total[ok] - total[first]
    off = elapsed - (stamps[ok] - stamps[first])
    allowed = TIMESTAMP_SLACK_S + TIMESTAMP_DRIFT * np.abs(elapsed)
    k = int(np.argmax(np.abs(off) - allowed))
    if abs(off[k]) <= allowed[k]:
        return []
    return [
        f"time: the test time from {column!r} and the record timestamps differ by up to "
        f"{off[k]:+.6g} s (record {int(np.flatnonzero(ok)[k]) + 1} of the table; a paused test "
        "or a clock change shows this way); the instrument's test time is kept"
    ]
