"""Per-cycle metrics of a full cell (cathode | solid electrolyte | anode) from the tidy table.

Pure functions on the tidy cycling table of :mod:`ssblab.cycling.data` (positive current =
charge). Rows are grouped into *segments* — runs of rows with the same ``cycle_index``,
``step_index`` and ``step_type`` — and segments into cycles, all with numpy reductions (no
per-row Python loop). "strip"/"plate" steps count as charge/discharge.

Definitions, per cycle (``cycle_index`` as written by the instrument, unless re-counted below):

* capacities Q_ch, Q_dis (mAh): the net ``step_capacity_Ah`` of every charge / discharge
  segment (value at its last row minus its first — the trapezoidal |∫ I dt| of the contract),
  summed over the cycle; per gram of active material with ``active_mass_g`` (mAh/g) and per
  electrode area with ``area_cm2`` (mAh/cm²);
* Coulombic efficiency CE = Q_dis/Q_ch for a cell that starts with a charge (cathode-first, e.g.
  Li | LLZTO | NMC811 assembled in the discharged state), Q_ch/Q_dis when the cycles start with
  a discharge (an anode vs Li: lithiation, then delithiation); a fraction (0–1), not a %;
* energies E_ch, E_dis (Wh): |∫ V·I dt| by trapezoids within each segment; ``energy_Wh`` is the
  discharge (delivered) energy, ``energy_efficiency`` = E_dis/E_ch (charge-first);
* mean voltages V̄ = E/Q, the capacity-weighted mean ∫V dQ / Q (V);
* step currents: Q/duration, the mean |I| of the step (exact for constant current; for CC-CV
  charging it is below the CC current, which is why the C-rate uses the discharge);
  ``c_rate`` = discharge current / nominal capacity (1 C), the charge current where a cycle has no
  discharge. Nominal capacity: ``nominal_capacity_mAh``, or ``nominal_specific_capacity_mAh_g``
  × ``active_mass_g`` (e.g. 180 mAh/g for NMC811, "1 C = 180 mA g⁻¹"), else the discharge
  capacity of the reference cycle;
* retention (%) = 100·Q_dis(c)/Q_dis(reference).

Formation cycles (``formation_cycles=None``: detected from the current): the leading run of
cycles whose cycle current is below ``formation_current_ratio`` (0.8) × the main cycling current
(median cycle current after the first ``max_formation_cycles`` cycles); a leading run longer than
``max_formation_cycles`` (5) is taken as a rate test, not formation, and nothing is flagged.
E.g. two cycles at 0.1 C before cycling at 0.5 C (seed 000: Li/LLZTO/NMC811) → cycles 1 and 2.
The reference cycle (default) is the first complete cycle (with both a charge and a discharge)
after formation; ``retention_percent`` compares the last cycle with a discharge to it.

Which cell (:mod:`ssblab.cycling.checks`, ``check_cell=True``): data that look like a Li | Li
symmetric cell (no OCV, voltage changing sign with the current) and data whose voltage falls on
positive current (current sign inverted relative to the contract: charge and discharge would be
swapped) are refused with :class:`~ssblab.cycling.checks.CellTypeError`; with
``check_cell=False`` they are analysed and a note says what the checks found. ``first_step``
"auto" (default) takes the kind that starts most cycles; the working voltage window names the
electrode pair in a note when it matters (an anode vs Li, 0–1.7 V, whose lithiation is the
"discharge"). When the file's ``cycle_index`` holds several alternations in one cycle, cycles
are re-counted from the step sequence (note; ``cycles_recounted``). A first (last) half-cycle
with less than ``TRUNCATED_FRACTION`` (½) of the neighbouring cycle's capacity at the same
current (±20 %), starting (ending) away from the voltage where that one starts (ends), was cut
short by the start (end) of the test: its cycle is not complete (CE NaN; note).

Incremental capacity dQ/dV: :mod:`ssblab.cycling.dqdv` (:func:`dqdv`, re-exported here).

Validity: constant-current steps for the C-rate; a cycle must hold both a charge and a discharge
for CE and energy efficiency (else NaN). Whole-test rests carry no capacity and are ignored.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ssblab.cycling.checks import (
    CellTypeError,
    current_sign_evidence,
    electrode_window,
    first_kind,
    lumped_cycles,
    recount_cycles,
    symmetric_evidence_from_table,
)
from ssblab.cycling.dqdv import DQDV_METHOD, DqdvResult, dqdv  # noqa: F401  (public here too)
from ssblab.cycling.steps import (  # noqa: F401  (public here too)
    ANODIC,
    CATHODIC,
    Segments,
    as_table,
    kind_codes,
    segments,
)
from ssblab.cycling.steps import positive_number as _positive
from ssblab.errors import SsblabInputError

TRUNCATED_FRACTION = 0.5  # last half-cycle below this fraction of the previous one: cut short
SAME_CURRENT = 0.2  # … at a current within ±20 % of it (not a rate step)

CYCLE_COLUMNS = (
    "cycle",
    "charge_mAh",
    "discharge_mAh",
    "charge_mAh_g",
    "discharge_mAh_g",
    "charge_mAh_cm2",
    "discharge_mAh_cm2",
    "coulombic_efficiency",
    "charge_energy_Wh",
    "discharge_energy_Wh",
    "energy_Wh",
    "energy_efficiency",
    "discharge_Wh_kg",
    "mean_charge_voltage_V",
    "mean_discharge_voltage_V",
    "voltage_hysteresis_V",
    "charge_current_A",
    "discharge_current_A",
    "c_rate",
    "charge_c_rate",
    "retention_percent",
    "formation",
    "complete",
)


# --------------------------------------------------------------------------- formation


def formation_cycles_from_current(
    cycles: Sequence[int],
    current_A: Sequence[float],
    *,
    ratio: float = 0.8,
    max_cycles: int = 5,
) -> tuple[int, ...]:
    """Leading cycles run at a lower |current| than the main cycling (see module docstring).

    ``current_A``: one current per cycle (e.g. the discharge current), in cycle order."""
    c = np.asarray(current_A, dtype=float)
    n = np.asarray(cycles)
    if c.shape != n.shape or c.ndim != 1:
        raise SsblabInputError("current_A: one current per cycle expected")
    if not 0 < ratio < 1:
        raise SsblabInputError(f"formation_current_ratio must lie in (0, 1), got {ratio}")
    if max_cycles < 0:
        raise SsblabInputError(f"max_formation_cycles must be ≥ 0, got {max_cycles}")
    if c.size < 2 or max_cycles == 0:
        return ()
    later = c[max_cycles:] if c.size > max_cycles else c
    later = later[np.isfinite(later) & (later > 0)]
    if later.size == 0:
        return ()
    main = float(np.median(later))
    low = np.isfinite(c) & (c < ratio * main)
    run = int(np.argmin(low)) if not low.all() else c.size
    if run == 0 or run > max_cycles or run == c.size:
        return ()
    return tuple(int(x) for x in n[:run])


# --------------------------------------------------------------------------- per-cycle metrics


@dataclass(frozen=True)
class FullCellResult:
    """Per-cycle metrics; ``cycles`` has the columns listed in :data:`CYCLE_COLUMNS`."""

    cycles: pd.DataFrame
    reference_cycle: int | None
    formation_cycles: tuple[int, ...]
    retention_percent: float
    last_cycle: int | None
    nominal_capacity_mAh: float
    nominal_capacity_source: str
    active_mass_g: float | None = None
    area_cm2: float | None = None
    first_step: str = "charge"
    notes: tuple[str, ...] = field(default=())
    cycles_recounted: bool = False  # cycle numbers re-counted from the step sequence

    def cycle(self, number: int) -> dict:
        """The row of one cycle as a dict."""
        rows = self.cycles[self.cycles["cycle"] == number]
        if rows.empty:
            raise SsblabInputError(f"cycle {number} not in the table")
        return _records(rows)[0]

    def to_dict(self) -> dict:
        return {
            "cycles": _records(self.cycles),
            "reference_cycle": self.reference_cycle,
            "formation_cycles": list(self.formation_cycles),
            "retention_percent": _num(self.retention_percent),
            "last_cycle": self.last_cycle,
            "nominal_capacity_mAh": _num(self.nominal_capacity_mAh),
            "nominal_capacity_source": self.nominal_capacity_source,
            "active_mass_g": self.active_mass_g,
            "area_cm2": self.area_cm2,
            "first_step": self.first_step,
            "cycles_recounted": self.cycles_recounted,
            "notes": list(self.notes),
        }


def _num(x):
    """JSON-friendly scalar: NaN/inf → None, numpy → Python."""
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _records(frame: pd.DataFrame) -> list[dict]:
    columns = list(frame.columns)
    values = [frame[c].to_numpy() for c in columns]
    return [
        {c: _num(col[k]) for c, col in zip(columns, values, strict=True)} for k in range(len(frame))
    ]


def _nominal(nominal_capacity_mAh, nominal_specific_capacity_mAh_g, active_mass_g):
    """(nominal mAh or None, source) from the user's options."""
    nominal = _positive(nominal_capacity_mAh, "nominal_capacity_mAh")
    specific = _positive(nominal_specific_capacity_mAh_g, "nominal_specific_capacity_mAh_g")
    if nominal is not None and specific is not None:
        raise SsblabInputError(
            "nominal_capacity_mAh: give it or nominal_specific_capacity_mAh_g, not both"
        )
    if specific is not None:
        if active_mass_g is None:
            raise SsblabInputError("nominal_specific_capacity_mAh_g needs active_mass_g")
        return specific * active_mass_g, f"{specific:g} mAh/g × {active_mass_g:g} g"
    if nominal is not None:
        return nominal, "given"
    return None, ""


