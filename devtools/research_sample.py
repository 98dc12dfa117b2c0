"""python -m devtools.research_sample [--out studies/sample]

The sample study's exports and report, the same on every run: the example study
(studies/example.toml) run on the real kiosk and the researcher's console against a fresh embedded
bank, two participants in both conditions (in the order the study's Latin square gives them), driven
by the keyboard as they would. Times come from a clock the script moves, so the files are the same
each time. Then ``python -m client.research report`` makes ``report.html`` from the four sessions.

Run it under Xvfb for real fonts (the report has no screenshots, but the kiosk lays out as on a
screen): xvfb-run -a -s "-screen 0 1280x1024x24" env QT_QPA_PLATFORM=xcb python -m devtools.research_sample
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from client.api import PaymentApi
from client.credentials import CredentialStore
from client.kiosk import Kiosk
from client.research.study import Study, load_study
from client.settings import KioskSettings
from client.voice import NullSpeaker, Priority
from devtools.staff_console_screenshot import StillClock, wait_until
from mock_api.server import EmbeddedServer

STUDY_FILE = Path("studies/example.toml")
START = datetime(2026, 3, 11, 1, 0, tzinfo=UTC)
WANG_FANG = ("6222020000000001", "1234")


@dataclass
class ScriptClock:
    seconds: float = 0.0

    def monotonic(self) -> float:
        return self.seconds

    def utc(self) -> datetime:
        return START + timedelta(seconds=self.seconds)


class InstantSpeaker(NullSpeaker):
    """A voice that has said each sentence the moment it is given (no sound card needed): what was
    said is logged, and nothing is cut short by the next key."""

    available = True

    def __init__(self) -> None:
        self.on_finished: Callable[[str, bool], None] | None = None

    def say(self, text: str, *, language: str, priority: Priority = "normal") -> None:
        if self.on_finished is not None:
            self.on_finished(text, False)


class Participant:
    """Presses keys on the kiosk as a participant would: the focus moves by Tab, Enter presses."""

    def __init__(self, window: object, clock: ScriptClock, bank: PaymentApi) -> None:
        from ui.main_window import MainWindow

        assert isinstance(window, MainWindow)
        self.window, self.clock, self.bank = window, clock, bank

    def wait_for(self, screen_id: str) -> None:
        wait_until(lambda: self.window.current_id == screen_id and not self.window.bridge.busy)

    def key(self, key: object) -> None:
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        QTest.keyClick(QApplication.focusWidget() or self.window, key)  # type: ignore[arg-type]

    def type(self, text: str) -> None:
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        QTest.keyClicks(QApplication.focusWidget() or self.window, text)

    def press(self, object_name: str) -> None:
        """Tab to the control, then Enter: as a keyboard user reaches it."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        seen = []
        for _ in range(80):
            focused = QApplication.focusWidget()
            if focused is not None and focused.objectName() == object_name:
                self.key(Qt.Key.Key_Return)
                return
            seen.append(focused.objectName() if focused is not None else "-")
            self.key(Qt.Key.Key_Tab)
        raise RuntimeError(f"{object_name} cannot be reached with Tab on {self.window.current_id}: {seen[:30]}")

    def think(self, seconds: float) -> None:
        """Time passes for the session and for the bank alike (the bank's clock stands still otherwise)."""
        self.clock.seconds += seconds
        self.bank.advance_clock(seconds)

    def sign_in(self) -> None:
        self.wait_for("welcome")
        self.think(6)
        self.press("welcomeStart")
        self.wait_for("card")
        self.think(5)
        self.press(f"demoCard_{WANG_FANG[0][-4:]}")
        self.wait_for("pin")
        self.think(8)
        self.type(WANG_FANG[1])
        self.key_return()
        self.wait_for("home")

    def key_return(self) -> None:
        from PySide6.QtCore import Qt

        self.key(Qt.Key.Key_Return)

    def back(self) -> None:
        from PySide6.QtCore import Qt

        self.key(Qt.Key.Key_Escape)

    def help(self) -> None:
        from PySide6.QtCore import Qt

        self.key(Qt.Key.Key_F1)
        self.wait_for("help")

    def answer(self, values: list[int]) -> None:
        self.wait_for("questionnaire")
        for value in values:
            self.think(4)
            self.type(str(value))


