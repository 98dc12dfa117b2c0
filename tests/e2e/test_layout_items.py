"""Visits leave no wrapper of a layout item (an item of a widget or a spacer) behind. PySide keeps
each one it hands out for as long as its layout lives, and Qt deletes the item without telling
Python when its widget leaves the layout (the bill's biller buttons, at every sign-out): a wrapper
left behind answered for the next object made at the same address (the window's event filter was
handed a "QWidgetItem" for a widget, and deleting a button crashed the kiosk after some customers
had paid a bill), and hundreds piled up with every customer."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLayoutItem

from tests.demo import LI_MEI
from tests.e2e.conftest import KioskDriver


def layout_item_wrappers() -> int:
    return sum(
        isinstance(wrapper, QLayoutItem) and not isinstance(wrapper, QObject)
        for wrapper in shiboken6.getAllValidWrappers()
    )


def visit_with_a_bill_number_too_short(driver: KioskDriver) -> None:
    driver.sign_in_past_offer(LI_MEI.number, LI_MEI.pin)  # the last visit's bill is offered: declined
    driver.activate("tile_bill_biller")  # its buttons are made for this visit, in a grid
    driver.wait_for("bill_biller")
    driver.activate("biller_gas")
    driver.wait_for("bill_number")
    driver.type("12")
    driver.enter()  # too short: the problem is placed above the field, among the screen's items
    assert driver.window.screens["bill_number"].error.isVisible()
    driver.window.end_visit("signed_out")
    driver.wait_for("goodbye")
    driver.activate("goodbyeStart")
    driver.wait_for("welcome")


def test_visits_leave_no_layout_item_wrappers_behind(driver: KioskDriver) -> None:
    visit_with_a_bill_number_too_short(driver)
    after_one = layout_item_wrappers()
    for _ in range(3):
        visit_with_a_bill_number_too_short(driver)
    assert layout_item_wrappers() == after_one
