"""Warnings that belong to the analysis of a spectrum rather than to one fit's statistics.

The fitter (:mod:`ssblab.impedance.diagnostics`) flags what a fit's own numbers show: a
collapsed parameter, a relative standard error above 100 %, |correlation| > 0.999, structured
residuals, a covariance fall-back, χ² above the spectrum's noise floor. This module adds:

* **the spectrum fails the linear Kramers–Kronig test** (:func:`ssblab.impedance.kramers_kronig.
  kk_test`, Schönleber et al., Electrochim. Acta 131 (2014) 20; with a series inductance column
  when the high-frequency Z'' is inductive, as in the noise floor): a drifting, non-linear or
  out-of-range measurement has no equivalent circuit, and every fitted value is biased by an
  unknown amount. Cost: one Lin-KK sweep over M = 1 … ~N/2 (10–60 ms for 40–90 points);
* **an arc that escaped the data** (:func:`ssblab.impedance.initial.escaped_arcs`: τ more than
  a factor 30 above or 3 below the measured τ window, R negligible against the local |Z| or
  1000× the largest |Z|, or α < 0.35): the element describes no process of this spectrum and
  its values mean nothing — the circuit has more arcs than the data show.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ssblab.impedance.circuits import parse_circuit
from ssblab.impedance.fitting import FitResult
from ssblab.impedance.floor import is_inductive
from ssblab.impedance.initial import arc_slots, escaped_arcs


def kk_warning(frequency_hz, z) -> str | None:
    """One sentence when the spectrum fails the Lin-KK test, else None."""
    from ssblab.impedance.kramers_kronig import kk_test

    f = np.asarray(frequency_hz, dtype=float)
    z = np.asarray(z, dtype=complex)
    if f.size < 5:
        return None
    result = kk_test(f, z, add_inductance=is_inductive(f, z))
    if result.passed:
        return None
    return (
        f"The spectrum fails the linear Kramers–Kronig test (largest residual "
        f"{100 * result.max_abs_residual:.2g} %, systematic {100 * result.max_abs_trend:.2g} % "
        f"with M = {result.num_elements}): drift, non-linearity or an instrument artefact; "
        "every fitted value may be biased."
    )


def escaped_warnings(result: FitResult, frequency_hz, z) -> list[str]:
    """One sentence per arc of ``result`` that escaped the data."""
    circuit = parse_circuit(result.circuit)
    slots = arc_slots(circuit)
    out = []
    for i in escaped_arcs(circuit, result.parameters, frequency_hz, z):
        r_el, c_el = slots[i]
        out.append(
            f"Arc p({r_el.name},{c_el.name}) escaped the data (its τ, R or α left the range "
            "the spectrum shows): it describes no process; use a circuit with fewer arcs."
        )
    return out


def review(result: FitResult, frequency_hz, z, *, kk: bool = True) -> FitResult:
    """``result`` with the analysis warnings of the module docstring appended (no duplicates)."""
    extra = escaped_warnings(result, frequency_hz, z)
    if kk and (warning := kk_warning(frequency_hz, z)) is not None:
        extra.insert(0, warning)
    new = tuple(w for w in extra if w not in result.warnings)
    return replace(result, warnings=(*result.warnings, *new)) if new else result
