"""Render the seed papers' replication tables into README.md (between the replication markers).

Every row comes from ``ssblab.replicate.replicate(seed)`` as run here: nothing is typed by hand.
Seed 000's sensitivity bands re-run its microstructure model at every design point, so a full
rewrite takes a few minutes.

    python docs/replication_tables.py            # rewrite the block in README.md
    python docs/replication_tables.py --print    # print the block only
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
START = "<!-- replication-tables:start (docs/replication_tables.py) -->"
END = "<!-- replication-tables:end -->"
SEEDS = ("004", "000", "001", "002", "003")


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def _band(row) -> str:
    if row.band is None:
        return "not shown" if row.robustness else ""
    low, high = row.band.low, row.band.high
    return f"{_cell(low)}–{_cell(high)} ({row.robustness})"


def render(seeds=SEEDS) -> str:
    from ssblab.replicate import replicate
    from ssblab.replicate.rows import POLICY, summarize

    tables = {seed: replicate(seed) for seed in seeds}
    out = [
        f"Policy (every table): {POLICY}.",
        "",
        "| seed | rows | fitted | robust predictions that agree | fragile | predictions that "
        "differ | interpolated | by construction | computed checks (agree/all) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    total: dict[str, int] = {}
    for seed, table in tables.items():
        c = summarize(table.rows)
        for key, value in c.items():
            total[key] = total.get(key, 0) + value
        out.append(_summary_row(seed, c))
    out.append(_summary_row("all", total))
    out.append("")
    for seed, table in tables.items():
        out.append(f"**seed {seed}** — {table.title}")
        out.append("")
        out.append("| quantity | paper | ssblab | unit | basis | status | band ±50 % |")
        out.append("|---|---|---|---|---|---|---|")
        for row in table.rows:
            out.append(
                "| "
                + " | ".join(
                    [
                        _cell(row.quantity),
                        _cell(row.paper),
                        _cell(row.ssblab),
                        _cell(row.unit),
                        row.basis,
                        row.status,
                        _band(row),
                    ]
                )
                + " |"
            )
        out.append("")
        if table.fitted_parameters:
            out.append(
                "fitted: "
                + "; ".join(
                    f"{p['name']} = {_cell(p['value'])} {p['unit']} (on {p['fitted_on']})".replace(
                        "  ", " "
                    )
                    for p in table.fitted_parameters
                )
            )
            out.append("")
        loo = [r for r in table.leave_one_out if r["rms_error_percent"] is not None]
        if loo:
            out.append(
                "leave-one-out: "
                + "; ".join(f"{r['calibration']}: rms {r['rms_error_percent']:.0f} %" for r in loo)
            )
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _summary_row(seed: str, c: dict) -> str:
    return (
        f"| {seed} | {c['rows']} | {c['fitted']} | {c['predicted_robust_agree']} | "
        f"{c['predicted_fragile']} | {c['predicted_differ']} | {c['interpolated']} | "
        f"{c['by_construction']} | {c['computed_agree']}/"
        f"{c['computed_agree'] + c['computed_differ']} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--print", action="store_true", help="print the block, write nothing")
    args = parser.parse_args()
    block = render()
    if args.print:
        sys.stdout.write(block)
        return 0
    text = README.read_text()
    if START not in text or END not in text:
        print(f"{README}: the replication markers are missing", file=sys.stderr)
        return 1
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{START}\n\n{block}\n{END}{tail}")
    print(f"rewrote the replication tables in {README}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
