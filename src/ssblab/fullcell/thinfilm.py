"""Planar thin-film cathode half cell: Li | solid electrolyte (| buffer) | dense cathode film.

Why hand-written: PyBaMM's lithium-ion models are porous (composite) electrodes of spherical
particles (SPM/DFN families, :mod:`ssblab.fullcell.halfcell`); a dense, sputtered, *planar*
cathode film that Li⁺ enters through one flat interface and crosses by 1-D solid diffusion is
not among them. ssblab solves it here, in the thin-film form of Danilov, Niessen & Notten
(J. Electrochem. Soc. 158 (2011) A215), cathode side, with the electrolyte reduced to a
resistor (a single-ion conductor carries no concentration polarisation).

Equations (SI; x = 0 at the electrolyte|film interface, x = L at the current collector):

* film:  ∂c/∂t = D ∂²c/∂x²,  0 < x < L;  −D ∂c/∂x|₀ = N = −I/(F·a·A);  ∂c/∂x|_L = 0
  (I in A, **positive on charge** as in :mod:`ssblab.cycling.data`: a discharge lithiates the
  film; A the geometric area, a the accessible (active) fraction of it, 1 when pristine);
* interface: symmetric Butler–Volmer (α = 0.5), η = (2RT/F)·asinh(j/(2 j₀)), j = I/(aA),
  j₀ = k·F·c_max·√(θ_s(1 − θ_s)), θ_s = c(0, t)/c_max;
* terminal voltage vs Li/Li⁺: V = U(θ_s) + η + I·R_s,
  R_s = (L_SSE/σ_SSE + ASR_anode)/A + ASR_interface/(aA)
  (ASR_interface: the cathode|electrolyte contact including any buffer film; it acts over
  the active contact area);
* U(θ): the NMC532 open-circuit potential of PyBaMM's ``Mohtat2020`` parameter set (Mohtat,
  Lee, Sulzer, Siegel & Stefanopoulou, J. Electrochem. Soc. 167 (2020) 110561; the same
  polynomial is PyBaMM's ``Xu2019`` NMC OCP), evaluated once with PyBaMM and tabulated.

Capacity over the voltage window [v_min, v_max]: Q = F·c_max·L·a·A·(θ(v_min) − θ(v_max)).

Degradation hooks (:class:`Degradation`), applied at the start of every cycle n ≥ 2 (a cycle
starts at a charge that follows a discharge, as :func:`ssblab.cycling.data.cycles_from_steps`
counts): interface ASR growth ASR_n = ASR_1·(1 + g·(n − 1)^p), and loss of active material /
contact a_n = a_1·(1 − λ)^(n − 1). The lithium of a lost fraction stays in the film, isolated
(it counts in the lithium inventory, :func:`lithium_balance_error`).

Numerics: finite volumes graded toward x = 0 (``n_cells``, width ratio ``grading``); each
constant-current step is solved *exactly in time* through the eigen-decomposition of the
symmetric finite-volume operator (no time-stepping error), the surface value extrapolated from
the first cell with the imposed gradient. A step ends at its voltage cut-off, found by a scan on
a log-spaced time grid and Brent's method. A six-rate sweep takes ~20 ms.

Validity: a single-phase solid solution with constant D (no two-phase fronts, no stress), fast
electronic conduction in the film, no double-layer charging, isothermal; the Li anode is a
reservoir (only its ASR enters). Parameters marked "assumed" below have no source for a
sputtered film.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache

import numpy as np

from ssblab.errors import SsblabInputError

F_C_MOL = 96485.33212  # C/mol (CODATA 2018, exact)
R_J_MOL_K = 8.314462618  # J/(mol K) (CODATA 2018, exact)

#: NMC532 maximum Li concentration, mol/m³: PyBaMM Mohtat2020 set (Mohtat et al. 2020).
C_MAX_MOL_M3 = 35380.0
#: NMC532 solid diffusivity at 298.15 K, m²/s: PyBaMM Mohtat2020 set (D_ref of
#: ``NMC_diffusivity_PeymanMPM``). Measured thin-film values scatter by orders of magnitude:
#: 1.7e-17 m²/s for sputtered Li(Ni1/4Mn1/2Co1/3)O2 films (Ding, Sun & Fu, Electrochem.
#: Solid-State Lett. 13 (2010) A105), 2e-15–4e-13 m²/s by GITT on NCM523 powder (Yang et al.,
#: Electrochim. Acta 66 (2012) 88): the value for a given sputtered film is an assumption.
DIFFUSIVITY_M2_S = 8e-15
#: Butler–Volmer rate constant k, m/s, with j₀ = k·F·c_max·√(θ(1 − θ)): the Mohtat2020 set's
#: m_ref = 4.824e-6 A m⁻²(m³/mol)^1.5 at its 1 M electrolyte, k = m_ref·√(1000)/F. A liquid-
#: electrolyte value: ASSUMED to hold for the solid|film interface.
RATE_CONSTANT_M_S = 4.824e-6 * math.sqrt(1000.0) / F_C_MOL
#: LLTO film thickness, m: centre of the 300–400 nm of seed 002 (s002-llto-film-thickness).
SSE_THICKNESS_M = 350e-9
#: LLTO conductivity at RT, S/m: 9.56e-6 S/cm, 300 °C anneal (seed 002, s002-llto-300-sigma-rt).
SSE_CONDUCTIVITY_S_M = 9.56e-4
#: Voltage window, V vs Li/Li⁺: 3.2–4.2 V (seed 002, s002-cell-voltage-window).
V_MIN_V, V_MAX_V = 3.2, 4.2
_OCP_GRID_POINTS = 20001


class ThinFilmError(SsblabInputError):
    """A thin-film cell, step or protocol parameter out of range (the message names it)."""


@lru_cache(maxsize=1)
def _ocp_table() -> tuple[np.ndarray, np.ndarray]:
    """(θ grid, U) of PyBaMM's Mohtat2020 NMC532 OCP (lazy PyBaMM import, evaluated once)."""
    try:
        import pybamm
    except ImportError as exc:  # pragma: no cover - pybamm is installed with the fullcell extra
        raise ThinFilmError(
            "ocp: PyBaMM is needed for the NMC532 OCP (pip install pybamm)"
        ) from exc
    theta = np.linspace(0.0, 1.0, _OCP_GRID_POINTS)
    ocp = pybamm.ParameterValues("Mohtat2020")["Positive electrode OCP [V]"]
    u = np.asarray(ocp(theta), dtype=float)
    if not (np.all(np.isfinite(u)) and np.all(np.diff(u) < 0)):
        raise ThinFilmError("ocp: the Mohtat2020 OCP is not monotone on the grid")
    return theta, u


