"""Seed 000 from the microstructure: bare vs Al2O3-annealed vs coated LLZTO at 1 mA/cm².

**Model.** A 2-D LLZTO polycrystal slab (:data:`N_GRAINS` Voronoi grains of 5 µm, grain size
an *assumption*: seed 000 prints none) with its GB sheet network; phases from
:mod:`ssblab.micro.presets` (every value cited there). The coupled ion/electron problem with
Hebb–Wagner defect chemistry (:mod:`ssblab.micro.deposition`) gives the fraction f_dep(j) of the
current that deposits Li inside the electrolyte, and :mod:`ssblab.micro.cell_coupling` turns it
into a filament lifetime, t = L·F·φ_f/(f_dep·j·V_m) for the 0.5-mm pellet (the cell
simulator's growth law, which the rows also run on the bare cell).

What differs between the cells, each change cited:

* **bare**: clean LLZO GBs (seed 001 §3.3); Li | LLZTO charge-transfer ASR 109 Ω·cm², the
  polished-garnet row of seed 003 Table 1 (``s003-t1-r01-polish-asr``): seed 000's pellets get
  no surface treatment before Li is attached.
* **annealed**: Li-Al-O GBs (σ_ion, σ_e finite and cited in presets); the anneal also turns the
  surface into Li-Al-O, whose Li | garnet ASR is 1 Ω·cm² (ALD Al2O3 on garnet, seed 003
  Table 1, ``s003-t1-r16-ald-al2o3-asr``).
* **coated, not annealed**: bare GBs under a 10-nm as-deposited ALD Al2O3 layer (seed 000 §2.2;
  σ from seed 004) on both faces.

**Fitted**: only the filament area fraction φ_f, on the bare cell's 60 h
(``s000-sym-bare-lifetime``). **Predicted**: everything else. The nucleation overpotential is 0
(the thermodynamic threshold, as :mod:`ssblab.models.leakage`) for the lifetimes; its
fracture-stress value (20 mV for σ_F = 150 MPa, an assumption) gives the critical current
density rows, whose sensitivity to it is reported.

**Sensitivity.** The model's assumed (uncited) parameters, :data:`ASSUMED` — grain size, the
bare GB electronic conductivity, the Li-Al-O electronic conductivity and the fracture stress
behind η_nuc — vary ±50 % one at a time and over a :data:`N_LHS`-point Latin hypercube; at every
point φ_f is fitted again on the 60 h and every predicted row recomputed
(:func:`outputs`), so each row's band includes the recalibration.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np

from ssblab.replicate.rows import TREND_MIN_CHANGE, Row, compare, fitted_parameter
from ssblab.replicate.sensitivity import Assumed, sensitivity_bands

N_GRAINS = 300  #: slab grains (2-D); the near-interface physics converges by ~150 (tests)
GRAIN_SIZE_M = 5e-6  #: assumption: seed 000 prints no grain size
SLAB_ASPECT = (8.0, 1.0)  #: slab length/width: ~8 grains between the electrodes per width
SEED = 1
CURRENT_A_M2 = 10.0  #: 1 mA/cm² (s000-sym-current-density)
BARE_LIFETIME_H = 60.0  #: s000-sym-bare-lifetime
ANNEALED_LIFETIME_H = 200.0  #: s000-sym-annealed-lifetime
THICKNESS_M = 0.5e-3  #: s000-llzto-pellet-thickness
BARE_ASR_OHM_M2 = 109e-4  #: s003-t1-r01-polish-asr (109 Ω·cm²); presets.CONTACT_ASR_OHM_M2
ANNEALED_ASR_OHM_M2 = 1e-4  #: s003-t1-r16-ald-al2o3-asr (1 Ω·cm²); presets.CONTACT_ASR_OHM_M2
TEMPERATURE_K = 298.15  #: seed 000 cycles at room temperature (25 °C)
GRID_A_M2 = (0.3, 1.0, 3.0, 10.0, 30.0)  #: 0.03–3 mA/cm²
#: the annealed cell's onset lies far higher: its sweep runs 1–100 mA/cm²
ANNEALED_ONSET_GRID_A_M2 = (10.0, 30.0, 100.0, 300.0, 1000.0)
ONSET_TEMPERATURES_K = (298.15, 333.15, 373.15)
#: grid of the bare cell's onset (it lies near 0.1 mA/cm²)
BARE_ONSET_GRID_A_M2 = (0.3, 1.0, 3.0, 10.0)
#: grid of the bare lifetimes (the exponent row and φ_f at 1 mA/cm²)
LIFETIME_GRID_A_M2 = (3.0, 10.0, 30.0)
FRACTURE_STRESS_PA = 150e6  #: assumption (cell_coupling.LLZO_FRACTURE_STRESS_PA)
#: Latin-hypercube points of the sensitivity bands (the policy's 64), and the worker processes
#: evaluating them. One point of this model costs ~12 s here (the annealed onset sweep to
#: 100 mA/cm² alone 5–10 s), so the 64-point bands take ~6–7 min on two cores;
#: ``ssblab replicate 000 --lhs 16`` trades hypercube points for time (the one-at-a-time points
#: are always complete).
N_LHS = 64
BAND_PROCESSES = 2
#: names of the assumed parameters the bands vary (all of :func:`_assumed` by default; tests
#: narrow it to keep the suite fast)
BAND_PARAMETERS: tuple[str, ...] | None = None


def _assumed() -> tuple[Assumed, ...]:
    from ssblab.micro.presets import GB_SIGMA_E_BARE_S_M, LIALO_SIGMA_E_S_M

    return (
        Assumed("grain_size_m", GRAIN_SIZE_M, "m", "seed 000 prints no grain size"),
        Assumed("gb_sigma_e_bare_s_per_m", GB_SIGMA_E_BARE_S_M, "S/m",
                "GB electronic conductivity is measured in no seed (micro.presets)"),
        Assumed("lialo_sigma_e_s_per_m", LIALO_SIGMA_E_S_M, "S/m",
                "Li-Al-O electronic conductivity is printed in no seed (micro.presets)"),
        Assumed("fracture_stress_pa", FRACTURE_STRESS_PA, "Pa",
                "σ_F behind η_nuc = σ_F·Ω/e: no LLZTO value in the seeds"),
    )  # fmt: skip


@lru_cache(maxsize=4)
def reference_slab(grain_size_m: float = GRAIN_SIZE_M):
    """The 2-D LLZTO slab of the seed-000 model (module docstring); built once per process."""
    from ssblab.micro.structure import PolycrystalSpec, build_polycrystal

    spec = PolycrystalSpec(
        n_grains=N_GRAINS,
        mean_grain_size_m=grain_size_m,
        dimension=2,
        box_aspect=SLAB_ASPECT,
        seed=SEED,
    )
    return build_polycrystal(spec)


@lru_cache(maxsize=64)
def electrolyte(
    preset: str, asr_ohm_m2: float, eta_v: float = 0.0, temperature_k: float = TEMPERATURE_K,
    gb_sigma_e: float | None = None, grid: tuple[float, ...] = GRID_A_M2,
    grain_size_m: float = GRAIN_SIZE_M,
):  # fmt: skip
    """The :class:`MicroElectrolyte` of a preset with a given interface ASR, η_nuc and T."""
    from dataclasses import replace

    from ssblab.micro.cell_coupling import microstructure_electrolyte
    from ssblab.micro.presets import materials

    mat = materials(preset)
    if gb_sigma_e is not None:
        mat = replace(mat, gb=replace(mat.gb, sigma_e_s_per_m=gb_sigma_e))
    return microstructure_electrolyte(
        reference_slab(grain_size_m), mat, temperature_k, grid,
        charge_transfer_asr_ohm_m2=asr_ohm_m2,
        nucleation_overpotential=eta_v, label=preset,
    )  # fmt: skip


def lifetime_h(preset: str, asr: float, phi: float, j: float = CURRENT_A_M2, **kw) -> float:
    from ssblab.micro.cell_coupling import filament_lifetime_h

    f = electrolyte(preset, asr, **kw).deposition_fraction_at(j)
    return filament_lifetime_h(THICKNESS_M, f, j, phi)


def fit_filament_fraction(f: float | None = None) -> float:
    """φ_f such that the bare cell's filament spans the pellet at 60 h (closed form), from the
    bare f_dep(1 mA/cm²) ``f`` (default: the reference slab's)."""
    from ssblab.micro.cell_coupling import FARADAY_C_MOL
    from ssblab.models.dendrite import LI_MOLAR_VOLUME_M3_MOL

    if f is None:
        f = electrolyte("llzto-bare", BARE_ASR_OHM_M2).deposition_fraction_at(CURRENT_A_M2)
    return (
        BARE_LIFETIME_H
        * 3600
        * f
        * CURRENT_A_M2
        * LI_MOLAR_VOLUME_M3_MOL
        / (THICKNESS_M * FARADAY_C_MOL)
    )


def outputs(overrides: dict[str, float]) -> dict[str, float]:
    """Every predicted row's number with the assumed parameters overridden (module docstring):
    φ_f refitted on 60 h, then the annealed and GB-only lifetimes, the onsets (mA/cm²; the
    annealed one is its grid's top when not reached, a lower bound), the exponent of t ∝ j^n,
    and the EIS resistance ratios."""
    from ssblab.micro.cell_coupling import filament_lifetime_h, nucleation_overpotential_v
    from ssblab.micro.presets import (
        AL2O3_COATING_THICKNESS_M,
        AL2O3_SIGMA_ION_S_M,
        GB_SIGMA_E_BARE_S_M,
        LIALO_SIGMA_E_S_M,
    )

    g = overrides.get("grain_size_m", GRAIN_SIZE_M)
    s_bare = overrides.get("gb_sigma_e_bare_s_per_m", GB_SIGMA_E_BARE_S_M)
    s_lialo = overrides.get("lialo_sigma_e_s_per_m", LIALO_SIGMA_E_S_M)
    eta = nucleation_overpotential_v(overrides.get("fracture_stress_pa", FRACTURE_STRESS_PA))
    bare = electrolyte("llzto-bare", BARE_ASR_OHM_M2, 0.0, TEMPERATURE_K, s_bare,
                       LIFETIME_GRID_A_M2, g)  # fmt: skip
    phi = fit_filament_fraction(bare.deposition_fraction_at(CURRENT_A_M2))
    annealed = electrolyte("llzto-annealed", ANNEALED_ASR_OHM_M2, 0.0, TEMPERATURE_K, s_lialo,
                           (CURRENT_A_M2,), g)  # fmt: skip
    gb_only = electrolyte("llzto-annealed", BARE_ASR_OHM_M2, 0.0, TEMPERATURE_K, s_lialo,
                          (CURRENT_A_M2,), g)  # fmt: skip
    onset_bare = electrolyte("llzto-bare", BARE_ASR_OHM_M2, eta, TEMPERATURE_K, s_bare,
                             BARE_ONSET_GRID_A_M2, g)  # fmt: skip
    onset_annealed = electrolyte("llzto-annealed", ANNEALED_ASR_OHM_M2, eta, TEMPERATURE_K,
                                 s_lialo, ANNEALED_ONSET_GRID_A_M2, g)  # fmt: skip

    def life(e, j=CURRENT_A_M2):
        return filament_lifetime_h(THICKNESS_M, e.deposition_fraction_at(j), j, phi)

    j_lo, j_hi = LIFETIME_GRID_A_M2[0], LIFETIME_GRID_A_M2[-1]
    r_bare = THICKNESS_M / bare.sigma_total_s_per_m
    r_layers = 2 * AL2O3_COATING_THICKNESS_M / AL2O3_SIGMA_ION_S_M
    return {
        "phi": phi,
        "annealed_life_h": life(annealed),
        "gb_only_life_h": life(gb_only),
        "onset_bare_mA_cm2": onset_bare.onset_current_density_a_per_m2 / 10.0,
        "onset_annealed_mA_cm2": (
            ANNEALED_ONSET_GRID_A_M2[-1] / 10.0
            if onset_annealed.onset_status == "not_reached"
            else onset_annealed.onset_current_density_a_per_m2 / 10.0
        ),
        "exponent": float(np.log(life(bare, j_hi) / life(bare, j_lo)) / np.log(j_hi / j_lo)),
        "coated_ratio": (r_bare + r_layers) / r_bare,
        "annealed_ratio": bare.sigma_total_s_per_m / annealed.sigma_total_s_per_m,
    }


#: the steepest exponent a j-independent f_dep could give, less the trend margin
EXPONENT_LIMIT = -1.0 * (1 + TREND_MIN_CHANGE)

JUDGES = {
    "annealed_life_h": lambda v: compare(ANNEALED_LIFETIME_H, v, ">="),
    # the seed's attribution (GB electron blocking) holds if the GBs alone give ≥ 200 h
    "gb_only_life_h": lambda v: "reproduced" if v >= ANNEALED_LIFETIME_H else "not reproduced",
    "onset_bare_mA_cm2": lambda v: "reproduced" if v < CURRENT_A_M2 / 10 else "not reproduced",
    "onset_annealed_mA_cm2": lambda v: "reproduced" if v > CURRENT_A_M2 / 10 else "not reproduced",
    "exponent": lambda v: "reproduced" if v < EXPONENT_LIMIT else "not reproduced",
    "coated_ratio": lambda v: "reproduced" if v > 1 + TREND_MIN_CHANGE else "not reproduced",
    "annealed_ratio": lambda v: "reproduced" if v < 1 - TREND_MIN_CHANGE else "not reproduced",
}


def bands(progress: Callable[[str], None] | None = None, n_lhs: int | None = None):
    """The sensitivity band of every predicted row (module docstring)."""
    n = N_LHS if n_lhs is None else n_lhs

    def step(done: int, total: int) -> None:
        if progress is not None:
            progress(f"seed 000: sensitivity bands, point {done}/{total} ({n}-point hypercube)")

    step(0, 1 + 2 * len(_assumed()) + n)
    assumed = tuple(a for a in _assumed() if BAND_PARAMETERS is None or a.name in BAND_PARAMETERS)
    return sensitivity_bands(
        outputs, assumed, JUDGES, n_lhs=n, processes=BAND_PROCESSES, progress=step,
    )  # fmt: skip


def replicate_bands_summary() -> str:
    """One line per predicted output: its band over :data:`N_LHS` points (for the docs)."""
    out = []
    for key, band in bands().items():
        out.append(
            f"{key}: {band.low:.4g}–{band.high:.4g} ({'robust' if band.robust else 'fragile'})"
        )
    return "\n".join(out)


def micro_rows(progress: Callable[[str], None], n_lhs: int | None = None):
    """(rows, fitted parameters, notes) of the microstructure model (module docstring)."""
    from dataclasses import replace

    from ssblab.cycling.symmetric import analyse_symmetric
    from ssblab.micro.cell_coupling import nucleation_overpotential_v
    from ssblab.models.parameter_schema import parameter_set
    from ssblab.models.simulator import constant_current_protocol, simulate_symmetric

    progress("seed 000: microstructure model (bare, annealed, coated; f_dep sweeps)")
    phi = fit_filament_fraction()
    bare = electrolyte("llzto-bare", BARE_ASR_OHM_M2)
    annealed = electrolyte("llzto-annealed", ANNEALED_ASR_OHM_M2)
    from ssblab.micro.presets import AL2O3_COATING_THICKNESS_M, AL2O3_SIGMA_ION_S_M

    # coated pellet: the two 10-nm layers in series with the bare polycrystal (the network with
    # its interface phase gives the same series sum: tests/micro/test_network_solve.py)
    r_bare = THICKNESS_M / bare.sigma_total_s_per_m  # Ω·m²
    r_layers = 2 * AL2O3_COATING_THICKNESS_M / AL2O3_SIGMA_ION_S_M
    coated_ratio = (r_bare + r_layers) / r_bare
    # the simulator with the microstructure's electrolyte reproduces the fitted 60 h
    _, bare_set = parameter_set("llzto_bare")
    bare_cell = replace(bare_set, filament_area_fraction=phi)
    cycles = int(np.ceil(1.5 * BARE_LIFETIME_H / 1.0))
    run = simulate_symmetric(
        bare_cell, constant_current_protocol(CURRENT_A_M2, cycles, step_time_s=1800.0),
        sample_s=300.0, electrolyte=bare,
    )  # fmt: skip
    analysis = analyse_symmetric(run.data, bare_cell.area)
    sim_life = analysis.short.time_h if analysis.short.detected else None
    nominal = outputs({})
    band = bands(progress, n_lhs)
    t_annealed = nominal["annealed_life_h"]
    t_gb_only = nominal["gb_only_life_h"]
    t_interface_only = lifetime_h("llzto-bare", ANNEALED_ASR_OHM_M2, phi)
    sens_sigma_e = {
        s: lifetime_h("llzto-annealed", ANNEALED_ASR_OHM_M2, phi, gb_sigma_e=s)
        for s in (1e-14, 1e-10, 1e-6)
    }
    sens_asr = lifetime_h("llzto-annealed", 10e-4, phi)
    sens_bare_gb = {
        s: lifetime_h("llzto-bare", BARE_ASR_OHM_M2, phi, gb_sigma_e=s) for s in (1e-6, 1e-1)
    }
    eta = nucleation_overpotential_v()
    onset_bare = {
        t: electrolyte("llzto-bare", BARE_ASR_OHM_M2, eta, t) for t in ONSET_TEMPERATURES_K
    }
    onset_annealed = electrolyte(
        "llzto-annealed", ANNEALED_ASR_OHM_M2, eta, grid=ANNEALED_ONSET_GRID_A_M2
    )
    onset_bare_5mv = electrolyte("llzto-bare", BARE_ASR_OHM_M2, 0.005)
    lives = {j: lifetime_h("llzto-bare", BARE_ASR_OHM_M2, phi, j) for j in (3.0, 10.0, 30.0)}
    slope = nominal["exponent"]

    def mA(j):  # A/m² → mA/cm²
        return j / 10.0

    rows = [
        Row(
            quantity="bare Li|LLZTO|Li at 1 mA/cm²: time to short (microstructure model)",
            paper=BARE_LIFETIME_H,
            ssblab=None if sim_life is None else round(sim_life, 2),
            unit="h",
            basis="fitted",
            status="differs" if sim_life is None else compare(BARE_LIFETIME_H, sim_life),
            note=(
                "s000-sym-bare-lifetime; φ_f fitted in closed form from f_dep(1 mA/cm²) = "
                f"{bare.deposition_fraction_at(CURRENT_A_M2):.3g}, then simulate_symmetric with "
                "the microstructure electrolyte and ssblab cycle's short detection"
            ),
        ),
        Row(
            quantity="Al2O3-annealed Li|LLZTO|Li at 1 mA/cm²: lifetime (microstructure model)",
            paper=ANNEALED_LIFETIME_H,
            ssblab=round(t_annealed, 1),
            unit="h",
            basis="predicted",
            status=JUDGES["annealed_life_h"](t_annealed),
            band=band["annealed_life_h"],
            note=(
                f"s000-sym-annealed-lifetime (≥ 200 h); finite: f_dep = "
                f"{annealed.deposition_fraction_at(CURRENT_A_M2):.3g} with Li-Al-O GBs "
                "(σ_e 1e-12 S/m) and the 1 Ω·cm² Li-Al-O surface. Sensitivity: Li-Al-O σ_e "
                + ", ".join(f"{s:g} S/m → {t:.3g} h" for s, t in sens_sigma_e.items())
                + f"; a 10 Ω·cm² annealed interface → {sens_asr:.3g} h. "
                + band["annealed_life_h"].describe("h")
            ),
        ),
        Row(
            quantity="which change of the anneal carries the lifetime (model decomposition)",
            paper="Li-Al-O at GBs blocks electrons (seed 000 §1/§3)",
            ssblab=(
                f"Li-Al-O GBs alone: {t_gb_only:.3g} h; Li-Al-O surface (1 Ω·cm²) alone: "
                f"{t_interface_only:.3g} h"
            ),
            unit="h",
            basis="predicted",
            status=JUDGES["gb_only_life_h"](t_gb_only),
            band=band["gb_only_life_h"],
            note=(
                "s000-llzo-gb-band-gap; in the model U < 0 inside the electrolyte comes from the "
                "ionic drop across the Li|LLZTO contact (−j·r_ct), and the grains' own σ_e "
                "(1e-8 S/cm, s001-s4-llzo-electronic) already supplies the electrons there: "
                "blocking the GB electrons changes f_dep little, lowering the contact ASR "
                "removes the supersaturation. GB electrons would decide only if the grains were "
                "electron-blocking. Bare GB σ_e (assumed 1e-3 S/m): "
                + ", ".join(f"{s:g} S/m → {t:.3g} h" for s, t in sens_bare_gb.items())
                + " at the same φ_f. "
                + band["gb_only_life_h"].describe("h (GBs alone)")
            ),
        ),
        Row(
            quantity="critical current density of the bare cell (onset of internal deposition)",
            paper="< 1 (the bare cell fails at 1 mA/cm²)",
            ssblab=round(mA(onset_bare[TEMPERATURE_K].onset_current_density_a_per_m2), 4),
            unit="mA/cm²",
            basis="predicted",
            status=JUDGES["onset_bare_mA_cm2"](nominal["onset_bare_mA_cm2"]),
            band=band["onset_bare_mA_cm2"],
            note=(
                f"s000-sym-bare-lifetime; η_nuc = σ_F·Ω_Li/e = {eta * 1e3:.1f} mV (σ_F 150 MPa, "
                f"assumption); f_dep > {onset_bare[TEMPERATURE_K].threshold:g}. With η_nuc = 5 mV "
                f"the onset is {mA(onset_bare_5mv.onset_current_density_a_per_m2):.3g} mA/cm². "
                "Onset vs temperature: "
                + ", ".join(
                    f"{t - 273.15:.0f} °C {mA(e.onset_current_density_a_per_m2):.3g}"
                    for t, e in onset_bare.items()
                )
                + " mA/cm² (grain and GB conductivities activated, the contact ASR held "
                "constant: no activation energy is cited for it). "
                + band["onset_bare_mA_cm2"].describe("mA/cm²")
            ),
        ),
        Row(
            quantity="critical current density of the annealed cell",
            paper="> 1 (stable at 1 mA/cm²)",
            ssblab=(
                f"> {mA(ANNEALED_ONSET_GRID_A_M2[-1]):g}"
                if onset_annealed.onset_status == "not_reached"
                else round(mA(onset_annealed.onset_current_density_a_per_m2), 4)
            ),
            unit="mA/cm²",
            basis="predicted",
            status=JUDGES["onset_annealed_mA_cm2"](nominal["onset_annealed_mA_cm2"]),
            band=band["onset_annealed_mA_cm2"],
            note=(
                f"s000-sym-annealed-lifetime; same η_nuc ({eta * 1e3:.1f} mV); f_dep "
                + ", ".join(
                    f"{f:.3g} at {mA(j):g}"
                    for j, f in zip(
                        ANNEALED_ONSET_GRID_A_M2, onset_annealed.deposition_fraction, strict=True
                    )
                )
                + " mA/cm²: the 1 Ω·cm² contact keeps U above −η_nuc up to ~10 mA/cm². "
                + band["onset_annealed_mA_cm2"].describe("mA/cm²")
            ),
        ),
        Row(
            quantity="bare-cell lifetime vs current density: exponent n in t ∝ j^n",
            paper="−1 in the lumped model (f_dep independent of j)",
            ssblab=round(slope, 2),
            unit="",
            basis="predicted",
            status=JUDGES["exponent"](slope),
            band=band["exponent"],
            note=(
                "s000-sym-current-density; lifetimes "
                + ", ".join(f"{mA(j):g} mA/cm² {t:.3g} h" for j, t in lives.items())
                + ": f_dep rises with j (defect chemistry: σ_e ∝ exp(−FU/RT) as U falls); "
                f"reproduced when n < {EXPONENT_LIMIT:g}. " + band["exponent"].describe()
            ),
        ),
        Row(
            quantity="EIS (blocking electrodes): coated impedance above bare",
            paper="coated higher",
            ssblab=f"R_coated/R_bare = {coated_ratio:.3g}",
            unit="",
            basis="predicted",
            status=JUDGES["coated_ratio"](coated_ratio),
            band=band["coated_ratio"],
            note=(
                "s000-bare-llzto-sigma-rt; 10 nm as-deposited ALD Al2O3 (σ 3e-10 S/m, "
                "s004-ovp-al150-c1) on both faces in series with the polycrystal. "
                + band["coated_ratio"].describe()
            ),
        ),
        Row(
            quantity="EIS (blocking electrodes): annealed impedance below bare",
            paper="annealed lower",
            ssblab=(
                f"R_annealed/R_bare = {bare.sigma_total_s_per_m / annealed.sigma_total_s_per_m:.3g}"
            ),
            unit="",
            basis="predicted",
            status=JUDGES["annealed_ratio"](nominal["annealed_ratio"]),
            band=band["annealed_ratio"],
            note=(
                "s000-annealed-llzto-sigma-rt; Li-Al-O GB σ_ion 1e-4 S/m (s003-txt-ald-al2o3-asr, "
                "apparent) is below the clean-GB 3e-3 S/m of seed 001 (s001-s3-gb-sim-sigma), so "
                "the annealed polycrystal is more resistive. Lower impedance after the anneal "
                "needs the bare pellet's GBs below 1e-4 S/m (Li2CO3/La2O3 at GBs, seed 000 §1), "
                "which no seed quantifies. " + band["annealed_ratio"].describe()
            ),
        ),
    ]
    fitted = [
        fitted_parameter(
            "filament_area_fraction (microstructure model)",
            phi,
            "",
            "s000-sym-bare-lifetime (60 h at 1 mA/cm², bare cell only)",
            note="closed form from the bare slab's f_dep at 1 mA/cm²",
        )
    ]
    notes = [
        f"microstructure model: 2-D slab of {N_GRAINS} Voronoi grains of {GRAIN_SIZE_M * 1e6:g} "
        "µm (assumption), GB sheet network, Hebb–Wagner defect chemistry; f_dep(j) grid "
        + ", ".join(f"{mA(j):g}" for j in GRID_A_M2)
        + " mA/cm²; bare: "
        + ", ".join(f"{f:.3g}" for f in bare.deposition_fraction)
        + "; annealed: "
        + ", ".join(f"{f:.3g}" for f in annealed.deposition_fraction),
        "coated, not annealed: the cell needs "
        f"{CURRENT_A_M2 * (r_bare + r_layers):.3g} V across the pellet at "
        "1 mA/cm² (10 nm Al2O3 on each face): it cannot be cycled at 1 mA/cm² under a 20 V "
        "compliance; seed 000 prints no lifetime for it",
    ]
    return rows, fitted, notes
