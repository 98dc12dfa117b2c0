"""Call staff for real (real window, real bank over HTTP, the staff's side through client.staff): the
request reaches the staff queue within a second with where the customer is and why, and nothing
private; "I'm coming" shows and is said on the kiosk; "done" closes the call screen and the task
underneath is as it was. Help also comes by itself, for each trigger."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from client.api import PaymentApi
from client.bank_contact import ELDER_HOTLINE
from client.models import StaffHelpRequest
from client.settings import KioskSettings
from client.staff import StaffDesk
from mock_api.server import EmbeddedServer
from tests.api.helpers import readable_text
from tests.demo import CHEN_JIAN, WANG_FANG
from tests.e2e.conftest import KioskDriver, open_kiosk
from tests.e2e.test_locked_card import wrong_pins_until_locked
from tests.e2e.test_security import SCAM_ACCOUNT, to_review

LI_MEI = "payee_wf_limei"
PRIVATE = ("王芳", "Wang Fang", WANG_FANG.number, "6217000000000101", "cus_wangfang", "12.00", "1200")


@pytest.fixture
def desk(api_server: EmbeddedServer) -> Iterator[StaffDesk]:
    """Li Na, signed in at the branch's staff console (its business side)."""
    with PaymentApi(api_server.url) as api:
        desk = StaffDesk(api)
        desk.sign_in("1001", "8642")
        yield desk


def one_request(driver: KioskDriver, desk: StaffDesk, timeout: int = 1000) -> StaffHelpRequest:
    """The one open request, as the console sees it, once it is there (within ``timeout`` ms)."""
    found: list[StaffHelpRequest] = []

    def there() -> bool:
        found[:] = desk.queue()
        return len(found) == 1

    driver.qtbot.waitUntil(there, timeout=timeout)
    return found[0]


def to_amount(driver: KioskDriver, typed: str) -> None:
    driver.sign_in()
    driver.activate("tile_send_payee")
    driver.wait_for("send_payee")
    driver.activate(f"payee_{LI_MEI}")
    driver.wait_for("amount")
    driver.type(typed)


def said(driver: KioskDriver, text: str) -> bool:
    return any(text in u.text for u in driver.speaker.utterances)


def test_call_staff_reaches_the_console_staff_come_and_the_task_is_kept(driver: KioskDriver, desk: StaffDesk) -> None:
    to_amount(driver, "12")
    driver.activate("navCallStaff")
    driver.wait_for("staff")
    request = one_request(driver, desk)  # within a second
    assert (request.reason, request.screen, request.step, request.status) == (
        "asked",
        "amount",
        "send",
        "waiting",
    )
    assert request.customer_known and request.kiosk_label == "e2e kiosk"
    shown = readable_text(request.model_dump(mode="json"))
    assert not [word for word in PRIVATE if word in shown]
    screen = driver.window.screens["staff"]
    driver.qtbot.waitUntil(lambda: "Someone will come to this machine" in screen.status.accessibleName(), timeout=2000)
    assert driver.window.title.accessibleName() == "Staff have been told"  # nobody has said "I'm coming" yet

    # A stray Enter (it says it again), Escape and Start over all leave the call screen where it is.
    assert driver.focused() is driver.window.staff_button  # Call staff again: it says where the call stands
    driver.enter()
    assert driver.speaker.utterances[-1].text == screen.status.accessibleName()  # said again
    driver.key(Qt.Key.Key_Escape)
    driver.window.start_over()
    assert driver.window.current_id == "staff" and not driver.window.start_over_button.isEnabled()
    assert not driver.window.idle_timer.isActive()  # nobody is timed out while waiting for staff

    desk.answer(request.id)
    driver.qtbot.waitUntil(
        lambda: screen.status.accessibleName() == "Li Na from the branch is on the way.", timeout=2500
    )
    assert said(driver, "Li Na from the branch is on the way.")
    assert driver.window.title.accessibleName() == "Help is on the way"

    desk.close(request.id, "solved")
    driver.wait_for("amount", timeout=2500)
    assert driver.window.screens["amount"].amount.text() == "12"  # the customer's typed work is still there
    assert said(driver, "Staff have finished helping you.")
    assert desk.queue() == []
    metrics = desk.metrics()
    assert (metrics.closed, metrics.solved, metrics.solved_on_the_spot) == (1, 1, 1.0)
    assert driver.window.idle_timer.isActive()  # the usual time-out again


