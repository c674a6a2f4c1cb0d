"""The first catalogue: material, sample (geometry, density, sintering, coating), cell,
measurement, analysis and analysis_input.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "material",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("formula", sa.String(200), nullable=False, unique=True),
        sa.Column("family", sa.String(40)),
        sa.Column("neutral", sa.Boolean),
        sa.Column("composition", sa.JSON),
    )
    op.create_table(
        "sample",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("material_id", sa.Integer, sa.ForeignKey("material.id")),
        sa.Column("thickness_m", sa.Float),
        sa.Column("area_m2", sa.Float),
        sa.Column("diameter_m", sa.Float),
        sa.Column("relative_density", sa.Float),
        sa.Column("sintering", sa.Text),
        sa.Column("coating", sa.Text),
        sa.Column("extra", sa.JSON),
    )
    op.create_table(
        "cell",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("kind", sa.String(20)),
        sa.Column("electrodes", sa.Text),
        sa.Column("area_m2", sa.Float),
        sa.Column("stack_pressure_Pa", sa.Float),
        sa.Column("temperature_K", sa.Float),
        sa.Column("active_mass_g", sa.Float),
        sa.Column("sample_id", sa.Integer, sa.ForeignKey("sample.id")),
    )
    op.create_table(
        "measurement",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("format", sa.String(40)),
        sa.Column("kind", sa.String(20)),
        sa.Column("reader_version", sa.String(40), nullable=False),
        sa.Column("notes", sa.JSON, nullable=False),
        sa.Column("instrument_metadata", sa.JSON),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("array_path", sa.Text),
        sa.Column("array_sha256", sa.String(64)),
        sa.Column("sample_id", sa.Integer, sa.ForeignKey("sample.id")),
        sa.Column("cell_id", sa.Integer, sa.ForeignKey("cell.id")),
        sa.Column("ingested_at", TZ, nullable=False),
    )
    op.create_table(
        "analysis",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("inputs_hash", sa.String(64), nullable=False),
        sa.Column("options", sa.JSON, nullable=False),
        sa.Column("results", sa.JSON),
        sa.Column("warnings", sa.JSON, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("version", sa.String(40), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.UniqueConstraint("kind", "inputs_hash", "version", name="uq_analysis"),
    )
    op.create_index("ix_analysis_subject", "analysis", ["subject"])
    op.create_table(
        "analysis_input",
        sa.Column(
            "analysis_id",
            sa.Integer,
            sa.ForeignKey("analysis.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("measurement_id", sa.Integer, sa.ForeignKey("measurement.id"), primary_key=True),
    )


def downgrade() -> None:
    for table in ("analysis_input", "analysis", "measurement", "cell", "sample", "material"):
        op.drop_table(table)
