"""Complex non-linear least-squares fitting of equivalent circuits, with no initial guesses needed.

Model: minimise χ² = Σᵢ [(Z'ᵢ,model − Z'ᵢ)/wᵢ']² + [(Z''ᵢ,model − Z''ᵢ)/wᵢ'']² with weights
``modulus`` (w' = w'' = |Zᵢ|, the default; Boukamp, Solid State Ionics 20 (1986) 31),
``proportional`` (w' = |Z'ᵢ|, w'' = |Z''ᵢ|) or ``unit`` (w = 1). Positive parameters are fitted as
ln p (arcs p(R, CPE) through ln τ, see :mod:`ssblab.impedance.model`); exponents α are fitted
directly and kept in (0, 1] by projection. The minimiser is a batched Levenberg–Marquardt
iteration (Marquardt, J. SIAM 11 (1963) 431; :mod:`ssblab.impedance.lm`) with analytic
Jacobians, run on many starting points at once.

``initial="auto"`` (:mod:`ssblab.impedance.initial`): every data-derived start is scored by its
χ² (one residual evaluation for all), the best few run a few LM iterations together, the best
two run to convergence; the search ends as soon as a start has converged at the noise floor.
The fit is accepted when χ² is at the spectrum's noise floor
(:mod:`ssblab.impedance.floor`), the residuals are white, no arc escaped the data and no
series resistance collapsed; otherwise re-seeding rounds move the arcs across the measured τ
range (screened the same way).

Standard errors come from the Jacobian at the optimum: cov = (JᵀJ)⁻¹ χ²/(2N − P) in the variables
ln p (α), mapped to parameters (σ_p = p σ_ln p); the correlation matrix is cov/(σσᵀ); the
covariance never raises (:mod:`ssblab.impedance.diagnostics`). Reduced χ² = χ²/(2N − P). With
modulus weighting and relative noise ε per real value, reduced χ² ≈ ε². ``FitResult.warnings``
lists the reasons not to trust a result.
"""

from __future__ import annotations

import gc
import itertools
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from ssblab.errors import CircuitError, ImpedanceDataError
from ssblab.impedance import lm as _lm
from ssblab.impedance.circuits import Circuit, parse_circuit
from ssblab.impedance.diagnostics import (
    covariance,
    fit_warnings,
    residual_autocorrelation,
    white_threshold,
)
from ssblab.impedance.floor import NoiseFloor, spectrum_noise_floor
from ssblab.impedance.model import ALPHA_MIN, FitModel
from ssblab.impedance.spectrum import check_spectrum_arrays, frequency_order

__all__ = [
    "ALPHA_MIN",
    "WEIGHTINGS",
    "FitResult",
    "fit",
    "fit_many",
    "levenberg_marquardt",
    "residual_autocorrelation",
]

WEIGHTINGS = ("modulus", "proportional", "unit")
STALL_WINDOW = _lm.STALL_WINDOW
RESEED_ROUNDS = 2
SCREEN_KEEP = 8  # starts (by initial χ²) that run the first LM iterations
SCREEN_ITERATIONS = 6  # iterations before all but the FINALISTS stop
FINALISTS = 2
WHITE_RESIDUALS = 0.15  # floor of max(0.15, 3/√N), diagnostics.white_threshold


