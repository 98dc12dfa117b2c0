"""The kiosk's device key, kept in the OS keyring and nowhere else.

Without a usable keyring (a headless machine raises NoKeyringError) the key is kept in
memory for this run only: the kiosk registers again at its next start. It never falls back
to a plain file. That is for staff, not customers: it is logged once at WARNING (with
:data:`NO_KEYRING_NOTICE`), and no customer screen shows it.
"""

from __future__ import annotations

import contextlib
import json
import logging

import keyring
from keyring.errors import KeyringError

from client.api import PaymentApi
from client.models import KioskCredentials

log = logging.getLogger("calmpay.credentials")

SERVICE = "CalmPay kiosk"
NO_KEYRING_NOTICE = (
    "No system keyring is available. This kiosk's registration is kept in memory only "
    "and will be made again at the next start. Nothing secret is written to disk."
)


class CredentialStore:
    """Device credentials per bank (a kiosk may talk to a test and a live API): by the API's
    address, or by ``account`` where the address changes from start to start (the embedded mock
    bank takes a free port each time; its database says which bank it is)."""

    def __init__(self, api_url: str, *, account: str | None = None, use_keyring: bool = True) -> None:
        self.account = account or api_url.rstrip("/")
        self.persistent = use_keyring  # False: memory only (staging, audits), by choice, no notice
        self.notice: str | None = None
        self._memory: KioskCredentials | None = None

    def load(self) -> KioskCredentials | None:
        if self._memory is not None or not self.persistent:
            return self._memory
        try:
            stored = keyring.get_password(SERVICE, self.account)
        except KeyringError as error:
            self._lose_keyring(error)
            return None
        if not stored:
            return None
        try:
            credentials = KioskCredentials.model_validate(json.loads(stored))
        except ValueError:
            log.warning("the stored kiosk credentials are unreadable; registering again")
            return None
        log.info("kiosk %s: its registration is read from the keyring", credentials.kiosk_id)
        self._memory = credentials
        return credentials

    def save(self, credentials: KioskCredentials) -> None:
        self._memory = credentials
        if not self.persistent:
            return
        try:
            keyring.set_password(SERVICE, self.account, credentials.model_dump_json())
        except KeyringError as error:
            self._lose_keyring(error)

    def forget(self) -> None:
        self._memory = None
        if self.persistent:
            with contextlib.suppress(KeyringError):
                keyring.delete_password(SERVICE, self.account)

    def _lose_keyring(self, error: Exception) -> None:
        if self.persistent:
            log.warning("no usable keyring (%s). For staff: %s", type(error).__name__, NO_KEYRING_NOTICE)
        self.persistent = False
        self.notice = NO_KEYRING_NOTICE


def ensure_registered(api: PaymentApi, store: CredentialStore, label: str) -> KioskCredentials:
    """Load this kiosk's credentials, or register it with the API and keep them."""
    credentials = store.load()
    if credentials is None:
        credentials = api.register_kiosk(label)
        store.save(credentials)
        kept = "in the keyring" if store.persistent else "in memory for this run"
        log.info("kiosk %s registered with the bank; its key is kept %s", credentials.kiosk_id, kept)
    api.use_kiosk(credentials)
    return credentials


def register_again(api: PaymentApi, store: CredentialStore, label: str) -> KioskCredentials:
    """The API no longer knows this kiosk (its database was reset): register afresh."""
    store.forget()
    return ensure_registered(api, store, label)
