"""Accounts and history pages; the admin controls testers use (reset, clock, faults, ledger)."""

from __future__ import annotations

from datetime import timedelta, timezone
from itertools import pairwise

import httpx
import pytest

from tests.api.helpers import (
    PAYEE_LI_MEI,
    WANG_FANG_SAVINGS,
    Signed,
    advance_clock,
    assert_error,
    assert_ledger_sound,
    ledger,
    ok,
    parse_time,
    server_now,
    sign_in,
)
from tests.demo import LI_MEI, SEEDED_BALANCES, WANG_FANG


def test_accounts_of_a_customer(wang_fang: Signed) -> None:
    accounts = ok(wang_fang.get("/v1/accounts"))
    assert [a["id"] for a in accounts] == [WANG_FANG.account_id, WANG_FANG_SAVINGS]
    current = accounts[0]
    assert current["number_last4"] == "0101"
    assert current["currency"] == "CNY"
    assert current["held_minor"] == 0
    assert {a["id"]: a["balance_minor"] for a in accounts} == {
        WANG_FANG.account_id: SEEDED_BALANCES[WANG_FANG.account_id],
        WANG_FANG_SAVINGS: SEEDED_BALANCES[WANG_FANG_SAVINGS],
    }


def test_history_pages_walk_back_without_gaps_or_repeats(wang_fang: Signed) -> None:
    everything = wang_fang.transactions(limit=100)
    assert len(everything) == 1 + 12 + 12  # the opening balance, a year of pensions, twelve payments out
    assert everything[0]["balance_after_minor"] == SEEDED_BALANCES[WANG_FANG.account_id]

    seen: list[dict] = []
    cursor = None
    while True:
        params = {"limit": 5} | ({"cursor": cursor} if cursor else {})
        page = ok(wang_fang.get(f"/v1/accounts/{WANG_FANG.account_id}/transactions", params=params))
        assert len(page["items"]) <= 5
        assert page["total"] == len(everything)  # for "page 2 of 5"
        seen.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == everything
    # Each posting's running balance follows from the one before it (oldest first).
    oldest_first = list(reversed(everything))
    for before, after in pairwise(oldest_first):
        assert after["balance_after_minor"] == before["balance_after_minor"] + after["amount_minor"]


def test_new_payments_appear_at_the_top_of_the_history(wang_fang: Signed) -> None:
    payment = wang_fang.pay_fully(1_234, payee_id=PAYEE_LI_MEI, memo="tea")
    newest = wang_fang.transactions(limit=1)[0]
    assert newest["payment_id"] == payment["id"]
    assert newest["amount_minor"] == -1_234
    assert newest["description"] == "To 李梅 Li Mei"
    assert newest["balance_after_minor"] == SEEDED_BALANCES[WANG_FANG.account_id] - 1_234


def test_reset_restores_the_demo_bank(http: httpx.Client, wang_fang: Signed) -> None:
    fresh = ledger(http)
    wang_fang.pay_fully(50_000, payee_id=PAYEE_LI_MEI)
    ok(wang_fang.put("/v1/preferences", {"data": {"font_pt": 30}}))
    assert ledger(http)["journals"] == fresh["journals"] + 1

    assert http.post("/v1/admin/reset").status_code == 204
    assert ledger(http) == fresh
    assert_error(wang_fang.get("/v1/accounts"), 401, "session_expired")  # every session ended
    again = sign_in(http, WANG_FANG)
    assert again.balance() == SEEDED_BALANCES[WANG_FANG.account_id]
    assert ok(again.get("/v1/preferences")) == {"data": {}}
    assert sign_in(http, LI_MEI).balance() == SEEDED_BALANCES[LI_MEI.account_id]


def test_fresh_ledger_summary(http: httpx.Client) -> None:
    summary = assert_ledger_sound(http)
    assert summary["customer_total_minor"] == sum(SEEDED_BALANCES.values())
    assert summary["journals"] > 0


