"""The web app in a real browser: Debian's Chromium driven by pytest-playwright.

Three journeys through the pages, against a real uvicorn on loopback (``web_server``):

1. an impedance file: upload → fit → conductivity from thickness and diameter → CSV and JSON
   exports downloaded through their links, whose numbers are the ones on the page → reload,
   and the measurement is still listed;
2. the bundled LLZTO temperature series (``examples/eis/llzto_pellet_series``, 0.5 mm × 12 mm,
   −80…−40 °C) → the activation energy, equal to ``ssblab eis arrhenius --json`` on the same
   files to the printed precision;
3. a Li | LLZTO | Li critical-current staircase that shorts at 0.5 mA/cm² (written by
   :func:`ssblab.cycling.synthetic_symmetric.staircase_trace`) → the short verdict and the CCD.

Screenshots (saved under the test's tmp dir) are compared by structure, not pixels: each plot is
a rendered Plotly figure (``.plotly .main-svg`` inside its ``data-testid`` div) whose axis titles
are non-empty and carry units; the page logs no console error and raises no exception; and no
request leaves the server's origin (the app works offline: Plotly's JS is served by the app).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
EIS_FILE = ROOT / "examples" / "eis" / "zplot_measured.z"
SERIES = ROOT / "examples" / "eis" / "llzto_pellet_series"
SERIES_TEMPERATURES = {  # examples/eis/llzto_pellet_series/temperatures.csv
    f"llzto_m{t}C.txt": f"-{t} degC" for t in (80, 70, 60, 50, 40)
}
THICKNESS, DIAMETER = "0.5 mm", "12 mm"

NUMBER = re.compile(r"[-+−]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+−]?\d+)?")


# ------------------------------------------------------------------------------------ helpers


def numbers(text: str) -> list[str]:
    """The numbers in a text as printed (a Unicode minus read as '-')."""
    return [n.replace("−", "-") for n in NUMBER.findall(text)]


def same_as_printed(printed: str, value: float) -> bool:
    """``value`` rounded to the precision of ``printed`` is ``printed``."""
    mantissa, _, _ = printed.lower().partition("e")
    digits = len(mantissa.split(".")[1]) if "." in mantissa else 0
    if "e" in printed.lower():
        return math.isclose(float(f"{value:.{digits}e}"), float(printed), rel_tol=1e-12)
    return math.isclose(float(f"{value:.{digits}f}"), float(printed), abs_tol=1e-15)


def axis_titles(page: Page, testid: str) -> dict[str, str]:
    """The axis titles of the Plotly figure in ``data-testid=testid`` (xtitle, ytitle, y2title…)."""
    div = page.get_by_test_id(testid)
    expect(div.locator(".plotly .main-svg").first).to_be_attached()
    return div.locator("text[class$='title']").evaluate_all(
        "els => Object.fromEntries(els.filter(e => /^[xy]\\d*title$/.test(e.getAttribute('class')))"
        ".map(e => [e.getAttribute('class'), e.textContent.trim()]))"
    )


def assert_plot(page: Page, testid: str, shots: Path, *units: str) -> dict[str, str]:
    """A rendered Plotly figure with titled x and y axes that name ``units``; screenshot saved."""
    titles = axis_titles(page, testid)
    assert "xtitle" in titles and "ytitle" in titles, f"{testid}: axis titles {titles}"
    assert all(titles.values()), f"{testid}: an empty axis title in {titles}"
    joined = " ".join(titles.values())
    for unit in units:
        assert unit in joined, f"{testid}: no {unit!r} in the axis titles {titles}"
    shots.mkdir(parents=True, exist_ok=True)
    page.get_by_test_id(testid).screenshot(path=shots / f"{testid}.png")
    return titles


def upload(page: Page, files: list[Path]) -> dict[str, str]:
    """Upload files on the upload page; {file name: measurement id} from their rows."""
    page.goto("/")
    page.get_by_test_id("upload-input").set_input_files([str(f) for f in files])
    page.get_by_test_id("upload-button").click()
    ids: dict[str, str] = {}
    for f in files:
        row = page.get_by_test_id("measurement-row").filter(has_text=f.name)
        expect(row).to_have_count(1)
        href = row.locator("a[href*='/measurements/']").first.get_attribute("href")
        ids[f.name] = href.rstrip("/").rsplit("/", 1)[1]
    expect(page.get_by_test_id("upload-error")).to_have_count(0)
    return ids


def linked(page: Page, testid: str):
    """The response to a GET of the link ``testid``'s href, in the page's browser context."""
    response = page.request.get(page.get_by_test_id(testid).get_attribute("href"))
    assert response.ok, (testid, response.status, response.text()[:300])
    return response


def download(page: Page, testid: str, dest: Path) -> Path:
    with page.expect_download() as info:
        page.get_by_test_id(testid).click()
    path = dest / (info.value.suggested_filename or testid)
    info.value.save_as(path)
    return path


# ---------------------------------------------------------------------------------- scenarios


class Cli:
    """``ssblab … --json`` in a subprocess, started at once and read when needed."""

    def __init__(self, *args: str) -> None:
        self.args = args
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ssblab.cli", *args, "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def result(self):
        out, err = self.process.communicate(timeout=120)
        assert self.process.returncode == 0, (self.args, err[-2000:])
        return json.loads(out)


def table_rows(page: Page, testid: str) -> dict[str, list[str]]:
    """{first cell: the other cells} of each body row of the table ``testid``."""
    cells = (
        page.get_by_test_id(testid)
        .locator("tbody tr")
        .evaluate_all("rows => rows.map(r => Array.from(r.cells, c => c.textContent.trim()))")
    )
    return {row[0]: row[1:] for row in cells}


def plot_data(page: Page, testid: str) -> list[dict]:
    """The traces Plotly drew in ``data-testid=testid`` (x, y, customdata, name)."""
    return page.get_by_test_id(testid).evaluate(
        "el => (el.data || el.querySelector('.js-plotly-plot').data)"
        ".map(t => ({name: t.name, x: t.x, y: t.y, customdata: t.customdata || null}))"
    )


def test_upload_fit_conductivity_export_reload(page: Page, page_watch, tmp_path):
    # the −40 °C spectrum of the bundled LLZTO series, under a name of its own (bulk and grain
    # boundary resolved: both σ are printed)
    eis = tmp_path / "browser_pellet_m40C.txt"
    shutil.copy(SERIES / "llzto_m40C.txt", eis)
    circuit = "R0-p(R1,CPE1)-p(R2,CPE2)-CPE3"
    cli_fit = Cli("eis", "fit", str(eis), "--circuit", circuit, "--cell", "pellet")
    cli_sigma = Cli(
        "eis", "conductivity", str(eis), "--thickness", THICKNESS, "--diameter", DIAMETER,
        "--cell", "pellet",
    )  # fmt: skip
    shots = tmp_path / "screenshots"

    ids = upload(page, [eis])
    page.get_by_test_id("measurement-row").filter(has_text=eis.name).locator("a").first.click()
    page.wait_for_url(f"**/measurements/{ids[eis.name]}")
    assert_plot(page, "nyquist-plot", shots, "Ω")
    assert_plot(page, "bode-plot", shots, "Hz", "Ω")
    assert_plot(page, "drt-plot", shots, "s", "Ω")
    expect(page.get_by_test_id("kk-verdict")).to_contain_text(re.compile("pass|FAIL"))

    # fit with a typed circuit: the parameters are the CLI's, to the printed precision
    form = page.get_by_test_id("fit-form")
    form.locator("input[name='circuit']").fill(circuit)
    form.locator("select[name='cell']").select_option("pellet")
    page.get_by_test_id("fit-button").click()
    expect(page.get_by_test_id("fit-parameters")).to_contain_text("CPE3_1")
    expect(page.get_by_test_id("fit-warnings")).to_be_attached()
    shown = table_rows(page, "fit-parameters")
    (reference,) = cli_fit.result()
    assert set(shown) == set(reference["parameters"]), (shown, reference["parameters"])
    for name, (unit, value, stderr) in shown.items():
        assert unit == reference["units"][name], (name, unit)
        assert same_as_printed(numbers(value)[0], reference["parameters"][name]), (name, value)
        assert same_as_printed(numbers(stderr)[0], reference["stderr"][name]), (name, stderr)
    assert_plot(page, "nyquist-plot", shots, "Ω")  # redrawn with the fitted curve
    traces = plot_data(page, "nyquist-plot")
    assert any("fit" in (t["name"] or "") for t in traces), [t["name"] for t in traces]

    # conductivity from thickness and diameter: σ total and bulk are the CLI's
    form = page.get_by_test_id("conductivity-form")
    form.locator("input[name='thickness']").fill(THICKNESS)
    form.locator("input[name='diameter']").fill(DIAMETER)
    page.get_by_test_id("conductivity-button").click()
    expect(page.get_by_test_id("sigma-total")).to_contain_text("S/cm")
    expect(page.get_by_test_id("sigma-bulk")).to_contain_text("S/cm")
    (sigma,) = cli_sigma.result()
    for testid, key in (("sigma-total", "sigma_total"), ("sigma-bulk", "sigma_bulk")):
        text = page.get_by_test_id(testid).inner_text()
        assert "±" in text, text
        value, err = numbers(text)[:2]
        assert same_as_printed(value, sigma[f"{key}_S_m"] / 100), (text, sigma[f"{key}_S_m"])
        assert same_as_printed(err, sigma[f"{key}_err_S_m"] / 100), (text, sigma)
    page.screenshot(path=shots / "eis_page.png", full_page=True)

    # the exports, downloaded through their links, hold the data the plots show
    measured = next(t for t in plot_data(page, "nyquist-plot") if "measured" in (t["name"] or ""))
    document = json.loads(download(page, "export-json", tmp_path).read_text())
    assert document["name"] == eis.name and document["kind"] == "eis"
    assert document["sha256"] == hashlib.sha256(eis.read_bytes()).hexdigest()
    rows = list(csv.DictReader(io.StringIO(download(page, "export-csv", tmp_path).read_text())))
    columns = list(rows[0])
    assert columns == list(document["table"]), (columns, list(document["table"]))
    assert len(rows) == len(measured["x"]), (len(rows), len(measured["x"]))
    for column in columns:  # CSV and JSON: the same numbers
        try:
            from_csv = [float(r[column]) for r in rows]
        except ValueError:
            continue
        assert np.allclose(from_csv, document["table"][column], rtol=1e-15, equal_nan=True)
    re_col = _column(columns, r"z.*re|real")
    im_col = _column(columns, r"z.*im|imag")
    f_col = _column(columns, r"freq")
    z_re = np.array([float(r[re_col]) for r in rows])
    z_im = np.array([float(r[im_col]) for r in rows])
    freq = np.array([float(r[f_col]) for r in rows])
    assert np.allclose(measured["x"], z_re, rtol=1e-12), "Z′ of the plot ≠ the export"
    assert np.allclose(measured["y"], -z_im, rtol=1e-12), "−Z″ of the plot ≠ the export"
    assert np.allclose(measured["customdata"], freq, rtol=1e-12), "f of the plot ≠ the export"
    # the figures open in the browser (inline): fetched through the links' URLs
    png = linked(page, "export-png")
    assert png.headers["content-type"] == "image/png" and png.body().startswith(b"\x89PNG")
    svg = linked(page, "export-svg")
    assert svg.headers["content-type"].startswith("image/svg") and b"<svg" in svg.body()[:2000]
    bdf = list(csv.reader(io.StringIO(download(page, "export-bdf", tmp_path).read_text())))
    assert len(bdf) == len(rows) + 1, (len(bdf), len(rows))

    # a reload keeps the measurement: its page and its row on the upload page
    page.reload()
    assert_plot(page, "nyquist-plot", shots, "Ω")
    page.goto("/")
    expect(page.get_by_test_id("measurement-row").filter(has_text=eis.name)).to_have_count(1)
    page_watch.assert_clean()


def _column(columns: list[str], pattern: str) -> str:
    found = [c for c in columns if re.search(pattern, c, re.IGNORECASE)]
    assert len(found) >= 1, (pattern, columns)
    return found[0]


def test_temperature_series_activation_energy(page: Page, page_watch, tmp_path):
    files = sorted(SERIES.glob("llzto_m*C.txt"))
    cli = Cli(
        "eis", "arrhenius", *map(str, files), "--thickness", THICKNESS, "--diameter", DIAMETER,
        "--temperatures", str(SERIES / "temperatures.csv"),
    )  # fmt: skip
    ids = upload(page, files)
    page.goto("/arrhenius")
    form = page.get_by_test_id("arrhenius-form")
    for name, mid in ids.items():
        form.locator(f"input[name='measurement'][value='{mid}']").check()
        form.locator(f"input[name='temperature-{mid}']").fill(SERIES_TEMPERATURES[name])
    form.locator("input[name='thickness']").fill(THICKNESS)
    form.locator("input[name='diameter']").fill(DIAMETER)
    page.get_by_test_id("arrhenius-button").click()
    shown = page.get_by_test_id("activation-energy")
    expect(shown).to_contain_text("eV")
    text = shown.inner_text()
    assert "±" in text, text
    ea, ea_err = numbers(text)[:2]
    assert_plot(page, "arrhenius-plot", tmp_path / "screenshots", "K")
    page.screenshot(path=tmp_path / "screenshots" / "arrhenius_page.png", full_page=True)

    reference = cli.result()
    assert same_as_printed(ea, reference["activation_energy_eV"]), (text, reference)
    assert same_as_printed(ea_err, reference["activation_energy_err_eV"]), (text, reference)
    page_watch.assert_clean()


def test_cycling_short_and_ccd(page: Page, page_watch, tmp_path):
    from ssblab.cycling.synthetic_symmetric import staircase_trace

    area = np.pi * 6e-3**2  # 12 mm electrodes
    trace = staircase_trace(  # 0.05 … 1 mA/cm², 2 cycles per step, shorts at 0.5 mA/cm²
        current_densities_A_m2=[10 * j for j in (0.05, 0.1, 0.2, 0.3, 0.5, 1.0)],
        area_m2=area,
        step_h=0.5,
        cycles_per_step=2,
        asr_ohm_m2=50e-4,
        ccd_A_m2=5.0,
        noise_V=0.001,
    )
    path = tmp_path / "browser_llzto_ccd_staircase.csv"
    trace[["time_s", "voltage_V", "current_A"]].to_csv(path, index=False, float_format="%.6g")
    cli = Cli("cycle", "symmetric", str(path), "--diameter", DIAMETER)

    ids = upload(page, [path])
    page.get_by_test_id("measurement-row").filter(has_text=path.name).locator("a").first.click()
    page.wait_for_url(f"**/measurements/{ids[path.name]}")
    shots = tmp_path / "screenshots"
    assert_plot(page, "voltage-plot", shots, "V", "h")
    form = page.get_by_test_id("cycling-form")
    form.locator("input[name='diameter']").fill(DIAMETER)
    form.locator("select[name='cell_kind']").select_option("symmetric")
    page.get_by_test_id("cycling-button").click()
    verdict = page.get_by_test_id("short-verdict")
    expect(verdict).to_contain_text(re.compile("short circuit", re.IGNORECASE))
    ccd = page.get_by_test_id("ccd")
    expect(ccd).to_contain_text("mA/cm²")
    assert any(same_as_printed(n, 0.5) for n in numbers(ccd.inner_text())), ccd.inner_text()
    assert_plot(page, "asr-plot", shots, "Ω", "h")
    page.screenshot(path=shots / "cycling_page.png", full_page=True)

    reference = cli.result()
    assert reference["short"]["detected"], reference["short"]
    assert same_as_printed(numbers(verdict.inner_text())[0], reference["short"]["time_h"])
    assert same_as_printed(
        numbers(ccd.inner_text())[0], reference["critical_current"]["ccd_A_m2"] / 10
    )
    page_watch.assert_clean()
