"""Client calls run off the GUI thread and come back by signals (real API, real HTTP)."""

from __future__ import annotations

import gc
import threading

from pytestqt.qtbot import QtBot

from client.api import PaymentApi
from client.errors import CalmPayError, ServiceUnavailable
from mock_api.server import EmbeddedServer
from ui.api_bridge import ApiBridge, _Job


def test_a_slow_call_does_not_block_the_gui_thread(qtbot: QtBot, api_server: EmbeddedServer) -> None:
    api = PaymentApi(api_server.url)
    api.set_faults(latency_ms=400)
    bridge = ApiBridge()
    worker_threads: list[threading.Thread] = []

    def register_from_worker() -> object:
        worker_threads.append(threading.current_thread())
        return api.register_kiosk("bridge test")

    call = bridge.call(register_from_worker)
    assert not call.done  # call() returned at once; the answer is still on its way
    with qtbot.waitSignal(call.succeeded, timeout=5000) as blocker:
        pass
    assert blocker.args[0].kiosk_id.startswith("kiosk_")
    assert worker_threads and worker_threads[0] is not threading.main_thread()
    api.close()


def test_failures_arrive_as_calm_pay_errors(qtbot: QtBot, api_server: EmbeddedServer) -> None:
    api = PaymentApi(api_server.url, retries=0)
    api.set_faults(error_rate=1.0)
    bridge = ApiBridge()
    call = bridge.call(api.register_kiosk, "bridge test")
    with qtbot.waitSignal(call.failed, timeout=5000) as blocker:
        pass
    assert isinstance(blocker.args[0], ServiceUnavailable)
    api.close()


def test_a_bug_in_a_call_is_reported_not_raised_into_qt(qtbot: QtBot) -> None:
    bridge = ApiBridge()

    def broken() -> None:
        raise ZeroDivisionError

    call = bridge.call(broken)
    with qtbot.waitSignal(call.failed, timeout=5000) as blocker:
        pass
    assert type(blocker.args[0]) is CalmPayError


def test_no_call_keeps_its_arguments_after_it_ran(qtbot: QtBot) -> None:
    """A sign-in's card number and PIN are not held in memory by the job that carried them."""
    bridge = ApiBridge()
    card, pin = "6222020000000001", "1234"

    def sign_in(card_number: str, pin_digits: str) -> str:
        return "signed in"

    calls = [bridge.call(sign_in, card, pin) for _ in range(3)]
    qtbot.waitUntil(lambda: all(call.done for call in calls), timeout=5000)
    calls.clear()
    gc.collect()
    held = [o for o in gc.get_objects() if isinstance(o, _Job) and (pin in o.args or card in o.args)]
    assert held == []
