"""A :class:`~ssblab.report.model.Report` as one self-contained HTML page.

Nothing outside the file is referenced: the CSS is inline, figures are inline SVG
(:mod:`ssblab.report.svg`), fonts are the reader's own, links only point inside the page
(``href="#…"``), and there is no script to run — the numbers, unrounded, are embedded as a JSON
data block (``<script type="application/json" id="ssblab-report-data">``, never executed) so
that they can be checked against ``ssblab … --json``. Every text is escaped. The page prints on
A4 with the navigation hidden and figures kept whole.
"""

from __future__ import annotations

import json
from html import escape

from ssblab.report.model import Report, Section, Table

CSS = """
:root { --ink:#1d2330; --muted:#5b6475; --line:#d9dde5; --accent:#2f5d9b; --warn:#8a5a00;
        --warnbg:#fff6e0; --bad:#9b2f2f; --badbg:#fbeaea; --okbg:#eaf6ec; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
       color: var(--ink); max-width: 1100px; margin: 0 auto; padding: 1.5rem 1.2rem 4rem; }
h1 { font-size: 1.5rem; margin: 0 0 .2rem; }
h2 { font-size: 1.15rem; margin: 0 0 .6rem; border-bottom: 2px solid var(--accent);
     padding-bottom: .2rem; }
h3 { font-size: .95rem; margin: 1rem 0 .3rem; color: var(--muted); }
.meta { color: var(--muted); margin: 0 0 1rem; }
nav { background: #f5f7fa; border: 1px solid var(--line); border-radius: 6px;
      padding: .5rem .9rem; margin-bottom: 1.2rem; columns: 2; font-size: .9rem; }
nav a { color: var(--accent); text-decoration: none; }
nav ol { margin: 0; padding-left: 1.2rem; }
section { margin: 1.6rem 0; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; margin: .3rem 0 .8rem; font-size: .85rem; }
caption { text-align: left; font-weight: 600; padding: .2rem 0; color: var(--muted); }
th, td { border: 1px solid var(--line); padding: .2rem .5rem; vertical-align: top; }
thead th { background: #eef1f6; text-align: left; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.facts th { background: #f5f7fa; text-align: left; font-weight: 500; white-space: nowrap; }
code, .hash { font: .8rem/1.3 ui-monospace, "DejaVu Sans Mono", monospace; word-break: break-all; }
pre { background: #f5f7fa; border: 1px solid var(--line); padding: .5rem; white-space: pre-wrap;
      font-size: .8rem; }
.badge { display: inline-block; font-size: .75rem; padding: 0 .4rem; border-radius: 3px;
         margin-left: .4rem; vertical-align: middle; background: var(--okbg); }
.badge.bad { background: var(--badbg); color: var(--bad); }
.reason { background: var(--badbg); color: var(--bad); padding: .4rem .6rem; border-radius: 4px; }
ul.warnings { background: var(--warnbg); color: var(--warn); padding: .4rem .6rem .4rem 1.6rem;
              border-radius: 4px; }
ul.notes { color: var(--muted); font-size: .85rem; }
.figures { display: flex; flex-wrap: wrap; gap: .8rem; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 4px; padding: .3rem; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: .8rem; color: var(--muted); }
@media print {
  nav { display: none; }
  body { max-width: none; padding: 0; font-size: 11px; }
  figure, table { break-inside: avoid; }
  h2 { break-after: avoid; }
}
"""


HEX = frozenset("0123456789abcdef")


def _is_number(value) -> bool:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    text = str(value).strip()
    return bool(text) and text.lstrip("−-+").replace(".", "", 1)[:1].isdigit()


def _css(value) -> str:
    if isinstance(value, str) and len(value) == 64 and all(c in HEX for c in value):
        return ' class="hash"'  # a SHA-256
    return ' class="num"' if _is_number(value) else ""


