"""The bank's key (for card numbers and stored requests) lives in the OS keyring, never in a file:
kept across restarts with the keyring; without one, in memory for the run; a database whose key is
lost is re-keyed at open, its demo cards still sign in; an old key file is moved in and shredded.

The keyring here is the tests' in-memory one (tests/conftest.py); the real Secret Service is
tests/e2e/test_real_keyring.py's."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import keyring
import pytest
from keyring.backends import fail

from mock_api import seed
from mock_api.config import ORDINARY_MOMENT, Clock
from mock_api.db import KEY_CHECK_TEXT, KEYRING_SERVICE, NO_KEYRING_NOTICE, Database
from mock_api.server import EmbeddedServer
from mock_api.values import keyed_hash
from tests.api.helpers import Kiosk, assert_error, new_key, ok, register_kiosk, try_sign_in
from tests.bank import bank_server
from tests.demo import LI_MEI, WANG_FANG, ZHAO_MIN
from tests.memory_keyring import MemoryKeyring

REKEYED = "re-keyed with a new key"
DEMO_CARDS = [(customer.id, customer.card) for customer in seed.DEMO_CUSTOMERS]  # as mock_api.app gives them


@contextmanager
def running_bank(path: Path) -> Iterator[tuple[EmbeddedServer, httpx.Client]]:
    server = bank_server(path).start()
    try:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            yield server, http
    finally:
        server.stop()


def sign_in_with_key(http: httpx.Client, kiosk: Kiosk, key: str) -> httpx.Response:
    body = {"card_number": WANG_FANG.number, "pin": WANG_FANG.pin}
    return http.post("/v1/sessions", json=body, headers={**kiosk.headers, "Idempotency-Key": key})


def count(path: Path, query: str) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return int(conn.execute(query).fetchone()[0])


def files_holding(folder: Path, key: bytes) -> list[str]:
    forms = (key, key.hex().encode(), key.hex().upper().encode())
    return [path.name for path in folder.rglob("*") if path.is_file() and any(f in path.read_bytes() for f in forms)]


def test_the_bank_key_is_in_the_keyring_and_in_no_file_beside_the_database(
    tmp_path: Path, isolated_environment: MemoryKeyring
) -> None:
    path = tmp_path / "bank" / "bank.sqlite3"
    with running_bank(path) as (server, http):
        key = server.app.state.db.key
        ok(sign_in_with_key(http, register_kiosk(http), new_key()), 201)  # a keyed request hash stored

    assert isolated_environment.secrets == {(KEYRING_SERVICE, str(path.resolve())): key.hex()}
    assert sorted(p.name for p in path.parent.iterdir() if p.suffix == ".key") == []
    assert files_holding(path.parent, key) == []
    with sqlite3.connect(path) as conn:  # a check value, not the key
        (check,) = conn.execute("SELECT value FROM meta WHERE key = 'key_check'").fetchone()
    assert check == keyed_hash(key, KEY_CHECK_TEXT)


def test_the_key_check_outlives_a_reset_of_the_demo_data(tmp_path: Path, isolated_environment: MemoryKeyring) -> None:
    path = tmp_path / "bank.sqlite3"
    with running_bank(path) as (server, http):
        assert http.post("/v1/admin/reset").status_code == 204
        key = server.app.state.db.key
    with sqlite3.connect(path) as conn:
        checks = conn.execute("SELECT value FROM meta WHERE key = 'key_check'").fetchall()
    assert checks == [(keyed_hash(key, KEY_CHECK_TEXT),)]


def test_a_bank_reopened_with_the_same_keyring_finds_its_cards_and_stored_answers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "bank.sqlite3"
    idempotency_key = new_key()
    with running_bank(path) as (server, http):
        first_key = server.app.state.db.key
        kiosk = register_kiosk(http)
        ok(sign_in_with_key(http, kiosk, idempotency_key), 201)

    with running_bank(path) as (server, http):
        assert server.app.state.db.key == first_key
        assert ok(try_sign_in(http, kiosk, LI_MEI.number, LI_MEI.pin), 201)["customer"]["id"] == LI_MEI.customer_id
        replay = sign_in_with_key(http, kiosk, idempotency_key)
        assert ok(replay, 201)["customer"]["id"] == WANG_FANG.customer_id
        assert replay.headers["Idempotent-Replayed"] == "true"  # the stored answer is still verified
    assert REKEYED not in caplog.text


def test_a_bank_reopened_with_an_empty_keyring_is_rekeyed_and_a_demo_card_still_signs_in(
    tmp_path: Path, isolated_environment: MemoryKeyring, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "bank.sqlite3"
    idempotency_key = new_key()
    with running_bank(path) as (server, http):
        first_key = server.app.state.db.key
        kiosk = register_kiosk(http)
        token = ok(sign_in_with_key(http, kiosk, idempotency_key), 201)["token"]  # an open session
        assert_error(try_sign_in(http, kiosk, "6222020000009999", "1234"), 401, "pin_incorrect")  # unknown card
        assert_error(try_sign_in(http, kiosk, LI_MEI.number, "0000"), 401, "pin_incorrect")
    isolated_environment.secrets.clear()  # the keyring wiped; the database stays

    with running_bank(path) as (server, http):
        assert server.app.state.db.key != first_key
        assert isolated_environment.secrets == {(KEYRING_SERVICE, str(path.resolve())): server.app.state.db.key.hex()}
        # Dropped: what only the lost key could verify.
        assert count(path, "SELECT COUNT(*) FROM idempotency") == 0
        assert count(path, "SELECT COUNT(*) FROM unknown_cards") == 0
        assert count(path, "SELECT COUNT(*) FROM sessions WHERE ended_at IS NULL") == 0
        assert_error(http.get("/v1/customers/me", headers={"Authorization": f"Bearer {token}"}), 401, "session_expired")
        # Kept: the kiosk, the demo cards and their state (Li Mei's one wrong PIN, Zhao Min's lock).
        assert ok(try_sign_in(http, kiosk, WANG_FANG.number, WANG_FANG.pin), 201)["customer"]["id"] == (
            WANG_FANG.customer_id
        )
        assert assert_error(try_sign_in(http, kiosk, LI_MEI.number, "0000"), 401, "pin_incorrect")["details"] == {
            "attempts_remaining": 1
        }
        assert_error(try_sign_in(http, kiosk, ZHAO_MIN.number, ZHAO_MIN.pin), 403, "card_locked")
        again = sign_in_with_key(http, kiosk, idempotency_key)
        assert ok(again, 201)["customer"]["id"] == WANG_FANG.customer_id
        assert "Idempotent-Replayed" not in again.headers
    (said,) = [r.getMessage() for r in caplog.records if REKEYED in r.getMessage()]
    assert "7 demo cards hashed again" in said
    assert "1 stored answers to retried requests, 1 wrong-PIN counts for unknown cards, 1 open sessions" in said
    assert "cannot be found any more" not in caplog.text  # every card came from the demo data


def test_a_card_not_in_the_demo_data_is_said_to_be_lost_at_a_rekey(
    tmp_path: Path, isolated_environment: MemoryKeyring, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "bank.sqlite3"
    db = Database(path, known_cards=DEMO_CARDS)
    seed.seed_if_empty(db, Clock(start=ORDINARY_MOMENT))
    with db.write() as conn:
        conn.execute(
            "INSERT INTO cards (card_key, card_last4, customer_id, pin_salt, pin_hash)"
            " VALUES (?, '7777', ?, x'00', x'00')",
            (db.card_key("6222020000007777"), WANG_FANG.customer_id),
        )
    db.close()
    isolated_environment.secrets.clear()

    db = Database(path, known_cards=DEMO_CARDS)
    with db.read() as conn:
        keys = {row[0] for row in conn.execute("SELECT card_key FROM cards")}
    db.close()
    assert db.card_key(WANG_FANG.number) in keys and db.card_key("6222020000007777") not in keys
    assert "1 cards not in the demo data cannot be found any more" in caplog.text


def test_without_a_keyring_the_bank_keeps_its_key_in_memory_and_says_so_for_staff(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    keyring.set_keyring(fail.Keyring())  # a headless machine: no usable keyring
    path = tmp_path / "bank.sqlite3"
    db = Database(path, known_cards=DEMO_CARDS)
    seed.seed_if_empty(db, Clock(start=ORDINARY_MOMENT))
    first_key = db.key
    db.close()
    assert db.key_kept is False
    warnings = [r.getMessage() for r in caplog.records if r.name == "mock_api.db" and r.levelno == logging.WARNING]
    assert len(warnings) == 1 and NO_KEYRING_NOTICE in warnings[0]
    assert files_holding(tmp_path, first_key) == []

    db = Database(path, known_cards=DEMO_CARDS)  # the next run: a new key, and the demo cards hashed with it
    with db.read() as conn:
        found = conn.execute("SELECT customer_id FROM cards WHERE card_key = ?", (db.card_key(WANG_FANG.number),))
        assert found.fetchone()[0] == WANG_FANG.customer_id
    db.close()
    assert db.key != first_key
    assert REKEYED in caplog.text


def test_a_key_file_left_beside_the_database_is_moved_into_the_keyring_and_shredded(
    tmp_path: Path, isolated_environment: MemoryKeyring, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "bank.sqlite3"
    with running_bank(path) as (server, _http):
        key = server.app.state.db.key
    # As an older version left it: the key in <database>.key, none in the keyring.
    isolated_environment.secrets.clear()
    key_file = path.with_name(path.name + ".key")
    key_file.write_bytes(key)
    witness = tmp_path / "witness"  # the same file under another name: it shows what the bank wrote over it
    witness.hardlink_to(key_file)

    with running_bank(path) as (server, http):
        assert server.app.state.db.key == key
        assert ok(try_sign_in(http, register_kiosk(http), WANG_FANG.number, WANG_FANG.pin), 201)
    assert isolated_environment.secrets == {(KEYRING_SERVICE, str(path.resolve())): key.hex()}
    assert not key_file.exists()
    assert witness.read_bytes() == bytes(32)  # overwritten before it was removed
    assert REKEYED not in caplog.text
