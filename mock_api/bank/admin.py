"""Staff and test controls: unfreeze, unlock, ledger summary, notifications, anomalies."""

from __future__ import annotations

import sqlite3

from mock_api import schemas
from mock_api.bank.core import BankCore
from mock_api.errors import ApiError
from mock_api.values import iso, last4, new_id, parse_time


class Admin(BankCore):
    """Staff and test controls."""

    def unfreeze(self, customer_id: str) -> None:
        self.run(lambda conn: self._unfreeze(conn, customer_id))

    def _unfreeze(self, conn: sqlite3.Connection, customer_id: str) -> None:
        """The account works again, and its cards are unlocked."""
        changed = conn.execute(
            "UPDATE customers SET frozen_at = NULL, frozen_reason = NULL WHERE id = ?", (customer_id,)
        ).rowcount
        if not changed:
            raise ApiError("not_found", param="customer_id")
        conn.execute("UPDATE anomalies SET status = 'resolved' WHERE customer_id = ?", (customer_id,))
        conn.execute(
            "UPDATE cards SET locked_at = NULL, failed_attempts = 0, attempts_while_locked = 0 WHERE customer_id = ?",
            (customer_id,),
        )

    def freeze(self, customer_id: str) -> None:
        """Staff pause an account: its sessions stop working at once (see Sessions.authenticate)."""

        def operation(conn: sqlite3.Connection) -> None:
            now = iso(self.clock.now())
            changed = conn.execute(
                "UPDATE customers SET frozen_at = ?, frozen_reason = 'staff' WHERE id = ? AND frozen_at IS NULL",
                (now, customer_id),
            ).rowcount
            if changed:
                conn.execute(
                    "INSERT INTO anomalies (id, customer_id, kind, detail, at) VALUES (?, ?, 'staff_freeze', ?, ?)",
                    (new_id("anom"), customer_id, "paused by staff", now),
                )
            elif conn.execute("SELECT 1 FROM customers WHERE id = ?", (customer_id,)).fetchone() is None:
                raise ApiError("not_found", param="customer_id")

        self.run(operation)

    def unlock_card(self, card_number: str) -> None:
        def operation(conn: sqlite3.Connection) -> None:
            changed = conn.execute(
                "UPDATE cards SET locked_at = NULL, failed_attempts = 0, attempts_while_locked = 0 WHERE card_key = ?",
                (self.db.card_key(card_number),),
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
