"""The demo's helpers: the simulated phone panel and the simulated card reader's cards."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from mock_api import schemas, seed
from mock_api.dependencies import BankDep, Customer, Kiosk
from mock_api.routers import respond

router = APIRouter(prefix="/v1/demo", tags=["demo"])


@router.get("/phone", response_model=list[schemas.PhoneMessage])
def phone(bank: BankDep, customer: Customer) -> Response:
    """The demo's simulated phone panel: texts sent to the signed-in customer's phone."""
    return respond(bank.phone_messages(customer))


@router.get("/cards", response_model=list[schemas.DemoCard])
def demo_cards(kiosk: Kiosk) -> Response:
    """The demo cards a kiosk's simulated card reader offers, in README order (never their PINs)."""
    return respond(
        [schemas.DemoCard(card_number=c.card, name=c.name, names=seed.names_of(c.name)) for c in seed.DEMO_CUSTOMERS]
    )
