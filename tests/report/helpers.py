"""Shared by the report tests: run the CLI, read a report back, check it is self-contained."""

from __future__ import annotations

import json
import math
import re
from html.parser import HTMLParser
from pathlib import Path

from typer.testing import CliRunner

from ssblab.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
SERIES = ROOT / "examples" / "eis" / "llzto_pellet_series"
SERIES_FILES = sorted(SERIES.glob("llzto_m*.txt"))
SERIES_TEMPERATURES = SERIES / "temperatures.csv"
GEOMETRY = ["--thickness", "0.5 mm", "--diameter", "12 mm"]  # examples/eis/README.md, truth.json
CYCLING = ROOT / "examples" / "cycling"

# attributes through which a page can load or link something
RESOURCE_ATTRIBUTES = {"src", "href", "xlink:href", "srcset", "action", "formaction", "data",
                       "poster", "background", "manifest", "codebase", "cite", "ping"}  # fmt: skip
FORBIDDEN_TAGS = {"link", "img", "iframe", "object", "embed", "frame", "base", "audio", "video",
                  "source", "track", "image", "feimage"}  # fmt: skip


def cli_json(*argv) -> object:
    """``ssblab ARGV --json`` through typer's CliRunner, parsed."""
    result = CliRunner().invoke(app, [str(a) for a in argv] + ["--json"])
    assert result.exit_code == 0, (result.output, result.exception)
    return json.loads(result.stdout)


def embedded(html: str) -> dict:
    """The report's unrounded data block."""
    match = re.search(
        r'<script type="application/json" id="ssblab-report-data">(.*?)</script>', html, re.S
    )
    assert match, "no data block"
    return json.loads(match.group(1).replace("<\\/", "</"))


def section_data(html: str, kind: str) -> list[dict]:
    return [s for s in embedded(html)["sections"] if s["kind"] == kind]


def close(a: float | None, b: float | None, rel: float = 1e-12) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=rel, abs_tol=0.0)


class _Audit(HTMLParser):
    """Every tag and attribute of a page, with what could reach outside it."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.tags: dict[str, int] = {}
        self.svg_text: list[str] = []
        self._stack: list[str] = []
        self._style = False

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        self._stack.append(tag)
        self._style = tag == "style"
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            value = value or ""
            lowered = value.strip().lower()
            if name in RESOURCE_ATTRIBUTES and value and not value.startswith("#"):
                self.problems.append(f"<{tag} {name}={value[:60]!r}>")
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}> (an event handler)")
            if "http:" in lowered or "https:" in lowered or lowered.startswith("//"):
                self.problems.append(f"<{tag} {name}={value[:60]!r}>")
            if re.search(r"url\(\s*['\"]?(?!#)", lowered):
                self.problems.append(f"<{tag} {name}> url() to {value[:60]!r}")
        if tag == "script" and dict(attrs).get("type") != "application/json":
            self.problems.append("<script> that is not a JSON data block")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        while self._stack:
            if self._stack.pop() == tag:
                break
        self._style = False

    def handle_data(self, data):
        if self._style and ("@import" in data or re.search(r"url\(\s*['\"]?(?!#)", data)):
            self.problems.append("CSS that loads something")
        if self._stack and self._stack[-1] in ("text", "tspan"):
            self.svg_text.append(data)


def has_label(page: _Audit, label: str) -> bool:
    """Whether the figures' text holds ``label``; spaces are ignored, since matplotlib writes
    a label with mathematics (``1000/T (K$^{-1}$)``) one glyph per text element."""
    squeeze = re.compile(r"\s+")
    return squeeze.sub("", label) in squeeze.sub("", "".join(page.svg_text))


def audit(html: str) -> _Audit:
    parser = _Audit()
    parser.feed(html)
    parser.close()
    return parser
