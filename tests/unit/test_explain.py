"""Problems and amounts in plain words, without Qt: what the screen shows and what the voice says."""

from __future__ import annotations

from client import errors
from client.explain import explain, money
from client.i18n import Translator
from client.money import AmountError
from client.security.catalog import load_catalog

CATALOG = load_catalog()
EN = Translator("en")


def test_attempts_left_are_said_in_words() -> None:
    wrong = errors.PinIncorrect(
        "pin_incorrect", "wrong", status=401, error_type="authentication_error", details={"attempts_remaining": 2}
    )
    assert "2 more times" in explain(wrong, EN, CATALOG)
    last = errors.PinIncorrect(
        "pin_incorrect", "wrong", status=401, error_type="authentication_error", details={"attempts_remaining": 1}
    )
    assert explain(last, EN, CATALOG) == "That PIN does not match this card number. You can try once more."
    assert explain(last, Translator("zh-Hans"), CATALOG) == "密码和卡号对不上。您还可以再试 1 次。"


def test_catalog_events_use_the_catalogs_calm_words() -> None:
    lost = errors.ConnectionLost("gone")
    prompt = CATALOG.prompt("connection_lost", "en")
    assert explain(lost, EN, CATALOG) == f"{prompt.what_happened} {prompt.what_you_can_do}"
    assert explain(lost, EN, CATALOG, spoken=True) == prompt.speech


def test_an_amount_in_a_problem_is_spoken_only_once_the_customer_asked() -> None:
    over = AmountError("amount_over_balance", balance_minor=20_000)
    assert explain(over, EN, CATALOG) == "That is more than you have. You have RMB 200.00."
    assert explain(over, EN, CATALOG, spoken=True) == "That is more than you have."
    assert "two hundred yuan" in explain(over, EN, CATALOG, spoken=True, speak_amounts=True)


def test_an_unknown_problem_is_still_calm() -> None:
    odd = errors.ApiError("something_new", "?", status=400, error_type="invalid_request")
    assert explain(odd, EN, CATALOG) == EN("error.unexpected_error")


def test_money_shown_and_said() -> None:
    assert money(20_000, "en") == "RMB 200.00"
    assert money(20_000, "zh-Hant") == "人民幣 200.00"
    assert money(20_000, "en", spoken=True) == "two hundred yuan"
    assert money(20_000, "zh-Hans", spoken=True) == "二百元"


def test_the_payee_limit_is_explained_in_every_language() -> None:
    full = errors.from_envelope(
        409, {"error": {"type": "conflict", "code": "payee_limit_reached", "message": "", "details": {"limit": 1000}}}
    )
    unexpected = explain(errors.ApiError("unexpected_error", "", status=500, error_type="x"), EN, CATALOG)
    assert explain(full, EN, CATALOG) != unexpected
    assert "1,000" in explain(full, EN, CATALOG) and "call staff" in explain(full, EN, CATALOG)
    assert "1,000 个人" in explain(full, Translator("zh-Hans"), CATALOG)
    assert "1,000 個人" in explain(full, Translator("zh-Hant"), CATALOG)
