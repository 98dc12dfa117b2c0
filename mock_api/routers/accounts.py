"""Accounts and their history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from mock_api import schemas
from mock_api.dependencies import BankDep, Customer
from mock_api.routers import respond

router = APIRouter(prefix="/v1", tags=["accounts"])


@router.get("/accounts", response_model=list[schemas.Account])
def accounts(bank: BankDep, customer: Customer) -> Response:
    return respond(bank.accounts(customer))


@router.get("/accounts/{account_id}/transactions", response_model=schemas.TransactionPage)
def transactions(
    bank: BankDep,
    customer: Customer,
    account_id: str,
    limit: Annotated[int, Query(ge=1, le=100), schemas.WHOLE_NUMBER] = 20,
    cursor: Annotated[int | None, Query(ge=1, le=2**62), schemas.WHOLE_NUMBER] = None,
) -> Response:
    return respond(bank.transactions(customer, account_id, limit, cursor))
