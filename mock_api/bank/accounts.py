"""Accounts and their history."""

from __future__ import annotations

import sqlite3

from mock_api import schemas
from mock_api.bank.core import BankCore
from mock_api.ledger import SUSPENSE_ACCOUNT
from mock_api.seed import names_of
from mock_api.values import last4, parse_time


class Accounts(BankCore):
    """A customer's accounts, balances and transaction history."""

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
                    names=names_of(r["name"]),
                    number_last4=last4(r["number"]),
                    currency=r["currency"],
                    balance_minor=r["balance"],
                    held_minor=r["held"],
                )
                for r in rows
            ]

        return self.run(operation)

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
            counterparty_names=names_of(counterparty),
            biller_id=row["biller_id"],
            payment_id=row["payment_id"],
        )
