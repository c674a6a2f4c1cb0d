"""Output helpers shared by CLI commands: stable JSON to stdout, rich tables otherwise."""

from __future__ import annotations

import json
import math
import sys
from typing import Any

from rich.console import Console


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return _clean(value.item())
    return value


def emit_json(payload: Any) -> None:
    """Write ``payload`` as JSON (NaN/inf → null) to stdout."""
    sys.stdout.write(json.dumps(_clean(payload), indent=2, ensure_ascii=False, default=str))
    sys.stdout.write("\n")


def console() -> Console:
    """A console bound to the current stdout (so tests can capture it)."""
    width = None if sys.stdout.isatty() else 140  # pipes and files: wide enough for tables
    return Console(file=sys.stdout, highlight=False, soft_wrap=False, width=width)


def err_console() -> Console:
    return Console(file=sys.stderr, highlight=False, width=200)


def fmt(value: float | None, digits: int = 4) -> str:
    """Compact human formatting of a number."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 1e5 or magnitude < 1e-3:
        return f"{value:.{digits - 1}e}"
    return f"{value:.{digits}g}"


def progress_bar(description: str, total: int | None, *, disable: bool = False):
    """A transient progress bar on stderr with count and ETA (a spinner when ``total`` is
    None). Use as a context manager; ``advance(n)``/``update(done)`` move it.

    Shown only when stderr is a terminal: in a pipe or a log file a transient bar cannot be
    erased and would leave blank lines behind."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = [SpinnerColumn(), TextColumn("{task.description}")]
    if total is not None:
        columns += [BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()]
    columns.append(TimeElapsedColumn())
    return _Bar(
        Progress(
            *columns,
            console=err_console(),
            transient=True,
            disable=disable or not sys.stderr.isatty(),
        ),
        description,
        total,
    )


class _Bar:
    def __init__(self, progress, description: str, total: int | None) -> None:
        self.progress, self.description, self.total = progress, description, total

    def __enter__(self) -> _Bar:
        self.progress.__enter__()
        self.task = self.progress.add_task(self.description, total=self.total)
        return self

    def __exit__(self, *exc) -> None:
        self.progress.__exit__(*exc)

    def advance(self, n: int = 1) -> None:
        self.progress.advance(self.task, n)

    def update(self, done: int | None = None, description: str | None = None) -> None:
        kwargs = {}
        if done is not None:
            kwargs["completed"] = done
        if description is not None:
            kwargs["description"] = description
        self.progress.update(self.task, **kwargs)
