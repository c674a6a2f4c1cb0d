"""A 1,000,000-row cycling file read and fully analysed: ssblab vs cellpy (reading only).

The file is a Li | LLZTO | Li symmetric cell in Maccor's tab-separated text layout (the layout
of cellpy's own SIMBA test file, without its control bytes so that cellpy's ``maccor_txt``
model "two" can read it): 1 mA/cm², 0.5 h half-cycles, a point every 0.9 s (278 h), a short
circuit at 200 h. ssblab reads it into the tidy table and runs the whole symmetric-cell
analysis; cellpy only reads it (it has no symmetric-cell analysis). Target: ≤ 10 s for ssblab.

    python benchmarks/cycling.py [--rows 1000000] [--json out/benchmarks/cycling.json]

cellpy is not a dependency of ssblab (it pulls database drivers and more); install it in the
same environment to include it: ``pip install cellpy``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ssblab.cycling.symmetric import analyse_symmetric
from ssblab.cycling.synthetic_symmetric import symmetric_trace

AREA_M2 = np.pi * (6e-3) ** 2
HEADER = [
    "Name:\tSSBLAB-LLZTO-SYM-001",
    "Channel:\t1",
    "Tester\tMaccor #4",
    "Procedure\tSYM_1mA.000",
    "Description\tLi/LLZTO/Li 1 mA/cm2 (synthetic, ssblab benchmark)",
    "Started\t11/22/2026 10:00:00 AM",
    "SCap\t0.001",
    "C Rate\t1",
    "Ch. max. V\t5.00 V",
    "DisCh. min. V\t-5.00 V",
    "Ch. max. I\t0.100 A",
    "DisCh. max. I\t0.100 A",
    "",
]
COLUMNS = (
    "Rec\tCycle P\tCycle C\tStep\tTestTime\tStepTime\tCap. [Ah]\tEner. [Wh]\tCurrent [A]"
    "\tVoltage [V]\tMd\tES\tDPT Time" + "".join(f"\tVAR{k}" for k in range(1, 16))
)


def write_maccor(path: Path, rows: int) -> None:
    sample_s = 0.9
    step_h = 0.5
    cycles = int(np.ceil(rows * sample_s / 3600 / (2 * step_h)))
    table = symmetric_trace(
        current_density_A_m2=10.0,
        area_m2=AREA_M2,
        step_h=step_h,
        cycles=cycles,
        asr_ohm_m2=50e-4,
        short_at_h=200.0,
        noise_V=0.002,
        sample_s=sample_s,
    ).iloc[:rows]
    t = table["time_s"].to_numpy()
    step = table["step_index"].to_numpy()
    step_start = t[np.searchsorted(step, step, side="left")]
    current = table["current_A"].to_numpy()
    mode = np.where(current > 0, "C", np.where(current < 0, "D", "R"))
    fmt = "%d\t0\t%d\t%d\t%.6f\t%.6f\t%.8f\t%.8f\t%.8f\t%.4f\t%s\t0\t%s" + "\t0.0000" * 15
    start = pd.Timestamp("2026-11-22 10:00:00")
    stamps = (start + pd.to_timedelta(np.floor(t), unit="s")).strftime("%m/%d/%Y %I:%M:%S %p")
    stamps = np.asarray(stamps)
    cycle = table["cycle_index"].to_numpy()
    with path.open("w", encoding="ascii", newline="\n") as handle:
        handle.write("\n".join(HEADER) + "\n" + COLUMNS + "\n\n")
        for k in range(0, rows, 100_000):
            sl = slice(k, min(rows, k + 100_000))
            lines = [
                fmt % row
                for row in zip(
                    np.arange(sl.start, sl.stop) + 1,
                    cycle[sl],
                    step[sl] + 1,
                    t[sl] / 60,
                    (t[sl] - step_start[sl]) / 60,
                    table["step_capacity_Ah"].to_numpy()[sl],
                    np.zeros(sl.stop - sl.start),
                    np.abs(current[sl]),
                    table["voltage_V"].to_numpy()[sl],
                    mode[sl],
                    stamps[sl],
                    strict=True,
                )
            ]
            handle.write("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    from ssblab.io.cycling import read_cycling

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "llzto_symmetric_maccor.txt"
        start = time.perf_counter()
        write_maccor(path, args.rows)
        print(
            f"wrote {args.rows} rows ({path.stat().st_size / 1e6:.0f} MB) "
            f"in {time.perf_counter() - start:.1f} s"
        )
        start = time.perf_counter()
        data = read_cycling(path)
        read_s = time.perf_counter() - start
        start = time.perf_counter()
        result = analyse_symmetric(data, AREA_M2)
        analyse_s = time.perf_counter() - start
        rows = {
            "ssblab_rows": len(data),
            "ssblab_read_s": read_s,
            "ssblab_analyse_s": analyse_s,
            "ssblab_total_s": read_s + analyse_s,
            "short_detected_h": result.lifetime_h,
        }
        try:
            import cellpy

            start = time.perf_counter()
            cell = cellpy.get(str(path), instrument="maccor_txt", model="two")
            rows["cellpy_read_s"] = time.perf_counter() - start
            rows["cellpy_rows"] = len(cell.data.raw)
            rows["read_ratio_cellpy_over_ssblab"] = rows["cellpy_read_s"] / read_s
        except ImportError:
            print("cellpy is not installed: pip install cellpy (to compare)")
        except Exception as exc:  # cellpy failing on the file is a result too
            rows["cellpy_error"] = f"{type(exc).__name__}: {exc}"[:200]
    print(
        f"\nssblab: read {rows['ssblab_read_s']:.2f} s + analyse {rows['ssblab_analyse_s']:.2f} s "
        f"= {rows['ssblab_total_s']:.2f} s for {rows['ssblab_rows']} rows (target <= 10 s); "
        f"short found at {rows['short_detected_h']} h (true 200 h)"
    )
    if "cellpy_read_s" in rows:
        print(
            f"cellpy: read {rows['cellpy_read_s']:.2f} s ({rows['cellpy_rows']} rows); "
            f"cellpy/ssblab read time = {rows['read_ratio_cellpy_over_ssblab']:.1f}x"
        )
    elif "cellpy_error" in rows:
        print(f"cellpy failed: {rows['cellpy_error']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
