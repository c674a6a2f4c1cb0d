"""HTTP-level robustness of the web app against a real uvicorn on loopback (httpx).

* an upload over the size cap (the server started with a 1 MB cap) is refused with 413 — with
  and without a Content-Length — and the server keeps serving;
* file names with path components or traversal (``../x.mpt``, ``/etc/passwd``, ``a\\b``, a NUL
  byte…) are refused with 400, whatever the content;
* foreign or malformed files (a PNG, random bytes, an empty file, text that is no table) and
  malformed requests get a 4xx whose JSON ``detail`` is one line — never a 500;
* ``ssblab serve --host 0.0.0.0`` without ``--token`` exits 2 with one line and no traceback;
  with ``--token`` a request without the token gets 401/403, with it 200;
* once the server has stopped, its private upload directory (under its own ``TMPDIR``) is gone.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from web_server import start_server  # noqa: E402

CAP = 2**20  # 1 MiB
EIS = ROOT / "examples" / "eis" / "zplot_measured.z"
PNG = (  # a 1×1 PNG
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81"
    b"\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)
BOUNDARY = "ssblab-test-boundary-7d3f"


@pytest.fixture(scope="module")
def capped(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("web-capped"), max_upload_bytes=CAP)
    yield server
    server.stop()


def client(server, **kwargs) -> httpx.Client:
    return httpx.Client(base_url=server.url, timeout=60, **kwargs)


def multipart(parts: list[tuple[bytes, bytes]]) -> bytes:
    """A multipart/form-data body of ``files`` parts from raw (file name, content) bytes."""
    body = b""
    for name, content in parts:
        body += (
            f"--{BOUNDARY}\r\n".encode()
            + b'Content-Disposition: form-data; name="files"; filename="'
            + name
            + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
            + content
            + b"\r\n"
        )
    return body + f"--{BOUNDARY}--\r\n".encode()


def post_raw(server, body, **headers) -> httpx.Response:
    with client(server) as c:
        return c.post(
            "/api/upload",
            content=body,
            headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", **headers},
        )


def one_line_detail(response: httpx.Response) -> str:
    assert response.headers.get("content-type", "").startswith("application/json"), (
        response.status_code,
        response.headers.get("content-type"),
        response.text[:300],
    )
    detail = response.json().get("detail")
    assert isinstance(detail, str) and detail.strip(), response.text[:300]
    assert "\n" not in detail.strip() and "Traceback" not in detail, detail
    return detail


def still_serving(server) -> None:
    with client(server) as c:
        assert c.get("/api/measurements").status_code == 200
    assert server.alive()


# ------------------------------------------------------------------------------------ size cap


def test_oversize_upload_is_413(capped):
    big = np.random.default_rng(0).bytes(CAP + CAP // 2)
    with client(capped) as c:
        response = c.post("/api/upload", files=[("files", ("big.csv", big))])
    assert response.status_code == 413, response.text[:300]
    one_line_detail(response)
    still_serving(capped)


def test_oversize_upload_without_content_length_is_413(capped):
    body = multipart([(b"big.csv", np.random.default_rng(1).bytes(CAP + CAP // 2))])

    def chunks():  # chunked transfer: the cap cannot trust a Content-Length
        for i in range(0, len(body), 64 * 1024):
            yield body[i : i + 64 * 1024]

    try:
        response = post_raw(capped, chunks())
    except httpx.TransportError:  # refused before the whole body was sent: no answer to read
        response = None
    if response is not None:
        assert response.status_code == 413, response.text[:300]
    still_serving(capped)


def test_the_cap_is_applied_while_reading_not_after(capped):
    """A client that announces 50 MB gets its 413 once the cap is passed: the server does not
    read (and spool to disk) the whole body first."""
    declared = 50 * 2**20
    head = (
        f"POST /api/upload HTTP/1.1\r\nHost: 127.0.0.1:{capped.port}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
        f"Content-Length: {declared}\r\n\r\n"
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="files"; filename="huge.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    chunk = b"1,2,3\n" * 10_000
    answer = b""
    with socket.create_connection(("127.0.0.1", capped.port), timeout=10) as sock:
        try:
            sock.sendall(head)
            sent = 0
            while sent < 3 * CAP:  # three times the cap, then wait for the answer
                sock.sendall(chunk)
                sent += len(chunk)
            answer = sock.recv(4096)
        except (BrokenPipeError, ConnectionResetError):
            try:
                answer = sock.recv(4096)
            except OSError:
                answer = b"(connection reset: refused before the body ended)"
        except TimeoutError:
            pytest.fail(
                f"no answer 10 s after {3 * CAP} bytes of a {declared}-byte upload with a "
                f"{CAP}-byte cap: the server reads the whole body before applying the cap"
            )
    assert answer.startswith(b"HTTP/1.1 413") or answer.startswith(b"(connection reset"), answer
    still_serving(capped)


# ------------------------------------------------------------------------------------ names

TRAVERSAL = [
    b"../x.mpt",
    b"../../etc/passwd",
    b"/etc/passwd",
    b"a\\b.mpt",
    b"x\x00.mpt",
    b"sub/x.mpt",
    b"..",
    b".",
    b"x\x1b.mpt",
]


@pytest.mark.parametrize("name", TRAVERSAL, ids=[n.decode("latin-1") for n in TRAVERSAL])
def test_path_names_are_rejected(capped, name):
    response = post_raw(capped, multipart([(name, EIS.read_bytes())]))
    assert response.status_code == 400, (name, response.status_code, response.text[:300])
    one_line_detail(response)


def test_a_windows_path_is_refused_or_cut_to_its_base_name(capped):
    # python-multipart itself cuts an IE-style "C:\\…\\x.mpt" to "x.mpt" before the app sees it
    response = post_raw(capped, multipart([(b"C:\\Windows\\win.z", EIS.read_bytes())]))
    if response.status_code == 400:
        one_line_detail(response)
    else:
        assert response.status_code == 200, response.text[:300]
        assert [m["name"] for m in response.json()["measurements"]] == ["win.z"]


def test_path_names_in_a_batch_are_refused_and_the_good_files_kept(capped):
    # a batch reports each failing file under "errors" (200 while one file succeeds)
    response = post_raw(
        capped, multipart([(b"good.z", EIS.read_bytes()), (b"../bad.z", EIS.read_bytes())])
    )
    if response.status_code == 400:
        one_line_detail(response)
        return
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    assert [m["name"] for m in body["measurements"]] == ["good.z"]
    assert [e["name"] for e in body["errors"]] == ["../bad.z"]
    assert "\n" not in body["errors"][0]["error"].strip()
    with client(capped) as c:
        names = [m["name"] for m in c.get("/api/measurements").json()["measurements"]]
    assert not any("/" in n or "\\" in n or n.startswith("..") for n in names), names


def test_a_plain_name_is_accepted(capped):
    response = post_raw(capped, multipart([(b"plain_name.z", EIS.read_bytes())]))
    assert response.status_code == 200, response.text[:300]


# ------------------------------------------------------------------------- foreign content

FOREIGN = {
    "image.png": PNG,
    "random.bin": np.random.default_rng(2).bytes(4096),
    "random.mpt": np.random.default_rng(3).bytes(4096),
    "empty.csv": b"",
    "notes.txt": b"these are my lab notes, not a measurement\nsecond line\n",
    "half.csv": b"frequency,Z_re,Z_im\n1000,1",
    "nul.csv": b"\x00" * 1000,
}


@pytest.mark.parametrize("name", list(FOREIGN))
def test_foreign_files_are_4xx_with_one_line(capped, name):
    with client(capped) as c:
        response = c.post("/api/upload", files=[("files", (name, FOREIGN[name]))])
    assert 400 <= response.status_code < 500, (name, response.status_code, response.text[:300])
    # the CLI's form: "<file>: <reason>" on one line
    assert one_line_detail(response).startswith(f"{name}: "), response.text[:300]


MALFORMED = {
    "no boundary": ({"Content-Type": "multipart/form-data"}, b"--x\r\n\r\n"),
    "garbage body": ({}, b"this is not multipart at all"),
    "truncated": ({}, multipart([(b"t.z", b"1,2,3")])[:-20]),
    "json instead": ({"Content-Type": "application/json"}, b'{"files": 1}'),
    "no files field": (
        {},
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n'
        f"--{BOUNDARY}--\r\n".encode(),
    ),
    "long name": ({}, multipart([(b"a" * 5000 + b".z", EIS.read_bytes())])),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_requests_are_4xx(capped, case):
    headers, body = MALFORMED[case]
    response = post_raw(capped, body, **headers)
    assert 400 <= response.status_code < 500, (case, response.status_code, response.text[:300])


@pytest.mark.parametrize(
    "path",
    [
        "/api/measurements/does-not-exist/fit",
        "/api/measurements/..%2F..%2Fetc%2Fpasswd/fit",
        "/api/measurements/0/conductivity",
    ],
)
def test_unknown_measurements_are_404_not_500(capped, path):
    with client(capped) as c:
        response = c.post(path, json={})
    assert 400 <= response.status_code < 500, (path, response.status_code, response.text[:300])


# -------------------------------------------------------------------------- serve and token


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ssblab(*args: str, env=None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "ssblab.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env={**os.environ, **(env or {})},
        start_new_session=True,
        **kwargs,
    )


def test_serve_on_a_public_host_without_token_exits_2():
    process = _ssblab("serve", "--host", "0.0.0.0", "--port", str(_free_port()))
    try:
        out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail("ssblab serve --host 0.0.0.0 without --token started serving")
    assert process.returncode == 2, (process.returncode, out, err)
    lines = [line for line in (out + err).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "Traceback" not in err and "token" in lines[0].lower(), lines


def test_token_is_required_and_uploads_are_cleaned(tmp_path):
    token = "s3cret-token-for-tests"
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    port = _free_port()
    process = _ssblab(
        "serve", "--host", "127.0.0.1", "--port", str(port), "--token", token,
        env={"TMPDIR": str(tmpdir), "OMP_NUM_THREADS": "1"},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.communicate()
            try:
                httpx.get(url + "/openapi.json", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "ssblab serve did not answer in 60 s"
                time.sleep(0.2)
        with httpx.Client(base_url=url, timeout=60) as c:
            for path in ("/api/measurements", "/"):
                response = c.get(path)
                assert response.status_code in (401, 403), (path, response.status_code)
            response = c.get("/api/measurements", headers={"Authorization": "Bearer wrong"})
            assert response.status_code in (401, 403)
            response = c.post("/api/upload", files=[("files", (EIS.name, EIS.read_bytes()))])
            assert response.status_code in (401, 403)
        auth = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=url, timeout=60, headers=auth) as c:
            assert c.get("/api/measurements").status_code == 200
            response = c.post("/api/upload", files=[("files", (EIS.name, EIS.read_bytes()))])
            assert response.status_code == 200, response.text[:300]
        private = [p for p in tmpdir.iterdir() if p.is_dir()]
        assert private, "the server's private upload folder is not under its TMPDIR"
        assert all(p.stat().st_mode & 0o077 == 0 for p in private), "not private (mode)"
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.communicate()
    leftovers = sorted(p.relative_to(tmpdir).as_posix() for p in tmpdir.rglob("*"))
    assert leftovers == [], f"left in the server's TMPDIR after it stopped: {leftovers}"


# ---------------------------------------------------------------------------------- load


def test_a_burst_of_concurrent_users_gets_no_error(capped):
    # benchmarks/web_load.py in small: 10 users at once, each uploading and fitting a spectrum
    import asyncio

    from web_load import run_load, summarise

    recorder, wall = asyncio.run(run_load(capped.url, 10, 1, cycling=False, timeout=120))
    report = summarise(recorder, wall, 10, 1)
    assert report["requests"] == 20 and report["errors"] == 0, report["first_errors"]
    still_serving(capped)
