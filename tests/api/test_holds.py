"""Held payments (delayed arrival, trusted contact, cancel) and step-up verification codes."""

from __future__ import annotations

from datetime import timedelta

import httpx

from tests.api.helpers import (
    PAYEE_LI_MEI,
    PAYEE_WANG_QIANG,
    Signed,
    advance_clock,
    assert_error,
    assert_ledger_sound,
    ledger,
    notifications,
    ok,
    parse_time,
    server_now,
    sign_in,
)
from tests.demo import LI_MEI, WANG_FANG

VERY_LARGE = 6_000_000  # 60,000.00: above 50,000.00, so stepped up and held for two hours


def held_payment(wang_fang: Signed, amount: int = VERY_LARGE) -> dict:
    payment = ok(wang_fang.pay(amount, payee_id=PAYEE_LI_MEI), 201)
    assert payment["risk"]["reasons"] == ["very_large_amount"]
    held = ok(wang_fang.confirm(payment))
    assert held["status"] == "held"
    return dict(held)


def test_very_large_payment_is_held_and_the_trusted_contact_is_told(http: httpx.Client, wang_fang: Signed) -> None:
    li_mei = sign_in(http, LI_MEI)
    customers_before = ledger(http)["customer_total_minor"]
    li_mei_before = li_mei.balance()

    held = held_payment(wang_fang)
    assert held["cancellable"] is True
    delay = parse_time(held["hold_until"]) - server_now(http)
    assert timedelta(minutes=119) < delay <= timedelta(minutes=120)

    # The money has left Wang Fang's account but not reached Li Mei: it waits in suspense.
    account = wang_fang.accounts()[WANG_FANG.account_id]
    assert account["balance_minor"] == WANG_FANG.seeded_minor - VERY_LARGE
    assert account["held_minor"] == VERY_LARGE
    assert li_mei.balance() == li_mei_before
    assert ledger(http)["customer_total_minor"] == customers_before - VERY_LARGE
    debit = [t for t in wang_fang.transactions() if t["payment_id"] == held["id"]]
    assert [(t["amount_minor"], t["description"]) for t in debit] == [(-VERY_LARGE, "To 李梅 Li Mei (held)")]

    notes = {n["kind"]: n for n in notifications(http, WANG_FANG.customer_id) if n["payment_id"] == held["id"]}
    contact = notes["held_payment_contact"]
    assert contact["recipient_name"] == "李梅 Li Mei"
    assert contact["recipient_phone_last4"] == "0002"
    assert "Wang Fang is sending 60,000.00 yuan" in contact["text"]
    assert notes["held_payment"]["recipient_phone_last4"] == "0001"
    assert "到账前，您随时可以取消" in notes["held_payment"]["text"]  # in Wang Fang's language
    # The trusted contact's own phone shows the message.
    assert any("Wang Fang is sending 60,000.00 yuan" in m["text"] for m in li_mei.phone())
    assert_ledger_sound(http)


def test_cancelling_a_held_payment_returns_the_money_exactly(http: httpx.Client, wang_fang: Signed) -> None:
    before = ledger(http)
    held = held_payment(wang_fang)
    cancelled = ok(wang_fang.cancel(held["id"]))
    assert cancelled["status"] == "cancelled"
    assert cancelled["cancellable"] is False

    account = wang_fang.accounts()[WANG_FANG.account_id]
    assert account["balance_minor"] == WANG_FANG.seeded_minor
    assert account["held_minor"] == 0
    moves = [(t["amount_minor"], t["description"]) for t in wang_fang.transactions() if t["payment_id"] == held["id"]]
    assert moves == [(VERY_LARGE, "Cancelled: 李梅 Li Mei"), (-VERY_LARGE, "To 李梅 Li Mei (held)")]  # newest first
    after = assert_ledger_sound(http)
    assert after["customer_total_minor"] == before["customer_total_minor"]
    assert after["journals"] == before["journals"] + 2

    assert_error(wang_fang.cancel(held["id"]), 409, "payment_not_cancellable")
    # Waiting out the hold afterwards changes nothing.
    advance_clock(http, 7201)
    wang_fang = sign_in(http, WANG_FANG)
    assert wang_fang.payment(held["id"])["status"] == "cancelled"
    assert wang_fang.balance() == WANG_FANG.seeded_minor


