"""Which cell a cycling table comes from, read off the physics of its voltage.

An analysis made for one kind of cell gives confident nonsense on another: the symmetric-cell
analysis calls the flat 3.7 V plateau of a full cell a "short" with an ASR of 7e4 Ω·cm², and
the full-cell metrics swap charge and discharge when the current sign does not follow the tidy
contract (:mod:`ssblab.cycling.data`: positive = anodic at the working electrode). The checks
here decide from the data whether an analysis applies; the analyses refuse (a typed
:class:`CellTypeError`) or say what they assumed in a note.

**Cell voltage.** V = φ_WE − φ_CE (working minus counter electrode). At rest V is the
difference of the two electrodes' equilibrium potentials (the open-circuit voltage, OCV); under
current I each electrode is polarised in the direction of its current, so
V = OCV(state of charge) + sign(I)·|η| with |η| the total overpotential (ohmic, charge
transfer, concentration).

**Li | SSE | Li symmetric cell** (:func:`symmetric_evidence`). Both electrodes are lithium
metal, so the OCV is zero (ΔG = 0 for moving Li from one to the other; Nernst) and
V = sign(I)·|η|: positive on stripping (anodic current at the working electrode), negative on
plating, roughly mirror images. A half cell (an insertion electrode vs Li) or a full cell rests
at its OCV, away from zero — volts for cathodes and full cells, and still ≈ 0.085 V for the
lowest common Li-ion electrode, lithiated graphite LiC₆ (Ohzuku et al., J. Electrochem. Soc. 140
(1993) 2490) — and both of its half-cycles lie on the same side of 0 V. Criteria (all that the
data allow are applied; the first that fails is the reason given):

* rest: the median voltage at the end of the rests (runs of ≥ 2 rest rows: the relaxed value)
  satisfies |V_rest| ≤ ``OCV_TOL_V`` (0.05 V, "within tens of mV": instrument offsets are
  ≤ 1 mV, the rest is concentration and interface polarisation still relaxing) + half the
  working polarisation ``a`` defined below (a rest too short to relax a large η; a lithiated
  graphite half cell can pass this test, and is refused by the next);
* working half-cycles (both current signs present): with V_s and V_p the medians over the
  stripping and plating half-cycles of the signed plateau voltage (mean V over the second half
  of each half-cycle; half-cycles at the compliance limit left out, unless all of one kind
  are), the centre c = (V_s + V_p)/2 (the OCV the two branches straddle) and the polarisation
  a = (V_s − V_p)/2 must satisfy |c| ≤ ``OCV_TOL_V`` + (3/5)·|a|: opposite signs, and the
  smaller branch at least 1/``SYMMETRY_RATIO`` (4) of the larger. Both half-cycles carry the
  same current through the same electrolyte and each crosses one stripping and one plating
  interface (the working electrode strips while the counter electrode plates, then the
  reverse), so their overpotentials differ only by the difference between the two Li
  electrodes; in a cell built symmetric they agree within a factor of about 2, and 4 leaves
  room for an electrode that has degraded (voids). A shorted cell (both branches within tens
  of mV of 0 V) passes: it has no OCV either;
* one current sign only: the plateau must not have the sign opposite to the current (a half
  cell discharging at +2 V does not), and a rest is required to tell Li | Li from a half cell
  charging (without one the data are undecidable and refused).

A Li | Li cell whose voltage has the sign opposite to its current on both branches (a < 0) is
symmetric but its current sign is inverted relative to the contract ("strip" and "plate" are
swapped); this is reported (``inverted``), not repaired.

**Voltage response to the current** (:func:`current_sign_evidence`). Under the contract a
positive current oxidises the working electrode (delithiation of a cathode or of graphite
vs Li; charge of a full cell): φ_WE rises and φ_CE falls, so V rises during the step; both the
state-of-charge term dOCV/dQ and the overpotential have the sign of the current. A file whose
voltage falls on positive current and rises on negative current in at least
``INVERTED_FRACTION`` (2/3) of its decisive steps (≥ ``DECISIVE_STEPS`` (2) steps of ≥ 3 rows
with |ΔV| ≥ ``DV_MIN_V`` (5 mV) from the first to the last row; constant-voltage holds and flat
steps are not decisive) has its current sign inverted relative to the contract: its charge and
discharge capacities would be swapped and the Coulombic efficiency inverted.

**Working electrode vs Li** (:func:`electrode_window`). The median working voltage tells the
electrode pair: ≤ ``ANODE_MAX_V`` (1.7 V) with cycles that start with a cathodic step
(lithiation from the as-assembled OCV of ≈ 2.5–3 V) is a low-voltage (anode) electrode in a
Li-metal half cell — graphite 0.05–0.25 V, silicon 0.05–0.5 V, Li₄Ti₅O₁₂ 1.55 V (Ohzuku et al.,
J. Electrochem. Soc. 142 (1995) 1431). There "discharge" (negative current, voltage falling) is
the *lithiation* of the anode — what a full cell does to it on *charge* — so the cycle starts
with a discharge and CE = Q_charge/Q_discharge (delithiation/lithiation). A median ≥
``CATHODE_MIN_V`` (2.5 V) is a cathode vs Li or a full cell (every Li-ion cathode works above
2.5 V: LiFePO₄ 3.45 V, layered oxides 3.6–4.3 V, LiNi₀.₅Mn₁.₅O₄ 4.7 V). A negative median is
not a cell voltage vs Li (leads swapped, or a symmetric or unusual cell).

**Cycle numbering** (:func:`lumped_cycles`, :func:`recount_cycles`). A cycle is one
alternation of the two current signs starting with the first kind (charge-first or
discharge-first). When the instrument's ``cycle_index`` puts several alternations into one
cycle (an Arbin schedule without a cycle-increment step writes cycle 1 throughout), per-cycle
capacities and CE would add unrelated half-cycles; the cycles are then re-counted from the
step sequence (:func:`ssblab.cycling.data.cycles_from_steps`) and the analysis says so.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from ssblab.cycling.data import CyclingData, cycles_from_steps
from ssblab.cycling.steps import Segments, kind_codes, segments
from ssblab.errors import SsblabInputError

OCV_TOL_V = 0.05
SYMMETRY_RATIO = 4.0
DV_MIN_V = 0.005
DECISIVE_STEPS = 2
INVERTED_FRACTION = 2.0 / 3.0
ANODE_MAX_V = 1.7
CATHODE_MIN_V = 2.5
_CENTRE_SLOPE = (SYMMETRY_RATIO - 1.0) / (SYMMETRY_RATIO + 1.0)  # 3/5


class CellTypeError(SsblabInputError):
    """Data from a cell the analysis is not made for (e.g. a full cell given to the symmetric
    analysis), or with a current sign inverted relative to the tidy contract."""


def _v(x: float | None) -> str:
    return "–" if x is None else f"{x:+.3g} V"


# --------------------------------------------------------------------------- symmetric cells


@dataclass(frozen=True)
class SymmetricEvidence:
    """The verdict of :func:`symmetric_evidence` with the numbers it used (V)."""

    symmetric: bool
    reason: str  # one line: why not (or the evidence that it is)
    rest_V: float | None  # median relaxed rest voltage
    strip_V: float | None  # median signed plateau of the positive-current half-cycles
    plate_V: float | None  # … of the negative-current half-cycles
    centre_V: float | None  # (strip + plate)/2
    polarisation_V: float | None  # (strip − plate)/2
    n_rests: int
    n_strip: int
    n_plate: int
    inverted: bool = False  # voltage opposite in sign to the current on both branches

    def to_dict(self) -> dict:
        return asdict(self)


def rest_end_voltages(table: pd.DataFrame, seg: Segments | None = None) -> np.ndarray:
    """The voltage at the end of every rest step of ≥ 2 rows (the relaxed value), in V.

    Without ``seg``: the last row of every step (from ``step_index``), kept when it and the
    row before it are rest rows of that step — string comparisons only at the step ends, so a
    table of 10⁶ rows costs milliseconds."""
    if seg is not None:
        return seg.last_V[(seg.kind == 0) & (seg.rows >= 2)]
    step = table["step_index"].to_numpy()
    if step.size < 2:
        return np.array([], dtype=float)
    ends = np.append(np.flatnonzero(step[1:] != step[:-1]), step.size - 1)
    ends = ends[(ends > 0) & (step[ends - 1] == step[ends])]
    types = table["step_type"].to_numpy()
    rest = (types[ends] == "rest") & (types[ends - 1] == "rest")
    return table["voltage_V"].to_numpy(dtype=float)[ends[rest]]


def symmetric_evidence(strip_V, plate_V, rest_V) -> SymmetricEvidence:
    """Is this a Li | Li symmetric cell? (module docstring: rest, working and one-sign criteria)

    ``strip_V``/``plate_V``: signed plateau voltages (V) of the positive-/negative-current
    half-cycles; ``rest_V``: relaxed rest voltages (V). Any of them may be empty."""
    strip, plate, rest = (np.asarray(x, dtype=float) for x in (strip_V, plate_V, rest_V))
    strip, plate, rest = (x[np.isfinite(x)] for x in (strip, plate, rest))
    vs = float(np.median(strip)) if strip.size else None
    vp = float(np.median(plate)) if plate.size else None
    vr = float(np.median(rest)) if rest.size else None
    centre = polarisation = None
    if vs is not None and vp is not None:
        centre, polarisation = 0.5 * (vs + vp), 0.5 * (vs - vp)
    spread = abs(polarisation) if polarisation is not None else max(abs(vs or 0), abs(vp or 0))
    counts = {"n_rests": int(rest.size), "n_strip": int(strip.size), "n_plate": int(plate.size)}
    numbers = dict(
        rest_V=vr, strip_V=vs, plate_V=vp, centre_V=centre, polarisation_V=polarisation, **counts
    )

    def verdict(ok: bool, reason: str, inverted: bool = False) -> SymmetricEvidence:
        return SymmetricEvidence(symmetric=ok, reason=reason, inverted=inverted, **numbers)

    if vs is None and vp is None:
        return verdict(False, "no plating/stripping half-cycles")
    if vr is not None and abs(vr) > OCV_TOL_V + 0.5 * spread:
        return verdict(
            False,
            f"the cell rests at {vr:+.3g} V (median of {rest.size} rests); a Li | Li cell has no "
            f"open-circuit voltage (|V| at rest <= {OCV_TOL_V:g} V)",
        )
    if centre is not None:
        if abs(centre) > OCV_TOL_V + _CENTRE_SLOPE * abs(polarisation):
            same = (vs > 0) == (vp > 0)
            where = "both on the same side of 0 V" if same else "far from symmetric about 0 V"
            return verdict(
                False,
                f"positive-current half-cycles at {vs:+.3g} V and negative-current ones at "
                f"{vp:+.3g} V, {where} (centre {centre:+.3g} V); a Li | Li cell has opposite "
                "voltages on stripping and plating, symmetric about 0 V",
            )
        inverted = polarisation < 0 and abs(polarisation) > OCV_TOL_V / 2
        basis = f"strip {vs:+.3g} V, plate {vp:+.3g} V (centre {centre:+.3g} V)"
        if vr is not None:
            basis += f", rest {vr:+.3g} V"
        return verdict(True, basis, inverted)
    sign, value, name = (1.0, vs, "stripping") if vs is not None else (-1.0, vp, "plating")
    if sign * value < -OCV_TOL_V and vr is None:
        return verdict(
            False,
            f"only {'positive' if sign > 0 else 'negative'}-current steps, at {value:+.3g} V, "
            "and no rest: a half or full cell, not Li | Li",
        )
    if vr is None:
        return verdict(
            False,
            f"only {name} steps ({value:+.3g} V) and no rest: nothing tells a Li | Li cell "
            "(0 V at rest) from a half cell",
        )
    inverted = sign * value < -OCV_TOL_V
    return verdict(True, f"{name} at {value:+.3g} V, rest {vr:+.3g} V", inverted)


def symmetric_evidence_from_table(table: pd.DataFrame, seg: Segments | None = None):
    """:func:`symmetric_evidence` from the segments of a tidy table (no compliance filter)."""
    seg = segments(table) if seg is None else seg
    working = seg.kind != 0
    sign = np.sign(seg.current_A)
    plateau = seg.plateau_V
    return symmetric_evidence(
        plateau[working & (sign > 0)],
        plateau[working & (sign < 0)],
        rest_end_voltages(table, seg),
    )


# --------------------------------------------------------------------------- current sign


@dataclass(frozen=True)
class CurrentSignEvidence:
    """How the voltage moved during the decisive steps (module docstring)."""

    inverted: bool
    decisive_steps: int
    disagreeing_steps: int
    reason: str

    def to_dict(self) -> dict:
        return asdict(self)


def current_sign_evidence(seg: Segments) -> CurrentSignEvidence:
    """Does V rise on positive current and fall on negative current, as the contract implies?"""
    dv = seg.last_V - seg.first_V
    sign = np.sign(seg.current_A)
    decisive = (seg.kind != 0) & (seg.rows >= 3) & (np.abs(dv) >= DV_MIN_V) & (sign != 0)
    n = int(decisive.sum())
    against = decisive & (np.sign(dv) != sign)
    k = int(against.sum())
    up_on_neg = int((against & (sign < 0)).sum())
    down_on_pos = int((against & (sign > 0)).sum())
    inverted = n >= DECISIVE_STEPS and k >= INVERTED_FRACTION * n
    reason = (
        f"the voltage fell during {down_on_pos} positive-current step(s) and rose during "
        f"{up_on_neg} negative-current step(s), {k} of {n} steps with |dV| >= "
        f"{DV_MIN_V * 1e3:g} mV"
    )
    return CurrentSignEvidence(inverted, n, k, reason)


# --------------------------------------------------------------------------- electrode window


@dataclass(frozen=True)
class ElectrodeEvidence:
    """The working voltage window and what it says about the electrode pair (V)."""

    kind: str  # "anode half cell", "cathode or full cell", "negative voltage" or "unclassified"
    median_V: float
    low_V: float  # 2nd percentile of the working voltage
    high_V: float  # 98th percentile
    first_step: str  # "charge" or "discharge": the kind that starts the cycles
    note: str | None

    def to_dict(self) -> dict:
        return asdict(self)


def first_kind(seg: Segments) -> int:
    """+1 when most cycles start with a positive-current (charge) step, −1 with a discharge;
    a tie goes to the first cycle's first step."""
    active = seg.kind != 0
    if not active.any():
        return 1
    _, first = np.unique(seg.cycle[active], return_index=True)
    starts = seg.kind[active][first]
    total = int(starts.sum())
    if total == 0:
        return int(seg.kind[active][0])
    return 1 if total > 0 else -1


