"""Seed 001 §3.2.1: σ rises 36× from 85 % to 98 % relative density (Kim's group, ref. [62]).

The rows put the polycrystal simulator (:mod:`ssblab.micro`) on the statement:

1. **Porosity alone** — the same 3-D Voronoi polycrystal at 85 % and 98 % density (insulating
   pore cells, full GB contact, LLZTO grain and clean-LLZO GB phases of
   :mod:`ssblab.micro.presets`): the σ ratio it predicts, beside symmetric Bruggeman (the
   issue's 1.24×). Predicted; the seed spread over three structures is its sensitivity.
2. **σ at 98 %** from the seed-000 LLZTO grain value and the seed-001 GB: predicted (a
   different garnet than Kim's, so only the order of magnitude is expected).
3. **Necks** — with full contact at 98 %, the neck (contact) fraction f at 85 % that
   reproduces 9.4e-6 S/cm is *fitted* (bisection in log f; Holm constriction + GB at the
   neck, :mod:`ssblab.micro.build`). It is compared with the geometric contact growth of
   sintering spheres (Arzt, Acta Metall. 30 (1982) 1883: spheres of initial radius R0 in a
   random dense packing of density ρ0 = 0.64 grow to R with (R/R0)³ = ρ/ρ0; contact radius
   a² = R² − R0², coordination Z = 7.3 + 15.5(R/R0 − 1)), which gives the contact-area ratio
   Z·a² between the two densities. If the fitted f lies far below it, necks cannot carry the
   36×, and the low-density pellet's GBs must differ chemically: the row says "differs".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np

from ssblab.replicate.rows import Row, compare

N_GRAINS = 2500  #: grains per structure (3-D); enough for a ±3 % seed spread (rows report it)
GRAIN_SIZE_M = 5e-6  #: assumption: µm-scale sintered LLZO; σ here does not depend on it
SEEDS = (1, 2, 3)
RANDOM_PACKING_DENSITY = 0.64  #: Arzt (1982): random dense packing of spheres
ARZT_Z0, ARZT_C = 7.3, 15.5  #: Arzt (1982): Z = Z0 + C·(R/R0 − 1)


def arzt_contact_area(relative_density: float) -> float:
    """Total contact area per particle, in units of π R0² (Arzt 1982, module docstring)."""
    r = (relative_density / RANDOM_PACKING_DENSITY) ** (1.0 / 3.0)
    return (ARZT_Z0 + ARZT_C * (r - 1.0)) * (r * r - 1.0)


def _sigma(density: float, neck: float, seed: int) -> float:
    from ssblab.micro.build import build_network
    from ssblab.micro.presets import materials
    from ssblab.micro.solve import solve_dc

    crystal = _crystal(density, neck, seed)
    network = build_network(crystal, materials("llzto-bare"), gb_network=False)
    return solve_dc(network, network.sigma_ion_at(298.15)).sigma_eff_s_per_m


_CACHE: dict = {}


def _crystal(density: float, neck: float, seed: int):
    from dataclasses import replace

    from ssblab.micro.structure import PolycrystalSpec, build_polycrystal

    key = (density, seed)
    if key not in _CACHE:
        spec = PolycrystalSpec(
            n_grains=N_GRAINS,
            mean_grain_size_m=GRAIN_SIZE_M,
            relative_density=density,
            seed=seed,
        )
        _CACHE[key] = build_polycrystal(spec, junctions=False)
    crystal = _CACHE[key]
    return replace(crystal, face_neck=np.full(crystal.face_neck.size, neck))


def fit_neck_fraction(target_s_per_m: float, density: float, seed: int) -> float:
    """Neck fraction f at ``density`` whose σ equals ``target`` (bisection in log f)."""
    lo, hi = 1e-8, 1.0
    if _sigma(density, hi, seed) <= target_s_per_m:
        return 1.0
    for _ in range(40):
        mid = np.sqrt(lo * hi)
        if _sigma(density, mid, seed) > target_s_per_m:
            hi = mid
        else:
            lo = mid
        if hi / lo < 1.001:
            break
    return float(np.sqrt(lo * hi))


@lru_cache(maxsize=4)
def _simulate(low_rd: float, high_rd: float, paper_ratio_low_over_high: float):
    """Per seed: σ(98 %)/σ(85 %) with full necks, σ(98 %), and the fitted neck fraction at
    85 % that keeps the paper's ratio on our σ(98 %). Cached: pure and deterministic."""
    ratios, highs, fitted = [], [], []
    for seed in SEEDS:
        high = _sigma(high_rd, 1.0, seed)
        ratios.append(high / _sigma(low_rd, 1.0, seed))
        highs.append(high)
        fitted.append(fit_neck_fraction(high * paper_ratio_low_over_high, low_rd, seed))
    return tuple(ratios), tuple(highs), tuple(fitted)


