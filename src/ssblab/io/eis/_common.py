"""Pieces every EIS reader shares: decoding, numbers, units, row cleaning, loop splitting, errors.

The readers are written as pure functions ``parse(data: bytes, source: str) -> list[Spectrum]``;
only :func:`ssblab.io.eis.read_eis` touches the file system. ``source`` is the file name: it goes
into :attr:`Spectrum.source` and into every :class:`FileFormatError` message.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import numpy as np

from ssblab.errors import FileFormatError, ImpedanceDataError
from ssblab.impedance.spectrum import Spectrum

# --------------------------------------------------------------------------------------------
# Errors


def format_error(source: str, message: str, line: int | None = None) -> FileFormatError:
    """A one-line :class:`FileFormatError` naming the file and, where known, the line (1-based)."""
    where = f"{source}: line {line}: " if line else f"{source}: "
    return FileFormatError(where + " ".join(message.split()))


# --------------------------------------------------------------------------------------------
# Format registry entry and detection input


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


@dataclass(frozen=True)
class EisFormat:
    """One entry of :data:`ssblab.io.eis.FORMATS`.

    ``sniff`` recognises the format from a :class:`FileHead`; ``parse`` is ``None`` for a format
    that is recognised but not supported (``unsupported_reason`` says why). ``extensions`` are
    the usual file extensions, for documentation: detection looks at content first.
    """

    name: str
    title: str
    extensions: tuple[str, ...]
    sniff: Callable[[FileHead], bool]
    parse: Callable[[bytes, str], list[Spectrum]] | None
    unsupported_reason: str = ""

    @property
    def supported(self) -> bool:
        return self.parse is not None


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
# Units

_FREQUENCY_UNITS = {"hz": 1.0, "khz": 1e3, "ghz": 1e9}
_IMPEDANCE_UNITS = {
    "ohm": 1.0,
    "ohms": 1.0,
    "Ω": 1.0,
    "kohm": 1e3,
    "kΩ": 1e3,
    "mohm": 1e-3,
    "mΩ": 1e-3,
    "uohm": 1e-6,
    "µohm": 1e-6,
    "μohm": 1e-6,
    "MΩ": 1e6,
}
_PHASE_UNITS = {"deg": 1.0, "°": 1.0, "degree": 1.0, "degrees": 1.0, "rad": 180.0 / math.pi}


def frequency_scale(unit: str) -> float | None:
    """Factor to Hz; case matters for ``mHz`` against ``MHz``. ``None`` if not a frequency unit."""
    unit = unit.strip()
    if unit == "mHz":
        return 1e-3
    if unit == "MHz":
        return 1e6
    return _FREQUENCY_UNITS.get(unit.lower())


def impedance_scale(unit: str) -> float | None:
    """Factor to Ω (``mOhm``, ``kΩ``, ``MOhm`` …); ``None`` if not an impedance unit."""
    unit = unit.strip().replace(" ", "").replace("\u2126", "Ω")  # OHM SIGN → GREEK OMEGA
    if unit in ("MOhm", "Mohm", "MΩ", "MOhms"):
        return 1e6
    if unit in ("mOhm", "mohm", "mΩ", "mOhms"):
        return 1e-3
    return _IMPEDANCE_UNITS.get(unit if unit.endswith("Ω") else unit.lower())


def phase_scale(unit: str) -> float | None:
    """Factor to degrees; ``None`` if not an angle unit."""
    return _PHASE_UNITS.get(unit.strip().lower())


# --------------------------------------------------------------------------------------------
# Points, cleaning, splitting


@dataclass(frozen=True)
class Points:
    """Raw points of one file (or one loop) before they become a :class:`Spectrum`.

    ``lines`` holds the 1-based file line of each point (0 where the format has no lines).
    ``extra`` holds further per-point columns a reader wants to summarise (e.g. ``<Ewe>/V``).
    """

    frequency_hz: np.ndarray
    impedance_ohm: np.ndarray
    lines: np.ndarray
    extra: Mapping[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def from_lists(cls, frequency, impedance, lines=None, extra=None) -> Points:
        f = np.asarray(frequency, dtype=float)
        z = np.asarray(impedance, dtype=complex)
        n = np.zeros(f.size, dtype=int) if lines is None else np.asarray(lines, dtype=int)
        cols = {k: np.asarray(v, dtype=float) for k, v in (extra or {}).items()}
        return cls(f, z, n, cols)

    def __len__(self) -> int:
        return int(self.frequency_hz.size)

    def take(self, index) -> Points:
        return Points(
            self.frequency_hz[index],
            self.impedance_ohm[index],
            self.lines[index],
            {k: v[index] for k, v in self.extra.items()},
        )


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


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


def drop_unusable_points(
    points: Points, source: str, zero_frequency_reason: str = ""
) -> tuple[Points, list[str]]:
    """Drop rows with frequency = 0 or NaN/inf values, returning one note per kind of drop.

    Zero-frequency rows are DC records or end-of-loop markers in several exports (PARSTAT, the
    EC-Lab-derived polar CSV); NaN rows are failed points. A negative frequency is never a
    convention, so it raises.
    """
    f, z = points.frequency_hz, points.impedance_ohm
    negative = np.isfinite(f) & (f < 0)
    if np.any(negative):
        line = int(points.lines[negative][0]) or None
        raise format_error(source, f"negative frequency {f[negative][0]:g} Hz", line)
    zero = f == 0
    bad = ~zero & ~(np.isfinite(f) & np.isfinite(z.real) & np.isfinite(z.imag))
    notes = []
    if np.any(zero):
        where = describe_lines(points.lines[zero])
        reason = f"; {zero_frequency_reason}" if zero_frequency_reason else ""
        notes.append(
            f"dropped {_rows(int(zero.sum()))} with frequency = 0"
            f"{' (' + where + ')' if where else ''}{reason}"
        )
    if np.any(bad):
        where = describe_lines(points.lines[bad])
        notes.append(
            f"dropped {_rows(int(bad.sum()))} with a NaN/inf value"
            f"{' (' + where + ')' if where else ''}"
        )
    keep = ~(zero | bad)
    return (points if keep.all() else points.take(keep)), notes


def runs_of_equal_labels(labels: Sequence[float]) -> list[np.ndarray]:
    """Index arrays of the contiguous runs of equal values (loop or cycle numbers)."""
    values = np.asarray(labels)
    if values.size == 0:
        return []
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    ends = np.r_[starts[1:], values.size]
    return [np.arange(a, b) for a, b in zip(starts, ends, strict=True)]


def sweep_restarts(frequency_hz: np.ndarray) -> list[np.ndarray]:
    """Split a frequency column where the sweep starts again (the direction reverses).

    The dominant direction (descending for most instruments) is the sign of most steps between
    usable (finite, positive) frequencies; every step against it starts a new spectrum. Rows
    with frequency 0 or NaN stay with the sweep they follow (leading ones with the first), so a
    DC record or an end-of-loop marker never makes a spectrum of its own.
    """
    f = np.asarray(frequency_hz, dtype=float)
    usable = np.flatnonzero(np.isfinite(f) & (f > 0))
    if usable.size < 3:
        return [np.arange(f.size)]
    steps = np.diff(f[usable])
    descending = np.sum(steps < 0) >= np.sum(steps > 0)
    against = steps > 0 if descending else steps < 0
    starts = np.r_[0, usable[np.flatnonzero(against) + 1]]
    ends = np.r_[starts[1:], f.size]
    return [np.arange(a, b) for a, b in zip(starts, ends, strict=True)]


# --------------------------------------------------------------------------------------------
# Sign conventions and consistency checks


def stored_sign_note(column: str, stored_negative: bool) -> str:
    if stored_negative:
        return (
            f"imaginary part stored as −Im(Z) (column {column!r}); sign flipped to the "
            "physical convention (capacitive Z'' < 0)"
        )
    return f"imaginary part stored as Im(Z) (column {column!r}); used as is"


def low_frequency_capacitive_fraction(
    frequency_hz: np.ndarray, imag: np.ndarray
) -> tuple[int, int]:
    """(negative, non-zero) counts of ``imag`` over the lower-frequency half of the points."""
    order = np.argsort(frequency_hz)
    half = order[: max(1, (order.size + 1) // 2)]
    values = imag[half]
    values = values[np.isfinite(values) & (values != 0)]
    return int(np.sum(values < 0)), int(values.size)


def inductive_warning(
    frequency_hz: np.ndarray, impedance_ohm: np.ndarray, column: str
) -> list[str]:
    """A note when most low-frequency points of a named Im column are inductive (Z'' > 0).

    Named columns are trusted (no silent flip), but a reversed sign is the commonest export
    mistake, so it is pointed out.
    """
    negative, total = low_frequency_capacitive_fraction(frequency_hz, impedance_ohm.imag)
    if total and negative * 2 < total:
        return [
            f"warning: {total - negative} of {total} low-frequency points have Z'' > 0 "
            f"(inductive) after reading {column!r} as labelled; check the sign convention"
        ]
    return []


def polar_consistency_notes(
    impedance_ohm: np.ndarray, modulus: np.ndarray | None, phase_deg: np.ndarray | None
) -> list[str]:
    """Notes where the file's own |Z| or phase columns disagree with Z' and Z''."""
    notes = []
    if modulus is not None:
        ok = np.isfinite(modulus) & (modulus > 0)
        rel = np.abs(np.abs(impedance_ohm[ok]) - modulus[ok]) / modulus[ok]
        off = int(np.sum(rel > 0.01))
        if off:
            notes.append(
                f"header/data disagreement: |Z| column differs from |Z' + jZ''| by more "
                f"than 1 % on {_rows(off)}"
            )
    if phase_deg is not None:
        computed = np.degrees(np.angle(impedance_ohm))
        ok = np.isfinite(phase_deg) & (np.abs(phase_deg) > 1.0) & (np.abs(computed) > 1.0)
        opposite = int(np.sum(np.sign(phase_deg[ok]) != np.sign(computed[ok])))
        if opposite:
            notes.append(
                f"header/data disagreement: the phase column has the opposite sign to "
                f"Z'' on {_rows(opposite)}"
            )
    return notes


def frequency_range_notes(
    frequency_hz: np.ndarray, declared: Iterable[tuple[str, float | None]], rtol: float = 0.05
) -> list[str]:
    """Notes where a header's declared start/end frequency is not what the data span.

    ``declared`` pairs a label such as ``"High Frequency (Hz) = 2e+6"`` with its value in Hz.
    A declared value must match the measured maximum or minimum within ``rtol``.
    """
    notes = []
    fmax, fmin = float(np.max(frequency_hz)), float(np.min(frequency_hz))
    for label, value in declared:
        if value is None or not value > 0:
            continue
        nearest = fmax if abs(math.log(value / fmax)) <= abs(math.log(value / fmin)) else fmin
        if abs(nearest / value - 1) > rtol:
            which = "highest" if nearest == fmax else "lowest"
            notes.append(
                f"header/data disagreement: header says {label} but the {which} "
                f"measured frequency is {nearest:.6g} Hz"
            )
    return notes


def count_mismatch_note(declared: int, present: int, what: str) -> list[str]:
    if declared == present:
        return []
    return [
        f"header/data disagreement: header declares {declared} {what} but {present} are "
        f"present; the {present} present rows are used"
    ]


# --------------------------------------------------------------------------------------------
# Spectrum assembly


def make_spectrum(
    source: str, index: int, points: Points, metadata: Mapping[str, Any], notes: Iterable[str]
) -> Spectrum:
    """Build a :class:`Spectrum`, turning its validation errors into :class:`FileFormatError`."""
    if len(points) == 0:
        raise format_error(source, f"spectrum {index}: no usable data points")
    try:
        return Spectrum(
            points.frequency_hz,
            points.impedance_ohm,
            source=source,
            index=index,
            metadata=dict(metadata),
            notes=tuple(dict.fromkeys(notes)),
        )
    except ImpedanceDataError as exc:
        detail = str(exc).split(": ", 1)[-1]
        where = describe_lines(points.lines)
        raise format_error(
            source, f"spectrum {index} ({where or 'no line numbers'}): {detail}"
        ) from None


def split_and_build(
    source: str,
    points: Points,
    groups: list[np.ndarray],
    metadata: Mapping[str, Any],
    notes: Sequence[str],
    *,
    loop_labels: Sequence[Any] | None = None,
    zero_frequency_reason: str = "",
    per_spectrum: Callable[[Points], dict[str, Any]] | None = None,
) -> list[Spectrum]:
    """Cut ``points`` into ``groups``, clean each group and build one spectrum per group.

    With several groups each spectrum's metadata gets ``loop``: the file's own loop label when
    ``loop_labels`` is given, else the group's position in the file. Groups left empty by
    cleaning (a loop made only of end-of-loop rows) are skipped.
    """
    cleaned = []
    carried: list[str] = []  # drop notes of groups with no usable point go to the next spectrum
    for position, group in enumerate(groups):
        part, drop_notes = drop_unusable_points(points.take(group), source, zero_frequency_reason)
        if len(part) == 0:
            carried += drop_notes
            continue
        cleaned.append((position, part, [*carried, *drop_notes]))
        carried = []
    if not cleaned:
        raise format_error(source, "no usable impedance points")
    cleaned[-1][2].extend(carried)
    spectra: list[Spectrum] = []
    for position, part, drop_notes in cleaned:
        meta = dict(metadata)
        if len(cleaned) > 1:
            meta["loop"] = loop_labels[position] if loop_labels is not None else position
        if per_spectrum is not None:
            meta.update(per_spectrum(part))
        spectra.append(make_spectrum(source, len(spectra), part, meta, [*notes, *drop_notes]))
    return spectra


def add_notes(
    spectra: Sequence[Spectrum], notes_for: Callable[[Spectrum], Iterable[str]]
) -> list[Spectrum]:
    """The spectra with extra notes appended (e.g. header checks made after parsing)."""
    out = []
    for spectrum in spectra:
        extra = [n for n in notes_for(spectrum) if n not in spectrum.notes]
        out.append(replace(spectrum, notes=(*spectrum.notes, *extra)) if extra else spectrum)
    return out


def parse_datetime(text: str, formats: Sequence[str]) -> str | None:
    """ISO 8601 for the first matching ``strptime`` format, else ``None`` (ambiguous or odd)."""
    cleaned = " ".join(text.split())
    for fmt in formats:
        try:
            return datetime.strptime(cleaned, fmt).isoformat()
        except ValueError:
            continue
    return None
