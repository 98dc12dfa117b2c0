"""A new person's name from the on-screen keyboard, end to end: the real window against the real mock
API, keypad keys (digits, arrows, Enter) or a keyboard only, in the customer's own language."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from client.settings import KioskSettings
from tests.demo import CHAN_MEILING, LIU_YANG, DemoCard
from tests.e2e.conftest import KioskDriver

LI_MEI_ACCOUNT = "6217000000000201"  # 李梅 Li Mei's current account: the bank knows her name
UNKNOWN_ACCOUNT = "6222030000002001"  # an account whose holder the bank does not know
CANDIDATES_SHOWN = 6


@pytest.fixture
def settings() -> KioskSettings:
    """The kiosk applies each customer's own language at sign-in: 简体 for Liu Yang, 繁體 for 陳美玲."""
    return KioskSettings(elder_mode_default=True, default_language="en", customer_language=True)


def open_add_payee(driver: KioskDriver, card: DemoCard) -> None:
    driver.sign_in(card.number, card.pin)
    driver.activate("tile_send_payee")
    driver.wait_for("send_payee")
    driver.activate("sendAddPayee")
    driver.wait_for("add_payee")


def said(driver: KioskDriver, words: str) -> bool:
    return any(words in text for text in driver.speaker.texts)


def focused_name(driver: KioskDriver) -> str:
    return driver.focused().objectName()


def press_key(driver: KioskDriver, letter: str) -> None:
    """Move to an on-screen letter key with the arrow keys alone, as a keypad customer does, and press Enter."""
    target = f"nameKeyboard_key_{letter}"
    keyboard = driver.window.screens["add_payee"].keyboard
    for _ in range(30):
        if focused_name(driver) == target:
            driver.enter()
            return
        here, there = driver.focused(), keyboard.letters[letter]
        here_at, there_at = here.mapTo(keyboard, here.rect().center()), there.mapTo(keyboard, there.rect().center())
        if abs(here_at.y() - there_at.y()) > here.height() // 2:
            driver.key(Qt.Key.Key_Down if there_at.y() > here_at.y() else Qt.Key.Key_Up)
        else:
            driver.key(Qt.Key.Key_Right if there_at.x() > here_at.x() else Qt.Key.Key_Left)
    raise AssertionError(f"the arrow keys did not reach {target} (stuck at {focused_name(driver)})")


def saved_payee_names(driver: KioskDriver, card: DemoCard) -> list[str]:
    driver.api.sign_in(card.number, card.pin)
    try:
        return [payee.name for payee in driver.api.payees()]
    finally:
        driver.api.sign_out()


def test_a_simplified_name_by_keypad_alone(driver: KioskDriver) -> None:
    """李梅 from "li" and "mei": arrows and Enter on the letters, a digit and arrows+Enter for the characters."""
    open_add_payee(driver, LIU_YANG)
    screen = driver.window.screens["add_payee"]
    keyboard = screen.keyboard
    driver.type(LI_MEI_ACCOUNT)  # the keypad's digits
    driver.enter()
    assert driver.focused() is screen.name
    driver.key(Qt.Key.Key_Down)  # from the name down onto the letters
    assert focused_name(driver) == "nameKeyboard_key_a"
    assert said(driver, "字母 A")
    press_key(driver, "l")
    press_key(driver, "i")
    assert keyboard.candidates[0].isVisible() and keyboard.candidates[0].text() == "1 李"
    assert keyboard.candidates[0].accessibleName() == "第 1 个字：李"
    assert said(driver, "li：1 李")
    driver.key(Qt.Key.Key_1)  # the keypad's 1 takes the first character
    assert screen.name.text() == "李"
    assert not keyboard.candidates[0].isVisible()
    assert focused_name(driver) == "nameKeyboard_key_i"  # still on the letters, where it was
    for letter in "mei":
        press_key(driver, letter)
    assert keyboard.candidates[0].text() == "1 梅"
    driver.key(Qt.Key.Key_Up)  # up onto the row of characters, then left to its first
    for _ in range(CANDIDATES_SHOWN):
        if focused_name(driver) != "nameKeyboard_candidate_1":
            driver.key(Qt.Key.Key_Left)
    assert focused_name(driver) == "nameKeyboard_candidate_1"
    driver.enter()
    assert screen.name.text() == "李梅"
    assert focused_name(driver) == "nameKeyboard_key_i"  # the row went: back to the letter last used
    driver.key(Qt.Key.Key_Down, times=2)  # to the bottom row: ... z, -, Space, Delete, Done
    driver.key(Qt.Key.Key_Right, times=4)  # stops at Done, the row's end
    assert focused_name(driver) == "nameKeyboard_key_done"
    driver.enter()  # Done: check the name
    driver.qtbot.waitUntil(lambda: screen.result.isVisible() and not driver.window.bridge.busy, timeout=5000)
    assert focused_name(driver) == "payeeSave"  # the name matches
    driver.enter()
    driver.wait_for("amount")
    assert "李梅" in saved_payee_names(driver, LIU_YANG)


def test_a_traditional_name_by_keyboard_alone(driver: KioskDriver) -> None:
    """陳家明 typed as pinyin on a keyboard, characters chosen by number, in Hong Kong script."""
    open_add_payee(driver, CHAN_MEILING)
    screen = driver.window.screens["add_payee"]
    keyboard = screen.keyboard
    driver.type(UNKNOWN_ACCOUNT)
    driver.enter()
    driver.type("chen")
    assert screen.name.text() == ""  # the pinyin waits for its character
    assert [key.text() for key in keyboard.candidates[:2]] == ["1 陳", "2 郴"]
    assert keyboard.candidates[0].accessibleName() == "第 1 個字：陳"
    driver.key(Qt.Key.Key_1)
    driver.type("jia")
    driver.key(Qt.Key.Key_1)
    driver.type("ming")
    driver.type(" ")  # Space takes the first character
    assert screen.name.text() == "陳家明"
    assert driver.focused() is screen.name
    driver.type("liu")
    assert keyboard.candidates[0].text() == "1 劉"  # 劉, not 刘
    driver.key(Qt.Key.Key_Backspace, times=3)  # the pinyin goes first, then the name's last character
    assert not keyboard.candidates[0].isVisible() and screen.name.text() == "陳家明"
    driver.enter()  # check the name
    driver.qtbot.waitUntil(lambda: screen.result.isVisible() and not driver.window.bridge.busy, timeout=5000)
    assert focused_name(driver) == "payeeDontSave"  # the bank does not know this name: the safe choice first
    driver.activate("payeeSave")  # save anyway: it is their own choice
    driver.wait_for("amount")
    assert "陳家明" in saved_payee_names(driver, CHAN_MEILING)


def test_letters_go_straight_into_an_english_name(driver: KioskDriver) -> None:
    """In English the keys are letters: a keypad customer spells the name, no characters to choose."""
    open_add_payee(driver, LIU_YANG)  # 简体 customer: switches the keyboard to letters
    screen = driver.window.screens["add_payee"]
    keyboard = screen.keyboard
    driver.tab_to("payeeName")
    driver.key(Qt.Key.Key_Down)  # onto the letters: a
    driver.key(Qt.Key.Key_Up)  # up to the row above them: ABC first
    assert focused_name(driver) == "nameKeyboard_key_mode"
    driver.enter()
    assert keyboard.composer.mode == "letters"
    assert said(driver, "改用拼音")
    for letter in "li":
        press_key(driver, letter)
    assert screen.name.text() == "li" and not keyboard.candidates[0].isVisible()
