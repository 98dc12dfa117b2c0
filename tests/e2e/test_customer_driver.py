"""The plugin's customer (calmpay.testing.driver) on the real window and bank: each action in plain
words does what it says, by keyboard."""

from __future__ import annotations

from calmpay.testing.bank import Bank
from calmpay.testing.driver import Customer
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
