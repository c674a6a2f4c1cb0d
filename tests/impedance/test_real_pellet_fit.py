"""The LPSCl pellet measured once and exported three ways gives one fit (seed-style analysis).

Li6PS5Cl between stainless-steel blocking electrodes at −25 °C (BSD-3 data from
jdhuang-csm/hybrid-drt, copied with attribution in tests/data/NOTICE.md): EC-Lab text, EC-Lab
binary ``.mpr`` and RelaxIS export of the same 79 points. The data set gives no geometry; the
conductivity tests use two illustrative ones and check σ against a model-free bracket read off
the spectrum.
"""

from pathlib import Path

import numpy as np
import pytest

from ssblab.impedance.fitting import fit
from ssblab.impedance.interpretation import Geometry, interpret
from ssblab.impedance.suggest import suggest_circuit
from ssblab.io.eis import read_eis

DATA = Path(__file__).resolve().parents[1] / "data" / "eis"
FILES = [
    "lpscl_pellet_ionblocking_m25C_peis.txt",
    "lpscl_pellet_ionblocking_m25C_peis.mpr",
    "lpscl_pellet_ionblocking_m25C_relaxis.txt",
]


@pytest.fixture(scope="module")
def spectra():
    return [read_eis(DATA / name)[0].sorted() for name in FILES]


@pytest.fixture(scope="module")
def fits(spectra):
    return [fit("R0-p(R1,CPE1)-CPE2", s.frequency_hz, s.impedance_ohm) for s in spectra]


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


def _bracket(spectrum) -> tuple[float, float, float]:
    """Model-free electrolyte resistance: Z' at the −Z'' minimum between arc and tail, and
    Z' of the highest-frequency point (the intercept lies between 0 and it)."""
    f, z = spectrum.frequency_hz, spectrum.impedance_ohm
    order = np.argsort(f)[::-1]
    minus_im = -z.imag[order]
    apex = int(np.argmax(minus_im[: order.size // 3]))  # the electrolyte arc's top
    junction = apex + int(np.argmin(minus_im[apex : order.size // 2]))
    return float(z.real[order][junction]), float(z.real[order][0]), float(f[order][junction])


@pytest.mark.parametrize(
    "geometry",
    [Geometry.disc(0.5e-3, 12e-3), Geometry.disc(1e-3, 10e-3)],
    ids=["0.5mm-12mm", "1mm-10mm"],
)
def test_auto_conductivity_is_bracketed_by_the_data_or_refused(spectra, geometry):
    """σ_total from the auto circuit lies inside L/(A Z'_junction) … L/(A (Z'_junction −
    Z'_top)), or it is refused; never a number outside what the data allow."""
    outcomes = []
    for spectrum in spectra:
        f, z = spectrum.frequency_hz, spectrum.impedance_ohm
        chosen = suggest_circuit(f, z, cell="pellet")
        it = interpret(chosen.fit, geometry, frequency_hz=f, impedance_ohm=z)
        junction, top, _ = _bracket(spectrum)
        if not it.bulk_resolved:
            assert it.sigma_bulk_S_m is None and it.bulk_reason
        if it.total_resolved:
            low = geometry.cell_constant_per_m / junction
            high = geometry.cell_constant_per_m / (junction - top)
            assert low * 0.95 <= it.sigma_total_S_m <= high * 1.05
        else:
            assert it.sigma_total_S_m is None and it.total_reason
        if it.bulk_resolved and it.total_resolved:
            assert it.sigma_bulk_S_m >= it.sigma_total_S_m
        outcomes.append((it.bulk_resolved, it.total_resolved))
    assert len(set(outcomes)) == 1  # the three exports agree


def test_thin_pellet_geometry_resolves_the_bulk_arc(spectra):
    """With ε_r ≈ 60 (0.5 mm, 12 mm) the electrolyte arc is in the bulk band and peaks inside
    the window (~1 MHz < 7 MHz): σ_bulk is reported, from the arc."""
    spectrum = spectra[0]
    f, z = spectrum.frequency_hz, spectrum.impedance_ohm
    chosen = suggest_circuit(f, z, cell="pellet")
    it = interpret(chosen.fit, Geometry.disc(0.5e-3, 12e-3), frequency_hz=f, impedance_ohm=z)
    assert it.bulk_resolved and it.bulk_source.startswith("arc")
    assert "CPE" in chosen.circuit.rsplit("-", 1)[-1]  # a blocking tail was found