def test_a_held_payment_arrives_when_the_hold_ends(http: httpx.Client, wang_fang: Signed) -> None:
    li_mei = sign_in(http, LI_MEI)
    li_mei_before = li_mei.balance()
    customers_before = ledger(http)["customer_total_minor"]
    held = held_payment(wang_fang)

    advance_clock(http, 7190)  # ten seconds to go
    wang_fang, li_mei = sign_in(http, WANG_FANG), sign_in(http, LI_MEI)
    assert wang_fang.payment(held["id"])["status"] == "held"
    assert li_mei.balance() == li_mei_before

    advance_clock(http, 11)
    arrived = wang_fang.payment(held["id"])
    assert arrived["status"] == "completed"
    assert arrived["cancellable"] is False
    assert li_mei.balance() == li_mei_before + VERY_LARGE
    assert wang_fang.held() == 0
    assert wang_fang.balance() == WANG_FANG.seeded_minor - VERY_LARGE
    credit = [t for t in li_mei.transactions() if t["payment_id"] == held["id"]]
    assert [(t["amount_minor"], t["description"]) for t in credit] == [(VERY_LARGE, "Arrived: 李梅 Li Mei")]
    assert_error(wang_fang.cancel(held["id"]), 409, "payment_not_cancellable")
    summary = assert_ledger_sound(http)
    assert summary["customer_total_minor"] == customers_before  # from one customer to another


def test_hold_is_released_by_any_later_request(http: httpx.Client, wang_fang: Signed) -> None:
    """The hold ends on time even if nobody asks about that payment: the next payment releases it."""
    li_mei = sign_in(http, LI_MEI)
    li_mei_before = li_mei.balance()
    held = held_payment(wang_fang)
    advance_clock(http, 7201)
    li_mei = sign_in(http, LI_MEI)
    assert li_mei.balance() == li_mei_before + VERY_LARGE
    assert ok(li_mei.get("/v1/payments", params={"status": "held"})) == []
    wang_fang = sign_in(http, WANG_FANG)
    assert ok(wang_fang.get("/v1/payments", params={"status": "held"})) == []
    assert wang_fang.payment(held["id"])["status"] == "completed"


def test_cancel_before_confirming_moves_nothing(http: httpx.Client, wang_fang: Signed) -> None:
    payment = ok(wang_fang.pay(VERY_LARGE, payee_id=PAYEE_LI_MEI), 201)
    assert ok(wang_fang.cancel(payment["id"]))["status"] == "cancelled"
    assert wang_fang.balance() == WANG_FANG.seeded_minor
    assert_error(wang_fang.confirm(payment), 409, "payment_not_actionable")


def test_nobody_else_can_cancel_a_payment(http: httpx.Client, wang_fang: Signed) -> None:
    held = held_payment(wang_fang)
    li_mei = sign_in(http, LI_MEI)
    assert_error(li_mei.cancel(held["id"]), 404, "payment_not_found")
    assert_error(li_mei.get(f"/v1/payments/{held['id']}"), 404, "payment_not_found")
    assert wang_fang.payment(held["id"])["status"] == "held"


# --- step-up verification codes ---------------------------------------------------------------------------


