"""Seed 002 replication: where the LLTO film's GB arc would lie, and its two-point E_a."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from ssblab.cli.main import run
from ssblab.replicate import replicate, seed002, seed_key
from ssblab.replicate.rows import BASES, Replication, Row

SEEDS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
EPS0 = 8.8541878128e-12
K_B = 8.617333262e-5
SIGMA_B, SIGMA_T = 0.1, 1e-3  # LLTO bulk 1e-3, total 1e-5 S/cm (seed 001 §1), in S/m
WINDOW = (1e5, 1e7)  # "between 10 MHz and 100 kHz"


@pytest.fixture(scope="module")
def table() -> Replication:
    return replicate("002")


def _row(table: Replication, startswith: str) -> Row:
    rows = [r for r in table.rows if r.quantity.startswith(startswith)]
    assert len(rows) == 1, [r.quantity for r in table.rows]
    return rows[0]


def _sigma_gb(delta: float, d_c: float) -> float:
    """Series BLM solved for σ_gb: 1/σ_t = 1/σ_b + (δ/d)/σ_gb."""
    return (delta / d_c) / (1 / SIGMA_T - 1 / SIGMA_B)


def test_structure(table):
    out = table.to_dict()
    assert out["seed"] == "002"
    # the full-cell rows (tests/replicate/test_seed002_fullcell.py) fit 3 parameters
    assert [p["name"] for p in out["fitted_parameters"]] == [
        "interface ASR (no buffer)", "interface ASR (SiO2)", "ASR growth g (per cycle)"
    ]  # fmt: skip
    assert len(out["rows"]) == 21
    for row in out["rows"][:4]:  # the GB-arc and activation-energy rows fit nothing
        assert row["basis"] in BASES and row["basis"] in ("predicted", "computed")
        assert re.search(r"s00[12]-[a-z0-9-]+", row["note"]), row["quantity"]
    for row in out["rows"]:
        assert row["basis"] in BASES


def test_gb_arc_lies_far_below_the_window(table):
    row = _row(table, "GB arc peak of the 400 °C LLTO film")
    central = _sigma_gb(1e-9, math.sqrt(1e-6 * 5e-6)) / (2 * math.pi * EPS0 * math.sqrt(1000))
    assert row.ssblab == pytest.approx(central, rel=1e-9)
    highest = _sigma_gb(1.2e-9, 1e-6) / (2 * math.pi * EPS0 * 10)
    lowest = _sigma_gb(0.8e-9, 5e-6) / (2 * math.pi * EPS0 * 100)
    assert seed002.gb_peak_span_hz(seed002.llto_gb()) == pytest.approx((lowest, highest))
    assert highest < WINDOW[0] / 10  # more than a decade below 100 kHz even at the corner
    assert row.status == "reproduced"  # no arc in the window, as the paper observed
    assert f"{math.log10(WINDOW[0] / highest):.1f} decades below" in row.note
    assert "10 mHz–100 kHz" in row.note and "would be inside it" in row.note


def test_film_gb_to_bulk_ratio(table):
    row = _row(table, "R_gb/R_bulk across the 400 °C film")
    # (d_c/d_f)(σ_b/σ_t − 1), central d_c = √5 µm, d_f = 12.5 nm
    assert row.ssblab == pytest.approx(math.sqrt(5e-12) / 12.5e-9 * 99, rel=1e-9)
    assert f"{1e-6 / 15e-9 * 99:.2g}–{5e-6 / 10e-9 * 99:.2g}" in row.note
    assert row.status == "not reproduced"
    arcs = seed002.film_arcs(seed002.llto_gb())
    area = math.pi * 3.5e-3**2 / 4
    assert arcs.r_bulk_ohm == pytest.approx(350e-9 / (SIGMA_B * area))
    # the film's GB arc peaks where the ceramic's would: the peak is a material constant
    central = _sigma_gb(1e-9, math.sqrt(5e-12)) / (2 * math.pi * EPS0 * math.sqrt(1000))
    assert arcs.gb_peak_hz == pytest.approx(central, rel=1e-9)
    assert "columns" in row.note


def test_bulk_arc_of_the_measured_film_is_inside_the_window(table):
    row = _row(table, "Bulk arc peak of the 300 °C LLTO film")
    sigma = 9.56e-4  # S/m
    assert row.ssblab == pytest.approx(sigma / (2 * math.pi * EPS0 * math.sqrt(1000)))
    for eps in (10, 100):
        assert WINDOW[0] <= sigma / (2 * math.pi * EPS0 * eps) <= WINDOW[1]
    assert row.status == "reproduced"
    r_low = 300e-9 / (sigma * math.pi * 4e-3**2 / 4)
    r_high = 400e-9 / (sigma * math.pi * 3e-3**2 / 4)
    assert f"{r_low:.2g}–{r_high:.2g} Ω" in row.note


def test_two_point_activation_energy(table):
    row = _row(table, "E_a of the 300 °C LLTO film")
    t1, t2 = 298.15, 393.15
    s1, s2 = 9.56e-6, 7.78e-5
    ea_sigma_t = K_B * math.log(s2 * t2 / (s1 * t1)) / (1 / t1 - 1 / t2)
    ea_sigma = K_B * math.log(s2 / s1) / (1 / t1 - 1 / t2)
    assert row.paper == pytest.approx(0.33)
    assert row.ssblab == pytest.approx(ea_sigma_t, rel=1e-9)
    assert ea_sigma_t == pytest.approx(0.252, abs=0.001)
    assert f"{ea_sigma:.3f} eV" in row.note and ea_sigma == pytest.approx(0.223, abs=0.001)
    assert row.status == "differs"  # 0.08 eV apart, tolerance 0.01 eV


@pytest.fixture(scope="module")
def seed_text() -> str:
    files = sorted(SEEDS_DIR.glob("002_*.txt")) if SEEDS_DIR.is_dir() else []
    if not files:
        pytest.skip("../shared/seeds is absent: the seed-002 text cannot be checked")
    return files[0].read_text(encoding="utf-8")


def test_inputs_are_the_seed_texts(seed_text):
    assert "frequency between 10 MHz and 100 kHz" in seed_text
    assert "Ag/LLTO/Ag sandwich blocking electrode structure" in seed_text
    assert "approximately 3–4 mm, and the thickness was 300–400 nm" in seed_text
    assert "no additional semicircle is observed in Figure 1d,e" in seed_text
    assert "approximately 10–15 nm" in seed_text
    assert "9.56 × 10^{−6} S/cm and 7.78 × 10^{−5} S/cm" in seed_text


def test_diameter_constant_is_the_kb_text():
    from ssblab.knowledge import default_knowledge_base

    record = default_knowledge_base().get("s002-llto-film-thickness")
    printed = record.conditions.other["film_diameter_as_printed"]
    assert "3–4 mm" in printed
    assert seed002.FILM_DIAMETER_M == (3e-3, 4e-3)


def test_cli(capsys, monkeypatch, table):
    """The command's plumbing and rendering; the table itself is the module fixture's (the
    computation is tested above; running it twice more here cost 17 s of the suite)."""
    import ssblab.replicate

    calls = []
    monkeypatch.setattr(ssblab.replicate, "replicate",
                        lambda seed, **kw: calls.append(seed) or table)  # fmt: skip
    assert run(["replicate", "002", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["seed"] == "002"
    assert [r["status"] for r in payload["rows"][:4]] == [
        "reproduced",
        "not reproduced",
        "reproduced",
        "differs",
    ]
    assert run(["replicate", "seed2"]) == 0
    assert "GB arc peak" in capsys.readouterr().out
    assert [seed_key(s) for s in calls] == ["002", "002"]
