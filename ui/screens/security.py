"""Security prompts in plain language: the safety check before a risky payment, and the calm
stop when a payment looks like a scam. Words come from the catalog (assets/security), never
from code; the safe choice comes first and has the focus; going on needs a second, deliberate
step; the warning is spoken in full."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtWidgets import QGridLayout, QHBoxLayout

from client import errors, flow, models
from client.security.catalog import Prompt, load_catalog
from client.security.reasons import PURPOSES, leading_reason
from client.voice import Priority
from ui.screens.base import Screen
from ui.widgets import WrapButton, button, field, label, spaced


def _prompt_text(prompt: Prompt) -> str:
    return f"{prompt.what_happened}\n{prompt.why_we_ask}"


def _set(widget: Any, text: str, *, visible: bool) -> None:
    """A text label that says what it shows, hidden when it has nothing to say."""
    widget.setText(spaced(text))
    widget.setAccessibleName(text)
    widget.setVisible(visible and bool(text))


class WhySeeing:
    """'Why am I seeing this?': one more paragraph, shown on request, never a wall of text."""

    def __init__(self, screen: Screen, name: str) -> None:
        self.toggle = button(f"{name}WhyToggle", "secondary", screen)
        self.toggle.setCheckable(True)
        screen.bind(self.toggle, "security.why_seeing", "security.why_seeing.description")
        self.text = label(f"{name}WhyText", "", parent=screen)
        self.text.setVisible(False)
        self.toggle.clicked.connect(self.text.setVisible)
        screen.layout_.addWidget(self.toggle)
        screen.layout_.addWidget(self.text)

    def show(self, paragraph: str) -> None:
        self.text.setText(spaced(paragraph))
        self.text.setAccessibleName(paragraph)
        self.text.setVisible(self.toggle.isChecked())

    def reset(self) -> None:
        self.toggle.setChecked(False)
        self.text.setVisible(False)


class RiskScreen(Screen):
    """The payment needs one more step: what it is for, a confirmation, or the code from the phone."""

    screen_id = "risk"

    def build(self) -> None:
        self.catalog = load_catalog()
        self.body = label("riskBody", "value", parent=self)
        self.layout_.addWidget(self.body)
        self.also = label("riskAlso", "muted", parent=self)
        self.layout_.addWidget(self.also)
        self.hold = label("riskHold", "", parent=self)
        self.layout_.addWidget(self.hold)
        self.code_text = label("riskCodeText", "", parent=self)
        self.layout_.addWidget(self.code_text)
        code_caption, self.code = field("riskCode", self)
        self.code.setMaxLength(6)
        self.code.returnPressed.connect(self.submit)
        self.bind(code_caption, "risk.code", "risk.code.description")
        self.code_caption = code_caption
        self.layout_.addWidget(code_caption)
        self.layout_.addWidget(self.code)
        self.show_phone = button("riskShowPhone", "secondary", self)
        self.show_phone.clicked.connect(self.read_phone)
        self.bind(self.show_phone, "risk.show_phone", "risk.show_phone.description")
        self.layout_.addWidget(self.show_phone)
        self.phone = label("simulatedPhone", "muted", parent=self)
        self.layout_.addWidget(self.phone)
        self.can_do = label("riskCanDo", "", parent=self)
        self.layout_.addWidget(self.can_do)
        self.why = WhySeeing(self, "risk")
        row = QHBoxLayout()
        self.dont_pay = WrapButton("riskDontPay", "primary", self)
        self.dont_pay.clicked.connect(self.cancel)
        self.understand = WrapButton("riskUnderstand", "secondary", self)
        self.understand.setCheckable(True)
        self.understand.clicked.connect(self.refresh)
        self.bind(self.understand, "risk.understand", "risk.understand.description")
        self.continue_ = WrapButton("riskContinue", "secondary", self)
        self.continue_.clicked.connect(self.submit)
        for widget in (self.dont_pay, self.understand, self.continue_):
            row.addWidget(widget)
        self.layout_.addLayout(row)
        # "What is this payment for?": the answers come after the safe choice.
        purposes = QGridLayout()
        self.purpose_buttons: dict[str, WrapButton] = {}
        for index, purpose in enumerate(PURPOSES):
            choice = WrapButton(f"purpose_{purpose}", "secondary", self)
            choice.clicked.connect(lambda _=False, p=purpose: self.choose_purpose(p))
            self.bind(choice, f"purpose.{purpose}", "risk.purpose.description")
            purposes.addWidget(choice, index // 2, index % 2)
            self.purpose_buttons[purpose] = choice
        self.layout_.addLayout(purposes)
        self.payment: models.Payment | None = None
        self.purpose: str | None = None

    # --- state ------------------------------------------------------------------------------

    def enter(self, **params: Any) -> None:
        self.payment = params.get("payment", self.payment)
        self.purpose = None
        self.code.clear()
        self.phone.clear()
        self.understand.setChecked(False)
        self.why.reset()

    @property
    def asking_purpose(self) -> bool:
        return flow.asks_purpose(self.payment, self.purpose)

    def prompt(self) -> Prompt | None:
        if self.payment is None:
            return None
        code = leading_reason(self.payment.risk.reasons)
        return self.catalog.prompt(code, self.t.language) if code else None

    def title_text(self) -> str:
        prompt = self.prompt()
        if self.asking_purpose or prompt is None:
            return self.t("risk.title")
        return prompt.headline

    def instruction_text(self) -> str:
        return self.t("risk.purpose_question") if self.asking_purpose else self.t("risk.instruction")

    # --- rendering ----------------------------------------------------------------------------

    def refresh(self) -> None:
        prompt = self.prompt()
        if self.payment is None or prompt is None:
            return
        language = self.t.language
        asking = self.asking_purpose
        _set(self.body, _prompt_text(prompt), visible=not asking)
        others = [
            self.catalog.prompt(code, language).headline
            for code in self.payment.risk.reasons
            if code != prompt.code and code in self.catalog.codes
        ]
        _set(self.also, self.t("risk.also", reasons=" ".join(others)) if others else "", visible=not asking)
        hold = ""
        if self.payment.risk.hold_minutes:
            hold = self.catalog.prompt("held_payment", language, minutes=self.payment.risk.hold_minutes).what_happened
        _set(self.hold, hold, visible=bool(hold) and not asking)
        for choice in self.purpose_buttons.values():
            choice.setVisible(asking)
        asks_code = flow.asks_code(self.payment, self.purpose)
        code_prompt = self.catalog.prompt("verification_code", language)
        _set(self.code_text, f"{code_prompt.what_happened} {code_prompt.why_we_ask}", visible=asks_code)
        for widget in (self.code_caption, self.code, self.show_phone):
            widget.setVisible(asks_code)
        self.phone.setVisible(asks_code and bool(self.phone.text()))
        _set(self.can_do, prompt.what_you_can_do, visible=not asking)
        self.why.toggle.setVisible(not asking)
        self.why.show(prompt.why_seeing)
        self.dont_pay.setText(prompt.safe_action)
        self.dont_pay.setAccessibleName(prompt.safe_action)
        self.dont_pay.setAccessibleDescription(self.t("risk.dont_pay.description"))
        proceed = prompt.proceed_action or self.t("risk.continue")
        self.continue_.setText(proceed)
        self.continue_.setAccessibleName(proceed)
        self.continue_.setAccessibleDescription(self.t("risk.continue.description"))
        self.understand.setVisible(flow.needs_acknowledgement(self.payment) and not asking)
        self.understand.setText(("✓ " if self.understand.isChecked() else "") + self.t("risk.understand"))
        self.continue_.setVisible(not asking)
        self.continue_.setEnabled(flow.may_continue(self.payment, self.purpose, self.understand.isChecked()))

    def entry_speech(self) -> tuple[str, Priority]:
        """Safety warnings are spoken in full, whatever the customer presses meanwhile."""
        self.refresh()
        prompt = self.prompt()
        if self.asking_purpose or prompt is None:
            return f"{self.t('risk.title')}. {self.t('risk.purpose_question')}", "safety"
        return prompt.speech, "safety"

    # --- actions --------------------------------------------------------------------------------

    def choose_purpose(self, purpose: str) -> None:
        """Send the answer to the bank, which judges it; show what the flow says of its verdict."""
        if self.payment is None:
            return
        payment_id = self.payment.id
        # The same answer gives the same key at every press: pressing again after a lost answer replays it.
        key = self.shell.kiosk.action_key(payment_id, "purpose", purpose)
        self.shell.run(
            partial(self.shell.kiosk.answer_purpose, payment_id, purpose, key=key),
            ok=lambda payment: self.purpose_taken(payment, purpose),
            fail=lambda problem: self.purpose_refused(problem, purpose),
        )

    def purpose_taken(self, payment: models.Payment, purpose: str) -> None:
        outcome = flow.after_purpose(payment)
        if not isinstance(outcome, flow.Stay):
            self.follow(outcome)
            return
        self.payment = payment
        self.purpose = purpose
        self.shell.refresh_header()
        self.refresh()
        self.dont_pay.setFocus()  # step two starts on the safe choice
        text, priority = self.entry_speech()
        self.shell.announce(text, priority)

    def purpose_refused(self, problem: errors.CalmPayError, purpose: str) -> None:
        # The bank stopped the payment (calmly, with the words for that answer), or the answer was lost.
        outcome = flow.after_purpose_failed(problem, purpose, self.catalog.codes)
        if isinstance(outcome, flow.Stay):
            self.show_problem(problem)
        else:
            self.follow(outcome)

    def read_phone(self) -> None:
        def show(messages: list[models.PhoneMessage]) -> None:
            text = messages[0].text if messages else self.t("risk.phone_empty")
            self.phone.setText(spaced(self.t("risk.phone", text=text)))
            self.phone.setAccessibleName(text)
            self.phone.setVisible(True)

        self.shell.run(self.shell.kiosk.phone_messages, ok=show)

    def submit(self) -> None:
        if self.payment is None or not self.continue_.isEnabled():
            return
        payment_id = self.payment.id
        code = self.code.text().strip() or None
        acknowledged = self.understand.isChecked()
        visit = self.shell.visit
        # The same answers give the same key at every press: pressing again after a lost answer replays it.
        key = self.shell.kiosk.action_key(payment_id, "confirm", acknowledged, code)
        self.shell.run(
            partial(
                self.shell.kiosk.confirm,
                payment_id,
                acknowledged=acknowledged,
                verification_code=code,
                key=key,
                usage=visit.usage_of_draft() if visit is not None else None,
            ),
            ok=lambda payment: self.follow(flow.after_confirm(payment)),
            fail=self.refused,
        )

    def refused(self, problem: errors.CalmPayError) -> None:
        outcome = flow.after_confirm_failed(problem)
        if isinstance(outcome, flow.Stay):
            self.show_problem(problem)
            self.code.clear()
        else:
            self.follow(outcome)

    def cancel(self) -> None:
        if self.payment is None:
            self.shell.start_over()
            return
        self.cancel_payment(self.payment.id, ok=lambda payment: self.follow(flow.after_cancel(payment)))

    def clear(self) -> None:
        super().clear()
        self.payment = None
        self.purpose = None
        self.why.reset()

    def first_focus(self) -> Any:
        return self.dont_pay  # the safe choice is the default, in both steps


class StopScreen(Screen):
    """We stopped the payment: what happened, why, what to do, and staff one tap away."""

    screen_id = "stop"
    has_back = False  # nothing to go back to: the payment was stopped

    def build(self) -> None:
        self.catalog = load_catalog()
        self.body = label("stopBody", "value", parent=self)
        self.layout_.addWidget(self.body)
        self.can_do = label("stopCanDo", "", parent=self)
        self.layout_.addWidget(self.can_do)
        self.why = WhySeeing(self, "stop")
        row = QHBoxLayout()
        self.staff = WrapButton("stopCallStaff", "primary", self)
        self.staff.clicked.connect(self.shell.call_staff)
        # Its own words: two buttons in view with one name cannot be told apart by a screen reader.
        self.bind(self.staff, "stop.call_staff", "nav.call_staff.description")
        self.done = WrapButton("stopDone", "secondary", self)
        self.done.clicked.connect(self.shell.start_over)
        self.bind(self.done, "result.done", "result.done.description")
        row.addWidget(self.staff, 2)
        row.addWidget(self.done, 1)
        self.layout_.addLayout(row)
        self.code = "payee_reported_scam"

    def enter(self, **params: Any) -> None:
        self.code = params.get("code", self.code)
        if self.code not in self.catalog.codes:
            self.code = "payee_reported_scam"
        self.why.reset()

    def prompt(self) -> Prompt:
        return self.catalog.prompt(self.code, self.t.language)

    def title_text(self) -> str:
        return self.prompt().headline

    def instruction_text(self) -> str:
        return self.t("stop.instruction")

    def refresh(self) -> None:
        prompt = self.prompt()
        _set(self.body, _prompt_text(prompt), visible=True)
        _set(self.can_do, prompt.what_you_can_do, visible=True)
        self.why.show(prompt.why_seeing)

    def entry_speech(self) -> tuple[str, Priority]:
        return self.prompt().speech, "safety"

    def first_focus(self) -> Any:
        return self.staff
