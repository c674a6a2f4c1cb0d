"""Alembic environment: migrations run on the connection :mod:`ssblab.workspace.store` passes
in ``config.attributes["connection"]`` (SQLite or PostgreSQL), never from an ini file."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the store always passes its connection
    raise RuntimeError("ssblab workspace migrations run through ssblab.workspace.store")

context.configure(
    connection=connection,
    target_metadata=None,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
