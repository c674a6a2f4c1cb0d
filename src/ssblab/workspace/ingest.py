"""``ws.ingest(folder)``: every file under a folder becomes one measurement, once.

Each file is hashed (SHA-256 of its bytes; the raw file is only read, never modified). A
hash already in the catalogue is a duplicate and is not read again (a ``--samples`` row that
matches it links it to its sample when it has none yet). Otherwise the file is read
(:mod:`ssblab.workspace.readers`), its arrays are stored (:mod:`ssblab.workspace.arrays`,
before the row that names them), and its row is committed in a transaction of its own. The
UNIQUE constraint on the hash decides between two processes ingesting the same file at once:
the loser's insert fails and counts as a duplicate. A file that cannot be read is stored as a
*failed* measurement with the reader's one-line error, and the batch goes on.

Skipped while walking: hidden files and folders (``.*``), a workspace folder (one holding
``workspace.json``), and the ``--samples`` file itself.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ssblab.errors import SsblabInputError

if TYPE_CHECKING:
    from ssblab.workspace.readers import ParsedFile
    from ssblab.workspace.samples import SampleSpec
    from ssblab.workspace.store import Workspace


@dataclass(frozen=True)
class IngestReport:
    new: int
    duplicate: int
    failed: int  # new measurements stored as failed (counted in ``new`` too)
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "new": self.new,
            "duplicate": self.duplicate,
            "failed": self.failed,
            "notes": list(self.notes),
        }


def walk(folder: Path, skip: set[Path]) -> list[Path]:
    """Regular files under ``folder``, sorted, without hidden entries or workspaces."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        if (here / "workspace.json").exists() and here != folder:
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = here / name
            if name.startswith(".") or path.resolve() in skip or name == "workspace.json":
                continue
            if path.is_file():
                found.append(path)
    return found


def _get_or_create(session_factory, model, name: str, fields: dict) -> int:
    """The id of the ``model`` row called ``name`` with ``fields`` (created or updated), each
    change in its own transaction; a concurrent creator's row is reused."""
    from sqlalchemy import select
    from sqlalchemy.exc import IntegrityError

    for _attempt in range(3):
        with session_factory() as session:
            row = session.scalar(select(model).where(model.name == name))
            if row is not None:
                changed = {k: v for k, v in fields.items() if getattr(row, k) != v}
                if changed:
                    for key, value in changed.items():
                        setattr(row, key, value)
                    session.commit()
                return row.id
            row = model(name=name, **fields)
            session.add(row)
            try:
                session.commit()
                return row.id
            except IntegrityError:
                session.rollback()
    raise RuntimeError(f"cannot create {model.__tablename__} {name!r}")  # pragma: no cover


def _material_id(session_factory, formula: str) -> int:
    from sqlalchemy import select
    from sqlalchemy.exc import IntegrityError

    from ssblab.composition import analyse
    from ssblab.workspace.schema import Material

    with session_factory() as session:
        found = session.scalar(select(Material.id).where(Material.formula == formula))
        if found is not None:
            return found
        try:
            report = analyse(formula)
            row = Material(
                formula=formula,
                family=report.family,
                neutral=report.neutral,
                composition=report.to_dict(),
            )
        except SsblabInputError as exc:
            row = Material(formula=formula, composition={"error": " ".join(str(exc).split())})
        session.add(row)
        try:
            session.commit()
            return row.id
        except IntegrityError:
            session.rollback()
            return session.scalar(select(Material.id).where(Material.formula == formula))


def link_ids(workspace: Workspace, spec: SampleSpec) -> tuple[int, int | None]:
    """(sample id, cell id or None) for a samples.csv row, created or updated."""
    from ssblab.workspace.schema import Cell, Sample

    factory = workspace.sessions
    material = None if spec.formula is None else _material_id(factory, spec.formula)
    sample_id = _get_or_create(
        factory,
        Sample,
        spec.sample,
        {
            "material_id": material,
            "thickness_m": spec.thickness_m,
            "area_m2": spec.area_m2,
            "diameter_m": spec.diameter_m,
            "relative_density": spec.relative_density,
            "sintering": spec.sintering,
            "coating": spec.coating,
            "ald_cycles": spec.ald_cycles,
            "anneal": spec.anneal,
            "dopant": spec.dopant,
            "extra": spec.extra or None,
        },
    )
    if spec.cell is None:
        return sample_id, None
    cell_id = _get_or_create(
        factory,
        Cell,
        spec.cell,
        {
            "kind": spec.cell_kind,
            "electrodes": spec.electrodes,
            "area_m2": spec.area_m2,
            "stack_pressure_Pa": spec.stack_pressure_Pa,
            "temperature_K": spec.temperature_K,
            "active_mass_g": spec.active_mass_g,
            "sample_id": sample_id,
        },
    )
    return sample_id, cell_id


