"""Every risk reason end to end: the real window, the real mock API, the documented magic values.
Each check: the right explanation shows, it is spoken in full, the safe choice has the focus, and
choosing it leaves the money where it was."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from client.security.catalog import load_catalog
from mock_api import risk as bank_risk
from tests.demo import CHEN_JIAN, WANG_FANG, ZHAO_MIN
from tests.e2e.conftest import KioskDriver
from ui.screens.security import RiskScreen

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


def answer_purpose(driver: KioskDriver, purpose: str = "rent") -> None:
    screen = driver.window.screens["risk"]
    assert screen.asking_purpose
    assert driver.focused().objectName() == "riskDontPay"  # the safe choice comes first, even here
    spoken = driver.speaker.utterances[-1]
    assert spoken.priority == "safety" and "What is this payment for?" in spoken.text
    # The reason comes first: "We ask because ..." is said, and shown, before the question.
    assert spoken.text.index("We ask because") < spoken.text.index("What is this payment for?")
    assert driver.window.instruction.accessibleName().startswith("We ask because")
    driver.activate(f"purpose_{purpose}")
    driver.qtbot.waitUntil(lambda: not driver.window.bridge.busy, timeout=8000)  # the bank judges the answer


def answer_follow_up(driver: KioskDriver, question: str, yes: bool) -> None:
    """The bank's follow-up: its reason first, the safe choice focused, then a yes or a no."""
    screen = driver.window.screens["risk"]
    assert screen.payment.risk.follow_up == question
    asked = CATALOG.question(question, "en")
    spoken = driver.speaker.utterances[-1]
    assert spoken.priority == "safety" and f"{asked.because} {asked.question}" in spoken.text
    assert driver.window.instruction.accessibleName() == asked.because
    assert screen.body.accessibleName() == asked.question
    assert driver.focused().objectName() == "riskDontPay"
    assert not any(b.isVisible() for b in screen.purpose_buttons.values())  # one question on the screen
    driver.activate("followUp_yes" if yes else "followUp_no")
    driver.qtbot.waitUntil(lambda: not driver.window.bridge.busy, timeout=8000)


def assert_prompt(driver: KioskDriver, code: str) -> None:
    """The explanation shows, is spoken in full as a safety warning, and the safe choice has focus."""
    window = driver.window
    assert window.current_id in ("risk", "stop")
    assert headline(code) in window.title.accessibleName()
    # The last safety warning (what follows it may be that staff were asked to come: client.help).
    warning = [u for u in driver.speaker.utterances if u.priority == "safety"][-1]
    assert warning.text.startswith(" ".join(speech(code).split()))
    safe = "navCallStaff" if window.current_id == "stop" else "riskDontPay"
    assert driver.focused().objectName() == safe
    driver.key(Qt.Key.Key_Tab)
    assert not warning.interrupted  # a key press does not cut a safety warning short


def choose_safe_and_check_nothing_moved(driver: KioskDriver, before: int) -> None:
    driver.key(Qt.Key.Key_Backtab)
    assert driver.focused().objectName() in ("riskDontPay", "navCallStaff")
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
    if code == "very_large_amount":  # the hold is said once, with its time: not in the explanation too
        assert "arrive" not in risk.body.accessibleName()
        warning = [u for u in driver.speaker.utterances if u.priority == "safety"][-1]
        assert warning.text.count("will arrive") == 1
    if amount == "20000" or code == "very_large_amount":
        assert not risk.code.isVisible()  # one step at a time: the code comes after the warning
        assert risk.continue_.text() != risk.understand.text()
    assert not risk.continue_.isEnabled() or "acknowledge" not in risk.payment.risk.requires  # second step first
    choose_safe_and_check_nothing_moved(driver, before)


def test_a_payee_reported_for_scams_is_stopped_with_staff_one_tap_away(driver: KioskDriver) -> None:
    driver.api.sign_in(WANG_FANG.number, WANG_FANG.pin)
    check = driver.api.name_check(SCAM_ACCOUNT, "Safe Wealth Service Centre")
    scam = driver.api.add_payee(SCAM_ACCOUNT, "Safe Wealth Service Centre", name_check_id=check.name_check_id)
    driver.api.sign_out()
    before = balance(driver)
    to_review(driver, scam.id, "800")
    driver.wait_for("stop")
    assert_prompt(driver, "payee_reported_scam")
    take_card = driver.window.screens["stop"].take_card  # an ending, like every other
    assert take_card.isVisibleTo(driver.window) and "take your card" in take_card.accessibleName()
    choose_safe_and_check_nothing_moved(driver, before)
    assert driver.window.current_id == "staff"  # one tap: help is on the way


