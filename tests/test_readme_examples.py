"""The README's example outputs are what the current code prints (docs/readme_examples.py)."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _module():
    spec = importlib.util.spec_from_file_location(
        "readme_examples", ROOT / "docs" / "readme_examples.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_examples_are_current():
    module = _module()
    _, stale = module.regenerate((ROOT / "README.md").read_text(encoding="utf-8"))
    assert not stale, "README examples are stale; run python docs/readme_examples.py: " + "; ".join(
        stale
    )


def test_abridged_json_keeps_the_shown_shape():
    module = _module()
    shown = {"a": 1, "b": {"x": 0, "y": 0}, "c": {"old": 1}, "d": [1, 2]}
    actual = {"a": 2, "b": {"x": 5, "y": 6, "z": 7}, "c": {"new": 3}, "d": [9, 8, 7], "e": 0}
    assert module.abridge(shown, actual) == {
        "a": 2, "b": {"x": 5, "y": 6}, "c": {"new": 3}, "d": [9, 8]
    }  # fmt: skip


def test_a_block_without_commands_is_left_as_written():
    """Benchmark tables are console blocks of output only: regenerating must not empty them."""
    module = _module()
    text = "x\n```console\ncase   time (s)\n1000 h   0.289\n```\ny\n"
    assert module.regenerate(text) == (text, [])