def fullcell_metrics(
    data,
    *,
    active_mass_g: float | None = None,
    area_cm2: float | None = None,
    nominal_capacity_mAh: float | None = None,
    nominal_specific_capacity_mAh_g: float | None = None,
    formation_cycles: int | Sequence[int] | None = None,
    reference_cycle: int | None = None,
    first_step: str = "auto",
    formation_current_ratio: float = 0.8,
    max_formation_cycles: int = 5,
    check_cell: bool = True,
) -> FullCellResult:
    """Per-cycle capacity, CE, energy, mean voltages, C-rate and retention (module docstring).

    ``formation_cycles``: None = detect from the current; an int = that many leading cycles; a
    sequence = those cycle numbers. ``reference_cycle``: default the first complete cycle after
    formation. ``first_step``: "auto", "charge" or "discharge". ``check_cell``: refuse data from
    a symmetric cell or with an inverted current sign (:mod:`ssblab.cycling.checks`)."""
    table = as_table(data)
    mass = _positive(active_mass_g, "active_mass_g")
    area = _positive(area_cm2, "area_cm2")
    if first_step not in ("auto", "charge", "discharge"):
        raise SsblabInputError(
            f"first_step must be 'auto', 'charge' or 'discharge', got {first_step!r}"
        )
    nominal, nominal_source = _nominal(nominal_capacity_mAh, nominal_specific_capacity_mAh_g, mass)
    seg = segments(table)
    if not (seg.kind != 0).any():
        raise SsblabInputError("data: no charge or discharge steps (only rests)")
    notes: list[str] = []
    _check_cell(table, seg, check_cell, notes)
    first_step, seg, recounted = _cycle_structure(table, seg, first_step, notes)
    active = seg.kind != 0
    cycle_numbers, inverse = np.unique(seg.cycle[active], return_inverse=True)
    n_cycles = cycle_numbers.size

    def per_cycle(values, kind):
        mask = seg.kind[active] == kind
        return np.bincount(inverse[mask], weights=values[active][mask], minlength=n_cycles)

    q_ch = per_cycle(seg.capacity_Ah, 1) * 1000.0
    q_dis = per_cycle(seg.capacity_Ah, -1) * 1000.0
    e_ch = per_cycle(seg.energy_Wh, 1)
    e_dis = per_cycle(seg.energy_Wh, -1)
    t_ch = per_cycle(seg.duration_s, 1)
    t_dis = per_cycle(seg.duration_s, -1)
    has_ch = per_cycle(np.ones(seg.kind.size), 1) > 0
    has_dis = per_cycle(np.ones(seg.kind.size), -1) > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        i_ch = np.where(t_ch > 0, q_ch * 3.6 / t_ch, np.nan)  # mAh·3.6/s = A
        i_dis = np.where(t_dis > 0, q_dis * 3.6 / t_dis, np.nan)
        v_ch = np.where(q_ch > 0, e_ch * 1000.0 / q_ch, np.nan)
        v_dis = np.where(q_dis > 0, e_dis * 1000.0 / q_dis, np.nan)
    truncated = _cut_short(seg, cycle_numbers, (q_ch, q_dis), notes)
    complete = has_ch & has_dis & ~truncated
    with np.errstate(divide="ignore", invalid="ignore"):
        if first_step == "charge":
            ce = np.where(complete & (q_ch > 0), q_dis / q_ch, np.nan)
            ee = np.where(complete & (e_ch > 0), e_dis / e_ch, np.nan)
        else:
            ce = np.where(complete & (q_dis > 0), q_ch / q_dis, np.nan)
            ee = np.where(complete & (e_dis > 0), e_ch / e_dis, np.nan)
    cut_discharge = truncated & (seg.kind[active][-1] < 0)
    cut_discharge[:-1] = False  # only a cut-short last discharge is not a discharge to use
    cycle_current = np.where(np.isfinite(i_dis), i_dis, i_ch)

    # formation cycles
    if formation_cycles is None:
        formation = formation_cycles_from_current(
            cycle_numbers,
            cycle_current,
            ratio=formation_current_ratio,
            max_cycles=max_formation_cycles,
        )
        if formation:
            notes.append(
                f"formation cycles {', '.join(map(str, formation))} detected from the current "
                f"(below {formation_current_ratio:g} × the main cycling current)"
            )
    elif isinstance(formation_cycles, (int, np.integer)) and not isinstance(formation_cycles, bool):
        if not 0 <= formation_cycles < n_cycles:
            raise SsblabInputError(
                f"formation_cycles: {formation_cycles} leading cycles requested, "
                f"the table has {n_cycles}"
            )
        formation = tuple(int(x) for x in cycle_numbers[: int(formation_cycles)])
    else:
        try:
            formation = tuple(sorted(int(x) for x in formation_cycles))
        except (TypeError, ValueError):
            raise SsblabInputError(
                "formation_cycles: an int count or a sequence of cycle numbers"
            ) from None
        missing = sorted(set(formation) - set(cycle_numbers.tolist()))
        if missing:
            raise SsblabInputError(f"formation_cycles: cycles {missing} not in the table")
    is_formation = np.isin(cycle_numbers, formation)

    # reference cycle
    if reference_cycle is None:
        candidates = cycle_numbers[complete & ~is_formation]
        if candidates.size == 0:
            candidates = cycle_numbers[has_dis & ~is_formation]
        reference = int(candidates[0]) if candidates.size else None
        if reference is None:
            notes.append("no cycle with a discharge after formation: no reference cycle")
    else:
        if int(reference_cycle) not in set(cycle_numbers.tolist()):
            raise SsblabInputError(
                f"reference_cycle: cycle {reference_cycle} not in the table (cycles "
                f"{int(cycle_numbers[0])}–{int(cycle_numbers[-1])})"
            )
        reference = int(reference_cycle)
    q_ref = float(q_dis[cycle_numbers == reference][0]) if reference is not None else math.nan
    if reference is not None and not q_ref > 0:
        notes.append(f"reference cycle {reference} has no discharge capacity")
        q_ref = math.nan

    if nominal is None:
        nominal = q_ref
        nominal_source = f"discharge capacity of reference cycle {reference}"
    with np.errstate(divide="ignore", invalid="ignore"):
        c_rate = cycle_current * 1000.0 / nominal
        charge_c_rate = i_ch * 1000.0 / nominal
        retention = 100.0 * q_dis / q_ref
    _check_repeated(cycle_numbers, cycle_current, retention, complete, reference, check_cell, notes)
    last_with_dis = cycle_numbers[has_dis & ~cut_discharge]
    last = int(last_with_dis[-1]) if last_with_dis.size else None
    if n_cycles and not has_dis[-1]:
        notes.append(f"last cycle {int(cycle_numbers[-1])} has no discharge (incomplete)")
    retention_last = float(retention[cycle_numbers == last][0]) if last is not None else math.nan
    nan = np.full(n_cycles, np.nan)
    frame = pd.DataFrame(
        {
            "cycle": cycle_numbers.astype(int),
            "charge_mAh": q_ch,
            "discharge_mAh": q_dis,
            "charge_mAh_g": q_ch / mass if mass else nan,
            "discharge_mAh_g": q_dis / mass if mass else nan,
            "charge_mAh_cm2": q_ch / area if area else nan,
            "discharge_mAh_cm2": q_dis / area if area else nan,
            "coulombic_efficiency": ce,
            "charge_energy_Wh": e_ch,
            "discharge_energy_Wh": e_dis,
            "energy_Wh": e_dis,
            "energy_efficiency": ee,
            "discharge_Wh_kg": e_dis / (mass * 1e-3) if mass else nan,
            "mean_charge_voltage_V": v_ch,
            "mean_discharge_voltage_V": v_dis,
            "voltage_hysteresis_V": v_ch - v_dis,
            "charge_current_A": i_ch,
            "discharge_current_A": i_dis,
            "c_rate": c_rate,
            "charge_c_rate": charge_c_rate,
            "retention_percent": retention,
            "formation": is_formation,
            "complete": complete,
        },
        columns=list(CYCLE_COLUMNS),
    )
    return FullCellResult(
        cycles=frame,
        reference_cycle=reference,
        formation_cycles=tuple(formation),
        retention_percent=retention_last,
        last_cycle=last,
        nominal_capacity_mAh=float(nominal),
        nominal_capacity_source=nominal_source,
        active_mass_g=mass,
        area_cm2=area,
        first_step=first_step,
        notes=tuple(notes),
        cycles_recounted=recounted,
    )


