"""The large-print receipt, printed with QPrinter to a PDF (the kiosk's simulated printer)."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtGui import QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter

from client.i18n import Translator
from client.models import Receipt
from client.receipts import receipt_lines

RECEIPT_TEXT_PT = 22  # large print: well above the 18 pt of elder mode on screen


def save_receipt_pdf(receipt: Receipt, t: Translator, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"receipt-{receipt.reference}.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A5))
    printer.setDocName(t("receipt.title"))
    rows = "".join(
        f"<tr><td style='padding:6px 18px 6px 0'>{html.escape(name)}</td>"
        f"<td style='padding:6px 0'><b>{html.escape(value)}</b></td></tr>"
        for name, value in receipt_lines(receipt, t)
    )
    document = QTextDocument()
    document.setDefaultStyleSheet(f"body {{ font-size: {RECEIPT_TEXT_PT}pt; }}")
    document.setHtml(
        f"<body><h1 style='font-size:{RECEIPT_TEXT_PT + 8}pt'>{html.escape(t('app.name'))}</h1>"
        f"<h2>{html.escape(t('receipt.title'))}</h2><table>{rows}</table>"
        f"<p>{html.escape(t('receipt.footer'))}</p></body>"
    )
    document.print_(printer)
    return path
