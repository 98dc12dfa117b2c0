"""Amounts and dates the way a person says them, for the voice prompts (DESIGN.md "Voice").

``spoken_amount(20000, "zh-Hans") == "二百元"`` and ``spoken_amount(20000, "en") == "two hundred
yuan"``: never digit by digit, never "point zero zero", and never an ASCII digit (a speech engine
would read "200" its own way).

Chinese readings (zh-Hans, and zh-Hant with traditional characters):

- Groups of four digits with 万 and 亿; larger numbers stack them (10¹² fen is 一百亿元; 10¹² yuan is
  一万亿元).
- 零 stands for a gap inside a number, once per gap (一千零五, 一万零五百, 一亿零一十万) and never at
  the end (一千五百). A leading 10–19 is 十… (十元, 十五万); inside a number it is 一十 (一百一十).
- 两 or 二: a multiplier of exactly 2 directly before 千, 万 or 亿 is 两 (两千, 一万两千, 两万, 两亿),
  because that is how people say it: 二千 and 二万 sound like reading a form aloud. Everywhere else
  it is 二 (二十, 二百, 十二万, 二元, 二角, 二分), the standard reading of a sum of money. Clock
  hours are the one other place with 两: 两点 (2 o'clock).
- Money: 元, then 角 and 分; 零 before 分 when 角 is missing (二百元零五分); whole amounts need no 整.
  zh-Hant names the currency first (人民幣二百元): to a Hong Kong listener 元 alone is Hong Kong dollars.

English: American-style cardinals without "and" ("one thousand two hundred thirty-four"), then
"yuan", then the fen as a plain number, as people say prices: 1234.50 is "one thousand two hundred
thirty-four yuan fifty", 1.01 is "one yuan one", 0.50 is "fifty fen". Negative amounts start with
"minus" (负 in Chinese).

Dates are spoken in Beijing time (UTC+8, no daylight saving), day and time without the year:
"十一月二十三日 下午两点零五分", "the twenty-third of November, two oh five in the afternoon".
"""

from __future__ import annotations

from datetime import datetime

from client.i18n import LANGUAGES, LOCAL_TIME
from client.money import EN_ONES, EN_TENS

MINOR_PER_MAJOR = 100

# Simplified to traditional, for the only characters that differ in what this module says.
_TO_TRADITIONAL = str.maketrans({"两": "兩", "万": "萬", "亿": "億", "负": "負", "点": "點"})
_ZH_DIGITS = "零一二三四五六七八九"
RENMINBI = "人民幣"  # said before a 繁體 amount: 人民幣二百元 (Cantonese: jan4 man4 bai6)

_EN_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (10**3, "thousand"))
_EN_ORDINAL_IRREGULAR = {1: "first", 2: "second", 3: "third", 5: "fifth", 8: "eighth", 9: "ninth", 12: "twelfth"}
_EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {', '.join(LANGUAGES)}")


# --- Chinese ------------------------------------------------------------------------------------


def _zh_section(n: int, *, leading: bool) -> str:
    """1..9999 in Chinese; ``leading`` when nothing is said before it (十五 rather than 一十五)."""
    words: list[str] = []
    gap = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit == 0:
            gap = gap or bool(words)
            continue
        if gap:
            words.append("零")
            gap = False
        if digit == 2 and unit == "千":
            words.append("两千")
        elif digit == 1 and unit == "十" and leading and not words:
            words.append("十")
        else:
            words.append(_ZH_DIGITS[digit] + unit)
    return "".join(words)


def _zh_number(n: int, *, leading: bool = True) -> str:
    """A non-negative integer in Chinese (simplified characters)."""
    if n == 0:
        return "零"
    for value, unit in ((10**8, "亿"), (10**4, "万")):
        if n >= value:
            high, low = divmod(n, value)
            head = "两" + unit if high == 2 else _zh_number(high, leading=leading) + unit
            if low == 0:
                return head
            gap = "零" if low < value // 10 else ""
            return head + gap + _zh_number(low, leading=False)
    return _zh_section(n, leading=leading)


def _zh_amount(minor: int) -> str:
    yuan, cents = divmod(abs(minor), MINOR_PER_MAJOR)
    jiao, fen = divmod(cents, 10)
    words = []
    if yuan:
        words.append(_zh_number(yuan) + "元")
    if jiao:
        words.append(_ZH_DIGITS[jiao] + "角")
    if fen:
        if yuan and not jiao:
            words.append("零")
        words.append(_ZH_DIGITS[fen] + "分")
    text = "".join(words) or "零元"
    return "负" + text if minor < 0 else text


