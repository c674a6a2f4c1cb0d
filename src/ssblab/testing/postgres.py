"""A throwaway PostgreSQL server for tests and benchmarks.

``PostgresServer`` finds the PostgreSQL binaries (``initdb`` on ``PATH``, else the newest
``/usr/lib/postgresql/*/bin`` — the Debian/Ubuntu layout), initialises a cluster in a fresh
temporary directory, starts ``postgres`` listening on a unix socket in that directory only (no
TCP port), waits until it accepts connections and creates a database::

    with PostgresServer() as server:
        engine = sqlalchemy.create_engine(server.url)  # postgresql+psycopg://postgres@/ssblab?host=…
        other = server.create_database()               # a second, empty database

On exit the server is stopped (``pg_ctl stop -m fast``) and the directory removed.

``initdb`` and ``postgres`` refuse to run as root. As root, the cluster is owned by and run as
the ``postgres`` system user (the Debian package creates it; else ``nobody``); otherwise as the
current user. Authentication is ``trust`` over the socket, whose directory only the server user
(and root) can enter.

The server runs with ``fsync=off`` (and no synchronous commit / full-page writes): a throwaway
cluster needs no crash safety on power loss, and tests run faster. A *client* killed with
SIGKILL still sees PostgreSQL's transactional guarantees, which is what the workspace's fault
tests check; only an OS crash could lose the cluster, and it is deleted anyway.

Anything that prevents a start raises :class:`PostgresUnavailable` with a one-line reason, so a
test suite can skip with it.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pwd
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from ssblab.errors import SsblabError

__all__ = ["PostgresServer", "PostgresUnavailable", "find_bindir"]

#: where the Debian/Ubuntu ``postgresql-NN`` packages install their binaries
DEBIAN_GLOB = "/usr/lib/postgresql/*/bin"
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_PR_SET_PDEATHSIG = 1


class PostgresUnavailable(SsblabError):
    """A PostgreSQL server cannot be started here; the message says why, on one line."""


def find_bindir() -> Path:
    """The directory holding ``initdb``, ``postgres``, ``pg_ctl`` and ``pg_isready``.

    ``PATH`` first, then the newest ``/usr/lib/postgresql/<version>/bin``.
    """
    on_path = shutil.which("initdb")
    candidates = [Path(on_path).resolve().parent] if on_path else []

    def version(path: Path) -> tuple[int, ...]:
        digits = re.findall(r"\d+", path.parent.name)
        return tuple(int(d) for d in digits) or (0,)

    candidates += sorted(Path("/").glob(DEBIAN_GLOB.lstrip("/")), key=version, reverse=True)
    for bindir in candidates:
        if all((bindir / tool).is_file() for tool in ("initdb", "postgres", "pg_ctl")):
            return bindir
    raise PostgresUnavailable(
        f"no PostgreSQL binaries (looked in PATH and {DEBIAN_GLOB}; "
        "Debian: apt-get install postgresql)"
    )


def _server_user() -> pwd.struct_passwd | None:
    """The account to run the server as: ``None`` = the current (non-root) user."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise PostgresUnavailable(
        "running as root and neither a 'postgres' nor a 'nobody' user exists (initdb refuses root)"
    )


def _world_traversable(path: Path) -> bool:
    """Whether every directory from ``/`` down to ``path`` lets other users pass through."""
    for directory in (path, *path.parents):
        with contextlib.suppress(OSError):
            if not os.stat(directory).st_mode & stat.S_IXOTH:
                return False
    return True


