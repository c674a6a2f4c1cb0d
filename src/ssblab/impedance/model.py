"""A circuit fit problem in the variables the minimiser moves, with weighted real residuals.

Fitted variables x (one per free parameter, in parameter order):

* ln p for every positive parameter (R, Q, C, L, A_W, Z0, τ …), so p stays positive;
* α itself for exponents (CPE, La), kept in [``ALPHA_MIN``, 1] by projection;
* for a top-level arc p(R, CPE) or p(R, C) whose Q (or C) is free, the Q (C) slot holds
  ln τ instead of ln Q, with τ = (RQ)^(1/α) (τ = RC): the arc is then
  Z = R/(1 + (jωτ)^α), whose columns ∂Z/∂ln R = Z, ∂Z/∂ln τ = −α Z y/(1+y),
  ∂Z/∂α = −Z y ln(jωτ)/(1+y) with y = (jωτ)^α are far less correlated than those of
  (ln R, ln Q, α) — ln Q = α ln τ − ln R moves by ln τ ≈ −10 for a unit change of α at fixed
  τ — so Levenberg–Marquardt needs fewer iterations (the optimum is the same point).

Residuals are real and interleaved, r = [(Z'₀−Z'₀,data)/w'₀, (Z''₀−Z''₀,data)/w''₀, …] (length 2F),
which is the memory layout of a complex array viewed as float64: weighting the residuals and
the Jacobian is one multiplication, and the Jacobian is stored (B, n, 2F) so that JᵀJ is a
product of contiguous matrices (cost linear in F).

Two evaluators give the same numbers: a flat one for circuits that are a series of elements
and p(R, CPE|C) arcs (all arcs evaluated together in one array), and the general tree
evaluator of :mod:`ssblab.impedance.circuits` with the chain rule applied.
"""

from __future__ import annotations

import numpy as np

from ssblab.impedance.circuits import Circuit, Element, Parallel, Series
from ssblab.impedance.elements import ELEMENTS

ALPHA_MIN = 1e-3
LOG_CLIP = 700.0  # |ln p| beyond this would overflow exp()


def top_level(circuit: Circuit) -> tuple:
    """The nodes in series at the top of the circuit."""
    return circuit.tree.children if isinstance(circuit.tree, Series) else (circuit.tree,)


def arc_parts(node):
    """(R element, capacitive element) for p(R, CPE|C) (either order), else None."""
    if not isinstance(node, Parallel) or len(node.children) != 2:
        return None
    a, b = node.children
    if not (isinstance(a, Element) and isinstance(b, Element)):
        return None
    if a.kind == "R" and b.kind in ("CPE", "C"):
        return a, b
    if b.kind == "R" and a.kind in ("CPE", "C"):
        return b, a
    return None


