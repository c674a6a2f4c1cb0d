"""The entry points of :mod:`ssblab.micro.deposition`: :func:`solve_deposition` (argument
checks, defaults, the Newton solve, the result) and :func:`deposition_onset` (sweeps in J)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from ssblab.errors import MicrostructureError
from ssblab.micro.deposition.constants import (
    _BOLTZMANN_NOTE,
    _EXP_CAP,
    _REL_TOL,
    EXCHANGE_CURRENT_DENSITY_A_M2,
    LLZO_OXIDATION_LIMIT_V,
    ONSET_THRESHOLD,
)
from ssblab.micro.deposition.geometry import default_reaction_area_m2
from ssblab.micro.deposition.results import DepositionOnset, DepositionResult
from ssblab.micro.deposition.system import (
    _frozen,
    _node_array,
    _non_negative,
    _positive,
    _solve_with_continuation,
    _System,
)
from ssblab.micro.network import BOLTZMANN_EV_PER_K, TransportNetwork


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
    sources: package docstring.

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