@dataclass(frozen=True)
class FitResult:
    """The optimum of one spectrum: parameters (SI) with standard errors and fit statistics."""

    circuit: str
    parameter_names: tuple[str, ...]
    parameters: np.ndarray
    stderr: np.ndarray
    correlation: np.ndarray
    fixed: tuple[bool, ...]
    chi2: float
    reduced_chi2: float
    weighting: str
    residuals_real: np.ndarray  # (Z'_model − Z')/|Z|
    residuals_imag: np.ndarray
    n_points: int
    iterations: int
    n_starts: int
    converged: bool
    notes: tuple[str, ...] = field(default_factory=tuple)
    # Reasons not to trust this fit (a parameter at a bound, an unidentifiable parameter, a
    # failed covariance, structured residuals, a spectrum failing KK …): one sentence each.
    # The CLI prints them in yellow and ``--json`` carries them.
    warnings: tuple[str, ...] = field(default_factory=tuple)
    # χ² of the spectrum's noise floor (same for every circuit; NaN when not computed)
    noise_floor_chi2: float = float("nan")

    def parameter_dict(self) -> dict[str, float]:
        return dict(zip(self.parameter_names, map(float, self.parameters), strict=True))

    def stderr_dict(self) -> dict[str, float]:
        return dict(zip(self.parameter_names, map(float, self.stderr), strict=True))

    @property
    def parameter_units(self) -> tuple[str, ...]:
        """SI units of the parameters (``Ohm``, ``F``, ``Ohm^-1 s^a``, ``H``, ``s`` …)."""
        return parse_circuit(self.circuit).parameter_units

    def predict(self, frequency_hz) -> np.ndarray:
        return parse_circuit(self.circuit).impedance(frequency_hz, self.parameters)

    def to_dict(self) -> dict:
        return {
            "circuit": self.circuit,
            "parameters": self.parameter_dict(),
            "stderr": self.stderr_dict(),
            "units": dict(zip(self.parameter_names, self.parameter_units, strict=True)),
            "fixed": [n for n, f in zip(self.parameter_names, self.fixed, strict=True) if f],
            "chi2": self.chi2,
            "reduced_chi2": self.reduced_chi2,
            "noise_floor_chi2": self.noise_floor_chi2,
            "weighting": self.weighting,
            "n_points": self.n_points,
            "iterations": self.iterations,
            "n_starts": self.n_starts,
            "converged": self.converged,
            "correlation": self.correlation.tolist(),
            "notes": list(self.notes),
            "warnings": list(self.warnings),
        }


def _weights(z: np.ndarray, weighting: str) -> tuple[np.ndarray, np.ndarray]:
    if weighting == "modulus":
        w = np.abs(z)
        return w, w
    if weighting == "proportional":
        floor = 1e-6 * np.abs(z)
        return np.maximum(np.abs(z.real), floor), np.maximum(np.abs(z.imag), floor)
    if weighting == "unit":
        ones = np.ones(z.size)
        return ones, ones
    raise ImpedanceDataError(f"weighting {weighting!r}: use one of {', '.join(WEIGHTINGS)}")


def levenberg_marquardt(problem: FitModel, x0: np.ndarray, max_iter: int = 300, tol: float = 1e-5):
    """Batched LM over the rows of ``x0``; returns (x, cost, iterations, r, jr) per row
    (see :mod:`ssblab.impedance.lm`)."""
    return _lm.levenberg_marquardt(problem, x0, max_iter, tol).as_tuple()


def _prepare(circuit, frequency_hz, impedance_ohm, weighting, fixed) -> FitModel:
    circuit = parse_circuit(circuit)
    f = np.asarray(frequency_hz, dtype=float)
    z = np.asarray(impedance_ohm, dtype=complex)
    check_spectrum_arrays(f, z)
    if np.all(z == 0):
        raise ImpedanceDataError("spectrum: every impedance value is zero")
    fixed = dict(fixed or {})
    unknown = set(fixed) - set(circuit.parameter_names)
    if unknown:
        raise CircuitError(
            f"fixed parameters not in {circuit.text!r}: {', '.join(sorted(unknown))}"
        )
    fixed_values = np.array([fixed.get(n, np.nan) for n in circuit.parameter_names], dtype=float)
    if not np.all(np.isfinite(fixed_values[~np.isnan(fixed_values)])):
        raise CircuitError("fixed parameter values must be finite")
    free = np.flatnonzero(np.isnan(fixed_values))
    if 2 * f.size < free.size:
        raise ImpedanceDataError(
            f"{f.size} points ({2 * f.size} real values) are fewer than the "
            f"{free.size} free parameters of {circuit.text!r}"
        )
    if weighting == "modulus" and np.any(z == 0):
        raise ImpedanceDataError("spectrum: |Z| = 0 at some points cannot be modulus-weighted")
    w_re, w_im = _weights(z, weighting)
    return FitModel(circuit, f, z, w_re, w_im, fixed_values, weighting)


