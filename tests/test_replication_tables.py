"""docs/replication_tables.py renders the README's replication block from the live tables."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _module():
    spec = importlib.util.spec_from_file_location(
        "replication_tables", ROOT / "docs" / "replication_tables.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_render_of_seed_002_has_the_policy_the_counts_and_every_row():
    from ssblab.replicate import replicate
    from ssblab.replicate.rows import POLICY

    block = _module().render(("002",))
    table = replicate("002")
    assert f"Policy (every table): {POLICY}." in block
    n = len(table.rows)
    assert f"| 002 | {n} |" in block and f"| all | {n} |" in block and n == 21
    for row in table.rows:
        assert f"| {row.basis} | {row.status} |" in block
    assert "(robust)" in block


def test_readme_holds_the_rendered_block_markers():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    module = _module()
    assert text.count(module.START) == 1 and text.count(module.END) == 1
    assert text.index(module.START) < text.index(module.END)
