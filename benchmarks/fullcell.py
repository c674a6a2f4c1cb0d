"""Speed of the full-cell models against issue 12's targets, each beside plain PyBaMM.

* 50 cycles (plus 2 formation) of seed 000's Li | LLZTO | NMC811 cell with interface
  degradation (ASR growth + loss of active material), PyBaMM SPMe through ssblab.fullcell,
  model build included: target ≤ 10 s. Beside it: plain PyBaMM DFN half cell
  (``{"working electrode": "positive"}``, its Xu2019 set) on the same 52-cycle protocol;
* seed 002's six-rate sweep (0.1, 1, 5, 10, 20, 30 C discharges after 0.1 C charges):
  target ≤ 5 s — the planar thin-film model; the composite cell on PyBaMM over six rates
  0.1–5 C (above ~5 C its 250 Ω·cm² in series puts it below the cut-off at once); beside them
  plain PyBaMM DFN on the six seed-002 discharges;
* the inverse fit of seed 000 (utilisation + ASR growth, and utilisation + loss of active
  material, on 46.7 % and 96.8 %: four joint fits): target ≤ 120 s; beside it the time of
  one plain PyBaMM DFN 52-cycle run, so the ratio says how many plain runs the fit costs.

    python benchmarks/fullcell.py [--json out/benchmarks/fullcell.json]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

RATES = (0.1, 1.0, 5.0, 10.0, 20.0, 30.0)


def _timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def plain_pybamm(steps) -> float:
    """Plain PyBaMM: DFN half cell, Xu2019 parameters, the given experiment, build included."""
    import pybamm

    pybamm.set_logging_level("ERROR")

    def run():
        model = pybamm.lithium_ion.DFN({"working electrode": "positive"})
        sim = pybamm.Simulation(
            model,
            parameter_values=pybamm.ParameterValues("Xu2019"),
            experiment=pybamm.Experiment(steps),
            solver=pybamm.IDAKLUSolver(),
        )
        return sim.solve()

    seconds, _ = _timed(run)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    from ssblab.fullcell import halfcell as hc
    from ssblab.fullcell import thinfilm as tf
    from ssblab.fullcell.sets import COMPOSITE_SETS, thin_film_set
    from ssblab.replicate import seed000_fullcell as s0

    rows = []
    # 1. 50 cycles with degradation
    design = COMPOSITE_SETS["nmc811_llzto_bare"]
    steps = hc.protocol_seed000(0.5, 50)
    degradation = hc.Degradation(asr_growth_ohm_m2=1.5e-3, lam_fraction_per_cycle=0.005)
    ours, result = _timed(lambda: hc.simulate_halfcell(design, steps, degradation))
    pb_steps = [
        ("Charge at 0.1C until 4.2 V", "Discharge at 0.1C until 3.5 V")
        if k < 2
        else ("Charge at 0.5C until 4.2 V", "Discharge at 0.5C until 3.5 V")
        for k in range(52)
    ]
    plain = plain_pybamm(pb_steps)
    rows.append(("52 cycles + ASR growth + LAM (SPMe, build incl.)", ours, 10.0, plain))

    # 2. six-rate sweep
    cell = thin_film_set("ncm532_llto_sio2")
    thin, sweep = _timed(lambda: tf.rate_sweep(cell, RATES))
    # seed 000's composite cell carries 250 Ω·cm² in series: above ~5 C its voltage starts
    # below the cut-off, so its sweep is 0.1–5 C
    composite_rates = (0.1, 0.2, 0.5, 1.0, 2.0, 5.0)
    composite_steps = [
        ("Charge at 0.1C until 4.3 V", f"Discharge at {rate:g}C until 2.7 V")
        for rate in composite_rates
    ]
    comp, _ = _timed(lambda: hc.simulate_halfcell(design, composite_steps))
    plain_rate = plain_pybamm(
        [("Charge at 0.1C until 4.2 V", f"Discharge at {rate:g}C until 3.5 V") for rate in RATES]
    )
    rows.append(("six-rate sweep, thin film (seed 002)", thin, 5.0, plain_rate))
    rows.append(("six-rate sweep 0.1-5 C, composite on PyBaMM SPMe", comp, 5.0, plain_rate))

    # 3. inverse fit of seed 000 (four joint fits), from a cold cache
    s0._calibrated.cache_clear()
    s0._nominal_fits.cache_clear()
    hc._PREPARED.clear()
    fit_s, fits = _timed(s0._nominal_fits)
    rows.append(("inverse fit of seed 000 (4 joint fits)", fit_s, 120.0, plain))

    header = ("case", "ssblab (s)", "target", "plain PyBaMM DFN (s)", "ratio")
    print(f"{header[0]:52s} {header[1]:>10s} {header[2]:>7s} {header[3]:>21s} {header[4]:>7s}")
    out = []
    for name, seconds, target, reference in rows:
        ratio = seconds / reference
        flag = "met" if seconds <= target else "MISSED"
        print(f"{name:52s} {seconds:10.2f} {target:7.0f} {reference:21.2f} {ratio:7.2f}  {flag}")
        out.append(
            {
                "case": name,
                "seconds": seconds,
                "target_s": target,
                "plain_pybamm_dfn_s": reference,
                "ratio": ratio,
                "met": seconds <= target,
            }
        )
    print(
        f"thin-film sweep: 30 C keeps {100 * sweep.relative[-1]:.1f} % of 0.1 C; "
        f"composite 52-cycle retention {100 * result.retention(3):.1f} %; Li balance "
        f"{result.lithium_residual_mol / result.lithium_cycled_mol:.1e}; fits: "
        + ", ".join(
            f"{cell} {mech} {fit.value:.3g}"
            for cell, d in fits.items()
            for mech, (_, fit) in d.items()
        )
    )
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
