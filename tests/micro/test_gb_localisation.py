"""Where Li deposits inside a garnet polycrystal: at the grain boundaries only when they
conduct electrons better than the grains (seed 000's mechanism), in the grains otherwise."""

from dataclasses import replace

import numpy as np
import pytest

from ssblab.micro.build import build_network
from ssblab.micro.deposition import solve_deposition
from ssblab.micro.presets import CONTACT_ASR_OHM_M2, materials
from ssblab.micro.structure import PolycrystalSpec, build_polycrystal


@pytest.fixture(scope="module")
def crystal():
    spec = PolycrystalSpec(n_grains=200, mean_grain_size_m=5e-6, dimension=2,
                           box_aspect=(2, 1), seed=0)  # fmt: skip
    return build_polycrystal(spec)


def gb_share(crystal, sigma_e_gb):
    mat = materials("llzto-bare")
    mat = replace(mat, gb=replace(mat.gb, sigma_e_s_per_m=sigma_e_gb))
    net = build_network(crystal, mat, gb_network=True)
    result = solve_deposition(
        net, 10.0, 298.15, charge_transfer_asr_ohm_m2=CONTACT_ASR_OHM_M2["llzto-bare"]
    )
    current = np.asarray(result.deposition_current_a)
    return float(current[net.node_kind == 1].sum() / current.sum()), result.deposition_fraction


def test_deposition_moves_to_the_grain_boundaries_as_they_conduct_electrons(crystal):
    shares = [gb_share(crystal, s) for s in (1e-6, 1e-3, 1e-1)]
    (s_equal, f_equal), (s_mid, f_mid), (s_high, f_high) = shares
    assert s_equal < 0.05  # GBs no better than the grains (1e-6 S/m): grains take it
    assert s_equal < s_mid < s_high and s_high > 0.8
    assert f_equal <= f_mid < f_high  # and more of the current deposits inside
