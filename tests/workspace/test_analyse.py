"""Analyse: only what is missing or stale runs; results equal the library's on the same data;
the process pool and a real Dask LocalCluster of two worker processes give the same rows."""

from __future__ import annotations

import math

import pytest

import ssblab
from ssblab.cycling.symmetric import analyse_symmetric
from ssblab.io.cycling import read_cycling
from ssblab.workspace import Workspace
from tests.workspace.test_ingest import make_lab

FAST = ["kk", "symmetric", "full"]  # 5 + 1 + 1 analyses of the lab folder, in about a second


@pytest.fixture
def workspace(tmp_path, database_url):
    samples = make_lab(tmp_path)
    ws = Workspace.init(tmp_path / "ws", database_url)
    ws.ingest(tmp_path / "data", samples)
    yield ws
    ws.close()


def _results(ws, kind):
    from sqlalchemy import select

    from ssblab.workspace.schema import Analysis

    with ws.sessions() as session:
        rows = session.scalars(select(Analysis).where(Analysis.kind == kind)).all()
        return {row.subject: row.results for row in rows}


def test_runs_what_is_missing_then_nothing(workspace):
    report = workspace.analyse(kinds=FAST, executor="serial")
    assert (report.ran, report.fresh, report.failed) == (7, 0, 0)
    again = workspace.analyse(kinds=FAST, executor="serial")
    assert (again.ran, again.fresh, again.failed) == (0, 7, 0)
    assert workspace.counts()["analyses"] == 7
    assert workspace.check_integrity() == []
    ccd = workspace.query("ccd")
    assert ccd["asr_initial_ohm_cm2"].iloc[0] == pytest.approx(100.0, rel=1e-6)  # 0.01 Ω m²
    assert ccd["ald_cycles"].iloc[0] == 20 and not ccd["short_circuit"].iloc[0]
    retention = workspace.query("retention")
    assert retention["retention_percent"].iloc[0] == pytest.approx(146.0 / 150.0 * 100, rel=0.01)


def test_where_selects_measurements(workspace):
    report = workspace.analyse(kinds=["kk"], where="file=llzto_m4*", executor="serial")
    assert report.ran == 1
    assert workspace.analyse(kinds=["kk"], where="sample=LLZTO-1", executor="serial").ran == 4


def test_a_changed_option_or_version_makes_it_stale(workspace, monkeypatch):
    workspace.analyse(kinds=["symmetric"], executor="serial")
    changed = workspace.analyse(
        kinds=["symmetric"], executor="serial", options={"symmetric": {"voltage_limit_V": 5.0}}
    )
    assert (changed.ran, changed.fresh) == (1, 0)
    assert workspace.analyse(kinds=["symmetric"], executor="serial").fresh == 1
    monkeypatch.setattr(ssblab, "__version__", "99.0.0")
    bumped = workspace.analyse(kinds=["symmetric", "full"], executor="serial")
    assert (bumped.ran, bumped.fresh) == (2, 0)
    analyses = workspace.query("analyses")
    assert sorted(analyses["version"].unique()) == ["0.1.0", "99.0.0"]
    assert workspace.check_integrity() == []


def test_results_are_the_library_results(workspace, tmp_path):
    workspace.analyse(kinds=["symmetric"], executor="serial")
    (stored,) = _results(workspace, "symmetric").values()
    data = read_cycling(tmp_path / "data" / "cycling" / "sym_li_llzto.csv")
    direct = analyse_symmetric(data, math.pi * 0.01128379**2 / 4)  # samples.csv: 11.28379 mm
    assert stored["asr_initial_ohm_cm2"] == pytest.approx(direct.to_dict()["asr_initial_ohm_cm2"])
    assert len(stored["half_cycles"]) == len(direct.half_cycles)


def test_failed_analysis_is_stored_with_its_error(workspace):
    report = workspace.analyse(
        kinds=["eis-fit"], where="file=llzto_m40C.txt", executor="serial",
        options={"eis-fit": {"circuit": "R0-Q9"}},
    )  # fmt: skip
    assert (report.ran, report.failed) == (1, 1)
    analyses = workspace.query("analyses")
    (error,) = analyses.loc[analyses["kind"] == "eis-fit", "error"]
    assert "llzto_m40C.txt" in error and "\n" not in error
    assert workspace.analyse(
        kinds=["eis-fit"], where="file=llzto_m40C.txt", executor="serial",
        options={"eis-fit": {"circuit": "R0-Q9"}},
    ).fresh == 1  # fmt: skip


