"""Regenerate (or check) the example outputs in README.md from the current code.

Every ```console block of the README holds ``$ ssblab …`` commands followed by their output.
This script runs each command in-process from the repository root (rich tables at the width a
pipe gets, 140 columns) and writes the output back, so the README never shows a number the
code no longer prints. A command marked ``# (abridged)`` prints JSON of which the README shows
a part: the shown keys are kept (with current values); a shown mapping none of whose keys the
output still has is replaced by the current one; a shown list keeps its length.

    python docs/readme_examples.py            # rewrite README.md
    python docs/readme_examples.py --check    # exit 1 and list the stale blocks

``tests/test_readme_examples.py`` runs the check, so a stale example fails the suite.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import io
import json
import os
import re
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"```console\n(.*?)```", re.S)


def _commands(block: str) -> list[tuple[str, list[str]]]:
    """``[(command line as written, output lines)]`` of one console block."""
    items: list[tuple[str, list[str]]] = []
    lines = block.splitlines()
    k = 0
    while k < len(lines):
        line = lines[k]
        if line.startswith("$ "):
            command = [line]
            while command[-1].endswith("\\") and k + 1 < len(lines):
                k += 1
                command.append(lines[k])
            items.append(("\n".join(command), []))
        elif items:
            items[-1][1].append(line)
        k += 1
    return items


def _argv(command: str) -> tuple[list[str], bool]:
    text = command.removeprefix("$ ").replace("\\\n", " ")
    abridged = "# (abridged)" in text
    text = text.split("#", 1)[0] if abridged else text
    words = shlex.split(text)
    expanded: list[str] = []
    for word in words:
        matches = sorted(glob.glob(word, root_dir=ROOT)) if any(c in word for c in "*?[") else []
        expanded.extend(matches or [word])
    return expanded, abridged


def run_command(argv: list[str]) -> tuple[int, str]:
    """Exit code and combined stdout + stderr of ``ssblab argv[1:]`` (run in-process)."""
    from ssblab.cli.main import run

    stdout, stderr = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = run(argv[1:])
    finally:
        os.chdir(cwd)
    return code, stdout.getvalue() + stderr.getvalue()


def abridge(shown, actual):
    """``actual`` cut to the shape of ``shown`` (see the module docstring)."""
    if isinstance(shown, dict) and isinstance(actual, dict):
        kept = [k for k in shown if k in actual]
        if not kept:
            return actual
        return {k: abridge(shown[k], actual[k]) for k in kept}
    if isinstance(shown, list) and isinstance(actual, list):
        return [abridge(s, a) for s, a in zip(shown, actual, strict=False)]
    return actual


def regenerate(text: str) -> tuple[str, list[str]]:
    """The README with every console block's outputs regenerated, and the stale commands."""
    stale: list[str] = []

    def block(match: re.Match) -> str:
        commands = _commands(match.group(1))
        if not commands:  # a block of output only (a benchmark table): not ours to rewrite
            return match.group(0)
        out_lines: list[str] = []
        last_code = 0
        for command, shown in commands:
            out_lines.append(command)
            if command.startswith("$ echo $?"):
                out_lines.append(str(last_code))
                new = [str(last_code)]
            else:
                argv, abridged = _argv(command)
                if argv[0] != "ssblab":
                    out_lines.extend(shown)
                    continue
                last_code, output = run_command(argv)
                if abridged:
                    shape = json.loads("\n".join(shown))
                    output = json.dumps(
                        abridge(shape, json.loads(output)), indent=2, ensure_ascii=False
                    )
                new = [line.rstrip() for line in output.rstrip("\n").splitlines()]
                out_lines.extend(new)
            if [s.rstrip() for s in shown] != new:
                stale.append(command.splitlines()[0])
        return "```console\n" + "\n".join(out_lines) + "\n```"

    return BLOCK.sub(block, text), stale


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="Only report stale blocks.")
    args = parser.parse_args()
    text = README.read_text(encoding="utf-8")
    new, stale = regenerate(text)
    if args.check:
        for command in stale:
            print(f"stale: {command}")
        return 1 if stale else 0
    README.write_text(new, encoding="utf-8")
    print(f"{len(stale)} block(s) regenerated" + "".join(f"\n  {c}" for c in stale))
    return 0


if __name__ == "__main__":
    sys.exit(main())
