"""CalmPay kiosk: python main.py [--api-url URL] [--kiosk] [--db PATH]

Starts the embedded mock payment API on a free loopback port (unless --api-url is given),
registers this kiosk (device key in the OS keyring) and shows the window.
"""

from __future__ import annotations

import argparse
import logging
import socket
import sys
from pathlib import Path

from client import paths
from client.api import PaymentApi
from client.credentials import CredentialStore
from client.errors import CalmPayError
from client.kiosk import Kiosk
from client.settings import KioskSettings

log = logging.getLogger("calmpay")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="calmpay", description="CalmPay payment kiosk.")
    parser.add_argument("--api-url", help="use this payment API instead of starting the embedded mock")
    parser.add_argument("--db", type=Path, help="database of the embedded mock API (default: in the data dir)")
    parser.add_argument("--kiosk", action="store_true", help="full screen, as on a kiosk")
    parser.add_argument("--no-voice", action="store_true", help="no voice prompts")
    parser.add_argument("--log-level", default="warning", choices=["debug", "info", "warning", "error"])
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    from PySide6.QtWidgets import QApplication  # Qt only once the arguments are known to be fine

    from ui.main_window import MainWindow

    server = None
    if args.api_url:
        api_url = args.api_url
    else:
        from mock_api.server import EmbeddedServer

        server = EmbeddedServer(args.db or paths.data_dir() / "mock-bank.sqlite3").start()
        api_url = server.url
        log.info("embedded mock API on %s", api_url)

    app = QApplication(sys.argv[:1])
    app.setApplicationName("CalmPay")
    settings = KioskSettings.load()
    api = PaymentApi(api_url)
    kiosk = Kiosk(
        api,
        CredentialStore(api_url),
        f"{settings.kiosk_label}@{socket.gethostname()}",
        home_policy=settings.home_policy,
    )
    try:
        kiosk.ensure_registered()
    except CalmPayError as error:
        log.error("could not register this kiosk with %s: %s", api_url, error.code)
    from client.voice.engine import create_speaker

    speaker, voice_notice = create_speaker(settings.voice and not args.no_voice)  # logs why if it cannot
    window = MainWindow(kiosk, settings, notice=kiosk.credentials.notice, speaker=speaker, voice_notice=voice_notice)
    if args.kiosk:
        window.showFullScreen()
    else:
        window.show()
    try:
        return app.exec()
    finally:
        window.bridge.wait_for_done(3000)
        speaker.close()
        api.close()
        if server is not None:
            server.stop()


if __name__ == "__main__":
    raise SystemExit(main())
