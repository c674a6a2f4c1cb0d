"""The JSON API through FastAPI's TestClient: uploads, the CLI's numbers, exports, refusals."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ssblab.cli.main import run
from ssblab.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
SERIES = ROOT / "examples" / "eis" / "llzto_pellet_series"
M60 = SERIES / "llzto_m60C.txt"
SYMMETRIC = ROOT / "examples" / "cycling" / "demo" / "llzto_bare_symmetric.csv"
FULL = ROOT / "examples" / "cycling" / "demo" / "nmc811_annealed_full.csv"
GEOMETRY = {"thickness": "0.5 mm", "diameter": "12 mm"}


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(max_upload_bytes=2 * 2**20)) as c:
        yield c


def upload(client, *paths: Path) -> list[dict]:
    files = [("files", (p.name, p.read_bytes())) for p in paths]
    response = client.post("/api/upload", files=files)
    assert response.status_code == 200, response.text
    return response.json()["measurements"]


def cli_json(capsys, monkeypatch, folder: Path, *argv: str):
    """``ssblab … --json`` run in ``folder`` (so "file" is the bare name, as on upload)."""
    monkeypatch.chdir(folder)
    capsys.readouterr()
    assert run([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def same(api, cli, path="") -> None:
    """Equal structure, strings and flags; floats to 1e-9 relative. The runner-up candidates
    of an auto fit differ from one run to the next in the last bits (~1e-15 relative, the
    same in two CLI runs on alignment-dependent SIMD sums), so bitwise equality is not a
    property of the CLI either."""
    if isinstance(cli, dict):
        assert isinstance(api, dict) and set(api) == set(cli), (path, set(api) ^ set(cli))
        for key in cli:
            same(api[key], cli[key], f"{path}/{key}")
    elif isinstance(cli, list):
        assert isinstance(api, list) and len(api) == len(cli), path
        for i, (a, c) in enumerate(zip(api, cli, strict=True)):
            same(a, c, f"{path}[{i}]")
    elif isinstance(cli, float) and not isinstance(api, bool):
        assert api == pytest.approx(cli, rel=1e-9, abs=1e-300), path
    else:
        assert api == cli, path


def test_upload_reports_kind_format_notes(client):
    eis, cycling = upload(client, M60, SYMMETRIC)
    assert (eis["kind"], eis["format"], eis["n_spectra"]) == ("eis", "chi", 1)
    assert cycling["kind"] == "cycling" and cycling["n_rows"] > 1000 and cycling["notes"]
    assert client.get(f"/api/measurements/{eis['id']}").json()["sha256"] == eis["sha256"]
    listed = {m["id"] for m in client.get("/api/measurements").json()["measurements"]}
    assert {eis["id"], cycling["id"]} <= listed


def test_fit_and_conductivity_equal_the_cli(client, capsys, monkeypatch):
    (m,) = upload(client, M60)
    api = client.post(f"/api/measurements/{m['id']}/fit", json={}).json()
    same(api, cli_json(capsys, monkeypatch, SERIES, "eis", "fit", M60.name))
    api = client.post(f"/api/measurements/{m['id']}/conductivity", json=GEOMETRY).json()
    cli = cli_json(capsys, monkeypatch, SERIES, "eis", "conductivity", M60.name,
                   "--thickness", "0.5 mm", "--diameter", "12 mm")  # fmt: skip
    same(api, cli)
    assert api[0]["sigma_bulk_S_m"] == pytest.approx(2.303e-4, rel=1e-3)


def test_arrhenius_over_the_pellet_series_equals_the_cli(client, capsys, monkeypatch):
    files = sorted(SERIES.glob("llzto_*.txt"))
    ids = [m["id"] for m in upload(client, *files)]
    lines = (SERIES / "temperatures.csv").read_text().splitlines()[1:]
    temps = dict(line.split(",") for line in lines)
    body = {"measurements": ids, "temperatures": [temps[f.name] for f in files],
            **GEOMETRY, "quantity": "bulk"}  # fmt: skip
    api = client.post("/api/arrhenius", json=body).json()
    cli = cli_json(capsys, monkeypatch, SERIES, "eis", "arrhenius", *[f.name for f in files],
                   "--thickness", "0.5 mm", "--diameter", "12 mm",
                   "--temperatures", "temperatures.csv", "--quantity", "bulk")  # fmt: skip
    same(api, cli)
    assert api["activation_energy_eV"] == pytest.approx(0.38, abs=0.005)


def test_symmetric_and_full_equal_the_cli(client, capsys, monkeypatch):
    sym, full = upload(client, SYMMETRIC, FULL)
    api = client.post(f"/api/measurements/{sym['id']}/symmetric", json={"diameter": "12 mm"})
    cli = cli_json(capsys, monkeypatch, SYMMETRIC.parent, "cycle", "symmetric", SYMMETRIC.name,
                   "--diameter", "12 mm")  # fmt: skip
    same(api.json(), cli)
    assert cli["short"]["detected"]
    options = {"loading": "1.9 mg/cm^2", "area": "1.13 cm^2", "nominal": "180 mAh/g"}
    api = client.post(f"/api/measurements/{full['id']}/full", json=options)
    argv = ["--loading", "1.9 mg/cm^2", "--area", "1.13 cm^2", "--nominal", "180 mAh/g"]
    cli = cli_json(capsys, monkeypatch, FULL.parent, "cycle", "full", FULL.name, *argv)
    same(api.json(), cli)


def test_kk_and_drt(client):
    (m,) = upload(client, ROOT / "examples" / "eis" / "biologic_peis_2loops.mpt")
    kk = client.post(f"/api/measurements/{m['id']}/kk").json()
    assert len(kk) == 2 and all(k["passed"] for k in kk)
    drt = client.post(f"/api/measurements/{m['id']}/drt", json={"lambda": "gcv"}).json()
    assert len(drt) == 2 and drt[0]["peaks"]
    bad = client.post(f"/api/measurements/{m['id']}/drt", json={"lambda": "-1"})
    assert bad.status_code == 422 and "--lambda" in bad.json()["detail"]


def test_bad_parameters_get_the_cli_message(client):
    (m,) = upload(client, M60)
    r = client.post(f"/api/measurements/{m['id']}/conductivity", json={"thickness": "0.5 mm"})
    assert r.status_code == 422 and r.json()["detail"] == "give exactly one of --diameter or --area"
    r = client.post(f"/api/measurements/{m['id']}/fit", json={"cell": "bogus"})
    assert r.status_code == 422 and r.json()["detail"].startswith("--cell 'bogus'")
    r = client.post(f"/api/measurements/{m['id']}/symmetric", json={"diameter": "12 mm"})
    assert r.status_code == 422 and "not a cycling file" in r.json()["detail"]
    assert client.get("/api/measurements/99999").status_code == 404


@pytest.mark.parametrize(
    "name", ["../evil.txt", "a/b.txt", "a\\b.txt", "/etc/passwd", "C:evil.txt", "x\x00y.txt", ".."]
)
def test_names_with_path_components_are_refused(client, name):
    # a raw body: httpx would percent-encode a NUL in the file name
    boundary = "ssblab-test-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        f"Content-Type: text/plain\r\n\r\n".encode()
        + M60.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    r = client.post("/api/upload", content=body, headers=headers)
    assert r.status_code == 400, (name, r.text)
    assert "\n" not in r.json()["detail"]


def test_oversize_foreign_and_empty_files(client):
    big = b"0" * (2 * 2**20 + 1)
    r = client.post("/api/upload", files=[("files", ("big.txt", big))])
    assert r.status_code == 413 and "upload limit" in r.json()["detail"]
    r = client.post("/api/upload", files=[("files", ("photo.jpg", b"\xff\xd8\xff\xe0JFIF\x00"))])
    assert r.status_code == 415
    assert r.json()["detail"] == "photo.jpg: not an impedance or cycling file of a known format"
    r = client.post("/api/upload", files=[("files", ("empty.txt", b""))])
    assert r.status_code == 415 and "empty" in r.json()["detail"]
    mixed = [("files", ("junk.bin", b"\x00\x01")), ("files", (M60.name, M60.read_bytes()))]
    r = client.post("/api/upload", files=mixed)
    assert r.status_code == 200
    assert [e["name"] for e in r.json()["errors"]] == ["junk.bin"]
    # refused files are deleted; parsed ones are kept (for reports) under raw/<id>/<name>
    folder = client.app.state.ssblab.upload_dir
    assert [p.name for p in folder.iterdir()] in ([], ["raw"])
    kept = {p for p in folder.rglob("*") if p.is_file()}
    records = client.app.state.ssblab.records.values()
    assert kept == {r.raw_path for r in records} and "junk.bin" not in {p.name for p in kept}


def test_exports(client):
    eis, cycling = upload(client, M60, SYMMETRIC)
    base = f"/api/measurements/{eis['id']}"
    assert client.get(f"{base}/export.csv").text.startswith("spectrum,frequency_Hz")
    assert client.get(f"{base}/export.json").json()["sha256"] == eis["sha256"]
    assert "Frequency / Hz" in client.get(f"{base}/export.bdf.csv").text.splitlines()[0]
    assert client.get(f"{base}/figure/nyquist.png").content[:4] == b"\x89PNG"
    assert b"<svg" in client.get(f"{base}/figure/bode.svg").content[:500]
    cyc = f"/api/measurements/{cycling['id']}"
    assert "Test Time / s" in client.get(f"{cyc}/export.bdf.csv").text.splitlines()[0]
    assert client.get(f"{cyc}/figure/voltage.png").status_code == 200
    assert client.get(f"{base}/figure/voltage.png").status_code == 422
    assert client.get(f"{base}/figure/nyquist.gif").status_code == 422


def test_batch_fit_zip(client):
    files = [("files", (p.name, p.read_bytes())) for p in sorted(SERIES.glob("llzto_*.txt"))]
    r = client.post("/api/batch/fit", files=files)
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(r.content))
    fits = json.loads(archive.read("fits.json"))
    assert [f["file"] for f in fits] == [f[1][0] for f in files]
    rows = archive.read("parameters.csv").decode().splitlines()
    assert rows[0].startswith("file,spectrum,circuit,parameter,value,stderr,unit")
    assert len(rows) == 1 + sum(len(f["parameters"]) for f in fits)


def test_simulate_kb_replicate(client):
    sim = client.post("/api/simulate", json={"cycles": 2})
    assert sim.status_code == 200 and sim.json()["trace"]["voltage_V"]
    assert client.post("/api/simulate", json={"parameter_set": "nope"}).status_code == 422
    kb = client.get("/api/kb/search", params={"q": "LLZO", "limit": 3}).json()
    assert kb["count"] >= 3 and len(kb["records"]) == 3
    assert client.get("/api/replicate/999").status_code == 422


def test_token_is_enforced():
    with TestClient(create_app(token="s3cret-token")) as c:
        assert c.get("/api/measurements").status_code == 401
        assert c.get("/", headers={"Authorization": "Bearer wrong"}).status_code == 401
        ok = c.get("/api/measurements", headers={"Authorization": "Bearer s3cret-token"})
        assert ok.status_code == 200
        assert c.get("/?token=s3cret-token").status_code == 200
        assert c.get("/api/measurements").status_code == 200  # the cookie set by the token URL


def test_upload_dir_is_private_and_removed_at_shutdown():
    app = create_app()
    with TestClient(app):
        folder = app.state.ssblab.upload_dir
        assert folder.is_dir() and (folder.stat().st_mode & 0o777) == 0o700
    assert not folder.exists()


def test_serve_refuses_a_public_host_without_token(capsys):
    assert run(["serve", "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --host 0.0.0.0: binding beyond loopback needs --token")
    assert err.count("\n") == 1


def test_replications_run_one_at_a_time_and_the_queue_is_bounded(monkeypatch):
    """Each (seed, lhs) request queues a replication; they run on one thread, and beyond
    MAX_QUEUED waiting ones a new request is refused (429) instead of starting more work."""
    import threading

    from ssblab.web import api_misc

    release, running, peak = threading.Event(), [], []

    def slow(state, key, lhs):
        running.append(key)
        peak.append(len(running))
        release.wait(10)
        with state.replicate_lock:
            state.replicate_cache[(key, lhs)] = {"status": "done", "seed": key}
            state.replicate_running.discard((key, lhs))
        running.remove(key)

    monkeypatch.setattr(api_misc, "_replicate", slow)
    with TestClient(create_app()) as c:
        codes = [c.get("/api/replicate/003", params={"lhs": n}).status_code
                 for n in range(api_misc.MAX_QUEUED)]  # fmt: skip
        assert codes == [202] * api_misc.MAX_QUEUED
        assert c.get("/api/replicate/003", params={"lhs": 0}).status_code == 202  # same job
        refused = c.get("/api/replicate/004")
        assert refused.status_code == 429 and "queued" in refused.json()["detail"]
        release.set()
        state = c.app.state.ssblab
        state.replicator().shutdown(wait=True)
        assert max(peak) == 1 and not state.replicate_running


def test_result_downloads_are_the_shown_results(client):
    """fit.csv/json and conductivity.csv/json hold the analysis results (the links beside
    the results on the page), equal to the POSTed analyses; figures download as files."""
    import csv

    (m,) = upload(client, M60)
    mid = m["id"]
    shown = client.post(f"/api/measurements/{mid}/fit", json={"circuit": "auto"}).json()
    got = client.get(f"/api/measurements/{mid}/fit.json", params={"circuit": "auto"})
    assert got.headers["content-disposition"].startswith("attachment;")
    _same(got.json(), shown)
    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/api/measurements/{mid}/fit.csv").text)))  # fmt: skip
    assert len(rows) == len(shown[0]["parameters"])
    for row in rows:
        assert float(row["value"]) == pytest.approx(shown[0]["parameters"][row["parameter"]])

    sigma = client.post(f"/api/measurements/{mid}/conductivity", json=GEOMETRY).json()
    text = client.get(f"/api/measurements/{mid}/conductivity.csv", params=GEOMETRY).text
    table = list(csv.DictReader(io.StringIO(text)))
    assert float(table[0]["sigma_total_S_cm"]) == pytest.approx(
        sigma[0]["sigma_total_S_m"] / 100, rel=1e-12)  # fmt: skip
    bad = client.get(f"/api/measurements/{mid}/conductivity.xml", params=GEOMETRY)
    assert bad.status_code == 422 and "csv or json" in bad.json()["detail"]

    fragment = client.post(f"/fragments/{mid}/fit", data={"circuit": "auto"}).text
    assert f"/api/measurements/{mid}/fit.csv?circuit=auto" in fragment
    svg = client.get(f"/api/measurements/{mid}/figure/nyquist.svg")
    assert svg.status_code == 200 and "attachment" in svg.headers["content-disposition"]


def _same(a, b):
    if isinstance(a, dict):
        assert set(a) == set(b)
        for k in a:
            _same(a[k], b[k])
    elif isinstance(a, list):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _same(x, y)
    elif isinstance(a, float):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-300)  # the auto fit's runner-up bits
    else:
        assert a == b
