"""BioLogic EC-Lab galvanostatic data: text ``.mpt`` and binary ``.mpr`` (ssblab's own decoder).

The text layout is that of :mod:`ssblab.io.eis.biologic_mpt` (``EC-Lab ASCII FILE``,
``Nb header lines : N``, a ``key : value`` header, the technique's settings table, an
optional loop table, then tab-separated columns; cp1252; decimal commas with a German locale;
no final newline). GCPL/CP column sets (EC-Lab v10.33 files of m0l0t0ph/thesis, v11.50 files
of dgbowl/yadg): ``mode``, ``ox/red``, ``Ns``, ``time/s``, ``control/V/mA``, ``Ewe/V``,
``dq/mA.h``, ``<I>/mA`` (or ``I/mA``), ``(Q-Qo)/mA.h``, ``half cycle``, ``cycle number`` ….
A final row cut off mid-write (fewer fields, or a last value written unlike its column) is
dropped with a note naming its line (:func:`ssblab.io._text.cut_off_final_row`).

``.mpr`` files (datalab-org Li|Li GCPL, jdhuang-csm/hybrid-drt CP, the yadg twin) are decoded
by :mod:`ssblab.io._mpr`; ``mode``, ``ox/red`` and ``Ns changes`` are bits of its flags byte.
A GCPL ``.mpr`` stores no current column — EC-Lab computes ``<I>/mA`` on export as
``dq/Δt`` — so the current is derived the same way (it equals the text export's ``<I>/mA`` to
the last digit).

Conventions: EC-Lab's current is positive for oxidation at the working electrode, as in the
tidy table. Step types come from the file's own columns (:func:`biologic_steps`), the same in
both formats so that a ``.mpt``/``.mpr`` pair gives identical step types, steps and cycles:
``mode`` 3 is rest/OCV, whatever the few nA the instrument reads; in a galvanostatic step
(``mode`` 1) the sign of the set current (``control/V/mA``, ``control/mA``) decides, 0
meaning rest, else ``ox/red``; in a potentiostatic step (``mode`` 2) ``ox/red`` decides.
Steps: a new step at every change of ``Ns`` (else at every ``Ns changes`` flag) or loop.
Cycle: ``cycle number`` as written; else ``half cycle`` // 2 (EC-Lab's cycle = charge +
discharge, the same numbers); else the loop number; else derived from the step types. Without
``mode`` the step types are left to :func:`~ssblab.io.cycling._common.finish` (the current of
each step).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np

from ssblab.cycling.data import CyclingData
from ssblab.io._mpr import MPR_MAGIC, read_mpr
from ssblab.io._text import (
    FINAL_ROW_REFERENCE,
    TextBlock,
    cut_off_note,
    decode_text,
    format_error,
    head_lines,
    looks_like_decimal_comma,
    normalise_newlines,
    tail_lines,
    utf8_bytes,
)
from ssblab.io.cycling._common import (
    CyclingFormat,
    CyclingHead,
    Series,
    capacity_ah,
    finish,
    mass_kg,
    temperature_offset,
)
from ssblab.io.cycling._table import TextBody, column_numbers
from ssblab.io.eis.biologic_mpt import TITLE_LINES, final_row_cut, parse_header

_HEADER_COUNT = re.compile(r"Nb header lines\s*:\s*(\d+)")
VOLTAGE_COLUMNS = ("Ewe/V", "Ecell/V", "<Ewe>/V", "<Ecell>/V")
CURRENT_COLUMNS = ("<I>/mA", "I/mA")
CHARGE_COLUMNS = ("dq/mA.h", "dQ/mA.h")
CONTROL_COLUMNS = ("control/V/mA", "control/mA")
TEMPERATURE_COLUMNS = ("Temperature/°C", "Temperature/K")
_WANTED = (
    "time/s",
    *VOLTAGE_COLUMNS,
    *CURRENT_COLUMNS,
    *CHARGE_COLUMNS,
    "dQ/C",
    *CONTROL_COLUMNS,
    *TEMPERATURE_COLUMNS,
    "mode",
    "ox/red",
    "Ns",
    "Ns changes",
    "cycle number",
    "half cycle",
)
MODE_CC, MODE_CV, MODE_REST = 1, 2, 3
_LABELS = np.array(["", "charge", "discharge", "rest"], dtype=object)


def _first(columns: dict[str, np.ndarray], names: tuple[str, ...]) -> str | None:
    return next((n for n in names if n in columns), None)


def _current(columns: dict[str, np.ndarray], notes: list[str]) -> tuple[np.ndarray, str]:
    """Current in A: the current column, else derived from the charge increments."""
    name = _first(columns, CURRENT_COLUMNS)
    if name is not None:
        notes.append(f"current converted from mA to A (column {name!r})")
        return columns[name] * 1e-3, name
    charge = _first(columns, CHARGE_COLUMNS)
    if charge is not None:
        scale, what = 3600.0 * 1e-3, f"{charge!r} (mA·h)"
    elif "dQ/C" in columns:
        charge, scale, what = "dQ/C", 1.0, "'dQ/C' (C)"
    else:
        raise format_error(
            "", "no current column (<I>/mA, I/mA) and no charge increments (dq/mA.h, dQ/C)"
        )
    dq = columns[charge]
    dt = np.diff(columns["time/s"], prepend=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        current = np.where(dq == 0, 0.0, dq * scale / dt)
    notes.append(
        f"current derived as {what} / Δt (EC-Lab computes <I>/mA the same way on export; "
        "the file stores no current column)"
    )
    return current, f"{charge} / Δt"


def _labels(columns: dict[str, np.ndarray]) -> np.ndarray | None:
    """'charge'/'discharge'/'rest' per row from ``mode``, the set current and ``ox/red``;
    '' where they do not say (a mode other than 1–3, no set current and no ``ox/red``)."""
    if "mode" not in columns:
        return None
    mode = columns["mode"]
    ox = columns.get("ox/red")
    control_name = _first(columns, CONTROL_COLUMNS)
    codes = np.zeros(mode.size, dtype=np.int8)  # an index into _LABELS
    if ox is not None:
        codes[:] = np.where(ox > 0, 1, 2)
    galvano = mode == MODE_CC
    if control_name is not None:
        control = columns[control_name][galvano]
        by_sign = np.where(control > 0, 1, np.where(control < 0, 2, 3))
        codes[galvano] = np.where(np.isnan(control), codes[galvano], by_sign)
    codes[mode == MODE_REST] = 3
    codes[~np.isin(mode, (MODE_CC, MODE_CV, MODE_REST))] = 0
    return _LABELS[codes]


@dataclass
class BiologicSteps:
    """Step labels, step ids and cycle numbers from a BioLogic file's own columns."""

    label: np.ndarray | None = None
    step: np.ndarray | None = None
    cycle: np.ndarray | None = None
    used: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def biologic_steps(
    columns: dict[str, np.ndarray], loop_numbers: np.ndarray | None = None
) -> BiologicSteps:
    """What the columns ``mode``, ``ox/red``, the set current, ``Ns`` (or ``Ns changes``),
    ``cycle number``, ``half cycle`` and the loop table say about steps and cycles.

    The one rule for ``.mpt`` and ``.mpr`` alike (columns by their EC-Lab names).
    """
    out = BiologicSteps(label=_labels(columns))
    if out.label is not None:
        out.used["step_type"] = "mode, ox/red, set current"
        odd = int(np.sum(~np.isin(columns["mode"], (MODE_CC, MODE_CV, MODE_REST))))
        if odd:
            out.notes.append(
                f"'mode' is not 1, 2 or 3 (CC, CV, rest) on {odd} rows: their step type "
                "is taken from the current"
            )
    if "Ns" in columns:
        step = np.asarray(columns["Ns"], dtype=float)
        out.used["step"] = "Ns"
    elif "Ns changes" in columns:
        step = np.cumsum(np.asarray(columns["Ns changes"], dtype=float) > 0).astype(float)
        out.used["step"] = "Ns changes"
        out.notes.append("step index from the 'Ns changes' flags (no 'Ns' column)")
    else:
        step = None
    if step is not None and loop_numbers is not None:
        step = step + 1e4 * loop_numbers
    out.step = step
    if "cycle number" in columns:
        out.cycle = np.asarray(columns["cycle number"], dtype=float)
        out.used["cycle"] = "cycle number"
    elif "half cycle" in columns:
        out.cycle = np.floor(np.asarray(columns["half cycle"], dtype=float) / 2)
        out.used["cycle"] = "half cycle // 2"
        out.notes.append(
            "cycle index = 'half cycle' // 2 (EC-Lab counts a charge + discharge as one cycle)"
        )
    elif loop_numbers is not None:
        out.cycle = loop_numbers
        out.used["cycle"] = "loop"
        out.notes.append("cycle index = EC-Lab loop number (from the loop table)")
    return out