def step_up(wang_fang: Signed) -> dict:
    payment = ok(wang_fang.pay(2_500_000, payee_id=PAYEE_WANG_QIANG), 201)  # 25,000.00: a code is needed
    assert "verification_code" in payment["risk"]["requires"]
    return dict(payment)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_the_code_is_texted_and_expires_in_five_minutes(http: httpx.Client, wang_fang: Signed) -> None:
    payment = step_up(wang_fang)
    delay = parse_time(payment["verification_expires_at"]) - server_now(http)
    assert timedelta(minutes=4) < delay <= timedelta(minutes=5)
    newest = wang_fang.phone()[0]["text"]
    assert newest.startswith("【CalmPay】验证码 ")  # Wang Fang reads Simplified Chinese
    assert "用于向 王强 付款 25,000.00 元。" in newest  # the payee as the bank writes him in Simplified


def test_wrong_code_counts_down_then_right_code_works(wang_fang: Signed) -> None:
    payment = step_up(wang_fang)
    code = wang_fang.code_from_phone(payment)
    first = assert_error(wang_fang.confirm(payment, code=wrong(code)), 400, "verification_code_incorrect")
    assert first["details"] == {"attempts_remaining": 2}
    assert first["param"] == "verification_code"
    second = assert_error(wang_fang.confirm(payment, code=wrong(code)), 400, "verification_code_incorrect")
    assert second["details"] == {"attempts_remaining": 1}
    assert wang_fang.balance() == WANG_FANG.seeded_minor
    assert ok(wang_fang.confirm(payment, code=code))["status"] == "completed"
    assert wang_fang.balance() == WANG_FANG.seeded_minor - 2_500_000


def test_three_wrong_codes_cancel_the_payment(wang_fang: Signed) -> None:
    payment = step_up(wang_fang)
    code = wang_fang.code_from_phone(payment)
    for _ in range(2):
        assert_error(wang_fang.confirm(payment, code=wrong(code)), 400, "verification_code_incorrect")
    error = assert_error(wang_fang.confirm(payment, code=wrong(code)), 403, "verification_locked")
    assert error["type"] == "forbidden"
    assert wang_fang.payment(payment["id"])["status"] == "cancelled"
    assert_error(wang_fang.confirm(payment, code=code), 409, "payment_not_actionable")
    assert wang_fang.balance() == WANG_FANG.seeded_minor


def test_expired_code_then_a_new_one(http: httpx.Client, wang_fang: Signed) -> None:
    payment = step_up(wang_fang)
    old_code = wang_fang.code_from_phone(payment)
    advance_clock(http, 6 * 60)
    error = assert_error(wang_fang.confirm(payment, code=old_code), 400, "verification_code_expired")
    assert error["param"] == "verification_code"

    resent = ok(wang_fang.post(f"/v1/payments/{payment['id']}/resend-code"))
    assert resent["status"] == "requires_action"
    assert parse_time(resent["verification_expires_at"]) > parse_time(payment["verification_expires_at"])
    new_code = wang_fang.code_from_phone(payment)
    if new_code != old_code:  # one in a million they are equal
        assert_error(wang_fang.confirm(payment, code=old_code), 400, "verification_code_incorrect")
    assert ok(wang_fang.confirm(payment, code=new_code))["status"] == "completed"


def test_resend_code_only_for_payments_waiting_for_a_code(wang_fang: Signed) -> None:
    no_code = ok(wang_fang.pay(30_303, payee_id=PAYEE_LI_MEI), 201)
    assert_error(wang_fang.post(f"/v1/payments/{no_code['id']}/resend-code"), 409, "payment_not_actionable")
    done = ok(wang_fang.pay(1_000, payee_id=PAYEE_LI_MEI), 201)
    assert_error(wang_fang.post(f"/v1/payments/{done['id']}/resend-code"), 409, "payment_not_actionable")
    assert_error(wang_fang.post("/v1/payments/pay_nope/resend-code"), 404, "payment_not_found")


# --- codes are limited per payment, not per code ----------------------------------------------------


