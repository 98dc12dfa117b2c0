"""Payee name check outcomes (Confirmation of Payee)."""

from __future__ import annotations

import pytest

from mock_api.names import check_name


@pytest.mark.parametrize(
    ("given", "holder", "result"),
    [
        ("李梅", "李梅 Li Mei", "match"),
        ("Li Mei", "李梅 Li Mei", "match"),
        ("mei li", "李梅 Li Mei", "match"),
        ("ＬＩ ＭＥＩ", "李梅 Li Mei", "match"),  # full-width letters from a CJK keyboard
        ("Liu Fan", "刘芳 Liu Fang", "close_match"),
        ("刘方", "刘芳 Liu Fang", "close_match"),
        ("王芳", "刘芳 Liu Fang", "no_match"),
        ("Li Na", "张伟 Zhang Wei", "no_match"),
        ("", "张伟 Zhang Wei", "no_match"),
    ],
)
def test_outcomes(given: str, holder: str, result: str) -> None:
    outcome = check_name(given, holder, available=True)
    assert outcome.result == result
    # The real name is told only on a close match, so a typo can be corrected.
    assert (outcome.actual_name == holder) == (result == "close_match")


def test_unknown_account_and_unavailable_service() -> None:
    assert check_name("Anyone", None, available=True).result == "no_match"
    assert check_name("Anyone", "张伟 Zhang Wei", available=False).result == "unavailable"
