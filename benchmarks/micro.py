"""Polycrystal transport benchmark: scaling of ``ssblab.micro`` and the voxel reference.

Sections (all in one run, wall clock on this machine, peak RSS of the process):

* ``--validate``: the grain network against the voxel solver of ``benchmarks/voxel_reference.py``
  on the same Voronoi structure (2-D 25 grains, 3-D 64 grains; σ_gb = σ_g/100 in 2 nm, 1-µm
  grains), the voxel result extrapolated to h → 0 from its two finest grids (first order, the
  rate measured there). Target: within 1 %.
* ``--sizes 1e4,1e5[,1e6]``: 3-D Poisson–Voronoi LLZTO (``llzto-bare`` preset): time of the
  tessellation, the network build, the DC σ_ion solve (grain network) and the DC σ_e solve
  (with the GB sheet network: the GB electronic conductivity makes it necessary); the scaling
  exponent of the total time between the sizes.
* ``--ac N``: a 40-frequency spectrum (1 Hz–1 GHz) of an N-grain structure, one AMG hierarchy
  reused over the frequencies.
* ``--voxel N``: the voxel solver's time on the N-grain structure of the scaling runs
  (≈ 1000 voxels per grain) in the same run.

Targets of issue 10: 1e6 grains DC σ_ion and σ_e in ≤ 60 s and ≤ 8 GB including the
tessellation; scaling exponent ≤ 1.2 from 1e4 to 1e6; a 40-frequency spectrum of 1e5 grains in
≤ 120 s.

    python benchmarks/micro.py --validate --sizes 1e4,1e5 --ac 1e5 --voxel 1e4 [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def _crystal_from_sites(sites, box):
    from ssblab.micro.structure import Polycrystal, PolycrystalSpec, equivalent_diameter
    from ssblab.micro.tessellation import tessellate

    t = tessellate(sites, box)
    dim = len(box)
    d = equivalent_diameter(t.volume, dim)
    spec = PolycrystalSpec(
        n_grains=max(len(sites), 8), mean_grain_size_m=float(np.mean(d)), dimension=dim,
        box_aspect=tuple(np.asarray(box) / box[0]),
    )  # fmt: skip
    return Polycrystal(spec, t, np.zeros(len(sites), bool), np.ones(t.face_area.size), d, 0)


def validate() -> list[dict]:
    import voxel_reference as vr

    from ssblab.micro.build import Materials, build_network
    from ssblab.micro.network import Phase
    from ssblab.micro.solve import solve_dc

    sg, delta = 4.6e-2, 2e-9
    sgb = sg / 100
    rows = []
    for dim, n, grids in ((2, 25, (512, 1024)), (3, 64, (96, 128))):
        box = np.ones(dim) * 1e-6 * n ** (1 / dim)
        sites = vr.random_sites(n, box, seed=0)
        t0 = time.perf_counter()
        crystal = _crystal_from_sites(sites, box)
        net = build_network(crystal, Materials(Phase("g", sg, 0, 60), Phase("gb", sgb, 0, 60),
                                               delta), gb_network=False)  # fmt: skip
        network = solve_dc(net, np.array([sg, sgb])).sigma_eff_s_per_m / sg
        t_net = time.perf_counter() - t0
        hs, values, times = [], [], []
        for n_vox in grids:
            h = box[0] / n_vox
            r = vr.voxel_reference(sites, box, h, sg, gb_conductance_s_per_m2=sgb / delta)
            hs.append(h)
            values.append(r.solve.sigma_eff_s_per_m / sg)
            times.append(r.total_time_s)
        limit = vr.first_order_limit(hs, values)
        row = {
            "dimension": dim, "grains": n, "network_sigma_over_grain": network,
            "network_time_s": t_net, "voxel_grids": list(grids),
            "voxel_sigma_over_grain": values, "voxel_times_s": times,
            "voxel_limit": limit, "difference_percent": 100 * (network / limit - 1),
        }  # fmt: skip
        print(f"validate {dim}-D {n} grains: network σ/σ_g {network:.5f} ({t_net:.2f} s); voxel "
              + ", ".join(f"{g}: {v:.5f} ({t:.1f} s)" for g, v, t in zip(grids, values, times,
                                                                           strict=True))
              + f"; h→0 {limit:.5f}; difference {row['difference_percent']:+.2f} %",
              flush=True)  # fmt: skip
        rows.append(row)
    return rows


def scaling(n: int, seed: int = 0, *, keep: dict | None = None) -> dict:
    from ssblab.micro.build import build_network
    from ssblab.micro.presets import materials
    from ssblab.micro.solve import solve_dc
    from ssblab.micro.structure import PolycrystalSpec, build_polycrystal

    mat = materials("llzto-bare")
    out = {"grains": n}
    t0 = time.perf_counter()
    crystal = build_polycrystal(PolycrystalSpec(n_grains=n, mean_grain_size_m=5e-6, seed=seed))
    out["tessellation_s"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    ion_net = build_network(crystal, mat, gb_network=False)
    out["build_ion_s"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    ion = solve_dc(ion_net, ion_net.sigma_ion_at(298.15))
    out["solve_ion_s"] = time.perf_counter() - t2
    t3 = time.perf_counter()
    e_net = build_network(crystal, mat, gb_network=True)
    out["build_e_s"] = time.perf_counter() - t3
    t4 = time.perf_counter()
    electronic = solve_dc(e_net, e_net.sigma_e_at(298.15))
    out["solve_e_s"] = time.perf_counter() - t4
    out["total_s"] = time.perf_counter() - t0
    out["sigma_ion_s_per_cm"] = ion.sigma_eff_s_per_m * 1e-2
    out["sigma_e_s_per_cm"] = electronic.sigma_eff_s_per_m * 1e-2
    out["unknowns_ion"], out["unknowns_e"] = ion_net.n_nodes, e_net.n_nodes
    out["solvers"] = [ion.solver, electronic.solver]
    out["peak_rss_gb"] = peak_rss_gb()
    print(f"{n:>9,} grains: tessellation {out['tessellation_s']:.1f} s, build "
          f"{out['build_ion_s']:.1f} + {out['build_e_s']:.1f} s, solve σ_ion "
          f"{out['solve_ion_s']:.1f} s ({ion.solver}, "
          f"{ion_net.n_nodes:,} nodes), σ_e {out['solve_e_s']:.1f} s ({electronic.solver}, "
          f"{e_net.n_nodes:,} nodes); total {out['total_s']:.1f} s; σ_ion "
          f"{out['sigma_ion_s_per_cm']:.4g} S/cm, σ_e {out['sigma_e_s_per_cm']:.4g} S/cm; "
          f"peak RSS {out['peak_rss_gb']:.2f} GB", flush=True)  # fmt: skip
    if keep is not None:
        keep["crystal"] = crystal
    return out


def ac(n: int) -> dict:
    from ssblab.micro.build import build_network
    from ssblab.micro.presets import materials
    from ssblab.micro.solve import solve_ac
    from ssblab.micro.structure import PolycrystalSpec, build_polycrystal

    crystal = build_polycrystal(PolycrystalSpec(n_grains=n, mean_grain_size_m=5e-6, seed=1))
    net = build_network(crystal, materials("llzto-bare"), gb_network=False)
    f = np.logspace(9, 0, 40)
    t0 = time.perf_counter()
    result = solve_ac(net, net.sigma_ion_at(298.15), f)
    seconds = time.perf_counter() - t0
    out = {"grains": n, "frequencies": 40, "seconds": seconds, "solver": result.solver,
           "iterations": list(result.iterations), "peak_rss_gb": peak_rss_gb()}  # fmt: skip
    print(
        f"AC: {n:,} grains, 40 frequencies in {seconds:.1f} s ({result.solver}, iterations "
        f"{min(result.iterations or [0])}–{max(result.iterations or [0])})",
        flush=True,
    )
    return out


def voxel(crystal) -> dict:
    import voxel_reference as vr

    from ssblab.micro.presets import GB_SIGMA_ION_S_M, GB_THICKNESS_M, SIGMA_ION_LLZTO_S_M

    t = crystal.tessellation
    n = t.n_cells
    per_side = round((1000 * n) ** (1 / 3))
    h = t.box[0] / per_side
    t0 = time.perf_counter()
    r = vr.voxel_reference(t.sites, t.box, h, SIGMA_ION_LLZTO_S_M,
                           gb_conductance_s_per_m2=GB_SIGMA_ION_S_M / GB_THICKNESS_M)  # fmt: skip
    seconds = time.perf_counter() - t0
    out = {"grains": n, "voxels_per_side": per_side, "seconds": seconds,
           "sigma_ion_s_per_cm": r.solve.sigma_eff_s_per_m * 1e-2}  # fmt: skip
    print(
        f"voxel solver on the {n:,}-grain structure: {per_side}³ voxels in {seconds:.1f} s, "
        f"σ_ion {out['sigma_ion_s_per_cm']:.4g} S/cm",
        flush=True,
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--validate", action="store_true")
    parser.add_argument("--sizes", default="1e4,1e5")
    parser.add_argument("--ac", type=float, default=0)
    parser.add_argument("--voxel", type=float, default=0)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    report: dict = {}
    if args.validate:
        report["validation"] = validate()
    sizes = [int(float(s)) for s in args.sizes.split(",") if s]
    report["scaling"] = []
    kept: dict = {}
    for n in sizes:
        keep = kept if args.voxel and int(args.voxel) == n else None
        report["scaling"].append(scaling(n, keep=keep))
    if len(sizes) >= 2:
        a, b = report["scaling"][0], report["scaling"][-1]
        exponent = np.log(b["total_s"] / a["total_s"]) / np.log(b["grains"] / a["grains"])
        report["scaling_exponent"] = float(exponent)
        print(
            f"scaling exponent of the total time, {a['grains']:,} → {b['grains']:,} grains: "
            f"{exponent:.2f}"
        )
    if args.voxel and "crystal" in kept:
        report["voxel"] = voxel(kept["crystal"])
    if args.ac:
        report["ac"] = ac(int(args.ac))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
