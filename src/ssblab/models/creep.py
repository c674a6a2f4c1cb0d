"""Power-law creep of Li metal with a size-dependent flow stress.

**Creep law** (steady-state power-law creep; LePage et al., J. Electrochem. Soc. 166 (2019) A89,
doi:10.1149/2.0221902jes; Masias et al., J. Mater. Sci. 54 (2019) 2585,
doi:10.1007/s10853-018-2971-3)::

    ε̇ = ε̇_ref · (σ/σ_ref(ℓ))^n · exp[−Q/R·(1/T − 1/T_ref)]

σ the (deviatoric, von Mises) stress in Pa, ε̇ the strain rate in 1/s, T in K.

* n = 6.6: LePage et al. (room temperature to 90 °C); Masias et al. report 6.56. ``LI_CREEP_N``.
* Q = 37 kJ/mol: LePage et al. ``LI_CREEP_Q_J_MOL``.
* Anchor σ_ref = 0.8 MPa at ε̇_ref = 5e-4 1/s, 298.15 K: the bulk yield/flow stress of
  polycrystalline Li at quasi-static rates (Masias et al.: 0.57–1.26 MPa in tension and
  compression; LePage et al.: ≈ 0.6–1.2 MPa over 5e-5…5e-3 1/s at room temperature, i.e. a
  factor 100^(1/6.6) = 2.0 in stress). **As recalled, not re-checked against the papers (not
  available here): the anchor is listed as assumed in every replication band.**

**Size effect** (Xu, Ahmad, ... Cui, Nix, Proc. Natl. Acad. Sci. USA 114 (2017) 57): the yield
strength of Li micropillars rises as D^(−0.68) with pillar diameter D, ≈ 105 MPa near D = 1 µm at
room temperature (as recalled). We apply it to a deforming feature of size ℓ (an asperity
contact, a void):

    σ_ref(ℓ) = max(σ_bulk, σ_1µm · (ℓ/1 µm)^(−m)),  m = 0.68, σ_1µm = 105 MPa

so features larger than ≈ 1.3 mm flow at the bulk stress. **Validity:** 0.5 µm ≲ ℓ; solid Li
(T < 453.65 K); the exponent and prefactor at other temperatures are not size-corrected (the
Arrhenius factor is applied to the rate only).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ssblab.errors import SsblabInputError
from ssblab.units import non_negative_si, positive_si

GAS_CONSTANT_J_MOL_K = 8.314462618  # J/(mol K) (CODATA 2018)
#: Melting point of Li, K (CRC Handbook).
LI_MELTING_POINT_K = 453.65
#: Stress exponent of Li power-law creep (LePage et al. 2019; Masias et al. 2019: 6.56).
LI_CREEP_N = 6.6
#: Creep activation energy of Li, J/mol (LePage et al. 2019).
LI_CREEP_Q_J_MOL = 37e3
#: Bulk flow stress of Li at ``LI_CREEP_RATE_REF_PER_S`` and 298.15 K, Pa (Masias et al. 2019).
LI_FLOW_STRESS_BULK_PA = 0.8e6
#: Strain rate of the anchor, 1/s (quasi-static tests of Masias / LePage).
LI_CREEP_RATE_REF_PER_S = 5e-4
#: Size effect of the Li yield strength (Xu et al., PNAS 114 (2017) 57): σ ∝ ℓ^−0.68 ...
LI_SIZE_EXPONENT = 0.68
#: ... with ≈ 105 MPa at 1 µm, Pa.
LI_FLOW_STRESS_1UM_PA = 105e6


@dataclass(frozen=True)
class CreepParameters:
    """Li power-law creep (SI); defaults cited in the module docstring."""

    stress_exponent: float = LI_CREEP_N
    activation_J_mol: float = LI_CREEP_Q_J_MOL
    flow_stress_bulk_Pa: float = LI_FLOW_STRESS_BULK_PA
    strain_rate_ref_per_s: float = LI_CREEP_RATE_REF_PER_S
    reference_temperature_K: float = 298.15
    size_exponent: float = LI_SIZE_EXPONENT
    flow_stress_1um_Pa: float = LI_FLOW_STRESS_1UM_PA

    def __post_init__(self) -> None:
        for name in (
            "stress_exponent",
            "flow_stress_bulk_Pa",
            "strain_rate_ref_per_s",
            "reference_temperature_K",
            "flow_stress_1um_Pa",
        ):
            positive_si(getattr(self, name), "", name)
        for name in ("activation_J_mol", "size_exponent"):
            non_negative_si(getattr(self, name), "", name)


DEFAULT_CREEP = CreepParameters()


def temperature_K(value) -> float:
    """A Li temperature in K, 0 < T < T_m(Li)."""
    t = positive_si(value, "K", "temperature_K")
    if t >= LI_MELTING_POINT_K:
        raise SsblabInputError(
            f"temperature_K must be below the melting point of Li ({LI_MELTING_POINT_K} K), got {t}"
        )
    return t


def reference_flow_stress_Pa(size_m=None, params: CreepParameters = DEFAULT_CREEP) -> float:
    """σ_ref(ℓ) = max(σ_bulk, σ_1µm·(ℓ/1 µm)^−m); ``size_m=None`` is bulk Li."""
    if size_m is None:
        return params.flow_stress_bulk_Pa
    size = positive_si(size_m, "m", "size_m")
    small = params.flow_stress_1um_Pa * (size / 1e-6) ** (-params.size_exponent)
    return max(params.flow_stress_bulk_Pa, small)


def _arrhenius(t: float, params: CreepParameters) -> float:
    x = params.activation_J_mol / GAS_CONSTANT_J_MOL_K
    return math.exp(-x * (1.0 / t - 1.0 / params.reference_temperature_K))


def strain_rate_per_s(
    stress_Pa, temperature, *, size_m=None, params: CreepParameters = DEFAULT_CREEP
) -> float:
    """ε̇ = ε̇_ref·(σ/σ_ref(ℓ))^n·exp[−Q/R(1/T − 1/T_ref)] in 1/s (σ ≥ 0)."""
    sigma = non_negative_si(stress_Pa, "Pa", "stress_Pa")
    t = temperature_K(temperature)
    ratio = sigma / reference_flow_stress_Pa(size_m, params)
    return params.strain_rate_ref_per_s * ratio**params.stress_exponent * _arrhenius(t, params)


def flow_stress_Pa(
    strain_rate, temperature, *, size_m=None, params: CreepParameters = DEFAULT_CREEP
) -> float:
    """Inverse of :func:`strain_rate_per_s`: σ = σ_ref(ℓ)·(ε̇/(ε̇_ref·A(T)))^(1/n) in Pa."""
    rate = positive_si(strain_rate, "1/s", "strain_rate")
    t = temperature_K(temperature)
    x = rate / (params.strain_rate_ref_per_s * _arrhenius(t, params))
    return reference_flow_stress_Pa(size_m, params) * x ** (1.0 / params.stress_exponent)


def creep_softening(hold_time_s, temperature, reference_time_s, params=DEFAULT_CREEP) -> float:
    """Factor by which a flow stress (or hardness) measured over ``reference_time_s`` at T_ref
    falls for a load held ``hold_time_s`` at T: (t_ref/t)^(1/n)·A(T)^(−1/n) (the rate of a
    hold of length t is ≈ ε/t)."""
    t_hold = positive_si(hold_time_s, "s", "hold_time_s")
    t_ref = positive_si(reference_time_s, "s", "reference_time_s")
    t = temperature_K(temperature)
    n = params.stress_exponent
    return (t_ref / t_hold) ** (1.0 / n) * _arrhenius(t, params) ** (-1.0 / n)
