"""One error hierarchy for the whole kiosk.

The API's error envelope becomes a typed exception chosen by its stable ``code``; network
trouble becomes :class:`ConnectionLost` or :class:`RequestTimedOut`. Screens catch
:class:`CalmPayError` and look up the plain-language explanation by ``code``.
"""

from __future__ import annotations

from typing import Any


class CalmPayError(Exception):
    """Anything that stops an operation. ``code`` keys the plain-language catalog."""

    code = "unexpected_error"
    # True when we cannot know whether the operation happened (no answer, or still running):
    # the caller must retry with the same idempotency key, never with a new one.
    outcome_unknown = False

    def __init__(self, message: str = "", **context: Any) -> None:
        super().__init__(message or self.code)
        self.message = message or self.code
        self.context = context


# --- the network --------------------------------------------------------------------------


class NetworkError(CalmPayError):
    """No answer came back. For a payment this means: we do not know yet, retry with the same key."""

    code = "connection_lost"
    outcome_unknown = True


class ConnectionLost(NetworkError):
    code = "connection_lost"


class RequestTimedOut(NetworkError):
    code = "request_timed_out"


# --- answers from the API -------------------------------------------------------------------


class ApiError(CalmPayError):
    """The API answered with its error envelope."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: int,
        error_type: str,
        param: str | None = None,
        reasons: list[str] | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
        self.error_type = error_type
        self.param = param
        self.reasons = reasons or []
        self.details = details or {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, status={self.status}, reasons={self.reasons!r})"


class InvalidRequest(ApiError):
    pass


class AuthenticationFailed(ApiError):
    pass


class PinIncorrect(AuthenticationFailed):
    @property
    def attempts_remaining(self) -> int | None:
        value = self.details.get("attempts_remaining")
        return int(value) if value is not None else None


class SessionExpired(AuthenticationFailed):
    pass


class KioskNotRegistered(AuthenticationFailed):
    pass


class Forbidden(ApiError):
    pass


class CardLocked(Forbidden):
    pass


class AccountFrozen(Forbidden):
    pass


class NotFound(ApiError):
    pass


class Conflict(ApiError):
    pass


class StillProcessing(Conflict):
    """The same request is still running on the server: its outcome is not known yet."""

    outcome_unknown = True


class IdempotencyKeyReused(ApiError):
    pass


class PaymentDeclined(ApiError):
    pass


class InsufficientFunds(PaymentDeclined):
    pass


class LimitExceeded(PaymentDeclined):
    pass


class PaymentBlocked(PaymentDeclined):
    @property
    def payment_id(self) -> str | None:
        return self.details.get("payment_id")


class VerificationFailed(ApiError):
    @property
    def attempts_remaining(self) -> int | None:
        value = self.details.get("attempts_remaining")
        return int(value) if value is not None else None


class ServiceUnavailable(ApiError):
    pass


BY_CODE: dict[str, type[ApiError]] = {
    "pin_incorrect": PinIncorrect,
    "card_unknown": AuthenticationFailed,
    "session_missing": SessionExpired,
    "session_expired": SessionExpired,
    "kiosk_unknown": KioskNotRegistered,
    "card_locked": CardLocked,
    "account_frozen": AccountFrozen,
    "verification_locked": VerificationFailed,
    "verification_code_incorrect": VerificationFailed,
    "verification_code_expired": VerificationFailed,
    "insufficient_funds": InsufficientFunds,
    "limit_exceeded": LimitExceeded,
    "payment_blocked": PaymentBlocked,
    "idempotency_key_reused": IdempotencyKeyReused,
    "idempotency_key_in_flight": StillProcessing,
}
BY_TYPE: dict[str, type[ApiError]] = {
    "invalid_request": InvalidRequest,
    "request_too_large": InvalidRequest,  # a body over the server's limit: the kiosk never sends one
    "authentication_error": AuthenticationFailed,
    "payment_declined": PaymentDeclined,
    "forbidden": Forbidden,
    "not_found": NotFound,
    "conflict": Conflict,
    "idempotency_error": IdempotencyKeyReused,
    "service_unavailable": ServiceUnavailable,
}


def from_envelope(status: int, body: Any) -> ApiError:
    """The typed exception for an error response (a garbled body is still an error)."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or "code" not in error:
        kind = ServiceUnavailable if status >= 500 else InvalidRequest
        return kind(
            "unexpected_response",
            f"HTTP {status} without an error envelope",
            status=status,
            error_type="service_unavailable" if status >= 500 else "invalid_request",
        )
    code = str(error["code"])
    error_type = str(error.get("type", ""))
    cls = BY_CODE.get(code) or BY_TYPE.get(error_type) or (ServiceUnavailable if status >= 500 else ApiError)
    return cls(
        code,
        str(error.get("message", "")),
        status=status,
        error_type=error_type,
        param=error.get("param"),
        reasons=list(error.get("reasons") or []),
        details=dict(error.get("details") or {}),
    )
