"""The ``--json`` payloads of ``ssblab eis fit|kk|drt|conductivity|arrhenius``.

Every error names the spectrum it concerns, also when it is raised inside the analysis
(:func:`about`). Options are checked by the caller before spectra are read (the CLI's rule: no
work before bad options are refused); the functions here check them again, cheaply, so that
another caller (the web app) cannot skip the check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ssblab.errors import SsblabError, SsblabInputError
from ssblab.payloads.common import Progress, progress_or_silent

if TYPE_CHECKING:
    from ssblab.impedance.arrhenius import ArrheniusResult
    from ssblab.impedance.drt import DRTResult
    from ssblab.impedance.fitting import FitResult
    from ssblab.impedance.interpretation import Geometry
    from ssblab.impedance.spectrum import Spectrum
    from ssblab.impedance.suggest import Suggestion

    Fitted = tuple[FitResult, Suggestion | None]

CELLS = ("pellet", "symmetric", "film", "full")
WEIGHTINGS = ("modulus", "proportional", "unit")
QUANTITIES = ("total", "bulk")
MODELS = ("sigmaT", "sigma")


def check_cell(cell: str | None) -> str | None:
    if cell is not None and cell not in CELLS:
        raise SsblabInputError(f"--cell {cell!r}: use {', '.join(CELLS)}")
    return cell


def check_weighting(weighting: str) -> str:
    if weighting not in WEIGHTINGS:
        raise SsblabInputError(f"--weighting {weighting!r}: use {', '.join(WEIGHTINGS)}")
    return weighting


def check_arrhenius(quantity: str, model: str) -> None:
    if quantity not in QUANTITIES:
        raise SsblabInputError(f"--quantity {quantity!r}: use total or bulk")
    if model not in MODELS:
        raise SsblabInputError(f"--model {model!r}: use sigmaT or sigma")


def parse_lambda(lam: str | float) -> str | float:
    """``--lambda``: ``"gcv"``, ``"lcurve"`` or a positive finite number."""
    if isinstance(lam, str) and lam in ("gcv", "lcurve"):
        return lam
    try:
        value = float(lam)
    except ValueError:
        raise SsblabInputError(f"--lambda {lam!r}: use gcv, lcurve or a number") from None
    if not (0 < value < 1e300):
        raise SsblabInputError(f"--lambda {lam!r}: must be a positive finite number")
    return value


@contextmanager
def about(spectrum: Spectrum) -> Iterator[None]:
    """Re-raise any error of the analysis of ``spectrum`` with its file and index in front.

    Floating-point conditions (an LM trial point overflowing) are ignored inside: the results
    are judged by their own checks and warnings, and no RuntimeWarning reaches the user."""
    import numpy as np

    label = spectrum.label
    try:
        with np.errstate(all="ignore"):  # trial points may overflow; results are checked
            yield
    except SsblabError as exc:
        message = " ".join(str(exc).split())
        if spectrum.source and spectrum.source in message:
            raise
        try:
            new = type(exc)(f"{label}: {message}")
        except TypeError:
            new = SsblabInputError(f"{label}: {message}")
        raise new from None
    except (ArithmeticError, ValueError, IndexError, LookupError) as exc:  # an internal error
        raise RuntimeError(f"{label}: {type(exc).__name__}: {exc}") from exc


def fit_spectrum(spectrum: Spectrum, circuit: str, cell: str | None, weighting: str) -> Fitted:
    """The fit of one spectrum (``circuit`` or auto for ``cell``) with the analysis warnings
    (Kramers–Kronig, escaped arcs) added."""
    from ssblab.impedance.fitting import fit
    from ssblab.impedance.review import review
    from ssblab.impedance.suggest import suggest_circuit

    f, z = spectrum.frequency_hz, spectrum.impedance_ohm
    with about(spectrum):
        if circuit == "auto":
            suggestion = suggest_circuit(f, z, cell=cell, weighting=weighting)
            return review(suggestion.fit, f, z), suggestion
        return review(fit(circuit, f, z, weighting=weighting), f, z), None


def fit_all(
    spectra: list[Spectrum],
    circuit: str,
    cell: str | None,
    weighting: str,
    then: Callable[[Spectrum, Fitted], Any] | None = None,
    progress: Progress | None = None,
) -> list:
    """Fit every spectrum; ``then(spectrum, fitted)``, when given, runs right after each fit (so
    a refusal comes before the remaining spectra are fitted) and its value is returned instead
    of the fit."""
    check_weighting(weighting)
    results = []
    with progress_or_silent(progress)("fitting", len(spectra)) as bar:
        for spectrum in spectra:
            fitted = fit_spectrum(spectrum, circuit, cell, weighting)
            results.append(fitted if then is None else then(spectrum, fitted))
            bar.advance()
    return results


def spectrum_key(spectrum: Spectrum) -> dict:
    return {"file": spectrum.source, "spectrum": spectrum.index}


def fit_item(spectrum: Spectrum, fitted: Fitted) -> dict:
    """One element of ``ssblab eis fit --json``."""
    from ssblab.cli.eis_output import json_units
    from ssblab.impedance.circuits import parse_circuit

    result, suggestion = fitted
    item = {**spectrum_key(spectrum), **result.to_dict(), "reader_notes": list(spectrum.notes)}
    item.pop("correlation")
    ascii_units = parse_circuit(result.circuit).parameter_units
    item["units_ascii"] = dict(zip(result.parameter_names, ascii_units, strict=True))
    item["units"] = json_units(result.circuit)
    if suggestion is not None:
        item["selection"] = suggestion.to_dict()
    return item


def fit_payload(
    spectra: list[Spectrum],
    circuit: str = "auto",
    cell: str | None = None,
    weighting: str = "modulus",
    progress: Progress | None = None,
    figures: Callable[[Spectrum, FitResult], list[str]] | None = None,
) -> list[dict]:
    """``ssblab eis fit --json``; ``figures(spectrum, result)`` (the CLI's ``--plot``) adds the
    paths it returns as ``"figures"``."""
    check_cell(cell)
    fits = fit_all(spectra, circuit, cell, weighting, progress=progress)
    payload = []
    for spectrum, fitted in zip(spectra, fits, strict=True):
        item = fit_item(spectrum, fitted)
        if figures is not None:
            with about(spectrum):
                item["figures"] = figures(spectrum, fitted[0])
        payload.append(item)
    return payload


def kk_payload(spectra: list[Spectrum], progress: Progress | None = None) -> list[dict]:
    """``ssblab eis kk --json``: Schönleber's linear Kramers–Kronig test of each spectrum."""
    from ssblab.impedance.floor import is_inductive
    from ssblab.impedance.kramers_kronig import kk_test

    rows = []
    with progress_or_silent(progress)("Kramers–Kronig", len(spectra)) as bar:
        for spectrum in spectra:
            f, z = spectrum.frequency_hz, spectrum.impedance_ohm
            with about(spectrum):
                result = kk_test(f, z, add_inductance=is_inductive(f, z))
            rows.append(
                {
                    **spectrum_key(spectrum),
                    "passed": result.passed,
                    "num_elements": result.num_elements,
                    "mu": result.mu,
                    "max_abs_residual": result.max_abs_residual,
                    "max_abs_trend": result.max_abs_trend,
                    "inductance_h": result.inductance_h,
                    "notes": list(result.notes),
                }
            )
            bar.advance()
    return rows


def drt_payload(
    spectra: list[Spectrum],
    lam: str | float = "gcv",
    progress: Progress | None = None,
    figure: Callable[[Spectrum, DRTResult], str] | None = None,
    results: list | None = None,
) -> list[dict]:
    """``ssblab eis drt --json``; ``figure(spectrum, result)`` adds ``"figure"``, and
    ``results``, when given, receives each :class:`DRTResult` (the web app plots γ(τ))."""
    from ssblab.impedance.drt import drt

    lam_value = parse_lambda(lam)
    rows = []
    with progress_or_silent(progress)("DRT", len(spectra)) as bar:
        for spectrum in spectra:
            with about(spectrum):
                result = drt(spectrum.frequency_hz, spectrum.impedance_ohm, lam=lam_value)
                row = {**spectrum_key(spectrum), **result.summary()}
                if figure is not None:
                    row["figure"] = figure(spectrum, result)
            if results is not None:
                results.append(result)
            rows.append(row)
            bar.advance()
    return rows


def interpretation_row(
    spectrum: Spectrum,
    fitted: Fitted,
    geometry: Geometry,
    cell: str | None,
    quantity: str | None = None,
    refuse: bool = True,
) -> dict:
    """σ of one spectrum. Refuses (naming the spectrum) when ``quantity`` (``"bulk"`` or
    ``"total"``) is not resolved, or, without a quantity, when neither is; with ``refuse``
    false (a workspace storing every spectrum's row) the row says why instead (its
    ``bulk_reason`` / ``total_reason``, σ None)."""
    from ssblab.impedance.interpretation import interpret

    result, suggestion = fitted
    with about(spectrum):
        it = interpret(
            result,
            geometry,
            cell=cell,
            frequency_hz=spectrum.frequency_hz,
            impedance_ohm=spectrum.impedance_ohm,
        )
    if not refuse:
        pass
    elif quantity is not None:
        it.require(spectrum.label, quantity)
    elif not (it.bulk_resolved or it.total_resolved):
        it.require(spectrum.label, "bulk")
    row = {
        **spectrum_key(spectrum),
        "circuit": result.circuit,
        "thickness_m": geometry.thickness_m,
        "area_m2": geometry.area_m2,
        **it.to_dict(),
        "warnings": [*it.warnings, *result.warnings],
    }
    if suggestion is not None:
        row["selection"] = suggestion.to_dict()
    return row


def conductivity_payload(
    spectra: list[Spectrum],
    geometry: Geometry,
    circuit: str = "auto",
    cell: str | None = "pellet",
    progress: Progress | None = None,
) -> list[dict]:
    """``ssblab eis conductivity --json``: σ bulk / total / gb (S/m) and arcs of each spectrum."""
    check_cell(cell)
    return fit_all(
        spectra,
        circuit,
        cell,
        "modulus",
        lambda s, r: interpretation_row(s, r, geometry, cell),
        progress=progress,
    )


def arrhenius_analysis(
    spectra: list[Spectrum],
    kelvin: list[float],
    geometry: Geometry,
    circuit: str = "auto",
    cell: str | None = "pellet",
    quantity: str = "total",
    model: str = "sigmaT",
    at_K: float = 298.15,
    reported_ea_eV: float | None = None,
    progress: Progress | None = None,
) -> tuple[dict, ArrheniusResult, Any]:
    """(``ssblab eis arrhenius --json``, the Arrhenius fit, σ's standard errors in S/m): σ of
    each spectrum at its temperature ``kelvin`` (K), then E_a."""
    check_arrhenius(quantity, model)
    check_cell(cell)
    if len(kelvin) != len(spectra):
        raise SsblabInputError(
            f"{len(kelvin)} --temperature values for {len(spectra)} spectra; give one each"
        )
    rows = fit_all(
        spectra,
        circuit,
        cell,
        "modulus",
        lambda s, r: interpretation_row(s, r, geometry, cell, quantity),
        progress=progress,
    )
    return arrhenius_from_rows(rows, kelvin, quantity, model, at_K, reported_ea_eV)


def arrhenius_from_rows(
    rows: list[dict],
    kelvin: list[float],
    quantity: str = "total",
    model: str = "sigmaT",
    at_K: float = 298.15,
    reported_ea_eV: float | None = None,
) -> tuple[dict, ArrheniusResult, Any]:
    """The Arrhenius step of ``ssblab eis arrhenius --json`` from conductivity rows (as
    :func:`interpretation_row` builds them) at ``kelvin`` (K): (payload, fit, σ errors in S/m).
    Shared by the CLI, the web app and the reports, which fit the spectra once for both."""
    import numpy as np

    from ssblab.impedance.arrhenius import arrhenius_fit

    sigma = np.array([row[f"sigma_{quantity}_S_m"] for row in rows], dtype=float)
    sigma_err = np.array([row[f"sigma_{quantity}_err_S_m"] for row in rows], dtype=float)
    result = arrhenius_fit(
        kelvin, sigma, sigma_err, model=model, extrapolate_to_K=at_K,
        reported_activation_energy_eV=reported_ea_eV,
    )  # fmt: skip
    payload = {
        "quantity": quantity,
        "points": [
            {
                "file": row["file"],
                "spectrum": row["spectrum"],
                "temperature_K": t,
                "sigma_S_m": s,
                "sigma_err_S_m": e,
                "circuit": row["circuit"],
                "warnings": row["warnings"],
            }
            for row, t, s, e in zip(rows, kelvin, sigma, sigma_err, strict=True)
        ],
        **result.to_dict(),
    }
    return payload, result, sigma_err


def arrhenius_payload(
    spectra: list[Spectrum],
    kelvin: list[float],
    geometry: Geometry,
    circuit: str = "auto",
    cell: str | None = "pellet",
    quantity: str = "total",
    model: str = "sigmaT",
    at_K: float = 298.15,
    reported_ea_eV: float | None = None,
    progress: Progress | None = None,
) -> dict:
    """``ssblab eis arrhenius --json`` (without ``--plot``'s ``"figure"``)."""
    return arrhenius_analysis(
        spectra, kelvin, geometry, circuit, cell, quantity, model, at_K, reported_ea_eV, progress
    )[0]
