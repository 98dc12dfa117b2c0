"""The kiosk under the bank's faults: down at start, down mid-flow, slow, 5xx, and a payment committed
whose answer never arrives. Each time the customer reads what happened in plain words, trying again
is safe (the same Idempotency-Key), nothing is paid twice, and what the screen says is what the
bank's ledger holds afterwards.

The real window, driven by keys, against the real mock API over HTTP with its fault injection
(mock_api.faults: PUT /v1/admin/faults)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from client.api import PaymentApi
from client.credentials import CredentialStore
from client.kiosk import Kiosk
from client.money import format_amount
from client.security.catalog import load_catalog
from client.settings import KioskSettings
from mock_api.server import EmbeddedServer
from tests.demo import WANG_FANG
from tests.e2e.conftest import KioskDriver
from tests.e2e.test_flows import LI_MEI, go_to_review_of_200_to_li_mei
from tests.e2e.test_startup import early_window
from tests.fakes import RecordingSpeaker
from ui.screens import all_screens

CATALOG = load_catalog()
BANK_DOWN = CATALOG.prompt("service_unavailable", "en").what_happened  # "... Your money is safe."
NO_ANSWER = CATALOG.prompt("connection_lost", "en").what_happened  # "... We do not know yet if ..."


class Book:
    """Wang Fang's side of the bank's ledger, read from the bank's own database (never through the
    faulted API): her main account's balance and the payments made since the book was opened."""

    def __init__(self, server: EmbeddedServer) -> None:
        self.db = server.app.state.db
        self.seeded = {payment_id for payment_id, _amount, _status in self._rows()}
        self.opening = self.balance()

    def _rows(self) -> list[tuple[str, int, str]]:
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT id, amount, status FROM payments WHERE customer_id = ?", (WANG_FANG.customer_id,)
            ).fetchall()
        return [(row[0], row[1], row[2]) for row in rows]

    def balance(self) -> int:
        with self.db.read() as conn:
            row = conn.execute("SELECT balance FROM accounts WHERE id = ?", (WANG_FANG.account_id,)).fetchone()
        return int(row[0])

    def new_payments(self) -> list[tuple[int, str]]:
        """(amount, status) of every payment made since the book was opened."""
        return sorted((amount, status) for payment_id, amount, status in self._rows() if payment_id not in self.seeded)

    def paid_once(self, amount_minor: int) -> bool:
        return self.new_payments() == [(amount_minor, "completed")] and self.balance() == self.opening - amount_minor


@pytest.fixture
def book(api_server: EmbeddedServer) -> Book:
    return Book(api_server)


def wait_for_error(driver: KioskDriver, screen_id: str, timeout: int = 10_000) -> str:
    screen = driver.window.screens[screen_id]
    driver.qtbot.waitUntil(lambda: screen.error.isVisible() and not driver.window.bridge.busy, timeout=timeout)
    return screen.error.accessibleName()


# --- down at start ---------------------------------------------------------------------------------


def test_a_bank_down_at_start_is_explained_on_the_card_screen_and_the_kiosk_recovers(
    qtbot: QtBot, api_server: EmbeddedServer, settings: KioskSettings
) -> None:
    speaker = RecordingSpeaker()
    window = early_window(qtbot, settings, speaker)
    admin = PaymentApi(api_server.url)
    admin.set_faults(error_rate=1.0)  # down before the kiosk has even registered
    api = PaymentApi(api_server.url, backoff_seconds=0.01)
    window.attach_kiosk(Kiosk(api, CredentialStore(api_server.url), "kiosk started while the bank is down"))
    window.add_screens(all_screens())
    driver = KioskDriver(qtbot, window, admin, speaker)
    driver.activate("welcomeStart")
    text = wait_for_error(driver, "card")
    assert BANK_DOWN in text  # not a silent, empty card reader
    assert window.current_id == "card"
    admin.set_faults()  # the bank is back
    driver.key(Qt.Key.Key_Escape)  # Back to Welcome, and Start again: the cards are asked for again
    driver.wait_for("welcome")
    driver.sign_in()
    assert window.visit is not None and window.visit.customer.name == WANG_FANG.name
    assert not window.screens["card"].error.isVisible()
    window.bridge.wait_for_done(3000)
    api.close()
    admin.close()


