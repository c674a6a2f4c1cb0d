"""Generate the cycling demo files (``examples/cycling/demo``) in LANDdt CSV layout.

Seed 000 cycled its cells on a LAND CT2001A. The files reproduce its conditions with a known
answer (``truth.json``):

* ``llzto_bare_symmetric.csv`` — Li | LLZTO | Li, 12 mm electrodes, 1 mA/cm², 0.5 h
  half-cycles; total ASR 50 Ω·cm² drifting by +0.05 Ω·cm²/h; a Li filament shorts the cell at
  60 h (seed 000: "stable for only 60 h"); 1 mV noise, a point a minute, 100 h.
* ``nmc811_bare_full.csv`` / ``nmc811_annealed_full.csv`` — Li | LLZTO | NMC811, 1.9 mg/cm² on
  1.13 cm², 1 C = 180 mA/g, two formation cycles at 0.1 C then 0.5 C; discharge capacity
  171.9 → 80.3 mAh/g (bare) and 166.9 → 161.6 mAh/g (annealed) over 50 cycles (seed 000 §3.4:
  46.7 % and 96.8 % retention).

Run ``python examples/make_cycling_demo.py`` to regenerate; the files are committed.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from ssblab.cycling.synthetic_fullcell import fullcell_trace
from ssblab.cycling.synthetic_symmetric import symmetric_trace

OUT = Path(__file__).parent / "cycling" / "demo"
AREA_SYM_M2 = np.pi * (6e-3) ** 2
MASS_G = 1.9e-3 * 1.13


def land_csv(table: pd.DataFrame, path: Path, mass_g: float | None = None) -> None:
    """The LANDdt export columns: Index, CycleNo, StepNo, TestTime/s, Current/mA, …"""
    capacity_mah = table["step_capacity_Ah"].to_numpy() * 1e3
    frame = pd.DataFrame(
        {
            "Index": np.arange(1, len(table) + 1),
            "CycleNo": table["cycle_index"].to_numpy(),
            "StepNo": table["step_index"].to_numpy() + 1,
            "TestTime/s": np.round(table["time_s"].to_numpy(), 3),
            "Current/mA": np.round(table["current_A"].to_numpy() * 1e3, 6),
            "Capacity/mAh": np.round(capacity_mah, 6),
            "SpeCap/mAh/g": np.round(capacity_mah / mass_g, 4) if mass_g else 0.0,
            "Voltage/V": np.round(table["voltage_V"].to_numpy(), 5),
        }
    )
    frame.to_csv(path, index=False)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    symmetric = symmetric_trace(
        current_density_A_m2=10.0,
        area_m2=AREA_SYM_M2,
        step_h=0.5,
        cycles=100,
        asr_ohm_m2=50e-4,
        asr_drift_ohm_m2_per_h=0.05e-4,
        short_at_h=60.0,
        noise_V=0.001,
        sample_s=60.0,
        seed=0,
    )
    land_csv(symmetric, OUT / "llzto_bare_symmetric.csv")
    for name, first, last in (("bare", 171.9, 80.3), ("annealed", 166.9, 161.6)):
        trace = fullcell_trace(
            np.linspace(first, last, 50),
            nominal_capacity=180.0,
            active_mass_g=MASS_G,
            c_rate=0.5,
            formation_cycles=2,
            formation_c_rate=0.1,
            noise_V=0.001,
            seed=1,
        )
        land_csv(trace, OUT / f"nmc811_{name}_full.csv", MASS_G)
    truth = {
        "symmetric": {
            "file": "llzto_bare_symmetric.csv",
            "area_m2": AREA_SYM_M2,
            "current_density_mA_cm2": 1.0,
            "asr_ohm_cm2": 50.0,
            "asr_drift_ohm_cm2_per_h": 0.05,
            "short_at_h": 60.0,
        },
        "full": {
            "active_mass_g": MASS_G,
            "nominal_mAh_g": 180.0,
            "bare": {"file": "nmc811_bare_full.csv", "retention_percent": 46.7},
            "annealed": {"file": "nmc811_annealed_full.csv", "retention_percent": 96.8},
        },
    }
    (OUT / "truth.json").write_text(json.dumps(truth, indent=2) + "\n", encoding="utf-8")
    print(f"wrote the cycling demo files to {OUT}")


if __name__ == "__main__":
    main()
