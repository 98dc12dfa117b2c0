"""Idempotency-Key semantics (Stripe's): replay the first response, refuse a reused key, guard keys in flight."""

from __future__ import annotations

import threading

import httpx
import pytest

from tests.api.helpers import (
    PAYEE_LI_MEI,
    WANG_FANG_HISTORY_PAYMENTS,
    ZHANG_WEI_NUMBER,
    advance_clock,
    api_client,
    assert_error,
    assert_ledger_sound,
    ledger,
    new_key,
    ok,
    payment_body,
    set_faults,
    sign_in,
)
from tests.demo import LI_MEI, LIU_YANG, WANG_FANG


def postings_for(transactions: list[dict], payment_id: str) -> list[dict]:
    return [t for t in transactions if t["payment_id"] == payment_id]


def test_same_key_and_body_replays_the_first_response_and_moves_money_once(http: httpx.Client) -> None:
    wang_fang = sign_in(http, WANG_FANG)
    li_mei = sign_in(http, LI_MEI)
    journals_before = ledger(http)["journals"]
    key = new_key()

    first = wang_fang.pay(12_300, payee_id=PAYEE_LI_MEI, key=key)
    second = wang_fang.pay(12_300, payee_id=PAYEE_LI_MEI, key=key)

    assert first.status_code == 201
    assert "idempotent-replayed" not in first.headers
    assert first.json()["status"] == "completed"
    assert second.status_code == 201
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()
    assert ledger(http)["journals"] == journals_before + 1
    assert len(postings_for(wang_fang.transactions(), first.json()["id"])) == 1
    assert wang_fang.balance() == WANG_FANG.seeded_minor - 12_300
    assert li_mei.balance() == LI_MEI.seeded_minor + 12_300
    assert [p["id"] for p in ok(wang_fang.get("/v1/payments", params={"limit": 1}))] == [first.json()["id"]]
    assert (
        len(ok(wang_fang.get("/v1/payments", params={"status": "completed", "limit": 100})))
        == WANG_FANG_HISTORY_PAYMENTS + 1
    )
    assert_ledger_sound(http)


def test_replay_works_from_another_session_of_the_same_customer(http: httpx.Client) -> None:
    """The key belongs to the customer, so a retry from a new session (or kiosk) still replays."""
    first_session = sign_in(http, WANG_FANG)
    key = new_key()
    first = first_session.pay(4_200, payee_id=PAYEE_LI_MEI, key=key)
    second_session = sign_in(http, WANG_FANG)
    again = second_session.pay(4_200, payee_id=PAYEE_LI_MEI, key=key)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert first_session.balance() == WANG_FANG.seeded_minor - 4_200


def test_keys_of_different_customers_do_not_collide(http: httpx.Client) -> None:
    wang_fang = sign_in(http, WANG_FANG)
    li_mei = sign_in(http, LI_MEI)
    payee = li_mei.add_payee(ZHANG_WEI_NUMBER, "张伟 Zhang Wei")
    key = new_key()
    hers = wang_fang.pay(1_000, payee_id=PAYEE_LI_MEI, key=key)
    mine = li_mei.pay(2_000, payee_id=payee["id"], key=key)
    assert hers.status_code == mine.status_code == 201
    assert "idempotent-replayed" not in mine.headers
    assert mine.json()["id"] != hers.json()["id"]


def test_the_first_failure_is_replayed_too(http: httpx.Client) -> None:
    liu_yang = sign_in(http, LIU_YANG)
    payee = liu_yang.add_payee(ZHANG_WEI_NUMBER, "张伟 Zhang Wei")
    key = new_key()

    first = liu_yang.pay(10_000, payee_id=payee["id"], key=key)
    error = assert_error(first, 402, "insufficient_funds")
    assert error["reasons"] == ["insufficient_funds"]

    # Money arrives: Wang Fang sends Liu Yang 500.00.
    wang_fang = sign_in(http, WANG_FANG)
    liu = wang_fang.add_payee("6217000000000501", "刘洋 Liu Yang")
    assert wang_fang.pay_fully(50_000, payee_id=liu["id"])["status"] == "completed"
    assert liu_yang.balance() == LIU_YANG.seeded_minor + 50_000

    # The same key still answers with the stored failure: a retry never turns into a new attempt.
    replay = liu_yang.pay(10_000, payee_id=payee["id"], key=key)
    assert replay.status_code == 402
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()
    assert liu_yang.balance() == LIU_YANG.seeded_minor + 50_000

    # A new key is a new attempt, which now goes through (after the new-payee confirmation).
    paid = liu_yang.pay_fully(10_000, payee_id=payee["id"])
    assert paid["status"] == "completed"
    assert liu_yang.balance() == LIU_YANG.seeded_minor + 40_000
    assert_ledger_sound(http)


