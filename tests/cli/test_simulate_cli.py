"""``ssblab simulate symmetric``: runs, analyses, writes the trace; bad input exits 2."""

import json

import pandas as pd
import pytest

from ssblab.cli.main import run
from ssblab.cycling.data import check_table


def call(capsys, *argv):
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


BASE = ("simulate", "symmetric", "--sample", "20 min")


def test_latp_json_with_trace(capsys, tmp_path):
    trace = tmp_path / "trace.csv"
    code, out, err = call(
        capsys, *BASE, "--set", "latp_bare", "--current-density", "0.01 mA/cm^2",
        "--step", "1 h", "--cycles", "20", "--output", str(trace), "--json",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["parameter_set"] == "latp_bare"
    assert data["simulation"]["parameters"]["sse_sigma_ion"] == pytest.approx(0.015)
    assert data["parameter_sources"]["sse_sigma_ion"]["source"].startswith("seed 004")
    halves = data["analysis"]["half_cycles"]
    assert len(halves) == 40
    assert halves[-1]["overpotential_V"] > halves[0]["overpotential_V"]
    assert data["analysis"]["short_circuit"] is False
    check_table(pd.read_csv(trace))


def test_ald_cycles_and_set_param(capsys):
    code, out, err = call(
        capsys, *BASE, "--set", "latp_ald_al2o3", "--ald-cycles", "50",
        "--current-density", "0.01 mA/cm^2", "--cycles", "2",
        "--set-param", "sse_thickness=0.8 mm", "--json",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    params = data["simulation"]["parameters"]
    assert params["ald_cycles"] == 50
    assert params["sse_thickness"] == pytest.approx(0.8e-3)


def test_short_reported_in_text(capsys):
    code, out, err = call(
        capsys, *BASE, "--set", "llzto_bare", "--current-density", "1 mA/cm^2",
        "--step", "0.5 h", "--cycles", "70",
    )  # fmt: skip
    assert code == 0, err
    assert "simulated short circuit at" in out
    assert "hard short" in out
    assert "cycle 1: overpotential" in out


def test_staircase_and_capacity_step(capsys):
    code, out, err = call(
        capsys, *BASE, "--set", "latp_bare", "--staircase", "0.01,0.02,0.04 mA/cm^2",
        "--step", "0.5 h", "--cycles", "1", "--json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["analysis"]["critical_current"]["lower_bound_A_m2"] == pytest.approx(0.4)
    code, out, err = call(
        capsys, *BASE, "--set", "latp_bare", "--current-density", "0.01 mA/cm^2",
        "--step", "0.01 mAh/cm^2", "--cycles", "1", "--json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["analysis"]["half_cycles"][0]["end_h"] == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--set", "nope", "--current-density", "1 mA/cm^2"), "unknown parameter set 'nope'"),
        (("--set", "latp_bare", "--current-density", "0 mA/cm^2"), "--current-density"),
        (
            (
                "--set",
                "latp_bare",
                "--current-density",
                "1 mA/cm^2",
                "--set-param",
                "sse_thickness=-1 mm",
            ),
            "sse_thickness must be > 0",
        ),
        (
            (
                "--set",
                "latp_bare",
                "--current-density",
                "1 mA/cm^2",
                "--set-param",
                "sse_thickness=0 mm",
            ),
            "sse_thickness must be > 0",
        ),
        (
            (
                "--set",
                "latp_bare",
                "--current-density",
                "1 mA/cm^2",
                "--set-param",
                "transfer_coefficient=1.2",
            ),
            "transfer_coefficient must be in (0, 1]",
        ),
        (
            (
                "--set",
                "latp_bare",
                "--current-density",
                "1 mA/cm^2",
                "--set-param",
                "sse_sigma_ion=2 V",
            ),
            "sse_sigma_ion",
        ),
        (
            ("--set", "latp_bare", "--current-density", "1 mA/cm^2", "--set-param", "oops"),
            "expected key=value",
        ),
        (("--set", "latp_bare", "--current-density", "1 V"), "--current-density"),
    ],
)
def test_bad_input_exits_2(capsys, extra, message):
    code, _, err = call(capsys, *BASE, *extra)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_solver_failure_reports_time_reached(capsys, monkeypatch):
    import ssblab.models.simulator as sim

    def failing(*args, **kwargs):
        raise sim.SimulationError("t = 3 h (step 3): Butler–Volmer solve did not converge")

    monkeypatch.setattr("ssblab.models.simulator.simulate_symmetric", failing)
    code, out, err = call(
        capsys, *BASE, "--set", "latp_bare", "--current-density", "0.01 mA/cm^2", "--cycles", "2"
    )
    assert code == 1
    assert "SimulationError: t = 3 h (step 3)" in err
    assert "Traceback" not in err and out == ""


def test_material_alias_and_ald_cycles_on_uncoated_set(capsys):
    code, out, _ = call(
        capsys, *BASE, "--set", "LATP", "--ald-cycles", "150",
        "--current-density", "0.01 mA/cm^2", "--cycles", "1", "--json",
    )  # fmt: skip
    assert code == 0
    payload = json.loads(out)
    assert payload["overrides"]["coating"] == "Al2O3"
    assert payload["simulation"]["parameters"]["name"] == "latp_bare"
    assert payload["analysis"]["half_cycles"][0]["peak_V"] > 5.0  # 15 nm of pristine Al2O3
