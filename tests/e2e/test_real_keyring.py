"""The kiosk's device key and its mock bank's key in a real Secret Service keyring (gnome-keyring),
as on a kiosk.

Each start is the real kiosk (``main.py`` with its embedded bank) in a D-Bus session of its own
with ``gnome-keyring-daemon --unlock --components=secrets``, as the README says a kiosk runs it;
between starts the session and the keyring daemon end too (the machine restarts), and the keyring
is unlocked again from its file with the same password. Nothing of the machine's own keyring or
session is used.

1. First start: the kiosk registers; its key is in the keyring and nowhere else in clear. The
   embedded bank (a process of its own, in the same session) keeps its key there too.
2. Restart: the keys come from the keyring; no new registration, the bank's key is the same.
3. The keyring wiped: a clean new registration, kept in the new keyring, that the bank accepts; the
   bank makes a new key and re-keys its database, and a demo card still signs in.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import secretstorage
from jeepney.io.blocking import open_dbus_connection

from client.api import PaymentApi
from client.credentials import SERVICE
from client.models import KioskCredentials
from mock_api.db import KEY_CHECK_TEXT, KEYRING_SERVICE
from mock_api.values import keyed_hash
from tests.demo import WANG_FANG
from tests.desktop import dbus_session, kiosk_process, private_home

PASSWORD = "kiosk keyring test password"  # what the kiosk's boot hands gnome-keyring (README)
UNLOCK = 'printf %s "$CALMPAY_KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null'
REGISTERED = "registered with the bank; its key is kept in the keyring"
FROM_KEYRING = "its registration is read from the keyring"
BANK_URL = re.compile(r"embedded mock API starting on (http://\S+)")
REKEYED = "re-keyed with a new key"


@dataclass
class Start:
    log: str
    keyring: dict[str, KioskCredentials] = field(default_factory=dict)  # account -> what is kept
    bank_keys: dict[str, bytes] = field(default_factory=dict)  # the bank's key, by its database
    bank_log: str = ""  # what the bank logged in this start


@dataclass
class Kiosk:
    base: Path
    starts: list[Start] = field(default_factory=list)

    @property
    def database(self) -> Path:
        return self.base / "data" / "mock-bank.sqlite3"

    def registered_kiosks(self) -> list[str]:
        with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True) as db:
            return [row[0] for row in db.execute("SELECT id FROM kiosks ORDER BY created_at")]


def kept_in_keyring(address: str) -> dict[str, KioskCredentials]:
    """The kiosk's items in the Secret Service, read as any client of it would."""
    with open_dbus_connection(bus=address) as connection:
        return {
            item.get_attributes()["username"]: KioskCredentials.model_validate_json(item.get_secret())
            for item in secretstorage.search_items(connection, {"service": SERVICE})
        }


def bank_keys_in_keyring(address: str) -> dict[str, bytes]:
    with open_dbus_connection(bus=address) as connection:
        return {
            item.get_attributes()["username"]: bytes.fromhex(item.get_secret().decode())
            for item in secretstorage.search_items(connection, {"service": KEYRING_SERVICE})
        }


def start_kiosk(kiosk: Kiosk, number: int) -> Start:
    """Start the machine's session, its keyring and the kiosk; stop all three once the kiosk says
    where its registration came from. The bank accepts the key kept (a customer signs in)."""
    env = private_home(kiosk.base)
    log = kiosk.base / f"kiosk-{number}.log"
    bank_log = kiosk.base / "data" / "mock-api.log"  # main.py's, appended at every start
    bank_logged_before = bank_log.stat().st_size if bank_log.exists() else 0
    with dbus_session({**env, "CALMPAY_KEYRING_PASSWORD": PASSWORD}, kiosk.base / "session.log", first=UNLOCK) as bus:
        env.update(DBUS_SESSION_BUS_ADDRESS=bus, QT_QPA_PLATFORM="offscreen")
        with kiosk_process(env, log, "--log-level", "info") as running:
            running.wait_for_output(
                f"start {number}: the kiosk registered or read from the keyring",
                lambda said: REGISTERED in said or FROM_KEYRING in said,
                timeout=60,
            )
            kept = kept_in_keyring(bus)
            bank_keys = bank_keys_in_keyring(bus)
            bank_url = BANK_URL.search(log.read_text())
            assert bank_url is not None and kept
            for credentials in kept.values():
                with PaymentApi(bank_url.group(1)) as api:
                    api.use_kiosk(credentials)
                    assert api.sign_in(WANG_FANG.number, WANG_FANG.pin).customer.id == WANG_FANG.customer_id
    start = Start(log.read_text(), kept, bank_keys, bank_log.read_bytes()[bank_logged_before:].decode())
    kiosk.starts.append(start)
    return start


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kiosk]:
    kiosk = Kiosk(tmp_path_factory.mktemp("kiosk"))
    start_kiosk(kiosk, 1)
    start_kiosk(kiosk, 2)  # restarted: the session and keyring daemon too
    keyrings = kiosk.base / "home" / ".local" / "share" / "keyrings"
    assert (keyrings / "login.keyring").is_file()  # where gnome-keyring keeps it, encrypted
    for stored in keyrings.iterdir():
        stored.unlink()  # the keyring wiped (a reinstalled system); the bank's database stays
    start_kiosk(kiosk, 3)
    yield kiosk


