"""What the kiosk reads from the payment API, validated on arrival.

These are the client's view of the contract: fields the kiosk uses, unknown fields ignored,
so the API can grow without breaking kiosks in the field. Money is always integer fen.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


def in_language(names: dict[str, str], language: str, recorded: str) -> str:
    """A name from the bank in the customer's language (``names``: the bank's forms by language),
    else as the bank recorded it. Never converted here: 陳美玲 is written only as the bank writes her."""
    return names.get(language) or recorded


class KioskCredentials(Model):
    kiosk_id: str
    device_key: str

    def __repr__(self) -> str:  # the key must never reach a log
        return f"KioskCredentials(kiosk_id={self.kiosk_id!r}, device_key=<hidden>)"

    __str__ = __repr__


class TrustedContact(Model):
    name: str
    names: dict[str, str] = {}
    phone_last4: str

    def name_in(self, language: str) -> str:
        return in_language(self.names, language, self.name)


class Customer(Model):
    id: str
    name: str
    names: dict[str, str] = {}
    language: str
    trusted_contact: TrustedContact | None = None

    def name_in(self, language: str) -> str:
        return in_language(self.names, language, self.name)


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
    names: dict[str, str] = {}
    number_last4: str
    currency: str
    balance_minor: int
    held_minor: int = 0

    def name_in(self, language: str) -> str:
        return in_language(self.names, language, self.name)


class Transaction(Model):
    id: int
    at: datetime
    amount_minor: int
    balance_after_minor: int
    description: str
    kind: str = "income"  # opening, income, sent, bill, held, refund, received
    counterparty: str = ""
    counterparty_names: dict[str, str] = {}
    biller_id: str | None = None
    payment_id: str | None = None

    def counterparty_in(self, language: str) -> str:
        return in_language(self.counterparty_names, language, self.counterparty)


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
    actual_names: dict[str, str] = {}
    account_last4: str
    name_check_id: str  # the bank keeps the check: a payee is saved with it, for these details only

    def actual_name_in(self, language: str) -> str | None:
        """The holder's name (told on a close match) as the customer reads it."""
        return None if self.actual_name is None else in_language(self.actual_names, language, self.actual_name)


class Payee(Model):
    id: str
    name: str
    names: dict[str, str] = {}  # empty for a name the customer typed: it stays as typed
    nickname: str | None = None
    nickname_names: dict[str, str] = {}
    account_last4: str
    name_check: str
    created_at: datetime
    payments_count: int
    is_new: bool

    @property
    def display_name(self) -> str:
        return f"{self.nickname} · {self.name}" if self.nickname else self.name

    def display_name_in(self, language: str) -> str:
        """'女兒 · 李梅' for a 繁體 reader, 'Daughter · Li Mei' in English."""
        name = in_language(self.names, language, self.name)
        if not self.nickname:
            return name
        return f"{in_language(self.nickname_names, language, self.nickname)} · {name}"


class Biller(Model):
    id: str
    category: str
    names: dict[str, str]

    def name_in(self, language: str) -> str:
        return self.names.get(language) or self.names.get("en") or self.id


class Bill(Model):
    id: str
    biller_id: str
    customer_number: str
    holder_name: str
    holder_names: dict[str, str] = {}
    amount_minor: int
    period: str  # YYYY-MM
    due_date: str  # YYYY-MM-DD, the bank's local date
    paid: bool

    def holder_in(self, language: str) -> str:
        return in_language(self.holder_names, language, self.holder_name)

    @property
    def month(self) -> date:
        """The first day of the month the bill is for."""
        return date.fromisoformat(f"{self.period}-01")

    @property
    def due(self) -> date:
        return date.fromisoformat(self.due_date)

    def overdue_on(self, today: date) -> bool:
        """Unpaid after its due day (``today``: the bank's date, never this machine's clock)."""
        return not self.paid and today > self.due


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
    counterparty_names: dict[str, str] = {}
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

    def counterparty_in(self, language: str) -> str:
        return in_language(self.counterparty_names, language, self.counterparty)


