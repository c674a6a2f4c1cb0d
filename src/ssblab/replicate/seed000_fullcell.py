"""Seed 000's full cells: Li | LLZTO (bare or Al2O3-annealed) | NMC811, 50 cycles.

**Printed** (seed 000 §2.4–2.5, §3.3): NMC811:CB:PVDF 8:1:1, 1.8–2.0 mg/cm², Ø 12 mm, 0.5-mm
LLZTO, 5 µL/side 1 M LiTFSI DME/DOL wetting, 50 MPa crimp, 2.7–4.3 V, 1 C = 180 mA/g, two 0.1 C
formation cycles then 0.5 C and 1 C at 25 °C; "around 160 mAh/g" initially for both cells;
after 50 cycles 80.3 mAh/g (46.7 %) bare and 161.6 mAh/g (96.8 %) annealed.

**Model**: :mod:`ssblab.fullcell.halfcell` (PyBaMM SPMe half cell, SSE ohmic in series). The
two cells differ only in the Li|LLZTO interface ASR, the values the microstructure rows use
(:mod:`.seed000_micro`): 109 Ω cm² bare (polished garnet, seed 003 Table 1) and 1 Ω cm²
annealed (ALD Al2O3 on garnet, seed 003 Table 1).

**Fitted**: the connected fraction of the cast (``utilisation``) on "around 160 mAh/g" at the
first 0.5 C cycle; each degradation rate on one cell's retention (one point, one parameter).
**Predicted**: the fade and the short from the Li|LLZTO symmetric-cell physics at the full
cell's current density (no full-cell number used), and the annealed cell's fade from the bare
cell's fitted rate scaled by the two cells' filament growth rates.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache

from ssblab.replicate.rows import Row, compare, fitted_parameter, leave_one_out
from ssblab.replicate.sensitivity import Assumed, sensitivity_bands

PRINTED_INITIAL_MAH_G = 160.0  #: s000 §3.3 "around 160 mAh g−1" initially (both cells)
RETENTION = {"bare": 0.467, "annealed": 0.968}  #: s000 §3.3, after 50 cycles
FINAL_MAH_G = {"bare": 80.3, "annealed": 161.6}  #: s000 §3.3
#: each cell's first-cycle capacity implied by its printed final capacity and retention
#: (171.9 and 166.9 mAh/g: "around 160" is the rounded statement of these)
INITIAL_MAH_G = {cell: FINAL_MAH_G[cell] / RETENTION[cell] for cell in RETENTION}
CYCLES = 50  #: s000 §3.3
FORMATION = 2  #: s000 §2.5, two 0.1 C formation cycles
#: Li|LLZTO interface ASR of each cell, Ω m² (seed000_micro: s003-t1-r01 / s003-t1-r16)
ANODE_ASR_OHM_M2 = {"bare": 109e-4, "annealed": 1e-4}
SETS = {"bare": "llzto_bare", "annealed": "llzto_al2o3_annealed"}
#: retention uncertainty, points (1σ): the paper prints one cell per treatment; ±2 points is
#: the issue's fit tolerance, read as 1.96σ
SIGMA_POINTS = 1.0

ASSUMED = (
    Assumed(
        "c_rate", 0.5, "C", "seed 000 cycles at 0.5 C and 1 C and does not say which Fig. 4e shows"
    ),
    Assumed("active_volume_fraction", 0.364, "", "NMC share of an 8:1:1 cast at 40 % porosity"),
    Assumed("porosity", 0.40, "", "uncalendered cast; not printed"),
    Assumed("catholyte_film_m", 5e-6, "m", "liquid film between cast and ceramic; not printed"),
)


def _steps(c_rate: float):
    from ssblab.fullcell.halfcell import protocol_seed000

    return protocol_seed000(c_rate, CYCLES, FORMATION)


def _design(cell: str, overrides: dict[str, float]):
    from ssblab.fullcell.halfcell import HalfCellDesign

    kw = {
        k: v
        for k, v in overrides.items()
        if k in ("active_volume_fraction", "porosity", "catholyte_film_m")
    }
    design = HalfCellDesign(anode_interface_asr_ohm_m2=ANODE_ASR_OHM_M2[cell], **kw)
    if design.active_volume_fraction + design.porosity > 1:
        raise ValueError("active_volume_fraction + porosity > 1")
    return design


def _current_density_A_m2(design, c_rate: float) -> float:
    return c_rate * design.nominal_capacity_Ah / design.area_m2


@lru_cache(maxsize=64)
def _calibrated(cell: str, key: tuple):
    from ssblab.fullcell.inverse import fit_utilisation

    overrides = dict(key)
    c_rate = overrides.get("c_rate", 0.5)
    return fit_utilisation(
        _design(cell, overrides), _steps(c_rate), INITIAL_MAH_G[cell], cycle=FORMATION + 1
    )


def _filament(cell: str, design, c_rate: float) -> dict:
    """Symmetric-cell filament physics at the full cell's current and half-cycle time."""
    from ssblab.fullcell.inverse import anode_interface_history

    j = _current_density_A_m2(design, c_rate)
    half = 0.9 / c_rate * 3600.0  # a 0.5 C half cycle of ~160/180 of nominal lasts ~1.8 h
    _, asr, extras = anode_interface_history(SETS[cell], j, half, CYCLES + FORMATION)
    per_cycle_h = 2.0 * half / 3600.0
    extras["asr_growth_ohm_m2"] = float(max(asr[-1] - asr[0], 0.0))
    extras["run_h"] = (CYCLES + FORMATION) * per_cycle_h
    extras["current_density_mA_cm2"] = j / 10.0
    # filament length per hour (m/h): the growth rate the annealed prediction scales by
    extras["growth_m_h"] = extras["filament_m"] / (
        extras["short_time_h"] if extras["short_time_h"] else (CYCLES + FORMATION) * per_cycle_h
    )
    # the cycle at which the filament crosses the pellet: simulated when it crossed within the
    # run, else the run's own (linear-in-time) growth law carried to the pellet thickness
    crossing_h = extras["short_time_h"] or extras["sse_thickness_m"] / max(
        extras["growth_m_h"], 1e-300
    )
    extras["short_cycle"] = crossing_h / per_cycle_h
    extras["short_extrapolated"] = extras["short_time_h"] is None
    return extras


