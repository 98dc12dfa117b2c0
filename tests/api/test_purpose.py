"""POST /v1/payments/{id}/purpose: the bank judges "what is this payment for?" when it is answered."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mock_api.config import RiskConfig
from mock_api.risk import SCAM_PURPOSES
from tests.api.helpers import (
    PAYEE_WANG_QIANG,
    PAYEE_ZHANG_WEI,
    Signed,
    api_client,
    assert_error,
    assert_ledger_sound,
    ledger,
    new_key,
    ok,
    sign_in,
)
from tests.bank import bank_server
from tests.demo import LI_MEI, WANG_FANG


def asks_purpose(customer: Signed, amount: int = 10_000, payee_id: str = PAYEE_ZHANG_WEI) -> dict:
    """A payment to a new payee: it asks for acknowledgement and the purpose."""
    payment = dict(ok(customer.pay(amount, payee_id=payee_id), 201))
    assert payment["status"] == "requires_action"
    assert "purpose" in payment["risk"]["requires"]
    return payment


@pytest.mark.parametrize("purpose", sorted(SCAM_PURPOSES))
def test_a_scam_answer_blocks_the_payment_and_moves_no_money(
    http: httpx.Client, wang_fang: Signed, purpose: str
) -> None:
    payment = asks_purpose(wang_fang)
    before = wang_fang.balance()
    journals = ledger(http)["journals"]

    error = assert_error(wang_fang.answer_purpose(payment["id"], purpose), 402, "payment_blocked")
    assert error["type"] == "payment_declined"
    assert error["reasons"] == ["purpose_scam_script"]
    assert error["details"] == {"payment_id": payment["id"], "script": purpose}

    stopped = wang_fang.payment(payment["id"])
    assert stopped["status"] == "blocked"
    assert stopped["purpose"] == purpose
    assert stopped["risk"]["decision"] == "block"
    assert stopped["risk"]["requires"] == []
    assert stopped["cancellable"] is False
    assert wang_fang.balance() == before
    assert ledger(http)["journals"] == journals
    # Nothing can revive it: neither another answer nor a confirm.
    assert_error(wang_fang.answer_purpose(payment["id"], "family_friends"), 409, "payment_not_actionable")
    assert_error(wang_fang.confirm(stopped), 409, "payment_not_actionable")
    assert_ledger_sound(http)


def test_a_fine_answer_is_stored_and_pays_nothing(http: httpx.Client, wang_fang: Signed) -> None:
    payment = asks_purpose(wang_fang)
    assert payment["risk"]["requires"] == ["acknowledge", "purpose"]
    before = wang_fang.balance()
    journals = ledger(http)["journals"]

    answered = ok(wang_fang.answer_purpose(payment["id"], "rent"))
    assert answered["id"] == payment["id"]
    assert answered["status"] == "requires_action"
    assert answered["purpose"] == "rent"
    assert "follow_up" not in answered["risk"]
    assert answered["risk"]["requires"] == ["acknowledge"]
    assert answered["risk"]["decision"] == payment["risk"]["decision"]
    assert answered["risk"]["reasons"] == payment["risk"]["reasons"]
    assert wang_fang.payment(payment["id"]) == answered
    assert wang_fang.balance() == before
    assert ledger(http)["journals"] == journals

    # The final confirm no longer needs the purpose, and still accepts it (older kiosks send it).
    assert_error(wang_fang.confirm(answered, acknowledged=False), 400, "acknowledgement_required")
    done = ok(wang_fang.confirm(answered, purpose=None))
    assert done["status"] in ("completed", "held")
    assert done["purpose"] == "rent"
    assert wang_fang.balance() == before - 10_000
    assert_ledger_sound(http)


def test_confirm_still_takes_the_purpose_with_it(wang_fang: Signed) -> None:
    payment = asks_purpose(wang_fang)
    done = ok(wang_fang.confirm(payment, purpose="rent"))
    assert done["status"] in ("completed", "held")
    assert done["purpose"] == "rent"


def test_the_code_is_still_asked_after_a_fine_answer(wang_fang: Signed) -> None:
    payment = asks_purpose(wang_fang, amount=2_000_000, payee_id=PAYEE_WANG_QIANG)
    assert payment["risk"]["requires"] == ["acknowledge", "purpose", "verification_code"]
    answered = ok(wang_fang.answer_purpose(payment["id"], "bills_goods", answers={"only_online": False}))
    assert answered["status"] == "requires_action"
    assert answered["risk"]["requires"] == ["acknowledge", "verification_code"]
    assert answered["verification_expires_at"] is not None
    assert_error(wang_fang.confirm(answered, code=None), 400, "verification_code_required")
    assert ok(wang_fang.confirm(answered))["status"] == "completed"


@pytest.fixture
def purpose_only(tmp_path: Path) -> Iterator[httpx.Client]:
    """Risk rules that ask the purpose from 1,000.00, long before any confirmation."""
    risk = dataclasses.replace(RiskConfig.load(), purpose_at=100_000)
    with bank_server(tmp_path / "purpose.sqlite3", risk=risk) as server, api_client(server.url) as client:
        yield client


def test_an_answer_alone_never_pays(purpose_only: httpx.Client) -> None:
    """With nothing else asked, a fine answer leaves the payment waiting for the final confirm."""
    wang_fang = sign_in(purpose_only, WANG_FANG)
    before = wang_fang.balance()
    payment = asks_purpose(wang_fang, amount=200_000, payee_id=PAYEE_WANG_QIANG)
    assert payment["risk"]["requires"] == ["purpose"]

    answered = ok(wang_fang.answer_purpose(payment["id"], "other"))
    assert answered["status"] == "requires_action"
    assert answered["risk"]["requires"] == []
    assert answered["cancellable"] is True
    assert answered["completed_at"] is None
    assert wang_fang.balance() == before

    done = ok(wang_fang.confirm(answered, acknowledged=False))
    assert done["status"] == "completed"
    assert wang_fang.balance() == before - 200_000
    assert_ledger_sound(purpose_only)


def test_only_while_the_purpose_is_asked(wang_fang: Signed) -> None:
    # Answered already.
    payment = asks_purpose(wang_fang)
    ok(wang_fang.answer_purpose(payment["id"], "rent"))
    error = assert_error(wang_fang.answer_purpose(payment["id"], "other"), 409, "payment_not_actionable")
    assert error["param"] == "purpose"
    assert wang_fang.payment(payment["id"])["purpose"] == "rent"
    # Never asked (a small payment to a familiar payee runs at once), cancelled, unknown.
    small = ok(wang_fang.pay(10_000, payee_id="payee_wf_limei"), 201)
    assert small["status"] == "completed"
    assert_error(wang_fang.answer_purpose(small["id"], "rent"), 409, "payment_not_actionable")
    cancelled = asks_purpose(wang_fang, amount=10_001)
    ok(wang_fang.cancel(cancelled["id"]))
    assert_error(wang_fang.answer_purpose(cancelled["id"], "rent"), 409, "payment_not_actionable")
    assert_error(wang_fang.answer_purpose("pay_nope", "rent"), 404, "payment_not_found")


def test_an_unknown_answer_is_refused(wang_fang: Signed) -> None:
    payment = asks_purpose(wang_fang)
    error = assert_error(wang_fang.answer_purpose(payment["id"], "gift"), 400, "validation_failed")
    assert error["param"] == "purpose"
    assert "purpose" in wang_fang.payment(payment["id"])["risk"]["requires"]


def test_another_customer_cannot_answer(http: httpx.Client, wang_fang: Signed) -> None:
    payment = asks_purpose(wang_fang)
    li_mei = sign_in(http, LI_MEI)
    assert_error(li_mei.answer_purpose(payment["id"], "family_friends"), 404, "payment_not_found")


def test_the_key_is_optional_and_a_retry_is_replayed(http: httpx.Client, wang_fang: Signed) -> None:
    payment = asks_purpose(wang_fang)
    key = new_key()
    first = wang_fang.answer_purpose(payment["id"], "rent", key=key)
    again = wang_fang.answer_purpose(payment["id"], "rent", key=key)
    assert ok(again) == ok(first)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert_error(wang_fang.answer_purpose(payment["id"], "other", key=key), 422, "idempotency_key_reused")

    without_key = asks_purpose(wang_fang, amount=10_001)
    assert ok(wang_fang.answer_purpose(without_key["id"], "rent", key=None))["risk"]["requires"] == ["acknowledge"]


def test_a_blocked_answer_is_replayed_too(http: httpx.Client, wang_fang: Signed) -> None:
    payment = asks_purpose(wang_fang)
    key = new_key()
    first = wang_fang.answer_purpose(payment["id"], "prize_or_refund", key=key)
    again = wang_fang.answer_purpose(payment["id"], "prize_or_refund", key=key)
    assert_error(first, 402, "payment_blocked")
    assert_error(again, 402, "payment_blocked")
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"


# --- follow-up questions: the answers scams hide behind -------------------------------------------


def answer(customer: Signed, payment: dict, purpose: str, key: str | None = "auto", **answers: bool) -> httpx.Response:
    return customer.post(f"/v1/payments/{payment['id']}/purpose", {"purpose": purpose, "answers": answers}, key=key)


def test_own_account_asks_who_asked_and_whose_account_then_goes_on(wang_fang: Signed) -> None:
    payment = asks_purpose(wang_fang)
    assert "follow_up" not in payment["risk"]  # nothing asked yet
    first = ok(answer(wang_fang, payment, "own_account"))
    assert first["status"] == "requires_action"
    assert first["risk"]["requires"] == ["acknowledge", "purpose"]  # not answered yet: the bank asks more
    assert first["risk"]["follow_up"] == "someone_asked"
    assert wang_fang.payment(payment["id"])["risk"]["follow_up"] == "someone_asked"
    second = ok(answer(wang_fang, payment, "own_account", someone_asked=False))
    assert second["risk"]["follow_up"] == "in_your_name"
    assert "purpose" in second["risk"]["requires"]
    # The purpose is not answered until the last follow-up is: the confirm cannot skip it.
    assert_error(wang_fang.confirm(second, purpose=None), 400, "purpose_required")
    done = ok(answer(wang_fang, payment, "own_account", someone_asked=False, in_your_name=True))
    assert done["risk"]["requires"] == ["acknowledge"] and "follow_up" not in done["risk"]
    assert ok(wang_fang.confirm(done, purpose=None))["status"] in ("completed", "held")


@pytest.mark.parametrize(
    ("purpose", "answers", "script"),
    [
        ("own_account", {"someone_asked": True}, "safe_account"),  # the coached answer
        ("own_account", {"someone_asked": False, "in_your_name": False}, "safe_account"),
        ("investment", {"met_online": True}, "investment"),
        ("investment", {"met_online": False, "high_returns": True}, "investment"),
        ("bills_goods", {"only_online": True}, "buying_online"),
        ("family_friends", {"new_number": True}, "new_number"),
    ],
)
def test_a_follow_up_answer_from_a_scam_script_blocks_the_payment(
    http: httpx.Client, wang_fang: Signed, purpose: str, answers: dict[str, bool], script: str
) -> None:
    payment = asks_purpose(wang_fang)
    before = wang_fang.balance()
    journals = ledger(http)["journals"]
    asked = list(answers)
    for n in range(len(asked)):  # each question is asked before its answer is taken
        step = ok(answer(wang_fang, payment, purpose, **{q: answers[q] for q in asked[:n]}))
        assert step["risk"]["follow_up"] == asked[n]
    error = assert_error(answer(wang_fang, payment, purpose, **answers), 402, "payment_blocked")
    assert error["reasons"] == ["purpose_scam_script"]
    assert error["details"] == {"payment_id": payment["id"], "script": script}
    stopped = wang_fang.payment(payment["id"])
    assert stopped["status"] == "blocked" and stopped["risk"]["requires"] == []
    assert "follow_up" not in stopped["risk"]
    assert_error(wang_fang.confirm(stopped), 409, "payment_not_actionable")
    assert wang_fang.balance() == before
    assert ledger(http)["journals"] == journals


def test_an_answer_once_given_cannot_be_taken_back(wang_fang: Signed) -> None:
    """A coached customer who sees where an answer leads cannot go back and try another."""
    payment = asks_purpose(wang_fang)
    ok(answer(wang_fang, payment, "own_account", someone_asked=False))
    for purpose, answers in (("rent", {}), ("own_account", {}), ("own_account", {"someone_asked": True})):
        error = assert_error(answer(wang_fang, payment, purpose, **answers), 409, "purpose_already_given")
        assert error["param"] == "purpose"
    assert wang_fang.payment(payment["id"])["risk"]["follow_up"] == "in_your_name"


def test_an_answer_to_a_question_not_asked_is_refused(wang_fang: Signed) -> None:
    payment = asks_purpose(wang_fang)
    error = assert_error(answer(wang_fang, payment, "rent", new_number=False), 400, "follow_up_not_asked")
    assert error["param"] == "answers"
    assert_error(answer(wang_fang, payment, "rent", nonsense=True), 400, "validation_failed")
    assert wang_fang.payment(payment["id"])["purpose"] is None


def test_a_follow_up_answer_is_replayed_with_its_key(wang_fang: Signed) -> None:
    payment = asks_purpose(wang_fang)
    key = new_key()
    first = answer(wang_fang, payment, "family_friends", key=key)
    again = answer(wang_fang, payment, "family_friends", key=key)
    assert ok(again) == ok(first) and again.headers["Idempotent-Replayed"] == "true"
    assert_error(answer(wang_fang, payment, "family_friends", key=key, new_number=False), 422, "idempotency_key_reused")
    assert "follow_up" not in ok(answer(wang_fang, payment, "family_friends", new_number=False))["risk"]


def test_the_code_is_texted_in_the_customers_language(wang_fang: Signed) -> None:
    """Wang Fang reads Simplified Chinese: the text with her code is in Chinese, resent ones too."""
    payment = ok(wang_fang.pay(2_000_000, payee_id=PAYEE_WANG_QIANG), 201)
    assert "verification_code" in payment["risk"]["requires"]
    for _ in range(2):  # the first text, then one sent again
        text = wang_fang.phone()[0]["text"]
        assert text.startswith("【CalmPay】验证码 ") and "付款 20,000.00 元" in text and "王强" in text
        assert "yuan" not in text and "Bank staff" not in text
        ok(wang_fang.post(f"/v1/payments/{payment['id']}/resend-code"))


def test_no_path_skips_the_follow_ups(wang_fang: Signed) -> None:
    """A purpose sent with the confirm, or with the payment itself, still gets its follow-ups."""
    payment = asks_purpose(wang_fang)
    error = assert_error(wang_fang.confirm(payment, purpose="own_account"), 400, "purpose_required")
    assert error["details"] == {"follow_up": "someone_asked"}
    assert wang_fang.payment(payment["id"])["status"] == "requires_action"
    # Given in advance, the answer stands and the bank asks its first follow-up about it.
    early = ok(wang_fang.pay(10_001, payee_id=PAYEE_ZHANG_WEI, purpose="own_account"), 201)
    assert early["risk"]["requires"] == ["acknowledge", "purpose"] and early["risk"]["follow_up"] == "someone_asked"
    assert_error(wang_fang.confirm(early, purpose=None), 400, "purpose_required")
    assert_error(wang_fang.confirm(early, purpose="rent"), 409, "purpose_already_given")  # it stands
    error = assert_error(answer(wang_fang, early, "own_account", someone_asked=True), 402, "payment_blocked")
    assert error["details"]["script"] == "safe_account"
