"""Payment requests (QR), drafts ("breakpoint resume"), usage for the adaptive home, preferences."""

from __future__ import annotations

import json

import httpx
import pytest

from emvqr import decode
from tests.api.helpers import Signed, assert_error, assert_ledger_sound, new_key, ok, sign_in
from tests.demo import CHAN_MEILING, LI_MEI, MARGARET, WANG_FANG


@pytest.fixture
def li_mei(http: httpx.Client) -> Signed:
    return sign_in(http, LI_MEI)


def request_money(signed: Signed, amount: int | None = None, note: str = "") -> dict:
    body: dict = {"to_account_id": signed.card.account_id if signed.card else "", "note": note}
    if amount is not None:
        body["amount_minor"] = amount
    return dict(ok(signed.post("/v1/payment-requests", body), 201))


# --- payment requests (QR) ---------------------------------------------------------------------------


def test_create_and_pay_a_payment_request(http: httpx.Client, li_mei: Signed, wang_fang: Signed) -> None:
    request = request_money(li_mei, 8_800, note="  dinner  ")
    assert request["status"] == "open"
    assert request["payee_name"] == "李梅 Li Mei"
    assert request["amount_minor"] == 8_800
    assert request["note"] == "dinner"
    assert decode(request["payload"]).reference == request["id"]  # an EMVCo payment code (tests/api/test_qr.py)
    assert ok(wang_fang.get(f"/v1/payment-requests/{request['id']}")) == request  # anyone who scans it can read it

    li_mei_before, wang_fang_before = li_mei.balance(), wang_fang.balance()
    assert_error(wang_fang.pay(8_801, payment_request_id=request["id"]), 400, "amount_mismatch")
    payment = ok(wang_fang.pay(8_800, payment_request_id=request["id"]), 201)
    assert payment["kind"] == "request"
    assert payment["counterparty"] == "李梅 Li Mei"
    assert payment["status"] == "completed"  # Wang Fang pays Li Mei often: no warning
    assert ok(li_mei.get(f"/v1/payment-requests/{request['id']}"))["status"] == "paid"
    assert li_mei.balance() == li_mei_before + 8_800
    assert wang_fang.balance() == wang_fang_before - 8_800

    assert_error(wang_fang.pay(8_800, payment_request_id=request["id"]), 409, "payment_request_closed")
    assert_error(li_mei.post(f"/v1/payment-requests/{request['id']}/cancel"), 409, "payment_request_closed")
    receipt = ok(wang_fang.get(f"/v1/payments/{payment['id']}/receipt"))
    assert receipt["to_name"] == "李梅 Li Mei"
    assert_ledger_sound(http)


def test_a_first_payment_to_someone_by_qr_asks_for_confirmation(http: httpx.Client, li_mei: Signed) -> None:
    request = request_money(li_mei)  # any amount
    assert request["amount_minor"] is None
    margaret = sign_in(http, MARGARET)
    payment = ok(margaret.pay(12_345, payment_request_id=request["id"]), 201)
    assert payment["risk"]["reasons"] == ["new_payee"]
    assert ok(margaret.confirm(payment))["status"] == "completed"
    assert ok(li_mei.get(f"/v1/payment-requests/{request['id']}"))["status"] == "paid"


def test_a_request_is_paid_once_even_with_two_payments_waiting(http: httpx.Client, li_mei: Signed) -> None:
    request = request_money(li_mei, 10_000)
    margaret = sign_in(http, MARGARET)
    first = ok(margaret.pay(10_000, payment_request_id=request["id"]), 201)
    second = ok(margaret.pay(10_000, payment_request_id=request["id"]), 201)
    assert first["status"] == second["status"] == "requires_action"
    assert ok(margaret.confirm(first))["status"] == "completed"
    assert_error(margaret.confirm(second), 409, "payment_request_closed")
    assert margaret.payment(second["id"])["status"] == "failed"
    assert margaret.balance() == MARGARET.seeded_minor - 10_000


def test_cancel_a_payment_request(http: httpx.Client, li_mei: Signed, wang_fang: Signed) -> None:
    request = request_money(li_mei, 5_000)
    assert_error(wang_fang.post(f"/v1/payment-requests/{request['id']}/cancel"), 404, "payment_request_not_found")
    cancelled = ok(li_mei.post(f"/v1/payment-requests/{request['id']}/cancel"))
    assert cancelled["status"] == "cancelled"
    assert_error(wang_fang.pay(5_000, payment_request_id=request["id"]), 409, "payment_request_closed")
    assert_error(li_mei.post(f"/v1/payment-requests/{request['id']}/cancel"), 409, "payment_request_closed")