# --- 5xx and down mid-flow -----------------------------------------------------------------------


def test_a_5xx_at_sign_in_is_explained_and_costs_no_pin_try(driver: KioskDriver, book: Book) -> None:
    driver.wait_for("welcome")
    driver.activate("welcomeStart")
    driver.wait_for("card")
    driver.activate(f"demoCard_{WANG_FANG.number[-4:]}")
    driver.wait_for("pin")
    driver.api.set_faults(error_rate=1.0)
    driver.type(WANG_FANG.pin)
    driver.enter()
    assert BANK_DOWN in wait_for_error(driver, "pin")
    assert "PIN" not in driver.window.screens["pin"].error.accessibleName()  # not blamed on the PIN
    driver.api.set_faults()
    driver.type("9999")  # a wrong PIN now: the bank still allows the full three tries
    driver.enter()
    assert "2 more times" in wait_for_error(driver, "pin")
    driver.type(WANG_FANG.pin)
    driver.enter()
    driver.wait_for("home")


def test_the_bank_down_between_review_and_confirm_pays_once_when_it_is_back(driver: KioskDriver, book: Book) -> None:
    """The payment was created (the safety check asked to confirm it); the bank goes down at the confirm."""
    from tests.e2e.test_security import to_review

    to_review(driver, LI_MEI, "303.03")  # a large amount to a known person: a warning to confirm
    driver.wait_for("risk")
    driver.activate("riskUnderstand")
    driver.api.set_faults(error_rate=1.0)
    driver.activate("riskContinue")
    assert BANK_DOWN in wait_for_error(driver, "risk")
    assert driver.window.current_id == "risk" and book.balance() == book.opening  # said safe: it is
    driver.api.set_faults()
    driver.activate("riskContinue")
    driver.wait_for("result")
    assert "RMB 303.03 has been sent to Li Mei" in driver.window.screens["result"].outcome.accessibleName()
    assert book.paid_once(30_303)


# --- slow -------------------------------------------------------------------------------------------


def test_a_bank_slow_for_seconds_shows_the_wait_and_keys_meanwhile_do_no_harm(driver: KioskDriver, book: Book) -> None:
    go_to_review_of_200_to_li_mei(driver)
    window = driver.window
    elder, text_pt = window.theme.elder, window.theme.text_pt
    driver.api.set_faults(latency_ms=3000)
    driver.enter()  # Pay
    driver.qtbot.waitUntil(window.busy.isVisible, timeout=2000)
    assert window.busy.text() == "Please wait a moment…"
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Space, Qt.Key.Key_Tab, Qt.Key.Key_Return, Qt.Key.Key_Escape):
        # An impatient customer presses again, and again: the keys go wherever the keyboard is now.
        driver.qtbot.keyClick(QApplication.focusWidget() or window, key)
        assert window.bridge.busy  # still waiting: the keys changed nothing meanwhile
    assert (window.theme.elder, window.theme.text_pt) == (elder, text_pt)
    assert window.current_id == "review"
    window.larger_text.click()  # nothing is frozen: the window still does what is asked of it
    assert window.theme.text_pt > text_pt and window.bridge.busy
    driver.api.set_faults()
    driver.wait_for("result")
    assert "RMB 200.00 has been sent to Li Mei" in window.screens["result"].outcome.accessibleName()
    assert driver.focused().objectName().startswith("result")  # the keys go to the new screen
    assert book.paid_once(20_000)


# --- committed, answer dropped ---------------------------------------------------------------------


