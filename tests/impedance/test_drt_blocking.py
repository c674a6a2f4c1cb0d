"""DRT of blocking-electrode spectra: the series tail is fitted beside γ."""

import numpy as np
import pytest

from ssblab.impedance.circuits import Circuit
from ssblab.impedance.drt import drt

FREQ = np.logspace(6, -1, 85)
TEXT = "R0-p(R1,CPE1)-p(R2,CPE2)-CPE3"
PARAMS = [2.0, 2e4, 2e-10, 0.95, 1.7e4, 1e-7, 0.85, 2e-6, 0.85]


def true_taus():
    return [(PARAMS[1] * PARAMS[2]) ** (1 / PARAMS[3]), (PARAMS[4] * PARAMS[5]) ** (1 / PARAMS[6])]


@pytest.mark.parametrize("noise", [0.0, 0.003])
def test_arcs_found_next_to_a_blocking_tail(noise):
    rng = np.random.default_rng(4)
    z = Circuit(TEXT).impedance(FREQ, PARAMS)
    z = z * (1 + noise * (rng.normal(size=z.size) + 1j * rng.normal(size=z.size)))
    result = drt(FREQ, z)  # tail="auto" detects the blocking tail
    assert result.tail_alpha == pytest.approx(0.85, abs=0.05)
    inside = [p for p in result.peaks if p.inside_measured_range]
    dominant = sorted(sorted(inside, key=lambda p: -p.resistance_ohm)[:2], key=lambda p: p.tau_s)
    for peak, tau, r in zip(dominant, true_taus(), (PARAMS[1], PARAMS[4]), strict=True):
        assert abs(np.log10(peak.tau_s / tau)) < 0.1
        assert peak.resistance_ohm == pytest.approx(r, rel=0.1)


def test_without_the_tail_term_the_tail_swamps_the_distribution():
    z = Circuit(TEXT).impedance(FREQ, PARAMS)
    plain = drt(FREQ, z, tail="none")
    inside = [p for p in plain.peaks if p.inside_measured_range]
    assert len(inside) < 2 or plain.tail_alpha is None


def test_bad_tail_option():
    from ssblab.errors import ImpedanceDataError

    z = Circuit(TEXT).impedance(FREQ, PARAMS)
    with pytest.raises(ImpedanceDataError, match="tail must be"):
        drt(FREQ, z, tail="warburg")
