"""The simulated card reader: the demo cards a tester or participant can "insert".

They are the mock bank's demo customers (README: "Demo cards"), which the bank lists for a
registered kiosk (GET /v1/demo/cards). A real kiosk would read the card's chip instead;
nothing else in the kiosk depends on this list.
"""

from __future__ import annotations

from client.api import PaymentApi


def demo_cards_from(api: PaymentApi) -> list[tuple[str, str]]:
    """(card number, customer name) of each demo card, in README order, as the bank lists them."""
    return [(card.card_number, card.name) for card in api.demo_cards()]


def demo_cards() -> list[tuple[str, str]]:
    """The same list, read from the mock bank's own demo data.

    Kept only while the start screen calls it without an API; once it uses :func:`demo_cards_from`,
    this goes, and with it the kiosk's last import of the server's code.
    """
    from mock_api.seed import DEMO_CUSTOMERS  # the demo data lives with the mock bank

    return [(customer.card, customer.name) for customer in DEMO_CUSTOMERS]