def numbers_from_loop_table(loops: list[tuple[int, int]] | None, count: int, notes: list[str]):
    """The loop number of each of ``count`` points from the header's loop table, or None.

    A table covering more points than the file holds (a file cut short, or copied while
    EC-Lab was still writing) still numbers the points present; one covering fewer, or with
    gaps, is not used.
    """
    if not loops:
        return None
    expected = 0
    for first, last in loops:
        if first != expected or last < first:
            notes.append("the loop table's point ranges do not follow each other: not used")
            return None
        expected = last + 1
    if expected < count:
        notes.append(
            f"header/data disagreement: the loop table covers {expected} points "
            f"but the file has {count}; loop numbers not used"
        )
        return None
    numbers = np.empty(count)
    for number, (first, last) in enumerate(loops):
        numbers[first : min(last, count - 1) + 1] = number
    if expected > count:
        notes.append(
            f"the loop table covers {expected} points but the file has {count} (cut short?): "
            f"loop numbers of the {count} points present used"
        )
    return numbers


def build(
    columns: dict[str, np.ndarray],
    lines: np.ndarray,
    loops: list[tuple[int, int]] | None,
    source: str,
    metadata: dict[str, Any],
    notes: list[str],
    what: str,
) -> CyclingData:
    if "time/s" not in columns:
        raise format_error(source, "no 'time/s' column: not a cycling/chronopotentiometry file")
    voltage_name = _first(columns, VOLTAGE_COLUMNS)
    if voltage_name is None:
        raise format_error(source, "no potential column (Ewe/V, Ecell/V)")
    try:
        current, current_name = _current(columns, notes)
    except Exception as exc:
        raise format_error(source, str(exc).split(": ", 1)[-1]) from None
    count = columns["time/s"].size
    loop_numbers = numbers_from_loop_table(loops, count, notes)
    steps = biologic_steps(columns, loop_numbers)
    notes += steps.notes
    series = Series(
        columns["time/s"],
        columns[voltage_name],
        current,
        lines,
        step=steps.step,
        label=steps.label,
        cycle=steps.cycle,
    )
    temperature = _first(columns, TEMPERATURE_COLUMNS)
    if temperature is not None:
        offset = temperature_offset(temperature.split("/", 1)[1]) or 0.0
        series.temperature_k = columns[temperature] + offset
    metadata["columns"] = {
        "time": "time/s",
        "voltage": voltage_name,
        "current": current_name,
        **steps.used,
        **({"temperature": temperature} if temperature else {}),
    }
    metadata["units"] = {"time": "s", "voltage": "V", "current": "mA"}
    return finish(source, series, metadata, notes, what=what)


