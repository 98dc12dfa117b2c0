"""The plugin's customer (calmpay.testing.driver) on the real window and bank: each action in plain
words does what it says, by keyboard."""

from __future__ import annotations

import pytest

from calmpay.testing import kiosk as kiosk_module
from calmpay.testing.bank import Bank
from calmpay.testing.driver import Customer
from calmpay.testing.kiosk import Recorder
from tests.demo import WANG_FANG


def test_paying_a_bill_and_reading_the_screen(customer: Customer) -> None:
    assert customer.sign_in(WANG_FANG.number, WANG_FANG.pin) == "home"
    reading = customer.read_screen()
    assert (reading.screen, reading.title) == ("home", "Hello, Wang Fang")
    assert reading.says("Pay a bill") and reading.focused
    before = customer.check_balance()
    assert customer.pay_bill("electricity", "1234567890") == "result"
    assert customer.read_screen().says("State Grid Electricity")
    paid = {account: before[account] - after for account, after in customer.check_balance().items()}
    assert sorted(paid.values())[0] == 0 and sorted(paid.values())[1] > 0  # one account paid the bill
    customer.sign_out()
    assert customer.window.current_id in ("goodbye", "welcome") and customer.window.visit is None


def test_a_safety_check_is_answered_in_plain_words(customer: Customer, calmpay_bank: Bank) -> None:
    assert customer.sign_in(WANG_FANG.number, WANG_FANG.pin) == "home"
    assert customer.send("303.03", to="Li Mei") == "risk"  # the magic amount: "is this you, at this hour?"
    assert customer.read_screen().focused == "riskDontPay"  # the safe choice comes first
    assert customer.answer_safety_check("dont_pay") != "risk"
    assert customer.send("303.03", to="Li Mei") == "risk"
    assert customer.answer_safety_check("understand") == "result"  # "I understand", then Continue
    assert customer.read_screen().says("303.03")


def test_a_long_test_keeps_the_pictures_of_its_last_screens(
    customer: Customer, calmpay_recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kiosk_module, "SCREENSHOTS_KEPT", 3)
    customer.sign_in(WANG_FANG.number, WANG_FANG.pin)
    customer.check_balance()
    customer.qtbot.waitUntil(lambda: len(calmpay_recorder.trace.screens()) >= 5)  # welcome, card, PIN, home, balance
    screens = calmpay_recorder.trace.screens()
    assert [step.image_png is not None for step in screens][-3:] == [True] * 3
    assert sum(step.image_png is not None for step in screens) == 3  # the older ones keep their words only
    assert screens[0].text.startswith("welcome · ")
