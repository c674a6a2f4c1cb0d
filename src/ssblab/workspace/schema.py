"""The catalogue's tables (SQLAlchemy 2 ORM), the same on SQLite and PostgreSQL.

======================  ===================================================================
table                   one row per …
======================  ===================================================================
``material``            formula, with the composition verdict (family, neutrality, notes)
``sample``              pellet/film: name (UNIQUE), material, geometry (thickness, area,
                        diameter), relative density, processing (sintering, coating, ALD
                        cycles, anneal), dopant
``cell``                assembly: name (UNIQUE), kind (blocking/symmetric/full), electrodes,
                        area, stack pressure, temperature, sample
``measurement``         raw file: SHA-256 (UNIQUE), size, path, detected format, kind
                        (eis/cycling), reader version, reader notes, instrument metadata,
                        status (ok/failed) and error line, array file and its SHA-256,
                        sample/cell, temperature
``analysis``            result: kind, subject, inputs' hash, options, results, warnings,
                        status (ok/failed) and error line, ssblab version, time;
                        UNIQUE(kind, inputs_hash, version)
``analysis_input``      which measurements an analysis read (many-to-many)
======================  ===================================================================

The migrations in :mod:`ssblab.workspace.migrations` create exactly these tables; the ORM
classes here are how the rest of the package reads and writes them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

#: The Alembic head revision this code reads and writes.
SCHEMA_VERSION = "0002"
MEASUREMENT_KINDS = ("eis", "cycling")
CELL_KINDS = ("blocking", "symmetric", "full")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}  # noqa: RUF012


class Material(Base):
    __tablename__ = "material"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    formula: Mapped[str] = mapped_column(String(200), unique=True)
    family: Mapped[str | None] = mapped_column(String(40))
    neutral: Mapped[bool | None]
    composition: Mapped[dict[str, Any] | None]  # CompositionReport.to_dict() or {"error": …}


class Sample(Base):
    __tablename__ = "sample"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    material_id: Mapped[int | None] = mapped_column(ForeignKey("material.id"))
    thickness_m: Mapped[float | None] = mapped_column(Float)
    area_m2: Mapped[float | None] = mapped_column(Float)
    diameter_m: Mapped[float | None] = mapped_column(Float)
    relative_density: Mapped[float | None] = mapped_column(Float)
    sintering: Mapped[str | None] = mapped_column(Text)
    coating: Mapped[str | None] = mapped_column(Text)
    ald_cycles: Mapped[int | None] = mapped_column(Integer)  # revision 0002
    anneal: Mapped[str | None] = mapped_column(Text)  # revision 0002
    dopant: Mapped[str | None] = mapped_column(String(20))  # revision 0002
    extra: Mapped[dict[str, Any] | None]  # other samples.csv columns, as written

    material: Mapped[Material | None] = relationship()


class Cell(Base):
    __tablename__ = "cell"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str | None] = mapped_column(String(20))
    electrodes: Mapped[str | None] = mapped_column(Text)
    area_m2: Mapped[float | None] = mapped_column(Float)
    stack_pressure_Pa: Mapped[float | None] = mapped_column(Float)
    temperature_K: Mapped[float | None] = mapped_column(Float)
    active_mass_g: Mapped[float | None] = mapped_column(Float)
    sample_id: Mapped[int | None] = mapped_column(ForeignKey("sample.id"))

    sample: Mapped[Sample | None] = relationship()


class Measurement(Base):
    __tablename__ = "measurement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    path: Mapped[str] = mapped_column(Text)
    format: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[str | None] = mapped_column(String(20))
    reader_version: Mapped[str] = mapped_column(String(40))
    notes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    instrument_metadata: Mapped[dict[str, Any] | None]
    status: Mapped[str] = mapped_column(String(10))  # "ok" or "failed"
    error: Mapped[str | None] = mapped_column(Text)
    array_path: Mapped[str | None] = mapped_column(Text)  # relative to the workspace
    array_sha256: Mapped[str | None] = mapped_column(String(64))
    sample_id: Mapped[int | None] = mapped_column(ForeignKey("sample.id"), index=True)
    cell_id: Mapped[int | None] = mapped_column(ForeignKey("cell.id"))
    temperature_K: Mapped[float | None] = mapped_column(Float)  # revision 0002
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    sample: Mapped[Sample | None] = relationship()
    cell: Mapped[Cell | None] = relationship()


class AnalysisInput(Base):
    __tablename__ = "analysis_input"

    analysis_id: Mapped[int] = mapped_column(
        ForeignKey("analysis.id", ondelete="CASCADE"), primary_key=True
    )
    measurement_id: Mapped[int] = mapped_column(ForeignKey("measurement.id"), primary_key=True)


class Analysis(Base):
    __tablename__ = "analysis"
    __table_args__ = (UniqueConstraint("kind", "inputs_hash", "version", name="uq_analysis"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(300), index=True)
    inputs_hash: Mapped[str] = mapped_column(String(64))
    options: Mapped[dict[str, Any]]
    results: Mapped[dict[str, Any] | None]
    warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10))  # "ok" or "failed"
    error: Mapped[str | None] = mapped_column(Text)
    version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    inputs: Mapped[list[Measurement]] = relationship(secondary="analysis_input", viewonly=True)
