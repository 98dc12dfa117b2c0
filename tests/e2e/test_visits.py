"""One visit after another on the real window: a slow sign-out of one customer never reaches the
next one (their visit and their session), against the real mock API over HTTP."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from client.api import PaymentApi
from client.credentials import CredentialStore
from client.kiosk import Kiosk
from client.settings import KioskSettings
from mock_api.server import EmbeddedServer
from tests.client.test_sign_out import HeldSignOut
from tests.demo import MARGARET
from tests.e2e.conftest import KioskDriver
from tests.fakes import RecordingSpeaker
from ui.main_window import MainWindow


def test_a_slow_sign_out_does_not_touch_the_next_customer(qtbot: QtBot, api_server: EmbeddedServer) -> None:
    transport = HeldSignOut()
    api = PaymentApi(api_server.url, transport=transport, backoff_seconds=0.01)
    kiosk = Kiosk(api, CredentialStore(api_server.url), "e2e kiosk")
    kiosk.ensure_registered()
    settings = KioskSettings(elder_mode_default=True, default_language="en")
    window = MainWindow(kiosk, settings, speaker=RecordingSpeaker())
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    driver = KioskDriver(qtbot, window, api, RecordingSpeaker())
    try:
        driver.sign_in()  # Wang Fang
        first_token = kiosk.visit.session.token  # type: ignore[union-attr]
        driver.activate("homeSignOut")
        qtbot.waitUntil(lambda: window.current_id == "goodbye", timeout=5000)
        assert transport.reached.wait(10)  # her sign-out is held on its way
        # The next customer, while it is still on its way (the bridge's other thread serves them).
        driver.activate("goodbyeStart")
        qtbot.waitUntil(lambda: window.current_id == "welcome", timeout=5000)
        driver.activate("welcomeStart")
        qtbot.waitUntil(lambda: window.current_id == "card", timeout=5000)
        driver.activate(f"demoCard_{MARGARET.number[-4:]}")
        qtbot.waitUntil(lambda: window.current_id == "pin", timeout=5000)
        driver.type(MARGARET.pin)
        driver.enter()
        qtbot.waitUntil(lambda: window.current_id == "home", timeout=8000)
        visit = kiosk.visit
        assert visit is not None and visit.session.token != first_token
        transport.gate.set()  # now the slow sign-out ends
        qtbot.waitUntil(lambda: not window.bridge.busy, timeout=5000)
        assert kiosk.visit is visit and api.signed_in  # the next customer is still here, signed in
        driver.activate("tile_balance")
        driver.wait_for("balance")  # and their session works
        assert window.screens["balance"].error.isHidden()
    finally:
        transport.gate.set()
        window.bridge.wait_for_done(3000)
        api.close()