def _bdf_cell(workspace: Workspace, name: str) -> int:
    from sqlalchemy import select

    from ssblab.workspace.schema import Cell

    with workspace.sessions() as session:
        found = session.scalar(select(Cell.id).where(Cell.name == name))
    return found if found is not None else _get_or_create(workspace.sessions, Cell, name, {})


def _insert(workspace: Workspace, row) -> bool:
    """Commit one measurement row; False when its hash is already there (a duplicate)."""
    from sqlalchemy.exc import IntegrityError

    with workspace.sessions() as session:
        session.add(row)
        try:
            session.commit()
            return True
        except IntegrityError:
            session.rollback()
            return False


def _link_existing(workspace: Workspace, sha: str, ids, temperature) -> None:
    from sqlalchemy import select

    from ssblab.workspace.schema import Measurement

    with workspace.sessions() as session:
        row = session.scalar(select(Measurement).where(Measurement.sha256 == sha))
        if row is None or row.sample_id is not None:
            return
        row.sample_id, row.cell_id = ids
        if temperature is not None:
            row.temperature_K = temperature
        session.commit()


def _read(data: bytes, name: str) -> ParsedFile | str:
    """The parsed file, or the one-line error that stops it being read."""
    from ssblab.workspace.readers import UnreadableFile, one_line, read_measurement

    try:
        return read_measurement(data, name)
    except UnreadableFile as exc:
        return exc
    except Exception as exc:  # a reader's internal error must not stop the batch
        return UnreadableFile(f"{name}: reader error: {type(exc).__name__}: {one_line(exc)}")


@dataclass(frozen=True)
class Parsed:
    """What a parse worker hands back for one file: the row's fields (arrays already stored)
    or the one-line error, and the format detected either way."""

    sha256: str
    fields: dict | None
    error: str | None
    format: str | None
    bdf_cell: str | None = None


