"""A workspace on disk: ``workspace.json``, the catalogue database and ``arrays/``.

``workspace.json`` holds the database URL (``null``: the embedded SQLite catalogue
``catalogue.sqlite`` beside it, so the folder can be moved), the PostgreSQL schema the
workspace's tables live in (one schema per workspace, so several workspaces can share a lab
server's database), the Alembic schema revision and the ssblab version that wrote it.

SQLite runs in WAL mode with ``synchronous=NORMAL`` (durable across a killed process),
``busy_timeout`` 60 s, foreign keys on, and every transaction opened with ``BEGIN IMMEDIATE``
so two processes writing at once queue instead of failing on a lock upgrade. PostgreSQL
migrations hold an advisory lock so two processes opening an old workspace migrate it once.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ssblab.errors import SsblabInputError
from ssblab.workspace.schema import SCHEMA_VERSION

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy.engine import Engine

    from ssblab.workspace.analyse import AnalyseReport
    from ssblab.workspace.ingest import IngestReport

WORKSPACE_FILE = "workspace.json"
CATALOGUE = "catalogue.sqlite"
DEFAULT_WORKSPACE = "ssblab-workspace"
BUSY_TIMEOUT_MS = 60_000
MIGRATION_LOCK = 0x55B1AB  # pg_advisory_xact_lock key of the schema migrations


class WorkspaceError(SsblabInputError):
    """A workspace folder or database that cannot be created or opened; names the path."""


def normalise_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3 (``postgresql+psycopg://``)."""
    url = url.strip()
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    if not (url.startswith("sqlite:") or url.startswith("postgresql+")):
        raise WorkspaceError(
            f"--database {url!r}: use a postgresql://… URL (or nothing for the embedded SQLite)"
        )
    return url


