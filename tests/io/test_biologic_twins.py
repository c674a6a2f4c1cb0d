"""BioLogic ``.mpt``/``.mpr`` twins read alike, and cut-off ``.mpt`` rows are never read.

Step types, step indices and cycle indices come from the files' own columns (``mode``,
``ox/red``, the set current, ``Ns``, ``cycle number``, ``half cycle``, the loops) by one rule
for both formats (:func:`ssblab.io.cycling.biologic.biologic_steps`), so a twin pair gives the
same table and the same coulombic efficiency. A text export cut anywhere gives a typed error
or the rows before the cut, never a cut value or a phantom one-point spectrum.
"""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from ssblab.cli.main import run
from ssblab.errors import SsblabError
from ssblab.io._mpr import read_mpr
from ssblab.io.cycling import parse_cycling, read_cycling
from ssblab.io.cycling.biologic import biologic_steps, numbers_from_loop_table
from ssblab.io.eis import parse_eis, read_eis
from ssblab.io.eis.biologic_mpt import parse_header
from tests.real_data import BUNDLED, REAL_DATA, REPO, real_file

from .test_mpr_synthetic import mpr_bytes

EXAMPLES = REPO / "examples"

GCPL = (
    "cycling/biologic-mpt/yadg_gcpl_sp300_pair.mpt",
    "cycling/biologic-mpr/yadg_gcpl_sp300_pair.mpr",
)
PEIS = [
    ("eis/biologic-mpt/yadg_peis_sp300_pair.mpt", "eis/biologic-mpr/yadg_peis_sp300_pair.mpr"),
    (
        "eis/biologic-mpt/lpscl_pellet_ionblocking_m25C_peis.txt",
        "eis/biologic-mpr/lpscl_pellet_ionblocking_m25C_peis.mpr",
    ),
]


# --------------------------------------------------------------------------------------------
# The yadg GCPL twins


def test_gcpl_twins_give_identical_steps_and_cycles():
    mpt = read_cycling(real_file(GCPL[0]))
    mpr = read_cycling(real_file(GCPL[1]))
    for column in ("step_type", "step_index", "cycle_index"):
        assert mpt.table[column].tolist() == mpr.table[column].tolist(), column
    for data in (mpt, mpr):
        assert data.metadata["columns"]["step_type"] == "mode, ox/red, set current"
        assert data.metadata["columns"]["step"] == "Ns"
        assert not any("derived from the sign" in n for n in data.notes)
    # EC-Lab's own rest rows (mode 3) are rest, whatever current the instrument read there
    modes = read_mpr(real_file(GCPL[1]).read_bytes(), "x").columns["mode"]
    rest = mpr.table["step_type"].to_numpy() == "rest"
    assert np.array_equal(rest, modes == 3)
    # the .mpr has no 'cycle number': half cycle // 2 gives EC-Lab's exported numbers
    exported, _ = _mpt_columns(real_file(GCPL[0]))
    assert mpr.table["cycle_index"].tolist() == exported["cycle number"].astype(int).tolist()


def _ce(capsys, path: Path) -> list[float]:
    assert run(["cycle", "full", str(path), "--json"]) == 0
    out, _ = capsys.readouterr()
    return [c["coulombic_efficiency"] for c in json.loads(out)["cycles"]]


def test_gcpl_twins_give_the_same_coulombic_efficiency(capsys):
    text, binary = _ce(capsys, real_file(GCPL[0])), _ce(capsys, real_file(GCPL[1]))
    assert len(text) == len(binary) == 4
    np.testing.assert_allclose(text, binary, rtol=1e-9)
    np.testing.assert_allclose(text, [0.98252, 0.98267, 0.98284, 0.98274], atol=5e-6)


# --------------------------------------------------------------------------------------------
# The PEIS twins: the same steps, cycles and spectra


def _mpt_columns(path: Path) -> tuple[dict[str, np.ndarray], list[tuple[int, int]]]:
    lines = path.read_bytes().decode("cp1252").replace("\r\n", "\n").split("\n")
    n_header = int(lines[1].split(":")[1])
    _, _, loops = parse_header(lines[2 : n_header - 1])
    names = lines[n_header - 1].split("\t")
    rows = [line.split("\t") for line in lines[n_header:] if line.strip()]
    columns = {
        name: np.array([float(row[k].replace(",", ".")) for row in rows])
        for k, name in enumerate(names)
        if name
    }
    return columns, loops


