"""The acceptance scan (issue 13): after the run, no file it left holds a PIN, token, device key, bank key or
full card number in clear. It runs after every other test of the run (tests/conftest.py moves it
last), over everything under pytest's base temporary directory: every test's bank database (and
its write-ahead log), kiosk data and config directories, receipts and logs live there (see the
``isolated_environment`` fixture). Run with a subset (-k), it scans what that subset left."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.secrets_scan import ISSUED, IssuedSecrets, scan


@pytest.mark.after_the_suite
def test_no_secret_in_clear_in_any_file_the_run_left(tmp_path_factory: pytest.TempPathFactory) -> None:
    findings, files = scan([tmp_path_factory.getbasetemp()], ISSUED)

    print(
        f"scanned {files} files for {len(ISSUED.tokens)} tokens, {len(ISSUED.handoff_tokens)} handoff tokens,"
        f" {len(ISSUED.device_keys)} device keys, {len(ISSUED.bank_keys)} bank keys"
    )
    assert not findings, "\n".join(map(str, findings))


def test_the_scan_finds_planted_secrets(tmp_path: Path) -> None:
    bank_key = bytes(range(32))
    issued = IssuedSecrets(
        tokens={"planted-token-4nQ2kVx9ZrT7"},
        handoff_tokens={"planted-handoff-Wd5Yt2Rk8Jc"},
        device_keys={"planted-device-key-Lm3P8wQs"},
        bank_keys={bank_key},
    )
    planted = tmp_path / "planted"
    (planted / "data").mkdir(parents=True)
    try:
        with sqlite3.connect(planted / "bank.sqlite3") as conn:
            conn.execute("CREATE TABLE stored (body TEXT)")
            conn.execute("INSERT INTO stored VALUES (?)", ('{"token": "planted-token-4nQ2kVx9ZrT7"}',))
        conn.close()
        (planted / "server.log").write_text('POST /v1/sessions {"card_number": "x", "pin": "2468"}\n')
        (planted / "data" / "kiosk.json").write_text('{"device_key": "planted-device-key-Lm3P8wQs"}')
        (planted / "data" / "receipt.txt").write_text("Card 6222 0200 0000 0001\n")
        # A "continue on your phone" link: the token inside it, with no name beside it.
        (planted / "data" / "shown.txt").write_text("https://calmpay.example/continue/planted-handoff-Wd5Yt2Rk8Jc\n")
        # A token from a bank this process did not start: found by its name.
        (planted / "data" / "replay.json").write_text('{"token": "Zk3vQ9rT2mX8pL5wN7bC4dF6gH1jK0sA_yU-eRiOqWz"}')
        # The bank's key in a file beside its database (as bytes), and copied out as text.
        (planted / "bank.sqlite3.key").write_bytes(bank_key)
        (planted / "data" / "notes.txt").write_text(f"bank key {bank_key.hex()}\n")
        (planted / "data" / "clean.txt").write_text("Card ending 0001; pin_incorrect; PIN: ****\n")

        findings, files = scan([planted], issued)

        assert files == 9
        assert sorted((f.path.name, f.what) for f in findings) == [
            ("bank.sqlite3", "a session token"),
            ("bank.sqlite3.key", "a bank key"),
            ("bank.sqlite3.key", "a key file beside a database"),
            ("kiosk.json", "a device key"),
            ("notes.txt", "a bank key"),
            ("receipt.txt", "a full card number"),
            ("replay.json", "a token or key next to its name"),
            ("server.log", "a PIN next to its name"),
            ("shown.txt", "a handoff token"),
        ]
    finally:  # the run's own scan must not find what this test planted
        for path in sorted(planted.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