def density_rows(progress: Callable[[str], None]):
    """Rows for the 85 → 98 % statement (module docstring)."""
    from ssblab.micro.effective_medium import bruggeman_porous_sigma
    from ssblab.replicate.seed001 import RowBlock, _si

    block = RowBlock()
    low_rd = _si("s001-s3-dens-85-rd")
    high_rd = _si("s001-s3-dens-98-rd")
    sigma_low = _si("s001-s3-dens-85-sigma")
    sigma_high = _si("s001-s3-dens-98-sigma")
    paper_ratio = sigma_high / sigma_low
    progress("seed 001: polycrystals at 85 % and 98 % density, neck fraction fit")
    ratios, highs, fitted = _simulate(low_rd, high_rd, sigma_low / sigma_high)
    ratio = float(np.mean(ratios))
    brugg = bruggeman_porous_sigma(1.0, 1 - high_rd) / bruggeman_porous_sigma(1.0, 1 - low_rd)
    block.rows.append(
        Row(
            quantity="σ(98 %)/σ(85 %) from porosity alone (3-D polycrystal, pore cells)",
            paper=round(paper_ratio, 1),
            ssblab=round(ratio, 3),
            unit="",
            basis="predicted",
            status=compare(paper_ratio, ratio),
            note=(
                "s001-s3-dens-85-sigma, s001-s3-dens-98-sigma (Kim's group [62]); "
                f"{N_GRAINS} grains, seeds {SEEDS}: ratios "
                + ", ".join(f"{r:.3f}" for r in ratios)
                + f"; symmetric Bruggeman gives {brugg:.3f}. Grain-sized insulating pores remove "
                "conducting volume and lengthen paths, but cannot make a 36× difference: the "
                "remaining factor needs necks or GB chemistry (next rows)"
            ),
        )
    )
    high = float(np.mean(highs))
    block.rows.append(
        Row(
            quantity="σ at 98 % density (seed-000 LLZTO grains, seed-001 clean GB, full necks)",
            paper=sigma_high * 1e-2,
            ssblab=high * 1e-2,
            unit="S/cm",
            basis="predicted",
            status=compare(sigma_high, high),
            note=(
                "s001-s3-dens-98-sigma; grain σ is seed 000's Ta-LLZTO (4.6e-4 S/cm, "
                "s000-bare-llzto-sigma-rt), not Kim's LLZO: an order-of-"
                "magnitude check; GB 0.03 mS/cm in 2 nm (seed 001 §3.3) adds < 1 %"
            ),
        )
    )
    f85 = float(np.exp(np.mean(np.log(fitted))))
    geometric = arzt_contact_area(low_rd) / arzt_contact_area(high_rd)
    block.rows.append(
        Row(
            quantity="neck contact fraction at 85 % that gives the 36× (full contact at 98 %)",
            paper=None,
            ssblab=f85,
            unit="",
            basis="fitted",
            status="differs" if f85 < 0.2 * geometric else "agrees",
            note=(
                "fitted on s001-s3-dens-85-sigma / s001-s3-dens-98-sigma; "
                f"per seed: {', '.join(f'{f:.3g}' for f in fitted)}. Sintering geometry "
                f"(Arzt 1982: contact area Z·a² of growing spheres) gives {geometric:.2f} of the "
                f"98 % contact at 85 %, {geometric / f85:.0f}× more than the fit needs. Necks "
                "alone cannot carry the 36×: the low-density pellet's GBs must also conduct "
                "worse (secondary phases or Li loss, seed 001 §3.2.1); that is not modelled"
                if f85 < 0.2 * geometric
                else "fitted on s001-s3-dens-85-sigma / s001-s3-dens-98-sigma; per seed: "
                f"{', '.join(f'{f:.3g}' for f in fitted)}; Arzt 1982 "
                f"contact growth gives {geometric:.2f}: consistent"
            ),
        )
    )
    block.fitted.append(
        {
            "name": "neck_fraction_85",
            "value": f85,
            "unit": "",
            "fitted_on": "s001-s3-dens-85-sigma / s001-s3-dens-98-sigma (the 36× ratio)",
        }
    )
    block.notes.append(
        "σ vs density: 3-D Voronoi polycrystals with insulating pore cells (ssblab.micro); the "
        "neck fraction at 85 % is the one fitted parameter, full contact at 98 % is assumed"
    )
    return block
