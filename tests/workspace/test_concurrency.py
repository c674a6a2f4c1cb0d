"""Two ``ssblab ingest`` processes on the same workspace and folder at once (issue 13 §4):
every file is stored exactly once — no duplicates, no lost rows — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("ssblab.workspace", reason="the workspace package is not there")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from workspace_data import generate  # noqa: E402
from workspace_faults import RowCounter, snapshot  # noqa: E402

from ssblab.workspace import Workspace  # noqa: E402

FILES = 120


def _ingest(folder: Path, workspace: Path, samples: Path) -> subprocess.Popen:
    argv = [sys.executable, "-m", "ssblab.cli", "ingest", str(folder)]
    argv += ["--workspace", str(workspace), "--samples", str(samples), "--json"]
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_ingests_at_once(tmp_path: Path, database_url: str | None):
    manifest = generate(tmp_path / "data", FILES, seed=11)
    workspace = tmp_path / "ws"
    Workspace.init(workspace, database_url=database_url).close()

    processes = [_ingest(manifest.folder, workspace, manifest.samples_csv) for _ in range(2)]
    # watch the catalogue fill: rows must appear while both processes are alive
    counter = RowCounter(workspace)
    overlap = False
    try:
        while any(p.poll() is None for p in processes):
            rows = counter("measurement")
            both = all(p.poll() is None for p in processes)
            overlap |= both and 0 < rows < manifest.distinct_hashes
            time.sleep(0.02)
    finally:
        counter.close()
    outputs = [process.communicate(timeout=300) for process in processes]
    for process, (_, stderr) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, stderr
    reports = [json.loads(stdout) for stdout, _ in outputs]
    assert overlap, f"the two ingests did not run at the same time: {reports}"

    # between them, the two processes stored each distinct file once and saw every file
    assert sum(r["new"] for r in reports) == manifest.distinct_hashes, reports
    assert sum(r["failed"] for r in reports) == manifest.damaged, reports
    for report in reports:
        assert report["new"] + report["duplicate"] == len(manifest.entries), report

    state = snapshot(workspace)
    assert state.duplicated_measurements() == 0
    assert {sha for sha, _ in state.measurement_keys} == {e.sha256 for e in manifest.entries}
    assert state.counts["measurements"] == manifest.distinct_hashes
    assert state.counts["failed_measurements"] == manifest.damaged
    # each sample and cell of samples.csv once, though both processes created them
    samples = {e.sample for e in manifest.entries if e.sample}
    cells = {e.cell for e in manifest.entries if e.cell}
    assert state.counts["samples"] == len(samples)
    assert state.counts["cells"] == len(cells)
    assert state.problems == []

    # and a third run finds nothing new
    rerun = _ingest(manifest.folder, workspace, manifest.samples_csv)
    stdout, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr
    assert json.loads(stdout)["new"] == 0
    assert snapshot(workspace).counts == state.counts
