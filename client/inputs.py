"""What the customer typed, checked before anything is sent to the bank.

Each check returns the catalog key of the plain-language problem, or None when the input is fine.
Digits are counted as the customer sees them: full-width digits from a CJK keyboard count too.
"""

from __future__ import annotations

import re
import unicodedata

CARD_NUMBER_DIGITS = range(12, 20)
ACCOUNT_NUMBER_DIGITS = range(12, 20)
CUSTOMER_NUMBER_DIGITS = range(6, 13)  # a bill's customer number
PIN_DIGITS = range(4, 7)


def digits(text: str) -> str:
    """The digits the customer typed, as the ASCII digits the bank reads: full-width (１２３) and
    other scripts' digits (٣, ३) count as the digits they are; anything else is left out."""
    return "".join(str(unicodedata.decimal(ch)) for ch in unicodedata.normalize("NFKC", text) if ch.isdecimal())


def one_time_code(text: str) -> str:
    """The code as the bank reads it (ASCII digits) when the customer typed only digits and spaces,
    else the text as typed (stripped), which is no code and is never sent."""
    if all(ch.isspace() or ch.isdecimal() for ch in unicodedata.normalize("NFKC", text)):
        return digits(text)
    return text.strip()


def card_number_problem(text: str) -> str | None:
    return None if len(digits(text)) in CARD_NUMBER_DIGITS else "error.card_number_invalid"


def account_number_problem(text: str) -> str | None:
    return None if len(digits(text)) in ACCOUNT_NUMBER_DIGITS else "error.account_number_invalid"


def customer_number_problem(text: str) -> str | None:
    return None if len(digits(text)) in CUSTOMER_NUMBER_DIGITS else "error.customer_number_invalid"


def pin_problem(pin: str) -> str | None:
    return None if len(pin) in PIN_DIGITS else "error.pin_too_short"


# Characters no one can read in a name: control and format characters (the direction marks and
# overrides that can make a name display as another), lone surrogates, private and unassigned ones.
_UNREADABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def clean_name(text: str) -> str:
    """A name as it is sent to the bank: what can be read of it, with its spaces as single spaces."""
    readable = "".join(ch for ch in unicodedata.normalize("NFC", text) if unicodedata.category(ch) not in _UNREADABLE)
    return " ".join(readable.split())


def name_problem(name: str) -> str | None:
    """A name needs a letter (of any script) once the unreadable characters are gone."""
    has_letter = any(unicodedata.category(ch).startswith("L") for ch in clean_name(name))
    return None if has_letter else "error.name_missing"


_TYPED_AMOUNT = re.compile(r"^(?P<whole>[0-9,]*)(?P<rest>\.[0-9]*)?$")


def group_amount(text: str, cursor: int, previous: str = "") -> tuple[str, int]:
    """The amount field while the customer types: digits grouped by thousands, and the cursor kept
    after the same digit. ``previous`` is the text before this edit.

    '1234.5' -> '1,234.5'. Full-width digits and the ideographic full stop (２００。５) are shown as
    ASCII (200.5). Deleting a comma deletes the digit before it, as if the comma were not there.
    Text that is not a plain amount (letters, a currency mark, a minus sign) is left as it is, for
    money.parse_amount to explain; the value is always read by money.parse_amount, in minor units.
    """
    chars = [unicodedata.normalize("NFKC", ch).replace("。", ".") for ch in text]
    if any(len(ch) != 1 for ch in chars):
        return text, cursor
    normal = "".join(chars)
    comma_deleted = len(normal) == len(previous) - 1 and normal.replace(",", "") == previous.replace(",", "")
    if comma_deleted and 0 < cursor <= len(normal):  # a comma went: the digit before it goes instead
        normal, cursor = normal[: cursor - 1] + normal[cursor:], cursor - 1
    match = _TYPED_AMOUNT.match(normal)
    if match is None:
        return text, cursor
    whole = match["whole"].replace(",", "")
    head = len(whole) % 3 or 3
    grouped = ",".join([whole[:head], *(whole[i : i + 3] for i in range(head, len(whole), 3))]) + (match["rest"] or "")
    return grouped, _same_place(grouped, sum(ch != "," for ch in normal[:cursor]))


def _same_place(text: str, kept: int) -> int:
    """The position in ``text`` just after its ``kept``-th character that is not a comma."""
    if kept == 0:
        return 0
    seen = 0
    for index, ch in enumerate(text):
        seen += ch != ","
        if seen == kept:
            return index + 1
    return len(text)
