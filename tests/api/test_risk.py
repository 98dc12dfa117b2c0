"""Every risk reason is reachable through the documented demo data and magic values."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx
import pytest

from mock_api.risk import REASON_CODES, SCAM_PURPOSES
from tests.api.helpers import (
    BILL_NOT_FOUND_NUMBER,
    LARGE_BILL_NUMBER,
    MAGIC_UNUSUAL_TIME_MINOR,
    PAYEE_LI_MEI,
    PAYEE_WANG_QIANG,
    PAYEE_ZHANG_WEI,
    SCAM_NUMBER,
    WANG_FANG_SAVINGS,
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
from tests.demo import CHAN_MEILING, LIU_YANG, MARGARET, WANG_FANG


def created(response: httpx.Response) -> dict:
    return dict(ok(response, 201))


def assert_risk(payment: dict, decision: str, reasons: list[str], requires: list[str], hold_minutes: int = 0) -> None:
    assert payment["risk"] == {
        "decision": decision,
        "reasons": reasons,
        "requires": requires,
        "hold_minutes": hold_minutes,
    }, payment["risk"]


# Each reason code the risk engine can give, and the test below that reaches it through the demo data.
REASON_TESTS = {
    "new_payee": "test_new_payee_asks_for_confirmation_and_purpose",
    "large_amount": "test_amount_thresholds",
    "very_large_amount": "test_very_large_amount_is_stepped_up_and_held_for_two_hours",
    "unusual_time": "test_magic_amount_counts_as_unusual_time",
    "rapid_repeats": "test_fourth_payment_within_ten_minutes_is_rapid_repeats",
    "possible_duplicate": "test_same_payee_and_amount_within_an_hour_is_a_possible_duplicate",
    "payee_reported_scam": "test_payee_reported_for_scams_is_blocked",
    "purpose_scam_script": "test_scam_script_purpose_given_when_confirming_is_blocked",
    "insufficient_funds": "test_insufficient_funds_for_a_transfer",
    "limit_exceeded": "test_per_payment_limit",
}


def test_every_reason_code_has_a_test() -> None:
    assert set(REASON_TESTS) == set(REASON_CODES)
    assert all(callable(globals().get(name)) for name in REASON_TESTS.values())


# --- no warning at all --------------------------------------------------------------------------------


def test_known_payee_and_small_amount_is_allowed_without_any_warning(http: httpx.Client, wang_fang: Signed) -> None:
    before = wang_fang.balance()
    phone_before = wang_fang.phone()
    payment = created(wang_fang.pay(20_000, payee_id=PAYEE_LI_MEI, memo="  groceries  "))
    assert payment["status"] == "completed"
    assert_risk(payment, "allow", [], [])
    assert payment["cancellable"] is False
    assert payment["hold_until"] is None
    assert payment["verification_expires_at"] is None
    assert payment["memo"] == "groceries"
    assert payment["completed_at"] is not None
    assert wang_fang.balance() == before - 20_000
    assert wang_fang.phone() == phone_before  # no text, no code
    assert not [n for n in notifications(http) if n["payment_id"] == payment["id"]]

    receipt = ok(wang_fang.get(f"/v1/payments/{payment['id']}/receipt"))
    assert receipt["payment"] == wang_fang.payment(payment["id"])
    assert receipt["to_name"] == "李梅 Li Mei"
    assert receipt["to_last4"] == "0201"
    assert receipt["from_account_last4"] == "0101"
    assert receipt["reference"].startswith("CP-")


# --- new_payee ----------------------------------------------------------------------------------------


def test_new_payee_asks_for_confirmation_and_purpose(wang_fang: Signed) -> None:
    payees = {p["id"]: p for p in ok(wang_fang.get("/v1/payees"))}
    assert payees[PAYEE_ZHANG_WEI]["is_new"] is True
    assert payees[PAYEE_LI_MEI]["is_new"] is False
    before = wang_fang.balance()

    payment = created(wang_fang.pay(10_000, payee_id=PAYEE_ZHANG_WEI))
    assert payment["status"] == "requires_action"
    assert_risk(payment, "confirm", ["new_payee"], ["acknowledge", "purpose"])
    assert payment["cancellable"] is True
    assert wang_fang.balance() == before  # nothing moves before the confirmation

    assert_error(wang_fang.confirm(payment, purpose=None), 400, "purpose_required")
    assert_error(wang_fang.confirm(payment, acknowledged=False), 400, "acknowledgement_required")
    confirmed = ok(wang_fang.confirm(payment))
    assert confirmed["status"] == "completed"
    assert confirmed["purpose"] == "rent"
    assert wang_fang.balance() == before - 10_000
    assert_error(wang_fang.confirm(payment), 409, "payment_not_actionable")

    payees = {p["id"]: p for p in ok(wang_fang.get("/v1/payees"))}
    assert payees[PAYEE_ZHANG_WEI]["is_new"] is False
    assert payees[PAYEE_ZHANG_WEI]["payments_count"] == 1


def test_new_payee_and_1000_yuan_gets_the_15_minute_cooling_off(http: httpx.Client, wang_fang: Signed) -> None:
    payment = created(wang_fang.pay(100_000, payee_id=PAYEE_ZHANG_WEI))
    assert_risk(payment, "confirm", ["new_payee"], ["acknowledge", "purpose"], hold_minutes=15)
    held = ok(wang_fang.confirm(payment))
    assert held["status"] == "held"
    assert held["cancellable"] is True
    assert held["hold_until"] is not None
    delay = parse_time(held["hold_until"]) - server_now(http)
    assert timedelta(minutes=14) < delay <= timedelta(minutes=15)


def test_a_payee_stays_new_while_the_first_payment_to_them_is_held(http: httpx.Client, wang_fang: Signed) -> None:
    """A held payment has not arrived: a second one to the same new payee gets the new-payee
    treatment too, not a plain ``allow``. Once the first has arrived, the payee is known."""
    first = ok(wang_fang.confirm(created(wang_fang.pay(100_000, payee_id=PAYEE_ZHANG_WEI))))
    assert first["status"] == "held"
    payees = {p["id"]: p for p in ok(wang_fang.get("/v1/payees"))}
    assert payees[PAYEE_ZHANG_WEI]["is_new"] is True

    second = created(wang_fang.pay(30_000, payee_id=PAYEE_ZHANG_WEI))
    assert_risk(second, "confirm", ["new_payee"], ["acknowledge", "purpose"])
    assert second["status"] == "requires_action"
    ok(wang_fang.cancel(second["id"]))

    advance_clock(http, 16 * 60)  # the cooling-off is over: the first payment arrives
    wang_fang = sign_in(http, WANG_FANG)  # the session ended meanwhile
    assert wang_fang.payment(first["id"])["status"] == "completed"
    payees = {p["id"]: p for p in ok(wang_fang.get("/v1/payees"))}
    assert payees[PAYEE_ZHANG_WEI]["is_new"] is False
    third = created(wang_fang.pay(30_000, payee_id=PAYEE_ZHANG_WEI))
    assert_risk(third, "allow", [], [])
    assert third["status"] == "completed"
    assert_ledger_sound(http)


def test_just_under_the_new_payee_hold_has_no_hold(wang_fang: Signed) -> None:
    payment = created(wang_fang.pay(99_999, payee_id=PAYEE_ZHANG_WEI))
    assert payment["risk"]["hold_minutes"] == 0
    assert ok(wang_fang.confirm(payment))["status"] == "completed"


# --- large_amount and very_large_amount ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("payee", "amount", "decision", "reasons", "requires", "hold"),
    [
        # Wang Qiang: paid once 60 days ago, so neither new nor familiar: plain thresholds.
        (PAYEE_WANG_QIANG, 499_999, "allow", [], [], 0),
        (PAYEE_WANG_QIANG, 500_000, "confirm", ["large_amount"], ["acknowledge", "purpose"], 0),
        (PAYEE_WANG_QIANG, 1_999_999, "confirm", ["large_amount"], ["acknowledge", "purpose"], 0),
        (PAYEE_WANG_QIANG, 2_000_000, "step_up", ["large_amount"], ["acknowledge", "purpose", "verification_code"], 0),
        (PAYEE_WANG_QIANG, 5_000_000, "step_up", ["large_amount"], ["acknowledge", "purpose", "verification_code"], 0),
        (
            PAYEE_WANG_QIANG,
            5_000_001,
            "step_up",
            ["very_large_amount"],
            ["acknowledge", "purpose", "verification_code"],
            120,
        ),
        # Li Mei: paid 6 times, so familiar: the confirm and step-up thresholds are doubled.
        (PAYEE_LI_MEI, 500_000, "allow", [], [], 0),
        (PAYEE_LI_MEI, 999_999, "allow", [], [], 0),
        (PAYEE_LI_MEI, 1_000_000, "confirm", ["large_amount"], ["acknowledge", "purpose"], 0),
        (PAYEE_LI_MEI, 3_999_999, "confirm", ["large_amount"], ["acknowledge", "purpose"], 0),
        (PAYEE_LI_MEI, 4_000_000, "step_up", ["large_amount"], ["acknowledge", "purpose", "verification_code"], 0),
        # ... but the hold above 50,000.00 applies to everyone.
        (
            PAYEE_LI_MEI,
            5_000_001,
            "step_up",
            ["very_large_amount"],
            ["acknowledge", "purpose", "verification_code"],
            120,
        ),
    ],
)
def test_amount_thresholds(
    wang_fang: Signed, payee: str, amount: int, decision: str, reasons: list, requires: list, hold: int
) -> None:
    payment = created(wang_fang.pay(amount, payee_id=payee))
    assert_risk(payment, decision, reasons, requires, hold)
    assert payment["status"] == ("completed" if decision == "allow" else "requires_action")
    assert (payment["verification_expires_at"] is not None) == ("verification_code" in requires)


def test_large_amount_step_up_completes_with_the_code_from_the_phone(wang_fang: Signed) -> None:
    before = wang_fang.balance()
    payment = created(wang_fang.pay(2_000_000, payee_id=PAYEE_WANG_QIANG))
    code = wang_fang.code_from_phone(payment)
    assert "银行工作人员绝不会向您索要验证码" in wang_fang.phone()[0]["text"]  # in her language
    assert_error(wang_fang.confirm(payment, code=None), 400, "verification_code_required")
    done = ok(wang_fang.confirm(payment, code=code, purpose="rent"))
    assert done["status"] == "completed"
    assert wang_fang.balance() == before - 2_000_000


def test_very_large_amount_is_stepped_up_and_held_for_two_hours(http: httpx.Client, wang_fang: Signed) -> None:
    payment = created(wang_fang.pay(6_000_000, payee_id=PAYEE_WANG_QIANG))
    assert_risk(payment, "step_up", ["very_large_amount"], ["acknowledge", "purpose", "verification_code"], 120)
    held = ok(wang_fang.confirm(payment))
    assert held["status"] == "held"
    delay = parse_time(held["hold_until"]) - server_now(http)
    assert timedelta(minutes=119) < delay <= timedelta(minutes=120)


# --- unusual_time -------------------------------------------------------------------------------------


def test_magic_amount_counts_as_unusual_time(wang_fang: Signed) -> None:
    payment = created(wang_fang.pay(MAGIC_UNUSUAL_TIME_MINOR, payee_id=PAYEE_LI_MEI))
    assert payment["status"] == "requires_action"
    assert_risk(payment, "confirm", ["unusual_time"], ["acknowledge"])
    assert ok(wang_fang.confirm(payment))["status"] == "completed"


def test_three_in_the_morning_local_time_is_unusual(http: httpx.Client) -> None:
    three_am_in_beijing = datetime(2026, 3, 12, 3, 0, tzinfo=timezone(timedelta(hours=8)))
    ok(http.post("/v1/admin/clock", json={"set_to": three_am_in_beijing.isoformat()}))
    wang_fang = sign_in(http, WANG_FANG)
    payment = created(wang_fang.pay(10_000, payee_id=PAYEE_LI_MEI))
    assert_risk(payment, "confirm", ["unusual_time"], ["acknowledge"])

    ok(http.post("/v1/admin/clock", json={"advance_seconds": 3 * 3600}))  # 06:00 local: usual again
    wang_fang = sign_in(http, WANG_FANG)
    assert_risk(created(wang_fang.pay(10_100, payee_id=PAYEE_LI_MEI)), "allow", [], [])


# --- rapid_repeats and possible_duplicate ---------------------------------------------------------------


def test_fourth_payment_within_ten_minutes_is_rapid_repeats(http: httpx.Client, wang_fang: Signed) -> None:
    for amount in (10_100, 10_200, 10_300):
        assert_risk(created(wang_fang.pay(amount, payee_id=PAYEE_LI_MEI)), "allow", [], [])
    fourth = created(wang_fang.pay(10_400, payee_id=PAYEE_LI_MEI))
    assert_risk(fourth, "confirm", ["rapid_repeats"], ["acknowledge"])
    assert ok(wang_fang.confirm(fourth))["status"] == "completed"

    advance_clock(http, 601)  # the window is 10 minutes; the session (15 minutes) is still alive
    assert_risk(created(wang_fang.pay(10_500, payee_id=PAYEE_LI_MEI)), "allow", [], [])


def test_same_payee_and_amount_within_an_hour_is_a_possible_duplicate(http: httpx.Client, wang_fang: Signed) -> None:
    first = created(wang_fang.pay(8_800, payee_id=PAYEE_LI_MEI))
    assert_risk(first, "allow", [], [])
    second = created(wang_fang.pay(8_800, payee_id=PAYEE_LI_MEI))
    assert_risk(second, "confirm", ["possible_duplicate"], ["acknowledge"])
    cancelled = ok(wang_fang.cancel(second["id"]))
    assert cancelled["status"] == "cancelled"

    # Another amount to the same payee, or the same amount an hour later, is fine.
    assert_risk(created(wang_fang.pay(8_801, payee_id=PAYEE_LI_MEI)), "allow", [], [])
    advance_clock(http, 3601)
    wang_fang = sign_in(http, WANG_FANG)  # the session ran out meanwhile
    assert_risk(created(wang_fang.pay(8_800, payee_id=PAYEE_LI_MEI)), "allow", [], [])


# --- blocked: payee_reported_scam and purpose_scam_script ----------------------------------------------


def test_payee_reported_for_scams_is_blocked(http: httpx.Client, wang_fang: Signed) -> None:
    scam = wang_fang.add_payee(SCAM_NUMBER, "平安理财服务中心 Safe Wealth Service Centre")
    before = wang_fang.balance()
    journals = ledger(http)["journals"]

    response = wang_fang.pay(10_000, payee_id=scam["id"])
    error = assert_error(response, 402, "payment_blocked")
    assert error["type"] == "payment_declined"
    assert error["reasons"] == ["payee_reported_scam"]
    blocked = wang_fang.payment(error["details"]["payment_id"])  # the stopped payment is on record
    assert blocked["status"] == "blocked"
    assert blocked["risk"]["decision"] == "block"
    assert blocked["cancellable"] is False
    assert wang_fang.balance() == before
    assert ledger(http)["journals"] == journals


@pytest.mark.parametrize("purpose", sorted(SCAM_PURPOSES))
def test_scam_script_purpose_given_up_front_is_blocked(wang_fang: Signed, purpose: str) -> None:
    before = wang_fang.balance()
    error = assert_error(wang_fang.pay(600_000, payee_id=PAYEE_WANG_QIANG, purpose=purpose), 402, "payment_blocked")
    assert error["reasons"] == ["purpose_scam_script"]
    assert wang_fang.payment(error["details"]["payment_id"])["status"] == "blocked"
    assert wang_fang.balance() == before


@pytest.mark.parametrize("purpose", sorted(SCAM_PURPOSES))
def test_scam_script_purpose_given_when_confirming_is_blocked(wang_fang: Signed, purpose: str) -> None:
    before = wang_fang.balance()
    payment = created(wang_fang.pay(10_000, payee_id=PAYEE_ZHANG_WEI))
    assert "purpose" in payment["risk"]["requires"]
    error = assert_error(wang_fang.confirm(payment, purpose=purpose), 402, "payment_blocked")
    assert error["reasons"] == ["purpose_scam_script"]
    assert error["details"]["payment_id"] == payment["id"]
    stopped = wang_fang.payment(payment["id"])
    assert stopped["status"] == "blocked"
    assert stopped["purpose"] == purpose
    assert wang_fang.balance() == before
    assert_error(wang_fang.confirm(payment), 409, "payment_not_actionable")


# --- insufficient_funds and limit_exceeded ---------------------------------------------------------------


def test_insufficient_funds_for_a_transfer(http: httpx.Client) -> None:
    liu_yang = sign_in(http, LIU_YANG)
    assert liu_yang.balance() == 1_234
    payee = liu_yang.add_payee("6222030000001001", "张伟 Zhang Wei")
    error = assert_error(liu_yang.pay(1_235, payee_id=payee["id"]), 402, "insufficient_funds")
    assert error["reasons"] == ["insufficient_funds"]
    assert error["param"] == "amount_minor"
    # Exactly the balance is fine (after the new-payee confirmation): the account may reach zero.
    assert liu_yang.pay_fully(1_234, payee_id=payee["id"])["status"] == "completed"
    assert liu_yang.balance() == 0
    assert_ledger_sound(http)


def test_insufficient_funds_for_a_bill(http: httpx.Client) -> None:
    liu_yang = sign_in(http, LIU_YANG)
    bill = ok(liu_yang.post("/v1/bills/lookup", {"biller_id": "bil_electricity", "customer_number": "1234567890"}))
    error = assert_error(liu_yang.pay(bill["amount_minor"], bill_id=bill["id"]), 402, "insufficient_funds")
    assert error["reasons"] == ["insufficient_funds"]
    assert (
        ok(liu_yang.post("/v1/bills/lookup", {"biller_id": "bil_electricity", "customer_number": "1234567890"}))["paid"]
        is False
    )


def test_per_payment_limit(wang_fang: Signed) -> None:
    error = assert_error(wang_fang.pay(20_000_001, payee_id=PAYEE_LI_MEI), 402, "limit_exceeded")
    assert error["reasons"] == ["limit_exceeded"]
    assert error["details"]["limit_minor"] == 20_000_000
    # 200,000.00 is within the limit; Wang Fang simply does not have it.
    assert_error(wang_fang.pay(20_000_000, payee_id=PAYEE_LI_MEI), 402, "insufficient_funds")


def test_daily_limit_counts_held_payments(http: httpx.Client, wang_fang: Signed) -> None:
    # 120,000.00 from savings and 130,000.00 from the current account: both held (above 50,000.00).
    holds = []
    for account, amount in ((WANG_FANG_SAVINGS, 12_000_000), (WANG_FANG.account_id, 13_000_000)):
        payment = created(wang_fang.pay(amount, payee_id=PAYEE_WANG_QIANG, from_account_id=account))
        held = ok(wang_fang.confirm(payment))
        assert held["status"] == "held"
        holds.append(held)
    assert wang_fang.balance() == WANG_FANG.seeded_minor - 13_000_000

    # 250,000.00 spent today: 50,000.01 more would pass the 300,000.00 daily limit.
    error = assert_error(wang_fang.pay(5_000_001, payee_id=PAYEE_LI_MEI), 402, "limit_exceeded")
    assert error["reasons"] == ["limit_exceeded"]
    assert error["details"] == {"limit_minor": 30_000_000, "remaining_minor": 5_000_000}
    assert created(wang_fang.pay(100, payee_id=PAYEE_LI_MEI))["status"] == "completed"

    # Cancelling a hold gives the money and the room back.
    assert ok(wang_fang.cancel(holds[1]["id"]))["status"] == "cancelled"
    assert wang_fang.balance() == WANG_FANG.seeded_minor - 100
    assert created(wang_fang.pay(5_000_001, payee_id=PAYEE_LI_MEI))["status"] == "requires_action"

    # A day later the limit starts afresh.
    advance_clock(http, 24 * 3600 + 1)
    wang_fang = sign_in(http, WANG_FANG)
    payment = created(wang_fang.pay(5_000_001, payee_id=PAYEE_LI_MEI))
    assert payment["risk"]["reasons"] == ["very_large_amount"]
    assert_ledger_sound(http)


# --- bills --------------------------------------------------------------------------------------------


def test_billers_are_listed_in_three_languages(wang_fang: Signed) -> None:
    billers = ok(wang_fang.get("/v1/billers"))
    assert [b["id"] for b in billers] == ["bil_electricity", "bil_water", "bil_gas", "bil_phone"]
    assert billers[0]["category"] == "electricity"
    assert set(billers[0]["names"]) == {"en", "zh-Hans", "zh-Hant"}
    assert billers[0]["names"]["zh-Hans"] == "国家电网电费"


def test_look_up_and_pay_a_bill_once(http: httpx.Client, wang_fang: Signed) -> None:
    lookup = {"biller_id": "bil_electricity", "customer_number": "1234567890"}
    bill = ok(wang_fang.post("/v1/bills/lookup", lookup))
    assert bill["paid"] is False
    assert 8_000 <= bill["amount_minor"] <= 48_000
    assert bill["amount_minor"] % 10 == 0
    assert bill["holder_name"].endswith("**")  # masked
    assert ok(wang_fang.post("/v1/bills/lookup", lookup)) == bill  # the same bill every time this month

    before = wang_fang.balance()
    assert_error(wang_fang.pay(bill["amount_minor"] + 1, bill_id=bill["id"]), 400, "amount_mismatch")
    payment = created(wang_fang.pay(bill["amount_minor"], bill_id=bill["id"]))
    assert payment["kind"] == "bill"
    assert payment["status"] == "completed"
    assert_risk(payment, "allow", [], [])
    assert payment["counterparty"] == "State Grid Electricity"
    assert wang_fang.balance() == before - bill["amount_minor"]
    assert ok(wang_fang.post("/v1/bills/lookup", lookup))["paid"] is True

    error = assert_error(wang_fang.pay(bill["amount_minor"], bill_id=bill["id"]), 409, "bill_already_paid")
    assert error["param"] == "bill_id"
    # Nobody else can pay it either.
    margaret = sign_in(http, MARGARET)
    assert_error(margaret.pay(bill["amount_minor"], bill_id=bill["id"]), 409, "bill_already_paid")
    assert wang_fang.balance() == before - bill["amount_minor"]
    receipt = ok(wang_fang.get(f"/v1/payments/{payment['id']}/receipt"))
    assert receipt["to_last4"] == "7890"


def test_bill_not_found_magic_number(wang_fang: Signed) -> None:
    response = wang_fang.post(
        "/v1/bills/lookup", {"biller_id": "bil_electricity", "customer_number": BILL_NOT_FOUND_NUMBER}
    )
    error = assert_error(response, 404, "bill_not_found")
    assert error["param"] == "customer_number"


def test_large_bill_needs_confirmation_from_a_first_time_payer(http: httpx.Client) -> None:
    chan = sign_in(http, CHAN_MEILING)
    bill = ok(chan.post("/v1/bills/lookup", {"biller_id": "bil_water", "customer_number": LARGE_BILL_NUMBER}))
    assert bill["amount_minor"] == 680_000
    payment = created(chan.pay(680_000, bill_id=bill["id"]))
    # Bills never count as a new payee and never ask for a purpose.
    assert_risk(payment, "confirm", ["large_amount"], ["acknowledge"])
    assert ok(chan.confirm(payment))["status"] == "completed"
    assert chan.balance() == CHAN_MEILING.seeded_minor - 680_000


def test_large_bill_is_no_bother_for_a_familiar_biller(wang_fang: Signed) -> None:
    bill = ok(
        wang_fang.post("/v1/bills/lookup", {"biller_id": "bil_electricity", "customer_number": LARGE_BILL_NUMBER})
    )
    payment = created(wang_fang.pay(bill["amount_minor"], bill_id=bill["id"]))
    assert_risk(payment, "allow", [], [])  # three electricity bills paid before: thresholds doubled
