"""Kill -9 the workspace's ingest and analyse at random moments; nothing is lost or duplicated.

A folder of synthetic files (:mod:`workspace_data`: EIS and cycling, ~1 % damaged, a few
byte-identical copies) is first ingested and analysed once without interruption: the
*reference*. Then, round after round on a fresh workspace, ``ssblab ingest`` and
``ssblab analyse`` run as subprocesses (each in its own process group) and are SIGKILLed — the
whole group, pool and Dask workers included — at a random point of its progress: once the
phase's table (measurements, analyses) holds a number of rows drawn uniformly from 0 to the
reference's count minus one, plus a random fraction of one row's time. The command is rerun to
completion each time. After
every kill the half-done catalogue must already be consistent, and at the end of every round:

* measurements: the multiset of SHA-256s equals the reference's set — 0 lost, 0 duplicated,
  as many as the folder's distinct files, the damaged ones stored as failed;
* analyses: each exactly once — by the UNIQUE (kind, inputs hash, version) and by (kind,
  version, input files' SHA-256s) — and the same set as the reference (compared by the
  latter: an inputs hash may hold row ids, see :class:`Snapshot`), with the same status;
* ``Workspace.check_integrity() == []``;
* SQLite: ``PRAGMA integrity_check`` = ok and ``PRAGMA foreign_key_check`` empty; PostgreSQL
  (``--database postgresql``, a throwaway server from :mod:`ssblab.testing.postgres`):
  ``amcheck``'s ``bt_index_check(…, heapallindexed)`` on every index of the workspace schema;
* no process of the killed group survives.

Measured after 50d9921 (work units, parallel parse; 100 files, so ingest parses on its pool;
every analysis kind, 2-worker pool; ``--kills 100 --n 100``): SQLite 100 kills (50 ingest, 50
analyse; 48 + 50 with rows half written) and PostgreSQL 100 kills (47 + 50 half written): 0
measurements or analyses lost or duplicated, 0 unexpected, 0 status changes, integrity_check /
amcheck clean, no surviving process; 33 min each, both at once beside other work. Before
(60 files, one transaction per analysis): the same zeros, 94 and 92 half written.

``python benchmarks/workspace_faults.py --kills 100`` (default: 100 kills, 60 files, SQLite)
prints the counts; ``tests/workspace/test_faults.py`` runs a few kills on a small folder.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workspace_data import Manifest, generate

from ssblab.errors import SsblabError

PHASES = ("ingest", "analyse")
TABLES = {"ingest": "measurement", "analyse": "analysis"}  # the rows each phase writes


class FaultCheckError(SsblabError):
    """A command of the fault run failed outright (not a kill); the message says which."""


@dataclass
class Snapshot:
    """What a workspace's catalogue holds, keyed by content, not by row ids.

    An analysis is compared across workspaces by (kind, version, the SHA-256s of its input
    measurements): its stored ``inputs_hash`` may hold row ids (the Arrhenius fit's points
    name their measurements by id, and PostgreSQL sequences skip the ids of killed inserts)
    and last-bit float values of earlier results, so it identifies an analysis within one
    workspace only. Within a workspace both must be unique.
    """

    measurements: Counter  # (sha256, status) → rows
    analyses: Counter  # (kind, version, input sha256s, status) → rows
    identities: Counter  # (kind, inputs_hash, version) → rows: the UNIQUE key
    counts: dict[str, int]
    problems: list[str]
    subjects: dict = field(default_factory=dict)  # (kind, version, input sha256s) → subject

    def describe(self, key: tuple) -> str:
        kind, _version, shas = key[:3]
        inputs = ", ".join(sha[:8] for sha in shas[:3]) + (" …" if len(shas) > 3 else "")
        return f"{kind} of {self.subjects.get(key[:3], '?')} (inputs {inputs})"

    @property
    def measurement_keys(self) -> set:
        return set(self.measurements)

    @property
    def analysis_keys(self) -> set:
        return set(self.analyses)

    def duplicated_measurements(self) -> int:
        by_sha = Counter()
        for (sha, _status), n in self.measurements.items():
            by_sha[sha] += n
        return sum(n - 1 for n in by_sha.values() if n > 1)

    def duplicated_analyses(self) -> int:
        by_content = Counter()
        for (kind, version, shas, _status), n in self.analyses.items():
            by_content[kind, version, shas] += n
        twice = sum(n - 1 for n in by_content.values() if n > 1)
        return max(twice, sum(n - 1 for n in self.identities.values() if n > 1))


@dataclass
class FaultReport:
    backend: str
    files: int
    distinct: int
    damaged: int
    reference_analyses: int
    reference_seconds: dict[str, float]
    rerun_seconds: dict[str, float]
    kills: Counter = field(default_factory=Counter)  # phase → SIGKILLs delivered
    finished_first: Counter = field(default_factory=Counter)  # phase → ran out before the kill
    mid_work: Counter = field(default_factory=Counter)  # phase → killed with work half done
    rounds: int = 0
    lost_measurements: int = 0
    duplicated_measurements: int = 0
    lost_analyses: int = 0
    duplicated_analyses: int = 0
    unexpected_analyses: int = 0
    status_changes: int = 0
    problems: list[str] = field(default_factory=list)
    survivors: int = 0
    seconds: float = 0.0
    differences: list[str] = field(default_factory=list)  # which analyses differ, one line each
    kill_log: list[tuple[str, int, int, int]] = field(default_factory=list)  # phase, aimed
    # at this many rows, rows found after the kill, rows of the reference

    @property
    def ok(self) -> bool:
        return not (
            self.lost_measurements
            or self.duplicated_measurements
            or self.lost_analyses
            or self.duplicated_analyses
            or self.unexpected_analyses
            or self.status_changes
            or self.problems
            or self.survivors
        )

    def to_dict(self) -> dict:
        return {
            "backend": self.backend,
            "files": self.files,
            "distinct_files": self.distinct,
            "damaged_files": self.damaged,
            "reference_analyses": self.reference_analyses,
            "reference_seconds": self.reference_seconds,
            "rerun_seconds": self.rerun_seconds,
            "rounds": self.rounds,
            "kills": dict(self.kills),
            "kills_mid_work": dict(self.mid_work),
            "finished_before_kill": dict(self.finished_first),
            "lost_measurements": self.lost_measurements,
            "duplicated_measurements": self.duplicated_measurements,
            "lost_analyses": self.lost_analyses,
            "duplicated_analyses": self.duplicated_analyses,
            "unexpected_analyses": self.unexpected_analyses,
            "status_changes": self.status_changes,
            "integrity_problems": self.problems,
            "analysis_differences": self.differences,
            "surviving_processes": self.survivors,
            "ok": self.ok,
            "seconds": round(self.seconds, 1),
            "kill_log": [list(entry) for entry in self.kill_log],
        }


# ---------------------------------------------------------------------- commands


def ssblab(*args: str) -> list[str]:
    """argv of the ssblab command line, with this interpreter."""
    return [sys.executable, "-m", "ssblab.cli", *args]


def phase_argv(
    phase: str,
    workspace: Path,
    manifest: Manifest,
    *,
    executor: str | None = None,
    workers: int | None = None,
    kinds: tuple[str, ...] = (),
) -> list[str]:
    if phase == "ingest":
        argv = ssblab("ingest", str(manifest.folder), "--workspace", str(workspace))
        if manifest.samples_csv is not None:
            argv += ["--samples", str(manifest.samples_csv)]
        return argv
    argv = ssblab("analyse", "--workspace", str(workspace))
    for kind in kinds:
        argv += ["--kind", kind]
    if executor:
        argv += ["--executor", executor]
    if workers:
        argv += ["--workers", str(workers)]
    return argv


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("PYTHONWARNINGS", "ignore")
    return env


def run_to_completion(argv: list[str], timeout: float) -> float:
    """Run a command; its wall time. A non-zero exit is a :class:`FaultCheckError`."""
    start = time.perf_counter()
    try:
        result = subprocess.run(
            argv, capture_output=True, text=True, timeout=timeout, env=_env(), check=False
        )
    except subprocess.TimeoutExpired:
        raise FaultCheckError(f"{' '.join(argv[2:5])}: no result within {timeout:g} s") from None
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        last = lines[-1].strip() if lines else "no output"
        raise FaultCheckError(f"{' '.join(argv[2:4])}: exit {result.returncode}: {last}")
    return time.perf_counter() - start


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # members may be zombies waiting for init to reap them: look at their states
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def run_and_kill(
    argv: list[str], when: Callable[[], bool], then_s: float, timeout: float
) -> tuple[bool, bool]:
    """Start a command in its own process group; once ``when()`` holds (polled every 10 ms),
    wait ``then_s`` more and SIGKILL the whole group.

    Returns (killed, survivors): killed is False when the command finished first, survivors
    True when a process of the group outlived the kill by 10 s.
    """
    process = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env=_env(),
    )
    deadline = time.monotonic() + timeout
    try:
        while not when() and process.poll() is None:
            if time.monotonic() > deadline:
                raise FaultCheckError(f"{' '.join(argv[2:4])}: no kill point in {timeout:g} s")
            time.sleep(0.01)
        process.wait(timeout=then_s)
    except subprocess.TimeoutExpired:
        pass
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise
    if process.returncode is not None:
        if process.returncode != 0:
            raise FaultCheckError(f"{' '.join(argv[2:4])}: exit {process.returncode} unkilled")
        return False, False
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while _group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return True, _group_alive(process.pid)


class RowCounter:
    """Counts a catalogue table's rows while another process writes it, without taking a
    lock: SQLite through a read-only connection (WAL readers never block the writer),
    PostgreSQL through an autocommit ``SELECT count(*)``."""

    def __init__(self, workspace: Path) -> None:
        from ssblab.workspace.store import CATALOGUE, make_engine, read_info

        info = read_info(workspace)
        self._engine = None
        self._sqlite = None
        if info.get("database_url"):
            self._engine = make_engine(info["database_url"], info.get("schema"))
        else:
            uri = f"file:{workspace / CATALOGUE}?mode=ro"
            self._sqlite = sqlite3.connect(uri, uri=True, timeout=1, isolation_level=None)

    def __call__(self, table: str) -> int:
        query = f"SELECT count(*) FROM {table}"
        if self._sqlite is not None:
            try:
                return int(self._sqlite.execute(query).fetchone()[0])
            except sqlite3.OperationalError:  # a moment of lock contention: no progress seen
                return 0
        from sqlalchemy import text

        with self._engine.connect() as connection:
            return int(connection.execute(text(query)).scalar_one())

    def close(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
        if self._engine is not None:
            self._engine.dispose()


# ---------------------------------------------------------------------- checks


def snapshot(workspace: Path) -> Snapshot:
    from sqlalchemy import text

    from ssblab.workspace import Workspace

    with Workspace.open(workspace) as ws:
        # one short transaction for the rows (the SQLite catalogue opens every transaction
        # with BEGIN IMMEDIATE, so it must end before check_integrity opens its own)
        with ws.engine.connect() as connection:
            measurements = Counter(
                tuple(row)
                for row in connection.execute(text("SELECT sha256, status FROM measurement"))
            )
            rows = connection.execute(
                text("SELECT id, kind, inputs_hash, version, status, subject FROM analysis")
            ).all()
            inputs = connection.execute(
                text(
                    "SELECT ai.analysis_id, m.sha256 FROM analysis_input ai "
                    "JOIN measurement m ON m.id = ai.measurement_id"
                )
            ).all()
        shas: dict[int, list[str]] = {}
        for analysis_id, sha in inputs:
            shas.setdefault(analysis_id, []).append(sha)
        analyses: Counter = Counter()
        subjects = {}
        for analysis_id, kind, _inputs_hash, version, status, subject in rows:
            content = (kind, version, tuple(sorted(shas.get(analysis_id, []))))
            analyses[(*content, status)] += 1
            subjects[content] = subject
        identities = Counter((kind, h, version) for _, kind, h, version, _, _ in rows)
        problems = list(ws.check_integrity())
        problems += database_checks(ws)
        return Snapshot(measurements, analyses, identities, ws.counts(), problems, subjects)


def database_checks(ws) -> list[str]:
    """The database engine's own consistency checks, beside the workspace's."""
    if ws.backend == "sqlite":
        catalogue = ws.path / "catalogue.sqlite"
        connection = sqlite3.connect(catalogue)
        try:
            verdict = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            foreign = connection.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            connection.close()
        problems = [] if verdict == ["ok"] else [f"integrity_check: {v}" for v in verdict]
        return problems + [f"foreign_key_check: {row}" for row in foreign]
    if ws.backend == "postgresql":
        return postgres_amcheck(ws.engine)
    return []


def postgres_amcheck(engine) -> list[str]:
    """``bt_index_check(index, heapallindexed => true)`` on every B-tree index of the
    workspace's schema: each index (the UNIQUE ones included) matches its table's rows."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    problems = []
    with engine.begin() as connection:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck SCHEMA public"))
    with engine.begin() as connection:
        indexes = connection.execute(
            text(
                "SELECT c.oid, c.relname FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "JOIN pg_am a ON a.oid = c.relam "
                "WHERE n.nspname = current_schema() AND a.amname = 'btree'"
            )
        ).all()
    if not indexes:
        problems.append("amcheck: no B-tree index found in the workspace schema")
    for oid, name in indexes:
        try:
            with engine.begin() as connection:
                connection.execute(
                    text("SELECT public.bt_index_check(CAST(:oid AS oid), true)"), {"oid": oid}
                )
        except DBAPIError as error:
            problems.append(f"amcheck {name}: {str(error.orig).splitlines()[0]}")
    return problems


