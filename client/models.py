"""What the kiosk reads from the payment API, validated on arrival.

These are the client's view of the contract: fields the kiosk uses, unknown fields ignored,
so the API can grow without breaking kiosks in the field. Money is always integer fen.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class KioskCredentials(Model):
    kiosk_id: str
    device_key: str

    def __repr__(self) -> str:  # the key must never reach a log
        return f"KioskCredentials(kiosk_id={self.kiosk_id!r}, device_key=<hidden>)"

    __str__ = __repr__


class TrustedContact(Model):
    name: str
    phone_last4: str


class Customer(Model):
    id: str
    name: str
    language: str
    trusted_contact: TrustedContact | None = None


class Session(Model):
    token: str
    issued_at: datetime  # the bank's time, not this machine's: usage and dates are weighed by it
    expires_at: datetime
    customer: Customer

    def __repr__(self) -> str:
        return f"Session(customer={self.customer.id!r}, expires_at={self.expires_at.isoformat()}, token=<hidden>)"

    __str__ = __repr__


class Account(Model):
    id: str
    name: str
    number_last4: str
    currency: str
    balance_minor: int
    held_minor: int = 0


class Transaction(Model):
    id: int
    at: datetime
    amount_minor: int
    balance_after_minor: int
    description: str
    kind: str = "income"  # opening, income, sent, bill, held, refund, received
    counterparty: str = ""
    biller_id: str | None = None
    payment_id: str | None = None


class TransactionPage(Model):
    items: list[Transaction]
    next_cursor: int | None = None
    total: int | None = None  # lines in the whole history; an older bank may not say

    def page_count(self, page_size: int) -> int | None:
        """How many pages of ``page_size`` the whole history fills (None when the bank did not say)."""
        if self.total is None or page_size < 1:
            return None
        return max(1, -(-self.total // page_size))


class NameCheck(Model):
    result: str  # match, close_match, no_match, unavailable
    actual_name: str | None = None
    account_last4: str


class Payee(Model):
    id: str
    name: str
    nickname: str | None = None
    account_last4: str
    name_check: str
    created_at: datetime
    payments_count: int
    is_new: bool

    @property
    def display_name(self) -> str:
        return f"{self.nickname} · {self.name}" if self.nickname else self.name


class Biller(Model):
    id: str
    category: str
    names: dict[str, str]


class Bill(Model):
    id: str
    biller_id: str
    customer_number: str
    holder_name: str
    amount_minor: int
    period: str
    due_date: str
    paid: bool


class Risk(Model):
    decision: str  # allow, confirm, step_up, hold, block
    reasons: list[str]
    requires: list[str]  # acknowledge, purpose, verification_code
    hold_minutes: int
    follow_up: str | None = None  # while the purpose is required: the follow-up question the bank asks


class Payment(Model):
    id: str
    kind: str
    status: str  # requires_action, completed, held, cancelled, blocked, failed
    amount_minor: int
    currency: str
    from_account_id: str
    counterparty: str
    memo: str = ""
    purpose: str | None = None
    risk: Risk
    created_at: datetime
    completed_at: datetime | None = None
    hold_until: datetime | None = None
    cancellable: bool
    verification_expires_at: datetime | None = None

    @property
    def needs_action(self) -> bool:
        return self.status == "requires_action"


class Receipt(Model):
    reference: str
    payment: Payment
    from_account_name: str
    from_account_last4: str
    to_name: str
    to_last4: str | None = None
    issued_at: datetime


class PhoneMessage(Model):
    at: datetime
    text: str


class DemoCard(Model):
    """A card the simulated card reader offers (never its PIN)."""

    card_number: str
    name: str


class UsageRecord(Model):
    item: str
    label: str
    at: datetime


class Draft(Model):
    flow: str
    data: dict[str, Any]
    updated_at: datetime


class PaymentRequest(Model):
    id: str
    payee_name: str
    amount_minor: int | None = None
    note: str = ""
    status: str
    created_at: datetime
    payload: str
