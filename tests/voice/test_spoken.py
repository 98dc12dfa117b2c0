"""Amounts and dates as people say them: tables for every language, and properties that read the
words back into numbers."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from client.money import MAX_AMOUNT_MINOR
from client.voice.spoken import spoken_amount, spoken_date

LANGUAGES = ("zh-Hans", "zh-Hant", "en")
BEIJING = timezone(timedelta(hours=8))
amounts = st.integers(min_value=-(10**15), max_value=10**15)


@pytest.mark.parametrize(
    ("minor", "words"),
    [
        (123_450, "一千二百三十四元五角"),
        (20_000, "二百元"),
        (20_005, "二百元零五分"),
        (20_050, "二百元五角"),
        (20_055, "二百元五角五分"),
        (100, "一元"),
        (200, "二元"),
        (10, "一角"),
        (20, "二角"),
        (1, "一分"),
        (55, "五角五分"),
        (101, "一元零一分"),
        (0, "零元"),
        (-20_000, "负二百元"),
        (1_000, "十元"),
        (1_500, "十五元"),
        (11_000, "一百一十元"),
        (100_500, "一千零五元"),
        (105_000, "一千零五十元"),
        (150_000, "一千五百元"),
        (200_000, "两千元"),
        (1_000_500, "一万零五元"),
        (1_050_000, "一万零五百元"),
        (1_200_000, "一万两千元"),
        (2_000_000, "两万元"),
        (2_200_000, "两万两千元"),
        (1_200_000_0, "十二万元"),
        (10_001_000, "十万零一十元"),
        (100_000_000, "一百万元"),
        (100_200_000_0, "一千零二万元"),
        (20_000_000_000, "两亿元"),
        (10_010_000_000, "一亿零一十万元"),
        (11_000_000_000, "一亿一千万元"),
        (10_000_000_100, "一亿零一元"),
        (MAX_AMOUNT_MINOR, "一百亿元"),
        (10**14, "一万亿元"),
        (123_456_789_012_3, "一百二十三亿四千五百六十七万八千九百零一元二角三分"),
    ],
)
def test_chinese_amounts(minor: int, words: str) -> None:
    assert spoken_amount(minor, "zh-Hans") == words


@pytest.mark.parametrize(
    ("minor", "words"),
    [
        (123_450, "人民幣一千二百三十四元五角"),
        (20_005, "人民幣二百元零五分"),
        (200_000, "人民幣兩千元"),
        (2_000_000, "人民幣兩萬元"),
        (1_200_000, "人民幣一萬兩千元"),
        (100_000_000, "人民幣一百萬元"),
        (20_000_000_000, "人民幣兩億元"),
        (10_010_000_000, "人民幣一億零一十萬元"),
        (-20_000, "負人民幣二百元"),
    ],
)
def test_traditional_chinese_amounts(minor: int, words: str) -> None:
    assert spoken_amount(minor, "zh-Hant") == words


@pytest.mark.parametrize(
    ("minor", "words"),
    [
        (123_450, "one thousand two hundred thirty-four yuan fifty"),
        (20_000, "two hundred yuan"),
        (20_005, "two hundred yuan five"),
        (101, "one yuan one"),
        (150, "one yuan fifty"),
        (100, "one yuan"),
        (50, "fifty fen"),
        (1, "one fen"),
        (0, "zero yuan"),
        (-20_000, "minus two hundred yuan"),
        (-5, "minus five fen"),
        (1_500_000, "fifteen thousand yuan"),
        (100_000_000, "one million yuan"),
        (MAX_AMOUNT_MINOR, "ten billion yuan"),
        (10**17, "one thousand trillion yuan"),
    ],
)
def test_english_amounts(minor: int, words: str) -> None:
    assert spoken_amount(minor, "en") == words


@pytest.mark.parametrize(
    ("moment", "zh_hans", "zh_hant", "en"),
    [
        (
            datetime(2024, 11, 23, 14, 5, tzinfo=BEIJING),
            "十一月二十三日 下午两点零五分",
            "十一月二十三日 下午兩點零五分",
            "the twenty-third of November, two oh five in the afternoon",
        ),
        (
            datetime(2024, 11, 23, 6, 5, tzinfo=UTC),  # 14:05 in Beijing
            "十一月二十三日 下午两点零五分",
            "十一月二十三日 下午兩點零五分",
            "the twenty-third of November, two oh five in the afternoon",
        ),
        (
            datetime(2024, 1, 1, 0, 0, tzinfo=BEIJING),
            "一月一日 凌晨零点整",
            "一月一日 凌晨零點整",
            "the first of January, twelve midnight",
        ),
        (
            datetime(2024, 2, 2, 12, 0, tzinfo=BEIJING),
            "二月二日 中午十二点整",
            "二月二日 中午十二點整",
            "the second of February, twelve noon",
        ),
        (
            datetime(2024, 3, 12, 12, 30, tzinfo=BEIJING),
            "三月十二日 中午十二点三十分",
            "三月十二日 中午十二點三十分",
            "the twelfth of March, twelve thirty in the afternoon",
        ),
        (
            datetime(2024, 5, 31, 7, 15, tzinfo=BEIJING),
            "五月三十一日 早上七点十五分",
            "五月三十一日 早上七點十五分",
            "the thirty-first of May, seven fifteen in the morning",
        ),
        (
            datetime(2024, 10, 20, 9, 0, tzinfo=BEIJING),
            "十月二十日 上午九点整",
            "十月二十日 上午九點整",
            "the twentieth of October, nine o'clock in the morning",
        ),
        (
            datetime(2024, 12, 22, 19, 45, tzinfo=BEIJING),
            "十二月二十二日 晚上七点四十五分",
            "十二月二十二日 晚上七點四十五分",
            "the twenty-second of December, seven forty-five in the evening",
        ),
        (
            datetime(2024, 8, 3, 23, 59, tzinfo=BEIJING),
            "八月三日 晚上十一点五十九分",
            "八月三日 晚上十一點五十九分",
            "the third of August, eleven fifty-nine at night",
        ),
        (
            datetime(2024, 8, 3, 16, 30, tzinfo=UTC),  # 00:30 on 4 August in Beijing
            "八月四日 凌晨零点三十分",
            "八月四日 凌晨零點三十分",
            "the fourth of August, twelve thirty at night",
        ),
    ],
)
def test_dates(moment: datetime, zh_hans: str, zh_hant: str, en: str) -> None:
    assert spoken_date(moment, "zh-Hans") == zh_hans
    assert spoken_date(moment, "zh-Hant") == zh_hant
    assert spoken_date(moment, "en") == en


def test_naive_dates_and_unknown_languages_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        spoken_date(datetime(2024, 11, 23, 14, 5), "en")
    with pytest.raises(ValueError, match="unknown language"):
        spoken_date(datetime(2024, 11, 23, 14, 5, tzinfo=UTC), "fr")
    with pytest.raises(ValueError, match="unknown language"):
        spoken_amount(100, "zh")


# --- reading the words back ---------------------------------------------------------------------

_ZH_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
_ZH_SMALL = {"十": 10, "百": 100, "千": 1000}


def _parse_zh_number(words: str) -> int:
    total = section = number = 0
    for char in words:
        if char in _ZH_DIGIT:
            number = _ZH_DIGIT[char]
        elif char in _ZH_SMALL:
            section += (number or 1) * _ZH_SMALL[char]
            number = 0
        elif char == "万":
            section = (section + number) * 10**4
            number = 0
        elif char == "亿":
            total = (total + section + number) * 10**8
            section = number = 0
        else:
            raise AssertionError(f"unexpected {char!r} in {words!r}")
    return total + section + number


def _parse_zh_amount(words: str) -> int:
    match = re.fullmatch(r"(负)?(?:(.+)元)?零?(?:(.)角)?(?:(.)分)?", words)
    assert match, words
    sign, yuan, jiao, fen = match.groups()
    minor = _parse_zh_number(yuan or "零") * 100 + _ZH_DIGIT[jiao or "零"] * 10 + _ZH_DIGIT[fen or "零"]
    return -minor if sign else minor


_EN_SMALL = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
} | {
    word: 10 * (i + 2)
    for i, word in enumerate(["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"])
}
_EN_SCALE = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}


def _parse_en_number(words: list[str]) -> int:
    """Short-scale words to an int; a scale word multiplies everything said since a larger scale."""
    groups: list[tuple[int, int]] = []  # (value, scale) of completed groups
    current = 0
    for word in words:
        if word == "hundred":
            current *= 100
        elif word in _EN_SCALE:
            scale = _EN_SCALE[word]
            # "one thousand trillion": fold smaller groups into this one.
            while groups and groups[-1][1] < scale:
                current += groups.pop()[0]
            groups.append((current * scale, scale))
            current = 0
        else:
            current += sum(_EN_SMALL[part] for part in word.split("-"))
    return sum(value for value, _ in groups) + current


def _parse_en_amount(words: str) -> int:
    parts = words.split()
    sign = -1 if parts[0] == "minus" else 1
    parts = parts[1:] if sign < 0 else parts
    if parts[-1] == "fen":
        return sign * _parse_en_number(parts[:-1])
    at = parts.index("yuan")
    fen = _parse_en_number(parts[at + 1 :]) if parts[at + 1 :] else 0
    return sign * (_parse_en_number(parts[:at]) * 100 + fen)


@given(amounts)
def test_chinese_words_read_back_to_the_amount(minor: int) -> None:
    assert _parse_zh_amount(spoken_amount(minor, "zh-Hans")) == minor


@given(amounts)
def test_traditional_is_simplified_in_traditional_characters_after_the_currency(minor: int) -> None:
    back = spoken_amount(minor, "zh-Hant").replace("人民幣", "").translate(str.maketrans("兩萬億負", "两万亿负"))
    assert back == spoken_amount(minor, "zh-Hans")


@given(amounts)
def test_english_words_read_back_to_the_amount(minor: int) -> None:
    assert _parse_en_amount(spoken_amount(minor, "en")) == minor


@given(amounts, st.sampled_from(LANGUAGES))
def test_amounts_are_words_only(minor: int, language: str) -> None:
    words = spoken_amount(minor, language)
    assert words.strip() == words and words
    assert not re.search(r"[0-9.]", words), words  # no digits, no "point"
    assert "point" not in words
    assert words.startswith(("负", "負", "minus")) == (minor < 0)


@given(amounts)
def test_chinese_zero_rules(minor: int) -> None:
    words = spoken_amount(minor, "zh-Hans")
    assert "零零" not in words
    assert words == "零元" or not words.startswith(("零", "负零")), words
    if minor != 0:
        assert not re.search(r"零[元万亿]", words), words  # 零 only before something said
    assert not re.search(r"两(?![千万亿])", words), words  # 两 only before 千, 万, 亿
    assert "二千" not in words
    assert not re.search(r"(?:^|负|[元万亿])二[万亿]", words), words  # a lone 2 before 万/亿 is 两


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.timezones()),
    st.sampled_from(LANGUAGES),
)
def test_dates_are_words_only(moment: datetime, language: str) -> None:
    words = spoken_date(moment, language)
    assert words and not re.search(r"[0-9:]", words), words
    beijing = moment.astimezone(BEIJING)
    if language == "en":
        assert words.startswith("the ") and beijing.strftime("%B") in words
    else:
        month, day = words.split("月")[0], words.split("月")[1].split("日")[0]
        assert (_parse_zh_number(month), _parse_zh_number(day.replace("兩", "两"))) == (beijing.month, beijing.day)
