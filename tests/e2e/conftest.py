"""The real kiosk window against the real mock API over HTTP, driven by the keyboard only."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from calmpay.testing.driver import Customer
from calmpay.testing.kiosk import open_kiosk as calmpay_open_kiosk
from client.settings import KioskSettings
from mock_api.server import EmbeddedServer
from tests.demo import WANG_FANG
from tests.fakes import RecordingSpeaker
from ui.main_window import MainWindow


class KioskDriver(Customer):
    """The plugin's customer (calmpay.testing), as testers outside use it, with this suite's demo
    customer, Wang Fang, by default."""

    def sign_in(self, card: str = WANG_FANG.number, pin: str = WANG_FANG.pin) -> str:  # type: ignore[override]
        self.sign_in_to("home", card, pin)
        return "home"

    def sign_in_past_offer(self, card: str = WANG_FANG.number, pin: str = WANG_FANG.pin) -> None:
        """Sign in to Home, declining the offer to carry on a task left unfinished, if there is one."""
        self.insert_card_and_pin(card, pin)
        self.qtbot.waitUntil(lambda: self.window.current_id in ("home", "resume") and not self.window.bridge.busy)
        if self.window.current_id == "resume":
            self.activate("resumeStartAgain")
            self.wait_for("home")

    def sign_in_to(self, screen_id: str, card: str = WANG_FANG.number, pin: str = WANG_FANG.pin) -> None:
        """Sign in and wait for the first screen: ``screen_id`` (Home, or an offer to carry on)."""
        self.insert_card_and_pin(card, pin)
        self.wait_for(screen_id)


@pytest.fixture
def settings() -> KioskSettings:
    # The tests' customers (Wang Fang reads 简体中文) keep this English kiosk's language; the
    # customer's own language at sign-in is tested on its own (tests/e2e/test_words.py).
    return KioskSettings(elder_mode_default=True, default_language="en", customer_language=False)


def open_kiosk(qtbot: QtBot, server: EmbeddedServer, settings: KioskSettings) -> tuple[MainWindow, RecordingSpeaker]:
    """A kiosk window (registered with ``server``, as this kiosk) on screen with the keyboard focus."""
    return calmpay_open_kiosk(qtbot, server.url, settings)


@pytest.fixture
def calmpay_settings(settings: KioskSettings) -> KioskSettings:
    """The plugin's kiosk, with this suite's settings (English, elder mode)."""
    return settings


@pytest.fixture
def driver(customer: Customer) -> KioskDriver:
    """The plugin's customer, on a kiosk registered with ``api_server`` (the same bank, as new)."""
    return KioskDriver(customer.qtbot, customer.window, customer.api, customer.speaker, customer.on_key)
