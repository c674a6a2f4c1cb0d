"""Fixtures of the workspace tests: a real PostgreSQL server and a per-test database URL.

``postgres_server`` starts one throwaway server per test session (per xdist worker) with
:class:`ssblab.testing.postgres.PostgresServer`, from the PostgreSQL binaries installed on the
machine, as a non-root user, on a unix socket. Where it cannot start, the tests that need it
are skipped with the one-line reason (the suite's summary in ``tests/conftest.py`` counts
skips by reason, so a run without PostgreSQL is visible).

``database_url`` runs a test once per catalogue backend: ``None`` for the default SQLite
catalogue, and for PostgreSQL the URL of a database created for that test alone (dropped
afterwards). The server is only started when a PostgreSQL case runs.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ssblab.testing.postgres import PostgresServer, PostgresUnavailable


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer()
    try:
        server.start()
    except PostgresUnavailable as error:
        pytest.skip(f"PostgreSQL unavailable: {error}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    if request.param == "sqlite":
        yield None
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.create_database()
    name = url.split("?", 1)[0].rsplit("/", 1)[1]
    try:
        yield url
    finally:
        server.drop_database(name)
