"""A raw file's bytes → what the catalogue stores: kind, format, the tidy arrays, the reader's
notes and metadata, the temperature where the file states it — or the reader's one-line error.

Detection order: BDF (:mod:`ssblab.workspace.bdf`), then the impedance readers of
:mod:`ssblab.io.eis`, then the cycling readers of :mod:`ssblab.io.cycling`; a file that one
family recognises but cannot read fails with that reader's message, a file neither recognises
fails with one line saying so. Also the way back: stored arrays → ``Spectrum`` objects or
``CyclingData``, exactly as the readers returned them.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ssblab.errors import SsblabInputError

if TYPE_CHECKING:
    import pandas as pd

    from ssblab.cycling.data import CyclingData
    from ssblab.impedance.spectrum import Spectrum

EIS_COLUMNS = ("spectrum", "frequency_Hz", "z_real_ohm", "z_imag_ohm")


@dataclass(frozen=True)
class ParsedFile:
    """A file read successfully."""

    kind: str  # "eis" or "cycling"
    format: str
    frame: pd.DataFrame
    notes: tuple[str, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)
    temperature_K: float | None = None
    cell_id: str | None = None  # a BDF file's own "Cell ID"


class UnreadableFile(SsblabInputError):
    """Neither reader family can read the file; ``format`` is the one detected, if any."""

    def __init__(self, message: str, format: str | None = None) -> None:
        super().__init__(message)
        self.format = format


def one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def jsonable(value: Any) -> Any:
    """``value`` made JSON-safe (numpy scalars → Python, NaN/inf → None, others → str)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if hasattr(value, "item") and callable(value.item) and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, bytes):
        return value.hex()
    return json.loads(json.dumps(value, default=str))


def spectra_frame(spectra: list[Spectrum]) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    parts = [
        pd.DataFrame(
            {
                "spectrum": np.full(len(s), s.index, dtype="int64"),
                "frequency_Hz": s.frequency_hz,
                "z_real_ohm": s.impedance_ohm.real,
                "z_imag_ohm": s.impedance_ohm.imag,
            }
        )
        for s in spectra
    ]
    return pd.concat(parts, ignore_index=True)


def _first_temperature(metadata: dict) -> float | None:
    for key in ("temperature_K", "temperature_k"):
        value = metadata.get(key)
        if isinstance(value, (int, float)) and math.isfinite(value) and value > 0:
            return float(value)
    return None


def from_spectra(spectra: list[Spectrum], format: str) -> ParsedFile:
    notes: list[str] = []
    for s in spectra:
        notes.extend(n for n in s.notes if n not in notes)
    metadata = dict(spectra[0].metadata)
    metadata["spectra"] = [jsonable(dict(s.metadata)) for s in spectra] if len(spectra) > 1 else []
    metadata.pop("header", None)
    return ParsedFile(
        kind="eis",
        format=format,
        frame=spectra_frame(spectra),
        notes=tuple(notes),
        metadata=jsonable(metadata),
        temperature_K=_first_temperature(spectra[0].metadata),
    )


def from_cycling(data: CyclingData, format: str) -> ParsedFile:
    import numpy as np

    temperature = data.table["temperature_K"].to_numpy(dtype=float)
    finite = temperature[np.isfinite(temperature)]
    metadata = {k: v for k, v in dict(data.metadata).items() if k != "header"}
    return ParsedFile(
        kind="cycling",
        format=format,
        frame=data.table.reset_index(drop=True),
        notes=tuple(data.notes),
        metadata=jsonable(metadata),
        temperature_K=float(np.median(finite)) if finite.size else None,
    )


def read_measurement(data: bytes, name: str) -> ParsedFile:
    """What ``data`` (the bytes of the file ``name``) holds; :class:`UnreadableFile` else."""
    from ssblab.io import cycling, eis
    from ssblab.workspace import bdf

    if bdf.looks_like_bdf(data, name):
        try:
            return bdf.parse_bdf(data, name)
        except SsblabInputError as exc:
            raise UnreadableFile(one_line(exc), "bdf") from None
    errors: list[tuple[str, str]] = []
    try:
        eis_format = eis.detect_format_of_bytes(data, name)
    except SsblabInputError:
        eis_format = None
    if eis_format is not None:
        try:
            return from_spectra(eis.parse_eis(data, name, eis_format), eis_format)
        except SsblabInputError as exc:
            errors.append((eis_format, one_line(exc)))
    try:
        cycling_format = cycling.detect_format_of_bytes(data, name)
    except SsblabInputError:
        cycling_format = None
    if cycling_format is not None:
        try:
            return from_cycling(cycling.parse_cycling(data, name, cycling_format), cycling_format)
        except SsblabInputError as exc:
            errors.append((cycling_format, one_line(exc)))
    if errors:
        raise UnreadableFile(errors[0][1], errors[0][0])
    if not data.strip():
        raise UnreadableFile(f"{name}: the file is empty")
    raise UnreadableFile(f"{name}: not an impedance or cycling file of a known format")


def spectra_of(frame: pd.DataFrame, source: str, metadata: dict | None = None) -> list[Spectrum]:
    """The stored EIS arrays back as spectra (file order, as the reader returned them)."""
    import numpy as np

    from ssblab.impedance.spectrum import Spectrum

    spectra = []
    for index, part in frame.groupby("spectrum", sort=True):
        z = part["z_real_ohm"].to_numpy(dtype=float) + 1j * part["z_imag_ohm"].to_numpy(float)
        spectra.append(
            Spectrum(
                frequency_hz=np.asarray(part["frequency_Hz"].to_numpy(dtype=float)),
                impedance_ohm=z,
                source=source,
                index=int(index),
                metadata=metadata or {},
            )
        )
    return spectra


def cycling_of(frame: pd.DataFrame, source: str, metadata: dict | None = None) -> CyclingData:
    from ssblab.cycling.data import CyclingData

    return CyclingData(table=frame, source=source, metadata=metadata or {})
