"""GET /v1/demo/cards: the simulated card reader's cards, for a registered kiosk, never with a PIN."""

from __future__ import annotations

import httpx

from tests.api.helpers import Kiosk, assert_error, ok, register_kiosk, try_sign_in
from tests.demo import ALL_CARDS  # in the README's "Demo cards" order


def test_a_registered_kiosk_gets_the_demo_cards_in_readme_order(http: httpx.Client) -> None:
    kiosk = register_kiosk(http)
    cards = ok(http.get("/v1/demo/cards", headers=kiosk.headers))
    assert [{"card_number": c["card_number"], "name": c["name"]} for c in cards] == [
        {"card_number": card.number, "name": card.name} for card in ALL_CARDS
    ]


def test_the_demo_cards_never_carry_a_pin(http: httpx.Client) -> None:
    response = http.get("/v1/demo/cards", headers=register_kiosk(http).headers)
    assert all(set(card) == {"card_number", "name", "names"} for card in response.json())
    for card in ALL_CARDS:
        assert f'"{card.pin}"' not in response.text


def test_every_demo_card_is_one_the_bank_knows(http: httpx.Client) -> None:
    """With its documented PIN each card signs in, or is refused as locked or paused: a card number
    the bank did not know would be answered as a wrong PIN."""
    kiosk = register_kiosk(http)
    pins = {card.number: card.pin for card in ALL_CARDS}
    for card in ok(http.get("/v1/demo/cards", headers=kiosk.headers)):
        attempt = try_sign_in(http, kiosk, card["card_number"], pins[card["card_number"]])
        code = attempt.json()["error"]["code"] if attempt.status_code != 201 else None
        assert code in {None, "card_locked", "account_frozen"}, card


def test_the_demo_cards_need_a_registered_kiosk(http: httpx.Client) -> None:
    error = assert_error(http.get("/v1/demo/cards"), 401, "kiosk_unknown")
    assert error["param"] == "X-Kiosk-Id"
    kiosk = register_kiosk(http)
    wrong_key = Kiosk(kiosk.kiosk_id, kiosk.device_key + "x")
    assert_error(http.get("/v1/demo/cards", headers=wrong_key.headers), 401, "kiosk_unknown")
    unknown = Kiosk("kiosk_0000000000000000", kiosk.device_key)
    assert_error(http.get("/v1/demo/cards", headers=unknown.headers), 401, "kiosk_unknown")