@pytest.mark.parametrize(("text", "binary"), PEIS, ids=[Path(b).stem for _, b in PEIS])
def test_peis_twins_give_identical_steps_and_cycles(text, binary):
    columns, loops = _mpt_columns(real_file(text))
    mpr = read_mpr(real_file(binary).read_bytes(), binary)
    count = len(mpr)
    starts = mpr.loop_starts
    mpr_loops = [(a, b - 1) for a, b in pairwise(starts)] if starts else None
    text_steps = biologic_steps(columns, numbers_from_loop_table(loops or None, count, []))
    binary_steps = biologic_steps(mpr.columns, numbers_from_loop_table(mpr_loops, count, []))
    assert text_steps.label is None and binary_steps.label is None  # PEIS stores no mode
    assert np.array_equal(text_steps.step, binary_steps.step)
    assert np.array_equal(text_steps.cycle, binary_steps.cycle)
    assert text_steps.used == binary_steps.used == {"step": "Ns", "cycle": "cycle number"}
    text_spectra, binary_spectra = read_eis(real_file(text)), read_eis(real_file(binary))
    assert [s.metadata.get("loop") for s in text_spectra] == [
        s.metadata.get("loop") for s in binary_spectra
    ]
    assert [len(s) for s in text_spectra] == [len(s) for s in binary_spectra]


# --------------------------------------------------------------------------------------------
# A twin pair whose rests read a few nA: mode 3 is rest in both formats


