"""Handoffs: "continue on your phone" (or with family). A kiosk hands an unfinished flow (a draft) on as
a single-use, expiring link; the customer's own signed-in phone claims it and gets the draft.

The link carries a random token and nothing else: no account, no amount, no name. The bank keeps only
the token's hash (as for session tokens), and a new handoff of a draft revokes the ones before it that
were not claimed, so a retried request leaves one working link.
"""

from __future__ import annotations

import secrets
import sqlite3
from datetime import timedelta

from mock_api import schemas
from mock_api.bank.personal import Personal
from mock_api.errors import ApiError
from mock_api.values import hash_secret, iso, parse_time

HANDOFF_LINK_PREFIX = "https://calmpay.example/continue/"


class Handoffs(Personal):
    """Handing a draft on, and claiming it on the customer's phone."""

    def create_handoff(self, conn: sqlite3.Connection, customer_id: str, flow: str) -> schemas.Handoff:
        self._live_draft(conn, customer_id, flow)  # draft_not_found if there is none (or it expired)
        now = self.clock.now()
        expires = now + timedelta(minutes=self.risk.handoff_minutes)
        # Unclaimed links of this draft stop working; old rows go once past any use for an answer.
        conn.execute(
            "DELETE FROM handoffs WHERE customer_id = ? AND flow = ? AND claimed_at IS NULL", (customer_id, flow)
        )
        conn.execute(
            "DELETE FROM handoffs WHERE customer_id = ? AND expires_at < ?",
            (customer_id, iso(now - timedelta(hours=self.risk.draft_hours))),
        )
        token = secrets.token_urlsafe(32)
        conn.execute(
            "INSERT INTO handoffs (token_hash, customer_id, flow, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            (hash_secret(token), customer_id, flow, iso(now), iso(expires)),
        )
        return schemas.Handoff(flow=flow, token=token, link=HANDOFF_LINK_PREFIX + token, expires_at=expires)

    def claim_handoff(self, conn: sqlite3.Connection, customer_id: str, token: str) -> schemas.Draft:
        """The draft a handoff refers to, once. Another customer's handoff is as unknown as a made-up one."""
        row = conn.execute("SELECT * FROM handoffs WHERE token_hash = ?", (hash_secret(token),)).fetchone()
        if row is None or row["customer_id"] != customer_id:
            raise ApiError("handoff_not_found", param="token")
        if row["claimed_at"] is not None:
            raise ApiError("handoff_used", param="token")
        now = self.clock.now()
        if now >= parse_time(row["expires_at"]):
            raise ApiError("handoff_expired", param="token")
        draft = self._live_draft(conn, customer_id, row["flow"])  # not used up if the draft is gone
        conn.execute("UPDATE handoffs SET claimed_at = ? WHERE token_hash = ?", (iso(now), row["token_hash"]))
        return draft
