"""The vocabulary check: the real texts follow the glossary, and a planted mainland word, a
character of the wrong script or two spellings of one thing fail it (in-memory catalogs)."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from client.i18n import LANGUAGES, catalog
from client.i18n_lint import (
    GLOSSARY_PATH,
    Text,
    check,
    check_project,
    glossary_table,
    i18n_texts,
    load_glossary,
    main,
    parse_glossary,
    project_texts,
    security_texts,
    wrong_script_characters,
)
from client.security.catalog import CATALOG_PATH

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = load_glossary()
SECURITY = json.loads(CATALOG_PATH.read_text("utf-8"))


def rules(texts: list[Text]) -> set[tuple[str, str]]:
    """(rule, where) of every violation."""
    return {(violation.rule, violation.where) for violation in check(texts, GLOSSARY)}


def real_catalogs() -> dict[str, dict[str, str]]:
    return {language: dict(catalog(language)) for language in LANGUAGES}


# --- the real texts -------------------------------------------------------------------------------


def test_every_text_and_the_security_catalog_follow_the_glossary() -> None:
    assert [str(violation) for violation in check_project()] == []


def test_the_check_reads_every_text_of_every_language_and_of_the_catalog() -> None:
    texts = project_texts()
    screens = [text for text in texts if text.where.startswith("i18n:")]
    prompts = [text for text in texts if text.where.startswith("security:")]
    assert len(screens) == sum(len(catalog(language)) for language in LANGUAGES)
    assert {text.language for text in prompts} == set(LANGUAGES)
    assert any(text.where == "security:question purpose/answer bills_goods" for text in prompts)
    assert any(text.where == "security:held_payment/speech" for text in prompts)


# --- planted faults fail it -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "text", "word"),
    [
        ("home.balance", "查餘額", "餘額"),
        ("idle.sign_out", "現在退出", "退出"),
        ("error.kiosk_unknown", "這部機器還沒有設置好，請呼叫職員。", "設置"),
        ("review.pay.description", "如果網路斷了，再按一次也絕不會重複付款。", "網路"),
        ("bill_number.field", "戶號", "戶號"),
        ("home.bill.description", "繳交電費、水費、燃氣費或話費。", "話費"),
    ],
)
def test_a_mainland_or_taiwan_word_in_hong_kong_text_fails(key: str, text: str, word: str) -> None:
    catalogs = real_catalogs()
    catalogs["zh-Hant"][key] = text
    violations = check(i18n_texts(catalogs) + security_texts(SECURITY), GLOSSARY)
    assert [(v.rule, v.where, v.language) for v in violations if word in v.message] == [
        ("avoid", f"i18n:{key}", "zh-Hant")
    ]


def test_a_mainland_word_in_a_safety_prompt_fails() -> None:
    data = copy.deepcopy(SECURITY)
    data["entries"]["signed_out_inactivity"]["zh-Hant"]["headline"] = "已為您退出登錄"
    found = rules(security_texts(data))
    assert ("avoid", "security:signed_out_inactivity/headline") in found


def test_a_simplified_character_in_hong_kong_text_fails() -> None:
    catalogs = real_catalogs()
    catalogs["zh-Hant"]["goodbye.take_card"] = "請取回您的银行卡。"
    violations = [v for v in check(i18n_texts(catalogs), GLOSSARY) if v.rule == "script"]
    assert [(v.where, v.language) for v in violations] == [("i18n:goodbye.take_card", "zh-Hant")]
    assert "银" in violations[0].message and "Simplified" in violations[0].message


def test_a_traditional_character_in_simplified_text_fails() -> None:
    catalogs = real_catalogs()
    catalogs["zh-Hans"]["pin.title"] = "请输入密碼"
    violations = [v for v in check(i18n_texts(catalogs), GLOSSARY) if v.rule == "script"]
    assert [(v.where, v.language) for v in violations] == [("i18n:pin.title", "zh-Hans")]
    assert "碼" in violations[0].message


def test_chinese_in_english_text_fails() -> None:
    assert rules([Text("i18n:x", "en", "Press 确定.")]) == {("script", "i18n:x")}


def test_two_spellings_of_one_thing_fail_even_on_different_screens() -> None:
    catalogs = real_catalogs()
    catalogs["zh-Hant"]["add_payee.check"] = "覈對名字"  # while review.title says 核對並付款
    found = rules(i18n_texts(catalogs))
    assert ("mixed", "all texts") in found
    assert ("variant", "i18n:add_payee.check") in found
    mixed = [v for v in check(i18n_texts(catalogs), GLOSSARY) if v.rule == "mixed"]
    assert len(mixed) == 1 and "'核'" in mixed[0].message and "'覈'" in mixed[0].message


def test_two_spellings_fail_where_the_glossary_picks_neither() -> None:
    glossary = parse_glossary({"variants": [{"language": "zh-Hant", "forms": ["交費", "繳費"]}]})
    one = [Text("a", "zh-Hant", "繳費"), Text("b", "zh-Hant", "繳費")]
    assert check(one, glossary) == []
    both = [*one, Text("c", "zh-Hant", "買東西或交費")]
    assert [(v.rule, v.language) for v in check(both, glossary)] == [("mixed", "zh-Hant")]


def test_the_mixed_check_counts_each_language_on_its_own() -> None:
    texts = [Text("a", "zh-Hans", "缴费"), Text("b", "zh-Hant", "交費")]  # 交费 is another language's
    assert ("mixed", "all texts") not in rules(texts)


# --- what it lets through -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("皇后", "zh-Hant"),  # 后 is Traditional too, as a queen
        ("請透過正規購物平台付款", "zh-Hant"),  # Hong Kong's 台
        ("還是只付款給您認識的人", "zh-Hant"),  # 只 stays 只, whatever a phrase entry says
        ("了解", "zh-Hant"),
        ("著名", "zh-Hans"),
        ("乾坤", "zh-Hans"),
        ("Hello, {name}", "en"),
    ],
)
def test_characters_both_scripts_share_pass(text: str, language: str) -> None:
    assert wrong_script_characters(text, language) == []


def test_wrong_script_characters_are_named_in_order_once() -> None:
    assert wrong_script_characters("以后再说，以后", "zh-Hant") == ["后", "说"]
    assert wrong_script_characters("請以後再說", "zh-Hans") == ["請", "後", "說"]
    assert wrong_script_characters("余額", "zh-Hant", allowed="余") == []


def test_an_accepted_word_is_no_avoided_one_inside_it() -> None:
    texts = [
        Text("a", "zh-Hant", "繳交電費、水費、煤氣費或電話費。"),  # 電話費 holds 話費
        Text("b", "zh-Hant", "請輸入賬單上印的客戶號碼。"),  # 客戶號碼 holds 戶號
    ]
    assert rules(texts) == set()


def test_english_words_are_whole_words_in_any_case() -> None:
    assert rules([Text("a", "en", "Choose a Payee.")]) == {("avoid", "a")}
    assert rules([Text("a", "en", "We sent an SMS.")]) == {("avoid", "a")}
    assert rules([Text("a", "en", "This kiosk is not set up.")]) == {("avoid", "a")}
    assert rules([Text("a", "en", "Check the colour of the screen. It was cancelled.")]) == set()


def test_placeholders_are_not_words() -> None:
    assert rules([Text("a", "en", "Send to {payee} on {kiosk}.")]) == set()


# --- the glossary itself --------------------------------------------------------------------------


def test_every_concept_has_a_word_in_every_language_in_its_own_script() -> None:
    for concept in GLOSSARY.concepts:
        for language in LANGUAGES:
            for word in concept.words[language]:
                assert wrong_script_characters(word, language) == [], (concept.id, language, word)


def test_the_glossary_names_the_hong_kong_decisions() -> None:
    words = {concept.id: concept.words for concept in GLOSSARY.concepts}
    assert words["account"]["zh-Hant"][0] == "戶口"
    assert words["sign out"]["zh-Hant"][0] == "登出"
    assert words["arrives (money credited to the person paid)"]["zh-Hant"][0] == "入賬"
    uses = {(group.language, group.use) for group in GLOSSARY.variants}
    assert {("zh-Hant", "賬"), ("zh-Hant", "核"), ("zh-Hant", "啟"), ("zh-Hans", "账")} <= uses


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"concept": [{"id": "x", "en": "a", "zh-Hans": "乙"}]}, "x/zh-Hant"),
        ({"concept": [{"id": "x", "en": "a", "zh-Hans": "乙", "zh-Hant": "乙", "avoid": {"en": ["a"]}}]}, "both"),
        ({"concept": [{"id": "x", "en": "a", "zh-Hans": "乙", "zh-Hant": "乙", "avoid": {"fr": ["b"]}}]}, "avoid"),
        ({"variants": [{"language": "zh-Hant", "forms": ["核", "覈"], "use": "劾"}]}, "use"),
        ({"variants": [{"language": "jp", "forms": ["核", "覈"]}]}, "kiosk language"),
        ({"words": []}, "unknown section"),
    ],
)
def test_a_broken_glossary_is_refused(data: dict[str, object], problem: str) -> None:
    with pytest.raises(ValueError, match=re.escape(problem)):
        parse_glossary(data)


def test_the_glossary_page_shows_the_glossary() -> None:
    page = (ROOT / "docs" / "glossary.md").read_text("utf-8")
    start = page.index("<!-- glossary table")
    table = page[page.index("\n", start) + 1 : page.index("<!-- end of the glossary table -->")]
    assert table == glossary_table(GLOSSARY), "run: python -m client.i18n_lint --table"


# --- the command ----------------------------------------------------------------------------------


def test_cli_check_passes_on_the_real_files(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--check"]) == 0
    assert "0 violations" in capsys.readouterr().out


def test_cli_check_fails_on_a_planted_word(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    catalogs = real_catalogs()
    catalogs["zh-Hant"]["home.sign_out"] = "退出"
    for language, texts in catalogs.items():
        (tmp_path / f"{language}.json").write_text(json.dumps(texts, ensure_ascii=False), "utf-8")
    assert main(["--check", "--i18n-dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "i18n:home.sign_out (zh-Hant): [avoid] '退出'" in out and "1 violation" in out


def test_cli_refuses_a_glossary_it_cannot_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "glossary.toml"
    broken.write_text("[[concept]]\nid = 1\n", "utf-8")
    assert main(["--check", "--glossary", str(broken)]) == 1
    assert "cannot read" in capsys.readouterr().out


def test_cli_without_an_action_shows_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "--check" in capsys.readouterr().out


def test_the_glossary_lives_beside_the_texts() -> None:
    assert GLOSSARY_PATH == ROOT / "assets" / "i18n" / "glossary.toml"
