"""Help requests, the kiosk's side: Call staff, and the help the kiosk asks for by itself."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from mock_api import schemas
from mock_api.dependencies import BankDep, BearerCredentials, Kiosk, SignedInCustomer
from mock_api.routers import respond

router = APIRouter(prefix="/v1/help-requests", tags=["help"])


@router.post("", response_model=schemas.HelpRequest, status_code=201)
def raise_help(bank: BankDep, kiosk: Kiosk, customer: SignedInCustomer, body: schemas.NewHelpRequest) -> Response:
    """Ask the branch's staff to come to this kiosk (the kiosk's X-Kiosk-Id and X-Kiosk-Key; the
    customer's token too when someone is signed in, so staff can act on their account with them).

    A kiosk has one open request at a time: asking again (a retry, or a second reason) answers the open
    one, which keeps its place in the queue. Safe to retry without an Idempotency-Key for that reason.
    """
    return respond(bank.run(lambda c: bank.raise_help(c, kiosk, customer, body)), status=201)


@router.get("/{request_id}", response_model=schemas.HelpRequest)
def help_request(bank: BankDep, kiosk: Kiosk, request_id: str, credentials: BearerCredentials) -> Response:
    """Where the request stands: waiting, coming (with who), closed or cancelled. Kiosks ask every second.
    With the signed-in customer's token, their session is kept alive while they wait for staff."""
    answer = bank.help_request(kiosk, request_id)
    if credentials is not None:
        bank.keep_alive(credentials.credentials)
    return respond(answer)


@router.post("/{request_id}/cancel", response_model=schemas.HelpRequest)
def cancel_help(bank: BankDep, kiosk: Kiosk, request_id: str) -> Response:
    """The customer no longer needs help (a deliberate two-step choice on the kiosk)."""
    return respond(bank.run(lambda c: bank.cancel_help(c, kiosk, request_id)))
