"""Named parameter sets of the symmetric-cell simulator: YAML files validated by pydantic.

A set is ``models/parameter_sets/<name>.yaml``::

    name: llzto_bare
    description: ...
    parameters:
      sse_thickness: {value: 0.5, unit: mm, source: "seed 000 §2.4 (s000-llzto-pellet-thickness)"}
      exchange_current_density:
        value: 1.2
        unit: A/m^2
        source: "..."
        calibrated: true
        calibrated_on: "what it was fitted to"

``sse_sigma_ion`` is the room-temperature (25 °C) value; the simulator scales it to ``temperature``
with ``sse_activation_energy`` (:attr:`CellParameters.sse_sigma_ion_at_temperature`).

Every entry has a ``value``, a ``unit`` (pint; ``""`` for dimensionless and for names) and a
``source`` (seed file + section, a published reference, or "assumption: …"); calibrated values
say so and name what they were calibrated on. Unknown keys (in an entry, in ``parameters`` or at
the top level) are rejected and every error names the file and the key.

:data:`PARAMETERS` lists every parameter with its SI unit and constraint; :func:`resolve`
turns raw ``(value, unit)`` pairs (a file, plus ``--set-param`` overrides) into a frozen
:class:`CellParameters` in SI units.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ssblab.errors import SsblabInputError
from ssblab.models.coating import COATINGS
from ssblab.models.interphase import INTERPHASES
from ssblab.units import Q_, parse_unit, to_si

SET_DIR = Path(__file__).parent / "parameter_sets"
#: Temperature at which every set's ``sse_sigma_ion`` is quoted, K (room temperature, 25 °C).
REFERENCE_TEMPERATURE_K = 298.15
K_B_EV = 8.617333262e-5  # Boltzmann constant, eV/K (CODATA 2018)
FACES = ("both", "working", "counter")


class ParameterSetError(SsblabInputError):
    """A parameter set or parameter that fails validation (names the file/parameter)."""


#: name -> (SI unit, constraint). Constraints: positive, nonneg, fraction (0, 1], int (>= 1),
#: count (>= 0), or a tuple of allowed names.
PARAMETERS: dict[str, tuple[str, Any]] = {
    "area": ("m^2", "positive"),
    "temperature": ("K", "positive"),
    "sse_thickness": ("m", "positive"),
    "sse_sigma_ion": ("S/m", "positive"),
    "sse_sigma_e": ("S/m", "nonneg"),
    "sse_material": ("", ("LLZO", "LATP", "LLTO")),
    "sse_activation_energy": ("eV", "nonneg"),
    "sse_activation_energy_form": ("", ("sigma", "sigmaT")),
    "exchange_current_density": ("A/m^2", "positive"),
    "transfer_coefficient": ("", "fraction"),
    "stack_pressure": ("Pa", "nonneg"),
    "li_hardness": ("Pa", "positive"),
    "initial_contact_fraction": ("", "fraction"),
    "n_spots": ("", "int"),
    "void_depth": ("m", "positive"),
    "interphase": ("", tuple(INTERPHASES)),
    "interphase_coated": ("", tuple(INTERPHASES)),
    "coating": ("", ("none", *COATINGS)),
    "ald_cycles": ("", "count"),
    "coated_faces": ("", FACES),
    "coating_defect_length": ("m", "positive"),
    "filament_area_fraction": ("", "fraction"),
    "short_resistance": ("ohm*m^2", "positive"),
    "voltage_limit": ("V", "positive"),
}


#: Parameters a set may leave null (not measured, and not used by its mechanisms):
#: ``sse_sigma_e`` of an electrolyte Li reduces into an electron-conducting interphase
#: (:func:`ssblab.models.simulator.filaments_possible`).
NULLABLE = frozenset({"sse_sigma_e"})


class ParameterEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: float | int | str | None
    unit: str
    source: str = Field(min_length=1)
    calibrated: bool = False
    calibrated_on: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _calibration(self) -> ParameterEntry:
        if self.calibrated and not self.calibrated_on:
            raise ValueError("calibrated: true needs calibrated_on (what it was calibrated on)")
        return self


class ParameterSetFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    description: str
    parameters: dict[str, ParameterEntry]


@dataclass(frozen=True)
class CellParameters:
    """Li | coating | SSE | coating | Li cell parameters in SI units (see :data:`PARAMETERS`)."""

    area: float
    temperature: float
    sse_thickness: float
    sse_sigma_ion: float
    sse_sigma_e: float | None
    sse_material: str
    sse_activation_energy: float
    sse_activation_energy_form: str
    exchange_current_density: float
    transfer_coefficient: float
    stack_pressure: float
    li_hardness: float
    initial_contact_fraction: float
    n_spots: int
    void_depth: float
    interphase: str
    interphase_coated: str
    coating: str
    ald_cycles: float
    coated_faces: str
    coating_defect_length: float
    filament_area_fraction: float
    short_resistance: float
    voltage_limit: float
    name: str = "custom"

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def sse_sigma_ion_at_temperature(self) -> float:
        """σ_ion at ``temperature`` (S/m) from ``sse_sigma_ion`` at T_ref = 298.15 K (every set
        quotes a room-temperature conductivity) and ``sse_activation_energy`` in the Arrhenius
        form ``sse_activation_energy_form`` names: ``"sigma"`` σ(T) = σ₂₅·exp[−E_a/k_B·(1/T −
        1/T_ref)], ``"sigmaT"`` the same times T_ref/T. The one function of
        :func:`ssblab.impedance.arrhenius.conductivity_at_temperature` does it, so an E_a fitted
        by ``ssblab eis arrhenius`` (σT by default) goes in with its own form.
        """
        from ssblab.impedance.arrhenius import conductivity_at_temperature

        return conductivity_at_temperature(
            self.sse_sigma_ion,
            self.sse_activation_energy,
            self.temperature,
            REFERENCE_TEMPERATURE_K,
            model=self.sse_activation_energy_form,
        )


def _convert(key: str, value: Any, unit: str | None, where: str) -> Any:
    """One parameter to SI, checked; ``unit=None`` means ``value`` is a ``"3 mm"`` string."""
    if key not in PARAMETERS:
        raise ParameterSetError(
            f"{where}unknown parameter {key!r}: use one of {', '.join(PARAMETERS)}"
        )
    si, rule = PARAMETERS[key]
    name = f"{where}parameter {key}"
    if value is None or (isinstance(value, str) and value.strip().lower() == "null"):
        if key in NULLABLE:
            return None
        raise ParameterSetError(f"{name}: a value is required")
    if isinstance(rule, tuple):
        text = str(value).strip()
        if text not in rule:
            raise ParameterSetError(f"{name}: {text!r} is not one of {', '.join(rule)}")
        return text
    try:
        if unit is None:
            text = str(value).strip()
            try:
                number: float | None = float(text)
            except ValueError:
                number = None
            if number is None:
                out = to_si(text, si, name)
            elif si == "":
                out = number
            else:
                raise ParameterSetError(f"{name}: {text!r} has no unit (expected {si})")
        else:
            if isinstance(value, (bool, str)):
                raise ParameterSetError(f"{name}: value must be a number, got {value!r}")
            out = to_si(Q_(float(value), parse_unit(unit)), si, name)
    except ParameterSetError:
        raise
    except SsblabInputError as exc:
        message = str(exc)
        raise ParameterSetError(message if name in message else f"{name}: {message}") from None
    if not math.isfinite(out):
        raise ParameterSetError(f"{name} must be finite, got {out}")
    unit_text = f" {si}" if si else ""
    if rule == "positive" and not out > 0:
        raise ParameterSetError(f"{name} must be > 0, got {out:g}{unit_text}")
    if rule in ("nonneg", "count") and out < 0:
        raise ParameterSetError(f"{name} must be >= 0, got {out:g}{unit_text}")
    if rule == "fraction" and not 0 < out <= 1:
        raise ParameterSetError(f"{name} must be in (0, 1], got {out:g}")
    if rule == "int":
        if out < 1 or out != int(out):
            raise ParameterSetError(f"{name} must be a positive integer, got {out:g}")
        return int(out)
    return out


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else first["msg"]


def load_set_file(path: Path) -> tuple[ParameterSetFile, CellParameters]:
    """Validate one YAML parameter-set file; errors name the file and the key."""
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParameterSetError(f"{path.name}: not valid YAML: {exc}".splitlines()[0]) from None
    except OSError as exc:
        raise ParameterSetError(f"{path}: cannot read: {exc}") from None
    try:
        parsed = ParameterSetFile.model_validate(document)
    except ValidationError as exc:
        raise ParameterSetError(f"{path.name}: {_describe(exc)}") from None
    for key in parsed.parameters:
        if key not in PARAMETERS:
            raise ParameterSetError(
                f"{path.name}: unknown parameter {key!r}: use one of {', '.join(PARAMETERS)}"
            )
    missing = [key for key in PARAMETERS if key not in parsed.parameters]
    if missing:
        raise ParameterSetError(f"{path.name}: missing parameters {', '.join(missing)}")
    values = {
        key: _convert(key, entry.value, entry.unit, f"{path.name}: ")
        for key, entry in parsed.parameters.items()
    }
    return parsed, CellParameters(**values, name=parsed.name)


def available_sets() -> list[str]:
    return sorted(p.stem for p in SET_DIR.glob("*.yaml"))


@lru_cache(maxsize=32)
def _load_named(name: str) -> tuple[ParameterSetFile, CellParameters]:
    return load_set_file(SET_DIR / f"{name}.yaml")


#: Material names accepted for the sets (case-insensitive): the bare cell of each electrolyte.
ALIASES = {
    "latp": "latp_bare",
    "llzto": "llzto_bare",
    "llzo": "llzto_bare",
    "llto": "llto",
    "latp@al2o3": "latp_ald_al2o3",
    "llzto@al2o3": "llzto_al2o3_annealed",
}


def resolve_set_name(name: str) -> str:
    """A set name, or a material alias (``LATP`` -> ``latp_bare``), case-insensitive."""
    key = str(name).strip().lower()
    return ALIASES.get(key, key)


def parameter_set(name: str) -> tuple[ParameterSetFile, CellParameters]:
    """The validated set ``name`` (or an alias; raw entries with sources, and SI parameters)."""
    name = resolve_set_name(name)
    if name not in available_sets():
        raise ParameterSetError(
            f"unknown parameter set {name!r}: use one of {', '.join(available_sets())} "
            f"(or {', '.join(k.upper() for k in ALIASES)})"
        )
    return _load_named(name)


def with_overrides(base: CellParameters, overrides: dict[str, str]) -> CellParameters:
    """``base`` with ``{"sse_thickness": "0.3 mm", "coating": "Al2O3"}`` applied (SI, checked)."""
    values = base.to_dict()
    for key, text in overrides.items():
        values[key] = _convert(key, text, None, "")
    return CellParameters(**values)


def parse_assignment(text: str) -> tuple[str, str]:
    """``"key=value unit"`` -> (key, "value unit")."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise ParameterSetError(
            f"--set-param {text!r}: expected key=value (e.g. sse_thickness=1 mm)"
        )
    return key.strip(), value.strip()
