"""Every field of the kiosk, fed any text a customer could type or paste (hypothesis), in the real
window against the real mock API: no exception anywhere, a clear message for what cannot be used,
and nothing sent to the bank that should not be.

One window per test (the ``driver`` fixture), brought to its field once and reset for each example.
What reaches the bank is recorded on the kiosk's own HTTP client, as it goes on the wire. The kiosk
has no scanner or QR input; a pasted text stands for any text that arrives in one go."""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit

from client import inputs
from tests.e2e.conftest import KioskDriver
from tests.e2e.test_flows import LI_MEI

# 25 examples a field in CI (seconds); CALMPAY_FUZZ_EXAMPLES=500 for a deeper run by hand.
EXAMPLES = settings(
    max_examples=int(os.environ.get("CALMPAY_FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# As tests/unit/test_input_fuzz.py, shorter: each example is typed into a real window.
ODD_CHARACTERS = st.sampled_from(
    [
        *"0123456789０１２３４５６７８９٠١٢٣¹²①½〇一二三十百万零壹.,。-−+¥￥元 \t\x00\x1b\x7f",
        "\u00a0",
        "\u3000",
        "\u200b",
        "\u200e",
        "\u200f",
        "\u202e",
        "\u2066",
        "\ufeff",
        "😀",
        "👍🏽",
        "\U0001d7ce",
    ]
)
TEXT = st.one_of(
    st.text(max_size=30),  # any code point, lone surrogates included
    st.lists(ODD_CHARACTERS, max_size=30).map("".join),
    st.builds(lambda s, n: s * n, st.sampled_from(["9", "１", "王", "😀", "\u202e"]), st.integers(100, 2000)),
)
HOW = st.sampled_from(["typed", "pasted"])


@dataclass
class Wire:
    """Every request the kiosk sends, as it goes on the wire: (method, path, JSON body)."""

    sent: list[tuple[str, str, object]] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> None:
        body = json.loads(request.content) if request.content else None
        self.sent.append((request.method, request.url.path, body))

    def to(self, path: str) -> list[object]:
        return [body for method, sent_path, body in self.sent if method == "POST" and sent_path == path]


@pytest.fixture
def wire(driver: KioskDriver) -> Iterator[Wire]:
    recorder = Wire()
    client = driver.window.kiosk.api._http  # the kiosk's own client: what it sends is what the bank gets
    client.event_hooks = {"request": [recorder], "response": []}
    yield recorder


@pytest.fixture(autouse=True)
def nothing_goes_wrong_unseen(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """The window logs what it catches (a bridge job's bug, an event filter's error): none may happen."""
    yield
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith("calmpay")]
    assert errors == [], [r.getMessage() for r in errors]


def enter_text(driver: KioskDriver, edit: QLineEdit, text: str, how: str) -> None:
    """Put ``text`` into ``edit`` as a customer would: typed key by key (an input method commits
    what a keyboard has no key for), or pasted at once with Ctrl+V."""
    edit.setFocus()
    if how == "pasted":
        QApplication.clipboard().setText(text)
        driver.qtbot.keySequence(edit, QKeySequence.StandardKey.Paste)
        return
    for char in text:
        if char.isascii() and char.isprintable():
            driver.qtbot.keyClicks(edit, char)
        else:
            event = QInputMethodEvent()
            event.setCommitString(char)
            QApplication.sendEvent(edit, event)


def reset(driver: KioskDriver, screen_id: str, edit: QLineEdit) -> None:
    if driver.window.current_id != screen_id:
        driver.key(Qt.Key.Key_Escape)
        driver.wait_for(screen_id)
    edit.clear()
    driver.window.screens[screen_id].hide_error()


def shown_problem(driver: KioskDriver, screen_id: str) -> str:
    error = driver.window.screens[screen_id].error
    return error.accessibleName() if error.isVisible() else ""


def to_amount(driver: KioskDriver) -> QLineEdit:
    driver.sign_in()
    driver.activate("tile_send_payee")
    driver.wait_for("send_payee")
    driver.activate(f"payee_{LI_MEI}")
    driver.wait_for("amount")
    return driver.window.screens["amount"].amount


def test_the_amount_field(driver: KioskDriver, wire: Wire) -> None:
    amount = to_amount(driver)
    balance = driver.window.visit.main_account.balance_minor  # type: ignore[union-attr]

    @EXAMPLES
    @given(text=TEXT, how=HOW)
    @example(text="١٠٠", how="typed")
    @example(text="9" * 2000, how="pasted")
    def check(text: str, how: str) -> None:
        reset(driver, "amount", amount)
        wire.sent.clear()
        enter_text(driver, amount, text, how)
        assert len(amount.text()) <= amount.maxLength()
        driver.enter()
        if driver.window.current_id == "review":  # taken: a real amount, within what she has
            chosen = driver.window.visit.send.amount_minor  # type: ignore[union-attr]
            assert chosen is not None and 0 < chosen <= balance
        else:
            assert shown_problem(driver, "amount")  # said in plain words
        assert wire.to("/v1/payments") == []  # nothing is paid before the review's Pay

    check()


def test_the_card_number_and_the_pin(driver: KioskDriver, wire: Wire) -> None:
    driver.wait_for("welcome")
    driver.activate("welcomeStart")
    driver.wait_for("card")
    number = driver.window.screens["card"].number

    @EXAMPLES
    @given(text=TEXT, how=HOW)
    @example(text="６２２２０２００００００００００１", how="typed")
    def card(text: str, how: str) -> None:
        reset(driver, "card", number)
        enter_text(driver, number, text, how)
        typed = number.text()
        number.setFocus()
        driver.enter()
        if driver.window.current_id == "pin":  # a number of the right length: on to the PIN
            card_number = driver.window.screens["pin"].card_number
            assert re.fullmatch(r"[0-9]{12,19}", card_number) and card_number == inputs.digits(typed)
        else:
            assert shown_problem(driver, "card")

    card()
    reset(driver, "card", number)
    enter_text(driver, number, "6222020000000001", "typed")
    driver.enter()
    driver.wait_for("pin")
    pin = driver.window.screens["pin"].pin

    @EXAMPLES
    @given(text=TEXT, how=HOW)
    @example(text="²", how="typed")  # a superscript digit once raised inside Qt's key handling
    @example(text="１２", how="typed")
    def pin_field(text: str, how: str) -> None:
        pin.clear()
        wire.sent.clear()
        enter_text(driver, pin, text, how)
        digits = pin.digits()
        assert re.fullmatch(r"[0-9]{0,6}", digits)  # kept as the bank reads it, never more than six
        assert set(pin.text()) <= {pin.text()[:1]} and len(pin.text()) == len(digits)  # the field shows masks only
        if how == "pasted":
            assert digits == ""  # pasting into the PIN is off
        if len(digits) < 4:  # (a full PIN would be a sign-in attempt: a wrong one counts against the card)
            pin.setFocus()
            driver.enter()
            assert shown_problem(driver, "pin") and wire.to("/v1/sessions") == []

    pin_field()


def test_the_new_person_account_number_and_name(driver: KioskDriver, wire: Wire) -> None:
    driver.sign_in()
    driver.activate("tile_send_payee")
    driver.wait_for("send_payee")
    driver.activate("sendAddPayee")
    driver.wait_for("add_payee")
    screen = driver.window.screens["add_payee"]

    @EXAMPLES
    @given(account=TEXT, name=TEXT, how=HOW)
    @example(account="６２２２０３００００００１００２", name="Liu Fang", how="typed")
    @example(account="6222030000001002", name="\u200f\u200b", how="typed")  # nothing to read
    @example(account="6222030000001002", name="\x00\x1b", how="pasted")
    def check(account: str, name: str, how: str) -> None:
        reset(driver, "add_payee", screen.account)
        screen.name.clear()
        wire.sent.clear()
        enter_text(driver, screen.account, account, how)
        enter_text(driver, screen.name, name, how)
        screen.name.setFocus()
        driver.enter()  # check the name
        driver.qtbot.waitUntil(lambda: not driver.window.bridge.busy, timeout=8000)
        checks = wire.to("/v1/payees/name-check")
        assert wire.to("/v1/payees") == []  # nothing is saved without the customer's Yes
        if not checks:
            assert shown_problem(driver, "add_payee")
            return
        [sent] = checks
        assert isinstance(sent, dict)
        assert re.fullmatch(r"[0-9]{12,19}", sent["account_number"])
        assert sent["account_number"] == inputs.digits(screen.account.text())
        assert inputs.name_problem(sent["name"]) is None  # a name with something to read
        assert sent["name"] == inputs.clean_name(screen.name.text())  # no control or direction characters
        assert screen.outcome is not None or shown_problem(driver, "add_payee")  # an answer, or why not

    check()


def test_the_bill_customer_number(driver: KioskDriver, wire: Wire) -> None:
    driver.sign_in()
    driver.activate("tile_bill_biller")
    driver.wait_for("bill_biller")
    driver.activate("biller_electricity")
    driver.wait_for("bill_number")
    number = driver.window.screens["bill_number"].number

    @EXAMPLES
    @given(text=TEXT, how=HOW)
    @example(text="１２３４５６７８９０", how="typed")
    def check(text: str, how: str) -> None:
        reset(driver, "bill_number", number)
        wire.sent.clear()
        enter_text(driver, number, text, how)
        typed = number.text()
        number.setFocus()
        driver.enter()
        driver.qtbot.waitUntil(lambda: not driver.window.bridge.busy, timeout=8000)
        lookups = wire.to("/v1/bills/lookup")
        if not lookups:
            assert shown_problem(driver, "bill_number")
            return
        [sent] = lookups
        assert isinstance(sent, dict)
        assert re.fullmatch(r"[0-9]{6,12}", sent["customer_number"]) and sent["customer_number"] == inputs.digits(typed)
        assert driver.window.current_id == "bill_found" or shown_problem(driver, "bill_number")

    check()


def test_the_one_time_code(driver: KioskDriver, wire: Wire) -> None:
    from tests.e2e.test_security import WANG_QIANG, answer_purpose, to_review

    to_review(driver, WANG_QIANG, "20000")  # large: a code to the phone
    driver.wait_for("risk")
    answer_purpose(driver, "rent")
    risk = driver.window.screens["risk"]
    driver.activate("riskUnderstand")
    driver.activate("riskContinue")
    assert risk.step == "code"

    @EXAMPLES
    @given(text=TEXT, how=HOW)
    @example(text="１２３", how="typed")
    def check(text: str, how: str) -> None:
        risk.code.clear()
        risk.hide_error()
        wire.sent.clear()
        enter_text(driver, risk.code, text, how)
        code = inputs.one_time_code(risk.code.text())
        if len(code) == 6 and code.isascii() and code.isdigit():
            return  # a well-formed code would be checked by the bank: a wrong one counts against the payment
        risk.code.setFocus()
        driver.enter()
        assert shown_problem(driver, "risk") and [path for _m, path, _b in wire.sent if "confirm" in path] == []

    check()
