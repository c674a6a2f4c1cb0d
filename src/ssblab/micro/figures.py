"""Figures of polycrystal simulations (matplotlib, Agg backend, loaded on first use).

* :func:`structure_slice`: a 2-D structure drawn as its exact cells (polygons from
  :func:`ssblab.micro.export.cell_polygons`), a 3-D one as the section at mid-depth of the
  third axis, rasterised: each pixel belongs to the cell whose site is power-nearest,
  argmin_i |x − p_i|² − w_i (the Laguerre/Voronoi rule itself, so the section is exact up to
  the pixel size). Grains in random light colours, pores black, grain boundaries dark lines
  (2-D: the cell edges; 3-D: pixels whose neighbour belongs to another cell).
* :func:`nyquist`: the simulated spectrum with :func:`ssblab.impedance.figures.nyquist`.
* :func:`risk_map`: the nodes of the transport network coloured by the local Li potential
  U = φ_e − φ_i (V) of a :class:`~ssblab.micro.deposition.DepositionResult`, deposition sites
  (U < −η_nuc) ringed, on the structure's grain boundaries; for 3-D the nodes within half a mean
  grain size of the mid-depth section.

Lengths on the axes in µm. Every function returns the path written.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ssblab._plotting import plt
from ssblab.micro.structure import Polycrystal

STYLE = {"font.size": 8, "axes.linewidth": 0.6, "lines.linewidth": 0.8, "savefig.dpi": 200}
UM = 1e6
_MAX_PIXELS = 1600


def _save(fig, path: Path) -> Path:
    path = Path(path)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def _grain_colours(n: int, seed: int = 0) -> np.ndarray:
    """(n, 4) light RGBA colours, neighbours unlikely to match (random order of tab20)."""
    cmap = plt.get_cmap("tab20")
    rng = np.random.default_rng(seed)
    colours = np.asarray(cmap(rng.integers(0, 20, n) / 19.0))
    colours[:, :3] = 0.45 + 0.55 * colours[:, :3]  # lighter, so lines and markers stand out
    return colours


def section_plane(crystal: Polycrystal) -> tuple[int, int, float | None]:
    """(horizontal axis, vertical axis, depth in m or None) of the figure plane: axes 0 and 1,
    at the middle of axis 2 for a 3-D structure."""
    if crystal.dimension == 2:
        return 0, 1, None
    return 0, 1, 0.5 * float(crystal.box_m[2])


def raster_cells(crystal: Polycrystal, pixels: int = 600) -> tuple[np.ndarray, list[float]]:
    """Cell index of every pixel of the figure plane (rows from the bottom) and the plane's
    extent (m): the power-nearest site of each pixel centre, by one k = 1 KD-tree query of
    sites lifted by √(W − w_i) (|x − p_i|² + W − w_i is minimal where |x − p_i|² − w_i is)."""
    from scipy.spatial import cKDTree

    t = crystal.tessellation
    h, v, depth = section_plane(crystal)
    box = crystal.box_m
    longest = float(max(box[h], box[v]))
    step = longest / min(max(int(pixels), 16), _MAX_PIXELS)
    nx = max(round(box[h] / step), 1)
    ny = max(round(box[v] / step), 1)
    xs = (np.arange(nx) + 0.5) * box[h] / nx
    ys = (np.arange(ny) + 0.5) * box[v] / ny
    gx, gy = np.meshgrid(xs, ys)
    query = np.zeros((gx.size, t.dimension + 1))
    query[:, h], query[:, v] = gx.ravel(), gy.ravel()
    if depth is not None:
        query[:, 2] = depth
    lift = np.sqrt(np.max(t.weights) - t.weights)
    tree = cKDTree(np.column_stack([t.sites, lift]))
    _, cell = tree.query(query, k=1)
    return cell.reshape(ny, nx), [0.0, float(box[h]), 0.0, float(box[v])]


def _boundaries(cells: np.ndarray) -> np.ndarray:
    edge = np.zeros(cells.shape, dtype=bool)
    edge[:, 1:] |= cells[:, 1:] != cells[:, :-1]
    edge[1:, :] |= cells[1:, :] != cells[:-1, :]
    return edge


def _draw_cells(ax, crystal: Polycrystal, *, coloured: bool, pixels: int = 600) -> None:
    """Grains (coloured or white), pores black, grain boundaries as dark lines."""
    n = crystal.tessellation.n_cells
    colours = _grain_colours(n) if coloured else np.tile([1.0, 1.0, 1.0, 1.0], (n, 1))
    colours[crystal.is_pore] = [0.0, 0.0, 0.0, 1.0]
    if crystal.dimension == 2:
        from matplotlib.collections import PolyCollection

        from ssblab.micro.export import cell_polygons

        polygons = [p * UM for p in cell_polygons(crystal)]
        edge = "0.15" if coloured else "0.55"
        ax.add_collection(
            PolyCollection(polygons, facecolors=colours, edgecolors=edge, linewidths=0.4)
        )
    else:
        cells, extent = raster_cells(crystal, pixels)
        image = colours[cells]
        image[_boundaries(cells)] = [0.15, 0.15, 0.15, 1.0] if coloured else [0.55] * 3 + [1.0]
        ax.imshow(image, origin="lower", extent=[e * UM for e in extent], interpolation="none")
    box = crystal.box_m
    ax.set_xlim(0, box[0] * UM)
    ax.set_ylim(0, box[1] * UM)
    ax.set_aspect("equal")
    ax.set_xlabel("x (µm)")
    ax.set_ylabel("y (µm)")


def _describe(crystal: Polycrystal) -> str:
    s = crystal.summary()
    text = (
        f"{s['grains']} grains, d = {s['mean_grain_size_m'] * UM:.3g} µm, "
        f"ρ = {s['relative_density']:.3f}"
    )
    _, _, depth = section_plane(crystal)
    if depth is not None:
        text += f"; section z = {depth * UM:.3g} µm"
    return text


def structure_slice(
    crystal: Polycrystal, path: str | Path, *, title: str = "", pixels: int = 600
) -> Path:
    """The structure (2-D) or its mid-depth section (3-D); see the module docstring."""
    box = crystal.box_m
    aspect = float(box[1] / box[0])
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(4.2, max(2.0, min(8.0, 4.2 * aspect)) + 0.4))
        _draw_cells(ax, crystal, coloured=True, pixels=pixels)
        ax.set_title(title or _describe(crystal), fontsize=7)
        return _save(fig, path)


def nyquist(spectrum, path: str | Path, *, title: str = "") -> Path:
    """−Z″ vs Z′ of a simulated spectrum (decades annotated)."""
    from ssblab.impedance import figures

    return figures.nyquist(
        spectrum.frequency_hz, spectrum.impedance_ohm, Path(path), title=title or spectrum.source
    )


def risk_map(crystal: Polycrystal, network, result, path: str | Path, *, title: str = "") -> Path:
    """Nodes coloured by U (V), deposition sites ringed; see the module docstring."""
    from matplotlib.colors import Normalize
    from matplotlib.lines import Line2D

    h, v, depth = section_plane(crystal)
    pos = network.node_position_m
    u = np.asarray(result.li_potential_v, dtype=float)
    shown = (network.node_kind != 2) & np.isfinite(u)
    if depth is not None:
        shown &= np.abs(pos[:, 2] - depth) <= 0.5 * crystal.mean_grain_size_m
    sites = np.zeros(network.n_nodes, dtype=bool)
    sites[list(result.deposition_sites)] = True
    # symmetric about U = 0 (white): red is Li-supersaturated (U < 0), blue Li-depleted
    top = float(np.max(np.abs(u[shown]))) if shown.any() else 0.0
    norm = Normalize(vmin=-top, vmax=top) if top > 0 else Normalize(vmin=-1e-6, vmax=1e-6)
    n_shown = max(int(shown.sum()), 1)
    size = float(np.clip(6000.0 / n_shown, 1.5, 40.0))
    box = crystal.box_m
    aspect = float(box[1] / box[0])
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(4.8, max(2.0, min(8.0, 4.2 * aspect)) + 0.4))
        _draw_cells(ax, crystal, coloured=False)
        scatter = None
        for kind, marker, scale in ((0, "o", 1.0), (1, "s", 0.45)):
            pick = shown & (network.node_kind == kind)
            if pick.any():
                scatter = ax.scatter(
                    pos[pick, h] * UM, pos[pick, v] * UM, c=u[pick], cmap="RdBu", norm=norm,
                    s=size * scale, marker=marker, linewidths=0, zorder=3,
                )  # fmt: skip
        pick = shown & sites
        if pick.any():
            ax.scatter(
                pos[pick, h] * UM, pos[pick, v] * UM, s=size * 3.0, facecolors="none",
                edgecolors="k", linewidths=0.6, zorder=4,
            )  # fmt: skip
        if scatter is not None:
            bar = fig.colorbar(scatter, ax=ax, fraction=0.046, pad=0.03)
            bar.set_label("U = φ_e − φ_i (V)")
        plating = pos[result.plating_node, network.axis]
        stripping = pos[result.stripping_node, network.axis]
        if network.axis == h:
            for x, name in ((plating, "Li (plating)"), (stripping, "Li (stripping)")):
                ax.axvline(x * UM, color="0.3", lw=2.0, zorder=5)
                ax.annotate(name, (x * UM, box[v] * UM), xytext=(0, 2),
                            textcoords="offset points", ha="center", va="bottom",
                            fontsize=6, annotation_clip=False)  # fmt: skip
        handles = [
            Line2D([], [], ls="", marker="o", color="0.5", ms=4, label="grain node"),
            Line2D([], [], ls="", marker="s", color="0.5", ms=3, label="GB face node"),
            Line2D(
                [],
                [],
                ls="",
                marker="o",
                mfc="none",
                mec="k",
                ms=6,
                label="deposition site (U < −η_nuc)",
            ),
        ]
        ax.legend(handles=handles, fontsize=5.5, loc="upper center", bbox_to_anchor=(0.5, -0.16),
                  ncol=3, frameon=False)  # fmt: skip
        j_ma_cm2 = result.current_density_a_per_m2 / 10.0
        t_c = result.temperature_k - 273.15
        ax.set_title(
            title
            or f"{_describe(crystal)}\nJ = {j_ma_cm2:.3g} mA/cm², T = {t_c:.4g} °C, "
            f"f_dep = {result.deposition_fraction:.3g}",
            fontsize=7,
        )
        return _save(fig, path)
