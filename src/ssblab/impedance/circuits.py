"""Equivalent circuits in impedance.py's notation, evaluated over many parameter sets at once.

Circuit strings: ``-`` joins elements in series, ``p(a,b,…)`` puts them in parallel, and the two
nest: ``R0-p(R1,CPE1)-p(R2,CPE2)-CPE3``. Element names are a type prefix (see
:mod:`ssblab.impedance.elements`) and a unique suffix. Parameter names follow impedance.py:
one-parameter elements use the element name (``R1``), others ``NAME_i`` (``CPE1_0`` = Q,
``CPE1_1`` = α).

:meth:`Circuit.impedance` and :meth:`Circuit.impedance_and_jacobian` take parameters of shape
``(P,)`` or ``(B, P)`` and frequencies ``(F,)`` and return ``(F,)``/``(B, F)`` impedances and
``(…, F, P)`` Jacobians dZ/dp computed analytically: a forward pass evaluates every node
(series: ΣZᵢ; parallel: Z = 1/Σ(1/Zᵢ)), a backward pass carries ∂Z/∂Z_node down the tree
(series child: unchanged; parallel child: times (Z/Zᵢ)²) and multiplies it into each element's
own derivatives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np

from ssblab.errors import CircuitError
from ssblab.impedance.elements import ELEMENTS, FRACTION, PREFIXES, ElementSpec

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Element:
    name: str
    kind: str
    first_param: int

    @property
    def spec(self) -> ElementSpec:
        return ELEMENTS[self.kind][0]


@dataclass(frozen=True)
class Series:
    children: tuple


@dataclass(frozen=True)
class Parallel:
    children: tuple


def _kind_of(name: str, circuit: str) -> str:
    for prefix in PREFIXES:
        rest = name[len(prefix) :]
        if name.startswith(prefix) and (rest == "" or rest[0].isdigit() or rest[0] == "_"):
            return prefix
    raise CircuitError(
        f"circuit {circuit!r}: unknown element {name!r}; known types: {', '.join(sorted(ELEMENTS))}"
    )


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.compact = re.sub(r"\s+", "", text)
        self.pos = 0
        self.elements: list[Element] = []
        self.n_params = 0

    def error(self, message: str) -> CircuitError:
        return CircuitError(f"circuit {self.text!r}: {message} at position {self.pos + 1}")

    def peek(self) -> str:
        return self.compact[self.pos] if self.pos < len(self.compact) else ""

    def parse(self):
        if not self.compact:
            raise CircuitError("circuit string is empty")
        node = self.series()
        if self.pos != len(self.compact):
            raise self.error(f"unexpected {self.peek()!r}")
        return node

    def series(self):
        items = [self.term()]
        while self.peek() == "-":
            self.pos += 1
            items.append(self.term())
        return items[0] if len(items) == 1 else Series(tuple(items))

    def term(self):
        if self.compact.startswith("p(", self.pos):
            self.pos += 2
            items = [self.series()]
            while self.peek() == ",":
                self.pos += 1
                items.append(self.series())
            if self.peek() != ")":
                raise self.error("unbalanced parentheses: missing ')'")
            self.pos += 1
            if len(items) < 2:
                raise self.error("p(...) needs at least two branches")
            return Parallel(tuple(items))
        match = _NAME.match(self.compact, self.pos)
        if not match:
            raise self.error(f"expected an element, found {self.peek() or 'the end'!r}")
        name = match.group()
        if name == "p":
            raise self.error("'p' must be followed by '('")
        kind = _kind_of(name, self.text)
        if any(e.name == name for e in self.elements):
            raise CircuitError(f"circuit {self.text!r}: element name {name!r} is used twice")
        element = Element(name, kind, self.n_params)
        self.elements.append(element)
        self.n_params += element.spec.n_params
        self.pos = match.end()
        return element


class Circuit:
    """A parsed circuit: parameter names, units, kinds, and vectorised evaluation."""

    def __init__(self, text: str):
        parser = _Parser(text)
        self.tree = parser.parse()
        self.text = text.strip()
        self.elements: tuple[Element, ...] = tuple(parser.elements)
        self.n_params = parser.n_params

    def __repr__(self) -> str:
        return f"Circuit({self.text!r})"

    @cached_property
    def parameter_names(self) -> tuple[str, ...]:
        names = []
        for element in self.elements:
            n = element.spec.n_params
            names += [element.name] if n == 1 else [f"{element.name}_{i}" for i in range(n)]
        return tuple(names)

    @cached_property
    def parameter_units(self) -> tuple[str, ...]:
        return tuple(u for e in self.elements for u in e.spec.units)

    @cached_property
    def parameter_kinds(self) -> tuple[str, ...]:
        return tuple(k for e in self.elements for k in e.spec.kinds)

    @cached_property
    def fraction_mask(self) -> np.ndarray:
        return np.array([k == FRACTION for k in self.parameter_kinds])

    def _as_params(self, params) -> tuple[np.ndarray, bool]:
        p = np.asarray(params, dtype=float)
        single = p.ndim == 1
        p = np.atleast_2d(p)
        if p.ndim != 2 or p.shape[1] != self.n_params:
            raise CircuitError(
                f"circuit {self.text!r} takes {self.n_params} parameters "
                f"({', '.join(self.parameter_names)}), got shape {np.shape(params)}"
            )
        return p, single

    @cached_property
    def _program(self) -> tuple[tuple, ...]:
        """The tree in post-order: (kind, payload, child indices); the root is last."""
        program: list[tuple] = []

        def visit(node) -> int:
            if isinstance(node, Element):
                program.append(("element", node, ()))
            else:
                children = tuple(visit(child) for child in node.children)
                program.append(
                    ("series" if isinstance(node, Series) else "parallel", None, children)
                )
            return len(program) - 1

        visit(self.tree)
        return tuple(program)

    def evaluator(self, frequency_hz) -> CircuitEvaluator:
        """A fast evaluator bound to one frequency grid (for fitting loops)."""
        return CircuitEvaluator(self, frequency_hz)

    def impedance(self, frequency_hz, params) -> np.ndarray:
        """Z for each parameter set: ``(F,)`` for ``(P,)`` params, ``(B, F)`` for ``(B, P)``."""
        p, single = self._as_params(params)
        z = self.evaluator(frequency_hz).impedance(p)
        return z[0] if single else z

    def impedance_and_jacobian(self, frequency_hz, params) -> tuple[np.ndarray, np.ndarray]:
        """Z ``(…, F)`` and dZ/dp ``(…, F, P)`` (complex), analytic."""
        p, single = self._as_params(params)
        z, jac = self.evaluator(frequency_hz).impedance_and_jacobian(p)
        return (z[0], jac[0]) if single else (z, jac)


class CircuitEvaluator:
    """Evaluates a circuit on a fixed frequency grid for (B, P) parameter arrays."""

    def __init__(self, circuit: Circuit, frequency_hz):
        self.circuit = circuit
        self.s = 2j * np.pi * np.asarray(frequency_hz, dtype=float)[None, :]
        self.program = circuit._program

    def _forward(self, p: np.ndarray, keep: bool):
        values: list = []
        derivatives: list = []
        for kind, element, children in self.program:
            if kind == "element":
                spec, func = ELEMENTS[element.kind]
                cols = [p[:, element.first_param + i, None] for i in range(spec.n_params)]
                z, derivs = func(self.s, *cols)
                if keep:
                    derivatives.append(derivs)
            elif kind == "series":
                z = values[children[0]]
                for child in children[1:]:
                    z = z + values[child]
                derivatives.append(None)
            else:
                admittance = 1.0 / values[children[0]]
                for child in children[1:]:
                    admittance = admittance + 1.0 / values[child]
                z = 1.0 / admittance
                derivatives.append(None)
            values.append(z)
        return values, derivatives

    def impedance(self, p: np.ndarray) -> np.ndarray:
        values, _ = self._forward(p, keep=False)
        return np.broadcast_to(values[-1], (p.shape[0], self.s.shape[1]))

    def impedance_and_jacobian(self, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        values, derivatives = self._forward(p, keep=True)
        shape = (p.shape[0], self.s.shape[1])
        jac = np.empty((*shape, self.circuit.n_params), dtype=complex)
        sensitivity: list = [None] * len(self.program)
        sensitivity[-1] = 1.0
        for index in range(len(self.program) - 1, -1, -1):
            kind, element, children = self.program[index]
            sens = sensitivity[index]
            if kind == "element":
                for i, d in enumerate(derivatives[index]):
                    jac[:, :, element.first_param + i] = sens * d
            elif kind == "series":
                for child in children:
                    sensitivity[child] = sens
            else:
                z = values[index]
                for child in children:
                    ratio = z / values[child]
                    sensitivity[child] = sens * ratio * ratio
        return np.broadcast_to(values[-1], shape), jac


def parse_circuit(text: str | Circuit) -> Circuit:
    """A :class:`Circuit` from a string (or the circuit itself); parsed strings are cached."""
    return text if isinstance(text, Circuit) else _parse_cached(text)


@lru_cache(maxsize=256)
def _parse_cached(text: str) -> Circuit:
    return Circuit(text)
