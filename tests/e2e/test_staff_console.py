"""The staff console window against the real mock API over HTTP: a kiosk (client.api) calls, the
console shows it, staff answer, close, and act on the customer's account with their PIN."""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLabel, QLineEdit, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from client import bank_address
from client.api import PaymentApi
from client.errors import AccountFrozen
from client.settings import KioskSettings
from client.staff import CSV_COLUMNS
from main import Startup, parse_args
from mock_api.server import EmbeddedServer
from tests.api.helpers import FrozenClock, holds_number, sign_in
from tests.api.test_holds import held_payment
from tests.bank import bank_server
from tests.demo import CHEN_JIAN, WANG_FANG
from tests.e2e.conftest import KioskDriver
from tests.e2e.test_call_staff import to_amount
from tests.fakes import RecordingSpeaker
from ui.main_window import MainWindow
from ui.screens import all_screens
from ui.staff import __main__ as console_main
from ui.staff.console import StaffConsole

LI_NA = ("1001", "8642")  # README: "The staff console"
CHEN_WEI = ("1002", "9753")
WRONG_PIN = "086420"
MACHINE = "Machine by the door"
WANG_FANG_PRIVATE = ("王芳", "Wang Fang", WANG_FANG.number, "6217000000000101", WANG_FANG.customer_id)


@dataclass
class Branch:
    """One kiosk (its client, as the kiosk's screens use it) and the console window, on one bank."""

    qtbot: QtBot
    bank: EmbeddedServer
    kiosk: PaymentApi
    console: StaffConsole

    def type(self, widget: QWidget, text: str) -> None:
        widget.setFocus()
        self.qtbot.keyClicks(widget, text)

    def press(self, widget: QWidget, key: Qt.Key = Qt.Key.Key_Return) -> None:
        widget.setFocus()
        self.qtbot.keyClick(widget, key)

    def sign_in_staff(self, who: tuple[str, str]) -> None:
        panel = self.console.sign_in_panel
        panel.number.clear()
        self.type(panel.number, who[0])
        self.qtbot.keyClick(panel.number, Qt.Key.Key_Return)
        assert QApplication.focusWidget() is panel.pin  # Enter after the number goes on to the PIN
        self.qtbot.keyClicks(panel.pin, who[1])
        self.qtbot.keyClick(panel.pin, Qt.Key.Key_Return)

    def signed_in(self) -> None:
        self.qtbot.waitUntil(lambda: self.console.pages.currentWidget() is self.console.desk_page)

    def listed(self, request_id: str) -> bool:
        return any(request.id == request_id for request in self.console.queue.requests)

    def row(self, request_id: str) -> list[str]:
        """What the queue shows of a request: waiting, machine, reason, screen, status."""
        queue = self.console.queue
        row = [request.id for request in queue.requests].index(request_id)
        return [queue.item(row, column).text() for column in range(queue.columnCount())]

    def texts(self) -> str:
        """Every text the console holds, shown or not, with the queue's cells."""
        found = []
        for widget in [self.console, *self.console.findChildren(QWidget)]:
            for attribute in ("text", "accessibleName", "accessibleDescription", "toolTip", "placeholderText"):
                getter = getattr(widget, attribute, None)
                value = getter() if callable(getter) else None
                if isinstance(value, str):
                    found.append(value)
        queue = self.console.queue
        found += [queue.item(r, c).text() for r in range(queue.rowCount()) for c in range(queue.columnCount())]
        return "\n".join(found)


def unnamed_or_small(console: StaffConsole) -> list[str]:
    """Shown controls a screen reader could not name, or smaller than a 44 px target."""
    found = []
    for widget in console.findChildren(QWidget):
        if not widget.isVisible() or not isinstance(widget, (QAbstractButton, QLineEdit, QComboBox, QTableWidget)):
            continue
        name = widget.accessibleName() or (widget.text() if isinstance(widget, QAbstractButton) else "")
        if not name or widget.height() < 44 or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            found.append(widget.objectName() or type(widget).__name__)
    return found


