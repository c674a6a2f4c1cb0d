"""What a report holds, independent of how it is drawn: sections of tables, figures and
warnings, and the provenance of every number (raw files, versions, the command, the time).

Every quantity column carries its unit in the header; the numbers themselves are the payloads
that ``ssblab … --json`` prints, kept whole in :attr:`Section.data` (the HTML embeds them as
JSON beside the rounded tables, so a reader — or a test — can check them to the last digit).
"""

from __future__ import annotations

import hashlib
import platform
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass
class Table:
    """A table: ``headers`` name the column and its unit, e.g. ``"σ total (S/cm)"``."""

    caption: str
    headers: list[str]
    rows: list[list[Any]]


@dataclass
class Figure:
    """An inline SVG (already cleaned by :func:`ssblab.report.svg.clean_svg`)."""

    caption: str
    svg: str


@dataclass
class Section:
    """One part of a report. ``status`` is ``"ok"`` or ``"not analysed"`` (then ``reason``
    says why, in one line)."""

    id: str
    title: str
    kind: str  # eis, arrhenius, symmetric, full, cycling, sample, measurements, kb, …
    status: str = "ok"
    reason: str | None = None
    facts: list[tuple[str, str]] = field(default_factory=list)  # (label with unit, value)
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "status": self.status,
            "reason": self.reason,
            "warnings": len(self.warnings),
            "figures": len(self.figures),
        }


@dataclass
class SourceFile:
    """A raw file as read: its identity (name, size, SHA-256) and what the reader made of it."""

    name: str
    path: str
    size_bytes: int
    sha256: str
    format: str | None
    kind: str | None
    notes: list[str] = field(default_factory=list)
    status: str = "ok"
    error: str | None = None

    @classmethod
    def of_bytes(cls, path: Path, data: bytes, **kwargs) -> SourceFile:
        return cls(
            name=path.name,
            path=str(path),
            size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            **kwargs,
        )


@dataclass
class Report:
    title: str
    command: str
    options: dict[str, Any]
    sections: list[Section] = field(default_factory=list)
    files: list[SourceFile] = field(default_factory=list)
    created: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    versions: dict[str, str] = field(default_factory=lambda: software_versions())
    context: dict[str, Any] = field(default_factory=dict)  # e.g. the workspace it came from

    @property
    def warnings(self) -> list[str]:
        """Every warning of every section, each prefixed with the section it belongs to."""
        return [f"{s.title}: {w}" for s in self.sections for w in s.warnings]

    def data(self) -> dict:
        """The whole report as JSON-safe data (embedded in the HTML)."""
        from ssblab.workspace.readers import jsonable

        return jsonable(
            {
                "title": self.title,
                "created": self.created,
                "command": self.command,
                "options": self.options,
                "versions": self.versions,
                "context": self.context,
                "files": [vars(f) for f in self.files],
                "sections": [{**s.summary(), "data": s.data} for s in self.sections],
                "warnings": self.warnings,
            }
        )


def software_versions() -> dict[str, str]:
    """ssblab, Python and the numerical libraries the numbers depend on."""
    from importlib import metadata

    from ssblab import __version__

    versions = {"ssblab": __version__, "python": sys.version.split()[0]}
    for package in ("numpy", "scipy", "pandas", "matplotlib"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:  # an optional dependency that is absent
            versions[package] = "not installed"
    versions["platform"] = platform.platform(terse=True)
    return versions
