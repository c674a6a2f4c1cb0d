"""Log-normal GB properties (Solid State Ionics 256 (2014) 52): :func:`lognormal_gb_study`
(per-face GB σ_ion, or per-face GB thickness, drawn log-normally; see
:mod:`ssblab.micro.studies`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from ssblab.errors import MicrostructureError
from ssblab.micro.build import build_network
from ssblab.micro.studies.cases import (
    CaseResult,
    _crystal,
    _gb_edges,
    _with_gb_phases,
    evaluate_network,
)
from ssblab.micro.studies.reading import FREQUENCY_HZ, llzto_materials

# --------------------------------------------------------------------------------------------
# log-normal GB properties (Solid State Ionics 256 (2014) 52)
# --------------------------------------------------------------------------------------------


def lognormal_gb_study(
    widths: Sequence[float] = (0.0, 0.5, 1.0, 1.5, 2.0),
    *,
    grain_size_cvs: Sequence[float] = (0.0,),
    spread: str = "conductivity",
    n_grains: int = 2000,
    dimension: int = 2,
    seeds: Sequence[int] = (0,),
    frequency_hz=FREQUENCY_HZ,
) -> tuple[CaseResult, ...]:
    """Per-face GB σ_ion drawn log-normally, ln σ_k ~ N(μ, s²) with s in ``widths`` and μ such
    that the distribution's arithmetic mean is the preset-derived σ_gb (its geometric mean is
    exp(−s²/2) of it), ε_gb fixed; ``sigma_gb_true`` is the arithmetic mean over the faces
    actually drawn; optionally with a grain-size spread (``grain_size_cvs``, Laguerre).
    ``spread="thickness"`` scales each face's GB segment factor instead (conductance and
    capacitance together, see the package docstring).

    ``extra``: the geometric and harmonic means over the faces, the CPE exponent of the GB
    arc, and σ_gb and ε_gb read with a δ/d *calibrated* on the same structure with uniform GBs
    (s = 0): σ_gb,cal = σ_gb·R_gb(0)/R_gb(s), ε_gb,cal = ε_gb·C_gb(s)/C_gb(0) (Hsu–Mansfeld
    and Brug) — the geometry known exactly, as in a simulation study."""
    if spread not in ("conductivity", "thickness"):
        raise MicrostructureError("spread: 'conductivity' or 'thickness'")
    materials = llzto_materials()
    sgb = materials.gb.sigma_ion_s_per_m
    rows = []
    for seed in seeds:
        for cv in grain_size_cvs:
            crystal = _crystal(n_grains, dimension=dimension, grain_size_cv=cv, seed=seed)
            network = build_network(crystal, materials, gb_network=False)
            gb_edges = _gb_edges(network)
            normal = np.random.default_rng([seed, 15485863]).standard_normal(gb_edges.size)
            reference = None
            for s in widths:
                scale = np.exp(s * normal - 0.5 * s * s)
                if spread == "conductivity":
                    phases = tuple(
                        replace(materials.gb, name=f"GB face {k}", sigma_ion_s_per_m=sgb * v)
                        for k, v in enumerate(scale)
                    )
                    net = _with_gb_phases(network, gb_edges, phases, np.arange(gb_edges.size))
                else:
                    factor = network.segment_factor_m.copy()
                    factor[gb_edges, 1] *= scale
                    net = replace(network, segment_factor_m=factor)
                row = evaluate_network(
                    net,
                    crystal,
                    materials,
                    study=f"lognormal-gb-{spread}",
                    case=f"s={s:g} cv={cv:g}",
                    seed=seed,
                    sigma_gb_true=float(sgb * scale.mean()),
                    frequency_hz=frequency_hz,
                )
                if reference is None:
                    if s != 0:
                        raise MicrostructureError("widths must start with 0 (the calibration)")
                    reference = row.reading
                r = row.reading
                rows.append(
                    replace(
                        row,
                        extra={
                            "width": s,
                            "grain_size_cv_input": cv,
                            "sigma_gb_geometric_mean": float(sgb * np.exp(np.log(scale).mean())),
                            "sigma_gb_harmonic_mean": float(sgb / np.mean(1.0 / scale)),
                            "alpha_gb": r.gb.alpha,
                            "err_gb_calibrated": reference.gb.resistance_ohm / r.gb.resistance_ohm
                            - 1.0,
                            "err_eps_calibrated": r.gb.capacitance_f / reference.gb.capacitance_f
                            - 1.0,
                            "err_eps_calibrated_brug": r.gb.capacitance_brug_f
                            / reference.gb.capacitance_brug_f
                            - 1.0,
                        },
                    )
                )
    return tuple(rows)
