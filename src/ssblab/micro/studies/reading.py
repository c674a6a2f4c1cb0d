"""The studies' settings, the LLZTO materials they use, the simulated spectrum and its
brick-layer reading: :func:`simulate_spectrum`, :class:`FittedArc`, :class:`BrickLayerReading`,
:func:`read_brick_layer` (equations and sources: :mod:`ssblab.micro.studies`)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ssblab.errors import MicrostructureError
from ssblab.micro import solve as _solve
from ssblab.micro.build import Materials
from ssblab.micro.network import EPSILON_0_F_PER_M, TransportNetwork

FREQUENCY_HZ = np.logspace(9, -1, 81)
FIT_CIRCUIT = "R0-p(R1,CPE1)-p(R2,CPE2)"
NOISE = 0.002
GRAIN_SIZE_M = 5e-6
BOX_ASPECT_3D = (3.0, 1.0, 1.0)
DENSITY_TOLERANCE = 0.01
TEMPERATURE_K = 298.15


# --------------------------------------------------------------------------------------------
# materials, spectra
# --------------------------------------------------------------------------------------------


def llzto_materials(grain_size_m: float = GRAIN_SIZE_M, gb_to_bulk: float = 1.0) -> Materials:
    """``llzto-bare`` with the GB σ_ion lowered so that the series BLM gives R_gb/R_b =
    ``gb_to_bulk`` for grains of size ``grain_size_m``: σ_gb = σ_g·(δ/d)/r (package docstring)."""
    from ssblab.micro import presets

    if not (gb_to_bulk > 0 and np.isfinite(gb_to_bulk)):
        raise MicrostructureError("gb_to_bulk must be > 0")
    base = presets.materials("llzto-bare")
    sigma_gb = base.grain.sigma_ion_s_per_m * base.gb_thickness_m / grain_size_m / gb_to_bulk
    gb = replace(base.gb, name="LLZO GB (σ_ion lowered)", sigma_ion_s_per_m=sigma_gb)
    return replace(base, gb=gb)


def simulate_spectrum(
    network: TransportNetwork,
    frequency_hz=FREQUENCY_HZ,
    *,
    noise: float = NOISE,
    seed: int = 0,
    temperature_k: float = TEMPERATURE_K,
    iterative: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Ionic impedance of ``network`` (Ω, descending f) with relative Gaussian noise ``noise``
    on Z' and Z'' (σ = noise·|Z|, seeded)."""
    f = np.sort(np.asarray(frequency_hz, dtype=float))[::-1]
    sigma = network.sigma_ion_at(temperature_k)
    method = "iterative" if iterative else "auto"
    z = _solve.solve_ac(network, sigma, f, method=method).impedance_ohm
    if noise > 0:
        rng = np.random.default_rng([seed, 7919])
        scale = noise * np.abs(z)
        z = z + scale * (rng.standard_normal(z.size) + 1j * rng.standard_normal(z.size))
    return f, z


# --------------------------------------------------------------------------------------------
# reading a spectrum with the brick layer
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FittedArc:
    """One fitted p(R, CPE): R (Ω), Q (Ω⁻¹ s^α), α, effective capacitances (F), τ (s)."""

    resistance_ohm: float
    q: float
    alpha: float
    capacitance_f: float  # Hsu–Mansfeld
    capacitance_brug_f: float
    tau_s: float


