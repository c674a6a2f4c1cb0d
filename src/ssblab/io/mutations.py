"""Mutated instrument files, for testing that readers never mislead (issue 9 §6).

A reader given a damaged file must end in one of two ways: a typed
:class:`~ssblab.errors.SsblabError` with a one-line message, or a result (with notes for what it
dropped or repaired). Anything else — another exception, a hang, or a cut-off row read as a
number — is a defect. This module makes the damaged files and judges the outcome; the test suite
(``tests/io/test_fuzz_readers.py``) runs a few mutants of every example file on every run and
``benchmarks/fuzz_readers.py`` runs thousands and prints the counts.

Mutations (each a pure function of the bytes and a seeded generator): truncation at a random
byte, flipped bytes, a deleted, duplicated or swapped line, a numeric cell replaced by ``NaN``,
``abc`` or nothing, decimal points turned into commas (in one line or the whole file), unicode
inserted (µ, thin space, BOM, an emoji, a NUL), CRLF line ends, and the final newline removed.

Outcomes:

``ok``          a result; for a truncation, its rows are a prefix of the original's rows
``error``       a typed :class:`~ssblab.errors.SsblabError`
``untyped``     any other exception (a defect)
``hang``        no answer within the time limit (a defect)
``cut_accepted`` a truncation whose result holds a row that differs from the original's row at
                that place: a cut value read as a number (a defect)
``noisy``       an answer, but something (a library's traceback, log or warning) was written to
                stderr, which the user would see (a defect)
"""

from __future__ import annotations

import io
import re
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr
from dataclasses import dataclass

import numpy as np

from ssblab.errors import SsblabError

_NUMBER = re.compile(rb"[+-]?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?")
_UNICODE = ("µ", "\u2009", "\ufeff", "\U0001f50b", "\x00", "ä", "Ω")


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def truncate(data: bytes, rng: np.random.Generator) -> bytes:
    return data[: int(rng.integers(1, max(len(data), 2)))]


def flip_bytes(data: bytes, rng: np.random.Generator) -> bytes:
    out = bytearray(data)
    for _ in range(int(rng.integers(1, 9))):
        if out:
            k = int(rng.integers(0, len(out)))
            out[k] ^= 1 << int(rng.integers(0, 8))
    return bytes(out)


def delete_line(data: bytes, rng: np.random.Generator) -> bytes:
    lines = _lines(data)
    if len(lines) > 1:
        del lines[int(rng.integers(0, len(lines)))]
    return b"\n".join(lines)


def duplicate_line(data: bytes, rng: np.random.Generator) -> bytes:
    lines = _lines(data)
    k = int(rng.integers(0, len(lines)))
    lines.insert(k, lines[k])
    return b"\n".join(lines)


def swap_lines(data: bytes, rng: np.random.Generator) -> bytes:
    lines = _lines(data)
    if len(lines) > 2:
        a, b = (int(k) for k in rng.choice(len(lines), 2, replace=False))
        lines[a], lines[b] = lines[b], lines[a]
    return b"\n".join(lines)


def _replace_number(data: bytes, rng: np.random.Generator, by: bytes) -> bytes:
    found = list(_NUMBER.finditer(data))
    if not found:
        return data
    match = found[int(rng.integers(0, len(found)))]
    return data[: match.start()] + by + data[match.end() :]


def nan_cell(data: bytes, rng: np.random.Generator) -> bytes:
    return _replace_number(data, rng, b"NaN")


def text_cell(data: bytes, rng: np.random.Generator) -> bytes:
    return _replace_number(data, rng, b"abc")


def empty_cell(data: bytes, rng: np.random.Generator) -> bytes:
    return _replace_number(data, rng, b"")


def decimal_comma_line(data: bytes, rng: np.random.Generator) -> bytes:
    lines = _lines(data)
    k = int(rng.integers(0, len(lines)))
    lines[k] = lines[k].replace(b".", b",")
    return b"\n".join(lines)


def decimal_comma_file(data: bytes, rng: np.random.Generator) -> bytes:
    return data.replace(b".", b",")


def insert_unicode(data: bytes, rng: np.random.Generator) -> bytes:
    k = int(rng.integers(0, len(data) + 1))
    char = _UNICODE[int(rng.integers(0, len(_UNICODE)))].encode("utf-8")
    return data[:k] + char + data[k:]


