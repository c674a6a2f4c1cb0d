"""Starting values of single series elements (inductors, tails, diffusion) from the data.

All estimates use the lowest (tails) or highest (inductors) measured frequencies and the NNLS
solution of the spectrum's noise floor (:mod:`ssblab.impedance.floor`). Units SI.

* L: the coefficient of the (jω)¹ column of the floor (H); if that is zero on an inductive
  spectrum, Z''(ω_max)/ω_max.
* La, Z = (jωL)^α: α from the slope of log Z'' vs log ω at the top frequencies; L from
  Im Z = (ωL)^α sin(απ/2) = Z''(ω_max).
* CPE tail, Z = 1/(Q (jω)^α): α from the slope of log|Z''| at the lowest frequencies, Q from
  −Im Z = ω^−α sin(απ/2)/Q = |Z''_tail(ω_min)|; C: C = 1/(ω_min |Z''_tail|); W (semi-infinite,
  Z = A_W (1 − j)/√ω): A_W = |Z''_tail| √ω_min.
* Wo (finite space), Z = Z0 coth(√(jωτ))/√(jωτ): the local slope of log|Im Z| vs log ω goes
  from −½ (ωτ ≫ 1, Warburg) to −1 (ωτ ≪ 1, capacitive): the measured slope at the lowest
  frequencies gives u = ω_min τ by inverting the shape's slope (the low-frequency turn of the
  spectrum), and Z0 = |Z''_tail(ω_min)|/|Im shape(u)|.
* Ws (finite length), Z = Z0 tanh(√(jωτ))/√(jωτ): a distribution of Voigt elements
  R_n = 8Z0/((2n−1)²π²), τ_n = 4τ/((2n−1)²π²) (Σ R_n = Z0), seen by the NNLS as one
  relaxation (τ_c, R_c): Z0 = R_c, the low-frequency real span, and τ = τ_c/TAU_WS_FACTOR. When
  no relaxation is left for it (the turn lies below the window), the slope inversion as for Wo
  (the Ws slope runs from −½ to +1).

|Z''_tail(ω_min)| is the data's −Z'' at ω_min when the spectrum has a tail (there the arcs'
Z'' has vanished), else the NNLS tail columns' |Im| there.
"""

from __future__ import annotations

import numpy as np

from ssblab.impedance.floor import NoiseFloor, inductive_exponent, tail_slope

# log-mean τ of the Ws relaxation distribution over τ: Σ R_n ln τ_n / Σ R_n − ln τ
_ODD = 2.0 * np.arange(1, 2001) - 1.0
TAU_WS_FACTOR = float(
    np.exp(np.sum(np.log(4 / (_ODD**2 * np.pi**2)) / _ODD**2) / np.sum(1 / _ODD**2))
)  # ≈ 0.206


def _top(frequency_hz):
    top = int(np.argmax(frequency_hz))
    return top, 2 * np.pi * float(frequency_hz[top])


def inductance_start(floor: NoiseFloor, frequency_hz, z) -> float:
    """L (H) of a series inductor."""
    top, omega = _top(frequency_hz)
    coefficient = float(floor.estimate.get("inductive", np.zeros(1))[0]) if floor.estimate else 0.0
    if coefficient > 0:
        return coefficient
    if floor.inductive:
        return max(float(np.asarray(z).imag[top]) / omega, 1e-15)
    return 1e-4 * float(np.abs(z[top])) / omega  # negligible: the fit decides


def la_start(floor: NoiseFloor, frequency_hz, z) -> tuple[float, float]:
    """(L, α) of a La element, Z = (jωL)^α."""
    top, omega = _top(frequency_hz)
    if floor.inductive:
        alpha = inductive_exponent(frequency_hz, z)
        alpha = float(np.clip(alpha, 0.5, 1.0))
        target = float(np.asarray(z).imag[top])
    else:
        alpha, target = 0.9, 1e-4 * float(np.abs(z[top]))
    target = max(target, 1e-12 * float(np.abs(z[top])))
    return (target / np.sin(alpha * np.pi / 2)) ** (1 / alpha) / omega, alpha


