"""Seed 004: Li | ALD-Al2O3 | LATP | ALD-Al2O3 | Li at 0.01 mA/cm², 1-h steps, 300 cycles.

**Experiment** (seed 004 Results, Figures 1 and S4/S5; knowledge-base ids ``s004-ovp-*``): bare
LATP rises from 0.1 V to 3.5 V over 300 cycles. With n ALD cycles of Al2O3 (0.10 nm/cycle), the
overpotential at cycle 300 is U-shaped in n: 25: 2.25 V, 50: 2 V, 100: 1.5 V, 150: 0.9 V (the
optimum), 200: 2 V, 250: 5 V.

**Model** (:func:`ssblab.models.simulator.simulate_symmetric` on the ``latp_ald_al2o3`` set with
``ald_cycles`` = n; nothing else changes between the seven cells):

* *too thin*: Li and electrons reach LATP through the coating's exposed area fraction
  φ = exp(−L/λ), λ = 2.5 nm fixed a priori (:func:`ssblab.models.coating.exposed_fraction`). The
  Ti³⁺ interphase grows fed through φ (L_int² = 2φkt,
  :meth:`~ssblab.models.interphase.Interphase.fed_through`), so thin coatings follow bare LATP at
  √φ of its interphase resistance;
* *too thick*: the coating lithiates from the Li side with a logarithmic front that stalls near
  19 nm by 600 h (:mod:`ssblab.models.coating`); the unlithiated remainder of a thicker film keeps
  the pristine Al2O3 resistance.

**Calibration** (:func:`calibrate_al2o3`, live; the catalogue constants in
:mod:`ssblab.models.coating` are its output and a test keeps them equal). Three parameters of the
coating are fitted on three numbers of LATP@150 and LATP@250: σ_lithiated on 0.9 V at cycle 300 of
LATP@150; the lithiation law (A, τ) on LATP@150 being lithiated through at cycle 100 (s = 15 nm at
199 h) and on 5 V at cycle 300 of LATP@250. The pristine σ is derived from 10 V at cycle 1 of
LATP@150, the interphase rate from the bare EELS depth and its σ from the bare 0.1 → 3.5 V
(:mod:`ssblab.models.interphase`). Every other number below — 25, 50, 100 and 200 cycles, the
time courses, the position of the optimum — is a prediction. The calibration neglects the bulk
and charge-transfer terms (≈ 15 mV in all), which the simulation includes.

**Overpotential of cycle N** = the mean of the plateau |V| (second half of each half-cycle,
:func:`ssblab.cycling.symmetric.half_cycles`) of its strip and plate half-cycles. For cycle 1 the
papers quote the initial peak ("a large over potential of 10 V is obtained in the first cycle"),
so cycle-1 rows use the peak |V|.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import numpy as np
from scipy.optimize import brentq

from ssblab.cycling.symmetric import analyse_symmetric
from ssblab.models import coating as coat
from ssblab.models.interphase import interphase
from ssblab.models.parameter_schema import parameter_set, with_overrides
from ssblab.models.simulator import (
    constant_current_protocol,
    face_interphase,
    simulate_symmetric,
)
from ssblab.replicate.rows import Replication, Row, compare, fitted_parameter

HOUR = 3600.0
CURRENT_DENSITY_A_M2 = 0.1  # 0.01 mA/cm² (s004-sym-current-density)
CYCLES = 300  # s004-sym-cycle-count
STEP_S = 3600.0  # s004-sym-cycle-time: 1-h steps, 2 h per cycle
ALD_CYCLES = (0, 25, 50, 100, 150, 200, 250)
PARAMETER_SET = "latp_ald_al2o3"
#: Relative tolerance for "agrees": the seed reads values off figures (0.9 V, "~2 V", "5 V").
REL_TOL = 0.3

#: (ALD cycles, cell cycle) -> (paper value V, knowledge-base id, kind).
PAPER: dict[tuple[int, int], tuple[float, str, str]] = {
    (0, 1): (0.1, "s004-ovp-bare-c1", "fitted"),
    (0, 300): (3.5, "s004-ovp-bare-c300", "fitted"),
    (25, 1): (2.0, "s004-ovp-al25-c1", "predicted"),
    (25, 100): (1.0, "s004-ovp-al25-c100", "predicted"),
    (25, 300): (2.25, "s004-ovp-al25-c300", "predicted"),
    (50, 1): (6.0, "s004-ovp-al50-c1", "predicted"),
    (50, 100): (0.8, "s004-ovp-al50-c100", "predicted"),
    (50, 300): (2.0, "s004-ovp-al50-c300", "predicted"),
    (100, 1): (8.0, "s004-ovp-al100-c1", "predicted"),
    (100, 100): (0.8, "s004-ovp-al100-c100", "predicted"),
    (100, 200): (1.2, "s004-ovp-al100-c200", "predicted"),
    (100, 300): (1.5, "s004-ovp-al100-c300", "predicted"),
    (150, 1): (10.0, "s004-ovp-al150-c1", "fitted"),
    (150, 100): (0.9, "s004-ovp-al150-c100", "fitted"),
    (150, 200): (0.9, "s004-ovp-al150-c200", "predicted"),
    (150, 300): (0.9, "s004-ovp-al150-c300", "fitted"),
    (200, 300): (2.0, "s004-ovp-al200", "predicted"),
    (250, 300): (5.0, "s004-ovp-al250", "fitted"),
}
#: LATP@175Li3PO4 (15 nm ALD Li3PO4): cycle -> (paper V, knowledge-base id, kind). The pristine
#: σ of the Li3PO4 film is derived from cycle 1 (models.coating), the rest are predictions.
LI3PO4_PAPER: dict[int, tuple[float, str, str]] = {
    1: (0.3, "s004-ovp-li3po4-c1", "fitted"),
    100: (0.8, "s004-ovp-li3po4-c100", "predicted"),
    200: (2.4, "s004-ovp-li3po4-c200", "predicted"),
    300: (4.0, "s004-ovp-li3po4-c300-results", "predicted"),
}
LI3PO4_CYCLES = 175  # s004-ald-li3po4-gpc: 175 cycles ≈ 15 nm
#: EELS Ti³⁺-dominated depth after 100 cycles (s004-eels-bare-ti3-depth, -al150-ti3-depth).
EELS_DEPTH_M = {0: 24e-9, 150: 16e-9}


def _interphase_asr_per_face(cycles_ald: float, time_s: float, params) -> float:
    length = coat.ald_thickness_m(cycles_ald, coat.GPC_AL2O3_M)
    return float(face_interphase(params, length).asr_ohm_m2(time_s))


def calibrate_al2o3() -> dict[str, float]:
    """σ_lithiated (S/m), A (m), τ (s) of ALD Al2O3 from seed 004 (module docstring)."""
    _, params = parameter_set(PARAMETER_SET)
    j = CURRENT_DENSITY_A_M2
    t100, t300 = 199 * HOUR, 599 * HOUR  # mid-cycle 100 and 300 (2 h per cycle)
    l150 = coat.ald_thickness_m(150, coat.GPC_AL2O3_M)
    l250 = coat.ald_thickness_m(250, coat.GPC_AL2O3_M)
    sigma_p = coat.SIGMA_AL2O3_S_M
    # 0.9 V of LATP@150 at cycle 300: two lithiated coatings plus their fed interphases
    coating_150 = PAPER[(150, 300)][0] / (2 * j) - _interphase_asr_per_face(150, t300, params)
    sigma_l = l150 / coating_150
    # 5 V of LATP@250 at cycle 300 fixes the lithiated depth reached by 600 h
    coating_250 = PAPER[(250, 300)][0] / (2 * j) - _interphase_asr_per_face(250, t300, params)
    depth_600 = (l250 / sigma_p - coating_250) / (1 / sigma_p - 1 / sigma_l)
    # s = A ln(1 + t/τ) through s(199 h) = 15 nm and s(599 h) = depth_600
    ratio = depth_600 / l150
    tau = brentq(lambda x: math.log1p(t300 / x) / math.log1p(t100 / x) - ratio, 1.0, 1e9)
    amplitude = l150 / math.log1p(t100 / tau)
    return {
        "sigma_lithiated_S_m": sigma_l,
        "amplitude_m": amplitude,
        "time_constant_s": tau,
        "depth_at_600h_m": depth_600,
    }


def _simulate(overrides: dict[str, str], sample_s: float):
    """(SimulationResult, SymmetricResult) of the seed-004 protocol on the set with overrides."""
    _, base = parameter_set(PARAMETER_SET)
    params = with_overrides(base, overrides)
    steps = constant_current_protocol(CURRENT_DENSITY_A_M2, CYCLES, step_time_s=STEP_S)
    result = simulate_symmetric(params, steps, sample_s=sample_s)
    return result, analyse_symmetric(result.data, params.area)


def simulate_sweep(ald_cycles=ALD_CYCLES, *, sample_s: float = 60.0, progress=None) -> dict:
    """{n: (SimulationResult, SymmetricResult)} for the seed-004 protocol at each n."""
    out = {}
    for n in ald_cycles:
        if progress is not None:
            progress(f"seed 004: {n} ALD cycles")
        out[n] = _simulate({"ald_cycles": str(n)}, sample_s)
    return out


def simulate_li3po4(*, sample_s: float = 60.0):
    """The seed-004 protocol on LATP with 175 ALD cycles of Li3PO4 (analysis of the trace)."""
    overrides = {"coating": "Li3PO4", "ald_cycles": str(LI3PO4_CYCLES)}
    return _simulate(overrides, sample_s)[1]


def _overpotential_row(label: str, analysis, cycle: int, paper, record, kind, note=None) -> Row:
    model = cycle_overpotential_V(analysis, cycle)
    what = "peak overpotential, cycle 1" if cycle == 1 else f"overpotential, cycle {cycle}"
    return Row(
        quantity=f"{label}: {what}",
        paper=paper,
        ssblab=round(model, 3),
        unit="V",
        basis=kind,
        status=compare(paper, model),
        note=note or record,
    )


def cycle_overpotential_V(analysis, cycle: int) -> float:
    """Plateau overpotential of cell cycle ``cycle`` (1-based); cycle 1 uses the peak."""
    hc = analysis.half_cycles
    rows = hc[hc["index"] // 2 == cycle - 1]
    if cycle == 1:
        return float(rows["peak_V"].max())
    return float(rows["overpotential_V"].mean())


def _label(n: int) -> str:
    return "bare LATP" if n == 0 else f"LATP@{n}Al2O3"


def replicate(progress: Callable[[str], None] | None = None) -> Replication:
    """The seed-004 table: every printed overpotential, the optimum, the EELS depths."""
    calibration = calibrate_al2o3()
    sweep = simulate_sweep(progress=progress)
    rows: list[Row] = []
    for (n, cycle), (paper, record, kind) in PAPER.items():
        rows.append(_overpotential_row(_label(n), sweep[n][1], cycle, paper, record, kind))
    at_300 = {n: cycle_overpotential_V(sweep[n][1], 300) for n in ALD_CYCLES}
    coated = {n: v for n, v in at_300.items() if n > 0}
    best = min(coated, key=coated.get)
    rows.append(
        Row(
            quantity="ALD cycles with the lowest overpotential at cycle 300",
            paper=150,
            ssblab=best,
            unit="cycles",
            basis="predicted",
            status="reproduced" if best == 150 else "not reproduced",
            note="seed 004: 'LATP@150Al2O3 is the best among the six thicknesses'",
        )
    )
    values = [coated[n] for n in sorted(coated)]
    lowest = int(np.argmin(values))
    u_shape = (
        0 < lowest < len(values) - 1
        and all(a > b for a, b in itertools.pairwise(values[: lowest + 1]))
        and all(a < b for a, b in itertools.pairwise(values[lowest:]))
        and at_300[0] > values[0]
    )
    rows.append(
        Row(
            quantity="overpotential at cycle 300 vs ALD cycles: falls, then rises (U-shape)",
            paper="3.5 > 2.25 > 2 > 1.5 > 0.9 < 2 < 5 V",
            ssblab=" ".join(f"{at_300[n]:.2f}" for n in ALD_CYCLES) + " V",
            unit="V",
            basis="predicted",
            status="reproduced" if u_shape else "not reproduced",
            note="too thin: interphase fed through defects; too thick: unlithiated remainder",
        )
    )
    if progress is not None:
        progress("seed 004: 175 ALD cycles of Li3PO4")
    li3po4 = simulate_li3po4()
    cracks = (
        "; the rise is attributed to cracks in the Li3PO4 film (seed 004 Figure 3c), which the "
        "model does not have: it keeps the film intact and feeds the interphase through its "
        "0.25 % pinholes only"
    )
    for cycle, (paper, record, kind) in LI3PO4_PAPER.items():
        note = record if cycle == 1 else record + cracks
        label = f"LATP@{LI3PO4_CYCLES}Li3PO4"
        rows.append(_overpotential_row(label, li3po4, cycle, paper, record, kind, note))
    for n, paper_depth in EELS_DEPTH_M.items():
        result = sweep[n][0]
        column = "interphase_working_m"
        at_cycle_100 = result.history["time_s"] <= 200 * HOUR
        depth = float(result.history.loc[at_cycle_100, column].iloc[-1])
        rows.append(
            Row(
                quantity=f"{_label(n)}: Ti3+ interphase depth after 100 cycles (EELS)",
                paper=paper_depth * 1e9,
                ssblab=round(depth * 1e9, 2),
                unit="nm",
                basis="fitted" if n == 0 else "predicted",
                status=compare(paper_depth, depth),
                note=(
                    "s004-eels-bare-ti3-depth (the parabolic rate is derived from it)"
                    if n == 0
                    else "s004-eels-al150-ti3-depth. The model feeds the interphase through the "
                    "0.25 % exposed area only (√φ = 0.05 of the bare depth); the EELS line scan "
                    "sees 16 nm, so Li reaches LATP more widely than through pinholes, or the "
                    "scan crossed a defect (the seed notes a Li-rich region on the bare scan)"
                ),
            )
        )
    fitted = (
        fitted_parameter(
            "Al2O3 sigma_lithiated",
            calibration["sigma_lithiated_S_m"],
            "S/m",
            "s004-ovp-al150-c300 (0.9 V at cycle 300 of LATP@150Al2O3)",
        ),
        fitted_parameter(
            "Al2O3 lithiation amplitude A",
            calibration["amplitude_m"],
            "m",
            "s004-ovp-al150-c100 (lithiated through by cycle 100) and s004-ovp-al250",
        ),
        fitted_parameter(
            "Al2O3 lithiation time constant tau",
            calibration["time_constant_s"],
            "s",
            "s004-ovp-al150-c100 and s004-ovp-al250 (with A)",
        ),
        fitted_parameter(
            "Al2O3 pristine sigma",
            coat.SIGMA_AL2O3_S_M,
            "S/m",
            "s004-ovp-al150-c1 (10 V at cycle 1 of LATP@150Al2O3)",
        ),
        fitted_parameter(
            "LATP Ti3+ interphase parabolic rate k",
            interphase("latp_ti3").rate,
            "m^2/s",
            "s004-eels-bare-ti3-depth (24 nm after 100 cycles = 200 h)",
        ),
        fitted_parameter(
            "LATP Ti3+ interphase apparent sigma",
            interphase("latp_ti3").sigma_ion_S_m,
            "S/m",
            "s004-ovp-bare-c1 and s004-ovp-bare-c300 (0.1 -> 3.5 V)",
        ),
    )
    notes = (
        f"set {PARAMETER_SET} with ald_cycles = n; 0.01 mA/cm², 1-h steps, 300 cycles, sampled "
        "every 60 s; overpotential = plateau mean of the strip and plate half-cycles (cycle 1: "
        "peak |V|)",
        "defect decay length λ = 2.5 nm is fixed a priori (models.coating), not fitted",
        f"status 'agrees' = within {REL_TOL:.0%} of the paper value (values read off figures)",
        "exchange current density (0.1 mA/cm²) and pellet thickness (1 mm) are assumptions "
        "(latp_ald_al2o3.yaml); together they give the ~0.15 V of bare LATP at cycle 1",
    )
    return Replication(
        seed="004",
        title="Li | ALD-Al2O3 | LATP symmetric cells: overpotential vs ALD cycles (U-shape)",
        rows=tuple(rows),
        fitted_parameters=fitted,
        notes=notes,
    )