def pay_the_bill(p: Participant, *, wrong_number: bool = False, lost: bool = False) -> None:
    p.sign_in()
    if lost:  # into History first, then back
        p.think(20)
        p.press("tile_history")
        p.wait_for("history")
        p.think(15)
        p.back()
        p.wait_for("home")
    p.think(12)
    p.press("tile_bill_biller")
    p.wait_for("bill_biller")
    p.think(10)
    p.press("biller_electricity")
    p.wait_for("bill_number")
    if wrong_number:
        p.think(25)
        p.type("3300")
        p.key_return()  # too short: the kiosk explains
        p.think(20)
        from PySide6.QtCore import Qt

        for _ in range(4):
            p.key(Qt.Key.Key_Backspace)
    p.think(30)
    p.type("3300123456")
    p.key_return()
    p.wait_for("bill_found")
    p.think(15)
    p.press("billContinue")
    p.wait_for("review")
    p.think(12)
    p.key_return()
    p.wait_for("result")


def send_200(p: Participant, *, hesitant: bool = False) -> None:
    p.sign_in()
    p.think(10)
    p.press("tile_send_payee")
    p.wait_for("send_payee")
    if hesitant:
        p.think(30)
        p.back()
        p.wait_for("home")
        p.help()
        p.think(25)
        p.back()
        p.wait_for("home")
        p.press("tile_send_payee")
        p.wait_for("send_payee")
    p.think(8)
    p.press("payee_payee_wf_limei")
    p.wait_for("amount")
    p.think(12)
    p.type("200")
    p.key_return()
    p.wait_for("review")
    p.think(9)
    p.key_return()
    p.wait_for("result")


def give_up_on_the_bill(p: Participant) -> None:
    p.sign_in()
    p.think(30)
    p.press("tile_bill_biller")
    p.wait_for("bill_biller")
    p.think(40)
    p.back()
    p.wait_for("home")
    p.help()
    p.think(60)
    p.back()
    p.think(50)


Behaviour = tuple[Callable[[Participant], None], str, list[int]]  # what they do, how it ends, SEQ
SCRIPTS: dict[str, dict[str, Behaviour]] = {
    "P01-elder": {
        "pay_electricity": (pay_the_bill, "bank", [6]),
        "send_200": (send_200, "bank", [7]),
    },
    "P01-standard": {
        "pay_electricity": (lambda p: pay_the_bill(p, wrong_number=True), "bank", [5]),
        "send_200": (send_200, "bank", [6]),
    },
    "P02-standard": {
        "pay_electricity": (give_up_on_the_bill, "abandoned", [2]),
        "send_200": (lambda p: send_200(p, hesitant=True), "bank", [4]),
    },
    "P02-elder": {
        "pay_electricity": (lambda p: pay_the_bill(p, lost=True), "bank", [5]),
        "send_200": (send_200, "bank", [6]),
    },
}
END_ANSWERS = {  # SUS (10 items), NPS, CSAT
    "P01-elder": ([5, 1, 5, 2, 4, 1, 5, 1, 5, 2], [9], [5]),
    "P01-standard": ([4, 2, 4, 2, 4, 2, 4, 2, 4, 3], [7], [4]),
    "P02-standard": ([2, 4, 3, 4, 2, 4, 2, 4, 2, 5], [3], [2]),
    "P02-elder": ([4, 2, 4, 3, 4, 2, 4, 2, 4, 3], [8], [4]),
}


