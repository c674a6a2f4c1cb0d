"""Synthetic impedance spectra for the analysis tests (independent of ssblab's circuit module).

Elements are functions of the angular frequency ω (rad/s) returning the complex impedance (Ω),
physical sign (capacitive Z'' < 0); :func:`series` and :func:`parallel` combine them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Element = Callable[[np.ndarray], np.ndarray]


def resistor(r_ohm: float) -> Element:
    return lambda w: np.full(np.shape(w), r_ohm, dtype=complex)


def capacitor(c_f: float) -> Element:
    return lambda w: 1.0 / (1j * w * c_f)


def inductor(l_h: float) -> Element:
    return lambda w: 1j * w * l_h


def cpe(q: float, alpha: float) -> Element:
    """Constant-phase element, Z = 1/(Q (jω)^α), Q in F·s^(α−1)."""
    return lambda w: 1.0 / (q * (1j * w) ** alpha)


def series(*elements: Element) -> Element:
    return lambda w: sum(e(w) for e in elements)


def parallel(*elements: Element) -> Element:
    return lambda w: 1.0 / sum(1.0 / e(w) for e in elements)


def rc(r_ohm: float, tau_s: float) -> Element:
    """R ‖ C with time constant τ = RC."""
    return parallel(resistor(r_ohm), capacitor(tau_s / r_ohm))


def zarc(r_ohm: float, tau_s: float, alpha: float) -> Element:
    """R ‖ CPE with characteristic time τ0 = (RQ)^(1/α)."""
    return parallel(resistor(r_ohm), cpe(tau_s**alpha / r_ohm, alpha))


def log_frequencies(f_max: float = 1e6, f_min: float = 1e-1, per_decade: int = 10) -> np.ndarray:
    """Descending log-spaced frequencies (Hz), as an analyser sweeps them."""
    n = round(np.log10(f_max / f_min) * per_decade) + 1
    return np.logspace(np.log10(f_max), np.log10(f_min), n)


def impedance(element: Element, frequency_hz: np.ndarray) -> np.ndarray:
    return element(2.0 * np.pi * np.asarray(frequency_hz, dtype=float))


def add_noise(z: np.ndarray, relative: float, rng: np.random.Generator) -> np.ndarray:
    """Proportional complex Gaussian noise with rms |δZ|/|Z| = ``relative``.

    Each of the real and imaginary parts gets σ = relative/√2 · |Z|.
    """
    sigma = relative / np.sqrt(2.0) * np.abs(z)
    return z + sigma * (rng.standard_normal(z.shape) + 1j * rng.standard_normal(z.shape))


def drift_low_frequency_half(
    frequency_hz: np.ndarray, z: np.ndarray, amplitude: float = 0.05
) -> np.ndarray:
    """Multiply the low-frequency half by a factor rising from 1 to 1 + amplitude.

    The factor grows with measurement time, i.e. towards lower frequency (a cell that changes
    while the analyser sweeps down).
    """
    order = np.argsort(frequency_hz)[::-1]  # measurement order: high to low frequency
    n = order.size
    half = n // 2
    factor = np.ones(n)
    factor[half:] = np.linspace(1.0, 1.0 + amplitude, n - half)
    out = np.array(z, dtype=complex)
    out[order] *= factor
    return out


def solid_electrolyte(
    r0: float,
    r1: float,
    q1: float,
    a1: float,
    r2: float,
    q2: float,
    a2: float,
    q3: float,
    a3: float,
) -> Element:
    """R0 − (R1 ‖ CPE1) − (R2 ‖ CPE2) − CPE3: bulk, grain boundary, blocking electrode."""
    return series(
        resistor(r0),
        parallel(resistor(r1), cpe(q1, a1)),
        parallel(resistor(r2), cpe(q2, a2)),
        cpe(q3, a3),
    )
