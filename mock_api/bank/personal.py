"""The customer's own things: usage, preferences, drafts, payment requests, the demo phone."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import timedelta
from typing import Any

import emvqr
from mock_api import schemas
from mock_api.bank.core import BankCore
from mock_api.errors import ApiError
from mock_api.seed import names_of
from mock_api.values import iso, new_id, parse_time

# Preferences and drafts are small, flat documents. Deeper ones cannot be served back (the JSON
# encoder gives up near 255 levels), nor can text with a lone surrogate (not encodable as UTF-8):
# such a document is refused before it is written, never stored to fail every later read.
MAX_DOCUMENT_DEPTH = 16


def storable_document(data: dict[str, Any], max_bytes: int, what: str) -> str:
    """``data`` as the JSON text to store, or an ApiError saying why it cannot be stored."""
    pending: list[tuple[Any, int]] = [(data, 1)]
    while pending:  # a loop, not recursion: the document may be nested deeper than the stack
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            if depth > MAX_DOCUMENT_DEPTH:
                raise ApiError("document_too_deep", param="data")
            items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
            pending.extend((item, depth + 1) for item in items)
        elif isinstance(value, str) and not value.isascii():
            try:
                value.encode()
            except UnicodeEncodeError:
                raise ApiError("document_text_invalid", param="data") from None
    text = json.dumps(data)
    if len(text.encode()) > max_bytes:
        raise ApiError("validation_failed", f"{what} limited to {max_bytes // 1024} KiB.", param="data")
    return text


# A draft keeps what was chosen and typed, never a secret: a key made of these words, at any depth, is
# refused. "code" alone is a one-time code; a code that names a thing (a QR code, a currency code) is not.
SECRET_WORDS = frozenset(
    {"pin", "pins", "otp", "token", "tokens", "password", "passwords", "passcode", "passwd", "secret", "cvv", "cvc"}
)
NOT_SECRET_CODES = frozenset({"qr", "currency", "country", "postal", "post", "zip", "area", "bank", "branch", "error"})
SECRET_KEYS = frozenset({"device", "kiosk", "private", "api", "secret", "bank"})  # a device_key, not an idempotency_key


def secret_field_name(name: str) -> bool:
    """Whether a document's key names a secret: ``pin``, ``verificationCode``, ``session_token``, ``otp``
    (but not ``pinyin``, ``qr_code`` or ``idempotency_key``)."""
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()
    parts = [word for word in re.split(r"[^a-z]+", words) if word]
    for before, word in zip(["", *parts], parts, strict=False):
        if word in SECRET_WORDS:
            return True
        if word in {"code", "codes"} and before not in NOT_SECRET_CODES:
            return True
        if word == "key" and before in SECRET_KEYS:
            return True
    return False


def refuse_secrets(data: dict[str, Any]) -> None:
    """An ApiError ``draft_holds_secret`` if any key of ``data``, at any depth, names a secret."""
    pending: list[Any] = [data]
    while pending:  # a loop: depth is bounded already (storable_document), but a loop costs nothing
        value = pending.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if secret_field_name(key):
                    raise ApiError("draft_holds_secret", param="data", details={"key": key})
                pending.append(item)
        elif isinstance(value, list):
            pending.extend(value)


def latin_name(recorded: str) -> str:
    """A customer's name for a payment code's tag 59 (printable ASCII, at most 25): the bank's English
    form of the name (李梅 Li Mei: "LI MEI"), else the Latin letters of the name as recorded."""
    english = names_of(recorded).get("en") or recorded
    latin = " ".join("".join(c for c in english if c.isascii() and c.isprintable()).split())
    return (latin.upper() or "CALMPAY CUSTOMER")[: emvqr.codec.MAX_NAME].rstrip()


def chinese_name(recorded: str) -> str | None:
    """The name in Chinese characters as recorded (陳美玲 Chan Mei-ling: 陳美玲), for tag 64; None if it has none."""
    chinese = " ".join(word for word in recorded.split() if not word.isascii())
    return chinese[: emvqr.codec.MAX_NAME] or None


class Personal(BankCore):
    """Usage, preferences, drafts, payment requests and the demo phone."""

    def record_usage(self, conn: sqlite3.Connection, customer_id: str, body: schemas.UsageEvent) -> schemas.UsageRecord:
        now = self.clock.now()
        conn.execute(
            "INSERT INTO usage_events (customer_id, item, label, at) VALUES (?, ?, ?, ?)",
            (customer_id, body.item, body.label, iso(now)),
        )
        return schemas.UsageRecord(item=body.item, label=body.label, at=now)

    def usage(self, customer_id: str, since_days: int) -> list[schemas.UsageRecord]:
        since = iso(self.clock.now() - timedelta(days=since_days))
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT item, label, at FROM usage_events WHERE customer_id = ? AND at >= ?"
                " ORDER BY at DESC LIMIT 2000",
                (customer_id, since),
            ).fetchall()
        return [schemas.UsageRecord(item=r["item"], label=r["label"], at=parse_time(r["at"])) for r in rows]

    def preferences(self, customer_id: str) -> schemas.Preferences:
        with self.db.read() as conn:
            text = conn.execute("SELECT preferences FROM customers WHERE id = ?", (customer_id,)).fetchone()[0]
        return schemas.Preferences(data=json.loads(text))

    def set_preferences(self, customer_id: str, body: schemas.Preferences) -> schemas.Preferences:
        text = storable_document(body.data, 4096, "Preferences are")
        with self.db.write() as conn:
            conn.execute("UPDATE customers SET preferences = ? WHERE id = ?", (text, customer_id))
        return body

    def drafts(self, customer_id: str) -> list[schemas.Draft]:
        def operation(conn: sqlite3.Connection) -> list[schemas.Draft]:
            self._forget_expired_drafts(conn, customer_id)
            rows = conn.execute(
                "SELECT * FROM drafts WHERE customer_id = ? ORDER BY updated_at DESC", (customer_id,)
            ).fetchall()
            return [self._draft_of(row) for row in rows]

        return self.run(operation)

    def draft(self, customer_id: str, flow: str) -> schemas.Draft:
        return self.run(lambda conn: self._live_draft(conn, customer_id, flow))

    def save_draft(self, customer_id: str, flow: str, data: dict[str, Any]) -> schemas.Draft:
        text = storable_document(data, 8192, "A draft is")
        refuse_secrets(data)
        now = self.clock.now()
        with self.db.write() as conn:
            self._forget_expired_drafts(conn, customer_id)
            conn.execute(
                "INSERT INTO drafts (customer_id, flow, data, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (customer_id, flow) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                (customer_id, flow, text, iso(now)),
            )
        return schemas.Draft(flow=flow, data=data, updated_at=now, expires_at=now + self._draft_lifetime)

    def delete_draft(self, customer_id: str, flow: str) -> None:
        """Idempotent: deleting a draft that is not there (finished, expired, never saved) is fine."""
        with self.db.write() as conn:
            self._forget_expired_drafts(conn, customer_id)
            conn.execute("DELETE FROM drafts WHERE customer_id = ? AND flow = ?", (customer_id, flow))

    @property
    def _draft_lifetime(self) -> timedelta:
        return timedelta(hours=self.risk.draft_hours)

    def _forget_expired_drafts(self, conn: sqlite3.Connection, customer_id: str) -> None:
        cutoff = iso(self.clock.now() - self._draft_lifetime)
        conn.execute("DELETE FROM drafts WHERE customer_id = ? AND updated_at <= ?", (customer_id, cutoff))

    def _live_draft(self, conn: sqlite3.Connection, customer_id: str, flow: str) -> schemas.Draft:
        """The customer's draft of ``flow``, else ``draft_not_found`` (expired ones are deleted first)."""
        self._forget_expired_drafts(conn, customer_id)
        row = conn.execute("SELECT * FROM drafts WHERE customer_id = ? AND flow = ?", (customer_id, flow)).fetchone()
        if row is None:
            raise ApiError("draft_not_found", param="flow")
        return self._draft_of(row)

    def _draft_of(self, row: sqlite3.Row) -> schemas.Draft:
        updated = parse_time(row["updated_at"])
        return schemas.Draft(
            flow=row["flow"],
            data=json.loads(row["data"]),
            updated_at=updated,
            expires_at=updated + self._draft_lifetime,
        )

    def create_payment_request(
        self, conn: sqlite3.Connection, customer_id: str, body: schemas.NewPaymentRequest
    ) -> schemas.PaymentRequest:
        self._own_account(conn, customer_id, body.to_account_id)
        request_id = new_id("req")
        now = self.clock.now()
        expires = now + timedelta(minutes=self.risk.payment_request_minutes)
        conn.execute(
            "INSERT INTO payment_requests (id, customer_id, to_account_id, amount, note, status, created_at,"
            " expires_at) VALUES (?, ?, ?, ?, ?, 'open', ?, ?)",
            (request_id, customer_id, body.to_account_id, body.amount_minor, body.note, iso(now), iso(expires)),
        )
        return self._payment_request(conn, request_id)

    def payment_request(self, request_id: str) -> schemas.PaymentRequest:
        with self.db.read() as conn:
            return self._payment_request(conn, request_id)

    def cancel_payment_request(
        self, conn: sqlite3.Connection, customer_id: str, request_id: str
    ) -> schemas.PaymentRequest:
        changed = conn.execute(
            "UPDATE payment_requests SET status = 'cancelled' WHERE id = ? AND customer_id = ? AND status = 'open'",
            (request_id, customer_id),
        ).rowcount
        if not changed:
            owned = conn.execute(
                "SELECT 1 FROM payment_requests WHERE id = ? AND customer_id = ?", (request_id, customer_id)
            ).fetchone()
            raise ApiError("payment_request_closed" if owned else "payment_request_not_found", param="request_id")
        return self._payment_request(conn, request_id)

    def _payment_request(self, conn: sqlite3.Connection, request_id: str) -> schemas.PaymentRequest:
        row = conn.execute("SELECT * FROM payment_requests WHERE id = ?", (request_id,)).fetchone()
        if row is None:
            raise ApiError("payment_request_not_found", param="request_id")
        name = conn.execute("SELECT name FROM customers WHERE id = ?", (row["customer_id"],)).fetchone()[0]
        number = conn.execute("SELECT number FROM accounts WHERE id = ?", (row["to_account_id"],)).fetchone()[0]
        expires = parse_time(row["expires_at"]) if row["expires_at"] else None
        status = row["status"]
        if status == "open" and expires is not None and self.clock.now() >= expires:
            status = "expired"
        code = emvqr.PaymentCode(
            account_number=number,
            name=latin_name(name),
            local_name=chinese_name(name),
            amount_minor=row["amount"],
            reference=row["id"],
        )
        return schemas.PaymentRequest(
            id=row["id"],
            payee_name=name,
            payee_names=names_of(name),
            amount_minor=row["amount"],
            note=row["note"],
            status=status,
            created_at=parse_time(row["created_at"]),
            expires_at=expires,
            payload=emvqr.encode(code),
        )

    def phone_messages(self, customer_id: str) -> list[schemas.PhoneMessage]:
        """The demo's simulated phone: messages sent to this customer's own phone."""
        with self.db.read() as conn:
            phone = conn.execute("SELECT phone FROM customers WHERE id = ?", (customer_id,)).fetchone()[0]
            rows = conn.execute(
                "SELECT at, text FROM notifications WHERE recipient_phone = ? ORDER BY id DESC LIMIT 20", (phone,)
            ).fetchall()
        return [schemas.PhoneMessage(at=parse_time(r["at"]), text=r["text"]) for r in rows]
