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
