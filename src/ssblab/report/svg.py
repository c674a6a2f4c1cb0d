"""Figures as inline SVG text: matplotlib's SVG cleaned for embedding in one HTML page.

The figure functions of :mod:`ssblab.impedance.figures` and :mod:`ssblab.cycling.figures` write
to a path; :func:`svg_of` hands them a temporary ``.svg`` path and reads it back. Text stays
text (``svg.fonttype = none``), so axis labels with their units are searchable and print sharp,
and no font is embedded or fetched. The cleaning removes what would make the page refer
outside itself or collide with another figure on the same page:

* the XML declaration, the DOCTYPE (it names a DTD on w3.org) and the RDF ``<metadata>`` block
  (``rdf:resource="http://purl.org/…"``, a creation date that would change the file each run);
* the ``xmlns`` declarations (the HTML parser puts inline ``<svg>`` in the SVG namespace and
  maps ``xlink:href`` itself);
* ids: matplotlib names markers and clip paths by a hash of their content, so two figures can
  define the same id; every id (and every ``#id`` reference) gets a per-figure prefix.

Also small plots of stored results (a workspace holds numbers, not result objects), drawn with
the same style as the library's figures.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from ssblab._plotting import plt

STYLE = {"font.size": 8, "axes.linewidth": 0.6, "lines.linewidth": 1.0, "svg.fonttype": "none"}

_DROP = (
    re.compile(r"<\?xml[^>]*\?>\s*"),
    re.compile(r"<!DOCTYPE[^>]*>\s*", re.DOTALL),
    re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL),
    re.compile(r"""\s+xmlns(?::\w+)?=("[^"]*"|'[^']*')"""),
)


def clean_svg(text: str) -> str:
    """``text`` (an SVG document) as an element to inline in HTML (module docstring)."""
    for pattern in _DROP:
        text = pattern.sub("", text)
    prefix = "f" + hashlib.sha256(text.encode()).hexdigest()[:8] + "-"
    text = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', text)
    text = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}{m.group(1)}"', text)
    text = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m.group(1)})", text)
    return text.strip()


def svg_of(draw: Callable[[Path], object]) -> str:
    """The SVG that ``draw(path)`` writes to a temporary ``.svg`` path, cleaned."""
    with tempfile.TemporaryDirectory(prefix="ssblab-report-") as folder:
        path = Path(folder) / "figure.svg"
        with plt.rc_context({"svg.fonttype": "none"}):
            draw(path)
        return clean_svg(path.read_text(encoding="utf-8"))


def figure_svg(fig) -> str:
    """A matplotlib figure as cleaned SVG (the figure is closed)."""
    import io

    buffer = io.StringIO()
    fig.tight_layout()
    with plt.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg")
    plt.close(fig)
    return clean_svg(buffer.getvalue())


def nyquist_overlay(curves: list[tuple[str, object]], title: str = "") -> str:
    """−Z″ vs Z′ of several stored spectra (label, complex impedance in Ω) on equal axes."""
    import numpy as np

    top = max(float(np.max(np.abs(z))) for _, z in curves)
    factor, unit = next(
        ((f, u) for f, u in ((1e6, "MΩ"), (1e3, "kΩ")) if top >= 10 * f), (1.0, "Ω")
    )
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(4.2, 3.4))
        for label, z in curves:
            z = np.asarray(z)
            ax.plot(
                z.real / factor, -z.imag / factor, "o-", ms=2.5, lw=0.6, mfc="none", label=label
            )
        ax.set_aspect("equal", adjustable="datalim")
        ax.set_xlabel(f"Z′ ({unit})")
        ax.set_ylabel(f"−Z″ ({unit})")
        ax.set_title(title, fontsize=8)
        ax.legend(fontsize=6, frameon=False)
        return figure_svg(fig)


def asr_over_time(series: list[tuple[str, list[float], list[float]]], title: str = "") -> str:
    """ASR (Ω·cm²) vs time (h) of stored symmetric-cell half-cycles, one line per cell."""
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(5.0, 2.6))
        for label, hours, asr in series:
            ax.plot(hours, asr, "o-", ms=2, lw=0.6, label=label)
        ax.set_xlabel("Time (h)")
        ax.set_ylabel("ASR (Ω·cm²)")
        ax.set_yscale("log")
        ax.set_title(title, fontsize=8)
        ax.legend(fontsize=6, frameon=False)
        return figure_svg(fig)


def capacity_over_cycles(
    series: list[tuple[str, list[float], list[float], list[float]]], title: str = ""
) -> str:
    """Discharge capacity (mAh) and Coulombic efficiency (%) vs cycle, one line per cell."""
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(5.0, 2.8))
        ce_axis = ax.twinx()
        for label, cycle, capacity, ce in series:
            ax.plot(cycle, capacity, "o-", ms=2, lw=0.6, label=label)
            ce_axis.plot(cycle, ce, ".", ms=2, color="0.5")
        ax.set_xlabel("Cycle")
        ax.set_ylabel("Discharge capacity (mAh)")
        ce_axis.set_ylabel("Coulombic efficiency (%)", color="0.4")
        ax.set_title(title, fontsize=8)
        ax.legend(fontsize=6, frameon=False)
        return figure_svg(fig)
