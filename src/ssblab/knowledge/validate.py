"""``python -m ssblab.knowledge.validate [FILES…]``: validate knowledge-base data files."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from ssblab.errors import KnowledgeDataError
from ssblab.knowledge.store import DATA_DIR, load_records


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(DATA_DIR.glob("*.yaml"))
    try:
        records = load_records(paths)
    except KnowledgeDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    by_file = Counter(r.source.file for r in records)
    by_property = Counter(r.property for r in records)
    print(f"{len(records)} records valid")
    for name, count in sorted(by_file.items()):
        print(f"  {name}: {count}")
    for name, count in by_property.most_common():
        print(f"  {name}: {count}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
