"""A keyring that lives in a dict, so tests never read or write the real one.

Light on purpose (``keyring`` only): programs a test starts (the kiosk, a bank in a process of its
own) can load it by name through ``PYTHON_KEYRING_BACKEND=calmpay.testing.memory_keyring.MemoryKeyring``,
each its own, empty, for its life.
"""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in a dict, so tests never read or write the real one."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.secrets:
            raise PasswordDeleteError(username)
        del self.secrets[(service, username)]
