"""``ssblab workspace init|status``, ``ssblab ingest``, ``ssblab analyse``, ``ssblab query``,
``ssblab export --bdf``: the lab workspace (:mod:`ssblab.workspace`).

The default workspace is ``./ssblab-workspace``; ``--workspace`` names another. SQLAlchemy,
pandas and the analyses load when a command runs, not at start-up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ssblab.cli.output import console, emit_json, progress_bar
from ssblab.errors import SsblabInputError

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="The lab workspace.")

DEFAULT = Path("ssblab-workspace")
JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
WorkspaceOpt = Annotated[
    Path, typer.Option("--workspace", "-w", help="Workspace folder (default ./ssblab-workspace).")
]
QUERIES = ("conductivity", "arrhenius", "ccd", "retention", "measurements", "analyses")


def _open(path: Path):
    from ssblab.workspace import Workspace

    return Workspace.open(path)


def _status(ws) -> dict:
    return {
        "workspace": str(ws.path),
        "backend": ws.backend,
        "schema_version": ws.info.get("schema_version"),
        "counts": ws.counts(),
    }


def _print(payload: dict) -> None:
    out = console()
    for key, value in payload.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        elif isinstance(value, list):
            for item in value:
                out.print(f"  note: {item}")
            continue
        out.print(f"{key:15s} {value}")


@app.command("init")
def init_cmd(
    folder: Annotated[Path, typer.Argument(help="Workspace folder to create.")] = DEFAULT,
    database: Annotated[
        str | None,
        typer.Option("--database", help="postgresql://… catalogue (default: embedded SQLite)."),
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """Create a workspace: a catalogue database and a folder of Parquet arrays."""
    from ssblab.workspace import Workspace

    with Workspace.init(folder, database_url=database) as ws:
        payload = _status(ws)
    if json_output:
        emit_json(payload)
    else:
        _print(payload)


@app.command("status")
def status_cmd(
    workspace: WorkspaceOpt = DEFAULT,
    check: Annotated[bool, typer.Option("--check", help="Run the integrity checks.")] = False,
    json_output: JsonFlag = False,
) -> None:
    """Counts of samples, cells, measurements and analyses (and integrity problems)."""
    with _open(workspace) as ws:
        payload = _status(ws)
        if check:
            payload["problems"] = ws.check_integrity()
    if json_output:
        emit_json(payload)
    else:
        _print(payload)
        if check and not payload["problems"]:
            console().print("integrity      ok")


def _bar_callback(bar):
    def update(done: int, total: int) -> None:
        bar.progress.update(bar.task, completed=done, total=total)

    return update


def ingest_cmd(
    folder: Annotated[Path, typer.Argument(help="Folder of instrument files (walked).")],
    workspace: WorkspaceOpt = DEFAULT,
    samples: Annotated[
        Path | None, typer.Option("--samples", help="samples.csv linking files to samples.")
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", help="Processes parsing new files (default: one per core)."),
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """Store every file under FOLDER once (by SHA-256); unreadable files are kept as failed."""
    with _open(workspace) as ws, progress_bar(f"ingesting {folder}", None) as bar:
        report = ws.ingest(
            folder, samples_csv=samples, progress=_bar_callback(bar), workers=workers
        )
    payload = report.to_dict()
    if json_output:
        emit_json(payload)
    else:
        _print(payload)


def analyse_cmd(
    workspace: WorkspaceOpt = DEFAULT,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind", help="eis-fit, conductivity, arrhenius, drt, kk, symmetric, full (repeat)."
        ),
    ] = None,
    where: Annotated[
        str | None, typer.Option("--where", help="e.g. 'sample=LLZO-1,kind=eis'.")
    ] = None,
    workers: Annotated[int | None, typer.Option("--workers", help="Worker processes.")] = None,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Dask scheduler tcp://host:port.")
    ] = None,
    executor: Annotated[
        str, typer.Option("--executor", help="processes, dask or serial.")
    ] = "processes",
    json_output: JsonFlag = False,
) -> None:
    """Run the analyses that are missing or stale (changed inputs or ssblab version)."""
    with _open(workspace) as ws, progress_bar("analysing", None) as bar:
        report = ws.analyse(
            kinds=kind or None,
            where=where,
            executor=executor,
            workers=workers,
            scheduler=scheduler,
            progress=_bar_callback(bar),
        )
    payload = report.to_dict()
    if json_output:
        emit_json(payload)
    else:
        _print(payload)


def query_cmd(
    what: Annotated[str, typer.Argument(help=", ".join(QUERIES))],
    workspace: WorkspaceOpt = DEFAULT,
    csv: Annotated[Path | None, typer.Option("--csv", help="Write the table as CSV.")] = None,
    json_output: JsonFlag = False,
) -> None:
    """A table of the workspace: σ, E_a, CCD, retention, measurements or analyses."""
    if what not in QUERIES:
        raise SsblabInputError(f"query {what!r}: use {', '.join(QUERIES)}")
    with _open(workspace) as ws:
        frame = ws.query(what)
    if csv is not None:
        try:
            frame.to_csv(csv, index=False)
        except OSError as exc:
            raise SsblabInputError(f"--csv {csv}: cannot write: {exc.strerror}") from None
    if json_output:
        import json

        emit_json(json.loads(frame.to_json(orient="records", date_format="iso")))
        return
    if csv is not None:
        console().print(f"wrote {len(frame)} rows to {csv}")
        return
    from rich.table import Table

    shown = [(key, head, scale) for key, head, scale in VIEWS[what] if key in frame.columns]
    table = Table(title=f"{what}: {len(frame)} rows (--json / --csv: every column, SI units)")
    for _, head, _ in shown:
        table.add_column(head)
    for record in frame.to_dict(orient="records"):
        table.add_row(*(_cell(record.get(key), scale) for key, _, scale in shown))
    console().print(table)


#: the human table of each query: (column, header with its unit, factor from SI); the
#: machine outputs keep every column in SI
VIEWS = {
    "conductivity": [
        ("sample", "sample", None),
        ("file", "file", None),
        ("temperature_K", "T (K)", None),
        ("sigma_bulk_S_m", "σ_bulk (S/cm)", 1e-2),
        ("sigma_total_S_m", "σ_total (S/cm)", 1e-2),
        ("sigma_gb_specific_S_m", "σ_gb,sp (S/cm)", 1e-2),
        ("asr_per_interface_ohm_m2", "ASR (Ω cm²)", 1e4),
        ("activation_energy_eV", "E_a (eV)", None),
        ("kb_family_sigma_median_S_m", "KB family σ median (S/cm)", 1e-2),
        ("kb_family_sigma_n", "KB n", None),
        ("kb_dopant_sigma_median_S_m", "KB dopant σ median (S/cm)", 1e-2),
    ],
    "arrhenius": [
        ("sample", "sample", None),
        ("family", "family", None),
        ("dopant", "dopant", None),
        ("quantity", "σ", None),
        ("model", "form", None),
        ("n_points", "points", None),
        ("activation_energy_eV", "E_a (eV)", None),
        ("activation_energy_err_eV", "± (eV)", None),
        ("sigma_extrapolated_S_m", "σ(25 °C) (S/cm)", 1e-2),
        ("kb_family_ea_median_eV", "KB family E_a median (eV)", None),
        ("kb_family_ea_n", "KB n", None),
    ],
    "ccd": [
        ("sample", "sample", None),
        ("cell", "cell", None),
        ("coating", "coating", None),
        ("ald_cycles", "ALD cycles", None),
        ("anneal", "anneal", None),
        ("ccd_A_m2", "CCD (mA/cm²)", 0.1),
        ("failure_mode", "mode", None),
        ("lifetime_h", "lifetime (h)", None),
        ("asr_initial_ohm_cm2", "ASR₀ (Ω cm²)", None),
        ("kb_family_ccd_median_A_m2", "KB family CCD median (mA/cm²)", 0.1),
    ],
    "retention": [
        ("sample", "sample", None),
        ("cell", "cell", None),
        ("file", "file", None),
        ("retention_percent", "retention (%)", None),
        ("reference_cycle", "ref. cycle", None),
        ("last_cycle", "last cycle", None),
        ("fade_model", "fade model", None),
        ("eol_cycle", "EOL cycle", None),
    ],
    "measurements": [
        ("id", "id", None),
        ("file", "file", None),
        ("format", "format", None),
        ("kind", "kind", None),
        ("status", "status", None),
        ("error", "error", None),
        ("sample", "sample", None),
        ("temperature_K", "T (K)", None),
    ],
    "analyses": [
        ("id", "id", None),
        ("kind", "kind", None),
        ("subject", "subject", None),
        ("status", "status", None),
        ("error", "error", None),
        ("version", "ssblab", None),
    ],
}


def _cell(value, scale=None) -> str:
    import math

    from ssblab.cli.output import fmt

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return fmt(value * scale) if scale is not None else fmt(value)
    return str(value)


def export_cmd(
    bdf: Annotated[Path, typer.Option("--bdf", help="Folder for the BDF files.")],
    workspace: WorkspaceOpt = DEFAULT,
    parquet: Annotated[bool, typer.Option("--parquet", help="Parquet instead of CSV.")] = False,
    json_output: JsonFlag = False,
) -> None:
    """Write every measurement as Battery Data Format (cycling; EIS as an ssblab extension)."""
    with _open(workspace) as ws:
        written = ws.export_bdf(bdf, "parquet" if parquet else "csv")
    payload = {"folder": str(bdf), "files": [str(p) for p in written]}
    if json_output:
        emit_json(payload)
    else:
        console().print(f"wrote {len(written)} BDF files to {bdf}")
