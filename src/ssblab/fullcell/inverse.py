"""Which interface explains a half cell's capacity fade: calibrate, fit a mechanism, test it.

* :func:`fit_utilisation` — the connected fraction of the cast active material from the
  initial specific capacity (one number, one parameter: a *fitted* calibration).
* :func:`fit_mechanism` — the one rate parameter of a degradation mechanism
  (:class:`~ssblab.fullcell.halfcell.Degradation`: interfacial ASR growth k, or loss of active
  material per cycle) that reproduces a retention after N cycles, by bracketing and Brent's
  method on log k; the interval is where |model − target| ≤ 1.96 σ (σ the retention's stated
  uncertainty in points), from the local slope at the root.
* :func:`anode_interface_history` — the Li|SSE interface ASR over a full-cell run predicted by
  ssblab's symmetric-cell simulator at the full cell's current density (no full-cell data used).

Every fit reports what it was fitted on; nothing here predicts the point it was fitted to.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace

import numpy as np
from scipy.optimize import brentq

from ssblab.errors import SsblabInputError
from ssblab.fullcell.halfcell import (
    Degradation,
    FullCellError,
    HalfCellDesign,
    prepare,
    simulate_halfcell,
)

MECHANISMS = ("asr_growth", "lam")


def _protocol_head(steps: Sequence[Sequence[str]], first_cycle: int) -> list:
    return [tuple(s) for s in steps[:first_cycle]]


def fit_utilisation(
    design: HalfCellDesign,
    steps: Sequence[Sequence[str]],
    target_mAh_g: float,
    *,
    cycle: int,
    model: str = "SPMe",
) -> tuple[HalfCellDesign, float]:
    """Utilisation that gives ``target_mAh_g`` on discharge in cycle ``cycle`` (1-based) of
    ``steps`` (only the first ``cycle`` cycles are simulated). Returns (design, utilisation)."""
    if not target_mAh_g > 0:
        raise SsblabInputError(f"target specific capacity must be > 0, got {target_mAh_g!r}")
    head = _protocol_head(steps, cycle)

    def specific(u: float) -> float:
        result = simulate_halfcell(replace(design, utilisation=u), head, model=model)
        return float(result.specific_discharge_mAh_g[cycle - 1])

    u = 1.0
    for _ in range(4):  # capacity ∝ utilisation to first order: a few secant steps converge
        got = specific(u)
        new = min(1.0, u * target_mAh_g / got)
        if abs(new - u) < 1e-4 * u:
            break
        u = new
    if u >= 1.0 and specific(1.0) < target_mAh_g * 0.999:
        raise FullCellError(
            f"the cathode cannot reach {target_mAh_g:g} mAh/g even fully utilised "
            f"({specific(1.0):.1f} mAh/g)"
        )
    return replace(design, utilisation=u), u


@dataclass(frozen=True)
class MechanismFit:
    mechanism: str
    value: float  # k (Ω m² at 1 h) or LAM fraction per cycle
    interval: tuple[float, float]
    target_retention: float
    fitted_retention: float
    first_cycle: int
    last_cycle: int
    mean_voltage_drop_V: float  # mean discharge voltage, first → last cycle
    coulombic_efficiency_last: float
    evaluations: int
    duration_h: float = float("nan")

    def to_dict(self) -> dict:
        return asdict(self)


def _degradation(mechanism: str, value: float, exponent: float) -> Degradation:
    if mechanism == "asr_growth":
        return Degradation(asr_growth_ohm_m2=value, asr_growth_exponent=exponent)
    if mechanism == "lam":
        return Degradation(lam_fraction_per_cycle=value)
    raise SsblabInputError(f"mechanism must be one of {MECHANISMS}, got {mechanism!r}")


def _solve_log_loss(
    retention,
    target: float,
    lo: float,
    hi: float,
    mechanism: str,
    guess: float | None = None,
    max_secant: int = 12,
) -> float:
    """Root of retention(k) = target. The capacity loss 1 − R grows about as a power of k, so a
    secant on log(loss) against log(k) converges in a few runs; Brent's method on a bracket
    takes over if the secant leaves [lo, hi·10⁴] or stalls."""
    goal = math.log(1.0 - target)

    def g(log_k: float) -> float:
        return math.log(max(1.0 - retention(math.exp(log_k)), 1e-12)) - goal

    x0 = math.log(guess if guess else math.sqrt(lo * hi))
    if guess is not None and abs(g(x0)) < 1e-3:
        return math.exp(x0)  # the guess already meets the target (a converged joint fit)
    x1 = x0 + math.log(1.2 if guess else 3.0)
    g0, g1 = g(x0), g(x1)
    for _ in range(max_secant):
        if abs(g1) < 1e-3 or g1 == g0:
            break
        x0, x1, g0 = x1, x1 - g1 * (x1 - x0) / (g1 - g0), g1
        if not math.log(lo) - 1 <= x1 <= math.log(hi) + 4 * math.log(10.0):
            break
        g1 = g(x1)
    if abs(g1) < 1e-3:
        return math.exp(x1)
    a, b = math.log(lo), math.log(hi)
    if g(a) > 0:
        raise FullCellError(
            f"{mechanism}: even {lo:g} fades below the target retention {target:.3f}"
        )
    while g(b) < 0:
        a, b = b, b + math.log(10.0)
        if b > math.log(hi) + 4 * math.log(10.0):
            raise FullCellError(f"{mechanism}: no rate up to {math.exp(b):g} reaches the target")
    return math.exp(brentq(g, a, b, xtol=1e-5, rtol=1e-6))


def fit_mechanism(
    design: HalfCellDesign,
    steps: Sequence[Sequence[str]],
    target_retention: float,
    mechanism: str,
    *,
    first_cycle: int,
    last_cycle: int | None = None,
    sigma_points: float = 1.0,
    exponent: float = 1.0,
    model: str = "SPMe",
    bracket: tuple[float, float] | None = None,
    progress: Callable[[str], None] | None = None,
    guess: float | None = None,
    max_secant: int = 12,
) -> MechanismFit:
    """Fit ``mechanism``'s rate so that Q(last)/Q(first) = ``target_retention`` (0–1)."""
    if not 0 < target_retention < 1:
        raise SsblabInputError(f"target_retention must be in (0, 1), got {target_retention!r}")
    steps = [tuple(s) for s in steps]
    last_cycle = len(steps) if last_cycle is None else last_cycle
    lo, hi = bracket or ((1e-6, 1e-2) if mechanism == "asr_growth" else (1e-5, 0.05))
    sim = prepare(design, steps, _degradation(mechanism, lo, exponent), model=model)
    cache: dict[float, object] = {}

    def run(value: float):
        if value not in cache:
            if progress is not None:
                progress(f"{mechanism} = {value:.3g}")
            try:
                cache[value] = simulate_halfcell(
                    design, steps, _degradation(mechanism, value, exponent), model=model, built=sim
                )
            except FullCellError:
                cache[value] = None
        return cache[value]

    def retention(value: float) -> float:
        result = run(value)
        if result is None or len(result.cycles) < last_cycle:
            return 0.0  # the cell stopped delivering capacity before the last cycle
        return result.retention(first_cycle, last_cycle)

    def gap(log_value: float) -> float:
        return retention(math.exp(log_value)) - target_retention

    root = _solve_log_loss(retention, target_retention, lo, hi, mechanism, guess, max_secant)
    step = root * 1.02
    slope = (retention(step) - retention(root)) / (step - root)  # d retention / d value
    half = 1.96 * sigma_points / 100.0 / abs(slope) if slope != 0 else float("inf")
    result = run(root)
    by_cycle = {c.cycle: c for c in result.cycles}
    return MechanismFit(
        mechanism=mechanism,
        value=root,
        interval=(max(root - half, 0.0), root + half),
        target_retention=target_retention,
        fitted_retention=result.retention(first_cycle, last_cycle),
        first_cycle=first_cycle,
        last_cycle=last_cycle,
        mean_voltage_drop_V=by_cycle[first_cycle].mean_discharge_voltage_V
        - by_cycle[last_cycle].mean_discharge_voltage_V,
        coulombic_efficiency_last=by_cycle[last_cycle].coulombic_efficiency,
        evaluations=len(cache),
        duration_h=float(result.data.table["time_s"].iloc[-1] / 3600.0),
    )


