"""The demo's helpers: the simulated phone panel."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from mock_api import schemas
from mock_api.dependencies import BankDep, Customer
from mock_api.routers import respond

router = APIRouter(prefix="/v1/demo", tags=["demo"])


@router.get("/phone", response_model=list[schemas.PhoneMessage])
async def phone(bank: BankDep, customer: Customer) -> Response:
    """The demo's simulated phone panel: texts sent to the signed-in customer's phone."""
    return respond(bank.phone_messages(customer))
