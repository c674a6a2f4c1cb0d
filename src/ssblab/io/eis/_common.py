"""Pieces every EIS reader shares: units, row cleaning, loop splitting, spectrum assembly.

Decoding, number parsing, line descriptions and errors are generic and live in
:mod:`ssblab.io._text` (the cycling readers use them too).

The readers are written as pure functions ``parse(data: bytes, source: str) -> list[Spectrum]``;
only :func:`ssblab.io.eis.read_eis` touches the file system. ``source`` is the file name: it goes
into :attr:`Spectrum.source` and into every :class:`FileFormatError` message.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ssblab.errors import ImpedanceDataError
from ssblab.impedance.spectrum import Spectrum

# Generic text helpers live in ssblab.io._text (shared with the cycling readers); the two the
# impedance tests import from here are re-exported.
from ssblab.io._text import FileHead, describe_lines, format_error
from ssblab.io._text import decode_text as decode_text
from ssblab.io._text import parse_number as parse_number

# --------------------------------------------------------------------------------------------
# Format registry entry


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
# Units

#: SI prefixes of units; their case matters (m = milli, M = mega), except kilo (k or K).
_PREFIXES = {
    "": 1.0,
    "G": 1e9,
    "M": 1e6,
    "k": 1e3,
    "K": 1e3,
    "m": 1e-3,
    "u": 1e-6,
    "µ": 1e-6,
    "μ": 1e-6,
    "n": 1e-9,
}
_IMPEDANCE_BASES = ("ohms", "ohm", "Ω")
_PHASE_UNITS = {"deg": 1.0, "°": 1.0, "degree": 1.0, "degrees": 1.0, "rad": 180.0 / math.pi}


def _prefixed(unit: str, bases: tuple[str, ...]) -> float | None:
    """The prefix factor of ``unit`` = prefix + one of ``bases`` (compared without case)."""
    unit = unit.strip().replace(" ", "").replace("\u2126", "Ω")  # OHM SIGN → GREEK OMEGA
    lower = unit.lower()
    for base in bases:
        if lower.endswith(base.lower()):
            return _PREFIXES.get(unit[: len(unit) - len(base)])
    return None


def frequency_scale(unit: str) -> float | None:
    """Factor to Hz (``Hz``, ``kHz``, ``MHz``, ``mHz``, ``HZ`` …; the prefix's case matters:
    ``mHz`` against ``MHz``). ``None`` if not a frequency unit."""
    return _prefixed(unit, ("hz",))


def impedance_scale(unit: str) -> float | None:
    """Factor to Ω (``Ohm``, ``ohms``, ``mOhm``, ``kΩ``, ``MOhm``, ``KOHM`` …); ``None`` if not
    an impedance unit."""
    return _prefixed(unit, _IMPEDANCE_BASES)


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


def count_mismatch_note(declared: float, present: int, what: str) -> list[str]:
    """A note when a header's declared count (a number read from the file: it may be NaN,
    infinite or fractional in a damaged file) is not the count present."""
    if declared == present:
        return []
    if not (math.isfinite(declared) and float(declared).is_integer() and declared >= 0):
        return [
            f"header/data disagreement: header declares {declared:g} {what}, not a count; "
            f"the {present} present rows are used"
        ]
    return [
        f"header/data disagreement: header declares {int(declared)} {what} but {present} are "
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
    values, counts = np.unique(points.frequency_hz, return_counts=True)
    if np.any(counts > 1):  # name the lines: the Spectrum check only counts them
        first, times = values[counts > 1][0], counts[counts > 1][0]
        lines = points.lines[points.frequency_hz == first]
        where = f" ({describe_lines(lines)})" if lines.min() > 0 else ""
        raise format_error(
            source,
            f"spectrum {index}: {int(np.sum(counts - 1))} duplicate frequencies; "
            f"{first:g} Hz appears {times}×{where}",
            int(lines[1]) or None,
        )
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
