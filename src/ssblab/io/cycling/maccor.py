"""Maccor text exports: the tab-separated ``Rec``/``Md`` layout and the ``Rec#``/``State`` one.

**``Rec``/``Md`` layout** (the ``maccor_002.txt`` SIMBA file of jepegit/cellpy)::

    Name:<TAB>CW-SIMBA-FC-CT-NAPF6-015.053      <- key/value header lines
    Channel:<TAB>53
    Tester<TAB>Maccor #4
    Procedure<TAB>CW_MZ_SIMBA_CT.000
    Description<TAB>SIMBA-Capacity_test   ^D   ^C ÿÿÿÿÿÿ   <- stray control bytes
    Started<TAB>5/11/2021 3:40:24 PM
    SCap<TAB>0.017                              <- nominal capacity, A·h
    …
    <blank>
    Rec<TAB>Cycle P<TAB>Cycle C<TAB>Step<TAB>TestTime<TAB>StepTime<TAB>Cap. [Ah]<TAB>Ener. [Wh]
        <TAB>Current [A]<TAB>Voltage [V]<TAB>Md<TAB>ES<TAB>DPT Time<TAB>VAR1 …
    <blank>
    1<TAB>0<TAB>1<TAB>1<TAB>0.000000<TAB>…<TAB>R<TAB>0<TAB>5/11/2021 3:40:24 PM<TAB>…

``TestTime`` carries no unit: depending on the export settings it is in seconds, minutes or
hours; the unit is the one that makes its span match the span of the absolute ``DPT Time``
column (minutes in the SIMBA file: 3809.8 ↔ 63.5 h). ``Cycle C`` is the cycle count (1-based).

**``Rec#`` layout** (the MIMS/MacTest export of TRI-AMDD/beep's ``PreDiag_000229`` file and
cellpy's ``maccor_three`` example): one or more preamble lines of ``Today's Date``, ``Date of
Test:``, ``Filename:``, ``Procedure:``, ``Comment/Barcode:`` (the fields run on one line,
separated by tabs or spaces), then ``Rec#  Cyc#  Step  Test (Sec)  Step (Sec)  Amp-hr  Watt-hr
Amps  Volts  State  ES  DPt Time`` and optional ``ACImp/Ohms``, ``DCIR/Ohms``, ``WF Chg Cap`` …
``VAR1``…; some exports write ``mAmps``/``mAmp-hr``/``mVolts`` and ``TestTime``/``StepTime`` as
``0d 00:01:00.00``. ``Amps`` is signed (discharge < 0) in the BEEP file; ``Amp-hr`` restarts at
every step. ``Amps``, ``Volts``, ``Amp-hr`` are A, V, A·h; the milli-unit names are given their
unit before the table is read (``mAmps`` → ``mAmps (mA)``); metadata keeps the names as written.

**Impedance rows.** A Maccor procedure may hold FRA (EIS) and AC-impedance (``ACImp``, a 1 kHz
reading) steps; their records are written into the same export. In the FRA test file of
TRI-AMDD/beep (``maccor_test_file_4267-66-6519.041``, procedure ``EIS 1.000FRA default``) the 61
records of the FRA step have ``State`` ``FRA``, repeat the step's record number and test time
(``Rec#`` 12, ``0d 00:00:10``, step time 0) while ``DPt Time`` runs on; the spectrum itself is
in a separate ``.EDA`` file. These records are not cycling points: rows whose ``State`` names an
impedance step (``FRA``, ``EIS``, ``ACI``/``ACIMP``) and rows outside charge and discharge that
carry an impedance reading (a non-zero ``ACImp/Ohms``, or a frequency/``Z`` column) are left out
of the table, counted in a note, and kept in ``metadata["impedance_rows"]``. Other states
(``O``, ``S``, ``P`` in the BEEP files, at zero current) are typed from their current.

In both layouts the control bytes (0x00–0x1F except tab/CR/LF, 0x7F, 0xFF) are removed before
decoding and counted in the notes; the current is made signed from ``Md``/``State`` (C = charge,
D = discharge, R = rest) when the file writes it unsigned.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from ssblab.cycling.data import CyclingData
from ssblab.io._text import decode_text, describe_lines, format_error, parse_numbers, utf8_bytes
from ssblab.io.cycling._common import (
    CyclingFormat,
    CyclingHead,
    Series,
    finish,
    parse_timestamp,
    signed_from_labels,
    time_unit_word,
)
from ssblab.io.cycling._table import TextTable, find_text_table, read_text_table, split_rows

DEFAULT_UNITS = {"time": "s", "step_time": "s", "voltage": "V", "current": "A", "capacity": "Ah"}
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\xff]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xFF])
_CANDIDATE_TIME_UNITS = (1.0, 60.0, 3600.0)


def strip_control_bytes(data: bytes) -> tuple[bytes, list[str]]:
    """Remove control and 0xFF padding bytes; a note says how many and on which lines."""
    cleaned = data.translate(None, _CONTROL_BYTES)
    if len(cleaned) == len(data):
        return data, []
    found = [m.start() for m in _CONTROL.finditer(data)]
    kinds = sorted({f"0x{data[at]:02X}" for at in found})
    line, position, lines = 1, 0, set()
    for at in found:
        line += data.count(b"\n", position, at)
        position = at
        lines.add(line)
    line_numbers = sorted(lines)
    where = ", ".join(str(n) for n in line_numbers[:5]) + (" …" if len(line_numbers) > 5 else "")
    note = (
        f"{len(found)} control/padding bytes ({', '.join(kinds)}) stripped "
        f"(line{'s' if len(line_numbers) > 1 else ''} {where})"
    )
    return cleaned, [note]


def _header(lines: list[str]) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for line in lines:
        if "\t" not in line:
            continue
        key, _, value = line.partition("\t")
        key = key.strip().rstrip(":").strip()
        if key and key not in pairs:
            pairs[key] = " ".join(value.replace("\t", " ").split())
    return pairs


def _metadata(pairs: dict[str, str]) -> dict[str, Any]:
    meta: dict[str, Any] = {"format": "maccor_txt", "manufacturer": "Maccor", "header": pairs}
    for key, target in (
        ("Name", "test_name"),
        ("Channel", "channel"),
        ("Tester", "instrument"),
        ("Procedure", "procedure"),
        ("Description", "description"),
    ):
        if pairs.get(key):
            meta[target] = pairs[key]
    started = pairs.get("Started")
    if started:
        stamp = parse_timestamp(started, ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S"))
        meta["start_time"] = stamp.isoformat() if stamp else started
    try:
        capacity = float(pairs.get("SCap", ""))
    except ValueError:
        capacity = 0.0
    if capacity > 0:
        meta["nominal_capacity_Ah"] = capacity
    return meta


def _time_unit(time: np.ndarray, absolute: np.ndarray | None, source: str) -> tuple[float, str]:
    """Seconds per unit of a unitless TestTime, from the span of the DPT Time column."""
    if absolute is None or not np.isfinite(absolute).any():
        raise format_error(
            source,
            "TestTime has no unit and there is no DPT Time column to infer it from; export "
            "with units (e.g. 'Test Time (sec)')",
        )
    ok = np.isfinite(time) & np.isfinite(absolute)
    span, real = float(np.ptp(time[ok])), float(np.ptp(absolute[ok]))
    if span <= 0 or real <= 0:
        return 1.0, "TestTime has no unit; read as seconds (the test is too short to tell)"
    ratio = real / span
    scale = min(_CANDIDATE_TIME_UNITS, key=lambda s: abs(np.log(ratio / s)))
    tolerance = max(0.02, 2.0 / real)  # DPT Time has a 1 s resolution
    if abs(ratio / scale - 1) > tolerance:
        raise format_error(
            source,
            f"TestTime has no unit and its span ({span:g}) matches neither seconds, minutes "
            f"nor hours of the DPT Time span ({real:g} s)",
        )
    word = time_unit_word(scale)
    return scale, (
        f"TestTime has no unit; read as {word} because its span ({span:.6g}) matches the "
        f"DPT Time span ({real / 3600:.4g} h)"
        + (f"; converted from {word} to s" if scale != 1.0 else "")
    )


#: ``Rec#`` layout names (normalised, as :func:`~._columns.normalise_name` writes them) → role.
_OVERRIDES = {
    "cyc": "cycle",
    "test": "time",  # ``Test (Sec)``: the unit stays in the name
    "stepsec": "step_time",
    "stepmin": "step_time",
    "amphr": "capacity",
    "mamphr": "capacity",
    "amps": "current",
    "mamps": "current",
    "volts": "voltage",
    "mvolts": "voltage",
    "frequency": "impedance",  # FRA records, not a table of Z
    "freq": "impedance",
}
#: Milli-unit names get their unit written after them (``mAmps`` → ``mAmps (mA)``).
_MILLI = {"mamps": "mA", "mamp-hr": "mAh", "mvolts": "mV", "mwatt-hr": "mWh"}
#: Names of columns that hold an impedance reading, and State codes of impedance steps.
_IMPEDANCE_COLUMNS = ("acimp/ohms", "acimp (ohms)", "acimp", "z real", "z imag", "frequency")
_IMPEDANCE_STATES = {"FRA", "EIS", "ACI", "ACIMP"}
_PREAMBLE_KEYS = (
    "Today's Date",
    "Date of Test",
    "Filename",
    "Procedure",
    "Comment/Barcode",
    "Tester Channel",
    "Description",
)
_PREAMBLE = re.compile(
    r"(" + "|".join(re.escape(k) for k in _PREAMBLE_KEYS) + r")\s*:?\s*", re.IGNORECASE
)


def _is_rec_layout(header: list[str]) -> bool:
    names = {c.strip().lower() for c in header}
    return "rec#" in names and ("state" in names or "dpt time" in names)


def _rec_header(table: TextTable) -> tuple[TextTable, dict[str, str]]:
    """The table with its milli-unit names given their unit; new name → name as written."""
    header = table.rows[table.header_at]
    renamed = [
        f"{c} ({_MILLI[c.strip().lower()]})" if c.strip().lower() in _MILLI else c for c in header
    ]
    written = {new: old for new, old in zip(renamed, header, strict=True) if new != old}
    rows = [*table.rows[: table.header_at], renamed]
    return replace(table, rows=rows), written


def _preamble(lines: list[str]) -> dict[str, str]:
    """``Today's Date … Date of Test: … Filename: …`` fields (one line or several)."""
    text = " ".join(" ".join(line.split("\t")) for line in lines)
    found = list(_PREAMBLE.finditer(text))
    pairs: dict[str, str] = {}
    for k, match in enumerate(found):
        end = found[k + 1].start() if k + 1 < len(found) else len(text)
        key = next(key for key in _PREAMBLE_KEYS if key.lower() == match.group(1).lower())
        value = " ".join(text[match.end() : end].split())
        if value:
            pairs.setdefault(key, value)
    return pairs


