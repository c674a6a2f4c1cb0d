"""AMETEK / Princeton Applied Research VersaStudio ``.par`` files.

Layout (from ``exampleDataVersaStudio.par`` of ECSHackWeek/impedance.py, VersaStudio 2.52)::

    <Application>
    Name=VersaStudio
    Version=2.52.3.0
    </Application>
    <Instrument> Type=VersaSTAT4 … </Instrument>
    <Experiment> TimeAcquired=9:40:30 AM, DateAcquired=Thursday, July 19, 2018 </Experiment>
    <Action1>                                   <- one block per step of the experiment
    Amplitude (mV RMS)=20
    Start Frequency (Hz)=100000
    End Frequency (Hz)=0.001
    Potential (V),Value=0 / Potential (V),Versus=vs Ref
    Name=Potentiostatic EIS
    </Action1>
    <Segment1>                                  <- the data of one segment, CSV inside
    Type=2
    Version=3
    Definition=Segment #, Point #, E(V), I(A), …, Frequency(Hz), …, Z Real, Z Imag, …, 0
    0,0,0,-3.282372E-06,1.812,…,100000,…,55.31571,4.575431,…
    </Segment1>
    <Graph1> … <DockingLayout> (an embedded XML document)

``Key=value`` sections; UTF-8. ``Z Imag`` is the true imaginary part. The data end at
``</SegmentN>``: a file that ends inside the segment was cut off (noted, and its last row
checked and dropped if cut, with a note naming its line); a segment another section
interrupts is damaged (FileFormatError naming both lines). Each ``<SegmentN>`` with
an impedance column becomes one spectrum (DC segments are skipped with a note). The example
stops at 21.5 mHz although the action asks for 1 mHz; that is noted.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ssblab.impedance.spectrum import Spectrum
from ssblab.io._text import (
    FileHead,
    decode_text,
    format_error,
    parse_datetime,
    parse_number,
    text_lines,
)
from ssblab.io.eis._common import EisFormat, add_notes, frequency_range_notes
from ssblab.io.eis.table import find_columns, parse_table_rows, split_rows

_OPEN = re.compile(r"<(\w+)>\s*$")


def split_sections(lines: list[str]) -> list[tuple[str, int, list[str]]]:
    """(name, first line index, body lines) of each top-level ``<Name> … </Name>`` section; a
    section never closed runs to the end of the file."""
    sections = []
    i = 0
    while i < len(lines):
        opened = _OPEN.match(lines[i].strip())
        if not opened:
            i += 1
            continue
        name = opened.group(1)
        end = next(
            (j for j in range(i + 1, len(lines)) if lines[j].strip() == f"</{name}>"), len(lines)
        )
        sections.append((name, i, lines[i + 1 : end]))
        i = end + 1
    return sections


def _pairs(body: list[str]) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for line in body:
        key, equals, value = line.partition("=")
        if equals:
            pairs.setdefault(key.strip(), value.strip())
    return pairs


def _number(pairs: dict[str, str], key: str) -> float | None:
    try:
        return parse_number(pairs[key])
    except (KeyError, ValueError):
        return None


def _metadata(sections: dict[str, dict[str, str]]) -> tuple[dict[str, Any], list]:
    application = sections.get("Application", {})
    instrument = sections.get("Instrument", {})
    experiment = sections.get("Experiment", {})
    meta: dict[str, Any] = {"format": "versastudio_par", "manufacturer": "AMETEK"}
    if application.get("Name"):
        meta["software"] = f"{application['Name']} {application.get('Version', '')}".strip()
    if instrument.get("Type"):
        meta["instrument"] = instrument["Type"]
    date_text = f"{experiment.get('DateAcquired', '')} {experiment.get('TimeAcquired', '')}"
    if date_text.strip():
        meta["date"] = (
            parse_datetime(date_text, ("%A, %B %d, %Y %I:%M:%S %p",)) or date_text.strip()
        )
    declared = []
    eis_actions = [
        pairs
        for name, pairs in sections.items()
        if name.startswith("Action") and "EIS" in pairs.get("Name", "")
    ]
    if eis_actions:
        action = eis_actions[0]
        meta["technique"] = action["Name"]
        amplitude = _number(action, "Amplitude (mV RMS)")
        if amplitude is not None:
            meta["ac_amplitude_v_rms"] = amplitude / 1000
        potential = _number(action, "Potential (V),Value")
        if potential is not None:
            meta["dc_potential_v"] = potential
            meta["dc_potential_reference"] = action.get("Potential (V),Versus", "")
        for key in ("Start Frequency (Hz)", "End Frequency (Hz)"):
            if key in action:
                declared.append((f"'{key}={action[key]}'", _number(action, key)))
    return meta, declared


def _segment_data(
    lines: list[str], name: str, start: int, definition: int, source: str
) -> tuple[list[str], list[str]]:
    """The data lines of the ``<name>`` section opened at line index ``start`` (its column line
    at ``definition`` within it) and notes.

    The data end at ``</name>``. A file that ends inside the section was cut off: its lines
    run to the end (the reader then checks the last one) and a note says so. A section that
    another section interrupts is damaged: FileFormatError naming both lines.
    """
    first = start + 1 + definition + 1
    for k in range(first, len(lines)):
        text = lines[k].strip()
        if text == f"</{name}>":
            return lines[first:k], []
        if text.startswith("<"):
            raise format_error(
                source,
                f"<{name}> (opened at line {start + 1}) is not closed before {text[:30]!r}",
                k + 1,
            )
    return lines[first:], [f"the file ends inside <{name}> (no </{name}>): it looks cut off"]


def parse_par(data: bytes, source: str) -> list[Spectrum]:
    decoded = decode_text(data)
    lines = text_lines(decoded.text)
    sections = split_sections(lines)
    if not any(name == "Application" for name, _, _ in sections):
        raise format_error(source, "no <Application> section (VersaStudio .par)")
    pairs = {
        name: _pairs(body)
        for name, _, body in sections
        if not name.startswith(("Segment", "DockingLayout"))
    }
    metadata, declared = _metadata(pairs)
    spectra: list[Spectrum] = []
    skipped = []
    for name, start, body in sections:
        if not name.startswith("Segment"):
            continue
        definition = next(
            (i for i, line in enumerate(body) if line.startswith("Definition=")), None
        )
        if definition is None:
            raise format_error(source, f"<{name}> has no 'Definition=' column line", start + 1)
        names = [n.strip() for n in body[definition].partition("=")[2].split(",")]
        if find_columns(names) is None:
            skipped.append(name)
            continue
        data_lines, notes = _segment_data(lines, name, start, definition, source)
        rows = [names, *split_rows(data_lines, ",")]
        first = start + definition + 2  # 1-based line of the Definition= line
        row_lines = list(range(first, first + len(rows)))
        segment_spectra = parse_table_rows(
            rows,
            row_lines,
            source,
            notes=[*decoded.notes, *notes],
            metadata={**metadata, "segment": name},
            units_fixed_by_format=True,
            line_count=len(lines),
        )  # Z in Ω, unlabelled
        spectra += [replace(s, index=len(spectra) + i) for i, s in enumerate(segment_spectra)]
    if not spectra:
        raise format_error(source, "no <SegmentN> section with Frequency(Hz), Z Real and Z Imag")

    def header_checks(spectrum: Spectrum) -> list[str]:
        notes = frequency_range_notes(spectrum.frequency_hz, declared)
        if skipped:
            notes.append(f"skipped section(s) without impedance data: {', '.join(skipped)}")
        return notes

    return add_notes(spectra, header_checks)


def _sniff(head: FileHead) -> bool:
    return head.first_line == "<Application>" and "VersaStudio" in head.text[:400]


FORMAT = EisFormat(
    name="versastudio_par",
    title="VersaStudio .par (CSV data inside <SegmentN> sections)",
    extensions=(".par",),
    sniff=_sniff,
    parse=parse_par,
)
