"""Alembic environment of the workspace catalogue (run by :mod:`ssblab.workspace.store`)."""
