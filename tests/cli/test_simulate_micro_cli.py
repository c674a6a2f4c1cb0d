"""`ssblab simulate symmetric --microstructure`: the grain-resolved electrolyte replaces the
lumped constants, so the lifetime stops scaling as 1/j."""

import json

import pytest

from ssblab.cli.main import run
from ssblab.micro.cell_coupling import filament_lifetime_h


def simulate(capsys, j_ma_cm2: float, cycles: int):
    argv = [
        "simulate", "symmetric", "--set", "llzto_bare", "--current-density",
        f"{j_ma_cm2} mA/cm^2", "--step", "0.5 h", "--cycles", str(cycles),
        "--sample", "30 min", "--microstructure", "llzto-bare", "--json",
    ]  # fmt: skip
    assert run(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_microstructure_lifetime_matches_the_closed_form_and_is_not_1_over_j(capsys):
    fast = simulate(capsys, 3.0, 10)
    micro = fast["microstructure"]
    f = dict(zip(micro["electrolyte"]["current_density_a_per_m2"],
                 micro["electrolyte"]["deposition_fraction"], strict=True))  # fmt: skip
    phi = micro["filament_area_fraction"]
    expected = filament_lifetime_h(0.5e-3, f[30.0], 30.0, phi)
    assert fast["simulation"]["simulated_short_h"] == pytest.approx(expected, rel=1e-3)
    # at 1 mA/cm² the same φ_f gives 60 h (the calibration), far more than 3 × 4 h
    assert 60.0 / expected > 3 * 3  # lifetime falls faster than 1/j
    assert "seed 000" in micro["filament_area_fraction_source"]


def test_unknown_microstructure_exits_2(capsys):
    argv = ["simulate", "symmetric", "--set", "llzto_bare", "--current-density", "1 mA/cm^2",
            "--microstructure", "granite"]  # fmt: skip
    assert run(argv) == 2
    err = capsys.readouterr().err
    assert "--microstructure" in err and len(err.strip().splitlines()) == 1
