"""Payments: risk assessment, confirmation, one-time codes, holds, cancellation, receipts."""

from __future__ import annotations

import hmac
import json
import secrets
import sqlite3
from datetime import UTC, datetime, timedelta

from mock_api import ledger, schemas
from mock_api.bank.core import BankCore
from mock_api.errors import ApiError
from mock_api.ledger import EXTERNAL_ACCOUNT, SUSPENSE_ACCOUNT
from mock_api.risk import FOLLOW_UPS, PaymentFacts, RiskDecision, assess, follow_up_script, next_follow_up
from mock_api.seed import names_of
from mock_api.values import hash_secret, iso, keyed_hash, last4, new_id, parse_time

# The text message with a one-time code, in the customer's language (customers.language).
CODE_TEXTS = {
    "en": "CalmPay code {code} to pay {amount} yuan to {to}. Bank staff will never ask you for this code.",
    "zh-Hans": "【CalmPay】验证码 {code}，用于向 {to} 付款 {amount} 元。银行工作人员绝不会向您索要验证码。",
    "zh-Hant": "【CalmPay】驗證碼 {code}，用於向 {to} 付款 {amount} 元。銀行職員絕不會向您索取驗證碼。",
}

# The texts about a held payment, to the customer and to their trusted contact, with the day and
# the time it arrives (the branch's local time).
HELD_TEXTS = {
    "en": "CalmPay: your {amount} yuan to {to} will arrive at {time} on {date}. You can cancel it until then.",
    "zh-Hans": "【CalmPay】您给 {to} 的 {amount} 元将于 {date} {time} 到账。到账前，您随时可以取消。",
    "zh-Hant": "【CalmPay】您給 {to} 的 {amount} 元將於 {date} {time} 到帳。到帳前，您隨時可以取消。",
}
CONTACT_TEXTS = {
    "en": "CalmPay: {name} is sending {amount} yuan to {to}. We are holding it until {time} on {date}."
    " If this seems wrong, please call them.",
    "zh-Hans": "【CalmPay】{name} 正在向 {to} 付款 {amount} 元。我们会暂缓到 {date} {time}。"
    "如果觉得不对，请给对方打个电话。",
    "zh-Hant": "【CalmPay】{name} 正在向 {to} 付款 {amount} 元。我們會暫緩到 {date} {time}。如果覺得不對，請致電對方。",
}
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _params(language: str, amount: int, **recorded_names: str) -> dict[str, str]:
    """A text's amount and names as its reader reads them: in Hong Kong 元 alone would read as Hong
    Kong dollars, so the 繁體 text names the renminbi (人民幣 25,000.00 元); names in the reader's script."""
    yuan = f"{amount // 100:,}.{amount % 100:02d}"
    words = {name: names_of(value).get(language, value) for name, value in recorded_names.items()}
    return {"amount": f"人民幣 {yuan}" if language == "zh-Hant" else yuan, **words}


def _text(texts: dict[str, str], language: str, local: datetime, **params: str) -> str:
    """A text message in ``language`` (English when the bank has none in it), dated in local time."""
    chinese = language.startswith("zh") and language in texts
    date = f"{local.month}月{local.day}日" if chinese else f"{local.day} {MONTHS[local.month - 1]}"
    return texts.get(language, texts["en"]).format(date=date, time=f"{local:%H:%M}", **params)


# Magic amount: pretend the payment happens at 03:00 local time ("unusual_time").
MAGIC_UNUSUAL_TIME_AMOUNT = 30_303


