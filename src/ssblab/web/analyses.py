"""The analyses behind both the JSON API and the HTML fragments: request → options parsed as
the CLI parses them → :mod:`ssblab.payloads` → JSON-safe payload. One place, so the page and
``/api`` cannot disagree."""

from __future__ import annotations

from typing import Any

from ssblab.errors import SsblabInputError
from ssblab.web import models
from ssblab.web.state import AppState


def clean(value: Any) -> Any:
    """NaN/inf → None, numpy scalars → Python: what ``--json`` prints (``emit_json``)."""
    from ssblab.workspace.readers import jsonable

    return jsonable(value)


def fit(state: AppState, measurement_id: int, req: models.FitRequest) -> list[dict]:
    from ssblab.payloads.eis import check_cell, fit_payload

    record = state.get(measurement_id).need("eis")
    return clean(fit_payload(record.spectra, req.circuit, check_cell(req.cell), req.weighting))


def kk(state: AppState, measurement_id: int) -> list[dict]:
    from ssblab.payloads.eis import kk_payload

    return clean(kk_payload(state.get(measurement_id).need("eis").spectra))


def drt(state: AppState, measurement_id: int, lam: str, results: list | None = None):
    from ssblab.payloads.eis import drt_payload, parse_lambda

    lam_value = parse_lambda(lam)
    record = state.get(measurement_id).need("eis")
    return clean(drt_payload(record.spectra, lam_value, results=results))


def geometry(req: models.Geometry):
    from ssblab.cli.eis_inputs import geometry_from

    return geometry_from(req.thickness, req.diameter, req.area)


def conductivity(state: AppState, measurement_id: int, req: models.ConductivityRequest):
    from ssblab.payloads.eis import check_cell, conductivity_payload

    cell = check_cell(req.cell)
    shape = geometry(req)
    record = state.get(measurement_id).need("eis")
    return clean(conductivity_payload(record.spectra, shape, req.circuit, cell))


def arrhenius(state: AppState, req: models.ArrheniusRequest) -> dict:
    from ssblab.cli.eis_inputs import kelvin, temperatures_of
    from ssblab.payloads.eis import arrhenius_payload, check_arrhenius, check_cell
    from ssblab.units import bounded_si

    check_arrhenius(req.quantity, req.model)
    cell = check_cell(req.cell)
    shape = geometry(req)
    at_k = kelvin(req.at, "--at")
    reported = None
    if req.reported_ea is not None:
        reported = bounded_si(req.reported_ea, "eV", "--reported-ea", low=0.0, high=10.0)
    if len(set(req.measurements)) != len(req.measurements):
        raise SsblabInputError("a measurement is listed twice")
    spectra = []
    for measurement_id in req.measurements:
        spectra.extend(state.get(measurement_id).need("eis").spectra)
    temperatures = temperatures_of(req.temperatures, None, spectra)
    payload = arrhenius_payload(
        spectra, temperatures, shape, req.circuit, cell, req.quantity, req.model, at_k, reported
    )
    return clean(payload)


def symmetric(state: AppState, measurement_id: int, req: models.SymmetricRequest):
    """(payload, analysis result)."""
    from ssblab.payloads.cycling import area_option, quantity, symmetric_analysis

    area_m2 = area_option(req.area, req.diameter)
    j = quantity(req.current_density, "--current-density")
    limit = quantity(req.voltage_limit, "--voltage-limit")
    record = state.get(measurement_id).need("cycling")
    payload, result, _ = symmetric_analysis(
        record.cycling, record.name, area_m2, j, limit, req.force
    )
    return clean(payload), result


def full(state: AppState, measurement_id: int, req: models.FullRequest) -> dict:
    from ssblab.payloads.cycling import (
        active_mass_g,
        area_option,
        check_full_options,
        full_payload,
        nominal_option,
    )

    check_full_options(req.eol, req.first_step, req.formation)
    area = req.area
    if req.diameter is not None:  # the CLI takes --area only; a diameter is its disc's area
        area = f"{area_option(None if area is None else area, req.diameter)!r} m^2"
    mass_g = active_mass_g(req.active_mass, req.loading, area)
    area_cm2 = None if area is None else area_option(area, None) * 1e4
    nominal = nominal_option(req.nominal)
    record = state.get(measurement_id).need("cycling")
    payload = full_payload(
        record.cycling,
        record.name,
        active_mass_g=mass_g,
        area_cm2=area_cm2,
        nominal=nominal,
        formation=req.formation,
        reference_cycle=req.reference_cycle,
        eol=req.eol,
        first_step=req.first_step,
        force=req.force,
        invert_current=req.invert_current,
    )
    return clean(payload)
