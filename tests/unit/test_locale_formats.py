"""Amounts, dates and bills in each language's conventions (Babel, CLDR): the currency always named,
money out and in said in words as well as by its sign, a bill's month and due day, overdue said plainly."""

from __future__ import annotations

from datetime import date

import pytest

from client.explain import bill_when, movement
from client.i18n import Translator
from client.models import Bill
from client.money import format_amount


@pytest.mark.parametrize(
    ("language", "shown"),
    [("zh-Hans", "¥25,000.00"), ("zh-Hant", "人民幣 25,000.00"), ("en", "RMB 25,000.00")],
)
def test_every_amount_names_the_currency(language: str, shown: str) -> None:
    assert format_amount(2_500_000, language) == shown
    assert "元" not in format_amount(2_500_000, language)  # 元 alone reads as HK$ (or NT$) to a 繁體 reader


def test_grouping_fen_and_signs_are_kept() -> None:
    assert format_amount(123_456_789_01, "en") == "RMB 123,456,789.01"
    assert format_amount(5, "zh-Hans") == "¥0.05"
    assert format_amount(-20_000, "zh-Hant") == "-人民幣 200.00"
    assert format_amount(20_000, "en", sign=True) == "+RMB 200.00"
    assert format_amount(0, "en", sign=True) == "RMB 0.00"


@pytest.mark.parametrize(
    ("language", "out", "in_"),
    [
        ("zh-Hans", "支出 -¥200.00", "存入 +¥4,200.00"),
        ("zh-Hant", "支出 -人民幣 200.00", "存入 +人民幣 4,200.00"),
        ("en", "Paid out -RMB 200.00", "Paid in +RMB 4,200.00"),
    ],
)
def test_money_out_and_in_are_said_in_words_as_well_as_by_sign(language: str, out: str, in_: str) -> None:
    t = Translator(language)
    assert (movement(-20_000, t), movement(420_000, t)) == (out, in_)


@pytest.mark.parametrize(
    ("language", "month", "day", "when", "overdue"),
    [
        (
            "zh-Hans",
            "2026年11月",
            "11月25日",
            "2026年11月账单，11月25日前缴费",
            "2026年11月账单，已过期：应在11月25日前缴费",
        ),
        (
            "zh-Hant",
            "2026年11月",
            "11月25日",
            "2026年11月賬單，請於11月25日或之前繳費",
            "2026年11月賬單，已過期：應在11月25日前繳費",
        ),
        (
            "en",
            "November 2026",
            "25 November",
            "November 2026 bill, due 25 November",
            "November 2026 bill. Overdue: it was due by 25 November.",
        ),
    ],
)
def test_a_bill_says_its_month_and_due_day_and_when_it_is_overdue(
    language: str, month: str, day: str, when: str, overdue: str
) -> None:
    t = Translator(language)
    bill = Bill(
        id="bill_1",
        biller_id="bil_electricity",
        customer_number="3300016836",
        holder_name="李**",
        amount_minor=30_760,
        period="2026-11",
        due_date="2026-11-25",
        paid=False,
    )
    assert (t.month(bill.month), t.day(bill.due)) == (month, day)
    assert bill_when(bill, t, date(2026, 11, 25)) == when  # the due day itself is not late
    assert bill_when(bill, t, date(2026, 11, 26)) == overdue
    assert (
        bill_when(bill.model_copy(update={"paid": True}), t, date(2026, 12, 1)) == when
    )  # a paid bill is never overdue
