"""Bills due now reach the home layout at sign-in, from the bank; without them a sign-in still
works (real mock API over HTTP, no Qt)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from client import errors
from client.adaptive import Shortcut
from client.api import PaymentApi
from client.credentials import CredentialStore
from client.kiosk import Kiosk
from mock_api.server import EmbeddedServer
from tests.demo import LI_MEI, LI_MEI_ELECTRICITY

ITEM = f"bill:{LI_MEI_ELECTRICITY.biller_id}:{LI_MEI_ELECTRICITY.customer_number}"


@pytest.fixture
def kiosk(api_server: EmbeddedServer) -> Iterator[Kiosk]:
    api = PaymentApi(api_server.url, backoff_seconds=0.01)
    kiosk = Kiosk(api, CredentialStore(api_server.url), "test kiosk")
    kiosk.ensure_registered()
    yield kiosk
    api.close()


def test_a_new_customers_due_bill_is_her_first_shortcut_and_not_remembered_as_her_strip(kiosk: Kiosk) -> None:
    visit = kiosk.sign_in(LI_MEI.number, LI_MEI.pin)
    assert visit.layout is not None
    assert visit.layout.shortcuts == (
        Shortcut(ITEM, "Pay State Grid Electricity", False, due_minor=LI_MEI_ELECTRICITY.amount_minor, due_only=True),
    )
    assert visit.layout.change is None
    assert visit.preferences.last_strip == ()  # it goes when paid, without "your shortcuts changed"


def test_without_the_due_bills_the_sign_in_still_works(kiosk: Kiosk, monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable() -> list[object]:
        raise errors.from_envelope(503, {"error": {"code": "unavailable", "type": "api_error", "message": "down"}})

    monkeypatch.setattr(kiosk.api, "due_bills", unavailable)
    visit = kiosk.sign_in(LI_MEI.number, LI_MEI.pin)
    assert visit.layout is not None and visit.layout.shortcuts == ()
