"""The tidy impedance spectrum every reader returns and every analysis takes.

Convention: ``impedance_ohm`` is the complex impedance Z = Z' + jZ'' with the physical sign,
so a capacitive response has Z'' < 0 (files that store −Z'' are converted by the reader, and the
conversion is recorded in ``notes``). Frequencies are in Hz, strictly positive, in the order the
instrument measured them (usually descending); :meth:`Spectrum.sorted` gives ascending order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ssblab.errors import ImpedanceDataError


def check_spectrum_arrays(frequency_hz, impedance_ohm, name: str = "spectrum") -> None:
    """Raise :class:`ImpedanceDataError` (naming ``name``) if the arrays cannot be analysed."""
    f = np.asarray(frequency_hz, dtype=float)
    z = np.asarray(impedance_ohm, dtype=complex)
    if f.ndim != 1 or z.shape != f.shape:
        raise ImpedanceDataError(
            f"{name}: frequency and impedance must be 1-D arrays of equal length "
            f"(got {f.shape} and {z.shape})"
        )
    if f.size == 0:
        raise ImpedanceDataError(f"{name}: no data points")
    if not np.all(np.isfinite(f)):
        raise ImpedanceDataError(f"{name}: {int(np.sum(~np.isfinite(f)))} frequencies are NaN/inf")
    if not np.all(np.isfinite(z)):
        bad = int(np.sum(~np.isfinite(z)))
        raise ImpedanceDataError(f"{name}: {bad} impedance values are NaN/inf")
    if np.any(f <= 0):
        raise ImpedanceDataError(f"{name}: {int(np.sum(f <= 0))} frequencies are zero or negative")
    unique = np.unique(f)
    if unique.size != f.size:
        raise ImpedanceDataError(f"{name}: {f.size - unique.size} duplicate frequencies")


def frequency_order(frequency_hz) -> str:
    """'descending', 'ascending' or 'unsorted'."""
    d = np.diff(np.asarray(frequency_hz, dtype=float))
    if np.all(d < 0):
        return "descending"
    if np.all(d > 0):
        return "ascending"
    return "unsorted"


@dataclass(frozen=True)
class Spectrum:
    """One impedance spectrum with where it came from and what was done to it."""

    frequency_hz: np.ndarray
    impedance_ohm: np.ndarray
    source: str = ""
    index: int = 0
    metadata: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        f = np.asarray(self.frequency_hz, dtype=float)
        z = np.asarray(self.impedance_ohm, dtype=complex)
        label = f"{self.source or 'spectrum'}#{self.index}"
        check_spectrum_arrays(f, z, label)
        f.setflags(write=False)
        z.setflags(write=False)
        object.__setattr__(self, "frequency_hz", f)
        object.__setattr__(self, "impedance_ohm", z)

    @property
    def label(self) -> str:
        return f"{self.source}#{self.index}" if self.source else f"spectrum#{self.index}"

    @property
    def angular_frequency(self) -> np.ndarray:
        return 2.0 * np.pi * self.frequency_hz

    @property
    def order(self) -> str:
        return frequency_order(self.frequency_hz)

    def sorted(self, descending: bool = True) -> Spectrum:
        """The same spectrum with frequencies sorted (descending by default)."""
        idx = np.argsort(self.frequency_hz)
        if descending:
            idx = idx[::-1]
        return replace(
            self, frequency_hz=self.frequency_hz[idx], impedance_ohm=self.impedance_ohm[idx]
        )

    def __len__(self) -> int:
        return int(self.frequency_hz.size)
