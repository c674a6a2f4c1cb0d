"""Upload, list and export measurements (``/api/upload``, ``/api/measurements…``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from ssblab.errors import SsblabError, SsblabInputError
from ssblab.web import models
from ssblab.web.analyses import clean
from ssblab.web.state import AppState, Record
from ssblab.web.uploads import save

router = APIRouter(prefix="/api", tags=["measurements"])
ERRORS = {code: {"model": models.Error} for code in (400, 404, 413, 415, 422)}
FIGURES = ("nyquist", "bode", "drt", "voltage", "asr")


def state_of(request: Request) -> AppState:
    return request.app.state.ssblab


async def store_uploads(state: AppState, files: list[UploadFile]) -> tuple[list, list]:
    """(records, [(name, typed error)]): each file saved to the private folder, parsed (or
    ingested into the workspace); a parsed file is kept under ``raw/`` for reports, a failed
    one deleted."""
    from starlette.concurrency import run_in_threadpool

    records, errors = [], []
    for upload in files:
        name = upload.filename or ""
        try:
            path = await save(upload, state.upload_dir, state.max_upload_bytes)
        except SsblabInputError as exc:
            errors.append((name, exc))
            continue
        try:
            if state.workspace is not None:  # the catalogue's record, under its id
                record = await run_in_threadpool(state.ingest, path, name)
            else:
                record = await run_in_threadpool(state.add, path.read_bytes(), name, path)
            records.append(record)
        except SsblabError as exc:
            errors.append((name, exc))
        finally:
            path.unlink(missing_ok=True)
    return records, errors


@router.post("/upload", response_model=models.UploadResult, responses=ERRORS)
async def upload(
    request: Request, files: Annotated[list[UploadFile], File(description="one or many files")]
):
    """Parse each file with the CLI's readers; a file that fails is listed under ``errors``
    (all failing: the first error's status and message)."""
    from ssblab.web.app import error_detail, status_of

    records, errors = await store_uploads(state_of(request), files)
    if errors and not records:
        first = errors[0][1]
        return JSONResponse({"detail": error_detail(first)}, status_code=status_of(first))
    return {
        "measurements": [r.summary() for r in records],
        "errors": [{"name": n, "error": error_detail(e)} for n, e in errors],
    }


@router.get("/measurements", response_model=models.MeasurementList)
def measurements(request: Request):
    state = state_of(request)
    return {
        "measurements": [r.summary() for r in state.records.values()],
        "workspace": None if state.workspace is None else str(state.workspace.path),
    }


@router.get("/measurements/{measurement_id}", response_model=models.Measurement, responses=ERRORS)
def measurement(request: Request, measurement_id: int):
    return state_of(request).get(measurement_id).summary()


def _stem(record: Record) -> str:
    return Path(record.name).name.split(".")[0] or "measurement"


@router.get("/measurements/{measurement_id}/export.csv", responses=ERRORS)
def export_csv(request: Request, measurement_id: int) -> Response:
    """The tidy table (SI units in the column names) as CSV."""
    record = state_of(request).get(measurement_id)
    text = record.frame.to_csv(index=False, float_format="%.17g")
    return _download(text.encode(), f"{_stem(record)}.csv", "text/csv")


@router.get("/measurements/{measurement_id}/export.json", responses=ERRORS)
def export_json(request: Request, measurement_id: int) -> Response:
    """Summary, reader metadata and the tidy table (columns → lists)."""
    record = state_of(request).get(measurement_id)
    payload = {
        **record.summary(),
        "metadata": record.metadata,
        "table": {c: record.frame[c].tolist() for c in record.frame.columns},
    }
    body = json.dumps(clean(payload), ensure_ascii=False, default=str).encode()
    return _download(body, f"{_stem(record)}.json", "application/json")


@router.get("/measurements/{measurement_id}/export.bdf.csv", responses=ERRORS)
def export_bdf(request: Request, measurement_id: int) -> Response:
    """Battery Data Format CSV, as ``ssblab export --bdf`` writes it."""
    from ssblab.workspace import bdf

    record = state_of(request).get(measurement_id)
    cell = record.sample or "unassigned"
    test = f"m{record.id}-{bdf._safe(_stem(record))}"
    if record.kind == "cycling":
        frame = bdf.cycling_frame(record.frame, cell, test, record.metadata)
    else:
        frame = bdf.eis_frame(record.frame, cell, test)
    text = frame.to_csv(index=False, float_format="%.17g")
    return _download(text.encode(), f"{test}.bdf.csv", "text/csv")


@router.get("/measurements/{measurement_id}/figure/{figure}.{suffix}", responses=ERRORS)
def figure(request: Request, measurement_id: int, figure: str, suffix: str) -> Response:
    """A matplotlib figure as the CLI's ``--plot`` draws it (png or svg)."""
    if suffix not in ("png", "svg"):
        raise SsblabInputError(f"figure type {suffix!r}: use png or svg")
    if figure not in FIGURES:
        raise SsblabInputError(f"figure {figure!r}: use {', '.join(FIGURES)}")
    state = state_of(request)
    record = state.get(measurement_id)
    need = "eis" if figure in ("nyquist", "bode", "drt") else "cycling"
    record.need(need)
    import tempfile

    with state.figure_lock, tempfile.TemporaryDirectory(dir=state.upload_dir) as folder:
        path = Path(folder) / f"{_stem(record)}_{figure}.{suffix}"
        _draw(record, figure, path)
        body = path.read_bytes()
    media = "image/png" if suffix == "png" else "image/svg+xml"
    return _download(body, path.name, media)


def _draw(record: Record, figure: str, path: Path) -> None:
    if figure in ("voltage", "asr"):
        from ssblab.cycling import figures
        from ssblab.payloads.cycling import symmetric_analysis

        # the figures show the symmetric-cell analysis (ASR per half-cycle); the area only
        # scales ASR, so 1 cm² stands in when none is known
        _, result, _ = symmetric_analysis(record.cycling, record.name, 1e-4, force=True)
        if figure == "voltage":
            figures.voltage_time(record.cycling.table, result, path, title=record.name)
        else:
            figures.asr_time(result, path, title=record.name)
        return
    from ssblab.impedance import figures
    from ssblab.payloads.eis import about

    spectrum = record.spectra[0]
    f, z = spectrum.frequency_hz, spectrum.impedance_ohm
    with about(spectrum):
        if figure == "nyquist":
            figures.nyquist(f, z, path, title=record.name)
        elif figure == "bode":
            figures.bode(f, z, path, title=record.name)
        else:
            from ssblab.impedance.drt import drt

            figures.drt_plot(drt(f, z), path, title=record.name)


def _download(body: bytes, filename: str, media: str) -> Response:
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in filename)
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{safe}"'}
    )
