"""Receive money: the kiosk shows a QR code, another customer's banking app pays it, and the screen
says so by itself. The real window, the real mock API over HTTP, the real QR decoder (zbar)."""

from __future__ import annotations

import logging
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from client import models, receive
from client.api import PaymentApi
from client.kiosk import MoneyReceived
from client.money import format_amount
from tests.demo import LI_MEI, WANG_FANG
from tests.e2e.conftest import KioskDriver
from ui.qr_widget import MIN_MODULE_PX
from ui.screens.receive import ReceiveCodeScreen


@pytest.fixture(autouse=True)
def quick_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """The screen asks the bank every 2 s; here every 50 ms, so the tests do not wait out the seconds."""
    monkeypatch.setattr(receive, "POLL_INTERVAL_MS", 50)


def decoded(widget_png: Path) -> str:
    """What a real QR decoder reads in the picture."""
    found = subprocess.run(["zbarimg", "--raw", "-q", str(widget_png)], capture_output=True, text=True, check=True)
    return found.stdout.rstrip("\n")


def balance(api: PaymentApi, card: object) -> int:
    api.sign_in(card.number, card.pin)  # type: ignore[attr-defined]
    try:
        return api.accounts()[0].balance_minor
    finally:
        api.sign_out()


def payer_api(driver: KioskDriver) -> PaymentApi:
    """A second customer's banking app: its own session, at the bank the kiosk uses."""
    payer = PaymentApi(str(driver.api.base_url))
    payer.use_kiosk(driver.window.kiosk.credentials.load())  # type: ignore[arg-type]
    return payer


def pay_request(payer: PaymentApi, request_id: str, amount_minor: int) -> models.Payment:
    """Li Mei pays the request, confirming if her bank asks her to."""
    payer.sign_in(LI_MEI.number, LI_MEI.pin)
    account = payer.accounts()[0].id
    payment = payer.create_payment(from_account_id=account, amount_minor=amount_minor, payment_request_id=request_id)
    if payment.needs_action:  # a first payment to this person: her bank asks what it is for
        answers: dict[str, bool] = {}
        if "purpose" in payment.risk.requires:
            payment = payer.answer_purpose(payment.id, "family_friends")
            while payment.risk.follow_up and payment.risk.follow_up not in answers:  # "did someone ask you to?": no
                answers[payment.risk.follow_up] = False
                payment = payer.answer_purpose(payment.id, "family_friends", answers=answers)
        payment = payer.confirm_payment(payment.id, acknowledged=True, purpose="family_friends")
    return payment


def open_code(driver: KioskDriver, amount: str | None) -> ReceiveCodeScreen:
    driver.sign_in()
    driver.activate("homeReceive")
    driver.wait_for("receive_amount")
    if amount is None:
        driver.activate("receiveAnyAmount")
    else:
        driver.type(amount)
        driver.enter()
    driver.wait_for("receive_code")
    screen = driver.window.screens["receive_code"]
    assert isinstance(screen, ReceiveCodeScreen)
    driver.qtbot.waitUntil(lambda: screen.qr.isVisible() and screen.request is not None, timeout=8000)
    return screen


