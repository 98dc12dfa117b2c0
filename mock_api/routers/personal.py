"""The customer's own things: usage, preferences, drafts, and payment requests (QR)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from mock_api import schemas
from mock_api.dependencies import BankDep, Customer, Idempotent
from mock_api.routers import respond

router = APIRouter(prefix="/v1")


@router.post("/usage", response_model=schemas.UsageRecord, status_code=201, tags=["personal"])
def record_usage(bank: BankDep, customer: Customer, body: schemas.UsageEvent, idempotent: Idempotent) -> Response:
    return idempotent.respond(body, lambda c: bank.record_usage(c, customer, body))


@router.get("/usage", response_model=list[schemas.UsageRecord], tags=["personal"])
def usage(
    bank: BankDep, customer: Customer, since_days: Annotated[int, Query(ge=1, le=3650), schemas.WHOLE_NUMBER] = 180
) -> Response:
    return respond(bank.usage(customer, since_days))


@router.get("/preferences", response_model=schemas.Preferences, tags=["personal"])
def preferences(bank: BankDep, customer: Customer) -> Response:
    return respond(bank.preferences(customer))


@router.put("/preferences", response_model=schemas.Preferences, tags=["personal"])
def set_preferences(bank: BankDep, customer: Customer, body: schemas.Preferences) -> Response:
    return respond(bank.set_preferences(customer, body))


@router.get("/drafts", response_model=list[schemas.Draft], tags=["personal"])
def drafts(bank: BankDep, customer: Customer) -> Response:
    return respond(bank.drafts(customer))


@router.get("/drafts/{flow}", response_model=schemas.Draft, tags=["personal"])
def draft(bank: BankDep, customer: Customer, flow: schemas.Slug) -> Response:
    """The customer's draft of ``flow``; 404 ``draft_not_found`` if none (never saved, deleted, or expired)."""
    return respond(bank.draft(customer, flow))


@router.put("/drafts/{flow}", response_model=schemas.Draft, tags=["personal"])
def save_draft(bank: BankDep, customer: Customer, flow: schemas.Slug, body: schemas.DraftBody) -> Response:
    """Save where the customer is in a flow, one draft per flow. It expires ``draft_hours`` after this
    (risk.toml ``[resume]``, 24 by default): an expired draft is never served, and is deleted when the
    customer's drafts are next read or written. A draft never holds a secret: a field named for a PIN,
    code, token or password, at any depth, is 400 ``draft_holds_secret`` (``details.key``)."""
    return respond(bank.save_draft(customer, flow, body.data))


@router.delete("/drafts/{flow}", status_code=204, tags=["personal"])
def delete_draft(bank: BankDep, customer: Customer, flow: schemas.Slug) -> Response:
    """204 whether or not there was such a draft: deleting is safe to repeat."""
    bank.delete_draft(customer, flow)
    return Response(status_code=204)


@router.post("/payment-requests", response_model=schemas.PaymentRequest, status_code=201, tags=["qr"])
def create_payment_request(
    bank: BankDep, customer: Customer, body: schemas.NewPaymentRequest, idempotent: Idempotent
) -> Response:
    return idempotent.respond(body, lambda c: bank.create_payment_request(c, customer, body))


@router.get("/payment-requests/{request_id}", response_model=schemas.PaymentRequest, tags=["qr"])
def get_payment_request(bank: BankDep, customer: Customer, request_id: str) -> Response:
    return respond(bank.payment_request(request_id))


@router.post("/payment-requests/{request_id}/cancel", response_model=schemas.PaymentRequest, tags=["qr"])
def cancel_payment_request(bank: BankDep, customer: Customer, request_id: str, idempotent: Idempotent) -> Response:
    return idempotent.respond(None, lambda c: bank.cancel_payment_request(c, customer, request_id), status=200)