def tail_magnitude(floor: NoiseFloor, frequency_hz, z) -> float:
    """|Z''| (Ω) of the low-frequency tail at the lowest frequency.

    When the spectrum has a tail, the data's own −Z'' there (the arcs' Z'' has vanished); else
    the NNLS tail columns' |Im| at ω_min, else a small fraction of |Z| (the fit decides).
    """
    f = np.asarray(frequency_hz, dtype=float)
    z = np.asarray(z, dtype=complex)
    low = int(np.argmin(f))
    if floor.tail_exponents and -z.imag[low] > 0:
        return float(-z.imag[low])
    omega = 2 * np.pi * float(f[low])
    coefficients = floor.estimate.get("tail", ()) if floor.estimate else ()
    total = sum(
        c * omega ** (-b) * np.sin(b * np.pi / 2)
        for c, b in zip(coefficients, floor.tail_exponents, strict=False)
    )
    if total > 0:
        return float(total)
    return max(float(-z.imag[low]), 1e-6 * float(np.abs(z[low])))


def tail_alpha(frequency_hz, z) -> float:
    """α of a CPE tail from the slope of log|Z''| at the lowest frequencies (0.3 … 1)."""
    return float(np.clip(-tail_slope(frequency_hz, z), 0.3, 1.0))


def cpe_tail_start(floor: NoiseFloor, frequency_hz, z) -> tuple[float, float]:
    """(Q, α) of a series CPE tail."""
    alpha = tail_alpha(frequency_hz, z)
    omega = 2 * np.pi * float(np.min(frequency_hz))
    magnitude = tail_magnitude(floor, frequency_hz, z)
    return omega ** (-alpha) * np.sin(alpha * np.pi / 2) / magnitude, alpha


def capacitor_tail_start(floor: NoiseFloor, frequency_hz, z) -> float:
    omega = 2 * np.pi * float(np.min(frequency_hz))
    return 1.0 / (omega * tail_magnitude(floor, frequency_hz, z))


def warburg_start(floor: NoiseFloor, frequency_hz, z) -> float:
    omega = 2 * np.pi * float(np.min(frequency_hz))
    return tail_magnitude(floor, frequency_hz, z) * np.sqrt(omega)


def _shape(kind: str, u: np.ndarray) -> np.ndarray:
    x = np.sqrt(1j * u)
    return 1.0 / (np.tanh(x) * x) if kind == "Wo" else np.tanh(x) / x


def diffusion_turn(kind: str, frequency_hz, z) -> float:
    """τ (s) of a Wo/Ws tail from the measured low-frequency slope (see module docstring).

    The shape's slope is computed exactly as the data's (:func:`tail_slope`: a regression of
    log|Im Z| on log ω over the same lowest frequencies) for τ on a grid, u = ω_min τ from 1e-3
    to 1e3. It runs from −1 (Wo) or +1 (Ws) at small u to −½ at large u, overshooting −½ on
    the way (to ≈ −0.4 for Wo, ≈ −0.6 for Ws near u ≈ 10); only the monotonic part up to the
    overshoot is used, so the inversion is unique.
    """
    f = np.asarray(frequency_hz, dtype=float)
    omega = 2 * np.pi * float(f.min())
    tau = np.logspace(-3, 3, 121) / omega
    low = np.sort(f)[: max(3, min(8, f.size // 10))]
    shapes = _shape(kind, 2 * np.pi * low[None, :] * tau[:, None])
    log_w = np.log(low) - np.log(low).mean()
    log_im = np.log(np.abs(shapes.imag))
    slope = (log_im - log_im.mean(axis=1, keepdims=True)) @ log_w / (log_w @ log_w)
    end = int(np.argmax(slope)) if kind == "Wo" else int(np.argmin(slope))
    slope, log_tau = slope[: end + 1], np.log(tau[: end + 1])
    order = np.argsort(slope)
    return float(np.exp(np.interp(tail_slope(f, z), slope[order], log_tau[order])))


def diffusion_start(kind: str, floor: NoiseFloor, frequency_hz, z, tau: float | None = None):
    """(Z0, τ) of a Wo or Ws element; ``tau`` overrides the slope inversion."""
    if tau is None:
        tau = diffusion_turn(kind, frequency_hz, z)
    omega = 2 * np.pi * float(np.min(frequency_hz))
    shape = _shape(kind, np.array([omega * tau]))[0]
    z0 = tail_magnitude(floor, frequency_hz, z) / max(abs(shape.imag), 1e-12)
    return float(z0), float(tau)