def _die_with_parent() -> None:
    """In the server's child process: stop fast (SIGINT) when the process that started it dies.

    Runs after the switch to the server user (a credential change clears the setting), so a
    test run killed with SIGKILL leaves no server behind. Linux only; elsewhere a no-op.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGINT, 0, 0, 0)


class PostgresServer:
    """A PostgreSQL cluster in a temporary directory, served on a unix socket only.

    ``database`` is created at start; ``url`` is its SQLAlchemy URL (psycopg 3 driver).
    ``bindir`` overrides the binary search, ``timeout`` bounds each of start-up and shut-down.
    Use as a context manager, or call :meth:`start` and :meth:`stop`.
    """

    def __init__(
        self,
        database: str = "ssblab",
        *,
        bindir: str | os.PathLike[str] | None = None,
        port: int = 5432,
        timeout: float = 60.0,
    ) -> None:
        if not _NAME.match(database):
            raise PostgresUnavailable(f"database name {database!r} is not a plain lower-case name")
        self.database = database
        self.port = port
        self.timeout = timeout
        self._bindir = Path(bindir) if bindir is not None else None
        self._root: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._account: pwd.struct_passwd | None = None

    # --- public -------------------------------------------------------------------------------

    @property
    def bindir(self) -> Path:
        if self._bindir is None:
            self._bindir = find_bindir()
        return self._bindir

    @property
    def socket_dir(self) -> Path:
        return self._require_root() / "socket"

    @property
    def data_dir(self) -> Path:
        return self._require_root() / "data"

    @property
    def log_file(self) -> Path:
        return self._require_root() / "postgres.log"

    @property
    def pid(self) -> int | None:
        """The postmaster's process id while the server runs."""
        return self._process.pid if self._process is not None else None

    @property
    def url(self) -> str:
        """SQLAlchemy URL of :attr:`database`."""
        return self.url_for(self.database)

    def url_for(self, database: str) -> str:
        """SQLAlchemy URL of another database on this server."""
        return f"postgresql+psycopg://postgres@/{database}?host={self.socket_dir}&port={self.port}"

    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> PostgresServer:
        if self._process is not None:
            return self
        bindir = self.bindir
        self._account = _server_user()
        self._root = self._make_root()
        try:
            self.socket_dir.mkdir()
            self._give_away(self.socket_dir)
            self._run(
                bindir / "initdb",
                "-D",
                str(self.data_dir),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
                what="initdb",
            )
            self._spawn_server(bindir)
            self._wait_ready(bindir)
            self.create_database(self.database)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop the server (fast shutdown: open sessions are ended) and delete its directory."""
        process, self._process = self._process, None
        try:
            if process is not None and process.poll() is None:
                with contextlib.suppress(subprocess.SubprocessError, OSError):
                    self._run(
                        self.bindir / "pg_ctl",
                        "stop",
                        "-D",
                        str(self.data_dir),
                        "-m",
                        "fast",
                        "-w",
                        "-t",
                        str(int(self.timeout)),
                        what="pg_ctl stop",
                    )
                try:
                    process.wait(timeout=self.timeout)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        finally:
            root, self._root = self._root, None
            if root is not None:
                shutil.rmtree(root, ignore_errors=True)

    def create_database(self, name: str | None = None) -> str:
        """Create an empty database (a unique ``t_…`` name by default); returns its URL."""
        name = name or f"t_{uuid.uuid4().hex[:16]}"
        if not _NAME.match(name):
            raise PostgresUnavailable(f"database name {name!r} is not a plain lower-case name")
        with self._admin() as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, ending any session still connected to it."""
        if not _NAME.match(name):
            raise PostgresUnavailable(f"database name {name!r} is not a plain lower-case name")
        with self._admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- internals ----------------------------------------------------------------------------

    def _require_root(self) -> Path:
        if self._root is None:
            raise PostgresUnavailable("the PostgreSQL server is not started")
        return self._root

    def _make_root(self) -> Path:
        parent = Path(tempfile.gettempdir())
        if self._account is not None and not _world_traversable(parent):
            parent = Path("/tmp")  # the server user must be able to reach its directory
        root = Path(tempfile.mkdtemp(prefix="ssblab-pg-", dir=parent))
        self._give_away(root)
        return root

    def _give_away(self, path: Path) -> None:
        if self._account is not None:
            os.chown(path, self._account.pw_uid, self._account.pw_gid)
        path.chmod(0o700)

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        if self._account is not None:
            env.update(HOME=self._account.pw_dir, USER=self._account.pw_name)
            env["LOGNAME"] = self._account.pw_name
        return env

    def _as_user(self) -> dict[str, object]:
        if self._account is None:
            return {}
        return {
            "user": self._account.pw_uid,
            "group": self._account.pw_gid,
            "extra_groups": [],
        }

    def _run(self, *argv: object, what: str) -> None:
        try:
            result = subprocess.run(
                [str(a) for a in argv],
                cwd=self._require_root(),
                env=self._env(),
                capture_output=True,
                timeout=self.timeout,
                check=False,
                **self._as_user(),  # type: ignore[arg-type]
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PostgresUnavailable(f"{what} failed: {error}") from None
        if result.returncode != 0:
            raise PostgresUnavailable(f"{what} failed: {_last_line(result.stderr)}")

    def _spawn_server(self, bindir: Path) -> None:
        log = self.log_file.open("ab")
        try:
            self._process = subprocess.Popen(
                [
                    str(bindir / "postgres"),
                    "-D",
                    str(self.data_dir),
                    "-k",
                    str(self.socket_dir),
                    "-p",
                    str(self.port),
                    "-c",
                    "listen_addresses=",
                    # speed only: a throwaway cluster needs no durability against an OS crash
                    "-c",
                    "fsync=off",
                    "-c",
                    "synchronous_commit=off",
                    "-c",
                    "full_page_writes=off",
                    "-c",
                    "shared_buffers=32MB",
                    "-c",
                    "max_connections=200",
                ],
                cwd=self._require_root(),
                env=self._env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # its own session: a Ctrl-C meant for the tests does not shut it down under them
                start_new_session=True,
                preexec_fn=_die_with_parent,
                **self._as_user(),  # type: ignore[arg-type]
            )
        except OSError as error:
            raise PostgresUnavailable(f"postgres failed to start: {error}") from None
        finally:
            log.close()

    def _wait_ready(self, bindir: Path) -> None:
        deadline = time.monotonic() + self.timeout
        isready = [
            str(bindir / "pg_isready"),
            "-q",
            "-h",
            str(self.socket_dir),
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            "postgres",
        ]
        while True:
            assert self._process is not None
            if self._process.poll() is not None:
                raise PostgresUnavailable(
                    f"postgres exited with code {self._process.returncode}: "
                    f"{_last_line(self.log_file.read_bytes())}"
                )
            ready = subprocess.run(isready, env=self._env(), capture_output=True, check=False)
            if ready.returncode == 0:
                return
            if time.monotonic() > deadline:
                raise PostgresUnavailable(
                    f"postgres did not accept connections within {self.timeout:g} s: "
                    f"{_last_line(self.log_file.read_bytes())}"
                )
            time.sleep(0.05)

    @contextlib.contextmanager
    def _admin(self) -> Iterator[object]:
        try:
            import psycopg
        except ImportError:
            raise PostgresUnavailable(
                "psycopg 3 is not installed (pip install 'psycopg[binary]')"
            ) from None
        with psycopg.connect(
            host=str(self.socket_dir),
            port=self.port,
            user="postgres",
            dbname="postgres",
            autocommit=True,
            connect_timeout=int(self.timeout),
        ) as connection:
            yield connection


def _last_line(output: bytes) -> str:
    lines = [line.strip() for line in output.decode(errors="replace").splitlines()]
    lines = [line for line in lines if line]
    return lines[-1] if lines else "no output"