def compare(reference: Snapshot, got: Snapshot, report: FaultReport) -> None:
    ref_sha = {sha for sha, _ in reference.measurement_keys}
    got_sha = {sha for sha, _ in got.measurement_keys}
    report.lost_measurements += len(ref_sha - got_sha)
    report.duplicated_measurements += got.duplicated_measurements()
    report.status_changes += len(
        {key for key in got.measurement_keys if key[0] in ref_sha} - reference.measurement_keys
    )
    ref_an = {key[:3] for key in reference.analysis_keys}
    got_an = {key[:3] for key in got.analysis_keys}
    report.lost_analyses += len(ref_an - got_an)
    report.unexpected_analyses += len(got_an - ref_an)
    report.differences += [f"lost: {reference.describe(k)}" for k in sorted(ref_an - got_an)]
    report.differences += [f"unexpected: {got.describe(k)}" for k in sorted(got_an - ref_an)]
    report.duplicated_analyses += got.duplicated_analyses()
    report.status_changes += len(
        {key for key in got.analysis_keys if key[:3] in ref_an} - reference.analysis_keys
    )
    report.problems += got.problems


def partial_check(reference: Snapshot, got: Snapshot, report: FaultReport) -> bool:
    """Right after a kill: consistent, nothing outside the reference, nothing twice. Whether
    the kill landed mid-work (some but not all of the phase's rows written) is returned."""
    report.duplicated_measurements += got.duplicated_measurements()
    report.duplicated_analyses += got.duplicated_analyses()
    ref_sha = {sha for sha, _ in reference.measurement_keys}
    report.problems += [f"after a kill: {p}" for p in got.problems]
    report.problems += [
        f"after a kill: measurement {sha[:12]} is not one of the folder's files"
        for sha, _ in got.measurement_keys
        if sha not in ref_sha
    ]
    unexpected = {k[:3] for k in got.analysis_keys} - {k[:3] for k in reference.analysis_keys}
    report.unexpected_analyses += len(unexpected)
    report.differences += [f"after a kill, unexpected: {got.describe(k)}" for k in unexpected]
    return 0 < len(got.measurements) < len(reference.measurements) or 0 < len(got.analyses) < len(
        reference.analyses
    )


