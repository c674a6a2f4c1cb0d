"""Choosing a circuit for a solid-electrolyte spectrum (``--circuit auto``).

Candidates are built from four parts, in series::

    R0 [-L0 | -La0] [-p(R1,CPE1) … -p(Rn,CPEn)] [-tail],   n = 0 … 4

* ``R0``: the high-frequency intercept (bulk of an unresolved electrolyte, leads, contacts);
* a series inductor, only when the spectrum's high-frequency Z'' is inductive (Z'' > 0 at the
  majority of the top three frequencies, :func:`ssblab.impedance.floor.is_inductive`): ``L``
  (Z = jωL, cables and cell housing) and, once the best body is known, ``La`` (Z = (jωL)^α,
  BioLogic application note 42) — an inductive branch is a part of the circuit, never noise;
* zero to four arcs p(R, CPE), Z = R/(1 + RQ(jω)^α) (bulk, grain boundary, interfaces,
  charge transfer; zero: an intercept and a tail only, e.g. a pellet whose arcs lie above
  the measured frequencies);
* a low-frequency tail: none, a blocking ``CPE`` (1/(Q(jω)^α)), a semi-infinite Warburg ``W``
  (A_W(1 − j)/√ω), a finite-space ``Wo`` (Z0 coth√(jωτ)/√(jωτ), blocking diffusion) or a
  finite-length ``Ws`` (Z0 tanh√(jωτ)/√(jωτ), transmissive diffusion, returns to the real
  axis).

Which parts are tried depends on the cell (:data:`CELLS`) and on the data: when the
low-frequency end has no tail (|Z''| does not keep rising as f falls,
:func:`ssblab.impedance.floor.has_tail`), only "no tail" and ``Ws`` (both return to the real
axis) are tried — a cell option never forces a blocking tail onto a spectrum without one.

Search (few fits, each with the fitter's data-derived starts): (1) every admissible tail with
two arcs (or the cell's nearest arc count); (2) the two best tails with one arc fewer, and with
one arc more, then more, while BIC keeps falling — once the best so far is at the noise floor
(:meth:`ssblab.impedance.floor.NoiseFloor.accepts`: no structure is left for another arc) only
one candidate with one more arc is fitted, to say by how much BIC rejects it; (3) if the arc
count changed, the other tails at that count; (4) for an inductive spectrum, the two best
bodies also with ``La`` instead of ``L`` and without an inductor (a nested candidate the fitter
may reach more easily). Every candidate of a spectrum is fitted against the same
spectrum-level noise floor (:func:`ssblab.impedance.floor.spectrum_noise_floor`: its
ingredients — inductive and tail columns — depend on the spectrum, not on the candidate), and
all candidates fitted compete.

Choice. The Bayesian information criterion for Gaussian errors of unknown common variance,

    BIC = 2N ln(χ²/2N) + P ln(2N)

(2N real values, P free parameters, χ² modulus-weighted; Schwarz, Ann. Stat. 6 (1978) 461),
picks the candidate the data support best among those whose arcs stay inside the data
(:func:`ssblab.impedance.initial.escaped_arcs`: an escaped arc describes no process) and whose
CPE tail is a tail (α ≥ 0.4; a flatter "tail" is a resistor standing in for a missing arc).
Parameters the data do not determine (relative standard error > 100 %) do not disqualify a
candidate — BIC already weighs what the extra element buys — but the fit's warnings name them
and the interpretation never uses them (:mod:`ssblab.impedance.interpretation`). ΔBIC of
the runner-up, BIC_runner-up − BIC_chosen ≥ 0, is reported: ΔBIC > 10 is "very strong"
evidence for the chosen circuit, 6–10 "strong", 2–6 "positive", < 2 "not worth more than a
bare mention"
(Kass & Raftery, J. Am. Stat. Assoc. 90 (1995) 773, §3.2).

Validity: the candidates are series ladders of arcs; spectra that need nested circuits
(e.g. transmission lines, Gerischer) are described only approximately — the noise-floor
warning of the chosen fit says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from ssblab.errors import SsblabInputError
from ssblab.impedance.circuits import Element, Series, parse_circuit
from ssblab.impedance.fitting import FitResult, fit
from ssblab.impedance.floor import NoiseFloor, has_tail, is_inductive, spectrum_noise_floor
from ssblab.impedance.initial import arc_slots, escaped_arcs

TAILS = ("", "CPE", "W", "Wo", "Ws")  # "" = no tail
RETURNING_TAILS = ("", "Ws")  # tails that return to the real axis
FOLLOWED_TAILS = 2  # tails (best at the starting arc count) tried at the other arc counts
INDUCTOR_BODIES = 2  # best bodies re-fitted with La and without an inductor
TAIL_ALPHA_MIN = 0.4  # a CPE tail flatter than this is a resistor, not a tail


@dataclass(frozen=True)
class CellShapes:
    """The circuit shapes a cell type can show: arc counts and low-frequency tails."""

    arcs: tuple[int, ...]
    tails: tuple[str, ...]
    description: str


CELLS: dict[str, CellShapes] = {
    "pellet": CellShapes(
        (0, 1, 2, 3),
        ("", "CPE"),
        "blocking electrodes: bulk, grain-boundary, surface arcs, CPE tail",
    ),
    "symmetric": CellShapes(
        (0, 1, 2, 3), ("", "Ws", "W"), "Li | SSE | Li: arcs return to the real axis, or diffusion"
    ),
    "film": CellShapes((0, 1, 2), ("", "CPE"), "thin film on blocking electrodes"),
    "full": CellShapes(
        (2, 3, 4),
        TAILS,
        "composite/full cell: two to four arcs (electrolyte, interfaces, "
        "charge transfer) and a diffusion or blocking tail",
    ),
}
AUTO = CellShapes((0, 1, 2, 3, 4), TAILS, "any shape")


@dataclass(frozen=True)
class Candidate:
    """One fitted candidate circuit and how it scored."""

    circuit: str
    fit: FitResult
    n_params: int
    bic: float
    # arcs that escaped the data, whose R the data do not determine, or a CPE tail with α < 0.4
    escaped_arcs: tuple[str, ...]
    chi2_over_floor: float
    at_noise_floor: bool

    @property
    def eligible(self) -> bool:
        return not self.escaped_arcs and bool(np.isfinite(self.bic))


@dataclass(frozen=True)
class Suggestion:
    """The chosen circuit and fit, the runner-up and ΔBIC, and every candidate tried."""

    circuit: str
    fit: FitResult
    cell: str
    table: tuple[dict, ...]  # every candidate: circuit, chi2, bic, delta_bic, escaped, chosen
    runner_up: str | None = None
    delta_bic: float | None = None  # BIC(runner-up) − BIC(chosen) ≥ 0
    inductive: bool = False
    tail: bool = False
    noise_floor_chi2: float = float("nan")
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict:
        return {
            "cell": self.cell,
            "chosen": self.circuit,
            "runner_up": self.runner_up,
            "delta_bic": self.delta_bic,
            "high_frequency_inductive": self.inductive,
            "low_frequency_tail": self.tail,
            "noise_floor_chi2": self.noise_floor_chi2,
            "candidates": [dict(row) for row in self.table],
            "warnings": list(self.warnings),
        }


def has_blocking_tail(frequency_hz, z) -> bool:
    """Low-frequency phase below −45° and |Z| still rising as f falls (a blocking electrode)."""
    order = np.argsort(frequency_hz)
    f, zz = np.asarray(frequency_hz)[order], np.asarray(z)[order]
    k = max(3, f.size // 20)
    phase = np.degrees(np.angle(zz[:k]))
    return bool(np.median(phase) < -45 and np.abs(zz[0]) > np.abs(zz[k - 1]))


def circuit_text(n_arcs: int, tail: str = "", inductor: str = "") -> str:
    """``R0[-L0|-La0]-p(R1,CPE1)-…[-tail]`` with ``n_arcs`` arcs."""
    parts = ["R0"]
    if inductor:
        parts.append(f"{inductor}0")
    parts += [f"p(R{i},CPE{i})" for i in range(1, n_arcs + 1)]
    if tail:
        parts.append(f"{tail}{n_arcs + 1}")
    return "-".join(parts)


def bic(chi2: float, n_points: int, n_params: int) -> float:
    """BIC = 2N ln(χ²/2N) + P ln(2N) (see the module docstring); +inf for a failed fit."""
    n_real = 2 * n_points
    if not np.isfinite(chi2):
        return float("inf")
    return float(n_real * np.log(max(chi2, 1e-300) / n_real) + n_params * np.log(n_real))


def candidate_shapes(cell: str | None, inductive: bool, tail: bool) -> tuple[CellShapes, str]:
    """The shapes to try for ``cell`` on a spectrum with these features, and the inductor."""
    if cell is None:
        shapes = AUTO
    elif cell in CELLS:
        shapes = CELLS[cell]
    else:
        raise SsblabInputError(f"cell {cell!r}: use {', '.join(CELLS)} (or leave it out)")
    tails = shapes.tails if tail else tuple(t for t in shapes.tails if t in RETURNING_TAILS)
    if not tails:  # e.g. a full cell measured without its diffusion tail
        tails = ("",)
    return CellShapes(shapes.arcs, tails, shapes.description), ("L" if inductive else "")


class _Search:
    """Fits candidates once each (by circuit text) and scores them."""

    def __init__(self, f, z, floor: NoiseFloor, fit_options: dict):
        self.f, self.z, self.floor, self.options = f, z, floor, fit_options
        self.done: dict[str, Candidate] = {}

    def __call__(self, text: str) -> Candidate | None:
        if text in self.done:
            return self.done[text]
        circuit = parse_circuit(text)
        if circuit.n_params >= 2 * self.f.size:
            return None
        result = fit(circuit, self.f, self.z, floor=self.floor, **self.options)
        slots = arc_slots(circuit)
        escaped = tuple(
            f"p({slots[i][0].name},{slots[i][1].name})"
            for i in escaped_arcs(circuit, result.parameters, self.f, self.z)
        )
        tail = circuit.tree.children[-1] if isinstance(circuit.tree, Series) else None
        if (
            isinstance(tail, Element)
            and tail.kind == "CPE"
            and result.parameters[tail.first_param + 1] < TAIL_ALPHA_MIN
        ):
            escaped += (tail.name,)  # a flat "tail" is a resistor standing in for an arc
        ratio = result.chi2 / self.floor.chi2 if self.floor.chi2 > 0 else float("inf")
        candidate = Candidate(
            circuit=text,
            fit=result,
            n_params=circuit.n_params,
            bic=bic(result.chi2, self.f.size, circuit.n_params),
            escaped_arcs=escaped,
            chi2_over_floor=float(ratio),
            at_noise_floor=self.floor.accepts(result.chi2, circuit.n_params),
        )
        self.done[text] = candidate
        return candidate

    def ranked(self, texts) -> list[Candidate]:
        """The candidates for ``texts`` (fitted if new), eligible first, each group by BIC."""
        scored = [c for t in texts if (c := self(t)) is not None]
        return sorted(scored, key=lambda c: (not c.eligible, c.bic))

    def best(self, texts) -> Candidate:
        return self.ranked(texts)[0]


def suggest_circuit(frequency_hz, z, cell: str | None = None, **fit_options) -> Suggestion:
    """Fit the candidates for ``cell`` (``None``: any shape) and return the one BIC prefers.

    See the module docstring for the candidates, the search and the criterion.
    ``fit_options`` go to :func:`ssblab.impedance.fitting.fit` (e.g. ``weighting``).
    """
    f = np.asarray(frequency_hz, dtype=float)
    z = np.asarray(z, dtype=complex)
    floor = spectrum_noise_floor(f, z)
    inductive, tail = is_inductive(f, z), has_tail(f, z)
    shapes, inductor = candidate_shapes(cell, inductive, tail)
    search = _Search(f, z, floor, fit_options)
    start = min(shapes.arcs, key=lambda n: abs(n - 2))
    at_start = search.ranked(_texts(start, shapes.tails, inductor))
    if not at_start:
        smallest = parse_circuit(circuit_text(start, "", inductor)).n_params
        raise SsblabInputError(
            f"{f.size} points are too few for any candidate circuit (the smallest has "
            f"{smallest} parameters)"
        )
    tails = [_tail_of(c.circuit) for c in at_start][:FOLLOWED_TAILS]
    best_at = {start: at_start[0]}
    for step in (-1, 1):  # fewer arcs, then more arcs while BIC keeps falling
        n = start + step
        while n in shapes.arcs:
            previous = best_at[n - step]
            at_floor = step > 0 and previous.at_noise_floor and previous.eligible
            # at the noise floor nothing is left for another arc: one candidate says by how much
            ranked = search.ranked(_texts(n, tails[:1] if at_floor else tails, inductor))
            if not ranked:
                break
            best_at[n] = ranked[0]
            if at_floor or ranked[0].bic >= previous.bic:
                break
            n += step
    best = search.best([c.circuit for c in best_at.values()])
    n_best = _arcs_of(best.circuit)
    if n_best != start:  # the tails not followed, at the chosen arc count
        best = search.best([best.circuit, *_texts(n_best, shapes.tails, inductor)])
    if inductive:  # the best bodies with La, and without an inductor (L may fit worse)
        bodies = [(_arcs_of(c.circuit), _tail_of(c.circuit)) for c in search.ranked(search.done)]
        for n, tail_kind in list(dict.fromkeys(bodies))[:INDUCTOR_BODIES]:
            search.ranked([*_texts(n, (tail_kind,), "La"), *_texts(n, (tail_kind,), "")])
    best = search.best(list(search.done))  # one yardstick: every candidate fitted competes
    return _suggestion(search, best, "auto" if cell is None else cell, inductive, tail)


def _texts(n_arcs: int, tails, inductor: str) -> list[str]:
    """Candidate texts with ``n_arcs`` arcs and each tail (no bare R0 or R0-L0)."""
    return [circuit_text(n_arcs, t, inductor) for t in tails if n_arcs or t]


def _arcs_of(text: str) -> int:
    return text.count("p(")


def _tail_of(text: str) -> str:
    last = text.rsplit("-", 1)[-1]
    for tail in ("CPE", "Wo", "Ws", "W"):
        if last.startswith(tail) and last[len(tail) :].isdigit():
            return tail
    return ""


def _suggestion(search: _Search, best: Candidate, cell: str, inductive: bool, tail: bool):
    candidates = sorted(search.done.values(), key=lambda c: c.bic)
    others = [c for c in candidates if c.circuit != best.circuit]
    runner = next((c for c in others if c.eligible), None) if best.eligible else None
    warnings: list[str] = []
    if not best.eligible:
        warnings.append(
            f"every candidate lost an arc outside the measured frequencies; {best.circuit} "
            "(the lowest BIC) is shown but describes the data poorly"
        )
    rows = tuple(
        {
            "circuit": c.circuit,
            "n_params": c.n_params,
            "chi2": c.fit.chi2,
            "chi2_over_noise_floor": c.chi2_over_floor,
            "at_noise_floor": c.at_noise_floor,
            "bic": c.bic,
            "delta_bic": c.bic - best.bic,
            "escaped_arcs": list(c.escaped_arcs),
            "chosen": c.circuit == best.circuit,
        }
        for c in candidates
    )
    delta = None if runner is None else float(runner.bic - best.bic)
    result = best.fit
    if warnings:
        result = replace(result, warnings=(*result.warnings, *warnings))
    return Suggestion(
        circuit=best.circuit,
        fit=result,
        cell=cell,
        table=rows,
        runner_up=None if runner is None else runner.circuit,
        delta_bic=delta,
        inductive=inductive,
        tail=tail,
        noise_floor_chi2=search.floor.chi2,
        warnings=tuple(warnings),
    )
