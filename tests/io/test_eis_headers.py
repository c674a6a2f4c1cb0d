"""Table headers: column roles, units and signs from the many ways labs spell them (issue 9 §3).

Ground truth is the spelling itself: each generated header is built from a role synonym, an
optional sign marker, a separator and a unit with a known SI prefix, and the reader must find
that role, that factor and that sign — in :func:`classify_column` and in a whole table read back.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssblab.io.eis import parse_eis
from ssblab.io.eis.table import classify_column, find_columns, split_label


@pytest.mark.parametrize(
    ("label", "role", "scale", "negated"),
    [
        ("freq_Hz", "frequency", 1.0, False),
        ("f_Hz", "frequency", 1.0, False),
        ("f_kHz", "frequency", 1e3, False),
        ("freq_mHz", "frequency", 1e-3, False),
        ("FREQ_MHZ", "frequency", 1e6, False),
        ("Zre_ohm", "real", 1.0, False),
        ("Z_real_ohm", "real", 1.0, False),
        ("ReZ_Ohm", "real", 1.0, False),
        ("Zre_kOhm", "real", 1e3, False),
        ("Z_real_KOHM", "real", 1e3, False),
        ("Zimag_Ohm", "imag", 1.0, False),
        ("Zim_mOhm", "imag", 1e-3, False),
        ("Zim_MOhm", "imag", 1e6, False),
        ("minus_Zimag_ohm", "imag", 1.0, True),
        ("neg_Zimag_ohm", "imag", 1.0, True),
        ("negative Z'' (Ohm)", "imag", 1.0, True),
        ("-Z_imag_uOhm", "imag", 1e-6, True),
        ("Z_mod_ohm", "modulus", 1.0, False),
        ("|Z| Ohm", "modulus", 1.0, False),
        ("Z_mod_GOhm", "modulus", 1e9, False),
        ("phase_deg", "phase", 1.0, False),
        ("minus_phase_deg", "phase", 1.0, True),
        ("Phase angle [rad]", "phase", 180 / math.pi, False),
        ("Zre ohm", "real", 1.0, False),
        ("freq Hz", "frequency", 1.0, False),
        ("Z' in kΩ", "real", 1e3, False),
        ("Zimag_\u2126", "imag", 1.0, False),
    ],
)
def test_underscore_and_space_units(label, role, scale, negated):
    column = classify_column(0, label)
    assert column is not None, label
    assert (column.role, column.negated) == (role, negated)
    assert column.scale == pytest.approx(scale)
    assert column.unit_given


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("Z_real", "real"),  # "real" is not a unit: the whole label is the name
        ("loop_index", "loop"),
        ("Data_Point", None),
        ("time_s", None),
        ("Z_s", None),  # seconds are not ohms
        ("Zre_ohm_cm2", None),  # area-specific impedance is not taken as Ω
        ("Re(Y)_S", None),
    ],
)
def test_a_tail_that_is_not_the_roles_unit_is_not_taken_for_one(label, role):
    column = classify_column(0, label)
    assert (column.role if column else None) == role
    if column is not None and role == "real":
        assert split_label(label) == (label, "") and not column.unit_given


def test_underscore_table_reads_with_units_applied():
    data = (
        b"f_Hz,Zre_kOhm,minus_Zimag_ohm,Z_mod_ohm,phase_deg\n"
        b"1000,0.1,50,111.80339887498948,-26.56505117707799\n"
        b"100,0.2,100,223.60679774997897,-26.56505117707799\n"
        b"10,0.3,150,335.4101966249685,-26.56505117707799\n"
    )
    (spectrum,) = parse_eis(data, "script.csv")
    assert spectrum.frequency_hz.tolist() == [1000.0, 100.0, 10.0]
    np.testing.assert_allclose(spectrum.impedance_ohm, [100 - 50j, 200 - 100j, 300 - 150j])
    assert not any("disagreement" in note for note in spectrum.notes)
    assert any("minus_Zimag_ohm" in note and "flipped" in note for note in spectrum.notes)


# --------------------------------------------------------------------------------------------
# Generated spellings

SYNONYMS = {
    "frequency": ["freq", "frequency", "f", "Freq", "Frequency", "FREQ"],
    "real": ["Re(Z)", "Z'", "Zre", "Zreal", "Z_real", "Z real", "Real", "Re", "ReZ", "Zr"],
    "imag": ["Im(Z)", "Z''", "Zim", "Zimag", "Z_imag", "Z imag", "Imag", "Im", "ImZ", "Zi"],
    "modulus": ["|Z|", "Zmod", "Z_mod", "mod(Z)", "abs(Z)", "Z", "Modulus", "Magnitude", "Zabs"],
    "phase": ["Phase", "Phase(Z)", "Zphz", "Z_phase", "theta", "Theta(Z)", "phi", "Phase angle"],
}
PREFIXES = {"": 1.0, "m": 1e-3, "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9, "µ": 1e-6, "u": 1e-6}
BASES = {
    "frequency": ["Hz", "hz", "HZ"],
    "real": ["Ohm", "ohm", "OHM", "Ohms", "ohms", "Ω", "\u2126"],
    "phase": ["deg", "Deg", "DEG", "°", "degree", "degrees", "rad"],
}
BASES["imag"] = BASES["modulus"] = BASES["real"]
FREQUENCY_PREFIXES = {p: v for p, v in PREFIXES.items() if p in ("", "m", "k", "K", "M", "G")}
SIGN_MARKERS = ["-", "−", "minus", "minus_", "minus ", "neg", "neg_", "negative ", "MINUS_", "Neg"]
SEPARATORS = ["/", "_", " ", "({})", " ({})", "[{}]", " [{}]", " / "]
CASES = [str, str.lower, str.upper]


@st.composite
def spellings(draw, role: str, signed: bool):
    """(header cell, factor to SI, negated) for ``role``."""
    name = draw(st.sampled_from(CASES))(draw(st.sampled_from(SYNONYMS[role])))
    negated = signed and draw(st.booleans())
    if negated:
        name = draw(st.sampled_from(SIGN_MARKERS)) + name
    if not draw(st.integers(0, 4)):
        return name, 1.0, negated  # no unit
    base = draw(st.sampled_from(BASES[role]))
    if role == "phase":
        prefix, factor = "", (180 / math.pi if base == "rad" else 1.0)
    else:
        prefixes = FREQUENCY_PREFIXES if role == "frequency" else PREFIXES
        prefix = draw(st.sampled_from(sorted(prefixes)))
        factor = prefixes[prefix]
    separator = draw(st.sampled_from(SEPARATORS))
    unit = prefix + base
    cell = name + (separator.format(unit) if "{}" in separator else separator + unit)
    return cell, factor, negated


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(sorted(SYNONYMS)).flatmap(
        lambda r: st.tuples(st.just(r), spellings(r, r != "frequency"))
    )
)
def test_generated_header_spellings_give_role_unit_and_sign(case):
    role, (cell, factor, negated) = case
    column = classify_column(3, cell)
    assert column is not None, cell
    assert (column.index, column.role, column.negated) == (3, role, negated), cell
    assert column.scale == pytest.approx(factor, rel=1e-12), cell


@st.composite
def tables(draw):
    """A CSV/TSV/semicolon table with generated headers, Cartesian or polar, and its truth."""
    polar = draw(st.booleans())
    roles = ["frequency", *(["modulus", "phase"] if polar else ["real", "imag"])]
    headers = [draw(spellings(role, role in ("imag", "phase"))) for role in roles]
    cells = [h[0] for h in headers]
    order = draw(st.permutations(range(3)))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    n = draw(st.integers(3, 12))
    f = np.geomspace(1e5, 1.0, n)
    z = 50 + 1000 / (1 + 1j * 2 * np.pi * f * 1000 * 1e-7)  # R + RC: capacitive
    truth = {
        "frequency": f,
        "real": z.real,
        "imag": z.imag,
        "modulus": np.abs(z),
        "phase": np.degrees(np.angle(z)),
    }
    stored = {}
    for role, (_, factor, negated) in zip(roles, headers, strict=True):
        value = truth[role] * (-1 if negated else 1)
        stored[role] = np.radians(value) if role == "phase" and factor != 1.0 else value / factor
    lines = [delimiter.join(cells[k] for k in order)]
    for i in range(n):
        lines.append(delimiter.join(repr(float(stored[roles[k]][i])) for k in order))
    return ("\n".join(lines) + "\n").encode(), f, z, [cells[k] for k in order]


@settings(max_examples=150, deadline=None)
@given(tables())
def test_tables_with_generated_headers_read_back_in_si_units(case):
    data, f, z, header = case
    assert find_columns(header) is not None, header
    (spectrum,) = parse_eis(data, "generated.csv", format="table")
    np.testing.assert_allclose(spectrum.frequency_hz, f, rtol=1e-12)
    np.testing.assert_allclose(spectrum.impedance_ohm, z, rtol=1e-9)
    assert np.all(spectrum.impedance_ohm.imag < 0)  # the sign marker was honoured
