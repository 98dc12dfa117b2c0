"""The acceptance scan: after a test run, no PIN, token, device key, bank key or full card number in
clear in any file the run left (databases and their logs, kiosk data and config directories, logs).

The bank's secrets are recorded as the bank hands them out (:func:`record_issued_secrets` wraps the
bank's sign-in, reissue, kiosk registration and handoffs ("continue on your phone"), and the opening
of its database for the bank's own key), in this process's memory only, never in a file. Servers
this process starts are embedded in it, so every token, device key and bank key they hold is known
and looked for wherever it is. A bank in a subprocess (a kiosk started as a program) is not
recorded: its tokens and keys are found by their names (TOKEN_IN_CLEAR), and a key file beside a
database by its name (``<database>.key``).
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mock_api import seed
from mock_api.bank.handoffs import Handoffs
from mock_api.bank.sessions import Sessions
from mock_api.db import Database

# A PIN written next to its name: a JSON field, a query parameter, a log line ("pin": "1234", pin=1234, PIN 1234).
PIN_IN_CLEAR = re.compile(rb"(?i)(?<![a-z0-9_])pin(?![a-z0-9_])[\"']?\s{0,2}[:=]?\s{0,2}[\"']?(\d{4,12})(?!\d)")
# A token or device key written next to its name, whoever issued it (a bank in a subprocess too):
# the bank's are 43 URL-safe characters (secrets.token_urlsafe(32)).
TOKEN_IN_CLEAR = re.compile(
    rb"(?i)(?<![a-z0-9_])(token|device_key|kiosk[-_]key|bearer)(?![a-z0-9_])[\"']?\s{0,2}[:=]?\s{0,2}[\"']?"
    rb"[A-Za-z0-9_-]{32,}"
)
CARD_DIGITS = re.compile(r"\d{12,19}")


@dataclass
class IssuedSecrets:
    """What the bank handed out, and the card numbers it was given, during the run."""

    tokens: set[str] = field(default_factory=set)
    handoff_tokens: set[str] = field(default_factory=set)
    device_keys: set[str] = field(default_factory=set)
    card_numbers: set[str] = field(default_factory=set)
    bank_keys: set[bytes] = field(default_factory=set)

    def needles(self) -> dict[bytes, str]:
        """Each secret's bytes as a file would hold them, and what it is (never the secret itself)."""
        found: dict[bytes, str] = {}
        kinds = (
            ("a session token", self.tokens),
            ("a handoff token", self.handoff_tokens),
            ("a device key", self.device_keys),
        )
        for kind, values in kinds:
            found.update({value.encode(): kind for value in values})
        for key in self.bank_keys:  # as bytes (a key file), as text (hexadecimal, as the keyring keeps it)
            found.update(
                {key: "a bank key", key.hex().encode(): "a bank key", key.hex().upper().encode(): "a bank key"}
            )
        cards = self.card_numbers | {customer.card for customer in seed.DEMO_CUSTOMERS}
        for number in cards:
            grouped = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
            found.update({number.encode(): "a full card number", grouped.encode(): "a full card number"})
        return found


ISSUED = IssuedSecrets()


def record_issued_secrets(issued: IssuedSecrets = ISSUED) -> None:
    """Wrap the bank's operations that hand out or take secrets, to note them (once per process)."""
    if getattr(Sessions, "_secrets_recorded", False):
        return

    def signed_in(args: tuple[Any, ...], session: Any) -> None:
        card_number = args[2]  # (conn, kiosk, card number, PIN): a PIN is found by its name (PIN_IN_CLEAR)
        if CARD_DIGITS.fullmatch(card_number):
            issued.card_numbers.add(card_number)
        if session is not None:
            issued.tokens.add(session.token)

    _wrap("sign_in", signed_in)
    _wrap("reissue_session", lambda _args, token: token is not None and issued.tokens.add(token))
    _wrap("register_kiosk", lambda _args, made: made is not None and issued.device_keys.add(made.device_key))
    _wrap("create_handoff", lambda _args, made: made is not None and issued.handoff_tokens.add(made.token), Handoffs)
    _record_bank_keys(issued)
    Sessions._secrets_recorded = True  # type: ignore[attr-defined]


def _record_bank_keys(issued: IssuedSecrets) -> None:
    """Note the key of every bank database opened in this process."""
    real = Database.__init__

    @functools.wraps(real)
    def opening(self: Database, *args: Any, **kwargs: Any) -> None:
        real(self, *args, **kwargs)
        issued.bank_keys.add(self.key)

    Database.__init__ = opening  # type: ignore[method-assign]


def _wrap(name: str, note: Callable[[tuple[Any, ...], Any], object], owner: type = Sessions) -> None:
    """``note(arguments, result)`` after each call of the bank's ``name`` (result None if it refused),
    a method of the bank's part ``owner``."""
    real = getattr(owner, name)

    @functools.wraps(real)
    def recording(self: Any, *args: Any) -> Any:
        try:
            result = real(self, *args)
        except BaseException:
            note(args, None)
            raise
        note(args, result)
        return result

    setattr(owner, name, recording)


@dataclass(frozen=True)
class Finding:
    path: Path
    what: str

    def __str__(self) -> str:
        return f"{self.path}: {self.what}"


def scan(roots: Iterable[Path], issued: IssuedSecrets) -> tuple[list[Finding], int]:
    """Every file under ``roots`` holding a secret in clear, and how many files were read.

    Files are read as bytes: a SQLite database, its write-ahead log and journal, a log, a JSON
    file or a receipt all keep text as its UTF-8 bytes. A database is read once more through
    SQLite, so a value kept in a page of the write-ahead log is seen as the database shows it.
    """
    needles = issued.needles()
    findings: list[Finding] = []
    files = 0
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
            try:
                contents = [path.read_bytes()]
            except FileNotFoundError:
                continue  # gone since listed: a write-ahead log a closing database removed
            files += 1
            if contents[0].startswith(b"SQLite format 3\x00"):
                contents.append(_database_text(path))
            if path.suffix == ".key" and path.with_suffix("").is_file():
                findings.append(Finding(path, "a key file beside a database"))
            for data in contents:
                findings += [Finding(path, what) for needle, what in needles.items() if needle in data]
                findings += [Finding(path, "a PIN next to its name") for _ in PIN_IN_CLEAR.finditer(data)]
                findings += [Finding(path, "a token or key next to its name") for _ in TOKEN_IN_CLEAR.finditer(data)]
    return sorted(set(findings), key=str), files


def _database_text(path: Path) -> bytes:
    """Every value of every table, as text (read only: the run's database is left as it is)."""
    values: list[bytes] = []
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return b""
    try:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):  # names from sqlite_master
                values += [v if isinstance(v, bytes) else str(v).encode() for v in row if v is not None]
    except sqlite3.Error:
        pass  # a database being written by a server still running is read as bytes only
    finally:
        conn.close()
    return b"\n".join(values)
