"""Start-up and one-shot wall times of the CLI, each command run as a fresh process.

Targets (issue 9 §5, this 2-core machine): ``ssblab --version`` and ``ssblab --help`` ≤ 0.3 s;
``ssblab composition F`` ≤ 0.5 s; ``ssblab eis fit FILE`` (one spectrum) ≤ 1 s, imports included.
Also lists which heavy libraries a bare ``import ssblab.cli.main`` loads (none should).

    python benchmarks/startup.py [--repeat 7] [--json out/benchmarks/startup.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SSBLAB = [sys.executable, "-m", "ssblab.cli"]
COMMANDS = [
    ("ssblab --version", ["--version"], 0.3),
    ("ssblab --help", ["--help"], 0.3),
    ("ssblab eis --help", ["eis", "--help"], 0.3),
    ("ssblab composition Li6.4La3Zr1.4Ta0.6O12", ["composition", "Li6.4La3Zr1.4Ta0.6O12"], 0.5),
    (
        "ssblab eis fit examples/eis/zplot_measured.z",
        ["eis", "fit", str(ROOT / "examples/eis/zplot_measured.z")],
        1.0,
    ),
    (
        "ssblab eis fit (CHI, auto circuit)",
        ["eis", "fit", str(ROOT / "examples/eis/chi_ac_impedance.txt")],
        1.0,
    ),
]
HEAVY = ("matplotlib", "scipy.stats", "pymatgen", "pandas", "pint", "scipy.optimize")


def wall_times(argv: list[str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([*SSBLAB, *argv], capture_output=True, check=False, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return times


def heavy_imports() -> list[str]:
    code = f"import sys, ssblab.cli.main; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return [m for m in out.stdout.strip().split(",") if m]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    rows = []
    print(f"{'command':55s} {'median s':>9s} {'min s':>7s} {'target':>7s}  ok")
    for label, argv, target in COMMANDS:
        wall_times(argv, 1)  # warm the file cache
        times = wall_times(argv, args.repeat)
        median = statistics.median(times)
        rows.append({"command": label, "median_s": median, "min_s": min(times), "target_s": target})
        ok = "yes" if median <= target else "NO"
        print(f"{label:55s} {median:9.3f} {min(times):7.3f} {target:7.2f}  {ok}")
    loaded = heavy_imports()
    print(f"heavy modules loaded by 'import ssblab.cli.main': {', '.join(loaded) or 'none'}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"commands": rows, "heavy_imports": loaded}, indent=2))


if __name__ == "__main__":
    main()
