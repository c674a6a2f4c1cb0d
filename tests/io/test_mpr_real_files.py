"""ssblab's own ``.mpr`` decoder on every real BioLogic file: galvani and the text twins agree.

galvani (GPL-3.0, a test-only dependency) is the cross-check: every column it reads must equal
ours to 1e-6 (relative), with the same point count, flags byte, loop index and start time.
The EC-Lab text exports of the same measurements (the ``.mpt``/``.txt`` twins) are the ground
truth for the column IDs: every column both hold must agree to the text's printed precision.
Files come from ``../shared/real-data``, else from the bundled copies in ``tests/data``;
otherwise the test is skipped.
"""

from __future__ import annotations

import warnings
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from ssblab.io._mpr import read_mpr
from ssblab.io._mpr_columns import COLUMNS
from tests.real_data import REAL_DATA, real_file

MPR_FILES = {
    "eis/biologic-mpr/yadg_peis_sp300_pair.mpr": (84, [0, 21, 42, 63, 84], "PEIS"),
    "eis/biologic-mpr/lpscl_pellet_ionblocking_m25C_peis.mpr": (79, None, "PEIS"),
    "eis/biologic-mpr/ssb_ncm-lpscl_inli_peis_eod.mpr": (89, None, "PEIS"),
    "eis/biologic-mpr/lili_tegdme_insitu_geis.mpr": (405, list(range(0, 406, 9)), "GEIS"),
    "cycling/biologic-mpr/yadg_gcpl_sp300_pair.mpr": (132, [0, 33, 66, 99, 132], "GCPL"),
    "cycling/biologic-mpr/lili_tegdme_insitu_gcpl.mpr": (109, [0, 109], "GCPL"),
    "cycling/biologic-mpr/ssb_ncm-lpscl_inli_cp.mpr": (30208, None, "CP"),
}
START = {
    "yadg_peis_sp300_pair.mpr": "2024-01-10T11:02:29.886000",
    "lpscl_pellet_ionblocking_m25C_peis.mpr": "2025-05-15T01:18:45.867000",
    "lili_tegdme_insitu_geis.mpr": "2023-08-11T12:40:15",
}
TWINS = [
    (
        "cycling/biologic-mpt/yadg_gcpl_sp300_pair.mpt",
        "cycling/biologic-mpr/yadg_gcpl_sp300_pair.mpr",
    ),
    ("eis/biologic-mpt/yadg_peis_sp300_pair.mpt", "eis/biologic-mpr/yadg_peis_sp300_pair.mpr"),
    (
        "eis/biologic-mpt/lpscl_pellet_ionblocking_m25C_peis.txt",
        "eis/biologic-mpr/lpscl_pellet_ionblocking_m25C_peis.mpr",
    ),
]


def every_real_mpr() -> list[Path]:
    return sorted(REAL_DATA.glob("*/biologic-mpr/*.mpr")) if REAL_DATA.is_dir() else []


@pytest.mark.parametrize("relative", sorted(MPR_FILES))
def test_real_file_decodes(relative):
    path = real_file(relative)
    points, loops, technique = MPR_FILES[relative]
    mpr = read_mpr(path.read_bytes(), path.name)
    assert len(mpr) == mpr.points_declared == points
    assert all(v.size == points for v in mpr.columns.values())
    assert mpr.loop_starts == loops
    assert mpr.technique == technique
    assert mpr.skipped_ids == [] and mpr.notes == []
    assert np.all(np.diff(mpr.columns["time/s"]) >= 0)
    if path.name in START:
        assert mpr.start_time.isoformat() == START[path.name]


def test_every_real_mpr_is_covered_by_the_table():
    """Every column ID of every real file is in the table (none skipped)."""
    files = every_real_mpr()
    if not files:
        pytest.skip("../shared/real-data is absent")
    assert len(files) == 7
    for path in files:
        mpr = read_mpr(path.read_bytes(), path.name)
        assert not mpr.skipped_ids, path.name


def test_layouts_of_both_ec_lab_generations():
    old = read_mpr(real_file("cycling/biologic-mpr/lili_tegdme_insitu_gcpl.mpr").read_bytes(), "a")
    new = read_mpr(
        real_file("eis/biologic-mpr/lpscl_pellet_ionblocking_m25C_peis.mpr").read_bytes(), "b"
    )
    assert old.layout == "pre-11.50 headers, data module v3"
    assert new.layout == "EC-Lab ≥ 11.50 module headers, data module v10+"
    assert old.modules == ["VMP Set", "VMP data", "VMP LOG", "VMP loop"]
    assert new.modules == ["VMP Set", "VMP data", "VMP LOG"]


