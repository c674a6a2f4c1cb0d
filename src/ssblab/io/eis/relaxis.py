"""RelaxIS (rhd instruments) "Spectrum export" text.

Layout (from ``PEIS_LPSCl_IonBlocking_-25C_RelaxIS.txt`` of jdhuang-csm/hybrid-drt, RelaxIS 3.0)::

    RelaxIS 3.0 Spectrum export
    Date: 12/16/2025 2:29:15 PM
    Data: Frequency<TAB>Data: Z'<TAB>Data: Z''<TAB>Data: |Z|<TAB>Data: Theta (Z)
    DC=-0.080042, TM=33.741076, J=-5E-6, FV2=1<TAB>Model: Unassigned Spectra<TAB>(WE/RE …
    0.10002180933952332<TAB>1799427.625<TAB>-8093785.5<TAB>…       <- ascending frequency
    …

Tab-separated. Each spectrum starts with a label line: its parameters (``name=value``), the
model it is assigned to and its name. A line is a label only if it looks like one (parameters
or ``Model:``, or no number at all): a data row with a bad cell is not taken for a label, so it
never splits its spectrum (the table reader refuses it, naming its line). A final row cut off
mid-write is dropped with a note; a label left alone at the end of a cut file is ignored with
a note. ``Z''`` is the true imaginary part. The rows are in
ascending frequency, as RelaxIS sorts them (the EC-Lab twin is descending); the order is kept.
``DC`` is the DC potential: for the LPSCl file it equals the EC-Lab ``<Ewe>`` of the same
measurement (−0.0800 V).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ssblab.impedance.spectrum import Spectrum
from ssblab.io._text import FileHead, decode_text, format_error, is_number, parse_number, text_lines
from ssblab.io.eis._common import EisFormat
from ssblab.io.eis.table import parse_table_rows

_TITLE = re.compile(r"RelaxIS\s+(\S+)\s+Spectrum export")


def _label_metadata(label_line: str) -> dict[str, Any]:
    fields = [f.strip() for f in label_line.split("\t") if f.strip()]
    meta: dict[str, Any] = {}
    parameters: dict[str, float | str] = {}
    for item in fields[0].split(",") if fields else []:
        key, equals, value = item.partition("=")
        if equals:
            try:
                parameters[key.strip()] = parse_number(value)
            except ValueError:
                parameters[key.strip()] = value.strip()
    if parameters:
        meta["relaxis_parameters"] = parameters
        if isinstance(parameters.get("DC"), float):
            meta["dc_potential_v"] = parameters["DC"]
    for field in fields[1:]:
        if field.startswith("Model:"):
            meta["model"] = field.partition(":")[2].strip()
        else:
            meta["spectrum_name"] = field
    return meta


def parse_relaxis(data: bytes, source: str) -> list[Spectrum]:
    decoded = decode_text(data)
    lines = text_lines(decoded.text)
    title = _TITLE.match(lines[0].strip())
    if title is None:
        raise format_error(source, "does not start with 'RelaxIS … Spectrum export'", 1)
    header_at = next((i for i, line in enumerate(lines[:20]) if line.startswith("Data:")), None)
    if header_at is None:
        raise format_error(source, "no 'Data: Frequency …' column line")
    names = [n.strip().removeprefix("Data:").strip() for n in lines[header_at].split("\t")]
    metadata: dict[str, Any] = {"format": "relaxis", "software": f"RelaxIS {title.group(1)}"}
    date = next(
        (line.partition(":")[2].strip() for line in lines[1:header_at] if line.startswith("Date:")),
        None,
    )
    if date:
        metadata["export_date"] = date
    blocks, notes = _blocks(lines, header_at, source)
    spectra: list[Spectrum] = []
    for label_at, row_indices in blocks:
        meta = {**metadata, **(_label_metadata(lines[label_at]) if label_at >= 0 else {})}
        rows = [names, *(lines[i].split("\t") for i in row_indices)]
        row_lines = [header_at + 1, *(i + 1 for i in row_indices)]
        for spectrum in parse_table_rows(
            rows,
            row_lines,
            source,
            notes=[*decoded.notes, *notes],
            metadata=meta,
            units_fixed_by_format=True,
            line_count=len(lines),
        ):
            spectra.append(replace(spectrum, index=len(spectra)))
    if not spectra:
        raise format_error(source, "no data rows")
    return spectra


def is_label(line: str) -> bool:
    """Whether a line below the column line starts a spectrum rather than holding a point.

    A label holds the spectrum's parameters (``DC=-0.08, TM=33.7``), its ``Model:`` and its
    name; a data row holds numbers. So a row with a bad cell (``abc`` for a frequency) stays a
    row of its spectrum — the table reader then names its line — and never splits it.
    """
    fields = line.split("\t")
    if "=" in fields[0] or any(field.strip().startswith("Model:") for field in fields):
        return True
    return not any(is_number(field) for field in fields if field.strip())


def _blocks(
    lines: list[str], header_at: int, source: str
) -> tuple[list[tuple[int, list[int]]], list[str]]:
    """(label line index or -1, data line indices) of each spectrum, and notes.

    A label with no rows after it is a damaged file, unless it is the file's last line: the
    file was cut off after it, which a note says.
    """
    blocks: list[tuple[int, list[int]]] = []
    for i in range(header_at + 1, len(lines)):
        if not lines[i].strip():
            continue
        if is_label(lines[i]):
            blocks.append((i, []))
        else:
            if not blocks:
                blocks.append((-1, []))
            blocks[-1][1].append(i)
    notes = []
    for k, (label_at, row_indices) in enumerate(blocks):
        if row_indices:
            continue
        if k == len(blocks) - 1 and k > 0:
            notes.append(
                f"line {label_at + 1} ignored: a spectrum label at the end of the file with no "
                "data rows (the file looks cut off)"
            )
        else:
            raise format_error(source, "spectrum label without data rows", label_at + 1)
    return [block for block in blocks if block[1]], notes


def _sniff(head: FileHead) -> bool:
    return bool(_TITLE.match(head.first_line))


FORMAT = EisFormat(
    name="relaxis",
    title="RelaxIS spectrum export (text)",
    extensions=(".txt",),
    sniff=_sniff,
    parse=parse_relaxis,
)
