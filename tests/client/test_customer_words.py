"""Words that depend on the customer: their own language at sign-in, and the bank's names (people,
accounts, billers) in it, as the bank writes them. Real mock API over HTTP, no Qt."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from client.api import PaymentApi
from client.credentials import CredentialStore
from client.i18n import LANGUAGES
from client.kiosk import Kiosk, language_at_sign_in
from mock_api.server import EmbeddedServer
from tests.demo import CHAN_MEILING, MARGARET, WANG_FANG, DemoCard


@pytest.fixture
def kiosk(api_server: EmbeddedServer) -> Iterator[Kiosk]:
    api = PaymentApi(api_server.url, backoff_seconds=0.01)
    kiosk = Kiosk(api, CredentialStore(api_server.url), "test kiosk")
    kiosk.ensure_registered()
    yield kiosk
    api.close()


@pytest.mark.parametrize(("card", "language"), [(WANG_FANG, "zh-Hans"), (MARGARET, "en"), (CHAN_MEILING, "zh-Hant")])
def test_the_bank_knows_each_customers_own_language(kiosk: Kiosk, card: DemoCard, language: str) -> None:
    visit = kiosk.sign_in(card.number, card.pin)
    assert visit.customer.language == language
    assert language_at_sign_in(visit.customer.language, chosen=False, current="zh-Hans", known=LANGUAGES) == (
        None if language == "zh-Hans" else language
    )


def test_a_language_the_customer_chose_wins_and_an_unknown_one_is_ignored() -> None:
    assert language_at_sign_in("en", chosen=True, current="zh-Hant", known=LANGUAGES) is None
    assert language_at_sign_in("fr", chosen=False, current="zh-Hans", known=LANGUAGES) is None
    assert language_at_sign_in("en", chosen=False, current="en", known=LANGUAGES) is None


def test_a_paid_bill_names_the_biller_in_the_customers_language(kiosk: Kiosk) -> None:
    visit = kiosk.sign_in(WANG_FANG.number, WANG_FANG.pin)
    kiosk.start_visit(visit)
    biller = next(b for b in visit.billers if b.category == "electricity")
    bill = kiosk.apply(kiosk.lookup_bill(biller, "1234567890"))
    payment = kiosk.apply(kiosk.pay(kiosk.payment_order()))
    assert payment.kind == "bill" and payment.counterparty == "State Grid Electricity"  # the bank's name
    assert bill.amount_minor == payment.amount_minor
    assert visit.counterparty_name(payment, "zh-Hans") == "国家电网电费"
    assert visit.counterparty_name(payment, "zh-Hant") == "國家電網電費"
    assert visit.counterparty_name(payment, "en") == "State Grid Electricity"


def test_a_person_the_bank_knows_is_named_in_the_readers_script(kiosk: Kiosk) -> None:
    visit = kiosk.sign_in(WANG_FANG.number, WANG_FANG.pin)
    kiosk.start_visit(visit)
    wang_qiang = next(p for p in visit.payees if p.id == "payee_wf_wangqiang")
    assert [wang_qiang.display_name_in(language) for language in LANGUAGES] == [
        "儿子 · 王强",
        "兒子 · 王強",
        "Son · Wang Qiang",
    ]
    kiosk.start_send(wang_qiang)
    kiosk.set_amount(8_800)
    payment = kiosk.apply(kiosk.pay(kiosk.payment_order()))
    assert payment.kind == "transfer" and payment.counterparty == "王强 Wang Qiang"  # as the bank recorded it
    assert [visit.counterparty_name(payment, language) for language in LANGUAGES] == ["王强", "王強", "Wang Qiang"]


def test_a_name_the_customer_typed_stays_as_typed_in_every_language(kiosk: Kiosk) -> None:
    visit = kiosk.sign_in(WANG_FANG.number, WANG_FANG.pin)
    kiosk.start_visit(visit)
    check = kiosk.name_check("6222030000001002", "刘芳")
    payee = kiosk.apply(kiosk.add_payee("6222030000001002", "刘芳", name_check_id=check.name_check_id))  # never 劉芳
    assert {payee.display_name_in(language) for language in LANGUAGES} == {"刘芳"}
    kiosk.start_send(payee)
    kiosk.set_amount(8_800)
    payment = kiosk.apply(kiosk.pay(kiosk.payment_order()))
    assert {visit.counterparty_name(payment, language) for language in LANGUAGES} == {"刘芳"}


def test_a_hong_kong_customer_reads_her_name_and_account_in_traditional_script(kiosk: Kiosk) -> None:
    visit = kiosk.sign_in(CHAN_MEILING.number, CHAN_MEILING.pin)
    kiosk.start_visit(visit)
    kiosk.apply(kiosk.view_balance())
    assert visit.customer.name_in("zh-Hant") == "陳美玲"
    assert visit.customer.name_in("zh-Hans") == "陈美玲"
    assert visit.customer.name_in("en") == "Chan Mei-ling"
    assert visit.main_account.name_in("zh-Hant") == "往來戶口"
    assert visit.main_account.name_in("en") == "Current"
    cards = {card.card_number: card for card in kiosk.demo_cards()}
    assert cards["6222020000000003"].name_in("zh-Hant") == "陳建"  # 陈建 on the card list no more
    assert cards[MARGARET.number].name_in("zh-Hant") == "Margaret Brown"  # the bank has one form: as recorded


def test_the_name_check_tells_the_holders_name_in_the_readers_script(kiosk: Kiosk) -> None:
    visit = kiosk.sign_in(CHAN_MEILING.number, CHAN_MEILING.pin)
    kiosk.start_visit(visit)
    assert kiosk.name_check("6222030000001002", "劉芳").result == "match"  # Traditional or Simplified, one holder
    assert kiosk.name_check("6222030000001002", "刘芳").result == "match"
    close = kiosk.name_check("6222030000001002", "劉方")
    assert close.result == "close_match" and close.actual_name == "刘芳 Liu Fang"
    assert [close.actual_name_in(language) for language in LANGUAGES] == ["刘芳", "劉芳", "Liu Fang"]