def test_a_payment_whose_every_answer_is_lost_says_so_and_pressing_pay_again_shows_it_paid_once(
    driver: KioskDriver, book: Book
) -> None:
    go_to_review_of_200_to_li_mei(driver)
    driver.api.set_faults(drop_next_responses=driver.window.kiosk.api.retries + 1)
    driver.enter()  # Pay: the bank commits it, every answer (and every replay's) is lost
    text = wait_for_error(driver, "review")
    assert NO_ANSWER in text and "Nothing was paid" not in text  # it does not pretend to know
    review = driver.window.screens["review"]
    assert review.pay.text() == CATALOG.prompt("connection_lost", "en").safe_action  # "Press Try again": here it is
    assert book.paid_once(20_000)  # it was paid, in fact
    driver.activate("reviewPay")
    driver.wait_for("result")
    assert "RMB 200.00 has been sent to Li Mei" in driver.window.screens["result"].outcome.accessibleName()
    assert book.paid_once(20_000)


def test_after_a_lost_answer_making_the_same_payment_again_does_not_pay_twice(driver: KioskDriver, book: Book) -> None:
    """The customer does not press Pay again on the review: they go back and make the same payment
    again from the start. It is the same payment, with the same key: the bank answers with the one
    it already made."""
    go_to_review_of_200_to_li_mei(driver)
    driver.api.set_faults(drop_next_responses=driver.window.kiosk.api.retries + 1)
    driver.enter()
    assert NO_ANSWER in wait_for_error(driver, "review")
    driver.key(Qt.Key.Key_Escape)  # Back to the amount
    driver.wait_for("amount")
    driver.key(Qt.Key.Key_Escape)  # Back to the people
    driver.wait_for("send_payee")
    driver.activate(f"payee_{LI_MEI}")
    driver.wait_for("amount")
    driver.type("200")
    driver.enter()
    driver.wait_for("review")
    driver.enter()
    driver.wait_for("result")
    assert "RMB 200.00 has been sent to Li Mei" in driver.window.screens["result"].outcome.accessibleName()
    assert book.paid_once(20_000)


def test_a_payment_made_just_before_the_bank_went_down_is_shown_as_made(driver: KioskDriver, book: Book) -> None:
    """The bank takes the payment and answers, then goes down before the kiosk reads the new balance:
    the customer must see that it was paid (it was), not "not available, your money is safe"."""
    go_to_review_of_200_to_li_mei(driver)
    kiosk_api = driver.window.kiosk.api
    create: Callable[..., Any] = kiosk_api.create_payment

    def create_then_bank_goes_down(**kwargs: Any) -> Any:
        payment = create(**kwargs)
        driver.api.set_faults(error_rate=1.0)
        return payment

    kiosk_api.create_payment = create_then_bank_goes_down  # type: ignore[method-assign]
    driver.enter()
    driver.qtbot.waitUntil(lambda: not driver.window.bridge.busy, timeout=10_000)
    driver.api.set_faults()
    driver.wait_for("result")
    assert "RMB 200.00 has been sent to Li Mei" in driver.window.screens["result"].outcome.accessibleName()
    assert book.paid_once(20_000)
    driver.activate("resultDone")
    driver.wait_for("home")
    driver.activate("tile_balance")
    driver.wait_for("balance")
    assert format_amount(book.balance(), "en") in driver.texts()  # the balance the bank holds now


def test_a_sign_in_cut_short_by_the_bank_going_down_leaves_no_session_behind(driver: KioskDriver) -> None:
    """The bank opens the session, then goes down before the kiosk has read the accounts: the customer
    is told, and the kiosk keeps no live token of a customer who is not signed in."""
    driver.wait_for("welcome")
    driver.activate("welcomeStart")
    driver.wait_for("card")
    driver.activate(f"demoCard_{WANG_FANG.number[-4:]}")
    driver.wait_for("pin")
    kiosk_api = driver.window.kiosk.api
    sign_in: Callable[..., Any] = kiosk_api.sign_in
    tokens: list[str] = []

    def sign_in_then_bank_goes_down(*args: Any) -> Any:
        session = sign_in(*args)
        tokens.append(session.token)
        driver.api.set_faults(error_rate=1.0)
        return session

    kiosk_api.sign_in = sign_in_then_bank_goes_down  # type: ignore[method-assign]
    driver.type(WANG_FANG.pin)
    driver.enter()
    assert BANK_DOWN in wait_for_error(driver, "pin")
    assert driver.window.visit is None and not kiosk_api.signed_in  # no token kept for nobody
    driver.api.set_faults()
    del kiosk_api.sign_in  # the bank stays up from now on
    assert tokens and kiosk_api._token is None
    driver.type(WANG_FANG.pin)  # the bank is back: the same customer signs in as usual
    driver.enter()
    driver.wait_for("home")


