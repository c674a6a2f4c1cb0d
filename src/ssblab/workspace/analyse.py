"""``ws.analyse()``: run the analyses that are missing or stale, nothing else.

An analysis is identified by (kind, inputs' hash, ssblab version) — a UNIQUE constraint. The
inputs' hash covers the raw files' and stored arrays' SHA-256s, the options (defaults below,
overridden per kind with ``options={"eis-fit": {"circuit": "R0-p(R1,CPE1)"}}``) and what the
analysis takes from the catalogue (geometry, area, active mass, temperatures). A changed file,
option, sample geometry or ssblab version gives a new identity, so the analysis runs again (the
old row stays as history; queries read the newest per subject). A failed analysis is stored
with its one-line error and, being deterministic, is not retried until its inputs change.

Which measurements each kind takes: ``eis-fit``, ``kk``, ``drt``: every EIS measurement;
``conductivity``: EIS measurements whose sample has a thickness and an area (cell kind →
``--cell``: blocking → pellet, symmetric, full; none → pellet); ``eis-fit`` takes the same
``--cell`` from a known cell kind and tries any shape when there is no cell, so with a cell
the two kinds share one fit per spectrum; ``symmetric``/``full``:
cycling measurements of a cell of that kind (area from the cell or sample); ``arrhenius``: per
sample, its conductivity results with known temperatures (≥ 2 temperatures), σ total by
default — it runs after the conductivities, in the calling process (a regression).

``where``: ``key=value`` terms joined by ``,`` or `` and ``, all required: ``sample``,
``cell``, ``cell_kind``, ``kind`` (eis/cycling), ``format``, ``file`` (a shell pattern on the
file name), ``id``. Example: ``sample=LLZO-1,kind=eis``.

Execution: workers compute (:func:`ssblab.workspace.tasks.run_bundle`, a unit of up to 16
measurements with all their tasks); the calling process is the one writer and commits each
unit's results in one transaction as they arrive, so a killed run loses at most the units in
flight. ``executor``: ``processes`` (a process pool of
``workers``), ``dask`` (a ``distributed.LocalCluster`` of ``workers`` processes, or
``Client(scheduler)`` for ``tcp://host:port`` — the arrays then travel with the tasks, so the
cluster needs no access to the workspace folder) or ``serial``.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ssblab._pool import ONE_BLAS_THREAD
from ssblab.errors import SsblabInputError
from ssblab.workspace.tasks import Outcome, Task, run_bundle

if TYPE_CHECKING:
    from ssblab.workspace.store import Workspace

KINDS = ("eis-fit", "kk", "drt", "conductivity", "symmetric", "full", "arrhenius")
EXECUTORS = ("processes", "dask", "serial")
DEFAULT_OPTIONS: dict[str, dict[str, Any]] = {
    "eis-fit": {"circuit": "auto", "cell": None, "weighting": "modulus"},
    "kk": {},
    "drt": {"lambda": "gcv"},
    "conductivity": {"circuit": "auto", "weighting": "modulus", "cell": None},
    "symmetric": {"voltage_limit_V": None, "force": False},
    "full": {"eol": 0.8, "first_step": "auto", "formation": None, "reference_cycle": None,
             "force": False},
    "arrhenius": {"quantity": "total", "model": "sigmaT", "at_K": 298.15},
}  # fmt: skip
CELL_OPTION = {"blocking": "pellet", "symmetric": "symmetric", "full": "full", None: "pellet"}
WHERE_KEYS = ("sample", "cell", "cell_kind", "kind", "format", "file", "id")


@dataclass(frozen=True)
class AnalyseReport:
    ran: int
    fresh: int
    failed: int  # of those that ran
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"ran": self.ran, "fresh": self.fresh, "failed": self.failed,
                "notes": list(self.notes)}  # fmt: skip


def version() -> str:
    import ssblab

    return ssblab.__version__


def digest(kind: str, inputs: Iterable[Any], options: Mapping[str, Any]) -> str:
    text = json.dumps({"kind": kind, "inputs": list(inputs), "options": options}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def parse_where(where: str | None) -> list[tuple[str, str]]:
    if where is None or not where.strip():
        return []
    terms = []
    for term in where.replace(" and ", ",").split(","):
        if not term.strip():
            continue
        key, sep, value = term.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not value or key not in WHERE_KEYS:
            raise SsblabInputError(
                f"--where {where!r}: use key=value terms joined by ',' with keys "
                f"{', '.join(WHERE_KEYS)}"
            )
        terms.append((key, value))
    return terms


def _matches(m, terms: list[tuple[str, str]]) -> bool:
    values = {
        "sample": m.sample.name if m.sample else None,
        "cell": m.cell.name if m.cell else None,
        "cell_kind": m.cell.kind if m.cell else None,
        "kind": m.kind,
        "format": m.format,
        "id": str(m.id),
    }
    for key, value in terms:
        if key == "file":
            if not fnmatch.fnmatchcase(os.path.basename(m.path), value):
                return False
        elif values[key] != value:
            return False
    return True


def _options(kinds, overrides: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    chosen = {}
    for kind in kinds:
        if kind not in KINDS:
            raise SsblabInputError(f"--kind {kind!r}: use {', '.join(KINDS)}")
        chosen[kind] = dict(DEFAULT_OPTIONS[kind])
    for kind, given in overrides.items():
        if kind not in DEFAULT_OPTIONS:
            raise SsblabInputError(f"options: unknown analysis kind {kind!r}")
        unknown = set(given) - set(DEFAULT_OPTIONS[kind])
        if unknown:
            raise SsblabInputError(f"options[{kind!r}]: unknown {', '.join(sorted(unknown))}")
        if kind in chosen:
            chosen[kind].update(given)
    return chosen


def _task(kind: str, m, options: dict) -> Task:
    return Task(
        kind=kind,
        subject=f"measurement:{m.id}",
        measurement_ids=(m.id,),
        inputs_hash=digest(kind, [m.sha256, m.array_sha256], options),
        options=options,
        source=os.path.basename(m.path),
        array_path=m.array_path,
        metadata=m.instrument_metadata or {},
    )


def plan(measurements, options: dict[str, dict]) -> tuple[list[Task], list[str]]:
    """The tasks of every kind but arrhenius, and notes on what could not be planned."""
    tasks: list[Task] = []
    skipped: dict[str, int] = {}
    for m in measurements:
        sample, cell = m.sample, m.cell
        area = (cell.area_m2 if cell and cell.area_m2 else None) or (sample and sample.area_m2)
        for kind, base in options.items():
            if m.kind == "eis" and kind == "eis-fit":
                # the cell the catalogue knows chooses the candidate circuits, as
                # ``ssblab eis fit --cell`` does; no cell: any shape
                known = CELL_OPTION.get(cell.kind) if cell and cell.kind else None
                tasks.append(_task(kind, m, {**base, "cell": base["cell"] or known}))
            elif m.kind == "eis" and kind in ("kk", "drt"):
                tasks.append(_task(kind, m, base))
            elif m.kind == "eis" and kind == "conductivity":
                if not (sample and sample.thickness_m and sample.area_m2):
                    skipped[kind] = skipped.get(kind, 0) + 1
                    continue
                cell_option = base["cell"] or CELL_OPTION.get(cell.kind if cell else None)
                full = {**base, "cell": cell_option, "thickness_m": sample.thickness_m,
                        "area_m2": sample.area_m2}  # fmt: skip
                tasks.append(_task(kind, m, full))
            elif m.kind == "cycling" and kind in ("symmetric", "full"):
                if not (cell and cell.kind == kind) or (kind == "symmetric" and not area):
                    skipped[kind] = skipped.get(kind, 0) + 1
                    continue
                if kind == "symmetric":
                    full = {**base, "area_m2": area}
                else:
                    full = {**base, "active_mass_g": cell.active_mass_g,
                            "area_cm2": None if not area else area * 1e4}  # fmt: skip
                tasks.append(_task(kind, m, full))
    reasons = {
        "conductivity": "EIS measurement(s) without a sample thickness and area",
        "symmetric": "cycling measurement(s) not of a symmetric cell with an area",
        "full": "cycling measurement(s) not of a full cell",
    }
    notes = [f"{kind}: {n} {reasons[kind]} (samples.csv)" for kind, n in skipped.items()]
    return tasks, notes


def _existing(workspace: Workspace, tasks: list[Task]) -> set[tuple[str, str]]:
    from sqlalchemy import select

    from ssblab.workspace.schema import Analysis

    current = version()
    found: set[tuple[str, str]] = set()
    hashes = sorted({t.inputs_hash for t in tasks})
    with workspace.sessions() as session:
        for start in range(0, len(hashes), 500):
            query = select(Analysis.kind, Analysis.inputs_hash).where(
                Analysis.version == current, Analysis.inputs_hash.in_(hashes[start : start + 500])
            )
            found.update((kind, h) for kind, h in session.execute(query))
    return found


def write(workspace: Workspace, results: list[tuple[Task, Outcome]]) -> list[bool]:
    """Commit the results of one work unit with their input links in one transaction; per
    result, False when it is already there (another run wrote it: the transaction is retried
    one result at a time, so those are skipped and the rest kept)."""
    from sqlalchemy.exc import IntegrityError

    from ssblab.workspace.schema import Analysis, AnalysisInput

    def add(session, task: Task, outcome: Outcome) -> None:
        row = Analysis(
            kind=task.kind,
            subject=task.subject,
            inputs_hash=task.inputs_hash,
            options=task.options,
            results=outcome.results,
            warnings=list(outcome.warnings),
            status=outcome.status,
            error=outcome.error,
            version=version(),
        )
        session.add(row)
        session.flush()
        session.add_all(
            AnalysisInput(analysis_id=row.id, measurement_id=mid) for mid in task.measurement_ids
        )

    with workspace.sessions() as session:
        try:
            for task, outcome in results:
                add(session, task, outcome)
            session.commit()
            return [True] * len(results)
        except IntegrityError:
            session.rollback()
    written = []
    for task, outcome in results:
        with workspace.sessions() as session:
            try:
                add(session, task, outcome)
                session.commit()
                written.append(True)
            except IntegrityError:
                session.rollback()
                written.append(False)
    return written


Unit = list[list[Task]]  # measurements, each the list of its tasks


def units(tasks: list[Task], workers: int) -> list[Unit]:
    """The tasks grouped by measurement (the tasks of one file share its frame and fits),
    then the measurements in units of up to 16: about 10 units per worker at least, so the
    workers stay balanced while a pool's or Dask's per-call cost is paid per unit."""
    by_subject: dict[str, list[Task]] = {}
    for task in tasks:
        by_subject.setdefault(task.subject, []).append(task)
    groups = list(by_subject.values())
    size = max(1, min(16, len(groups) // (10 * max(1, workers))))
    return [groups[start : start + size] for start in range(0, len(groups), size)]


def _pairs(unit: Unit, outcomes: list[Outcome]) -> list[tuple[Task, Outcome]]:
    return list(zip((task for tasks in unit for task in tasks), outcomes, strict=True))


def _serial(root: str, work: list[Unit]) -> Iterator[list[tuple[Task, Outcome]]]:
    for unit in work:
        yield _pairs(unit, run_bundle(root, unit))


def _processes(root: str, work: list[Unit], workers: int):
    from concurrent.futures import as_completed

    from ssblab._pool import spawn_pool

    with spawn_pool(workers) as pool:  # spawned, one BLAS thread each (ssblab._pool)
        futures = {pool.submit(run_bundle, root, unit): unit for unit in work}
        for future in as_completed(futures):
            yield _pairs(futures[future], future.result())


#: Dask's diagnostics that cost CPU on every worker whether or not anyone looks: the
#: statistical profiler (a stack sample every 10 ms), the GIL monitor (every 1 ms), the event
#: loop watchdog (every 20 ms), the system and memory monitors (every 0.5 s and 0.1 s), and
#: work stealing (a balancing pass every 100 ms; the units
#: are of even size and the scheduler queues them as workers free up). With the nanny's
#: malloc setting below, Dask took 1.22x the pool's time (1,000 files, 67.8 vs 55.9 CPU-s);
#: without both, 1.03x (61.4 vs 59.6 CPU-s).
DASK_QUIET = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.tick.interval": "500ms",
    "distributed.scheduler.work-stealing": False,
    # the nanny's default also sets MALLOC_TRIM_THRESHOLD_=65536, which turns off glibc's
    # adaptive mmap threshold: every large numpy temporary of a fit is then mmap'ed and
    # unmapped again (page faults); the pool's workers keep glibc's default
    "distributed.nanny.pre-spawn-environ": dict(ONE_BLAS_THREAD),
}


def _dask(workspace, root: str, work: list[Unit], workers: int, scheduler: str | None):
    import dask
    import distributed  # noqa: F401  (its defaults first: set() on an unloaded tree breaks them)

    # set before the cluster starts: the nannies hand this configuration to their workers
    # (a lab's own scheduler and workers keep theirs)
    with dask.config.set(DASK_QUIET):
        yield from _dask_run(workspace, root, work, workers, scheduler)


def _dask_run(workspace, root: str, work: list[Unit], workers: int, scheduler: str | None):
    from distributed import Client, LocalCluster, as_completed

    from ssblab.workspace.arrays import read_frame

    if scheduler is not None:
        if not scheduler.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
            raise SsblabInputError(f"--scheduler {scheduler!r}: use tcp://host:port")
        client = Client(scheduler, timeout="30s")
        cluster = None
        work = [
            [
                [
                    t
                    if t.array_path is None
                    else replace(t, frame=read_frame(workspace.path, t.array_path))
                    for t in tasks
                ]
                for tasks in unit
            ]
            for unit in work
        ]
    else:
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=50,
        )
        client = Client(cluster)
    try:
        futures = client.map(run_bundle, [root] * len(work), work, pure=False)
        by_key = {f.key: unit for f, unit in zip(futures, work, strict=True)}
        for future in as_completed(futures):
            yield _pairs(by_key[future.key], future.result())
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _execute(workspace, tasks, executor, workers, scheduler):
    root = str(workspace.path)
    workers = workers or os.cpu_count() or 1
    work = units(tasks, 1 if executor == "serial" else workers)
    # --workers 1 is a pool of one spawned worker, so 1 → N workers compares like with like
    # (the same process set-up, one BLAS thread); --executor serial computes in this process
    if executor == "serial" or (executor == "processes" and len(work) <= 1):
        return _serial(root, work)
    if executor == "processes":
        workspace.engine.dispose()  # no pooled database connection is inherited by a worker
        return _processes(root, work, workers)
    return _dask(workspace, root, work, workers, scheduler)


def _arrhenius_tasks(workspace, conductivity: list[Task], options: dict):
    """One task per sample from the conductivity results of ``conductivity``."""
    from sqlalchemy import select

    from ssblab.workspace.schema import Analysis, Measurement

    quantity = options["quantity"]
    current = version()
    points: dict[int, list] = {}
    notes: list[str] = []
    with workspace.sessions() as session:
        for task in conductivity:
            row = session.scalar(
                select(Analysis).where(
                    Analysis.kind == "conductivity",
                    Analysis.inputs_hash == task.inputs_hash,
                    Analysis.version == current,
                )
            )
            m = session.get(Measurement, task.measurement_ids[0])
            if row is None or row.status != "ok" or m is None or m.sample_id is None:
                continue
            if m.temperature_K is None:
                notes.append(f"arrhenius: {task.source} has no temperature (samples.csv)")
                continue
            for item in row.results["spectra"]:
                sigma = item.get(f"sigma_{quantity}_S_m")
                if sigma is None:
                    continue
                err = item.get(f"sigma_{quantity}_err_S_m")
                point = (m.id, item["spectrum"], m.temperature_K, sigma, err, row.inputs_hash)
                points.setdefault(m.sample_id, []).append(point)
    tasks = []
    for sample_id, found in sorted(points.items()):
        found.sort(key=lambda p: (p[2], p[0], p[1]))
        if len({p[2] for p in found}) < 2:
            notes.append(f"arrhenius: sample {sample_id} has fewer than 2 temperatures")
            continue
        tasks.append(
            Task(
                kind="arrhenius",
                subject=f"sample:{sample_id}",
                measurement_ids=tuple(sorted({p[0] for p in found})),
                inputs_hash=digest("arrhenius", [list(p) for p in found], options),
                options=options,
                points=tuple(p[:5] for p in found),
            )
        )
    return tasks, notes


def analyse_workspace(
    workspace: Workspace,
    kinds=None,
    where: str | None = None,
    executor: str = "processes",
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
) -> AnalyseReport:
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from ssblab.workspace.schema import Measurement

    if isinstance(kinds, str):
        kinds = [kinds]
    options = _options(list(kinds or KINDS), overrides or {})
    if scheduler is not None and executor == "processes":
        executor = "dask"
    if executor not in EXECUTORS:
        raise SsblabInputError(f"--executor {executor!r}: use {', '.join(EXECUTORS)}")
    if workers is not None and workers < 1:
        raise SsblabInputError(f"--workers {workers}: at least 1")
    terms = parse_where(where)
    with workspace.sessions() as session:
        rows = session.scalars(
            select(Measurement)
            .where(Measurement.status == "ok")
            .options(selectinload(Measurement.sample), selectinload(Measurement.cell))
            .order_by(Measurement.id)
        ).all()
    measurements = [m for m in rows if _matches(m, terms)]
    first = {k: v for k, v in options.items() if k != "arrhenius"}
    if "arrhenius" in options and "conductivity" not in first:  # σ first, with its defaults
        first["conductivity"] = dict(DEFAULT_OPTIONS["conductivity"])
    tasks, notes = plan(measurements, first)
    ran = fresh = failed = 0
    stages = [tasks]
    for stage in range(2):
        todo = stages[stage]
        done = _existing(workspace, todo)
        pending = [t for t in todo if (t.kind, t.inputs_hash) not in done]
        fresh += len(todo) - len(pending)
        if progress:
            progress(0, len(pending))
        count = 0
        for results in _execute(workspace, pending, executor, workers, scheduler):
            for (_, outcome), written in zip(results, write(workspace, results), strict=True):
                if written:
                    ran += 1
                    failed += outcome.status == "failed"
                else:
                    fresh += 1
            count += len(results)
            if progress:
                progress(count, len(pending))
        if stage == 0:
            if "arrhenius" not in options:
                break
            conductivity = [t for t in tasks if t.kind == "conductivity"]
            second, more = _arrhenius_tasks(workspace, conductivity, options["arrhenius"])
            notes.extend(more)
            stages.append(second)
            executor, workers = "serial", 1
    return AnalyseReport(ran=ran, fresh=fresh, failed=failed, notes=tuple(notes))
