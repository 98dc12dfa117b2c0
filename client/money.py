"""Money as integer minor units (fen): parse what people type, format it per language.

Never a float: "200.5" becomes 20050 by string arithmetic.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_currency

MINOR_PER_MAJOR = 100
MAX_AMOUNT_MINOR = 10**12

_CURRENCY_MARKS = re.compile(r"(?i)^(?:¥|rmb|cny)|(?:元|块|yuan|rmb|cny)$")
_NUMBER = re.compile(r"^(?P<sign>[-+−])?(?P<whole>\d{1,3}(?:,\d{3})+|\d+)?(?:\.(?P<fraction>\d*))?$")


class AmountError(ValueError):
    """An amount the kiosk cannot accept; ``code`` keys the plain-language message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class AmountLimits:
    balance_minor: int | None = None
    limit_minor: int | None = None


def parse_amount(text: str, limits: AmountLimits | None = None) -> int:
    """'２００', '200', '200.5', '¥200', '1,234.50 元' -> minor units. Raises AmountError.

    Codes: amount_empty, amount_not_a_number, amount_negative, amount_zero,
    amount_too_many_decimals, amount_too_large, amount_over_balance, amount_over_limit.
    """
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(" ", "").replace("。", ".")
    cleaned = cleaned.replace("￥", "¥")
    for _ in range(2):  # a mark may stand at either end, or both: "¥200元"
        cleaned = _CURRENCY_MARKS.sub("", cleaned).strip()
    if not cleaned:
        raise AmountError("amount_empty")
    match = _NUMBER.match(cleaned)
    if match is None or (match["whole"] is None and not match["fraction"]):
        raise AmountError("amount_not_a_number")
    if match["sign"] in ("-", "−"):
        raise AmountError("amount_negative")
    fraction = match["fraction"] or ""
    if len(fraction) > 2:
        raise AmountError("amount_too_many_decimals")
    whole_digits = (match["whole"] or "0").replace(",", "").lstrip("0") or "0"
    if len(whole_digits) > len(str(MAX_AMOUNT_MINOR)):  # too large, and before int() refuses a long paste
        raise AmountError("amount_too_large")
    whole = int(whole_digits)
    minor = whole * MINOR_PER_MAJOR + int(fraction.ljust(2, "0"))
    if minor == 0:
        raise AmountError("amount_zero")
    if minor > MAX_AMOUNT_MINOR:
        raise AmountError("amount_too_large")
    if limits is not None:
        _check_limits(minor, limits)
    return minor


def _check_limits(minor: int, limits: AmountLimits) -> None:
    if limits.balance_minor is not None and minor > limits.balance_minor:
        raise AmountError("amount_over_balance", balance_minor=limits.balance_minor)
    if limits.limit_minor is not None and minor > limits.limit_minor:
        raise AmountError("amount_over_limit", limit_minor=limits.limit_minor)


# How each language names the currency (renminbi), decided once and formatted by Babel (CLDR):
# - zh-Hans, mainland readers: the yuan sign, as prices are written in China: ¥25,000.00.
# - zh-Hant, Hong Kong readers: 元 and ¥ also mean Hong Kong dollars (or NT$) to them, so the
#   currency's name comes first, as Hong Kong banks write renminbi: 人民幣 25,000.00.
# - en: RMB, as the currency is called in English in Hong Kong and in China (CLDR's CN¥ is rare
#   on a bank's screen): RMB 25,000.00.
_LOCALES = {"zh-Hans": "zh_Hans_CN", "zh-Hant": "zh_Hant_HK", "en": "en_HK"}
_AMOUNT_PATTERNS = {"zh-Hans": "¤#,##0.00", "zh-Hant": "¤¤¤ #,##0.00", "en": "'RMB' #,##0.00"}
CURRENCY = "CNY"


def locale_of(language: str) -> str:
    """The Babel (CLDR) locale whose conventions a language's customers read: 'zh-Hant' -> 'zh_Hant_HK'."""
    return _LOCALES.get(language, _LOCALES["en"])


def format_amount(minor: int, language: str = "en", *, sign: bool = False) -> str:
    """20050 -> '¥200.50' (zh-Hans), '人民幣 200.50' (zh-Hant), 'RMB 200.50' (en).

    Negative amounts start with a minus; ``sign`` shows + for money in."""
    pattern = _AMOUNT_PATTERNS.get(language, _AMOUNT_PATTERNS["en"])
    major = Decimal(minor).scaleb(-2)  # exact: fen to yuan without a float
    text = format_currency(major, CURRENCY, format=pattern, locale=locale_of(language), currency_digits=False)
    return f"+{text}" if sign and minor > 0 else text


def to_major_text(minor: int) -> str:
    """20050 -> '200.50', for an input field."""
    major, cents = divmod(minor, MINOR_PER_MAJOR)
    return f"{major}.{cents:02d}"


