"""From a microstructure to the cell simulator: σ_total and the deposition fraction f_dep(j).

:func:`microstructure_electrolyte` solves a polycrystal (:mod:`ssblab.micro.build`, with the GB
sheet network) for its DC ionic conductivity σ_total and, at one temperature, sweeps the
coupled ion/electron problem of :mod:`ssblab.micro.deposition` over a grid of current
densities. The resulting :class:`MicroElectrolyte` is what
:func:`ssblab.models.simulator.simulate_symmetric` takes as ``electrolyte``: the cell's bulk
resistance becomes L/σ_total and the filament grows from f_dep(j) of the microstructure instead
of the 1-D constant-σ_e leakage model. f_dep then depends on j (defect chemistry, and the
nucleation overpotential that gives an onset), so the lifetime is no longer ∝ 1/j and a
critical current density exists.

**Nucleation overpotential** (:func:`nucleation_overpotential_v`): Li growing inside the
ceramic must open it; the Raj–Wolfenstine back-stress term of seed 003 Eq. 3 (§2.5.1,
:mod:`ssblab.models.dendrite`) gives η_nuc = σ_F·Ω_Li/e, with Ω_Li the volume per Li atom. The
fracture stress σ_F of LLZO is an *assumption* of order 100–200 MPa (flexural strengths of
dense LLZO reviewed by Wolfenstine et al., Ionics 24 (2018) 1271; no seed value): 150 MPa gives
η_nuc = 20 mV. Results must report their sensitivity to it.

**Filament lifetime** (:func:`filament_lifetime_h`): with a constant current j the front of Li
deposited inside the electrolyte advances at v = f_dep·j·V_m/(F·φ_f) (φ_f the area fraction the
filaments occupy), the same law as the cell simulator; the short comes at t = L/v.

**Interpolation** of f_dep between grid currents is linear in (log j, log f_dep) where both
ends are positive and linear in (log j, f_dep) where the lower end is 0 (below nucleation).
Below the grid, f_dep is 0 if the first point is (nucleation not reached) and the first value
otherwise (f_dep tends to a constant as j → 0 without a nucleation barrier); above the grid a
request is refused, naming the current.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ssblab.errors import MicrostructureError

ELEMENTARY_CHARGE_C = 1.602176634e-19
FARADAY_C_MOL = 96485.33212
#: Fracture stress of dense LLZO, Pa: ASSUMPTION, order of the flexural strengths reviewed by
#: Wolfenstine et al., Ionics 24 (2018) 1271 (no seed value).
LLZO_FRACTURE_STRESS_PA = 150e6


def nucleation_overpotential_v(fracture_stress_pa: float = LLZO_FRACTURE_STRESS_PA) -> float:
    """η_nuc = σ_F·Ω_Li/e (V), the back-stress term of seed 003 Eq. 3 (module docstring)."""
    from ssblab.models.dendrite import LI_ATOMIC_VOLUME_M3

    if not (np.isfinite(fracture_stress_pa) and fracture_stress_pa >= 0):
        raise MicrostructureError("fracture_stress_pa must be finite and >= 0")
    return float(fracture_stress_pa * LI_ATOMIC_VOLUME_M3 / ELEMENTARY_CHARGE_C)


def filament_lifetime_h(
    thickness_m: float,
    deposition_fraction: float,
    current_density_a_per_m2: float,
    filament_area_fraction: float,
) -> float:
    """t = L·F·φ_f/(f_dep·j·V_m), hours (module docstring); inf where f_dep = 0 (no
    internal deposition: the mechanism stops, which the caller reports as such)."""
    from ssblab.models.dendrite import LI_MOLAR_VOLUME_M3_MOL

    if deposition_fraction <= 0:
        return math.inf
    rate = deposition_fraction * current_density_a_per_m2 * LI_MOLAR_VOLUME_M3_MOL
    return thickness_m * FARADAY_C_MOL * filament_area_fraction / rate / 3600.0


@dataclass(frozen=True)
class MicroElectrolyte:
    """σ_total (S/m) and f_dep(j) of one microstructure at one temperature."""

    label: str
    temperature_k: float
    sigma_total_s_per_m: float
    current_density_a_per_m2: np.ndarray
    deposition_fraction: np.ndarray
    onset_current_density_a_per_m2: float
    onset_status: str
    threshold: float
    nucleation_overpotential_v: float
    charge_transfer_asr_ohm_m2: float

    def deposition_fraction_at(self, current_density_a_per_m2: float) -> float:
        """f_dep at j (A/m²), interpolated as the module docstring says."""
        j = float(current_density_a_per_m2)
        grid, f = self.current_density_a_per_m2, self.deposition_fraction
        if not (np.isfinite(j) and j > 0):
            raise MicrostructureError(f"current density must be > 0 A/m² (got {j})")
        if j > grid[-1] * (1 + 1e-12):
            raise MicrostructureError(
                f"current density {j:.4g} A/m² is above the microstructure table of {self.label} "
                f"(up to {grid[-1]:.4g} A/m²): extend its current grid"
            )
        if j <= grid[0]:
            return float(f[0])
        k = int(np.searchsorted(grid, j)) - 1
        x = (math.log(j) - math.log(grid[k])) / (math.log(grid[k + 1]) - math.log(grid[k]))
        if f[k] > 0 and f[k + 1] > 0:
            return float(math.exp(math.log(f[k]) + x * (math.log(f[k + 1]) - math.log(f[k]))))
        return float(f[k] + x * (f[k + 1] - f[k]))

    def to_dict(self) -> dict:
        return {
            "label": self.label,
            "temperature_k": self.temperature_k,
            "sigma_total_s_per_m": self.sigma_total_s_per_m,
            "current_density_a_per_m2": [float(v) for v in self.current_density_a_per_m2],
            "deposition_fraction": [float(v) for v in self.deposition_fraction],
            "onset_current_density_a_per_m2": self.onset_current_density_a_per_m2,
            "onset_status": self.onset_status,
            "threshold": self.threshold,
            "nucleation_overpotential_v": self.nucleation_overpotential_v,
            "charge_transfer_asr_ohm_m2": self.charge_transfer_asr_ohm_m2,
        }


def microstructure_electrolyte(
    crystal,
    materials,
    temperature_k: float,
    current_densities_a_per_m2: Sequence[float],
    *,
    charge_transfer_asr_ohm_m2: float,
    nucleation_overpotential: float,
    label: str = "microstructure",
    threshold: float | None = None,
    progress: Callable[[str], None] | None = None,
) -> MicroElectrolyte:
    """Solve ``crystal`` with ``materials`` (module docstring)."""
    from ssblab.micro.build import build_network
    from ssblab.micro.deposition import ONSET_THRESHOLD, deposition_onset
    from ssblab.micro.solve import solve_dc

    say = progress or (lambda _m: None)
    network = build_network(crystal, materials, gb_network=True)
    say(f"{label}: DC conductivity")
    dc = solve_dc(network, network.sigma_ion_at(temperature_k))
    if not dc.percolates:
        raise MicrostructureError(f"{label}: {dc.reason}")
    say(f"{label}: deposition sweep over {len(current_densities_a_per_m2)} current densities")
    onset = deposition_onset(
        network,
        [temperature_k],
        current_densities_a_per_m2,
        threshold=ONSET_THRESHOLD if threshold is None else threshold,
        charge_transfer_asr_ohm_m2=charge_transfer_asr_ohm_m2,
        nucleation_overpotential_v=nucleation_overpotential,
    )
    return MicroElectrolyte(
        label=label,
        temperature_k=float(temperature_k),
        sigma_total_s_per_m=dc.sigma_eff_s_per_m,
        current_density_a_per_m2=np.asarray(onset.current_densities_a_per_m2, dtype=float),
        deposition_fraction=np.asarray(onset.deposition_fraction[0], dtype=float),
        onset_current_density_a_per_m2=float(onset.onset_current_density_a_per_m2[0]),
        onset_status=onset.onset_status[0],
        threshold=onset.threshold,
        nucleation_overpotential_v=float(nucleation_overpotential),
        charge_transfer_asr_ohm_m2=float(charge_transfer_asr_ohm_m2),
    )
