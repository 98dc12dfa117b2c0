"""The device key lives in the keyring only; without one, in memory only, said once."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from client.api import PaymentApi
from client.credentials import NO_KEYRING_NOTICE, SERVICE, CredentialStore, ensure_registered
from mock_api.server import EmbeddedServer
from tests.demo import WANG_FANG
from tests.memory_keyring import MemoryKeyring


def test_registration_is_kept_in_the_keyring_and_reused(
    api_server: EmbeddedServer, isolated_environment: MemoryKeyring
) -> None:
    with PaymentApi(api_server.url) as api:
        first = ensure_registered(api, CredentialStore(api_server.url), "kiosk A")
    stored = isolated_environment.get_password(SERVICE, api_server.url)
    assert stored is not None and first.device_key in stored
    with PaymentApi(api_server.url) as again:
        second = ensure_registered(again, CredentialStore(api_server.url), "kiosk A")
        assert second == first
        assert again.sign_in(WANG_FANG.number, WANG_FANG.pin).customer.id == WANG_FANG.customer_id


def test_without_a_keyring_the_kiosk_still_works_and_says_so_once(
    api_server: EmbeddedServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    keyring.set_keyring(fail.Keyring())
    store = CredentialStore(api_server.url)
    with PaymentApi(api_server.url) as api:
        credentials = ensure_registered(api, store, "headless kiosk")
        assert api.sign_in(WANG_FANG.number, WANG_FANG.pin).customer.id == WANG_FANG.customer_id
    assert store.persistent is False
    assert store.notice == NO_KEYRING_NOTICE
    assert store.load() == credentials  # kept in memory for this run
    store.save(credentials)
    assert sum("no usable keyring" in r.getMessage() for r in caplog.records) == 1
    # Nothing secret was written anywhere under the kiosk's own directories.
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.suffix not in {".sqlite3", ".sqlite3-wal", ".sqlite3-shm"}:
            assert credentials.device_key not in path.read_text(errors="ignore")


def test_the_device_key_never_shows_in_a_repr(api_server: EmbeddedServer) -> None:
    with PaymentApi(api_server.url) as api:
        credentials = api.register_kiosk("kiosk B")
    assert credentials.device_key not in repr(credentials)
    assert credentials.device_key not in str(credentials)
