"""How a customer reaches the bank by telephone: the one place the kiosk's texts take the numbers from.

CalmPay's bank is fictional, and so are its numbers. There are two because a mainland service
number (a 400 number, like the short 955xx numbers of real banks) cannot be dialled from Hong
Kong, Macao, Taiwan or abroad: visitors need a full international number. Written with hyphens so
a number is never broken across two lines. The mock bank keeps its own copy for its text
messages (:data:`mock_api.values.BANK_HOTLINE`); a test keeps the two the same.
"""

from __future__ import annotations

HOTLINE = "400-880-5588"  # from the mainland, free of charge
HOTLINE_ABROAD = "+86-21-6880-5588"  # from Hong Kong, Macao, Taiwan and abroad
ELDER_HOTLINE = "400-880-5566"  # the line for older customers: answered by a person, no menu, free of charge


def hotline_words() -> dict[str, str]:
    """The placeholders the texts that name the hotline use: ``{hotline}`` and ``{hotline_abroad}``."""
    return {"hotline": HOTLINE, "hotline_abroad": HOTLINE_ABROAD, "elder_hotline": ELDER_HOTLINE}


def spoken_number(number: str) -> str:
    """A telephone number as the voice should say it: digit by digit, with a pause between groups
    ("4 0 0, 8 8 0, 5 5 6 6"), never as "four hundred"."""
    groups = [" ".join(group) for group in number.replace("+", "").split("-") if group]
    return ", ".join(groups)
