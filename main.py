"""CalmPay kiosk: python main.py [--api-url URL] [--kiosk] [--staff] [--study FILE] [--db PATH] [--exit-when-ready]

The Welcome screen comes first. The embedded mock payment API (unless --api-url is given) starts
in a process of its own at the same moment, on the other core; the kiosk registers with it (device
key in the OS keyring) and the voice starts once the Welcome screen is on the screen. Once the
embedded bank answers, its address is in the data dir for a staff console started on its own
(python -m ui.staff); --staff opens the console here as well, on the same bank. --study opens the
researcher's console for a usability study (docs/research.md), on a second screen when there is one.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from client.api import PaymentApi
    from client.kiosk import Kiosk
    from client.research.study import Study
    from client.settings import KioskSettings
    from mock_api.process import ApiProcess
    from ui.main_window import MainWindow
    from ui.research.console import ResearchConsole
    from ui.screens.base import Screen
    from ui.staff.console import StaffConsole

log = logging.getLogger("calmpay")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="calmpay", description="CalmPay payment kiosk.")
    parser.add_argument("--api-url", help="use this payment API instead of starting the embedded mock")
    parser.add_argument("--db", type=Path, help="database of the embedded mock API (default: in the data dir)")
    parser.add_argument("--kiosk", action="store_true", help="full screen, as on a kiosk")
    parser.add_argument("--no-voice", action="store_true", help="no voice prompts")
    parser.add_argument("--staff", action="store_true", help="open the staff console as well, on the same bank")
    parser.add_argument(
        "--study", type=Path, help="run a usability study (a TOML file in studies/): the researcher's console"
    )
    parser.add_argument(
        "--exit-when-ready",
        action="store_true",
        help="exit with status 0 as soon as the Welcome screen is shown and takes keys (to time start-up)",
    )
    parser.add_argument("--log-level", default="warning", choices=["debug", "info", "warning", "error"])
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    study = read_the_study(args.study) if args.study is not None else None
    if args.study is not None and study is None:
        return 2
    bank = None if args.api_url else start_the_bank(args.db)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from client.settings import KioskSettings
    from ui.gui_thread_gc import GuiThreadCollector
    from ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    app.setApplicationName("CalmPay")
    GuiThreadCollector(app)  # reference cycles holding Qt objects are freed on the GUI thread only
    settings = KioskSettings.load()
    window = MainWindow(None, settings, welcome_only=True)
    fit_to_screen(window, app, kiosk=args.kiosk)
    startup = Startup(args, app, window, settings, bank, study)
    QTimer.singleShot(0, startup.ready)
    try:
        return app.exec()
    finally:
        window.receipt_files.clear()  # the kiosk closes: no receipt stays on its disk
        startup.close()


def fit_to_screen(window: MainWindow, app: QApplication, *, kiosk: bool) -> None:
    """The window fits the screen it is on (1024x768 up to 1920x1080 and beyond): a window larger
    than the screen would hide the bottom bar (Call staff). ``kiosk``: the whole screen, also
    with no window manager to honour "full screen" (a bare X server on a kiosk)."""
    screen = app.primaryScreen()
    if screen is None:
        window.show()
        return
    if kiosk:
        window.setGeometry(screen.geometry())  # what "full screen" means, set by the kiosk itself
        window.showFullScreen()
        return
    available = screen.availableGeometry().size()
    if window.width() <= available.width() and window.height() <= available.height():
        window.show()
        return
    # Larger than the screen: maximised, so the window manager fits it, its title bar included.
    window.resize(window.size().boundedTo(available))
    window.showMaximized()


def read_the_study(path: Path) -> Study | None:
    """The study file, checked before anything starts: what is wrong with it, said plainly."""
    from client.research.study import StudyError, load_study

    try:
        return load_study(path)
    except StudyError as problem:
        print(problem, file=sys.stderr)
        return None


def start_the_bank(db: Path | None) -> ApiProcess:
    from client import paths
    from mock_api.process import ApiProcess  # the standard library only: the bank loads in its own process

    data = paths.data_dir()
    bank = ApiProcess(db or data / "mock-bank.sqlite3", log_path=data / "mock-api.log")
    log.info("embedded mock API starting on %s", bank.url)
    return bank


class Startup:
    """What comes after the first paint, one step per turn of the event loop: the kiosk's
    operations, its registration with the bank (off the GUI thread), the other screens, the voice."""

    def __init__(
        self,
        args: argparse.Namespace,
        app: QApplication,
        window: MainWindow,
        settings: KioskSettings,
        bank: ApiProcess | None,
        study: Study | None = None,
    ) -> None:
        self.args, self.app, self.window, self.settings, self.bank = args, app, window, settings, bank
        self.study = study
        self.research: ResearchConsole | None = None
        self.research_api: PaymentApi | None = None
        self.api_url: str = args.api_url or (bank.url if bank is not None else "")
        self.api: PaymentApi | None = None
        self.console: StaffConsole | None = None
        self.console_api: PaymentApi | None = None

    def ready(self) -> None:
        """The Welcome screen is painted and has the focus: what start-up is timed to."""
        from PySide6.QtCore import QTimer

        handle = self.window.windowHandle()
        if not (handle and handle.isExposed() and self.app.focusWidget()):
            QTimer.singleShot(5, self.ready)
        elif self.args.exit_when_ready:
            import resource

            peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print(f"Welcome screen ready; peak memory {peak_kib} KiB (this process)", flush=True)
            self.app.quit()
        else:
            QTimer.singleShot(0, self.attach_the_kiosk)

    def attach_the_kiosk(self) -> None:
        import socket

        from client.api import PaymentApi
        from client.credentials import CredentialStore
        from client.kiosk import Kiosk
        from ui.screens import all_screens

        self.api = PaymentApi(self.api_url)
        label = f"{self.settings.kiosk_label}@{socket.gethostname()}"
        # The embedded bank takes a new port at each start: its database says which bank it is.
        account = f"embedded mock API {self.bank.db_path.resolve()}" if self.bank is not None else None
        credentials = CredentialStore(self.api_url, account=account)
        kiosk = Kiosk(self.api, credentials, label, home_policy=self.settings.home_policy)
        self.window.attach_kiosk(kiosk)
        registration = self.window.bridge.call(self._register, kiosk)
        registration.failed.connect(
            lambda error: log.error("could not register this kiosk with %s: %s", self.api_url, error.code)
        )
        if self.args.staff:
            self.open_the_console()
        self.build_screens(iter(all_screens()))
        if self.study is not None:
            self.open_the_research_console(self.study)

    def _register(self, kiosk: Kiosk) -> None:  # on a worker thread
        if self.bank is not None:
            from client import bank_address

            self.bank.wait_ready()
            bank_address.remember(self.bank.url)  # for python -m ui.staff on this computer
        kiosk.ensure_registered()

    def open_the_console(self) -> None:
        """The staff console in a second window, on this kiosk's bank (--staff)."""
        from client.api import PaymentApi
        from ui.staff.console import StaffConsole

        self.console_api = PaymentApi(self.api_url)
        # Its first call waits for the embedded bank, which may still be starting.
        ready = self.bank.wait_ready if self.bank is not None else None
        self.console = StaffConsole(self.console_api, language=self.settings.default_language, before_first_call=ready)
        self.console.show()

    def open_the_research_console(self, study: Study) -> None:
        """The researcher's console: on a second screen when there is one, never over the kiosk."""
        from client import paths
        from client.api import PaymentApi
        from ui.research.console import ResearchConsole

        self.research_api = PaymentApi(self.api_url)
        root = paths.data_dir() / "research" / study.id
        self.research = ResearchConsole(
            study, self.window, self.research_api, root=root, language=self.settings.default_language
        )
        kiosk_screen = self.window.screen()
        others = [s for s in self.app.screens() if s is not kiosk_screen]
        if others:
            self.research.setGeometry(others[0].availableGeometry())
        else:
            log.warning("one screen only: place the researcher's console where the participant cannot see it")
        self.research.show()

    def build_screens(self, remaining: Iterator[type[Screen]]) -> None:
        """One screen per turn of the event loop, so a key pressed meanwhile is answered at once."""
        from PySide6.QtCore import QTimer

        screen_class = next(remaining, None)
        if screen_class is None:
            self.start_the_voice()
            return
        self.window.add_screens([screen_class])
        QTimer.singleShot(0, lambda: self.build_screens(remaining))

    def start_the_voice(self) -> None:
        from client.voice.engine import create_speaker

        speaker, voice_notice = create_speaker(self.settings.voice and not self.args.no_voice)  # logs why if not
        self.window.use_speaker(speaker, voice_notice)

    def close(self) -> None:
        self.window.bridge.wait_for_done(3000)
        self.window.speaker.close()
        if self.api is not None:
            self.api.close()
        if self.console is not None:
            self.console.close()  # its staff session ends while the bank still answers
        if self.research is not None:
            self.research.close()  # a session still running is ended and kept
        if self.research_api is not None:
            self.research_api.close()
        if self.console_api is not None:
            self.console_api.close()
        if self.bank is not None:
            from client import bank_address

            bank_address.forget(self.bank.url)
            self.bank.stop()


if __name__ == "__main__":
    raise SystemExit(main())
