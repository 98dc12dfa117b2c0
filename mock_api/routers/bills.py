"""Billers and bill look-up."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from mock_api import schemas
from mock_api.dependencies import BankDep, Customer
from mock_api.routers import respond

router = APIRouter(prefix="/v1", tags=["bills"])


@router.get("/billers", response_model=list[schemas.Biller])
def billers(bank: BankDep, customer: Customer) -> Response:
    return respond(bank.billers())


@router.get("/bills/due", response_model=list[schemas.Bill])
def due_bills(bank: BankDep, customer: Customer) -> Response:
    """This month's unpaid bills that come to the customer's account (for the home screen)."""
    return respond(bank.run(lambda c: bank.due_bills(c, customer)))


@router.post("/bills/lookup", response_model=schemas.Bill)
def lookup_bill(bank: BankDep, customer: Customer, body: schemas.BillLookup) -> Response:
    return respond(bank.run(lambda c: bank.lookup_bill(c, body)))