def _loss_points(result) -> float:
    return 100.0 * (1.0 - result.retention(FORMATION + 1, FORMATION + CYCLES))


def outputs(overrides: dict[str, float]) -> dict[str, float]:
    """Predicted outputs at one point of the assumed-parameter box (every fit redone).

    The filament outputs need no calibration (the current density follows from the printed
    loading and the C-rate); the capacity outputs need the utilisation (and the bare cell's
    growth rate) refitted, and where that calibration cannot be met (the cathode cannot reach
    the printed initial capacity at that point) they are nan there, so those rows fail at
    that point of the band."""
    from ssblab.fullcell.halfcell import FullCellError

    c_rate = overrides.get("c_rate", 0.5)
    out: dict[str, float] = {}
    for cell in ("bare", "annealed"):
        fil = _filament(cell, _design(cell, overrides), c_rate)
        out[f"{cell}_anode_growth"] = fil["asr_growth_ohm_m2"]
        out[f"{cell}_short_cycle"] = fil["short_cycle"]
        out[f"{cell}_growth_m_h"] = fil["growth_m_h"]
        out[f"{cell}_run_h"] = fil["run_h"]
    out["scale"] = out["annealed_growth_m_h"] / out["bare_growth_m_h"]
    try:
        out.update(_capacity_outputs(overrides, out))
    except FullCellError:
        for key in ("bare_loss_anode_only", "annealed_loss_anode_only", "annealed_loss_scaled"):
            out[key] = math.nan
    return out


