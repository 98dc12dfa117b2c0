"""Words that depend on the customer: their own language at sign-in, and a biller named in it.
Real mock API over HTTP, no Qt."""

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


def test_a_person_keeps_their_own_name_in_every_language(kiosk: Kiosk) -> None:
    visit = kiosk.sign_in(WANG_FANG.number, WANG_FANG.pin)
    kiosk.start_visit(visit)
    kiosk.start_send(next(p for p in visit.payees if p.id == "payee_wf_limei"))
    kiosk.set_amount(8_800)
    payment = kiosk.apply(kiosk.pay(kiosk.payment_order()))
    assert payment.kind == "transfer"
    assert {visit.counterparty_name(payment, language) for language in LANGUAGES} == {payment.counterparty}
