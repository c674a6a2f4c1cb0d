"""``ssblab report SAMPLE --workspace DIR``: a sample's catalogue entry, stored measurements
(with their SHA-256) and analyses as ``ssblab query`` reports them, and the knowledge base's
records of the same family and dopant."""

from __future__ import annotations

import pytest

from ssblab.report import render_sample_report
from ssblab.workspace import Workspace
from tests.report.helpers import audit, cli_json, close, embedded, has_label, section_data
from tests.workspace.test_ingest import make_lab


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lab")
    samples = make_lab(folder)
    with Workspace.init(folder / "ws") as ws:
        ws.ingest(folder / "data", samples, workers=1)
        ws.analyse(kinds=["conductivity", "arrhenius", "symmetric", "full"], executor="serial")
        yield ws


def test_pellet_sample_report_is_the_query_numbers(workspace, tmp_path):
    out = tmp_path / "llzto1.html"
    printed = cli_json("report", "LLZTO-1", "--workspace", workspace.path, "-o", out)
    kinds = [s["kind"] for s in printed["sections"]]
    assert kinds == ["sample", "measurements", "conductivity", "arrhenius", "kb", "analyses"]
    assert all(s["status"] == "ok" for s in printed["sections"])
    html = out.read_text(encoding="utf-8")
    arrhenius = workspace.query("arrhenius").set_index("sample").loc["LLZTO-1"]
    (section,) = section_data(html, "arrhenius")
    stored = section["data"]["arrhenius"]["query"]
    assert close(stored["activation_energy_eV"], float(arrhenius["activation_energy_eV"]))
    assert f"{arrhenius['activation_energy_eV']:.4g}" in html
    conductivity = workspace.query("conductivity")
    expected = conductivity[conductivity["sample"] == "LLZTO-1"]["sigma_total_S_m"].tolist()
    (section,) = section_data(html, "conductivity")
    got = [r["sigma_total_S_m"] for r in section["data"]["conductivity"]]
    assert got == pytest.approx(expected, rel=1e-12)
    # beside them: the knowledge base's garnet (and Ta-doped garnet) records
    assert "family median σ, 15–40 °C (S/cm)" in html and "garnet doped with Ta" in html
    measurements = workspace.query("measurements")
    mine = measurements[measurements["sample"] == "LLZTO-1"]
    files = embedded(html)["files"]
    assert sorted(f["sha256"] for f in files) == sorted(mine["sha256"])
    assert embedded(html)["context"]["workspace"] == str(workspace.path)
    page = audit(html)
    assert page.problems == [] and page.tags["svg"] == 2  # stored spectra, Arrhenius
    assert has_label(page, "Z′ (kΩ)") and has_label(page, "1000/T (K")
    assert "thickness (mm)" in html and "Li6.4La3Zr1.4Ta0.6O12" in html


def test_symmetric_and_full_cell_samples(workspace):
    html = render_sample_report(workspace, "LLZTO-2")
    (section,) = section_data(html, "symmetric")
    row = workspace.query("ccd").set_index("sample").loc["LLZTO-2"]
    (got,) = section["data"]["ccd"]
    assert close(got["asr_initial_ohm_cm2"], float(row["asr_initial_ohm_cm2"]))
    assert got["ald_cycles"] == 20 and "ALD cycles (–)" in html
    page = audit(html)
    assert page.problems == [] and has_label(page, "ASR (Ω·cm²)")
    html = render_sample_report(workspace.path, "LLZTO-3")  # a folder works too
    (section,) = section_data(html, "full")
    row = workspace.query("retention").set_index("sample").loc["LLZTO-3"]
    assert close(section["data"]["retention"][0]["retention_percent"],
                 float(row["retention_percent"]))  # fmt: skip
    assert has_label(audit(html), "Discharge capacity (mAh)")
