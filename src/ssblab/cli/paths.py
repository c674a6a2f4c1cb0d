"""Checks of the paths a command is given, before any work is done.

A path option that cannot work (an output file that is a folder, a file in a folder that does not
exist, a figure folder that is a file, an input that is missing) is bad input: one line naming
the option and the path, exit 2 — not a traceback after minutes of computation.
"""

from __future__ import annotations

from pathlib import Path

from ssblab.errors import SsblabInputError

FIGURE_SUFFIXES = (".png", ".pdf", ".svg", ".jpg", ".jpeg", ".tif", ".tiff", ".eps")


def output_file(path: Path | None, option: str, suffixes: tuple[str, ...] = ()) -> Path | None:
    """``path`` if a file can be written there: not a folder, in a folder that exists."""
    if path is None:
        return None
    if path.is_dir():
        raise SsblabInputError(f"{option} {path}: is a folder; give a file name")
    if not path.parent.is_dir():
        raise SsblabInputError(f"{option} {path}: folder {path.parent} does not exist")
    if suffixes and path.suffix.lower() not in suffixes:
        raise SsblabInputError(
            f"{option} {path}: unsupported file type {path.suffix or '(none)'!r}; "
            f"use {', '.join(suffixes)}"
        )
    return path


def figure_folder(path: Path | None, option: str = "--plot") -> Path | None:
    """``path`` as a folder for figures, created if missing (its parent must exist)."""
    if path is None:
        return None
    if path.exists() and not path.is_dir():
        raise SsblabInputError(f"{option} {path}: is a file; give a folder for the figures")
    if not path.exists():
        if not path.parent.is_dir():
            raise SsblabInputError(f"{option} {path}: folder {path.parent} does not exist")
        path.mkdir()
    return path


def input_file(path: Path | None, option: str) -> Path | None:
    """``path`` if it is an existing, readable file."""
    if path is None:
        return None
    if path.is_dir():
        raise SsblabInputError(f"{option} {path}: is a folder, not a file")
    if not path.is_file():
        raise SsblabInputError(f"{option} {path}: no such file")
    return path


def write_text(path: Path, text: str, option: str) -> None:
    """Write ``text``; an operating-system refusal (permissions, full disk) is one line."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise SsblabInputError(f"{option} {path}: cannot write: {exc.strerror or exc}") from None
