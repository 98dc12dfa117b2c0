"""Send money, pay a bill, review, safety check, result and receipt."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from client import errors, flow, inputs, models, paths
from client.money import AmountError, format_amount
from client.receipts import receipt_lines
from client.voice import Priority
from ui.screens.base import Screen
from ui.widgets import SPEECH_PROPERTY, Keypad, WrapButton, button, discard, field, label, spaced


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
            text = self.t(key, name=payee.display_name, last4=payee.account_last4)
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
        for widget in (account_caption, self.account, name_caption, self.name):
            self.layout_.addWidget(widget)
        self.account.returnPressed.connect(self.name.setFocus)
        self.name.returnPressed.connect(self.check)
        self.check_button = button("payeeCheck", "primary", self)
        self.check_button.clicked.connect(self.check)
        self.bind(self.check_button, "add_payee.check", "add_payee.check.description")
        self.layout_.addWidget(self.check_button)
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
        self._show_choices(False)

    def _show_choices(self, visible: bool) -> None:
        self.dont_save.setVisible(visible)
        self.save.setVisible(visible)

    def enter(self, **params: Any) -> None:
        if not params.get("keep"):
            self.clear()

    def check(self) -> None:
        account, name = self.account.text(), self.name.text().strip()
        problem = inputs.account_number_problem(account)
        if problem is not None:
            self.show_error(self.t(problem))
            self.account.setFocus()
            return
        if not name:
            self.show_error(self.t("error.name_missing"))
            self.name.setFocus()
            return
        self.hide_error()
        self.shell.run(self.shell.kiosk.name_check, account, name, ok=self.checked)

    def checked(self, outcome: models.NameCheck) -> None:
        self.outcome = outcome
        self.refresh()
        self.result.setVisible(True)
        self._show_choices(True)
        self.shell.announce(self.result.accessibleName())
        # The safe choice comes first and has the focus when the name does not match.
        (self.save if outcome.result == "match" else self.dont_save).setFocus()

    def refresh(self) -> None:
        if self.outcome is None:
            return
        prompt = self.shell.security_catalog.prompt(
            f"name_{self.outcome.result}", self.t.language, name=self.outcome.actual_name or ""
        )
        text = f"{prompt.what_happened} {prompt.what_you_can_do}"
        self.result.setText(spaced(text))
        self.result.setAccessibleName(text)
        save_key = {"close_match": "add_payee.save_actual", "match": "add_payee.save"}.get(
            self.outcome.result, "add_payee.save_anyway"
        )
        self.save.setText(self.t(save_key, name=self.outcome.actual_name or ""))
        self.save.setAccessibleName(self.save.text())

    def save_payee(self) -> None:
        if self.outcome is None:
            return
        name = self.outcome.actual_name or self.name.text().strip()
        self.shell.run(self.shell.kiosk.add_payee, self.account.text(), name, ok=self.saved)

    def saved(self, payee: models.Payee) -> None:
        self.clear()
        self.shell.kiosk.start_send(payee)
        self.shell.go("amount")

    def clear(self) -> None:
        super().clear()
        self.outcome = None
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
        self.amount.setMaxLength(16)
        self.amount.returnPressed.connect(self.submit)
        self.bind(caption, "amount.field", "amount.field.description")
        # What is available sits under whom it is for, across the screen: the field's column keeps
        # its room for the problem with what was typed.
        self.available = label("amountAvailable", "muted", parent=self)
        self.layout_.addWidget(self.available)
        left, right = self.two_columns()
        left.addWidget(caption)
        left.addWidget(self.amount)
        self.place_error(left)  # "please type a number" right under the field, beside the keypad
        left.addStretch(1)
        self.keypad = Keypad("amountKeypad", decimal=True, parent=self)
        self.keypad.attach(self.amount)
        self.keypad.repeat_requested.connect(self.shell.repeat)
        right.addWidget(self.keypad)

    def enter(self, **params: Any) -> None:
        visit = self.shell.visit
        if visit is not None and visit.send.amount_minor is None:
            self.amount.clear()

    def refresh(self) -> None:
        visit = self.shell.visit
        if visit is None or visit.send.payee is None:
            return
        to = self.t("amount.to", name=visit.send.payee.display_name)
        self.to.setText(spaced(to))
        self.to.setAccessibleName(to)
        available = self.t("amount.available", amount=format_amount(visit.main_account.balance_minor, self.t.language))
        self.available.setText(spaced(available))
        self.available.setAccessibleName(available)
        self.keypad.retranslate(self.t)

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
        self.to.clear()
        self.available.clear()

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
            name = biller.names.get(self.t.language, biller.names.get("en", biller.id))
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
            biller=biller.names.get(self.t.language, biller.id),
            holder=bill.holder_name,
            number=bill.customer_number,
            period=bill.period,
            due=bill.due_date,
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
        row = QHBoxLayout()
        self.pay = button("reviewPay", "primary", self)
        self.pay.clicked.connect(self.submit)
        self.change = button("reviewChange", "secondary", self)
        self.change.clicked.connect(self.shell.back)
        self.bind(self.change, "review.change", "review.change.description")
        row.addWidget(self.pay, 2)
        row.addWidget(self.change, 1)
        self.layout_.addLayout(row)

    def refresh(self) -> None:
        visit = self.shell.visit
        if visit is None:
            return
        try:
            _, amount, _ = visit.payment_draft()
        except ValueError:
            return
        if visit.send.payee is not None:
            to = visit.send.payee.display_name
        elif visit.bill.biller is not None:
            to = visit.bill.biller.names.get(self.t.language, visit.bill.biller.id)
        else:
            return
        money = format_amount(amount, self.t.language)
        text = self.t("review.summary", to=to, account=visit.main_account.name, last4=visit.main_account.number_last4)
        self.summary.setText(spaced(text))
        self.summary.setAccessibleName(text)
        self.amount.setText(money)
        self.amount.setAccessibleName(self.t("review.amount_name"))
        self.pay.setText(self.t("review.pay", amount=money))
        self.pay.setAccessibleName(self.pay.text())
        self.pay.setAccessibleDescription(self.t("review.pay.description"))
        if self.shell.speak_amounts:
            spoken = self.t("review.pay", amount=self.shell.money(amount, spoken=True))
        else:
            spoken = self.t("speech.review.pay")
        self.pay.setProperty(SPEECH_PROPERTY, spoken)
        self.to_name = to
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
        self.shell.run(self.shell.kiosk.pay, order, ok=self.answered, fail=self.refused)

    def answered(self, payment: models.Payment) -> None:
        self.follow(flow.after_pay(payment))

    def refused(self, problem: errors.CalmPayError) -> None:
        outcome = flow.after_pay_failed(problem)
        if isinstance(outcome, flow.Stay):
            # Network trouble: pressing Pay again retries with the same key, so it cannot pay twice.
            self.show_problem(problem)
        else:
            self.follow(outcome)

    def clear(self) -> None:
        super().clear()
        self.pay.setText("")
        self.pay.setAccessibleName("")

    def first_focus(self) -> Any:
        return self.pay


class ResultScreen(Screen):
    screen_id = "result"
    has_back = False  # the payment is done; going back must not resubmit it

    def build(self) -> None:
        self.outcome = label("resultText", "success", parent=self)
        self.layout_.addWidget(self.outcome)
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
        self.params: dict[str, Any] = {}

    def enter(self, **params: Any) -> None:
        self.params = params

    def sentence(self) -> str:
        payment: models.Payment | None = self.params.get("payment")
        if self.params.get("cancelled_by_code"):
            return self.t("result.cancelled_code")
        if payment is None:
            return ""
        money = format_amount(payment.amount_minor, self.t.language)
        if payment.status == "completed":
            return self.t("result.completed", amount=money, name=payment.counterparty)
        if payment.status == "held" and payment.hold_until is not None:
            return self.t("result.held", amount=money, name=payment.counterparty, time=self.t.time(payment.hold_until))
        if payment.status == "cancelled":
            return self.t("result.cancelled", amount=money, name=payment.counterparty)
        return self.t("result.failed")

    def spoken_sentence(self) -> str:
        """The result, said without the amount unless the customer asked to hear amounts."""
        payment: models.Payment | None = self.params.get("payment")
        if payment is None or self.shell.speak_amounts or payment.status not in ("completed", "held", "cancelled"):
            if payment is not None and self.shell.speak_amounts:
                money = self.shell.money(payment.amount_minor, spoken=True)
                return self.sentence().replace(format_amount(payment.amount_minor, self.t.language), money)
            return self.sentence()
        time = self.t.time(payment.hold_until) if payment.hold_until else ""
        return self.t(f"speech.result.{payment.status}", name=payment.counterparty, time=time)

    def entry_speech(self) -> tuple[str, Priority]:
        return f"{self.title_text()}. {self.spoken_sentence()} {self.instruction_text()}", "normal"

    def title_text(self) -> str:
        payment: models.Payment | None = self.params.get("payment")
        ok = payment is not None and flow.went_through(payment)
        return self.t("result.title" if ok else "result.title_stopped")

    def refresh(self) -> None:
        text = self.sentence()
        self.outcome.setText(spaced(text))
        self.outcome.setAccessibleName(text)
        payment: models.Payment | None = self.params.get("payment")
        self.receipt.setVisible(payment is not None and flow.went_through(payment))
        self.cancel_hold.setVisible(payment is not None and flow.can_cancel_hold(payment))

    def open_receipt(self) -> None:
        payment: models.Payment | None = self.params.get("payment")
        if payment is not None:
            self.shell.run(self.shell.kiosk.receipt, payment.id, ok=lambda r: self.shell.go("receipt", receipt=r))

    def cancel_held(self) -> None:
        payment: models.Payment | None = self.params.get("payment")
        if payment is not None:
            self.cancel_payment(payment.id, ok=lambda p: self.follow(flow.after_cancel(p)))

    def clear(self) -> None:
        super().clear()
        self.params = {}
        self.outcome.clear()

    def first_focus(self) -> Any:
        return self.done


class ReceiptScreen(Screen):
    screen_id = "receipt"

    def build(self) -> None:
        self.lines = label("receiptLines", "value", parent=self)
        self.layout_.addWidget(self.lines)
        row = QHBoxLayout()
        self.save = button("receiptSavePdf", "primary", self)
        self.save.clicked.connect(self.save_pdf)
        self.bind(self.save, "receipt.save", "receipt.save.description")
        self.done = button("receiptDone", "secondary", self)
        self.done.clicked.connect(self.shell.start_over)
        self.bind(self.done, "result.done", "result.done.description")
        row.addWidget(self.save, 2)
        row.addWidget(self.done, 1)
        self.layout_.addLayout(row)
        self.saved = label("receiptSaved", "success", parent=self)
        self.layout_.addWidget(self.saved)
        self.receipt: models.Receipt | None = None
        self.saved_path: Path | None = None

    def enter(self, **params: Any) -> None:
        self.receipt = params.get("receipt", self.receipt)
        self.saved_path = None
        self.saved.clear()

    def refresh(self) -> None:
        if self.receipt is None:
            return
        text = "\n".join(f"{name}: {value}" for name, value in receipt_lines(self.receipt, self.t))
        self.lines.setText(spaced(text))
        self.lines.setAccessibleName(text)

    def save_pdf(self) -> None:
        if self.receipt is None:
            return
        from ui.receipt_pdf import save_receipt_pdf

        folder = paths.data_dir() / "receipts"
        self.saved_path = save_receipt_pdf(self.receipt, self.t, folder)
        text = self.t("receipt.saved")  # the PDF is the simulated printer's paper
        self.saved.setText(spaced(text))
        self.saved.setAccessibleName(text)
        self.shell.announce(text)

    def clear(self) -> None:
        super().clear()
        self.receipt = None
        self.saved_path = None
        self.lines.clear()
        self.saved.clear()

    def first_focus(self) -> Any:
        return self.save
