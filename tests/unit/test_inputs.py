"""Input checks before anything is sent: the boundaries, and digits as a CJK keyboard types them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from client import flow, inputs
from client.money import parse_amount


@pytest.mark.parametrize(
    ("check", "shortest", "longest", "key"),
    [
        (inputs.card_number_problem, 12, 19, "error.card_number_invalid"),
        (inputs.account_number_problem, 12, 19, "error.account_number_invalid"),
        (inputs.customer_number_problem, 6, 12, "error.customer_number_invalid"),
        (inputs.pin_problem, 4, 6, "error.pin_too_short"),
    ],
)
def test_lengths_inside_the_bounds_pass_and_outside_are_explained(
    check: Callable[[str], str | None], shortest: int, longest: int, key: str
) -> None:
    assert check("1" * shortest) is None and check("1" * longest) is None
    assert check("1" * (shortest - 1)) == key and check("1" * (longest + 1)) == key


def test_spaces_do_not_count_and_full_width_digits_do() -> None:
    assert inputs.card_number_problem("6222 0200 0000 0001") is None
    assert inputs.customer_number_problem("１２３４５６") is None
    assert inputs.digits("12 34-５６") == "123456"  # as the bank reads them


# --- the amount field groups digits as the customer types ----------------------------------------


@pytest.mark.parametrize(
    ("typed", "cursor", "previous", "shown", "after"),
    [
        ("1234", 4, "123", "1,234", 5),  # a digit at the end: the cursor stays at the end
        ("1234.5", 6, "1234.", "1,234.5", 7),
        ("12345", 2, "1345", "12,345", 2),  # a digit in the middle: the cursor stays after it
        ("１２３４５", 5, "", "12,345", 6),  # full-width digits from a CJK keyboard
        ("２００。５", 5, "", "200.5", 5),  # and the ideographic full stop
        ("1234", 1, "1,234", "234", 0),  # Backspace just after a comma deletes the digit before it
        ("1,2345", 6, "1,234", "12,345", 6),
        ("123", 3, "12", "123", 3),
        ("", 0, "1", "", 0),
        ("abc", 1, "", "abc", 1),  # not an amount: left as typed, for the error message
        ("¥200", 4, "", "¥200", 4),
        ("-5", 2, "", "-5", 2),
    ],
)
def test_amounts_are_grouped_while_typing(typed: str, cursor: int, previous: str, shown: str, after: int) -> None:
    assert inputs.group_amount(typed, cursor, previous) == (shown, after)


amount_texts = st.builds(
    lambda whole, fraction: whole + fraction,
    st.text(alphabet="0123456789", min_size=1, max_size=10),
    st.one_of(st.just(""), st.text(alphabet="0123456789", max_size=2).map(lambda f: "." + f)),
)


@given(amount_texts, st.data())
def test_grouping_never_changes_the_amount_and_keeps_the_cursor_after_the_same_digit(
    text: str, data: st.DataObject
) -> None:
    cursor = data.draw(st.integers(min_value=0, max_value=len(text)))
    shown, after = inputs.group_amount(text, cursor)
    assert shown.replace(",", "") == text
    if text.strip("0.") and not text.endswith("."):
        assert parse_amount(shown) == parse_amount(text)  # the value stays the same number of fen
    assert shown[:after].replace(",", "") == text[:cursor]  # the same digits before the cursor
    assert inputs.group_amount(shown, after, shown) == (shown, after)  # grouping again changes nothing
    full_width = text.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    assert inputs.group_amount(full_width, cursor)[0] == shown


def test_digits_of_any_script_are_sent_as_the_ascii_digits_the_bank_reads() -> None:
    # Found by tests/unit/test_input_fuzz.py: a card number typed in full-width digits passed the
    # check and was sent as typed, which the bank's API refuses (^[0-9]+$).
    assert inputs.digits("６２２２ ０２００") == "62220200"
    assert inputs.digits("٦٢٢٢") == "6222"  # Arabic-Indic
    assert inputs.digits("一二三") == ""  # Chinese numerals are words, not digits


def test_a_one_time_code_in_full_width_digits_is_sent_as_ascii_and_anything_else_is_not_a_code() -> None:
    assert inputs.one_time_code("１２３ ４５６") == "123456"
    assert inputs.one_time_code("12345a") == "12345a"
    assert flow.may_submit_code(inputs.one_time_code("１２３４５６"))
    assert not flow.may_submit_code("１２３４５６")  # never sent as typed


def test_a_name_is_sent_without_what_cannot_be_read_and_needs_a_letter() -> None:
    # Found by tests/e2e/test_input_fuzz.py: a "name" of direction marks and zero-width spaces passed
    # the kiosk's check (not empty after strip()) and was sent to the bank for a name check.
    assert inputs.name_problem("\u200f\u200b") == "error.name_missing"
    assert inputs.name_problem("\x00\x1b") == "error.name_missing"
    assert inputs.name_problem("😀") == "error.name_missing"
    assert inputs.clean_name(" 刘\u202e芳 ") == "刘芳"  # an override could make it display as another name
    assert inputs.clean_name("Liu\u3000 Fang") == "Liu Fang"
    assert inputs.name_problem("Liu Fang") is None and inputs.name_problem("刘芳") is None
