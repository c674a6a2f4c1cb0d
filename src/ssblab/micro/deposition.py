"""Coupled ion/electron transport with defect chemistry on a :class:`TransportNetwork`, and where
Li is deposited inside the electrolyte.

This is the network generalisation of :mod:`ssblab.models.leakage` (read its docstring first):
ions and electrons are two "rails" (Jamnik–Maier DC limit; Wagner/Riess mixed conduction), now on
the nodes and edges of a polycrystal, with a Li-activity-dependent electronic conductivity and
a local reaction Li⁺ + e⁻ ⇌ Li at the interior nodes. In its limits (constant σ_e, no reaction)
it reproduces the 1-D module's numbers (tests).

**Unknowns.** Per node, the ionic potential φ_i = η̃(Li⁺)/F and the electronic (Fermi-level)
potential φ_e = −η̃(e⁻)/F (V); the local Li potential is U = φ_e − φ_i = −(μ_Li − μ°_Li)/F
(U = 0 in equilibrium with Li metal; U < 0: Li-supersaturated, Li⁺ + e⁻ → Li downhill). The
plating electrode (``plating_terminal``) is the ground, φ_i = φ_e = 0; the stripping electrode is
at φ_i = φ_e = V, the cell voltage, which is solved for: the current I = J·A through the
terminals is fixed (galvanostatic; J > 0 plates Li on the plating electrode, A =
``network.area_m2``).

**Edge currents** (edge a→b, positive from a to b)::

    I_ion = G_ion·(φ_i,a − φ_i,b),        I_e = G_e(U_a, U_b)·(φ_e,a − φ_e,b)

G_ion is the series conductance of the edge's segments, Σ_k 1/(σ_ion,k(T)·A_k/ℓ_k) inverted
(:meth:`TransportNetwork.edge_conductance`, Arrhenius laws of the phases). On an edge that
touches an electrode an explicit charge-transfer ASR r_ct (Ω·m², ``charge_transfer_asr_ohm_m2``,
one value or (plating, stripping)) is added in series to the *ionic* conductance only,
R = r_ct/A_c with A_c the contact area of that edge; electrons cross the Li|SSE contact
ohmically (as in :mod:`ssblab.models.leakage`). A network whose builder already put an interface
phase on the terminal edges needs no explicit r_ct (default 0, no seed value: leakage.py).

**Defect chemistry** (``defect_chemistry=True``, default). In a Li-stuffed oxide the Li⁺
concentration is fixed by the dopants, so the electron concentration follows the Li activity,
n ∝ a_Li = exp(−FU/RT), and (Hebb, J. Chem. Phys. 20 (1952) 185; Wagner; reviewed by Riess,
Solid State Ionics 157 (2003) 1, §2–3)::

    σ_e(U) = σ_n⁰·exp(−F·U/(R·T)) + σ_p⁰·exp(+F·U/(R·T))

σ_n⁰ is the phase's ``sigma_e_s_per_m`` (with its Arrhenius law): the electronic conductivity
*in contact with Li* (U = 0), which is what is measured on LLZO with Li electrodes (seed 001 §4:
~1e-8 S/cm; Han et al., Nat. Energy 4 (2019) 187). The hole term σ_p⁰ (p-type, rising on
oxidation) is off unless ``hole_conductivity`` names a phase; it matters only for U well above 0
(Riess 2003). ``defect_chemistry=False`` freezes σ_e = σ_n⁰ + σ_p⁰ (the leakage.py model).

*Edge average.* U varies along an edge; every segment of the edge is evaluated over the range
[U_a, U_b] spanned by the edge's two end values (``edge_mean``):

* ``"integral"`` (default): σ̄ = (1/ΔU)∫σ(U)dU, i.e. the logarithmic mean of the end values for
  each carrier, σ_n⁰·(e^{−u_a} − e^{−u_b})/(u_b − u_a) with u = FU/RT. This Kirchhoff-transform
  mean is *exact* for an edge that carries no ionic current (then dφ_e = dU along the edge; the
  Hebb–Wagner blocking-electrode integral) and second-order accurate otherwise;
* ``"midpoint"``: σ(Ū) with Ū = (U_a + U_b)/2 (the geometric mean of the end values). Also
  second order; both converge to the continuum 1-D solution under refinement (tests).

At an electrode end of an edge the "end U" is the value on the electrolyte side of the
charge-transfer resistance, U = φ_e,t − φ_i,SE with φ_i,SE = φ_i,t + w·(φ_i,b − φ_i,t),
w = r_ct/A_c·G_ion (the ionic potential drop across the interface): the electrolyte next to the
plating contact sits at U = −I_ion·r_ct/A_c < 0 (leakage.py's U(0) = −J_i·r_0), not at 0. A node
not ionically connected to an electrode has no defined U; its edges use σ_e at U = 0.

**Reaction at interior nodes** (Li⁺ + e⁻ → Li; r_n in A, > 0 = deposition)::

    r_n = k_n·2·sinh(−F·(U_n + η_nuc)/(2RT))   for U_n < −η_nuc   (kinetics="butler_volmer")
    r_n = k_n·(−F·(U_n + η_nuc)/(RT))          for U_n < −η_nuc   (kinetics="linear")
    r_n = 0                                    otherwise

Symmetric Butler–Volmer (α = ½; Bard & Faulkner, *Electrochemical Methods*, 2nd ed., 2001,
Eq. 3.4.11) against a Li nucleus whose equilibrium potential is shifted by η_nuc, the
nucleation overpotential (surface and strain energy of the nucleus, seed 003 Eq. 3,
Raj–Wolfenstine; default 0, the thermodynamic threshold, as in leakage.py). The rate is
one-sided: where U ≥ −η_nuc there is no Li to oxidise (no nucleus), so the reverse reaction
is off; r is continuous (kink at U = −η_nuc). Conservation at an interior node::

    Σ_out I_ion = −r_n,     Σ_out I_e = +r_n

(deposition turns ionic into electronic current). The exchange current of a node is
k_n = j₀·A_n·exp(−E_a,j₀/k_B·(1/T − 1/T_ref)), or ``exchange_current_a`` per node.

* j₀ (``exchange_current_density_a_per_m2``) = 128.5 A/m² (12.9 mA/cm²) by default, from the
  linearised charge-transfer relation j₀ = RT/(F·ASR) at 298.15 K with ASR = 2 Ω·cm², the lowest
  Li|LLZO ASR in seed 003 Table 1 (wet polish + 500 °C anneal; knowledge-base record
  ``s003-t1-r05-wetpolish-500c-asr``). The measured ASR includes contact/constriction
  resistance, so this j₀ is a lower bound for an ideal contact; applying an electrode-interface
  value to Li nuclei at grain boundaries is our assumption (no seed value). Sensitivity, on
  the 8-column grain/GB ladder of the tests (GB σ_e 100× grain, 2 Ω·cm² contacts, 298 K,
  J = 1–1000 A/m²): j₀ ×10 changes f_dep by < 2 %, ×0.1 by −6 to +9 %, ×0.01 by −35 %: the
  reacting nodes are in the fast-kinetics regime (pinned near U = −η_nuc), where transport,
  not j₀, sets f_dep.
* A_n (``reaction_area_m2``), default: half the summed face areas of the node's edges to other
  interior nodes (each GB face is shared by two grains), a face area estimated as
  ℓ_e·(series geometric factor of the edge) with ℓ_e the distance between the two node
  positions (exact for a Voronoi two-point edge of one cross-section; the nm GB segment adds
  δ/d ≪ 1). Faces touching an electrode are excluded: Li there is ordinary plating.
* E_a,j₀ (``exchange_current_ea_ev``) = 0: no seed value; the temperature dependence of the
  deposition then comes from the phases' activation energies and from RT/F.

**Contact area** of a terminal edge (for r_ct), default: the electrode area split among that
electrode's edges in proportion to (geometric factor × axial distance of the node from the
electrode plane), i.e. the estimated cross-section A = (A/ℓ)·ℓ; ``contact_area_m2`` overrides it.

**Outputs.** f_dep = Σ r_n/(J·A), the fraction of the current deposited inside the electrolyte
in this steady state (quasi-static: the deposit is not fed back into the microstructure); the
electronic fractions at the two electrodes (they differ by f_dep: electrons for internal
deposition come from the plating electrode); the deposition sites (U < −η_nuc).
:func:`deposition_onset` sweeps J and reports where f_dep first exceeds a threshold.

**Numerics.** Newton's method on the sparse Jacobian (SuperLU, scipy ``splu`` with a
minimum-degree ordering; ~0.2 s per factorisation at 10⁴ nodes. The Jacobian is not symmetric;
pyamg smoothed aggregation as a GMRES preconditioner was 100× slower on a 10⁴-node grid),
damped: the Li-potential change per step is capped at
``max_li_potential_step_v`` (the exponentials are linearised over a few RT/F) and an Armijo
backtracking line search on the current-balance residual; if that fails, continuation in the
current from J → 0 (where the problem is linear). Converged when every node's current balance
and the galvanostatic balance are below ``tolerance``·J·A. Otherwise
:class:`~ssblab.errors.MicrostructureError` naming the parameter — never an unconverged answer.

**Validity.** Dilute (Boltzmann) defect chemistry: σ_e(U) extrapolated over many decades is
flagged in ``notes`` (|FU/RT| > 20). Electrolyte stability window: LLZO is thermodynamically
reduced below 0.05 V and oxidised above 2.91 V vs Li (Zhu, He & Mo, ACS Appl. Mater. Interfaces
7 (2015) 23685); U > 2.91 V is flagged. No space charge, no transients (steady state after the
chemical-diffusion time), isothermal.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import splu

from ssblab.errors import MicrostructureError
from ssblab.micro.network import BOLTZMANN_EV_PER_K, TransportNetwork, series_combination

#: Faraday constant, C/mol (CODATA 2018).
FARADAY_C_MOL = 96485.33212
#: Gas constant, J/(mol·K) (CODATA 2018).
GAS_CONSTANT_J_MOL_K = 8.314462618
#: Lowest Li|LLZO charge-transfer ASR of seed 003 Table 1, Ω·m² (2 Ω·cm², wet polish + 500 °C;
#: s003-t1-r05-wetpolish-500c-asr). Source of the default exchange current density.
LI_LLZO_ASR_OHM_M2 = 2.0e-4
#: Default exchange current density for Li⁺ + e⁻ ⇌ Li at internal sites, A/m²:
#: j₀ = RT/(F·ASR) at 298.15 K with ASR = LI_LLZO_ASR_OHM_M2 (≈ 128.5 A/m² = 12.9 mA/cm²).
EXCHANGE_CURRENT_DENSITY_A_M2 = GAS_CONSTANT_J_MOL_K * 298.15 / FARADAY_C_MOL / LI_LLZO_ASR_OHM_M2
#: Default threshold on f_dep for :func:`deposition_onset` (see its docstring).
ONSET_THRESHOLD = 1.0e-3
#: LLZO thermodynamic oxidation limit vs Li, V (Zhu, He & Mo, ACS AMI 7 (2015) 23685).
LLZO_OXIDATION_LIMIT_V = 2.91

_EXP_CAP = 300.0  # exponent clip (300 RT/F ≈ 7.7 V): trial Newton states stay finite
_BOLTZMANN_NOTE = 20.0  # |FU/RT| beyond which the dilute-defect law is flagged
_MAX_CONTINUATION_STEPS = 400
_REL_TOL = 1e-9  # U within this fraction of the cell voltage of −η_nuc counts as on it


@dataclass(frozen=True)
class DepositionResult:
    """Steady state of a Li | network | Li cell under a fixed current (SI units).

    ``plating_node``/``stripping_node`` are the electrodes' node indices. Per-node arrays have
    one entry per network node (terminals included: there φ_i = φ_e = the
    electrode potential, U = 0, no reaction). NaN marks a node that is not connected to an
    electrode on that rail (its potential is undefined; U is NaN if either is).
    ``contact_li_potential_v`` holds U on the electrolyte side of each terminal edge's contact
    (``terminal_edges``), the quantity leakage.py reports as U(0) and U(L).
    ``deposition_fraction`` is f_dep = Σ r_n/(J·A); the electronic fractions are the
    electronic currents through the plating and stripping contacts over J·A (they differ by
    f_dep). ``iterations`` counts Newton steps (continuation included); ``residual`` is the
    largest node or galvanostatic current imbalance over J·A at the returned state.
    """

    temperature_k: float
    current_density_a_per_m2: float
    current_a: float
    plating_node: int
    stripping_node: int
    phi_ion_v: np.ndarray
    phi_e_v: np.ndarray
    li_potential_v: np.ndarray
    deposition_current_a: np.ndarray
    deposition_current_total_a: float
    deposition_fraction: float
    electronic_fraction_plating: float
    electronic_fraction_stripping: float
    cell_voltage_v: float
    nucleation_overpotential_v: float
    deposition_sites: tuple[int, ...]
    terminal_edges: tuple[int, ...]
    contact_li_potential_v: np.ndarray
    iterations: int
    residual: float
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class DepositionOnset:
    """f_dep(J) at each temperature and the current density where it first exceeds
    ``threshold`` (log-log interpolation between the bracketing sweep points).

    ``onset_status[i]`` is ``"bracketed"``, ``"below_range"`` (already above the threshold at
    the lowest J: the onset is ≤ that J, reported as NaN) or ``"not_reached"`` (NaN).
    Arrays are (n_temperatures, n_currents).
    """

    temperatures_k: np.ndarray
    current_densities_a_per_m2: np.ndarray
    threshold: float
    deposition_fraction: np.ndarray
    electronic_fraction_plating: np.ndarray
    cell_voltage_v: np.ndarray
    min_li_potential_v: np.ndarray
    onset_current_density_a_per_m2: np.ndarray
    onset_status: tuple[str, ...]

    def table(self) -> str:
        """Plain-text f_dep(J) table, one column per temperature."""
        head = "J (A/m²)    " + "".join(f"f_dep@{t:6.1f}K  " for t in self.temperatures_k)
        rows = [head]
        for j, current in enumerate(self.current_densities_a_per_m2):
            cells = "".join(f"{f:<15.4e}" for f in self.deposition_fraction[:, j])
            rows.append(f"{current:<12.4g}" + cells)
        onset = "".join(
            f"{o:<15.4g}" if np.isfinite(o) else f"{s:<15}"
            for o, s in zip(self.onset_current_density_a_per_m2, self.onset_status, strict=True)
        )
        rows.append(f"onset J      {onset}(threshold {self.threshold:g})")
        return "\n".join(rows)


# --------------------------------------------------------------------------------------------
# small numerical helpers


def _exp_mean(a: np.ndarray, b: np.ndarray, mode: str):
    """Mean of e^s over s ∈ [a, b] and its partial derivatives (∂/∂a, ∂/∂b).

    ``integral``: (e^a − e^b)/(a − b) = e^m·sinh(d)/d with m = (a+b)/2, d = (a−b)/2 (series for
    small |d|); ``midpoint``: e^m."""
    m = np.clip(0.5 * (a + b), -_EXP_CAP, _EXP_CAP)
    em = np.exp(m)
    if mode == "midpoint":
        return em, 0.5 * em, 0.5 * em
    d = np.clip(0.5 * (a - b), -_EXP_CAP, _EXP_CAP)
    small = np.abs(d) < 1e-3
    ds = np.where(small, 1.0, d)
    d2 = d * d
    s = np.where(small, 1.0 + d2 / 6.0 + d2 * d2 / 120.0, np.sinh(ds) / ds)
    s1 = np.where(
        small, d / 3.0 + d * d2 / 30.0, (ds * np.cosh(ds) - np.sinh(ds)) / (ds * ds)
    )  # ds/dd
    return em * s, 0.5 * em * (s + s1), 0.5 * em * (s - s1)


def _positive(value, name: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise MicrostructureError(f"{name} must be a number (got {value!r})") from None
    if not math.isfinite(v) or v <= 0:
        raise MicrostructureError(f"{name} must be finite and > 0 (got {value!r})")
    return v


def _non_negative(value, name: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise MicrostructureError(f"{name} must be a number (got {value!r})") from None
    if not math.isfinite(v) or v < 0:
        raise MicrostructureError(f"{name} must be finite and >= 0 (got {value!r})")
    return v


def _node_array(value, n: int, name: str) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if arr.shape != (n,):
        raise MicrostructureError(f"{name} must have one value per node ({n}), got {arr.shape}")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise MicrostructureError(f"{name} must be finite and >= 0")
    return arr


def _frozen(arr: np.ndarray) -> np.ndarray:
    arr = np.array(arr, dtype=float)
    arr.setflags(write=False)
    return arr


# --------------------------------------------------------------------------------------------
# geometry helpers (derived from the network; network.py itself is shared and not edited)


def edge_face_area_m2(network: TransportNetwork) -> np.ndarray:
    """Estimated cross-section of each edge, m² (2-D networks: m per metre of depth):
    ℓ_e × series geometric factor, ℓ_e the distance between the end-node positions."""
    a, b = network.edges[:, 0], network.edges[:, 1]
    length = np.linalg.norm(network.node_position_m[a] - network.node_position_m[b], axis=1)
    geom = series_combination(network.segment_factor_m, network.segment_phase >= 0)
    return length * geom


def default_reaction_area_m2(network: TransportNetwork) -> np.ndarray:
    """Per-node GB area, m²: half the summed face areas of the node's edges to other interior
    nodes (module docstring); 0 at the terminals."""
    terminal = np.zeros(network.n_nodes, dtype=bool)
    terminal[list(network.terminals)] = True
    area = edge_face_area_m2(network)
    interior_edge = ~(terminal[network.edges[:, 0]] | terminal[network.edges[:, 1]])
    out = np.zeros(network.n_nodes)
    np.add.at(out, network.edges[interior_edge, 0], 0.5 * area[interior_edge])
    np.add.at(out, network.edges[interior_edge, 1], 0.5 * area[interior_edge])
    out[terminal] = 0.0
    return out


def default_contact_area_m2(network: TransportNetwork) -> np.ndarray:
    """Per-edge contact area with its electrode, m² (0 on edges that touch no electrode): the
    electrode area split in proportion to geometric factor × axial node-to-electrode distance,
    equally if those are all 0. An edge between the two electrodes gets the sum of both."""
    out = np.zeros(network.n_edges)
    geom = series_combination(network.segment_factor_m, network.segment_phase >= 0)
    pos = network.node_position_m[:, network.axis]
    for t in network.terminals:
        on = np.flatnonzero((network.edges[:, 0] == t) | (network.edges[:, 1] == t))
        if on.size == 0:
            continue
        other = np.where(network.edges[on, 0] == t, network.edges[on, 1], network.edges[on, 0])
        weight = geom[on] * np.abs(pos[other] - pos[t])
        if not np.any(weight > 0):
            weight = np.ones(on.size)
        out[on] += network.area_m2 * weight / weight.sum()
    return out


# --------------------------------------------------------------------------------------------
# the solver


class _System:
    """Assembled, temperature-fixed problem: conductances, index maps, residual and Jacobian."""

    def __init__(
        self,
        network: TransportNetwork,
        temperature_k: float,
        plating: int,
        asr: tuple[float, float],
        contact_area: np.ndarray | None,
        defect_chemistry: bool,
        hole_conductivity: Mapping[str, tuple[float, float]] | None,
        edge_mean: str,
        exchange_current: np.ndarray,
        kinetics: str,
        eta_nuc: float,
    ) -> None:
        net = network
        self.net = net
        n, m = net.n_nodes, net.n_edges
        self.f = FARADAY_C_MOL / (GAS_CONSTANT_J_MOL_K * temperature_k)  # 1/V
        self.edge_mean = edge_mean
        self.kinetics = kinetics
        self.eta = eta_nuc
        self.defect = defect_chemistry
        self.tp = net.terminals[plating]
        self.ts = net.terminals[1 - plating]
        a, b = net.edges[:, 0], net.edges[:, 1]
        self.a, self.b = a, b

        # ionic conductance with the explicit charge-transfer ASR on terminal edges
        g_seg = net.edge_conductance(net.sigma_ion_at(temperature_k))
        areas = default_contact_area_m2(net) if contact_area is None else contact_area
        r_ct_a = np.zeros(m)  # interface resistance at end a / end b of each edge (Ω)
        r_ct_b = np.zeros(m)
        for t, r in ((self.tp, asr[0]), (self.ts, asr[1])):
            if r == 0:
                continue
            for end, r_end in ((a, r_ct_a), (b, r_ct_b)):
                on = end == t
                with np.errstate(divide="ignore"):
                    r_end[on] += np.where(
                        areas[on] > 0, r / np.where(areas[on] > 0, areas[on], 1), np.inf
                    )
        with np.errstate(divide="ignore", invalid="ignore"):
            r_total = np.where(g_seg > 0, 1.0 / np.where(g_seg > 0, g_seg, 1.0), np.inf)
            r_total = r_total + r_ct_a + r_ct_b
            self.g_ion = np.where(np.isfinite(r_total), 1.0 / r_total, 0.0)
        # fraction of the ionic drop across the interface at each end (w in the docstring)
        self.w_a = np.where(self.g_ion > 0, r_ct_a * self.g_ion, 0.0)
        self.w_b = np.where(self.g_ion > 0, r_ct_b * self.g_ion, 0.0)

        # electronic segment conductances (σ⁰·A/ℓ) per carrier
        sigma_n = net.sigma_e_at(temperature_k)
        sigma_p = np.zeros(len(net.phases))
        for name, (s_ref, ea) in (hole_conductivity or {}).items():
            k = net.phase_index(name)
            s_ref = _non_negative(s_ref, f"hole_conductivity[{name!r}] sigma")
            ea = _non_negative(ea, f"hole_conductivity[{name!r}] activation energy")
            ref = net.phases[k].reference_k
            sigma_p[k] = s_ref * math.exp(-ea / BOLTZMANN_EV_PER_K * (1 / temperature_k - 1 / ref))
        present = net.segment_phase >= 0
        self.present = present
        self.gn_seg = net.segment_values(sigma_n) * net.segment_factor_m
        self.gp_seg = net.segment_values(sigma_p) * net.segment_factor_m
        self.g_e0 = series_combination(self.gn_seg + self.gp_seg, present)

        # rail connectivity: a node is active on a rail if a conducting path reaches an electrode
        self.ion_active = self._active(self.g_ion > 0)
        self.e_active = self._active(self.g_e0 > 0)
        terminal = np.zeros(n, dtype=bool)
        terminal[[self.tp, self.ts]] = True
        self.terminal = terminal
        self.ion_edge = (self.g_ion > 0) & self.ion_active[a] & self.ion_active[b]
        self.e_edge = (self.g_e0 > 0) & self.e_active[a] & self.e_active[b]
        self.react = ~terminal & self.ion_active & self.e_active & (exchange_current > 0)
        self.k = np.where(self.react, exchange_current, 0.0)
        if not self._terminals_linked():
            raise MicrostructureError(
                "network: no conducting path (ionic, electronic or through a reaction node) "
                "joins the two electrodes"
            )

        # unknown numbering: φ_i of ion-active interior nodes, φ_e of e-active interior nodes, V
        idx = 0
        self.col_p = np.full(n, -1)
        self.col_q = np.full(n, -1)
        ip = np.flatnonzero(self.ion_active & ~terminal)
        self.col_p[ip] = np.arange(ip.size)
        idx = ip.size
        iq = np.flatnonzero(self.e_active & ~terminal)
        self.col_q[iq] = idx + np.arange(iq.size)
        idx += iq.size
        self.iv = idx
        self.size = idx + 1
        self.col_p[self.ts] = self.iv
        self.col_q[self.ts] = self.iv
        # equation rows: node balances; the plating electrode's balance is the galvanostatic row
        self.row_p = self.col_p.copy()
        self.row_q = self.col_q.copy()
        self.row_p[self.ts] = -1
        self.row_q[self.ts] = -1
        self.row_p[self.tp] = self.iv
        self.row_q[self.tp] = self.iv

        # "end U" coefficients: U_end(a) = cq_a·φ_e,a + cpa_a·φ_i,a + cpb_a·φ_i,b (same for b)
        def_u_a = self.ion_active[a]  # U of an ionically isolated node is taken as 0
        def_u_b = self.ion_active[b]
        self.cq_a = def_u_a.astype(float)
        self.cpa_a = np.where(def_u_a, -(1.0 - self.w_a), 0.0)
        self.cpb_a = np.where(def_u_a, -self.w_a, 0.0)
        self.cq_b = def_u_b.astype(float)
        self.cpb_b = np.where(def_u_b, -(1.0 - self.w_b), 0.0)
        self.cpa_b = np.where(def_u_b, -self.w_b, 0.0)

    def _components(self, edge_mask: np.ndarray) -> np.ndarray:
        n = self.net.n_nodes
        e = self.net.edges[edge_mask]
        graph = sp.coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n))
        return connected_components(graph, directed=False)[1]

    def _active(self, edge_mask: np.ndarray) -> np.ndarray:
        labels = self._components(edge_mask)
        return np.isin(labels, labels[list(self.net.terminals)])

    def _terminals_linked(self) -> bool:
        """Do the electrodes connect through ionic edges, electronic edges and reaction nodes
        (a node with both rails active can pass current from one rail to the other)?"""
        n = self.net.n_nodes
        ion = self.g_ion > 0
        ele = self.g_e0 > 0
        e_i = self.net.edges[ion]
        e_e = self.net.edges[ele] + n  # electronic rail as a second copy of the nodes
        # electrodes hold both rails at one potential; reaction nodes pass current between them
        link = np.flatnonzero(self.terminal | self.react)
        rows = [e_i[:, 0], e_e[:, 0], link]
        cols = [e_i[:, 1], e_e[:, 1], link + n]
        graph = sp.coo_matrix(
            (np.ones(sum(len(r) for r in rows)), (np.concatenate(rows), np.concatenate(cols))),
            shape=(2 * n, 2 * n),
        )
        labels = connected_components(graph, directed=False)[1]
        return labels[self.tp] == labels[self.ts]

    # ----------------------------------------------------------------------------------------

    def potentials(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n = self.net.n_nodes
        p = np.zeros(n)
        q = np.zeros(n)
        xe = np.append(x, 0.0)  # index -1 → fixed 0 (plating electrode, inactive nodes)
        p[:] = xe[self.col_p]
        q[:] = xe[self.col_q]
        return p, q

    def _edge_electronic(self, p, q, want_derivative: bool):
        a, b = self.a, self.b
        ua = self.cq_a * q[a] + self.cpa_a * p[a] + self.cpb_a * p[b]
        ub = self.cq_b * q[b] + self.cpb_b * p[b] + self.cpa_b * p[a]
        if not self.defect:
            g = self.g_e0
            zero = np.zeros_like(g)
            return g, zero, zero, ua, ub
        f = self.f
        ln, ln_a, ln_b = _exp_mean(-f * ua, -f * ub, self.edge_mean)
        lp, lp_a, lp_b = _exp_mean(f * ua, f * ub, self.edge_mean)
        gk = self.gn_seg * ln[:, None] + self.gp_seg * lp[:, None]
        g = series_combination(gk, self.present)
        if not want_derivative:
            return g, None, None, ua, ub
        dgk_a = f * (-self.gn_seg * ln_a[:, None] + self.gp_seg * lp_a[:, None])
        dgk_b = f * (-self.gn_seg * ln_b[:, None] + self.gp_seg * lp_b[:, None])
        ok = self.present & (gk > 0)
        inv2 = np.where(ok, 1.0 / np.where(ok, gk, 1.0) ** 2, 0.0)
        g2 = g * g
        dga = g2 * np.sum(inv2 * dgk_a, axis=1)
        dgb = g2 * np.sum(inv2 * dgk_b, axis=1)
        return g, dga, dgb, ua, ub

    def _reaction(self, u: np.ndarray):
        """r = k·h(U) and dr/dU at every node (0 where not reacting)."""
        f = self.f
        x = -f * (u + self.eta)  # > 0 where deposition is downhill beyond the nucleus
        on = self.react & (x > 0)
        if self.kinetics == "linear":
            h = np.where(on, x, 0.0)
            dh = np.where(on, -f, 0.0)
        else:
            xs = np.where(on, np.minimum(x, _EXP_CAP), 0.0)
            h = 2.0 * np.sinh(0.5 * xs)
            dh = np.where(on, -f * np.cosh(0.5 * xs), 0.0)
        return self.k * h, self.k * dh

    def evaluate(self, x: np.ndarray, current: float, jacobian: bool):
        p, q = self.potentials(x)
        a, b = self.a, self.b
        n = self.net.n_nodes
        i_ion = np.where(self.ion_edge, self.g_ion * (p[a] - p[b]), 0.0)
        ge, dga, dgb, _, _ = self._edge_electronic(p, q, jacobian)
        ge = np.where(self.e_edge, ge, 0.0)
        dq = q[a] - q[b]
        i_e = ge * dq
        u = q - p
        r, dr = self._reaction(u)

        out_p = np.zeros(n)
        out_q = np.zeros(n)
        np.add.at(out_p, a, i_ion)
        np.add.at(out_p, b, -i_ion)
        np.add.at(out_q, a, i_e)
        np.add.at(out_q, b, -i_e)
        res = np.zeros(self.size)
        mp = self.row_p >= 0
        mq = self.row_q >= 0
        np.add.at(res, self.row_p[mp], (out_p + r)[mp])
        np.add.at(res, self.row_q[mq], (out_q - r)[mq])
        res[self.iv] += current
        if not jacobian:
            return res, None
        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        vals: list[np.ndarray] = []

        def put(row_nodes, row_map, col_nodes, col_map, v, sign):
            rr = row_map[row_nodes]
            cc = col_map[col_nodes]
            keep = (rr >= 0) & (cc >= 0) & (v != 0)
            rows.append(rr[keep])
            cols.append(cc[keep])
            vals.append(sign * v[keep])

        gi = np.where(self.ion_edge, self.g_ion, 0.0)
        for node, sign in ((a, 1.0), (b, -1.0)):  # outflow at a is +I, at b is −I
            put(node, self.row_p, a, self.col_p, gi, sign)
            put(node, self.row_p, b, self.col_p, -gi, sign)
            dqa = ge + (dq * dga * self.cq_a if self.defect else 0.0)
            dqb = -ge + (dq * dgb * self.cq_b if self.defect else 0.0)
            put(node, self.row_q, a, self.col_q, np.where(self.e_edge, dqa, 0.0), sign)
            put(node, self.row_q, b, self.col_q, np.where(self.e_edge, dqb, 0.0), sign)
            if self.defect:
                dpa = np.where(self.e_edge, dq * (dga * self.cpa_a + dgb * self.cpa_b), 0.0)
                dpb = np.where(self.e_edge, dq * (dga * self.cpb_a + dgb * self.cpb_b), 0.0)
                put(node, self.row_q, a, self.col_p, dpa, sign)
                put(node, self.row_q, b, self.col_p, dpb, sign)
        nodes = np.flatnonzero(self.react)
        # r(U) with U = q − p: ionic row +r, electronic row −r
        put(nodes, self.row_p, nodes, self.col_q, dr[nodes], 1.0)
        put(nodes, self.row_p, nodes, self.col_p, -dr[nodes], 1.0)
        put(nodes, self.row_q, nodes, self.col_q, -dr[nodes], 1.0)
        put(nodes, self.row_q, nodes, self.col_p, dr[nodes], 1.0)
        jac = sp.csc_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
            shape=(self.size, self.size),
        )
        return res, jac

    def li_potential_change(self, dx: np.ndarray) -> float:
        dp, dq = self.potentials(dx)
        both = self.ion_active & self.e_active
        return float(np.max(np.abs(dq - dp)[both])) if np.any(both) else 0.0

    def newton(self, x0, current, tol, max_iter, max_du):
        """Damped Newton. Returns (converged, x, iterations, scaled residual)."""
        x = x0.copy()
        scale = abs(current)
        res, jac = self.evaluate(x, current, True)
        norm = float(np.linalg.norm(res)) / scale
        for it in range(1, max_iter + 1):
            if np.max(np.abs(res)) / scale < tol:
                return True, x, it - 1, float(np.max(np.abs(res)) / scale)
            try:  # minimum-degree ordering on AᵀA+A: the Jacobian is structurally symmetric
                dx = splu(jac, permc_spec="MMD_AT_PLUS_A").solve(-res)
            except RuntimeError:  # exactly singular
                return False, x, it, norm
            if not np.all(np.isfinite(dx)):
                return False, x, it, norm
            du = self.li_potential_change(dx)
            lam = min(1.0, max_du / du) if du > 0 else 1.0
            while True:
                trial = x + lam * dx
                res_t, _ = self.evaluate(trial, current, False)
                norm_t = float(np.linalg.norm(res_t)) / scale
                if np.isfinite(norm_t) and (norm_t <= (1.0 - 1e-4 * lam) * norm or norm_t < tol):
                    break
                lam *= 0.5
                if lam < 1e-10:
                    return False, x, it, norm
            x = trial
            res, jac = self.evaluate(x, current, True)
            norm = float(np.linalg.norm(res)) / scale
        ok = np.max(np.abs(res)) / scale < tol
        return bool(ok), x, max_iter, float(np.max(np.abs(res)) / scale)


def _solve_with_continuation(system: _System, current, x0, tol, max_iter, max_du):
    """Newton at the target current; on failure, continuation s·I, s from ~0 to 1."""
    total = 0
    ok, x, it, resid = system.newton(x0, current, tol, max_iter, max_du)
    total += it
    if ok:
        return x, total, resid
    s_done, x_done = 0.0, np.zeros(system.size)
    s = 1e-3
    for _ in range(_MAX_CONTINUATION_STEPS):
        guess = x_done * (s / s_done) if s_done > 0 else np.zeros(system.size)
        ok, x, it, resid = system.newton(guess, s * current, tol, max_iter, max_du)
        total += it
        if ok:
            if s >= 1.0:
                return x, total, resid
            factor = s / s_done if s_done > 0 else 10.0
            s_done, x_done = s, x
            s = min(1.0, s_done * min(max(factor * 1.5, 1.01), 10.0))
        else:
            if s_done > 0:
                s = s_done * math.sqrt(s / s_done)
                small = s / s_done - 1.0 < 1e-4
            else:
                s *= 0.1
                small = s < 1e-12
            if small:
                break
    raise MicrostructureError(
        f"deposition solve did not converge at current_density_a_per_m2 = "
        f"{current / system.net.area_m2:g} A/m² (continuation reached {s_done:.3g} of it; "
        f"residual {resid:.3g} > tolerance {tol:g}); reduce current_density_a_per_m2, raise "
        "max_iterations or max_li_potential_step_v"
    )


def solve_deposition(
    network: TransportNetwork,
    current_density_a_per_m2: float,
    temperature_k: float = 298.15,
    *,
    plating_terminal: int = 0,
    charge_transfer_asr_ohm_m2: float | Sequence[float] = 0.0,
    contact_area_m2: np.ndarray | None = None,
    defect_chemistry: bool = True,
    hole_conductivity: Mapping[str, tuple[float, float]] | None = None,
    edge_mean: str = "integral",
    exchange_current_density_a_per_m2: float = EXCHANGE_CURRENT_DENSITY_A_M2,
    reaction_area_m2: np.ndarray | None = None,
    exchange_current_a: np.ndarray | None = None,
    exchange_current_ea_ev: float = 0.0,
    exchange_current_reference_k: float = 298.15,
    kinetics: str = "butler_volmer",
    nucleation_overpotential_v: float = 0.0,
    tolerance: float = 1e-10,
    max_iterations: int = 60,
    max_li_potential_step_v: float = 0.2,
    initial_guess: DepositionResult | None = None,
) -> DepositionResult:
    """Steady state of a Li | network | Li cell at current density J (A/m², > 0 plates Li on
    ``network.terminals[plating_terminal]``) and temperature T (K). Equations, defaults and
    sources: module docstring.

    ``charge_transfer_asr_ohm_m2``: r_ct (Ω·m²), one value for both contacts or
    (plating, stripping). ``contact_area_m2``: per-edge contact area for r_ct (only terminal
    edges are read). ``hole_conductivity``: {phase name: (σ_p⁰ at the phase's reference_k in
    S/m, activation energy in eV)}. ``exchange_current_a`` (A per node) overrides
    j₀·``reaction_area_m2``; a node with 0 does not react. ``max_li_potential_step_v``: largest
    change of any node's U per Newton step (0.2 V ≈ 8 RT/F at 298 K). ``initial_guess``: a
    result on the same network to start from (used by :func:`deposition_onset`).
    """
    if not isinstance(network, TransportNetwork):
        raise MicrostructureError("network must be a TransportNetwork")
    j = _positive(current_density_a_per_m2, "current_density_a_per_m2")
    t = _positive(temperature_k, "temperature_k")
    if plating_terminal not in (0, 1):
        raise MicrostructureError(f"plating_terminal must be 0 or 1 (got {plating_terminal!r})")
    if np.ndim(charge_transfer_asr_ohm_m2) == 0:
        asr_pair = (charge_transfer_asr_ohm_m2, charge_transfer_asr_ohm_m2)
    else:
        asr_pair = tuple(charge_transfer_asr_ohm_m2)
        if len(asr_pair) != 2:
            raise MicrostructureError(
                "charge_transfer_asr_ohm_m2 must be one value or (plating, stripping)"
            )
    asr = (
        _non_negative(asr_pair[0], "charge_transfer_asr_ohm_m2"),
        _non_negative(asr_pair[1], "charge_transfer_asr_ohm_m2"),
    )
    if contact_area_m2 is not None:
        contact_area_m2 = np.asarray(contact_area_m2, dtype=float)
        if contact_area_m2.shape != (network.n_edges,) or np.any(~(contact_area_m2 >= 0)):
            raise MicrostructureError(
                f"contact_area_m2 must be one value >= 0 per edge ({network.n_edges})"
            )
    if edge_mean not in ("integral", "midpoint"):
        raise MicrostructureError(f"edge_mean must be 'integral' or 'midpoint' (got {edge_mean!r})")
    if kinetics not in ("butler_volmer", "linear"):
        raise MicrostructureError(
            f"kinetics must be 'butler_volmer' or 'linear' (got {kinetics!r})"
        )
    eta = _non_negative(nucleation_overpotential_v, "nucleation_overpotential_v")
    tol = _positive(tolerance, "tolerance")
    max_du = _positive(max_li_potential_step_v, "max_li_potential_step_v")
    if not isinstance(max_iterations, int) or max_iterations < 1:
        raise MicrostructureError(f"max_iterations must be an integer >= 1 ({max_iterations!r})")
    n = network.n_nodes
    if exchange_current_a is not None:
        k = _node_array(exchange_current_a, n, "exchange_current_a")
    else:
        j0 = _non_negative(exchange_current_density_a_per_m2, "exchange_current_density_a_per_m2")
        ea = _non_negative(exchange_current_ea_ev, "exchange_current_ea_ev")
        t_ref = _positive(exchange_current_reference_k, "exchange_current_reference_k")
        area = (
            default_reaction_area_m2(network)
            if reaction_area_m2 is None
            else _node_array(reaction_area_m2, n, "reaction_area_m2")
        )
        k = j0 * area * math.exp(-ea / BOLTZMANN_EV_PER_K * (1.0 / t - 1.0 / t_ref))

    system = _System(
        network, t, plating_terminal, asr, contact_area_m2, bool(defect_chemistry),
        hole_conductivity, edge_mean, k, kinetics, eta,
    )  # fmt: skip
    current = j * network.area_m2
    x0 = np.zeros(system.size)
    if initial_guess is not None:
        if initial_guess.phi_ion_v.shape != (n,):
            raise MicrostructureError("initial_guess belongs to another network")
        scale = current / initial_guess.current_a
        p0 = np.nan_to_num(initial_guess.phi_ion_v) * scale
        q0 = np.nan_to_num(initial_guess.phi_e_v) * scale
        x0[system.col_p[system.col_p >= 0]] = p0[system.col_p >= 0]
        x0[system.col_q[system.col_q >= 0]] = q0[system.col_q >= 0]
        x0[system.iv] = initial_guess.cell_voltage_v * scale
    x, iterations, residual = _solve_with_continuation(
        system, current, x0, tol, max_iterations, max_du
    )
    if system.defect or kinetics == "butler_volmer":
        p, q = system.potentials(x)
        both = system.ion_active & system.e_active
        if np.any(np.abs(q - p)[both] * system.f >= _EXP_CAP):
            raise MicrostructureError(
                f"current_density_a_per_m2 = {j:g} A/m² drives |U| beyond "
                f"{_EXP_CAP / system.f:.3g} V, outside the exponential laws' range"
            )
    return _result(system, x, j, current, t, plating_terminal, eta, iterations, residual)


def _result(system: _System, x, j, current, t, plating, eta, iterations, residual):
    p, q = system.potentials(x)
    p = np.where(system.ion_active, p, np.nan)
    q = np.where(system.e_active, q, np.nan)
    u = q - p
    r, _ = system._reaction(np.nan_to_num(q - p, nan=np.inf))
    r = np.where(system.react, r, 0.0)
    # electronic current into each electrode
    pz, qz = system.potentials(x)
    ge, _, _, ua, ub = system._edge_electronic(pz, qz, False)
    ge = np.where(system.e_edge, ge, 0.0)
    i_e = ge * (qz[system.a] - qz[system.b])

    def electronic_into(t_node):
        return float(-np.sum(i_e[system.a == t_node]) + np.sum(i_e[system.b == t_node]))

    total_r = float(np.sum(r))
    terminal_edges = np.flatnonzero(system.terminal[system.a] | system.terminal[system.b])
    contact_u = np.where(
        system.terminal[system.a[terminal_edges]], ua[terminal_edges], ub[terminal_edges]
    )
    contact_u = np.where(system.ion_edge[terminal_edges], contact_u, np.nan)
    # U within 1e-9 of the cell voltage of the threshold counts as on it (rounding; leakage.py)
    tol = _REL_TOL * abs(float(x[system.iv]))
    sites = np.flatnonzero(~system.terminal & (u < -eta - tol))
    notes = []
    finite_u = u[np.isfinite(u)]
    if finite_u.size and np.max(np.abs(finite_u)) * system.f > _BOLTZMANN_NOTE:
        notes.append(
            f"|U| reaches {np.max(np.abs(finite_u)):.3g} V (> {_BOLTZMANN_NOTE:g} RT/F): the "
            "dilute-defect law σ_e ∝ exp(∓FU/RT) is extrapolated over many decades"
        )
    if finite_u.size and np.max(finite_u) > LLZO_OXIDATION_LIMIT_V:
        notes.append(
            f"U reaches {np.max(finite_u):.3g} V, above LLZO's oxidation limit "
            f"{LLZO_OXIDATION_LIMIT_V} V vs Li (Zhu, He & Mo 2015)"
        )
    if np.any(~system.ion_active | ~system.e_active):
        notes.append("some nodes are isolated on one rail: their potentials and U are NaN")
    u_full = u.copy()
    u_full[list(system.net.terminals)] = 0.0
    return DepositionResult(
        temperature_k=t,
        current_density_a_per_m2=j,
        current_a=current,
        plating_node=int(system.tp),
        stripping_node=int(system.ts),
        phi_ion_v=_frozen(p),
        phi_e_v=_frozen(q),
        li_potential_v=_frozen(u_full),
        deposition_current_a=_frozen(r),
        deposition_current_total_a=total_r,
        deposition_fraction=total_r / current,
        electronic_fraction_plating=electronic_into(system.tp) / current,
        electronic_fraction_stripping=-electronic_into(system.ts) / current,
        cell_voltage_v=float(x[system.iv]),
        nucleation_overpotential_v=eta,
        deposition_sites=tuple(int(s) for s in sites),
        terminal_edges=tuple(int(e) for e in terminal_edges),
        contact_li_potential_v=_frozen(contact_u),
        iterations=int(iterations),
        residual=float(residual),
        notes=tuple(notes),
    )


def deposition_onset(
    network: TransportNetwork,
    temperatures_k: Sequence[float],
    current_densities_a_per_m2: Sequence[float],
    threshold: float = ONSET_THRESHOLD,
    **options,
) -> DepositionOnset:
    """Sweep J (ascending) at each T and find where f_dep first exceeds ``threshold``.

    Interpolation between the last point at or below and the first above the threshold is
    linear in (log J, log f_dep); if the lower point has f_dep = 0 (below nucleation) it is
    linear in (log J, f_dep). Each solve starts from the previous one scaled to the new current.
    ``options`` go to :func:`solve_deposition` (the temperature dependence comes from the
    phases' activation energies and RT/F). A solve that does not converge raises.

    Default threshold 1e-3 (``ONSET_THRESHOLD``): at f_dep = 1e-3 the Li deposited inside the
    electrolyte during the ~60 h the bare seed-000 cell survives at 1 mA/cm²
    (s000-sym-current-density) is 0.06 mAh/cm² ≈ 0.29 µm of dense Li (1 mAh/cm² = 4.85 µm at
    V_m = 13.0 cm³/mol), the same order as the whole GB volume of the 0.5 mm pellet,
    3δ/d·L ≈ 0.6 µm for δ = 2 nm (s001-s3-gb-sim-width) and d = 5 µm (assumed grain size):
    enough Li to fill the GB network. It is an order-of-magnitude choice; the whole f_dep(J)
    curve is returned so that another threshold can be read off.

    With η_nuc = 0 the problem is linear in J as J → 0 (U ∝ J), so f_dep tends to a finite
    value f₀ (as in leakage.py, where f_dep does not depend on J); an onset exists only where
    f₀ is below the threshold, otherwise the status is ``"below_range"``. A positive η_nuc gives
    f_dep = 0 up to the nucleation current. The sign of the temperature shift depends on what
    sets U: with every resistance activated alike (contacts included), warming raises the onset
    current like the conductances; with a temperature-independent ``charge_transfer_asr_ohm_m2``
    the bulk resistances fall relative to the contact's and the onset can move the other way.
    ``min_li_potential_v`` is the lowest U over interior nodes and contacts.
    """
    temps = np.atleast_1d(np.asarray(temperatures_k, dtype=float))
    currents = np.atleast_1d(np.asarray(current_densities_a_per_m2, dtype=float))
    if temps.ndim != 1 or temps.size == 0:
        raise MicrostructureError("temperatures_k must be a non-empty 1-D sequence")
    if currents.ndim != 1 or currents.size == 0 or np.any(~(currents > 0)):
        raise MicrostructureError("current_densities_a_per_m2 must be > 0")
    if np.any(np.diff(currents) <= 0):
        raise MicrostructureError("current_densities_a_per_m2 must be strictly increasing")
    thr = _positive(threshold, "threshold")
    shape = (temps.size, currents.size)
    f = np.zeros(shape)
    fe = np.zeros(shape)
    volts = np.zeros(shape)
    umin = np.zeros(shape)
    onset = np.full(temps.size, np.nan)
    status: list[str] = []
    options.pop("initial_guess", None)
    for i, temp in enumerate(temps):
        previous = None
        for jx, current in enumerate(currents):
            res = solve_deposition(network, current, temp, initial_guess=previous, **options)
            previous = res
            f[i, jx] = res.deposition_fraction
            fe[i, jx] = res.electronic_fraction_plating
            volts[i, jx] = res.cell_voltage_v
            interior = np.delete(res.li_potential_v, list(network.terminals))
            umin[i, jx] = np.nanmin(np.concatenate([interior, res.contact_li_potential_v]))
        above = np.flatnonzero(f[i] > thr)
        if above.size == 0:
            status.append("not_reached")
        elif above[0] == 0:
            status.append("below_range")
        else:
            k = above[0]
            x0, x1 = math.log(currents[k - 1]), math.log(currents[k])
            f0, f1 = f[i, k - 1], f[i, k]
            if f0 > 0:
                frac = (math.log(thr) - math.log(f0)) / (math.log(f1) - math.log(f0))
            else:
                frac = (thr - f0) / (f1 - f0)
            onset[i] = math.exp(x0 + frac * (x1 - x0))
            status.append("bracketed")
    return DepositionOnset(
        temperatures_k=_frozen(temps),
        current_densities_a_per_m2=_frozen(currents),
        threshold=thr,
        deposition_fraction=_frozen(f),
        electronic_fraction_plating=_frozen(fe),
        cell_voltage_v=_frozen(volts),
        min_li_potential_v=_frozen(umin),
        onset_current_density_a_per_m2=_frozen(onset),
        onset_status=tuple(status),
    )
