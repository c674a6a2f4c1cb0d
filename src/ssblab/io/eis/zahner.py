"""Zahner Thales ``.ism`` binary spectra — recognised, not supported.

The ``.ism`` layout is an undocumented binary format (big-endian doubles after a short header,
per the file of nomad-hzb/nomad-chemical-energy); no published specification was available to
check a parser against, so reading it would be guesswork. The reader says so and suggests the
text export that Thales can write instead.
"""

from __future__ import annotations

from ssblab.io._text import FileHead
from ssblab.io.eis._common import EisFormat


def _sniff(head: FileHead) -> bool:
    return head.suffix == ".ism"


FORMAT = EisFormat(
    name="zahner_ism",
    title="Zahner Thales .ism binary spectrum",
    extensions=(".ism",),
    sniff=_sniff,
    parse=None,
    unsupported_reason=(
        "Zahner .ism is an undocumented binary format and is not supported; "
        "export the spectrum as text from Thales (or a .txt/.csv table) and "
        "read that"
    ),
)
