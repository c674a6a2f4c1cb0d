"""Material presets for polycrystal simulations, every value with its source.

Conductivities in S/m at 298.15 K, activation energies in eV, thicknesses in m. A value marked
*assumption* has no seed or literature number behind it here; the sensitivity of any result to
it must be reported by the caller (``ssblab.replicate`` does).

**LLZTO grains** (seed 000, Li6.4La3Zr1.4Ta0.6O12):

* σ_ion = 4.6e-2 S/m (4.6e-4 S/cm at RT, seed 000 §3, ``s000-bare-llzto-sigma-rt``). The paper
  reports one (total) conductivity; it is taken as the grain value because the GB phase below
  adds < 1 % of the resistance for µm grains ((δ/d)·σ_g/σ_gb = (2 nm/5 µm)·15 = 0.6 %).
* E_a,ion = 0.43 eV (Ta-LLZO, seed 001 Table 2, ``s001-t2-r03-ta-ea``).
* σ_e = 1e-6 S/m (1e-8 S/cm, seed 001 §4, ``s001-s4-llzo-electronic``), taken as the value in
  contact with Li (U = 0) for the defect-chemistry law of :mod:`ssblab.micro.deposition`.
* E_a,e = 0.43 eV: *assumption* (no seed value; same as ionic, i.e. an electronic σ that tracks
  the Li-defect population).
* ε_r = 60: *assumption* (no seed value; order of the bulk relative permittivity of oxide Li
  conductors). Arc peak frequencies scale as 1/ε_r; resistances do not depend on it.

**LLZO grain boundary, clean** (seed 001 §3.3): σ_ion = 3e-3 S/m (simulated GB conductivity
0.03 mS/cm, ``s001-s3-gb-sim-sigma``) in a δ = 2 nm zone (``s001-s3-gb-sim-width``); E_a,ion =
0.43 eV (*assumption*: as the grains); σ_e: the GB electronic conductivity is not measured in any
seed (seed 000 §1 gives only the narrower 1–3 eV band gap, ``s000-llzo-gb-band-gap``, which
does not convert into a conductivity; see :mod:`ssblab.models.leakage`). ``GB_SIGMA_E_BARE_S_M``
= 1e-3 S/m (1000× the grains) is an *assumption* standing for that narrower gap; the seed-000
replication reports how little its results depend on it (1e-6 … 1e-1 S/m), because the contact
supersaturation, not the GB electrons, decides there.

**Li-Al-O grain boundary** (seed 000 §1/§3: annealed ALD Al2O3 becomes Li-Al-O at GBs and
triple junctions, ion-conducting and electron-blocking): σ_ion = 1e-4 S/m (ALD Al2O3 on garnet
lithiated on contact with Li, 10 nm / 1 Ω·cm², seed 003 §2.3.3, ``s003-txt-ald-al2o3-asr``;
:data:`ssblab.models.coating.SIGMA_LIALO_GARNET_S_M`); σ_e = 1e-12 S/m (γ-LiAlO2 is an
electronic insulator, Wohlmuth et al., J. Mater. Chem. A 2 (2014) 20295; the number is an
*assumption*, finite: ≥ 1e4 below the grains' σ_e, so the GB sheet no longer carries electrons).

**ALD Al2O3 as deposited** (the coated, not annealed pellet): a surface layer of 10 nm (seed 000
§2.2) with σ_ion = 3e-10 S/m (seed 004, ``s004-ovp-al150-c1``;
:data:`ssblab.models.coating.SIGMA_AL2O3_S_M`) and σ_e = 1e-12 S/m (*assumption*, insulator).
"""

from __future__ import annotations

from dataclasses import replace

from ssblab.micro.build import Materials
from ssblab.micro.network import Phase

SIGMA_ION_LLZTO_S_M = 4.6e-2
EA_ION_LLZTO_EV = 0.43
SIGMA_E_LLZO_S_M = 1.0e-6
EA_E_LLZO_EV = 0.43
EPS_R_LLZO = 60.0
GB_SIGMA_ION_S_M = 3.0e-3
GB_THICKNESS_M = 2.0e-9
#: GB electronic conductivity of bare LLZTO at U = 0, S/m: ASSUMPTION (1000× the grains, for the
#: narrower GB band gap of seed 000 §1); seed 000's replication reports the sensitivity to it.
GB_SIGMA_E_BARE_S_M = 1.0e-3
LIALO_SIGMA_ION_S_M = 1.0e-4
LIALO_SIGMA_E_S_M = 1.0e-12
AL2O3_SIGMA_ION_S_M = 3.0e-10
AL2O3_SIGMA_E_S_M = 1.0e-12
AL2O3_COATING_THICKNESS_M = 10e-9

