"""Seed 000 replication: bare lifetime calibrated, annealed lifetime predicted."""

import pytest

from ssblab.models.parameter_schema import parameter_set
from ssblab.replicate import replicate
from ssblab.replicate.seed000 import calibrate_filament_fraction, deposition_fractions


@pytest.fixture(scope="module")
def table():
    return replicate("000")


def test_sets_store_the_live_calibration():
    phi = calibrate_filament_fraction()
    for name in ("llzto_bare", "llzto_al2o3_annealed"):
        assert parameter_set(name)[1].filament_area_fraction == pytest.approx(phi, rel=1e-2)


def test_annealed_set_is_not_calibrated_on_the_annealed_cell():
    raw, params = parameter_set("llzto_al2o3_annealed")
    assert params.sse_sigma_e == 0.0
    entry = raw.parameters["sse_sigma_e"]
    assert not entry.calibrated and "derived" in entry.source


def test_rows(table):
    bare, annealed, ratio = table.rows
    assert bare.kind == "fitted" and bare.ssblab == pytest.approx(60.0, abs=1.0)
    assert annealed.kind == "predicted" and annealed.status == "agrees"
    assert annealed.ssblab >= 200.0
    assert ratio.kind == "predicted" and ratio.ssblab >= 200 / 60
    assert any("margin" in note for note in table.notes)


def test_blocking_zone_stops_internal_deposition():
    fractions = deposition_fractions()
    assert fractions["bare"] > 0
    assert fractions["annealed"] == 0.0
    assert fractions["brick_layer_sigma_e_S_m"] == 0.0
