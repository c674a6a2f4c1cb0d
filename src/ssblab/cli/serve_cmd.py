"""``ssblab serve``: the local web app (:mod:`ssblab.web`) under uvicorn.

Local-first: it binds 127.0.0.1 unless told otherwise, and any other address needs ``--token``
(every request then carries ``Authorization: Bearer TOKEN``, or opens ``/?token=TOKEN`` once in
a browser, which sets a cookie). fastapi and uvicorn load inside the command, never at CLI
start-up (``benchmarks/startup.py``).
"""

from __future__ import annotations

import ipaddress
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ssblab.errors import SsblabInputError

MAX_UPLOAD_LIMIT_BYTES = 64 * 2**30  # a bigger cap is a typo (and would defeat the cap)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def upload_limit(text: str) -> int:
    """``--max-upload "200 MB"`` in bytes (decimal and binary prefixes, via pint)."""
    from ssblab.units import bounded_si

    value = bounded_si(text, "byte", "--max-upload", low=1.0, high=MAX_UPLOAD_LIMIT_BYTES)
    return int(value)


def serve_cmd(
    workspace: Annotated[
        Path | None, typer.Option("--workspace", "-w", help="Workspace folder (else in memory).")
    ] = None,
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0: any free port).")] = 8765,
    token: Annotated[
        str | None, typer.Option(help="Require this token (needed off loopback).")
    ] = None,
    max_upload: Annotated[
        str, typer.Option(help='Largest upload (one request: a file or a batch), e.g. "200 MB".')
    ] = ("200 MB"),
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the address as JSON once listening.")
    ] = False,
) -> None:
    """Serve the web app: upload, fit, σ, E_a, ASR, CCD, export — the CLI's numbers."""
    if not is_loopback(host) and not token:
        raise SsblabInputError(
            f"--host {host}: binding beyond loopback needs --token (anyone who can reach the "
            "port could read and upload data)"
        )
    if token is not None and len(token) < 8:
        raise SsblabInputError("--token must be at least 8 characters")
    if not 0 <= port <= 65535:
        raise SsblabInputError(f"--port must lie in [0, 65535], got {port}")
    limit = upload_limit(max_upload)
    if workspace is not None and not (workspace / "workspace.json").is_file():
        raise SsblabInputError(f"--workspace {workspace}: not a workspace (ssblab workspace init)")
    import socket

    import uvicorn

    from ssblab.web.app import create_app

    app = create_app(workspace, token=token, max_upload_bytes=limit)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise SsblabInputError(
            f"--host {host} --port {port}: cannot bind: {exc.strerror}"
        ) from None
    bound = sock.getsockname()[1]
    url = f"http://{host if ':' not in host else f'[{host}]'}:{bound}/"
    if json_output:
        info = {"url": url, "host": host, "port": bound, "workspace": workspace and str(workspace),
                "token_required": token is not None, "max_upload_bytes": limit}  # fmt: skip
        sys.stdout.write(json.dumps(info) + "\n")
    else:
        sys.stdout.write(f"ssblab serving {url}" + (" (token required)" if token else "") + "\n")
    sys.stdout.flush()
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])
