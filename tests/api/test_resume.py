"""Resume (断点续办) at the API: drafts expire and never hold a secret; a payment is found by the
Idempotency-Key it was made with (a kiosk stopped mid-payment learns what happened); a draft is handed
on to the customer's phone by a single-use, expiring link."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from mock_api.db import Database
from mock_api.server import EmbeddedServer
from tests.api.helpers import (
    PAYEE_LI_MEI,
    SCAM_NUMBER,
    Signed,
    advance_clock,
    api_client,
    assert_error,
    new_key,
    ok,
    parse_time,
    server_now,
    sign_in,
)
from tests.bank import bank_server
from tests.demo import LI_MEI, WANG_FANG
from tests.memory_keyring import MemoryKeyring

SEND = "/v1/drafts/send-money"
DRAFT = {"step": "amount", "payee_id": PAYEE_LI_MEI, "amount_minor": 50_000}
DAY = 24 * 3600
VERY_LARGE = 6_000_000  # 60,000.00: a code to the phone, then held for two hours
LINK_PREFIX = "https://calmpay.example/continue/"


def stored_drafts(server: EmbeddedServer, customer_id: str) -> list[str]:
    with server.app.state.bank.db.read() as conn:
        rows = conn.execute("SELECT flow FROM drafts WHERE customer_id = ?", (customer_id,)).fetchall()
    return sorted(row["flow"] for row in rows)


def database_text(server: EmbeddedServer) -> str:
    """Every value in every table of the bank's database, as text."""
    values: list[str] = []
    with server.app.state.bank.db.read() as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):  # names from sqlite_master
                values += [v.hex() if isinstance(v, bytes) else str(v) for v in row if v is not None]
    return "\n".join(values)


# --- drafts expire --------------------------------------------------------------------------------


def test_a_draft_expires_a_day_after_its_last_change(http: httpx.Client, api_server: EmbeddedServer) -> None:
    wang_fang = sign_in(http, WANG_FANG)
    saved = ok(wang_fang.put(SEND, {"data": DRAFT}))
    assert parse_time(saved["expires_at"]) - parse_time(saved["updated_at"]) == timedelta(hours=24)
    assert ok(wang_fang.get(SEND)) == saved == ok(wang_fang.get("/v1/drafts"))[0]

    advance_clock(http, DAY - 60)  # a minute to go: still there (a new session: the first one timed out)
    wang_fang = sign_in(http, WANG_FANG)
    assert ok(wang_fang.get(SEND)) == saved

    advance_clock(http, 61)
    wang_fang = sign_in(http, WANG_FANG)
    assert ok(wang_fang.get("/v1/drafts")) == []
    assert stored_drafts(api_server, WANG_FANG.customer_id) == []  # deleted, not just hidden
    assert_error(wang_fang.get(SEND), 404, "draft_not_found")


def test_saving_again_starts_the_day_again(http: httpx.Client) -> None:
    wang_fang = sign_in(http, WANG_FANG)
    ok(wang_fang.put(SEND, {"data": DRAFT}))
    advance_clock(http, DAY - 60)
    wang_fang = sign_in(http, WANG_FANG)
    newer = ok(wang_fang.put(SEND, {"data": {**DRAFT, "step": "review"}}))
    advance_clock(http, 120)
    wang_fang = sign_in(http, WANG_FANG)
    assert ok(wang_fang.get(SEND)) == newer


@pytest.mark.parametrize("write", ["save another", "delete another"])
def test_expired_drafts_are_deleted_when_the_customer_writes_one(
    http: httpx.Client, api_server: EmbeddedServer, write: str
) -> None:
    wang_fang = sign_in(http, WANG_FANG)
    ok(wang_fang.put(SEND, {"data": DRAFT}))
    advance_clock(http, DAY + 1)
    wang_fang = sign_in(http, WANG_FANG)
    if write == "save another":
        ok(wang_fang.put("/v1/drafts/pay-bill", {"data": {"step": "biller"}}))
        assert stored_drafts(api_server, WANG_FANG.customer_id) == ["pay-bill"]
    else:
        assert wang_fang.delete("/v1/drafts/pay-bill").status_code == 204
        assert stored_drafts(api_server, WANG_FANG.customer_id) == []


def test_deleting_a_missing_draft_is_fine(wang_fang: Signed) -> None:
    assert wang_fang.delete(SEND).status_code == 204
    ok(wang_fang.put(SEND, {"data": DRAFT}))
    assert wang_fang.delete(SEND).status_code == 204
    assert wang_fang.delete(SEND).status_code == 204
    assert_error(wang_fang.get(SEND), 404, "draft_not_found")


# --- no secret in a draft ------------------------------------------------------------------------------

