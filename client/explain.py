"""Problems and amounts in plain words, in the customer's language, for the screen and the voice.

Qt-free: the window (ui.main_window) asks here and shows or says the answer."""

from __future__ import annotations

from datetime import date
from typing import Any

from client.errors import CalmPayError, PinIncorrect, VerificationFailed
from client.i18n import Translator
from client.models import Bill
from client.money import AmountError, format_amount
from client.security.catalog import SecurityCatalog
from client.voice.spoken import spoken_amount

# Problems explained by the security catalog (assets/security) rather than a one-line error.
CATALOG_EVENTS = frozenset(
    {"card_locked", "account_frozen", "service_unavailable", "connection_lost", "verification_code_expired"}
)


def money(minor: int, language: str, *, spoken: bool = False) -> str:
    """An amount as shown ("¥200.00") or, ``spoken``, as said ("two hundred yuan")."""
    return spoken_amount(minor, language) if spoken else format_amount(minor, language)


def movement(minor: int, t: Translator) -> str:
    """Money out or in, in words as well as by its sign: "Paid out -RMB 200.00", 「存入 +¥4,200.00」."""
    key = "history.paid_out" if minor < 0 else "history.paid_in"
    return t(key, amount=format_amount(minor, t.language, sign=True))


def bill_when(bill: Bill, t: Translator, today: date) -> str:
    """The bill's month and due day as a customer reads them ("November 2026 bill, due 25 November",
    「2026年11月賬單，11月25日前繳費」), saying plainly when it is overdue. ``today``: the bank's date."""
    key = "bill_found.when_overdue" if bill.overdue_on(today) else "bill_found.when"
    return t(key, month=t.month(bill.month), due=t.day(bill.due))


def explain(
    problem: CalmPayError | AmountError,
    t: Translator,
    catalog: SecurityCatalog,
    *,
    spoken: bool = False,
    speak_amounts: bool = False,
) -> str:
    """The plain-language sentence for a problem. ``spoken``: the words to say, with amounts in
    words, or left out unless the customer asked to hear amounts (``speak_amounts``)."""
    code = problem.code
    params: dict[str, Any] = {}
    if isinstance(problem, PinIncorrect | VerificationFailed) and problem.attempts_remaining is not None:
        params["count"] = problem.attempts_remaining
    if code in CATALOG_EVENTS:
        prompt = catalog.prompt(code, t.language)
        return prompt.speech if spoken else f"{prompt.what_happened} {prompt.what_you_can_do}"
    key = f"error.{code}"
    if not t.has(key):
        key = "error.unexpected_error"
    if isinstance(problem, AmountError):
        if spoken and problem.params and not speak_amounts and t.has(f"speech.error.{code}"):
            return t(f"speech.error.{code}")
        params = {k: money(int(str(v)), t.language, spoken=spoken) for k, v in problem.params.items()}
    return t(key, **params)
