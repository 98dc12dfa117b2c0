"""The kiosk's state and operations, without Qt.

A :class:`Visit` holds everything known about the customer at the kiosk now. It is replaced
wholesale at sign-out, so nothing of one customer can reach the next. Operations block
(they call the API) and are run off the GUI thread by the UI.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, field

from client import errors, models
from client.api import PaymentApi, new_idempotency_key
from client.credentials import CredentialStore, ensure_registered, register_again
from client.money import AmountLimits, parse_amount

log = logging.getLogger("calmpay.kiosk")

PAGE_SIZE = 8
# Answers to "what is this payment for?", as the payment API knows them.
PURPOSES = (
    "family_friends",
    "bills_goods",
    "rent",
    "own_account",
    "safe_account",
    "prize_or_refund",
    "investment",
    "other",
)


# When a payment has several reasons, the prompt leads with the weightiest one.
REASON_WEIGHT = (
    "payee_reported_scam",
    "purpose_scam_script",
    "very_large_amount",
    "large_amount",
    "new_payee",
    "possible_duplicate",
    "rapid_repeats",
    "unusual_time",
)


def leading_reason(reasons: list[str]) -> str | None:
    ranked = sorted(reasons, key=lambda r: REASON_WEIGHT.index(r) if r in REASON_WEIGHT else len(REASON_WEIGHT))
    return ranked[0] if ranked else None


@dataclass
class SendDraft:
    """Send money: who, how much. The key is made once, so "try again" can never pay twice."""

    payee: models.Payee | None = None
    amount_minor: int | None = None
    idempotency_key: str = field(default_factory=new_idempotency_key)


@dataclass
class BillDraft:
    biller: models.Biller | None = None
    customer_number: str = ""
    bill: models.Bill | None = None
    idempotency_key: str = field(default_factory=new_idempotency_key)


@dataclass
class Visit:
    session: models.Session
    accounts: list[models.Account] = field(default_factory=list)
    payees: list[models.Payee] = field(default_factory=list)
    billers: list[models.Biller] = field(default_factory=list)
    send: SendDraft = field(default_factory=SendDraft)
    bill: BillDraft = field(default_factory=BillDraft)
    last_payment: models.Payment | None = None
    held: list[models.Payment] = field(default_factory=list)  # on their way, still cancellable

    @property
    def customer(self) -> models.Customer:
        return self.session.customer

    @property
    def main_account(self) -> models.Account:
        return self.accounts[0]

    def payment_draft(self) -> tuple[str, int, dict[str, str]]:
        """(idempotency key, amount, target) of the payment under review."""
        if self.bill.bill is not None and self.send.payee is None:
            return self.bill.idempotency_key, self.bill.bill.amount_minor, {"bill_id": self.bill.bill.id}
        if self.send.payee is None or self.send.amount_minor is None:
            raise ValueError("nothing to pay yet")
        return self.send.idempotency_key, self.send.amount_minor, {"payee_id": self.send.payee.id}


class Kiosk:
    """Operations of the kiosk. Each method may block on the network."""

    def __init__(self, api: PaymentApi, credentials: CredentialStore, label: str) -> None:
        self.api = api
        self.credentials = credentials
        self.label = label
        self.visit: Visit | None = None

    # --- visit ----------------------------------------------------------------------------

    def sign_in(self, card_number: str, pin: str) -> Visit:
        digits = "".join(ch for ch in card_number if ch.isdigit())
        try:
            session = self.api.sign_in(digits, pin)
        except errors.KioskNotRegistered:
            # The API forgot this kiosk (its database was reset): register again, once.
            register_again(self.api, self.credentials, self.label)
            session = self.api.sign_in(digits, pin)
        visit = Visit(session=session)
        visit.accounts = self.api.accounts()
        visit.payees = self.api.payees()
        visit.billers = self.api.billers()
        visit.held = self.api.payments(status="held")
        self.visit = visit
        return visit

    def sign_out(self) -> None:
        """Forget the customer completely, here and on the server."""
        self.visit = None
        self.api.sign_out()

    def ensure_registered(self) -> None:
        ensure_registered(self.api, self.credentials, self.label)

    def _visit(self) -> Visit:
        if self.visit is None:
            raise errors.SessionExpired(
                "session_expired", "No customer is signed in.", status=401, error_type="authentication_error"
            )
        return self.visit

    # --- money ------------------------------------------------------------------------------

    def parse_amount(self, text: str) -> int:
        """What the customer typed, checked against what they have. Raises money.AmountError."""
        visit = self._visit()
        return parse_amount(text, AmountLimits(balance_minor=visit.main_account.balance_minor))

    def refresh_accounts(self) -> list[models.Account]:
        visit = self._visit()
        visit.accounts = self.api.accounts()
        return visit.accounts

    def history(self, cursor: int | None = None, limit: int = PAGE_SIZE) -> models.TransactionPage:
        visit = self._visit()
        return self.api.transactions(visit.main_account.id, limit=limit, cursor=cursor)

    # --- send money ---------------------------------------------------------------------------

    def start_send(self, payee: models.Payee | None = None) -> SendDraft:
        visit = self._visit()
        visit.send = SendDraft(payee=payee)
        visit.bill = BillDraft()
        return visit.send

    def set_amount(self, amount_minor: int) -> SendDraft:
        """A different amount is a different payment: it gets a new idempotency key."""
        visit = self._visit()
        if visit.send.amount_minor != amount_minor:
            visit.send = SendDraft(payee=visit.send.payee, amount_minor=amount_minor)
        return visit.send

    def name_check(self, account_number: str, name: str) -> models.NameCheck:
        return self.api.name_check(_digits(account_number), name)

    def add_payee(self, account_number: str, name: str) -> models.Payee:
        visit = self._visit()
        payee = self.api.add_payee(_digits(account_number), name.strip())
        visit.payees = self.api.payees()
        return payee

    # --- bills ----------------------------------------------------------------------------------

    def start_bill(self, biller: models.Biller) -> BillDraft:
        visit = self._visit()
        visit.bill = BillDraft(biller=biller)
        visit.send = SendDraft()
        return visit.bill

    def lookup_bill(self, customer_number: str) -> models.Bill:
        visit = self._visit()
        if visit.bill.biller is None:
            raise ValueError("choose a biller first")
        bill = self.api.lookup_bill(visit.bill.biller.id, _digits(customer_number))
        visit.bill.customer_number = _digits(customer_number)
        visit.bill.bill = bill
        return bill

    # --- paying ---------------------------------------------------------------------------------

    def pay(self) -> models.Payment:
        """Create the payment under review. A retry after a lost answer reuses the same key."""
        visit = self._visit()
        key, amount, target = visit.payment_draft()
        payment = self.api.create_payment(from_account_id=visit.main_account.id, amount_minor=amount, key=key, **target)
        return self._settled(payment)

    def confirm(
        self,
        payment_id: str,
        *,
        acknowledged: bool,
        purpose: str | None = None,
        verification_code: str | None = None,
        key: str | None = None,
    ) -> models.Payment:
        payment = self.api.confirm_payment(
            payment_id, acknowledged=acknowledged, purpose=purpose, verification_code=verification_code, key=key
        )
        return self._settled(payment)

    def cancel(self, payment_id: str) -> models.Payment:
        payment = self.api.cancel_payment(payment_id)
        visit = self._visit()
        visit.last_payment = payment
        visit.accounts = self.api.accounts()
        visit.held = self.api.payments(status="held")
        return payment

    def _settled(self, payment: models.Payment) -> models.Payment:
        visit = self._visit()
        visit.last_payment = payment
        if payment.status in ("completed", "held"):
            visit.accounts = self.api.accounts()
            visit.held = self.api.payments(status="held")
            visit.send = SendDraft()
            visit.bill = BillDraft()
        return payment

    def receipt(self, payment_id: str) -> models.Receipt:
        return self.api.receipt(payment_id)

    def phone_messages(self) -> list[models.PhoneMessage]:
        return self.api.phone_messages()


def _digits(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isdigit())
