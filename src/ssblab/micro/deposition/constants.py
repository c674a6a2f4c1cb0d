"""Constants of :mod:`ssblab.micro.deposition`: physical constants, the sources of the default
exchange current density and onset threshold, LLZO's oxidation limit, numerical limits."""

from __future__ import annotations

#: Faraday constant, C/mol (CODATA 2018).
FARADAY_C_MOL = 96485.33212
#: Gas constant, J/(mol·K) (CODATA 2018).
GAS_CONSTANT_J_MOL_K = 8.314462618
#: Lowest Li|LLZO charge-transfer ASR of seed 003 Table 1, Ω·m² (2 Ω·cm², wet polish + 500 °C;
#: s003-t1-r05-wetpolish-500c-asr). Source of the default exchange current density.
LI_LLZO_ASR_OHM_M2 = 2.0e-4
#: Default exchange current density for Li⁺ + e⁻ ⇌ Li at internal sites, A/m²:
#: j₀ = RT/(F·ASR) at 298.15 K with ASR = LI_LLZO_ASR_OHM_M2 (≈ 128.5 A/m² = 12.9 mA/cm²).
EXCHANGE_CURRENT_DENSITY_A_M2 = GAS_CONSTANT_J_MOL_K * 298.15 / FARADAY_C_MOL / LI_LLZO_ASR_OHM_M2
#: Default threshold on f_dep for :func:`deposition_onset` (see its docstring).
ONSET_THRESHOLD = 1.0e-3
#: LLZO thermodynamic oxidation limit vs Li, V (Zhu, He & Mo, ACS AMI 7 (2015) 23685).
LLZO_OXIDATION_LIMIT_V = 2.91

_EXP_CAP = 300.0  # exponent clip (300 RT/F ≈ 7.7 V): trial Newton states stay finite
_BOLTZMANN_NOTE = 20.0  # |FU/RT| beyond which the dilute-defect law is flagged
_MAX_CONTINUATION_STEPS = 400
_REL_TOL = 1e-9  # U within this fraction of the cell voltage of −η_nuc counts as on it
