"""What one analysis computes: a pure function of a :class:`Task` (arrays + options) that a
worker process (or a Dask worker) runs; the calling process writes the outcome.

Each kind calls the functions that build the corresponding CLI command's ``--json``
(:mod:`ssblab.payloads`), with the same defaults, so a workspace's numbers are the CLI's:

=================  ===========================================================================
``eis-fit``        ``ssblab eis fit``: ``suggest_circuit`` (circuit ``auto``) or ``fit``, then
                   ``review`` (Kramers–Kronig and escaped-arc warnings), per spectrum
``kk``             ``ssblab eis kk``: ``kk_test`` with the inductance when the data are
                   inductive
``drt``            ``ssblab eis drt``: ``drt`` (λ by GCV by default)
``conductivity``   ``ssblab eis conductivity``: the fit for the cell kind, then ``interpret``
                   with the sample's thickness and area (σ bulk/total, gb, ASR)
``symmetric``      ``ssblab cycle symmetric``: ``analyse_symmetric`` with the electrode area
``full``           ``ssblab cycle full``: ``fullcell_metrics`` and ``fade_from_fullcell``
``arrhenius``      ``ssblab eis arrhenius``: ``arrhenius_fit`` over a sample's stored σ
=================  ===========================================================================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ssblab.errors import SsblabError


@dataclass(frozen=True)
class Task:
    kind: str
    subject: str
    measurement_ids: tuple[int, ...]
    inputs_hash: str
    options: dict[str, Any]
    source: str = ""  # the raw file's name, for messages
    array_path: str | None = None  # relative to the workspace
    metadata: dict[str, Any] = field(default_factory=dict)
    frame: Any = None  # the arrays themselves, when the workers cannot read the workspace
    points: tuple = ()  # arrhenius: (measurement id, spectrum, T/K, σ, σ err) per point


@dataclass(frozen=True)
class Outcome:
    status: str  # "ok" or "failed"
    results: dict[str, Any] | None
    warnings: tuple[str, ...] = ()
    error: str | None = None


def _line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


class FitCache:
    """Fits of one measurement's spectra, shared by the kinds that make the same fit.

    ``eis-fit`` and ``conductivity`` both fit each spectrum (``ssblab eis fit`` and ``ssblab
    eis conductivity`` call the same ``suggest_circuit``/``fit`` and ``review``); with equal
    circuit, weighting and cell the fit is computed once per spectrum and both kinds report
    it. The fit is a deterministic function of (arrays, circuit, weighting, cell), so sharing
    changes no number beyond rounding, only the time (a workspace test checks the shared and
    the separate results agree to 1e-9; standard errors differ in the 13th digit)."""

    def __init__(self) -> None:
        self._fits: dict[tuple, tuple] = {}

    def fit(self, spectrum, options: dict, cell: str | None):
        key = (spectrum.index, options["circuit"], options["weighting"], cell)
        if key not in self._fits:
            self._fits[key] = _fit(spectrum, options, cell)
        return self._fits[key]


def _fit(spectrum, options: dict, cell: str | None):
    from ssblab.payloads.eis import fit_spectrum

    return fit_spectrum(spectrum, options["circuit"], cell, options["weighting"])


def _eis_fit(spectrum, options: dict, cache: FitCache) -> dict:
    from ssblab.payloads.eis import fit_item

    return fit_item(spectrum, cache.fit(spectrum, options, options.get("cell")))


def _kk(spectrum, options: dict, cache: FitCache) -> dict:
    from ssblab.payloads.eis import kk_payload

    (row,) = kk_payload([spectrum])
    return {**row, "warnings": [] if row["passed"] else ["Kramers–Kronig test failed"]}


def _drt(spectrum, options: dict, cache: FitCache) -> dict:
    from ssblab.payloads.eis import drt_payload

    (row,) = drt_payload([spectrum], options["lambda"])
    return row


def _conductivity(spectrum, options: dict, cache: FitCache) -> dict:
    from ssblab.impedance.interpretation import Geometry
    from ssblab.payloads.eis import interpretation_row

    geometry = Geometry(options["thickness_m"], options["area_m2"])
    fitted = cache.fit(spectrum, options, options["cell"])
    # every spectrum's row is stored, an unresolved σ with its reason (the CLI refuses it)
    return interpretation_row(spectrum, fitted, geometry, options["cell"], refuse=False)


PER_SPECTRUM = {"eis-fit": _eis_fit, "kk": _kk, "drt": _drt, "conductivity": _conductivity}


def _spectra_kind(task: Task, spectra, cache: FitCache) -> Outcome:
    import numpy as np

    rows, warnings, errors = [], [], []
    for spectrum in spectra:
        try:
            with np.errstate(all="ignore"):  # LM trial points may overflow; results are checked
                row = {
                    "spectrum": spectrum.index,
                    **PER_SPECTRUM[task.kind](spectrum, task.options, cache),
                }
        except (SsblabError, RuntimeError, ArithmeticError, ValueError, IndexError,
                LookupError) as exc:  # fmt: skip
            # the payloads re-raise an internal error as RuntimeError naming the spectrum
            errors.append(f"{spectrum.label}: {_line(exc)}")
            rows.append({"spectrum": spectrum.index, "error": errors[-1]})
            continue
        warnings.extend(f"{spectrum.label}: {w}" for w in row.get("warnings", []))
        rows.append(row)
    if len(errors) == len(rows):
        return Outcome("failed", {"spectra": rows}, tuple(warnings), errors[0])
    return Outcome("ok", {"spectra": rows}, tuple(warnings + errors))


def _symmetric(task: Task, frame) -> Outcome:
    from ssblab.cycling.symmetric import analyse_symmetric
    from ssblab.workspace.readers import cycling_of

    data = cycling_of(frame, task.source, task.metadata)
    result = analyse_symmetric(
        data,
        task.options["area_m2"],
        voltage_limit_V=task.options["voltage_limit_V"],
        force=task.options["force"],
    )
    payload = result.to_dict()
    return Outcome("ok", payload)


def _full(task: Task, frame) -> Outcome:
    from ssblab.cycling.fade import fade_from_fullcell
    from ssblab.cycling.fullcell import fullcell_metrics
    from ssblab.cycling.rate import rate_test_capability
    from ssblab.errors import SsblabInputError
    from ssblab.workspace.readers import cycling_of

    o = task.options
    data = cycling_of(frame, task.source, task.metadata)
    result = fullcell_metrics(
        data,
        active_mass_g=o["active_mass_g"],
        area_cm2=o["area_cm2"],
        formation_cycles=o["formation"],
        reference_cycle=o["reference_cycle"],
        first_step=o["first_step"],
        check_cell=not o["force"],
    )
    payload = result.to_dict()
    try:
        payload["fade_model"] = fade_from_fullcell(result, eol_fraction=o["eol"]).to_dict()
    except SsblabInputError as exc:  # too few cycles: a limit of the data, not an error
        payload["fade_model"] = None
        payload["notes"].append(f"no fade model: {_line(exc)}")
    rates, note = rate_test_capability(result)  # the same block as ssblab cycle full
    if rates is not None:
        payload["rate_capability"] = rates.to_dict()
    if note is not None:
        payload["notes"].append(note)
    return Outcome("ok", payload)


def _arrhenius(task: Task) -> Outcome:
    import numpy as np

    from ssblab.impedance.arrhenius import arrhenius_fit

    o = task.options
    _, _, kelvin, sigma, sigma_err = (np.array(c) for c in zip(*task.points, strict=True))
    result = arrhenius_fit(
        kelvin.astype(float),
        sigma.astype(float),
        sigma_err.astype(float),
        model=o["model"],
        extrapolate_to_K=o["at_K"],
        reported_activation_energy_eV=None,
    )
    points = [
        {"measurement": int(m), "spectrum": int(s), "temperature_K": t, "sigma_S_m": v,
         "sigma_err_S_m": e}
        for m, s, t, v, e in task.points
    ]  # fmt: skip
    payload = {"quantity": o["quantity"], "points": points, **result.to_dict()}
    return Outcome("ok", payload, tuple(result.warnings))


def _run(root: str | None, task: Task, loaded: dict) -> Outcome:
    """One task; ``loaded`` holds what the tasks of the same measurement share (its frame,
    spectra and fits), so a bundle reads and fits each file once."""
    from ssblab.workspace.arrays import read_frame
    from ssblab.workspace.readers import spectra_of

    if task.kind == "arrhenius":
        return _arrhenius(task)
    if "frame" not in loaded:
        loaded["frame"] = (
            task.frame if task.frame is not None else read_frame(Path(root), task.array_path)
        )
    frame = loaded["frame"]
    if task.kind in PER_SPECTRUM:
        if "spectra" not in loaded:
            loaded["spectra"] = spectra_of(frame, task.source, task.metadata)
            loaded["fits"] = FitCache()
        return _spectra_kind(task, loaded["spectra"], loaded["fits"])
    if task.kind == "symmetric":
        return _symmetric(task, frame)
    return _full(task, frame)


def run_task(root: str | None, task: Task, loaded: dict | None = None) -> Outcome:
    """Compute ``task`` (reading its arrays under the workspace ``root`` unless the task
    carries them); never raises for bad data: a failure is an :class:`Outcome`."""
    from ssblab.workspace.readers import jsonable

    try:
        outcome = _run(root, task, {} if loaded is None else loaded)
    except (SsblabError, ArithmeticError, ValueError, IndexError, LookupError) as exc:
        return Outcome("failed", None, (), f"{task.source or task.subject}: {_line(exc)}")
    return Outcome(
        outcome.status,
        jsonable(outcome.results),
        tuple(str(w) for w in outcome.warnings),
        outcome.error,
    )


def run_bundle(root: str | None, bundle: list[list[Task]]) -> list[Outcome]:
    """Outcomes of a work unit: a list of measurements, each the list of its tasks. One call
    per unit keeps the per-call cost of a pool or a Dask cluster (pickling, scheduling, a
    round trip) off each small analysis; the tasks of one measurement share its frame and
    fits (:class:`FitCache`)."""
    outcomes = []
    for tasks in bundle:
        loaded: dict = {}
        outcomes.extend(run_task(root, task, loaded) for task in tasks)
    return outcomes
