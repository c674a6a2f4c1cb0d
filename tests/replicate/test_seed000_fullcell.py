"""Seed 000's full-cell rows (PyBaMM): the stored set utilisations equal the live fit; the
whole table (fits, bands; ~3 min) runs as a slow test (`pytest -m slow`)."""

import pytest

from ssblab.fullcell.sets import COMPOSITE_SETS, FITTED_UTILISATION
from ssblab.replicate import seed000_fullcell as full


@pytest.mark.parametrize("cell", ["bare", "annealed"])
def test_sets_store_the_live_utilisation(cell):
    _, u = full._calibrated(cell, ())
    assert FITTED_UTILISATION[cell] == pytest.approx(u, abs=2e-4)
    assert COMPOSITE_SETS[f"nmc811_llzto_{cell}"].utilisation == FITTED_UTILISATION[cell]


def test_initial_capacities_come_from_the_printed_final_and_retention():
    assert full.INITIAL_MAH_G["bare"] == pytest.approx(80.3 / 0.467)
    assert full.INITIAL_MAH_G["annealed"] == pytest.approx(161.6 / 0.968)


@pytest.mark.slow
def test_full_cell_rows():
    rows, fitted, notes, loo = full.fullcell_rows(lambda _m: None)
    by = {r.quantity.split(":")[0]: r for r in rows}
    for cell in ("bare", "annealed"):
        row = next(r for r in rows if r.quantity.startswith(f"{cell} full cell: retention"))
        assert row.basis == "fitted" and abs(row.ssblab - row.paper) <= 2.0
    predicted = [r for r in rows if r.basis == "predicted"]
    assert len(predicted) == 4 and all(r.band is not None for r in predicted)
    assert any("Li-inventory loss ruled out" in n for n in notes)
    assert {p["name"] for p in fitted} == {"utilisation", "asr_growth_k", "lam_fraction_per_cycle"}
    assert by and loo
