"""Text and file helpers every instrument reader shares (impedance and cycling alike).

Decoding (BOMs, UTF-8, cp1252), line splitting, strict number parsing with decimal commas (cell
by cell, and for whole columns), bulk reading of delimited text (:class:`TextBlock`, pandas' C
parser), line-range descriptions for notes, dates, reading a file's bytes, the check for a cut-off
final row (:mod:`ssblab.io._final_row`) and the one-line
:class:`~ssblab.errors.FileFormatError` naming the file and line. The readers are pure functions
of ``(data: bytes, source: str)``; only :func:`read_bytes` touches the file system.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, AnyStr

import numpy as np

from ssblab.errors import FileFormatError

# The check for a cut-off final row lives in its own module; the readers import it from here.
from ssblab.io._final_row import FINAL_ROW_REFERENCE as FINAL_ROW_REFERENCE
from ssblab.io._final_row import cut_off_final_cells as cut_off_final_cells
from ssblab.io._final_row import cut_off_final_row as cut_off_final_row
from ssblab.io._final_row import cut_off_note as cut_off_note
from ssblab.io._final_row import tail_lines as tail_lines

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
        notes = [f"encoding: {encoding.upper()} with a byte-order mark"]
        if len(body) % 2:
            body = body[:-1]
            notes.append("the file ends inside a UTF-16 character: its last byte dropped")
        text = body.decode(encoding, errors="replace")
        return DecodedText(text, encoding, tuple(notes))
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        # A file cut through a multi-byte character (µ, °, Ω) is still UTF-8: only its last
        # 1–3 bytes are incomplete. Reading it all as cp1252 instead would garble every µ.
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            try:
                text = data[: exc.start].decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                cut = len(data) - exc.start
                return DecodedText(
                    text,
                    "utf-8 (cut)",  # not "utf-8": the text is not the whole of the bytes
                    (
                        f"the file ends inside a UTF-8 character: its last {cut} byte(s) "
                        "dropped (the file looks cut off)",
                    ),
                )
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


def head_lines(
    text: str, count: int, start: int = 0, stop: int | None = None
) -> tuple[list[str], int]:
    """The first ``count`` lines of ``text[start:stop]`` (LF-separated) and where the rest
    begins."""
    stop = len(text) if stop is None else stop
    lines: list[str] = []
    while len(lines) < count:
        end = text.find("\n", start, stop)
        if end < 0:
            lines.append(text[start:stop])
            return lines, stop
        lines.append(text[start:end])
        start = end + 1
    return lines, start


def normalise_newlines(text: AnyStr) -> AnyStr:
    """CRLF and lone CR line endings turned into LF (in text or bytes)."""
    cr, lf = ("\r", "\n") if isinstance(text, str) else (b"\r", b"\n")
    if cr in text:
        text = text.replace(cr + lf, lf)
        if cr in text:
            text = text.replace(cr, lf)
    return text


def utf8_bytes(data: bytes, decoded: DecodedText) -> bytes | None:
    """``data`` when it is exactly ``decoded.text`` in UTF-8 with LF line ends (it saves
    encoding the text again)."""
    return data if decoded.encoding == "utf-8" and b"\r" not in data else None


def text_lines(text: str) -> list[str]:
    """Lines without their CR/LF endings (CRLF, LF and a missing final newline all work)."""
    return normalise_newlines(text).split("\n")


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


def parse_numbers(
    cells: Sequence[Any], decimal_comma: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`parse_number` over a column of cells: ``(values, failed)``.

    Blank cells (``None``, empty or whitespace-only text) give NaN. ``failed`` marks the other
    cells :func:`parse_number` rejects (NaN as well), for the caller to look at one by one. Text
    cells are converted in bulk by :class:`float`, which gives the same correctly rounded value;
    only the cells it refuses, or reads more leniently than :func:`parse_number` (``1_000``,
    ``+infinity``), are looked at cell by cell.
    """
    column = cells if isinstance(cells, list) else list(cells)
    count = len(column)
    values = np.full(count, np.nan)
    failed = np.zeros(count, dtype=bool)
    try:
        joined = "\n".join(column)
    except TypeError:  # numbers, dates or None from a spreadsheet: one by one
        for k, value in enumerate(column):
            values[k], failed[k] = _number_cell(value, decimal_comma)
        return values, failed
    texts = column
    if decimal_comma and "," in joined:
        pieces = joined.replace(",", ".").split("\n")
        texts = pieces if len(pieces) == count else [t.replace(",", ".") for t in column]
    array = np.asarray(texts, dtype=object)
    todo = np.flatnonzero(array != "")
    check = []
    if todo.size:
        subset = array[todo]
        try:
            values[todo] = np.fromiter(map(float, subset), float, count=todo.size)
        except ValueError:
            check = _convert_chunks(subset, todo, values)
        odd = todo[~np.isfinite(values[todo])]  # NaN/inf texts, and the cells float refused
        check = np.union1d(np.asarray(check, dtype=np.int64), odd)
        if "_" in joined:  # float() reads 1_000, parse_number does not
            check = np.union1d(check, [k for k in todo.tolist() if "_" in column[k]])
    for k in np.asarray(check, dtype=np.int64).tolist():
        values[k], failed[k] = _number_cell(column[k], decimal_comma)
    return values, failed