def run_session(console: object, study: Study, participant: str, condition: str, clock: ScriptClock) -> None:
    from ui.research.console import ResearchConsole

    assert isinstance(console, ResearchConsole)
    session_id = f"{participant}-{condition}"
    p = Participant(console.kiosk, clock, console.api)
    console.show_setup()
    console.participant.setCurrentIndex(study.participants.index(participant))
    console.condition.setCurrentIndex(study.condition_ids.index(condition))
    console.consent.setChecked(True)
    console.start_session_button.click()  # the bank's demo data is loaded afresh first
    wait_until(lambda: console.session is not None)
    for row, task in enumerate(study.tasks):
        behave, ending, seq = SCRIPTS[session_id][task.id]
        console.tasks.setCurrentRow(row)
        p.think(20)  # the researcher reads the task out
        console.start_task_button.click()
        wait_until(lambda: console.session is not None and console.session.current_task is not None)
        behave(p)
        if ending == "bank":
            wait_until(lambda: console.session is not None and console.session.current_task is None)
        else:
            console.marker.setText("gave up")
            console.marker_button.click()
            console.abandon_button.click()
        p.answer(seq)
        wait_until(lambda: console.kiosk.current_id == "goodbye")
    sus, nps, csat = END_ANSWERS[session_id]
    p.think(30)
    console.end_session_button.click()
    for values in (sus, nps, csat):
        p.answer(values)
    wait_until(lambda: console.session is None)


def picture_of(report: Path, picture: Path) -> None:
    """The report as a reader first sees it (its title and charts), drawn by a headless browser."""
    import subprocess

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("no chromium here: the report is made, its picture is not")
    picture.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1100,1500",
         f"--screenshot={picture.resolve()}", report.resolve().as_uri()],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    print(f"report picture: {picture}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.research_sample")
    parser.add_argument("--out", type=Path, default=Path("studies/sample"))
    parser.add_argument("--participants", type=int, default=2)
    parser.add_argument(
        "--picture", type=Path, help="also a PNG of the report's first screenful, for the README (needs chromium)"
    )
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    from client.research.__main__ import main as research_main
    from ui.gui_thread_gc import GuiThreadCollector
    from ui.main_window import MainWindow
    from ui.research.console import ResearchConsole

    study = load_study(STUDY_FILE)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    collector = GuiThreadCollector(app)
    with tempfile.TemporaryDirectory(prefix="calmpay-study-") as folder:
        server = EmbeddedServer(Path(folder) / "bank.sqlite3", clock=StillClock()).start()
        api = PaymentApi(server.url)
        kiosk = Kiosk(api, CredentialStore(server.url, use_keyring=False), "study kiosk")
        kiosk.ensure_registered()
        settings = KioskSettings(default_language=study.language, customer_language=False)
        window = MainWindow(kiosk, settings, speaker=InstantSpeaker())
        window.resize(1280, 1024)
        window.show()
        window.activateWindow()
        wait_until(window.isActiveWindow)
        console_api = PaymentApi(server.url)
        root = Path(folder) / "research"
        clock = ScriptClock()
        console = ResearchConsole(study, window, console_api, root=root, monotonic=clock.monotonic, utc_now=clock.utc)
        try:
            for participant in study.participants[: args.participants]:
                for condition in study.order_of(participant):
                    run_session(console, study, participant, condition, clock)
                    clock.seconds += 600  # the next session
                    console_api.advance_clock(600)
            if args.out.exists():
                shutil.rmtree(args.out)
            shutil.copytree(root, args.out)
            sessions = sorted(str(p) for p in args.out.iterdir() if p.is_dir())
            research_main(["report", *sessions, "--out", str(args.out / "report.html")])
            print(f"sample study: {len(sessions)} sessions and report.html in {args.out}")
            if args.picture is not None:
                picture_of(args.out / "report.html", args.picture)
        finally:
            console.close()
            window.close()
            window.bridge.wait_for_done(3000)
            api.close()
            console_api.close()
            server.stop()
    collector.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
