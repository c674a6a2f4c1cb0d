"""``create_app``: ssblab's local web app (``ssblab serve``).

Server-rendered pages (Jinja2 + htmx, Plotly from the installed package: no CDN) over a JSON
API whose numbers are the CLI's ``--json`` numbers (both call :mod:`ssblab.payloads`).

Errors: ssblab's typed exceptions become 4xx with the CLI's one-line message in ``detail``
(unknown id 404, bad file name 400, too large 413, unreadable file 415, other bad input 422);
anything else is a bug, logged, and answered 500 with one line.
"""

from __future__ import annotations

import hmac
import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from ssblab import __version__
from ssblab.errors import SsblabError, SsblabInputError
from ssblab.web.limits import BodyLimit
from ssblab.web.state import AppState, UnknownMeasurement
from ssblab.web.uploads import BadName, TooLarge

HERE = Path(__file__).parent
TOKEN_COOKIE = "ssblab_token"
log = logging.getLogger("ssblab.web")


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def status_of(exc: SsblabError) -> int:
    from ssblab.errors import FileFormatError
    from ssblab.workspace.readers import UnreadableFile

    if isinstance(exc, UnknownMeasurement):
        return 404
    if isinstance(exc, BadName):
        return 400
    if isinstance(exc, TooLarge):
        return 413
    if isinstance(exc, (UnreadableFile, FileFormatError)):
        return 415
    return 422


def error_detail(exc: SsblabError) -> str:
    if isinstance(exc, SsblabInputError):
        return one_line(exc)
    return f"{type(exc).__name__}: {one_line(exc)}"  # a computation failing on valid input


def _plotly_js() -> bytes:
    from importlib.resources import files

    return (files("plotly") / "package_data" / "plotly.min.js").read_bytes()


def create_app(
    workspace: str | Path | None = None,
    token: str | None = None,
    max_upload_bytes: int = 200 * 2**20,
) -> FastAPI:
    """The app; ``workspace`` a workspace folder (else an in-memory session), ``token`` required
    on every request when given, ``max_upload_bytes`` the cap of one request's body (one file
    or a batch together; :mod:`ssblab.web.limits`)."""
    if max_upload_bytes <= 0:
        raise SsblabInputError(f"the upload limit must be > 0 bytes, got {max_upload_bytes}")
    state = AppState(workspace, max_upload_bytes)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        try:
            yield
        finally:
            state.close()  # the upload folder and the batch workers go with the server

    app = FastAPI(
        title="ssblab",
        version=__version__,
        lifespan=lifespan,
        description="Impedance and cycling analyses of solid-state battery data: the numbers "
        "of `ssblab … --json`.",
    )
    app.state.ssblab = state
    plotly_js = _plotly_js()

    @app.exception_handler(SsblabError)
    async def _typed(request: Request, exc: SsblabError) -> JSONResponse:
        return JSONResponse({"detail": error_detail(exc)}, status_code=status_of(exc))

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        log.exception("internal error on %s %s", request.method, request.url.path)
        return JSONResponse(
            {"detail": f"internal error: {type(exc).__name__}: {one_line(exc)}"}, status_code=500
        )

    @app.middleware("http")
    async def _guard(request: Request, call_next):
        if token is None:
            return await call_next(request)
        given = request.query_params.get("token")
        header = request.headers.get("authorization", "")
        candidates = [given, request.cookies.get(TOKEN_COOKIE)]
        if header.lower().startswith("bearer "):
            candidates.append(header[7:].strip())
        if not any(c is not None and hmac.compare_digest(c, token) for c in candidates):
            return JSONResponse(
                {"detail": "a token is required: Authorization: Bearer TOKEN or ?token=TOKEN"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        response = await call_next(request)
        if given is not None:  # a token URL opened in a browser: later requests carry it
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return response

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly() -> Response:
        return Response(
            plotly_js,
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    from ssblab.web import (
        api_analyses,
        api_batch,
        api_measurements,
        api_misc,
        api_report,
        api_results,
        pages,
    )

    for module in (
        api_measurements,
        api_analyses,
        api_results,
        api_report,
        api_batch,
        api_misc,
        pages,
    ):
        app.include_router(module.router)
    # outermost: the body is counted before any other layer reads it
    app.add_middleware(BodyLimit, limit_bytes=max_upload_bytes)
    return app
