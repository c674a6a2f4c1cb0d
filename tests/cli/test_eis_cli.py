"""``ssblab eis …`` end to end on the bundled LLZTO series."""

import json
from pathlib import Path

import pytest

from ssblab.cli.main import run

SERIES = Path(__file__).resolve().parents[2] / "examples" / "eis" / "llzto_pellet_series"
FILES = sorted(str(p) for p in SERIES.glob("llzto_*.txt"))
GEOMETRY = ["--thickness", "0.5 mm", "--diameter", "12 mm"]


def call(capsys, *argv):
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_fit_json_keys_and_plots(capsys, tmp_path):
    code, out, _ = call(capsys, "eis", "fit", FILES[0], "--json", "--plot", str(tmp_path))
    assert code == 0
    (item,) = json.loads(out)
    for key in ("file", "circuit", "parameters", "stderr", "chi2", "weighting"):
        assert key in item
    assert item["circuit"] == "R0-p(R1,CPE1)-p(R2,CPE2)-CPE3"
    assert set(item["parameters"]) == set(item["stderr"])
    assert all(Path(f).read_bytes()[:4] == b"\x89PNG" for f in item["figures"])


def test_fit_with_given_circuit_prints_a_table(capsys):
    code, out, _ = call(capsys, "eis", "fit", FILES[0], "--circuit", "R0-p(R1,CPE1)-CPE2")
    assert code == 0
    assert "CPE1_1" in out and "reduced χ²" in out


def test_conductivity_json(capsys):
    truth = json.loads((SERIES / "truth.json").read_text())["spectra"]
    code, out, _ = call(capsys, "eis", "conductivity", FILES[2], *GEOMETRY, "--json")
    assert code == 0
    (row,) = json.loads(out)
    expected = next(s for s in truth if s["file"] == Path(FILES[2]).name)
    assert row["sigma_bulk_S_m"] == pytest.approx(expected["sigma_bulk_S_m"], rel=0.01)
    assert [arc["assignment"] for arc in row["arcs"]] == ["bulk", "grain_boundary"]


def test_arrhenius_recovers_the_bulk_activation_energy(capsys):
    temperatures = ["--temperatures", str(SERIES / "temperatures.csv")]
    code, out, _ = call(capsys, "eis", "arrhenius", *FILES, *GEOMETRY, *temperatures,
                        "--quantity", "bulk", "--json")  # fmt: skip
    assert code == 0
    result = json.loads(out)
    assert result["activation_energy_eV"] == pytest.approx(0.38, abs=0.003)
    assert result["sigma_extrapolated_S_m"] == pytest.approx(6.0e-2, rel=0.03)


def test_arrhenius_with_temperatures_in_order(capsys):
    given = []
    for name in FILES:
        celsius = -int(Path(name).stem.split("_m")[1].rstrip("C"))
        given += ["--temperature", f"{celsius} degC"]
    code, out, _ = call(capsys, "eis", "arrhenius", *FILES, *GEOMETRY, *given, "--json")
    assert code == 0 and json.loads(out)["n_points"] == len(FILES)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["eis", "conductivity", FILES[0], "--thickness", "0.5 kg", "--diameter", "12 mm"],
         "--thickness"),
        (["eis", "conductivity", FILES[0], "--thickness", "-1 mm", "--diameter", "12 mm"],
         "outside (0, 1] m"),
        (["eis", "conductivity", FILES[0], "--thickness", "1 mm"], "exactly one of"),
        (["eis", "arrhenius", *FILES, *GEOMETRY, "--temperature", "25 degC"], "give one each"),
        (["eis", "fit", FILES[0], "--circuit", "R0-Q9"], "unknown element"),
        (["eis", "drt", FILES[0], "--lambda", "lots"], "--lambda"),
        (["eis", "fit", "/nonexistent/file.txt"], "file.txt"),
    ],
)  # fmt: skip
def test_bad_input_exits_2(capsys, argv, message):
    code, _, err = call(capsys, *argv)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
