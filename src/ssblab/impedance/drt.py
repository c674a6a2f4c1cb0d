"""Distribution of relaxation times (DRT) by non-negative Tikhonov regularisation.

Model (e.g. Boukamp 2015; Wan, Saccoccio, Chen & Ciucci 2015)::

    Z(ω) = R∞ [+ jωL] + ∫ γ(ln τ) / (1 + jωτ) d(ln τ)

with ω = 2πf (rad/s), τ the relaxation time (s), R∞ the high-frequency resistance (Ω), L an
optional series inductance (H) and γ(ln τ) ≥ 0 the DRT in Ω per unit of ln τ, so that the
area under a peak, ∫ γ d(ln τ), is the resistance (Ω) of that process. A parallel R‖C gives a
delta function of area R at τ = RC; a ZARC (R‖CPE, Z_CPE = 1/(Q (jω)^α)) gives a broad
symmetric peak centred on τ0 = (RQ)^(1/α).

Discretisation. γ is expanded on a log-spaced τ grid (default 10 points per decade, extended
one decade beyond 1/(2π f_max) … 1/(2π f_min) on each side) as γ(x) = Σ_m x_m φ_m(x),
x = ln τ, with either piecewise-linear "hat" functions (``basis="pwl"``: x_m = γ at node m) or
Gaussian radial basis functions (``basis="gaussian"``, FWHM = ``rbf_fwhm`` grid spacings). The
integrals ∫ φ_m(x) / (1 + jω e^x) dx are computed by trapezoidal quadrature on a grid ten times
finer than the τ grid.

Fit. With per-point weights w_i (``weighting="modulus"``: w_i = 1/|Z_i|, the default;
``"unit"``: w_i = 1/max|Z|), the coefficients minimise::

    Σ_i w_i² [ (Z'_i − Ẑ'_i)² + (Z''_i − Ẑ''_i)² ]  +  λ ∫ (d^k γ / d(ln τ)^k)² d(ln τ) / Z_ref²

subject to γ ≥ 0 and R∞ ≥ 0 (L may have either sign), where k = ``penalty_order`` (2, the
default, penalises curvature; 1 penalises slope) and Z_ref = max|Z| makes λ dimensionless. The
penalty acts on γ sampled at the grid nodes (finite differences, spacing Δ = ln 10 / points per
decade). The problem is solved as one stacked non-negative least-squares problem,
``[A; √λ P] x ≈ [b; 0]`` with :func:`scipy.optimize.nnls`.

Choice of λ. ``lam="gcv"`` (default) minimises the robust generalised cross-validation score
(GCV: Golub, Heath & Wahba 1979, used for DRT by Saccoccio et al. 2014; robust form: Lukas
2006) over ``lam_grid``::

    GCV(λ)  = n ‖W(Z − Ẑ_λ)‖² / (n − tr H_λ)²,      n = 2N
    RGCV(λ) = GCV(λ) · [r + (1 − r) tr(H_λ²)/n]

where H_λ = A (AᵀA + λPᵀP)⁻¹ Aᵀ is the influence matrix of the *unconstrained* regularised
problem (the non-negativity constraint is applied only to the final solution) and
r = ``gcv_robustness`` (default 0.1; r = 1 gives classical GCV). Classical GCV has a very flat
minimum for DRT problems and often under-smooths, which splits broad (CPE) peaks into spurious
sub-peaks; the robust score penalises that. ``lam="lcurve"`` picks the corner (largest
curvature) of the L-curve, log ‖W(Z − Ẑ)‖ vs log ‖Pγ‖ of the non-negative solutions (Hansen
1992). A number uses that λ.

Peaks: :func:`scipy.signal.find_peaks` on γ at the nodes (prominence at least
``peak_prominence`` × max γ), position refined by a parabola through the three highest nodes.
Each peak's resistance R is the area of γ between the neighbouring minima (or the ends of the
grid), its characteristic frequency is f = 1/(2πτ) and its capacitance C = τ/R.

Validity: the data must be KK-consistent (check with :mod:`ssblab.impedance.kramers_kronig`);
a capacitive low-frequency tail (blocking electrodes) is not a relaxation and cannot be
represented — cut it off before the DRT (or expect a spurious peak at the long-τ end). Peaks
narrower than the regularisation allows are broadened (their area, R, is preserved much better
than their height); time constants closer than about half a decade may merge; peaks within
about half a decade of the grid ends are unreliable.

Sign convention: physical, Z = Z' + jZ'' with Z'' < 0 for a capacitive response. Frequencies
(Hz) may come in any order; all per-point arrays returned are in the input order.

Sources:
    B. A. Boukamp, "Fourier transform distribution function of relaxation times; application and
    limitations", Electrochim. Acta 154 (2015) 35–46.
    T. H. Wan, M. Saccoccio, C. Chen, F. Ciucci, "Influence of the discretization methods on the
    distribution of relaxation times deconvolution: implementing radial basis functions with
    DRTtools", Electrochim. Acta 184 (2015) 483–499.
    M. Saccoccio, T. H. Wan, C. Chen, F. Ciucci, "Optimal regularization in distribution of
    relaxation times applied to electrochemical impedance spectroscopy: ridge and lasso
    regression methods — a theoretical and experimental study", Electrochim. Acta 147 (2014)
    470–482.
    G. H. Golub, M. Heath, G. Wahba, Technometrics 21 (1979) 215–223 (GCV).
    M. A. Lukas, "Robust generalized cross-validation for choosing the regularization
    parameter", Inverse Problems 22 (2006) 1883–1902 (RGCV).
    P. C. Hansen, SIAM Rev. 34 (1992) 561–580 (L-curve).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy.optimize import nnls
from scipy.signal import find_peaks

from ssblab.errors import ImpedanceDataError
from ssblab.impedance.spectrum import check_spectrum_arrays

__all__ = ["DRTPeak", "DRTResult", "drt"]

_SUBDIVISIONS = 10  # quadrature points per τ-grid interval
DEFAULT_LAMBDAS = np.logspace(-7, 1, 33)


@dataclass(frozen=True)
class DRTPeak:
    """One peak of γ(ln τ).

    Attributes:
        tau_s: time constant τ (s) at the maximum (parabolic refinement in ln τ).
        frequency_hz: characteristic frequency 1/(2πτ) (Hz).
        resistance_ohm: area of γ between the neighbouring minima (Ω).
        capacitance_f: τ/R (F).
        gamma_ohm: height of γ at the maximum (Ω per unit ln τ).
        tau_bounds_s: (τ at the lower minimum, τ at the upper minimum) used for the area (s).
        inside_measured_range: False when 1/(2πτ) lies outside the measured frequencies, i.e.
            the peak sits in the grid extension and is poorly determined (often an artefact).
    """

    tau_s: float
    frequency_hz: float
    resistance_ohm: float
    capacitance_f: float
    gamma_ohm: float
    tau_bounds_s: tuple[float, float]
    inside_measured_range: bool


@dataclass(frozen=True)
class DRTResult:
    """Outcome of :func:`drt`. Per-point arrays are in the order of the input frequencies.

    Attributes:
        tau_s: τ grid (s), ascending.
        gamma_ohm: γ(ln τ) at the grid nodes (Ω per unit ln τ), ≥ 0.
        r_inf_ohm: R∞ (Ω).
        inductance_h: series L (H), or None if not fitted.
        polarization_resistance_ohm: ∫ γ d(ln τ) over the grid (Ω).
        lam: the regularisation parameter used (dimensionless, see module docstring).
        lam_method: "gcv", "lcurve" or "fixed".
        lam_grid: the λ values tried (empty for a fixed λ).
        lam_scores: GCV scores (for "gcv") or L-curve curvatures (for "lcurve") on ``lam_grid``.
        frequency_hz, impedance_ohm: the data (input order).
        fitted_ohm: the model impedance Ẑ (Ω) at the measured frequencies.
        residual_real, residual_imag: (Z' − Ẑ')/|Z| and (Z'' − Ẑ'')/|Z| (dimensionless).
        peaks: the peaks of γ, ascending in τ.
        basis: "pwl" or "gaussian".
        penalty_order: 1 or 2.
        tail_alpha, tail_q: the series blocking tail 1/(Q (jω)^α) fitted beside γ (None if none).
    """

    tau_s: np.ndarray
    gamma_ohm: np.ndarray
    r_inf_ohm: float
    inductance_h: float | None
    polarization_resistance_ohm: float
    lam: float
    lam_method: str
    lam_grid: np.ndarray
    lam_scores: np.ndarray
    frequency_hz: np.ndarray
    impedance_ohm: np.ndarray
    fitted_ohm: np.ndarray
    residual_real: np.ndarray
    residual_imag: np.ndarray
    peaks: tuple[DRTPeak, ...]
    basis: str
    penalty_order: int
    tail_alpha: float | None = None
    tail_q: float | None = None

    def summary(self) -> dict:
        """λ, R∞ and the peaks as plain numbers (what ``ssblab eis drt --json`` and the
        workspace's ``drt`` analysis report)."""
        return {
            "lambda": self.lam,
            "lambda_method": self.lam_method,
            "r_inf_ohm": self.r_inf_ohm,
            "peaks": [
                {
                    "tau_s": p.tau_s,
                    "frequency_hz": p.frequency_hz,
                    "resistance_ohm": p.resistance_ohm,
                    "capacitance_F": p.capacitance_f,
                    "inside_measured_range": p.inside_measured_range,
                }
                for p in self.peaks
            ],
        }


@dataclass(frozen=True)
class _Problem:
    a: np.ndarray  # complex design matrix, columns scaled to dimensionless unknowns
    a_w: np.ndarray  # real stacked weighted design matrix (2N × p)
    b_w: np.ndarray  # real stacked weighted data (2N)
    penalty: np.ndarray  # (rows × p), zero on R∞ / L columns
    col_scale: np.ndarray  # unknown (Ω, H) = dimensionless unknown × col_scale
    n_extra: int  # number of leading non-γ columns
    has_inductance: bool  # columns 1, 2 are L+ and L−
    tail_column: int | None  # index of the series blocking-tail column, if any
    x_fine: np.ndarray  # fine ln τ grid
    phi_fine: np.ndarray  # basis functions on the fine grid (fine × K)
    phi_nodes: np.ndarray  # basis functions at the nodes (K × K)


def _basis(x: np.ndarray, nodes: np.ndarray, basis: str, fwhm: float) -> np.ndarray:
    h = nodes[1] - nodes[0]
    if basis == "pwl":
        return np.clip(1.0 - np.abs(x[:, None] - nodes[None, :]) / h, 0.0, None)
    sigma = fwhm * h / (2.0 * np.sqrt(2.0 * np.log(2.0)))
    return np.exp(-0.5 * ((x[:, None] - nodes[None, :]) / sigma) ** 2)


def _difference_matrix(k: int, order: int) -> np.ndarray:
    d = np.eye(k)
    for _ in range(order):
        d = np.diff(d, axis=0)
    return d


def _build(
    omega: np.ndarray,
    z: np.ndarray,
    nodes: np.ndarray,
    *,
    basis: str,
    fwhm: float,
    add_inductance: bool,
    weighting: str,
    penalty_order: int,
    tail_alpha: float | None = None,
) -> _Problem:
    h = nodes[1] - nodes[0]
    margin = 0.0 if basis == "pwl" else 3.0 * fwhm * h
    lo, hi = nodes[0] - margin, nodes[-1] + margin
    n_fine = round((hi - lo) / h * _SUBDIVISIONS) + 1
    x_fine = np.linspace(lo, hi, n_fine)
    quad = np.full(n_fine, x_fine[1] - x_fine[0])
    quad[[0, -1]] *= 0.5
    phi_fine = _basis(x_fine, nodes, basis, fwhm)
    kernel = quad[None, :] / (1.0 + 1j * omega[:, None] * np.exp(x_fine)[None, :])
    a_gamma = kernel @ phi_fine

    z_ref = float(np.max(np.abs(z)))
    columns = [np.ones_like(omega, dtype=complex)]
    scales = [z_ref]
    if add_inductance:
        w_max = float(omega.max())
        columns += [1j * omega / w_max, -1j * omega / w_max]
        scales += [z_ref / w_max, z_ref / w_max]
    tail_column = None
    if tail_alpha is not None:  # series blocking tail (jω)^-α with coefficient 1/Q >= 0
        w_min = float(omega.min())
        tail_column = len(columns)
        columns.append((1j * omega / w_min) ** -tail_alpha)
        scales.append(z_ref * w_min**tail_alpha)
    n_extra = len(columns)
    a = np.column_stack([*columns, a_gamma])
    col_scale = np.concatenate([scales, np.full(nodes.size, z_ref)])
    # dimensionless unknowns x̃ = (R∞, L±, coefficients) / col_scale, so that Ẑ/z_ref = a @ x̃
    weight = z_ref / np.abs(z) if weighting == "modulus" else np.ones(omega.size)
    zn = z / z_ref
    a_w = np.vstack([a.real * weight[:, None], a.imag * weight[:, None]])
    b_w = np.concatenate([zn.real * weight, zn.imag * weight])

    phi_nodes = _basis(nodes, nodes, basis, fwhm)
    diff = _difference_matrix(nodes.size, penalty_order) / h**penalty_order * np.sqrt(h)
    penalty = np.hstack([np.zeros((diff.shape[0], n_extra)), diff @ phi_nodes])
    return _Problem(
        a=a * z_ref,
        a_w=a_w,
        b_w=b_w,
        penalty=penalty,
        col_scale=col_scale,
        n_extra=n_extra,
        has_inductance=add_inductance,
        tail_column=tail_column,
        x_fine=x_fine,
        phi_fine=phi_fine,
        phi_nodes=phi_nodes,
    )


def _solve(problem: _Problem, lam: float) -> np.ndarray:
    lhs = np.vstack([problem.a_w, np.sqrt(lam) * problem.penalty])
    rhs = np.concatenate([problem.b_w, np.zeros(problem.penalty.shape[0])])
    # an inductance is split into L+ and L− columns, both >= 0
    x, _ = nnls(lhs, rhs, maxiter=50 * lhs.shape[1])
    return x


def _gcv_scores(problem: _Problem, lams: np.ndarray, robustness: float) -> np.ndarray:
    """Robust GCV score for each λ, from the unconstrained regularised problem."""
    a, p = problem.a_w, problem.penalty
    if problem.has_inductance:  # L+ and L− are the same column up to sign: keep one
        keep = np.r_[0, 1, 3 : a.shape[1]]
        a, p = a[:, keep], p[:, keep]
    n = a.shape[0]
    ata, ptp, atb = a.T @ a, p.T @ p, a.T @ problem.b_w
    scores = np.empty(lams.size)
    for i, lam in enumerate(lams):
        m = ata + lam * ptp
        try:
            s = np.linalg.solve(m, np.column_stack([ata, atb]))
        except np.linalg.LinAlgError:
            s = np.linalg.lstsq(m, np.column_stack([ata, atb]), rcond=None)[0]
        infl, x = s[:, :-1], s[:, -1]
        resid = a @ x - problem.b_w
        trace = float(np.trace(infl))
        dof = max(n - trace, 1e-12)
        gcv = n * float(resid @ resid) / dof**2
        mu2 = float(np.sum(infl * infl.T)) / n  # tr(H²)/n
        scores[i] = gcv * (robustness + (1.0 - robustness) * mu2)
    return scores


def _lcurve_corner(rho: np.ndarray, eta: np.ndarray, lam: np.ndarray) -> tuple[int, np.ndarray]:
    """Index of the L-curve corner (max curvature of (log ρ, log η) parametrised by log λ)."""
    t = np.log(lam)
    xr = np.log(np.maximum(rho, 1e-300))
    yr = np.log(np.maximum(eta, 1e-300))
    dx, dy = np.gradient(xr, t), np.gradient(yr, t)
    ddx, ddy = np.gradient(dx, t), np.gradient(dy, t)
    curvature = (dx * ddy - ddx * dy) / np.maximum((dx**2 + dy**2) ** 1.5, 1e-300)
    inner = curvature[1:-1]
    return int(np.argmax(inner)) + 1, curvature


def _peaks(
    nodes: np.ndarray,
    gamma_nodes: np.ndarray,
    x_fine: np.ndarray,
    gamma_fine: np.ndarray,
    prominence: float,
    f_range: tuple[float, float],
) -> tuple[DRTPeak, ...]:
    top = float(gamma_nodes.max()) if gamma_nodes.size else 0.0
    if top <= 0:
        return ()
    padded = np.concatenate([[0.0], gamma_nodes, [0.0]])  # peaks at the grid ends count too
    idx, _ = find_peaks(padded, prominence=prominence * top)
    idx = idx - 1
    if idx.size == 0:
        return ()
    # boundaries: minima between consecutive peaks, grid ends outside
    bounds = [0]
    for i0, i1 in itertools.pairwise(idx):
        bounds.append(int(i0 + np.argmin(gamma_nodes[i0 : i1 + 1])))
    bounds.append(nodes.size - 1)
    h = nodes[1] - nodes[0]
    out = []
    for j, i in enumerate(idx):
        x_peak = nodes[i]
        g_peak = gamma_nodes[i]
        if 0 < i < nodes.size - 1:
            g0, g1, g2 = gamma_nodes[i - 1 : i + 2]
            denom = g0 - 2.0 * g1 + g2
            if denom < 0:
                shift = 0.5 * (g0 - g2) / denom
                x_peak = nodes[i] + shift * h
                g_peak = g1 - 0.25 * (g0 - g2) * shift
        x_lo, x_hi = nodes[bounds[j]], nodes[bounds[j + 1]]
        if j == 0:
            x_lo = x_fine[0]
        if j == idx.size - 1:
            x_hi = x_fine[-1]
        sel = (x_fine >= x_lo - 1e-12) & (x_fine <= x_hi + 1e-12)
        area = float(np.trapezoid(gamma_fine[sel], x_fine[sel]))
        tau = float(np.exp(x_peak))
        f_peak = 1.0 / (2.0 * np.pi * tau)
        out.append(
            DRTPeak(
                tau_s=tau,
                frequency_hz=f_peak,
                resistance_ohm=area,
                capacitance_f=tau / area if area > 0 else np.inf,
                gamma_ohm=float(g_peak),
                tau_bounds_s=(float(np.exp(x_lo)), float(np.exp(x_hi))),
                inside_measured_range=bool(f_range[0] <= f_peak <= f_range[1]),
            )
        )
    return tuple(out)


def _tail_alpha_for(tail: str, f: np.ndarray, z: np.ndarray) -> float | None:
    from ssblab.impedance.initial import tail_exponent
    from ssblab.impedance.suggest import has_blocking_tail

    if tail == "none":
        return None
    if tail == "capacitor":
        return 1.0
    if tail == "cpe":
        return tail_exponent(f, z)
    if tail == "auto":
        return tail_exponent(f, z) if has_blocking_tail(f, z) else None
    raise ImpedanceDataError(
        f"drt: tail must be 'auto', 'none', 'capacitor' or 'cpe', got {tail!r}"
    )


def drt(
    frequency_hz,
    impedance_ohm,
    *,
    lam: str | float = "gcv",
    lam_grid=None,
    basis: str = "pwl",
    rbf_fwhm: float = 2.0,
    penalty_order: int = 2,
    points_per_decade: float = 10.0,
    extend_decades: float = 1.0,
    add_inductance: bool = False,
    weighting: str = "modulus",
    peak_prominence: float = 0.02,
    gcv_robustness: float = 0.1,
    tail: str = "auto",
) -> DRTResult:
    """Distribution of relaxation times of an impedance spectrum (see module docstring).

    Args:
        frequency_hz: measured frequencies (Hz), any order, > 0, no duplicates.
        impedance_ohm: complex impedance (Ω), physical sign (capacitive Z'' < 0).
        lam: "gcv" (default), "lcurve" or a fixed λ ≥ 0.
        lam_grid: λ values searched for "gcv"/"lcurve" (default 10⁻⁷ … 10¹, 4 per decade).
        basis: "pwl" (piecewise linear, default) or "gaussian".
        rbf_fwhm: Gaussian full width at half maximum, in τ-grid spacings (gaussian only).
        penalty_order: 2 (curvature, default) or 1 (slope).
        points_per_decade: τ-grid density.
        extend_decades: how far the τ grid reaches beyond 1/(2π f) of the data on each side.
        add_inductance: fit a series inductance L.
        weighting: "modulus" (1/|Z|, default) or "unit".
        peak_prominence: smallest peak prominence reported, as a fraction of max γ.
        gcv_robustness: r of the robust GCV score, 0 < r ≤ 1 (1 = classical GCV).
        tail: series blocking-electrode term Z = 1/(Q (jω)^α): "none", "capacitor" (α = 1),
            "cpe" (α from the slope of log|Z''| vs log ω at the lowest frequencies) or "auto"
            (default: "cpe" when the low-frequency phase shows a blocking tail, else "none").
            Without it a blocking tail is forced into γ at the longest τ.

    Returns:
        :class:`DRTResult`.

    Raises:
        ImpedanceDataError: for invalid arrays, fewer than 4 points or invalid settings.
    """
    check_spectrum_arrays(frequency_hz, impedance_ohm, "drt")
    f = np.asarray(frequency_hz, dtype=float)
    z = np.asarray(impedance_ohm, dtype=complex)
    if f.size < 4:
        raise ImpedanceDataError(f"drt: need at least 4 points, got {f.size}")
    if np.any(z == 0):
        raise ImpedanceDataError("drt: impedance is exactly zero at some frequency")
    if basis not in ("pwl", "gaussian"):
        raise ImpedanceDataError(f"drt: basis must be 'pwl' or 'gaussian', got {basis!r}")
    if penalty_order not in (1, 2):
        raise ImpedanceDataError(f"drt: penalty_order must be 1 or 2, got {penalty_order}")
    if weighting not in ("modulus", "unit"):
        raise ImpedanceDataError(f"drt: weighting must be 'modulus' or 'unit', got {weighting!r}")
    if not 0 < gcv_robustness <= 1:
        raise ImpedanceDataError(f"drt: gcv_robustness must be in (0, 1], got {gcv_robustness}")
    if points_per_decade <= 0 or extend_decades < 0 or rbf_fwhm <= 0:
        raise ImpedanceDataError(
            "drt: points_per_decade and rbf_fwhm must be > 0, extend_decades >= 0"
        )
    omega = 2.0 * np.pi * f
    log_lo = -np.log10(omega.max()) - extend_decades
    log_hi = -np.log10(omega.min()) + extend_decades
    k = round((log_hi - log_lo) * points_per_decade) + 1
    k = max(k, penalty_order + 2)
    nodes = np.linspace(log_lo, log_hi, k) * np.log(10.0)
    tail_alpha = _tail_alpha_for(tail, f, z)
    problem = _build(
        omega,
        z,
        nodes,
        basis=basis,
        fwhm=rbf_fwhm,
        add_inductance=add_inductance,
        weighting=weighting,
        penalty_order=penalty_order,
        tail_alpha=tail_alpha,
    )

    if isinstance(lam, str):
        method = lam.lower()
        if method not in ("gcv", "lcurve"):
            raise ImpedanceDataError(f"drt: lam must be 'gcv', 'lcurve' or a number, got {lam!r}")
        grid = np.asarray(DEFAULT_LAMBDAS if lam_grid is None else lam_grid, dtype=float)
        if grid.ndim != 1 or grid.size < 3 or np.any(grid <= 0) or not np.all(np.isfinite(grid)):
            raise ImpedanceDataError("drt: lam_grid must hold at least 3 positive finite values")
        grid = np.sort(grid)
        if method == "gcv":
            scores = _gcv_scores(problem, grid, gcv_robustness)
            best = int(np.argmin(scores))
            x = _solve(problem, float(grid[best]))
        else:
            solutions = [_solve(problem, float(lv)) for lv in grid]
            rho = np.array([np.linalg.norm(problem.a_w @ x - problem.b_w) for x in solutions])
            eta = np.array([np.linalg.norm(problem.penalty @ x) for x in solutions])
            best, scores = _lcurve_corner(rho, eta, grid)
            x = solutions[best]
        lam_value = float(grid[best])
    else:
        lam_value = float(lam)
        if not np.isfinite(lam_value) or lam_value < 0:
            raise ImpedanceDataError(f"drt: lam must be >= 0, got {lam}")
        method = "fixed"
        grid = np.array([], dtype=float)
        scores = np.array([], dtype=float)
        x = _solve(problem, lam_value)

    params = x * problem.col_scale
    coef = params[problem.n_extra :]
    r_inf = float(params[0])
    inductance = float(params[1] - params[2]) if add_inductance else None
    tail_q = None
    if problem.tail_column is not None:
        inverse_q = float(params[problem.tail_column])
        tail_q = np.inf if inverse_q == 0 else 1.0 / inverse_q
    fitted = problem.a @ x
    residual = (z - fitted) / np.abs(z)
    gamma_nodes = problem.phi_nodes @ coef
    gamma_fine = problem.phi_fine @ coef
    total = float(np.trapezoid(gamma_fine, problem.x_fine))
    peaks = _peaks(
        nodes, gamma_nodes, problem.x_fine, gamma_fine, peak_prominence, (f.min(), f.max())
    )

    arrays = {
        "tau_s": np.exp(nodes),
        "gamma_ohm": gamma_nodes,
        "lam_grid": grid,
        "lam_scores": scores,
        "frequency_hz": f.copy(),
        "impedance_ohm": z.copy(),
        "fitted_ohm": fitted,
        "residual_real": residual.real.copy(),
        "residual_imag": residual.imag.copy(),
    }
    for arr in arrays.values():
        arr.setflags(write=False)
    return DRTResult(
        **arrays,
        r_inf_ohm=r_inf,
        inductance_h=inductance,
        tail_alpha=tail_alpha,
        tail_q=tail_q,
        polarization_resistance_ohm=total,
        lam=lam_value,
        lam_method=method,
        peaks=peaks,
        basis=basis,
        penalty_order=int(penalty_order),
    )
