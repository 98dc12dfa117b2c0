"""The kiosk's state and operations, without Qt.

A :class:`Visit` holds everything known about the customer at the kiosk now. It is replaced
wholesale at sign-out, so nothing of one customer can reach the next.

One owner: the visit changes only on the GUI thread. Operations that block (they call the API)
are run off the GUI thread by the UI; they take what they need as arguments, never touch the
visit, and return either a plain value or a :class:`VisitChange`, which the UI hands to
:meth:`Kiosk.apply` back on the GUI thread.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from client import errors, flow, inputs, models, receive, resume
from client.adaptive import (
    DueBill,
    HomeLayout,
    Preferences,
    Shortcut,
    ShortcutEdit,
    Usage,
    bring_back,
    pin_in_place,
    plan_home,
    remember,
    restore_strip,
    undo_change,
)
from client.api import PaymentApi, new_idempotency_key
from client.card_reader import demo_cards_from
from client.credentials import CredentialStore, ensure_registered, register_again
from client.i18n import LOCAL_TIME
from client.money import AmountLimits, parse_amount
from client.qr import explain_key
from client.qr.scan import ScannedPayment, read_scan
from emvqr import PayloadError

log = logging.getLogger("calmpay.kiosk")

PAGE_SIZE = 8


@dataclass
class SendDraft:
    """Send money: who, how much. The key is made once, so "try again" can never pay twice. Who:
    a saved payee, or (``scan``) the account or payment request of a scanned payment code."""

    payee: models.Payee | None = None
    amount_minor: int | None = None
    idempotency_key: str = field(default_factory=new_idempotency_key)
    scan: ScannedPayment | None = None

    def to_name(self, language: str) -> str | None:
        """Who the money goes to, as the customer reads it, or None before they are chosen."""
        if self.scan is not None:
            return self.scan.name_in(language)
        return self.payee.display_name_in(language) if self.payee is not None else None


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
    # The customer's last change to the shortcuts, while it can still be undone (on the home screen).
    last_edit: ShortcutEdit | None = None
    # Idempotency keys of purpose, confirm and cancel presses, by (payment, action, what was asked).
    action_keys: dict[tuple[object, ...], str] = field(default_factory=dict)
    # Payments sent whose answer never came (they may have been made), by what they pay: making the
    # same payment again in this visit reuses the key, so the bank answers with the one it made.
    unanswered: dict[tuple[object, ...], str] = field(default_factory=dict)
    # The task under way, as last kept at the bank (client.resume), and the one left unfinished
    # last time, offered once at sign-in.
    progress: resume.Progress | None = None
    offer: resume.Offer | None = None

    @property
    def customer(self) -> models.Customer:
        return self.session.customer

    @property
    def main_account(self) -> models.Account:
        return self.accounts[0]

    @property
    def today(self) -> date:
        """The bank's date at the branch when the customer signed in (never this machine's clock)."""
        return self.session.issued_at.astimezone(LOCAL_TIME).date()

    def usage_of_draft(self) -> tuple[str, str] | None:
        """(item, label) to remember for the customer's home screen once the payment goes through
        (not a scanned code: it is scanned again, not offered as a shortcut)."""
        if self.send.scan is not None:
            return None
        if self.send.payee is not None:
            return f"send:{self.send.payee.id}", f"Send to {self.send.payee.name}"
        if self.bill.biller is not None and self.bill.customer_number:
            biller = self.bill.biller
            return f"bill:{biller.id}:{self.bill.customer_number}", f"Pay {biller.names.get('en', '')}"
        return None

    def counterparty_name(self, payment: models.Payment, language: str) -> str:
        """Who a payment went to, in ``language``: the bank records a biller in English and a person
        as "王强 Wang Qiang"; the customer reads "國家電網電費" and "王強" (or the name as typed)."""
        if payment.kind == "bill" and not payment.counterparty_names:  # a bank that names billers only in its list
            for biller in self.billers:
                if payment.counterparty in biller.names.values():
                    return biller.name_in(language)
        return payment.counterparty_in(language)

    def progress_at(self, step: str, typed: dict[str, Any] | None = None) -> resume.Progress | None:
        """The task as it stands now the customer is on ``step`` (a screen id), or None off any task.
        ``typed``: what the customer typed on that screen but has not gone on with yet (a new payee's
        ``account_number`` and ``name``, an ``amount_minor``, a bill's ``customer_number``)."""
        typed = typed or {}
        if self.send.scan is not None and step in ("amount", *resume.PAYMENT_STEPS):
            return None  # a scanned code is kept by the customer's paper, not as a draft (it holds an account)
        if step == resume.ADD_PAYEE:
            return resume.Progress(
                resume.ADD_PAYEE, step, account_number=typed.get("account_number"), name=typed.get("name")
            )
        flow_name = resume.STEP_FLOWS.get(step)
        if flow_name is None and step in resume.PAYMENT_STEPS:
            flow_name = (
                resume.SEND if self.send.payee is not None else resume.BILL if self.bill.biller is not None else None
            )
        paying = step in resume.PAYMENT_STEPS
        if flow_name == resume.SEND:
            payee = self.send.payee
            return resume.Progress(
                resume.SEND,
                step,
                payee_id=payee.id if payee else None,
                amount_minor=self.send.amount_minor if paying else typed.get("amount_minor"),
                payment_key=self.payment_key() if paying else None,
            )
        if flow_name == resume.BILL:
            biller = self.bill.biller
            number = typed.get("customer_number") or self.bill.customer_number or None
            return resume.Progress(
                resume.BILL,
                step,
                biller_id=biller.id if biller else None,
                customer_number=number if step != "bill_biller" else None,
                payment_key=self.payment_key() if paying else None,
            )
        return None

    def payment_key(self) -> str | None:
        """The idempotency key the payment under review goes with (None before there is one): its
        draft's, or that of the same payment sent earlier in this visit whose answer never came."""
        try:
            key, amount, target = self.payment_draft()
        except ValueError:
            return None
        return self.unanswered.get(payment_what(self.main_account.id, amount, target), key)

    def payment_draft(self) -> tuple[str, int, dict[str, str]]:
        """(idempotency key, amount, target) of the payment under review."""
        if self.bill.bill is not None and self.send.payee is None and self.send.scan is None:
            return self.bill.idempotency_key, self.bill.bill.amount_minor, {"bill_id": self.bill.bill.id}
        if self.send.scan is not None and self.send.amount_minor is not None:
            return self.send.idempotency_key, self.send.amount_minor, self.send.scan.target()
        if self.send.payee is None or self.send.amount_minor is None:
            raise ValueError("nothing to pay yet")
        return self.send.idempotency_key, self.send.amount_minor, {"payee_id": self.send.payee.id}


def language_at_sign_in(customer_language: str, *, chosen: bool, current: str, known: Iterable[str]) -> str | None:
    """The language to show once a customer has signed in, or None to keep the current one.

    As a cash machine reads the language preference on a card: the customer's own language, as the
    bank keeps it, unless they chose a language on this kiosk before signing in (their choice now
    wins), and only a language the kiosk speaks."""
    if chosen or customer_language == current or customer_language not in known:
        return None
    return customer_language


def payment_what(from_account_id: str, amount_minor: int, target: dict[str, str]) -> tuple[object, ...]:
    """What a payment pays: from which account, how much, to whom or for which bill."""
    return (from_account_id, amount_minor, *sorted(target.items()))


@dataclass(frozen=True)
class PaymentOrder:
    """Everything needed to create the payment under review, taken from the visit on the GUI thread."""

    key: str
    amount_minor: int
    target: dict[str, str]
    from_account_id: str
    usage: tuple[str, str] | None

    @property
    def what(self) -> tuple[object, ...]:
        return payment_what(self.from_account_id, self.amount_minor, self.target)


@dataclass(frozen=True)
class DraftWrite:
    """Keep ``save`` as the customer's unfinished task at the bank (or keep none), and drop the
    drafts of the ``drop`` flows. ``number`` orders the writes: an older one never overwrites a newer."""

    token: str
    save: resume.Progress | None
    drop: tuple[str, ...]
    number: int


class VisitChange:
    """What a blocking operation found out; applied to the visit on the GUI thread."""

    def apply(self, visit: Visit) -> Any:
        """Change ``visit``; return the value the screen asked for."""
        raise NotImplementedError


@dataclass(frozen=True)
class AccountsFetched(VisitChange):
    accounts: list[models.Account]

    def apply(self, visit: Visit) -> list[models.Account]:
        visit.accounts = self.accounts
        return self.accounts


@dataclass(frozen=True)
class PayeeAdded(VisitChange):
    payee: models.Payee
    payees: list[models.Payee]

    def apply(self, visit: Visit) -> models.Payee:
        visit.payees = self.payees
        return self.payee


@dataclass(frozen=True)
class BillFound(VisitChange):
    biller: models.Biller
    customer_number: str
    bill: models.Bill

    def apply(self, visit: Visit) -> models.Bill:
        # The same draft (and its idempotency key) if the customer is still on this biller.
        draft = visit.bill if visit.bill.biller == self.biller else BillDraft(biller=self.biller)
        visit.bill = replace(draft, customer_number=self.customer_number, bill=self.bill)
        return self.bill


@dataclass(frozen=True)
class PaymentUpdated(VisitChange):
    """A payment was created, confirmed or cancelled: the accounts and held payments as they are now."""

    payment: models.Payment
    accounts: list[models.Account] | None = None
    held: list[models.Payment] | None = None
    draft_done: bool = False  # the payment went through: the drafts start afresh

    def apply(self, visit: Visit) -> models.Payment:
        visit.last_payment = self.payment
        if self.accounts is not None:
            visit.accounts = self.accounts
        if self.held is not None:
            visit.held = self.held
        if self.draft_done:
            visit.send = SendDraft()
            visit.bill = BillDraft()
        return self.payment


@dataclass(frozen=True)
class MoneyReceived(VisitChange):
    """A payment request was paid: the money that came (None when not found yet) and the accounts now."""

    request: models.PaymentRequest
    arrival: receive.Arrival | None
    accounts: list[models.Account] | None

    def apply(self, visit: Visit) -> MoneyReceived:
        if self.accounts is not None:
            visit.accounts = self.accounts
        return self


class Kiosk:
    """Operations of the kiosk. Methods marked "blocks" call the API and run off the GUI thread;
    the others are quick and belong to the GUI thread, the only one that changes the visit."""

    def __init__(
        self, api: PaymentApi, credentials: CredentialStore, label: str, *, home_policy: str = "split"
    ) -> None:
        self.api = api
        self.credentials = credentials
        self.label = label
        self.home_policy = home_policy
        self.visit: Visit | None = None
        self._registering = threading.Lock()
        # Cards the simulated reader keeps (card number -> why): no PIN for them leaves this kiosk.
        self.kept_cards: dict[str, str] = {}
        # Drafts are written one at a time, newest last (DraftWrite.number), then the sign-out.
        self._drafts_lock = threading.Lock()
        self._draft_numbers = itertools.count()
        self._draft_written = -1

    # --- visit ----------------------------------------------------------------------------

    def keep_card(self, card_number: str, problem: errors.CalmPayError) -> None:
        """The sign-in ended the PIN step (flow.ends_pin_step): the reader keeps this card."""
        if flow.ends_pin_step(problem):
            self.kept_cards[_digits(card_number)] = problem.code

    def why_kept(self, card_number: str) -> str | None:
        """Why the reader keeps this card (a catalog code), or None when it may be used."""
        return self.kept_cards.get(_digits(card_number))

    def sign_in(self, card_number: str, pin: str) -> Visit:
        """Blocks. A new visit, not yet the kiosk's: :meth:`start_visit` makes it so. A kept card
        is refused here, before anything is sent: a PIN on a locked card would pause the account."""
        digits = _digits(card_number)
        kept = self.why_kept(digits)
        if kept is not None:
            raise errors.from_envelope(403, {"error": {"code": kept, "type": "forbidden", "message": "card kept"}})
        try:
            session = self.api.sign_in(digits, pin)
        except errors.KioskNotRegistered:
            # The API forgot this kiosk (its database was reset): register again, once.
            register_again(self.api, self.credentials, self.label)
            session = self.api.sign_in(digits, pin)
        try:
            visit = Visit(session=session)
            visit.accounts = self.api.accounts()
            visit.payees = self.api.payees()
            visit.billers = self.api.billers()
            visit.held = self.api.payments(status="held")
            self._plan_home(visit)
            visit.offer = self._unfinished(visit)
        except errors.CalmPayError:
            # The customer is told the sign-in did not work: no live token of theirs stays here
            # (ended at the bank if it still answers, forgotten here in any case).
            self.api.sign_out(session.token)
            raise
        return visit

    def start_visit(self, visit: Visit) -> None:
        self.visit = visit

    def _plan_home(self, visit: Visit) -> None:
        """Usage belongs to the customer: read from the payment API, planned once per visit."""
        try:
            usage = [Usage(u.item, u.label, u.at) for u in self.api.usage()]
            preferences = Preferences.from_dict(self.api.preferences())
        except (errors.CalmPayError, ValueError) as failure:  # a bad record must not stop a sign-in
            log.info("no usage history this time (%s): the default home", getattr(failure, "code", failure))
            usage, preferences = [], Preferences()
        visit.layout = plan_home(
            self.home_policy, usage, preferences, visit.session.issued_at, due=self._due_bills(visit)
        )
        visit.preferences = remember(preferences, visit.layout)
        self.save_preferences(visit.preferences)

    def _due_bills(self, visit: Visit) -> list[DueBill]:
        """Blocks. The bills due now, as the bank lists them, so Home offers them from the first visit."""
        try:
            bills = self.api.due_bills()
        except errors.CalmPayError as failure:  # a shortcut less, never a failed sign-in
            log.info("no due bills this time (%s)", failure.code)
            return []
        names = {b.id: f"Pay {b.names.get('en', b.id)}" for b in visit.billers}
        return [
            DueBill(f"bill:{b.biller_id}:{b.customer_number}", names.get(b.biller_id, b.biller_id), b.amount_minor)
            for b in bills
            if not b.paid and b.customer_number and b.amount_minor >= 0  # never let odd data stop a sign-in
        ]

    def save_preferences(self, preferences: Preferences) -> None:
        """Blocks. Never fails a task: the choice holds for this visit even if it is not saved."""
        try:
            self.api.set_preferences(preferences.to_dict())
        except errors.CalmPayError as failure:
            log.info("could not save home preferences (%s)", failure.code)

    def record(self, item: str, label: str) -> None:
        """Blocks. Remember what the customer did, for their home screen next time. Never fails a task."""
        try:
            self.api.record_usage(item, label)
        except errors.CalmPayError as failure:
            log.info("usage not recorded (%s)", failure.code)

    def end_visit(self) -> str | None:
        """Forget the customer here at once; return the session token for :meth:`sign_out`."""
        visit, self.visit = self.visit, None
        return visit.session.token if visit is not None else None

    def sign_out(self, token: str | None) -> None:
        """Blocks. End exactly this session on the server; a later customer's session is untouched."""
        if token is not None:
            with self._drafts_lock:  # after the last draft written for this session
                self.api.sign_out(token)

    def leave(self, last: DraftWrite | None, token: str | None) -> None:
        """Blocks. Keep the task as the customer left it, then end their session."""
        if last is not None:
            self.keep_progress(last)
        self.sign_out(token)

    # --- help: Call staff, and help that comes by itself (client.help) ----------------------------

    def raise_help(self, screen: str, reason: str, waited_seconds: int) -> models.HelpRequest:
        """Blocks. Ask the branch's staff to come: where the customer is (the screen, and the task under
        way if any) and why; never an amount, a name or a number."""
        visit = self.visit
        task = visit.progress.flow if visit is not None and visit.progress is not None else None
        return self.api.raise_help(screen, task, reason, waited_seconds)

    def help_request(self, request_id: str) -> models.HelpRequest:
        """Blocks."""
        return self.api.help_request(request_id)

    def cancel_help(self, request_id: str) -> models.HelpRequest:
        """Blocks. The customer chose, twice, not to wait for staff any more."""
        return self.api.cancel_help(request_id)

    # --- unfinished tasks (client.resume) ------------------------------------------------------

    def note_step(self, step: str, typed: dict[str, Any] | None = None, *, leaving: bool = False) -> DraftWrite | None:
        """On the GUI thread, when the customer reaches ``step`` (a screen id): the draft to write
        for it, or None when nothing changed. A task's end (result, stop) drops its draft; other
        screens (Home, Help, balance) keep the task as it was. ``leaving``: the visit ends here."""
        visit = self.visit
        if visit is None:
            return None
        earlier = visit.progress
        if step in resume.ENDING_STEPS:
            now = None
        else:
            now = visit.progress_at(step, typed)
            if now is None:
                return None
        if now == earlier and not leaving:
            return None
        visit.progress = now
        drop = (earlier.flow,) if earlier is not None and (now is None or now.flow != earlier.flow) else ()
        return DraftWrite(visit.session.token, now, drop, next(self._draft_numbers))

    def keep_progress(self, write: DraftWrite) -> None:
        """Blocks. Write the customer's unfinished task at the bank. Never fails a task: a draft not
        kept costs an offer next time, nothing else (logged for staff)."""
        with self._drafts_lock:
            if write.number < self._draft_written:
                return  # a newer write went first: this one is out of date
            self._draft_written = write.number
            try:
                for flow_name in write.drop:
                    self.api.delete_draft(flow_name, token=write.token)
                if write.save is not None:
                    self.api.save_draft(write.save.flow, write.save.to_data(), token=write.token)
            except errors.CalmPayError as failure:
                log.info("unfinished task not kept (%s)", failure.code)

    def _unfinished(self, visit: Visit) -> resume.Offer | None:
        """Blocks (at sign-in). The task this customer left unfinished last time, and for a payment
        that was sent, what the bank made of it (found by its idempotency key: never paid twice).
        Older drafts go: one task is offered. Never fails a sign-in."""
        try:
            drafts = self.api.drafts()
            found = resume.latest(drafts)
            for draft in drafts:
                if found is None or draft.flow != found[0]:
                    self.api.delete_draft(draft.flow)
            if found is None:
                return None
            progress = found[1]
            if not progress.payment_key:
                return resume.Offer(progress)
            payment = self.api.payment_by_key(progress.payment_key)
            if payment is not None and payment.status == "requires_action":
                # Left in the middle of the safety check: that payment is stopped, and the checks
                # run again from the review if the customer carries on.
                payment = self.api.cancel_payment(payment.id, key=new_idempotency_key())
            return resume.Offer(progress, resume.outcome_of(payment), payment)
        except errors.CalmPayError as failure:
            log.info("unfinished task not read (%s)", failure.code)
            return None

    def hand_off(self, last: DraftWrite | None, flow_name: str) -> models.Handoff:
        """Blocks. The task as it stands now, kept, and a single-use link to it for the customer's phone."""
        if last is not None:
            self.keep_progress(last)
        return self.api.handoff(flow_name)

    def answer_offer(self) -> DraftWrite | None:
        """On the GUI thread: the customer answered the offer (carry on, start again, or read what
        became of a payment): it is not offered again; its draft goes unless the task goes on."""
        visit = self._visit()
        offer, visit.offer = visit.offer, None
        if offer is None:
            return None
        return DraftWrite(visit.session.token, None, (offer.progress.flow,), next(self._draft_numbers))

    def carry_on(self, offer: resume.Offer) -> flow.Next | flow.LookUpBill:
        """On the GUI thread: take the task up again where it stopped, with what was chosen and typed.
        A payment sent but not made gets a new key: the bank's checks run again when Pay is pressed."""
        visit = self._visit()
        progress = offer.progress
        fresh_key = offer.outcome == "not_made"
        if progress.flow == resume.ADD_PAYEE:
            return flow.Next(
                "add_payee",
                {"keep": True, "account_number": progress.account_number or "", "name": progress.name or ""},
            )
        if progress.flow == resume.SEND:
            payee = next((p for p in visit.payees if p.id == progress.payee_id), None)
            if payee is None:
                self.start_send()
                return flow.Next("send_payee")
            draft = self.start_send(payee)
            draft.amount_minor = progress.amount_minor
            if progress.payment_key and not fresh_key:
                draft.idempotency_key = progress.payment_key
            paying = progress.step in resume.PAYMENT_STEPS and progress.amount_minor is not None
            return flow.Next("review" if paying else "amount")
        biller = next((b for b in visit.billers if b.id == progress.biller_id), None)
        if biller is None:
            return flow.Next("bill_biller")
        bill = self.start_bill(biller)
        bill.customer_number = progress.customer_number or ""
        if progress.payment_key and not fresh_key:
            bill.idempotency_key = progress.payment_key
        if progress.step in ("bill_found", *resume.PAYMENT_STEPS) and progress.customer_number:
            return flow.LookUpBill(biller, progress.customer_number, straight_to_review=progress.step != "bill_found")
        return flow.Next("bill_number")

    def ensure_registered(self) -> None:
        with self._registering:  # start-up and the first customer may both ask, on two workers
            ensure_registered(self.api, self.credentials, self.label)

    def demo_cards(self) -> list[models.DemoCard]:
        """Blocks. The simulated card reader's cards, as the bank lists them for this kiosk."""
        self.ensure_registered()  # the first customer may come before the start-up registration ends
        try:
            return demo_cards_from(self.api)
        except errors.KioskNotRegistered:  # the bank forgot this kiosk (its database was reset)
            with self._registering:
                register_again(self.api, self.credentials, self.label)
            return demo_cards_from(self.api)

    def _visit(self) -> Visit:
        if self.visit is None:
            raise errors.SessionExpired(
                "session_expired", "No customer is signed in.", status=401, error_type="authentication_error"
            )
        return self.visit

    def apply(self, change: VisitChange) -> Any:
        """On the GUI thread: bring the visit up to date with what an operation found out."""
        return change.apply(self._visit())

    def action_key(self, payment_id: str, action: str, *request: object) -> str:
        """The idempotency key for ``action`` ("purpose", "confirm", "cancel") on this payment with these
        answers: made at the first press and reused at every press after it, so pressing again
        after a lost answer replays that answer instead of asking anew. Different answers (another
        code) are a different request, with their own key."""
        visit = self._visit()
        scope = (payment_id, action, *request)
        if scope not in visit.action_keys:
            visit.action_keys[scope] = new_idempotency_key()
        return visit.action_keys[scope]

    # --- the home screen's shortcuts (quick: the choice holds at once, saving blocks) --------------

    def put_back(self) -> Preferences:
        """'Put it back': undo this visit's change to the shortcuts, and keep it undone."""
        visit = self._visit()
        assert visit.layout is not None
        self._before_edit(visit, "put_back", visit.layout.change.added if visit.layout.change else ())
        visit.preferences = undo_change(visit.preferences, visit.layout)
        visit.layout = restore_strip(visit.layout)
        return visit.preferences

    def pin(self, shortcut: Shortcut) -> Preferences:
        """Pinned at once, where it stands (it comes first from the next visit on)."""
        visit = self._visit()
        assert visit.layout is not None
        self._before_edit(visit, "pinned", (shortcut,))
        visit.preferences = visit.preferences.pin(shortcut.item, shortcut.label)
        visit.layout = pin_in_place(visit.layout, shortcut.item)
        return visit.preferences

    def remove_shortcut(self, shortcut: Shortcut) -> Preferences:
        """The customer's own choice takes effect at once (the kiosk never moves things by itself)."""
        visit = self._visit()
        assert visit.layout is not None
        self._before_edit(visit, "removed", (shortcut,))
        visit.preferences = visit.preferences.remove(shortcut.item, shortcut.label)
        visit.layout = replace(
            visit.layout, shortcuts=tuple(s for s in visit.layout.shortcuts if s.item != shortcut.item)
        )
        return visit.preferences

    def restore_shortcuts(self) -> Preferences:
        """Removed shortcuts come back: on the strip at once where there is room, the rest later."""
        visit = self._visit()
        assert visit.layout is not None
        layout, back, waiting = bring_back(visit.layout, visit.preferences)
        self._before_edit(visit, "brought_back", back, waiting)
        preferences = visit.preferences
        for item in preferences.removed:
            preferences = preferences.restore(item)
        # What is on the strip now is what the customer saw last, as at a sign-in.
        visit.preferences, visit.layout = remember(preferences, layout), layout
        return visit.preferences

    def undo_shortcut_edit(self) -> ShortcutEdit | None:
        """Undo the customer's last change to the shortcuts: the strip and the saved choices as they
        were before it. Returns what was undone (None when there was nothing to undo); save
        ``visit.preferences`` afterwards."""
        visit = self._visit()
        edit, visit.last_edit = visit.last_edit, None
        if edit is not None:
            visit.preferences, visit.layout = edit.previous_preferences, edit.previous_layout
        return edit

    def keep_shortcut_edits(self) -> None:
        """The customer has moved on from the change: it stays, with no Undo offered any more."""
        if self.visit is not None:
            self.visit.last_edit = None

    @staticmethod
    def _before_edit(
        visit: Visit, action: str, shortcuts: tuple[Shortcut, ...], waiting: tuple[Shortcut, ...] = ()
    ) -> None:
        assert visit.layout is not None
        visit.last_edit = ShortcutEdit(action, tuple(shortcuts), visit.preferences, visit.layout, tuple(waiting))

    def open_shortcut(self, item: str) -> flow.Next | flow.LookUpBill:
        """Start what a shortcut stands for, so it goes as far as it can.

        A bill with a known customer number is looked up and goes straight to the review; a
        person goes to the amount; the rest to their screen."""
        visit = self._visit()
        kind, _, rest = item.partition(":")
        if kind == "bill":
            biller_id, _, number = rest.partition(":")
            biller = next((b for b in visit.billers if b.id == biller_id), None)
            if biller is not None and number:
                self.start_bill(biller)
                return flow.LookUpBill(biller, number)
            return flow.Next("bill_biller")
        if kind == "send":
            payee = next((p for p in visit.payees if p.id == rest), None)
            self.start_send(payee)
            return flow.Next("amount" if payee is not None else "send_payee")
        return flow.Next({"balance": "balance", "history": "history"}.get(kind, "home"))

    def view_balance(self) -> AccountsFetched:
        """Blocks."""
        self.record("balance", "Check balance")
        return AccountsFetched(self.api.accounts())

    # --- money ------------------------------------------------------------------------------

    def parse_amount(self, text: str) -> int:
        """What the customer typed, checked against what they have. Raises money.AmountError."""
        visit = self._visit()
        return parse_amount(text, AmountLimits(balance_minor=visit.main_account.balance_minor))

    def history(self, account_id: str, cursor: int | None = None, limit: int = PAGE_SIZE) -> models.TransactionPage:
        """Blocks."""
        return self.api.transactions(account_id, limit=limit, cursor=cursor)

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
            visit.send = SendDraft(payee=visit.send.payee, amount_minor=amount_minor, scan=visit.send.scan)
        return visit.send

    # --- paying a scanned payment code (client.qr) -----------------------------------------------

    def read_code(self, payload: str) -> ScannedPayment | str:
        """Blocks. What a scanned payment code pays, or the catalog key of why it cannot be paid here
        (a code that is not a payment code, or is damaged; a request already paid or expired)."""
        try:
            scan = read_scan(self.api, payload)
        except PayloadError as problem:
            return explain_key(problem)
        return scan.problem_key() or scan

    def start_scan(self, scan: ScannedPayment) -> flow.Next:
        """On the GUI thread: pay what the code asks, from its review (its amount fixed) or from the
        amount (the customer types it). The bank's usual checks run when Pay is pressed."""
        visit = self._visit()
        visit.send = SendDraft(scan=scan, amount_minor=scan.amount_minor)
        visit.bill = BillDraft()
        return flow.Next("review" if scan.amount_minor is not None else "amount")

    def name_check(self, account_number: str, name: str) -> models.NameCheck:
        """Blocks."""
        return self.api.name_check(_digits(account_number), name)

    def add_payee(self, account_number: str, name: str, *, name_check_id: str) -> PayeeAdded:
        """Save under the name check it follows. Blocks."""
        payee = self.api.add_payee(_digits(account_number), name.strip(), name_check_id=name_check_id)
        return PayeeAdded(payee, self.api.payees())

    # --- bills ----------------------------------------------------------------------------------

    def start_bill(self, biller: models.Biller) -> BillDraft:
        visit = self._visit()
        visit.bill = BillDraft(biller=biller)
        visit.send = SendDraft()
        return visit.bill

    def lookup_bill(self, biller: models.Biller, customer_number: str) -> BillFound:
        """Blocks."""
        number = _digits(customer_number)
        return BillFound(biller, number, self.api.lookup_bill(biller.id, number))

    # --- paying ---------------------------------------------------------------------------------

    def payment_order(self) -> PaymentOrder:
        """The payment under review, as it stands now (raises ValueError if there is none)."""
        visit = self._visit()
        key, amount, target = visit.payment_draft()
        return PaymentOrder(visit.payment_key() or key, amount, target, visit.main_account.id, visit.usage_of_draft())

    def payment_unanswered(self, order: PaymentOrder, problem: errors.CalmPayError) -> None:
        """On the GUI thread, when sending ``order`` failed: if it may have been made (no answer came),
        the same payment made again in this visit goes with the same key."""
        if self.visit is None:
            return
        if problem.outcome_unknown:
            self.visit.unanswered[order.what] = order.key
        else:  # the bank's answer to that key: it was not made
            self.visit.unanswered.pop(order.what, None)

    def payment_answered(self, order: PaymentOrder) -> None:
        """On the GUI thread: the bank answered ``order``; a new payment like it is a new payment."""
        if self.visit is not None:
            self.visit.unanswered.pop(order.what, None)

    def pay(self, order: PaymentOrder) -> PaymentUpdated:
        """Blocks. Create the payment under review. A retry after a lost answer reuses the same key."""
        payment = self.api.create_payment(
            from_account_id=order.from_account_id, amount_minor=order.amount_minor, key=order.key, **order.target
        )
        return self._settled(payment, order.usage)

    def answer_purpose(
        self, payment_id: str, purpose: str, *, answers: dict[str, bool] | None = None, key: str
    ) -> PaymentUpdated:
        """Blocks. The answer to "what is this payment for?" (and the follow-up answers so far), for
        the bank to judge: a scam answer raises :class:`errors.PaymentBlocked` (the bank stopped the
        payment; nothing moved). Any other answer comes back as the payment, with the bank's next
        follow-up question or still waiting for the final confirm. ``key``: from
        :meth:`action_key`, the same at every press of the same answers."""
        return PaymentUpdated(self.api.answer_purpose(payment_id, purpose, answers=answers, key=key))

    def resend_code(self, payment_id: str, *, key: str) -> PaymentUpdated:
        """Blocks. Send the one-time code to the customer's phone again (a new code; the old one no
        longer works). ``key``: from :meth:`action_key`."""
        return PaymentUpdated(self.api.resend_code(payment_id, key=key))

    def confirm(
        self,
        payment_id: str,
        *,
        acknowledged: bool,
        purpose: str | None = None,
        verification_code: str | None = None,
        key: str,
        usage: tuple[str, str] | None = None,
    ) -> PaymentUpdated:
        """Blocks. ``key``: from :meth:`action_key`, the same at every press."""
        payment = self.api.confirm_payment(
            payment_id, acknowledged=acknowledged, purpose=purpose, verification_code=verification_code, key=key
        )
        return self._settled(payment, usage)

    def cancel(self, payment_id: str, *, key: str) -> PaymentUpdated:
        """Blocks. ``key``: from :meth:`action_key`, the same at every press."""
        payment = self.api.cancel_payment(payment_id, key=key)
        return PaymentUpdated(payment, self.api.accounts(), self.api.payments(status="held"))

    def payment_as_it_is(self, payment_id: str) -> PaymentUpdated:
        """Blocks. The payment as the bank has it now (one that finished while the kiosk waited)."""
        return self._settled(self.api.payment(payment_id), None)

    def _settled(self, payment: models.Payment, usage: tuple[str, str] | None) -> PaymentUpdated:
        if payment.status not in ("completed", "held"):
            return PaymentUpdated(payment)
        if usage is not None:
            self.record(*usage)
        try:
            accounts, held = self.api.accounts(), self.api.payments(status="held")
        except errors.CalmPayError as failure:
            # The money has moved: the customer must read that it did, even if the bank stops
            # answering before the new balance is read (the balance screen asks again anyway).
            log.info("paid, but the new balance could not be read (%s)", failure.code)
            return PaymentUpdated(payment, draft_done=True)
        return PaymentUpdated(payment, accounts, held, draft_done=True)

    def receipt(self, payment_id: str) -> models.Receipt:
        """Blocks."""
        return self.api.receipt(payment_id)

    def phone_messages(self) -> list[models.PhoneMessage]:
        """Blocks."""
        return self.api.phone_messages()

    # --- receiving money (a QR code the payer scans with their banking app) ---------------------

    def receive_account(self) -> models.Account:
        """The account the money comes into: the customer's main account."""
        return self._visit().main_account

    def request_money(self, account_id: str, amount_minor: int | None, *, key: str) -> models.PaymentRequest:
        """Blocks. A payment request at the bank, for the amount or (None) for any amount the payer
        chooses. ``key``: made once per code shown, so "try again" after a lost answer makes one."""
        return self.api.create_payment_request(account_id, amount_minor, key=key)

    def receiving(self, request_id: str, account_id: str) -> models.PaymentRequest | MoneyReceived:
        """Blocks. How the request stands now; once it is paid, the money that came and the accounts
        as they are now (applied to the visit on the GUI thread)."""
        request = self.api.payment_request(request_id)
        if receive.state_of(request) != "paid":
            return request
        try:
            accounts = self.api.accounts()
            newest = self.api.transactions(account_id, limit=receive.ARRIVAL_LINES).items
        except errors.CalmPayError as failure:  # paid all the same: the balance screen asks again anyway
            log.info("paid, but the new balance could not be read (%s)", failure.code)
            return MoneyReceived(request, None, None)
        return MoneyReceived(request, receive.arrival_of(request, newest), accounts)

    def stop_receiving(self, request_id: str) -> models.PaymentRequest | None:
        """Blocks. Cancel the request at the bank, so its code no longer works. One already paid,
        expired or cancelled stays as it is; a bank that does not answer lets the code expire."""
        try:
            return self.api.cancel_payment_request(request_id)
        except errors.CalmPayError as failure:
            log.info("payment request not cancelled (%s)", failure.code)
            return None


def _digits(text: str) -> str:
    return inputs.digits(text)