def _synthetic_gcpl():
    """Rest (−4 nA read) / +2 µA charge / rest (+3 nA) / −2 µA discharge, twice."""
    blocks = [(3, 0.0, -4e-6), (1, 0.002, 0.002), (3, 0.0, 3e-6), (1, -0.002, -0.002)] * 2
    mode, control, current, ns, half = [], [], [], [], []
    for k, (m, c, i) in enumerate(blocks):
        mode += [m] * 30
        control += [c] * 30
        current += [i] * 30
        ns += [k % 4] * 30
        half += [(k // 2)] * 30
    n = len(mode)
    time = np.arange(n) * 60.0
    dq = np.r_[0, np.array(current[1:]) * 60 / 3600]  # mA·h per point
    ewe = 3.4 + 0.001 * np.cumsum(dq)
    columns = {
        "mode": np.array(mode),
        "ox/red": (np.array(current) > 0).astype(int),
        "Ns": np.array(ns),
        "time/s": time,
        "control/V/mA": np.array(control),
        "Ewe/V": ewe,
        "dq/mA.h": dq,
        "half cycle": np.array(half),
    }
    return columns, np.array(current)


def _mpt_text(columns: dict[str, np.ndarray], current: np.ndarray) -> bytes:
    names = [*columns, "<I>/mA"]
    header = [
        "EC-Lab ASCII FILE",
        "Nb header lines : 5",
        "",
        "Galvanostatic Cycling with Potential Limitation",
    ]
    rows = []
    for k in range(current.size):
        cells = [
            f"{columns[n][k]:.15E}"
            if n not in ("mode", "ox/red", "Ns", "half cycle")
            else str(int(columns[n][k]))
            for n in columns
        ]
        rows.append("\t".join([*cells, f"{current[k]:.15E}"]))
    return "\n".join([*header, "\t".join(names) + "\t", *rows]).encode("cp1252")


def test_synthetic_twins_with_na_rest_offsets():
    columns, current = _synthetic_gcpl()
    text = parse_cycling(_mpt_text(columns, current), "twin.mpt")
    ids = {"mode": 1, "ox/red": 2, "Ns": 131, "time/s": 4, "control/V/mA": 5, "Ewe/V": 6}
    ids |= {"dq/mA.h": 7, "half cycle": 468}
    dtypes = {1: "<u1", 2: "<u1", 131: "<u2", 4: "<f8", 5: "<f4", 6: "<f4", 7: "<f8", 468: "<u4"}
    binary = parse_cycling(
        mpr_bytes([(ids[n], dtypes[ids[n]], v) for n, v in columns.items()]), "twin.mpr"
    )
    for column in ("step_type", "step_index", "cycle_index"):
        assert text.table[column].tolist() == binary.table[column].tolist(), column
    expected = ["rest", "charge", "rest", "discharge"] * 2
    assert text.table["step_type"].tolist() == [t for t in expected for _ in range(30)]
    assert text.table["cycle_index"].tolist() == [c for c in (0, 1) for _ in range(120)]


# --------------------------------------------------------------------------------------------
# Cut-off final rows of EC-Lab text exports


def _eis_files() -> list[Path]:
    found = sorted((REAL_DATA / "eis" / "biologic-mpt").glob("*")) if REAL_DATA.is_dir() else []
    return [
        *found,
        EXAMPLES / "eis" / "biologic_peis_2loops.mpt",
        BUNDLED / "eis" / "lpscl_pellet_ionblocking_m25C_peis.txt",
    ]


def _offsets(data: bytes, start: bytes, count: int) -> list[int]:
    """Cut points: spread over the data rows, plus 100 in the last two rows (every byte of
    short rows), next to each tab of the last row among them."""
    first = data.index(start)
    spread = np.linspace(first, len(data) - 1, count).astype(int).tolist()
    tail = data.rfind(b"\n", 0, data.rfind(b"\n") - 1)
    near_end = np.linspace(tail, len(data), min(100, len(data) - tail + 1)).astype(int).tolist()
    last = data.rfind(b"\n") + 1
    tabs = [last + k for k, byte in enumerate(data[last:]) if byte == 9][:30]
    around_tabs = [t + d for t in tabs for d in (0, 1)]
    return sorted({*spread, *near_end, *around_tabs, len(data)})


def _short_final_row(data: bytes, cut: int, names_start: bytes) -> bool:
    """Whether ``data[:cut]`` ends in a data row with fewer fields than named columns (a cut
    inside the last field of a row written with varying decimals cannot be seen, and the
    readers use no such last column)."""
    names_at = data.index(names_start)
    names_end = data.index(b"\n", names_at)
    named = sum(1 for name in data[names_at:names_end].split(b"\t") if name.strip())
    row = data[data.rfind(b"\n", 0, cut) + 1 : cut]
    return cut > names_end + 1 and row.strip() != b"" and row.count(b"\t") + 1 < named


@pytest.mark.parametrize("path", _eis_files(), ids=lambda p: p.name)
def test_cut_eis_text_gives_no_phantom_spectrum_and_no_cut_value(path):
    data = path.read_bytes()
    whole = parse_eis(data, path.name)
    assert not any("cut off" in n for s in whole for n in s.notes)  # the last row is whole
    frequency = np.concatenate([s.frequency_hz for s in whole])
    impedance = np.concatenate([s.impedance_ohm for s in whole])
    for cut in _offsets(data, b"freq/Hz", 60):
        try:
            spectra = parse_eis(data[:cut], path.name)
        except SsblabError as exc:
            assert "\n" not in str(exc)
            continue
        got_f = np.concatenate([s.frequency_hz for s in spectra])
        got_z = np.concatenate([s.impedance_ohm for s in spectra])
        n = got_f.size
        assert np.array_equal(got_f, frequency[:n]) and np.array_equal(got_z, impedance[:n]), cut
        assert [len(s) for s in spectra[:-1]] == [len(s) for s in whole[: len(spectra) - 1]], cut
        if _short_final_row(data, cut, b"freq/Hz"):
            assert any("dropped: it looks cut off" in note for note in spectra[0].notes), cut


def _cycling_files() -> list[tuple[Path, int]]:
    found = (
        sorted((REAL_DATA / "cycling" / "biologic-mpt").glob("*.mpt")) if REAL_DATA.is_dir() else []
    )
    small = [(p, 80) for p in found if p.stat().st_size < 200_000]
    large = [(p, 12) for p in found if p.stat().st_size >= 200_000]
    return [*small, *large, (EXAMPLES / "cycling" / "biologic_gcpl.mpt", 80)]


@pytest.mark.parametrize(
    ("path", "count"), _cycling_files(), ids=lambda x: getattr(x, "name", str(x))
)
def test_cut_cycling_text_reads_only_whole_rows(path, count):
    data = path.read_bytes()
    whole = parse_cycling(data, path.name)
    assert not any("cut off" in n for n in whole.notes)
    table = whole.table
    offsets = _offsets(data, b"time/s", count)
    if path.stat().st_size >= 200_000:
        offsets = offsets[:count] + offsets[-40::8]
    for cut in offsets:
        try:
            part = parse_cycling(data[:cut], path.name)
        except SsblabError as exc:
            assert "\n" not in str(exc)
            continue
        n = len(part.table)
        for column in (
            "time_s",
            "voltage_V",
            "current_A",
            "step_type",
            "step_index",
            "cycle_index",
        ):
            assert np.array_equal(part.table[column].to_numpy(), table[column].to_numpy()[:n]), (
                cut,
                column,
            )
        if _short_final_row(data, cut, b"time/s"):
            assert any("dropped: it looks cut off" in note for note in part.notes), cut
