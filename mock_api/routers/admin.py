"""Testers' and staff controls: faults, the clock, reset, freeze, unfreeze, unlock, and views of the ledger.

Loopback mock only: no auth.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import APIRouter
from fastapi.responses import Response

from mock_api import schemas, seed
from mock_api.config import Clock
from mock_api.dependencies import BankDep, FaultsDep
from mock_api.errors import ApiError
from mock_api.routers import respond

router = APIRouter(prefix="/v1/admin", tags=["admin"])

# Every date the bank derives must stay representable: usage looks back up to 10 years.
CLOCK_MARGIN = timedelta(days=3660)


@router.get("/faults", response_model=schemas.Faults)
def get_faults(faults: FaultsDep) -> Response:
    return respond(faults.settings)


@router.put("/faults", response_model=schemas.Faults)
def set_faults(faults: FaultsDep, body: schemas.Faults) -> Response:
    return respond(faults.update(body))


@router.get("/clock", response_model=schemas.ClockState)
def get_clock(bank: BankDep) -> Response:
    return respond(_clock_state(bank.clock))


@router.post("/clock", response_model=schemas.ClockState)
def move_clock(bank: BankDep, body: schemas.ClockChange) -> Response:
    clock = bank.clock
    previous_offset = clock.offset
    if body.set_to is not None:
        if body.set_to.tzinfo is None:
            raise ApiError("validation_failed", "set_to needs a time zone.", param="set_to")
        clock.set(body.set_to)
    if body.advance_seconds is not None:
        clock.advance(body.advance_seconds)
    try:
        _ = (clock.now() - CLOCK_MARGIN, clock.now() + CLOCK_MARGIN)
    except OverflowError:
        clock.offset = previous_offset
        param = "advance_seconds" if body.advance_seconds is not None else "set_to"
        raise ApiError("validation_failed", "The clock cannot move that far.", param=param) from None
    return respond(_clock_state(clock))


def _clock_state(clock: Clock) -> schemas.ClockState:
    return schemas.ClockState(now=clock.now(), offset_seconds=clock.offset.total_seconds())


@router.post("/reset", status_code=204)
def reset(bank: BankDep) -> Response:
    seed.reset(bank.db, bank.clock)
    return Response(status_code=204)


@router.post("/customers/{customer_id}/unfreeze", status_code=204)
def unfreeze(bank: BankDep, customer_id: str) -> Response:
    bank.unfreeze(customer_id)
    return Response(status_code=204)


@router.post("/customers/{customer_id}/freeze", status_code=204)
def freeze(bank: BankDep, customer_id: str) -> Response:
    bank.freeze(customer_id)
    return Response(status_code=204)


@router.post("/cards/{card_number}/unlock", status_code=204)
def unlock(bank: BankDep, card_number: str) -> Response:
    bank.unlock_card(card_number)
    return Response(status_code=204)


@router.get("/ledger", response_model=schemas.LedgerSummary)
def ledger_summary(bank: BankDep) -> Response:
    return respond(bank.ledger_summary())


@router.get("/payments", response_model=list[schemas.Payment])
def payments_since(bank: BankDep, since: datetime) -> Response:
    """Payments by any customer since a moment (a usability study's task is done when one exists)."""
    return respond(bank.payments_since(since))


@router.get("/notifications", response_model=list[schemas.Notification])
def notifications(bank: BankDep, customer_id: str | None = None) -> Response:
    return respond(bank.notifications(customer_id))


@router.get("/anomalies", response_model=list[schemas.Anomaly])
def anomalies(bank: BankDep) -> Response:
    return respond(bank.anomalies())
