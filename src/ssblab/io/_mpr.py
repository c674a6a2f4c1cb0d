"""BioLogic EC-Lab binary ``.mpr`` files, decoded by galvani (an optional extra: GPL-3.0).

Shared by the impedance and cycling readers: the magic check, the lazy galvani import with the
install hint, and decoding with galvani's errors turned into one-line ``FileFormatError``s.
"""

from __future__ import annotations

import io
from importlib.metadata import PackageNotFoundError, version

from ssblab.io._text import format_error

MPR_MAGIC = b"BIO-LOGIC MODULAR FILE"


def galvani_version() -> str:
    try:
        return version("galvani")
    except PackageNotFoundError:  # optional extra not installed
        return "unknown"


def is_mpr(data: bytes) -> bool:
    return data.startswith(MPR_MAGIC)


def open_mpr(data: bytes, source: str):
    """galvani's ``MPRfile`` for ``data``; every failure names ``source`` in one line."""
    if not is_mpr(data):
        raise format_error(source, "not a BioLogic .mpr file (no 'BIO-LOGIC MODULAR FILE' magic)")
    try:
        from galvani import BioLogic
    except ImportError:
        raise format_error(
            source, "reading .mpr files needs galvani: pip install 'ssblab[biologic]'"
        ) from None
    try:
        return BioLogic.MPRfile(io.BytesIO(data))
    except Exception as exc:  # galvani reports damaged files with asserts, ValueError, KeyError…
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise format_error(
            source, f"galvani {galvani_version()} cannot decode it: {message[:120]}"
        ) from None
