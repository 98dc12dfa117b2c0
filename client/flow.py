"""What comes next in a customer's task, decided without a screen.

Screens ask these functions and show the answer: a :class:`Next` screen to go to, a
:class:`LookUpBill`, or :data:`STAY` (stay: the screen goes on itself, or explains the problem).
The kiosk judges nothing about risk here: the bank does, and these functions only choose what to
show for the bank's answer. Everything here is Qt-free and tested in tests/unit.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from client import errors

if TYPE_CHECKING:  # the models (pydantic) load after the Welcome screen has painted
    from client import models

# The stop shown when the bank blocks a payment without saying why.
DEFAULT_STOP = "payee_reported_scam"
# The bank's reason for an answer to "what is this payment for?" that matches a scammer's script.
PURPOSE_SCAM_SCRIPT = "purpose_scam_script"
# The core grid's items (client.adaptive.CORE_ITEMS) and the screens they open.
CORE_TARGETS = {"balance": "balance", "send": "send_payee", "bill": "bill_biller", "history": "history"}


@dataclass(frozen=True)
class Next:
    """Go to ``screen_id`` with ``params``."""

    screen_id: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LookUpBill:
    """Look the bill up (it blocks), then go on as :func:`after_bill_found` says for a shortcut
    (``straight_to_review``) or for a bill just found."""

    biller: models.Biller
    customer_number: str
    straight_to_review: bool = True


@dataclass(frozen=True)
class Stay:
    """Stay on this screen; it explains the problem itself."""


STAY = Stay()
Outcome = Next | LookUpBill | Stay


def stopped(problem: errors.PaymentBlocked) -> Next:
    """The calm stop for a blocked payment, led by the bank's first reason."""
    return Next("stop", {"code": (problem.reasons or [DEFAULT_STOP])[0]})


# --- the card and the PIN ------------------------------------------------------------------------------

# Sign-in problems that end the PIN step for this card at once. After a lock the bank pauses the
# whole account when the PIN is tried again on the locked card (mock_api: freeze_after_locked_attempts),
# so no further PIN for that card may leave this kiosk: the reader keeps the card.
CARD_KEPT_CODES = frozenset({"card_locked", "account_frozen"})
CARD_KEPT_SCREEN = "card_kept"


def ends_pin_step(problem: errors.CalmPayError) -> bool:
    """This card may not be tried again here: the reader keeps it and staff take over."""
    return problem.code in CARD_KEPT_CODES


def after_sign_in_failed(problem: errors.CalmPayError) -> Next | Stay:
    """A locked card (or a paused account) ends the PIN step at once; a wrong PIN stays for another try."""
    if ends_pin_step(problem):
        return Next(CARD_KEPT_SCREEN, {"code": problem.code})
    return STAY


def after_card_chosen(card_number: str, kept: str | None) -> Next:
    """The PIN is asked only for a card this kiosk has not kept; ``kept``: why it was kept, or None."""
    if kept is not None:
        return Next(CARD_KEPT_SCREEN, {"code": kept})
    return Next("pin", {"card_number": card_number})


# --- a new payee ---------------------------------------------------------------------------------------

# The bank refused to save a payee under its name check: too old, or for other details.
NAME_CHECK_REFUSALS = frozenset({"name_check_expired", "name_check_mismatch", "name_check_not_found"})


def name_check_outdated(problem: errors.CalmPayError) -> bool:
    """The save needs a fresh name check: the result shown is dropped and the name checked again."""
    return problem.code in NAME_CHECK_REFUSALS


# --- review: pressing "Pay" -------------------------------------------------------------------------


def after_pay(payment: models.Payment) -> Next:
    """The payment was created: a safety check if it needs one, else its result."""
    if payment.needs_action:
        return Next("risk", {"payment": payment})
    return Next("result", {"payment": payment})


def after_pay_failed(problem: errors.CalmPayError) -> Next | Stay:
    """A blocked payment stops calmly; anything else (network trouble) stays on the review, where
    pressing Pay again retries with the same key and cannot pay twice."""
    if isinstance(problem, errors.PaymentBlocked):
        return stopped(problem)
    return STAY


# --- the safety check ---------------------------------------------------------------------------------


# The steps of the safety check, one question per screen: what the payment is for, the bank's
# follow-up questions about that answer, the warning (with its deliberate second step), the code.
PURPOSE_STEP, FOLLOW_UP_STEP, WARNING_STEP, CODE_STEP = "purpose", "follow_up", "warning", "code"
# "Send the code again" is offered this long after a code was sent (counted in the kiosk's ticks).
RESEND_WAIT_SECONDS = 30


