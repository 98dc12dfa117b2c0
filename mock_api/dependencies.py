"""What the routes share: the bank and the fault switches (from ``app.state``), the signed-in customer,
the kiosk's headers, and the Idempotency-Key (see :mod:`mock_api.idempotency`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from mock_api.bank import Bank
from mock_api.faults import FaultState
from mock_api.idempotency import Idempotent, RequiredIdempotent

__all__ = [
    "BankDep",
    "BearerCredentials",
    "Customer",
    "FaultsDep",
    "Idempotent",
    "Kiosk",
    "KioskIdHeader",
    "KioskKeyHeader",
    "RequiredIdempotent",
    "SignedInCustomer",
    "Staff",
]

bearer = HTTPBearer(auto_error=False, description="The session token from POST /v1/sessions.")
BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]

KioskIdHeader = Annotated[str | None, Header(alias="X-Kiosk-Id")]
KioskKeyHeader = Annotated[str | None, Header(alias="X-Kiosk-Key")]


# Dependencies that only read app.state are async (no hop to the thread pool); those that query the
# database are plain def, like the routes, so they run in the thread pool, off the event loop.
async def bank_of(request: Request) -> Bank:
    bank: Bank = request.app.state.bank
    return bank


async def faults_of(request: Request) -> FaultState:
    faults: FaultState = request.app.state.faults
    return faults


BankDep = Annotated[Bank, Depends(bank_of)]
FaultsDep = Annotated[FaultState, Depends(faults_of)]


def customer_id(bank: BankDep, credentials: BearerCredentials) -> str:
    """The signed-in customer of the bearer token (401 without a live session)."""
    return bank.authenticate(credentials.credentials if credentials else None)


Customer = Annotated[str, Depends(customer_id)]


def kiosk_id(bank: BankDep, x_kiosk_id: KioskIdHeader = None, x_kiosk_key: KioskKeyHeader = None) -> str:
    """The registered kiosk of the X-Kiosk-Id and X-Kiosk-Key headers (401 otherwise)."""
    return bank.authenticate_kiosk(x_kiosk_id, x_kiosk_key)


Kiosk = Annotated[str, Depends(kiosk_id)]


def signed_in_customer(bank: BankDep, credentials: BearerCredentials) -> str | None:
    """The customer of a live session if a bearer token is sent, else None (never refuses: a help
    request from a kiosk with nobody signed in, or with a paused customer, is still taken)."""
    return bank.session_customer(credentials.credentials) if credentials else None


SignedInCustomer = Annotated[str | None, Depends(signed_in_customer)]


def staff_id(bank: BankDep, credentials: BearerCredentials) -> str:
    """The staff member of a staff session's token (401 otherwise; a customer's token is not one)."""
    return bank.authenticate_staff(credentials.credentials if credentials else None)


Staff = Annotated[str, Depends(staff_id)]