# ---------------------------------------------------------------------- driver


def _init(path: Path, database_url: str | None) -> None:
    from ssblab.workspace import Workspace

    Workspace.init(path, database_url=database_url).close()


def run_faults(
    manifest: Manifest,
    work: Path,
    *,
    kills: int,
    seed: int = 0,
    database_url: str | None = None,
    executor: str | None = None,
    workers: int | None = None,
    kinds: tuple[str, ...] = (),
    timeout: float = 1800.0,
    rerun_reference: bool = True,
    log=None,
) -> FaultReport:
    """The kill rounds of the module docstring on ``manifest``'s folder; a report.

    ``rerun_reference`` also reruns both commands on the finished reference (they must change
    nothing) and times them, so the kills' jitter excludes the fixed start-up cost.
    """
    started = time.perf_counter()
    rng = random.Random(seed)
    say = log or (lambda _message: None)
    options = {"executor": executor, "workers": workers, "kinds": tuple(kinds)}

    ref_ws = work / "reference"
    _init(ref_ws, database_url)
    seconds = {
        phase: run_to_completion(phase_argv(phase, ref_ws, manifest, **options), timeout)
        for phase in PHASES
    }
    reference = snapshot(ref_ws)
    # a rerun on the finished workspace changes nothing; its time is the command's fixed cost
    # (start-up, hashing, staleness checks), the rest is per row (it sets the kill's jitter)
    idle = dict.fromkeys(PHASES, 0.0)
    if rerun_reference:
        idle = {
            phase: run_to_completion(phase_argv(phase, ref_ws, manifest, **options), timeout)
            for phase in PHASES
        }
        rerun = snapshot(ref_ws)
    reference_rows = {"ingest": len(reference.measurements), "analyse": len(reference.analyses)}
    per_row = {
        phase: max(seconds[phase] - idle[phase], 0.05) / max(reference_rows[phase], 1)
        for phase in PHASES
    }
    report = FaultReport(
        backend="sqlite" if database_url is None else "postgresql",
        files=len(manifest.entries),
        distinct=manifest.distinct_hashes,
        damaged=manifest.damaged,
        reference_analyses=len(reference.analyses),
        reference_seconds={k: round(v, 2) for k, v in seconds.items()},
        rerun_seconds={k: round(v, 2) for k, v in idle.items()},
    )
    say(
        f"reference: {reference.counts}; "
        + ", ".join(f"{k} {seconds[k]:.1f} s (rerun {idle[k]:.1f} s)" for k in PHASES)
    )
    if rerun_reference and (rerun.measurements, rerun.analyses) != (
        reference.measurements,
        reference.analyses,
    ):
        report.problems.append("reference: a rerun on a finished workspace changed its rows")
    # the reference itself must be right: every distinct file once, damaged ones failed
    if len(reference.measurements) != manifest.distinct_hashes:
        report.problems.append(
            f"reference holds {len(reference.measurements)} measurements, "
            f"the folder {manifest.distinct_hashes} distinct files"
        )
    if reference.counts["failed_measurements"] != manifest.damaged:
        report.problems.append(
            f"reference holds {reference.counts['failed_measurements']} failed measurements, "
            f"the folder {manifest.damaged} damaged files"
        )
    report.problems += [f"reference: {p}" for p in reference.problems]
    if reference.duplicated_measurements() or reference.duplicated_analyses():
        report.problems.append("reference: duplicates in an uninterrupted run")

    delivered = 0
    attempts = 0
    while delivered < kills and attempts < 3 * kills + 10:
        report.rounds += 1
        ws = work / f"round-{report.rounds:03d}"
        _init(ws, database_url)
        for phase in PHASES:
            argv = phase_argv(phase, ws, manifest, **options)
            if delivered < kills:
                attempts += 1
                # a random point of progress (0 … all-but-one of the reference's rows of the
                # phase's table), then a random fraction of one row's time
                table, total = TABLES[phase], reference_rows[phase]
                target = rng.randrange(total) if total else 0
                counter = RowCounter(ws)
                try:
                    killed, survivors = run_and_kill(
                        argv,
                        lambda: counter(table) >= target,  # noqa: B023 (called right here)
                        rng.uniform(0.0, per_row[phase]),
                        timeout,
                    )
                finally:
                    counter.close()
                report.survivors += survivors
                if killed:
                    delivered += 1
                    report.kills[phase] += 1
                    after = snapshot(ws)
                    if partial_check(reference, after, report):
                        report.mid_work[phase] += 1
                    found = len(after.measurements if phase == "ingest" else after.analyses)
                    report.kill_log.append((phase, target, found, total))
                else:
                    report.finished_first[phase] += 1
            run_to_completion(argv, timeout)  # the rerun (or, past the last kill, the run)
        compare(reference, snapshot(ws), report)
        say(
            f"round {report.rounds}: kills {dict(report.kills)}, mid-work "
            f"{dict(report.mid_work)}, ok so far: {report.ok}"
        )
        if not report.ok:
            break
    report.seconds = time.perf_counter() - started
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--n", type=int, default=60, help="files in the generated folder")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--executor", choices=("processes", "dask", "serial"), default=None)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument(
        "--kind", action="append", default=[], help="analysis kinds to run (default: all)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)

    from contextlib import ExitStack

    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ssblab-faults-")))
        manifest = generate(work / "data", args.n, args.seed)
        database_url = None
        if args.database == "postgresql":
            from ssblab.testing.postgres import PostgresServer

            database_url = stack.enter_context(PostgresServer(database="faults")).url
        report = run_faults(
            manifest,
            work,
            kills=args.kills,
            seed=args.seed,
            database_url=database_url,
            executor=args.executor,
            workers=args.workers,
            kinds=tuple(args.kind),
            log=lambda message: print(message, file=sys.stderr, flush=True),
        )
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        for key, value in report.to_dict().items():
            if key != "kill_log":
                print(f"{key:>24}: {value}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
