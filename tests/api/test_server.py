"""The server as a whole, over real HTTP: a slow database call holds up only its own request, a body
too large is refused while it streams in, and every commit is durable."""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from mock_api.db import Database
from mock_api.limits import MAX_BODY_BYTES
from mock_api.server import EmbeddedServer
from tests.api.helpers import PAYEE_LI_MEI, Signed, api_client, assert_error, new_key, ok, payment_body
from tests.demo import WANG_FANG

SYNCHRONOUS_FULL = 2  # PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA


def test_a_slow_database_call_does_not_hold_up_other_requests(
    api_server: EmbeddedServer, wang_fang: Signed, monkeypatch: pytest.MonkeyPatch
) -> None:
    bank = api_server.app.state.bank
    entered, release = threading.Event(), threading.Event()
    list_payees = bank.payees

    def slow_payees(customer_id: str) -> Any:
        entered.set()
        release.wait(timeout=60)  # stands for a query that blocks; the test lets it go below
        return list_payees(customer_id)

    monkeypatch.setattr(bank, "payees", slow_payees)
    answers: dict[str, httpx.Response] = {}

    def ask_for_payees() -> None:
        with api_client(api_server.url, timeout=90) as client:
            answers["payees"] = client.get("/v1/payees", headers=wang_fang.auth)

    blocked = threading.Thread(target=ask_for_payees)
    blocked.start()
    try:
        assert entered.wait(timeout=30)
        with api_client(api_server.url, timeout=5) as client:
            assert ok(client.get("/health"))["status"] == "ok"
            assert ok(client.get("/v1/accounts", headers=wang_fang.auth))  # the database itself is free
    finally:
        release.set()
        blocked.join(timeout=60)
    assert ok(answers["payees"])


def test_a_key_stays_in_flight_while_its_payment_runs_in_the_thread_pool(
    api_server: EmbeddedServer, wang_fang: Signed, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The in-flight guard claims keys on the event loop; the payment runs in a worker thread. A
    retry while the payment is still running there gets 409, then the stored answer once it is done.
    (Held before its transaction: inside one, the database itself is held, and the retry waits for it.)"""
    keys = api_server.app.state.idempotency
    entered, release = threading.Event(), threading.Event()
    replay_or_run = keys.replay_or_run

    def slow_replay_or_run(*args: Any) -> Any:
        entered.set()
        release.wait(timeout=60)
        return replay_or_run(*args)

    monkeypatch.setattr(keys, "replay_or_run", slow_replay_or_run)
    key = new_key()
    body = payment_body(WANG_FANG.account_id, 4_400, payee_id=PAYEE_LI_MEI)
    headers = {**wang_fang.auth, "Idempotency-Key": key}
    answers: dict[str, httpx.Response] = {}

    def pay() -> None:
        with api_client(api_server.url, timeout=90) as client:
            answers["first"] = client.post("/v1/payments", json=body, headers=headers)

    first = threading.Thread(target=pay)
    first.start()
    try:
        assert entered.wait(timeout=30)
        with api_client(api_server.url, timeout=5) as client:
            assert_error(client.post("/v1/payments", json=body, headers=headers), 409, "idempotency_key_in_flight")
            assert ok(client.get("/health"))["status"] == "ok"
    finally:
        release.set()
        first.join(timeout=60)
    created = ok(answers["first"], 201)
    retry = wang_fang.http.post("/v1/payments", json=body, headers=headers)
    assert ok(retry, 201)["id"] == created["id"]
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert wang_fang.balance() == WANG_FANG.seeded_minor - 4_400


def raw_exchange(server: EmbeddedServer, head: str, body_parts: list[bytes]) -> tuple[int, dict[str, Any], str]:
    """Send a request head and body bytes on a plain socket, then read the answer: status, JSON body, headers."""
    with socket.create_connection((server.host, server.port), timeout=10) as connection:
        connection.sendall(head.encode())
        for part in body_parts:
            connection.sendall(part)
        received = b""
        while b"\r\n\r\n" not in received or len(received.partition(b"\r\n\r\n")[2]) < _length(received):
            data = connection.recv(65536)
            if not data:
                break
            received += data
    head_bytes, _, content = received.partition(b"\r\n\r\n")
    status = int(head_bytes.split(b" ", 2)[1])
    return status, json.loads(content), head_bytes.decode().lower()


def _length(received: bytes) -> int:
    for line in received.partition(b"\r\n\r\n")[0].split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 1 << 30


def chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def test_a_chunked_body_over_the_limit_is_refused_while_it_streams(
    api_server: EmbeddedServer, wang_fang: Signed
) -> None:
    head = (
        "PUT /v1/preferences HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {wang_fang.token}\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    # Just over the limit, and the body not even finished (no last chunk): the answer comes anyway.
    parts = [chunk(b'{"data": {"x": "'), *[chunk(b"y" * 1024) for _ in range(MAX_BODY_BYTES // 1024)]]
    status, body, headers = raw_exchange(api_server, head, parts)
    assert status == 413
    assert body["error"]["code"] == "request_too_large"
    assert body["error"]["details"] == {"limit_bytes": MAX_BODY_BYTES}
    assert "connection: close" in headers
    assert ok(wang_fang.get("/v1/preferences")) == {"data": {}}


def test_a_declared_length_over_the_limit_is_refused_before_the_body(
    api_server: EmbeddedServer, wang_fang: Signed
) -> None:
    head = (
        "PUT /v1/preferences HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {wang_fang.token}\r\nContent-Length: {100 * 1024 * 1024}\r\n\r\n"
    )
    status, body, _ = raw_exchange(api_server, head, [])  # not one byte of the 100 MB sent
    assert status == 413
    assert body["error"]["code"] == "request_too_large"


def test_a_chunked_body_within_the_limit_is_served(wang_fang: Signed) -> None:
    prefs = {"data": {"notes": "x" * 3000}}
    payload = json.dumps(prefs).encode()

    def stream() -> Any:  # a generator body: httpx sends it chunked
        for start in range(0, len(payload), 1000):
            yield payload[start : start + 1000]

    headers = {**wang_fang.auth, "Content-Type": "application/json"}
    assert ok(wang_fang.http.put("/v1/preferences", content=stream(), headers=headers)) == prefs
    assert ok(wang_fang.get("/v1/preferences")) == prefs


def test_the_413_is_in_the_openapi_document(http: httpx.Client) -> None:
    responses = ok(http.get("/openapi.json"))["paths"]["/v1/preferences"]["put"]["responses"]
    assert "413" in responses


def synchronous(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA synchronous").fetchone()[0])


def test_every_commit_is_durable(api_server: EmbeddedServer, tmp_path: Path) -> None:
    """synchronous=FULL on the server's connection and on any new one: WAL with NORMAL can lose the
    last payments to a power cut after the client was told they succeeded."""
    db: Database = api_server.app.state.db
    with db.read() as conn:
        assert synchronous(conn) == SYNCHRONOUS_FULL
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    fresh = Database(tmp_path / "bank.sqlite3")
    try:
        with fresh.write() as conn:
            assert synchronous(conn) == SYNCHRONOUS_FULL
    finally:
        fresh.close()
