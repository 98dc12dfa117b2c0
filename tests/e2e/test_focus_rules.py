"""Focus rules a keyboard customer relies on: Enter presses what the screen is about
(written down in docs/focus-rules.md).

- A screen's first focus is its main action or field, never the top bar; after a screen's answer
  comes from the bank, the focus is on that screen, never left on the top bar (where Enter would
  switch elder mode instead of pressing Done).
- A control that disables itself hands the focus to its neighbour on the same screen: A+ at the
  largest text gives it to A-, so the next Enter does not leave the screen; a paging button at the
  end of the list gives it to the words saying so, never to the button paging back.
- Paging ends visibly at both ends.
- Arrow keys move by position.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from tests.demo import MARGARET
from tests.e2e.conftest import KioskDriver
from ui.widgets import SPEECH_PROPERTY

LI_MEI = "payee_wf_limei"


def on_screen(driver: KioskDriver, screen_id: str, object_name: str) -> None:
    driver.wait_for(screen_id)
    focused = driver.focused()
    assert driver.window.screens[screen_id].isAncestorOf(focused), (screen_id, focused.objectName())
    assert focused.objectName() == object_name, (screen_id, focused.objectName())


def test_every_screen_starts_on_its_main_action_or_field(driver: KioskDriver) -> None:
    driver.wait_for("welcome")
    on_screen(driver, "welcome", "welcomeStart")
    driver.sign_in()
    on_screen(driver, "home", "shortcut_0")
    driver.activate("tile_send_payee")
    on_screen(driver, "send_payee", f"payee_{LI_MEI}")
    driver.enter()
    on_screen(driver, "amount", "amount")
    driver.type("20")
    driver.enter()
    on_screen(driver, "review", "reviewPay")
    driver.key(Qt.Key.Key_F1)
    on_screen(driver, "help", "helpDone")
    driver.activate("helpCallStaff")
    driver.wait_for("staff")
    assert driver.focused().objectName() == "navCallStaff"  # a stray Enter says it again, never stops the call
    # Nobody is at a staff console here: the helpline is given, and the customer may go on.
    driver.qtbot.waitUntil(lambda: driver.window.start_over_button.isEnabled(), timeout=2500)
    driver.activate("navStartOver")
    on_screen(driver, "home", "shortcut_0")
    driver.activate("tile_bill_biller")
    on_screen(driver, "bill_biller", "biller_electricity")
    driver.enter()
    on_screen(driver, "bill_number", "billNumber")
    driver.activate("navStartOver")
    driver.activate("tile_history")
    on_screen(driver, "history", "historyEarlier")


def rows(driver: KioskDriver) -> list[str]:
    return [row.accessibleName() for row in driver.window.screens["history"].row_widgets]


def press_and_wait_for_the_page(driver: KioskDriver) -> None:
    screen = driver.window.screens["history"]
    before = screen.page
    driver.enter()
    driver.qtbot.waitUntil(lambda: screen.page is not before and not driver.window.bridge.busy, timeout=5000)


def speech(widget: QWidget) -> str:
    return str(widget.property(SPEECH_PROPERTY))


def fully_in_view(widget: QWidget) -> bool:
    return widget.isVisible() and widget.visibleRegion().boundingRect() == widget.rect()


def test_history_pages_to_its_end_and_stops_there(driver: KioskDriver) -> None:
    driver.sign_in()  # Wang Fang: a year of history, five rows a page in elder mode
    driver.activate("tile_history")
    driver.wait_for("history")
    screen = driver.window.screens["history"]
    first_page = rows(driver)
    assert screen.end.isVisible() and screen.end.accessibleName() == "These are your newest records."
    pages = [first_page]
    while screen.earlier.isEnabled():  # Enter, Enter, Enter...: the focus stays on Earlier
        assert driver.focused() is screen.earlier
        press_and_wait_for_the_page(driver)
        pages.append(rows(driver))
        assert fully_in_view(screen.row_widgets[0])  # the first row is in view after paging...
        said = driver.speaker.texts[-1]
        assert " ".join(speech(screen.row_widgets[0]).split()) in said  # ...and said
        assert "RMB" not in said and "¥" not in said  # (its amount only once the customer asks to hear amounts)
        assert len(pages) < 20
    assert len(pages) >= 3 and len({tuple(p) for p in pages}) == len(pages)  # every page a new one
    # The end: Earlier is off, and the focus is on the words saying so, not on Newer.
    assert driver.focused() is screen.end
    assert screen.end.isVisible() and screen.end.accessibleName() == "These are your oldest records."
    assert "These are your oldest records." in driver.speaker.texts[-1]
    for _ in range(3):  # Enter again and again: nothing moves, no paging back and forth
        driver.enter()
        assert not driver.window.bridge.busy and rows(driver) == pages[-1]
    driver.tab_to("historyNewer")
    while screen.newer.isEnabled():  # and back to the newest, which says so too
        press_and_wait_for_the_page(driver)
    assert rows(driver) == first_page
    assert driver.focused() is screen.end
    assert screen.end.accessibleName() == "These are your newest records."


def test_arrow_keys_move_by_position_on_home(driver: KioskDriver) -> None:
    driver.sign_in(MARGARET.number, MARGARET.pin)  # no shortcuts yet: the core grid, two by two
    assert driver.focused().objectName() == "tile_balance"
    moves = [
        (Qt.Key.Key_Down, "tile_bill_biller"),  # under it, not "Send money" (next in the list)
        (Qt.Key.Key_Right, "tile_history"),
        (Qt.Key.Key_Up, "tile_send_payee"),
        (Qt.Key.Key_Left, "tile_balance"),
        (Qt.Key.Key_Left, "tile_balance"),  # the edge: stays
        (Qt.Key.Key_Right, "tile_send_payee"),
        (Qt.Key.Key_Right, "tile_send_payee"),
    ]
    for key, expected in moves:
        driver.key(key)
        assert driver.focused().objectName() == expected, (key, driver.focused().objectName())


def test_arrow_keys_move_between_the_strip_and_the_grid_by_position(driver: KioskDriver) -> None:
    driver.sign_in()  # Wang Fang: shortcuts under the grid, two a row
    assert driver.focused().objectName() == "shortcut_0"
    driver.key(Qt.Key.Key_Up)
    assert driver.focused().objectName() == "tile_bill_biller"  # the tile right above it
    driver.key(Qt.Key.Key_Right)
    driver.key(Qt.Key.Key_Down)
    assert driver.focused().objectName() == "shortcut_1"  # under "History", beside shortcut_0


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


def test_a_fault_in_the_key_handling_is_logged_and_the_kiosk_keeps_taking_keys(
    driver: KioskDriver, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Every event passes the window's filter; an error there must never reach Qt's event delivery."""
    driver.sign_in()
    driver.wait_for("home")

    def broken() -> None:
        raise RuntimeError("a fault while noting the customer's action")

    monkeypatch.setattr(driver.window, "user_acted", broken)
    with caplog.at_level("ERROR", logger="calmpay.ui"):
        driver.key(Qt.Key.Key_Tab)
    assert any(record.message == "event filter" and record.exc_info for record in caplog.records)
    monkeypatch.undo()
    driver.activate("tile_history")  # the kiosk still works
    driver.wait_for("history")