SECRET_DRAFTS = [
    ({"pin": "1234"}, "pin"),
    ({"PIN": "1234"}, "PIN"),
    ({"step": "confirm", "answers": {"verification_code": "123456"}}, "verification_code"),
    ({"step": "confirm", "answers": {"verificationCode": "123456"}}, "verificationCode"),
    ({"code": "123456"}, "code"),
    ({"otp": "123456"}, "otp"),
    ({"items": [{"ok": 1}, {"session_token": "abc"}]}, "session_token"),
    ({"token": "abc"}, "token"),
    ({"a": {"b": {"c": {"password": "x"}}}}, "password"),
    ({"device_key": "abc"}, "device_key"),
    ({"new_pin_1": "1234"}, "new_pin_1"),
]


@pytest.mark.parametrize(("data", "key"), SECRET_DRAFTS)
def test_a_draft_holding_a_secret_is_refused_and_nothing_is_stored(
    api_server: EmbeddedServer, wang_fang: Signed, data: dict[str, Any], key: str
) -> None:
    error = assert_error(wang_fang.put(SEND, {"data": data}), 400, "draft_holds_secret")
    assert error["param"] == "data"
    assert error["details"] == {"key": key}
    assert stored_drafts(api_server, WANG_FANG.customer_id) == []
    # A draft already there stays as it was.
    ok(wang_fang.put(SEND, {"data": DRAFT}))
    assert_error(wang_fang.put(SEND, {"data": data}), 400, "draft_holds_secret")
    assert ok(wang_fang.get(SEND))["data"] == DRAFT


def test_fields_that_only_look_like_secrets_are_kept(wang_fang: Signed) -> None:
    data = {
        "payee_name_pinyin": "Li Mei",
        "qr_code": "000201010211...",
        "currency_code": "156",
        "postcode": "200120",
        "idempotency_key": "k-1",
        "spinner": True,
        "shipping": "no",
        "codex": 1,
    }
    assert ok(wang_fang.put(SEND, {"data": data}))["data"] == data


# --- a payment found by its Idempotency-Key ----------------------------------------------------------


def by_key(signed: Signed, key: str) -> httpx.Response:
    return signed.get(f"/v1/payments/by-key/{quote(key, safe='')}")


def payment_count(server: EmbeddedServer) -> int:
    with server.app.state.bank.db.read() as conn:
        return int(conn.execute("SELECT COUNT(*) FROM payments").fetchone()[0])


def test_a_completed_payment_is_found_by_its_key(api_server: EmbeddedServer, wang_fang: Signed) -> None:
    key = new_key()
    made = ok(wang_fang.pay(10_000, payee_id=PAYEE_LI_MEI, key=key), 201)
    assert made["status"] == "completed"
    assert ok(by_key(wang_fang, key)) == made
    # A retry of the request replays it: still the one payment, found by the key.
    assert ok(wang_fang.pay(10_000, payee_id=PAYEE_LI_MEI, key=key), 201)["id"] == made["id"]
    count = payment_count(api_server)
    assert ok(by_key(wang_fang, key))["id"] == made["id"]
    assert payment_count(api_server) == count  # looking never makes one


def test_a_payment_waiting_for_its_confirm_then_held_is_found_by_its_key(wang_fang: Signed) -> None:
    key = new_key()
    waiting = ok(wang_fang.pay(VERY_LARGE, payee_id=PAYEE_LI_MEI, key=key), 201)
    assert waiting["status"] == "requires_action"
    assert ok(by_key(wang_fang, key))["status"] == "requires_action"
    held = ok(wang_fang.confirm(waiting))  # with a key of its own: the payment is still found by its first
    assert held["status"] == "held"
    found = ok(by_key(wang_fang, key))
    assert (found["id"], found["status"], found["hold_until"]) == (held["id"], "held", held["hold_until"])


def test_a_blocked_payment_is_found_by_its_key(wang_fang: Signed) -> None:
    scam = wang_fang.add_payee(SCAM_NUMBER, "平安理财服务中心 Safe Wealth Service Centre")
    key = new_key()
    error = assert_error(wang_fang.pay(10_000, payee_id=scam["id"], key=key), 402, "payment_blocked")
    found = ok(by_key(wang_fang, key))
    assert (found["id"], found["status"]) == (error["details"]["payment_id"], "blocked")


def test_a_key_never_sent_finds_nothing_and_makes_nothing(api_server: EmbeddedServer, wang_fang: Signed) -> None:
    count = payment_count(api_server)
    error = assert_error(by_key(wang_fang, new_key()), 404, "payment_not_found")
    assert error["param"] == "key"
    assert payment_count(api_server) == count


