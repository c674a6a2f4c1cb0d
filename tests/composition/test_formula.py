import pytest
from hypothesis import given
from hypothesis import strategies as st
from pymatgen.core import Composition

from ssblab.composition import molar_mass_g_mol, parse_formula
from ssblab.errors import FormulaError

EXPECTED = {
    "Li6.4La3Zr1.4Ta0.6O12": {"Li": 6.4, "La": 3, "Zr": 1.4, "Ta": 0.6, "O": 12},
    "Li1.3Al0.3Ti1.7(PO4)3": {"Li": 1.3, "Al": 0.3, "Ti": 1.7, "P": 3, "O": 12},
    "Li0.33La0.55TiO3": {"Li": 0.33, "La": 0.55, "Ti": 1, "O": 3},
    "Li6.6La3Zr0.4Hf0.4Sn0.2Sc0.2Ta0.6O12": {
        "Li": 6.6,
        "La": 3,
        "Zr": 0.4,
        "Hf": 0.4,
        "Sn": 0.2,
        "Sc": 0.2,
        "Ta": 0.6,
        "O": 12,
    },
    "LiAlO2": {"Li": 1, "Al": 1, "O": 2},
    "Li2CO3": {"Li": 2, "C": 1, "O": 3},
    "Ca3(PO4)2": {"Ca": 3, "P": 2, "O": 8},
    "Li2[SO4]": {"Li": 2, "S": 1, "O": 4},
    "((LiO)2Al)3": {"Li": 6, "O": 6, "Al": 3},
}


@pytest.mark.parametrize(("formula", "expected"), EXPECTED.items())
def test_parses_the_papers_formulas(formula, expected):
    parsed = parse_formula(formula)
    assert parsed == pytest.approx(expected)
    assert list(parsed) == list(expected)  # order of first appearance


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ("Li2Xx", "unknown element 'Xx'"),
        ("Li2)O", "unbalanced parentheses"),
        ("(Li2O", "unbalanced parentheses"),
        ("Li-1O", "negative"),
        ("Li2O0", "must be positive"),
        ("", "empty"),
        ("   ", "empty"),
        ("Li2()O", "empty parentheses"),
        ("Li2O3.", "unexpected character"),
        ("li2o", "unexpected character"),
        ("2Li", "amount without an element"),
    ],
)
def test_bad_formulas_name_the_problem(formula, message):
    with pytest.raises(FormulaError, match=message):
        parse_formula(formula)


@pytest.mark.parametrize(
    "formula", ["Li6.4La3Zr1.4Ta0.6O12", "Li1.3Al0.3Ti1.7(PO4)3", "Li2CO3", "LiAlO2"]
)
def test_molar_mass_agrees_with_pymatgen(formula):
    expected = float(Composition(formula).weight)
    assert molar_mass_g_mol(parse_formula(formula)) == pytest.approx(expected, rel=1e-12)


def test_molar_mass_of_li2co3_by_hand():
    # 2·6.941 + 12.0107 + 3·15.9994 (pymatgen's standard masses)
    assert molar_mass_g_mol({"Li": 2, "C": 1, "O": 3}) == pytest.approx(73.8909, abs=1e-3)


SYMBOLS = ["Li", "La", "Zr", "Ta", "O", "Al", "Ga", "Ti", "P", "Nb", "F", "H", "Sc", "Hf"]
amounts = st.floats(min_value=0.01, max_value=50, allow_nan=False).map(lambda x: round(x, 3))


@given(st.dictionaries(st.sampled_from(SYMBOLS), amounts, min_size=1, max_size=8))
def test_round_trip(composition):
    formula = "".join(f"{el}{n:g}" for el, n in composition.items())
    assert parse_formula(formula) == pytest.approx(composition)


@given(
    st.dictionaries(st.sampled_from(SYMBOLS), amounts, min_size=1, max_size=5),
    st.integers(min_value=1, max_value=9),
)
def test_group_multiplier_scales_every_amount(composition, multiplier):
    inner = "".join(f"{el}{n:g}" for el, n in composition.items())
    parsed = parse_formula(f"({inner}){multiplier}")
    assert parsed == pytest.approx({el: n * multiplier for el, n in composition.items()})


@given(st.text(max_size=20))
def test_arbitrary_text_parses_or_raises_formula_error(text):
    try:
        result = parse_formula(text)
    except FormulaError:
        return
    assert result and all(n > 0 for n in result.values())
