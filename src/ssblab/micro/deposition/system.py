"""The numerical core of :mod:`ssblab.micro.deposition`: ``_System`` (the assembled,
temperature-fixed problem: conductances, index maps, residual, Jacobian, damped Newton),
``_solve_with_continuation`` (continuation in the current) and small numerical helpers
(edge means of exponentials, argument checks, read-only arrays)."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import splu

from ssblab.errors import MicrostructureError
from ssblab.micro.deposition.constants import (
    _EXP_CAP,
    _MAX_CONTINUATION_STEPS,
    FARADAY_C_MOL,
    GAS_CONSTANT_J_MOL_K,
)
from ssblab.micro.deposition.geometry import default_contact_area_m2
from ssblab.micro.network import BOLTZMANN_EV_PER_K, TransportNetwork, series_combination

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
        # fraction of the ionic drop across the interface at each end (w in the package docstring)
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
