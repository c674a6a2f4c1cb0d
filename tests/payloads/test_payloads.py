"""ssblab.payloads: pure functions on loaded data, the numbers the CLI prints."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ssblab.cli.eis_inputs import geometry_from
from ssblab.errors import SsblabInputError
from ssblab.io.cycling import read_cycling
from ssblab.io.eis import read_eis
from ssblab.payloads import cycling, eis

ROOT = Path(__file__).resolve().parents[2]
M60 = ROOT / "examples" / "eis" / "llzto_pellet_series" / "llzto_m60C.txt"
SYMMETRIC = ROOT / "examples" / "cycling" / "demo" / "llzto_bare_symmetric.csv"


def test_importing_the_payloads_loads_no_numerics():
    code = (
        "import sys, ssblab.payloads.eis, ssblab.payloads.cycling;"
        "print([m for m in ('numpy', 'scipy', 'pandas', 'matplotlib') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_fit_and_conductivity_payloads():
    spectra = read_eis(M60)
    (item,) = eis.fit_payload(spectra, "R0-p(R1,CPE1)-p(R2,CPE2)-CPE3")
    assert item["units"]["R1"] == "Ω" and "selection" not in item and "correlation" not in item
    (row,) = eis.conductivity_payload(spectra, geometry_from("0.5 mm", "12 mm", None))
    assert row["sigma_bulk_S_m"] == pytest.approx(2.303e-4, rel=1e-3)
    with pytest.raises(SsblabInputError, match="--weighting"):
        eis.fit_payload(spectra, weighting="bogus")


def test_progress_and_figure_callbacks_are_called():
    spectra = read_eis(ROOT / "examples" / "eis" / "biologic_peis_2loops.mpt")
    calls = []

    class Bar:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return None

        def advance(self, n=1):
            calls.append("advance")

    def progress(description, total):
        calls.append((description, total))
        return Bar()

    rows = eis.drt_payload(spectra, "gcv", progress=progress, figure=lambda s, r: f"fig{s.index}")
    assert calls == [("DRT", 2), "advance", "advance"]
    assert [r["figure"] for r in rows] == ["fig0", "fig1"]
    with pytest.raises(SsblabInputError, match="--lambda"):
        eis.parse_lambda("nan")


def test_symmetric_payload_and_options():
    data = read_cycling(SYMMETRIC)
    area = cycling.area_option(None, "12 mm")
    payload = cycling.symmetric_payload(data, SYMMETRIC.name, area)
    assert payload["file"] == SYMMETRIC.name and payload["short"]["detected"]
    with pytest.raises(SsblabInputError, match="not both"):
        cycling.area_option("1 cm^2", "12 mm")
    assert cycling.active_mass_g(None, "1.9 mg/cm^2", "1.13 cm^2") == pytest.approx(2.147e-3)
    assert cycling.nominal_option("180 mAh/g") == {"nominal_specific_capacity_mAh_g": 180.0}