def cut_off(console: StaffConsole, width: int, height: int) -> list[str]:
    """What the console does not show whole at this size: a control or text outside the window, or
    wrapped text with less height than it needs."""
    console.resize(width, height)
    for _ in range(3):
        QApplication.processEvents()
    window = console.rect()
    found = []
    for widget in console.findChildren(QWidget):
        if not widget.isVisible() or not isinstance(widget, (QLabel, QAbstractButton, QLineEdit)):
            continue
        box = widget.rect().translated(widget.mapTo(console, widget.rect().topLeft()))
        short = (
            isinstance(widget, QLabel) and widget.wordWrap() and widget.height() < widget.heightForWidth(widget.width())
        )
        if not window.contains(box) or short:
            found.append(widget.objectName() or type(widget).__name__)
    return found


@pytest.fixture
def branch(qtbot: QtBot, tmp_path: Path) -> Iterator[Branch]:
    # A bank clock that moves only when the test moves it: waiting times are exact.
    bank = bank_server(tmp_path / "bank.sqlite3", clock=FrozenClock()).start()
    kiosk = PaymentApi(bank.url, backoff_seconds=0.01)
    kiosk.use_kiosk(kiosk.register_kiosk(MACHINE))
    console_api = PaymentApi(bank.url, backoff_seconds=0.01)
    console = StaffConsole(console_api, language="en", export_path=tmp_path / "exports" / "help.csv")
    qtbot.addWidget(console)
    console.show()
    qtbot.waitExposed(console)
    console.activateWindow()
    qtbot.waitUntil(console.isActiveWindow)
    yield Branch(qtbot, bank, kiosk, console)
    console.close()  # signs out at the bank, which is still there
    console_api.close()
    kiosk.close()
    bank.stop()


