"""Before and after a visit: welcome (language, elder mode), card, PIN, goodbye."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QGridLayout, QHBoxLayout

from client import errors, flow, inputs
from client.i18n import LANGUAGES
from client.voice import Priority
from ui.accessibility import PinField, hide_key_digits
from ui.screens.base import Screen
from ui.widgets import BUDDY_PROPERTY, Keypad, WrapButton, button, field, label, set_role, spaced

if TYPE_CHECKING:
    from client.kiosk import Visit
    from client.models import DemoCard


class WelcomeScreen(Screen):
    screen_id = "welcome"
    needs_customer = False
    has_back = False

    def build(self) -> None:
        languages = QHBoxLayout()
        self.language_buttons = {}
        for code, name in LANGUAGES.items():
            choice = button(f"language_{code}", "secondary", self)
            choice.setCheckable(True)
            choice.setText(name)
            choice.setAccessibleName(name)
            choice.clicked.connect(lambda _=False, c=code: self.choose_language(c))
            languages.addWidget(choice)
            self.language_buttons[code] = choice
        self.layout_.addLayout(languages)
        self.elder = WrapButton("welcomeElderMode", "tile", self)  # its words wrap at 34 pt on 1024 px
        self.elder.setCheckable(True)
        self.elder.clicked.connect(lambda checked: self.shell.set_elder_mode(checked))
        self.bind(self.elder, "welcome.elder_mode", "welcome.elder_mode.description")
        self.layout_.addWidget(self.elder)
        self.start = button("welcomeStart", "primary", self)
        self.start.clicked.connect(lambda: self.shell.go("card"))
        self.bind(self.start, "welcome.start", "welcome.start.description")
        self.layout_.addWidget(self.start)

    def choose_language(self, code: str) -> None:
        self.shell.set_language(code)
        self.language_buttons[code].setFocus()

    def refresh(self) -> None:
        for code, choice in self.language_buttons.items():
            chosen = code == self.t.language
            choice.setChecked(chosen)
            choice.setText(f"✓ {LANGUAGES[code]}" if chosen else LANGUAGES[code])  # not by colour alone
            choice.setAccessibleDescription(self.t("welcome.language.description"))
        self.elder.setChecked(self.shell.theme.elder)

    def enter(self, **params: Any) -> None:
        # After a time-out, say why the screen changed (nothing about who was here).
        # An unfinished payment was not made, and the card is still to be taken (every ending says so).
        if params.get("reason") == "timed_out":
            prompt = self.shell.security_catalog.prompt("signed_out_inactivity", self.t.language)
            # A task left unfinished is kept for the next sign-in (client.resume): said so.
            not_paid = self.t("goodbye.kept" if params.get("unfinished") else "goodbye.not_paid")
            take_card = self.t("goodbye.take_card")
            gap = "" if self.t.is_chinese else " "  # Chinese sentences follow one another without a space
            self.show_error(  # what they can do is the Start button under it: not said twice
                gap.join((prompt.what_happened, not_paid, take_card)),
                speech=gap.join((prompt.speech, not_paid, take_card)),
            )
            set_role(self.error, "info")

    def first_focus(self) -> Any:
        return self.start


class CardScreen(Screen):
    screen_id = "card"
    needs_customer = False

    def build(self) -> None:
        self.demo_title = label("cardDemoTitle", "muted", parent=self)
        self.bind(self.demo_title, "card.demo_cards")
        self.layout_.addWidget(self.demo_title)
        self.demo_grid = QGridLayout()
        self.demo_buttons: list[WrapButton] = []
        self.layout_.addLayout(self.demo_grid)
        caption, self.number = field("cardNumber", self)
        self.bind(caption, "card.number", "card.number.description")
        self.number.setMaxLength(23)
        self.number.returnPressed.connect(lambda: self.use_card(self.number.text()))
        self.layout_.addWidget(caption)
        self.layout_.addWidget(self.number)
        self.next = button("cardContinue", "primary", self)
        self.next.clicked.connect(lambda: self.use_card(self.number.text()))
        self.bind(self.next, "card.continue", "card.continue.description")
        self.layout_.addWidget(self.next)

    def enter(self, **params: Any) -> None:
        if self.shell.kiosk is None:  # Start pressed before start-up finished: asked when it has
            return
        if not self.demo_buttons:  # the simulated reader's cards, as the bank lists them (once)
            # A bank that cannot be reached is said in plain words, not left as an empty card reader;
            # coming back to this screen asks again.
            self.shell.run(self.shell.kiosk.demo_cards, ok=self.show_demo_cards, fail=self.show_problem)

    def kiosk_ready(self) -> None:
        self.enter()

    def show_demo_cards(self, cards: list[DemoCard]) -> None:
        if self.demo_buttons:
            return
        for index, card in enumerate(cards):
            number = card.card_number
            demo = WrapButton(f"demoCard_{number[-4:]}", "tile", self)
            demo.clicked.connect(lambda _=False, n=number: self.use_card(n))
            self.bind(
                demo,
                "card.demo_card",
                "card.demo_card.description",
                params=lambda n=number, c=card: {"last4": n[-4:], "name": c.name_in(self.t.language)},
            )
            self.demo_grid.addWidget(demo, index // 2, index % 2)
            demo.show()  # now, not at the next turn of the event loop: the focus can go to it
            self.demo_buttons.append(demo)
        self.retranslate()
        if self.isVisible() and self.demo_buttons and not self.number.text():  # never under typing fingers
            self.demo_buttons[0].setFocus()

    def use_card(self, number: str) -> None:
        problem = inputs.card_number_problem(number)
        if problem is not None:
            self.show_error(self.t(problem))
            return
        card_number = inputs.digits(number)
        kiosk = self.shell.kiosk  # None only before the kiosk is attached: nothing is kept yet
        self.follow(flow.after_card_chosen(card_number, kiosk.why_kept(card_number) if kiosk is not None else None))

    def first_focus(self) -> Any:
        return self.demo_buttons[0] if self.demo_buttons else self.number


class PinScreen(Screen):
    screen_id = "pin"
    needs_customer = False

    def build(self) -> None:
        # The field never holds the digits, so no screen reader can echo them (ui.accessibility).
        caption, self.pin = label("pinLabel", "value", wrap=False, parent=self), PinField("pin", self)
        caption.setBuddy(self.pin)
        caption.setProperty(BUDDY_PROPERTY, "pin")
        self.pin.returnPressed.connect(self.submit)
        self.pin.digits_changed.connect(self._digits_entered)
        self.bind(caption, "pin.field", "pin.field.description")
        left, right = self.two_columns()
        left.setSpacing(12)  # the caption, its field and the problem with it read as one group
        left.addWidget(caption)
        left.addWidget(self.pin)
        self.place_error(left)  # "wrong PIN, 2 tries left" right under the field, in view on small screens
        left.addStretch(1)
        self.keypad = Keypad("pinKeypad", parent=self)
        self.keypad.attach(self.pin)
        self.keypad.repeat_requested.connect(self.shell.repeat)
        right.addWidget(self.keypad)
        self.card_number = ""

    def _digits_entered(self, count: int) -> None:
        # Never the digits themselves: only how many there are.
        self.shell.announce(self.t("pin.digits_entered", count=count))

    def enter(self, **params: Any) -> None:
        self.card_number = params.get("card_number", self.card_number)
        self.pin.clear()

    def refresh(self) -> None:
        self.keypad.retranslate(self.t)
        hide_key_digits(self.keypad.keys, self.t("pin.key"), self.t("pin.key.description"))

    def submit(self) -> None:
        pin = self.pin.digits()
        problem = inputs.pin_problem(pin)
        if problem is not None:
            self.show_error(self.t(problem))
            return
        self.hide_error()
        self.shell.run(self.shell.kiosk.sign_in, self.card_number, pin, ok=self._signed_in, fail=self._refused)

    def _signed_in(self, visit: Visit) -> None:
        self.pin.clear()
        self.shell.begin_visit(visit)

    def _refused(self, problem: errors.CalmPayError) -> None:
        self.pin.clear()
        self.shell.kiosk.keep_card(self.card_number, problem)
        outcome = flow.after_sign_in_failed(problem)
        if outcome != flow.STAY:  # a locked card: no more PIN tries from this kiosk
            self.follow(outcome)
            return
        self.show_problem(problem)
        self.pin.setFocus()

    def clear(self) -> None:
        super().clear()
        self.card_number = ""

    def first_focus(self) -> Any:
        return self.pin


class CardKeptScreen(Screen):
    """The card is locked (or the account paused): the PIN step is over, the reader keeps the card,
    and Call staff has the focus, so one Enter asks for help. There is no PIN field here."""

    screen_id = "card_kept"
    needs_customer = False
    has_back = False  # never back to the keypad for this card

    def build(self) -> None:
        self.body = label("cardKeptBody", "value", parent=self)
        self.layout_.addWidget(self.body)
        self.can_do = label("cardKeptCanDo", "", parent=self)
        self.layout_.addWidget(self.can_do)
        self.code = "card_locked"

    def enter(self, **params: Any) -> None:
        code = params.get("code", self.code)
        self.code = code if code in self.shell.security_catalog.codes else "card_locked"

    def title_text(self) -> str:
        return self.shell.security_catalog.prompt(self.code, self.t.language).headline

    def refresh(self) -> None:
        prompt = self.shell.security_catalog.prompt(self.code, self.t.language)
        for widget, text in ((self.body, prompt.what_happened), (self.can_do, prompt.what_you_can_do)):
            widget.setText(spaced(text))
            widget.setAccessibleName(text)

    def entry_speech(self) -> tuple[str, Priority]:
        prompt = self.shell.security_catalog.prompt(self.code, self.t.language)
        return f"{prompt.speech} {self.instruction_text()}", "safety"

    def clear(self) -> None:
        super().clear()
        self.code = "card_locked"

    def first_focus(self) -> Any:
        return self.shell.call_staff_control()


class GoodbyeScreen(Screen):
    screen_id = "goodbye"
    needs_customer = False
    has_back = False

    def build(self) -> None:
        # The card first, in large print, then what was not paid.
        self.take_card = label("goodbyeTakeCard", "value", parent=self)
        self.bind(self.take_card, "goodbye.take_card")
        self.layout_.addWidget(self.take_card)
        self.not_paid = label("goodbyeNotPaid", "", parent=self)
        self.layout_.addWidget(self.not_paid)
        self.unfinished = False
        self.again = button("goodbyeStart", "primary", self)
        self.again.clicked.connect(lambda: self.shell.go("welcome", remember=False))
        self.bind(self.again, "goodbye.next_customer", "goodbye.next_customer.description")
        self.layout_.addWidget(self.again)

    def enter(self, **params: Any) -> None:
        self.unfinished = bool(params.get("unfinished"))

    def not_paid_text(self) -> str:
        """A task left unfinished is kept for the next sign-in (client.resume): said so."""
        return self.t("goodbye.kept" if self.unfinished else "goodbye.not_paid")

    def refresh(self) -> None:
        text = self.not_paid_text()
        self.not_paid.setText(spaced(text))
        self.not_paid.setAccessibleName(text)

    def entry_speech(self) -> tuple[str, Priority]:
        text, priority = super().entry_speech()
        return f"{text} {self.t('goodbye.take_card')} {self.not_paid_text()}", priority
