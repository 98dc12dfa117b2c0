"""The kiosk's blocking operations only fetch; the visit changes when their result is applied
(on the GUI thread, in the app). Real mock API over HTTP, no Qt."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from client.api import PaymentApi
from client.credentials import CredentialStore
from client.kiosk import Kiosk, PaymentUpdated
from mock_api.server import EmbeddedServer
from tests.client.conftest import WANG_FANG

LI_MEI = "payee_wf_limei"


@pytest.fixture
def kiosk(api_server: EmbeddedServer) -> Iterator[Kiosk]:
    api = PaymentApi(api_server.url, backoff_seconds=0.01)
    kiosk = Kiosk(api, CredentialStore(api_server.url), "test kiosk")
    kiosk.ensure_registered()
    yield kiosk
    api.close()


def test_sign_in_makes_a_visit_that_is_the_kiosks_only_once_started(kiosk: Kiosk) -> None:
    visit = kiosk.sign_in(*WANG_FANG)
    assert kiosk.visit is None
    kiosk.start_visit(visit)
    assert kiosk.visit is visit and visit.customer.name


def test_paying_fetches_first_and_changes_the_visit_only_when_applied(kiosk: Kiosk) -> None:
    kiosk.start_visit(kiosk.sign_in(*WANG_FANG))
    visit = kiosk.visit
    assert visit is not None
    kiosk.start_send(next(p for p in visit.payees if p.id == LI_MEI))
    kiosk.set_amount(20_000)
    balance, draft = visit.main_account.balance_minor, visit.send
    change = kiosk.pay(kiosk.payment_order())
    assert isinstance(change, PaymentUpdated) and change.payment.status == "completed"
    # Nothing of the visit changed on the way (in the app, this runs on a worker thread).
    assert visit.last_payment is None and visit.send is draft and visit.main_account.balance_minor == balance
    payment = kiosk.apply(change)
    assert visit.last_payment == payment
    assert visit.main_account.balance_minor == balance - 20_000
    assert visit.send.payee is None and visit.send.amount_minor is None  # a fresh draft


def test_a_bill_found_keeps_its_drafts_key_when_applied(kiosk: Kiosk) -> None:
    kiosk.start_visit(kiosk.sign_in(*WANG_FANG))
    visit = kiosk.visit
    assert visit is not None
    biller = next(b for b in visit.billers if b.category == "electricity")
    key = kiosk.start_bill(biller).idempotency_key
    found = kiosk.lookup_bill(biller, "1234567890")
    assert visit.bill.bill is None
    bill = kiosk.apply(found)
    assert visit.bill.bill == bill and visit.bill.customer_number == "1234567890"
    assert visit.bill.idempotency_key == key


def test_ending_a_visit_forgets_it_at_once_and_hands_back_the_token_to_end(kiosk: Kiosk) -> None:
    kiosk.start_visit(kiosk.sign_in(*WANG_FANG))
    token = kiosk.end_visit()
    assert kiosk.visit is None and token is not None
    kiosk.sign_out(token)
    assert not kiosk.api.signed_in
