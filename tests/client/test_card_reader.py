"""The simulated card reader lists the bank's demo cards (real mock API, real HTTP)."""

from __future__ import annotations

from client.api import PaymentApi
from client.card_reader import demo_cards, demo_cards_from
from tests.client.conftest import WANG_FANG


def test_the_card_reader_offers_the_banks_demo_cards_in_readme_order(api: PaymentApi) -> None:
    cards = demo_cards_from(api)
    assert cards[0] == (WANG_FANG[0], "王芳 Wang Fang")
    assert [number for number, _ in cards] == [f"622202000000000{n}" for n in range(1, 8)]


def test_a_card_from_the_reader_signs_in(api: PaymentApi) -> None:
    number, name = demo_cards_from(api)[0]
    session = api.sign_in(number, WANG_FANG[1])
    assert session.customer.name == name


def test_the_offline_list_is_the_same_as_the_banks(api: PaymentApi) -> None:
    # The start screen still calls demo_cards() without an API until it is wired to demo_cards_from.
    assert demo_cards() == demo_cards_from(api)
