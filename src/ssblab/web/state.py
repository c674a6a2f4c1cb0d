"""What the app holds: the measurements (an in-memory session, or a workspace's catalogue),
the private upload folder, the batch process pool.

An uploaded file is parsed by the readers the CLI uses, and the reader's own objects (spectra
with their per-spectrum notes, :class:`~ssblab.cycling.data.CyclingData`) are kept, so an
analysis here sees exactly what ``ssblab eis …`` / ``ssblab cycle …`` see for the same file.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ssblab.errors import SsblabInputError

if TYPE_CHECKING:
    import pandas as pd

    from ssblab.cycling.data import CyclingData
    from ssblab.impedance.spectrum import Spectrum
    from ssblab.workspace.store import Workspace


class UnknownMeasurement(SsblabInputError):
    """No measurement with that id (HTTP 404)."""


class WrongKind(SsblabInputError):
    """An EIS analysis asked of a cycling file or the reverse (HTTP 422)."""


@dataclass
class Record:
    """One measurement: the reader's result and where it came from."""

    id: int
    name: str
    kind: str  # "eis" | "cycling"
    format: str
    notes: tuple[str, ...]
    sha256: str
    size_bytes: int
    frame: pd.DataFrame
    metadata: dict[str, Any] = field(default_factory=dict)
    temperature_K: float | None = None
    spectra: list[Spectrum] | None = None
    cycling: CyclingData | None = None
    sample: str | None = None
    raw_path: Path | None = None  # the raw file, for reports (kept until the app stops)

    def summary(self) -> dict:
        out = {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "format": self.format,
            "notes": list(self.notes),
            "sha256": self.sha256,
            "size_bytes": self.size_bytes,
            "temperature_K": self.temperature_K,
            "sample": self.sample,
            "n_spectra": None,
            "n_rows": None,
        }
        if self.kind == "eis":
            out["n_spectra"] = len(self.spectra or [])
        else:
            out["n_rows"] = len(self.frame)
        return out

    def need(self, kind: str) -> Record:
        if self.kind != kind:
            what = "an impedance" if kind == "eis" else "a cycling"
            raise WrongKind(f"{self.name}: is a {self.kind} measurement, not {what} file")
        return self


def parse_upload(data: bytes, name: str) -> tuple[str, str, Any, Any]:
    """(kind, format, ParsedFile, objects) of a file's bytes; ``UnreadableFile`` else.

    Same detection order and messages as :func:`ssblab.workspace.readers.read_measurement`
    (BDF, impedance, cycling); done here rather than by that function so the reader's objects
    are kept rather than rebuilt from the tidy frame (which drops per-spectrum notes)."""
    from ssblab.io import cycling, eis
    from ssblab.workspace import bdf, readers

    if bdf.looks_like_bdf(data, name):
        parsed = readers.read_measurement(data, name)
        if parsed.kind == "eis":
            return "eis", parsed.format, parsed, readers.spectra_of(parsed.frame, name)
        return "cycling", parsed.format, parsed, readers.cycling_of(parsed.frame, name)
    errors: list[tuple[str, str]] = []
    for family, kind, wrap in (
        (eis, "eis", lambda objs, fmt: readers.from_spectra(objs, fmt)),
        (cycling, "cycling", lambda objs, fmt: readers.from_cycling(objs, fmt)),
    ):
        try:
            fmt = family.detect_format_of_bytes(data, name)
        except SsblabInputError:
            continue
        try:
            objects = (
                family.parse_eis(data, name, fmt)
                if kind == "eis"
                else family.parse_cycling(data, name, fmt)
            )
        except SsblabInputError as exc:
            errors.append((fmt, readers.one_line(exc)))
            continue
        return kind, fmt, wrap(objects, fmt), objects
    if errors:
        raise readers.UnreadableFile(errors[0][1], errors[0][0])
    if not data.strip():
        raise readers.UnreadableFile(f"{name}: the file is empty")
    raise readers.UnreadableFile(f"{name}: not an impedance or cycling file of a known format")