def anode_interface_history(
    set_name: str, current_density_A_m2: float, half_cycle_s: float, cycles: int
) -> tuple[np.ndarray, np.ndarray, dict]:
    """(time_s, ASR of one Li|SSE interface in Ω m², extras) from the symmetric-cell simulator.

    The symmetric cell runs strip/plate steps of ``half_cycle_s`` at ``current_density_A_m2``
    (the full cell's charge/discharge); the working electrode's contact constriction and
    interphase ASR are one Li|SSE interface. ``extras`` holds the filament length at the end and
    the simulated short time (None when no short)."""
    from ssblab.models.parameter_schema import parameter_set
    from ssblab.models.simulator import constant_current_protocol, simulate_symmetric

    _, params = parameter_set(set_name)
    run = simulate_symmetric(
        params,
        constant_current_protocol(current_density_A_m2, cycles, step_time_s=half_cycle_s),
        sample_s=max(half_cycle_s / 4.0, 60.0),
    )
    history = run.history
    asr = (
        history["asr_constriction_working_ohm_m2"].to_numpy()
        + history["asr_interphase_working_ohm_m2"].to_numpy()
        + history["asr_coating_working_ohm_m2"].to_numpy()
    )
    extras = {
        "filament_m": float(history["filament_m"].iloc[-1]),
        "sse_thickness_m": float(params.sse_thickness),
        "short_time_h": run.short_time_h,
        "exchange_current_A_m2": float(params.exchange_current_density),
        "sse_sigma_S_m": float(params.sse_sigma_ion_at_temperature),
    }
    return history["time_s"].to_numpy(), asr, extras


