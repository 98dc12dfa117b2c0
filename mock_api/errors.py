"""One error type for the whole mock API, rendered as the shared error envelope.

Every failure leaves the server as ``{"error": {"type", "code", "message", "param"}}``
(plus ``reasons`` for risk decisions and ``details`` for machine-readable extras).
Codes are stable: clients and tests switch on them, never on messages.
"""

from __future__ import annotations

import json
from typing import Any

# type -> HTTP status. Types group codes the way a client reacts to them.
ERROR_TYPES: dict[str, int] = {
    "invalid_request": 400,
    "authentication_error": 401,
    "payment_declined": 402,
    "forbidden": 403,
    "not_found": 404,
    "conflict": 409,
    "request_too_large": 413,
    "idempotency_error": 422,
    "rate_limited": 429,
    "service_unavailable": 503,
}

# code -> (type, default message). The message is for developers; people see the
# plain-language catalog in the kiosk, keyed by the same code.
ERROR_CODES: dict[str, tuple[str, str]] = {
    "validation_failed": ("invalid_request", "The request body or parameters are not valid."),
    "idempotency_key_missing": ("invalid_request", "This request needs an Idempotency-Key header."),
    "idempotency_key_invalid": ("invalid_request", "Idempotency-Key must be 1 to 255 printable ASCII characters."),
    "document_too_deep": ("invalid_request", "The JSON document is nested more than 16 levels deep."),
    "document_text_invalid": ("invalid_request", "The JSON document holds text that is not valid Unicode."),
    "draft_holds_secret": (
        "invalid_request",
        "A draft must not hold a PIN, one-time code, token or password (details.key names the field).",
    ),
    "kiosk_unknown": ("authentication_error", "The kiosk id or key is not recognised."),
    "session_missing": ("authentication_error", "Sign in first: no session token was sent."),
    "session_expired": ("authentication_error", "The session has ended; sign in again."),
    "card_unknown": ("authentication_error", "The card number is not recognised."),
    # Also the answer for a card number the bank does not know: it never says which card numbers exist.
    "pin_incorrect": ("authentication_error", "The card number or PIN is not correct."),
    "card_locked": ("forbidden", "The card is locked after too many wrong PINs."),
    "account_frozen": ("forbidden", "The account is frozen after unusual activity."),
    "staff_session_missing": ("authentication_error", "Sign in to the staff console first (POST /v1/staff/sessions)."),
    "staff_session_expired": ("authentication_error", "The staff session has ended; sign in again."),
    "staff_pin_incorrect": ("authentication_error", "The staff number or PIN is not correct."),
    "staff_locked": ("forbidden", "This staff number is locked after too many wrong PINs; ask the branch manager."),
    "not_found": ("not_found", "Nothing was found at this address."),
    "help_request_not_found": ("not_found", "No such help request (for this kiosk)."),
    "help_request_closed": ("conflict", "This help request is already closed or cancelled."),
    "help_request_has_no_customer": (
        "conflict",
        "This help request reaches no customer's account (nobody signed in, no card refused at that kiosk).",
    ),
    "account_not_found": ("not_found", "No such account for this customer."),
    "payee_not_found": ("not_found", "No such saved payee for this customer."),
    "biller_not_found": ("not_found", "No such biller."),
    "bill_not_found": ("not_found", "No bill is due for that customer number."),
    "payment_not_found": ("not_found", "No such payment for this customer."),
    "payment_request_not_found": ("not_found", "No such payment request."),
    "anomaly_not_found": ("not_found", "No such anomaly."),
    "draft_not_found": ("not_found", "No such draft for this customer (never saved, finished, or expired)."),
    "handoff_not_found": ("not_found", "No such handoff for this customer."),
    "handoff_used": ("conflict", "This handoff was used already: each one works once."),
    "handoff_expired": ("conflict", "This handoff has expired; make a new one at the kiosk."),
    "payee_exists": ("conflict", "This person is already saved."),
    "payee_limit_reached": (
        "conflict",
        "The customer keeps the most payees allowed (details.limit); remove one first.",
    ),
    "name_check_not_found": ("not_found", "No such name check for this customer: check the name first."),
    "name_check_mismatch": ("invalid_request", "The name check was for another account number or name."),
    "name_check_expired": ("invalid_request", "The name check is too old; check the name again."),
    "bill_already_paid": ("conflict", "This bill has already been paid."),
    "payment_request_closed": ("conflict", "This payment request is already paid or cancelled."),
    "payment_request_expired": ("conflict", "This payment request has expired (expires_at); ask for a new one."),
    "payment_not_actionable": ("conflict", "The payment is not waiting for this action."),
    "payment_not_cancellable": ("conflict", "The payment can no longer be cancelled."),
    "idempotency_key_in_flight": ("conflict", "A request with this Idempotency-Key is still being processed."),
    "idempotency_key_reused": ("idempotency_error", "This Idempotency-Key was used with a different request."),
    "insufficient_funds": ("payment_declined", "The account does not hold enough money for this payment."),
    "limit_exceeded": ("payment_declined", "The payment is over the customer's limit."),
    "payment_blocked": ("payment_declined", "The payment was stopped to protect the customer."),
    "amount_mismatch": ("invalid_request", "The amount does not match the bill or request."),
    "same_account": ("invalid_request", "Money cannot be sent to the account it comes from."),
    "purpose_already_given": ("conflict", "The answer to 'what is this for?' was given already and stands."),
    "follow_up_not_asked": ("invalid_request", "An answer was given to a follow-up question the bank did not ask."),
    "purpose_required": ("invalid_request", "The payment needs the customer's answer to 'what is this for?'."),
    "acknowledgement_required": ("invalid_request", "The customer must confirm the risk before paying."),
    "verification_code_required": ("invalid_request", "The payment needs the one-time code sent to the phone."),
    "verification_code_incorrect": ("invalid_request", "The one-time code is not correct."),
    "verification_code_expired": ("invalid_request", "The one-time code has expired; ask for a new one."),
    "verification_locked": ("forbidden", "Too many wrong codes; the payment was cancelled."),
    "verification_resend_limit": ("forbidden", "Too many new codes were asked for; the payment was cancelled."),
    "service_unavailable": ("service_unavailable", "The payment service is not available right now."),
    "request_too_large": ("request_too_large", "The request body is larger than the limit (details.limit_bytes)."),
}


class ApiError(Exception):
    """A failure the API reports with the error envelope."""

    def __init__(
        self,
        code: str,
        message: str | None = None,
        *,
        param: str | None = None,
        reasons: list[str] | None = None,
        details: dict[str, Any] | None = None,
        commit: bool = False,
    ) -> None:
        error_type, default_message = ERROR_CODES[code]
        super().__init__(message or default_message)
        self.code = code
        self.type = error_type
        self.message = message or default_message
        self.param = param
        self.reasons = reasons or []
        self.details = details or {}
        # Keep the writes made before the error (a wrong PIN is counted, a blocked payment recorded).
        self.commit = commit

    @property
    def status(self) -> int:
        return ERROR_TYPES[self.type]

    def envelope(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": self.type,
            "code": self.code,
            "message": self.message,
            "param": self.param,
        }
        if self.reasons:
            body["reasons"] = self.reasons
        if self.details:
            body["details"] = self.details
        return {"error": body}


async def send_error(send: Any, error: ApiError) -> None:
    """Answer with ``error`` straight from ASGI middleware, before any route runs."""
    body = json.dumps(error.envelope()).encode()
    await send(
        {
            "type": "http.response.start",
            "status": error.status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
