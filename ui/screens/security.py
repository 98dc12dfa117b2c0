"""Security prompts in plain language: the safety check before a risky payment, and the calm
stop when a payment looks like a scam. Words come from the catalog (assets/security), never
from code; the safe choice comes first and has the focus; going on needs a second, deliberate
step; the warning is spoken in full."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout

from client import errors, flow, inputs, models
from client.security.catalog import Prompt, Question, load_catalog
from client.security.reasons import OFFERED_PURPOSES, leading_reason
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

    def __init__(self, screen: Screen, name: str, toggled: Callable[[bool], None]) -> None:
        self.toggle = button(f"{name}WhyToggle", "secondary", screen)
        self.toggle.setCheckable(True)
        screen.bind(self.toggle, "security.why_seeing", "security.why_seeing.description")
        # Body-size text, where the explanation was: it replaces it while open, so it is in view.
        self.text = label(f"{name}WhyText", "value", parent=screen)
        self.text.setVisible(False)
        self.toggle.clicked.connect(toggled)
        screen.layout_.addWidget(self.text)
        screen.layout_.addWidget(self.toggle)

    @property
    def is_open(self) -> bool:
        return self.toggle.isChecked()

    def show(self, paragraph: str) -> None:
        self.text.setText(spaced(paragraph))
        self.text.setAccessibleName(paragraph)
        self.text.setVisible(self.toggle.isChecked() and self.toggle.isVisibleTo(self.text.parentWidget()))

    def reset(self) -> None:
        self.toggle.setChecked(False)
        self.text.setVisible(False)


class RiskScreen(Screen):
    """The safety check, one question at a time: what the payment is for, the bank's follow-up
    questions about that answer, the warning (with a deliberate second step), the code from the phone."""

    screen_id = "risk"

    def build(self) -> None:
        self.catalog = load_catalog()
        self.body = label("riskBody", "value", parent=self)
        self.layout_.addWidget(self.body)
        self.also = label("riskAlso", "muted", parent=self)
        self.layout_.addWidget(self.also)
        self.hold = label("riskHold", "", parent=self)
        self.layout_.addWidget(self.hold)
        self._build_code()
        self.can_do = label("riskCanDo", "", parent=self)
        self.layout_.addWidget(self.can_do)
        self.why = WhySeeing(self, "risk", self.why_toggled)
        # One above the other, each a row of its own: at large text a problem and the focused
        # "Don't pay" fit together in one part, and the next part holds the rest.
        self.dont_pay = WrapButton("riskDontPay", "primary", self)
        self.dont_pay.clicked.connect(self.cancel)
        self.understand = WrapButton("riskUnderstand", "secondary", self)
        self.understand.setCheckable(True)
        # toggled, not clicked: a screen reader's default action on a checkable button only toggles it
        self.understand.toggled.connect(lambda _checked: self.refresh())
        self.bind(self.understand, "risk.understand", "risk.understand.description")
        self.continue_ = WrapButton("riskContinue", "secondary", self)
        self.continue_.clicked.connect(self.go_on)
        for widget in (self.dont_pay, self.understand, self.continue_):
            self.layout_.addWidget(widget)
        self._build_answers()
        self.payment: models.Payment | None = None
        self.purpose: str | None = None
        self.answers: dict[str, bool] = {}
        self.to_code = False  # the customer went on from the warning: the code step is next
        self.resends = 0

    def _build_code(self) -> None:
        """The code step: the field (focused, Enter sends it), the demo phone, "Send the code again"."""
        code_caption, self.code = field("riskCode", self)
        self.code.setMaxLength(6)
        self.code.returnPressed.connect(self.submit)
        self.bind(code_caption, "risk.code", "risk.code.description")
        self.code_caption = code_caption
        self.layout_.addWidget(code_caption)
        self.layout_.addWidget(self.code)
        row = QHBoxLayout()
        self.show_phone = button("riskShowPhone", "secondary", self)
        self.show_phone.clicked.connect(self.read_phone)
        self.bind(self.show_phone, "risk.show_phone", "risk.show_phone.description")
        self.resend = WrapButton("riskResend", "secondary", self)
        self.resend.clicked.connect(self.send_again)
        row.addWidget(self.show_phone)
        row.addWidget(self.resend)
        self.layout_.addLayout(row)
        self.phone = label("simulatedPhone", "muted", parent=self)
        self.layout_.addWidget(self.phone)
        # "Send the code again" waits a little, counted down in the kiosk's own ticks.
        self.resend_timer = QTimer(self)
        self.resend_timer.setInterval(1000)
        self.resend_timer.timeout.connect(self.tick)
        self.resend_left = 0

    def _build_answers(self) -> None:
        """The answers come after the safe choice: to the purpose, and yes or no to a follow-up."""
        answers = QGridLayout()
        self.purpose_buttons: dict[str, WrapButton] = {}
        for index, purpose in enumerate(OFFERED_PURPOSES):
            choice = WrapButton(f"purpose_{purpose}", "secondary", self)
            choice.clicked.connect(lambda _=False, p=purpose: self.choose_purpose(p))
            answers.addWidget(choice, index // 2, index % 2)
            self.purpose_buttons[purpose] = choice
        self.layout_.addLayout(answers)
        follow_ups = QHBoxLayout()
        self.follow_up_buttons: dict[str, WrapButton] = {}
        for answer in ("yes", "no"):
            choice = WrapButton(f"followUp_{answer}", "secondary", self)
            choice.clicked.connect(lambda _=False, a=answer: self.answer_follow_up(a == "yes"))
            follow_ups.addWidget(choice)
            self.follow_up_buttons[answer] = choice
        self.layout_.addLayout(follow_ups)

    # --- state ------------------------------------------------------------------------------

    def enter(self, **params: Any) -> None:
        self.payment = params.get("payment", self.payment)
        self.purpose = None
        self.answers = {}
        self.to_code = False
        self.resends = 0
        self.code.clear()
        self.phone.clear()
        self.understand.setChecked(False)
        self.why.reset()
        self.resend_timer.stop()
        self.resend_left = 0

    @property
    def step(self) -> str:
        return flow.check_step(self.payment, self.to_code)

    @property
    def asking_purpose(self) -> bool:
        return self.step in (flow.PURPOSE_STEP, flow.FOLLOW_UP_STEP)

    def question(self) -> Question | None:
        """The question of this step: the purpose, or the follow-up the bank asks."""
        if self.step == flow.PURPOSE_STEP:
            return self.catalog.question("purpose", self.t.language)
        if self.step == flow.FOLLOW_UP_STEP and self.payment is not None and self.payment.risk.follow_up:
            return self.catalog.question(self.payment.risk.follow_up, self.t.language)
        return None

    def prompt(self) -> Prompt | None:
        """The explanation of this step: the code's at the code step, else the weightiest reason's."""
        if self.payment is None:
            return None
        if self.step == flow.CODE_STEP:
            return self.catalog.prompt("verification_code", self.t.language)
        code = leading_reason(self.payment.risk.reasons)
        return self.catalog.prompt(code, self.t.language) if code else None

    def hold_prompt(self) -> Prompt | None:
        """The hold, said once, at the warning: never again at the code step."""
        if self.payment is None or not self.payment.risk.hold_minutes or self.step != flow.WARNING_STEP:
            return None
        return self.catalog.prompt("held_payment", self.t.language, minutes=self.payment.risk.hold_minutes)

    def title_text(self) -> str:
        prompt = self.prompt()
        if self.asking_purpose or prompt is None:
            return self.t("risk.title")
        return prompt.headline

    def instruction_text(self) -> str:
        """The reason comes first: "We ask because ..." above the question."""
        question = self.question()
        if question is not None:
            return question.because
        prompt = self.prompt()
        if self.step == flow.CODE_STEP and prompt is not None:
            return prompt.what_you_can_do
        return self.t("risk.instruction")

    # --- rendering ----------------------------------------------------------------------------

    def refresh(self) -> None:
        prompt = self.prompt()
        if self.payment is None or prompt is None:
            return
        step = self.step
        question = self.question()
        self._show_answers(question)
        self._show_explanation(prompt, step, question)
        self._show_code(step)
        self._show_actions(prompt, step)

    def _show_answers(self, question: Question | None) -> None:
        purpose = question is not None and question.code == "purpose"
        for answer, choice in self.purpose_buttons.items():
            self._label_answer(choice, question.answers.get(answer, "") if purpose and question else "")
        for answer, choice in self.follow_up_buttons.items():
            self._label_answer(choice, question.answers.get(answer, "") if question and not purpose else "")

    def _label_answer(self, choice: WrapButton, text: str) -> None:
        choice.setText(text)
        choice.setAccessibleName(text)
        choice.setAccessibleDescription(self.t("risk.purpose.description"))
        choice.setVisible(bool(text))

    def _show_explanation(self, prompt: Prompt, step: str, question: Question | None) -> None:
        why_open = self.why.is_open and question is None
        if question is not None:
            body = question.question
        elif step == flow.CODE_STEP:
            body = ""  # said once: the headline says a code was sent, the instruction what to do
        else:
            body = _prompt_text(prompt)
        _set(self.body, body, visible=not why_open)
        warning = step == flow.WARNING_STEP and not why_open
        others = [
            self.catalog.prompt(code, self.t.language).headline
            for code in self.payment.risk.reasons  # type: ignore[union-attr]
            if code != prompt.code and code in self.catalog.codes
        ]
        _set(self.also, self.t("risk.also", reasons=" ".join(others)) if others else "", visible=warning)
        hold = self.hold_prompt()
        _set(self.hold, hold.what_happened if hold else "", visible=hold is not None)
        _set(self.can_do, prompt.what_you_can_do, visible=warning)
        self.why.toggle.setVisible(step == flow.WARNING_STEP)  # the questions and the code explain themselves
        self.why.show(prompt.why_seeing)

    def _show_code(self, step: str) -> None:
        asks_code = step == flow.CODE_STEP
        for widget in (self.code_caption, self.code, self.show_phone, self.resend):
            widget.setVisible(asks_code)
        self.phone.setVisible(asks_code and bool(self.phone.text()))
        waiting = self.resend_left > 0
        wait = f"{self.resend_left // 60}:{self.resend_left % 60:02d}"
        text = self.t("risk.resend_in", wait=wait) if waiting else self.t("risk.resend")
        self.resend.setText(text)
        self.resend.setAccessibleName(text)
        self.resend.setAccessibleDescription(self.t("risk.resend.description"))
        self.resend.setEnabled(not waiting)

    def _show_actions(self, prompt: Prompt, step: str) -> None:
        self.dont_pay.setText(prompt.safe_action)
        self.dont_pay.setAccessibleName(prompt.safe_action)
        self.dont_pay.setAccessibleDescription(self.t("risk.dont_pay.description"))
        proceed = prompt.proceed_action or self.t("risk.continue")
        self.continue_.setText(proceed)
        self.continue_.setAccessibleName(proceed)
        self.continue_.setAccessibleDescription(self.t("risk.continue.description"))
        warning = step == flow.WARNING_STEP
        self.understand.setVisible(warning and flow.needs_acknowledgement(self.payment))
        self.understand.setText(("✓ " if self.understand.isChecked() else "") + self.t("risk.understand"))
        self.continue_.setVisible(step in (flow.WARNING_STEP, flow.CODE_STEP))
        if step == flow.CODE_STEP:
            self.continue_.setEnabled(True)  # Enter in the field, or this button: one action, one label
        else:
            self.continue_.setEnabled(flow.may_continue(self.payment, None, self.understand.isChecked()))

    def entry_speech(self) -> tuple[str, Priority]:
        """Safety warnings are spoken in full, whatever the customer presses meanwhile."""
        self.refresh()
        question = self.question()
        if question is not None:
            return f"{self.t('risk.title')}. {question.because} {question.question}", "safety"
        prompt = self.prompt()
        if prompt is None:
            return self.t("risk.title"), "safety"
        hold = self.hold_prompt()
        if hold is not None:
            return f"{prompt.speech} {hold.speech}", "safety"
        if self.step == flow.CODE_STEP and self.resend_left > 0:
            return f"{prompt.speech} {self.t('risk.resend_wait_spoken', seconds=self.resend_left)}", "safety"
        return prompt.speech, "safety"

    def why_toggled(self, opened: bool) -> None:
        """'Why am I seeing this?' shows its paragraph in place of the explanation, and says it."""
        self.refresh()
        if opened and self.why.text.text():
            self.shell.announce(self.why.text.accessibleName())

    # --- actions --------------------------------------------------------------------------------

    def choose_purpose(self, purpose: str) -> None:
        """Send the answer to the bank, which judges it; show what the flow says of its verdict."""
        self.purpose = purpose
        self.answers = {}
        self._send_answers()

    def answer_follow_up(self, yes: bool) -> None:
        """Yes or no to the bank's follow-up question: sent with every answer so far, for the bank to judge."""
        if self.payment is None or self.purpose is None or not self.payment.risk.follow_up:
            return
        self.answers = {**self.answers, self.payment.risk.follow_up: yes}
        self._send_answers()

    def _send_answers(self) -> None:
        if self.payment is None or self.purpose is None:
            return
        payment_id, purpose, answers = self.payment.id, self.purpose, dict(self.answers)
        # The same answers give the same key at every press: pressing again after a lost answer replays them.
        key = self.shell.kiosk.action_key(payment_id, "purpose", purpose, *sorted(answers.items()))
        self.shell.run(
            partial(self.shell.kiosk.answer_purpose, payment_id, purpose, answers=answers, key=key),
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
        self.next_step()

    def next_step(self) -> None:
        """On to the next step on this screen: shown, focused on its main control, said in full."""
        self.hide_error()
        self.why.reset()
        self.shell.refresh_header()
        self.refresh()
        focus = self.first_focus()
        if focus is not None:
            focus.setFocus()
        if self.step == flow.CODE_STEP and not self.resend_timer.isActive() and self.resends == 0:
            self.start_countdown(spoken=False)  # said with the step, below
        text, priority = self.entry_speech()
        self.shell.announce(text, priority)

    def purpose_refused(self, problem: errors.CalmPayError, purpose: str) -> None:
        # The bank stopped the payment (calmly, with the words for that answer), or the answer was lost.
        outcome = flow.after_purpose_failed(problem, purpose, self.catalog.codes)
        if isinstance(outcome, flow.Stay):
            self.show_problem(problem)
        else:
            self.follow(outcome)

    def go_on(self) -> None:
        """The warning's way on: to the code step when a code is needed, else pay."""
        if self.step == flow.WARNING_STEP and flow.code_follows(self.payment):
            if self.continue_.isEnabled():
                self.to_code = True
                self.next_step()
            return
        self.submit()

    def read_phone(self) -> None:
        def show(messages: list[models.PhoneMessage]) -> None:
            text = messages[0].text if messages else self.t("risk.phone_empty")
            self.phone.setText(spaced(self.t("risk.phone", text=text)))
            self.phone.setAccessibleName(text)
            self.phone.setVisible(self.step == flow.CODE_STEP)
            self.code.setFocus()  # the customer looked at the phone: the digits go into the field

        self.shell.run(self.shell.kiosk.phone_messages, ok=show)

    # --- "Send the code again", counted down ----------------------------------------------------

    def start_countdown(self, *, spoken: bool = True) -> None:
        self.resend_left = flow.RESEND_WAIT_SECONDS
        self.resend_timer.start()
        self._show_code(self.step)
        if spoken:
            self.shell.announce(self.t("risk.resend_wait_spoken", seconds=self.resend_left))

    def tick(self) -> None:
        """One second of the countdown (the kiosk's timer; tests send the ticks themselves)."""
        if self.resend_left <= 0:
            self.resend_timer.stop()
            return
        self.resend_left -= 1
        self._show_code(self.step)
        if self.resend_left == 0:
            self.resend_timer.stop()
            if self.isVisible():
                self.shell.announce(self.t("risk.resend_ready"))

    def hideEvent(self, event: QHideEvent) -> None:
        """Away from the check (another screen, sign-out): the countdown waits, and says nothing."""
        self.resend_timer.stop()
        super().hideEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        if self.resend_left > 0:
            self.resend_timer.start()
        super().showEvent(event)

    def send_again(self) -> None:
        if self.payment is None or self.resend_left > 0:
            return
        payment_id = self.payment.id
        key = self.shell.kiosk.action_key(payment_id, "resend", self.resends)

        def sent(payment: models.Payment) -> None:
            self.payment = payment
            self.resends += 1
            self.code.clear()
            self.phone.clear()
            self.refresh()
            self.code.setFocus()
            self.shell.announce(self.t("risk.code_sent_again"))
            self.start_countdown()

        self.shell.run(partial(self.shell.kiosk.resend_code, payment_id, key=key), ok=sent, fail=self.resend_refused)

    def resend_refused(self, problem: errors.CalmPayError) -> None:
        """One new code too many: the bank cancelled the payment, and the result says so."""
        if self._finished_meanwhile(problem):
            return
        outcome = flow.after_resend_failed(problem)
        if isinstance(outcome, flow.Stay):
            self.show_problem(problem)
        else:
            self.resend_timer.stop()
            self.follow(outcome)

    def _finished_meanwhile(self, problem: errors.CalmPayError) -> bool:
        """A payment that no longer waits leaves the check for its result, as the bank has it."""
        if self.payment is None or not flow.finished_meanwhile(problem):
            return False
        self.resend_timer.stop()
        self.shell.run(
            self.shell.kiosk.payment_as_it_is,
            self.payment.id,
            ok=lambda payment: self.follow(flow.after_confirm(payment)),
        )
        return True

    def submit(self) -> None:
        if self.payment is None or not self.continue_.isEnabled() or self.asking_purpose:
            return
        if self.step == flow.WARNING_STEP and flow.code_follows(self.payment):
            return  # the code comes first
        code = inputs.one_time_code(self.code.text()) or None  # full-width digits are digits too
        if self.step == flow.CODE_STEP and not flow.may_submit_code(code or ""):
            self.show_error(self.t("risk.code_short"))
            self.code.setFocus()
            return
        self._confirm(self.payment.id, code)

    def _confirm(self, payment_id: str, code: str | None) -> None:
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
        if self._finished_meanwhile(problem):
            return
        outcome = flow.after_confirm_failed(problem)
        if isinstance(outcome, flow.Stay):
            self.show_problem(problem)
            self.code.clear()
        else:
            self.follow(outcome)

    def cancel(self) -> None:
        self.resend_timer.stop()
        if self.payment is None:
            self.shell.start_over()
            return
        self.cancel_payment(self.payment.id, ok=lambda payment: self.follow(flow.after_cancel(payment)))

    def clear(self) -> None:
        super().clear()
        self.payment = None
        self.purpose = None
        self.answers = {}
        self.to_code = False
        self.resend_timer.stop()
        self.resend_left = 0
        self.why.reset()

    def first_focus(self) -> Any:
        if self.step == flow.CODE_STEP and self.payment is not None:
            return self.code  # typed digits go into the field, Enter sends them
        return self.dont_pay  # the safe choice is the default at the questions and the warning


class StopScreen(Screen):
    """We stopped the payment: what happened, why, what to do, and staff one tap away."""

    screen_id = "stop"
    has_back = False  # nothing to go back to: the payment was stopped

    def build(self) -> None:
        self.catalog = load_catalog()
        # What to do now ("please hang up") comes first, in large print: never the smallest text.
        self.can_do = label("stopCanDo", "value", parent=self)
        self.layout_.addWidget(self.can_do)
        self.body = label("stopBody", "value", parent=self)
        self.layout_.addWidget(self.body)
        self.why = WhySeeing(self, "stop", self.why_toggled)
        self.take_card = label("stopTakeCard", "value", parent=self)  # every ending reminds them of their card
        self.bind(self.take_card, "result.take_card")
        self.layout_.addWidget(self.take_card)
        # Staff are one key away through the one "Call staff" every screen has, focused on arrival:
        # never a second button of the same name next to it.
        self.done = WrapButton("stopDone", "secondary", self)
        self.done.clicked.connect(self.shell.start_over)
        self.bind(self.done, "result.done", "result.done.description")
        self.layout_.addWidget(self.done)
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
        _set(self.can_do, prompt.what_you_can_do, visible=True)
        _set(self.body, _prompt_text(prompt), visible=not self.why.is_open)
        self.why.show(prompt.why_seeing)

    def entry_speech(self) -> tuple[str, Priority]:
        return self.prompt().speech, "safety"

    def why_toggled(self, opened: bool) -> None:
        """'Why am I seeing this?' shows its paragraph in place of the explanation, and says it."""
        self.refresh()
        if opened:
            self.shell.announce(self.why.text.accessibleName())

    def clear(self) -> None:
        super().clear()
        self.why.reset()

    def first_focus(self) -> Any:
        return self.shell.call_staff_control()
