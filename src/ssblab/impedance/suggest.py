"""Choosing a circuit for a solid-electrolyte spectrum (``--circuit auto``).

Candidates depend on the cell:

* ``pellet`` — blocking electrodes: series resistance, one to three arcs (bulk, grain
  boundary, surface layer) and a blocking CPE tail;
* ``symmetric`` — Li | SSE | Li: series resistance and one to three arcs, no tail
  (non-blocking electrodes return to a real value at low frequency);
* ``film`` — thin film on blocking electrodes: one or two arcs and a tail.

Without a cell type, a blocking tail is recognised from the low-frequency phase (steeper than
−45° and still falling) and the pellet candidates are used, else the symmetric ones. Each
candidate is fitted with ``initial="auto"``; candidates whose arcs escape the data are dropped,
and the Bayesian information criterion BIC = 2N ln(χ²/2N) + P ln(2N) (2N real data, P
parameters; Schwarz, Ann. Stat. 6 (1978) 461) picks the simplest circuit the data support.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ssblab.errors import SsblabInputError
from ssblab.impedance.circuits import parse_circuit
from ssblab.impedance.fitting import FitResult, fit
from ssblab.impedance.initial import escaped_arcs

CANDIDATES = {
    "pellet": (
        "R0-p(R1,CPE1)-CPE2",
        "R0-p(R1,CPE1)-p(R2,CPE2)-CPE3",
        "R0-p(R1,CPE1)-p(R2,CPE2)-p(R3,CPE3)-CPE4",
    ),
    "symmetric": (
        "R0-p(R1,CPE1)",
        "R0-p(R1,CPE1)-p(R2,CPE2)",
        "R0-p(R1,CPE1)-p(R2,CPE2)-p(R3,CPE3)",
    ),
    "film": ("R0-p(R1,CPE1)-CPE2", "R0-p(R1,CPE1)-p(R2,CPE2)-CPE3"),
}


@dataclass(frozen=True)
class Suggestion:
    circuit: str
    fit: FitResult
    cell: str
    table: tuple[dict, ...]  # every candidate: circuit, chi2, bic, escaped arcs, chosen


def has_blocking_tail(frequency_hz, z) -> bool:
    """Low-frequency phase below −45° and |Z| still rising as f falls."""
    order = np.argsort(frequency_hz)
    f, zz = np.asarray(frequency_hz)[order], np.asarray(z)[order]
    k = max(3, f.size // 20)
    phase = np.degrees(np.angle(zz[:k]))
    return bool(np.median(phase) < -45 and np.abs(zz[0]) > np.abs(zz[k - 1]))


def suggest_circuit(frequency_hz, z, cell: str | None = None, **fit_options) -> Suggestion:
    """Fit the candidates for ``cell`` and return the one BIC prefers (see module docstring)."""
    f = np.asarray(frequency_hz, dtype=float)
    z = np.asarray(z, dtype=complex)
    if cell is None:
        cell = "pellet" if has_blocking_tail(f, z) else "symmetric"
    if cell not in CANDIDATES:
        raise SsblabInputError(f"cell {cell!r}: use {', '.join(CANDIDATES)}")
    n_real = 2 * f.size
    rows, best = [], None
    for text in CANDIDATES[cell]:
        circuit = parse_circuit(text)
        if circuit.n_params >= n_real:
            continue
        result = fit(circuit, f, z, **fit_options)
        escaped = escaped_arcs(circuit, result.parameters, f, z)
        bic = n_real * np.log(max(result.chi2, 1e-300) / n_real) + circuit.n_params * np.log(n_real)
        rows.append(
            {"circuit": text, "chi2": result.chi2, "bic": float(bic), "escaped_arcs": escaped}
        )
        if not escaped and (best is None or bic < best[1]):
            best = (result, bic, text)
    if best is None:  # every candidate lost an arc: take the simplest
        text = CANDIDATES[cell][0]
        best = (fit(text, f, z, **fit_options), np.nan, text)
    table = tuple({**row, "chosen": row["circuit"] == best[2]} for row in rows)
    return Suggestion(circuit=best[2], fit=best[0], cell=cell, table=table)