LLZTO_GRAIN = Phase(
    "LLZTO grain",
    sigma_ion_s_per_m=SIGMA_ION_LLZTO_S_M,
    sigma_e_s_per_m=SIGMA_E_LLZO_S_M,
    relative_permittivity=EPS_R_LLZO,
    ea_ion_ev=EA_ION_LLZTO_EV,
    ea_e_ev=EA_E_LLZO_EV,
)
LLZO_GB = Phase(
    "LLZO GB",
    sigma_ion_s_per_m=GB_SIGMA_ION_S_M,
    sigma_e_s_per_m=GB_SIGMA_E_BARE_S_M,
    relative_permittivity=EPS_R_LLZO,
    ea_ion_ev=EA_ION_LLZTO_EV,
    ea_e_ev=EA_E_LLZO_EV,
)
LIALO_GB = Phase(
    "Li-Al-O GB",
    sigma_ion_s_per_m=LIALO_SIGMA_ION_S_M,
    sigma_e_s_per_m=LIALO_SIGMA_E_S_M,
    relative_permittivity=EPS_R_LLZO,
    ea_ion_ev=EA_ION_LLZTO_EV,
    ea_e_ev=EA_E_LLZO_EV,
)
AL2O3_LAYER = Phase(
    "ALD Al2O3",
    sigma_ion_s_per_m=AL2O3_SIGMA_ION_S_M,
    sigma_e_s_per_m=AL2O3_SIGMA_E_S_M,
    relative_permittivity=9.0,  # alumina, CRC Handbook of Chemistry and Physics (ε_r ≈ 9)
    ea_ion_ev=EA_ION_LLZTO_EV,
    ea_e_ev=EA_E_LLZO_EV,
)

#: Li | electrolyte charge-transfer ASR of each preset's contact, Ω·m²: bare garnet without surface
#: treatment = the polished-garnet row of seed 003 Table 1 (109 Ω·cm², s003-t1-r01-polish-asr);
#: annealed = Li-Al-O surface, the ALD Al2O3 row (1 Ω·cm², s003-t1-r16-ald-al2o3-asr); coated:
#: the as-deposited layer is an explicit interface phase, the Li contact to it as bare.
CONTACT_ASR_OHM_M2 = {"llzto-bare": 109e-4, "llzto-annealed": 1e-4, "llzto-coated": 109e-4}

PRESETS = {
    "llzto-bare": "LLZTO grains, clean LLZO GBs (seed 001 GB σ_ion, calibrated GB σ_e)",
    "llzto-annealed": "LLZTO grains, Li-Al-O GBs (seed 000 anneal: ion-conducting, e-blocking)",
    "llzto-coated": "bare LLZTO under a 10 nm as-deposited ALD Al2O3 layer at both electrodes",
}


def materials(name: str, *, gb_sigma_e_s_per_m: float | None = None) -> Materials:
    """The :class:`Materials` of preset ``name`` (see :data:`PRESETS`)."""
    from ssblab.errors import MicrostructureError

    gb = LLZO_GB
    if gb_sigma_e_s_per_m is not None:
        gb = replace(gb, sigma_e_s_per_m=float(gb_sigma_e_s_per_m))
    if name == "llzto-bare":
        return Materials(grain=LLZTO_GRAIN, gb=gb, gb_thickness_m=GB_THICKNESS_M)
    if name == "llzto-annealed":
        return Materials(grain=LLZTO_GRAIN, gb=LIALO_GB, gb_thickness_m=GB_THICKNESS_M)
    if name == "llzto-coated":
        return Materials(
            grain=LLZTO_GRAIN,
            gb=gb,
            gb_thickness_m=GB_THICKNESS_M,
            interface=AL2O3_LAYER,
            interface_thickness_m=AL2O3_COATING_THICKNESS_M,
        )
    raise MicrostructureError(f"unknown material preset {name!r}: use one of {', '.join(PRESETS)}")
