"""Receive money by QR: what the kiosk shows for a payment request, decided without a screen.

The customer picks an amount (or lets the payer decide), the kiosk asks the bank for a payment
request and shows its QR code, then asks the bank again every few seconds how the request stands.
These functions turn the bank's answers into what the Receive screen shows next. No Qt, no clock:
whether a code has expired is the bank's word (its ``status``), never this machine's time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from client.money import parse_amount

if TYPE_CHECKING:  # the models (pydantic) load after the Welcome screen has painted
    from client import models

POLL_INTERVAL_MS = 2_000  # how often the screen asks the bank whether the money has come
# How many of the newest lines of history to read for the arrival: the payment is among the
# newest (the screen asks every two seconds); a few more in case other money came in meanwhile.
ARRIVAL_LINES = 10

RequestState = Literal["waiting", "paid", "expired", "closed"]


def parse_receive_amount(text: str) -> int:
    """What the customer typed as the amount to receive. Raises money.AmountError.

    No balance check (the money comes in, it does not go out); the usual rules otherwise: a number,
    more than zero, at most two decimals, not absurdly large."""
    return parse_amount(text)


def state_of(request: models.PaymentRequest) -> RequestState:
    """How a request stands, in the screen's terms. A status this kiosk does not know yet counts as
    closed: the code is no longer shown as working."""
    if request.status == "open":
        return "waiting"
    if request.status == "paid":
        return "paid"
    if request.status == "expired":
        return "expired"
    return "closed"


@dataclass(frozen=True)
class Arrival:
    """The money that came in for a request: how much and, when the bank says, from whom."""

    amount_minor: int
    payer: str = ""
    payer_names: dict[str, str] | None = None

    def payer_in(self, language: str) -> str:
        names = self.payer_names or {}
        return names.get(language) or self.payer


def arrival_of(request: models.PaymentRequest, newest: list[models.Transaction]) -> Arrival | None:
    """The money a paid request brought, found in the account's newest lines of history.

    The bank does not say on the request which payment paid it, so the line is the newest money
    received since the request was made (of the request's amount, when it has one). None when no
    such line is there yet: a large payment may be held by the payer's bank for a while."""
    for line in newest:  # newest first
        if line.kind != "received" or line.amount_minor <= 0 or line.at < request.created_at:
            continue
        if request.amount_minor is not None and line.amount_minor != request.amount_minor:
            continue
        return Arrival(line.amount_minor, line.counterparty, dict(line.counterparty_names))
    return None
