from __future__ import annotations

from collections.abc import Iterator

import pytest

from client.api import PaymentApi
from client.credentials import CredentialStore, ensure_registered
from mock_api.server import EmbeddedServer
from tests.api.helpers import loopback_transport
from tests.demo import WANG_FANG


@pytest.fixture
def api(api_server: EmbeddedServer) -> Iterator[PaymentApi]:
    """A registered kiosk's client against the real mock API; backoff kept tiny."""
    client = PaymentApi(api_server.url, backoff_seconds=0.01, transport=loopback_transport())
    ensure_registered(client, CredentialStore(api_server.url), "test kiosk")
    yield client
    client.close()


@pytest.fixture
def wang_fang(api: PaymentApi) -> PaymentApi:
    api.sign_in(WANG_FANG.number, WANG_FANG.pin)
    return api
