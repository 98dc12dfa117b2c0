"""The large-print receipt, printed by Qt to a PDF: the kiosk's simulated receipt printer.

The paper is what a kiosk's receipt printer takes: an 80 mm thermal roll, cut after the last line,
so a receipt is always one page, as long as it needs to be, never a second sheet with one line on
it. On 72 mm of print width there is no room for a name beside its value, so each name stands
above its value and the value has the whole width. A value breaks only between its pieces (a
date and its time) and never inside a reference, date or amount (client.receipts.wrap).

Faces are chosen, never left to Qt's fallback, which picks the Japanese Noto CJK face: the
Simplified Chinese face for 简体, the Hong Kong face for 繁體 (the kiosk's 繁體 is Hong Kong
Chinese), DejaVu Sans for English (with the Simplified face for any Chinese name). The reference is
set in the monospaced Noto face: its narrow, even letters keep the 19 characters on one line, and
staff reading it back over the phone see each character plainly.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QSizeF
from PySide6.QtGui import QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPdfWriter, QRawFont

from client.i18n import Translator
from client.models import Receipt
from client.pdf_text_layer import mend
from client.receipt_files import ReceiptFiles
from client.receipts import receipt_fields, receipt_notes, wrap

PAPER_WIDTH_MM = 80.0  # the receipt roll
POINTS_PER_MM = 72 / 25.4
MARGIN_PT = 4 * POINTS_PER_MM  # 72 mm of print, as 80 mm printers print
TITLE_PT = 28  # the largest text on the receipt
VALUE_PT = 20  # what the customer reads: the values, in bold
BODY_PT = 18  # the names above the values, and the notes: the floor of elder mode
LINE_SPACING = 1.35  # at least 1.3 in elder mode
GAP_PT = 8.0  # between one name-and-value and the next

# (main face, fallback for Chinese names, reference face) per language.
FACES = {
    "zh-Hans": ("Noto Sans CJK SC", "Noto Sans CJK SC", "Noto Sans Mono CJK SC"),
    "zh-Hant": ("Noto Sans CJK HK", "Noto Sans CJK HK", "Noto Sans Mono CJK HK"),
    "en": ("DejaVu Sans", "Noto Sans CJK SC", "Noto Sans Mono CJK SC"),
}
PDF_LANGUAGE = {"zh-Hans": "zh-Hans-CN", "zh-Hant": "zh-Hant-HK", "en": "en-GB"}


def receipt_font(language: str, size: float, *, bold: bool = False, reference: bool = False) -> QFont:
    main, fallback, mono = FACES.get(language, FACES["en"])
    font = QFont()
    font.setFamilies([mono] if reference else [main, fallback])
    font.setPointSizeF(size)
    font.setBold(bold)
    # Ligatures off: Qt's text layer would name the "ff" glyph U+FB00, not the two letters.
    for feature in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(feature), 0)
    return font


@dataclass(frozen=True)
class PrintedLine:
    text: str
    font: QFont
    gap_before: float = 0.0


def _writer(device: QIODevice, height_pt: float, title: str) -> QPdfWriter:
    writer = QPdfWriter(device)
    writer.setResolution(72)  # one unit is one point
    size = QPageSize(QSizeF(PAPER_WIDTH_MM, height_pt / POINTS_PER_MM), QPageSize.Unit.Millimeter, "Receipt roll")
    writer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    writer.setTitle(title)
    writer.setCreator("CalmPay")
    return writer


def _line_height(line: PrintedLine, device: QPdfWriter) -> float:
    return max(QFontMetricsF(line.font, device).lineSpacing(), line.font.pointSizeF() * LINE_SPACING)


def receipt_lines_printed(receipt: Receipt, t: Translator, device: QPdfWriter) -> list[PrintedLine]:
    """Every printed line, broken to the paper's width, top to bottom."""
    width = device.width() - 2 * MARGIN_PT if device.width() > 0 else PAPER_WIDTH_MM * POINTS_PER_MM - 2 * MARGIN_PT
    language = t.language

    def lines(pieces: list[str] | tuple[str, ...], font: QFont, gap: float = 0.0) -> list[PrintedLine]:
        metrics = QFontMetricsF(font, device)
        broken = wrap(pieces, lambda text: metrics.horizontalAdvance(text) <= width)
        return [PrintedLine(text, font, gap if i == 0 else 0.0) for i, text in enumerate(broken)]

    printed = lines([t("receipt.title")], receipt_font(language, TITLE_PT, bold=True))
    printed += lines([t("app.name")], receipt_font(language, BODY_PT))
    for field in receipt_fields(receipt, t):
        printed += lines([field.label], receipt_font(language, BODY_PT), GAP_PT)
        value_font = receipt_font(language, VALUE_PT, bold=True, reference=field.key == "reference")
        printed += lines(field.pieces, value_font)
    for note in receipt_notes(receipt, t):
        printed += lines([note], receipt_font(language, BODY_PT), 2 * GAP_PT)
    return printed


