"""Battery Data Format (BDF) export of a workspace, and BDF files read back on ingest.

Cycling measurements are written with the BDF column labels ("Quantity / unit"):

==============================  ===============================================================
``Test Time / s``               time since the start of the test
``Voltage / V``                 cell voltage
``Current / A``                 current, positive = charge (anodic at the working electrode)
``Cycle Count / 1``             the tidy table's ``cycle_index``
``Step Count / 1``              the tidy table's ``step_index`` (+1 at every change of step)
``Step Type``                   charge / discharge / rest (plate / strip for Li | Li cells)
``Cumulative Capacity / Ah``    signed ∫ I dt since the start of the test
``Temperature T1 / degC``       cell temperature where recorded
``Unix Time / s``               when the file states its start time (ISO 8601)
==============================  ===============================================================

Impedance measurements use BDF's impedance labels ``Frequency / Hz``, ``Real Impedance / ohm``
and ``Imaginary Impedance / ohm`` (physical sign: capacitive < 0) in a table of one row per
frequency point, with ``Spectrum Index / 1`` for files holding several spectra; that table
layout is an **ssblab extension** — BDF defines the labels, not an EIS file.

Every file also carries ``Cell ID`` and ``Test ID`` columns (an ssblab extension: BDF has no
link from a file to its cell, BDF issue #92): the cell's name (else the sample's, else
``unassigned``) and ``m<measurement id>-<raw file stem>``. Files are named
``<Test ID>.bdf.csv`` (or ``.bdf.parquet``). On ingest, a file named ``*.bdf.csv`` /
``*.bdf.parquet`` or whose header row has ``Test Time / s`` or ``Frequency / Hz`` is read
here; its ``Cell ID`` links the measurement to that cell.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ssblab.errors import FileFormatError, SsblabInputError

if TYPE_CHECKING:
    import pandas as pd

    from ssblab.workspace.readers import ParsedFile
    from ssblab.workspace.store import Workspace

CYCLING = {
    "time_s": "Test Time / s",
    "voltage_V": "Voltage / V",
    "current_A": "Current / A",
    "cycle_index": "Cycle Count / 1",
    "step_index": "Step Count / 1",
    "step_type": "Step Type",
    "cumulative_capacity_Ah": "Cumulative Capacity / Ah",
}
TEMPERATURE = "Temperature T1 / degC"
UNIX_TIME = "Unix Time / s"
EIS = {
    "spectrum": "Spectrum Index / 1",
    "frequency_Hz": "Frequency / Hz",
    "z_real_ohm": "Real Impedance / ohm",
    "z_imag_ohm": "Imaginary Impedance / ohm",
}
CELL_ID, TEST_ID = "Cell ID", "Test ID"
FORMATS = ("csv", "parquet")


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_") or "x"


def _unix_start(metadata: dict) -> float | None:
    from datetime import datetime

    start = metadata.get("start_time")
    if not isinstance(start, str):
        return None
    try:
        return datetime.fromisoformat(start).timestamp()
    except ValueError:
        return None


def cycling_frame(table: pd.DataFrame, cell: str, test: str, metadata: dict) -> pd.DataFrame:
    frame = table[list(CYCLING)].rename(columns=CYCLING)
    frame[TEMPERATURE] = table["temperature_K"].to_numpy(dtype=float) - 273.15
    start = _unix_start(metadata)
    if start is not None:
        frame.insert(1, UNIX_TIME, start + table["time_s"].to_numpy(dtype=float))
    frame[CELL_ID], frame[TEST_ID] = cell, test
    return frame


def eis_frame(arrays: pd.DataFrame, cell: str, test: str) -> pd.DataFrame:
    frame = arrays[list(EIS)].rename(columns=EIS)
    frame[CELL_ID], frame[TEST_ID] = cell, test
    return frame


def _write(frame: pd.DataFrame, path: Path, fmt: str) -> None:
    import os

    temp = path.with_name(f".{path.name}.tmp")
    if fmt == "csv":
        frame.to_csv(temp, index=False, float_format="%.17g")
    else:
        frame.to_parquet(temp, index=False, engine="pyarrow")
    os.replace(temp, path)


def export_bdf(workspace: Workspace, out_dir: Path, fmt: str = "csv") -> list[Path]:
    """Write every stored measurement as BDF under ``out_dir``; the files written."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from ssblab.workspace.arrays import read_frame
    from ssblab.workspace.schema import Cell, Measurement

    if fmt not in FORMATS:
        raise SsblabInputError(f"BDF format {fmt!r}: use {' or '.join(FORMATS)}")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SsblabInputError(f"--bdf {out_dir}: cannot create: {exc.strerror}") from None
    written: list[Path] = []
    with workspace.sessions() as session:
        rows = session.scalars(
            select(Measurement)
            .where(Measurement.status == "ok")
            .options(
                selectinload(Measurement.cell).selectinload(Cell.sample),
                selectinload(Measurement.sample),
            )
            .order_by(Measurement.id)
        ).all()
    for m in rows:
        arrays = read_frame(workspace.path, m.array_path)
        cell = m.cell.name if m.cell else (m.sample.name if m.sample else "unassigned")
        test = f"m{m.id}-{_safe(Path(m.path).name.split('.')[0])}"
        if m.kind == "cycling":
            frame = cycling_frame(arrays, cell, test, m.instrument_metadata or {})
        else:
            frame = eis_frame(arrays, cell, test)
        path = out_dir / f"{test}.bdf.{fmt}"
        _write(frame, path, fmt)
        written.append(path)
    return written