def test_cancelling_a_held_payment_reopens_the_request(http: httpx.Client, li_mei: Signed, wang_fang: Signed) -> None:
    request = request_money(li_mei, 6_000_000)  # 60,000.00: the payment is held
    payment = ok(wang_fang.pay(6_000_000, payment_request_id=request["id"]), 201)
    held = ok(wang_fang.confirm(payment))
    assert held["status"] == "held"
    assert ok(li_mei.get(f"/v1/payment-requests/{request['id']}"))["status"] == "paid"
    ok(wang_fang.cancel(held["id"]))
    assert ok(li_mei.get(f"/v1/payment-requests/{request['id']}"))["status"] == "open"
    assert wang_fang.balance() == WANG_FANG.seeded_minor


def test_cannot_pay_your_own_request_into_the_same_account(li_mei: Signed) -> None:
    request = request_money(li_mei, 1_000)
    assert_error(li_mei.pay(1_000, payment_request_id=request["id"]), 400, "same_account")


def test_a_request_goes_to_your_own_account_only(li_mei: Signed) -> None:
    body = {"to_account_id": WANG_FANG.account_id, "amount_minor": 1_000}
    assert_error(li_mei.post("/v1/payment-requests", body), 404, "account_not_found")
    assert_error(
        li_mei.post("/v1/payment-requests", {"to_account_id": LI_MEI.account_id, "amount_minor": 0}),
        400,
        "validation_failed",
    )


def test_a_bill_is_paid_once_even_with_two_payments_waiting(http: httpx.Client) -> None:
    chan = sign_in(http, CHAN_MEILING)
    bill = ok(chan.post("/v1/bills/lookup", {"biller_id": "bil_water", "customer_number": "8888888888"}))
    first = ok(chan.pay(bill["amount_minor"], bill_id=bill["id"]), 201)
    second = ok(chan.pay(bill["amount_minor"], bill_id=bill["id"]), 201)
    assert first["status"] == second["status"] == "requires_action"  # 6,800.00 to a new biller: confirm
    assert ok(chan.confirm(first))["status"] == "completed"
    assert_error(chan.confirm(second), 409, "bill_already_paid")
    assert chan.payment(second["id"])["status"] == "failed"
    assert chan.balance() == CHAN_MEILING.seeded_minor - bill["amount_minor"]


# --- drafts ----------------------------------------------------------------------------------------------


def test_drafts_put_get_delete(http: httpx.Client, wang_fang: Signed) -> None:
    assert ok(wang_fang.get("/v1/drafts")) == []
    data = {"step": "amount", "payee_id": "payee_wf_limei", "amount_minor": 20_000}
    saved = ok(wang_fang.put("/v1/drafts/send-money", {"data": data}))
    assert saved["flow"] == "send-money"
    assert saved["data"] == data
    assert ok(wang_fang.get("/v1/drafts")) == [saved]

    # One draft per flow: saving again replaces it.
    newer = ok(wang_fang.put("/v1/drafts/send-money", {"data": {"step": "review"}}))
    ok(wang_fang.put("/v1/drafts/pay_bill", {"data": {"biller_id": "bil_water"}}))
    drafts = {d["flow"]: d for d in ok(wang_fang.get("/v1/drafts"))}
    assert set(drafts) == {"send-money", "pay_bill"}
    assert drafts["send-money"]["data"] == newer["data"] == {"step": "review"}

    # Drafts follow the customer to another kiosk, and belong to nobody else.
    elsewhere = sign_in(http, WANG_FANG)
    assert {d["flow"] for d in ok(elsewhere.get("/v1/drafts"))} == {"send-money", "pay_bill"}
    assert ok(sign_in(http, LI_MEI).get("/v1/drafts")) == []

    assert wang_fang.delete("/v1/drafts/send-money").status_code == 204
    assert wang_fang.delete("/v1/drafts/send-money").status_code == 204  # deleting nothing is fine
    assert [d["flow"] for d in ok(wang_fang.get("/v1/drafts"))] == ["pay_bill"]


def test_draft_size_limit(wang_fang: Signed) -> None:
    assert_error(wang_fang.put("/v1/drafts/big", {"data": {"x": "y" * 8200}}), 400, "validation_failed")
    assert ok(wang_fang.get("/v1/drafts")) == []


# --- usage ---------------------------------------------------------------------------------------------


def test_usage_is_recorded_and_listed_newest_first(http: httpx.Client, wang_fang: Signed) -> None:
    seeded = ok(wang_fang.get("/v1/usage"))
    assert len(seeded) == 16  # a year of history: balance x8, send to Li Mei x5, electricity x3
    assert ok(wang_fang.get("/v1/usage", params={"since_days": 1})) == []

    record = ok(wang_fang.post("/v1/usage", {"item": "bill:bil_water", "label": "Pay water"}), 201)
    assert (record["item"], record["label"]) == ("bill:bil_water", "Pay water")
    recent = ok(wang_fang.get("/v1/usage", params={"since_days": 1}))
    assert recent == [record]
    assert ok(wang_fang.get("/v1/usage"))[0] == record
    assert ok(sign_in(http, LI_MEI).get("/v1/usage")) == []
    assert_error(wang_fang.post("/v1/usage", {"item": "Bad Item", "label": "x"}), 400, "validation_failed")