def _user_initial(problem: FitModel, initial) -> np.ndarray:
    """Starting parameter sets (B, P) from a mapping or an array."""
    circuit = problem.circuit
    if isinstance(initial, Mapping):
        names = circuit.parameter_names
        free = set(problem.free.tolist())
        missing = [n for i, n in enumerate(names) if i in free and n not in initial]
        if missing:
            raise CircuitError(f"initial values missing for {', '.join(missing)}")
        values = [float(initial.get(n, problem.fixed_values[i])) for i, n in enumerate(names)]
        return np.array([values])
    values = np.atleast_2d(np.asarray(initial, dtype=float))
    if values.ndim != 2 or values.shape[1] != circuit.n_params:
        raise CircuitError(f"initial: {circuit.text!r} takes {circuit.n_params} values")
    return values


def fit(
    circuit: str | Circuit,
    frequency_hz,
    impedance_ohm,
    *,
    initial: str | Mapping[str, float] | Sequence[float] | np.ndarray = "auto",
    fixed: Mapping[str, float] | None = None,
    weighting: str = "modulus",
    max_iter: int = 300,
    floor: NoiseFloor | None = None,
) -> FitResult:
    """Fit ``circuit`` to one spectrum. See the module docstring for the model and statistics.

    ``floor`` (from :func:`ssblab.impedance.floor.spectrum_noise_floor`) may be passed when
    several circuits are fitted to one spectrum, so it is computed once.
    """
    problem = _prepare(circuit, frequency_hz, impedance_ohm, weighting, fixed)
    order = frequency_order(problem.frequency_hz)
    order_note = () if order == "descending" else (f"frequencies are {order} (fitted as given)",)
    if floor is None:
        floor = spectrum_noise_floor(problem.frequency_hz, problem.z)
    if isinstance(initial, str):
        if initial != "auto":
            raise CircuitError(f"initial={initial!r}: use 'auto', a mapping or an array")
        result = _fit_auto(problem, max_iter, floor)
        return replace(result, notes=(*result.notes, *order_note))
    starts = _user_initial(problem, initial)
    free_starts = starts[:, problem.free]
    if not np.all(np.isfinite(free_starts)):
        raise CircuitError("initial values must be finite")
    if np.any(free_starts[:, problem.log_mask] <= 0):
        raise CircuitError("initial values of positive parameters must be > 0")
    run = _Run.of(_lm.levenberg_marquardt(problem, problem.to_x(starts), max_iter))
    return _result(problem, run, starts.shape[0], ("user initial values", *order_note), floor)


@dataclass
class _Run:
    """The best solution found so far and the LM iterations it took."""

    x: np.ndarray
    cost: float
    r: np.ndarray
    iterations: int

    @classmethod
    def of(cls, state: _lm.LMState, extra_iterations: int = 0) -> _Run:
        best = int(np.argmin(state.cost))
        return cls(
            state.x[best],
            float(state.cost[best]),
            state.r[best],
            int(state.iterations.max()) + extra_iterations,
        )

    def better(self, other: _Run) -> _Run:
        best = other if other.cost < self.cost else self
        return _Run(best.x, best.cost, best.r, self.iterations + other.iterations)


def _sorted_residuals(problem: FitModel, r: np.ndarray) -> np.ndarray:
    """Interleaved residuals in ascending frequency order (for the autocorrelation)."""
    order = np.argsort(problem.frequency_hz)
    return r.reshape(-1, 2)[order].reshape(-1)


