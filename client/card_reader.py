"""The simulated card reader: the demo cards a tester or participant can "insert".

They are the mock bank's demo customers (README: "Demo cards"), which the bank lists for a
registered kiosk (GET /v1/demo/cards). A real kiosk would read the card's chip instead;
nothing else in the kiosk depends on this list.
"""

from __future__ import annotations

from client.api import PaymentApi
from client.models import DemoCard


def demo_cards_from(api: PaymentApi) -> list[DemoCard]:
    """Each demo card (its number and whose it is, in each script the bank has the name in), in
    README order, as the bank lists them."""
    return list(api.demo_cards())
