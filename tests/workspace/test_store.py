"""The workspace store: init/open, workspace.json, migrations from the first revision,
integrity checks that catch a deleted or altered array file — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil

import pytest
from sqlalchemy import inspect, text

from ssblab.workspace import Workspace, WorkspaceError
from ssblab.workspace.schema import SCHEMA_VERSION
from ssblab.workspace.store import current_revision, init_workspace
from tests.workspace.test_ingest import EIS_FILES


def test_init_writes_the_description_and_migrates_to_head(tmp_path, database_url):
    with Workspace.init(tmp_path / "ws", database_url) as ws:
        info = json.loads((tmp_path / "ws" / "workspace.json").read_text())
        assert info["schema_version"] == SCHEMA_VERSION == current_revision(ws.engine)
        assert ws.backend == ("sqlite" if database_url is None else "postgresql")
        assert ws.counts() == dict.fromkeys(
            ("measurements", "failed_measurements", "analyses", "samples", "cells"), 0
        )
        assert ws.check_integrity() == []
        if database_url is None:
            assert (tmp_path / "ws" / "catalogue.sqlite").is_file()
            with ws.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        else:
            assert info["schema"].startswith("ssblab_")
    with Workspace.open(tmp_path / "ws") as ws:
        assert ws.counts()["measurements"] == 0
    with pytest.raises(WorkspaceError, match="already holds a workspace"):
        Workspace.init(tmp_path / "ws", database_url)


def test_two_workspaces_share_a_postgresql_database(tmp_path, database_url):
    if database_url is None:
        pytest.skip("one SQLite file per workspace")
    with (
        Workspace.init(tmp_path / "a", database_url) as a,
        Workspace.init(tmp_path / "b", database_url) as b,
    ):
        (tmp_path / "in").mkdir()
        shutil.copy(EIS_FILES[0], tmp_path / "in" / "one.txt")
        assert a.ingest(tmp_path / "in").new == 1
        assert b.counts()["measurements"] == 0


def test_open_refuses_a_folder_without_a_workspace(tmp_path):
    with pytest.raises(WorkspaceError, match=r"not an ssblab workspace"):
        Workspace.open(tmp_path)


def test_a_workspace_at_the_first_revision_migrates_on_open(tmp_path, database_url):
    info = init_workspace(tmp_path / "ws", database_url, revision="0001")
    assert info["schema_version"] == "0001"
    old = Workspace(tmp_path / "ws", info)
    columns = {c["name"] for c in inspect(old.engine).get_columns("sample")}
    assert "ald_cycles" not in columns
    with old.engine.begin() as connection:  # a row written by the old code
        connection.execute(text("INSERT INTO sample (name, thickness_m) VALUES ('P1', 5e-4)"))
    old.close()
    with Workspace.open(tmp_path / "ws") as ws:
        assert current_revision(ws.engine) == SCHEMA_VERSION
        assert (
            json.loads((tmp_path / "ws" / "workspace.json").read_text())["schema_version"]
            == SCHEMA_VERSION
        )
        columns = {c["name"] for c in inspect(ws.engine).get_columns("sample")}
        assert {"ald_cycles", "anneal", "dopant"} <= columns
        assert "temperature_K" in {c["name"] for c in inspect(ws.engine).get_columns("measurement")}
        with ws.engine.connect() as connection:
            row = connection.execute(text("SELECT name, thickness_m, ald_cycles FROM sample"))
            assert row.one() == ("P1", 5e-4, None)
        assert ws.counts()["samples"] == 1 and ws.check_integrity() == []
        (tmp_path / "in").mkdir()
        shutil.copy(EIS_FILES[0], tmp_path / "in")
        assert ws.ingest(tmp_path / "in").new == 1  # the migrated catalogue takes new rows


def test_integrity_check_flags_a_deleted_or_altered_array(tmp_path, database_url):
    (tmp_path / "in").mkdir()
    for path in EIS_FILES[:2]:
        shutil.copy(path, tmp_path / "in")
    with Workspace.init(tmp_path / "ws", database_url) as ws:
        ws.ingest(tmp_path / "in")
        arrays = ws.query("measurements")["array"].tolist()
        assert ws.check_integrity() == []
        (ws.path / arrays[0]).unlink()
        (ws.path / arrays[1]).write_bytes(b"PAR1 not the stored table")
        problems = ws.check_integrity()
        assert len(problems) == 2
        assert "missing" in problems[0] and arrays[0] in problems[0]
        assert "does not match" in problems[1] and arrays[1] in problems[1]
