"""Every risk reason end to end: the real window, the real mock API, the documented magic values.
Each check: the right explanation shows, it is spoken in full, the safe choice has the focus, and
choosing it leaves the money where it was."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt

from client.security.catalog import load_catalog
from mock_api import risk as bank_risk
from tests.demo import CHEN_JIAN, WANG_FANG, ZHAO_MIN
from tests.e2e.conftest import KioskDriver

CATALOG = load_catalog()
LI_MEI, WANG_QIANG, ZHANG_WEI = "payee_wf_limei", "payee_wf_wangqiang", "payee_wf_zhangwei"
SCAM_ACCOUNT = "6222030000006666"


def headline(code: str, **params: object) -> str:
    return CATALOG.prompt(code, "en", **params).headline


def speech(code: str) -> str:
    return CATALOG.prompt(code, "en").speech


def balance(driver: KioskDriver) -> int:
    driver.api.sign_in(WANG_FANG.number, WANG_FANG.pin)
    total = sum(a.balance_minor for a in driver.api.accounts())
    driver.api.sign_out()
    return total


def pay_from_api(driver: KioskDriver, payee_id: str, amount_minor: int, times: int = 1) -> None:
    driver.api.sign_in(WANG_FANG.number, WANG_FANG.pin)
    account = driver.api.accounts()[0].id
    for n in range(times):  # different amounts, so they are not possible duplicates of each other
        payment = driver.api.create_payment(from_account_id=account, amount_minor=amount_minor + n, payee_id=payee_id)
        assert payment.status == "completed", payment
    driver.api.sign_out()


def to_review(driver: KioskDriver, payee_id: str, amount: str) -> None:
    driver.sign_in()
    driver.activate("tile_send_payee")
    driver.wait_for("send_payee")
    driver.activate(f"payee_{payee_id}")
    driver.wait_for("amount")
    driver.type(amount)
    driver.enter()
    driver.wait_for("review")
    driver.enter()  # Pay


def answer_purpose(driver: KioskDriver, purpose: str = "family_friends") -> None:
    screen = driver.window.screens["risk"]
    assert screen.asking_purpose
    assert driver.focused().objectName() == "riskDontPay"  # the safe choice comes first, even here
    spoken = driver.speaker.utterances[-1]
    assert spoken.priority == "safety" and "What is this payment for?" in spoken.text
    driver.activate(f"purpose_{purpose}")
    driver.qtbot.waitUntil(lambda: not driver.window.bridge.busy, timeout=8000)  # the bank judges the answer


def assert_prompt(driver: KioskDriver, code: str) -> None:
    """The explanation shows, is spoken in full as a safety warning, and the safe choice has focus."""
    window = driver.window
    assert window.current_id in ("risk", "stop")
    assert headline(code) in window.title.accessibleName()
    warning = driver.speaker.utterances[-1]
    assert warning.priority == "safety" and warning.text == " ".join(speech(code).split())
    safe = "stopCallStaff" if window.current_id == "stop" else "riskDontPay"
    assert driver.focused().objectName() == safe
    driver.key(Qt.Key.Key_Tab)
    assert not warning.interrupted  # a key press does not cut a safety warning short


def choose_safe_and_check_nothing_moved(driver: KioskDriver, before: int) -> None:
    driver.key(Qt.Key.Key_Backtab)
    assert driver.focused().objectName() in ("riskDontPay", "stopCallStaff")
    driver.enter()
    driver.qtbot.waitUntil(lambda: driver.window.current_id in ("result", "staff"), timeout=8000)
    driver.qtbot.waitUntil(lambda: not driver.window.bridge.busy, timeout=8000)
    assert balance(driver) == before


Setup = Callable[[KioskDriver], None]


@pytest.mark.parametrize(
    ("code", "payee", "amount", "setup", "asks_purpose"),
    [
        ("new_payee", ZHANG_WEI, "50", None, True),
        ("large_amount", WANG_QIANG, "5000", None, True),  # confirm
        ("large_amount", WANG_QIANG, "20000", None, True),  # step-up: a code to the phone
        ("very_large_amount", LI_MEI, "50000.01", None, True),  # held 2 hours
        ("unusual_time", LI_MEI, "303.03", None, False),  # the magic amount
        ("rapid_repeats", LI_MEI, "12", lambda d: pay_from_api(d, LI_MEI, 1_100, times=3), False),
        ("possible_duplicate", LI_MEI, "123", lambda d: pay_from_api(d, LI_MEI, 12_300), False),
    ],
)
def test_each_risk_reason_is_explained_spoken_and_safe_by_default(
    driver: KioskDriver, code: str, payee: str, amount: str, setup: Setup | None, asks_purpose: bool
) -> None:
    if setup is not None:
        setup(driver)
    before = balance(driver)
    to_review(driver, payee, amount)
    driver.wait_for("risk")
    if asks_purpose:
        answer_purpose(driver)
    assert_prompt(driver, code)
    risk = driver.window.screens["risk"]
    if code == "very_large_amount":
        assert "120 minutes" in risk.hold.accessibleName() or "2 hours" in risk.hold.accessibleName()
    if amount == "20000" or code == "very_large_amount":
        assert risk.code.isVisible()  # the one-time code, explained without jargon
        assert "code" in risk.code_text.accessibleName().lower()
    assert not risk.continue_.isEnabled() or "acknowledge" not in risk.payment.risk.requires  # second step first
    choose_safe_and_check_nothing_moved(driver, before)


def test_a_payee_reported_for_scams_is_stopped_with_staff_one_tap_away(driver: KioskDriver) -> None:
    driver.api.sign_in(WANG_FANG.number, WANG_FANG.pin)
    scam = driver.api.add_payee(SCAM_ACCOUNT, "Safe Wealth Service Centre")
    driver.api.sign_out()
    before = balance(driver)
    to_review(driver, scam.id, "800")
    driver.wait_for("stop")
    assert_prompt(driver, "payee_reported_scam")
    choose_safe_and_check_nothing_moved(driver, before)
    assert driver.window.current_id == "staff"  # one tap: help is on the way


@pytest.mark.parametrize("purpose", ["safe_account", "prize_or_refund", "investment"])
def test_scam_script_answers_stop_the_payment_with_a_tailored_explanation(driver: KioskDriver, purpose: str) -> None:
    before = balance(driver)
    to_review(driver, ZHANG_WEI, "3000")
    driver.wait_for("risk")
    answer_purpose(driver, purpose)
    driver.wait_for("stop")
    assert_prompt(driver, f"purpose_{purpose}")
    assert balance(driver) == before
    driver.api.sign_in(WANG_FANG.number, WANG_FANG.pin)
    assert driver.api.payments(status="requires_action") == []  # the bank stopped the payment
    driver.api.sign_out()


@pytest.mark.parametrize(("purpose", "stop"), [("other", "purpose_scam_script"), ("investment", None)])
def test_the_bank_alone_judges_the_answer_when_it_is_given(
    driver: KioskDriver, monkeypatch: pytest.MonkeyPatch, purpose: str, stop: str | None
) -> None:
    # This bank's rules are not the kiosk's words: "other" is a scam script here, "investment" is not.
    monkeypatch.setattr(bank_risk, "SCAM_PURPOSES", frozenset({"other"}))
    before = balance(driver)
    to_review(driver, ZHANG_WEI, "3000")
    driver.wait_for("risk")
    screen = driver.window.screens["risk"]
    payment_id = screen.payment.id
    answer_purpose(driver, purpose)
    driver.api.sign_in(WANG_FANG.number, WANG_FANG.pin)
    at_bank = driver.api.payment(payment_id)  # before any final confirm: the bank has the answer
    driver.api.sign_out()
    assert at_bank.purpose == purpose
    if stop is not None:
        driver.wait_for("stop")
        assert_prompt(driver, stop)  # no words written for this answer: the general scam stop
        assert at_bank.status == "blocked" and at_bank.risk.reasons == ["purpose_scam_script"]
        assert balance(driver) == before
        return
    assert driver.window.current_id == "risk" and not screen.asking_purpose  # step two, as the bank said
    assert at_bank.status == "requires_action" and "purpose" not in at_bank.risk.requires
    assert_prompt(driver, "new_payee")
    choose_safe_and_check_nothing_moved(driver, before)


def test_continuing_past_a_warning_needs_a_deliberate_second_step(driver: KioskDriver) -> None:
    before = balance(driver)
    to_review(driver, LI_MEI, "303.03")
    driver.wait_for("risk")
    risk = driver.window.screens["risk"]
    assert not risk.continue_.isEnabled()
    driver.activate("riskUnderstand")  # step one: "I have checked, I want to pay"
    assert risk.continue_.isEnabled()
    driver.activate("riskContinue")  # step two
    driver.wait_for("result")
    assert balance(driver) == before - 30_303


def test_a_known_payee_and_a_small_amount_get_no_warning_at_all(driver: KioskDriver) -> None:
    to_review(driver, LI_MEI, "88")
    driver.wait_for("result")
    assert all(u.priority == "normal" for u in driver.speaker.utterances)


def test_a_held_payment_can_be_cancelled_from_home_until_it_arrives(driver: KioskDriver) -> None:
    before = balance(driver)
    to_review(driver, ZHANG_WEI, "1500")  # first payment to a new payee: a 15-minute cooling-off
    driver.wait_for("risk")
    answer_purpose(driver)
    risk = driver.window.screens["risk"]
    assert "15 minutes" in risk.hold.accessibleName()
    driver.activate("riskUnderstand")
    driver.activate("riskContinue")
    driver.wait_for("result")
    assert driver.window.screens["result"].cancel_hold.isVisible()
    driver.activate("resultDone")
    driver.wait_for("home")
    payment = driver.window.kiosk.visit.held[0]  # type: ignore[union-attr]
    assert balance(driver) == before - 150_000
    driver.activate(f"cancelHeld_{payment.id}")
    driver.wait_for("result")
    assert "Nothing was paid" in driver.window.screens["result"].outcome.accessibleName()
    assert balance(driver) == before
    driver.api.sign_in(WANG_FANG.number, WANG_FANG.pin)
    contact = [n for n in driver.api.request("GET", "/v1/admin/notifications") if n["kind"] == "held_payment_contact"]
    assert contact and contact[0]["recipient_name"] == "李梅 Li Mei"  # the trusted contact was told
    driver.api.sign_out()


def test_a_name_that_does_not_match_puts_the_safe_choice_first(driver: KioskDriver) -> None:
    driver.sign_in()
    driver.activate("tile_send_payee")
    driver.wait_for("send_payee")
    driver.activate("sendAddPayee")
    driver.wait_for("add_payee")
    driver.type("6222030000001001")
    driver.enter()
    driver.type("Li Na")
    driver.enter()
    screen = driver.window.screens["add_payee"]
    driver.qtbot.waitUntil(lambda: screen.result.isVisible() and not driver.window.bridge.busy, timeout=5000)
    assert CATALOG.prompt("name_no_match", "en").what_happened in screen.result.accessibleName()
    assert driver.focused().objectName() == "payeeDontSave"


@pytest.mark.parametrize(
    ("card", "pin", "code"),
    [(ZHAO_MIN.number, ZHAO_MIN.pin, "card_locked"), (CHEN_JIAN.number, CHEN_JIAN.pin, "account_frozen")],
)
def test_sign_in_problems_are_explained_calmly(driver: KioskDriver, card: str, pin: str, code: str) -> None:
    driver.wait_for("welcome")
    driver.activate("welcomeStart")
    driver.wait_for("card")
    driver.activate(f"demoCard_{card[-4:]}")
    driver.wait_for("pin")
    driver.type(pin)
    driver.enter()
    driver.wait_for("card_kept")  # the PIN step is over for this card
    screen = driver.window.screens["card_kept"]
    assert CATALOG.prompt(code, "en").what_happened in screen.body.accessibleName()
    assert speech(code).split()[0] in driver.speaker.texts[-1]
    assert driver.focused().objectName() == "navCallStaff"


def test_pressing_continue_again_after_a_lost_answer_pays_once(driver: KioskDriver) -> None:
    before = balance(driver)
    to_review(driver, LI_MEI, "303.03")
    driver.wait_for("risk")
    driver.activate("riskUnderstand")
    retries = driver.window.kiosk.api.retries
    driver.api.set_faults(drop_next_responses=retries + 1)  # paid at the bank; every answer to it lost
    driver.activate("riskContinue")
    risk = driver.window.screens["risk"]
    driver.qtbot.waitUntil(lambda: risk.error.isVisible() and not driver.window.bridge.busy, timeout=10_000)
    assert driver.window.current_id == "risk"
    driver.activate("riskContinue")  # the customer presses again: the same request, replayed
    driver.wait_for("result")
    assert "has been sent" in driver.window.screens["result"].outcome.accessibleName()
    assert balance(driver) == before - 30_303  # the money moved once


def test_pressing_cancel_again_after_a_lost_answer_gives_the_money_back_once(driver: KioskDriver) -> None:
    before = balance(driver)
    to_review(driver, ZHANG_WEI, "1500")  # a new payee: held for a cooling-off time
    driver.wait_for("risk")
    answer_purpose(driver)
    driver.activate("riskUnderstand")
    driver.activate("riskContinue")
    driver.wait_for("result")
    assert balance(driver) == before - 150_000
    driver.api.set_faults(drop_next_responses=driver.window.kiosk.api.retries + 1)
    driver.activate("resultCancelHold")
    result = driver.window.screens["result"]
    driver.qtbot.waitUntil(lambda: result.error.isVisible() and not driver.window.bridge.busy, timeout=10_000)
    driver.activate("resultCancelHold")  # again: replayed, not refused as already cancelled
    driver.qtbot.waitUntil(
        lambda: "Nothing was paid" in result.outcome.accessibleName() and not driver.window.bridge.busy, timeout=8000
    )
    assert balance(driver) == before
