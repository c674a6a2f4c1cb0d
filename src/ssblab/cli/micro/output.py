"""Human output shared by the ``ssblab micro`` printers: the structure and network lines, the
quantity/value table, notes and the files written, and the JSON-or-printer switch.

rich loads inside the functions that draw tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ssblab.cli.micro.options import UM
from ssblab.cli.output import emit_json


def emit(payload: dict, json_output: bool, printer: Callable[[dict], None]) -> None:
    """``payload`` as JSON with ``--json``, else through the command's ``printer``."""
    if json_output:
        emit_json(payload)
    else:
        printer(payload)


def celsius(kelvin_value: float) -> str:
    return f"{kelvin_value - 273.15:.4g} °C"


def structure_line(summary: dict, materials_name: str | None = None) -> str:
    box = " × ".join(f"{b * UM:.4g}" for b in summary["box_m"])
    text = (
        f"{summary['dimension']}-D polycrystal: {summary['grains']} grains + "
        f"{summary['pores']} pores, d = {summary['mean_grain_size_m'] * UM:.4g} µm, "
        f"ρ = {summary['relative_density']:.3f}, box {box} µm"
    )
    return text + (f"; {materials_name}" if materials_name else "")


def network_line(info: dict) -> str:
    gb = f"with {info['gb_face_nodes']} GB face nodes" if info["gb_network"] else "grain nodes"
    return f"network: {info['nodes']} nodes ({gb}), {info['edges']} edges"


def quantity_table(title: str, rows: Iterable[tuple[str, str]]):
    """A rich table of (quantity, value) rows, values right-aligned."""
    from rich.table import Table

    table = Table(title=title)
    table.add_column("quantity")
    table.add_column("value", justify="right")
    for row in rows:
        table.add_row(*row)
    return table


def print_notes(out, notes: Iterable[str]) -> None:
    for note in notes:
        out.print(f"  note: {note}")


def print_written(out, payload: dict) -> None:
    for key in ("vtk", "output", "figure"):
        item = payload.get(key)
        if isinstance(item, dict):
            out.print(f"  wrote {item['path']}: {item['content']}")
        elif item:
            out.print(f"  wrote {item}")