def ocp_V(theta) -> np.ndarray:
    """NMC532 open-circuit potential (V vs Li/Li⁺) at Li fraction ``theta`` (clipped to 0–1)."""
    grid, u = _ocp_table()
    return np.interp(np.asarray(theta, dtype=float), grid, u)


def theta_at_V(voltage_V) -> np.ndarray:
    """Inverse of :func:`ocp_V`: Li fraction at open-circuit voltage (0 or 1 beyond the range)."""
    grid, u = _ocp_table()
    return np.interp(np.asarray(voltage_V, dtype=float), u[::-1], grid[::-1])


def _positive(name: str, value: float, allow_zero: bool = False) -> None:
    ok = math.isfinite(value) and (value >= 0 if allow_zero else value > 0)
    if not ok:
        bound = "≥ 0" if allow_zero else "> 0"
        raise ThinFilmError(f"{name}: must be finite and {bound}, got {value!r}")


@dataclass(frozen=True)
class ThinFilmCell:
    """Li | SSE | planar cathode film; SI units (module docstring for the equations)."""

    thickness_m: float = 1.0e-6  # assumed: a typical sputtered cathode film (none printed)
    area_m2: float = 1.0e-4  # assumed: 1 cm²
    c_max_mol_m3: float = C_MAX_MOL_M3
    diffusivity_m2_s: float = DIFFUSIVITY_M2_S
    rate_constant_m_s: float = RATE_CONSTANT_M_S
    interface_asr_ohm_m2: float = 0.0  # cathode|SSE contact incl. buffer: fitted per cell
    anode_asr_ohm_m2: float = 0.0  # assumed 0: lumped into interface_asr_ohm_m2
    sse_thickness_m: float = SSE_THICKNESS_M
    sse_conductivity_s_m: float = SSE_CONDUCTIVITY_S_M
    temperature_K: float = 298.15  # seed 002 cycles at room temperature
    v_min_V: float = V_MIN_V
    v_max_V: float = V_MAX_V
    active_fraction: float = 1.0  # accessible fraction a of the area (1 = pristine)
    n_cells: int = 30
    grading: float = 1.15  # width ratio of neighbouring cells, finest at x = 0

    def __post_init__(self) -> None:
        for name in (
            "thickness_m",
            "area_m2",
            "c_max_mol_m3",
            "diffusivity_m2_s",
            "rate_constant_m_s",
            "sse_conductivity_s_m",
            "temperature_K",
        ):
            _positive(name, float(getattr(self, name)))
        for name in ("interface_asr_ohm_m2", "anode_asr_ohm_m2", "sse_thickness_m"):
            _positive(name, float(getattr(self, name)), allow_zero=True)
        if not (math.isfinite(self.v_min_V) and math.isfinite(self.v_max_V)):
            raise ThinFilmError("v_min_V/v_max_V: must be finite")
        if not 2.0 <= self.v_min_V < self.v_max_V <= 4.6:
            raise ThinFilmError(
                f"v_min_V/v_max_V: need 2.0 ≤ v_min_V < v_max_V ≤ 4.6 V, got "
                f"{self.v_min_V}–{self.v_max_V}"
            )
        if not 0 < self.active_fraction <= 1:
            raise ThinFilmError(f"active_fraction: must be in (0, 1], got {self.active_fraction}")
        if int(self.n_cells) != self.n_cells or not 4 <= self.n_cells <= 400:
            raise ThinFilmError(f"n_cells: an integer in 4–400, got {self.n_cells}")
        if not 1.0 <= self.grading <= 1.5:
            raise ThinFilmError(f"grading: must be in [1, 1.5], got {self.grading}")

    @property
    def theta_window(self) -> tuple[float, float]:
        """(θ at v_max, θ at v_min): the Li fractions of the charged and discharged film."""
        return float(theta_at_V(self.v_max_V)), float(theta_at_V(self.v_min_V))

    @property
    def capacity_Ah(self) -> float:
        """Theoretical capacity over the voltage window, F·c_max·L·a·A·Δθ/3600 (A·h)."""
        lo, hi = self.theta_window
        volume = self.thickness_m * self.area_m2 * self.active_fraction
        return F_C_MOL * self.c_max_mol_m3 * volume * (hi - lo) / 3600.0

    @property
    def series_resistance_ohm(self) -> float:
        """R_s = (L_SSE/σ_SSE + ASR_anode)/A + ASR_interface/(aA), Ω."""
        bulk = self.sse_thickness_m / self.sse_conductivity_s_m + self.anode_asr_ohm_m2
        return bulk / self.area_m2 + self.interface_asr_ohm_m2 / (
            self.area_m2 * self.active_fraction
        )

    def current_A(self, c_rate: float) -> float:
        """|I| (A) of a C-rate on the pristine window capacity (1 C = capacity_Ah per hour)."""
        return c_rate * self.capacity_Ah / self.active_fraction