def test_usage_retry_with_the_same_key_records_once(wang_fang: Signed) -> None:
    key = new_key()
    for _ in range(3):
        ok(wang_fang.post("/v1/usage", {"item": "balance", "label": "Balance"}, key=key), 201)
    assert len(ok(wang_fang.get("/v1/usage", params={"since_days": 1}))) == 1


# --- preferences ----------------------------------------------------------------------------------------


def test_preferences_put_get(http: httpx.Client, wang_fang: Signed) -> None:
    assert ok(wang_fang.get("/v1/preferences")) == {"data": {}}
    prefs = {"elder_mode": True, "font_pt": 24, "language": "zh-Hans", "pinned": ["balance", "send:payee_wf_limei"]}
    assert ok(wang_fang.put("/v1/preferences", {"data": prefs})) == {"data": prefs}
    assert ok(sign_in(http, WANG_FANG).get("/v1/preferences")) == {"data": prefs}  # another kiosk
    assert ok(sign_in(http, LI_MEI).get("/v1/preferences")) == {"data": {}}


def test_preferences_are_limited_to_4_kib(wang_fang: Signed) -> None:
    def prefs_of_size(size: int) -> dict:
        data = {"notes": "x" * (size - len(json.dumps({"notes": ""})))}
        assert len(json.dumps(data).encode()) == size
        return data

    at_limit = prefs_of_size(4096)
    assert ok(wang_fang.put("/v1/preferences", {"data": at_limit})) == {"data": at_limit}
    error = assert_error(wang_fang.put("/v1/preferences", {"data": prefs_of_size(4097)}), 400, "validation_failed")
    assert error["param"] == "data"
    # Text counts as stored: each 长 is six bytes of escaped JSON (\u957f), so 1,000 of them are too many.
    assert_error(wang_fang.put("/v1/preferences", {"data": {"notes": "长" * 1000}}), 400, "validation_failed")
    assert ok(wang_fang.get("/v1/preferences")) == {"data": at_limit}  # unchanged by the refused writes


# --- documents the bank could store but never serve again ------------------------------------------------


def nested(depth: int) -> dict:
    """A JSON object ``depth`` objects deep: {"a": {"a": ... {}}}."""
    document: dict = {}
    for _ in range(depth - 1):
        document = {"a": document}
    return document


# Written raw: a JSON client would refuse to encode a lone surrogate, an attacker's would not.
LONE_SURROGATE_VALUE = b'{"data": {"note": "\\ud800"}}'
LONE_SURROGATE_KEY = b'{"data": {"\\udfff": 1}}'


@pytest.mark.parametrize("path", ["/v1/preferences", "/v1/drafts/send-money"])
def test_a_document_nested_too_deep_is_refused_and_reads_still_work(wang_fang: Signed, path: str) -> None:
    read_path = path if path == "/v1/preferences" else "/v1/drafts"
    before = ok(wang_fang.get(read_path))
    for depth in (17, 300):
        error = assert_error(wang_fang.put(path, {"data": nested(depth)}), 400, "document_too_deep")
        assert error["param"] == "data"
        assert ok(wang_fang.get(read_path)) == before  # nothing was written, and reading still answers
    # The deepest allowed document is stored and served back as sent.
    deepest = nested(16)
    assert ok(wang_fang.put(path, {"data": deepest}))["data"] == deepest
    served = ok(wang_fang.get(read_path))
    assert (served if path == "/v1/preferences" else served[0])["data"] == deepest


@pytest.mark.parametrize("path", ["/v1/preferences", "/v1/drafts/send-money"])
@pytest.mark.parametrize("raw", [LONE_SURROGATE_VALUE, LONE_SURROGATE_KEY])
def test_a_document_with_a_lone_surrogate_is_refused_and_reads_still_work(
    wang_fang: Signed, path: str, raw: bytes
) -> None:
    read_path = path if path == "/v1/preferences" else "/v1/drafts"
    before = ok(wang_fang.get(read_path))
    headers = {**wang_fang.auth, "Content-Type": "application/json"}
    error = assert_error(wang_fang.http.put(path, content=raw, headers=headers), 400, "document_text_invalid")
    assert error["param"] == "data"
    assert ok(wang_fang.get(read_path)) == before
    # Text outside the Basic Multilingual Plane, written as a proper surrogate pair, is fine.
    pair = b'{"data": {"note": "\\ud83d\\ude00 \xe8\x80\x81"}}'
    assert ok(wang_fang.http.put(path, content=pair, headers=headers))["data"] == {"note": "\U0001f600 老"}
    served = ok(wang_fang.get(read_path))
    assert (served if path == "/v1/preferences" else served[0])["data"] == {"note": "\U0001f600 老"}
