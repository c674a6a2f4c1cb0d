"""ZPlot / ZView ``.z`` files ("ZPLOT2 ASCII"), measured or saved.

Layout (from the ZPlot 3.2c files of ECSHackWeek/impedance.py and a ZView 3 "Saved Data" file
of m0l0t0ph/thesis)::

    ZPLOT2 ASCII
      Measured Data, ZPlot:       3.2c        <- or "Saved Data, ZView:  3"
      Experiment Type:            Sweep Frequency, Control Voltage
      Date:                       10-12-2018
      Open Circuit Potential (V): 0.0033
      Begin Experiment: … End Experiment:     <- "Key: value" blocks (Potential-DC, -AC in mV …)
      Begin Information: Cell Information … End Information:
      Data Points:                56          <- may disagree with the rows present
      Freq(Hz)<TAB>Ampl<TAB>Bias<TAB>Time(Sec)<TAB>Z'(a)<TAB>Z''(b)<TAB>GD<TAB>Err<TAB>Range
    End Comments
    3.162231E+05<TAB>0.0000E+00<TAB>…

Tab- (older files: comma-) separated. ``Z''(b)`` is the true imaginary part. The ZPlot
example declares 56 points and holds 21: the rows are used and the disagreement is noted. A
final row cut off mid-write is dropped with a note naming its line.
"""

from __future__ import annotations

import re
from typing import Any

from ssblab.impedance.spectrum import Spectrum
from ssblab.io._text import FileHead, decode_text, format_error, parse_number, text_lines
from ssblab.io.eis._common import EisFormat, add_notes, count_mismatch_note
from ssblab.io.eis.table import guess_delimiter, parse_table_rows, split_rows

_SOFTWARE = re.compile(r"(Measured|Saved) Data, (\w+):\s*(\S+)")


def _number(pairs: dict[str, str], key: str) -> float | None:
    try:
        return parse_number(pairs[key])
    except (KeyError, ValueError):
        return None


def parse_zplot(data: bytes, source: str) -> list[Spectrum]:
    decoded = decode_text(data)
    lines = text_lines(decoded.text)
    if lines[0].strip() != "ZPLOT2 ASCII":
        raise format_error(source, "does not start with 'ZPLOT2 ASCII'", 1)
    end = next((i for i, line in enumerate(lines) if line.strip() == "End Comments"), None)
    if end is None or end < 2:
        raise format_error(source, "no 'End Comments' line before the data")
    pairs: dict[str, str] = {}
    for line in lines[1 : end - 1]:
        key, colon, value = line.partition(":")
        if colon:
            pairs.setdefault(key.strip(), value.strip())
    metadata: dict[str, Any] = {"format": "zview_z", "header": pairs}
    software = _SOFTWARE.search(lines[1])
    if software:
        metadata["software"] = f"{software.group(2)} {software.group(3)}"
        metadata["data_kind"] = software.group(1).lower()
    date = " ".join(pairs[k] for k in ("Date", "Time") if pairs.get(k))
    if date:
        metadata["date"] = date
    for key, target, factor in (
        ("Potential-DC", "dc_potential_v", 1.0),
        ("Potential-AC", "ac_amplitude_v", 1e-3),
        ("Open Circuit Potential (V)", "open_circuit_potential_v", 1.0),
    ):
        value = _number(pairs, key)
        if value is not None:
            metadata[target] = value * factor
    body = lines[end + 1 :]
    delimiter = guess_delimiter(body) or "\t"
    names = split_rows([lines[end - 1]], "\t" if "\t" in lines[end - 1] else None)[0]
    rows = [names, *split_rows(body, delimiter)]
    row_lines = [end, *range(end + 2, end + 2 + len(body))]
    spectra = parse_table_rows(
        rows,
        row_lines,
        source,
        notes=decoded.notes,
        metadata=metadata,
        units_fixed_by_format=True,
        line_count=len(lines),
    )
    declared = _number(pairs, "Data Points")
    if declared is None:
        return spectra
    present = sum(len(s) for s in spectra)
    return add_notes(
        spectra,
        lambda s: count_mismatch_note(declared, present, "data points ('Data Points:')"),
    )


def _sniff(head: FileHead) -> bool:
    return head.first_line == "ZPLOT2 ASCII"


FORMAT = EisFormat(
    name="zview_z",
    title='ZPlot/ZView .z ("ZPLOT2 ASCII", measured or saved data)',
    extensions=(".z",),
    sniff=_sniff,
    parse=parse_zplot,
)
