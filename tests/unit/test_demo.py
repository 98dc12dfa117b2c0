"""The tests' demo cards (tests/demo.py) are the mock bank's seeded ones, so they cannot drift."""

from __future__ import annotations

from mock_api import seed
from tests.demo import ALL_CARDS, SEEDED_BALANCES


def test_the_tests_demo_cards_are_the_seeded_ones_in_order() -> None:
    seeded = [
        (customer.card, customer.pin, customer.id, customer.accounts[0][0], customer.name)
        for customer in seed.DEMO_CUSTOMERS
    ]
    written = [(card.number, card.pin, card.customer_id, card.account_id, card.name) for card in ALL_CARDS]
    assert written == seeded


def test_every_seeded_account_has_a_seeded_balance() -> None:
    accounts = [account[0] for customer in seed.DEMO_CUSTOMERS for account in customer.accounts]
    assert sorted(SEEDED_BALANCES) == sorted(accounts)
