"""Payments: create, answer "what is this for?", confirm (with a one-time code), cancel, read, receipts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from mock_api import schemas
from mock_api.dependencies import BankDep, Customer, Idempotent, RequiredIdempotent
from mock_api.idempotency import IDEMPOTENCY_KEY_PATTERN
from mock_api.routers import respond

router = APIRouter(prefix="/v1", tags=["payments"])

IdempotencyKeyPath = Annotated[str, Path(min_length=1, max_length=255, pattern=IDEMPOTENCY_KEY_PATTERN)]
PaymentStatus = Annotated[str | None, Query(pattern="^(requires_action|completed|held|cancelled|blocked|failed)$")]


@router.post("/payments", response_model=schemas.Payment, status_code=201)
def create_payment(
    bank: BankDep, customer: Customer, body: schemas.NewPayment, idempotent: RequiredIdempotent
) -> Response:
    return idempotent.respond(body, lambda c: bank.create_payment(c, customer, body, request_key=idempotent.key))


@router.get("/payments", response_model=list[schemas.Payment])
def list_payments(
    bank: BankDep,
    customer: Customer,
    status: PaymentStatus = None,
    limit: Annotated[int, Query(ge=1, le=100), schemas.WHOLE_NUMBER] = 20,
) -> Response:
    return respond(bank.payments(customer, status, limit))


# Before the routes below: /payments/by-key/receipt is a key, not the receipt of payment "by-key". A
# key may hold "/" (any printable ASCII), hence the path converter.
@router.get("/payments/by-key/{key:path}", response_model=schemas.Payment)
def payment_by_key(bank: BankDep, customer: Customer, key: IdempotencyKeyPath) -> Response:
    """The customer's payment made by ``POST /v1/payments`` with this ``Idempotency-Key`` (URL-encoded),
    whatever became of it (completed, held, requires_action, blocked, cancelled), so a kiosk stopped
    mid-payment can tell what happened. 404 ``payment_not_found`` if this customer made no payment with
    that key. Reads only: it never makes a payment."""
    return respond(bank.payment_by_key(customer, key))


@router.get("/payments/{payment_id}", response_model=schemas.Payment)
def get_payment(bank: BankDep, customer: Customer, payment_id: str) -> Response:
    return respond(bank.payment(customer, payment_id))


@router.post("/payments/{payment_id}/purpose", response_model=schemas.Payment)
def answer_purpose(
    bank: BankDep,
    customer: Customer,
    payment_id: str,
    body: schemas.PurposeAnswer,
    idempotent: Idempotent,
) -> Response:
    """The customer's answer to "what is this payment for?", judged by the bank when it is given.

    Allowed only while the payment is ``requires_action`` and ``purpose`` is in ``risk.requires``
    (else 409 ``payment_not_actionable``). An answer that matches a scam script blocks the payment:
    it becomes ``blocked``, nothing moves, and the answer is 402 ``payment_blocked`` with reason
    ``purpose_scam_script``, ``details.payment_id`` and ``details.script`` (the scam it matches), as
    confirm would say. An answer scams hide behind (``own_account``, ``investment``, ``bills_goods``,
    ``family_friends``) gets follow-up questions, one at a time: ``risk.follow_up`` names the next,
    ``purpose`` stays in ``risk.requires``, and the client sends the same purpose again with
    ``answers`` (every yes/no so far); a follow-up answer from a scam script blocks the payment as
    above. An answer once given stands (another one is 409 ``purpose_already_given``); an answer to
    a question not asked is 400 ``follow_up_not_asked``. Any other answer, or the last follow-up,
    takes ``purpose`` off ``risk.requires``; the payment stays ``requires_action`` even when nothing
    else remains (an empty ``requires``): an answer never pays, only
    ``POST /v1/payments/{payment_id}/confirm`` does, which then no longer needs the purpose.
    """
    return idempotent.respond(body, lambda c: bank.answer_purpose(c, customer, payment_id, body), status=200)


@router.post("/payments/{payment_id}/confirm", response_model=schemas.Payment)
def confirm_payment(
    bank: BankDep,
    customer: Customer,
    payment_id: str,
    body: schemas.ConfirmPayment,
    idempotent: RequiredIdempotent,
) -> Response:
    """Pay a payment that waits for the customer (``requires_action``), with what ``risk.requires`` asks.

    One-time codes, limited per payment (risk.toml ``[verification]``): a wrong code is 400
    ``verification_code_incorrect`` with ``details.attempts_remaining``; wrong codes count for the
    payment, across new codes (``resend-code`` gives none back), and the last allowed one
    (``code_attempts``, 3 by default) cancels the payment: 403 ``verification_locked``, nothing
    moves. A code past its time is 400 ``verification_code_expired`` and is not counted. A payment
    no longer waiting (cancelled, paid) is 409 ``payment_not_actionable``.
    """
    return idempotent.respond(body, lambda c: bank.confirm_payment(c, customer, payment_id, body), status=200)


@router.post("/payments/{payment_id}/resend-code", response_model=schemas.Payment)
def resend_code(bank: BankDep, customer: Customer, payment_id: str, idempotent: Idempotent) -> Response:
    """Text a new one-time code (the old one stops working; wrong codes so far still count).

    A payment may ask for ``code_resends`` new codes (risk.toml ``[verification]``, 3 by default);
    one more ask cancels it: 403 ``verification_resend_limit``, nothing moves. Only for a payment
    waiting for a code (else 409 ``payment_not_actionable``).
    """
    return idempotent.respond(None, lambda c: bank.resend_code(c, customer, payment_id), status=200)


@router.post("/payments/{payment_id}/cancel", response_model=schemas.Payment)
def cancel_payment(bank: BankDep, customer: Customer, payment_id: str, idempotent: RequiredIdempotent) -> Response:
    return idempotent.respond(None, lambda c: bank.cancel_payment(c, customer, payment_id), status=200)


@router.get("/payments/{payment_id}/receipt", response_model=schemas.Receipt)
def receipt(bank: BankDep, customer: Customer, payment_id: str) -> Response:
    return respond(bank.receipt(customer, payment_id))
