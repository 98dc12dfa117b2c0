"""The bank's data as each customer reads it, end to end (the real window against the real mock API,
keyboard only): names in the customer's script, the currency always named, debits and credits in
words, a bill's month and due day, and an overdue bill said plainly."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtWidgets import QLabel

from client.settings import KioskSettings
from tests.demo import CHAN_MEILING, LI_MEI, LI_MEI_ELECTRICITY, WANG_FANG
from tests.e2e.conftest import KioskDriver
from tests.e2e.test_words import choose_language_and_sign_in


@pytest.fixture
def settings() -> KioskSettings:
    """An English kiosk that applies each customer's own language at sign-in (the product's default)."""
    return KioskSettings(elder_mode_default=True, default_language="en", customer_language=True)


def text_of(driver: KioskDriver, object_name: str) -> str:
    found = driver.window.findChild(QLabel, object_name)
    assert found is not None, object_name
    return found.text()


def find_bill(driver: KioskDriver, customer_number: str) -> str:
    driver.activate("tile_bill_biller")
    driver.wait_for("bill_biller")
    driver.activate("biller_electricity")
    driver.wait_for("bill_number")
    driver.type(customer_number)
    driver.enter()
    driver.wait_for("bill_found")
    return driver.window.screens["bill_found"].details.accessibleName()


def test_a_hong_kong_customer_reads_names_accounts_and_money_in_traditional_script(driver: KioskDriver) -> None:
    driver.wait_for("welcome")
    driver.activate("language_zh-Hant")
    driver.activate("welcomeStart")
    driver.wait_for("card")
    driver.qtbot.waitUntil(lambda: bool(driver.window.screens["card"].demo_buttons), timeout=5000)
    cards = " ".join(b.accessibleName() for b in driver.window.screens["card"].demo_buttons)
    assert "陳建" in cards and "劉洋" in cards and "陈建" not in cards  # the card list in her script
    driver.activate(f"demoCard_{CHAN_MEILING.number[-4:]}")
    driver.wait_for("pin")
    driver.type(CHAN_MEILING.pin)
    driver.enter()
    driver.wait_for("home")
    title = driver.window.screens["home"].title_text()
    assert "陳美玲" in title and "Chan" not in title
    driver.activate("tile_balance")
    driver.wait_for("balance")
    driver.qtbot.waitUntil(lambda: bool(driver.window.screens["balance"].row_widgets), timeout=5000)
    assert "往來戶口 尾號 0701" in text_of(driver, "balanceAccount_0701")  # not 「活期 Current」
    assert text_of(driver, "balanceAmount_0701") == "人民幣 25,000.00"  # never a bare 元: that is HK$ to her


def test_history_says_paid_out_and_paid_in_in_words_and_signs(driver: KioskDriver) -> None:
    choose_language_and_sign_in(driver, "en", WANG_FANG.number, WANG_FANG.pin)
    driver.activate("tile_history")
    driver.wait_for("history")
    screen = driver.window.screens["history"]
    driver.qtbot.waitUntil(lambda: bool(screen.page and screen.page.items), timeout=5000)
    amounts = [text_of(driver, f"historyAmount_{n}") for n in range(len(screen.page.items))]
    assert amounts and all(a.startswith(("Paid out -RMB ", "Paid in +RMB ")) for a in amounts)
    for item, amount in zip(screen.page.items, amounts, strict=True):
        assert amount.startswith("Paid out") == (item.amount_minor < 0)


@pytest.mark.parametrize(
    ("language", "when"),
    [
        ("en", "March 2026 bill, due 25 March"),
        ("zh-Hans", "2026年3月账单，3月25日前缴费"),
        ("zh-Hant", "2026年3月賬單，請於3月25日或之前繳費"),
    ],
)
def test_a_bill_says_its_month_and_due_day_as_the_customer_reads_them(
    driver: KioskDriver, language: str, when: str
) -> None:
    choose_language_and_sign_in(driver, language, LI_MEI.number, LI_MEI.pin)  # the bank's clock: 11 March 2026
    details = find_bill(driver, LI_MEI_ELECTRICITY.customer_number)
    assert details.endswith(when)
    assert "2026-03" not in details  # no ISO dates


def test_an_unpaid_bill_after_its_due_day_is_said_to_be_overdue(driver: KioskDriver) -> None:
    driver.api.advance_clock(timedelta(days=15).total_seconds())  # the bank's 26 March: a day after the due day
    choose_language_and_sign_in(driver, "en", LI_MEI.number, LI_MEI.pin)
    details = find_bill(driver, LI_MEI_ELECTRICITY.customer_number)
    assert details.endswith("March 2026 bill. Overdue: it was due by 25 March.")
