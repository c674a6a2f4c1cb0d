"""``ssblab kb search|show|stats|export|plot``."""

from __future__ import annotations

import io
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ssblab.cli.output import console, emit_json, fmt
from ssblab.cli.paths import FIGURE_SUFFIXES, output_file, write_text
from ssblab.errors import SsblabInputError

app = typer.Typer(
    no_args_is_help=True, rich_markup_mode=None, help="The cited knowledge base of the seed papers."
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


def _kb():
    from ssblab.knowledge import default_knowledge_base

    return default_knowledge_base()


def _table():
    return _kb().to_dataframe()


def _records_json(rows) -> list[dict]:
    return [_kb().get(rid).model_dump(exclude_none=True) for rid in rows["id"]]


@app.command("search")
def search_cmd(
    text: Annotated[str | None, typer.Argument(help="Free text (material, note, …).")] = None,
    material: Annotated[str | None, typer.Option(help="Material or composition.")] = None,
    family: Annotated[str | None, typer.Option(help="garnet, nasicon, perovskite, …")] = None,
    prop: Annotated[str | None, typer.Option("--property", help="e.g. ionic_conductivity")] = None,
    strategy: Annotated[str | None, typer.Option(help="Treatment / coating / interlayer.")] = None,
    source: Annotated[str | None, typer.Option(help="Seed: 000–004 or file name.")] = None,
    flag: Annotated[str | None, typer.Option(help="e.g. inconsistent, inferred")] = None,
    min_value: Annotated[str | None, typer.Option("--min", help='e.g. "1e-4 S/cm"')] = None,
    max_value: Annotated[str | None, typer.Option("--max", help='e.g. "10 ohm cm^2"')] = None,
    limit: Annotated[int, typer.Option(help="Rows to show (0 = all).")] = 50,
    json_output: JsonFlag = False,
) -> None:
    """Search records; every filter given must match."""
    from rich.table import Table

    from ssblab.knowledge.query import Filter, search

    if limit < 0:
        raise SsblabInputError(f"--limit must be >= 0 (0 shows all), got {limit}")
    criteria = Filter(material, family, prop, strategy, source, flag, text, min_value, max_value)
    rows = search(_table(), criteria)
    shown = rows if limit <= 0 else rows.head(limit)
    if json_output:
        emit_json({"count": len(rows), "records": _records_json(shown)})
        return
    title = f"{len(rows)} records" + (f" (first {len(shown)})" if len(shown) < len(rows) else "")
    table = Table(title=title, caption="details: ssblab kb show ID")
    for column in ("id", "material", "property", "value", "unit", "T", "source", "flags"):
        table.add_column(column, overflow="fold", no_wrap=column in ("id", "value", "unit"))
    for _, row in shown.iterrows():
        table.add_row(*_summary_cells(row))
    console().print(table)


def _summary_cells(row) -> tuple[str, ...]:
    import pandas as pd

    from ssblab.knowledge.query import display_value

    low, high, unit = display_value(row)
    prefix = "" if row["qualifier"] in ("=", "range") else row["qualifier"]
    value = f"{prefix}{fmt(low)}" + (f"–{fmt(high)}" if high is not None else "")
    kelvin = row["temperature_K"]
    temperature = "" if kelvin is None or pd.isna(kelvin) else f"{kelvin - 273.15:.0f} °C"
    source = f"{row['source_file'][:3]} {row['source_section']}"
    if row["source_ref"]:
        source += f" {row['source_ref']}"
    kinds = ", ".join(k for k in ("inferred", "inconsistent") if k in row["flags"])
    return (row["id"], row["material"], row["property"], value, unit, temperature, source, kinds)


@app.command("show")
def show_cmd(
    record_id: Annotated[str, typer.Argument(help="Record id")], json_output: JsonFlag = False
) -> None:
    """Show one record in full."""
    from rich.table import Table

    record = _kb().get(record_id)
    data = record.model_dump(exclude_none=True)
    if json_output:
        emit_json(data)
        return
    table = Table(title=record.id, show_header=False, box=None)
    table.add_column(style="cyan")
    table.add_column(overflow="fold")
    for key, value in data.items():
        if key == "id":
            continue
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items() if v not in ({}, None))
        elif isinstance(value, list):
            value = "; ".join(map(str, value))
        table.add_row(key, str(value))
    console().print(table)


@app.command("stats")
def stats_cmd(json_output: JsonFlag = False) -> None:
    """Record counts by source, property, family and flag."""
    from rich.table import Table

    from ssblab.knowledge.query import stats

    result = stats(_table())
    if json_output:
        emit_json(result)
        return
    out = console()
    out.print(f"[bold]{result['records']}[/bold] records")
    for key in ("by_source", "by_family", "flags", "by_property"):
        table = Table(title=key.replace("_", " "))
        table.add_column(key.removeprefix("by_"))
        table.add_column("records", justify="right")
        for name, count in result[key].items():
            table.add_row(name, str(count))
        out.print(table)


DEFAULT_PLOT = Path("out/kb_conductivity_vs_density.png")


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"


@app.command("export")
def export_cmd(
    fmt_: Annotated[ExportFormat, typer.Option("--format", help="csv or json")] = ExportFormat.csv,
    output: Annotated[Path | None, typer.Option(help="File to write (default: stdout).")] = None,
    summary_only: Annotated[
        bool, typer.Option("--summary", help="Per source × property summary.")
    ] = False,
) -> None:
    """Export every record (values as printed and in SI) or a summary."""
    from ssblab.knowledge.query import summary

    output = output_file(output, "--output")
    table = summary(_table()) if summary_only else _table()
    if fmt_ is ExportFormat.csv:
        frame = table.copy()
        if "conditions" in frame:
            frame["conditions"] = frame["conditions"].map(
                lambda c: "; ".join(f"{k}={v}" for k, v in c.items())
            )
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False)
        text = buffer.getvalue()
    else:
        text = table.to_json(orient="records", indent=2, force_ascii=False)
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_text(output, text, "--output")
        console().print(f"wrote {len(table)} rows to {output}")


@app.command("plot")
def plot_cmd(
    output: Annotated[Path, typer.Option(help="PNG/PDF/SVG file.")] = DEFAULT_PLOT,
    json_output: JsonFlag = False,
) -> None:
    """σ vs relative density of doped garnets, coloured by dopant site."""
    from ssblab.knowledge.figures import conductivity_vs_density

    if output == DEFAULT_PLOT:  # the default lands in ./out/, created if needed
        output.parent.mkdir(exist_ok=True)
    output = output_file(output, "--output", FIGURE_SUFFIXES)
    path = conductivity_vs_density(_table(), output)
    if json_output:
        emit_json({"figure": str(path)})
    else:
        console().print(f"wrote {path}")
