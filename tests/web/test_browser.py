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


def find_values(obj, key_pattern: str) -> list[tuple[str, float]]:
    """Every numeric value in a JSON document whose key matches ``key_pattern``."""
    pattern = re.compile(key_pattern, re.IGNORECASE)
    found: list[tuple[str, float]] = []

    def walk(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    if pattern.search(str(key)):
                        found.append((f"{path}.{key}", float(value)))
                else:
                    walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}[{i}]")

    walk(obj, "$")
    return found


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


def download(page: Page, testid: str, dest: Path) -> Path:
    with page.expect_download() as info:
        page.get_by_test_id(testid).click()
    path = dest / (info.value.suggested_filename or testid)
    info.value.save_as(path)
    return path


# ---------------------------------------------------------------------------------- scenarios


def test_upload_fit_conductivity_export_reload(page: Page, page_watch, tmp_path):
    eis = tmp_path / f"browser_pellet{EIS_FILE.suffix}"
    shutil.copy(EIS_FILE, eis)
    shots = tmp_path / "screenshots"

    ids = upload(page, [eis])
    page.get_by_test_id("measurement-row").filter(has_text=eis.name).locator("a").first.click()
    page.wait_for_url(f"**/measurements/{ids[eis.name]}")
    assert_plot(page, "nyquist-plot", shots, "Ω")
    assert_plot(page, "bode-plot", shots, "Hz")
    assert_plot(page, "drt-plot", shots)

    form = page.get_by_test_id("fit-form")
    form.locator("input[name='circuit']").fill("R0-p(R1,C1)-p(R2,C2)")
    form.locator("select[name='cell']").select_option("pellet")
    page.get_by_test_id("fit-button").click()
    parameters = page.get_by_test_id("fit-parameters")
    expect(parameters).to_contain_text("R1")
    expect(page.get_by_test_id("kk-verdict")).not_to_be_empty()

    form = page.get_by_test_id("conductivity-form")
    form.locator("input[name='thickness']").fill(THICKNESS)
    form.locator("input[name='diameter']").fill(DIAMETER)
    page.get_by_test_id("conductivity-button").click()
    expect(page.get_by_test_id("sigma-total")).to_contain_text("S/cm")
    expect(page.get_by_test_id("sigma-bulk")).to_contain_text("S/cm")
    sigma_total = numbers(page.get_by_test_id("sigma-total").inner_text())[0]
    sigma_bulk = numbers(page.get_by_test_id("sigma-bulk").inner_text())[0]
    page.screenshot(path=shots / "eis_page.png", full_page=True)

    # the exports hold the numbers the page shows (SI inside: S/m = 100 × S/cm)
    exported = download(page, "export-json", tmp_path)
    document = json.loads(exported.read_text())
    for shown, key in ((sigma_total, r"sigma_total"), (sigma_bulk, r"sigma_bulk")):
        values = find_values(document, key)
        assert values, f"no {key} in the JSON export"
        assert any(
            same_as_printed(shown, v / 100.0 if path.lower().endswith("_m") else v)
            for path, v in values
        ), (shown, values)
    table = download(page, "export-csv", tmp_path).read_text()
    rows = list(csv.reader(io.StringIO(table)))
    assert len(rows) > 1, table[:500]
    fitted = {p: v for p, v in find_values(document, r"^R\d+$")}
    assert fitted, "no fitted resistance in the JSON export"
    text = parameters.inner_text()
    for path, value in fitted.items():
        name = path.rsplit(".", 1)[1]
        line = next((ln for ln in text.splitlines() if ln.split()[:1] == [name]), None)
        if line is None:
            continue
        assert any(same_as_printed(n, value) for n in numbers(line)[1:]), (line, value)
        csv_values = [float(c) for r in rows for c in r if _is_float(c)]
        assert any(math.isclose(value, c, rel_tol=1e-9) for c in csv_values), (name, value)

    page.reload()
    page.goto("/")
    expect(page.get_by_test_id("measurement-row").filter(has_text=eis.name)).to_have_count(1)
    page_watch.assert_clean()


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_temperature_series_activation_energy(page: Page, page_watch, tmp_path):
    files = sorted(SERIES.glob("llzto_m*C.txt"))
    cli = subprocess.Popen(  # the CLI's numbers, computed while the browser works
        [
            sys.executable,
            "-m",
            "ssblab.cli",
            "eis",
            "arrhenius",
            *map(str, files),
            "--thickness",
            THICKNESS,
            "--diameter",
            DIAMETER,
            "--temperatures",
            str(SERIES / "temperatures.csv"),
            "--json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
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

    out, _ = cli.communicate(timeout=60)
    assert cli.returncode == 0
    reference = json.loads(out)
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

    ids = upload(page, [path])
    page.get_by_test_id("measurement-row").filter(has_text=path.name).locator("a").first.click()
    page.wait_for_url(f"**/measurements/{ids[path.name]}")
    form = page.get_by_test_id("cycling-form")
    form.locator("input[name='diameter']").fill(DIAMETER)
    form.locator("select[name='cell_kind']").select_option("symmetric")
    page.get_by_test_id("cycling-button").click()
    verdict = page.get_by_test_id("short-verdict")
    expect(verdict).to_contain_text(re.compile("short", re.IGNORECASE))
    ccd = page.get_by_test_id("ccd")
    expect(ccd).to_contain_text("mA/cm²")
    assert any(same_as_printed(n, 0.5) for n in numbers(ccd.inner_text())), ccd.inner_text()
    shots = tmp_path / "screenshots"
    assert_plot(page, "voltage-plot", shots, "V", "h")
    assert_plot(page, "asr-plot", shots, "Ω", "h")
    page.screenshot(path=shots / "cycling_page.png", full_page=True)
    page_watch.assert_clean()
