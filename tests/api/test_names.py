"""The bank's names in each script it has them in: customers, accounts, payees, billers, history.

Additive: every ``name`` field is still the name as recorded; ``names`` (and ``*_names``) add the
forms by language, so a 繁體 customer reads 陳美玲, 劉芳 and 往來戶口, never a Simplified name."""

from __future__ import annotations

import httpx

from tests.api.helpers import (
    LIU_FANG_NUMBER,
    PAYEE_LI_MEI,
    PAYEE_WANG_QIANG,
    Signed,
    ok,
    register_kiosk,
    sign_in,
)
from tests.demo import CHAN_MEILING, LI_MEI, LI_MEI_ELECTRICITY

LANGUAGES = {"zh-Hans", "zh-Hant", "en"}


def test_a_hong_kong_customer_and_her_account_are_named_in_each_script(http: httpx.Client) -> None:
    chan = sign_in(http, CHAN_MEILING)
    me = ok(chan.get("/v1/customers/me"))
    assert me["name"] == "陳美玲 Chan Mei-ling"  # as recorded, for clients that know only this field
    assert me["names"] == {"zh-Hans": "陈美玲", "zh-Hant": "陳美玲", "en": "Chan Mei-ling"}
    assert me["trusted_contact"]["names"]["zh-Hant"] == "陳家明"
    account = chan.accounts()[CHAN_MEILING.account_id]
    assert account["name"] == "活期 Current"
    assert account["names"] == {"zh-Hans": "活期", "zh-Hant": "往來戶口", "en": "Current"}


def test_the_card_reader_names_each_card_holder_in_each_script(http: httpx.Client) -> None:
    kiosk = register_kiosk(http)
    cards = ok(http.get("/v1/demo/cards", headers=kiosk.headers))
    chen = next(card for card in cards if card["name"] == "陈建 Chen Jian")
    assert chen["names"] == {"zh-Hans": "陈建", "zh-Hant": "陳建", "en": "Chen Jian"}
    assert all(set(card["names"]) == LANGUAGES for card in cards if card["name"] != "Margaret Brown")
    margaret = next(card for card in cards if card["name"] == "Margaret Brown")
    assert margaret["names"] == {}  # the bank has her name in one form: shown as recorded


def test_seeded_payees_and_their_nicknames_are_named_in_each_script(wang_fang: Signed) -> None:
    payees = {p["id"]: p for p in ok(wang_fang.get("/v1/payees"))}
    li_mei = payees[PAYEE_LI_MEI]
    assert li_mei["names"] == {"zh-Hans": "李梅", "zh-Hant": "李梅", "en": "Li Mei"}
    assert li_mei["nickname_names"] == {"zh-Hans": "女儿", "zh-Hant": "女兒", "en": "Daughter"}
    assert payees[PAYEE_WANG_QIANG]["names"]["zh-Hant"] == "王強"


def test_a_name_the_customer_typed_stays_as_typed(wang_fang: Signed) -> None:
    payee = wang_fang.add_payee(LIU_FANG_NUMBER, "刘芳", nickname="邻居")
    assert (payee["name"], payee["names"], payee["nickname_names"]) == ("刘芳", {}, {})


def test_history_and_payments_name_the_counterparty_in_each_script(wang_fang: Signed) -> None:
    history = wang_fang.transactions()
    bill = next(t for t in history if t["kind"] == "bill" and t["counterparty"] == "State Grid Electricity")
    assert bill["counterparty_names"]["zh-Hant"] == "國家電網電費"
    pension = next(t for t in history if t["kind"] == "income")
    assert pension["counterparty_names"] == {"zh-Hans": "养老金", "zh-Hant": "退休金", "en": "Pension"}

    payment = ok(wang_fang.pay(20_000, payee_id=PAYEE_WANG_QIANG), 201)
    assert payment["counterparty"] == "王强 Wang Qiang"
    assert payment["counterparty_names"] == {"zh-Hans": "王强", "zh-Hant": "王強", "en": "Wang Qiang"}
    receipt = ok(wang_fang.get(f"/v1/payments/{payment['id']}/receipt"))
    assert receipt["to_names"]["zh-Hant"] == "王強"
    assert receipt["from_account_names"]["zh-Hant"] == "往來戶口"


def test_a_bill_names_its_holder_in_both_chinese_scripts(http: httpx.Client) -> None:
    li_mei = sign_in(http, LI_MEI)
    body = {"biller_id": LI_MEI_ELECTRICITY.biller_id, "customer_number": LI_MEI_ELECTRICITY.customer_number}
    bill = ok(li_mei.post("/v1/bills/lookup", body, key=None))
    hans, hant = bill["holder_names"]["zh-Hans"], bill["holder_names"]["zh-Hant"]
    assert hans == bill["holder_name"] and hant.endswith("**") and len(hant) == len(hans)
    assert (bill["period"], bill["due_date"]) == ("2026-03", "2026-03-25")  # the ordinary moment's month
