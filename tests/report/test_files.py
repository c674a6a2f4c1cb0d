"""``ssblab report FILES…``: the numbers are the CLI's ``--json`` numbers (to 1e-12), the page
refers to nothing outside itself, figures are inline SVG with labelled axes, provenance names
every raw file by SHA-256, and a file that cannot be analysed as asked becomes a section that
says why."""

from __future__ import annotations

import hashlib
import json
from html import escape

import pytest

from ssblab.impedance.interpretation import Geometry
from ssblab.report import build_report, render_report
from tests.report.helpers import (
    CYCLING,
    GEOMETRY,
    SERIES_FILES,
    SERIES_TEMPERATURES,
    audit,
    cli_json,
    close,
    embedded,
    has_label,
    section_data,
)


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    """The LLZTO temperature series through ``ssblab report`` (Nyquist figures only: the Bode
    plots of five spectra would double the time and are checked on one spectrum below)."""
    out = tmp_path_factory.mktemp("series") / "series.html"
    printed = cli_json("report", *SERIES_FILES, *GEOMETRY, "--temperatures", SERIES_TEMPERATURES,
                       "--figures", "nyquist", "-o", out)  # fmt: skip
    return printed, out.read_text(encoding="utf-8"), out


def test_series_arrhenius_and_sigma_are_the_cli_numbers(series):
    _, html, _ = series
    expected = cli_json("eis", "arrhenius", *SERIES_FILES, *GEOMETRY,
                        "--temperatures", SERIES_TEMPERATURES)  # fmt: skip
    (section,) = section_data(html, "arrhenius")
    got = section["data"]["arrhenius"]
    for key in ("activation_energy_eV", "activation_energy_err_eV", "sigma_extrapolated_S_m",
                "r_squared", "prefactor"):  # fmt: skip
        if key in expected:
            assert close(got[key], expected[key]), key
    assert got["temperature_K"] == pytest.approx(expected["temperature_K"], rel=1e-12)
    for mine, theirs in zip(got["points"], expected["points"], strict=True):
        assert mine["file"] == theirs["file"]
        assert close(mine["sigma_S_m"], theirs["sigma_S_m"])
        assert close(mine["sigma_err_S_m"], theirs["sigma_err_S_m"])
    # σ total of each spectrum section is the Arrhenius point, and the page shows E_a rounded
    sigma = [s["data"]["conductivity"]["sigma_total_S_m"] for s in section_data(html, "eis")]
    assert sigma == pytest.approx([p["sigma_S_m"] for p in expected["points"]], rel=1e-12)
    assert f"{expected['activation_energy_eV']:.4f}" in html
    assert expected["activation_energy_eV"] == pytest.approx(0.38, abs=0.05)  # truth.json


def test_series_is_self_contained_with_provenance(series):
    printed, html, out = series
    page = audit(html)
    assert page.problems == []
    assert page.tags.get("svg", 0) == 6  # five Nyquist plots and the Arrhenius plot
    for label in ("Z′ (kΩ)", "−Z″ (kΩ)", "1000/T (K", "T (°C)"):
        assert has_label(page, label), label
    data = embedded(html)
    for path, record in zip(SERIES_FILES, data["files"], strict=True):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert record["sha256"] == digest and digest in html
        assert record["size_bytes"] == path.stat().st_size and record["format"] == "chi"
        assert record["notes"] and escape(record["notes"][0]) in html  # the reader's note
    assert data["versions"]["ssblab"] and data["versions"]["numpy"] and data["versions"]["scipy"]
    assert "ssblab report" in data["command"] and "--temperatures" in data["command"]
    assert data["options"]["temperatures_K"][0] == pytest.approx(233.15)
    blob = out.read_bytes()
    assert printed["output"] == str(out) and printed["bytes"] == len(blob)
    assert printed["sha256"] == hashlib.sha256(blob).hexdigest()
    assert [s["kind"] for s in printed["sections"]] == ["eis"] * 5 + ["arrhenius"]
    assert printed["warnings"] == data["warnings"] and printed["warnings"]
    for warning in printed["warnings"]:  # every warning is on the page
        assert escape(warning.split(": ", 1)[1]) in html


