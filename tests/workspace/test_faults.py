"""Kill -9 during ingest and analyse, rerun: nothing lost, nothing duplicated (issue 13 §4).

A small run of ``benchmarks/workspace_faults.py`` (which runs 100 kills): a folder of 30
synthetic files (EIS and cycling, a damaged file, a byte-identical copy) is ingested and
analysed once as the reference; then ``ssblab ingest`` and ``ssblab analyse`` subprocesses are
SIGKILLed four times, with their whole process group, at random points of their progress and
rerun to completion, on the SQLite catalogue and on a real PostgreSQL server.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("ssblab.workspace", reason="the workspace package is not there")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from workspace_data import generate  # noqa: E402
from workspace_faults import run_faults  # noqa: E402

FILES = 30
KILLS = 4  # two rounds: ingest and analyse each killed once per round
# the quick kinds (one per file family; the benchmark runs every kind), on a pool of 2 workers
KINDS = ("kk", "symmetric")


def test_kills_lose_and_duplicate_nothing(tmp_path: Path, database_url: str | None):
    manifest = generate(tmp_path / "data", FILES, seed=7)
    assert manifest.damaged >= 1 and manifest.distinct_hashes < len(manifest.entries)
    kills = KILLS
    report = run_faults(
        manifest,
        tmp_path,
        kills=kills,
        seed=3,
        database_url=database_url,
        workers=2,
        kinds=KINDS,
        timeout=300,
        rerun_reference=False,  # the benchmark does it; the concurrency test reruns ingest
    )
    summary = report.to_dict()
    assert sum(report.kills.values()) == kills, summary
    assert report.kills["ingest"] >= 2 and report.kills["analyse"] >= 2, summary
    # kills fell while rows were being written in both phases (others may land just before
    # the first row or after the last: every point of progress is drawn)
    assert report.mid_work["ingest"] >= 1 and report.mid_work["analyse"] >= 1, summary
    assert report.reference_analyses > 0, summary
    assert report.lost_measurements == 0 and report.duplicated_measurements == 0, summary
    assert report.lost_analyses == 0 and report.duplicated_analyses == 0, summary
    assert report.unexpected_analyses == 0 and report.status_changes == 0, summary
    assert report.problems == [], summary
    assert report.survivors == 0, summary
    assert report.ok