@pytest.mark.parametrize(("typed", "amount_minor"), [("88", 8_800), (None, None)])
def test_the_code_on_screen_decodes_to_the_request_and_paying_it_updates_the_screen(
    driver: KioskDriver, tmp_path: Path, caplog: pytest.LogCaptureFixture, typed: str | None, amount_minor: int | None
) -> None:
    caplog.set_level(logging.DEBUG)
    before_wang, before_li = balance(driver.api, WANG_FANG), balance(driver.api, LI_MEI)
    screen = open_code(driver, typed)
    request = screen.request
    assert request is not None and request.amount_minor == amount_minor

    # The QR as the customer sees it: grabbed from the real widget, read by a real decoder.
    picture = tmp_path / "receive-qr.png"
    assert screen.qr.grab().save(str(picture))
    assert decoded(picture) == request.payload
    assert screen.qr.module_px() >= MIN_MODULE_PX
    shown = " ".join(driver.texts())
    assert ("88.00" in shown) if typed else ("any (the payer decides)" in shown)
    assert "Wang Fang" in screen.name.accessibleName()
    # The payload is for the camera only: never said.
    assert not any(request.payload in text for text in [u.text for u in driver.speaker.utterances])

    paid = 8_800
    payer = payer_api(driver)
    try:
        payment = pay_request(payer, request.id, paid)
    finally:
        payer.close()
    assert payment.status == "completed"

    # The screen sees it by itself: nobody touches the kiosk.
    driver.qtbot.waitUntil(lambda: "The money has arrived" in screen.status.accessibleName(), timeout=10_000)
    assert screen.status.accessibleName() == f"The money has arrived: {format_amount(paid, 'en')} from Li Mei."
    assert not screen.qr.isVisible()
    assert any("The money" in text and "arrived" in text for text in [u.text for u in driver.speaker.utterances])
    assert balance(driver.api, WANG_FANG) == before_wang + paid
    assert balance(driver.api, LI_MEI) == before_li - paid
    visit = driver.window.kiosk.visit
    assert visit is not None and visit.main_account.balance_minor == before_wang + paid  # the kiosk knows too
    assert not [r for r in caplog.records if request.payload in r.getMessage()]  # never logged


def test_paid_but_not_yet_in_the_account_says_it_is_on_its_way(driver: KioskDriver) -> None:
    """A payment the payer's bank holds for a while: the request is paid, the money comes later."""
    screen = open_code(driver, "20")
    request = screen.request
    assert request is not None
    screen.polled(MoneyReceived(request.model_copy(update={"status": "paid"}), None, None))
    assert screen.status.accessibleName() == "The person has paid. The money will reach your account soon."
    assert not screen.qr.isVisible() and not screen.poll_timer.isActive()


def request_status(driver: KioskDriver, request_id: str) -> str:
    driver.api.sign_in(WANG_FANG.number, WANG_FANG.pin)
    try:
        return driver.api.payment_request(request_id).status
    finally:
        driver.api.sign_out()


def test_done_cancels_the_open_code_and_stops_asking(driver: KioskDriver) -> None:
    screen = open_code(driver, "20")
    request = screen.request
    assert request is not None
    driver.activate("receiveDone")
    driver.wait_for("home")
    assert not screen.poll_timer.isActive()
    driver.qtbot.waitUntil(lambda: not driver.window.bridge.busy, timeout=5000)
    assert request_status(driver, request.id) == "cancelled"


def test_back_leaves_the_code_cancelled(driver: KioskDriver) -> None:
    screen = open_code(driver, None)
    request = screen.request
    assert request is not None
    driver.window.back()
    driver.wait_for("receive_amount")
    assert not screen.poll_timer.isActive() and screen.request is None
    driver.qtbot.waitUntil(lambda: not driver.window.bridge.busy, timeout=5000)
    assert request_status(driver, request.id) == "cancelled"


def test_help_covers_the_code_without_cancelling_it(driver: KioskDriver) -> None:
    screen = open_code(driver, "20")
    request = screen.request
    driver.window.open_help()
    driver.wait_for("help")
    driver.window.back()
    driver.wait_for("receive_code")
    assert screen.request is request and screen.qr.isVisible()


def test_sign_out_forgets_the_code(driver: KioskDriver) -> None:
    screen = open_code(driver, "20")
    driver.window.end_visit("signed_out")
    assert not screen.poll_timer.isActive()
    assert screen.request is None and screen.qr.payload == "" and screen.qr.matrix == []
    shown = [w.accessibleName() + w.text() for w in screen.findChildren(QLabel)]  # the card reader lists demo names
    assert not [text for text in shown if "Wang Fang" in text]


