"""What is for staff stays with staff: a kiosk without a key store says so in the log, never on a
customer's screen (the voice notice, which is about what the customer hears, stays on screen)."""

from __future__ import annotations

import logging

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from client.api import PaymentApi
from client.credentials import NO_KEYRING_NOTICE
from client.i18n import LANGUAGES
from client.settings import KioskSettings
from main import Startup, parse_args
from mock_api.server import EmbeddedServer
from tests.e2e.conftest import KioskDriver
from tests.fakes import RecordingSpeaker
from ui.main_window import MainWindow
from ui.screens import all_screens

KEY_STORE_WORDS = ("keyring", "key store", "registers again", "密钥", "金鑰", "金钥", "重新登记", "重新登記")


def test_no_customer_sees_the_key_store_notice_and_the_log_carries_it(
    qtbot: QtBot, api_server: EmbeddedServer, caplog: pytest.LogCaptureFixture
) -> None:
    keyring.set_keyring(fail.Keyring())  # a headless machine: no usable keyring
    caplog.set_level(logging.WARNING, logger="calmpay.credentials")
    speaker = RecordingSpeaker()
    window = MainWindow(None, KioskSettings(elder_mode_default=True, default_language="en"), speaker=speaker)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    said: list[str] = []
    window.announced.connect(said.append)
    # Start-up as main.py does it after the first paint: the kiosk, its registration, the screens.
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    startup = Startup(parse_args(["--api-url", api_server.url, "--no-voice"]), app, window, window.settings, None)
    startup.attach_the_kiosk()
    qtbot.waitUntil(lambda: len(window.screens) == len(all_screens()) and not window.bridge.busy, timeout=8000)
    kiosk = window.kiosk
    assert kiosk is not None and kiosk.credentials.notice == NO_KEYRING_NOTICE  # the store knows
    with PaymentApi(api_server.url) as checker:
        driver = KioskDriver(qtbot, window, checker, speaker)
        driver.sign_in()
        for language in LANGUAGES:
            window.set_language(language)
            shown = " ".join(driver.texts()).lower()
            assert not any(word in shown for word in KEY_STORE_WORDS), language
        assert not window.notice.isVisible()
        assert not any(word in text.lower() for text in said for word in KEY_STORE_WORDS)
    warnings = [r for r in caplog.records if r.name == "calmpay.credentials" and r.levelno == logging.WARNING]
    assert len(warnings) == 1  # once, for staff, in a sentence they can act on
    assert NO_KEYRING_NOTICE in warnings[0].getMessage()
    startup.close()
