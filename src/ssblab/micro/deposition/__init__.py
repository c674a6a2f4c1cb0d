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

The code is split by what it does:

``constants``   physical constants, the default-value sources and numerical limits
``results``     :class:`DepositionResult`, :class:`DepositionOnset`
``geometry``    face, reaction and contact areas derived from the network
``system``      the assembled problem (``_System``: conductances, residual, Jacobian, damped
                Newton), continuation in the current, small numerical helpers
``solve``       :func:`solve_deposition` (argument checks, defaults, the result) and
                :func:`deposition_onset`
"""

from __future__ import annotations

from ssblab.micro.deposition.constants import _BOLTZMANN_NOTE as _BOLTZMANN_NOTE
from ssblab.micro.deposition.constants import _EXP_CAP as _EXP_CAP
from ssblab.micro.deposition.constants import _MAX_CONTINUATION_STEPS as _MAX_CONTINUATION_STEPS
from ssblab.micro.deposition.constants import _REL_TOL as _REL_TOL
from ssblab.micro.deposition.constants import (
    EXCHANGE_CURRENT_DENSITY_A_M2,
    FARADAY_C_MOL,
    GAS_CONSTANT_J_MOL_K,
    LI_LLZO_ASR_OHM_M2,
    LLZO_OXIDATION_LIMIT_V,
    ONSET_THRESHOLD,
)
from ssblab.micro.deposition.geometry import (
    default_contact_area_m2,
    default_reaction_area_m2,
    edge_face_area_m2,
)
from ssblab.micro.deposition.results import DepositionOnset, DepositionResult
from ssblab.micro.deposition.solve import _result as _result
from ssblab.micro.deposition.solve import deposition_onset, solve_deposition
from ssblab.micro.deposition.system import _exp_mean as _exp_mean
from ssblab.micro.deposition.system import _frozen as _frozen
from ssblab.micro.deposition.system import _node_array as _node_array
from ssblab.micro.deposition.system import _non_negative as _non_negative
from ssblab.micro.deposition.system import _positive as _positive
from ssblab.micro.deposition.system import _solve_with_continuation as _solve_with_continuation
from ssblab.micro.deposition.system import _System as _System

# The ``_x as _x`` imports are private names of the old single module (helpers, numerical
# limits, the assembled system): they stay importable from the package.
__all__ = [
    "EXCHANGE_CURRENT_DENSITY_A_M2",
    "FARADAY_C_MOL",
    "GAS_CONSTANT_J_MOL_K",
    "LI_LLZO_ASR_OHM_M2",
    "LLZO_OXIDATION_LIMIT_V",
    "ONSET_THRESHOLD",
    "DepositionOnset",
    "DepositionResult",
    "default_contact_area_m2",
    "default_reaction_area_m2",
    "deposition_onset",
    "edge_face_area_m2",
    "solve_deposition",
]
