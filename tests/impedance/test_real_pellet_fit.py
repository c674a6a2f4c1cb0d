"""The LPSCl pellet measured once and exported three ways gives one fit (seed-style analysis).

Li6PS5Cl between stainless-steel blocking electrodes at −25 °C (BSD-3 data from
jdhuang-csm/hybrid-drt, copied with attribution in tests/data/NOTICE.md): EC-Lab text, EC-Lab
binary ``.mpr`` and RelaxIS export of the same 79 points.
"""

from pathlib import Path

import numpy as np
import pytest

from ssblab.impedance.fitting import fit
from ssblab.impedance.interpretation import Geometry, interpret
from ssblab.io.eis import read_eis

DATA = Path(__file__).resolve().parents[1] / "data" / "eis"
FILES = [
    "lpscl_pellet_ionblocking_m25C_peis.txt",
    "lpscl_pellet_ionblocking_m25C_peis.mpr",
    "lpscl_pellet_ionblocking_m25C_relaxis.txt",
]


@pytest.fixture(scope="module")
def fits():
    pytest.importorskip("galvani")
    out = []
    for name in FILES:
        (spectrum,) = read_eis(DATA / name)
        spectrum = spectrum.sorted()
        out.append(fit("R0-p(R1,CPE1)-CPE2", spectrum.frequency_hz, spectrum.impedance_ohm))
    return out


def test_three_exports_give_the_same_fit(fits):
    reference = fits[0].parameters
    for other in fits[1:]:
        np.testing.assert_allclose(other.parameters, reference, rtol=1e-5)
        assert other.chi2 == pytest.approx(fits[0].chi2, rel=1e-5)


def test_pellet_fit_is_physical(fits):
    result = fits[0]
    # a sulfide pellet at −25 °C: one electrolyte arc, then the blocking tail
    assert result.reduced_chi2 < 1e-3
    assert 0.6 < result.parameter_dict()["CPE2_1"] <= 1.0
    # illustrative geometry (the data set gives none): 1 mm thick, 10 mm electrodes
    it = interpret(result, Geometry.disc(1e-3, 10e-3))
    assert it.sigma_total_S_m > 0
