"""Receive money: what the kiosk shows for the bank's answers about a payment request (no Qt)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from client import models, receive
from client.money import AmountError

MADE = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def request(status: str = "open", amount_minor: int | None = 8_800) -> models.PaymentRequest:
    return models.PaymentRequest(
        id="req_1",
        payee_name="王芳 Wang Fang",
        payee_names={"en": "Wang Fang", "zh-Hans": "王芳"},
        amount_minor=amount_minor,
        status=status,
        created_at=MADE,
        payload="calmpay:pay?request=req_1",
    )


def line(
    amount_minor: int, *, kind: str = "received", minutes: int = 1, name: str = "李梅 Li Mei"
) -> models.Transaction:
    return models.Transaction(
        id=minutes,
        at=MADE + timedelta(minutes=minutes),
        amount_minor=amount_minor,
        balance_after_minor=100_000,
        description="QR payment to 王芳 Wang Fang",
        kind=kind,
        counterparty=name,
        counterparty_names={"en": "Li Mei", "zh-Hans": "李梅"} if name else {},
    )


@pytest.mark.parametrize(
    ("status", "state"),
    [("open", "waiting"), ("paid", "paid"), ("expired", "expired"), ("cancelled", "closed"), ("withdrawn", "closed")],
)
def test_the_state_of_a_request_is_the_banks_word(status: str, state: str) -> None:
    assert receive.state_of(request(status)) == state


def test_the_amount_to_receive_is_not_checked_against_the_balance() -> None:
    assert receive.parse_receive_amount("88") == 8_800
    assert receive.parse_receive_amount("１,０００.５") == 100_050  # full-width, as a CJK keyboard types
    for bad in ("", "0", "-5", "1.234", "abc"):
        with pytest.raises(AmountError):
            receive.parse_receive_amount(bad)


def test_the_arrival_is_the_newest_money_received_since_the_request_of_its_amount() -> None:
    newest = [
        line(-500, kind="sent", minutes=5),  # money out: not it
        line(1_000, minutes=4),  # money in, another amount: not it
        line(8_800, minutes=3),
        line(8_800, minutes=-10),  # before the request was made
    ]
    arrival = receive.arrival_of(request("paid"), newest)
    assert arrival == receive.Arrival(8_800, "李梅 Li Mei", {"en": "Li Mei", "zh-Hans": "李梅"})
    assert arrival.payer_in("en") == "Li Mei"
    assert arrival.payer_in("zh-Hant") == "李梅 Li Mei"  # as the bank recorded it, never converted here


def test_any_amount_takes_what_came() -> None:
    arrival = receive.arrival_of(request("paid", amount_minor=None), [line(1_234, minutes=2)])
    assert arrival is not None and arrival.amount_minor == 1_234


def test_no_arrival_yet_when_the_money_is_not_in_the_history() -> None:
    """A payment the payer's bank holds for a while: the request is paid, the money not yet here."""
    assert receive.arrival_of(request("paid"), [line(1_000)]) is None
    assert receive.arrival_of(request("paid"), []) is None


def test_an_arrival_without_a_name_has_the_amount_only() -> None:
    arrival = receive.arrival_of(request("paid"), [line(8_800, name="")])
    assert arrival is not None and arrival.payer_in("en") == ""
