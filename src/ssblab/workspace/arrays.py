"""Content-addressed Parquet files of a workspace: ``arrays/<raw-file sha256>.parquet``.

A file is written to a temporary name in the same folder, flushed to disk and then linked
into place (``os.link`` fails when the name exists, so a file already there — from another
process or a run that was killed before its catalogue row was committed — is kept and reused,
never half-overwritten). The caller commits the row that names the file only afterwards, so a
row never points at a missing or partial file; a file without a row is harmless.

EIS arrays: ``spectrum`` (index in the file), ``frequency_Hz``, ``z_real_ohm``, ``z_imag_ohm``.
Cycling arrays: the tidy table of :mod:`ssblab.cycling.data`.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ssblab.errors import SsblabError

if TYPE_CHECKING:
    import pandas as pd

ARRAYS = "arrays"
CHUNK = 1 << 20


class ArrayStoreError(SsblabError):
    """A stored array file that is missing or cannot be read."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def relative_path(sha256: str) -> str:
    return f"{ARRAYS}/{sha256}.parquet"


def write_frame(root: Path, sha256: str, frame: pd.DataFrame) -> tuple[str, str]:
    """Store ``frame`` as ``arrays/<sha256>.parquet`` under ``root``; (relative path, SHA-256
    of the file on disk)."""
    folder = root / ARRAYS
    folder.mkdir(parents=True, exist_ok=True)
    relative = relative_path(sha256)
    target = root / relative
    if target.exists():
        return relative, file_sha256(target)
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False, engine="pyarrow", compression="zstd")
    data = buffer.getvalue()
    fd, temp = tempfile.mkstemp(prefix=f".{sha256[:16]}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temp, target)
        except FileExistsError:  # another writer got there first: keep its (complete) file
            return relative, file_sha256(target)
    finally:
        Path(temp).unlink(missing_ok=True)
    return relative, hashlib.sha256(data).hexdigest()


def read_frame(root: Path, relative: str) -> pd.DataFrame:
    import pandas as pd

    path = root / relative
    try:
        return pd.read_parquet(path, engine="pyarrow")
    except FileNotFoundError:
        raise ArrayStoreError(f"{path}: stored array file is missing") from None
    except (OSError, ValueError) as exc:
        raise ArrayStoreError(f"{path}: cannot read the stored array file: {exc}") from None


def leftover_temporaries(root: Path) -> list[Path]:
    """Temporary files a killed writer left behind (safe to delete)."""
    folder = root / ARRAYS
    return sorted(folder.glob(".*.tmp")) if folder.is_dir() else []