class FitModel:
    """Circuit + spectrum + weights + fixed parameters, evaluated in fitted variables.

    ``fixed_values`` holds NaN for every free parameter. Shapes: x is (B, n) with n free
    parameters, parameters (B, P), residuals (B, 2F), Jacobian (B, n, 2F).
    """

    def __init__(
        self, circuit: Circuit, frequency_hz, z, w_re, w_im, fixed_values, weighting="modulus"
    ):
        self.circuit = circuit
        self.weighting = weighting
        self.frequency_hz = np.ascontiguousarray(frequency_hz, dtype=float)
        self.z = np.ascontiguousarray(z, dtype=complex)
        fixed_values = np.asarray(fixed_values, dtype=float)
        self.free = np.flatnonzero(np.isnan(fixed_values))
        self.fixed_values = np.nan_to_num(fixed_values)
        self.n = self.free.size
        position = np.full(circuit.n_params, -1)
        position[self.free] = np.arange(self.n)
        self.position = position  # parameter index -> x index (−1: fixed)
        fraction = circuit.fraction_mask
        self.log_mask = ~fraction[self.free]
        self.lower = np.where(self.log_mask, -LOG_CLIP, ALPHA_MIN)
        self.upper = np.where(self.log_mask, LOG_CLIP, 1.0)
        weights = np.empty(2 * self.z.size)
        weights[0::2], weights[1::2] = 1.0 / np.asarray(w_re), 1.0 / np.asarray(w_im)
        self.weights = weights
        self.target = self.z.view(np.float64).copy()
        internal_fixed = self.fixed_values.copy()
        positive = ~fraction & (internal_fixed > 0)
        internal_fixed[positive] = np.log(internal_fixed[positive])
        self.internal_fixed = internal_fixed
        # arcs fitted through ln τ: (R index, Q/C index, α index or −1)
        arcs = []
        for node in top_level(circuit):
            parts = arc_parts(node)
            if parts and position[parts[1].first_param] >= 0:
                r_el, c_el = parts
                a = c_el.first_param + 1 if c_el.kind == "CPE" else -1
                arcs.append((r_el.first_param, c_el.first_param, a))
        self.arcs = np.array(arcs, dtype=int).reshape(-1, 3)
        self.omega = 2 * np.pi * self.frequency_hz
        self._tree = circuit.evaluator(self.frequency_hz)
        self._flat = _FlatEvaluator(self) if _is_flat(circuit, self) else None

    # ------------------------------------------------------------------ variables
    def internal(self, x: np.ndarray) -> np.ndarray:
        """(B, P) array: x in the free slots, the fixed values' internal form elsewhere."""
        v = np.empty((x.shape[0], self.circuit.n_params))
        v[:] = self.internal_fixed
        v[:, self.free] = x
        return v

    def params(self, x: np.ndarray) -> np.ndarray:
        """Circuit parameters (B, P) of fitted variables (B, n)."""
        x = np.atleast_2d(x)
        p = np.empty((x.shape[0], self.fixed_values.size))
        p[:] = self.fixed_values
        p[:, self.free] = np.where(self.log_mask, np.exp(x), x)
        if self.arcs.size:
            v = self.internal(x)
            r, q, a = self.arcs.T
            alpha = np.where(a >= 0, v[:, np.maximum(a, 0)], 1.0)
            p[:, q] = np.exp(alpha * v[:, q] - v[:, r])
        return p

    def to_x(self, p: np.ndarray) -> np.ndarray:
        """Fitted variables (B, n) of circuit parameters (B, P) (positive ones must be > 0)."""
        p = np.atleast_2d(np.asarray(p, dtype=float))
        positive = ~self.circuit.fraction_mask
        with np.errstate(divide="ignore", invalid="ignore"):
            v = np.where(positive, np.log(np.where(positive, p, 1.0)), p)
            if self.arcs.size:
                r, q, a = self.arcs.T
                alpha = np.where(a >= 0, p[:, np.maximum(a, 0)], 1.0)
                v[:, q] = (v[:, r] + v[:, q]) / np.maximum(alpha, ALPHA_MIN)
        return v[:, self.free]

    def project(self, x: np.ndarray) -> np.ndarray:
        """Exponents into [ALPHA_MIN, 1]; ln p into the range exp() can represent."""
        return np.minimum(np.maximum(x, self.lower), self.upper)

    # ------------------------------------------------------------------ evaluation
    def impedance(self, x: np.ndarray) -> np.ndarray:
        """Model impedance (B, F) at fitted variables (B, n)."""
        if self._flat is not None:
            return self._flat.impedance(x)[0]
        return self._tree.impedance(self.params(x))

    def evaluate(self, x: np.ndarray):
        """Weighted residuals (B, 2F) and what :meth:`jacobian` needs to finish the job."""
        if self._flat is not None:
            z, cache = self._flat.impedance(x)
        else:
            z, cache = self._tree.impedance(self.params(x)), None
        z = np.ascontiguousarray(z)
        return (z.view(np.float64) - self.target) * self.weights, cache

    def residuals(self, x: np.ndarray) -> np.ndarray:
        """Weighted residuals (B, 2F)."""
        return self.evaluate(x)[0]

    def jacobian(self, x: np.ndarray, cache, rows=None) -> np.ndarray:
        """∂r/∂x (B', n, 2F) at ``x`` (already the selected rows), reusing ``cache`` of the
        evaluation of all rows, of which ``rows`` (None: all) are wanted."""
        if self._flat is not None and cache is not None:
            jac = self._flat.jacobian(cache, rows)
        else:
            jac = self._tree_jacobian(x)[1]
        return jac.view(np.float64) * self.weights

    def residuals_and_jacobian(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Weighted residuals (B, 2F) and their Jacobian ∂r/∂x (B, n, 2F)."""
        r, cache = self.evaluate(x)
        return r, self.jacobian(x, cache)

    def _tree_jacobian(self, x: np.ndarray):
        """General circuits: the tree's dZ/dp, times dp/dx (chain rule), laid out (B, n, F)."""
        p = self.params(x)
        z, jac_p = self._tree.impedance_and_jacobian(p)
        jac = np.ascontiguousarray(jac_p[:, :, self.free].transpose(0, 2, 1))
        scale = np.where(self.log_mask, p[:, self.free], 1.0)
        jac *= scale[:, :, None]  # now ∂Z/∂ln p (∂Z/∂α for exponents)
        if self.arcs.size:
            v = self.internal(x)
            for r_i, q_i, a_i in self.arcs:
                kq = self.position[q_i]
                col_q = jac[:, kq, :].copy()  # ∂Z/∂ln Q
                alpha = v[:, a_i, None] if a_i >= 0 else 1.0
                jac[:, kq, :] = alpha * col_q  # ∂Z/∂ln τ
                if self.position[r_i] >= 0:
                    jac[:, self.position[r_i], :] -= col_q
                if a_i >= 0 and self.position[a_i] >= 0:
                    jac[:, self.position[a_i], :] += v[:, q_i, None] * col_q
        return np.ascontiguousarray(z), jac

    def public_jacobian(self, x: np.ndarray) -> np.ndarray:
        """∂r/∂(ln p | α) over the free parameters at fitted variables ``x`` (n,): (n, 2F).

        From ∂r/∂x by the chain rule: with ln τ = (ln R + ln Q)/α for an arc fitted through ln τ,
        ∂r/∂ln Q = (1/α) ∂r/∂ln τ, ∂r/∂ln R|_Q = ∂r/∂ln R|_τ + (1/α) ∂r/∂ln τ and
        ∂r/∂α|_Q = ∂r/∂α|_τ − (ln τ/α) ∂r/∂ln τ.
        """
        x = np.atleast_2d(x)
        jac = self.residuals_and_jacobian(x)[1][0].copy()
        if self.arcs.size:
            v = self.internal(x)[0]
            for r_i, q_i, a_i in self.arcs:
                alpha = v[a_i] if a_i >= 0 else 1.0
                col_tau = jac[self.position[q_i]].copy()
                jac[self.position[q_i]] = col_tau / alpha
                if self.position[r_i] >= 0:
                    jac[self.position[r_i]] += col_tau / alpha
                if a_i >= 0 and self.position[a_i] >= 0:
                    jac[self.position[a_i]] -= v[q_i] / alpha * col_tau
        return jac


def _is_flat(circuit: Circuit, model: FitModel) -> bool:
    """A series of elements and arcs, every arc fitted through ln τ."""
    arcs = 0
    for node in top_level(circuit):
        if isinstance(node, Element):
            continue
        if arc_parts(node) is None:
            return False
        arcs += 1
    return arcs == model.arcs.shape[0]


_LOG_KINDS = ("R", "C", "L", "W", "CPE")  # series elements with log-space formulas below


class _FlatEvaluator:
    """Z and ∂Z/∂x for a series of elements and p(R, CPE|C) arcs, with few array operations.

    All arcs at once: y = (jωτ)^α = e^{α(ln τ + ln ω)} e^{jαπ/2}, Z_arc = R/(1 + y);
    ∂Z/∂ln R = Z_arc, ∂Z/∂ln τ = −α u y, ∂Z/∂α = −u y (ln τ + ln ω + jπ/2), u = Z_arc/(1 + y).
    Series elements in log variables: R; C: Z = e^{−ln C}/(jω), ∂Z/∂ln C = −Z; L: Z = e^{ln L} jω,
    ∂Z/∂ln L = Z; W: Z = e^{ln A}(1 − j)/√ω, ∂Z/∂ln A = Z; CPE: Z = e^{−α ln ω − ln Q} e^{−jαπ/2},
    ∂Z/∂ln Q = −Z, ∂Z/∂α = −Z (ln ω + jπ/2). Other kinds use their own derivative functions
    (:mod:`ssblab.impedance.elements`) with the chain rule ∂/∂ln p = p ∂/∂p.

    Variables are gathered from xe = [x | internal fixed values | 1] so fixed parameters and the
    α = 1 of capacitor arcs need no special cases.
    """

    def __init__(self, model: FitModel):
        self.model = model
        n = model.n
        n_params = model.circuit.n_params
        self.const = np.append(model.internal_fixed, 1.0)
        one = n + n_params

        def xe(k: int) -> int:
            return int(model.position[k]) if model.position[k] >= 0 else n + k

        self.s = 1j * model.omega[None, :]
        self.inv_s = 1.0 / self.s
        self.log_omega = np.log(model.omega)[None, :]
        self.log_omega3 = self.log_omega[None, :, :]
        self.log_s = (np.log(model.omega) + 0.5j * np.pi)[None, :]
        self.w_unit = ((1.0 - 1.0j) / np.sqrt(model.omega))[None, :]
        self.n_freq = model.omega.size
        arcs = model.arcs
        self.n_arcs = arcs.shape[0]
        if self.n_arcs:
            self.arc_gather = np.array(
                [[xe(r), xe(q), xe(a) if a >= 0 else one] for r, q, a in arcs]
            ).T  # (3, A)
            pos = model.position
            self.q_cols = pos[arcs[:, 1]]
            r_pos = pos[arcs[:, 0]]
            self.r_sel = np.flatnonzero(r_pos >= 0)
            self.r_cols = r_pos[self.r_sel]
            a_pos = np.where(arcs[:, 2] >= 0, pos[np.maximum(arcs[:, 2], 0)], -1)
            self.a_sel = np.flatnonzero(a_pos >= 0)
            self.a_cols = a_pos[self.a_sel]
            self.r_all = self.r_sel.size == self.n_arcs
            self.a_all = self.a_sel.size == self.n_arcs
        self.series = []  # (element, xe indices, x columns)
        uses_const = self.n_arcs and bool(np.any(self.arc_gather >= n))
        for node in top_level(model.circuit):
            if isinstance(node, Element):
                k = node.first_param
                idx = [xe(k + i) for i in range(node.spec.n_params)]
                cols = [int(model.position[k + i]) for i in range(node.spec.n_params)]
                self.series.append((node, idx, cols))
                uses_const = uses_const or any(i >= n for i in idx)
        self.uses_const = uses_const
        self.fraction = model.circuit.fraction_mask

    def _extended(self, x: np.ndarray) -> np.ndarray:
        if not self.uses_const:
            return x
        out = np.empty((x.shape[0], x.shape[1] + self.const.size))
        out[:, : x.shape[1]] = x
        out[:, x.shape[1] :] = self.const
        return out

    def impedance(self, x: np.ndarray):
        """Z (B, F) and the cache for :meth:`jacobian`."""
        xe = self._extended(x)
        cache: dict = {}
        z = None
        if self.n_arcs:
            g = xe[:, self.arc_gather]  # (B, 3, A): ln R, ln τ, α
            alpha = g[:, 2, :, None]
            lt = g[:, 1, :, None] + self.log_omega3  # ln ωτ
            y = np.exp(alpha * lt) * np.exp((0.5j * np.pi) * alpha)
            one_y = y + 1.0
            z_arc = np.exp(g[:, 0, :, None]) / one_y
            z = z_arc.sum(axis=1)
            cache["arcs"] = (alpha, lt, y, one_y, z_arc)
        values = []
        for element, idx, _ in self.series:
            value = self._series(element, xe[:, idx])
            values.append(value)
            z = value[0] if z is None else z + value[0]
        cache["series"] = values
        if z.shape[1] != self.n_freq:
            z = np.broadcast_to(z, (x.shape[0], self.n_freq))
        return z, cache

    def _series(self, element: Element, v: np.ndarray):
        """(Z, payload for the derivatives) of one series element from its internal values."""
        kind = element.kind
        if kind == "R":
            value = np.exp(v)  # (B, 1)
            return value, value
        if kind == "C":
            value = np.exp(-v) * self.inv_s
            return value, value
        if kind == "L":
            value = np.exp(v) * self.s
            return value, value
        if kind == "W":
            value = np.exp(v) * self.w_unit
            return value, value
        if kind == "CPE":
            log_q, alpha = v[:, 0, None], v[:, 1, None]
            value = np.exp(-alpha * self.log_omega - log_q) * np.exp((-0.5j * np.pi) * alpha)
            return value, value
        spec, func = ELEMENTS[kind]
        fraction = self.fraction[element.first_param : element.first_param + spec.n_params]
        p = np.where(fraction, v, np.exp(v))
        value, derivatives = func(self.s, *(p[:, i, None] for i in range(spec.n_params)))
        scaled = [d * p[:, i, None] if not fraction[i] else d for i, d in enumerate(derivatives)]
        return value, scaled

    def jacobian(self, cache: dict, rows=None) -> np.ndarray:
        """∂Z/∂x (B', n, F) complex from the cache of :meth:`impedance` (rows: None = all)."""

        if rows is None:

            def pick(a):
                return a

        else:

            def pick(a):
                return a if np.ndim(a) == 0 or a.shape[0] == 1 else a[rows]

        model = self.model
        jac = None
        if self.n_arcs:
            alpha, lt, y, one_y, z_arc = (
                cache["arcs"] if rows is None else [pick(a) for a in cache["arcs"]]
            )
            jac = np.empty((z_arc.shape[0], model.n, self.n_freq), dtype=complex)
            uy = z_arc * y / one_y
            jac[:, self.q_cols, :] = -alpha * uy
            if self.r_all:
                jac[:, self.r_cols, :] = z_arc
            elif self.r_sel.size:
                jac[:, self.r_cols, :] = z_arc[:, self.r_sel]
            if self.a_sel.size:
                d_alpha = uy * (lt + 0.5j * np.pi)
                jac[:, self.a_cols, :] = -(d_alpha if self.a_all else d_alpha[:, self.a_sel])
        for (element, _, cols), (_, payload) in zip(self.series, cache["series"], strict=True):
            kind = element.kind
            if all(c < 0 for c in cols):
                continue
            if kind == "CPE":
                value = pick(payload)
                derivatives = [-value, -value * self.log_s]
            elif kind in ("R", "L", "W"):
                derivatives = [pick(payload)]
            elif kind == "C":
                derivatives = [-pick(payload)]
            else:
                derivatives = [pick(d) for d in payload]
            if jac is None:
                b = max(np.shape(d)[0] for d in derivatives)
                if rows is not None:
                    b = len(rows)
                jac = np.empty((b, model.n, self.n_freq), dtype=complex)
            for col, d in zip(cols, derivatives, strict=True):
                if col >= 0:
                    jac[:, col, :] = d
        return jac
