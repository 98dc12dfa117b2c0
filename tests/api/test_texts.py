"""The bank's text messages are in the reader's language, and a held payment's say the day too."""

from __future__ import annotations

from datetime import timedelta

import httpx

from tests.api.helpers import PAYEE_LI_MEI, Signed, ok, parse_time, server_now, sign_in
from tests.demo import LI_MEI


def test_a_held_payment_is_texted_to_each_reader_in_their_language_with_the_day(
    http: httpx.Client, wang_fang: Signed
) -> None:
    payment = ok(wang_fang.pay(6_000_000, payee_id=PAYEE_LI_MEI), 201)  # 60,000.00: held for two hours
    held = ok(wang_fang.confirm(payment))
    assert held["status"] == "held"
    arrives = parse_time(held["hold_until"]) + timedelta(hours=8)  # the branch's local time
    assert arrives - timedelta(hours=8) - server_now(http) <= timedelta(minutes=120)
    day, time = f"{arrives.month}月{arrives.day}日", f"{arrives:%H:%M}"

    own = wang_fang.phone()[0]["text"]  # Wang Fang reads Simplified Chinese
    assert own.startswith("【CalmPay】") and f"将于 {day} {time} 到账" in own and "yuan" not in own

    li_mei = sign_in(http, LI_MEI)  # her trusted contact, who reads English
    told = li_mei.phone()[0]["text"]
    assert "Wang Fang is sending 60,000.00 yuan to Li Mei." in told  # the names as an English reader reads them
    month = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    assert f"until {time} on {arrives.day} {month[arrives.month - 1]}" in told
