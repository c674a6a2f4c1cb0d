"""The noise floor of a spectrum: the χ² a flexible, physically admissible model reaches.

Model (all coefficients non-negative, fitted by NNLS with modulus weights w = |Z|):

    Z(ω) = R_∞ + Σ_k R_k/(1 + jωτ_k) + Σ_a L_a (jω)^a + Σ_b T_b (jω)^(−b)

* a dense Voigt series: τ_k log-spaced at ``per_decade`` (6) per decade from 1/ω_max to 1/ω_min,
  extended by ``extend_decades`` on both sides (arcs just outside the window);
* a series resistance R_∞;
* inductive columns (jω)^a: always a = 1 (a cable or cell inductance L); when the spectrum is
  inductive (Z'' > 0 at the top frequencies) also a = the slope of log Z'' vs log ω there
  (a La element, (jωL)^a). On a capacitive spectrum the L coefficient stays at or near zero,
  so the column costs nothing — and an inductive branch is never counted as noise;
* blocking/diffusion tail columns (jω)^(−b) when the low-frequency |Z''| still rises as f
  falls: b from the slope of log|Z''| vs log ω at the lowest frequencies (a CPE tail), b = 1
  (capacitor, and the low-frequency limit of a finite-space Warburg Wo) and b = ½
  (semi-infinite Warburg W). A finite-length Warburg Ws returns to the real axis and is a
  distribution of Voigt elements, which the series already contains.

The ingredients depend on the spectrum only, so every candidate circuit for one spectrum is
judged against the same number. Any equivalent circuit made of these elements is (close to) a
special case of this model, so its χ² is at or above the floor; with white noise of variance σ²
per real value the floor is ≈ σ²(2N − k), k the number of non-zero coefficients, and a
correct P-parameter circuit reaches ≈ σ²(2N − P). :meth:`NoiseFloor.accepts` turns this into a
test (an F-test-like bound; see its docstring).

Sources: Voigt/DRT basis as in Boukamp, J. Electrochem. Soc. 142 (1995) 1885 (lin-KK) and
Schönleber et al., Electrochim. Acta 131 (2014) 20; NNLS: Lawson & Hanson (1974).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

INDUCTIVE_POINTS = 3  # top frequencies whose Z'' decides "inductive"
TAIL_SLOPE = -0.2  # log|Z''| vs log ω slope below which the low-frequency end is a tail
TAIL_PHASE = 0.1  # −Z''/|Z| above which the low-frequency end is capacitive (≈ 6°)


@dataclass(frozen=True)
class NoiseFloor:
    """χ² of the flexible model on one spectrum and what it contained.

    ``chi2`` is modulus-weighted (as the fits); ``n_active`` the number of non-zero
    coefficients k; ``n_points`` N (2N real values); ``inductive`` whether the spectrum's
    top-frequency Z'' is positive; ``inductance_h`` the fitted L of the (jω)¹ column (H);
    ``inductive_exponents`` and ``tail_exponents`` the a and b of the extra columns;
    ``r_series_ohm`` R_∞; ``estimate`` the NNLS solution itself (:func:`voigt_nnls`).
    """

    chi2: float
    n_active: int
    n_points: int
    inductive: bool
    inductance_h: float
    inductive_exponents: tuple[float, ...]
    tail_exponents: tuple[float, ...]
    r_series_ohm: float
    # the NNLS solution (see voigt_nnls), reused for starting values
    estimate: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def sigma2(self) -> float:
        """Noise variance per real value, χ²_floor/(2N − k)."""
        return self.chi2 / max(2 * self.n_points - self.n_active, 1)

    def threshold(self, n_params: int, z_score: float = 3.0) -> float:
        """Largest χ² a correct ``n_params``-parameter circuit reaches, at ``z_score``.

        χ²_fit − χ²_floor ≈ σ²·(k − P) ± σ²·√(2 max(k − P, 1)) for nested least-squares
        models with Gaussian noise (the χ² of the k − P extra directions), plus 2 % for the
        Voigt series' approximation of CPEs; σ² = χ²_floor/(2N − k).
        """
        extra = max(self.n_active - n_params, 0)
        excess = extra + z_score * np.sqrt(2.0 * max(extra, 1))
        return 1.02 * (self.chi2 + self.sigma2 * excess)

    def accepts(self, chi2: float, n_params: int) -> bool:
        """Whether a fit with this χ² and this many free parameters is at the floor."""
        return bool(chi2 <= self.threshold(n_params))

    def describe(self) -> str:
        parts = ["dense Voigt series", "series R", "L"]
        if len(self.inductive_exponents) > 1:
            parts.append(f"La (α {self.inductive_exponents[1]:.2f})")
        if self.tail_exponents:
            parts.append("tail (jω)^-b, b = " + ", ".join(f"{b:.2f}" for b in self.tail_exponents))
        return f"noise floor χ² {self.chi2:.4g} (NNLS: {', '.join(parts)}; k = {self.n_active})"


SCIPY_NNLS_AFTER = 12  # NNLS calls in this process before scipy's compiled one is loaded
_NNLS_CALLS = [0]


def solve_nnls(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, float]:
    """min ‖Ax − b‖ with x ≥ 0: (x, residual norm).

    The first ``SCIPY_NNLS_AFTER`` calls of a process use the NumPy active-set solver
    (:mod:`ssblab.impedance.nnls`), so a one-off ``ssblab eis fit`` does not pay the ≈ 0.4 s
    import of ``scipy.optimize``; later calls (batches, benchmarks, many candidates) use
    ``scipy.optimize.nnls``, ≈ 5–10× faster per call on these 162 × 40–60 problems, whose
    import is then amortised. Both give the same solution (to 1e-9 in χ², tested).
    """
    _NNLS_CALLS[0] += 1
    if _NNLS_CALLS[0] <= SCIPY_NNLS_AFTER:
        from ssblab.impedance.nnls import nnls

        return nnls(a, b)
    from scipy.optimize import nnls as scipy_nnls

    coef, residual = scipy_nnls(a, b, maxiter=100 * a.shape[1])
    return coef, float(residual)


def _slope(log_x: np.ndarray, log_y: np.ndarray) -> float:
    x = log_x - log_x.mean()
    denominator = float(x @ x)
    return float(x @ (log_y - log_y.mean()) / denominator) if denominator > 0 else 0.0


def is_inductive(frequency_hz, z) -> bool:
    """Z'' > 0 at the majority of the top ``INDUCTIVE_POINTS`` frequencies."""
    order = np.argsort(frequency_hz)[::-1][:INDUCTIVE_POINTS]
    return bool(np.sum(np.asarray(z).imag[order] > 0) * 2 > order.size)


def inductive_exponent(frequency_hz, z) -> float:
    """a of (jω)^a from the slope of log Z'' vs log ω over the positive top points (0.3 … 1)."""
    f = np.asarray(frequency_hz, dtype=float)
    zi = np.asarray(z).imag
    order = np.argsort(f)[::-1]
    top = [i for i in order[: max(3, f.size // 10)] if zi[i] > 0]
    if len(top) < 2:
        return 1.0
    slope = _slope(np.log(f[top]), np.log(zi[top]))
    return float(np.clip(slope, 0.3, 1.0))


def tail_slope(frequency_hz, z) -> float:
    """Slope of log|Z''| vs log ω over the lowest frequencies (−α for a CPE tail)."""
    f = np.asarray(frequency_hz, dtype=float)
    order = np.argsort(f)
    k = max(3, min(8, f.size // 10))
    low = order[:k]
    zi = np.maximum(np.abs(np.asarray(z).imag[low]), 1e-300)
    return _slope(np.log(f[low]), np.log(zi))


def has_tail(frequency_hz, z) -> bool:
    """A low-frequency tail: at the lowest frequencies (the lowest tenth, 3 to 8 points) the
    phase is clearly capacitive (median −Z''/|Z| above ``TAIL_PHASE``, ≈ 6°, so noise around
    a real-axis end does not count) and |Z''| still rises as f falls (slope of log|Z''| vs
    log ω below ``TAIL_SLOPE``)."""
    f = np.asarray(frequency_hz, dtype=float)
    z = np.asarray(z, dtype=complex)
    low = np.argsort(f)[: max(3, min(8, f.size // 10))]
    capacitive = np.median(-z.imag[low] / np.abs(z[low])) > TAIL_PHASE
    return bool(capacitive and tail_slope(f, z) < TAIL_SLOPE)


def voigt_nnls(
    frequency_hz,
    z,
    *,
    per_decade: float = 6,
    extend_decades: float = 0.5,
    inductive_exponents=(1.0,),
    tail_exponents=(),
):
    """NNLS of the model above: dict with tau, r_k, r_series, inductive (coefficients per
    exponent), tail (per exponent), chi2 and n_active."""
    f = np.asarray(frequency_hz, dtype=float)
    z = np.asarray(z, dtype=complex)
    omega = 2 * np.pi * f
    lo = np.log10(1 / omega.max()) - extend_decades
    hi = np.log10(1 / omega.min()) + extend_decades
    tau = np.logspace(lo, hi, int(np.ceil((hi - lo) * per_decade)) + 1)
    s = 1j * omega[:, None]
    columns = [1.0 / (1.0 + s * tau[None, :]), np.ones((omega.size, 1), dtype=complex)]
    columns += [s**a for a in inductive_exponents]
    columns += [s ** (-b) for b in tail_exponents]
    a = np.concatenate(columns, axis=1)
    w = np.abs(z)
    a_real = np.concatenate([a.real / w[:, None], a.imag / w[:, None]])
    norm = np.linalg.norm(a_real, axis=0)
    norm[norm == 0] = 1.0
    b = np.concatenate([z.real / w, z.imag / w])
    coef, residual = solve_nnls(a_real / norm, b)
    n_active = int(np.sum(coef > 1e-12 * max(coef.max(), 1e-300)))
    coef = coef / norm
    n = tau.size
    k = n + 1
    n_ind = len(inductive_exponents)
    return {
        "tau": tau,
        "r_k": coef[:n],
        "r_series": float(coef[n]),
        "inductive": coef[k : k + n_ind],
        "tail": coef[k + n_ind :],
        "chi2": float(residual**2),
        "n_active": n_active,
    }


def spectrum_noise_floor(frequency_hz, z) -> NoiseFloor:
    """The noise floor of one spectrum (see the module docstring); same for every circuit."""
    f = np.asarray(frequency_hz, dtype=float)
    z = np.asarray(z, dtype=complex)
    inductive = is_inductive(f, z)
    ind = [1.0]
    if inductive:
        a = inductive_exponent(f, z)
        if abs(a - 1.0) > 0.05:
            ind.append(a)
    tails: list[float] = []
    if has_tail(f, z):
        for b in (float(np.clip(-tail_slope(f, z), 0.3, 1.0)), 1.0, 0.5):
            if all(abs(b - t) > 0.05 for t in tails):
                tails.append(b)
    est = voigt_nnls(f, z, inductive_exponents=tuple(ind), tail_exponents=tuple(tails))
    return NoiseFloor(
        chi2=est["chi2"],
        n_active=est["n_active"],
        n_points=int(f.size),
        inductive=inductive,
        inductance_h=float(est["inductive"][0]),
        inductive_exponents=tuple(ind),
        tail_exponents=tuple(tails),
        r_series_ohm=est["r_series"],
        estimate=est,
    )
