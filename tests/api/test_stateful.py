"""A Hypothesis state machine over the HTTP API: random payments, confirmations, cancels and time.

The model knows every customer account's balance and every payment the machine started; after
each step the real server must agree with it, and the ledger must balance: total zero, nothing
negative, every journal balanced, and the money outside the bank's equity constant.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from mock_api.config import ORDINARY_MOMENT, RiskConfig
from mock_api.server import EmbeddedServer
from tests.api.helpers import (
    PAYEE_LI_MEI,
    PAYEE_WANG_QIANG,
    PAYEE_ZHANG_WEI,
    SCAM_NUMBER,
    SUSPENSE_ACCOUNT,
    WANG_FANG_SAVINGS,
    FrozenClock,
    Signed,
    api_client,
    assert_ledger_sound,
    code_from_notifications,
    ok,
    parse_time,
    register_kiosk,
    sign_in,
)
from tests.bank import bank_server
from tests.demo import CHAN_MEILING, LI_MEI, LIU_YANG, SEEDED_BALANCES, WANG_FANG

BASE_TIME = ORDINARY_MOMENT

AMOUNTS = st.one_of(
    st.integers(min_value=1, max_value=200_000),  # from 1,000.00 on, a first payment to a payee is held 15 minutes
    st.sampled_from([30_303, 99_999, 100_000, 499_999, 500_000, 1_000_000, 2_000_000, 5_000_000, 5_000_001]),
    st.integers(min_value=5_000_001, max_value=13_000_000),  # held for two hours
    st.integers(min_value=1, max_value=25_000_000),  # often more than the balance, sometimes over the limit
)
PURPOSES = st.sampled_from([None, None, None, "family_friends", "bills_goods", "investment"])
CLOCK_STEPS = st.sampled_from([30, 301, 901, 3601, 7201])
BILLS = [("bil_electricity", "1234567890"), ("bil_water", "8888888888"), ("bil_gas", "5550001111")]


@dataclass
class Route:
    payer: str  # key into Machine.customers
    from_account: str
    payee_id: str
    to_account: str | None  # a customer account, or None for another bank


@dataclass
class Tracked:
    owner: str
    from_account: str
    to_account: str | None
    amount: int
    status: str
    bill_id: str | None = None
    hold_until: datetime | None = None


class LedgerMachine(RuleBasedStateMachine):
    server: EmbeddedServer  # set by the test before running

    def __init__(self) -> None:
        super().__init__()
        self.http = api_client(self.server.url)
        self.customers: dict[str, Signed] = {}
        self.routes: list[Route] = []
        self.payments: dict[str, Tracked] = {}
        self.balances: dict[str, int] = dict(SEEDED_BALANCES)
        self.bill_paid_by: dict[str, str] = {}
        self.outside_equity = 0

    @initialize()
    def fresh_bank(self) -> None:
        assert self.http.post("/v1/admin/reset").status_code == 204
        ok(self.http.post("/v1/admin/clock", json={"set_to": BASE_TIME.isoformat()}))
        kiosk = register_kiosk(self.http, "state machine")
        for name, card in (("wf", WANG_FANG), ("lm", LI_MEI), ("cm", CHAN_MEILING), ("ly", LIU_YANG)):
            self.customers[name] = sign_in(self.http, card, kiosk)
        lm_to_wf = self.customers["lm"].add_payee("6217000000000101", WANG_FANG.name)
        cm_to_lm = self.customers["cm"].add_payee("6217000000000201", "李梅 Li Mei")
        cm_to_scam = self.customers["cm"].add_payee(SCAM_NUMBER, "Safe Wealth Service Centre")
        ly_to_cm = self.customers["ly"].add_payee("6217000000000701", "陳美玲 Chan Mei-ling")
        self.routes = [
            Route("wf", WANG_FANG.account_id, PAYEE_LI_MEI, LI_MEI.account_id),
            Route("wf", WANG_FANG.account_id, PAYEE_WANG_QIANG, None),
            Route("wf", WANG_FANG_SAVINGS, PAYEE_ZHANG_WEI, None),
            Route("lm", LI_MEI.account_id, lm_to_wf["id"], WANG_FANG.account_id),
            Route("cm", CHAN_MEILING.account_id, cm_to_lm["id"], LI_MEI.account_id),
            Route("cm", CHAN_MEILING.account_id, cm_to_scam["id"], None),
            Route("ly", LIU_YANG.account_id, ly_to_cm["id"], CHAN_MEILING.account_id),
        ]
        self.outside_equity = self._outside_equity()

    def teardown(self) -> None:
        self.http.close()

    # --- the model ---------------------------------------------------------------------------------

    def _outside_equity(self) -> int:
        with self.server.app.state.db.read() as conn:
            return int(conn.execute("SELECT SUM(balance) FROM accounts WHERE kind != 'equity'").fetchone()[0])

    def _suspense(self) -> int:
        with self.server.app.state.db.read() as conn:
            return int(conn.execute("SELECT balance FROM accounts WHERE id = ?", (SUSPENSE_ACCOUNT,)).fetchone()[0])

    def _sync(self, payment_id: str, payment: dict[str, Any]) -> None:
        """Apply the money movement implied by the payment's move from its known status to this one."""
        tracked = self.payments[payment_id]
        old, new = tracked.status, payment["status"]
        if old == new:
            return
        debited_before = old in ("held", "completed")
        debited_now = new in ("held", "completed")
        credited_before = old == "completed"
        credited_now = new == "completed"
        allowed = {
            ("requires_action", "completed"),
            ("requires_action", "held"),
            ("requires_action", "cancelled"),
            ("requires_action", "failed"),
            ("requires_action", "blocked"),
            ("held", "completed"),
            ("held", "cancelled"),
        }
        assert (old, new) in allowed, (payment_id, old, new)
        if debited_now and not debited_before:
            self.balances[tracked.from_account] -= tracked.amount
        if debited_before and not debited_now:
            self.balances[tracked.from_account] += tracked.amount
        if credited_now and not credited_before and tracked.to_account:
            self.balances[tracked.to_account] += tracked.amount
        if tracked.bill_id:
            if debited_now and not debited_before:
                assert tracked.bill_id not in self.bill_paid_by, "a bill was paid twice"
                self.bill_paid_by[tracked.bill_id] = payment_id
            if debited_before and not debited_now:
                self.bill_paid_by.pop(tracked.bill_id, None)
        event(f"{old} -> {new}")
        tracked.status = new
        tracked.hold_until = parse_time(payment["hold_until"]) if payment["hold_until"] else None

    def _track_new(
        self,
        owner: str,
        from_account: str,
        to_account: str | None,
        amount: int,
        response: httpx.Response,
        bill_id: str | None = None,
    ) -> None:
        if response.status_code == 201:
            payment = response.json()
            assert payment["amount_minor"] == amount
            assert amount <= self.balances[from_account], "paid more than the account held"
            self.payments[payment["id"]] = Tracked(owner, from_account, to_account, amount, "requires_action", bill_id)
            event(f"created: {payment['status']} {'+'.join(payment['risk']['reasons']) or 'no reasons'}")
            self._sync(payment["id"], payment)
            return
        assert response.status_code == 402, response.text
        error = response.json()["error"]
        event(f"refused: {error['code']}")
        if error["code"] == "insufficient_funds":
            assert amount > self.balances[from_account]
        elif error["code"] == "payment_blocked":
            self.payments[error["details"]["payment_id"]] = Tracked(
                owner, from_account, to_account, amount, "blocked", bill_id
            )
        else:
            assert error["code"] == "limit_exceeded", error

    def _refresh(self, payment_id: str) -> dict[str, Any]:
        tracked = self.payments[payment_id]
        payment = ok(self.customers[tracked.owner].get(f"/v1/payments/{payment_id}"))
        self._sync(payment_id, payment)
        return dict(payment)

    def _with_status(self, *statuses: str) -> list[str]:
        return sorted(pid for pid, t in self.payments.items() if t.status in statuses)

    # --- rules -----------------------------------------------------------------------------------------

    @rule(route=st.integers(min_value=0, max_value=6), amount=AMOUNTS, purpose=PURPOSES, answer_now=st.booleans())
    def pay(self, route: int, amount: int, purpose: str | None, answer_now: bool) -> None:
        chosen = self.routes[route]
        payer = self.customers[chosen.payer]
        response = payer.pay(amount, payee_id=chosen.payee_id, from_account_id=chosen.from_account, purpose=purpose)
        self._track_new(chosen.payer, chosen.from_account, chosen.to_account, amount, response)
        if answer_now and response.status_code == 201 and response.json()["status"] == "requires_action":
            self._confirm(response.json()["id"], "right")  # the usual flow: answer the questions straight away

    @rule(payer=st.sampled_from(["wf", "lm", "cm", "ly"]), bill=st.sampled_from(BILLS))
    def pay_bill(self, payer: str, bill: tuple[str, str]) -> None:
        customer = self.customers[payer]
        found = ok(customer.post("/v1/bills/lookup", {"biller_id": bill[0], "customer_number": bill[1]}))
        assert found["paid"] == (found["id"] in self.bill_paid_by)
        response = customer.pay(found["amount_minor"], bill_id=found["id"], from_account_id=customer.card.account_id)
        if found["paid"]:
            assert response.status_code == 409 and response.json()["error"]["code"] == "bill_already_paid"
            return
        self._track_new(payer, customer.card.account_id, None, found["amount_minor"], response, bill_id=found["id"])

    @precondition(lambda self: bool(self._with_status("requires_action")))
    @rule(data=st.data(), answer=st.sampled_from(["right", "right", "right", "wrong_code", "scam_purpose", "bare"]))
    def confirm(self, data: st.DataObject, answer: str) -> None:
        self._confirm(data.draw(st.sampled_from(self._with_status("requires_action"))), answer)

    def _confirm(self, payment_id: str, answer: str) -> None:
        owner = self.customers[self.payments[payment_id].owner]
        payment = self._refresh(payment_id)
        if payment["status"] != "requires_action":
            return
        requires = payment["risk"]["requires"]
        code = code_from_notifications(self.http, payment_id) if "verification_code" in requires else None
        if answer == "wrong_code" and code is not None:
            code = f"{(int(code) + 1) % 10**6:06d}"
        purpose = "safe_account" if answer == "scam_purpose" else "rent"
        if answer == "bare":
            response = owner.confirm(payment, acknowledged=False, purpose=None, code=None)
        else:
            response = owner.confirm(payment, purpose=purpose, code=code)
        assert response.status_code in (200, 400, 402, 403, 409), response.text
        after = self._refresh(payment_id)
        if response.status_code == 200:
            assert after["status"] in ("completed", "held")
        if response.status_code == 402:
            code_name = response.json()["error"]["code"]
            assert code_name in ("payment_blocked", "insufficient_funds", "limit_exceeded"), code_name
            assert after["status"] in ("blocked", "failed")

    @precondition(lambda self: bool(self._with_status("requires_action")))
    @rule(data=st.data())
    def resend_code(self, data: st.DataObject) -> None:
        payment_id = data.draw(st.sampled_from(self._with_status("requires_action")))
        owner = self.customers[self.payments[payment_id].owner]
        response = owner.post(f"/v1/payments/{payment_id}/resend-code")
        assert response.status_code in (200, 403, 409), response.text
        after = self._refresh(payment_id)
        if response.status_code == 403:  # one new code too many: the bank stopped the payment
            assert response.json()["error"]["code"] == "verification_resend_limit", response.text
            assert after["status"] == "cancelled"

    @precondition(lambda self: bool(self._with_status("requires_action", "held")))
    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        payment_id = data.draw(st.sampled_from(self._with_status("requires_action", "held")))
        tracked = self.payments[payment_id]
        response = self.customers[tracked.owner].cancel(payment_id)
        if response.status_code == 200:
            assert response.json()["status"] == "cancelled"
        else:  # the hold ended in the meantime: it has arrived
            assert response.json()["error"]["code"] == "payment_not_cancellable", response.text
        after = self._refresh(payment_id)
        assert after["status"] in ("cancelled", "completed")

    @rule(seconds=CLOCK_STEPS)
    def advance_clock(self, seconds: int) -> None:
        ok(self.http.post("/v1/admin/clock", json={"advance_seconds": seconds}))

    # --- invariants ------------------------------------------------------------------------------------

    @invariant()
    def ledger_is_sound(self) -> None:
        if not self.customers:
            return
        summary = assert_ledger_sound(self.http)
        assert self._outside_equity() == self.outside_equity  # money is only moved, never made or lost

        now = parse_time(ok(self.http.get("/v1/admin/clock"))["now"])
        for payment_id in self._with_status("held"):
            tracked = self.payments[payment_id]
            payment = self._refresh(payment_id)
            if tracked.hold_until is not None and payment["status"] == "held":
                assert parse_time(payment["hold_until"]) > now, "a hold outlived its time"
            if payment["status"] == "completed":
                assert parse_time(payment["hold_until"]) <= now, "a hold ended early"

        held_by_account: dict[str, int] = {}
        for tracked in self.payments.values():
            if tracked.status == "held":
                held_by_account[tracked.from_account] = held_by_account.get(tracked.from_account, 0) + tracked.amount
        assert self._suspense() == sum(held_by_account.values())

        actual: dict[str, int] = {}
        for name, customer in self.customers.items():
            for account in customer.accounts().values():
                actual[account["id"]] = account["balance_minor"]
                assert account["balance_minor"] >= 0
                assert account["held_minor"] == held_by_account.get(account["id"], 0), (name, account)
        assert actual == {k: v for k, v in self.balances.items() if k in actual}
        assert summary["customer_total_minor"] == sum(self.balances.values())


@pytest.fixture
def frozen_server(tmp_path: Path) -> Iterator[EmbeddedServer]:
    # Default risk rules; sessions never time out, so moving the clock by hours needs no new sign-in.
    risk = dataclasses.replace(RiskConfig.load(), session_minutes=10**6)
    with bank_server(tmp_path / "stateful.sqlite3", risk=risk, clock=FrozenClock(start=BASE_TIME)) as server:
        yield server


@pytest.mark.slow
def test_ledger_state_machine(frozen_server: EmbeddedServer) -> None:
    machine = type("BoundLedgerMachine", (LedgerMachine,), {"server": frozen_server})
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=20,
            stateful_step_count=15,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
