"""No secret at rest in the bank's database: stored answers hold no live token, a stored request
gives no PIN back, no full card number is kept; a registration is never replayed to another
caller; and a sign-in never tells whether a card number exists."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

import mock_api.bank.sessions
from mock_api.config import ORDINARY_MOMENT
from mock_api.db import Database
from mock_api.process import free_port
from mock_api.server import EmbeddedServer
from tests.api.helpers import (
    ENVELOPE_KEYS,
    assert_error,
    new_key,
    ok,
    register_kiosk,
    try_sign_in,
)
from tests.demo import ALL_CARDS, LI_MEI, WANG_FANG, ZHAO_MIN


def database_bytes(server: EmbeddedServer) -> bytes:
    """The bank's database as a thief would copy it: the file and its write-ahead log."""
    path = Path(server.app.state.db.path)
    return b"".join(p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists())


def stored_request_hashes(server: EmbeddedServer) -> list[str]:
    with sqlite3.connect(server.app.state.db.path) as conn:
        return [row[0] for row in conn.execute("SELECT request_hash FROM idempotency")]


def sign_in_with_key(http: httpx.Client, kiosk_headers: dict[str, str], key: str, pin: str) -> httpx.Response:
    body = {"card_number": WANG_FANG.number, "pin": pin}
    return http.post("/v1/sessions", json=body, headers={**kiosk_headers, "Idempotency-Key": key})


# --- stored answers and requests ---------------------------------------------------------------


def test_a_sign_in_with_a_key_leaves_no_token_in_the_database(http: httpx.Client, api_server: EmbeddedServer) -> None:
    kiosk = register_kiosk(http)
    token = ok(sign_in_with_key(http, kiosk.headers, new_key(), WANG_FANG.pin), 201)["token"]

    assert token.encode() not in database_bytes(api_server)
    assert ok(http.get("/v1/customers/me", headers={"Authorization": f"Bearer {token}"}))["id"] == WANG_FANG.customer_id


def test_a_replayed_sign_in_hands_out_a_fresh_token_and_revokes_the_first(http: httpx.Client) -> None:
    kiosk, key = register_kiosk(http), new_key()
    first = ok(sign_in_with_key(http, kiosk.headers, key, WANG_FANG.pin), 201)
    replay = sign_in_with_key(http, kiosk.headers, key, WANG_FANG.pin)

    again = ok(replay, 201)
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert again["token"] != first["token"]
    assert again["customer"] == first["customer"]
    assert_error(
        http.get("/v1/customers/me", headers={"Authorization": f"Bearer {first['token']}"}), 401, "session_expired"
    )
    assert (
        ok(http.get("/v1/customers/me", headers={"Authorization": f"Bearer {again['token']}"}))["id"]
        == WANG_FANG.customer_id
    )


def test_a_sign_in_is_not_replayed_after_its_session_ended(http: httpx.Client) -> None:
    kiosk, key = register_kiosk(http), new_key()
    token = ok(sign_in_with_key(http, kiosk.headers, key, WANG_FANG.pin), 201)["token"]
    assert http.delete("/v1/sessions/current", headers={"Authorization": f"Bearer {token}"}).status_code == 204

    assert_error(sign_in_with_key(http, kiosk.headers, key, WANG_FANG.pin), 401, "session_expired")


def test_a_replayed_wrong_pin_is_counted_once(http: httpx.Client) -> None:
    kiosk, key = register_kiosk(http), new_key()
    first = assert_error(sign_in_with_key(http, kiosk.headers, key, "0000"), 401, "pin_incorrect")
    replay = assert_error(sign_in_with_key(http, kiosk.headers, key, "0000"), 401, "pin_incorrect")

    assert first["details"] == replay["details"] == {"attempts_remaining": 2}
    later = assert_error(try_sign_in(http, kiosk, WANG_FANG.number, "0000"), 401, "pin_incorrect")
    assert later["details"] == {"attempts_remaining": 1}


def test_the_pin_cannot_be_found_by_hashing_candidate_sign_ins(http: httpx.Client, api_server: EmbeddedServer) -> None:
    kiosk = register_kiosk(http)
    ok(sign_in_with_key(http, kiosk.headers, new_key(), WANG_FANG.pin), 201)
    (stored,) = stored_request_hashes(api_server)

    def candidates(pin: str) -> list[str]:
        request = ["POST", "/v1/sessions", {"card_number": WANG_FANG.number, "pin": pin}]
        texts = {json.dumps(request, sort_keys=True), json.dumps(request), json.dumps(request, separators=(",", ":"))}
        return [hashlib.sha256(text.encode()).hexdigest() for text in texts]

    assert not [pin for pin in (f"{n:04d}" for n in range(10_000)) if stored in candidates(pin)]


def test_no_full_card_number_is_kept_in_the_database(http: httpx.Client, api_server: EmbeddedServer) -> None:
    for card in ALL_CARDS:
        try_sign_in(http, register_kiosk(http), card.number, card.pin)
    try_sign_in(http, register_kiosk(http), "6222020000009999", "1234")  # a card the bank does not know
    assert http.post(f"/v1/admin/cards/{ZHAO_MIN.number}/unlock").status_code == 204

    stored = database_bytes(api_server)
    for number in [card.number for card in ALL_CARDS] + ["6222020000009999"]:
        assert number.encode() not in stored, number
        assert number.encode("utf-16-le") not in stored, number