#: Largest discharge capacity, relative to the reference cycle at the same current, that a
#: cycling test can show. Activation and formation raise the capacity by tens of percent at
#: most; a test whose capacity grows several-fold at one current is a sequence of pulses or of
#: steps of increasing length (chronopotentiometry, GITT), not repeated cycles.
CAPACITY_RISE_LIMIT = 2.0
SAME_CURRENT = 0.1  # relative: cycles within 10 % of the reference current count as "the same"


def _check_repeated(cycles, current, retention, complete, reference, check, notes) -> None:
    """Refuse (``check``) or note a "cycling" test whose capacity grows several-fold at the
    reference current (:data:`CAPACITY_RISE_LIMIT`): its retention and C-rates mean nothing."""
    if reference is None:
        return
    i_ref = abs(float(current[cycles == reference][0]))
    with np.errstate(invalid="ignore"):
        same = complete & (np.abs(np.abs(current) / i_ref - 1) <= SAME_CURRENT)
        rising = same & (retention > 100.0 * CAPACITY_RISE_LIMIT)
    if not rising.any():
        return
    k = int(np.argmax(np.where(rising, retention, -np.inf)))
    problem = (
        f"cycle {int(cycles[k])} holds {retention[k]:.0f} % of reference cycle {reference}'s "
        "discharge capacity at the same current: repeated charge/discharge cycles do not gain "
        f"capacity {retention[k] / 100:.3g}-fold; these look like pulses or steps of growing "
        "length (chronopotentiometry, GITT), not cycles to analyse"
    )
    if check:
        raise CellTypeError(problem)
    notes.append(f"cell checks overridden: {problem}")