def test_a_hundred_wrong_codes_across_new_codes_are_refused_after_three(http: httpx.Client, wang_fang: Signed) -> None:
    """A new code does not give the guesses back: three wrong codes in all cancel the payment, and
    every later guess, whatever new code is asked for, is refused without being checked."""
    payment = step_up(wang_fang)
    texts_before = len(wang_fang.phone())
    outcomes: list[str] = []
    for attempt in range(100):
        if attempt % 2 == 0:  # a new code before every other guess, as the attack did
            wang_fang.post(f"/v1/payments/{payment['id']}/resend-code")
        guess = wrong(wang_fang.code_from_phone(payment))  # never the right one by chance
        response = wang_fang.confirm(payment, code=guess)
        assert response.status_code != 200, "a wrong code paid"
        outcomes.append(response.json()["error"]["code"])
    assert outcomes[:3] == ["verification_code_incorrect", "verification_code_incorrect", "verification_locked"]
    assert set(outcomes[3:]) == {"payment_not_actionable"}
    assert wang_fang.payment(payment["id"])["status"] == "cancelled"
    assert len(wang_fang.phone()) == texts_before + 2  # two new codes, none once the payment was cancelled
    assert wang_fang.balance() == WANG_FANG.seeded_minor
    assert_ledger_sound(http)


def test_wrong_codes_count_across_a_new_code(wang_fang: Signed) -> None:
    payment = step_up(wang_fang)
    code = wang_fang.code_from_phone(payment)
    first = assert_error(wang_fang.confirm(payment, code=wrong(code)), 400, "verification_code_incorrect")
    assert first["details"] == {"attempts_remaining": 2}
    ok(wang_fang.post(f"/v1/payments/{payment['id']}/resend-code"))
    code = wang_fang.code_from_phone(payment)
    second = assert_error(wang_fang.confirm(payment, code=wrong(code)), 400, "verification_code_incorrect")
    assert second["details"] == {"attempts_remaining": 1}
    assert ok(wang_fang.confirm(payment, code=code))["status"] == "completed"  # the right one still pays


def test_three_new_codes_then_one_more_ask_cancels_the_payment(http: httpx.Client, wang_fang: Signed) -> None:
    payment = step_up(wang_fang)
    for _ in range(3):
        assert ok(wang_fang.post(f"/v1/payments/{payment['id']}/resend-code"))["status"] == "requires_action"
    sent = len(wang_fang.phone())
    error = assert_error(wang_fang.post(f"/v1/payments/{payment['id']}/resend-code"), 403, "verification_resend_limit")
    assert error["type"] == "forbidden"
    assert len(wang_fang.phone()) == sent  # no fifth text
    cancelled = wang_fang.payment(payment["id"])
    assert cancelled["status"] == "cancelled" and cancelled["verification_expires_at"] is None
    for _ in range(5):  # asking again sends nothing either
        assert_error(wang_fang.post(f"/v1/payments/{payment['id']}/resend-code"), 409, "payment_not_actionable")
    assert len(wang_fang.phone()) == sent
    assert wang_fang.balance() == WANG_FANG.seeded_minor
    assert_ledger_sound(http)


def test_a_payment_cancelled_for_its_codes_cannot_be_confirmed(http: httpx.Client, wang_fang: Signed) -> None:
    payment = step_up(wang_fang)
    for _ in range(3):
        ok(wang_fang.post(f"/v1/payments/{payment['id']}/resend-code"))
    code = wang_fang.code_from_phone(payment)  # the newest code, right, and within its time
    assert_error(wang_fang.post(f"/v1/payments/{payment['id']}/resend-code"), 403, "verification_resend_limit")
    assert_error(wang_fang.confirm(payment, code=code), 409, "payment_not_actionable")
    assert_error(wang_fang.confirm(payment, code=code, key="same-key"), 409, "payment_not_actionable")
    assert wang_fang.payment(payment["id"])["status"] == "cancelled"
    assert wang_fang.balance() == WANG_FANG.seeded_minor
    assert_ledger_sound(http)


def test_the_code_limits_come_from_the_risk_config() -> None:
    from mock_api.config import RiskConfig

    config = RiskConfig.load()
    assert (config.code_attempts, config.code_resends) == (3, 3)
