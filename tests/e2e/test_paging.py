"""A screen too long for the window opens at its first part, where it starts, never at a later one."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QApplication, QLabel

from devtools.staging import settle
from tests.e2e.conftest import KioskDriver


def test_a_long_screen_opens_at_its_first_part_and_next_part_leads_to_its_main_control(driver: KioskDriver) -> None:
    window = driver.window
    window.set_theme(replace(window.theme, text_pt=34))
    window.resize(1024, 768)
    driver.sign_in()
    pager, home = window.pager, window.screens["home"]
    main = home.first_focus()
    assert len(pager.parts) >= 2 and pager.part_of(main) > 0  # Wang Fang's shortcuts sit below the tiles
    # She meets Home from its top: the four tasks in view, and "Next part" ready for Enter.
    assert pager.index == 0
    assert pager.part_of(home.tiles["balance"]) == 0
    assert driver.focused() is pager.next_button
    while driver.focused() is pager.next_button:
        driver.enter()
    assert driver.focused() is main  # turned to its part, the main control has the focus
    assert pager.index == pager.part_of(main)
    assert window.runner.bridge.busy is False and QApplication.focusWidget() is main
    window.go("home", remember=False)  # a flow that ends on Home again (e.g. a held payment cancelled there)
    driver.wait_for("home")  # met from its top again, not at the part where the focus was
    assert pager.index == 0 and driver.focused() is pager.next_button


def test_a_field_keeps_the_focus_on_a_long_screen_so_typed_digits_land_in_it(driver: KioskDriver) -> None:
    window = driver.window
    window.set_theme(replace(window.theme, text_pt=34))
    window.resize(1024, 768)
    driver.sign_in()
    driver.activate("tile_send_payee")
    driver.wait_for("send_payee")
    driver.activate("payee_payee_wf_limei")
    driver.wait_for("amount")
    amount = window.screens["amount"].amount
    assert driver.focused() is amount
    driver.type("200")
    assert amount.text() == "200"
    assert window.pager.part_of(amount) == window.pager.index  # in view while typed into


def test_an_account_and_its_balance_are_always_on_the_same_part(driver: KioskDriver) -> None:
    window = driver.window
    window.resize(1024, 768)
    driver.sign_in()
    driver.activate("tile_balance")
    driver.wait_for("balance")
    pager, screen = window.pager, window.screens["balance"]
    for text_pt in (22, 28, 34):
        window.set_theme(replace(window.theme, text_pt=text_pt))
        settle(window)  # laid out and cut into parts anew
        assert window.kiosk.visit is not None and len(window.kiosk.visit.accounts) >= 2
        for account in window.kiosk.visit.accounts:
            name = screen.findChild(QLabel, f"balanceAccount_{account.number_last4}")
            amount = screen.findChild(QLabel, f"balanceAmount_{account.number_last4}")
            assert name is not None and amount is not None
            assert pager.part_of(name) == pager.part_of(amount), (text_pt, account.number_last4)
