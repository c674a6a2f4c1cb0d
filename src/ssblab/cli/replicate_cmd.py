"""``ssblab replicate SEED``: the paper's numbers beside ssblab's, with basis, band and summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ssblab.cli.output import console, emit_json, err_console
from ssblab.cli.paths import figure_folder, output_file, write_text
from ssblab.errors import SsblabInputError
from ssblab.replicate import SEEDS, seed_key


def _value(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "-" if value is None else str(value)


def replicate_cmd(
    seed: Annotated[str, typer.Argument(help=f"Seed paper: {', '.join(SEEDS)}.")],
    plot: Annotated[Path | None, typer.Option("--plot", help="Folder for figures.")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", help="Also write the table as JSON here.")
    ] = None,
    lhs: Annotated[
        int | None,
        typer.Option(
            "--lhs",
            help="Latin-hypercube points of seed 000's sensitivity bands (default 64, ~6 min).",
        ),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Reproduce a seed paper's cell results; say for each number whether it was fitted."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from ssblab.replicate import replicate

    key = seed_key(seed)
    output = output_file(output, "--output")
    plot = figure_folder(plot)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console(),
        transient=True,
        disable=json_output,
    ) as progress:
        task = progress.add_task(f"seed {key}", total=None)
        if lhs is not None and lhs < 0:
            raise SsblabInputError(f"--lhs must be >= 0, got {lhs}")
        result = replicate(
            key, progress=lambda text: progress.update(task, description=text), n_lhs=lhs
        )
    payload = result.to_dict()
    if plot is not None:
        from ssblab.replicate import figures

        written = [figures.parity(result, plot / f"seed{key}_parity.png")]
        if key == "004":
            written.append(figures.ald_sweep(result, plot / "seed004_ald_sweep.png"))
        if key == "003":
            written.append(figures.seed003_curves(plot / "seed003_ccd_asr_curves.png"))
        payload["figures"] = [str(path) for path in written]
    if output is not None:
        write_text(output, json.dumps(payload, indent=2, ensure_ascii=False), "--output")
        payload["output"] = str(output)
    if json_output:
        emit_json(payload)
        return
    out = console()
    table = Table(title=f"seed {key}: {result.title}", caption=f"policy: {payload['policy']}")
    for column in ("quantity", "paper", "ssblab", "unit", "basis", "status", "band (±50 %)"):
        table.add_column(column, overflow="fold")
    for row in result.rows:
        status = {"agrees": "green", "reproduced": "green"}.get(row.status, "red")
        band = "-"
        if row.band is not None:
            band = f"{_value(row.band.low)}–{_value(row.band.high)} {row.robustness}"
        elif row.robustness:
            band = "not shown: fragile"
        table.add_row(
            row.quantity,
            _value(row.paper),
            _value(row.ssblab),
            row.unit,
            row.basis,
            f"[{status}]{row.status}[/{status}]",
            band,
        )
    out.print(table)
    out.print(f"[bold]summary[/bold]: {payload['summary_line']}")
    out.print("[bold]fitted parameters[/bold]" + ("" if result.fitted_parameters else ": none"))
    for item in result.fitted_parameters:
        out.print(
            f"  {item['name']} = {item['value']:.4g} {item['unit']}  (on {item['fitted_on']})"
        )
    for record in result.leave_one_out:
        if record["rms_error_percent"] is None:
            out.print(f"  leave-one-out, {record['calibration']}: {record['note']}")
            continue
        held = ", ".join(
            f"{h['held_out']} {_value(h['predicted'])} vs {_value(h['paper'])} "
            f"({h['error_percent']:+.0f} %)"
            for h in record["held_out"]
        )
        out.print(
            f"  leave-one-out, {record['calibration']}: {held}; rms "
            f"{record['rms_error_percent']:.0f} %"
        )
    for note in result.notes:
        out.print(f"  note: {note}")
    for item in (*payload.get("figures", []), payload.get("output")):
        if not item:
            continue
        out.print(f"  wrote {item}")