def test_clock_can_be_moved_and_read(http: httpx.Client) -> None:
    start = server_now(http)
    moved = ok(http.post("/v1/admin/clock", json={"advance_seconds": 3600}))
    assert timedelta(minutes=59) < parse_time(moved["now"]) - start < timedelta(minutes=61)
    assert moved["offset_seconds"] == pytest.approx(3600, abs=1)
    target = "2030-06-01T12:00:00+08:00"
    state = ok(http.post("/v1/admin/clock", json={"set_to": target}))
    assert abs(parse_time(state["now"]) - parse_time(target)) < timedelta(seconds=5)
    assert abs(server_now(http) - parse_time(target)) < timedelta(seconds=5)


def test_faults_can_be_read_and_switched_off(http: httpx.Client) -> None:
    assert ok(http.get("/v1/admin/faults")) == {
        "latency_ms": 0,
        "error_rate": 0.0,
        "drop_response_rate": 0.0,
        "drop_next_responses": 0,
    }
    assert ok(http.put("/v1/admin/faults", json={"drop_next_responses": 2}))["drop_next_responses"] == 2
    assert ok(http.get("/v1/admin/faults"))["drop_next_responses"] == 2  # admin routes are never dropped
    assert ok(http.put("/v1/admin/faults", json={}))["drop_next_responses"] == 0


def test_notifications_can_be_filtered_by_customer(http: httpx.Client, wang_fang: Signed) -> None:
    payment = ok(wang_fang.pay(2_500_000, payee_id="payee_wf_wangqiang"), 201)  # sends a code
    mine = ok(http.get("/v1/admin/notifications", params={"customer_id": WANG_FANG.customer_id}))
    assert [n["payment_id"] for n in mine] == [payment["id"]]
    assert ok(http.get("/v1/admin/notifications", params={"customer_id": LI_MEI.customer_id})) == []


def test_history_lines_say_what_kind_of_line_they_are(http: httpx.Client) -> None:
    """Kiosks word history in the customer's language from kind + counterparty, not from English text."""
    from tests.api.helpers import sign_in
    from tests.demo import WANG_FANG

    signed = sign_in(http, WANG_FANG)
    page = http.get("/v1/accounts/acc_wangfang_current/transactions", params={"limit": 100}, headers=signed.auth).json()
    kinds = {item["kind"] for item in page["items"]}
    assert {"opening", "income", "sent", "bill"} <= kinds
    bill = next(item for item in page["items"] if item["kind"] == "bill")
    assert bill["biller_id"] in {"bil_electricity", "bil_water"} and bill["amount_minor"] < 0
    sent = next(item for item in page["items"] if item["kind"] == "sent")
    assert sent["counterparty"] in {"李梅 Li Mei", "王强 Wang Qiang"}


def test_payments_since_a_moment_are_listed_for_a_study(http: httpx.Client, wang_fang: Signed) -> None:
    before = server_now(http)
    advance_clock(http, 1)
    payment = wang_fang.pay_fully(20_000, payee_id=PAYEE_LI_MEI)
    listed = ok(http.get("/v1/admin/payments", params={"since": before.isoformat()}))
    assert [(p["id"], p["kind"], p["status"], p["amount_minor"]) for p in listed] == [
        (payment["id"], "transfer", "completed", 20_000)
    ]
    assert listed[0]["counterparty_names"]["en"] == "Li Mei"
    # The same moment written in Beijing time: the same payments.
    beijing = (before + timedelta(hours=8)).replace(tzinfo=timezone(timedelta(hours=8)))
    assert [p["id"] for p in ok(http.get("/v1/admin/payments", params={"since": beijing.isoformat()}))] == [
        payment["id"]
    ]
    advance_clock(http, 1)
    assert ok(http.get("/v1/admin/payments", params={"since": server_now(http).isoformat()})) == []
    assert_error(http.get("/v1/admin/payments", params={"since": "yesterday"}), 400, "validation_failed")
