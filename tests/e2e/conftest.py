"""The real kiosk window against the real mock API over HTTP, driven by the keyboard only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from client.api import PaymentApi
from client.credentials import CredentialStore
from client.kiosk import Kiosk
from client.settings import KioskSettings
from mock_api.server import EmbeddedServer
from tests.api.helpers import loopback_transport
from tests.demo import WANG_FANG
from tests.fakes import RecordingSpeaker
from ui.main_window import MainWindow


@dataclass
class KioskDriver:
    """Drives the window as a keyboard or keypad user would: keys go to the focused widget."""

    qtbot: QtBot
    window: MainWindow
    api: PaymentApi  # a second, independent client for checking the bank's side
    speaker: RecordingSpeaker

    def focused(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def key(self, key: Qt.Key, times: int = 1) -> None:
        for _ in range(times):
            self.qtbot.keyClick(self.focused(), key)

    def type(self, text: str) -> None:
        for char in text:
            if char.isascii():
                self.qtbot.keyClicks(self.focused(), char)
            else:  # what a CJK input method delivers: committed text
                event = QInputMethodEvent()
                event.setCommitString(char)
                QApplication.sendEvent(self.focused(), event)

    def enter(self) -> None:
        self.key(Qt.Key.Key_Return)

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

    def wait_for(self, screen_id: str, timeout: int = 8000) -> None:
        self.qtbot.waitUntil(
            lambda: self.window.current_id == screen_id and not self.window.bridge.busy, timeout=timeout
        )

    def sign_in(self, card: str = WANG_FANG.number, pin: str = WANG_FANG.pin) -> None:
        self.sign_in_to("home", card, pin)

    def sign_in_past_offer(self, card: str = WANG_FANG.number, pin: str = WANG_FANG.pin) -> None:
        """Sign in to Home, declining the offer to carry on a task left unfinished, if there is one."""
        self._card_and_pin(card, pin)
        self.qtbot.waitUntil(lambda: self.window.current_id in ("home", "resume") and not self.window.bridge.busy)
        if self.window.current_id == "resume":
            self.activate("resumeStartAgain")
            self.wait_for("home")

    def sign_in_to(self, screen_id: str, card: str = WANG_FANG.number, pin: str = WANG_FANG.pin) -> None:
        """Sign in and wait for the first screen: ``screen_id`` (Home, or an offer to carry on)."""
        self._card_and_pin(card, pin)
        self.wait_for(screen_id)

    def _card_and_pin(self, card: str, pin: str) -> None:
        self.wait_for("welcome")
        self.activate("welcomeStart")
        self.wait_for("card")
        self.activate(f"demoCard_{card[-4:]}")
        self.wait_for("pin")
        self.type(pin)
        self.enter()

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


@pytest.fixture
def settings() -> KioskSettings:
    # The tests' customers (Wang Fang reads 简体中文) keep this English kiosk's language; the
    # customer's own language at sign-in is tested on its own (tests/e2e/test_words.py).
    return KioskSettings(elder_mode_default=True, default_language="en", customer_language=False)


def open_kiosk(qtbot: QtBot, server: EmbeddedServer, settings: KioskSettings) -> tuple[MainWindow, RecordingSpeaker]:
    """A kiosk window (registered with ``server``, as this kiosk) on screen with the keyboard focus;
    its client is closed with the window's bank calls done."""
    api = PaymentApi(server.url, backoff_seconds=0.01, transport=loopback_transport())
    kiosk = Kiosk(api, CredentialStore(server.url), "e2e kiosk")
    kiosk.ensure_registered()
    speaker = RecordingSpeaker()
    window = MainWindow(kiosk, settings, speaker=speaker)
    qtbot.addWidget(window, before_close_func=lambda w: (w.bridge.wait_for_done(3000), api.close()))
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window, speaker


@pytest.fixture
def driver(qtbot: QtBot, api_server: EmbeddedServer, settings: KioskSettings) -> Iterator[KioskDriver]:
    window, speaker = open_kiosk(qtbot, api_server, settings)
    kiosk = window.kiosk
    checker = PaymentApi(api_server.url, transport=loopback_transport())
    checker.use_kiosk(kiosk.credentials.load())  # type: ignore[arg-type]
    yield KioskDriver(qtbot, window, checker, speaker)
    window.bridge.wait_for_done(3000)
    checker.close()
