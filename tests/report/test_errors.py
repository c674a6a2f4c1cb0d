"""Bad input to ``ssblab report``: one line naming the file, sample or option, exit 2, no
traceback, and no report written."""

from __future__ import annotations

import pytest

from ssblab.cli.main import run
from tests.report.helpers import GEOMETRY, SERIES_FILES


def call(capsys, *argv):
    code = run([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_missing_file(tmp_path, capsys):
    out = tmp_path / "r.html"
    code, _, err = call(capsys, "report", SERIES_FILES[0], tmp_path / "nope.txt", "-o", out)
    assert code == 2 and "nope.txt" in _one_line(err) and "no such file" in err
    assert not out.exists()


def test_unreadable_file(tmp_path, capsys):
    junk = tmp_path / "notes.txt"
    junk.write_text("the pellet cracked on Tuesday\n", encoding="utf-8")
    code, _, err = call(capsys, "report", junk, "-o", tmp_path / "r.html")
    assert code == 2 and "notes.txt" in _one_line(err)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    code, _, err = call(capsys, "report", empty, "-o", tmp_path / "r.html")
    assert code == 2 and _one_line(err) == "error: empty.csv: the file is empty"


def test_unknown_sample_and_workspace(tmp_path, capsys):
    from ssblab.workspace import Workspace

    Workspace.init(tmp_path / "ws").close()
    code, _, err = call(capsys, "report", "LLZO-9", "--workspace", tmp_path / "ws",
                        "-o", tmp_path / "r.html")  # fmt: skip
    assert code == 2 and "'LLZO-9'" in _one_line(err)
    code, _, err = call(capsys, "report", "LLZO-9", "--workspace", tmp_path / "none",
                        "-o", tmp_path / "r.html")  # fmt: skip
    assert code == 2 and "none" in _one_line(err)
    code, _, err = call(capsys, "report", "a", "b", "--workspace", tmp_path / "ws",
                        "-o", tmp_path / "r.html")  # fmt: skip
    assert code == 2 and "one sample" in _one_line(err)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--cell", "coin"], "--cell 'coin'"),
        (["--figures", "some"], "--figures 'some'"),
        (["--thickness", "0.5 mm"], "--diameter or --area"),
        (
            [*GEOMETRY, "--temperature", "25 degC", "--temperature", "30 degC"],
            "2 temperatures for 1 spectra",
        ),
        (["--thickness", "-1 mm", "--diameter", "12 mm"], "--thickness"),
    ],
)
def test_bad_options(tmp_path, capsys, options, message):
    code, _, err = call(capsys, "report", SERIES_FILES[0], *options, "-o", tmp_path / "r.html")
    assert code == 2 and message in _one_line(err)


def test_bad_output(tmp_path, capsys):
    code, _, err = call(capsys, "report", SERIES_FILES[0], "-o", tmp_path / "no" / "r.html")
    assert code == 2 and "does not exist" in _one_line(err)
    code, _, err = call(capsys, "report", SERIES_FILES[0], "-o", tmp_path / "r.pdf")
    assert code == 2 and ".pdf" in _one_line(err)
