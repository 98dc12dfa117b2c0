"""Billers and bill look-up."""

from __future__ import annotations

import sqlite3

from mock_api import schemas
from mock_api.bank.core import BankCore
from mock_api.errors import ApiError
from mock_api.seed import generated_bill, holder_names
from mock_api.values import new_id


class Bills(BankCore):
    """Billers and this month's bills."""

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

    def due_bills(self, conn: sqlite3.Connection, customer_id: str) -> list[schemas.Bill]:
        """This month's unpaid bills of the accounts the customer's bills come to (oldest biller first)."""
        linked = conn.execute(
            "SELECT a.biller_id, a.customer_number FROM bill_accounts a JOIN billers b ON b.id = a.biller_id"
            " WHERE a.customer_id = ? ORDER BY b.rowid, a.customer_number",
            (customer_id,),
        ).fetchall()
        bills = [self._this_month(conn, row["biller_id"], row["customer_number"]) for row in linked]
        return [bill for bill in bills if bill is not None and not bill.paid]

    def lookup_bill(self, conn: sqlite3.Connection, body: schemas.BillLookup) -> schemas.Bill:
        biller = conn.execute("SELECT * FROM billers WHERE id = ?", (body.biller_id,)).fetchone()
        if biller is None:
            raise ApiError("biller_not_found", param="biller_id")
        bill = self._this_month(conn, biller["id"], body.customer_number)
        if bill is None:
            raise ApiError("bill_not_found", param="customer_number")
        return bill

    def _this_month(self, conn: sqlite3.Connection, biller_id: str, customer_number: str) -> schemas.Bill | None:
        generated = generated_bill(biller_id, customer_number, self.clock.now())
        if generated is None:
            return None
        conn.execute(
            "INSERT OR IGNORE INTO bills (id, biller_id, customer_number, holder_name, amount, period, due_date)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                new_id("bill"),
                biller_id,
                customer_number,
                generated.holder_name,
                generated.amount,
                generated.period,
                generated.due_date,
            ),
        )
        row = conn.execute(
            "SELECT * FROM bills WHERE biller_id = ? AND customer_number = ? AND period = ?",
            (biller_id, customer_number, generated.period),
        ).fetchone()
        return self._bill(row)

    @staticmethod
    def _bill(row: sqlite3.Row) -> schemas.Bill:
        return schemas.Bill(
            id=row["id"],
            biller_id=row["biller_id"],
            customer_number=row["customer_number"],
            holder_name=row["holder_name"],
            holder_names=holder_names(row["holder_name"]),
            amount_minor=row["amount"],
            period=row["period"],
            due_date=row["due_date"],
            paid=row["paid_payment_id"] is not None,
        )