def _capacity_outputs(overrides: dict[str, float], fil: dict[str, float]) -> dict[str, float]:
    from ssblab.fullcell.halfcell import Degradation, simulate_halfcell
    from ssblab.fullcell.inverse import fit_cell

    c_rate = overrides.get("c_rate", 0.5)
    key = tuple(sorted(overrides.items()))
    out: dict[str, float] = {}
    for cell in ("bare", "annealed"):
        design, _ = _calibrated(cell, key)
        # the symmetric run's Li|SSE ASR growth, as a linear law over the run (its history
        # is monotone; the end value over the run time)
        growth = fil[f"{cell}_anode_growth"] / fil[f"{cell}_run_h"]
        run = simulate_halfcell(design, _steps(c_rate), Degradation(asr_growth_ohm_m2=growth))
        out[f"{cell}_loss_anode_only"] = _loss_points(run)
    if overrides:  # the scaled prediction needs the bare fit at this point
        _, bare_fit = fit_cell(
            _design("bare", overrides),
            _steps(c_rate),
            INITIAL_MAH_G["bare"],
            RETENTION["bare"],
            "asr_growth",
            first_cycle=FORMATION + 1,
            guess=_nominal_fits()["bare"]["asr_growth"][1].value,
        )
        k_bare = bare_fit.value
    else:
        k_bare = _nominal_fits()["bare"]["asr_growth"][1].value
    design, _ = _calibrated("annealed", key)
    run = simulate_halfcell(
        design, _steps(c_rate), Degradation(asr_growth_ohm_m2=k_bare * fil["scale"])
    )
    out["annealed_loss_scaled"] = _loss_points(run)
    return out


@lru_cache(maxsize=1)
def _nominal_fits() -> dict:
    """{cell: {mechanism: (design, MechanismFit)}}: utilisation and rate fitted together."""
    from ssblab.fullcell.inverse import fit_cell

    fits: dict = {}
    for cell in ("bare", "annealed"):
        fits[cell] = {
            mech: fit_cell(
                _design(cell, {}),
                _steps(0.5),
                INITIAL_MAH_G[cell],
                RETENTION[cell],
                mech,
                first_cycle=FORMATION + 1,
                sigma_points=SIGMA_POINTS,
            )
            for mech in ("asr_growth", "lam")
        }
    return fits


def _loss_judge(paper_points: float):
    return lambda value: compare(paper_points, value)