@dataclass(frozen=True)
class BrickLayerReading:
    """A two-arc fit of one spectrum and what the brick layer makes of it (package docstring)."""

    circuit: str
    r0_ohm: float
    bulk: FittedArc
    gb: FittedArc
    length_m: float
    area_m2: float
    eps_r_grain: float
    eps_r_gb: float
    reduced_chi2: float
    auto_circuit: str | None = None
    parameters: tuple[float, ...] = ()

    def predict(self, frequency_hz) -> np.ndarray:
        """The fitted two-arc circuit's impedance (Ω) at ``frequency_hz``."""
        from ssblab.impedance.circuits import parse_circuit

        return parse_circuit(self.circuit).impedance(frequency_hz, np.asarray(self.parameters))

    @property
    def auto_arcs(self) -> int | None:
        return None if self.auto_circuit is None else self.auto_circuit.count("p(")

    @property
    def cell_constant_per_m(self) -> float:
        return self.length_m / self.area_m2

    @property
    def delta_over_d(self) -> float:
        """GB volume fraction from the capacitances, (C_b/C_gb)(ε_gb/ε_g)."""
        return self.bulk.capacitance_f / self.gb.capacitance_f * self.eps_r_gb / self.eps_r_grain

    @property
    def sigma_bulk_s_per_m(self) -> float:
        return self.cell_constant_per_m / (self.r0_ohm + self.bulk.resistance_ohm)

    @property
    def sigma_total_s_per_m(self) -> float:
        r = self.r0_ohm + self.bulk.resistance_ohm + self.gb.resistance_ohm
        return self.cell_constant_per_m / r

    @property
    def sigma_gb_specific_s_per_m(self) -> float:
        """σ_gb by the capacitance-ratio brick layer (no geometry needed)."""
        return self.delta_over_d * self.cell_constant_per_m / self.gb.resistance_ohm

    @property
    def sigma_gb_specific_brug_s_per_m(self) -> float:
        ratio = self.bulk.capacitance_brug_f / self.gb.capacitance_brug_f
        return (
            ratio
            * self.eps_r_gb
            / self.eps_r_grain
            * self.cell_constant_per_m
            / (self.gb.resistance_ohm)
        )

    def sigma_gb_geometric_s_per_m(self, delta_over_d: float) -> float:
        """σ_gb by the brick layer with a known δ/d."""
        return delta_over_d * self.cell_constant_per_m / self.gb.resistance_ohm

    def eps_r_gb_geometric(self, delta_over_d: float, *, brug: bool = False) -> float:
        """ε_gb from C_gb with a known δ/d."""
        c = self.gb.capacitance_brug_f if brug else self.gb.capacitance_f
        return c * delta_over_d * self.cell_constant_per_m / EPSILON_0_F_PER_M


def _arcs(result) -> list[tuple[float, float, float]]:
    p = result.parameter_dict()
    out = []
    i = 1
    while f"R{i}" in p:
        out.append((p[f"R{i}"], p[f"CPE{i}_0"], p[f"CPE{i}_1"]))
        i += 1
    return out


def _fitted_arc(r: float, q: float, alpha: float, r_series: float) -> FittedArc:
    with np.errstate(all="ignore"):
        c = float((q * r ** (1.0 - alpha)) ** (1.0 / alpha))
        conductance = 1.0 / r + (1.0 / r_series if r_series > 0 else 0.0)
        brug = float(q ** (1.0 / alpha) * conductance ** ((alpha - 1.0) / alpha))
        tau = float((r * q) ** (1.0 / alpha))
    return FittedArc(r, q, alpha, c, brug if np.isfinite(brug) else c, tau)


def read_brick_layer(
    frequency_hz,
    impedance_ohm,
    *,
    length_m: float,
    area_m2: float,
    eps_r_grain: float,
    eps_r_gb: float,
    circuit: str = FIT_CIRCUIT,
    auto: bool = False,
) -> BrickLayerReading:
    """Fit ``circuit`` (R0 and arcs p(R_i, CPE_i)) with ssblab's fitter and read the fastest arc
    as the bulk and the slower ones as the GB (with more than two arcs their resistances add
    up and the capacitance is the largest arc's). ``auto=True`` also runs the automatic circuit
    choice and records its circuit."""
    from ssblab.impedance.fitting import fit

    f = np.asarray(frequency_hz, dtype=float)
    z = np.asarray(impedance_ohm, dtype=complex)
    result = fit(circuit, f, z)
    r0 = float(result.parameter_dict().get("R0", 0.0))
    arcs = sorted(_arcs(result), key=lambda a: (a[0] * a[1]) ** (1 / a[2]))
    if len(arcs) < 2:
        raise MicrostructureError("read_brick_layer needs a circuit with at least two arcs")
    bulk = _fitted_arc(*arcs[0], r_series=r0)
    slow = [_fitted_arc(*a, r_series=r0 + bulk.resistance_ohm) for a in arcs[1:]]
    main = max(slow, key=lambda a: a.resistance_ohm)
    gb = replace(main, resistance_ohm=float(sum(a.resistance_ohm for a in slow)))
    auto_circuit = None
    if auto:
        from ssblab.impedance.suggest import suggest_circuit

        auto_circuit = suggest_circuit(f, z, cell="pellet").circuit
    return BrickLayerReading(
        circuit=circuit,
        r0_ohm=r0,
        bulk=bulk,
        gb=gb,
        length_m=float(length_m),
        area_m2=float(area_m2),
        eps_r_grain=float(eps_r_grain),
        eps_r_gb=float(eps_r_gb),
        reduced_chi2=float(result.reduced_chi2),
        auto_circuit=auto_circuit,
        parameters=tuple(float(v) for v in result.parameters),
    )
