"""BioLogic EC-Lab binary ``.mpr`` impedance files (PEIS, GEIS, SPEIS …), decoded by ssblab's own
``.mpr`` decoder (:mod:`ssblab.io._mpr`, MIT).

The data module holds the EC-Lab columns by name (``freq/Hz``, ``Re(Z)/Ohm``, ``-Im(Z)/Ohm``,
``cycle number`` …), exactly as the text export prints them: the ``.mpr``/``.mpt`` twins of
dgbowl/yadg and jdhuang-csm/hybrid-drt give identical numbers. As in the text export,
``-Im(Z)/Ohm`` stores −Z'' and is flipped. Loops come from the loop module (first point of
each loop, then the point count), else ``cycle number``, else sweep restarts (e.g. the 45
short GEIS spectra of the datalab Li|Li file). Column IDs the decoder does not know are
skipped with a note naming them.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import numpy as np

from ssblab.impedance.spectrum import Spectrum
from ssblab.io._mpr import MPR_MAGIC, MprData, read_mpr
from ssblab.io._text import FileHead, format_error
from ssblab.io.eis._common import EisFormat
from ssblab.io.eis.table import find_columns, parse_table_rows


def loop_ranges(mpr: MprData) -> list[tuple[int, int]] | None:
    """(first, last) point of each loop from the loop module, or None; a file cut short keeps
    the loops of the points it holds."""
    starts = mpr.loop_starts
    count = len(mpr)
    if not starts or len(starts) < 2 or starts[-1] < count:
        return None
    return [(a, min(b, count) - 1) for a, b in pairwise(starts) if b > a and a < count]


def parse_mpr(data: bytes, source: str) -> list[Spectrum]:
    mpr = read_mpr(data, source)
    names = [n for n, v in mpr.columns.items() if v.dtype != bool and n != "mode"]
    if find_columns(names) is None:
        raise format_error(
            source,
            "no freq/Hz, Re(Z)/Ohm and -Im(Z)/Ohm columns: not an "
            f"impedance file (columns: {', '.join(names[:6])} …)",
        )
    metadata: dict[str, Any] = {
        "format": "biologic_mpr",
        "manufacturer": "BioLogic",
        **mpr.metadata(),
    }
    if mpr.start_time is not None:
        metadata["date"] = mpr.start_time.isoformat()
    values = [np.asarray(mpr.columns[n], dtype=float).tolist() for n in names]
    rows = [names, *map(list, zip(*values, strict=True))]
    return parse_table_rows(
        rows,
        [0] * len(rows),
        source,
        notes=mpr.notes,
        metadata=metadata,
        loop_ranges=loop_ranges(mpr),
    )


def _sniff(head: FileHead) -> bool:
    return head.data.startswith(MPR_MAGIC)


FORMAT = EisFormat(
    name="biologic_mpr",
    title="BioLogic EC-Lab binary .mpr",
    extensions=(".mpr",),
    sniff=_sniff,
    parse=parse_mpr,
)