def fit_cell(
    design: HalfCellDesign,
    steps: Sequence[Sequence[str]],
    initial_mAh_g: float,
    target_retention: float,
    mechanism: str,
    *,
    first_cycle: int,
    last_cycle: int | None = None,
    sigma_points: float = 1.0,
    model: str = "SPMe",
    guess: float | None = None,
    max_runs: int = 14,
) -> tuple[HalfCellDesign, MechanismFit]:
    """Utilisation and the mechanism's rate together.

    The initial capacity (cycle ``first_cycle``) depends on the degradation accrued during
    formation and the retention on the utilisation, so the two are solved jointly: at every
    step the utilisation is refitted on the short head of the protocol (cheap) for the
    current rate, then one secant step on log(capacity loss) against log(rate) uses the full
    run. Converges in 4–7 full runs where alternating complete fits takes ~12."""
    steps = [tuple(s) for s in steps]
    last_cycle = len(steps) if last_cycle is None else last_cycle
    if not 0 < target_retention < 1:
        raise SsblabInputError(f"target_retention must be in (0, 1), got {target_retention!r}")
    head = _protocol_head(steps, first_cycle)
    goal = math.log(1.0 - target_retention)
    current = design

    def utilise(value: float) -> HalfCellDesign:
        nonlocal current
        degradation = _degradation(mechanism, value, 1.0)
        u = current.utilisation
        for _ in range(4):
            result = simulate_halfcell(
                replace(current, utilisation=u), head, degradation, model=model
            )
            got = float(result.specific_discharge_mAh_g[first_cycle - 1])
            u_new = u * initial_mAh_g / got
            if u_new > 1.0:
                raise FullCellError(
                    f"{mechanism} = {value:.3g}: the cathode cannot reach {initial_mAh_g:g} "
                    f"mAh/g even fully utilised ({got * 1.0 / u:.1f} mAh/g)"
                )
            if abs(u_new - u) < 1e-4 * u:
                u = u_new
                break
            u = u_new
        current = replace(current, utilisation=u)
        return current

    def g(log_value: float) -> float:
        value = math.exp(log_value)
        cell = utilise(value)
        result = simulate_halfcell(cell, steps, _degradation(mechanism, value, 1.0), model=model)
        if len(result.cycles) < last_cycle:
            return math.inf
        loss = max(1.0 - result.retention(first_cycle, last_cycle), 1e-12)
        return math.log(loss) - goal

    default = 1e-3 if mechanism == "asr_growth" else 5e-3
    x0 = math.log(guess or default)
    x1 = x0 + math.log(1.3)
    g0, g1 = g(x0), g(x1)
    runs = 2
    while abs(g1) > 1e-3 and runs < max_runs:
        if not (math.isfinite(g0) and math.isfinite(g1)) or g1 == g0:
            x0, g0 = x1, g1
            x1 = x1 - math.log(2.0)
        else:
            x0, x1, g0 = x1, x1 - g1 * (x1 - x0) / (g1 - g0), g1
        g1 = g(x1)
        runs += 1
    if abs(g1) > 1e-3:
        raise FullCellError(f"{mechanism}: the joint fit did not converge in {max_runs} runs")
    fit = fit_mechanism(current, steps, target_retention, mechanism, first_cycle=first_cycle,
                        last_cycle=last_cycle, sigma_points=sigma_points, model=model,
                        guess=math.exp(x1), max_secant=1)  # fmt: skip
    return current, fit