# --------------------------------------------------------------------------------------------
# Text .mpt


def _mpt_metadata(header_lines: list[str], pairs: dict[str, str], settings: dict[str, str]):
    title = next((line.strip() for line in header_lines if line.strip()), "")
    meta: dict[str, Any] = {
        "format": "biologic_mpt",
        "manufacturer": "BioLogic",
        "technique": title,
        "header": pairs,
        "settings": settings,
    }
    for key, target in (
        ("Device", "instrument"),
        ("Run on channel", "channel"),
        ("Electrode material", "electrode_material"),
        ("Electrolyte", "electrolyte"),
        ("Comments", "comments"),
    ):
        if pairs.get(key):
            meta[target] = pairs[key]
    if pairs.get("Acquisition started on"):
        # the PC's locale decides the day/month order: kept as written
        meta["start_time"] = pairs["Acquisition started on"]
    for line in header_lines:
        if "(software)" in line:
            meta["software"] = line.replace("(software)", "").strip()
            break
    # 0.001 mg, 0.001 g and 0 A·h are EC-Lab's placeholders when nothing was entered
    mass = mass_kg(pairs.get("Mass of active material", "").replace(",", "."))
    if mass is not None and mass > 1.0001e-9:
        meta["active_mass_kg"] = mass
    capacity = capacity_ah(pairs.get("Battery capacity", "").replace(",", "."))
    if capacity is not None:
        meta["nominal_capacity_Ah"] = capacity
    return meta


