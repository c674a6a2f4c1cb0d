"""A file cut anywhere never yields a cut value (issue 9 §1): every text cycling reader.

Every example text file and the first lines of every real text export (``../shared/real-data``)
are cut at many byte offsets — every few bytes of the last two lines, and at random places —
and read again. Ground truth is the read of the same text up to its last whole line: the cut
read must give exactly those rows, plus at most the partial last line when it parses to the
same values as in the whole file; a partial line that is left out is named in a note.
Generated tables (hypothesis) are cut the same way.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssblab.errors import FileFormatError
from ssblab.io.cycling import parse_cycling

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "cycling"
REAL = REPO.parent / "shared" / "real-data" / "cycling"

EXAMPLE_TEXT = [
    "table_seconds_mA.csv",
    "table_minutes_uA_decimal_comma.csv",
    "table_hhmmss.tsv",
    "maccor_export.txt",
    "maccor_rec_export.txt",
    "neware_flat.csv",
    "neware_stacked.csv",
    "arbin_export.csv",
    "land_export.csv",
]
REAL_TEXT = [
    "arbin-csv/arbin_beep_tc_contact_CH33.csv",
    "maccor-txt/maccor_cellpy_simba_002.txt",
    "neware-csv/neware_uio_export.csv",
    "neware-csv/neware_ife_regular_export.csv",
]
COLUMNS = ["time_s", "voltage_V", "current_A"]


def head(data: bytes, lines: int) -> bytes:
    """The first ``lines`` lines of ``data`` (with their line breaks)."""
    at = -1
    for _ in range(lines):
        at = data.find(b"\n", at + 1)
        if at < 0:
            return data
    return data[: at + 1]


def offsets(data: bytes, seed: int, final: int = 40, spread: int = 10) -> list[int]:
    """Every few bytes of the last two lines, and ``spread`` random places in the body."""
    body = data.rstrip(b"\r\n")
    second_last = body.rfind(b"\n", 0, body.rfind(b"\n")) + 1
    near = np.unique(np.linspace(second_last, len(data), final).astype(int)).tolist()
    rng = random.Random(seed)
    return sorted(set(near) | {rng.randrange(len(data) // 3, len(data)) for _ in range(spread)})


def read(data: bytes, name: str):
    try:
        return parse_cycling(data, name)
    except FileFormatError as exc:
        assert str(exc).startswith(name), str(exc)
        assert "\n" not in str(exc)
        return None


def check_cuts(data: bytes, name: str, cuts: list[int]) -> int:
    """Cut ``data`` at each offset and compare with the read of its whole lines; returns how
    many cuts left out a partial row (with a note)."""
    whole_reads: dict[int, object] = {}
    dropped = 0
    for k in cuts:
        cut = data[:k]
        end = cut.rfind(b"\n") + 1
        if end not in whole_reads:
            whole_reads[end] = read(data[:end], name)
        whole, result = whole_reads[end], read(cut, name)
        partial = cut[end:].strip(b" \t\r,;")
        if whole is None:  # nothing readable in the whole lines: only the header was there
            continue
        assert result is not None, f"{name} cut at {k}: an error where {len(whole)} rows read"
        rows = len(result.table)
        assert len(whole) <= rows <= len(whole) + 1, (name, k, rows, len(whole))
        reference = read(data, name)  # the uncut file: the kept rows are its rows
        for column in COLUMNS:
            np.testing.assert_array_equal(
                result.table[column].to_numpy(),
                reference.table[column].to_numpy()[:rows],
                err_msg=f"{name} cut at byte {k}: {column}",
            )
        if partial and rows == len(whole):
            line = cut.count(b"\n") + 1
            assert any(f"line {line} dropped: it looks cut off" in n for n in result.notes), (
                name,
                k,
                cut[end:],
                result.notes,
            )
            dropped += 1
    return dropped


@pytest.mark.parametrize("name", EXAMPLE_TEXT)
def test_examples_cut_anywhere(name):
    data = (EXAMPLES / name).read_bytes()
    assert check_cuts(data, name, offsets(data, seed=len(name))) > 0


@pytest.mark.parametrize("relative", REAL_TEXT)
def test_real_text_exports_cut_anywhere(relative):
    path = REAL / relative
    if not path.is_file():
        pytest.skip(f"{relative}: ../shared/real-data is absent")
    data = head(path.read_bytes(), 300)  # the layout and formats of the real file, in brief
    assert check_cuts(data, path.name, offsets(data, seed=len(relative))) > 0


def test_the_issue_example_minus_five_ampere():
    """``-5.0000e-04`` cut to ``-5.0000``: left out, not read as -5 A."""
    rows = "".join(f"{t},3.{t % 10},-5.0000e-04\n" for t in range(20))
    data = ("time (s),voltage (V),current (A)\n" + rows + "20,3.0,-5.0000").encode()
    result = parse_cycling(data, "cut.csv")
    assert len(result.table) == 20
    assert result.table["current_A"].min() == pytest.approx(-5e-4)
    assert any("line 22 dropped: it looks cut off" in n and "exponent" in n for n in result.notes)


def test_a_varying_digit_last_value_without_a_newline_is_not_trusted():
    """``3.78406`` cut to ``3.7840`` in a column written with varying digits (``%g``: 3.72165,
    3.7457 …) looks like a number; in a file that ends without a newline it cannot show it is
    whole, so the row is left out with a note (found by benchmarks/fuzz_readers.py)."""
    volts = [3.72165, 3.7457, 3.76, 3.771, 3.78406]
    rows = "".join(f"{10 * k},1e-3,{v:g}\n" for k, v in enumerate(volts[:-1]))
    whole = f"40,1e-3,{volts[-1]:g}"
    for cut, kept in ((whole[:-1], 4), (whole, 4)):
        data = ("time (s),current (A),voltage (V)\n" + rows + cut).encode()
        result = parse_cycling(data, "cut.csv")
        assert len(result.table) == kept
        assert any("line 6 dropped: it looks cut off" in n for n in result.notes)
    complete = ("time (s),current (A),voltage (V)\n" + rows + whole + "\n").encode()
    assert len(parse_cycling(complete, "whole.csv").table) == 5


# --------------------------------------------------------------------------------------------
# Generated tables


@st.composite
def tables(draw):
    """A CSV/TSV table in a fixed number format, with or without a final line break."""
    n = draw(st.integers(4, 30))
    style = draw(st.sampled_from(["{:.4e}", "{:.6f}", "{:.3E}", "{:.8f}"]))
    delimiter = draw(st.sampled_from([",", "\t", ";"]))
    currents = draw(st.lists(st.integers(-9999, 9999), min_size=n, max_size=n))
    written = [style.format(i * 1e-7) for i in currents]
    lines = [delimiter.join(["time (s)", "voltage (V)", "current (A)"])]
    for k, cell in enumerate(written):
        lines.append(delimiter.join([f"{10 * k}", f"{3 + k * 1e-3:.4f}", cell]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    final = draw(st.booleans())
    text = newline.join(lines) + (newline if final else "")
    return text.encode(), np.asarray([float(cell) for cell in written])


@settings(max_examples=80, deadline=None)
@given(tables(), st.data())
def test_generated_tables_cut_anywhere_keep_only_true_values(table, data):
    raw, currents = table
    k = data.draw(st.integers(len(raw) // 2, len(raw)))
    result = read(raw[:k], "generated.csv")
    if result is None:
        return
    kept = result.table["current_A"].to_numpy()
    np.testing.assert_allclose(kept, currents[: kept.size], rtol=1e-9, atol=0)
    time = result.table["time_s"].to_numpy()
    np.testing.assert_array_equal(time, 10.0 * np.arange(time.size))
