"""Receive money: how much (or any amount), then a large QR code the payer scans.

The code screen keeps itself up to date: while it is shown it asks the bank every two seconds how
the request stands (one question at a time, quietly: the screen is never locked for it), and says
when the money has arrived or the code no longer works. Leaving it cancels the code at the bank.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from client import errors, models, receive
from client.api import new_idempotency_key
from client.kiosk import MoneyReceived
from client.money import AmountError, amount_in_words, parse_amount
from ui.qr_widget import QrCode
from ui.screens.base import Screen
from ui.widgets import Keypad, WrapButton, button, field, label, set_role, spaced


class ReceiveAmountScreen(Screen):
    """Step 1: the amount to receive, typed on the keypad, or "any amount"."""

    screen_id = "receive_amount"

    def build(self) -> None:
        caption, self.amount = field("receiveAmount", self)
        self.amount.setMaxLength(20)
        self.amount.returnPressed.connect(self.submit)
        self.amount.textChanged.connect(lambda _text: self._show_words())
        self.bind(caption, "receive_amount.field", "receive_amount.field.description")
        left, right = self.two_columns()
        left.addWidget(caption)
        left.addWidget(self.amount)
        self.place_error(left)  # the problem with what was typed, right under the field
        self.words = label("receiveAmountWords", "", parent=self)
        left.addWidget(self.words)
        left.addStretch(1)
        self.keypad = Keypad("receiveAmountKeypad", decimal=True, parent=self)
        self.keypad.attach(self.amount)
        self.keypad.repeat_requested.connect(self.shell.repeat)
        right.addWidget(self.keypad)
        # The other answer to the one question, under the keypad's row: a row of its own, so a screen
        # shown in parts at a large text size keeps it whole.
        self.any_amount = WrapButton("receiveAnyAmount", "secondary", self)
        self.any_amount.clicked.connect(self.choose_any_amount)
        self.bind(self.any_amount, "receive_amount.any", "receive_amount.any.description")
        self.layout_.addWidget(self.any_amount)

    def enter(self, **params: Any) -> None:
        self.amount.clear()  # each code starts afresh

    def refresh(self) -> None:
        self.keypad.retranslate(self.t)
        self._show_words()

    def _show_words(self) -> None:
        try:
            minor: int | None = parse_amount(self.amount.text())
        except AmountError:
            minor = None
        text = "" if minor is None else self.t("amount.words", words=amount_in_words(minor, self.t.language))
        self.words.setText(spaced(text) if text else "")
        self.words.setAccessibleName(text)

    def submit(self) -> None:
        try:
            minor = receive.parse_receive_amount(self.amount.text())
        except AmountError as problem:
            self.show_problem(problem)
            self.amount.selectAll()
            self.amount.setFocus()
            return
        self.hide_error()
        self.shell.go("receive_code", amount_minor=minor)

    def choose_any_amount(self) -> None:
        self.hide_error()
        self.shell.go("receive_code", amount_minor=None)

    def clear(self) -> None:
        super().clear()
        self.words.clear()

    def first_focus(self) -> Any:
        return self.amount


# Up to this text size (the elder default) the details fit beside the code on a 1024x768 screen.
SIDE_DETAILS_MAX_PT = 22


class ReceiveCodeScreen(Screen):
    """Step 2: the QR code, what it asks for, until when it works, and what happened to it."""

    screen_id = "receive_code"

    def build(self) -> None:
        self.status = label("receiveStatus", "info", parent=self)  # making it, a problem, arrived, expired
        self.layout_.addWidget(self.status)
        # The code, and beside it how much, the name the payer sees, until when it works and the way
        # out, so all of it is in view at once on the smallest screen. At large text sizes the name
        # and the time limit go under the code, each a row of its own: a screen too tall pages
        # between rows, and the code with Done stays together on one part (place_details).
        row = QHBoxLayout()
        row.setSpacing(32)
        self.qr = QrCode("receiveQr", self)
        row.addWidget(self.qr, 1)
        self.beside = QVBoxLayout()
        self.beside.setSpacing(14)
        self.amount = label("receiveCodeAmount", "value", parent=self)
        self.name = label("receiveCodeName", "", parent=self)
        self.expiry = label("receiveCodeExpiry", "value", parent=self)
        self.done = button("receiveDone", "primary", self)
        self.done.clicked.connect(self.finish)
        self.bind(self.done, "receive_code.done", "receive_code.done.description")
        self.try_again = button("receiveTryAgain", "primary", self)
        self.try_again.clicked.connect(self.make_code)
        self.bind(self.try_again, "receive_code.try_again", "receive_code.try_again.description")
        self.new_code = button("receiveNewCode", "primary", self)
        self.new_code.clicked.connect(self.make_code)
        self.bind(self.new_code, "receive_code.new_code", "receive_code.new_code.description")
        for widget in (self.amount, self.name, self.expiry, self.try_again, self.new_code, self.done):
            self.beside.addWidget(widget)
        self.beside.addStretch(1)
        row.addLayout(self.beside, 1)  # room for the words to wrap little: the code is as tall as the room anyway
        self.layout_.addLayout(row, 10)  # the room left over goes to the code: the larger, the easier to scan
        self.code_row = row
        self.under = QVBoxLayout()  # the name and the time limit, at large text sizes
        self.under.setSpacing(18)
        self.layout_.addLayout(self.under)
        # Every ending reminds the customer of their card (DESIGN.md: endings).
        self.take_card = label("receiveTakeCard", "value", parent=self)
        self.bind(self.take_card, "result.take_card")
        self.layout_.addWidget(self.take_card)
        self.poll_timer = QTimer(self, singleShot=True, interval=receive.POLL_INTERVAL_MS)
        self.poll_timer.timeout.connect(self.poll)
        self.polling = False  # a question to the bank is on its way: never two at once
        self.asking = 0  # counts the codes asked for: an answer for an earlier one is not shown
        self.amount_minor: int | None = None
        self.request: models.PaymentRequest | None = None
        self.arrived: MoneyReceived | None = None
        self.state = "making"  # making, failed, waiting, paid, expired, closed

    # --- the request -------------------------------------------------------------------------------

    def enter(self, **params: Any) -> None:
        if "amount_minor" in params:
            self.amount_minor = params["amount_minor"]
        self.make_code()

    def make_code(self) -> None:
        """Ask the bank for a new code (the old one, if any, is cancelled first)."""
        self.stop_code()
        visit = self.shell.visit
        if visit is None:
            return
        self.state, self.arrived = "making", None
        self.refresh()
        self.shell.refresh_header()
        key = new_idempotency_key()  # one per code: a retried request makes one code, not two
        account_id = self.shell.kiosk.receive_account().id
        self.asking += 1
        asked = self.asking
        self.shell.run(
            partial(self.shell.kiosk.request_money, account_id, self.amount_minor, key=key),
            ok=lambda request: self.made(request, asked),
            fail=lambda problem: self.not_made(problem, asked),
        )

    def made(self, request: models.PaymentRequest, asked: int) -> None:
        if asked != self.asking:  # the customer left before the bank answered: nobody shows this code
            if self.shell.visit is not None:
                self.shell.run_quietly(self.shell.kiosk.stop_receiving, request.id)
            return
        self.request = request
        self.state = "waiting"
        self.after_change()
        self.poll_timer.start()

    def not_made(self, _problem: errors.CalmPayError, asked: int) -> None:
        if asked != self.asking:
            return
        self.state = "failed"
        self.after_change()

    def poll(self) -> None:
        """Ask the bank how the code stands; the answer starts the next wait."""
        request = self.request
        if request is None or self.polling or self.state != "waiting" or self.shell.visit is None:
            return
        self.polling = True
        account_id = self.shell.kiosk.receive_account().id
        self.shell.run_quietly(
            self.shell.kiosk.receiving, request.id, account_id, ok=self.polled, fail=self.poll_failed
        )

    def polled(self, answer: models.PaymentRequest | MoneyReceived) -> None:
        self.polling = False
        about = answer.request if isinstance(answer, MoneyReceived) else answer
        if self.request is None or self.state != "waiting":  # left or signed out meanwhile
            return
        if about.id != self.request.id:  # about a code made before this one: ask about this one
            self.poll_timer.start()
            return
        if isinstance(answer, MoneyReceived):
            self.request, self.arrived, self.state = answer.request, answer, "paid"
            self.after_change()
            return
        self.request = answer
        state = receive.state_of(answer)
        if state == "waiting":
            self.poll_timer.start()
            return
        self.state = state
        self.after_change()

    def poll_failed(self, problem: errors.CalmPayError) -> None:
        """The bank did not answer this time: the code still works, ask again in a moment. A session
        the bank has ended cannot ask again: that is said, and the questions stop."""
        self.polling = False
        if self.request is None or self.state != "waiting":
            return
        if isinstance(problem, errors.SessionExpired):
            self.show_problem(problem)
            return
        self.poll_timer.start()

    def stop_code(self) -> None:
        """Stop asking, and cancel an open code at the bank so it no longer works."""
        self.poll_timer.stop()
        request, self.request = self.request, None
        if request is not None and self.state == "waiting" and self.shell.visit is not None:
            self.shell.run_quietly(self.shell.kiosk.stop_receiving, request.id)

    def finish(self) -> None:
        self.stop_code()
        self.shell.start_over()

    def leave(self) -> None:
        self.asking += 1  # an answer still on its way is for a screen no longer shown
        self.stop_code()

    # --- showing it --------------------------------------------------------------------------------

    def after_change(self) -> None:
        """The state changed while the customer looks: show it, say it, and focus what comes next."""
        if self.state != "waiting":
            self.poll_timer.stop()  # nothing more to ask about this code
        self.refresh()
        self.shell.refresh_header()
        focus = self.first_focus()
        if focus is not None and self.isVisible():
            focus.setFocus()
        self.shell.announce(self.spoken_status())

    def payer_sentence(self, *, spoken: bool) -> str:
        arrival = self.arrived.arrival if self.arrived is not None else None
        if arrival is None:
            return self.t("receive_code.paid")
        payer = arrival.payer_in(self.t.language)
        if spoken and not self.shell.speak_amounts:  # amounts are private: said only when asked for
            return self.t("receive_code.arrived_from", name=payer) if payer else self.t("receive_code.arrived_quiet")
        amount = self.shell.money(arrival.amount_minor, spoken=spoken)
        if payer:
            return self.t("receive_code.arrived", amount=amount, name=payer)
        return self.t("receive_code.arrived_amount", amount=amount)

    def status_text(self, *, spoken: bool = False) -> str:
        if self.state == "paid":
            return self.payer_sentence(spoken=spoken)
        if self.state in ("making", "failed", "expired", "closed"):
            return self.t(f"receive_code.{self.state}")
        return ""

    def spoken_status(self) -> str:
        """What changed, said as a screen says itself: its title, what happened, what to do now."""
        stop = "。" if self.t.is_chinese else "."
        said = (self.title_text() + stop, self.status_text(spoken=True), self.instruction_text())
        return " ".join(part for part in said if part)

    def instruction_text(self) -> str:
        return self.t(f"receive_code.instruction_{self.state}")

    def place_details(self) -> None:
        """The name and the time limit beside the code up to the default text size, under it above."""
        side = self.shell.theme.text_pt <= SIDE_DETAILS_MAX_PT
        target = self.beside if side else self.under
        for position, widget in enumerate((self.name, self.expiry)):
            if target.indexOf(widget) < 0:
                (self.under if side else self.beside).removeWidget(widget)
                target.insertWidget(position + 1 if side else position, widget)  # beside: after the amount

    def show_error(self, text: str, *, speech: str | None = None, code: str | None = None) -> None:
        """A problem on this screen means the code cannot be relied on now (the bank has ended the
        session): it goes from the screen and the questions stop, and the problem takes its place."""
        self.poll_timer.stop()
        super().show_error(text, speech=speech, code=code)
        self.refresh()

    def hide_error(self) -> None:
        super().hide_error()
        self.refresh()

    def refresh(self) -> None:
        self.place_details()
        request = self.request
        showing = request is not None and self.state == "waiting" and not self.error.isVisible()
        self.qr.set_payload(request.payload if showing and request is not None else "")
        self.qr.setVisible(showing)
        self.layout_.setStretchFactor(self.code_row, 10 if showing else 0)  # no code: no room kept for it
        self.qr.setAccessibleName(self.t("receive_code.qr") if showing else "")
        status = self.status_text()
        role = "success" if self.state == "paid" else ("error" if self.state == "failed" else "info")
        if self.status.property("role") != role:
            set_role(self.status, role)
        self.status.setText(spaced(status) if status else "")
        self.status.setAccessibleName(status)
        self.status.setVisible(bool(status))
        for text, words in zip(
            (self.amount, self.name, self.expiry), self.details(request) if showing else ("", "", ""), strict=True
        ):
            text.setText(spaced(words) if words else "")
            text.setAccessibleName(words)
            text.setVisible(bool(words))
        self.try_again.setVisible(self.state == "failed")
        self.new_code.setVisible(self.state in ("expired", "closed"))
        self.take_card.setVisible(self.state == "paid")
        # One main action: Done, unless a new code is offered first.
        done_role = "secondary" if self.try_again.isVisibleTo(self) or self.new_code.isVisibleTo(self) else "primary"
        if self.done.property("role") != done_role:
            set_role(self.done, done_role)

    def details(self, request: models.PaymentRequest | None) -> tuple[str, str, str]:
        """The amount asked for, the name the payer sees, and until when the code works."""
        if request is None:
            return "", "", ""
        amount = (
            self.t("receive_code.any_amount")
            if request.amount_minor is None
            else self.t("receive_code.amount", amount=self.shell.money(request.amount_minor))
        )
        name = self.t(
            "receive_code.name", name=models.in_language(request.payee_names, self.t.language, request.payee_name)
        )
        expiry = self.t("receive_code.expires", time=self.t.time(request.expires_at)) if request.expires_at else ""
        return amount, name, expiry

    def clear(self) -> None:
        """Sign-out: no more questions to the bank, nothing of this customer's code stays."""
        self.poll_timer.stop()
        self.asking += 1
        self.request = None
        self.arrived = None
        self.amount_minor = None
        self.polling = False
        self.state = "making"
        super().clear()
        self.qr.set_payload("")

    def first_focus(self) -> Any:
        if self.state == "failed":
            return self.try_again
        if self.state in ("expired", "closed"):
            return self.new_code
        return self.done
