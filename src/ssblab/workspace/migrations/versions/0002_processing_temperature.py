"""Sample processing (ALD cycles, anneal, dopant) and the measurement temperature, so
treatment series (ALD-cycle, anneal) and temperature series can be queried; an index on the
measurement's sample.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sample") as batch:
        batch.add_column(sa.Column("ald_cycles", sa.Integer))
        batch.add_column(sa.Column("anneal", sa.Text))
        batch.add_column(sa.Column("dopant", sa.String(20)))
    with op.batch_alter_table("measurement") as batch:
        batch.add_column(sa.Column("temperature_K", sa.Float))
    op.create_index("ix_measurement_sample_id", "measurement", ["sample_id"])


def downgrade() -> None:
    op.drop_index("ix_measurement_sample_id", "measurement")
    with op.batch_alter_table("measurement") as batch:
        batch.drop_column("temperature_K")
    with op.batch_alter_table("sample") as batch:
        for column in ("dopant", "anneal", "ald_cycles"):
            batch.drop_column(column)
