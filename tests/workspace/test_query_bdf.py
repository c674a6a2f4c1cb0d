"""Query numbers equal the CLI's ``--json`` numbers for the same files; the conductivity rows
carry the knowledge base's family/dopant medians; BDF export and ingest round-trip."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ssblab.cli.main import run
from ssblab.knowledge import dataframe
from ssblab.workspace import Workspace
from ssblab.workspace.arrays import read_frame
from tests.workspace.test_ingest import EIS_FILES, SERIES, make_lab

GEOMETRY = ["--thickness", "0.5 mm", "--diameter", "12 mm"]


def _cli(capsys, *argv):
    assert run(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lab")
    samples = make_lab(folder)
    ws = Workspace.init(folder / "ws")
    ws.ingest(folder / "data", samples)
    ws.analyse(kinds=["conductivity", "arrhenius", "symmetric", "full"], workers=2)
    yield ws, folder
    ws.close()


def test_conductivity_equals_the_cli(analysed, capsys):
    ws, _ = analysed
    table = ws.query("conductivity").set_index("file")
    assert len(table) == len(EIS_FILES)
    cli = _cli(capsys, "eis", "conductivity", *map(str, EIS_FILES), *GEOMETRY, "--json")
    for row in cli:
        mine = table.loc[row["file"]]
        for key in ("sigma_bulk_S_m", "sigma_total_S_m", "sigma_total_err_S_m"):
            assert mine[key] == pytest.approx(row[key], rel=1e-12)
        assert mine["circuit"] == row["circuit"]
    truth = json.loads((SERIES / "truth.json").read_text())["spectra"]
    for spectrum in truth:
        assert table.loc[spectrum["file"], "sigma_bulk_S_m"] == pytest.approx(
            spectrum["sigma_bulk_S_m"], rel=0.02
        )


def test_arrhenius_equals_the_cli(analysed, capsys):
    ws, _ = analysed
    (row,) = ws.query("arrhenius").to_dict(orient="records")
    cli = _cli(capsys, "eis", "arrhenius", *map(str, EIS_FILES), *GEOMETRY,
               "--temperatures", str(SERIES / "temperatures.csv"), "--json")  # fmt: skip
    assert row["n_points"] == cli["n_points"] == 5
    assert row["activation_energy_eV"] == pytest.approx(cli["activation_energy_eV"], rel=1e-9)
    assert row["sigma_extrapolated_S_m"] == pytest.approx(cli["sigma_extrapolated_S_m"], rel=1e-9)
    conductivity = ws.query("conductivity")
    assert (conductivity["activation_energy_eV"] == row["activation_energy_eV"]).all()


def test_conductivity_rows_carry_the_knowledge_base(analysed):
    ws, _ = analysed
    row = ws.query("conductivity").iloc[0]
    kb = dataframe()
    sigma = kb[(kb["property"] == "ionic_conductivity") & (kb["family"] == "garnet")]
    room = sigma[sigma["temperature_K"].isna() | sigma["temperature_K"].between(288.15, 313.15)]
    assert row["family"] == "garnet"
    assert row["kb_family_sigma_n"] == len(room) > 10
    assert row["kb_family_sigma_median_S_m"] == pytest.approx(room["value_si"].median())
    ta = room[room["dopant_element"] == "Ta"]
    assert row["kb_dopant_sigma_n"] == len(ta) > 0
    assert row["kb_dopant_sigma_median_S_m"] == pytest.approx(ta["value_si"].median())


def test_ccd_and_retention_equal_the_cli(analysed, capsys):
    ws, folder = analysed
    sym = _cli(capsys, "cycle", "symmetric", str(folder / "data/cycling/sym_li_llzto.csv"),
               "--diameter", "11.28379 mm", "--json")  # fmt: skip
    ccd = ws.query("ccd").iloc[0]
    assert ccd["asr_initial_ohm_cm2"] == pytest.approx(sym["asr_initial_ohm_cm2"], rel=1e-12)
    assert bool(ccd["short_circuit"]) == sym["short_circuit"]
    full = _cli(capsys, "cycle", "full", str(folder / "data/cycling/full_ncm_llzto.csv"),
                "--mass", "4 mg", "--area", "1 cm^2", "--json")  # fmt: skip
    retention = ws.query("retention").iloc[0]
    assert retention["retention_percent"] == pytest.approx(full["retention_percent"], rel=1e-12)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_bdf_round_trip(analysed, tmp_path, fmt):
    ws, _ = analysed
    written = ws.export_bdf(tmp_path / "bdf", fmt)
    assert len(written) == 7 and all(p.name.endswith(f".bdf.{fmt}") for p in written)
    sym = next(p for p in written if "sym_li_llzto" in p.name)
    columns = (pd.read_csv(sym).columns if fmt == "csv" else pd.read_parquet(sym).columns).tolist()
    for label in ("Test Time / s", "Voltage / V", "Current / A", "Cycle Count / 1",
                  "Step Count / 1", "Cell ID", "Test ID"):  # fmt: skip
        assert label in columns
    with Workspace.init(tmp_path / "back") as back:
        report = back.ingest(tmp_path / "bdf")
        assert (report.new, report.failed) == (7, 0)
        original = ws.query("measurements").set_index("id")
        again = back.query("measurements")
        assert set(again["format"]) == {"bdf"}
        assert set(again["cell"]) == set(original["cell"])  # Cell ID links the cell
        for _, row in again.iterrows():
            mid = int(row["file"].split("-")[0][1:])
            before = read_frame(ws.path, original.loc[mid, "array"])
            after = read_frame(back.path, row["array"])
            assert row["kind"] == original.loc[mid, "kind"]
            if row["kind"] == "eis":
                pd.testing.assert_frame_equal(after, before)
            else:
                for column in before.columns:
                    if column == "temperature_K":
                        np.testing.assert_allclose(after[column], before[column], rtol=1e-12)
                    else:
                        pd.testing.assert_series_equal(after[column], before[column])
        assert back.ingest(tmp_path / "bdf").new == 0


def test_bdf_file_from_elsewhere_is_read(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    t = np.arange(0.0, 7200.0, 60.0)
    current = np.where(t < 3600, 1e-3, -1e-3)
    voltage = 3.7 + 0.1 * np.sign(current)
    frame = {"Test Time / s": t, "Voltage / V": voltage, "Current / A": current}
    pd.DataFrame(frame).to_csv(folder / "cell7.bdf.csv", index=False)
    shutil.copy(EIS_FILES[0], folder)
    with Workspace.init(tmp_path / "ws") as ws:
        assert ws.ingest(folder).new == 2
        kinds = ws.query("measurements").set_index("file")["kind"]
        assert kinds["cell7.bdf.csv"] == "cycling" and kinds[Path(EIS_FILES[0]).name] == "eis"
