"""The throwaway PostgreSQL server of the test suite (ssblab.testing.postgres) is a real one.

Start it, talk to it through SQLAlchemy + psycopg 3, and check it is gone — process and
directory — after the context exits, also when the process that started it is SIGKILLed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ssblab.testing import postgres
from ssblab.testing.postgres import PostgresServer, PostgresUnavailable

sa = pytest.importorskip("sqlalchemy", reason="SQLAlchemy is not installed")
pytest.importorskip("psycopg", reason="psycopg 3 is not installed")


def _start_or_skip(server: PostgresServer) -> PostgresServer:
    try:
        return server.start()
    except PostgresUnavailable as error:
        pytest.skip(f"PostgreSQL unavailable: {error}")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def _uid(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Uid:"):
            return int(line.split()[1])
    raise AssertionError(f"no Uid line for process {pid}")


def test_server_round_trip_and_clean_exit():
    server = _start_or_skip(PostgresServer(database="roundtrip"))
    with server:
        pid, root = server.pid, server.data_dir.parent
        assert pid is not None and _alive(pid)
        assert server.url.startswith("postgresql+psycopg://postgres@/roundtrip?host=")
        # never as root: initdb and postgres refuse it, so root hands the cluster to a user
        assert _uid(pid) != 0
        assert (_uid(pid) == os.geteuid()) == (os.geteuid() != 0)
        engine = sa.create_engine(server.url)
        try:
            with engine.begin() as connection:
                connection.execute(sa.text("CREATE TABLE cell (id serial PRIMARY KEY, name text)"))
                connection.execute(
                    sa.text("INSERT INTO cell (name) VALUES (:a), (:b)"),
                    {"a": "LLZO-1", "b": "LLZO-2"},
                )
            with engine.connect() as connection:
                rows = connection.execute(sa.text("SELECT id, name FROM cell ORDER BY id")).all()
                version = connection.execute(sa.text("SHOW server_version_num")).scalar_one()
                listen = connection.execute(sa.text("SHOW listen_addresses")).scalar_one()
        finally:
            engine.dispose()
        assert [tuple(r) for r in rows] == [(1, "LLZO-1"), (2, "LLZO-2")]
        assert int(version) >= 100000
        assert listen == ""  # unix socket only, no TCP port
    assert not _alive(pid)
    assert not root.exists()
    assert not server.running()


def test_created_databases_are_separate(postgres_server: PostgresServer):
    first = postgres_server.create_database()
    second = postgres_server.create_database()
    assert first != second
    engines = [sa.create_engine(url) for url in (first, second)]
    try:
        with engines[0].begin() as connection:
            connection.execute(sa.text("CREATE TABLE only_here (x int)"))
        with engines[1].connect() as connection:
            tables = connection.execute(
                sa.text("SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'")
            ).scalar_one()
        assert tables == 0
    finally:
        for engine in engines:
            engine.dispose()
    for url in (first, second):
        postgres_server.drop_database(url.split("?")[0].rsplit("/", 1)[1])
    with pytest.raises(sa.exc.OperationalError):
        sa.create_engine(first).connect().close()


def test_database_url_fixture_gives_an_empty_database(database_url: str | None):
    if database_url is None:
        return  # the SQLite case: the workspace makes its own file
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            tables = connection.execute(
                sa.text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            ).scalar_one()
    finally:
        engine.dispose()
    assert tables == 0


def test_server_stops_when_its_parent_is_killed(tmp_path: Path):
    script = (
        "import sys, time\n"
        "from ssblab.testing.postgres import PostgresServer, PostgresUnavailable\n"
        "try:\n"
        "    s = PostgresServer().start()\n"
        "except PostgresUnavailable as e:\n"
        "    print('unavailable', e, flush=True); sys.exit(0)\n"
        "print(s.pid, s.data_dir.parent, flush=True)\n"
        "time.sleep(120)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline().split()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    if not line or line[0] == "unavailable":
        pytest.skip(f"PostgreSQL unavailable: {' '.join(line[1:])}")
    pid, root = int(line[0]), Path(line[1])
    try:
        deadline = time.monotonic() + 30
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(pid), "the postmaster outlived the process that started it"
    finally:
        subprocess.run(["rm", "-rf", str(root)], check=False)


def test_missing_binaries_give_a_one_line_reason(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(postgres, "DEBIAN_GLOB", str(tmp_path / "postgresql" / "*" / "bin"))
    with pytest.raises(PostgresUnavailable, match="no PostgreSQL binaries") as caught:
        PostgresServer().start()
    assert "\n" not in str(caught.value)


def test_a_broken_bindir_is_reported_not_hung(tmp_path: Path):
    with pytest.raises(PostgresUnavailable, match="initdb failed") as caught:
        PostgresServer(bindir=tmp_path, timeout=5).start()
    assert "\n" not in str(caught.value)
