"""Never lose a task: interrupted at any step (time-out, sign-out, a kiosk restart), it is offered at
the next sign-in and taken up again at the same step with the same values; a declined offer goes;
a payment sent before the kiosk stopped is shown as the bank has it, never paid twice.
Against the real mock API over HTTP and its SQLite database."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from client import errors
from client.api import new_idempotency_key
from client.settings import KioskSettings
from mock_api.server import EmbeddedServer
from tests.api.helpers import holds_number
from tests.demo import WANG_FANG
from tests.e2e.conftest import KioskDriver, open_kiosk
from tests.e2e.test_security import WANG_QIANG, phone_code, to_review
from ui import main_window

LI_MEI = "payee_wf_limei"


@pytest.fixture(autouse=True)
def quick_typing_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    """Typing is kept once it pauses for 1.5 s; here 0.1 s, so the tests do not wait out the pause."""
    monkeypatch.setattr(main_window, "TYPING_PAUSE_MS", 100)


def drafts_in_database(server: EmbeddedServer) -> list[tuple[str, dict[str, object]]]:
    """The drafts as the bank's database holds them (flow, data), read from the file itself."""
    with sqlite3.connect(server.db_path) as conn:
        rows = conn.execute("SELECT flow, data FROM drafts").fetchall()
    return [(flow, json.loads(data)) for flow, data in rows]


def wait_for_drafts(driver: KioskDriver, server: EmbeddedServer, check: Callable[[list], bool]) -> None:
    driver.qtbot.waitUntil(lambda: not driver.window.bridge.busy and check(drafts_in_database(server)), timeout=8000)


@pytest.fixture
def restart(qtbot: QtBot, api_server: EmbeddedServer, settings: KioskSettings) -> Callable[[KioskDriver], KioskDriver]:
    """A kiosk that stops without signing anyone out (killed, power cut) and starts again."""

    def again(old: KioskDriver) -> KioskDriver:
        old.window.bridge.wait_for_done(3000)
        old.window.close()
        window, speaker = open_kiosk(qtbot, api_server, settings)
        return KioskDriver(qtbot, window, old.api, speaker)

    return again


def go_to_amount(driver: KioskDriver) -> None:
    driver.activate("tile_send_payee")
    driver.wait_for("send_payee")
    driver.activate(f"payee_{LI_MEI}")
    driver.wait_for("amount")


def stop_at(driver: KioskDriver, step: str) -> None:
    """Sign in and go as far as ``step``, typing its values."""
    driver.sign_in()
    if step == "amount":
        go_to_amount(driver)
        driver.type("500")
    elif step == "review":
        go_to_amount(driver)
        driver.type("500")
        driver.enter()
        driver.wait_for("review")
    elif step == "add_payee":
        driver.activate("tile_send_payee")
        driver.wait_for("send_payee")
        driver.activate("sendAddPayee")
        driver.wait_for("add_payee")
        driver.type("6222030000001002")
        driver.window.screens["add_payee"].name.setText("刘芳")
        driver.activate("payeeCheck")
        driver.qtbot.waitUntil(lambda: driver.window.screens["add_payee"].result.isVisible(), timeout=8000)
    elif step in ("bill_number", "bill_found"):
        driver.activate("tile_bill_biller")
        driver.wait_for("bill_biller")
        driver.activate("biller_electricity")
        driver.wait_for("bill_number")
        driver.type("1234567890")
        if step == "bill_found":
            driver.enter()
            driver.wait_for("bill_found")


def check_values(driver: KioskDriver, step: str) -> None:
    """The step shows what the customer had chosen and typed."""
    screens, visit = driver.window.screens, driver.window.kiosk.visit
    assert visit is not None
    if step in ("amount", "review"):
        assert visit.send.payee is not None and visit.send.payee.id == LI_MEI
    if step == "amount":
        assert screens["amount"].amount.text() == "500.00"
    if step == "review":
        assert screens["review"].pay.text() == "Pay RMB 500.00"
    if step == "add_payee":
        assert screens["add_payee"].account.text() == "6222030000001002"
        assert screens["add_payee"].name.text() == "刘芳"
    if step == "bill_number":
        assert screens["bill_number"].number.text() == "1234567890"
    if step == "bill_found":
        assert visit.bill.bill is not None and visit.bill.bill.customer_number == "1234567890"


