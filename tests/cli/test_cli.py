"""The CLI: exit codes, --json keys, rich output, exports and figures."""

import json

import pandas as pd
import pytest

from ssblab import __version__
from ssblab.cli.main import run


def call(capsys, *argv):
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys):
    code, out, _ = call(capsys, "--version")
    assert code == 0
    assert out.strip() == f"ssblab {__version__}"


def test_help_lists_commands(capsys):
    code, out, _ = call(capsys, "--help")
    assert code == 0
    assert "composition" in out and "kb" in out


def test_composition_json_keys(capsys):
    code, out, _ = call(capsys, "composition", "Li6.4La3Zr1.4Ta0.6O12", "--json")
    assert code == 0
    data = json.loads(out)
    for key in ("formula", "charge_balance", "neutral", "family", "li_vacancies_pfu",
                "molar_mass_g_mol", "reducible_by_li", "notes"):  # fmt: skip
        assert key in data
    assert data["neutral"] is True
    assert data["li_vacancies_pfu"] == pytest.approx(0.6)


def test_composition_rich_output(capsys):
    code, out, _ = call(capsys, "composition", "Li6.02Al0.2La3Zr2O12")
    assert code == 0
    assert "NOT neutral" in out and "garnet" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["composition", "Li2Xx"], "unknown element 'Xx'"),
        (["composition", "(Li2O"], "unbalanced parentheses"),
        (["composition", "Li-2O"], "negative"),
        (["composition", "LiPuO2"], "no fixed oxidation state"),
        (["composition", "Li2O", "--oxidation", "Li"], "expected ELEMENT=N"),
        (["kb", "show", "s999-nothing"], "no record with id"),
        (["kb", "search", "--property", "ionic_conductivity", "--min", "3 V"], "not a unit"),
        (
            ["kb", "search", "--property", "ionic_conductivity", "--min", "lots"],
            "cannot parse quantity",
        ),
        (["no-such-command"], "No such command"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, argv, message):
    code, _, err = call(capsys, *argv)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_kb_stats_json(capsys):
    code, out, _ = call(capsys, "kb", "stats", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["records"] >= 200
    assert set(data["by_source"]) == {
        "000_e191965a6f97e71c.txt",
        "001_50a2201e95c2ed08.txt",
        "002_e4ff307fec34659e.txt",
        "003_2dd48e6c264f94e2.txt",
        "004_1c007398bd086bfb.txt",
    }
    assert sum(data["by_property"].values()) == data["records"]


def test_kb_search_show_round_trip(capsys):
    code, out, _ = call(capsys, "kb", "search", "--property", "ionic_conductivity",
                        "--family", "garnet", "--min", "1 mS/cm", "--json")  # fmt: skip
    assert code == 0
    found = json.loads(out)
    assert found["count"] >= 3
    first = found["records"][0]
    code, out, _ = call(capsys, "kb", "show", first["id"], "--json")
    assert json.loads(out)["value"] == first["value"]
    code, out, _ = call(capsys, "kb", "show", first["id"])
    assert code == 0 and first["material"] in out


def test_kb_search_rich_table(capsys):
    code, out, _ = call(capsys, "kb", "search", "--flag", "inconsistent", "--limit", "0")
    assert code == 0
    assert "records" in out


def test_kb_export_csv_and_json(capsys, tmp_path):
    csv_path = tmp_path / "kb.csv"
    assert call(capsys, "kb", "export", "--format", "csv", "--output", str(csv_path))[0] == 0
    frame = pd.read_csv(csv_path)
    assert len(frame) >= 200
    assert {"value", "unit", "value_si", "unit_si", "source_file"} <= set(frame.columns)
    code, out, _ = call(capsys, "kb", "export", "--format", "json")
    assert code == 0 and len(json.loads(out)) == len(frame)
    summary_path = tmp_path / "summary.csv"
    assert call(capsys, "kb", "export", "--summary", "--output", str(summary_path))[0] == 0
    assert pd.read_csv(summary_path)["records"].sum() == len(frame)


def test_kb_plot_writes_png(capsys, tmp_path):
    path = tmp_path / "fig.png"
    code, out, _ = call(capsys, "kb", "plot", "--output", str(path), "--json")
    assert code == 0
    assert json.loads(out)["figure"] == str(path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_importing_the_cli_loads_no_heavy_library():
    """Issue 9 §5: every command starts fast because the CLI imports numerics lazily."""
    import subprocess
    import sys

    heavy = ("matplotlib", "scipy", "scipy.stats", "pymatgen", "numpy", "pandas", "pint")
    code = f"import sys, ssblab.cli.main; print([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    version = (
        "import sys; sys.argv = ['ssblab', '--version']; from ssblab.cli import launcher\n"
        "try:\n    launcher.main()\nexcept SystemExit:\n    pass\n"
        "print('typer' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", version], capture_output=True, text=True)
    from ssblab import __version__

    assert out.stdout.splitlines() == [f"ssblab {__version__}", "False"]
