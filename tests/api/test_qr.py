"""QR codes at the bank: payment requests issue EMVCo payment codes that expire, and a scanned code for
an account is paid like a first payment to a new payee (a code for an account reported for scams is stopped)."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from emvqr import PaymentCode, decode, encode
from tests.api.helpers import (
    LI_MEI_ACCOUNT_NUMBER,
    LIU_FANG_NUMBER,
    SCAM_NUMBER,
    WANG_QIANG_NUMBER,
    ZHANG_WEI_NUMBER,
    Signed,
    advance_clock,
    assert_error,
    assert_ledger_sound,
    ok,
    parse_time,
    sign_in,
)
from tests.demo import CHAN_MEILING, LI_MEI, MARGARET

REQUEST_MINUTES = 15  # payment_request_minutes in mock_api/risk.toml


@pytest.fixture
def li_mei(http: httpx.Client) -> Signed:
    return sign_in(http, LI_MEI)


@pytest.fixture
def margaret(http: httpx.Client) -> Signed:
    return sign_in(http, MARGARET)


def request_money(signed: Signed, amount: int | None = None) -> dict:
    assert signed.card is not None
    body: dict = {"to_account_id": signed.card.account_id}
    if amount is not None:
        body["amount_minor"] = amount
    return dict(ok(signed.post("/v1/payment-requests", body), 201))


def scanned(number: str, name: str = "ZHANG WEI", local_name: str | None = "张伟", reference: str = "") -> PaymentCode:
    """What the kiosk decodes from a printed payment code for an account (no payment request behind it)."""
    return decode(encode(PaymentCode(account_number=number, name=name, local_name=local_name, reference=reference)))


def pay_code(signed: Signed, code: PaymentCode, amount: int) -> httpx.Response:
    """Pay a scanned account code as the kiosk does: the account and the name it shows, its reference as the memo."""
    return signed.pay(
        amount, to_account_number=code.account_number, to_name=code.local_name or code.name, memo=code.reference
    )


# --- payment requests -----------------------------------------------------------------------------


def test_a_payment_request_is_an_emvco_code_for_the_account_and_name(li_mei: Signed, wang_fang: Signed) -> None:
    request = request_money(li_mei, 8_800)
    code = decode(request["payload"])
    assert code == PaymentCode(
        account_number=LI_MEI_ACCOUNT_NUMBER,
        name="LI MEI",
        local_name="李梅",
        amount_minor=8_800,
        reference=request["id"],
    )
    assert request["payload"].startswith("000201010212")  # dynamic: the amount is fixed

    # The kiosk that scans it finds the request by its reference and pays that.
    paid = ok(wang_fang.pay(code.amount_minor or 0, payment_request_id=code.reference), 201)
    assert paid["status"] == "completed"
    assert ok(li_mei.get(f"/v1/payment-requests/{request['id']}"))["status"] == "paid"


def test_a_request_without_an_amount_is_a_static_code(http: httpx.Client) -> None:
    chan_meiling = sign_in(http, CHAN_MEILING)
    request = request_money(chan_meiling)
    code = decode(request["payload"])
    assert request["payload"].startswith("000201010211")
    assert (code.name, code.local_name, code.amount_minor) == ("CHAN MEI-LING", "陳美玲", None)  # her own script


def test_a_customer_with_a_latin_name_only_has_no_local_name(margaret: Signed) -> None:
    code = decode(request_money(margaret, 100)["payload"])
    assert (code.name, code.local_name) == ("MARGARET BROWN", None)


def test_a_request_expires_by_the_bank_clock(http: httpx.Client, li_mei: Signed, wang_fang: Signed) -> None:
    request = request_money(li_mei, 5_000)
    created, expires = parse_time(request["created_at"]), parse_time(request["expires_at"])
    assert expires - created == timedelta(minutes=REQUEST_MINUTES)

    advance_clock(http, (REQUEST_MINUTES - 1) * 60)
    assert ok(wang_fang.get(f"/v1/payment-requests/{request['id']}"))["status"] == "open"
    assert ok(li_mei.get(f"/v1/payment-requests/{request['id']}"))["status"] == "open"  # her session goes on
    advance_clock(http, 61)
    assert ok(li_mei.get(f"/v1/payment-requests/{request['id']}"))["status"] == "expired"
    before = wang_fang.balance()
    error = assert_error(wang_fang.pay(5_000, payment_request_id=request["id"]), 409, "payment_request_expired")
    assert error["param"] == "payment_request_id"
    assert wang_fang.balance() == before


def test_a_payment_waiting_for_confirmation_fails_once_its_request_expired(
    http: httpx.Client, li_mei: Signed, margaret: Signed
) -> None:
    request = request_money(li_mei, 10_000)
    advance_clock(http, 10 * 60)
    payment = ok(margaret.pay(10_000, payment_request_id=request["id"]), 201)
    assert payment["risk"]["reasons"] == ["new_payee"]  # Margaret has never paid Li Mei: she confirms
    advance_clock(http, 6 * 60)
    assert_error(margaret.confirm(payment), 409, "payment_request_expired")
    assert margaret.payment(payment["id"])["status"] == "failed"
    assert margaret.balance() == MARGARET.seeded_minor


# --- paying a scanned account code ----------------------------------------------------------------


def test_a_first_payment_to_a_scanned_account_gets_the_new_payee_checks(http: httpx.Client, margaret: Signed) -> None:
    code = scanned(ZHANG_WEI_NUMBER, reference="INV-2026-03")
    payment = ok(pay_code(margaret, code, 12_000), 201)
    assert payment["status"] == "requires_action"
    assert payment["risk"]["reasons"] == ["new_payee"]
    assert payment["kind"] == "transfer"
    assert payment["counterparty"] == "张伟 Zhang Wei"  # the holder as the bank knows them
    assert payment["memo"] == "INV-2026-03"
    assert ok(margaret.confirm(payment))["status"] == "completed"
    receipt = ok(margaret.get(f"/v1/payments/{payment['id']}/receipt"))
    assert receipt["to_last4"] == "1001"

    # Paid once, the account is known: the next small payment goes straight through.
    assert ok(pay_code(margaret, code, 3_000), 201)["status"] == "completed"
    # Another account at another bank is someone new again, though it clears through the same account.
    other = ok(pay_code(margaret, scanned(LIU_FANG_NUMBER, "LIU FANG", "刘芳"), 3_000), 201)
    assert other["risk"]["reasons"] == ["new_payee"]
    assert margaret.balance() == MARGARET.seeded_minor - 15_000
    assert_ledger_sound(http)


def test_a_large_first_payment_to_a_scanned_account_is_held_like_one_to_a_new_payee(margaret: Signed) -> None:
    payment = ok(pay_code(margaret, scanned(LIU_FANG_NUMBER, "LIU FANG", "刘芳"), 150_000), 201)
    assert "new_payee" in payment["risk"]["reasons"]
    assert payment["risk"]["hold_minutes"] > 0
    assert ok(margaret.confirm(payment))["status"] == "held"


def test_a_scanned_account_of_this_bank_is_paid_into_it(li_mei: Signed, margaret: Signed) -> None:
    before = li_mei.balance()
    payment = ok(pay_code(margaret, scanned(LI_MEI_ACCOUNT_NUMBER, "LI MEI", "李梅"), 2_500), 201)
    assert payment["risk"]["reasons"] == ["new_payee"]
    assert ok(margaret.confirm(payment))["status"] == "completed"
    assert payment["counterparty"] == "李梅 Li Mei"
    assert li_mei.balance() == before + 2_500


def test_a_scanned_account_already_paid_as_a_saved_payee_is_not_new(wang_fang: Signed) -> None:
    # Wang Fang paid her son Wang Qiang (another bank) as a saved payee 60 days ago.
    payment = ok(pay_code(wang_fang, scanned(WANG_QIANG_NUMBER, "WANG QIANG", "王强"), 10_000), 201)
    assert "new_payee" not in payment["risk"]["reasons"]
    assert payment["status"] == "completed"


def test_a_code_for_an_account_reported_for_scams_is_blocked(wang_fang: Signed) -> None:
    before = wang_fang.balance()
    code = scanned(SCAM_NUMBER, "SAFE WEALTH SERVICE", "平安理财服务中心")
    error = assert_error(pay_code(wang_fang, code, 50_000), 402, "payment_blocked")
    assert error["reasons"] == ["payee_reported_scam"]
    assert wang_fang.payment(error["details"]["payment_id"])["status"] == "blocked"
    assert wang_fang.balance() == before


def test_a_code_for_an_account_the_bank_does_not_know_is_not_found(wang_fang: Signed) -> None:
    error = assert_error(pay_code(wang_fang, scanned("6222039999999999"), 1_000), 404, "account_not_found")
    assert error["param"] == "to_account_number"


def test_a_customer_cannot_pay_her_own_code(li_mei: Signed) -> None:
    assert_error(pay_code(li_mei, scanned(LI_MEI_ACCOUNT_NUMBER, "LI MEI", "李梅"), 1_000), 400, "same_account")


@pytest.mark.parametrize(
    "targets",
    [
        {"to_account_number": ZHANG_WEI_NUMBER},  # without the name the code shows
        {"to_name": "张伟", "payee_id": "payee_wf_zhangwei"},  # a name belongs to a scanned account only
        {"to_account_number": ZHANG_WEI_NUMBER, "to_name": "张伟", "payee_id": "payee_wf_zhangwei"},
        {"to_account_number": "62220300", "to_name": "张伟"},  # not an account number
    ],
)
def test_a_scanned_account_comes_with_its_name_and_alone(wang_fang: Signed, targets: dict) -> None:
    body = {"from_account_id": "acc_wangfang_current", "amount_minor": 1_000, **targets}
    assert_error(wang_fang.post("/v1/payments", body), 400, "validation_failed")
