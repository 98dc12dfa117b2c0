"""python -m devtools.staff_console_screenshot [--out docs/screenshots/staff-console.png] [--size 1280x1024]

The staff console for the README, the same on every run: a fresh embedded bank whose clock stands
still, three machines calling for help (one already answered by a colleague), one request handled
earlier so the metrics show, Li Na signed in with a request chosen. Run it under Xvfb for real fonts:

    xvfb-run -a -s "-screen 0 1280x1024x24" env QT_QPA_PLATFORM=xcb python -m devtools.staff_console_screenshot
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from client.api import PaymentApi
from client.errors import AccountFrozen
from client.staff import StaffDesk
from mock_api.config import ORDINARY_MOMENT, Clock
from mock_api.server import EmbeddedServer

LI_NA = ("1001", "8642")
CHEN_WEI = ("1002", "9753")
WANG_FANG = ("6222020000000001", "1234")
CHEN_JIAN = ("6222020000000003", "1357")  # the demo card whose account is paused


@dataclass
class StillClock(Clock):
    """The bank's time moves only when told to: the waiting times read the same on every run."""

    start: datetime | None = ORDINARY_MOMENT

    def now(self) -> datetime:
        assert self.start is not None
        return self.start + self.offset


def machine(url: str, label: str) -> PaymentApi:
    api = PaymentApi(url)
    api.use_kiosk(api.register_kiosk(label))
    return api


def stage_the_branch(url: str) -> list[str]:
    """Requests at three machines; returns the ids of the open ones, oldest first."""
    door, window, corner = (machine(url, label) for label in ("Machine 1, by the door", "Machine 2", "Machine 3"))
    chen_wei = StaffDesk(door)
    chen_wei.sign_in(*CHEN_WEI)
    # Earlier this morning: a call answered in 45 s and solved on the spot.
    earlier = window.raise_help("bill_number", "bill", "asked", 30)
    window.advance_clock(45)
    chen_wei.answer(earlier.id)
    window.advance_clock(150)
    chen_wei.close(earlier.id, "solved")
    window.advance_clock(600)
    # Now: a payment stopped to protect Wang Fang, and a colleague is going.
    door.sign_in(*WANG_FANG)
    scam = door.raise_help("stop", "send", "scam_stop", 20)
    door.advance_clock(70)
    chen_wei.answer(scam.id)
    door.advance_clock(25)
    # Chen Jian's account is paused: the machine refused him and called for help by itself.
    with contextlib.suppress(AccountFrozen):
        window.sign_in(*CHEN_JIAN)
    paused = window.raise_help("card_kept", None, "account_paused", 0)
    window.advance_clock(40)
    hesitation = corner.raise_help("amount", "send", "long_hesitation", 60)
    corner.advance_clock(12)
    for api in (door, window, corner):
        api.close()
    return [scam.id, paused.id, hesitation.id]


def wait_until(condition: Callable[[], bool], timeout_ms: int = 10_000) -> None:
    from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop

    deadline = QDeadlineTimer(timeout_ms)
    while not condition():
        if deadline.hasExpired():
            raise RuntimeError("the console did not get there in time")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.staff_console_screenshot")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots/staff-console.png"))
    parser.add_argument("--size", default="1280x1024", help="window size, e.g. 1024x768")
    parser.add_argument("--language", default="en")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.split("x"))

    from PySide6.QtWidgets import QApplication

    from ui.gui_thread_gc import GuiThreadCollector
    from ui.staff.console import StaffConsole

    app = QApplication.instance() or QApplication(sys.argv[:1])
    collector = GuiThreadCollector(app)  # the bank's threads must never free a widget
    with tempfile.TemporaryDirectory(prefix="calmpay-console-") as folder:
        server = EmbeddedServer(Path(folder) / "bank.sqlite3", clock=StillClock()).start()
        api = PaymentApi(server.url)
        console = StaffConsole(api, language=args.language, export_path=Path("~/CalmPay/help-requests.csv"))
        try:
            open_ids = stage_the_branch(server.url)
            console.resize(width, height)
            console.show()
            console.sign_in(*LI_NA)
            wait_until(lambda: [r.id for r in console.queue.requests] == open_ids)
            wait_until(lambda: console.metrics_panel.metrics is not None and console.metrics_panel.metrics.closed == 1)
            console.select(open_ids[1])
            console.queue.setFocus()
            wait_until(lambda: not console.bridge.busy)
            for _ in range(3):
                QApplication.processEvents()
            args.out.parent.mkdir(parents=True, exist_ok=True)
            console.grab().save(str(args.out))
            print(f"staff console: {args.out} ({width}x{height})")
        finally:
            console.close()
            api.close()
            server.stop()
    collector.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
