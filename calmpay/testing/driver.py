"""The customer, for tests: the kiosk driven by the keyboard only, as a keypad user would, in plain words.

``customer.sign_in("6222020000000001", "1234")``, ``customer.send("200", to="Li Mei")``,
``customer.pay_bill("electricity", "3300123456")``, ``customer.answer_safety_check("rent")``,
``customer.read_screen()``. Underneath: ``key``, ``type``, ``tab_to``, ``activate`` (Tab until the
control has the focus, then Enter) and ``wait_for`` a screen. Controls are found by their objectName
(docs/testing-names.md lists them).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from calmpay.testing.kiosk import plain_text
from calmpay.testing.speaker import RecordingSpeaker
from client.api import PaymentApi
from ui.main_window import MainWindow

WAIT_MS = 8000  # a screen that needs the bank: its answer, on a loaded CI machine too
# Screens a payment can end on: done, or stopped to ask or to protect the customer.
AFTER_PAY = ("result", "risk", "stop")


@dataclass(frozen=True)
class ScreenReading:
    """What the customer has in front of them: the screen, its title, every text shown, the focus."""

    screen: str
    title: str
    texts: list[str]
    focused: str  # the objectName of the control with the keyboard focus

    def says(self, words: str) -> bool:
        """Whether any text shown holds ``words``."""
        return any(words in text for text in self.texts)


@dataclass
class Customer:
    """Drives the window as a keyboard or keypad user would: keys go to the focused widget."""

    qtbot: QtBot
    window: MainWindow
    api: PaymentApi  # a second, independent client for checking the bank's side
    speaker: RecordingSpeaker
    # Told of each key the test presses (the failure trace): a key's name, or "type N characters".
    on_key: Callable[[str], None] | None = field(default=None, repr=False)

    # --- keys -------------------------------------------------------------------------------------

    def focused(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def key(self, key: Qt.Key, times: int = 1) -> None:
        for _ in range(times):
            self._told(Qt.Key(key).name.removeprefix("Key_"))
            self.qtbot.keyClick(self.focused(), key)

    def type(self, text: str) -> None:
        """Type ``text`` into the focused field (what is typed never reaches the trace: its length does)."""
        self._told(f"type {len(text)} characters")
        for char in text:
            if char.isascii():
                self.qtbot.keyClicks(self.focused(), char)
            else:  # what a CJK input method delivers: committed text
                event = QInputMethodEvent()
                event.setCommitString(char)
                QApplication.sendEvent(self.focused(), event)

    def enter(self) -> None:
        self.key(Qt.Key.Key_Return)

    def _told(self, what: str) -> None:
        if self.on_key is not None:
            self.on_key(what)

    # --- controls and screens ---------------------------------------------------------------------

    def tab_to(self, object_name: str, limit: int = 60) -> None:
        """Tab until ``object_name`` has the focus: proves it is reachable by keyboard."""
        for _ in range(limit):
            if self.focused().objectName() == object_name:
                return
            self.key(Qt.Key.Key_Tab)
        raise AssertionError(f"{object_name} is not reachable with Tab (stuck at {self.focused().objectName()})")

    def activate(self, object_name: str) -> None:
        self.tab_to(object_name)
        self.enter()

    def wait_for(self, screen_id: str, timeout: int = WAIT_MS) -> None:
        self.qtbot.waitUntil(
            lambda: self.window.current_id == screen_id and not self.window.bridge.busy, timeout=timeout
        )

    def wait_for_any(self, screen_ids: tuple[str, ...], timeout: int = WAIT_MS) -> str:
        self.qtbot.waitUntil(
            lambda: self.window.current_id in screen_ids and not self.window.bridge.busy, timeout=timeout
        )
        return self.window.current_id

    def texts(self) -> list[str]:
        """Every text any widget of the window holds, shown or not (for privacy checks)."""
        found = []
        for widget in self.window.findChildren(QWidget):
            for attribute in ("text", "accessibleName", "toolTip", "placeholderText"):
                getter = getattr(widget, attribute, None)
                if callable(getter):
                    value = getter()
                    if isinstance(value, str) and value:
                        found.append(value)
        return found

    def read_screen(self) -> ScreenReading:
        """The visible texts of the screen (title, instruction, the screen's own labels and buttons,
        in reading order) and the control with the focus."""
        window = self.window
        texts = [plain_text(window.title.text()), plain_text(window.instruction.text())]
        for widget in window.current.findChildren(QWidget):
            if not widget.isVisible():
                continue
            secret = isinstance(widget, QLineEdit) and widget.echoMode() != QLineEdit.EchoMode.Normal
            if isinstance(widget, QLabel | QAbstractButton | QLineEdit) and not secret:
                texts.append(plain_text(widget.text()))
        focus = QApplication.focusWidget()
        return ScreenReading(
            window.current_id,
            plain_text(window.title.text()),
            [t for t in texts if t],
            focus.objectName() if focus is not None else "",
        )

    def button_showing(self, words: str) -> str:
        """The objectName of the visible button on the screen whose text holds ``words``."""
        for widget in self.window.current.findChildren(QAbstractButton):
            if widget.isVisible() and words in " ".join(widget.text().split()):
                return widget.objectName()
        raise AssertionError(f"no button showing {words!r} on {self.window.current_id}")

    # --- what a customer does -------------------------------------------------------------------

    def sign_in(self, card: str, pin: str) -> str:
        """Welcome → insert the (demo) card → type the PIN → Enter. Returns the screen reached: Home,
        or an offer to carry on a task left unfinished ("resume"), or what the bank refused with."""
        self.insert_card_and_pin(card, pin)
        self.qtbot.waitUntil(
            lambda: (
                (self.window.current_id != "pin" or self.window.current.error.isVisible())
                and not self.window.bridge.busy
            ),
            timeout=WAIT_MS,
        )
        return self.window.current_id

    def insert_card_and_pin(self, card: str, pin: str) -> None:
        """Welcome → the (demo) card → the PIN typed → Enter, without waiting for the bank's answer."""
        self.wait_for("welcome")
        self.activate("welcomeStart")
        self.wait_for("card")
        self.activate(f"demoCard_{card[-4:]}")
        self.wait_for("pin")
        self.type(pin)
        self.enter()

    def send(self, amount: str, *, to: str) -> str:
        """From Home: Send money → the saved person whose name shows ``to`` → the amount → Pay.
        Returns where the payment ended: "result", or "risk"/"stop" when the bank asks or stops it."""
        self._home()
        self.activate("tile_send_payee")
        self.wait_for("send_payee")
        self.activate(self.button_showing(to))
        self.wait_for("amount")
        self.type(amount)
        self.enter()
        self.wait_for("review")
        self.activate("reviewPay")
        return self.wait_for_any(AFTER_PAY)

    def pay_bill(self, biller: str, number: str) -> str:
        """From Home: Pay a bill → the company (``electricity``, ``water``, ``gas``, ``phone``) → its
        customer number → the bill → Pay. Returns where the payment ended (see :meth:`send`)."""
        self._home()
        self.activate("tile_bill_biller")
        self.wait_for("bill_biller")
        self.activate(f"biller_{biller}")
        self.wait_for("bill_number")
        self.type(number)
        self.enter()
        self.wait_for("bill_found")
        self.activate("billContinue")
        self.wait_for("review")
        self.activate("reviewPay")
        return self.wait_for_any(AFTER_PAY)

    def answer_safety_check(self, answer: str) -> str:
        """On the safety check (the risk screen), answer what it asks: a purpose (``rent``,
        ``family_friends``, ``bills_goods``…), ``yes`` or ``no`` to its follow-up question,
        ``understand`` (I understand, go on), ``code`` (read the code the demo phone got, type it),
        or ``dont_pay`` (the safe choice). Returns the screen reached."""
        self.wait_for("risk")
        if answer == "code":
            self.activate("riskShowPhone")
            screen = self.window.screens["risk"]
            self.qtbot.waitUntil(lambda: screen.phone.isVisible() and not self.window.bridge.busy, timeout=WAIT_MS)
            code = re.findall(r"\b\d{6}\b", screen.phone.accessibleName())[-1]
            self.type(code)
            self.enter()
        elif answer == "understand":  # "I understand", then the way on that it opens
            self.activate("riskUnderstand")
            go_on = self.window.findChild(QAbstractButton, "riskContinue")
            self.qtbot.waitUntil(lambda: go_on is not None and go_on.isVisible() and go_on.isEnabled(), timeout=WAIT_MS)
            self.activate("riskContinue")
        else:
            names = {"yes": "followUp_yes", "no": "followUp_no", "dont_pay": "riskDontPay"}
            self.activate(names.get(answer, f"purpose_{answer}"))
        self.qtbot.waitUntil(lambda: not self.window.bridge.busy, timeout=WAIT_MS)
        return self.window.current_id

    def check_balance(self) -> dict[str, int]:
        """From Home: Check balance. Returns each account's balance as shown, in minor units (fen),
        by the account's last four digits."""
        self._home()
        self.activate("tile_balance")
        self.wait_for("balance")

        def amounts() -> dict[str, int]:
            return {
                label.objectName().removeprefix("balanceAmount_"): int(re.sub(r"\D", "", label.text()))
                for label in self.window.current.findChildren(QLabel)
                if label.objectName().startswith("balanceAmount_") and label.isVisible()
            }

        self.qtbot.waitUntil(lambda: bool(amounts()), timeout=WAIT_MS)  # the bank's answer, shown
        return amounts()

    def sign_out(self) -> None:
        self._home()
        self.activate("homeSignOut")
        self.wait_for_any(("goodbye", "welcome"))

    def _home(self) -> None:
        if self.window.current_id != "home":
            self.activate("navStartOver")
            self.wait_for("home")
