"""Help, Call staff and the inactivity warning are overlays: whatever the customer typed survives
them, and the focus comes back where it was (real window, real bank, keyboard only)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from tests.e2e.conftest import KioskDriver

LI_MEI = "payee_wf_limei"


def open_help_and_come_back(driver: KioskDriver, screen_id: str) -> None:
    """F1, then "Back to where I was" (it has the focus in Help)."""
    driver.key(Qt.Key.Key_F1)
    driver.wait_for("help")
    assert driver.focused().objectName() == "helpDone"
    driver.enter()
    driver.wait_for(screen_id)


def call_staff_and_come_back(driver: KioskDriver, screen_id: str) -> None:
    """Call staff from the bottom bar, then "I don't need help any more" and, asked again, "Yes, stop
    the call". A stray Enter on arrival only says it again: the call stays."""
    driver.activate("navCallStaff")
    driver.wait_for("staff")
    assert driver.focused().objectName() == "navCallStaff"
    driver.enter()
    assert driver.window.current_id == "staff"
    stop_the_call(driver)
    driver.wait_for(screen_id)


def stop_the_call(driver: KioskDriver) -> None:
    driver.activate("staffDone")
    assert driver.focused().objectName() == "staffStopNo"
    driver.activate("staffStopYes")


def test_help_and_call_staff_keep_a_typed_amount(driver: KioskDriver) -> None:
    driver.sign_in()
    driver.activate("tile_send_payee")
    driver.wait_for("send_payee")
    driver.activate(f"payee_{LI_MEI}")
    driver.wait_for("amount")
    amount = driver.window.screens["amount"].amount
    driver.type("12")
    open_help_and_come_back(driver, "amount")
    assert amount.text() == "12"
    assert driver.focused() is amount  # back in the field, typing goes on
    driver.type("3")
    call_staff_and_come_back(driver, "amount")  # Call staff was reached with Tab: the field gets the focus
    assert amount.text() == "123"
    assert driver.focused() is amount
    driver.key(Qt.Key.Key_F1)  # and Esc closes Help just the same
    driver.wait_for("help")
    driver.key(Qt.Key.Key_Escape)
    driver.wait_for("amount")
    assert amount.text() == "123"
    driver.type("4")
    driver.enter()
    driver.wait_for("review")
    assert driver.window.screens["review"].pay.text() == "Pay RMB 1,234.00"


def test_help_and_call_staff_keep_a_typed_bill_number_and_its_problem(driver: KioskDriver) -> None:
    driver.sign_in()
    driver.activate("tile_bill_biller")
    driver.wait_for("bill_biller")
    driver.activate("biller_electricity")
    driver.wait_for("bill_number")
    screen = driver.window.screens["bill_number"]
    driver.type("123")
    driver.enter()  # too short: the problem shows next to the field
    assert screen.error.isVisible()
    problem = screen.error.accessibleName()
    # Help, then Call staff from inside Help, then back twice: Help, then the bill number.
    driver.key(Qt.Key.Key_F1)
    driver.wait_for("help")
    driver.activate("helpCallStaff")
    driver.wait_for("staff")
    stop_the_call(driver)
    driver.wait_for("help")
    driver.activate("helpDone")
    driver.wait_for("bill_number")
    assert screen.number.text() == "123"
    assert screen.error.isVisible() and screen.error.accessibleName() == problem  # still shown
    assert driver.focused() is screen.number
    driver.type("4567890")
    driver.enter()
    driver.wait_for("bill_found")
    assert driver.window.kiosk.visit.bill.customer_number == "1234567890"  # type: ignore[union-attr]


def test_a_new_company_starts_with_an_empty_number_but_coming_back_keeps_it(driver: KioskDriver) -> None:
    driver.sign_in()
    driver.activate("tile_bill_biller")
    driver.wait_for("bill_biller")
    driver.activate("biller_electricity")
    driver.wait_for("bill_number")
    driver.type("1234567890")
    driver.enter()
    driver.wait_for("bill_found")
    driver.key(Qt.Key.Key_Escape)  # Back: the number is still there
    driver.wait_for("bill_number")
    assert driver.window.screens["bill_number"].number.text() == "1234567890"
    driver.key(Qt.Key.Key_Escape)
    driver.wait_for("bill_biller")
    driver.activate("biller_water")  # another company: its own number
    driver.wait_for("bill_number")
    assert driver.window.screens["bill_number"].number.text() == ""


def test_help_keeps_both_new_person_fields_and_the_focus_in_the_second(driver: KioskDriver) -> None:
    driver.sign_in()
    driver.activate("tile_send_payee")
    driver.wait_for("send_payee")
    driver.activate("sendAddPayee")
    driver.wait_for("add_payee")
    screen = driver.window.screens["add_payee"]
    driver.type("6217000000000201")
    driver.enter()  # on to the name
    driver.type("Li")
    assert driver.focused() is screen.name
    open_help_and_come_back(driver, "add_payee")
    assert (screen.account.text(), screen.name.text()) == ("6217000000000201", "Li")
    assert driver.focused() is screen.name  # where it was, not the first field
    driver.type(" Mei")
    call_staff_and_come_back(driver, "add_payee")
    assert (screen.account.text(), screen.name.text()) == ("6217000000000201", "Li Mei")


def test_help_keeps_a_typed_card_number(driver: KioskDriver) -> None:
    driver.wait_for("welcome")
    driver.activate("welcomeStart")
    driver.wait_for("card")
    driver.tab_to("cardNumber")
    driver.type("6222")
    field = driver.focused()
    assert isinstance(field, QLineEdit)
    open_help_and_come_back(driver, "card")
    assert field.text() == "6222"
    assert driver.focused() is field


def test_the_inactivity_warning_keeps_what_was_typed_and_gives_the_focus_back(driver: KioskDriver) -> None:
    window = driver.window
    driver.sign_in()
    driver.activate("tile_send_payee")
    driver.wait_for("send_payee")
    driver.activate("sendAddPayee")
    driver.wait_for("add_payee")
    screen = window.screens["add_payee"]
    driver.type("6217000000000201")
    driver.enter()
    driver.type("Li")
    window.idle_timer.start(1)  # the customer goes quiet: the warning covers the screen
    driver.qtbot.waitUntil(window.idle_panel.isVisible, timeout=3000)
    window.countdown_timer.stop()
    assert driver.focused().objectName() == "idleMoreTime"
    driver.enter()  # "I need more time"
    assert not window.idle_panel.isVisible()
    assert (screen.account.text(), screen.name.text()) == ("6217000000000201", "Li")
    assert driver.focused() is screen.name  # where it was, not the first field of the screen