def _fit_auto(problem: FitModel, max_iter: int, floor: NoiseFloor) -> FitResult:
    """Screened multistart from the data-derived starts; re-seeding rounds only while the fit
    is above the noise floor, has structured residuals, an escaped arc or a collapsed series
    resistance."""
    from ssblab.impedance.initial import auto_initial_guesses

    auto = auto_initial_guesses(problem.circuit, problem.frequency_hz, problem.z, floor)
    fixed = np.flatnonzero(problem.position < 0)
    white = white_threshold(problem.frequency_hz.size)

    def starts_x(starts: np.ndarray) -> np.ndarray:
        starts = starts.copy()
        starts[:, fixed] = problem.fixed_values[fixed]
        return problem.to_x(starts)

    def good(run: _Run) -> bool:
        return (
            floor.accepts(_modulus_chi2(problem, run), problem.n)
            and residual_autocorrelation(_sorted_residuals(problem, run.r)) <= white
            and not _escaped(problem, run)
            and not _collapsed_series(problem, run)
        )

    starts = np.concatenate([auto.primary, auto.others]) if auto.others.size else auto.primary
    n_starts = starts.shape[0]
    # a start converged at the noise floor ends the multistart (modulus weighting only: the
    # floor is a modulus-weighted χ²)
    good_cost = floor.threshold(problem.n) if problem.weighting == "modulus" else -np.inf
    run = _multistart(problem, starts_x(starts), max_iter, good_cost)
    for _ in range(RESEED_ROUNDS):
        if good(run):
            break
        reseeded = _reseeded(problem, run, auto.primary[0])
        if reseeded is None:
            break
        n_starts += reseeded.shape[0]
        candidate = _multistart(problem, starts_x(reseeded), max_iter)
        improved = candidate.cost < run.cost * (1 - 1e-3)  # a real improvement, not noise
        run = run.better(candidate)
        if not improved:
            break
    return _result(problem, run, n_starts, auto.notes, floor)


def _modulus_chi2(problem: FitModel, run: _Run) -> float:
    """χ² of a run in modulus weighting (what the noise floor is measured in)."""
    if problem.weighting == "modulus":
        return run.cost
    with np.errstate(all="ignore"):
        dz = problem.circuit.impedance(problem.frequency_hz, problem.params(run.x[None])[0])
        return float(np.sum(np.abs(dz - problem.z) ** 2 / np.abs(problem.z) ** 2))


def _multistart(
    problem: FitModel, x0: np.ndarray, max_iter: int, good_cost: float = -np.inf
) -> _Run:
    """Score every start by χ², run the best ``SCREEN_KEEP`` together for
    ``SCREEN_ITERATIONS`` iterations, then only the best ``FINALISTS`` to convergence; stop
    early once a start has converged at χ² ≤ ``good_cost``."""
    x0 = problem.project(x0[np.all(np.isfinite(x0), axis=1)])
    if x0.shape[0] == 0:
        raise CircuitError("no finite starting values")
    if x0.shape[0] > SCREEN_KEEP:
        with np.errstate(all="ignore"):
            cost = _lm.chi2(problem.residuals(x0))
        x0 = x0[np.argsort(cost, kind="stable")[:SCREEN_KEEP]]
    state = _lm.levenberg_marquardt(
        problem, x0, max_iter, keep=FINALISTS, prune_at=SCREEN_ITERATIONS, good_cost=good_cost
    )
    return _Run.of(state)


def _escaped(problem: FitModel, run: _Run) -> list[int]:
    from ssblab.impedance.arcs import escaped_arcs

    params = problem.params(run.x[None, :])[0]
    return escaped_arcs(problem.circuit, params, problem.frequency_hz, problem.z)


def _collapsed_series(problem: FitModel, run: _Run) -> bool:
    """A top-level series resistance driven to zero (an arc took over its role)."""
    from ssblab.impedance.arcs import series_resistances

    params = problem.params(run.x[None, :])[0]
    floor = 1e-6 * np.abs(problem.z).min()
    free = set(problem.free.tolist())
    return any(params[k] < floor for k in series_resistances(problem.circuit) if k in free)


def _reseeded(problem: FitModel, run: _Run, base: np.ndarray) -> np.ndarray | None:
    """Starts that move the escaped arcs, or every arc when none escaped."""
    from ssblab.impedance.arcs import arc_slots, reseeded_starts

    arcs = _escaped(problem, run) or list(range(len(arc_slots(problem.circuit))))
    if not arcs:
        return None
    params = problem.params(run.x[None, :])[0]
    return reseeded_starts(problem.circuit, params, arcs, problem.frequency_hz, problem.z, base)


