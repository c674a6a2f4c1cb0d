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


def seed003_curves(path: Path) -> Path:
    """Seed 003: the model's CCD vs temperature and vs stack pressure, and the constriction ASR
    vs pressure, beside the paper's numbers (the 30 °C CCD is the one fitted point)."""
    import numpy as np

    from ssblab.models.parameter_schema import parameter_set
    from ssblab.replicate import seed003 as s3

    anode = s3.calibrated_anode()
    t_c = np.linspace(30.0, 160.0, 27)
    ccd_t = [s3._ccd_at(t + 273.15, anode) / 10.0 for t in t_c]  # mA/cm²
    pressures_mpa = np.geomspace(1.0, 10.0, 19)
    ccd_p = [
        s3._ccd_at(298.15, anode, pressure=p * 1e6, contact=None) * 1e2 for p in pressures_mpa
    ]  # µA/cm²
    _, cell = parameter_set("llzto_bare")
    asr_p = np.geomspace(5.0, 400.0, 25)
    asr = [s3._asr(p * 1e6, 1.0 / cell.sse_sigma_ion) * 1e4 for p in asr_p]  # Ω·cm²
    fig, axes = plt.subplots(1, 3, figsize=(13.0, 4.0))
    ax = axes[0]
    ax.semilogy(t_c, ccd_t, "-", color="C0", label="ssblab (void onset, 0.5-h steps, f = 1)")
    ax.semilogy([30.0], [0.05], "ks", label="seed 003, 30 °C (fitted)")
    ax.semilogy([160.0], [14.0], "ko", mfc="none", label="seed 003, 160 °C (predicted)")
    ax.set_xlabel("temperature (°C)")
    ax.set_ylabel("critical current density (mA/cm²)")
    ax.set_title("CCD vs temperature, Li | LLZO | Li")
    ax.legend(fontsize=8)
    ax = axes[1]
    ax.loglog(pressures_mpa, ccd_p, "-", color="C0", label="ssblab (rough contact, 25 °C)")
    ax.set_xlabel("stack pressure (MPa)")
    ax.set_ylabel("stripping CCD (µA/cm²)")
    ax.set_title("stripping CCD vs stack pressure\n(no verified published points plotted)")
    ax.legend(fontsize=8)
    ax = axes[2]
    ax.loglog(asr_p, asr, "-", color="C0", label="ssblab (rough contact, Holm spots)")
    ax.loglog([150.0], [20.0], "ko", mfc="none", label="seed 003: 20 Ω·cm² at 150 MPa")
    ax.errorbar([400.0], [1.0], yerr=[[0.5], [0.0]], uplims=True, fmt="kv",
                label="seed 003: < 1 Ω·cm² at 400 MPa")  # fmt: skip
    ax.set_xlabel("stack pressure (MPa)")
    ax.set_ylabel("constriction ASR (Ω·cm²)")
    ax.set_title("Li | LLZTO contact vs pressure")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return path
