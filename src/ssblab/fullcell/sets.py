"""Named full-cell designs (``ssblab simulate full --set NAME``) and named protocols.

Composite (PyBaMM) cells of seed 000: ``nmc811_llzto_bare`` and ``nmc811_llzto_annealed``
differ in the Li|LLZTO interface ASR only (109 and 1 Ω·cm², seed 003 Table 1 rows
s003-t1-r01 and s003-t1-r16, as in :mod:`ssblab.replicate.seed000_fullcell`). The connected
fraction of the cast (``utilisation``) is the value fitted, without degradation, on each cell's
first 0.5 C capacity (printed final capacity / retention: 171.9 and 166.9 mAh/g;
``ssblab replicate 000`` refits it and a test keeps the stored values equal to the fit).
"""

from __future__ import annotations

from ssblab.errors import SsblabInputError
from ssblab.fullcell.halfcell import HalfCellDesign, protocol_seed000

#: utilisation fitted on each cell's first 0.5 C capacity, no degradation (replicate 000)
FITTED_UTILISATION = {"bare": 0.7576, "annealed": 0.7316}

COMPOSITE_SETS: dict[str, HalfCellDesign] = {
    "nmc811_llzto_bare": HalfCellDesign(
        anode_interface_asr_ohm_m2=109e-4, utilisation=FITTED_UTILISATION["bare"]
    ),
    "nmc811_llzto_annealed": HalfCellDesign(
        anode_interface_asr_ohm_m2=1e-4, utilisation=FITTED_UTILISATION["annealed"]
    ),
}

PROTOCOLS = {
    "seed000": "2 × (0.1 C charge to 4.3 V, 0.1 C discharge to 2.7 V), then --cycles × 0.5 C",
    "seed000-1c": "as seed000 with 1 C cycling",
}


def composite_set(name: str) -> HalfCellDesign:
    if name not in COMPOSITE_SETS:
        raise SsblabInputError(f"--set {name!r}: use one of {', '.join(sorted(COMPOSITE_SETS))}")
    return COMPOSITE_SETS[name]


def experiment_steps(protocol: str | None, experiment: str | None, cycles: int) -> list[tuple]:
    """Cycles of PyBaMM experiment strings from a named protocol or from ``experiment``
    ("step; step; …", one cycle, repeated ``cycles`` times)."""
    if cycles < 1:
        raise SsblabInputError(f"--cycles must be >= 1, got {cycles}")
    if (protocol is None) == (experiment is None):
        raise SsblabInputError("give --protocol or --experiment (one of them)")
    if protocol is not None:
        if protocol == "seed000":
            return protocol_seed000(0.5, cycles)
        if protocol == "seed000-1c":
            return protocol_seed000(1.0, cycles)
        raise SsblabInputError(f"--protocol {protocol!r}: use one of {', '.join(PROTOCOLS)}")
    steps = tuple(part.strip() for part in experiment.split(";") if part.strip())
    if not steps:
        raise SsblabInputError("--experiment is empty")
    import pybamm

    for step in steps:
        try:
            pybamm.step.string(step)
        except (ValueError, TypeError) as error:
            first = str(error).strip().splitlines()[0]
            raise SsblabInputError(f"--experiment step {step!r}: {first}") from None
    return [steps] * cycles


# --- planar thin-film cells (seed 002) ---------------------------------------------------

#: seed 002 buffers with a printed 30 C / 0.1 C ratio: the interface ASR is fitted on it when
#: the set is loaded (ssblab.replicate.seed002_fullcell.fit_asr, ~0.5 s)
THIN_FILM_SETS = {"ncm532_llto_none": "no buffer", "ncm532_llto_sio2": "SiO2"}

#: seed 002's protocols as PyBaMM experiment strings (3 µA = "0.1 C" → 1 C = 30 µAh)
SEED002_RATES = (0.1, 1.0, 5.0, 10.0, 20.0, 30.0)
THIN_FILM_PROTOCOLS = {
    "seed002-rate": "50 × 3 µA cycles (3.2–4.2 V), then 0.1 C charges and 0.1/1/5/10/20/30 C "
    "discharges",
    "seed002-100": "--cycles × 3 µA charge/discharge, 3.2–4.2 V (Fig. 4)",
    "seed002-1000": "--cycles × 40 µA charge/discharge, 2.8–4.2 V (Fig. 5)",
}


def is_thin_film(name: str) -> bool:
    return name in THIN_FILM_SETS


def thin_film_set(name: str):
    """The seed-002 thin-film cell with its interface ASR fitted on the printed 30 C ratio."""
    from dataclasses import replace

    from ssblab.replicate import seed002_fullcell as s2

    if name not in THIN_FILM_SETS:
        raise SsblabInputError(f"--set {name!r}: use one of {', '.join(sorted(THIN_FILM_SETS))}")
    key = THIN_FILM_SETS[name]
    cell = s2.base_cell()
    ratio = s2._paper()[s2.RATE_IDS[key]] / 100.0
    return replace(cell, interface_asr_ohm_m2=s2.fit_asr(cell, ratio))


def thin_film_protocol(protocol: str, cycles: int) -> list[str]:
    """PyBaMM experiment strings of a seed-002 protocol (flat list of steps)."""
    if protocol == "seed002-rate":
        steps = ["Charge at 0.003 mA until 4.2 V", "Discharge at 0.003 mA until 3.2 V"] * 50
        for rate in SEED002_RATES:
            steps += ["Charge at 0.1C until 4.2 V", f"Discharge at {rate:g}C until 3.2 V"]
        return steps
    if protocol == "seed002-100":
        return ["Charge at 0.003 mA until 4.2 V", "Discharge at 0.003 mA until 3.2 V"] * cycles
    if protocol == "seed002-1000":
        return ["Charge at 0.04 mA until 4.2 V", "Discharge at 0.04 mA until 2.8 V"] * cycles
    raise SsblabInputError(
        f"--protocol {protocol!r} for a thin-film set: use one of {', '.join(THIN_FILM_PROTOCOLS)}"
    )


def thin_film_steps(strings) -> list:
    """PyBaMM experiment strings → :class:`ssblab.fullcell.thinfilm.Step` (C-rate, current,
    rest; "until X V" cut-offs and "for …" durations), parsed by PyBaMM itself."""
    import pybamm

    from ssblab.fullcell import thinfilm as tf

    out = []
    for text in strings:
        try:
            step = pybamm.step.string(text)
        except (ValueError, TypeError) as error:
            first = str(error).strip().splitlines()[0]
            raise SsblabInputError(f"--experiment step {text!r}: {first}") from None
        kind = type(step).__name__
        cutoff = None
        for term in step.termination or []:
            if type(term).__name__ == "VoltageTermination":
                cutoff = float(term.value)
        duration = None if step.uses_default_duration else float(step.duration)
        if kind == "Rest":
            out.append(tf.Step("rest", duration_s=float(step.duration)))
        elif kind in ("CRate", "Current"):
            direction = step.direction or ("discharge" if step.value > 0 else "charge")
            value = abs(float(step.value))
            current = {"c_rate": value} if kind == "CRate" else {"current_A": value}
            out.append(tf.Step(direction.lower(), cutoff_V=cutoff, duration_s=duration, **current))
        else:
            raise SsblabInputError(
                f"--experiment step {text!r}: the thin-film model runs constant-current steps "
                "and rests only"
            )
    return out
