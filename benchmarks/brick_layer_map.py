"""Regenerate the tables and figures of docs/brick_layer_error.md ("when the brick layer misleads").

Runs the studies of :mod:`ssblab.micro.studies` — Fleig & Maier partial contact and resistive-GB
fraction (3-D), the log-normal GB-conductivity study (2-D as the 2014 paper, and 3-D), and the
grain-size-CV × relative-density map (3-D, LLZTO, R_gb ≈ R_b, several seeds) — then writes

* ``brick_layer_error_map.png`` and ``brick_layer_error_spectra.png`` into ``--figures``;
* each markdown table between its ``<!-- table:NAME -->`` … ``<!-- /table:NAME -->`` markers
  in ``--doc`` (the text around them is left alone).

    python benchmarks/brick_layer_map.py            # full: ~10 min on the 2-core VM
    python benchmarks/brick_layer_map.py --quick    # 250-grain, one-seed version, ~1 min,
                                                    # into out/brick_layer_error/ (docs untouched)

The full run writes into docs/ by default; ``--quick`` into out/brick_layer_error/ (its
tables go to tables.md there) unless ``--doc``/``--figures`` are given.
"""

from __future__ import annotations

import argparse
import pickle
import re
import time
from pathlib import Path

import numpy as np

from ssblab.micro import studies as st

ROOT = Path(__file__).resolve().parents[1]
CVS = (0.0, 0.2, 0.4, 0.6, 0.8)
DENSITIES = (1.0, 0.95, 0.9, 0.85)


def pct(x: float | None, digits: int = 1) -> str:
    return "–" if x is None or not np.isfinite(x) else f"{100 * x:+.{digits}f} %"


def span(stats) -> str:
    mean, lo, hi = stats
    return f"{100 * mean:+.1f} [{100 * lo:+.1f}, {100 * hi:+.1f}]"


# ------------------------------------------------------------------------------------- tables


def contact_table(rows) -> str:
    header = [
        "R_gb/R_b (BLM)",
        "picture",
        "contact f",
        "σ_bulk err",
        "δ/d from C (true 4.0e-4)",
        "σ_gb err, C ratio",
        "σ_gb err, known δ/d",
        "d ln R_gb / d ln σ_g",
        "α_gb",
        "auto arcs",
    ]
    body = [
        [
            f"{r.extra['gb_to_bulk']:g}",
            r.extra["picture"],
            f"{r.extra['contact']:g}",
            pct(r.err_bulk),
            f"{r.reading.delta_over_d:.2e}",
            pct(r.err_gb_specific),
            pct(r.err_gb_geometric),
            f"{r.extra['gb_bulk_slope']:+.3f}",
            f"{r.reading.gb.alpha:.3f}",
            str(r.extra["auto_arcs"] if r.extra["auto_arcs"] is not None else "–"),
        ]
        for r in rows
    ]
    return st.markdown_table(header, body)


def resistive_table(rows) -> str:
    header = [
        "resistive fraction x",
        "α_gb",
        "σ_gb,C-ratio / σ_gb,normal",
        "err vs arithmetic mean",
        "harmonic mean / σ_gb,normal",
        "R_gb / R_gb,series BLM",
        "auto arcs",
    ]
    body = []
    for r in rows:
        e = r.extra
        normal = e["sigma_gb_normal"]
        body.append(
            [
                f"{e['fraction']:.3f}",
                f"{r.reading.gb.alpha:.3f}",
                f"{r.sigma_gb_specific / normal:.3f}",
                pct(r.err_gb_specific),
                f"{e['sigma_gb_harmonic'] / normal:.3f}",
                "–" if e["r_gb_over_series_blm"] is None else f"{e['r_gb_over_series_blm']:.3f}",
                str(e["auto_arcs"] if e["auto_arcs"] is not None else "–"),
            ]
        )
    return st.markdown_table(header, body)


def lognormal_table(rows) -> str:
    header = [
        "dim",
        "grain CV (meas.)",
        "ln-σ width s",
        "GM/AM",
        "α_gb",
        "σ_gb err, C ratio",
        "σ_gb,cal / AM − 1",
        "σ_gb,cal / GM − 1",
        "ε_gb err (Hsu–Mansfeld)",
        "ε_gb err (Brug)",
    ]
    body = []
    for r in rows:
        e = r.extra
        cal = r.sigma_gb_true * (1 + e["err_gb_calibrated"])
        body.append(
            [
                f"{r.dimension}-D",
                f"{e['grain_size_cv_input']:g} ({r.size_cv:.2f})",
                f"{e['width']:g}",
                f"{e['sigma_gb_geometric_mean'] / r.sigma_gb_true:.3f}",
                f"{e['alpha_gb']:.3f}",
                pct(r.err_gb_specific),
                pct(e["err_gb_calibrated"]),
                pct(cal / e["sigma_gb_geometric_mean"] - 1),
                pct(e["err_eps_calibrated"]),
                pct(e["err_eps_calibrated_brug"]),
            ]
        )
    return st.markdown_table(header, body)


