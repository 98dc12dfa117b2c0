"""Amount entry accepts what people type and refuses the rest with a reason code."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from client.money import MAX_AMOUNT_MINOR, AmountError, AmountLimits, format_amount, parse_amount, to_major_text


@pytest.mark.parametrize(
    ("typed", "minor"),
    [
        ("２００", 20_000),
        ("200", 20_000),
        ("200.5", 20_050),
        ("¥200", 20_000),
        ("￥200", 20_000),
        ("200元", 20_000),
        ("1,234.50", 123_450),
        (" 200 ", 20_000),
        ("0.01", 1),
        (".5", 50),
        ("２００。５", 20_050),
    ],
)
def test_accepts_what_people_type(typed: str, minor: int) -> None:
    assert parse_amount(typed) == minor


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "amount_empty"),
        ("¥", "amount_empty"),
        ("abc", "amount_not_a_number"),
        ("-5", "amount_negative"),
        ("0", "amount_zero"),
        ("0.00", "amount_zero"),
        ("1.234", "amount_too_many_decimals"),
        ("1,23", "amount_not_a_number"),
        ("99999999999", "amount_too_large"),
    ],
)
def test_refuses_with_a_reason(typed: str, code: str) -> None:
    with pytest.raises(AmountError) as refused:
        parse_amount(typed)
    assert refused.value.code == code


def test_over_balance_and_limit() -> None:
    with pytest.raises(AmountError) as over:
        parse_amount("300", AmountLimits(balance_minor=20_000))
    assert over.value.code == "amount_over_balance" and over.value.params == {"balance_minor": 20_000}
    with pytest.raises(AmountError) as limit:
        parse_amount("300", AmountLimits(limit_minor=10_000))
    assert limit.value.code == "amount_over_limit"


@given(st.integers(min_value=1, max_value=MAX_AMOUNT_MINOR))
def test_formatting_and_parsing_round_trip(minor: int) -> None:
    assert parse_amount(to_major_text(minor)) == minor
    assert parse_amount(format_amount(minor, "en")) == minor
    assert parse_amount(format_amount(minor, "zh-Hans")) == minor
