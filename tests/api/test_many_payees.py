"""A customer with many saved payees: the list costs the same few queries however long it is, every
lookup a customer's visit makes uses an index, and the number of payees has a ceiling."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from mock_api.bank.payees import MAX_PAYEES
from mock_api.db import Database
from mock_api.server import EmbeddedServer
from mock_api.values import iso
from tests.api.helpers import (
    LIU_FANG_NUMBER,
    PAYEE_LI_MEI,
    Signed,
    assert_error,
    ok,
)

# Tables small and fixed by the bank itself, which a scan costs nothing: the billers, SQLite's own catalogue.
FIXED_TABLES = {"billers", "sqlite_master"}
UNKNOWN_NUMBER = "6228880099990001"  # no bank's directory knows it


def database(server: EmbeddedServer) -> Database:
    db: Database = server.app.state.db
    return db


@contextmanager
def traced(db: Database) -> Iterator[list[str]]:
    """Every SQL statement the server runs meanwhile, with its values written in."""
    statements: list[str] = []
    db._conn.set_trace_callback(statements.append)  # the server's one connection
    try:
        yield statements
    finally:
        db._conn.set_trace_callback(None)


def save_payees_directly(server: EmbeddedServer, customer_id: str, count: int) -> None:
    """``count`` more saved payees for the customer, written straight into the bank's database (fast)."""
    now = iso(server.app.state.bank.clock.now())
    rows = [
        (f"payee_many_{customer_id}_{i}", customer_id, f"Payee {i}", f"62288800{i:08d}", "unavailable", now)
        for i in range(count)
    ]
    with database(server).write() as conn:
        conn.executemany(
            "INSERT INTO payees (id, customer_id, name, account_number, name_check, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )


def test_listing_payees_costs_the_same_queries_however_many_there_are(
    api_server: EmbeddedServer, wang_fang: Signed
) -> None:
    with traced(database(api_server)) as few:
        seeded = ok(wang_fang.get("/v1/payees"))
    save_payees_directly(api_server, wang_fang.customer_id, 60)
    wang_fang.pay_fully(1_000, payee_id=PAYEE_LI_MEI)
    with traced(database(api_server)) as many:
        payees = ok(wang_fang.get("/v1/payees"))

    assert len(payees) == len(seeded) + 60
    assert len(many) == len(few), many
    # The counts are still right: one more payment to Li Mei, none to the new payees.
    counts = {p["id"]: p["payments_count"] for p in payees}
    assert counts[PAYEE_LI_MEI] == {p["id"]: p["payments_count"] for p in seeded}[PAYEE_LI_MEI] + 1
    assert {counts[f"payee_many_{wang_fang.customer_id}_{i}"] for i in range(60)} == {0}


def full_scans(conn: sqlite3.Connection, statement: str) -> list[str]:
    """The tables (and indexes) a statement reads whole, by SQLite's own query plan."""
    plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + statement)]
    scans = [step for step in plan if re.match(r"SCAN (\w+)", step)]
    return [step for step in scans if not any(re.search(rf"\b{table}\b", step) for table in FIXED_TABLES)]


def test_every_lookup_of_a_customers_visit_uses_an_index(api_server: EmbeddedServer, wang_fang: Signed) -> None:
    """The whole of an ordinary visit, traced: no statement reads a growing table whole."""
    with traced(database(api_server)) as statements:
        ok(wang_fang.get("/v1/customers/me"))
        ok(wang_fang.get("/v1/accounts"))
        ok(wang_fang.get("/v1/payees"))
        check = ok(wang_fang.post("/v1/payees/name-check", {"account_number": LIU_FANG_NUMBER, "name": "刘芳"}))
        assert check["result"] == "match"
        liu_fang = wang_fang.add_payee(LIU_FANG_NUMBER, "刘芳")
        payment = wang_fang.pay_fully(2_000, payee_id=PAYEE_LI_MEI, key="visit-payment")
        ok(wang_fang.pay(150_000, payee_id=liu_fang["id"]), 201)  # a new payee: asks for confirmation
        ok(wang_fang.get(f"/v1/payments/{payment['id']}"))
        ok(wang_fang.get(f"/v1/payments/{payment['id']}/receipt"))
        ok(wang_fang.get("/v1/payments"))
        ok(wang_fang.get(f"/v1/accounts/{wang_fang.card.account_id if wang_fang.card else ''}/transactions"))
        ok(wang_fang.get("/v1/demo/phone"))
        ok(wang_fang.get("/v1/preferences"))
        ok(wang_fang.get("/v1/drafts"))
        ok(wang_fang.put("/v1/drafts/send-money", {"data": {"step": "amount"}}))
        ok(wang_fang.get("/v1/drafts/send-money"))
        handoff = ok(wang_fang.post("/v1/drafts/send-money/handoff"), 201)
        ok(wang_fang.post("/v1/handoffs/claim", {"token": handoff["token"]}))
        assert wang_fang.delete("/v1/drafts/send-money").status_code == 204
        ok(wang_fang.get("/v1/payments/by-key/visit-payment"))  # a kiosk restarted mid-payment asks
        ok(wang_fang.get("/v1/usage"))
        assert wang_fang.delete(f"/v1/payees/{liu_fang['id']}").status_code == 204
    queries = {s for s in statements if re.match(r"(?i)\s*(SELECT|UPDATE|DELETE)\b", s)}
    assert len(queries) > 20, queries
    with database(api_server).read() as conn:
        scanning = {s: scans for s in sorted(queries) if (scans := full_scans(conn, s))}
    assert scanning == {}


def test_a_customer_keeps_at_most_max_payees(api_server: EmbeddedServer, wang_fang: Signed) -> None:
    seeded = len(ok(wang_fang.get("/v1/payees")))
    save_payees_directly(api_server, wang_fang.customer_id, MAX_PAYEES - seeded - 1)
    last = wang_fang.add_payee(LIU_FANG_NUMBER, "刘芳")  # the last one allowed
    assert len(ok(wang_fang.get("/v1/payees"))) == MAX_PAYEES

    error = assert_error(
        wang_fang.post("/v1/payees", wang_fang.payee_body(UNKNOWN_NUMBER, "陈静")),
        409,
        "payee_limit_reached",
    )
    assert error["details"] == {"limit": MAX_PAYEES}
    assert len(ok(wang_fang.get("/v1/payees"))) == MAX_PAYEES

    # A removed payee no longer counts: there is room for one again.
    assert wang_fang.delete(f"/v1/payees/{last['id']}").status_code == 204
    wang_fang.add_payee(UNKNOWN_NUMBER, "陈静")