class AppState:
    """Measurements, upload folder and batch pool of one app (one per :func:`create_app`)."""

    def __init__(self, workspace: str | Path | None, max_upload_bytes: int) -> None:
        self.max_upload_bytes = max_upload_bytes
        self.records: dict[int, Record] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        # private: uploads of one user never sit in a shared, world-readable folder
        self.upload_dir = Path(tempfile.mkdtemp(prefix="ssblab-web-"))
        os.chmod(self.upload_dir, 0o700)
        self._pool = None
        self._pool_lock = threading.Lock()
        self.figure_lock = threading.Lock()  # matplotlib's pyplot is not thread-safe
        self.workspace: Workspace | None = None
        self.replicate_cache: dict[tuple[str, int], dict] = {}
        self.replicate_running: set[tuple[str, int]] = set()  # queued or running
        self.replicate_lock = threading.Lock()
        self._replicator = None
        if workspace is not None:
            from ssblab.workspace.store import Workspace

            self.workspace = Workspace.open(workspace)
            self.load_workspace()

    # ------------------------------------------------------------------ measurements
    def add(self, data: bytes, name: str, keep: Path | None = None) -> Record:
        """Parse an upload into a new record; ``keep`` (the saved upload) is moved under the
        private folder's ``raw/<id>/<name>`` so a report can read the raw file again."""
        kind, fmt, parsed, objects = parse_upload(data, name)
        with self._lock:
            record = Record(
                id=next(self._ids),
                name=name,
                kind=kind,
                format=fmt,
                notes=tuple(parsed.notes),
                sha256=hashlib.sha256(data).hexdigest(),
                size_bytes=len(data),
                frame=parsed.frame,
                metadata=dict(parsed.metadata),
                temperature_K=parsed.temperature_K,
                spectra=objects if kind == "eis" else None,
                cycling=objects if kind == "cycling" else None,
            )
            self.records[record.id] = record
        if keep is not None:
            folder = self.upload_dir / "raw" / str(record.id)
            folder.mkdir(parents=True)
            record.raw_path = Path(shutil.move(str(keep), folder / name))
        return record

    def get(self, measurement_id: int) -> Record:
        record = self.records.get(measurement_id)
        if record is None:
            raise UnknownMeasurement(f"no measurement {measurement_id}")
        return record

    def ingest(self, path: Path, name: str) -> Record:
        """Copy an upload into the workspace's ``uploads/`` folder, ingest that folder (files
        already in the catalogue are recognised by their hash and skipped) and return the
        catalogue's record of it, under its catalogue id. An unreadable file is stored as a
        failed measurement, as ``ssblab ingest`` stores it, and refused with the reader's
        one-line error."""
        assert self.workspace is not None
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        folder = self.workspace.path / "uploads"
        folder.mkdir(exist_ok=True)
        target = folder / name
        if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() != sha:
            target = folder / f"{sha[:8]}_{name}"
        if not target.exists():
            shutil.copyfile(path, target)
        with self._lock:  # one ingest at a time: the catalogue has one writer per app
            self.workspace.ingest(folder, workers=1)
        self.load_workspace()
        found = [r for r in self.records.values() if r.sha256 == sha]
        if found:
            return found[0]
        parse_upload(data, name)  # not stored as ok: the reader's error, as the CLI says it
        raise SsblabInputError(f"{name}: not stored in the workspace")  # pragma: no cover

    def load_workspace(self) -> None:
        """The workspace's stored measurements (status ok) as records, by catalogue id."""
        from sqlalchemy import select
        from sqlalchemy.orm import selectinload

        from ssblab.workspace import readers
        from ssblab.workspace.arrays import read_frame
        from ssblab.workspace.schema import Measurement

        assert self.workspace is not None
        with self.workspace.sessions() as session:
            rows = session.scalars(
                select(Measurement)
                .where(Measurement.status == "ok")
                .options(selectinload(Measurement.sample))
                .order_by(Measurement.id)
            ).all()
        with self._lock:
            for m in rows:
                if m.id in self.records:
                    continue
                name = os.path.basename(m.path)
                frame = read_frame(self.workspace.path, m.array_path)
                metadata = dict(m.instrument_metadata or {})
                record = Record(
                    id=m.id,
                    name=name,
                    kind=m.kind,
                    format=m.format,
                    notes=tuple(m.notes or ()),
                    sha256=m.sha256,
                    size_bytes=m.size_bytes or 0,
                    frame=frame,
                    metadata=metadata,
                    temperature_K=m.temperature_K,
                    sample=m.sample.name if m.sample else None,
                    raw_path=Path(m.path),  # where it was ingested from (raw files stay put)
                )
                if m.kind == "eis":
                    record.spectra = readers.spectra_of(frame, name, metadata)
                else:
                    record.cycling = readers.cycling_of(frame, name, metadata)
                self.records[m.id] = record
            self._ids = itertools.count(max(self.records, default=0) + 1)

    def samples(self) -> list[dict]:
        """The workspace's samples (catalogue entry, measurement count, the newest stored
        E_a beside the KB family median, as ``ssblab query arrhenius``); [] without one."""
        if self.workspace is None:
            return []
        from sqlalchemy import select
        from sqlalchemy.orm import selectinload

        from ssblab.workspace.schema import Sample

        with self.workspace.sessions() as session:
            rows = session.scalars(
                select(Sample).options(selectinload(Sample.material)).order_by(Sample.name)
            ).all()
            samples = [
                {"name": r.name, "formula": r.material.formula if r.material else None,
                 "family": r.material.family if r.material else None, "dopant": r.dopant,
                 "thickness_m": r.thickness_m, "diameter_m": r.diameter_m,
                 "processing": ", ".join(x for x in (r.sintering, r.coating, r.anneal) if x)
                 + (f", {r.ald_cycles} ALD cycles" if r.ald_cycles else "")}
                for r in rows
            ]  # fmt: skip
        arrhenius = self.workspace.query("arrhenius")
        by_sample = {} if arrhenius.empty else arrhenius.set_index("sample").to_dict("index")
        for row in samples:
            row["measurements"] = sum(r.sample == row["name"] for r in self.records.values())
            found = by_sample.get(row["name"], {})
            for key in ("activation_energy_eV", "activation_energy_err_eV",
                        "kb_family_ea_median_eV", "kb_family_ea_n"):  # fmt: skip
                row[key] = found.get(key)
        return samples

    # ------------------------------------------------------------------ batch pool
    def pool(self):
        """The batch process pool, created on first use and kept (spawning costs ~1 s)."""
        with self._pool_lock:
            if self._pool is None:  # spawned, one BLAS thread each (ssblab._pool)
                from ssblab._pool import spawn_pool

                self._pool = spawn_pool(max(1, min(2, os.cpu_count() or 1)), warm=_warm)
            return self._pool

    def replicator(self):
        """One thread running the queued replications one after another."""
        with self._pool_lock:
            if self._replicator is None:
                from concurrent.futures import ThreadPoolExecutor

                self._replicator = ThreadPoolExecutor(1, thread_name_prefix="ssblab-replicate")
            return self._replicator

    def close(self) -> None:
        if self._replicator is not None:
            self._replicator.shutdown(wait=False, cancel_futures=True)
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        if self.workspace is not None:
            self.workspace.close()
        shutil.rmtree(self.upload_dir, ignore_errors=True)


def _warm(_: int) -> int:
    """Import the fitter in a worker (the first batch would pay it otherwise)."""
    import ssblab.impedance.suggest
    import ssblab.payloads.eis  # noqa: F401

    return os.getpid()
