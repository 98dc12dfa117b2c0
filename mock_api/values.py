"""How the bank writes its values: ids, stored timestamps, hashed secrets.

Shared by the bank and the demo data (:mod:`mock_api.seed`), so neither has to import the other.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

PIN_ITERATIONS = 20_000
# The bank's hotline as its text messages give it: a fictional number that can be dialled from
# anywhere (a mainland 400 number cannot be dialled from abroad). The kiosk's copy is
# client.bank_contact.HOTLINE_ABROAD; a test keeps the two the same.
BANK_HOTLINE = "+86-21-6880-5588"


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


def iso(moment: datetime) -> str:
    """Fixed-width UTC text, so string order is time order in SQL."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def hash_pin(pin: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, PIN_ITERATIONS)


def hash_secret(secret: str) -> str:
    """For random secrets (tokens, device keys): too long to guess, so a plain hash keeps them."""
    return hashlib.sha256(secret.encode()).hexdigest()


def keyed_hash(key: bytes, text: str) -> str:
    """For guessable values (card numbers, bodies holding a PIN): without the bank's key, a guess
    cannot be checked against the stored hash."""
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def last4(number: str) -> str:
    return number[-4:]
