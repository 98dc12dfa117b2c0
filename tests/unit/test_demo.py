"""The tests' demo cards (tests/demo.py) are the mock bank's seeded ones, so they cannot drift."""

from __future__ import annotations

from datetime import UTC, datetime

from mock_api import seed
from tests.demo import ALL_CARDS, DUE_BILL_ACCOUNTS, SEEDED_BALANCES


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


def test_the_tests_due_bills_are_the_seeded_ones_with_their_amounts() -> None:
    written = [(b.customer_id, b.biller_id, b.customer_number) for b in DUE_BILL_ACCOUNTS]
    assert written == list(seed.BILL_ACCOUNTS)
    for bill in DUE_BILL_ACCOUNTS:
        generated = seed.generated_bill(bill.biller_id, bill.customer_number, datetime(2025, 3, 1, tzinfo=UTC))
        assert generated is not None and generated.amount == bill.amount_minor