def _check_cell(table: pd.DataFrame, seg: Segments, check: bool, notes: list[str]) -> None:
    """Refuse (``check``) or note data from a symmetric cell or with an inverted current."""
    problems = []
    symmetric = symmetric_evidence_from_table(table, seg)
    if symmetric.symmetric:
        problems.append(
            f"the data look like a Li | Li symmetric cell ({symmetric.reason}): use the "
            "symmetric-cell analysis (ssblab cycle symmetric)"
        )
    sign = current_sign_evidence(seg)
    if sign.inverted:
        problems.append(
            "the current sign is inverted relative to the tidy contract (positive = anodic at "
            f"the working electrode, the voltage rising): {sign.reason}; charge and discharge "
            "capacities would be swapped and the CE inverted (invert the current explicitly: "
            "--invert-current, ssblab.cycling.checks.invert_current)"
        )
    if problems and check:
        raise CellTypeError(problems[0])
    notes.extend(f"cell checks overridden: {problem}" for problem in problems)


def _cycle_structure(table, seg: Segments, first_step: str, notes: list[str]):
    """(first step, segments with the cycles to use, re-counted?) — module docstring."""
    observed = first_kind(seg)
    window = electrode_window(table, seg, observed)
    if first_step == "auto":
        first_step = window.first_step
        if window.note:
            notes.append(window.note)
    elif first_step != window.first_step:
        notes.append(
            f"first_step {first_step!r} given, although most cycles start with a "
            f"{window.first_step} (working voltage {window.low_V:.3g}–{window.high_V:.3g} V)"
        )
    first = 1 if first_step == "charge" else -1
    lumped = lumped_cycles(seg, first)
    if lumped.size == 0:
        return first_step, seg, False
    cycles = recount_cycles(table, first_step)
    other = "discharge" if first == 1 else "charge"
    shown = ", ".join(str(int(c)) for c in lumped[:5]) + (" …" if lumped.size > 5 else "")
    notes.append(
        f"the file's cycle_index holds more than one {first_step}/{other} alternation in "
        f"cycle(s) {shown}: cycles re-counted from the step sequence (a new cycle at every "
        f"{first_step} after a {other}), {int(cycles.max())} cycles from 1"
    )
    return first_step, segments(table, cycle=cycles), True


