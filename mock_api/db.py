"""The mock bank's SQLite database: schema, connection and transactions.

One connection per server, guarded by a lock, in WAL mode. Every write runs inside
``BEGIN IMMEDIATE`` so checks and postings are atomic: two requests can never both see
the same balance and both spend it, even from two processes sharing the file.

The bank's key for hashing guessable values (card numbers, request bodies holding a PIN) lives in
the OS keyring (``keyring``: service :data:`KEYRING_SERVICE`, account the database's resolved
path), never in a file: a copy of the database alone gives back no card number and no PIN. The
database keeps only a keyed check value (``meta.key_check``), to tell at open whether the key it
is given is the one its cards were hashed with. Without a usable keyring the bank makes a key for
this run and keeps it in memory (a WARNING for staff). A database whose key is lost is re-keyed
when it is opened (:meth:`Database._rekey`): the demo cards' numbers come from the demo data, what
can no longer be verified is dropped, and the log says what.
"""

from __future__ import annotations

import hmac
import logging
import os
import secrets
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from mock_api.values import keyed_hash

log = logging.getLogger("mock_api.db")

KEYRING_SERVICE = "calmpay-mock-bank"
KEY_CHECK_TEXT = "calmpay-bank-key-check"  # meta.key_check = keyed_hash(key, this): never the key
NO_KEYRING_NOTICE = (
    "No system keyring is available for the bank's key. It is kept in memory for this run only; "
    "at the next start the bank makes a new one, keeps the demo cards and drops what it cannot "
    "verify with it (stored answers to retried requests, open sessions). Nothing secret is written "
    "to disk."
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- The check value of the bank's key (Database._settle_key) outlives a reset of the demo data, which
-- empties every table: the cards it makes again are hashed with the same key.
CREATE TRIGGER IF NOT EXISTS meta_keeps_key_check BEFORE DELETE ON meta WHEN old.key = 'key_check'
BEGIN SELECT RAISE(IGNORE); END;
CREATE TABLE IF NOT EXISTS kiosks (
    id TEXT PRIMARY KEY, label TEXT NOT NULL, key_hash TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS customers (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, phone TEXT NOT NULL, language TEXT NOT NULL,
    trusted_contact_name TEXT, trusted_contact_phone TEXT,
    frozen_at TEXT, frozen_reason TEXT, preferences TEXT NOT NULL DEFAULT '{}');
CREATE INDEX IF NOT EXISTS customers_by_phone ON customers (phone);  -- a trusted contact's language
-- A card is found by the keyed hash of its number (Database.card_key): the file never holds a
-- full card number, only its last four digits to show.
CREATE TABLE IF NOT EXISTS cards (
    card_key TEXT PRIMARY KEY, card_last4 TEXT NOT NULL, customer_id TEXT NOT NULL REFERENCES customers(id),
    pin_salt BLOB NOT NULL, pin_hash BLOB NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0, locked_at TEXT,
    attempts_while_locked INTEGER NOT NULL DEFAULT 0);
-- Wrong PINs for card numbers the bank does not know, counted as for a real card: the answer to a
-- sign-in never tells whether a card number exists.
CREATE TABLE IF NOT EXISTS unknown_cards (
    card_key TEXT PRIMARY KEY, failed_attempts INTEGER NOT NULL DEFAULT 0, locked_at TEXT,
    tried_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS cards_by_customer ON cards (customer_id);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY, customer_id TEXT NOT NULL, kiosk_id TEXT NOT NULL,
    card_key TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,
    ended_at TEXT);
CREATE TABLE IF NOT EXISTS accounts (
    id TEXT PRIMARY KEY, customer_id TEXT REFERENCES customers(id), number TEXT UNIQUE NOT NULL,
    name TEXT NOT NULL, kind TEXT NOT NULL
        CHECK (kind IN ('customer', 'external', 'suspense', 'biller', 'equity')),
    currency TEXT NOT NULL DEFAULT 'CNY', balance INTEGER NOT NULL,
    CHECK (kind = 'equity' OR balance >= 0));
CREATE INDEX IF NOT EXISTS accounts_by_customer ON accounts (customer_id, id);
CREATE TABLE IF NOT EXISTS directory (
    number TEXT PRIMARY KEY, holder_name TEXT NOT NULL, account_id TEXT NOT NULL,
    reported_scam INTEGER NOT NULL DEFAULT 0, name_check_available INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS payees (
    id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, name TEXT NOT NULL, nickname TEXT,
    account_number TEXT NOT NULL, name_check TEXT NOT NULL, created_at TEXT NOT NULL,
    removed_at TEXT, name_check_id TEXT);
-- Each name check the bank answered: a payee is saved only with a fresh one for the same details.
CREATE TABLE IF NOT EXISTS name_checks (
    id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, account_number TEXT NOT NULL, name TEXT NOT NULL,
    result TEXT NOT NULL, actual_name TEXT, checked_at TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS payees_unique
    ON payees (customer_id, account_number) WHERE removed_at IS NULL;
CREATE INDEX IF NOT EXISTS payees_by_customer ON payees (customer_id, created_at) WHERE removed_at IS NULL;
CREATE TABLE IF NOT EXISTS billers (
    id TEXT PRIMARY KEY, category TEXT NOT NULL, name_en TEXT NOT NULL,
    name_zh_hans TEXT NOT NULL, name_zh_hant TEXT NOT NULL, account_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS bills (
    id TEXT PRIMARY KEY, biller_id TEXT NOT NULL, customer_number TEXT NOT NULL,
    holder_name TEXT NOT NULL, amount INTEGER NOT NULL, period TEXT NOT NULL,
    due_date TEXT NOT NULL, paid_payment_id TEXT, UNIQUE (biller_id, customer_number, period));
CREATE TABLE IF NOT EXISTS bill_accounts (
    customer_id TEXT NOT NULL, biller_id TEXT NOT NULL, customer_number TEXT NOT NULL,
    PRIMARY KEY (customer_id, biller_id, customer_number));
CREATE TABLE IF NOT EXISTS payment_requests (
    id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, to_account_id TEXT NOT NULL,
    amount INTEGER, note TEXT NOT NULL DEFAULT '', status TEXT NOT NULL,
    created_at TEXT NOT NULL, paid_payment_id TEXT, expires_at TEXT);
CREATE TABLE IF NOT EXISTS payments (
    id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, kind TEXT NOT NULL,
    from_account_id TEXT NOT NULL, to_account_id TEXT NOT NULL, payee_id TEXT, bill_id TEXT,
    request_id TEXT, counterparty TEXT NOT NULL, amount INTEGER NOT NULL, memo TEXT NOT NULL,
    purpose TEXT, status TEXT NOT NULL, decision TEXT NOT NULL, reasons TEXT NOT NULL,
    requires TEXT NOT NULL, acknowledged INTEGER NOT NULL DEFAULT 0, hold_minutes INTEGER NOT NULL,
    hold_until TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, completed_at TEXT,
    code_hash TEXT, code_expires_at TEXT, code_attempts INTEGER NOT NULL DEFAULT 0,
    purpose_answers TEXT NOT NULL DEFAULT '{}', code_sends INTEGER NOT NULL DEFAULT 0,
    request_key_hash TEXT, to_account_number TEXT);
CREATE INDEX IF NOT EXISTS payments_by_customer ON payments (customer_id, created_at);
CREATE INDEX IF NOT EXISTS payments_held ON payments (status, hold_until);
-- For the risk checks run on every new payment, which would otherwise read all of a customer's
-- payments: the rapid-repeat and duplicate windows, the 24-hour spend, earlier payments to a payee.
CREATE INDEX IF NOT EXISTS payments_recent ON payments (customer_id, status, created_at);
CREATE INDEX IF NOT EXISTS payments_spent ON payments (customer_id, status, completed_at, amount);
CREATE INDEX IF NOT EXISTS payments_to_destination ON payments (customer_id, to_account_id, status);
-- How many payments went to each saved payee (the payee list).
CREATE INDEX IF NOT EXISTS payments_by_payee ON payments (payee_id, status);
CREATE TABLE IF NOT EXISTS journal (
    id INTEGER PRIMARY KEY, payment_id TEXT, at TEXT NOT NULL, description TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS postings (
    id INTEGER PRIMARY KEY, journal_id INTEGER NOT NULL REFERENCES journal(id),
    account_id TEXT NOT NULL REFERENCES accounts(id), amount INTEGER NOT NULL,
    balance_after INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS postings_by_account ON postings (account_id, id);
-- Whether a history line went through the suspense account (one journal's postings).
CREATE INDEX IF NOT EXISTS postings_by_journal ON postings (journal_id, account_id);
CREATE TABLE IF NOT EXISTS notifications (
    id INTEGER PRIMARY KEY, customer_id TEXT NOT NULL, kind TEXT NOT NULL,
    recipient_name TEXT NOT NULL, recipient_phone TEXT NOT NULL, text TEXT NOT NULL,
    payment_id TEXT, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS notifications_by_phone ON notifications (recipient_phone, id);  -- the demo phone
CREATE TABLE IF NOT EXISTS anomalies (
    id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, kind TEXT NOT NULL, detail TEXT NOT NULL,
    at TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'open');
CREATE INDEX IF NOT EXISTS anomalies_by_customer ON anomalies (customer_id, status, at);
CREATE TABLE IF NOT EXISTS usage_events (
    id INTEGER PRIMARY KEY, customer_id TEXT NOT NULL, item TEXT NOT NULL, label TEXT NOT NULL,
    at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS usage_by_customer ON usage_events (customer_id, at);
CREATE TABLE IF NOT EXISTS drafts (
    customer_id TEXT NOT NULL, flow TEXT NOT NULL, data TEXT NOT NULL, updated_at TEXT NOT NULL,
    PRIMARY KEY (customer_id, flow));
-- "Continue on your phone": a single-use reference to a draft. Only the token's hash is kept.
CREATE TABLE IF NOT EXISTS handoffs (
    token_hash TEXT PRIMARY KEY, customer_id TEXT NOT NULL, flow TEXT NOT NULL, created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL, claimed_at TEXT);
CREATE INDEX IF NOT EXISTS handoffs_by_draft ON handoffs (customer_id, flow);
-- Help requests (Call staff): where the customer is and why, never amounts, names or numbers.
-- customer_id links a request to the signed-in (or just refused) customer, for staff actions only.
CREATE TABLE IF NOT EXISTS help_requests (
    id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, customer_id TEXT, screen TEXT NOT NULL, step TEXT,
    reason TEXT NOT NULL, waited_seconds INTEGER NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL,
    answered_at TEXT, staff_id TEXT, closed_at TEXT, outcome TEXT);
CREATE INDEX IF NOT EXISTS help_requests_open ON help_requests (status, created_at);
CREATE INDEX IF NOT EXISTS help_requests_by_kiosk ON help_requests (kiosk_id, status);
-- The card last refused at a kiosk (locked, or its customer paused), so that the help request that
-- follows can reach that customer's account, though nobody is signed in.
CREATE TABLE IF NOT EXISTS kiosk_refusals (kiosk_id TEXT PRIMARY KEY, card_key TEXT NOT NULL, at TEXT NOT NULL);
-- Branch floor staff: a PIN kept as a salted hash, as a card's is.
CREATE TABLE IF NOT EXISTS staff (
    id TEXT PRIMARY KEY, number TEXT UNIQUE NOT NULL, name TEXT NOT NULL, pin_salt BLOB NOT NULL,
    pin_hash BLOB NOT NULL, failed_attempts INTEGER NOT NULL DEFAULT 0, locked_at TEXT);
CREATE TABLE IF NOT EXISTS staff_sessions (
    token_hash TEXT PRIMARY KEY, staff_id TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,
    ended_at TEXT);
-- What staff did to a customer's money or account, and when: the log an auditor reads.
CREATE TABLE IF NOT EXISTS staff_actions (
    id INTEGER PRIMARY KEY, staff_id TEXT NOT NULL, action TEXT NOT NULL, help_request_id TEXT,
    customer_id TEXT, payment_id TEXT, at TEXT NOT NULL);
-- request_hash is keyed (a sign-in's body holds a PIN); body never holds a secret the answer
-- issued, only issued_secret_hash, the hash of the one last handed out (see mock_api.idempotency).
CREATE TABLE IF NOT EXISTS idempotency (
    scope TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL,
    status_code INTEGER NOT NULL, body TEXT NOT NULL, issued_secret_hash TEXT, created_at TEXT NOT NULL,
    PRIMARY KEY (scope, key));
CREATE INDEX IF NOT EXISTS idempotency_by_age ON idempotency (created_at);  -- forgetting old keys
"""


class Database:
    """A lock-guarded SQLite connection with read and write transactions."""

    def __init__(self, path: Path | str, *, known_cards: Iterable[tuple[str, str]] = ()) -> None:
        """``known_cards``: (customer id, card number) of cards whose numbers come from elsewhere
        (the demo data's, as :func:`mock_api.app.create_app` passes them): if the bank's key is
        lost, these are hashed again with the new one."""
        self.path = str(path)
        self._known_cards = tuple(known_cards)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        # FULL, not NORMAL: in WAL mode NORMAL may lose the last commits to a power cut, and a
        # payment the kiosk was told succeeded must still be there after one.
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._conn.execute("PRAGMA busy_timeout=5000")
        # What is deleted or overwritten is zeroed in the file, not left in free pages.
        self._conn.execute("PRAGMA secure_delete=ON")
        with self._lock:
            self._conn.executescript(SCHEMA)
            columns = {row[1] for row in self._conn.execute("PRAGMA table_info(payments)")}
            if "purpose_answers" not in columns:  # a bank file made before the follow-up questions
                self._conn.execute("ALTER TABLE payments ADD COLUMN purpose_answers TEXT NOT NULL DEFAULT '{}'")
            if "code_sends" not in columns:  # a bank file made before codes were counted per payment
                self._conn.execute("ALTER TABLE payments ADD COLUMN code_sends INTEGER NOT NULL DEFAULT 0")
            if "request_key_hash" not in columns:  # a bank file made before payments were found by their key
                self._conn.execute("ALTER TABLE payments ADD COLUMN request_key_hash TEXT")
            # Here, not in SCHEMA: an older file has the column only once the line above has run.
            # A kiosk stopped mid-payment asks what became of it by its Idempotency-Key (keyed hash).
            self._conn.execute(
                "CREATE INDEX IF NOT EXISTS payments_by_request_key ON payments (customer_id, request_key_hash)"
            )
            if "name_check_id" not in {row[1] for row in self._conn.execute("PRAGMA table_info(payees)")}:
                self._conn.execute("ALTER TABLE payees ADD COLUMN name_check_id TEXT")  # made before checks were kept
            if "to_account_number" not in columns:  # a bank file made before payments to a scanned code
                self._conn.execute("ALTER TABLE payments ADD COLUMN to_account_number TEXT")
            if "expires_at" not in {row[1] for row in self._conn.execute("PRAGMA table_info(payment_requests)")}:
                self._conn.execute("ALTER TABLE payment_requests ADD COLUMN expires_at TEXT")  # made before expiry
            # One process at a time takes the bank's key and settles the file with it: two opening a
            # new bank at once must not each make one.
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                memory = self.path == ":memory:"
                bank_key = BankKey(secrets.token_bytes(32), kept=False) if memory else load_bank_key(Path(self.path))
                self.key = bank_key.value
                self.key_kept = bank_key.kept  # False: in memory for this run only
                card_numbers_hashed_now = self._settle_key()
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
            if card_numbers_hashed_now:
                self._conn.execute("VACUUM")  # no old page left in the file
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def card_key(self, card_number: str) -> str:
        """How the bank finds a card: a keyed hash of its number."""
        return keyed_hash(self.key, card_number)

    def _settle_key(self) -> bool:
        """Make the file fit the bank's key (inside the open transaction); True if card numbers
        were hashed now (the caller then vacuums the file)."""
        conn = self._conn
        check = keyed_hash(self.key, KEY_CHECK_TEXT)
        hash_now = "number" in {row[1] for row in conn.execute("PRAGMA table_info(cards)")}
        if hash_now:
            self._hash_card_numbers()
        elif not self._key_fits(check):
            self._rekey()
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('key_check', ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (check,),
        )
        return hash_now

    def _key_fits(self, check: str) -> bool:
        """Whether the cards were hashed with this key: by the check value, or, where there is none
        (a file made before it was kept), by a known card."""
        conn = self._conn
        stored = conn.execute("SELECT value FROM meta WHERE key = 'key_check'").fetchone()
        if stored is not None:
            return hmac.compare_digest(stored[0], check)
        if conn.execute("SELECT 1 FROM cards LIMIT 1").fetchone() is None:
            return True  # nothing hashed yet
        demo_keys = [self.card_key(number) for _customer, number in self._known_cards]
        if not demo_keys:
            return True  # nothing to tell by: the key is taken as the right one, not a reason to drop data
        marks = ",".join("?" * len(demo_keys))
        return (
            conn.execute(f"SELECT 1 FROM cards WHERE card_key IN ({marks}) LIMIT 1", demo_keys).fetchone() is not None
        )

    def _rekey(self) -> None:
        """The file's key is lost (a wiped keyring, a bank run without one): hash the demo cards
        with this key from the demo data's numbers, and drop what the old key alone could verify."""
        conn = self._conn
        demo = {(customer, number[-4:]): number for customer, number in self._known_cards}
        new_keys: dict[str, str] = {}
        lost = 0
        for card in conn.execute("SELECT card_key, customer_id, card_last4 FROM cards").fetchall():
            number = demo.get((card["customer_id"], card["card_last4"]))
            if number is None:
                lost += 1  # its number is kept nowhere: it can no longer be found
                continue
            new_keys[card["card_key"]] = self.card_key(number)
        for old, new in new_keys.items():
            conn.execute("UPDATE cards SET card_key = ? WHERE card_key = ?", (new, old))
            conn.execute("UPDATE sessions SET card_key = ? WHERE card_key = ?", (new, old))
        dropped = {
            "stored answers to retried requests": conn.execute("DELETE FROM idempotency").rowcount,
            "wrong-PIN counts for unknown cards": conn.execute("DELETE FROM unknown_cards").rowcount,
            "open sessions": conn.execute("DELETE FROM sessions WHERE ended_at IS NULL").rowcount,
            # Keyed with the lost key: a kiosk asking by one would be told "not made" for a payment made.
            "payments' request keys (a payment can no longer be found by its Idempotency-Key)": conn.execute(
                "UPDATE payments SET request_key_hash = NULL WHERE request_key_hash IS NOT NULL"
            ).rowcount,
        }
        log.warning(
            "the bank's key for %s is not the one its cards were hashed with (a new keyring, or a run "
            "without one): re-keyed with a new key; %d demo cards hashed again; dropped, as they cannot "
            "be verified any more: %s",
            self.path,
            len(new_keys),
            ", ".join(f"{count} {what}" for what, count in dropped.items()),
        )
        if lost:
            log.warning(
                "%d cards not in the demo data cannot be found any more (their numbers are kept nowhere); "
                "POST /v1/admin/reset makes the demo data afresh",
                lost,
            )

    def _hash_card_numbers(self) -> None:
        """A bank file made before card numbers were hashed (inside the open transaction): hash
        them, and forget every stored answer (those may hold live tokens, and their request hashes
        were not keyed)."""
        conn = self._conn
        conn.execute("ALTER TABLE cards RENAME COLUMN number TO card_key")
        conn.execute("ALTER TABLE cards ADD COLUMN card_last4 TEXT NOT NULL DEFAULT ''")
        conn.execute("ALTER TABLE sessions RENAME COLUMN card_number TO card_key")
        for (number,) in conn.execute("SELECT card_key FROM cards").fetchall():
            conn.execute(
                "UPDATE cards SET card_key = ?, card_last4 = ? WHERE card_key = ?",
                (self.card_key(number), number[-4:], number),
            )
        for (number,) in conn.execute("SELECT DISTINCT card_key FROM sessions").fetchall():
            conn.execute("UPDATE sessions SET card_key = ? WHERE card_key = ?", (self.card_key(number), number))
        conn.execute("DELETE FROM idempotency")
        if "issued_secret_hash" not in {row[1] for row in conn.execute("PRAGMA table_info(idempotency)")}:
            conn.execute("ALTER TABLE idempotency ADD COLUMN issued_secret_hash TEXT")

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """An IMMEDIATE transaction: committed if the block succeeds, rolled back if it raises."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                yield self._conn
            finally:
                self._conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._conn.close()


@dataclass(frozen=True)
class BankKey:
    value: bytes = field(repr=False)
    kept: bool  # in the keyring; False: in memory for this run only


def load_bank_key(db_path: Path) -> BankKey:
    """The bank's key for the database at ``db_path`` from the OS keyring, made there if missing.

    A key file an older version left beside the database (``<database>.key``) is read once, moved
    into the keyring and shredded. Without a usable keyring: that file's key or a new one, in
    memory for this run, and a WARNING for staff (never a file)."""
    import keyring  # here: only a bank on a file needs it, and it is not light
    from keyring.errors import KeyringError

    account = str(db_path.resolve())
    key_file = db_path.with_name(db_path.name + ".key")
    from_file = key_file.read_bytes() if key_file.is_file() else None
    try:
        stored = keyring.get_password(KEYRING_SERVICE, account)
        key = _key_from(stored)
        if key is None:
            if stored:
                log.warning("the bank's key for %s in the keyring is unreadable; a new one is made", account)
            key = from_file or secrets.token_bytes(32)
            keyring.set_password(KEYRING_SERVICE, account, key.hex())
            if from_file:
                log.info("the bank's key for %s was moved from its key file into the keyring", account)
        kept = True
    except KeyringError as error:
        key = from_file or secrets.token_bytes(32)
        kept = False
        log.warning("no keyring for the bank's key (%s). For staff: %s", type(error).__name__, NO_KEYRING_NOTICE)
    if from_file is not None:
        _shred(key_file)
    return BankKey(key, kept)


def _key_from(stored: str | None) -> bytes | None:
    try:
        key = bytes.fromhex(stored or "")
    except ValueError:
        return None
    return key if len(key) == 32 else None


def _shred(path: Path) -> None:
    """Overwrite a file, then remove it: its bytes are not left in the file system's free blocks."""
    with path.open("r+b") as file:
        file.write(bytes(path.stat().st_size))
        file.flush()
        os.fsync(file.fileno())
    path.unlink()
