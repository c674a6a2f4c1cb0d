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
from functools import cached_property

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

    def impedance(self, frequency_hz, params) -> np.ndarray:
        """Z for each parameter set: ``(F,)`` for ``(P,)`` params, ``(B, F)`` for ``(B, P)``."""
        p, single = self._as_params(params)
        s = 2j * np.pi * np.asarray(frequency_hz, dtype=float)[None, :]
        z = self._forward(self.tree, s, p, None)
        return z[0] if single else z

    def impedance_and_jacobian(self, frequency_hz, params) -> tuple[np.ndarray, np.ndarray]:
        """Z ``(…, F)`` and dZ/dp ``(…, F, P)`` (complex), analytic."""
        p, single = self._as_params(params)
        s = 2j * np.pi * np.asarray(frequency_hz, dtype=float)[None, :]
        cache: dict[int, tuple] = {}
        z = self._forward(self.tree, s, p, cache)
        jac = np.empty((p.shape[0], s.shape[1], self.n_params), dtype=complex)
        self._backward(self.tree, np.ones_like(z), cache, jac)
        return (z[0], jac[0]) if single else (z, jac)

    def _forward(self, node, s, p, cache):
        """Impedance of ``node`` (B, F); with a cache, remember values for the backward pass."""
        if isinstance(node, Element):
            spec, func = ELEMENTS[node.kind]
            cols = [p[:, node.first_param + i, None] for i in range(spec.n_params)]
            z, derivs = func(s, *cols)
            z = np.broadcast_to(z, (p.shape[0], s.shape[1]))
            if cache is not None:
                cache[id(node)] = (z, derivs)
            return z
        parts = [self._forward(child, s, p, cache) for child in node.children]
        z = sum(parts) if isinstance(node, Series) else 1.0 / sum(1.0 / zi for zi in parts)
        if cache is not None:
            cache[id(node)] = (z, parts)
        return z

    def _backward(self, node, sensitivity, cache, jac) -> None:
        """Fill ``jac`` using ∂Z/∂Z_node = ``sensitivity`` (series: 1; parallel: (Z/Zᵢ)²)."""
        z, payload = cache[id(node)]
        if isinstance(node, Element):
            for i, d in enumerate(payload):
                jac[:, :, node.first_param + i] = sensitivity * d
            return
        for child, zi in zip(node.children, payload, strict=True):
            child_sensitivity = (
                sensitivity if isinstance(node, Series) else sensitivity * (z / zi) ** 2
            )
            self._backward(child, child_sensitivity, cache, jac)


def parse_circuit(text: str | Circuit) -> Circuit:
    """A :class:`Circuit` from a string (or the circuit itself)."""
    return text if isinstance(text, Circuit) else Circuit(text)
