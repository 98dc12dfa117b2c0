"""The kiosk's state and operations, without Qt.

A :class:`Visit` holds everything known about the customer at the kiosk now. It is replaced
wholesale at sign-out, so nothing of one customer can reach the next. Operations block
(they call the API) and are run off the GUI thread by the UI.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, field, replace

from client import errors, flow, models
from client.adaptive import (
    HomeLayout,
    Preferences,
    Shortcut,
    Usage,
    plan_home,
    remember,
    restore_strip,
    undo_change,
)
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
    # The home screen, planned once at sign-in and constant for the whole visit.
    layout: HomeLayout | None = None
    preferences: Preferences = field(default_factory=Preferences)

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

    def __init__(
        self, api: PaymentApi, credentials: CredentialStore, label: str, *, home_policy: str = "split"
    ) -> None:
        self.api = api
        self.credentials = credentials
        self.label = label
        self.home_policy = home_policy
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
        self._plan_home(visit)
        self.visit = visit
        return visit

    def _plan_home(self, visit: Visit) -> None:
        """Usage belongs to the customer: read from the payment API, planned once per visit."""
        try:
            usage = [Usage(u.item, u.label, u.at) for u in self.api.usage()]
            preferences = Preferences.from_dict(self.api.preferences())
        except (errors.CalmPayError, ValueError) as failure:  # a bad record must not stop a sign-in
            log.info("no usage history this time (%s): the default home", getattr(failure, "code", failure))
            usage, preferences = [], Preferences()
        visit.layout = plan_home(self.home_policy, usage, preferences, visit.session.issued_at)
        visit.preferences = remember(preferences, visit.layout)
        self._save_preferences(visit)

    def _save_preferences(self, visit: Visit) -> None:
        try:
            self.api.set_preferences(visit.preferences.to_dict())
        except errors.CalmPayError as failure:
            log.info("could not save home preferences (%s)", failure.code)

    def record(self, item: str, label: str) -> None:
        """Remember what the customer did, for their home screen next time. Never fails a task."""
        try:
            self.api.record_usage(item, label)
        except errors.CalmPayError as failure:
            log.info("usage not recorded (%s)", failure.code)

    def put_back(self) -> HomeLayout:
        """'Put it back': undo this visit's change to the shortcuts, and keep it undone."""
        visit = self._visit()
        assert visit.layout is not None
        visit.preferences = undo_change(visit.preferences, visit.layout)
        visit.layout = restore_strip(visit.layout)
        self._save_preferences(visit)
        return visit.layout

    def pin(self, shortcut: Shortcut) -> None:
        visit = self._visit()
        visit.preferences = visit.preferences.pin(shortcut.item, shortcut.label)
        self._save_preferences(visit)

    def remove_shortcut(self, shortcut: Shortcut) -> HomeLayout:
        """The customer's own choice takes effect at once (the kiosk never moves things by itself)."""
        visit = self._visit()
        assert visit.layout is not None
        visit.preferences = visit.preferences.remove(shortcut.item, shortcut.label)
        visit.layout = replace(
            visit.layout, shortcuts=tuple(s for s in visit.layout.shortcuts if s.item != shortcut.item)
        )
        self._save_preferences(visit)
        return visit.layout

    def open_shortcut(self, item: str) -> flow.Next:
        """Get everything a shortcut needs, so it goes as far as it can: the screen to show next.

        A bill with a known customer number goes straight to the review step; a person goes to
        the amount; the rest to their screen."""
        visit = self._visit()
        kind, _, rest = item.partition(":")
        if kind == "bill":
            biller_id, _, number = rest.partition(":")
            biller = next((b for b in visit.billers if b.id == biller_id), None)
            if biller is not None and number:
                self.start_bill(biller)
                self.lookup_bill(number)
                assert visit.bill.bill is not None
                return flow.after_bill_found(visit.bill.bill, straight_to_review=True)
            return flow.Next("bill_biller")
        if kind == "send":
            payee = next((p for p in visit.payees if p.id == rest), None)
            self.start_send(payee)
            return flow.Next("amount" if payee is not None else "send_payee")
        return flow.Next({"balance": "balance", "history": "history"}.get(kind, "home"))

    def view_balance(self) -> list[models.Account]:
        self.record("balance", "Check balance")
        return self.refresh_accounts()

    def restore_shortcuts(self) -> None:
        visit = self._visit()
        for item in visit.preferences.removed:
            visit.preferences = visit.preferences.restore(item)
        self._save_preferences(visit)

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
            if visit.send.payee is not None:
                self.record(f"send:{visit.send.payee.id}", f"Send to {visit.send.payee.name}")
            elif visit.bill.biller is not None and visit.bill.customer_number:
                biller = visit.bill.biller
                self.record(f"bill:{biller.id}:{visit.bill.customer_number}", f"Pay {biller.names.get('en', '')}")
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
