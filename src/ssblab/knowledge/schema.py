"""Pydantic schema of a knowledge-base record.

A record is one number a paper reports (or one we infer from its numbers, flagged
``inferred``): a material, a property, a value with its unit, the conditions under which it was
measured, and the place in the source where it stands. Units are validated against the
property's dimension on load, so a record with ``S cm^-2`` for a conductivity fails unless it is
kept deliberately as a flagged inconsistency (see ``unit_as_printed``).
"""

from __future__ import annotations

import re
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ssblab.errors import UnitError
from ssblab.units import parse_quantity, parse_unit

#: The seed papers the knowledge base is built from (``../shared/seeds``).
SEED_FILES: dict[str, str] = {
    "000_e191965a6f97e71c.txt": "LLZTO + ALD Al2O3 + anneal: GB engineering against Li filaments",
    "001_50a2201e95c2ed08.txt": "Review: LLZO toward commercialization",
    "002_e4ff307fec34659e.txt": "Sputtered LLTO thin film with buffer layers on NCM532",
    "003_2dd48e6c264f94e2.txt": "Review: interfaces in garnet all-solid-state Li batteries",
    "004_1c007398bd086bfb.txt": "NASICON LATP protected from Li metal by ALD Al2O3 / Li3PO4",
}

#: property name -> (SI unit of ``value_si``, unit used for display)
PROPERTIES: dict[str, tuple[str, str]] = {
    "ionic_conductivity": ("S/m", "S/cm"),
    "electronic_conductivity": ("S/m", "S/cm"),
    "activation_energy": ("J", "eV"),
    "relative_density": ("dimensionless", "%"),
    "area_specific_resistance": ("ohm*m^2", "ohm*cm^2"),
    "resistance": ("ohm", "ohm"),
    "critical_current_density": ("A/m^2", "mA/cm^2"),
    "current_density": ("A/m^2", "mA/cm^2"),
    "specific_capacity": ("C/kg", "mAh/g"),
    "areal_capacity": ("C/m^2", "mAh/cm^2"),
    "capacity_retention": ("dimensionless", "%"),
    "rate_capability_retention": ("dimensionless", "%"),
    "coulombic_efficiency": ("dimensionless", "%"),
    "overpotential": ("V", "V"),
    "voltage": ("V", "V"),
    "lifetime": ("s", "h"),
    "cycle_count": ("dimensionless", "dimensionless"),
    "contact_angle": ("rad", "deg"),
    "work_of_adhesion": ("J/m^2", "J/m^2"),
    "surface_energy": ("J/m^2", "J/m^2"),
    "thickness": ("m", "nm"),
    "penetration_depth": ("m", "nm"),
    "growth_per_cycle": ("m", "nm"),
    "grain_size": ("m", "um"),
    "particle_size": ("m", "um"),
    "lattice_parameter": ("m", "angstrom"),
    "shear_modulus": ("Pa", "GPa"),
    "youngs_modulus": ("Pa", "GPa"),
    "hardness": ("Pa", "MPa"),
    "fracture_toughness": ("Pa*m^0.5", "MPa*m^0.5"),
    "pressure": ("Pa", "MPa"),
    "temperature": ("K", "degC"),
    "duration": ("s", "h"),
    "band_gap": ("J", "eV"),
    "binding_energy": ("J", "eV"),
    "energy_loss": ("J", "eV"),
    "reaction_energy": ("J", "eV"),
    "fraction": ("dimensionless", "%"),
    "capacitance": ("F", "F"),
    "frequency": ("Hz", "Hz"),
    "mass_loading": ("kg/m^2", "mg/cm^2"),
    "energy_density": ("J/kg", "Wh/kg"),
    "volumetric_energy_density": ("J/m^3", "Wh/L"),
    "diffusion_coefficient": ("m^2/s", "cm^2/s"),
    "amount": ("dimensionless", "dimensionless"),
    "resistance_ratio": ("dimensionless", "dimensionless"),
    "weight_fraction": ("dimensionless", "%"),
    "volume_fraction": ("dimensionless", "%"),
    "cost": ("dimensionless", "dimensionless"),
}

Family = Literal[
    "garnet",
    "nasicon",
    "perovskite",
    "lisicon",
    "sulfide",
    "lipon",
    "halide",
    "polymer",
    "oxide",
    "cathode",
    "anode",
    "interlayer",
    "cell",
    "other",
]
FAMILIES: tuple[str, ...] = get_args(Family)

#: Condition keys holding quantities, with a unit of the dimension they must have.
QUANTITY_CONDITIONS: dict[str, str] = {
    "temperature": "K",
    "relative_density": "dimensionless",
    "process_temperature": "K",
    "process_time": "s",
    "process_pressure": "Pa",
    "stack_pressure": "Pa",
    "current_density": "A/m^2",
    "areal_capacity": "C/m^2",
    "specific_current": "A/kg",
    "current": "A",
    "thickness": "m",
    "area": "m^2",
    "diameter": "m",
    "amplitude": "V",
    "mass_loading": "kg/m^2",
    "step_time": "s",
    "duration": "s",
    "energy": "J",
}

