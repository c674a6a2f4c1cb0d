"""Every cycling file of ``../shared/real-data/cycling`` reads into the tidy table.

Expected row counts, spans, ranges and quirks come from the "Cycling and galvanostatic" table
of ``../shared/real-data/MANIFEST.md`` and from the rows of the files themselves. A file is taken
from ``../shared/real-data`` when present, else from the permissively licensed copy in
``tests/data/cycling`` (see ``tests/data/NOTICE.md``); otherwise its test is skipped.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ssblab.cycling.data import COLUMNS, CyclingData
from ssblab.io.cycling import detect_format, read_cycling
from tests.real_data import real_file as shared_real_file

REPO = Path(__file__).resolve().parents[2]
REAL_DATA = REPO.parent / "shared" / "real-data"
BUNDLED = REPO / "tests" / "data" / "cycling"


def real_file(relative: str) -> Path:
    return shared_real_file("cycling/" + relative)


def read(relative: str, fmt: str) -> CyclingData:
    path = real_file(relative)
    assert detect_format(path) == fmt
    data = read_cycling(path)
    assert data.source == path.name
    assert data.metadata["format"] == fmt
    assert list(data.table.columns) == list(COLUMNS)
    assert np.all(np.diff(data.table["time_s"]) >= 0)
    return data


def span(data: CyclingData) -> tuple[float, float]:
    t = data.table["time_s"]
    return float(t.iloc[0]), float(t.iloc[-1])


def voltage_range(data: CyclingData) -> tuple[float, float]:
    v = data.table["voltage_V"]
    return float(v.min()), float(v.max())


def active_current(data: CyclingData) -> np.ndarray:
    """|I| of the rows that are not rest (for the typical current of a test)."""
    table = data.table
    return np.abs(table["current_A"].to_numpy()[table["step_type"].to_numpy() != "rest"])


def cycles(data: CyclingData) -> list[int]:
    return sorted(int(c) for c in data.table["cycle_index"].unique())


def has_note(data: CyclingData, *fragments: str) -> bool:
    return any(all(f in note for f in fragments) for note in data.notes)


# --------------------------------------------------------------------------------------------
# BioLogic


def test_latp_gcpl_mpt_decimal_comma_cp1252():
    d = read("biologic-mpt/latp_foil_li_lp30_gcpl.mpt", "biologic_mpt")
    assert len(d) == 10285
    assert span(d) == pytest.approx((4108.6895, 75637.916))
    assert voltage_range(d) == pytest.approx((1.5, 4.0), abs=2e-3)
    assert np.median(active_current(d)) == pytest.approx(50e-6, rel=1e-3)  # ±50 µA
    assert cycles(d) == list(range(11))  # 11 loops, 0-based as EC-Lab counts them
    assert set(d.table["step_type"]) == {"charge", "discharge"}
    assert d.table["step_index"].max() == 21  # a charge and a discharge per loop
    assert has_note(d, "cp1252") and has_note(d, "decimal comma")
    assert has_note(d, "mA to A", "<I>/mA") and has_note(d, "loop number")
    assert d.metadata["electrode_material"] == "LATP"
    assert d.metadata["instrument"] == "VMP3 (SN 0324)"
    assert d.metadata["channel"] == "2 (SN 6986)"
    assert "active_mass_kg" not in d.metadata  # 0.001 mg is EC-Lab's placeholder


def test_lnmo_latp_lto_solid_state_mpt():
    d = read("biologic-mpt/lnmo_latp_lto_solidstate_gcpl.mpt", "biologic_mpt")
    assert len(d) == 3601
    start, end = span(d)
    assert end - start == pytest.approx(36000, abs=1)  # 10 h charge
    assert voltage_range(d) == pytest.approx((0.450, 1.740), abs=2e-3)  # never reaches 3 V
    assert set(d.table["step_type"]) == {"charge"}
    # set point 500 nA (control/V/mA = 0.0005); EC-Lab's measured <I>/mA is ~680 nA
    assert np.median(active_current(d)) == pytest.approx(6.8e-7, rel=0.02)
    assert cycles(d) == [0]


def test_yadg_gcpl_mpt_and_mpr_twins_give_the_same_table():
    mpt = read("biologic-mpt/yadg_gcpl_sp300_pair.mpt", "biologic_mpt")
    mpr = read("biologic-mpr/yadg_gcpl_sp300_pair.mpr", "biologic_mpr")
    for d in (mpt, mpr):
        assert len(d) == 132
        assert span(d) == pytest.approx((30.153, 659.986), abs=1e-3)
        assert voltage_range(d) == pytest.approx((3.4138, 3.4466), abs=1e-4)
        assert np.median(active_current(d)) == pytest.approx(30e-6, rel=1e-3)
        assert cycles(d) == [0, 1, 2, 3]
        assert d.table["step_index"].max() == 11  # 4 loops × (rest, charge, discharge)
    for column in ("step_index", "step_type", "cycle_index"):
        assert (mpt.table[column].to_numpy() == mpr.table[column].to_numpy()).all()
    for column in ("time_s", "current_A", "step_capacity_Ah", "cumulative_capacity_Ah"):
        np.testing.assert_allclose(mpt.table[column], mpr.table[column], rtol=1e-9, atol=1e-15)
    # the text keeps 8 digits of Ewe, the binary a float32
    np.testing.assert_allclose(mpt.table["voltage_V"], mpr.table["voltage_V"], rtol=1e-7)
    assert has_note(mpr, "derived", "dq/mA.h")
    assert mpr.metadata["start_time"] == "2024-01-10T11:02:29.886000"
    assert mpt.metadata["start_time"] == "01/10/2024 11:02:29.886"  # locale order unknown


def test_lili_tegdme_gcpl_mpr():
    d = read("biologic-mpr/lili_tegdme_insitu_gcpl.mpr", "biologic_mpr")
    assert len(d) == 109
    assert span(d) == pytest.approx((0.0, 900.0), abs=1e-4)
    assert voltage_range(d) == pytest.approx((0.0014, 0.2984), abs=1e-4)
    assert np.median(active_current(d)) == pytest.approx(0.4e-3, rel=1e-3)  # 0.4 mA
    assert d.table["step_type"].tolist() == ["rest"] * 31 + ["charge"] * 78
    # the file's own 'Q charge/discharge/mA.h' ends at 0.066621 mA·h (0.4 mA for 600 s)
    assert d.table["step_capacity_Ah"].iloc[-1] == pytest.approx(0.066621e-3, rel=1e-4)


def test_ssb_cp_mpr_current_pulses():
    d = read("biologic-mpr/ssb_ncm-lpscl_inli_cp.mpr", "biologic_mpr")
    assert len(d) == 30208
    assert span(d) == pytest.approx((19.895, 50.096), abs=1e-3)
    assert voltage_range(d) == pytest.approx((2.909, 2.939), abs=1e-3)
    assert np.abs(d.table["current_A"]).max() == pytest.approx(8.43e-6, rel=1e-2)
    counts = d.table["step_type"].value_counts().to_dict()
    assert counts == {"charge": 11103, "discharge": 11103, "rest": 8002}
    assert d.table["step_index"].max() == 7  # Ns 0 … 7
    assert has_note(d, "mA to A", "I/mA")


# --------------------------------------------------------------------------------------------
# LAND


def test_land_ccs_binary():
    d = read("land/land_ccs_int37.ccs", "land_ccs")
    assert len(d) == 53766  # BDF's unit test: > 1000 rows
    assert span(d) == pytest.approx((0.02, 530472.673), abs=1e-3)
    low, high = voltage_range(d)
    assert 2.5 < low < 3.001 and 4.199 < high < 4.3  # BDF: 2.5 V < V < 4.3 V
    current = d.table["current_A"]
    assert (current > 0).any() and (current < 0).any()
    assert np.abs(current).max() == pytest.approx(1.67e-3, rel=2e-3)  # C/3 of 5 mAh
    assert cycles(d) == list(range(12))
    assert d.table["step_index"].max() == 36  # 37 step blocks
    assert set(d.table["step_type"]) == {"charge", "discharge", "rest"}
    assert d.metadata["test_name"] == "INT-37_0.95_3el_14022023"
    assert d.metadata["software_version"] == "4.2.0.06151"
    assert has_note(d, "53766 records in 37 steps")


# --------------------------------------------------------------------------------------------
# Neware


def test_neware_uio_flat_csv():
    d = read("neware-csv/neware_uio_export.csv", "neware_csv")
    assert len(d) == 9065
    assert span(d) == (0.0, 144 * 3600 + 2 * 60 + 18)  # Cumulative Time 144:02:18
    assert voltage_range(d) == pytest.approx((0.05, 2.957), abs=1e-3)
    assert np.abs(d.table["current_A"]).max() == pytest.approx(0.9918e-3, rel=1e-3)
    assert cycles(d) == [1, 2, 3, 4]
    assert has_note(d, "hh:mm:ss", "Cumulative Time")
    assert d.metadata["columns"]["current"] == "Current(A)"
    assert d.metadata["start_time"] == "2022-05-18T16:27:52"


def test_neware_ife_stacked_csv():
    d = read("neware-csv/neware_ife_regular_export.csv", "neware_csv")
    assert len(d) == 9295 - 1  # one record repeats the one before it
    assert has_note(d, "dropped 1 row repeating", "line 3017")
    assert has_note(d, "3 stacked header rows", "9295 record rows", "20 cycle rows", "81 step")
    assert has_note(d, "line 4 holds a cycle row and a step row")
    assert has_note(d, "(?)", "°C")
    assert span(d) == (0.0, 27 * 3600 + 55 * 60 + 43)  # Total Time 27:55:43
    assert voltage_range(d) == pytest.approx((3.9, 4.7), abs=1e-3)
    assert np.abs(d.table["current_A"]).max() == pytest.approx(0.5)
    assert cycles(d) == list(range(1, 21))
    assert d.table["step_index"].max() == 80  # 81 steps
    assert d.table["temperature_K"].between(299, 301).all()


def test_neware_nda():
    d = read("neware-nda/neware_new_nda_file.nda", "neware_nda")
    assert len(d) == 439
    assert span(d) == pytest.approx((0.0, 721.6), abs=1e-3)  # timestamps 11:16:50 → 11:28:52
    assert voltage_range(d) == pytest.approx((-0.101, -0.0849), abs=1e-4)
    assert np.abs(d.table["current_A"]).max() == pytest.approx(50.5e-6, rel=1e-4)
    assert cycles(d) == [1, 2]
    assert d.table["step_index"].max() == 5
    assert has_note(d, "'Time' restarts at 5 of 5 step changes")
    assert d.metadata["start_time"].startswith("2020-03-25T11:16:50")


def test_neware_ndax():
    d = read("neware-nda/neware_unit27_example.ndax", "neware_nda")
    assert len(d) == 301
    assert span(d) == (0.0, 300.0)
    assert voltage_range(d) == pytest.approx((2.9827, 2.9831), abs=1e-4)
    assert set(d.table["step_type"]) == {"rest"}
    assert (d.table["current_A"] == 0).all()
    assert d.table["temperature_K"].between(298.4, 298.8).all()
    assert d.metadata["start_time"] == "2024-11-18T12:43:31"


# --------------------------------------------------------------------------------------------
# Arbin and Maccor


def test_arbin_beep_csv():
    d = read("arbin-csv/arbin_beep_tc_contact_CH33.csv", "arbin_csv")
    assert len(d) == 287
    assert span(d) == pytest.approx((0.0, 1022.8913))
    assert voltage_range(d) == pytest.approx((3.2987, 3.6000), abs=1e-4)
    assert d.table["current_A"].max() == pytest.approx(6.6006, rel=1e-4)  # 6C fast charge
    assert cycles(d) == [1]  # Step_Index and Cycle_Index are empty: derived
    assert has_note(d, "Arbin's convention", "current A")
    assert has_note(d, "derived from the current and its sign (no rest floor")
    assert d.table["temperature_K"].between(298.1, 301.0).all()  # 25–27.6 °C


def test_arbin_xlsx():
    d = read("arbin-xlsx/arbin_graphite_li_halfcell_ch11.xlsx", "arbin_xlsx")
    assert len(d) == 4526
    assert span(d) == pytest.approx((1.001, 1204815.81068))
    low, high = voltage_range(d)
    assert low == pytest.approx(0.05, abs=1e-4) and high == pytest.approx(2.641, abs=1e-3)
    assert np.median(active_current(d)) == pytest.approx(50e-6, rel=1e-3)  # 50 µA
    assert cycles(d) == [1]
    assert d.metadata["channel"] == "11"
    assert d.metadata["start_time"] == "2020-10-19T11:33:31"
    assert d.metadata["sheets"] == ["Channel_11_1"]


def test_maccor_simba_minutes_and_control_bytes():
    d = read("maccor-txt/maccor_cellpy_simba_002.txt", "maccor_txt")
    assert len(d) == 7446
    assert span(d) == pytest.approx((0.0, 3809.841833 * 60))  # TestTime in minutes: 63.5 h
    assert has_note(d, "read as minutes")
    assert has_note(d, "control/padding bytes", "0x03", "0x04", "0xFF", "line 5")
    assert has_note(d, "unsigned", "negative")
    assert voltage_range(d) == pytest.approx((0.0345, 3.8))
    assert np.median(active_current(d)) == pytest.approx(0.1604e-3, rel=1e-2)
    assert (d.table["current_A"][d.table["step_type"] == "discharge"] < 0).all()
    assert cycles(d) == [1, 2]  # Cycle C
    assert d.metadata["channel"] == "53"
    assert d.metadata["start_time"] == "2021-05-11T15:40:24"
    assert d.metadata["description"] == "SIMBA-Capacity_test"
