"""Downloads of analysis results (not the raw table): a fit's parameters and a conductivity's
σ rows, as CSV (one row per parameter / spectrum, units in the headers) or as the CLI's
``--json``. The options travel in the query string, so a result link on the page reproduces
exactly the result shown beside it (the analyses are deterministic)."""

from __future__ import annotations

import csv
import io
import json

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ssblab.errors import SsblabInputError
from ssblab.web import analyses, models
from ssblab.web.api_batch import parameters_csv
from ssblab.web.api_measurements import ERRORS, _download, _stem, state_of

router = APIRouter(prefix="/api", tags=["result downloads"])

#: σ columns of the conductivity CSV: (header with units, payload key, factor SI → shown)
SIGMA_COLUMNS = (
    ("sigma_bulk_S_cm", "sigma_bulk_S_m", 1e-2),
    ("sigma_bulk_err_S_cm", "sigma_bulk_err_S_m", 1e-2),
    ("sigma_total_S_cm", "sigma_total_S_m", 1e-2),
    ("sigma_total_err_S_cm", "sigma_total_err_S_m", 1e-2),
    ("sigma_gb_specific_S_cm", "sigma_gb_specific_S_m", 1e-2),
    ("asr_per_interface_ohm_cm2", "asr_per_interface_ohm_m2", 1e4),
    ("asr_err_ohm_cm2", "asr_err_ohm_m2", 1e4),
)


def _suffix(fmt: str) -> str:
    if fmt not in ("csv", "json"):
        raise SsblabInputError(f"result format {fmt!r}: use csv or json")
    return fmt


def _json(payload, name: str) -> Response:
    body = json.dumps(payload, ensure_ascii=False, indent=2).encode()
    return _download(body, name, "application/json")


@router.get("/measurements/{measurement_id}/fit.{fmt}", responses=ERRORS)
def fit_download(
    request: Request,
    measurement_id: int,
    fmt: str,
    circuit: str = Query("auto", max_length=200),
    cell: str | None = Query(None, max_length=20),
    weighting: str = Query("modulus", max_length=20),
) -> Response:
    """The fit of every spectrum: ``parameters`` CSV (value, stderr, unit per parameter) or
    ``ssblab eis fit --json``."""
    kind = _suffix(fmt)
    req = models.FitRequest(circuit=circuit, cell=cell or None, weighting=weighting)
    items = analyses.fit(state_of(request), measurement_id, req)
    stem = _stem(state_of(request).get(measurement_id))
    if kind == "json":
        return _json(items, f"{stem}_fit.json")
    return _download(parameters_csv(items).encode(), f"{stem}_fit.csv", "text/csv")


@router.get("/measurements/{measurement_id}/conductivity.{fmt}", responses=ERRORS)
def conductivity_download(
    request: Request,
    measurement_id: int,
    fmt: str,
    thickness: str = Query(max_length=100),
    diameter: str | None = Query(None, max_length=100),
    area: str | None = Query(None, max_length=100),
    circuit: str = Query("auto", max_length=200),
    cell: str = Query("pellet", max_length=20),
) -> Response:
    """σ bulk/total/gb and ASR per spectrum (S/cm, Ω·cm²) or ``ssblab eis conductivity
    --json``."""
    kind = _suffix(fmt)
    req = models.ConductivityRequest(
        thickness=thickness, diameter=diameter or None, area=area or None,
        circuit=circuit, cell=cell,
    )  # fmt: skip
    rows = analyses.conductivity(state_of(request), measurement_id, req)
    stem = _stem(state_of(request).get(measurement_id))
    if kind == "json":
        return _json(rows, f"{stem}_conductivity.json")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["file", "spectrum", "circuit", "thickness_m", "area_m2",
                     *(h for h, _, _ in SIGMA_COLUMNS), "warnings"])  # fmt: skip
    for row in rows:
        values = [row.get(key) for _, key, _ in SIGMA_COLUMNS]
        shown = ["" if v is None else repr(v * f) for v, (_, _, f) in zip(values, SIGMA_COLUMNS,
                                                                       strict=True)]  # fmt: skip
        writer.writerow([row["file"], row["spectrum"], row["circuit"], repr(row["thickness_m"]),
                         repr(row["area_m2"]), *shown, " | ".join(row["warnings"])])  # fmt: skip
    return _download(out.getvalue().encode(), f"{stem}_conductivity.csv", "text/csv")
