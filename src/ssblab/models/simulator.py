"""Time-domain galvanostatic simulation of Li | coating | SSE | coating | Li symmetric cells.

Either coating is optional (``coated_faces``). Electrode 0 is the working electrode (stripped
when the current is positive, the tidy-table convention), electrode 1 the counter electrode.

**State per electrode e** (advanced sample by sample, rates frozen over each current step):

* interphase thickness L_e(t) — the Wenzel growth law of the catalogued interphase
  (:mod:`ssblab.models.interphase`), cell time. A coated face uses ``interphase_coated`` fed
  only through the coating's exposed area fraction φ = exp(−L_c/λ)
  (:meth:`~ssblab.models.interphase.Interphase.fed_through`, λ = ``coating_defect_length``):
  too thin a coating lets Li through and the interphase grows;
* lithiated depth s_e(t) of a lithiating ALD coating (its material's lithiation law,
  :mod:`ssblab.models.coating`); the coating ASR is (L_c − s)/σ_pristine + s/σ_lithiated, so too
  thick a coating keeps a resistive, unlithiated remainder;
* contact fraction f_e, from f₀ = max(f_wet, f_GW(p, T)) at assembly
  (:func:`assembled_contact_fraction`): on stripping, :func:`ssblab.models.voids.contact_evolution`
  (holds until the void onset t_on = Π/u² of transient vacancy diffusion, then falls as the
  stripped volume outruns vacancy diffusion into the Li and creep refill; each step starts
  from a relaxed Li); on plating, voids refill at the plating velocity, df/dt = v/h with
  v = j·V_m/F (:func:`~ssblab.models.voids.stripping_velocity_m_s`), capped at f₀;
* filament length ℓ (cell): Li deposited inside the electrolyte (fraction f_dep of the current,
  :func:`ssblab.models.leakage.leakage` with the electrodes' apparent ASRs as r₀, r_L) grows a
  filament of area fraction φ: dℓ/dt = f_dep·J·V_m/(F·φ). **Short** when ℓ ≥ SSE thickness
  (our lumped criterion; φ is calibrated, see the parameter sets).

**Voltage** (s = +1 stripping the working electrode, −1 plating)::

    V = s·{ J·L_SSE/σ_SSE(T) + Σ_e [ J·(L_e/σ_int + ASR_coat,e(t) + ASR_con(f_e))
                                 + η_ct(J/f_e) ] }

with σ_SSE(T) the Arrhenius-scaled ionic conductivity
(:attr:`~ssblab.models.parameter_schema.CellParameters.sse_sigma_ion_at_temperature`; the
interphase rates, coating parameters and j₀ have no temperature dependence), ASR_con the
one-sided multi-spot Holm constriction at the electrode's contact fraction f
(:func:`ssblab.models.constriction.asr_at_contact_fraction_ohm_m2`, n spots) and η_ct the
Butler–Volmer charge-transfer overpotential at the local current density J/f (current only
crosses the contacting area).
For α = ½ (symmetric) η = (2RT/F)·asinh(j/(2 j₀)) (Bard & Faulkner, *Electrochemical Methods*,
2nd ed., Wiley 2001, Eq. 3.4.11 with α = ½); otherwise j = j₀[e^{αFη/RT} − e^{−(1−α)Fη/RT}] is
solved by Newton's method. After a short the cell is the short in parallel:
V → V·R_s/(|V|/J + R_s) (the trace collapses). |V| is clipped at the cycler compliance
``voltage_limit`` (e.g. when contact is lost) and a note says so; while clipped, the cycler
delivers only J·V_limit/|V| (nothing once contact is lost), and the filament grows only with the
current that flows. A protocol whose first sample already needs more than ``voltage_limit`` is
outside what the cell can carry and is refused (:class:`~ssblab.errors.SsblabInputError`).

**Critical current density** (:func:`critical_current`, reported with every run as
:attr:`SimulationResult.critical_current`): ONE CCD, the minimum over four failure modes of the
assembled cell, each reported so the margin is visible:

* ``stripping voids`` — :func:`ssblab.models.voids.stripping_ccd` at the stack pressure,
  temperature and assembled contact fraction;
* ``plating penetration`` — :func:`ssblab.models.penetration.plating_penetration` for a surface
  flaw of depth ``flaw_size_m`` (default 10 µm, an ASSUMPTION: no seed prints a flaw size) with
  the plated electrode's small-signal Li|SSE ASR at assembly, k = RT/(F·j₀·f₀) + ASR_con(f₀)
  (current focused onto the contacting fraction f₀ raises k ∝ 1/f₀; coating and interphase films
  are series resistances, not the interface the flaw's Li sees, and are left out), and the
  electrolyte's fracture constants (:func:`fracture_parameters_for`; LLZ* and LATP* sets only);
* ``electronic leakage`` — the constant current density at which the leakage filament of this
  simulator (f_dep from :func:`ssblab.models.leakage.leakage`, or the microstructure's f_dep(j))
  crosses the electrolyte within ``hold_s`` (default: the protocol's duration):
  t = L·F·φ/(f_dep·j·V_m) = hold_s;
* ``compliance`` — the current density at which the fresh cell's |V| reaches ``voltage_limit``.

A mode that cannot limit (no electronic conductivity, a flaw that vents, no fracture constants)
is reported with ``ccd_A_m2 = None`` and the reason; it is not given an infinite value.

Failures (non-finite states, a Newton solve that does not converge) raise
:class:`SimulationError` naming the time reached: never a silently truncated trace.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from ssblab.cycling.data import CyclingData, tidy_table
from ssblab.errors import SsblabError, SsblabInputError
from ssblab.models import coating as coat
from ssblab.models import penetration as pen
from ssblab.models.constriction import LI_RESISTIVITY_OHM_M, asr_at_contact_fraction_ohm_m2
from ssblab.models.dendrite import LI_MOLAR_VOLUME_M3_MOL
from ssblab.models.interphase import interphase as catalogue_interphase
from ssblab.models.leakage import leakage
from ssblab.models.parameter_schema import CellParameters
from ssblab.models.voids import (
    DEFAULT_PARAMETERS,
    FARADAY_C_MOL,
    GAS_CONSTANT_J_MOL_K,
    contact_evolution,
    stripping_ccd,
    stripping_velocity_m_s,
)

STEP_END_OFFSET_S = 1e-3  # the step-end point sits this far before the next step (as cyclers log)


class SimulationError(SsblabError):
    """The simulation could not continue (message gives the time reached)."""


@dataclass(frozen=True)
class Step:
    """One galvanostatic step: sign (+1 strips the working electrode), |J| (A/m²), duration (s)."""

    sign: float
    current_density_A_m2: float
    duration_s: float


def constant_current_protocol(
    current_density_A_m2: float,
    cycles: int,
    *,
    step_time_s: float | None = None,
    step_capacity_C_m2: float | None = None,
    strip_first: bool = True,
) -> tuple[Step, ...]:
    """``cycles`` strip/plate cycles at fixed J; each step lasts ``step_time_s`` or Q/J."""
    j = _positive(current_density_A_m2, "current density")
    if isinstance(cycles, bool) or not isinstance(cycles, (int, np.integer)) or cycles < 1:
        raise SsblabInputError(f"cycles must be a positive integer, got {cycles!r}")
    if (step_time_s is None) == (step_capacity_C_m2 is None):
        raise SsblabInputError("give a step time or a step capacity (one of them)")
    if step_time_s is not None:
        duration = _positive(step_time_s, "step time")
    else:
        duration = _positive(step_capacity_C_m2, "step capacity") / j
    first = 1.0 if strip_first else -1.0
    return tuple(Step(first * (-1) ** k, j, duration) for k in range(2 * int(cycles)))


def staircase_protocol(
    current_densities_A_m2: Sequence[float], cycles_per_level: int, step_time_s: float
) -> tuple[Step, ...]:
    """CCD staircase: ``cycles_per_level`` strip/plate cycles at each increasing J."""
    levels = [_positive(j, "current density") for j in current_densities_A_m2]
    if not levels:
        raise SsblabInputError("the staircase needs at least one current density")
    if any(b <= a for a, b in itertools.pairwise(levels)):
        raise SsblabInputError("staircase current densities must increase")
    steps: list[Step] = []
    for j in levels:
        steps.extend(constant_current_protocol(j, cycles_per_level, step_time_s=step_time_s))
    return tuple(steps)


def _positive(value, name: str) -> float:
    out = float(value)
    if not math.isfinite(out) or not out > 0:
        raise SsblabInputError(f"{name} must be > 0, got {value!r}")
    return out


def butler_volmer_overpotential_V(
    current_density_A_m2, exchange_current_density_A_m2, alpha=0.5, temperature_K=298.15
):
    """η (V) at |j| (A/m², array) from j = j₀[e^{αfη} − e^{−(1−α)fη}], f = F/RT.

    α = ½: η = (2RT/F)·asinh(j/(2j₀)) in closed form; otherwise Newton on the log form.
    Infinite j (no contact) gives infinite η. Raises :class:`SimulationError` on no convergence.
    """
    j = np.asarray(current_density_A_m2, dtype=float)
    j0 = float(exchange_current_density_A_m2)
    a = float(alpha)
    if not 0 < a <= 1:
        raise SsblabInputError(f"transfer coefficient alpha must be in (0, 1], got {a}")
    if not j0 > 0:
        raise SsblabInputError(f"exchange current density must be > 0, got {j0}")
    rt_f = GAS_CONSTANT_J_MOL_K * float(temperature_K) / FARADAY_C_MOL
    with np.errstate(over="ignore", invalid="ignore"):
        symmetric = 2 * rt_f * np.arcsinh(j / (2 * j0))
    if a == 0.5:
        return symmetric
    finite = np.isfinite(j)
    x = np.where(finite, symmetric / rt_f, 0.0)  # start from the symmetric solution
    target = np.where(finite, j / j0, 0.0)
    for _ in range(100):
        g = np.exp(a * x) - np.exp(-(1 - a) * x) - target
        dg = a * np.exp(a * x) + (1 - a) * np.exp(-(1 - a) * x)
        step = g / dg
        # damp large steps (exponentials): never move more than 2 units of F/RT at once
        x = x - np.clip(step, -2.0, 2.0)
        if np.all(np.abs(step) < 1e-12 * np.maximum(1.0, np.abs(x))):
            return np.where(finite, x * rt_f, np.inf)
    raise SimulationError("Butler–Volmer solve did not converge")


#: Depth of the surface flaw of the penetration mode, m: ASSUMPTION (no seed prints one; Porz
#: et al. 2017 relate the CCD to surface-flaw size). Pass ``flaw_size_m`` to change it.
DEFAULT_FLAW_SIZE_M = 10e-6
CCD_MODES = ("stripping voids", "plating penetration", "electronic leakage", "compliance")
_J_LOW_A_M2, _J_HIGH_A_M2 = 1e-6, 1e6  # bisection bracket of the CCD solves (0.1 nA - 100 A/cm2)


@dataclass(frozen=True)
class ModeLimit:
    """One failure mode's critical current density (A/m²; None: the mode cannot limit)."""

    mode: str
    ccd_A_m2: float | None
    detail: str

    def to_dict(self) -> dict:
        return {
            "mode": self.mode,
            "ccd_A_m2": self.ccd_A_m2,
            "ccd_mA_cm2": None if self.ccd_A_m2 is None else self.ccd_A_m2 / 10.0,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class CellCriticalCurrent:
    """The cell's CCD (A/m²) = min over :data:`CCD_MODES`, its limiting mode, and every mode."""

    ccd_A_m2: float | None
    mode: str | None
    modes: tuple[ModeLimit, ...]
    flaw_size_m: float
    hold_s: float
    plating_asr_ohm_m2: float

    def margin(self, mode: str) -> float | None:
        """ccd(mode)/ccd (≥ 1; None if the mode cannot limit)."""
        value = next(m.ccd_A_m2 for m in self.modes if m.mode == mode)
        return None if value is None or self.ccd_A_m2 is None else value / self.ccd_A_m2

    def to_dict(self) -> dict:
        return {
            "ccd_A_m2": self.ccd_A_m2,
            "ccd_mA_cm2": None if self.ccd_A_m2 is None else self.ccd_A_m2 / 10.0,
            "mode": self.mode,
            "modes": [m.to_dict() for m in self.modes],
            "flaw_size_m": self.flaw_size_m,
            "hold_s": self.hold_s,
            "plating_asr_ohm_m2": self.plating_asr_ohm_m2,
        }


@dataclass(frozen=True)
class SimulationResult:
    """The simulated trace (tidy table) with the state history and parameters."""

    data: CyclingData
    history: pd.DataFrame  # one row per sample: states and ASR parts
    parameters: CellParameters
    short_time_s: float | None
    notes: tuple[str, ...] = field(default_factory=tuple)
    critical_current: CellCriticalCurrent | None = None

    @property
    def short_time_h(self) -> float | None:
        return None if self.short_time_s is None else self.short_time_s / 3600.0

    def to_dict(self) -> dict:
        return {
            "parameters": self.parameters.to_dict(),
            "simulated_short_h": self.short_time_h,
            "samples": len(self.history),
            "duration_h": float(self.history["time_s"].iloc[-1] / 3600.0),
            "notes": list(self.notes),
            "critical_current": (
                None if self.critical_current is None else self.critical_current.to_dict()
            ),
        }


@dataclass
class _Electrode:
    interphase: object
    coating_thickness_m: float
    coating_material: coat.CoatingMaterial | None
    contact: float


def assembled_contact_fraction(p: CellParameters) -> float:
    """Contact fraction at assembly: f₀ = max(f_wet, f_GW(p, T)).

    f_wet = ``initial_contact_fraction`` is the contact the interface has without load (wetting,
    heat treatment); the stack pressure p presses Li into the rough electrolyte surface to the
    Greenwood–Williamson contact with size- and creep-dependent Li hardness of
    :func:`ssblab.models.roughness.contact_fraction` (< 1 at every finite p; seed 003 §2.3.2).
    Plating refills voids up to f₀.
    """
    return max(
        p.initial_contact_fraction,
        _rough_contact(p.stack_pressure, p.temperature, p.li_hardness),
    )


@lru_cache(maxsize=256)
def _rough_contact(stack_pressure_Pa: float, temperature_K: float, hardness_Pa: float) -> float:
    """Cached :func:`ssblab.models.roughness.contact_fraction` (the simulator asks every step)."""
    from ssblab.models.roughness import contact_fraction

    return contact_fraction(stack_pressure_Pa, temperature_K, hardness_Pa=hardness_Pa)


def face_interphase(p: CellParameters, coating_thickness_m: float):
    """The interphase grown at one face: ``interphase`` on a bare face; on a coated face
    ``interphase_coated`` fed only through the coating's exposed fraction exp(−L/λ)."""
    if coating_thickness_m <= 0:
        return catalogue_interphase(p.interphase)
    exposed = coat.exposed_fraction(coating_thickness_m, p.coating_defect_length)
    return catalogue_interphase(p.interphase_coated).fed_through(exposed)


def _electrodes(p: CellParameters) -> list[_Electrode]:
    coated = {"both": (True, True), "working": (True, False), "counter": (False, True)}[
        p.coated_faces
    ]
    out = []
    for has in coated:
        material = None
        thickness = 0.0
        if has and p.coating != "none" and p.ald_cycles > 0:
            material = coat.coating_material(p.coating)
            thickness = coat.ald_thickness_m(
                p.ald_cycles, material.growth_per_cycle_m, material.nucleation_delay_cycles
            )
        out.append(_Electrode(face_interphase(p, thickness), thickness, material, 1.0))
    for e in out:
        e.contact = assembled_contact_fraction(p)
    return out


def _coating_parts(e: _Electrode, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(ASR Ω m², lithiated depth m) of a coating at cell times t."""
    m = e.coating_material
    if m is None or e.coating_thickness_m == 0:
        return np.zeros(t.size), np.zeros(t.size)
    return m.asr_ohm_m2(t, e.coating_thickness_m), m.lithiated_depth_m(t, e.coating_thickness_m)


def _constriction(p: CellParameters, f: np.ndarray) -> np.ndarray:
    """One-sided Holm constriction ASR at contact fraction f (load-equivalent p = f·H)."""
    return asr_at_contact_fraction_ohm_m2(
        f,
        p.area,
        1.0 / p.sse_sigma_ion_at_temperature,
        counter_resistivity_ohm_m=LI_RESISTIVITY_OHM_M,
        n_spots=p.n_spots,
    )


def _sample_times(duration_s: float, sample_s: float) -> np.ndarray:
    t = np.arange(0.0, duration_s, sample_s)
    end = duration_s - STEP_END_OFFSET_S if duration_s > 2 * STEP_END_OFFSET_S else duration_s / 2
    return np.append(t[t < end], end)


def _time_parts(e: _Electrode, t: np.ndarray) -> dict[str, np.ndarray]:
    """The states that depend on cell time only, for every sample of the run at once."""
    asr_coat, depth = _coating_parts(e, t)
    return {
        "thickness": np.asarray(e.interphase.thickness_m(t), dtype=float),
        "asr_int": np.asarray(e.interphase.asr_ohm_m2(t), dtype=float),
        "asr_coat": asr_coat,
        "depth": depth,
    }


def _electrode_step(p: CellParameters, electrodes, step: Step, rel, timed, anode, keep) -> list:
    """Advance both electrodes over one step; return [(|V| part per sample, stripping?)].

    ``timed[k]`` holds electrode k's time-only states (:func:`_time_parts`) for this step.
    """
    j, sign = step.current_density_A_m2, step.sign
    f_max = assembled_contact_fraction(p)
    parts = []
    for k, e in enumerate(electrodes):
        stripping = (sign > 0) == (k == 0)
        if stripping:
            f = np.asarray(
                contact_evolution(
                    j, rel, p.stack_pressure, p.temperature, p.void_depth,
                    contact_fraction=e.contact, params=anode,
                ).contact_fraction
            )  # fmt: skip
        else:
            v = stripping_velocity_m_s(j, LI_MOLAR_VOLUME_M3_MOL)
            f = np.minimum(f_max, e.contact + v * rel / p.void_depth)
        thickness, asr_int = timed[k]["thickness"], timed[k]["asr_int"]
        asr_coat, depth = timed[k]["asr_coat"], timed[k]["depth"]
        asr_con = _constriction(p, f)
        with np.errstate(divide="ignore"):
            local_j = np.where(f > 0, j / np.maximum(f, 1e-300), np.inf)
        eta = butler_volmer_overpotential_V(
            local_j, p.exchange_current_density, p.transfer_coefficient, p.temperature
        )
        states = np.concatenate([f, thickness, depth, asr_int, asr_coat])
        if not np.all(np.isfinite(states)):
            raise SimulationError(f"non-finite state at electrode {k}")
        e_part = j * (asr_int + asr_coat + asr_con) + eta
        parts.append((e_part, stripping))
        side = "working" if k == 0 else "counter"
        keep(f"contact_{side}", f)
        keep(f"interphase_{side}_m", thickness)
        keep(f"coating_lithiated_{side}_m", depth)
        keep(f"asr_interphase_{side}_ohm_m2", asr_int)
        keep(f"asr_coating_{side}_ohm_m2", asr_coat)
        keep(f"asr_constriction_{side}_ohm_m2", asr_con)
        keep(f"eta_ct_{side}_V", eta)
        e.contact = float(f[-1])
    return parts


def _check_carried(p: CellParameters, protocol: Sequence[Step], r_bulk, timed_all, anode) -> None:
    """Refuse a current level the assembled cell cannot carry at the compliance voltage.

    |V| at the first sample of a fresh cell (assembled contact, no interphase growth, no void)
    at current density j: j·R_bulk plus both electrodes' parts of :func:`_electrode_step`.
    Interface degradation only raises it, so a level above ``voltage_limit`` here would be
    clipped from its first sample on: the cycler could never deliver it, and a trace at that
    current would hide a short behind the clip. Such a level is a protocol error (a staircase
    ends below it), not a result.
    """
    first = [{name: v[:1] for name, v in parts.items()} for parts in timed_all]
    for j in sorted({step.current_density_A_m2 for step in protocol}):
        fresh = _electrodes(p)
        parts = _electrode_step(
            p, fresh, Step(+1.0, j, 1.0), np.zeros(1), first, anode, lambda *_: None
        )
        start = float(j * r_bulk + parts[0][0][0] + parts[1][0][0])
        if start > p.voltage_limit:
            raise SsblabInputError(
                f"current density {j / 10:.4g} mA/cm^2 needs |V| = {start:.4g} V from its "
                f"first sample, above the cycler compliance voltage_limit = {p.voltage_limit:g} "
                "V: the cell cannot carry it (lower the current density, end the staircase "
                "below it, or raise voltage_limit)"
            )


def fracture_parameters_for(p: CellParameters) -> pen.FractureParameters | None:
    """Fracture constants of the set's electrolyte (``sse_material``): LLZO or LATP.

    The parameter sets carry no fracture constants; other electrolytes (LLTO) have none cited
    here, and their penetration mode is reported as not evaluated.
    """
    return {"LLZO": pen.LLZO, "LATP": pen.LATP}.get(p.sse_material)


def filaments_possible(p: CellParameters) -> tuple[bool, str]:
    """Whether electrons leaking into the electrolyte can plate Li filaments in it, and why.

    Only in an electrolyte that Li does not reduce into an electron-conducting interphase
    (:func:`ssblab.models.reduction.classify_material`: stable, or SEI-forming / kinetically
    stable like LLZO). In an MCI-forming one (LATP, LLTO) the electrons that meet Li⁺ inside it
    reduce the framework (Ti⁴⁺ → Ti³⁺) — interphase growth, :mod:`ssblab.models.interphase` —
    and no Li metal plates there. A Li-stable electrolyte needs ``sse_sigma_e``."""
    stability = _reduced_by_li(p.sse_material)
    if stability is not None:
        return False, (
            f"no Li filaments in {p.sse_material}: it is {stability.reason}; leaked electrons "
            "reduce the framework (interphase growth) instead of plating Li"
        )
    if p.sse_sigma_e is None:
        raise SsblabInputError(
            f"set {p.name!r}: sse_sigma_e is required for {p.sse_material}, which Li does not "
            "reduce into a mixed conductor (filaments can grow in it)"
        )
    if p.sse_sigma_e == 0:
        return False, "sse_sigma_e = 0: no electronic leakage"
    return True, ""


def penetration_ccd_at_contact(
    p: CellParameters, contact_fraction: float, flaw_size_m: float, fracture=None
) -> float | None:
    """Plating-penetration CCD (A/m², apparent) of the plated electrode at contact fraction f:
    the flaw sees the charge-transfer ASR of the contacting area, RT/(F·j₀·f), plus the Holm
    constriction at f (:func:`critical_current`'s k). None when penetration is not a mode for
    this electrolyte, its flaw vents, or it has no fracture constants. Voids left by stripping
    lower f, so the same plating current can cross it later in the run (Kasemchainan et al.,
    Nat. Mater. 18 (2019) 1105: stripping voids lead to dendrites on plating)."""
    fracture = fracture if fracture is not None else fracture_parameters_for(p)
    if fracture is None or _reduced_by_li(p.sse_material) is not None:
        return None
    f = float(contact_fraction)
    if not f > 0:
        return 0.0
    rt_f = GAS_CONSTANT_J_MOL_K * p.temperature / FARADAY_C_MOL
    k = rt_f / (p.exchange_current_density * f) + float(_constriction(p, np.array([f]))[0])
    limit = pen.plating_penetration(flaw_size_m, k, fracture=fracture)
    return None if limit.vents else limit.ccd_A_m2


def _reduced_by_li(material: str):
    """The Li-stability verdict of ``material`` when Li reduces it into an electron-conducting
    interphase (MCI, not kinetically stable), else None."""
    stability = _li_stability(material)
    if stability is not None and stability.kind == "mci" and not stability.kinetically_stable:
        return stability
    return None


def _li_stability(material: str):
    """The Li-stability verdict of ``material`` (None when no cited window exists)."""
    from ssblab.errors import SsblabInputError
    from ssblab.models.reduction import classify_material

    try:
        return classify_material(material)
    except SsblabInputError:
        return None


def _bisect_log(func, lo: float, hi: float) -> float:
    """Root of a function increasing in log j between lo (< 0) and hi (> 0)."""
    a, b = math.log(lo), math.log(hi)
    for _ in range(200):
        mid = 0.5 * (a + b)
        if func(math.exp(mid)) > 0:
            b = mid
        else:
            a = mid
        if b - a < 1e-10:
            break
    return math.exp(0.5 * (a + b))


def critical_current(
    params: CellParameters,
    *,
    hold_s: float,
    step_s: float = 1800.0,
    flaw_size_m: float = DEFAULT_FLAW_SIZE_M,
    fracture: pen.FractureParameters | None = None,
    electrolyte=None,
) -> CellCriticalCurrent:
    """The assembled cell's CCD over :data:`CCD_MODES` (module docstring); SI in and out.

    ``fracture`` defaults to :func:`fracture_parameters_for`; ``electrolyte`` as in
    :func:`simulate_symmetric` (its f_dep(j) replaces the lumped leakage model).
    """
    p = params
    hold = _positive(hold_s, "hold_s")
    flaw = _positive(flaw_size_m, "flaw_size_m")
    anode = DEFAULT_PARAMETERS
    f0 = assembled_contact_fraction(p)
    r_bulk = p.sse_thickness / (
        p.sse_sigma_ion_at_temperature if electrolyte is None else electrolyte.sigma_total_s_per_m
    )
    first = [_time_parts(e, np.zeros(1)) for e in _electrodes(p)]

    def fresh_parts(j: float) -> tuple[float, float]:
        """|V| parts (V) of the stripped and the plated electrode of the fresh cell at j."""
        parts = _electrode_step(
            p, _electrodes(p), Step(+1.0, j, 1.0), np.zeros(1), first, anode, lambda *_: None
        )
        strip = next(float(part[0]) for part, s in parts if s)
        plate = next(float(part[0]) for part, s in parts if not s)
        return strip, plate

    modes: list[ModeLimit] = []
    # stripping voids
    step = _positive(step_s, "step_s")
    strip = stripping_ccd(
        p.stack_pressure, p.temperature, contact_fraction=f0, params=anode, step_time_s=step
    )
    modes.append(
        ModeLimit(
            "stripping voids",
            strip.ccd_A_m2,
            f"void onset within a {step / 3600:.3g}-h strip step ({strip.limiting}-limited "
            f"vacancy removal) at f0 = {f0:.3g}, {p.stack_pressure / 1e6:.3g} MPa, "
            f"{p.temperature:.5g} K",
        )
    )
    # plating penetration: small-signal ASR of the plated electrode (the larger of the two)
    rt_f = GAS_CONSTANT_J_MOL_K * p.temperature / FARADAY_C_MOL
    asr_con = float(_constriction(p, np.array([f0]))[0])
    # Li|SSE charge transfer at the contacting fraction + constriction; a coating or interphase
    # film is a series resistance in front of the flaw, not the interface the flaw's Li sees
    k_plate = rt_f / (p.exchange_current_density * f0) + asr_con
    fracture = fracture if fracture is not None else fracture_parameters_for(p)
    if fracture is None:
        modes.append(
            ModeLimit(
                "plating penetration",
                None,
                f"not evaluated: no cited fracture constants for set {p.name!r} (pass fracture=)",
            )
        )
    elif (stability := _reduced_by_li(p.sse_material)) is not None:
        # Li reduces this electrolyte into an electron-conducting interphase: a flaw's walls
        # react with the Li that enters it instead of confining it as a pressurised filling
        modes.append(
            ModeLimit(
                "plating penetration",
                None,
                f"not a mode here: {p.sse_material} is {stability.reason} "
                "(ssblab.models.reduction); its failure is interphase growth and "
                "insertion cracking (ssblab.models.interphase, ssblab.models.cracking)",
            )
        )
    else:
        limit = pen.plating_penetration(flaw, k_plate, fracture=fracture)
        detail = (
            f"{fracture.name} flaw {flaw * 1e6:.3g} um, k = {k_plate * 1e4:.3g} ohm cm2, "
            f"P_crit = {limit.critical_pressure_Pa / 1e6:.3g} MPa, focusing "
            f"{limit.focusing_factor:.3g}x"
        )
        if limit.vents:
            detail += f"; {limit.notes[0]}"
        modes.append(ModeLimit("plating penetration", limit.ccd_A_m2, detail))
    # electronic leakage: the filament crosses the electrolyte within the hold time
    modes.append(_leakage_mode(p, hold, fresh_parts, electrolyte))
    # compliance: fresh-cell |V| = voltage_limit

    def over_limit(j: float) -> float:
        strip_v, plate_v = fresh_parts(j)
        v = j * r_bulk + strip_v + plate_v
        return 1.0 if not math.isfinite(v) else v - p.voltage_limit

    if over_limit(_J_HIGH_A_M2) <= 0:
        modes.append(ModeLimit("compliance", None, "below the compliance up to 100 A/cm2"))
    else:
        j_c = _bisect_log(over_limit, _J_LOW_A_M2, _J_HIGH_A_M2)
        modes.append(ModeLimit("compliance", j_c, f"fresh-cell |V| reaches {p.voltage_limit:g} V"))
    finite = [m for m in modes if m.ccd_A_m2 is not None]
    best = min(finite, key=lambda m: m.ccd_A_m2) if finite else None
    return CellCriticalCurrent(
        ccd_A_m2=None if best is None else best.ccd_A_m2,
        mode=None if best is None else best.mode,
        modes=tuple(modes),
        flaw_size_m=flaw,
        hold_s=hold,
        plating_asr_ohm_m2=k_plate,
    )


def _leakage_mode(p: CellParameters, hold: float, fresh_parts, electrolyte) -> ModeLimit:
    """j at which t_short = L·F·φ/(f_dep(j)·j·V_m) equals ``hold`` (module docstring)."""
    hi = _J_HIGH_A_M2
    if electrolyte is not None:
        hi = float(electrolyte.current_density_a_per_m2[-1])

        def f_dep(j: float) -> float:
            return electrolyte.deposition_fraction_at(j)

    elif filaments_possible(p)[0]:

        def f_dep(j: float) -> float:
            strip, plate = fresh_parts(j)
            if not (math.isfinite(strip) and math.isfinite(plate)):
                return 0.0
            return leakage(
                j, p.sse_thickness, p.sse_sigma_ion_at_temperature, p.sse_sigma_e,
                asr_plating_ohm_m2=plate / j, asr_stripping_ohm_m2=strip / j,
            ).deposition_fraction  # fmt: skip

    else:
        return ModeLimit("electronic leakage", None, filaments_possible(p)[1])
    needed = p.sse_thickness * FARADAY_C_MOL * p.filament_area_fraction / LI_MOLAR_VOLUME_M3_MOL

    def excess(j: float) -> float:  # > 0 when the filament shorts within the hold
        rate = f_dep(j) * j
        return 1.0 if rate > 0 and needed / rate <= hold else -1.0

    detail = f"filament crosses {p.sse_thickness * 1e3:.3g} mm within {hold / 3600:.4g} h"
    if excess(hi) < 0:
        return ModeLimit(
            "electronic leakage", None, f"no short within {hold / 3600:.4g} h up to {hi:.3g} A/m2"
        )
    if excess(_J_LOW_A_M2) > 0:
        return ModeLimit("electronic leakage", _J_LOW_A_M2, detail + " (at or below this j)")
    return ModeLimit("electronic leakage", _bisect_log(excess, _J_LOW_A_M2, hi), detail)


def simulate_symmetric(
    params: CellParameters,
    protocol: Sequence[Step],
    *,
    sample_s: float = 60.0,
    progress: Callable[[int, int], None] | None = None,
    electrolyte=None,
    flaw_size_m: float = DEFAULT_FLAW_SIZE_M,
    fracture: pen.FractureParameters | None = None,
) -> SimulationResult:
    """Run ``protocol`` on the cell ``params`` (SI); see the module docstring for the model.

    The result carries the cell's CCD and its limiting mode (:func:`critical_current`, with
    ``flaw_size_m``, ``fracture`` and the protocol's duration as the hold time).

    ``progress(steps_done, steps_total)`` is called after every current step.

    ``electrolyte`` (a :class:`ssblab.micro.cell_coupling.MicroElectrolyte` at the cell's
    temperature) replaces the two lumped electrolyte constants by its microstructure: the bulk
    resistance becomes L/σ_total and the filament grows from its f_dep(j) instead of the 1-D
    constant-σ_e leakage model, so the lifetime follows the microstructure's dependence on j
    (an onset where nucleation needs an overpotential) rather than 1/j.
    """
    p = params
    if not p.sse_thickness > 0:
        raise SsblabInputError(f"sse_thickness must be > 0, got {p.sse_thickness} m")
    if not 0 < p.transfer_coefficient <= 1:
        raise SsblabInputError(
            f"transfer_coefficient must be in (0, 1], got {p.transfer_coefficient}"
        )
    for name in ("initial_contact_fraction", "filament_area_fraction"):
        value = getattr(p, name)
        if not 0 < value <= 1:
            raise SsblabInputError(f"{name} must be in (0, 1], got {value}")
    sample = _positive(sample_s, "sample interval")
    if not protocol:
        raise SsblabInputError("empty protocol")
    for step in protocol:
        _positive(step.current_density_A_m2, "current density")
        _positive(step.duration_s, "step duration")
    anode = DEFAULT_PARAMETERS
    electrodes = _electrodes(p)
    r_bulk = p.sse_thickness / p.sse_sigma_ion_at_temperature
    if electrolyte is not None:
        if abs(electrolyte.temperature_k - p.temperature) > 0.5:
            raise SsblabInputError(
                f"electrolyte: the microstructure was solved at {electrolyte.temperature_k:.2f} K, "
                f"the cell runs at {p.temperature:.2f} K"
            )
        r_bulk = p.sse_thickness / electrolyte.sigma_total_s_per_m
    filament = 0.0
    short_s: float | None = None
    notes: list[str] = []
    filaments, no_filament_reason = filaments_possible(p)
    if not filaments and electrolyte is None and p.sse_sigma_e != 0:
        notes.append(no_filament_reason)
    clipped = contact_lost = False
    t0 = 0.0
    chunks: dict[str, list[np.ndarray]] = {}

    def keep(name: str, values) -> None:
        chunks.setdefault(name, []).append(np.asarray(values, dtype=float))

    grids = [_sample_times(step.duration_s, sample) for step in protocol]
    starts = np.concatenate([[0.0], np.cumsum([step.duration_s for step in protocol])[:-1]])
    bounds = np.concatenate([[0], np.cumsum([grid.size for grid in grids])])
    try:
        timed_all = [
            _time_parts(e, np.concatenate([a + g for a, g in zip(starts, grids, strict=True)]))
            for e in electrodes
        ]
    except SsblabInputError as exc:
        raise SimulationError(f"interphase or coating state: {exc}") from None
    _check_carried(p, protocol, r_bulk, timed_all, anode)
    f_assembled = assembled_contact_fraction(p)
    fresh_penetration = penetration_ccd_at_contact(p, f_assembled, flaw_size_m, fracture)
    penetration_risk: tuple[float, float, float] | None = None  # (t, f, j_pen)
    for index, step in enumerate(protocol):
        j, sign = step.current_density_A_m2, step.sign
        rel = grids[index]
        t = t0 + rel
        plated = electrodes[1 if sign > 0 else 0]
        if (
            penetration_risk is None
            and fresh_penetration is not None
            and j <= fresh_penetration
            and plated.contact < f_assembled
        ):
            j_pen = penetration_ccd_at_contact(p, plated.contact, flaw_size_m, fracture)
            if j_pen is not None and j > j_pen:
                penetration_risk = (t0, plated.contact, j_pen)
        window = slice(bounds[index], bounds[index + 1])
        timed = [{name: v[window] for name, v in parts.items()} for parts in timed_all]
        try:
            parts = _electrode_step(p, electrodes, step, rel, timed, anode, keep)
        except SsblabInputError as exc:  # a model rejected a state: the simulation failed
            raise SimulationError(f"t = {t0 / 3600:.4g} h (step {index}): {exc}") from None
        except SimulationError as exc:
            raise SimulationError(f"t = {t0 / 3600:.4g} h (step {index}): {exc}") from None
        magnitude = j * r_bulk + parts[0][0] + parts[1][0]
        if not np.all(np.isfinite(magnitude)):
            contact_lost = True
        # A cycler at its compliance voltage delivers only the current that voltage drives,
        # j·V_limit/|V| (none once contact is lost): Li is deposited, and a filament grows, only
        # in proportion to the current that flows. ``delivered_s`` is ∫ (j_delivered/j) dt.
        with np.errstate(divide="ignore", invalid="ignore"):
            delivered = np.where(
                np.isfinite(magnitude), np.minimum(1.0, p.voltage_limit / magnitude), 0.0
            )
        delivered_s = np.concatenate(
            [[0.0], np.cumsum(0.5 * (delivered[1:] + delivered[:-1]) * np.diff(rel))]
        )
        # filament growth from Li deposited inside the electrolyte (leakage model)
        growth = 0.0
        if short_s is None and electrolyte is not None:
            try:
                f_dep = electrolyte.deposition_fraction_at(j)
            except SsblabInputError as exc:
                raise SimulationError(f"step {index}: {exc}") from None
            growth = f_dep * j * LI_MOLAR_VOLUME_M3_MOL / (FARADAY_C_MOL * p.filament_area_fraction)
        elif short_s is None and filaments:
            r_strip = next(part for part, s in parts if s)[0] / j
            r_plate = next(part for part, s in parts if not s)[0] / j
            if math.isfinite(r_strip) and math.isfinite(r_plate):
                profile = leakage(
                    j, p.sse_thickness, p.sse_sigma_ion_at_temperature, p.sse_sigma_e,
                    asr_plating_ohm_m2=r_plate, asr_stripping_ohm_m2=r_strip,
                )  # fmt: skip
                growth = (
                    profile.deposition_fraction
                    * j
                    * LI_MOLAR_VOLUME_M3_MOL
                    / (FARADAY_C_MOL * p.filament_area_fraction)
                )
        length = filament + growth * delivered_s
        if short_s is None and growth > 0 and length[-1] >= p.sse_thickness:
            needed_s = (p.sse_thickness - filament) / growth
            short_s = t0 + float(np.interp(needed_s, delivered_s, rel))
        filament = float(length[-1])
        keep("filament_m", np.minimum(length, p.sse_thickness))
        over = magnitude > p.voltage_limit
        if np.any(over):
            clipped = True
            magnitude = np.minimum(magnitude, p.voltage_limit)
        if short_s is not None:
            shorted = t >= short_s
            apparent = magnitude / j
            magnitude = np.where(
                shorted, j * apparent * p.short_resistance / (apparent + p.short_resistance),
                magnitude,
            )  # fmt: skip
            keep("shorted", shorted)
        else:
            keep("shorted", np.zeros(t.size))
        keep("time_s", t)
        keep("voltage_V", sign * magnitude)
        keep("current_A", np.full(t.size, sign * j * p.area))
        keep("current_density_A_m2", np.full(t.size, j))
        keep("step_index", np.full(t.size, index))
        t0 += step.duration_s
        if progress is not None:
            progress(index + 1, len(protocol))
    history = pd.DataFrame({name: np.concatenate(parts) for name, parts in chunks.items()})
    history["shorted"] = history["shorted"].astype(bool)
    history["step_index"] = history["step_index"].astype(int)
    history.insert(1, "asr_bulk_ohm_m2", r_bulk)
    if contact_lost:
        notes.append("contact fully lost at an electrode during stripping (open circuit)")
    if clipped:
        notes.append(f"|V| clipped at the compliance voltage {p.voltage_limit:g} V")
    if short_s is not None:
        notes.append(f"filament short circuit at {short_s / 3600:.4g} h")
    sign = np.sign(history["current_A"].to_numpy())
    table = tidy_table(
        history["time_s"],
        history["voltage_V"],
        history["current_A"],
        step_index=history["step_index"],
        step_type=np.where(sign > 0, "charge", "discharge"),
        temperature_k=np.full(len(history), p.temperature),
    )
    data = CyclingData(
        table,
        source=f"ssblab simulate symmetric ({p.name})",
        metadata={
            "simulated": True,
            "parameter_set": p.name,
            "area_m2": p.area,
            "voltage_limit_V": p.voltage_limit,
        },
        notes=tuple(notes),
    )
    ccd = critical_current(
        p,
        hold_s=float(sum(step.duration_s for step in protocol)),
        step_s=float(max(step.duration_s for step in protocol)),
        flaw_size_m=flaw_size_m,
        fracture=fracture,
        electrolyte=electrolyte,
    )
    notes.append(
        f"CCD {ccd.ccd_A_m2 / 10:.4g} mA/cm^2 ({ccd.mode})" if ccd.mode else "CCD: no mode limits"
    )
    if penetration_risk is not None:
        t_risk, f_risk, j_risk = penetration_risk
        notes.append(
            f"plating penetration risk from {t_risk / 3600:.4g} h: stripping voids left the "
            f"plated electrode at contact {f_risk:.3g} (assembled {f_assembled:.3g}), which "
            f"lowers its penetration CCD to {j_risk / 10:.4g} mA/cm^2, below the plating "
            "current (not grown in the trace)"
        )
    peak = max((abs(step.current_density_A_m2) for step in protocol), default=0.0)
    penetration = next(m for m in ccd.modes if m.mode == "plating penetration")
    if penetration.ccd_A_m2 is not None and peak > penetration.ccd_A_m2:
        # the time-domain trace grows filaments by electronic leakage and voids by stripping;
        # flaw-driven cracking is a threshold here, not a state the trace evolves
        notes.append(
            f"the protocol's {peak / 10:.4g} mA/cm^2 exceeds the plating-penetration CCD "
            f"({penetration.ccd_A_m2 / 10:.4g} mA/cm^2 for a {ccd.flaw_size_m * 1e6:.3g} µm "
            "flaw): the trace does not grow flaw-driven cracks, so its lifetime is an upper "
            "bound if such flaws exist"
        )
    return SimulationResult(data, history, p, short_s, tuple(notes), ccd)
