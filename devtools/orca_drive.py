"""python -m devtools.orca_drive --out DIR

A keyboard user, through the real X server, signs in with demo card 0001 (Wang Fang) and sends
200.00 to Li Mei, in English, while a screen reader listens (scripts/orca-check.sh starts Orca and
reads what it said). The keys are real X key events (xdotool), so they reach the kiosk exactly as a
keyboard's would, and reach the screen reader's key echo too.

It runs the real window over a fresh embedded mock bank (devtools.staging), with no kiosk voice:
here the screen reader is the voice. It writes ``DIR/seen.json``: what a sighted customer saw on
each screen of the flow (title, instruction, result), which the check compares with what the
screen reader said, and the PIN it typed (a demo card's, documented in the README).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from client.settings import KioskSettings
from devtools.staging import KIOSK_SIZE, LI_MEI_PAYEE, WANG_FANG
from ui.main_window import MainWindow

LISTEN_SECONDS = 2.5  # after each step: time for the screen reader to say it before the next key
STEP_TIMEOUT_SECONDS = 20.0


class Driver:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.seen: list[dict[str, str]] = []

    def pump(self, seconds: float) -> None:
        """Run the event loop for ``seconds`` (the kiosk stays alive while we wait)."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)

    def until(self, what: str, condition: object) -> None:
        end = time.monotonic() + STEP_TIMEOUT_SECONDS
        while not condition():  # type: ignore[operator]
            if time.monotonic() > end:
                raise SystemExit(f"orca-drive: gave up waiting for {what}")
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)

    def keys(self, *names: str) -> None:
        subprocess.run(["xdotool", "key", "--delay", "120", *names], check=True)
        self.pump(0.4)

    def type(self, text: str) -> None:
        for char in text:  # one key at a time, as a person types, each echoed (or not) on its own
            self.keys(char)
            self.pump(0.6)

    def focused(self) -> str:
        widget = QApplication.focusWidget()
        return widget.objectName() if widget is not None else ""

    def tab_to(self, name: str) -> None:
        for _ in range(40):
            if self.focused() == name:
                self.pump(LISTEN_SECONDS)
                return
            self.keys("Tab")
        raise SystemExit(f"orca-drive: {name} cannot be reached with Tab (stuck at {self.focused()})")

    def arrive(self, screen_id: str) -> None:
        """Wait until ``screen_id`` is shown and settled, let the screen reader talk, note what is shown."""
        window = self.window
        self.until(screen_id, lambda: window.current_id == screen_id and not window.bridge.busy)
        self.pump(LISTEN_SECONDS)
        shown = {
            "screen": screen_id,
            "title": window.title.accessibleName(),
            "instruction": window.instruction.accessibleName(),
        }
        result = window.findChild(QLabel, "resultText")
        if screen_id == "result" and result is not None:
            shown["result"] = result.accessibleName()
        self.seen.append(shown)
        print(f"orca-drive: on {screen_id}: {shown['title']!r}", flush=True)


def send_200_to_li_mei(driver: Driver, pin: str) -> None:
    driver.arrive("welcome")
    driver.tab_to("language_en")
    driver.keys("Return")
    driver.pump(LISTEN_SECONDS)
    driver.tab_to("welcomeStart")
    driver.keys("Return")
    driver.arrive("card")
    driver.until("the demo cards", lambda: driver.window.findChild(QWidget, "demoCard_0001") is not None)
    driver.tab_to("demoCard_0001")
    driver.keys("Return")
    driver.arrive("pin")
    driver.type(pin)
    driver.pump(LISTEN_SECONDS)
    driver.keys("Return")
    driver.arrive("home")
    driver.tab_to("tile_send_payee")
    driver.keys("Return")
    driver.arrive("send_payee")
    driver.tab_to(f"payee_{LI_MEI_PAYEE}")
    driver.keys("Return")
    driver.arrive("amount")
    driver.type("0")  # a slip: zero is not an amount; the problem is shown and must be heard
    driver.keys("Return")
    driver.pump(LISTEN_SECONDS)
    error = driver.window.findChild(QLabel, "amount_error")
    driver.seen.append({"screen": "amount", "error": error.accessibleName() if error is not None else "(none shown)"})
    driver.keys("BackSpace")
    driver.type("200")
    driver.keys("Return")
    driver.arrive("review")
    driver.tab_to("reviewPay")
    driver.keys("Return")
    driver.arrive("result")
    driver.pump(LISTEN_SECONDS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.orca_drive")
    parser.add_argument("--out", type=Path, required=True, help="folder for seen.json")
    args = parser.parse_args(argv)
    if shutil.which("xdotool") is None:
        print("orca-drive: needs xdotool (apt-get install xdotool)", file=sys.stderr)
        return 2
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("CalmPay")
    from devtools.staging import staged_kiosk

    args.out.mkdir(parents=True, exist_ok=True)
    with staged_kiosk(KioskSettings(idle_seconds=3600)) as window:
        window.resize(*KIOSK_SIZE)
        window.activateWindow()
        driver = Driver(window)
        send_200_to_li_mei(driver, WANG_FANG[1])
        (args.out / "seen.json").write_text(
            json.dumps({"pin": WANG_FANG[1], "screens": driver.seen}, ensure_ascii=False, indent=2), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
