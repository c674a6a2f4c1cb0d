"""What :mod:`ssblab.micro.deposition` returns: :class:`DepositionResult` (one steady state)
and :class:`DepositionOnset` (f_dep(J) sweeps and the onset current density)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class DepositionResult:
    """Steady state of a Li | network | Li cell under a fixed current (SI units).

    ``plating_node``/``stripping_node`` are the electrodes' node indices. Per-node arrays have
    one entry per network node (terminals included: there φ_i = φ_e = the
    electrode potential, U = 0, no reaction). NaN marks a node that is not connected to an
    electrode on that rail (its potential is undefined; U is NaN if either is).
    ``contact_li_potential_v`` holds U on the electrolyte side of each terminal edge's contact
    (``terminal_edges``), the quantity leakage.py reports as U(0) and U(L).
    ``deposition_fraction`` is f_dep = Σ r_n/(J·A); the electronic fractions are the
    electronic currents through the plating and stripping contacts over J·A (they differ by
    f_dep). ``iterations`` counts Newton steps (continuation included); ``residual`` is the
    largest node or galvanostatic current imbalance over J·A at the returned state.
    """

    temperature_k: float
    current_density_a_per_m2: float
    current_a: float
    plating_node: int
    stripping_node: int
    phi_ion_v: np.ndarray
    phi_e_v: np.ndarray
    li_potential_v: np.ndarray
    deposition_current_a: np.ndarray
    deposition_current_total_a: float
    deposition_fraction: float
    electronic_fraction_plating: float
    electronic_fraction_stripping: float
    cell_voltage_v: float
    nucleation_overpotential_v: float
    deposition_sites: tuple[int, ...]
    terminal_edges: tuple[int, ...]
    contact_li_potential_v: np.ndarray
    iterations: int
    residual: float
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class DepositionOnset:
    """f_dep(J) at each temperature and the current density where it first exceeds
    ``threshold`` (log-log interpolation between the bracketing sweep points).

    ``onset_status[i]`` is ``"bracketed"``, ``"below_range"`` (already above the threshold at
    the lowest J: the onset is ≤ that J, reported as NaN) or ``"not_reached"`` (NaN).
    Arrays are (n_temperatures, n_currents).
    """

    temperatures_k: np.ndarray
    current_densities_a_per_m2: np.ndarray
    threshold: float
    deposition_fraction: np.ndarray
    electronic_fraction_plating: np.ndarray
    cell_voltage_v: np.ndarray
    min_li_potential_v: np.ndarray
    onset_current_density_a_per_m2: np.ndarray
    onset_status: tuple[str, ...]

    def table(self) -> str:
        """Plain-text f_dep(J) table, one column per temperature."""
        head = "J (A/m²)    " + "".join(f"f_dep@{t:6.1f}K  " for t in self.temperatures_k)
        rows = [head]
        for j, current in enumerate(self.current_densities_a_per_m2):
            cells = "".join(f"{f:<15.4e}" for f in self.deposition_fraction[:, j])
            rows.append(f"{current:<12.4g}" + cells)
        onset = "".join(
            f"{o:<15.4g}" if np.isfinite(o) else f"{s:<15}"
            for o, s in zip(self.onset_current_density_a_per_m2, self.onset_status, strict=True)
        )
        rows.append(f"onset J      {onset}(threshold {self.threshold:g})")
        return "\n".join(rows)
