"""Arrhenius analysis of conductivity against temperature.

Models (k_B = 8.617333262e-5 eV/K, T in K):

* ``"sigmaT"`` (default): σT = A exp(−E_a/(k_B T)) — thermally activated hopping (the
  prefactor contains 1/T; e.g. West, *Solid State Chemistry*, 2nd ed., ch. 8);
* ``"sigma"``: σ = σ₀ exp(−E_a/(k_B T)).

Fitted by weighted linear least squares of ln y against 1/(k_B T) (weights from the relative σ
errors where given). Reported: E_a ± standard error, ln A, R², and σ at a temperature T*
(default 25 °C) with a two-sided confidence band from the t distribution with n − 2 degrees of
freedom: ln y(T*) ± t·se, se² = gᵀ cov g, g = (1, −1/(k_B T*)).

Validity: one conduction mechanism over the range (a straight line in ln y vs 1/T). Outside
the measured range the line is an extrapolation: a change of mechanism (grain boundaries
taking over on cooling, a phase transition, vacancy–interstitial association) bends the real
curve, and the band only covers the scatter of the points, not that. So σ(T*) at a T* below the
lowest or above the highest measured temperature carries a warning with the distance in kelvin
(``ArrheniusResult.extrapolation_K``: T* − T_min when negative, T* − T_max when positive, 0
inside the range).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from ssblab.errors import SsblabInputError

K_B_EV = 8.617333262e-5  # eV/K (CODATA 2018)


@dataclass(frozen=True)
class ArrheniusResult:
    model: str
    activation_energy_eV: float
    activation_energy_err_eV: float
    ln_prefactor: float
    ln_prefactor_err: float
    r_squared: float
    n_points: int
    temperature_K: tuple[float, ...]
    sigma_S_m: tuple[float, ...]
    extrapolation_temperature_K: float
    sigma_extrapolated_S_m: float
    sigma_extrapolated_band_S_m: tuple[float, float]
    confidence: float
    reported_activation_energy_eV: float | None = None
    agrees_with_reported: bool | None = None
    notes: tuple[str, ...] = ()
    extrapolation_K: float = 0.0  # T* − T_min (< 0), T* − T_max (> 0), 0 inside the range
    warnings: tuple[str, ...] = ()

    def predict(self, temperature_K) -> np.ndarray:
        t = np.asarray(temperature_K, dtype=float)
        y = np.exp(self.ln_prefactor - self.activation_energy_eV / (K_B_EV * t))
        return y / t if self.model == "sigmaT" else y

    def to_dict(self) -> dict:
        return asdict(self)


def arrhenius_fit(
    temperature_K,
    sigma_S_m,
    sigma_err_S_m=None,
    *,
    model: str = "sigmaT",
    extrapolate_to_K: float = 298.15,
    confidence: float = 0.95,
    reported_activation_energy_eV: float | None = None,
) -> ArrheniusResult:
    """Fit E_a; compare with ``reported_activation_energy_eV`` when given (flag > 2σ apart)."""
    t = np.asarray(temperature_K, dtype=float)
    sigma = np.asarray(sigma_S_m, dtype=float)
    if model not in ("sigmaT", "sigma"):
        raise SsblabInputError(f"model {model!r}: use 'sigmaT' or 'sigma'")
    if t.shape != sigma.shape or t.ndim != 1:
        raise SsblabInputError("temperature and conductivity must be 1-D arrays of equal length")
    if t.size < 2:
        raise SsblabInputError("Arrhenius fit needs at least two temperatures")
    if np.any(t <= 0) or np.any(sigma <= 0) or not np.all(np.isfinite(t * sigma)):
        raise SsblabInputError("temperatures (K) and conductivities must be positive and finite")
    if np.unique(t).size < 2:
        raise SsblabInputError("Arrhenius fit needs at least two different temperatures")
    if not (np.isfinite(extrapolate_to_K) and extrapolate_to_K > 0):
        raise SsblabInputError(f"temperature for σ(T) must be positive, got {extrapolate_to_K} K")
    if not 0 < confidence < 1:
        raise SsblabInputError(f"confidence must be in (0, 1), got {confidence}")
    x = 1.0 / (K_B_EV * t)
    y = np.log(sigma * t) if model == "sigmaT" else np.log(sigma)
    if sigma_err_S_m is not None:
        rel = np.asarray(sigma_err_S_m, dtype=float) / sigma
        weights = 1.0 / np.maximum(rel, 1e-6) ** 2
    else:
        weights = np.ones_like(x)
    design = np.column_stack([np.ones_like(x), -x])
    w = np.sqrt(weights)
    coef, *_ = np.linalg.lstsq(design * w[:, None], y * w, rcond=None)
    residual = y - design @ coef
    dof = t.size - 2
    notes = []
    if dof > 0:
        s2 = float(np.sum(weights * residual**2) / dof)
        cov = np.linalg.inv((design * weights[:, None]).T @ design) * s2
    else:
        cov = np.zeros((2, 2))
        notes.append("two points: no uncertainty can be estimated")
    y_mean = np.average(y, weights=weights)
    ss_tot = float(np.sum(weights * (y - y_mean) ** 2))
    r2 = 1.0 - float(np.sum(weights * residual**2)) / ss_tot if ss_tot > 0 else 1.0
    x0 = 1.0 / (K_B_EV * extrapolate_to_K)
    g = np.array([1.0, -x0])
    y0 = float(g @ coef)
    se0 = float(np.sqrt(max(g @ cov @ g, 0.0)))
    tcrit = _t_quantile(0.5 + confidence / 2, dof) if dof > 0 else 0.0
    band = np.exp([y0 - tcrit * se0, y0 + tcrit * se0])
    to_sigma = (1.0 / extrapolate_to_K) if model == "sigmaT" else 1.0
    ea, ea_err = float(coef[1]), float(np.sqrt(max(cov[1, 1], 0.0)))
    agrees = None
    if reported_activation_energy_eV is not None:
        tolerance = max(2 * ea_err, 0.01)
        agrees = abs(ea - reported_activation_energy_eV) <= tolerance
        if not agrees:
            notes.append(
                f"reported E_a {reported_activation_energy_eV:.3f} eV disagrees with "
                f"{ea:.3f} ± {ea_err:.3f} eV fitted from the same data"
            )
    distance, warnings = extrapolation(t, extrapolate_to_K)
    return ArrheniusResult(
        model=model,
        activation_energy_eV=ea,
        activation_energy_err_eV=ea_err,
        ln_prefactor=float(coef[0]),
        ln_prefactor_err=float(np.sqrt(max(cov[0, 0], 0.0))),
        r_squared=r2,
        n_points=int(t.size),
        temperature_K=tuple(map(float, t)),
        sigma_S_m=tuple(map(float, sigma)),
        extrapolation_temperature_K=float(extrapolate_to_K),
        sigma_extrapolated_S_m=float(np.exp(y0) * to_sigma),
        sigma_extrapolated_band_S_m=(float(band[0] * to_sigma), float(band[1] * to_sigma)),
        confidence=confidence,
        reported_activation_energy_eV=reported_activation_energy_eV,
        agrees_with_reported=agrees,
        notes=tuple(notes),
        extrapolation_K=distance,
        warnings=warnings,
    )


def extrapolation(temperature_K, target_K: float) -> tuple[float, tuple[str, ...]]:
    """Signed distance of ``target_K`` outside the measured range (0 inside) and the warning."""
    t = np.asarray(temperature_K, dtype=float)
    low, high = float(t.min()), float(t.max())
    if low <= target_K <= high:
        return 0.0, ()
    distance = target_K - (low if target_K < low else high)
    side, edge = ("below the lowest", low) if distance < 0 else ("above the highest", high)
    return distance, (
        f"σ({_celsius(target_K)}) is extrapolated {abs(distance):.3g} K {side} measured "
        f"temperature ({_celsius(edge)}): a change of conduction mechanism outside the range "
        "is not in the confidence band",
    )


def _celsius(kelvin: float) -> str:
    return f"{kelvin - 273.15:.4g} °C".replace("-", "−")


def _t_quantile(p: float, dof: int) -> float:
    """Quantile of Student's t (scipy.special, not scipy.stats: 0.1 s instead of ~0.5 s)."""
    from scipy.special import stdtrit

    return float(stdtrit(dof, p))


