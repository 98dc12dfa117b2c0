"""Reference cycles holding Qt objects are freed on the GUI thread, never on a worker."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, Qt
from pytestqt.qtbot import QtBot

from ui.gui_thread_gc import GuiThreadCollector


@pytest.fixture(autouse=True)
def automatic_collection() -> Iterator[None]:
    """As in the kiosk before the collector starts: Python collects by itself (the test session
    itself collects only between tests, tests/conftest.py)."""
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_a_cycle_holding_a_qt_object_is_freed_on_the_gui_thread_not_by_a_busy_worker(qtbot: QtBot) -> None:
    collector = GuiThreadCollector(interval_ms=10)
    try:
        freed_on: list[int] = []
        orphan = QObject()
        orphan.setProperty("kind", "screen")
        orphan.itself = orphan  # type: ignore[attr-defined]  # a cycle: only the collector can free it
        orphan.destroyed.connect(lambda: freed_on.append(threading.get_ident()), Qt.ConnectionType.DirectConnection)
        del orphan
        kept: list[list[int]] = []
        # A worker that allocates as a bank call does: with automatic collection on, this is
        # where the cycle (and its Qt object) would be freed.
        worker = threading.Thread(target=lambda: kept.extend([i] for i in range(20_000)))
        worker.start()
        worker.join()
        assert freed_on == []
        qtbot.waitUntil(lambda: bool(freed_on), timeout=2000)
        assert freed_on == [threading.main_thread().ident]
    finally:
        collector.stop()


def test_stopping_hands_collection_back_to_python(qtbot: QtBot) -> None:
    assert gc.isenabled()
    collector = GuiThreadCollector()
    assert not gc.isenabled()
    collector.stop()
    assert gc.isenabled()
