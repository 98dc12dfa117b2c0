"""Payments: create, confirm (with a one-time code), cancel, read, receipts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from mock_api import schemas
from mock_api.dependencies import BankDep, Customer, Idempotent, RequiredIdempotent
from mock_api.routers import respond

router = APIRouter(prefix="/v1", tags=["payments"])

PaymentStatus = Annotated[str | None, Query(pattern="^(requires_action|completed|held|cancelled|blocked|failed)$")]


@router.post("/payments", response_model=schemas.Payment, status_code=201)
async def create_payment(
    bank: BankDep, customer: Customer, body: schemas.NewPayment, idempotent: RequiredIdempotent
) -> Response:
    return idempotent.respond(body, lambda c: bank.create_payment(c, customer, body))


@router.get("/payments", response_model=list[schemas.Payment])
async def list_payments(
    bank: BankDep,
    customer: Customer,
    status: PaymentStatus = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Response:
    return respond(bank.payments(customer, status, limit))


@router.get("/payments/{payment_id}", response_model=schemas.Payment)
async def get_payment(bank: BankDep, customer: Customer, payment_id: str) -> Response:
    return respond(bank.payment(customer, payment_id))


@router.post("/payments/{payment_id}/confirm", response_model=schemas.Payment)
async def confirm_payment(
    bank: BankDep,
    customer: Customer,
    payment_id: str,
    body: schemas.ConfirmPayment,
    idempotent: RequiredIdempotent,
) -> Response:
    return idempotent.respond(body, lambda c: bank.confirm_payment(c, customer, payment_id, body), status=200)


@router.post("/payments/{payment_id}/resend-code", response_model=schemas.Payment)
async def resend_code(bank: BankDep, customer: Customer, payment_id: str, idempotent: Idempotent) -> Response:
    return idempotent.respond(None, lambda c: bank.resend_code(c, customer, payment_id), status=200)


@router.post("/payments/{payment_id}/cancel", response_model=schemas.Payment)
async def cancel_payment(
    bank: BankDep, customer: Customer, payment_id: str, idempotent: RequiredIdempotent
) -> Response:
    return idempotent.respond(None, lambda c: bank.cancel_payment(c, customer, payment_id), status=200)


@router.get("/payments/{payment_id}/receipt", response_model=schemas.Receipt)
async def receipt(bank: BankDep, customer: Customer, payment_id: str) -> Response:
    return respond(bank.receipt(customer, payment_id))