def _sqlite_events(engine: Engine) -> None:
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # transactions are begun below, explicitly
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, schema: str | None) -> Engine:
    from sqlalchemy import create_engine

    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _sqlite_events(engine)
        return engine
    connect_args = {"options": f"-csearch_path={schema}"} if schema else {}
    return create_engine(url, connect_args=connect_args, pool_pre_ping=True)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine, revision: str = "head") -> str | None:
    """Run the Alembic migrations up to ``revision``; the revision reached."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return current_revision(engine)


def _write_json(path: Path, payload: Mapping[str, Any]) -> None:
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    os.replace(temp, path)


def _create_schema(url: str, schema: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    finally:
        engine.dispose()


def init_workspace(path: Path, database_url: str | None, revision: str = "head") -> dict:
    """Create the folder, the catalogue at ``revision`` and ``workspace.json``; its content."""
    from sqlalchemy.exc import SQLAlchemyError

    from ssblab import __version__

    path = Path(path)
    if (path / WORKSPACE_FILE).exists():
        raise WorkspaceError(f"{path}: already holds a workspace ({WORKSPACE_FILE})")
    try:
        (path / "arrays").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError(f"{path}: cannot create the workspace: {exc.strerror}") from None
    url = None if database_url is None else normalise_url(database_url)
    schema = None
    if url is not None and url.startswith("postgresql"):
        schema = f"ssblab_{secrets.token_hex(4)}"
    try:
        if schema is not None:
            _create_schema(url, schema)
        engine = make_engine(url or f"sqlite:///{path / CATALOGUE}", schema)
        try:
            reached = migrate(engine, revision)
        finally:
            engine.dispose()
    except SQLAlchemyError as exc:
        message = _first_line(exc)
        raise WorkspaceError(f"--database: cannot create the catalogue: {message}") from None
    info = {
        "database_url": url,
        "schema": schema,
        "schema_version": reached,
        "ssblab_version": __version__,
    }
    _write_json(path / WORKSPACE_FILE, info)
    return info


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return " ".join(text.splitlines()[0].split()) if text else type(exc).__name__


def read_info(path: Path) -> dict:
    file = Path(path) / WORKSPACE_FILE
    try:
        info = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise WorkspaceError(
            f"{path}: not an ssblab workspace (no {WORKSPACE_FILE}; run ssblab workspace init)"
        ) from None
    except (OSError, ValueError) as exc:
        raise WorkspaceError(f"{file}: cannot read: {exc}") from None
    if not isinstance(info, dict) or "schema_version" not in info:
        raise WorkspaceError(f"{file}: not a workspace description (no schema_version)")
    return info


class Workspace:
    """A lab workspace: samples, cells, measurements and analyses (module docstring)."""

    def __init__(self, path: Path, info: dict) -> None:
        from sqlalchemy.orm import sessionmaker

        self.path = Path(path)
        self.info = info
        self.url = info.get("database_url") or f"sqlite:///{self.path / CATALOGUE}"
        self.engine = make_engine(self.url, info.get("schema"))
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    # ------------------------------------------------------------------ life cycle
    @classmethod
    def init(cls, path: str | Path, database_url: str | None = None) -> Workspace:
        info = init_workspace(Path(path), database_url)
        return cls(Path(path), info)

    @classmethod
    def open(cls, path: str | Path = DEFAULT_WORKSPACE) -> Workspace:
        from sqlalchemy.exc import SQLAlchemyError

        path = Path(path)
        info = read_info(path)
        workspace = cls(path, info)
        try:
            if current_revision(workspace.engine) != SCHEMA_VERSION:
                info["schema_version"] = migrate(workspace.engine)
                _write_json(path / WORKSPACE_FILE, info)
        except SQLAlchemyError as exc:
            workspace.close()
            raise WorkspaceError(f"{path}: cannot open the catalogue: {_first_line(exc)}") from None
        return workspace

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    # ------------------------------------------------------------------ operations
    def ingest(
        self,
        folder: str | Path,
        samples_csv: str | Path | None = None,
        progress: Callable[[int, int], None] | None = None,
        workers: int | None = None,
    ) -> IngestReport:
        from ssblab.workspace.ingest import ingest_folder

        return ingest_folder(self, Path(folder), samples_csv, progress, workers)

    def analyse(
        self,
        kinds=None,
        where: str | None = None,
        executor: str = "processes",
        workers: int | None = None,
        scheduler: str | None = None,
        progress: Callable[[int, int], None] | None = None,
        options: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> AnalyseReport:
        from ssblab.workspace.analyse import analyse_workspace

        return analyse_workspace(
            self, kinds, where, executor, workers, scheduler, progress, options or {}
        )

    def query(self, what: str) -> pd.DataFrame:
        from ssblab.workspace.query import query

        return query(self, what)

    def export_bdf(self, out_dir: str | Path, fmt: str = "csv") -> list[Path]:
        from ssblab.workspace.bdf import export_bdf

        return export_bdf(self, Path(out_dir), fmt)

    # ------------------------------------------------------------------ health
    def counts(self) -> dict[str, int]:
        """Rows per table; ``measurements`` counts every stored file, failed ones included."""
        from sqlalchemy import func, select

        from ssblab.workspace.schema import Analysis, Cell, Measurement, Sample

        with self.sessions() as session:

            def count(*criteria, model=Measurement) -> int:
                return int(session.scalar(select(func.count()).select_from(model).where(*criteria)))

            return {
                "measurements": count(),
                "failed_measurements": count(Measurement.status == "failed"),
                "analyses": count(model=Analysis),
                "samples": count(model=Sample),
                "cells": count(model=Cell),
            }

    def check_integrity(self) -> list[str]:
        """Problems found, one line each ([] when healthy): SQLite's ``PRAGMA
        integrity_check``; duplicate SHA-256s or analyses; analysis inputs pointing at missing
        measurements; stored array files missing or not matching their recorded hash."""
        from sqlalchemy import func, select, text

        from ssblab.workspace.arrays import file_sha256
        from ssblab.workspace.schema import Analysis, AnalysisInput, Measurement

        problems: list[str] = []
        with self.sessions() as session:
            if self.backend == "sqlite":
                verdicts = [row[0] for row in session.execute(text("PRAGMA integrity_check"))]
                if verdicts != ["ok"]:
                    problems.extend(f"sqlite integrity_check: {v}" for v in verdicts)
            dup = select(Measurement.sha256, func.count()).group_by(Measurement.sha256)
            for sha, n in session.execute(dup.having(func.count() > 1)):
                problems.append(f"measurement sha256 {sha} stored {n} times")
            key = (Analysis.kind, Analysis.inputs_hash, Analysis.version)
            dup_analyses = select(*key, func.count()).group_by(*key).having(func.count() > 1)
            for kind, inputs, version, n in session.execute(dup_analyses):
                problems.append(f"analysis {kind} {inputs[:12]} {version} stored {n} times")
            orphans = (
                select(AnalysisInput.analysis_id, AnalysisInput.measurement_id)
                .outerjoin(Measurement, Measurement.id == AnalysisInput.measurement_id)
                .where(Measurement.id.is_(None))
            )
            for analysis_id, measurement_id in session.execute(orphans):
                problems.append(
                    f"analysis {analysis_id} points at missing measurement {measurement_id}"
                )
            without = (
                select(Analysis.id)
                .outerjoin(AnalysisInput, AnalysisInput.analysis_id == Analysis.id)
                .where(AnalysisInput.analysis_id.is_(None))
            )
            for (analysis_id,) in session.execute(without):
                problems.append(f"analysis {analysis_id} has no input measurement")
            stored = select(Measurement.id, Measurement.array_path, Measurement.array_sha256)
            for mid, relative, sha in session.execute(stored.where(Measurement.status == "ok")):
                file = self.path / (relative or "")
                if not relative or not file.is_file():
                    problems.append(f"measurement {mid}: array file {relative} is missing")
                elif file_sha256(file) != sha:
                    problems.append(f"measurement {mid}: array file {relative} does not match")
        return problems
