"""``ssblab micro build|dc|eis|risk``: --json keys and numbers, rich output, the files written
(VTK read back with meshio, PNGs, a spectrum CSV that ``ssblab eis fit`` analyses), σ = 0 as a
result when a carrier does not percolate, bad input exits 2 with one line."""

from __future__ import annotations

import json

import meshio
import numpy as np
import pytest
from matplotlib.image import imread

from ssblab.cli.main import run

SMALL_2D = ("--dim", "2", "--grains", "150")
SMALL_3D = ("--dim", "3", "--grains", "150")


def call(capsys, *argv):
    code = run([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def call_json(capsys, *argv):
    code, out, err = call(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def test_build_2d_json_vtk_and_plot(capsys, tmp_path):
    vtk, png = tmp_path / "cells.vtu", tmp_path / "cells.png"
    data = call_json(capsys, "micro", "build", *SMALL_2D, "--vtk", vtk, "--plot", png)
    s = data["structure"]
    assert s["dimension"] == 2
    assert s["mean_grain_size_m"] == pytest.approx(5e-6)
    assert s["relative_density"] == pytest.approx(0.95, abs=0.02)
    assert data["vtk"]["path"] == str(vtk) and "polygons" in data["vtk"]["content"]
    mesh = meshio.read(vtk)
    grain_id = np.concatenate(mesh.cell_data["grain_id"])
    assert grain_id.size == s["grains"] + s["pores"]
    assert np.sum(grain_id >= 0) == s["grains"]
    area = np.concatenate(mesh.cell_data["area_m2"]).sum()
    assert area == pytest.approx(np.prod(s["box_m"]), rel=1e-9)
    assert imread(png).shape[0] > 100


def test_build_3d_rich_output_and_vtk_faces(capsys, tmp_path):
    vtk = tmp_path / "sites.vtk"
    code, out, err = call(
        capsys, "micro", "build", *SMALL_3D, "--aspect", "2,1,1", "--vtk", vtk,
        "--plot", tmp_path / "section.png",
    )  # fmt: skip
    assert code == 0, err
    assert "mean grain size, equivalent diameter (µm)" in out
    assert "box (µm)" in out and "triple lines" in out
    assert f"wrote {vtk}" in out
    mesh = meshio.read(vtk)
    kind = np.concatenate([np.asarray(k).ravel() for k in mesh.cell_data["kind"]])
    assert np.sum(kind == 2) > 100 and np.sum(kind == 0) > 300 and np.sum(kind == 1) > 300
    assert {block.type for block in mesh.cells} == {"polygon", "line", "vertex"}
    assert (tmp_path / "section.png").stat().st_size > 1000


def test_dc_json_numbers(capsys):
    data = call_json(capsys, "micro", "dc", *SMALL_3D, "--material", "llzto-bare")
    ion, electron = data["ion"], data["electron"]
    assert data["temperature_k"] == pytest.approx(298.15)
    # a polycrystal with 5 % pores conducts less than its grains (4.6e-2 S/m)
    assert 0.5 * 4.6e-2 < ion["sigma_eff_s_per_m"] < 4.6e-2
    assert ion["sigma_eff_s_per_cm"] == pytest.approx(ion["sigma_eff_s_per_m"] / 100)
    assert electron["sigma_eff_s_per_m"] > 0
    for item in (ion, electron):
        assert item["percolates"] is True
        assert sum(item["phase_shares"].values()) == pytest.approx(1.0, rel=1e-6)
        assert 0 < item["gb_share"] < 1
        assert item["contact_current_density_cv"] > 0
        assert (
            item["contact_current_density_max_over_mean"]
            >= item["contact_current_density_p99_over_mean"]
        )
        assert item["ratio_to_brick_layer"] == pytest.approx(
            item["sigma_eff_s_per_m"] / item["brick_layer_s_per_m"]
        )
    # thin GBs 15x less conducting than the grains: a small share of the ionic resistance
    assert ion["gb_share"] < 0.05
    assert data["network"]["nodes"] > 150


def test_dc_annealed_vs_bare_follows_the_gb_conductivities(capsys):
    """Li-Al-O GBs conduct ions (1e-4 S/m) and electrons (1e-12 S/m) less than clean LLZO GBs
    (3e-3, 1e-3 S/m): both effective conductivities must drop, the ionic one only a little."""
    bare = call_json(capsys, "micro", "dc", *SMALL_2D, "--material", "llzto-bare")
    annealed = call_json(capsys, "micro", "dc", *SMALL_2D, "--material", "llzto-annealed")
    assert bare["structure"] == annealed["structure"]
    s_bare, s_ann = bare["ion"]["sigma_eff_s_per_m"], annealed["ion"]["sigma_eff_s_per_m"]
    assert 0.5 * s_bare < s_ann < s_bare
    assert annealed["ion"]["gb_share"] > bare["ion"]["gb_share"]
    assert annealed["electron"]["sigma_eff_s_per_m"] < 0.1 * bare["electron"]["sigma_eff_s_per_m"]


def test_dc_rich_output(capsys):
    code, out, err = call(capsys, "micro", "dc", *SMALL_2D, "--temperature", "60 degC")
    assert code == 0, err
    for text in ("σ_eff (S/cm)", "σ_eff (S/m)", "GB share", "brick layer", "p99/mean", "60 °C"):
        assert text in out


def test_dc_not_percolating_is_a_result(capsys):
    code, out, err = call(capsys, "micro", "dc", *SMALL_2D, "--density", "0.3")
    assert code == 0, err
    assert "σ_ion = 0: no conducting path" in out
    data = call_json(capsys, "micro", "dc", *SMALL_2D, "--density", "0.3")
    assert data["ion"]["sigma_eff_s_per_m"] == 0
    assert data["ion"]["percolates"] is False and "percolate" in data["ion"]["reason"]
    assert data["ion"]["ratio_to_brick_layer"] == 0
    assert data["ion"]["brick_layer_s_per_m"] > 0


def test_eis_csv_is_read_by_eis_fit(capsys, tmp_path):
    csv, png = tmp_path / "spectrum.csv", tmp_path / "nyquist.png"
    data = call_json(
        capsys, "micro", "eis", "--dim", "2", "--grains", "100", "--points", "21",
        "--output", csv, "--plot", png,
    )  # fmt: skip
    assert len(data["frequency_hz"]) == 21
    assert data["frequency_hz"][0] == pytest.approx(1e9)
    assert data["frequency_hz"][-1] == pytest.approx(1.0)
    # at 1 Hz the spectrum is the DC resistance
    assert data["z_real_ohm"][-1] == pytest.approx(data["r_dc_ohm"], rel=1e-4)
    assert data["depth_m"] == 1.0
    assert csv.read_text().splitlines()[0] == "frequency_hz,z_real_ohm,z_imag_ohm"
    assert imread(png).shape[0] > 100
    from ssblab.io.eis import read_eis

    (spectrum,) = read_eis(csv)
    np.testing.assert_allclose(spectrum.frequency_hz, data["frequency_hz"], rtol=1e-9)
    np.testing.assert_allclose(spectrum.impedance_ohm.real, data["z_real_ohm"], rtol=1e-9)
    np.testing.assert_allclose(spectrum.impedance_ohm.imag, data["z_imag_ohm"], rtol=1e-9)
    code, out, err = call(capsys, "eis", "fit", csv, "--json")
    assert code == 0, err
    (fit,) = json.loads(out)
    assert fit["file"].endswith("spectrum.csv")


def test_eis_rich_output(capsys):
    code, out, err = call(capsys, "micro", "eis", *SMALL_2D, "--points", "5")
    assert code == 0, err
    for text in ("f (Hz)", "Z′ (Ω)", "−Z″ (Ω)", "pellet = the simulated box", "DC: R ="):
        assert text in out


def test_risk_single_json_and_map(capsys, tmp_path):
    png = tmp_path / "risk.png"
    data = call_json(capsys, "micro", "risk", *SMALL_2D, "--current", "1 mA/cm^2", "--plot", png)
    assert data["mode"] == "single"
    assert data["current_density_a_per_m2"] == pytest.approx(10.0)
    assert data["network"]["gb_network"] is True  # the risk solve needs the GB face nodes
    assert 0 <= data["deposition_fraction"] < 1
    assert data["electronic_fraction_plating"] > 0
    assert data["cell_voltage_v"] > 0
    assert data["min_li_potential_v"] <= 0
    n = data["deposition_sites"]
    assert data["deposition_sites_at_gb"] + data["deposition_sites_in_grains"] == n
    if n:
        assert data["gb_site_share"] == pytest.approx(data["deposition_sites_at_gb"] / n)
    assert imread(png).shape[0] > 100


def test_risk_rich_output(capsys):
    code, out, err = call(capsys, "micro", "risk", "--grains", "100")
    assert code == 0, err
    for text in ("f_dep", "electronic fraction", "cell voltage (V)", "min U", "at GB face nodes"):
        assert text in out


def test_risk_sweep_json(capsys):
    data = call_json(
        capsys, "micro", "risk", "--dim", "2", "--grains", "100",
        "--currents", "1,0.1 mA/cm^2", "--temperatures", "25,60 degC",
    )  # fmt: skip
    assert data["mode"] == "sweep"
    assert data["current_densities_a_per_m2"] == pytest.approx([1.0, 10.0])  # sorted
    assert data["temperatures_k"] == pytest.approx([298.15, 333.15])
    assert np.asarray(data["deposition_fraction"]).shape == (2, 2)
    assert [o["status"] for o in data["onset"]] and all(
        o["status"] in ("bracketed", "below_range", "not_reached") for o in data["onset"]
    )


def bad_cases(tmp):
    missing = tmp / "missing" / "spectrum.csv"
    return [
        (["micro", "build", "--grain-size", "-5 um"], "--grain-size"),
        (["micro", "build", "--density", "1.5"], "--density must be in [0.3, 1]"),
        (["micro", "dc", *SMALL_2D, "--material", "llzto-gold"], "--material 'llzto-gold'"),
        (["micro", "eis", *SMALL_2D, "--output", str(missing)], "does not exist"),
        (["micro", "dc", *SMALL_2D, "--temperature", "25 blargs"], "--temperature '25 blargs'"),
        (["micro", "build", "--grain-size", "5 blargs"], "--grain-size '5 blargs': cannot parse"),
        (["micro", "risk", "--currents", "0.1,1 mA/blarg"], "--currents '0.1 mA/blarg'"),
        (["micro", "build", "--grain-size", "5 V"], "--grain-size"),
        (["micro", "build", "--dim", "4"], "--dim must be 2 or 3"),
        (["micro", "build", "--aspect", "2"], "--aspect"),
        (["micro", "build", "--vtk", str(tmp / "cells.txt")], "unsupported file type"),
        (["micro", "dc", *SMALL_2D, "--axis", "2"], "--axis"),
        (["micro", "eis", *SMALL_2D, "--freq-min", "1 MHz", "--freq-max", "1 Hz"], "below"),
        (["micro", "risk", "--current", "1 mA/cm^2", "--currents", "1,2 mA/cm^2"], "not both"),
        (["micro", "risk", "--temperatures", "25,60 degC"], "--temperatures goes with"),
        (["micro", "risk", "--current", "-1 mA/cm^2"], "--current"),
    ]


def test_bad_input_exits_2_with_one_line(capsys, tmp_path):
    for argv, message in bad_cases(tmp_path):
        code, _, err = call(capsys, *argv)
        assert code == 2, (argv, err)
        assert message in err, (argv, err)
        assert len(err.strip().splitlines()) == 1, (argv, err)
        assert "Traceback" not in err


def test_risk_uses_the_cited_contact_asr_and_a_nucleation_barrier_gives_an_onset(capsys):
    base = ["micro", "risk", "--dim", "2", "--grains", "150", "--aspect", "4,1"]
    bare = call_json(capsys, *base, "--current", "1 mA/cm^2")
    assert bare["charge_transfer_asr_ohm_m2"] == pytest.approx(109e-4)  # seed 003 Table 1
    annealed = call_json(capsys, *base, "--material", "llzto-annealed", "--current", "1 mA/cm^2")
    assert annealed["charge_transfer_asr_ohm_m2"] == pytest.approx(1e-4)
    assert annealed["deposition_fraction"] < 0.1 * bare["deposition_fraction"]
    sweep = call_json(capsys, *base, "--currents", "0.03,0.1,0.3,1 mA/cm^2",
                      "--nucleation", "20 mV")  # fmt: skip
    (onset,) = sweep["onset"]
    assert onset["status"] == "bracketed"
    # below the uniform-contact estimate η/r_ct (focusing lowers it), above a third of it
    uniform = 0.020 / 109e-4
    assert uniform / 3 < onset["onset_current_density_a_per_m2"] < uniform