def parse_mpt(data: bytes, source: str) -> CyclingData:
    decoded = decode_text(data)
    text = normalise_newlines(decoded.text.lstrip("\ufeff"))
    same = utf8_bytes(data, decoded)
    first, _ = head_lines(text, 2)
    if first[0].strip() not in TITLE_LINES:
        raise format_error(source, "does not start with 'EC-Lab ASCII FILE'", 1)
    count = _HEADER_COUNT.match(first[1].strip()) if len(first) > 1 else None
    if count is None:
        raise format_error(source, "expected 'Nb header lines : N'", 2)
    n_header = int(count.group(1))
    total = text.count("\n") + 1
    if not 3 <= n_header <= total:
        raise format_error(
            source, f"'Nb header lines : {n_header}' but the file has {total} lines", 2
        )
    lines, body_at = head_lines(text, n_header)
    header_lines = lines[2 : n_header - 1]
    pairs, settings, loops = parse_header(header_lines)
    metadata = _mpt_metadata(header_lines, pairs, settings)
    names = [n.strip() for n in lines[n_header - 1].split("\t")]
    if "freq/Hz" in names:
        raise format_error(
            source, "an impedance file (freq/Hz column): read it with ssblab.io.eis.read_eis"
        )
    wanted = {name: i for i, name in enumerate(names) if name in _WANTED}
    if "time/s" not in wanted:
        raise format_error(
            source,
            f"technique {metadata['technique']!r} has no 'time/s' column: not a cycling file",
            n_header,
        )
    end = len(text.rstrip())  # blank lines at the end are left out
    if end <= body_at:
        raise format_error(source, "no data rows after the column names", n_header)
    cut = text.find("\n", end)
    notes = list(decoded.notes)
    tail = tail_lines(text, FINAL_ROW_REFERENCE + 1, body_at, len(text) if cut < 0 else cut)
    named = sum(1 for name in names if name)
    reason = final_row_cut(tail, named, ends_with_newline=cut >= 0)
    if reason is not None:
        last_start = text.rfind("\n", body_at, end) + 1
        notes.append(cut_off_note(n_header + 1 + text.count("\n", body_at, last_start), reason))
        end = len(text[:last_start].rstrip())
        if end <= body_at:
            raise format_error(source, "no data rows after the column names", n_header)
        cut = text.find("\n", end)
    rows = TextBody(
        TextBlock(text, body_at, None if cut < 0 else cut, same),
        n_header + 1,
        "\t",
        csv_quotes=False,
        skip_blank=False,
    )
    sample = [fields[i] for fields in rows.sample(50) for i in wanted.values() if i < len(fields)]
    decimal_comma = looks_like_decimal_comma(sample)
    if decimal_comma:
        notes.append("decimal commas read as decimal points")
    rows.prepare(dict.fromkeys(wanted.values(), "number"), decimal_comma)
    short = rows.short_row(max(wanted.values()) + 1)
    columns: dict[str, np.ndarray] = {}
    first_bad: tuple[int, int, str] | None = None  # (row, column, cell) met first
    for name, i in wanted.items():
        columns[name], bad, cells = column_numbers(rows, i, decimal_comma)
        if bad.size and (first_bad is None or bad[0] < first_bad[0]):
            first_bad = (int(bad[0]), i, cells[0])
    if short is not None and (first_bad is None or short[0] <= first_bad[0]):
        raise format_error(
            source, f"truncated row: {short[1]} of {len(names)} fields", int(rows.lines[short[0]])
        )
    if first_bad is not None:
        k, i, value = first_bad
        raise format_error(
            source, f"{names[i]!r} value {value[:40]!r} is not a number", int(rows.lines[k])
        )
    metadata["all_columns"] = [n for n in names if n]
    return build(columns, rows.lines, loops or None, source, metadata, notes, "line")


def _sniff_mpt(head: CyclingHead) -> bool:
    if head.first_line not in TITLE_LINES or len(head.lines) < 2:
        return False
    count = _HEADER_COUNT.match(head.lines[1].strip())
    if count is None or not 3 <= int(count.group(1)) <= len(head.lines):
        return False
    names = [n.strip() for n in head.lines[int(count.group(1)) - 1].split("\t")]
    return "time/s" in names and "freq/Hz" not in names


MPT = CyclingFormat(
    name="biologic_mpt",
    title="BioLogic EC-Lab text export (.mpt) of a cycling/CP technique",
    extensions=(".mpt", ".txt"),
    sniff=_sniff_mpt,
    parse=parse_mpt,
)

# --------------------------------------------------------------------------------------------
# Binary .mpr


def parse_mpr(data: bytes, source: str) -> CyclingData:
    mpr = read_mpr(data, source)
    names = list(mpr.columns)
    if "freq/Hz" in names:
        raise format_error(
            source, "an impedance file (freq/Hz column): read it with ssblab.io.eis.read_eis"
        )
    columns = {n: np.asarray(mpr.columns[n], dtype=float) for n in names if n in _WANTED}
    metadata: dict[str, Any] = {
        "format": "biologic_mpr",
        "manufacturer": "BioLogic",
        **mpr.metadata(),
        "all_columns": names,
    }
    if mpr.start_time is not None:
        metadata["start_time"] = mpr.start_time.isoformat()
    loops = None
    starts = mpr.loop_starts
    if starts and len(starts) >= 2:
        loops = [(a, b - 1) for a, b in pairwise(starts) if b > a]
    point_numbers = np.arange(1, len(mpr) + 1)
    return build(columns, point_numbers, loops, source, metadata, list(mpr.notes), "record")


def _sniff_mpr(head: CyclingHead) -> bool:
    return head.data.startswith(MPR_MAGIC)


MPR = CyclingFormat(
    name="biologic_mpr",
    title="BioLogic EC-Lab binary .mpr",
    extensions=(".mpr",),
    sniff=_sniff_mpr,
    parse=parse_mpr,
)
