"""Self-contained HTML reports (``ssblab report``), also for the web app.

Public functions
================

``render_report(files, *, geometry=None, cell="pellet", temperatures_K=None, title=None,
area_m2=None, active_mass_g=None, figures="all") -> str``
    The HTML page of instrument files (impedance and/or cycling, formats detected). ``geometry``
    is an :class:`ssblab.impedance.interpretation.Geometry` (thickness and electrode area, SI)
    or None (then no σ/ASR/E_a); ``cell`` is the cell kind as for ``ssblab eis conductivity``
    (``pellet``, ``symmetric``, ``film``, ``full``; ``symmetric``/``full`` also choose the
    cycling analysis, which is otherwise recognised from the voltage); ``temperatures_K`` gives
    one temperature per impedance spectrum (a sequence in file order, or a mapping from file
    name) for the Arrhenius fit; ``area_m2`` is the electrode area for cycling (default: the
    geometry's) and ``active_mass_g`` the full cell's active mass; ``figures`` is ``all``
    (Nyquist, Bode, residuals, DRT per spectrum), ``nyquist`` or ``none``.

``render_sample_report(workspace, sample, *, title=None) -> str``
    The HTML page of one sample of a workspace (a :class:`ssblab.workspace.Workspace` or its
    folder): its catalogue entry (geometry, processing), stored measurements and analyses
    (σ, E_a, ASR, CCD, retention, as ``ssblab query`` reports them) beside the knowledge base's
    records of the same family and dopant.

``build_report(...)`` / ``build_sample_report(...)`` return the :class:`~.model.Report` (its
sections, warnings and embedded data) for callers that want more than the page; ``render_html``
turns one into the page.

The numbers are the CLI's ``--json`` numbers, computed by the same functions
(:mod:`ssblab.report.compute`), and are embedded unrounded in the page as JSON
(``<script type="application/json" id="ssblab-report-data">``). Errors: a missing or unreadable
file, an unknown sample or bad options raise :class:`ssblab.errors.SsblabInputError` naming it.
Modules: :mod:`.model` (sections, provenance), :mod:`.compute` (the numbers), :mod:`.build`
(files), :mod:`.sample` (workspace samples), :mod:`.svg` (figures), :mod:`.html` (the page).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ssblab.impedance.interpretation import Geometry
    from ssblab.report.build import Temperatures
    from ssblab.report.model import Report
    from ssblab.workspace import Workspace


def build_report(files: list[Path], **options) -> Report:
    """The report of ``files`` (options as :func:`render_report`)."""
    from ssblab.report.build import build_file_report

    return build_file_report(files, **options)


def render_report(
    files: list[Path],
    *,
    geometry: Geometry | None = None,
    cell: str = "pellet",
    temperatures_K: Temperatures = None,
    title: str | None = None,
    area_m2: float | None = None,
    active_mass_g: float | None = None,
    figures: str = "all",
) -> str:
    """The HTML report of ``files`` (module docstring)."""
    from ssblab.report.html import render_html

    return render_html(
        build_report(
            files,
            geometry=geometry,
            cell=cell,
            temperatures_K=temperatures_K,
            title=title,
            area_m2=area_m2,
            active_mass_g=active_mass_g,
            figures=figures,
        )
    )


def build_sample_report(workspace: Workspace | str | Path, sample: str, **options) -> Report:
    """The report of ``sample`` in ``workspace`` (module docstring)."""
    from ssblab.report.sample import build_sample_report as build

    return build(workspace, sample, **options)


def render_sample_report(
    workspace: Workspace | str | Path, sample: str, *, title: str | None = None
) -> str:
    """The HTML report of ``sample`` in ``workspace`` (module docstring)."""
    from ssblab.report.html import render_html

    return render_html(build_sample_report(workspace, sample, title=title))


__all__ = [
    "build_report",
    "build_sample_report",
    "render_report",
    "render_sample_report",
]
