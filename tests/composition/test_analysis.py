import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ssblab.composition import analyse
from ssblab.errors import FormulaError

NON_NEUTRAL = {  # formula as printed in the seed -> residual charge per formula unit
    "Li6.8Al0.2La3Zr2O11.8F0.2": +0.6,  # seed 001
    "Li6.6La3Zr0.4Hf0.4Sn0.2Sc0.2Ta0.6O12": -0.8,  # seed 001 (Zr-site sum 1.8)
    "Li6.02Al0.2La3Zr2O12": -0.38,  # seed 003
    "Li6.25La3Zr1.75Nb0.25O12": -0.5,  # seed 003
}
NEUTRAL = ["Li6.4La3Zr1.4Ta0.6O12", "Li1.3Al0.3Ti1.7(PO4)3", "Li6.25Al0.25La3Zr2O12"]


@pytest.mark.parametrize(("formula", "residual"), NON_NEUTRAL.items())
def test_printed_compositions_that_are_not_neutral(formula, residual):
    report = analyse(formula)
    assert not report.neutral
    assert report.charge_balance == pytest.approx(residual, abs=1e-9)
    assert any("not charge-neutral" in note for note in report.notes)


@pytest.mark.parametrize("formula", NEUTRAL)
def test_neutral_compositions(formula):
    report = analyse(formula)
    assert report.neutral
    assert abs(report.charge_balance) <= 1e-6


def test_llzto_has_0p6_li_vacancies_and_is_cubic():
    report = analyse("Li6.4La3Zr1.4Ta0.6O12")
    assert report.family == "garnet"
    assert report.li_vacancies_pfu == pytest.approx(0.6)
    assert report.family_report.site_sums["Zr_site"] == pytest.approx(2.0)
    assert report.family_report.cubic_stabilisation["phase"] == "cubic"
    assert report.reducible_by_li == []


def test_zr_site_sum_of_the_high_entropy_misprint():
    report = analyse("Li6.6La3Zr0.4Hf0.4Sn0.2Sc0.2Ta0.6O12")
    assert report.family_report.site_sums["Zr_site"] == pytest.approx(1.8)
    assert any("Zr-site sum 1.8" in note for note in report.notes)


@pytest.mark.parametrize(
    ("formula", "family"),
    [
        ("Li6.4La3Zr1.4Ta0.6O12", "garnet"),
        ("Li7La3Zr2O12", "garnet"),
        ("Li1.3Al0.3Ti1.7(PO4)3", "nasicon"),
        ("Li1.5Al0.5Ge1.5(PO4)3", "nasicon"),
        ("Li0.33La0.55TiO3", "perovskite"),
        ("LiAlO2", "other"),
        ("Li2CO3", "other"),
    ],
)
def test_family_detection(formula, family):
    assert analyse(formula).family == family


def test_non_garnets_have_no_vacancy_count():
    assert analyse("Li1.3Al0.3Ti1.7(PO4)3").li_vacancies_pfu is None


def test_latp_site_sums_and_reducible_titanium():
    report = analyse("Li1.3Al0.3Ti1.7(PO4)3")
    sums = report.family_report.site_sums
    assert sums["M_site"] == pytest.approx(2.0)
    assert sums["polyanion_site"] == pytest.approx(3.0)
    assert sums["x_excess_Li"] == pytest.approx(0.3)
    assert [r["element"] for r in report.reducible_by_li] == ["Ti"]
    assert "seed 004" in report.reducible_by_li[0]["source"]


def test_llto_a_site_vacancies_and_rounding_note():
    report = analyse("Li0.33La0.55TiO3")
    assert report.family_report.site_sums["A_site_vacancies"] == pytest.approx(0.12)
    # Li3xLa2/3-xTiO3 printed with rounded subscripts: residual −0.02
    assert report.charge_balance == pytest.approx(-0.02)
    assert any("rounded subscripts" in note for note in report.notes)


def test_lagp_germanium_is_reducible():
    assert [r["element"] for r in analyse("Li1.5Al0.5Ge1.5(PO4)3").reducible_by_li] == ["Ge"]


@pytest.mark.parametrize(
    ("formula", "phase", "rule"),
    [
        ("Li7La3Zr2O12", "tetragonal", "Li vacancies 0 pfu"),
        ("Li6.25Al0.25La3Zr2O12", "cubic", "Al on Li site"),
        ("Li6.4Ga0.2La3Zr2O12", "cubic", "Ga on Li site > 0.07"),
        ("Li6.1Ga0.3La3Zr2O12", "cubic", "Ga on Li site >= 0.3"),
        ("Li7La3Zr0.4Hf0.4Sn0.4Sc0.4Ta0.4O12", "cubic", "configurational entropy"),
        ("Li6.4La3Zr1.4Ta0.6O12", "cubic", "Li vacancies 0.6"),
        ("Li6.8La3Zr1.8Ta0.2O12", "tetragonal", "Li vacancies 0.2"),
    ],
)
def test_cubic_stabilisation_rule_that_fires(formula, phase, rule):
    verdict = analyse(formula).family_report.cubic_stabilisation
    assert verdict["phase"] == phase
    assert rule in verdict["rule"]
    assert "seed 001" in verdict["source"]


def test_equimolar_five_cation_zr_site_entropy_is_ln5():
    report = analyse("Li7La3Zr0.4Hf0.4Sn0.4Sc0.4Ta0.4O12")
    assert report.family_report.sublattices["Zr"]["entropy_R_per_site"] == pytest.approx(
        math.log(5)
    )


def test_unknown_oxidation_state_and_override():
    with pytest.raises(FormulaError, match="no fixed oxidation state known for 'Pu'"):
        analyse("LiPuO2")
    reduced = analyse("Li1.3Al0.3Ti1.7(PO4)3", oxidation_overrides={"Ti": 3})
    assert reduced.charge_balance == pytest.approx(-1.7)


def test_bismuth_state_follows_the_site():
    assert analyse("Li5La3ZrBiO12").oxidation_states["Bi"] == 5  # garnet Zr site
    assert analyse("Bi2O3").oxidation_states["Bi"] == 3


def test_forced_family_is_noted():
    report = analyse("LiAlO2", family="garnet")
    assert report.family == "garnet"
    assert any("family forced" in note for note in report.notes)
    with pytest.raises(FormulaError, match="unknown family"):
        analyse("LiAlO2", family="spinel")


@given(st.floats(min_value=0.0, max_value=0.6))
def test_al_doping_li7_minus_3x_is_neutral_with_2x_vacancies(x):
    x = round(x, 4)
    report = analyse(f"Li{7 - 3 * x:.4f}Al{x:.4f}La3Zr2O12" if x > 0 else "Li7La3Zr2O12")
    assert report.neutral
    assert report.li_vacancies_pfu == pytest.approx(2 * x, abs=1e-6)


@given(st.floats(min_value=0.0, max_value=1.0))
def test_ta_doping_li7_minus_x_is_neutral_with_x_vacancies(x):
    x = round(x, 4)
    formula = f"Li{7 - x:.4f}La3Zr{2 - x:.4f}Ta{x:.4f}O12" if x > 0 else "Li7La3Zr2O12"
    report = analyse(formula)
    assert report.neutral
    assert report.li_vacancies_pfu == pytest.approx(x, abs=1e-6)


@pytest.mark.parametrize("formula", ["Li", "Au", "Ag2"])
def test_elements_are_neutral_with_state_zero(formula):
    report = analyse(formula)
    assert report.neutral
    assert set(report.oxidation_states.values()) == {0}
