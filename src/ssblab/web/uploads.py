"""Uploaded files: names checked, bytes streamed to the private folder up to the size cap.

A name with a path component (``/``, ``\\``, ``..``, a drive or an absolute path, NUL or
another control character) is refused before a byte is written: it is either a client bug or
an attempt to write outside the folder. Folders uploaded from the browser arrive as their
files' base names (the page's script strips the relative path).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ssblab.errors import SsblabInputError

CHUNK = 1 << 20
MAX_NAME = 255
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class BadName(SsblabInputError):
    """A file name that is not a plain base name (HTTP 400)."""


class TooLarge(SsblabInputError):
    """A file over the upload cap (HTTP 413)."""


def format_bytes(n: int) -> str:
    for unit, size in (("GB", 2**30), ("MB", 2**20), ("kB", 2**10)):
        if n >= size:
            return f"{n / size:.4g} {unit}"
    return f"{n} B"


def check_name(name: str | None) -> str:
    """``name`` if it is a plain file name; :class:`BadName` else."""
    if not name:
        raise BadName("a file without a name")
    shown = name.encode("unicode_escape").decode("ascii")[:80]
    if _CONTROL.search(name):
        raise BadName(f"{shown!r}: file name with a control character")
    if "/" in name or "\\" in name or name in (".", "..") or re.match(r"^[A-Za-z]:", name):
        raise BadName(f"{shown!r}: file name with a path component; upload plain file names")
    if name.startswith(".") and name.strip(".") == "":
        raise BadName(f"{shown!r}: not a file name")
    if len(name.encode("utf-8", "surrogatepass")) > MAX_NAME:
        raise BadName(f"{shown}…: file name longer than {MAX_NAME} bytes")
    return name


async def save(upload, folder: Path, cap: int) -> Path:
    """Write ``upload`` (a Starlette ``UploadFile``) under ``folder``, at most ``cap`` bytes:
    a longer file is deleted and refused (:class:`TooLarge`)."""
    name = check_name(upload.filename)
    fd, temp = _private_file(folder, name)
    written = 0
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := await upload.read(CHUNK):
                written += len(chunk)
                if written > cap:
                    raise TooLarge(f"{name}: larger than the upload limit of {format_bytes(cap)}")
                out.write(chunk)
    except BaseException:
        os.unlink(temp)
        raise
    return Path(temp)


def _private_file(folder: Path, name: str) -> tuple[int, str]:
    import tempfile

    suffix = "".join(Path(name).suffixes)[-32:]
    return tempfile.mkstemp(dir=folder, suffix=suffix)  # mode 0600, unique
