"""The mock bank's business operations, independent of HTTP.

Each public method runs in one database transaction. A method raises :class:`ApiError`
to refuse; an error marked ``commit=True`` (a wrong PIN, a blocked payment) keeps the
writes made before it, so the failure itself is on record.
"""

from __future__ import annotations

import hmac
import json
import secrets
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from mock_api import ledger, schemas
from mock_api.config import Clock, RiskConfig
from mock_api.db import Database
from mock_api.errors import ApiError
from mock_api.ledger import EXTERNAL_ACCOUNT, SUSPENSE_ACCOUNT
from mock_api.names import check_name
from mock_api.risk import PaymentFacts, RiskDecision, assess
from mock_api.seed import generated_bill
from mock_api.values import hash_pin, hash_secret, iso, last4, new_id, parse_time

T = TypeVar("T")

# Magic amount: pretend the payment happens at 03:00 local time ("unusual_time").
MAGIC_UNUSUAL_TIME_AMOUNT = 30_303
NAME_CHECK_UNAVAILABLE_PREFIX = "9999"
REQUEST_PAYLOAD_PREFIX = "calmpay:pay?request="


class Bank:
    def __init__(self, db: Database, risk: RiskConfig, clock: Clock) -> None:
        self.db = db
        self.risk = risk
        self.clock = clock

    # --- transactions and idempotency ----------------------------------------------------

    def run(self, operation: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``operation`` in one write transaction; keep writes for committing errors."""
        committed_error: ApiError | None = None
        with self.db.write() as conn:
            conn.execute("SAVEPOINT operation")
            try:
                result = operation(conn)
            except ApiError as error:
                if not error.commit:
                    conn.execute("ROLLBACK TO operation")
                committed_error = error
            conn.execute("RELEASE operation")
        if committed_error is not None:
            raise committed_error
        return result

    def idempotent(
        self,
        scope: str,
        key: str,
        request_hash: str,
        operation: Callable[[sqlite3.Connection], tuple[int, dict[str, Any]]],
    ) -> tuple[int, dict[str, Any], bool]:
        """Stripe's semantics: the first response for (scope, key) is stored and replayed.

        Returns (status, body, replayed). The stored response and the operation's writes
        commit together, so a response lost on the wire can always be replayed.
        """
        with self.db.write() as conn:
            self._forget_old_keys(conn)
            row = conn.execute(
                "SELECT request_hash, status_code, body FROM idempotency WHERE scope = ? AND key = ?",
                (scope, key),
            ).fetchone()
            if row is not None:
                if row["request_hash"] != request_hash:
                    raise ApiError("idempotency_key_reused", param="Idempotency-Key")
                return row["status_code"], json.loads(row["body"]), True
            conn.execute("SAVEPOINT operation")
            try:
                status, body = operation(conn)
            except ApiError as error:
                if not error.commit:
                    conn.execute("ROLLBACK TO operation")
                status, body = error.status, error.envelope()
            conn.execute("RELEASE operation")
            conn.execute(
                "INSERT INTO idempotency (scope, key, request_hash, status_code, body, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (scope, key, request_hash, status, json.dumps(body), iso(self.clock.now())),
            )
        return status, body, False

    def _forget_old_keys(self, conn: sqlite3.Connection) -> None:
        # Keys live at least 24 hours (Stripe keeps them 24 h); we keep them 48.
        cutoff = iso(self.clock.now() - timedelta(hours=48))
        conn.execute("DELETE FROM idempotency WHERE created_at < ?", (cutoff,))

    # --- kiosks and sessions ---------------------------------------------------------------

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
        card = conn.execute("SELECT * FROM cards WHERE number = ?", (card_number,)).fetchone()
        if card is None:
            raise ApiError("card_unknown", param="card_number")
        customer = conn.execute("SELECT * FROM customers WHERE id = ?", (card["customer_id"],)).fetchone()
        now = self.clock.now()
        if customer["frozen_at"]:
            raise ApiError("account_frozen", details={"anomaly_id": self._open_anomaly(conn, customer["id"])})
        if card["locked_at"]:
            attempts = card["attempts_while_locked"] + 1
            conn.execute("UPDATE cards SET attempts_while_locked = ? WHERE number = ?", (attempts, card_number))
            if attempts >= self.risk.freeze_after_locked_attempts:
                anomaly_id = self._freeze(
                    conn, customer, "repeated_failed_sign_in", f"{attempts} tries on a locked card"
                )
                raise ApiError("account_frozen", commit=True, details={"anomaly_id": anomaly_id})
            raise ApiError("card_locked", commit=True)
        if not hmac.compare_digest(hash_pin(pin, card["pin_salt"]), card["pin_hash"]):
            failed = card["failed_attempts"] + 1
            remaining = max(self.risk.pin_attempts - failed, 0)
            if remaining == 0:
                conn.execute(
                    "UPDATE cards SET failed_attempts = ?, locked_at = ? WHERE number = ?",
                    (failed, iso(now), card_number),
                )
                raise ApiError("card_locked", commit=True)
            conn.execute("UPDATE cards SET failed_attempts = ? WHERE number = ?", (failed, card_number))
            raise ApiError("pin_incorrect", param="pin", commit=True, details={"attempts_remaining": remaining})
        conn.execute("UPDATE cards SET failed_attempts = 0 WHERE number = ?", (card_number,))
        token = secrets.token_urlsafe(32)
        expires = now + timedelta(minutes=self.risk.session_minutes)
        conn.execute(
            "INSERT INTO sessions (token_hash, customer_id, kiosk_id, card_number, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (hash_secret(token), customer["id"], kiosk_id, card_number, iso(now), iso(expires)),
        )
        return schemas.Session(token=token, issued_at=now, expires_at=expires, customer=self._customer(conn, customer))

    def authenticate(self, token: str | None) -> str:
        """The customer id of a live session, extending it (sliding expiry)."""
        if not token:
            raise ApiError("session_missing")
        token_hash = hash_secret(token)
        now = self.clock.now()
        with self.db.read() as conn:
            row = conn.execute(
                "SELECT customer_id, expires_at, ended_at FROM sessions WHERE token_hash = ?", (token_hash,)
            ).fetchone()
        if row is None or row["ended_at"] or parse_time(row["expires_at"]) <= now:
            raise ApiError("session_expired")
        expires = now + timedelta(minutes=self.risk.session_minutes)
        if parse_time(row["expires_at"]) < expires - timedelta(seconds=30):
            with self.db.write() as conn:
                conn.execute("UPDATE sessions SET expires_at = ? WHERE token_hash = ?", (iso(expires), token_hash))
        return str(row["customer_id"])

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
                name=row["trusted_contact_name"], phone_last4=last4(row["trusted_contact_phone"])
            )
        return schemas.Customer(id=row["id"], name=row["name"], language=row["language"], trusted_contact=contact)

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
            "Your account is paused to keep your money safe. Was this you? Visit a branch or call 95588.",
        )
        return anomaly_id

    def _open_anomaly(self, conn: sqlite3.Connection, customer_id: str) -> str | None:
        row = conn.execute(
            "SELECT id FROM anomalies WHERE customer_id = ? AND status = 'open' ORDER BY at DESC LIMIT 1",
            (customer_id,),
        ).fetchone()
        return row["id"] if row else None

    # --- accounts and history -----------------------------------------------------------------

    def accounts(self, customer_id: str) -> list[schemas.Account]:
        def operation(conn: sqlite3.Connection) -> list[schemas.Account]:
            self._release_due(conn)
            rows = conn.execute(
                "SELECT a.*, (SELECT COALESCE(SUM(amount), 0) FROM payments p"
                "  WHERE p.from_account_id = a.id AND p.status = 'held') AS held"
                " FROM accounts a WHERE customer_id = ? AND kind = 'customer' ORDER BY id",
                (customer_id,),
            ).fetchall()
            return [
                schemas.Account(
                    id=r["id"],
                    name=r["name"],
                    number_last4=last4(r["number"]),
                    currency=r["currency"],
                    balance_minor=r["balance"],
                    held_minor=r["held"],
                )
                for r in rows
            ]

        return self.run(operation)

    def _own_account(self, conn: sqlite3.Connection, customer_id: str, account_id: str) -> sqlite3.Row:
        row = conn.execute(
            "SELECT * FROM accounts WHERE id = ? AND customer_id = ? AND kind = 'customer'",
            (account_id, customer_id),
        ).fetchone()
        if row is None:
            raise ApiError("account_not_found", param="account_id")
        return row

    def transactions(
        self, customer_id: str, account_id: str, limit: int, cursor: int | None
    ) -> schemas.TransactionPage:
        def operation(conn: sqlite3.Connection) -> schemas.TransactionPage:
            self._release_due(conn)
            self._own_account(conn, customer_id, account_id)
            rows = conn.execute(
                "SELECT p.id, p.amount, p.balance_after, j.at, j.description, j.payment_id, pay.kind AS payment_kind,"
                " pay.counterparty, pay.from_account_id, billers.id AS biller_id, payer.name AS payer_name,"
                " EXISTS (SELECT 1 FROM postings o WHERE o.journal_id = j.id AND o.account_id = ?) AS via_suspense"
                " FROM postings p JOIN journal j ON j.id = p.journal_id"
                " LEFT JOIN payments pay ON pay.id = j.payment_id"
                " LEFT JOIN billers ON billers.account_id = pay.to_account_id AND pay.kind = 'bill'"
                " LEFT JOIN customers payer ON payer.id = pay.customer_id"
                " WHERE p.account_id = ? AND p.id < ? ORDER BY p.id DESC LIMIT ?",
                (SUSPENSE_ACCOUNT, account_id, cursor if cursor is not None else 2**62, limit + 1),
            ).fetchall()
            items = [self._transaction(account_id, r) for r in rows[:limit]]
            next_cursor = items[-1].id if len(rows) > limit else None
            return schemas.TransactionPage(items=items, next_cursor=next_cursor)

        return self.run(operation)

    @staticmethod
    def _transaction(account_id: str, row: sqlite3.Row) -> schemas.Transaction:
        """One line of history, with what kind of line it is, so kiosks can word it in any language."""
        amount = row["amount"]
        if row["payment_id"] is None:
            opening = row["description"] == "Opening balance"
            kind, counterparty = ("opening", "") if opening else ("income", row["description"].removeprefix("From "))
        elif amount < 0:
            kind = "held" if row["via_suspense"] else ("bill" if row["payment_kind"] == "bill" else "sent")
            counterparty = row["counterparty"]
        elif row["from_account_id"] == account_id:
            kind, counterparty = "refund", row["counterparty"]  # a held payment, cancelled
        else:
            kind, counterparty = "received", row["payer_name"]
        return schemas.Transaction(
            id=row["id"],
            at=parse_time(row["at"]),
            amount_minor=amount,
            balance_after_minor=row["balance_after"],
            description=row["description"],
            kind=kind,
            counterparty=counterparty,
            biller_id=row["biller_id"],
            payment_id=row["payment_id"],
        )

    # --- payees ----------------------------------------------------------------------------------

    def name_check(self, account_number: str, name: str) -> schemas.NameCheckResult:
        with self.db.read() as conn:
            return self._name_check(conn, account_number, name)

    def _name_check(self, conn: sqlite3.Connection, account_number: str, name: str) -> schemas.NameCheckResult:
        entry = conn.execute("SELECT * FROM directory WHERE number = ?", (account_number,)).fetchone()
        available = not account_number.startswith(NAME_CHECK_UNAVAILABLE_PREFIX) and (
            entry is None or bool(entry["name_check_available"])
        )
        outcome = check_name(name, entry["holder_name"] if entry else None, available)
        return schemas.NameCheckResult(
            result=outcome.result,
            actual_name=outcome.actual_name,
            account_last4=last4(account_number),  # type: ignore[arg-type]
        )

    def payees(self, customer_id: str) -> list[schemas.Payee]:
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT * FROM payees WHERE customer_id = ? AND removed_at IS NULL ORDER BY created_at",
                (customer_id,),
            ).fetchall()
            return [self._payee(conn, r) for r in rows]

    def _payee(self, conn: sqlite3.Connection, row: sqlite3.Row) -> schemas.Payee:
        count = conn.execute(
            "SELECT COUNT(*) FROM payments WHERE payee_id = ? AND status IN ('completed', 'held')", (row["id"],)
        ).fetchone()[0]
        created = parse_time(row["created_at"])
        is_new = count == 0 and self.clock.now() - created < timedelta(days=self.risk.new_payee_days)
        return schemas.Payee(
            id=row["id"],
            name=row["name"],
            nickname=row["nickname"],
            account_last4=last4(row["account_number"]),
            name_check=row["name_check"],
            created_at=created,
            payments_count=count,
            is_new=is_new,
        )

    def add_payee(self, conn: sqlite3.Connection, customer_id: str, body: schemas.NewPayee) -> schemas.Payee:
        exists = conn.execute(
            "SELECT 1 FROM payees WHERE customer_id = ? AND account_number = ? AND removed_at IS NULL",
            (customer_id, body.account_number),
        ).fetchone()
        if exists:
            raise ApiError("payee_exists", param="account_number")
        own = conn.execute(
            "SELECT 1 FROM accounts WHERE number = ? AND customer_id = ?", (body.account_number, customer_id)
        ).fetchone()
        if own:
            raise ApiError("same_account", param="account_number")
        outcome = self._name_check(conn, body.account_number, body.name)
        payee_id = new_id("payee")
        conn.execute(
            "INSERT INTO payees (id, customer_id, name, nickname, account_number, name_check, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                payee_id,
                customer_id,
                body.name,
                body.nickname,
                body.account_number,
                outcome.result,
                iso(self.clock.now()),
            ),
        )
        row = conn.execute("SELECT * FROM payees WHERE id = ?", (payee_id,)).fetchone()
        return self._payee(conn, row)

    def remove_payee(self, customer_id: str, payee_id: str) -> None:
        def operation(conn: sqlite3.Connection) -> None:
            changed = conn.execute(
                "UPDATE payees SET removed_at = ? WHERE id = ? AND customer_id = ? AND removed_at IS NULL",
                (iso(self.clock.now()), payee_id, customer_id),
            ).rowcount
            if not changed:
                raise ApiError("payee_not_found", param="payee_id")

        self.run(operation)

    # --- billers and bills -----------------------------------------------------------------------

    def billers(self) -> list[schemas.Biller]:
        with self.db.read() as conn:
            rows = conn.execute("SELECT * FROM billers ORDER BY rowid").fetchall()
        return [
            schemas.Biller(
                id=r["id"],
                category=r["category"],
                names={"en": r["name_en"], "zh-Hans": r["name_zh_hans"], "zh-Hant": r["name_zh_hant"]},
            )
            for r in rows
        ]

    def lookup_bill(self, conn: sqlite3.Connection, body: schemas.BillLookup) -> schemas.Bill:
        biller = conn.execute("SELECT * FROM billers WHERE id = ?", (body.biller_id,)).fetchone()
        if biller is None:
            raise ApiError("biller_not_found", param="biller_id")
        generated = generated_bill(biller["id"], body.customer_number, self.clock.now())
        if generated is None:
            raise ApiError("bill_not_found", param="customer_number")
        conn.execute(
            "INSERT OR IGNORE INTO bills (id, biller_id, customer_number, holder_name, amount, period, due_date)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                new_id("bill"),
                biller["id"],
                body.customer_number,
                generated.holder_name,
                generated.amount,
                generated.period,
                generated.due_date,
            ),
        )
        row = conn.execute(
            "SELECT * FROM bills WHERE biller_id = ? AND customer_number = ? AND period = ?",
            (biller["id"], body.customer_number, generated.period),
        ).fetchone()
        return self._bill(row)

    @staticmethod
    def _bill(row: sqlite3.Row) -> schemas.Bill:
        return schemas.Bill(
            id=row["id"],
            biller_id=row["biller_id"],
            customer_number=row["customer_number"],
            holder_name=row["holder_name"],
            amount_minor=row["amount"],
            period=row["period"],
            due_date=row["due_date"],
            paid=row["paid_payment_id"] is not None,
        )

    # --- payments --------------------------------------------------------------------------------

    def create_payment(self, conn: sqlite3.Connection, customer_id: str, body: schemas.NewPayment) -> schemas.Payment:
        self._release_due(conn)
        self._require_not_frozen(conn, customer_id)
        source = self._own_account(conn, customer_id, body.from_account_id)
        kind, destination, counterparty, payee_id, reported = self._destination(conn, customer_id, body)
        if destination == source["id"]:
            raise ApiError("same_account", param="payee_id")
        self._check_funds_and_limits(conn, customer_id, source, body.amount_minor)

        now = self.clock.now()
        decision = assess(self._facts(conn, customer_id, kind, destination, payee_id, reported, body, now), self.risk)
        payment_id = new_id("pay")
        status = "blocked" if decision.blocked else "requires_action"
        conn.execute(
            "INSERT INTO payments (id, customer_id, kind, from_account_id, to_account_id, payee_id, bill_id,"
            " request_id, counterparty, amount, memo, purpose, status, decision, reasons, requires, hold_minutes,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                payment_id,
                customer_id,
                kind,
                source["id"],
                destination,
                payee_id,
                body.bill_id,
                body.payment_request_id,
                counterparty,
                body.amount_minor,
                body.memo,
                body.purpose,
                status,
                decision.decision,
                json.dumps(decision.reasons),
                json.dumps(decision.requires),
                decision.hold_minutes,
                iso(now),
                iso(now),
            ),
        )
        if decision.blocked:
            raise ApiError(
                "payment_blocked", commit=True, reasons=list(decision.reasons), details={"payment_id": payment_id}
            )
        if "verification_code" in decision.requires:
            self._send_code(conn, payment_id)
        if not decision.requires:
            self._execute(conn, payment_id)
        return self._payment(conn, payment_id)

    def _destination(
        self, conn: sqlite3.Connection, customer_id: str, body: schemas.NewPayment
    ) -> tuple[str, str, str, str | None, bool]:
        """(kind, ledger account, counterparty name, payee id, reported for scams)."""
        if body.payee_id is not None:
            payee = conn.execute(
                "SELECT * FROM payees WHERE id = ? AND customer_id = ? AND removed_at IS NULL",
                (body.payee_id, customer_id),
            ).fetchone()
            if payee is None:
                raise ApiError("payee_not_found", param="payee_id")
            entry = conn.execute(
                "SELECT account_id, reported_scam FROM directory WHERE number = ?", (payee["account_number"],)
            ).fetchone()
            account = entry["account_id"] if entry else EXTERNAL_ACCOUNT
            return "transfer", account, payee["name"], payee["id"], bool(entry and entry["reported_scam"])
        if body.bill_id is not None:
            bill = conn.execute("SELECT * FROM bills WHERE id = ?", (body.bill_id,)).fetchone()
            if bill is None:
                raise ApiError("bill_not_found", param="bill_id")
            if bill["paid_payment_id"]:
                raise ApiError("bill_already_paid", param="bill_id")
            if bill["amount"] != body.amount_minor:
                raise ApiError("amount_mismatch", param="amount_minor")
            biller = conn.execute("SELECT * FROM billers WHERE id = ?", (bill["biller_id"],)).fetchone()
            return "bill", biller["account_id"], biller["name_en"], None, False
        request = conn.execute("SELECT * FROM payment_requests WHERE id = ?", (body.payment_request_id,)).fetchone()
        if request is None:
            raise ApiError("payment_request_not_found", param="payment_request_id")
        if request["status"] != "open":
            raise ApiError("payment_request_closed", param="payment_request_id")
        if request["amount"] is not None and request["amount"] != body.amount_minor:
            raise ApiError("amount_mismatch", param="amount_minor")
        name = conn.execute("SELECT name FROM customers WHERE id = ?", (request["customer_id"],)).fetchone()[0]
        return "request", request["to_account_id"], name, None, False

    def _check_funds_and_limits(
        self, conn: sqlite3.Connection, customer_id: str, source: sqlite3.Row, amount: int
    ) -> None:
        if amount > self.risk.per_payment_limit:
            raise ApiError(
                "limit_exceeded",
                param="amount_minor",
                reasons=["limit_exceeded"],
                details={"limit_minor": self.risk.per_payment_limit},
            )
        day_start = iso(self.clock.now() - timedelta(hours=24))
        spent = conn.execute(
            "SELECT COALESCE(SUM(amount), 0) FROM payments WHERE customer_id = ?"
            " AND status IN ('completed', 'held') AND completed_at >= ?",
            (customer_id, day_start),
        ).fetchone()[0]
        if spent + amount > self.risk.daily_limit:
            raise ApiError(
                "limit_exceeded",
                param="amount_minor",
                reasons=["limit_exceeded"],
                details={
                    "limit_minor": self.risk.daily_limit,
                    "remaining_minor": max(self.risk.daily_limit - spent, 0),
                },
            )
        if amount > ledger.balance(conn, source["id"]):
            raise ApiError("insufficient_funds", param="amount_minor", reasons=["insufficient_funds"])

    def _facts(
        self,
        conn: sqlite3.Connection,
        customer_id: str,
        kind: str,
        destination: str,
        payee_id: str | None,
        reported: bool,
        body: schemas.NewPayment,
        now: datetime,
    ) -> PaymentFacts:
        # Every other bank's account posts to the one clearing account: there, the payee tells them apart.
        same_destination = "to_account_id = ? AND (to_account_id != ? OR payee_id IS ?)"
        destination_args = (destination, EXTERNAL_ACCOUNT, payee_id)
        # The rules only ask whether these counts reach a threshold (and whether there were none),
        # so counting stops there instead of reading a customer's whole history on every payment.
        paid_before = conn.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM payments WHERE customer_id = ? AND {same_destination}"
            " AND status IN ('completed', 'held') LIMIT ?)",
            (customer_id, *destination_args, max(self.risk.min_payments, 1)),
        ).fetchone()[0]
        if payee_id is not None:
            created = conn.execute("SELECT created_at FROM payees WHERE id = ?", (payee_id,)).fetchone()[0]
            recent_payee = now - parse_time(created) < timedelta(days=self.risk.new_payee_days)
            is_new = paid_before == 0 and recent_payee
        else:
            is_new = paid_before == 0
        recent = conn.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM payments WHERE customer_id = ? AND created_at >= ?"
            " AND status IN ('completed', 'held', 'requires_action') LIMIT ?)",
            (
                customer_id,
                iso(now - timedelta(minutes=self.risk.rapid_repeat_minutes)),
                max(self.risk.rapid_repeat_count, 0),
            ),
        ).fetchone()[0]
        duplicate = (
            conn.execute(
                f"SELECT 1 FROM payments WHERE customer_id = ? AND {same_destination} AND amount = ?"
                " AND status IN ('completed', 'held') AND created_at >= ? LIMIT 1",
                (
                    customer_id,
                    *destination_args,
                    body.amount_minor,
                    iso(now - timedelta(minutes=self.risk.duplicate_minutes)),
                ),
            ).fetchone()
            is not None
        )
        local_hour = (now + timedelta(hours=self.risk.local_utc_offset_hours)).hour
        if body.amount_minor == MAGIC_UNUSUAL_TIME_AMOUNT:
            local_hour = 3
        return PaymentFacts(
            kind=kind,
            amount=body.amount_minor,
            payee_is_new=is_new,
            payments_to_payee=paid_before,
            payee_reported_scam=reported,
            recent_payments=recent,
            duplicate=duplicate,
            local_hour=local_hour,
            purpose=body.purpose,
        )

    def confirm_payment(
        self, conn: sqlite3.Connection, customer_id: str, payment_id: str, body: schemas.ConfirmPayment
    ) -> schemas.Payment:
        self._require_not_frozen(conn, customer_id)
        payment = self._own_payment(conn, customer_id, payment_id)
        if payment["status"] != "requires_action":
            raise ApiError("payment_not_actionable", param="payment_id")
        requires = set(json.loads(payment["requires"]))
        now = self.clock.now()
        if body.purpose is not None and "purpose" in requires:
            conn.execute("UPDATE payments SET purpose = ? WHERE id = ?", (body.purpose, payment_id))
            facts_body = schemas.NewPayment(
                from_account_id=payment["from_account_id"],
                amount_minor=payment["amount"],
                payee_id=payment["payee_id"],
                bill_id=payment["bill_id"],
                payment_request_id=payment["request_id"],
                purpose=body.purpose,
            )
            decision = assess(
                self._facts(
                    conn,
                    customer_id,
                    payment["kind"],
                    payment["to_account_id"],
                    payment["payee_id"],
                    False,
                    facts_body,
                    now,
                ),
                self.risk,
            )
            if decision.blocked:
                self._set_status(conn, payment_id, "blocked", decision)
                raise ApiError(
                    "payment_blocked", commit=True, reasons=list(decision.reasons), details={"payment_id": payment_id}
                )
            requires.discard("purpose")
        if "purpose" in requires:
            raise ApiError("purpose_required", param="purpose")
        if "acknowledge" in requires and not body.acknowledged:
            raise ApiError("acknowledgement_required", param="acknowledged")
        if "verification_code" in requires:
            self._check_code(conn, payment, body.verification_code, now)
        conn.execute(
            "UPDATE payments SET requires = '[]', acknowledged = ?, updated_at = ? WHERE id = ?",
            (int(body.acknowledged), iso(now), payment_id),
        )
        source = conn.execute("SELECT * FROM accounts WHERE id = ?", (payment["from_account_id"],)).fetchone()
        try:
            if payment["bill_id"] or payment["request_id"]:  # another payment may have paid it meanwhile
                target = schemas.NewPayment(
                    from_account_id=payment["from_account_id"],
                    amount_minor=payment["amount"],
                    bill_id=payment["bill_id"],
                    payment_request_id=payment["request_id"],
                )
                self._destination(conn, customer_id, target)
            self._check_funds_and_limits(conn, customer_id, source, payment["amount"])
        except ApiError as error:
            conn.execute("UPDATE payments SET status = 'failed', updated_at = ? WHERE id = ?", (iso(now), payment_id))
            error.commit = True
            raise
        self._execute(conn, payment_id)
        return self._payment(conn, payment_id)

    def _check_code(self, conn: sqlite3.Connection, payment: sqlite3.Row, code: str | None, now: datetime) -> None:
        if code is None:
            raise ApiError("verification_code_required", param="verification_code")
        if payment["code_expires_at"] is None or parse_time(payment["code_expires_at"]) <= now:
            raise ApiError("verification_code_expired", param="verification_code")
        if hmac.compare_digest(payment["code_hash"], hash_secret(payment["id"] + code)):
            return
        attempts = payment["code_attempts"] + 1
        if attempts >= self.risk.code_attempts:
            conn.execute(
                "UPDATE payments SET code_attempts = ?, status = 'cancelled', updated_at = ? WHERE id = ?",
                (attempts, iso(now), payment["id"]),
            )
            raise ApiError("verification_locked", param="verification_code", commit=True)
        conn.execute("UPDATE payments SET code_attempts = ? WHERE id = ?", (attempts, payment["id"]))
        raise ApiError(
            "verification_code_incorrect",
            param="verification_code",
            commit=True,
            details={"attempts_remaining": self.risk.code_attempts - attempts},
        )

    def resend_code(self, conn: sqlite3.Connection, customer_id: str, payment_id: str) -> schemas.Payment:
        payment = self._own_payment(conn, customer_id, payment_id)
        if payment["status"] != "requires_action" or "verification_code" not in json.loads(payment["requires"]):
            raise ApiError("payment_not_actionable", param="payment_id")
        self._send_code(conn, payment_id)
        return self._payment(conn, payment_id)

    def _send_code(self, conn: sqlite3.Connection, payment_id: str) -> None:
        code = f"{secrets.randbelow(10**6):06d}"
        expires = self.clock.now() + timedelta(minutes=self.risk.code_minutes)
        conn.execute(
            "UPDATE payments SET code_hash = ?, code_expires_at = ?, code_attempts = 0 WHERE id = ?",
            (hash_secret(payment_id + code), iso(expires), payment_id),
        )
        payment = conn.execute("SELECT * FROM payments WHERE id = ?", (payment_id,)).fetchone()
        customer = conn.execute("SELECT * FROM customers WHERE id = ?", (payment["customer_id"],)).fetchone()
        yuan = f"{payment['amount'] // 100:,}.{payment['amount'] % 100:02d}"
        self._notify(
            conn,
            customer["id"],
            "verification_code",
            customer["name"],
            customer["phone"],
            f"CalmPay code {code} to pay {yuan} yuan to {payment['counterparty']}. "
            "Bank staff will never ask you for this code.",
            payment_id,
        )

    def cancel_payment(self, conn: sqlite3.Connection, customer_id: str, payment_id: str) -> schemas.Payment:
        self._release_due(conn)
        payment = self._own_payment(conn, customer_id, payment_id)
        now = iso(self.clock.now())
        if payment["status"] == "requires_action":
            conn.execute("UPDATE payments SET status = 'cancelled', updated_at = ? WHERE id = ?", (now, payment_id))
        elif payment["status"] == "held":
            ledger.post(
                conn,
                at=now,
                payment_id=payment_id,
                description=f"Cancelled: {payment['counterparty']}",
                moves=[(SUSPENSE_ACCOUNT, -payment["amount"]), (payment["from_account_id"], payment["amount"])],
            )
            conn.execute("UPDATE payments SET status = 'cancelled', updated_at = ? WHERE id = ?", (now, payment_id))
            self._release_target(conn, payment)
        else:
            raise ApiError("payment_not_cancellable", param="payment_id")
        return self._payment(conn, payment_id)

    def payment(self, customer_id: str, payment_id: str) -> schemas.Payment:
        def operation(conn: sqlite3.Connection) -> schemas.Payment:
            self._release_due(conn)
            self._own_payment(conn, customer_id, payment_id)
            return self._payment(conn, payment_id)

        return self.run(operation)

    def payments(self, customer_id: str, status: str | None, limit: int) -> list[schemas.Payment]:
        def operation(conn: sqlite3.Connection) -> list[schemas.Payment]:
            self._release_due(conn)
            rows = conn.execute(
                "SELECT id FROM payments WHERE customer_id = ? AND (? IS NULL OR status = ?)"
                " ORDER BY created_at DESC LIMIT ?",
                (customer_id, status, status, limit),
            ).fetchall()
            return [self._payment(conn, r["id"]) for r in rows]

        return self.run(operation)

    def receipt(self, customer_id: str, payment_id: str) -> schemas.Receipt:
        def operation(conn: sqlite3.Connection) -> schemas.Receipt:
            self._release_due(conn)
            row = self._own_payment(conn, customer_id, payment_id)
            source = conn.execute("SELECT * FROM accounts WHERE id = ?", (row["from_account_id"],)).fetchone()
            to_last4 = None
            if row["payee_id"]:
                number = conn.execute("SELECT account_number FROM payees WHERE id = ?", (row["payee_id"],)).fetchone()
                to_last4 = last4(number[0])
            elif row["bill_id"]:
                number = conn.execute("SELECT customer_number FROM bills WHERE id = ?", (row["bill_id"],)).fetchone()
                to_last4 = last4(number[0])
            return schemas.Receipt(
                reference=row["id"].upper().replace("PAY_", "CP-"),
                payment=self._payment(conn, payment_id),
                from_account_name=source["name"],
                from_account_last4=last4(source["number"]),
                to_name=row["counterparty"],
                to_last4=to_last4,
                issued_at=self.clock.now(),
            )

        return self.run(operation)

    def _own_payment(self, conn: sqlite3.Connection, customer_id: str, payment_id: str) -> sqlite3.Row:
        row = conn.execute(
            "SELECT * FROM payments WHERE id = ? AND customer_id = ?", (payment_id, customer_id)
        ).fetchone()
        if row is None:
            raise ApiError("payment_not_found", param="payment_id")
        return row

    def _require_not_frozen(self, conn: sqlite3.Connection, customer_id: str) -> None:
        if conn.execute("SELECT frozen_at FROM customers WHERE id = ?", (customer_id,)).fetchone()[0]:
            raise ApiError("account_frozen", details={"anomaly_id": self._open_anomaly(conn, customer_id)})

    def _set_status(self, conn: sqlite3.Connection, payment_id: str, status: str, decision: RiskDecision) -> None:
        conn.execute(
            "UPDATE payments SET status = ?, decision = ?, reasons = ?, requires = '[]', updated_at = ? WHERE id = ?",
            (status, decision.decision, json.dumps(decision.reasons), iso(self.clock.now()), payment_id),
        )

    def _execute(self, conn: sqlite3.Connection, payment_id: str) -> None:
        """Move the money: straight to the payee, or into suspense while the payment is held."""
        payment = conn.execute("SELECT * FROM payments WHERE id = ?", (payment_id,)).fetchone()
        now = self.clock.now()
        amount = payment["amount"]
        held = payment["hold_minutes"] > 0
        target = SUSPENSE_ACCOUNT if held else payment["to_account_id"]
        try:
            ledger.post(
                conn,
                at=iso(now),
                payment_id=payment_id,
                description=self._description(payment, held),
                moves=[(payment["from_account_id"], -amount), (target, amount)],
            )
        except ledger.Overdraft as overdraft:
            raise ApiError("insufficient_funds", reasons=["insufficient_funds"]) from overdraft
        if held:
            hold_until = now + timedelta(minutes=payment["hold_minutes"])
            conn.execute(
                "UPDATE payments SET status = 'held', hold_until = ?, completed_at = ?, updated_at = ? WHERE id = ?",
                (iso(hold_until), iso(now), iso(now), payment_id),
            )
            self._tell_trusted_contact(conn, payment, hold_until)
        else:
            conn.execute(
                "UPDATE payments SET status = 'completed', completed_at = ?, updated_at = ? WHERE id = ?",
                (iso(now), iso(now), payment_id),
            )
        self._claim_target(conn, payment)

    @staticmethod
    def _description(payment: sqlite3.Row, held: bool) -> str:
        prefix = {"transfer": "To", "bill": "Bill", "request": "QR payment to"}[payment["kind"]]
        return f"{prefix} {payment['counterparty']}" + (" (held)" if held else "")

    def _claim_target(self, conn: sqlite3.Connection, payment: sqlite3.Row) -> None:
        if payment["bill_id"]:
            conn.execute("UPDATE bills SET paid_payment_id = ? WHERE id = ?", (payment["id"], payment["bill_id"]))
        if payment["request_id"]:
            conn.execute(
                "UPDATE payment_requests SET status = 'paid', paid_payment_id = ? WHERE id = ?",
                (payment["id"], payment["request_id"]),
            )

    def _release_target(self, conn: sqlite3.Connection, payment: sqlite3.Row) -> None:
        if payment["bill_id"]:
            conn.execute("UPDATE bills SET paid_payment_id = NULL WHERE id = ?", (payment["bill_id"],))
        if payment["request_id"]:
            conn.execute(
                "UPDATE payment_requests SET status = 'open', paid_payment_id = NULL WHERE id = ?",
                (payment["request_id"],),
            )

    def _tell_trusted_contact(self, conn: sqlite3.Connection, payment: sqlite3.Row, until: datetime) -> None:
        customer = conn.execute("SELECT * FROM customers WHERE id = ?", (payment["customer_id"],)).fetchone()
        yuan = f"{payment['amount'] // 100:,}.{payment['amount'] % 100:02d}"
        local = until + timedelta(hours=self.risk.local_utc_offset_hours)
        if customer["trusted_contact_name"]:
            self._notify(
                conn,
                customer["id"],
                "held_payment_contact",
                customer["trusted_contact_name"],
                customer["trusted_contact_phone"],
                f"CalmPay: {customer['name']} is sending {yuan} yuan to {payment['counterparty']}. "
                f"We are holding it until {local:%H:%M}. If this seems wrong, please call them.",
                payment["id"],
            )
        self._notify(
            conn,
            customer["id"],
            "held_payment",
            customer["name"],
            customer["phone"],
            f"CalmPay: your {yuan} yuan to {payment['counterparty']} will arrive at {local:%H:%M}. "
            "You can cancel it until then.",
            payment["id"],
        )

    def _release_due(self, conn: sqlite3.Connection) -> None:
        now = iso(self.clock.now())
        due = conn.execute("SELECT * FROM payments WHERE status = 'held' AND hold_until <= ?", (now,)).fetchall()
        for payment in due:
            ledger.post(
                conn,
                at=now,
                payment_id=payment["id"],
                description=f"Arrived: {payment['counterparty']}",
                moves=[(SUSPENSE_ACCOUNT, -payment["amount"]), (payment["to_account_id"], payment["amount"])],
            )
            conn.execute("UPDATE payments SET status = 'completed', updated_at = ? WHERE id = ?", (now, payment["id"]))

    def _payment(self, conn: sqlite3.Connection, payment_id: str) -> schemas.Payment:
        row = conn.execute("SELECT * FROM payments WHERE id = ?", (payment_id,)).fetchone()
        status = row["status"]
        code_expiry = row["code_expires_at"] if status == "requires_action" else None
        return schemas.Payment(
            id=row["id"],
            kind=row["kind"],
            status=status,
            amount_minor=row["amount"],
            currency="CNY",
            from_account_id=row["from_account_id"],
            counterparty=row["counterparty"],
            memo=row["memo"],
            purpose=row["purpose"],
            risk=schemas.Risk(
                decision=row["decision"],
                reasons=json.loads(row["reasons"]),
                requires=json.loads(row["requires"]),
                hold_minutes=row["hold_minutes"],
            ),
            created_at=parse_time(row["created_at"]),
            completed_at=parse_time(row["completed_at"]) if row["completed_at"] else None,
            hold_until=parse_time(row["hold_until"]) if row["hold_until"] else None,
            cancellable=status in ("requires_action", "held"),
            verification_expires_at=parse_time(code_expiry) if code_expiry else None,
        )

    def phone_messages(self, customer_id: str) -> list[schemas.PhoneMessage]:
        """The demo's simulated phone: messages sent to this customer's own phone."""
        with self.db.read() as conn:
            phone = conn.execute("SELECT phone FROM customers WHERE id = ?", (customer_id,)).fetchone()[0]
            rows = conn.execute(
                "SELECT at, text FROM notifications WHERE recipient_phone = ? ORDER BY id DESC LIMIT 20", (phone,)
            ).fetchall()
        return [schemas.PhoneMessage(at=parse_time(r["at"]), text=r["text"]) for r in rows]

    def _notify(
        self,
        conn: sqlite3.Connection,
        customer_id: str,
        kind: str,
        name: str,
        phone: str,
        text: str,
        payment_id: str | None = None,
    ) -> None:
        conn.execute(
            "INSERT INTO notifications (customer_id, kind, recipient_name, recipient_phone, text, payment_id, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (customer_id, kind, name, phone, text, payment_id, iso(self.clock.now())),
        )

    # --- usage, preferences, drafts, payment requests ------------------------------------------

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
        text = json.dumps(body.data)
        if len(text.encode()) > 4096:
            raise ApiError("validation_failed", "Preferences are limited to 4 KiB.", param="data")
        with self.db.write() as conn:
            conn.execute("UPDATE customers SET preferences = ? WHERE id = ?", (text, customer_id))
        return body

    def drafts(self, customer_id: str) -> list[schemas.Draft]:
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT * FROM drafts WHERE customer_id = ? ORDER BY updated_at DESC", (customer_id,)
            ).fetchall()
        return [
            schemas.Draft(flow=r["flow"], data=json.loads(r["data"]), updated_at=parse_time(r["updated_at"]))
            for r in rows
        ]

    def save_draft(self, customer_id: str, flow: str, data: dict[str, Any]) -> schemas.Draft:
        text = json.dumps(data)
        if len(text.encode()) > 8192:
            raise ApiError("validation_failed", "A draft is limited to 8 KiB.", param="data")
        now = self.clock.now()
        with self.db.write() as conn:
            conn.execute(
                "INSERT INTO drafts (customer_id, flow, data, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (customer_id, flow) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                (customer_id, flow, text, iso(now)),
            )
        return schemas.Draft(flow=flow, data=data, updated_at=now)

    def delete_draft(self, customer_id: str, flow: str) -> None:
        with self.db.write() as conn:
            conn.execute("DELETE FROM drafts WHERE customer_id = ? AND flow = ?", (customer_id, flow))

    def create_payment_request(
        self, conn: sqlite3.Connection, customer_id: str, body: schemas.NewPaymentRequest
    ) -> schemas.PaymentRequest:
        self._own_account(conn, customer_id, body.to_account_id)
        request_id = new_id("req")
        conn.execute(
            "INSERT INTO payment_requests (id, customer_id, to_account_id, amount, note, status, created_at)"
            " VALUES (?, ?, ?, ?, ?, 'open', ?)",
            (request_id, customer_id, body.to_account_id, body.amount_minor, body.note, iso(self.clock.now())),
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
        return schemas.PaymentRequest(
            id=row["id"],
            payee_name=name,
            amount_minor=row["amount"],
            note=row["note"],
            status=row["status"],
            created_at=parse_time(row["created_at"]),
            payload=REQUEST_PAYLOAD_PREFIX + row["id"],
        )

    # --- staff and test controls ---------------------------------------------------------------

    def unfreeze(self, customer_id: str) -> None:
        def operation(conn: sqlite3.Connection) -> None:
            changed = conn.execute(
                "UPDATE customers SET frozen_at = NULL, frozen_reason = NULL WHERE id = ?", (customer_id,)
            ).rowcount
            if not changed:
                raise ApiError("not_found", param="customer_id")
            conn.execute("UPDATE anomalies SET status = 'resolved' WHERE customer_id = ?", (customer_id,))
            conn.execute(
                "UPDATE cards SET locked_at = NULL, failed_attempts = 0, attempts_while_locked = 0"
                " WHERE customer_id = ?",
                (customer_id,),
            )

        self.run(operation)

    def unlock_card(self, card_number: str) -> None:
        def operation(conn: sqlite3.Connection) -> None:
            changed = conn.execute(
                "UPDATE cards SET locked_at = NULL, failed_attempts = 0, attempts_while_locked = 0 WHERE number = ?",
                (card_number,),
            ).rowcount
            if not changed:
                raise ApiError("card_unknown", param="card_number")

        self.run(operation)

    def ledger_summary(self) -> schemas.LedgerSummary:
        with self.db.read() as conn:
            total = conn.execute("SELECT COALESCE(SUM(balance), 0) FROM accounts").fetchone()[0]
            customer_total = conn.execute(
                "SELECT COALESCE(SUM(balance), 0) FROM accounts WHERE kind = 'customer'"
            ).fetchone()[0]
            negative = conn.execute("SELECT COUNT(*) FROM accounts WHERE balance < 0 AND kind != 'equity'").fetchone()[
                0
            ]
            unbalanced = conn.execute(
                "SELECT COUNT(*) FROM (SELECT journal_id FROM postings GROUP BY journal_id HAVING SUM(amount) != 0)"
            ).fetchone()[0]
            journals = conn.execute("SELECT COUNT(*) FROM journal").fetchone()[0]
        return schemas.LedgerSummary(
            total_minor=total,
            customer_total_minor=customer_total,
            negative_balances=negative,
            unbalanced_journals=unbalanced,
            journals=journals,
        )

    def notifications(self, customer_id: str | None) -> list[schemas.Notification]:
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT * FROM notifications WHERE (? IS NULL OR customer_id = ?) ORDER BY id DESC LIMIT 100",
                (customer_id, customer_id),
            ).fetchall()
        return [
            schemas.Notification(
                kind=r["kind"],
                recipient_name=r["recipient_name"],
                recipient_phone_last4=last4(r["recipient_phone"]),
                text=r["text"],
                payment_id=r["payment_id"],
                at=parse_time(r["at"]),
            )
            for r in rows
        ]

    def anomalies(self) -> list[schemas.Anomaly]:
        with self.db.read() as conn:
            rows = conn.execute("SELECT * FROM anomalies ORDER BY at DESC LIMIT 100").fetchall()
        return [
            schemas.Anomaly(
                id=r["id"],
                customer_id=r["customer_id"],
                kind=r["kind"],
                detail=r["detail"],
                at=parse_time(r["at"]),
                status=r["status"],
            )
            for r in rows
        ]
