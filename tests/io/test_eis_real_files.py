"""Every EIS file of ``../shared/real-data/eis`` in a supported format reads correctly.

Expected counts, frequency spans, sign conventions and values come from
``../shared/real-data/MANIFEST.md`` and from the rows of the files themselves. A file is taken
from ``../shared/real-data`` when present, else from the permissively licensed copy in
``tests/data/eis`` (see ``tests/data/NOTICE.md``); otherwise its test is skipped.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ssblab.errors import FileFormatError
from ssblab.impedance.spectrum import Spectrum
from ssblab.io.eis import detect_format, read_eis
from tests.real_data import real_file as shared_real_file

REPO = Path(__file__).resolve().parents[2]
REAL_DATA = REPO.parent / "shared" / "real-data"
BUNDLED = REPO / "tests" / "data" / "eis"


def real_file(relative: str) -> Path:
    return shared_real_file("eis/" + relative)


def read(relative: str, fmt: str) -> list[Spectrum]:
    path = real_file(relative)
    assert detect_format(path) == fmt
    spectra = read_eis(path)
    assert [s.index for s in spectra] == list(range(len(spectra)))
    assert all(s.source == path.name and s.metadata["format"] == fmt for s in spectra)
    return spectra


def assert_shape(spectra: list[Spectrum], count: int, points: int) -> None:
    assert len(spectra) == count
    assert [len(s) for s in spectra] == [points] * count


def assert_span(spectrum: Spectrum, first_hz: float, last_hz: float) -> None:
    assert spectrum.frequency_hz[0] == pytest.approx(first_hz, rel=1e-6)
    assert spectrum.frequency_hz[-1] == pytest.approx(last_hz, rel=1e-6)


def assert_capacitive(spectrum: Spectrum, at_least: float = 0.8) -> None:
    """Physical sign: most points of the lower-frequency half have Z'' < 0."""
    low = np.argsort(spectrum.frequency_hz)[: (len(spectrum) + 1) // 2]
    assert np.mean(spectrum.impedance_ohm.imag[low] < 0) >= at_least


def assert_z(spectrum: Spectrum, position: int, expected: complex, rel: float = 1e-6) -> None:
    assert spectrum.impedance_ohm[position] == pytest.approx(expected, rel=rel)


def has_note(spectrum: Spectrum, *fragments: str) -> bool:
    return any(all(f in note for f in fragments) for note in spectrum.notes)


# --------------------------------------------------------------------------------------------
# CH Instruments


def test_chi660e_impedancepy_example():
    (s,) = read("chi/chi660e_impedancepy_example.txt", "chi")
    assert_shape([s], 1, 73)
    assert_span(s, 9.961e4, 0.1)
    assert_capacitive(s, 1.0)
    assert_z(s, 0, 98.91 - 2.748j)
    assert_z(s, -1, 5685 - 15860j)
    assert s.impedance_ohm[s.frequency_hz == 1.0][0] == pytest.approx(1628 - 2894j)
    assert s.metadata["instrument"] == "CHI660E"
    assert s.metadata["ac_amplitude_v"] == 0.025
    assert has_note(s, "High Frequency (Hz) = 2e+6", "99610 Hz")  # header says 2 MHz


def test_chi760e_nomad_crlf_file():
    (s,) = read("chi/chi760e_nomad_eis_m0.48V.txt", "chi")
    assert_shape([s], 1, 73)
    assert_span(s, 9.990e5, 1.0)
    assert_capacitive(s, 1.0)
    assert_z(s, 0, 1.780 + 0.1567j)  # first point inductive, kept as measured
    assert_z(s, -1, 449.5 - 76.38j)
    assert s.metadata["dc_potential_v"] == -0.48
    assert s.metadata["date"] == "2024-06-12T20:51:34"
    assert not has_note(s, "header/data disagreement")  # 1 MHz asked, 999 kHz measured


# --------------------------------------------------------------------------------------------
# BioLogic EC-Lab text


def assert_ec_lab_thesis_notes(s: Spectrum) -> None:
    assert has_note(s, "cp1252")
    assert has_note(s, "decimal comma")
    assert has_note(s, "−Im(Z)", "flipped")


def test_latp_foil_mpt_decimal_comma_cp1252():
    (s,) = read("biologic-mpt/latp_foil_li_lp30_peis_before.mpt", "biologic_mpt")
    assert_shape([s], 1, 37)
    assert_span(s, 1000024.25, 0.998529792)
    assert_capacitive(s, 1.0)
    assert_z(s, 0, 1.09552193 + 2.83702946j)  # −Im = −2.837: inductive at 1 MHz
    assert_z(s, -1, 120.751617 - 69.8885956j)
    assert s.metadata["electrode_material"] == "LATP"
    assert s.metadata["electrolyte"] == "LP-30"
    assert s.metadata["technique"] == "PEIS"
    assert s.metadata["dc_potential_measured_v"] == pytest.approx(2.45, abs=0.01)
    assert_ec_lab_thesis_notes(s)


def test_lagp_foil_mpt():
    (s,) = read("biologic-mpt/lagp_foil_li_lp30_peis_before.mpt", "biologic_mpt")
    assert_shape([s], 1, 37)
    assert_span(s, 1000024.25, 0.998529792)
    assert_capacitive(s, 1.0)
    assert_z(s, 0, 14.9947605 + 2.70319676j)
    assert_z(s, -1, 65.8375397 - 97.8572464j)
    assert_ec_lab_thesis_notes(s)


def test_llto_mpt():
    (s,) = read("biologic-mpt/llto_li_lp30_peis.mpt", "biologic_mpt")
    assert_shape([s], 1, 37)
    assert_span(s, 1000024.25, 0.998529792)
    assert_capacitive(s, 1.0)
    assert_z(s, 0, 1.80810201 + 4.10014963j)
    assert_z(s, -1, 62.8191071 - 72.3347626j)
    assert_ec_lab_thesis_notes(s)


def test_lto_llto_solid_state_mpt_without_loop_block():
    (s,) = read("biologic-mpt/lto_llto_li_solidstate_peis.mpt", "biologic_mpt")
    assert_shape([s], 1, 91)
    assert_span(s, 1000024.25, 0.998529792)
    assert_capacitive(s, 1.0)
    assert_z(s, 0, 3437.58154 - 4289.90869j)
    assert_z(s, -1, 31498168 - 8381362.5j)
    assert s.impedance_ohm.real.max() == pytest.approx(31.5e6, rel=0.01)
    assert s.metadata["ac_amplitude_v"] == pytest.approx(0.1)


def test_licoo2_latp_mpt_eleven_loops():
    spectra = read("biologic-mpt/licoo2_latp_li_peis_11spectra.mpt", "biologic_mpt")
    assert_shape(spectra, 11, 37)
    for s in spectra:
        assert_span(s, 1000024.25, 0.998529792)
        assert_capacitive(s)
        assert has_note(s, "split into 11 spectra", "loop table")
    assert [s.metadata["loop"] for s in spectra] == list(range(11))
    assert_z(spectra[0], 0, 297.199585 - 809.253479j)
    assert_z(spectra[0], -1, 6698644.5 - 2181689.75j)
    assert_z(spectra[1], 0, 337.283936 - 702.53894j)
    assert_z(spectra[10], -1, 6454330 - 2557038.75j)
    lowest_real = min(s.impedance_ohm.real.min() for s in spectra)
    assert lowest_real == pytest.approx(-9.6, abs=0.05)  # HF rows with Re(Z) < 0 are kept


def test_lpscl_pellet_ec_lab_txt():
    (s,) = read("biologic-mpt/lpscl_pellet_ionblocking_m25C_peis.txt", "biologic_mpt")
    assert_shape([s], 1, 79)
    assert_span(s, 7.0000185e6, 0.10002181)
    assert_capacitive(s, 1.0)
    assert_z(s, 0, 359.24146 - 290.92038j)
    assert_z(s, -1, 1799427.6 - 8093785.5j)
    assert s.metadata["instrument"] == "SP-300 (SN 1787)"
    assert not has_note(s, "decimal comma")


def test_yadg_sp300_mpt_four_loops():
    spectra = read("biologic-mpt/yadg_peis_sp300_pair.mpt", "biologic_mpt")
    assert_shape(spectra, 4, 21)
    for s in spectra:
        assert_span(s, 1.9999814e5, 99.968163)
        assert_capacitive(s, 1.0)
    assert_z(spectra[0], 0, 12.753284 - 0.96167845j)
    assert_z(spectra[0], -1, 84.097183 - 17.966396j)
    assert_z(spectra[1], 0, 12.693621 - 0.94329858j)


# --------------------------------------------------------------------------------------------
# BioLogic .mpr (galvani)


def test_yadg_sp300_mpr_matches_its_mpt_twin():
    spectra = read("biologic-mpr/yadg_peis_sp300_pair.mpr", "biologic_mpr")
    assert_shape(spectra, 4, 21)
    twins = read("biologic-mpt/yadg_peis_sp300_pair.mpt", "biologic_mpt")
    for binary, text in zip(spectra, twins, strict=True):
        np.testing.assert_allclose(binary.frequency_hz, text.frequency_hz, rtol=1e-6)
        np.testing.assert_allclose(binary.impedance_ohm, text.impedance_ohm, rtol=1e-6)


def test_lpscl_pellet_mpr():
    (s,) = read("biologic-mpr/lpscl_pellet_ionblocking_m25C_peis.mpr", "biologic_mpr")
    assert_shape([s], 1, 79)
    assert_span(s, 7.0000185e6, 0.10002181)
    assert_capacitive(s, 1.0)
    assert_z(s, 0, 359.24146 - 290.92038j)
    assert s.metadata["date"].startswith("2025-05-15T01:18:45")


def test_ssb_ncm_lpscl_mpr():
    (s,) = read("biologic-mpr/ssb_ncm-lpscl_inli_peis_eod.mpr", "biologic_mpr")
    assert_shape([s], 1, 89)
    assert_span(s, 7.0000185e6, 0.00999726355)
    assert_capacitive(s, 1.0)
    assert_z(s, 0, 49.00869 - 16.16077j)
    assert_z(s, -1, 2416.7048 - 454.96017j)


def test_lili_tegdme_geis_mpr_45_short_spectra():
    spectra = read("biologic-mpr/lili_tegdme_insitu_geis.mpr", "biologic_mpr")
    assert_shape(spectra, 45, 9)
    for s in spectra:
        assert_span(s, 500.16003, 0.7998054)
        assert s.order == "descending"
    assert [s.metadata["loop"] for s in spectra] == list(range(45))
    assert_z(spectra[0], 0, 203.12816 - 34.985306j)
    assert sum(np.mean(s.impedance_ohm.imag < 0) for s in spectra) / 45 > 0.8


# --------------------------------------------------------------------------------------------
# Gamry


def test_gamry_ref3000_ocvcurve_before_zcurve():
    (s,) = read("gamry-dta/gamry_ref3000_example.DTA", "gamry_dta")
    assert_shape([s], 1, 72)
    assert_span(s, 200015.6, 0.0158898)
    assert_capacitive(s, 1.0)
    assert_z(s, 0, 825.8584 - 1367.239j)
    assert_z(s, -1, 17007.49 - 6635.557j)
    assert has_note(s, "skipped the OCVCURVE table (387 rows")
    assert s.metadata["comments"] == "-50mV +5.66X10^-4 D8"
    assert s.metadata["dc_potential_v"] == -0.05
    assert s.metadata["dc_potential_reference"] == "Eoc"
    assert s.metadata["ac_amplitude_v_rms"] == pytest.approx(0.01)


def test_gamry_ifc1000_nomad_block_crlf():
    (s,) = read("gamry-dta/gamry_ifc1000_nomad_eispot.DTA", "gamry_dta")
    assert_shape([s], 1, 61)
    assert_span(s, 1000020, 0.997765)
    assert_capacitive(s, 1.0)
    assert_z(s, 0, 7.281014 - 1.217636j)
    assert_z(s, -1, 89.91506 - 572.2136j)
    assert s.metadata["nomad"]["SAMPLEID"] == "CE-NOME_Project_test"
    assert s.metadata["instrument"] == "IFC1000-06095"
    assert has_note(s, "FREQINIT", "1.00002e+06 Hz")  # header asks 2 MHz


def test_gamry_ifc5000_inductive_high_frequency():
    (s,) = read("gamry-dta/gamry_ifc5000_ceramic_cell_550C.DTA", "gamry_dta")
    assert_shape([s], 1, 61)
    assert_span(s, 100195.3, 0.1000747)
    assert_z(s, 0, 0.6641507 + 0.1476726j)  # Zimag > 0 at high frequency: inductive, kept
    assert_z(s, -1, 1.944187 + 0.0235922j)
    assert_capacitive(s)
    assert s.metadata["dc_potential_v"] == -0.5
    assert s.metadata["dc_potential_measured_v"] == pytest.approx(0.5553, abs=1e-3)


# --------------------------------------------------------------------------------------------
# ZPlot / ZView


def test_zplot_solartron_header_count_disagrees():
    (s,) = read("zview-z/zplot_solartron_example.z", "zview_z")
    assert_shape([s], 1, 21)
    assert_span(s, 3e5, 3e3)
    assert_capacitive(s, 1.0)
    assert_z(s, 0, 147.77 - 11.335j)
    assert_z(s, -1, 613.68 - 137.13j)
    assert has_note(s, "declares 56", "21 are present")


def test_zplot_dummy_circuit():
    (s,) = read("zview-z/zplot_dummy_circuit1.z", "zview_z")
    assert_shape([s], 1, 48)
    assert_span(s, 5e4, 1.0)
    assert_capacitive(s, 1.0)
    assert_z(s, 0, 29.036 + 0.63662j)
    assert_z(s, -1, 75.803 - 0.16244j)
    assert not has_note(s, "header/data disagreement")


def test_latp_zview_saved_data():
    (s,) = read("zview-z/latp_zview_fitresult.z", "zview_z")
    assert_shape([s], 1, 28)
    assert_span(s, 316223.1, 9.990411)
    assert_capacitive(s, 1.0)
    assert_z(s, 0, 9.787245 - 1.391888j)
    assert_z(s, -1, 92.70093 - 16.09638j)
    assert s.metadata["software"] == "ZView 3"


# --------------------------------------------------------------------------------------------
# Other formats


def test_z60w_bom_quoted_header():
    (s,) = read("other/z60w_autolab_example.txt", "z60w")
    assert_shape([s], 1, 41)
    assert_span(s, 1e4, 0.1)
    assert_capacitive(s, 1.0)
    assert_z(s, 0, 0.013785863964281 + 0.007191946305823j)  # inductive milliohm cell
    assert_z(s, -1, 0.0345697771923854 - 0.00390292888845954j)
    assert has_note(s, "byte-order mark")
    assert not has_note(s, "header/data disagreement")  # 41 declared, 41 present


def test_parstat_dc_rows_dropped():
    (s,) = read("other/parstat_discharge_then_eis.txt", "parstat")
    assert_shape([s], 1, 31)
    assert_span(s, 1e4, 10)
    assert_capacitive(s, 1.0)
    assert_z(s, 0, -0.00049816280376104 + 0.0175143479976367j)
    assert_z(s, -1, 0.0270946491457229 - 0.00399791080333837j)
    assert has_note(s, "dropped 781 rows with frequency = 0", "lines 2–782")


def test_versastudio_par():
    (s,) = read("other/versastudio_example.par", "versastudio_par")
    assert_shape([s], 1, 61)
    assert_span(s, 1e5, 0.02154435)
    assert_capacitive(s, 1.0)
    assert_z(s, 1, 56.93847 + 1.668054j)
    assert_z(s, -1, 1516.313 - 122.8279j)
    assert s.metadata["instrument"] == "VersaSTAT4"
    assert s.metadata["date"] == "2018-07-19T09:40:30"
    assert has_note(s, "End Frequency (Hz)=0.001")  # the sweep stopped at 21.5 mHz


def test_latp_headerless_three_column_sign_detected():
    (s,) = read("other/latp_peis_3col_export.txt", "three_column")
    assert_shape([s], 1, 37)
    assert_span(s, 1000024.25, 0.998529792)
    assert_capacitive(s, 1.0)
    assert_z(s, -1, 120.751617 - 69.8885956j)
    assert has_note(s, "sign of column 3 detected", "19 of 19", "taken as Im(Z)")
    assert has_note(s, "decimal comma")


def test_lpscl_pellet_relaxis_export():
    (s,) = read("other/lpscl_pellet_ionblocking_m25C_relaxis.txt", "relaxis")
    assert_shape([s], 1, 79)
    assert_span(s, 0.10002180933952332, 7000018.5)  # RelaxIS sorts ascending
    assert_capacitive(s, 1.0)
    assert_z(s, 0, 1799427.625 - 8093785.5j)
    assert s.metadata["dc_potential_v"] == pytest.approx(-0.080042)


def test_ssb_polar_csv_ten_loops_end_rows_dropped():
    spectra = read("other/ssb_ncm-lpscl_inli_peis_atrest.csv", "table")
    assert_shape(spectra, 10, 89)
    for s in spectra:
        assert_span(s, 7000018.5, 0.009997264)
        assert_capacitive(s, 1.0)
        assert has_note(s, "dropped 1 row with frequency = 0")
        assert has_note(s, "polar form")
    assert [s.metadata["loop"] for s in spectra] == list(range(10))
    z0 = 50.752583 * np.exp(1j * np.radians(-20.75998))
    assert_z(spectra[0], 0, z0)
    assert_z(spectra[0], -1, 539.09515 * np.exp(1j * np.radians(-2.5170352)))
    assert_z(spectra[1], 0, 50.699947 * np.exp(1j * np.radians(-20.767345)))


def test_palmsens_pssession_utf16_json():
    (s,) = read("other/palmsens_peis_700mV.pssession", "palmsens_pssession")
    assert_shape([s], 1, 64)
    assert_span(s, 2e5, 0.1)
    assert_capacitive(s, 1.0)
    assert_z(s, 0, 108.62607458741864 - 1.1922329468435031j)  # ZIm = +1.19 stored as −Im
    assert_z(s, -1, 2477.2258158770023 - 1880.8956613293333j)
    assert has_note(s, "UTF-16")
    assert has_note(s, "U+FEFF")
    assert s.metadata["instrument_serial"] == "PS4A22B003626"
    assert s.metadata["date"].startswith("2025-07-17")


def test_zahner_ism_is_recognised_but_not_supported():
    path = real_file("other/zahner_peis_ocv.ism")
    assert detect_format(path) == "zahner_ism"
    with pytest.raises(FileFormatError, match=r"zahner_peis_ocv\.ism: .*not supported"):
        read_eis(path)


# --------------------------------------------------------------------------------------------
# The same measurement in several formats


def test_lpscl_pellet_three_formats_give_the_same_spectrum():
    """EC-Lab text, EC-Lab binary and RelaxIS export of one LPSCl measurement agree."""
    (text,) = read_eis(real_file("biologic-mpt/lpscl_pellet_ionblocking_m25C_peis.txt"))
    (binary,) = read_eis(real_file("biologic-mpr/lpscl_pellet_ionblocking_m25C_peis.mpr"))
    (relaxis,) = read_eis(real_file("other/lpscl_pellet_ionblocking_m25C_relaxis.txt"))
    reference = text.sorted()
    for other in (binary.sorted(), relaxis.sorted()):
        np.testing.assert_allclose(other.frequency_hz, reference.frequency_hz, rtol=1e-6)
        np.testing.assert_allclose(other.impedance_ohm, reference.impedance_ohm, rtol=1e-6)


def test_latp_mpt_and_three_column_export_agree_after_sign_handling():
    """The .mpt stores −Im(Z), the 3-column export Im(Z): both readers give the physical sign."""
    (mpt,) = read_eis(real_file("biologic-mpt/latp_foil_li_lp30_peis_before.mpt"))
    (three,) = read_eis(real_file("other/latp_peis_3col_export.txt"))
    np.testing.assert_allclose(three.frequency_hz, mpt.frequency_hz, rtol=1e-9)
    np.testing.assert_allclose(three.impedance_ohm, mpt.impedance_ohm, rtol=1e-9)
    assert has_note(mpt, "−Im(Z)", "flipped")
    assert has_note(three, "taken as Im(Z)")


# --------------------------------------------------------------------------------------------
# Non-impedance files of the collection are refused with a FileFormatError


@pytest.mark.parametrize(
    ("relative", "message"),
    [
        ("cycling/biologic-mpt/yadg_gcpl_sp300_pair.mpt", "not an impedance file"),
        ("cycling/biologic-mpr/yadg_gcpl_sp300_pair.mpr", "not an impedance file"),
        ("cycling/neware-nda/neware_unit27_example.ndax", "binary file"),
        ("cycling/arbin-csv/arbin_beep_tc_contact_CH33.csv", "unrecognised impedance file"),
    ],
)
def test_cycling_files_are_refused(relative, message):
    path = REAL_DATA / relative
    if not path.is_file():
        pytest.skip(f"{relative}: ../shared/real-data is absent")
    with pytest.raises(FileFormatError, match=message):
        read_eis(path)


def test_bundled_copies_are_byte_identical_to_the_shared_files():
    if not (REAL_DATA / "eis").is_dir():
        pytest.skip("../shared/real-data is absent")
    shared = {p.name: p for p in (REAL_DATA / "eis").rglob("*") if p.is_file()}
    bundled = sorted(BUNDLED.iterdir())
    assert bundled
    for copy in bundled:
        assert copy.read_bytes() == shared[copy.name].read_bytes(), copy.name
