"""``--circuit auto``: the candidate the data support, against synthetic spectra of known circuits
(built independently of ssblab's circuit module) and on real spectra that need an inductor,
a diffusion tail or more arcs than the old candidates had."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ssblab.errors import SsblabInputError
from ssblab.impedance.circuits import parse_circuit
from ssblab.impedance.suggest import CELLS, bic, circuit_text, suggest_circuit
from tests.impedance.synthetic import (
    add_noise,
    impedance,
    inductor,
    log_frequencies,
    resistor,
    series,
    zarc,
)

F = log_frequencies(1e6, 1e-2, 10)  # 81 points
REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real-data" / "eis"


def warburg(a_w: float):
    """Semi-infinite Warburg, Z = A_W (1 − j)/√ω."""
    return lambda w: a_w * (1 - 1j) / np.sqrt(w)


def finite_length(z0: float, tau: float):
    """Finite-length (transmissive) Warburg, Z = Z0 tanh√(jωτ)/√(jωτ)."""
    return lambda w: z0 * np.tanh(np.sqrt(1j * w * tau)) / np.sqrt(1j * w * tau)


def finite_space(z0: float, tau: float):
    """Finite-space (blocking) Warburg, Z = Z0 coth√(jωτ)/√(jωτ)."""
    return lambda w: z0 / (np.tanh(np.sqrt(1j * w * tau)) * np.sqrt(1j * w * tau))


def blocking(q: float, alpha: float):
    return lambda w: 1.0 / (q * (1j * w) ** alpha)


def noisy(element, seed=1, level=0.003, f=F):
    return add_noise(impedance(element, f), level, np.random.default_rng(seed))


CASES = {
    "R0-p(R1,CPE1)-p(R2,CPE2)": series(resistor(20), zarc(500, 1e-6, 0.95), zarc(2e3, 2e-3, 0.85)),
    "R0-p(R1,CPE1)-p(R2,CPE2)-CPE3": series(
        resistor(10), zarc(1e3, 3e-7, 0.9), zarc(5e3, 1e-4, 0.8), blocking(1e-6, 0.9)
    ),
    "R0-L0-p(R1,CPE1)-p(R2,CPE2)": series(
        resistor(5), inductor(2e-6), zarc(40, 2e-5, 0.9), zarc(200, 5e-2, 0.85)
    ),
    "R0-p(R1,CPE1)-W2": series(resistor(30), zarc(300, 1e-4, 0.9), warburg(150)),
    "R0-p(R1,CPE1)-p(R2,CPE2)-Ws3": series(
        resistor(8), zarc(60, 2e-6, 0.9), zarc(150, 1e-3, 0.85), finite_length(400, 30.0)
    ),
}


@pytest.mark.parametrize("truth", list(CASES))
def test_auto_finds_the_true_circuit(truth):
    chosen = suggest_circuit(F, noisy(CASES[truth]))
    assert chosen.circuit == truth
    assert chosen.delta_bic is not None and chosen.delta_bic > 2  # positive evidence or more


def test_full_cell_two_arcs_and_a_blocking_diffusion_tail():
    truth = series(resistor(15), zarc(40, 3e-6, 0.9), zarc(120, 2e-2, 0.8), finite_space(80, 20))
    chosen = suggest_circuit(F, noisy(truth), cell="full")
    assert chosen.circuit == "R0-p(R1,CPE1)-p(R2,CPE2)-Wo3"
    assert all(row["circuit"].count("p(") >= 2 for row in chosen.table)  # "two arcs plus tail"


def test_a_cell_type_never_forces_a_tail_onto_a_spectrum_without_one():
    """The bug of issue 9: the pellet default forced a blocking CPE onto R0-RC-RC data."""
    z = noisy(CASES["R0-p(R1,CPE1)-p(R2,CPE2)"])
    for cell in ("pellet", "film"):
        chosen = suggest_circuit(F, z, cell=cell)
        assert chosen.circuit == "R0-p(R1,CPE1)-p(R2,CPE2)"
        assert not chosen.tail
        assert all(not row["circuit"].endswith(("CPE3", "CPE2", "CPE4")) for row in chosen.table)


def test_inductive_candidates_only_when_the_high_frequencies_are_inductive():
    capacitive = suggest_circuit(F, noisy(CASES["R0-p(R1,CPE1)-p(R2,CPE2)-CPE3"]))
    assert not capacitive.inductive
    assert not any("L0" in row["circuit"] or "La0" in row["circuit"] for row in capacitive.table)
    inductive = suggest_circuit(F, noisy(CASES["R0-L0-p(R1,CPE1)-p(R2,CPE2)"]))
    assert inductive.inductive
    assert any("La0" in row["circuit"] for row in inductive.table)


def test_runner_up_and_delta_bic_are_consistent_with_the_table():
    chosen = suggest_circuit(F, noisy(CASES["R0-p(R1,CPE1)-W2"]))
    rows = {row["circuit"]: row for row in chosen.table}
    assert rows[chosen.circuit]["chosen"] and rows[chosen.circuit]["delta_bic"] == 0
    runner = rows[chosen.runner_up]
    assert not runner["escaped_arcs"]
    assert chosen.delta_bic == pytest.approx(runner["bic"] - rows[chosen.circuit]["bic"])
    eligible = [row["bic"] for row in chosen.table if not row["escaped_arcs"]]
    assert rows[chosen.circuit]["bic"] == min(eligible)
    n = F.size
    p = parse_circuit(chosen.circuit).n_params
    assert rows[chosen.circuit]["bic"] == pytest.approx(bic(chosen.fit.chi2, n, p))
    payload = chosen.to_dict()
    assert payload["runner_up"] == chosen.runner_up and payload["delta_bic"] == chosen.delta_bic


def test_every_candidate_is_judged_against_one_noise_floor():
    chosen = suggest_circuit(F, noisy(CASES["R0-p(R1,CPE1)-p(R2,CPE2)-CPE3"]))
    floor = chosen.noise_floor_chi2
    for row in chosen.table:
        assert row["chi2_over_noise_floor"] == pytest.approx(row["chi2"] / floor)
    # the true circuit sits at the noise floor, a circuit missing an arc far above it
    rows = {row["circuit"]: row for row in chosen.table}
    assert rows[chosen.circuit]["at_noise_floor"]
    assert rows["R0-p(R1,CPE1)-CPE2"]["chi2_over_noise_floor"] > 10


def test_circuit_text_and_cells():
    assert circuit_text(2, "Wo", "L") == "R0-L0-p(R1,CPE1)-p(R2,CPE2)-Wo3"
    assert circuit_text(1) == "R0-p(R1,CPE1)"
    assert set(CELLS) == {"pellet", "symmetric", "film", "full"}
    with pytest.raises(SsblabInputError, match="cell 'coin'"):
        suggest_circuit(F, noisy(CASES["R0-p(R1,CPE1)-W2"]), cell="coin")


def test_too_few_points_is_a_clear_error():
    f = F[::20]  # 5 points: 10 real values
    with pytest.raises(SsblabInputError, match="too few"):
        suggest_circuit(f[:2], impedance(CASES["R0-p(R1,CPE1)-W2"], f[:2]))


# --- real spectra (skip when ../shared/real-data is absent) --------------------------------

#: file, what auto must find, the BIC the old candidates reached at best (their choice, refitted
#: with the current fitter), and the least improvement asked for.
REAL_CASES = [
    ("biologic-mpt/latp_foil_li_lp30_peis_before.mpt", "L0", "R0-p(R1,CPE1)", 100),
    ("gamry-dta/gamry_ifc5000_ceramic_cell_550C.DTA", "L0", "R0-p(R1,CPE1)-p(R2,CPE2)", 400),
    ("biologic-mpr/ssb_ncm-lpscl_inli_peis_eod.mpr", "p(R4,CPE4)",
     "R0-p(R1,CPE1)-p(R2,CPE2)-p(R3,CPE3)", 128),
    ("other/z60w_autolab_example.txt", "La0", "R0-p(R1,CPE1)", 400),
    ("other/palmsens_peis_700mV.pssession", "W2", "R0-p(R1,CPE1)", 50),
]  # fmt: skip


@pytest.mark.parametrize(("name", "feature", "old", "gain"), REAL_CASES, ids=lambda v: str(v))
def test_real_spectra_get_the_richer_circuit_they_need(name, feature, old, gain):
    from ssblab.impedance.fitting import fit
    from ssblab.io.eis import read_eis

    path = REAL / name
    if not path.is_file():
        pytest.skip(f"{name}: ../shared/real-data is absent")
    spectrum = read_eis(path)[0]
    f, z = spectrum.frequency_hz, spectrum.impedance_ohm
    chosen = suggest_circuit(f, z)
    assert feature in chosen.circuit
    old_fit = fit(old, f, z)
    old_bic = bic(old_fit.chi2, f.size, parse_circuit(old).n_params)
    new_bic = bic(chosen.fit.chi2, f.size, parse_circuit(chosen.circuit).n_params)
    assert old_bic - new_bic >= gain
    assert chosen.runner_up is not None and chosen.delta_bic >= 0
