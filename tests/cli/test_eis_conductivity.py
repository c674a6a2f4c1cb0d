"""``ssblab eis conductivity`` on every bundled example and every real spectrum: σ within the
stated tolerance of the known truth, or a refusal (exit 2, one line naming the file and
spectrum) — never an absurd number with exit 0."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ssblab.cli.main import run

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "eis"
SERIES = EXAMPLES / "llzto_pellet_series"
REAL = ROOT.parent / "shared" / "real-data" / "eis"
GEOMETRY = ["--thickness", "0.5 mm", "--diameter", "12 mm"]
CELL_CONSTANT = 0.5e-3 / (np.pi * 0.012**2 / 4)  # L/A, 1/m
SPECTRUM_FILES = [
    p
    for p in sorted(EXAMPLES.iterdir())
    if p.is_file() and not p.name.startswith(".") and p.suffix not in (".json", ".md", ".py")
]


def call(capsys, *argv):
    code = run([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def arc_above_the_window(folder: Path) -> Path:
    """R0-p(R1,C1) (R0 20 Ω, R1 500 Ω, C1 1 nF: a grain-boundary arc at 318 kHz) measured from
    10 kHz to 100 Hz only: neither the intercept nor the arc is measured, nothing is resolved."""
    f = np.logspace(4, 2, 21)
    z = 20 + 500 / (1 + 2j * np.pi * f * 500 * 1e-9)
    path = folder / "arc_above_the_window.csv"
    rows = [f"{fi:.6e},{zi.real:.6e},{-zi.imag:.6e}" for fi, zi in zip(f, z, strict=True)]
    path.write_text("freq/Hz,Re(Z)/Ohm,-Im(Z)/Ohm\n" + "\n".join(rows) + "\n")
    return path


def assert_refusal(code, err, path: Path):
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert path.name in lines[0] and "#" in lines[0]  # the file and the spectrum
    assert "not resolved" in lines[0]


def test_the_reported_bug_gives_sigma_total_and_no_bulk(capsys):
    """Issue 9: σ_bulk ≈ 4.5e302 S/cm with exit 0. The file is R0-RC-RC with R0 = 20 Ω, whose
    highest-frequency point (1 MHz) is still 152 Ω from R0: the intercept is not measured, so
    σ_bulk is not resolved; R0 + R1 = 520 Ω is measured where the grain-boundary arc meets the
    real axis, so σ_total is."""
    path = EXAMPLES / "chi_ac_impedance.txt"
    code, out, err = call(capsys, "eis", "conductivity", path, *GEOMETRY, "--json")
    assert code == 0 and err == ""
    (row,) = json.loads(out)
    assert row["sigma_bulk_S_m"] is None
    assert "intercept R0 = 20 Ω is not reached by the data" in row["bulk_reason"]
    assert row["sigma_total_S_m"] == pytest.approx(CELL_CONSTANT / 520.0, rel=0.01)


def test_nothing_resolved_is_a_refusal(capsys, tmp_path):
    path = arc_above_the_window(tmp_path)
    code, out, err = call(capsys, "eis", "conductivity", path, *GEOMETRY)
    assert_refusal(code, err, path)
    assert out == ""


@pytest.mark.parametrize("path", SPECTRUM_FILES, ids=lambda p: p.name)
def test_every_bundled_example_gives_the_truth_or_refuses(capsys, path):
    truth = json.loads((EXAMPLES / "circuit.json").read_text())["parameters"]
    code, out, err = call(capsys, "eis", "conductivity", path, *GEOMETRY, "--json")
    if code == 2:
        assert_refusal(code, err, path)
        return
    assert code == 0 and err == ""
    for row in json.loads(out):
        # R0 is the intercept, R1 (C* 4.4e-11 F/cm) a grain-boundary arc
        if row["sigma_bulk_S_m"] is not None:
            assert row["sigma_bulk_S_m"] == pytest.approx(CELL_CONSTANT / truth["R0_ohm"], rel=0.05)
        if row["sigma_total_S_m"] is not None:
            r_total = truth["R0_ohm"] + truth["R1_ohm"]
            assert row["sigma_total_S_m"] == pytest.approx(CELL_CONSTANT / r_total, rel=0.05)


def test_the_bundled_series_gives_its_truth(capsys):
    truth = {e["file"]: e for e in json.loads((SERIES / "truth.json").read_text())["spectra"]}
    files = sorted(SERIES.glob("llzto_*.txt"))
    code, out, err = call(capsys, "eis", "conductivity", *files, *GEOMETRY, "--json")
    assert code == 0 and err == ""
    rows = json.loads(out)
    assert len(rows) == len(files)
    for row in rows:
        expected = truth[row["file"]]
        assert row["circuit"] == expected["circuit"]
        assert row["sigma_bulk_S_m"] == pytest.approx(expected["sigma_bulk_S_m"], rel=0.01)
        assert row["sigma_total_S_m"] == pytest.approx(expected["sigma_total_S_m"], rel=0.01)
        assert row["selection"]["runner_up"] and row["selection"]["delta_bic"] > 2


def real_files():
    if not REAL.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason="../shared/real-data is absent"))]
    return [p for p in sorted(REAL.rglob("*")) if p.is_file() and p.suffix != ".ism"]


@pytest.mark.parametrize("path", real_files(), ids=lambda p: p.name if p else "absent")
def test_real_spectra_give_a_bounded_sigma_or_refuse(capsys, path):
    """No truth is known: every σ reported must be consistent with the data — a resistance
    between 0.8× the smallest and the largest measured Z', finite, with a relative error
    ≤ 25 % — or the spectrum is refused naming it."""
    from ssblab.io.eis import read_eis

    code, out, err = call(capsys, "eis", "conductivity", path, "--thickness", "1 mm",
                          "--diameter", "10 mm", "--json")  # fmt: skip
    if code == 2:
        assert_refusal(code, err, path)
        return
    assert code == 0 and err == "", err
    cell = 1e-3 / (np.pi * 0.01**2 / 4)
    spectra = {s.index: s for s in read_eis(path)}
    for row in json.loads(out):
        z = spectra[row["spectrum"]].impedance_ohm
        for key in ("sigma_bulk", "sigma_total"):
            sigma, error = row[f"{key}_S_m"], row[f"{key}_err_S_m"]
            if sigma is None:
                assert row[f"{key.split('_')[1]}_reason"]
                continue
            resistance = cell / sigma
            assert 0.8 * z.real.min() <= resistance <= z.real.max()
            assert error / sigma <= 0.25 + 1e-9


def test_refusal_comes_before_fitting_the_remaining_spectra(capsys, monkeypatch, tmp_path):
    import ssblab.payloads.eis as payloads  # the CLI's fits run there (shared with the web)

    calls = []
    original = payloads.fit_spectrum
    monkeypatch.setattr(payloads, "fit_spectrum", lambda *a: calls.append(1) or original(*a))
    path = arc_above_the_window(tmp_path)
    later = EXAMPLES / "biologic_peis_2loops.mpt"
    code, _, err = call(capsys, "eis", "conductivity", path, later, *GEOMETRY)
    assert_refusal(code, err, path)
    assert len(calls) == 1
