"""Start-up: the Welcome screen first, the kiosk's operations and the other screens after it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from client.api import PaymentApi
from client.credentials import CredentialStore
from client.kiosk import Kiosk
from client.settings import KioskSettings
from mock_api.server import EmbeddedServer
from tests.demo import WANG_FANG
from tests.e2e.conftest import KioskDriver
from tests.fakes import RecordingSpeaker
from ui.main_window import MainWindow
from ui.screens import all_screens

ROOT = Path(__file__).resolve().parents[2]


def test_main_exits_once_the_welcome_screen_is_ready(tmp_path: Path) -> None:
    # What `make bench` times: a cold start with the embedded bank, to a Welcome screen that takes keys.
    env = {**os.environ, "CALMPAY_DATA_DIR": str(tmp_path / "data"), "CALMPAY_CONFIG_DIR": str(tmp_path / "config")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run(
        [sys.executable, "main.py", "--exit-when-ready"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Welcome screen ready; peak memory" in done.stdout
    bank_log = (tmp_path / "data" / "mock-api.log").read_text()  # the bank was started in its own process
    # It inherited the kiosk's keyring (here the tests' own, tests/conftest.py) for its key.
    assert "no keyring for the bank's key" not in bank_log and "Traceback" not in bank_log


def early_window(qtbot: QtBot, settings: KioskSettings, speaker: RecordingSpeaker) -> MainWindow:
    window = MainWindow(None, settings, speaker=speaker, welcome_only=True)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    return window


def test_a_window_built_welcome_first_serves_a_customer(
    qtbot: QtBot, api_server: EmbeddedServer, settings: KioskSettings
) -> None:
    speaker = RecordingSpeaker()
    window = early_window(qtbot, settings, speaker)
    assert list(window.screens) == ["welcome"] and window.visit is None
    api = PaymentApi(api_server.url, backoff_seconds=0.01)
    # As main.py does after the first paint: the kiosk (not yet registered), then the other screens.
    window.attach_kiosk(Kiosk(api, CredentialStore(api_server.url), "start-up kiosk"))
    window.add_screens(all_screens())
    assert len(window.screens) == len(all_screens())
    with PaymentApi(api_server.url) as checker:
        driver = KioskDriver(qtbot, window, checker, speaker)
        driver.sign_in()  # the card screen registers the kiosk and lists the bank's demo cards
        assert window.visit is not None and window.visit.customer.name == WANG_FANG.name
        driver.activate("tile_balance")
        driver.wait_for("balance")
    window.bridge.wait_for_done(3000)
    api.close()


def test_a_screen_asked_for_before_it_is_built_is_built_then(
    qtbot: QtBot, api_server: EmbeddedServer, settings: KioskSettings
) -> None:
    speaker = RecordingSpeaker()
    window = early_window(qtbot, settings, speaker)
    api = PaymentApi(api_server.url, backoff_seconds=0.01)
    window.attach_kiosk(Kiosk(api, CredentialStore(api_server.url), "start-up kiosk"))
    with PaymentApi(api_server.url) as checker:
        driver = KioskDriver(qtbot, window, checker, speaker)
        driver.activate("welcomeStart")  # a quick customer: Start before start-up built the card screen
        driver.wait_for("card")
        qtbot.waitUntil(lambda: bool(window.screens["card"].demo_buttons), timeout=8000)
        assert driver.focused().objectName() == "demoCard_0001"
    window.bridge.wait_for_done(3000)
    api.close()


def test_start_pressed_before_the_kiosk_is_attached_lists_the_cards_once_it_is(
    qtbot: QtBot, api_server: EmbeddedServer, settings: KioskSettings
) -> None:
    speaker = RecordingSpeaker()
    window = early_window(qtbot, settings, speaker)
    with PaymentApi(api_server.url) as checker:
        driver = KioskDriver(qtbot, window, checker, speaker)
        driver.activate("welcomeStart")  # quicker still: the kiosk's operations are not loaded yet
        driver.wait_for("card")
        assert not window.screens["card"].demo_buttons
        api = PaymentApi(api_server.url, backoff_seconds=0.01)
        window.attach_kiosk(Kiosk(api, CredentialStore(api_server.url), "start-up kiosk"))
        qtbot.waitUntil(lambda: bool(window.screens["card"].demo_buttons), timeout=8000)
        assert driver.focused().objectName() == "demoCard_0001"
    window.bridge.wait_for_done(3000)
    api.close()
