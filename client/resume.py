"""Unfinished tasks: what the kiosk keeps at the bank after each step, and what it offers next time.

A customer who is interrupted (walks away, is timed out, the kiosk restarts) finds their task again
at their next sign-in, on this kiosk or another: the bank keeps it as a draft (``/v1/drafts``). One
task is kept at a time, the one the customer was doing last. A draft holds which step they reached
and what they chose and typed there, never a PIN or a one-time code (those are never in a visit's
drafts to begin with). Everything here is Qt-free and tested in tests/unit/test_resume.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from client import models

# The kiosk's flows, as the bank files their drafts (one each; the kiosk keeps only the last).
SEND, BILL, ADD_PAYEE = "send", "bill", "add_payee"
FLOWS = (SEND, BILL, ADD_PAYEE)
# The screens where a flow stands, and the flow each belongs to ("review" and "risk" belong to the
# payment under review).
STEP_FLOWS = {
    "send_payee": SEND,
    "amount": SEND,
    "add_payee": ADD_PAYEE,
    "bill_biller": BILL,
    "bill_number": BILL,
    "bill_found": BILL,
}
PAYMENT_STEPS = ("review", "risk")
# Screens that end a task either way: its draft goes. A study's questionnaire comes when the
# researcher has ended the task: the next task must not begin with an offer to carry this one on.
ENDING_STEPS = ("result", "stop", "questionnaire")
DRAFT_VERSION = 1


@dataclass(frozen=True)
class Progress:
    """A task as it stands: ``flow`` ("send", "bill", "add_payee"), the ``step`` (a screen id) and
    what was chosen and typed there. ``payment_key``: at the review and the safety check, the
    idempotency key the payment goes (or went) with: the bank finds by it what became of a payment
    sent before the kiosk stopped."""

    flow: str
    step: str
    payee_id: str | None = None
    amount_minor: int | None = None
    biller_id: str | None = None
    customer_number: str | None = None
    account_number: str | None = None  # a new payee's, as typed (the bank keeps payees' numbers anyway)
    name: str | None = None
    payment_key: str | None = None

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"version": DRAFT_VERSION, "step": self.step}
        for name in ("payee_id", "amount_minor", "biller_id", "customer_number", "account_number", "name"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        if self.payment_key is not None:
            data["payment_key"] = self.payment_key
        return data

    @classmethod
    def from_draft(cls, flow: str, data: dict[str, Any]) -> Progress | None:
        """The progress a draft holds, or None for a draft this kiosk cannot read (another version,
        another flow, odd data): never a failed sign-in for it."""
        if flow not in FLOWS or data.get("version") != DRAFT_VERSION or not isinstance(data.get("step"), str):
            return None
        texts = {k: data.get(k) for k in ("payee_id", "biller_id", "customer_number", "account_number", "name")}
        if any(v is not None and not isinstance(v, str) for v in texts.values()):
            return None
        amount, key = data.get("amount_minor"), data.get("payment_key")
        if amount is not None and (type(amount) is not int or amount <= 0):
            return None
        if key is not None and not isinstance(key, str):
            return None
        return cls(flow, data["step"], amount_minor=amount, payment_key=key, **texts)


Outcome = Literal["not_sent", "made", "held", "not_made"]


@dataclass(frozen=True)
class Offer:
    """What the kiosk offers at sign-in for a task left unfinished: ``progress`` as kept, and, for
    a payment that was sent, what the bank says became of it (``payment``: None when it never made
    one, so nothing moved)."""

    progress: Progress
    outcome: Outcome = "not_sent"
    payment: models.Payment | None = None

    @property
    def can_carry_on(self) -> bool:
        """Made and held payments are done: only the others can be taken up again."""
        return self.outcome in ("not_sent", "not_made")


def outcome_of(payment: models.Payment | None) -> Outcome:
    """What became of the payment under review when the kiosk stopped, as the bank has it under its
    key: never sent (None), made, held, or not made. One still waiting for the safety check
    (requires_action) counts as not made: the kiosk cancels it, and the checks run again when the
    customer presses Pay."""
    if payment is None:
        return "not_sent"
    if payment.status == "completed":
        return "made"
    if payment.status == "held":
        return "held"
    return "not_made"


def latest(drafts: list[models.Draft]) -> tuple[str, Progress] | None:
    """The task to offer: the newest draft this kiosk can read (the bank lists the newest first)."""
    for draft in drafts:
        progress = Progress.from_draft(draft.flow, draft.data)
        if progress is not None:
            return draft.flow, progress
    return None
