"""The simulated card reader lists the bank's demo cards (real mock API, real HTTP)."""

from __future__ import annotations

import httpx

from client.api import PaymentApi
from client.card_reader import demo_cards_from
from client.credentials import CredentialStore
from client.kiosk import Kiosk
from mock_api.server import EmbeddedServer
from tests.demo import ALL_CARDS, WANG_FANG


def test_the_card_reader_offers_the_banks_demo_cards_in_readme_order(api: PaymentApi) -> None:
    cards = demo_cards_from(api)
    assert (cards[0].card_number, cards[0].name) == (WANG_FANG.number, WANG_FANG.name)
    assert [card.card_number for card in cards] == [card.number for card in ALL_CARDS]


def test_a_card_from_the_reader_signs_in(api: PaymentApi) -> None:
    card = demo_cards_from(api)[0]
    session = api.sign_in(card.card_number, WANG_FANG.pin)
    assert session.customer.name == card.name


def test_the_kiosk_registers_first_and_again_after_the_bank_forgot_it(api_server: EmbeddedServer) -> None:
    # The card screen may ask before the start-up registration has finished, or after a reset.
    with PaymentApi(api_server.url) as fresh:
        kiosk = Kiosk(fresh, CredentialStore(api_server.url), "card reader test")
        cards = kiosk.demo_cards()  # not registered yet: it registers, then asks
        assert (cards[0].card_number, cards[0].name) == (WANG_FANG.number, WANG_FANG.name)
        assert httpx.post(f"{api_server.url}/v1/admin/reset").status_code == 204  # the bank forgets kiosks
        assert kiosk.demo_cards() == cards