def _result(
    problem: FitModel, run: _Run, n_starts: int, notes, floor: NoiseFloor | None
) -> FitResult:
    circuit = problem.circuit
    with np.errstate(all="ignore"):
        p = problem.params(run.x[None, :])[0]
        n = problem.frequency_hz.size
        dof = max(2 * n - problem.free.size, 1)
        reduced = run.cost / dof
        stderr = np.zeros(circuit.n_params)
        corr = np.eye(circuit.n_params)
        cov = covariance(problem.public_jacobian(run.x), reduced)
        sigma_x = np.sqrt(np.maximum(np.diag(cov.cov), 0))
        stderr[problem.free] = sigma_x * np.where(problem.log_mask, p[problem.free], 1.0)
        # no standard error (NaN, shown as "–" and null) rather than a misleading 0 or an inf:
        # the variables the covariance could not use, and errors that overflow p·σ(ln p)
        lost = set(cov.unusable) | set(np.flatnonzero(~np.isfinite(stderr[problem.free])).tolist())
        if lost:
            cov = replace(cov, unusable=tuple(sorted(lost)))
            stderr[problem.free[sorted(lost)]] = np.nan
        corr[np.ix_(problem.free, problem.free)] = np.nan_to_num(
            cov.cov / np.outer(sigma_x, sigma_x)
        )
        np.fill_diagonal(corr, 1.0)
        w = np.abs(problem.z)
        dz = problem.impedance(run.x[None, :])[0] - problem.z
        residuals_real, residuals_imag = dz.real / w, dz.imag / w
    autocorrelation = residual_autocorrelation(_sorted_residuals(problem, run.r))
    extra = list(notes)
    if floor is not None:
        extra.append(floor.describe())
    if cov.method != "inverse" or cov.unusable:
        extra.append("Jacobian is singular at the optimum: some parameters are not identifiable")
    converged = bool(np.isfinite(run.cost))
    warnings = fit_warnings(
        circuit,
        p,
        stderr,
        corr,
        problem.free,
        problem.frequency_hz,
        problem.z,
        autocorrelation,
        cov,
        floor=floor if problem.weighting == "modulus" else None,
        chi2=run.cost,
    )
    if not converged:
        warnings = ("The fit did not converge: χ² is not finite.", *warnings)
    free = set(problem.free.tolist())
    return FitResult(
        circuit=circuit.text,
        parameter_names=circuit.parameter_names,
        parameters=p,
        stderr=stderr,
        correlation=corr,
        fixed=tuple(i not in free for i in range(circuit.n_params)),
        chi2=run.cost,
        reduced_chi2=reduced,
        weighting=problem.weighting,
        residuals_real=residuals_real,
        residuals_imag=residuals_imag,
        n_points=n,
        iterations=run.iterations,
        n_starts=n_starts,
        converged=converged,
        notes=tuple(extra),
        warnings=warnings,
        noise_floor_chi2=floor.chi2 if floor is not None else float("nan"),
    )


# --------------------------------------------------------------------------- many spectra
_WORKER: dict = {}
_THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


def _limit_blas_threads() -> None:
    """One BLAS thread in this process: the environment (for libraries loaded later and for
    spawned children) and, for an OpenBLAS already loaded (fork), its own setter via ctypes."""
    for name in _THREAD_VARIABLES:
        os.environ[name] = "1"
    try:
        import ctypes

        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "openblas" in line and ".so" in line}
        for path in paths:
            lib = ctypes.CDLL(path)
            for symbol in (
                "scipy_openblas_set_num_threads64_",
                "openblas_set_num_threads64_",
                "openblas_set_num_threads",
            ):
                setter = getattr(lib, symbol, None)
                if setter is not None:
                    setter(1)
                    break
    except (OSError, AttributeError):  # not Linux or not OpenBLAS: the variables suffice
        pass


def _init_worker(circuit_text: str, spectra, options) -> None:
    """Pool initializer: limit BLAS threads; keep the spectra (sent once per worker)."""
    _limit_blas_threads()
    _WORKER["job"] = (parse_circuit(circuit_text), spectra, options)


