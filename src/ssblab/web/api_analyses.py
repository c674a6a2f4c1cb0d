"""Analyses of stored measurements: exactly the CLI's ``--json`` (``ssblab eis …``,
``ssblab cycle …``) for the same file and options."""

from __future__ import annotations

from fastapi import APIRouter, Request

from ssblab.web import analyses, models
from ssblab.web.api_measurements import ERRORS, state_of

router = APIRouter(prefix="/api", tags=["analyses"])


@router.post(
    "/measurements/{measurement_id}/fit", response_model=list[models.FitItem], responses=ERRORS
)
def fit(request: Request, measurement_id: int, body: models.FitRequest | None = None):
    """``ssblab eis fit --json [--circuit C] [--cell K] [--weighting W]``."""
    return analyses.fit(state_of(request), measurement_id, body or models.FitRequest())


@router.post(
    "/measurements/{measurement_id}/kk", response_model=list[models.KKItem], responses=ERRORS
)
def kk(request: Request, measurement_id: int):
    """``ssblab eis kk --json``."""
    return analyses.kk(state_of(request), measurement_id)


@router.post(
    "/measurements/{measurement_id}/drt", response_model=list[models.DrtItem], responses=ERRORS
)
def drt(request: Request, measurement_id: int, body: models.DrtRequest | None = None):
    """``ssblab eis drt --json [--lambda L]``."""
    return analyses.drt(state_of(request), measurement_id, (body or models.DrtRequest()).lam)


@router.post(
    "/measurements/{measurement_id}/conductivity",
    response_model=list[models.ConductivityItem],
    responses=ERRORS,
)
def conductivity(request: Request, measurement_id: int, body: models.ConductivityRequest):
    """``ssblab eis conductivity --json --thickness T (--diameter D | --area A)``."""
    return analyses.conductivity(state_of(request), measurement_id, body)


@router.post("/arrhenius", response_model=models.ArrheniusResult, responses=ERRORS)
def arrhenius(request: Request, body: models.ArrheniusRequest):
    """``ssblab eis arrhenius --json`` over the listed measurements (one temperature each)."""
    return analyses.arrhenius(state_of(request), body)


@router.post(
    "/measurements/{measurement_id}/symmetric",
    response_model=models.CyclingResult,
    responses=ERRORS,
)
def symmetric(request: Request, measurement_id: int, body: models.SymmetricRequest):
    """``ssblab cycle symmetric --json``."""
    return analyses.symmetric(state_of(request), measurement_id, body)[0]


@router.post(
    "/measurements/{measurement_id}/full", response_model=models.CyclingResult, responses=ERRORS
)
def full(request: Request, measurement_id: int, body: models.FullRequest | None = None):
    """``ssblab cycle full --json``."""
    return analyses.full(state_of(request), measurement_id, body or models.FullRequest())
