"""Publication figures from the knowledge base."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ssblab._plotting import plt

SITE_COLOURS = {"Li": "#1b9e77", "La": "#d95f02", "Zr": "#7570b3", "O": "#e7298a"}
MULTI_SITE = "#666666"


def garnet_dopant_points(table: pd.DataFrame) -> pd.DataFrame:
    """Garnet ionic-conductivity records with a dopant site and a relative density."""
    mask = (
        (table["family"] == "garnet")
        & (table["property"] == "ionic_conductivity")
        & table["dopant_site"].notna()
        & table["relative_density"].notna()
    )
    return table[mask]


def conductivity_vs_density(table: pd.DataFrame, path: Path) -> Path:
    """σ (log) vs relative density for garnet dopant records, coloured by dopant site."""
    points = garnet_dopant_points(table)
    fig, ax = plt.subplots(figsize=(5.0, 3.8), dpi=150)
    for site, group in points.groupby("dopant_site"):
        colour = SITE_COLOURS.get(str(site), MULTI_SITE)
        ax.scatter(
            group["relative_density"] * 100.0,
            group["value_si"] / 100.0,  # S/m -> S/cm
            label=f"{site} site",
            color=colour,
            edgecolor="black",
            linewidth=0.4,
            s=36,
            zorder=3,
        )
        for _, row in group.iterrows():
            ax.annotate(
                str(row["dopant_element"]),
                (row["relative_density"] * 100.0, row["value_si"] / 100.0),
                textcoords="offset points",
                xytext=(3, 3),
                fontsize=6,
            )
    ax.set_yscale("log")
    ax.set_xlabel("Relative density (%)")
    ax.set_ylabel(r"$\sigma_{\mathrm{Li^+}}$ at RT (S cm$^{-1}$)")
    ax.set_title("Doped LLZO: ssblab knowledge base (seed 001)", fontsize=9)
    ax.grid(True, which="both", linewidth=0.3, alpha=0.5)
    ax.legend(title="Dopant site", fontsize=7, title_fontsize=7, frameon=False)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path