def map_table(cells) -> str:
    header = [
        "grain CV input (measured)",
        "rel. density (measured)",
        "σ_gb err, C ratio, % mean [min, max]",
        "σ_gb err, δ/d with mean d, %",
        "σ_bulk err, %",
        "σ_total err, forward BLM, %",
        "α_gb",
    ]
    body = [
        [
            f"{c.grain_size_cv_input:g} ({c.size_cv_measured:.2f})",
            f"{c.relative_density_input:g} ({c.relative_density_measured:.3f})",
            span(c.err_gb_specific),
            span(c.err_gb_geometric),
            span(c.err_bulk),
            span(c.err_total_blm),
            f"{c.alpha_gb_mean:.3f}",
        ]
        for c in cells
    ]
    return st.markdown_table(header, body)


# ------------------------------------------------------------------------------------ figures


def map_figure(cells, cvs, densities, path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [
        ("err_gb_specific", "σ_gb, capacitance-ratio BLM"),
        ("err_gb_geometric", "σ_gb, BLM with known δ/d (d = mean)"),
        ("err_total_blm", "σ_total, forward series BLM"),
    ]
    cell = {(c.grain_size_cv_input, c.relative_density_input): c for c in cells}
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.8), constrained_layout=True)
    for ax, (name, label) in zip(axes, panels, strict=True):
        grid = np.full((len(densities), len(cvs)), np.nan)
        for i, rho in enumerate(densities):
            for j, cv in enumerate(cvs):
                c = cell.get((cv, rho))
                if c is not None:
                    grid[i, j] = 100 * getattr(c, name)[0]
        limit = max(5.0, float(np.nanmax(np.abs(grid))))
        image = ax.imshow(grid, cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto")
        for i, rho in enumerate(densities):
            for j, cv in enumerate(cvs):
                c = cell.get((cv, rho))
                if c is None:
                    continue
                mean, lo, hi = (100 * v for v in getattr(c, name))
                ax.text(
                    j,
                    i,
                    f"{mean:+.0f}\n[{lo:+.0f}, {hi:+.0f}]",
                    ha="center",
                    va="center",
                    fontsize=8,
                )
        measured = {
            cv: np.mean([cell[(cv, r)].size_cv_measured for r in densities if (cv, r) in cell])
            for cv in cvs
        }
        ax.set_xticks(range(len(cvs)), [f"{cv:g}\n({measured[cv]:.2f})" for cv in cvs])
        ax.set_yticks(range(len(densities)), [f"{r:g}" for r in densities])
        ax.set_xlabel("grain-size CV: input (measured) (–)")
        ax.set_ylabel("relative density (–)")
        ax.set_title(label)
        fig.colorbar(image, ax=ax, label="error: estimate/true − 1 (%)")
    fig.suptitle(title)
    fig.savefig(path, dpi=130)
    plt.close(fig)


def spectra_figure(contact, resistive, lognormal, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.6), constrained_layout=True)
    groups = [
        (
            axes[0],
            [
                r
                for r in contact
                if r.extra["contact"] in (1.0, 0.2) and r.extra["gb_to_bulk"] == 1.0
            ],
            lambda r: (
                "uniform GB (f = 1)"
                if r.extra["contact"] == 1
                else f"{r.extra['picture']}, contact f = {r.extra['contact']:g}"
            ),
            "(a) partial GB contact, 3-D",
        ),
        (
            axes[1],
            [r for r in resistive if round(r.extra["fraction"], 2) in (0.0, 0.1, 0.3)],
            lambda r: f"x = {r.extra['fraction']:.2f} of GBs ×1/100",
            "(b) highly resistive GB fraction, 3-D",
        ),
        (
            axes[2],
            [r for r in lognormal if r.dimension == 2 and r.extra["width"] in (0.0, 1.0, 2.0)],
            lambda r: f"ln-σ_gb width s = {r.extra['width']:g}",
            "(c) log-normal GB σ, 2-D",
        ),
    ]
    seen = set()
    for ax, rows, label, title in groups:
        top = 0.0
        for k, r in enumerate(rows):
            key = (title, label(r))
            if key in seen or r.case == "blocked f=1":  # the same network as "pore f=1"
                continue
            seen.add(key)
            scale = r.reading.area_m2 / r.reading.length_m  # Ω → Ω·m
            z = r.impedance_ohm * scale
            line = ax.plot(z.real, -z.imag, "o", ms=3, label=label(r), color=f"C{k}")[0]
            fit = r.reading.predict(r.frequency_hz) * scale
            ax.plot(fit.real, -fit.imag, "-", lw=1, color=line.get_color())
            top = max(top, float(z.real.max()))
        ax.set_xlim(0, 1.03 * top)
        ax.set_ylim(0, 0.55 * top)
        ax.set_aspect("equal", adjustable="box")
        ax.set_xlabel("Z'·A/L (Ω·m)")
        ax.set_ylabel("−Z''·A/L (Ω·m)")
        ax.set_title(title)
        ax.legend(fontsize=8, title="points: simulated; lines: 2-arc fit", title_fontsize=8)
    fig.savefig(path, dpi=130, bbox_inches="tight")
    plt.close(fig)


