"""Handoffs: carry on with an unfinished flow (a draft) on the customer's own phone."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from mock_api import schemas
from mock_api.dependencies import BankDep, Customer, Idempotent
from mock_api.routers import respond

router = APIRouter(prefix="/v1", tags=["handoffs"])


@router.post("/drafts/{flow}/handoff", response_model=schemas.Handoff, status_code=201)
def create_handoff(bank: BankDep, customer: Customer, flow: schemas.Slug) -> Response:
    """A single-use link to the customer's draft of ``flow``, for a QR code on the kiosk's screen: it
    carries a random token only, never account data, and works for ``handoff_minutes`` (risk.toml
    ``[resume]``, 10 by default). 404 ``draft_not_found`` if there is no such draft.

    Not replayed by Idempotency-Key: the bank keeps no token, not even to answer a retry (as with
    a kiosk's registration). Instead each new handoff of a draft revokes the unclaimed ones before
    it, so a retried request still leaves one working link.
    """
    return respond(bank.run(lambda c: bank.create_handoff(c, customer, flow)), status=201)


@router.post("/handoffs/claim", response_model=schemas.Draft)
def claim_handoff(bank: BankDep, customer: Customer, body: schemas.HandoffClaim, idempotent: Idempotent) -> Response:
    """The draft a handoff refers to, for a signed-in session of the same customer (their phone), once.

    A second claim is 409 ``handoff_used`` (a retry with the same Idempotency-Key gets the first
    answer again); one past its time is 409 ``handoff_expired``; an unknown token, or another
    customer's, is 404 ``handoff_not_found``; a draft finished or deleted since is 404
    ``draft_not_found`` (and the handoff is not used up).
    """
    return idempotent.respond(body, lambda c: bank.claim_handoff(c, customer, body.token), status=200)
