"""Focus rules a keyboard customer relies on: Enter presses what the screen is about.

- After a screen's answer comes from the bank, the focus is on that screen, never left on the
  top bar (where Enter would switch elder mode instead of pressing Done).
- A control that disables itself hands the focus to its neighbour on the same screen: A+ at the
  largest text gives it to A-, so the next Enter does not leave the screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.e2e.conftest import KioskDriver


def test_after_the_bank_answers_the_focus_is_on_the_screen_not_the_top_bar(driver: KioskDriver) -> None:
    driver.sign_in()
    driver.activate("tile_balance")
    driver.wait_for("balance")
    balance = driver.window.screens["balance"]
    focused = driver.focused()
    assert balance.isAncestorOf(focused), focused.objectName()
    # Quietly: the screen's own words (its title) are the last thing said, not cut off by a button's name.
    assert balance.title_text() in driver.speaker.texts[-1]
    driver.enter()  # so Enter does what the screen offers: Done
    driver.wait_for("home")


def test_a_plus_at_the_largest_text_hands_the_focus_to_a_minus(driver: KioskDriver) -> None:
    driver.wait_for("welcome")
    window = driver.window
    window.larger_text.setFocus(Qt.FocusReason.TabFocusReason)
    for _ in range(20):  # far more presses than there are sizes
        if not window.larger_text.isEnabled():
            break
        driver.enter()
    assert not window.larger_text.isEnabled()  # the largest text size
    assert driver.focused() is window.smaller_text
    driver.enter()  # the next Enter makes the text smaller, on the same screen
    assert window.larger_text.isEnabled() and window.current_id == "welcome"
