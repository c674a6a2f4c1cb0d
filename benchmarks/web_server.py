"""A real uvicorn serving ssblab's web app on loopback, in a subprocess.

Shared by the web tests (``tests/web/conftest.py``: browser, robustness and schema tests) and
``benchmarks/web_load.py``. The child process binds ``127.0.0.1`` on port 0 itself (no race for
a free port), writes the port to a file, builds the app with
``ssblab.web.app.create_app(workspace=None, token=…, max_upload_bytes=…)`` and serves it with
``uvicorn.Server(...).run(sockets=[sock])``. Its ``TMPDIR`` is a folder of its own, so a test can
check that the app's private upload directory is gone once the server has stopped. The server
runs in its own process group and is stopped with SIGTERM (uvicorn's graceful shutdown, which
runs the app's lifespan shutdown), then SIGKILL after a timeout.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

LOOPBACK = "127.0.0.1"
FACTORY = "ssblab.web.app:create_app"

_LAUNCH = r"""
import importlib, json, socket, sys
from pathlib import Path

import uvicorn

opts = json.loads(sys.argv[1])
module, _, name = opts["factory"].partition(":")
app = getattr(importlib.import_module(module), name)(**opts["app"])
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind((opts["host"], 0))
sock.listen(opts["backlog"])
Path(opts["port_file"]).write_text(str(sock.getsockname()[1]))
config = uvicorn.Config(
    app,
    log_level=opts["log_level"],
    timeout_graceful_shutdown=5,
    backlog=opts["backlog"],
    limit_concurrency=None,
)
uvicorn.Server(config).run(sockets=[sock])
"""


@dataclass
class LiveServer:
    """A running server: its origin (``url``), process, private ``TMPDIR`` and log file."""

    url: str
    process: subprocess.Popen
    tmpdir: Path
    log: Path
    token: str | None = None

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 15.0) -> int:
        """SIGTERM (graceful), then SIGKILL of the server's process group; its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        return self.process.returncode


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True  # any HTTP status (a 401 with a token) means it is serving
    except (urllib.error.URLError, OSError):
        return False


def start_server(
    workdir: Path,
    *,
    max_upload_bytes: int | None = None,
    token: str | None = None,
    workspace: Path | None = None,
    log_level: str = "warning",
    backlog: int = 2048,
    timeout: float = 90.0,
    env: dict[str, str] | None = None,
    factory: str = FACTORY,
) -> LiveServer:
    """Start uvicorn with ``create_app`` in a subprocess and wait until it answers HTTP."""
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    tmpdir = workdir / "tmp"
    tmpdir.mkdir(exist_ok=True)
    port_file = workdir / "port"
    port_file.unlink(missing_ok=True)
    log = workdir / "server.log"
    app_kwargs: dict = {"workspace": str(workspace) if workspace else None}
    if token is not None:
        app_kwargs["token"] = token
    if max_upload_bytes is not None:
        app_kwargs["max_upload_bytes"] = max_upload_bytes
    opts = {
        "factory": factory,
        "app": app_kwargs,
        "host": LOOPBACK,
        "port_file": str(port_file),
        "log_level": log_level,
        "backlog": backlog,
    }
    child_env = {
        **os.environ,
        "TMPDIR": str(tmpdir),
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", _LAUNCH, json.dumps(opts)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=child_env,
            start_new_session=True,
        )
    server = LiveServer("", process, tmpdir, log, token)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the web server exited with {process.returncode} before serving:\n"
                + server.log_tail()
            )
        if port_file.exists() and port_file.read_text().strip():
            server.url = f"http://{LOOPBACK}:{int(port_file.read_text())}"
            if _answers(server.url + "/openapi.json"):
                return server
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"the web server did not answer within {timeout:g} s:\n{server.log_tail()}")
