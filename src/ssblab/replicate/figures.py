"""Figures of a replication: paper vs ssblab (parity) and the seed-004 ALD sweep."""

from __future__ import annotations

import re
from pathlib import Path

from ssblab._plotting import plt
from ssblab.replicate.rows import Replication


def parity(replication: Replication, path: Path) -> Path:
    """ssblab vs paper for every numeric row (log axes per unit group), fitted vs predicted."""
    numeric = [r for r in replication.rows if r.residual is not None and r.paper and r.ssblab]
    fig, ax = plt.subplots(figsize=(5.0, 4.6))
    for kind, marker in (("fitted", "s"), ("predicted", "o")):
        rows = [r for r in numeric if r.basis == kind and r.paper > 0 and r.ssblab > 0]
        ax.scatter(
            [r.paper for r in rows],
            [r.ssblab for r in rows],
            marker=marker,
            label=kind,
            facecolors="none" if kind == "predicted" else None,
            edgecolors="C1" if kind == "predicted" else None,
        )
    values = [v for r in numeric for v in (r.paper, r.ssblab) if v > 0]
    if values:
        low, high = min(values) / 2, max(values) * 2
        ax.plot([low, high], [low, high], "k--", lw=0.8)
        ax.set_xscale("log")
        ax.set_yscale("log")
    ax.set_xlabel("paper")
    ax.set_ylabel("ssblab")
    ax.set_title(f"seed {replication.seed}: paper vs ssblab (each row in its unit)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return path


def ald_sweep(replication: Replication, path: Path) -> Path:
    """Seed 004: overpotential at cycle 300 vs ALD cycles, paper and ssblab."""
    points = []
    for row in replication.rows:
        match = re.match(r"(bare LATP|LATP@(\d+)Al2O3): overpotential, cycle 300$", row.quantity)
        if match:
            points.append((int(match.group(2) or 0), row.paper, row.ssblab, row.basis))
    points.sort()
    fig, ax = plt.subplots(figsize=(5.4, 4.0))
    ax.plot([p[0] for p in points], [p[1] for p in points], "ks-", label="seed 004")
    ax.plot([p[0] for p in points], [p[2] for p in points], "o--", color="C0", label="ssblab")
    for n, _paper, model, kind in points:
        if kind == "fitted":
            ax.annotate("fit", (n, model), textcoords="offset points", xytext=(4, 4), fontsize=8)
    ax.set_xlabel("ALD Al2O3 cycles (0.10 nm/cycle)")
    ax.set_ylabel("overpotential at cycle 300 (V)")
    ax.set_title("Li | Al2O3 | LATP, 0.01 mA/cm², 1-h steps")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return path