def test_a_bank_file_made_before_card_numbers_were_hashed_is_converted(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(
            """
            CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT NOT NULL, phone TEXT NOT NULL,
                language TEXT NOT NULL, trusted_contact_name TEXT, trusted_contact_phone TEXT,
                frozen_at TEXT, frozen_reason TEXT, preferences TEXT NOT NULL DEFAULT '{}');
            CREATE TABLE cards (number TEXT PRIMARY KEY, customer_id TEXT NOT NULL REFERENCES customers(id),
                pin_salt BLOB NOT NULL, pin_hash BLOB NOT NULL, failed_attempts INTEGER NOT NULL DEFAULT 0,
                locked_at TEXT, attempts_while_locked INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, customer_id TEXT NOT NULL, kiosk_id TEXT NOT NULL,
                card_number TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL, ended_at TEXT);
            CREATE TABLE idempotency (scope TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL,
                status_code INTEGER NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (scope, key));
            INSERT INTO customers (id, name, phone, language) VALUES ('cus_x', 'X', '13800000000', 'en');
            INSERT INTO cards (number, customer_id, pin_salt, pin_hash)
                VALUES ('6222020000000001', 'cus_x', x'00', x'00');
            INSERT INTO sessions VALUES ('h', 'cus_x', 'kiosk_x', '6222020000000001', 't', 't', NULL);
            INSERT INTO idempotency VALUES ('kiosk:kiosk_x', 'k', 'r', 201, '{"token": "live-token-xyz"}', 't');
            """
        )
    db = Database(path)
    with db.read() as conn:
        card = conn.execute("SELECT card_key, card_last4 FROM cards").fetchone()
        session_card = conn.execute("SELECT card_key FROM sessions").fetchone()[0]
        stored_answers = conn.execute("SELECT COUNT(*) FROM idempotency").fetchone()[0]
    db.close()
    assert (card["card_key"], card["card_last4"]) == (db.card_key("6222020000000001"), "0001")
    assert session_card == card["card_key"]
    assert stored_answers == 0
    for leftover in (b"6222020000000001", b"live-token-xyz"):
        assert leftover not in path.read_bytes()


# --- kiosk registration ----------------------------------------------------------------------


def test_a_registration_key_never_hands_a_device_key_to_another_caller(http: httpx.Client) -> None:
    key = new_key()
    first = ok(http.post("/v1/kiosks", json={"label": "Branch 12, kiosk 3"}, headers={"Idempotency-Key": key}), 201)
    other = http.post("/v1/kiosks", json={"label": "Branch 12, kiosk 3"}, headers={"Idempotency-Key": key})

    second = ok(other, 201)
    assert "Idempotent-Replayed" not in other.headers
    assert second["device_key"] != first["device_key"]
    assert second["kiosk_id"] != first["kiosk_id"]
    for kiosk in (first, second):  # two kiosks, each with its own working key
        headers = {"X-Kiosk-Id": kiosk["kiosk_id"], "X-Kiosk-Key": kiosk["device_key"]}
        assert http.get("/v1/demo/cards", headers=headers).status_code == 200


# --- card enumeration ------------------------------------------------------------------------


@pytest.fixture
def pin_hashes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the bank's PIN hashing (the embedded server runs in this process)."""
    calls: list[int] = []
    real: Callable[..., Any] = mock_api.bank.sessions.hash_pin

    def counting(*args: Any) -> bytes:
        calls.append(1)
        return bytes(real(*args))

    monkeypatch.setattr(mock_api.bank.sessions, "hash_pin", counting)
    return calls


def test_an_unknown_card_answers_as_a_known_card_with_a_wrong_pin(http: httpx.Client, pin_hashes: list[int]) -> None:
    kiosk = register_kiosk(http)
    answers: dict[str, list[tuple[int, dict[str, Any], int]]] = {}
    for number in (LI_MEI.number, "6222020000009999"):
        answers[number] = []
        for _ in range(4):
            before = len(pin_hashes)
            response = try_sign_in(http, kiosk, number, "9876")
            error = response.json()["error"]
            assert set(error) >= ENVELOPE_KEYS
            answers[number].append((response.status_code, error, len(pin_hashes) - before))

    known, unknown = answers[LI_MEI.number], answers["6222020000009999"]
    assert known == unknown
    assert [(status, error["code"], hashed) for status, error, hashed in known] == [
        (401, "pin_incorrect", 1),
        (401, "pin_incorrect", 1),
        (403, "card_locked", 1),
        (403, "card_locked", 0),
    ]


# --- the stand-alone server's access log -------------------------------------------------------


def test_the_access_log_keeps_only_the_last_four_digits_of_a_card_number(tmp_path: Path) -> None:
    """``python -m mock_api`` logs every request's address; an admin unlock's address holds a card number."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "mock_api", "--host", "127.0.0.1", "--port", str(port), "--log-level", "info"]
    command += ["--db", str(tmp_path / "bank.sqlite3"), "--start-at", ORDINARY_MOMENT.isoformat()]
    with open(tmp_path / "server.log", "wb") as log:
        server = subprocess.Popen(command, cwd=Path(__file__).parents[2], stdout=log, stderr=subprocess.STDOUT)
        try:
            with httpx.Client(base_url=url, transport=httpx.HTTPTransport(retries=8), timeout=5) as client:
                assert client.get("/health").status_code == 200
                assert client.post(f"/v1/admin/cards/{ZHAO_MIN.number}/unlock").status_code == 204
        finally:
            server.terminate()
            server.wait(timeout=10)

    logged = (tmp_path / "server.log").read_text("utf-8")
    assert f"POST /v1/admin/cards/…{ZHAO_MIN.number[-4:]}/unlock" in logged
    assert ZHAO_MIN.number not in logged