def test_one_spectrum_matches_eis_fit_kk_drt_and_conductivity():
    path = SERIES_FILES[2]
    html = render_report([path], geometry=Geometry.disc(5e-4, 0.012), cell="pellet")
    (section,) = section_data(html, "eis")
    data = section["data"]
    (fit,) = cli_json("eis", "fit", path, "--cell", "pellet")
    for name, value in fit["parameters"].items():
        assert close(data["fit"]["parameters"][name], value), name
        assert close(data["fit"]["stderr"][name], fit["stderr"][name]), name
    assert data["fit"]["units"] == fit["units"] and data["fit"]["circuit"] == fit["circuit"]
    assert data["fit"]["warnings"] == fit["warnings"]
    (sigma,) = cli_json("eis", "conductivity", path, *GEOMETRY)
    for key in ("sigma_bulk_S_m", "sigma_bulk_err_S_m", "sigma_total_S_m",
                "sigma_total_err_S_m", "sigma_gb_specific_S_m"):  # fmt: skip
        assert close(data["conductivity"][key], sigma[key]), key
    (kk,) = cli_json("eis", "kk", path)
    assert data["kk"]["passed"] == kk["passed"] and close(data["kk"]["mu"], kk["mu"])
    (drt,) = cli_json("eis", "drt", path)
    assert [p["tau_s"] for p in data["drt"]["peaks"]] == pytest.approx(
        [p["tau_s"] for p in drt["peaks"]], rel=1e-12
    )
    page = audit(html)
    assert page.problems == [] and page.tags["svg"] == 4  # Nyquist, Bode, residuals, DRT
    for label in ("Z′ (kΩ)", "|Z| (Ω)", "Frequency (Hz)", "Residual (%)", "τ (s)", "γ (Ω)"):
        assert has_label(page, label), label
    assert "σ total (S/cm)" in html and f"{sigma['sigma_total_S_m'] / 100:.4g}" in html


def test_cycling_report_matches_cycle_symmetric_and_full(tmp_path):
    sym = CYCLING / "demo" / "llzto_bare_symmetric.csv"
    full = CYCLING / "demo" / "nmc811_bare_full.csv"
    out = tmp_path / "cycling.html"
    printed = cli_json("report", sym, full, "--diameter", "12 mm", "--mass", "2.147 mg", "-o", out)
    assert [s["kind"] for s in printed["sections"]] == ["symmetric", "full"]
    html = out.read_text(encoding="utf-8")
    expected = cli_json("cycle", "symmetric", sym, "--diameter", "12 mm")
    got = section_data(html, "symmetric")[0]["data"]["symmetric"]
    for key in ("asr_initial_ohm_cm2", "asr_drift_ohm_cm2_per_h", "lifetime_h", "area_m2"):
        assert close(got[key], expected[key]), key
    assert got["short"] == expected["short"] and got["short_circuit"] is True
    assert got["critical_current"] == expected["critical_current"]
    assert [h["asr_ohm_cm2"] for h in got["half_cycles"]] == pytest.approx(
        [h["asr_ohm_cm2"] for h in expected["half_cycles"]], rel=1e-12
    )
    expected = cli_json("cycle", "full", full, "--mass", "2.147 mg")
    got = section_data(html, "full")[0]["data"]["full"]
    assert close(got["retention_percent"], expected["retention_percent"])
    assert [c["discharge_mAh"] for c in got["cycles"]] == pytest.approx(
        [c["discharge_mAh"] for c in expected["cycles"]], rel=1e-12
    )
    assert close(got["fade_model"]["eol_cycle"], expected["fade_model"]["eol_cycle"])
    assert "short circuit at 60.00 h" in " ".join(printed["warnings"])
    page = audit(html)
    assert page.problems == [] and page.tags["svg"] >= 4
    for label in ("Time (h)", "Voltage (V)", "ASR = η/J (Ω cm²)", "Discharge capacity (mAh g⁻¹)"):
        assert has_label(page, label), label
    assert "ASR at start (Ω·cm²)" in html and "capacity retention (%)" in html


def test_a_file_that_cannot_be_analysed_as_asked_is_a_section_saying_why(tmp_path):
    """A full cell's file handed as a symmetric cell with a pellet geometry, and the same file
    without an electrode area: both reported, each with the refusal of the analysis."""
    cell = CYCLING / "table_seconds_mA.csv"
    out = tmp_path / "r.html"
    printed = cli_json("report", cell, *GEOMETRY, "--cell", "symmetric", "--figures", "none",
                       "-o", out)  # fmt: skip
    (section,) = printed["sections"]
    assert section["status"] == "not analysed" and "Li | Li" in section["reason"]
    assert section["reason"] in out.read_text(encoding="utf-8")
    report = build_report([cell], cell="symmetric", figures="none")
    (section,) = report.sections
    assert section.status == "not analysed" and "--area" in section.reason
    # one EIS spectrum and no geometry: the fit is there, σ says why it is missing
    report = build_report([SERIES_FILES[0], cell], figures="none")
    assert [s.kind for s in report.sections] == ["eis", "full"]
    assert "no sample geometry given: σ and ASR not computed" in report.sections[0].notes


def test_the_data_block_cannot_end_early():
    report = build_report([CYCLING / "table_seconds_mA.csv"], figures="none",
                          title="</script><script>alert(1)</script>")  # fmt: skip
    from ssblab.report.html import render_html

    html = render_html(report)
    assert audit(html).problems == []
    assert embedded(html)["title"] == "</script><script>alert(1)</script>"
    assert json.dumps(embedded(html)["files"][0]["sha256"])
