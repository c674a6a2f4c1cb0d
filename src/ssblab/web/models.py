"""Request and response models of the JSON API (they make the OpenAPI schema).

Quantities are strings with units (``"0.5 mm"``, ``"25 degC"``), parsed with pint by the same
functions as the CLI's options, so a bad value gets the CLI's one-line message (HTTP 422).
Analysis results are the CLI's ``--json`` objects: their main fields are typed here and the
rest passes through (``extra="allow"``), so the schema never drifts from the CLI.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Text = Field(max_length=200)
Quantity = str


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Measurement(BaseModel):
    id: int
    name: str
    kind: Literal["eis", "cycling"]
    format: str
    notes: list[str]
    sha256: str
    size_bytes: int
    temperature_K: float | None = None
    sample: str | None = None
    n_spectra: int | None = Field(None, description="EIS: spectra in the file")
    n_rows: int | None = Field(None, description="cycling: rows of the tidy table")


class UploadError(BaseModel):
    name: str
    error: str


class UploadResult(BaseModel):
    measurements: list[Measurement]
    errors: list[UploadError]


class MeasurementList(BaseModel):
    measurements: list[Measurement]
    workspace: str | None = None


class Error(BaseModel):
    detail: str


class FitRequest(Strict):
    circuit: str = Field("auto", max_length=200, description="circuit string or 'auto'")
    cell: str | None = Field(None, max_length=20, description="pellet|symmetric|film|full")
    weighting: str = Field("modulus", max_length=20)


class DrtRequest(Strict):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    lam: str = Field("gcv", alias="lambda", max_length=40, description="gcv, lcurve or a number")


class Geometry(Strict):
    thickness: Quantity = Field(max_length=100, examples=["0.5 mm"])
    diameter: Quantity | None = Field(None, max_length=100, examples=["12 mm"])
    area: Quantity | None = Field(None, max_length=100, examples=["1.13 cm^2"])


class ConductivityRequest(Geometry):
    circuit: str = Field("auto", max_length=200)
    cell: str = Field("pellet", max_length=20)


class ArrheniusRequest(Geometry):
    measurements: list[int] = Field(min_length=1, max_length=500)
    temperatures: list[Quantity] | None = Field(
        None, max_length=500, description="one per spectrum; default: the files' own"
    )
    circuit: str = Field("auto", max_length=200)
    cell: str = Field("pellet", max_length=20)
    quantity: str = Field("total", max_length=20, description="total or bulk")
    model: str = Field("sigmaT", max_length=20, description="sigmaT or sigma")
    at: Quantity = Field("25 degC", max_length=100)
    reported_ea: Quantity | None = Field(None, max_length=100)


class SymmetricRequest(Strict):
    area: Quantity | None = Field(None, max_length=100)
    diameter: Quantity | None = Field(None, max_length=100)
    current_density: Quantity | None = Field(None, max_length=100)
    voltage_limit: Quantity | None = Field(None, max_length=100)
    force: bool = False


class FullRequest(Strict):
    active_mass: Quantity | None = Field(None, max_length=100, examples=["3.6 mg"])
    loading: Quantity | None = Field(None, max_length=100, examples=["1.9 mg/cm^2"])
    area: Quantity | None = Field(None, max_length=100)
    diameter: Quantity | None = Field(None, max_length=100)
    nominal: Quantity | None = Field(None, max_length=100, examples=["180 mAh/g"])
    formation: int | None = Field(None, ge=0, le=100_000)
    reference_cycle: int | None = Field(None, ge=0, le=10_000_000)
    eol: float = Field(0.8, gt=0, lt=1)
    first_step: str = Field("auto", max_length=20)
    invert_current: bool = False
    force: bool = False


class SimulateRequest(Strict):
    parameter_set: str = Field("llzto_bare", max_length=60)
    current_density: Quantity = Field("0.1 mA/cm^2", max_length=100)
    step: Quantity = Field("1 h", max_length=100)
    cycles: int = Field(5, ge=1, le=50)
    sample: Quantity = Field("60 s", max_length=100)
    compare_with: int | None = Field(None, description="a cycling measurement's id")


class FitItem(Open):
    file: str
    spectrum: int
    circuit: str
    parameters: dict[str, float | None]
    stderr: dict[str, float | None]
    units: dict[str, str]
    warnings: list[str]
    reader_notes: list[str]


class KKItem(Open):
    file: str
    spectrum: int
    passed: bool
    mu: float | None
    notes: list[str]


class DrtItem(Open):
    file: str
    spectrum: int


class ConductivityItem(Open):
    file: str
    spectrum: int
    circuit: str
    sigma_bulk_S_m: float | None = None
    sigma_total_S_m: float | None = None
    warnings: list[str]


class ArrheniusResult(Open):
    quantity: str
    points: list[dict]
    activation_energy_eV: float | None
    activation_energy_err_eV: float | None


class CyclingResult(Open):
    file: str
    warnings: list[str]
    notes: list[str]
    reader_notes: list[str]


class SimulateResult(Open):
    parameter_set: str
    trace: dict
    analysis: dict


class ReplicateResult(Open):
    status: Literal["done", "running"]
    seed: str


class KbResult(Open):
    count: int
    records: list[dict]
