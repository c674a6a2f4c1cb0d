"""Symmetric-cell simulator: contract, closed-form limits, seed-004 trends, shorts, bad input."""

import itertools
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from ssblab.cycling.data import check_table
from ssblab.cycling.symmetric import analyse_symmetric
from ssblab.errors import SsblabInputError
from ssblab.models.parameter_schema import (
    PARAMETERS,
    ParameterSetError,
    available_sets,
    load_set_file,
    parameter_set,
    with_overrides,
)
from ssblab.models.simulator import (
    SimulationError,
    butler_volmer_overpotential_V,
    constant_current_protocol,
    simulate_symmetric,
    staircase_protocol,
)
from ssblab.models.voids import FARADAY_C_MOL, GAS_CONSTANT_J_MOL_K

RT_F = GAS_CONSTANT_J_MOL_K * 298.15 / FARADAY_C_MOL


def params(name):
    return parameter_set(name)[1]


def run(name, j, cycles, step_h=1.0, sample_s=600.0, **overrides):
    p = params(name)
    if overrides:
        p = replace(p, **overrides)
    protocol = constant_current_protocol(j, cycles, step_time_s=step_h * 3600)
    return p, simulate_symmetric(p, protocol, sample_s=sample_s)


def test_named_sets_load_with_sources():
    assert {"llzto_bare", "llzto_al2o3_annealed", "latp_bare", "latp_ald_al2o3", "llto"} <= set(
        available_sets()
    )
    for name in available_sets():
        raw, _ = parameter_set(name)
        assert set(raw.parameters) == set(PARAMETERS)
        assert all(entry.source for entry in raw.parameters.values())
    raw, _ = parameter_set("llzto_bare")
    assert raw.parameters["filament_area_fraction"].calibrated
    assert params("llzto_bare").sse_sigma_ion == pytest.approx(4.6e-2)
    assert params("latp_ald_al2o3").ald_cycles == 150


def test_output_is_a_tidy_table_and_analysable():
    p, result = run("latp_bare", 0.1, 5)
    check_table(result.data.table)
    assert len(result.history) == len(result.data.table)
    analysis = analyse_symmetric(result.data, p.area)
    assert len(analysis.half_cycles) == 10
    assert analysis.half_cycles["current_density_A_m2"].iloc[0] == pytest.approx(0.1)
    assert list(analysis.half_cycles["kind"][:2]) == ["strip", "plate"]


def test_no_growth_full_contact_gives_closed_form():
    j = 0.1
    p, result = run(
        "llzto_bare", j, 4, interphase="stable", interphase_coated="stable",
        initial_contact_fraction=1.0, sse_sigma_e=0.0,
    )  # fmt: skip
    bv = 2 * RT_F * math.asinh(j / (2 * p.exchange_current_density))
    expected = j * p.sse_thickness / p.sse_sigma_ion + 2 * bv
    v = np.abs(result.data.table["voltage_V"].to_numpy())
    assert v == pytest.approx(expected, rel=1e-9)
    analysis = analyse_symmetric(result.data, p.area)
    assert analysis.half_cycles["overpotential_V"].to_numpy() == pytest.approx(expected)


def test_butler_volmer_general_alpha_matches_symmetric_and_inverts():
    j = np.array([0.01, 1.0, 50.0])
    assert butler_volmer_overpotential_V(j, 1.0, 0.5) == pytest.approx(2 * RT_F * np.arcsinh(j / 2))
    eta = butler_volmer_overpotential_V(j, 1.0, 0.3)
    back = np.exp(0.3 * eta / RT_F) - np.exp(-0.7 * eta / RT_F)
    assert back == pytest.approx(j, rel=1e-8)
    with pytest.raises(SsblabInputError, match="alpha"):
        butler_volmer_overpotential_V(j, 1.0, 0.0)


def test_latp_interphase_growth_raises_overpotential():
    p, result = run("latp_bare", 0.1, 50, sample_s=1200)
    eta = analyse_symmetric(result.data, p.area).half_cycles["overpotential_V"].to_numpy()
    assert eta[-1] > 3 * eta[0]
    assert np.all(np.diff(eta[::2]) > 0)
    assert result.history["interphase_working_m"].is_monotonic_increasing


