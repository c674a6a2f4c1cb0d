"""Complex non-linear least-squares fitting of equivalent circuits, with no initial guesses needed.

Model: minimise χ² = Σᵢ [(Z'ᵢ,model − Z'ᵢ)/wᵢ']² + [(Z''ᵢ,model − Z''ᵢ)/wᵢ'']² with weights
``modulus`` (w' = w'' = |Zᵢ|, the default; Boukamp, Solid State Ionics 20 (1986) 31),
``proportional`` (w' = |Z'ᵢ|, w'' = |Z''ᵢ|) or ``unit`` (w = 1). Positive parameters are fitted as
ln p; exponents α are fitted directly and kept in (0, 1] by projection. The minimiser is a
Levenberg–Marquardt iteration (Marquardt, J. SIAM 11 (1963) 431) with analytic Jacobians, run on
many starting points at once (one batched circuit evaluation per iteration), so a multistart
costs little more than a single start.

Standard errors come from the Jacobian at the optimum: cov = (JᵀJ)⁻¹ χ²/(2N − P) in the fitted
variables, mapped to parameters (σ_p = p σ_ln p); the correlation matrix is cov/(σσᵀ).
Reduced χ² = χ²/(2N − P). With modulus weighting and relative noise ε, reduced χ² ≈ ε².

``initial="auto"`` derives starting values from the data (:mod:`ssblab.impedance.initial`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from ssblab.errors import CircuitError, ImpedanceDataError
from ssblab.impedance.circuits import Circuit, CircuitEvaluator, parse_circuit
from ssblab.impedance.spectrum import check_spectrum_arrays, frequency_order

WEIGHTINGS = ("modulus", "proportional", "unit")
STALL_WINDOW = 20  # iterations
STALL_TOLERANCE = 1e-3  # a row improving less than this (relative) over the window stops
ALPHA_MIN = 1e-3


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

    def parameter_dict(self) -> dict[str, float]:
        return dict(zip(self.parameter_names, map(float, self.parameters), strict=True))

    def stderr_dict(self) -> dict[str, float]:
        return dict(zip(self.parameter_names, map(float, self.stderr), strict=True))

    def predict(self, frequency_hz) -> np.ndarray:
        return parse_circuit(self.circuit).impedance(frequency_hz, self.parameters)

    def to_dict(self) -> dict:
        return {
            "circuit": self.circuit,
            "parameters": self.parameter_dict(),
            "stderr": self.stderr_dict(),
            "fixed": [n for n, f in zip(self.parameter_names, self.fixed, strict=True) if f],
            "chi2": self.chi2,
            "reduced_chi2": self.reduced_chi2,
            "weighting": self.weighting,
            "n_points": self.n_points,
            "iterations": self.iterations,
            "n_starts": self.n_starts,
            "converged": self.converged,
            "correlation": self.correlation.tolist(),
            "notes": list(self.notes),
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class _Problem:
    """A fit problem in the fitted variables x (ln p for positive parameters, α itself)."""

    circuit: Circuit
    frequency_hz: np.ndarray
    z: np.ndarray
    w_re: np.ndarray
    w_im: np.ndarray
    free: np.ndarray  # indices of free parameters
    fixed_values: np.ndarray  # full parameter vector holding the fixed values
    log_mask: np.ndarray  # over free parameters: True where x = ln p
    weighting: str
    evaluator: CircuitEvaluator

    def params(self, x: np.ndarray) -> np.ndarray:
        p = np.broadcast_to(self.fixed_values, (x.shape[0], self.fixed_values.size)).copy()
        p[:, self.free] = np.where(self.log_mask, np.exp(np.clip(x, -700, 700)), x)
        return p

    def to_x(self, p: np.ndarray) -> np.ndarray:
        free = np.atleast_2d(p)[:, self.free]
        return np.where(self.log_mask, np.log(free), free)

    def project(self, x: np.ndarray) -> np.ndarray:
        return np.where(self.log_mask, x, np.clip(x, ALPHA_MIN, 1.0))

    def residuals(self, x: np.ndarray, jacobian: bool):
        """Weighted residuals packed as complex numbers, (Z'−Z'_data)/w' + j(Z''−Z''_data)/w''
        (B, F), and the Jacobian packed the same way (B, F, P_free). The real least-squares
        system is recovered as JᵀJ = Re(JᴴJ), Jᵀr = Re(Jᴴr), χ² = Σ|r|²."""
        p = self.params(x)
        if jacobian:
            z, jac = self.evaluator.impedance_and_jacobian(p)
        else:
            z, jac = self.evaluator.impedance(p), None
        r = self._weigh(z - self.z)
        if not jacobian:
            return r, None
        scale = np.where(self.log_mask, p[:, self.free], 1.0)[:, None, :]
        return r, self._weigh(jac[:, :, self.free] * scale, axis_extra=True)

    def _weigh(self, values: np.ndarray, axis_extra: bool = False) -> np.ndarray:
        w_re, w_im = (
            (self.w_re[:, None], self.w_im[:, None]) if axis_extra else (self.w_re, self.w_im)
        )
        if self.weighting != "proportional":  # w' = w''
            return values / w_re
        return values.real / w_re + 1j * (values.imag / w_im)


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


def _chi2(r: np.ndarray) -> np.ndarray:
    return np.einsum("bf,bf->b", r.real, r.real) + np.einsum("bf,bf->b", r.imag, r.imag)


def levenberg_marquardt(problem: _Problem, x0: np.ndarray, max_iter: int = 300, tol: float = 1e-7):
    """Batched LM over the rows of ``x0``; returns (x, cost, iterations) per row."""
    with np.errstate(all="ignore"):  # trial points may overflow; an infinite cost is rejected
        return _lm(problem, x0, max_iter, tol)


def _lm(problem: _Problem, x0: np.ndarray, max_iter: int, tol: float):
    x = problem.project(np.array(x0, dtype=float))
    n_rows = x.shape[0]
    r, jr = problem.residuals(x, jacobian=True)
    cost = _chi2(r)
    lam = np.full(n_rows, 1e-3)
    iterations = np.zeros(n_rows, dtype=int)
    active = np.isfinite(cost)
    cost[~active] = np.inf
    history = np.full((STALL_WINDOW, n_rows), np.inf)  # cost STALL_WINDOW iterations ago
    for iteration in range(max_iter):
        rows = np.flatnonzero(active)
        if rows.size == 0:
            break
        j = jr[rows]
        jh = j.conj().transpose(0, 2, 1)
        a = (jh @ j).real
        g = (jh @ r[rows][:, :, None])[:, :, 0].real
        diag = np.einsum("bpp->bp", a)
        diag = np.maximum(diag, 1e-12 * diag.max(axis=1, keepdims=True) + 1e-300)
        lhs = a + (lam[rows, None] * diag)[:, :, None] * np.eye(a.shape[1])
        try:
            step = np.linalg.solve(lhs, -g[:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:
            step = -np.einsum("bpq,bq->bp", np.linalg.pinv(lhs), g)
        trial = problem.project(x[rows] + step)
        r_new, jr_new = problem.residuals(trial, jacobian=True)
        cost_new = _chi2(r_new)
        cost_new[~np.isfinite(cost_new)] = np.inf
        better = cost_new < cost[rows]
        old = cost[rows]
        improvement = np.where(better, (old - cost_new) / np.maximum(old, 1e-300), 0.0)
        accepted = rows[better]
        x[accepted], r[accepted], jr[accepted] = trial[better], r_new[better], jr_new[better]
        cost[accepted] = cost_new[better]
        lam[accepted] = np.maximum(lam[accepted] / 4.0, 1e-12)
        lam[rows[~better]] *= 5.0
        iterations[rows] += 1
        small_step = np.max(np.abs(step), axis=1) < 1e-7
        slot = iteration % STALL_WINDOW
        stalled = (history[slot, rows] - cost[rows]) < STALL_TOLERANCE * cost[rows]
        history[slot, rows] = cost[rows]
        done = (better & ((improvement < tol) | small_step)) | (lam[rows] > 1e12) | stalled
        active[rows[done]] = False
    return x, cost, iterations, r, jr


def _prepare(circuit, frequency_hz, impedance_ohm, weighting, fixed) -> _Problem:
    circuit = parse_circuit(circuit)
    f = np.asarray(frequency_hz, dtype=float)
    z = np.asarray(impedance_ohm, dtype=complex)
    check_spectrum_arrays(f, z)
    fixed = dict(fixed or {})
    unknown = set(fixed) - set(circuit.parameter_names)
    if unknown:
        raise CircuitError(
            f"fixed parameters not in {circuit.text!r}: {', '.join(sorted(unknown))}"
        )
    fixed_values = np.array([fixed.get(n, np.nan) for n in circuit.parameter_names], dtype=float)
    free = np.flatnonzero(np.isnan(fixed_values))
    if 2 * f.size < free.size:
        raise ImpedanceDataError(
            f"{f.size} points ({2 * f.size} real values) are fewer than the "
            f"{free.size} free parameters of {circuit.text!r}"
        )
    w_re, w_im = _weights(z, weighting)
    log_mask = ~circuit.fraction_mask[free]
    return _Problem(
        circuit,
        f,
        z,
        w_re,
        w_im,
        free,
        np.nan_to_num(fixed_values),
        log_mask,
        weighting,
        circuit.evaluator(f),
    )


def _user_initial(problem: _Problem, initial) -> np.ndarray:
    """Starting parameter sets (B, P) from a mapping or an array."""
    circuit = problem.circuit
    if isinstance(initial, Mapping):
        names = circuit.parameter_names
        missing = [n for i, n in enumerate(names) if i in problem.free and n not in initial]
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
) -> FitResult:
    """Fit ``circuit`` to one spectrum. See the module docstring for the model and statistics."""
    problem = _prepare(circuit, frequency_hz, impedance_ohm, weighting, fixed)
    order = frequency_order(problem.frequency_hz)
    order_note = () if order == "descending" else (f"frequencies are {order} (fitted as given)",)
    if isinstance(initial, str):
        if initial != "auto":
            raise CircuitError(f"initial={initial!r}: use 'auto', a mapping or an array")
        result = _fit_auto(problem, max_iter)
        return replace(result, notes=(*result.notes, *order_note))
    starts = _user_initial(problem, initial)
    if np.any(starts[:, problem.free][:, problem.log_mask] <= 0):
        raise CircuitError("initial values of positive parameters must be > 0")
    run = _Run.of(levenberg_marquardt(problem, problem.to_x(starts), max_iter))
    return _result(problem, run, starts.shape[0], ("user initial values", *order_note))


@dataclass
class _Run:
    """The best solution found so far and the LM iterations it took."""

    x: np.ndarray
    cost: float
    r: np.ndarray
    jr: np.ndarray
    iterations: int

    @classmethod
    def of(cls, lm_output) -> _Run:
        x, cost, iterations, r, jr = lm_output
        best = int(np.argmin(cost))
        return cls(x[best], float(cost[best]), r[best], jr[best], int(iterations.max()))

    def better(self, other: _Run) -> _Run:
        best = other if other.cost < self.cost else self
        return _Run(best.x, best.cost, best.r, best.jr, self.iterations + other.iterations)


RESEED_ROUNDS = 2
SCREEN_ITERATIONS = 6
FINALISTS = 2
WHITE_RESIDUALS = 0.15  # lag-1 autocorrelation below which residuals count as noise


def residual_autocorrelation(r: np.ndarray) -> float:
    """Largest lag-1 autocorrelation of the real and imaginary weighted residuals.

    Noise gives ≈ 0 (standard deviation ≈ 1/√N); a fit caught in a wrong minimum leaves
    smooth, structured residuals with a clearly positive value. ``r`` is the packed complex
    residual vector of one fit.
    """
    out = 0.0
    for part in (np.real(r), np.imag(r)):
        denominator = float(part @ part)
        if denominator > 0:
            out = max(out, float(part[1:] @ part[:-1]) / denominator)
    return out


def _fit_auto(problem: _Problem, max_iter: int) -> FitResult:
    """Every data-derived start screened together, the best few run to convergence; then, only
    while the fit is above the noise floor, has structured residuals, an escaped arc or a
    collapsed series resistance, re-seeding rounds."""
    from ssblab.impedance.initial import NOISE_FLOOR_FACTOR, auto_initial_guesses

    auto = auto_initial_guesses(problem.circuit, problem.frequency_hz, problem.z)
    fixed = np.setdiff1d(np.arange(problem.circuit.n_params), problem.free)

    def starts_x(starts: np.ndarray) -> np.ndarray:
        starts = starts.copy()
        starts[:, fixed] = problem.fixed_values[fixed]
        return problem.to_x(starts)

    def good(run: _Run) -> bool:
        return (
            run.cost <= NOISE_FLOOR_FACTOR * auto.floor_chi2
            and residual_autocorrelation(run.r) < WHITE_RESIDUALS
            and not _escaped(problem, run)
            and not _collapsed_series(problem, run)
        )

    starts = np.concatenate([auto.primary, auto.others]) if auto.others.size else auto.primary
    n_starts = starts.shape[0]
    run = _Run.of(_multistart(problem, starts_x(starts), max_iter))
    for _ in range(RESEED_ROUNDS):
        if good(run):
            break
        reseeded = _reseeded(problem, run, auto.primary[0])
        if reseeded is None:
            break
        n_starts += reseeded.shape[0]
        candidate = _Run.of(_multistart(problem, starts_x(reseeded), max_iter))
        improved = candidate.cost < run.cost
        run = run.better(candidate)
        if not improved:
            break
    notes = (*auto.notes, f"noise floor χ² (dense Voigt NNLS) {auto.floor_chi2:.4g}")
    return _result(problem, run, n_starts, notes)


def _escaped(problem: _Problem, run: _Run) -> list[int]:
    from ssblab.impedance.initial import escaped_arcs

    params = problem.params(run.x[None, :])[0]
    return escaped_arcs(problem.circuit, params, problem.frequency_hz, problem.z)


def _collapsed_series(problem: _Problem, run: _Run) -> bool:
    """A top-level series resistance driven to zero (an arc took over its role)."""
    from ssblab.impedance.initial import series_resistances

    params = problem.params(run.x[None, :])[0]
    floor = 1e-6 * np.abs(problem.z).min()
    return any(params[k] < floor for k in series_resistances(problem.circuit) if k in problem.free)


def _reseeded(problem: _Problem, run: _Run, base: np.ndarray) -> np.ndarray | None:
    """Starts that move the escaped arcs, or every arc when none escaped."""
    from ssblab.impedance.initial import arc_slots, reseeded_starts

    arcs = _escaped(problem, run) or list(range(len(arc_slots(problem.circuit))))
    if not arcs:
        return None
    params = problem.params(run.x[None, :])[0]
    return reseeded_starts(problem.circuit, params, arcs, problem.frequency_hz, problem.z, base)


def _multistart(problem: _Problem, x0: np.ndarray, max_iter: int):
    """Screen every start with a few LM iterations, then run the best few to convergence."""
    if x0.shape[0] <= FINALISTS:
        return levenberg_marquardt(problem, x0, max_iter)
    x, cost, _, _, _ = levenberg_marquardt(problem, x0, SCREEN_ITERATIONS)
    best = np.argsort(cost)[:FINALISTS]
    x, cost, more, r, jr = levenberg_marquardt(problem, x[best], max_iter)
    return x, cost, more + SCREEN_ITERATIONS, r, jr


def _result(problem: _Problem, run: _Run, n_starts: int, notes) -> FitResult:
    circuit = problem.circuit
    p = problem.params(run.x[None, :])[0]
    n = problem.frequency_hz.size
    dof = max(2 * n - problem.free.size, 1)
    reduced = run.cost / dof
    stderr = np.zeros(circuit.n_params)
    corr = np.eye(circuit.n_params)
    extra = list(notes)
    a = (run.jr.conj().T @ run.jr).real
    try:
        cov_x = np.linalg.inv(a) * reduced
        if not np.all(np.isfinite(cov_x)) or np.any(np.diag(cov_x) < 0):
            raise np.linalg.LinAlgError
    except np.linalg.LinAlgError:
        cov_x = np.linalg.pinv(a) * reduced
        extra.append("Jacobian is singular at the optimum: some parameters are not identifiable")
    sigma_x = np.sqrt(np.maximum(np.diag(cov_x), 0))
    stderr[problem.free] = sigma_x * np.where(problem.log_mask, p[problem.free], 1.0)
    with np.errstate(all="ignore"):
        corr[np.ix_(problem.free, problem.free)] = np.nan_to_num(cov_x / np.outer(sigma_x, sigma_x))
    w = np.abs(problem.z)
    dz = circuit.impedance(problem.frequency_hz, p) - problem.z
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
        residuals_real=dz.real / w,
        residuals_imag=dz.imag / w,
        n_points=n,
        iterations=run.iterations,
        n_starts=n_starts,
        converged=bool(np.isfinite(run.cost)),
        notes=tuple(extra),
    )


def _fit_one(args) -> FitResult:
    circuit, frequency_hz, impedance_ohm, options = args
    return fit(circuit, frequency_hz, impedance_ohm, **options)


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
    spreads them over processes. ``progress`` is called with the number of spectra done.
    """
    circuit_text = circuit.text if isinstance(circuit, Circuit) else circuit
    results: list[FitResult] = []
    if sequential:
        previous = None
        for i, (f, z) in enumerate(spectra):
            result = None
            if previous is not None:
                warm = fit(circuit_text, f, z, initial=previous.parameters, **options)
                if _acceptable(warm, f, z):
                    result = warm
            if result is None:
                result = fit(circuit_text, f, z, **options)
            results.append(result)
            previous = result
            if progress:
                progress(i + 1)
        return results
    jobs = [(circuit_text, f, z, options) for f, z in spectra]
    if n_jobs > 1 and len(jobs) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=n_jobs) as pool:
            for result in pool.map(_fit_one, jobs, chunksize=max(1, len(jobs) // (4 * n_jobs))):
                results.append(result)
                if progress:
                    progress(len(results))
        return results
    for job in jobs:
        results.append(_fit_one(job))
        if progress:
            progress(len(results))
    return results


def _acceptable(result: FitResult, frequency_hz, impedance_ohm) -> bool:
    """A warm-started fit at the noise floor with every arc inside the data."""
    from ssblab.impedance.initial import NOISE_FLOOR_FACTOR, escaped_arcs, noise_floor

    circuit = parse_circuit(result.circuit)
    f = np.asarray(frequency_hz, dtype=float)
    z = np.asarray(impedance_ohm, dtype=complex)
    if escaped_arcs(circuit, result.parameters, f, z):
        return False
    return result.chi2 <= NOISE_FLOOR_FACTOR * noise_floor(circuit, f, z)
