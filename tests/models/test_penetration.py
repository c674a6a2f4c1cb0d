"""Plating penetration: Griffith–Irwin pressure, focusing, venting, CCD vs flaw size and ASR."""

import math
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssblab.errors import SsblabInputError
from ssblab.models import mechanics
from ssblab.models.dendrite import LI_MOLAR_VOLUME_M3_MOL, growth_driving_force_J
from ssblab.models.penetration import (
    FARADAY_C_MOL,
    LATP,
    LI_BULK_YIELD_STRESS_PA,
    LLZO,
    FractureParameters,
    critical_pressure_Pa,
    extrusion_pressure_Pa,
    flaw_opening_m,
    minimum_flaw_size_m,
    plating_penetration,
    plating_pressure_Pa,
)

# LLZO flaws that do not vent (c > c_min ≈ 1.5 µm) and interfacial ASRs 0.1–1000 Ω cm²
SIZES = st.floats(2e-6, 1e-3)
ASRS = st.floats(1e-5, 1e-1)


def test_cited_llzo_constants():
    assert LLZO.fracture_toughness_Pa_sqrt_m == 1.51e6  # Hu et al. 2021, 98 % dense LLZTO
    assert LLZO.youngs_modulus_Pa == 149.8e9  # Ni et al. 2012, 3 % porosity
    # ν = E/(2G) − 1 with the seeds' G = 60 GPa
    assert LLZO.poisson_ratio == pytest.approx(149.8 / 120.0 - 1.0)
    assert LLZO.li_flow_stress_Pa == 12.2e6  # seed 003 ref. [96], lower end of 12.2–244 MPa
    assert LATP.fracture_toughness_Pa_sqrt_m == 1.1e6  # Jackman & Cutler 2012


def test_griffith_irwin_closed_form():
    # K_Ic = 1.51 MPa m^0.5, Y = 1.1215, c = 10 µm: 1.51e6 / (1.1215·sqrt(pi·1e-5)) = 240.2 MPa
    assert critical_pressure_Pa(10e-6) == pytest.approx(240.2e6, rel=1e-3)
    assert critical_pressure_Pa("10 um") == pytest.approx(critical_pressure_Pa(1e-5))


@given(c1=st.floats(1e-8, 1e-2), c2=st.floats(1e-8, 1e-2))
def test_critical_pressure_scales_as_inverse_sqrt_c(c1, c2):
    ratio = critical_pressure_Pa(c1) / critical_pressure_Pa(c2)
    assert ratio == pytest.approx(math.sqrt(c2 / c1), rel=1e-12)


def test_opening_and_extrusion_closed_forms():
    e_ps = LLZO.youngs_modulus_Pa / (1 - LLZO.poisson_ratio**2)
    assert LLZO.plane_strain_modulus_Pa == pytest.approx(e_ps)
    assert flaw_opening_m(1e8, 1e-5) == pytest.approx(4 * 1.454 * 1e8 * 1e-5 / e_ps)
    assert extrusion_pressure_Pa(1e-5, 1e-7, 1e6) == pytest.approx(2 / math.sqrt(3) * 1e6 * 100)


def test_plating_pressure_is_raj_wolfenstine_energy_per_volume():
    # 1 mV of interfacial overpotential is F·1e-3/V_m = 7.4 MPa of Li pressure
    assert plating_pressure_Pa(10.0, 1e-4, 1.0) == pytest.approx(
        FARADAY_C_MOL * 1e-3 / LI_MOLAR_VOLUME_M3_MOL
    )
    assert plating_pressure_Pa(10.0, 1e-4, 1.0) == pytest.approx(7.42e6, rel=1e-2)


def test_ccd_closed_form_and_eq5_balance():
    c, k = 10e-6, 1e-3  # 10 µm, 10 Ω cm²
    r = plating_penetration(c, k)
    e_ps = LLZO.plane_strain_modulus_Pa
    expected = (
        4 * 1.454 * LI_MOLAR_VOLUME_M3_MOL * 1.51e6**2 / (math.pi * 1.1215**2 * FARADAY_C_MOL
        * e_ps * k * c)
    )  # fmt: skip
    assert r.ccd_A_m2 == pytest.approx(expected, rel=1e-12)
    assert r.ccd_A_m2 == pytest.approx(0.283, rel=1e-2)  # 28.3 µA/cm²
    assert r.focusing_factor == pytest.approx(c / r.opening_m)
    assert r.critical_overpotential_V == pytest.approx(32.4e-3, rel=1e-2)
    # at j_pen the Raj–Wolfenstine Eq. 5 driving force with back stress P_crit vanishes
    zero = growth_driving_force_J(r.ccd_A_m2, k, c, r.opening_m, r.critical_pressure_Pa)
    assert abs(zero) < 1e-9 * r.critical_pressure_Pa * 2.16e-29
    assert plating_pressure_Pa(r.ccd_A_m2, k, r.focusing_factor) == pytest.approx(
        r.critical_pressure_Pa
    )


