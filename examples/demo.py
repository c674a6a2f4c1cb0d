"""The ssblab tour on bundled data (``make demo``). Writes results and figures under ``--out``.

Each step is a CLI call a user could type; the outputs land in the output folder.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import time
from pathlib import Path

from ssblab.cli.main import run

COMPOSITIONS = (
    "Li6.4La3Zr1.4Ta0.6O12",  # seed 000 LLZTO
    "Li6.25Al0.25La3Zr2O12",  # seed 003
    "Li1.3Al0.3Ti1.7(PO4)3",  # seed 004 LATP
    "Li0.33La0.55TiO3",  # seed 002 LLTO
    "Li6.6La3Zr0.4Hf0.4Sn0.2Sc0.2Ta0.6O12",  # seed 001, printed non-neutral
    "Li6.8Al0.2La3Zr2O11.8F0.2",  # seed 001, printed non-neutral
)


def step(title: str, argv: list[str]) -> None:
    print(f"\n$ ssblab {' '.join(argv)}    # {title}", flush=True)
    code = run(argv)
    if code != 0:
        sys.exit(f"demo step failed ({code}): ssblab {' '.join(argv)}")


def captured_json(argv: list[str]):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = run([*argv, "--json"])
    if code != 0:
        sys.exit(f"demo step failed ({code}): ssblab {' '.join(argv)}")
    return json.loads(buffer.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("out"))
    out: Path = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()

    step("composition check", ["composition", COMPOSITIONS[0]])
    verdicts = [captured_json(["composition", f]) for f in COMPOSITIONS]
    (out / "compositions.json").write_text(json.dumps(verdicts, indent=2), encoding="utf-8")
    print(f"\ncomposition verdicts for {len(verdicts)} formulas -> {out / 'compositions.json'}")
    for v in verdicts:
        print(f"  {v['formula']:<40} {v['family']:<11} neutral={v['neutral']!s:<5} "
              f"residual={v['charge_balance']:+.3g}")  # fmt: skip

    step("knowledge base statistics", ["kb", "stats"])
    step("garnet conductivities above 1 mS/cm",
         ["kb", "search", "--family", "garnet", "--property", "ionic_conductivity",
          "--min", "1 mS/cm", "--limit", "10"])  # fmt: skip
    step("interface ASR below 5 ohm cm2",
         ["kb", "search", "--property", "area_specific_resistance", "--max", "5 ohm*cm^2",
          "--limit", "10"])  # fmt: skip
    step("inconsistencies found inside the papers", ["kb", "search", "--flag", "inconsistent"])
    step("export all records", ["kb", "export", "--format", "csv", "--output",
                                str(out / "kb_records.csv")])  # fmt: skip
    step("per source x property summary", ["kb", "export", "--summary", "--format", "csv",
                                           "--output", str(out / "kb_summary.csv")])  # fmt: skip
    step("figure", ["kb", "plot", "--output", str(out / "kb_conductivity_vs_density.png")])
    print(f"\ndemo finished in {time.perf_counter() - start:.1f} s; results in {out}/")


if __name__ == "__main__":
    main()
