"""The error envelope becomes the right typed exception; odd bodies are still errors."""

from __future__ import annotations

import pytest

from client import errors
from mock_api.errors import ERROR_CODES, ApiError


@pytest.mark.parametrize("code", sorted(ERROR_CODES))
def test_every_server_code_maps_to_a_typed_exception_with_the_same_code(code: str) -> None:
    server_error = ApiError(code, reasons=["large_amount"], details={"attempts_remaining": 1})
    client_error = errors.from_envelope(server_error.status, server_error.envelope())
    assert isinstance(client_error, errors.ApiError)
    assert client_error.code == code
    assert client_error.status == server_error.status
    assert client_error.reasons == ["large_amount"]
    assert type(client_error) is not errors.ApiError, f"{code} has no specific exception type"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("pin_incorrect", errors.PinIncorrect),
        ("card_locked", errors.CardLocked),
        ("account_frozen", errors.AccountFrozen),
        ("insufficient_funds", errors.InsufficientFunds),
        ("limit_exceeded", errors.LimitExceeded),
        ("payment_blocked", errors.PaymentBlocked),
        ("session_expired", errors.SessionExpired),
        ("idempotency_key_reused", errors.IdempotencyKeyReused),
        ("idempotency_key_in_flight", errors.StillProcessing),
        ("service_unavailable", errors.ServiceUnavailable),
    ],
)
def test_codes_the_kiosk_reacts_to_have_their_own_class(code: str, expected: type) -> None:
    server_error = ApiError(code)
    assert type(errors.from_envelope(server_error.status, server_error.envelope())) is expected


def test_a_body_without_the_envelope_is_still_a_typed_error() -> None:
    assert isinstance(errors.from_envelope(502, "<html>bad gateway</html>"), errors.ServiceUnavailable)
    assert isinstance(errors.from_envelope(400, None), errors.InvalidRequest)