def _rec_metadata(pairs: dict[str, str]) -> dict[str, Any]:
    meta: dict[str, Any] = {"format": "maccor_txt", "manufacturer": "Maccor", "header": pairs}
    for key, target in (
        ("Filename", "file_name"),
        ("Procedure", "procedure"),
        ("Comment/Barcode", "barcode"),
        ("Description", "description"),
        ("Tester Channel", "channel"),
    ):
        if pairs.get(key):
            meta[target] = pairs[key]
    started = pairs.get("Date of Test")
    if started:
        stamp = parse_timestamp(
            started,
            ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y", "%d %B %Y, %I:%M:%S %p"),
        )
        meta["start_time"] = stamp.isoformat() if stamp else started
    return meta


def _impedance_rows(
    series: Series, cells: dict[str, np.ndarray], state: str | None
) -> tuple[np.ndarray, dict[str, Any]]:
    """(mask of impedance rows, their readings for metadata)."""
    rows = np.zeros(len(series), dtype=bool)
    readings: dict[str, np.ndarray] = {}
    if state is not None:  # each distinct State looked at once
        codes, uniques = pd.factorize(np.asarray(cells[state], dtype=object))
        impedance = [str(u).strip().upper() in _IMPEDANCE_STATES for u in uniques]
        rows |= np.asarray([*impedance, False])[codes]
    working = np.zeros(len(series), dtype=bool)
    if series.label is not None:
        working = np.isin(np.asarray(series.label, dtype=object), ("charge", "discharge"))
    for name, values in cells.items():
        if name == state:
            continue
        numbers, _ = parse_numbers(values)
        readings[name] = numbers
        rows |= (np.nan_to_num(numbers) != 0) & ~working
    if not rows.any():
        return rows, {}
    kept = np.flatnonzero(rows)[:10000]
    lines = np.asarray(series.lines)
    info: dict[str, Any] = {
        "count": int(rows.sum()),
        "lines": describe_lines(lines[rows]),
        "rows": [
            {
                "line": int(lines[k]),
                "time_s": float(series.time_s[k]),
                **({"state": str(cells[state][k]).strip()} if state else {}),
                **{
                    name: float(values[k])
                    for name, values in readings.items()
                    if np.isfinite(values[k])
                },
            }
            for k in kept.tolist()
        ],
    }
    return rows, info


