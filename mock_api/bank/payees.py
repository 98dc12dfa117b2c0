"""Saved payees and the name check."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from mock_api import schemas
from mock_api.bank.core import BankCore
from mock_api.errors import ApiError
from mock_api.names import check_name
from mock_api.seed import names_of
from mock_api.values import iso, last4, new_id, parse_time

# Magic account numbers whose bank cannot check names.
NAME_CHECK_UNAVAILABLE_PREFIX = "9999"


class Payees(BankCore):
    """Saved payees and the account-name check."""

    def name_check(self, account_number: str, name: str) -> schemas.NameCheckResult:
        with self.db.read() as conn:
            return self._name_check(conn, account_number, name)

    def _name_check(self, conn: sqlite3.Connection, account_number: str, name: str) -> schemas.NameCheckResult:
        entry = conn.execute("SELECT * FROM directory WHERE number = ?", (account_number,)).fetchone()
        available = not account_number.startswith(NAME_CHECK_UNAVAILABLE_PREFIX) and (
            entry is None or bool(entry["name_check_available"])
        )
        holder = entry["holder_name"] if entry else None
        outcome = check_name(name, holder, available, names_of(holder).values())
        return schemas.NameCheckResult(
            result=outcome.result,
            actual_name=outcome.actual_name,
            actual_names=names_of(outcome.actual_name),
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
        count, arrived = conn.execute(
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE status = 'completed') FROM payments"
            " WHERE payee_id = ? AND status IN ('completed', 'held')",
            (row["id"],),
        ).fetchone()
        created = parse_time(row["created_at"])
        # New until a payment to them has arrived: one still held does not count (as in the risk checks).
        is_new = arrived == 0 and self.clock.now() - created < timedelta(days=self.risk.new_payee_days)
        return schemas.Payee(
            id=row["id"],
            name=row["name"],
            names=names_of(row["name"]),
            nickname=row["nickname"],
            nickname_names=names_of(row["nickname"]),
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
