"""Input checks before anything is sent: the boundaries, and digits as a CJK keyboard types them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from client import inputs


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
    assert inputs.digits("12 34-５６") == "1234５６"
