"""The soak: one customer after another through the real window, by keyboard, and what each one
leaves behind. Shared by tests/e2e/test_soak.py (a few dozen customers, in CI) and
bench/soak_bench.py (a thousand, with the memory curve).

A customer's visit is one of three, in turn:
- Wang Fang pays Li Mei a small amount of her own (a different one each visit), saves the
  receipt, looks up and pays a water bill, reads her history and signs out;
- Margaret Brown reads her balance and her history, then walks away: the kiosk times her out;
- Li Mei looks up a bill and walks away from it half done: timed out too.

The bank's clock moves a day before each visit (the mock clock): no rapid-repeat or daily limit
builds up over a thousand visits, and the hour of day stays an ordinary one.

After each sign-out, :func:`left_behind` lists whatever of that customer is still reachable, and
:func:`take_census` counts what the process holds (Qt objects, threads, files, memory).
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEvent, QEventLoop, QObject, Qt, QThreadPool
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from client import paths
from client.money import format_amount
from tests.demo import LI_MEI, MARGARET, WANG_FANG, DemoCard
from tests.e2e.conftest import KioskDriver

LI_MEI_PAYEE = "payee_wf_limei"
WANG_FANG_ACCOUNTS = ("6217000000000101", "6217000000000102")
DAY_SECONDS = timedelta(days=1).total_seconds()


@dataclass(frozen=True)
class Visit:
    """What one customer did: enough to look for any of it after they have gone."""

    number: int
    card: DemoCard
    kind: str  # "pays", "reads" or "walks away from a bill"
    private: tuple[str, ...]  # words that must be gone after the sign-out: names, numbers, amounts
    timed_out: bool


class EventLoopBot:
    """What :class:`KioskDriver` needs of pytest-qt's ``qtbot`` (its method names), for use outside
    pytest (the bench): key clicks through QTest, and waiting by running the GUI thread's event loop."""

    @staticmethod
    def keyClick(widget: QWidget, key: Qt.Key) -> None:
        QTest.keyClick(widget, key)

    @staticmethod
    def keyClicks(widget: QWidget, text: str) -> None:
        QTest.keyClicks(widget, text)

    @staticmethod
    def waitUntil(condition: Callable[[], bool], *, timeout: int = 5000) -> None:
        deadline = QDeadlineTimer(timeout)
        while not condition():
            if deadline.hasExpired():
                raise TimeoutError(f"waitUntil timed out in {timeout} milliseconds")
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)


# --- the visits -----------------------------------------------------------------------------------


def _names(card: DemoCard) -> tuple[str, ...]:
    chinese, _, english = card.name.partition(" ")
    return (chinese, english) if english else (card.name,)


def _pays(driver: KioskDriver, number: int) -> Visit:
    """Wang Fang: a payment, its receipt saved, a bill paid, her history; then she signs out."""
    amount_minor = 100 + number % 900  # 1.00 to 9.99: her own amount, to look for afterwards
    bill_number = f"{4_100_000_000 + number}"  # a bill of her own each visit, never paid before
    driver.sign_in(WANG_FANG.number, WANG_FANG.pin)
    driver.activate("tile_send_payee")
    driver.wait_for("send_payee")
    driver.activate(f"payee_{LI_MEI_PAYEE}")
    driver.wait_for("amount")
    driver.type(f"{amount_minor // 100}.{amount_minor % 100:02d}")
    driver.enter()
    driver.wait_for("review")
    driver.enter()  # Pay
    driver.wait_for("result")
    driver.activate("resultReceipt")
    driver.wait_for("receipt")
    driver.activate("receiptSavePdf")
    assert driver.window.receipt_files.files(), "the receipt was not saved"
    driver.activate("receiptDone")
    driver.wait_for("home")
    driver.activate("tile_bill_biller")
    driver.wait_for("bill_biller")
    driver.activate("biller_water")
    driver.wait_for("bill_number")
    driver.type(bill_number)
    driver.enter()
    driver.wait_for("bill_found")
    bill = driver.window.kiosk.visit.bill.bill  # type: ignore[union-attr]
    assert bill is not None
    driver.activate("billContinue")
    driver.wait_for("review")
    driver.enter()  # Pay
    driver.wait_for("result")
    driver.activate("resultDone")
    driver.wait_for("home")
    _read_history(driver)
    driver.activate("homeSignOut")
    driver.wait_for("goodbye")
    amounts = tuple(format_amount(minor, "en") for minor in (amount_minor, bill.amount_minor))
    private = (*_names(WANG_FANG), *_names(LI_MEI), *WANG_FANG_ACCOUNTS, bill_number, *amounts)
    return Visit(number, WANG_FANG, "pays", private, timed_out=False)


