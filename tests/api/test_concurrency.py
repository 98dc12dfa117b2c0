"""Money is conserved when many payments race: no overdraft, no lost or doubled posting."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mock_api.config import RiskConfig
from mock_api.server import EmbeddedServer
from tests.api.helpers import (
    PAYEE_LI_MEI,
    ZHANG_WEI_NUMBER,
    Signed,
    api_client,
    assert_ledger_sound,
    ledger,
    new_key,
    ok,
    payment_body,
    sign_in,
)
from tests.bank import bank_server
from tests.demo import LI_MEI, WANG_FANG

THREADS = 8


@pytest.fixture
def relaxed_server(tmp_path: Path) -> Iterator[EmbeddedServer]:
    """Default risk rules, except that many quick, equal payments raise no rapid-repeat or duplicate flag."""
    risk = dataclasses.replace(RiskConfig.load(), rapid_repeat_count=10**6, duplicate_minutes=0)
    with bank_server(tmp_path / "x.sqlite3", risk=risk) as server:
        yield server


@pytest.fixture
def admin(relaxed_server: EmbeddedServer) -> Iterator[httpx.Client]:
    with api_client(relaxed_server.url, timeout=30) as client:
        yield client


def run_in_threads(url: str, work: Callable[[int, httpx.Client], list[Any]]) -> list[Any]:
    """Run ``work(thread_index, client)`` in THREADS threads released together; collect what they return."""
    barrier = threading.Barrier(THREADS)
    results: list[Any] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        try:
            with api_client(url, timeout=30) as client:
                barrier.wait(timeout=30)
                out = work(index, client)
            with lock:
                results.extend(out)
        except BaseException as error:  # reported below, on the test's thread
            with lock:
                failures.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a worker thread hung"
    if failures:
        raise failures[0]
    return results


def customer_balances(relaxed_server: EmbeddedServer) -> dict[str, int]:
    with relaxed_server.app.state.db.read() as conn:
        return {r["id"]: r["balance"] for r in conn.execute("SELECT id, balance FROM accounts WHERE kind != 'equity'")}


def test_racing_transfers_between_customers_never_overdraw(relaxed_server: EmbeddedServer, admin: httpx.Client) -> None:
    wang_fang, li_mei = sign_in(admin, WANG_FANG), sign_in(admin, LI_MEI)
    start = wang_fang.balance()
    li_mei_start = li_mei.balance()
    before = ledger(admin)
    amount = 400_000  # 4,000.00: below the familiar payee's confirm threshold, so each one completes at once
    attempts_per_thread = 6  # 48 x 4,000.00 = 192,000.00, far more than the 131,899.20 she has

    def work(index: int, client: httpx.Client) -> list[httpx.Response]:
        me = Signed(client, wang_fang.token, wang_fang.customer, WANG_FANG)
        return [me.pay(amount, payee_id=PAYEE_LI_MEI) for _ in range(attempts_per_thread)]

    responses = run_in_threads(relaxed_server.url, work)
    assert len(responses) == THREADS * attempts_per_thread
    codes = sorted({(r.status_code, r.json().get("error", {}).get("code")) for r in responses})
    assert codes == [(201, None), (402, "insufficient_funds")], codes
    succeeded = [r.json() for r in responses if r.status_code == 201]
    assert all(p["status"] == "completed" for p in succeeded)
    assert len({p["id"] for p in succeeded}) == len(succeeded)
    assert len(succeeded) == start // amount  # exactly as many as the money allows

    assert wang_fang.balance() == start - len(succeeded) * amount >= 0
    assert li_mei.balance() == li_mei_start + len(succeeded) * amount
    debits = [t for t in wang_fang.transactions(limit=100) if t["payment_id"] in {p["id"] for p in succeeded}]
    assert len(debits) == len(succeeded)
    assert sum(t["amount_minor"] for t in debits) == -len(succeeded) * amount
    assert all(t["balance_after_minor"] >= 0 for t in debits)

    after = assert_ledger_sound(admin)
    assert after["customer_total_minor"] == before["customer_total_minor"]  # it only moved between customers
    assert after["journals"] == before["journals"] + len(succeeded)
    assert all(balance >= 0 for balance in customer_balances(relaxed_server).values())


def test_racing_payments_to_a_new_payee_with_confirmation(relaxed_server: EmbeddedServer, admin: httpx.Client) -> None:
    """Li Mei saves a payee and pays it from 8 kiosks at once; early payments still ask for confirmation."""
    li_mei = sign_in(admin, LI_MEI)
    payee = li_mei.add_payee(ZHANG_WEI_NUMBER, "张伟 Zhang Wei")
    start = li_mei.balance()
    before = ledger(admin)
    others_before = {k: v for k, v in customer_balances(relaxed_server).items() if k != LI_MEI.account_id}
    amount = 30_000  # 300.00: 8,200.00 covers 27 of them
    attempts_per_thread = 5

    def work(index: int, client: httpx.Client) -> list[dict[str, Any]]:
        me = Signed(client, li_mei.token, li_mei.customer, LI_MEI)
        outcomes = []
        for _ in range(attempts_per_thread):
            response = me.pay(amount, payee_id=payee["id"])
            if response.status_code == 201 and response.json()["status"] == "requires_action":
                response = me.confirm(response.json(), purpose="rent")
            outcomes.append({"status": response.status_code, "body": response.json()})
        return outcomes

    outcomes = run_in_threads(relaxed_server.url, work)
    completed = [o["body"] for o in outcomes if o["status"] in (200, 201)]
    refused = [o["body"]["error"]["code"] for o in outcomes if o["status"] not in (200, 201)]
    assert all(p["status"] == "completed" for p in completed)
    assert set(refused) <= {"insufficient_funds"}, refused
    assert len(completed) == start // amount

    assert li_mei.balance() == start - len(completed) * amount
    after = assert_ledger_sound(admin)
    assert after["customer_total_minor"] == before["customer_total_minor"] - len(completed) * amount  # to another bank
    assert {k: v for k, v in customer_balances(relaxed_server).items() if k != LI_MEI.account_id} == {
        **others_before,
        "acc_external_clearing": others_before["acc_external_clearing"] + len(completed) * amount,
    }
    # Every payment the server knows about ended in a definite state, and only completed ones moved money.
    payments = ok(li_mei.get("/v1/payments", params={"limit": 100}))
    assert {p["status"] for p in payments} <= {"completed", "failed"}  # failed: money ran out before the confirm
    assert sorted(p["id"] for p in payments if p["status"] == "completed") == sorted(p["id"] for p in completed)


def test_racing_retries_with_shared_keys_move_money_once_per_key(
    relaxed_server: EmbeddedServer, admin: httpx.Client
) -> None:
    """Every payment is sent by several threads at once with one key, like a client retrying after a timeout."""
    wang_fang = sign_in(admin, WANG_FANG)
    start = wang_fang.balance()
    amount = 900_000  # 9,000.00: still below the familiar payee's threshold
    keys = [new_key() for _ in range(10)]  # 10 x 9,000.00 = 90,000.00: all affordable
    body = payment_body(WANG_FANG.account_id, amount, payee_id=PAYEE_LI_MEI)

    def work(index: int, client: httpx.Client) -> list[tuple[str, httpx.Response]]:
        mine = keys[index % 2 :: 2]  # each key is sent by four threads at once
        headers = {"Authorization": f"Bearer {wang_fang.token}"}
        return [
            (key, client.post("/v1/payments", json=body, headers=headers | {"Idempotency-Key": key})) for key in mine
        ]

    results = run_in_threads(relaxed_server.url, work)
    by_key: dict[str, set[str]] = {}
    for key, response in results:
        assert response.status_code in (201, 409), response.text
        if response.status_code == 409:
            assert response.json()["error"]["code"] == "idempotency_key_in_flight"
        else:
            by_key.setdefault(key, set()).add(response.json()["id"])
    assert all(len(ids) == 1 for ids in by_key.values())  # never two payments for one key
    # A key whose every send was turned away as in flight is retried now, as a client would.
    for key in keys:
        response = wang_fang.post("/v1/payments", body, key=key)
        assert response.status_code == 201
        by_key.setdefault(key, set()).add(response.json()["id"])
    assert all(len(ids) == 1 for ids in by_key.values())
    assert wang_fang.balance() == start - len(keys) * amount
    assert_ledger_sound(admin)
