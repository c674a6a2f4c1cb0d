"""The numbers of a report: the payloads ``ssblab eis …`` / ``ssblab cycle …`` print with
``--json``, computed by the functions those commands call (:mod:`ssblab.payloads`, never
re-derived here), so a number in a report is the CLI's number for the same file and options.

Each function takes data already read and returns ``(payload, objects)``: the JSON payload and
the result objects the figure functions need. An analysis that refuses its input raises the
typed :class:`~ssblab.errors.SsblabInputError` of the analysis; the report turns that into a
section that says why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ssblab.cycling.data import CyclingData
    from ssblab.impedance.interpretation import Geometry
    from ssblab.impedance.spectrum import Spectrum

# The CLI's defaults, which the report keeps so that its numbers are those of the commands run
# without options: modulus weighting, σ_total for Arrhenius with σT = A·exp(−E_a/kT), σ(25 °C),
# λ by GCV, end of life at 80 % of the reference capacity.
WEIGHTING = "modulus"
ARRHENIUS_QUANTITY = "total"
ARRHENIUS_MODEL = "sigmaT"
ARRHENIUS_AT_K = 298.15
DRT_LAMBDA = "gcv"
EOL_FRACTION = 0.8


def fit(spectrum: Spectrum, cell: str | None) -> tuple[dict, Any]:
    """``ssblab eis fit --cell CELL --json`` of one spectrum; objects: (FitResult, Suggestion)."""
    from ssblab.payloads.eis import fit_item, fit_spectrum

    fitted = fit_spectrum(spectrum, "auto", cell, WEIGHTING)
    return fit_item(spectrum, fitted), fitted


def kk(spectrum: Spectrum) -> dict:
    """``ssblab eis kk --json`` of one spectrum."""
    from ssblab.payloads.eis import kk_payload

    return kk_payload([spectrum])[0]


def drt(spectrum: Spectrum) -> tuple[dict, Any]:
    """``ssblab eis drt --json`` of one spectrum; object: the DRTResult."""
    from ssblab.payloads.eis import drt_payload

    results: list = []
    row = drt_payload([spectrum], DRT_LAMBDA, results=results)[0]
    return row, results[0]


def conductivity(spectrum: Spectrum, fitted, geometry: Geometry, cell: str) -> dict:
    """``ssblab eis conductivity --json`` of one spectrum, from its fit (refuses, naming the
    spectrum, when neither σ bulk nor σ total is resolved)."""
    from ssblab.payloads.eis import interpretation_row

    return interpretation_row(spectrum, fitted, geometry, cell)


def arrhenius(rows: list[dict], temperatures_K: list[float]) -> tuple[dict, Any]:
    """``ssblab eis arrhenius --json`` from the conductivity rows of the spectra (σ total);
    objects: the ArrheniusResult and σ's standard errors (S/m).

    The report has the fits already (the same ``fit_spectrum`` calls, deterministic), so it
    takes the CLI's step after the fits, :func:`ssblab.payloads.eis.arrhenius_from_rows`. A
    test checks E_a and σ against ``ssblab eis arrhenius --json`` to 1e-12."""
    from ssblab.errors import SsblabInputError
    from ssblab.payloads.eis import arrhenius_from_rows

    q = ARRHENIUS_QUANTITY
    missing = [r for r in rows if r.get(f"sigma_{q}_S_m") is None]
    if missing:
        r = missing[0]
        raise SsblabInputError(
            f"{r['file']} #{r['spectrum']}: σ {q} not resolved: {r.get(f'{q}_reason') or '?'}"
        )
    payload, result, sigma_err = arrhenius_from_rows(
        rows, temperatures_K, q, ARRHENIUS_MODEL, ARRHENIUS_AT_K
    )
    return payload, (result, sigma_err)


def symmetric(data: CyclingData, area_m2: float | None) -> tuple[dict, Any]:
    """``ssblab cycle symmetric --json``; object: the SymmetricResult."""
    from ssblab.payloads.cycling import symmetric_analysis

    payload, result, _ = symmetric_analysis(data, data.source, area_m2)
    return payload, result


def full(data: CyclingData, active_mass_g: float | None, area_m2: float | None):
    """``ssblab cycle full --json`` (formation and reference cycle detected, end of life at 80
    %); objects: (FullCellResult, fade or None, rate capability or None)."""
    from ssblab.payloads.cycling import full_analysis

    area_cm2 = None if area_m2 is None else area_m2 * 1e4
    payload, result, fade, rates = full_analysis(
        data, data.source, active_mass_g=active_mass_g, area_cm2=area_cm2, eol=EOL_FRACTION
    )
    return payload, (result, fade, rates)
