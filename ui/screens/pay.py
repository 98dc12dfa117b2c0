"""Send money, pay a bill, review, safety check, result and receipt."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from client import errors, flow, inputs, models
from client.explain import bill_when
from client.money import AmountError, amount_in_words, format_amount, parse_amount, to_major_text
from client.receipts import receipt_lines
from client.voice import Priority
from client.voice.spoken import spoken_date
from ui.name_keyboard import NameKeyboard
from ui.screens.base import Screen
from ui.widgets import SPEECH_PROPERTY, Keypad, WrapButton, button, discard, field, label, set_role, spaced


class SendPayeeScreen(Screen):
    screen_id = "send_payee"

    def build(self) -> None:
        self.list_layout = QVBoxLayout()
        self.layout_.addLayout(self.list_layout)
        self.payee_buttons: list[QWidget] = []
        self.add = button("sendAddPayee", "secondary", self)
        self.add.clicked.connect(lambda: self.shell.go("add_payee"))
        self.bind(self.add, "send_payee.add", "send_payee.add.description")
        self.layout_.addWidget(self.add)

    def refresh(self) -> None:
        discard(self.payee_buttons)
        visit = self.shell.visit
        if visit is None:
            return
        for payee in visit.payees:
            choice = WrapButton(f"payee_{payee.id}", "tile", self)
            key = "send_payee.payee_new" if payee.is_new else "send_payee.payee"
            text = self.t(key, name=payee.display_name_in(self.t.language), last4=payee.account_last4)
            choice.setText(text)
            choice.setAccessibleName(text)
            choice.setAccessibleDescription(self.t("send_payee.payee.description"))
            choice.clicked.connect(lambda _=False, p=payee: self.choose(p))
            self.list_layout.addWidget(choice)
            self.payee_buttons.append(choice)
        # The new buttons sit before "add" in the focus order, as they sit above it.
        previous: QWidget = self.shell.header_end()
        for widget in [*self.payee_buttons, self.add]:
            QWidget.setTabOrder(previous, widget)
            previous = widget

    def choose(self, payee: models.Payee) -> None:
        self.shell.kiosk.start_send(payee)
        self.shell.go("amount")

    def clear(self) -> None:
        super().clear()
        discard(self.payee_buttons)

    def first_focus(self) -> Any:
        return self.payee_buttons[0] if self.payee_buttons else self.add


class AddPayeeScreen(Screen):
    screen_id = "add_payee"

    def build(self) -> None:
        account_caption, self.account = field("payeeAccount", self)
        self.account.setMaxLength(23)
        self.bind(account_caption, "add_payee.account", "add_payee.account.description")
        name_caption, self.name = field("payeeName", self)
        self.name.setMaxLength(80)
        self.bind(name_caption, "add_payee.name", "add_payee.name.description")
        # Letters for a keypad customer, pinyin and characters for a Chinese name. The keyboard
        # shows the name as it grows: on a small screen it may sit on another part than the field.
        self.keyboard = NameKeyboard("nameKeyboard", self.shell.announce, self)
        for widget in (account_caption, self.account, name_caption, self.name, self.keyboard):
            self.layout_.addWidget(widget)
        self.account.returnPressed.connect(self.name.setFocus)
        self.name.returnPressed.connect(self.check)
        self.check_button = button("payeeCheck", "primary", self)
        self.check_button.clicked.connect(self.check)
        self.bind(self.check_button, "add_payee.check", "add_payee.check.description")
        self.layout_.addWidget(self.check_button)
        self.keyboard.attach(self.name, below=self.check_button)
        self.keyboard.finished.connect(self.check)
        self.result = label("payeeCheckResult", "value", parent=self)
        self.result.setVisible(False)
        self.layout_.addWidget(self.result)
        row = QHBoxLayout()
        self.dont_save = button("payeeDontSave", "primary", self)
        self.dont_save.clicked.connect(self.shell.start_over)
        self.bind(self.dont_save, "add_payee.dont_save", "add_payee.dont_save.description")
        self.save = button("payeeSave", "secondary", self)
        self.save.clicked.connect(self.save_payee)
        self.bind(self.save, "add_payee.save", "add_payee.save.description")
        row.addWidget(self.dont_save)
        row.addWidget(self.save)
        self.layout_.addLayout(row)
        self.outcome: models.NameCheck | None = None
        self._checking: tuple[str, str] | None = None  # the account and name the bank was asked about
        self._show_choices(False)
        # A result is about what was checked, nothing else: a change to either field drops it, so a
        # stale "Yes, save" can never save another account under the checked name.
        self.account.textChanged.connect(self._details_changed)
        self.name.textChanged.connect(self._details_changed)

    def _show_choices(self, visible: bool) -> None:
        self.dont_save.setVisible(visible)
        self.save.setVisible(visible)

    def enter(self, **params: Any) -> None:
        if not params.get("keep"):
            self.clear()
        if params.get("account_number") or params.get("name"):  # taken up again (client.resume)
            self.clear()
            self.account.setText(params.get("account_number", ""))
            self.name.setText(params.get("name", ""))

    def typed_values(self) -> dict[str, Any]:
        account, name = inputs.digits(self.account.text()), self.name.text().strip()
        return {key: value for key, value in (("account_number", account), ("name", name)) if value}

    def check(self) -> None:
        account, name = self._details()
        problem = inputs.account_number_problem(account)
        if problem is not None:
            self.show_error(self.t(problem))
            self.account.setFocus()
            return
        problem = inputs.name_problem(name)  # nothing to read (only marks or control characters) is no name
        if problem is not None:
            self.show_error(self.t(problem))
            self.name.setFocus()
            return
        self.hide_error()
        self._checking = (account, name)
        self.shell.keep_typed()
        self.shell.run(self.shell.kiosk.name_check, account, name, ok=self.checked)

    def _details(self) -> tuple[str, str]:
        """The account and the name as the bank is asked about them (the name without what cannot be read)."""
        return self.account.text(), inputs.clean_name(self.name.text())

    def _details_changed(self) -> None:
        if self._checking is None or self._details() == self._checking:
            return
        self._checking = None
        if self.outcome is not None:
            self.outcome = None
            self.result.setVisible(False)
            self._show_choices(False)
            # Next to the field being changed (on its part of the screen), shown and said.
            self.show_error(self.t("add_payee.check_again"))

    def checked(self, outcome: models.NameCheck) -> None:
        if self._checking is None or self._details() != self._checking:
            return  # the details changed while the bank was answering: this answer is about others
        self.outcome = outcome
        self.refresh()
        self.result.setVisible(True)
        self._show_choices(True)
        self.shell.announce(self.result.accessibleName())
        # The safe choice comes first and has the focus when the name does not match.
        (self.save if outcome.result == "match" else self.dont_save).setFocus()

    def refresh(self) -> None:
        self.keyboard.set_language(self.t)
        if self.outcome is None:
            return
        prompt = self.shell.security_catalog.prompt(
            f"name_{self.outcome.result}", self.t.language, name=self.outcome.actual_name_in(self.t.language) or ""
        )
        text = f"{prompt.what_happened} {prompt.what_you_can_do}"
        self.result.setText(spaced(text))
        self.result.setAccessibleName(text)
        save_key = {"close_match": "add_payee.save_actual", "match": "add_payee.save"}.get(
            self.outcome.result, "add_payee.save_anyway"
        )
        self.save.setText(self.t(save_key, name=self.outcome.actual_name_in(self.t.language) or ""))
        self.save.setAccessibleName(self.save.text())

    def save_payee(self) -> None:
        if self.outcome is None:
            return
        name = self.outcome.actual_name or self._details()[1]
        save = partial(self.shell.kiosk.add_payee, name_check_id=self.outcome.name_check_id)
        self.shell.run(save, self.account.text(), name, ok=self.saved, fail=self.refused)

    def refused(self, problem: errors.CalmPayError) -> None:
        """The bank saves only under a fresh check of these details: else the result goes, and the
        customer is asked to check the name again, with the focus on "Check the name"."""
        if not flow.name_check_outdated(problem):
            self.show_problem(problem)
            return
        self.outcome = None
        self._checking = None
        self.result.setVisible(False)
        self._show_choices(False)
        self.check_button.setFocus()
        self.show_error(self.t("add_payee.check_expired"))

    def saved(self, payee: models.Payee) -> None:
        self.clear()
        self.shell.kiosk.start_send(payee)
        self.shell.go("amount")

    def clear(self) -> None:
        super().clear()
        self.keyboard.clear()
        self.outcome = None
        self._checking = None
        self.result.clear()
        self.result.setVisible(False)
        self._show_choices(False)

    def first_focus(self) -> Any:
        return self.account


class AmountScreen(Screen):
    screen_id = "amount"

    def build(self) -> None:
        self.to = label("amountTo", "value", parent=self)
        self.layout_.addWidget(self.to)
        caption, self.amount = field("amount", self)
        self.amount.setMaxLength(20)  # room for the grouping commas: 10,000,000,000.00
        self.amount.returnPressed.connect(self.submit)
        self.amount.textChanged.connect(self._typed)
        self._shown_text = ""  # the field as last shown, to tell a deleted comma from a deleted digit
        self._grouping = False
        self.bind(caption, "amount.field", "amount.field.description")
        # What is available sits under whom it is for, across the screen: the field's column keeps
        # its room for the problem with what was typed.
        self.available = label("amountAvailable", "muted", parent=self)
        self.layout_.addWidget(self.available)
        left, right = self.two_columns()
        left.addWidget(caption)
        left.addWidget(self.amount)
        self.place_error(left)  # "please type a number" right under the field, beside the keypad
        self.words = label("amountWords", "", parent=self)  # the amount in words, as it is typed
        left.addWidget(self.words)
        left.addStretch(1)
        self.keypad = Keypad("amountKeypad", decimal=True, parent=self)
        self.typed_for: object = None  # the payment (send draft) the typed amount belongs to
        self.keypad.attach(self.amount)
        self.keypad.repeat_requested.connect(self.shell.repeat)
        right.addWidget(self.keypad)

    def enter(self, **params: Any) -> None:
        # A new payment (a person just chosen) starts empty; coming back to this one keeps what was typed.
        visit = self.shell.visit
        if visit is not None and visit.send is not self.typed_for:
            if visit.send.amount_minor is None:
                self.amount.clear()
            else:  # a task taken up again (client.resume): the amount as it was typed
                self.amount.setText(to_major_text(visit.send.amount_minor))
        self.typed_for = visit.send if visit is not None else None

    def typed_values(self) -> dict[str, Any]:
        try:
            return {"amount_minor": parse_amount(self.amount.text())}
        except AmountError:
            return {}

    def refresh(self) -> None:
        visit = self.shell.visit
        name = visit.send.to_name(self.t.language) if visit is not None else None
        if visit is None or name is None:
            return
        to = self.t("amount.to", name=name)
        self.to.setText(spaced(to))
        self.to.setAccessibleName(to)
        available = self.t("amount.available", amount=format_amount(visit.main_account.balance_minor, self.t.language))
        self.available.setText(spaced(available))
        self.available.setAccessibleName(available)
        self.keypad.retranslate(self.t)
        self._show_words()

    def _typed(self, text: str) -> None:
        """Group the digits as they are typed (1,234.56), the cursor after the same digit; echo the
        amount in words under the field, and say it if the customer asked to hear amounts."""
        if self._grouping:
            return
        shown, cursor = inputs.group_amount(text, self.amount.cursorPosition(), self._shown_text)
        if shown != text:
            self._grouping = True
            self.amount.setText(shown)
            self.amount.setCursorPosition(cursor)
            self._grouping = False
        self._shown_text = shown
        minor = self._show_words()
        if minor is not None and self.shell.speak_amounts and self.amount.hasFocus():
            self.shell.announce(self.shell.money(minor, spoken=True))

    def _show_words(self) -> int | None:
        """The typed amount in words (大写金额 in Chinese), or nothing while it is not an amount."""
        try:
            minor: int | None = parse_amount(self.amount.text())
        except AmountError:
            minor = None
        text = "" if minor is None else self.t("amount.words", words=amount_in_words(minor, self.t.language))
        self.words.setText(spaced(text) if text else "")
        self.words.setAccessibleName(text)
        return minor

    def submit(self) -> None:
        kiosk = self.shell.kiosk
        try:
            minor = kiosk.parse_amount(self.amount.text())
        except AmountError as problem:
            self.show_problem(problem)
            self.amount.selectAll()
            self.amount.setFocus()
            return
        kiosk.set_amount(minor)
        self.hide_error()
        self.shell.go("review")

    def clear(self) -> None:
        super().clear()
        self.typed_for = None
        self.to.clear()
        self.available.clear()
        self.words.clear()
        self._shown_text = ""

    def first_focus(self) -> Any:
        return self.amount


class BillBillerScreen(Screen):
    screen_id = "bill_biller"

    def build(self) -> None:
        self.grid = QGridLayout()
        self.layout_.addLayout(self.grid)
        self.biller_buttons: list[QWidget] = []

    def refresh(self) -> None:
        discard(self.biller_buttons)
        visit = self.shell.visit
        if visit is None:
            return
        for index, biller in enumerate(visit.billers):
            choice = WrapButton(f"biller_{biller.category}", "tile", self)
            name = biller.name_in(self.t.language)
            choice.setText(name)
            choice.setAccessibleName(name)
            choice.setAccessibleDescription(self.t("bill_biller.biller.description"))
            choice.clicked.connect(lambda _=False, b=biller: self.choose(b))
            self.grid.addWidget(choice, index // 2, index % 2)
            self.biller_buttons.append(choice)

    def choose(self, biller: models.Biller) -> None:
        self.shell.kiosk.start_bill(biller)
        self.shell.go("bill_number")

    def clear(self) -> None:
        super().clear()
        discard(self.biller_buttons)

    def first_focus(self) -> Any:
        return self.biller_buttons[0] if self.biller_buttons else None


class BillNumberScreen(Screen):
    screen_id = "bill_number"

    def build(self) -> None:
        caption, self.number = field("billNumber", self)
        self.number.setMaxLength(16)
        self.number.returnPressed.connect(self.find)
        self.bind(caption, "bill_number.field", "bill_number.field.description")
        left, right = self.two_columns()
        left.addWidget(caption)
        left.addWidget(self.number)
        self.place_error(left)
        left.addStretch(1)
        self.keypad = Keypad("billKeypad", parent=self)
        self.keypad.attach(self.number)
        self.keypad.repeat_requested.connect(self.shell.repeat)
        right.addWidget(self.keypad)
        self.typed_for: object = None  # the bill payment (bill draft) the typed number belongs to

    def enter(self, **params: Any) -> None:
        # Another company just chosen: its own number, not the last one's; coming back keeps it.
        visit = self.shell.visit
        if visit is not None and visit.bill.bill is None and visit.bill is not self.typed_for:
            self.number.setText(visit.bill.customer_number)  # empty, or as typed before (client.resume)
        self.typed_for = visit.bill if visit is not None else None

    def typed_values(self) -> dict[str, Any]:
        number = inputs.digits(self.number.text())
        return {"customer_number": number} if number else {}

    def refresh(self) -> None:
        self.keypad.retranslate(self.t, "bill_number.find")

    def find(self) -> None:
        problem = inputs.customer_number_problem(self.number.text())
        if problem is not None:
            self.show_error(self.t(problem))
            return
        digits = inputs.digits(self.number.text())
        self.hide_error()
        visit = self.shell.visit
        if visit is None or visit.bill.biller is None:
            return
        self.shell.run(
            self.shell.kiosk.lookup_bill,
            visit.bill.biller,
            digits,
            ok=lambda bill: self.follow(flow.after_bill_found(bill)),
        )

    def clear(self) -> None:
        super().clear()
        self.typed_for = None

    def first_focus(self) -> Any:
        return self.number


class BillFoundScreen(Screen):
    screen_id = "bill_found"

    def build(self) -> None:
        self.details = label("billDetails", "value", parent=self)
        self.layout_.addWidget(self.details)
        self.amount = label("billAmount", "amount", wrap=False, parent=self)
        self.layout_.addWidget(self.amount)
        self.pay = button("billContinue", "primary", self)
        self.pay.clicked.connect(self.continue_)
        self.bind(self.pay, "bill_found.continue", "bill_found.continue.description")
        self.layout_.addWidget(self.pay)

    def refresh(self) -> None:
        visit = self.shell.visit
        if visit is None or visit.bill.bill is None or visit.bill.biller is None:
            return
        bill, biller = visit.bill.bill, visit.bill.biller
        text = self.t(
            "bill_found.details",
            biller=biller.name_in(self.t.language),
            holder=bill.holder_in(self.t.language),
            number=bill.customer_number,
            when=bill_when(bill, self.t, visit.today),
        )
        if bill.paid:
            text += "\n" + self.t("bill_found.already_paid")
        self.details.setText(spaced(text))
        self.details.setAccessibleName(text)
        self.amount.setText(format_amount(bill.amount_minor, self.t.language))
        self.amount.setAccessibleName(self.t("bill_found.amount_name"))
        self.pay.setEnabled(not bill.paid)

    def continue_(self) -> None:
        self.shell.go("review")

    def clear(self) -> None:
        super().clear()
        self.details.clear()
        self.amount.clear()


class ReviewScreen(Screen):
    """WCAG 3.3.4: every payment is reviewed before anything is paid."""

    screen_id = "review"

    def build(self) -> None:
        self.summary = label("reviewSummary", "value", parent=self)
        self.layout_.addWidget(self.summary)
        self.amount = label("reviewAmount", "amount", wrap=False, parent=self)
        self.layout_.addWidget(self.amount)
        self.words = label("reviewWords", "", parent=self)  # the amount in words, under the figures
        self.layout_.addWidget(self.words)
        row = QHBoxLayout()
        self.pay = button("reviewPay", "primary", self)
        self.pay.clicked.connect(self.submit)
        self.change = button("reviewChange", "secondary", self)
        self.change.clicked.connect(self.shell.back)
        self.bind(self.change, "review.change", "review.change.description")
        row.addWidget(self.pay, 2)
        row.addWidget(self.change, 1)
        self.layout_.addLayout(row)
        self.unanswered = False  # the last press had no answer: the payment may have been made

    def enter(self, **params: Any) -> None:
        self.unanswered = False

    def refresh(self) -> None:
        visit = self.shell.visit
        if visit is None:
            return
        try:
            _, amount, _ = visit.payment_draft()
        except ValueError:
            return
        account = {"account": visit.main_account.name_in(self.t.language), "last4": visit.main_account.number_last4}
        to_name = visit.send.to_name(self.t.language)
        if to_name is not None:
            to = to_name
            scan = visit.send.scan
            if scan is not None and scan.request is None:  # an account from a code: which one, to check
                to = self.t("review.to_scanned", name=to_name, last4=scan.account_last4)
            text = self.t("review.summary", to=to, **account)
        elif visit.bill.biller is not None:
            to = visit.bill.biller.name_in(self.t.language)
            number = visit.bill.bill.customer_number if visit.bill.bill is not None else visit.bill.customer_number
            text = self.t("review.summary_bill", to=to, number=number, **account)  # which bill: its number
        else:
            return
        money = format_amount(amount, self.t.language)
        self.summary.setText(spaced(text))
        self.summary.setAccessibleName(text)
        self.amount.setText(money)
        self.amount.setAccessibleName(self.t("review.amount_name"))
        words = self.t("review.words", words=amount_in_words(amount, self.t.language))
        self.words.setText(spaced(words))
        self.words.setAccessibleName(words)
        self.pay.setText(self.t("review.pay", amount=money))
        if self.unanswered:  # the message says "Press Try again": the button says so too
            self.pay.setText(self.shell.security_catalog.prompt("connection_lost", self.t.language).safe_action or "")
        self.pay.setAccessibleName(self.pay.text())
        self.pay.setAccessibleDescription(self.t("review.pay.description"))
        if self.shell.speak_amounts:
            spoken = self.t("review.pay", amount=self.shell.money(amount, spoken=True))
        else:
            spoken = self.t("speech.review.pay")
        self.pay.setProperty(SPEECH_PROPERTY, spoken)
        self.to_name = to_name or to  # said without an account's digits
        self.amount_minor = amount

    def entry_speech(self) -> tuple[str, Priority]:
        text, priority = super().entry_speech()
        visit = self.shell.visit
        if visit is not None and getattr(self, "to_name", ""):
            text += " " + self.t("speech.review.to", name=self.to_name)
            if self.shell.speak_amounts:
                text += " " + self.shell.money(self.amount_minor, spoken=True)
        return text, priority

    def submit(self) -> None:
        self.hide_error()
        try:
            order = self.shell.kiosk.payment_order()  # taken here, on the GUI thread, before the call
        except ValueError:
            return
        kiosk = self.shell.kiosk

        def answered(payment: models.Payment) -> None:
            kiosk.payment_answered(order)
            self.answered(payment)

        def refused(problem: errors.CalmPayError) -> None:
            kiosk.payment_unanswered(order, problem)
            self.refused(problem)

        self.shell.run(kiosk.pay, order, ok=answered, fail=refused)

    def answered(self, payment: models.Payment) -> None:
        self.follow(flow.after_pay(payment))

    def refused(self, problem: errors.CalmPayError) -> None:
        outcome = flow.after_pay_failed(problem)
        if isinstance(outcome, flow.Stay):
            # Network trouble: pressing Pay again retries with the same key, so it cannot pay twice.
            self.unanswered = problem.outcome_unknown
            self.refresh()
            self.show_problem(problem)
        else:
            self.follow(outcome)

    def clear(self) -> None:
        super().clear()
        self.unanswered = False
        self.pay.setText("")
        self.pay.setAccessibleName("")

    def first_focus(self) -> Any:
        return self.pay


class ResultScreen(Screen):
    screen_id = "result"
    has_back = False  # the payment is done; going back must not resubmit it

    def build(self) -> None:
        self.outcome = label("resultText", "info", parent=self)  # "success" once money has gone (refresh)
        self.layout_.addWidget(self.outcome)
        # Every ending reminds the customer of their card (DESIGN.md: endings).
        self.take_card = label("resultTakeCard", "value", parent=self)
        self.bind(self.take_card, "result.take_card")
        self.layout_.addWidget(self.take_card)
        row = QHBoxLayout()
        self.done = button("resultDone", "primary", self)
        self.done.clicked.connect(self.shell.start_over)
        self.bind(self.done, "result.done", "result.done.description")
        self.receipt = button("resultReceipt", "secondary", self)
        self.receipt.clicked.connect(self.open_receipt)
        self.bind(self.receipt, "result.receipt", "result.receipt.description")
        self.cancel_hold = button("resultCancelHold", "secondary", self)
        self.cancel_hold.clicked.connect(self.cancel_held)
        self.bind(self.cancel_hold, "result.cancel_hold", "result.cancel_hold.description")
        for widget in (self.done, self.receipt, self.cancel_hold):
            row.addWidget(widget)
        self.layout_.addLayout(row)
        # The take-card line asks them to sign out: the way out is right here, not three parts away on Home.
        self.sign_out = button("resultSignOut", "secondary", self)
        self.sign_out.clicked.connect(lambda: self.shell.end_visit("signed_out"))
        self.bind(self.sign_out, "result.sign_out", "result.sign_out.description")
        self.layout_.addWidget(self.sign_out)
        self.params: dict[str, Any] = {}

    def enter(self, **params: Any) -> None:
        self.params = params

    def _payment(self) -> models.Payment | None:
        payment = self.params.get("payment")
        return payment if isinstance(payment, models.Payment) else None

    def _to_name(self, payment: models.Payment) -> str:
        """Who the money went to, in the customer's language (a biller by its own name in Chinese)."""
        visit = self.shell.visit
        return (
            visit.counterparty_name(payment, self.t.language)
            if visit is not None
            else payment.counterparty_in(self.t.language)
        )

    def _key(self, payment: models.Payment) -> str | None:
        if payment.status == "completed":
            return "result.completed_bill" if payment.kind == "bill" else "result.completed"  # paid, not sent
        if payment.status == "held" and payment.hold_until is not None:
            return "result.held"
        if payment.status == "cancelled":
            return "result.cancelled"
        return None

    def sentence(self, *, spoken: bool = False) -> str:
        """The result as shown, or (``spoken``) as said: amounts only if the customer asked to hear them,
        the hold's end as a day and time in words."""
        payment = self._payment()
        stopped_for = self.params.get("cancelled_by_code")
        if stopped_for:  # the bank cancelled it for its codes: nothing moved
            return self.t(
                "result.cancelled_resends" if stopped_for == "verification_resend_limit" else "result.cancelled_code"
            )
        if payment is None:
            return ""
        key = self._key(payment)
        if key is None:
            return self.t("result.failed")
        if spoken and not self.shell.speak_amounts:
            key = f"speech.{key}"
        params: dict[str, Any] = {
            "amount": self.shell.money(payment.amount_minor, spoken=spoken),
            "name": self._to_name(payment),
        }
        if payment.hold_until is not None:
            moment = payment.hold_until
            params["when"] = (
                spoken_date(moment, self.t.language)
                if spoken
                else self.t("result.when", date=self.t.date(moment), time=self.t.time(moment))
            )
        return self.t(key, **params)

    def spoken_sentence(self) -> str:
        """The result, said without the amount unless the customer asked to hear amounts."""
        return self.sentence(spoken=True)

    def entry_speech(self) -> tuple[str, Priority]:
        said = (self.title_text(), self.spoken_sentence(), self.t("result.take_card"), self.instruction_text())
        stop = "。" if self.t.is_chinese else "."  # the title ends a sentence too
        ended = [part if part.endswith((".", "。", "?", "？")) else part + stop for part in said if part]
        return " ".join(ended), "normal"

    def title_text(self) -> str:
        payment = self._payment()
        if payment is not None and payment.status == "held":
            return self.t("result.title_held")  # not "done": the money has not gone yet
        ok = payment is not None and flow.went_through(payment)
        return self.t("result.title" if ok else "result.title_stopped")

    def refresh(self) -> None:
        payment = self._payment()
        # Green "success" only for money that has gone; a hold or a stop is information, not success.
        role = "success" if payment is not None and payment.status == "completed" else "info"
        if self.outcome.property("role") != role:
            set_role(self.outcome, role)
        text = self.sentence()
        self.outcome.setText(spaced(text))
        self.outcome.setAccessibleName(text)
        self.receipt.setVisible(payment is not None and flow.went_through(payment))
        self.cancel_hold.setVisible(payment is not None and flow.can_cancel_hold(payment))

    def open_receipt(self) -> None:
        payment = self._payment()
        if payment is not None:
            self.shell.run(self.shell.kiosk.receipt, payment.id, ok=lambda r: self.shell.go("receipt", receipt=r))

    def cancel_held(self) -> None:
        payment = self._payment()
        if payment is not None:
            self.cancel_payment(payment.id, ok=lambda p: self.follow(flow.after_cancel(p)))

    def clear(self) -> None:
        super().clear()
        self.params = {}
        self.outcome.clear()

    def first_focus(self) -> Any:
        return self.done