def files_holding(base: Path, secret: str, *, but: tuple[Path, ...] = ()) -> list[Path]:
    return [
        path for path in base.rglob("*") if path.is_file() and path not in but and secret.encode() in path.read_bytes()
    ]


@pytest.mark.slow
def test_the_device_key_is_kept_in_the_secret_service_and_nowhere_else(kiosk: Kiosk) -> None:
    first = kiosk.starts[0]
    assert REGISTERED in first.log
    ((account, credentials),) = first.keyring.items()
    assert account.startswith("embedded mock API ") and account.endswith("mock-bank.sqlite3")
    # No file the kiosk, its bank or the keyring wrote holds the key in clear: not the settings, the
    # logs, the receipts, the keyring's own file (encrypted). The bank's database is the next test's.
    database = kiosk.database
    wal = (database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm"))
    assert files_holding(kiosk.base, credentials.device_key, but=(database, *wal)) == []
    assert not any(credentials.device_key in start.log for start in kiosk.starts)


@pytest.mark.slow
def test_the_bank_database_holds_no_device_key_in_clear(kiosk: Kiosk) -> None:
    database = kiosk.database
    files = (database, database.with_name(database.name + "-wal"))
    for start in kiosk.starts:
        for credentials in start.keyring.values():
            assert [
                path.name for path in files if path.exists() and credentials.device_key.encode() in path.read_bytes()
            ] == []


@pytest.mark.slow
def test_a_restarted_kiosk_uses_the_key_from_the_keyring_and_does_not_register_again(kiosk: Kiosk) -> None:
    first, second = kiosk.starts[0], kiosk.starts[1]
    assert REGISTERED not in second.log, "the restarted kiosk registered again"
    assert FROM_KEYRING in second.log
    assert second.keyring == first.keyring  # the same one item: nothing added at the restart
    assert "POST /v1/kiosks" not in "\n".join(line for line in second.log.splitlines() if "HTTP Request" in line)


@pytest.mark.slow
def test_a_wiped_keyring_leads_to_a_clean_new_registration(kiosk: Kiosk) -> None:
    first, third = kiosk.starts[0], kiosk.starts[2]
    assert REGISTERED in third.log and FROM_KEYRING not in third.log
    (old,) = first.keyring.values()
    (new,) = third.keyring.values()  # one item: the new registration, nothing left of the old
    assert new.kiosk_id != old.kiosk_id and new.device_key != old.device_key
    assert kiosk.registered_kiosks()[-1] == new.kiosk_id
    assert len(kiosk.registered_kiosks()) == 2  # the first start's and this one: none at the restart


def files_holding_bytes(base: Path, forms: tuple[bytes, ...]) -> list[Path]:
    return [path for path in base.rglob("*") if path.is_file() and any(form in path.read_bytes() for form in forms)]


@pytest.mark.slow
def test_the_bank_key_is_kept_in_the_secret_service_and_in_no_file(kiosk: Kiosk) -> None:
    first = kiosk.starts[0]
    ((account, key),) = first.bank_keys.items()
    assert account == str(kiosk.database.resolve())
    assert len(key) == 32
    assert list(kiosk.base.rglob("*.key")) == []
    for start in kiosk.starts:  # not in the database, its logs, the kiosk's files, the keyring's own file
        for each in start.bank_keys.values():
            assert files_holding_bytes(kiosk.base, (each, each.hex().encode(), each.hex().upper().encode())) == []
    # The database keeps a check value of the key it was last opened with, never the key.
    (last,) = kiosk.starts[-1].bank_keys.values()
    with sqlite3.connect(f"file:{kiosk.database}?mode=ro", uri=True) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'key_check'").fetchone() == (
            keyed_hash(last, KEY_CHECK_TEXT),
        )


@pytest.mark.slow
def test_a_restarted_bank_uses_its_key_from_the_keyring(kiosk: Kiosk) -> None:
    first, second = kiosk.starts[0], kiosk.starts[1]
    assert second.bank_keys == first.bank_keys
    assert REKEYED not in first.bank_log + second.bank_log


@pytest.mark.slow
def test_a_wiped_keyring_leads_the_bank_to_a_new_key_and_its_demo_cards_still_sign_in(kiosk: Kiosk) -> None:
    first, third = kiosk.starts[0], kiosk.starts[2]
    assert third.bank_keys.keys() == first.bank_keys.keys()
    assert third.bank_keys != first.bank_keys
    assert REKEYED in third.bank_log  # said in the bank's log, for staff
    # Wang Fang signed in at every start (start_kiosk), the third with the new key.