def _fit_chunk(indices: range) -> list[FitResult]:
    circuit, spectra, options = _WORKER["job"]
    return [fit(circuit, *spectra[i], **options) for i in indices]


def fit_many(
    circuit: str | Circuit,
    spectra: Sequence[tuple[np.ndarray, np.ndarray]],
    *,
    sequential: bool = False,
    n_jobs: int = 1,
    progress=None,
    **options,
) -> list[FitResult]:
    """Fit many spectra ``[(frequency_hz, impedance_ohm), …]`` with one circuit.

    ``sequential=True`` treats them as a time or temperature series: each fit starts from the
    previous optimum and falls back to ``initial="auto"`` only when that start ends above the
    noise floor or with an escaped arc. Otherwise spectra are independent and ``n_jobs > 1``
    spreads them over processes: the spectra are sent once to each worker (pool initializer),
    tasks are contiguous chunks of indices (about eight per worker, for balance at small
    per-task cost), and each worker runs one BLAS thread. ``progress`` is called with the
    number of spectra done.
    """
    circuit_text = circuit.text if isinstance(circuit, Circuit) else circuit
    parsed = parse_circuit(circuit_text)
    spectra = [(np.asarray(f, dtype=float), np.asarray(z, dtype=complex)) for f, z in spectra]
    results: list[FitResult] = []
    if sequential:
        previous = None
        for i, (f, z) in enumerate(spectra):
            floor = spectrum_noise_floor(f, z)
            result = None
            if previous is not None:
                warm = fit(parsed, f, z, initial=previous.parameters, floor=floor, **options)
                if _acceptable(warm, f, z, floor):
                    result = warm
            if result is None:
                result = fit(parsed, f, z, floor=floor, **options)
            results.append(result)
            previous = result
            if progress:
                progress(i + 1)
        return results
    n_jobs = min(n_jobs, len(spectra))
    if n_jobs > 1:
        return _fit_parallel(circuit_text, spectra, options, n_jobs, progress)
    for f, z in spectra:
        results.append(fit(parsed, f, z, **options))
        if progress:
            progress(len(results))
    return results


def _fit_parallel(circuit_text, spectra, options, n_jobs: int, progress) -> list[FitResult]:
    from concurrent.futures import ProcessPoolExecutor, as_completed

    n_chunks = min(len(spectra), 8 * n_jobs)
    bounds = np.linspace(0, len(spectra), n_chunks + 1).round().astype(int)
    chunks = [range(a, b) for a, b in itertools.pairwise(bounds) if b > a]
    out: list[list[FitResult] | None] = [None] * len(chunks)
    import scipy.optimize  # noqa: F401  (loaded once here: forked workers share it)

    saved = {name: os.environ.get(name) for name in _THREAD_VARIABLES}
    for name in _THREAD_VARIABLES:  # spawned workers read these before importing numpy
        os.environ[name] = "1"
    # objects that exist now go to a permanent generation: the workers' garbage collector
    # then does not walk (and so copy-on-write copy) the pages the fork shares with them
    gc.collect()
    gc.freeze()
    try:
        with ProcessPoolExecutor(
            max_workers=n_jobs,
            initializer=_init_worker,
            initargs=(circuit_text, spectra, options),
        ) as pool:
            futures = {pool.submit(_fit_chunk, chunk): i for i, chunk in enumerate(chunks)}
            done = 0
            for future in as_completed(futures):
                out[futures[future]] = future.result()
                done += len(chunks[futures[future]])
                if progress:
                    progress(done)
    finally:
        gc.unfreeze()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return [result for chunk in out for result in (chunk or [])]


def _acceptable(result: FitResult, frequency_hz, impedance_ohm, floor: NoiseFloor) -> bool:
    """A warm-started fit at the noise floor with every arc inside the data."""
    from ssblab.impedance.arcs import escaped_arcs

    circuit = parse_circuit(result.circuit)
    f = np.asarray(frequency_hz, dtype=float)
    z = np.asarray(impedance_ohm, dtype=complex)
    if escaped_arcs(circuit, result.parameters, f, z):
        return False
    return floor.accepts(result.chi2, int(np.sum(~np.asarray(result.fixed))))
