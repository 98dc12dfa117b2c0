"""python -m mock_api --host 127.0.0.1 --port 8765 --db PATH [--risk-config FILE] [--start-at MOMENT]"""

from __future__ import annotations

import argparse
import logging
import re
from datetime import datetime
from pathlib import Path

import uvicorn

from mock_api.app import create_app
from mock_api.config import Clock, RiskConfig


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mock_api", description="CalmPay's mock payment API.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    parser.add_argument(
        "--db",
        type=Path,
        default=Path("calmpay-mock.sqlite3"),
        help="SQLite file; created and seeded with the demo customers on first run",
    )
    parser.add_argument("--risk-config", type=Path, help="TOML file overriding mock_api/risk.toml")
    parser.add_argument(
        "--start-at",
        type=_moment,
        metavar="MOMENT",
        help="start the bank's clock at this ISO 8601 moment with a time zone (e.g. 2026-03-11T10:00+08:00)"
        " instead of the real time; it ticks on from there",
    )
    parser.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    args = parser.parse_args(argv)

    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("uvicorn.access").addFilter(mask_card_numbers)
    try:
        risk = RiskConfig.load(args.risk_config)
    except (OSError, ValueError) as error:
        parser.error(f"--risk-config: {error}")
    app = create_app(args.db, risk=risk, clock=Clock(start=args.start_at))
    print(f"CalmPay mock API on http://{args.host}:{args.port}  (OpenAPI: /openapi.json, docs: /docs)", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    app.state.db.close()
    return 0


# A card number in an address (POST /v1/admin/cards/{card_number}/unlock): 12 to 19 digits.
_CARD_NUMBER = re.compile(r"(?<!\d)\d{8,15}(\d{4})(?!\d)")


def mask_card_numbers(record: logging.LogRecord) -> bool:
    """The access log keeps a card number in an address only as its last four digits."""
    if isinstance(record.args, tuple):
        record.args = tuple(_CARD_NUMBER.sub(r"…\1", arg) if isinstance(arg, str) else arg for arg in record.args)
    return True


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 moment, e.g. 2026-03-11T10:00+08:00") from None
    if moment.utcoffset() is None:
        raise argparse.ArgumentTypeError(f"{text!r} needs a time zone, e.g. 2026-03-11T10:00+08:00")
    return moment


if __name__ == "__main__":
    raise SystemExit(main())
