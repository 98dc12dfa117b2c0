"""Every flow, in elder mode, by keyboard only, against the real mock API over HTTP."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from client.money import format_amount
from tests.demo import WANG_FANG
from tests.e2e.conftest import KioskDriver
from ui.screens.pay import AddPayeeScreen

LI_MEI = "payee_wf_limei"


def balance_of_wang_fang(driver: KioskDriver) -> int:
    driver.api.sign_in(WANG_FANG.number, WANG_FANG.pin)
    balance = driver.api.accounts()[0].balance_minor
    driver.api.sign_out()
    return balance


def test_sign_in_and_see_the_balance(driver: KioskDriver) -> None:
    assert driver.window.theme.elder
    driver.sign_in()
    assert "Wang Fang" in driver.window.title.text()
    driver.activate("tile_balance")
    driver.wait_for("balance")
    expected = format_amount(balance_of_wang_fang(driver), "en")
    assert expected in driver.texts()
    driver.key(Qt.Key.Key_Escape)  # Cancel = Back
    driver.wait_for("home")


def test_wrong_pin_is_explained_and_the_pin_is_never_shown(driver: KioskDriver) -> None:
    driver.wait_for("welcome")
    driver.activate("welcomeStart")
    driver.wait_for("card")
    driver.activate("demoCard_0001")
    driver.wait_for("pin")
    driver.type("9999")
    pin = driver.window.screens["pin"].pin
    assert pin.echoMode() == QLineEdit.EchoMode.Password
    driver.enter()
    driver.qtbot.waitUntil(lambda: driver.window.screens["pin"].error.isVisible(), timeout=5000)
    assert "2 more times" in driver.window.screens["pin"].error.accessibleName()
    assert pin.text() == ""
    assert not any("9999" in text for text in driver.texts())


def test_send_money_to_a_saved_person(driver: KioskDriver) -> None:
    before = balance_of_wang_fang(driver)
    driver.sign_in()
    driver.activate("tile_send_payee")
    driver.wait_for("send_payee")
    driver.activate(f"payee_{LI_MEI}")  # decision 1: who
    driver.wait_for("amount")
    driver.type("２００")  # decision 2: how much (full-width digits from a CJK keyboard)
    driver.enter()
    driver.wait_for("review")  # then the review: no more than three decisions before it
    assert driver.window.screens["review"].pay.text() == "Pay RMB 200.00"
    assert driver.focused().objectName() == "reviewPay"
    driver.enter()
    driver.wait_for("result")
    assert "RMB 200.00 has been sent to Li Mei" in driver.window.screens["result"].outcome.accessibleName()
    assert balance_of_wang_fang(driver) == before - 20_000


def test_amount_entry_explains_what_it_cannot_accept(driver: KioskDriver) -> None:
    driver.sign_in()
    driver.activate("tile_send_payee")
    driver.wait_for("send_payee")
    driver.activate(f"payee_{LI_MEI}")
    driver.wait_for("amount")
    amount = driver.window.screens["amount"]
    for typed, expected in [
        ("-5", "below zero"),
        ("1.234", "two digits"),
        ("0", "more than zero"),
        ("99999999", "more than you have"),
    ]:
        driver.type(typed)
        driver.enter()
        assert driver.window.current_id == "amount"
        assert expected in amount.error.accessibleName()
        driver.key(Qt.Key.Key_Backspace, 12)


def test_switching_elder_mode_keeps_the_flow(driver: KioskDriver) -> None:
    driver.sign_in()
    driver.activate("tile_send_payee")
    driver.wait_for("send_payee")
    driver.activate(f"payee_{LI_MEI}")
    driver.wait_for("amount")
    driver.type("123")
    driver.activate("elderModeToggle")
    assert not driver.window.theme.elder
    assert driver.window.current_id == "amount"
    assert driver.window.screens["amount"].amount.text() == "123"
    driver.enter()  # the toggle still has focus: switch back on
    assert driver.window.theme.elder


def check_a_new_name(driver: KioskDriver, account: str, name: str) -> AddPayeeScreen:
    """Signed in, on "Add a new person": type the account and the name, and ask for the check."""
    driver.sign_in()
    driver.activate("tile_send_payee")
    driver.wait_for("send_payee")
    driver.activate("sendAddPayee")
    driver.wait_for("add_payee")
    driver.type(account)
    driver.enter()  # on to the name
    driver.type(name)
    driver.enter()  # check the name
    return driver.window.screens["add_payee"]  # type: ignore[return-value]


def test_add_a_payee_with_a_close_match_then_stop_at_the_safety_check(driver: KioskDriver) -> None:
    before = balance_of_wang_fang(driver)
    screen = check_a_new_name(driver, "6222030000001002", "Liu Fan")
    driver.qtbot.waitUntil(lambda: screen.result.isVisible() and not driver.window.bridge.busy, timeout=5000)
    assert "belongs to Liu Fang." in screen.result.accessibleName()  # the holder's name as an English reader reads it
    assert driver.focused().objectName() == "payeeDontSave"  # the safe choice has the focus
    driver.activate("payeeSave")
    driver.wait_for("amount")
    driver.type("50")
    driver.enter()
    driver.wait_for("review")
    driver.enter()
    driver.wait_for("risk")  # a new payee: the safety check asks what the payment is for
    assert driver.window.screens["risk"].asking_purpose
    assert driver.focused().objectName() == "riskDontPay"  # the safe choice comes first
    driver.enter()
    driver.wait_for("result")
    assert "Nothing was paid" in driver.window.screens["result"].outcome.accessibleName()
    assert balance_of_wang_fang(driver) == before


def test_a_name_check_is_dropped_when_the_account_number_changes_after_it(driver: KioskDriver) -> None:
    """The trap a customer met: check 6222030000001002 as "Liu Fan" (close match: Liu Fang), then
    change the account number; the old "Yes, save Liu Fang" must not save the other account."""
    screen = check_a_new_name(driver, "6222030000001002", "Liu Fan")
    driver.qtbot.waitUntil(lambda: screen.outcome is not None and not driver.window.bridge.busy, timeout=5000)
    assert screen.save.isVisible()
    payees_before = [p.id for p in driver.window.kiosk.api.payees()]
    screen.account.setFocus()
    driver.key(Qt.Key.Key_Backspace)
    driver.type("1")  # now 6222030000001001: someone else's account
    assert screen.outcome is None and not screen.save.isVisible() and not screen.dont_save.isVisible()
    assert not screen.result.isVisible()
    assert (
        screen.error.isVisible() and screen.error.accessibleName() == "You changed the details. Check the name again."
    )
    assert driver.window.pager.part_of(screen.error) == driver.window.pager.part_of(screen.account)
    assert any("Check the name again" in text for text in driver.speaker.texts)
    screen.save.click()  # even if something pressed it, nothing is saved
    assert [p.id for p in driver.window.kiosk.api.payees()] == payees_before
    driver.enter()  # Enter in the account field moves on; a new check is needed for a new answer
    driver.enter()
    driver.qtbot.waitUntil(lambda: screen.outcome is not None and not driver.window.bridge.busy, timeout=5000)
    assert "Liu Fang" not in screen.save.text()  # the new answer is about the new account


def test_a_save_the_bank_refuses_for_an_old_name_check_asks_to_check_again(driver: KioskDriver) -> None:
    """The bank saves a payee only within minutes of its name check: after that, the kiosk drops the
    result, says to check the name again, and a new check saves."""
    screen = check_a_new_name(driver, "6222030000001002", "刘芳")
    driver.qtbot.waitUntil(lambda: screen.outcome is not None and not driver.window.bridge.busy, timeout=5000)
    payees_before = [p.id for p in driver.window.kiosk.api.payees()]
    driver.api.advance_clock(11 * 60)  # the customer stepped away; the kiosk's idle timer is the test's
    driver.activate("payeeSave")
    driver.qtbot.waitUntil(lambda: not driver.window.bridge.busy, timeout=5000)
    assert driver.window.current_id == "add_payee"
    assert screen.outcome is None and not screen.save.isVisible() and not screen.result.isVisible()
    expected = "Please check the name again before saving this person. Nothing was saved. Press Check the name."
    assert screen.error.isVisible() and screen.error.accessibleName() == expected
    assert driver.speaker.utterances[-1].text == expected
    assert driver.focused() is screen.check_button
    assert [p.id for p in driver.window.kiosk.api.payees()] == payees_before
    driver.enter()  # Check the name, again
    driver.qtbot.waitUntil(lambda: screen.outcome is not None and not driver.window.bridge.busy, timeout=5000)
    driver.activate("payeeSave")
    driver.wait_for("amount")
    saved = [p for p in driver.window.kiosk.api.payees() if p.id not in payees_before]
    assert [(p.name, p.account_last4, p.name_check) for p in saved] == [("刘芳", "1002", "match")]


def test_pay_a_bill_and_print_the_large_print_receipt(driver: KioskDriver, tmp_path: Path) -> None:
    before = balance_of_wang_fang(driver)
    driver.sign_in()
    driver.activate("tile_bill_biller")
    driver.wait_for("bill_biller")
    driver.activate("biller_electricity")
    driver.wait_for("bill_number")
    driver.type("1234567890")
    driver.enter()
    driver.wait_for("bill_found")
    bill = driver.window.kiosk.visit.bill.bill  # type: ignore[union-attr]
    assert bill is not None and bill.customer_number == "1234567890"
    driver.activate("billContinue")
    driver.wait_for("review")
    driver.enter()
    driver.wait_for("result")
    assert balance_of_wang_fang(driver) == before - bill.amount_minor
    driver.activate("resultReceipt")
    driver.wait_for("receipt")
    assert "State Grid Electricity" in driver.window.screens["receipt"].text
    driver.activate("receiptSavePdf")
    path = driver.window.screens["receipt"].saved_path
    assert path is not None and path.read_bytes().startswith(b"%PDF")
    assert path.stat().st_size > 2000


def test_history_pages_back_and_forth(driver: KioskDriver) -> None:
    driver.sign_in()
    driver.activate("tile_history")
    driver.wait_for("history")
    screen = driver.window.screens["history"]
    first_page = [w.accessibleName() for w in screen.row_widgets]
    assert len(first_page) == 5  # elder mode: fewer, larger rows
    driver.activate("historyEarlier")
    driver.qtbot.waitUntil(lambda: not driver.window.bridge.busy and len(screen.cursors) == 2, timeout=5000)
    driver.qtbot.waitUntil(lambda: [w.accessibleName() for w in screen.row_widgets] != first_page, timeout=5000)
    driver.activate("historyNewer")
    driver.qtbot.waitUntil(lambda: [w.accessibleName() for w in screen.row_widgets] == first_page, timeout=5000)


def test_sign_out_forgets_the_customer(driver: KioskDriver) -> None:
    driver.sign_in()
    driver.activate("tile_balance")
    driver.wait_for("balance")
    driver.key(Qt.Key.Key_Escape)
    driver.wait_for("home")
    driver.activate("homeSignOut")
    driver.wait_for("goodbye")
    assert_forgotten(driver)


def test_inactivity_warns_extends_and_then_signs_out_and_forgets(driver: KioskDriver) -> None:
    window = driver.window
    window.settings = window.settings.__class__(idle_seconds=1, warning_seconds=20, default_language="en")
    window.countdown_timer.setInterval(5)  # the real countdown, run fast: 20 ticks
    driver.sign_in()
    driver.activate("tile_send_payee")
    driver.wait_for("send_payee")
    driver.activate(f"payee_{LI_MEI}")
    driver.wait_for("amount")
    driver.type("88")
    for extension in range(10):  # "I need more time", at least ten times
        window.idle_timer.setInterval(1)
        window.user_acted()
        window.idle_timer.start(1)
        driver.qtbot.waitUntil(window.idle_panel.isVisible, timeout=3000)
        assert driver.focused().objectName() == "idleMoreTime"
        window.countdown_timer.stop()
        assert window.seconds_left >= 19
        driver.enter()
        assert not window.idle_panel.isVisible()
        assert window.extensions == extension + 1
    assert window.screens["amount"].amount.text() == "88"  # nothing lost
    window.idle_timer.start(1)
    driver.qtbot.waitUntil(window.idle_panel.isVisible, timeout=3000)
    driver.qtbot.waitUntil(lambda: window.current_id == "welcome", timeout=5000)
    assert_forgotten(driver)


def assert_forgotten(driver: KioskDriver) -> None:
    window = driver.window
    assert window.kiosk.visit is None
    driver.qtbot.waitUntil(lambda: not window.kiosk.api.signed_in, timeout=5000)  # token forgotten
    assert window.history == []
    for edit in window.findChildren(QLineEdit):
        assert edit.text() == "", edit.objectName()
    private = ("Wang Fang", "王芳", "李梅", "Li Mei", "¥1", "88")
    leaked = [text for text in driver.texts() if any(p in text for p in private) and "Card ending" not in text]
    assert leaked == []
    driver.key(Qt.Key.Key_Escape)  # Back cannot reach the previous customer
    assert window.current_id in ("welcome", "goodbye")
    window.go("balance")  # nor can a direct jump
    assert window.current_id == "welcome"


def go_to_review_of_200_to_li_mei(driver: KioskDriver) -> None:
    driver.sign_in()
    driver.activate("tile_send_payee")
    driver.wait_for("send_payee")
    driver.activate(f"payee_{LI_MEI}")
    driver.wait_for("amount")
    driver.type("200")
    driver.enter()
    driver.wait_for("review")


def test_a_slow_bank_shows_a_calm_wait_after_300_ms_and_the_window_stays_alive(driver: KioskDriver) -> None:
    go_to_review_of_200_to_li_mei(driver)
    driver.api.set_faults(latency_ms=900)
    window = driver.window
    driver.enter()  # Pay
    assert window.bridge.busy and not window.busy.isVisible()  # not at once: no flicker on quick answers
    driver.qtbot.waitUntil(window.busy.isVisible, timeout=2000)
    assert window.busy.text() == "Please wait a moment…"
    window.larger_text.click()  # the GUI thread is free: the customer can still act
    assert window.theme.text_pt > 22
    driver.wait_for("result")
    assert not window.busy.isVisible()
    driver.api.set_faults()


def test_when_the_bank_is_down_nothing_is_lost_and_trying_again_pays_once(driver: KioskDriver) -> None:
    before = balance_of_wang_fang(driver)
    go_to_review_of_200_to_li_mei(driver)
    driver.api.set_faults(error_rate=1.0)
    driver.enter()  # Pay: the client retries, then explains
    review = driver.window.screens["review"]
    driver.qtbot.waitUntil(lambda: review.error.isVisible() and not driver.window.bridge.busy, timeout=10_000)
    assert "not available" in review.error.accessibleName() and "Your money is safe" in review.error.accessibleName()
    assert driver.window.current_id == "review"  # nothing lost: still on the review, same amount
    driver.api.set_faults(drop_next_responses=1)  # the bank is back, but the next answer gets lost
    driver.activate("reviewPay")
    driver.wait_for("result")
    assert balance_of_wang_fang(driver) == before - 20_000  # paid exactly once


def test_a_held_enter_presses_once_and_never_pays_from_the_amount_screen(driver: KioskDriver) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    before = balance_of_wang_fang(driver)
    go_to_review_of_200_to_li_mei(driver)
    assert driver.focused().objectName() == "reviewPay"
    for _ in range(5):  # the same Enter, still held down: the keyboard repeats it
        held = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r", True)
        QApplication.sendEvent(driver.focused(), held)
        released = QKeyEvent(QEvent.Type.KeyRelease, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r", True)
        QApplication.sendEvent(driver.focused(), released)
    assert not driver.window.bridge.busy  # a press of Pay would have sent the payment by now
    assert driver.window.current_id == "review"
    assert balance_of_wang_fang(driver) == before