def test_same_key_with_a_different_body_is_refused(http: httpx.Client) -> None:
    wang_fang = sign_in(http, WANG_FANG)
    key = new_key()
    ok(wang_fang.pay(5_000, payee_id=PAYEE_LI_MEI, key=key), 201)
    journals = ledger(http)["journals"]

    other_amount = wang_fang.pay(5_001, payee_id=PAYEE_LI_MEI, key=key)
    error = assert_error(other_amount, 422, "idempotency_key_reused")
    assert error["type"] == "idempotency_error"
    assert error["param"] == "Idempotency-Key"

    other_memo = wang_fang.pay(5_000, payee_id=PAYEE_LI_MEI, memo="lunch", key=key)
    assert_error(other_memo, 422, "idempotency_key_reused")

    other_route = wang_fang.post("/v1/payees", wang_fang.payee_body(ZHANG_WEI_NUMBER, "Zhang Wei"), key=key)
    assert_error(other_route, 422, "idempotency_key_reused")

    assert ledger(http)["journals"] == journals
    assert wang_fang.balance() == WANG_FANG.seeded_minor - 5_000


def test_a_key_still_in_flight_gets_409(http: httpx.Client, api_server) -> None:
    wang_fang = sign_in(http, WANG_FANG)
    key = new_key()
    body = payment_body(WANG_FANG.account_id, 7_700, payee_id=PAYEE_LI_MEI)
    headers = wang_fang.auth | {"Idempotency-Key": key}
    set_faults(http, latency_ms=1000)  # the first request holds its key for a second

    barrier = threading.Barrier(2)
    responses: list[httpx.Response] = []
    lock = threading.Lock()

    def send() -> None:
        with api_client(api_server.url) as client:
            barrier.wait()
            response = client.post("/v1/payments", json=body, headers=headers)
        with lock:
            responses.append(response)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 409], [r.text for r in responses]
    rejected = next(r for r in responses if r.status_code == 409)
    error = assert_error(rejected, 409, "idempotency_key_in_flight")
    assert error["param"] == "Idempotency-Key"
    created = next(r for r in responses if r.status_code == 201).json()

    set_faults(http)
    retry = http.post("/v1/payments", json=body, headers=headers)
    assert retry.status_code == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json()["id"] == created["id"]
    assert wang_fang.balance() == WANG_FANG.seeded_minor - 7_700
    assert_ledger_sound(http)