STEPS = ("amount", "review", "add_payee", "bill_number", "bill_found")
TYPED = {
    "amount": {("amount_minor", 50_000)},
    "review": {("amount_minor", 50_000)},
    "add_payee": {("account_number", "6222030000001002"), ("name", "刘芳")},
    "bill_number": {("customer_number", "1234567890")},
    "bill_found": {("customer_number", "1234567890")},
}
OFFERS = {
    "amount": "Last time you were sending RMB 500.00 to Daughter · Li Mei.",
    "review": "Last time you were sending RMB 500.00 to Daughter · Li Mei.",
    "add_payee": "Last time you were adding 刘芳 as a new person to pay.",
    "bill_number": "Last time you were paying the State Grid Electricity bill for number 1234567890.",
    "bill_found": "Last time you were paying the State Grid Electricity bill for number 1234567890.",
}


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("interruption", ["timed_out", "signed_out", "restart"])
def test_an_interrupted_task_is_offered_and_taken_up_at_the_same_step(
    driver: KioskDriver,
    api_server: EmbeddedServer,
    restart: Callable[[KioskDriver], KioskDriver],
    step: str,
    interruption: str,
) -> None:
    stop_at(driver, step)
    # Kept at the step, with what was typed there once the typing paused (a stop loses no more).
    wait_for_drafts(driver, api_server, lambda drafts: len(drafts) == 1 and TYPED[step] <= drafts[0][1].items())
    if interruption == "restart":
        driver = restart(driver)
    else:
        driver.window.end_visit(interruption)
        if interruption == "timed_out":  # the welcome screen says it was not paid, and is kept
            assert "It is kept for your next visit." in driver.window.screens["welcome"].error.accessibleName()
        else:
            assert "It is kept for your next visit." in driver.window.screens["goodbye"].not_paid.accessibleName()
            driver.activate("goodbyeStart")
    wait_for_drafts(driver, api_server, lambda drafts: len(drafts) == 1)

    driver.sign_in_to("resume")
    assert driver.window.screens["resume"].what.accessibleName() == OFFERS[step]
    assert driver.speaker.utterances[-1].text.startswith("Carry on where you stopped?")
    assert driver.focused().objectName() == "resumeCarryOn"
    driver.enter()
    expected_screen = {"bill_found": "bill_found"}.get(step, step)
    driver.wait_for(expected_screen)
    check_values(driver, step)


def test_a_declined_offer_deletes_the_draft(driver: KioskDriver, api_server: EmbeddedServer) -> None:
    stop_at(driver, "review")
    driver.window.end_visit("timed_out")
    wait_for_drafts(driver, api_server, lambda drafts: len(drafts) == 1)
    driver.sign_in_to("resume")
    driver.activate("resumeStartAgain")
    driver.wait_for("home")
    wait_for_drafts(driver, api_server, lambda drafts: drafts == [])
    driver.window.end_visit("signed_out")
    driver.activate("goodbyeStart")
    driver.sign_in()  # offered once only: straight home


def test_a_finished_payment_leaves_no_draft(driver: KioskDriver, api_server: EmbeddedServer) -> None:
    stop_at(driver, "review")
    wait_for_drafts(driver, api_server, lambda drafts: [f for f, _ in drafts] == ["send"])
    driver.enter()
    driver.wait_for("result")
    wait_for_drafts(driver, api_server, lambda drafts: drafts == [])
    driver.window.end_visit("timed_out")
    assert "next visit" not in driver.window.screens["welcome"].error.accessibleName()


def test_no_pin_or_code_is_ever_in_a_draft(driver: KioskDriver, api_server: EmbeddedServer) -> None:
    """Stopped with the one-time code typed in: the drafts in the bank's database hold the payment's
    step and values, but neither the PIN nor the code (the code is in the field on the screen)."""
    to_review(driver, WANG_QIANG, "20000")  # large: a code to the phone
    driver.wait_for("risk")
    driver.activate("purpose_rent")
    driver.qtbot.waitUntil(lambda: not driver.window.bridge.busy, timeout=8000)
    driver.activate("riskUnderstand")
    driver.activate("riskContinue")
    risk = driver.window.screens["risk"]
    assert risk.step == "code"
    driver.activate("riskShowPhone")  # the text on the demo phone; the focus goes back to the field
    driver.qtbot.waitUntil(lambda: risk.phone.isVisible() and not driver.window.bridge.busy, timeout=8000)
    code = phone_code(risk.phone.accessibleName())
    driver.type(code)
    assert risk.code.text() == code
    driver.window.end_visit("timed_out")
    wait_for_drafts(driver, api_server, lambda drafts: len(drafts) == 1)
    with sqlite3.connect(api_server.db_path) as conn:
        stored = "\n".join(row[0] for row in conn.execute("SELECT data FROM drafts"))
    assert not holds_number(stored, code) and not holds_number(stored, WANG_FANG.pin)
    ((flow, data),) = drafts_in_database(api_server)
    assert flow == "send" and data["step"] == "risk" and data["payment_key"]
    assert not {"pin", "code", "verification_code"} & set(data)