def cell_for_capacity(capacity_Ah: float, thickness_m: float, **kwargs) -> ThinFilmCell:
    """A pristine :class:`ThinFilmCell` whose window capacity is ``capacity_Ah``: the area
    follows from the film thickness, A = 3600·Q/(F·c_max·L·Δθ)."""
    _positive("capacity_Ah", float(capacity_Ah))
    _positive("thickness_m", float(thickness_m))
    probe = ThinFilmCell(thickness_m=thickness_m, area_m2=1.0, **kwargs)
    return replace(probe, area_m2=capacity_Ah / probe.capacity_Ah)


@dataclass(frozen=True)
class _Mesh:
    h: np.ndarray  # cell widths on [0, 1]
    lam: np.ndarray  # eigenvalues of the scaled operator (lam[0] = 0, the others < 0)
    q: np.ndarray  # orthonormal eigenvectors (columns)
    b: np.ndarray  # surface-cell row of the modal basis (= the source coupling)


@lru_cache(maxsize=16)
def _mesh(n_cells: int, grading: float) -> _Mesh:
    """Graded finite volumes on [0, 1] and the eigen-decomposition of H^-½ K H^-½."""
    w = grading ** np.arange(n_cells, dtype=float)
    h = w / w.sum()
    edges = np.concatenate([[0.0], np.cumsum(h)])
    g = 1.0 / np.diff(0.5 * (edges[1:] + edges[:-1]))  # conductances between neighbours
    k = np.zeros((n_cells, n_cells))
    idx = np.arange(n_cells - 1)
    k[idx, idx] -= g
    k[idx + 1, idx + 1] -= g
    k[idx, idx + 1] += g
    k[idx + 1, idx] += g
    s = 1.0 / np.sqrt(h)
    lam, q = np.linalg.eigh(s[:, None] * k * s[None, :])
    order = np.argsort(-lam)  # the zero mode first
    lam, q = lam[order].copy(), q[:, order].copy()
    lam[0], q[:, 0] = 0.0, np.sqrt(h)  # exact conservation: mean c = z[0]
    return _Mesh(h=h, lam=lam, q=q, b=q[0, :] / math.sqrt(h[0]))


