"""Linear Kramers–Kronig test (Lin-KK) of an impedance spectrum.

A causal, linear, stable and time-invariant system has an impedance whose real and imaginary
parts are linked by the Kramers–Kronig (KK) relations. Any finite sum of Voigt (RC) elements
satisfies them, so the test fits such a sum to the spectrum and looks at what is left over
(Boukamp 1995): residuals that are noise-like mean the data are KK-consistent, residuals with a
systematic trend mean the cell changed during the measurement (drift), the response was
non-linear, or the instrument was out of its range.

Model (Schönleber, Klotz & Ivers-Tiffée 2014)::

    Ẑ(ω) = R0 + Σ_{k=1..M} R_k / (1 + jωτ_k)  [+ 1/(jωC)]  [+ jωL]

with ω = 2πf (rad/s), τ_k (s) fixed and log-spaced from τ_min = 1/ω_max to τ_max = 1/ω_min
(optionally widened by ``tau_extension_decades`` on both sides), and R0, R_k (Ω), 1/C (1/F) and
L (H) found by *linear* least squares on the real and imaginary parts together, each point
weighted by 1/|Z_i| (modulus weighting)::

    minimise  Σ_i [ (Z'_i − Ẑ'_i)² + (Z''_i − Ẑ''_i)² ] / |Z_i|²

The number of RC elements M is chosen by the μ criterion of Schönleber et al. (2014)::

    μ(M) = 1 − Σ_{R_k<0} |R_k| / Σ_{R_k≥0} |R_k|

μ is close to 1 while the fit is under-determined (all R_k positive) and drops as soon as the
fit starts to chase noise with pairs of positive and negative resistances; M is the first value
at which μ < c (``mu_threshold``, default 0.85, the value recommended by Schönleber et al.).
M = 1, 2, … up to ``max_elements`` (default max(N//2, min(N − 3, 40)) for N points) are fitted.

Under-fit guard (an addition to Schönleber's rule): a small-M fit can also produce a negative
R_k — not because it chases noise but because it cannot follow the data, typically a
relaxation just outside the measured range — and μ then stops the search far too early. So M
only counts if its reduced pseudo χ², χ²(M)/(2N − p), with p the number of fitted parameters,
is at most 1.25 × the smallest over all M tried + (0.03 ``residual_threshold``)². (With pure
noise the reduced χ² is flat in M, an under-fit lies well above it; the additive floor stops
the guard from pushing M up on noise-free data, whose χ² keeps falling with M.) If no
qualifying M has μ < c, the largest qualifying M is used and a note says so.

Residuals (Boukamp 1995), dimensionless, relative to the modulus of the measured impedance::

    Δ'_i = (Z'_i − Ẑ'_i) / |Z_i|,    Δ''_i = (Z''_i − Ẑ''_i) / |Z_i|

    pseudo χ² = Σ_i (Δ'_i² + Δ''_i²)

Verdict. The spectrum passes when the residuals are small *and* noise-like:

* ``max |Δ|`` (over real and imaginary parts) ≤ max(``residual_threshold``, 5σ), where
  ``residual_threshold`` defaults to 0.01 = 1 % (the usual rule of thumb) and σ is the noise
  level estimated from the residuals themselves (1.4826 × median absolute first difference
  / √2, which a smooth trend does not inflate). For Gaussian noise the largest of ~2N residuals
  is about 3.5σ, so a fixed 1 % fails clean spectra with more than ≈ 0.25 % noise per
  component; the 5σ limit passes them and still flags isolated outliers.
* the *systematic* part of the residuals, their running mean over a window of
  ``trend_window_decades`` (default one decade of frequency), stays within ``trend_threshold``
  (default 0.005 = 0.5 %). Averaging over n points shrinks white noise by √n but leaves a
  trend, so this catches drift that individual noisy residuals would hide.

Validity and caveats: the test checks consistency with *some* KK-compliant response; it cannot
prove a spectrum is right. The fixed τ range means relaxations far outside the measured window
are only approximated (hence the default extension of a quarter decade). A spectrum that ends in
a capacitive (blocking-electrode) tail needs ``add_capacitance=True`` (the default); a spectrum
with an inductive high-frequency tail (cables) needs ``add_inductance=True``.

Sign convention: physical, Z = Z' + jZ'' with Z'' < 0 for a capacitive response. Frequencies (Hz)
may come in any order; all returned per-point arrays are in the input order.

Sources:
    B. A. Boukamp, "A linear Kronig-Kramers transform test for immittance data validation",
    J. Electrochem. Soc. 142 (1995) 1885–1894.
    M. Schönleber, D. Klotz, E. Ivers-Tiffée, "A method for improving the robustness of linear
    Kramers-Kronig validity tests", Electrochim. Acta 131 (2014) 20–27.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ssblab.errors import ImpedanceDataError
from ssblab.impedance.spectrum import check_spectrum_arrays

_UNDERFIT_FACTOR = 1.25

__all__ = ["KKResult", "kk_test", "lin_kk_fit"]


@dataclass(frozen=True)
class KKResult:
    """Outcome of :func:`kk_test`. Per-point arrays are in the order of the input frequencies.

    Attributes:
        frequency_hz: the measured frequencies (Hz), input order.
        impedance_ohm: the measured impedance (Ω), input order.
        fitted_ohm: the Lin-KK model impedance Ẑ (Ω) at the measured frequencies.
        residual_real: Δ' = (Z' − Ẑ')/|Z| (dimensionless; 0.01 = 1 %).
        residual_imag: Δ'' = (Z'' − Ẑ'')/|Z| (dimensionless).
        trend_real, trend_imag: running mean of Δ', Δ'' over ``trend_window_decades``.
        num_elements: M, the number of RC elements used.
        mu: μ at that M.
        pseudo_chi2: Σ(Δ'² + Δ''²).
        max_abs_residual: max |Δ'|, |Δ''| over all points.
        max_abs_trend: max |trend| over all points.
        passed: True when ``max_abs_residual ≤ residual_threshold`` and
            ``max_abs_trend ≤ trend_threshold``.
        tau_s: the time constants τ_k (s) of the RC elements.
        resistances_ohm: the fitted R_k (Ω).
        series_resistance_ohm: R0 (Ω).
        capacitance_f: series C (F); None if not fitted, inf if 1/C came out as 0.
        inductance_h: series L (H); None if not fitted.
        mu_threshold, residual_threshold, trend_threshold: the settings used.
        notes: human-readable remarks (why it failed, search limits reached …).
    """

    frequency_hz: np.ndarray
    impedance_ohm: np.ndarray
    fitted_ohm: np.ndarray
    residual_real: np.ndarray
    residual_imag: np.ndarray
    trend_real: np.ndarray
    trend_imag: np.ndarray
    num_elements: int
    mu: float
    pseudo_chi2: float
    max_abs_residual: float
    max_abs_trend: float
    passed: bool
    tau_s: np.ndarray
    resistances_ohm: np.ndarray
    series_resistance_ohm: float
    capacitance_f: float | None
    inductance_h: float | None
    mu_threshold: float
    residual_threshold: float
    trend_threshold: float
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Fit:
    tau: np.ndarray
    params: np.ndarray
    fitted: np.ndarray
    mu: float


def _tau_grid(omega: np.ndarray, m: int, extension_decades: float) -> np.ndarray:
    lo = -np.log10(omega.max()) - extension_decades
    hi = -np.log10(omega.min()) + extension_decades
    if m == 1:
        return np.array([10.0**lo])
    return np.logspace(lo, hi, m)


def _mu(resistances: np.ndarray) -> float:
    positive = float(np.sum(resistances[resistances >= 0]))
    negative = float(-np.sum(resistances[resistances < 0]))
    if positive <= 0:
        return -np.inf
    return 1.0 - negative / positive


def _fit(
    omega: np.ndarray,
    z: np.ndarray,
    m: int,
    *,
    add_capacitance: bool,
    add_inductance: bool,
    extension_decades: float,
) -> _Fit:
    tau = _tau_grid(omega, m, extension_decades)
    columns = [np.ones_like(omega, dtype=complex)]
    columns.extend(1.0 / (1.0 + 1j * omega[:, None] * tau[None, :]).T)
    if add_capacitance:
        columns.append(-1j / omega)  # parameter 1/C
    if add_inductance:
        columns.append(1j * omega)  # parameter L
    a = np.column_stack(columns)
    weight = 1.0 / np.abs(z)
    a_w = np.vstack([a.real * weight[:, None], a.imag * weight[:, None]])
    b_w = np.concatenate([z.real * weight, z.imag * weight])
    scale = np.linalg.norm(a_w, axis=0)
    scale[scale == 0] = 1.0
    sol, *_ = np.linalg.lstsq(a_w / scale, b_w, rcond=None)
    params = sol / scale
    return _Fit(tau=tau, params=params, fitted=a @ params, mu=_mu(params[1 : 1 + m]))


def lin_kk_fit(
    frequency_hz,
    impedance_ohm,
    num_elements: int,
    *,
    add_capacitance: bool = True,
    add_inductance: bool = False,
    tau_extension_decades: float = 0.25,
) -> tuple[np.ndarray, float]:
    """Fit the Lin-KK model with a given M; return (fitted impedance Ω in input order, μ)."""
    check_spectrum_arrays(frequency_hz, impedance_ohm, "kk_test")
    omega = 2.0 * np.pi * np.asarray(frequency_hz, dtype=float)
    z = np.asarray(impedance_ohm, dtype=complex)
    fit = _fit(
        omega,
        z,
        int(num_elements),
        add_capacitance=add_capacitance,
        add_inductance=add_inductance,
        extension_decades=tau_extension_decades,
    )
    return fit.fitted, fit.mu


def _running_mean(values: np.ndarray, window: int) -> np.ndarray:
    """Centred running mean; the edges take the value of the nearest full window."""
    n = values.size
    if window >= n:
        return np.full(n, values.mean())
    valid = np.convolve(values, np.ones(window) / window, mode="valid")
    left = (window - 1) // 2
    right = n - valid.size - left
    return np.concatenate([np.full(left, valid[0]), valid, np.full(right, valid[-1])])


NOISE_SIGMAS = 5.0


def residual_noise(residual: np.ndarray, order: np.ndarray) -> float:
    """Robust per-component noise level of the residuals, from first differences in frequency
    order (differences cancel smooth trends): 1.4826 · median |Δr| / √2."""
    parts = [np.diff(residual.real[order]), np.diff(residual.imag[order])]
    differences = np.abs(np.concatenate(parts))
    return float(1.4826 * np.median(differences) / np.sqrt(2)) if differences.size else 0.0


def kk_test(
    frequency_hz,
    impedance_ohm,
    *,
    mu_threshold: float = 0.85,
    residual_threshold: float = 0.01,
    trend_threshold: float = 0.005,
    trend_window_decades: float = 1.0,
    add_capacitance: bool = True,
    add_inductance: bool = False,
    tau_extension_decades: float = 0.25,
    num_elements: int | None = None,
    max_elements: int | None = None,
) -> KKResult:
    """Lin-KK test with automatic choice of the number of RC elements (see module docstring).

    Args:
        frequency_hz: measured frequencies (Hz), any order, > 0, no duplicates.
        impedance_ohm: complex impedance (Ω), physical sign (capacitive Z'' < 0).
        mu_threshold: c of the μ criterion (0 < c ≤ 1); default 0.85.
        residual_threshold: largest |Δ'|, |Δ''| (relative to |Z|) allowed to pass; 0.01 = 1 %.
        trend_threshold: largest running-mean residual allowed to pass; 0.005 = 0.5 %.
        trend_window_decades: width of the running-mean window, in decades of frequency
            (converted to a number of points from the data density; at least 3 points).
        add_capacitance: fit a series capacitance (needed for capacitive low-frequency tails).
        add_inductance: fit a series inductance (needed for inductive high-frequency tails).
        tau_extension_decades: widen the τ range by this many decades on both sides.
        num_elements: use this M instead of the μ criterion.
        max_elements: largest M searched (default max(N//2, min(N − 3, 40))).

    Returns:
        :class:`KKResult`.

    Raises:
        ImpedanceDataError: for invalid arrays, fewer than 3 points or invalid settings.
    """
    check_spectrum_arrays(frequency_hz, impedance_ohm, "kk_test")
    f = np.asarray(frequency_hz, dtype=float)
    z = np.asarray(impedance_ohm, dtype=complex)
    n = f.size
    if n < 3:
        raise ImpedanceDataError(f"kk_test: need at least 3 points, got {n}")
    if np.any(z == 0):
        raise ImpedanceDataError("kk_test: impedance is exactly zero at some frequency")
    if not 0 < mu_threshold <= 1:
        raise ImpedanceDataError(f"kk_test: mu_threshold must be in (0, 1], got {mu_threshold}")
    if residual_threshold <= 0 or trend_threshold <= 0 or trend_window_decades <= 0:
        raise ImpedanceDataError("kk_test: thresholds and the trend window must be positive")
    if tau_extension_decades < 0:
        raise ImpedanceDataError("kk_test: tau_extension_decades must be >= 0")
    omega = 2.0 * np.pi * f
    options = dict(
        add_capacitance=add_capacitance,
        add_inductance=add_inductance,
        extension_decades=tau_extension_decades,
    )
    notes: list[str] = []
    if num_elements is not None:
        if num_elements < 1:
            raise ImpedanceDataError(f"kk_test: num_elements must be >= 1, got {num_elements}")
        fit = _fit(omega, z, int(num_elements), **options)
    else:
        m_max = max(n // 2, min(n - 3, 40)) if max_elements is None else int(max_elements)
        if m_max < 1:
            raise ImpedanceDataError(f"kk_test: max_elements must be >= 1, got {max_elements}")
        fits = [_fit(omega, z, m, **options) for m in range(1, m_max + 1)]
        chi2 = np.array([np.sum(np.abs((z - ft.fitted) / z) ** 2) for ft in fits])
        dof = np.array([2 * n - ft.params.size for ft in fits], dtype=float)
        reduced = chi2 / np.maximum(dof, 1.0)
        floor = (0.03 * residual_threshold) ** 2
        good = reduced <= _UNDERFIT_FACTOR * reduced.min() + floor
        chosen = [i for i, ft in enumerate(fits) if ft.mu < mu_threshold and good[i]]
        if chosen:
            fit = fits[chosen[0]]
        else:
            fit = fits[int(np.flatnonzero(good)[-1])]
            notes.append(
                f"mu stayed >= {mu_threshold} up to M = {m_max}; M = {fit.tau.size} was used"
            )
    m = fit.tau.size
    params = fit.params
    residual = (z - fit.fitted) / np.abs(z)

    order = np.argsort(f)
    decades = np.log10(f.max() / f.min())
    per_decade = (n - 1) / decades if decades > 0 else n
    window = max(3, round(trend_window_decades * per_decade))
    window = min(window, n)
    trend = np.empty(n, dtype=complex)
    trend[order] = _running_mean(residual.real[order], window) + 1j * _running_mean(
        residual.imag[order], window
    )

    max_res = float(max(np.abs(residual.real).max(), np.abs(residual.imag).max()))
    max_trend = float(max(np.abs(trend.real).max(), np.abs(trend.imag).max()))
    noise = residual_noise(residual, order)
    limit = max(residual_threshold, NOISE_SIGMAS * noise)
    if limit > residual_threshold:
        notes.append(
            f"residual limit raised to {100 * limit:.2f} % = {NOISE_SIGMAS:g} x the noise level "
            f"{100 * noise:.2f} % estimated from the residuals"
        )
    passed = max_res <= limit and max_trend <= trend_threshold
    if max_res > limit:
        notes.append(f"largest residual {100 * max_res:.2f} % exceeds {100 * limit:.2f} %")
    if max_trend > trend_threshold:
        notes.append(
            f"systematic residual (running mean over {window} points) {100 * max_trend:.2f} % "
            f"exceeds {100 * trend_threshold:.2f} %: drift, non-linearity or non-stationarity"
        )

    k = 1 + m
    capacitance = None
    inductance = None
    if add_capacitance:
        inv_c = float(params[k])
        capacitance = np.inf if inv_c == 0 else 1.0 / inv_c
        k += 1
    if add_inductance:
        inductance = float(params[k])

    out = {
        "frequency_hz": f.copy(),
        "impedance_ohm": z.copy(),
        "fitted_ohm": fit.fitted,
        "residual_real": residual.real.copy(),
        "residual_imag": residual.imag.copy(),
        "trend_real": trend.real.copy(),
        "trend_imag": trend.imag.copy(),
        "tau_s": fit.tau,
        "resistances_ohm": params[1 : 1 + m].copy(),
    }
    for arr in out.values():
        arr.setflags(write=False)
    return KKResult(
        **out,
        num_elements=m,
        mu=float(fit.mu),
        pseudo_chi2=float(np.sum(np.abs(residual) ** 2)),
        max_abs_residual=max_res,
        max_abs_trend=max_trend,
        passed=bool(passed),
        series_resistance_ohm=float(params[0]),
        capacitance_f=capacitance,
        inductance_h=inductance,
        mu_threshold=float(mu_threshold),
        residual_threshold=float(residual_threshold),
        trend_threshold=float(trend_threshold),
        notes=tuple(notes),
    )