# --------------------------------------------------------------------------------------- main


def replace_block(text: str, name: str, table: str) -> str:
    pattern = re.compile(rf"(<!-- table:{name} -->).*?(<!-- /table:{name} -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"{name}: markers <!-- table:{name} --> … missing in the doc")
    return pattern.sub(lambda m: f"{m.group(1)}\n{table}\n{m.group(2)}", text)


def run_studies(n3: int, n2: int, seeds):
    cvs, densities = CVS, DENSITIES
    timings = {}
    start = time.perf_counter()
    contact = st.fleig_maier_contact_study(n_grains=n3)
    contact += st.fleig_maier_contact_study(n_grains=n3, pictures=("blocked",), gb_to_bulk=0.1)
    timings["contact"] = time.perf_counter() - start
    print(contact_table(contact), "\n", flush=True)

    start = time.perf_counter()
    resistive = st.fleig_maier_resistive_fraction_study(n_grains=n3)
    timings["resistive"] = time.perf_counter() - start
    print(resistive_table(resistive), "\n", flush=True)

    start = time.perf_counter()
    lognormal = st.lognormal_gb_study(dimension=2, n_grains=n2, grain_size_cvs=(0.0, 0.6))
    lognormal += st.lognormal_gb_study(dimension=3, n_grains=n3)
    thickness = st.lognormal_gb_study(dimension=2, n_grains=n2, spread="thickness")
    timings["lognormal"] = time.perf_counter() - start
    print(lognormal_table(lognormal), "\n", lognormal_table(thickness), "\n", flush=True)

    start = time.perf_counter()

    def progress(row):
        print(f"  {row.case} seed {row.seed}: σ_gb {pct(row.err_gb_specific)}", flush=True)

    rows = st.brick_layer_map(cvs, densities, seeds=seeds, n_grains=n3, progress=progress)
    timings["map"] = time.perf_counter() - start
    return contact, resistive, lognormal, thickness, rows, timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small structures, one seed")
    parser.add_argument("--doc", type=Path, default=None, help="markdown file with the markers")
    parser.add_argument("--figures", type=Path, default=None, help="directory for the PNGs")
    parser.add_argument(
        "--replot",
        action="store_true",
        help="rewrite tables and figures from the last run's cache (out/brick_layer_error/)",
    )
    args = parser.parse_args()
    cache = ROOT / "out" / "brick_layer_error" / ("quick.pkl" if args.quick else "full.pkl")

    if args.quick:
        out = ROOT / "out" / "brick_layer_error"
        n3, n2, seeds = 250, 400, (0,)
    else:
        out = ROOT / "docs" / "figures"
        n3, n2, seeds = 1000, 2000, (0, 1, 2)
    figures = args.figures or out
    figures.mkdir(parents=True, exist_ok=True)
    doc = args.doc or (out / "tables.md" if args.quick else ROOT / "docs" / "brick_layer_error.md")
    cvs, densities = CVS, DENSITIES

    if args.replot:
        with cache.open("rb") as handle:
            contact, resistive, lognormal, thickness, rows, timings = pickle.load(handle)
    else:
        contact, resistive, lognormal, thickness, rows, timings = run_studies(n3, n2, seeds)
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("wb") as handle:
            pickle.dump((contact, resistive, lognormal, thickness, rows, timings), handle)
    cells = st.summarise_map(rows)
    print(map_table(cells), flush=True)

    tables = {
        "contact": contact_table(contact),
        "resistive": resistive_table(resistive),
        "lognormal": lognormal_table(lognormal),
        "thickness": lognormal_table(thickness),
        "map": map_table(cells),
    }
    run = (
        f"Generated by `python benchmarks/brick_layer_map.py{' --quick' if args.quick else ''}`: "
        f"3-D {n3} grains, 2-D {n2} grains, map seeds {list(seeds)}; run time "
        + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items())
        + "."
    )
    tables["run"] = run
    if doc.exists():
        text = doc.read_text(encoding="utf-8")
        for name, table in tables.items():
            text = replace_block(text, name, table)
    else:
        text = "\n\n".join(
            f"## {name}\n\n<!-- table:{name} -->\n{table}\n<!-- /table:{name} -->"
            for name, table in tables.items()
        )
    doc.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    map_figure(
        cells,
        cvs,
        densities,
        figures / "brick_layer_error_map.png",
        f"Brick-layer errors, 3-D LLZTO polycrystals ({n3} grains, R_gb ≈ R_b, "
        f"{len(seeds)} seed{'s' if len(seeds) > 1 else ''}: mean [min, max] %)",
    )
    spectra_figure(contact, resistive, lognormal, figures / "brick_layer_error_spectra.png")
    print(f"\nwrote {doc} and the figures in {figures}; {run}")


if __name__ == "__main__":
    main()