# --------------------------------------------------------------------------- reading back


def looks_like_bdf(data: bytes, name: str) -> bool:
    lowered = name.lower()
    if lowered.endswith((".bdf.csv", ".bdf.parquet", ".bdf")):
        return True
    if data[:4] == b"PAR1":
        return False
    first = data[:4096].split(b"\n", 1)[0].decode("utf-8", "replace")
    return "Test Time / s" in first or "Frequency / Hz" in first


def _table(data: bytes, name: str) -> pd.DataFrame:
    import pandas as pd

    try:
        if data[:4] == b"PAR1":
            return pd.read_parquet(io.BytesIO(data), engine="pyarrow")
        return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise FileFormatError(f"{name}: not a readable BDF table: {exc}") from None


def _column(frame: pd.DataFrame, label: str):
    wanted = label.casefold()
    for column in frame.columns:
        if str(column).strip().casefold() == wanted:
            return frame[column]
    return None


def parse_bdf(data: bytes, name: str) -> ParsedFile:
    """A BDF cycling table (or ssblab's BDF impedance table) as a :class:`ParsedFile`."""
    import pandas as pd

    from ssblab.cycling.data import CyclingData, tidy_table
    from ssblab.impedance.spectrum import Spectrum
    from ssblab.workspace.readers import from_cycling, from_spectra

    frame = _table(data, name)
    if frame.empty:
        raise FileFormatError(f"{name}: BDF file without data rows")
    cell = _column(frame, CELL_ID)
    cell_id = None if cell is None or cell.isna().all() else str(cell.dropna().iloc[0])
    frequency = _column(frame, EIS["frequency_Hz"])
    if frequency is not None:
        real, imag = _column(frame, EIS["z_real_ohm"]), _column(frame, EIS["z_imag_ohm"])
        if real is None or imag is None:
            raise FileFormatError(f"{name}: BDF impedance table needs {EIS['z_real_ohm']} and "
                                  f"{EIS['z_imag_ohm']}")  # fmt: skip
        index = _column(frame, EIS["spectrum"])
        index = pd.Series(0, index=frame.index) if index is None else index.astype(int)
        z = real.to_numpy(float) + 1j * imag.to_numpy(float)
        spectra = [
            Spectrum(frequency.to_numpy(float)[mask], z[mask], source=name, index=int(k))
            for k in sorted(index.unique())
            for mask in [(index == k).to_numpy()]
        ]
        parsed = from_spectra(spectra, "bdf")
    else:
        needed = {key: _column(frame, CYCLING[key]) for key in ("time_s", "voltage_V", "current_A")}
        missing = [CYCLING[key] for key, column in needed.items() if column is None]
        if missing:
            raise FileFormatError(f"{name}: BDF file without {', '.join(missing)}")
        optional = {key: _column(frame, CYCLING[key]) for key in ("step_index", "cycle_index")}
        if optional["step_index"] is None:
            optional["step_index"] = _column(frame, "Step Index / 1")
        step_type = _column(frame, CYCLING["step_type"])
        celsius = _column(frame, TEMPERATURE)
        table = tidy_table(
            needed["time_s"].to_numpy(float),
            needed["voltage_V"].to_numpy(float),
            needed["current_A"].to_numpy(float),
            step_index=None if optional["step_index"] is None else optional["step_index"],
            step_type=None if step_type is None else step_type.astype(str).to_numpy(),
            cycle_index=None if optional["cycle_index"] is None else optional["cycle_index"],
            temperature_k=None if celsius is None else celsius.to_numpy(float) + 273.15,
        )
        parsed = from_cycling(CyclingData(table=table, source=name, metadata={}), "bdf")
    return replace(parsed, cell_id=cell_id)