def _cut_short(seg: Segments, cycle_numbers, capacities, notes) -> np.ndarray:
    """Boolean per cycle: the first or last cycle whose first (last) half-cycle was cut short —
    the test started part-way into it (a cell already partly charged) or stopped during it.
    Criterion, against the same half-cycle kind of the neighbouring cycle: below
    TRUNCATED_FRACTION of its capacity, at the current of the neighbour's first (last) step of
    that kind (±SAME_CURRENT; the CC part of a CC-CV charge), and starting
    (ending) away from the voltage at which the neighbour starts (ends) by more than a quarter
    of the neighbour's voltage swing. A real capacity drop ends at the same cut-off voltage."""
    out = np.zeros(cycle_numbers.size, dtype=bool)
    if cycle_numbers.size < 2:
        return out
    active = np.flatnonzero(seg.kind != 0)
    for end in ("first", "last"):
        row = active[0] if end == "first" else active[-1]
        kind = int(seg.kind[row])
        j = int(np.searchsorted(cycle_numbers, seg.cycle[row]))
        neighbour = j + 1 if end == "first" else j - 1
        if not 0 <= neighbour < cycle_numbers.size:
            continue
        q = capacities[0] if kind > 0 else capacities[1]
        same = active[(seg.kind[active] == kind) & (seg.cycle[active] == cycle_numbers[neighbour])]
        if not (q[neighbour] > 0 and same.size):
            continue
        twin = same[0] if end == "first" else same[-1]  # e.g. the CC part of a CC-CV charge
        swing = abs(seg.last_V[same[-1]] - seg.first_V[same[0]])
        if end == "first":
            here, there = seg.first_V[row], seg.first_V[twin]
        else:
            here, there = seg.last_V[row], seg.last_V[twin]
        short = q[j] < TRUNCATED_FRACTION * q[neighbour]
        same_current = abs(seg.current_A[row] / seg.current_A[twin] - 1.0) <= SAME_CURRENT
        if short and same_current and abs(here - there) > 0.25 * swing:
            out[j] = True
            name = "charge" if kind > 0 else "discharge"
            verb = "starts" if end == "first" else "ends"
            cause = "began part-way into" if end == "first" else "stops during"
            notes.append(
                f"cycle {int(cycle_numbers[j])}: its {end} {name} holds {q[j]:.4g} mAh, "
                f"{100 * q[j] / q[neighbour]:.0f} % of cycle {int(cycle_numbers[neighbour])}'s "
                f"at the same current, and {verb} at {here:.4g} V, not at {there:.4g} V as that "
                f"one: the test {cause} the step (cycle incomplete, no CE)"
            )
    return out