def _reads(driver: KioskDriver, number: int) -> Visit:
    """Margaret Brown: her balance and her history, then she walks away."""
    driver.sign_in(MARGARET.number, MARGARET.pin)
    driver.activate("tile_balance")
    driver.wait_for("balance")
    balance = driver.window.kiosk.visit.accounts[0].balance_minor  # type: ignore[union-attr]
    driver.key(Qt.Key.Key_Escape)
    driver.wait_for("home")
    _read_history(driver)
    walk_away(driver)
    private = (*_names(MARGARET), "6217000000000601", format_amount(balance, "en"))
    return Visit(number, MARGARET, "reads", private, timed_out=True)


def _walks_away_from_a_bill(driver: KioskDriver, number: int) -> Visit:
    """Li Mei: looks up a gas bill, and leaves it on the screen."""
    bill_number = f"{4_200_000_000 + number}"
    driver.sign_in(LI_MEI.number, LI_MEI.pin)
    driver.activate("tile_bill_biller")
    driver.wait_for("bill_biller")
    driver.activate("biller_gas")
    driver.wait_for("bill_number")
    driver.type(bill_number)
    driver.enter()
    driver.wait_for("bill_found")
    bill = driver.window.kiosk.visit.bill.bill  # type: ignore[union-attr]
    assert bill is not None
    walk_away(driver)
    private = (*_names(LI_MEI), "6217000000000201", bill_number, format_amount(bill.amount_minor, "en"))
    return Visit(number, LI_MEI, "walks away from a bill", private, timed_out=True)


VISITS = (_pays, _reads, _pays, _walks_away_from_a_bill)


def _read_history(driver: KioskDriver) -> None:
    driver.activate("tile_history")
    driver.wait_for("history")
    earlier = driver.window.screens["history"].earlier  # type: ignore[attr-defined]
    if earlier.isVisible() and earlier.isEnabled():
        driver.activate("historyEarlier")
        driver.wait_for("history")
    driver.key(Qt.Key.Key_Escape)
    driver.wait_for("home")


def walk_away(driver: KioskDriver) -> None:
    """Nobody touches the kiosk: the idle timer runs out, the warning counts down, the kiosk signs
    out. The kiosk's own ticks are sent here; the wall clock sends none."""
    window = driver.window
    window.idle_timer.stop()
    window.idle_timer.timeout.emit()
    assert window.idle_panel.isVisible(), "the inactivity warning did not show"
    window.countdown_timer.stop()
    for _ in range(window.seconds_left):
        window.countdown_timer.timeout.emit()
    driver.wait_for("welcome")


def serve(driver: KioskDriver, number: int) -> Visit:
    """Customer ``number``: a day later at the bank, one visit from start to sign-out, back at Welcome."""
    driver.api.advance_clock(DAY_SECONDS)
    visit = VISITS[number % len(VISITS)](driver, number)
    if not visit.timed_out:
        driver.activate("goodbyeStart")
    driver.wait_for("welcome")
    settle(driver)
    return visit


# --- what a visit leaves behind -------------------------------------------------------------------


def settle(driver: KioskDriver) -> None:
    """Let the kiosk finish: the sign-out on its way to the bank, deferred deletes, garbage."""
    driver.qtbot.waitUntil(lambda: not driver.window.bridge.busy, timeout=8000)
    for _ in range(3):  # freeing one thing may post the deletion of another
        gc.collect()  # on the GUI thread, as the kiosk's own collector does (ui.gui_thread_gc)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()


def _texts_of(widget: QWidget) -> Iterator[str]:
    for attribute in ("text", "accessibleName", "accessibleDescription", "toolTip", "placeholderText", "windowTitle"):
        getter = getattr(widget, attribute, None)
        if callable(getter):
            try:
                value = getter()
            except TypeError:  # e.g. a text() that needs arguments
                continue
            if isinstance(value, str) and value:
                yield value


