"""The API client with QR codes, against the real mock API: a payment request's code and expiry, and
paying the account of a scanned code (new-payee checks, scam block, unknown account)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from client import errors
from client.api import PaymentApi
from client.credentials import CredentialStore, ensure_registered
from client.i18n import LANGUAGES, Translator
from client.qr import explain_key
from client.qr.scan import read_scan
from emvqr import PayloadError, PaymentCode, decode, encode
from mock_api.server import EmbeddedServer
from tests.demo import LI_MEI, WANG_FANG

CURRENT = WANG_FANG.account_id
WANG_FANG_NUMBER = "6217000000000101"
LIU_FANG_NUMBER = "6222030000001002"  # another bank; Wang Fang has never paid her
SCAM_NUMBER = "6222030000006666"  # another bank; reported for scams


@pytest.fixture
def li_mei(api_server: EmbeddedServer) -> Iterator[PaymentApi]:
    """Li Mei at a second kiosk of the same bank: the one who scans Wang Fang's code."""
    client = PaymentApi(api_server.url, backoff_seconds=0.01)
    ensure_registered(client, CredentialStore(api_server.url), "second test kiosk")
    client.sign_in(LI_MEI.number, LI_MEI.pin)
    yield client
    client.close()


def code_for(number: str, name: str, local_name: str) -> PaymentCode:
    return decode(encode(PaymentCode(account_number=number, name=name, local_name=local_name, reference="SHOP-42")))


def test_a_payment_request_comes_with_its_code_and_expiry(wang_fang: PaymentApi, li_mei: PaymentApi) -> None:
    request = wang_fang.create_payment_request(CURRENT, 6_600)
    assert request.status == "open"
    assert request.expires_at is not None and request.expires_at > request.created_at
    code = decode(request.payload)
    assert (code.account_number, code.name, code.local_name) == (WANG_FANG_NUMBER, "WANG FANG", "王芳")
    assert (code.amount_minor, code.reference) == (6_600, request.id)

    payment = li_mei.create_payment(
        from_account_id=LI_MEI.account_id, amount_minor=6_600, payment_request_id=code.reference
    )
    assert payment.risk.reasons == ["new_payee"]  # Li Mei has never paid her mother
    assert li_mei.confirm_payment(payment.id, acknowledged=True, purpose="other").status == "completed"
    assert wang_fang.payment_request(request.id).status == "paid"


def test_an_expired_request_is_a_conflict_the_kiosk_can_explain(wang_fang: PaymentApi, li_mei: PaymentApi) -> None:
    request = wang_fang.create_payment_request(CURRENT, 6_600)
    li_mei.advance_clock(14 * 60)
    assert li_mei.payment_request(request.id).status == "open"
    li_mei.advance_clock(2 * 60)
    with pytest.raises(errors.Conflict) as refused:
        li_mei.create_payment(from_account_id=LI_MEI.account_id, amount_minor=6_600, payment_request_id=request.id)
    assert refused.value.code == "payment_request_expired"
    assert li_mei.payment_request(request.id).status == "expired"


def test_paying_a_scanned_account_asks_what_a_new_payee_asks(wang_fang: PaymentApi) -> None:
    code = code_for(LIU_FANG_NUMBER, "LIU FANG", "刘芳")
    payment = wang_fang.create_payment(
        from_account_id=CURRENT,
        amount_minor=8_000,
        to_account_number=code.account_number,
        to_name=code.local_name,
        memo=code.reference,
    )
    assert payment.status == "requires_action"
    assert payment.risk.reasons == ["new_payee"]
    assert payment.counterparty == "刘芳 Liu Fang"
    assert wang_fang.confirm_payment(payment.id, acknowledged=True, purpose="rent").status == "completed"


def test_a_scanned_code_for_a_reported_account_is_blocked(wang_fang: PaymentApi) -> None:
    with pytest.raises(errors.PaymentBlocked) as blocked:
        wang_fang.create_payment(
            from_account_id=CURRENT, amount_minor=8_000, to_account_number=SCAM_NUMBER, to_name="平安理财服务中心"
        )
    assert blocked.value.reasons == ["payee_reported_scam"]


