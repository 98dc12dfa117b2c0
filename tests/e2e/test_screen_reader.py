"""What a screen reader gets, without one: the accessible tree Qt gives it and the announcements
handed to Qt's accessibility bridge (scripts/orca-check.sh checks the same with Orca itself).

- On arrival, a screen is an accessible group named title, result or problem, instruction, and the
  focus is inside it, so a screen reader reads the name with the focused control.
- Errors and results are Qt accessibility announcements (QAccessibleAnnouncementEvent).
- The PIN field never holds the digits: no text, value or event of it can carry them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QApplication, QWidget

import ui.accessibility
from tests.demo import WANG_FANG, ZHAO_MIN
from tests.e2e.conftest import KioskDriver

LI_MEI = "payee_wf_limei"


@pytest.fixture
def announced(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, bool]]]:
    """Every announcement handed to Qt's accessibility bridge: (message, assertive)."""
    heard: list[tuple[str, bool]] = []
    post = ui.accessibility.post

    def record(event: QAccessibleAnnouncementEvent) -> None:
        assert event.type() == QAccessible.Event.Announcement
        heard.append((event.message(), event.politeness() == QAccessible.AnnouncementPoliteness.Assertive))
        post(event)  # and on to Qt, as in the kiosk

    monkeypatch.setattr(ui.accessibility, "post", record)
    yield heard


def group_of(screen: QWidget) -> tuple[QAccessible.Role, str]:
    interface = QAccessible.queryAccessibleInterface(screen)
    assert interface is not None
    return interface.role(), interface.text(QAccessible.Text.Name)


def assert_arrived(driver: KioskDriver, screen_id: str, *expected: str) -> str:
    """The screen on view is a named group that holds the focus; its name says ``expected``."""
    driver.wait_for(screen_id)
    screen = driver.window.screens[screen_id]
    role, name = group_of(screen)
    assert role == QAccessible.Role.Grouping
    assert name.startswith(screen.title_text())
    assert screen.instruction_text() in name
    for text in expected:
        assert text in name
    assert screen.isAncestorOf(QApplication.focusWidget())
    return name


def test_each_screen_of_sending_money_is_named_for_the_screen_reader_with_the_focus_inside(
    driver: KioskDriver, announced: list[tuple[str, bool]]
) -> None:
    driver.sign_in()
    assert_arrived(driver, "home", "Wang Fang")
    driver.activate("tile_send_payee")
    assert_arrived(driver, "send_payee")
    driver.activate(f"payee_{LI_MEI}")
    assert_arrived(driver, "amount")
    driver.type("200")
    driver.enter()
    assert_arrived(driver, "review")
    assert driver.focused().objectName() == "reviewPay"
    driver.enter()
    name = assert_arrived(driver, "result", "RMB 200.00 has been sent to Li Mei.")
    assert name.index("Done.") < name.index("RMB 200.00") < name.index("What would you like")
    # Only the screen on view is named: the ones left behind say nothing any more.
    assert group_of(driver.window.screens["review"])[1] == ""
    # The focused control is the screen reader's to read: the kiosk does not announce it again.
    before = list(announced)
    driver.key(Qt.Key.Key_Tab)
    assert announced == before


def test_an_error_is_announced_to_assistive_technology(driver: KioskDriver, announced: list[tuple[str, bool]]) -> None:
    driver.sign_in()
    driver.activate("tile_send_payee")
    driver.wait_for("send_payee")
    driver.activate(f"payee_{LI_MEI}")
    driver.wait_for("amount")
    announced.clear()
    driver.type("0")
    driver.enter()
    error = driver.window.screens["amount"].error
    driver.qtbot.waitUntil(error.isVisible)
    assert error.accessibleName() and "more than zero" in error.accessibleName()
    assert [message for message, _ in announced if "more than zero" in message]
    # and as a notification shown anew, for screen readers that take no announcements (Orca 43)
    live = driver.window.screen_reader.live
    interface = QAccessible.queryAccessibleInterface(live)
    assert interface is not None and interface.role() == QAccessible.Role.Notification
    assert live.isVisible() and "more than zero" in interface.text(QAccessible.Text.Name)
    driver.key(Qt.Key.Key_Escape)  # a new screen: the notice is cleared
    driver.wait_for("send_payee")
    assert not live.isVisible() and live.accessibleName() == ""


def test_a_screen_whose_focus_is_outside_it_is_announced(
    driver: KioskDriver, announced: list[tuple[str, bool]]
) -> None:
    driver.wait_for("welcome")
    driver.activate("welcomeStart")
    driver.wait_for("card")
    driver.activate(f"demoCard_{ZHAO_MIN.number[-4:]}")  # a locked card: the reader keeps it
    driver.wait_for("pin")
    driver.type(ZHAO_MIN.pin)
    driver.enter()
    driver.wait_for("card_kept")
    screen = driver.window.screens["card_kept"]
    assert driver.focused() is driver.window.call_staff_control()  # outside the screen's group
    assert any(message.startswith(screen.title_text()) for message, _ in announced)


def test_the_pin_field_never_holds_the_digits_and_the_keypad_never_names_them(
    driver: KioskDriver, announced: list[tuple[str, bool]]
) -> None:
    driver.wait_for("welcome")
    driver.activate("welcomeStart")
    driver.wait_for("card")
    driver.activate(f"demoCard_{WANG_FANG.number[-4:]}")
    driver.wait_for("pin")
    screen = driver.window.screens["pin"]
    pin = screen.pin
    driver.type(WANG_FANG.pin[:3])
    screen.keypad.keys[WANG_FANG.pin[3]].click()  # the last digit on the on-screen keypad
    interface = QAccessible.queryAccessibleInterface(pin)
    assert interface is not None
    assert interface.role() == QAccessible.Role.EditableText and interface.state().passwordEdit  # "password text"
    said = [
        pin.text(),
        pin.displayText(),
        interface.text(QAccessible.Text.Value),
        interface.text(QAccessible.Text.Name),
        interface.textInterface().text(0, interface.textInterface().characterCount()),
    ]
    assert pin.text() == "****"
    assert not any(ch.isdigit() for text in said for ch in text)
    for key, widget in screen.keypad.keys.items():
        assert not any(ch.isdigit() for ch in widget.accessibleName() + widget.accessibleDescription()), key
    assert [message for message, _ in announced if "entered" in message] == [
        "1 digit entered",
        *(f"{count} digits entered" for count in (2, 3, 4)),
    ]
    driver.key(Qt.Key.Key_Backspace)  # one digit back, then the right one again
    assert pin.text() == "***"
    driver.type(WANG_FANG.pin[3])
    driver.enter()  # the digits kept aside are the PIN that signs in
    driver.wait_for("home")
    assert pin.text() == "" and pin.digits() == ""
