"""Composite-cathode half cells on PyBaMM: Li metal | oxide solid electrolyte | cathode.

Structure of the model (PyBaMM ≥ 26, ``{"working electrode": "positive"}``, SPMe by default,
DFN on request):

* **cathode**: a porous composite (active particles, carbon, binder) wetted by a liquid
  catholyte — seed 000's NMC811:CB:PVDF 8:1:1 slurry cast on LLZTO and wetted with 5 µL/side of
  1 M LiTFSI DME/DOL (seed 000 §2.5). PyBaMM solves Fickian diffusion in spherical particles,
  Butler–Volmer kinetics and (SPMe/DFN) the liquid's concentration and potential in the pores;
  PyBaMM's separator stands for the thin catholyte film between the cathode and the ceramic.
* **solid electrolyte**: a single-ion conductor (t₊ = 1) has no concentration gradient, so it is
  exactly an ohmic resistor, ASR_SSE = L/σ(T) (Ω m²), with σ(T) from the symmetric-cell
  parameter sets (:mod:`ssblab.models.parameter_schema`, Arrhenius in the set's own form).
* **interfaces in series**: the Li|SSE contact (constriction + interphase, from the same
  symmetric-cell physics, :func:`anode_interface_asr`), the SSE|catholyte interface and any
  buffer layer; together with ASR_SSE they enter PyBaMM's ``"contact resistance"`` option,
  R_series(t) = [ASR_SSE + ASR_anode + ASR_cathode + ΔASR(t)]/A (Ω), which subtracts I·R from
  the voltage. Li|SSE charge transfer is PyBaMM's own Li-metal Butler–Volmer with the set's
  exchange current density (so it is not counted twice).

Degradation (:class:`Degradation`):

* interfacial ASR growth, time-driven, ΔASR(t) = k·(t/1 h)^p (p = 1 linear, p = ½ parabolic
  interphase growth, Deal–Grove's diffusion-limited regime; B. E. Deal & A. S. Grove, J. Appl.
  Phys. 36 (1965) 3770);
* loss of active material (contact loss of cathode particles), charge-driven:
  dε_s/dt = −β·|i| with i the cell current density (PyBaMM's ``"current-driven"`` LAM option),
  β set from ``lam_fraction_per_cycle`` (fraction of ε_s lost per 2·Q_nominal of throughput);
* Li-inventory loss needs no parameter here: the Li-metal counter electrode is a reservoir
  (:func:`lithium_reservoir_cycles`), so in a half cell it cannot fade the cathode's capacity.

Lithium bookkeeping (:func:`lithium_balance`): Li in the cathode particles + Li in the liquid
+ Li lost with detached active material − ∫I dt/F (discharge positive) is constant; the Li
metal is counted explicitly. PyBaMM's own ``"Total lithium [mol]"`` omits the Li metal, so in a
half cell it is not a conserved quantity (cf. PyBaMM issue #5746 on half-cell Li inventory).

Validity: isothermal, one particle size, no Li-metal morphology in PyBaMM (the Li|SSE
interface's evolution comes from ssblab's symmetric-cell simulator), ohmic SSE (no space charge).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from ssblab.cycling.data import CyclingData, tidy_table
from ssblab.errors import SsblabError, SsblabInputError

FARADAY_C_MOL = 96485.33212  # C/mol (CODATA 2018)
#: Li metal molar volume, 1.30e-5 m³/mol (ρ = 0.534 g/cm³, M = 6.94 g/mol; CRC Handbook).
LI_MOLAR_VOLUME_M3_MOL = 6.94e-3 / 534.0


class FullCellError(SsblabError):
    """A full-cell simulation that could not run (message names the cycle or the parameter)."""


@dataclass(frozen=True)
class CathodeMaterial:
    """An active material: its PyBaMM parameter set, crystal density and initial stoichiometry."""

    name: str
    pybamm_set: str
    density_kg_m3: float
    initial_stoichiometry: float
    source: str


CATHODES: dict[str, CathodeMaterial] = {
    "NMC811": CathodeMaterial(
        "NMC811",
        "Chen2020",
        4.75e3,
        0.9084,
        "PyBaMM Chen2020 positive electrode (NMC811 of the LG M50; C.-H. Chen et al., J. "
        "Electrochem. Soc. 167 (2020) 080534): OCP, c_max, D_s, j0, radius; initial "
        "stoichiometry 0.9084 = their 0 % SOC; density 4.75 g/cm³ (layered LiNi0.8Mn0.1Co0.1O2, "
        "R-3m cell; H.-J. Noh et al., J. Power Sources 233 (2013) 121)",
    ),
    "NCM532": CathodeMaterial(
        "NCM532",
        "Xu2019",
        4.75e3,
        0.9,
        "PyBaMM Xu2019 positive electrode (NMC532 in a Li-metal half cell; S. Xu et al., J. "
        "Electrochem. Soc. 166 (2019) A3456): OCP, c_max, D_s, j0, radius; density 4.75 g/cm³ "
        "(assumed as for NMC811: the layered oxides' densities differ by < 3 %)",
    ),
}


@dataclass(frozen=True)
class HalfCellDesign:
    """A Li | SSE | composite-cathode cell in SI units (defaults: seed 000's bare-LLZTO cell).

    ``utilisation`` is the fraction of the cast active material that is electrochemically
    connected; it is the calibration knob for the initial specific capacity (seed 000: ≈160
    mAh/g), everything else is printed, cited or named as assumed below."""

    cathode: str = "NMC811"
    #: seed 000 §2.4: 1.8–2.0 mg/cm² of NMC811 (midpoint 1.9 mg/cm² = 1.9e-2 kg/m²)
    active_loading_kg_m2: float = 1.9e-2
    #: seed 000 §2.5: Ø 12 mm LLZTO disc, the cathode cast over its face
    area_m2: float = math.pi * 0.006**2
    #: seed 000 §2.4: 1 C = 180 mA/g
    specific_capacity_1c_mAh_g: float = 180.0
    #: assumed: NMC volume share of an 8:1:1 (NMC:CB:PVDF by mass) dried cast at 40 % porosity
    #: (densities 4.75 / 1.9 / 1.78 g/cm³ → NMC 60.6 % of the solid volume)
    active_volume_fraction: float = 0.364
    #: assumed: porosity of an uncalendered slurry cast (cast on a ceramic, not calendered)
    porosity: float = 0.40
    utilisation: float = 1.0
    #: seed 000 §2.4: 0.5 mm pellet
    sse_thickness_m: float = 5e-4
    #: seed 000 §3: 4.6e-4 S/cm at ~25 °C (the reference temperature of the Arrhenius law)
    sse_conductivity_S_m: float = 4.6e-2
    #: the llzto_bare set's E_a: seed 001 Table 2, Ta-doped LLZO (s001-t2-r03-ta-ea), σ form
    sse_activation_energy_eV: float = 0.43
    sse_activation_energy_form: str = "sigma"
    #: Li|LLZTO contact, constriction + interphase, Ω m² (from :func:`anode_interface_asr`)
    anode_interface_asr_ohm_m2: float = 1.1e-5
    #: Nasir et al., EES Batteries (2025), doi:10.1039/d5eb00026b: ether-electrolyte-wetted
    #: LLZO interface ≈ 32 Ω cm² (LiTFSI-type ether, the family of seed 000's DME/DOL wetting)
    cathode_interface_asr_ohm_m2: float = 32e-4
    #: buffer layer between cathode and SSE (none in seed 000)
    buffer_asr_ohm_m2: float = 0.0
    #: seed 000 set's exchange_current_density 25.7 mA/cm² (assumption stated there)
    li_exchange_current_A_m2: float = 257.0
    #: assumed: a 5 µm catholyte film between the cast and the ceramic (PyBaMM's separator)
    catholyte_film_m: float = 5e-6
    temperature_K: float = 298.15
    #: seed 000 §2.5: 2.7–4.3 V
    lower_cutoff_V: float = 2.7
    upper_cutoff_V: float = 4.3
    #: assumed Li foil 0.45 mm (a standard coin-cell chip) — only for the reservoir count
    li_foil_thickness_m: float = 4.5e-4

    def __post_init__(self) -> None:
        if self.cathode not in CATHODES:
            raise SsblabInputError(
                f"cathode must be one of {sorted(CATHODES)}, got {self.cathode!r}"
            )
        positive = (
            "active_loading_kg_m2",
            "area_m2",
            "specific_capacity_1c_mAh_g",
            "sse_thickness_m",
            "sse_conductivity_S_m",
            "li_exchange_current_A_m2",
            "catholyte_film_m",
            "temperature_K",
            "li_foil_thickness_m",
        )
        for name in positive:
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise SsblabInputError(f"{name} must be > 0, got {value!r}")
        for name in ("active_volume_fraction", "porosity", "utilisation"):
            value = getattr(self, name)
            if not 0 < value <= 1:
                raise SsblabInputError(f"{name} must be in (0, 1], got {value!r}")
        if self.active_volume_fraction + self.porosity > 1:
            raise SsblabInputError("active_volume_fraction + porosity must be ≤ 1")
        for name in (
            "anode_interface_asr_ohm_m2",
            "cathode_interface_asr_ohm_m2",
            "buffer_asr_ohm_m2",
        ):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                raise SsblabInputError(f"{name} must be ≥ 0, got {value!r}")
        if self.sse_activation_energy_form not in ("sigma", "sigmaT"):
            raise SsblabInputError(
                "sse_activation_energy_form must be 'sigma' or 'sigmaT', got "
                f"{self.sse_activation_energy_form!r}"
            )
        if not (
            math.isfinite(self.sse_activation_energy_eV) and self.sse_activation_energy_eV >= 0
        ):
            raise SsblabInputError(
                f"sse_activation_energy_eV must be ≥ 0, got {self.sse_activation_energy_eV!r}"
            )
        if not self.lower_cutoff_V < self.upper_cutoff_V:
            raise SsblabInputError("lower_cutoff_V must be below upper_cutoff_V")

    @property
    def material(self) -> CathodeMaterial:
        return CATHODES[self.cathode]

    @property
    def active_mass_kg(self) -> float:
        return self.active_loading_kg_m2 * self.area_m2

    @property
    def nominal_capacity_Ah(self) -> float:
        """1 C capacity as the paper defines it (specific 1 C capacity × active mass)."""
        return self.specific_capacity_1c_mAh_g * 1e-3 * self.active_mass_kg * 1e3

    @property
    def cathode_thickness_m(self) -> float:
        return self.active_loading_kg_m2 / (
            self.material.density_kg_m3 * self.active_volume_fraction
        )

    @property
    def sse_conductivity_at_temperature_S_m(self) -> float:
        """σ(T) by the Arrhenius law in the set's form (ssblab.impedance.arrhenius), from the
        25 °C value."""
        from ssblab.impedance.arrhenius import conductivity_at_temperature

        return conductivity_at_temperature(
            self.sse_conductivity_S_m,
            self.sse_activation_energy_eV,
            self.temperature_K,
            model=self.sse_activation_energy_form,
        )

    @property
    def sse_asr_ohm_m2(self) -> float:
        return self.sse_thickness_m / self.sse_conductivity_at_temperature_S_m

    @property
    def series_asr_ohm_m2(self) -> float:
        """ASR of everything in series at t = 0 (SSE + Li contact + cathode interface + buffer)."""
        return (
            self.sse_asr_ohm_m2
            + self.anode_interface_asr_ohm_m2
            + self.cathode_interface_asr_ohm_m2
            + self.buffer_asr_ohm_m2
        )

    def to_dict(self) -> dict:
        out = asdict(self)
        out.update(
            nominal_capacity_Ah=self.nominal_capacity_Ah,
            cathode_thickness_m=self.cathode_thickness_m,
            sse_asr_ohm_m2=self.sse_asr_ohm_m2,
            series_asr_ohm_m2=self.series_asr_ohm_m2,
        )
        return out


@dataclass(frozen=True)
class Degradation:
    """Interfacial ASR growth ΔASR = k (t/1 h)^p and charge-driven loss of active material."""

    asr_growth_ohm_m2: float = 0.0  # k, Ω m² after 1 h (p-dependent units)
    asr_growth_exponent: float = 1.0  # p
    lam_fraction_per_cycle: float = 0.0  # of ε_s per 2·Q_nominal throughput

    def __post_init__(self) -> None:
        if not (math.isfinite(self.asr_growth_ohm_m2) and self.asr_growth_ohm_m2 >= 0):
            raise SsblabInputError(f"asr_growth_ohm_m2 must be ≥ 0, got {self.asr_growth_ohm_m2!r}")
        if not 0 < self.asr_growth_exponent <= 2:
            raise SsblabInputError(
                f"asr_growth_exponent must be in (0, 2], got {self.asr_growth_exponent!r}"
            )
        if not 0 <= self.lam_fraction_per_cycle < 1:
            raise SsblabInputError(
                f"lam_fraction_per_cycle must be in [0, 1), got {self.lam_fraction_per_cycle!r}"
            )

    def delta_asr_ohm_m2(self, time_s) -> np.ndarray:
        t_h = np.maximum(np.asarray(time_s, dtype=float), 0.0) / 3600.0
        return self.asr_growth_ohm_m2 * t_h**self.asr_growth_exponent


def lithium_reservoir_cycles(design: HalfCellDesign) -> float:
    """How many full nominal-capacity cycles of *total* Li loss the Li foil could feed."""
    foil_mol = design.li_foil_thickness_m * design.area_m2 / LI_MOLAR_VOLUME_M3_MOL
    cycle_mol = design.nominal_capacity_Ah * 3600.0 / FARADAY_C_MOL
    return foil_mol / cycle_mol


def protocol_seed000(rate_c: float = 0.5, cycles: int = 50, formation_cycles: int = 2) -> list[str]:
    """Seed 000 §2.5 as PyBaMM experiment strings: 2 × 0.1 C formation, then ``cycles`` at
    ``rate_c`` (charge and discharge), 2.7–4.3 V, charge first (the cast NMC811 is lithiated)."""
    if cycles < 1 or formation_cycles < 0:
        raise SsblabInputError("cycles must be ≥ 1 and formation_cycles ≥ 0")
    steps = []
    for _ in range(formation_cycles):
        steps.append(("Charge at 0.1C until 4.3 V", "Discharge at 0.1C until 2.7 V"))
    for _ in range(cycles):
        steps.append(
            (f"Charge at {rate_c:g}C until 4.3 V", f"Discharge at {rate_c:g}C until 2.7 V")
        )
    return steps


def parameter_values(design: HalfCellDesign, degradation: Degradation | None = None):
    """The PyBaMM ``ParameterValues`` of ``design`` (a Li-metal half-cell set, Xu2019's keys,
    with the cathode material's own set for the positive electrode)."""
    import pybamm

    degradation = degradation or Degradation()
    values = pybamm.ParameterValues("Xu2019")
    material = design.material
    if material.pybamm_set != "Xu2019":
        source = pybamm.ParameterValues(material.pybamm_set)
        for key in (
            "Positive electrode OCP [V]",
            "Maximum concentration in positive electrode [mol.m-3]",
            "Positive particle diffusivity [m2.s-1]",
            "Positive electrode exchange-current density [A.m-2]",
            "Positive particle radius [m]",
            "Positive electrode charge transfer coefficient",
            "Positive electrode OCP entropic change [V.K-1]",
        ):
            values[key] = source[key]
    c_max = values["Maximum concentration in positive electrode [mol.m-3]"]
    side = math.sqrt(design.area_m2)
    # the connected active fraction is an input: fits that move the utilisation reuse one
    # discretised model (see prepare)
    eps_active = pybamm.InputParameter("Active material volume fraction")
    values.update(
        {
            "Electrode width [m]": side,
            "Electrode height [m]": side,
            "Positive electrode thickness [m]": design.cathode_thickness_m,
            "Positive electrode active material volume fraction": eps_active,
            "Positive electrode porosity": design.porosity,
            "Separator thickness [m]": design.catholyte_film_m,
            "Initial concentration in positive electrode [mol.m-3]": material.initial_stoichiometry
            * c_max,
            "Nominal cell capacity [A.h]": design.nominal_capacity_Ah,
            "Current function [A]": design.nominal_capacity_Ah,
            "Lower voltage cut-off [V]": design.lower_cutoff_V - 0.3,
            "Upper voltage cut-off [V]": design.upper_cutoff_V + 0.3,
            "Open-circuit voltage at 0% SOC [V]": design.lower_cutoff_V,
            "Open-circuit voltage at 100% SOC [V]": design.upper_cutoff_V,
            "Ambient temperature [K]": design.temperature_K,
            "Initial temperature [K]": design.temperature_K,
            "Reference temperature [K]": design.temperature_K,
            "Exchange-current density for lithium metal electrode [A.m-2]": (
                design.li_exchange_current_A_m2
            ),
        },
        check_already_exists=False,
    )
    growth = pybamm.InputParameter("ASR growth [Ohm.m2]")
    exponent = degradation.asr_growth_exponent
    # (t/1 h)^p with a floor that keeps p < 1 finite at t = 0
    hours = pybamm.t / 3600.0 + 1e-9
    values.update(
        {
            "Contact resistance [Ohm]": (design.series_asr_ohm_m2 + growth * hours**exponent)
            / design.area_m2
        },
        check_already_exists=False,
    )
    lam = pybamm.InputParameter("LAM rate [m2.A-1.s-1]")

    def lam_rate(current_density, temperature):
        return -lam * abs(current_density)

    values.update(
        {"Positive electrode current-driven LAM rate": lam_rate}, check_already_exists=False
    )
    return values


def _inputs(design: HalfCellDesign, degradation: Degradation) -> dict[str, float]:
    eps0 = design.active_volume_fraction * design.utilisation
    throughput_C_m2 = 2.0 * design.nominal_capacity_Ah * 3600.0 / design.area_m2
    return {
        "Active material volume fraction": eps0,
        "ASR growth [Ohm.m2]": degradation.asr_growth_ohm_m2,
        "LAM rate [m2.A-1.s-1]": degradation.lam_fraction_per_cycle * eps0 / throughput_C_m2,
    }


def build_model(kind: str = "SPMe"):
    """The PyBaMM half-cell model with contact resistance and current-driven LAM."""
    import pybamm

    options = {
        "working electrode": "positive",
        "contact resistance": "true",
        "loss of active material": "current-driven",
    }
    kinds = {
        "SPMe": pybamm.lithium_ion.SPMe,
        "DFN": pybamm.lithium_ion.DFN,
        "SPM": pybamm.lithium_ion.SPM,
    }
    if kind not in kinds:
        raise SsblabInputError(f"model must be one of {sorted(kinds)}, got {kind!r}")
    return kinds[kind](options)


@dataclass(frozen=True)
class CycleSummary:
    cycle: int
    charge_capacity_Ah: float
    discharge_capacity_Ah: float
    coulombic_efficiency: float
    mean_discharge_voltage_V: float
    series_asr_ohm_m2: float
    active_fraction: float


@dataclass(frozen=True)
class HalfCellResult:
    """Simulated cell: tidy cycling table, per-cycle summary, Li bookkeeping, inputs."""

    data: CyclingData
    cycles: tuple[CycleSummary, ...]
    design: HalfCellDesign
    degradation: Degradation
    lithium_residual_mol: float
    lithium_cycled_mol: float
    model: str
    experiment: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def specific_discharge_mAh_g(self) -> np.ndarray:
        q = np.array([c.discharge_capacity_Ah for c in self.cycles])
        return q * 1e3 / (self.design.active_mass_kg * 1e3)

    def retention(self, first: int, last: int | None = None) -> float:
        """Discharge capacity of cycle ``last`` (default the final one) over cycle ``first``."""
        by_cycle = {c.cycle: c.discharge_capacity_Ah for c in self.cycles}
        last = max(by_cycle) if last is None else last
        return by_cycle[last] / by_cycle[first]

    def to_dict(self) -> dict:
        return {
            "model": self.model,
            "design": self.design.to_dict(),
            "degradation": asdict(self.degradation),
            "cycles": [asdict(c) for c in self.cycles],
            "lithium_residual_mol": self.lithium_residual_mol,
            "lithium_cycled_mol": self.lithium_cycled_mol,
            "notes": list(self.notes),
        }


def lithium_balance(solution) -> tuple[float, float]:
    """(max |residual|, max |∫I dt/F|) in mol over the solution: Li in particles + liquid + lost
    with active material − ∫I dt/F must stay at its initial value."""
    t = solution["Time [s]"].entries
    current = solution["Current [A]"].entries  # PyBaMM: positive on discharge (Li into cathode)
    passed = np.concatenate([[0.0], np.cumsum(np.diff(t) * 0.5 * (current[1:] + current[:-1]))])
    passed_mol = passed / FARADAY_C_MOL
    held = (
        solution["Total lithium in positive electrode [mol]"].entries
        + solution["Total lithium in electrolyte [mol]"].entries
        + solution[
            "Loss of lithium due to loss of active material in positive electrode [mol]"
        ].entries
    )
    residual = (held - held[0]) - passed_mol
    return float(np.max(np.abs(residual))), float(np.max(np.abs(passed_mol)))


def simulate_halfcell(
    design: HalfCellDesign,
    experiment: Sequence[Sequence[str] | str],
    degradation: Degradation | None = None,
    *,
    model: str = "SPMe",
    progress: Callable[[int, int], None] | None = None,
    built=None,
) -> HalfCellResult:
    """Run ``experiment`` (PyBaMM experiment strings, one tuple per cycle) on ``design``.

    ``built`` (from :func:`prepare`) reuses a discretised model across calls that differ only in
    the degradation inputs (the inverse fits call this many times)."""
    import pybamm

    degradation = degradation or Degradation()
    steps = [tuple([s]) if isinstance(s, str) else tuple(s) for s in experiment]
    if not steps:
        raise SsblabInputError("empty experiment")
    sim = built if built is not None else prepare(design, steps, degradation, model=model)
    callbacks = []
    if progress is not None:
        callbacks.append(_ProgressCallback(progress, len(steps)))
    try:
        solution = sim.solve(inputs=_inputs(design, degradation), callbacks=callbacks or None)
    except pybamm.SolverError as error:
        raise FullCellError(
            f"PyBaMM could not solve the experiment: {str(error).splitlines()[0]}"
        ) from None
    return _result(solution, design, degradation, model, steps)


_PREPARED: dict = {}
_PREPARED_MAX = 12


def prepare(
    design: HalfCellDesign, steps, degradation: Degradation | None = None, *, model: str = "SPMe"
):
    """A PyBaMM ``Simulation`` of ``design`` on ``steps``, ready for repeated solves.

    The utilisation and the degradation rates are solve-time inputs, so one discretised model
    serves every design that differs only in them (kept in a small cache: the inverse fits
    solve the same cell dozens of times)."""
    degradation = degradation or Degradation()
    key = (
        replace(design, utilisation=1.0),
        tuple((s,) if isinstance(s, str) else tuple(s) for s in steps),
        degradation.asr_growth_exponent,
        model,
    )
    if key not in _PREPARED:
        if len(_PREPARED) >= _PREPARED_MAX:
            _PREPARED.pop(next(iter(_PREPARED)))
        _PREPARED[key] = _new_simulation(design, key[1], degradation, model)
    return _PREPARED[key]


def _new_simulation(design: HalfCellDesign, steps, degradation: Degradation, model: str):
    import pybamm

    # an infeasible step is reported in the result's notes, not as a library log warning
    pybamm.set_logging_level("ERROR")

    return pybamm.Simulation(
        build_model(model),
        parameter_values=parameter_values(design, degradation),
        experiment=pybamm.Experiment(list(steps)),
        solver=pybamm.IDAKLUSolver(rtol=1e-8, atol=1e-10),
    )


class _ProgressCallback:
    def __init__(self, report: Callable[[int, int], None], total: int) -> None:
        import pybamm

        self._base = pybamm.callbacks.Callback()
        self.report = report
        self.total = total
        self.done = 0

    def __getattr__(self, name):
        return getattr(self._base, name)

    def on_cycle_end(self, logs) -> None:
        self.done += 1
        self.report(self.done, self.total)


def _result(solution, design, degradation, model, steps) -> HalfCellResult:
    times, volts, amps, step_ids, types, cycle_ids = [], [], [], [], [], []
    step_counter = 0
    summaries: list[CycleSummary] = []
    notes: list[str] = []
    eps_key = "X-averaged positive electrode active material volume fraction"
    eps_initial = float(solution[eps_key].entries[0])
    for number, cycle in enumerate(solution.cycles, start=1):
        if cycle is None:
            notes.append(f"cycle {number}: PyBaMM returned no solution (infeasible step)")
            break
        charge = discharge = 0.0
        v_energy = 0.0
        for step in cycle.steps:
            t = step["Time [s]"].entries
            v = step["Voltage [V]"].entries
            i = -step["Current [A]"].entries  # tidy convention: positive on charge
            kind = "charge" if np.mean(i) > 0 else "discharge"
            q = float(np.sum(np.diff(t) * 0.5 * np.abs(i[1:] + i[:-1])))
            if kind == "charge":
                charge += q / 3600.0
            else:
                discharge += q / 3600.0
                v_energy += float(
                    np.sum(np.diff(t) * 0.5 * np.abs(i[1:] * v[1:] + i[:-1] * v[:-1]))
                )
            times.append(t)
            volts.append(v)
            amps.append(i)
            step_ids.append(np.full(t.size, step_counter))
            types.append(np.full(t.size, kind))
            cycle_ids.append(np.full(t.size, number))
            step_counter += 1
        t_end = float(cycle["Time [s]"].entries[-1])
        eps_end = float(cycle[eps_key].entries[-1])
        summaries.append(
            CycleSummary(
                cycle=number,
                charge_capacity_Ah=charge,
                discharge_capacity_Ah=discharge,
                coulombic_efficiency=discharge / charge if charge > 0 else float("nan"),
                mean_discharge_voltage_V=v_energy / (discharge * 3600.0)
                if discharge > 0
                else float("nan"),
                series_asr_ohm_m2=design.series_asr_ohm_m2
                + float(degradation.delta_asr_ohm_m2(t_end)),
                active_fraction=eps_end / eps_initial,
            )
        )
    if not summaries:
        raise FullCellError("PyBaMM returned no complete cycle")
    table = tidy_table(
        np.concatenate(times),
        np.concatenate(volts),
        np.concatenate(amps),
        step_index=np.concatenate(step_ids),
        step_type=np.concatenate(types),
        cycle_index=np.concatenate(cycle_ids),
        temperature_k=np.full(sum(t.size for t in times), design.temperature_K),
    )
    residual, cycled = lithium_balance(solution)
    data = CyclingData(
        table=table,
        source=f"ssblab.fullcell PyBaMM {model} half cell ({design.cathode})",
        metadata={
            "simulated": True,
            "nominal_capacity_Ah": design.nominal_capacity_Ah,
            "active_mass_g": design.active_mass_kg * 1e3,
            "area_cm2": design.area_m2 * 1e4,
        },
        notes=tuple(notes),
    )
    return HalfCellResult(
        data=data,
        cycles=tuple(summaries),
        design=design,
        degradation=degradation,
        lithium_residual_mol=residual,
        lithium_cycled_mol=cycled,
        model=model,
        experiment=tuple(steps),
        notes=tuple(notes),
    )


def with_utilisation(design: HalfCellDesign, utilisation: float) -> HalfCellDesign:
    return replace(design, utilisation=utilisation)
