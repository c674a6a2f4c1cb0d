"""No parameter set turns a mechanism off with a zero: electronic leakage is excluded for LATP and
LLTO by their reduction by Li (a cited mechanism), and is required for Li-stable garnets."""

import pytest

from ssblab.errors import SsblabInputError
from ssblab.models.parameter_schema import available_sets, parameter_set, with_overrides
from ssblab.models.simulator import (
    constant_current_protocol,
    critical_current,
    filaments_possible,
    simulate_symmetric,
)


def test_no_set_holds_a_zero_electronic_conductivity():
    for name in available_sets():
        raw, p = parameter_set(name)
        assert p.sse_sigma_e is None or p.sse_sigma_e > 0, name
        if p.sse_sigma_e is None:
            assert "reduces" in raw.parameters["sse_sigma_e"].source


@pytest.mark.parametrize(("name", "material"), [("latp_bare", "LATP"), ("llto", "LLTO")])
def test_mci_electrolytes_grow_no_filaments_and_say_why(name, material):
    _, p = parameter_set(name)
    assert p.sse_material == material and p.sse_sigma_e is None
    possible, why = filaments_possible(p)
    assert not possible and f"no Li filaments in {material}" in why
    run = simulate_symmetric(p, constant_current_protocol(0.1, 3, step_time_s=3600.0))
    assert run.short_time_s is None and any(why == note for note in run.notes)
    leak = next(
        m for m in critical_current(p, hold_s=3600.0).modes if m.mode == "electronic leakage"
    )
    assert leak.ccd_A_m2 is None and material in leak.detail


def test_a_garnet_needs_its_electronic_conductivity():
    _, p = parameter_set("llzto_bare")
    assert p.sse_material == "LLZO" and filaments_possible(p)[0]
    missing = with_overrides(p, {"sse_sigma_e": "null"})
    with pytest.raises(SsblabInputError, match="sse_sigma_e is required for LLZO"):
        filaments_possible(missing)


def test_only_sse_sigma_e_may_be_null():
    _, p = parameter_set("llzto_bare")
    with pytest.raises(SsblabInputError, match="sse_thickness: a value is required"):
        with_overrides(p, {"sse_thickness": "null"})
