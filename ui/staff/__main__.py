"""python -m ui.staff [--api-url URL] [--language zh-Hans|zh-Hant|en]

The staff console on its own. Without --api-url it finds the bank of the kiosk running on this
computer (python main.py writes its embedded bank's address to the data dir once the bank answers).
"""

from __future__ import annotations

import argparse
import logging
import sys

from client import bank_address
from client.i18n import DEFAULT_LANGUAGE, LANGUAGES

NO_BANK = (
    "No bank to connect to: no CalmPay kiosk with its embedded bank is running on this computer.\n"
    "Start one (python main.py), or give the bank's address: python -m ui.staff --api-url URL"
)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m ui.staff", description="CalmPay staff console.")
    parser.add_argument("--api-url", help="the bank's address (default: the running kiosk's embedded bank)")
    parser.add_argument("--language", default=DEFAULT_LANGUAGE, choices=list(LANGUAGES), help="the console's language")
    parser.add_argument("--log-level", default="warning", choices=["debug", "info", "warning", "error"])
    return parser.parse_args(argv)


def bank_url(args: argparse.Namespace) -> str | None:
    """--api-url, or the bank of the kiosk running on this computer (None: no kiosk runs one)."""
    return args.api_url or bank_address.running()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    url = bank_url(args)
    if not url:
        print(NO_BANK, file=sys.stderr)
        return 2

    from PySide6.QtWidgets import QApplication

    from client.api import PaymentApi
    from ui.gui_thread_gc import GuiThreadCollector
    from ui.staff.console import StaffConsole

    app = QApplication(sys.argv[:1])
    app.setApplicationName("CalmPay staff console")
    GuiThreadCollector(app)
    api = PaymentApi(url)
    console = StaffConsole(api, language=args.language)
    console.show()
    try:
        return app.exec()
    finally:
        console.bridge.wait_for_done(3000)
        api.close()


if __name__ == "__main__":
    raise SystemExit(main())