@cache
def _lowest_code_points(family: str, bold: bool) -> dict[int, str]:
    """glyph -> the lowest BMP character the face draws with it: the one Qt writes in ToUnicode."""
    font = QFont()
    font.setFamily(family)
    font.setBold(bold)
    raw = QRawFont.fromFont(font)
    characters = "".join(chr(c) for c in [*range(1, 0xD800), *range(0xE000, 0x10000)])
    lowest: dict[int, str] = {}
    for character, glyph in zip(characters, raw.glyphIndexesForString(characters), strict=True):
        if glyph and glyph not in lowest:
            lowest[glyph] = character
    return lowest


def text_layer_corrections(printed: list[PrintedLine]) -> dict[str, str]:
    """wrong -> drawn, for every drawn character Qt's ToUnicode map would name wrongly."""
    corrections: dict[str, str] = {}
    faces = {(family, line.font.bold()) for line in printed for family in line.font.families()}
    drawn = {character for line in printed for character in line.text}
    for family, bold in faces:
        font = QFont()
        font.setFamily(family)
        font.setBold(bold)
        raw = QRawFont.fromFont(font)
        lowest = _lowest_code_points(family, bold)
        for character in drawn:
            glyphs = raw.glyphIndexesForString(character)
            wrong = lowest.get(glyphs[0]) if len(glyphs) == 1 and glyphs[0] else None
            if wrong is not None and wrong != character and wrong not in drawn:
                corrections[wrong] = character
    return corrections


def printed_text(receipt: Receipt, t: Translator) -> list[str]:
    """The receipt's printed lines, as its text layer must give them back."""
    return [line.text for line in receipt_lines_printed(receipt, t, _writer(QBuffer(), 1000.0, ""))]


def render_receipt_pdf(receipt: Receipt, t: Translator) -> bytes:
    title = f"{t('app.name')} {t('receipt.title')} {receipt.reference}"
    measuring = _writer(QBuffer(), 1000.0, title)  # the paper's width, to break the lines
    printed = receipt_lines_printed(receipt, t, measuring)
    heights = [line.gap_before + _line_height(line, measuring) for line in printed]
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = _writer(buffer, 2 * MARGIN_PT + sum(heights), title)
    painter = QPainter(writer)
    top = MARGIN_PT
    for line, height in zip(printed, heights, strict=True):
        painter.setFont(line.font)
        ascent = QFontMetricsF(line.font, writer).ascent()
        painter.drawText(QPointF(MARGIN_PT, top + line.gap_before + ascent), line.text)
        top += height
    painter.end()
    buffer.close()
    return mend(bytes(data.data()), text_layer_corrections(printed), PDF_LANGUAGE.get(t.language, "en"))


def save_receipt_pdf(receipt: Receipt, t: Translator, files: ReceiptFiles) -> Path:
    return files.write(f"receipt-{receipt.reference}.pdf", render_receipt_pdf(receipt, t))