def crlf(data: bytes, rng: np.random.Generator) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def no_final_newline(data: bytes, rng: np.random.Generator) -> bytes:
    return data.rstrip(b"\r\n")


MUTATIONS: dict[str, Callable[[bytes, np.random.Generator], bytes]] = {
    "truncate": truncate,
    "flip_bytes": flip_bytes,
    "delete_line": delete_line,
    "duplicate_line": duplicate_line,
    "swap_lines": swap_lines,
    "nan_cell": nan_cell,
    "text_cell": text_cell,
    "empty_cell": empty_cell,
    "decimal_comma_line": decimal_comma_line,
    "decimal_comma_file": decimal_comma_file,
    "insert_unicode": insert_unicode,
    "crlf": crlf,
    "no_final_newline": no_final_newline,
}


def mutants(data: bytes, count: int, seed: int) -> Iterator[tuple[str, bytes]]:
    """``count`` mutants of ``data``, cycling through :data:`MUTATIONS` (reproducible)."""
    rng = np.random.default_rng(seed)
    names = list(MUTATIONS)
    for k in range(count):
        name = names[k % len(names)]
        yield name, MUTATIONS[name](data, rng)


class _Hang(Exception):
    pass


@contextmanager
def _time_limit(seconds: float):
    """SIGALRM-based limit (POSIX, main thread); a no-op where alarms are unavailable."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def on_alarm(signum, frame):
        raise _Hang

    try:
        previous = signal.signal(signal.SIGALRM, on_alarm)
    except ValueError:  # not the main thread
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Outcome:
    kind: str  # ok, error, untyped, hang, cut_accepted, noisy
    detail: str = ""

    @property
    def defect(self) -> bool:
        return self.kind in ("untyped", "hang", "cut_accepted", "noisy")


def rows_of(result) -> np.ndarray:
    """The numeric rows a reader returned, for prefix comparison: (f, Z', Z'') of every
    spectrum in order, or (t, V, I) of a cycling table."""
    if isinstance(result, list):  # spectra
        if not result:
            return np.empty((0, 3))
        return np.concatenate(
            [
                np.column_stack([s.frequency_hz, s.impedance_ohm.real, s.impedance_ohm.imag])
                for s in result
            ]
        )
    table = result.table
    return table[["time_s", "voltage_V", "current_A"]].to_numpy(dtype=float)


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    with np.errstate(invalid="ignore"):
        close = np.isclose(a, b, rtol=1e-9, atol=0.0) | (np.isnan(a) & np.isnan(b))
    return bool(np.all(close))


def judge(
    parse: Callable[[bytes], object],
    mutant: bytes,
    kind: str,
    original_rows: np.ndarray | None,
    seconds: float = 10.0,
) -> Outcome:
    """Run ``parse`` on ``mutant`` and classify the outcome (see the module docstring).

    For a truncation, every returned row must equal the original's row at its position: the
    readers see the cut at the end of the data, so their rows can only be a prefix.
    """
    stderr = io.StringIO()
    try:
        with _time_limit(seconds), redirect_stderr(stderr):
            result = parse(mutant)
    except _Hang:
        return Outcome("hang", f"no answer within {seconds:g} s")
    except SsblabError as exc:
        if stderr.getvalue():
            return Outcome("noisy", stderr.getvalue().strip().splitlines()[-1][:160])
        return Outcome("error", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    except Exception as exc:
        return Outcome("untyped", f"{type(exc).__name__}: {str(exc)[:160]}")
    if stderr.getvalue():
        return Outcome("noisy", stderr.getvalue().strip().splitlines()[-1][:160])
    if kind == "truncate" and original_rows is not None:
        try:
            rows = rows_of(result)
        except Exception as exc:  # a result the contract does not allow
            return Outcome("untyped", f"unusable result: {type(exc).__name__}: {exc}")
        n = min(len(rows), len(original_rows))
        if len(rows) > len(original_rows) or not _same(rows[:n], original_rows[:n]):
            bad = next(
                (k for k in range(n) if not _same(rows[k : k + 1], original_rows[k : k + 1])),
                n,
            )
            return Outcome("cut_accepted", f"row {bad} differs from the original")
    return Outcome("ok")