def electrode_window(table: pd.DataFrame, seg: Segments, first: int) -> ElectrodeEvidence:
    """Classify the electrode pair by the working voltage window (module docstring)."""
    working = kind_codes(table) != 0
    v = table["voltage_V"].to_numpy(dtype=float)[working]
    if v.size == 0:
        raise SsblabInputError("data: no charge or discharge steps (only rests)")
    low, median, high = (float(x) for x in np.percentile(v, [2, 50, 98]))
    step = "charge" if first > 0 else "discharge"
    window = f"{low:.3g}–{high:.3g} V (median {median:.3g} V)"
    if median < 0:
        return ElectrodeEvidence(
            "negative voltage", median, low, high, step,
            f"the working voltage is negative, {window}: not a cell voltage vs Li (leads swapped, "
            "or a symmetric cell); charge/discharge follow the current sign only",
        )  # fmt: skip
    if median <= ANODE_MAX_V and first < 0:
        return ElectrodeEvidence(
            "anode half cell", median, low, high, step,
            f"low-voltage working electrode vs Li, {window}, cycles starting with a "
            "discharge: an anode (graphite, Si, Li4Ti5O12) in a Li-metal half cell. "
            "'discharge' is its lithiation (negative current, voltage falling), 'charge' its "
            "delithiation: the reverse of a full cell's charge/discharge of that anode; "
            "CE = Q_charge/Q_discharge (delithiation/lithiation); capacity retention and fade "
            "use the lithiation ('discharge') capacity",
        )  # fmt: skip
    if median >= CATHODE_MIN_V:
        note = None
        if first < 0:
            note = (
                f"cathode or full cell, {window}, cycles starting with a discharge (assembled "
                "charged): CE = Q_charge/Q_discharge"
            )
        return ElectrodeEvidence("cathode or full cell", median, low, high, step, note)
    return ElectrodeEvidence("unclassified", median, low, high, step, None)


