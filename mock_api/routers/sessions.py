"""Kiosks, sessions and the signed-in customer."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from mock_api import schemas
from mock_api.dependencies import BankDep, BearerCredentials, Customer, Idempotent, KioskIdHeader, KioskKeyHeader
from mock_api.errors import ApiError
from mock_api.idempotency import IssuedSecret
from mock_api.routers import respond

router = APIRouter(prefix="/v1")


@router.post("/kiosks", response_model=schemas.KioskCredentials, status_code=201, tags=["kiosk"])
def register_kiosk(bank: BankDep, body: schemas.KioskRegistration, idempotent: Idempotent) -> Response:
    return idempotent.respond(body, lambda c: bank.register_kiosk(c, body.label))


@router.post("/sessions", response_model=schemas.Session, status_code=201, tags=["kiosk"])
def sign_in(
    bank: BankDep,
    body: schemas.SignIn,
    x_kiosk_id: KioskIdHeader = None,
    x_kiosk_key: KioskKeyHeader = None,
    *,
    idempotent: Idempotent,
) -> Response:
    # Checked here rather than by the Kiosk dependency: a bad body is still answered 400 before a bad kiosk.
    kiosk = bank.authenticate_kiosk(x_kiosk_id, x_kiosk_key)
    return idempotent.respond(
        body,
        lambda c: bank.sign_in(c, kiosk, body.card_number, body.pin),
        secret=IssuedSecret("token", bank.reissue_session),
    )


@router.delete("/sessions/current", status_code=204, tags=["kiosk"])
def sign_out(bank: BankDep, credentials: BearerCredentials) -> Response:
    # Not bank.authenticate: a customer paused while signed in can still end the session.
    token = credentials.credentials if credentials else None
    if not token:
        raise ApiError("session_missing")
    if bank.session_customer(token) is None:
        raise ApiError("session_expired")
    bank.sign_out(token)
    return Response(status_code=204)


@router.get("/customers/me", response_model=schemas.Customer, tags=["customer"])
def me(bank: BankDep, customer: Customer) -> Response:
    return respond(bank.customer(customer))
