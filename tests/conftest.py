"""Suite-wide pytest hooks.

At the end of every run, a summary says how many tests were skipped and why, grouped by reason
(the real-data tests skip when ``../shared/real-data`` is absent, e.g. in a clone outside the
project's layout), so a green run that tested less than it could is visible.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

REAL_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "real-data"


def _reason(report) -> str:
    longrepr = report.longrepr
    text = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    text = text.removeprefix("Skipped: ")
    # one group per cause, not per file: drop the file name in front of the colon
    return re.sub(r"^[\w./-]+\.\w+: ", "", text)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = terminalreporter.stats.get("skipped", [])
    where = "present" if REAL_DATA.is_dir() else "absent"
    terminalreporter.write_sep("-", f"skipped tests: {len(skipped)} (../shared/real-data {where})")
    for reason, count in Counter(_reason(r) for r in skipped).most_common():
        terminalreporter.write_line(f"  {count:4d} × {reason}")
