"""The pytest plugin (entry point ``pytest11``: ``calmpay``), loaded wherever CalmPay is installed.

Fixtures:
- ``calmpay_bank``: the mock bank, as new for each test (fresh demo data, no faults, its clock at
  10:00 in Beijing), with ``faults(...)``, ``advance_clock(...)``, ``now()``, ``reset()``; started once
  per run. With ``--calmpay-api-url URL``, another API that follows the contract instead.
- ``calmpay_settings``: the kiosk's settings (``--calmpay-elder`` / ``--calmpay-standard``,
  ``--calmpay-language``); override it in a conftest for more.
- ``calmpay_kiosk``: a kiosk window on that bank, on screen, with the keyboard focus.
- ``customer``: a :class:`calmpay.testing.driver.Customer` driving it by keyboard, in plain words.

A test that fails leaves a trace: one HTML file with the screens it passed through, the keys pressed,
what was spoken and the API calls (``--calmpay-trace-dir``, by default ``calmpay-traces`` beside the
run), named in the failure report.

Each test gets its own data and config folders and an in-memory keyring: nothing touches the
machine's. Qt runs offscreen unless ``QT_QPA_PLATFORM`` says otherwise.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from calmpay.testing.bank import Bank
    from calmpay.testing.driver import Customer
    from calmpay.testing.kiosk import Recorder
    from client.settings import KioskSettings
    from ui.main_window import MainWindow

LANGUAGES = ("en", "zh-Hans", "zh-Hant")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("calmpay", "CalmPay kiosk testing")
    group.addoption("--calmpay-api-url", default=None, help="test against this payment API, not the embedded mock")
    group.addoption("--calmpay-elder", dest="calmpay_elder", action="store_true", default=True, help="elder mode")
    group.addoption("--calmpay-standard", dest="calmpay_elder", action="store_false", help="standard mode")
    group.addoption("--calmpay-language", default="en", choices=LANGUAGES, help="the kiosk's language")
    group.addoption("--calmpay-trace-dir", default="calmpay-traces", help="where a failed test's trace is written")


def pytest_configure(config: pytest.Config) -> None:
    # Before any QApplication exists (pytest-qt makes it when a test first asks for it).
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # The embedded bank keeps its key in a keyring, and the kiosk its device key: a test run keeps
    # them in memory, never in the machine's keyring (programs it starts inherit this too).
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "calmpay.testing.memory_keyring.MemoryKeyring")


@pytest.fixture(scope="session")
def calmpay_bank_for_the_run(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bank]:
    from calmpay.testing.bank import Bank, api_client, bank_server

    url = pytestconfig.getoption("calmpay_api_url")
    if url:
        with api_client(url) as admin:
            bank = Bank(url, admin)
            yield bank
            bank.close()
        return
    db = tmp_path_factory.mktemp("calmpay-bank") / "bank.sqlite3"
    with bank_server(db) as server, api_client(server.url) as admin:
        bank = Bank(server.url, admin, server)
        yield bank
        bank.close()


@pytest.fixture
def calmpay_bank(calmpay_bank_for_the_run: Bank) -> Bank:
    calmpay_bank_for_the_run.reset()
    return calmpay_bank_for_the_run


@pytest.fixture
def calmpay_settings(pytestconfig: pytest.Config) -> KioskSettings:
    from client.settings import KioskSettings

    return KioskSettings(
        elder_mode_default=bool(pytestconfig.getoption("calmpay_elder")),
        default_language=str(pytestconfig.getoption("calmpay_language")),
        customer_language=False,  # the kiosk keeps the test's language when a customer signs in
    )


@pytest.fixture
def calmpay_isolation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The kiosk's data and config in the test's tmp folder, its keys in a keyring in memory."""
    import keyring

    from calmpay.testing.memory_keyring import MemoryKeyring

    monkeypatch.setenv("CALMPAY_DATA_DIR", str(tmp_path / "calmpay-data"))
    monkeypatch.setenv("CALMPAY_CONFIG_DIR", str(tmp_path / "calmpay-config"))
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def calmpay_recorder(request: pytest.FixtureRequest) -> Recorder:
    from calmpay.testing.kiosk import Recorder
    from calmpay.testing.trace import Trace

    return Recorder(Trace(request.node.nodeid, []))


@pytest.fixture
def calmpay_kiosk(
    qtbot: Any, calmpay_isolation: None, calmpay_bank: Bank, calmpay_settings: KioskSettings, calmpay_recorder: Recorder
) -> Iterator[MainWindow]:
    from calmpay.testing.kiosk import open_kiosk

    window, _speaker = open_kiosk(qtbot, calmpay_bank.url, calmpay_settings, recorder=calmpay_recorder)
    yield window
    window.bridge.wait_for_done(3000)


@pytest.fixture
def customer(
    qtbot: Any, calmpay_kiosk: MainWindow, calmpay_bank: Bank, calmpay_recorder: Recorder
) -> Iterator[Customer]:
    from calmpay.testing.driver import Customer
    from calmpay.testing.kiosk import checking_client

    assert calmpay_kiosk.kiosk is not None
    with checking_client(calmpay_bank.url, calmpay_kiosk.kiosk) as checker:
        speaker = calmpay_kiosk.speaker
        yield Customer(qtbot, calmpay_kiosk, checker, speaker, on_key=calmpay_recorder.key)  # type: ignore[arg-type]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    recorder = getattr(item, "funcargs", {}).get("calmpay_recorder")
    if report.when != "call" or not report.failed or recorder is None:
        return
    from calmpay.testing.trace import write_trace_html

    with contextlib.suppress(Exception):  # a window already gone: the trace has the screens before
        recorder.screenshot("when the test failed")
    folder = Path(str(item.config.getoption("calmpay_trace_dir")))
    if not folder.is_absolute():
        folder = Path(str(item.config.rootpath)) / folder
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid).strip("_")[:150] + ".html"
    path = write_trace_html(recorder.trace, folder / name, outcome="failed", failure=str(report.longrepr))
    report.sections.append(("calmpay trace", f"The screens, keys, speech and API calls: {path}"))