def test_the_answers_are_neutral_words(driver: KioskDriver) -> None:
    to_review(driver, ZHANG_WEI, "3000")
    driver.wait_for("risk")
    screen = driver.window.screens["risk"]
    shown = [b.text() for b in screen.purpose_buttons.values() if b.isVisible()]
    assert shown == list(CATALOG.question("purpose", "en").answers.values())
    assert not any("phone" in text or "safe" in text.lower() or "told" in text for text in shown)


@pytest.mark.parametrize(
    ("purpose", "follow_ups", "stop"),
    [
        ("prize_or_refund", [], "purpose_prize_or_refund"),
        ("own_account", [("someone_asked", True)], "purpose_safe_account"),  # the coached answer
        ("own_account", [("someone_asked", False), ("in_your_name", False)], "purpose_safe_account"),
        ("investment", [("met_online", True)], "purpose_investment"),
        ("bills_goods", [("only_online", True)], "purpose_buying_online"),
        ("family_friends", [("new_number", True)], "purpose_new_number"),
    ],
)
def test_scam_script_answers_stop_the_payment_with_a_tailored_explanation(
    driver: KioskDriver, purpose: str, follow_ups: list[tuple[str, bool]], stop: str
) -> None:
    before = balance(driver)
    to_review(driver, ZHANG_WEI, "3000")
    driver.wait_for("risk")
    answer_purpose(driver, purpose)
    for question, yes in follow_ups:
        answer_follow_up(driver, question, yes)
    driver.wait_for("stop")
    assert_prompt(driver, stop)
    assert balance(driver) == before
    driver.api.sign_in(WANG_FANG.number, WANG_FANG.pin)
    assert driver.api.payments(status="requires_action") == []  # the bank stopped the payment
    driver.api.sign_out()


@pytest.mark.parametrize(("purpose", "stop"), [("other", "purpose_scam_script"), ("prize_or_refund", None)])
def test_the_bank_alone_judges_the_answer_when_it_is_given(
    driver: KioskDriver, monkeypatch: pytest.MonkeyPatch, purpose: str, stop: str | None
) -> None:
    # This bank's rules are not the kiosk's words: "other" is a scam script here, "prize_or_refund" is not.
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
    warning = [u for u in driver.speaker.utterances if u.priority == "safety"][-1]
    assert speech(code).split()[0] in warning.text
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


def test_an_honest_own_account_answer_goes_on_to_the_warning(driver: KioskDriver) -> None:
    before = balance(driver)
    to_review(driver, ZHANG_WEI, "3000")
    driver.wait_for("risk")
    answer_purpose(driver, "own_account")
    answer_follow_up(driver, "someone_asked", False)
    answer_follow_up(driver, "in_your_name", True)
    assert driver.window.current_id == "risk"
    assert_prompt(driver, "new_payee")
    choose_safe_and_check_nothing_moved(driver, before)


def test_why_am_i_seeing_this_shows_its_paragraph_in_large_print(driver: KioskDriver) -> None:
    to_review(driver, ZHANG_WEI, "3000")
    driver.wait_for("risk")
    answer_purpose(driver, "own_account")
    answer_follow_up(driver, "someone_asked", True)
    driver.wait_for("stop")
    stop = driver.window.screens["stop"]
    paragraph = CATALOG.prompt("purpose_safe_account", "en").why_seeing
    driver.activate("stopWhyToggle")
    assert stop.why.text.isVisible() and stop.why.text.accessibleName() == paragraph
    assert not stop.body.isVisible()  # in place of the explanation: in view, not below it
    assert not stop.why.text.visibleRegion().isEmpty()
    assert stop.why.text.font().pointSizeF() >= 22  # elder mode: at least the body's size
    assert driver.speaker.utterances[-1].text == " ".join(paragraph.split())  # and it is said
    # "Please hang up" is never the smallest text on the stop screen.
    sizes = [w.font().pointSizeF() for w in (stop.body, stop.can_do, driver.window.instruction) if w.isVisible()]
    assert "hang up" in stop.can_do.accessibleName() and stop.can_do.font().pointSizeF() >= max(sizes)


def phone_code(text: str) -> str:
    match = re.search(r"(?<!\d)(\d{6})(?!\d)", text)
    assert match, text
    return match.group(1)


