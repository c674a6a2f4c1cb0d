"""The tabulated periodic table equals pymatgen's: every symbol, every atomic mass."""

import pytest

from ssblab.composition.elements import ATOMIC_MASS_G_MOL
from ssblab.composition.formula import molar_mass_g_mol, parse_formula

periodic_table = pytest.importorskip("pymatgen.core.periodic_table")


def test_every_pymatgen_element_is_tabulated_with_its_mass():
    elements = list(periodic_table.Element)
    assert [e.symbol for e in elements] == list(ATOMIC_MASS_G_MOL)
    for element in elements:
        assert ATOMIC_MASS_G_MOL[element.symbol] == float(element.atomic_mass), element.symbol


@pytest.mark.parametrize(
    "formula", ["Li6.4La3Zr1.4Ta0.6O12", "Li1.3Al0.3Ti1.7(PO4)3", "Li0.33La0.55TiO3"]
)
def test_molar_mass_matches_pymatgen(formula):
    from pymatgen.core import Composition

    expected = float(Composition(formula).weight)
    assert molar_mass_g_mol(parse_formula(formula)) == pytest.approx(expected, rel=1e-12)