def _is_demo_card(widget: QWidget) -> bool:
    """The demo card reader's cards (name and last digits, printed on the card) are the same for everyone."""
    while widget is not None:
        if widget.objectName().startswith("demoCard_"):
            return True
        widget = widget.parentWidget()
    return False


def left_behind(driver: KioskDriver, visit: Visit) -> list[str]:
    """Whatever of ``visit``'s customer is still reachable at the Welcome screen; empty if nothing."""
    window = driver.window
    found: list[str] = []
    if window.kiosk.visit is not None:
        found.append("the visit is still open")
    if window.kiosk.api.signed_in:
        found.append("the session token is still held")
    if window.history:
        found.append(f"a way back: {window.history}")
    found += _shown(visit)
    found += _spoken(driver, visit)
    receipts = paths.data_dir() / "receipts"
    if receipts.exists() and any(receipts.iterdir()):
        found.append(f"receipts on disk: {sorted(p.name for p in receipts.iterdir())}")
    saved = window.screens["receipt"].saved_path  # type: ignore[attr-defined]
    if saved is not None:
        found.append(f"the receipt screen still points at {saved}")
    return found


def _shown(visit: Visit) -> list[str]:
    """Texts and accessible names of every widget of the process, shown or not."""
    found = []
    for widget in QApplication.allWidgets():
        if _is_demo_card(widget):
            continue
        for text in _texts_of(widget):
            name = widget.objectName() or type(widget).__name__
            found += [f"{name} still holds {word!r}: {text!r}" for word in visit.private if word in text]
    return found


def _spoken(driver: KioskDriver, visit: Visit) -> list[str]:
    """What "Say it again" would say, and what the voice is still saying (the fake speaker's last
    utterances: an interrupted one was stopped)."""
    spoken, _priority = driver.window.last_prompt
    found = [f"'Say it again' would say {word!r}" for word in visit.private if word in spoken]
    for utterance in driver.speaker.utterances[-3:]:
        if not utterance.interrupted:
            found += [f"still speaking {word!r}" for word in visit.private if word in utterance.text]
    return found


def try_to_go_back(driver: KioskDriver) -> str:
    """Escape (Back) and a direct jump to the balance, at Welcome: where the kiosk ends up."""
    driver.key(Qt.Key.Key_Escape)
    driver.window.go("balance")
    return driver.window.current_id


@dataclass(frozen=True)
class Census:
    """What the process holds, counted at the Welcome screen between two customers."""

    widgets: int  # QApplication.allWidgets()
    window_widgets: int  # widgets under the window (QObjects that are not widgets are counted by
    # their wrappers: asking Qt for every QObject would wrap the labels' text documents, which
    # Python then keeps after Qt deletes them, and the count would grow with the counting)
    qobject_wrappers: int  # Python wrappers of QObjects the garbage collector tracks
    python_threads: int  # threading.enumerate()
    os_threads: int  # /proc/self/task: Qt's pool threads and the speech worker included
    pool_jobs: int  # jobs running in any QThreadPool
    open_files: int  # /proc/self/fd: files, sockets, pipes
    rss_kib: int  # resident memory

    def counts(self) -> dict[str, int]:
        """Everything but memory: these must not change from one customer to the next."""
        return {field.name: getattr(self, field.name) for field in fields(self) if field.name != "rss_kib"}


def resident_kib() -> int:
    resident_pages = int(Path("/proc/self/statm").read_text().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") // 1024


def take_census(driver: KioskDriver, *, wrappers: bool = True) -> Census:
    """Counted after :func:`settle`. ``wrappers=False`` skips the walk over every Python object (slow)."""
    window = driver.window
    pools = [QThreadPool.globalInstance(), *window.findChildren(QThreadPool)]
    return Census(
        widgets=len(QApplication.allWidgets()),
        window_widgets=len(window.findChildren(QWidget)),
        qobject_wrappers=sum(isinstance(o, QObject) for o in gc.get_objects()) if wrappers else -1,
        python_threads=len(threading.enumerate()),
        os_threads=len(os.listdir("/proc/self/task")),
        pool_jobs=sum(pool.activeThreadCount() for pool in pools),
        open_files=len(os.listdir("/proc/self/fd")),
        rss_kib=resident_kib(),
    )