class Receipt(Model):
    reference: str
    payment: Payment
    from_account_name: str
    from_account_names: dict[str, str] = {}
    from_account_last4: str
    to_name: str
    to_names: dict[str, str] = {}
    to_last4: str | None = None
    bill_period: str | None = None  # "2026-11"
    bill_customer_number: str | None = None  # the biller's number for the customer, printed whole
    issued_at: datetime

    def from_account_name_in(self, language: str) -> str:
        return in_language(self.from_account_names, language, self.from_account_name)

    def to_name_in(self, language: str) -> str:
        return in_language(self.to_names, language, self.to_name)


class PhoneMessage(Model):
    at: datetime
    text: str


class DemoCard(Model):
    """A card the simulated card reader offers (never its PIN)."""

    card_number: str
    name: str
    names: dict[str, str] = {}

    def name_in(self, language: str) -> str:
        return in_language(self.names, language, self.name)


class UsageRecord(Model):
    item: str
    label: str
    at: datetime


class Draft(Model):
    flow: str
    data: dict[str, Any]
    updated_at: datetime
    expires_at: datetime


class Handoff(Model):
    """A single-use link to a draft, for the customer's phone: the QR code carries ``link`` only."""

    flow: str
    token: str
    link: str  # holds the token
    expires_at: datetime

    def __repr__(self) -> str:  # the token (in the link too) must never reach a log
        return f"Handoff(flow={self.flow!r}, token=<hidden>, link=<hidden>, expires_at={self.expires_at!r})"

    __str__ = __repr__


class StaffMember(Model):
    id: str
    name: str
    names: dict[str, str] = {}

    def name_in(self, language: str) -> str:
        return in_language(self.names, language, self.name)


class HelpRequest(Model):
    """A help request as its kiosk sees it (GET /v1/help-requests/{id})."""

    id: str
    status: str  # waiting, coming, closed or cancelled
    reason: str
    screen: str
    step: str | None = None
    created_at: datetime
    answered_at: datetime | None = None
    staff: StaffMember | None = None
    staff_on_duty: bool = True

    @property
    def open(self) -> bool:
        return self.status in ("waiting", "coming")


class StaffHelpRequest(Model):
    """A help request as the staff console shows it: no amount, name, account or card number."""

    id: str
    kiosk_id: str
    kiosk_label: str
    status: str
    reason: str
    screen: str
    step: str | None = None
    waited_seconds: int
    waiting_seconds: int
    created_at: datetime
    answered_at: datetime | None = None
    closed_at: datetime | None = None
    staff: StaffMember | None = None
    outcome: str | None = None
    customer_known: bool
    account_paused: bool
    held_payments: int


class StaffSession(Model):
    token: str
    expires_at: datetime
    staff: StaffMember

    def __repr__(self) -> str:  # the token must never reach a log
        return f"StaffSession(token=<hidden>, expires_at={self.expires_at!r}, staff={self.staff!r})"

    __str__ = __repr__


class HeldPayment(Model):
    id: str
    amount_minor: int
    created_at: datetime
    hold_until: datetime | None = None


class StaffAction(Model):
    id: int
    staff: StaffMember
    action: str
    help_request_id: str | None = None
    payment_id: str | None = None
    at: datetime


class HelpMetrics(Model):
    requests: int
    answered: int
    closed: int
    cancelled: int
    solved: int
    referred: int
    customer_left: int
    median_answer_seconds: float | None = None
    median_resolve_seconds: float | None = None
    solved_on_the_spot: float | None = None
    by_reason: dict[str, int] = {}


class PaymentRequest(Model):
    id: str
    payee_name: str
    payee_names: dict[str, str] = {}
    amount_minor: int | None = None
    note: str = ""
    status: str  # open, paid, cancelled or expired
    created_at: datetime
    expires_at: datetime | None = None  # until when it can be paid (None: a request made before requests expired)
    payload: str  # an EMVCo payment code (decode it with emvqr); it carries the full account number: never log it
