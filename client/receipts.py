"""What a receipt says, line by line, in the customer's language (shown, printed, read aloud)."""

from __future__ import annotations

from client.i18n import Translator
from client.models import Receipt
from client.money import format_amount


def receipt_lines(receipt: Receipt, t: Translator) -> list[tuple[str, str]]:
    payment = receipt.payment
    to = receipt.to_name + (f" {t('receipt.ending', last4=receipt.to_last4)}" if receipt.to_last4 else "")
    from_account = f"{receipt.from_account_name} {t('receipt.ending', last4=receipt.from_account_last4)}"
    lines = [
        (t("receipt.line.reference"), receipt.reference),
        (t("receipt.line.date"), t.date_time(payment.completed_at or payment.created_at)),
        (t("receipt.line.from"), from_account),
        (t("receipt.line.to"), to),
        (t("receipt.line.amount"), format_amount(payment.amount_minor, t.language)),
        (t("receipt.line.status"), t(f"receipt.status.{payment.status}")),
    ]
    if payment.status == "held" and payment.hold_until is not None:
        lines.append((t("receipt.line.arrives"), t.date_time(payment.hold_until)))
    return lines