@dataclass(frozen=True)
class PlanarDiffusion:
    """Exact-in-time solution of the graded finite-volume film for a constant surface flux.

    State ``z``: modal coordinates; concentration profile :meth:`profile`, mean ``z[0]``."""

    thickness_m: float
    diffusivity_m2_s: float
    n_cells: int = 30
    grading: float = 1.15

    @property
    def mesh(self) -> _Mesh:
        return _mesh(int(self.n_cells), float(self.grading))

    def uniform(self, c_mol_m3: float) -> np.ndarray:
        """Modal state of a uniform film."""
        z = np.zeros(self.n_cells)
        z[0] = c_mol_m3
        return z

    def profile(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(cell centres in m, cell concentrations in mol/m³) of state ``z``."""
        m = self.mesh
        edges = np.concatenate([[0.0], np.cumsum(m.h)]) * self.thickness_m
        return 0.5 * (edges[1:] + edges[:-1]), (m.q @ z) / np.sqrt(m.h)

    def evolve(self, z0: np.ndarray, flux_mol_m2_s: float, t_s) -> np.ndarray:
        """States at times ``t_s`` (shape (len(t), n)) under an inward surface flux N."""
        m = self.mesh
        t = np.atleast_1d(np.asarray(t_s, dtype=float))
        a = self.diffusivity_m2_s / self.thickness_m**2 * m.lam
        at = np.multiply.outer(t, a)
        safe = np.where(a == 0.0, 1.0, a)
        growth = np.where(a == 0.0, t[:, None], np.expm1(at) / safe)
        return z0 * np.exp(at) + (flux_mol_m2_s / self.thickness_m) * m.b * growth

    def surface(self, z: np.ndarray, flux_mol_m2_s: float) -> np.ndarray:
        """c(0): first-cell value plus the imposed gradient over half its width."""
        m = self.mesh
        half = 0.5 * m.h[0] * self.thickness_m
        return z @ m.b + flux_mol_m2_s * half / self.diffusivity_m2_s


def surface_concentration_closed_form(
    c0, flux_mol_m2_s, thickness_m, diffusivity_m2_s, t_s, terms: int = 400
):
    """Crank's series for a slab with constant inward flux at x = 0 and an insulated face at L
    (Crank, The Mathematics of Diffusion, 2nd ed. 1975, §4.3.3 form), at x = 0:
    c − c0 = (N·L/D)·[τ + 1/3 − (2/π²)·Σ exp(−n²π²τ)/n²],  τ = D·t/L²."""
    tau = diffusivity_m2_s * np.asarray(t_s, dtype=float) / thickness_m**2
    n = np.arange(1, terms + 1)
    series = np.sum(np.exp(-np.multiply.outer(tau, n**2) * math.pi**2) / n**2, axis=-1)
    bracket = tau + 1.0 / 3.0 - 2.0 / math.pi**2 * series
    return c0 + flux_mol_m2_s * thickness_m / diffusivity_m2_s * bracket


@dataclass(frozen=True)
class Degradation:
    """Per-cycle degradation: ASR_n = ASR_1·(1 + g·(n − 1)^p), a_n = a_1·(1 − λ)^(n − 1)."""

    asr_growth: float = 0.0  # g (per cycle^p)
    asr_growth_exponent: float = 1.0  # p
    lam_per_cycle: float = 0.0  # λ, fraction of active area lost per cycle

    def __post_init__(self) -> None:
        _positive("asr_growth", float(self.asr_growth), allow_zero=True)
        _positive("asr_growth_exponent", float(self.asr_growth_exponent))
        if not 0 <= self.lam_per_cycle < 1:
            raise ThinFilmError(f"lam_per_cycle: must be in [0, 1), got {self.lam_per_cycle}")


@dataclass(frozen=True)
class Step:
    """A constant-current (or rest) step: ``kind`` "charge" / "discharge" / "rest"; the current
    as ``c_rate`` (on the pristine window capacity) or ``current_A`` (magnitude, A); ends at
    ``cutoff_V`` (default the cell's window edge) or after ``duration_s``."""

    kind: str
    c_rate: float | None = None
    current_A: float | None = None
    cutoff_V: float | None = None
    duration_s: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("charge", "discharge", "rest"):
            raise ThinFilmError(f"kind: 'charge', 'discharge' or 'rest', got {self.kind!r}")
        if self.kind == "rest":
            if self.duration_s is None:
                raise ThinFilmError("duration_s: a rest needs a duration")
        elif (self.c_rate is None) == (self.current_A is None):
            raise ThinFilmError("c_rate/current_A: give exactly one for a current step")
        for name in ("c_rate", "current_A", "duration_s"):
            value = getattr(self, name)
            if value is not None:
                _positive(name, float(value), allow_zero=name == "duration_s")


@dataclass(frozen=True)
class StepResult:
    """One simulated step: signed current (A, + charge), duration, capacity, mean voltage."""

    kind: str
    cycle: int
    current_A: float
    duration_s: float
    capacity_Ah: float
    mean_voltage_V: float
    end_voltage_V: float
    end_reason: str  # "cutoff", "duration", "immediate" (cut-off at t = 0)
    interface_asr_ohm_m2: float
    active_fraction: float


@dataclass
class _State:
    z: np.ndarray
    cell: ThinFilmCell
    cycle: int = 1
    last_kind: str | None = None
    isolated_mol: float = 0.0
    asr_1: float = 0.0
    a_1: float = 1.0


def _voltage(cell: ThinFilmCell, c_surf, current_A: float) -> np.ndarray:
    theta = np.asarray(c_surf, dtype=float) / cell.c_max_mol_m3
    if current_A == 0.0:
        return ocp_V(theta)
    th = np.clip(theta, 1e-12, 1.0 - 1e-12)
    j = current_A / (cell.area_m2 * cell.active_fraction)
    j0 = cell.rate_constant_m_s * F_C_MOL * cell.c_max_mol_m3 * np.sqrt(th * (1.0 - th))
    eta = 2.0 * R_J_MOL_K * cell.temperature_K / F_C_MOL * np.arcsinh(j / (2.0 * j0))
    v = ocp_V(th) + eta + current_A * cell.series_resistance_ohm
    out_of_range = (theta >= 1.0) if current_A < 0 else (theta <= 0.0)
    return np.where(out_of_range, -np.inf if current_A < 0 else np.inf, v)


def _diffusion(cell: ThinFilmCell) -> PlanarDiffusion:
    return PlanarDiffusion(cell.thickness_m, cell.diffusivity_m2_s, cell.n_cells, cell.grading)


def _run_step(state: _State, step: Step, n_samples: int = 0):
    """Advance ``state`` through ``step``; returns (StepResult, sample times, voltages, means)."""
    cell = state.cell
    film = _diffusion(cell)
    if step.kind == "rest":
        current = 0.0
    else:
        size = step.current_A if step.current_A is not None else cell.current_A(step.c_rate)
        current = size if step.kind == "charge" else -size
    flux = -current / (F_C_MOL * cell.area_m2 * cell.active_fraction)
    cutoff = step.cutoff_V
    if cutoff is None and current != 0.0:
        cutoff = cell.v_max_V if current > 0 else cell.v_min_V
    mean0 = float(state.z[0])
    if current == 0.0:
        t_lim, reason = float(step.duration_s), "duration"
    else:
        room = (cell.c_max_mol_m3 - mean0) if current < 0 else mean0
        t_lim = max(room, 0.0) * cell.thickness_m / abs(flux)
        reason = "cutoff"
        if step.duration_s is not None and step.duration_s < t_lim:
            t_lim, reason = float(step.duration_s), "duration"

    def volts(t):
        z = film.evolve(state.z, flux, t)
        return _voltage(cell, film.surface(z, flux), current)

    t_end = t_lim
    if current != 0.0:
        sign = 1.0 if current > 0 else -1.0

        def past(v):
            return ~np.isfinite(v) | (sign * (v - cutoff) >= 0)

        grid = np.concatenate([[0.0], np.geomspace(max(t_lim, 1e-300) * 1e-7, t_lim, 160)])
        hit = past(volts(grid))
        if hit[0] or t_lim <= 0:
            t_end, reason = 0.0, "immediate"
        elif hit.any():
            k = int(np.argmax(hit))

            def f(t):
                v = float(volts(np.array([t]))[0])
                return sign * ((v if math.isfinite(v) else sign * 1e3) - cutoff)

            from scipy.optimize import brentq

            # the scan and a scalar call may differ by rounding right at the cut-off
            if f(grid[k - 1]) >= 0:
                t_end = grid[k - 1]
            else:
                t_end = brentq(f, grid[k - 1], grid[k], xtol=1e-12 * grid[k], rtol=1e-11)
            reason = "cutoff" if t_end > 0 else "immediate"
    samples = max(n_samples, 48)
    if t_end > 0:
        t = np.unique(
            np.concatenate(
                [np.linspace(0.0, t_end, samples), np.geomspace(t_end * 1e-4, t_end, samples // 3)]
            )
        )
    else:
        t = np.array([0.0])
    z_all = film.evolve(state.z, flux, t)
    v = _voltage(cell, film.surface(z_all, flux), current)
    v_end = float(v[-1]) if math.isfinite(v[-1]) else float(cutoff)
    v = np.where(np.isfinite(v), v, v_end)
    mean_v = float(np.trapezoid(v, t) / t_end) if t_end > 0 else math.nan
    state.z = z_all[-1]
    result = StepResult(
        kind=step.kind,
        cycle=state.cycle,
        current_A=current,
        duration_s=float(t_end),
        capacity_Ah=abs(current) * t_end / 3600.0,
        mean_voltage_V=mean_v,
        end_voltage_V=v_end,
        end_reason=reason,
        interface_asr_ohm_m2=cell.interface_asr_ohm_m2,
        active_fraction=cell.active_fraction,
    )
    return result, t, v, z_all[:, 0]


def _begin_cycle(state: _State, kind: str, degradation: Degradation | None) -> None:
    """Advance the cycle counter at a charge after a discharge and apply the degradation."""
    if kind == "rest":
        return
    if kind == "charge" and state.last_kind == "discharge":
        state.cycle += 1
        if degradation is not None:
            n = state.cycle
            asr = state.asr_1 * (
                1.0 + degradation.asr_growth * (n - 1) ** degradation.asr_growth_exponent
            )
            a = state.a_1 * (1.0 - degradation.lam_per_cycle) ** (n - 1)
            old = state.cell
            lost = old.active_fraction - a
            state.isolated_mol += lost * old.area_m2 * old.thickness_m * float(state.z[0])
            state.cell = replace(old, interface_asr_ohm_m2=asr, active_fraction=a)
    state.last_kind = kind


def _initial_state(cell: ThinFilmCell, theta0: float | None) -> _State:
    theta = cell.theta_window[1] if theta0 is None else float(theta0)
    if not 0 <= theta <= 1:
        raise ThinFilmError(f"initial_theta: must be in [0, 1], got {theta0}")
    z = _diffusion(cell).uniform(theta * cell.c_max_mol_m3)
    return _State(z=z, cell=cell, asr_1=cell.interface_asr_ohm_m2, a_1=cell.active_fraction)


def step_summaries(
    cell: ThinFilmCell,
    steps: Sequence[Step],
    degradation: Degradation | None = None,
    initial_theta: float | None = None,
) -> list[StepResult]:
    """The per-step results of a protocol without building the table (fast path of
    :func:`simulate_protocol`). Starts from a uniform film at ``initial_theta`` (default: the
    discharged edge of the window, θ(v_min))."""
    state = _initial_state(cell, initial_theta)
    out = []
    for step in steps:
        _begin_cycle(state, step.kind, degradation)
        out.append(_run_step(state, step)[0])
    return out


def simulate_protocol(
    cell: ThinFilmCell,
    steps: Sequence[Step],
    degradation: Degradation | None = None,
    *,
    points_per_step: int = 60,
    initial_theta: float | None = None,
):
    """Simulate ``steps`` and return the tidy cycling table (:class:`ssblab.cycling.data.
    CyclingData`; current positive on charge), each step with a point at its start and end.
    ``metadata``: the cell, the degradation, ``nominal_capacity_Ah``, ``steps`` (one
    :class:`StepResult` dict each) and ``film_lithium_mol`` (Li in the film, active plus
    isolated, at every row: :func:`lithium_balance_error`)."""
    from ssblab.cycling.data import CyclingData, tidy_table

    if not steps:
        raise ThinFilmError("steps: the protocol is empty")
    state = _initial_state(cell, initial_theta)
    times, volts, currents, kinds, step_idx, cycles, film_li, results = ([] for _ in range(8))
    t0 = 0.0
    for k, step in enumerate(steps):
        _begin_cycle(state, step.kind, degradation)
        c = state.cell
        res, t, v, mean_c = _run_step(state, step, points_per_step)
        times.append(t0 + t)
        volts.append(v)
        currents.append(np.full(t.size, res.current_A))
        kinds += [step.kind] * t.size
        step_idx.append(np.full(t.size, k))
        cycles.append(np.full(t.size, res.cycle))
        film_li.append(c.active_fraction * c.area_m2 * c.thickness_m * mean_c + state.isolated_mol)
        results.append(asdict(res))
        t0 += res.duration_s
    table = tidy_table(
        np.concatenate(times),
        np.concatenate(volts),
        np.concatenate(currents),
        step_index=np.concatenate(step_idx),
        step_type=np.array(kinds),
        cycle_index=np.concatenate(cycles),
        temperature_k=np.full(sum(a.size for a in times), cell.temperature_K),
    )
    metadata = {
        "model": "ssblab.fullcell.thinfilm (planar film, Danilov, Niessen & Notten 2011)",
        "cell": asdict(cell),
        "degradation": None if degradation is None else asdict(degradation),
        "nominal_capacity_Ah": cell.capacity_Ah,
        "area_cm2": cell.area_m2 * 1e4,
        "steps": results,
        "film_lithium_mol": np.concatenate(film_li),
    }
    return CyclingData(
        table=table, source="simulated: planar thin-film half cell", metadata=metadata
    )


def lithium_balance_error(data) -> float:
    """Largest relative drift of the lithium inventory of a :func:`simulate_protocol` run:
    Li in the film (active + isolated) + Li moved to the Li anode (∫I dt/F, positive on charge)
    against its initial value."""
    film = np.asarray(data.metadata["film_lithium_mol"], dtype=float)
    anode = data.table["cumulative_capacity_Ah"].to_numpy(dtype=float) * 3600.0 / F_C_MOL
    total = film + anode
    return float(np.max(np.abs(total - total[0])) / abs(total[0]))


@dataclass(frozen=True)
class RateSweep:
    """Discharge capacity (A·h), relative capacity (to the slowest rate) and mean discharge
    voltage (V, the "plateau": ∫V dt / t) per C-rate."""

    c_rates: tuple[float, ...]
    capacity_Ah: tuple[float, ...]
    relative: tuple[float, ...]
    mean_voltage_V: tuple[float, ...]
    charged_capacity_Ah: float
    notes: tuple[str, ...] = field(default_factory=tuple)


def rate_sweep(
    cell: ThinFilmCell,
    c_rates: Sequence[float],
    *,
    charge_c_rate: float = 0.1,
    formation_cycles: int = 0,
    formation_c_rate: float = 0.1,
    degradation: Degradation | None = None,
) -> RateSweep:
    """Discharge capacities at ``c_rates``: optional formation cycles, a charge at
    ``charge_c_rate`` to v_max, then one discharge per rate to v_min, **each from that same
    charged state** (so the rates do not inherit each other's end states)."""
    rates = [float(r) for r in c_rates]
    if not rates:
        raise ThinFilmError("c_rates: at least one rate")
    for r in rates:
        _positive("c_rates", r)
    _positive("charge_c_rate", float(charge_c_rate))
    if int(formation_cycles) != formation_cycles or formation_cycles < 0:
        raise ThinFilmError(f"formation_cycles: a non-negative integer, got {formation_cycles}")
    state = _initial_state(cell, None)
    cycle = [Step("charge", c_rate=formation_c_rate), Step("discharge", c_rate=formation_c_rate)]
    for step in cycle * int(formation_cycles) + [Step("charge", c_rate=charge_c_rate)]:
        _begin_cycle(state, step.kind, degradation)
        charged = _run_step(state, step)[0]
    caps, means = [], []
    for r in rates:
        trial = _State(z=state.z.copy(), cell=state.cell)
        res = _run_step(trial, Step("discharge", c_rate=r))[0]
        caps.append(res.capacity_Ah)
        means.append(res.mean_voltage_V)
    ref = caps[int(np.argmin(rates))]
    rel = tuple(c / ref if ref > 0 else math.nan for c in caps)
    return RateSweep(tuple(rates), tuple(caps), rel, tuple(means), charged.capacity_Ah)
