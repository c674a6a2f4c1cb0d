"""Neware ``.nda``/``.ndax``: test time against NewareNDA, damaged and cut files, quiet stderr.

Ground truth: NewareNDA's own ``Time`` (within each step) and ``Timestamp`` columns for every
real file in ``../shared/real-data/cycling/neware-nda``; constructed frames with a known time
axis; the real files cut and damaged byte by byte.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ssblab.errors import FileFormatError
from ssblab.io.cycling import parse_cycling, read_cycling
from ssblab.io.cycling._steps import stitch_step_time
from ssblab.io.cycling.neware import nda_frame_data

REPO = Path(__file__).resolve().parents[2]
REAL = REPO.parent / "shared" / "real-data" / "cycling" / "neware-nda"
BUNDLED = REPO / "tests" / "data" / "cycling"
NAMES = ["neware_new_nda_file.nda", "neware_unit27_example.ndax"]


def real_files() -> list[Path]:
    found = sorted(REAL.glob("*.nda*")) if REAL.is_dir() else []
    return found or [BUNDLED / n for n in NAMES if (BUNDLED / n).is_file()]


def newarenda_frame(path: Path) -> pd.DataFrame:
    import NewareNDA

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return NewareNDA.read(str(path), log_level="CRITICAL")


# --------------------------------------------------------------------------------------------
# Test time


@pytest.mark.parametrize("path", real_files(), ids=lambda p: p.name)
def test_time_agrees_with_newarenda_on_every_real_file(path, capfd):
    frame = newarenda_frame(path)
    capfd.readouterr()
    data = read_cycling(path)
    assert capfd.readouterr().err == ""  # NewareNDA's log and warnings became notes
    time = data.table["time_s"].to_numpy()
    assert len(time) == len(frame)
    own = frame["Time"].to_numpy(dtype=float)
    same_step = np.diff(frame["Step"].to_numpy()) == 0
    # within a step our clock runs exactly as NewareNDA's Time
    np.testing.assert_allclose(np.diff(time)[same_step], np.diff(own)[same_step], atol=1e-6)
    # across the whole test it agrees with the record timestamps (1 s resolution)
    stamps = pd.to_datetime(frame["Timestamp"])
    elapsed = (stamps - stamps.iloc[0]).dt.total_seconds().to_numpy()
    assert np.max(np.abs(time - time[0] - elapsed)) <= 1.0 + 1e-3 * elapsed[-1]
    assert not any("differ by up to" in note for note in data.notes)


def test_the_new_nda_file_is_stitched_at_its_five_restarts():
    path = next((p for p in real_files() if p.suffix == ".nda"), None)
    if path is None:
        pytest.skip("no .nda file")
    data = read_cycling(path)
    assert any("'Time' restarts at 5 of 5 step changes" in note for note in data.notes)
    assert data.table["time_s"].iloc[-1] == pytest.approx(721.6, abs=1e-3)  # 11:16:50 → 11:28:52


def test_a_cumulative_time_is_used_as_it_is():
    """A file whose Time is already the test time (the '6× too long' case): no stitching."""
    steps = np.repeat([1, 2, 3, 4, 5, 6], 10)
    cumulative = np.arange(60, dtype=float) * 10.0  # 0 … 590 s, never restarting
    start = pd.Timestamp("2024-01-01 12:00:00")
    frame = pd.DataFrame(
        {
            "Index": np.arange(1, 61),
            "Cycle": np.repeat([1, 1, 1, 2, 2, 2], 10),
            "Step": steps,
            "Status": np.tile(["CC_Chg"] * 10 + ["Rest"] * 10 + ["CC_DChg"] * 10, 2),
            "Time": cumulative.astype(np.float32),
            "Voltage": np.full(60, 3.7, dtype=np.float32),
            "Current(mA)": np.tile([0.5] * 10 + [0.0] * 10 + [-0.5] * 10, 2).astype(np.float32),
            "Timestamp": start + pd.to_timedelta(cumulative, unit="s"),
        }
    )
    data = nda_frame_data(frame, {}, "cumulative.nda")
    np.testing.assert_array_equal(data.table["time_s"].to_numpy(), cumulative)
    assert any("does not restart at any of the 5 step changes" in n for n in data.notes)
    # the same records with a clock that restarts when a step begins (at the previous step's
    # last record) are stitched to the same test time
    previous_end = np.repeat(np.concatenate([[0.0], cumulative[9:-1:10]]), 10)
    frame["Time"] = (cumulative - previous_end).astype(np.float32)
    per_step = nda_frame_data(frame, {}, "per_step.nda")
    assert any("restarts at 5 of 5 step changes" in n for n in per_step.notes)
    np.testing.assert_allclose(per_step.table["time_s"].to_numpy(), cumulative, atol=1e-9)


def test_stitching_only_where_the_clock_restarts():
    step = np.array([1, 1, 2, 2, 3, 3, 4, 4])
    mixed = np.array([0, 10, 0, 5, 5, 8, 0, 2.0])  # restarts at steps 2 and 4, runs on into 3
    total, notes = stitch_step_time(mixed, step, "t")
    np.testing.assert_array_equal(total, [0, 10, 10, 15, 15, 18, 18, 20])
    assert "restarts at 2 of 3 step changes" in notes[0]
    assert "cumulative across the other 1" in notes[0]
    # a step shorter than the next step's first reading: only the timestamps tell
    ambiguous = np.array([0, 5, 8, 12.0])  # step 2 began at 5 s and was read first 8 s in
    step2 = np.array([1, 1, 2, 2])
    stamps = np.array([0, 5, 13, 17.0])
    total, notes = stitch_step_time(ambiguous, step2, "t", stamps)
    np.testing.assert_array_equal(total, [0, 5, 13, 17])
    assert "1 of them shown by the record timestamps" in notes[0]
    total, notes = stitch_step_time(ambiguous, step2, "t")  # without them: cumulative
    np.testing.assert_array_equal(total, ambiguous)


def test_a_test_time_far_from_the_timestamps_is_noted():
    step = np.repeat([1, 2], 5)
    t = np.tile(np.arange(5) * 100.0, 2)
    stamps = np.concatenate([np.arange(5) * 100.0, 3600 + np.arange(5) * 100.0])  # a pause
    _, notes = stitch_step_time(t, step, "Time", stamps)
    assert any("differ by up to -3200 s" in n and "kept" in n for n in notes)


# --------------------------------------------------------------------------------------------
# Truncated .nda and damaged .ndax


def _nda() -> Path:
    path = next((p for p in real_files() if p.suffix == ".nda"), None)
    if path is None:
        pytest.skip("no .nda file")
    return path


def test_truncated_nda_is_detected_at_every_cut(capfd):
    path = _nda()
    data = path.read_bytes()
    full = read_cycling(path).table
    cuts = sorted({*range(0, 2048, 97), *np.linspace(85000, len(data) - 1, 40).astype(int)})
    outcomes = {"error": 0, "noted": 0}
    for k in cuts:
        try:
            result = parse_cycling(data[:k], "cut.nda")
        except FileFormatError as exc:
            message = str(exc)
            assert message.startswith("cut.nda: ") and "\n" not in message
            outcomes["error"] += 1
            continue
        assert any(n.startswith("truncated .nda:") for n in result.notes), k
        rows = len(result.table)
        for column in ("time_s", "voltage_V", "current_A"):
            np.testing.assert_array_equal(
                result.table[column].to_numpy(), full[column].to_numpy()[:rows]
            )
        outcomes["noted"] += 1
    assert outcomes["noted"] > 20 and outcomes["error"] > 5
    assert capfd.readouterr().err == ""


def test_the_whole_nda_has_no_truncation_note():
    assert not any("truncated" in n for n in read_cycling(_nda()).notes)


def _ndax() -> Path:
    path = next((p for p in real_files() if p.suffix == ".ndax"), None)
    if path is None:
        pytest.skip("no .ndax file")
    return path


def test_damaged_ndax_says_so_in_one_line(capfd):
    data = _ndax().read_bytes()
    for k in range(0, len(data), 37):
        with pytest.raises(FileFormatError) as info:
            parse_cycling(data[:k], "unit27.ndax")
        message = str(info.value)
        assert message.startswith("unit27.ndax: ") and "\n" not in message
        if k > 4:
            assert "damaged .ndax archive" in message, (k, message)
    flipped = 0
    for k in range(30, len(data), 41):
        mutant = bytearray(data)
        mutant[k] ^= 0xFF
        try:
            parse_cycling(bytes(mutant), "unit27.ndax")
        except FileFormatError as exc:
            assert str(exc).startswith("unit27.ndax: ") and "\n" not in str(exc)
            flipped += "damaged .ndax archive" in str(exc)
    assert flipped > 10
    assert capfd.readouterr().err == ""
