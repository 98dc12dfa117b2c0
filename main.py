"""CalmPay kiosk: python main.py [--api-url URL] [--kiosk] [--db PATH] [--exit-when-ready]

The Welcome screen comes first. The embedded mock payment API (unless --api-url is given) starts
in a process of its own at the same moment, on the other core; the kiosk registers with it (device
key in the OS keyring) and the voice starts once the Welcome screen is on the screen.
"""

from __future__ import annotations

import argparse
import logging
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from client.api import PaymentApi
    from ui.screens.base import Screen

log = logging.getLogger("calmpay")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="calmpay", description="CalmPay payment kiosk.")
    parser.add_argument("--api-url", help="use this payment API instead of starting the embedded mock")
    parser.add_argument("--db", type=Path, help="database of the embedded mock API (default: in the data dir)")
    parser.add_argument("--kiosk", action="store_true", help="full screen, as on a kiosk")
    parser.add_argument("--no-voice", action="store_true", help="no voice prompts")
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

    bank = None
    if args.api_url:
        api_url = args.api_url
    else:
        from client import paths
        from mock_api.process import ApiProcess  # the standard library only: the bank loads in its own process

        data = paths.data_dir()
        bank = ApiProcess(args.db or data / "mock-bank.sqlite3", log_path=data / "mock-api.log")
        api_url = bank.url
        log.info("embedded mock API starting on %s", api_url)

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from client.settings import KioskSettings
    from ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    app.setApplicationName("CalmPay")
    settings = KioskSettings.load()
    window = MainWindow(None, settings, welcome_only=True)
    if args.kiosk:
        window.showFullScreen()
    else:
        window.show()
    api: PaymentApi | None = None

    def ready() -> None:
        """The Welcome screen is painted and has the focus: what start-up is timed to."""
        handle = window.windowHandle()
        if not (handle and handle.isExposed() and app.focusWidget()):
            QTimer.singleShot(5, ready)
            return
        if args.exit_when_ready:
            import resource

            peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print(f"Welcome screen ready; peak memory {peak_kib} KiB (this process)", flush=True)
            app.quit()
            return
        QTimer.singleShot(0, attach_the_kiosk)

    def attach_the_kiosk() -> None:
        nonlocal api
        from client.api import PaymentApi
        from client.credentials import CredentialStore
        from client.kiosk import Kiosk

        api = PaymentApi(api_url)
        credentials = CredentialStore(api_url)
        kiosk = Kiosk(
            api, credentials, f"{settings.kiosk_label}@{socket.gethostname()}", home_policy=settings.home_policy
        )
        window.attach_kiosk(kiosk)

        def prepare_bank() -> None:
            if bank is not None:
                bank.wait_ready()
            kiosk.ensure_registered()

        def not_registered(error: Exception) -> None:
            log.error("could not register this kiosk with %s: %s", api_url, getattr(error, "code", error))

        registration = window.bridge.call(prepare_bank)
        registration.failed.connect(not_registered)
        registration.succeeded.connect(lambda _: window.attach_kiosk(kiosk, notice=credentials.notice))
        from ui.screens import all_screens

        build_screens(iter(all_screens()))

    def build_screens(remaining: Iterator[type[Screen]]) -> None:
        """One screen per turn of the event loop, so a key pressed meanwhile is answered at once."""
        screen_class = next(remaining, None)
        if screen_class is None:
            start_the_voice()
            return
        window.add_screens([screen_class])
        QTimer.singleShot(0, lambda: build_screens(remaining))

    def start_the_voice() -> None:
        from client.voice.engine import create_speaker

        speaker, voice_notice = create_speaker(settings.voice and not args.no_voice)  # logs why if it cannot
        window.use_speaker(speaker, voice_notice)

    QTimer.singleShot(0, ready)
    try:
        return app.exec()
    finally:
        window.bridge.wait_for_done(3000)
        window.speaker.close()
        if api is not None:
            api.close()
        if bank is not None:
            bank.stop()


if __name__ == "__main__":
    raise SystemExit(main())
