"""Words, amounts and endings, end to end: the real window against the real mock API, keyboard only.

Amounts echoed in words (大写金额, English words) while typing and on the review; digits grouped as
they are typed; a paid bill worded as a bill in the customer's language; the held result with its
day and time and how to cancel; "take your card" on every ending; the customer's own language at
sign-in."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from client.i18n import Translator
from client.settings import KioskSettings
from client.voice.spoken import spoken_date
from tests.demo import CHAN_MEILING, MARGARET, WANG_FANG, DemoCard
from tests.e2e.conftest import KioskDriver
from tests.e2e.test_security import ZHANG_WEI, answer_purpose

LI_MEI = "payee_wf_limei"
EN = Translator("en")


@pytest.fixture
def settings() -> KioskSettings:
    """An English kiosk that applies each customer's own language at sign-in (the product's default)."""
    return KioskSettings(elder_mode_default=True, default_language="en", customer_language=True)


def choose_language_and_sign_in(driver: KioskDriver, language: str, card: str, pin: str) -> None:
    """The customer picks a language on the Welcome screen, then signs in."""
    driver.wait_for("welcome")
    driver.activate(f"language_{language}")
    driver.activate("welcomeStart")
    driver.wait_for("card")
    driver.activate(f"demoCard_{card[-4:]}")
    driver.wait_for("pin")
    driver.type(pin)
    driver.enter()
    driver.wait_for("home")


def to_amount(driver: KioskDriver) -> None:
    driver.activate("tile_send_payee")
    driver.wait_for("send_payee")
    driver.activate(f"payee_{LI_MEI}")
    driver.wait_for("amount")


def said(driver: KioskDriver) -> str:
    return " ".join(u.text for u in driver.speaker.utterances)


# --- the customer's own language ------------------------------------------------------------------


def test_margaret_brown_gets_english_at_a_chinese_kiosk(driver: KioskDriver) -> None:
    window = driver.window
    window.settings = replace(window.settings, default_language="zh-Hans")
    window.end_visit("signed_out")  # the kiosk as the next customer finds it: in Chinese
    driver.activate("goodbyeStart")
    assert window.t.language == "zh-Hans"
    driver.sign_in(MARGARET.number, MARGARET.pin)
    assert window.t.language == "en"
    assert window.title.accessibleName() == EN("home.title", name="Margaret Brown")
    assert driver.speaker.utterances[-1].language == "en"  # the home screen is said in English too
    driver.activate("homeSignOut")
    driver.wait_for("goodbye")
    assert window.t.language == "en"  # her goodbye is hers, in English
    driver.activate("goodbyeStart")
    driver.wait_for("welcome")
    assert window.t.language == "zh-Hans"  # the next customer starts from the kiosk's language


def assert_goodbye_in(driver: KioskDriver, language: str, take_card: str) -> None:
    """The goodbye screen, shown and spoken, wholly in ``language``."""
    window, t = driver.window, Translator(language)
    goodbye = window.screens["goodbye"]
    assert window.t.language == language
    assert window.title.accessibleName() == t("goodbye.title")
    assert goodbye.take_card.accessibleName() == t("goodbye.take_card") == take_card
    assert goodbye.not_paid.accessibleName() == t("goodbye.not_paid")
    assert goodbye.again.text() == t("goodbye.next_customer")
    spoken = driver.speaker.utterances[-1]
    assert spoken.language == language and take_card in spoken.text


@pytest.mark.parametrize(
    ("card", "take_card"),
    [(CHAN_MEILING, "請取回您的銀行卡。"), (MARGARET, "Please take your card.")],
    ids=["zh-Hant", "en"],
)
def test_the_goodbye_is_in_the_language_of_the_visit_that_ended(
    driver: KioskDriver, card: DemoCard, take_card: str
) -> None:
    window = driver.window
    window.settings = replace(window.settings, default_language="zh-Hans")  # a Mainland kiosk
    window.end_visit("signed_out")
    driver.activate("goodbyeStart")
    driver.sign_in(card.number, card.pin)  # in the customer's own language
    language = window.t.language
    assert language != "zh-Hans"
    driver.activate("homeSignOut")
    driver.wait_for("goodbye")
    assert_goodbye_in(driver, language, take_card)
    driver.activate("goodbyeStart")  # only the next welcome is the kiosk's again
    driver.wait_for("welcome")
    assert window.t.language == "zh-Hans" and window.title.accessibleName() == "欢迎使用安心付"
    assert driver.speaker.utterances[-1].language == "zh-Hans"


def test_the_goodbye_keeps_the_look_of_the_visit_and_the_next_welcome_the_kiosks(driver: KioskDriver) -> None:
    window = driver.window  # elder mode by default
    choose_language_and_sign_in(driver, "zh-Hant", WANG_FANG.number, WANG_FANG.pin)
    driver.activate("elderModeToggle")  # she reads standard mode
    assert not window.theme.elder
    driver.activate("homeSignOut")
    driver.wait_for("goodbye")
    assert not window.theme.elder
    assert_goodbye_in(driver, "zh-Hant", "請取回您的銀行卡。")
    driver.activate("goodbyeStart")
    driver.wait_for("welcome")
    assert window.theme.elder and window.t.language == "en"


def test_a_language_chosen_on_the_welcome_screen_wins_over_the_customers_own(driver: KioskDriver) -> None:
    choose_language_and_sign_in(driver, "zh-Hant", MARGARET.number, MARGARET.pin)
    assert driver.window.t.language == "zh-Hant"


def test_each_customer_gets_their_own_language(driver: KioskDriver) -> None:
    driver.sign_in(CHAN_MEILING.number, CHAN_MEILING.pin)
    assert driver.window.t.language == "zh-Hant"
    driver.activate("homeSignOut")
    driver.wait_for("goodbye")
    driver.activate("goodbyeStart")
    driver.sign_in()  # Wang Fang
    assert driver.window.t.language == "zh-Hans"


# --- amounts in words and grouped digits ----------------------------------------------------------


def test_the_amount_is_grouped_and_echoed_in_words_as_it_is_typed(driver: KioskDriver) -> None:
    choose_language_and_sign_in(driver, "en", WANG_FANG.number, WANG_FANG.pin)
    to_amount(driver)
    screen = driver.window.screens["amount"]
    assert screen.words.accessibleName() == ""  # nothing typed, nothing to read
    driver.type("1234")
    assert screen.amount.text() == "1,234"
    assert screen.words.accessibleName() == "In words: one thousand two hundred and thirty-four yuan"
    assert screen.words.isVisible()
    driver.type(".５")  # a full-width digit, as a Chinese keyboard types it
    assert screen.amount.text() == "1,234.5"
    assert screen.words.accessibleName() == "In words: one thousand two hundred and thirty-four yuan and fifty fen"
    driver.key(Qt.Key.Key_Home)
    driver.type("2")  # at the start: the cursor stays after the digit just typed
    assert screen.amount.text() == "21,234.5" and screen.amount.cursorPosition() == 1
    driver.key(Qt.Key.Key_Right, times=2)  # now just after the comma
    assert screen.amount.cursorPosition() == 3
    driver.key(Qt.Key.Key_Backspace)  # deleting the comma deletes the digit before it: 21,234.5 -> 2,234.5
    assert screen.amount.text() == "2,234.5" and screen.amount.cursorPosition() == 1
    driver.key(Qt.Key.Key_End)
    driver.type("6")
    assert screen.amount.text() == "2,234.56"
    assert driver.speaker.utterances and "thirty" not in said(driver)  # amounts are private until asked
    driver.enter()
    driver.wait_for("review")
    assert driver.window.kiosk.visit.send.amount_minor == 223_456  # type: ignore[union-attr]
    review = driver.window.screens["review"]
    words = "In words: two thousand two hundred and thirty-four yuan and fifty-six fen"
    assert review.words.accessibleName() == words and review.words.isVisible()


def test_chinese_customers_read_the_amount_in_capital_numerals(driver: KioskDriver) -> None:
    driver.sign_in()  # Wang Fang: 简体中文, her own language
    to_amount(driver)
    screen = driver.window.screens["amount"]
    driver.type("307.6")
    assert screen.words.accessibleName() == "人民币大写：叁佰零柒元陆角整"
    driver.enter()
    driver.wait_for("review")
    assert driver.window.screens["review"].words.accessibleName() == "人民币大写：叁佰零柒元陆角整"


def test_traditional_chinese_uses_the_traditional_forms(driver: KioskDriver) -> None:
    choose_language_and_sign_in(driver, "zh-Hant", WANG_FANG.number, WANG_FANG.pin)
    to_amount(driver)
    driver.type("10000")
    screen = driver.window.screens["amount"]
    assert screen.amount.text() == "10,000"
    assert screen.words.accessibleName() == "人民幣大寫：壹萬元整"


def test_the_amount_is_spoken_in_words_once_the_customer_asked_to_hear_amounts(driver: KioskDriver) -> None:
    choose_language_and_sign_in(driver, "en", WANG_FANG.number, WANG_FANG.pin)
    driver.activate("tile_balance")
    driver.wait_for("balance")
    driver.activate("balanceReadAloud")
    driver.key(Qt.Key.Key_Escape)
    driver.wait_for("home")
    to_amount(driver)
    driver.type("307.6")
    assert driver.speaker.utterances[-1].text == "three hundred seven yuan sixty"


# --- bills, holds and endings ---------------------------------------------------------------------


def test_a_paid_bill_is_worded_as_a_bill_in_the_customers_language(driver: KioskDriver) -> None:
    driver.sign_in()  # Wang Fang, in 简体中文
    driver.activate("tile_bill_biller")
    driver.wait_for("bill_biller")
    driver.activate("biller_electricity")
    driver.wait_for("bill_number")
    driver.type("1234567890")
    driver.enter()
    driver.wait_for("bill_found")
    driver.activate("billContinue")
    driver.wait_for("review")
    summary = driver.window.screens["review"].summary.accessibleName()
    assert "户号：1234567890" in summary and "国家电网电费" in summary  # which bill is being paid
    driver.enter()
    driver.wait_for("result")
    result = driver.window.screens["result"]
    text = result.outcome.accessibleName()
    assert text.startswith("您已缴纳国家电网电费 ¥")  # the currency named as mainland readers expect
    assert "转" not in text and "State Grid" not in text  # not the transfer verb, not the English name
    assert result.outcome.property("role") == "success"
    spoken = said(driver)
    assert "您已缴纳国家电网电费。" in spoken and "请退出，并取回您的银行卡" in spoken
    assert result.take_card.isVisible() and "取回您的银行卡" in result.take_card.accessibleName()
    assert driver.window.screens["result"].done.text() == "回到我的首页"
    driver.activate("resultReceipt")
    driver.wait_for("receipt")
    lines = driver.window.screens["receipt"].text
    assert "收款人: 国家电网电费" in lines
    assert "State Grid" not in lines  # the receipt too, on screen and on paper


def test_the_held_result_says_held_until_when_and_how_to_cancel(driver: KioskDriver) -> None:
    choose_language_and_sign_in(driver, "en", WANG_FANG.number, WANG_FANG.pin)
    driver.activate("tile_send_payee")
    driver.wait_for("send_payee")
    driver.activate(f"payee_{ZHANG_WEI}")
    driver.wait_for("amount")
    driver.type("1500")  # a first payment to a new payee: held for 15 minutes
    driver.enter()
    driver.wait_for("review")
    driver.enter()  # Pay
    driver.wait_for("risk")
    answer_purpose(driver)
    driver.activate("riskUnderstand")
    driver.activate("riskContinue")
    driver.wait_for("result")
    window = driver.window
    result = window.screens["result"]
    payment = result.params["payment"]
    assert payment.status == "held" and payment.hold_until is not None
    assert window.title.accessibleName() == "Payment on hold"  # not "Done"
    assert result.outcome.property("role") == "info"  # not the green of money that has gone
    when = f"{EN.date(payment.hold_until)} at {EN.time(payment.hold_until)}"
    text = result.outcome.accessibleName()
    assert f"It will be sent on {when}." in text
    assert "has not been sent yet" in text and '"Cancel this payment"' in text
    assert result.cancel_hold.isVisible()
    spoken = said(driver)
    assert spoken_date(payment.hold_until, "en") in spoken and "on hold" in spoken
    assert "take your card" in spoken
    assert result.done.text() == "Back to my home screen"


KEPT = "What you had not finished was not paid. It is kept for your next visit."


def test_sign_out_says_take_your_card_and_that_nothing_unfinished_was_paid(driver: KioskDriver) -> None:
    choose_language_and_sign_in(driver, "en", WANG_FANG.number, WANG_FANG.pin)
    to_amount(driver)
    driver.type("88")
    driver.key(Qt.Key.Key_Escape)
    driver.key(Qt.Key.Key_Escape)
    driver.wait_for("home")
    driver.activate("homeSignOut")
    driver.wait_for("goodbye")
    goodbye = driver.window.screens["goodbye"]
    assert goodbye.take_card.isVisible() and goodbye.take_card.accessibleName() == "Please take your card."
    # The payment begun is kept for the next sign-in (client.resume): said so, and that it was not paid.
    assert goodbye.not_paid.accessibleName() == KEPT
    spoken = driver.speaker.utterances[-1].text
    assert "Please take your card." in spoken and KEPT in spoken


def test_the_time_out_says_take_your_card_and_that_nothing_unfinished_was_paid(driver: KioskDriver) -> None:
    window = driver.window
    window.settings = replace(window.settings, idle_seconds=1, warning_seconds=20)
    window.countdown_timer.setInterval(5)  # the real countdown, run fast
    choose_language_and_sign_in(driver, "en", WANG_FANG.number, WANG_FANG.pin)
    to_amount(driver)
    driver.type("88")
    window.idle_timer.start(1)
    driver.qtbot.waitUntil(window.idle_panel.isVisible, timeout=3000)
    driver.qtbot.waitUntil(lambda: window.current_id == "welcome", timeout=5000)
    notice = window.screens["welcome"].error
    assert notice.isVisible() and notice.property("role") == "info"
    assert KEPT in notice.accessibleName()
    assert "Please take your card." in notice.accessibleName()
    spoken = [u.text for u in driver.speaker.utterances if KEPT in u.text]
    assert spoken and "Please take your card." in spoken[-1]
    amount = window.screens["amount"]
    assert amount.amount.text() == "" and amount.words.text() == "" and amount.words.accessibleName() == ""


def test_the_result_offers_the_way_out_it_asks_for(driver: KioskDriver) -> None:
    choose_language_and_sign_in(driver, "en", WANG_FANG.number, WANG_FANG.pin)
    to_amount(driver)
    driver.type("20")
    driver.enter()
    driver.wait_for("review")
    driver.enter()
    driver.wait_for("result")
    result = driver.window.screens["result"]
    assert "sign out and take your card" in result.take_card.accessibleName()
    driver.activate("resultSignOut")  # "Sign out and take my card", on the result itself
    driver.wait_for("goodbye")
    assert driver.window.visit is None
    assert driver.window.screens["goodbye"].take_card.isVisible()
