"""ssblab's ``.mpr`` decoder on ``.mpr`` bytes written here: both EC-Lab header layouts, data
modules v2/v3/v11, unknown column IDs (skipped with a note, widths inferred), damaged and
truncated files, and hypothesis mutations of the real files.
"""

from __future__ import annotations

import struct
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssblab.errors import FileFormatError, SsblabError
from ssblab.io._mpr import MprData, read_mpr
from ssblab.io._mpr_columns import FLAG_BITS
from ssblab.io.cycling import parse_cycling
from ssblab.io.eis import parse_eis

REPO = Path(__file__).resolve().parents[2]
REAL_DATA = REPO.parent / "shared" / "real-data"

# --------------------------------------------------------------------------------------------
# A writer of .mpr bytes (the layout described in ssblab.io._mpr)


def module(name: str, body: bytes, *, new: bool, version: int, date: bytes = b"01/10/24") -> bytes:
    head = b"MODULE" + name.encode().ljust(10) + name.encode().ljust(25)
    if new:
        head += struct.pack("<IIII", 0xFFFFFFFF, len(body), 0, version)
    else:
        head += struct.pack("<II", len(body), version)
    return head + date + body


def data_body(columns: list[tuple[int, str, np.ndarray]], version: int) -> bytes:
    """A data module body; ``columns`` are (id, dtype, values); flag IDs share one byte."""
    ids = [c[0] for c in columns]
    points = len(columns[0][2])
    if version >= 10:
        head = struct.pack("<IH", points, len(ids)) + struct.pack(f"<{len(ids)}H", *ids)
        start = 1007
    else:
        head = struct.pack("<IB", points, len(ids)) + struct.pack(f"<{len(ids)}H", *ids)
        start = 405 if version == 2 else 406
    names, formats, values = [], [], {}
    flags = np.zeros(points, dtype=np.uint8)
    for column_id, dtype, vals in columns:
        if column_id in FLAG_BITS:
            _, mask = FLAG_BITS[column_id]
            shift = (mask & -mask).bit_length() - 1
            flags |= (np.asarray(vals, dtype=np.uint8) << shift) & mask
            if "flags" in names:
                continue
            name, dtype = "flags", "<u1"
        else:
            name = f"c{column_id}"
            values[name] = vals
        names.append(name)
        formats.append(dtype)
    values["flags"] = flags
    records = np.zeros(points, dtype=np.dtype({"names": names, "formats": formats}))
    for name in names:
        records[name] = values[name]
    return head.ljust(start, b"\0") + records.tobytes()


def mpr_bytes(
    columns: list[tuple[int, str, np.ndarray]],
    *,
    new: bool = True,
    version: int = 11,
    loops: list[int] | None = None,
    start: datetime | None = datetime(2024, 1, 10, 11, 2, 29, 886000),
    technique: int = 4,
    extra: bytes = b"",
) -> bytes:
    side = 10 if new else 0
    out = b"BIO-LOGIC MODULAR FILE\x1a".ljust(48) + b"\0" * 4
    out += module("VMP Set", bytes([technique]) + b"\0" * 200, new=new, version=side)
    out += extra
    out += module("VMP data", data_body(columns, version), new=new, version=version)
    log = bytearray(1000)
    if start is not None:
        days = (start - datetime(1899, 12, 30)).total_seconds() / 86400
        struct.pack_into("<d", log, 585, days)
    out += module("VMP LOG", bytes(log), new=new, version=side)
    if loops is not None:
        body = struct.pack(f"<I{len(loops)}I", len(loops), *loops).ljust(256, b"\0")
        out += module("VMP loop", body, new=new, version=side)
    return out