def parse_maccor(data: bytes, source: str) -> CyclingData:
    if not data or data.isspace():
        raise format_error(source, "the file is empty")
    cleaned, notes = strip_control_bytes(data)
    decoded = decode_text(cleaned)
    notes += decoded.notes
    text = decoded.text.lstrip("\ufeff")
    table = find_text_table(text, source, _OVERRIDES, data=utf8_bytes(cleaned, decoded))
    if table is None:
        raise format_error(source, "no Maccor column header (Rec, TestTime, Current, Voltage …)")
    header = [c.strip() for c in table.rows[table.header_at]]
    rec = _is_rec_layout(header)
    written: dict[str, str] = {}
    if rec:
        table, written = _rec_header(table)
    impedance = [c for c in header if c.lower() in _IMPEDANCE_COLUMNS]
    state = next((c for c in header if c.lower() in ("state", "md")), None)
    raw = [*impedance, *([state] if state else [])]
    result = read_text_table(
        table,
        source,
        defaults=DEFAULT_UNITS,
        overrides=_OVERRIDES,
        raw=[table.rows[table.header_at][header.index(c)] for c in raw],
    )
    series, metadata = result.series, result.metadata
    cells = {name: result.raw[table.rows[table.header_at][header.index(name)]] for name in raw}
    drop, info = _impedance_rows(series, cells, state)
    if drop.any():
        where = f" ({info['lines']})" if info["lines"] else ""
        notes.append(
            f"dropped {info['count']} impedance row{'s' if info['count'] > 1 else ''}{where}: "
            "records of AC-impedance/FRA steps (an impedance State or reading), not cycling "
            "points; their readings are in metadata['impedance_rows']"
        )
        series = series.take(~drop)
        if len(series) == 0:
            raise format_error(source, "the export holds only impedance rows, no cycling data")
    if "convention" in metadata["units"].get("time", ""):
        scale, note = _time_unit(series.time_s, series.extra.get("datetime_s"), source)
        series.time_s = series.time_s * scale
        metadata["units"]["time"] = f"{time_unit_word(scale)} (inferred from DPT Time)"
        notes.append(note)
    if written:
        metadata["columns"] = {r: written.get(c, c) for r, c in metadata["columns"].items()}
    column = metadata["columns"].get("current", "current")
    notes += signed_from_labels(series, column)
    head = table.head[: table.header_at]
    meta = _rec_metadata(_preamble(head)) if rec else _metadata(_header(head))
    meta["layout"] = "Rec#/State" if rec else "Rec/Md"
    meta.update(metadata)
    if info:
        meta["impedance_rows"] = info
    return finish(source, series, meta, [*notes, *result.notes])


def _sniff(head: CyclingHead) -> bool:
    if head.data.startswith(b"PK"):
        return False
    for row in split_rows(head.lines, "\t"):
        names = {c.strip().lower() for c in row}
        if len(row) <= 5 or not names & {"rec", "rec#"}:
            continue
        if names & {"md", "state", "dpt time"}:
            return True
    first = head.first_line
    return first.startswith("Today's Date") and ("Rec#" in head.text or "Maccor" in head.text)


TXT = CyclingFormat(
    name="maccor_txt",
    title="Maccor tab-separated text export (Rec/Md and Rec#/State layouts)",
    extensions=(".txt", ".csv"),
    sniff=_sniff,
    parse=parse_maccor,
)