def test_ald_coated_latp_starts_higher_and_rises_less():
    out = {}
    for name in ("latp_bare", "latp_ald_al2o3"):
        p, result = run(name, 0.1, 150, sample_s=1800)
        out[name] = analyse_symmetric(result.data, p.area).half_cycles["overpotential_V"]
    bare, coated = out["latp_bare"].to_numpy(), out["latp_ald_al2o3"].to_numpy()
    assert coated[0] > 10 * bare[0]
    assert coated[-1] - coated[0] < bare[-1] - bare[0]


def test_short_collapses_and_is_detected_near_simulated_time():
    p, result = run("llzto_bare", 10.0, 70, step_h=0.5, sample_s=300)
    assert result.short_time_h == pytest.approx(60, abs=3)
    analysis = analyse_symmetric(result.data, p.area)
    assert analysis.short.detected and analysis.short.kind == "hard"
    assert analysis.lifetime_h == pytest.approx(result.short_time_h, abs=0.5)
    late = np.abs(result.data.table["voltage_V"].to_numpy()[-10:])
    assert late.max() < 0.05 * analysis.half_cycles["overpotential_V"].iloc[0]


def test_annealed_llzto_outlives_bare():
    _, bare = run("llzto_bare", 10.0, 70, step_h=0.5, sample_s=600)
    _, annealed = run("llzto_al2o3_annealed", 10.0, 210, step_h=0.5, sample_s=900)
    assert bare.short_time_h < 100
    assert annealed.short_time_h is None  # stable beyond 200 h (seed 000)


def test_stripping_above_void_limit_loses_contact_then_recovers():
    # 3 MPa: at the set's 50 MPa crimp creep refill outruns 1 mA/cm² of stripping
    _, result = run("llzto_bare", 10.0, 2, step_h=0.5, sample_s=60, sse_sigma_e=0.0,
                    stack_pressure=3e6)  # fmt: skip
    f = result.history["contact_working"].to_numpy()
    assert f.min() < 0.8 * f[0]
    assert f[-1] == pytest.approx(f[0])  # refilled while plating
    assert result.history["contact_counter"].iloc[-1] < 0.5  # counter was stripped last


def test_staircase_protocol_runs_and_gives_ccd_bound():
    p = params("latp_bare")
    protocol = staircase_protocol([0.1, 0.2, 0.4], 1, 1800)
    result = simulate_symmetric(p, protocol, sample_s=300)
    analysis = analyse_symmetric(result.data, p.area)
    assert analysis.critical_current is not None
    assert analysis.critical_current.lower_bound_A_m2 == pytest.approx(0.4)


@pytest.mark.parametrize(
    ("key", "value", "match"),
    [
        ("sse_thickness", "-1 mm", "sse_thickness must be > 0"),
        ("sse_thickness", "0 mm", "sse_thickness must be > 0"),
        ("transfer_coefficient", "1.5", "transfer_coefficient must be in"),
        ("transfer_coefficient", "0", "transfer_coefficient must be in"),
        ("sse_sigma_ion", "3 V", "sse_sigma_ion"),
        ("coating", "gold", "coating"),
        ("bogus", "1 m", "unknown parameter 'bogus'"),
    ],
)
def test_bad_overrides(key, value, match):
    with pytest.raises(ParameterSetError, match=match):
        with_overrides(params("latp_bare"), {key: value})


def test_bad_protocol_and_unknown_set():
    with pytest.raises(SsblabInputError, match="current density"):
        constant_current_protocol(0.0, 3, step_time_s=3600)
    with pytest.raises(SsblabInputError, match="unknown parameter set 'nope'"):
        parameter_set("nope")
    with pytest.raises(SsblabInputError, match="increase"):
        staircase_protocol([0.2, 0.1], 1, 60)


