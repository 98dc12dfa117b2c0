"""API contract tests: ``api_server`` is the run's one real server, reset before each test (tests/conftest.py)."""

from __future__ import annotations

import httpx
import pytest

from tests.api.helpers import Signed, sign_in
from tests.demo import WANG_FANG


@pytest.fixture
def wang_fang(http: httpx.Client) -> Signed:
    """Wang Fang, signed in at a newly registered kiosk of the (reset) mock API."""
    return sign_in(http, WANG_FANG)