def _convert_chunks(subset: np.ndarray, rows: np.ndarray, values: np.ndarray) -> list[int]:
    """``float`` of every cell, chunk by chunk; the rows whose cell it refuses (left NaN)."""
    refused: list[int] = []
    step = 4096
    for start in range(0, subset.size, step):
        chunk = subset[start : start + step]
        at = rows[start : start + step]
        try:
            values[at] = np.fromiter(map(float, chunk), float, count=chunk.size)
            continue
        except ValueError:
            pass
        for k, text in zip(at.tolist(), chunk.tolist(), strict=True):
            try:
                values[k] = float(text)
            except ValueError:
                refused.append(k)
    return refused


def _number_cell(value: Any, decimal_comma: bool) -> tuple[float, bool]:
    """(value, failed) of one cell: blank → (NaN, False), not a number → (NaN, True)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return np.nan, False
    try:
        return parse_number(value, decimal_comma), False
    except (ValueError, TypeError):
        return np.nan, True


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
# Delimited text in bulk

#: What str.split() and str.strip() treat as whitespace, the newline aside.
SPACE = "".join(
    c
    for c in "\t\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u180e\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
    if c.isspace()
)
_ODD_SPACE = [c for c in SPACE if c not in " \t"]


def _pandas_float_options() -> dict[str, str]:
    """pandas ≥ 3.1 parses floats with fast_float (correctly rounded, as float() does); older
    versions only with ``float_precision="round_trip"``."""
    import pandas as pd

    found = re.match(r"(\d+)\.(\d+)", pd.__version__)
    version = (int(found.group(1)), int(found.group(2))) if found else (0, 0)
    return {} if version >= (3, 1) else {"float_precision": "round_trip"}


class TextBlock:
    """Lines of text joined by LF (a table's body, ``text[start:stop]``) read in bulk.

    :meth:`columns` tokenises chosen columns with pandas' C parser, which splits lines the way
    :meth:`str.split` does (and, without quotes, the way :mod:`csv` does); :meth:`line` gives one
    line back as written, for the few cells that need a closer look. ``data``, the UTF-8 bytes
    of the whole ``text`` when at hand (a file's own bytes), saves encoding it again.
    """

    def __init__(
        self, text: str, start: int = 0, stop: int | None = None, data: bytes | None = None
    ) -> None:
        self.text = text
        self.start = start
        self.stop = len(text) if stop is None else stop
        self.count = text.count("\n", start, self.stop) + 1
        self._data = data
        self._data_start: int | None = None
        self._ends: np.ndarray | None = None

    def head(self, count: int) -> list[str]:
        """The first ``count`` lines."""
        return head_lines(self.text, count, self.start, self.stop)[0]

    def lines(self) -> list[str]:
        return self.text[self.start : self.stop].split("\n")

    @property
    def data(self) -> bytes:
        if self._data is None:
            self._data = self.text.encode("utf-8", "surrogatepass")
        return self._data

    @property
    def data_start(self) -> int:
        """Where the block starts in :attr:`data`."""
        if self._data_start is None:
            self._data_start = len(self.text[: self.start].encode("utf-8", "surrogatepass"))
        return self._data_start

    def line(self, k: int) -> str:
        """Line ``k`` (0-based) as written."""
        if self._ends is None:
            buffer = np.frombuffer(self.data, dtype=np.uint8, offset=self.data_start)
            self._ends = np.flatnonzero(buffer == 10) + self.data_start
        start = int(self._ends[k - 1]) + 1 if k else self.data_start
        end = int(self._ends[k]) if k < self._ends.size else len(self.data)
        return self.data[start:end].decode("utf-8", "surrogatepass")

    def blank_lines(self, delimiter: str | None = None) -> np.ndarray:
        """Indices of the lines holding nothing but whitespace (and ``delimiter``)."""
        chars = SPACE + (delimiter or "")
        text, first, stop = self.text, self.start, self.stop
        found = [] if self.head(1)[0].strip(chars) else [0]
        pattern = re.compile("\n[" + re.escape(chars) + "]*(?=\n|\\Z)")
        ends = [m.start() for m in pattern.finditer(text, first, stop)]  # LF before a blank
        middle = (first + stop) // 2
        line, position = 0, first
        for end in (e for e in ends if e < middle):  # lines counted from the start …
            line += text.count("\n", position, end + 1)
            position = end + 1
            found.append(line)
        tail = []
        line, position = self.count - 1, stop
        for end in reversed([e for e in ends if e >= middle]):  # … or from the end
            line -= text.count("\n", end + 1, position)
            position = end + 1
            tail.append(line)
        return np.asarray(found + tail[::-1], dtype=np.int64)

    def splits_like(self, delimiter: str | None, quotes: bool = True) -> bool:
        """Whether pandas' C parser splits these lines as :meth:`str.split` (``delimiter``
        None) or :mod:`csv` do: no quotes where they count, no unusual whitespace."""
        text, start = self.text, self.start

        def has(char: str) -> bool:
            return text.find(char, start) >= 0

        if text.startswith("\ufeff", start) or has("\x00"):
            return False
        if delimiter is None:
            return not any(has(c) for c in _ODD_SPACE)
        return len(delimiter) == 1 and not (quotes and has('"'))

    def columns(
        self,
        delimiter: str | None,
        kinds: Mapping[int, str],
        skip: Iterable[int] = (),
        quotes: bool = True,
        decimal_comma: bool = False,
    ) -> dict[int, np.ndarray] | None:
        """Columns ``{index: "number" | "text"}`` of the lines not in ``skip``, in one pass.

        ``delimiter`` None splits on runs of whitespace (:meth:`str.split`); ``quotes`` says
        the splitter being stood in for honours double quotes (:mod:`csv`). A number column is
        floats, NaN for an empty or missing cell; a text column holds the cells as written, ""
        where missing; ``decimal_comma`` reads ``1,5`` as 1.5 (and ``1.5`` as no plain number).
        ``None`` when the parser cannot stand in for the splitter (quotes, unusual whitespace,
        a first row too short for a column) or a number column holds something else than
        plain numbers: the caller then splits the lines itself.
        """
        import pandas as pd

        if not kinds:
            return {}
        if not self.splits_like(delimiter, quotes) or (decimal_comma and delimiter == ","):
            return None
        skipped = {k for k in skip if 0 <= k < self.count}
        after = self.text.count("\n", self.stop)  # lines after the block: not read
        usecols = sorted(kinds)
        source = io.BytesIO(self.data)
        source.seek(self.data_start)
        try:
            frame = pd.read_csv(
                source,
                sep=r"\s+" if delimiter is None else delimiter,
                header=None,
                usecols=usecols,
                dtype={i: "float64" if kinds[i] == "number" else object for i in usecols},
                na_values={i: [""] for i in usecols if kinds[i] == "number"},
                keep_default_na=False,
                skip_blank_lines=False,
                skiprows=(skipped | set(range(self.count, self.count + after + 1))) or None,
                quoting=csv.QUOTE_NONE,
                encoding="utf-8",
                decimal="," if decimal_comma else ".",
                engine="c",
                **_pandas_float_options(),
            )
        except Exception:  # pandas refuses odd text in many ways; the caller splits it itself
            return None
        if len(frame) != self.count - len(skipped) or list(frame.columns) != usecols:
            return None
        columns = {i: frame[i].to_numpy(copy=True) for i in usecols}  # writable, our own
        for i in usecols:
            if kinds[i] != "number":  # a missing cell as "", whatever the pandas version
                column = columns[i]
                column[column != column] = ""
        return columns


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