def test_non_finite_state_raises_with_time(monkeypatch):
    import ssblab.models.simulator as sim

    real = sim.contact_evolution
    calls = {"n": 0}

    def broken(*args, **kwargs):
        calls["n"] += 1
        out = real(*args, **kwargs)
        if calls["n"] < 4:  # the first call is the fresh-cell compliance check
            return out
        return replace(out, contact_fraction=(math.nan,) * len(out.contact_fraction))

    monkeypatch.setattr(sim, "contact_evolution", broken)
    with pytest.raises(SimulationError, match=r"t = 2 h \(step 2\): non-finite state"):
        simulate_symmetric(params("latp_bare"), constant_current_protocol(0.1, 2, step_time_s=3600))
    with pytest.raises(SsblabInputError, match="initial_contact_fraction"):
        simulate_symmetric(
            replace(params("latp_bare"), initial_contact_fraction=math.nan),
            constant_current_protocol(0.1, 1, step_time_s=3600),
        )


def test_yaml_errors_name_file_and_key(tmp_path: Path):
    source = (
        Path(__file__).resolve().parents[2] / "src/ssblab/models/parameter_sets/latp_bare.yaml"
    ).read_text()
    bad = tmp_path / "bad.yaml"
    bad.write_text(source.replace("    unit: mS/cm\n", "    unit: mS/cm\n    colour: red\n"))
    with pytest.raises(ParameterSetError, match=r"bad\.yaml: parameters\.sse_sigma_ion\.colour"):
        load_set_file(bad)
    bad.write_text(source.replace("    unit: mS/cm\n", "    unit: mm\n"))
    with pytest.raises(ParameterSetError, match=r"bad\.yaml: parameter sse_sigma_ion"):
        load_set_file(bad)
    bad.write_text(source.replace("  temperature:", "  temprature:"))
    with pytest.raises(ParameterSetError, match=r"bad\.yaml: unknown parameter 'temprature'"):
        load_set_file(bad)


def test_garnet_sets_of_the_issue():
    """LLZTO bare / Al2O3-coated / Al2O3-annealed and Al-LLZO exist and behave as cited."""
    from ssblab.models.voids import FARADAY_C_MOL, GAS_CONSTANT_J_MOL_K

    al = params("al_llzo")
    rt_f = GAS_CONSTANT_J_MOL_K * al.temperature / FARADAY_C_MOL
    assert rt_f / al.exchange_current_density == pytest.approx(100e-4, rel=1e-2)  # 100 Ω cm²
    bare = params("llzto_bare")
    assert rt_f / bare.exchange_current_density == pytest.approx(1e-4, rel=1e-2)  # 1 Ω cm²
    coated = params("llzto_al2o3_coated")
    assert coated.coating == "Li-Al-O" and coated.ald_cycles == 100
    assert coated.sse_sigma_e == bare.sse_sigma_e  # grain boundaries unchanged before annealing
    _, run_bare = run("llzto_bare", 10.0, 70, step_h=0.5, sample_s=600)
    _, run_coated = run("llzto_al2o3_coated", 10.0, 70, step_h=0.5, sample_s=600)
    assert run_coated.short_time_h == pytest.approx(run_bare.short_time_h, rel=0.1)
    first = run_coated.history["asr_coating_working_ohm_m2"].iloc[0]
    assert first == pytest.approx(10e-9 / 1e-4)  # 10 nm of Li-Al-O at 1e-4 S/m


def test_bulk_conductivity_follows_arrhenius_with_the_cited_activation_energy():
    import math

    bare = params("llzto_bare")
    assert bare.sse_activation_energy == pytest.approx(0.43)
    hot = replace(bare, temperature=333.15)
    expected = 0.43 / 8.617333262e-5 * (1 / 298.15 - 1 / 333.15)
    ratio = hot.sse_sigma_ion_at_temperature / bare.sse_sigma_ion_at_temperature
    assert math.log(ratio) == pytest.approx(expected)
    _, cold_run = run("llzto_bare", 1.0, 1, sse_sigma_e=0.0)
    _, hot_run = run("llzto_bare", 1.0, 1, sse_sigma_e=0.0, temperature=333.15)
    assert hot_run.history["asr_bulk_ohm_m2"].iloc[0] == pytest.approx(
        cold_run.history["asr_bulk_ohm_m2"].iloc[0] / ratio
    )


