from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socdesk.core.errors import ParseError
from socdesk.core.numbers import MAX_MAGNITUDE, Scale, format_number, parse_number, round_half_up


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 234,5", "1234.5"),
        ("1\u00a0234,5", "1234.5"),
        ("1\u202f234,5", "1234.5"),
        ("1\u2009234,5", "1234.5"),
        ("−2 006", "-2006"),
        ("-2006", "-2006"),
        ("+18", "18"),
        ("12 %", "12"),
        ("12%", "12"),
        ("(1 234)", "-1234"),
        ("801 053 kr", "801053"),
        ("-1 010,4", "-1010.4"),
        ("0,0", "0"),
        (",5", "0.5"),
        ("1234.50", "1234.50"),
        ("2 409 905", "2409905"),
        ("  525 ", "525"),
    ],
)
def test_parses_swedish_numbers_exactly(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1,234,5", "decimalkomma"),
        ("1,2,3", "decimalkomma"),
        ("12.3.4", "tvetydigt"),
        ("1.234", "tvetydigt"),
        ("1.234,5", "tvetydigt"),
        ("abc", "inget tal"),
        ("−", "inget tal"),
        ("1e309", "exponent"),
        ("123456789012345678901234567890", "för stort"),
        ("12 34", "tre siffror"),
        ("", "saknas"),
    ],
)
def test_rejects_ambiguous_or_bad_input_with_a_reason(text, reason):
    with pytest.raises(ParseError, match=reason):
        parse_number(text)


@pytest.mark.parametrize(
    ("value", "decimals", "scale", "text"),
    [
        ("1234.5", 1, Scale.KR, "1\u00a0234,5"),
        ("-2006", 0, Scale.KR, "−2\u00a0006"),
        ("-2006000", 0, Scale.TKR, "−2\u00a0006"),
        ("-1010400000", 1, Scale.MNKR, "−1\u00a0010,4"),
        ("-0.4", 0, Scale.KR, "0"),
        ("2.5", 0, Scale.KR, "3"),
        ("-2.5", 0, Scale.KR, "−3"),
        ("999.5", 0, Scale.TKR, "1"),
    ],
)
def test_formats_with_swedish_conventions(value, decimals, scale, text):
    assert format_number(Decimal(value), decimals, scale) == text


def test_percent_and_plus():
    assert format_number(Decimal("12"), 0, percent=True) == "12\u00a0%"
    assert format_number(Decimal("5400000"), 1, Scale.MNKR, plus=True) == "+5,4"


def test_rounding_is_half_away_from_zero_like_excel():
    assert round_half_up(Decimal("0.125"), 2) == Decimal("0.13")
    assert round_half_up(Decimal("-0.125"), 2) == Decimal("-0.13")


amounts = st.decimals(
    min_value=1 - MAX_MAGNITUDE, max_value=MAX_MAGNITUDE - 1, places=2, allow_nan=False
)  # every figure the bound admits


@given(amounts, st.integers(0, 2))
def test_format_then_parse_round_trips_exactly(value, decimals):
    rounded = round_half_up(value, decimals)
    assert parse_number(format_number(rounded, decimals)) == rounded


@given(amounts, st.sampled_from(list(Scale)))
def test_scaled_format_parses_back_to_the_rounded_scaled_value(value, scale):
    text = format_number(value, 3, scale)
    assert parse_number(text) * scale.factor == round_half_up(value / scale.factor, 3) * scale.factor


@given(st.lists(amounts, min_size=1, max_size=40))
def test_a_displayed_total_is_the_rounded_exact_total(values):
    exact = sum(values, Decimal(0))
    shown = format_number(exact, 0, Scale.TKR)
    assert parse_number(shown) == round_half_up(exact / 1000, 0)
