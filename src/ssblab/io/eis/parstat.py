"""Princeton Applied Research PARSTAT tab-separated export with DC and EIS rows in one table.

Layout (from ``exampleDataParstat.txt`` of ECSHackWeek/impedance.py; columns abridged)::

    Potential (V)<TAB>Current (A)<TAB>Elapsed Time (s)<TAB>Frequency (Hz)<TAB>Zre (ohms)<TAB>…
    3.49322700500488<TAB>-0.149962306022644<TAB>10<TAB>0<TAB>0<TAB>…   <- DC record
    …
    3.50029397010803<TAB>0.0245747901499271<TAB>7639.602<TAB>10000<TAB>-0.000498…  <- EIS

A trailing tab ends every line. The DC record (a discharge at −0.15 A, Frequency = 0) comes
before the impedance sweep; its rows are dropped and counted. The trailing tab shows any cut
of the last row (it then has fewer fields): the row is dropped with a note naming its line.
``Zim`` is the true imaginary part. The column logic is that of the generic table reader
(:mod:`.table`).
"""

from __future__ import annotations

from ssblab.impedance.spectrum import Spectrum
from ssblab.io._text import FileHead, text_lines
from ssblab.io.eis._common import EisFormat
from ssblab.io.eis.table import parse_table

SIGNATURE = ("Frequency (Hz)", "Zre (ohms)", "Zim (ohms)")


def parse_parstat(data: bytes, source: str) -> list[Spectrum]:
    return parse_table(
        data,
        source,
        metadata={
            "format": "parstat",
            "manufacturer": "Princeton Applied Research",
            "instrument": "PARSTAT",
        },
        zero_frequency_reason="DC rows of the record that precedes the sweep",
    )


def _sniff(head: FileHead) -> bool:
    return any(
        all(name in line for name in SIGNATURE) and "\t" in line
        for line in text_lines(head.text)[:5]
    )


FORMAT = EisFormat(
    name="parstat",
    title="PARSTAT tab export (DC rows with Frequency = 0 followed by EIS rows)",
    extensions=(".txt",),
    sniff=_sniff,
    parse=parse_parstat,
)
