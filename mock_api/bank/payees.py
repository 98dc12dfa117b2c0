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
# The most payees a customer may keep saved: far more than anyone pays, few enough that the list
# stays quick to send and to read aloud.
MAX_PAYEES = 1_000
# Saved payees with the number of payments sent to each (completed or held) and of those that have
# arrived (completed), in one query: the list must not cost a query per payee (indexes
# payees_by_customer and payments_by_payee).
PAYEES_WITH_COUNTS = (
    "SELECT p.*, COUNT(m.id) AS payments_count,"
    " COUNT(m.id) FILTER (WHERE m.status = 'completed') AS arrived_count FROM payees p"
    " LEFT JOIN payments m ON m.payee_id = p.id AND m.status IN ('completed', 'held')"
    " WHERE {where} GROUP BY p.id ORDER BY p.created_at, p.id"
)


class Payees(BankCore):
    """Saved payees and the account-name check."""

    def name_check(self, customer_id: str, account_number: str, name: str) -> schemas.NameCheckResult:
        """Check the name against the account, and keep the check: a payee is saved only with it."""

        def operation(conn: sqlite3.Connection) -> schemas.NameCheckResult:
            outcome = self._name_check(conn, account_number, name, new_id("namecheck"))
            conn.execute(
                "INSERT INTO name_checks (id, customer_id, account_number, name, result, actual_name, checked_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    outcome.name_check_id,
                    customer_id,
                    account_number,
                    name,
                    outcome.result,
                    outcome.actual_name,
                    iso(self.clock.now()),
                ),
            )
            return outcome

        return self.run(operation)

    def _name_check(
        self, conn: sqlite3.Connection, account_number: str, name: str, check_id: str
    ) -> schemas.NameCheckResult:
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
            name_check_id=check_id,
        )

    def payees(self, customer_id: str) -> list[schemas.Payee]:
        with self.db.read() as conn:
            rows = conn.execute(
                PAYEES_WITH_COUNTS.format(where="p.customer_id = ? AND p.removed_at IS NULL"), (customer_id,)
            ).fetchall()
        return [self._payee(r) for r in rows]

    def _payee(self, row: sqlite3.Row) -> schemas.Payee:
        """A payee from a row of PAYEES_WITH_COUNTS."""
        count, arrived = row["payments_count"], row["arrived_count"]
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
        """Save a payee under the name check it follows: the outcome recorded is the bank's own."""
        exists = conn.execute(
            "SELECT 1 FROM payees WHERE customer_id = ? AND account_number = ? AND removed_at IS NULL",
            (customer_id, body.account_number),
        ).fetchone()
        if exists:
            raise ApiError("payee_exists", param="account_number")
        saved = conn.execute(
            "SELECT COUNT(*) FROM payees WHERE customer_id = ? AND removed_at IS NULL", (customer_id,)
        ).fetchone()[0]
        if saved >= MAX_PAYEES:
            raise ApiError("payee_limit_reached", details={"limit": MAX_PAYEES})
        own = conn.execute(
            "SELECT 1 FROM accounts WHERE number = ? AND customer_id = ?", (body.account_number, customer_id)
        ).fetchone()
        if own:
            raise ApiError("same_account", param="account_number")
        result = self._name_check_for(conn, customer_id, body)
        payee_id = new_id("payee")
        conn.execute(
            "INSERT INTO payees (id, customer_id, name, nickname, account_number, name_check, name_check_id,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                payee_id,
                customer_id,
                body.name,
                body.nickname,
                body.account_number,
                result,
                body.name_check_id,
                iso(self.clock.now()),
            ),
        )
        row = conn.execute(PAYEES_WITH_COUNTS.format(where="p.id = ?"), (payee_id,)).fetchone()
        return self._payee(row)

    def _name_check_for(self, conn: sqlite3.Connection, customer_id: str, body: schemas.NewPayee) -> str:
        """The result of the check this save follows, if that check is this customer's, fresh, and
        about these details: the account number checked, and the name checked or (on a close match)
        the holder's name the bank told. Anything else was never checked, so it is refused."""
        check = conn.execute(
            "SELECT * FROM name_checks WHERE id = ? AND customer_id = ?", (body.name_check_id, customer_id)
        ).fetchone()
        if check is None:  # unknown, or another customer's: the same answer, so ids cannot be probed
            raise ApiError("name_check_not_found", param="name_check_id")
        if check["account_number"] != body.account_number:
            raise ApiError("name_check_mismatch", param="account_number")
        told = check["actual_name"] if check["result"] == "close_match" else None
        if body.name not in (check["name"], told):
            raise ApiError("name_check_mismatch", param="name")
        if self.clock.now() - parse_time(check["checked_at"]) > timedelta(minutes=self.risk.name_check_minutes):
            raise ApiError("name_check_expired", param="name_check_id")
        return str(check["result"])

    def remove_payee(self, customer_id: str, payee_id: str) -> None:
        def operation(conn: sqlite3.Connection) -> None:
            changed = conn.execute(
                "UPDATE payees SET removed_at = ? WHERE id = ? AND customer_id = ? AND removed_at IS NULL",
                (iso(self.clock.now()), payee_id, customer_id),
            ).rowcount
            if not changed:
                raise ApiError("payee_not_found", param="payee_id")

        self.run(operation)
