from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kawasaki_planner.core.values import (
    QUALIFIERS,
    QUOTE_LIMIT,
    UNITS,
    FigureError,
    conform,
    parse_figure,
    parse_for_row,
    quoted,
)


@pytest.mark.parametrize(
    ("text", "number", "unit", "qualifier", "suffix", "note"),
    [
        ("241,047", "241047", "", "", "", ""),
        ("0.144%", "0.144", "%", "", "", ""),
        ("7か所(試行実施)", "7", "か所", "", "", "試行実施"),
        ("1回以上", "1", "回", "以上", "", ""),
        ("7区で実施", "7", "区", "", "で実施", ""),
        ("0区", "0", "区", "", "", ""),
        ("86.9%", "86.9", "%", "", "", ""),
    ],
)
def test_printed_figures_parse_into_their_parts(text, number, unit, qualifier, suffix, note):
    figure = parse_figure(text)
    assert figure.number == Decimal(number)
    assert (figure.unit, figure.qualifier, figure.suffix, figure.note) == (unit, qualifier, suffix, note)
    assert figure.text == text


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("１，０００人", "1,000人"),
        ("  94 人 ", "94人"),
        ("９４人", "94人"),
        ("7か所（試行実施）", "7か所(試行実施)"),
        ("7ヶ所", "7か所"),
        ("０．１４４％", "0.144%"),
        ("1000", "1,000"),
        ("－5", "-5"),
        ("1　回以上", "1回以上"),
    ],
)
def test_what_people_type_on_japanese_pcs_is_read_as_printed(typed, printed):
    assert parse_figure(typed).text == printed


def test_dash_blank_and_text():
    assert parse_figure("-").is_dash and not parse_figure("-").has_value
    assert parse_figure("－").is_dash
    assert parse_figure("").is_blank and parse_figure(None).is_blank and parse_figure("  ").is_blank
    text = parse_figure("未定")
    assert text.number is None and not text.evaluable and text.text == "未定"


def test_rows_refuse_what_is_not_a_figure_of_theirs():
    assert parse_for_row("94", "人", True).text == "94人"
    assert parse_for_row("94人", "人", False).text == "94"
    assert parse_for_row("0.150", "%", True).text == "0.150%"
    with pytest.raises(FigureError, match="数値として読めません"):
        parse_for_row("abc", "人", True)
    with pytest.raises(FigureError, match="単位"):
        parse_for_row("5日", "人", True)
    with pytest.raises(FigureError):
        parse_for_row("12abc", "人", True)
    assert conform(parse_figure("-"), "人", True).is_dash


def test_with_number_keeps_the_dressing_and_rounds_half_up():
    figure = parse_figure("0.144%").with_number(Decimal("0.1605"))
    assert figure.text == "0.161%"
    assert parse_figure("1,000人").with_number(2500).text == "2,500人"


_units = st.sampled_from(("", *UNITS))
_qualifiers = st.sampled_from(("", *QUALIFIERS))
_notes = st.sampled_from(("", "試行実施", "見込み", "R7.4時点"))


@st.composite
def printed_figures(draw):
    decimals = draw(st.integers(0, 3))
    scaled = draw(st.integers(-10**9, 10**9))
    number = Decimal(scaled).scaleb(-decimals)
    body = format(number, f",.{decimals}f")
    unit = draw(_units)
    qualifier = draw(_qualifiers)
    note = draw(_notes)
    return body + unit + qualifier + (f"({note})" if note else "")


@given(printed_figures())
def test_printed_text_round_trips_through_the_value(text):
    figure = parse_figure(text)
    assert figure.has_value
    assert figure.text == text
    assert parse_figure(figure.text) == figure


@given(printed_figures())
def test_full_width_input_reads_as_the_half_width_figure(text):
    full = text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789,.%()"})
    assert parse_figure(full).text == text


@given(st.text(max_size=30))
def test_parsing_never_raises(text):
    figure = parse_figure(text)
    assert figure.text is not None


# --- quoting what was typed back in a message ----------------------------------------


def test_quoted_keeps_short_printable_text_as_it_is():
    assert quoted("未定") == "未定"
    assert quoted("x" * QUOTE_LIMIT) == "x" * QUOTE_LIMIT


def test_quoted_shortens_long_text_to_the_limit_with_an_ellipsis():
    assert quoted("x" * (QUOTE_LIMIT + 1)) == "x" * (QUOTE_LIMIT - 1) + "…"
    assert len(quoted("あ" * 1_000_000)) == QUOTE_LIMIT


@pytest.mark.parametrize("control", ["\r", "\n", "\t", "\x00", "\x1b", "\x7f", "\x85", "\u2028", "\u2029"])
def test_quoted_turns_control_characters_and_line_breaks_into_spaces(control):
    assert quoted(f"a{control}b") == "a b"


def test_an_unreadable_cell_is_quoted_short_and_on_one_line():
    text = "見込み\r\n未定\tです" + "。" * 1_000_000
    with pytest.raises(FigureError) as caught:
        parse_for_row(text, "人", True)
    message = str(caught.value)
    assert message.startswith("「見込み  未定 です")
    assert "…」は数値として読めません" in message
    assert len(message) < QUOTE_LIMIT + 40
    assert not any(ch in message for ch in "\r\n\t")


def test_an_unreadable_suffix_is_quoted_short_too():
    with pytest.raises(FigureError) as caught:
        parse_for_row("12abc" + "z" * 100_000, "人", True)
    assert len(str(caught.value)) < 2 * QUOTE_LIMIT + 20


def test_long_digit_runs_still_parse_plausibility_refuses_them():
    # values.py refuses nothing new: the 15-digit rule lives in core.plausibility, where the cell is known.
    figure = parse_for_row("123456789012345678901234567890", "人", True)
    assert figure.number == Decimal("123456789012345678901234567890")
