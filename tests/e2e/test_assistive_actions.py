"""What assistive technology does is what the customer does.

The inactivity guard counts it as the customer acting, and the PIN field keeps the digits it
types aside as it does typed ones.

Switch access, voice control and a screen reader's commands act on the controls themselves through
Qt's accessibility interfaces ("Press" clicks a button, text entry sets a field's text, "SetFocus"
moves the focus): no key or mouse event reaches the window. Each must start the quiet spell again,
and so must every new screen, or a customer who walks away leaves their account open.
(tests/e2e/test_idle_atspi.py does the same over the real AT-SPI bus, in a kiosk of its own.)
"""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleActionInterface
from PySide6.QtWidgets import QWidget

from tests.demo import WANG_FANG
from tests.e2e.conftest import KioskDriver

LI_MEI = "payee_wf_limei"


def accessible(widget: QWidget) -> QAccessible:
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return interface


def press(widget: QWidget) -> None:
    """What an assistive technology's "Press" does: Qt's accessible action, no input event."""
    actions = accessible(widget).actionInterface()
    assert actions is not None and QAccessibleActionInterface.pressAction() in actions.actionNames()
    actions.doAction(QAccessibleActionInterface.pressAction())


def test_accessibility_actions_and_new_screens_start_the_quiet_spell_again(driver: KioskDriver) -> None:
    window = driver.window
    timer = window.idle_timer
    driver.sign_in()
    window.idle_timer.stop()  # the customer has been quiet for a while

    press(window.findChild(QWidget, "tile_send_payee"))
    driver.wait_for("send_payee")
    assert timer.isActive(), "a new screen reached by an accessibility action"

    timer.stop()
    press(window.findChild(QWidget, f"payee_{LI_MEI}"))
    driver.wait_for("amount")
    assert timer.isActive()

    amount = window.screens["amount"].amount
    timer.stop()
    press(window.screens["amount"].keypad.keys["2"])  # the on-screen keypad, by switch access
    driver.qtbot.waitUntil(lambda: amount.text() == "2")
    assert timer.isActive(), "a keypad key pressed through its accessible action"

    timer.stop()
    accessible(amount).editableTextInterface().insertText(1, "00")  # text entry, by voice control
    assert amount.text() == "200"
    assert timer.isActive(), "text entered through the accessible editable text"

    timer.stop()
    actions = accessible(window.back_button).actionInterface()
    actions.doAction(QAccessibleActionInterface.setFocusAction())
    assert window.back_button.hasFocus()
    assert timer.isActive(), "the focus moved by an accessibility action"


def test_a_customer_who_acts_only_through_assistive_technology_is_signed_out_after_walking_away(
    driver: KioskDriver,
) -> None:
    window = driver.window
    window.settings = window.settings.__class__(idle_seconds=1, warning_seconds=20, default_language="en")
    window.countdown_timer.setInterval(5)  # the real countdown, run fast: 20 ticks
    driver.sign_in()
    window.idle_timer.stop()
    press(window.findChild(QWidget, "tile_send_payee"))
    driver.wait_for("send_payee")
    press(window.findChild(QWidget, f"payee_{LI_MEI}"))
    driver.wait_for("amount")
    accessible(window.screens["amount"].amount).editableTextInterface().insertText(0, "88")
    # Then nothing: the warning comes, nobody answers, and the half-typed payment is gone.
    driver.qtbot.waitUntil(window.idle_panel.isVisible, timeout=5000)
    # Covering the screen moves the focus: that is not the customer, the warning counts on.
    assert not window.idle_timer.isActive()
    driver.qtbot.waitUntil(lambda: window.current_id == "welcome", timeout=5000)
    assert window.visit is None
    assert window.screens["amount"].amount.text() == ""
    assert not window.idle_timer.isActive() and not window.countdown_timer.isActive()


def test_a_pin_entered_by_voice_control_is_kept_aside_and_signs_in(driver: KioskDriver) -> None:
    """AT-SPI text entry sets the field's text directly, past the PIN field's own typing: the digits
    were left in the field's text (readable by anything that reads it) and the PIN stayed empty."""
    driver.wait_for("welcome")
    driver.activate("welcomeStart")
    driver.wait_for("card")
    driver.activate(f"demoCard_{WANG_FANG.number[-4:]}")
    driver.wait_for("pin")
    pin = driver.window.screens["pin"].pin
    editable = accessible(pin).editableTextInterface()
    editable.insertText(0, WANG_FANG.pin[:2])
    assert (pin.text(), pin.digits()) == ("**", WANG_FANG.pin[:2])
    editable.insertText(2, "9")
    editable.deleteText(2, 3)  # a slip, taken back
    editable.insertText(2, WANG_FANG.pin[2:])
    assert (pin.text(), pin.digits()) == ("****", WANG_FANG.pin)
    said = accessible(pin).textInterface().text(0, 4) + accessible(pin).text(QAccessible.Text.Value)
    assert not any(char.isdigit() for char in said)
    driver.enter()
    driver.wait_for("home")
    assert pin.text() == "" and pin.digits() == ""