def test_another_customers_key_finds_nothing(http: httpx.Client, wang_fang: Signed) -> None:
    key = new_key()
    ok(wang_fang.pay(10_000, payee_id=PAYEE_LI_MEI, key=key), 201)
    li_mei = sign_in(http, LI_MEI)
    assert_error(by_key(li_mei, key), 404, "payment_not_found")
    # The same key text used by each: each finds their own.
    li_mei_payment = li_mei.pay_fully(5_000, payee_id=li_mei_payee(li_mei), key=key)
    assert ok(by_key(li_mei, key))["id"] == li_mei_payment["id"]
    assert ok(by_key(wang_fang, key))["id"] != li_mei_payment["id"]


def li_mei_payee(li_mei: Signed) -> str:
    return str(li_mei.add_payee("6222030000001002", "刘芳 Liu Fang")["id"])


@pytest.mark.parametrize("key", ["kiosk 7/pay 1", "a/b/receipt", "%41 ~!", "receipt"])
def test_any_valid_key_is_found_once_url_encoded(wang_fang: Signed, key: str) -> None:
    made = ok(wang_fang.pay(10_000, payee_id=PAYEE_LI_MEI, key=key), 201)
    assert ok(by_key(wang_fang, key))["id"] == made["id"]


def test_the_key_is_kept_as_a_keyed_hash(api_server: EmbeddedServer, wang_fang: Signed) -> None:
    key = new_key()
    made = ok(wang_fang.pay(10_000, payee_id=PAYEE_LI_MEI, key=key), 201)
    with api_server.app.state.bank.db.read() as conn:
        row = conn.execute("SELECT * FROM payments WHERE id = ?", (made["id"],)).fetchone()
    assert row["request_key_hash"] and key not in row["request_key_hash"]
    assert key not in json.dumps(dict(row))


# --- handoff: carry on on the phone -------------------------------------------------------------------


def phone_of(http: httpx.Client) -> Signed:
    """Wang Fang's phone: another session of hers (the API sees a signed-in session either way)."""
    return sign_in(http, WANG_FANG)


def test_a_draft_is_handed_to_the_phone_once(http: httpx.Client, api_server: EmbeddedServer) -> None:
    kiosk = sign_in(http, WANG_FANG)
    saved = ok(kiosk.put(SEND, {"data": DRAFT}))
    handoff = ok(kiosk.post(f"{SEND}/handoff"), 201)
    assert set(handoff) == {"flow", "token", "link", "expires_at"}
    assert handoff["flow"] == "send-money"
    assert handoff["link"] == LINK_PREFIX + handoff["token"]
    assert len(handoff["token"]) >= 40
    lifetime = parse_time(handoff["expires_at"]) - server_now(http)
    assert timedelta(minutes=9) < lifetime <= timedelta(minutes=10)
    # The link carries nothing of the draft or the account.
    for value in ("Li Mei", PAYEE_LI_MEI, "50000", WANG_FANG.customer_id, WANG_FANG.account_id):
        assert value not in handoff["link"]

    phone = phone_of(http)
    assert ok(phone.post("/v1/handoffs/claim", {"token": handoff["token"]})) == saved
    assert_error(phone.post("/v1/handoffs/claim", {"token": handoff["token"]}), 409, "handoff_used")
    assert_error(kiosk.post("/v1/handoffs/claim", {"token": handoff["token"]}), 409, "handoff_used")
    assert handoff["token"] not in database_text(api_server)  # the bank keeps only its hash


def test_a_claim_retried_with_its_key_gets_the_draft_again(http: httpx.Client) -> None:
    kiosk = sign_in(http, WANG_FANG)
    saved = ok(kiosk.put(SEND, {"data": DRAFT}))
    token = ok(kiosk.post(f"{SEND}/handoff"), 201)["token"]
    phone, key = phone_of(http), new_key()
    assert ok(phone.post("/v1/handoffs/claim", {"token": token}, key=key)) == saved
    again = phone.post("/v1/handoffs/claim", {"token": token}, key=key)  # the answer was lost on the way
    assert ok(again) == saved and again.headers["Idempotent-Replayed"] == "true"


def test_a_handoff_expires_after_ten_minutes(http: httpx.Client) -> None:
    kiosk = sign_in(http, WANG_FANG)
    ok(kiosk.put(SEND, {"data": DRAFT}))
    token = ok(kiosk.post(f"{SEND}/handoff"), 201)["token"]
    advance_clock(http, 601)
    error = assert_error(phone_of(http).post("/v1/handoffs/claim", {"token": token}), 409, "handoff_expired")
    assert error["param"] == "token"


def test_only_the_same_customer_can_claim(http: httpx.Client) -> None:
    kiosk = sign_in(http, WANG_FANG)
    ok(kiosk.put(SEND, {"data": DRAFT}))
    token = ok(kiosk.post(f"{SEND}/handoff"), 201)["token"]
    li_mei = sign_in(http, LI_MEI)
    assert_error(li_mei.post("/v1/handoffs/claim", {"token": token}), 404, "handoff_not_found")
    assert_error(li_mei.post("/v1/handoffs/claim", {"token": "made-up"}), 404, "handoff_not_found")
    assert_error(http.post("/v1/handoffs/claim", json={"token": token}), 401, "session_missing")
    assert ok(phone_of(http).post("/v1/handoffs/claim", {"token": token}))["data"] == DRAFT  # still unused


