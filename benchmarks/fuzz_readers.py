"""Mutation fuzzing of every reader: counts per format and outcome (issue 9 §6).

Every example and test file of every impedance and cycling format (and, where present, the real
instrument files in ``../shared/real-data``) is mutated by :mod:`ssblab.io.mutations`
(truncation, flipped bytes, deleted/duplicated/swapped lines, NaN/'abc'/empty cells, decimal
commas, unicode, CRLF, no final newline) and read back by the auto-detecting reader. Targets:
0 untyped exceptions, 0 hangs, 0 truncated rows accepted silently, nothing written to stderr.

    python benchmarks/fuzz_readers.py [--n 10000] [--seed 9] [--json out/benchmarks/fuzz.json]
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real-data"
SKIP_SUFFIXES = {".py", ".md", ".json", ".png"}
NOT_DATA = {"temperatures.csv"}  # the pellet series' temperature table, not a spectrum


def corpus(include_real: bool) -> list[tuple[str, Path]]:
    """(kind, path) of every file a reader should accept: 'eis' or 'cycling'."""
    roots = [
        ("eis", ROOT / "examples" / "eis"),
        ("cycling", ROOT / "examples" / "cycling"),
        ("eis", ROOT / "tests" / "data" / "eis"),
        ("cycling", ROOT / "tests" / "data" / "cycling"),
    ]
    if include_real and REAL.is_dir():
        roots += [("eis", REAL / "eis"), ("cycling", REAL / "cycling")]
    files = []
    for kind, folder in roots:
        for path in sorted(folder.rglob("*")):
            if (
                path.is_file()
                and path.suffix.lower() not in SKIP_SUFFIXES
                and not path.name.startswith(".")
                and path.name not in NOT_DATA
            ):
                files.append((kind, path))
    return files


def parser_for(kind: str, path: Path):
    if kind == "eis":
        from ssblab.io.eis import detect_format_of_bytes, parse_eis

        fmt, parse = detect_format_of_bytes, parse_eis
    else:
        from ssblab.io.cycling import detect_format_of_bytes, parse_cycling

        fmt, parse = detect_format_of_bytes, parse_cycling
    data = path.read_bytes()
    try:
        name = fmt(data, path.name)
        original = parse(data, path.name)
    except Exception:
        return None  # not a readable file of this kind (e.g. the unsupported Zahner .ism)
    return name, data, original, (lambda raw: parse(raw, path.name))


def main() -> None:
    from ssblab.io.mutations import judge, mutants, rows_of

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="mutants in all")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--no-real", action="store_true", help="skip ../shared/real-data")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per mutant")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    warnings.simplefilter("error")  # a library warning is a defect too: it would reach stderr

    readable = []
    for kind, path in corpus(not args.no_real):
        found = parser_for(kind, path)
        if found is not None:
            readable.append((kind, path, *found))
    per_file = max(1, args.n // max(len(readable), 1))
    counts: dict[str, Counter] = defaultdict(Counter)
    defects: list[str] = []
    start = time.perf_counter()
    done = 0
    for index, (kind, path, fmt, data, original, parse) in enumerate(readable):
        original_rows = rows_of(original)
        for mutation, mutant in mutants(data, per_file, args.seed + index):
            outcome = judge(parse, mutant, mutation, original_rows, seconds=args.timeout)
            counts[f"{kind}:{fmt}"][outcome.kind] += 1
            done += 1
            if outcome.defect and len(defects) < 200:
                defects.append(f"{path.name} [{mutation}] {outcome.kind}: {outcome.detail}")
    elapsed = time.perf_counter() - start
    kinds = ("ok", "error", "untyped", "hang", "cut_accepted", "noisy")
    print(f"{done} mutants of {len(readable)} files in {elapsed:.0f} s\n")
    print(f"{'format':<34}" + "".join(f"{k:>13}" for k in kinds))
    total: Counter = Counter()
    for fmt in sorted(counts):
        total.update(counts[fmt])
        print(f"{fmt:<34}" + "".join(f"{counts[fmt][k]:>13}" for k in kinds))
    print(f"{'all':<34}" + "".join(f"{total[k]:>13}" for k in kinds))
    if defects:
        print("\ndefects (first 200):")
        for line in defects:
            print("  " + line)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "mutants": done,
                    "files": len(readable),
                    "seconds": elapsed,
                    "counts": {k: dict(v) for k, v in counts.items()},
                    "defects": defects,
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