def fullcell_rows(progress: Callable[[str], None]):
    """(rows, fitted parameters, notes, leave-one-out records) of seed 000's full cells."""
    from ssblab.fullcell.halfcell import lithium_reservoir_cycles

    progress("seed 000 full cells: utilisation on the initial capacities (PyBaMM SPMe)")
    design_bare, u_bare = _calibrated("bare", ())
    design_ann, u_ann = _calibrated("annealed", ())
    progress("seed 000 full cells: utilisation + degradation fitted on 46.7 % and 96.8 % (4 fits)")
    fits = _nominal_fits()
    nominal = outputs({})
    loss_paper = {cell: 100.0 * (1.0 - r) for cell, r in RETENTION.items()}
    judges = {
        "bare_loss_anode_only": _loss_judge(loss_paper["bare"]),
        "annealed_loss_anode_only": _loss_judge(loss_paper["annealed"]),
        "annealed_loss_scaled": _loss_judge(loss_paper["annealed"]),
        "bare_short_cycle": lambda v: compare(CYCLES, v, ">="),
    }
    progress("seed 000 full cells: sensitivity bands (one at a time; every fit redone)")
    band = sensitivity_bands(outputs, ASSUMED, judges, n_lhs=0, processes=2)
    fil_bare = _filament("bare", design_bare, 0.5)
    fil_ann = _filament("annealed", design_ann, 0.5)
    rows: list[Row] = []
    utilisations = ", ".join(
        f"{cell} {fits[cell][mech][0].utilisation:.3f} ({mech})"
        for cell in ("bare", "annealed")
        for mech in ("asr_growth", "lam")
    )
    rows.append(
        Row(
            quantity="Li|LLZTO|NMC811: first 0.5 C discharge capacity (calibration)",
            paper=PRINTED_INITIAL_MAH_G,
            ssblab=(
                f"{INITIAL_MAH_G['bare']:.1f} (bare), {INITIAL_MAH_G['annealed']:.1f} (annealed)"
            ),
            unit="mAh/g",
            basis="fitted",
            status=compare(PRINTED_INITIAL_MAH_G, INITIAL_MAH_G["bare"]),
            note=(
                "fitted on each cell's printed final capacity / retention (80.3/0.467, "
                "161.6/0.968), which the text rounds to 'around 160'; the connected fraction "
                f"of the cast, fitted with each degradation law: {utilisations}; without "
                f"degradation {u_bare:.3f} / {u_ann:.3f}. PyBaMM's Chen2020 NMC811 gives "
                f"{INITIAL_MAH_G['bare'] / u_bare:.0f} mAh/g fully connected at 0.5 C"
            ),
        )
    )
    for cell in ("bare", "annealed"):
        fit = fits[cell]["asr_growth"][1]
        lam = fits[cell]["lam"][1]
        d_asr = fit.value * fit.duration_h  # linear law, Ω m² at the end of the run
        rows.append(
            Row(
                quantity=f"{cell} full cell: retention after 50 cycles (ASR-growth law fitted)",
                paper=100.0 * RETENTION[cell],
                ssblab=round(100.0 * fit.fitted_retention, 1),
                unit="%",
                basis="fitted",
                status="agrees"
                if abs(fit.fitted_retention - RETENTION[cell]) <= 0.02
                else "differs",
                note=(
                    f"k = {fit.value * 1e4:.3g} Ω·cm²/h (95 % interval {fit.interval[0] * 1e4:.3g}–"
                    f"{fit.interval[1] * 1e4:.3g}, σ = {SIGMA_POINTS:g} point) → ΔASR = "
                    f"{d_asr * 1e4:.3g} Ω·cm² by cycle 52, mean discharge voltage −"
                    f"{1e3 * fit.mean_voltage_drop_V:.0f} mV. Alternative, loss of active "
                    f"material: {100 * lam.value:.3g} %/cycle (95 % {100 * lam.interval[0]:.3g}–"
                    f"{100 * lam.interval[1]:.3g}), voltage change "
                    f"{-1e3 * lam.mean_voltage_drop_V:+.0f} mV"
                ),
            )
        )
    rows.append(
        Row(
            quantity="bare full cell: cycles before a filament short (symmetric-cell physics at "
            f"{fil_bare['current_density_mA_cm2']:.3f} mA/cm²)",
            paper=f">= {CYCLES} (the cell cycled 50 cycles)",
            ssblab=round(fil_bare["short_cycle"], 1),
            unit="cycles",
            basis="predicted",
            status=judges["bare_short_cycle"](nominal["bare_short_cycle"]),
            band=band["bare_short_cycle"],
            note=(
                "llzto_bare set (φ_f fitted on the symmetric 60 h only), 0.5 C half cycles as "
                f"strip/plate steps; the filament reaches "
                f"{fil_bare['filament_m'] * 1e6:.0f} of 500 µm by cycle 52"
                + (
                    " and, growing linearly, would cross at the cycle shown"
                    if fil_bare["short_extrapolated"]
                    else ""
                )
                + ". A crossing filament would short the cell, not fade it. "
                + band["bare_short_cycle"].describe("cycles")
            ),
        )
    )
    for cell in ("bare", "annealed"):
        key = f"{cell}_loss_anode_only"
        rows.append(
            Row(
                quantity=f"{cell} full cell: capacity lost in 50 cycles from the Li|LLZTO "
                "interface physics alone",
                paper=round(loss_paper[cell], 1),
                ssblab=round(nominal[key], 2),
                unit="points",
                basis="predicted",
                status=judges[key](nominal[key]),
                band=band[key],
                note=(
                    "no degradation fitted: the Li|LLZTO ASR growth the symmetric-cell physics "
                    f"gives at this current ({ANODE_ASR_OHM_M2[cell] * 1e4:g} Ω·cm² + "
                    f"{nominal[cell + '_anode_growth'] * 1e4:.2g} Ω·cm² over the run; no void "
                    "onset below the stripping CCD), so the half cell does not fade: the fade "
                    "comes from elsewhere. " + band[key].describe("points")
                ),
            )
        )
    rows.append(
        Row(
            quantity="annealed full cell: capacity lost in 50 cycles, bare ASR growth scaled by "
            "the filament growth ratio",
            paper=round(loss_paper["annealed"], 1),
            ssblab=round(nominal["annealed_loss_scaled"], 3),
            unit="points",
            basis="predicted",
            status=judges["annealed_loss_scaled"](nominal["annealed_loss_scaled"]),
            band=band["annealed_loss_scaled"],
            note=(
                "hypothesis: the interface degrades at a rate ∝ the GB filament growth; "
                f"annealed/bare growth = {nominal['scale']:.3g} (filament "
                f"{fil_ann['filament_m'] * 1e6:.3g} µm "
                f"vs {fil_bare['filament_m'] * 1e6:.3g} µm). Too little fade: the annealed cell "
                "loses capacity by another route. "
                + band["annealed_loss_scaled"].describe("points")
            ),
        )
    )
    reservoir = lithium_reservoir_cycles(design_bare)
    lam_b = fits["bare"]["lam"][1]
    asr_b = fits["bare"]["asr_growth"][1]
    notes = [
        "full cells (PyBaMM SPMe half cell, ssblab.fullcell): mechanism verdicts —",
        f"Li-inventory loss ruled out: the Li foil (0.45 mm assumed) holds {reservoir:.0f} full "
        "nominal cycles of Li, so a half cell's capacity cannot fade by Li loss in 50 cycles",
        "bare: interfacial ASR growth needs ΔASR ≈ "
        f"{asr_b.value * asr_b.duration_h * 1e4:.3g} Ω·cm² by "
        f"cycle 52 (mean discharge voltage −{1e3 * asr_b.mean_voltage_drop_V:.0f} mV); the "
        "Li|LLZTO physics gives no growth at 0.17 mA/cm², so an anode-interface growth is ruled "
        "out by ssblab's symmetric-cell model; a cathode-side or crack-driven growth is not",
        f"bare: loss of active material needs {100 * lam_b.value:.2g} %/cycle with a "
        f"−{1e3 * lam_b.mean_voltage_drop_V:.0f} mV voltage drop — consistent with the paper's "
        "own picture (cracks, lost contact between particles after 50 cycles, §3.1); the two "
        "are told apart by the discharge plateau, which the text does not print",
        f"bare: the symmetric-cell filament physics puts the crossing at cycle "
        f"{fil_bare['short_cycle']:.0f} (after the 50 printed: no hard short, as observed); Li "
        "lost into filaments/dead Li at GBs cannot fade a half cell (reservoir), and a soft "
        "short would show as a falling coulombic efficiency, which the paper does not print",
        "sensitivity bands of the full-cell rows: one at a time only (no hypercube: each point "
        "refits the utilisation and reruns PyBaMM)",
    ]
    fitted = [
        fitted_parameter(
            "utilisation",
            fits[cell][mech][0].utilisation,
            "",
            f"s000 {cell} initial {INITIAL_MAH_G[cell]:.1f} mAh/g (with the {mech} law)",
        )
        for cell in ("bare", "annealed")
        for mech in ("asr_growth", "lam")
    ]
    for cell in ("bare", "annealed"):
        fitted.append(
            fitted_parameter(
                "asr_growth_k",
                fits[cell]["asr_growth"][1].value * 1e4,
                "Ω·cm²/h",
                f"s000 {cell} retention {100 * RETENTION[cell]:g} % after 50 cycles",
            )
        )
        fitted.append(
            fitted_parameter(
                "lam_fraction_per_cycle",
                fits[cell]["lam"][1].value,
                "",
                f"s000 {cell} retention {100 * RETENTION[cell]:g} % (alternative mechanism)",
            )
        )
    loo = [
        leave_one_out(
            "utilisation", [("s000-initial", PRINTED_INITIAL_MAH_G)], lambda *_: math.nan
        ),
        leave_one_out(
            "asr_growth_k / lam_fraction_per_cycle (one per cell; the bare→annealed transfer "
            "is the 'scaled' predicted row)",
            [("s000-retention-bare", RETENTION["bare"])],
            lambda *_: math.nan,
        ),
    ]
    return rows, fitted, notes, loo


def design_for(cell: str):
    """The calibrated nominal design of ``cell`` ("bare" or "annealed")."""
    return _calibrated(cell, ())[0]
