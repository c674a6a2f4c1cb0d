"""``ssblab cycle``: data the analysis is not made for are refused (exit 2, one line naming the
file; ``--force`` to override with a warning), bad options exit 2 with one line, no floating-point
warning reaches stderr, and the command module imports no numerical library at start-up.

Real files come from ``../shared/real-data`` (skipped when absent, like ``tests/io``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ssblab.cli.main import run
from ssblab.cycling.synthetic_fullcell import fullcell_trace
from tests.io.test_cycling_real_files import REAL_DATA, real_file

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "examples" / "cycling" / "demo"
SYMMETRIC = str(DEMO / "llzto_bare_symmetric.csv")
FULL = str(DEMO / "nmc811_bare_full.csv")
HALF_AND_FULL = [
    "biologic-mpt/latp_foil_li_lp30_gcpl.mpt",
    "neware-csv/neware_uio_export.csv",
    "arbin-xlsx/arbin_graphite_li_halfcell_ch11.xlsx",
]


def call(capsys, *argv):
    code = run([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "Warning" not in err
    return lines[0]


# --------------------------------------------------------------------------- item 1


@pytest.mark.parametrize("relative", HALF_AND_FULL)
def test_symmetric_refuses_real_half_and_full_cells(capsys, relative):
    path = real_file(relative)
    code, out, err = call(capsys, "cycle", "symmetric", path, "--diameter", "12 mm")
    assert code == 2 and out == ""
    line = one_line(err)
    assert line.startswith(f"error: {path}: not a Li | Li symmetric cell: ")
    assert "--force" in line
    code, out, err = call(capsys, "cycle", "symmetric", path, "--diameter", "12 mm", "--force",
                          "--json")  # fmt: skip
    assert code == 0 and err == ""
    payload = json.loads(out)
    assert payload["cell_check"]["symmetric"] is False
    assert len(payload["warnings"]) == 1 and "--force" in payload["warnings"][0]
    code, out, err = call(capsys, "cycle", "symmetric", path, "--diameter", "12 mm", "--force")
    assert code == 0 and "warning: analysed as a Li | Li cell on request" in out


def test_symmetric_refuses_the_demo_full_cell_and_accepts_the_symmetric_ones(capsys):
    code, _, err = call(capsys, "cycle", "symmetric", FULL, "--diameter", "12 mm")
    assert code == 2 and "both on the same side of 0 V" in one_line(err) and FULL in err
    code, out, err = call(capsys, "cycle", "symmetric", SYMMETRIC, "--diameter", "12 mm")
    assert code == 0 and err == "" and "Li | Li cell: strip +0.0504 V, plate -0.0505 V" in out
    lili = real_file("biologic-mpr/lili_tegdme_insitu_gcpl.mpr")
    code, out, err = call(capsys, "cycle", "symmetric", lili, "--diameter", "12 mm", "--json")
    assert code == 0 and err == ""
    payload = json.loads(out)
    assert payload["cell_check"]["symmetric"] is True and payload["warnings"] == []


# --------------------------------------------------------------------------- item 2


def test_full_on_a_graphite_half_cell_says_so(capsys):
    path = real_file("arbin-xlsx/arbin_graphite_li_halfcell_ch11.xlsx")
    code, out, err = call(capsys, "cycle", "full", path, "--json")
    assert code == 0 and err == ""
    payload = json.loads(out)
    assert payload["first_step"] == "discharge" and payload["cycles_recounted"] is True
    assert any("anode" in note and "lithiation" in note for note in payload["notes"])
    assert 0.97 < payload["cycles"][0]["coulombic_efficiency"] < 1.0  # delith/lith, not > 1
    code, out, _ = call(capsys, "cycle", "full", path)
    assert code == 0 and "(discharge first)" in out and "note: low-voltage working electrode" in out


@pytest.fixture
def inverted_csv(tmp_path):
    """A cathode cell written with the current sign inverted (CE truth 0.99)."""
    table = fullcell_trace(
        np.linspace(170, 165, 6), nominal_capacity=180.0, active_mass_g=2e-3,
        coulombic_efficiency=0.99, rest_s=600.0,
    )  # fmt: skip
    swap = {"charge": "discharge", "discharge": "charge"}
    flipped = table.assign(
        current_A=-table["current_A"],
        cumulative_capacity_Ah=-table["cumulative_capacity_Ah"],
        step_type=table["step_type"].map(swap).fillna(table["step_type"]),
    )
    path = tmp_path / "inverted_current.csv"
    flipped.to_csv(path, index=False)
    return path


def test_full_refuses_an_inverted_current_and_flips_it_on_request(capsys, inverted_csv):
    code, out, err = call(capsys, "cycle", "full", inverted_csv)
    assert code == 2 and out == ""
    line = one_line(err)
    assert line.startswith(f"error: {inverted_csv}: the current sign is inverted")
    assert "--invert-current" in line
    code, out, err = call(capsys, "cycle", "full", inverted_csv, "--invert-current", "--json")
    assert code == 0 and err == ""
    payload = json.loads(out)
    ce = [c["coulombic_efficiency"] for c in payload["cycles"]]
    assert ce == pytest.approx([0.99] * 6, rel=1e-6)
    assert any("current sign inverted on request" in note for note in payload["reader_notes"])
    code, out, err = call(capsys, "cycle", "full", inverted_csv, "--force", "--json")
    assert code == 0 and err == ""
    assert any("cell checks overridden" in w for w in json.loads(out)["warnings"])


def test_full_refuses_symmetric_data(capsys):
    code, _, err = call(capsys, "cycle", "full", SYMMETRIC)
    assert code == 2 and "use the symmetric-cell analysis" in one_line(err)
    assert SYMMETRIC in err


# --------------------------------------------------------------------------- item 3


def bad_cases(tmp: Path):
    a_file = tmp / "a_file.png"
    a_file.write_bytes(b"")
    sym = ["cycle", "symmetric", SYMMETRIC]
    full = ["cycle", "full", FULL]
    return [
        ([*sym, "--diameter", "-12 mm"], "--diameter: '-12 mm' is -0.012 m, outside"),
        ([*sym, "--diameter", "0 mm"], "--diameter"),
        ([*sym, "--area", "0 cm^2"], "--area"),
        ([*sym, "--area", "1e308 m^2"], "--area"),
        ([*sym, "--area", "1e400 m^2"], "--area"),
        ([*sym, "--current-density", "0 mA/cm^2"], "--current-density"),
        ([*sym, "--current-density", "1e308 mA/cm^2"], "--current-density"),
        ([*sym, "--diameter", "12 mm", "--voltage-limit", "-5 V"], "--voltage-limit"),
        ([*sym, "--diameter", "12 mm", "--voltage-limit", "1e308 V"], "--voltage-limit"),
        ([*sym, "--diameter", "12 mm", "--plot", a_file], "is a file"),
        ([*sym, "--diameter", "12 mm", "--plot", tmp / "missing" / "figs"], "does not exist"),
        ([*sym, "--diameter", "12 mm", "--eis", tmp / "no.txt"], "--eis"),
        ([*full, "--eol", "1.5"], "--eol must lie in (0, 1)"),
        ([*full, "--eol", "nan"], "--eol must lie in (0, 1)"),
        ([*full, "--eol", "0"], "--eol must lie in (0, 1)"),
        ([*full, "--eol", "inf"], "--eol must lie in (0, 1)"),
        ([*full, "--mass", "0 mg"], "--mass"),
        ([*full, "--mass", "1e308 kg"], "--mass"),
        ([*full, "--mass", "-3 mg"], "--mass"),
        ([*full, "--loading", "inf mg/cm^2", "--area", "1 cm^2"], "inf"),
        ([*full, "--loading", "1e308 mg/cm^2", "--area", "1 cm^2"], "--loading"),
        ([*full, "--loading", "2 mg/cm^2", "--area", "0 cm^2"], "--area"),
        ([*full, "--nominal", "1e308 mAh/g", "--mass", "2 mg"], "--nominal"),
        ([*full, "--nominal", "0 mAh"], "--nominal"),
        ([*full, "--plot", a_file], "is a file"),
        ([*full, "--plot", tmp / "missing" / "figs"], "does not exist"),
        ([*full, "--formation", "-1"], "--formation must be >= 0"),
        ([*full, "--first-step", "plate"], "--first-step"),
        # raised by the analysis after reading: the message names the file
        ([*full, "--formation", "999"], f"{FULL}: formation_cycles: 999"),
        ([*full, "--reference-cycle", "999"], f"{FULL}: reference_cycle: cycle 999 not in"),
        ([*full, "--reference-cycle", "-3"], f"{FULL}: reference_cycle: cycle -3 not in"),
    ]


def test_bad_input_exits_2_with_one_line(capsys, tmp_path):
    failures = []
    for argv, message in bad_cases(tmp_path):
        code, out, err = call(capsys, *argv)
        lines = err.strip().splitlines()
        ok = (
            code == 2
            and out == ""
            and len(lines) == 1
            and lines[0].startswith("error: ")
            and message in err
            and "Traceback" not in err
            and "Warning" not in err
        )
        if not ok:
            failures.append(f"{' '.join(map(str, argv))} -> exit {code}: {err.strip()!r}")
    assert not failures, "\n".join(failures)
    assert not (tmp_path / "missing").exists()


def test_unreadable_file_is_named(capsys, tmp_path):
    junk = tmp_path / "junk.csv"
    junk.write_text("a,b\nx,y\n")
    code, _, err = call(capsys, "cycle", "full", junk)
    assert code == 2 and "junk.csv" in one_line(err)


def test_no_floating_point_warning_on_any_real_file(capsys, tmp_path):
    if not (REAL_DATA / "cycling").is_dir():
        pytest.skip("../shared/real-data is absent")
    files = sorted(p for p in (REAL_DATA / "cycling").glob("*/*") if p.is_file())
    assert len(files) >= 10
    for path in files:
        for argv in (
            ["cycle", "symmetric", path, "--diameter", "12 mm", "--force", "--json"],
            ["cycle", "full", path, "--force", "--json"],
        ):
            code, _, err = call(capsys, *argv)
            assert code in (0, 2), (argv, err)
            assert "floating-point" not in err and "Warning" not in err, (argv, err)
            if code == 2:  # a file with nothing to analyse (only rests): one line naming it
                assert path.name in one_line(err)
    figures = tmp_path / "figures"
    for relative in HALF_AND_FULL:
        code, _, err = call(capsys, "cycle", "full", real_file(relative), "--plot", figures)
        assert code == 0 and err == "", err


# --------------------------------------------------------------------------- item 4


def test_command_module_imports_no_numerical_library():
    probe = (
        "import sys, ssblab.cli.cycle_cmd; "
        "print([m for m in ('numpy', 'pandas', 'matplotlib', 'scipy') if m in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip() == "[]"


def test_progress_bar_on_a_terminal_only(capsys, monkeypatch, tmp_path):
    code, _, err = call(capsys, "cycle", "symmetric", SYMMETRIC, "--diameter", "12 mm")
    assert code == 0 and err == ""  # not a terminal: nothing on stderr
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    stages = []
    from ssblab.cli import cycle_cmd

    real = cycle_cmd.progress_bar

    def spy(description, total, *, disable=False):
        bar = real(description, total, disable=disable)
        stages.append((description, total, disable))
        return bar

    monkeypatch.setattr(cycle_cmd, "progress_bar", spy)
    code, _, _ = call(capsys, "cycle", "full", FULL, "--plot", tmp_path)
    assert code == 0
    assert stages == [("reading nmc811_bare_full.csv", 4, False)]
