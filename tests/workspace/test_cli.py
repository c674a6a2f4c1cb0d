"""``ssblab workspace init|status``, ``ingest``, ``analyse``, ``query``, ``export --bdf`` end to
end through the CLI entry point: --json payloads, CSV output, one-line errors with exit 2."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ssblab.cli.main import run
from tests.workspace.test_ingest import make_lab


def call(capsys, *argv):
    code = run([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_workspace_commands_end_to_end(tmp_path, capsys, monkeypatch):
    samples = make_lab(tmp_path)
    monkeypatch.chdir(tmp_path)  # the default workspace ./ssblab-workspace
    code, out, _ = call(capsys, "workspace", "init", "--json")
    assert code == 0 and json.loads(out)["backend"] == "sqlite"
    assert (tmp_path / "ssblab-workspace" / "workspace.json").is_file()
    (tmp_path / "data" / "junk.bin").write_bytes(b"\x00\x01\x02 not a cycler file")
    code, out, _ = call(capsys, "ingest", "data", "--samples", samples, "--json")
    assert code == 0 and json.loads(out) == {"new": 8, "duplicate": 0, "failed": 1, "notes": []}
    code, out, _ = call(capsys, "ingest", "data", "--json")
    assert json.loads(out)["duplicate"] == 8
    code, out, _ = call(capsys, "analyse", "--kind", "kk", "--kind", "symmetric",
                        "--executor", "serial", "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["ran"] == 6
    code, out, _ = call(capsys, "analyse", "--kind", "kk", "--where", "sample=LLZTO-1", "--json")
    assert json.loads(out) == {"ran": 0, "fresh": 5, "failed": 0, "notes": []}
    code, out, _ = call(capsys, "query", "ccd", "--json")
    (row,) = json.loads(out)
    assert row["sample"] == "LLZTO-2" and row["asr_initial_ohm_cm2"] == pytest.approx(100.0)
    code, out, _ = call(capsys, "query", "measurements", "--csv", tmp_path / "m.csv")
    assert code == 0 and len(pd.read_csv(tmp_path / "m.csv")) == 8
    code, out, _ = call(capsys, "query", "analyses")
    assert code == 0 and "analyses: 6 rows" in out
    code, out, _ = call(capsys, "workspace", "status", "--check", "--json")
    status = json.loads(out)
    assert status["counts"]["failed_measurements"] == 1 and status["problems"] == []
    code, out, _ = call(capsys, "export", "--bdf", tmp_path / "bdf", "--json")
    assert code == 0 and len(json.loads(out)["files"]) == 7


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["workspace", "status", "-w", "{tmp}/none"], "not an ssblab workspace"),
        (["ingest", "{tmp}/nowhere", "-w", "{tmp}/ws"], "no such folder"),
        (["ingest", "{tmp}", "-w", "{tmp}/ws", "--samples", "{tmp}/no.csv"], "--samples"),
        (["analyse", "-w", "{tmp}/ws", "--kind", "xrd"], "--kind 'xrd'"),
        (["analyse", "-w", "{tmp}/ws", "--where", "colour=red"], "--where"),
        (["analyse", "-w", "{tmp}/ws", "--executor", "mpi"], "--executor"),
        (["analyse", "-w", "{tmp}/ws", "--workers", "0"], "--workers"),
        (["query", "everything", "-w", "{tmp}/ws"], "query 'everything'"),
        (["workspace", "init", "{tmp}/ws"], "already holds a workspace"),
        (["workspace", "init", "{tmp}/ws2", "--database", "mysql://x"], "--database"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, argv, message):
    assert run(["workspace", "init", str(tmp_path / "ws")]) == 0
    capsys.readouterr()
    code, _, err = call(capsys, *(a.format(tmp=tmp_path) for a in argv))
    assert code == 2
    assert err.count("\n") == 1 and message in err
