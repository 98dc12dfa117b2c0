"""Whatever a customer types, pastes or scans, the kiosk's input checks answer calmly: a value the
bank reads, or the key of a plain-language message in every language. Never an exception.

Cheap (no window, no bank), so many examples; tests/e2e/test_input_fuzz.py types the same kinds of
text into the real window."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from client import flow, inputs
from client.i18n import Translator
from client.kiosk import _digits as digits_sent
from client.money import MAX_AMOUNT_MINOR, AmountError, AmountLimits, parse_amount
from client.name_input import candidates

LANGUAGES = ("en", "zh-Hans", "zh-Hant")
MANY = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# The kinds of text a kiosk meets: digits of every width and script, Chinese numerals, marks that
# steer the direction of text, emoji, control characters, every kind of space, and very long text.
ODD_CHARACTERS = st.sampled_from(
    list("0123456789０１２３４５６７８９٠١٢٣٤٥٦٧٨٩०१२३४५६७८९¹²³⁴①②⑨½〇一二三四五六七八九十百千万亿零壹贰")
    + list(".,。，．-−+¥￥元$ \t\n\r\x00\x1b\x7f\u00a0\u2007\u3000\u200b\u200e\u200f\u202e\u2066\ufeff")
    + ["😀", "👍🏽", "🇨🇳", "\U0001d7ce", "\ufffd"]
)
ODD_TEXT = st.lists(ODD_CHARACTERS, max_size=40).map("".join)
TEXT = st.one_of(
    st.text(),  # any code point Python allows, lone surrogates included
    ODD_TEXT,
    st.text(st.characters(codec="utf-8"), max_size=40),
    st.builds(lambda s, n: s * n, ODD_TEXT.filter(bool), st.integers(100, 3000)),  # very long
)


@pytest.fixture(scope="module")
def translators() -> list[Translator]:
    return [Translator(language) for language in LANGUAGES]


def explained(key: str, translators: list[Translator]) -> bool:
    return all(t.has(key) and t(key, balance_minor="1", limit_minor="1").strip() for t in translators)


@MANY
@given(TEXT)
@example("1" * 5000)  # longer than Python turns into an int at once
@example("." + "5" * 5000)
@example("٢٠٠")  # Arabic-Indic digits
def test_an_amount_is_read_or_explained_never_a_crash(translators: list[Translator], text: str) -> None:
    try:
        minor = parse_amount(text, AmountLimits(balance_minor=10**9))
    except AmountError as problem:
        assert explained(f"error.{problem.code}", translators), problem.code
        return
    assert 0 < minor <= 10**9 <= MAX_AMOUNT_MINOR


@MANY
@given(TEXT, st.integers(0, 60), TEXT)
def test_grouping_while_typing_never_fails_and_never_changes_the_value(text: str, cursor: int, previous: str) -> None:
    shown, at = inputs.group_amount(text, min(cursor, len(text)), previous)
    assert isinstance(shown, str) and 0 <= at <= len(shown)
    try:
        typed = parse_amount(text)
    except AmountError:
        return
    if shown != text:
        assert parse_amount(shown) == typed


CHECKS = (
    (inputs.card_number_problem, inputs.CARD_NUMBER_DIGITS),
    (inputs.account_number_problem, inputs.ACCOUNT_NUMBER_DIGITS),
    (inputs.customer_number_problem, inputs.CUSTOMER_NUMBER_DIGITS),
)


@MANY
@given(TEXT)
@example("６２２２０２００００００００００１")  # full-width, from a CJK keyboard
@example("٦٢٢٢٠٢٠٠٠٠٠٠٠٠٠١")  # Arabic-Indic
@example("¹²³⁴⁵⁶⁷⁸⁹¹²³")  # superscripts: NFKC makes them digits
def test_what_is_checked_is_what_is_sent_and_the_bank_reads_it(translators: list[Translator], text: str) -> None:
    """A number passes its check exactly when the digits the kiosk would send have the right length,
    and the digits sent are the ASCII digits the bank's API reads (pattern ^[0-9]+$)."""
    sent = digits_sent(text)
    assert sent == inputs.digits(text)
    assert sent.isascii() and (sent == "" or sent.isdigit())
    for check, lengths in CHECKS:
        problem = check(text)
        assert (problem is None) == (len(sent) in lengths)
        assert problem is None or explained(problem, translators)


@MANY
@given(TEXT)
@example("１２３４５６")
@example("¹²³⁴⁵⁶")
def test_a_code_goes_to_the_bank_only_as_six_ascii_digits(text: str) -> None:
    code = inputs.one_time_code(text)
    if flow.may_submit_code(code):
        assert len(code) == 6 and code.isascii() and code.isdigit()
        assert code == inputs.digits(text)  # the digits the customer typed, nothing dropped silently
        assert not any(ch.isalpha() for ch in unicodedata.normalize("NFKC", text))


@settings(max_examples=500, deadline=None)
@given(TEXT, st.sampled_from(["hans", "hant"]))
def test_the_name_keyboard_offers_characters_for_any_typing(text: str, script: str) -> None:
    offered = candidates(text[:40], script)  # type: ignore[arg-type]
    assert all(isinstance(c, str) and c for c in offered)