def test_going_back_to_the_task_while_staff_come_keeps_them_coming(driver: KioskDriver, desk: StaffDesk) -> None:
    to_amount(driver, "7")
    driver.activate("navCallStaff")
    driver.wait_for("staff")
    request = one_request(driver, desk)
    desk.answer(request.id)
    screen = driver.window.screens["staff"]
    driver.qtbot.waitUntil(screen.back_to_task.isVisible, timeout=2500)
    driver.activate("staffBackToTask")
    driver.wait_for("amount")
    button = driver.window.staff_button  # in the same place on every screen: who is coming
    assert button.text() == "Li Na coming"
    assert button.accessibleName() == "Call staff. Li Na from the branch is on the way."
    assert [r.id for r in desk.queue()] == [request.id]  # still open: Li Na is still coming
    desk.close(request.id, "solved")
    driver.qtbot.waitUntil(lambda: button.text() == "Call staff", timeout=2500)


def test_the_customer_stops_the_call_in_two_steps(driver: KioskDriver, desk: StaffDesk) -> None:
    to_amount(driver, "5")
    driver.activate("navCallStaff")
    driver.wait_for("staff")
    request = one_request(driver, desk)
    driver.activate("staffDone")
    assert driver.focused().objectName() == "staffStopNo"  # Enter now keeps waiting
    driver.enter()
    assert driver.window.current_id == "staff" and [r.id for r in desk.queue()] == [request.id]
    driver.activate("staffDone")
    driver.activate("staffStopYes")
    driver.wait_for("amount")
    assert driver.window.screens["amount"].amount.text() == "5"
    driver.qtbot.waitUntil(lambda: desk.queue() == [], timeout=2000)
    assert desk.queue(include_closed=True)[0].status == "cancelled"


def test_without_staff_on_duty_the_elder_hotline_is_shown_and_said_digit_by_digit(driver: KioskDriver) -> None:
    to_amount(driver, "3")
    driver.activate("navCallStaff")
    driver.wait_for("staff")
    screen = driver.window.screens["staff"]
    driver.qtbot.waitUntil(lambda: ELDER_HOTLINE in screen.status.accessibleName(), timeout=2500)
    assert driver.window.title.accessibleName() == "Please call our helpline"
    assert said(driver, "4 0 0, 8 8 0, 5 5 6 6")
    assert screen.back_to_task.isVisible()
    assert driver.window.idle_timer.isActive()  # nobody will come: a customer who walks away is signed out


def test_a_kiosk_with_no_staff_nearby_gives_the_hotline_at_once(
    qtbot: QtBot, api_server: EmbeddedServer, desk: StaffDesk
) -> None:
    settings = KioskSettings(default_language="en", customer_language=False, staff_nearby=False)
    window, _speaker = open_kiosk(qtbot, api_server, settings)
    window.call_staff()
    screen = window.screens["staff"]
    qtbot.waitUntil(lambda: ELDER_HOTLINE in screen.status.accessibleName(), timeout=2500)
    assert [r.reason for r in desk.queue()] == ["asked"]  # still asked: staff may see it from afar


# --- help that comes by itself --------------------------------------------------------------------


def test_a_scam_stop_asks_for_staff_by_itself(driver: KioskDriver, desk: StaffDesk) -> None:
    driver.api.sign_in(WANG_FANG.number, WANG_FANG.pin)
    check = driver.api.name_check(SCAM_ACCOUNT, "Safe Wealth Service Centre")
    scam = driver.api.add_payee(SCAM_ACCOUNT, "Safe Wealth Service Centre", name_check_id=check.name_check_id)
    driver.api.sign_out()
    to_review(driver, scam.id, "800")
    driver.wait_for("stop")
    request = one_request(driver, desk)
    assert (request.reason, request.screen) == ("scam_stop", "stop")
    assert "800" not in readable_text(request.model_dump(mode="json"))
    button = driver.window.staff_button
    assert button.text() == "Staff told"
    driver.qtbot.waitUntil(
        lambda: button.accessibleName() == "Call staff. The branch's staff have been told that you need help.",
        timeout=2000,
    )
    driver.qtbot.waitUntil(lambda: said(driver, "We have asked a member of staff to come and help you."), timeout=2000)


