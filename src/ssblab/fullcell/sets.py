"""Named full-cell designs (``ssblab simulate full --set NAME``) and named protocols.

Composite (PyBaMM) cells of seed 000: ``nmc811_llzto_bare`` and ``nmc811_llzto_annealed``
differ in the Li|LLZTO interface ASR only (109 and 1 Ω·cm², seed 003 Table 1 rows
s003-t1-r01 and s003-t1-r16, as in :mod:`ssblab.replicate.seed000_fullcell`). The connected
fraction of the cast (``utilisation``) is the value fitted on seed 000's "around 160 mAh/g"
(``ssblab replicate 000`` refits it and a test keeps the stored values equal to the fit).
"""

from __future__ import annotations

from ssblab.errors import SsblabInputError
from ssblab.fullcell.halfcell import HalfCellDesign, protocol_seed000

#: utilisation fitted on seed 000's ~160 mAh/g at the first 0.5 C cycle (replicate 000)
FITTED_UTILISATION = {"bare": 0.7113, "annealed": 0.7050}

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