N = 40
TIME = np.cumsum(np.full(N, 0.5)) + 10.0
EWE = np.linspace(3.40, 3.45, N).astype(np.float32)
CURRENT = np.where(np.arange(N) < 20, 0.03, -0.03).astype(np.float32)
MODE = np.where(np.arange(N) < 5, 3, 1)
OXRED = (CURRENT > 0).astype(np.uint8)
NS = np.repeat([0, 1, 2, 3], N // 4).astype(np.uint16)
HALF = np.where(np.arange(N) < 20, 0, 1).astype(np.uint32)


def gcpl_columns() -> list[tuple[int, str, np.ndarray]]:
    return [
        (1, "<u1", MODE),
        (2, "<u1", OXRED),
        (3, "<u1", np.zeros(N)),
        (21, "<u1", np.zeros(N)),
        (31, "<u1", np.r_[0, np.diff(NS) > 0]),
        (65, "<u1", np.zeros(N)),
        (131, "<u2", NS),
        (4, "<f8", TIME),
        (6, "<f4", EWE),
        (8, "<f4", CURRENT),
        (468, "<u4", HALF),
    ]


def check_gcpl(mpr: MprData, count: int = N) -> None:
    assert len(mpr) == count
    assert np.array_equal(mpr.columns["time/s"], TIME[:count])
    assert np.array_equal(mpr.columns["Ewe/V"], EWE[:count].astype(float))
    assert np.array_equal(mpr.columns["I/mA"], CURRENT[:count].astype(float))
    assert np.array_equal(mpr.columns["mode"], MODE[:count])
    assert np.array_equal(mpr.columns["ox/red"], OXRED[:count].astype(bool))
    assert np.array_equal(mpr.columns["Ns"], NS[:count])
    assert np.array_equal(mpr.columns["half cycle"], HALF[:count])


# --------------------------------------------------------------------------------------------
# Layouts


@pytest.mark.parametrize(
    ("new", "version", "layout"),
    [
        (True, 11, "EC-Lab ≥ 11.50 module headers, data module v10+"),
        (False, 3, "pre-11.50 headers, data module v3"),
        (False, 2, "pre-11.50 headers, data module v2"),
    ],
)
def test_both_header_layouts_and_every_data_version(new, version, layout):
    data = mpr_bytes(gcpl_columns(), new=new, version=version, loops=[0, 20, 40])
    mpr = read_mpr(data, "synthetic.mpr")
    check_gcpl(mpr)
    assert mpr.layout == layout
    assert mpr.notes == []
    assert mpr.loop_starts == [0, 20, 40]
    assert mpr.start_time == datetime(2024, 1, 10, 11, 2, 29, 886000)
    assert mpr.technique == "GCPL"
    assert mpr.modules == ["VMP Set", "VMP data", "VMP LOG", "VMP loop"]


def test_version_field_contradicting_the_bytes_is_noted():
    """A v3 header over a v2 body: the layout the column list and length fit is used."""
    data = mpr_bytes(gcpl_columns(), new=False, version=2)
    at = data.index(b"MODULEVMP data")
    patched = bytearray(data)
    struct.pack_into("<I", patched, at + 41 + 4, 3)  # claim version 3
    mpr = read_mpr(bytes(patched), "v.mpr")
    check_gcpl(mpr)
    assert any("read with the data module v2 layout" in n for n in mpr.notes)


def test_unknown_modules_are_skipped_by_length():
    extra = module("VMP ExtDev", b"\x01\x02" * 50, new=True, version=10)
    mpr = read_mpr(mpr_bytes(gcpl_columns(), extra=extra), "ext.mpr")
    check_gcpl(mpr)
    assert mpr.modules == ["VMP Set", "VMP ExtDev", "VMP data", "VMP LOG"]


def test_impedance_and_cycling_readers_on_synthetic_bytes():
    peis = [
        (32, "<f4", np.geomspace(1e5, 1, N)),
        (37, "<f4", np.linspace(10, 50, N)),
        (38, "<f4", np.linspace(1, 20, N)),
        (4, "<f8", TIME),
        (24, "<f8", np.repeat([1.0, 2.0], N // 2)),
    ]
    spectra = parse_eis(mpr_bytes(peis, technique=29), "peis.mpr")
    assert [len(s) for s in spectra] == [20, 20]
    assert spectra[0].metadata["reader"].startswith("ssblab .mpr decoder")
    data = parse_cycling(mpr_bytes(gcpl_columns(), loops=[0, 20, 40]), "gcpl.mpr")
    assert data.table["step_type"].tolist() == ["rest"] * 5 + ["charge"] * 15 + ["discharge"] * 20
    assert data.metadata["reader"].startswith("ssblab .mpr decoder")


# --------------------------------------------------------------------------------------------
# Unknown column IDs


def test_unknown_column_is_skipped_with_a_note_and_its_width_inferred():
    columns = gcpl_columns()
    columns.insert(8, (215, "<f4", np.linspace(0.1, 0.2, N)))  # after time/s: galvani's failure
    mpr = read_mpr(mpr_bytes(columns), "new.mpr")
    check_gcpl(mpr)
    assert mpr.skipped_ids == [215]
    (note,) = mpr.notes
    assert "unknown column IDs skipped: 215 (4 bytes)" in note
    assert mpr.metadata()["mpr_skipped_column_ids"] == [215]


@pytest.mark.parametrize("dtype", ["<u1", "<u2", "<f4", "<f8"])
def test_width_of_one_unknown_column_is_the_record_rest(dtype):
    columns = gcpl_columns()
    columns.insert(7, (777, dtype, np.arange(N) % 7))
    mpr = read_mpr(mpr_bytes(columns), "w.mpr")
    check_gcpl(mpr)
    width = np.dtype(dtype).itemsize
    assert f"777 ({width} byte" in mpr.notes[0]


def test_two_unknown_columns_around_known_ones():
    columns = gcpl_columns()
    columns.insert(9, (900, "<f8", np.linspace(1, 2, N)))  # between Ewe/V and I/mA
    columns.append((901, "<u2", np.arange(N)))
    mpr = read_mpr(mpr_bytes(columns, new=False, version=3), "two.mpr")
    check_gcpl(mpr)
    assert mpr.skipped_ids == [900, 901]
    assert "900 (8 bytes), 901 (2 bytes)" in mpr.notes[0]


def test_ambiguous_unknown_widths_are_a_one_line_error_naming_the_ids():
    columns = gcpl_columns()[:8]  # flags, Ns, time
    columns += [(900, "<f8", np.zeros(N)), (6, "<f4", np.zeros(N)), (901, "<f4", np.zeros(N))]
    with pytest.raises(FileFormatError) as caught:
        read_mpr(mpr_bytes(columns), "amb.mpr")
    message = str(caught.value)
    assert message.startswith("amb.mpr: unknown column IDs 900, 901")
    assert "cannot be inferred" in message and "\n" not in message


def test_unknown_width_not_inferable_from_the_length():
    columns = gcpl_columns()
    columns.append((999, "<f4", np.zeros(N)))
    data = bytearray(mpr_bytes(columns))
    at = data.index(b"MODULEVMP data")
    length = struct.unpack_from("<I", data, at + 45)[0]
    struct.pack_into("<I", data, at + 45, length - 3)  # no longer whole records
    with pytest.raises(FileFormatError, match=r"w\.mpr: unknown column IDs 999: .*whole number"):
        read_mpr(bytes(data), "w.mpr")


# --------------------------------------------------------------------------------------------
# Damaged and truncated files


def test_truncated_data_module_reads_the_whole_records_and_says_how_many_are_missing():
    data = mpr_bytes(gcpl_columns())
    at = data.index(b"MODULEVMP data") + 65 + 1007
    record = 1 + 2 + 8 + 4 + 4 + 4
    cut = data[: at + 25 * record + 7]
    mpr = read_mpr(cut, "cut.mpr")
    check_gcpl(mpr, 25)
    assert any(
        "25 whole records of the 40 points" in n and "15 points missing" in n for n in mpr.notes
    )
    assert any("the file ends inside module 'VMP data'" in n for n in mpr.notes)


def test_point_count_larger_than_the_module():
    data = bytearray(mpr_bytes(gcpl_columns()))
    at = data.index(b"MODULEVMP data") + 65
    struct.pack_into("<I", data, at, 50)  # declares 50 points, holds 40
    mpr = read_mpr(bytes(data), "more.mpr")
    check_gcpl(mpr)
    assert any("40 whole records of the 50 points" in n for n in mpr.notes)


def test_loop_module_for_a_file_cut_short_and_a_bad_one():
    data = mpr_bytes(gcpl_columns(), loops=[0, 20, 40])
    at = data.index(b"MODULEVMP data") + 65 + 1007
    bad_loops = mpr_bytes(gcpl_columns(), loops=[0, 30, 20, 40])
    assert read_mpr(bad_loops, "l.mpr").loop_starts is None
    assert any("not increasing" in n for n in read_mpr(bad_loops, "l.mpr").notes)
    # the loop module is after the data: a cut file has none
    assert read_mpr(data[: at + 23 * 23], "c.mpr").loop_starts is None


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: b"NOT AN MPR" + d[10:], "not a BioLogic .mpr file"),
        (lambda d: d[:60], "module header at byte 52 is cut off"),
        (lambda d: d[:52] + b"X" * 200, "no module after the file header"),
        (
            lambda d: d[:52] + d[52:].replace(b"01/10/24", b"\xff\xff\xff\xff\xff\xff\xff\xff", 1),
            "not understood",
        ),
        (lambda d: d.replace(b"VMP data  ", b"VMP dat4  "), "no 'VMP data' module"),
    ],
)
def test_damaged_files_give_one_line_errors_naming_the_file(damage, message):
    data = damage(mpr_bytes(gcpl_columns()))
    with pytest.raises(FileFormatError) as caught:
        read_mpr(data, "bad.mpr")
    assert str(caught.value).startswith("bad.mpr: ")
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_garbage_after_the_modules_is_noted():
    mpr = read_mpr(mpr_bytes(gcpl_columns()) + b"\x00garbage", "g.mpr")
    check_gcpl(mpr)
    assert any("8 bytes after the modules" in n for n in mpr.notes)


