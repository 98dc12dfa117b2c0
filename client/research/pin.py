"""The researcher's PIN, which opens the researcher's console: kept in the OS keyring as a salted
hash (PBKDF2), never as the PIN and never in a file.

Without a usable keyring the console cannot keep a PIN: it asks for a new one at each start and says
so (to the researcher and in the log); nothing is written to disk instead.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets

import keyring
from keyring.errors import KeyringError

log = logging.getLogger("calmpay.research")

SERVICE = "CalmPay research"
ACCOUNT = "researcher PIN"
ITERATIONS = 200_000
MIN_DIGITS, MAX_DIGITS = 4, 12
TRIES = 5


class PinError(ValueError):
    """A PIN that cannot be used: ``code`` is ``length``, ``mismatch`` or ``easy`` (the console
    words it in its language)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _hash(pin: str, salt: bytes, iterations: int) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, iterations)


def check_new_pin(pin: str, again: str) -> None:
    if not (pin.isdigit() and MIN_DIGITS <= len(pin) <= MAX_DIGITS):
        raise PinError("length", f"A PIN is {MIN_DIGITS} to {MAX_DIGITS} digits.")
    if pin != again:
        raise PinError("mismatch", "The two PINs are not the same.")
    if len(set(pin)) == 1 or pin in "01234567890" or pin in "98765432109":
        raise PinError("easy", "That PIN is too easy to guess (all one digit, or digits in a row).")


class ResearcherPin:
    def __init__(self, *, iterations: int = ITERATIONS) -> None:
        self.iterations = iterations
        self.keyring_missing = False
        self._memory: str | None = None  # the hash, when there is no keyring (this run only)
        self.tries_left = TRIES

    def _stored(self) -> str | None:
        if self._memory is not None:
            return self._memory
        try:
            return keyring.get_password(SERVICE, ACCOUNT)
        except KeyringError as error:
            self._no_keyring(error)
            return None

    @property
    def is_set(self) -> bool:
        return self._stored() is not None

    def set(self, pin: str, again: str) -> None:
        check_new_pin(pin, again)
        salt = secrets.token_bytes(16)
        stored = f"pbkdf2-sha256${self.iterations}${salt.hex()}${_hash(pin, salt, self.iterations).hex()}"
        try:
            keyring.set_password(SERVICE, ACCOUNT, stored)
        except KeyringError as error:
            self._no_keyring(error)
            self._memory = stored
        self.tries_left = TRIES
        log.info("the researcher PIN was set")

    def check(self, pin: str) -> bool:
        """Whether ``pin`` is the researcher's PIN; after five wrong ones, nothing opens this run."""
        stored = self._stored()
        if stored is None or self.tries_left <= 0:
            return False
        try:
            _scheme, iterations, salt, expected = stored.split("$")
            good = hmac.compare_digest(_hash(pin, bytes.fromhex(salt), int(iterations)).hex(), expected)
        except ValueError:
            log.warning("the stored researcher PIN is unreadable; set a new one")
            return False
        if good:
            self.tries_left = TRIES
        else:
            self.tries_left -= 1
            log.info("a wrong researcher PIN (%d tries left)", self.tries_left)
        return good

    def _no_keyring(self, error: Exception) -> None:
        if not self.keyring_missing:
            log.warning("no system keyring (%s): the researcher PIN is kept in memory for this run only", error)
        self.keyring_missing = True
