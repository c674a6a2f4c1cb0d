"""The synthetic example files in ``examples/cycling/`` read back as the table that wrote them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ssblab.io.cycling import FORMATS, detect_format, read_cycling

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cycling"


def _generator():
    spec = importlib.util.spec_from_file_location("make_examples", EXAMPLES / "make_examples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = _generator()
REFERENCE = GENERATOR.reference()

# file → (format, absolute time tolerance in s, cycle offset of the format's numbering)
EXAMPLE_FILES = {
    "table_seconds_mA.csv": ("table", 0.0, 0),
    "table_minutes_uA_decimal_comma.csv": ("table", 1e-6, 0),
    "table_hhmmss.tsv": ("table", 0.0, 0),
    "excel_table.xlsx": ("excel", 1e-9, 0),
    "biologic_gcpl.mpt": ("biologic_mpt", 0.0, -1),  # EC-Lab counts cycles from 0
    "maccor_export.txt": ("maccor_txt", 1e-6, 0),
    "maccor_rec_export.txt": ("maccor_txt", 0.0, -1),  # Maccor's Cyc# counts from 0
    "neware_flat.csv": ("neware_csv", 0.0, 0),
    "neware_stacked.csv": ("neware_csv", 0.0, 0),
    "neware_export.xlsx": ("neware_xlsx", 0.0, 0),
    "arbin_export.csv": ("arbin_csv", 0.0, 0),
    "arbin_export.xlsx": ("arbin_xlsx", 0.0, 0),
    "land_export.csv": ("land_csv", 0.0, 0),
    "land_export.xlsx": ("land_xlsx", 1e-5, 0),  # TestTime/h with 10 decimals
}
BINARY = {"land_ccs", "neware_nda", "biologic_mpr"}


def test_every_supported_non_binary_format_has_an_example():
    shown = {fmt for fmt, _, _ in EXAMPLE_FILES.values()}
    supported = {name for name, fmt in FORMATS.items() if fmt.supported}
    assert supported - shown == BINARY  # binary formats are tested on the real files
    on_disk = {
        p.name
        for p in EXAMPLES.iterdir()
        if p.is_file() and p.suffix not in (".py", ".md") and p.name != "reference.csv"
    }
    assert on_disk == set(EXAMPLE_FILES)


def test_reference_csv_matches_the_generator():
    saved = pd.read_csv(EXAMPLES / "reference.csv")
    for column in ("time_s", "voltage_V", "current_A", "step_index", "cycle_index"):
        np.testing.assert_allclose(saved[column], REFERENCE[column], rtol=1e-4, atol=1e-12)


@pytest.mark.parametrize("name", sorted(EXAMPLE_FILES))
def test_example_reads_back_the_reference(name):
    fmt, time_tolerance, cycle_offset = EXAMPLE_FILES[name]
    path = EXAMPLES / name
    assert detect_format(path) == fmt
    data = read_cycling(path)
    table = data.table
    assert data.metadata["format"] == fmt
    assert len(table) == len(REFERENCE) == 146
    np.testing.assert_allclose(table["time_s"], REFERENCE["time_s"], rtol=0, atol=time_tolerance)
    np.testing.assert_allclose(table["voltage_V"], REFERENCE["voltage_V"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(table["current_A"], REFERENCE["current_A"], rtol=1e-9, atol=1e-15)
    assert table["step_type"].tolist() == REFERENCE["step_type"].tolist()
    assert table["step_index"].tolist() == REFERENCE["step_index"].tolist()
    assert (table["cycle_index"] - REFERENCE["cycle_index"] == cycle_offset).all()
    np.testing.assert_allclose(
        table["step_capacity_Ah"], REFERENCE["step_capacity_Ah"], rtol=1e-6, atol=1e-12
    )


def test_example_metadata_and_notes():
    generic = read_cycling(EXAMPLES / "table_seconds_mA.csv")
    assert generic.metadata["active_mass_kg"] == pytest.approx(8e-6)
    assert generic.metadata["nominal_capacity_Ah"] == pytest.approx(0.5e-3)
    assert generic.metadata["channel"] == "3"
    assert generic.metadata["units"]["current"] == "mA"

    comma = read_cycling(EXAMPLES / "table_minutes_uA_decimal_comma.csv")
    for fragment in ("cp1252", "decimal comma", "minutes to s", "mV to V", "µA to A"):
        assert any(fragment in note for note in comma.notes), fragment

    mpt = read_cycling(EXAMPLES / "biologic_gcpl.mpt")
    assert mpt.metadata["active_mass_kg"] == pytest.approx(8e-6)
    assert mpt.metadata["nominal_capacity_Ah"] == pytest.approx(0.5e-3)

    maccor = read_cycling(EXAMPLES / "maccor_export.txt")
    assert any("read as minutes" in note for note in maccor.notes)
    assert any("control/padding bytes" in note for note in maccor.notes)
    assert maccor.metadata["start_time"] == "2025-11-22T10:00:00"

    rec = read_cycling(EXAMPLES / "maccor_rec_export.txt")
    assert rec.metadata["layout"] == "Rec#/State"
    assert rec.metadata["start_time"] == "2025-11-22T10:00:00"  # the first DPt Time
    assert rec.metadata["procedure"] == "SSBLAB_EXAMPLE.000"
    assert rec.metadata["columns"]["current"] == "Amps"
    assert rec.metadata["columns"]["time"] == "Test (Sec)"
    impedance = rec.metadata["impedance_rows"]
    assert impedance["count"] == len(GENERATOR.IMPEDANCE_ROWS) == 8
    assert [row["state"] for row in impedance["rows"]] == ["R"] * 3 + ["FRA"] * 5
    assert [row["ACImp/Ohms"] for row in impedance["rows"][:3]] == [18.73, 18.71, 18.74]
    assert any(
        "dropped 8 impedance rows (lines 41–48)" in note and "not cycling points" in note
        for note in rec.notes
    )

    land = read_cycling(EXAMPLES / "land_export.xlsx")
    assert land.metadata["active_mass_kg"] == pytest.approx(8e-6)
    assert any("Record-2" in note for note in land.notes)

    arbin = read_cycling(EXAMPLES / "arbin_export.xlsx")
    assert arbin.metadata["sheets"] == ["Channel_3_1", "Channel_3_2"]
    assert arbin.metadata["channel"] == "3"

    stacked = read_cycling(EXAMPLES / "neware_stacked.csv")
    assert stacked.table["temperature_K"].eq(298.15).all()
