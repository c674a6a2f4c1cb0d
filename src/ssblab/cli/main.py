"""The ``ssblab`` command line.

Exit codes: 0 success; 2 bad input or usage (one line on stderr, no traceback); 1 a computation
that failed on valid input (e.g. a simulation, with the time reached) or an internal error.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Annotated

import typer

from ssblab import __version__
from ssblab.cli import cycle_cmd, eis_cmd, kb_cmd, micro, simulate_cmd, workspace_cmd
from ssblab.cli.composition_cmd import composition
from ssblab.cli.replicate_cmd import replicate_cmd
from ssblab.cli.report_cmd import report_cmd
from ssblab.cli.serve_cmd import serve_cmd
from ssblab.errors import SsblabError, SsblabInputError

app = typer.Typer(
    name="ssblab",
    help="Toolkit for oxide solid-state lithium batteries and their interfaces.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain click help: typer's rich help loads rich.markdown and markdown_it (~0.15 s on this
    # machine) and would put `ssblab --help` over its 0.3 s budget (benchmarks/startup.py).
    rich_markup_mode=None,
)
app.command("composition")(composition)
app.add_typer(kb_cmd.app, name="kb")
app.add_typer(eis_cmd.app, name="eis")
app.add_typer(cycle_cmd.app, name="cycle")
app.add_typer(simulate_cmd.app, name="simulate")
app.add_typer(micro.app, name="micro")
app.command("replicate")(replicate_cmd)
app.add_typer(workspace_cmd.app, name="workspace")
app.command("ingest")(workspace_cmd.ingest_cmd)
app.command("analyse")(workspace_cmd.analyse_cmd)
app.command("query")(workspace_cmd.query_cmd)
app.command("export")(workspace_cmd.export_cmd)
app.command("serve")(serve_cmd)
app.command("report")(report_cmd)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ssblab {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """ssblab: compositions, literature, impedance, cycling and interface physics."""


def run(argv: list[str] | None = None) -> int:
    """Run the CLI with ``argv``; return the exit code instead of exiting.

    Python warnings raised during the command (numpy floating-point warnings, library
    deprecations) never reach the user as warning tracebacks: they are collected and summarised
    in one ``note:`` line each on stderr, so nothing is hidden and nothing is noisy. A command's
    own checks are expected to make such warnings impossible; the summary says where one came
    from so it can be fixed.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = _run(argv)
    _summarise_warnings(caught)
    return code


def _summarise_warnings(caught: list[warnings.WarningMessage]) -> None:
    counts: dict[tuple[str, str, str], int] = {}
    for item in caught:
        where = f"{Path(item.filename).name}:{item.lineno}"
        key = (item.category.__name__, str(item.message).splitlines()[0][:160], where)
        counts[key] = counts.get(key, 0) + 1
    for (category, message, where), count in counts.items():
        kind = "floating-point" if category == "RuntimeWarning" else category
        times = f" ({count}×)" if count > 1 else ""
        sys.stderr.write(
            f"note: {kind} condition during the computation{times}: {message} [{where}]\n"
        )


def _run(argv: list[str] | None) -> int:
    try:
        result = app(args=argv, prog_name="ssblab", standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        sys.stderr.write("aborted\n")
        return 130
    except typer.TyperException as exc:  # usage errors (exit_code 2) and the like
        sys.stderr.write(f"error: {exc.format_message()}\n")
        return 2 if exc.exit_code == 2 else 1
    except SsblabInputError as exc:
        sys.stderr.write(f"error: {_one_line(exc)}\n")
        return 2
    except SsblabError as exc:  # a computation that failed on valid input (e.g. the simulator)
        sys.stderr.write(f"error: {type(exc).__name__}: {_one_line(exc)}\n")
        return 1
    except Exception as exc:  # an internal error: say so in one line
        sys.stderr.write(f"internal error: {type(exc).__name__}: {_one_line(exc)}\n")
        return 1
    return result if isinstance(result, int) else 0


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def main() -> None:
    sys.exit(run(sys.argv[1:]))
