"""The printed receipt, read back as a reader, a search or a screen reader would: with pypdf."""

from __future__ import annotations

import io
import math

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from client.bank_contact import HOTLINE, HOTLINE_ABROAD
from client.i18n import LANGUAGES, Translator
from client.models import Receipt
from client.money import format_amount
from devtools.receipt_samples import HOLD_UNTIL, MOMENT, sample_payment
from ui.receipt_pdf import PAPER_WIDTH_MM, POINTS_PER_MM, printed_text, render_receipt_pdf

# Characters a broken text layer puts in place of the ones drawn.
KANGXI_RADICALS = range(0x2F00, 0x2FE0)
CJK_RADICALS_SUPPLEMENT = range(0x2E80, 0x2F00)
COMPATIBILITY_IDEOGRAPHS = range(0xF900, 0xFB00)
LATIN_LIGATURES = range(0xFB00, 0xFB07)


# Names with the characters Qt's text layer got wrong: 心 水 月 日 金 (and 户/戶, 人, 口).
HELD = Receipt(
    reference="CP-3F9A1B2C3D4E5F60",
    payment=sample_payment(),
    from_account_name="活期 Current",
    from_account_last4="0101",
    to_name="金水心 Jin Shuixin",
    to_last4="0301",
    issued_at=MOMENT,
)
BILL = Receipt(
    reference="CP-0A1B2C3D4E5F6789",
    payment=sample_payment(kind="bill", status="completed", hold_until=None, cancellable=False, completed_at=MOMENT),
    from_account_name="活期 Current",
    from_account_last4="0101",
    to_name="国家电网电费",
    to_last4="7890",
    bill_period="2026-11",
    bill_customer_number="1234567890",
    issued_at=MOMENT,
)


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def printed_lines(reader: PdfReader) -> list[str]:
    """The text layer, line by line: the pieces on one baseline, joined (Qt writes each run of
    one script in a block of its own, which pypdf's extract_text puts on lines of their own)."""
    lines: dict[float, str] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text:
            baseline = round(tm[4] * cm[1] + tm[5] * cm[3] + cm[5], 1)
            lines[baseline] = lines.get(baseline, "") + text.replace("\n", "")

    reader.pages[0].extract_text(visitor_text=visit)
    return [line for _, line in sorted(lines.items(), reverse=True) if line.strip()]


def text_sizes(reader: PdfReader) -> list[tuple[str, float]]:
    """Each piece of text with the size it is printed at, read from the content stream."""
    sizes: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            # The printed size: the font size scaled by the text and page matrices.
            scale = math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
            sizes.append((text, size * scale))

    reader.pages[0].extract_text(visitor_text=visit)
    return sizes


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("receipt", [HELD, BILL], ids=["held transfer", "bill"])
def test_the_text_layer_is_exactly_what_is_printed(qtbot: QtBot, language: str, receipt: Receipt) -> None:
    reader = read(render_receipt_pdf(receipt, Translator(language)))
    assert len(reader.pages) == 1
    extracted = printed_lines(reader)
    assert extracted == printed_text(receipt, Translator(language))
    text = "\n".join(extracted)
    for wrong in (KANGXI_RADICALS, CJK_RADICALS_SUPPLEMENT, COMPATIBILITY_IDEOGRAPHS, LATIN_LIGATURES):
        assert not [c for c in text if ord(c) in wrong], text
    assert "\t" not in text
    assert receipt.to_name in text  # HELD's 金水心: the characters Qt's own text layer turned into radicals


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_large_print_on_one_roll_page_in_the_face_of_each_script(qtbot: QtBot, language: str) -> None:
    reader = read(render_receipt_pdf(HELD, Translator(language)))
    page = reader.pages[0]
    assert float(page.mediabox.width) == pytest.approx(PAPER_WIDTH_MM * POINTS_PER_MM, abs=1)
    sizes = text_sizes(reader)
    assert min(size for _, size in sizes) >= 18  # body at least 18 pt
    title = Translator(language)("receipt.title")
    title_size = max(size for text, size in sizes if title in text)
    assert all(size < title_size for text, size in sizes if title not in text)  # the title is the largest
    fonts = {str(font.get_object()["/BaseFont"]) for font in page["/Resources"]["/Font"].values()}
    expected = {"zh-Hans": "CJKsc", "zh-Hant": "CJKhk", "en": "DejaVuSans"}[language]
    assert any(expected in font for font in fonts), fonts
    assert not any("jp" in font.lower() for font in fonts), fonts  # never Qt's fallback face
    assert (
        reader.trailer["/Root"]["/Lang"] == {"zh-Hans": "zh-Hans-CN", "zh-Hant": "zh-Hant-HK", "en": "en-GB"}[language]
    )
    assert reader.metadata is not None and HELD.reference in str(reader.metadata.title)


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_references_dates_and_amounts_are_never_broken(qtbot: QtBot, language: str) -> None:
    t = Translator(language)
    lines = printed_lines(read(render_receipt_pdf(HELD, t)))
    for whole in (HELD.reference, t.date(MOMENT), t.date(HOLD_UNTIL), format_amount(1_500_000, language), HOTLINE):
        assert any(whole in line for line in lines), (whole, lines)
    assert any(HOTLINE_ABROAD in line for line in lines)


def test_a_held_payment_says_it_can_still_be_cancelled_until_when_and_how(qtbot: QtBot) -> None:
    text = " ".join(printed_lines(read(render_receipt_pdf(HELD, Translator("en")))))
    assert "You can still cancel it until 5 Nov 2026 at 10:45" in text
    assert "Cancel this payment" in text and HOTLINE in text
    assert "ending 0301" in text and "ending 0101" in text
    hant = "".join(printed_lines(read(render_receipt_pdf(HELD, Translator("zh-Hant")))))
    assert "仍可取消" in hant and "致電" in hant and "入賬時間" in hant


def test_a_bill_receipt_has_the_month_and_the_whole_customer_number(qtbot: QtBot) -> None:
    lines = printed_lines(read(render_receipt_pdf(BILL, Translator("en"))))
    assert "Bill payment" in lines and "Customer number" in lines and "1234567890" in lines
    assert "Bill for" in lines and "November 2026" in lines
    hans = printed_lines(read(render_receipt_pdf(BILL, Translator("zh-Hans"))))
    assert "户号" in hans and "1234567890" in hans and "2026年11月" in hans and "缴费" in hans
    assert not any("cancel" in line.lower() or "取消" in line for line in lines + hans)  # a paid bill is final
