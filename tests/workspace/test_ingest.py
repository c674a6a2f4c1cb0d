"""Ingest: idempotent by SHA-256, unreadable files stored as failed, samples.csv links, arrays
stored as the readers returned them — on SQLite and PostgreSQL."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ssblab.cycling.synthetic_fullcell import fullcell_trace
from ssblab.cycling.synthetic_symmetric import symmetric_trace
from ssblab.io.cycling import read_cycling
from ssblab.io.eis import read_eis
from ssblab.workspace import Workspace
from ssblab.workspace.samples import SamplesFileError

SERIES = Path(__file__).resolve().parents[2] / "examples" / "eis" / "llzto_pellet_series"
EIS_FILES = sorted(SERIES.glob("llzto_*.txt"))
CELSIUS = {p.name: -int(p.stem.split("_m")[1].rstrip("C")) for p in EIS_FILES}
FORMULA = "Li6.4La3Zr1.4Ta0.6O12"


def _cycler_csv(table: pd.DataFrame, path: Path) -> Path:
    columns = {"time_s": "time/s", "voltage_V": "voltage/V", "current_A": "current/A"}
    table[list(columns)].rename(columns=columns).to_csv(path, index=False)
    return path


def make_lab(folder: Path) -> Path:
    """A lab folder: the LLZTO temperature series (EIS), a Li | LLZTO | Li cell and a full
    cell (cycling), a samples.csv linking them; returns the samples.csv path."""
    data = folder / "data"
    (data / "eis").mkdir(parents=True)
    (data / "cycling").mkdir()
    for path in EIS_FILES:
        shutil.copy(path, data / "eis" / path.name)
    sym = symmetric_trace(current_density_A_m2=10.0, area_m2=1e-4, step_h=1.0, cycles=5,
                          asr_ohm_m2=0.01, sample_s=300.0)  # fmt: skip
    _cycler_csv(sym, data / "cycling" / "sym_li_llzto.csv")
    full = fullcell_trace([150.0, 149.0, 148.0, 147.5, 147.0, 146.0], nominal_capacity=180.0,
                          active_mass_g=0.004, formation_cycles=1)  # fmt: skip
    _cycler_csv(full, data / "cycling" / "full_ncm_llzto.csv")
    rows = ["file_glob,sample,formula,dopant,thickness,diameter,temperature,cell_kind,ald_cycles,"
            "active_mass"]  # fmt: skip
    for name, celsius in CELSIUS.items():
        rows.append(f"{name},LLZTO-1,{FORMULA},Ta,0.5 mm,12 mm,{celsius} degC,blocking,,")
    disc = "11.28379 mm"  # 1.000 cm^2
    rows.append(f"sym_*.csv,LLZTO-2,{FORMULA},Ta,0.6 mm,{disc},,symmetric,20,")
    rows.append(f"full_*.csv,LLZTO-3,{FORMULA},Ta,0.6 mm,{disc},,full,,4 mg")
    samples = folder / "samples.csv"
    samples.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return samples


@pytest.fixture
def lab(tmp_path):
    return tmp_path, make_lab(tmp_path)


def test_ingest_twice_stores_each_file_once(tmp_path, lab, database_url):
    folder, samples = lab
    with Workspace.init(tmp_path / "ws", database_url) as ws:
        first = ws.ingest(folder / "data", samples)
        assert (first.new, first.duplicate, first.failed) == (7, 0, 0)
        again = ws.ingest(folder / "data", samples)
        assert (again.new, again.duplicate, again.failed) == (0, 7, 0)
        assert ws.counts() == {"measurements": 7, "failed_measurements": 0, "analyses": 0,
                               "samples": 3, "cells": 3}  # fmt: skip
        assert ws.check_integrity() == []
        # a copy of a file under another name is the same measurement
        shutil.copy(EIS_FILES[0], folder / "data" / "copy.txt")
        assert ws.ingest(folder / "data").new == 0


def test_foreign_and_corrupt_files_fail_and_the_batch_goes_on(tmp_path, lab, database_url):
    folder, samples = lab
    data = folder / "data"
    (data / "notes.txt").write_text("the pellet cracked on Tuesday\n")
    (data / "empty.csv").write_bytes(b"")
    (data / "truncated.mpr").write_bytes(b"BIO-LOGIC MODULAR FILE\x1a" + b"\x00" * 20)
    with Workspace.init(tmp_path / "ws", database_url) as ws:
        report = ws.ingest(data, samples)
        assert (report.new, report.failed) == (10, 3)
        frame = ws.query("measurements")
        failed = frame[frame["status"] == "failed"].set_index("file")
        assert set(failed.index) == {"notes.txt", "empty.csv", "truncated.mpr"}
        assert failed.loc["empty.csv", "error"] == "empty.csv: the file is empty"
        assert all("\n" not in e and e.startswith(f) for f, e in failed["error"].items())
        assert ws.counts()["failed_measurements"] == 3
        assert ws.ingest(data, samples).new == 0  # failed files are not retried either
        assert ws.check_integrity() == []


def test_samples_csv_links_geometry_in_si(tmp_path, lab, database_url):
    from sqlalchemy import select

    from ssblab.workspace.schema import Cell, Measurement, Sample

    folder, samples = lab
    with Workspace.init(tmp_path / "ws", database_url) as ws:
        ws.ingest(folder / "data", samples)
        with ws.sessions() as session:
            pellet = session.scalar(select(Sample).where(Sample.name == "LLZTO-1"))
            assert pellet.thickness_m == pytest.approx(5e-4)
            assert pellet.area_m2 == pytest.approx(math.pi * 0.012**2 / 4)
            assert pellet.material.family == "garnet" and pellet.dopant == "Ta"
            sym = session.scalar(select(Cell).where(Cell.name == "LLZTO-2/symmetric"))
            assert sym.kind == "symmetric" and sym.area_m2 == pytest.approx(1e-4, rel=1e-5)
            assert session.scalar(select(Sample.ald_cycles).where(Sample.name == "LLZTO-2")) == 20
            full = session.scalar(select(Cell).where(Cell.kind == "full"))
            assert full.active_mass_g == pytest.approx(4.0e-3)
            m = session.scalar(select(Measurement).where(Measurement.path.like("%m60C.txt")))
            assert m.temperature_K == pytest.approx(213.15)
            assert m.sample_id == pellet.id


def test_stored_arrays_are_the_readers_output(tmp_path, lab):
    from ssblab.workspace.arrays import read_frame
    from ssblab.workspace.readers import cycling_of, spectra_of

    folder, samples = lab
    with Workspace.init(tmp_path / "ws") as ws:
        ws.ingest(folder / "data", samples)
        frame = ws.query("measurements").set_index("file")
        eis = read_frame(ws.path, frame.loc[EIS_FILES[2].name, "array"])
        (stored,) = spectra_of(eis, EIS_FILES[2].name)
        (read,) = read_eis(EIS_FILES[2])
        np.testing.assert_array_equal(stored.frequency_hz, read.frequency_hz)
        np.testing.assert_array_equal(stored.impedance_ohm, read.impedance_ohm)
        cyc = read_frame(ws.path, frame.loc["sym_li_llzto.csv", "array"])
        expected = read_cycling(folder / "data" / "cycling" / "sym_li_llzto.csv").table
        pd.testing.assert_frame_equal(cycling_of(cyc, "x").table, expected)
        assert frame.loc["sym_li_llzto.csv", "format"] == "table"
        assert frame.loc["sym_li_llzto.csv", "reader_notes"] >= 1  # derived step types, noted


def test_bad_samples_csv_names_file_line_and_column(tmp_path, lab):
    folder, _ = lab
    bad = tmp_path / "bad.csv"
    bad.write_text("file_glob,sample,thickness\n*.txt,P1,0.5\n")
    with Workspace.init(tmp_path / "ws") as ws, pytest.raises(SamplesFileError) as info:
        ws.ingest(folder / "data", bad)
    assert "bad.csv, line 2: thickness" in str(info.value)
    bad.write_text("file,thickness\n*.txt,1 mm\n")
    with Workspace.open(tmp_path / "ws") as ws, pytest.raises(SamplesFileError, match="sample"):
        ws.ingest(folder / "data", bad)


def test_parallel_parsing_stores_what_serial_parsing_stores(tmp_path, lab, monkeypatch):
    """From PARALLEL_FROM new files on, a spawned pool parses them; rows (ids in file order,
    hashes, formats, errors, links) and arrays must equal the in-process ingest's."""
    from ssblab.workspace import ingest

    PARALLEL_FROM = 12  # the threshold lowered, so a small folder takes the pool path
    monkeypatch.setattr(ingest, "PARALLEL_FROM", PARALLEL_FROM)
    folder, samples = lab
    data = folder / "data"
    for i in range(PARALLEL_FROM):  # distinct bytes: one more cycle row each
        sym = symmetric_trace(current_density_A_m2=10.0, area_m2=1e-4, step_h=1.0, cycles=2,
                              asr_ohm_m2=0.01 + i * 1e-4, sample_s=600.0)  # fmt: skip
        _cycler_csv(sym, data / "cycling" / f"sym_{i:03d}.csv")
    (data / "notes.txt").write_text("not a measurement\n")
    shutil.copy(EIS_FILES[0], data / "eis" / "copy_of_first.txt")

    def rows(ws):
        frame = ws.query("measurements")
        keep = ["file", "status", "format", "error", "sample", "temperature_K"]
        return frame[[c for c in keep if c in frame.columns]].reset_index(drop=True)

    with Workspace.init(tmp_path / "serial") as serial, Workspace.init(tmp_path / "pool") as pool:
        one = serial.ingest(data, samples, workers=1)
        two = pool.ingest(data, samples, workers=2)
        assert one == two and (two.new, two.duplicate, two.failed) == (PARALLEL_FROM + 8, 1, 1)
        pd.testing.assert_frame_equal(rows(pool), rows(serial))
        assert sorted(p.name for p in (pool.path / "arrays").iterdir()) == sorted(
            p.name for p in (serial.path / "arrays").iterdir()
        )
        assert pool.check_integrity() == []
