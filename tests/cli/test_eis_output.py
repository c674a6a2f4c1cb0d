"""What ``ssblab eis …`` shows: units on every parameter, the runner-up and ΔBIC, warnings in
yellow and in ``--json``, Arrhenius extrapolation, progress bars, and a light import."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from ssblab.cli.eis_output import json_units, parameter_units, print_warnings
from ssblab.cli.main import run

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "eis"
SERIES = EXAMPLES / "llzto_pellet_series"
REAL = ROOT.parent / "shared" / "real-data" / "eis"
GEOMETRY = ["--thickness", "0.5 mm", "--diameter", "12 mm"]
TEMPERATURES = ["--temperatures", str(SERIES / "temperatures.csv")]


def call(capsys, *argv):
    code = run([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("circuit", "units"),
    [
        ("R0-p(R1,CPE1)-CPE2", ("Ω", "Ω", "F·s^(α−1)", "–", "F·s^(α−1)", "–")),
        ("R0-L0-p(R1,C1)-W2", ("Ω", "H", "Ω", "F", "Ω·s^(−1/2)")),
        ("R0-La0-Wo1-Ws2", ("Ω", "Ω^(1/α)·s", "–", "Ω", "s", "Ω", "s")),
        ("R0-G1-Gs2-K3", ("Ω", "Ω", "s", "Ω", "s", "–", "Ω", "s")),
    ],
)
def test_every_element_parameter_has_a_unit(circuit, units):
    assert parameter_units(circuit) == units
    assert "1" in json_units(circuit).values() or "–" not in units


def test_fit_table_and_json_carry_units(capsys):
    argv = ["eis", "fit", SERIES / "llzto_m40C.txt", "--circuit", "R0-p(R1,CPE1)-W2"]
    code, out, _ = call(capsys, *argv)
    assert code == 0
    assert "│ unit" in out.replace("┃", "│") and "F·s^(α−1)" in out and "Ω·s^(−1/2)" in out
    code, out, _ = call(capsys, *argv, "--json")
    (item,) = json.loads(out)
    assert item["units"] == {"R0": "Ω", "R1": "Ω", "CPE1_0": "F·s^(α−1)", "CPE1_1": "1",
                             "W2": "Ω·s^(−1/2)"}  # fmt: skip
    assert item["units_ascii"]["CPE1_0"] == "Ohm^-1 s^a"
    assert set(item["units"]) == set(item["parameters"])


def test_auto_reports_the_runner_up_and_delta_bic(capsys):
    path = SERIES / "llzto_m40C.txt"
    code, out, _ = call(capsys, "eis", "fit", path, "--json")
    (item,) = json.loads(out)
    selection = item["selection"]
    assert selection["chosen"] == item["circuit"] == "R0-p(R1,CPE1)-p(R2,CPE2)-CPE3"
    rows = {row["circuit"]: row for row in selection["candidates"]}
    runner = rows[selection["runner_up"]]
    assert selection["delta_bic"] == pytest.approx(runner["bic"] - rows[item["circuit"]]["bic"])
    assert selection["delta_bic"] > 2
    code, out, _ = call(capsys, "eis", "fit", path)
    assert code == 0
    assert f"runner-up {selection['runner_up']}" in out and "ΔBIC =" in out


def test_a_doubtful_fit_says_so_in_text_and_json(capsys):
    """The pellet circuit forced onto R0-RC-RC data: the tail CPE describes nothing."""
    argv = ["eis", "fit", EXAMPLES / "chi_ac_impedance.txt", "--circuit",
            "R0-p(R1,CPE1)-p(R2,CPE2)-CPE3"]  # fmt: skip
    code, out, _ = call(capsys, *argv, "--json")
    (item,) = json.loads(out)
    assert code == 0 and item["warnings"]
    assert any("CPE3" in w for w in item["warnings"])
    code, out, _ = call(capsys, *argv)
    assert out.count("warning: ") == len(item["warnings"])


def test_a_collapsed_series_resistance_is_a_warning_not_a_silent_result(capsys):
    """Issue 9: 'R0 = 3e-55 ± 349 Ω reported as converged with no warning'."""
    path = REAL / "biologic-mpt" / "latp_foil_li_lp30_peis_before.mpt"
    if not path.is_file():
        pytest.skip("latp_foil_li_lp30_peis_before.mpt: ../shared/real-data is absent")
    code, out, _ = call(capsys, "eis", "fit", path, "--circuit", "R0-L0-p(R1,CPE1)-p(R2,CPE2)-W3",
                        "--json")  # fmt: skip
    (item,) = json.loads(out)
    assert code == 0
    r0, r0_err = item["parameters"]["R0"], item["stderr"]["R0"]
    if r0 < 1e-3 or r0_err > r0:  # collapsed (the data reach 1.1 Ω) or undetermined: say it
        assert any(w.startswith("R0") for w in item["warnings"])
    assert any("Kramers–Kronig" in w for w in item["warnings"])  # this spectrum fails Lin-KK


def test_warnings_are_yellow():
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, color_system="standard", width=200)
    print_warnings(console, ["R0 collapsed [to zero]"])
    text = buffer.getvalue()
    assert "\x1b[33m" in text and "warning: R0 collapsed [to zero]" in text


def test_arrhenius_flags_room_temperature_from_a_cold_series(capsys):
    files = sorted(SERIES.glob("llzto_*.txt"))
    code, out, _ = call(capsys, "eis", "arrhenius", *files, *GEOMETRY, *TEMPERATURES, "--json")
    result = json.loads(out)
    assert code == 0 and result["extrapolation_K"] == pytest.approx(65.0)
    assert "65 K above the highest measured temperature (−40 °C)" in result["warnings"][0]
    code, out, _ = call(capsys, "eis", "arrhenius", *files, *GEOMETRY, *TEMPERATURES)
    assert "warning: σ(25 °C) is extrapolated 65 K above" in out
    code, out, _ = call(capsys, "eis", "arrhenius", *files, *GEOMETRY, *TEMPERATURES,
                        "--at", "-60 degC", "--json")  # fmt: skip
    result = json.loads(out)
    assert result["extrapolation_K"] == 0 and result["warnings"] == []
    assert result["extrapolation_temperature_K"] == pytest.approx(213.15)


def test_every_multi_spectrum_command_has_a_progress_bar(capsys, monkeypatch, tmp_path):
    import ssblab.cli.eis_cmd as eis_cmd

    bars = []
    original = eis_cmd.progress_bar

    def recording(description, total, *, disable=False):
        bars.append((description, total, disable))
        return original(description, total, disable=disable)

    monkeypatch.setattr(eis_cmd, "progress_bar", recording)
    files = sorted(SERIES.glob("llzto_*.txt"))
    for argv in (
        ["eis", "fit", *files],
        ["eis", "kk", *files],
        ["eis", "drt", *files],
        ["eis", "conductivity", *files, *GEOMETRY],
        ["eis", "arrhenius", *files, *GEOMETRY, *TEMPERATURES],
    ):
        bars.clear()
        code, _, err = call(capsys, *argv)
        assert code == 0 and err == ""  # the bar is transient: nothing left on stderr
        assert bars and bars[0][1] == len(files) and not bars[0][2], argv[:2]


def test_importing_the_eis_commands_loads_no_numerics():
    code = (
        "import sys, ssblab.cli.eis_cmd, ssblab.cli.eis_output, ssblab.cli.eis_inputs;"
        "print([m for m in ('numpy', 'scipy', 'matplotlib', 'pint') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_arrhenius_figure_shows_the_extrapolation(capsys, tmp_path):
    files = sorted(SERIES.glob("llzto_*.txt"))
    code, out, _ = call(capsys, "eis", "arrhenius", *files, *GEOMETRY, *TEMPERATURES,
                        "--plot", tmp_path, "--json")  # fmt: skip
    assert code == 0
    assert Path(json.loads(out)["figure"]).read_bytes()[:4] == b"\x89PNG"
