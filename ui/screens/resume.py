"""The offer made once at sign-in for a task left unfinished last time (client.resume)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout

from client import resume
from client.voice import Priority
from ui.screens.base import Screen
from ui.widgets import button, label, set_role, spaced


class ResumeScreen(Screen):
    """ "Last time you were sending 500.00 yuan to Li Mei. Carry on, or start again?" For a payment
    the kiosk sent before it stopped: what the bank made of it (made, on hold, or not made)."""

    screen_id = "resume"
    has_back = False  # the answer is one of the buttons; Home is "Start again"

    def build(self) -> None:
        self.what = label("resumeWhat", "value", parent=self)
        self.layout_.addWidget(self.what)
        self.outcome = label("resumeOutcome", "info", parent=self)
        self.layout_.addWidget(self.outcome)
        row = QHBoxLayout()
        self.carry_on = button("resumeCarryOn", "primary", self)
        self.carry_on.clicked.connect(self.take_up)
        self.bind(self.carry_on, "resume.carry_on", "resume.carry_on.description")
        self.start_again = button("resumeStartAgain", "secondary", self)
        self.start_again.clicked.connect(self.let_go)
        self.bind(self.start_again, "resume.start_again", "resume.start_again.description")
        self.ok = button("resumeOk", "primary", self)
        self.ok.clicked.connect(self.let_go)
        self.bind(self.ok, "resume.ok", "resume.ok.description")
        for widget in (self.carry_on, self.start_again, self.ok):
            row.addWidget(widget)
        self.layout_.addLayout(row)
        self.offer: resume.Offer | None = None

    def enter(self, **params: Any) -> None:
        visit = self.shell.visit
        self.offer = visit.offer if visit is not None else None

    def _open(self) -> bool:
        return self.offer is not None and self.offer.can_carry_on

    def title_text(self) -> str:
        return self.t("resume.title" if self._open() else "resume.title_done")

    def instruction_text(self) -> str:
        return self.t("resume.instruction" if self._open() else "resume.instruction_done")

    def sentences(self, *, spoken: bool = False) -> tuple[str, str]:
        """(what the customer was doing, what became of the payment) as shown, or as said: amounts
        and numbers only if the customer asked to hear amounts."""
        visit, offer = self.shell.visit, self.offer
        if visit is None or offer is None:
            return "", ""
        progress, language = offer.progress, self.t.language
        private = spoken and not self.shell.speak_amounts

        def say(key: str, **params: Any) -> str:
            return self.t(f"speech.{key}" if private and self.t.has(f"speech.{key}") else key, **params)

        if offer.payment is not None and offer.outcome in ("made", "held"):
            payment = offer.payment
            name = visit.counterparty_name(payment, language)
            amount = self.shell.money(payment.amount_minor, spoken=spoken)
            return "", say(f"resume.{offer.outcome}", amount=amount, name=name)
        outcome = self.t("resume.not_made") if offer.outcome == "not_made" else ""
        return self._doing(say, progress, visit, spoken=spoken), outcome

    def _doing(self, say: Any, progress: resume.Progress, visit: Any, *, spoken: bool) -> str:
        language = self.t.language
        if progress.flow == resume.ADD_PAYEE:
            return say("resume.add_payee_name", name=progress.name) if progress.name else say("resume.add_payee")
        if progress.flow == resume.SEND:
            payee = next((p for p in visit.payees if p.id == progress.payee_id), None)
            if payee is None:
                return say("resume.send")
            name = payee.display_name_in(language)
            if progress.amount_minor is None:
                return say("resume.send_to", name=name)
            return say("resume.send_amount", amount=self.shell.money(progress.amount_minor, spoken=spoken), name=name)
        biller = next((b for b in visit.billers if b.id == progress.biller_id), None)
        if biller is None:
            return say("resume.bill_any")
        if progress.customer_number:
            return say("resume.bill_number", biller=biller.name_in(language), number=progress.customer_number)
        return say("resume.bill", biller=biller.name_in(language))

    def refresh(self) -> None:
        what, outcome = self.sentences()
        made = self.offer is not None and self.offer.outcome == "made"
        role = "success" if made else "info"  # money that went, shown as done: no need to pay again
        if self.outcome.property("role") != role:
            set_role(self.outcome, role)
        for widget, text in ((self.what, what), (self.outcome, outcome)):
            widget.setText(spaced(text))
            widget.setAccessibleName(text)
            widget.setVisible(bool(text))
        self.carry_on.setVisible(self._open())
        self.start_again.setVisible(self._open())
        self.ok.setVisible(not self._open())

    def entry_speech(self) -> tuple[str, Priority]:
        what, outcome = self.sentences(spoken=True)
        said = " ".join(part for part in (self.title_text(), what, outcome, self.instruction_text()) if part)
        return said, "normal"

    def take_up(self) -> None:
        offer = self.offer
        if offer is None:
            return
        self._answered()
        self.follow(self.shell.kiosk.carry_on(offer))

    def let_go(self) -> None:
        self._answered()
        self.shell.start_over()

    def _answered(self) -> None:
        """Offered once: the draft goes (a task taken up again is kept anew at its next step)."""
        write = self.shell.kiosk.answer_offer()
        self.offer = None
        if write is not None:
            self.shell.keep_progress(write)

    def clear(self) -> None:
        super().clear()
        self.offer = None

    def first_focus(self) -> Any:
        return self.carry_on if self._open() else self.ok
