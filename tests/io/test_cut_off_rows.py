"""The shared check for a cut-off final row (issue 9 §1): ground truth from constructed tables."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ssblab.io._text import cut_off_final_row, tail_lines

ROWS = [f"{k}\t{1e-3 * (k + 1):.4e}\t{-5e-4 * (k + 1):.4e}" for k in range(20)]


def test_a_complete_table_passes_with_or_without_a_final_newline():
    assert cut_off_final_row(ROWS, "\t", ends_with_newline=True) is None
    assert cut_off_final_row(ROWS, "\t", ends_with_newline=False) is None


def test_a_value_cut_before_its_exponent_is_found():
    rows = [*ROWS[:-1], ROWS[-1].rsplit("e", 1)[0]]  # -1.0000e-02 -> -1.0000
    reason = cut_off_final_row(rows, "\t", ends_with_newline=False)
    assert reason is not None and "exponent" in reason


def test_fewer_fields_is_a_cut_whatever_the_newline():
    rows = [*ROWS[:-1], "19\t2.0000e-02"]
    for newline in (True, False):
        assert "2 fields" in cut_off_final_row(rows, "\t", ends_with_newline=newline)


def test_fixed_decimals_and_exponent_digits():
    fixed = [f"{k},{0.125 * k:.3f}" for k in range(10)]
    assert cut_off_final_row([*fixed, "10,1.2"], ",", ends_with_newline=False)
    assert cut_off_final_row([*fixed, "10,1.250"], ",", ends_with_newline=False) is None
    three = [f"{k} {k + 1:.3E}".replace("E+0", "E+00") for k in range(10)]  # 1.000E+000
    assert cut_off_final_row([*three, "10 1.100E+0"], None, ends_with_newline=False)


def test_a_varying_decimal_column_cannot_show_a_cut():
    rows = [f"{k},{v}" for k, v in enumerate([0.5, 0.25, 1, 2.125, 3.5, 0.75])]
    assert cut_off_final_row([*rows, "6,1.2"], ",", ends_with_newline=False) is None


def test_decimal_comma_and_empty_last_cell():
    rows = [f"{k};{k},{k:03d}" for k in range(1, 9)]
    assert cut_off_final_row([*rows, "9;9,00"], ";", ends_with_newline=False)
    assert cut_off_final_row([*rows, "9;"], ";", ends_with_newline=False)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 30), st.integers(0, 60))
def test_every_cut_of_a_scientific_row_is_found_or_is_a_whole_number(n_rows, cut):
    rows = [f"{k}\t{1.5e-4 * (k + 1):.5e}\t{-2.5e-3 * (k + 1):.5e}" for k in range(n_rows + 3)]
    last = rows[-1]
    cut = min(cut, len(last) - 1)
    piece = last[:cut]
    reason = cut_off_final_row([*rows[:-1], piece], "\t", ends_with_newline=False)
    if piece.strip():
        assert reason is not None, piece


@given(st.lists(st.text(alphabet="ab1\n", max_size=6), max_size=8), st.integers(1, 5))
def test_tail_lines_equals_splitting(parts, count):
    text = "\n".join(parts)
    expected = (text[:-1] if text.endswith("\n") else text).split("\n")[-count:]
    assert tail_lines(text, count) == expected


# --------------------------------------------------------------------------------------------
# Strict mode (``used``): a last value the readers read must be shown whole


def _write(value: float, style: str) -> str:
    if style == "exp":
        return f"{value:.4e}"
    if style == "exp3":  # EC-Lab: 7.0000185E+006
        mantissa, exponent = f"{value:.7E}".split("E")
        return f"{mantissa}E{exponent[0]}{int(exponent[1:]):03d}"
    if style == "fixed":
        return f"{value:.5f}"
    if style == "sig9":  # EC-Lab's %.9g, decimal comma
        return f"{value:.9g}".replace(".", ",")
    if style == "repr":
        return repr(value)
    return str(round(value))  # whole numbers


STYLES = ["exp", "exp3", "fixed", "sig9", "repr", "int"]
VOUCHED = {"exp", "exp3", "fixed"}  # formats a whole value can be told from


@st.composite
def strict_tables(draw):
    styles = draw(st.lists(st.sampled_from(STYLES), min_size=2, max_size=4))
    n = draw(st.integers(4, 12))
    start = draw(st.floats(1e-3, 1e5))
    sign = draw(st.sampled_from([1.0, -1.0]))
    values = [[sign * start * 1.3**k * (1 + 0.1 * j) for j in range(len(styles))] for k in range(n)]
    rows = [[_write(v, style) for v, style in zip(row, styles, strict=True)] for row in values]
    return rows, styles, draw(st.sampled_from(["\t", ";", " "]))


def _numbers(cells):
    out = []
    for cell in cells:
        try:
            out.append(float(cell.replace(",", ".")))
        except ValueError:
            out.append(None)
    return out


@settings(max_examples=300, deadline=None)
@given(strict_tables(), st.floats(0, 1))
def test_strict_check_never_accepts_a_changed_value(case, where):
    rows, styles, delimiter = case
    lines = [delimiter.join(row) for row in rows]
    used = set(range(len(styles)))
    whole = lines[-1]
    cut = max(1, min(len(whole) - 1, int(where * len(whole))))
    piece = whole[:cut]
    reason = cut_off_final_row([*lines[:-1], piece], delimiter, ends_with_newline=False, used=used)
    fields = piece.split() if delimiter == " " else piece.split(delimiter)
    changed = len(fields) != len(rows[-1]) or _numbers(fields) != _numbers(rows[-1])
    if changed:
        assert reason is not None, (piece, whole)
    # with its newline a whole row is never questioned; without, it is when written vouchably
    assert cut_off_final_row(lines, delimiter, ends_with_newline=True, used=used) is None
    if styles[-1] in VOUCHED:
        assert cut_off_final_row(lines, delimiter, ends_with_newline=False, used=used) is None


def test_strict_check_ignores_a_cut_in_a_column_not_read():
    rows = [f"{k}.5\t{k}.25\tnote {k}" for k in range(1, 6)]
    piece = rows[-1][:-3]
    kept = cut_off_final_row([*rows[:-1], piece], "\t", ends_with_newline=False, used={0, 1})
    assert kept is None
    assert cut_off_final_row([*rows[:-1], piece], "\t", ends_with_newline=False, used={0, 2})


def test_strict_check_on_a_sig9_column_wants_a_neighbour_of_like_magnitude():
    values = [2.4e-3 / 1.5**k for k in range(8)]  # Im(Z) approaching zero: %g goes to E-005
    rows = [f"{k};{v:.9g}".replace(".", ",") for k, v in enumerate(values)]
    assert all("e" not in row for row in rows) and f"{values[-1] / 1.5:.9g}".count("e") == 1
    whole = "8;" + f"{values[-1] / 1.5:.9g}".replace(".", ",")  # 9,36442615e-05
    doubt = cut_off_final_row([*rows, whole], ";", ends_with_newline=False, used={1})
    assert "rarely has exponents" in doubt  # e-05 may be e-050 cut: no exponent above to tell
    lost = whole.split("e")[0]  # cut before its exponent: 9,36442615 is 1e5 off its neighbour
    reason = cut_off_final_row([*rows, lost], ";", ends_with_newline=False, used={1})
    assert reason is not None and "far from the value before it" in reason
    smooth = "8;0,000123456789"  # nine digits next to 0,000140466392: vouched whole
    assert cut_off_final_row([*rows, smooth], ";", ends_with_newline=False, used={1}) is None


def test_a_file_cut_inside_a_utf8_character_stays_utf8():
    from ssblab.io._text import decode_text

    data = "freq/Hz\tZ/µOhm\n1\t2\nµ".encode()
    decoded = decode_text(data[:-1])  # the last µ cut after its first byte
    assert decoded.text == "freq/Hz\tZ/µOhm\n1\t2\n"
    assert "ends inside a UTF-8 character" in decoded.notes[0]
    assert decode_text(data).encoding == "utf-8"