def conductivity_at_temperature(
    sigma_ref_S_m: float,
    activation_energy_eV: float,
    temperature_K: float,
    reference_K: float = 298.15,
    *,
    model: str = "sigmaT",
) -> float:
    """σ(T) from σ at ``reference_K`` and E_a in the stated form (S/m).

    ``"sigmaT"``: σT = A exp(−E_a/k_BT) ⇒ σ(T) = σ_ref (T_ref/T) exp[−E_a/k_B (1/T − 1/T_ref)];
    ``"sigma"``: σ(T) = σ_ref exp[−E_a/k_B (1/T − 1/T_ref)]. Use the form the E_a was fitted in
    (:func:`arrhenius_fit` defaults to σT; ``CellParameters.sse_sigma_ion_at_temperature`` calls
    this function with the form its set names in ``sse_activation_energy_form``)."""
    if model not in ("sigmaT", "sigma"):
        raise SsblabInputError(f"model {model!r}: use 'sigmaT' or 'sigma'")
    for name, value in (("temperature_K", temperature_K), ("reference_K", reference_K)):
        if not (np.isfinite(value) and value > 0):
            raise SsblabInputError(f"{name} must be finite and > 0, got {value}")
    if not (np.isfinite(sigma_ref_S_m) and sigma_ref_S_m > 0):
        raise SsblabInputError(f"sigma_ref_S_m must be finite and > 0, got {sigma_ref_S_m}")
    factor = np.exp(-activation_energy_eV / K_B_EV * (1 / temperature_K - 1 / reference_K))
    prefactor = reference_K / temperature_K if model == "sigmaT" else 1.0
    return float(sigma_ref_S_m * prefactor * factor)


def convert_activation_energy_eV(
    activation_energy_eV: float, low_K: float, high_K: float, *, to_model: str = "sigma"
) -> float:
    """E_a of the same two-point data (σ at ``low_K`` and ``high_K``) in the other form.

    ln σ = ln(σT) − ln T, so E_σ = E_σT − k_B ln(T₂/T₁)/(1/T₁ − 1/T₂) (exact for two points;
    ≈ E_σT − k_B·T̄ over a range). ``to_model="sigma"`` converts a σT energy to the σ form,
    ``"sigmaT"`` the reverse. E.g. seed 002's LLTO: 0.252 eV (σT) ↔ 0.223 eV (σ), 25–120 °C."""
    if to_model not in ("sigmaT", "sigma"):
        raise SsblabInputError(f"to_model {to_model!r}: use 'sigmaT' or 'sigma'")
    if not (np.isfinite(low_K) and np.isfinite(high_K) and 0 < low_K < high_K):
        raise SsblabInputError(f"need 0 < low_K < high_K, got {low_K}, {high_K}")
    shift = K_B_EV * np.log(high_K / low_K) / (1 / low_K - 1 / high_K)
    return float(
        activation_energy_eV - shift if to_model == "sigma" else activation_energy_eV + shift
    )
