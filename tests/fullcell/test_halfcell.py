"""PyBaMM half cells: Li bookkeeping, the ohmic SSE in series, the degradation laws, and the
inverse fits recovering known parameters from synthetic cells."""

import math
from dataclasses import replace

import numpy as np
import pytest

from ssblab.errors import SsblabInputError
from ssblab.fullcell.halfcell import (
    FARADAY_C_MOL,
    Degradation,
    HalfCellDesign,
    lithium_reservoir_cycles,
    prepare,
    protocol_seed000,
    simulate_halfcell,
)
from ssblab.fullcell.inverse import fit_cell, fit_mechanism

DESIGN = HalfCellDesign(utilisation=0.75)
SHORT = protocol_seed000(0.5, cycles=4, formation_cycles=1)


@pytest.fixture(scope="module")
def degraded():
    return simulate_halfcell(
        DESIGN, SHORT, Degradation(asr_growth_ohm_m2=2e-4, lam_fraction_per_cycle=0.02)
    )


def test_lithium_is_conserved_to_1e_6_with_the_li_metal_counted(degraded):
    assert degraded.lithium_cycled_mol > 1e-6
    assert degraded.lithium_residual_mol / degraded.lithium_cycled_mol < 1e-6


def test_pybamm_total_lithium_omits_the_li_metal_so_it_is_not_conserved():
    # the check that would catch a half-cell inventory error: PyBaMM's "Total lithium [mol]"
    # moves by exactly the Li that crossed to or from the Li metal, which ssblab adds back
    sim = prepare(DESIGN, SHORT[:1])
    from ssblab.fullcell.halfcell import _inputs

    solution = sim.solve(inputs=_inputs(DESIGN, Degradation()))
    total = solution["Total lithium [mol]"].entries
    t = solution["Time [s]"].entries
    i = solution["Current [A]"].entries
    passed = np.sum(np.diff(t) * 0.5 * (i[1:] + i[:-1])) / FARADAY_C_MOL
    assert abs(total[-1] - total[0]) > 0.5 * abs(passed) > 0
    assert (total[-1] - total[0]) == pytest.approx(passed, rel=1e-6)


def test_the_solid_electrolyte_is_an_ohmic_resistor_in_series():
    # doubling the SSE thickness shifts the voltage by exactly I·ΔASR/A at every instant
    thin = simulate_halfcell(DESIGN, [("Charge at 0.5C for 10 minutes",)])
    thick = simulate_halfcell(
        replace(DESIGN, sse_thickness_m=2 * DESIGN.sse_thickness_m),
        [("Charge at 0.5C for 10 minutes",)],
    )
    a, b = thin.data.table, thick.data.table
    current = abs(a["current_A"].iloc[1])
    extra = DESIGN.sse_asr_ohm_m2 / DESIGN.area_m2
    shift = a["voltage_V"].to_numpy() - np.interp(a["time_s"], b["time_s"], b["voltage_V"])
    assert -shift[1:] == pytest.approx(current * extra, rel=1e-5)  # charging: thick reads higher


def test_loss_of_active_material_follows_the_throughput(degraded):
    table = degraded.data.table
    throughput_Ah = float(np.sum(np.abs(np.diff(table["cumulative_capacity_Ah"]))))
    expected = 1 - 0.02 * throughput_Ah / (2 * DESIGN.nominal_capacity_Ah)
    assert degraded.cycles[-1].active_fraction == pytest.approx(expected, rel=1e-4)


def test_asr_growth_lowers_capacity_and_the_plateau():
    steps = protocol_seed000(0.5, cycles=3, formation_cycles=0)
    plain = simulate_halfcell(DESIGN, steps)
    grown = simulate_halfcell(DESIGN, steps, Degradation(asr_growth_ohm_m2=5e-3))
    assert grown.cycles[-1].discharge_capacity_Ah < 0.97 * plain.cycles[-1].discharge_capacity_Ah
    assert grown.cycles[-1].mean_discharge_voltage_V < plain.cycles[-1].mean_discharge_voltage_V
    assert plain.retention(1) == pytest.approx(1.0, abs=2e-3)


def test_fit_mechanism_recovers_a_known_growth_rate():
    steps = protocol_seed000(0.5, cycles=6, formation_cycles=1)
    truth = simulate_halfcell(DESIGN, steps, Degradation(asr_growth_ohm_m2=8e-4))
    fit = fit_mechanism(DESIGN, steps, truth.retention(2), "asr_growth", first_cycle=2)
    assert fit.value == pytest.approx(8e-4, rel=0.01)
    assert fit.interval[0] < fit.value < fit.interval[1]


def test_fit_cell_recovers_utilisation_and_lam_together():
    steps = protocol_seed000(0.5, cycles=6, formation_cycles=1)
    cell = replace(DESIGN, utilisation=0.8)
    truth = simulate_halfcell(cell, steps, Degradation(lam_fraction_per_cycle=0.03))
    initial = truth.specific_discharge_mAh_g[1]
    design, fit = fit_cell(
        replace(DESIGN, utilisation=0.6), steps, initial, truth.retention(2), "lam", first_cycle=2
    )
    assert design.utilisation == pytest.approx(0.8, rel=0.01)
    assert fit.value == pytest.approx(0.03, rel=0.02)


def test_reservoir_is_the_foil_over_one_cycle():
    foil_mol = 4.5e-4 * DESIGN.area_m2 * 534.0 / 6.94e-3
    cycle_mol = DESIGN.nominal_capacity_Ah * 3600 / FARADAY_C_MOL
    assert lithium_reservoir_cycles(DESIGN) == pytest.approx(foil_mol / cycle_mol, rel=1e-9)
    # 180 mAh/g × 1.9 mg/cm² × π (0.6 cm)²
    assert DESIGN.nominal_capacity_Ah == pytest.approx(0.180 * 1.9e-3 * math.pi * 0.36, rel=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"cathode": "LFP"}, "cathode"),
        ({"utilisation": 0.0}, "utilisation"),
        ({"sse_thickness_m": -1.0}, "sse_thickness_m"),
        ({"active_volume_fraction": 0.7, "porosity": 0.4}, "active_volume_fraction"),
        ({"buffer_asr_ohm_m2": float("nan")}, "buffer_asr_ohm_m2"),
    ],
)
def test_bad_designs_name_the_parameter(kwargs, name):
    with pytest.raises(SsblabInputError, match=name):
        HalfCellDesign(**kwargs)


def test_bad_degradation_names_the_parameter():
    with pytest.raises(SsblabInputError, match="lam_fraction_per_cycle"):
        Degradation(lam_fraction_per_cycle=1.5)


def test_the_electrolyte_follows_its_arrhenius_law():
    warm = replace(DESIGN, temperature_K=333.15)
    k_b = 8.617333262e-5
    ratio = math.exp(-0.43 / k_b * (1 / 333.15 - 1 / 298.15))
    assert warm.sse_conductivity_at_temperature_S_m == pytest.approx(4.6e-2 * ratio, rel=1e-12)
    assert DESIGN.sse_asr_ohm_m2 == pytest.approx(5e-4 / 4.6e-2, rel=1e-12)
    with pytest.raises(SsblabInputError, match="sse_activation_energy_form"):
        HalfCellDesign(sse_activation_energy_form="VTF")