def test_a_scanned_code_for_an_unknown_account_is_not_found(wang_fang: PaymentApi) -> None:
    with pytest.raises(errors.NotFound) as missing:
        wang_fang.create_payment(
            from_account_id=CURRENT, amount_minor=8_000, to_account_number="6222039999999999", to_name="张三"
        )
    assert missing.value.code == "account_not_found"


# --- read_scan: what the review step shows and pays -----------------------------------------------


def test_a_scanned_request_of_this_bank_is_paid_as_that_request(wang_fang: PaymentApi, li_mei: PaymentApi) -> None:
    request = wang_fang.create_payment_request(CURRENT, 6_600)
    scan = read_scan(li_mei, request.payload + "\n")
    assert scan.request is not None and scan.request.id == request.id
    assert scan.target() == {"payment_request_id": request.id}
    assert (scan.amount_minor, scan.account_last4, scan.problem_key()) == (6_600, "0101", None)
    assert (scan.name_in("zh-Hans"), scan.name_in("en")) == ("王芳", "Wang Fang")

    payment = li_mei.create_payment(from_account_id=LI_MEI.account_id, amount_minor=6_600, **scan.target())
    li_mei.confirm_payment(payment.id, acknowledged=True, purpose="other")
    assert read_scan(li_mei, request.payload).problem_key() == "error.payment_request_closed"


def test_a_scanned_request_that_expired_says_so(wang_fang: PaymentApi, li_mei: PaymentApi) -> None:
    request = wang_fang.create_payment_request(CURRENT)
    li_mei.advance_clock(14 * 60)
    assert read_scan(li_mei, request.payload).problem_key() is None
    li_mei.advance_clock(2 * 60)
    assert read_scan(li_mei, request.payload).problem_key() == "error.payment_request_expired"


def test_a_scanned_account_code_is_paid_as_that_account(wang_fang: PaymentApi) -> None:
    payload = encode(
        PaymentCode(account_number=LIU_FANG_NUMBER, name="LIU FANG", local_name="刘芳", reference="SHOP-42")
    )
    scan = read_scan(wang_fang, payload)
    assert scan.request is None
    assert scan.target() == {"to_account_number": LIU_FANG_NUMBER, "to_name": "刘芳", "memo": "SHOP-42"}
    assert (scan.name_in("zh-Hant"), scan.name_in("en"), scan.amount_minor) == ("刘芳", "LIU FANG", None)
    payment = wang_fang.create_payment(from_account_id=CURRENT, amount_minor=1_000, **scan.target())
    assert payment.risk.reasons == ["new_payee"]


def test_a_reference_that_only_looks_like_a_request_pays_the_account(wang_fang: PaymentApi) -> None:
    payload = encode(PaymentCode(account_number=LIU_FANG_NUMBER, name="LIU FANG", reference="req_0123456789abcdef"))
    assert read_scan(wang_fang, payload).target()["to_account_number"] == LIU_FANG_NUMBER


def test_a_code_naming_a_request_for_another_account_is_refused(wang_fang: PaymentApi, li_mei: PaymentApi) -> None:
    request = wang_fang.create_payment_request(CURRENT, 6_600)
    forged = encode(PaymentCode(account_number=LIU_FANG_NUMBER, name="WANG FANG", reference=request.id))
    with pytest.raises(PayloadError) as refused:
        read_scan(li_mei, forged)
    assert refused.value.code == "malformed"


def test_a_code_the_kiosk_cannot_pay_is_refused_before_the_bank_is_asked(wang_fang: PaymentApi) -> None:
    with pytest.raises(PayloadError) as refused:
        read_scan(wang_fang, "wxp://f2f0abcdefghijklmnop")
    assert explain_key(refused.value) == "qr.error.not_a_payment_code"


@pytest.mark.parametrize("key", ["error.payment_request_expired", "error.payment_request_closed"])
def test_a_closed_request_has_plain_words_in_every_language(key: str) -> None:
    assert all(Translator(language).has(key) for language in LANGUAGES)
