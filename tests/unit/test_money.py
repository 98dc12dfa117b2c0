"""Amount entry accepts what people type and refuses the rest with a reason code."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from client.money import (
    MAX_AMOUNT_MINOR,
    MAX_WORDS_MINOR,
    AmountError,
    AmountLimits,
    amount_in_words,
    format_amount,
    parse_amount,
    to_major_text,
)


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


# --- amounts in words (大写金额, English words) ------------------------------------------------------

_ZH_DIGITS = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
_ZH_PLACES = {"拾": 10, "佰": 100, "仟": 1000}
_HANT_TO_HANS = str.maketrans("貳參陸萬億", "贰叁陆万亿")
_EN_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
_EN_TEENS = "seventeen eighteen nineteen"
_EN_TENS = "twenty thirty forty fifty sixty seventy eighty ninety"
_EN_NUMBERS = {word: n for n, word in enumerate(f"{_EN_ONES} {_EN_TEENS}".split(" "))} | {
    word: 10 * n for n, word in enumerate(_EN_TENS.split(" "), start=2)
}
_EN_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9}


def _from_capital(text: str) -> int:
    """Read 大写金额 back, as a bank clerk would, independently of how it was written."""
    body = text.removesuffix("整")
    yuan_part, has_yuan, cents_part = body.partition("元")
    if not has_yuan:
        yuan_part, cents_part = "", body
    total = section = digit = 0
    for ch in yuan_part:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch in _ZH_PLACES:
            section, digit = section + digit * _ZH_PLACES[ch], 0
        elif ch == "亿":
            total, section, digit = (total + section + digit) * 10**8, 0, 0
        elif ch == "万":
            total, section, digit = total + (section + digit) * 10**4, 0, 0
        else:
            raise AssertionError(f"unexpected {ch!r} in {text!r}")
    minor = (total + section + digit) * 100
    digit = 0
    for ch in cents_part:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch in "角分":
            minor, digit = minor + digit * (10 if ch == "角" else 1), 0
        else:
            raise AssertionError(f"unexpected {ch!r} in {text!r}")
    return minor


def _from_english(text: str) -> int:
    def number(words: list[str]) -> int:
        total = current = 0
        for word in words:
            if word == "hundred":
                current *= 100
            elif word in _EN_SCALES:
                total, current = total + current * _EN_SCALES[word], 0
            else:
                current += sum(_EN_NUMBERS[part] for part in word.split("-"))
        return total + current

    words = [w for w in text.split() if w != "and"]
    if "yuan" in words:
        at = words.index("yuan")
        yuan, fen = number(words[:at]), words[at + 1 :]
    else:
        yuan, fen = 0, words
    assert fen[-1:] in ([], ["fen"]), text
    return yuan * 100 + number(fen[:-1])


@pytest.mark.parametrize(
    ("minor", "hans", "hant", "english"),
    [
        (30_760, "叁佰零柒元陆角整", "參佰零柒元陸角整", "three hundred and seven yuan and sixty fen"),
        (1_000_000, "壹万元整", "壹萬元整", "ten thousand yuan"),
        (1_500, "壹拾伍元整", "壹拾伍元整", "fifteen yuan"),
        (140_900, "壹仟肆佰零玖元整", "壹仟肆佰零玖元整", "one thousand four hundred and nine yuan"),
        (600_714, "陆仟零柒元壹角肆分", "陸仟零柒元壹角肆分", "six thousand and seven yuan and fourteen fen"),
        (
            1_640_902,
            "壹万陆仟肆佰零玖元零贰分",
            "壹萬陸仟肆佰零玖元零貳分",
            "sixteen thousand four hundred and nine yuan and two fen",
        ),
        (32_504, "叁佰贰拾伍元零肆分", "參佰貳拾伍元零肆分", "three hundred and twenty-five yuan and four fen"),
        (10_000_000_100, "壹亿零壹元整", "壹億零壹元整", "one hundred million and one yuan"),
        (10_001_000_000, "壹亿零壹万元整", "壹億零壹萬元整", "one hundred million ten thousand yuan"),
        (1_010_000, "壹万零壹佰元整", "壹萬零壹佰元整", "ten thousand one hundred yuan"),
        (60, "陆角整", "陸角整", "sixty fen"),
        (5, "伍分", "伍分", "five fen"),
        (100, "壹元整", "壹元整", "one yuan"),
        (0, "零元整", "零元整", "zero yuan"),
        (MAX_AMOUNT_MINOR, "壹佰亿元整", "壹佰億元整", "ten billion yuan"),
    ],
)
def test_amounts_in_words_known_examples(minor: int, hans: str, hant: str, english: str) -> None:
    assert amount_in_words(minor, "zh-Hans") == hans
    assert amount_in_words(minor, "zh-Hant") == hant
    assert amount_in_words(minor, "en") == english


@given(st.integers(min_value=0, max_value=MAX_WORDS_MINOR))
def test_amounts_in_words_read_back_to_the_same_amount(minor: int) -> None:
    hans = amount_in_words(minor, "zh-Hans")
    assert _from_capital(hans) == minor
    assert amount_in_words(minor, "zh-Hant").translate(_HANT_TO_HANS) == hans  # the same words, traditional forms
    assert _from_english(amount_in_words(minor, "en")) == minor


@given(st.integers(min_value=1, max_value=MAX_WORDS_MINOR))
def test_chinese_words_follow_the_zero_and_ending_rules(minor: int) -> None:
    hans = amount_in_words(minor, "zh-Hans")
    assert "零零" not in hans and not hans.startswith("零")
    assert not any(f"零{unit}" in hans for unit in "元万亿拾佰仟角整")  # 零 only stands before a digit
    assert hans.endswith("整") == (minor % 10 == 0)  # no fen: 整; fen: the amount ends with them
    assert hans.endswith("分") == (minor % 10 != 0)
    assert ("元" in hans) == (minor >= 100)
    if minor >= 100 and minor % 100 and minor % 100 < 10:
        assert "元零" in hans  # fen without jiao: the gap is said
    assert not any(ch.isdigit() and ch.isascii() for ch in hans)


@pytest.mark.parametrize("bad", [(-1, "en"), (MAX_WORDS_MINOR + 1, "zh-Hans"), (100, "fr")])
def test_no_words_outside_the_range_or_for_an_unknown_language(bad: tuple[int, str]) -> None:
    with pytest.raises(ValueError):
        amount_in_words(*bad)


def test_a_pasted_amount_of_thousands_of_digits_is_too_large_not_a_crash() -> None:
    # Found by tests/unit/test_input_fuzz.py: int() refuses more than 4,300 digits with a ValueError
    # that no screen catches (they catch AmountError).
    with pytest.raises(AmountError) as refused:
        parse_amount("1" * 5000)
    assert refused.value.code == "amount_too_large"
    assert parse_amount("0" * 5000 + "200") == 20_000  # leading zeros are not size
