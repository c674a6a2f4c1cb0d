"""Coupled ion/electron network with defect chemistry and internal Li deposition
(ssblab.micro.deposition) against closed forms: the 1-D leakage model, the Wagner transference
number, the Hebb–Wagner solution of a mixed conductor between Li electrodes, and a one-node
circuit solved by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_bvp
from scipy.optimize import brentq

from ssblab.errors import MicrostructureError
from ssblab.micro.deposition import (
    EXCHANGE_CURRENT_DENSITY_A_M2,
    FARADAY_C_MOL,
    GAS_CONSTANT_J_MOL_K,
    default_contact_area_m2,
    default_reaction_area_m2,
    deposition_onset,
    solve_deposition,
)
from ssblab.micro.network import BOLTZMANN_EV_PER_K, MAX_SEGMENTS, Phase, TransportNetwork
from ssblab.models.leakage import Layer, mixed_conductor_profile

T0 = 298.15
F_RT = FARADAY_C_MOL / (GAS_CONSTANT_J_MOL_K * T0)


# --------------------------------------------------------------------------------------------
# networks built by hand


def _network(pos, kind, edges, seg_phase, seg_factor, phases, terminals, length, area):
    m = len(edges)
    sp = -np.ones((m, MAX_SEGMENTS), dtype=int)
    sf = np.zeros((m, MAX_SEGMENTS))
    for e, (ph, fac) in enumerate(zip(seg_phase, seg_factor, strict=True)):
        sp[e, : len(ph)] = ph
        sf[e, : len(fac)] = fac
    return TransportNetwork(
        np.asarray(pos, dtype=float),
        np.asarray(kind, dtype=int),
        np.asarray(edges, dtype=int),
        sp,
        sf,
        tuple(phases),
        terminals,
        0,
        float(length),
        float(area),
    )


def chain(layers, nodes_per_layer, area=1e-6):
    """Line of nodes: terminal 0 at x = 0, terminal N at x = L, one edge (one segment of its
    layer's phase) per cell of width t/nodes_per_layer."""
    xs, ph = [0.0], []
    for k, (thickness, _) in enumerate(layers):
        for _ in range(nodes_per_layer):
            xs.append(xs[-1] + thickness / nodes_per_layer)
            ph.append(k)
    xs = np.array(xs)
    n = xs.size
    pos = np.zeros((n, 3))
    pos[:, 0] = xs
    kind = np.zeros(n, dtype=int)
    kind[[0, -1]] = 2
    edges = [[i, i + 1] for i in range(n - 1)]
    return _network(
        pos,
        kind,
        edges,
        [[p] for p in ph],
        [[area / h] for h in np.diff(xs)],
        [p for _, p in layers],
        (0, n - 1),
        xs[-1],
        area,
    )


GRAIN_EA_ION = 0.43  # eV, Ta-LLZO (seed 001 Table 2)


def ladder(n_col, grain, gb, interface=None, pitch=5e-6, width=5e-6, delta=1e-9):
    """Two rails side by side: grain nodes 0..n−1, GB nodes n..2n−1 (kind 1), terminals 2n
    (x = 0, plated) and 2n+1 (x = L). Axial edges of the rail's phase, rungs grain|GB, terminal
    edges half a pitch long (plus an ``interface`` segment of thickness δ if given)."""
    n = n_col
    xs = (np.arange(n) + 0.5) * pitch
    pos = np.zeros((2 * n + 2, 3))
    pos[:n, 0] = xs
    pos[n : 2 * n, 0] = xs
    pos[n : 2 * n, 1] = width
    pos[2 * n] = [0.0, width / 2, 0.0]
    pos[2 * n + 1] = [n * pitch, width / 2, 0.0]
    kind = np.r_[np.zeros(n), np.ones(n), [2, 2]]
    area = width**2
    edges, sp, sf = [], [], []
    for start, ph in ((0, 0), (n, 1)):
        for c in range(n - 1):
            edges.append([start + c, start + c + 1])
            sp.append([ph])
            sf.append([area / pitch])
        pre = ([2], [area / delta]) if interface is not None else ([], [])
        edges.append([2 * n, start])
        sp.append([*pre[0], ph])
        sf.append([*pre[1], area / (pitch / 2)])
        edges.append([start + n - 1, 2 * n + 1])
        sp.append([ph, *pre[0]])
        sf.append([area / (pitch / 2), *pre[1]])
    rung = pitch * width / (width / 2)
    for c in range(n):
        edges.append([c, n + c])
        sp.append([0, 1])
        sf.append([rung, rung])
    phases = [grain, gb] + ([interface] if interface is not None else [])
    return _network(pos, kind, edges, sp, sf, phases, (2 * n, 2 * n + 1), n * pitch, 2 * area)


def no_reaction(network):
    return np.zeros(network.n_nodes)


# --------------------------------------------------------------------------------------------
# limits: the 1-D leakage model


@pytest.mark.parametrize("asr", [(0.0, 0.0), (2e-4, 5e-4)])
def test_chain_reproduces_leakage_model(asr):
    """Constant σ_e, no reaction: the network is leakage.py's two-rail current divider."""
    layers = [(2e-5, 0.01, 0.05), (1e-4, 0.046, 1e-3), (3e-5, 0.02, 1e-4)]
    phases = [Phase(f"L{k}", si, se, 60.0) for k, (_, si, se) in enumerate(layers)]
    net = chain([(t, p) for (t, _, _), p in zip(layers, phases, strict=True)], 6)
    res = solve_deposition(
        net,
        10.0,
        charge_transfer_asr_ohm_m2=asr,
        defect_chemistry=False,
        exchange_current_a=no_reaction(net),
    )
    ref = mixed_conductor_profile(
        10.0,
        [Layer(t, si, se) for t, si, se in layers],
        asr_plating_ohm_m2=asr[0],
        asr_stripping_ohm_m2=asr[1],
    )
    rel = 1e-9
    assert res.cell_voltage_v == pytest.approx(ref.cell_voltage_V, rel=rel)
    assert res.electronic_fraction_plating == pytest.approx(ref.electronic_fraction, rel=rel)
    assert res.electronic_fraction_stripping == pytest.approx(ref.electronic_fraction, rel=rel)
    x = net.node_position_m[1:-1, 0]
    u_ref = ref.li_potential_at(x)
    scale = max(abs(ref.cell_voltage_V), 1e-30)
    assert np.max(np.abs(res.li_potential_v[1:-1] - u_ref)) <= rel * scale
    # the electrolyte side of the contacts: leakage.py's U(0) = −J_i r_0 and U(L) = +J_i r_L
    contact = res.contact_li_potential_v
    assert contact[0] == pytest.approx(ref.li_potential_V[0][0], rel=rel, abs=rel * scale)
    assert contact[-1] == pytest.approx(ref.li_potential_V[-1][1], rel=rel, abs=rel * scale)
    assert res.deposition_fraction == 0.0
    assert res.residual < 1e-10


@pytest.mark.parametrize("defect", [False, True])
def test_homogeneous_mixed_conductor_without_asr_is_at_li_potential(defect):
    """r_ct = 0: U ≡ 0 everywhere, J_e/J = t_e = σ_e/(σ_e + σ_i) (Wagner), and nothing
    deposits even with fast kinetics (U is never below 0)."""
    si, se = 0.046, 0.004
    net = chain([(1e-4, Phase("m", si, se, 60.0))], 12)
    res = solve_deposition(net, 50.0, defect_chemistry=defect)
    assert np.max(np.abs(res.li_potential_v)) < 1e-12
    assert res.electronic_fraction_plating == pytest.approx(se / (se + si), rel=1e-10)
    assert res.deposition_fraction == pytest.approx(0.0, abs=1e-12)
    assert res.deposition_sites == ()


def test_holes_add_to_the_electronic_conductance():
    """The optional p-type term: at U ≡ 0 (no ASR) σ_eon = σ_n⁰ + σ_p⁰."""
    si, se, sh = 0.046, 0.004, 0.002
    net = chain([(1e-4, Phase("m", si, se, 60.0))], 5)
    res = solve_deposition(net, 10.0, hole_conductivity={"m": (sh, 0.3)})
    assert res.electronic_fraction_plating == pytest.approx((se + sh) / (se + sh + si), rel=1e-10)
    with pytest.raises(MicrostructureError, match="no phase named"):
        solve_deposition(net, 10.0, hole_conductivity={"nope": (sh, 0.3)})


def test_plating_on_the_high_side_mirrors_the_solution():
    """plating_terminal=1 on a stack equals plating_terminal=0 on the reversed stack."""
    a = Phase("a", 0.01, 0.02, 60.0)
    b = Phase("b", 0.046, 1e-3, 60.0)
    forward = chain([(2e-5, a), (6e-5, b)], 5)
    backward = chain([(6e-5, b), (2e-5, a)], 5)
    kw = dict(exchange_current_density_a_per_m2=EXCHANGE_CURRENT_DENSITY_A_M2)
    one = solve_deposition(forward, 30.0, charge_transfer_asr_ohm_m2=(1e-3, 3e-4), **kw)
    two = solve_deposition(
        backward, 30.0, plating_terminal=1, charge_transfer_asr_ohm_m2=(1e-3, 3e-4), **kw
    )
    assert two.plating_node == backward.terminals[1]
    assert one.deposition_fraction > 0
    assert two.deposition_fraction == pytest.approx(one.deposition_fraction, rel=1e-8)
    assert two.cell_voltage_v == pytest.approx(one.cell_voltage_v, rel=1e-10)
    np.testing.assert_allclose(two.li_potential_v[::-1], one.li_potential_v, atol=1e-12)


# --------------------------------------------------------------------------------------------
# Hebb–Wagner: uniform mixed conductor between two reversible Li electrodes with ion ASRs

HW = dict(sigma_ion=0.046, sigma_n=2e-4, length=1e-4, r0=2e-2, r_l=8e-3, j=10.0)


def hebb_wagner_closed_form(sigma_ion, sigma_n, length, r0, r_l, j):
    """σ_e = σ_n e^{−fU}: with y = e^{−fU}, U' = J_e/σ_e − J_i/σ_i becomes y' = k·y − c
    (k = fJ_i/σ_i, c = fJ_e/σ_n), y = c/k + (y₀ − c/k)e^{kx}; y₀ = e^{fJ_i r₀} and
    y(L) = e^{−fJ_i r_L} fix J_i (one root). Returns J_i, V and U(x)."""
    f = F_RT

    def profile(ji):
        k, c = f * ji / sigma_ion, f * (j - ji) / sigma_n
        y0 = math.exp(f * ji * r0)
        return lambda x: c / k + (y0 - c / k) * np.exp(k * x)

    ji = brentq(
        lambda ji: profile(ji)(length) - math.exp(-f * ji * r_l),
        1e-9 * j,
        j * (1 - 1e-12),
        xtol=1e-14 * j,
        rtol=1e-15,
    )
    y = profile(ji)
    return ji, ji * (r0 + length / sigma_ion + r_l), lambda x: -np.log(y(x)) / f


def hebb_wagner_bvp(sigma_ion, sigma_n, length, r0, r_l, j, sigma_p=0.0):
    """The same problem integrated numerically (scipy solve_bvp, J_i as unknown parameter);
    also with holes, σ_e = σ_n e^{−fU} + σ_p e^{fU}."""
    f = F_RT

    def rhs(x, y, p):
        ji = p[0]
        sigma_e = sigma_n * np.exp(-f * y[0]) + sigma_p * np.exp(f * y[0])
        return np.vstack([(j - ji) / sigma_e - ji / sigma_ion])

    def bc(ya, yb, p):
        return np.array([ya[0] + p[0] * r0, yb[0] - p[0] * r_l])

    x = np.linspace(0, length, 201)
    ji0 = j * 0.5
    y = np.vstack([np.linspace(-ji0 * r0, ji0 * r_l, x.size)])
    sol = solve_bvp(rhs, bc, x, y, p=[ji0], tol=1e-10, max_nodes=100000)
    assert sol.success
    ji = float(sol.p[0])
    return ji, ji * (r0 + length / sigma_ion + r_l), lambda xx: sol.sol(xx)[0]


def test_hebb_wagner_references_agree():
    ji_a, v_a, u_a = hebb_wagner_closed_form(**HW)
    ji_b, v_b, u_b = hebb_wagner_bvp(**HW)
    x = np.linspace(0, HW["length"], 11)
    assert ji_b == pytest.approx(ji_a, rel=1e-7)
    assert v_b == pytest.approx(v_a, rel=1e-7)
    assert np.max(np.abs(u_a(x) - u_b(x))) < 1e-8
    # the defect chemistry matters in this case: U spans several RT/F
    assert F_RT * (u_a(HW["length"]) - u_a(0.0)) > 3


def _hebb_wagner_errors(edge_mean, sizes):
    """Relative errors of J_e/J, V and U (nodes and contacts, relative to V) of an N-cell
    chain against the closed form."""
    ji, volts, u_ref = hebb_wagner_closed_form(**HW)
    phase = Phase("mixed", HW["sigma_ion"], HW["sigma_n"], 60.0)
    errors = []
    for n in sizes:
        net = chain([(HW["length"], phase)], n)
        res = solve_deposition(
            net,
            HW["j"],
            charge_transfer_asr_ohm_m2=(HW["r0"], HW["r_l"]),
            exchange_current_a=no_reaction(net),
            edge_mean=edge_mean,
        )
        x = net.node_position_m[:, 0]
        te = 1 - ji / HW["j"]
        u_err = np.max(np.abs(res.li_potential_v[1:-1] - u_ref(x[1:-1])))
        contact_err = np.max(np.abs(res.contact_li_potential_v - u_ref(x[[0, -1]])))
        errors.append(
            (
                abs(res.electronic_fraction_plating / te - 1),
                abs(res.cell_voltage_v / volts - 1),
                max(u_err, contact_err) / volts,
            )
        )
    return np.array(errors)


def test_hebb_wagner_network_converges_to_the_continuum():
    """N uniform cells vs the closed form. J_e/J and V converge as O(h²) with both edge means;
    U converges more slowly before the asymptotic range because σ_e falls by e^{3.9} over the
    last tenth of the cell (U jumps from −2.2 to +1.7 RT/F next to the stripping electrode).
    The integral (logarithmic) mean is 10–100× more accurate than the midpoint and within
    1e-4 at N = 160."""
    sizes = (40, 80, 160)
    integral = _hebb_wagner_errors("integral", sizes)
    midpoint = _hebb_wagner_errors("midpoint", sizes)
    for errors in (integral, midpoint):
        ratios = errors[:-1] / errors[1:]
        assert np.all((ratios[:, :2] > 3.5) & (ratios[:, :2] < 4.5)), ratios  # O(h²)
        assert np.all(ratios[:, 2] > 1.9), ratios
    assert np.all(integral < midpoint / 10)
    assert np.all(integral[-1] < 1e-4), integral[-1]


def test_hebb_wagner_with_holes_against_bvp():
    sigma_p = 5e-3
    ji, volts, u_ref = hebb_wagner_bvp(**HW, sigma_p=sigma_p)
    phase = Phase("mixed", HW["sigma_ion"], HW["sigma_n"], 60.0)
    net = chain([(HW["length"], phase)], 160)
    res = solve_deposition(
        net,
        HW["j"],
        charge_transfer_asr_ohm_m2=(HW["r0"], HW["r_l"]),
        exchange_current_a=no_reaction(net),
        hole_conductivity={"mixed": (sigma_p, 0.0)},
    )
    assert res.electronic_fraction_plating == pytest.approx(1 - ji / HW["j"], rel=1e-4)
    assert res.cell_voltage_v == pytest.approx(volts, rel=1e-4)
    x = net.node_position_m[1:-1, 0]
    assert np.max(np.abs(res.li_potential_v[1:-1] - u_ref(x))) < 1e-4 * volts


# --------------------------------------------------------------------------------------------
# one interior node: the whole problem by hand


def one_node_network(gb, grain, area=1e-10, length=1e-5):
    """plating | gb half | node | grain half | stripping (one edge each)."""
    pos = [[0, 0, 0], [length / 2, 0, 0], [length, 0, 0]]
    return _network(
        pos,
        [2, 0, 2],
        [[0, 1], [1, 2]],
        [[0], [1]],
        [[area / (length / 2)], [area / (length / 2)]],
        [gb, grain],
        (0, 2),
        length,
        area,
    )


def one_node_by_hand(net, temperature, current_density, k, eta):
    """Linear kinetics r = k·F/RT·(−U − η) (U < −η), σ constant. Unknowns φ_i, φ_e, V:
    (G_i1 + G_i2)φ_i − G_i2 V + r = 0;  (G_e1 + G_e2)φ_e − G_e2 V − r = 0;  G_i1 φ_i + G_e1 φ_e = I.
    Returns f_dep = r/I."""
    gi = net.edge_conductance(net.sigma_ion_at(temperature))
    ge = net.edge_conductance(net.sigma_e_at(temperature))
    g = k * FARADAY_C_MOL / (GAS_CONSTANT_J_MOL_K * temperature)
    current = current_density * net.area_m2
    # r = g(φ_i − φ_e − η) substituted
    a = np.array(
        [
            [gi[0] + gi[1] + g, -g, -gi[1]],
            [-g, ge[0] + ge[1] + g, -ge[1]],
            [gi[0], ge[0], 0.0],
        ]
    )
    p, q, _ = np.linalg.solve(a, [g * eta, -g * eta, current])
    r = g * (p - q - eta)
    if r <= 0:  # inactive branch
        return 0.0
    return r / current


def test_one_node_matches_hand_solution_and_onset_moves_as_activation_energies_dictate():
    gb = Phase("gb", 3e-3, 1e-3, 60.0, ea_ion_ev=0.5, ea_e_ev=0.2)
    grain = Phase("grain", 4.6e-2, 1e-6, 60.0, ea_ion_ev=GRAIN_EA_ION, ea_e_ev=0.5)
    net = one_node_network(gb, grain)
    k, eta = 1e-9, 0.01
    opts = dict(
        defect_chemistry=False,
        kinetics="linear",
        exchange_current_a=np.array([0.0, k, 0.0]),
        nucleation_overpotential_v=eta,
    )
    for temp in (273.15, 333.15):
        for j in (30.0, 300.0, 3000.0):
            res = solve_deposition(net, j, temp, **opts)
            assert res.deposition_fraction == pytest.approx(
                one_node_by_hand(net, temp, j, k, eta), rel=1e-9, abs=1e-15
            )

    def exact_onset(temp, thr):
        # f = α − β/I (affine r): from two hand solutions
        f1, f2 = (one_node_by_hand(net, temp, j, k, eta) for j in (1e4, 2e4))
        i1, i2 = 1e4 * net.area_m2, 2e4 * net.area_m2
        beta = (f1 - f2) / (1 / i2 - 1 / i1)
        alpha = f1 + beta / i1
        return beta / (alpha - thr) / net.area_m2

    temps = [273.15, 298.15, 333.15]
    sweep = deposition_onset(net, temps, np.geomspace(1, 1e4, 81), threshold=1e-2, **opts)
    exact = np.array([exact_onset(t, 1e-2) for t in temps])
    assert sweep.onset_status == ("bracketed",) * 3
    for i, temp in enumerate(temps):  # the whole curve is exact ...
        hand = [one_node_by_hand(net, temp, j, k, eta) for j in sweep.current_densities_a_per_m2]
        np.testing.assert_allclose(sweep.deposition_fraction[i], hand, rtol=1e-9, atol=1e-15)
    # ... the onset is interpolated between grid points 12 % apart
    np.testing.assert_allclose(sweep.onset_current_density_a_per_m2, exact, rtol=2e-2)
    # sign and size: the onset scales with the conductances that set U, here far more than the
    # ionic Arrhenius factor alone (σ_e of the GB rises more slowly, E_a,e = 0.2 eV)
    shift = exact[2] / exact[0]
    ionic = math.exp(-GRAIN_EA_ION / BOLTZMANN_EV_PER_K * (1 / 333.15 - 1 / 273.15))
    assert shift > 1
    assert sweep.onset_current_density_a_per_m2[2] / sweep.onset_current_density_a_per_m2[
        0
    ] == pytest.approx(shift, rel=3e-2)
    assert shift != pytest.approx(ionic, rel=0.1)


# --------------------------------------------------------------------------------------------
# ladder: GB rail of high σ_e next to a grain rail


def ladder_phases(ea=GRAIN_EA_ION):
    grain = Phase("grain", 4.6e-2, 1e-6, 60.0, ea_ion_ev=ea, ea_e_ev=ea)
    gb = Phase("gb", 3e-3, 1e-4, 60.0, ea_ion_ev=ea, ea_e_ev=ea)
    # Li|LLZTO contact as a 1 nm phase of ASR 2 Ω cm² with the same activation energy,
    # electronically ohmic
    interface = Phase("contact", 1e-9 / 2e-4, 1e3, 10.0, ea_ion_ev=ea, ea_e_ev=0.0)
    return grain, gb, interface


def test_ladder_deposits_at_gb_nodes_next_to_the_plating_electrode():
    n = 8
    net = ladder(n, *ladder_phases())
    currents = [3.0, 10.0, 30.0, 100.0, 300.0]
    results = [solve_deposition(net, j) for j in currents]
    for res in results:
        r = res.deposition_current_a
        assert res.residual < 1e-10
        assert r[n] == r.max() > 0  # the first GB node
        assert r[n] > 10 * r[0]  # more than at the grain node beside it
        assert r[n : 2 * n].sum() > 0.9 * r.sum()
        assert set(res.deposition_sites) <= set(range(n // 2)) | set(range(n, n + n // 2))
        # electrons for internal deposition come from the plating electrode
        assert res.electronic_fraction_plating - res.electronic_fraction_stripping == (
            pytest.approx(res.deposition_fraction, rel=1e-8)
        )
    f = np.array([res.deposition_fraction for res in results])
    assert np.all(np.diff(f) > 0)


def test_ladder_onset_shift_with_temperature():
    """All conductances (and the contact) share E_a and η_nuc = 5 mV sets the voltage scale,
    so the onset current scales like the conductances, exp(−E_a/k_B·(1/T − 1/T_ref)); the
    kinetics (RT/F, constant j₀) make it inexact. Hand calculation of the ratio for 273 → 333 K
    and E_a = 0.43 eV: exp(0.43/8.617e-5·(1/273.15 − 1/333.15)) = 26.84."""
    net = ladder(8, *ladder_phases())
    temps = [273.15, 298.15, 333.15]
    sweep = deposition_onset(
        net, temps, np.geomspace(1, 1000, 19), nucleation_overpotential_v=0.005
    )
    onset = sweep.onset_current_density_a_per_m2
    assert sweep.onset_status == ("bracketed",) * 3
    assert np.all(np.diff(onset) > 0)  # warmer: more current before Li nucleates
    hand = math.exp(GRAIN_EA_ION / BOLTZMANN_EV_PER_K * (1 / 273.15 - 1 / 333.15))
    assert hand == pytest.approx(26.84, rel=1e-3)
    assert onset[2] / onset[0] == pytest.approx(hand, rel=0.1)
    # f_dep is 0 below nucleation and rises monotonically above it
    for row in sweep.deposition_fraction:
        assert row[0] == 0.0
        assert np.all(np.diff(row) >= 0)

    # exact scaling of the linear model: scale the exchange current with the conductances and
    # the onset moves by exactly the Arrhenius factor
    def exchange(temp):
        a = math.exp(-GRAIN_EA_ION / BOLTZMANN_EV_PER_K * (1 / temp - 1 / T0))
        return default_reaction_area_m2(net) * EXCHANGE_CURRENT_DENSITY_A_M2 * a * temp / T0

    grid = np.geomspace(1, 1000, 13)
    fs, onsets = [], []
    for temp in (273.15, 333.15):
        scale = math.exp(-GRAIN_EA_ION / BOLTZMANN_EV_PER_K * (1 / temp - 1 / T0))
        s = deposition_onset(
            net,
            [temp],
            grid * scale,
            defect_chemistry=False,
            kinetics="linear",
            exchange_current_a=exchange(temp),
            nucleation_overpotential_v=0.005,
        )
        fs.append(s.deposition_fraction[0])
        onsets.append(s.onset_current_density_a_per_m2[0] / scale)
    np.testing.assert_allclose(fs[0], fs[1], rtol=1e-8, atol=1e-14)
    assert onsets[0] == pytest.approx(onsets[1], rel=1e-8)


def test_without_nucleation_barrier_f_dep_has_a_finite_small_current_limit():
    """η_nuc = 0: U ∝ J as J → 0, so f_dep tends to a constant (as in leakage.py); an onset
    threshold below it is reported as below the swept range."""
    net = ladder(6, *ladder_phases())
    sweep = deposition_onset(net, [T0], [1e-3, 1e-2], threshold=1e-6)
    f = sweep.deposition_fraction[0]
    assert f[0] > 1e-3 and f[1] == pytest.approx(f[0], rel=1e-3)
    assert sweep.onset_status == ("below_range",)
    assert math.isnan(sweep.onset_current_density_a_per_m2[0])
    assert "onset" in sweep.table()


# --------------------------------------------------------------------------------------------
# geometry defaults, bad input, convergence failure


def test_default_areas():
    net = chain([(1e-4, Phase("m", 0.05, 1e-3, 60.0))], 4, area=3e-8)
    contact = default_contact_area_m2(net)
    assert contact[0] == pytest.approx(3e-8) and contact[-1] == pytest.approx(3e-8)
    assert np.all(contact[1:-1] == 0)
    area = default_reaction_area_m2(net)
    np.testing.assert_allclose(area, [0, 1.5e-8, 3e-8, 1.5e-8, 0])
    lad = ladder(4, *ladder_phases())
    contact = default_contact_area_m2(lad)
    for t in lad.terminals:
        on = (lad.edges[:, 0] == t) | (lad.edges[:, 1] == t)
        assert contact[on].sum() == pytest.approx(lad.area_m2)


def test_explicit_asr_equals_an_interface_phase_without_defect_chemistry():
    grain, gb, interface = ladder_phases()
    with_phase = ladder(5, grain, gb, interface=interface)
    bare = ladder(5, grain, gb)
    opts = dict(defect_chemistry=False, exchange_current_a=no_reaction(bare))
    a = solve_deposition(with_phase, 20.0, **opts)
    b = solve_deposition(bare, 20.0, charge_transfer_asr_ohm_m2=2e-4, **opts)
    assert a.cell_voltage_v == pytest.approx(b.cell_voltage_v, rel=1e-6)
    np.testing.assert_allclose(a.li_potential_v[:-2], b.li_potential_v[:-2], atol=1e-9)


def test_electronically_blocked_node_is_nan_and_does_not_react():
    blocker = Phase("LiAlO", 0.01, 0.0, 10.0)
    grain = Phase("grain", 0.046, 1e-3, 60.0)
    net = chain([(1e-5, grain), (1e-5, blocker), (1e-5, grain)], 1)
    # nodes 1 and 2 sit either side of the blocking edge; all connected on both rails except
    # that electrons cannot cross the middle: every node still reaches an electrode
    res = solve_deposition(net, 10.0, charge_transfer_asr_ohm_m2=1e-3)
    assert res.electronic_fraction_plating == pytest.approx(res.deposition_fraction, abs=1e-12)
    iso = chain([(1e-5, blocker), (1e-5, grain), (1e-5, blocker)], 1)
    res = solve_deposition(iso, 10.0)
    assert np.isnan(res.phi_e_v[1:-1]).all() and np.isnan(res.li_potential_v[1:-1]).all()
    assert res.deposition_fraction == 0.0 and res.electronic_fraction_plating == 0.0
    assert any("isolated" in note for note in res.notes)


def test_bad_input_names_the_parameter():
    net = chain([(1e-4, Phase("m", 0.05, 1e-3, 60.0))], 3)
    for kwargs, name in [
        (dict(current_density_a_per_m2=-1.0), "current_density_a_per_m2"),
        (dict(current_density_a_per_m2=1.0, temperature_k=0.0), "temperature_k"),
        (dict(current_density_a_per_m2=1.0, kinetics="tafel"), "kinetics"),
        (dict(current_density_a_per_m2=1.0, edge_mean="max"), "edge_mean"),
        (dict(current_density_a_per_m2=1.0, charge_transfer_asr_ohm_m2=-1), "charge_transfer"),
        (dict(current_density_a_per_m2=1.0, exchange_current_a=[1.0]), "exchange_current_a"),
        (dict(current_density_a_per_m2=1.0, plating_terminal=2), "plating_terminal"),
    ]:
        with pytest.raises(MicrostructureError, match=name):
            solve_deposition(net, **kwargs)
    cut = chain([(1e-5, Phase("void", 0.0, 0.0, 1.0)), (1e-5, Phase("m", 0.05, 0.0, 60.0))], 1)
    with pytest.raises(MicrostructureError, match="no conducting path"):
        solve_deposition(cut, 1.0)
    with pytest.raises(MicrostructureError, match="increasing"):
        deposition_onset(net, [T0], [2.0, 1.0])


def test_convergence_failure_raises_the_typed_error():
    net = chain([(HW["length"], Phase("mixed", HW["sigma_ion"], HW["sigma_n"], 60.0))], 10)
    kwargs = dict(charge_transfer_asr_ohm_m2=(HW["r0"], HW["r_l"]))
    ok = solve_deposition(net, HW["j"], **kwargs)
    assert ok.iterations > 1 and ok.residual < 1e-10
    with pytest.raises(MicrostructureError, match=r"current_density_a_per_m2.*max_iterations"):
        solve_deposition(net, HW["j"], max_iterations=1, **kwargs)


def test_result_is_frozen():
    net = chain([(1e-4, Phase("m", 0.05, 1e-3, 60.0))], 3)
    res = solve_deposition(net, 1.0, charge_transfer_asr_ohm_m2=1e-3)
    with pytest.raises(ValueError):
        res.li_potential_v[1] = 0.0
    with pytest.raises(AttributeError):
        res.deposition_fraction = 1.0  # type: ignore[misc]