def test_stack_pressure_sets_the_assembled_contact():
    from ssblab.models.roughness import contact_fraction
    from ssblab.models.simulator import assembled_contact_fraction

    bare = params("llzto_bare")  # f_wet = 0.5; 50 MPa crimp: rough contact 0.33 < f_wet
    assert bare.stack_pressure == pytest.approx(50e6)
    assert assembled_contact_fraction(bare) == 0.5
    f150 = contact_fraction(150e6)
    assert 0.5 < f150 < 1.0
    assert assembled_contact_fraction(replace(bare, stack_pressure=150e6)) == pytest.approx(f150)
    assert assembled_contact_fraction(replace(bare, stack_pressure=1e9)) < 1.0  # never full
    _, low = run("llzto_bare", 1.0, 1, sse_sigma_e=0.0)
    _, high = run("llzto_bare", 1.0, 1, sse_sigma_e=0.0, stack_pressure=150e6)
    assert high.history["contact_working"].iloc[0] == pytest.approx(f150)
    first = "asr_constriction_working_ohm_m2"
    assert high.history[first].iloc[0] < low.history[first].iloc[0]


def test_ccd_is_the_minimum_over_the_four_modes():
    from ssblab.models.penetration import plating_penetration
    from ssblab.models.simulator import CCD_MODES, assembled_contact_fraction, critical_current
    from ssblab.models.voids import stripping_ccd

    p = params("llzto_bare")
    c = critical_current(p, hold_s=36000.0)
    assert tuple(m.mode for m in c.modes) == CCD_MODES
    finite = [m.ccd_A_m2 for m in c.modes if m.ccd_A_m2 is not None]
    assert c.ccd_A_m2 == min(finite)
    assert c.margin(c.mode) == pytest.approx(1.0)
    f0 = assembled_contact_fraction(p)
    voids = next(m for m in c.modes if m.mode == "stripping voids")
    assert voids.ccd_A_m2 == pytest.approx(
        stripping_ccd(p.stack_pressure, p.temperature, contact_fraction=f0).ccd_A_m2, rel=1e-2
    )
    # penetration uses k = RT/(F j0 f0) + constriction; a larger flaw lowers it as 1/c
    pen = next(m for m in c.modes if m.mode == "plating penetration")
    assert pen.ccd_A_m2 == pytest.approx(plating_penetration(10e-6, c.plating_asr_ohm_m2).ccd_A_m2)
    big = critical_current(p, hold_s=36000.0, flaw_size_m=100e-6)
    assert next(m.ccd_A_m2 for m in big.modes if m.mode == "plating penetration") == (
        pytest.approx(pen.ccd_A_m2 / 10)
    )
    assert big.mode == "plating penetration"


def test_ccd_leakage_and_compliance_modes_closed_forms():
    from ssblab.models.simulator import critical_current

    p = params("llzto_bare")
    no_e = critical_current(replace(p, sse_sigma_e=0.0), hold_s=3600.0)
    leak = next(m for m in no_e.modes if m.mode == "electronic leakage")
    assert leak.ccd_A_m2 is None and "sse_sigma_e = 0" in leak.detail
    # a longer hold shorts at a lower current density
    short_hold = next(
        m.ccd_A_m2 for m in critical_current(p, hold_s=3600.0).modes
        if m.mode == "electronic leakage"
    )  # fmt: skip
    long_hold = next(
        m.ccd_A_m2 for m in critical_current(p, hold_s=36000.0).modes
        if m.mode == "electronic leakage"
    )  # fmt: skip
    assert long_hold < short_hold
    # compliance: the fresh cell's |V| at that j equals voltage_limit (closed form, no growth)
    flat = replace(
        p, interphase="stable", interphase_coated="stable", initial_contact_fraction=1.0,
        sse_sigma_e=0.0, voltage_limit=1.0,
    )  # fmt: skip
    comp = next(m for m in critical_current(flat, hold_s=3600.0).modes if m.mode == "compliance")
    j = comp.ccd_A_m2
    bv = 2 * RT_F * math.asinh(j / (2 * flat.exchange_current_density))
    assert j * flat.sse_thickness / flat.sse_sigma_ion + 2 * bv == pytest.approx(1.0, rel=1e-6)