RECEIPT_LINES_SHOWN = 12  # more than a receipt has (client.receipts.receipt_fields)


class ReceiptScreen(Screen):
    screen_id = "receipt"

    def build(self) -> None:
        # One label per line, so a long receipt is shown in parts cut between its lines, never through one.
        # Set close together, as one block: a nested box the pager still cuts between its rows.
        box = QVBoxLayout()
        box.setSpacing(0)
        self.layout_.addLayout(box)
        self.line_labels = [label(f"receiptLine{i}", "value", parent=self) for i in range(RECEIPT_LINES_SHOWN)]
        for line in self.line_labels:
            line.hide()
            box.addWidget(line)
        self.text = ""  # the receipt's lines, as shown
        # One above the other: "Back to my home screen" needs the whole width at large text.
        self.save = button("receiptSavePdf", "primary", self)
        self.save.clicked.connect(self.save_pdf)
        self.bind(self.save, "receipt.save", "receipt.save.description")
        self.done = button("receiptDone", "secondary", self)
        self.done.clicked.connect(self.shell.start_over)
        self.bind(self.done, "result.done", "result.done.description")
        self.layout_.addWidget(self.save)
        self.layout_.addWidget(self.done)
        self.saved = label("receiptSaved", "success", parent=self)
        self.layout_.addWidget(self.saved)
        self.receipt: models.Receipt | None = None
        self.saved_path: Path | None = None

    def enter(self, **params: Any) -> None:
        self.receipt = params.get("receipt", self.receipt)
        self.saved_path = None
        self.saved.clear()

    def _in_language(self, receipt: models.Receipt) -> models.Receipt:
        """The receipt with the biller named in the customer's language, on screen and on paper."""
        visit = self.shell.visit
        if visit is None:
            return receipt
        return receipt.model_copy(
            update={
                "to_name": visit.counterparty_name(receipt.payment, self.t.language),
                "from_account_name": receipt.from_account_name_in(self.t.language),
            }
        )

    def refresh(self) -> None:
        if self.receipt is None:
            return
        lines = [f"{name}: {value}" for name, value in receipt_lines(self._in_language(self.receipt), self.t)]
        self.text = "\n".join(lines)
        for index, widget in enumerate(self.line_labels):
            line = lines[index] if index < len(lines) else ""
            widget.setText(spaced(line))
            widget.setAccessibleName(line)
            widget.setVisible(bool(line))

    def save_pdf(self) -> None:
        if self.receipt is None:
            return
        from ui.receipt_pdf import save_receipt_pdf

        self.saved_path = save_receipt_pdf(self._in_language(self.receipt), self.t, self.shell.receipt_files)
        text = self.t("receipt.saved")  # the PDF is the simulated printer's paper
        self.saved.setText(spaced(text))
        self.saved.setAccessibleName(text)
        self.shell.announce(text)

    def clear(self) -> None:
        super().clear()
        self.receipt = None
        self.saved_path = None
        self.text = ""
        for line in self.line_labels:
            line.clear()
            line.setAccessibleName("")
            line.hide()
        self.saved.clear()

    def first_focus(self) -> Any:
        return self.save
