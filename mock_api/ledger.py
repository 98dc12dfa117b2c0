"""Double-entry postings in integer minor units.

Every movement of money is one journal entry whose postings sum to zero, and each
account's balance changes only through a posting. A posting that would take a
non-equity account below zero is refused before anything is written.
"""

from __future__ import annotations

import sqlite3

# The bank's own accounts: where held payments wait, other banks' money, and what the bank issued.
SUSPENSE_ACCOUNT = "acc_suspense_held"
EXTERNAL_ACCOUNT = "acc_external_clearing"
EQUITY_ACCOUNT = "acc_equity"


class Overdraft(Exception):
    """A posting would take this account below zero."""

    def __init__(self, account_id: str) -> None:
        super().__init__(account_id)
        self.account_id = account_id


def post(
    conn: sqlite3.Connection,
    *,
    at: str,
    description: str,
    moves: list[tuple[str, int]],
    payment_id: str | None = None,
) -> int:
    """Write one balanced journal entry; ``moves`` are (account id, signed amount)."""
    if sum(amount for _, amount in moves) != 0:
        raise ValueError("a journal entry must balance")
    projected: dict[str, int] = {}
    for account_id, amount in moves:
        row = conn.execute("SELECT balance, kind FROM accounts WHERE id = ?", (account_id,)).fetchone()
        if row is None:
            raise KeyError(account_id)
        projected[account_id] = projected.get(account_id, row["balance"]) + amount
        if projected[account_id] < 0 and row["kind"] != "equity":
            raise Overdraft(account_id)
    journal_id = conn.execute(
        "INSERT INTO journal (payment_id, at, description) VALUES (?, ?, ?)",
        (payment_id, at, description),
    ).lastrowid
    assert journal_id is not None
    for account_id, amount in moves:
        after = conn.execute(
            "UPDATE accounts SET balance = balance + ? WHERE id = ? RETURNING balance",
            (amount, account_id),
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO postings (journal_id, account_id, amount, balance_after) VALUES (?, ?, ?, ?)",
            (journal_id, account_id, amount, after),
        )
    return journal_id


def balance(conn: sqlite3.Connection, account_id: str) -> int:
    return int(conn.execute("SELECT balance FROM accounts WHERE id = ?", (account_id,)).fetchone()[0])