class Payments(BankCore):
    """Creating, confirming, holding, cancelling and reading payments."""

    def create_payment(
        self, conn: sqlite3.Connection, customer_id: str, body: schemas.NewPayment, request_key: str | None = None
    ) -> schemas.Payment:
        """``request_key``: the request's Idempotency-Key, kept as a keyed hash to find the payment by
        (:meth:`payment_by_key`), blocked ones included."""
        self._release_due(conn)
        self._require_not_frozen(conn, customer_id)
        source = self._own_account(conn, customer_id, body.from_account_id)
        kind, destination, counterparty, payee_id, reported = self._destination(conn, customer_id, body)
        if destination == source["id"]:
            raise ApiError("same_account", param="to_account_number" if body.to_account_number else "payee_id")
        self._check_funds_and_limits(conn, customer_id, source, body.amount_minor)

        now = self.clock.now()
        decision = assess(self._facts(conn, customer_id, kind, destination, payee_id, reported, body, now), self.risk)
        payment_id = new_id("pay")
        status = "blocked" if decision.blocked else "requires_action"
        conn.execute(
            "INSERT INTO payments (id, customer_id, kind, from_account_id, to_account_id, payee_id, bill_id,"
            " request_id, counterparty, amount, memo, purpose, status, decision, reasons, requires, hold_minutes,"
            " created_at, updated_at, to_account_number)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                body.to_account_number,
            ),
        )
        if request_key is not None:
            conn.execute(
                "UPDATE payments SET request_key_hash = ? WHERE id = ?",
                (self.request_key_hash(request_key), payment_id),
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
        if body.to_account_number is not None:
            return self._scanned_account(conn, body.to_account_number)
        return self._request_destination(conn, body)

    @staticmethod
    def _scanned_account(conn: sqlite3.Connection, number: str) -> tuple[str, str, str, str | None, bool]:
        """An account from a scanned payment code: paid as the bank's directory knows it (its holder's
        name, and whether it was reported for scams), never as the code names it."""
        entry = conn.execute(
            "SELECT account_id, holder_name, reported_scam FROM directory WHERE number = ?", (number,)
        ).fetchone()
        if entry is None:
            raise ApiError("account_not_found", param="to_account_number")
        return "transfer", entry["account_id"], entry["holder_name"], None, bool(entry["reported_scam"])

    def _request_destination(
        self, conn: sqlite3.Connection, body: schemas.NewPayment
    ) -> tuple[str, str, str, str | None, bool]:
        request = conn.execute("SELECT * FROM payment_requests WHERE id = ?", (body.payment_request_id,)).fetchone()
        if request is None:
            raise ApiError("payment_request_not_found", param="payment_request_id")
        if request["status"] != "open":
            raise ApiError("payment_request_closed", param="payment_request_id")
        if request["expires_at"] and self.clock.now() >= parse_time(request["expires_at"]):
            raise ApiError(
                "payment_request_expired", param="payment_request_id", details={"expires_at": request["expires_at"]}
            )
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
        same_destination, destination_args = self._same_destination(
            customer_id, destination, payee_id, body.to_account_number
        )
        # The rules only ask whether these counts reach a threshold (and whether there were none),
        # so counting stops there instead of reading a customer's whole history on every payment.
        # Only money that has arrived makes a payee known: a payment still held can yet be cancelled
        # (the hold exists because the payee is new), so it must not wave the next one through.
        paid_before = conn.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM payments WHERE customer_id = ? AND {same_destination}"
            " AND status = 'completed' LIMIT ?)",
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

    @staticmethod
    def _scanned_target(payment: sqlite3.Row) -> dict[str, str]:
        """A stored payment's scanned account, as NewPayment takes it (nothing for other payments)."""
        number = payment["to_account_number"]
        return {"to_account_number": number, "to_name": payment["counterparty"]} if number else {}

    @staticmethod
    def _same_destination(
        customer_id: str, destination: str, payee_id: str | None, scanned_number: str | None
    ) -> tuple[str, tuple[str | None, ...]]:
        """The condition (SQL on payments, and its arguments) for earlier payments to the same person."""
        if scanned_number is not None and destination == EXTERNAL_ACCOUNT:
            # An account at another bank from a scanned code: paid before by a code, or as a saved payee.
            return (
                "to_account_id = ? AND (to_account_number = ?"
                " OR payee_id IN (SELECT id FROM payees WHERE customer_id = ? AND account_number = ?))",
                (destination, scanned_number, customer_id, scanned_number),
            )
        # Every other bank's account posts to the one clearing account: there, the payee tells them apart.
        return "to_account_id = ? AND (to_account_id != ? OR payee_id IS ?)", (destination, EXTERNAL_ACCOUNT, payee_id)

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
            self._purpose_with_confirm(conn, customer_id, payment, body.purpose, now)
            requires.discard("purpose")
        if "purpose" in requires:
            follow_up = self._follow_up(payment)
            raise ApiError("purpose_required", param="purpose", details={"follow_up": follow_up} if follow_up else None)
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

    def _purpose_with_confirm(
        self, conn: sqlite3.Connection, customer_id: str, payment: sqlite3.Row, purpose: str, now: datetime
    ) -> None:
        """A purpose sent with the confirm itself (older clients): judged as it is given. An answer
        scams hide behind still needs its follow-up questions (``POST .../purpose``), and an answer
        already given stands."""
        if payment["purpose"] is not None and payment["purpose"] != purpose:
            raise ApiError("purpose_already_given", param="purpose")
        self._judge_purpose(conn, customer_id, payment, purpose, now, json.loads(payment["purpose_answers"]))
        follow_up = next_follow_up(purpose, json.loads(payment["purpose_answers"]))
        if follow_up is not None:
            raise ApiError("purpose_required", param="purpose", details={"follow_up": follow_up})

    def answer_purpose(
        self, conn: sqlite3.Connection, customer_id: str, payment_id: str, body: schemas.PurposeAnswer
    ) -> schemas.Payment:
        """Record the answer to "what is this payment for?" (with the answers to the follow-up
        questions asked so far) and judge it now. A scam answer blocks the payment (nothing moves);
        an answer scams hide behind gets its next follow-up question (``risk.follow_up``, and
        ``purpose`` stays in ``risk.requires``); any other answer takes ``purpose`` off
        ``risk.requires`` and leaves the payment ``requires_action``: only confirm pays."""
        self._require_not_frozen(conn, customer_id)
        payment = self._own_payment(conn, customer_id, payment_id)
        if payment["status"] != "requires_action":
            raise ApiError("payment_not_actionable", param="payment_id")
        requires = json.loads(payment["requires"])
        if "purpose" not in requires:
            raise ApiError("payment_not_actionable", param="purpose")
        answers = dict(body.answers)
        unasked = set(answers) - set(FOLLOW_UPS.get(body.purpose, ()))
        if unasked:
            raise ApiError("follow_up_not_asked", param="answers", details={"questions": sorted(unasked)})
        # An answer once given stands: a coached customer cannot take it back and try another.
        given = json.loads(payment["purpose_answers"])
        changed = payment["purpose"] is not None and (
            payment["purpose"] != body.purpose or any(answers.get(q) != v for q, v in given.items())
        )
        if changed:
            raise ApiError("purpose_already_given", param="purpose")
        now = self.clock.now()
        self._judge_purpose(conn, customer_id, payment, body.purpose, now, answers)
        if next_follow_up(body.purpose, answers) is None:
            requires = [need for need in requires if need != "purpose"]
        conn.execute(
            "UPDATE payments SET requires = ?, purpose_answers = ?, updated_at = ? WHERE id = ?",
            (json.dumps(requires), json.dumps(answers), iso(now), payment_id),
        )
        return self._payment(conn, payment_id)

    def _judge_purpose(
        self,
        conn: sqlite3.Connection,
        customer_id: str,
        payment: sqlite3.Row,
        purpose: str,
        now: datetime,
        answers: dict[str, bool] | None = None,
    ) -> None:
        """Record the customer's answer and assess the payment again with it: an answer (or a
        follow-up answer) that matches a scam script blocks the payment (committed) and raises
        ``payment_blocked`` with the script in ``details.script``."""
        payment_id = payment["id"]
        conn.execute("UPDATE payments SET purpose = ? WHERE id = ?", (purpose, payment_id))
        script = follow_up_script(purpose, answers or {})
        if script is not None:  # a follow-up answer gave the script away
            decision = RiskDecision("block", ("purpose_scam_script",), (), 0)
            self._set_status(conn, payment_id, "blocked", decision)
            details = {"payment_id": payment_id, "script": script}
            raise ApiError("payment_blocked", commit=True, reasons=list(decision.reasons), details=details)
        facts_body = schemas.NewPayment(
            from_account_id=payment["from_account_id"],
            amount_minor=payment["amount"],
            payee_id=payment["payee_id"],
            bill_id=payment["bill_id"],
            payment_request_id=payment["request_id"],
            purpose=purpose,
            **self._scanned_target(payment),
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
            details = {"payment_id": payment_id, "script": purpose}
            raise ApiError("payment_blocked", commit=True, reasons=list(decision.reasons), details=details)

    def _check_code(self, conn: sqlite3.Connection, payment: sqlite3.Row, code: str | None, now: datetime) -> None:
        """A wrong code counts against the payment, not against one code: a new code does not give
        the guesses back, so ``code_attempts`` wrong codes in all cancel the payment."""
        if code is None:
            raise ApiError("verification_code_required", param="verification_code")
        if payment["code_expires_at"] is None or parse_time(payment["code_expires_at"]) <= now:
            raise ApiError("verification_code_expired", param="verification_code")
        if hmac.compare_digest(payment["code_hash"], hash_secret(payment["id"] + code)):
            return
        attempts = payment["code_attempts"] + 1
        conn.execute("UPDATE payments SET code_attempts = ? WHERE id = ?", (attempts, payment["id"]))
        if attempts >= self.risk.code_attempts:
            self._cancel_for_code(conn, payment["id"], now)
            raise ApiError("verification_locked", param="verification_code", commit=True)
        raise ApiError(
            "verification_code_incorrect",
            param="verification_code",
            commit=True,
            details={"attempts_remaining": self.risk.code_attempts - attempts},
        )

    def _cancel_for_code(self, conn: sqlite3.Connection, payment_id: str, now: datetime) -> None:
        """Stop a payment waiting for its code: nothing has moved yet, so nothing moves back."""
        conn.execute(
            "UPDATE payments SET status = 'cancelled', code_hash = NULL, code_expires_at = NULL, updated_at = ?"
            " WHERE id = ? AND status = 'requires_action'",
            (iso(now), payment_id),
        )

    def resend_code(self, conn: sqlite3.Connection, customer_id: str, payment_id: str) -> schemas.Payment:
        """A new code (the old one stops working), up to ``code_resends`` times a payment: one more
        ask cancels it, so texts cannot be asked for without end."""
        payment = self._own_payment(conn, customer_id, payment_id)
        if payment["status"] != "requires_action" or "verification_code" not in json.loads(payment["requires"]):
            raise ApiError("payment_not_actionable", param="payment_id")
        if payment["code_sends"] > self.risk.code_resends:  # the first text and every new code so far
            self._cancel_for_code(conn, payment_id, self.clock.now())
            raise ApiError("verification_resend_limit", param="payment_id", commit=True)
        self._send_code(conn, payment_id)
        return self._payment(conn, payment_id)

    def _send_code(self, conn: sqlite3.Connection, payment_id: str) -> None:
        code = f"{secrets.randbelow(10**6):06d}"
        expires = self.clock.now() + timedelta(minutes=self.risk.code_minutes)
        conn.execute(
            "UPDATE payments SET code_hash = ?, code_expires_at = ?, code_sends = code_sends + 1 WHERE id = ?",
            (hash_secret(payment_id + code), iso(expires), payment_id),
        )
        payment = conn.execute("SELECT * FROM payments WHERE id = ?", (payment_id,)).fetchone()
        customer = conn.execute("SELECT * FROM customers WHERE id = ?", (payment["customer_id"],)).fetchone()
        language = customer["language"] if customer["language"] in CODE_TEXTS else "en"  # the customer's language
        text = CODE_TEXTS[language].format(
            code=code, **_params(language, payment["amount"], to=payment["counterparty"])
        )
        self._notify(conn, customer["id"], "verification_code", customer["name"], customer["phone"], text, payment_id)

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

    def request_key_hash(self, request_key: str) -> str:
        """How a payment's Idempotency-Key is kept: keyed with the bank's key, never in clear."""
        return keyed_hash(self.db.key, "payment-request-key:" + request_key)

    def payment_by_key(self, customer_id: str, request_key: str) -> schemas.Payment:
        """The customer's payment made by a POST /v1/payments with this Idempotency-Key (the latest,
        should a key be used again after the bank forgot it), else ``payment_not_found``."""

        def operation(conn: sqlite3.Connection) -> schemas.Payment:
            self._release_due(conn)
            row = conn.execute(
                "SELECT id FROM payments WHERE customer_id = ? AND request_key_hash = ?"
                " ORDER BY created_at DESC LIMIT 1",
                (customer_id, self.request_key_hash(request_key)),
            ).fetchone()
            if row is None:
                raise ApiError("payment_not_found", param="key")
            return self._payment(conn, row["id"])

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

    def payments_since(self, since: datetime) -> list[schemas.Payment]:
        """Every customer's payments made since a moment, oldest first: what a study's task asks of
        the bank (a researcher's check, on a loopback mock only)."""

        def operation(conn: sqlite3.Connection) -> list[schemas.Payment]:
            self._release_due(conn)
            rows = conn.execute(
                "SELECT id FROM payments WHERE created_at >= ? ORDER BY created_at LIMIT 500",
                (iso(since.astimezone(UTC)),),
            ).fetchall()
            return [self._payment(conn, r["id"]) for r in rows]

        return self.run(operation)

    def receipt(self, customer_id: str, payment_id: str) -> schemas.Receipt:
        def operation(conn: sqlite3.Connection) -> schemas.Receipt:
            self._release_due(conn)
            row = self._own_payment(conn, customer_id, payment_id)
            source = conn.execute("SELECT * FROM accounts WHERE id = ?", (row["from_account_id"],)).fetchone()
            to_last4 = bill = None
            if row["payee_id"]:
                number = conn.execute("SELECT account_number FROM payees WHERE id = ?", (row["payee_id"],)).fetchone()
                to_last4 = last4(number[0])
            elif row["bill_id"]:
                bill = conn.execute(
                    "SELECT customer_number, period FROM bills WHERE id = ?", (row["bill_id"],)
                ).fetchone()
                to_last4 = last4(bill["customer_number"])
            elif row["to_account_number"]:
                to_last4 = last4(row["to_account_number"])
            return schemas.Receipt(
                reference=row["id"].upper().replace("PAY_", "CP-"),
                payment=self._payment(conn, payment_id),
                from_account_name=source["name"],
                from_account_names=names_of(source["name"]),
                from_account_last4=last4(source["number"]),
                to_name=row["counterparty"],
                to_names=names_of(row["counterparty"]),
                to_last4=to_last4,
                bill_period=bill["period"] if bill else None,
                bill_customer_number=bill["customer_number"] if bill else None,
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
        """Text the customer, and their trusted contact, that the payment is held until when:
        each in their own language (a contact who banks here reads theirs, else the customer's)."""
        customer = conn.execute("SELECT * FROM customers WHERE id = ?", (payment["customer_id"],)).fetchone()
        local = until + timedelta(hours=self.risk.local_utc_offset_hours)
        recorded = {"name": customer["name"], "to": payment["counterparty"]}
        if customer["trusted_contact_name"]:
            known = conn.execute(
                "SELECT language FROM customers WHERE phone = ?", (customer["trusted_contact_phone"],)
            ).fetchone()
            language = known["language"] if known else customer["language"]
            self._notify(
                conn,
                customer["id"],
                "held_payment_contact",
                customer["trusted_contact_name"],
                customer["trusted_contact_phone"],
                _text(CONTACT_TEXTS, language, local, **_params(language, payment["amount"], **recorded)),
                payment["id"],
            )
        self._notify(
            conn,
            customer["id"],
            "held_payment",
            customer["name"],
            customer["phone"],
            _text(
                HELD_TEXTS, customer["language"], local, **_params(customer["language"], payment["amount"], **recorded)
            ),
            payment["id"],
        )

    @staticmethod
    def _follow_up(row: sqlite3.Row) -> str | None:
        """The follow-up question the bank is waiting for, while the purpose is still required."""
        if row["status"] != "requires_action" or row["purpose"] is None or "purpose" not in json.loads(row["requires"]):
            return None
        return next_follow_up(row["purpose"], json.loads(row["purpose_answers"]))

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
            counterparty_names=names_of(row["counterparty"]),
            memo=row["memo"],
            purpose=row["purpose"],
            risk=schemas.Risk(
                decision=row["decision"],
                reasons=json.loads(row["reasons"]),
                requires=json.loads(row["requires"]),
                hold_minutes=row["hold_minutes"],
                follow_up=self._follow_up(row),
            ),
            created_at=parse_time(row["created_at"]),
            completed_at=parse_time(row["completed_at"]) if row["completed_at"] else None,
            hold_until=parse_time(row["hold_until"]) if row["hold_until"] else None,
            cancellable=status in ("requires_action", "held"),
            verification_expires_at=parse_time(code_expiry) if code_expiry else None,
        )
