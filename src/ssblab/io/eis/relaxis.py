"""RelaxIS (rhd instruments) "Spectrum export" text.

Layout (from ``PEIS_LPSCl_IonBlocking_-25C_RelaxIS.txt`` of jdhuang-csm/hybrid-drt, RelaxIS 3.0)::

    RelaxIS 3.0 Spectrum export
    Date: 12/16/2025 2:29:15 PM
    Data: Frequency<TAB>Data: Z'<TAB>Data: Z''<TAB>Data: |Z|<TAB>Data: Theta (Z)
    DC=-0.080042, TM=33.741076, J=-5E-6, FV2=1<TAB>Model: Unassigned Spectra<TAB>(WE/RE …
    0.10002180933952332<TAB>1799427.625<TAB>-8093785.5<TAB>…       <- ascending frequency
    …

Tab-separated. Each spectrum starts with a label line: its parameters (``name=value``), the
model it is assigned to and its name. ``Z''`` is the true imaginary part. The rows are in
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
    # Each spectrum: a label line (its first field is not a number), then its rows.
    blocks: list[tuple[int, list[int]]] = []
    for i in range(header_at + 1, len(lines)):
        first = lines[i].split("\t")[0]
        if not lines[i].strip():
            continue
        if is_number(first):
            if not blocks:
                blocks.append((-1, []))
            blocks[-1][1].append(i)
        else:
            blocks.append((i, []))
    spectra: list[Spectrum] = []
    for label_at, row_indices in blocks:
        if not row_indices:
            raise format_error(source, "spectrum label without data rows", label_at + 1)
        meta = {**metadata, **(_label_metadata(lines[label_at]) if label_at >= 0 else {})}
        rows = [names, *(lines[i].split("\t") for i in row_indices)]
        row_lines = [header_at + 1, *(i + 1 for i in row_indices)]
        for spectrum in parse_table_rows(
            rows, row_lines, source, notes=decoded.notes, metadata=meta, units_fixed_by_format=True
        ):
            spectra.append(replace(spectrum, index=len(spectra)))
    if not spectra:
        raise format_error(source, "no data rows")
    return spectra


def _sniff(head: FileHead) -> bool:
    return bool(_TITLE.match(head.first_line))


FORMAT = EisFormat(
    name="relaxis",
    title="RelaxIS spectrum export (text)",
    extensions=(".txt",),
    sniff=_sniff,
    parse=parse_relaxis,
)
