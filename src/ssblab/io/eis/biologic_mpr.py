"""BioLogic EC-Lab binary ``.mpr`` files, decoded by the ``galvani`` package.

Layout: the magic ``BIO-LOGIC MODULAR FILE`` followed by modules (``VMP Set``, ``VMP data``,
``VMP LOG``, optionally ``VMP loop``); galvani turns the data module into a record array whose
field names are the EC-Lab column names (``freq/Hz``, ``Re(Z)/Ohm``, ``-Im(Z)/Ohm``,
``cycle number`` …) and exposes the loop module as ``loop_index`` (first point of each loop,
then the point count). Knowledge from galvani's ``BioLogic.py`` and from the .mpr/.mpt twins of
dgbowl/yadg and jdhuang-csm/hybrid-drt, which give identical numbers.

As in the text export, ``-Im(Z)/Ohm`` stores −Z'' and is flipped. Loops come from the loop
module, else ``cycle number``, else sweep restarts (e.g. the 45 short GEIS spectra of the
datalab Li|Li file).
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import numpy as np

from ssblab.impedance.spectrum import Spectrum
from ssblab.io._mpr import MPR_MAGIC, galvani_version, open_mpr
from ssblab.io._text import FileHead, format_error
from ssblab.io.eis._common import EisFormat
from ssblab.io.eis.table import find_columns, parse_table_rows


def _loop_ranges(loop_index: Any, count: int) -> list[tuple[int, int]] | None:
    if loop_index is None:
        return None
    starts = [int(i) for i in np.asarray(loop_index).ravel()]
    if len(starts) < 2 or starts[-1] != count:
        return None
    return [(a, b - 1) for a, b in pairwise(starts) if b > a]


def parse_mpr(data: bytes, source: str) -> list[Spectrum]:
    mpr = open_mpr(data, source)
    names = list(mpr.data.dtype.names or ())
    records = mpr.data.tolist()
    if find_columns(names) is None:
        raise format_error(
            source,
            "no freq/Hz, Re(Z)/Ohm and -Im(Z)/Ohm columns: not an "
            f"impedance file (columns: {', '.join(names[:6])} …)",
        )
    metadata: dict[str, Any] = {
        "format": "biologic_mpr",
        "manufacturer": "BioLogic",
        "reader": f"galvani {galvani_version()}",
    }
    timestamp = getattr(mpr, "timestamp", None) or getattr(mpr, "startdate", None)
    if timestamp is not None:
        metadata["date"] = timestamp.isoformat()
    rows = [names, *records]
    return parse_table_rows(
        rows,
        [0] * len(rows),
        source,
        metadata=metadata,
        loop_ranges=_loop_ranges(getattr(mpr, "loop_index", None), len(records)),
    )


def _sniff(head: FileHead) -> bool:
    return head.data.startswith(MPR_MAGIC)


FORMAT = EisFormat(
    name="biologic_mpr",
    title="BioLogic EC-Lab binary .mpr (via galvani)",
    extensions=(".mpr",),
    sniff=_sniff,
    parse=parse_mpr,
)
