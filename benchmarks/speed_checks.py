"""Speed targets that used to be timed inside unit tests (the suite asserts results only).

* DRT of 81 points (two RC arcs, 0.3 % noise): ≤ 0.5 s (best of 3 after a warm-up);
* the planar thin-film six-rate sweep (seed 002): ≤ 0.5 s;
* ``ssblab replicate 003`` (seed 003 table): ≤ 20 s;
* full-cell metrics of a 10⁶-row, 1000-cycle trace: ≤ 3 s.

    python benchmarks/speed_checks.py
"""

from __future__ import annotations

import time

import numpy as np


def _best(fn, repeat: int = 3, warm: bool = True) -> float:
    if warm:
        fn()  # warm-up (imports, caches): the steady-state time
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    from ssblab.cycling.fullcell import fullcell_metrics
    from ssblab.cycling.synthetic_fullcell import fullcell_trace
    from ssblab.fullcell import thinfilm as tf
    from ssblab.fullcell.sets import thin_film_set
    from ssblab.impedance.drt import drt
    from ssblab.replicate import seed003

    f = np.logspace(6, -2, 81)
    w = 2 * np.pi * f
    z = 100.0 + 1e3 / (1 + 1j * w * 1e-6) + 5e3 / (1 + 1j * w * 1e-3)
    rng = np.random.default_rng(6)
    z = z * (1 + 0.003 * (rng.standard_normal(f.size) + 1j * rng.standard_normal(f.size)))
    cell = thin_film_set("ncm532_llto_sio2")
    trace = fullcell_trace(
        np.linspace(170.0, 120.0, 1000),
        nominal_capacity=180.0,
        active_mass_g=3.6e-3,
        points_per_step=500,
        noise_V=0.001,
    )
    rows = [
        ("DRT, 81 points", _best(lambda: drt(f, z)), 0.5),
        (
            "thin-film six-rate sweep",
            _best(lambda: tf.rate_sweep(cell, [0.1, 1, 5, 10, 20, 30])),
            0.5,
        ),
        ("replicate 003 (cold)", _best(seed003.replicate, repeat=1, warm=False), 20.0),
        (
            "full-cell metrics, 1e6 rows",
            _best(lambda: fullcell_metrics(trace, active_mass_g=3.6e-3), 1, warm=False),
            3.0,
        ),
    ]
    print(f"{'case':32s} {'seconds':>8s} {'target':>7s}")
    for name, seconds, target in rows:
        print(
            f"{name:32s} {seconds:8.3f} {target:7.1f}  {'met' if seconds <= target else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