def _zh_date(local: datetime) -> str:
    hour, minute = local.hour, local.minute
    if hour < 5:
        period = "凌晨"
    elif hour < 9:
        period = "早上"
    elif hour < 12:
        period = "上午"
    elif hour < 13:
        period = "中午"
    elif hour < 18:
        period = "下午"
    else:
        period = "晚上"
    clock = hour if hour <= 12 else hour - 12  # 0 stays 零点 (midnight), 12 is 中午十二点
    clock_words = "两" if clock == 2 else _zh_number(clock)
    if minute == 0:
        minute_words = "整"
    elif minute < 10:
        minute_words = "零" + _ZH_DIGITS[minute] + "分"
    else:
        minute_words = _zh_number(minute) + "分"
    return f"{_zh_number(local.month)}月{_zh_number(local.day)}日 {period}{clock_words}点{minute_words}"


# --- English ------------------------------------------------------------------------------------


def _en_number(n: int) -> str:
    """A non-negative integer in English words, short scale, no "and"."""
    if n < 20:
        return EN_ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return EN_TENS[tens] + (f"-{EN_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{EN_ONES[hundreds]} hundred" + (f" {_en_number(rest)}" if rest else "")
    for value, name in _EN_SCALES:
        if n >= value:
            high, low = divmod(n, value)
            return f"{_en_number(high)} {name}" + (f" {_en_number(low)}" if low else "")
    raise AssertionError("unreachable")  # pragma: no cover


def _en_ordinal(n: int) -> str:
    """1..99 as an ordinal: first, twenty-third, thirtieth."""
    if n in _EN_ORDINAL_IRREGULAR:
        return _EN_ORDINAL_IRREGULAR[n]
    tens, ones = divmod(n, 10)
    if n > 20 and ones:
        return f"{EN_TENS[tens]}-{_en_ordinal(ones)}"
    cardinal = _en_number(n)
    return cardinal[:-1] + "ieth" if cardinal.endswith("y") else cardinal + "th"


def _en_amount(minor: int) -> str:
    yuan, fen = divmod(abs(minor), MINOR_PER_MAJOR)
    if yuan and fen:
        text = f"{_en_number(yuan)} yuan {_en_number(fen)}"
    elif fen:
        text = f"{_en_number(fen)} fen"
    else:
        text = f"{_en_number(yuan)} yuan"
    return "minus " + text if minor < 0 else text


def _en_date(local: datetime) -> str:
    hour, minute = local.hour, local.minute
    day = f"the {_en_ordinal(local.day)} of {_EN_MONTHS[local.month - 1]}"
    if minute == 0 and hour in (0, 12):
        return f"{day}, twelve {'midnight' if hour == 0 else 'noon'}"
    clock = _en_number(hour % 12 or 12)
    if minute == 0:
        clock += " o'clock"
    elif minute < 10:
        clock += f" oh {_en_number(minute)}"
    else:
        clock += f" {_en_number(minute)}"
    if 5 <= hour < 12:
        period = "in the morning"
    elif 12 <= hour < 18:
        period = "in the afternoon"
    elif 18 <= hour < 21:
        period = "in the evening"
    else:
        period = "at night"
    return f"{day}, {clock} {period}"


# --- public -------------------------------------------------------------------------------------


def spoken_amount(minor: int, language: str) -> str:
    """An amount in fen, as words: 123450 -> "一千二百三十四元五角" / "人民幣一千二百三十四元五角" /
    "one thousand two hundred thirty-four yuan fifty"."""
    _check_language(language)
    if language == "en":
        return _en_amount(minor)
    text = _zh_amount(minor)
    if language == "zh-Hant":  # in Hong Kong 元 alone is a Hong Kong dollar: the currency is named
        sign, words = ("负", text[1:]) if minor < 0 else ("", text)
        return (sign + RENMINBI + words).translate(_TO_TRADITIONAL)
    return text


def spoken_date(moment: datetime, language: str) -> str:
    """Day and time in Beijing time, as words. ``moment`` must be timezone-aware."""
    _check_language(language)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("spoken_date needs a timezone-aware datetime (which time zone is a naive one in?)")
    local = moment.astimezone(LOCAL_TIME)
    if language == "en":
        return _en_date(local)
    text = _zh_date(local)
    return text.translate(_TO_TRADITIONAL) if language == "zh-Hant" else text
