"""HTML pages and the htmx fragments they swap in. A fragment calls the same function as the
JSON route (:mod:`ssblab.web.analyses`), so the page shows the ``--json`` numbers; a bad
parameter comes back as the fragment's one-line error (status 200, so htmx swaps it in)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from ssblab.errors import SsblabError
from ssblab.web import analyses, models, plots
from ssblab.web.api_measurements import state_of, store_uploads

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
Opt = Annotated[str | None, Form()]


def _fmt(value, digits: int = 4) -> str:
    """The CLI's number format; "–" for what a payload does not hold."""
    from ssblab.cli.output import fmt

    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return "–"
    return fmt(value, digits)


templates.env.filters["fmt"] = _fmt
templates.env.filters["tojson_attr"] = lambda v: json.dumps(v, allow_nan=False)


def page(request: Request, name: str, **context) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context)


def failure(request: Request, exc: Exception) -> HTMLResponse:
    from ssblab.web.app import error_detail

    if isinstance(exc, ValidationError):
        message = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
    else:
        message = error_detail(exc)
    return page(request, "error.html", message=message)


def _blank(value: str | None) -> str | None:
    return value if value and value.strip() else None


# ------------------------------------------------------------------------------- upload
@router.get("/", response_class=HTMLResponse)
def index(request: Request):
    state = state_of(request)
    return page(request, "index.html", records=list(state.records.values()), errors=[],
                samples=state.samples())  # fmt: skip


@router.post("/fragments/upload", response_class=HTMLResponse)
async def upload_fragment(request: Request, files: Annotated[list[UploadFile], File()]):
    from ssblab.web.app import error_detail

    state = state_of(request)
    _, errors = await store_uploads(state, files)
    shown = [(name, error_detail(exc)) for name, exc in errors]
    return page(request, "measurement_list.html", records=list(state.records.values()),
                errors=shown)  # fmt: skip


# ------------------------------------------------------------------------------- measurement
@router.get("/measurements/{measurement_id}", response_class=HTMLResponse)
def measurement_page(request: Request, measurement_id: int):
    state = state_of(request)
    try:
        record = state.get(measurement_id)
    except SsblabError as exc:
        return HTMLResponse(failure(request, exc).body, status_code=404)
    if record.kind == "cycling":
        return page(request, "cycling.html", record=record,
                    voltage=plots.voltage(record.cycling.table))  # fmt: skip
    kk, drt_results, drt_rows, problems = None, [], None, []
    try:
        kk = analyses.kk(state, measurement_id)
    except SsblabError as exc:
        problems.append(f"Kramers–Kronig: {exc}")
    try:
        drt_rows = analyses.drt(state, measurement_id, "gcv", drt_results)
    except SsblabError as exc:
        problems.append(f"DRT: {exc}")
    return page(
        request,
        "eis.html",
        record=record,
        kk=kk,
        drt=drt_rows,
        problems=problems,
        nyquist=plots.nyquist(record.spectra),
        bode=plots.bode(record.spectra),
        drt_plot=plots.drt(record.spectra, drt_results) if drt_results else None,
    )


@router.post("/fragments/{measurement_id}/fit", response_class=HTMLResponse)
def fit_fragment(request: Request, measurement_id: int, circuit: Opt = None, cell: Opt = None):
    state = state_of(request)
    try:
        req = models.FitRequest(circuit=_blank(circuit) or "auto", cell=_blank(cell))
        items = analyses.fit(state, measurement_id, req)
        spectra = state.get(measurement_id).spectra
    except (SsblabError, ValidationError) as exc:
        return failure(request, exc)
    query = urlencode({k: v for k, v in req.model_dump().items() if v is not None})
    return page(request, "fit_result.html", items=items, measurement_id=measurement_id,
                query=query, nyquist=plots.nyquist(spectra, items),
                bode=plots.bode(spectra, items))  # fmt: skip


@router.post("/fragments/{measurement_id}/conductivity", response_class=HTMLResponse)
def conductivity_fragment(
    request: Request,
    measurement_id: int,
    thickness: Opt = None,
    diameter: Opt = None,
    area: Opt = None,
    circuit: Opt = None,
    cell: Opt = None,
):
    try:
        req = models.ConductivityRequest(
            thickness=_blank(thickness) or "",
            diameter=_blank(diameter),
            area=_blank(area),
            circuit=_blank(circuit) or "auto",
            cell=_blank(cell) or "pellet",
        )
        rows = analyses.conductivity(state_of(request), measurement_id, req)
    except (SsblabError, ValidationError) as exc:
        return failure(request, exc)
    query = urlencode({k: v for k, v in req.model_dump().items() if v is not None})
    return page(request, "conductivity_result.html", rows=rows, measurement_id=measurement_id,
                query=query)  # fmt: skip