def test_a_payment_sent_before_a_stop_is_shown_as_made_and_never_paid_twice(
    driver: KioskDriver, api_server: EmbeddedServer, restart: Callable[[KioskDriver], KioskDriver]
) -> None:
    stop_at(driver, "review")
    balance_before = driver.window.kiosk.visit.main_account.balance_minor  # type: ignore[union-attr]
    driver.window.kiosk.api.set_faults(drop_response_rate=1.0)  # the bank pays, the answers are lost
    driver.enter()
    driver.qtbot.waitUntil(lambda: driver.window.screens["review"].error.isVisible(), timeout=15000)
    driver.window.kiosk.api.set_faults()
    driver = restart(driver)
    driver.sign_in_to("resume")
    screen = driver.window.screens["resume"]
    assert screen.outcome.accessibleName() == (
        "Last time, your payment of RMB 500.00 to Li Mei went through."
        " It was paid once only: you do not need to pay it again."
    )
    assert screen.outcome.property("role") == "success"
    assert not screen.carry_on.isVisible() and driver.focused().objectName() == "resumeOk"
    driver.enter()
    driver.wait_for("home")
    visit = driver.window.kiosk.visit
    assert visit is not None and visit.main_account.balance_minor == balance_before - 50_000
    wait_for_drafts(driver, api_server, lambda drafts: drafts == [])


def test_a_payment_left_at_the_safety_check_is_not_made_and_checked_again(
    driver: KioskDriver, api_server: EmbeddedServer
) -> None:
    """Sent, then left at the bank's check: the kiosk cancels that payment at the next sign-in, says it
    was not made, and carrying on goes to the review with a new key (the checks run again)."""
    driver.sign_in()
    kiosk = driver.window.kiosk
    visit = kiosk.visit
    assert visit is not None
    key = new_idempotency_key()
    waiting = kiosk.api.create_payment(
        from_account_id=visit.main_account.id, amount_minor=30_303, key=key, payee_id=LI_MEI
    )  # the magic amount: "unusual time", so the bank asks the customer to confirm
    assert waiting.status == "requires_action"
    data = {"version": 1, "step": "risk", "payee_id": LI_MEI, "amount_minor": 30_303, "payment_key": key}
    kiosk.api.save_draft("send", data)
    driver.window.end_visit("timed_out")
    driver.sign_in_to("resume")
    screen = driver.window.screens["resume"]
    assert screen.outcome.accessibleName() == "That payment was not made. No money has left your account."
    driver.activate("resumeCarryOn")
    driver.wait_for("review")
    assert driver.window.kiosk.visit.send.idempotency_key != key  # type: ignore[union-attr]
    checker = driver.api
    checker.sign_in(WANG_FANG.number, WANG_FANG.pin)
    assert checker.payment(waiting.id).status == "cancelled"
    checker.sign_out()


def test_a_task_is_carried_on_to_the_phone_by_a_single_use_code(
    driver: KioskDriver, api_server: EmbeddedServer, tmp_path: Path
) -> None:
    """From Help during a task: the QR (grabbed from the real widget, read by zbar) is a link with a
    one-time token and nothing else; the customer's phone claims the task once with it."""
    stop_at(driver, "review")
    driver.key(Qt.Key.Key_F1)
    driver.wait_for("help")
    driver.activate("helpHandOff")
    driver.wait_for("handoff")
    screen = driver.window.screens["handoff"]
    driver.qtbot.waitUntil(lambda: bool(screen.qr.payload), timeout=8000)
    picture = tmp_path / "handoff.png"
    assert screen.qr.grab().save(str(picture))
    read = subprocess.run(["zbarimg", "--raw", "-q", str(picture)], capture_output=True, text=True, check=True)
    link = read.stdout.strip()
    assert link.startswith("https://calmpay.example/continue/") and "6222" not in link
    assert "It holds no account details." in screen.details.accessibleName()
    assert not any(link in u.text for u in driver.speaker.utterances)  # shown for the phone, never said
    phone = driver.api
    phone.sign_in(WANG_FANG.number, WANG_FANG.pin)
    claimed = phone.claim_handoff(link.rsplit("/", 1)[1])
    assert claimed.flow == "send" and claimed.data["step"] == "review" and claimed.data["amount_minor"] == 50_000
    with pytest.raises(errors.Conflict) as second:
        phone.claim_handoff(link.rsplit("/", 1)[1])
    assert second.value.code == "handoff_used"
    phone.sign_out()
    driver.activate("handoffBack")  # or carry on here, where it was left
    driver.wait_for("review")
    assert driver.window.screens["review"].pay.text() == "Pay RMB 500.00"
