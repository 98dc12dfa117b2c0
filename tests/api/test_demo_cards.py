"""GET /v1/demo/cards: the simulated card reader's cards, for a registered kiosk, never with a PIN."""

from __future__ import annotations

import httpx

from tests.api.helpers import Kiosk, assert_error, ok, register_kiosk
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
    kiosk = register_kiosk(http)
    for card in ok(http.get("/v1/demo/cards", headers=kiosk.headers)):
        attempt = http.post(
            "/v1/sessions", json={"card_number": card["card_number"], "pin": "9999"}, headers=kiosk.headers
        )
        assert attempt.json()["error"]["code"] != "card_unknown", card


def test_the_demo_cards_need_a_registered_kiosk(http: httpx.Client) -> None:
    error = assert_error(http.get("/v1/demo/cards"), 401, "kiosk_unknown")
    assert error["param"] == "X-Kiosk-Id"
    kiosk = register_kiosk(http)
    wrong_key = Kiosk(kiosk.kiosk_id, kiosk.device_key + "x")
    assert_error(http.get("/v1/demo/cards", headers=wrong_key.headers), 401, "kiosk_unknown")
    unknown = Kiosk("kiosk_0000000000000000", kiosk.device_key)
    assert_error(http.get("/v1/demo/cards", headers=unknown.headers), 401, "kiosk_unknown")
