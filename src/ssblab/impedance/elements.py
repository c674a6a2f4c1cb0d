"""Circuit elements: impedance and analytic derivatives, vectorised over parameter sets.

Every element function takes ``s = jω`` with shape ``(1, F)`` and parameter columns with shape
``(B, 1)`` (B parameter sets) and returns ``(Z, [dZ/dp_0, dZ/dp_1, …])``, each ``(B, F)``
complex. Definitions and parameter order follow impedance.py (ECSHackWeek/impedance.py,
``impedance/models/circuits/elements.py``) so that fitted parameters compare one to one:

=====  ===========================================  =============================  ==========
name   impedance                                    parameters (units)             kind
=====  ===========================================  =============================  ==========
R      R                                            R (Ω)                          positive
C      1/(jωC)                                      C (F)                          positive
L      jωL                                          L (H)                          positive
CPE    1/(Q (jω)^α)                                 Q (Ω⁻¹ s^α), α (–)             α ∈ (0, 1]
W      A_W (1 − j)/√ω   (semi-infinite Warburg)     A_W (Ω s^-½)                   positive
Wo     Z0 coth(√(jωτ))/√(jωτ)  (finite space)       Z0 (Ω), τ (s)                  positive
Ws     Z0 tanh(√(jωτ))/√(jωτ)  (finite length)      Z0 (Ω), τ (s)                  positive
G      R_G/√(1 + jωt_G)  (Gerischer)                R_G (Ω), t_G (s)               positive
Gs     R_G/(√(1+jωt_G) tanh(φ√(1+jωt_G)))           R_G (Ω), t_G (s), φ (–)        positive
La     (jωL)^α  (modified inductance)               L (H s), α (–)                 α ∈ (0, 1]
K      R/(1 + jωτ)  (Voigt RC, lin-KK)              R (Ω), τ (s)                   positive
=====  ===========================================  =============================  ==========

Validity: any ω > 0. The derivative formulas are exact; ``coth``/``sech²`` are evaluated through
``tanh`` so that large arguments do not overflow.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

POSITIVE = "positive"
FRACTION = "fraction"  # exponent in (0, 1]


@dataclass(frozen=True)
class ElementSpec:
    """What an element needs: parameter units and kinds, and its evaluation function."""

    name: str
    units: tuple[str, ...]
    kinds: tuple[str, ...]
    description: str

    @property
    def n_params(self) -> int:
        return len(self.units)


def _r(s, r):
    return r + 0j, [1.0]  # (B, 1): broadcasting against (B, F) happens where it is used


def _c(s, c):
    z = 1.0 / (s * c)
    return z, [-z / c]


def _l(s, ind):
    z = s * ind
    return z, [np.broadcast_to(s, z.shape).astype(complex)]


def _cpe(s, q, alpha):
    # (jω)^-α = ω^-α · e^(-jαπ/2): one real exp over (B, F), one complex exp over (B, 1)
    log_omega = np.log(s.imag)
    z = np.exp(-alpha * log_omega) * (np.exp(-0.5j * np.pi * alpha) / q)
    return z, [-z / q, -z * (log_omega + 0.5j * np.pi)]


def _w(s, aw):
    omega = s.imag
    unit = (1.0 - 1.0j) / np.sqrt(omega)
    z = aw * unit
    return z, [np.broadcast_to(unit, z.shape).astype(complex)]


def _wo(s, z0, tau):
    x = np.sqrt(s * tau)
    coth = 1.0 / np.tanh(x)
    shape = coth / x
    dshape_dx = -(coth * coth - 1.0) / x - coth / (x * x)
    z = z0 * shape
    return z, [shape, z0 * dshape_dx * x / (2.0 * tau)]


def _ws(s, z0, tau):
    x = np.sqrt(s * tau)
    tanh = np.tanh(x)
    shape = tanh / x
    dshape_dx = (1.0 - tanh * tanh) / x - tanh / (x * x)
    z = z0 * shape
    return z, [shape, z0 * dshape_dx * x / (2.0 * tau)]


def _g(s, rg, tg):
    root = np.sqrt(1.0 + s * tg)
    z = rg / root
    return z, [1.0 / root, -0.5 * z * s / (root * root)]


def _gs(s, rg, tg, phi):
    y = np.sqrt(1.0 + s * tg)
    t = np.tanh(phi * y)
    z = rg / (y * t)
    sech2 = 1.0 - t * t
    dz_dy = -z * (1.0 / y + phi * sech2 / t)
    return z, [z / rg, dz_dy * s / (2.0 * y), -z * y * sech2 / t]


def _la(s, ind, alpha):
    log_sl = np.log(s * ind)
    z = np.exp(alpha * log_sl)
    return z, [alpha * z / ind, z * log_sl]


def _k(s, r, tau):
    denom = 1.0 + s * tau
    z = r / denom
    return z, [1.0 / denom, -z * s / denom]


ELEMENTS: dict[str, tuple[ElementSpec, object]] = {
    "R": (ElementSpec("R", ("Ohm",), (POSITIVE,), "resistor"), _r),
    "C": (ElementSpec("C", ("F",), (POSITIVE,), "capacitor"), _c),
    "L": (ElementSpec("L", ("H",), (POSITIVE,), "inductor"), _l),
    "CPE": (
        ElementSpec("CPE", ("Ohm^-1 s^a", ""), (POSITIVE, FRACTION), "constant phase element"),
        _cpe,
    ),
    "W": (ElementSpec("W", ("Ohm s^-1/2",), (POSITIVE,), "semi-infinite Warburg"), _w),
    "Wo": (ElementSpec("Wo", ("Ohm", "s"), (POSITIVE, POSITIVE), "finite-space Warburg"), _wo),
    "Ws": (ElementSpec("Ws", ("Ohm", "s"), (POSITIVE, POSITIVE), "finite-length Warburg"), _ws),
    "G": (ElementSpec("G", ("Ohm", "s"), (POSITIVE, POSITIVE), "Gerischer"), _g),
    "Gs": (
        ElementSpec("Gs", ("Ohm", "s", ""), (POSITIVE,) * 3, "finite-length Gerischer"),
        _gs,
    ),
    "La": (
        ElementSpec("La", ("H s", ""), (POSITIVE, FRACTION), "modified inductance"),
        _la,
    ),
    "K": (ElementSpec("K", ("Ohm", "s"), (POSITIVE, POSITIVE), "Voigt RC element"), _k),
}

#: Element prefixes, longest first so that "CPE1" is a CPE and not a capacitor "C".
PREFIXES = tuple(sorted(ELEMENTS, key=len, reverse=True))