def test_a_bad_amount_is_explained_on_the_amount_step(driver: KioskDriver) -> None:
    driver.sign_in()
    driver.activate("homeReceive")
    driver.wait_for("receive_amount")
    driver.type("0")
    driver.enter()
    screen = driver.window.screens["receive_amount"]
    assert driver.window.current_id == "receive_amount"
    assert screen.error.isVisible() and screen.error.accessibleName()


def test_a_code_that_cannot_be_made_says_so_calmly_and_try_again_makes_it(driver: KioskDriver, tmp_path: Path) -> None:
    driver.sign_in()
    driver.activate("homeReceive")
    driver.wait_for("receive_amount")
    driver.type("20")
    driver.api.set_faults(error_rate=1.0)
    driver.enter()
    screen = driver.window.screens["receive_code"]
    driver.qtbot.waitUntil(lambda: screen.state == "failed", timeout=8000)
    assert screen.status.accessibleName().startswith("We could not make your code just now. No money has moved.")
    assert screen.try_again.isVisible() and driver.focused() is screen.try_again
    assert not screen.qr.isVisible()
    driver.api.set_faults()
    driver.enter()  # Try again
    driver.qtbot.waitUntil(lambda: screen.qr.isVisible(), timeout=8000)
    picture = tmp_path / "qr.png"
    assert screen.qr.grab().save(str(picture))
    assert screen.request is not None and decoded(picture) == screen.request.payload


def test_a_code_that_no_longer_works_offers_a_new_one(driver: KioskDriver, tmp_path: Path) -> None:
    screen = open_code(driver, "20")
    old = screen.request
    assert old is not None
    driver.window.kiosk.api.cancel_payment_request(old.id)  # ended elsewhere (or its time ran out)
    driver.qtbot.waitUntil(lambda: screen.state == "closed", timeout=8000)
    assert "This code no longer works" in screen.status.accessibleName()
    assert not screen.qr.isVisible()
    assert screen.new_code.isVisible() and driver.focused() is screen.new_code
    assert any("no longer works" in u.text for u in driver.speaker.utterances)
    driver.enter()  # Make a new code
    driver.qtbot.waitUntil(lambda: screen.qr.isVisible() and screen.request is not None, timeout=8000)
    assert screen.request is not None and screen.request.id != old.id
    assert screen.request.amount_minor == 2_000  # the same amount
    picture = tmp_path / "qr.png"
    assert screen.qr.grab().save(str(picture))
    assert decoded(picture) == screen.request.payload


def test_the_code_says_until_when_it_works_when_the_bank_says(driver: KioskDriver) -> None:
    screen = open_code(driver, "20")
    request = screen.request
    assert request is not None and request.expires_at is not None
    expected = f"This code works until {driver.window.t.time(request.expires_at)}."
    assert screen.expiry.isVisible() and screen.expiry.accessibleName() == expected
    screen.request = request.model_copy(update={"expires_at": None})  # a bank that gives no end time
    screen.refresh()
    assert not screen.expiry.isVisible()  # nothing made up
    ends = datetime(2026, 11, 30, 6, 35, tzinfo=UTC)  # 14:35 in Beijing
    screen.request = screen.request.model_copy(update={"expires_at": ends})
    screen.refresh()
    assert screen.expiry.isVisible()
    assert screen.expiry.accessibleName() == "This code works until 2:35\u00a0pm."


