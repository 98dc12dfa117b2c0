"""The staff console: the branch's help queue, and what staff may do with a customer standing there.

Every route but sign-in needs a staff session's token (``Authorization: Bearer``): a customer's token
is refused (401 ``staff_session_expired``). Unfreezing an account and cancelling a held payment also
need the staff member's PIN again, and are logged (``GET /v1/staff/actions``).
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from mock_api import schemas
from mock_api.dependencies import BankDep, BearerCredentials, Staff
from mock_api.routers import respond

router = APIRouter(prefix="/v1/staff", tags=["staff"])


@router.post("/sessions", response_model=schemas.StaffSession, status_code=201)
def staff_sign_in(bank: BankDep, body: schemas.StaffSignIn) -> Response:
    """Staff number and PIN. Five wrong PINs in a row lock that staff number (403 ``staff_locked``).
    Never replayed: the bank keeps only the token's hash."""
    return respond(bank.run(lambda c: bank.staff_sign_in(c, body.staff_number, body.pin)), status=201)


@router.delete("/sessions/current", status_code=204)
def staff_sign_out(bank: BankDep, staff: Staff, credentials: BearerCredentials) -> Response:
    assert credentials is not None  # Staff has checked it
    bank.staff_sign_out(credentials.credentials)
    return Response(status_code=204)


@router.get("/help-requests", response_model=list[schemas.StaffHelpRequest])
def help_queue(bank: BankDep, staff: Staff, include_closed: bool = False) -> Response:
    """Open requests, oldest first, with how long each has waited. ``include_closed``: all of them."""
    return respond(bank.help_queue(include_closed))


@router.post("/help-requests/{request_id}/answer", response_model=schemas.StaffHelpRequest)
def answer_help(bank: BankDep, staff: Staff, request_id: str) -> Response:
    """ "I'm coming": the kiosk shows and says the staff member's name."""
    return respond(bank.run(lambda c: bank.answer_help(c, staff, request_id)))


@router.post("/help-requests/{request_id}/close", response_model=schemas.StaffHelpRequest)
def close_help(bank: BankDep, staff: Staff, request_id: str, body: schemas.HelpClose) -> Response:
    return respond(bank.run(lambda c: bank.close_help(c, staff, request_id, body.outcome)))


@router.get("/help-requests/{request_id}/held-payments", response_model=list[schemas.HeldPayment])
def held_payments(bank: BankDep, staff: Staff, request_id: str) -> Response:
    """The held payments of the request's customer (409 ``help_request_has_no_customer`` if none is known)."""
    return respond(bank.held_payments_of(request_id))


@router.post("/help-requests/{request_id}/unfreeze", status_code=204)
def unfreeze(bank: BankDep, staff: Staff, request_id: str, body: schemas.StaffPin) -> Response:
    """After checking the customer's identity in person: their account works again and their cards are
    unlocked. Needs the staff PIN again; logged."""
    bank.run(lambda c: bank.staff_unfreeze(c, staff, request_id, body.pin))
    return Response(status_code=204)


@router.post("/help-requests/{request_id}/held-payments/{payment_id}/cancel", response_model=schemas.Payment)
def cancel_held(bank: BankDep, staff: Staff, request_id: str, payment_id: str, body: schemas.StaffPin) -> Response:
    """With the customer there: the held payment is cancelled and its money returns. Needs the staff PIN
    again; logged."""
    return respond(bank.run(lambda c: bank.staff_cancel_held(c, staff, request_id, payment_id, body.pin)))


@router.get("/actions", response_model=list[schemas.StaffAction])
def staff_actions(bank: BankDep, staff: Staff) -> Response:
    """What staff did to customers' accounts, newest first."""
    return respond(bank.staff_actions())


@router.get("/metrics", response_model=schemas.HelpMetrics)
def metrics(bank: BankDep, staff: Staff) -> Response:
    """Time to answer, time to resolve, and the share solved on the spot."""
    return respond(bank.help_metrics())
