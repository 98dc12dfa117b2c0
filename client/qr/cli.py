"""Read or draw a payment code: ``python -m client.qr parse PAYLOAD`` / ``render PAYLOAD --png FILE``.

A staff and developer tool. It prints every field in full except the account number, which is
masked to its last four digits (account numbers never reach a log or an export). A payload that is
not a payment code this kiosk can pay is a one-line error on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from qrcode.image.pure import PyPNGImage

from client.qr import make_code
from emvqr import PayloadError, PaymentCode, decode

BAD_PAYLOAD = 2


def masked(account_number: str) -> str:
    """An account number as staff may see it: its last four digits only."""
    return "*" * max(len(account_number) - 4, 0) + account_number[-4:]


def describe(code: PaymentCode) -> list[str]:
    """The fields of ``code``, one ``name: value`` line each."""
    amount = (
        "(the payer types it)"
        if code.amount_minor is None
        else f"{code.amount_minor // 100}.{code.amount_minor % 100:02d}"
    )
    return [
        f"account: {masked(code.account_number)}",
        f"name: {code.name}",
        f"local name: {code.local_name or ''}",
        f"amount: {amount}",
        f"currency: {code.currency}",
        f"reference: {code.reference}",
        f"country: {code.country}",
        f"city: {code.city}",
    ]


def _parse(payload: str) -> int:
    code = decode(payload)
    print("\n".join(describe(code)))
    return 0


def _render(payload: str, png: Path) -> int:
    decode(payload)  # only a payment code this kiosk could pay is drawn
    image = make_code(payload.rstrip()).make_image(image_factory=PyPNGImage)
    with png.open("wb") as file:
        image.save(file)
    print(f"wrote {png}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m client.qr", description="Read or draw a payment QR code.")
    commands = parser.add_subparsers(dest="command", required=True)
    parse = commands.add_parser("parse", help="print the fields of a payment code")
    parse.add_argument("payload", help="the text inside the QR code")
    render = commands.add_parser("render", help="write a payment code as a QR image")
    render.add_argument("payload", help="the text to put in the QR code")
    render.add_argument("--png", type=Path, required=True, help="the PNG file to write")
    args = parser.parse_args(argv)
    try:
        if args.command == "parse":
            return _parse(args.payload)
        return _render(args.payload, args.png)
    except PayloadError as error:
        print(f"not a payment code this kiosk can pay ({error.code}): {error}", file=sys.stderr)
        return BAD_PAYLOAD
    except OSError as error:
        print(f"cannot write {args.png}: {error.strerror}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
