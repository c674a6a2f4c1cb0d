"""The effective conductivity tensor of a polycrystal, from one DC solve per axis.

Electrodes on the two walls normal to axis k (the other walls insulating) give σ_kk =
I·L_k/(V·A_k) (:func:`ssblab.micro.solve.solve_dc`). These are the diagonal entries in the box
frame. The off-diagonal entries need a field along one axis and the current across it, which
walls normal to the field cannot give (an insulating side wall forces the transverse current to
zero): they would need periodic boundary conditions, which ``ssblab.micro`` does not build.
For a statistically isotropic structure (Poisson–Voronoi, Laguerre) the off-diagonal terms
vanish on average and the three diagonal values differ by the sampling spread, which is
reported as the anisotropy max/min − 1; a textured structure (elongated grains) shows a real
anisotropy.

Units: S/m.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ConductivityTensor:
    """Diagonal of the effective conductivity tensor (S/m) for one carrier, in the box frame."""

    carrier: str
    diagonal_s_per_m: tuple[float, ...]
    reasons: tuple[str, ...]

    @property
    def anisotropy(self) -> float:
        """max/min − 1 of the diagonal (inf if an axis does not percolate)."""
        d = np.asarray(self.diagonal_s_per_m)
        return float(d.max() / d.min() - 1) if d.min() > 0 else float("inf")

    @property
    def mean_s_per_m(self) -> float:
        """Isotropic estimate: the mean of the diagonal (trace/D)."""
        return float(np.mean(self.diagonal_s_per_m))


def conductivity_tensor(
    crystal, materials, *, carrier: str = "ion", temperature_k: float = 298.15, gb_network="auto"
) -> ConductivityTensor:
    """σ_kk for k = 0 … D−1 of ``crystal`` with ``materials`` (module docstring)."""
    from ssblab.errors import MicrostructureError
    from ssblab.micro.build import build_network
    from ssblab.micro.solve import solve_dc

    if carrier not in ("ion", "electron"):
        raise MicrostructureError(f"carrier must be 'ion' or 'electron' (got {carrier!r})")
    values, reasons = [], []
    for axis in range(crystal.dimension):
        net = build_network(crystal, materials, axis=axis, gb_network=gb_network)
        sigma = (
            net.sigma_ion_at(temperature_k) if carrier == "ion" else net.sigma_e_at(temperature_k)
        )
        result = solve_dc(net, sigma)
        values.append(result.sigma_eff_s_per_m)
        reasons.append(result.reason)
    return ConductivityTensor(carrier, tuple(values), tuple(reasons))
