"""Kiosks, sign-in and sessions, and the signed-in customer."""

from __future__ import annotations

import hmac
import secrets
import sqlite3
from datetime import timedelta
from typing import NoReturn

from mock_api import schemas
from mock_api.bank.core import BankCore
from mock_api.errors import ApiError
from mock_api.seed import names_of
from mock_api.values import BANK_HOTLINE, hash_pin, hash_secret, iso, last4, new_id, parse_time

# An unknown card's PIN is hashed like a real one's, against a hash no PIN gives.
_NO_CARD_SALT = secrets.token_bytes(16)
_NO_CARD_PIN_HASH = bytes(32)


class Sessions(BankCore):
    """Kiosk registration, PIN sign-in (with lock and freeze), session tokens."""

    def register_kiosk(self, conn: sqlite3.Connection, label: str) -> schemas.KioskCredentials:
        kiosk_id = new_id("kiosk")
        device_key = secrets.token_urlsafe(32)
        conn.execute(
            "INSERT INTO kiosks (id, label, key_hash, created_at) VALUES (?, ?, ?, ?)",
            (kiosk_id, label, hash_secret(device_key), iso(self.clock.now())),
        )
        return schemas.KioskCredentials(kiosk_id=kiosk_id, device_key=device_key)

    def authenticate_kiosk(self, kiosk_id: str | None, device_key: str | None) -> str:
        if not kiosk_id or not device_key:
            raise ApiError("kiosk_unknown", param="X-Kiosk-Id")
        with self.db.read() as conn:
            row = conn.execute("SELECT key_hash FROM kiosks WHERE id = ?", (kiosk_id,)).fetchone()
        if row is None or not hmac.compare_digest(row["key_hash"], hash_secret(device_key)):
            raise ApiError("kiosk_unknown", param="X-Kiosk-Id")
        return kiosk_id

    def sign_in(self, conn: sqlite3.Connection, kiosk_id: str, card_number: str, pin: str) -> schemas.Session:
        """A session for the card's customer. A card number the bank does not know is answered as a
        known card with a wrong PIN (same code, same counting, same PIN hashing), so sign-in never
        tells a stranger which card numbers exist."""
        card_key = self.db.card_key(card_number)
        card = conn.execute("SELECT * FROM cards WHERE card_key = ?", (card_key,)).fetchone()
        if card is None:
            self._refuse_unknown_card(conn, card_key, pin)
        customer = conn.execute("SELECT * FROM customers WHERE id = ?", (card["customer_id"],)).fetchone()
        now = self.clock.now()
        if customer["frozen_at"] or card["locked_at"]:
            self._note_refusal(conn, kiosk_id, card_key)  # committed with the refusal, for staff
        if customer["frozen_at"]:
            anomaly_id = self._open_anomaly(conn, customer["id"])
            raise ApiError("account_frozen", commit=True, details={"anomaly_id": anomaly_id})
        if card["locked_at"]:
            attempts = card["attempts_while_locked"] + 1
            conn.execute("UPDATE cards SET attempts_while_locked = ? WHERE card_key = ?", (attempts, card_key))
            if attempts >= self.risk.freeze_after_locked_attempts:
                anomaly_id = self._freeze(
                    conn, customer, "repeated_failed_sign_in", f"{attempts} tries on a locked card"
                )
                raise ApiError("account_frozen", commit=True, details={"anomaly_id": anomaly_id})
            raise ApiError("card_locked", commit=True)
        if not hmac.compare_digest(hash_pin(pin, card["pin_salt"]), card["pin_hash"]):
            failed = card["failed_attempts"] + 1
            locked_at = iso(now) if failed >= self.risk.pin_attempts else None
            conn.execute(
                "UPDATE cards SET failed_attempts = ?, locked_at = ? WHERE card_key = ?", (failed, locked_at, card_key)
            )
            if locked_at:
                self._note_refusal(conn, kiosk_id, card_key)
            self._refuse_wrong_pin(failed)
        conn.execute("UPDATE cards SET failed_attempts = 0 WHERE card_key = ?", (card_key,))
        token = secrets.token_urlsafe(32)
        expires = now + timedelta(minutes=self.risk.session_minutes)
        conn.execute(
            "INSERT INTO sessions (token_hash, customer_id, kiosk_id, card_key, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (hash_secret(token), customer["id"], kiosk_id, card_key, iso(now), iso(expires)),
        )
        return schemas.Session(token=token, issued_at=now, expires_at=expires, customer=self._customer(conn, customer))

    def _note_refusal(self, conn: sqlite3.Connection, kiosk_id: str, card_key: str) -> None:
        """The card this kiosk just refused (locked, or its customer paused): the help request that
        follows reaches that customer's account for staff, though nobody could sign in."""
        conn.execute(
            "INSERT INTO kiosk_refusals (kiosk_id, card_key, at) VALUES (?, ?, ?)"
            " ON CONFLICT (kiosk_id) DO UPDATE SET card_key = excluded.card_key, at = excluded.at",
            (kiosk_id, card_key, iso(self.clock.now())),
        )

    def _refuse_unknown_card(self, conn: sqlite3.Connection, card_key: str, pin: str) -> NoReturn:
        """What a known card with a wrong PIN answers, after the same work: a PIN hashed, tries counted, a lock."""
        now = iso(self.clock.now())
        row = conn.execute(
            "SELECT failed_attempts, locked_at FROM unknown_cards WHERE card_key = ?", (card_key,)
        ).fetchone()
        if row is not None and row["locked_at"]:
            conn.execute("UPDATE unknown_cards SET tried_at = ? WHERE card_key = ?", (now, card_key))
            raise ApiError("card_locked", commit=True)
        hmac.compare_digest(hash_pin(pin, _NO_CARD_SALT), _NO_CARD_PIN_HASH)
        failed = (row["failed_attempts"] if row is not None else 0) + 1
        locked_at = now if failed >= self.risk.pin_attempts else None
        conn.execute(
            "INSERT INTO unknown_cards (card_key, failed_attempts, locked_at, tried_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (card_key) DO UPDATE SET failed_attempts = excluded.failed_attempts,"
            " locked_at = excluded.locked_at, tried_at = excluded.tried_at",
            (card_key, failed, locked_at, now),
        )
        self._refuse_wrong_pin(failed)

    def _refuse_wrong_pin(self, failed: int) -> NoReturn:
        remaining = max(self.risk.pin_attempts - failed, 0)
        if remaining == 0:
            raise ApiError("card_locked", commit=True)
        raise ApiError("pin_incorrect", param="pin", commit=True, details={"attempts_remaining": remaining})

    def reissue_session(self, conn: sqlite3.Connection, token_hash: str) -> str:
        """A new token for a live session (a replayed sign-in), which revokes the one before: the bank
        keeps only hashes, so it cannot hand the first one out again."""
        row = conn.execute(
            "SELECT s.expires_at, s.ended_at, c.id, c.frozen_at FROM sessions s"
            " JOIN customers c ON c.id = s.customer_id WHERE s.token_hash = ?",
            (token_hash,),
        ).fetchone()
        if row is None or row["ended_at"] or parse_time(row["expires_at"]) <= self.clock.now():
            raise ApiError("session_expired")
        if row["frozen_at"]:
            raise ApiError("account_frozen", details={"anomaly_id": self._open_anomaly(conn, row["id"])})
        token = secrets.token_urlsafe(32)
        conn.execute("UPDATE sessions SET token_hash = ? WHERE token_hash = ?", (hash_secret(token), token_hash))
        return token

    def authenticate(self, token: str | None) -> str:
        """The customer id of a live session, extending it (sliding expiry)."""
        if not token:
            raise ApiError("session_missing")
        row = self._live_session(token)
        if row is None:
            raise ApiError("session_expired")
        if row["frozen_at"]:  # paused while signed in: the session can do nothing more
            with self.db.read() as conn:
                anomaly_id = self._open_anomaly(conn, row["customer_id"])
            raise ApiError("account_frozen", details={"anomaly_id": anomaly_id})
        expires = self.clock.now() + timedelta(minutes=self.risk.session_minutes)
        if parse_time(row["expires_at"]) < expires - timedelta(seconds=30):
            with self.db.write() as conn:
                conn.execute(
                    "UPDATE sessions SET expires_at = ? WHERE token_hash = ?", (iso(expires), hash_secret(token))
                )
        return str(row["customer_id"])

    def keep_alive(self, token: str) -> None:
        """Extend a live session without any check of the customer: a customer waiting at the kiosk
        for staff (its help request asked after every second) is not signed out by the bank meanwhile."""
        if self._live_session(token) is None:
            return
        expires = self.clock.now() + timedelta(minutes=self.risk.session_minutes)
        with self.db.write() as conn:
            conn.execute(
                "UPDATE sessions SET expires_at = ? WHERE token_hash = ? AND expires_at < ?",
                (iso(expires), hash_secret(token), iso(expires - timedelta(seconds=30))),
            )

    def session_customer(self, token: str) -> str | None:
        """The customer of a live session, or None; unlike :meth:`authenticate` it neither refuses nor extends."""
        row = self._live_session(token)
        return str(row["customer_id"]) if row is not None else None

    def _live_session(self, token: str) -> sqlite3.Row | None:
        with self.db.read() as conn:
            row = conn.execute(
                "SELECT s.customer_id, s.expires_at, s.ended_at, c.frozen_at FROM sessions s"
                " JOIN customers c ON c.id = s.customer_id WHERE s.token_hash = ?",
                (hash_secret(token),),
            ).fetchone()
        if row is None or row["ended_at"] or parse_time(row["expires_at"]) <= self.clock.now():
            return None
        return row

    def sign_out(self, token: str) -> None:
        with self.db.write() as conn:
            conn.execute(
                "UPDATE sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL",
                (iso(self.clock.now()), hash_secret(token)),
            )

    def customer(self, customer_id: str) -> schemas.Customer:
        with self.db.read() as conn:
            row = conn.execute("SELECT * FROM customers WHERE id = ?", (customer_id,)).fetchone()
            return self._customer(conn, row)

    def _customer(self, conn: sqlite3.Connection, row: sqlite3.Row) -> schemas.Customer:
        contact = None
        if row["trusted_contact_name"]:
            contact = schemas.TrustedContact(
                name=row["trusted_contact_name"],
                names=names_of(row["trusted_contact_name"]),
                phone_last4=last4(row["trusted_contact_phone"]),
            )
        return schemas.Customer(
            id=row["id"],
            name=row["name"],
            names=names_of(row["name"]),
            language=row["language"],
            trusted_contact=contact,
        )

    def _freeze(self, conn: sqlite3.Connection, customer: sqlite3.Row, kind: str, detail: str) -> str:
        now = iso(self.clock.now())
        conn.execute("UPDATE customers SET frozen_at = ?, frozen_reason = ? WHERE id = ?", (now, kind, customer["id"]))
        anomaly_id = new_id("anom")
        conn.execute(
            "INSERT INTO anomalies (id, customer_id, kind, detail, at) VALUES (?, ?, ?, ?, ?)",
            (anomaly_id, customer["id"], kind, detail, now),
        )
        self._notify(
            conn,
            customer["id"],
            "anomaly",
            customer["name"],
            customer["phone"],
            "CalmPay: someone tried to use your card several times with a wrong PIN. "
            "Your account is paused to keep your money safe. Was this you? "
            f"Visit a branch or call {BANK_HOTLINE}.",
        )
        return anomaly_id
