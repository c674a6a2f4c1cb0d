"""``ssblab cycle …`` on the bundled seed-000 cells (LANDdt layout)."""

import json
from pathlib import Path

import pytest

from ssblab.cli.main import run

DEMO = Path(__file__).resolve().parents[2] / "examples" / "cycling" / "demo"
TRUTH = json.loads((DEMO / "truth.json").read_text())
SYMMETRIC = str(DEMO / TRUTH["symmetric"]["file"])
FULL = ["--loading", "1.9 mg/cm^2", "--area", "1.13 cm^2", "--nominal", "180 mAh/g"]


def call(capsys, *argv):
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_symmetric_json_keys_and_short(capsys, tmp_path):
    code, out, _ = call(
        capsys,
        "cycle",
        "symmetric",
        SYMMETRIC,
        "--diameter",
        "12 mm",
        "--json",
        "--plot",
        str(tmp_path),
    )
    assert code == 0
    data = json.loads(out)
    assert data["short_circuit"] is True
    assert data["lifetime_h"] == pytest.approx(60.0, abs=1.0)
    first = data["half_cycles"][0]
    assert {"start_h", "end_h", "kind", "overpotential_V", "asr_ohm_cm2"} <= set(first)
    assert first["asr_ohm_cm2"] == pytest.approx(50.0, rel=0.03)
    assert all(Path(f).read_bytes()[:4] == b"\x89PNG" for f in data["figures"])


def test_symmetric_area_from_current_density(capsys):
    code, out, _ = call(
        capsys, "cycle", "symmetric", SYMMETRIC, "--current-density", "1 mA/cm^2", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["area_m2"] == pytest.approx(TRUTH["symmetric"]["area_m2"], rel=1e-3)
    assert any("implied by the current" in n for n in data["notes"])


@pytest.mark.parametrize("name", ["bare", "annealed"])
def test_full_cell_retention_matches_seed000(capsys, name):
    path = str(DEMO / TRUTH["full"][name]["file"])
    code, out, _ = call(capsys, "cycle", "full", path, *FULL, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["retention_percent"] == pytest.approx(
        TRUTH["full"][name]["retention_percent"], abs=0.1
    )
    assert data["reference_cycle"] == 3
    assert {"cycle", "discharge_mAh_g", "coulombic_efficiency"} <= set(data["cycles"][0])
    assert data["fade_model"]["best_model"]


def test_full_cell_rich_output(capsys):
    code, out, _ = call(capsys, "cycle", "full", str(DEMO / TRUTH["full"]["bare"]["file"]), *FULL)
    assert code == 0 and "capacity retention: 46.7 %" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["cycle", "symmetric", SYMMETRIC], "--area or --diameter"),
        (["cycle", "symmetric", SYMMETRIC, "--diameter", "12 kg"], "--diameter"),
        (["cycle", "symmetric", SYMMETRIC, "--area", "1 cm^2", "--diameter", "1 mm"], "not both"),
        (["cycle", "full", SYMMETRIC, "--loading", "1 mg/cm^2"], "--loading needs --area"),
        (["cycle", "full", SYMMETRIC, "--mass", "1 mg", "--nominal", "3 V"], "--nominal"),
        (["cycle", "symmetric", "/nonexistent.csv", "--diameter", "1 cm"], "nonexistent.csv"),
    ],
)
def test_bad_input_exits_2(capsys, argv, message):
    code, _, err = call(capsys, *argv)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
