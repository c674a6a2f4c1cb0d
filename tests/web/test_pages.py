"""The HTML pages render with the stable ``data-testid`` hooks the browser tests use, and the
htmx fragments show the API's numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ssblab.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
SERIES = ROOT / "examples" / "eis" / "llzto_pellet_series"
SYMMETRIC = ROOT / "examples" / "cycling" / "demo" / "llzto_bare_symmetric.csv"


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


def ids(client, *paths):
    files = [("files", (p.name, p.read_bytes())) for p in paths]
    return [m["id"] for m in client.post("/api/upload", files=files).json()["measurements"]]


def has(html: str, *testids: str) -> None:
    for testid in testids:
        assert f'data-testid="{testid}"' in html, testid


def test_upload_page_and_fragment(client):
    html = client.get("/").text
    has(html, "nav", "upload-input", "upload-button")
    assert "webkitdirectory" in html and 'src="/static/plotly.min.js"' in html
    assert "cdn" not in html.lower()
    files = [("files", ("m60.txt", (SERIES / "llzto_m60C.txt").read_bytes())),
             ("files", ("bad.bin", b"\x00\x01\x02"))]  # fmt: skip
    fragment = client.post("/fragments/upload", files=files).text
    has(fragment, "measurement-row", "upload-error")
    assert "bad.bin: " in fragment and 'href="/measurements/' in fragment


def test_eis_page_fit_and_conductivity(client):
    (m,) = ids(client, SERIES / "llzto_m60C.txt")
    html = client.get(f"/measurements/{m}").text
    has(html, "nyquist-plot", "bode-plot", "drt-plot", "fit-form", "fit-button", "kk-verdict",
        "conductivity-form", "conductivity-button", "export-csv", "export-json", "export-png",
        "export-svg", "export-bdf")  # fmt: skip
    assert '<input name="circuit"' in html and '<select name="cell">' in html
    assert '<input name="thickness"' in html and '<input name="diameter"' in html
    fit = client.post(f"/fragments/{m}/fit", data={"circuit": "auto", "cell": ""}).text
    has(fit, "fit-parameters", "fit-warnings")
    assert "Ω" in fit and "±" in fit
    sigma = client.post(f"/fragments/{m}/conductivity",
                        data={"thickness": "0.5 mm", "diameter": "12 mm"}).text  # fmt: skip
    has(sigma, "sigma-total", "sigma-bulk")
    assert "2.303e-06 ± 3.901e-09 S/cm" in sigma  # the README's `eis conductivity` line
    bad = client.post(f"/fragments/{m}/conductivity", data={"thickness": "0.5 mm"}).text
    assert "give exactly one of --diameter or --area" in bad


def test_arrhenius_page(client):
    chosen = ids(client, *sorted(SERIES.glob("llzto_*.txt")))
    html = client.get("/arrhenius").text
    has(html, "arrhenius-form", "arrhenius-button")
    form = {"measurement": [str(i) for i in chosen], "thickness": "0.5 mm", "diameter": "12 mm",
            "quantity": "bulk"}  # fmt: skip
    for i, name in zip(chosen, sorted(SERIES.glob("llzto_*.txt")), strict=True):
        form[f"temperature-{i}"] = f"-{name.stem[-3:-1]} degC"
        assert f'name="temperature-{i}"' in html and f'value="{i}"' in html
    result = client.post("/fragments/arrhenius", data=form).text
    has(result, "activation-energy", "arrhenius-plot")
    assert "E_a = 0.3802 ± 0.0002 eV" in result


def test_cycling_page(client):
    (m,) = ids(client, SYMMETRIC)
    html = client.get(f"/measurements/{m}").text
    has(html, "cycling-form", "cycling-button", "voltage-plot", "export-csv")
    assert '<select name="cell_kind">' in html and '<input name="active_mass"' in html
    result = client.post(f"/fragments/{m}/cycling",
                         data={"cell_kind": "symmetric", "diameter": "12 mm"}).text  # fmt: skip
    has(result, "asr-plot", "short-verdict", "ccd")
    assert "short circuit (hard)" in result and "mA/cm²" in result


@pytest.mark.parametrize("path", ["/simulate", "/replicate", "/kb", "/kb?q=LLZO"])
def test_other_pages(client, path):
    response = client.get(path)
    assert response.status_code == 200
    has(response.text, "nav")


def test_unknown_measurement_page_is_404(client):
    assert client.get("/measurements/424242").status_code == 404