def test_the_code_step_by_enter_only(driver: KioskDriver) -> None:
    """Focus in the field, "Look at my phone" gives it back, Enter sends the code; a resend counts down."""
    before = balance(driver)
    to_review(driver, WANG_QIANG, "20000")  # large: a code to the phone
    driver.wait_for("risk")
    answer_purpose(driver, "rent")
    risk = driver.window.screens["risk"]
    driver.activate("riskUnderstand")  # the warning's deliberate second step
    driver.activate("riskContinue")
    assert risk.step == "code"
    # The countdown runs on the kiosk's ticks: the test sends them itself, the wall clock sends none.
    risk.resend_timer.setInterval(24 * 3600 * 1000)
    # One clear action: no two buttons with one label, none of them a disabled twin.
    buttons = [b for b in risk.findChildren(QPushButton) if b.isVisible()]
    assert len({b.text() for b in buttons}) == len(buttons)
    assert not risk.understand.isVisible() and risk.continue_.isEnabled()
    assert risk.continue_.text() == CATALOG.prompt("verification_code", "en").proceed_action
    # Arrival: the field has the focus, the code is explained once, the countdown is shown and said.
    assert driver.focused() is risk.code
    said = driver.speaker.utterances[-1].text
    assert said.startswith(" ".join(speech("verification_code").split()))
    assert "In 30 seconds you can ask for a new one." in said
    assert not risk.hold.isVisible() and not risk.can_do.isVisible()
    assert risk.resend.text() == "Send the code again in 0:30" and not risk.resend.isEnabled()
    # "Look at my phone": the text is on the demo phone, then the focus is back in the field.
    driver.tab_to("riskShowPhone")
    driver.enter()
    driver.qtbot.waitUntil(lambda: risk.phone.isVisible() and not driver.window.bridge.busy, timeout=8000)
    assert driver.focused() is risk.code
    first = phone_code(risk.phone.accessibleName())
    for _ in range(29):  # 29 seconds of ticks
        risk.resend_timer.timeout.emit()
    assert risk.resend.text() == "Send the code again in 0:01" and not risk.resend.isEnabled()
    risk.resend_timer.timeout.emit()
    assert risk.resend.isEnabled() and risk.resend.text() == "Send the code again"
    assert driver.speaker.utterances[-1].text == "No code yet? You can now ask for a new one."
    driver.activate("riskResend")
    driver.qtbot.waitUntil(lambda: not driver.window.bridge.busy, timeout=8000)
    assert driver.focused() is risk.code
    assert not risk.resend.isEnabled() and risk.resend.text() == "Send the code again in 0:30"
    driver.tab_to("riskShowPhone")
    driver.enter()
    driver.qtbot.waitUntil(lambda: risk.phone.isVisible() and not driver.window.bridge.busy, timeout=8000)
    code = phone_code(risk.phone.accessibleName())
    assert code != first or len(code) == 6
    # Digits typed now go into the field, and Enter sends them: a short code is explained first.
    driver.type(code[:3])
    driver.enter()
    assert risk.error.isVisible() and driver.focused() is risk.code and driver.window.current_id == "risk"
    driver.type(code[3:])
    assert risk.code.text() == code
    driver.enter()
    driver.wait_for("result")
    assert balance(driver) == before - 2_000_000


def test_the_phone_text_is_in_the_customers_language(driver: KioskDriver) -> None:
    """Wang Fang reads Simplified Chinese: the text on her phone is Chinese, whatever the kiosk shows."""
    to_review(driver, WANG_QIANG, "20000")
    driver.wait_for("risk")
    answer_purpose(driver, "rent")
    driver.activate("riskUnderstand")
    driver.activate("riskContinue")
    risk = driver.window.screens["risk"]
    driver.tab_to("riskShowPhone")
    driver.enter()
    driver.qtbot.waitUntil(lambda: risk.phone.isVisible() and not driver.window.bridge.busy, timeout=8000)
    text = risk.phone.accessibleName()
    assert "验证码" in text and "元" in text and "yuan" not in text


def test_an_answer_once_given_stands_after_going_back(driver: KioskDriver) -> None:
    """A coached customer who sees the follow-up, goes back and tries another answer is told so."""
    before = balance(driver)
    to_review(driver, ZHANG_WEI, "3000")
    driver.wait_for("risk")
    answer_purpose(driver, "own_account")
    assert driver.window.screens["risk"].payment.risk.follow_up == "someone_asked"
    driver.key(Qt.Key.Key_Escape)  # Back
    driver.wait_for("review")
    driver.enter()  # Pay again: the same payment, not a second one
    driver.wait_for("risk")
    answer_purpose(driver, "rent")
    risk = driver.window.screens["risk"]
    assert risk.error.isVisible() and "already answered" in risk.error.accessibleName()
    assert risk.asking_purpose and driver.window.current_id == "risk"
    assert balance(driver) == before


