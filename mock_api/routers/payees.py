"""Saved payees and the account-name check."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from mock_api import schemas
from mock_api.dependencies import BankDep, Customer, Idempotent
from mock_api.routers import respond

router = APIRouter(prefix="/v1", tags=["payees"])


@router.get("/payees", response_model=list[schemas.Payee])
def payees(bank: BankDep, customer: Customer) -> Response:
    return respond(bank.payees(customer))


# The save that follows a check, as an OpenAPI link: its id, with the account number and name checked.
SAVE_AFTER_CHECK = {
    "operationId": "add_payee_v1_payees_post",
    "requestBody": {
        "account_number": "$request.body#/account_number",
        "name": "$request.body#/name",
        "name_check_id": "$response.body#/name_check_id",
    },
    "description": "Save the person checked, bound to this check.",
}


@router.post(
    "/payees/name-check",
    response_model=schemas.NameCheckResult,
    responses={200: {"links": {"SavePayee": SAVE_AFTER_CHECK}}},
)
def name_check(bank: BankDep, customer: Customer, body: schemas.NameCheckRequest) -> Response:
    """Check the name on an account before saving it. The bank keeps the check (``name_check_id``):
    a payee is saved only with it (see ``POST /v1/payees``)."""
    return respond(bank.name_check(customer, body.account_number, body.name))


@router.post("/payees", response_model=schemas.Payee, status_code=201)
def add_payee(bank: BankDep, customer: Customer, body: schemas.NewPayee, idempotent: Idempotent) -> Response:
    """Save a payee, bound to the name check it follows (``name_check_id``), whose result the payee
    keeps as ``name_check``. Refused when the check is unknown or another customer's (404
    ``name_check_not_found``), was for another account number or name (400 ``name_check_mismatch``,
    ``param`` says which; on a close match the holder's name the bank told counts as checked), or is
    older than ``name_check_minutes`` (risk.toml ``[payees]``, 10 by default; 400
    ``name_check_expired``). The kiosk then asks the customer to check the name again."""
    return idempotent.respond(body, lambda c: bank.add_payee(c, customer, body))


@router.delete("/payees/{payee_id}", status_code=204)
def remove_payee(bank: BankDep, customer: Customer, payee_id: str) -> Response:
    bank.remove_payee(customer, payee_id)
    return Response(status_code=204)
