"""The security-prompt catalog: complete, in house style, in step with the API; the checker bites."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import FrozenInstanceError
from pathlib import Path
from typing import Any

import pytest

from client.i18n import LANGUAGES
from client.security import cli, reasons
from client.security.catalog import FIELDS, Prompt, SecurityCatalog, load_catalog, placeholders
from client.security.lint import REQUIRED_CODES, SCAM_PURPOSES, LintViolation, lint
from mock_api import risk

ROOT = Path(__file__).resolve().parents[2]
CATALOG = load_catalog()


def test_the_catalog_lives_under_assets() -> None:
    assert CATALOG.path == ROOT / "assets" / "security" / "catalog.json"
    assert CATALOG.languages == tuple(LANGUAGES)


def test_the_real_catalog_is_clean() -> None:
    assert [str(v) for v in lint(CATALOG)] == []


def test_the_catalog_is_read_once_per_path(tmp_path: Path) -> None:
    assert load_catalog() is CATALOG and load_catalog(CATALOG.path) is CATALOG  # every screen shares it
    copied = tmp_path / "catalog.json"
    copied.write_text(json.dumps(CATALOG.data, ensure_ascii=False), "utf-8")
    first = load_catalog(copied)
    assert first is not CATALOG and first.codes == CATALOG.codes
    copied.write_text("not a catalog", "utf-8")
    assert load_catalog(copied) is first  # not read again


def test_a_failed_read_is_not_remembered(tmp_path: Path) -> None:
    later = tmp_path / "catalog.json"
    with pytest.raises(OSError):
        load_catalog(later)
    later.write_text('{"version": 1, "languages": ["en"], "entries": {}}', "utf-8")
    assert load_catalog(later).languages == ("en",)


@pytest.mark.parametrize("code", sorted(REQUIRED_CODES))
def test_every_code_is_complete_in_every_language(code: str) -> None:
    entry = CATALOG.data["entries"][code]
    assert entry["kind"] == REQUIRED_CODES[code]
    for language in LANGUAGES:
        texts = entry[language]
        assert set(texts) == set(FIELDS), language
        for field in FIELDS:
            value = texts[field]
            if field == "proceed_action" and value is None:
                continue
            assert isinstance(value, str) and value.strip(), f"{language} {field}"


@pytest.mark.parametrize("code", sorted(REQUIRED_CODES))
def test_placeholders_are_the_same_in_every_language(code: str) -> None:
    entry = CATALOG.data["entries"][code]
    for field in FIELDS:
        found = {
            language: placeholders(entry[language][field] or "")
            for language in LANGUAGES  # a null proceed_action has none
        }
        assert len({frozenset(names) for names in found.values()}) == 1, (field, found)
        names = found["en"]
        allowed = {"name"} if entry["kind"] == "name_check" else {"minutes"} if code == "held_payment" else set()
        assert names <= allowed, (field, names)


def test_the_placeholders_that_screens_fill_are_there() -> None:
    assert "{minutes}" in CATALOG.data["entries"]["held_payment"]["en"]["what_happened"]
    # The API tells the account holder's real name on a close match only (mock_api/names.py).
    named = {
        code
        for code in CATALOG.codes
        if any("{name}" in (text or "") for text in CATALOG.data["entries"][code]["en"].values())
    }
    assert named == {"name_close_match"}


def test_a_stop_has_no_way_on_and_the_safe_choice_is_first() -> None:
    for code, kind in REQUIRED_CODES.items():
        if kind == "stop" or code in {"payee_reported_scam", "purpose_scam_script"}:
            for language in LANGUAGES:
                assert CATALOG.prompt(code, language).proceed_action is None, (code, language)
    no_match = CATALOG.prompt("name_no_match", "en", name="Wang Fang")
    assert no_match.safe_action == "Check with the person first"
    assert no_match.proceed_action is not None


# --- in step with the API -------------------------------------------------------------------------


def test_scam_purposes_and_reason_codes_match_the_api() -> None:
    assert SCAM_PURPOSES == risk.SCAM_PURPOSES
    assert reasons.RISK_REASON_CODES == risk.REASON_CODES
    assert set(risk.REASON_CODES) <= set(CATALOG.codes)
    assert set(risk.SCAM_PURPOSES) <= set(risk.PURPOSES)


@pytest.mark.parametrize("purpose", risk.PURPOSES)
def test_each_answer_the_bank_blocks_has_its_own_stop(purpose: str) -> None:
    code = f"purpose_{purpose}"
    if purpose in risk.SCAM_SCRIPTS:
        assert REQUIRED_CODES[code] == "stop"
        assert CATALOG.prompt(code, "en").kind == "stop"
    else:
        assert code not in REQUIRED_CODES
        assert code not in CATALOG.codes


def test_the_follow_ups_and_scripts_are_the_banks() -> None:
    assert reasons.FOLLOW_UP_QUESTIONS == risk.FOLLOW_UP_QUESTIONS
    assert reasons.SCAM_SCRIPTS == risk.SCAM_SCRIPTS
    assert set(reasons.OFFERED_PURPOSES) <= set(risk.PURPOSES)
    assert set(risk.FOLLOW_UPS) <= set(reasons.OFFERED_PURPOSES)  # every answer with follow-ups is offered
    for script in risk.SCAM_SCRIPTS:  # every stop the bank can name has its words
        assert CATALOG.prompt(f"purpose_{script}", "en").kind == "stop"


# --- the questions: reason first, neutral answers, a follow-up for every answer scams hide behind ---


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_purpose_question_gives_the_reason_first_and_neutral_answers(language: str) -> None:
    question = CATALOG.question("purpose", language)
    assert tuple(question.answers) == reasons.OFFERED_PURPOSES
    assert "safe_account" not in question.answers  # a scammer's script is never an answer to pick
    opening = {"en": "We ask because", "zh-Hans": "我们问这个", "zh-Hant": "我們問這個"}[language]
    assert question.because.startswith(opening)
    for code in reasons.FOLLOW_UP_QUESTIONS:
        follow_up = CATALOG.question(code, language)
        assert follow_up.because.startswith(opening)
        assert tuple(follow_up.answers) == ("yes", "no")
        assert follow_up.answers["yes"] != follow_up.answers["no"]


def set_question(
    code: str, language: str, change: Callable[[dict[str, Any]], None]
) -> Callable[[dict[str, Any]], None]:
    def planting(data: dict[str, Any]) -> None:
        change(data["questions"][code][language])

    return planting


@pytest.mark.parametrize(
    ("code", "language", "change", "field", "rule"),
    [
        # The old wording that gave the scam away, back in the answers.
        (
            "purpose",
            "en",
            lambda t: t["answers"].update(own_account="Someone told me to move it"),
            "answers",
            "neutral-answer",
        ),
        ("purpose", "zh-Hans", lambda t: t["answers"].update(own_account="转到安全账户"), "answers", "neutral-answer"),
        ("purpose", "zh-Hant", lambda t: t["answers"].update(investment="高回報投資"), "answers", "neutral-answer"),
        # The question before its reason.
        ("purpose", "en", lambda t: t.update(because="Your answer helps us."), "because", "reason-first"),
        ("someone_asked", "zh-Hans", lambda t: t.update(because="请回答。"), "because", "reason-first"),
        # Two answers with one label; a label too long; jargon; not a question.
        ("in_your_name", "en", lambda t: t["answers"].update(no="Yes, it is in my name"), "answers", "labels"),
        (
            "new_number",
            "en",
            lambda t: t["answers"].update(yes="Yes, they texted me from a brand new number today"),
            "answers",
            "length",
        ),
        ("met_online", "en", lambda t: t.update(question="Did a recipient contact you?"), "question", "jargon"),
        ("high_returns", "zh-Hant", lambda t: t.update(question="對方保證您穩賺不賠"), "question", "question"),
        # A missing answer, a missing field.
        ("purpose", "en", lambda t: t["answers"].pop("rent"), "answers", "answers"),
        ("only_online", "zh-Hant", lambda t: t.pop("because"), "because", "missing-field"),
    ],
)
def test_the_checker_catches_a_planted_question_fault(
    code: str, language: str, change: Callable[[dict[str, Any]], None], field: str, rule: str
) -> None:
    violations = planted(set_question(code, language, change))
    assert rule in rules_at(violations, code, language, field), [str(v) for v in violations]


def test_the_checker_wants_every_question_the_bank_asks() -> None:
    def drop(data: dict[str, Any]) -> None:
        del data["questions"]["someone_asked"]
        data["questions"]["made_up"] = {}

    violations = planted(drop)
    assert rules_at(violations, "someone_asked", None, None) == {"missing-code"}
    assert rules_at(violations, "made_up", None, None) == {"schema"}


# --- prompts ----------------------------------------------------------------------------------------


def test_prompt_fills_placeholders_in_every_language() -> None:
    held = CATALOG.prompt("held_payment", "en", minutes=15)
    assert held == Prompt(
        code="held_payment",
        kind="risk",
        headline="The money will arrive in 15 minutes",
        what_happened=held.what_happened,
        why_we_ask=held.why_we_ask,
        what_you_can_do=held.what_you_can_do,
        why_seeing=held.why_seeing,
        speech=held.speech,
        safe_action="Don't pay",
        proceed_action=held.proceed_action,
    )
    assert "15 minutes" in held.what_happened and "15 minutes" in held.speech
    assert CATALOG.prompt("held_payment", "zh-Hans", minutes=120).headline == "这笔钱会在 120 分钟后到账"
    close = CATALOG.prompt("name_close_match", "zh-Hant", name="劉芳 Liu Fang")
    assert close.what_happened.startswith("這個戶口屬於 劉芳 Liu Fang。")
    assert "{" not in close.what_you_can_do
    with pytest.raises(FrozenInstanceError):
        close.headline = "x"  # type: ignore[misc]


def test_prompt_refuses_unknown_codes_languages_and_missing_values() -> None:
    with pytest.raises(KeyError):
        CATALOG.prompt("no_such_code", "en")
    with pytest.raises(KeyError):
        CATALOG.prompt("new_payee", "fr")
    with pytest.raises(KeyError, match="minutes"):
        CATALOG.prompt("held_payment", "en")  # never "{minutes}" on a screen


def test_no_speech_says_an_amount_a_number_or_a_name() -> None:
    for code in CATALOG.codes:
        for language in LANGUAGES:
            speech = CATALOG.data["entries"][code][language]["speech"]
            assert placeholders(speech) <= {"minutes"}
            assert not any(char.isdigit() for char in speech), (code, language)


# --- the checker catches what it is for ---------------------------------------------------------------


def planted(change: Callable[[dict[str, Any]], None]) -> list[LintViolation]:
    data = copy.deepcopy(CATALOG.data)
    change(data)
    return lint(SecurityCatalog(data))


def set_text(code: str, language: str, field: str, text: str | None) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["entries"][code][language][field] = text

    return change


def rules_at(violations: list[LintViolation], code: str | None, language: str | None, field: str | None) -> set[str]:
    return {v.rule for v in violations if (v.code, v.language, v.field) == (code, language, field)}


TWENTY_WORDS = "If you are not sure about this person then please press the button and talk to our staff here today."
GRADE_TWELVE = "Considerable irregularities necessitate additional organisational consideration."


@pytest.mark.parametrize(
    ("language", "field", "text", "rule"),
    [
        ("en", "why_we_ask", TWENTY_WORDS, "sentence-length"),
        ("en", "what_happened", GRADE_TWELVE, "reading-grade"),
        ("en", "why_we_ask", "We must check the beneficiary first.", "jargon"),
        ("en", "why_we_ask", "We need a one-time password.", "jargon"),
        ("en", "why_we_ask", "The transaction was declined.", "jargon"),
        ("zh-Hans", "why_we_ask", "请核对受益人。", "jargon"),
        ("zh-Hans", "why_we_ask", "请输入动态口令。", "jargon"),
        ("zh-Hant", "why_we_ask", "請核對受益人。", "jargon"),
        ("zh-Hant", "why_we_ask", "請輸入一次性密碼。", "jargon"),
        ("en", "what_happened", "You made a mistake with the PIN.", "blame"),
        ("en", "what_happened", "That PIN is invalid.", "blame"),
        ("zh-Hans", "what_happened", "您输错了密码。", "blame"),
        ("zh-Hant", "what_happened", "這是您的錯。", "blame"),
        ("en", "headline", "Stop and check!", "fear"),
        ("en", "headline", "Danger to your money", "fear"),
        ("en", "headline", "STOP and check", "fear"),
        ("zh-Hans", "headline", "请停下！", "fear"),
        ("zh-Hans", "headline", "危险付款", "fear"),
        ("zh-Hant", "headline", "警告：請停下", "fear"),
        ("zh-Hans", "what_happened", "这是一句非常非常长的句子里面没有任何标点符号让人读起来很累。", "clause-length"),
        ("zh-Hant", "what_happened", "這是一句非常非常長的句子裡面沒有任何標點符號讓人讀起來很累。", "clause-length"),
        ("zh-Hant", "what_happened", "我们停止了这笔付款。", "script"),
        ("zh-Hans", "what_happened", "我們停止了這筆付款。", "script"),
        ("zh-Hans", "what_happened", "请输入 OTP。", "latin"),
        ("en", "speech", "You are paying 5,000 yuan.", "speech"),
        ("zh-Hans", "speech", "您要付 5000 元。", "speech"),
        ("en", "why_seeing", "One. Two. Three. Four. Five.", "sentences"),
        ("en", "why_seeing", "One paragraph only.", "sentences"),
        ("en", "why_seeing", "Line one.\nLine two.", "one-paragraph"),
        ("en", "headline", "   ", "empty"),
        ("en", "headline", "Hello {customer}", "placeholders"),
        ("en", "proceed_action", "Don't pay", "labels"),
    ],
)
def test_the_checker_catches_a_planted_violation(language: str, field: str, text: str, rule: str) -> None:
    violations = planted(set_text("new_payee", language, field, text))
    assert rule in rules_at(violations, "new_payee", language, field), [str(v) for v in violations]
    assert all(v.code == "new_payee" for v in violations)  # and nothing else


def test_the_checker_wants_every_language() -> None:
    def drop_entry_language(data: dict[str, Any]) -> None:
        del data["entries"]["card_locked"]["zh-Hant"]

    assert rules_at(planted(drop_entry_language), "card_locked", "zh-Hant", None) == {"missing-language"}

    def drop_catalog_language(data: dict[str, Any]) -> None:
        data["languages"].remove("en")

    violations = planted(drop_catalog_language)
    assert rules_at(violations, None, "en", None) == {"missing-language"}
    assert {"schema"} <= rules_at(violations, "card_locked", None, None)  # "en" is now an unknown key


def test_the_checker_wants_every_code_with_its_kind() -> None:
    def drop(data: dict[str, Any]) -> None:
        del data["entries"]["purpose_investment"]
        data["entries"]["account_frozen"]["kind"] = "risk"

    violations = planted(drop)
    assert rules_at(violations, "purpose_investment", None, None) == {"missing-code"}
    assert rules_at(violations, "account_frozen", None, None) == {"kind"}


def test_the_checker_wants_the_same_placeholders_and_no_way_on_from_a_stop() -> None:
    mismatch = planted(set_text("name_close_match", "en", "headline", "Is this {name}?"))
    assert "placeholders" in rules_at(mismatch, "name_close_match", "en", "headline")
    way_on = planted(set_text("purpose_safe_account", "en", "proceed_action", "Pay anyway"))
    assert "no-way-on" in rules_at(way_on, "purpose_safe_account", "en", "proceed_action")
    assert "proceed-action" in rules_at(way_on, "purpose_safe_account", "en", "proceed_action")
    spoken_name = planted(set_text("name_close_match", "en", "speech", "This account belongs to {name}."))
    assert "speech" in rules_at(spoken_name, "name_close_match", "en", "speech")


def test_a_violation_says_where_and_why() -> None:
    violation = LintViolation("jargon", "'beneficiary'", "new_payee", "en", "why_we_ask")
    assert str(violation) == "new_payee/en/why_we_ask: [jargon] 'beneficiary'"
    assert str(LintViolation("schema", "version must be 1")) == "catalog: [schema] version must be 1"


# --- the command line ---------------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-W", "error", "-m", "client.security", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_cli_check_passes_on_the_real_catalog() -> None:
    result = _cli("--check")
    assert result.returncode == 0, result.stdout + result.stderr
    entries = len(CATALOG.codes)
    assert result.stdout == f"security catalog: {entries} entries, 3 languages, 0 rule violations\n"
    assert result.stderr == ""


def test_cli_check_fails_on_a_bad_catalog(tmp_path: Path) -> None:
    data = copy.deepcopy(CATALOG.data)
    data["entries"]["new_payee"]["en"]["headline"] = "WARNING!"
    bad = tmp_path / "catalog.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    result = _cli("--check", "--catalog", str(bad))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[-1] == f"security catalog: {len(CATALOG.codes)} entries, 3 languages, {len(lines) - 1} rule violations"
    assert any(line.startswith("new_payee/en/headline: [fear]") for line in lines[:-1])


def test_cli_check_fails_on_a_file_that_is_not_a_catalog(tmp_path: Path) -> None:
    broken = tmp_path / "catalog.json"
    broken.write_text('{"version": 1,', "utf-8")
    result = _cli("--check", "--catalog", str(broken))
    assert result.returncode == 1
    assert result.stdout.startswith("security catalog: cannot read")
    assert _cli("--check", "--catalog", str(tmp_path / "missing.json")).returncode == 1


def test_main_without_check_shows_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([]) == 2
    assert "--check" in capsys.readouterr().out
