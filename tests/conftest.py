"""Shared fixtures. Qt runs offscreen; no test touches the real keyring, config or data dirs."""

from __future__ import annotations

import gc
import os
import sys

# Before any QApplication exists (pytest-qt creates it lazily).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Programs a test starts (the kiosk, a bank in a process of its own) inherit this: each keeps its
# secrets in a keyring of its own in memory, never the machine's. A test of the real keyring
# starts a Secret Service of its own and leaves this out (tests/desktop.py).
os.environ["PYTHON_KEYRING_BACKEND"] = "tests.memory_keyring.MemoryKeyring"

from collections.abc import Iterator
from pathlib import Path

import httpx
import keyring
import pytest

import mock_api.values
from calmpay.testing.bank import Bank
from mock_api.server import EmbeddedServer
from tests.api.helpers import api_client
from tests.audit_run import AUDIT_RUN, start_audit
from tests.audit_run import TEST_NAME as AUDIT_TEST
from tests.memory_keyring import MemoryKeyring
from tests.secrets_scan import record_issued_secrets


def pytest_collection_finish(session: pytest.Session) -> None:
    """The whole audit takes minutes of one core: it starts now, beside the other tests."""
    if any(item.name == AUDIT_TEST for item in session.items):
        session.config.stash[AUDIT_RUN] = start_audit()
    collect_and_freeze()


def pytest_runtest_logfinish() -> None:
    """After each test, once pytest has let go of its fixtures' values (between tests, on the GUI thread)."""
    collect_and_freeze()


def collect_and_freeze() -> None:
    """Collect the garbage, and freeze what is still alive out of later collections.

    What outlives a test outlives the run: modules, tables loaded on first use (pypinyin's phrases
    alone are 190,000 objects), the libraries' caches, the session's bank. Left in the collector,
    each of the two full collections after a Qt test (below) walked all of it again: a tenth of a
    second at the start of a run, a fifth by its middle. Frozen, they look only at what the test made."""
    gc.collect()
    gc.freeze()


def pytest_unconfigure(config: pytest.Config) -> None:
    run = config.stash.get(AUDIT_RUN, None)
    if run is not None:  # a run stopped before its test: the audit stops too
        run.stop()


# The bank hashes PINs with PBKDF2 at a cost that slows down guessing (mock_api.values.PIN_ITERATIONS:
# 5 ms a hash). The tests' banks hash seven demo PINs at every reset and one at every sign-in, so in
# this process they use a twentieth of it: the same PBKDF2 with its salts, fewer rounds. Banks in
# programs of their own (a kiosk started as a program, the audit) keep the full cost.
mock_api.values.PIN_ITERATIONS = 1_000

# Every token and device key the bank hands out in this run, for the scan at the end (tests/test_secrets_scan.py).
record_issued_secrets()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``after_the_suite`` run last: after everything whose files they check, or after
    everything that ran beside the work whose answer they read (the audit)."""
    last = [item for item in items if item.get_closest_marker("after_the_suite")]
    items[:] = [item for item in items if item not in last] + last


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


# Python's cycle collector runs only between tests, on the main (GUI) thread: left to itself it
# starts in whichever thread allocates (a bank server thread, a bridge worker) or in the middle of
# a Qt event, and a Qt object it frees there crashes Qt at random. The kiosk does the same with a
# GUI-thread timer (ui.gui_thread_gc).
gc.disable()


@pytest.fixture(autouse=True)
def qt_objects_freed_on_the_gui_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test's windows are destroyed when it ends, here, on the GUI thread, and garbage is collected.

    pytest-qt closes them and asks Qt to delete them later, but "later" is the next event loop,
    and a window in a reference cycle (screens and window point at each other) must not wait for
    a collection somewhere else meanwhile."""
    yield
    qt_core = sys.modules.get("PySide6.QtCore")
    uses_qt = {"qtbot", "qapp"} & set(request.fixturenames)
    if uses_qt and qt_core is not None and qt_core.QCoreApplication.instance() is not None:
        # Garbage first: widgets the test let go of (lists rebuilt on a screen) are freed by Python,
        # and only then does Qt delete what it was asked to. The other way round crashed at random
        # while Qt deleted a row's labels (1 in 15 runs of the voice test under glibc's memory
        # checks; 0 in 16 this way).
        gc.collect()
        qt_core.QCoreApplication.sendPostedEvents(None, qt_core.QEvent.Type.DeferredDelete)
        gc.collect()
    else:
        gc.collect(1)  # the young generations: cheap; the oldest is collected after Qt tests


@pytest.fixture(scope="session")
def shared_api_server(calmpay_bank_for_the_run: Bank) -> tuple[EmbeddedServer, httpx.Client]:
    """The one mock API server of the run (the plugin's, calmpay.testing), and an admin client to reset it."""
    assert calmpay_bank_for_the_run.server is not None, "CalmPay's own suite runs on the embedded mock bank"
    return calmpay_bank_for_the_run.server, calmpay_bank_for_the_run.admin


@pytest.fixture
def api_server(calmpay_bank: Bank) -> EmbeddedServer:
    """The real mock API over real HTTP on loopback, as a new one: a freshly seeded database, no
    faults, its clock at 10:00 in Beijing.

    Starting and stopping uvicorn for each test cost more than most tests, so one server runs for
    the whole session and each test gets it back in the state of a new one (calmpay.testing.bank:
    as_new). Tests that need another risk configuration or clock, or a bank of their own, start their
    own (tests/bank.py: bank_server)."""
    assert calmpay_bank.server is not None, "CalmPay's own suite runs on the embedded mock bank"
    return calmpay_bank.server


@pytest.fixture
def calmpay_isolation() -> None:
    """The plugin's isolation is this suite's own (``isolated_environment``, for every test)."""


@pytest.fixture
def http(api_server: EmbeddedServer) -> Iterator[httpx.Client]:
    """A plain HTTP client pointed at the mock API (for contract tests that bypass client/)."""
    with api_client(api_server.url) as client:
        yield client
