"""A locked card ends the PIN step at once: the reader keeps it, Call staff has the focus, and no
further PIN for that card leaves the kiosk, so the bank never pauses the whole account."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from client import errors
from client.security.catalog import load_catalog
from tests.demo import WANG_FANG
from tests.e2e.conftest import KioskDriver

CATALOG = load_catalog()


def wrong_pins_until_locked(driver: KioskDriver, tries: int = 3) -> None:
    driver.wait_for("welcome")
    driver.activate("welcomeStart")
    driver.wait_for("card")
    driver.activate(f"demoCard_{WANG_FANG.number[-4:]}")
    for _ in range(tries):
        driver.wait_for("pin")
        driver.type("9999")
        driver.enter()
        driver.qtbot.waitUntil(lambda: not driver.window.bridge.busy, timeout=8000)
    driver.wait_for("card_kept")


def reachable_by_tab(driver: KioskDriver, presses: int = 40) -> list[str]:
    seen = []
    for _ in range(presses):
        driver.key(Qt.Key.Key_Tab)
        seen.append(driver.focused().objectName())
    return seen


def no_freeze_at_the_bank(driver: KioskDriver) -> None:
    anomalies = driver.api.request("GET", "/v1/admin/anomalies")
    assert [a for a in anomalies if a["customer_id"] == "cus_wangfang"] == []


def test_three_wrong_pins_keep_the_card_and_put_call_staff_in_focus(driver: KioskDriver) -> None:
    wrong_pins_until_locked(driver)
    prompt = CATALOG.prompt("card_locked", "en")
    screen = driver.window.screens["card_kept"]
    assert driver.window.title.accessibleName() == prompt.headline
    assert screen.body.accessibleName() == prompt.what_happened
    assert screen.can_do.accessibleName() == prompt.what_you_can_do
    assert "stays safe in the machine" in driver.window.instruction.accessibleName()  # the card is kept, said so
    assert driver.focused().objectName() == "navCallStaff"
    # Said in full, as a safety warning: the catalog's words and that the card stays in the machine.
    said = [u for u in driver.speaker.utterances if u.priority == "safety"][-1]
    assert prompt.speech in said.text and "stays safe in the machine" in said.text
    assert all(WANG_FANG.pin not in u.text and "9999" not in u.text for u in driver.speaker.utterances)
    # No PIN field, no keypad: nothing the keyboard reaches takes a PIN.
    seen = reachable_by_tab(driver)
    assert "pin" not in seen and not any(name.startswith("pinKeypad") for name in seen)
    assert not any(isinstance(w, QLineEdit) and w.isVisible() for w in driver.window.findChildren(QLineEdit))
    driver.key(Qt.Key.Key_Escape)  # Back: nothing to go back to
    assert driver.window.current_id == "card_kept"
    no_freeze_at_the_bank(driver)


def test_one_enter_asks_for_staff(driver: KioskDriver) -> None:
    wrong_pins_until_locked(driver)
    driver.enter()
    driver.wait_for("staff")
    driver.activate("staffDone")
    driver.activate("staffStopYes")  # asked twice: "I don't need help any more", then "Yes, I don't need staff"
    driver.wait_for("card_kept")  # back to the kept card, never to the keypad


def test_starting_over_does_not_bring_the_keypad_back_for_the_kept_card(driver: KioskDriver) -> None:
    wrong_pins_until_locked(driver)
    driver.activate("navStartOver")
    driver.wait_for("welcome")
    driver.activate("welcomeStart")
    driver.wait_for("card")
    driver.activate(f"demoCard_{WANG_FANG.number[-4:]}")  # the same card again: still kept
    driver.wait_for("card_kept")
    assert driver.focused().objectName() == "navCallStaff"
    driver.activate("navStartOver")
    driver.wait_for("welcome")
    driver.activate("welcomeStart")
    driver.wait_for("card")
    driver.tab_to("cardNumber")
    driver.type(WANG_FANG.number)  # typed by hand: still kept
    driver.enter()
    driver.wait_for("card_kept")
    no_freeze_at_the_bank(driver)


def test_no_pin_for_a_kept_card_leaves_the_kiosk(driver: KioskDriver) -> None:
    wrong_pins_until_locked(driver)
    kiosk = driver.window.kiosk
    assert kiosk is not None
    for _ in range(3):  # whatever a screen might still try: refused before anything is sent
        try:
            kiosk.sign_in(WANG_FANG.number, WANG_FANG.pin)
        except errors.CardLocked:
            pass
        else:
            raise AssertionError("a kept card was signed in")
    no_freeze_at_the_bank(driver)
    # The bank's side: the card is only locked. Once staff unlock it, the right PIN works.
    driver.api.request("POST", f"/v1/admin/cards/{WANG_FANG.number}/unlock")
    session = driver.api.sign_in(WANG_FANG.number, WANG_FANG.pin)
    assert session.customer.id == "cus_wangfang"
    driver.api.sign_out()


def test_another_card_still_gets_the_keypad(driver: KioskDriver) -> None:
    wrong_pins_until_locked(driver)
    driver.activate("navStartOver")
    driver.wait_for("welcome")
    driver.sign_in(card="6222020000000002", pin="2468")


def test_tries_left_are_in_view_next_to_the_field_on_a_small_screen(driver: KioskDriver) -> None:
    driver.window.resize(1024, 768)
    driver.wait_for("welcome")
    driver.activate("welcomeStart")
    driver.wait_for("card")
    driver.activate(f"demoCard_{WANG_FANG.number[-4:]}")
    driver.wait_for("pin")
    driver.type("9999")
    driver.enter()
    screen = driver.window.screens["pin"]
    driver.qtbot.waitUntil(lambda: screen.error.isVisible() and not driver.window.bridge.busy, timeout=8000)
    assert "2" in screen.error.accessibleName()  # how many tries are left
    driver.qtbot.waitUntil(lambda: screen.error.visibleRegion().boundingRect().size() == screen.error.size())
    assert screen.error.geometry().top() > screen.pin.geometry().bottom()  # right under the field
    assert driver.focused() is screen.pin


def test_a_card_number_the_bank_does_not_know_is_answered_as_a_wrong_pin(driver: KioskDriver) -> None:
    """The bank never says which card numbers exist: a mistyped number reads as a PIN that does not
    match it (the words name both), and after three tries the card is kept as a locked one."""
    driver.wait_for("welcome")
    driver.activate("welcomeStart")
    driver.wait_for("card")
    driver.tab_to("cardNumber")
    driver.type("6222020000009999")
    driver.enter()
    for left in ("You can try 2 more times.", "You can try once more."):
        driver.wait_for("pin")
        driver.type("9999")
        driver.enter()
        driver.qtbot.waitUntil(lambda: not driver.window.bridge.busy, timeout=8000)
        error = driver.window.screens["pin"].error
        assert error.isVisible()
        assert error.accessibleName() == f"That PIN does not match this card number. {left}"
    driver.type("9999")
    driver.enter()
    driver.wait_for("card_kept")
    assert driver.window.title.accessibleName() == CATALOG.prompt("card_locked", "en").headline
