"""API contract tests share one real server and reset it before each test.

``api_server`` keeps the meaning it has in tests/conftest.py (the real mock API over real HTTP,
freshly seeded for each test), but starting and stopping uvicorn for every test costs more
than the tests themselves. So one server runs for the whole session and each test gets it
back in the state of a new one: the clock back at the fixed moment every test starts from, the
database reseeded (POST /v1/admin/reset) and no faults. Tests that need another risk
configuration or clock start their own server (tests/bank.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from mock_api.config import ORDINARY_MOMENT
from mock_api.schemas import Faults
from mock_api.server import EmbeddedServer
from tests.api.helpers import Signed, api_client, sign_in
from tests.bank import bank_server
from tests.demo import WANG_FANG


@pytest.fixture(scope="session")
def shared_api_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmbeddedServer, httpx.Client]]:
    with bank_server(tmp_path_factory.mktemp("api") / "bank.sqlite3") as server, api_client(server.url) as admin:
        yield server, admin


@pytest.fixture
def api_server(shared_api_server: tuple[EmbeddedServer, httpx.Client]) -> EmbeddedServer:
    server, admin = shared_api_server
    server.app.state.faults.update(Faults())
    server.app.state.bank.clock.restart(ORDINARY_MOMENT)
    assert admin.post("/v1/admin/reset").status_code == 204
    return server


@pytest.fixture
def http(api_server: EmbeddedServer) -> Iterator[httpx.Client]:
    """As in tests/conftest.py: a plain HTTP client pointed at the (reset) mock API."""
    with api_client(api_server.url) as http:
        yield http


@pytest.fixture
def wang_fang(http: httpx.Client) -> Signed:
    """Wang Fang, signed in at a newly registered kiosk of the (reset) mock API."""
    return sign_in(http, WANG_FANG)
