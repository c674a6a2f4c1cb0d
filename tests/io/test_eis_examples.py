"""The synthetic example files in ``examples/eis/`` read back as the circuit that wrote them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ssblab.io.eis import FORMATS, detect_format, read_eis

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "eis"
DESCRIPTION = json.loads((EXAMPLES / "circuit.json").read_text())
P = DESCRIPTION["parameters"]

# file → (format, spectra, relative tolerance of the file's number formatting)
EXAMPLE_FILES = {
    "chi_ac_impedance.txt": ("chi", 1, 2e-3),  # 4 significant digits
    "biologic_peis_2loops.mpt": ("biologic_mpt", 2, 1e-7),
    "gamry_eispot.DTA": ("gamry_dta", 1, 1e-6),
    "zplot_measured.z": ("zview_z", 1, 1e-6),
    "z60w_data.txt": ("z60w", 1, 1e-12),
    "parstat_export.txt": ("parstat", 1, 1e-12),
    "versastudio_eis.par": ("versastudio_par", 1, 1e-6),
    "relaxis_export.txt": ("relaxis", 1, 1e-12),
    "palmsens_session.pssession": ("palmsens_pssession", 1, 1e-12),
    "table_cartesian.csv": ("table", 1, 1e-12),
    "table_polar_2loops.csv": ("table", 2, 1e-12),
    "table_kohm_decimal_comma.csv": ("table", 1, 1e-8),
    "three_column_minus_im.txt": ("three_column", 1, 1e-12),
    "excel_table.xlsx": ("excel", 1, 1e-12),
}


def circuit(frequency_hz: np.ndarray, r0_scale: float = 1.0) -> np.ndarray:
    w = 2 * np.pi * frequency_hz
    arc1 = P["R1_ohm"] / (1 + 1j * w * P["R1_ohm"] * P["C1_F"])
    arc2 = P["R2_ohm"] / (1 + 1j * w * P["R2_ohm"] * P["C2_F"])
    return P["R0_ohm"] * r0_scale + arc1 + arc2


def test_every_supported_text_format_has_an_example():
    shown = {fmt for fmt, _, _ in EXAMPLE_FILES.values()}
    supported = {name for name, fmt in FORMATS.items() if fmt.supported}
    # .mpr is binary and has no writer; its reader is tested on the real files
    assert supported - shown == {"biologic_mpr"}
    on_disk = {
        p.name
        for p in EXAMPLES.iterdir()
        if p.is_file() and p.suffix not in (".py", ".json", ".md") and not p.name.startswith(".")
    }
    assert on_disk == set(EXAMPLE_FILES)


@pytest.mark.parametrize("name", sorted(EXAMPLE_FILES))
def test_example_reads_back_the_circuit(name):
    fmt, count, rtol = EXAMPLE_FILES[name]
    path = EXAMPLES / name
    assert detect_format(path) == fmt
    spectra = read_eis(path)
    assert len(spectra) == count
    for loop, spectrum in enumerate(spectra):
        assert len(spectrum) == DESCRIPTION["frequencies_hz"]["count"]
        f = spectrum.frequency_hz
        assert f.max() == pytest.approx(1e6, rel=rtol)
        assert f.min() == pytest.approx(0.1, rel=rtol)
        scale = DESCRIPTION["second_loop_r0_scale"] if loop else 1.0
        expected = circuit(f, scale)
        relative_error = np.abs(spectrum.impedance_ohm - expected) / np.abs(expected)
        assert relative_error.max() < rtol
        # at a few frequencies: the high-frequency limit, the bulk arc top, the interface arc
        for target in (1e6, 1e5, 100.0, 1.0):
            i = int(np.argmin(np.abs(np.log(f / target))))
            assert spectrum.impedance_ohm[i] == pytest.approx(expected[i], rel=rtol)
        assert spectrum.impedance_ohm[np.argmin(f)].imag < 0  # physical sign


def test_example_notes_record_the_conventions():
    (three,) = read_eis(EXAMPLES / "three_column_minus_im.txt")
    assert any("taken as −Im(Z) and flipped" in n for n in three.notes)
    (mpt_first, mpt_second) = read_eis(EXAMPLES / "biologic_peis_2loops.mpt")
    assert mpt_second.metadata["loop"] == 1
    assert any("decimal comma" in n for n in mpt_first.notes)
    (table,) = read_eis(EXAMPLES / "table_kohm_decimal_comma.csv")
    assert table.metadata["temperature_k"] == pytest.approx(298.15)
    polar = read_eis(EXAMPLES / "table_polar_2loops.csv")
    assert all(any("dropped 1 row with frequency = 0" in n for n in s.notes) for s in polar)
    (parstat,) = read_eis(EXAMPLES / "parstat_export.txt")
    assert any("dropped 5 rows with frequency = 0" in n for n in parstat.notes)