def to_the_code_step(driver: KioskDriver) -> RiskScreen:
    """A 20,000.00 payment to Wang Qiang, on to the code step (the countdown on the test's ticks)."""
    to_review(driver, WANG_QIANG, "20000")  # large: a code to the phone
    driver.wait_for("risk")
    answer_purpose(driver, "rent")
    driver.activate("riskUnderstand")
    driver.activate("riskContinue")
    risk: RiskScreen = driver.window.screens["risk"]  # type: ignore[assignment]
    assert risk.step == "code"
    risk.resend_timer.setInterval(24 * 3600 * 1000)
    return risk


def newest_code(driver: KioskDriver, risk: RiskScreen) -> str:
    risk.read_phone()
    driver.qtbot.waitUntil(lambda: risk.phone.isVisible() and not driver.window.bridge.busy, timeout=8000)
    return phone_code(risk.phone.accessibleName())


def assert_stopped_for_the_code(driver: KioskDriver, payment_id: str, before: int, what_happened: str) -> None:
    """The result, not the code step: what happened, that no money moved, what to do; said too."""
    driver.wait_for("result")
    result = driver.window.screens["result"]
    shown = result.outcome.accessibleName()
    assert shown.startswith(what_happened)
    assert "No money has left your account." in shown
    assert "You can start the payment again, or press Call staff for help." in shown
    assert driver.window.title.accessibleName() == "Payment not made"
    assert shown in " ".join(driver.speaker.utterances[-1].text.split())
    assert driver.focused() is result.done  # one press back home, to start again
    assert not result.receipt.isVisible() and not result.cancel_hold.isVisible()
    driver.api.sign_in(WANG_FANG.number, WANG_FANG.pin)
    assert driver.api.payment(payment_id).status == "cancelled"
    driver.api.sign_out()
    assert balance(driver) == before


def test_too_many_wrong_codes_are_explained_and_end_the_code_step(driver: KioskDriver) -> None:
    before = balance(driver)
    risk = to_the_code_step(driver)
    payment_id = risk.payment.id
    code = int(newest_code(driver, risk))
    for attempt in range(3):  # three different wrong codes (the same one again would be the same request)
        risk.code.setFocus()
        driver.type(f"{(code + 1 + attempt) % 10**6:06d}")
        driver.enter()
        driver.qtbot.waitUntil(lambda: not driver.window.bridge.busy, timeout=8000)
        if attempt < 2:
            assert driver.window.current_id == "risk" and risk.error.isVisible()
    assert_stopped_for_the_code(
        driver, payment_id, before, "The code was wrong too many times, so we stopped this payment."
    )


def test_one_new_code_too_many_is_explained_and_ends_the_code_step(driver: KioskDriver) -> None:
    before = balance(driver)
    risk = to_the_code_step(driver)
    payment_id = risk.payment.id
    for _ in range(4):  # three new codes, then one more ask
        for _ in range(30):  # the wait before "Send the code again", in the kiosk's ticks
            risk.resend_timer.timeout.emit()
        assert driver.window.current_id == "risk" and risk.resend.isEnabled()
        driver.activate("riskResend")
        driver.qtbot.waitUntil(lambda: not driver.window.bridge.busy, timeout=8000)
    assert_stopped_for_the_code(
        driver, payment_id, before, "We cannot send more codes for this payment, so we stopped it."
    )


def test_a_payment_cancelled_meanwhile_ends_the_code_step_at_its_result(driver: KioskDriver) -> None:
    """Cancelled while the code step waits (here from another place): a code sent now finds nothing
    waiting, and the kiosk shows the payment as the bank has it instead of staying on the code step."""
    before = balance(driver)
    risk = to_the_code_step(driver)
    code = newest_code(driver, risk)
    driver.api.sign_in(WANG_FANG.number, WANG_FANG.pin)
    driver.api.cancel_payment(risk.payment.id)
    driver.api.sign_out()
    risk.code.setFocus()
    driver.type(code)
    driver.enter()
    driver.wait_for("result")
    result = driver.window.screens["result"]
    assert result.outcome.accessibleName().startswith("Nothing was paid.")
    assert driver.window.title.accessibleName() == "Payment not made"
    assert balance(driver) == before