@router.post("/fragments/{measurement_id}/cycling", response_class=HTMLResponse)
def cycling_fragment(
    request: Request,
    measurement_id: int,
    cell_kind: Opt = None,
    diameter: Opt = None,
    area: Opt = None,
    active_mass: Opt = None,
    loading: Opt = None,
    nominal: Opt = None,
    current_density: Opt = None,
):
    state = state_of(request)
    kind = "full" if cell_kind == "full" else "symmetric"
    report = urlencode(
        [("measurements", measurement_id), ("cell", kind)]
        + [
            (k, v)
            for k, v in (("diameter", diameter), ("area", area), ("active_mass", active_mass))
            if _blank(v)
        ]
    )  # the report link beside the result carries the same area and mass
    try:
        if kind == "symmetric":
            req = models.SymmetricRequest(
                diameter=_blank(diameter), area=_blank(area),
                current_density=_blank(current_density),
            )  # fmt: skip
            payload, result = analyses.symmetric(state, measurement_id, req)
            return page(request, "symmetric_result.html", p=payload,
                        asr=plots.asr(result.half_cycles), report_query=report)  # fmt: skip
        full = models.FullRequest(
            active_mass=_blank(active_mass), loading=_blank(loading), area=_blank(area),
            diameter=_blank(diameter), nominal=_blank(nominal),
        )  # fmt: skip
        payload = analyses.full(state, measurement_id, full)
        return page(request, "full_result.html", p=payload, capacity=plots.capacity(payload),
                    report_query=report)  # fmt: skip
    except (SsblabError, ValidationError) as exc:
        return failure(request, exc)


# ------------------------------------------------------------------------------- arrhenius
@router.get("/arrhenius", response_class=HTMLResponse)
def arrhenius_page(request: Request):
    records = [r for r in state_of(request).records.values() if r.kind == "eis"]
    return page(request, "arrhenius.html", records=records)


@router.post("/fragments/arrhenius", response_class=HTMLResponse)
async def arrhenius_fragment(request: Request):
    from starlette.concurrency import run_in_threadpool

    form = await request.form()
    chosen = [int(v) for v in form.getlist("measurement") if str(v).isdigit()]
    try:
        req = models.ArrheniusRequest(
            measurements=chosen,
            temperatures=[str(form.get(f"temperature-{i}") or "") for i in chosen] or None,
            thickness=str(form.get("thickness") or ""),
            diameter=_blank(form.get("diameter")),
            area=_blank(form.get("area")),
            quantity=str(form.get("quantity") or "total"),
        )
        payload = await run_in_threadpool(analyses.arrhenius, state_of(request), req)
    except (SsblabError, ValidationError) as exc:
        return failure(request, exc)
    shape = {"thickness": req.thickness, "diameter": req.diameter, "area": req.area}
    report = urlencode(
        [("measurements", m) for m in req.measurements]
        + [("temperatures", t) for t in req.temperatures or []]
        + [(k, v) for k, v in shape.items() if v]
    )
    return page(request, "arrhenius_result.html", p=payload, plot=plots.arrhenius(payload),
                report_query=report)  # fmt: skip


# ------------------------------------------------------------------------------- the rest
@router.get("/simulate", response_class=HTMLResponse)
def simulate_page(request: Request):
    from ssblab.models.parameter_schema import available_sets

    cycling = [r for r in state_of(request).records.values() if r.kind == "cycling"]
    return page(request, "simulate.html", sets=available_sets(), cycling=cycling)


@router.post("/fragments/simulate", response_class=HTMLResponse)
def simulate_fragment(
    request: Request,
    parameter_set: Opt = None,
    current_density: Opt = None,
    cycles: Opt = None,
    compare_with: Opt = None,
):
    from ssblab.web.api_misc import simulate

    try:
        req = models.SimulateRequest(
            parameter_set=parameter_set or "llzto_bare",
            current_density=_blank(current_density) or "0.1 mA/cm^2",
            cycles=int(cycles) if (cycles or "").strip().isdigit() else 5,
            compare_with=int(compare_with) if (compare_with or "").isdigit() else None,
        )
        payload = simulate(state_of(request), req)
    except (SsblabError, ValidationError) as exc:
        return failure(request, exc)
    data = [plots.trace(payload["trace"]["time_h"], payload["trace"]["voltage_V"], "simulated")]
    if "measured" in payload:
        m = payload["measured"]
        data.append(plots.trace(m["time_h"], m["voltage_V"], f"measured {m['name']}"))
    figure = {"data": data, "layout": plots._layout("time (h)", "voltage (V)")}
    return page(request, "simulate_result.html", p=payload, plot=figure)


@router.get("/replicate", response_class=HTMLResponse)
def replicate_page(request: Request):
    from ssblab.replicate import SEEDS

    return page(request, "replicate.html", seeds=SEEDS)


@router.get("/fragments/replicate/{seed}", response_class=HTMLResponse)
def replicate_fragment(request: Request, seed: str):
    from ssblab.web.api_misc import replicate_route

    try:
        result = replicate_route(request, seed, 0)
    except SsblabError as exc:
        return failure(request, exc)
    if not isinstance(result, dict):  # 202: still running
        return page(request, "replicate_running.html", seed=seed)
    return page(request, "replicate_result.html", p=result)


@router.get("/kb", response_class=HTMLResponse)
def kb_page(request: Request, q: str = ""):
    from ssblab.web.api_misc import kb_search

    result = kb_search(q[:200], 50) if q else None
    return page(request, "kb.html", q=q, result=result)
