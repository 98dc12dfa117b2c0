"""Speech cut into sentences: the same words in the same order, cut only where a sentence ends,
never inside a number, an amount, a date or a time."""

from __future__ import annotations

import pytest

from client.i18n import LANGUAGES
from client.security.catalog import load_catalog
from client.voice.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("我们停止了这笔付款。您的钱是安全的。", ["我们停止了这笔付款。", "您的钱是安全的。"]),
        ("真的吗？请挂断！不要转；请找工作人员", ["真的吗？", "请挂断！", "不要转；", "请找工作人员"]),
        ("骗子说“转到安全账户。”请挂断。", ["骗子说“转到安全账户。”", "请挂断。"]),
        ("請稍候……我們正在核對。", ["請稍候……", "我們正在核對。"]),
        ("欢迎使用安心付. 请先选择语言。", ["欢迎使用安心付. ", "请先选择语言。"]),
        ("We stopped this payment. Your money is safe.", ["We stopped this payment. ", "Your money is safe."]),
        ("Is this right? Yes! Then pay; or not", ["Is this right? ", "Yes! ", "Then pay; ", "or not"]),
        ("She said 'pay now.' Do not pay.", ["She said 'pay now.' ", "Do not pay."]),
        ("Wait... then pay.", ["Wait... ", "then pay."]),
    ],
)
def test_text_is_cut_after_each_sentence(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


@pytest.mark.parametrize(
    "text",
    [
        "您要付¥1,000.00给张伟。",
        "You are sending ¥1,000.00 to Zhang Wei.",
        "The payment leaves at 10:45 today.",
        "Rates went up by 3.5 per cent.",
        "Paid on 2026.11.30 at 09:05.",
        "金额是3.5万元，时间是10:45。",
        "Mr. Zhang and Dr. Li, e.g. your son, can help.",
        "Call 95588.",
    ],
)
def test_numbers_amounts_dates_times_and_abbreviations_stay_whole(text: str) -> None:
    assert split_sentences(text) == [text]


@pytest.mark.parametrize("text", ["", "   ", "。", "Hello", "。。Hello. ", ". . .", "请插卡。\n\n  "])
def test_marks_alone_join_a_sentence_and_nothing_is_lost(text: str) -> None:
    pieces = split_sentences(text)
    assert "".join(pieces) == text
    assert all(any(c.isalnum() for c in piece) for piece in pieces[1:])  # never a wordless piece to synthesise


def test_every_security_warning_splits_into_its_own_words() -> None:
    catalog = load_catalog()
    for code in catalog.codes:
        for language in LANGUAGES:
            speech = catalog.data["entries"][code][language]["speech"]  # as written, placeholders and all
            pieces = split_sentences(speech)
            assert "".join(pieces) == speech, (code, language)
            assert len(pieces) >= 2, (code, language, pieces)  # every warning has more than one sentence
