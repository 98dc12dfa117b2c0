"""Human help: a kiosk's help requests, the branch staff who answer them, and what staff may do for a
customer standing with them (unfreeze the account, cancel a held payment).

A help request says where the customer is and why (screen, step, reason, how long they had waited),
never an amount, a name or a number. It reaches a customer's account only inside the bank: through
the session of whoever is signed in at that kiosk, or the card the kiosk has just refused.

Staff sign in with their staff number and PIN (kept as a salted hash, like a card's) and get a staff
token, which only the /v1/staff routes take; a customer's token is not one. An action on a customer's
account needs the PIN again, typed with the customer there, and goes to ``staff_actions`` and the log.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import sqlite3
import statistics
from datetime import datetime, timedelta

from mock_api import schemas
from mock_api.bank.admin import Admin
from mock_api.bank.payments import Payments
from mock_api.errors import ApiError
from mock_api.seed import names_of
from mock_api.values import hash_pin, hash_secret, iso, new_id, parse_time

log = logging.getLogger(__name__)

OPEN = ("waiting", "coming")
# The staff's view of help requests: each with its kiosk's label.
STAFF_VIEW = "SELECT h.*, k.label AS kiosk_label FROM help_requests h LEFT JOIN kiosks k ON k.id = h.kiosk_id"


class HelpDesk(Payments, Admin):
    """Help requests from kiosks, and the staff console's side of them."""

    # --- the kiosk's side ---------------------------------------------------------------------

    def raise_help(
        self, conn: sqlite3.Connection, kiosk_id: str, customer_id: str | None, body: schemas.NewHelpRequest
    ) -> schemas.HelpRequest:
        """A new request, or the kiosk's open one (one customer at a kiosk needs one person to come):
        a later reason does not start the queue again, so the customer keeps their place."""
        now = self.clock.now()
        if customer_id is None:
            customer_id = self._refused_customer(conn, kiosk_id, now)
        row = conn.execute(
            "SELECT id FROM help_requests WHERE kiosk_id = ? AND status IN ('waiting', 'coming')", (kiosk_id,)
        ).fetchone()
        if row is not None:
            if customer_id is not None:
                conn.execute(
                    "UPDATE help_requests SET customer_id = COALESCE(customer_id, ?) WHERE id = ?",
                    (customer_id, row["id"]),
                )
            return self._kiosk_view(conn, row["id"])
        request_id = new_id("help")
        conn.execute(
            "INSERT INTO help_requests (id, kiosk_id, customer_id, screen, step, reason, waited_seconds, status,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'waiting', ?)",
            (request_id, kiosk_id, customer_id, body.screen, body.step, body.reason, body.waited_seconds, iso(now)),
        )
        log.info("help request %s from kiosk %s: %s on %s", request_id, kiosk_id, body.reason, body.screen)
        return self._kiosk_view(conn, request_id)

    def _refused_customer(self, conn: sqlite3.Connection, kiosk_id: str, now: datetime) -> str | None:
        row = conn.execute(
            "SELECT c.customer_id FROM kiosk_refusals r JOIN cards c ON c.card_key = r.card_key"
            " WHERE r.kiosk_id = ? AND r.at >= ?",
            (kiosk_id, iso(now - timedelta(minutes=self.risk.refusal_link_minutes))),
        ).fetchone()
        return row["customer_id"] if row else None

    def help_request(self, kiosk_id: str, request_id: str) -> schemas.HelpRequest:
        with self.db.read() as conn:
            self._kiosks_request(conn, kiosk_id, request_id)
            return self._kiosk_view(conn, request_id)

    def cancel_help(self, conn: sqlite3.Connection, kiosk_id: str, request_id: str) -> schemas.HelpRequest:
        """The customer no longer needs help. Cancelling twice, or after staff closed it, changes nothing."""
        row = self._kiosks_request(conn, kiosk_id, request_id)
        if row["status"] in OPEN:
            conn.execute(
                "UPDATE help_requests SET status = 'cancelled', closed_at = ? WHERE id = ?",
                (iso(self.clock.now()), request_id),
            )
        return self._kiosk_view(conn, request_id)

    def _kiosks_request(self, conn: sqlite3.Connection, kiosk_id: str, request_id: str) -> sqlite3.Row:
        row = conn.execute(
            "SELECT * FROM help_requests WHERE id = ? AND kiosk_id = ?", (request_id, kiosk_id)
        ).fetchone()
        if row is None:
            raise ApiError("help_request_not_found", param="request_id")
        return row

    def _kiosk_view(self, conn: sqlite3.Connection, request_id: str) -> schemas.HelpRequest:
        row = conn.execute("SELECT * FROM help_requests WHERE id = ?", (request_id,)).fetchone()
        return schemas.HelpRequest(
            id=row["id"],
            status=row["status"],
            reason=row["reason"],
            screen=row["screen"],
            step=row["step"],
            created_at=parse_time(row["created_at"]),
            answered_at=parse_time(row["answered_at"]) if row["answered_at"] else None,
            staff=self._staff_member(conn, row["staff_id"]),
            staff_on_duty=self._staff_on_duty(conn),
        )

    def _staff_on_duty(self, conn: sqlite3.Connection) -> bool:
        return (
            conn.execute(
                "SELECT 1 FROM staff_sessions WHERE ended_at IS NULL AND expires_at > ? LIMIT 1",
                (iso(self.clock.now()),),
            ).fetchone()
            is not None
        )

    def _staff_member(self, conn: sqlite3.Connection, staff_id: str | None) -> schemas.StaffMember | None:
        if staff_id is None:
            return None
        row = conn.execute("SELECT id, name FROM staff WHERE id = ?", (staff_id,)).fetchone()
        return schemas.StaffMember(id=row["id"], name=row["name"], names=names_of(row["name"]))

    # --- staff sign-in ------------------------------------------------------------------------

    def staff_sign_in(self, conn: sqlite3.Connection, number: str, pin: str) -> schemas.StaffSession:
        row = conn.execute("SELECT * FROM staff WHERE number = ?", (number,)).fetchone()
        staff = self._check_staff_pin(conn, row, pin)
        now = self.clock.now()
        token = secrets.token_urlsafe(32)
        expires = now + timedelta(minutes=self.risk.staff_session_minutes)
        conn.execute(
            "INSERT INTO staff_sessions (token_hash, staff_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
            (hash_secret(token), staff["id"], iso(now), iso(expires)),
        )
        log.info("staff %s signed in to a console", staff["id"])
        member = self._staff_member(conn, staff["id"])
        assert member is not None
        return schemas.StaffSession(token=token, expires_at=expires, staff=member)

    def _check_staff_pin(self, conn: sqlite3.Connection, row: sqlite3.Row | None, pin: str) -> sqlite3.Row:
        """The staff member of a right PIN. A wrong one counts towards a lock, committed with the refusal;
        an unknown number costs the same hashing and gets the same answer."""
        if row is None:
            hash_pin(pin, b"no staff number..")
            raise ApiError("staff_pin_incorrect", param="pin")
        if row["locked_at"]:
            raise ApiError("staff_locked")
        if not hmac.compare_digest(hash_pin(pin, row["pin_salt"]), row["pin_hash"]):
            failed = row["failed_attempts"] + 1
            locked = failed >= self.risk.staff_pin_attempts
            conn.execute(
                "UPDATE staff SET failed_attempts = ?, locked_at = ? WHERE id = ?",
                (failed, iso(self.clock.now()) if locked else None, row["id"]),
            )
            log.warning("wrong staff PIN for staff %s (%d in a row)", row["id"], failed)
            if locked:
                raise ApiError("staff_locked", commit=True)
            raise ApiError(
                "staff_pin_incorrect",
                param="pin",
                commit=True,
                details={"attempts_remaining": self.risk.staff_pin_attempts - failed},
            )
        conn.execute("UPDATE staff SET failed_attempts = 0 WHERE id = ?", (row["id"],))
        return row

    def authenticate_staff(self, token: str | None) -> str:
        """The staff id of a live staff session (401 otherwise: a customer's token is not one)."""
        if not token:
            raise ApiError("staff_session_missing")
        with self.db.read() as conn:
            row = conn.execute(
                "SELECT staff_id, expires_at, ended_at FROM staff_sessions WHERE token_hash = ?", (hash_secret(token),)
            ).fetchone()
        if row is None or row["ended_at"] or parse_time(row["expires_at"]) <= self.clock.now():
            raise ApiError("staff_session_expired")
        return str(row["staff_id"])

    def staff_sign_out(self, token: str) -> None:
        with self.db.write() as conn:
            conn.execute(
                "UPDATE staff_sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL",
                (iso(self.clock.now()), hash_secret(token)),
            )

    # --- the console's queue ------------------------------------------------------------------

    def help_queue(self, include_closed: bool) -> list[schemas.StaffHelpRequest]:
        """Open requests, oldest first; with ``include_closed``, every request (for the metrics' export)."""
        with self.db.read() as conn:
            where = "" if include_closed else "WHERE h.status IN ('waiting', 'coming')"
            rows = conn.execute(f"{STAFF_VIEW} {where} ORDER BY h.created_at, h.id").fetchall()  # fixed texts
            return [self._staff_view(conn, row) for row in rows]

    def _staff_view(self, conn: sqlite3.Connection, row: sqlite3.Row) -> schemas.StaffHelpRequest:
        created = parse_time(row["created_at"])
        ended = row["answered_at"] or row["closed_at"]  # the wait ends with an answer (or a close without one)
        waiting = (parse_time(ended) if ended else self.clock.now()) - created
        paused, held = False, 0
        if row["customer_id"] is not None:
            customer = conn.execute("SELECT frozen_at FROM customers WHERE id = ?", (row["customer_id"],)).fetchone()
            paused = customer is not None and customer["frozen_at"] is not None
            held = conn.execute(
                "SELECT COUNT(*) FROM payments WHERE customer_id = ? AND status = 'held'", (row["customer_id"],)
            ).fetchone()[0]
        return schemas.StaffHelpRequest(
            id=row["id"],
            kiosk_id=row["kiosk_id"],
            kiosk_label=row["kiosk_label"] or row["kiosk_id"],
            status=row["status"],
            reason=row["reason"],
            screen=row["screen"],
            step=row["step"],
            waited_seconds=row["waited_seconds"],
            waiting_seconds=max(int(waiting.total_seconds()), 0),
            created_at=created,
            answered_at=parse_time(row["answered_at"]) if row["answered_at"] else None,
            closed_at=parse_time(row["closed_at"]) if row["closed_at"] else None,
            staff=self._staff_member(conn, row["staff_id"]),
            outcome=row["outcome"],
            customer_known=row["customer_id"] is not None,
            account_paused=paused,
            held_payments=held,
        )

    def answer_help(self, conn: sqlite3.Connection, staff_id: str, request_id: str) -> schemas.StaffHelpRequest:
        """ "I'm coming": the kiosk shows and says who. Another staff member may take it over."""
        row = self._open_request(conn, request_id)
        conn.execute(
            "UPDATE help_requests SET status = 'coming', staff_id = ?, answered_at = COALESCE(answered_at, ?)"
            " WHERE id = ?",
            (staff_id, iso(self.clock.now()), request_id),
        )
        log.info("staff %s is going to help request %s", staff_id, row["id"])
        return self._staff_view_of(conn, request_id)

    def close_help(
        self, conn: sqlite3.Connection, staff_id: str, request_id: str, outcome: str
    ) -> schemas.StaffHelpRequest:
        self._open_request(conn, request_id)
        now = iso(self.clock.now())
        conn.execute(
            "UPDATE help_requests SET status = 'closed', outcome = ?, closed_at = ?, staff_id = COALESCE(staff_id, ?),"
            " answered_at = COALESCE(answered_at, ?) WHERE id = ?",
            (outcome, now, staff_id, now, request_id),
        )
        log.info("staff %s closed help request %s: %s", staff_id, request_id, outcome)
        return self._staff_view_of(conn, request_id)

    def _open_request(self, conn: sqlite3.Connection, request_id: str) -> sqlite3.Row:
        row = conn.execute("SELECT * FROM help_requests WHERE id = ?", (request_id,)).fetchone()
        if row is None:
            raise ApiError("help_request_not_found", param="request_id")
        if row["status"] not in OPEN:
            raise ApiError("help_request_closed", param="request_id")
        return row

    def _staff_view_of(self, conn: sqlite3.Connection, request_id: str) -> schemas.StaffHelpRequest:
        return self._staff_view(conn, conn.execute(f"{STAFF_VIEW} WHERE h.id = ?", (request_id,)).fetchone())

    # --- acting on the customer's account, with them there ------------------------------------

    def held_payments_of(self, request_id: str) -> list[schemas.HeldPayment]:
        with self.db.read() as conn:
            customer_id = self._customer_of(conn, request_id)
            rows = conn.execute(
                "SELECT id, amount, created_at, hold_until FROM payments WHERE customer_id = ? AND status = 'held'"
                " ORDER BY created_at",
                (customer_id,),
            ).fetchall()
        return [
            schemas.HeldPayment(
                id=r["id"],
                amount_minor=r["amount"],
                created_at=parse_time(r["created_at"]),
                hold_until=parse_time(r["hold_until"]) if r["hold_until"] else None,
            )
            for r in rows
        ]

    def staff_unfreeze(self, conn: sqlite3.Connection, staff_id: str, request_id: str, pin: str) -> None:
        self._confirm_pin(conn, staff_id, pin)
        customer_id = self._customer_of(conn, request_id)
        self._unfreeze(conn, customer_id)
        self._log_action(conn, staff_id, "unfreeze", request_id, customer_id, None)

    def staff_cancel_held(
        self, conn: sqlite3.Connection, staff_id: str, request_id: str, payment_id: str, pin: str
    ) -> schemas.Payment:
        self._confirm_pin(conn, staff_id, pin)
        customer_id = self._customer_of(conn, request_id)
        held = conn.execute(
            "SELECT 1 FROM payments WHERE id = ? AND customer_id = ? AND status = 'held'", (payment_id, customer_id)
        ).fetchone()
        if held is None:  # staff cancel a held payment here, nothing else (and only this customer's)
            raise ApiError("payment_not_found", param="payment_id")
        payment = self.cancel_payment(conn, customer_id, payment_id)
        self._log_action(conn, staff_id, "cancel_held_payment", request_id, customer_id, payment_id)
        return payment

    def _confirm_pin(self, conn: sqlite3.Connection, staff_id: str, pin: str) -> None:
        row = conn.execute("SELECT * FROM staff WHERE id = ?", (staff_id,)).fetchone()
        self._check_staff_pin(conn, row, pin)

    def _customer_of(self, conn: sqlite3.Connection, request_id: str) -> str:
        row = conn.execute("SELECT customer_id FROM help_requests WHERE id = ?", (request_id,)).fetchone()
        if row is None:
            raise ApiError("help_request_not_found", param="request_id")
        if row["customer_id"] is None:
            raise ApiError("help_request_has_no_customer", param="request_id")
        return str(row["customer_id"])

    def _log_action(
        self,
        conn: sqlite3.Connection,
        staff_id: str,
        action: str,
        request_id: str,
        customer_id: str,
        payment_id: str | None,
    ) -> None:
        conn.execute(
            "INSERT INTO staff_actions (staff_id, action, help_request_id, customer_id, payment_id, at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (staff_id, action, request_id, customer_id, payment_id, iso(self.clock.now())),
        )
        log.warning("staff %s: %s for help request %s (payment %s)", staff_id, action, request_id, payment_id or "-")

    def staff_actions(self) -> list[schemas.StaffAction]:
        with self.db.read() as conn:
            rows = conn.execute("SELECT * FROM staff_actions ORDER BY id DESC LIMIT 200").fetchall()
            return [
                schemas.StaffAction(
                    id=r["id"],
                    staff=self._staff_member(conn, r["staff_id"]),  # type: ignore[arg-type]
                    action=r["action"],
                    help_request_id=r["help_request_id"],
                    payment_id=r["payment_id"],
                    at=parse_time(r["at"]),
                )
                for r in rows
            ]

    # --- metrics ------------------------------------------------------------------------------

    def help_metrics(self) -> schemas.HelpMetrics:
        with self.db.read() as conn:
            rows = conn.execute("SELECT * FROM help_requests").fetchall()
        answer = [_seconds(r["created_at"], r["answered_at"]) for r in rows if r["answered_at"]]
        resolve = [_seconds(r["created_at"], r["closed_at"]) for r in rows if r["status"] == "closed"]
        outcomes = [r["outcome"] for r in rows if r["status"] == "closed"]
        by_reason: dict[str, int] = {}
        for r in rows:
            by_reason[r["reason"]] = by_reason.get(r["reason"], 0) + 1
        return schemas.HelpMetrics(
            requests=len(rows),
            answered=len(answer),
            closed=len(outcomes),
            cancelled=sum(r["status"] == "cancelled" for r in rows),
            solved=outcomes.count("solved"),
            referred=outcomes.count("referred"),
            customer_left=outcomes.count("customer_left"),
            median_answer_seconds=statistics.median(answer) if answer else None,
            median_resolve_seconds=statistics.median(resolve) if resolve else None,
            solved_on_the_spot=outcomes.count("solved") / len(outcomes) if outcomes else None,
            by_reason=by_reason,
        )


def _seconds(start: str, end: str) -> float:
    return (parse_time(end) - parse_time(start)).total_seconds()