def test_a_key_in_flight_belongs_to_the_customer_not_to_one_session(http: httpx.Client, api_server) -> None:
    """The same customer retrying from a second session (another kiosk) while the first runs gets 409 too."""
    first_session, second_session = sign_in(http, WANG_FANG), sign_in(http, WANG_FANG)
    key = new_key()
    body = payment_body(WANG_FANG.account_id, 6_600, payee_id=PAYEE_LI_MEI)
    set_faults(http, latency_ms=1000)  # the first request holds its key for a second

    barrier = threading.Barrier(2)
    responses: list[httpx.Response] = []
    lock = threading.Lock()

    def send(session_auth: dict[str, str]) -> None:
        with api_client(api_server.url) as client:
            barrier.wait()
            response = client.post("/v1/payments", json=body, headers=session_auth | {"Idempotency-Key": key})
        with lock:
            responses.append(response)

    threads = [threading.Thread(target=send, args=(s.auth,)) for s in (first_session, second_session)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(r.status_code for r in responses) == [201, 409], [r.text for r in responses]
    assert_error(next(r for r in responses if r.status_code == 409), 409, "idempotency_key_in_flight")
    set_faults(http)
    assert first_session.balance() == WANG_FANG.seeded_minor - 6_600
    assert_ledger_sound(http)


@pytest.mark.parametrize(
    "path",
    ["/v1/payments", "/v1/payments/pay_0000000000000000/confirm", "/v1/payments/pay_0000000000000000/cancel"],
)
def test_missing_key_on_payment_actions_is_400(http: httpx.Client, path: str) -> None:
    wang_fang = sign_in(http, WANG_FANG)
    body = payment_body(WANG_FANG.account_id, 1_000, payee_id=PAYEE_LI_MEI) if path == "/v1/payments" else {}
    response = wang_fang.post(path, body, key=None)
    error = assert_error(response, 400, "idempotency_key_missing")
    assert error["type"] == "invalid_request"
    assert error["param"] == "Idempotency-Key"
    assert len(ok(wang_fang.get("/v1/payments", params={"limit": 100}))) == WANG_FANG_HISTORY_PAYMENTS
    assert wang_fang.balance() == WANG_FANG.seeded_minor


@pytest.mark.parametrize("key", ["x" * 256, "tab\tkey", ""])
def test_invalid_keys_are_refused(http: httpx.Client, key: str) -> None:
    wang_fang = sign_in(http, WANG_FANG)
    response = wang_fang.pay(1_000, payee_id=PAYEE_LI_MEI, key=key)
    error = assert_error(response, 400, "idempotency_key_invalid")
    assert error["param"] == "Idempotency-Key"
    assert wang_fang.balance() == WANG_FANG.seeded_minor


def test_a_255_character_key_is_fine(http: httpx.Client) -> None:
    wang_fang = sign_in(http, WANG_FANG)
    key = "k" * 255
    first = wang_fang.pay(1_000, payee_id=PAYEE_LI_MEI, key=key)
    again = wang_fang.pay(1_000, payee_id=PAYEE_LI_MEI, key=key)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"


# --- "commit but drop the response" ------------------------------------------------------------------


def test_dropped_response_then_retry_returns_the_payment_and_debits_once(http: httpx.Client) -> None:
    wang_fang = sign_in(http, WANG_FANG)
    li_mei = sign_in(http, LI_MEI)
    before = ledger(http)
    key = new_key()
    set_faults(http, drop_next_responses=1)

    with pytest.raises(httpx.TransportError):
        wang_fang.pay(25_000, payee_id=PAYEE_LI_MEI, key=key)
    assert ok(http.get("/v1/admin/faults"))["drop_next_responses"] == 0

    retry = wang_fang.pay(25_000, payee_id=PAYEE_LI_MEI, key=key)
    assert retry.status_code == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    payment = retry.json()
    assert payment["status"] == "completed"
    assert payment["amount_minor"] == 25_000

    debits = postings_for(wang_fang.transactions(), payment["id"])
    assert [d["amount_minor"] for d in debits] == [-25_000]
    assert [c["amount_minor"] for c in postings_for(li_mei.transactions(), payment["id"])] == [25_000]
    after = assert_ledger_sound(http)
    assert after["journals"] == before["journals"] + 1
    assert after["customer_total_minor"] == before["customer_total_minor"]  # customer to customer
    assert wang_fang.balance() == WANG_FANG.seeded_minor - 25_000
    assert [p["id"] for p in ok(wang_fang.get("/v1/payments", params={"limit": 100}))].count(payment["id"]) == 1
    assert len(ok(wang_fang.get("/v1/payments", params={"limit": 100}))) == WANG_FANG_HISTORY_PAYMENTS + 1


def test_dropped_confirm_response_then_retry_confirms_once(http: httpx.Client) -> None:
    wang_fang = sign_in(http, WANG_FANG)
    payment = ok(wang_fang.pay(30_303, payee_id=PAYEE_LI_MEI), 201)  # magic amount: asks to confirm
    assert payment["status"] == "requires_action"
    key = new_key()
    set_faults(http, drop_next_responses=1)

    with pytest.raises(httpx.TransportError):
        wang_fang.confirm(payment, key=key)
    retry = wang_fang.confirm(payment, key=key)
    assert retry.status_code == 200
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json()["status"] == "completed"
    assert len(postings_for(wang_fang.transactions(), payment["id"])) == 1
    assert wang_fang.balance() == WANG_FANG.seeded_minor - 30_303
    assert_ledger_sound(http)


def test_injected_errors_run_nothing_and_a_retry_is_a_first_attempt(http: httpx.Client) -> None:
    wang_fang = sign_in(http, WANG_FANG)
    key = new_key()
    set_faults(http, error_rate=1.0)
    failed = wang_fang.pay(1_500, payee_id=PAYEE_LI_MEI, key=key)
    assert_error(failed, 503, "service_unavailable")
    assert http.get("/health").status_code == 200  # health and admin are never faulted
    set_faults(http)
    assert wang_fang.balance() == WANG_FANG.seeded_minor

    retry = wang_fang.pay(1_500, payee_id=PAYEE_LI_MEI, key=key)
    assert retry.status_code == 201
    assert "idempotent-replayed" not in retry.headers
    assert wang_fang.balance() == WANG_FANG.seeded_minor - 1_500


def test_a_key_is_kept_for_48_hours_then_forgotten(http: httpx.Client) -> None:
    # From the fixed start, Wednesday 10:00 in Beijing: Friday 09:00 still replays, Friday 11:00 does not.
    wang_fang = sign_in(http, WANG_FANG)
    key = new_key()
    first = wang_fang.pay(12_300, payee_id=PAYEE_LI_MEI, key=key)
    assert first.status_code == 201

    advance_clock(http, 47 * 3600)
    wang_fang = sign_in(http, WANG_FANG)  # the session ran out long ago
    kept = wang_fang.pay(12_300, payee_id=PAYEE_LI_MEI, key=key)
    assert kept.headers["Idempotent-Replayed"] == "true"
    assert kept.json()["id"] == first.json()["id"]

    advance_clock(http, 2 * 3600)
    wang_fang = sign_in(http, WANG_FANG)
    forgotten = wang_fang.pay(12_300, payee_id=PAYEE_LI_MEI, key=key)
    assert forgotten.status_code == 201
    assert "idempotent-replayed" not in forgotten.headers
    assert forgotten.json()["id"] != first.json()["id"]  # a new payment: the key is free again
