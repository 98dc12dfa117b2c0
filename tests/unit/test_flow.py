"""What comes next after each step of a payment, decided in client/ without Qt."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from client import errors, flow, models
from client.flow import STAY, Next

NOW = datetime(2025, 3, 15, 10, 0, tzinfo=UTC)


def payment(status: str = "completed", requires: tuple[str, ...] = (), reasons: tuple[str, ...] = ()) -> models.Payment:
    return models.Payment(
        id="pay_1",
        kind="transfer",
        status=status,
        amount_minor=20_000,
        currency="CNY",
        from_account_id="acc_1",
        counterparty="李梅 Li Mei",
        risk=models.Risk(decision="confirm", reasons=list(reasons), requires=list(requires), hold_minutes=0),
        created_at=NOW,
        cancellable=status in ("requires_action", "held"),
    )


def blocked(*reasons: str) -> errors.PaymentBlocked:
    return errors.PaymentBlocked(
        "payment_blocked", "blocked", status=403, error_type="payment_error", reasons=list(reasons)
    )


def bill(paid: bool) -> models.Bill:
    return models.Bill(
        id="bill_1",
        biller_id="bil_electricity",
        customer_number="1234567890",
        holder_name="Wang Fang",
        amount_minor=12_345,
        period="2025-02",
        due_date="2025-03-20",
        paid=paid,
    )


def test_a_payment_that_needs_a_check_goes_to_the_check_else_to_its_result() -> None:
    risky = payment("requires_action", requires=("acknowledge",), reasons=("large_amount",))
    assert flow.after_pay(risky) == Next("risk", {"payment": risky})
    done = payment("completed")
    assert flow.after_pay(done) == Next("result", {"payment": done})
    held = payment("held")
    assert flow.after_pay(held) == Next("result", {"payment": held})


def test_a_blocked_payment_stops_with_the_banks_first_reason_or_the_scam_stop() -> None:
    assert flow.after_pay_failed(blocked("purpose_scam_script", "new_payee")) == Next(
        "stop", {"code": "purpose_scam_script"}
    )
    assert flow.after_pay_failed(blocked()) == Next("stop", {"code": "payee_reported_scam"})
    assert flow.after_confirm_failed(blocked("payee_reported_scam")) == Next("stop", {"code": "payee_reported_scam"})


def test_network_trouble_stays_on_the_screen_so_pressing_again_retries() -> None:
    lost = errors.ConnectionLost("gone", idempotency_key="k")
    assert flow.after_pay_failed(lost) is STAY
    assert flow.after_confirm_failed(lost) is STAY


def test_too_many_wrong_codes_end_at_a_result_that_says_so() -> None:
    locked = errors.ApiError("verification_locked", "locked", status=403, error_type="payment_error")
    assert flow.after_confirm_failed(locked) == Next("result", {"cancelled_by_code": "verification_locked"})
    wrong = errors.VerificationFailed("verification_failed", "wrong", status=400, error_type="payment_error")
    assert flow.after_confirm_failed(wrong) is STAY


def test_one_new_code_too_many_ends_at_a_result_that_says_so() -> None:
    limit = errors.Forbidden("verification_resend_limit", "limit", status=403, error_type="forbidden")
    assert flow.after_resend_failed(limit) == Next("result", {"cancelled_by_code": "verification_resend_limit"})
    lost = errors.ConnectionLost("gone", idempotency_key="k")
    assert flow.after_resend_failed(lost) is STAY  # pressing again retries with the same key


def test_a_payment_that_finished_meanwhile_ends_the_check() -> None:
    gone = errors.Conflict("payment_not_actionable", "gone", status=409, error_type="conflict")
    assert flow.finished_meanwhile(gone)
    assert not flow.finished_meanwhile(errors.ConnectionLost("gone", idempotency_key="k"))


def test_a_refused_save_asks_for_a_new_name_check() -> None:
    for code in ("name_check_expired", "name_check_mismatch", "name_check_not_found"):
        assert flow.name_check_outdated(errors.ApiError(code, "old", status=400, error_type="invalid_request"))
    assert not flow.name_check_outdated(errors.ApiError("payee_exists", "x", status=409, error_type="conflict"))


# The catalog's stop codes, as the check screen passes them (the tailored stops and the general one).
STOPS = ("purpose_safe_account", "purpose_prize_or_refund", "purpose_investment", "purpose_scam_script")


@pytest.mark.parametrize("purpose", ["safe_account", "prize_or_refund", "investment"])
def test_an_answer_the_bank_blocks_stops_with_the_words_for_that_answer(purpose: str) -> None:
    # The bank already stopped the payment: nothing to cancel, just the calm stop.
    outcome = flow.after_purpose_failed(blocked("purpose_scam_script"), purpose, STOPS)
    assert outcome == Next("stop", {"code": f"purpose_{purpose}"})


def test_without_words_for_that_answer_the_general_scam_stop_shows() -> None:
    # The bank decides what is a scam: an answer the kiosk has no tailored stop for still stops.
    assert flow.after_purpose_failed(blocked("purpose_scam_script"), "other", STOPS) == Next(
        "stop", {"code": "purpose_scam_script"}
    )
    assert flow.after_purpose_failed(blocked("purpose_scam_script"), "investment", ()) == Next(
        "stop", {"code": "purpose_scam_script"}
    )


def test_an_answer_blocked_for_another_reason_stops_with_the_banks_reason() -> None:
    assert flow.after_purpose_failed(blocked("payee_reported_scam"), "rent", STOPS) == Next(
        "stop", {"code": "payee_reported_scam"}
    )
    assert flow.after_purpose_failed(blocked(), "rent", STOPS) == Next("stop", {"code": "payee_reported_scam"})


@pytest.mark.parametrize("purpose", ["safe_account", "family_friends", "other"])
def test_a_lost_answer_stays_on_the_check_so_pressing_again_retries(purpose: str) -> None:
    lost = errors.ConnectionLost("gone", idempotency_key="k")
    assert flow.after_purpose_failed(lost, purpose, STOPS) is STAY
    gone = errors.ApiError("payment_not_actionable", "no", status=409, error_type="conflict")
    assert flow.after_purpose_failed(gone, purpose, STOPS) is STAY


@pytest.mark.parametrize("purpose", ["family_friends", "bills_goods", "rent", "own_account", "other", "investment"])
def test_an_answer_the_bank_takes_stays_on_the_check_for_step_two(purpose: str) -> None:
    # Whatever the answer was, the bank's word counts: taken means step two, never a stop.
    answered = payment("requires_action", requires=("acknowledge",))
    assert flow.after_purpose(answered) is STAY
    assert not flow.asks_purpose(answered, None)
    assert flow.needs_acknowledgement(answered)
    assert not flow.may_continue(answered, purpose, acknowledged=False)
    assert flow.may_continue(answered, purpose, acknowledged=True)


def test_the_purpose_comes_first_then_the_deliberate_second_step() -> None:
    risky = payment("requires_action", requires=("purpose", "acknowledge", "verification_code"))
    assert flow.asks_purpose(risky, None)
    assert not flow.asks_code(risky, None)  # one question at a time
    assert not flow.may_continue(risky, None, acknowledged=True)
    assert not flow.asks_purpose(risky, "family_friends")
    assert flow.asks_code(risky, "family_friends")
    assert not flow.may_continue(risky, "family_friends", acknowledged=False)
    assert flow.may_continue(risky, "family_friends", acknowledged=True)
    plain = payment("requires_action", requires=("verification_code",))
    assert flow.may_continue(plain, None, acknowledged=False)
    assert not flow.may_continue(None, None, acknowledged=True)


def test_a_cancelled_or_confirmed_payment_shows_its_result() -> None:
    cancelled = payment("cancelled")
    assert flow.after_cancel(cancelled) == Next("result", {"payment": cancelled})
    assert flow.after_confirm(cancelled) == Next("result", {"payment": cancelled})


def test_a_bill_shortcut_goes_straight_to_the_review_unless_the_bill_is_paid() -> None:
    assert flow.after_bill_found(bill(paid=False)) == Next("bill_found")
    assert flow.after_bill_found(bill(paid=False), straight_to_review=True) == Next("review")
    assert flow.after_bill_found(bill(paid=True), straight_to_review=True) == Next("bill_found")


def test_core_tiles_open_their_screens() -> None:
    assert [flow.core_target(item) for item in ("balance", "send", "bill", "history")] == [
        "balance",
        "send_payee",
        "bill_biller",
        "history",
    ]


def test_paid_or_held_payments_went_through_and_only_held_ones_can_be_stopped() -> None:
    assert [flow.went_through(payment(s)) for s in ("completed", "held", "cancelled", "blocked", "failed")] == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert flow.can_cancel_hold(payment("held")) and not flow.can_cancel_hold(payment("completed"))


# --- the card and the PIN ------------------------------------------------------------------------------


def sign_in_problem(code: str) -> errors.ApiError:
    return errors.from_envelope(403, {"error": {"code": code, "type": "forbidden", "message": code}})


@pytest.mark.parametrize("code", ["card_locked", "account_frozen"])
def test_a_locked_card_ends_the_pin_step_at_once(code: str) -> None:
    assert flow.ends_pin_step(sign_in_problem(code))
    assert flow.after_sign_in_failed(sign_in_problem(code)) == Next("card_kept", {"code": code})


def test_a_wrong_pin_stays_for_another_try() -> None:
    wrong = errors.from_envelope(401, {"error": {"code": "pin_incorrect", "type": "authentication_error"}})
    assert not flow.ends_pin_step(wrong)
    assert flow.after_sign_in_failed(wrong) is STAY


def test_a_kept_card_never_gets_the_pin_step_again() -> None:
    assert flow.after_card_chosen("6222020000000001", None) == Next("pin", {"card_number": "6222020000000001"})
    assert flow.after_card_chosen("6222020000000001", "card_locked") == Next("card_kept", {"code": "card_locked"})
