"""``ssblab report`` from the web app: the same self-contained HTML page, for uploaded or
workspace measurements (``/api/report.html``) and for a workspace sample
(``/api/samples/{sample}/report.html``).

The raw files are read again (an upload is kept under the private folder until the app stops;
a workspace measurement is read where it was ingested from), so the page's provenance — file
names, sizes, SHA-256s, reader notes — is that of the raw files, as on the command line."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from ssblab.errors import SsblabInputError
from ssblab.web.api_measurements import ERRORS, state_of

router = APIRouter(prefix="/api", tags=["reports"])
FIGURES = ("all", "nyquist", "none")


def _page(html: str, filename: str, download: bool) -> HTMLResponse:
    disposition = "attachment" if download else "inline"
    return HTMLResponse(
        html, headers={"Content-Disposition": f'{disposition}; filename="{filename}"'}
    )


@router.get("/report.html", response_class=HTMLResponse, responses=ERRORS)
def files_report(
    request: Request,
    measurements: Annotated[list[int], Query(min_length=1, max_length=200)],
    thickness: str | None = Query(None, max_length=100, examples=["0.5 mm"]),
    diameter: str | None = Query(None, max_length=100, examples=["12 mm"]),
    area: str | None = Query(None, max_length=100),
    cell: str = Query("pellet", max_length=20),
    temperatures: Annotated[
        list[str] | None, Query(max_length=200, description="one per file")
    ] = None,
    active_mass: str | None = Query(None, max_length=100),
    figures: str = Query("nyquist", max_length=10, description="all, nyquist or none"),
    download: bool = Query(False, description="as an attachment"),
) -> HTMLResponse:
    """``ssblab report FILES… [--thickness T --diameter D | --area A] [--cell K]
    [--temperature …] [--mass M] [--figures F]`` for these measurements. Temperatures: as
    given, else each measurement's own (file or workspace) where every one has one."""
    from ssblab.cli.eis_inputs import geometry_from, kelvin
    from ssblab.payloads.cycling import area_option
    from ssblab.report import render_report
    from ssblab.units import bounded_si

    if figures not in FIGURES:
        raise SsblabInputError(f"--figures {figures!r}: use {', '.join(FIGURES)}")
    if len(set(measurements)) != len(measurements):
        raise SsblabInputError("a measurement is listed twice")
    state = state_of(request)
    records = [state.get(m) for m in measurements]
    files = []
    for record in records:
        if record.raw_path is None or not record.raw_path.is_file():
            raise SsblabInputError(f"{record.name}: the raw file is no longer available")
        files.append(record.raw_path)
    geometry = None if thickness is None else geometry_from(thickness, diameter, area)
    area_m2 = None
    if geometry is None and (diameter or area):
        area_m2 = area_option(area, diameter)
    if temperatures:
        if len(temperatures) != len(records):
            raise SsblabInputError(
                f"{len(temperatures)} temperatures for {len(records)} measurements: one each"
            )
        given = {r.raw_path.name: kelvin(t, "--temperature")
                 for r, t in zip(records, temperatures, strict=True)}  # fmt: skip
    elif all(r.temperature_K is not None for r in records if r.kind == "eis"):
        given = {r.raw_path.name: r.temperature_K for r in records if r.kind == "eis"}
    else:
        given = None
    mass_g = None
    if active_mass is not None:
        mass_g = bounded_si(active_mass, "g", "--mass", low=0.0, high=1e3)
    html = render_report(
        files, geometry=geometry, cell=cell, temperatures_K=given or None, area_m2=area_m2,
        active_mass_g=mass_g, figures=figures,
    )  # fmt: skip
    return _page(html, "ssblab-report.html", download)


@router.get("/samples/{sample}/report.html", response_class=HTMLResponse, responses=ERRORS)
def sample_report(request: Request, sample: str, download: bool = False) -> HTMLResponse:
    """``ssblab report SAMPLE --workspace DIR`` (only with ``ssblab serve --workspace``)."""
    from ssblab.report import render_sample_report

    state = state_of(request)
    if state.workspace is None:
        raise SsblabInputError("sample reports need a workspace: ssblab serve --workspace DIR")
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in sample)[:80]
    return _page(render_sample_report(state.workspace, sample), f"{safe}.html", download)
