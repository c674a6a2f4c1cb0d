"""The web app offers ``ssblab report``: the same self-contained page for uploaded files (with
geometry and temperatures) and for a workspace sample."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ssblab.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
SERIES = sorted((ROOT / "examples" / "eis" / "llzto_pellet_series").glob("llzto_*.txt"))
CELSIUS = {p.name: -int(p.stem.split("_m")[1].rstrip("C")) for p in SERIES}


def _values(data, key):
    """Every value stored under ``key`` anywhere in ``data``."""
    if isinstance(data, dict):
        for k, v in data.items():
            if k == key:
                yield v
            yield from _values(v, key)
    elif isinstance(data, list):
        for item in data:
            yield from _values(item, key)


def _embedded(html: str):
    match = re.search(
        r'<script type="application/json" id="ssblab-report-data">(.*?)</script>', html, re.S
    )
    assert match, "the report embeds its numbers"
    return json.loads(match.group(1))


def test_series_report_equals_the_api_arrhenius():
    with TestClient(create_app()) as client:
        files = [("files", (p.name, p.read_bytes())) for p in SERIES]
        ids = [m["id"] for m in client.post("/api/upload", files=files).json()["measurements"]]
        temperatures = [f"{CELSIUS[p.name]} degC" for p in SERIES]
        shape = {"thickness": "0.5 mm", "diameter": "12 mm"}
        api = client.post("/api/arrhenius", json={"measurements": ids,
                          "temperatures": temperatures, **shape}).json()  # fmt: skip
        page = client.get("/api/report.html", params={"measurements": ids, "temperatures":
                          temperatures, "figures": "none", **shape})  # fmt: skip
        assert page.status_code == 200, page.text[:300]
        assert page.headers["content-type"].startswith("text/html")
        html = page.text
        (ea,) = set(_values(_embedded(html), "activation_energy_eV"))
        assert ea == pytest.approx(api["activation_energy_eV"], rel=1e-12)
        for path in SERIES:  # provenance: the raw files' hashes
            assert hashlib.sha256(path.read_bytes()).hexdigest() in html
        assert not re.search(r"""(src|href)=["']https?://""", html)

        attachment = client.get("/api/report.html", params={"measurements": ids[0],
                                "figures": "none", "download": True})  # fmt: skip
        assert attachment.headers["content-disposition"].startswith("attachment")
        bad = client.get("/api/report.html", params={"measurements": ids[:2],
                         "temperatures": ["25 degC"]})  # fmt: skip
        assert bad.status_code == 422 and "one each" in bad.json()["detail"]
        assert client.get("/api/samples/X/report.html").status_code == 422  # no workspace


def test_workspace_sample_report(tmp_path):
    from ssblab.workspace import Workspace
    from tests.workspace.test_ingest import make_lab

    samples = make_lab(tmp_path)
    with Workspace.init(tmp_path / "ws") as ws:
        ws.ingest(tmp_path / "data", samples)
        ws.analyse(kinds=["symmetric"], executor="serial")
    with TestClient(create_app(workspace=tmp_path / "ws")) as client:
        page = client.get("/api/samples/LLZTO-2/report.html")
        assert page.status_code == 200, page.text[:300]
        assert ("LLZTO-2" in page.text and "<svg" in page.text) or "ASR" in page.text
        missing = client.get("/api/samples/NOPE/report.html")
        assert missing.status_code == 422 and "NOPE" in missing.json()["detail"]


def test_cycling_result_links_a_report_with_the_same_area():
    import html as html_lib

    symmetric = ROOT / "examples" / "cycling" / "demo" / "llzto_bare_symmetric.csv"
    with TestClient(create_app()) as client:
        files = [("files", (symmetric.name, symmetric.read_bytes()))]
        (m,) = client.post("/api/upload", files=files).json()["measurements"]
        form = {"cell_kind": "symmetric", "diameter": "10 mm"}
        fragment = client.post(f"/fragments/{m['id']}/cycling", data=form).text
        link = re.search(r'data-testid="cycling-report" href="([^"]+)"', fragment)
        assert link and "diameter=10+mm" in link.group(1)
        api = client.post(f"/api/measurements/{m['id']}/symmetric",
                          json={"diameter": "10 mm"}).json()  # fmt: skip
        page = client.get(html_lib.unescape(link.group(1)).replace("figures=all", "figures=none"))
        assert page.status_code == 200, page.text[:300]
        (asr,) = set(_values(_embedded(page.text), "asr_initial_ohm_cm2"))
        assert asr == pytest.approx(api["asr_initial_ohm_cm2"], rel=1e-12)