def test_a_sign_in_whose_answer_is_lost_signs_in_on_the_retry_or_asks_to_try_again(driver: KioskDriver) -> None:
    driver.wait_for("welcome")
    driver.activate("welcomeStart")
    driver.wait_for("card")
    driver.activate(f"demoCard_{WANG_FANG.number[-4:]}")
    driver.wait_for("pin")
    retries = driver.window.kiosk.api.retries
    driver.api.set_faults(drop_next_responses=retries + 1)  # every answer to the sign-in lost
    driver.type(WANG_FANG.pin)
    driver.enter()
    text = wait_for_error(driver, "pin")
    assert NO_ANSWER in text and "PIN is not right" not in text
    assert driver.window.visit is None and not driver.window.kiosk.api.signed_in
    driver.api.set_faults(drop_next_responses=1)  # one more lost answer: the client's own retry mends it
    driver.type(WANG_FANG.pin)
    driver.enter()
    driver.wait_for("home")
    assert driver.window.visit is not None and driver.window.visit.customer.name == WANG_FANG.name


def test_the_bank_down_at_a_bill_look_up_and_a_name_check_is_explained_and_nothing_is_lost(
    driver: KioskDriver, book: Book
) -> None:
    driver.sign_in()
    driver.activate("tile_bill_biller")
    driver.wait_for("bill_biller")
    driver.activate("biller_electricity")
    driver.wait_for("bill_number")
    driver.type("1234567890")
    driver.api.set_faults(error_rate=1.0)
    driver.enter()
    assert BANK_DOWN in wait_for_error(driver, "bill_number")
    assert driver.window.screens["bill_number"].number.text() == "1234567890"  # kept for the next try
    driver.api.set_faults()
    driver.enter()
    driver.wait_for("bill_found")
    driver.key(Qt.Key.Key_Escape)
    driver.wait_for("bill_number")
    driver.key(Qt.Key.Key_Escape)
    driver.wait_for("bill_biller")
    driver.key(Qt.Key.Key_Escape)
    driver.wait_for("home")
    driver.activate("tile_send_payee")
    driver.wait_for("send_payee")
    driver.activate("sendAddPayee")
    driver.wait_for("add_payee")
    driver.type("6222030000001002")
    driver.enter()
    driver.type("Liu Fang")
    driver.api.set_faults(error_rate=1.0)
    driver.enter()  # check the name
    assert BANK_DOWN in wait_for_error(driver, "add_payee")
    screen = driver.window.screens["add_payee"]
    assert screen.outcome is None and not screen.save.isVisible()  # no answer: nothing to save
    driver.api.set_faults()
    screen.name.setFocus()
    driver.enter()
    driver.qtbot.waitUntil(lambda: screen.outcome is not None and not driver.window.bridge.busy, timeout=8000)
    assert screen.save.isVisible()
    assert book.new_payments() == []


def test_signing_out_while_the_bank_is_down_still_forgets_the_customer(driver: KioskDriver) -> None:
    from tests.e2e.test_flows import assert_forgotten

    driver.sign_in()
    driver.api.set_faults(error_rate=1.0)
    driver.activate("homeSignOut")
    driver.wait_for("goodbye")
    driver.qtbot.waitUntil(lambda: not driver.window.bridge.busy, timeout=8000)
    driver.api.set_faults()
    assert_forgotten(driver)
