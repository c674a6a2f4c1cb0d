"""Progress reporting shared by the payload functions.

A payload function that works through several spectra takes ``progress``: a callable
``progress(description, total)`` returning a context manager with ``advance()`` — the CLI passes
its transient rich bar, the web app nothing (a request has no terminal)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Protocol


class Bar(Protocol):
    def advance(self, n: int = 1) -> None: ...


Progress = Callable[[str, int], AbstractContextManager[Bar]]


class _Silent:
    def __enter__(self) -> _Silent:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def advance(self, n: int = 1) -> None:
        return None


def silent(description: str, total: int) -> _Silent:
    """A progress bar that shows nothing."""
    return _Silent()


def progress_or_silent(progress: Progress | None) -> Progress:
    return silent if progress is None else progress
