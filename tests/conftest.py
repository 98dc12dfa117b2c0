"""Shared fixtures. Qt runs offscreen; no test touches the real keyring, config or data dirs."""

from __future__ import annotations

import os

# Before any QApplication exists (pytest-qt creates it lazily).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import httpx
import keyring
import pytest

from mock_api.server import EmbeddedServer
from tests.bank import bank_server
from tests.fakes import MemoryKeyring


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    """Data and config go to tmp; the keyring is an in-memory one, fresh for each test."""
    monkeypatch.setenv("CALMPAY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CALMPAY_CONFIG_DIR", str(tmp_path / "config"))
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


@pytest.fixture
def api_server(tmp_path: Path) -> Iterator[EmbeddedServer]:
    """The real mock API over real HTTP on loopback, with a fresh seeded database; its clock at 10:00 in Beijing."""
    server = bank_server(tmp_path / "bank.sqlite3").start()
    yield server
    server.stop()


@pytest.fixture
def http(api_server: EmbeddedServer) -> Iterator[httpx.Client]:
    """A plain HTTP client pointed at the mock API (for contract tests that bypass client/)."""
    with httpx.Client(base_url=api_server.url, timeout=10) as client:
        yield client