def test_implausible_start_time_is_noted_not_used():
    mpr = read_mpr(mpr_bytes(gcpl_columns(), start=None), "t.mpr")
    assert mpr.start_time is None
    assert "no acquisition start time in the log module" in mpr.notes


# --------------------------------------------------------------------------------------------
# Hypothesis: mutated real .mpr bytes


def _real_mprs() -> list[bytes]:
    files = sorted(REAL_DATA.glob("*/biologic-mpr/*.mpr")) if REAL_DATA.is_dir() else []
    small = [p.read_bytes() for p in files if p.stat().st_size < 100_000]
    return small or [mpr_bytes(gcpl_columns(), loops=[0, 20, 40])]


REAL = _real_mprs()


def _read_all_ways(data: bytes) -> None:
    """The decoder and both readers: a typed error or a result, nothing else."""
    try:
        mpr = read_mpr(data, "m.mpr")
    except SsblabError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("m.mpr: ")
        return
    sizes = {v.size for v in mpr.columns.values()}
    assert len(sizes) == 1
    if len(mpr) < mpr.points_declared:
        assert any("points missing" in n for n in mpr.notes)
    for parse in (parse_eis, parse_cycling):
        try:
            parse(data, "m.mpr")
        except SsblabError as exc:
            assert "\n" not in str(exc)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(range(len(REAL))), st.floats(0, 1))
def test_truncated_real_files(index, fraction):
    data = REAL[index]
    _read_all_ways(data[: int(len(data) * fraction)])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(range(len(REAL))),
    st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=8
    ),
)
def test_flipped_bytes_in_real_files(index, flips):
    data = bytearray(REAL[index])
    for where, value in flips:
        data[int(where * len(data))] = value
    _read_all_ways(bytes(data))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(range(len(REAL))), st.integers(0, 2**32 - 1), st.integers(0, 3))
def test_damaged_header_fields_in_real_files(index, value, which):
    """Point count, column count and module lengths overwritten with any u32."""
    data = bytearray(REAL[index])
    at = data.index(b"MODULEVMP data")
    new = data[at + 41 : at + 45] == b"\xff\xff\xff\xff"
    body = at + (65 if new else 57)
    field = [body, body + 4, at + (45 if new else 41), 52 + 41 + (4 if new else 0)][which]
    struct.pack_into("<I", data, field, value)
    _read_all_ways(bytes(data))
