"""The bank's shared core: its state, the transaction runner, and helpers several resources use.

Each public method of the bank runs in one database transaction. A method raises :class:`ApiError`
to refuse; an error marked ``commit=True`` (a wrong PIN, a blocked payment) keeps the writes made
before it, so the failure itself is on record.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TypeVar

from mock_api import ledger
from mock_api.config import Clock, RiskConfig
from mock_api.db import Database
from mock_api.errors import ApiError
from mock_api.ledger import SUSPENSE_ACCOUNT
from mock_api.values import iso

T = TypeVar("T")


def in_savepoint(conn: sqlite3.Connection, operation: Callable[[sqlite3.Connection], T]) -> T:
    """Run ``operation`` inside the open transaction; a refusal undoes its writes unless it commits."""
    conn.execute("SAVEPOINT operation")
    try:
        result = operation(conn)
    except ApiError as error:
        if not error.commit:
            conn.execute("ROLLBACK TO operation")
        conn.execute("RELEASE operation")
        raise
    conn.execute("RELEASE operation")
    return result


class BankCore:
    """What every resource shares: the database, the risk rules, the clock, and a few helpers."""

    def __init__(self, db: Database, risk: RiskConfig, clock: Clock) -> None:
        self.db = db
        self.risk = risk
        self.clock = clock

    def run(self, operation: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``operation`` in one write transaction; keep writes for committing errors."""
        refusal: ApiError | None = None
        with self.db.write() as conn:
            try:
                result = in_savepoint(conn, operation)
            except ApiError as error:
                refusal = error  # raised after the commit, which keeps what a committing refusal wrote
        if refusal is not None:
            raise refusal
        return result

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

    def _open_anomaly(self, conn: sqlite3.Connection, customer_id: str) -> str | None:
        row = conn.execute(
            "SELECT id FROM anomalies WHERE customer_id = ? AND status = 'open' ORDER BY at DESC LIMIT 1",
            (customer_id,),
        ).fetchone()
        return row["id"] if row else None

    def _own_account(self, conn: sqlite3.Connection, customer_id: str, account_id: str) -> sqlite3.Row:
        row = conn.execute(
            "SELECT * FROM accounts WHERE id = ? AND customer_id = ? AND kind = 'customer'",
            (account_id, customer_id),
        ).fetchone()
        if row is None:
            raise ApiError("account_not_found", param="account_id")
        return row

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
