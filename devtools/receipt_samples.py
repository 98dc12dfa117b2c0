"""Sample receipts as printed, one per language, for the README: ``python -m devtools.receipt_samples``.

The receipts carry the demo bank's own names (mock_api.seed) and are drawn by the kiosk's printer
code (ui.receipt_pdf); each PDF is turned into a PNG with poppler's ``pdftoppm`` (Debian package
poppler-utils), which only this documentation step needs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from client.i18n import Translator
from client.models import Payment, Receipt
from mock_api.seed import names_of

MOMENT = datetime(2026, 11, 5, 2, 30, tzinfo=UTC)
HOLD_UNTIL = datetime(2026, 11, 5, 2, 45, tzinfo=UTC)


def sample_payment(**changes: object) -> Payment:
    """A held transfer of 15,000.00, made at 10:30 Beijing time; ``changes`` make it another."""
    fields: dict[str, object] = {
        "id": "pay_3f9a1b2c3d4e5f60",
        "kind": "transfer",
        "status": "held",
        "amount_minor": 1_500_000,
        "currency": "CNY",
        "from_account_id": "acc_chanmeiling_current",
        "counterparty": "张伟 Zhang Wei",
        "risk": {"decision": "hold", "reasons": ["new_payee"], "requires": [], "hold_minutes": 15},
        "created_at": MOMENT,
        "hold_until": HOLD_UNTIL,
        "cancellable": True,
    }
    return Payment.model_validate(fields | changes)


def held_transfer() -> Receipt:
    return Receipt(
        reference="CP-3F9A1B2C3D4E5F60",
        payment=sample_payment(),
        from_account_name="活期 Current",
        from_account_names=names_of("活期 Current"),
        from_account_last4="0701",
        to_name="张伟 Zhang Wei",
        to_names=names_of("张伟 Zhang Wei"),
        to_last4="1001",
        issued_at=MOMENT,
    )


def electricity_bill() -> Receipt:
    biller = "国家电网电费"
    return Receipt(
        reference="CP-0A1B2C3D4E5F6789",
        payment=sample_payment(
            kind="bill",
            status="completed",
            hold_until=None,
            cancellable=False,
            completed_at=MOMENT,
            amount_minor=30_760,
        ),
        from_account_name="活期 Current",
        from_account_names=names_of("活期 Current"),
        from_account_last4="0201",
        to_name=biller,
        to_names=names_of(biller),
        to_last4="7890",
        bill_period="2026-11",
        bill_customer_number="1234567890",
        issued_at=MOMENT,
    )


SAMPLES = {
    "receipt-held-zh-Hant": (held_transfer, "zh-Hant"),
    "receipt-held-zh-Hans": (held_transfer, "zh-Hans"),
    "receipt-bill-en": (electricity_bill, "en"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots/receipts"))
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui.receipt_pdf import render_receipt_pdf

    _app = QApplication.instance() or QApplication([])
    pdftoppm = shutil.which("pdftoppm")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        for name, (make, language) in SAMPLES.items():
            pdf = Path(scratch) / f"{name}.pdf"
            pdf.write_bytes(render_receipt_pdf(make(), Translator(language)))
            if pdftoppm is None:
                raise SystemExit("pdftoppm not found: apt-get install poppler-utils")
            subprocess.run([pdftoppm, "-png", "-r", "96", "-singlefile", str(pdf), str(args.out / name)], check=True)
            print(args.out / f"{name}.png")


if __name__ == "__main__":
    main()