#: Condition keys holding free text.
TEXT_CONDITIONS = (
    "synthesis_route",
    "process_atmosphere",
    "contribution",  # bulk | grain_boundary | total
    "method",  # experiment | DFT | simulation | calculated | estimate
    "c_rate",
    "voltage_window",
    "frequency_range",
    "electrodes",
    "electrolyte",
    "instrument",
    "phase",
    "measurement",
    "reference_state",
)


class Conditions(BaseModel):
    """Measurement and processing conditions. Quantities are strings pint can parse."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    temperature: str | None = None
    relative_density: str | None = None
    process_temperature: str | None = None
    process_time: str | None = None
    process_pressure: str | None = None
    stack_pressure: str | None = None
    current_density: str | None = None
    areal_capacity: str | None = None
    specific_current: str | None = None
    current: str | None = None
    thickness: str | None = None
    area: str | None = None
    diameter: str | None = None
    amplitude: str | None = None
    mass_loading: str | None = None
    step_time: str | None = None
    duration: str | None = None
    energy: str | None = None
    cycle_count: int | None = None
    synthesis_route: str | None = None
    process_atmosphere: str | None = None
    contribution: Literal["bulk", "grain_boundary", "total", "interface"] | None = None
    method: Literal["experiment", "DFT", "simulation", "calculated", "estimate"] | None = None
    c_rate: str | None = None
    voltage_window: str | None = None
    frequency_range: str | None = None
    electrodes: str | None = None
    electrolyte: str | None = None
    instrument: str | None = None
    phase: str | None = None
    measurement: str | None = None
    reference_state: str | None = None
    other: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _quantities_have_right_dimension(self) -> Conditions:
        for key, si_unit in QUANTITY_CONDITIONS.items():
            text = getattr(self, key)
            if text is None:
                continue
            try:
                quantity = parse_quantity(text)
            except UnitError as exc:
                raise ValueError(f"condition {key}: {exc}") from None
            if quantity.dimensionality != parse_unit(si_unit).dimensionality:
                raise ValueError(f"condition {key}: {text!r} is not of the dimension of {si_unit}")
        return self


class Dopant(BaseModel):
    """A dopant as a dopant table reports it: element, host site, amount per formula unit."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    element: str
    site: str  # e.g. "Li", "La", "Zr", "O", "Li+Zr"
    amount_pfu: float | None = None


class Source(BaseModel):
    """Where the value stands: seed file, section/table/figure, the paper's own reference."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str
    section: str = Field(min_length=1)
    ref: str | None = None  # the cited paper's reference number in the seed, e.g. "[45]"
    quote: str | None = None  # the printed phrase, short

    @field_validator("file")
    @classmethod
    def _known_seed(cls, value: str) -> str:
        if value not in SEED_FILES:
            raise ValueError(f"unknown source file {value!r}; expected one of {sorted(SEED_FILES)}")
        return value


_FLAG = re.compile(r"^(reported|inferred|calculated-in-source|(inconsistent|note): .+)$")


class Record(BaseModel):
    """One reported or inferred number."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^s00[0-4]-[a-z0-9][a-z0-9-]*$")
    material: str = Field(min_length=1)
    composition: str | None = None
    family: Family
    property: str
    value: float
    value_max: float | None = None
    qualifier: Literal["=", "~", "<", ">", "<=", ">=", "range"] = "="
    unit: str
    unit_as_printed: str | None = None
    value_text: str | None = None
    conditions: Conditions = Field(default_factory=Conditions)
    dopant: Dopant | None = None
    strategy: str | None = None
    cell: str | None = None
    group: str | None = None
    source: Source
    flags: list[str] = Field(min_length=1)
    note: str | None = None

    @field_validator("property")
    @classmethod
    def _known_property(cls, value: str) -> str:
        if value not in PROPERTIES:
            raise ValueError(f"unknown property {value!r}; known: {sorted(PROPERTIES)}")
        return value

    @field_validator("flags")
    @classmethod
    def _flags_well_formed(cls, flags: list[str]) -> list[str]:
        for flag in flags:
            if not _FLAG.match(flag):
                raise ValueError(
                    f"flag {flag!r} is not 'reported', 'inferred', 'calculated-in-source', "
                    "'inconsistent: …' or 'note: …'"
                )
        if ("reported" in flags) == ("inferred" in flags):
            raise ValueError("flags must contain exactly one of 'reported' or 'inferred'")
        return flags

    @model_validator(mode="after")
    def _unit_matches_property(self) -> Record:
        si_unit, _ = PROPERTIES[self.property]
        try:
            unit = parse_unit(self.unit)
        except UnitError as exc:
            raise ValueError(f"unit: {exc}") from None
        if unit.dimensionality != parse_unit(si_unit).dimensionality:
            raise ValueError(
                f"unit {self.unit!r} does not fit property {self.property!r} (expects {si_unit})"
            )
        if self.qualifier == "range" and self.value_max is None:
            raise ValueError("qualifier 'range' needs value_max")
        if self.value_max is not None and self.value_max < self.value:
            raise ValueError("value_max is below value")
        return self
