"""Text and file helpers every instrument reader shares (impedance and cycling alike).

Decoding (BOMs, UTF-8, cp1252), line splitting, strict number parsing with decimal commas,
line-range descriptions for notes, dates, reading a file's bytes, and the one-line
:class:`~ssblab.errors.FileFormatError` naming the file and line. The readers are pure functions
of ``(data: bytes, source: str)``; only :func:`read_bytes` touches the file system.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from ssblab.errors import FileFormatError

# --------------------------------------------------------------------------------------------
# Errors and reading files


def format_error(source: str, message: str, line: int | None = None) -> FileFormatError:
    """A one-line :class:`FileFormatError` naming the file and, where known, the line (1-based)."""
    where = f"{source}: line {line}: " if line else f"{source}: "
    return FileFormatError(where + " ".join(message.split()))


def read_bytes(path: Path, size: int = -1) -> bytes:
    """The first ``size`` bytes (all with -1) of ``path``; OS errors become FileFormatError."""
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except FileNotFoundError:
        raise FileFormatError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise FileFormatError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise FileFormatError(f"{path}: cannot be read ({exc.strerror or exc})") from None


# --------------------------------------------------------------------------------------------
# Format detection input


@dataclass(frozen=True)
class FileHead:
    """What format detection looks at: the first bytes, their text and the file name."""

    data: bytes
    text: str
    name: str

    @property
    def suffix(self) -> str:
        dot = self.name.rfind(".")
        return self.name[dot:].lower() if dot > 0 else ""

    @property
    def first_line(self) -> str:
        return self.text.lstrip("\ufeff").split("\n", 1)[0].strip()


# --------------------------------------------------------------------------------------------
# Decoding


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    notes: tuple[str, ...] = ()


def decode_text(data: bytes) -> DecodedText:
    """Decode instrument text: BOMs first, then UTF-8, then cp1252 (the Windows default).

    EC-Lab and Gamry write cp1252 (µ = 0xB5, ° = 0xB0); PalmSens writes UTF-16LE with a BOM;
    the Z60W export has a UTF-8 BOM. Latin-1 is the last resort because it decodes anything.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return DecodedText(
            data[3:].decode("utf-8", errors="replace"),
            "utf-8-sig",
            ("encoding: UTF-8 with a byte-order mark (removed)",),
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        body = data[2:]
        if len(body) % 2:
            body = body[:-1]
        text = body.decode(encoding, errors="replace")
        return DecodedText(
            text, encoding, (f"encoding: {encoding.upper()} with a byte-order mark",)
        )
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return DecodedText(
            data.decode("cp1252"),
            "cp1252",
            ("encoding: cp1252 (Windows-1252; the file is not valid UTF-8)",),
        )
    except UnicodeDecodeError:
        return DecodedText(
            data.decode("latin-1"), "latin-1", ("encoding: Latin-1 (neither UTF-8 nor cp1252)",)
        )


def text_lines(text: str) -> list[str]:
    """Lines without their CR/LF endings (CRLF, LF and a missing final newline all work)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# --------------------------------------------------------------------------------------------
# Numbers


_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_DECIMAL_COMMA_NUMBER = re.compile(r"[+-]?\d*,\d+(?:[eE][+-]?\d+)?")
_NOT_A_NUMBER = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "-infinity"}


def parse_number(token: str | float | int, decimal_comma: bool = False) -> float:
    """A float from an instrument token; ``decimal_comma`` turns ``1,5E-3`` into 1.5e-3.

    Stricter than :func:`float`: no underscores, no hex, no surrounding garbage. ``NaN``/``inf``
    are accepted (instruments write them) and left for :func:`drop_unusable_points` to remove.
    """
    if isinstance(token, bool):
        raise ValueError(f"not a number: {token!r}")
    if isinstance(token, int | float):
        return float(token)
    if not isinstance(token, str):
        raise ValueError(f"not a number: {token!r}")
    text = token.strip().strip('"').strip()
    if decimal_comma:
        text = text.replace(",", ".")
    if _NUMBER.fullmatch(text):
        return float(text)
    if text.lower() in _NOT_A_NUMBER:
        return float(text.lower().replace("infinity", "inf"))
    raise ValueError(f"not a number: {token!r}")


def is_number(token: Any, decimal_comma: bool = False) -> bool:
    try:
        parse_number(token, decimal_comma)
    except (ValueError, TypeError):
        return False
    return True


def looks_like_decimal_comma(tokens: Iterable[str]) -> bool:
    """True if the numeric tokens use a decimal comma (``0,25``) and none uses a decimal point."""
    seen_comma = False
    for token in tokens:
        text = token.strip().strip('"')
        if _DECIMAL_COMMA_NUMBER.fullmatch(text):
            seen_comma = True
        elif "." in text and _NUMBER.fullmatch(text):
            return False
    return seen_comma


DECIMAL_COMMA_NOTE = "decimal commas read as decimal points"

# --------------------------------------------------------------------------------------------
# Notes and dates


def describe_lines(lines: np.ndarray) -> str:
    """``line 92``, ``lines 3–783`` or ``lines 92, 183, …, 901``; empty if lines are unknown."""
    known = [int(n) for n in lines if n > 0]
    if not known:
        return ""
    if len(known) == 1:
        return f"line {known[0]}"
    if known == list(range(known[0], known[-1] + 1)):
        return f"lines {known[0]}–{known[-1]}"
    if len(known) <= 4:
        return "lines " + ", ".join(str(n) for n in known)
    return f"lines {known[0]}, {known[1]}, …, {known[-1]}"


def parse_datetime(text: str, formats: Sequence[str]) -> str | None:
    """ISO 8601 for the first matching ``strptime`` format, else ``None`` (ambiguous or odd)."""
    cleaned = " ".join(text.split())
    for fmt in formats:
        try:
            return datetime.strptime(cleaned, fmt).isoformat()
        except ValueError:
            continue
    return None
