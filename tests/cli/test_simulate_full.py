"""``ssblab simulate full``: PyBaMM composite and planar thin-film half cells, their traces read
back by ``ssblab cycle full`` with the same numbers, and bad input as one line."""

from __future__ import annotations

import json

import pytest

from ssblab.cli.main import run


def test_composite_cell_trace_is_analysed_like_a_measured_file(tmp_path, capsys):
    csv = tmp_path / "bare.csv"
    argv = ["simulate", "full", "--set", "nmc811_llzto_bare", "--protocol", "seed000"]
    assert run([*argv, "--cycles", "2", "--asr-growth", "20 ohm*cm^2/h",
                "--output", str(csv), "--json"]) == 0  # fmt: skip
    payload = json.loads(capsys.readouterr().out)
    assert payload["lithium_balance_relative"] < 1e-6
    cycles = payload["simulation"]["cycles"]
    assert len(cycles) == 4 and cycles[-1]["series_asr_ohm_m2"] > cycles[0]["series_asr_ohm_m2"]
    assert run(["cycle", "full", str(csv), "--loading", "1.9 mg/cm^2", "--area", "1.131 cm^2",
                "--nominal", "180 mAh/g", "--json"]) == 0  # fmt: skip
    measured = json.loads(capsys.readouterr().out)
    simulated = payload["analysis"]
    assert measured["retention_percent"] == pytest.approx(simulated["retention_percent"], 1e-9)
    assert measured["formation_cycles"] == simulated["formation_cycles"] == [1, 2]


def test_thin_film_rate_protocol_reproduces_the_fitted_30c_ratio(capsys):
    assert run(["simulate", "full", "--set", "ncm532_llto_sio2", "--protocol", "seed002-rate",
                "--json"]) == 0  # fmt: skip
    payload = json.loads(capsys.readouterr().out)
    discharges = [c for c in payload["analysis"]["cycles"] if c["discharge_mAh"]]
    ratio = discharges[-1]["discharge_mAh"] / discharges[-6]["discharge_mAh"]  # 30 C / 0.1 C
    assert ratio == pytest.approx(0.30, abs=0.03)
    assert payload["lithium_balance_relative"] < 1e-9


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--set", "nmc811_llzto_bare", "--experiment", "Dance at 1C"], "--experiment step"),
        (["--set", "lfp_llzo"], "--set 'lfp_llzo'"),
        (["--set", "nmc811_llzto_bare", "--protocol", "seed000", "--lam", "2"], "lam_fraction"),
        (["--set", "ncm532_llto_none", "--protocol", "seed000"], "for a thin-film set"),
        (["--set", "nmc811_llzto_bare", "--protocol", "seed000", "--cycles", "0"], "--cycles"),
    ],
)
def test_bad_input_is_one_line(extra, message, capsys):
    code = run(["simulate", "full", *extra])
    err = capsys.readouterr().err
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1, err
