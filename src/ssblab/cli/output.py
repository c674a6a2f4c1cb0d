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
