"""Money as integer minor units (fen): parse what people type, format it per language.

Never a float: "200.5" becomes 20050 by string arithmetic.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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
    whole = int((match["whole"] or "0").replace(",", ""))
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


def format_amount(minor: int, language: str = "en", *, sign: bool = False) -> str:
    """20050 -> '¥200.50' (en) or '200.50 元' (Chinese). ``sign`` shows + for money in."""
    prefix = "-" if minor < 0 else ("+" if sign and minor > 0 else "")
    major, cents = divmod(abs(minor), MINOR_PER_MAJOR)
    digits = f"{major:,}.{cents:02d}"
    if language.startswith("zh"):
        return f"{prefix}{digits} 元"
    return f"{prefix}¥{digits}"


def to_major_text(minor: int) -> str:
    """20050 -> '200.50', for an input field."""
    major, cents = divmod(minor, MINOR_PER_MAJOR)
    return f"{major}.{cents:02d}"
