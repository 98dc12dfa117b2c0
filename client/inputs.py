"""What the customer typed, checked before anything is sent to the bank.

Each check returns the catalog key of the plain-language problem, or None when the input is fine.
Digits are counted as the customer sees them: full-width digits from a CJK keyboard count too.
"""

from __future__ import annotations

CARD_NUMBER_DIGITS = range(12, 20)
ACCOUNT_NUMBER_DIGITS = range(12, 20)
CUSTOMER_NUMBER_DIGITS = range(6, 13)  # a bill's customer number
PIN_DIGITS = range(4, 7)


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def card_number_problem(text: str) -> str | None:
    return None if len(digits(text)) in CARD_NUMBER_DIGITS else "error.card_number_invalid"


def account_number_problem(text: str) -> str | None:
    return None if len(digits(text)) in ACCOUNT_NUMBER_DIGITS else "error.account_number_invalid"


def customer_number_problem(text: str) -> str | None:
    return None if len(digits(text)) in CUSTOMER_NUMBER_DIGITS else "error.customer_number_invalid"


def pin_problem(pin: str) -> str | None:
    return None if len(pin) in PIN_DIGITS else "error.pin_too_short"
