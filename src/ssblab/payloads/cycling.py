"""The ``--json`` payloads of ``ssblab cycle symmetric|full``, and the parsing of their options.

Options are quantities with units (``"12 mm"``, ``"1.9 mg/cm^2"``) parsed with pint at this
boundary and bounded to what describes a laboratory cell (:data:`BOUNDS`); everything after is
SI (areas in m², except where a result's own field says cm²). Errors raised by the analysis name
the file (:func:`about`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ssblab.errors import SsblabInputError
from ssblab.units import bounded_si

if TYPE_CHECKING:
    from ssblab.cycling.data import CyclingData
    from ssblab.impedance.spectrum import Spectrum

# (SI unit, low, high): the range in which a value describes a laboratory cell. Outside it the
# value is a typo (a sign, a unit, an exponent) and would overflow or vanish downstream.
BOUNDS = {
    "--area": ("m^2", 1e-10, 1.0),  # 100 µm² microelectrode … 1 m²
    "--diameter": ("m", 1e-5, 1.0),  # 10 µm … 1 m
    "--current-density": ("A/m^2", 1e-6, 1e5),  # 0.1 nA/cm² … 10 A/cm²
    "--voltage-limit": ("V", 0.0, 1e3),
    "--mass": ("kg", 1e-10, 1.0),  # 0.1 µg … 1 kg
    "--loading": ("kg/m^2", 1e-7, 10.0),  # 0.01 µg/cm² … 1 g/cm²
}
NOMINAL_BOUNDS = {"mAh/g": (1e-3, 1e5), "mAh": (1e-9, 1e9)}
OVERRIDE_MARKERS = ("on request (--force)", "cell checks overridden")
FIRST_STEPS = ("auto", "charge", "discharge")


def quantity(text: str | None, option: str) -> float | None:
    """``text`` in the SI unit of ``option`` (:data:`BOUNDS`), or None when not given."""
    if text is None:
        return None
    unit, low, high = BOUNDS[option]
    return bounded_si(text, unit, option, low=low, high=high)


def area_option(area: str | None, diameter: str | None) -> float | None:
    """The electrode area (m²) from ``--area`` or ``--diameter``."""
    if area is not None and diameter is not None:
        raise SsblabInputError("give --area or --diameter, not both")
    if diameter is not None:
        return math.pi * quantity(diameter, "--diameter") ** 2 / 4
    return quantity(area, "--area")


def active_mass_g(mass: str | None, loading: str | None, area: str | None) -> float | None:
    """The active mass (g) from ``--mass`` or ``--loading`` × ``--area``."""
    if mass is not None and loading is not None:
        raise SsblabInputError("give --mass or --loading (with --area), not both")
    if mass is not None:
        return quantity(mass, "--mass") * 1e3
    if loading is not None:
        if area is None:
            raise SsblabInputError("--loading needs --area")
        value = quantity(loading, "--loading") * quantity(area, "--area") * 1e3
        low, high = (b * 1e3 for b in BOUNDS["--mass"][1:])
        if not low <= value <= high:
            raise SsblabInputError(
                f"--loading × --area gives {value:.4g} g of active material, outside "
                f"[{low:g}, {high:g}] g"
            )
        return value
    return None


def nominal_option(nominal: str | None) -> dict:
    """``--nominal`` as the keyword :func:`ssblab.cycling.fullcell.fullcell_metrics` takes."""
    if nominal is None:
        return {}
    from ssblab.units import parse_quantity

    parsed = parse_quantity(nominal)
    if parsed.check("[current] * [time] / [mass]"):
        unit, key = "mAh/g", "nominal_specific_capacity_mAh_g"
    elif parsed.check("[current] * [time]"):
        unit, key = "mAh", "nominal_capacity_mAh"
    else:
        raise SsblabInputError(
            f"--nominal {nominal!r}: give a capacity (mAh) or specific capacity (mAh/g)"
        )
    low, high = NOMINAL_BOUNDS[unit]
    return {key: bounded_si(nominal, unit, "--nominal", low=low, high=high)}


def check_full_options(eol: float, first_step: str, formation: int | None) -> None:
    if not (math.isfinite(eol) and 0 < eol < 1):
        raise SsblabInputError(
            f"--eol must lie in (0, 1), a fraction of the reference capacity (e.g. 0.8), got {eol}"
        )
    if first_step not in FIRST_STEPS:
        raise SsblabInputError(f"--first-step: auto, charge or discharge, got {first_step!r}")
    if formation is not None and formation < 0:
        raise SsblabInputError(f"--formation must be >= 0, got {formation}")


@contextmanager
def about(file: str | Path) -> Iterator[None]:
    """Bad-input errors raised inside name ``file`` (once)."""
    try:
        yield
    except SsblabInputError as exc:
        message = " ".join(str(exc).split())
        if str(file) in message or Path(file).name in message:
            raise
        try:
            wrapped = type(exc)(f"{file}: {message}")
        except Exception:  # an error type with another constructor
            wrapped = SsblabInputError(f"{file}: {message}")
        raise wrapped from None


def electrode_area(
    data: CyclingData, area_m2: float | None, current_density: float | None
) -> tuple[float, list[str]]:
    """Area (m²) given, or implied by the file's median working current / the current density
    (A/m²); with both, a note when they disagree by more than 5 %."""
    import numpy as np

    notes: list[str] = []
    if current_density is not None:
        current = np.abs(data.table["current_A"].to_numpy(dtype=float))
        peak = float(current.max()) if current.size else 0.0
        working = current[current > 1e-3 * peak]
        if working.size == 0:
            raise SsblabInputError("no current flows: --current-density cannot give an area")
        implied = float(np.median(working)) / current_density
        if area_m2 is None:
            area_m2 = implied
            notes.append(
                f"area {area_m2 * 1e4:.4g} cm^2 implied by the current and --current-density"
            )
        elif abs(implied / area_m2 - 1) > 0.05:
            notes.append(
                f"--current-density implies {implied * 1e4:.4g} cm^2, not the {area_m2 * 1e4:.4g} "
                "cm^2 given: the file's currents were used"
            )
    if area_m2 is None:
        raise SsblabInputError("give the electrode --area or --diameter (or --current-density)")
    if not (math.isfinite(area_m2) and BOUNDS["--area"][1] <= area_m2 <= BOUNDS["--area"][2]):
        raise SsblabInputError(
            f"the electrode area implied by --current-density, {area_m2:.4g} m^2, is outside "
            f"[{BOUNDS['--area'][1]:g}, {BOUNDS['--area'][2]:g}] m^2"
        )
    return area_m2, notes


def split_notes(notes: list[str]) -> tuple[list[str], list[str]]:
    """(warnings, notes): a check overridden with --force is a warning."""
    warned = [n for n in notes if any(m in n for m in OVERRIDE_MARKERS)]
    return warned, [n for n in notes if n not in warned]


def symmetric_analysis(
    data: CyclingData,
    file: str | Path,
    area_m2: float | None,
    current_density_A_m2: float | None = None,
    voltage_limit_V: float | None = None,
    force: bool = False,
) -> tuple[dict, Any, float]:
    """(``ssblab cycle symmetric --json`` without ``eis``/``figures``, the analysis, the area
    used in m²)."""
    from ssblab.cycling.symmetric import analyse_symmetric

    with about(file):
        area_m2, notes = electrode_area(data, area_m2, current_density_A_m2)
        result = analyse_symmetric(data, area_m2, voltage_limit_V=voltage_limit_V, force=force)
    payload = {"file": str(file), **result.to_dict(), "reader_notes": list(data.notes)}
    payload["warnings"], payload["notes"] = split_notes([*payload["notes"], *notes])
    return payload, result, area_m2


def symmetric_eis_check(spectrum: Spectrum, result, file: str | Path) -> dict:
    """The ``"eis"`` entry of ``cycle symmetric --eis``: the impedance fit's total resistance
    against the cycling ASR."""
    from ssblab.cycling.symmetric import eis_consistency
    from ssblab.impedance.suggest import suggest_circuit

    with about(file):
        fitted = suggest_circuit(
            spectrum.frequency_hz, spectrum.impedance_ohm, cell="symmetric"
        ).fit
        total = sum(v for n, v in fitted.parameter_dict().items() if n.startswith("R"))
        return {
            "file": str(file),
            "circuit": fitted.circuit,
            "total_resistance_ohm": total,
            **eis_consistency(result, total),
        }


def symmetric_payload(
    data: CyclingData,
    file: str | Path,
    area_m2: float | None,
    current_density_A_m2: float | None = None,
    voltage_limit_V: float | None = None,
    force: bool = False,
) -> dict:
    """``ssblab cycle symmetric --json`` (without ``--eis`` and ``--plot``)."""
    return symmetric_analysis(data, file, area_m2, current_density_A_m2, voltage_limit_V, force)[0]


def full_analysis(
    data: CyclingData,
    file: str | Path,
    active_mass_g: float | None = None,
    area_cm2: float | None = None,
    nominal: dict | None = None,
    formation: int | None = None,
    reference_cycle: int | None = None,
    eol: float = 0.8,
    first_step: str = "auto",
    force: bool = False,
    invert_current: bool = False,
    stage: Callable[[int, str], None] | None = None,
) -> tuple[dict, Any, Any, Any]:
    """(``ssblab cycle full --json`` without ``figures``, the metrics, the fade model or None,
    the rate capability or None). ``stage(done, description)`` reports the fade fit starting
    (the CLI's progress bar); ``nominal`` is :func:`nominal_option`'s keyword."""
    from ssblab.cycling.fade import fade_from_fullcell
    from ssblab.cycling.fullcell import fullcell_metrics
    from ssblab.cycling.rate import rate_test_capability

    check_full_options(eol, first_step, formation)
    with about(file):
        if invert_current:
            from ssblab.cycling.checks import invert_current as flip

            data = flip(data)
        result = fullcell_metrics(
            data,
            active_mass_g=active_mass_g,
            area_cm2=area_cm2,
            formation_cycles=formation,
            reference_cycle=reference_cycle,
            first_step=first_step,
            check_cell=not force,
            **(nominal or {}),
        )
        if stage is not None:
            stage(2, "fitting the capacity fade")
        payload = {"file": str(file), **result.to_dict(), "reader_notes": list(data.notes)}
        payload["warnings"], payload["notes"] = split_notes(payload["notes"])
        fade = None
        try:
            fade = fade_from_fullcell(result, eol_fraction=eol)
            payload["fade_model"] = fade.to_dict()
        except SsblabInputError as exc:  # too few cycles: a limit of the data, not bad input
            payload["fade_model"] = None
            payload["notes"].append(f"no fade model: {exc}")
        rates, note = rate_test_capability(result)
        if rates is not None:
            payload["rate_capability"] = rates.to_dict()
        if note is not None:
            payload["notes"].append(note)
    return payload, result, fade, rates


def full_payload(data: CyclingData, file: str | Path, **options: Any) -> dict:
    """``ssblab cycle full --json`` (without ``--plot``); ``options`` as :func:`full_analysis`."""
    return full_analysis(data, file, **options)[0]