def test_simulation_reports_its_ccd():
    _, result = run("llzto_bare", 0.1, 2, sample_s=1800)
    cc = result.critical_current
    assert cc is not None and cc.hold_s == pytest.approx(4 * 3600)
    d = result.to_dict()["critical_current"]
    assert d["mode"] == cc.mode and len(d["modes"]) == 4
    assert d["ccd_mA_cm2"] == pytest.approx(cc.ccd_A_m2 / 10)
    _, llto = run("llto", 0.1, 1, sample_s=1800)
    pen = next(m for m in llto.critical_current.modes if m.mode == "plating penetration")
    assert pen.ccd_A_m2 is None and "not evaluated" in pen.detail


@pytest.mark.parametrize("temperature", [303.15, 433.15])
def test_time_domain_voids_start_exactly_at_the_closed_form_ccd(temperature):
    """The simulator's stripping and the CCD's void mode are one physics: on a staircase of
    0.5-h steps the contact holds at every level below j* and starts to fall in the first
    level above it (30 and 160 °C, seed 003's range)."""
    from ssblab.models.voids import stripping_ccd

    p = replace(
        params("llzto_bare"), stack_pressure=1e6, initial_contact_fraction=1.0,
        temperature=temperature, sse_sigma_e=0.0, voltage_limit=1e4,
    )  # fmt: skip
    j_star = stripping_ccd(
        1e6, temperature, contact_fraction=1.0, step_time_s=1800.0
    ).ccd_A_m2  # fmt: skip
    factors = np.array([0.5, 0.8, 0.95, 1.05, 1.3])
    run = simulate_symmetric(
        p, staircase_protocol(list(j_star * factors), 1, 1800.0), sample_s=60.0
    )
    level = (run.history["time_s"] // 3600).astype(int)
    lowest = run.history.groupby(level)["contact_working"].min().to_numpy()
    assert np.all(lowest[factors < 1] == 1.0)
    assert np.all(lowest[factors > 1] < 1.0)
    assert lowest[-1] < lowest[-2]  # more current above j*, more contact lost


def test_stripping_voids_lower_the_plating_penetration_ccd():
    """Kasemchainan et al. 2019: voids from stripping make dendrites on plating. Below the fresh
    cell's penetration CCD, a 3 MPa cell that loses contact on stripping crosses it later; at
    the sets' 50 MPa crimp (creep refills the voids) it does not."""
    from ssblab.models.simulator import penetration_ccd_at_contact

    p = replace(params("llzto_bare"), stack_pressure=3e6)
    limits = [penetration_ccd_at_contact(p, f, 10e-6) for f in (0.5, 0.4, 0.3, 0.2)]
    assert all(b < a for a, b in itertools.pairwise(limits))
    j = 0.9 * limits[0]  # below the assembled cell's penetration CCD
    protocol = constant_current_protocol(j, 10, step_time_s=7200.0)
    lossy = simulate_symmetric(p, protocol)
    risk = [n for n in lossy.notes if n.startswith("plating penetration risk")]
    assert len(risk) == 1 and lossy.history["contact_working"].min() < 0.5
    crimped = simulate_symmetric(params("llzto_bare"), protocol)
    assert not any(n.startswith("plating penetration risk") for n in crimped.notes)
    assert penetration_ccd_at_contact(params("latp_bare"), 0.5, 10e-6) is None  # LATP: MCI


def test_li_hardness_of_the_set_drives_the_rough_contact():
    """A set's li_hardness is the bulk hardness the rough-contact model scales: a harder Li
    touches less of the electrolyte at the same pressure."""
    from ssblab.models.simulator import assembled_contact_fraction

    base = replace(params("llzto_bare"), stack_pressure=150e6, initial_contact_fraction=0.01)
    soft = assembled_contact_fraction(base)
    hard = assembled_contact_fraction(replace(base, li_hardness=2 * base.li_hardness))
    assert 0.01 < hard < soft < 1.0