# --- amounts in words: the written echo under an amount (大写金额 and English words) ---------------
#
# Chinese (zh-Hans and zh-Hant) follows the rules for writing amounts on Chinese bank forms
# (《正确填写票据和结算凭证的基本规定》): the financial numerals 零壹贰叁肆伍陆柒捌玖 with 拾佰仟万亿,
# then 元, 角 and 分.
# - A 1 before 拾 is always written: 15 is 壹拾伍元整, 100,010 is 壹拾万零壹拾元整.
# - 零 stands once for each gap of zeros between two written digits (1,409 is 壹仟肆佰零玖; 6,007 is
#   陆仟零柒; 100,000,001 is 壹亿零壹元整); the zeros at the end of a group or of the whole yuan are
#   not written where the rules make it optional (1,680.32 is 壹仟陆佰捌拾元叁角贰分; 12,301,000 is
#   壹仟贰佰叁拾万壹仟元整).
# - 元 is followed by 零 when there are fen but no jiao: 16,409.02 is 壹万陆仟肆佰零玖元零贰分.
# - 整 ends an amount with no fen: 307.60 is 叁佰零柒元陆角整, 10,000 is 壹万元整, 0.60 is 陆角整;
#   an amount with fen ends with them (0.05 is 伍分). Nothing at all is 零元整.
# zh-Hant uses the traditional forms as written in Hong Kong: 零壹貳參肆伍陸柒捌玖拾佰仟萬億 (參, not
# the simplified 叁), and keeps 元 (the currency is renminbi, 人民幣, whose notes say 元; 圓 is the
# older, formal form used in Taiwan) and 整 (Hong Kong cheques often write 正 for 整; 整 is the
# unambiguous form of the rules above and is read the same way).
#
# English is written as on a British or Hong Kong cheque: "and" inside numbers, "and" before the
# fen, the units never in the plural: 307.60 is "three hundred and seven yuan and sixty fen",
# 1,005 is "one thousand and five yuan", 0.05 is "five fen", 1 is "one yuan".
# (The voice says amounts more briefly, as people say prices: client.voice.spoken.)

MAX_WORDS_MINOR = 10**14 - 1  # 999,999,999,999.99: below 一万亿, far above MAX_AMOUNT_MINOR

_ZH_CAPITAL = {
    "zh-Hans": ("零壹贰叁肆伍陆柒捌玖", ("", "拾", "佰", "仟"), ("", "万", "亿"), "元角分整"),
    "zh-Hant": ("零壹貳參肆伍陸柒捌玖", ("", "拾", "佰", "仟"), ("", "萬", "億"), "元角分整"),
}
EN_ONES = (  # number words, shared with the voice (client.voice.spoken)
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
)
EN_TENS = ("_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_EN_SCALES = ("", "thousand", "million", "billion")


def amount_in_words(minor: int, language: str) -> str:
    """20050 -> '贰佰元伍角整' (zh-Hans), '貳佰元伍角整' (zh-Hant), 'two hundred yuan and fifty fen' (en).

    For the eye, under an amount the customer typed or is about to pay; 0 <= minor <= MAX_WORDS_MINOR.
    """
    if not 0 <= minor <= MAX_WORDS_MINOR:
        raise ValueError(f"no words for {minor} fen (0 to {MAX_WORDS_MINOR})")
    if language in _ZH_CAPITAL:
        return _zh_capital(minor, *_ZH_CAPITAL[language])
    if language == "en":
        return _en_words(minor)
    raise ValueError(f"unknown language {language!r}")


def _zh_capital(minor: int, digits: str, places: tuple[str, ...], groups: tuple[str, ...], marks: str) -> str:
    yuan_mark, jiao_mark, fen_mark, whole_mark = marks
    yuan, cents = divmod(minor, MINOR_PER_MAJOR)
    jiao, fen = divmod(cents, 10)
    text = ""
    if yuan:
        text = _zh_capital_number(yuan, digits, places, groups) + yuan_mark
    if jiao:
        text += digits[jiao] + jiao_mark
    elif fen and yuan:
        text += digits[0]  # 元零贰分: the missing jiao is said
    if fen:
        return text + digits[fen] + fen_mark
    return (text or digits[0] + yuan_mark) + whole_mark


def _zh_capital_number(n: int, digits: str, places: tuple[str, ...], groups: tuple[str, ...]) -> str:
    """1..999,999,999,999 in financial numerals, by groups of four digits (…亿 …万 …)."""
    text, gap = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = n // 10_000**index % 10_000
        if group == 0:
            gap = gap or bool(text)
            continue
        if text and (gap or group < 1000):
            text += digits[0]
        text += _zh_capital_group(group, digits, places) + groups[index]
        gap = False
    return text


def _zh_capital_group(n: int, digits: str, places: tuple[str, ...]) -> str:
    """1..9999: 1409 -> 壹仟肆佰零玖, 1000 -> 壹仟, 10 -> 壹拾."""
    text, gap = "", False
    for place in range(3, -1, -1):
        digit = n // 10**place % 10
        if digit == 0:
            gap = gap or bool(text)
            continue
        if gap:
            text += digits[0]
            gap = False
        text += digits[digit] + places[place]
    return text


def _en_words(minor: int) -> str:
    yuan, fen = divmod(minor, MINOR_PER_MAJOR)
    if yuan and fen:
        return f"{_en_number(yuan)} yuan and {_en_number(fen)} fen"
    if fen:
        return f"{_en_number(fen)} fen"
    return f"{_en_number(yuan)} yuan"


def _en_below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    words = [f"{EN_ONES[hundreds]} hundred"] if hundreds else []
    if rest:
        if hundreds:
            words.append("and")
        tens, ones = divmod(rest, 10)
        words.append(EN_ONES[rest] if rest < 20 else EN_TENS[tens] + (f"-{EN_ONES[ones]}" if ones else ""))
    return " ".join(words)


def _en_number(n: int) -> str:
    """British style: 1,005 is 'one thousand and five', 2,000,050 is 'two million and fifty'."""
    if n == 0:
        return "zero"
    words: list[str] = []
    for index in range(len(_EN_SCALES) - 1, -1, -1):
        group = n // 1000**index % 1000
        if group == 0:
            continue
        if index == 0 and words and group < 100:
            words.append("and")
        words.append(_en_below_thousand(group) + (f" {_EN_SCALES[index]}" if index else ""))
    return " ".join(words)
