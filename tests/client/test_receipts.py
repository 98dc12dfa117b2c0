"""Receipt words, line breaking, the text-layer mend, the hotline and the receipts' files."""

from __future__ import annotations

import stat
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from client.bank_contact import HOTLINE_ABROAD
from client.i18n import Translator
from client.models import Payment, Receipt
from client.pdf_text_layer import build_to_unicode, parse_to_unicode
from client.receipt_files import ReceiptFiles
from client.receipts import receipt_fields, unbroken, wrap
from mock_api.values import BANK_HOTLINE


def at_most(characters: int) -> Callable[[str], bool]:
    return lambda text: len(text) <= characters


def test_lines_break_between_chinese_characters_and_at_spaces_never_inside_numbers() -> None:
    note = (
        "这笔付款还没有付出。2026年11月5日\u00a010:30 之前您还可以取消，"
        "或拨打 400-880-5588（境外请拨 +86-21-6880-5588）。"
    )
    lines = wrap([note], at_most(10))
    assert "".join(lines).replace(" ", "") == note.replace("\u00a0", "").replace(" ", "")
    assert "2026年11月5日 10:30" in lines  # the date with its time, whole (no-break space printed as a space)
    assert "400-880-5588" in lines and "+86-21-6880-5588）。" in lines  # closing marks stay with their word
    assert not any(line[0] in "，。）" for line in lines)
    assert wrap(["Thank you for using CalmPay."], at_most(14)) == ["Thank you for", "using CalmPay."]


def test_a_value_breaks_only_between_its_pieces() -> None:
    assert wrap(["5 Nov 2026", "10:30"], at_most(12)) == ["5 Nov 2026", "10:30"]
    assert wrap(["5 Nov 2026", "10:30"], at_most(20)) == ["5 Nov 2026 10:30"]
    assert wrap(["CP-0123456789ABCDEF"], at_most(8)) == ["CP-0123456789ABCDEF"]  # never cut, even when too long


def test_a_to_unicode_map_is_read_in_every_form_qt_writes_and_written_back() -> None:
    cmap = (
        "2 beginbfrange\n<0000> <0000> <0000>\n<0001> <0003> [<2F3C> <0009> <6236>]\nendbfrange\n"
        "1 beginbfchar\n<0004> <D83DDE00>\nendbfchar\n1 beginbfrange\n<0010> <0012> <0041>\nendbfrange\n"
    )
    mapping = parse_to_unicode(cmap)
    assert mapping == {0: "\x00", 1: "⼼", 2: "\t", 3: "戶", 4: "😀", 16: "A", 17: "B", 18: "C"}
    assert parse_to_unicode(build_to_unicode(mapping)) == mapping


def test_the_bank_and_the_kiosk_give_the_same_hotline() -> None:
    assert BANK_HOTLINE == HOTLINE_ABROAD  # the one number that works from anywhere


def test_receipts_are_private_while_they_exist_and_gone_when_cleared(tmp_path: Path) -> None:
    files = ReceiptFiles(tmp_path / "receipts")
    path = files.write("receipt-CP-1.pdf", b"%PDF-1.4")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(files.folder.stat().st_mode) == 0o700
    assert files.files() == [path]
    files.clear()
    assert not path.exists() and files.files() == []


def test_a_receipt_names_people_and_accounts_in_the_customer_s_script_and_its_month_in_their_words() -> None:
    moment = datetime(2026, 11, 5, 2, 30, tzinfo=UTC)
    payment = Payment.model_validate(
        {
            "id": "pay_1",
            "kind": "bill",
            "status": "completed",
            "amount_minor": 30_760,
            "currency": "CNY",
            "from_account_id": "acc_1",
            "counterparty": "国家电网电费",
            "created_at": moment,
            "completed_at": moment,
            "risk": {"decision": "allow", "reasons": [], "requires": [], "hold_minutes": 0},
            "cancellable": False,
        }
    )
    receipt = Receipt(
        reference="CP-0A1B2C3D4E5F6789",
        payment=payment,
        from_account_name="活期 Current",
        from_account_names={"zh-Hans": "活期", "zh-Hant": "往來戶口", "en": "Current"},
        from_account_last4="0101",
        to_name="国家电网电费",
        to_names={"zh-Hans": "国家电网电费", "zh-Hant": "國家電網電費", "en": "State Grid Electricity"},
        to_last4="7890",
        bill_period="2026-11",
        bill_customer_number="1234567890",
        issued_at=moment,
    )
    fields = {field.key: field.value for field in receipt_fields(receipt, Translator("zh-Hant"))}
    assert fields["to"] == "國家電網電費" and fields["from"].startswith("往來戶口")
    assert fields["bill_month"] == "2026年11月" and fields["customer_number"] == "1234567890"
    english = {field.key: field.value for field in receipt_fields(receipt, Translator("en"))}
    assert english["to"] == "State Grid Electricity" and english["bill_month"] == "November 2026"


def test_a_time_with_chinese_characters_is_never_broken_in_a_note() -> None:
    note = f"這筆付款還未付出。2026年11月5日 {unbroken('上午10:45')} 之前您仍可取消。"
    for width in range(6, 30):
        lines = wrap([note], at_most(width))
        assert any("上午10:45" in line for line in lines), (width, lines)
        assert "".join(lines).replace(" ", "") == note.replace("\u2060", "").replace(" ", "")
