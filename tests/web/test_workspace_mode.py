"""``ssblab serve --workspace``: the catalogue's measurements are listed under their catalogue
ids, an upload is ingested into the workspace (once, by hash), analyses run on stored arrays."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ssblab.web.app import create_app
from ssblab.workspace import Workspace
from tests.workspace.test_ingest import EIS_FILES, make_lab

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def lab_workspace(tmp_path):
    samples = make_lab(tmp_path)
    (tmp_path / "data" / "notes.txt").write_text("not a measurement\n")  # a failed row
    with Workspace.init(tmp_path / "ws") as ws:
        ws.ingest(tmp_path / "data", samples)
    return tmp_path


def test_catalogue_listed_and_uploads_ingested_once(lab_workspace):
    ws_path = lab_workspace / "ws"
    with TestClient(create_app(workspace=ws_path)) as client:
        listed = client.get("/api/measurements").json()
        rows = listed if isinstance(listed, list) else listed["measurements"]
        assert len(rows) == 7  # the failed notes.txt is not an analysable measurement
        by_name = {r["name"]: r for r in rows}
        first = by_name[EIS_FILES[0].name]
        assert first["sample"] == "LLZTO-1"

        # the same bytes again: the catalogue's record, not a new one
        again = client.post("/api/upload", files=[("files", ("renamed.txt",
                            EIS_FILES[0].read_bytes()))])  # fmt: skip
        assert again.status_code == 200, again.text
        (record,) = again.json()["measurements"]
        assert record["id"] == first["id"] and record["sha256"] == first["sha256"]

        # a new file: ingested, listed under its catalogue id
        new = ROOT / "examples" / "eis" / "biologic_peis_2loops.mpt"
        added = client.post("/api/upload", files=[("files", (new.name, new.read_bytes()))])
        assert added.status_code == 200, added.text
        (record,) = added.json()["measurements"]
        with Workspace.open(ws_path) as ws:
            frame = ws.query("measurements")
            stored = frame[frame["file"] == new.name]
            assert len(stored) == 1 and int(stored["id"].iloc[0]) == record["id"]
            assert ws.counts()["measurements"] == 9  # 7 + notes.txt (failed) + the new one

        fitted = client.post(f"/api/measurements/{first['id']}/fit", json={"circuit": "auto"})
        assert fitted.status_code == 200, fitted.text

        # unreadable: stored as failed, as ssblab ingest does, and refused with its line
        bad = client.post("/api/upload", files=[("files", ("junk.csv", b"a,b\nx,y\n"))])
        assert 400 <= bad.status_code < 500 and "junk.csv" in bad.json()["detail"]
        with Workspace.open(ws_path) as ws:
            assert ws.counts()["failed_measurements"] == 2


def test_index_lists_the_workspace_samples_with_their_stored_ea(lab_workspace):
    ws_path = lab_workspace / "ws"
    with Workspace.open(ws_path) as ws:
        ws.analyse(kinds=["arrhenius"], executor="serial")
        stored = ws.query("arrhenius").set_index("sample")
    ea = stored.loc["LLZTO-1", "activation_energy_eV"]
    with TestClient(create_app(workspace=ws_path)) as client:
        html = client.get("/").text
    assert html.count('data-testid="sample-row"') == 3  # LLZTO-1, -2, -3
    assert f"{ea:.4f} ±" in html and "/api/samples/LLZTO-1/report.html" in html
