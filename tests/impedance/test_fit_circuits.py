"""``fit(circuit, f, z)`` with automatic starts reaches the optimum on the circuits real
spectra need: series inductors (L, La), Warburg tails (W, Wo, Ws), CPE tails, two arcs plus a
tail (composite / full cells).

Ground truth: seeded synthetic spectra (known parameters) with 0.3 % proportional complex
noise; the reference optimum is a fit started at the true parameters. Success: χ² of the
automatic fit at most 5 % above the reference (the benchmark's criterion). Each circuit must
succeed on ≥ 95 % of 20 seeded spectra.
"""

from __future__ import annotations

import numpy as np
import pytest

from ssblab.impedance.circuits import Circuit
from ssblab.impedance.fitting import fit

FREQ = np.logspace(6, -2, 81)  # 1 MHz to 10 mHz, 10 points per decade
N_SPECTRA = 20
NOISE = 0.003


def _arcs(rng, n_arcs, lo=0.5, hi=5.3):
    """n_arcs (R, Q, α) with peak frequencies 10^lo–10^hi Hz, ≥ 1.5 decades apart, fastest first."""
    while True:
        peaks = np.sort(rng.uniform(lo, hi, n_arcs))[::-1]
        if n_arcs < 2 or np.all(-np.diff(peaks) >= 1.5):
            break
    out = []
    for log_f in peaks:
        r, alpha = 10 ** rng.uniform(1.5, 4), rng.uniform(0.7, 1.0)
        tau = 1 / (2 * np.pi * 10**log_f)
        out += [r, tau**alpha / r, alpha]
    return out


def _cpe_tail(rng):
    return [10 ** rng.uniform(-6, -4), rng.uniform(0.6, 0.95)]


def _inductance(rng):
    return 10 ** rng.uniform(0.3, 1.3) / (2 * np.pi * 1e6)  # H


def spectrum_parameters(text: str, rng: np.random.Generator) -> np.ndarray:
    """True parameters for one of the circuits in ``CIRCUITS`` (SI units)."""
    r0 = [10 ** rng.uniform(0.5, 2)]
    # inductors: ωL at 1 MHz of 2–20 Ω, arcs below 30 kHz, so the top decade is inductive
    if text == "L0-R0-p(R1,CPE1)-CPE2":
        return np.array([_inductance(rng), *r0, *_arcs(rng, 1, hi=4.5), *_cpe_tail(rng)])
    if text == "La0-R0-p(R1,CPE1)-p(R2,CPE2)-CPE3":
        alpha = rng.uniform(0.7, 1.0)
        la = [(10 ** rng.uniform(0.3, 1.3)) ** (1 / alpha) / (2 * np.pi * 1e6), alpha]
        return np.array([*la, *r0, *_arcs(rng, 2, hi=4.5), *_cpe_tail(rng)])
    if text == "R0-p(R1,CPE1)-Wo1":
        return np.array(
            [*r0, *_arcs(rng, 1, 1.5), 10 ** rng.uniform(1.5, 3.5), 10 ** rng.uniform(0, 2)]
        )
    if text == "R0-p(R1,CPE1)-p(R2,CPE2)-Ws1":
        return np.array(
            [*r0, *_arcs(rng, 2, 2.0), 10 ** rng.uniform(2, 4), 10 ** rng.uniform(-0.5, 1.5)]
        )
    if text == "R0-p(R1,CPE1)-W1":
        return np.array([*r0, *_arcs(rng, 1, 1.5), 10 ** rng.uniform(1, 3)])
    if text == "R0-p(R1,CPE1)-p(R2,CPE2)-CPE3":
        return np.array([*r0, *_arcs(rng, 2), *_cpe_tail(rng)])
    if text == "L0-R0-p(R1,CPE1)-p(R2,CPE2)-CPE3":
        return np.array([_inductance(rng), *r0, *_arcs(rng, 2, hi=4.5), *_cpe_tail(rng)])
    raise KeyError(text)


CIRCUITS = (
    "L0-R0-p(R1,CPE1)-CPE2",
    "La0-R0-p(R1,CPE1)-p(R2,CPE2)-CPE3",
    "R0-p(R1,CPE1)-Wo1",
    "R0-p(R1,CPE1)-p(R2,CPE2)-Ws1",
    "R0-p(R1,CPE1)-W1",
    "R0-p(R1,CPE1)-p(R2,CPE2)-CPE3",
    "L0-R0-p(R1,CPE1)-p(R2,CPE2)-CPE3",
)


def noisy_spectrum(text: str, seed: int):
    """(true parameters, noisy Z) of one seeded spectrum; circuits with a series inductor are
    drawn until the top three frequencies are inductive (Z'' > 0), the case they are for."""
    rng = np.random.default_rng(seed)
    while True:
        truth = spectrum_parameters(text, rng)
        z = Circuit(text).impedance(FREQ, truth)
        if not text.startswith("L") or np.all(z[:3].imag > 0):
            break
    z = z * (1 + NOISE * (rng.normal(size=z.size) + 1j * rng.normal(size=z.size)))
    return truth, z


@pytest.mark.parametrize("text", CIRCUITS)
def test_auto_start_reaches_the_optimum(text):
    failures = []
    for seed in range(N_SPECTRA):
        truth, z = noisy_spectrum(text, 1000 + seed)
        reference = fit(text, FREQ, z, initial=truth)
        auto = fit(text, FREQ, z)
        if auto.chi2 > 1.05 * reference.chi2:
            failures.append((seed, auto.chi2 / reference.chi2))
    assert len(failures) <= 0.05 * N_SPECTRA, failures