def test_a_locked_card_asks_for_staff_who_can_unlock_it(driver: KioskDriver, desk: StaffDesk) -> None:
    wrong_pins_until_locked(driver)
    request = one_request(driver, desk)
    assert (request.reason, request.screen, request.customer_known) == ("card_locked", "card_kept", True)
    desk.unfreeze(request.id, "8642")  # with the customer there, identity checked
    desk.close(request.id, "solved")
    driver.api.sign_in(WANG_FANG.number, WANG_FANG.pin)  # the card works again


def test_a_paused_account_asks_for_staff(driver: KioskDriver, desk: StaffDesk) -> None:
    driver.wait_for("welcome")
    driver.activate("welcomeStart")
    driver.wait_for("card")
    driver.tab_to("cardNumber")
    driver.type(CHEN_JIAN.number)
    driver.enter()
    driver.wait_for("pin")
    driver.type(CHEN_JIAN.pin)
    driver.enter()
    driver.wait_for("card_kept")
    request = one_request(driver, desk)
    assert (request.reason, request.account_paused) == ("account_paused", True)


def test_three_problems_on_one_screen_ask_for_staff(driver: KioskDriver, desk: StaffDesk) -> None:
    driver.sign_in()
    driver.activate("tile_bill_biller")
    driver.wait_for("bill_biller")
    driver.activate("biller_electricity")
    driver.wait_for("bill_number")
    for _ in range(3):
        assert desk.queue() == []  # not before the third
        driver.type("1")  # 1, 11, 111: each too short
        driver.enter()
    request = one_request(driver, desk)
    assert (request.reason, request.screen, request.step) == ("repeated_errors", "bill_number", "bill")


def test_a_long_silence_on_one_step_asks_for_staff(driver: KioskDriver, desk: StaffDesk) -> None:
    driver.sign_in()
    driver.window.settings = replace(driver.window.settings, hesitation_seconds=1)
    driver.window.user_acted()  # the silence on Home starts now, a second long
    request = one_request(driver, desk, timeout=4000)
    assert (request.reason, request.screen) == ("long_hesitation", "home")
    assert request.waited_seconds >= 1
    driver.qtbot.waitUntil(lambda: said(driver, "We have asked a member of staff to come and help you."), timeout=2000)


def test_the_welcome_screen_never_asks_for_staff(driver: KioskDriver, desk: StaffDesk) -> None:
    driver.window.settings = replace(driver.window.settings, hesitation_seconds=1)
    driver.window.user_acted()
    assert not driver.window.help_call.hesitation_timer.isActive()  # nobody may be standing there


def test_signing_out_stops_the_call(driver: KioskDriver, desk: StaffDesk) -> None:
    to_amount(driver, "9")
    driver.activate("navCallStaff")
    driver.wait_for("staff")
    request = one_request(driver, desk)
    driver.window.end_visit("signed_out")
    driver.qtbot.waitUntil(lambda: desk.queue() == [], timeout=2000)
    assert [r.status for r in desk.queue(include_closed=True) if r.id == request.id] == ["cancelled"]


def test_an_account_paused_during_the_visit_asks_for_staff(driver: KioskDriver, desk: StaffDesk) -> None:
    driver.sign_in()
    driver.api.request("POST", f"/v1/admin/customers/{WANG_FANG.customer_id}/freeze")
    driver.activate("tile_balance")
    request = one_request(driver, desk, timeout=4000)
    assert (request.reason, request.account_paused, request.customer_known) == ("account_paused", True, True)
    desk.unfreeze(request.id, "8642")
    assert not desk.queue()[0].account_paused
