"""Bad input at the CLI: every case exits 2 with one line on stderr, no traceback, no warning.

The cases are the ones a new user hit (issue 9 §4): output paths that cannot be written, figure
folders that are files, values that overflow, bounds that make no sense, filters that cannot
apply, and a current density the simulated cell cannot carry.
"""

from __future__ import annotations

from ssblab.cli.main import run

SIM = ["simulate", "symmetric", "--set", "llzto_bare", "--cycles", "1"]


def cases(tmp):
    missing = tmp / "missing" / "out.json"
    a_file = tmp / "a_file.txt"
    a_file.write_text("not a folder\n")
    return [
        (["kb", "export", "--output", str(tmp)], "is a folder"),
        (["kb", "export", "--output", str(tmp / "missing" / "kb.csv")], "does not exist"),
        (["kb", "plot", "--output", str(tmp)], "is a folder"),
        (["kb", "plot", "--output", str(tmp / "missing" / "fig.png")], "does not exist"),
        (["kb", "plot", "--output", str(tmp / "fig.xyz")], "unsupported file type"),
        (["replicate", "000", "--output", str(tmp)], "is a folder"),
        (["replicate", "000", "--output", str(missing)], "does not exist"),
        (["replicate", "000", "--plot", str(a_file)], "is a file"),
        (["replicate", "000", "--lhs", "-1"], "--lhs must be >= 0"),
        ([*SIM, "--current-density", "1 mA/cm^2", "--output", str(tmp)], "is a folder"),
        ([*SIM, "--current-density", "1 mA/cm^2", "--output", str(missing)], "does not exist"),
        ([*SIM, "--current-density", "1 mA/cm^2", "--plot", str(a_file)], "is a file"),
        ([*SIM, "--current-density", "1e308 mA/cm^2"], "not a finite number"),
        ([*SIM, "--current-density", "1e400 mA/cm^2"], "not a finite number"),
        ([*SIM, "--current-density", "1 mA/cm^2", "--step", "1e308 h"], "not a finite number"),
        ([*SIM, "--current-density", "1e6 mA/cm^2"], "cannot carry it"),
        ([*SIM, "--staircase", "0.1,1e8 mA/cm^2"], "cannot carry it"),
        (["kb", "search", "--limit", "-5"], "--limit must be >= 0"),
        (["kb", "search", "--min", "1e-4 S/cm"], "need --property"),
        (["kb", "search", "--family", "spinel"], "unknown family"),
        (["composition", "Li7La3Zr2O12", "--family", "spinel"], "unknown family"),
        (["composition", "Li1e400La3Zr2O12"], "not a formula amount"),
        (["composition", "Li1e23La3Zr2O12"], "not a formula amount"),
        (["composition", "(Li9000)2O"], "not a formula amount"),
    ]


def test_every_case_exits_2_with_one_line(tmp_path, capsys):
    failures = []
    for argv, message in cases(tmp_path):
        code = run(argv)
        _, err = capsys.readouterr()
        lines = err.strip().splitlines()
        ok = (
            code == 2
            and len(lines) == 1
            and message in err
            and "Traceback" not in err
            and "Warning" not in err
        )
        if not ok:
            failures.append(f"{' '.join(argv)} -> exit {code}: {err.strip()!r}")
    assert not failures, "\n".join(failures)


def test_tiny_amounts_are_not_called_negative(capsys):
    # "1e-3" is a positive amount written with an exponent, not a minus sign
    assert run(["composition", "Li6.999Al1e-3La3Zr2O12", "--json"]) == 0


def test_a_missing_figure_folder_is_created(tmp_path, capsys):
    folder = tmp_path / "figures"
    code = run([*SIM, "--current-density", "0.1 mA/cm^2", "--plot", str(folder), "--json"])
    assert code == 0 and folder.is_dir() and any(folder.glob("*.png"))


def test_no_filament_grows_faster_than_the_current_that_flows():
    """At compliance the cycler delivers only j·V_limit/|V| (nothing once contact is lost), so a
    cell clipped at a low compliance shorts later than the same cell with ample compliance,
    and its filament never grows while no current flows."""
    from dataclasses import replace

    from ssblab.models.parameter_schema import parameter_set
    from ssblab.models.simulator import constant_current_protocol, simulate_symmetric

    _, params = parameter_set("llzto_bare")
    params = replace(params, stack_pressure=3e6)  # a lab press: contact is lost on stripping
    protocol = constant_current_protocol(20.0, 40, step_time_s=3600.0)  # 2 mA/cm^2
    ample = simulate_symmetric(replace(params, voltage_limit=1e4), protocol)
    clipped = simulate_symmetric(replace(params, voltage_limit=0.23), protocol)
    assert ample.short_time_s is not None
    assert "clipped" in " ".join(clipped.notes)
    assert clipped.short_time_s is None or clipped.short_time_s > 1.05 * ample.short_time_s