def test_a_handoff_of_a_missing_draft_is_refused(wang_fang: Signed) -> None:
    assert_error(wang_fang.post(f"{SEND}/handoff"), 404, "draft_not_found")


def test_a_handoff_of_a_draft_deleted_since_finds_no_draft(http: httpx.Client) -> None:
    kiosk = sign_in(http, WANG_FANG)
    ok(kiosk.put(SEND, {"data": DRAFT}))
    token = ok(kiosk.post(f"{SEND}/handoff"), 201)["token"]
    assert kiosk.delete(SEND).status_code == 204  # the flow ended at the kiosk
    phone = phone_of(http)
    assert_error(phone.post("/v1/handoffs/claim", {"token": token}), 404, "draft_not_found")
    assert_error(phone.post("/v1/handoffs/claim", {"token": token}), 404, "draft_not_found")  # not used up


def test_a_new_handoff_replaces_the_unclaimed_one_and_no_token_is_kept(
    http: httpx.Client, api_server: EmbeddedServer
) -> None:
    kiosk = sign_in(http, WANG_FANG)
    ok(kiosk.put(SEND, {"data": DRAFT}))
    key = new_key()
    first = ok(kiosk.post(f"{SEND}/handoff", key=key), 201)
    retried = kiosk.post(f"{SEND}/handoff", key=key)  # not replayed: the bank kept no token to replay
    second = ok(retried, 201)
    assert "Idempotent-Replayed" not in retried.headers
    assert second["token"] != first["token"]
    phone = phone_of(http)
    assert_error(phone.post("/v1/handoffs/claim", {"token": first["token"]}), 404, "handoff_not_found")
    assert ok(phone.post("/v1/handoffs/claim", {"token": second["token"]}))["data"] == DRAFT
    stored = database_text(api_server)
    assert first["token"] not in stored and second["token"] not in stored


def test_a_handoff_ends_with_its_draft_expiring(http: httpx.Client) -> None:
    kiosk = sign_in(http, WANG_FANG)
    ok(kiosk.put(SEND, {"data": DRAFT}))
    advance_clock(http, DAY - 300)  # five minutes before the draft expires
    kiosk = sign_in(http, WANG_FANG)
    token = ok(kiosk.post(f"{SEND}/handoff"), 201)["token"]
    advance_clock(http, 301)
    assert_error(phone_of(http).post("/v1/handoffs/claim", {"token": token}), 404, "draft_not_found")


# --- an older bank file ---------------------------------------------------------------------------------


def test_a_bank_file_from_before_keys_and_handoffs_is_brought_up_to_date(tmp_path: Path) -> None:
    path = tmp_path / "bank.sqlite3"
    Database(path).close()
    with sqlite3.connect(path) as conn:  # as a file made before payments kept their key, and handoffs
        conn.execute("DROP INDEX payments_by_request_key")
        conn.execute("ALTER TABLE payments DROP COLUMN request_key_hash")
        conn.execute("DROP TABLE handoffs")
    conn.close()
    db = Database(path)
    try:
        with db.read() as conn:
            assert "request_key_hash" in {row[1] for row in conn.execute("PRAGMA table_info(payments)")}
            indexes = {row[1] for row in conn.execute("PRAGMA index_list(payments)")}
            assert "payments_by_request_key" in indexes
            assert conn.execute("SELECT COUNT(*) FROM handoffs").fetchone()[0] == 0
    finally:
        db.close()


def test_a_rekeyed_bank_forgets_payment_keys_and_says_so(
    tmp_path: Path, isolated_environment: MemoryKeyring, caplog: pytest.LogCaptureFixture
) -> None:
    """The keyed hashes of a lost key match nothing: they are dropped and staff are told, not kept to
    mislead (the kiosk would hear "not made" either way; the log says why)."""
    path = tmp_path / "bank.sqlite3"
    server = bank_server(path).start()
    try:
        with api_client(server.url) as http:
            ok(sign_in(http, WANG_FANG).pay(10_000, payee_id=PAYEE_LI_MEI), 201)
    finally:
        server.stop()
    isolated_environment.secrets.clear()  # the keyring wiped; the database stays
    db = Database(path)
    try:
        with db.read() as conn:
            assert conn.execute("SELECT COUNT(*) FROM payments WHERE request_key_hash IS NOT NULL").fetchone()[0] == 0
    finally:
        db.close()
    assert "1 payments' request keys" in caplog.text