def test_small_flaws_vent_large_ones_penetrate():
    c_min = minimum_flaw_size_m()
    e_ps = LLZO.plane_strain_modulus_Pa
    assert c_min == pytest.approx(
        2 * math.sqrt(3) * 1.454 * 1.51e6**2 / (math.pi * 1.1215**2 * 12.2e6 * e_ps)
    )
    assert 1e-6 < c_min < 2e-6
    below, above = plating_penetration(0.99 * c_min, 1e-4), plating_penetration(1.01 * c_min, 1e-4)
    assert below.vents and below.ccd_A_m2 is None and below.notes
    assert not above.vents and above.ccd_A_m2 > 0
    assert below.extrusion_pressure_Pa < below.critical_pressure_Pa
    # bulk Li (0.8 MPa) vents 15× larger flaws
    bulk = replace(LLZO, li_flow_stress_Pa=LI_BULK_YIELD_STRESS_PA)
    assert minimum_flaw_size_m(bulk) / c_min == pytest.approx(12.2 / 0.8)


@given(c1=SIZES, c2=SIZES, k=ASRS)
def test_ccd_falls_with_flaw_size(c1, c2, k):
    small, large = sorted((c1, c2))
    j_small = plating_penetration(small, k).ccd_A_m2
    j_large = plating_penetration(large, k).ccd_A_m2
    assert j_large <= j_small * (1 + 1e-12)
    assert j_large * large == pytest.approx(j_small * small, rel=1e-9)  # j ∝ 1/c


@given(k1=ASRS, k2=ASRS, c=SIZES)
def test_ccd_falls_with_asr_as_inverse(k1, k2, c):
    lo, hi = sorted((k1, k2))
    j_lo, j_hi = plating_penetration(c, lo).ccd_A_m2, plating_penetration(c, hi).ccd_A_m2
    assert j_hi <= j_lo * (1 + 1e-12)
    assert j_hi * hi == pytest.approx(j_lo * lo, rel=1e-9)


@given(k1=st.floats(0.3e6, 3e6), k2=st.floats(0.3e6, 3e6))
def test_tougher_electrolyte_carries_more(k1, k2):
    lo, hi = sorted((k1, k2))
    weak, tough = (replace(LLZO, fracture_toughness_Pa_sqrt_m=k) for k in (lo, hi))
    c = 1e-3  # large enough not to vent for any of these toughnesses
    assert plating_penetration(c, 1e-3, fracture=tough).ccd_A_m2 >= plating_penetration(
        c, 1e-3, fracture=weak
    ).ccd_A_m2 * (1 - 1e-12)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: critical_pressure_Pa(0.0), "flaw_size_m"),
        (lambda: critical_pressure_Pa(-1e-6), "flaw_size_m"),
        (lambda: plating_penetration(1e-5, 0.0), "asr_ohm_m2"),
        (lambda: plating_penetration(1e-5, float("nan")), "asr_ohm_m2"),
        (lambda: plating_pressure_Pa(-1.0, 1e-4, 1.0), "current_density_A_m2"),
        (lambda: extrusion_pressure_Pa(1e-5, 0.0, 1e6), "opening_m"),
        (lambda: replace(LLZO, fracture_toughness_Pa_sqrt_m=0.0), "fracture_toughness"),
        (lambda: replace(LLZO, poisson_ratio=0.5), "poisson_ratio"),
        (lambda: plating_penetration(1e-5, 1e-4, fracture="LLZO"), "fracture"),
        (lambda: plating_penetration(1e-10, 1e-4), "flaw_size_m"),  # opens wider than deep
    ],
)
def test_bad_input(call, name):
    with pytest.raises(SsblabInputError, match=name):
        call()


def test_mechanics_plane_strain_modulus():
    assert mechanics.plane_strain_modulus_Pa(100e9, 0.0) == pytest.approx(100e9)
    assert isinstance(LLZO, FractureParameters)
