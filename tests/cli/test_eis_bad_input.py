"""Bad input to ``ssblab eis …`` exits 2 with one line (issue 9 §4); errors raised in the
analysis after reading name the file and spectrum; no RuntimeWarning ever reaches stderr."""

from __future__ import annotations

from pathlib import Path

import pytest

from ssblab.cli.main import run

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "eis"
SERIES = EXAMPLES / "llzto_pellet_series"
ONE = str(SERIES / "llzto_m40C.txt")
TWO = [ONE, str(SERIES / "llzto_m50C.txt")]
GEOMETRY = ["--thickness", "0.5 mm", "--diameter", "12 mm"]
TEMPS = ["--temperature", "-40 degC", "--temperature", "-50 degC"]


def cases(tmp: Path):
    a_file = tmp / "a_file.txt"
    a_file.write_text("not a folder\n")
    no_columns = tmp / "t.csv"
    no_columns.write_text("name,T\nllzto_m40C.txt,-40 degC\n")
    bad_value = tmp / "bad.csv"
    bad_value.write_text("file,temperature\nllzto_m40C.txt,-40 degC\nllzto_m50C.txt,1e308 K\n")
    binary = tmp / "binary.csv"
    binary.write_bytes(b"file,temperature\n\xff\xfe\x00bad\n")
    arr = ["eis", "arrhenius", *TWO, *GEOMETRY]
    return [
        (["eis", "drt", str(EXAMPLES / "zplot_measured.z"), "--plot", str(ROOT / "README.md")],
         "is a file"),
        (["eis", "fit", ONE, "--plot", str(a_file)], "is a file"),
        ([*arr, *TEMPS, "--plot", str(a_file)], "is a file"),
        (["eis", "fit", ONE, "--plot", str(tmp / "missing" / "figs")], "does not exist"),
        ([*arr, "--temperatures", str(tmp / "missing.csv")], "no such file"),
        ([*arr, "--temperatures", str(tmp)], "is a folder"),
        ([*arr, "--temperatures", str(no_columns)], "needs columns 'file' and 'temperature'"),
        ([*arr, "--temperatures", str(bad_value)], "line 3"),
        ([*arr, "--temperatures", str(binary)], "not a UTF-8 text file"),
        ([*arr, "--temperature", "1e308 K", "--temperature", "300 K"], "outside (0, 5000] K"),
        ([*arr, *TEMPS, "--at", "-300 degC"], "--at"),
        ([*arr, *TEMPS, "--reported-ea", "1e308 eV"], "--reported-ea"),
        ([*arr, *TEMPS, "--model", "vft"], "--model"),
        ([*arr, *TEMPS, "--quantity", "gb"], "--quantity"),
        (["eis", "conductivity", ONE, "--thickness", "1e308 m", "--diameter", "12 mm"],
         "outside (0, 1] m"),
        (["eis", "conductivity", ONE, "--thickness", "1e400 m", "--diameter", "12 mm"],
         "not a finite number"),
        (["eis", "conductivity", ONE, "--thickness", "0.5 mm", "--diameter", "1e308 m"],
         "--diameter"),
        (["eis", "conductivity", ONE, "--thickness", "0.5 mm", "--area", "1e308 m^2"], "--area"),
        (["eis", "conductivity", ONE, "--thickness", "0.5 mm", "--diameter", "-12 mm"],
         "--diameter"),
        (["eis", "conductivity", ONE, "--thickness", "0 mm", "--diameter", "12 mm"],
         "--thickness"),
        (["eis", "conductivity", ONE, "--thickness", "0.5 mm", "--area", "0 cm^2"], "--area"),
        (["eis", "conductivity", ONE, *GEOMETRY, "--cell", "coin"], "--cell"),
        (["eis", "fit", ONE, "--cell", "coin"], "--cell"),
        (["eis", "fit", ONE, "--weighting", "cubic"], "--weighting"),
        (["eis", "drt", ONE, "--lambda", "-1"], "--lambda"),
        (["eis", "drt", ONE, "--lambda", "1e400"], "--lambda"),
    ]  # fmt: skip


def test_every_case_exits_2_with_one_line(tmp_path, capsys):
    failures = []
    for argv, message in cases(tmp_path):
        code = run(argv)
        _, err = capsys.readouterr()
        lines = err.strip().splitlines()
        ok = code == 2 and len(lines) == 1 and message in err and "Traceback" not in err
        if not ok:
            failures.append(f"{' '.join(argv)} -> exit {code}: {err.strip()!r}")
    assert not failures, "\n".join(failures)


def test_an_error_raised_in_the_analysis_names_the_file_and_spectrum(tmp_path, capsys):
    """Two points read fine but no circuit fits them: the message names file and spectrum."""
    path = tmp_path / "two_points.csv"
    path.write_text("freq/Hz,Re(Z)/Ohm,-Im(Z)/Ohm\n1000,10,5\n100,20,8\n")
    code = run(["eis", "fit", str(path)])
    _, err = capsys.readouterr()
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "two_points.csv#0:" in err and "too few" in err


def test_a_refused_spectrum_of_several_names_that_spectrum(capsys, tmp_path):
    from tests.cli.test_eis_conductivity import arc_above_the_window

    files = [str(SERIES / "llzto_m40C.txt"), str(arc_above_the_window(tmp_path))]
    code = run(["eis", "conductivity", *files, *GEOMETRY])
    _, err = capsys.readouterr()
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "arc_above_the_window.csv#0: σ_bulk not resolved" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["eis", "fit", *sorted(str(p) for p in EXAMPLES.glob("*.mpt"))],
        ["eis", "fit", str(EXAMPLES / "table_polar_2loops.csv"), "--circuit",
         "R0-p(R1,CPE1)-p(R2,CPE2)-CPE3"],
        ["eis", "kk", *sorted(str(p) for p in EXAMPLES.glob("*.z"))],
        ["eis", "conductivity", *sorted(str(p) for p in SERIES.glob("*.txt")), *GEOMETRY],
    ],
    ids=["fit-auto", "fit-forced-tail", "kk", "conductivity"],
)  # fmt: skip
def test_no_runtime_warning_reaches_stderr(capsys, argv):
    code = run(argv)
    _, err = capsys.readouterr()
    assert code == 0
    assert "Warning" not in err and "floating-point" not in err
    assert err == ""
