"""The simulated card reader: the demo cards a tester or participant can "insert".

They are the mock bank's demo customers (README: "Demo cards"). A real kiosk would read
the card's chip instead; nothing else in the kiosk depends on this list.
"""

from __future__ import annotations


def demo_cards() -> list[tuple[str, str]]:
    """(card number, customer name) of each demo card, in README order."""
    from mock_api.seed import DEMO_CUSTOMERS  # the demo data lives with the mock bank

    return [(customer.card, customer.name) for customer in DEMO_CUSTOMERS]
