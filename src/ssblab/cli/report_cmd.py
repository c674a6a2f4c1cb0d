"""``ssblab report (SAMPLE | FILES…) -o report.html``: one self-contained HTML report.

With ``--workspace`` the single argument is a sample of that workspace; otherwise the arguments
are instrument files (impedance and/or cycling). Options are checked before any file is read;
a missing or unreadable file, an unknown sample or a bad option is one line and exit 2.
:mod:`ssblab.report` does the work (and is what the web app calls).
"""

from __future__ import annotations

import hashlib
import shlex
from pathlib import Path
from typing import Annotated

import typer

from ssblab.cli.output import console, emit_json
from ssblab.cli.paths import input_file, output_file
from ssblab.errors import SsblabInputError

FIGURES = ("all", "nyquist", "none")


def _command(targets, options: dict) -> str:
    """The command as it could be typed again (options in a fixed order)."""
    words = ["ssblab", "report", *map(str, targets)]
    for flag, value in options.items():
        for item in value if isinstance(value, list) else [value]:
            if item is not None and item is not False:
                words += [flag] if item is True else [flag, str(item)]
    return shlex.join(words)


def report_cmd(
    targets: Annotated[
        list[str], typer.Argument(help="Instrument files, or one SAMPLE with --workspace.")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")],
    workspace: Annotated[
        Path | None, typer.Option("--workspace", "-w", help="Report on a sample of this workspace.")
    ] = None,
    thickness: Annotated[str | None, typer.Option(help='Sample thickness, e.g. "0.5 mm".')] = None,
    diameter: Annotated[str | None, typer.Option(help='Electrode diameter, e.g. "12 mm".')] = None,
    area: Annotated[str | None, typer.Option(help='Electrode area, e.g. "1.13 cm^2".')] = None,
    cell: Annotated[
        str, typer.Option(help="pellet, symmetric, film or full (cycling: symmetric/full).")
    ] = "pellet",
    temperature: Annotated[
        list[str] | None, typer.Option(help='One per impedance spectrum, e.g. "25 degC".')
    ] = None,
    temperatures: Annotated[
        Path | None, typer.Option(help="CSV with columns file, temperature.")
    ] = None,
    mass: Annotated[str | None, typer.Option(help='Full cell active mass, e.g. "3.6 mg".')] = None,
    figures: Annotated[
        str, typer.Option(help="all (Nyquist, Bode, residuals, DRT), nyquist or none.")
    ] = "all",
    title: Annotated[str | None, typer.Option(help="Report title.")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """A self-contained HTML report (inline figures, tables with units, provenance)."""
    output = output_file(output, "--output", (".html", ".htm"))
    command = _command(
        targets,
        {
            "-o": output,
            "--workspace": workspace,
            "--thickness": thickness,
            "--diameter": diameter,
            "--area": area,
            "--cell": cell,
            "--temperature": temperature or [],
            "--temperatures": temperatures,
            "--mass": mass,
            "--figures": figures,
            "--title": title,
        },
    )
    if workspace is not None:
        report = _sample_report(targets, workspace, title, command)
    else:
        report = _file_report(
            targets,
            thickness,
            diameter,
            area,
            cell,
            temperature,
            temperatures,
            mass,
            figures,
            title,
            command,
        )
    from ssblab.cli.paths import write_text
    from ssblab.report.html import render_html

    text = render_html(report)
    write_text(output, text, "--output")
    data = text.encode("utf-8")
    payload = {
        "output": str(output),
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "sections": [s.summary() for s in report.sections],
        "warnings": report.warnings,
    }
    if json_output:
        emit_json(payload)
        return
    out = console()
    skipped = [s for s in report.sections if s.status != "ok"]
    out.print(
        f"wrote {output} ({len(data) / 1024:.0f} KiB): {len(report.sections)} sections, "
        f"{len(report.warnings)} warnings"
    )
    for s in skipped:
        out.print(f"  [yellow]{s.title}: {s.status}: {s.reason}[/yellow]", highlight=False)


def _sample_report(targets, workspace, title, command):
    from ssblab.report.sample import build_sample_report

    if len(targets) != 1:
        raise SsblabInputError(f"--workspace: give one sample name, got {len(targets)} arguments")
    return build_sample_report(workspace, targets[0], title=title, command=command)


def _file_report(
    targets,
    thickness,
    diameter,
    area,
    cell,
    temperature,
    temperatures,
    mass,
    figures,
    title,
    command,
):
    from ssblab.cli.eis_inputs import geometry_from, kelvin
    from ssblab.payloads.cycling import active_mass_g, area_option
    from ssblab.payloads.eis import check_cell

    check_cell(cell)
    if figures not in FIGURES:
        raise SsblabInputError(f"--figures {figures!r}: use {', '.join(FIGURES)}")
    geometry = None
    if thickness is not None:
        geometry = geometry_from(thickness, diameter, area)
    area_m2 = geometry.area_m2 if geometry else area_option(area, diameter)
    kelvin_values = [kelvin(t, "--temperature") for t in temperature or []] or None
    if kelvin_values and temperatures is not None:
        raise SsblabInputError("give --temperature or --temperatures, not both")
    temperatures = input_file(temperatures, "--temperatures")
    mass_g = active_mass_g(mass, None, None)
    files = [Path(t) for t in targets]
    for path in files:
        input_file(path, "file")
    from ssblab.report.build import build_file_report

    return build_file_report(
        files,
        geometry=geometry,
        cell=cell,
        temperatures_K=kelvin_values,
        temperatures_csv=temperatures,
        area_m2=area_m2,
        active_mass_g=mass_g,
        figures=figures,
        title=title,
        command=command,
    )
