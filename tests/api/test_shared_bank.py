"""The run's one bank server (``api_server``, tests/conftest.py) is given to each test as a new one:
nothing an earlier test did or left running reaches the next."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import httpx
import pytest

import mock_api.seed
from mock_api.config import ORDINARY_MOMENT
from mock_api.schemas import Faults
from mock_api.server import EmbeddedServer
from tests.api.helpers import (
    PAYEE_ZHANG_WEI,
    advance_clock,
    api_client,
    ok,
    parse_time,
    set_faults,
    sign_in,
)
from tests.bank import as_new
from tests.demo import WANG_FANG


def test_what_a_test_leaves_in_the_bank_is_gone_for_the_next(
    shared_api_server: tuple[EmbeddedServer, httpx.Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, admin = shared_api_server
    as_new(server, admin)
    bank = server.app.state.bank
    entered, release, answered = threading.Event(), threading.Event(), threading.Event()
    list_payees = bank.payees

    def slow_payees(customer_id: str) -> Any:  # a request the test before left being answered
        entered.set()
        release.wait(timeout=30)
        try:
            return list_payees(customer_id)
        finally:
            answered.set()

    reset = mock_api.seed.reset
    resets_after_the_answer: list[bool] = []

    def recorded_reset(*args: Any) -> None:
        resets_after_the_answer.append(answered.is_set())
        reset(*args)

    monkeypatch.setattr(bank, "payees", slow_payees)
    monkeypatch.setattr(mock_api.seed, "reset", recorded_reset)

    # An earlier test: Wang Fang removes a payee, a request of hers is still being answered, the
    # clock has moved a day and the bank is left failing half its requests.
    with api_client(server.url) as http:
        wang_fang = sign_in(http, WANG_FANG)
        ok(http.delete(f"/v1/payees/{PAYEE_ZHANG_WEI}", headers=wang_fang.auth), 204)
        answers: dict[str, httpx.Response] = {}
        still_asking = threading.Thread(
            target=lambda: answers.setdefault("payees", http.get("/v1/payees", headers=wang_fang.auth))
        )
        still_asking.start()
        try:
            assert entered.wait(timeout=30)
            advance_clock(http, timedelta(days=1).total_seconds())
            set_faults(http, error_rate=0.5)

            as_new(server, admin, pause=lambda _seconds: release.set())  # it waits: then the request ends
        finally:
            release.set()
            still_asking.join(timeout=30)

        assert resets_after_the_answer == [True]  # reseeded only once the earlier request was answered
        assert ok(answers["payees"])
        assert ok(admin.get("/v1/admin/faults")) == Faults().model_dump(mode="json")
        clock = ok(admin.get("/v1/admin/clock"))
        assert clock["offset_seconds"] == 0
        assert ORDINARY_MOMENT <= parse_time(clock["now"]) < ORDINARY_MOMENT + timedelta(minutes=5)
        assert http.get("/v1/accounts", headers=wang_fang.auth).status_code == 401  # that session is gone
        monkeypatch.undo()
        again = sign_in(http, WANG_FANG)
        assert PAYEE_ZHANG_WEI in {payee["id"] for payee in ok(http.get("/v1/payees", headers=again.auth))}
