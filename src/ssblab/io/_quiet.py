"""Keep third-party libraries off the user's stderr: their warnings and log records become notes.

NewareNDA logs through the ``newarenda`` logger (``logger.error``/``logger.exception`` with a
traceback on damaged files), openpyxl and pandas warn through :mod:`warnings`. Without a
handler of the application's, Python prints both to stderr. :func:`captured` records them
instead, for the reader to turn into notes (one line each, tracebacks left out, repeats
counted; deprecation warnings, which concern a library's own code, counted in one line).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePath

#: Loggers of the libraries the readers call (impedance and cycling alike).
LIBRARY_LOGGERS = ("newarenda", "NewareNDA", "openpyxl", "pandas", "galvani", "xmltodict")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class Captured:
    """What :func:`captured` caught: log records and warnings, as one-line messages."""

    def __init__(self) -> None:
        self.records: list[logging.LogRecord] = []
        self.warnings: list[warnings.WarningMessage] = []

    def messages(self, level: int = logging.WARNING) -> list[str]:
        """``library: message`` for every warning and every record at ``level`` or above, with
        repeats counted."""
        found: dict[str, int] = {}
        for record in self.records:
            if record.levelno >= level:
                key = f"{_library(record.name)}: {_one_line(record.getMessage())}"
                found[key] = found.get(key, 0) + 1
        deprecations: dict[str, int] = {}
        for caught in self.warnings:
            where = _library_of_file(caught.filename)
            if issubclass(caught.category, DeprecationWarning | PendingDeprecationWarning):
                deprecations[where] = deprecations.get(where, 0) + 1  # about code, not data
                continue
            text = f"{caught.category.__name__}: {_one_line(str(caught.message))}"
            key = f"{where}: {text}"
            found[key] = found.get(key, 0) + 1
        out = [key if n == 1 else f"{key} ({n} times)" for key, n in found.items()]
        for where, n in deprecations.items():
            out.append(
                f"{where}: {n} deprecation warning{'s' if n > 1 else ''} about its own code "
                "(not about this file) kept off stderr"
            )
        return out


def _one_line(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    return " ".join(first.split())[:200]


def _library(logger_name: str) -> str:
    return {"newarenda": "NewareNDA"}.get(logger_name.split(".")[0], logger_name.split(".")[0])


def _library_of_file(filename: str) -> str:
    parts = PurePath(filename).parts
    if "site-packages" in parts:
        index = parts.index("site-packages")
        if index + 1 < len(parts):
            return parts[index + 1].removesuffix(".py")
    return PurePath(filename).stem or "python"


@contextmanager
def captured(level: int = logging.DEBUG) -> Iterator[Captured]:
    """Record the warnings and the log records of :data:`LIBRARY_LOGGERS` (from ``level``)
    raised inside the block instead of letting them reach stderr."""
    result = Captured()
    handler = _Collect()
    saved = []
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.propagate, logger.level))
        logger.addHandler(handler)
        logger.propagate = False
        if logger.level == logging.NOTSET or logger.level > level:
            logger.setLevel(level)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                yield result
            finally:
                result.warnings = list(caught)
    finally:
        for logger, propagate, old_level in saved:
            logger.removeHandler(handler)
            logger.propagate = propagate
            logger.setLevel(old_level)
        result.records = handler.records