def table_html(table: Table) -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in table.headers)
    body = []
    for row in table.rows:
        cells = "".join(f"<td{_css(v)}>{escape(str(v))}</td>" for v in row)
        body.append(f"<tr>{cells}</tr>")
    return (
        f'<div class="scroll"><table><caption>{escape(table.caption)}</caption>'
        f"<thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _list(items: list[str], css: str) -> str:
    if not items:
        return ""
    return f'<ul class="{css}">' + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def section_html(section: Section) -> str:
    badge = (
        '<span class="badge">ok</span>'
        if section.status == "ok"
        else f'<span class="badge bad">{escape(section.status)}</span>'
    )
    parts = [f'<section id="{escape(section.id)}"><h2>{escape(section.title)}{badge}</h2>']
    if section.reason:
        parts.append(f'<p class="reason">{escape(section.reason)}</p>')
    if section.warnings:
        parts.append("<h3>Warnings</h3>" + _list(section.warnings, "warnings"))
    if section.facts:
        rows = "".join(
            f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in section.facts
        )
        parts.append(f'<table class="facts"><tbody>{rows}</tbody></table>')
    parts += [table_html(t) for t in section.tables]
    if section.figures:
        figures = "".join(
            f"<figure>{f.svg}<figcaption>{escape(f.caption)}</figcaption></figure>"
            for f in section.figures
        )
        parts.append(f'<div class="figures">{figures}</div>')
    if section.notes:
        parts.append("<h3>Notes</h3>" + _list(section.notes, "notes"))
    parts.append("</section>")
    return "\n".join(parts)


def _provenance(report: Report) -> str:
    files = Table(
        "Raw files",
        ["file", "size (bytes)", "SHA-256", "format", "kind", "status", "reader notes"],
        [
            [
                f.name,
                f.size_bytes,
                f.sha256,
                f.format or "–",
                f.kind or "–",
                f.status if f.error is None else f"{f.status}: {f.error}",
                "; ".join(f.notes) or "–",
            ]
            for f in report.files
        ],
    )
    versions = Table(
        "Software", ["package", "version"], [[k, v] for k, v in report.versions.items()]
    )
    options = json.dumps(report.options, ensure_ascii=False, indent=1, default=str)
    context = ""
    if report.context:
        context = (
            "<h3>Source</h3><pre>"
            + escape(json.dumps(report.context, ensure_ascii=False, indent=1, default=str))
            + "</pre>"
        )
    return (
        '<section id="provenance"><h2>Provenance</h2>'
        + table_html(files)
        + table_html(versions)
        + f"<h3>Command</h3><pre>{escape(report.command)}</pre>"
        + f"<h3>Created</h3><p>{escape(report.created)}</p>"
        + f"<h3>Options (SI units)</h3><pre>{escape(options)}</pre>"
        + context
        + "</section>"
    )


def _data_block(report: Report) -> str:
    text = json.dumps(report.data(), ensure_ascii=False, allow_nan=False)
    # "</" would end the element early; "<!--" would open a comment in script data
    text = text.replace("</", "<\\/").replace("<!--", "<\\!--")
    return f'<script type="application/json" id="ssblab-report-data">{text}</script>'


def render_html(report: Report) -> str:
    """The page (module docstring)."""
    warnings = report.warnings
    toc = [
        f'<li><a href="#{escape(s.id)}">{escape(s.title)}</a>'
        + ("" if s.status == "ok" else f" ({escape(s.status)})")
        + "</li>"
        for s in report.sections
    ]
    if warnings:
        toc.insert(0, '<li><a href="#warnings">Warnings</a></li>')
    toc.append('<li><a href="#provenance">Provenance</a></li>')
    summary = (
        f"{len(report.files)} file(s), {len(report.sections)} section(s), "
        f"{len(warnings)} warning(s). Created {report.created} by ssblab "
        f"{report.versions.get('ssblab', '?')}."
    )
    body = [
        f'<header><h1>{escape(report.title)}</h1><p class="meta">{escape(summary)}</p></header>',
        f"<nav><ol>{''.join(toc)}</ol></nav>",
    ]
    if warnings:
        body.append(
            '<section id="warnings"><h2>Warnings</h2>' + _list(warnings, "warnings") + "</section>"
        )
    body += [section_html(s) for s in report.sections]
    body.append(_provenance(report))
    body.append(_data_block(report))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="ssblab {escape(report.versions.get("ssblab", ""))}">'
        f"<title>{escape(report.title)}</title><style>{CSS}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