def test_a_call_from_a_machine_is_answered_closed_and_counted(
    branch: Branch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    console, qtbot = branch.console, branch.qtbot
    assert unnamed_or_small(console) == []
    branch.sign_in_staff((LI_NA[0], WRONG_PIN))
    qtbot.waitUntil(console.sign_in_panel.problem.isVisible)
    assert console.sign_in_panel.problem.text() == (
        "That PIN is not right. 4 tries left before this staff number is locked."
    )
    assert console.sign_in_panel.pin.digits() == "" and console.sign_in_panel.pin.text() == ""
    assert console.pages.currentWidget() is console.sign_in_panel
    branch.sign_in_staff(LI_NA)
    branch.signed_in()
    assert console.who.text() == "Signed in: Li Na"
    assert WRONG_PIN not in branch.texts() and LI_NA[1] not in branch.texts()

    branch.kiosk.sign_in(WANG_FANG.number, WANG_FANG.pin)
    asked = branch.kiosk.raise_help("review", "review", "asked", 42)
    qtbot.waitUntil(lambda: branch.listed(asked.id), timeout=1000)
    assert branch.row(asked.id) == ["00:00", MACHINE, "Asked for help", "Check and pay", "New, waiting"]
    assert console.queue.item(0, 0).font().bold()  # a new request stands out, not by colour alone
    text = branch.texts()
    assert not [private for private in WANG_FANG_PRIVATE if private in text]

    branch.kiosk.advance_clock(30)
    qtbot.waitUntil(lambda: branch.row(asked.id)[0] == "00:30")
    # By keyboard: the queue has the focus, Down chooses the request, Tab goes to what to do with it.
    assert QApplication.focusWidget() is console.queue
    qtbot.keyClick(console.queue, Qt.Key.Key_Down)
    panel = console.request_panel
    assert panel.request is not None and panel.request.id == asked.id
    assert panel.heading.text() == f"{MACHINE}: Asked for help"
    assert panel.details.text().startswith("Screen: Check and pay\nOn that step for 00:42")
    assert branch.row(asked.id)[4] == "Waiting"
    assert unnamed_or_small(console) == []
    qtbot.keyClick(console.queue, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is panel.coming_button
    qtbot.keyClick(panel.coming_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: branch.row(asked.id)[4] == "Li Na is going")
    seen = branch.kiosk.help_request(asked.id)
    assert seen.status == "coming" and seen.staff is not None and seen.staff.name_in("en") == "Li Na"

    branch.kiosk.advance_clock(90)
    branch.press(panel.done_button)
    assert panel.pages.currentWidget() is panel.done_page
    assert panel.chosen_outcome() is None and not panel.done_confirm.isEnabled()  # a deliberate choice
    assert QApplication.focusWidget() is panel.outcome_buttons["solved"]
    qtbot.keyClick(panel.outcome_buttons["solved"], Qt.Key.Key_Space)
    assert panel.done_confirm.isEnabled()
    branch.press(panel.done_confirm)
    qtbot.waitUntil(lambda: not branch.listed(asked.id))
    qtbot.waitUntil(lambda: panel.none_notice.text() == "Request closed: Solved on the spot.")
    assert QApplication.focusWidget() is console.queue  # on to the next customer
    assert branch.kiosk.help_request(asked.id).status == "closed"
    metrics = console.metrics_panel
    qtbot.waitUntil(lambda: "Solved\u00a01 ·" in metrics.counts.text())
    assert " ".join(metrics.figures.text().split()) == (
        "Median time to answer: 00:30 Median time to resolve: 02:00 Solved on the spot: 100%"
    )

    branch.press(metrics.export_button)
    saved = tmp_path / "exports" / "help.csv"
    qtbot.waitUntil(lambda: metrics.export_result.text() == f"Saved 1 request to {saved}")
    content = saved.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(content.splitlines()))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [(r["id"], r["kiosk"], r["reason"], r["screen"], r["status"], r["outcome"]) for r in rows] == [
        (asked.id, MACHINE, "asked", "review", "closed", "solved")
    ]
    assert (rows[0]["seconds_to_answer"], rows[0]["seconds_to_resolve"], rows[0]["staff"]) == ("30", "120", "stf_lina")
    assert not [private for private in WANG_FANG_PRIVATE if private in content]
    assert not holds_number(content, LI_NA[1])
    # no staff PIN reaches a log
    assert not holds_number(caplog.text, LI_NA[1]) and not holds_number(caplog.text, WRONG_PIN)
    assert console.desk.session is not None and console.desk.session.token not in caplog.text


def test_an_account_paused_is_unfrozen_with_the_staff_pin(branch: Branch) -> None:
    console, qtbot, kiosk = branch.console, branch.qtbot, branch.kiosk
    with pytest.raises(AccountFrozen):
        kiosk.sign_in(CHEN_JIAN.number, CHEN_JIAN.pin)
    with PaymentApi(branch.bank.url) as other:  # several machines, one console: the oldest call first
        other.use_kiosk(other.register_kiosk("Machine 2"))
        first = other.raise_help("amount", "amount", "long_hesitation", 90)
    kiosk.advance_clock(5)
    asked = kiosk.raise_help("welcome", None, "account_paused", 0)  # nobody is signed in at the machine
    branch.sign_in_staff(LI_NA)
    branch.signed_in()
    qtbot.waitUntil(lambda: branch.listed(asked.id))
    assert [r.id for r in console.queue.requests] == [first.id, asked.id]
    assert branch.row(first.id)[:4] == ["00:05", "Machine 2", "No progress for a while", "How much?"]
    assert branch.row(asked.id)[:3] == ["00:00", MACHINE, "Account paused"]
    # The bank stops answering: the console says so and keeps the list; then it answers again.
    kiosk.set_faults(error_rate=1.0)
    qtbot.waitUntil(console.offline.isVisible)
    assert console.offline.text().startswith("The bank does not answer") and len(console.queue.requests) == 2
    kiosk.set_faults()
    qtbot.waitUntil(lambda: not console.offline.isVisible())
    # Staff pick the console's language; the machines keep theirs.
    console.language.setCurrentIndex(console.language.findData("zh-Hant"))
    assert branch.row(asked.id)[2] == "戶口已暫停" and console.request_panel.none_text.text().startswith("請在列表")
    console.language.setCurrentIndex(console.language.findData("en"))
    console.select(asked.id)
    panel = console.request_panel
    assert "Their account is paused." in panel.customer.text()
    assert panel.unfreeze_button.isVisible()

    branch.press(panel.unfreeze_button)
    assert panel.pages.currentWidget() is panel.identity_page
    qtbot.keyClick(panel.checked, Qt.Key.Key_Escape)  # Escape goes back, to where it came from
    assert panel.pages.currentWidget() is panel.main_page and QApplication.focusWidget() is panel.unfreeze_button
    branch.press(panel.unfreeze_button)
    branch.type(panel.pin, "0000")
    assert not panel.identity_confirm.isEnabled()  # not before the identity is checked in person
    branch.press(panel.checked, Qt.Key.Key_Space)
    assert panel.identity_confirm.isEnabled()
    panel.pin.setFocus()
    qtbot.keyClick(panel.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(panel.identity_problem.isVisible)
    assert panel.identity_problem.text() == "That PIN is not right. 4 tries left before this staff number is locked."
    assert panel.pin.digits() == ""
    with pytest.raises(AccountFrozen):
        kiosk.sign_in(CHEN_JIAN.number, CHEN_JIAN.pin)

    branch.type(panel.pin, LI_NA[1])
    branch.press(panel.identity_confirm)
    qtbot.waitUntil(lambda: panel.notice.text() == "The account works again. This was logged under your name.")
    assert kiosk.sign_in(CHEN_JIAN.number, CHEN_JIAN.pin).customer.id == CHEN_JIAN.customer_id
    [action] = console.desk.actions()
    assert (action.action, action.help_request_id, action.staff.id) == ("unfreeze", asked.id, "stf_lina")


def test_a_held_payment_is_cancelled_with_the_customer_there(branch: Branch) -> None:
    console, qtbot, kiosk = branch.console, branch.qtbot, branch.kiosk
    with httpx.Client(base_url=branch.bank.url, timeout=10) as http:
        wang_fang = sign_in(http, WANG_FANG)
        held = held_payment(wang_fang)
        kiosk.sign_in(WANG_FANG.number, WANG_FANG.pin)
        asked = kiosk.raise_help("result", None, "asked", 5)
        branch.sign_in_staff(CHEN_WEI)
        branch.signed_in()
        qtbot.waitUntil(lambda: branch.listed(asked.id))
        console.select(asked.id)
        panel = console.request_panel
        assert "Held payments: 1." in panel.customer.text()

        branch.press(panel.cancel_held_button)
        qtbot.waitUntil(lambda: panel.held_list.count() == 1)
        assert panel.held_list.item(0).text() == "RMB 60,000.00, on hold until 11 Mar 2026 12:00\u00a0pm"
        for language in ("zh-Hant", "en"):  # the tallest page, whole at the smallest screen
            console.language.setCurrentIndex(console.language.findData(language))
            assert cut_off(console, 1024, 768) == [], language
            assert unnamed_or_small(console) == [], language
        assert panel.held_list.item(0).text() == "RMB 60,000.00, on hold until 11 Mar 2026 12:00\u00a0pm"
        assert panel.held_list.currentRow() == 0  # still the one chosen
        branch.press(panel.checked, Qt.Key.Key_Space)
        branch.type(panel.pin, CHEN_WEI[1])
        qtbot.keyClick(panel.pin, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: panel.notice.text().startswith("The payment is cancelled"))
        assert wang_fang.payment(held["id"])["status"] == "cancelled"


class InThreadBank:
    """main.py's embedded bank (an ApiProcess), played by the tests' bank in this process."""

    def __init__(self, server: EmbeddedServer) -> None:
        self.url, self.db_path = server.url, server.db_path

    def wait_ready(self) -> None:
        pass  # it answers already

    def stop(self) -> None:
        pass  # the fixture stops it


def test_main_with_staff_opens_the_console_on_the_kiosks_own_bank_and_staff_sign_in_and_out(
    qtbot: QtBot, api_server: EmbeddedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert console_main.main([]) == 2  # python -m ui.staff with no kiosk running says so
    assert "No bank to connect to" in capsys.readouterr().err

    window = MainWindow(None, KioskSettings(default_language="en"), speaker=RecordingSpeaker())
    qtbot.addWidget(window)
    window.show()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    bank = InThreadBank(api_server)
    startup = Startup(parse_args(["--staff", "--no-voice"]), app, window, window.settings, bank)  # type: ignore[arg-type]
    startup.attach_the_kiosk()
    console = startup.console
    assert console is not None and console.isVisible() and console.api.base_url == api_server.url
    # Once the bank answers, a console started on its own finds it.
    qtbot.waitUntil(lambda: bank_address.running() == api_server.url)
    assert console_main.bank_url(console_main.parse_args([])) == api_server.url
    panel = console.sign_in_panel
    for _ in range(5):  # five wrong PINs in a row lock the staff number
        panel.number.setText(LI_NA[0])
        panel.pin.setFocus()
        qtbot.keyClicks(panel.pin, "1111")
        qtbot.keyClick(panel.pin, Qt.Key.Key_Return)
        qtbot.waitUntil(panel.sign_in.isEnabled)
    assert panel.problem.text() == (
        "This staff number is locked after too many wrong PINs. Please ask the branch manager to unlock it."
    )
    assert QApplication.focusWidget() is panel.number

    with PaymentApi(api_server.url) as other_machine:
        other_machine.use_kiosk(other_machine.register_kiosk("Machine 2"))
        asked = other_machine.raise_help("welcome", None, "asked", 0)
        console.sign_in(*CHEN_WEI)
        qtbot.waitUntil(lambda: console.pages.currentWidget() is console.desk_page)
        assert other_machine.help_request(asked.id).staff_on_duty
        qtbot.mouseClick(console.sign_out_button, Qt.MouseButton.LeftButton)
        assert console.pages.currentWidget() is panel and panel.problem.text() == "You have signed out."
        assert console.queue.rowCount() == 0 and not console.desk.signed_in
        qtbot.waitUntil(lambda: not other_machine.help_request(asked.id).staff_on_duty)  # ended at the bank too
    qtbot.waitUntil(lambda: len(window.screens) == len(all_screens()) and not window.bridge.busy, timeout=8000)
    startup.close()
    assert bank_address.running() is None  # the kiosk has closed: nobody finds its bank any more
    assert not console.isVisible()


def test_a_kiosk_and_the_console_in_one_test(
    driver: KioskDriver, api_server: EmbeddedServer, qtbot: QtBot, tmp_path: Path
) -> None:
    """The issue's acceptance with both windows: Call staff from a flow is on the console within a second
    with the right screen and reason; I'm coming shows on the kiosk; Done closes it; the typed work stays."""
    with PaymentApi(api_server.url, backoff_seconds=0.01) as api:
        console = StaffConsole(api, language="en", export_path=tmp_path / "help.csv")
        qtbot.addWidget(console)
        console.show()
        console.sign_in(*LI_NA)
        qtbot.waitUntil(lambda: console.pages.currentWidget() is console.desk_page)
        driver.window.activateWindow()  # the customer's keys go to the kiosk
        qtbot.waitUntil(driver.window.isActiveWindow)

        to_amount(driver, "12")
        driver.activate("navCallStaff")
        driver.wait_for("staff")
        qtbot.waitUntil(lambda: len(console.queue.requests) == 1, timeout=1000)
        [request] = console.queue.requests
        queue = console.queue
        shown = [queue.item(0, column).text() for column in range(queue.columnCount())]
        assert shown[1:] == ["e2e kiosk", "Asked for help", "How much? (sending money)", "New, waiting"]
        texts = "\n".join([*(label.text() for label in console.findChildren(QLabel)), *shown])
        assert not [private for private in WANG_FANG_PRIVATE if private in texts]

        console.select(request.id)
        qtbot.keyClick(console.request_panel.coming_button, Qt.Key.Key_Return)
        screen = driver.window.screens["staff"]
        qtbot.waitUntil(lambda: screen.status.accessibleName() == "Li Na from the branch is on the way.", timeout=2500)

        panel = console.request_panel
        qtbot.keyClick(panel.done_button, Qt.Key.Key_Return)
        qtbot.keyClick(panel.outcome_buttons["solved"], Qt.Key.Key_Space)
        qtbot.keyClick(panel.done_confirm, Qt.Key.Key_Return)
        driver.wait_for("amount", timeout=2500)
        assert driver.window.screens["amount"].amount.text() == "12"  # the customer's typed work is still there
        qtbot.waitUntil(lambda: console.queue.requests == [])
        console.close()
