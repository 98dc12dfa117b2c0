"""Pay by scan: the kiosk's scanner types the payment code it read, then Enter, on Home (a keyboard
wedge). The code opens its payment at the review, prefilled; the bank's usual checks apply. Real
mock API over HTTP, real codec."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from emvqr import PaymentCode, encode
from tests.demo import LI_MEI, WANG_FANG
from tests.e2e.conftest import KioskDriver

ZHANG_WEI_ACCOUNT = "6222030000001001"  # at another bank, not a saved payee of Wang Fang's
REPORTED_ACCOUNT = "6222030000006666"  # reported for scams


def scan(driver: KioskDriver, payload: str) -> None:
    """What a keyboard-wedge scanner does: every character as a key press, then Enter."""
    for char in payload:
        if char.isascii():
            driver.qtbot.keyClick(driver.focused(), char)
        else:  # a character with no key of its own (the scanner's Unicode mode): the key event's text
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(driver.focused(), QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))
    driver.key(Qt.Key.Key_Return)


def test_a_scanned_code_opens_its_review_prefilled(driver: KioskDriver) -> None:
    driver.sign_in()
    scan(driver, encode(PaymentCode(ZHANG_WEI_ACCOUNT, "ZHANG WEI", "张伟", amount_minor=8_800, reference="INV 42")))
    driver.wait_for("review")  # the space in "ZHANG WEI" pressed no tile on the way
    review = driver.window.screens["review"]
    assert review.summary.accessibleName().startswith("To: ZHANG WEI, account ending 1001")
    assert review.pay.text() == "Pay RMB 88.00"
    driver.enter()  # Pay: a first payment to this account is judged as a new payee's
    driver.wait_for("risk")


def test_a_code_without_an_amount_asks_for_it(driver: KioskDriver) -> None:
    driver.sign_in()
    scan(driver, encode(PaymentCode(ZHANG_WEI_ACCOUNT, "ZHANG WEI", "张伟")))
    driver.wait_for("amount")
    assert driver.window.screens["amount"].to.accessibleName() == "To ZHANG WEI"
    driver.type("12")
    driver.enter()
    driver.wait_for("review")
    assert driver.window.screens["review"].pay.text() == "Pay RMB 12.00"


def test_a_payment_request_is_paid_once_from_its_code(driver: KioskDriver) -> None:
    li_mei = driver.api
    li_mei.sign_in(LI_MEI.number, LI_MEI.pin)
    request = li_mei.create_payment_request(li_mei.accounts()[0].id, 1_234)
    li_mei.sign_out()
    driver.sign_in()
    scan(driver, request.payload)
    driver.wait_for("review")
    assert driver.window.screens["review"].pay.text() == "Pay RMB 12.34"
    driver.enter()
    driver.wait_for("result")
    li_mei.sign_in(LI_MEI.number, LI_MEI.pin)
    assert li_mei.payment_request(request.id).status == "paid"
    li_mei.sign_out()
    driver.activate("resultDone")
    driver.wait_for("home")
    scan(driver, request.payload)  # the same code again: already paid, nothing happens twice
    driver.qtbot.waitUntil(lambda: driver.window.screens["home"].error.isVisible(), timeout=8000)
    assert driver.window.current_id == "home"


def test_a_code_for_an_account_reported_for_scams_is_stopped(driver: KioskDriver) -> None:
    driver.sign_in()
    scan(driver, encode(PaymentCode(REPORTED_ACCOUNT, "SAFE WEALTH", amount_minor=500_000)))
    driver.wait_for("review")
    driver.enter()
    driver.wait_for("stop")


def test_a_damaged_or_foreign_code_is_explained_and_nothing_is_paid(driver: KioskDriver) -> None:
    driver.sign_in()
    good = encode(PaymentCode(ZHANG_WEI_ACCOUNT, "ZHANG WEI", amount_minor=8_800))
    home = driver.window.screens["home"]
    scan(driver, good[:-1] + ("0" if good[-1] != "0" else "1"))  # a smudged checksum
    driver.qtbot.waitUntil(lambda: home.error.isVisible() and not driver.window.bridge.busy, timeout=8000)
    assert driver.window.current_id == "home"
    assert "Nothing has been paid" in home.error.accessibleName()
    said = driver.speaker.utterances[-1].text
    assert "Nothing has been paid" in said and ZHANG_WEI_ACCOUNT not in said
    scan(driver, "000201" + "x" * 30)  # begins like a code, is not one
    assert driver.window.current_id == "home"
    assert driver.window.visit is not None  # still signed in
    assert driver.window.visit.customer.id == WANG_FANG.customer_id


def test_the_customers_own_keys_still_work_on_home(driver: KioskDriver) -> None:
    """A "0" may begin a code: held back; the Space after it is not a code's, so it presses the tile."""
    driver.sign_in()
    driver.tab_to("tile_balance")
    driver.qtbot.keyClick(driver.focused(), "0")
    driver.qtbot.keyClick(driver.focused(), " ")
    driver.wait_for("balance")