# --------------------------------------------------------------------------------------------
# galvani cross-check


def _galvani(path: Path):
    biologic = pytest.importorskip("galvani.BioLogic")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return biologic.MPRfile(str(path))


@pytest.mark.parametrize(
    "path",
    every_real_mpr()
    or [pytest.param(None, marks=pytest.mark.skip(reason="../shared/real-data is absent"))],
    ids=lambda p: p.name if p else "real-data",
)
def test_agrees_with_galvani(path):
    theirs = _galvani(path)
    ours = read_mpr(path.read_bytes(), path.name)
    assert len(theirs.data) == len(ours)
    names = [n for n in theirs.data.dtype.names if n != "flags"]
    assert names  # galvani read something to compare
    for name in names:
        expected = np.asarray(theirs.data[name], dtype=float)
        np.testing.assert_allclose(ours.columns[name], expected, rtol=1e-6, atol=0, err_msg=name)
    if "flags" in theirs.data.dtype.names:
        assert np.array_equal(ours.flags, theirs.data["flags"])
        for flag in ("mode", "ox/red", "error", "control changes", "Ns changes", "counter inc."):
            assert np.array_equal(ours.columns[flag], theirs.get_flag(flag)), flag
    else:
        assert ours.flags is None
    galvani_loops = getattr(theirs, "loop_index", None)
    if galvani_loops is None:
        assert ours.loop_starts is None
    else:
        assert ours.loop_starts == [int(i) for i in galvani_loops]
    assert ours.start_time == theirs.timestamp


def test_galvani_agreement_needs_the_shared_files():
    if not every_real_mpr():
        pytest.skip("../shared/real-data is absent: the galvani cross-check did not run")
    assert len(every_real_mpr()) == 7


# --------------------------------------------------------------------------------------------
# Text twins: the ground truth for the column IDs


def _text_columns(path: Path) -> dict[str, list[str]]:
    lines = path.read_bytes().decode("cp1252").replace("\r\n", "\n").split("\n")
    n_header = int(lines[1].split(":")[1])
    names = lines[n_header - 1].split("\t")
    rows = [line.split("\t") for line in lines[n_header:] if line.strip()]
    return {name: [row[k] for row in rows] for k, name in enumerate(names) if name}


def _number(cell: str) -> float:
    return float(cell.replace(",", "."))


@pytest.mark.parametrize(("text", "binary"), TWINS, ids=[Path(b).name for _, b in TWINS])
def test_text_twin_gives_every_column_id(text, binary):
    text_columns = _text_columns(real_file(text))
    mpr = read_mpr(real_file(binary).read_bytes(), binary)
    aliases = {"Pwe/W": "P/W"}  # EC-Lab 11.50 names ID 70 so in impedance exports
    compared = set()
    for name, cells in text_columns.items():
        ours = mpr.columns.get(aliases.get(name, name))
        if ours is None:
            continue  # a column EC-Lab computes on export (Re(Y), <I>/mA of GCPL …)
        assert ours.size == len(cells)
        # harmonics columns print -1/0 placeholders where EC-Lab shows no value
        written = np.array(
            ["E" in c or "," in c or "." in c or ours.dtype.kind != "f" for c in cells]
        )
        expected = np.array([_number(c) for c in cells])
        got = np.asarray(ours, dtype=float)
        assert written.sum() >= len(cells) // 2, name
        np.testing.assert_allclose(
            got[written], expected[written], rtol=1e-7, atol=1e-30, err_msg=name
        )
        compared.add(aliases.get(name, name))
    if "lpscl" in binary:  # this export holds 10 of the 16 stored columns
        assert len(compared) == 10
    else:
        assert compared == set(mpr.columns)  # every decoded column checked against the text


def test_twin_sources_are_what_the_table_says():
    """The IDs marked 'twin' are exactly those the three text twins verify."""
    verified = set()
    for _, binary in TWINS:
        path = REAL_DATA / binary
        if not path.is_file():
            pytest.skip("../shared/real-data is absent")
        verified |= set(read_mpr(path.read_bytes(), path.name).column_ids)
    twin = {k for k, v in COLUMNS.items() if v.source == "twin"}
    assert twin <= verified
    assert {k for k in verified if k in COLUMNS} - twin == set()


def test_start_time_is_the_log_modules_ole_date():
    mpr = read_mpr(real_file("cycling/biologic-mpr/lili_tegdme_insitu_gcpl.mpr").read_bytes(), "x")
    assert mpr.start_time == datetime(2023, 8, 11, 12, 40, 15)