def check_step(payment: models.Payment | None, acknowledged: bool) -> str:
    """Which step of the safety check to show, from what the bank still requires and whether the
    customer has taken the warning's deliberate second step (``acknowledged``)."""
    if payment is None:
        return WARNING_STEP
    if "purpose" in payment.risk.requires:
        return FOLLOW_UP_STEP if payment.risk.follow_up else PURPOSE_STEP
    if "verification_code" in payment.risk.requires and (acknowledged or not needs_acknowledgement(payment)):
        return CODE_STEP
    return WARNING_STEP


def code_follows(payment: models.Payment | None) -> bool:
    """Going on from the warning leads to the code step (nothing is sent to the bank yet)."""
    return payment is not None and "verification_code" in payment.risk.requires


def may_submit_code(code: str) -> bool:
    """A code is sent to the bank only when it has its six digits (ASCII: see inputs.one_time_code)."""
    return len(code) == 6 and code.isascii() and code.isdigit()


def asks_purpose(payment: models.Payment | None, purpose: str | None) -> bool:
    """The check still needs the answer to "what is this payment for?" (or to a follow-up about it)."""
    if payment is None or "purpose" not in payment.risk.requires:
        return False
    return purpose is None or payment.risk.follow_up is not None


def needs_acknowledgement(payment: models.Payment | None) -> bool:
    return payment is not None and "acknowledge" in payment.risk.requires


def asks_code(payment: models.Payment | None, purpose: str | None) -> bool:
    """The one-time code is asked once the purpose (if asked at all) is answered."""
    return payment is not None and "verification_code" in payment.risk.requires and not asks_purpose(payment, purpose)


def may_continue(payment: models.Payment | None, purpose: str | None, acknowledged: bool) -> bool:
    """Going on past a warning needs the deliberate second step (and the purpose first)."""
    if payment is None or asks_purpose(payment, purpose):
        return False
    return acknowledged or not needs_acknowledgement(payment)


def after_purpose(payment: models.Payment) -> Stay:
    """The bank took the answer: stay on the check, which goes on to step two (the warning, the
    deliberate second step, the code). The answer alone paid nothing: the final confirm does."""
    return STAY


def after_purpose_failed(problem: errors.CalmPayError, purpose: str, stops: Collection[str]) -> Next | Stay:
    """The bank judged the answer (or a follow-up answer). Blocked as a scam script: the stop
    written for the script the bank names (``details.script``, else the answer itself:
    ``purpose_<script>``) when ``stops`` (the catalog's codes) has one, else the general one; the
    bank has already stopped the payment, so nothing needs cancelling. Anything else (network
    trouble) stays on the check, where pressing the answer again retries with the same key."""
    if not isinstance(problem, errors.PaymentBlocked):
        return STAY
    if PURPOSE_SCAM_SCRIPT not in problem.reasons:
        return stopped(problem)
    tailored = f"purpose_{problem.details.get('script') or purpose}"
    return Next("stop", {"code": tailored if tailored in stops else PURPOSE_SCAM_SCRIPT})


def after_confirm(payment: models.Payment) -> Next:
    return Next("result", {"payment": payment})


# The bank cancels a payment for its one-time codes: too many wrong ones, or one new code too many.
CODE_LIMITS = frozenset({"verification_locked", "verification_resend_limit"})


def after_confirm_failed(problem: errors.CalmPayError) -> Next | Stay:
    if isinstance(problem, errors.PaymentBlocked):
        return stopped(problem)
    return after_resend_failed(problem)


def finished_meanwhile(problem: errors.CalmPayError) -> bool:
    """The payment no longer waits for the customer (cancelled, stopped or paid meanwhile, say by
    an earlier answer that was lost): the check is over, and the result shows it as the bank has it."""
    return problem.code == "payment_not_actionable"


def after_resend_failed(problem: errors.CalmPayError) -> Next | Stay:
    """A code limit reached: the bank has cancelled the payment, so the code step is over; the
    result says what happened, that no money moved, and what to do. Anything else stays."""
    if problem.code in CODE_LIMITS:
        return Next("result", {"cancelled_by_code": problem.code})
    return STAY


def after_cancel(payment: models.Payment) -> Next:
    return Next("result", {"payment": payment})


# --- the result -----------------------------------------------------------------------------------


def went_through(payment: models.Payment) -> bool:
    """Paid, or on its way (held): it has a receipt."""
    return payment.status in ("completed", "held")


def can_cancel_hold(payment: models.Payment) -> bool:
    """A held payment can still be stopped until it arrives."""
    return payment.status == "held"


# --- bills and shortcuts ------------------------------------------------------------------------------


def after_bill_found(bill: models.Bill, *, straight_to_review: bool = False) -> Next:
    """A bill found by its number is shown first; a shortcut (the customer paid this bill before)
    goes straight to the review, unless it is already paid."""
    if straight_to_review and not bill.paid:
        return Next("review")
    return Next("bill_found")


def core_target(item: str) -> str:
    """The screen a core tile opens."""
    return CORE_TARGETS[item]