def parse_file(root: str, path: str, sha: str) -> Parsed:
    """Read ``path`` again, parse it and store its arrays under ``root`` (content-addressed,
    so a worker killed half-way leaves at most an unreferenced file). Runs in a worker
    process; the file's bytes must still hash to ``sha`` (a file changed during the ingest
    is stored as failed, saying so)."""
    from ssblab.workspace.arrays import write_frame
    from ssblab.workspace.readers import ParsedFile, one_line

    name = os.path.basename(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return Parsed(sha, None, f"{name}: cannot read: {exc.strerror or one_line(exc)}", None)
    if hashlib.sha256(data).hexdigest() != sha:
        return Parsed(sha, None, f"{name}: file changed while being ingested", None)
    parsed = _read(data, name)
    if not isinstance(parsed, ParsedFile):
        return Parsed(sha, None, one_line(parsed), parsed.format)
    array_path, array_sha = write_frame(Path(root), sha, parsed.frame)
    fields = {
        "array_path": array_path,
        "array_sha256": array_sha,
        "kind": parsed.kind,
        "format": parsed.format,
        "status": "ok",
        "notes": list(parsed.notes),
        "instrument_metadata": parsed.metadata,
        "temperature_K": parsed.temperature_K,
    }
    return Parsed(sha, fields, None, parsed.format, parsed.cell_id)


#: below this many new files a process pool's start-up (~1 s of imports per worker) costs
#: more than it saves
PARALLEL_FROM = 64


def _parse_all(root: Path, todo: list[tuple[str, str]], workers: int) -> Iterator[Parsed]:
    """Parse ``todo`` ((path, sha) pairs) in order: in this process, or on a spawned pool of
    ``workers`` processes (results still in order, so measurement ids follow file order)."""
    if workers <= 1 or len(todo) < PARALLEL_FROM:
        for path, sha in todo:
            yield parse_file(str(root), path, sha)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(32, len(todo) // (8 * workers)))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield from pool.map(
            parse_file,
            [str(root)] * len(todo),
            [p for p, _ in todo],
            [s for _, s in todo],
            chunksize=chunk,
        )


def _known(workspace: Workspace, hashes: list[str]) -> set[str]:
    from sqlalchemy import select

    from ssblab.workspace.schema import Measurement

    found: set[str] = set()
    with workspace.sessions() as session:
        for start in range(0, len(hashes), 500):
            part = hashes[start : start + 500]
            found.update(session.scalars(select(Measurement.sha256).where(
                Measurement.sha256.in_(part))))  # fmt: skip
    return found


def ingest_folder(
    workspace: Workspace,
    folder: Path,
    samples_csv: str | Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> IngestReport:
    """Ingest ``folder``: files are hashed here, the new ones parsed (and their arrays stored)
    on ``workers`` processes (default: one per core; 1 parses here), and every row is
    committed here, one transaction per file, in file order."""
    from ssblab import __version__
    from ssblab.workspace.readers import one_line
    from ssblab.workspace.samples import match, read_samples
    from ssblab.workspace.schema import Measurement

    folder = Path(folder)
    if not folder.is_dir():
        raise SsblabInputError(f"{folder}: no such folder to ingest")
    if workers is not None and workers < 1:
        raise SsblabInputError(f"--workers {workers}: at least 1")
    specs = [] if samples_csv is None else read_samples(Path(samples_csv))
    skip = {workspace.path.resolve()}
    if samples_csv is not None:
        skip.add(Path(samples_csv).resolve())
    files = walk(folder, skip)
    notes: list[str] = []
    hashed: list[tuple[Path, str]] = []  # readable files with their SHA-256, in walk order
    for path in files:
        try:
            with open(path, "rb") as handle:
                sha = hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError as exc:
            relative = path.relative_to(folder).as_posix()
            notes.append(f"{relative}: cannot read: {exc.strerror or one_line(exc)}")
            continue
        hashed.append((path, sha))
    known = _known(workspace, sorted({sha for _, sha in hashed}))
    first: dict[str, Path] = {}
    for path, sha in hashed:
        if sha not in known:
            first.setdefault(sha, path)
    todo = [(str(path), sha) for sha, path in first.items()]
    parsed = _parse_all(workspace.path, todo, workers or os.cpu_count() or 1)
    links: dict[int, tuple[int, int | None]] = {}
    used: set[int] = set()
    new = duplicate = failed = 0
    done = len(files) - len(hashed)
    for path, sha in hashed:
        relative = path.relative_to(folder).as_posix()
        spec = match(specs, relative)
        ids = (None, None)
        if spec is not None:
            used.add(spec.line)
            if spec.line not in links:
                links[spec.line] = link_ids(workspace, spec)
            ids = links[spec.line]
        temperature = None if spec is None else spec.temperature_K
        if first.get(sha) != path:  # in the catalogue already, or a copy earlier in this walk
            duplicate += 1
            if spec is not None:
                _link_existing(workspace, sha, ids, temperature)
        else:
            result = next(parsed)
            row = Measurement(
                sha256=sha,
                size_bytes=path.stat().st_size,
                path=str(path.resolve()),
                reader_version=__version__,
                sample_id=ids[0],
                cell_id=ids[1],
                notes=[],
            )
            if result.fields is not None:
                for key, value in result.fields.items():
                    setattr(row, key, value)
                if temperature is not None:
                    row.temperature_K = temperature
                if result.bdf_cell and row.cell_id is None:
                    row.cell_id = _bdf_cell(workspace, result.bdf_cell)
            else:
                row.status, row.error, row.format = "failed", result.error, result.format
            if _insert(workspace, row):
                new += 1
                failed += row.status == "failed"
            else:
                duplicate += 1
        done += 1
        if progress:
            progress(done, len(files))
    parsed.close()
    notes.extend(
        f"{samples_csv}, line {spec.line}: pattern {spec.pattern!r} matched no file"
        for spec in specs
        if spec.line not in used
    )
    return IngestReport(new=new, duplicate=duplicate, failed=failed, notes=tuple(notes))