def test_process_pool_gives_the_serial_rows(tmp_path):
    samples = make_lab(tmp_path)
    with Workspace.init(tmp_path / "a") as serial, Workspace.init(tmp_path / "b") as pool:
        for ws in (serial, pool):
            ws.ingest(tmp_path / "data", samples)
        serial.analyse(kinds=FAST, executor="serial")
        report = pool.analyse(kinds=FAST, executor="processes", workers=2)
        assert (report.ran, report.failed) == (7, 0)
        for kind in FAST:
            assert _results(pool, kind) == _results(serial, kind)


def test_dask_local_cluster_with_two_worker_processes(tmp_path):
    samples = make_lab(tmp_path)
    with Workspace.init(tmp_path / "ws") as ws:
        ws.ingest(tmp_path / "data", samples)
        report = ws.analyse(kinds=FAST, executor="dask", workers=2)
        assert (report.ran, report.fresh, report.failed) == (7, 0, 0)
        assert ws.analyse(kinds=FAST, executor="dask", workers=2).fresh == 7
        assert ws.counts()["analyses"] == 7 and ws.check_integrity() == []


def _assert_same(a, b, where=""):
    if isinstance(a, dict) and isinstance(b, dict):
        assert set(a) == set(b), where
        for key in a:
            _assert_same(a[key], b[key], f"{where}/{key}")
    elif isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _assert_same(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-300), where  # summation-order rounding
    else:
        assert a == b, where


def test_shared_fit_gives_the_separate_results(workspace):
    """eis-fit and conductivity of one file share a fit in a work unit: the rows must equal
    those of each kind run alone (its own fit)."""
    workspace.analyse(kinds=["eis-fit", "conductivity"], where="file=llzto_m4*",
                      executor="serial")  # fmt: skip
    together = {k: _results(workspace, k) for k in ("eis-fit", "conductivity")}
    for kind in ("eis-fit", "conductivity"):
        with Workspace.init(workspace.path.parent / f"alone-{kind}") as alone:
            alone.ingest(workspace.path.parent / "data", workspace.path.parent / "samples.csv")
            alone.analyse(kinds=[kind], where="file=llzto_m4*", executor="serial")
            _assert_same(_results(alone, kind), together[kind])
    (row,) = together["eis-fit"].values()
    assert row["spectra"][0]["selection"]["cell"] == "pellet"  # the blocking cell's shapes


def test_units_group_tasks_by_measurement():
    from ssblab.workspace.analyse import units
    from ssblab.workspace.tasks import Task

    tasks = [
        Task(kind=k, subject=f"measurement:{m}", measurement_ids=(m,), inputs_hash=f"{k}{m}",
             options={})
        for k in ("eis-fit", "kk", "drt") for m in range(50)
    ]  # fmt: skip
    work = units(tasks, workers=2)
    assert sum(len(t) for unit in work for m in unit for t in [m]) == 150
    for unit in work:
        for measurement in unit:
            assert len({t.subject for t in measurement}) == 1 and len(measurement) == 3
    assert max(len(unit) for unit in work) <= 16 and len(work) >= 3


def test_write_keeps_the_new_results_of_a_partly_written_unit(workspace):
    from ssblab.workspace.analyse import write
    from ssblab.workspace.tasks import Outcome, Task

    def task(h):
        return Task(kind="kk", subject="measurement:1", measurement_ids=(1,), inputs_hash=h,
                    options={})  # fmt: skip

    ok = Outcome("ok", {"x": 1})
    assert write(workspace, [(task("a"), ok)]) == [True]
    assert write(workspace, [(task("b"), ok), (task("a"), ok), (task("c"), ok)]) == [
        True, False, True]  # fmt: skip
    assert workspace.counts()["analyses"] == 3 and workspace.check_integrity() == []