# --------------------------------------------------------------------------- cycle numbering


def lumped_cycles(seg: Segments, first: int) -> np.ndarray:
    """Cycle numbers of the file in which a run of ``first``-kind steps starts more than once
    (e.g. discharge, charge, discharge, charge all in cycle 1 of a discharge-first cell). A run
    starts at the cycle's first working step of that kind or where it follows the other kind."""
    active = seg.kind != 0
    kind, cycle = seg.kind[active], seg.cycle[active]
    if kind.size == 0:
        return np.array([], dtype=cycle.dtype)
    starts = kind == first
    starts[1:] &= (cycle[1:] != cycle[:-1]) | (kind[:-1] != first)
    numbers, counts = np.unique(cycle[starts], return_counts=True)
    return numbers[counts > 1]


def recount_cycles(table: pd.DataFrame, first_step: str) -> np.ndarray:
    """Per-row cycle numbers (from 1) from the step sequence: a new cycle at every
    ``first_step`` step that follows a step of the other kind (rests ignored)."""
    kind = kind_codes(table)
    types = np.where(kind > 0, "charge", np.where(kind < 0, "discharge", "rest"))
    return cycles_from_steps(types, first=first_step)


# --------------------------------------------------------------------------- explicit repair


def invert_current(data: CyclingData) -> CyclingData:
    """``data`` with its current sign inverted (charge ↔ discharge, strip ↔ plate), for a file
    recorded with the opposite sign convention. Only on request (``--invert-current``): the
    analyses refuse such files rather than flip them silently."""
    table = data.table
    swap = {"charge": "discharge", "discharge": "charge", "strip": "plate", "plate": "strip"}
    flipped = table.assign(
        current_A=-table["current_A"].to_numpy(dtype=float),
        cumulative_capacity_Ah=-table["cumulative_capacity_Ah"].to_numpy(dtype=float),
        step_type=table["step_type"].map(swap).fillna(table["step_type"]),
    )
    note = "current sign inverted on request: charge <-> discharge, strip <-> plate"
    return CyclingData(flipped, data.source, data.metadata, (*data.notes, note))
