"""10,000 files ingested and analysed: wall time, Dask vs a process pool, 1 → 2 workers.

Issue 13 §5. A folder of synthetic measurements (:mod:`workspace_data`: EIS and cycling
mixed, ~1 % damaged, a few copies) is generated, then the command line does what a lab would:

1. ``ssblab workspace init`` and ``ssblab ingest DIR --samples …`` (one process),
2. ``ssblab analyse --workers 2`` (every kind, on a process pool of two workers),

timed end to end (target: ingest + analyse ≤ 10 min on the 2-core machine). The counts are
checked: every distinct file one measurement, the damaged ones failed, integrity clean.

Then, on a smaller folder (``--compare-n``, default 1,000 files) ingested once and copied,
``ssblab analyse`` runs on identical copies, ``--repeat`` rounds interleaved (medians): a
process pool of 2 workers, Dask (a ``distributed.LocalCluster`` of 2 worker processes) and a
pool of 1 worker: the Dask path's time relative to the pool's (target: within 15 %) and the
speed-up from 1 to 2 workers.

Wall times on a shared machine grow with other load; the CPU seconds of each command (its
pool or Dask workers included) and the load averages are reported beside them.

Measured on the 2-core machine (SQLite), after 50d9921 (analyses in units of up to 16
measurements, one transaction per unit; eis-fit and conductivity share a file's fit; ingest
parses on a pool of 2): 10,000 files (9,950 distinct, 100 damaged) ingested in 69.9 s
(143 files/s, 106 CPU-s) and analysed in 422.2 s (23,896 analyses, 0 failed, 0.027 CPU-s
each): 492 s in all, within the 600 s target — with other work sharing the machine (load
average up to 4.2). On 1,000 files (2,397 analyses): pool of 2 workers 44.1 s (84.7 CPU-s),
Dask 43.0 s (81.7 CPU-s, 0.975× the pool's time), 1 worker 79.9 s: 1.81× from 1 to 2 workers.
Before (46fc8ed, one call and one transaction per analysis, separate fits): 121 s + 809 s =
930 s; pool 87 s, Dask 133 s (1.52×), 1 worker 177 s.

On the final code (the work units, the Dask fix, the payload rows): 10,000 files ingested in
52.5 s (98 CPU-s) and analysed in 300.6 s (23,896 analyses, 0 failed, 593 CPU-s): 353 s.

After the Dask workers lost the nanny's MALLOC_TRIM_THRESHOLD_ and the always-on diagnostics
(``--repeat 2``, interleaved, medians): pool 31.1 s (59.6 CPU-s), Dask 32.0 s (61.4 CPU-s,
1.029×), 1 worker 70.5 s (72.1 CPU-s; 2.27×, 1.9× per CPU-second). Before that fix, three
rounds: pool 31.7 s, Dask 38.2 s (1.205×).

``python benchmarks/workspace_scale.py`` (``--n 1000`` to scale down, ``--database postgresql``
for the main run on a throwaway PostgreSQL server, ``--json``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workspace_data import Manifest, generate
from workspace_faults import FaultCheckError, snapshot, ssblab

TARGET_S = 600.0
DASK_TOLERANCE = 0.15


#: CPU seconds (user + sys) of every finished command and its worker processes, by label
CPU_SECONDS: dict[str, float] = {}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cli_json(argv: list[str], timeout: float, label: str = "") -> tuple[dict, float]:
    """Run an ssblab command with ``--json``; (its report, wall seconds). Its CPU time, pool
    and Dask workers included (all are waited for), goes to :data:`CPU_SECONDS`: unlike the
    wall time it does not grow when something else shares the machine."""
    cpu = _children_cpu()
    start = time.perf_counter()
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    result = subprocess.run(
        [*argv, "--json"], capture_output=True, text=True, timeout=timeout, env=env, check=False
    )
    elapsed = time.perf_counter() - start
    if label:
        CPU_SECONDS[label] = round(_children_cpu() - cpu, 1)
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        raise FaultCheckError(
            f"{' '.join(argv[2:4])}: exit {result.returncode}: {lines[-1] if lines else ''}"
        )
    return json.loads(result.stdout), elapsed


def ingest(
    workspace: Path, manifest: Manifest, timeout: float, label: str = ""
) -> tuple[dict, float]:
    argv = ssblab("ingest", str(manifest.folder), "--workspace", str(workspace))
    return cli_json([*argv, "--samples", str(manifest.samples_csv)], timeout, label)


def analyse(
    workspace: Path, executor: str, workers: int, timeout: float, label: str = ""
) -> tuple[dict, float]:
    argv = ssblab("analyse", "--workspace", str(workspace), "--executor", executor)
    return cli_json([*argv, "--workers", str(workers)], timeout, label)


def init(workspace: Path, database_url: str | None, timeout: float) -> None:
    argv = ssblab("workspace", "init", str(workspace))
    if database_url:
        argv += ["--database", database_url]
    cli_json(argv, timeout)


def main_run(work: Path, n: int, seed: int, database_url: str | None, timeout: float, say) -> dict:
    start = time.perf_counter()
    manifest = generate(work / "data", n, seed)
    generated = time.perf_counter() - start
    say(f"generated {n} files in {generated:.1f} s: {manifest.counts()}")
    workspace = work / "workspace"
    init(workspace, database_url, timeout)
    ingest_report, ingest_s = ingest(workspace, manifest, timeout, "ingest")
    say(f"ingest {ingest_s:.1f} s: new {ingest_report['new']}, failed {ingest_report['failed']}")
    analyse_report, analyse_s = analyse(workspace, "processes", 2, timeout, "analyse")
    say(
        f"analyse (2 workers) {analyse_s:.1f} s: ran {analyse_report['ran']}, "
        f"failed {analyse_report['failed']}"
    )
    state = snapshot(workspace)
    total = ingest_s + analyse_s
    return {
        "files": len(manifest.entries),
        "distinct_files": manifest.distinct_hashes,
        "damaged_files": manifest.damaged,
        "backend": "sqlite" if database_url is None else "postgresql",
        "generate_s": round(generated, 1),
        "ingest_s": round(ingest_s, 1),
        "ingest_files_per_s": round(len(manifest.entries) / ingest_s, 1),
        "ingest_cpu_s": CPU_SECONDS.get("ingest"),
        "analyse_s": round(analyse_s, 1),
        "analyses_ran": analyse_report["ran"],
        "analyses_failed": analyse_report["failed"],
        "analyses_per_s": round(analyse_report["ran"] / analyse_s, 1),
        "analyse_cpu_s": CPU_SECONDS.get("analyse"),
        "analyse_cpu_s_per_analysis": round(
            CPU_SECONDS.get("analyse", 0.0) / max(analyse_report["ran"], 1), 3
        ),
        "ingest_plus_analyse_s": round(total, 1),
        "within_target": total <= TARGET_S,
        "counts": state.counts,
        "counts_ok": state.counts["measurements"] == manifest.distinct_hashes
        and state.counts["failed_measurements"] == manifest.damaged,
        "integrity_problems": state.problems[:10],
        "analyse_notes": analyse_report.get("notes", [])[:10],
    }


def compare_run(work: Path, n: int, seed: int, timeout: float, say, repeat: int = 1) -> dict:
    """Pool of 2, Dask of 2 and 1 worker on identical copies, ``repeat`` rounds interleaved
    (so a burst of other load hits every configuration alike); medians reported."""
    import statistics

    manifest = generate(work / "compare-data", n, seed + 1)
    base = work / "compare-base"
    init(base, None, timeout)
    ingest(base, manifest, timeout)
    configs = (
        ("processes_2", "processes", 2),
        ("dask_2", "dask", 2),
        ("workers_1", "processes", 1),
    )
    samples: dict[str, list[tuple[float, float, int]]] = {label: [] for label, _, _ in configs}
    for round_ in range(repeat):
        for label, executor, workers in configs:
            copy = work / f"compare-{label}"
            shutil.copytree(base, copy)
            report, seconds = analyse(copy, executor, workers, timeout, label)
            samples[label].append((seconds, CPU_SECONDS.get(label, float("nan")), report["ran"]))
            say(f"compare {label} (round {round_ + 1}): {seconds:.1f} s, ran {report['ran']}")
            shutil.rmtree(copy)
    runs = {
        label: {
            "seconds": round(statistics.median(s for s, _, _ in got), 1),
            "cpu_s": round(statistics.median(c for _, c, _ in got), 1),
            "ran": got[0][2],
            "all_seconds": [round(s, 1) for s, _, _ in got],
        }
        for label, got in samples.items()
    }
    pool, dask, one = (runs[k]["seconds"] for k in ("processes_2", "dask_2", "workers_1"))
    return {
        "files": len(manifest.entries),
        "rounds": repeat,
        "runs": runs,
        "dask_over_pool": round(dask / pool, 3),
        "dask_within_15_percent": abs(dask / pool - 1) <= DASK_TOLERANCE,
        "speedup_1_to_2_workers": round(one / pool, 2),
        "same_work": len({r for got in samples.values() for _, _, r in got}) == 1,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="files of the main run")
    parser.add_argument("--compare-n", type=int, default=1000, help="files of the comparison")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of the comparison")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--skip-main", action="store_true", help="only the comparison")
    parser.add_argument("--skip-compare", action="store_true", help="only the main run")
    parser.add_argument("--timeout", type=float, default=7200.0, help="per command, s")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    result: dict = {"cpus": os.cpu_count(), "load_average_before": os.getloadavg()}
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ssblab-scale-")))
        if not args.skip_main:
            database_url = None
            if args.database == "postgresql":
                from ssblab.testing.postgres import PostgresServer

                database_url = stack.enter_context(PostgresServer(database="scale")).url
            result["main"] = main_run(work, args.n, args.seed, database_url, args.timeout, say)
        if not args.skip_compare:
            result["compare"] = compare_run(
                work, args.compare_n, args.seed, args.timeout, say, args.repeat
            )
    # the 1-minute load beyond this benchmark's own 2 workers says whether it ran alone
    result["load_average_after"] = os.getloadavg()
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for section, values in result.items():
            if not isinstance(values, dict):
                print(f"{section}: {values}")
                continue
            print(f"{section}:")
            for key, value in values.items():
                print(f"  {key:>24}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
