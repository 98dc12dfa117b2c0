"""What a scanned payment code asks the kiosk to pay: one of this bank's payment requests, or an account.

The screens call :func:`read_scan` with the text the scanner typed and get a :class:`ScannedPayment`
to show on the review step and to pay with ``PaymentApi.create_payment(**scan.target(), ...)``.
The usual risk checks then apply at the bank (an account from a code is a new payee until paid).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from client import errors, models
from emvqr import PayloadError, PaymentCode, decode

# This bank's payment request ids (mock_api: new_id("req")). Only a reference of that shape is looked
# up: a code's reference is text anyone can print, and it goes into a URL path.
REQUEST_ID = re.compile(r"req_[0-9a-f]{16}")


class RequestReader(Protocol):
    def payment_request(self, request_id: str) -> models.PaymentRequest: ...


@dataclass(frozen=True)
class ScannedPayment:
    code: PaymentCode
    request: models.PaymentRequest | None = None  # this bank's payment request behind the code, if any

    @property
    def amount_minor(self) -> int | None:
        """The amount the code fixes (the request's, for a request); None: the customer types it."""
        return self.request.amount_minor if self.request is not None else self.code.amount_minor

    def name_in(self, language: str) -> str:
        """Who is paid, as the review step names them: the bank's name for a request's payee, else the
        code's own (its Chinese name for a Chinese reader, its Latin one otherwise)."""
        if self.request is not None:
            return models.in_language(self.request.payee_names, language, self.request.payee_name)
        if language.startswith("zh") and self.code.local_name:
            return self.code.local_name
        return self.code.name

    @property
    def account_last4(self) -> str:
        """The last four digits of the account paid: all of the number the screens may show."""
        return self.code.account_number[-4:]

    def problem_key(self) -> str | None:
        """The catalog key of why it cannot be paid (a request already paid, cancelled or expired), else None."""
        if self.request is None or self.request.status == "open":
            return None
        if self.request.status == "expired":
            return "error.payment_request_expired"
        return "error.payment_request_closed"

    def target(self) -> dict[str, str]:
        """The payment's target, as ``PaymentApi.create_payment`` takes it (with the reference as the memo)."""
        if self.request is not None:
            return {"payment_request_id": self.request.id}
        target = {"to_account_number": self.code.account_number, "to_name": self.code.local_name or self.code.name}
        return {**target, "memo": self.code.reference} if self.code.reference else target


def read_scan(api: RequestReader, payload: str) -> ScannedPayment:
    """The payment a scanned ``payload`` asks for. Raises :class:`emvqr.PayloadError` for a code the kiosk
    cannot pay (see ``client.qr.explain_key``), and the API's errors while it looks up a request."""
    code = decode(payload)
    if not REQUEST_ID.fullmatch(code.reference):
        return ScannedPayment(code)
    try:
        request = api.payment_request(code.reference)
    except errors.NotFound:  # another bank's reference that happens to look like ours
        return ScannedPayment(code)
    if decode(request.payload).account_number != code.account_number:
        # The reference names a request for another account than the code's: the code was altered or
        # made up. Pay neither on its word.
        raise PayloadError("malformed", "The code's reference is a payment request for another account.")
    return ScannedPayment(code, request)