def test_the_screen_asks_the_bank_one_question_at_a_time(driver: KioskDriver, monkeypatch: pytest.MonkeyPatch) -> None:
    screen = open_code(driver, "20")
    kiosk = driver.window.kiosk
    asked: list[tuple[object, ...]] = []
    receiving = kiosk.receiving

    def counted(*args: object) -> object:
        asked.append(args)
        return receiving(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(kiosk, "receiving", counted)
    driver.qtbot.waitUntil(lambda: not screen.polling, timeout=5000)  # a question the timer asked
    screen.poll_timer.stop()
    screen.poll()
    screen.poll()  # while the first question is on its way
    driver.qtbot.waitUntil(lambda: not screen.polling, timeout=5000)
    assert len(asked) == 1  # (asked on the bank's worker thread: counted once its answer is in)
    assert screen.poll_timer.isActive()  # the next question in two seconds
    assert screen.isEnabled()  # never locked for it


def test_the_code_decodes_in_standard_mode_too(driver: KioskDriver, tmp_path: Path) -> None:
    driver.window.set_elder_mode(False)
    screen = open_code(driver, "20")
    picture = tmp_path / "qr.png"
    assert screen.qr.grab().save(str(picture))
    assert screen.request is not None and decoded(picture) == screen.request.payload


def test_leaving_while_the_code_is_being_made_shows_and_keeps_no_code(
    driver: KioskDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    kiosk = driver.window.kiosk
    stopped: list[str] = []
    stop_receiving = kiosk.stop_receiving

    def recorded(request_id: str) -> models.PaymentRequest | None:
        stopped.append(request_id)
        return stop_receiving(request_id)

    monkeypatch.setattr(kiosk, "stop_receiving", recorded)
    driver.sign_in()
    driver.activate("homeReceive")
    driver.wait_for("receive_amount")
    driver.type("20")
    driver.api.set_faults(latency_ms=1500)  # a slow bank: the customer gives up waiting
    driver.enter()
    screen = driver.window.screens["receive_code"]
    driver.qtbot.waitUntil(lambda: driver.window.current_id == "receive_code" and screen.state == "making")
    driver.window.start_over()
    driver.api.set_faults()
    driver.wait_for("home", timeout=10_000)  # the answer came meanwhile
    assert screen.request is None and not screen.poll_timer.isActive() and screen.state == "making"
    driver.qtbot.waitUntil(lambda: not driver.window.bridge.busy and len(stopped) == 1)
    assert request_status(driver, stopped[0]) == "cancelled"  # the code made meanwhile no longer works


def test_receive_money_is_on_home_before_sign_out_in_the_tab_order(driver: KioskDriver) -> None:
    driver.sign_in()
    driver.tab_to("homeReceive")
    driver.key(Qt.Key.Key_Tab)
    assert driver.focused().objectName() == "homeSignOut"


def test_a_code_whose_time_is_up_says_so_and_offers_a_new_one(driver: KioskDriver) -> None:
    screen = open_code(driver, "20")
    old = screen.request
    assert old is not None and old.expires_at is not None
    # The bank's clock on past the code's end, in two steps: the kiosk's session (which each question
    # to the bank keeps alive) lasts about as long as a code.
    half = (old.expires_at - old.created_at).total_seconds() / 2 + 30
    driver.api.advance_clock(half)
    driver.window.kiosk.api.payment_request(old.id)  # as the screen's next question does
    driver.api.advance_clock(half)
    driver.qtbot.waitUntil(lambda: screen.state == "expired", timeout=8000)
    assert screen.status.accessibleName().startswith("This code no longer works: its time is up.")
    assert not screen.qr.isVisible() and driver.focused() is screen.new_code
    driver.enter()  # Make a new code
    driver.qtbot.waitUntil(lambda: screen.state == "waiting" and screen.request is not None, timeout=8000)
    assert screen.request is not None and screen.request.id != old.id and screen.qr.isVisible()


def test_a_session_the_bank_ended_stops_the_questions_and_says_so(driver: KioskDriver) -> None:
    screen = open_code(driver, "20")
    driver.api.advance_clock(16 * 60)  # longer than a session lasts without a question
    driver.qtbot.waitUntil(lambda: screen.error.isVisible(), timeout=8000)
    assert not screen.poll_timer.isActive() and not screen.polling
    assert not screen.qr.isVisible()  # a code nobody can watch over any more is not shown
